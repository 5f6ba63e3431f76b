"""kramdown's reading of HTML and of the inside of a paragraph.

kramdown (Jekyll's renderer) parses HTML itself, with its own patterns, and
writes back only what it understood: a ``<`` that does not open a tag by its
pattern, or an end tag that closes nothing open, is escaped and shown as
text; an element never closed is closed for the reader, at the end of the
paragraph (inline) or of the post (in an HTML block, whose raw content runs
on to the end). The browser then reads kramdown's clean output, so what
kramdown took as markup is what the reader does not see.

The patterns are kramdown's own (``Kramdown::Parser::Html::Constants`` and
REXML's ``UNAME_STR``). Ruby's atomic groups are written as a look-ahead
captured and matched again, which Python 3.10 reads too. Ruby's ``\\s`` is
ASCII whitespace: a no-break space is never a separator here.

Everything works on a :class:`Container`: the text of one block container
(the body, a list item, a block quote) with the prefixes kramdown strips
removed, and the way back from a position in it to an offset in the file.
What is found goes to a :class:`Marks` (code, markup, problems), in file
offsets.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass, field
from functools import partial

from .html import OPTIONAL_END

_S = "[ \\t\\r\\n\\f\\v]"  # Ruby's \s
NAME = r"(?:[^\W\d][-\w.]*:)?[^\W\d][-\w.]*"  # REXML's UNAME_STR ([[:alpha:]_] and [-[:alnum:]._])
_ATTR = rf"{_S}+{NAME}(?:{_S}*={_S}*(?:\w+|(?P<q>[\"']).*?(?P=q)))?"
TAG = re.compile(
    rf"<(?=(?P<name>{NAME}))(?P=name){_S}*(?P<attrs>(?:(?=(?P<a>{_ATTR}))(?P=a))*){_S}*(?P<closed>/)?>", re.S)
CLOSE_TAG = re.compile(rf"</(?=(?P<name>{NAME}))(?P=name){_S}*>")
COMMENT = re.compile(r"<!--(.*?)-->", re.S)
INSTRUCTION = re.compile(r"<\?(.*?)\?>", re.S)
RAW_START = re.compile(rf"<(?:{NAME}|/|!--|\?)")
SPAN_HTML_START = re.compile(rf"<(?:{NAME}|!--|/)")
_MARKDOWN_ATTR = re.compile(rf"(?:^|{_S})markdown{_S}*={_S}*(?:([\"'])(.*?)\1|(\w+))", re.S)
AUTOLINK = re.compile(r"<((?:mailto|https?|ftps?):.+?|[\w\-_.]+?@[\w\-_.]+?)>")
_ESCAPABLE = frozenset("\\.*_+`<>()[]{}#!:|\"'$=-~")
EXT_START = re.compile(r"\{::(\w+)(?:[ \t\r\n\f\v]((?:\\\}|[^}])*?)|)(/)?\}|\{:/(\w[\w-]*)?\}")
IAL_SPAN = re.compile(r"\{:((?:\\\}|[^}])+)\}")
INLINE_MATH = re.compile(r"\$\$(.*?)\$\$", re.S)
_LINK_TAIL = re.compile(r"\]\((?:<[^>\n]*>|[^\s()]*(?:\([^\s()]*\)[^\s()]*)*)(?:[ \t]+(?:\"[^\"\n]*\"|'[^'\n]*'))?[ \t]*\)")
_TICKS = re.compile(r"`+")
# Where a span that decides code or markup may start: a backslash only
# matters before such a character, a "]" only before a link's destination.
_SPAN_START = re.compile(r"[`<]|\\[\\`<{$!\]]|\{:|\$\$|\]\(|!\[")
_SPANS_MATTER = re.compile(r"[`<]|\{:|\$\$")
_BRACKETS = re.compile(r"[\[\]]")
_REFERENCE = re.compile(r"[ \t]?\[[^\]\n]*\]")

SPAN_ELEMENTS = frozenset(
    "a abbr acronym b big bdo br button cite code del dfn em i img input ins kbd label mark option q rb rbc "
    "rp rt rtc ruby samp select small span strong sub sup tt u var".split())
BLOCK_ELEMENTS = frozenset(
    "address article aside applet body blockquote caption col colgroup dd div dl dt fieldset figcaption "
    "footer form h1 h2 h3 h4 h5 h6 header hgroup hr html head iframe legend menu li main map nav ol "
    "optgroup p pre section summary table tbody td th thead tfoot tr ul".split())
NO_BODY = frozenset("area base br col command embed hr img input keygen link meta param source track wbr".split())
_MODEL_BLOCK = frozenset(
    "address applet article aside blockquote body dd details div dl fieldset figure figcaption footer form "
    "header hgroup iframe li main map menu nav noscript object section summary td".split())
_MODEL_SPAN = frozenset(
    "a abbr acronym b bdo big button cite caption del dfn dt em h1 h2 h3 h4 h5 h6 i ins label legend "
    "optgroup p q rb rbc rp rt rtc ruby select small span strong sub sup th tt".split())
# Every name kramdown knows as HTML (its HTML_ELEMENT): their names are read
# case-insensitively, any other name exactly as written.
KNOWN = SPAN_ELEMENTS | BLOCK_ELEMENTS | NO_BODY | _MODEL_BLOCK | _MODEL_SPAN | frozenset(
    "script style math option textarea pre code kbd samp var".split())


def content_model(name: str) -> str:
    """kramdown's HTML_CONTENT_MODEL: how an element's inside is read."""
    if name in _MODEL_BLOCK:
        return "block"
    if name in _MODEL_SPAN:
        return "span"
    return "raw"


def markdown_attr(attrs: str) -> str | None:
    """The model a ``markdown="..."`` attribute asks for ("raw", "default",
    "span", "block"), or None (no such attribute, or a value kramdown ignores)."""
    if "markdown" not in attrs:
        return None
    m = _MARKDOWN_ATTR.search(attrs)
    if m is None:
        return None
    return {"0": "raw", "1": "default", "span": "span", "block": "block"}.get(m.group(2) or m.group(3) or "")


def tag_name(raw: str) -> str:
    return raw.lower() if raw.lower() in KNOWN else raw


_END_TAGS: dict[str, re.Pattern[str]] = {}


def end_tag(name: str) -> re.Pattern[str]:
    """The end tag of ``name`` as kramdown looks for it (any case for a name it knows)."""
    got = _END_TAGS.get(name)
    if got is None:
        got = re.compile(rf"</{re.escape(name)}{_S}*>", re.I if name in KNOWN else 0)
        if len(_END_TAGS) < 1000:
            _END_TAGS[name] = got
    return got


def _file_offset(starts: list[int], offsets: list[int], pos: int) -> int:
    """The file offset of position ``pos`` of a container's text (see Container.at)."""
    i = bisect_right(starts, pos) - 1
    if i < 0:
        i = 0
    return offsets[i] + pos - starts[i]


