"""newslint's reading of kramdown posts against the real kramdown.

The Jekyll posts of ``../shared/corpus`` are rendered by kramdown (Debian's
``ruby-kramdown`` and ``ruby-kramdown-parser-gfm``, one Ruby process for all
of them, tests/tools/kramdown_render.rb) and compared with what newslint
reads of the same posts as kramdown posts:

- code: the text of kramdown's code blocks and code spans against newslint's
  code regions;
- hidden or shown: every ``<name ...>`` written in the post is either shown
  to the reader (kramdown escaped it, or it is code) or not (kramdown kept it
  as a tag, a comment, an autolink, its own markup). newslint's verdict for
  each is whether the HTML tree holds a tag or comment there; the reader's is
  whether the text is in the visible text of kramdown's HTML as a browser
  parses it. The counts must agree, string by string.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from collections import Counter
from html.parser import HTMLParser
from pathlib import Path

import pytest

from newslint.config import Config
from newslint.document import Document
from newslint.linter import lint_document
from newslint.site import Site
from newslint.source import mask_regions

from conftest import CORPUS, needs_shared

RENDER = Path(__file__).resolve().parent / "tools" / "kramdown_render.rb"
KRAMDOWN = Site(generator="jekyll", markdown="kramdown")
# The corpus folders whose posts are Jekyll posts (one folder of ko-tistory is
# an RSS backup, no site's posts).
JEKYLL_FOLDERS = ("en-jekyll", "ko-blogs", "ko-tistory")
NOT_JEKYLL = ("helloSaltedCaramel__tistory-backup",)
POST_SUFFIXES = (".md", ".markdown", ".mkd", ".mkdn")


def _kramdown_missing() -> str | None:
    if shutil.which("ruby") is None:
        return "ruby is not installed (.ci/run installs ruby-kramdown and ruby-kramdown-parser-gfm)"
    probe = subprocess.run(["ruby", "-e", 'require "kramdown"; require "kramdown-parser-gfm"'],
                           capture_output=True, text=True)
    if probe.returncode != 0:
        return "kramdown is not installed (.ci/run installs ruby-kramdown and ruby-kramdown-parser-gfm)"
    return None


needs_kramdown = pytest.mark.skipif(_kramdown_missing() is not None, reason=str(_kramdown_missing()))


def jekyll_posts() -> list[Path]:
    out = []
    for top in JEKYLL_FOLDERS:
        for root, dirs, files in os.walk(CORPUS / top):
            dirs[:] = sorted(d for d in dirs if d not in NOT_JEKYLL)
            out.extend(Path(root) / f for f in sorted(files) if f.endswith(POST_SUFFIXES))
    return out


def render(bodies: list[str]) -> list[dict]:
    """kramdown's HTML and code texts for each body, from one Ruby process."""
    done = subprocess.run(["ruby", str(RENDER)], input=json.dumps(bodies), capture_output=True, text=True,
                          check=True, timeout=300)
    return json.loads(done.stdout)


