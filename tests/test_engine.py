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
from newslint.engine import MIN_FILES_FOR_POOL, lint_files
from newslint.transport import chunk_size
from newslint.shards import Shard, select_shard, shard_of
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


def test_read_within_reads_every_byte_of_files_pipes_and_grown_files(tmp_path):
    from newslint.linter import read_to_end, read_within

    post = tmp_path / "post.md"
    body = ("---\r\ntitle: 부산\r\n---\r\n" + "본문 " * 40000).encode()  # larger than one 64 KiB read
    post.write_bytes(body)
    st, raw = read_within(str(post), None)
    assert raw == body and st.st_size == len(body)
    assert read_within(str(post), len(body) - 1) == (st, None)  # over the limit: not read
    assert read_within(str(post), len(body))[1] == body
    (tmp_path / "empty.md").write_bytes(b"")
    assert read_within(str(tmp_path / "empty.md"), 10)[1] == b""
    fd = os.open(post, os.O_RDONLY)
    try:
        assert read_to_end(fd, 10) == body  # fstat said less than there is: read on to the end
    finally:
        os.close(fd)
    r, w = os.pipe()  # a pipe's fstat size is 0
    os.write(w, b"---\ntitle: x\n---\n")
    os.close(w)
    try:
        assert read_to_end(r, 0) == b"---\ntitle: x\n---\n"
    finally:
        os.close(r)


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
    from newslint.transport import chunks as _chunks

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


@needs_shared
def test_corpus_pool_matches_in_process():
    files = sorted(str(p) for p in (CORPUS / "ko-tistory").rglob("*.md"))[:150]
    one, _ = run(files, jobs=1)
    two, s = run(files, jobs=2)
    assert s["jobs"] == 2
    assert one == two


def test_pack_rules_give_the_same_findings_with_and_without_prefilters(tmp_path, monkeypatch):
    from newslint.packs import PackRule

    files = make_archive(tmp_path / "a", copies=1)
    pack_rules = [r for r in Config().enabled_rules() if issubclass(r, PackRule)]
    assert pack_rules and all(r.plan is not None and r.plan.prefilters[0] for r in pack_rules)
    with_filter, _ = run(files, jobs=1)
    for r in pack_rules:
        monkeypatch.setattr(r, "plan", None)  # every pattern on every segment
    without, _ = run(files, jobs=1)
    assert with_filter == without
    assert any(v.rule.startswith("promo-") for r in with_filter for v in r.violations)


def test_pool_forked_before_discovery_is_used_and_gives_the_same_results(tmp_path, monkeypatch):
    """`check` on folders forks its workers before the file list exists (flat memory);
    the run must then use that pool, not fork another, and find exactly the same."""
    from newslint.engine import Linting

    files = make_archive(tmp_path / "a")
    config = Config()
    want = [(r.path, [v.to_dict() for v in r.violations]) for r in lint_files(files, config, jobs=1, use_cache=False)]
    with Linting(config, jobs=2, use_cache=False) as run:
        assert run.start_pool()
        early = run._pool

        def no_second_pool(*a, **kw):
            raise AssertionError("the run forked a second pool")
        monkeypatch.setattr(run, "_new_pool", no_second_pool)
        got = [(r.path, [v.to_dict() for v in r.violations]) for r in run.lint_files(files)]
        assert run._pool is early
    assert run._pool is None  # closed with the run
    assert got == want


def test_no_early_pool_when_the_cache_is_warm(tmp_path):
    from newslint.engine import Linting

    files = make_archive(tmp_path / "a")
    config = Config()
    cache_dir = tmp_path / "cache"
    with Linting(config, jobs=2, cache_dir=cache_dir) as run:
        assert run.start_pool()  # no cache yet: cold, fork early
        list(run.lint_files(files))
    with Linting(config, jobs=2, cache_dir=cache_dir) as run:
        assert not run.start_pool()  # the cache exists: a warm run forks nothing
    with Linting(config, jobs=1, use_cache=False) as run:
        assert not run.start_pool()  # one job: no pool at all


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
    from newslint.transport import pack as _pack, unpack as _unpack

    v = Violation(path="p.md", line=2, column=3, end_line=2, end_column=9, rule="link-target-blank-unsafe",
                  code="NL302", severity="warning", message="m", fix=Fix((Edit(5, 5, ' rel="noopener"'),), "safe", "add"),
                  fix_edits=[{"start_line": 2, "start_column": 3, "end_line": 2, "end_column": 3, "content": "x"}],
                  start=5, end=11, extra={"suppression": {"rules": ["a"], "reason": None}})
    result = FileResult("p.md", [v, Violation("p.md", 1, 1, 1, 1, "r", "NL1", "info", "plain")], True,
                        facts={"fm": {"title": "제목"}, "links": [["/a/", 3, 1, 3, 9]], "ids": ["제목"]})
    packed = _pack(result)
    assert _unpack(pickle.loads(pickle.dumps(packed))) == result
    assert _pack(None) is None and _unpack(None) is None


