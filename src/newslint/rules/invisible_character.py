from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass

import yaml

from ..source import TEMPLATE_TAG
from ..model import Edit, Finding, Fix
from ..spans import Spans
from ..ruleapi import Rule
from ..chartables import special_characters

from ..chartables import ALL_CHARS, BIDI, INVISIBLE, SEPARATORS  # noqa: F401  (re-exported)
_PATTERN = re.compile("[" + "".join(ALL_CHARS) + "]")

# Front matter keys whose values are addresses or identifiers, not prose.
LITERAL_KEYS = frozenset({
    "permalink", "url", "link", "slug", "image", "thumbnail", "cover", "og_image", "canonical",
    "canonical_url", "redirect_from", "redirect_to", "layout", "lang", "source", "href", "src",
    "video", "audio", "file", "path", "aliases", "id", "uuid", "guid",
})
# HTML elements whose content is code or literal text.
CODE_ELEMENTS = frozenset({"pre", "code", "kbd", "samp", "script", "style", "textarea", "template"})
_TOKEN = re.compile(r"[^\s\"'<>()\[\]]+")
# Where generated markup keeps an element from collapsing with an invisible character on purpose.
SPACER = "an element that holds nothing else (a deliberate spacer)"
MATH = "inline math"
# TeX on one line, as MathJax and KaTeX find it: $$...$$, $...$ (not `$5 and $10`:
# no space inside the dollars, no digit right after the closing one), \(...\), \[...\].
_INLINE_MATH = re.compile(r"\$\$[^$\n]{1,1000}?\$\$|(?<![\\$])\$(?![\s$])[^$\n]{0,1000}?(?<![\s\\])\$(?![$\d])"
                          r"|\\\(.{1,1000}?\\\)|\\\[.{1,1000}?\\\]")
_LONG_LINE = 4096
_URL_LIKE = re.compile(r"://|^www\.|^mailto:|^/[^/\s]", re.I)


@dataclass(slots=True)
class Hit:
    offset: int
    char: str
    # "prose" (fixable), "text" (reported, not fixable: a YAML key, TOML, ...)
    # or "literal" (code, an attribute value, a URL: info only, never fixed).
    context: str
    where: str


def describe(ch: str) -> str:
    name = ALL_CHARS.get(ch) or unicodedata.name(ch, "UNNAMED")
    return f"U+{ord(ch):04X} {name}"


def scan(doc) -> list[Hit]:
    """Every invisible, bidi or separator character of ``doc``, classified once per document."""
    cached = doc.__dict__.get("_newslint_invisible")
    if cached is not None:
        return cached
    hits: list[Hit] = []
    special = special_characters(doc) if doc.ok else None
    if special:  # most posts hold none
        matches = [(at, ch) for at, ch in special if ch in ALL_CHARS]
        if matches:
            ctx = _Context(doc)
            for at, ch in matches:
                context, where = ctx.classify(at)
                hits.append(Hit(at, ch, context, where))
    doc.__dict__["_newslint_invisible"] = hits
    return hits


