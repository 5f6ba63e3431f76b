"""Images that a Jekyll include renders from its parameters.

``{% include figure.html image="/a.png" alt="부산항" %}`` puts an image on the
page when ``_includes/figure.html`` holds an ``<img>`` (or a Markdown image)
whose source is ``{{ include.image }}`` (or any ``include.NAME``) and whose
alt text comes from ``include.alt``, ``include.caption`` or any other
parameter. :func:`include_images` lists such images at the include's
position, for the image rules.

The include file is read from the site (``doc.site.root`` and its
``includes_dir``, ``_includes`` by default: :mod:`newslint.site.templates`,
which the results cache watches), once per run:
:class:`IncludeTemplates` is the cache a rule keeps as its run state. A post
in no site has no include images (an ``_includes`` folder found above it
would be a guess).
"""

from __future__ import annotations

import os
import re
from dataclasses import dataclass
from html import unescape

from .site.templates import includes_dir as _includes_dir, includes_folder

# `{% include figure.html a="1" b='2' c=page.x %}` (also `include_cached`,
# Jekyll's include-cache plugin). The file name is literal: `{% include
# {{ page.x }} %}` names no file newslint can read.
_INCLUDE = re.compile(r"\{%-?\s*include(?:_cached)?\s+([\w./-]+)(?![\w./-])((?:(?!%\}|\{%).){0,2000}?)-?%\}", re.S)
# Jekyll's own parameter syntax (Jekyll::Tags::IncludeTag::VALID_SYNTAX).
_PARAM = re.compile(r"""([\w-]+)\s*=\s*(?:"((?:[^"\\]|\\.)*)"|'((?:[^'\\]|\\.)*)'|([\w.-]+))""")
_INCLUDE_REF = re.compile(r"\binclude\.([\w-]+)")
# An attribute value may hold Liquid that holds quotes of the same kind
# (`alt="{{ include.alt | default: "photo" }}"`): Liquid runs first. Each
# character has one way to be read (a `{{` only as Liquid, a quote only as a
# value's), so a tag left open costs no backtracking.
_LIQ = r"\{\{.*?\}\}|\{%.*?%\}|\{(?![{%])"
_ATTR = re.compile(r"""\s([\w:-]+)(?:\s*=\s*(?:"((?:""" + _LIQ + r"""|[^"{])*)"|'((?:""" + _LIQ + r"""|[^'{])*)'|"""
                   r"""((?:""" + _LIQ + r"""|[^\s>{])+)))?""", re.S)
_IMG = re.compile(r"<img\b((?:" + _LIQ + r"""|"[^"]*"|'[^']*'|[^>"'{])*)>""", re.S | re.I)
_MD_IMAGE = re.compile(r"!\[([^\]\n]*)\]\(\s*(\{\{[^\n]*?\}\})[^)\n]*\)")


@dataclass(frozen=True, slots=True)
class ImageTemplate:
    """How an include file renders its image."""

    src: tuple[str, ...]  # the parameters its source is built from
    # The parameters its alt text is built from, in order; None: the image has
    # no alt attribute at all; () with ``alt_text``: a fixed alt.
    alt: tuple[str, ...] | None
    alt_text: str = ""


@dataclass(slots=True)
class IncludedImage:
    """An image an include call puts on the page."""

    start: int  # the `{% include %}` tag
    end: int
    name: str  # the include file
    src: str | None  # None: built from a variable (unknown here)
    src_start: int
    src_end: int
    # The alt text, None when the template renders no alt attribute or the
    # call gives none of its alt parameters, or when it comes from a variable.
    alt: str | None
    alt_start: int  # the value of the parameter it came from (the tag when none)
    alt_end: int
    alt_state: str  # "given", "empty" (written empty), "missing", "no-attribute", "variable"
    alt_params: tuple[str, ...]


