from __future__ import annotations

from bisect import bisect_right
from typing import NamedTuple

from ..model import Finding
from ..ruleapi import Rule

_HTML_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6")


class Heading(NamedTuple):
    start: int
    end: int
    level: int
    html: bool  # an `<hN>` element, not a Markdown heading


def body_headings(doc) -> list[Heading]:
    """The headings of the body, Markdown and HTML, in document order; made
    once per document (heading-increment and heading-h1-in-body both ask)."""
    got = doc.__dict__.get("_newslint_headings")
    if got is None:
        got = doc.__dict__["_newslint_headings"] = _body_headings(doc)
    return got


def _body_headings(doc) -> list[Heading]:
    out: list[Heading] = []
    md = doc.markdown.headings
    tree = doc.html
    tagged = tree.find_all(*_HTML_TAGS) if tree.elements else None  # most posts have no HTML: no look-up by tag then
    if md:
        inside = _html_blocks(doc) if doc.markdown.html else None
        text = doc.text
        find = text.find
        new = tuple.__new__
        for h in md:
            start = h.start
            if inside and _within(inside, start):
                continue
            # The heading's end, but no further than the end of its first
            # line (a setext heading's underline is not shown): as
            # min(end, line_end(start)), without looking past ``end``.
            end = h.end
            nl = find("\n", start, end)
            if nl != -1:
                end = nl - 1 if nl > 0 and text[nl - 1] == "\r" else nl
            elif end > 0 and text.startswith("\r\n", end - 1):
                end -= 1
            out.append(new(Heading, (start, end, h.level, False)))
    if tagged:  # an index lookup: the tree is parsed for other rules anyway
        for el in tagged:
            out.append(Heading(el.start, el.start_end, int(el.tag[1]), True))
        out.sort()  # Markdown headings alone are in document order already
    return out


def _html_blocks(doc) -> list[tuple[int, int]]:
    """The insides of the outermost HTML elements of a Markdown body.

    CommonMark ends an HTML block at the first blank line, so a `# comment`
    after a blank line inside `<pre>` becomes a heading; kramdown, which
    Jekyll uses, keeps everything up to the closing tag as HTML. A heading
    inside an element is left alone unless the element asks for Markdown
    (`markdown="1"`).
    """
    return [(el.start_end, el.end_tag_start, el) for el in doc.html.root.children if el.end_tag_start > el.start_end]


def _within(spans: list[tuple[int, int, object]], offset: int) -> bool:
    i = bisect_right(spans, (offset, _FAR)) - 1
    return i >= 0 and spans[i][0] <= offset < spans[i][1] and not spans[i][2].has("markdown")


_FAR = 1 << 62


def written(level: int, html: bool) -> str:
    """A heading level as the author writes it."""
    return f"`<h{level}>`" if html else f"`{'#' * level}`"


class HeadingIncrement(Rule):
    """A heading that skips a level.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Walks the headings of the body, Markdown (`##`, setext underlines) and
    HTML (`<h2>` to `<h6>`) alike, and reports a heading more than one level
    deeper than the heading before it: `##` followed by `####`.

    The first heading of the body is measured against the title: the layout
    renders the front matter `title` as the page's heading of level
    `title_level` (an `<h1>` in the themes of Jekyll and Hugo), so the body
    should start at the level below it. A post whose first heading is an
    `<h3>`, as the Tistory editor writes its "제목 3" style, is reported.

    Going back up (`####` then `##`) is never reported.

    A Markdown heading that CommonMark finds inside an HTML element (a
    `# comment` after a blank line inside `<pre>`) is not counted: kramdown,
    Jekyll's Markdown parser, keeps the whole element as HTML, so no heading
    is rendered there. An element with `markdown="1"` is read as Markdown.

    ## Why is this bad?
    Screen reader users move through a page by its headings and hear their
    levels: a jump from level 2 to level 4 tells them a level-3 section
    exists that they cannot find. The table of contents that Jekyll's and
    Hugo's themes build from the headings gets a hole or an extra indent, and
    search engines read the outline the same way. Picking a heading for its
    size is the usual cause; the size belongs in the stylesheet.

    ## Example
    ```markdown
    ## 사업 개요

    #### 예산
    ```

    ## Use instead
    ```markdown
    ## 사업 개요

    ### 예산
    ```

    ## Options
    - `title_level` (default `1`): the level at which the layout renders
      the title. Set it to `2` for a theme that shows the title as an `<h2>`,
      or to `0` not to measure the first heading at all.
    """

    name = "heading-increment"
    code = "NL420"
    severity = "warning"
    tags = ("headings", "accessibility")
    options = {"title_level": 1}

    def check(self, doc, options):
        out: list[Finding] = []
        headings = body_headings(doc)
        if not headings:
            return out
        title_level = int(options.get("title_level", 1) or 0)
        prev = title_level if title_level > 0 else None
        first = True
        for h in headings:
            if prev is not None and h.level > prev + 1:
                want = written(prev + 1, h.html)
                if first:
                    msg = (f"the first heading of the body is {written(h.level, h.html)} (level {h.level}), but the "
                           f"layout renders the title at level {prev}: start the body at level {prev + 1} ({want})")
                else:
                    msg = (f"heading level jumps from {prev} to {h.level}: make this {want} (level {prev + 1}) "
                           "so no level is skipped")
                out.append(Finding(h.start, h.end, msg))
            prev = h.level
            first = False
        return out
