"""The engine: process pool, stable order, shards, streaming, and parsing only what rules need."""

from __future__ import annotations

import json
import os
import pickle
import shutil
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import CORPUS, needs_shared, run_cli
from newslint.config import Config, ConfigError
from newslint.document import Document
from newslint.engine import MIN_FILES_FOR_POOL, Shard, chunk_size, lint_files, select_shard, shard_of
from newslint.linter import lint_document
from newslint.model import Edit, FileResult, Fix, Violation

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"


def make_archive(folder: Path, copies: int = 3) -> list[str]:
    """Every rule fixture, several times over, plus a few odd files: enough for the pool."""
    folder.mkdir(parents=True, exist_ok=True)
    for i in range(copies):
        for d in sorted(FIXTURES.iterdir()):
            for name in ("fail.md", "fail.html", "pass.md"):
                src = d / name
                if src.exists():
                    sub = folder / f"set{i}" / d.name
                    sub.mkdir(parents=True, exist_ok=True)
                    shutil.copyfile(src, sub / name)
    (folder / "empty.md").write_bytes(b"")
    (folder / "binary.md").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00")
    (folder / "cp949.md").write_bytes("---\ntitle: 한국\n---\n".encode("cp949"))
    files = sorted(str(p) for p in folder.rglob("*") if p.is_file())
    assert len(files) >= MIN_FILES_FOR_POOL
    return files


def run(files, **kw):
    stats: dict = {}
    results = list(lint_files(files, Config(), use_cache=False, stats=stats, **kw))
    return results, stats


def test_file_results_pickle():
    v = Violation("p.md", 1, 2, 1, 5, "r", "NL100", "warning", "m",
                  fix=Fix.safe("x", Edit(0, 1, "y")), fix_edits=[{"start_line": 1}], start=0, end=1,
                  extra={"a": 1})
    r = FileResult("p.md", [v], internal_error=False)
    assert pickle.loads(pickle.dumps(r)) == r


def test_pool_and_in_process_give_identical_results_in_input_order(tmp_path):
    files = make_archive(tmp_path / "a")
    one, s1 = run(files, jobs=1)
    two, s2 = run(files, jobs=2)
    assert s1["jobs"] == 1 and s2["jobs"] == 2  # the pool was really used
    assert [r.path for r in one] == files
    assert one == two
    assert sum(len(r.violations) for r in one) > 0
    # Any order in, the same order out.
    rev = list(reversed(files))
    back, _ = run(rev, jobs=2)
    assert [r.path for r in back] == rev
    assert back == list(reversed(one))


def test_cached_and_linted_files_interleave_in_input_order(tmp_path, monkeypatch):
    import newslint.cache as cache_mod

    monkeypatch.setattr(cache_mod, "RACY_NS", -10**18)
    files = make_archive(tmp_path / "a")
    cdir = tmp_path / "cache"
    list(lint_files(files[::2], Config(), jobs=2, cache_dir=cdir))  # half of them cached
    stats: dict = {}
    mixed = list(lint_files(files, Config(), jobs=2, cache_dir=cdir, stats=stats))
    assert stats["cached_by_stat"] == len(files[::2])
    fresh, _ = run(files, jobs=1)
    assert mixed == fresh


def test_cli_output_identical_for_jobs_1_and_2(tmp_path):
    folder = tmp_path / "a"
    make_archive(folder)
    outs = []
    for j in ("1", "2"):
        for fmt in ("text", "json"):
            proc = run_cli(["check", "--no-cache", "-j", j, "--format", fmt, folder])
            assert proc.returncode == 1, proc.stderr
            outs.append(proc.stdout)
    assert outs[0] == outs[2] and outs[1] == outs[3]
    assert json.loads(outs[1])


def test_unreadable_and_vanished_files_are_findings_not_crashes(tmp_path):
    files = make_archive(tmp_path / "a")
    gone = str(tmp_path / "a" / "vanished.md")
    results, _ = run([*files, gone], jobs=2)
    last = results[-1]
    assert last.path == gone
    assert [v.rule for v in last.violations] == ["file-unreadable"]


