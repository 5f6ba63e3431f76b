"""A small HTML tree with exact source spans, built on ``html.parser``.

``html.parser`` is the tokenizer bs4 uses when it reports ``sourceline``; we
build our own light tree on it because rules need more than bs4 keeps: the span
of every start tag, end tag and attribute in the original text, so a fix can
delete one attribute without re-serialising anything. We never write HTML back
from this tree.

The parser sees a copy of the body in which code and Markdown syntax are
blanked out (same length, newlines kept), so every position maps back to the
file by adding the body's offset.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from html import unescape
from html.parser import HTMLParser
from itertools import chain
from operator import attrgetter
from typing import Iterator
from weakref import ref

from .html_fast import SEEN, SEEN_LONGEST, read_at
from .source import SourceText

VOID = frozenset(
    "area base br col embed hr img input link meta param source track wbr".split()
)
# Elements that close an open <p> (HTML's "closes a p element" list).
CLOSES_P = frozenset(
    "address article aside blockquote details div dl fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hgroup hr main menu nav ol p pre section table ul".split()
)
_TABLE_SCOPE = frozenset(("table", "tbody", "thead", "tfoot"))
# Elements whose end tag HTML lets the author leave out: never "unclosed".
OPTIONAL_END = frozenset(
    "p li dt dd td th tr thead tbody tfoot colgroup caption option optgroup rb rt rtc rp html head body".split()
)

# The attribute pattern of html.parser (attrfind_tolerant), with spans.
_ATTR = re.compile(
    r'((?<=[\'"\s/])[^\s/>][^\s/=>]*)(\s*=+\s*'
    r'(\'[^\']*\'|"[^"]*"|(?![\'"])[^>\s]*))?(?:\s|/(?!>))*'
)
_TAGNAME = re.compile(r"<[a-zA-Z][^\t\n\r\f />\x00]*")


@dataclass(slots=True, eq=False)
class Attr:
    name: str
    value: str | None  # unescaped, None for a bare attribute
    start: int  # the name (after the whitespace that precedes it)
    end: int  # after the value and its quote
    value_start: int  # the raw value without quotes (== end when there is no value)
    value_end: int
    ws_start: int  # the whitespace before the name: delete [ws_start, end) to remove it


class Element:
    """An element of the tree, with the spans of its tags in the file.

    Its parent is held by a weak reference (``children`` holds the strong
    ones), so a tree has no reference cycle: it goes as soon as its document
    does, without waiting for the cyclic garbage collector. ``text`` is the
    whole file's text (a string, not the document).
    """

    __slots__ = ("tag", "attrs", "start", "start_end", "end", "end_tag_start", "_parent", "children",
                 "self_closing", "_text", "__weakref__")

    def __init__(self, tag: str, attrs: list[tuple[str, str | None]], start: int, start_end: int,
                 end: int = -1, parent: "Element | None" = None, self_closing: bool = False, text: str = "") -> None:
        self.tag = tag
        self.attrs = attrs
        self.start = start
        self.start_end = start_end  # just after the start tag's ">"
        self.end = end  # just after the end tag; == start_end when void or unclosed at EOF
        self.end_tag_start = -1  # the start of "</tag>", -1 when implied
        self._parent = None if parent is None else ref(parent)
        self.children: list[Element] = []
        self.self_closing = self_closing
        self._text = text

    def __repr__(self) -> str:
        return f"Element({self.tag!r}, {self.attrs!r}, start={self.start}, end={self.end})"

    @property
    def parent(self) -> "Element | None":
        return None if self._parent is None else self._parent()

    def get(self, name: str, default: str | None = None) -> str | None:
        for k, v in self.attrs:
            if k == name:
                return v if v is not None else ""
        return default

    def has(self, name: str) -> bool:
        return any(k == name for k, _ in self.attrs)

    @property
    def start_tag(self) -> str:
        return self._text[self.start : self.start_end]

    @property
    def inner_start(self) -> int:
        return self.start_end

    @property
    def inner_end(self) -> int:
        return self.end_tag_start if self.end_tag_start >= 0 else self.end

    def inner_html(self) -> str:
        return self._text[self.inner_start : self.inner_end]

    def text(self) -> str:
        """The element's text content: tags stripped, entities decoded."""
        return unescape(_TAG_OR_COMMENT.sub("", self.inner_html()))

    def attr_spans(self) -> list[Attr]:
        """Every attribute with its exact span in the file."""
        raw = self.start_tag
        m = _TAGNAME.match(raw)
        if not m:
            return []
        out: list[Attr] = []
        pos = m.end()
        limit = len(raw) - (2 if raw.endswith("/>") else 1)
        while pos < limit:
            am = _ATTR.match(raw, pos)
            if not am:
                # whitespace before the first attribute or junk: skip one char
                pos += 1
                continue
            name = am.group(1).lower()
            value_raw = am.group(3)
            if value_raw is None:
                vs = ve = am.end(1)
                value = None
            elif value_raw[:1] in ("'", '"') and value_raw[-1:] == value_raw[:1] and len(value_raw) >= 2:
                vs, ve = am.start(3) + 1, am.end(3) - 1
                value = unescape(value_raw[1:-1])
            else:
                vs, ve = am.start(3), am.end(3)
                value = unescape(value_raw)
            end = am.end(3) if value_raw is not None else am.end(1)
            out.append(Attr(name, value, self.start + am.start(1), self.start + end,
                            self.start + vs, self.start + ve, self.start + _ws_back(raw, am.start(1))))
            pos = am.end() if am.end() > pos else pos + 1
        return out

    def iter(self) -> Iterator["Element"]:
        stack = list(reversed(self.children))
        while stack:
            el = stack.pop()
            yield el
            stack.extend(reversed(el.children))

    def find_all(self, *tags: str) -> list["Element"]:
        return [el for el in self.iter() if el.tag in tags]

    def ancestors(self) -> Iterator["Element"]:
        p = self.parent
        while p is not None:
            yield p
            p = p.parent


