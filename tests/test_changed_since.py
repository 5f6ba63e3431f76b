"""--changed-since REF: only the files git says changed, uncommitted ones included."""

from __future__ import annotations

import json
import os
import subprocess
from pathlib import Path

import pytest

from conftest import Result, run_cli
from newslint.gitfiles import GitError, changed_files

BAD = '---\ntitle: 글\n---\n\n<a href="https://example.kr/{n}" rel="dofollow">링크 {n}</a>\n'
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.kr", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.kr", "GIT_CONFIG_NOSYSTEM": "1", "HOME": "/nonexistent"}


def git(repo: Path, *args: str) -> str:
    env = {**os.environ, **GIT_ENV}
    return subprocess.run(["git", *args], cwd=repo, env=env, check=True, capture_output=True, text=True).stdout


def run(command: str, *args: str, cwd: Path) -> Result:
    # A handful of posts: one job (the worker pool has tests of its own).
    return run_cli([command, "-j", "1", *args], cwd=cwd)


def paths(proc: Result) -> list[str]:
    return sorted({os.path.normpath(f["path"]) for f in json.loads(proc.stdout)})


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    r = tmp_path / "site"
    (r / "posts").mkdir(parents=True)
    for name in ("a.md", "b.md", "c.md", "d.md", "부산 소식.md"):
        (r / "posts" / name).write_text(BAD.format(n=name), encoding="utf-8")
    (r / ".gitignore").write_text("ignored/\n", encoding="utf-8")
    git(r, "init", "-q", "-b", "main")
    git(r, "add", "-A")
    git(r, "commit", "-q", "-m", "posts")
    return r


def test_changed_since_head_lints_modified_staged_untracked_not_ignored_nor_deleted(repo):
    posts = repo / "posts"
    (posts / "a.md").write_text(BAD.format(n="a2"), encoding="utf-8")  # modified, unstaged
    (posts / "b.md").write_text(BAD.format(n="b2"), encoding="utf-8")
    git(repo, "add", "posts/b.md")  # modified, staged
    (posts / "new.md").write_text(BAD.format(n="new"), encoding="utf-8")  # untracked
    (posts / "부산 소식.md").write_text(BAD.format(n="부산"), encoding="utf-8")  # Hangul and a space
    (repo / "ignored").mkdir()
    (repo / "ignored" / "x.md").write_text(BAD.format(n="x"), encoding="utf-8")  # ignored by .gitignore
    (posts / "d.md").unlink()  # deleted: nothing to lint
    proc = run("check", "--no-cache", "--format", "json", "--changed-since", "HEAD", ".", cwd=repo)
    assert proc.returncode == 1, proc.stderr
    assert paths(proc) == ["posts/a.md", "posts/b.md", "posts/new.md", "posts/부산 소식.md"]


def test_changed_since_an_older_commit_includes_committed_changes(repo):
    first = git(repo, "rev-parse", "HEAD").strip()
    (repo / "posts" / "c.md").write_text(BAD.format(n="c2"), encoding="utf-8")
    git(repo, "commit", "-q", "-am", "edit c")
    assert run("check", "--no-cache", "--changed-since", "HEAD", ".", cwd=repo).returncode == 0
    proc = run("check", "--no-cache", "--format", "json", "--changed-since", first, ".", cwd=repo)
    assert paths(proc) == ["posts/c.md"]


def test_nothing_changed_is_a_clean_run(repo):
    proc = run("check", "--no-cache", "--changed-since", "HEAD", "posts", cwd=repo)
    assert proc.returncode == 0 and "0 files checked, no findings" in proc.stdout


def test_given_paths_and_config_still_apply(repo):
    (repo / "posts" / "a.md").write_text(BAD.format(n="a2"), encoding="utf-8")
    (repo / "notes").mkdir()
    (repo / "notes" / "n.md").write_text(BAD.format(n="n"), encoding="utf-8")
    proc = run("check", "--no-cache", "--format", "json", "--changed-since", "HEAD", "notes", cwd=repo)
    assert paths(proc) == ["notes/n.md"]
    (repo / "newslint.toml").write_text('exclude = ["notes/"]\n', encoding="utf-8")
    proc = run("check", "--no-cache", "--format", "json", "--changed-since", "HEAD", ".", cwd=repo)
    assert paths(proc) == ["posts/a.md"]


def test_outside_a_git_repository_exit_2_and_say_why(tmp_path):
    folder = tmp_path / "plain"
    folder.mkdir()
    (folder / "a.md").write_text(BAD.format(n="a"), encoding="utf-8")
    env = {**os.environ, "GIT_CEILING_DIRECTORIES": str(tmp_path)}
    proc = run_cli(["check", "-j", "1", "--changed-since", "HEAD", "."], cwd=folder, env=env)
    assert proc.returncode == 2
    assert "--changed-since:" in proc.stderr and "is not inside a git repository" in proc.stderr
    assert str(folder) in proc.stderr and "Traceback" not in proc.stderr


def test_an_unknown_ref_is_exit_2_naming_it(repo):
    proc = run("check", "--changed-since", "no-such-branch", ".", cwd=repo)
    assert proc.returncode == 2 and "Traceback" not in proc.stderr
    assert "'no-such-branch' is not a commit git knows" in proc.stderr
    proc = run("check", "--changed-since", "--oops", ".", cwd=repo)
    assert proc.returncode == 2


def test_without_git_on_path_exit_2(repo, monkeypatch):
    monkeypatch.setenv("PATH", str(repo / "no-bin"))
    with pytest.raises(GitError, match="needs git, and git is not installed"):
        changed_files("HEAD", (str(repo),))


def test_changed_since_with_fix_fixes_only_changed_files(repo):
    safe = '---\ntitle: 글\n---\n\n<a href="https://example.kr" target="_blank">새 창</a>\n'
    (repo / "posts" / "a.md").write_text(safe, encoding="utf-8")
    git(repo, "commit", "-q", "-am", "a has a safe fix")
    (repo / "posts" / "b.md").write_text(safe, encoding="utf-8")
    proc = run("check", "--no-cache", "--fix", "--changed-since", "HEAD", ".", cwd=repo)
    assert 'rel="noopener"' in (repo / "posts" / "b.md").read_text(encoding="utf-8"), proc.stdout + proc.stderr
    assert (repo / "posts" / "a.md").read_text(encoding="utf-8") == safe
    assert "1 file checked" in proc.stdout
