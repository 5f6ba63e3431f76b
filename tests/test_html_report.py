"""``--format html``: the self-contained report page.

Fast tests read the page with ``html.parser``; the ``external`` ones load it in
a real headless Chromium (``--dump-dom``: the DOM after the page's script ran;
``--enable-logging=stderr``: the console, where script errors and anything the
Content-Security-Policy blocks show up).
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from html.parser import HTMLParser
from pathlib import Path

import pytest

from newslint.reporters import REPORTERS, Summary
from newslint.reporters.html import TITLE, line_html, text_html
from newslint.runner import CheckOptions, run_check

ROOT = Path(__file__).resolve().parent.parent
NEWSLINT = [sys.executable, "-m", "newslint"]

# A post whose text tries every way out of the data: a script in the title, an
# event handler, a style that hides the page, comments and CDATA-ish closers.
PWNED = "pwned"
HOSTILE = """---
title: "<script>document.title='pwned'</script>"
---

<a href="javascript:document.title='pwned'" target="_blank" rel="dofollow">링크</a>
<img src=x onerror="document.title='pwned'">
</style><style>body{display:none}</style> <!-- <script>document.title="pwned"</script> --> </script>
![](</script><script>document.title='pwned'</script>)
]]> <svg onload="document.title='pwned'"></svg> <iframe src="https://example.com/"></iframe>
"""

GOOD = """---
title: 조용한 글
---