class Container:
    """The text of one block container and the way back to file offsets.

    Made of pieces (text, file offset of its first character): in a piece,
    characters map one to one. kramdown strips prefixes (``> ``, a list
    item's indentation) line by line, so a nested container is its lines'
    remaining pieces; ``src`` always ends with a newline.
    """

    __slots__ = ("src", "_pos", "_off", "at")

    def __init__(self, pieces: list[tuple[str, int]]) -> None:
        pos = 0
        self._pos: list[int] = []
        self._off: list[int] = []
        texts = []
        for text, off in pieces:
            self._pos.append(pos)
            self._off.append(off)
            texts.append(text)
            pos += len(text)
        src = "".join(texts)
        if not src.endswith("\n"):
            src += "\n"
        self.src = src
        if len(pieces) == 1:  # the body itself: a shift
            base = pieces[0][1]
            self.at = base.__add__
        else:
            # Bound to the two lists, not to self: a bound method kept on its
            # own instance is a cycle that only the garbage collector frees.
            self.at = partial(_file_offset, self._pos, self._off)

    def piece(self, start: int, end: int) -> tuple[str, int]:
        """``src[start:end]`` (within one line) as a piece of a nested container."""
        return self.src[start:end], self.at(start)


@dataclass
class Marks:
    """What kramdown makes of a post, in file offsets."""

    code: list[tuple[int, int, str]] = field(default_factory=list)  # code blocks, code spans, math, ...
    markup: list[tuple[int, int]] = field(default_factory=list)  # tags, comments, raw bodies: HTML as written
    problems: list[tuple[int, str]] = field(default_factory=list)
    swallowed_from: int | None = None  # a <script> or <style> never closed: raw text from there on

    def swallow(self, offset: int) -> None:
        if self.swallowed_from is None or offset < self.swallowed_from:
            self.swallowed_from = offset


