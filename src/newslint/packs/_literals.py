"""What a pack pattern's matches must contain, read from the pattern itself.

The pattern is parsed with the standard library's regular-expression parser
(the ``regex`` engine has no public parser). Anything that parser may read
differently from ``regex`` gets no prefilter at all, so a prefilter only ever
skips text where the pattern cannot match.
"""

from __future__ import annotations

import functools
import re
from typing import Any

from ._haystack import _fold
from .views import _SEP

def _required_literals(pattern: str, ignorecase: bool) -> tuple[tuple[str, ...], ...] | None:
    """What every match of ``pattern`` contains: clauses, each a tuple of
    literals one of which is in the match (all clauses hold); None if unknown.

    A prefilter in the manner of RE2's and Hyperscan's: a phrase pattern of a
    pack almost never matches, and ``lit in text`` runs at memchr speed where
    the ``regex`` engine walks every character. ``실시간\\s*속보|more\\s+news`` gives the clauses
    ``("more", "실시간")``, ``("news", "속보")``, ... (every pair). The pattern is read with the standard library's
    parser; anything it does not read the way ``regex`` does (a warning, an
    error, a brace that is not a repeat, as in fuzzy ``{e<=1}``, scoped flags)
    gets no prefilter, so a prefilter only ever skips text where the pattern
    cannot match. With ``ignorecase`` the literals are casefolded (and so is
    the text they are looked for in).
    """
    got = _parse(pattern, ignorecase)
    if got is None:
        return None
    tree, sre_parse = got
    try:
        clauses = _required(list(tree), sre_parse)
    except Exception:  # RecursionError, a scoped flag: no prefilter
        return None
    return _usable(clauses, ignorecase)


@functools.lru_cache(maxsize=256)
def _parse(pattern: str, ignorecase: bool):
    """(the standard parser's tree of ``pattern``, the parser module), or None
    when that parser may read it differently from ``regex``.

    Kept for the next call (the tree is only ever read): a plan reads each
    pattern four times (literals, branches, anchors, shadows), and the
    plans are made before the run can start."""
    import warnings

    try:
        import re._parser as sre_parse  # type: ignore[import-not-found]
    except ImportError:  # pragma: no cover - Python < 3.11
        import sre_parse  # type: ignore[no-redef]
    if re.search(r"\{(?!\d*(?:,\d*)?\})", pattern):
        return None
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error")
            tree = sre_parse.parse(pattern, re.IGNORECASE if ignorecase else 0)
        if bool(tree.state.flags & re.IGNORECASE) != ignorecase:
            return None  # a global inline flag
    except Exception:  # re.error, FutureWarning, RecursionError: no prefilter
        return None
    return tree, sre_parse


def _required_alternatives(pattern: str, ignorecase: bool) -> tuple[tuple[tuple[str, ...], ...], ...] | None:
    """For a pattern that is one alternation ``A|B|C`` (a pack's ``tokens``):
    the clauses of each branch (as :func:`_required_literals` gives them for
    the whole pattern), one entry per branch; None otherwise, or when a branch
    requires no literal.

    A match is a match of one branch, so it holds every clause of that
    branch: text where no branch has all of its clauses cannot match. This is
    much tighter than the clauses of the whole pattern, which can only keep
    what every branch shares (``news`` or ``뉴스`` or ...): a Korean news post
    holds ``뉴스`` and a URL ``news``, but rarely ``news`` and ``visit`` and
    ``more``, or ``실시간`` and ``속보``.
    """
    return _branch_filters(pattern, ignorecase)[0]


def _required_anchors(pattern: str, ignorecase: bool) -> tuple | None:
    """One entry per branch of :func:`_required_alternatives` (None when that
    is None): ``(literal, follow, space)`` for each run of literals written
    straight in the branch (not in a group) that a match must hold followed
    by one of the characters ``follow`` or, when ``space``, by a ``\\s``.
    ``more\\s+news,?\\s+visit`` gives ``("news", ",", True)``: a `news`
    in `newsletter` or `/news/` cannot start a match.

    Only for what may be checked in the text the views are made from (the
    body without Markdown syntax, ``html_source``), or in a segment itself,
    never in the raw file: there a blanked `*` or `[` may follow the word.
    """
    return _branch_filters(pattern, ignorecase)[1]


def _branch_filters(pattern: str, ignorecase: bool) -> tuple[Any, Any]:
    entries = _branch_entries(pattern, ignorecase)
    if entries is None:
        return None, None
    return tuple(e[0] for e in entries), tuple(e[1] for e in entries)


@functools.lru_cache(maxsize=256)
def _branch_entries(pattern: str, ignorecase: bool) -> list | None:
    """(clauses, anchors, [the parsed branches]) per branch of a pattern that
    is one alternation, branches alike (`구독\\s*좋아요|좋아요\\s*구독`) once.
    Kept for the next call, as _parse is (only ever read)."""
    got = _parse(pattern, ignorecase)
    if got is None:
        return None
    tree, sre = got
    consts = getattr(sre, "_constants", sre)
    items = list(tree)
    try:
        # Groups without flags around the whole pattern change nothing.
        while len(items) == 1 and items[0][0] is consts.SUBPATTERN and not items[0][1][1] and not items[0][1][2]:
            items = list(items[0][1][3])
        if len(items) != 1 or items[0][0] is not consts.BRANCH:
            return None
        seen: dict = {}
        for branch in items[0][1][1]:
            clauses = _usable(_required(list(branch), sre), ignorecase)
            if clauses is None:
                return None
            seen.setdefault((clauses, _anchors_of(list(branch), sre, ignorecase)), []).append(list(branch))
    except Exception:  # RecursionError, a scoped flag: no prefilter
        return None
    return [(clauses, anchors, group) for (clauses, anchors), group in seen.items()]


