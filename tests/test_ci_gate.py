"""Issue 5's "done means", end to end on a small git repository of posts we wrote:
the CI formats agree with JSON one for one; a baseline hides today's findings and
still catches one new finding after lines move; --changed-since HEAD lints only
the edited files. (The pre-commit part is tests/test_precommit.py.)"""

from __future__ import annotations

import json
import os
import re
import subprocess
import xml.etree.ElementTree as ET
from pathlib import Path

import pytest

from conftest import Result, run_cli

GIT_ENV = {"GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.kr", "GIT_COMMITTER_NAME": "t",
           "GIT_COMMITTER_EMAIL": "t@example.kr", "GIT_CONFIG_NOSYSTEM": "1"}

POSTS = {
    "_posts/2024-03-02-haeundae.md": """---
title: 해운대 모래축제 후기
date: 2024-03-02
---

<p data-ke-size="size16">해운대 모래축제에 다녀왔습니다.</p>

<p data-ke-size="size16">&nbsp;</p>

<img src="/img/sand.jpg">

자세한 일정은 <a href="https://example.kr/sand" rel="dofollow">축제 누리집</a>에서 보세요.
""",
    "_posts/2024-03-09-library.md": """---
title: 도서관 특강 안내
---

특강 신청은 <a href="https://example.kr/apply" target="_blank">신청 페이지</a>에서 합니다.

<table>
  <tr><td>강좌</td><td>일시</td></tr>
  <tr><td>코딩 교실</td><td>7월 22일</td></tr>
</table>
""",
    "_posts/2024-03-16-market.md": """---
title: 구포시장 장날
---

구포시장은 3일과 8일에 장이 섭니다. ![](/img/market.jpg)
""",
    "_posts/2024-03-23-quiet.md": """---
title: 조용한 글
---

아무 문제 없는 본문입니다.
""",
    "about.html": """<p>소개 페이지입니다. <a href="https://example.kr" target=_blank>블로그</a></p>
""",
}
LEVELS = {"error": "error", "warning": "warning", "info": "note"}
COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def git(repo: Path, *args: str) -> None:
    subprocess.run(["git", *args], cwd=repo, env={**os.environ, **GIT_ENV}, check=True, capture_output=True)


def newslint(repo: Path, *args: str) -> Result:
    # Five posts: one job (the worker pool has tests of its own).
    return run_cli(["check", "-j", "1", "--no-cache", *args, "."], cwd=repo)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    repo = tmp_path / "blog"
    for rel, text in POSTS.items():
        (repo / rel).parent.mkdir(parents=True, exist_ok=True)
        (repo / rel).write_text(text, encoding="utf-8")
    git(repo, "init", "-q", "-b", "main")
    git(repo, "add", "-A")
    git(repo, "commit", "-q", "-m", "posts")
    return repo


def key(path: str, line: int, col: int, end_line: int, end_col: int, rule: str, severity: str, message: str):
    return (os.path.normpath(path), line, col, end_line, end_col, rule, severity, message)


def from_json(repo: Path, *args: str) -> list[tuple]:
    proc = newslint(repo, "--format", "json", *args)
    assert proc.returncode in (0, 1), proc.stderr
    return [key(f["path"], f["line"], f["column"], f["end_line"], f["end_column"], f["rule"], f["severity"],
                f["message"]) for f in json.loads(proc.stdout)]


def from_sarif(repo: Path, *args: str) -> list[tuple]:
    log = json.loads(newslint(repo, "--format", "sarif", *args).stdout)
    (run,) = log["runs"]
    level_to_sev = {v: k for k, v in LEVELS.items()}
    out = []
    for r in run["results"]:
        loc = r["locations"][0]["physicalLocation"]
        reg = loc["region"]
        assert loc["artifactLocation"]["uriBaseId"] == "%SRCROOT%"
        assert run["tool"]["driver"]["rules"][r["ruleIndex"]]["id"] == r["ruleId"]
        out.append(key(loc["artifactLocation"]["uri"], reg["startLine"], reg["startColumn"], reg["endLine"],
                       reg["endColumn"], r["ruleId"], level_to_sev[r["level"]], r["message"]["text"]))
    return out


GITHUB = re.compile(r"^::(error|warning|notice) file=([^,]*),line=(\d+),col=(\d+),endLine=(\d+),endColumn=(\d+),"
                    r"title=([^:]*)::(.*) \((NL\d+)\)$")


