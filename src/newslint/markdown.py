"""Markdown structure from one pass of pulldown-cmark (through pyromark).

pyromark reports UTF-8 byte ranges; we convert them to character offsets in
``Document.text`` here, in one place, so Korean text never shifts a column.
Rules never see pyromark events: they get plain lists of images, links, tables,
paragraphs, prose text runs and code regions.
"""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field
from typing import Any

import pyromark

_OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_FOOTNOTES
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_TASKLISTS
)


@dataclass(slots=True)
class MdImage:
    start: int
    end: int
    alt: str
    alt_start: int
    alt_end: int
    dest: str
    title: str


@dataclass(slots=True)
class MdLink:
    start: int
    end: int
    text: str
    dest: str
    title: str
    link_type: str


@dataclass(slots=True)
class MdTableRow:
    start: int
    end: int
    header: bool
    cells: int  # cells written in the source row (pipes counted), not as padded


@dataclass(slots=True)
class MdTable:
    start: int
    end: int
    rows: list[MdTableRow] = field(default_factory=list)


@dataclass(slots=True)
class MdParagraph:
    start: int
    end: int
    # True when the paragraph holds only text and line breaks (no links, images, code or HTML).
    plain: bool
    text: str


@dataclass(slots=True)
class MdText:
    start: int
    end: int
    text: str
    # "body", "heading", "link", "image", "table"
    context: str


class MarkdownView:
    """What the rules see of a Markdown body. Every offset is a character
    offset into ``Document.text``."""

    __slots__ = ("images", "links", "tables", "paragraphs", "code", "html", "_visible", "_text_rows",
                 "_texts", "_html_source_cache")

    def __init__(self) -> None:
        self.images: list[MdImage] = []
        self.links: list[MdLink] = []
        self.tables: list[MdTable] = []
        self.paragraphs: list[MdParagraph] = []
        self.code: list[Any] = []  # document.Region
        self.html: list[tuple[int, int]] = []
        # Spans pyromark parsed as HTML blocks or inline HTML, plus prose text spans:
        # what the HTML parser gets to see (everything else is blanked out).
        self._visible: list[tuple[int, int, bool]] = []
        # (start, end, text, context) of every prose text event, in event order;
        # the MdText objects are built only when a rule asks for ``texts``.
        self._text_rows: list[tuple[int, int, str, str]] = []
        self._texts: list[MdText] | None = None
        self._html_source_cache: tuple[str, int, str] | None = None

    @classmethod
    def empty(cls) -> "MarkdownView":
        return cls()

    @property
    def texts(self) -> list[MdText]:
        """Prose text runs (not code), in document order, with their context."""
        if self._texts is None:
            self._texts = [MdText(s, e, t, c) for s, e, t, c in self._text_rows]
        return self._texts

    def html_source(self, text: str, body_start: int) -> str:
        """``text[body_start:]`` with everything that is not HTML blanked out.

        Code blocks, code spans, autolinks and Markdown syntax become spaces
        (newlines kept), so the HTML parser sees tags exactly where they are in
        the file and never sees code. A ``<`` in prose (``a < b``, ``\\<b>``) is
        blanked too: pulldown-cmark already decided it is not a tag.
        """
        cached = self._html_source_cache
        if cached is not None and cached[0] is text and cached[1] == body_start:
            return cached[2]  # the HTML tree and the pack rules both ask for it
        # The whole body blanked once; the gaps between visible spans are
        # slices of it (one C-level slice each, not a split and join per gap).
        blank = _blank(text[body_start:])
        parts: list[str] = []
        append = parts.append
        pos = body_start
        for start, end, is_text in self._visible:
            if start < pos:
                continue
            if start > pos:
                append(blank[pos - body_start:start - body_start])
            chunk = text[start:end]
            if is_text and "<" in chunk:
                chunk = chunk.replace("<", " ")
            append(chunk)
            pos = end
        if pos < len(text):
            append(blank[pos - body_start:])
        out = "".join(parts)
        self._html_source_cache = (text, body_start, out)
        return out


def _blank(s: str) -> str:
    """Same length, newlines kept, everything else a space (35x faster than a regex sub)."""
    if "\n" not in s:
        return " " * len(s)
    return "\n".join([" " * len(line) for line in s.split("\n")])


def _byte_to_char(s: str, base: int):
    """A function converting UTF-8 byte offsets of ``s.encode()`` to character
    offsets of ``s`` (plus ``base``); see :func:`_byte_spans_to_char`."""
    span = _byte_spans_to_char(s, base)

    def conv(b: int) -> int:
        return span(b, b)[0]

    return conv


