"""What the Markdown view holds: links, images, headings, tables, paragraphs
and text runs, each with its offsets in ``Document.text``."""

from __future__ import annotations

from dataclasses import dataclass, field

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
