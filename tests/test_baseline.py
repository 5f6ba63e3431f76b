"""Baselines: keys that survive lines moving, occurrence indexes, stale entries."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import Result, run_cli
from newslint.baseline import Baseline, BaselineWriter, file_keys, fingerprint
from newslint.model import Violation

LINK = '<a href="https://example.kr/{n}" rel="dofollow">{n}번 기사</a>'
POST = """---
title: 해운대 소식
---

{body}
"""


def post(*paragraphs: str) -> str:
    return POST.format(body="\n\n".join(paragraphs))


def run(*args: str, cwd: Path) -> Result:
    return run_cli(args, cwd=cwd)


def check(cwd: Path, *args: str) -> Result:
    return run("check", "-j", "1", "--no-cache", "--select", "link-rel-invalid,image-alt-missing", *args, cwd=cwd)


@pytest.fixture
def site(tmp_path: Path) -> Path:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").write_text(post(LINK.format(n=1), "본문입니다.", LINK.format(n=2)), encoding="utf-8")
    (tmp_path / "posts" / "b.md").write_text(post('<img src="/x.png">'), encoding="utf-8")
    return tmp_path


def write_baseline(site: Path, name: str = "newslint-baseline.json") -> dict:
    proc = check(site, "--write-baseline", name, "posts")
    assert proc.returncode == 0, proc.stderr
    assert f"wrote 3 baseline entries to {name}" in proc.stderr
    assert proc.stdout == ""
    return json.loads((site / name).read_text(encoding="utf-8"))


def findings(proc: Result) -> list[tuple[str, str, int]]:
    return [(f["path"], f["rule"], f["line"]) for f in json.loads(proc.stdout)]


def test_baseline_file_is_stable_json_keyed_without_line_numbers(site):
    data = write_baseline(site)
    assert data["version"] == 1 and data["tool"] == "newslint"
    # The two bad links of a.md have the same span (rel="dofollow") but not the same
    # context (the links differ), so two fingerprints, each occurrence 0.
    assert [(e["path"], e["rule"], e["index"]) for e in data["entries"]] == [
        ("posts/a.md", "link-rel-invalid", 0), ("posts/a.md", "link-rel-invalid", 0),
        ("posts/b.md", "image-alt-missing", 0)]
    assert data["entries"][0]["fingerprint"] != data["entries"][1]["fingerprint"]
    assert all(set(e) == {"path", "rule", "fingerprint", "index"} for e in data["entries"])
    first = (site / "newslint-baseline.json").read_bytes()
    write_baseline(site)
    assert (site / "newslint-baseline.json").read_bytes() == first


def test_baseline_hides_known_findings_and_survives_lines_moving(site):
    write_baseline(site)
    proc = check(site, "--baseline", "newslint-baseline.json", "posts")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "baseline newslint-baseline.json: 3 known findings hidden, 0 entries no longer match" in proc.stdout
    a = site / "posts" / "a.md"
    # Lines move (a paragraph and blank lines above), a front matter key is added.
    a.write_text(a.read_text(encoding="utf-8").replace("title: 해운대 소식\n", "title: 해운대 소식\ntags: [부산]\n")
                 .replace("---\n\n", "---\n\n새 문단입니다.\n\n\n\n", 1), encoding="utf-8")
    proc = check(site, "--baseline", "newslint-baseline.json", "--format", "json", "posts")
    assert proc.returncode == 0 and json.loads(proc.stdout) == []
    assert "3 known findings hidden, 0 entries no longer match" in proc.stderr


def test_a_new_finding_is_reported_even_when_identical_to_a_known_one(site):
    write_baseline(site)
    a = site / "posts" / "a.md"
    text = a.read_text(encoding="utf-8")
    # The same bad link again (same text, so same fingerprint): its occurrence index is new.
    a.write_text(text + "\n" + LINK.format(n=1) + "\n", encoding="utf-8")
    proc = check(site, "--baseline", "newslint-baseline.json", "--format", "json", "posts")
    assert proc.returncode == 1
    assert findings(proc) == [("posts/a.md", "link-rel-invalid", 11)]


def test_stale_entries_are_counted_and_the_run_says_how_to_prune(site):
    write_baseline(site)
    a = site / "posts" / "a.md"
    a.write_text(a.read_text(encoding="utf-8").replace(' rel="dofollow">2번', '>2번'), encoding="utf-8")
    (site / "posts" / "b.md").unlink()  # a post deleted: its entry is stale too
    proc = check(site, "--baseline", "newslint-baseline.json", "posts")
    assert proc.returncode == 0
    assert ("baseline newslint-baseline.json: 1 known finding hidden, 2 entries no longer match "
            "(prune them with --write-baseline newslint-baseline.json)") in proc.stdout
    # Entries of files this run did not lint (a narrower path) are not stale.
    (site / "posts" / "b.md").write_text(post('<img src="/x.png">'), encoding="utf-8")
    proc = check(site, "--baseline", "newslint-baseline.json", "posts/b.md")
    assert "1 known finding hidden, 0 entries no longer match" in proc.stdout


def test_paths_are_relative_to_the_baseline_file_not_the_working_folder(site):
    (site / "ci").mkdir()
    data = write_baseline(site, "ci/base.json")
    assert {e["path"] for e in data["entries"]} == {"../posts/a.md", "../posts/b.md"}
    proc = check(site / "posts", "--baseline", "../ci/base.json", ".")
    assert proc.returncode == 0, proc.stdout


def test_baseline_works_with_results_from_the_cache(site):
    """Cached findings keep the offsets the fingerprint needs."""
    cache = ["--cache-dir", str(site / "cache")]
    assert run("check", *cache, "--select", "link-rel-invalid,image-alt-missing", "--write-baseline", "b.json",
               "posts", cwd=site).returncode == 0
    for _ in range(2):  # the first run may fill the cache, the second reads it
        proc = run("check", *cache, "--select", "link-rel-invalid,image-alt-missing", "--baseline", "b.json",
                   "--format", "json", "posts", cwd=site)
        assert proc.returncode == 0 and json.loads(proc.stdout) == [], proc.stderr
    assert any((site / "cache").rglob("*.sqlite3"))  # the results cache was used (cache.py)


@pytest.mark.parametrize("content, message", [
    (None, "baseline file b.json does not exist; create it with --write-baseline b.json"),
    ("{not json", "baseline file b.json is not valid JSON"),
    ('{"entries": [], "version": 99}', "baseline file b.json has version 99"),
    ('[1, 2]', "is not a newslint baseline"),
    ('{"version": 1, "entries": [{"path": "a.md"}]}', "entry 0 needs path, rule, fingerprint and index"),
])
def test_a_bad_baseline_file_is_a_clear_usage_error(site, content, message):
    if content is not None:
        (site / "b.json").write_text(content, encoding="utf-8")
    proc = check(site, "--baseline", "b.json", "posts")
    assert proc.returncode == 2 and message in proc.stderr and "Traceback" not in proc.stderr


@pytest.mark.parametrize("args, message", [
    (["--baseline", "b.json", "--write-baseline", "c.json"], "not both"),
    (["--write-baseline", "b.json", "--fix"], "does not combine with --fix"),
    (["--write-baseline", "b.json", "--shard", "1/2"], "with --shard it would drop the others"),
])
def test_flags_that_cannot_work_together_exit_2(site, args, message):
    (site / "b.json").write_text('{"version": 1, "entries": []}', encoding="utf-8")
    proc = check(site, *args, "posts")
    assert proc.returncode == 2 and message in proc.stderr


def test_fix_with_a_baseline_fixes_then_reports_only_new_findings(site):
    """Fixes apply; what remains is filtered by the baseline, as a check would be."""
    old = site / "posts" / "old.md"
    old.write_text("---\ntitle: old\n---\n\n<a href='x' rel='dofollow'>x</a>\n", encoding="utf-8")
    assert check(site, "--write-baseline", "b.json", "posts").returncode == 0
    new = site / "posts" / "new.md"
    new.write_text("---\ntitle: new\n---\n\n<a href='https://example.org/y' target='_blank'>y</a>\n<img src='n.png'>\n",
                   encoding="utf-8")
    proc = check(site, "--baseline", "b.json", "--fix", "--extend-select", "link-target-blank-unsafe", "posts")
    assert proc.returncode == 1, proc.stderr
    assert "noopener" in new.read_text(encoding="utf-8")
    assert "new.md" in proc.stdout and "image-alt-missing" in proc.stdout
    assert "old.md" not in proc.stdout  # its finding is in the baseline


def test_an_unwritable_baseline_is_exit_2(site):
    (site / "blocker").write_text("file", encoding="utf-8")
    proc = check(site, "--write-baseline", "blocker/b.json", "posts")
    assert proc.returncode == 2 and "cannot write baseline file blocker/b.json" in proc.stderr


# -- the key, as a library ------------------------------------------------------------------
def _v(rule: str, start: int, end: int, line: int) -> Violation:
    return Violation("p.md", line, 1, line, 2, rule, "NL1", "warning", "m", start=start, end=end)


def test_fingerprint_ignores_whitespace_runs_but_not_text():
    assert fingerprint("r", "<a  rel=x\n>") == fingerprint("r", "<a rel=x >")
    assert fingerprint("r", "<a rel=x>") != fingerprint("r", "<a rel=y>")
    assert fingerprint("r", "<a rel=x>") != fingerprint("s", "<a rel=x>")


def test_fingerprint_covers_the_span_and_a_little_of_its_line():
    long_line = "가" * 200 + ' <a rel="dofollow">x</a> ' + "나" * 200
    at = long_line.index('rel=')
    span = (at, at + len('rel="dofollow"'))
    ((_, fp, _),) = file_keys([_v("r", *span, 1)], long_line)
    # An edit far away on the same (long) line, or lines added above: same key.
    above = "새 줄\n\n"
    edited = above + "다" + long_line[1:]
    ((_, fp2, _),) = file_keys([_v("r", span[0] + len(above), span[1] + len(above), 3)], edited)
    assert fp2 == fp
    # An edit next to the span (the link's own text): another key.
    near = long_line.replace("x</a>", "y</a>")
    ((_, fp3, _),) = file_keys([_v("r", *span, 1)], near)
    assert fp3 != fp


def test_occurrence_index_counts_in_file_order_whatever_the_input_order():
    text = "XX\nXX\nYY"
    vs = [_v("r", 3, 5, 2), _v("r", 6, 8, 3), _v("r", 0, 2, 1)]
    keys = file_keys(vs, text)
    assert [k[2] for k in keys] == [1, 0, 0]
    assert keys[0][1] == keys[2][1] != keys[1][1]


def test_baseline_matches_as_a_multiset(tmp_path):
    p = tmp_path / "p.md"
    p.write_text("XX\nXX", encoding="utf-8")
    writer = BaselineWriter(str(tmp_path / "b.json"))
    writer.add(str(p), [_v("r", 0, 2, 1)])
    assert writer.write() == 1
    base = Baseline.load(str(tmp_path / "b.json"))
    left = base.filter(str(p), [_v("r", 0, 2, 1), _v("r", 3, 5, 2)])
    assert [v.start for v in left] == [3]
    assert base.matched() == 1 and base.stale() == 0
