"""Declarative rule packs: phrase rules as YAML data, in the style of Vale.

A pack is a YAML file (read with ``yaml.safe_load`` only) that holds a list of
rules. Each rule becomes a real :class:`~.base.Rule` subclass, so selection,
severity, per-file ignores, suppression comments and the rule docs all work
for it exactly as for a Python rule.

Two kinds, as in Vale:

``existence``
    report every match of ``tokens`` (regexes wrapped in word boundaries
    unless ``nonword: true``) or ``raw`` (regexes used as written).
``substitution``
    ``swap`` maps a regex to the text to write instead; the message names the
    suggestion (display only: newslint never rewrites prose for a pack).

Scopes: ``title``, ``excerpt`` (``excerpt``/``description``/``summary``),
``body`` (prose text outside code, tags, comments, links and images), ``alt``
(image alt text) and ``link`` (link text). Patterns run on the ``regex``
engine, compiled when the pack is loaded, with a time limit on every match;
``\\w`` there is Unicode and matches Hangul.

This module lives inside ``newslint.rules`` so the shipped packs can join the
registry without an import cycle; :mod:`newslint.packs` is its public face.
"""

from __future__ import annotations

import bisect
import re
import sys
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, ClassVar, Iterable

import regex
import yaml

from .. import policy_data
from ..model import Finding
from ..ruleapi import Rule

SCOPES = ("title", "excerpt", "body", "alt", "link")
KINDS = ("existence", "substitution")
SEVERITIES = ("error", "warning", "info")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
# Time limit for one regex call on one piece of text (seconds).
MATCH_TIMEOUT = 0.25

_RULE_KEYS = {
    "name", "code", "extends", "message", "severity", "scope", "summary", "description", "why",
    "example", "instead", "tokens", "raw", "swap", "ignorecase", "nonword", "followed-by-link", "tags",
}
_PACK_KEYS = {"pack", "description", "rules"}


class PackError(Exception):
    """A broken pack: the message names the file and line. Becomes a ConfigError (exit 2)."""


# -- the rule class ----------------------------------------------------------


class PackRule(Rule):
    """Base class of the rules made from packs (never registered itself)."""

    name = "pack-rule"
    code = "NL700"
    kind: ClassVar[str] = "existence"
    scopes: ClassVar[tuple[str, ...]] = ()
    message: ClassVar[str] = ""
    patterns: ClassVar[tuple[tuple[Any, str | None], ...]] = ()  # (compiled regex, suggestion)
    followed_by_link: ClassVar[int | None] = None
    pack_file: ClassVar[str] = ""
    # One entry per pattern: the literals its matches must contain (see
    # _required_literals), or None. A post or segment without them is skipped
    # without running the regex: most posts contain no promo phrase at all.
    prefilters: ClassVar[tuple[tuple[tuple[str, ...], ...] | None, ...]] = ()
    # One entry per pattern: the clauses of each branch of an alternation (see
    # _required_alternatives), or None. Used only together with prefilters.
    alternatives: ClassVar[tuple[tuple[tuple[tuple[str, ...], ...], ...] | None, ...]] = ()
    # One entry per pattern, None or one entry per branch of `alternatives`:
    # the literals of the branch and what the character after each must be
    # (see _required_anchors).
    anchors: ClassVar[tuple[Any, ...]] = ()
    # One entry per pattern: the text the three above were read from (the
    # tokens' alternation without the word boundaries, a raw pattern, a swap
    # key), or None. The shadows (see _required_shadows) are made from it
    # when the rule first runs, not when the pack is loaded (start-up time).
    sources: ClassVar[tuple[str | None, ...]] = ()
    ignorecase: ClassVar[bool] = False

    @classmethod
    def prepare(cls, options) -> None:
        """Make the prefilter plan (compiles the shadows) in the parent process, before the pool forks."""
        cls._plan().with_shadows()

    def check(self, doc, options):
        if not doc.ok:
            return
        plan = self._plan()
        if plan.on:
            # First the whole file, before any view is built: a literal found
            # nowhere in the file is in no segment (blanking only writes spaces
            # and "\x1f", which no prefilter literal holds). Most posts stop here.
            if not plan.file_may_match(doc):
                return
            if plan.source_scopes and doc.kind == "markdown":
                # Then the body with code, autolinks, link destinations and Markdown
                # syntax blanked (the HTML tree's input, already built): every text
                # the body and link scopes see is a copy of it with more blanked, so
                # a literal missing here is in none of them. Half the posts whose
                # file holds `news` hold it only in a URL or a code block.
                if not plan.source_may_match(doc):
                    return
        views = _views(doc)
        for scope in self.scopes:  # segments are all made from html_source too: the anchors hold
            yield from self._check_segments(doc, views, views.segments(scope), plan)

    @classmethod
    def _plan(cls) -> "_Plan":
        """The prefilters ready to run, made once per class; made again when a
        test swaps the prefilters (or ``_byte_prefilters``)."""
        plan = cls.__dict__.get("_plan_memo")
        if (plan is None or plan.prefilters is not cls.prefilters or plan.alternatives is not cls.alternatives
                or plan.anchors is not cls.anchors or plan.sources is not cls.sources
                or plan.byte_prefilters_fn is not _byte_prefilters):
            plan = cls._plan_memo = _Plan(cls)
        return plan

    def _check_segments(self, doc, views, segments, plan=None):
        if plan is None:
            plan = self._plan()
        for seg_start, text in segments:
            may = plan.segment_patterns(views, seg_start, text) if plan.on else None
            for i, (pattern, suggestion) in enumerate(self.patterns):
                if may is not None and not may[i]:
                    continue
                try:
                    matches = list(pattern.finditer(text, timeout=MATCH_TIMEOUT))
                except TimeoutError:
                    yield Finding(seg_start, seg_start, f"pattern {pattern.pattern!r} of `{self.name}` "
                                  f"took longer than {MATCH_TIMEOUT} s and was stopped; simplify it")
                    return
                for m in matches:
                    s, e = _trim(text, m.start(), m.end())
                    if e <= s:
                        continue
                    if self.followed_by_link is not None and not views.link_follows(seg_start + e, self.followed_by_link):
                        continue
                    found = " ".join(text[s:e].split())
                    msg = self.message.replace("{match}", found).replace("{suggestion}", suggestion or "")
                    yield Finding(seg_start + s, seg_start + e, msg)


