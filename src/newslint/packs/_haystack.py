"""Haystacks for the prefilters: a text, its byte-folded UTF-8 or its case
fold, and the literal searches made in it (memoised per text).

Ignore-case literals are looked for in the UTF-8 bytes with only ASCII
lower-cased (``bytes.lower()``, C speed) instead of a real case fold of the
text: no character but the four of ``_FOLDS_TO_ASCII`` folds to ASCII and no
character but Hangul folds to Hangul, so for literals made of ASCII and
Hangul the two agree once the four are made their ASCII letter.
"""

from __future__ import annotations

class _Hays:
    """One text as the prefilters look at it: the haystack of each kind, made
    when first asked, with what each literal gave there. The pack rules, their
    branches and clauses ask for the same literals in the same text again and
    again (``news``, ``뉴스``, ...), and each ask is a scan of the text."""

    __slots__ = ("text", "ascii", "utf8", "bytes", "folded", "plain", "chars")

    def __init__(self, text: str, utf8: bytes | None = None) -> None:
        self.text = text
        # O(1) for a str. An ASCII text holds no literal that is not ASCII
        # (half the posts are English): those are not looked for.
        self.ascii = text.isascii()
        self.utf8 = utf8  # the text as UTF-8 when the caller has it (the file's own bytes)
        self.bytes: tuple | None = None  # (byte-folded text, memo)
        self.folded: tuple | None = None  # (folded text, memo)
        self.plain: tuple | None = None  # (text, memo)
        # The text's characters that are not ASCII, in order, when the caller
        # has them: see _contains.
        self.chars: str | None = None


def _clauses_hold(hay, memo: dict, clauses) -> bool:
    """Every clause has one of its literals in ``hay`` (``memo``: what each literal gave there)."""
    for clause in clauses:
        for lit in clause:
            got = memo.get(lit)
            if got is None:
                got = memo[lit] = _contains(hay, lit, memo)
            if got:
                break
        else:
            return False
    return True


def _contains(hay, lit, memo: dict) -> bool:
    """``lit in hay``; a literal without ASCII in a bytes haystack is a
    (first byte, text) pair: see _text_literal.

    Bytes are searched with ``find``: ``bytes in bytes`` first tries the
    needle as an integer and builds (and drops) a TypeError with its message
    before it searches."""
    if lit.__class__ is tuple:
        lead, word = lit
        chars = memo.get(_CHARS)
        if chars is not None:
            # The literal has no ASCII: it is in the text only if it is in
            # the text's other characters, a far shorter string (where it may
            # also be found joined across dropped ASCII: a prefilter's "may").
            for ch in word:
                if ch not in chars:
                    return False
            return word in chars
        got = memo.get(lead)
        if got is None:
            got = memo[lead] = hay.find(lead) != -1
        if not got:
            return False
        text = memo[_TEXT]
        # One character is found at memchr speed, and one of the literal's is
        # missing from most Korean posts: cheaper than searching for the word.
        for ch in word:
            if ch not in text:
                return False
        return word in text
    return hay.find(lit) != -1


# The memo's key for the text a bytes haystack was made from.
_TEXT = 0
# The memo's key for that text's characters that are not ASCII (a haystack
# that only ever answers "may match": the whole file's).
_CHARS = 1


def _text_literal(lit: bytes):
    """How a bytes program looks for a UTF-8 literal: as it is when it holds
    ASCII (lower-cased in the haystack); else as (its first byte, the literal
    as text) to look for in the text itself, and only when the haystack holds
    that first byte (memchr speed; most posts that are not ASCII hold no
    Hangul at all: curly quotes, dashes). No character but Hangul folds to
    Hangul and Hangul has no case, so the text holds the literal exactly when
    the byte-folded text holds its bytes; and a Korean post is searched for
    a Hangul literal faster as text (two bytes a character, which the
    search's bloom filter tells apart) than as UTF-8 (three bytes, and every
    continuation byte looks alike to it)."""
    if any(b < 0x80 for b in lit):
        return lit
    return (lit[:1], lit.decode("utf-8"))


