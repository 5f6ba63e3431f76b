from __future__ import annotations

import re

from ..model import Finding
from ..spans import Spans
from ..ruleapi import Rule


class HtmlMalformed(Rule):
    """HTML in a post that browsers will read differently from what it looks like.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reports the structural problems the HTML parser meets in the body:

    - a comment `<!--` that is never closed: the browser hides the rest of
      the post;
    - a `<script>`, `<style>`, `<textarea>` or `<title>` that is never
      closed: it swallows the rest of the post as raw text;
    - mismatched tags: an element still open when an end tag of its parent
      comes (`<b><i>text</b></i>`), an end tag that closes nothing, an element
      never closed at all (`<div>` without `</div>`).

    A broken `<pre><code>` block is one finding, not one per tag: the
    problems its `<pre>` and `<code>` tags cause one after another (the pair
    left open, the `</code></pre>` that closes nothing) are named in the
    message of the first.

    Elements whose end tag HTML allows to leave out (`<p>`, `<li>`, `<td>`,
    `<tr>`, `<option>`, ...) are never reported as unclosed. HTML inside code
    blocks and code spans is not HTML and is not looked at.

    A post of a site that renders with kramdown (Jekyll's default) is read
    as kramdown reads it. kramdown writes back only the HTML it understood:
    an end tag that closes nothing open, or a block tag such as `<p>` in the
    middle of a paragraph, is shown to the reader as text, and is reported
    so; an element never closed in an HTML block takes the rest of the post
    with it, and the Markdown after it is not rendered. `<U+7919>` and other
    names kramdown does not take as tags are shown as written and are not
    reported.

    ## Why is this bad?
    A post pasted from a CMS editor or cut in the middle of a tag renders
    with half the text missing, in italics to the end, or inside a text box.
    The other rules also read the HTML and cannot see past such a point:
    newslint does not lint the swallowed text as prose, and its HTML fixes
    stay away from it.

    ## Example
    ```html
    <p>본문 <!-- 편집자 메모: 사진 교체 필요
    <p>이 문단은 화면에 보이지 않는다.</p>
    ```

    ## Use instead
    ```html
    <p>본문 <!-- 편집자 메모: 사진 교체 필요 --></p>
    <p>이 문단은 화면에 보인다.</p>
    ```

    ## Fix safety
    No fix: where the missing end belongs is the author's call.
    """

    name = "html-malformed"
    code = "NL801"
    severity = "warning"
    tags = ("html",)

    def check(self, doc, options):
        out: list[Finding] = []
        if not doc.ok or "<" not in doc.text:
            return out
        problems = doc.html.problems
        if not problems:
            return out
        text = doc.text
        templates = Spans([m.span() for m in _TEMPLATE.finditer(text, doc.body_start)] if "{" in text else [])
        seen = set()
        lookups = 0
        found: list[tuple[int, int, str, str | None]] = []
        for offset, message in sorted(problems):
            if (offset, message) in seen or offset in templates:
                continue  # Hugo shortcodes and Liquid tags look like tags but are not HTML
            seen.add((offset, message))
            raw = message
            m = _TAG.match(text, offset)
            if m and "never closed" in message or m and "not closed before" in message:
                tag = m.group(1).lower()
                if tag not in KNOWN_ELEMENTS and "-" not in tag:
                    message = (f"<{m.group(1)}> is not an HTML element, so the browser hides it; to show the "
                               f"text, write `&lt;{m.group(1)}>` or put it in a code span")
                elif (doc.kind == "markdown" and message == f"<{tag}> is never closed" and lookups < 20
                      and doc.kramdown is None):  # kramdown runs an HTML block on to its end tag
                    lookups += 1  # bounded: each looks ahead to the end of the post
                    close = _close_tag(tag).search(text, m.end())
                    inside = text[m.end():close.start()] if close is not None else ""
                    if (close is not None and _BLANK_LINE.search(inside)
                            and not re.search(rf"<{re.escape(tag)}[\s/>]", inside, re.IGNORECASE)):
                        # written, but Markdown did not read it as HTML: a blank line split the block
                        message = (f"<{tag}> is not closed as HTML: its `{close.group()}` on line "
                                   f"{doc.position(close.start())[0]} is read as Markdown, because a blank line "
                                   "inside the element ends the HTML block; remove the blank lines")
            end = text.find(">", offset, doc.line_end(offset))
            end = end + 1 if end != -1 else min(offset + 4, doc.line_end(offset))
            found.append((offset, max(end, offset), message, _code_tag(raw)))
        out.extend(_one_per_code_block(doc, found))
        return out