class _Visible(HTMLParser):
    """The text a browser shows of an HTML page (no comments, scripts, styles)."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.chunks: list[str] = []
        self.hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in ("script", "style"):
            self.hidden += 1

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self.hidden:
            self.hidden -= 1

    def handle_data(self, data):
        if not self.hidden:
            self.chunks.append(data)


def visible_text(html: str) -> str:
    parser = _Visible()
    parser.feed(html)
    parser.close()
    # kramdown's smart quotes: the text as written has straight ones.
    return "\x00".join(parser.chunks).translate({0x201C: '"', 0x201D: '"', 0x2018: "'", 0x2019: "'"})


# Something written like a tag. kramdown turns "--", "..." and "<<" into
# typographic symbols in text, and a backslash escapes: such strings are left out.
CANDIDATE = re.compile(r"</?[A-Za-z][^<>\n]{0,80}>")
_TYPOGRAPHIC = ("--", "...", "<<", ">>", "\\")
_CODE_KINDS = ("code-block", "code-span")
_FENCE = re.compile(r"[ >]*(?:`{3,}|~{3,})")


def _normal(code: str) -> str:
    return "".join(code.split())


def newslint_code(doc: Document) -> Counter:
    """The text of newslint's code blocks and spans, without fences, backticks
    or whitespace (and without the Liquid literal blocks kramdown is not given)."""
    out: Counter = Counter()
    body = mask_regions(doc.text, doc.body_start, doc.liquid_literal_regions)
    for r in doc.code_regions:
        if r.kind not in _CODE_KINDS:
            continue
        text = body[r.start - doc.body_start:r.end - doc.body_start]
        if r.kind == "code-span":
            text = text.strip("`")
        elif _FENCE.match(text):
            lines = text.rstrip("\n").split("\n")
            text = "\n".join(lines[1:-1])
        if _normal(text):
            out[_normal(text)] += 1
    return out


def kramdown_code(result: dict) -> Counter:
    return Counter(_normal(c) for c in result["code"] if _normal(c))


def newslint_shown(doc: Document) -> Counter:
    """How many times each tag-like string of the body newslint takes as shown to the reader."""
    text, start = doc.text, doc.body_start
    tree = doc.html
    # What the HTML tree was built from: a "<" kept there is markup to the parser.
    source = doc.kramdown.html_source() if doc.kramdown is not None else doc.markdown.html_source()
    hidden = [(c.start, c.end) for c in tree.comments]
    hidden += [(el.start_end, el.inner_end) for el in tree.elements if el.tag in ("script", "style")]
    code = []
    for r in doc.code_regions:
        (code if r.kind in _CODE_KINDS or r.kind == "math" else hidden).append((r.start, r.end))
    masked = mask_regions(text, start, doc.liquid_literal_regions)
    out: Counter = Counter()
    for m in CANDIDATE.finditer(masked):
        s = m.group()
        if any(t in s for t in _TYPOGRAPHIC):
            continue
        at = start + m.start()
        in_code = any(a <= at < b for a, b in code)
        if not in_code and (source[m.start()] == "<" or any(a <= at < b for a, b in hidden)):
            continue
        out[s] += 1
    return out


def kramdown_shown(doc: Document, result: dict, strings) -> Counter:
    """How many times each string shows in kramdown's page, less those written as entities."""
    shown = visible_text(result["html"])
    # Entities are decoded outside code only.
    body = mask_regions(doc.text, doc.body_start, doc.liquid_literal_regions +
                        [r for r in doc.code_regions if r.kind in _CODE_KINDS])
    out: Counter = Counter()
    for s in strings:
        n = shown.count(s) - body.count("&lt;" + s[1:-1] + "&gt;") - body.count("&lt;" + s[1:])
        if n:
            out[s] = n
    return out


def compare(paths: list[Path]) -> tuple[int, list[str]]:
    """(posts compared, one line per post where newslint and kramdown disagree)."""
    docs = [Document(str(p), p.read_bytes(), site=KRAMDOWN) for p in paths]
    docs = [d for d in docs if d.ok]
    bodies = [mask_regions(d.text, d.body_start, d.liquid_literal_regions) for d in docs]
    results = render(bodies)
    disagreements = []
    for doc, body, result in zip(docs, bodies, results):
        if "error" in result:
            disagreements.append(f"{doc.path}: kramdown failed: {result['error']}")
            continue
        ours, theirs = newslint_code(doc), kramdown_code(result)
        problems = []
        if ours != theirs:
            only_ours = list((ours - theirs).elements())[:2]
            only_theirs = list((theirs - ours).elements())[:2]
            problems.append(f"code only newslint {only_ours!r:.160} only kramdown {only_theirs!r:.160}")
        shown = newslint_shown(doc)
        candidates = {s for s in map(re.Match.group, CANDIDATE.finditer(body))
                      if not any(t in s for t in _TYPOGRAPHIC)}
        seen = kramdown_shown(doc, result, candidates)
        if shown != seen:
            diff = sorted(set(shown) ^ set(seen) | {s for s in shown if shown[s] != seen.get(s)})
            problems.append("shown " + ", ".join(f"{s!r:.60} newslint {shown.get(s, 0)} kramdown {seen.get(s, 0)}"
                                                for s in diff[:3]))
        if problems:
            disagreements.append(f"{doc.path}: " + "; ".join(problems))
    return len(docs), disagreements


