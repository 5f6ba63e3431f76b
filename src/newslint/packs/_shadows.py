"""Shadows: a pack pattern with what the prefilters cannot express dropped.

A shadow matches wherever its pattern does (and elsewhere too), and it is
made only of what the byte-folded haystack keeps apart (ASCII lower-cased,
Hangul, ``\\s``), so it can be searched there before any view of the post
is built.
"""

from __future__ import annotations

import re
from typing import Any

import regex

from ._haystack import _is_hangul, _text_literal
from ._literals import _branch_entries, _parse

# What `\s` of the `regex` module matches (tests/test_pack_prefilter.py checks
# every code point). In a bytes pattern it matches only the ASCII ones, so a
# shadow for the byte-folded text spells the others out in UTF-8.
_REGEX_SPACES = ("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                 "\u200a\u2028\u2029\u202f\u205f\u3000")


# One of them in UTF-8, for a bytes pattern (as Latin-1: one character per
# byte). The ones from U+2000 as one set per byte, which lets through a few
# more characters (U+201F, U+2040, ...; never Hangul, the common quotes or dashes: a
# shadow may match more than its pattern, never less), and written as the
# bytes themselves, not escapes: a shorter pattern, which `regex` compiles
# faster, and the shadows are compiled before the run can start.
_SPACE_UTF8 = "(?:[\t-\r ]|\xc2[\x85\xa0]|\xe2[\x80\x81][\x80-\x8a\x9f\xa8\xa9\xaf]|\xe3\x80\x80|\xe1\x9a\x80)"


def _required_shadows(pattern: str, ignorecase: bool) -> tuple[Any, Any]:
    """(the shadow of ``pattern``, or None; or the shadows of the branches of
    :func:`_required_alternatives`, one per entry), as pattern sources: text
    for the byte-folded text (as Latin-1: one character per byte) with
    ``ignorecase``, for the text as it is without.

    A shadow is the pattern with what it cannot say cheaply dropped, so that
    it matches wherever the pattern does (and elsewhere too): the literals of
    a branch may all be in a post (``news``, ``more``, ``see``: common
    English words) where the phrase is not (``more news, see``: rare). It starts at the first run of two or more literals (the engine
    looks for it as fast as ``in``), else at the first group: what comes
    before is dropped. Kept: literals (with ``ignorecase`` only ASCII, made
    lower-case, and Hangul: what :func:`_byte_fold` keeps apart from the
    rest), ``\\s``, sets of those, groups, alternations and repeats of those
    (lazy, possessive and atomic ones as plain ones: a match of the pattern is
    a match of the plain form). Dropped: assertions (``^``, ``\\b``,
    look-arounds), so a shadow matches a segment's text wherever it lies.
    Anything else (``\\w``, ``.``, ranges, negated sets, back-references,
    scoped flags, control characters such as the views' "\\x1f") ends the
    shadow: a branch of an alternation that ends early ends the shadow after
    the alternation.
    """
    try:
        entries = _branch_entries(pattern, ignorecase)
        if entries is not None:
            return None, tuple(_join_shadows([_shadow_of(b, ignorecase) for b in group]) for _c, _a, group in entries)
        got = _parse(pattern, ignorecase)
        return (_shadow_of(list(got[0]), ignorecase) if got is not None else None), None
    except Exception:  # RecursionError: no shadow
        return None, None


def _consts():
    try:
        import re._constants as consts  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - Python < 3.11
        import sre_constants as consts  # type: ignore[no-redef]
    return consts


def _join_shadows(shadows: list) -> tuple[str, ...] | None:
    """One shadow for branches alike (merged by _branch_entries): any of theirs."""
    if any(s is None for s in shadows):
        return None
    return tuple(source for shadow in shadows for source in shadow)


def _shadow_of(items: list, ignorecase: bool) -> tuple[str, ...] | None:
    """The shadow of one branch (a parsed sequence): one pattern source, or
    one per alternative when it starts at an alternation (`(?:a|b)c` as `ac`
    and `bc`): each then starts with literals, which the engine looks for as
    fast as ``in``, where it tries an alternation first at every position."""
    consts = _consts()
    while len(items) == 1 and items[0][0] is consts.SUBPATTERN and not items[0][1][1] and not items[0][1][2]:
        items = list(items[0][1][3])
    start = None
    i = 0
    while i < len(items) and start is None:
        j = i
        while j < len(items) and items[j][0] is consts.LITERAL and _shadow_char(chr(items[j][1]), ignorecase):
            j += 1
        if j - i >= 2:
            start = i
        i = max(j, i + 1)
    if start is None:
        start = next((k for k, (op, _av) in enumerate(items) if op is consts.SUBPATTERN or op is consts.BRANCH), None)
    if start is None:
        return None
    rest = items[start:]
    op, av = rest[0]
    branches = None
    if op is consts.BRANCH:
        branches = av[1]
    elif op is consts.SUBPATTERN and not av[1] and not av[2] and len(av[3]) == 1 and av[3][0][0] is consts.BRANCH:
        branches = av[3][0][1][1]
    out = []
    for seq in ([list(b) + rest[1:] for b in branches] if branches is not None else [rest]):
        parts, _whole = _shadow_seq(seq, consts, ignorecase)
        if not parts:
            return None  # nothing to look for in this alternative: the shadow says nothing
        out.append("".join(parts))
    return tuple(out)


def _shadow_char(c: str, ignorecase: bool) -> str | None:
    if c < " " or c == "\x7f":
        return None  # control characters, such as the "\x1f" of the views
    if not ignorecase:
        return re.escape(c)
    if c.isascii():
        return re.escape(c.lower())
    if _is_hangul(c):
        return re.escape(c.encode("utf-8").decode("latin-1"))
    return None


def _shadow_set(items: list, consts, ignorecase: bool) -> str | None:
    spaces = (consts.CATEGORY_SPACE, getattr(consts, "CATEGORY_UNI_SPACE", consts.CATEGORY_SPACE))
    parts = []
    for op, av in items:
        if op is consts.LITERAL:
            part = _shadow_char(chr(av), ignorecase)
        elif op is consts.CATEGORY and av in spaces:
            part = _SPACE_UTF8 if ignorecase else r"\s"
        else:
            part = None
        if part is None:
            return None
        parts.append(part)
    return parts[0] if len(parts) == 1 else "(?:" + "|".join(parts) + ")"


def _shadow_seq(items: list, consts, ignorecase: bool) -> tuple[list[str], bool]:
    """The shadow of a sequence: (its parts, whether it is whole)."""
    out: list[str] = []
    repeats = (consts.MAX_REPEAT, consts.MIN_REPEAT, getattr(consts, "POSSESSIVE_REPEAT", consts.MAX_REPEAT))
    for op, av in items:
        if op is consts.AT or op is consts.ASSERT or op is consts.ASSERT_NOT:
            continue  # zero-width: dropping one only lets the shadow match more
        if op is consts.LITERAL:
            part, whole = _shadow_char(chr(av), ignorecase), True
        elif op is consts.IN:
            part, whole = _shadow_set(av, consts, ignorecase), True
        elif op is consts.BRANCH:
            branches = [_shadow_seq(list(b), consts, ignorecase) for b in av[1]]
            part = "(?:" + "|".join("".join(p) for p, _w in branches) + ")"
            whole = all(w for _p, w in branches)
        elif op is consts.SUBPATTERN or op is getattr(consts, "ATOMIC_GROUP", None):
            if op is consts.SUBPATTERN:
                _group, add_flags, del_flags, sub = av
                if add_flags or del_flags:
                    return out, False
            else:
                sub = av
            p, whole = _shadow_seq(list(sub), consts, ignorecase)
            part = "(?:" + "".join(p) + ")"
        elif op in repeats:
            lo, hi, sub = av
            p, whole = _shadow_seq(list(sub), consts, ignorecase)
            if not whole:  # the part of one repetition, when there must be one
                if lo >= 1 and p:
                    out.append("(?:" + "".join(p) + ")")
                return out, False
            part = "(?:" + "".join(p) + ")" + _quantifier(lo, hi, consts.MAXREPEAT)
        else:
            return out, False
        if part is None:
            return out, False
        out.append(part)
        if not whole:
            return out, False
    return out, True


def _quantifier(lo: int, hi: int, unbounded: int) -> str:
    if hi == unbounded:
        return {0: "*", 1: "+"}.get(lo, f"{{{lo},}}")
    return "?" if (lo, hi) == (0, 1) else f"{{{lo},{hi}}}"


def _compile_shadow(sources: tuple[str, ...] | None, ignorecase: bool) -> tuple | None:
    """The shadow compiled (for bytes with ``ignorecase``): a tuple of
    (pattern, the literals it starts with or None), any of which may match;
    None when there is none or one matches the empty text (then it matches
    everywhere). The literals are looked for first, as a clause's are (see
    _shadow_found)."""
    if sources is None:
        return None
    out = []
    for source in sources:
        try:
            pat = regex.compile(source.encode("latin-1") if ignorecase else source)
        except (regex.error, UnicodeEncodeError):
            return None
        if pat.match(b"" if ignorecase else ""):
            return None
        prefix = _literal_prefix(source)
        if ignorecase:
            prefix = _text_literal(prefix.encode("latin-1")) if prefix else None
        out.append((pat, prefix or None))
    return tuple(out)


def _literal_prefix(source: str) -> str:
    """The literals a shadow's matches start with: the run of them at the
    start of its source (_shadow_char writes a literal as one character or a
    backslash and one; everything else starts with "(")."""
    run = _LITERAL_RUN.match(source).group()
    return re.sub(r"\\(.)", r"\1", run, flags=re.S)


_LITERAL_RUN = re.compile(r"(?:[^\\()\[\]{}?*+|.^$]|\\[^0-9A-Za-z])*", re.S)


def _rule_shadows(sources: tuple[str | None, ...], ignorecase: bool) -> tuple:
    """Per pattern source: None or (its shadow, the shadows of its branches)."""
    out: list = []
    for source in sources:
        if source is None:
            out.append(None)
            continue
        whole, branches = _required_shadows(source, ignorecase)
        out.append((_compile_shadow(whole, ignorecase),
                    None if branches is None else tuple(_compile_shadow(b, ignorecase) for b in branches)))
    return tuple(out)
