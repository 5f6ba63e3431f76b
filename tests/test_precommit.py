"""The pre-commit hooks, run for real with `pre-commit try-repo`.

try-repo installs a repository's hooks from its git history, so the test copies
the working tree (tracked and untracked files, .gitignore respected) into a
temporary git repository and commits it there: the hooks under test are the
ones in this tree, uncommitted edits included. pre-commit builds the hook's
virtualenv once per test session (PRE_COMMIT_HOME in a temporary folder) with
pip as configured on the machine.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.kr", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.kr", "GIT_CONFIG_NOSYSTEM": "1"}

DOFOLLOW = """---
title: 광안리 드론쇼
---

광안리 드론쇼 <a href="https://example.kr/drone" rel="dofollow">예매 안내</a>를 확인하세요.
"""
CLEAN = """---
title: 조용한 글
---

아무 문제 없는 본문입니다.
"""
# Only safe fixes: a target=_blank link without noopener.
SAFE_FIXABLE = """---
title: 새 창 링크
---

<a href="https://example.kr/new" target="_blank">새 창</a>
"""


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, check=True, capture_output=True)


def test_hooks_file_declares_both_hooks():
    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    assert set(hooks) == {"newslint", "newslint-fix"}
    # --force-exclude: pre-commit names every file, and `exclude` must still hold.
    assert hooks["newslint"]["entry"] == "newslint check --force-exclude"
    assert hooks["newslint-fix"]["entry"] == "newslint check --fix --force-exclude"
    for h in hooks.values():
        assert h["language"] == "python"
        assert h["types_or"] == ["markdown", "html"]
        assert h["require_serial"] is True
        assert "--unsafe-fixes" not in h["entry"]


@pytest.fixture(scope="session")
def hook_repo(tmp_path_factory) -> Path:
    """A git repository holding a copy of this working tree, committed."""
    clone = tmp_path_factory.mktemp("newslint-repo")
    listed = subprocess.run(["git", "ls-files", "-z", "--cached", "--others", "--exclude-standard"], cwd=ROOT,
                            check=True, capture_output=True).stdout.decode("utf-8", "surrogateescape")
    for name in filter(None, listed.split("\0")):
        src = ROOT / name
        if not src.is_file():  # deleted in the working tree
            continue
        dst = clone / name
        dst.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy2(src, dst)
    git(clone, "init", "-q", "-b", "main")
    git(clone, "add", "-A")
    git(clone, "commit", "-q", "-m", "newslint working tree")
    return clone


@pytest.fixture(scope="session")
def pre_commit_home(tmp_path_factory) -> Path:
    return tmp_path_factory.mktemp("pre-commit-home")


@pytest.fixture
def site(tmp_path: Path) -> Path:
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    git(site, "init", "-q", "-b", "main")
    return site


def try_repo(site: Path, hook_repo: Path, home: Path, hook: str, *files: str) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PRE_COMMIT_COLOR")}
    env.update(GIT_ENV, PRE_COMMIT_HOME=str(home))
    git(site, "add", "-A")
    return subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(hook_repo), hook, "--color", "never",
                           "--files", *files], cwd=site, env=env, capture_output=True, text=True, encoding="utf-8",
                          timeout=900)


@pytest.mark.external
def test_pre_commit_hook_fails_on_a_dofollow_link_and_shows_the_finding(site, hook_repo, pre_commit_home):
    (site / "_posts" / "2024-05-01-drone.md").write_text(DOFOLLOW, encoding="utf-8")
    (site / "_posts" / "2024-05-02-quiet.md").write_text(CLEAN, encoding="utf-8")
    proc = try_repo(site, hook_repo, pre_commit_home, "newslint",
                    "_posts/2024-05-01-drone.md", "_posts/2024-05-02-quiet.md")
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    assert "newslint" in out and "Failed" in out
    assert "_posts/2024-05-01-drone.md:5:44: warning link-rel-invalid" in out
    assert "dofollow" in out
    assert "2024-05-02-quiet.md:" not in out
    # The clean post alone passes.
    proc = try_repo(site, hook_repo, pre_commit_home, "newslint", "_posts/2024-05-02-quiet.md")
    assert proc.returncode == 0, proc.stdout + proc.stderr
    assert "Passed" in proc.stdout


@pytest.mark.external
def test_fix_hook_applies_safe_fixes_only(site, hook_repo, pre_commit_home):
    drone = site / "_posts" / "2024-05-01-drone.md"
    newtab = site / "_posts" / "2024-05-03-newtab.md"
    drone.write_text(DOFOLLOW, encoding="utf-8")
    newtab.write_text(SAFE_FIXABLE, encoding="utf-8")
    proc = try_repo(site, hook_repo, pre_commit_home, "newslint-fix", str(drone.relative_to(site)),
                    str(newtab.relative_to(site)))
    out = proc.stdout + proc.stderr
    assert proc.returncode == 1, out
    # The safe fix is applied; the unsafe one (dropping rel="dofollow") is not, with a hint.
    assert newtab.read_text(encoding="utf-8") == SAFE_FIXABLE.replace('target="_blank">', 'target="_blank" rel="noopener">')
    assert drone.read_text(encoding="utf-8") == DOFOLLOW
    assert "link-rel-invalid" in out and "--unsafe-fixes" in out


def test_readme_shows_the_pre_commit_snippet_and_the_actions_two_workflows():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## In CI and pre-commit", 1)[1].split("\n## ", 1)[0]
    blocks = [yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", section, re.S)]
    hooks_file = {h["id"] for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))}
    (config,) = [b for b in blocks if "repos" in b]
    assert {h["id"] for h in config["repos"][0]["hooks"]} == hooks_file
    # Two workflows through the repository's action: annotations, and SARIF for code scanning.
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    workflows = [b for b in blocks if "jobs" in b]
    assert len(workflows) == 2
    uses = []
    for workflow in workflows:
        (step,) = [s for s in workflow["jobs"]["newslint"]["steps"] if s.get("uses", "").startswith("newslint/")]
        assert set(step.get("with", {})) <= set(action["inputs"])
        uses.append(step.get("with", {}))
    annotations, sarif = uses
    assert str(annotations.get("sarif", "false")).lower() == "false"
    assert sarif["sarif"] is True
    assert workflows[1]["jobs"]["newslint"]["permissions"]["security-events"] == "write"


@pytest.mark.external
def test_readme_pre_commit_setup_runs_green_with_a_baseline(site, hook_repo, pre_commit_home):
    """The README's setup, as written: newslint-fix, then newslint with a
    baseline. Old findings are in the baseline, safe fixes are applied, a
    draft the config excludes is left alone although pre-commit names it."""
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    section = readme.split("## In CI and pre-commit", 1)[1].split("\n## ", 1)[0]
    config = next(yaml.safe_load(b) for b in re.findall(r"```yaml\n(.*?)```", section, re.S) if "repos" in b)
    sha = subprocess.run(["git", "rev-parse", "HEAD"], cwd=hook_repo, check=True, capture_output=True,
                         text=True).stdout.strip()
    config["repos"][0].update(repo=str(hook_repo), rev=sha)
    (site / ".pre-commit-config.yaml").write_text(yaml.safe_dump(config), encoding="utf-8")
    (site / "newslint.toml").write_text('exclude = ["_drafts"]\n', encoding="utf-8")
    old = site / "_posts" / "2024-05-01-drone.md"
    old.write_text(DOFOLLOW, encoding="utf-8")
    (site / "_drafts").mkdir()
    (site / "_drafts" / "wip.md").write_text(DOFOLLOW, encoding="utf-8")
    baseline = subprocess.run([sys.executable, "-m", "newslint", "check", "--write-baseline",
                               "newslint-baseline.json", "_posts"], cwd=site, capture_output=True, text=True)
    assert baseline.returncode == 0, baseline.stderr
    newtab = site / "_posts" / "2024-05-03-newtab.md"
    newtab.write_text(SAFE_FIXABLE, encoding="utf-8")
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "PRE_COMMIT_COLOR")}
    env.update(GIT_ENV, PRE_COMMIT_HOME=str(pre_commit_home))
    git(site, "add", "-A")

    def run() -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, "-m", "pre_commit", "run", "--all-files", "--color", "never"],
                              cwd=site, env=env, capture_output=True, text=True, encoding="utf-8", timeout=900)

    first = run()
    out = first.stdout + first.stderr
    # The fix hook changed a file: pre-commit fails this run, as it always does then.
    assert first.returncode == 1 and "files were modified by this hook" in out, out
    assert 'rel="noopener"' in newtab.read_text(encoding="utf-8")
    assert (site / "_drafts" / "wip.md").read_text(encoding="utf-8") == DOFOLLOW
    git(site, "add", "-A")
    second = run()
    assert second.returncode == 0, second.stdout + second.stderr
    assert "wip.md" not in second.stdout + second.stderr