def test_no_document_is_kept_alive(tmp_path):
    import gc
    import weakref

    files = make_archive(tmp_path / "a", copies=1)
    refs = []
    original = Document.__init__

    def tracking_init(self, *a, **kw):
        original(self, *a, **kw)
        refs.append(weakref.ref(self))

    Document.__init__ = tracking_init  # type: ignore[method-assign]
    try:
        results, _ = run(files, jobs=1)
    finally:
        Document.__init__ = original  # type: ignore[method-assign]
    gc.collect()
    assert len(refs) == len(files)  # every file made a Document
    assert [r for r in refs if r() is not None] == []
    assert len(results) == len(files)


def test_selecting_front_matter_rules_never_parses_the_body():
    text = "---\ntitle: x\ndate: not-a-date\n---\n\n# Hi\n\n<div data-ke-size='x'>a</div> ![](x.png)\n"
    doc = Document.from_text(text, "p.md")
    config = Config(select=["front-matter-schema", "front-matter-duplicate-key"])
    lint_document(doc, config)
    assert "markdown" not in doc.__dict__
    assert "html" not in doc.__dict__
    # ...while the default rule set does parse it, once.
    doc2 = Document.from_text(text, "p.md")
    lint_document(doc2, Config())
    assert "html" in doc2.__dict__ or "markdown" in doc2.__dict__


# -- shards -------------------------------------------------------------------------
def test_shard_parse():
    assert Shard.parse("2/4") == Shard(2, 4)
    assert str(Shard.parse(" 1/1 ")) == "1/1"
    for bad in ("0/4", "5/4", "1/0", "x", "1/2/3", "", "-1/2", "a/b", "1.5/2"):
        with pytest.raises(ConfigError):
            Shard.parse(bad)


def test_shards_partition_the_files_deterministically(tmp_path):
    files = make_archive(tmp_path / "a")
    for n in (1, 2, 3, 7):
        parts = [select_shard(files, Shard(k, n), tmp_path) for k in range(1, n + 1)]
        assert sorted(f for p in parts for f in p) == sorted(files)
        assert sum(len(p) for p in parts) == len(files)  # disjoint
        assert parts == [select_shard(files, Shard(k, n), tmp_path) for k in range(1, n + 1)]
    # The split depends on the path relative to the root, not on where the checkout is.
    rel = [os.path.relpath(f, tmp_path) for f in files]
    assert [shard_of(r, 4) for r in rel] == [shard_of(r.replace(os.sep, "/"), 4) for r in rel]
    moved = tmp_path / "elsewhere"
    shutil.copytree(tmp_path / "a", moved / "a")
    files2 = sorted(str(p) for p in (moved / "a").rglob("*") if p.is_file())
    a = [os.path.relpath(f, tmp_path) for f in select_shard(files, Shard(2, 3), tmp_path)]
    b = [os.path.relpath(f, moved) for f in select_shard(files2, Shard(2, 3), moved)]
    assert a == b
    # Adding a file never moves the others.
    extra = str(tmp_path / "a" / "new-post.md")
    before = {k: set(select_shard(files, Shard(k, 3), tmp_path)) for k in (1, 2, 3)}
    after = {k: set(select_shard([*files, extra], Shard(k, 3), tmp_path)) for k in (1, 2, 3)}
    assert all(before[k] <= after[k] for k in before)


def test_cli_shards_union_equals_full_run(tmp_path):
    folder = tmp_path / "a"
    make_archive(folder)

    def check(*extra):
        proc = run_cli(["check", "--no-cache", "-j", "1", "--format", "json", *extra, "a"], cwd=tmp_path)
        assert proc.returncode in (0, 1), proc.stderr
        return json.loads(proc.stdout)

    full = check()
    merged = []
    for k in (1, 2, 3):
        merged.extend(check("--shard", f"{k}/3"))
    key = lambda d: (d["path"], d["line"], d["column"], d["rule"], d["message"])
    assert full == sorted(full, key=key)  # the unsharded output is in this order...
    assert sorted(merged, key=key) == full  # ...so the shards' outputs, merged and sorted, are it exactly
    assert len(full) > 0