# -- the prefilters, ready to run ---------------------------------------------
#
# Most posts hold no promo phrase, and for them the whole cost of a pack rule
# is deciding so. Run through small general helpers per post and per literal,
# the prefilters (literals, branches, anchors) cost 0.55 s for the three
# shipped rules on the corpus (5,003 posts, one core, parses built), and the
# regex still ran on 260 posts that hold `news`, `more` and `see` but no
# phrase (0.08 s). Now: each rule's prefilters are laid out once per class
# (_Plan, _Program); each text has one haystack per kind with a memo of the
# literals looked for, shared by the pack rules of a document (_Hays); a
# literal without ASCII is looked for in the text, after its first byte
# (_text_literal); and a branch whose literals hold must also match its
# shadow (_required_shadows) in html_source before any view is built. 0.19 s
# for the three, most of it C-level scans: lower-casing the bytes and looking
# for `news` and `click` in every post (40 ms), html_source for the posts
# without HTML that hold the literals (50 ms, markdown.py). One `re`
# alternation of all the literals, run once per post, was slower than the
# scans it would replace (100 ms against 15 ms per literal), and so was a
# case-insensitive `re` or `regex` search of the text instead of lower-casing
# it (150 ms and 54 ms against 25 ms).


class _Hays:
    """One text as the prefilters look at it: the haystack of each kind, made
    when first asked, with what each literal gave there. The pack rules, their
    branches and clauses ask for the same literals in the same text again and
    again (``news``, ``뉴스``, ...), and each ask is a scan of the text."""

    __slots__ = ("text", "ascii", "utf8", "bytes", "folded", "plain")

    def __init__(self, text: str, utf8: bytes | None = None) -> None:
        self.text = text
        # O(1) for a str. An ASCII text holds no literal that is not ASCII
        # (half the posts are English): those are not looked for.
        self.ascii = text.isascii()
        self.utf8 = utf8  # the text as UTF-8 when the caller has it (the file's own bytes)
        self.bytes: tuple | None = None  # (byte-folded text, memo), () when _byte_fold gives None
        self.folded: tuple | None = None  # (folded text, memo)
        self.plain: tuple | None = None  # (text, memo)


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
    (first byte, text) pair: see _text_literal."""
    if lit.__class__ is tuple:
        lead, word = lit
        got = memo.get(lead)
        if got is None:
            got = memo[lead] = lead in hay
        if not got:
            return False
        text = memo[_TEXT]
        # One character is found at memchr speed, and one of the literal's is
        # missing from most Korean posts (20 literals: 27 ms, 15 ms so).
        for ch in word:
            if ch not in text:
                return False
        return word in text
    return lit in hay


# The memo's key for the text a bytes haystack was made from.
_TEXT = 0


def _text_literal(lit: bytes):
    """How a bytes program looks for a UTF-8 literal: as it is when it holds
    ASCII (lower-cased in the haystack); else as (its first byte, the literal
    as text) to look for in the text itself, and only when the haystack holds
    that first byte (memchr speed; most posts that are not ASCII hold no
    Hangul at all: curly quotes, dashes). No character but Hangul folds to
    Hangul and Hangul has no case, so the text holds the literal exactly when
    the byte-folded text holds its bytes; and a Korean post is searched for
    a Hangul literal 3 times faster as text (two bytes a character, which
    the search's bloom filter tells apart) than as UTF-8 (three bytes, and
    every continuation byte looks alike to it). The shipped rules' 9 Hangul
    literals: 60 ms of the corpus as bytes, under 15 ms this way."""
    if any(b < 0x80 for b in lit):
        return lit
    return (lit[:1], lit.decode("utf-8"))


def _holds(text, clauses) -> bool:
    """Every clause has one of its literals in ``text``."""
    return _clauses_hold(text, {}, clauses)


def _branches_may_match(hay, memo: dict, branches, shadowed: bool) -> bool:
    """One of ``branches`` (clauses, anchors, shadow) may match in ``hay``:
    its clauses hold, its anchors hold (when it has any) and, when
    ``shadowed``, its shadow (when it has one) matches. The shadow goes
    first (its leading literals, then one search: see _shadow_found): it
    fails in nearly every post whose clauses, a scan per literal, hold."""
    for clauses, anchors, shadow in branches:
        if shadowed and shadow is not None and not _shadow_found(shadow, hay, memo):
            continue
        if not _clauses_hold(hay, memo, clauses):
            continue
        if anchors and not _anchored(hay, anchors):
            continue
        return True
    return False


def _shadow_found(shadow: tuple, hay, memo: dict) -> bool:
    """A pattern of ``shadow`` matches in ``hay``. The literals it starts with
    are looked for first, through ``memo`` (most are a clause's too: found
    already) and as _contains does (a Hangul one in a post without Hangul
    costs a memchr): a search costs three scans (its time limit alone one),
    and a branch whose shadow starts with `실시간` or `클릭` is tried in every
    post that holds `news` or `click` and any Hangul at all."""
    for pat, lit in shadow:
        if lit is not None:
            got = memo.get(lit)
            if got is None:
                got = memo[lit] = _contains(hay, lit, memo)
            if not got:
                continue
        try:
            if pat.search(hay, timeout=MATCH_TIMEOUT) is not None:
                return True
        except TimeoutError:
            return True  # may match: the pattern runs, and reports its own time-out
    return False


class _Program:
    """A rule's prefilters for one kind of haystack (UTF-8 bytes or str).

    ``patterns``: one entry per pattern, None (no prefilter: the pattern always
    runs) or its branches, each (clauses, anchors or None, shadow or None). A
    pattern that is not an alternation is one branch: its own clauses.
    ``file``: the clauses of every branch of every pattern, for the whole file
    (where anchors and shadows do not hold); None when a pattern has no
    prefilter. ``ascii_patterns``, ``ascii_file``: the same for an ASCII text,
    without the literals it cannot hold (a branch with a clause left empty
    cannot match there and is dropped).
    """

    def __init__(self, needles, alternatives, anchors, shadows, literal=None) -> None:
        patterns: list = []
        for i, needed in enumerate(needles):
            if needed is None:
                patterns.append(None)
                continue
            alts = alternatives[i] if alternatives is not None else None
            whole, per_branch = shadows[i] if shadows is not None and shadows[i] is not None else (None, None)
            if alts is None:
                # A branch-less pattern; or one whose branch literals cannot be
                # looked for here: then the branch shadows do not apply either.
                patterns.append((((needed, None, whole if alternatives is None or
                                   alternatives[i] is None else None),)))
                continue
            anc = anchors[i] if anchors is not None and anchors[i] is not None else (None,) * len(alts)
            shd = per_branch if per_branch is not None and len(per_branch) == len(alts) else (None,) * len(alts)
            patterns.append(tuple(zip(alts, anc, shd)))
        # A clause holds at its first literal found: the shorter ones, the
        # commoner words (`more` before `breaking`), are looked for first.
        literal = literal or (lambda lit: lit)
        self.patterns = tuple(None if p is None else tuple(
            (tuple(tuple(literal(lit) for lit in sorted(clause, key=len)) for clause in clauses), anchors, shadow)
            for clauses, anchors, shadow in p) for p in patterns)
        self.ascii_patterns = tuple(None if p is None else _ascii_branches(p) for p in self.patterns)
        self.file = _file_clauses(self.patterns)
        self.ascii_file = _file_clauses(self.ascii_patterns)


def _ascii_branches(branches) -> tuple:
    out = []
    for clauses, anchors, shadow in branches:
        kept = tuple(tuple(lit for lit in clause if lit.__class__ is not tuple and lit.isascii()) for clause in clauses)
        if all(kept):
            out.append((kept, anchors, shadow))
    return tuple(out)


def _file_clauses(patterns) -> tuple | None:
    if any(p is None for p in patterns):
        return None
    return tuple(clauses for branches in patterns for clauses, _anchors, _shadow in branches)


class _Plan:
    """A pack rule's prefilters, ready to run (made once per class: PackRule._plan)."""

    def __init__(self, cls) -> None:
        # What the plan was made from (PackRule._plan makes it again when one changes).
        self.prefilters, self.alternatives, self.anchors = cls.prefilters, cls.alternatives, cls.anchors
        self.sources, self.byte_prefilters_fn = cls.sources, _byte_prefilters
        n = len(cls.patterns)
        self.on = bool(cls.prefilters)
        self.ignorecase = cls.ignorecase
        self.source_scopes = _SOURCE_SCOPES.issuperset(cls.scopes)
        self.link_scope = "link" in cls.scopes
        prefilters = cls.prefilters or (None,) * n
        if cls.prefilters and cls.alternatives:
            alternatives, anchors = cls.alternatives, cls.anchors or (None,) * n
        else:
            alternatives = anchors = (None,) * n
        self._cls, self._with_shadows = cls, False
        self._build(prefilters, alternatives, anchors, None)

    def _build(self, prefilters, alternatives, anchors, shadows) -> None:
        # Without ignorecase: the text and the literals as written. With it: the
        # byte-folded text and UTF-8 literals when both exist (see _byte_fold),
        # else the folded text and the folded literals, without shadows (they
        # are made for the bytes).
        cls = self._cls
        self._made_from = (prefilters, alternatives, anchors)
        self.text = _Program(prefilters, alternatives, anchors, None if cls.ignorecase else shadows)
        self.bytes = None
        byte_prefilters = _byte_prefilters(cls.prefilters) if cls.ignorecase else None
        if byte_prefilters is not None:
            self.bytes = _Program(byte_prefilters, _byte_alternatives(alternatives), _byte_anchors(anchors), shadows,
                                  _text_literal)
        self.has_shadows = shadows is not None and any(s is not None for s in shadows)

    def with_shadows(self) -> "_Plan":
        """The plan with its shadows, compiled when first needed (the `regex`
        engine takes a millisecond for each: 15 ms for the shipped packs, which
        a run on posts without their literals never needs)."""
        if not self._with_shadows:
            self._with_shadows = True
            if self.on:
                self._build(*self._made_from, _rule_shadows(self._cls))
        return self

    def _pick(self, hays: _Hays) -> tuple:
        """(program, haystack, memo) for ``hays``."""
        if self.bytes is not None:
            got = hays.bytes
            if got is None:
                data = _byte_fold(hays.text, hays.utf8)
                got = hays.bytes = (data, {_TEXT: hays.text}) if data is not None else ()
            if got:
                return self.bytes, got[0], got[1]
        if self.ignorecase:
            got = hays.folded
            if got is None:
                got = hays.folded = (_fold(hays.text), {})
            return self.text, got[0], got[1]
        got = hays.plain
        if got is None:
            got = hays.plain = (hays.text, {})
        return self.text, got[0], got[1]

    def file_may_match(self, doc) -> bool:
        """A pattern may match somewhere in the file (its literals only)."""
        d = doc.__dict__
        hays = d.get("_newslint_pack_file")
        if hays is None:
            hays = d["_newslint_pack_file"] = _Hays(doc.text, _utf8_of(doc))
        if hays.ascii:
            # Decided without a haystack when nothing is left to look for (a
            # Korean-only rule on an English post) or a pattern has no prefilter.
            clauses = (self.bytes or self.text).ascii_file
            if not clauses:
                return clauses is None
        prog, hay, memo = self._pick(hays)
        clauses = prog.ascii_file if hays.ascii else prog.file
        if clauses is None:
            return True
        for branch in clauses:
            if _clauses_hold(hay, memo, branch):
                return True
        return False

    def source_may_match(self, doc) -> bool:
        """A pattern may match in the Markdown body's ``html_source``: its
        literals and anchors there, and its shadows in ``html_source`` with
        the inline tags blanked (see _spaced_source)."""
        self.with_shadows()
        src = doc.markdown.html_source()
        d = doc.__dict__
        hays = d.get("_newslint_pack_source")
        if hays is None or hays.text is not src:
            hays = d["_newslint_pack_source"] = _Hays(src)
        prog, hay, memo = self._pick(hays)
        patterns = prog.ascii_patterns if hays.ascii else prog.patterns
        if not self.has_shadows or not _inline_tag_spans(doc, self.link_scope):
            # Nothing to blank: the shadows look at html_source itself, first.
            return any(branches is None or _branches_may_match(hay, memo, branches, self.has_shadows)
                       for branches in patterns)
        # Inline tags: literals and anchors first, and only then the shadows,
        # in a copy with the tags blanked (made once per document, and only
        # for the few posts whose literals pass: 0.1 ms for a post with 200 tags).
        spaced = None
        for branches in patterns:
            if branches is None:
                return True
            for clauses, anchors, shadow in branches:
                if not _clauses_hold(hay, memo, clauses) or (anchors and not _anchored(hay, anchors)):
                    continue
                if shadow is None:
                    return True
                if spaced is None:
                    got = _spaced_source(doc, src, self.link_scope)
                    spaced = self._pick(got) if got is not None else (None, None, None)
                if spaced[0] is not prog or _shadow_found(shadow, spaced[1], spaced[2]):
                    return True  # (another kind of haystack there: the shadow does not apply)
        return False

    def segment_patterns(self, views, seg_start: int, text: str) -> list[bool]:
        """For each pattern, whether it may match in the segment ``text``."""
        self.with_shadows()
        if seg_start == views.base:
            # The body's haystack is kept (several rules ask); others are made here.
            hays = views.__dict__.get("_hays_body")
            if hays is None or hays.text is not text:
                hays = views.__dict__["_hays_body"] = _Hays(text)
        else:
            hays = _Hays(text)
        prog, hay, memo = self._pick(hays)
        return [branches is None or _branches_may_match(hay, memo, branches, True)
                for branches in (prog.ascii_patterns if hays.ascii else prog.patterns)]