def _ws_back(raw: str, name_start: int) -> int:
    i = name_start
    while i > 0 and raw[i - 1] in " \t\r\n\f":
        i -= 1
    return i


_START = attrgetter("start")
_TAG_OR_COMMENT = re.compile(r"<!--.*?(?:-->|$)|<[^>]*>", re.S)


@dataclass(slots=True)
class Comment:
    start: int
    end: int
    data: str


@dataclass
class HtmlTree:
    root: Element
    elements: list[Element]  # document order
    comments: list[Comment]
    # (offset, message): unclosed comments, scripts, stray end tags, ...
    problems: list[tuple[int, str]] = field(default_factory=list)
    # Where a construct never closed (a `<!--`, a `<script>`) starts: from
    # there on the browser reads the rest of the post as a comment or raw
    # text, and newslint's view of what is markup may not be the browser's.
    swallowed_from: int | None = None

    def swallow(self, offset: int) -> None:
        if self.swallowed_from is None or offset < self.swallowed_from:
            self.swallowed_from = offset

    @classmethod
    def empty(cls) -> "HtmlTree":
        return cls(Element("#root", [], 0, 0, 0), [], [], [])

    def find_all(self, *tags: str) -> list[Element]:
        if not self.elements:
            return []  # most posts have no HTML, and most rules ask
        by = self._by_tag()
        if len(tags) == 1:
            return by.get(tags[0], [])
        found = [got for t in tags if (got := by.get(t))]
        if len(found) < 2:  # mostly none or one of the tags (no heading, no <b> or one kind of them)
            return found[0] if found else []
        return sorted(chain.from_iterable(found), key=_START)

    def _by_tag(self) -> dict[str, list[Element]]:
        cache = self.__dict__.get("_by_tag_cache")
        if cache is None:
            cache = {}
            for el in self.elements:
                cache.setdefault(el.tag, []).append(el)
            self.__dict__["_by_tag_cache"] = cache
        return cache


