from __future__ import annotations

import re
from functools import lru_cache
from html import unescape

from ..model import Edit, Finding, Fix
from ..ruleapi import Rule

# Characters that print nothing: whitespace, NBSP, zero-width space, BOM.
_BLANK = " \t\r\n\f\v\u00a0\u200b\ufeff"
_BR = re.compile(r"<br\b[^>]*>", re.I)
# Containers whose empty paragraphs are cell or card content, not spacing.
_SKIP_INSIDE = frozenset(("td", "th", "caption", "figure", "pre", "button", "select", "textarea"))
# Longer than this the inner HTML is not "a few &nbsp;" (cheap early exit).
_MAX_INNER = 400
_BLOCKQUOTE_PREFIX = re.compile(r"[ \t>]*")
# A line that starts an HTML block even right after a paragraph line
# (CommonMark HTML block start conditions 1 to 6).
_BLOCK_HTML_START = re.compile(
    r" {0,3}(?:<(?:script|pre|style|textarea)(?:[\s>]|$)|<!--|<\?|<![A-Za-z]|<!\[CDATA\["
    r"|</?(?:address|article|aside|base|basefont|blockquote|body|caption|center|col|colgroup|dd|details"
    r"|dialog|dir|div|dl|dt|fieldset|figcaption|figure|footer|form|frame|frameset|h[1-6]|head|header|hr"
    r"|html|iframe|legend|li|link|main|menu|menuitem|nav|noframes|ol|optgroup|option|p|param|search"
    r"|section|summary|table|tbody|td|tfoot|th|thead|title|tr|track|ul)(?:[\s/>]|$))",
    re.I,
)
# Any tag: starts an HTML block after a blank line (condition 7).
_ANY_TAG_START = re.compile(r" {0,3}</?[A-Za-z]")
_BLANK_LINE = re.compile(r"[ \t]*(?:\r\n|\n)")
# `<p></p>` with nothing inside, not even a space: no height, so no spacing either.
_EMPTY_P = re.compile(r"<p\b[^>]*></p\s*>", re.I)


# After its blank characters, the inner HTML goes on with a character that
# prints (not a tag or an entity): no spacer.
_SHOWS = re.compile(f"[{_BLANK}]*[^{_BLANK}<&]").match


# Some text, all of it blank (an empty paragraph is not a spacer): a match.
_BLANK_TEXT = re.compile(f"[{_BLANK}]+").fullmatch


@lru_cache(maxsize=8)
def _tag_names_of(tags: tuple) -> tuple[str, ...]:
    return tuple(str(t).lower() for t in tags)


def _tag_names(tags) -> tuple[str, ...]:
    if isinstance(tags, str):
        tags = [tags]
    try:
        return _tag_names_of(tuple(tags))
    except TypeError:  # an option value that cannot be a cache key
        return tuple(str(t).lower() for t in tags)


def _is_blank(s: str) -> bool:
    # Stripping every blank character leaves nothing: one C call, not a
    # generator over the characters (it runs on every paragraph).
    return not s.strip(_BLANK)


def deletion_span(text: str, line_start: int, start: int, end: int) -> tuple[int, int]:
    """The span to delete to remove ``text[start:end]`` without merging lines.

    When nothing but whitespace is left on the line(s), the whole line goes,
    line ending included (``\\r\\n`` as a unit). Otherwise the span goes with
    the whitespace around it when it ends its line, or alone.
    """
    n = len(text)
    j = end
    while j < n and text[j] in " \t":
        j += 1
    at_eol = j == n or text[j] == "\n" or text.startswith("\r\n", j)
    before = text[line_start:start]
    if at_eol and not before.strip(" \t"):
        if j == n:
            return line_start, n
        return line_start, j + (1 if text[j] == "\n" else 2)
    if at_eol:
        i = start
        while i > line_start and text[i - 1] in " \t":
            i -= 1
        return i, j
    return start, end


