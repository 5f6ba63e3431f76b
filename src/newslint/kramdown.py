"""How kramdown, Jekyll's renderer, reads a post: its code and its HTML.

pulldown-cmark reads CommonMark, and kramdown differs where it matters to
what a reader sees:

- an HTML block runs across blank lines to its matching end tag, and a line
  that opens one ends the paragraph before it;
- inside an HTML block, and inline, only kramdown's tag pattern makes a tag:
  ``<U+7919>`` and ``<hash:0x1>`` are shown as text, while ``List<Token>``
  in prose is a tag (and the browser hides it);
- an end tag that closes nothing is shown as text; an element never closed
  is closed for the reader at the end of its paragraph, or, in an HTML
  block, takes the rest of the post with it as raw HTML;
- a code fence right after an HTML line is a code block;
- ``{::comment}``, ``{::nomarkdown}``, block and span attribute lists
  (``{: .class}``) are kramdown's own markup, never text.

:func:`read_kramdown` is a small port of kramdown's block parser (its
patterns, its order of block parsers) and of the span parsers that decide
code and HTML, with Jekyll's defaults (the GFM parser, its paragraph end).
What it finds is a :class:`KramdownView`: the code regions and the HTML
source the Document uses for kramdown posts instead of pulldown-cmark's,
so every rule keeps one view of what is code, markup and text. The tests
check it against the real kramdown on the corpus.
"""

from __future__ import annotations

import re
from operator import attrgetter
from typing import Any, Mapping

from .kramdown_html import (CLOSE_TAG, EXT_START, NAME, NO_BODY, SPAN_ELEMENTS, TAG, Container, Finder, Marks,
                            RawReader, SpanReader, content_model, end_tag, markdown_attr, tag_name)
from .source import Region, SourceText, mask_regions

_S = "[ \\t\\r\\n\\f\\v]"
_NS = "[^ \\t\\r\\n\\f\\v]"
_M = re.M
BLANK = re.compile(r"(?:[ \t\r\f\v]*\n)+")
_IAL_BLOCK = r"\{:(?!:|/)((?:\\\}|[^}])+)\}" + _S + "*?\n"
IAL_BLOCK_START = re.compile(r"^ {0,3}" + _IAL_BLOCK, _M)
EOB = re.compile(r"^\^" + _S + "*?\n", _M)
_LAZY_SPAN = "|".join(sorted(SPAN_ELEMENTS | {"script"}))
_LAZY_HTML_START = rf"<(?!(?:{_LAZY_SPAN})\b){NAME}"
_LAZY_HTML_STOP = rf"</(?!(?:{_LAZY_SPAN})\b){NAME}{_S}*>"
_LAZY_END = (rf"[ \t\r\f\v]*\n|^ {{0,3}}{_IAL_BLOCK}|\^{_S}*?\n| {{0,3}}{_LAZY_HTML_STOP}"
             rf"| {{0,3}}{_LAZY_HTML_START}|\Z")
LAZY_END_AT = re.compile(rf"^(?:{_LAZY_END})", _M)  # searched: the first line where it matches
_LIST_UL = r"( {0,3}[+*-])([\t| ].*?\n)"
_LIST_OL = r"( {0,3}\d+\.)([\t| ].*?\n)"
LIST_UL = re.compile(_LIST_UL)
LIST_OL = re.compile(_LIST_OL)
LIST_START = re.compile(f"{_LIST_UL}|{_LIST_OL}")
DEFINITION = re.compile(r"( {0,3}:)([\t| ].*?\n)")
ATX = re.compile(r"(#{1,6})[\t ]+(.*)\n")
BLOCKQUOTE = re.compile(r" {0,3}> ?")
FENCE = re.compile(rf" {{0,3}}(([~`]){{3,}}){_S}*?(?:({_NS}+?)(?:\?{_NS}*)?)?{_S}*?\n(.*?)^ {{0,3}}\1\2*{_S}*?\n",
                   re.M | re.S)