_TAG = re.compile(r"<([A-Za-z][^\s/>]*)")
# The parser's problems about a `<pre>` or `<code>` tag itself: one left open,
# or an end tag that closes nothing.
_CODE_PROBLEM = re.compile(r"<(pre|code)> is |stray end tag </(pre|code)>")
_CODE_START = re.compile(r"<(?:pre|code)[\s/>]", re.IGNORECASE)


def _code_tag(message: str) -> str | None:
    m = _CODE_PROBLEM.match(message)
    return None if m is None else m.group(m.lastindex or 0)


def _short(message: str, line: int) -> str:
    """A later problem of a code block, in a few words."""
    m = re.match(r"stray end tag (</\w+>)", message)
    if m:
        return f"`{m.group(1)}` on line {line} closes nothing"
    m = re.match(r"<(\w+)> is not closed before (</\w+>)", message)
    if m:
        return f"`<{m.group(1)}>` on line {line} is not closed before `{m.group(2)}`"
    m = re.match(r"<(\w+)>", message)
    return f"`<{m.group(1) if m else '?'}>` on line {line} is not closed either"


def _one_per_code_block(doc, found: list[tuple[int, int, str, str | None]]):
    """One finding per broken `<pre><code>` block: the problems its tags cause
    one after another (no other `<pre>` or `<code>` starts between them) go
    into the first one's message. The text between two of them is read only
    up to the next problem, so the whole post is read at most once."""
    text = doc.text
    i = 0
    while i < len(found):
        offset, end, message, tag = found[i]
        j = i + 1
        if tag is not None:
            last_end = end
            while j < len(found) and found[j][3] is not None:
                between = text[last_end : found[j][0]]
                # A start tag joins only right after the block's own (`<pre><code>`).
                if _CODE_START.search(between) or (found[j][2].startswith("<") and between.strip()):
                    break
                last_end = found[j][1]
                j += 1
        if j > i + 1:
            more = ", ".join(_short(m, doc.position(o)[0]) for o, _e, m, _t in found[i + 1 : j])
            message = f"{message}; in the same `<pre><code>` block, {more}"
        yield Finding(offset, end, message)
        i = j


_BLANK_LINE = re.compile(r"\n[ \t]*\r?\n")


def _close_tag(tag: str) -> "re.Pattern[str]":
    return re.compile(rf"</{re.escape(tag)}\s*>", re.IGNORECASE)
# Bounded: "{{<" repeated 10,000 times, never closed, must not scan to the end from each.
_IN = r"(?:(?!\{[{%]).){0,2000}?"  # a tag never holds another opener: the scan stops there
_TEMPLATE = re.compile(rf"\{{\{{[<%]{_IN}[>%]\}}\}}|\{{%{_IN}%\}}|\{{\{{{_IN}\}}\}}", re.S)
KNOWN_ELEMENTS = frozenset("""
a abbr acronym address area article aside audio b base bdi bdo big blink blockquote body br button
canvas caption center cite code col colgroup data datalist dd del details dfn dialog dir div dl dt em
embed fieldset figcaption figure font footer form frame frameset h1 h2 h3 h4 h5 h6 head header hgroup
hr html i iframe img input ins kbd label legend li link main map mark marquee menu meta meter nav
nobr noembed noframes noscript object ol optgroup option output p param picture plaintext pre
progress q rb rp rt rtc ruby s samp script search section select slot small source span strike
strong style sub summary sup table tbody td template textarea tfoot th thead time title tr track tt
u ul var video wbr xmp
svg math g defs path rect circle ellipse line polyline polygon text tspan textpath use symbol marker
lineargradient radialgradient stop clippath mask pattern filter image foreignobject desc
mi mo mn ms mtext mrow msup msub mfrac msqrt mroot mtable mtr mtd
""".split())
