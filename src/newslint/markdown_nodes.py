"""What the Markdown view holds: links, images, headings, tables, paragraphs
and text runs, each with its offsets in ``Document.text``; and how the cells
of a table row are counted as written."""

from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

from .templates import TAG

# A link's or image's destination built by a Liquid or Hugo template
# (``{{ site.baseurl }}/a.png``, ``{% link a.md %}``) is ``dynamic``: it is
# not a URL as written. ``resolved`` is its target when the form is known,
# and ``resolved_kind`` what that target is: "url" (a path on the site),
# "file" (a source file, relative to the site root), "post" (a Jekyll post's
# name) or "ref" (a Hugo content reference); see newslint.templates.resolve.


@dataclass(slots=True)
class MdImage:
    start: int
    end: int
    alt: str
    alt_start: int
    alt_end: int
    dest: str
    title: str
    dynamic: bool = False
    resolved: str | None = None
    resolved_kind: str = ""


@dataclass(slots=True)
class MdLink:
    start: int
    end: int
    text: str
    dest: str
    title: str
    link_type: str
    dynamic: bool = False
    resolved: str | None = None
    resolved_kind: str = ""


@dataclass(slots=True)
class MdHeading:
    start: int
    end: int
    level: int  # 1-6, ATX or setext


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


def _count_cells(row: str) -> int:
    """Cells in a GFM table row as written: unescaped pipes outside code spans."""
    row = row.strip()
    if "{{" in row or "{%" in row:  # a pipe inside a Liquid filter is gone before Markdown runs
        row = TAG.sub(_crossed, row)
    if "`" in row:
        row = _mask_code_spans(row)
    row = row.replace("\\|", "xx")
    if row.startswith("|"):
        row = row[1:]
    if row.endswith("|"):
        row = row[:-1]
    return row.count("|") + 1


_TICKS = re.compile(r"`+")


def _crossed(m: re.Match[str]) -> str:
    return "x" * len(m.group())


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