def _inline_tag_spans(doc, with_links: bool) -> list[tuple[int, int]]:
    """The spans (offsets in the text) the views blank to spaces: the start
    and end tags of the inline elements (_INLINE). They blank the rest of the
    HTML, comments, links and images to "\\x1f" (newlines kept). In the body
    (not ``with_links``) a link is all "\\x1f" (its tags too): most HTML posts
    have links and no other inline tag."""
    key = "_newslint_pack_inline_a" if with_links else "_newslint_pack_inline"
    d = doc.__dict__
    got = d.get(key)
    if got is None:
        got = []
        # By tag name (the tree keeps them so): no walk over every element of a long HTML post.
        for el in doc.html.find_all(*(_INLINE_TAGS if with_links else _INLINE_TAGS_NOT_A)):
            got.append((el.start, el.start_end))
            if el.end_tag_start >= 0:
                got.append((el.end_tag_start, el.end))
        got.sort()
        d[key] = got
    return got


def _spaced_source(doc, src: str, with_links: bool) -> "_Hays | None":
    """``html_source`` with the inline tags blanked as the views blank them
    (spaces, newlines kept), as haystacks (kept on the document).

    Every segment (body or link text) is a copy of this with more characters
    made "\\x1f" (newlines kept) and cut at its ends. A shadow never matches
    "\\x1f" and holds no assertion (see _required_shadows), so a shadow that
    matches a segment matches here at the same place: where it could not
    match, no view is built. None when there is nothing to blank."""
    spans = _inline_tag_spans(doc, with_links)
    if not spans:
        return None
    key = "_newslint_pack_spaced_a" if with_links else "_newslint_pack_spaced"
    d = doc.__dict__
    got = d.get(key)
    if got is None or got[0] is not src:
        base, n = doc.body_start, len(src)
        parts = []
        pos = 0
        for s, e in spans:
            s, e = max(s - base, pos), min(e - base, n)
            if s >= e:
                continue
            parts.append(src[pos:s])
            tag = src[s:e]
            parts.append(" " * (e - s) if "\n" not in tag else re.sub("[^\n]", " ", tag))
            pos = e
        parts.append(src[pos:])
        got = d[key] = (src, _Hays("".join(parts)))
    return got[1]


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