class Finder:
    """``str.find`` and ``Pattern.search`` that remember where they found
    nothing: kramdown looks ahead for an end (``-->``, a closing backtick
    run, ``</b>``) at every opener, and a post of openers never closed would
    make every look-ahead scan to the end. A search that failed from a
    position fails from any later one, so each is run once per text."""

    __slots__ = ("_failed",)

    def __init__(self) -> None:
        self._failed: dict[tuple[int, str], tuple[str, int]] = {}

    def find(self, src: str, needle: str, pos: int) -> int:
        key = (id(src), needle)
        got = self._failed.get(key)
        if got is not None and got[0] is src and pos >= got[1]:
            return -1
        at = src.find(needle, pos)
        if at == -1:
            self._failed[key] = (src, pos)
        return at

    def search(self, pattern: re.Pattern[str], src: str, pos: int) -> re.Match[str] | None:
        key = (id(src), pattern.pattern)
        got = self._failed.get(key)
        if got is not None and got[0] is src and pos >= got[1]:
            return None
        m = pattern.search(src, pos)
        if m is None:
            self._failed[key] = (src, pos)
        return m

    def comment(self, src: str, pos: int) -> int:
        """The end of the comment or processing instruction at ``pos`` (``<!--``,
        ``<?``), or -1."""
        if src.startswith("<!--", pos):
            at = self.find(src, "-->", pos + 4)
            return -1 if at == -1 else at + 3
        if src.startswith("<?", pos):
            at = self.find(src, "?>", pos + 2)
            return -1 if at == -1 else at + 2
        return -1


# Deeper than this, an inline element's inside is read as part of its parent:
# kramdown recurses with no bound, and Python's stack has one.
MAX_SPAN_DEPTH = 100