# Implied end tags, enough to keep tables, lists and paragraphs right: a start
# tag of the key closes the open ``tags`` below the nearest ``stop`` element.
# One dict look-up per start tag decides (most tags are in no entry); an
# if/elif chain of seven membership tests did the same work before.
_CLOSE_P = (frozenset(("p",)), frozenset(("button", "table", "td", "th", "li", "div")))
_CLOSE_CELL = (frozenset(("td", "th")), frozenset(("tr", "table")))
_CLOSE_ROW = (frozenset(("td", "th", "tr")), _TABLE_SCOPE)
_CLOSE_SECTION = (frozenset(("td", "th", "tr", "thead", "tbody", "tfoot")), frozenset(("table",)))
_IMPLIED_CLOSE: dict[str, tuple[frozenset[str], frozenset[str]]] = {
    **{tag: _CLOSE_P for tag in CLOSES_P},
    "td": _CLOSE_CELL,
    "th": _CLOSE_CELL,
    "tr": _CLOSE_ROW,
    "thead": _CLOSE_SECTION,
    "tbody": _CLOSE_SECTION,
    "tfoot": _CLOSE_SECTION,
    "li": (frozenset(("li",)), frozenset(("ul", "ol"))),
    "dt": (frozenset(("dt", "dd")), frozenset(("dl",))),
    "dd": (frozenset(("dt", "dd")), frozenset(("dl",))),
    "option": (frozenset(("option",)), frozenset(("select",))),
}


