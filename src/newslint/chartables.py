"""Character tables that several rules share, and one scan of a post's text for them.

invisible-character (and invisible-character-in-code) and unicode-nfd each
look for their own characters in every post that is not ASCII, and most posts
hold none of either: one pattern with both sets finds them in one pass, and
each rule keeps its own.
"""

from __future__ import annotations

import re
from typing import Any

# Characters that render as nothing (or reorder what is around them) yet change
# the text: search, comparisons, copy-paste and code all see them. C0/C1
# control characters are another rule's business; ZWJ and ZWNJ are left alone
# (emoji sequences and several scripts need them).
INVISIBLE = {
    "\u200b": "ZERO WIDTH SPACE",
    "\u2060": "WORD JOINER",
    "\ufeff": "ZERO WIDTH NO-BREAK SPACE (a byte order mark in the middle of the file)",
    "\u3164": "HANGUL FILLER",
    "\u115f": "HANGUL CHOSEONG FILLER",
    "\u1160": "HANGUL JUNGSEONG FILLER",
    "\uffa0": "HALFWIDTH HANGUL FILLER",
    "\u180e": "MONGOLIAN VOWEL SEPARATOR",
    "\u2061": "FUNCTION APPLICATION",
    "\u2062": "INVISIBLE TIMES",
    "\u2063": "INVISIBLE SEPARATOR",
    "\u2064": "INVISIBLE PLUS",
}
BIDI = {
    "\u200e": "LEFT-TO-RIGHT MARK",
    "\u200f": "RIGHT-TO-LEFT MARK",
    "\u061c": "ARABIC LETTER MARK",
    "\u202a": "LEFT-TO-RIGHT EMBEDDING",
    "\u202b": "RIGHT-TO-LEFT EMBEDDING",
    "\u202c": "POP DIRECTIONAL FORMATTING",
    "\u202d": "LEFT-TO-RIGHT OVERRIDE",
    "\u202e": "RIGHT-TO-LEFT OVERRIDE",
    "\u2066": "LEFT-TO-RIGHT ISOLATE",
    "\u2067": "RIGHT-TO-LEFT ISOLATE",
    "\u2068": "FIRST STRONG ISOLATE",
    "\u2069": "POP DIRECTIONAL ISOLATE",
}
SEPARATORS = {
    "\u2028": "LINE SEPARATOR",
    "\u2029": "PARAGRAPH SEPARATOR",
}
ALL_CHARS = {**INVISIBLE, **BIDI, **SEPARATORS}
# Conjoining jamo: decomposed (NFD) Hangul is written with them.
JAMO_RANGES = "\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff"

_SPECIAL = re.compile("[" + "".join(ALL_CHARS) + JAMO_RANGES + "]")


# Printable ASCII, tab, line feed and carriage return: nearly all of a post.
_PLAIN_BYTES = bytes([0x09, 0x0A, 0x0D, *range(0x20, 0x7F)])
_ASCII_BYTES = bytes(range(0x80))


def unusual_bytes(doc: Any) -> bytes | None:
    """``doc.text`` as UTF-8 with printable ASCII, tabs and line breaks
    deleted: its other ASCII bytes (control characters, DEL) and its
    multi-byte sequences, each whole and in order; made once per document
    from the file's own bytes (control-character and the special-character
    scan both read it). None when those bytes are not the text's UTF-8."""
    d = doc.__dict__
    got = d.get("_newslint_unusual", False)
    if got is False:
        raw = getattr(doc, "raw", None)
        if raw is None or getattr(doc, "decode_problem", True) is not None:
            got = None
        else:
            got = (raw[3:] if doc.bom else raw).translate(None, _PLAIN_BYTES)
        d["_newslint_unusual"] = got
    return got


def non_ascii(doc: Any) -> str:
    """The characters of ``doc.text`` that are not ASCII, in order; made once
    per document.

    A post that is not all Latin-1 is still mostly ASCII (markup, URLs,
    spaces between Korean words): a search for characters that are not
    ASCII (the special characters here, the pack rules' Korean words) reads
    far less here than in the text."""
    d = doc.__dict__
    got = d.get("_newslint_non_ascii")
    if got is None:
        data = unusual_bytes(doc)
        if data is None:
            data = doc.text.encode("utf-8", "surrogatepass")
        got = d["_newslint_non_ascii"] = data.translate(None, _ASCII_BYTES).decode("utf-8", "surrogatepass")
    return got


def special_characters(doc: Any) -> list[tuple[int, str]]:
    """(offset, character) in ``doc.text`` of every invisible, bidi or separator
    character and every conjoining jamo, in order; made once per document."""
    d = doc.__dict__
    found = d.get("_newslint_special")
    if found is None:
        text = doc.text
        # O(1) for an ASCII str. Any other is searched among its non-ASCII
        # characters only, which the pack rules read too (one copy for all).
        if text.isascii() or _SPECIAL.search(non_ascii(doc)) is None:
            found = []
        else:
            found = [(m.start(), m.group()) for m in _SPECIAL.finditer(text)]
        d["_newslint_special"] = found
    return found
