"""Markdown structure from one pass of pulldown-cmark (through pyromark).

pyromark reports UTF-8 byte ranges; we convert them to character offsets in
``Document.text`` here, in one place, so Korean text never shifts a column.
Rules never see pyromark events: they get plain lists of images, links, tables,
paragraphs, prose text runs and code regions.
"""

from __future__ import annotations

from operator import itemgetter
from typing import Any, Iterator

import pyromark

from .markdown_nodes import MdHeading, MdImage, MdLink, MdParagraph, MdTable, MdTableRow, MdText  # noqa: F401
from .markdown_nodes import _count_cells, _mask_code_spans  # noqa: F401 (table_shape imports it from here)
from .source import (Region, SourceText, ascii_offset_converter, byte_offset_converter, keep_sorted_spans_utf8,
                     keep_spans_utf8, mask_regions, sweep_offsets)
from .templates import mask_destination_tags, restore_destinations

_OPTIONS = (
    pyromark.Options.ENABLE_TABLES
    | pyromark.Options.ENABLE_FOOTNOTES
    | pyromark.Options.ENABLE_STRIKETHROUGH
    | pyromark.Options.ENABLE_TASKLISTS
)


class MarkdownView:
    """What the rules see of a Markdown body. Every offset is a character
    offset into ``Document.text``."""

    __slots__ = ("images", "links", "tables", "_paras", "_paragraphs", "_code", "_code_bytes", "_code_sorted",
                 "html", "_spans", "_data", "_conv", "_base", "_texts", "_html_source", "_html_source_utf8",
                 "_strong", "_headings", "_sweep", "_start")

    def __init__(self) -> None:
        self.images: list[MdImage] = []
        self.links: list[MdLink] = []
        self.tables: list[MdTable] = []
        # [byte start, byte end, plain, [text, ...]] of every paragraph, in
        # order; the MdParagraph objects are made when asked for (posts hold
        # many paragraphs, and a rule wants only the blank ones).
        self._paras: list[list[Any]] = []
        self._paragraphs: list[MdParagraph] | None = None
        # Code regions (source.Region): those with character offsets (Liquid
        # literal blocks, autolinks) and pulldown-cmark's code blocks, code
        # spans and math as (byte start, byte end, kind), converted when asked:
        # rules look at code only around what they found.
        self._code: list[Any] = []
        self._code_bytes: list[tuple[int, int, str]] = []
        self._code_sorted: list[Any] | None = None
        self.html: list[tuple[int, int]] = []
        # (byte start, byte end, text, context) of every prose text event, and
        # (byte start, byte end, None, None) of every HTML block or inline HTML
        # event, in event order: what the HTML parser gets to see (everything
        # else is blanked out), and the rows ``texts`` is made from. Byte
        # offsets into ``_data`` (the body as pulldown-cmark read it, UTF-8):
        # converting them to character offsets is left to the few who ask.
        # (Keeping pulldown-cmark's range dicts instead took fewer steps per
        # event but more time: they are larger, and kept from being reused.)
        self._spans: list[tuple[int, int, str | None, str | None]] = []
        self._data: bytes = b""
        self._conv: Any = None  # byte offset -> character offset in Document.text
        # For an ASCII body read on the fast path: what _conv adds (added
        # inline where many offsets are converted at once); None otherwise.
        self._base: int | None = None
        # True for a non-ASCII body read on the fast path: lists in document
        # order are converted by counting the characters from one offset to
        # the next (see source.sweep_offsets), from byte 0 at character
        # ``_start``.
        self._sweep = False
        self._start = 0
        self._texts: list[MdText] | None = None
        self._html_source: str | None = None
        self._html_source_utf8 = b""
        # Strong emphasis and headings: every post is asked for both (by
        # emphasis-overuse and heading-increment), so their offsets are
        # converted in the parse, in the same count through the body as the
        # links' (a later pass would count the body again).
        self._strong: list[tuple[int, int]] = []
        self._headings: list[MdHeading] = []

    @classmethod
    def empty(cls) -> "MarkdownView":
        return cls()

    @property
    def code(self) -> list[Region]:
        """Code blocks, code spans, math, autolinks and the Liquid literal
        blocks given to :func:`parse_markdown` (source.Region), by start."""
        if self._code_sorted is None:
            rows = self._code_bytes
            regions = self._code + [Region(s, e, row[2]) for (s, e), row in zip(self._char_spans(rows), rows)]
            regions.sort(key=_region_start)
            self._code_sorted = regions
        return self._code_sorted

    @property
    def strong(self) -> list[tuple[int, int]]:
        """(start, end) of every strong emphasis, markers included, in order
        (a new list: the caller may add to it)."""
        return self._strong[:]

    @property
    def paragraphs(self) -> list[MdParagraph]:
        """Every paragraph, in document order."""
        if self._paragraphs is None:
            rows = self._paras
            self._paragraphs = [MdParagraph(s, e, row[2], "".join(row[3]))
                                for (s, e), row in zip(self._char_spans(rows), rows)]
        return self._paragraphs

    def iter_paragraphs(self) -> Iterator[MdParagraph]:
        """The paragraphs of :attr:`paragraphs`, made one at a time when that
        list is not made yet (for a reader that stops at the first it wants)."""
        if self._paragraphs is not None:
            yield from self._paragraphs
            return
        rows = self._paras
        for (s, e), row in zip(self._char_spans(rows), rows):
            yield MdParagraph(s, e, row[2], "".join(row[3]))

    def plain_paragraphs(self, keep: Any = None) -> list[MdParagraph]:
        """The paragraphs that hold only text and line breaks (``plain``);
        with ``keep``, only those whose text ``keep(text)`` accepts (tested
        before any offset is converted)."""
        if self._paragraphs is not None:
            return [p for p in self._paragraphs if p.plain and (keep is None or keep(p.text))]
        kept = []
        for row in self._paras:
            if row[2]:
                text = "".join(row[3])
                if keep is None or keep(text):
                    kept.append((row, text))
        if not kept:
            return []
        spans = self._char_spans([row for row, _ in kept])
        return [MdParagraph(s, e, True, text) for (s, e), (_, text) in zip(spans, kept)]

    @property
    def headings(self) -> list[MdHeading]:
        """ATX and setext headings, in document order."""
        return self._headings

    @property
    def texts(self) -> list[MdText]:
        """Prose text runs (not code), in document order, with their context."""
        if self._texts is None:
            rows = [row for row in self._spans if row[3] is not None]
            self._texts = [MdText(s, e, row[2], row[3]) for (s, e), row in zip(self._char_spans(rows), rows)]
        return self._texts

    def _char_spans(self, rows: list[Any]) -> list[tuple[int, int]]:
        """Character (start, end) of the byte ranges that open ``rows``, in
        order: added to for an ASCII body, counted on from one to the next
        for another (see source.sweep_offsets), else converted one by one."""
        base = self._base
        if base is not None:
            return [(row[0] + base, row[1] + base) for row in rows]
        if self._sweep:
            return sweep_offsets(rows, self._conv, self._data, self._start)
        conv = self._conv
        return [(conv(row[0]), conv(row[1])) for row in rows]

    def visible(self) -> list[tuple[int, int, bool]]:
        """(start, end, is_text) of the spans ``html_source`` keeps, character
        offsets, sorted (for the tests)."""
        conv = self._conv
        return sorted((conv(s), conv(e), c is not None) for s, e, _t, c in self._spans)

    def html_source(self) -> str:
        """The body (``Document.text[body_start:]``) with everything that is
        not HTML blanked out.

        Code blocks, code spans, autolinks, Liquid literal blocks and Markdown
        syntax become spaces (newlines kept), so the HTML parser sees tags
        exactly where they are in the file and never sees code. A ``<`` in
        prose (``a < b``, ``\\<b>``) is blanked too: pulldown-cmark already
        decided it is not a tag.

        Built on the UTF-8 bytes pulldown-cmark read, with its byte ranges
        (see source.keep_spans_utf8), so no text event's offsets are ever
        converted to characters. Same characters, same length as the body.
        """
        if self._html_source is None:  # the HTML tree and the pack rules both ask for it
            got = keep_spans_utf8(self._data, self._spans, self._base is not None)
            if got is None:  # out of order or overlapping (rare): sorted, a span that overlaps the one before dropped
                self._spans.sort(key=_by_range)
                got = keep_sorted_spans_utf8(self._data, self._spans)
            self._html_source, self._html_source_utf8 = got
        return self._html_source

    def html_source_utf8(self) -> bytes:
        """:meth:`html_source` as UTF-8: the bytes it was decoded from (the
        pack prefilters search those, and need not encode it again)."""
        self.html_source()
        return self._html_source_utf8


