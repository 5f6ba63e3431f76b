"""A check whose files did not change writes its last report again, and only then."""

from __future__ import annotations

import json
import os
from pathlib import Path

import pytest

import newslint.cache as cache_mod
import newslint.replay as replay_mod
from conftest import CORPUS, needs_shared, run_cli
from newslint.cachefiles import looks_like_cache

POST = """---
title: 부산시 예산
excerpt: 부산시가 디지털 트윈 시범구역에 선정되었습니다.
feature_text: 부산시가 디지털 트윈 시범구역에 선정되었습니다.
---

<p><img src="/a.png"></p>
"""
CLEAN = "---\ntitle: ok\n---\n\nHello.\n"


@pytest.fixture
def trust_stat(monkeypatch):
    """The posts were written just now: trust their stat all the same (see the cache's racy writes)."""
    monkeypatch.setattr(cache_mod, "RACY_NS", -10**18)


@pytest.fixture
def lookups(monkeypatch):
    """Every path the results cache is asked about."""
    asked: list[str] = []
    real = cache_mod.Cache.entries

    def entries(self, paths, **kw):
        asked.extend(paths)
        return real(self, paths, **kw)

    monkeypatch.setattr(cache_mod.Cache, "entries", entries)
    return asked


def posts(folder: Path) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "dup.md").write_text(POST, encoding="utf-8")
    (folder / "clean.md").write_text(CLEAN, encoding="utf-8")
    return folder


def check(tmp_path: Path, *args: str):
    return run_cli(["check", "--cache-dir", str(tmp_path / "cache"), *args], cwd=tmp_path)


def reports(tmp_path: Path) -> list[str]:
    return sorted(n for n in os.listdir(tmp_path / "cache") if n.endswith(".report"))


def test_an_unchanged_run_writes_the_same_report_without_asking_the_cache(tmp_path, trust_stat, lookups):
    posts(tmp_path / "posts")
    first = check(tmp_path, "posts")
    assert first.returncode == 1 and "excerpt-duplicates-feature-text" in first.stdout
    assert len(reports(tmp_path)) == 1
    lookups.clear()
    again = check(tmp_path, "posts")
    assert (again.returncode, again.stdout, again.stderr) == (first.returncode, first.stdout, first.stderr)
    assert lookups == []


def test_a_clean_run_replays_its_exit_code(tmp_path, trust_stat, lookups):
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "clean.md").write_text(CLEAN, encoding="utf-8")
    first = check(tmp_path, "posts")
    lookups.clear()
    again = check(tmp_path, "posts")
    assert first.returncode == again.returncode == 0 and again.stdout == first.stdout and lookups == []


def test_an_edited_post_is_linted_again(tmp_path, trust_stat, lookups):
    folder = posts(tmp_path / "posts")
    check(tmp_path, "posts")
    (folder / "clean.md").write_text(CLEAN + '\n<a href="https://x.com" target="_blank">x</a>\n', encoding="utf-8")
    lookups.clear()
    after = check(tmp_path, "posts")
    assert "link-target-blank-unsafe" in after.stdout and lookups
    assert after.stdout == run_cli(["check", "--no-cache", "posts"], cwd=tmp_path).stdout


def test_a_touched_post_is_looked_up_and_gives_the_same_report(tmp_path, trust_stat, lookups):
    folder = posts(tmp_path / "posts")
    first = check(tmp_path, "posts")
    st = os.stat(folder / "dup.md")
    os.utime(folder / "dup.md", ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000_000))
    lookups.clear()
    again = check(tmp_path, "posts")
    assert again.stdout == first.stdout and lookups


def test_a_new_or_removed_post_changes_the_report(tmp_path, trust_stat):
    folder = posts(tmp_path / "posts")
    check(tmp_path, "posts")
    (folder / "more.md").write_text(POST, encoding="utf-8")
    added = check(tmp_path, "posts")
    assert "more.md" in added.stdout
    (folder / "more.md").unlink()
    (folder / "dup.md").unlink()
    removed = check(tmp_path, "posts")
    assert removed.returncode == 0 and "dup.md" not in removed.stdout and "more.md" not in removed.stdout


def test_each_set_of_report_options_keeps_its_own_report(tmp_path, trust_stat, lookups):
    posts(tmp_path / "posts")
    variants = [(), ("--format", "json"), ("--statistics",), ("--exit-zero",), ("--lang", "ko"),
                ("--fail-level", "error")]
    fresh = {v: run_cli(["check", "--no-cache", *v, "posts"], cwd=tmp_path) for v in variants}
    for v in variants:
        check(tmp_path, *v, "posts")
    assert len(reports(tmp_path)) == len(variants)
    lookups.clear()
    for v in variants:
        got = check(tmp_path, *v, "posts")
        assert (got.returncode, got.stdout) == (fresh[v].returncode, fresh[v].stdout), v
    assert lookups == []
    assert json.loads(check(tmp_path, "--format", "json", "posts").stdout)


def test_the_output_file_is_written_again(tmp_path, trust_stat, lookups):
    posts(tmp_path / "posts")
    check(tmp_path, "-o", "out/report.txt", "posts")
    first = (tmp_path / "out" / "report.txt").read_text(encoding="utf-8")
    (tmp_path / "out" / "report.txt").unlink()
    lookups.clear()
    again = check(tmp_path, "-o", "out/report.txt", "posts")
    assert again.stdout == "" and lookups == []
    assert (tmp_path / "out" / "report.txt").read_text(encoding="utf-8") == first


