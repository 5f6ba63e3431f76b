"""The results cache: what invalidates it, what it must survive, and that it never changes a result."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

import newslint.cache as cache_mod
from conftest import run_cli
from newslint.cache import Cache, config_fingerprint, decode_violation, encode_violation
from newslint.config import Config
from newslint.engine import lint_files
from newslint.model import Edit, FileResult, Fix, Violation

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "rules"
NEWSLINT = [sys.executable, "-m", "newslint"]

POST = """---
title: 부산시 예산
excerpt: 부산시가 디지털 트윈 시범구역에 선정되었습니다.
feature_text: 부산시가 디지털 트윈 시범구역에 선정되었습니다.
---

본문입니다.
"""


@pytest.fixture
def trust_stat(monkeypatch):
    """Files written by the test are "racy" (ctime within 2 s of the read): let
    the stat signature be trusted so the no-read path is exercised."""
    monkeypatch.setattr(cache_mod, "RACY_NS", -10**18)


def make_posts(folder: Path) -> list[str]:
    """Our own posts plus every rule fixture: findings with and without fixes."""
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dup.md").write_text(POST, encoding="utf-8")
    (folder / "clean.md").write_text("---\ntitle: ok\n---\n\nHello.\n", encoding="utf-8")
    (folder / "nofm.md").write_text("no front matter here\n", encoding="utf-8")
    (folder / "utf16.md").write_bytes("\ufeff---\ntitle: x\n---\n".encode("utf-16"))
    for d in sorted(FIXTURES.iterdir()):
        for name in ("fail.md", "fail.html", "pass.md"):
            src = d / name
            if src.exists():
                shutil.copyfile(src, folder / f"{d.name}-{name}")
    return sorted(str(p) for p in folder.iterdir())


def run(files, config=None, **kw):
    stats: dict = {}
    results = list(lint_files(files, config or Config(), stats=stats, **kw))
    return results, stats


def test_results_from_cache_equal_fresh_results(tmp_path, trust_stat):
    files = make_posts(tmp_path / "posts")
    cdir = tmp_path / "cache"
    fresh, _ = run(files, jobs=1, use_cache=False)
    assert any(v.fix is not None for r in fresh for v in r.violations), "need a finding with a fix"
    first, s1 = run(files, jobs=1, cache_dir=cdir)
    second, s2 = run(files, jobs=1, cache_dir=cdir)
    assert s1["linted"] == len(files)
    assert s2["cached_by_stat"] == len(files) and s2["linted"] == 0
    assert first == fresh
    assert second == fresh
    assert [r.path for r in second] == files


def test_racy_files_are_hashed_not_trusted(tmp_path):
    # Without trust_stat: the files were written just now, so the second run
    # must read and hash them (a same-tick rewrite could hide behind the stat).
    files = make_posts(tmp_path / "posts")
    cdir = tmp_path / "cache"
    fresh, _ = run(files, jobs=1, cache_dir=cdir)
    again, s = run(files, jobs=1, cache_dir=cdir)
    assert s["cached_by_stat"] == 0
    assert s["cached_by_digest"] == len(files) and s["linted"] == 0
    assert again == fresh


def test_content_change_invalidates_even_with_same_size_and_mtime(tmp_path, trust_stat):
    posts = tmp_path / "posts"
    files = make_posts(posts)
    cdir = tmp_path / "cache"
    before, _ = run(files, jobs=1, cache_dir=cdir)
    target = posts / "dup.md"
    st = target.stat()
    changed = POST.replace("feature_text: 부산시가", "feature_text: 서울시가")
    assert len(changed.encode()) == st.st_size
    target.write_text(changed, encoding="utf-8")
    os.utime(target, ns=(st.st_atime_ns, st.st_mtime_ns))  # mtime restored, as rsync -t would
    after, s = run(files, jobs=1, cache_dir=cdir)
    assert s["linted"] == 1
    fresh, _ = run(files, jobs=1, use_cache=False)
    assert after == fresh
    i = files.index(str(target))
    assert [v.message for v in before[i].violations] != [v.message for v in after[i].violations]


def test_touched_file_with_same_content_is_answered_by_digest(tmp_path, trust_stat):
    posts = tmp_path / "posts"
    files = make_posts(posts)
    cdir = tmp_path / "cache"
    first, _ = run(files, jobs=1, cache_dir=cdir)
    os.utime(posts / "dup.md", ns=(1, 1))
    second, s = run(files, jobs=1, cache_dir=cdir)
    assert s["cached_by_digest"] == 1 and s["linted"] == 0
    assert second == first
    third, s3 = run(files, jobs=1, cache_dir=cdir)  # the new stat was recorded
    assert s3["cached_by_stat"] == len(files)
    assert third == first


def test_config_change_invalidates(tmp_path, trust_stat):
    files = make_posts(tmp_path / "posts")
    cdir = tmp_path / "cache"
    run(files, jobs=1, cache_dir=cdir)
    narrow = Config(select=["front-matter-missing"])
    assert config_fingerprint(narrow) != config_fingerprint(Config())
    results, s = run(files, narrow, jobs=1, cache_dir=cdir)
    assert s["linted"] == len(files)
    assert {v.rule for r in results for v in r.violations} == {"front-matter-missing"}
    # Options and severities are part of the configuration too.
    sev = Config(severity={"front-matter-missing": "info"})
    assert config_fingerprint(sev) != config_fingerprint(Config())
    opts = Config(rule_options={"excerpt-duplicates-feature-text": {"threshold": 0.5}})
    assert config_fingerprint(opts) != config_fingerprint(Config())
    results, s = run(files, sev, jobs=1, cache_dir=cdir)
    assert s["linted"] == len(files)
    assert {v.severity for r in results for v in r.violations if v.rule == "front-matter-missing"} == {"info"}


def test_schema_content_is_part_of_the_fingerprint(tmp_path):
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"type": "object", "required": ["title"]}), encoding="utf-8")
    a = config_fingerprint(Config(front_matter_schema=schema))
    schema.write_text(json.dumps({"type": "object", "required": ["title", "date"]}), encoding="utf-8")
    b = config_fingerprint(Config(front_matter_schema=schema))
    assert a != b


def test_fingerprint_covers_the_files_a_schema_refers_to_and_only_those(tmp_path):
    (tmp_path / "sub").mkdir()
    defs = tmp_path / "sub" / "defs.json"
    defs.write_text(json.dumps({"type": "string"}), encoding="utf-8")
    schema = tmp_path / "schema.json"
    schema.write_text(json.dumps({"properties": {"author": {"$ref": "sub/defs.json"}}}), encoding="utf-8")
    a = config_fingerprint(Config(front_matter_schema=schema))
    defs.write_text(json.dumps({"type": "number"}), encoding="utf-8")
    b = config_fingerprint(Config(front_matter_schema=schema))
    assert a != b
    (tmp_path / "unrelated.json").write_text("{}", encoding="utf-8")
    assert config_fingerprint(Config(front_matter_schema=schema)) == b


def test_version_change_invalidates(tmp_path, trust_stat, monkeypatch):
    files = make_posts(tmp_path / "posts")
    cdir = tmp_path / "cache"
    run(files, jobs=1, cache_dir=cdir)
    _, s = run(files, jobs=1, cache_dir=cdir)
    assert s["linted"] == 0
    from newslint import fingerprint

    monkeypatch.setattr(fingerprint, "__version__", "999.0.0")
    _, s = run(files, jobs=1, cache_dir=cdir)
    assert s["linted"] == len(files)


def _db(cdir: Path) -> Path:
    (cache_file,) = cdir.glob("*.sqlite3")
    return cache_file


def _sql(cache_file: Path, *statements: tuple) -> None:
    import sqlite3

    db = sqlite3.connect(str(cache_file), isolation_level=None)
    for stmt, *args in statements:
        db.execute(stmt, *args)
    db.close()


def _other_sqlite(path: Path) -> None:
    path.unlink()
    _sql(path, ("CREATE TABLE entries (x)",), ("INSERT INTO entries VALUES (1)",))


def _wrong_format(path: Path) -> None:
    _sql(path, ("UPDATE meta SET value='1' WHERE key='format'",))


@pytest.mark.parametrize("garbage", [
    b"", b"{", b"\x00\xff\xfe garbage", b"[]", b'{"format": 1}', b"null",
    "not json at all \ud55c".encode("utf-8", "surrogatepass"),
    b"SQLite format 3\x00" + b"\xff" * 200,  # a truncated database
    _other_sqlite, _wrong_format,
])
def test_corrupt_cache_file_is_ignored(tmp_path, trust_stat, garbage):
    files = make_posts(tmp_path / "posts")
    cdir = tmp_path / "cache"
    fresh, _ = run(files, jobs=1, use_cache=False)
    run(files, jobs=1, cache_dir=cdir)
    cache_file = _db(cdir)
    for suffix in ("-wal", "-shm"):
        Path(str(cache_file) + suffix).unlink(missing_ok=True)
    if callable(garbage):
        garbage(cache_file)
    else:
        cache_file.write_bytes(garbage)
    results, s = run(files, jobs=1, cache_dir=cdir)
    assert results == fresh
    assert s["linted"] == len(files)
    again, s = run(files, jobs=1, cache_dir=cdir)  # rewritten and usable again
    assert again == fresh and s["linted"] == 0


def test_corrupt_entries_are_ignored(tmp_path, trust_stat):
    files = make_posts(tmp_path / "posts")
    cdir = tmp_path / "cache"
    fresh, _ = run(files, jobs=1, use_cache=False)
    run(files, jobs=1, cache_dir=cdir)
    cache_file = _db(cdir)
    paths = files[:6]
    _sql(cache_file,
         ("UPDATE entries SET rows='nonsense' WHERE path=?", (paths[0],)),
         ("UPDATE entries SET rows=? WHERE path=?", (json.dumps([["not", "a", "violation"]]), paths[1])),
         ("UPDATE entries SET size='x', mtime=NULL WHERE path=?", (paths[2],)),
         ("UPDATE entries SET digest=42, size=-1 WHERE path=?", (paths[3],)),  # digest of the wrong type
         ("UPDATE entries SET rows='{\"a\": 1}' WHERE path=?", (paths[4],)),
         ("UPDATE entries SET rows=? WHERE path=?", ("[" * 100000, paths[5])))
    results, _ = run(files, jobs=1, cache_dir=cdir)
    assert results == fresh


def test_no_cache_neither_reads_nor_writes(tmp_path, trust_stat):
    files = make_posts(tmp_path / "posts")
    cdir = tmp_path / "cache"
    fresh, _ = run(files, jobs=1, cache_dir=cdir)
    # Plant a lie in the cache: a cached run would report it, --no-cache must not.
    cache_file = _db(cdir)
    clean_path = str(tmp_path / "posts" / "clean.md")
    lie = encode_violation(Violation(clean_path, 1, 1, 1, 1, "front-matter-missing", "NL101", "error", "planted"))
    _sql(cache_file, ("UPDATE entries SET rows=? WHERE path=?", (json.dumps([lie]), clean_path)))
    cached, _ = run(files, jobs=1, cache_dir=cdir)
    assert any(v.message == "planted" for r in cached for v in r.violations)  # the lie is served from cache
    before = {p.name: p.read_bytes() for p in cdir.iterdir()}
    results, s = run(files, jobs=1, cache_dir=cdir, use_cache=False)
    assert results == fresh
    assert not any(v.message == "planted" for r in results for v in r.violations)
    assert {p.name: p.read_bytes() for p in cdir.iterdir()} == before
    other = tmp_path / "other-cache"
    run(files, jobs=1, cache_dir=other, use_cache=False)
    assert not other.exists()


def test_violation_encoding_round_trips():
    v = Violation("p.md", 3, 4, 3, 9, "r", "NL100", "warning", "msg 한국어 \"q\"",
                  fix=Fix.unsafe("remove", Edit(1, 5, ""), Edit(7, 7, "ins\n")),
                  fix_edits=[{"start_line": 1, "start_column": 2, "end_line": 1, "end_column": 6, "content": ""}],
                  start=10, end=20, extra={"reason": "because"})
    row = json.loads(json.dumps(encode_violation(v)))
    assert decode_violation(row) == v



def test_cached_rows_leave_out_the_files_own_path_and_round_trip(tmp_path):
    import sqlite3

    from newslint.cache import decode_result, encode_result
    from newslint.model import FileResult

    a = Violation("posts/a.md", 1, 1, 1, 4, "r", "NL100", "warning", "m")
    b = Violation("posts/a.md", 2, 1, 2, 2, "r", "NL100", "info", "n", extra={"k": "v"})
    result = FileResult("posts/a.md", [a, b])
    rows = encode_result(result)
    assert [r[0] for r in rows] == [None, None]
    assert decode_result("posts/a.md", json.loads(json.dumps(rows))).violations == [a, b]
    # A fix as the linter makes it: its fix_edits (file positions of each edit)
    # travel inside the edits and come back as they were.
    fixed = Violation("posts/a.md", 3, 2, 3, 3, "r", "NL100", "warning", "m",
                      fix=Fix.safe("drop", Edit(40, 41, ""), Edit(50, 50, "x")),
                      fix_edits=[{"start_line": 3, "start_column": 2, "end_line": 3, "end_column": 3, "content": ""},
                                 {"start_line": 4, "start_column": 1, "end_line": 4, "end_column": 1, "content": "x"}])
    row = encode_result(FileResult("posts/a.md", [fixed]))[0]
    assert row[10] is None and row[9][0] == [[40, 41, "", 3, 2, 3, 3], [50, 50, "x", 4, 1, 4, 1]]
    assert decode_result("posts/a.md", json.loads(json.dumps([row]))).violations == [fixed]
    c = Cache(tmp_path / "c", "fp")
    c.store(result, "d", (1, 2, 3, 4), 5)
    c.save()
    stored = sqlite3.connect(c.file).execute("SELECT rows FROM entries").fetchone()[0]
    assert "posts/a.md" not in stored and json.loads(stored)[0][0] is None
    assert Cache(tmp_path / "c", "fp").take("posts/a.md").violations == [a, b]

def test_result_with_unjsonable_extra_is_not_cached(tmp_path):
    from newslint.model import FileResult

    c = Cache(tmp_path / "c", "fp")
    v = Violation("p.md", 1, 1, 1, 1, "r", "NL100", "warning", "m", extra={"span": (1, 2)})
    c.store(FileResult("p.md", [v]), "d", (1, 2, 3, 4), 5)
    assert not c._pending and not c.dirty  # a tuple would come back as a list: not exact, not cached
    c.save()
    assert not (tmp_path / "c").exists()


def test_cache_dir_is_marked_and_ignored_by_git(tmp_path):
    files = make_posts(tmp_path / "posts")
    cdir = tmp_path / "cache"
    run(files, jobs=1, cache_dir=cdir)
    assert (cdir / ".gitignore").read_text().strip().endswith("*")
    assert "newslint" in (cdir / "CACHEDIR.TAG").read_text()


def test_cli_clean_removes_the_cache_and_refuses_other_folders(tmp_path):
    posts = tmp_path / "posts"
    make_posts(posts)
    env = {**os.environ, "NEWSLINT_CACHE_DIR": ""}
    proc = run_cli(["check", "-j", "1", str(posts)], cwd=tmp_path, env=env)
    assert proc.returncode == 1, proc.stderr
    assert (tmp_path / ".newslint_cache").is_dir()
    proc = run_cli(["clean"], cwd=tmp_path, env=env)
    assert proc.returncode == 0, proc.stderr
    assert not (tmp_path / ".newslint_cache").exists()
    # --cache-dir on check and clean
    proc = run_cli(["check", "-j", "1", "--cache-dir", "cc", str(posts)], cwd=tmp_path, env=env)
    assert (tmp_path / "cc").is_dir() and not (tmp_path / ".newslint_cache").exists()
    proc = run_cli(["clean", "--cache-dir", "cc"], cwd=tmp_path, env=env)
    assert proc.returncode == 0 and not (tmp_path / "cc").exists()
    # A folder that is not a cache is never removed.
    proc = run_cli(["clean", "--cache-dir", str(posts)], cwd=tmp_path, env=env)
    assert proc.returncode == 2
    assert posts.is_dir() and any(posts.iterdir())
    # --no-cache writes nothing.
    proc = run_cli(["check", "-j", "1", "--no-cache", str(posts)], cwd=tmp_path, env=env)
    assert proc.returncode == 1
    assert not (tmp_path / ".newslint_cache").exists()


def test_cli_cached_run_prints_the_same_output(tmp_path):
    posts = tmp_path / "posts"
    make_posts(posts)
    outs = []
    for extra in (["--no-cache"], [], []):
        proc = run_cli(["check", "-j", "1", "--format", "json", *extra, posts], cwd=tmp_path)
        assert proc.returncode == 1, proc.stderr
        outs.append(proc.stdout)
    assert outs[0] == outs[1] == outs[2]


def test_unwritable_cache_dir_does_not_break_the_run(tmp_path):
    files = make_posts(tmp_path / "posts")
    blocker = tmp_path / "file-not-dir"
    blocker.write_text("x")
    fresh, _ = run(files, jobs=1, use_cache=False)
    results, _ = run(files, jobs=1, cache_dir=blocker / "cache")
    assert results == fresh


def test_concurrent_shards_share_one_cache(tmp_path, trust_stat):
    """Two CI shards on one machine write the same cache folder at once: both land."""
    from newslint.shards import Shard, select_shard

    files = make_posts(tmp_path / "posts")
    cdir = tmp_path / "cache"
    parts = [select_shard(files, Shard(k, 2), tmp_path) for k in (1, 2)]
    assert all(parts)
    procs = [subprocess.Popen([*NEWSLINT, "check", "-j", "1", "--cache-dir", str(cdir), "--shard", f"{k}/2", "posts"],
                              cwd=tmp_path, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE) for k in (1, 2)]
    for p in procs:
        _, err = p.communicate(timeout=120)
        assert p.returncode in (0, 1), err
    import sqlite3

    db = sqlite3.connect(str(_db(cdir)))
    stored = {row[0] for row in db.execute("SELECT path FROM entries")}
    db.close()
    assert stored == {os.path.relpath(f, tmp_path) for f in files}  # both shards' rows landed


def test_cache_memory_does_not_hold_the_archive(tmp_path, trust_stat):
    """Rows are read one path at a time: nothing the size of the archive is loaded."""
    files = make_posts(tmp_path / "posts")
    cdir = tmp_path / "cache"
    run(files, jobs=1, cache_dir=cdir)
    c = Cache(cdir, config_fingerprint(Config()))
    assert not any(isinstance(v, (dict, list)) and len(v) > 1 for v in vars(c).values())
    assert c.entry(files[0]) is not None and c.entry(str(tmp_path / "nope.md")) is None


# -- a warm run loads no rule ----------------------------------------------------------------
def test_warm_run_imports_no_rule_module(tmp_path):
    """The config's fingerprint is made from its settings, not from the rule set
    they resolve to: a run the cache answers whole never imports a rule module
    (nor the shipped packs), with a config file too. (A config or CLI flag that
    names rules still loads them, to check the names.)"""
    posts = tmp_path / "posts"
    posts.mkdir()
    for i in range(70):  # more than MIN_FILES_FOR_POOL: the cold run forks
        (posts / f"p{i}.md").write_text(f"---\ntitle: 제목 {i}\n---\n본문 <b>{i}</b>\n", "utf-8")
    (tmp_path / "newslint.toml").write_text('exclude = ["drafts"]\n', "utf-8")
    script = f"""