@pytest.mark.external
@needs_shared
@needs_kramdown
def test_code_and_hidden_markup_agree_with_kramdown_on_the_jekyll_posts():
    posts = jekyll_posts()
    assert len(posts) > 3000
    n, disagreements = compare(posts)
    print(f"{n - len(disagreements)} of {n} posts agree with kramdown")
    for line in disagreements:
        print(line)
    assert len(disagreements) <= n // 100, f"{len(disagreements)} of {n} posts disagree with kramdown"


@pytest.mark.external
@needs_kramdown
def test_the_comparison_sees_a_disagreement(tmp_path):
    """The comparison itself: a post read as CommonMark, where kramdown reads
    it otherwise, is reported."""
    post = tmp_path / "post.md"
    post.write_text("<div>\n\n    <b>x</b>\n\n</div>\n\nList<Token> here\n", encoding="utf-8")
    n, disagreements = compare([post])
    assert n == 1 and disagreements == []
    docs = [Document(str(post), post.read_bytes())]  # no site: CommonMark
    ours = newslint_code(docs[0])
    theirs = kramdown_code(render([docs[0].text])[0])
    assert ours != theirs  # CommonMark's indented code block is raw HTML to kramdown


_SHOWN_AS_TEXT = re.compile(r"end tag (</[^>]+>) .*kramdown shows it as text|(<[^>\s]+)> inside a paragraph: "
                            "kramdown shows the tag as text")
_HIDDEN = re.compile(r"<([^>]+)> is not an HTML element, so the browser hides it")


def findings_against_kramdown(doc: Document, messages: list[str], result: dict) -> list[str]:
    """The findings that say something of the page kramdown's HTML does not bear out:
    an end tag "shown as text" that the page does not show, a tag "the
    browser hides" that the page shows everywhere it is written."""
    shown = visible_text(result["html"])
    wrong = []
    said_shown = Counter(m.group(1) or m.group(2) for m in map(_SHOWN_AS_TEXT.search, messages) if m)
    for tag, n in said_shown.items():
        if shown.count(tag) < n:
            wrong.append(f"{doc.path}: {n} x {tag} said shown as text, the page shows {shown.count(tag)}")
    body = mask_regions(doc.text, doc.body_start, doc.liquid_literal_regions)
    for m in filter(None, map(_HIDDEN.search, messages)):
        written = len(re.findall(rf"<{re.escape(m.group(1))}\b[^>]*>", body))
        if shown.count(f"<{m.group(1)}>") >= written:
            wrong.append(f"{doc.path}: <{m.group(1)}> said hidden, the page shows it")
    return wrong


@pytest.mark.external
@needs_shared
@needs_kramdown
def test_html_malformed_on_the_jekyll_posts_says_what_kramdown_shows():
    config = Config()
    config.select = ["html-malformed"]
    found: list[tuple[Document, list[str]]] = []
    for path in jekyll_posts():
        doc = Document(str(path), path.read_bytes(), site=KRAMDOWN)
        violations = lint_document(doc, config)
        for v in violations:
            print(f"{path.relative_to(CORPUS)}:{v.line}:{v.column}: {v.message}")
        if violations:
            found.append((doc, [v.message for v in violations]))
    assert found  # the corpus has broken HTML: the check below is not vacuous
    results = render([mask_regions(d.text, d.body_start, d.liquid_literal_regions) for d, _ in found])
    wrong = [w for (doc, messages), result in zip(found, results)
             for w in findings_against_kramdown(doc, messages, result)]
    assert wrong == []


@pytest.mark.external
@needs_kramdown
def test_a_finding_kramdown_does_not_bear_out_is_caught():
    doc = Document.from_text("A List<Token> and a stray </em>.\n", site=KRAMDOWN)
    result = render([doc.text])[0]
    assert findings_against_kramdown(doc, ["end tag </em> closes nothing: kramdown shows it as text",
                                           "<Token> is not an HTML element, so the browser hides it"], result) == []
    assert len(findings_against_kramdown(doc, ["end tag </b> closes nothing: kramdown shows it as text",
                                               "<em> is not an HTML element, so the browser hides it"], result)) == 2
