"""conftest.run_cli, the in-process CLI most CLI tests use, against `python -m newslint`."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from conftest import run_cli

POSTS = {
    "posts/a.md": '---\ntitle: 부산 소식 😀\n---\n\n<img src="/x.png">\n\n<a href="https://e.kr" rel="dofollow">링크</a>\n',
    "posts/b.md": "---\ntitle: 조용한 글\n---\n\n아무 문제 없는 본문.\n",
    "posts/c.html": "<p>front matter 없는 글 \u200b</p>\n",
}


def site(tmp_path: Path) -> Path:
    for rel, text in POSTS.items():
        (tmp_path / rel).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / rel).write_text(text, encoding="utf-8")
    return tmp_path


def test_in_process_runs_print_what_the_command_prints(tmp_path):
    root = site(tmp_path)
    for args in (["check", "--isolated", "--no-cache", "posts"],
                 ["check", "--isolated", "--no-cache", "--format", "json", "posts"],
                 ["check", "--isolated", "--no-cache", "--format", "full", "--statistics", "posts"],
                 ["check", "--isolated", "--no-cache", "--select", "no-such-rule", "posts"],
                 ["check", "--shard", "9/2", "posts"]):
        proc = subprocess.run([sys.executable, "-m", "newslint", *args], cwd=root, capture_output=True)
        got = run_cli(args, cwd=root, text=False)
        assert (got.returncode, got.stdout, got.stderr) == (proc.returncode, proc.stdout, proc.stderr), args


def test_a_run_leaves_no_trace_in_this_process(tmp_path):
    # The working folder, the environment and the standard streams are the
    # test process's own: each run sets them for itself and puts them back.
    root = site(tmp_path)
    cwd, env, streams = os.getcwd(), dict(os.environ), (sys.stdin, sys.stdout, sys.stderr)
    for jobs in ("2", "1"):
        got = run_cli(["check", "--isolated", "-j", jobs, "posts"], cwd=root, env={**env, "NO_COLOR": "1"})
        assert got.returncode == 1 and "image-alt-missing" in got.stdout
        fixed = run_cli(["check", "--isolated", "--no-cache", "-j", jobs, "--diff", "posts"], cwd=root)
        assert fixed.returncode == 1 and "+++" in fixed.stdout
    assert (os.getcwd(), dict(os.environ), (sys.stdin, sys.stdout, sys.stderr)) == (cwd, env, streams)