def _line_removal_keeps_blocks(doc, line_no: int, d_end: int, html_ends: set[int]) -> bool:
    """In a Markdown post, does deleting the spacer's line(s) leave the next line parsed as before?

    A ``<p>&nbsp;</p>`` line that opens an HTML block carries the lines after it
    (up to the next blank line) as raw HTML. Deleting the line must not turn
    them into Markdown (an indented line would become a code block, text
    would join the paragraph above).
    """
    text = doc.text
    n = len(text)
    if d_end >= n:
        return True
    nl = text.find("\n", d_end)
    next_line = text[d_end: n if nl == -1 else nl].rstrip("\r")
    if not next_line.strip():
        return True  # a blank line ends the block anyway
    starts = doc.line_starts
    line_start = starts[line_no]
    if line_start in html_ends:
        return True  # the line above is HTML of the same block: the block goes on
    if _BLOCK_HTML_START.match(next_line):
        return True  # the next line opens an HTML block of its own
    prev_blank = line_no == 0 or line_start <= doc.body_start or not text[starts[line_no - 1]:line_start].strip()
    return prev_blank and _ANY_TAG_START.match(next_line) is not None


def _snippet(s: str) -> str:
    """The markup as the file has it; a line break shows as `\\n`, and a long one is cut."""
    s = s.replace("\r\n", "\\n").replace("\n", "\\n").replace("\r", "\\r")
    return s if len(s) <= 80 else s[:77] + "..."


def _blank_line_before(doc, line_no: int) -> bool:
    starts = doc.line_starts
    if line_no == 0 or starts[line_no] <= doc.body_start:
        return False  # the first line of the body: nothing above it to double
    return not doc.text[starts[line_no - 1]:starts[line_no]].strip()