@lru_cache(maxsize=256)
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


@lru_cache(maxsize=256)
def _byte_alternatives(alternatives: tuple) -> tuple:
    """:func:`_byte_prefilters` of each pattern's branch clauses; None for a
    pattern whose clauses cannot be looked for as bytes (then only its
    clauses for the whole pattern filter)."""
    return tuple(None if a is None else _byte_prefilters(a) for a in alternatives)


def _is_hangul(ch: str) -> bool:
    o = ord(ch)
    return (0xAC00 <= o <= 0xD7A3 or 0x1100 <= o <= 0x11FF or 0x3130 <= o <= 0x318F
            or 0xA960 <= o <= 0xA97F or 0xD7B0 <= o <= 0xD7FF)


# The non-ASCII characters whose folding (``_fold``) holds an ASCII character:
# İ, ı, ſ and the Kelvin sign (tests/test_engine.py checks every code point).
# No character but Hangul folds to Hangul.
_FOLDS_TO_ASCII = ("\u0130", "\u0131", "\u017f", "\u212a")


def _byte_fold(text: str, utf8: bytes | None = None) -> bytes | None:
    """A cheap stand-in for ``_fold(text)`` as far as the prefilters go.

    ``text`` as UTF-8 with only the ASCII letters lower-cased (bytes.lower(),
    at C speed; ``_fold`` of a Korean post is ten times slower, a tenth of a
    cold run). A literal made of ASCII and Hangul characters that occurs in
    ``_fold(text)`` occurs in it as UTF-8 bytes too: no other character folds
    to ASCII or Hangul, except the four of ``_FOLDS_TO_ASCII``; None when the
    text holds one of those (the caller folds for real). ``utf8``: ``text``
    as UTF-8 when the caller has it (the file's own bytes).

    The four are looked for by their first byte first (memchr speed; that
    byte is rare), the Kelvin sign in the text (its first byte is the one of
    curly quotes and dashes): 2 ms of the corpus, where looking for the four
    in the text took 7 ms (the low byte of İ and ı is that of "0" and "1").
    """
    data = (utf8 if utf8 is not None else text.encode("utf-8", "surrogatepass")).lower()
    if not text.isascii() and ((b"\xc4" in data and (b"\xc4\xb0" in data or b"\xc4\xb1" in data))
                               or (b"\xc5" in data and b"\xc5\xbf" in data) or "\u212a" in text):
        return None
    return data


