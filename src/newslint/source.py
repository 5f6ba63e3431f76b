"""The decoded text of one post, and how offsets in it are placed and masked.

Every parser takes a :class:`SourceText` and every view they build keeps, at
most, a reference to it: the text knows nothing of its parses, so no parse
points back at the document that holds it, and nothing here imports a parser.

Offsets are character offsets into ``text`` (a UTF-8 BOM is not part of it,
``bom`` remembers it). :meth:`SourceText.position` turns them into 1-based
lines and columns (code points). Lines are counted by ``\\n`` only, as editors
do, so U+2028 or a lone ``\\r`` never shift later line numbers.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from dataclasses import dataclass
from itertools import accumulate, repeat
from typing import Any


class SourceText:
    """A post's text with its line table (built on first use)."""

    __slots__ = ("text", "bom", "_line_starts")

    def __init__(self, text: str, bom: bool = False) -> None:
        self.text = text
        self.bom = bom
        self._line_starts: list[int] | None = None

    @property
    def line_starts(self) -> list[int]:
        """The offset at which each line starts (the first is 0)."""
        if self._line_starts is None:
            self._line_starts = [0, *[m.end() for m in _NEWLINE.finditer(self.text)]]
        return self._line_starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; columns count code points."""
        starts = self.line_starts
        if offset < 0:
            offset = 0
        elif offset > len(self.text):
            offset = len(self.text)
        i = bisect_right(starts, offset) - 1
        return i + 1, offset - starts[i] + 1

    def offset(self, line: int, column: int) -> int:
        """The character offset of a 1-based (line, column)."""
        starts = self.line_starts
        line = min(max(line, 1), len(starts))
        return starts[line - 1] + column - 1

    def line_of(self, offset: int) -> int:
        """The 0-based line holding ``offset``."""
        return bisect_right(self.line_starts, offset) - 1

    def line_end(self, offset: int) -> int:
        """Offset of the end of the line holding ``offset`` (before its newline)."""
        text = self.text
        end = text.find("\n", offset)
        if end == -1:
            return len(text)
        if end > 0 and text[end - 1] == "\r":
            return end - 1
        return end


@dataclass(slots=True)
class Region:
    """A span of the text with a kind (used for code ranges)."""

    start: int
    end: int
    kind: str = ""


# Liquid and Hugo blocks whose content is code or literal text, not prose.
# A tag never holds another opener, and is at most 2,000 characters: a run of
# unclosed "{% raw " stays linear.
_LITERAL_BLOCKS = re.compile(
    r"\{%-?\s*(highlight|raw|comment|codeblock|code)\b(?:(?!\{[{%]).){0,2000}?-?%\}"
    r"|\{\{<\s*(highlight|code)\b(?:(?!\{[{%]).){0,2000}?>\}\}",
    re.S,
)
_LITERAL_ENDS = {
    "highlight": re.compile(r"\{%-?\s*endhighlight\s*-?%\}"),
    "raw": re.compile(r"\{%-?\s*endraw\s*-?%\}"),
    "comment": re.compile(r"\{%-?\s*endcomment\s*-?%\}"),
    "codeblock": re.compile(r"\{%-?\s*endcodeblock\s*-?%\}"),
    "code": re.compile(r"\{%-?\s*endcode\s*-?%\}"),
}
_HUGO_ENDS = {
    "highlight": re.compile(r"\{\{<\s*/\s*highlight\s*>\}\}"),
    "code": re.compile(r"\{\{<\s*/\s*code\s*>\}\}"),
}


class LineCursor:
    """1-based (line, column) of offsets, as :meth:`SourceText.position` gives
    them, found by counting newlines from the offset asked before (for offsets
    that mostly come in order): the line table, which most posts never need
    otherwise, is not built for them."""

    __slots__ = ("text", "size", "at", "line", "start")

    def __init__(self, text: str) -> None:
        self.text = text
        self.size = len(text)
        self.at = self.start = 0  # the offset asked before, and the start of its line
        self.line = 1

    def position(self, offset: int) -> tuple[int, int]:
        offset = 0 if offset < 0 else self.size if offset > self.size else offset
        at = self.at
        if offset < at:
            at = self.start = 0
            self.line = 1
        text = self.text
        n = text.count("\n", at, offset)
        if n:
            self.line += n
            self.start = text.rfind("\n", at, offset) + 1
        self.at = offset
        return self.line, offset - self.start + 1

    def span(self, start: int, end: int) -> list[int]:
        """[line, column, end line, end column] of ``start`` and ``end``."""
        line, col = self.position(start)
        start = self.at  # within the text
        end = 0 if end < 0 else self.size if end > self.size else end
        if end < start:
            return [line, col, *self.position(end)]
        text = self.text
        n = text.count("\n", start, end)
        if not n:
            self.at = end
            return [line, col, line, end - self.start + 1]
        self.line = line + n
        self.start = text.rfind("\n", start, end) + 1
        self.at = end
        return [line, col, self.line, end - self.start + 1]


# One Liquid or Hugo template tag (`{{ site.url }}`, `{% link a.md %}`): rules
# skip them (their spaces are not in a URL, their characters not in the prose).
# Bounded, and a tag never holds another opener: "{{" * 20,000 stays linear.
_NEWLINE = re.compile("\n")
TEMPLATE_TAG = re.compile(r"\{\{(?:(?!\{[{%]).){0,2000}?\}\}|\{%(?:(?!\{[{%]).){0,2000}?%\}", re.S)


def find_literal_blocks(text: str, start: int) -> list[Region]:
    """``{% highlight %}...{% endhighlight %}`` and friends: code, never prose."""
    # One "{" scan (memchr) rules out most posts before the two-character scans.
    if "{" not in text or ("{%" not in text and "{{<" not in text):
        return []
    out: list[Region] = []
    pos = start
    no_end: set[tuple[bool, str]] = set()  # no end tag after here: never search again
    while True:
        m = _LITERAL_BLOCKS.search(text, pos)
        if not m:
            break
        name = m.group(1) or m.group(2)
        ends = _LITERAL_ENDS if m.group(1) else _HUGO_ENDS
        key = (bool(m.group(1)), name)
        end_m = None if key in no_end else ends[name].search(text, m.end())
        if not end_m:
            no_end.add(key)
            pos = m.end()
            continue
        out.append(Region(m.start(), end_m.end(), "liquid-" + name))
        pos = end_m.end()
    return out


def blank_out(s: str) -> str:
    """Same length, newlines kept, everything else a space."""
    return "\n".join([" " * len(line) for line in s.split("\n")])


def mask_regions(text: str, start: int, regions: list[Region]) -> str:
    """``text[start:]`` with the given regions blanked out (positions kept)."""
    if not regions:
        return text[start:]
    parts: list[str] = []
    pos = start
    for r in regions:
        if r.start < pos:
            continue
        parts.append(text[pos : r.start])
        parts.append(blank_out(text[r.start : r.end]))
        pos = r.end
    parts.append(text[pos:])
    return "".join(parts)


# -- UTF-8 byte offsets (a parser working on the encoded text reports them) ---
# Continuation bytes as 1, every other byte as 0 (see byte_offset_converter).
_IS_CONTINUATION = bytes(1 if 0x80 <= b < 0xC0 else 0 for b in range(256))


def byte_offset_converter(data: bytes, base: int):
    """A function converting a UTF-8 byte offset of ``data`` to the character
    offset (plus ``base``) of the text it encodes.

    The character offset of byte ``b`` is ``b`` minus the continuation bytes
    before it. Their counts are kept per block of 256 bytes (one C-level
    ``bytes.count`` per block, made at the first call: most views convert
    their offsets in order, with :func:`sweep_offsets`, and never call it),
    so a conversion is a table lookup plus one count within a block: no
    state, any order, no slice or decode. pulldown-cmark's offsets always
    fall on character boundaries. For ASCII text
    :func:`newslint.markdown.parse_markdown` adds ``base`` inline instead.
    """
    count: Any = None
    before: list[int] = []  # continuation bytes before each block
    n = len(data)

    def conv(b: int) -> int:
        nonlocal count
        if count is None:
            count = continuation_count(data)
            before.append(0)
            before.extend(accumulate(map(count, repeat(1), range(0, n - 255, 256), range(256, n + 1, 256))))
        block = b >> 8
        return base + b - before[block] - count(1, block << 8, b)

    return conv


def continuation_count(data: bytes) -> Any:
    """The ``count`` method of ``data``'s continuation-byte marks (1 for a
    continuation byte, 0 for any other): ``count(1, i, j)`` is how many
    bytes of ``data[i:j]`` continue a character. What
    :func:`byte_offset_converter` reads."""
    return data.translate(_IS_CONTINUATION).count


def sweep_offsets(rows: list[Any], conv: Any, data: bytes, base: int) -> list[tuple[int, int]]:
    """Character (start, end) of the byte ranges that open ``rows``: ``conv``
    is :func:`byte_offset_converter`'s function for ``data`` (UTF-8),
    ``base`` the character offset of byte 0.

    In document order, a start is counted on from the end before it and an
    end from its start, so each byte is counted once in all; an offset
    before the last end goes through ``conv``. The characters between two
    offsets are counted by decoding the bytes between them (less work than
    marking the continuation bytes of the whole text and counting those
    between, as ``conv`` does to answer in any order). ``data`` is strict
    UTF-8: pyromark refuses a text with a lone surrogate, so a parse that
    gave offsets never had one.
    """
    out = []
    append = out.append
    pb = 0
    pc = base
    for row in rows:
        s = row[0]
        e = row[1]
        cs = pc + len(data[pb:s].decode()) if s >= pb else conv(s)
        pc = cs + len(data[s:e].decode())
        pb = e
        append((cs, pc))
    return out


def ascii_offset_converter(base: int):
    """The converter for an ASCII text: a byte offset is a character offset."""

    def conv(b: int) -> int:
        return b + base

    return conv


# bytes.translate tables for blanking UTF-8: every byte a space but "\n", and
# the continuation bytes (0x80-0xBF) deleted, so each character becomes one
# space; or made 0xFF (a byte UTF-8 never uses), to be deleted later.
_BLANK_BYTES = bytes(10 if b == 10 else 32 for b in range(256))
_CONTINUATION = bytes(range(0x80, 0xC0))
_BLANK_MARKED = bytes(10 if b == 10 else 0xFF if 0x80 <= b < 0xC0 else 32 for b in range(256))


def keep_spans_utf8(data: bytes, spans: list[Any], ascii: bool) -> tuple[str, bytes] | None:
    """The text ``data`` (UTF-8) encodes with everything but ``spans`` blanked
    (each character a space, newlines kept), and its UTF-8; None when the
    spans are not in order or overlap (see :func:`keep_sorted_spans_utf8`).

    ``spans`` are (byte start, byte end, text, context) rows: a ``<`` in a
    row with a context (prose) is blanked too, a row without one (HTML) is
    kept as it is. ``ascii`` says ``data`` is ASCII. The bytes with every
    ``<`` a space; each gap between spans overwritten by its blanked bytes
    (each character's lead byte a space, its continuation bytes 0xFF),
    unless blanking changes nothing there (newlines and spaces, as between
    the lines of a paragraph), each HTML span by the bytes themselves; then
    the 0xFF bytes deleted and the whole decoded once. Each gap is blanked
    on its own: the gaps are a small part of the body, and blanking all of
    it cost more.
    """
    if data.find(b"<") == -1:
        out = bytearray(data)
        html = False
    else:
        out = bytearray(data.replace(b"<", b" "))
        html = True
    pos = 0
    for start, end, _t, ctx in spans:
        if start != pos:
            if start < pos:
                return None
            gap = data[pos:start]
            blank = gap.translate(_BLANK_MARKED)  # the same object when nothing changed
            if blank != gap:
                out[pos:start] = blank
        if ctx is None and html:
            out[start:end] = data[start:end]
        pos = end
    out[pos:] = data[pos:].translate(_BLANK_MARKED)
    if ascii:
        return out.decode("ascii"), bytes(out)
    # Most blanked characters are ASCII (Markdown syntax): a memchr first.
    utf8 = bytes(out.translate(None, b"\xff") if out.find(b"\xff") != -1 else out)
    return utf8.decode("utf-8", "surrogatepass"), utf8


def keep_sorted_spans_utf8(data: bytes, spans: list[Any]) -> tuple[str, bytes]:
    """:func:`keep_spans_utf8` for spans sorted by range, in any overlap: a
    span that starts before the one before it ends is passed over."""
    parts: list[bytes] = []
    append = parts.append
    pos = 0
    for start, end, _t, ctx in spans:
        if start < pos:
            continue
        if start > pos:
            append(data[pos:start].translate(_BLANK_BYTES, _CONTINUATION))
        chunk = data[start:end]
        append(chunk if ctx is None else chunk.replace(b"<", b" "))
        pos = end
    append(data[pos:].translate(_BLANK_BYTES, _CONTINUATION))
    utf8 = b"".join(parts)
    return utf8.decode("utf-8", "surrogatepass"), utf8