_by_range = itemgetter(0, 1)
_LEVELS = {"H1": 1, "H2": 2, "H3": 3, "H4": 4, "H5": 5, "H6": 6}


def _region_start(region: Any) -> int:
    return region.start


# Start tags the view does not use; skipped before any offset is converted.
_IGNORED_STARTS = frozenset(("Item", "List", "Emphasis", "BlockQuote", "TableCell",
                             "HtmlBlock", "FootnoteDefinition", "Strikethrough", "MetadataBlock",
                             "DefinitionList", "DefinitionListTitle", "DefinitionListDefinition",
                             "Superscript", "Subscript"))
# End tags the view acts on.
_USED_ENDS = frozenset(("Paragraph", "Link", "Heading", "CodeBlock", "Image", "Table"))
# Events with a span the view records (besides Start tags and Text).
_SPAN_KINDS = frozenset(("Code", "Html", "InlineHtml", "InlineMath", "DisplayMath"))


def parse_markdown(source_text: SourceText, body_start: int, literal_regions: list[Region], *,
                   ascii_fast_path: bool = True) -> MarkdownView:
    """One pass over pulldown-cmark's events: the view the rules use.

    Events are dicts of one key (``{"Text": "..."}``, ``{"Start": ...}``); the
    loop tells them apart by membership (``"Text" in ev``, the cheapest way)
    and acts only on the events the view uses. Text events, two in five of all, keep
    pulldown-cmark's byte range as it is (see ``MarkdownView.html_source``),
    and so do paragraphs and code (converted when a rule asks: rules look at
    them only around what they found). Links, images, tables, headings,
    strong emphasis and HTML get character offsets at once: for an ASCII
    body a byte offset plus ``body_start``, added inline; otherwise counted
    on from the offset before (see :func:`source.sweep_offsets`). With
    ``ascii_fast_path=False`` every offset goes through the converter's
    function (the tests compare both paths, and patch that function).
    """
    text = source_text.text
    source = mask_regions(text, body_start, literal_regions)
    # Template tags in link destinations (see newslint.templates), looked for
    # only in a body that has a tag at all (most have none; most have no "{",
    # a one-character search that is cheaper than the two it saves).
    templated = "{" in source and ("{{" in source or "{%" in source) and mask_destination_tags(source)
    if templated:
        source = templated[0]
    view = MarkdownView()
    view._code.extend(literal_regions)
    try:
        events = pyromark.events_with_range(source, options=_OPTIONS)
    except BaseException as exc:  # pragma: no cover - a panic in the Rust parser
        _reraise_unless_parser_failure(exc)
        view._conv = ascii_offset_converter(body_start)
        view._data = source.encode("utf-8", "surrogatepass")
        return view

    base = body_start
    data = view._data = source.encode("utf-8", "surrogatepass")
    view._start = base
    sweep = False
    # The last start converted and its character offset, and the last end
    # and its (see source.sweep_offsets).
    pb = qb = 0
    pc = qc = base
    if ascii_fast_path and len(data) == len(source):
        conv = None
        view._conv = ascii_offset_converter(base)
        view._base = base
    else:
        # Offsets in order are counted on inline below (a call per offset cost
        # 2x), by decoding the bytes between them (strict UTF-8: see
        # source.sweep_offsets).
        sweep = view._sweep = ascii_fast_path
        conv = view._conv = byte_offset_converter(data, base)

    spans_append = view._spans.append
    code = view._code
    code_bytes = view._code_bytes
    html = view.html
    ignored_starts = _IGNORED_STARTS
    used_ends = _USED_ENDS
    span_kinds = _SPAN_KINDS
    # Open containers: [kind, start, data...]
    image: list[Any] | None = None
    link: list[Any] | None = None
    table: MdTable | None = None
    para: list[Any] | None = None  # [start, end, plain, texts]
    para_texts: list[str] | None = None  # para[3] while a paragraph is open
    heading_depth = 0
    in_code_block = False
    # The context of a prose text event outside links and images ("body",
    # "heading" or "table"), kept up to date by the events that change it;
    # ``special`` is true inside a code block, a link or an image, where a
    # text event needs more than that.
    ctx = "body"
    special = False

    paras = view._paras
    strong = view._strong
    headings = view._headings
    try:
        for ev, rng in events:
            # Dispatch by dict membership: no key iterator per event (a third
            # of the dispatch cost of `for kind in ev`). Text comes first: two
            # events in five; then End and Start, a quarter each. A str event
            # (SoftBreak, HardBreak, Rule) holds none of the three words, and
            # is passed over before the rest.
            if "Text" in ev:
                if special:
                    if in_code_block:
                        continue
                    payload = ev["Text"]
                    if image is not None:
                        image[3].append(payload)
                        if image[4] is None:
                            image[4] = rng["start"]
                        image[5] = rng["end"]
                        spans_append((rng["start"], rng["end"], payload, "image"))
                    else:
                        link[3].append(payload)  # type: ignore[index]
                        spans_append((rng["start"], rng["end"], payload, "link"))
                    if para_texts is not None:
                        para_texts.append(payload)
                    continue
                payload = ev["Text"]
                if para_texts is not None:
                    para_texts.append(payload)
                spans_append((rng["start"], rng["end"], payload, ctx))
                continue
            if "End" in ev:
                payload = ev["End"]
                if payload.__class__ is str:
                    tag = payload
                else:
                    for tag in payload:
                        pass
                if tag not in used_ends:
                    continue
                if tag == "Paragraph":
                    if para is not None:
                        paras.append(para)  # MdParagraph objects only when asked (see paragraphs)
                        para = para_texts = None
                elif tag == "Link":
                    if link is not None:
                        attrs = link[2]  # pulldown-cmark's link: every key there
                        link_type = attrs["link_type"]
                        view.links.append(MdLink(link[0], link[1], "".join(link[3]), attrs["dest_url"], attrs["title"],
                                                 link_type))
                        if link_type == "Autolink" or link_type == "Email":
                            # <https://...> must not reach the HTML parser as a tag.
                            code.append(Region(link[0], link[1], "autolink"))
                        link = None
                        special = image is not None
                elif tag == "Heading":
                    heading_depth = max(0, heading_depth - 1)
                    ctx = "heading" if heading_depth else "body" if table is None else "table"
                elif tag == "CodeBlock":
                    in_code_block = False
                    special = image is not None or link is not None
                elif tag == "Image":
                    if image is not None:
                        attrs = image[2] or {}
                        alt = "".join(image[3])
                        if image[4] is None:
                            a_s = a_e = image[0] + 2
                        else:
                            b, a_s, a_e = image[6], image[4], image[5]
                            if conv is None:
                                a_s, a_e = a_s + base, a_e + base
                            elif sweep:  # counted on from the image's start
                                a_e = len(data[a_s:a_e].decode())
                                a_s = image[0] + len(data[b:a_s].decode())
                                a_e += a_s
                            else:
                                a_s, a_e = conv(a_s), conv(a_e)
                        view.images.append(MdImage(image[0], image[1], alt, a_s, a_e, attrs.get("dest_url", ""),
                                                   attrs.get("title", "")))
                        image = None
                        special = link is not None or in_code_block
                elif tag == "Table":
                    if table is not None:
                        view.tables.append(table)
                        table = None
                        ctx = "heading" if heading_depth else "body"
                continue
            if "Start" in ev:
                payload = ev["Start"]
                if payload.__class__ is str:
                    tag, attrs = payload, None
                else:
                    for tag in payload:
                        pass
                    attrs = payload[tag]
                if tag in ignored_starts:
                    continue
                if tag == "Paragraph":  # byte offsets: converted when a rule asks (see paragraphs)
                    para_texts = []
                    para = [rng["start"], rng["end"], True, para_texts]
                    continue
                if tag == "Heading":
                    heading_depth += 1
                    ctx = "heading"
                elif tag == "CodeBlock":
                    in_code_block = special = True
                    code_bytes.append((rng["start"], rng["end"], "code-block"))
                    continue
                kind = "Start"
            elif ev.__class__ is str:  # SoftBreak, HardBreak, Rule
                continue
            else:
                for kind in ev:
                    pass
                if kind not in span_kinds:
                    continue
                if kind == "Html" or kind == "InlineHtml":
                    spans_append((rng["start"], rng["end"], None, None))
                else:  # Code, InlineMath, DisplayMath: byte offsets, converted when asked (see code)
                    code_bytes.append((rng["start"], rng["end"], "code-span" if kind == "Code" else "math"))
                    if para is not None and kind == "Code":
                        para[2] = False
                    continue
            if conv is None:
                s = rng["start"] + base
                e = rng["end"] + base
            elif sweep:  # counted on from the offset before (see source.sweep_offsets)
                # From the end before, or else from the start before: the next
                # offset may be inside this one's range (a table's rows, HTML
                # in a link).
                b = rng["start"]
                if b >= qb:
                    s = qc + len(data[qb:b].decode())
                elif b >= pb:
                    s = pc + len(data[pb:b].decode())
                else:
                    s = conv(b)
                pb = b
                pc = s
                qb = rng["end"]
                qc = e = s + len(data[b:qb].decode())
            else:
                s = conv(rng["start"])
                e = conv(rng["end"])
            if kind == "Start":
                if tag == "Link":
                    link = [s, e, attrs, []]
                    special = True
                    if para is not None:
                        para[2] = False
                elif tag == "Heading":
                    headings.append(MdHeading(s, e, _LEVELS[attrs["level"]]))
                elif tag == "Strong":
                    strong.append((s, e))
                elif tag == "Image":
                    image = [s, e, attrs, [], None, None, rng["start"]]
                    special = True
                    if para is not None:
                        para[2] = False
                elif tag == "Table":
                    table = MdTable(s, e)
                    if not heading_depth:
                        ctx = "table"
                elif (tag == "TableHead" or tag == "TableRow") and table is not None:
                    table.rows.append(MdTableRow(s, e, tag == "TableHead", _count_cells(text[s:e])))
            else:  # Html, InlineHtml
                html.append((s, e))
                if para is not None:
                    para[2] = False
    except BaseException as exc:  # pragma: no cover - a panic in the Rust parser mid-stream
        _reraise_unless_parser_failure(exc)
    if templated:
        restore_destinations(view.images, templated[1])
        restore_destinations(view.links, templated[1])
    return view


def _reraise_unless_parser_failure(exc: BaseException) -> None:
    """Raise ``exc`` again unless it is the parser failing on this text.

    A panic in pulldown-cmark reaches Python as pyo3's ``PanicException``, a
    ``BaseException``: the view keeps what was read before it. Anything else
    that is not an ``Exception`` (the per-file time budget's ``FileTimedOut``,
    ``KeyboardInterrupt``) must go on up, or the post would be reported from a
    partial parse as if it had been checked.
    """
    if not isinstance(exc, Exception) and type(exc).__name__ != "PanicException":
        raise exc