class _Builder(HTMLParser):
    """Builds the tree from html.parser's callbacks.

    Positions: html.parser keeps a (line, column) position that it advances in
    ``updatepos(i, j)``, called once per token and per text run, in order, with
    indices into its buffer (``rawdata``, trimmed after each ``goahead``). The
    concatenation of those ``[i, j)`` pieces is exactly the text fed so far, so
    summing ``j - i`` gives the absolute offset in ``source`` of the token being
    reported, across buffer trims and several ``feed()`` calls (``_feed`` feeds
    slices). A handler reads it as ``self._pos`` (checked against the stock
    line/column in tests/test_html.py; html.parser 3.10.13, 3.11.7, 3.12.1 and
    3.13.0 call updatepos the same way). The stock version counts newlines in
    every piece, and we then mapped (line, column) back through a table of
    line starts built per document. ``getpos()`` is therefore not maintained:
    nothing reads it (3.10's ``parse_starttag`` calls it but drops the result).
    """

    def __init__(self, source: str, base: int, text: str) -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.base = base
        self.text = text
        self._pos = 0  # offset in ``source`` of html.parser's current position
        self.root = Element("#root", [], base, base, base + len(source), None, False, text)
        self.stack: list[Element] = [self.root]
        self.elements: list[Element] = []
        self.comments: list[Comment] = []
        self.problems: list[tuple[int, str]] = []
        self.swallowed: list[int] = []

    def updatepos(self, i: int, j: int) -> int:
        # See the class docstring. html.parser never calls this with j < i.
        if i < j:
            self._pos += j - i
        return j

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.handle_starttag(tag, attrs, True)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]], self_closing: bool = False) -> None:
        start = self.base + self._pos
        self.start_tag(tag, attrs, start, start + len(self.get_starttag_text() or ""), self_closing)

    def start_tag(self, tag: str, attrs: list[tuple[str, str | None]], start: int, start_end: int,
                  self_closing: bool) -> None:
        """A start tag at ``[start, start_end)`` of the file (html.parser's: feed_fast has its own copy)."""
        stack = self.stack
        implied = _IMPLIED_CLOSE.get(tag)
        if implied is not None and len(stack) > 1:
            # With only the root open there is nothing to close (most of them:
            # a top-level <p>, <div>, ...).
            self._close_implied(implied[0], implied[1], start)
        parent = stack[-1]
        if tag in VOID or self_closing:
            el = Element(tag, attrs, start, start_end, start_end, parent, self_closing, self.text)
        else:
            el = Element(tag, attrs, start, start_end, -1, parent, False, self.text)
            stack.append(el)
        parent.children.append(el)
        self.elements.append(el)

    def _close_implied(self, tags: frozenset[str], stop: frozenset[str], here: int) -> None:
        # Close from the outermost open element among ``tags`` below the nearest
        # ``stop``: a new <tr> closes the open <tr> (and its <td>), not just the <td>.
        stack = self.stack
        found = 0
        for i in range(len(stack) - 1, 0, -1):
            t = stack[i].tag
            if t in tags:
                found = i
            elif t in stop:
                break
        if found:
            for el in stack[found:]:
                el.end = here
            del stack[found:]

    def handle_endtag(self, tag: str) -> None:
        start = self._pos
        gt = self.source.find(">", start)
        self.end_tag(tag, start, gt + 1 if gt != -1 else len(self.source))

    def end_tag(self, tag: str, start: int, end: int) -> None:
        """An end tag at ``[start, end)`` of the source (html.parser's, or html_fast's)."""
        base = self.base
        stack = self.stack
        el = stack[-1]
        if el.tag == tag:
            # The usual case: it closes the innermost open element (never the
            # root: "#root" is no tag name html.parser can report).
            el.end_tag_start = base + start
            el.end = base + end
            stack.pop()
            return
        for i in range(len(stack) - 2, 0, -1):
            if stack[i].tag == tag:
                el = stack[i]
                for inner in stack[i + 1 :]:
                    inner.end = base + start
                    if inner.tag not in OPTIONAL_END:
                        self.problems.append((inner.start, f"<{inner.tag}> is not closed before </{tag}> "
                                              "(mismatched tags)"))
                el.end_tag_start = base + start
                el.end = base + end
                del stack[i:]
                return
        if tag not in VOID and tag != "p":
            self.problems.append((base + start, f"stray end tag </{tag}> closes nothing"))

    def handle_comment(self, data: str) -> None:
        start = self._pos
        end = self.source.find("-->", start)
        end = end + 3 if end != -1 else len(self.source)
        self.comments.append(Comment(self.base + start, self.base + end, data))

    def feed_fast(self, source: str) -> bool:
        """Build from the tokens of html_fast (the reading of ``fast_tokens``,
        without a token list and a call per tag); False, and a tree to throw
        away, when ``source`` holds markup html.parser must read."""
        base, text, stack, elements = self.base, self.text, self.stack, self.elements
        find, seen, longest = source.find, SEEN.get, SEEN_LONGEST
        pos = find("<")
        while pos != -1:
            gt = find(">", pos, pos + longest)  # a tag read before, or the regex reads it
            got = seen(source[pos : gt + 1]) if gt != -1 else None
            if got is None and (got := read_at(source, pos)) is None:
                return False
            kind, name, attrs, self_closing, length = got
            end = pos + length
            if kind == 0:  # start_tag, inline
                start = base + pos
                implied = _IMPLIED_CLOSE.get(name)
                if implied is not None and len(stack) > 1:
                    self._close_implied(implied[0], implied[1], start)
                parent = stack[-1]
                if self_closing or name in VOID:
                    el = Element(name, attrs.copy(), start, base + end, base + end, parent, self_closing, text)
                else:
                    el = Element(name, attrs.copy(), start, base + end, -1, parent, False, text)
                    stack.append(el)
                parent.children.append(el)
                elements.append(el)
            elif kind == 1:
                el = stack[-1]
                if el.tag == name:  # end_tag's usual case, inline
                    el.end_tag_start = base + pos
                    el.end = base + end
                    stack.pop()
                else:
                    self.end_tag(name, pos, end)
            elif kind == 2:
                self.comments.append(Comment(base + pos, base + end, name))
            pos = find("<", end)
        return True

    def finish(self) -> HtmlTree:
        end = self.base + len(self.source)
        for el in self.stack[1:]:
            if el.end < 0:
                el.end = end
                if el.tag in self.CDATA_CONTENT_ELEMENTS or el.tag in ("textarea", "title"):
                    self.problems.append((el.start, f"<{el.tag}> is never closed: it swallows the rest of the post"))
                    self.swallowed.append(el.start)
                elif el.tag not in OPTIONAL_END:
                    self.problems.append((el.start, f"<{el.tag}> is never closed"))
        tree = HtmlTree(self.root, self.elements, self.comments, self.problems)
        for offset in self.swallowed:
            tree.swallow(offset)
        return tree