class _Context:
    def __init__(self, doc) -> None:
        self.doc = doc
        self._fm_scalars: list[tuple[int, int, str, bool]] | None = None
        self._tags: Spans | None = None
        self._code_els: Spans | None = None
        self._liquid: Spans | None = None
        self._dests: Spans | None = None
        self._math: dict[int, list[tuple[int, int]]] = {}  # line start -> its math spans

    # -- front matter ------------------------------------------------------------
    def _scalars(self) -> list[tuple[int, int, str, bool]]:
        """(start, end, top-level key, is_key) of every scalar of a YAML front matter."""
        if self._fm_scalars is not None:
            return self._fm_scalars
        out: list[tuple[int, int, str, bool]] = []
        fm = self.doc.front_matter
        if fm is not None and fm.format == "yaml" and isinstance(fm.node, yaml.MappingNode) and fm.error is None:
            stack: list[tuple[yaml.Node, str, bool]] = []
            for k, v in fm.node.value:
                key = k.value if isinstance(k, yaml.ScalarNode) else ""
                stack.append((k, key, True))
                stack.append((v, key, False))
            while stack:
                node, key, is_key = stack.pop()
                if isinstance(node, yaml.ScalarNode):
                    s, e = fm.node_span(node)
                    out.append((s, e, key, is_key))
                elif isinstance(node, yaml.SequenceNode):
                    stack.extend((n, key, is_key) for n in node.value)
                elif isinstance(node, yaml.MappingNode):
                    for k2, v2 in node.value:
                        stack.append((k2, key, True))
                        stack.append((v2, key, is_key))
        self._fm_scalars = out
        return out

    def _front_matter(self, offset: int) -> tuple[str, str]:
        for s, e, key, is_key in self._scalars():
            if s <= offset < e:
                if is_key:
                    return "text", "a front matter key"
                token = self._token(offset)
                if key.lower() in LITERAL_KEYS or _URL_LIKE.search(token):
                    return "literal", f"the front matter value of `{key}`"
                return "prose", f"the front matter value of `{key}`"
        return "text", "the front matter"

    # -- the body ------------------------------------------------------------------
    def _token(self, offset: int) -> str:
        """The whitespace- and bracket-delimited token around ``offset`` (at most 256
        characters each side: a run of 20,000 ZWSP stays linear)."""
        text = self.doc.text
        lo = max(0, offset - 256)
        window = text[lo : offset + 256]
        local = offset - lo
        for m in _TOKEN.finditer(window):
            if m.start() <= local < m.end():
                # The invisible characters themselves must not split or hide the token.
                return _PATTERN.sub("", m.group())
        return ""

    def _html_spans(self) -> None:
        tree = self.doc.html
        tags: list[tuple[int, int]] = []
        code: list[tuple[int, int]] = []
        for el in tree.elements:
            tags.append((el.start, el.start_end))
            if el.end_tag_start >= 0:
                tags.append((el.end_tag_start, el.end))
            if el.tag in CODE_ELEMENTS:
                code.append((el.start, el.end))
        for c in tree.comments:
            code.append((c.start, c.end))
        self._tags, self._code_els = Spans(tags), Spans(code)

    def _in_link_destination(self, offset: int) -> bool:
        if self._dests is None:
            text = self.doc.text
            md = self.doc.markdown
            dests = []
            for item in (*md.links, *md.images):
                close = text.rfind("](", item.start, item.end)
                if close != -1:
                    dests.append((close + 1, item.end))
            self._dests = Spans(dests)
        return offset in self._dests

    def _in_math(self, offset: int) -> bool:
        """True inside TeX math written on one line (``$x_i$``, ``\\(x\\)``): the
        source readers copy into LaTeX, which stops at an invisible character."""
        text = self.doc.text
        start = text.rfind("\n", 0, offset) + 1
        spans = self._math.get(start)
        if spans is None:
            end = text.find("\n", offset)
            end = len(text) if end == -1 else end
            line = text[start:end] if end - start <= _LONG_LINE else ""
            spans = [(start + m.start(), start + m.end()) for m in _INLINE_MATH.finditer(line)]
            self._math[start] = spans
        return any(s < offset < e for s, e in spans)

    def classify(self, offset: int) -> tuple[str, str]:
        doc = self.doc
        fm = doc.front_matter
        if fm is not None and fm.start <= offset < (fm.end if fm.closed else fm.start):
            return self._front_matter(offset)
        if doc.in_code(offset):
            return "literal", "code"
        if self._tags is None:
            self._html_spans()
        assert self._tags is not None and self._code_els is not None
        if offset in self._tags:
            return "literal", "an HTML tag or attribute value"
        text = doc.text
        if 0 < offset < len(text) - 1 and text[offset - 1] == ">" and text[offset + 1] == "<":
            # `<span class="vlist-s">\u200b</span>`: generated markup (KaTeX) keeps an
            # element from collapsing with it on purpose.
            return "literal", SPACER
        if offset in self._code_els:
            return "literal", "code"
        if self._liquid is None:
            self._liquid = Spans([m.span() for m in TEMPLATE_TAG.finditer(doc.text, doc.body_start)]
                                  if "{" in doc.text else [])
        if offset in self._liquid:
            return "literal", "a Liquid tag"
        if doc.kind == "markdown" and self._in_link_destination(offset):
            return "literal", "a link address"
        if _URL_LIKE.search(self._token(offset)):
            return "literal", "a URL"
        if "$" in text or "\\" in text:
            if self._in_math(offset):
                return "literal", MATH
        return "prose", "the text"