@lru_cache(maxsize=256)
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


# The scopes whose texts are all made from the Markdown view's ``html_source``.
_SOURCE_SCOPES = frozenset(("body", "link"))


def _utf8_of(doc) -> bytes | None:
    """``doc.text`` as UTF-8 without encoding it again: the file's bytes, when
    they are exactly that (decoded as UTF-8 without a byte order mark)."""
    raw = getattr(doc, "raw", None)
    if raw is None or doc.bom or doc.decode_problem is not None or len(raw) < len(doc.text):
        return None
    return raw


# Characters that `regex` with IGNORECASE matches to a letter whose lower()
# differs from theirs (found by comparing every code point): lower() plus
# these is a case folding that never separates what the regex would match,
# at a third of the cost of str.casefold().
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
        # str.translate (a dict lookup per character: 10 ms for the 10 posts
        # of the corpus that need it, 1 ms this way). No replacement is
        # itself replaced: no value of _FOLD_EXTRA is one of its keys.
        for ch, rep in _FOLD_EXTRA.items():
            if ch in low:
                low = low.replace(ch, rep)
    return low


_TRIM = " \t\r\n\x1f"


def _required_literals(pattern: str, ignorecase: bool) -> tuple[tuple[str, ...], ...] | None:
    """What every match of ``pattern`` contains: clauses, each a tuple of
    literals one of which is in the match (all clauses hold); None if unknown.

    A prefilter in the manner of RE2's and Hyperscan's: a phrase pattern of a
    pack almost never matches, and ``lit in text`` runs at memchr speed where
    the ``regex`` engine walks every character (0.7 s of a 5,000-post run for
    one pattern). ``실시간\\s*속보|more\\s+news`` gives the clauses
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


def _parse(pattern: str, ignorecase: bool):
    """(the standard parser's tree of ``pattern``, the parser module), or None
    when that parser may read it differently from ``regex``."""
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


def _branch_entries(pattern: str, ignorecase: bool) -> list | None:
    """(clauses, anchors, [the parsed branches]) per branch of a pattern that
    is one alternation, branches alike (`구독\\s*좋아요|좋아요\\s*구독`) once."""
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


# -- shadows: the pattern with what the prefilters cannot express dropped --------

# What `\s` of the `regex` module matches (tests/test_fast_paths.py checks
# every code point). In a bytes pattern it matches only the ASCII ones, so a
# shadow for the byte-folded text spells the others out in UTF-8.
_REGEX_SPACES = ("\t\n\x0b\x0c\r \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005\u2006\u2007\u2008\u2009"
                 "\u200a\u2028\u2029\u202f\u205f\u3000")


# One of them in UTF-8, for a bytes pattern.
_SPACE_UTF8 = r"(?:[\x09-\x0d\x20]|\xc2[\x85\xa0]|\xe1\x9a\x80|\xe2\x80[\x80-\x8a\xa8\xa9\xaf]|\xe2\x81\x9f|\xe3\x80\x80)"


@lru_cache(maxsize=256)
def _required_shadows(pattern: str, ignorecase: bool) -> tuple[Any, Any]:
    """(the shadow of ``pattern``, or None; or the shadows of the branches of
    :func:`_required_alternatives`, one per entry), as pattern sources: text
    for the byte-folded text (as Latin-1: one character per byte) with
    ``ignorecase``, for the text as it is without.

    A shadow is the pattern with what it cannot say cheaply dropped, so that
    it matches wherever the pattern does (and elsewhere too): the literals of
    a branch may all be in a post (``news``, ``more``, ``see``: a third of the
    English posts) where the phrase is not (``more news, see``: one post in
    5,003). It starts at the first run of two or more literals (the engine
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
    fast as ``in``, where it tries an alternation first at every position
    (promo-click-here: 7 ms on the posts that reach it, 3 ms split)."""
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


def _rule_shadows(cls) -> tuple | None:
    """Per pattern of ``cls``: None or (its shadow, the shadows of its branches)."""
    if len(cls.sources) != len(cls.patterns):
        return None
    out: list = []
    for source in cls.sources:
        if source is None:
            out.append(None)
            continue
        whole, branches = _required_shadows(source, cls.ignorecase)
        out.append((_compile_shadow(whole, cls.ignorecase),
                    None if branches is None else tuple(_compile_shadow(b, cls.ignorecase) for b in branches)))
    return tuple(out)


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


def _trim(text: str, s: int, e: int) -> tuple[int, int]:
    while s < e and text[s] in _TRIM:
        s += 1
    while e > s and text[e - 1] in _TRIM:
        e -= 1
    return s, e


# -- the text a pack rule sees ------------------------------------------------

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
        self.doc = doc
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


def _views(doc) -> _Views:
    v = doc.__dict__.get("_newslint_pack_views")
    if v is None:
        v = doc.__dict__["_newslint_pack_views"] = _Views(doc)
    return v


# -- loading -------------------------------------------------------------------


@dataclass
class PackSource:
    label: str  # the file name shown in messages
    text: str


def _line_of(node: Any) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def _child(node: Any, key: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _str_list(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def _compile(pattern: str, flags: int, where: str) -> Any:
    try:
        return regex.compile(pattern, flags)
    except regex.error as exc:
        raise PackError(f"{where}: bad pattern {pattern!r}: {exc}") from None


def _bounded(body: str) -> str:
    """Word boundaries for tokens: no word character before; after, no word
    character other than Hangul, so Korean particles may follow (`뉴스는`)."""
    return rf"(?<!\w)(?:{body})(?![^\W\p{{Hangul}}])"


def _docstring(spec: dict[str, Any], label: str) -> str:
    scopes = ", ".join(f"`{s}`" for s in spec["_scopes"])
    parts = [spec["summary"].strip(), ""]
    what = spec.get("description") or ""
    auto = f"{'An' if spec['_kind'] == 'existence' else 'A'} `{spec['_kind']}` rule from the pack `{label}`; it looks at {scopes}."
    parts += ["## What it does", (what.strip() + "\n\n" + auto) if what else auto, ""]
    if spec.get("_patterns_doc"):
        parts += ["Patterns (regular expressions" + (", case-insensitive" if spec.get("ignorecase") else "") + "):", ""]
        parts += [f"- `{p}`" for p in spec["_patterns_doc"]]
        parts.append("")
    if spec.get("followed-by-link") is not None:
        parts += [f"A match counts only when a link starts within {spec['followed-by-link']} characters after it.", ""]
    if spec.get("why"):
        parts += ["## Why is this bad?", spec["why"].strip(), ""]
    if spec.get("example"):
        parts += ["## Example", "```markdown", spec["example"].rstrip("\n"), "```", ""]
    if spec.get("instead"):
        parts += ["## Use instead", "```markdown", spec["instead"].rstrip("\n"), "```", ""]
    parts += ["## Options", "None: change the pack or write a pack of your own (see README, \"Rule packs\")."]
    return "\n".join(parts)


def _load_yaml(text: str, fast: bool = False) -> tuple[Any, Any]:
    """The pack's node tree (for line numbers) and its data.

    ``fast``: with PyYAML's C loader when there is one (the pure Python
    loader took 5 ms of every start-up for the shipped packs, which tests
    read both ways); a pack the C loader rejects is read again with the
    Python loader, whose error is the one reported. Site packs are read with
    the Python loader only, as they always were.
    """
    loader = getattr(yaml, "CSafeLoader", None) if fast else None
    if loader is not None:
        try:
            return yaml.compose(text, Loader=loader), yaml.load(text, Loader=loader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader), yaml.safe_load(text)


def parse_pack(source: PackSource, *, require_code: bool, module: str | None = None,
               fast_yaml: bool = False) -> list[type[PackRule]]:
    """Build the rule classes of one pack. Raises PackError naming file and line."""
    label = source.label
    try:
        root, data = _load_yaml(source.text, fast_yaml)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise PackError(f"{label}{line}: not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise PackError(f"{label}:1: a pack is a mapping with a `rules` list")
    for key in data:
        if key not in _PACK_KEYS:
            raise PackError(f"{label}:{_line_of(_child(root, str(key)))}: unknown key `{key}` in pack "
                            f"(allowed: {', '.join(sorted(_PACK_KEYS))})")
    rules = data.get("rules")
    rules_node = _child(root, "rules")
    if not isinstance(rules, list) or not rules:
        raise PackError(f"{label}:{_line_of(rules_node or root)}: `rules` must be a non-empty list")
    out: list[type[PackRule]] = []
    for i, spec in enumerate(rules):
        node = rules_node.value[i] if isinstance(rules_node, yaml.SequenceNode) and i < len(rules_node.value) else None
        where = f"{label}:{_line_of(node)}"
        if not isinstance(spec, dict):
            raise PackError(f"{where}: each rule is a mapping")
        name = spec.get("name")
        if isinstance(name, str):
            where += f" (rule `{name}`)"
        for key in spec:
            if key not in _RULE_KEYS:
                import difflib

                close = difflib.get_close_matches(str(key), sorted(_RULE_KEYS), n=1)
                hint = f" (did you mean `{close[0]}`?)" if close else ""
                raise PackError(f"{label}:{_line_of(_child(node, str(key)))}: unknown key `{key}` in pack rule{hint}")
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise PackError(f"{where}: `name` must be a kebab-case string such as `promo-click-here`")
        code = spec.get("code")
        if code is None and require_code:
            raise PackError(f"{where}: `code` is required")
        if code is not None and (not isinstance(code, str) or not re.match(r"^[A-Z][A-Z0-9-]*$", code)):
            raise PackError(f"{where}: `code` must be an upper-case id such as NL701")
        kind = spec.get("extends", "existence")
        if kind not in KINDS:
            raise PackError(f"{where}: `extends` must be one of {', '.join(KINDS)}, not {kind!r}")
        for req in ("message", "summary"):
            if not isinstance(spec.get(req), str) or not spec[req].strip():
                raise PackError(f"{where}: `{req}` is required (a string)")
        severity = spec.get("severity", "warning")
        if severity not in SEVERITIES:
            raise PackError(f"{where}: `severity` must be one of {', '.join(SEVERITIES)}, not {severity!r}")
        scopes = _str_list(spec.get("scope"))
        if not scopes or any(s not in SCOPES for s in scopes):
            raise PackError(f"{where}: `scope` must name one or more of {', '.join(SCOPES)}")
        for key in ("ignorecase", "nonword"):
            if key in spec and not isinstance(spec[key], bool):
                raise PackError(f"{where}: `{key}` must be true or false")
        fbl = spec.get("followed-by-link")
        if fbl is not None and (isinstance(fbl, bool) or not isinstance(fbl, int) or fbl < 0):
            raise PackError(f"{where}: `followed-by-link` must be a number of characters")
        for key in ("description", "why", "example", "instead"):
            if key in spec and not isinstance(spec[key], str):
                raise PackError(f"{where}: `{key}` must be a string")
        tags = _str_list(spec.get("tags", []))
        if tags is None:
            raise PackError(f"{where}: `tags` must be a list of strings")
        flags = regex.IGNORECASE if spec.get("ignorecase") else 0
        patterns: list[tuple[Any, str | None]] = []
        prefilters: list[tuple[str, ...] | None] = []
        alternatives: list[Any] = []
        anchors: list[Any] = []
        sources: list[str] = []
        shown: list[str] = []
        if kind == "existence":
            if "swap" in spec:
                raise PackError(f"{where}: `swap` belongs to `extends: substitution`")
            tokens = _str_list(spec.get("tokens", []))
            raws = _str_list(spec.get("raw", []))
            if tokens is None or raws is None:
                raise PackError(f"{where}: `tokens` and `raw` must be lists of strings")
            if not tokens and not raws:
                raise PackError(f"{where}: an existence rule needs `tokens` or `raw`")
            if tokens:
                for t in tokens:
                    _compile(t, flags, where)  # name the bad token itself
                body = "|".join(f"(?:{t})" for t in tokens)
                pat = body if spec.get("nonword") else _bounded(body)
                patterns.append((_compile(pat, flags, where), None))
                prefilters.append(_required_literals(body, bool(flags)))
                alternatives.append(_required_alternatives(body, bool(flags)))
                anchors.append(_required_anchors(body, bool(flags)))
                sources.append(body)
                shown.append(pat)
            for r in raws:
                patterns.append((_compile(r, flags, where), None))
                prefilters.append(_required_literals(r, bool(flags)))
                alternatives.append(_required_alternatives(r, bool(flags)))
                anchors.append(_required_anchors(r, bool(flags)))
                sources.append(r)
                shown.append(r)
        else:
            swap = spec.get("swap")
            if not isinstance(swap, dict) or not swap or not all(isinstance(k, str) and isinstance(v, str) for k, v in swap.items()):
                raise PackError(f"{where}: a substitution rule needs `swap`, a mapping of pattern to suggestion")
            if "tokens" in spec or "raw" in spec:
                raise PackError(f"{where}: `tokens` and `raw` belong to `extends: existence`")
            for bad, good in swap.items():
                pat = bad if spec.get("nonword") else _bounded(bad)
                patterns.append((_compile(pat, flags, where), good))
                prefilters.append(_required_literals(bad, bool(flags)))
                alternatives.append(_required_alternatives(bad, bool(flags)))
                anchors.append(_required_anchors(bad, bool(flags)))
                sources.append(bad)
                shown.append(f"{bad}` -> `{good}")
        spec = dict(spec, _scopes=scopes, _kind=kind, _patterns_doc=shown)
        cls_name = "Pack_" + name.replace("-", "_")
        attrs = {
            "__doc__": _docstring(spec, Path(label).name),
            "__module__": module or __name__,
            "__qualname__": cls_name,
            "name": name,
            "code": code or name,
            "severity": severity,
            "fix": None,
            "tags": ("pack", *tags),
            "options": {},
            "kind": kind,
            "scopes": tuple(scopes),
            "message": spec["message"],
            "patterns": tuple(patterns),
            "prefilters": tuple(prefilters),
            "alternatives": tuple(alternatives),
            "anchors": tuple(anchors),
            "sources": tuple(sources),
            "ignorecase": bool(flags),
            "followed_by_link": fbl,
            "pack_file": label,
        }
        out.append(type(cls_name, (PackRule,), attrs))
    names = [r.name for r in out]
    for n in names:
        if names.count(n) > 1:
            raise PackError(f"{label}: rule `{n}` is defined twice")
    return out


def shipped_packs() -> list[PackSource]:
    return [PackSource(f"rules/packs/{name}", policy_data.read_text(f"packs/{name}"))
            for name in policy_data.names("packs") if name.endswith((".yaml", ".yml"))]


def shipped_pack_rules() -> list[type[PackRule]]:
    """The rules of the packs that ship with newslint (module-level, so they pickle)."""
    this = sys.modules[__name__]
    out: list[type[PackRule]] = []
    for source in shipped_packs():
        for cls in parse_pack(source, require_code=True, fast_yaml=True):
            setattr(this, cls.__qualname__, cls)
            out.append(cls)
    return out


_SITE_CACHE: dict[tuple[str, str], list[type[PackRule]]] = {}


def site_pack_rules(paths: Iterable[str]) -> list[type[PackRule]]:
    """The rules of a site's own packs (cached by file content)."""
    out: list[type[PackRule]] = []
    for path in paths:
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PackError(f"{path}: cannot read rule pack: {getattr(exc, 'strerror', None) or exc}") from None
        import hashlib  # site packs only

        key = (str(path), hashlib.sha256(text.encode("utf-8")).hexdigest())
        rules = _SITE_CACHE.get(key)
        if rules is None:
            rules = _SITE_CACHE[key] = parse_pack(PackSource(str(path), text), require_code=False,
                                                   module="newslint.site_packs")
        out.extend(rules)
    return out
