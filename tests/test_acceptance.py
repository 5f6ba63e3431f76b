"""Issue 2's "done means": the reference post, the whole corpus, and the JSON shape."""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from collections import defaultdict

from conftest import CORPUS, REFERENCE, Result, needs_shared, run_cli

NEWSLINT = [sys.executable, "-m", "newslint"]


def run(*args: str) -> Result:
    return run_cli(args)


def run_process(*args: str) -> subprocess.CompletedProcess:
    """`python -m newslint ARGS` in its own process: what a user or CI runs."""
    return subprocess.run([*NEWSLINT, *args], capture_output=True, text=True, encoding="utf-8")


@needs_shared
def test_reference_post_findings_each_at_its_own_line():
    proc = run("check", "--format", "json", str(REFERENCE))
    assert proc.returncode == 1, proc.stderr
    found = json.loads(proc.stdout)
    lines = defaultdict(list)
    for f in found:
        lines[f["rule"]].append(f["line"])
    assert lines["excerpt-duplicates-feature-text"] == [7]
    assert lines["editor-spacer-paragraph"] == [16, 20, 24, 28, 32, 36, 40, 74]
    assert lines["editor-attributes"] == [14, 16, 20, 24, 28, 32, 36, 40, 74]
    assert lines["table-column-count"] == [57]
    assert lines["table-no-header"] == [56]
    assert lines["link-rel-invalid"] == [75]
    assert not [f for f in found if f["rule"].startswith("image-alt")]
    assert "Traceback" not in proc.stderr


def test_json_shape_is_exact(tmp_path):
    post = tmp_path / "p.md"
    post.write_text("---\ntitle: x\nexcerpt: 같은 문장입니다.\nfeature_text: 같은 문장입니다.\n---\n\n본문\n", encoding="utf-8")
    proc = run("check", "--format", "json", str(post))
    assert proc.returncode == 1
    (f,) = [f for f in json.loads(proc.stdout) if f["rule"] == "excerpt-duplicates-feature-text"]
    assert list(f) == ["path", "line", "column", "end_line", "end_column", "rule", "code",
                       "severity", "message", "fix"]
    assert (f["line"], f["column"], f["end_line"], f["end_column"]) == (4, 1, 4, 13)
    assert f["code"] == "NL106" and f["severity"] == "warning"
    assert f["fix"]["applicability"] == "unsafe"
    assert f["fix"]["edits"] == [{"start_line": 4, "start_column": 1, "end_line": 5,
                                  "end_column": 1, "content": ""}]


def test_exit_codes(tmp_path):
    # Through a real process: the status the shell sees, not only what run() returns.
    clean = tmp_path / "clean.md"
    clean.write_text("---\ntitle: Clean post\n---\n\nNothing wrong here.\n", encoding="utf-8")
    assert run_process("check", str(clean)).returncode == 0
    bad = tmp_path / "bad.md"
    bad.write_text("no front matter\n", encoding="utf-8")
    assert run_process("check", str(bad)).returncode == 1
    missing = run_process("check", str(tmp_path / "nope.md"))
    assert missing.returncode == 2 and "nope.md" in missing.stderr
    assert run_process("check", "--no-such-flag", str(clean)).returncode == 2


def test_the_command_exits_without_freeing_its_heap_but_as_an_exit_would(tmp_path):
    """`newslint` leaves without tearing its objects down, yet what a normal
    exit does still happens: every line is written through a pipe (more than
    a pipe holds), threads still running are waited for, atexit functions
    run, and the status is the run's."""
    for i in range(400):
        (tmp_path / f"p{i:03}.md").write_text("no front matter\n", encoding="utf-8")
    done = tmp_path / "thread-done"
    script = (
        "import atexit, sys, threading, time\n"
        "atexit.register(lambda: sys.stdout.write('atexit ran\\n'))\n"  # written, never flushed by itself
        f"threading.Thread(target=lambda: (time.sleep(0.3), open({str(done)!r}, 'w').close())).start()\n"
        f"sys.argv = ['newslint', 'check', '--no-cache', '-j', '1', {str(tmp_path)!r}]\n"
        "from newslint.cli import entry\n"
        "entry()\n"
        "print('not reached', file=sys.stderr)\n")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONUNBUFFERED"}  # buffered, as a pipe is by default
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, encoding="utf-8", env=env)
    assert proc.returncode == 1, proc.stderr
    lines = proc.stdout.splitlines()
    assert sum("front-matter-missing" in line for line in lines) == 400
    assert lines[-2].startswith("400 files checked") and lines[-1] == "atexit ran"
    assert "not reached" not in proc.stderr
    assert done.exists()