def _byte_spans_to_char(s: str, base: int):
    """A function converting a span ``(start, end)`` of UTF-8 byte offsets of
    ``s.encode()`` to character offsets of ``s`` (plus ``base``).

    pulldown-cmark's offsets always fall on character boundaries. They arrive
    mostly in order, with jumps back to the start of a container; we decode
    only the bytes between the previous offset and the new one, in either
    direction, so the cost is linear in the size of the post (decoding from 0
    on every backward jump made long Korean posts quadratic). One call per
    span, not per offset: this runs hundreds of thousands of times per
    archive. Only for non-ASCII text: there byte and character offsets differ
    (for ASCII text :func:`parse_markdown` adds ``base`` inline).
    """
    data = s.encode("utf-8")
    last_b = 0
    last_c = base

    def span(a: int, b: int) -> tuple[int, int]:
        nonlocal last_b, last_c
        if a > last_b:
            last_c += len(data[last_b:a].decode("utf-8", "replace"))
        elif a < last_b:
            last_c -= len(data[a:last_b].decode("utf-8", "replace"))
        ca = last_c
        if b > a:
            last_c += len(data[a:b].decode("utf-8", "replace"))
        elif b < a:
            last_c -= len(data[b:a].decode("utf-8", "replace"))
        last_b = b
        return ca, last_c

    return span


# Start tags the view does not use; skipped before any offset is converted.
_IGNORED_STARTS = frozenset(("Item", "List", "Emphasis", "Strong", "BlockQuote", "TableCell",
                             "HtmlBlock", "FootnoteDefinition", "Strikethrough", "MetadataBlock",
                             "DefinitionList", "DefinitionListTitle", "DefinitionListDefinition",
                             "Superscript", "Subscript", "Heading"))
# End tags the view acts on.
_USED_ENDS = frozenset(("Paragraph", "Link", "Heading", "CodeBlock", "Image", "Table"))
# Events with a span the view records (besides Start tags).
_SPAN_KINDS = frozenset(("Text", "Code", "Html", "InlineHtml", "InlineMath", "DisplayMath"))