@pytest.mark.parametrize("bad", ["0/3", "4/3", "x", "1/0", "1-3"])
def test_cli_malformed_shard_is_a_usage_error(tmp_path, bad):
    (tmp_path / "p.md").write_text("---\ntitle: x\n---\n", encoding="utf-8")
    proc = run_cli(["check", "--shard", bad, tmp_path])
    assert proc.returncode == 2
    assert "--shard" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_chunk_size_bounds():
    assert chunk_size(10, 2) == 4
    assert chunk_size(5003, 2) == 64
    assert chunk_size(1000, 2) == 32
    assert chunk_size(100_000, 8) == 64


def test_chunks_shrink_towards_the_end_and_keep_the_order():
    from newslint.engine import _chunks

    items = [(f"p{i}.md", None) for i in range(5003)]
    chunks = list(_chunks(items, chunk_size(5003, 2), 2))
    assert [x for c in chunks for x in c] == items  # every file once, in order
    sizes = [len(c) for c in chunks]
    assert max(sizes) == 64 and sizes[0] == 64
    assert sizes == sorted(sizes, reverse=True)  # guided: never growing again
    assert sizes[-1] <= 4
    assert sum(1 for n in sizes if n < 64) >= 10  # the tail is cut finer
    assert [len(c) for c in _chunks(items[:10], 4, 2)] == [4, 4, 2]



def _square(x):
    return x * x


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork pool is Linux's")
def test_pool_without_the_result_pipe_sentinel_still_runs_and_stops():
    """engine.new_pool's worker handler no longer wakes on results (it spun on
    them). The pool still returns every result in order, and close() + join()
    still end it (the handler wakes on the pool's state change)."""
    import threading

    from newslint.engine import _pool_context, new_pool

    pool = new_pool(_pool_context(), 2)
    try:
        assert pool._outqueue._reader not in pool._get_sentinels()
        assert list(pool.imap(_square, range(500), chunksize=7)) == [x * x for x in range(500)]
        assert list(pool.imap(_square, range(50), chunksize=3)) == [x * x for x in range(50)]
        pool.close()
        joiner = threading.Thread(target=pool.join, daemon=True)
        joiner.start()
        joiner.join(timeout=20)
        assert not joiner.is_alive(), "the pool did not stop"
    finally:
        pool.terminate()

@needs_shared
def test_corpus_pool_matches_in_process():
    files = sorted(str(p) for p in (CORPUS / "ko-tistory").rglob("*.md"))[:150]
    one, _ = run(files, jobs=1)
    two, s = run(files, jobs=2)
    assert s["jobs"] == 2
    assert one == two


# -- pack prefilters: skip the regex only where it cannot match ---------------------
def test_required_literals_of_patterns():
    from newslint.rules.pack_engine import _required_literals

    assert set(_required_literals(r"실시간\s*속보|more\s+news", True)) == {
        ("more", "실시간"), ("news", "실시간"), ("news", "속보"), ("more", "속보")}
    assert _required_literals(r"(?:foo)?bar\d+baz", False) == (("bar",), ("baz",))
    assert _required_literals(r"Click\s+HERE", True) == (("click",), ("here",))
    # Nothing required, or read differently by `re` and `regex`: no prefilter.
    for pattern in (r"\w+", r"a|bc", r"(?i:abc)def", r"ab{e<=1}", r"[[:alpha:]]xx", r"\p{Hangul}+", r"x?y?"):
        assert _required_literals(pattern, False) is None, pattern