class EditorSpacerParagraph(Rule):
    """An empty paragraph (`<p>&nbsp;</p>`) used as vertical spacing.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reports paragraphs that print nothing: a `<p>` (or `<div>`) that holds
    only `&nbsp;`, whitespace, U+00A0 no-break spaces, zero-width spaces or
    `<br>` tags, and an empty `<p></p>`; in Markdown, a paragraph made only of
    `&nbsp;` or U+00A0. CMS editors write one for every blank line the author
    typed: Tistory's `<p data-ke-size="size16">&nbsp;</p>`, TinyMCE's
    `<p><br data-mce-bogus="1"></p>`, Word's `<p class="MsoNormal">&nbsp;</p>`.

    An empty `<p></p>` (nothing inside, not even a space) is reported as
    empty rather than as a spacer: it has no height and its margins collapse
    into its neighbours', so it adds no space at all; it is only left-over
    markup. The message quotes the markup as the file has it, a line break
    shown as `\\n`.

    A paragraph that holds anything else (an image, a link, a comment, any
    other element, any visible text) is not a spacer. Not reported: an
    element with an `id` (it may be a link target), a `<div>` with a `class`
    or with nothing in it at all (a hook for CSS or scripts), an empty `<p>`
    without `</p>` (a typo such as `<p><p>`), and spacers inside table cells,
    figures or `<pre>`.

    ## Why is this bad?
    The spacing belongs to the theme's CSS. Spacer paragraphs add a different
    gap on every theme and screen size, pile up into large holes when a theme
    already puts margins between paragraphs, are read out as "blank" by
    screen readers and survive into feeds and excerpts.

    ## Example
    ```html
    <p>First paragraph.</p>
    <p data-ke-size="size16">&nbsp;</p>
    <p>Second paragraph.</p>
    ```

    ## Use instead
    ```html
    <p>First paragraph.</p>
    <p>Second paragraph.</p>
    ```

    ## Fix safety
    The fix deletes the element from `<p` to the end of `</p>`; when that
    leaves its line blank, the whole line goes with its line ending (`\\r\\n`
    as a unit), so the lines around it are never merged; and when a blank
    line is left both above and below it, the one below goes too, so no
    doubled blank line is left behind. It is safe: the
    element shows nothing. One exception is unsafe: in a Markdown post, a
    spacer line that opens an HTML block carries the next lines (up to a blank
    line) as raw HTML; if deleting it would make the next line Markdown again
    (plain text, an indented line), the fix is marked unsafe. Spacers whose
    end tag is implied (no `</p>`) are reported without a fix.

    ## Options
    - `tags` (default `["p", "div"]`): the HTML elements checked.
    """

    name = "editor-spacer-paragraph"
    code = "NL501"
    severity = "warning"
    fix = "sometimes"
    tags = ("editor",)
    options = {"tags": ["p", "div"]}

    def check(self, doc, options):
        out: list[Finding] = []
        text = doc.text
        found: list[tuple[int, int, bool, bool]] = []  # (start, end, fixable, is_html)
        if doc.html.elements:
            tree = doc.html
            for tag in _tag_names(options.get("tags", ["p", "div"])):
                for el in tree.find_all(tag):
                    # Most elements hold text that shows: tested here before the call.
                    start = el.start_end
                    if _SHOWS(text, start, el.end_tag_start if el.end_tag_start >= 0 else el.end) is None \
                            and self._is_spacer(el, text):
                        found.append((el.start, el.end, el.end_tag_start >= 0, True))
            if len(found) > 1:
                found.sort()  # document order, as one search for all the tags gave
        # What a Markdown paragraph's text must come from to be blank: a character
        # reference, or one of the blank characters that are not spaces or tabs (a
        # line of those alone is no paragraph). A post with none of them has no blank
        # paragraph, and its paragraphs are not read (a search for each costs less).
        paragraphs = (doc.markdown.plain_paragraphs(keep=_BLANK_TEXT)
                      if doc.kind == "markdown" and ("&" in text or "\u00a0" in text or "\u200b" in text
                                                     or "\ufeff" in text or "\v" in text or "\f" in text) else ())
        for para in paragraphs:
            line_start = doc.line_starts[doc.line_of(para.start)]
            if _BLOCKQUOTE_PREFIX.fullmatch(text, line_start, para.start) is None:
                continue  # a list item's only content: an empty bullet, not spacing
            end = para.end
            while end > para.start and text[end - 1] in "\r\n":
                end -= 1
            found.append((para.start, end, True, False))
        html_ends: set[int] | None = None
        starts = doc.line_starts if found else []  # (line starts only for a post with spacers)
        run_end, run_blank_before = -1, False  # the whole lines deleted just before, and what preceded them
        for start, end, fixable, is_html in found:
            fix = None
            if fixable:
                line_no = doc.line_of(start)
                line_start = starts[line_no]
                d_start, d_end = deletion_span(text, line_start, start, end)
                whole_line = d_start == line_start and (d_end == len(text) or text[d_end - 1] == "\n")
                if is_html and doc.kind == "markdown" and whole_line:
                    if html_ends is None:
                        html_ends = {e for _, e in doc.markdown.html}
                    safe = _line_removal_keeps_blocks(doc, line_no, d_end, html_ends)
                else:
                    safe = True
                if whole_line:
                    blank_before = run_blank_before if d_start == run_end else _blank_line_before(doc, line_no)
                    run_end, run_blank_before = d_end, blank_before
                    blank_after = _BLANK_LINE.match(text, d_end) if blank_before else None
                    if blank_after is not None:
                        # A spacer between two blank lines: one of them goes too, so
                        # no doubled blank line is left behind.
                        d_end, run_end = blank_after.end(), -1
                edit = Edit.delete(d_start, d_end)
                if safe:
                    fix = Fix.safe("delete the spacer paragraph", edit)
                else:
                    fix = Fix.unsafe("delete the spacer paragraph (the next line then leaves its HTML block "
                                     "and is read as Markdown)", edit)
            markup = text[start:end]
            if _EMPTY_P.fullmatch(markup):
                message = (f"empty paragraph `{_snippet(markup)}`: it adds no space (an empty `<p>` has no "
                           "height and its margins collapse into its neighbours'), it is only left-over markup")
                if fix is not None:
                    fix = fix._replace(message="delete the empty paragraph")
            else:
                message = (f"spacer paragraph `{_snippet(markup)}` used for vertical space; leave spacing to the "
                           "theme's CSS")
            out.append(Finding(start, end, message, fix=fix))
        return out

    @staticmethod
    def _is_spacer(el, text: str) -> bool:
        start = el.start_end
        if el.self_closing or el.end < start:
            return False
        end = el.inner_end
        if end - start > _MAX_INNER:
            return False  # (offsets in the text: the inner HTML is this long)
        inner = text[start:end]
        visible = inner.lstrip(_BLANK)
        if visible and visible[0] not in "<&":
            # Text that prints something (neither a tag nor an entity): not
            # blank whatever follows. Most <p> stop here (half the rule's time
            # went into the checks below for them).
            return False
        for child in el.children:
            if child.tag != "br":
                return False
        if el.has("id"):
            return False
        if not inner.strip(" \t\r\n\f") and (el.tag == "div" or el.end_tag_start < 0):
            # An empty <div> is a hook for CSS or scripts; an empty <p> with no
            # </p> is a typo such as <p><p>, not spacing.
            return False
        if el.tag == "div" and el.has("class"):
            return False
        for anc in el.ancestors():
            if anc.tag in _SKIP_INSIDE:
                return False
        if "<" in inner:
            inner = _BR.sub("", inner)
        if "&" in inner:
            inner = unescape(inner)
        return _is_blank(inner)