def _holds(text, clauses) -> bool:
    """Every clause has one of its literals in ``text``."""
    return _clauses_hold(text, {}, clauses)



# What may follow an anchored literal when the pattern has `\s` there: any
# ASCII whitespace (and "\x1c"-"\x1f", which str.isspace() counts), "<" (the
# start of a tag, which the views blank to spaces), and any non-ASCII
# character (some are spaces: U+00A0, U+3000, ...; a byte >= 0x80 in UTF-8).
_SPACE_BYTES = frozenset(b" \t\n\r\x0b\x0c\x1c\x1d\x1e\x1f<")


def _anchored(hay, anchors) -> bool:
    """Each (literal, follow, space) of ``anchors`` occurs in ``hay`` followed
    by a character of ``follow``, or by a space or a tag when ``space``, or
    at the very end."""
    for lit, follow, space in anchors:
        n = len(lit)
        size = len(hay)
        i = hay.find(lit)
        while i != -1:
            j = i + n
            if j >= size:
                break
            c = hay[j]
            if isinstance(c, int):  # bytes
                if c in follow or (space and (c in _SPACE_BYTES or c >= 0x80)):
                    break
            elif c in follow or (space and (c == "<" or c.isspace() or not c.isascii())):
                break
            i = hay.find(lit, i + 1)
        else:
            return False
    return True


def _byte_anchors(anchors: tuple) -> tuple:
    """The anchors with UTF-8 literals and follow sets of byte values; None
    for a pattern with a literal :func:`_byte_prefilters` would refuse."""
    out = []
    for per_pattern in anchors:
        if per_pattern is None:
            out.append(None)
            continue
        conv = []
        for branch in per_pattern:
            if not all(ch.isascii() or _is_hangul(ch) for lit, _f, _s in branch for ch in lit):
                conv = None
                break
            conv.append(tuple((lit.encode("utf-8"), frozenset(f.encode("ascii")), sp) for lit, f, sp in branch))
        out.append(tuple(conv) if conv is not None else None)
    return tuple(out)


def _byte_alternatives(alternatives: tuple) -> tuple:
    """:func:`_byte_prefilters` of each pattern's branch clauses; None for a
    pattern whose clauses cannot be looked for as bytes (then only its
    clauses for the whole pattern filter)."""
    return tuple(None if a is None else _byte_prefilters(a) for a in alternatives)



def _byte_prefilters(prefilters: tuple) -> tuple | None:
    """``prefilters`` (folded literals) as UTF-8 bytes to look for in a
    :func:`_byte_fold` haystack; None when there are none or a literal has a
    character other than ASCII and Hangul (one that may have case)."""
    if not prefilters:
        return None
    out = []
    for clauses in prefilters:
        if clauses is None:
            out.append(None)
            continue
        for clause in clauses:
            for lit in clause:
                if not all(ch.isascii() or _is_hangul(ch) for ch in lit):
                    return None
        out.append(tuple(tuple(lit.encode("utf-8") for lit in clause) for clause in clauses))
    return tuple(out)



def _utf8_of(doc) -> bytes | None:
    """``doc.text`` as UTF-8 without encoding it again: the file's bytes, when
    they are exactly that (decoded as UTF-8 without a byte order mark)."""
    raw = getattr(doc, "raw", None)
    if raw is None or doc.bom or doc.decode_problem is not None or len(raw) < len(doc.text):
        return None
    return raw



def _is_hangul(ch: str) -> bool:
    o = ord(ch)
    return (0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F
            or 0xA960 <= o <= 0xA97F or 0xD7B0 <= o <= 0xD7FF)


# The non-ASCII characters whose folding (``_fold``) holds an ASCII character:
# İ, ı, ſ and the Kelvin sign (tests/test_pack_prefilter.py checks every code point).
# No character but Hangul folds to Hangul.
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")


# Each of the four in UTF-8, and the one ASCII character it becomes in a
# byte-folded text: its fold's ASCII letter (İ folds to "i" and a combining
# dot, which no ASCII or Hangul literal holds), which `regex` with IGNORECASE
# matches to it.
_FOLDS_TO_ASCII_UTF8 = ((b"\xc4\xb0", b"i"), (b"\xc4\xb1", b"i"), (b"\xc5\xbf", b"s"), (b"\xe2\x84\xaa", b"k"))


