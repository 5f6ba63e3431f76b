"""The ids a renderer gives headings, by its own algorithm.

* kramdown with the GFM parser (Jekyll's default): lower case, every
  character that is not a Unicode word character, ``-``, space or tab
  dropped, spaces and tabs made ``-``; a repeat gets ``-1``, ``-2``.
  Korean headings keep their Hangul.
* kramdown with its own parser (``input: kramdown``): ASCII only: leading
  non-letters dropped, then every character but ``a-zA-Z0-9``, space and
  ``-``; ``section`` when nothing is left.
* goldmark (Hugo), ``autoHeadingIDType = "github"`` (the default): as GitHub:
  lower case, letters, digits, ``_`` and ``-`` kept, spaces made ``-``.
  ``"blackfriday"``: letters and digits kept, every run of others one ``-``.

Each was checked against the real renderer (kramdown here; the tests hold it).
"""

from __future__ import annotations

import html
import re
from typing import Any

import regex

_GFM_DROP = regex.compile(r"[^\p{L}\p{M}\p{N}\p{Pc}\- \t]")
_GITHUB_DROP = regex.compile(r"[^\p{L}\p{M}\p{N}_\- ]")
_IAL = re.compile(r"\s*\{:?\s*#([^\s}]+)[^}]*\}\s*$|\s*\{:[^}]*\}\s*$")
_LINK = re.compile(r"!?\[([^\]]*)\]\([^)]*\)|!?\[([^\]]*)\]\[[^\]]*\]")
_TAG = re.compile(r"<[^>]*>")
_CLOSING = re.compile(r"\s+#+\s*$")


def heading_text(source: str) -> tuple[str, str | None]:
    """(the text, an explicit ``{#id}``) of a heading's Markdown source."""
    first = source.strip().split("\n", 1)[0] if not source.lstrip().startswith("#") else source.strip()
    line = first.split("\n", 1)[0]
    if line.startswith("#"):
        line = line.lstrip("#").strip()
        if line.endswith("#"):  # a closing run of `#` (the line is stripped)
            line = _CLOSING.sub("", line)
    explicit = None
    if "{" in line:
        m = _IAL.search(line)
        if m:
            explicit = m.group(1)
            line = line[: m.start()]
    if "[" in line:
        line = _LINK.sub(lambda mm: mm.group(1) if mm.group(1) is not None else mm.group(2), line)
    if "<" in line:
        line = _TAG.sub("", line)
    line = line.replace("`", "")
    return (html.unescape(line) if "&" in line else line).strip(), explicit


class IdMaker:
    """Ids for one page's headings, in order (repeats numbered as the renderer does)."""

    def __init__(self, dialect: str, options: dict | None = None) -> None:
        options = options or {}
        self.dialect = dialect
        self.kramdown_input = str(options.get("input", "GFM")) if dialect == "kramdown" else ""
        self.style = str(options.get("parser", {}).get("autoheadingidtype", "github")).lower() \
            if dialect == "goldmark" and isinstance(options.get("parser"), dict) else "github"
        self.prefix = str(options.get("auto_id_prefix", "")) if dialect == "kramdown" else ""
        self.seen: dict[str, int] = {}

    def make(self, text: str) -> str:
        if self.dialect == "kramdown" and self.kramdown_input.lower() != "gfm":
            gen = re.sub(r"^[^a-zA-Z]+", "", text)
            gen = re.sub(r"[^a-zA-Z0-9 -]", "", gen).replace(" ", "-").lower() or "section"
            return self._numbered(gen, first_plain=True)
        if self.dialect == "kramdown":
            gen = _GFM_DROP.sub("", text.lower()).replace(" ", "-").replace("\t", "-")
            return self.prefix + self._numbered(gen, first_plain=True)
        if self.style == "blackfriday":
            gen = "-".join(w for w in regex.split(r"[^\p{L}\p{N}]+", text.lower()) if w)
        else:
            gen = _GITHUB_DROP.sub("", text.lower()).replace(" ", "-")
        return self._numbered(gen, first_plain=True)

    def _numbered(self, gen: str, first_plain: bool) -> str:
        n = self.seen.get(gen)
        self.seen[gen] = 0 if n is None else n + 1
        return gen if n is None else f"{gen}-{n + 1}"


def heading_ids(sources: list[str], site: Any) -> list[str]:
    """The ids ``site``'s renderer gives headings written ``sources`` (a page's, in order)."""
    out = []
    maker = None
    auto = site.markdown != "kramdown" or site.markdown_options.get("auto_ids", True) is not False
    for source in sources:
        words, explicit = heading_text(source)
        if explicit:
            out.append(explicit)
        elif auto and site.root is not None:
            if maker is None:  # one per page: it numbers repeats
                maker = IdMaker(site.markdown, dict(site.markdown_options))
            out.append(maker.make(words))
    return out