class SpanReader:
    """kramdown's span parsers, for what decides code and HTML: code spans,
    autolinks, inline HTML, escapes, extensions and math. Emphasis, links and
    the rest only change how text looks, not whether it is text (a link's
    destination is skipped: it is neither)."""

    def __init__(self, marks: Marks, finder: Finder, parse_span_html: bool = True) -> None:
        self.marks = marks
        self.finder = finder
        self.parse_span_html = parse_span_html
        self.depth = 0

    def read(self, c: Container, start: int, end: int, raw_only: bool = False) -> None:
        """Read ``c.src[start:end]`` (a paragraph, a header, a cell) as spans."""
        if _SPANS_MATTER.search(c.src, start, end) is None:
            return  # no code span, tag, extension or math can start here
        self._spans(c, c.src[start:end], 0, None, raw_only, start)

    def _spans(self, c: Container, src: str, pos: int, stop: re.Pattern[str] | None, raw_only: bool,
               base: int) -> tuple[int, bool]:
        """Parse spans from ``pos`` until ``stop`` matches (returns just before
        it, True) or the text ends (False)."""
        marks = self.marks
        finder = self.finder
        n = len(src)
        sm = finder.search(stop, src, pos) if stop is not None else None
        while pos < n:
            nxt = src.find("<", pos) if raw_only else _next_start(src, pos)
            if sm is not None:
                if sm.start() < pos:  # consumed by a span before it: the next one
                    sm = finder.search(stop, src, pos)
                if sm is not None and (nxt == -1 or sm.start() <= nxt):
                    return sm.start(), True
            if nxt == -1:
                return n, False
            pos = nxt
            ch = src[pos]
            if ch == "<":
                pos = self._angle(c, src, pos, raw_only, base)
            elif ch == "`":
                m = _TICKS.match(src, pos)
                run = m.group()
                if len(run) == 1 and (pos == 0 or src[pos - 1] in " \t\r\n\f\v") and src[pos + 1:pos + 2] in (
                        " ", "\t", "\n", "\r", "\f", "\v"):
                    pos += 1
                    continue
                close = finder.find(src, run, m.end())
                if close == -1:
                    pos = m.end()
                    continue
                marks.code.append((c.at(base + pos), c.at(base + close + len(run)), "code-span"))
                pos = close + len(run)
            elif ch == "\\":
                pos += 2 if src[pos + 1:pos + 2] in _ESCAPABLE and pos + 1 < n else 1
            elif ch == "{":
                pos = self._extension(c, src, pos, base)
            elif ch == "$":
                close = finder.find(src, "$$", pos + 2) if src.startswith("$$", pos) else -1
                if close == -1:
                    pos += 1
                else:
                    marks.code.append((c.at(base + pos), c.at(base + close + 2), "math"))
                    pos = close + 2
            elif ch == "!":  # an image: its alt text is text as written, never code or markup
                pos = _image_end(src, pos)
            else:  # "]": a link's destination is neither text nor markup
                m = _LINK_TAIL.match(src, pos)
                pos = m.end() if m is not None else pos + 1
        return n, False

    def _angle(self, c: Container, src: str, pos: int, raw_only: bool, base: int) -> int:
        marks = self.marks
        if not raw_only:
            m = AUTOLINK.match(src, pos)
            if m is not None:
                marks.code.append((c.at(base + pos), c.at(base + m.end()), "autolink"))
                return m.end()
        if SPAN_HTML_START.match(src, pos) is None:
            if not raw_only and src.startswith("<<", pos):
                return pos + 2  # a typographic symbol («)
            return pos + 1  # text
        if src.startswith("<!--", pos):
            end = self.finder.comment(src, pos)
            if end != -1:
                marks.markup.append((c.at(base + pos), c.at(base + end)))
                return end
        m = CLOSE_TAG.match(src, pos)
        if m is not None:  # an end tag that closes nothing open here: text
            marks.problems.append((c.at(base + pos), f"end tag </{m.group('name')}> closes nothing: kramdown "
                                   "shows it as text"))
            return m.end()
        m = TAG.match(src, pos)
        if m is None:
            return pos + 1
        name = tag_name(m.group("name"))
        if name in BLOCK_ELEMENTS:
            marks.problems.append((c.at(base + pos), f"<{m.group('name')}> inside a paragraph: kramdown shows the "
                                   "tag as text (an HTML block starts on a line of its own)"))
            return m.end()
        marks.markup.append((c.at(base + pos), c.at(base + m.end())))
        parse = content_model(name) != "raw" and not raw_only and self.parse_span_html
        asked = markdown_attr(m.group("attrs") or "")
        if asked == "span":
            parse = True
        elif asked == "default":
            parse = content_model(name) != "raw"
        elif asked == "raw":
            parse = False
        if m.group("closed") or name in NO_BODY or self.depth >= MAX_SPAN_DEPTH:
            return m.end()
        stop = end_tag(name)
        self.depth += 1
        try:
            end, found = self._spans(c, src, m.end(), stop, not parse, base)
        finally:
            self.depth -= 1
        if found:
            sm = stop.match(src, end)
            marks.markup.append((c.at(base + end), c.at(base + sm.end())))
            return sm.end()
        if name.lower() not in OPTIONAL_END:  # closed for the reader at the paragraph's end
            marks.problems.append((c.at(base + pos), f"<{name}> is never closed"))
        return end

    def _extension(self, c: Container, src: str, pos: int, base: int) -> int:
        marks = self.marks
        m = EXT_START.match(src, pos)
        if m is not None:
            if m.group(4) is not None or m.group(0) == "{:/}":
                return pos + 1  # a stop tag with no start: text
            ext = m.group(1)
            if m.group(3):
                if ext in ("comment", "nomarkdown", "options"):
                    marks.code.append((c.at(base + pos), c.at(base + m.end()), "kramdown-extension"))
                    return m.end()
                return pos + 1
            stop = re.compile(r"\{:/(%s)?\}" % re.escape(ext))
            sm = self.finder.search(stop, src, m.end())
            if sm is None or ext not in ("comment", "nomarkdown", "options"):
                return pos + 1
            self.extension(c, base + pos, base + m.end(), base + sm.start(), base + sm.end(), ext)
            return sm.end()
        m = IAL_SPAN.match(src, pos)
        if m is not None and pos > 0 and src[pos - 1] not in " \t\n":
            # An attribute list after an element: markup, never text.
            marks.code.append((c.at(base + pos), c.at(base + m.end()), "kramdown-ial"))
            return m.end()
        return pos + 1

    def extension(self, c: Container, start: int, body: int, body_end: int, end: int, ext: str) -> None:
        """``{::ext}...{:/ext}`` at these positions of ``c.src``: a comment is
        hidden, a nomarkdown body goes to the page as it is written."""
        marks = self.marks
        if ext == "nomarkdown":
            marks.code.append((c.at(start), c.at(body), "kramdown-extension"))
            marks.markup.append((c.at(body), c.at(body_end)))
            marks.code.append((c.at(body_end), c.at(end), "kramdown-extension"))
        else:
            marks.code.append((c.at(start), c.at(end), "kramdown-" + ext))


