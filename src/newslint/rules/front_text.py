"""Helpers shared by the rules that read a post's title and excerpt as readers see them.

Not a rule: the front-matter text rules (title and excerpt length, excerpt
repeats) and the body rules that compare with them import these. Several of
them read the same title and excerpt of a post: the texts are worked out
once (kept for a few texts, or with the front matter).
"""

from __future__ import annotations

import re
import unicodedata
from functools import lru_cache
from html import unescape

from ..source import TEMPLATE_TAG

# Every pattern here stays linear on hostile input ("{{" or "[" twenty thousand
# times): a tag never spans another "<", a link's text another "[".
_TAGS = re.compile(r"<[^<>]*>")
# Markdown syntax that prints nothing: emphasis, code ticks, headings, quotes,
# the brackets of links and images (their destinations are dropped first).
_MD_LINK = re.compile(r"!?\[([^\[\]]*)\]\([^()]*\)")
_MD_MARKS = re.compile(r"[*_`~#>]|\[|\]")
_MD_MARK_CHARS = "*_`~#>[]"
# Punctuation and symbols: everything but letters, digits, marks and spaces.
_NOT_WORD = re.compile(r"[^\w\s]|_")


@lru_cache(maxsize=256)
def visible(text: str) -> str:
    """What a reader sees of a front-matter text: tags, Markdown marks and
    template tags dropped, entities decoded, whitespace collapsed (case kept)."""
    if "{" in text:
        text = TEMPLATE_TAG.sub(" ", text)
    if "<" in text:
        text = _TAGS.sub(" ", text)
    if "](" in text:
        text = _MD_LINK.sub(r"\1", text)
    for mark in _MD_MARK_CHARS:  # most texts have none: a few plain scans, no regex pass
        if mark in text:
            text = _MD_MARKS.sub("", text)
            break
    if "&" in text:
        text = unescape(text)
    # Whitespace runs collapsed and the ends stripped, as `\s+` -> " " and
    # strip() would (both go by str.isspace).
    return " ".join(text.split())


@lru_cache(maxsize=256)
def compare_key(text: str) -> str:
    """``visible`` text, case-folded, with the punctuation and symbols that
    differ between two copies of one sentence (quotes, ellipses, trailing
    stops) dropped."""
    text = _NOT_WORD.sub("", visible(text).casefold())
    return " ".join(text.split())


def display_width(text: str) -> int:
    """Columns ``text`` takes in a monospace rendering: East Asian wide and
    fullwidth characters (Hangul, CJK ideographs, fullwidth forms) count 2,
    combining marks 0, everything else 1."""
    if text.isascii():
        return len(text) - sum(1 for ch in text if ch < " ") if not text.isprintable() else len(text)
    return sum(map(_WIDTHS.__getitem__, text))


class _Widths(dict):
    """Each character's columns, looked up in the Unicode tables once (for
    a bounded number of characters: Hangul and the common CJK fit)."""

    def __missing__(self, ch: str) -> int:
        if ch < "\u0300":  # no wide or combining character below U+0300: Latin text
            width = 0 if ch < " " else 1
        elif unicodedata.combining(ch):
            width = 0
        else:
            width = 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
        if len(self) < 50000:
            self[ch] = width
        return width


_WIDTHS = _Widths()


def front_string(doc, key: str) -> tuple[str, int, int] | None:
    """(value, start, end) of a top-level front-matter string, the span being
    the value as written (the key line for TOML); None when the key is absent,
    empty or not a string."""
    fm = doc.front_matter
    if fm is None or not fm.ok:
        return None
    slot = ("front_string", key)
    found = fm.derived.get(slot, _UNSEEN)
    if found is _UNSEEN:
        found = fm.derived[slot] = _front_string(doc, fm, key)
    return found


_UNSEEN = object()


def _front_string(doc, fm, key: str) -> tuple[str, int, int] | None:
    value = fm.data.get(key)
    if not isinstance(value, str) or not value.strip():
        return None
    if fm.format == "yaml":
        pair = fm.key_node(key)
        if pair is None:
            return None
        start, end = fm.node_span(pair[1])
    else:
        start, end = fm.path_span([key])
    # A block scalar's span ends after its last line break: the finding ends
    # with the text.
    text = doc.text
    while end > start and text[end - 1] in " \t\r\n":
        end -= 1
    return value, start, end
