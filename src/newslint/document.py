"""One post, read once and parsed once; every rule shares this parse.

The raw text is the truth. ``Document.text`` is the decoded file (a UTF-8 BOM
is remembered in ``bom`` and not part of ``text``); every position newslint
reports is a character offset into ``text``, turned into a 1-based line and
column in one place, :meth:`newslint.source.SourceText.position`. The document
holds that :class:`SourceText` (``source``) and hands it to the parsers; their
views never point back at the document, so dropping it frees every parse at
once, with no cycle left for the garbage collector.

Parsers (see bench/README.md for how they were chosen):

* Front matter: PyYAML's C loader, composed into nodes with marks. Values are
  constructed from the same nodes; dates stay the string the author wrote, so
  a JSON Schema ``format`` checks the text.
* Markdown: pyromark (pulldown-cmark), byte ranges for every event;
  markdown-it-py was an order of magnitude slower and gives no inline columns.
* HTML: the standard library's ``html.parser`` tokenizer with a small tree
  builder of our own (:mod:`newslint.html`). It is the tokenizer bs4 uses for
  ``sourceline``, without bs4's tree overhead, and it gives us exact spans of
  start tags and attributes, which fixes need.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from .frontmatter import FrontMatter, split_front_matter
from .html import HtmlTree, parse_html
from .markdown import MarkdownView, parse_markdown
from .site import NO_SITE, Site
from .source import TEMPLATE_TAG, Region, SourceText, blank_out, find_literal_blocks, mask_regions
from .spans import Spans
from .suffixes import HTML_SUFFIXES, MARKDOWN_SUFFIXES

if TYPE_CHECKING:
    from .kramdown import KramdownView

# Names other modules import from here.
__all__ = ["Document", "DecodeProblem", "decode", "Region", "TEMPLATE_TAG", "blank_out", "find_literal_blocks",
           "mask_regions", "HTML_SUFFIXES", "MARKDOWN_SUFFIXES"]

# A backtick in an image's alt text: code to CommonMark, text to kramdown.
_ALT_WITH_CODE = re.compile(r"!\[[^\]\n]*`")
# A tag name kramdown reads and CommonMark does not: "_", "." or ":" in it, or
# a letter that is not ASCII.
_KRAMDOWN_ONLY_TAG = re.compile(r"<(?:_|[A-Za-z][-A-Za-z0-9]*[_.:]|[^\x00-\x7f])")
# An indented code block and, right after it, a line that is not indented:
# CommonMark ends the code there, kramdown goes on (a lazy line).
_LAZY_CODE_LINE = re.compile(r"\n[ \t]*\n(?:(?: {4}|\t)[^\n]*\n)+ {0,3}[^\s]")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_UTF32_BOMS = (b"\xff\xfe\x00\x00", b"\x00\x00\xfe\xff")
_BINARY_SIGNATURES = (b"\x89PNG", b"GIF8", b"\xff\xd8\xff", b"%PDF", b"PK\x03\x04", b"\x7fELF")


@dataclass(slots=True)
class DecodeProblem:
    """Why the file's bytes are not a UTF-8 text newslint can lint."""

    kind: str  # "binary", "utf-16", "utf-32", "not-utf8"
    byte_offset: int
    message: str


def decode(raw: bytes) -> tuple[str, bool, DecodeProblem | None]:
    """Decode strictly as UTF-8. Returns (text, had_bom, problem).

    Nothing is ever guessed into another encoding: a file that is not UTF-8
    gets a problem (with a hint when it looks like CP949) and a best-effort
    text used only to place that message.
    """
    if raw.startswith(b"---") and raw.find(b"\x00", 0, 8192) == -1:
        # A front matter fence, as most posts begin: no byte order mark and
        # no binary signature begins so, and with no NUL byte nothing below
        # can find the file binary or UTF-16.
        try:
            return raw.decode("utf-8"), False, None
        except UnicodeDecodeError:
            pass  # the general path places the problem
    return _decode(raw)