def image_template(text: str) -> ImageTemplate | None:
    """The image an include file renders from its parameters, or None."""
    for m in _IMG.finditer(text):
        attrs = {a.group(1).lower(): _first(a.group(2), a.group(3), a.group(4)) for a in _ATTR.finditer(m.group(1))}
        src = attrs.get("src")
        params = tuple(_INCLUDE_REF.findall(src or ""))
        if not params:
            continue
        if "alt" not in attrs:
            return ImageTemplate(params, None)
        alt = attrs["alt"] or ""
        alt_params = tuple(dict.fromkeys(_INCLUDE_REF.findall(alt)))
        return ImageTemplate(params, alt_params, "" if alt_params else unescape(alt))
    for m in _MD_IMAGE.finditer(text):
        params = tuple(_INCLUDE_REF.findall(m.group(2)))
        if params:
            alt_params = tuple(dict.fromkeys(_INCLUDE_REF.findall(m.group(1))))
            return ImageTemplate(params, alt_params, "" if alt_params else m.group(1))
    return None


def _first(*values: str | None) -> str | None:
    return next((v for v in values if v is not None), None)


class IncludeTemplates:
    """The include files of the run's sites, each read once: (site root,
    includes folder, name) -> its ImageTemplate or None."""

    def __init__(self) -> None:
        self._seen: dict[tuple[str, str, str], ImageTemplate | None] = {}

    def get(self, root: str, includes_dir: str, name: str) -> ImageTemplate | None:
        key = (root, includes_dir, name)
        if key not in self._seen:
            self._seen[key] = self._read(root, includes_dir, name)
        return self._seen[key]

    @staticmethod
    def _read(root: str, includes_dir: str, name: str) -> ImageTemplate | None:
        folder = os.path.realpath(includes_folder(root, includes_dir))
        path = os.path.realpath(os.path.join(folder, name))
        if not path.startswith(folder + os.sep):  # Jekyll refuses to leave the includes folder
            return None
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                text = fh.read(200_000)
        except OSError:
            return None
        return image_template(text) if "include." in text else None


def has_includes(site) -> bool:
    """Whether posts of ``site`` can call includes: a Jekyll site's root is known."""
    return bool(site.is_jekyll and site.root)


def include_images(doc, templates: IncludeTemplates | None) -> list[IncludedImage]:
    """The images the post's include calls render (Jekyll sites only),
    outside code and `{% raw %}`-like blocks (there an include renders as code)."""
    site = doc.site
    if not has_includes(site) or "include" not in doc.text or "{%" not in doc.text:
        return []
    if templates is None:
        templates = IncludeTemplates()
    includes_dir = _includes_dir(site.config)
    out: list[IncludedImage] = []
    text = doc.text
    for m in _INCLUDE.finditer(text, doc.body_start):
        if doc.in_code(m.start()):
            continue
        tpl = templates.get(site.root, includes_dir, m.group(1))
        if tpl is None:
            continue
        image = _call(m, tpl)
        if image is not None:
            out.append(image)
    return out


def _call(m: re.Match[str], tpl: ImageTemplate) -> IncludedImage | None:
    params: dict[str, tuple[str | None, int, int]] = {}
    base = m.start(2)
    for p in _PARAM.finditer(m.group(2)):
        if p.group(4) is not None:  # a variable: its value is not known here
            params[p.group(1)] = (None, base + p.start(4), base + p.end(4))
        else:
            g = 2 if p.group(2) is not None else 3
            params[p.group(1)] = (p.group(g), base + p.start(g), base + p.end(g))
    src_param = next((params[n] for n in tpl.src if n in params), None)
    if src_param is None or src_param[0] == "":
        return None  # no source given: the include renders no image (or a broken one)
    src, src_start, src_end = src_param
    start, end = m.span()
    alt: str | None = None
    alt_start, alt_end = start, end
    if tpl.alt is None:
        state = "no-attribute"
    elif not tpl.alt:
        state, alt = ("given", tpl.alt_text) if tpl.alt_text.strip() else ("empty", "")
    else:
        state = "missing"
        for name in tpl.alt:
            if name not in params:
                continue
            value, vs, ve = params[name]
            if value is None:
                state, alt_start, alt_end = "variable", vs, ve
                break
            if value.strip():
                state, alt, alt_start, alt_end = "given", value, vs, ve
                break
            state, alt, alt_start, alt_end = "empty", "", vs, ve
    return IncludedImage(start, end, m.group(1), src, src_start, src_end, alt, alt_start, alt_end, state, tpl.alt or ())