def _byte_fold(text: str, utf8: bytes | None = None, chars: str | None = None) -> bytes:
    """A cheap stand-in for ``_fold(text)`` as far as the prefilters go.

    ``text`` as UTF-8 with only the ASCII letters lower-cased (bytes.lower(),
    at C speed; ``_fold`` of a Korean post costs far more). A literal made of
    ASCII and Hangul characters that occurs in ``_fold(text)`` occurs in it as
    UTF-8 bytes too: no other character folds to ASCII or Hangul, except the
    four of ``_FOLDS_TO_ASCII``, which are made their ASCII letter (see
    :func:`_fold_to_ascii`). ``utf8``: ``text`` as UTF-8 when the caller has
    it (the file's own bytes); ``chars``: its characters that are not ASCII,
    when the caller has them (the Kelvin sign is looked for there).
    """
    data = (utf8 if utf8 is not None else text.encode("utf-8", "surrogatepass")).lower()
    if not text.isascii() and _holds_folds_to_ascii(data, 0, text if chars is None else chars):
        return _fold_to_ascii(data)
    return data


def _holds_folds_to_ascii(data: bytes, start: int, chars: str) -> bool:
    """``data[start:]`` (UTF-8) may hold one of the four of _FOLDS_TO_ASCII;
    ``chars``: a text that holds every character of it that is not ASCII.

    The four are looked for by their first byte first (memchr speed; that
    byte is rare), the Kelvin sign in ``chars`` (its first byte is the one of
    curly quotes and dashes), not all four in the text (the low byte of İ
    and ı is that of "0" and "1", so a search for them stops everywhere)."""
    find = data.find  # not ``in``: see _contains
    return ((find(b"\xc4", start) != -1 and (find(b"\xc4\xb0", start) != -1 or find(b"\xc4\xb1", start) != -1))
            or (find(b"\xc5", start) != -1 and find(b"\xc5\xbf", start) != -1) or "\u212a" in chars)


def _fold_to_ascii(data: bytes) -> bytes:
    """``data`` with each of the four of _FOLDS_TO_ASCII made one ASCII letter.

    A literal of ASCII and Hangul in the fold of the text is then in
    ``data``; and a shadow (see _shadows), whose ASCII letters `regex` with
    IGNORECASE matches to one of the four, matches here wherever it does in
    the text: one character for one, so nothing else moves apart."""
    for utf8, letter in _FOLDS_TO_ASCII_UTF8:
        if data.find(utf8) != -1:
            data = data.replace(utf8, letter)
    return data


# Characters that `regex` with IGNORECASE matches to a letter whose lower()
# differs from theirs (found by comparing every code point): lower() plus
# these is a case folding that never separates what the regex would match,
# and cheaper than str.casefold().
_FOLD_EXTRA = {
    "\u00b5": "\u03bc", "\u0131": "i", "\u017f": "s", "\u0345": "\u03b9", "\u03c2": "\u03c3",
    "\u03d0": "\u03b2", "\u03d1": "\u03b8", "\u03d5": "\u03c6", "\u03d6": "\u03c0", "\u03f0": "\u03ba",
    "\u03f1": "\u03c1", "\u03f5": "\u03b5", "\u1c80": "\u0432", "\u1c81": "\u0434", "\u1c82": "\u043e",
    "\u1c83": "\u0441", "\u1c84": "\u0442", "\u1c85": "\u0442", "\u1c86": "\u044a", "\u1c87": "\u0463",
    "\u1c88": "\ua64b", "\u1e9b": "\u1e61", "\u1fbe": "\u03b9",
}


def _fold(text: str) -> str:
    low = text.lower()
    if not low.isascii():
        # One str.replace per extra character the text holds, not one
        # str.translate (a dict lookup per character of the text). No replacement is
        # itself replaced: no value of _FOLD_EXTRA is one of its keys.
        for ch, rep in _FOLD_EXTRA.items():
            if ch in low:
                low = low.replace(ch, rep)
    return low