def test_prefilter_never_skips_a_match():
    import regex

    from newslint.rules.pack_engine import _fold, _holds, _required_literals

    pats = [r"실시간\s*(?:뉴스\s*)?속보", r"(?:for\s+)?(?:more|breaking)\s+news,?\s+(?:visit|see)",
            r"^\s*(?:click\s+(?:here|me)|여기를?\s*클릭\w*)\s*$", r"straße|σοφία"]
    texts = ["실시간 뉴스 속보는", "FOR MORE NEWS, VISIT", "For more newſ, see", "  Click   HERE  ",
             "여기 클릭하세요", "STRASSE straße STRAẞE", "ΣΟΦΊΑ σοφία", "nothing to see", "more\nnews\nvisit"]
    for p in pats:
        for ignorecase in (True, False):
            clauses = _required_literals(p, ignorecase)
            assert clauses is not None, p
            compiled = regex.compile(p, regex.IGNORECASE if ignorecase else 0)
            for t in texts:
                if compiled.search(t):
                    assert _holds(_fold(t) if ignorecase else t, clauses), (p, t)


def test_pack_rules_give_the_same_findings_with_and_without_prefilters(tmp_path):
    from newslint.rules.pack_engine import PackRule

    files = make_archive(tmp_path / "a", copies=1)
    pack_rules = [r for r in Config().enabled_rules() if issubclass(r, PackRule)]
    assert pack_rules and all(r.prefilters and r.prefilters[0] for r in pack_rules)
    with_filter, _ = run(files, jobs=1)
    saved = {r: r.prefilters for r in pack_rules}
    try:
        for r in pack_rules:
            r.prefilters = ()
        without, _ = run(files, jobs=1)
    finally:
        for r, p in saved.items():
            r.prefilters = p
    assert with_filter == without
    assert any(v.rule.startswith("promo-") for r in with_filter for v in r.violations)


# -- front matter schema: the fast path says "valid" only when jsonschema does -------
def _schema_values():
    import datetime

    scalars = [None, True, False, 0, 1, 1.5, 2.0, -3, "", "x", "2024-01-02", "2024-1-2 10:00", "2024-13-45x",
               "부산", datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 2, 3, 4)]
    values = list(scalars) + [[], ["a", 1], ["a", None], [True], {}, {"a": 1}, [["x"]]]
    return values


def test_fast_schema_path_agrees_with_jsonschema():
    import itertools

    from newslint.rules.front_matter_schema import fast_validator, load_validator

    fast, full = fast_validator(None), load_validator(None)
    assert fast is not None  # the default schema compiles
    keys = ["title", "date", "categories", "category", "tags", "published", "weight", "image", "author", "x"]
    values = _schema_values()
    seen = {True: 0, False: 0}
    for key, value in itertools.product(keys, values):
        for base in ({"title": "t"}, {}):
            data = {**base, key: value}
            verdict = fast(data)
            seen[verdict] += 1
            assert verdict == (not list(full.iter_errors(data))), data
    assert seen[True] and seen[False]
    assert fast(["not", "a", "mapping"]) is False


def test_fast_schema_path_refuses_what_it_does_not_know(tmp_path):
    from newslint.rules.front_matter_schema import fast_validator

    for extra in ({"format": "date"}, {"enum": ["a"]}, {"additionalProperties": False},
                  {"$ref": "other.json#/x"}, {"if": {}, "then": {}}):
        schema = {"type": "object", "properties": {"title": {"type": "string", **extra}}}
        path = tmp_path / f"s{abs(hash(str(extra)))}.json"
        path.write_text(json.dumps(schema), encoding="utf-8")
        if "$ref" in extra:
            (tmp_path / "other.json").write_text('{"x": {"type": "string"}}', encoding="utf-8")
        assert fast_validator(str(path)) is None, extra