# kramdown's own parser (``input: kramdown``): fences of tildes only, at the margin.
FENCE_KRAMDOWN = re.compile(rf"((~){{3,}}){_S}*?(?:({_NS}+?)(?:\?{_NS}*)?)?{_S}*?\n(.*?)^\1\2*{_S}*?\n",
                            re.M | re.S)
PARAGRAPH_END_KRAMDOWN_AT = re.compile(rf"^(?:{_LAZY_END}|{DEFINITION.pattern})", _M)
# Paragraphs end where Jekyll's GFM parser (with its paragraph_end quirk) ends them.
PARAGRAPH_END_AT = re.compile(rf"^(?:{_LAZY_END}|{_LIST_UL}|{_LIST_OL}|#{{1,6}}[\t ]+.*\n|{DEFINITION.pattern}"
                           rf"| {{0,3}}>| {{0,3}}[~`]{{3,}})", _M)
CODEBLOCK = re.compile(
    rf"(?:(?:[ \t\r\f\v]*\n)*(?:(?:\t| {{4}})[ \t]*{_NS}.*\n)+"
    rf"(?:(?!^ {{0,3}}{_IAL_BLOCK}|\^{_S}*?\n| {{0,3}}{_LAZY_HTML_STOP}| {{0,3}}{_LAZY_HTML_START})"
    rf"[ \t]*{_NS}.*\n)*)*", _M)
HR = re.compile(r" {0,3}([-*_])[ \t]*\1[ \t]*\1(?:\1|[ \t])*\n")
SETEXT = re.compile(r" {0,3}([^ \t].*)\n[-=][-=]*[ \t\r\f\v]*\n")
TABLE_LINE = re.compile(r" {0,3}(?=\S)(?:\||.*?[^\\\n]\|).*?\n")
LINK_DEFINITION = re.compile(
    rf" {{0,3}}\[([^\n\]]+)\]:[ \t]*(?:<(.*?)>|([^\n]*?{_NS}[^\n]*?))"
    rf"(?:(?:[ \t]*?\n|[ \t]+?)[ \t]*?([\"'])(.+?)\4)?[ \t]*?\n")
ABBREVIATION = re.compile(r" {0,3}\*\[(.+?)\]:(.*?)\n")
ALD = re.compile(rf" {{0,3}}\{{:(\w[\w-]*):((?:\\\}}|[^}}])+)\}}{_S}*?\n")
EXT_BLOCK = re.compile(rf" {{0,3}}(?:{EXT_START.pattern}){_S}*?\n")
# Nesting of block containers (list items, quotes, Markdown inside HTML) read
# as such; deeper, kramdown recurses on, and Python's stack would not.
MAX_DEPTH = 40
_SPACE = frozenset(" \t\r\f\v\n")
_SETEXT_MARKS = frozenset(("-", "="))
TRAILING_WS = re.compile(r"[ \t]*\n")
_FIRST_LINE_IAL = re.compile(r"^[ \t\r\n\f\v]*(?:\{:(?!(?:\w[\w-]*)?:|/)((?:\\\}|[^}])+)\})?[ \t\r\n\f\v]*\n")


class KramdownView:
    """What kramdown makes of a post's body: code, markup and the problems it
    shows, in offsets of ``Document.text``."""

    __slots__ = ("code", "markup", "problems", "swallowed_from", "_body", "_base")

    def __init__(self, marks: Marks, body: str, base: int) -> None:
        self.code = sorted((Region(s, e, k) for s, e, k in marks.code), key=attrgetter("start"))
        self.markup = sorted(marks.markup)
        self.problems = marks.problems
        self.swallowed_from = marks.swallowed_from
        self._body = body
        self._base = base

    def html_source(self) -> str:
        """The body with everything but the markup kramdown keeps blanked out
        (same length, newlines kept): what the HTML parser gets to see."""
        body, base = self._body, self._base
        blank = _blank(body)  # one pass; the markup is put back in slices
        parts = []
        pos = 0
        for s, e in self.markup:
            s -= base
            e -= base
            if s < pos:
                if e <= pos:
                    continue
                s = pos
            parts.append(blank[pos:s])
            parts.append(body[s:e])
            pos = e
        parts.append(blank[pos:])
        return "".join(parts)