def from_github(repo: Path, *args: str) -> list[tuple]:
    out = []
    cmd_to_sev = {v: k for k, v in COMMANDS.items()}
    for line in newslint(repo, "--format", "github", *args).stdout.splitlines():
        m = GITHUB.match(line)
        assert m, line
        cmd, path, l0, c0, l1, c1, rule, message, _code = m.groups()
        out.append(key(path, int(l0), int(c0), int(l1), int(c1), rule, cmd_to_sev[cmd], message))
    return out


def from_junit(repo: Path, *args: str) -> list[tuple]:
    """JUnit has no end position nor severity: (path, line, column, rule, message)."""
    root = ET.fromstring(newslint(repo, "--format", "junit", *args).stdout)
    out = []
    for case in root.iter("testcase"):
        for f in case.findall("failure"):
            m = re.match(r"^(.*):(\d+):(\d+): (\S+) \((NL\d+)\) (.*)$", f.text, re.S)
            assert m and m.group(1) == case.get("file") and m.group(4) == f.get("type"), f.text
            out.append((os.path.normpath(m.group(1)), int(m.group(2)), int(m.group(3)), m.group(4), m.group(6)))
    return out


def short(keys: list[tuple]) -> list[tuple]:
    return [(k[0], k[1], k[2], k[5], k[7]) for k in keys]


def test_done_means(repo):
    # 1. SARIF, GitHub and JUnit agree with JSON one for one.
    found = from_json(repo)
    assert len(found) >= 8 and len({k[5] for k in found}) >= 5
    assert {k[0] for k in found} == {"_posts/2024-03-02-haeundae.md", "_posts/2024-03-09-library.md",
                                     "_posts/2024-03-16-market.md", "about.html"}
    assert from_sarif(repo) == found
    assert from_github(repo) == found
    assert from_junit(repo) == short(found)

    # 2. After --write-baseline, --baseline exits 0 (and every format is empty).
    proc = newslint(repo, "--write-baseline", "newslint-baseline.json")
    assert proc.returncode == 0, proc.stderr
    assert f"wrote {len(found)} baseline entries" in proc.stderr
    git(repo, "add", "newslint-baseline.json")
    git(repo, "commit", "-q", "-m", "baseline")
    base = ("--baseline", "newslint-baseline.json")
    proc = newslint(repo, *base)
    assert proc.returncode == 0, proc.stdout
    assert f"{len(found)} known findings hidden, 0 entries no longer match" in proc.stdout
    assert from_json(repo, *base) == from_sarif(repo, *base) == from_github(repo, *base) == []

    # 3. Three blank lines above the old findings of one post, one new bad link in another.
    haeundae = repo / "_posts/2024-03-02-haeundae.md"
    haeundae.write_text(haeundae.read_text(encoding="utf-8").replace("---\n\n", "---\n\n\n\n\n", 1), encoding="utf-8")
    moved = from_json(repo)
    assert [k[1] for k in moved if k[0] == str(Path(haeundae.relative_to(repo)))] == [
        k[1] + 3 for k in found if k[0] == str(Path(haeundae.relative_to(repo)))]
    market = repo / "_posts/2024-03-16-market.md"
    market.write_text(market.read_text(encoding="utf-8")
                      + '\n장보기 지도: <a href="https://example.kr/map" rel="dofolow">지도</a>\n', encoding="utf-8")
    new = from_json(repo, *base)
    assert len(new) == 1
    assert new[0][:2] == ("_posts/2024-03-16-market.md", 7) and new[0][5] == "link-rel-invalid"
    assert from_sarif(repo, *base) == from_github(repo, *base) == new
    assert from_junit(repo, *base) == short(new)
    proc = newslint(repo, *base)
    assert proc.returncode == 1
    assert f"{len(found)} known findings hidden, 0 entries no longer match" in proc.stdout

    # 4. --changed-since HEAD reports only the edited files.
    since = from_json(repo, "--changed-since", "HEAD")
    assert {k[0] for k in since} == {"_posts/2024-03-02-haeundae.md", "_posts/2024-03-16-market.md"}
    assert from_json(repo, "--changed-since", "HEAD", *base) == new
    git(repo, "commit", "-q", "-am", "edits")
    library = repo / "_posts/2024-03-09-library.md"
    library.write_text(library.read_text(encoding="utf-8") + "\n수정: 장소가 바뀌었습니다.\n", encoding="utf-8")
    since = from_json(repo, "--changed-since", "HEAD")
    assert since and {k[0] for k in since} == {"_posts/2024-03-09-library.md"}
    assert since == [k for k in from_json(repo) if k[0] == "_posts/2024-03-09-library.md"]