def test_two_runs_with_different_configs_advanced_alternately_keep_their_own_config(tmp_path):
    """No state is shared between run objects: each lints every one of its files with its own config."""
    from newslint.engine import Linting

    files = []
    for i in range(4):
        p = tmp_path / f"p{i}.md"
        p.write_text(f"---\ntitle: t{i}\n---\n\n<img src='a{i}.png'>\n<a href='x' rel='dofollow'>x</a>\n",
                     encoding="utf-8")
        files.append(str(p))
    only_images = Config(select=["image-alt-missing"])
    only_links = Config(select=["link-rel-invalid"])
    with Linting(only_images, jobs=1, use_cache=False) as a, Linting(only_links, jobs=1, use_cache=False) as b:
        ia, ib = a.lint_files(files), b.lint_files(files)
        got_a, got_b = [], []
        for _ in files:
            got_a.append({v.rule for v in next(ia).violations})
            got_b.append({v.rule for v in next(ib).violations})
    assert got_a == [{"image-alt-missing"}] * 4
    assert got_b == [{"link-rel-invalid"}] * 4


def test_fixed_files_are_cached_as_they_are_after_the_fix(tmp_path, monkeypatch):
    """--fix goes through the same engine and cache: the next check of the
    fixed files is answered by the cache, with the findings that remain."""
    import newslint.cache as cache_mod
    from newslint.engine import FixMode, Linting

    # The files are written by the test, within the cache's racy window: trust their stat.
    monkeypatch.setattr(cache_mod, "RACY_NS", -10**18)
    files = []
    for i in range(3):
        p = tmp_path / f"p{i}.md"
        p.write_text(f"---\ntitle: t{i}\n---\n\n<a href='https://example.org/x' target='_blank'>x</a>\n\n<img src='a.png'>\n",
                     encoding="utf-8")
        files.append(str(p))
    cache_dir = tmp_path / "cache"
    config = Config()
    with Linting(config, jobs=1, cache_dir=cache_dir, fix=FixMode()) as run:
        fixed = list(run.lint_files(files))
    assert all(r.fixed == 1 for r in fixed)
    assert "noopener" in (tmp_path / "p0.md").read_text(encoding="utf-8")
    stats: dict = {}
    with Linting(config, jobs=1, cache_dir=cache_dir) as run:
        checked = list(run.lint_files(files, stats=stats))
    assert stats["linted"] == 0 and stats["cached_by_stat"] == 3
    assert [[v.rule for v in r.violations] for r in checked] == [[v.rule for v in r.violations] for r in fixed]
    assert all([v.rule for v in r.violations] == ["image-alt-missing"] for r in checked)


def test_file_unreadable_honours_ignore_and_severity(tmp_path):
    from newslint.engine import Linting

    missing = str(tmp_path / "gone.md")
    with Linting(Config(), jobs=1, use_cache=False) as run:
        [result] = run.lint_files([missing])
    assert [(v.rule, v.severity) for v in result.violations] == [("file-unreadable", "error")]
    with Linting(Config(severity={"file-unreadable": "info"}), jobs=1, use_cache=False) as run:
        [result] = run.lint_files([missing])
    assert [(v.rule, v.severity) for v in result.violations] == [("file-unreadable", "info")]
    with Linting(Config(ignore=["file-unreadable"]), jobs=1, use_cache=False) as run:
        [result] = run.lint_files([missing])
    assert result.violations == []


def test_check_forks_its_workers_only_once_the_walk_found_enough_files(tmp_path, monkeypatch):
    import io

    from newslint import runner
    from newslint.engine import MIN_FILES_FOR_POOL, Linting

    started = []
    real = Linting.start_pool

    def spy(self):
        started.append(True)
        return real(self)

    monkeypatch.setattr(Linting, "start_pool", spy)
    few = tmp_path / "few"
    few.mkdir()
    for i in range(6):
        (few / f"p{i}.md").write_text(f"---\ntitle: t{i}\n---\n\nbody\n", encoding="utf-8")
    opts = runner.CheckOptions(paths=(str(few),), use_cache=False, jobs=2, isolated=True, progress=False)
    assert runner.run_check(opts, io.StringIO(), io.StringIO()) == 0
    assert started == []
    many = tmp_path / "many"
    many.mkdir()
    for i in range(MIN_FILES_FOR_POOL + 6):
        (many / f"p{i:02}.md").write_text(f"---\ntitle: t{i}\n---\n\nbody\n", encoding="utf-8")
    out = io.StringIO()
    opts = runner.CheckOptions(paths=(str(many),), use_cache=False, jobs=2, isolated=True, progress=False,
                               format="json")
    assert runner.run_check(opts, out, io.StringIO()) == 0
    assert started == [True] and out.getvalue().strip() == "[]"
