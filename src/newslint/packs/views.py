"""The texts a pack rule looks at in one document, one list of segments per scope.

Every segment is ``(offset in the file, text)``, and its text has exactly the
length of the file's span: tags, comments, code, links and images are blanked
(to spaces or ``"\x1f"``, newlines kept), never removed, so a match's offsets
are offsets in the original file.
"""

from __future__ import annotations

import bisect
from typing import Any, Iterable
from weakref import ref

import yaml

# Tags that do not break a phrase: they become spaces. Other tags and comments
# become "\x1f", which no word pattern matches, so phrases never run across blocks.
_INLINE = frozenset("a abbr b bdi bdo big cite data del dfn em font i ins kbd mark q s samp small span strike strong sub sup time tt u var wbr br".split())
_INLINE_TAGS = tuple(sorted(_INLINE))
_INLINE_TAGS_NOT_A = tuple(t for t in _INLINE_TAGS if t != "a")
# Elements whose content is never prose.
_SKIP = frozenset("script style pre code textarea template svg math noscript iframe object".split())
_SEP = "\x1f"
_U32 = {" ": " ".encode("utf-32-le"), _SEP: _SEP.encode("utf-32-le")}
_U32_NL = "\n".encode("utf-32-le")


class _Views:
    """The texts of one document that packs match, computed once per document."""

    def __init__(self, doc) -> None:
        # Weak: the views are kept in the document's own __dict__, and a
        # strong reference back would make every such document a cycle that
        # only the garbage collector frees.
        self._doc = ref(doc)
        self._cache: dict[str, list[tuple[int, str]]] = {}
        self._link_starts: list[int] | None = None
        base = doc.body_start
        if doc.kind == "markdown":
            src = doc.markdown.html_source()
        else:
            from ..document import mask_regions

            src = mask_regions(doc.text, base, doc.liquid_literal_regions)
        self.base = base
        # The text as UTF-32 in a bytearray (4 bytes per character): blanking is
        # a slice assignment and the result one decode, at C speed. A list of
        # one-character strings cost more to build and join than parsing the post.
        buf = bytearray(src.encode("utf-32-le", "surrogatepass"))
        n = len(src)
        tree = doc.html

        def blank(s: int, e: int, ch: str) -> None:
            a, b = max(s - base, 0), min(e - base, n)
            if a >= b:
                return
            buf[4 * a:4 * b] = _U32[ch] * (b - a)
            nl = src.find("\n", a, b)
            while nl != -1:  # newlines stay, so lines never move
                buf[4 * nl:4 * nl + 4] = _U32_NL
                nl = src.find("\n", nl + 1, b)

        for el in tree.elements:
            ch = " " if el.tag in _INLINE else _SEP
            blank(el.start, el.start_end, ch)
            if el.end_tag_start >= 0:
                blank(el.end_tag_start, el.end, ch)
        for c in tree.comments:
            blank(c.start, c.end, _SEP)
        for el in tree.elements:
            if el.tag in _SKIP:
                blank(el.start, el.end, _SEP)
        # Text with tags blanked: what link text is read from.
        self.text = buf.decode("utf-32-le", "surrogatepass")
        # Prose: also without links and images.
        for el in tree.elements:
            if el.tag == "a":
                blank(el.start, el.end, _SEP)
        md = doc.markdown
        for link in md.links:
            blank(link.start, link.end, _SEP)
        for img in md.images:
            blank(img.start, img.end, _SEP)
        self.prose = buf.decode("utf-32-le", "surrogatepass")

    def segments(self, scope: str) -> list[tuple[int, str]]:
        got = self._cache.get(scope)
        if got is None:
            got = self._cache[scope] = getattr(self, "_seg_" + scope)()
        return got

    def _seg_body(self) -> list[tuple[int, str]]:
        return [(self.base, self.prose)] if self.prose.strip(" \n\x1f") else []

    def _seg_link(self) -> list[tuple[int, str]]:
        out = []
        doc, base = self.doc, self.base
        md = doc.markdown
        if md.links:
            link_texts = sorted((t for t in md.texts if t.context == "link"), key=lambda t: t.start)
            starts = [t.start for t in link_texts]
            for link in md.links:
                i = bisect.bisect_left(starts, link.start)
                inside = []
                while i < len(link_texts) and link_texts[i].start < link.end:
                    if link_texts[i].end <= link.end:
                        inside.append(link_texts[i])
                    i += 1
                if inside:
                    s, e = inside[0].start, inside[-1].end
                    out.append((s, self.text[s - base:e - base]))
        for el in doc.html.find_all("a"):
            if el.end_tag_start >= 0 and el.end_tag_start > el.start_end:
                s, e = el.start_end, el.end_tag_start
                out.append((s, self.text[s - base:e - base]))
        out.sort(key=lambda p: p[0])
        return out

    def _seg_alt(self) -> list[tuple[int, str]]:
        doc = self.doc
        out = [(img.alt_start, doc.text[img.alt_start:img.alt_end]) for img in doc.markdown.images
               if img.alt_end > img.alt_start]
        for el in doc.html.find_all("img"):
            for a in el.attr_spans():
                if a.name == "alt" and a.value_end > a.value_start:
                    out.append((a.value_start, doc.text[a.value_start:a.value_end]))
        out.sort(key=lambda p: p[0])
        return out

    def _front_matter_values(self, keys: Iterable[str]) -> list[tuple[int, str]]:
        doc = self.doc
        fm = doc.front_matter
        if fm is None or not fm.ok:
            return []
        out = []
        for key in keys:
            if not isinstance(fm.data.get(key), str):
                continue
            if fm.format == "yaml" and fm.node is not None:
                pair = fm.key_node(key)
                if pair is None or not isinstance(pair[1], yaml.ScalarNode):
                    continue
                s, e = fm.node_span(pair[1])
            else:
                s, e = fm.path_span([key])
                eq = doc.text.find("=", s, e)
                if eq == -1:
                    continue
                s = eq + 1
            out.append((s, doc.text[s:e]))
        return out

    def _seg_title(self) -> list[tuple[int, str]]:
        return self._front_matter_values(("title",))

    def _seg_excerpt(self) -> list[tuple[int, str]]:
        return self._front_matter_values(("excerpt", "description", "summary"))

    def link_follows(self, offset: int, within: int) -> bool:
        """True when a link starts within ``within`` characters after ``offset``."""
        if self._link_starts is None:
            starts = [link.start for link in self.doc.markdown.links]
            starts += [el.start for el in self.doc.html.find_all("a")]
            self._link_starts = sorted(starts)
        for s in self._link_starts:
            if offset <= s <= offset + within:
                return True
        return False

    @property
    def doc(self) -> Any:
        return self._doc()


def views_of(doc) -> _Views:
    v = doc.__dict__.get("_newslint_pack_views")
    if v is None:
        v = doc.__dict__["_newslint_pack_views"] = _Views(doc)
    return v


_TRIM = " \t\r\n\x1f"


def trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _TRIM:
        s += 1
    while e > s and text[e - 1] in _TRIM:
        e -= 1
    return s, e