# Blanking at C speed: as UTF-8, every byte a space but "\n", and the
# continuation bytes deleted, so each character becomes one space.
_BLANK_BYTES = bytes(10 if b == 10 else 32 for b in range(256))
_CONTINUATION = bytes(range(0x80, 0xC0))


def _blank(text: str) -> str:
    return text.encode("utf-8", "surrogatepass").translate(_BLANK_BYTES, _CONTINUATION).decode("ascii")


def read_kramdown(source_text: SourceText, body_start: int, literal_regions: list[Region],
                  options: Mapping[str, Any] | None = None) -> KramdownView:
    """kramdown's reading of the body (Liquid literal blocks blanked out, as
    Jekyll has replaced them before kramdown runs)."""
    body = mask_regions(source_text.text, body_start, literal_regions)
    options = options or {}
    marks = Marks()
    reader = _BlockReader(marks, bool(options.get("parse_block_html", False)),
                          str(options.get("input", "GFM")).lower() != "kramdown",
                          bool(options.get("parse_span_html", True)))
    reader.blocks(Container([(body, body_start)]), 0, None)
    return KramdownView(marks, body, body_start)


class _BlockReader:
    def __init__(self, marks: Marks, parse_block_html: bool, gfm: bool, parse_span_html: bool) -> None:
        self.marks = marks
        self.fence = FENCE if gfm else FENCE_KRAMDOWN
        self.paragraph_end = PARAGRAPH_END_AT if gfm else PARAGRAPH_END_KRAMDOWN_AT
        self.parse_block_html = parse_block_html
        self.finder = Finder()
        self.spans = SpanReader(marks, self.finder, parse_span_html)
        self.raw = RawReader(marks, self.finder)
        # Fences never closed: (position, length) from which no closing fence of
        # that character follows, so later openers need no look-ahead.
        self._unclosed_fence: dict[tuple[int, str], tuple[str, int, int]] = {}
        self.depth = 0

    def blocks(self, c: Container, pos: int, stop: str | None, raw_inside: bool = False) -> tuple[int, bool]:
        """kramdown's parse_blocks over ``c.src`` from ``pos``: until the end,
        or until an end tag ``</stop>`` at a block's start (returns after it, True).

        kramdown tries its block parsers in order at each block's start; the
        first character of the line (after up to three spaces) rules most of
        them out, so only the parsers it allows are tried, in kramdown's order.
        """
        src = c.src
        n = len(src)
        marks = self.marks
        self.depth += 1
        try:
            while pos < n:
                ch = src[pos]
                if ch in _SPACE:
                    m = BLANK.match(src, pos)
                    if m is not None:
                        pos = m.end()
                        continue
                    if ch == "\t" or src.startswith("    ", pos):
                        m = CODEBLOCK.match(src, pos)
                        if m is not None and m.end() > pos:
                            marks.code.append((c.at(pos), c.at(m.end()), "code-block"))
                            pos = m.end()
                            continue
                    j = pos
                    while j < pos + 3 and src[j] == " ":
                        j += 1
                    ch = src[j]
                if ch == "`" or ch == "~":
                    m = self._fence(src, pos, ch)
                    if m is not None:
                        marks.code.append((c.at(pos), c.at(m.end()), "code-block"))
                        pos = m.end()
                        continue
                elif ch == ">" and self.depth < MAX_DEPTH:
                    pos = self._blockquote(c, pos)
                    continue
                elif ch == "#":
                    m = ATX.match(src, pos)
                    if m is not None:
                        self.spans.read(c, m.start(2), m.end(2))
                        pos = m.end()
                        continue
                elif ch == "<":
                    done = self._block_html(c, pos, stop, raw_inside)
                    if done is not None:
                        pos, found = done
                        if found:
                            return pos, True
                        continue
                elif ch == "{":
                    end = self._block_extension(c, pos)
                    if end is not None:
                        pos = end
                        continue
                elif ch == "^":
                    m = EOB.match(src, pos)
                    if m is not None:
                        pos = m.end()
                        continue
                if ch in "-*_":
                    m = HR.match(src, pos)
                    if m is not None:
                        pos = m.end()
                        continue
                if ch in "+*-:" or "0" <= ch <= "9":
                    if (LIST_START.match(src, pos) or DEFINITION.match(src, pos)) and self.depth < MAX_DEPTH:
                        pos = self._list(c, pos)
                        continue
                eol = src.find("\n", pos) + 1
                if src[eol:eol + 1] in _SETEXT_MARKS:
                    m = SETEXT.match(src, pos)
                    if m is not None:
                        self.spans.read(c, m.start(1), m.end(1))
                        pos = m.end()
                        continue
                if src.find("|", pos, eol) != -1:
                    m = TABLE_LINE.match(src, pos)
                    if m is not None:
                        while m is not None:
                            self.spans.read(c, m.start(), m.end())
                            pos = m.end()
                            m = TABLE_LINE.match(src, pos)
                        continue
                if ch == "[" or ch == "*":
                    m = LINK_DEFINITION.match(src, pos) or ABBREVIATION.match(src, pos)
                    if m is not None:
                        pos = m.end()
                        continue
                pos = self._paragraph(c, pos, eol)
            return pos, False
        finally:
            self.depth -= 1

    def _fence(self, src: str, pos: int, ch: str) -> re.Match[str] | None:
        """The fenced code block at ``pos``, if its fence is ever closed."""
        j = pos
        while src[j] == " ":
            j += 1
        k = j
        while src[k] == ch:
            k += 1
        key = (id(src), ch)
        failed = self._unclosed_fence.get(key)
        if failed is not None and failed[0] is src and pos >= failed[1] and k - j >= failed[2]:
            return None  # a longer fence needs a longer close, and none came after an earlier one
        m = self.fence.match(src, pos)
        if m is None and k - j >= 3 and re.compile(rf"^ {{0,3}}{re.escape(ch)}{{{k - j},}}[ \t\r\f\v]*\n", re.M).search(
                src, src.find("\n", pos) + 1) is None:
            self._unclosed_fence[key] = (src, pos, k - j)
        return m

    def _paragraph(self, c: Container, pos: int, eol: int) -> int:
        """A paragraph: from ``pos`` to the first line after its first
        (``eol``) where the GFM parser's paragraph end matches."""
        m = self.paragraph_end.search(c.src, eol)
        end = m.start() if m is not None else len(c.src)
        self.spans.read(c, pos, end)
        return end

    def _blockquote(self, c: Container, pos: int) -> int:
        src = c.src
        eol = src.find("\n", pos) + 1
        m = LAZY_END_AT.search(src, eol)
        end = m.start() if m is not None else len(src)
        lines = []
        while pos < end:
            eol = src.find("\n", pos) + 1 or end
            m = BLOCKQUOTE.match(src, pos)
            lines.append(c.piece(m.end() if m is not None else pos, eol))
            pos = eol
        self.blocks(Container(lines), 0, None)
        return end

    def _list(self, c: Container, pos: int) -> int:
        """kramdown's parse_list: the items' lines, with their indentation
        removed, each read as blocks of its own."""
        src = c.src
        n = len(src)
        m = LIST_UL.match(src, pos)
        kind = "ul" if m is not None else ("ol" if LIST_OL.match(src, pos) else "dl")
        item_re = {"ul": LIST_UL, "ol": LIST_OL, "dl": DEFINITION}[kind]
        items: list[list[list[tuple[str, int]]]] = []
        indentation = 0
        content_re = lazy_re = None
        nested = last_blank = False
        while pos < n:
            ch = src[pos]
            if ch in _SPACE:
                m = BLANK.match(src, pos)
                if m is not None:  # a blank line: no other pattern here takes one
                    if not items:
                        break
                    nested = True
                    last_blank = True
                    items[-1][-1].append(c.piece(pos, m.end()))
                    pos = m.end()
                    continue
            if last_blank and HR.match(src, pos):
                break
            if ch == "^":
                m = EOB.match(src, pos)
                if m is not None:
                    pos = m.end()
                    break
            m = item_re.match(src, pos)
            if m is not None:
                marker, content = m.group(1), m.group(2)
                lead = len(content) - len(content.lstrip(" \t"))
                if _FIRST_LINE_IAL.match(content):
                    indentation = 4
                else:
                    indentation = len(marker) + len(content.expandtabs(4)) - len(content.expandtabs(4).lstrip(" "))
                item_re = _item_pattern(kind, indentation)
                content_re, lazy_re = _item_patterns(indentation)
                items.append([[c.piece(m.start(2) + lead, m.end())]])
                nested = LIST_START.match(content[lead:]) is not None
                last_blank = False
                pos = m.end()
                continue
            m = content_re.match(src, pos) if content_re is not None else None
            if m is None and not last_blank and lazy_re is not None:
                m = lazy_re.match(src, pos)
            if m is not None and items:
                line = m.group()
                cut = 0
                if line.startswith(" " * indentation):
                    cut = indentation
                elif line.startswith("\t"):
                    cut = min(len(line) - len(line.lstrip("\t")), max(1, indentation // 4))
                found = cut > 0
                if not nested and found and LIST_START.match(line[cut:]):
                    items[-1].append([])
                    nested = True
                items[-1][-1].append(c.piece(pos + cut, m.end()))
                last_blank = False
                pos = m.end()
                continue
            m = BLANK.match(src, pos)
            if m is not None and m.end() > pos and items:
                nested = True
                last_blank = True
                items[-1][-1].append(c.piece(pos, m.end()))
                pos = m.end()
                continue
            break
        for item in items:
            for chunk in item:
                if chunk and any(_ITEM_MATTERS.search(text) for text, _ in chunk):
                    self.blocks(Container(chunk), 0, None)
        return pos

    def _block_html(self, c: Container, pos: int, stop: str | None,
                    raw_inside: bool) -> tuple[int, bool] | None:
        """kramdown's parse_block_html at ``pos``: (where it ends, whether it
        was the end tag of ``stop``), or None when this is no HTML block."""
        src = c.src
        marks = self.marks
        end = self.finder.comment(src, pos) if src.startswith("<!--", pos) else -1
        if end != -1:
            marks.markup.append((c.at(pos), c.at(end)))
            t = TRAILING_WS.match(src, end)
            return (t.end() if t is not None else end), False
        at = pos
        while at < pos + 3 and src[at] == " ":
            at += 1
        m = TAG.match(src, at)
        if m is not None and m.group("name").lower() not in SPAN_ELEMENTS:
            return self._element(c, at, m, raw_inside), False
        m = CLOSE_TAG.match(src, at)
        if m is not None and m.group("name").lower() not in SPAN_ELEMENTS:
            if stop is not None and tag_name(m.group("name")) == stop:
                marks.markup.append((c.at(at), c.at(m.end())))
                return m.end(), True
        return None

    def _element(self, c: Container, at: int, m: re.Match[str], raw_inside: bool) -> int:
        src = c.src
        marks = self.marks
        name = tag_name(m.group("name"))
        marks.markup.append((c.at(at), c.at(m.end())))
        pos = m.end()
        closed = bool(m.group("closed")) or name in NO_BODY
        if name in ("script", "style"):
            end = self.finder.search(end_tag(name), src, pos)
            if end is None:
                marks.swallow(c.at(at))
                return len(src)
            marks.markup.append((c.at(end.start()), c.at(end.end())))
            return end.end()
        model = "raw" if raw_inside else (content_model(name) if self.parse_block_html else "raw")
        asked = markdown_attr(m.group("attrs") or "")
        if asked is not None:
            model = content_model(name) if asked == "default" else asked
        if model == "block" and self.depth >= MAX_DEPTH:
            model = "raw"
        if model == "block":
            t = TRAILING_WS.match(src, pos)
            if t is not None:
                pos = t.end()
        if closed:
            return pos
        if model == "block":
            pos, _found = self.blocks(c, pos, name)
        elif model == "span":
            end = self.finder.search(end_tag(name), src, pos)
            if end is None:
                self.spans.read(c, pos, len(src))
                return len(src)
            self.spans.read(c, pos, end.start())
            marks.markup.append((c.at(end.start()), c.at(end.end())))
            pos = end.end()
        else:
            pos = self.raw.read(c, pos, name, at)
        if not raw_inside:
            t = TRAILING_WS.match(src, pos)
            if t is not None:
                pos = t.end()
        return pos

    def _block_extension(self, c: Container, pos: int) -> int | None:
        src = c.src
        m = ALD.match(src, pos) or (None if EXT_BLOCK.match(src, pos) else IAL_BLOCK_START.match(src, pos))
        if m is not None:
            self.marks.code.append((c.at(pos), c.at(m.end()), "kramdown-ial"))
            return m.end()
        m = EXT_BLOCK.match(src, pos)
        if m is None:
            return None
        e = EXT_START.search(src, pos, m.end())
        if e is None or e.group(4) is not None or e.group(0) == "{:/}":
            return None
        ext = e.group(1)
        if ext not in ("comment", "nomarkdown", "options"):
            return None
        if e.group(3):
            self.marks.code.append((c.at(pos), c.at(m.end()), "kramdown-extension"))
            return m.end()
        stop = self.finder.search(re.compile(rf"^ {{0,3}}\{{:/({re.escape(ext)})?\}}{_S}*?\n", re.M), src, m.end())
        if stop is None:
            return None
        self.spans.extension(c, pos, m.end(), stop.start(), stop.end(), ext)
        return stop.end()


_ITEM_STARTS: dict[tuple[str, int], re.Pattern[str]] = {}
# What makes a list item's reading matter: code, markup, kramdown's own
# syntax, an indented line (code, or a nested list holding some).
_ITEM_MATTERS = re.compile(r"[`<~{^$]|^(?: {4}|\t)")


def _item_pattern(kind: str, indentation: int) -> re.Pattern[str]:
    got = _ITEM_STARTS.get((kind, indentation))
    if got is None:
        spaces = min(3, indentation - 1)
        marker = {"ul": "[+*-]", "ol": r"\d+\.", "dl": ":"}[kind]
        got = _ITEM_STARTS[(kind, indentation)] = re.compile(rf"( {{0,{spaces}}}{marker})([\t| ].*?\n)")
    return got


_ITEM_PATTERNS: dict[int, tuple[re.Pattern[str], re.Pattern[str]]] = {}


def _item_patterns(indentation: int) -> tuple[re.Pattern[str], re.Pattern[str]]:
    """kramdown's content_re and lazy_re for a list item's other lines."""
    got = _ITEM_PATTERNS.get(indentation)
    if got is None:
        q, r = divmod(indentation, 4)
        content = re.compile(rf"(?:(?:\t| {{4}}){{{q}}} {{{r}}}|(?:\t| {{4}}){{{q + 1}}}).*{_NS}.*\n")
        lazy = re.compile(rf"(?! {{0,{min(indentation, 3)}}}(?:{_IAL_BLOCK}|{_LAZY_HTML_STOP}|{_LAZY_HTML_START}))"
                          rf".*{_NS}.*\n")
        got = _ITEM_PATTERNS[indentation] = (content, lazy)
    return got