@needs_shared
def test_ctrl_c_stops_the_run_and_its_workers_without_a_traceback():
    # A real process and a real SIGINT: what a user gets from Ctrl+C mid-run.
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}  # the first finding shows the run is under way
    proc = subprocess.Popen([*NEWSLINT, "check", "--isolated", "--no-cache", "-j", "2", str(CORPUS)],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env=env, start_new_session=True)
    try:
        assert proc.stdout.readline()
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
    assert proc.returncode == 130, proc.stderr  # 128 + SIGINT, never a clean or a findings result
    assert "Traceback" not in err.decode("utf-8", "replace")
    # The workers end with the run (a worker that exits after its parent is
    # reaped by init a moment later: wait for that, not for a stuck worker).
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.killpg(proc.pid, 0)
        except ProcessLookupError:
            break
        time.sleep(0.05)
    else:
        raise AssertionError("a worker outlived the interrupted run")


def test_discovery_walks_posts_and_skips_build_folders(tmp_path):
    for rel in ("a.md", "b.markdown", "c.html", "notes.txt", "_site/x.md", "node_modules/y.md",
                ".hidden/z.md", "vendor/v.md", "sub/d.md"):
        p = tmp_path / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text("no front matter\n", encoding="utf-8")
    proc = run("check", "--format", "json", str(tmp_path))
    paths = sorted({f["path"].replace(str(tmp_path) + "/", "") for f in json.loads(proc.stdout)})
    assert paths == ["a.md", "b.markdown", "c.html", "sub/d.md"]
    # A file named on the command line is always linted, whatever its suffix.
    named = run("check", "--format", "json", str(tmp_path / "notes.txt"))
    assert [f["rule"] for f in json.loads(named.stdout)] == ["front-matter-missing"]


@needs_shared
def test_whole_corpus_runs_without_traceback_or_internal_error():
    proc = run_process("check", "--format", "json", str(CORPUS))
    assert proc.returncode in (0, 1), proc.stderr[-2000:]
    assert "Traceback" not in proc.stderr
    found = json.loads(proc.stdout)
    assert not [f for f in found if f["rule"] == "internal-error"]
    by_path = defaultdict(set)
    for f in found:
        by_path[f["path"]].add(f["rule"])
    # Known problems of the corpus are reported at their lines.
    dup = [f for f in found if f["rule"] == "front-matter-duplicate-key"]
    assert {(f["path"].rsplit("/", 1)[-1], f["line"]) for f in dup} >= {
        ("2013-09-28-design-contest.md", 4), ("2013-11-21-fukuoka-ruby-award-2014.md", 4)}
    broken = [f for f in found if f["rule"] == "front-matter-syntax" and f["path"].endswith("_broken/bad_post.md")]
    assert broken and broken[0]["line"] == 3
    utf16 = [f for f in found if f["path"].endswith("Unicode16LECRLFandBOM.md")]
    assert [f["rule"] for f in utf16] == ["file-encoding"]
    # The RSS backup has no front matter: its `---` is a Markdown rule.
    rss = [p for p, rules in by_path.items() if "helloSaltedCaramel" in p]
    assert rss and all("front-matter-missing" in by_path[p] for p in rss)


def test_positions_in_a_crlf_bom_korean_file_match_the_editor(tmp_path):
    """Findings on a CRLF file with a BOM, Korean text and an emoji land where an editor shows them."""
    text = ("---\r\ntitle: 부산 소식 🎉\r\n---\r\n\r\n"
            "한글 문장 뒤에 <img src=\"a.png\"> 이미지.\r\n\r\n"
            "😀 링크: <a href=\"https://example.com\" rel=\"dofollow\">여기</a>\r\n")
    post = tmp_path / "p.md"
    post.write_bytes(b"\xef\xbb\xbf" + text.encode("utf-8"))
    proc = run("check", "--isolated", "--format", "json", str(post))
    assert proc.returncode == 1, proc.stderr
    found = {f["rule"]: f for f in json.loads(proc.stdout)}
    img = found["image-alt-missing"]
    assert (img["line"], img["column"]) == (5, 10)  # code points, BOM not counted
    assert (img["end_line"], img["end_column"]) == (5, 10 + len('<img src="a.png">'))
    rel = found["link-rel-invalid"]
    assert (rel["line"], rel["column"]) == (7, 7 + len('<a href="https://example.com" '))
    assert post.read_bytes() == b"\xef\xbb\xbf" + text.encode("utf-8")  # no --fix: untouched


def test_check_dot_reports_paths_without_a_dot_slash(tmp_path):
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "a.md").write_text("no front matter\n", encoding="utf-8")
    proc = run_cli(["check", "-j", "1", "--isolated", "--no-cache", "."], cwd=tmp_path)
    assert proc.returncode == 1
    assert proc.stdout.startswith("posts/a.md:1:1: error front-matter-missing"), proc.stdout