def test_files_written_just_before_the_run_are_not_trusted(tmp_path, lookups):
    # Without trust_stat: a write in the same clock tick as the run's read
    # could hide behind an unchanged stat, so no report is kept.
    posts(tmp_path / "posts")
    check(tmp_path, "posts")
    assert reports(tmp_path) == []
    lookups.clear()
    check(tmp_path, "posts")
    assert lookups


def test_a_report_over_the_size_cap_is_not_kept(tmp_path, trust_stat, monkeypatch):
    monkeypatch.setattr(replay_mod, "MAX_BYTES", 100)
    posts(tmp_path / "posts")
    assert check(tmp_path, "posts").returncode == 1
    assert reports(tmp_path) == []


@pytest.mark.parametrize("flags", [("--fix",), ("--diff",), ("--no-cache",)])
def test_runs_that_fix_diff_or_skip_the_cache_keep_no_report(tmp_path, trust_stat, flags):
    posts(tmp_path / "posts")
    check(tmp_path, *flags, "posts")
    assert not (tmp_path / "cache").exists() or reports(tmp_path) == []


def test_a_damaged_report_is_ignored(tmp_path, trust_stat):
    posts(tmp_path / "posts")
    first = check(tmp_path, "posts")
    [name] = reports(tmp_path)
    (tmp_path / "cache" / name).write_bytes(b"not a report\n\xff")
    again = check(tmp_path, "posts")
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout)


def test_the_newest_reports_are_kept(tmp_path, trust_stat, monkeypatch):
    monkeypatch.setattr(replay_mod, "KEEP", 2)
    posts(tmp_path / "posts")
    for fmt in ("text", "json", "github"):
        check(tmp_path, "--format", fmt, "posts")
    assert len(reports(tmp_path)) == 2


def test_clean_knows_a_cache_folder_with_reports(tmp_path, trust_stat):
    posts(tmp_path / "posts")
    check(tmp_path, "posts")
    assert reports(tmp_path) and looks_like_cache(tmp_path / "cache")
    assert run_cli(["clean", "--cache-dir", str(tmp_path / "cache")], cwd=tmp_path).returncode == 0
    assert not (tmp_path / "cache").exists()


def jekyll_site(root: Path) -> Path:
    (root / "_posts").mkdir(parents=True)
    (root / "assets").mkdir()
    (root / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (root / "assets" / "a.png").write_bytes(b"")
    (root / "_posts" / "2024-01-02-a.md").write_text(
        "---\ntitle: a\n---\n\n![photo of the harbour](/assets/a.png)\n", encoding="utf-8")
    return root


def test_a_site_run_notices_a_file_that_is_not_a_post(tmp_path, trust_stat, lookups):
    site = jekyll_site(tmp_path / "site")
    first = check(tmp_path, "site")
    assert "image-missing" not in first.stdout
    lookups.clear()
    assert check(tmp_path, "site").stdout == first.stdout and lookups == []
    (site / "assets" / "a.png").unlink()  # no post changed; the site did
    after = check(tmp_path, "site")
    assert "image-missing" in after.stdout and after.returncode == 1


@needs_shared
def test_real_posts_linted_by_the_pool_are_replayed_as_written(tmp_path, lookups):
    # Files of the corpus are not fresh: no trust_stat. The cold run's stats
    # come from the workers that read the files.
    folder = str(CORPUS / "ko-tistory")
    cold = check(tmp_path, "-j", "2", folder)
    assert reports(tmp_path), "the cold run keeps its report"
    lookups.clear()
    warm = check(tmp_path, "-j", "2", folder)
    assert (warm.returncode, warm.stdout) == (cold.returncode, cold.stdout) and lookups == []
    assert warm.stdout == run_cli(["check", "--no-cache", folder], cwd=tmp_path).stdout


def test_a_finding_that_depends_on_the_clock_is_never_replayed(tmp_path, trust_stat, lookups):
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2999-01-02-later.md").write_text("---\ntitle: later\n---\n\nSoon.\n", encoding="utf-8")
    first = check(tmp_path, "_posts")
    assert "post-date-future" in first.stdout
    assert reports(tmp_path) == []  # true today, perhaps not tomorrow
    lookups.clear()
    again = check(tmp_path, "_posts")
    assert again.stdout == first.stdout and lookups


def test_a_report_is_read_back_a_piece_at_a_time(tmp_path, trust_stat, lookups, monkeypatch):
    # Pieces of 7 bytes split the Korean text's 3-byte characters.
    monkeypatch.setattr(replay_mod, "CHUNK", 7)
    posts(tmp_path / "posts")
    first = check(tmp_path, "--lang", "ko", "posts")
    assert any(ord(c) > 0x1000 for c in first.stdout)
    lookups.clear()
    again = check(tmp_path, "--lang", "ko", "posts")
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout) and lookups == []


def test_a_kept_report_that_does_not_decode_is_not_written_at_all(tmp_path, trust_stat, lookups, monkeypatch):
    monkeypatch.setattr(replay_mod, "CHUNK", 7)
    posts(tmp_path / "posts")
    first = check(tmp_path, "posts")
    [name] = reports(tmp_path)
    path = tmp_path / "cache" / name
    data = path.read_bytes()
    path.write_bytes(b"\xff" + data[1:])  # same length, same trailer, a broken first byte
    lookups.clear()
    again = check(tmp_path, "posts")
    assert (again.returncode, again.stdout) == (first.returncode, first.stdout) and lookups
