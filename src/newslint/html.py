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
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    from .document import Document

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


@dataclass(slots=True, eq=False)
class Element:
    tag: str
    attrs: list[tuple[str, str | None]]
    start: int
    start_end: int  # just after the start tag's ">"
    end: int = -1  # just after the end tag; == start_end when void or unclosed at EOF
    end_tag_start: int = -1  # the start of "</tag>", -1 when implied
    parent: "Element | None" = None
    children: list["Element"] = field(default_factory=list)
    self_closing: bool = False
    _doc: "Document | None" = field(default=None, repr=False)

    def get(self, name: str, default: str | None = None) -> str | None:
        for k, v in self.attrs:
            if k == name:
                return v if v is not None else ""
        return default

    def has(self, name: str) -> bool:
        return any(k == name for k, _ in self.attrs)

    @property
    def start_tag(self) -> str:
        assert self._doc is not None
        return self._doc.text[self.start : self.start_end]

    @property
    def inner_start(self) -> int:
        return self.start_end

    @property
    def inner_end(self) -> int:
        return self.end_tag_start if self.end_tag_start >= 0 else self.end

    def inner_html(self) -> str:
        assert self._doc is not None
        return self._doc.text[self.inner_start : self.inner_end]

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
            ws = pos
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
                            self.start + vs, self.start + ve, self.start + _ws_back(raw, am.start(1), ws)))
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


def _ws_back(raw: str, name_start: int, floor: int) -> int:
    i = name_start
    while i > 0 and raw[i - 1] in " \t\r\n\f":
        i -= 1
    return i


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

    @classmethod
    def empty(cls) -> "HtmlTree":
        return cls(Element("#root", [], 0, 0, 0), [], [], [])

    def find_all(self, *tags: str) -> list[Element]:
        by = self._by_tag()
        if len(tags) == 1:
            return by.get(tags[0], [])
        out = [el for t in tags for el in by.get(t, [])]
        out.sort(key=lambda el: el.start)
        return out

    def _by_tag(self) -> dict[str, list[Element]]:
        cache = self.__dict__.get("_by_tag_cache")
        if cache is None:
            cache = {}
            for el in self.elements:
                cache.setdefault(el.tag, []).append(el)
            self.__dict__["_by_tag_cache"] = cache
        return cache


class _Builder(HTMLParser):
    def __init__(self, source: str, base: int, doc: "Document") -> None:
        super().__init__(convert_charrefs=True)
        self.source = source
        self.base = base
        self.doc = doc
        # Offsets of line starts in ``source`` (html.parser reports line/column).
        self.starts = [0]
        find = source.find
        pos = find("\n")
        while pos != -1:
            self.starts.append(pos + 1)
            pos = find("\n", pos + 1)
        self.root = Element("#root", [], base, base, base + len(source))
        self.root._doc = doc
        self.stack: list[Element] = [self.root]
        self.elements: list[Element] = []
        self.comments: list[Comment] = []
        self.problems: list[tuple[int, str]] = []

    def _here(self) -> int:
        line, col = self.getpos()
        return self.starts[line - 1] + col

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, False)

    def handle_startendtag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self._start(tag, attrs, True)

    def _start(self, tag: str, attrs: list[tuple[str, str | None]], self_closing: bool) -> None:
        start = self._here()
        raw = self.get_starttag_text() or ""
        stack = self.stack
        # Implied end tags, enough to keep tables, lists and paragraphs right.
        if tag in CLOSES_P:
            self._close_implied("p", stop=("button", "table", "td", "th", "li", "div"))
        if tag in ("td", "th"):
            self._close_implied("td", "th", stop=("tr", "table"))
        elif tag == "tr":
            self._close_implied("td", "th", "tr", stop=_TABLE_SCOPE)
        elif tag in ("thead", "tbody", "tfoot"):
            self._close_implied("td", "th", "tr", "thead", "tbody", "tfoot", stop=("table",))
        elif tag == "li":
            self._close_implied("li", stop=("ul", "ol"))
        elif tag in ("dt", "dd"):
            self._close_implied("dt", "dd", stop=("dl",))
        elif tag == "option":
            self._close_implied("option", stop=("select",))
        el = Element(tag, attrs, self.base + start, self.base + start + len(raw))
        el._doc = self.doc
        el.parent = stack[-1]
        el.self_closing = self_closing
        stack[-1].children.append(el)
        self.elements.append(el)
        if tag in VOID or self_closing:
            el.end = el.start_end
        else:
            stack.append(el)
            if tag in self.CDATA_CONTENT_ELEMENTS:
                # html.parser will not report the end of an unclosed <script>.
                pass

    def _close_implied(self, *tags: str, stop: tuple[str, ...] | frozenset[str]) -> None:
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
            here = self.base + self._here()
            for el in stack[found:]:
                el.end = here
            del stack[found:]

    def handle_endtag(self, tag: str) -> None:
        start = self._here()
        gt = self.source.find(">", start)
        end = gt + 1 if gt != -1 else len(self.source)
        stack = self.stack
        for i in range(len(stack) - 1, 0, -1):
            if stack[i].tag == tag:
                el = stack[i]
                for inner in stack[i + 1 :]:
                    inner.end = self.base + start
                    if inner.tag not in OPTIONAL_END:
                        self.problems.append((inner.start, f"<{inner.tag}> is not closed before </{tag}> "
                                              "(mismatched tags)"))
                el.end_tag_start = self.base + start
                el.end = self.base + end
                del stack[i:]
                return
        if tag not in VOID and tag != "p":
            self.problems.append((self.base + start, f"stray end tag </{tag}> closes nothing"))

    def handle_comment(self, data: str) -> None:
        start = self._here()
        end = self.source.find("-->", start)
        end = end + 3 if end != -1 else len(self.source)
        self.comments.append(Comment(self.base + start, self.base + end, data))

    def finish(self) -> HtmlTree:
        end = self.base + len(self.source)
        for el in self.stack[1:]:
            if el.end < 0:
                el.end = end
                if el.tag in self.CDATA_CONTENT_ELEMENTS or el.tag in ("textarea", "title"):
                    self.problems.append((el.start, f"<{el.tag}> is never closed: it swallows the rest of the post"))
                elif el.tag not in OPTIONAL_END:
                    self.problems.append((el.start, f"<{el.tag}> is never closed"))
        return HtmlTree(self.root, self.elements, self.comments, self.problems)


def parse_html(source: str, base: int, doc: "Document") -> HtmlTree:
    if "<" not in source:
        return HtmlTree.empty()
    builder = _Builder(source, base, doc)
    try:
        unclosed_comment = _feed(builder, source)
    except Exception as exc:  # pragma: no cover - html.parser is tolerant
        unclosed_comment = None
        builder.problems.append((base, f"HTML could not be parsed: {exc}"))
    tree = builder.finish()
    if unclosed_comment is not None:
        tree.comments.append(Comment(base + unclosed_comment, base + len(source), source[unclosed_comment + 4 :]))
        tree.problems.append((base + unclosed_comment, "HTML comment `<!--` is never closed: it hides the rest of the post"))
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
        if builder.cdata_elem is None and not builder.rawdata:
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