def parse_markdown(text: str, body_start: int, literal_regions: list[Any], *,
                   ascii_fast_path: bool = True) -> MarkdownView:
    """One pass over pulldown-cmark's events: the view the rules use.

    Events are dicts of one key (``{"Text": "..."}``, ``{"Start": ...}``); the
    loop reads the key with ``for kind in ev`` (the cheapest way), acts only
    on the events the view uses, and converts offsets only for those: for an
    ASCII body a byte offset plus ``body_start`` is the character offset,
    added inline; otherwise one call per span (:func:`_byte_spans_to_char`).
    ``ascii_fast_path=False`` converts every body that way (the tests compare
    both paths).
    """
    from .document import Region, mask_regions

    source = mask_regions(text, body_start, literal_regions)
    view = MarkdownView()
    view.code.extend(literal_regions)
    try:
        events = pyromark.events_with_range(source, options=_OPTIONS)
    except BaseException:  # pragma: no cover - a panic in the Rust parser
        return view

    base = body_start
    span = None if ascii_fast_path and source.isascii() else _byte_spans_to_char(source, base)

    visible = view._visible
    text_rows = view._text_rows
    code = view.code
    html = view.html
    ignored_starts = _IGNORED_STARTS
    used_ends = _USED_ENDS
    span_kinds = _SPAN_KINDS
    # Open containers: [kind, start, data...]
    image: list[Any] | None = None
    link: list[Any] | None = None
    table: MdTable | None = None
    para: list[Any] | None = None  # [start, end, plain, texts]
    heading_depth = 0
    in_code_block = False

    try:
        for ev, rng in events:
            if ev.__class__ is str:  # SoftBreak, HardBreak, Rule, ...
                continue
            for kind in ev:
                pass
            if kind == "End":
                payload = ev[kind]
                if payload.__class__ is dict:
                    for tag in payload:
                        pass
                else:
                    tag = payload
                if tag not in used_ends:
                    continue
                if tag == "Paragraph":
                    if para is not None:
                        view.paragraphs.append(MdParagraph(para[0], para[1], para[2], "".join(para[3])))
                        para = None
                elif tag == "Link":
                    if link is not None:
                        attrs = link[2] or {}
                        view.links.append(MdLink(link[0], link[1], "".join(link[3]), attrs.get("dest_url", ""),
                                                 attrs.get("title", ""), attrs.get("link_type", "")))
                        if attrs.get("link_type") in ("Autolink", "Email"):
                            # <https://...> must not reach the HTML parser as a tag.
                            code.append(Region(link[0], link[1], "autolink"))
                        link = None
                elif tag == "Heading":
                    heading_depth = max(0, heading_depth - 1)
                elif tag == "CodeBlock":
                    in_code_block = False
                elif tag == "Image":
                    if image is not None:
                        attrs = image[2] or {}
                        alt = "".join(image[3])
                        a_s = image[4] if image[4] is not None else image[0] + 2
                        a_e = image[5] if image[5] is not None else a_s
                        view.images.append(MdImage(image[0], image[1], alt, a_s, a_e, attrs.get("dest_url", ""),
                                                   attrs.get("title", "")))
                        image = None
                elif tag == "Table":
                    if table is not None:
                        view.tables.append(table)
                        table = None
                continue
            if kind == "Start":
                payload = ev[kind]
                if payload.__class__ is str:
                    tag, attrs = payload, None
                else:
                    for tag in payload:
                        pass
                    attrs = payload[tag]
                if tag in ignored_starts:
                    if tag == "Heading":
                        heading_depth += 1
                    continue
            elif kind == "Text":
                if in_code_block:
                    continue
            elif kind not in span_kinds:
                continue
            if span is None:
                s = rng["start"] + base
                e = rng["end"] + base
            else:
                s, e = span(rng["start"], rng["end"])
            if kind == "Text":
                payload = ev[kind]
                ctx = "body"
                if image is not None:
                    image[3].append(payload)
                    if image[4] is None:
                        image[4] = s
                    image[5] = e
                    ctx = "image"
                elif link is not None:
                    link[3].append(payload)
                    ctx = "link"
                elif heading_depth:
                    ctx = "heading"
                elif table is not None:
                    ctx = "table"
                if para is not None:
                    para[3].append(payload)
                text_rows.append((s, e, payload, ctx))
                visible.append((s, e, True))
            elif kind == "Start":
                if tag == "Paragraph":
                    para = [s, e, True, []]
                elif tag == "Link":
                    link = [s, e, attrs, []]
                    if para is not None:
                        para[2] = False
                elif tag == "CodeBlock":
                    in_code_block = True
                    code.append(Region(s, e, "code-block"))
                elif tag == "Image":
                    image = [s, e, attrs, [], None, None]
                    if para is not None:
                        para[2] = False
                elif tag == "Table":
                    table = MdTable(s, e)
                elif (tag == "TableHead" or tag == "TableRow") and table is not None:
                    table.rows.append(MdTableRow(s, e, tag == "TableHead", _count_cells(text[s:e])))
            elif kind == "Code":
                code.append(Region(s, e, "code-span"))
                if para is not None:
                    para[2] = False
            elif kind == "Html" or kind == "InlineHtml":
                html.append((s, e))
                visible.append((s, e, False))
                if para is not None:
                    para[2] = False
            else:  # InlineMath, DisplayMath
                code.append(Region(s, e, "math"))
    except BaseException:  # pragma: no cover - a panic in the Rust parser mid-stream
        pass
    visible.sort()
    code.sort(key=lambda r: r.start)
    return view


def _count_cells(row: str) -> int:
    """Cells in a GFM table row as written: unescaped pipes outside code spans."""
    row = row.strip()
    if "`" in row:
        row = _mask_code_spans(row)
    row = row.replace("\\|", "xx")
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|"):
        row = row[:-1]
    return row.count("|") + 1


_TICKS = re.compile(r"`+")


def _mask_code_spans(row: str) -> str:
    """``row`` with its code spans replaced by ``x`` (same length).

    CommonMark's rule: a run of k backticks opens a span that the next run of
    exactly k backticks closes; an opener with no closer is text. Linear (with a
    bisect per run): the regex ``(`+)(.+?)\\1`` it replaces backtracked for
    minutes on a table row of 20,000 backticks (found by bench/fuzz_long.py).
    """
    runs = [m.span() for m in _TICKS.finditer(row)]
    by_len: dict[int, list[int]] = {}
    for i, (s, e) in enumerate(runs):
        by_len.setdefault(e - s, []).append(i)
    parts: list[str] = []
    pos = i = 0
    while i < len(runs):
        s, e = runs[i]
        same = by_len[e - s]
        j = bisect.bisect_right(same, i)
        if j < len(same):
            close_end = runs[same[j]][1]
            parts.append(row[pos:s])
            parts.append("x" * (close_end - s))
            pos = close_end
            i = same[j] + 1
        else:
            i += 1
    parts.append(row[pos:])
    return "".join(parts)