# How far an image's alt text is looked for: a bound, so that a paragraph of
# "![" never closed is read in linear time.
MAX_ALT = 1000


def _image_end(src: str, pos: int) -> int:
    """Where the image written at ``pos`` (``![alt](url)``, ``![alt][id]``)
    ends, or just after its ``![`` when it is none."""
    depth = 0
    for m in _BRACKETS.finditer(src, pos + 1, pos + MAX_ALT):
        if m.group() == "[":
            depth += 1
            continue
        depth -= 1
        if depth == 0:
            tail = _LINK_TAIL.match(src, m.start()) or _REFERENCE.match(src, m.end())
            return tail.end() if tail is not None else pos + 2
    return pos + 2


def _next_start(src: str, pos: int) -> int:
    m = _SPAN_START.search(src, pos)
    return -1 if m is None else m.start()


class RawReader:
    """kramdown's ``parse_raw_html``: the inside of an HTML block whose
    content is not Markdown. Each start tag opens an element that only its
    own end tag closes: an end tag of anything else is text, and an element
    never closed takes the rest of the container with it."""

    def __init__(self, marks: Marks, finder: Finder) -> None:
        self.marks = marks
        self.finder = finder

    def read(self, c: Container, pos: int, name: str, start: int) -> int:
        """Read from ``pos`` (just after the start tag of ``name`` at
        ``start``) to the element's end tag; returns the position after it
        (the end of the container when there is none)."""
        marks = self.marks
        src = c.src
        n = len(src)
        stack = [(name, start)]
        while stack:
            m = RAW_START.search(src, pos)
            if m is None:
                self._unclosed(c, stack, src, pos)
                return n
            pos = m.start()
            after = src[pos + 1]
            if after == "!" or after == "?":
                end = self.finder.comment(src, pos)
                if end != -1:
                    marks.markup.append((c.at(pos), c.at(end)))
                    pos = end
                    continue
            tm = TAG.match(src, pos) if after != "/" else None
            if tm is not None:
                marks.markup.append((c.at(pos), c.at(tm.end())))
                inner = tag_name(tm.group("name"))
                pos = tm.end()
                if inner in ("script", "style"):
                    end = self.finder.search(end_tag(inner), src, pos)
                    if end is None:  # raw text to the end: the HTML parser says so too
                        marks.swallow(c.at(m.start()))
                        return n
                    marks.markup.append((c.at(end.start()), c.at(end.end())))
                    pos = end.end()
                elif not tm.group("closed") and inner not in NO_BODY:
                    stack.append((inner, m.start()))
                continue
            em = CLOSE_TAG.match(src, pos)
            if em is not None:
                top = stack[-1][0]
                if (em.group("name").lower() if top in KNOWN else em.group("name")) == top:
                    marks.markup.append((c.at(pos), c.at(em.end())))
                    stack.pop()
                else:
                    marks.problems.append((c.at(pos), f"end tag </{em.group('name')}> does not close the open "
                                           f"<{top}>: kramdown shows it as text"))
                pos = em.end()
                continue
            pos += 1  # "<" and a name that makes no tag: text
        return pos

    def _unclosed(self, c: Container, stack: list[tuple[str, int]], src: str, pos: int) -> None:
        # The rest stays HTML (its tags are tags): only its Markdown is lost.
        name, start = stack[-1]
        at = c.at(start)
        if _MARKDOWN_AFTER.search(src, pos):
            self.marks.problems.append((at, f"<{name}> is never closed: kramdown reads the rest of the post as "
                                        "raw HTML, so the Markdown after it is not rendered"))
        elif name.lower() not in OPTIONAL_END:
            self.marks.problems.append((at, f"<{name}> is never closed"))


# A paragraph of Markdown after a blank line: a line that is not HTML.
_MARKDOWN_AFTER = re.compile(r"\n[ \t]*\n[ \t]{0,3}(?:[#*>`~|!\[]|[^\s<])")
