"""Markdown structure from one pass of pulldown-cmark (through pyromark).

pyromark reports UTF-8 byte ranges; we convert them to character offsets in
``Document.text`` here, in one place, so Korean text never shifts a column.
Rules never see pyromark events: they get plain lists of images, links, tables,
paragraphs, prose text runs and code regions.
"""

from __future__ import annotations

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


@dataclass
class MarkdownView:
    images: list[MdImage] = field(default_factory=list)
    links: list[MdLink] = field(default_factory=list)
    tables: list[MdTable] = field(default_factory=list)
    paragraphs: list[MdParagraph] = field(default_factory=list)
    texts: list[MdText] = field(default_factory=list)
    code: list[Any] = field(default_factory=list)  # document.Region
    html: list[tuple[int, int]] = field(default_factory=list)
    # Spans pyromark parsed as HTML blocks or inline HTML, plus prose text spans:
    # what the HTML parser gets to see (everything else is blanked out).
    _visible: list[tuple[int, int, bool]] = field(default_factory=list)

    @classmethod
    def empty(cls) -> "MarkdownView":
        return cls()

    def html_source(self, text: str, body_start: int) -> str:
        """``text[body_start:]`` with everything that is not HTML blanked out.

        Code blocks, code spans, autolinks and Markdown syntax become spaces
        (newlines kept), so the HTML parser sees tags exactly where they are in
        the file and never sees code. A ``<`` in prose (``a < b``, ``\\<b>``) is
        blanked too: pulldown-cmark already decided it is not a tag.
        """
        parts: list[str] = []
        pos = body_start
        for start, end, is_text in self._visible:
            if start < pos:
                continue
            if start > pos:
                parts.append(_blank(text[pos:start]))
            chunk = text[start:end]
            if is_text and "<" in chunk:
                chunk = chunk.replace("<", " ")
            parts.append(chunk)
            pos = end
        if pos < len(text):
            parts.append(_blank(text[pos:]))
        return "".join(parts)


_NOT_NEWLINE = re.compile(r"[^\n]")


def _blank(s: str) -> str:
    return _NOT_NEWLINE.sub(" ", s)


class _ByteToChar:
    """Convert UTF-8 byte offsets of ``s.encode()`` to character offsets of ``s``."""

    def __init__(self, s: str, base: int) -> None:
        self.base = base
        self.ascii = s.isascii()
        if not self.ascii:
            self.data = s.encode("utf-8")
            self._cache: dict[int, int] = {}
            self._last_b = 0
            self._last_c = 0

    def __call__(self, b: int) -> int:
        if self.ascii:
            return self.base + b
        cached = self._cache.get(b)
        if cached is not None:
            return cached
        if b >= self._last_b:
            c = self._last_c + len(self.data[self._last_b : b].decode("utf-8", errors="replace"))
        else:
            c = len(self.data[:b].decode("utf-8", errors="replace"))
        self._last_b, self._last_c = b, c
        out = self.base + c
        self._cache[b] = out
        return out


def parse_markdown(text: str, body_start: int, literal_regions: list[Any]) -> MarkdownView:
    from .document import Region, mask_regions

    source = mask_regions(text, body_start, literal_regions)
    conv = _ByteToChar(source, body_start)
    view = MarkdownView()
    view.code.extend(literal_regions)
    try:
        events = pyromark.events_with_range(source, options=_OPTIONS)
    except BaseException:  # pragma: no cover - a panic in the Rust parser
        return view

    visible = view._visible
    # Stack of open containers: [kind, start, data...]
    image: list[Any] | None = None
    link: list[Any] | None = None
    table: MdTable | None = None
    para: list[Any] | None = None  # [start, end, plain, texts]
    heading_depth = 0
    in_code_block = False

    for ev, rng in events:
        s = conv(rng["start"])
        e = conv(rng["end"])
        if isinstance(ev, dict):
            (kind, payload), = ev.items()
        else:
            kind, payload = ev, None
        if kind == "Text":
            if in_code_block:
                continue
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
            view.texts.append(MdText(s, e, payload, ctx))
            visible.append((s, e, True))
        elif kind == "Code":
            view.code.append(Region(s, e, "code-span"))
            if para is not None:
                para[2] = False
        elif kind in ("Html", "InlineHtml"):
            view.html.append((s, e))
            visible.append((s, e, False))
            if para is not None:
                para[2] = False
        elif kind == "Start":
            if isinstance(payload, dict):
                (tag, attrs), = payload.items()
            else:
                tag, attrs = payload, None
            if tag == "CodeBlock":
                in_code_block = True
                view.code.append(Region(s, e, "code-block"))
            elif tag == "Image":
                image = [s, e, attrs, [], None, None]
                if para is not None:
                    para[2] = False
            elif tag == "Link":
                link = [s, e, attrs, []]
                if para is not None:
                    para[2] = False
            elif tag == "Paragraph":
                para = [s, e, True, []]
            elif tag == "Heading":
                heading_depth += 1
            elif tag == "Table":
                table = MdTable(s, e)
            elif tag in ("TableHead", "TableRow") and table is not None:
                table.rows.append(MdTableRow(s, e, tag == "TableHead", _count_cells(text[s:e])))
        elif kind == "End":
            tag = payload if isinstance(payload, str) else next(iter(payload)) if isinstance(payload, dict) else payload
            if tag == "CodeBlock":
                in_code_block = False
            elif tag == "Image" and image is not None:
                attrs = image[2] or {}
                alt = "".join(image[3])
                a_s = image[4] if image[4] is not None else image[0] + 2
                a_e = image[5] if image[5] is not None else a_s
                view.images.append(MdImage(image[0], image[1], alt, a_s, a_e, attrs.get("dest_url", ""), attrs.get("title", "")))
                image = None
            elif tag == "Link" and link is not None:
                attrs = link[2] or {}
                view.links.append(MdLink(link[0], link[1], "".join(link[3]), attrs.get("dest_url", ""), attrs.get("title", ""), attrs.get("link_type", "")))
                if attrs.get("link_type") in ("Autolink", "Email"):
                    # <https://...> must not reach the HTML parser as a tag.
                    view.code.append(Region(link[0], link[1], "autolink"))
                link = None
            elif tag == "Paragraph" and para is not None:
                view.paragraphs.append(MdParagraph(para[0], para[1], para[2], "".join(para[3])))
                para = None
            elif tag == "Heading":
                heading_depth = max(0, heading_depth - 1)
            elif tag == "Table" and table is not None:
                view.tables.append(table)
                table = None
        elif kind in ("InlineMath", "DisplayMath"):
            view.code.append(Region(s, e, "math"))
    visible.sort()
    view.code.sort(key=lambda r: r.start)
    return view


def _count_cells(row: str) -> int:
    """Cells in a GFM table row as written: unescaped pipes outside code spans."""
    row = row.strip()
    if "`" in row:
        row = re.sub(r"(`+)(.+?)\1", lambda m: "x" * len(m.group(0)), row)
    row = row.replace("\\|", "xx")
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|"):
        row = row[:-1]
    return row.count("|") + 1