def _decode(raw: bytes) -> tuple[str, bool, DecodeProblem | None]:
    if raw.startswith(_UTF32_BOMS):
        return "", False, DecodeProblem("utf-32", 0, "file is UTF-32 (byte order mark found); newslint reads UTF-8 only")
    if raw.startswith(_UTF16_BOMS):
        return "", False, DecodeProblem("utf-16", 0, "file is UTF-16 (byte order mark found); newslint reads UTF-8 only, convert it with `iconv -f UTF-16 -t UTF-8`")
    bom = raw.startswith(b"\xef\xbb\xbf")
    body = raw[3:] if bom else raw
    # Both tests below look for NUL bytes in the first 8 KiB; a text has none,
    # and then only a binary signature can make it binary.
    nul = body.find(b"\x00", 0, 8192) != -1
    utf16 = _utf16_without_bom(body) if nul else None
    if utf16 is not None:
        return "", bom, DecodeProblem("utf-16", 0, f"file looks like {utf16} without a byte order mark; newslint reads "
                                      f"UTF-8 only, convert it with `iconv -f {utf16} -t UTF-8`")
    if _looks_binary(body) if nul else body.startswith(_BINARY_SIGNATURES):
        return "", bom, DecodeProblem("binary", 0, "binary file (not a text post)")
    try:
        return body.decode("utf-8"), bom, None
    except UnicodeDecodeError as exc:
        bad = exc.start + (3 if bom else 0)
        hint = ""
        try:
            body.decode("cp949")
            hint = "; it looks like CP949 (EUC-KR), convert it with `iconv -f CP949 -t UTF-8`"
        except UnicodeDecodeError:
            pass
        text = body.decode("utf-8", errors="replace")
        return text, bom, DecodeProblem("not-utf8", bad, f"file is not valid UTF-8 (byte {bad}: 0x{raw[bad]:02x}){hint}")


