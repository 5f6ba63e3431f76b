"""The prefilters of a pack rule: the fast path that decides, most often
without running a pattern, that a post or segment cannot hold a match.

Most posts hold no promo phrase, and for them the whole cost of a pack rule
is deciding so. A pattern's required literals (see ``_literals``) are looked
for in the body first (in the whole file for a rule that reads the front
matter), then in the Markdown body without code, URLs
and syntax (``html_source``), where what must follow a literal (anchors) and
a simplified copy of the pattern (its shadow, see ``_shadows``) are checked
too; only then are the views built and the patterns run, each segment
filtered again. Every stage only ever skips text where a pattern cannot
match: tests/test_pack_prefilter.py compares findings with and without a plan.

This module is the fast path's only entry: :class:`Plan`.
"""

from __future__ import annotations

import re

from ..chartables import non_ascii
from ._haystack import (
    _CHARS,
    _TEXT,
    _anchored,
    _byte_alternatives,
    _byte_anchors,
    _byte_fold,
    _byte_prefilters,
    _clauses_hold,
    _contains,
    _fold,
    _fold_to_ascii,
    _holds_folds_to_ascii,
    _Hays,
    _text_literal,
    _utf8_of,
)
from ._literals import _required_alternatives, _required_anchors, _required_literals
from ._shadows import _rule_shadows
from .views import _INLINE_TAGS, _INLINE_TAGS_NOT_A

MATCH_TIMEOUT = 0.25  # seconds: the time limit for one regex call on one text (the rules' too)

# The scopes whose texts are all made from the Markdown view's ``html_source``.
_SOURCE_SCOPES = frozenset(("body", "link"))


class Plan:
    """A pack rule's prefilters, ready to run (one per rule class: its ``plan``).

    ``sources``: per pattern, the text its prefilters are read from (the
    tokens' alternation without the word boundaries, a raw pattern, a swap
    key), or None for no prefilter. The literals are read when the plan is
    made (when the pack loads); the shadows are compiled when first needed
    (:meth:`with_shadows`), which a run on posts without the literals never is.
    ``use_bytes=False``: ignore-case literals in the folded text only, never
    in the byte-folded one (for the tests that compare the two).
    """

    def __init__(self, sources: tuple[str | None, ...], ignorecase: bool, scopes: tuple[str, ...],
                 *, use_bytes: bool = True) -> None:
        self.sources = tuple(sources)
        self.ignorecase = ignorecase
        self.use_bytes = use_bytes
        self.source_scopes = _SOURCE_SCOPES.issuperset(scopes)
        self.link_scope = "link" in scopes
        self.prefilters = tuple(None if s is None else _required_literals(s, ignorecase) for s in self.sources)
        self.alternatives = tuple(None if s is None else _required_alternatives(s, ignorecase) for s in self.sources)
        self.anchors = tuple(None if s is None else _required_anchors(s, ignorecase) for s in self.sources)
        self._with_shadows = False
        self._build(None)

    def _build(self, shadows) -> None:
        # Without ignorecase: the text and the literals as written. With it: the
        # byte-folded text and UTF-8 literals when every literal can be one
        # (ASCII and Hangul: see _byte_fold), else the folded text and the folded literals, without shadows (they
        # are made for the bytes).
        prefilters, alternatives, anchors = self.prefilters, self.alternatives, self.anchors
        self.text = _Program(prefilters, alternatives, anchors, None if self.ignorecase else shadows)
        self.bytes = None
        byte_prefilters = _byte_prefilters(prefilters) if self.ignorecase and self.use_bytes else None
        if byte_prefilters is not None:
            self.bytes = _Program(byte_prefilters, _byte_alternatives(alternatives), _byte_anchors(anchors), shadows,
                                  _text_literal)
        self.has_shadows = shadows is not None and any(s is not None for s in shadows)

    def with_shadows(self) -> "Plan":
        """The plan with its shadows, compiled when first needed."""
        if not self._with_shadows:
            self._with_shadows = True
            if self.sources:
                self._build(_rule_shadows(self.sources, self.ignorecase))
        return self

    def doc_may_match(self, doc) -> bool:
        """A pattern may match somewhere in ``doc`` (checked before any view is built)."""
        if self.source_scopes:
            # Every text the body and link scopes see is a copy of the body
            # with characters blanked (to spaces and "\x1f", which no prefilter
            # literal holds): a literal missing from the body is in none of
            # them, however often the front matter holds it (tags, categories,
            # image URLs). Most posts stop here.
            body = doc.__dict__.get("_newslint_pack_body")
            if body is None:
                body = _body_of(doc)
            prog = self.bytes
            if prog is not None:
                # The literals in the body's bytes, lower-cased when an ASCII
                # one is first looked for; decided without them when nothing
                # is left to look for (a Korean-only rule on an English post:
                # no branch left).
                clauses = prog.ascii_file if body.ascii else prog.file
                if clauses is not None and not _body_holds(body, clauses):
                    return False
            elif not self._hays_may_match(body.text_hays()):
                return False
            if doc.kind == "markdown":
                # Then the body with code, autolinks, link destinations and
                # Markdown syntax blanked (the HTML tree's input): every text
                # the body and link scopes see is a copy of it with more
                # blanked, so a literal missing here is in none of them.
                return self.source_may_match(doc)
            return True
        return self.file_may_match(doc)

    def _pick(self, hays: _Hays) -> tuple:
        """(program, haystack, memo) for ``hays``."""
        if self.bytes is not None:
            got = hays.bytes
            if got is None:
                data = _byte_fold(hays.text, hays.utf8, hays.chars)
                memo = {_TEXT: hays.text} if hays.chars is None else {_TEXT: hays.text, _CHARS: hays.chars}
                got = hays.bytes = (data, memo)
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
        return self._hays_may_match(_file_hays(doc))

    def _hays_may_match(self, hays: _Hays) -> bool:
        """A pattern's literals may all be in ``hays`` (the file's or the body's)."""
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
            hays = d["_newslint_pack_source"] = _Hays(src, doc.markdown.html_source_utf8())
        prog, hay, memo = self._pick(hays)
        patterns = prog.ascii_patterns if hays.ascii else prog.patterns
        if not self.has_shadows or not _inline_tag_spans(doc, self.link_scope):
            # Nothing to blank: the shadows look at html_source itself, first.
            return any(branches is None or _branches_may_match(hay, memo, branches, self.has_shadows)
                       for branches in patterns)
        # Inline tags: literals and anchors first, and only then the shadows,
        # in a copy with the tags blanked (made once per document, and only
        # for the few posts whose literals pass).
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