@needs_shared
def test_fast_schema_path_on_the_corpus():
    from newslint.rules.front_matter_schema import fast_validator, load_validator

    fast, full = fast_validator(None), load_validator(None)
    files = sorted(CORPUS.rglob("*.md"))[::10]
    checked = 0
    for path in files:
        doc = Document(str(path), path.read_bytes())
        fm = doc.front_matter
        if fm is None or not fm.ok:
            continue
        checked += 1
        if fast(fm.data):
            assert not list(full.iter_errors(fm.data)), path
    assert checked > 100


def test_pool_forked_before_discovery_is_used_and_gives_the_same_results(tmp_path, monkeypatch):
    """`check` on folders forks its workers before the file list exists (flat memory);
    lint_files must then use that pool, not fork another, and find exactly the same."""
    from newslint import engine

    files = make_archive(tmp_path / "a")
    config = Config()
    want = [(r.path, [v.to_dict() for v in r.violations]) for r in lint_files(files, config, jobs=1, use_cache=False)]
    assert engine.prefork(config, 2, False)
    try:
        def no_second_pool():
            raise AssertionError("lint_files forked a second pool")
        monkeypatch.setattr(engine, "_pool_context", no_second_pool)
        got = [(r.path, [v.to_dict() for v in r.violations])
               for r in lint_files(files, config, jobs=2, use_cache=False)]
    finally:
        engine.release_prefork()
    assert got == want
    assert not engine._EARLY


def test_no_early_pool_when_the_cache_is_warm(tmp_path):
    from newslint import engine

    files = make_archive(tmp_path / "a")
    config = Config()
    cache_dir = tmp_path / "cache"
    assert engine.prefork(config, 2, True, cache_dir)  # no cache yet: cold, fork early
    try:
        list(lint_files(files, config, jobs=2, cache_dir=cache_dir))
    finally:
        engine.release_prefork()
    assert not engine.prefork(config, 2, True, cache_dir)  # the cache exists: a warm run forks nothing
    assert not engine.prefork(config, 1, False)  # one job: no pool at all


def test_cli_on_a_folder_with_the_early_pool_matches_one_job(tmp_path):
    make_archive(tmp_path / "a")
    out = []
    for jobs in ("1", "2"):
        proc = run_cli(["check", "--isolated", "--no-cache", "-j", jobs, "--format", "json", tmp_path / "a"])
        assert proc.returncode == 1, proc.stderr
        out.append(proc.stdout)
    assert out[0] == out[1]


def test_a_worker_keeps_the_alarm_handler_and_still_stops_a_slow_file():
    # In its own process: the handler stays installed for good there.
    code = textwrap.dedent("""
        import signal, time
        from newslint.limits import FileTimedOut, keep_alarm_handler, time_budget
        keep_alarm_handler()
        stopped = 0
        for _ in range(3):
            try:
                with time_budget(0.05) as armed:
                    assert armed
                    t = time.monotonic()
                    while time.monotonic() - t < 5:
                        pass
            except FileTimedOut:
                stopped += 1
            assert signal.getitimer(signal.ITIMER_REAL)[0] == 0  # disarmed after each file
        with time_budget(10):
            pass  # a fast file: no alarm later
        time.sleep(0.05)
        print(stopped)
    """)
    proc = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.strip() == "3"


def test_results_cross_the_pool_packed_and_come_back_equal():
    from newslint.engine import _pack, _unpack

    v = Violation(path="p.md", line=2, column=3, end_line=2, end_column=9, rule="link-target-blank-unsafe",
                  code="NL302", severity="warning", message="m", fix=Fix((Edit(5, 5, ' rel="noopener"'),), "safe", "add"),
                  fix_edits=[{"start_line": 2, "start_column": 3, "end_line": 2, "end_column": 3, "content": "x"}],
                  start=5, end=11, extra={"suppression": {"rules": ["a"], "reason": None}})
    result = FileResult("p.md", [v, Violation("p.md", 1, 1, 1, 1, "r", "NL1", "info", "plain")], True)
    packed = _pack(result)
    assert _unpack(pickle.loads(pickle.dumps(packed))) == result
    assert _pack(None) is None and _unpack(None) is None