def parse_html(source: str, base: int, source_text: SourceText) -> HtmlTree:
    """The tree of ``source``, the body of ``source_text`` from offset ``base``
    with code and Markdown syntax blanked out (see the module docstring)."""
    if "<" not in source:
        return HtmlTree.empty()
    builder = _Builder(source, base, source_text.text)
    if builder.feed_fast(source):
        return builder.finish()
    builder = _Builder(source, base, source_text.text)  # html.parser reads it all, from the start
    try:
        unclosed_comment = _feed(builder, source)
    except Exception as exc:  # pragma: no cover - html.parser is tolerant
        unclosed_comment = None
        builder.problems.append((base, f"HTML could not be parsed: {exc}"))
        builder.swallowed.append(base)
    tree = builder.finish()
    if unclosed_comment is not None:
        tree.comments.append(Comment(base + unclosed_comment, base + len(source), source[unclosed_comment + 4 :]))
        tree.problems.append((base + unclosed_comment, "HTML comment `<!--` is never closed: it hides the rest of the post"))
        tree.swallow(base + unclosed_comment)
    return tree


def _feed(builder: _Builder, source: str) -> int | None:
    """Feed ``source`` to the parser; returns the offset of a comment that is never closed.

    A browser treats everything after an unclosed ``<!--`` as the comment. We
    stop there too, instead of letting ``html.parser`` retry every later ``<``
    (quadratic: ``"<!--" * 50000`` took 30 s). A ``<!--`` inside ``<script>``
    or ``<style>``, or inside a tag still open, is text: parsing goes on.
    """
    # No tag, comment end or end tag can start after the last ">": feed only up
    # to it. html.parser would otherwise rescan that tail once per "<" in it
    # (quadratic: "<a " * 20000 took 35 s). A "<!--" in the tail is a comment
    # never closed (closing one needs a ">"), unless a <script> is still open.
    limit = source.rfind(">") + 1
    if limit < len(source) and "<" in source[limit:]:
        tail_comment = source.find("<!--", limit)
        at = _feed(builder, source[:limit])
        if at is None and tail_comment != -1 and builder.cdata_elem is None:
            return tail_comment
        return at
    at = _find_unclosed_comment(source)
    if at is None:
        builder.feed(source)
        builder.close()
        return None
    # No "-->" follows ``at``: every later "<!--" is unclosed too.
    pos = 0
    while at is not None:
        builder.feed(source[pos:at])
        pos = at
        # Unless the parser is inside a construct (a tag still open, its
        # "<" in the buffer): text it holds back, as a charref that may be
        # cut in half ("AT&T" before "<!--"), does not make "<!--" part of one.
        if builder.cdata_elem is None and "<" not in builder.rawdata:
            builder.close()
            return at
        nxt = source.find("<!--", at + 4)
        at = nxt if nxt != -1 else None
    builder.feed(source[pos:])
    builder.close()
    return None


def _find_unclosed_comment(source: str) -> int | None:
    pos = 0
    while True:
        i = source.find("<!--", pos)
        if i == -1:
            return None
        j = source.find("-->", i + 4)
        if j == -1:
            return i
        pos = j + 3