아무 문제 없는 본문입니다.
"""


class Page(HTMLParser):
    """The elements of a page: (tag, attrs) in order, and the text of <script>, <style>, <title>."""

    def __init__(self, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str | None]]] = []
        self.texts: dict[str, list[str]] = {"script": [], "style": [], "title": []}
        self._in: str | None = None
        self.feed(text)
        self.close()

    def handle_starttag(self, tag, attrs):
        self.elements.append((tag, dict(attrs)))
        if tag in self.texts:
            self._in = tag
            self.texts[tag].append("")

    def handle_endtag(self, tag):
        if tag == self._in:
            self._in = None

    def handle_data(self, data):
        if self._in:
            self.texts[self._in][-1] += data

    def findings(self) -> list[dict[str, str | None]]:
        return [a for t, a in self.elements if t == "article" and "finding" in (a.get("class") or "").split()]

    def tags(self, name: str) -> list[dict[str, str | None]]:
        return [a for t, a in self.elements if t == name]


def check(cwd: Path, *paths: str, fmt: str = "html") -> str:
    out, err = io.StringIO(), io.StringIO()
    old = os.getcwd()
    os.chdir(cwd)
    try:
        run_check(CheckOptions(paths=paths, format=fmt, use_cache=False, jobs=1, isolated=True, color=False,
                               progress=False), out, err)
    finally:
        os.chdir(old)
    assert "Traceback" not in err.getvalue()
    return out.getvalue()


@pytest.fixture
def hostile(tmp_path: Path) -> Path:
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "hostile.md").write_text(HOSTILE, encoding="utf-8")
    (posts / "good.md").write_text(GOOD, encoding="utf-8")
    return tmp_path


# -- without the browser --------------------------------------------------------

def test_each_finding_is_an_element_with_the_json_findings_data_in_order(hostile):
    page = Page(check(hostile, "posts"))
    found = json.loads(check(hostile, "posts", fmt="json"))
    assert len(found) >= 5
    assert [(a["data-rule"], a["data-severity"], a["data-path"], a["data-line"]) for a in page.findings()] == [
        (f["rule"], f["severity"], f["path"], str(f["line"])) for f in found]


def test_the_post_text_is_data_never_markup(hostile):
    text = check(hostile, "posts")
    page = Page(text)
    # One script and one style, both ours; nothing the post wrote became an element.
    assert len(page.tags("script")) == 1 and len(page.tags("style")) == 1
    assert not page.tags("img") and not page.tags("svg") and not page.tags("iframe")
    assert not [a for _t, attrs in page.elements for a in attrs if a.startswith("on")]
    assert PWNED not in "".join(page.texts["script"] + page.texts["style"] + page.texts["title"])
    assert "<!--" not in text and "]]>" not in text
    # ... yet the editor sees the text exactly as written.
    assert "&lt;img src=x onerror=&quot;document.title=&#x27;pwned&#x27;&quot;&gt;" in text
    assert "&lt;/style&gt;&lt;style&gt;body{display:none}&lt;/style&gt;" in text


def test_a_path_is_escaped_in_attributes_and_headings(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    name = 'a"><img src=x onerror=alert(1)>.md'
    (posts / name).write_text("---\ntitle: t\n---\n\n![](/x.png)\n", encoding="utf-8")
    text = check(tmp_path, "posts")
    page = Page(text)
    assert not page.tags("img")
    assert [a["data-path"] for a in page.findings()] == [f"posts/{name}"]
    assert "posts/a&quot;&gt;&lt;img src=x onerror=alert(1)&gt;.md" in text


def test_the_csp_allows_exactly_the_page_script_and_nothing_is_loaded(hostile):
    page = Page(check(hostile, "posts"))
    csp = next(a["content"] for a in page.tags("meta") if a.get("http-equiv") == "Content-Security-Policy")
    script = page.texts["script"][0]
    digest = base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode()
    assert f"script-src 'sha256-{digest}'" in csp
    assert "default-src 'none'" in csp and "unsafe-eval" not in csp
    assert "script-src 'unsafe-inline'" not in csp
    # Only <a> points at the network (links to the rules' docs); nothing is fetched.
    for tag, attrs in page.elements:
        for key in ("src", "href", "data", "action", "poster", "srcset"):
            value = attrs.get(key)
            if value and tag != "a":
                assert value.startswith(("data:", "#")), (tag, key, value)
    assert not re.search(r"url\(|@import|@font-face", page.texts["style"][0])


def test_top_totals_by_severity_and_by_rule(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a.md").write_text("---\ntitle: t\n---\n\n![](/x.png)\n\n![](/y.png)\n\n"
                                '<a href="" rel="dofollow">x</a>\n', encoding="utf-8")
    found = json.loads(check(tmp_path, "posts", fmt="json"))
    text = check(tmp_path, "posts")
    counts: dict[str, int] = {}
    for f in found:
        counts[f["rule"]] = counts.get(f["rule"], 0) + 1
    assert counts["image-alt-missing"] == 2
    rules = text[text.index('<section class="rules">'):text.index("</section>")]
    for rule, n in counts.items():
        assert re.search(rf'>{re.escape(rule)}</a> .*?<td class="num">{n}</td>', rules)
    errors = sum(f["severity"] == "error" for f in found)
    warnings = sum(f["severity"] == "warning" for f in found)
    assert f'<div class="card error"><b>{errors}</b> error' in text
    assert f'<div class="card warning"><b>{warnings}</b> warning' in text


def test_a_finding_shows_its_source_lines_the_fix_and_the_rule_docs(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "a.md").write_text("---\ntitle: 부산\n---\n\n첫 줄\n"
                                '부산 <a href="https://x.kr/" target="_blank">기사</a> 끝\n둘째 줄\n', encoding="utf-8")
    text = check(tmp_path, "posts")
    art = text[text.index('data-rule="link-target-blank-unsafe"'):]
    art = art[:art.index("</article>")]
    # The line with the span marked, and a couple of lines around it.
    assert '<td class="ln">6</td>' in art and '<td class="ln">4</td>' in art and '<td class="ln">7</td>' in art
    assert '부산 <mark>&lt;a href=&quot;https://x.kr/&quot; target=&quot;_blank&quot;&gt;</mark>기사' in art
    # The fix: its message and the line before and after, the inserted text marked.
    assert '<span class="tag safe">safe fix</span>' in art
    assert 'class="del"' in art and 'class="ins"' in art
    assert '<mark> rel=&quot;noopener&quot;</mark>' in art
    # The docs: a link, the summary and the "Why is this bad?" paragraph.
    assert 'href="https://github.com/newslint/newslint/blob/main/docs/rules/link-target-blank-unsafe.md"' in art
    assert "A link opening a new tab without" in art and "Current browsers" in art


def test_everything_is_visible_without_scripts(hostile):
    page = Page(check(hostile, "posts"))
    hidden = [(t, a.get("id")) for t, a in page.elements if "hidden" in a]
    assert hidden == [("form", "filters")]  # the filters need the script; shown by it
    assert "display: none" not in page.texts["style"][0].split("@media print")[0].replace(
        ".filters[hidden] { display: none; }", "")


def test_a_clean_run_and_the_list_api():
    text = REPORTERS["html"]([], Summary(files=3))
    page = Page(text)
    assert page.texts["title"] == [TITLE]
    assert page.findings() == []
    assert "No findings." in text and "3 files checked, no findings" in text


def test_long_lines_are_cut_around_the_span_and_invisible_characters_show():
    line = "가" * 3000 + '<a href="x">' + "나" * 3000
    shown = line_html(line, 3000, 3012)
    assert "<mark>&lt;a href=&quot;x&quot;&gt;</mark>" in shown
    assert len(shown) < 400 and shown.startswith('<span class="cut">…</span>') and shown.endswith("…</span>")
    assert text_html("a\u200bb\u00a0c") == ('a<span class="ch" title="U+200B">ZWSP</span>b'
                                            '<span class="ch" title="U+00A0">NBSP</span>c')
    # A CRLF file's CR is not shown, unless the finding is about it.
    assert line_html("abc\r") == "abc"
    assert "CR" in line_html("abc\r", 3, 4)


def test_an_undecodable_post_still_gets_its_finding(tmp_path):
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "cp949.md").write_bytes("---\ntitle: 부산\n---\n".encode("cp949"))
    page = Page(check(tmp_path, "posts"))
    assert [a["data-rule"] for a in page.findings()] == ["file-encoding"]


# -- in Chromium ----------------------------------------------------------------

CHROMIUM = shutil.which("chromium")
needs_chromium = pytest.mark.skipif(CHROMIUM is None, reason="chromium is not installed (.ci/run installs it)")
FLAGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
         "--disable-background-networking", "--disable-component-update", "--disable-sync",
         "--host-resolver-rules=MAP * ~NOTFOUND", "--enable-logging=stderr", "--v=0"]
CONSOLE = re.compile(r":CONSOLE[:(].*")


def load(page: Path, fragment: str = "") -> tuple[str, list[str]]:
    """The DOM of ``page`` after its script ran, and what the page wrote to the console."""
    with tempfile.TemporaryDirectory() as profile:
        proc = subprocess.run([CHROMIUM, *FLAGS, f"--user-data-dir={profile}", "--dump-dom", page.as_uri() + fragment],
                              capture_output=True, text=True, encoding="utf-8", errors="replace", timeout=120)
    assert proc.returncode == 0, proc.stderr[-2000:]
    assert "</html>" in proc.stdout
    return proc.stdout, [m.group() for m in CONSOLE.finditer(proc.stderr)]


def write_report(cwd: Path, out: Path, *paths: str) -> None:
    proc = subprocess.run([*NEWSLINT, "check", "--no-cache", "--format", "html", "-o", str(out), *paths],
                          cwd=cwd, capture_output=True, text=True, encoding="utf-8", timeout=120)
    assert proc.returncode == 1, proc.stderr


@pytest.mark.external
@needs_chromium
def test_chromium_shows_as_many_findings_as_json_has_for_the_examples(tmp_path):
    write_report(ROOT, tmp_path / "report.html", "examples")
    proc = subprocess.run([*NEWSLINT, "check", "--no-cache", "--format", "json", "examples"], cwd=ROOT,
                          capture_output=True, text=True, encoding="utf-8", timeout=120)
    found = json.loads(proc.stdout)
    dom, console = load(tmp_path / "report.html")
    page = Page(dom)
    assert len(found) > 10
    assert len(page.findings()) == len(found)
    assert console == []
    # The script ran (the CSP hash is right): the filters are shown and count the findings.
    assert page.tags("html")[0].get("data-filters") == "on"
    assert f'<output id="shown">{len(found)} findings</output>' in dom
    assert all("hidden" not in a for a in page.findings())
    # A link with filters in its fragment opens the page filtered.
    dom, console = load(tmp_path / "report.html", "#severity=error&path=examples/ko-")
    shown = [a for a in Page(dom).findings() if "hidden" not in a]
    expected = [f for f in found if f["severity"] == "error" and f["path"].startswith("examples/ko-")]
    assert 0 < len(shown) < len(found) and console == []
    assert [(a["data-path"], a["data-line"]) for a in shown] == [(f["path"], str(f["line"])) for f in expected]
    assert f'<output id="shown">{len(shown)} of {len(found)} findings shown</output>' in dom


@pytest.mark.external
@needs_chromium
def test_chromium_runs_nothing_from_a_hostile_post(hostile, tmp_path):
    report = tmp_path / "report.html"
    write_report(hostile, report, "posts")
    dom, console = load(report)
    page = Page(dom)
    assert page.texts["title"] == [TITLE]
    assert PWNED not in dom.split("<body", 1)[0]
    assert len(page.tags("script")) == 1 and len(page.tags("style")) == 1
    assert not page.tags("img") and not page.tags("iframe") and not page.tags("svg")
    assert page.tags("html")[0].get("data-filters") == "on"
    assert len(page.findings()) == len(json.loads(check(hostile, "posts", fmt="json")))
    assert console == []


def test_the_page_on_standard_output_is_utf8_whatever_the_console(hostile):
    env = {**os.environ, "PYTHONIOENCODING": "cp949"}
    (hostile / "posts" / "emoji.md").write_text("---\ntitle: t\n---\n\n![](/a.png) 😀 부산\n", encoding="utf-8")
    proc = subprocess.run([*NEWSLINT, "check", "--no-cache", "--format", "html", "posts/emoji.md"], cwd=hostile,
                          capture_output=True, env=env, timeout=120)
    assert proc.returncode == 1, proc.stderr
    text = proc.stdout.decode("utf-8")
    assert '<meta charset="utf-8">' in text and "😀" in text and "부산" in text


@pytest.mark.external
@needs_chromium
def test_chromium_counts_the_findings_in_korean(tmp_path):
    proc = subprocess.run([*NEWSLINT, "check", "--no-cache", "--lang", "ko", "--format", "html", "-o",
                           str(tmp_path / "report.html"), "examples"], cwd=ROOT, capture_output=True, text=True,
                          encoding="utf-8", timeout=120)
    assert proc.returncode == 1, proc.stderr
    dom, console = load(tmp_path / "report.html")
    total = len(Page(dom).findings())
    assert console == [] and total > 10
    assert f"문제 {total}건</output>" in dom
    dom, console = load(tmp_path / "report.html", "#severity=error")
    shown = [a for a in Page(dom).findings() if "hidden" not in a]
    assert 0 < len(shown) < total and console == []
    assert f"문제 {total}건 중 {len(shown)}건 표시</output>" in dom