import sys
import newslint.cache
from newslint.cli import main
newslint.cache.RACY_NS = 0  # the posts were just written: trust their stat all the same
try:
    main(["check", "--cache-dir", {str(tmp_path / "cache")!r}, {str(posts)!r}, *sys.argv[1:]])
except SystemExit as exc:
    code = exc.code
print(code, ",".join(sorted(m for m in sys.modules if m.startswith(("newslint.rules", "newslint.limits", "yaml")))))
"""

    def run_once(*args: str) -> str:
        out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=tmp_path)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip().splitlines()[-1]

    # In-process (-j 1), so that this process is the one that loads the rules:
    # the check below would see them if a warm run loaded them too.
    cold = run_once("-j", "1")
    assert "newslint.rules.control_character" in cold
    warm = run_once()
    assert warm.split(" ", 1)[0] == cold.split(" ", 1)[0]
    assert warm.split(" ", 1)[1:] in ([], [""]), warm
    # A cold run with a pool: the workers load the rules, the parent never does.
    pooled = run_once("--no-cache", "-j", "2")
    assert pooled.split(" ", 1)[0] == cold.split(" ", 1)[0]
    assert "newslint.ruleapi" not in pooled, pooled


def test_unknown_rule_in_config_is_still_an_error_after_a_warm_run(tmp_path):
    """Rule names are still checked when the rules are not loaded for the cache."""
    (tmp_path / "a.md").write_text("---\ntitle: a\n---\nbody\n", "utf-8")
    ok = run_cli(["check", "--cache-dir", "c", "a.md"], cwd=tmp_path)
    assert ok.returncode in (0, 1), ok.stderr
    bad = run_cli(["check", "--cache-dir", "c", "--ignore", "no-such-rule", "a.md"], cwd=tmp_path)
    assert bad.returncode == 2 and "unknown rule `no-such-rule`" in bad.stderr
    (tmp_path / "newslint.toml").write_text('select = ["front-matter-missng"]\n', "utf-8")
    bad = run_cli(["check", "--cache-dir", "c", "a.md"], cwd=tmp_path)
    assert bad.returncode == 2 and "newslint.toml:1:" in bad.stderr and "front-matter-missing" in bad.stderr


def test_package_signature_covers_policy_sub_folders(tmp_path):
    from newslint import fingerprint as fingerprint_mod

    """The shipped packs live in policy/packs/: editing one must invalidate the cache."""
    sig = fingerprint_mod._package_signature()
    names = [part[0] for part in sig if isinstance(part, tuple)]
    assert "policy/packs/promo.yaml" in names
    assert "config.py" in names and "ruleapi.py" in names
    assert fingerprint_mod._package_signature() == sig


def test_config_spellings_of_the_same_settings_fingerprint_stably(tmp_path):
    a = Config(select=["front-matter-missing"], ignore=["NL301"])
    assert config_fingerprint(a) == config_fingerprint(Config(select=["front-matter-missing"], ignore=["NL301"]))
    assert config_fingerprint(a) != config_fingerprint(Config(select=["front-matter-missing"]))
    pfi = Config(per_file_ignores={"drafts/*": ["front-matter-missing"]})
    assert config_fingerprint(pfi) != config_fingerprint(Config())


def test_batch_lookups_find_exactly_the_paths_asked_dense_or_sparse(tmp_path):
    c = Cache(tmp_path / "c", "fp")
    paths = [f"posts/{i:05d}.md" for i in range(3000)]
    for i, p in enumerate(paths):
        c.store(FileResult(p, []), f"d{i}", (1, 2, 3, 4), 5)
    c.save()
    c = Cache(tmp_path / "c", "fp")
    dense = paths[100:900]
    for rows in (False, True):  # the range scan, the IN list
        got = c.entries(dense, rows=rows)
        assert sorted(got) == dense and got[dense[0]][5] == "d100" and got[dense[-1]][6] == "[]"
    sparse = [paths[0], paths[1500], paths[2999], "posts/missing.md"]  # a hook's few files: the IN-list way
    got = c.entries(sorted(sparse), rows=False)
    assert sorted(got) == sorted(sparse[:3])
    assert got[paths[1500]][5] == "d1500" and got[paths[1500]][6] == "[]"
    unsorted = [paths[7], paths[3], "posts/x.md", paths[5]]
    assert sorted(c.entries(unsorted)) == sorted([paths[7], paths[3], paths[5]])


def test_a_cached_fix_of_one_edit_decodes_as_one_of_several_does():
    """The one-edit shortcut builds the same Violation as the general path
    (a stored fix_edits, or several edits, take the general path)."""
    from newslint.model import Edit, Fix, Violation

    edit = Edit(10, 14, "true")
    v = Violation("p.md", 2, 3, 2, 7, "front-matter-yaml11", "NL107", "warning", "m", Fix((edit,), "safe", "write"),
                  [{"start_line": 2, "start_column": 3, "end_line": 2, "end_column": 7, "content": "true"}],
                  start=10, end=14, extra={"k": 1})
    row = json.loads(json.dumps(cache_mod.encode_violation(v)))
    assert row[cache_mod._FIX_AT + 1] is None  # positions left out: made again from the edits
    fast = cache_mod.decode_violation(list(row))
    general = list(row)
    general[cache_mod._FIX_AT + 1] = v.fix_edits  # stored positions: the general path
    assert fast == cache_mod.decode_violation(general) == v
    assert type(fast.fix) is Fix and type(fast.fix.edits[0]) is Edit