def _anchors_of(items: list, sre, ignorecase: bool) -> tuple[tuple[str, str, bool], ...]:
    consts = getattr(sre, "_constants", sre)
    fold = _fold if ignorecase else str
    out = []
    i = 0
    while i < len(items):
        if items[i][0] is not consts.LITERAL:
            i += 1
            continue
        j = i
        while j < len(items) and items[j][0] is consts.LITERAL:
            j += 1
        lit = "".join(chr(av) for _op, av in items[i:j])
        if len(lit) >= 2 and " " not in lit and _SEP not in lit:
            first = _first(items[j:], sre)
            if first is not None:
                out.append((fold(lit), "".join(sorted(first[0])), first[1]))
        i = j
    return tuple(sorted(set(out)))


def _first(items: list, sre) -> tuple[set[str], bool] | None:
    """What the first character of a match of ``items`` may be: (ASCII
    characters other than letters, whether a ``\\s``); None when it may be
    anything else, or when ``items`` may match nothing (then what follows
    them counts, and that is not known here)."""
    consts = getattr(sre, "_constants", sre)
    chars: set[str] = set()
    space = False
    space_cats = (consts.CATEGORY_SPACE, getattr(consts, "CATEGORY_UNI_SPACE", consts.CATEGORY_SPACE))
    repeats = (consts.MAX_REPEAT, consts.MIN_REPEAT, getattr(consts, "POSSESSIVE_REPEAT", None))
    for op, av in items:
        if op is consts.LITERAL:
            c = chr(av)
            if not c.isascii() or c.isalnum() or c == "_":
                return None
            chars.add(c)
            return chars, space
        if op is consts.IN:
            for o, a in av:
                if o is consts.LITERAL and chr(a).isascii() and not chr(a).isalnum() and chr(a) != "_":
                    chars.add(chr(a))
                elif o is consts.CATEGORY and a in space_cats:
                    space = True
                else:
                    return None
            return chars, space
        if op in repeats or op is consts.SUBPATTERN:
            if op is consts.SUBPATTERN:
                _g, add_flags, del_flags, sub = av
                if add_flags or del_flags:
                    return None
                lo = 1
            else:
                lo, _hi, sub = av
            got = _first(list(sub), sre)
            if got is None:
                return None
            chars |= got[0]
            space = space or got[1]
            if lo >= 1:
                return chars, space
            continue  # optional: what follows may come first
        return None
    return None  # may match nothing


def _usable(clauses: list[frozenset[str]], ignorecase: bool) -> tuple[tuple[str, ...], ...] | None:
    """The clauses worth looking for, folded with ``ignorecase``, best first."""
    fold = _fold if ignorecase else str
    usable = []
    for clause in clauses:
        # One character is no filter; blanking writes spaces and separators.
        if all(len(x) >= 2 and " " not in x and _SEP not in x for x in clause):
            usable.append(tuple(sorted({fold(x) for x in clause})))
    usable = sorted(set(usable), key=_selectivity)[:_MAX_CLAUSES]
    return tuple(usable) or None


_MAX_CLAUSES = 8


def _selectivity(clause: tuple[str, ...]) -> tuple[int, int]:
    """Longer and fewer literals first: they rule out more text sooner."""
    return (-min(len(x) for x in clause), len(clause), clause)  # the clause itself: a stable order


class _Flags(Exception):
    pass


def _required(items: list, sre) -> list[frozenset[str]]:
    """The clauses of a parsed sequence (each a set of literals one of which
    every match contains)."""
    consts = getattr(sre, "_constants", sre)
    clauses: list[frozenset[str]] = []
    run: list[str] = []

    def flush() -> None:
        if run:
            clauses.append(frozenset(("".join(run),)))
            run.clear()

    for op, av in items:
        if op is consts.LITERAL:
            run.append(chr(av))
            continue
        flush()
        if op is consts.BRANCH:
            # (A1 and A2) or (B1 and B2) = (A1 or B1) and (A1 or B2) and ...:
            # the best few clauses of each branch, crossed.
            alternatives = []
            for branch in av[1]:
                got = sorted(_required(list(branch), sre), key=lambda c: _selectivity(tuple(c)))[:3]
                if not got:
                    alternatives = []
                    break
                alternatives.append(got)
            if alternatives:
                crossed = [frozenset()]
                for got in alternatives:
                    crossed = [c | g for c in crossed for g in got][:16]
                clauses.extend(crossed)
        elif op is consts.SUBPATTERN:
            _group, add_flags, del_flags, sub = av
            if add_flags or del_flags:
                raise _Flags  # (?i:...) and friends change what a literal matches
            clauses.extend(_required(list(sub), sre))
        elif op in (consts.MAX_REPEAT, consts.MIN_REPEAT, getattr(consts, "POSSESSIVE_REPEAT", None)):
            lo, _hi, sub = av
            if lo >= 1:
                clauses.extend(_required(list(sub), sre))
        elif op is getattr(consts, "ATOMIC_GROUP", None):
            clauses.extend(_required(list(av), sre))
        # Anything else (classes, assertions, anchors, backreferences) requires
        # no literal; it only ends the current run of literals.
    flush()
    return clauses