def _utf16_without_bom(data: bytes) -> str | None:
    """"UTF-16LE"/"UTF-16BE" when the first block is mostly ASCII or Hangul
    written two bytes a character (zeros on one side); None otherwise."""
    head = data[:4096]
    if len(head) < 8 or head.count(b"\x00") < len(head) // 4:
        return None
    head = head[: len(head) // 2 * 2]
    even, odd = head[0::2], head[1::2]
    for name, zeros, other in (("UTF-16LE", odd, even), ("UTF-16BE", even, odd)):
        if zeros.count(0) >= len(zeros) * 0.3 and other.count(0) <= len(other) * 0.02:
            try:
                head.decode(name.lower().replace("utf-16", "utf-16-"))
            except UnicodeDecodeError:
                continue
            return name
    return None


def _looks_binary(data: bytes) -> bool:
    head = data[:8192]
    if head.startswith(_BINARY_SIGNATURES):
        return True
    # NUL bytes in the first block: binary data, unless they are a few stray
    # control characters in an otherwise valid UTF-8 text (control-character
    # reports those).
    nul = head.count(b"\x00")
    if nul <= 1:
        return False
    try:
        head.decode("utf-8")
    except UnicodeDecodeError as exc:
        if exc.start < len(head) - 3:  # not just a character cut at the block's end
            return True
    return nul * 10 > len(head)


class Document:
    """A post read from disk (or given as text), parsed lazily and only once.

    The parses hold no reference to the document (only to its ``source``), so
    a document is freed as soon as the last reference to it goes.
    """

    def __init__(self, path: str, raw: bytes, *, kind: str | None = None, site: Site | None = None) -> None:
        self.path = path
        # The site the post belongs to (how it renders, which generator reads it).
        self.site: Site = site if site is not None else NO_SITE
        self.raw = raw
        text, bom, problem = decode(raw)
        self.source = source = SourceText(text, bom)
        self.text: str = text
        self.bom = bom
        self.decode_problem = problem
        lower = path.lower()
        self.kind = kind or ("html" if lower.endswith(HTML_SUFFIXES) else "markdown")
        if problem is None:
            self.front_matter: FrontMatter | None = split_front_matter(source)
            # An unclosed fence: the whole file is the body as Jekyll sees it.
            self.body_start = self.front_matter.end if self.front_matter and self.front_matter.closed else 0
        else:
            self.front_matter = None
            self.body_start = 0

    @classmethod
    def from_text(cls, text: str, path: str = "post.md", *, bom: bool = False, site: Site | None = None) -> "Document":
        raw = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
        return cls(path, raw, site=site)

    # -- positions (see SourceText) ------------------------------------------
    @property
    def ok(self) -> bool:
        """True when the file decoded and rules may run on it."""
        return self.decode_problem is None

    @property
    def line_starts(self) -> list[int]:
        return self.source.line_starts

    def position(self, offset: int) -> tuple[int, int]:
        """1-based (line, column) of a character offset; columns count code points."""
        return self.source.position(offset)

    def offset(self, line: int, column: int) -> int:
        """The character offset of a 1-based (line, column)."""
        return self.source.offset(line, column)

    def line_of(self, offset: int) -> int:
        return self.source.line_of(offset)

    def line_end(self, offset: int) -> int:
        """Offset of the end of the line holding ``offset`` (before its newline)."""
        return self.source.line_end(offset)

    def byte_offset_to_position(self, byte_offset: int) -> tuple[int, int]:
        """Line and column of a byte offset in ``raw`` (for decode problems)."""
        head = self.raw[:byte_offset]
        if head.startswith(b"\xef\xbb\xbf"):
            head = head[3:]
        line = head.count(b"\n") + 1
        last = head.rfind(b"\n")
        col = len(head[last + 1 :].decode("utf-8", errors="replace")) + 1
        return line, col

    # -- the body ------------------------------------------------------------
    @property
    def body(self) -> str:
        return self.text[self.body_start :]

    @cached_property
    def code_regions(self) -> list[Region]:
        """Code blocks, code spans and literal Liquid/Hugo blocks, sorted by
        start; for a kramdown post, as kramdown reads them, with its own markup
        (``{: .class}``, ``{::comment}``) that is never text."""
        regions = list(self.liquid_literal_regions)
        if self.kind == "markdown":
            kd = self.kramdown
            regions.extend(self.markdown.code if kd is None else kd.code)
        regions.sort(key=lambda r: r.start)
        return regions

    @cached_property
    def kramdown(self) -> KramdownView | None:
        """kramdown's reading of the body, for a Markdown post of a site that
        renders with kramdown (Jekyll's default); None otherwise, and when the
        body has nothing kramdown reads differently (then pulldown-cmark's
        reading stands for both)."""
        if self.site.markdown != "kramdown" or self.kind != "markdown" or not self.ok:
            return None
        text, start = self.text, self.body_start
        # With no HTML to CommonMark, and no "<" that only kramdown takes as a
        # tag, the "<"s are code or text to both: the two differ only where
        # kramdown's own syntax is written, or in the code it reads otherwise.
        if ((text.find("<", start) == -1 or (not self.markdown.html and
                                             _KRAMDOWN_ONLY_TAG.search(text, start) is None))
                and text.find("{:", start) == -1 and text.find("\n^", start) == -1
                and _ALT_WITH_CODE.search(text, start) is None and _LAZY_CODE_LINE.search(text, start) is None):
            return None
        from .kramdown import read_kramdown  # a Jekyll site's dialect only: most runs never import it

        return read_kramdown(self.source, start, self.liquid_literal_regions, self.site.markdown_options)

    @cached_property
    def liquid_literal_regions(self) -> list[Region]:
        return find_literal_blocks(self.text, self.body_start)

    @cached_property
    def _code_spans(self) -> Spans:
        return Spans((r.start, r.end) for r in self.code_regions)

    def in_code(self, offset: int) -> bool:
        return offset in self._code_spans

    @cached_property
    def markdown(self) -> MarkdownView:
        """Markdown structure (empty for .html posts)."""
        if self.kind != "markdown" or not self.ok:
            return MarkdownView.empty()
        return parse_markdown(self.source, self.body_start, self.liquid_literal_regions)

    @cached_property
    def html(self) -> HtmlTree:
        """The HTML in the body (HTML blocks and inline HTML for Markdown
        posts, the whole body for .html posts), with positions in ``text``;
        as kramdown reads it for a kramdown post; none for a Markdown post
        whose generator drops raw HTML."""
        if not self.ok or self.text.find("<", self.body_start) == -1:
            # No "<" in the body: no tag, comment or anything html.parser
            # reports (parse_html says the same, after the masking work).
            return HtmlTree.empty()
        if self.kind == "markdown" and not self.site.raw_html:
            return HtmlTree.empty()  # the generator drops it: no reader sees it (see html-dropped)
        if self.kind == "markdown" and self.kramdown is not None:
            kd = self.kramdown
            tree = parse_html(kd.html_source(), self.body_start, self.source)
            if kd.problems:
                # kramdown's own verdicts (an end tag shown as text, an element
                # that takes the rest of the post) replace the parser's there.
                at = {offset for offset, _ in kd.problems}
                tree.problems = [p for p in tree.problems if p[0] not in at] + kd.problems
            if kd.swallowed_from is not None:
                tree.swallow(kd.swallowed_from)
            return tree
        if self.kind == "markdown":
            md = self.markdown
            if not md.html:
                # pulldown-cmark read no HTML block and no inline HTML: the
                # parser's input would hold no "<" at all (many posts with a
                # "<" in the body: code, autolinks, `a < b`).
                return HtmlTree.empty()
            masked = md.html_source()
        else:
            masked = mask_regions(self.text, self.body_start, self.liquid_literal_regions)
        return parse_html(masked, self.body_start, self.source)