def message_for(hit: Hit) -> str:
    ch = hit.char
    name = describe(ch)
    if ch in BIDI:
        what = f"bidirectional control {name} in {hit.where}: it reorders the text on screen (a Trojan Source trick)"
    elif ch in SEPARATORS:
        what = (f"{name} in {hit.where}: editors and YAML show it as a line break, browsers as nothing, "
                "so line numbers and the text disagree")
    else:
        what = f"invisible character {name} in {hit.where}: readers cannot see it, search and comparisons do"
    return what


def removal(doc, hit: Hit) -> Edit:
    """Delete the character; a line or paragraph separator between two words becomes a space."""
    start = hit.offset
    if hit.char in SEPARATORS:
        text = doc.text
        before = text[start - 1] if start > 0 else " "
        after = text[start + 1] if start + 1 < len(text) else " "
        if not before.isspace() and not after.isspace():
            return Edit(start, start + 1, " ")
    return Edit.delete(start, start + 1)


def _before_a_fence(text: str, offset: int) -> bool:
    """True when only invisible characters stand between the file's start and a
    `---`/`+++` line: deleting them would create a front matter block."""
    if offset > 16 or _PATTERN.sub("", text[:offset]):
        return False
    rest = _PATTERN.sub("", text[offset : offset + 32])
    return rest.startswith(("---", "+++"))


class InvisibleCharacter(Rule):
    """Invisible, bidirectional-control and line-separator characters in the text.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Finds characters that show as nothing yet are part of the text: zero
    width space (U+200B), word joiner (U+2060), a byte order mark in the
    middle of the file (U+FEFF), the Hangul fillers (U+3164, U+115F, U+1160,
    U+FFA0) and a few other invisible format characters; the bidirectional
    controls (U+200E, U+200F, U+061C, U+202A..U+202E, U+2066..U+2069); and the
    line and paragraph separators (U+2028, U+2029). One finding per character,
    in the front matter values and the prose of the body.

    The same characters inside code (code blocks, code spans, `<pre>`,
    `<code>`, `<script>`), TeX math written on one line (`$x_i$`), an HTML
    tag or attribute value, a Liquid tag or a URL are reported by
    `invisible-character-in-code` instead, as info, and never changed. C0
    and C1 control characters are reported by another rule.

    ## Why is this bad?
    They arrive by copy-paste from CMS editors, chat apps and PDFs. Readers
    cannot see them, but search on the site and in search engines does: a
    title with a zero width space inside `부산시` is not found by `부산시`. A
    right-to-left override makes the text display in another order than it
    is stored (the "Trojan Source" trick). U+2028 is a line break to YAML and
    to many editors, but not to browsers, so positions disagree.

    ## Example
    ```yaml
    title: "부산\\u200b시 예산"   # in the file: the raw character, shown here as a YAML escape
    ```

    ## Use instead
    ```yaml
    title: "부산시 예산"
    ```

    ## Fix safety
    The fix is safe: it deletes the character (a line or paragraph separator
    between two words becomes a space). It only applies in prose: front
    matter values and body text. A character in a front matter key or a TOML
    front matter is reported without a fix; a character in code, math, a
    tag, an attribute value or a URL is never touched.
    """

    name = "invisible-character"
    code = "NL620"
    severity = "warning"
    fix = "sometimes"
    tags = ("unicode", "security")

    def check(self, doc, options):
        out: list[Finding] = []
        for hit in scan(doc):
            if hit.context == "literal":
                continue
            fix = None
            message = message_for(hit)
            if hit.context == "prose" and _before_a_fence(doc.text, hit.offset):
                message += " (not fixed: removing it would make the file start with a front matter fence)"
            elif hit.context == "prose":
                fix = Fix.safe(f"remove {describe(hit.char)}", removal(doc, hit))
            else:
                message += " (not fixed here: remove it by hand)"
            out.append(Finding(hit.offset, hit.offset + 1, message, fix=fix))
        return out