def _file_hays(doc) -> _Hays:
    """The whole file as a haystack (kept on the document: every pack rule asks)."""
    d = doc.__dict__
    hays = d.get("_newslint_pack_file")
    if hays is None:
        hays = d["_newslint_pack_file"] = _Hays(doc.text, _utf8_of(doc))
        if not hays.ascii:
            # The file is only ever asked whether a literal may be there.
            hays.chars = non_ascii(doc)
    return hays


class _Body:
    """The body as the body-level prefilters look at it: made once per
    document, shared by every pack rule, and what each literal gave there.

    ``raw[start:]`` is the body as UTF-8 (the file's own bytes when they are
    the text's: no copy); ``low`` stands for its :func:`_byte_fold`, made
    when an ASCII literal is first looked for (see :meth:`lowered`) and
    searched from ``start``. The text, its asciiness and its characters that
    are not ASCII (``chars``, where a literal without ASCII is looked for)
    are the whole file's, a superset, which answers "may be there" just as
    well and costs no copy."""

    __slots__ = ("text", "ascii", "raw", "start", "low", "chars", "memo", "_hays")

    def __init__(self, text: str, raw: bytes, start: int, chars: str | None) -> None:
        self.text = text
        self.ascii = chars is None
        self.raw = raw
        self.start = start
        self.low: bytes | None = None
        self.chars = chars
        self.memo: dict = {}
        self._hays: _Hays | None = None

    def lowered(self) -> bytes:
        """``low``: the whole file lower-cased (no copy of the body made
        first), or, when the body may hold one of the four of
        _FOLDS_TO_ASCII, the body alone made as _byte_fold makes it."""
        raw, start = self.raw, self.start
        if self.chars is not None and _holds_folds_to_ascii(raw, start, self.chars):
            # (lower() changes no byte that is not ASCII: the four are looked for before it)
            low = self.low = _fold_to_ascii(raw[start:].lower())
            self.start = 0
            return low
        low = self.low = raw.lower()
        return low

    def text_hays(self) -> _Hays:
        """The file's text as a haystack, for a rule without byte prefilters."""
        hays = self._hays
        if hays is None:
            hays = self._hays = _Hays(self.text)
            hays.chars = self.chars
        return hays


def _body_of(doc) -> _Body:
    """The body of ``doc`` as a :class:`_Body`, kept on the document."""
    text, start = doc.text, doc.body_start
    utf8 = _utf8_of(doc)
    if utf8 is None:
        utf8, start = text[start:].encode("utf-8", "surrogatepass"), 0
    elif start and not text.isascii():
        head = text[:start]
        if not head.isascii():
            start = len(head.encode("utf-8", "surrogatepass"))
    body = doc.__dict__["_newslint_pack_body"] = _Body(text, utf8, start, None if text.isascii() else non_ascii(doc))
    return body


def _body_holds(body: _Body, branches) -> bool:
    """A branch of ``branches`` (of a bytes program) has all its clauses in
    the body: _clauses_hold and _contains in one loop, over the body's
    bytes from its start, with one memo for every rule."""
    memo = body.memo
    for clauses in branches:
        for clause in clauses:
            for lit in clause:
                got = memo.get(lit)
                if got is None:
                    if lit.__class__ is tuple:
                        # No ASCII: among the characters that are not ASCII
                        # (see _contains), one character first.
                        chars, word = body.chars, lit[1]
                        got = True
                        for ch in word:
                            if ch not in chars:
                                got = False
                                break
                        if got:
                            got = word in chars
                    else:
                        low = body.low
                        if low is None:
                            low = body.lowered()
                        got = low.find(lit, body.start) != -1
                    memo[lit] = got
                if got:
                    break
            else:
                break  # a clause without its literals: the next branch
        else:
            return True
    return False


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


