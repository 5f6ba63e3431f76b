"""The fix algebra: which fixes apply together, and applying their edits to a text.

A fix is a set of :class:`~newslint.model.Edit` spans of ``Document.text``.
Fixes are applied in passes: the non-overlapping ones (sorted by start; a fix
whose edits overlap an accepted one waits for the next pass; the edits of one
fix are all applied or none), from the end backwards. New line characters in
an edit take the line ending of the line they land on. :class:`_Rope` keeps,
through every pass, which spans of the original text the edits replaced (the
fixer's verification reads them).
"""

from __future__ import annotations

import bisect
import sys
from dataclasses import dataclass, replace
from typing import Iterable

from .document import Document
from .linter import fix_guards, guarded
from .model import Edit, Fix, Violation


@dataclass
class AppliedEdit:
    """One edit the fixer applied, in the coordinates of the text of its pass."""

    rule: str
    start: int
    end: int
    old: str
    new: str


def wanted(fix: Fix | None, unsafe: bool) -> bool:
    if fix is None or not fix.edits:
        return False
    return fix.applicability == "safe" or (unsafe and fix.applicability == "unsafe")


def _conflict(a: Edit, b: Edit) -> bool:
    """True when two edits cannot both be applied in one pass."""
    if a.start < b.end and b.start < a.end:
        return True
    # Two insertions at the same point: their order would be arbitrary.
    return a.start == a.end == b.start == b.end


def _valid(fix: Fix, text: str) -> bool:
    prev_end = -1
    for e in sorted(fix.edits, key=lambda e: (e.start, e.end)):
        if not (0 <= e.start <= e.end <= len(text)) or e.start < prev_end:
            return False
        prev_end = e.end
    return True


def _is_noop(fix: Fix, text: str) -> bool:
    return all(text[e.start : e.end] == e.content for e in fix.edits)


def fixable(violations: Iterable[Violation], doc: Document, unsafe: bool) -> list[Violation]:
    """The violations whose fix the fixer would apply to ``doc``."""
    guards = fix_guards(doc) if any(wanted(v.fix, unsafe) for v in violations) else []
    out = []
    for v in violations:
        fix = v.fix
        if not wanted(fix, unsafe):
            continue
        assert fix is not None
        if not _valid(fix, doc.text) or _is_noop(fix, doc.text):
            continue
        if guarded(fix, guards):  # the linter withholds these already; never trust it blindly
            continue
        keep = _keep_final_newline_state(fix, doc.text)
        out.append(v if keep is fix else replace(v, fix=keep))
    return out


def _keep_final_newline_state(fix: Fix, text: str) -> Fix:
    """A fix deleting whole last lines of a file without a final newline also
    deletes the line break before them, so the file still ends without one."""
    last = fix.edits[-1]
    if (text.endswith("\n") or last.content or last.end != len(text) or last.start == 0
            or text[last.start - 1] != "\n"):
        return fix
    start = last.start - (2 if text[last.start - 2 : last.start] == "\r\n" else 1)
    if len(fix.edits) > 1 and fix.edits[-2].end > start:
        return fix
    return Fix((*fix.edits[:-1], Edit(start, last.end, "")), fix.applicability, fix.message)


def select_fixes(candidates: list[Violation]) -> tuple[list[Violation], list[Violation]]:
    """Split candidates into (applied now, duplicates of an applied fix).

    Sorted by their first edit; a fix that overlaps an accepted one is left for
    the next pass. A fix identical to an accepted one counts as applied.
    """
    order = sorted(candidates, key=lambda v: (v.fix.edits[0].start, v.fix.edits[-1].end, v.rule))  # type: ignore[union-attr]
    accepted: list[Violation] = []
    duplicates: list[Violation] = []
    # The accepted edits, sorted by (start, end). They do not overlap, so their
    # ends are sorted too: an edit is checked only against its neighbours
    # (O(log n) each, not O(n): 20,000 zero width spaces took minutes).
    keys: list[tuple[int, int]] = []
    taken: list[Edit] = []
    seen: set[tuple[Edit, ...]] = set()

    def clashes(e: Edit) -> bool:
        i = bisect.bisect_right(keys, (e.end, sys.maxsize))
        while i > 0:
            i -= 1
            t = taken[i]
            if t.end < e.start:
                return False
            if _conflict(e, t):
                return True
        return False

    for v in order:
        edits = v.fix.edits  # type: ignore[union-attr]
        if edits in seen:
            duplicates.append(v)
            continue
        if any(clashes(e) for e in edits):
            continue
        accepted.append(v)
        for e in edits:
            i = bisect.bisect_right(keys, (e.start, e.end))
            keys.insert(i, (e.start, e.end))
            taken.insert(i, e)
        seen.add(edits)
    return accepted, duplicates


def line_ending_at(text: str, offset: int) -> str | None:
    """The line ending of the line holding ``offset`` ("\\r\\n" or "\\n"), None without newlines."""
    nl = text.find("\n", offset)
    if nl == -1:
        nl = text.rfind("\n", 0, offset)
        if nl == -1:
            return None
    return "\r\n" if nl > 0 and text[nl - 1] == "\r" else "\n"


def adapt_newlines(content: str, ending: str | None) -> str:
    """Give the new lines of an edit's content the ending of the line they land on."""
    if ending is None or "\n" not in content:
        return content
    content = content.replace("\r\n", "\n")
    return content.replace("\n", ending) if ending == "\r\n" else content


def apply_edits(text: str, violations: list[Violation]) -> tuple[str, list[AppliedEdit]]:
    """Apply the (non-overlapping) edits of ``violations`` from the end backwards."""
    edits: list[tuple[Edit, str]] = []
    for v in violations:
        for e in v.fix.edits:  # type: ignore[union-attr]
            edits.append((e, v.rule))
    edits.sort(key=lambda pair: (pair[0].start, pair[0].end))
    applied: list[AppliedEdit] = []
    parts: list[str] = []
    pos = len(text)
    for e, rule in reversed(edits):
        content = adapt_newlines(e.content, line_ending_at(text, e.start))
        parts.append(text[e.end : pos])
        parts.append(content)
        pos = e.start
        applied.append(AppliedEdit(rule, e.start, e.end, text[e.start : e.end], content))
    parts.append(text[:pos])
    applied.reverse()
    return "".join(reversed(parts)), applied


# ---------------------------------------------------------------------------
# Where the edits landed, in original coordinates
# ---------------------------------------------------------------------------
class _Rope:
    """The current text as pieces of the original and inserted strings.

    It tells which spans of the original text the passes touched, whatever the
    number of passes (used to decide which front matter keys may change).
    """

    def __init__(self, length: int) -> None:
        self.pieces: list[tuple[int, int] | str] = [(0, length)] if length else []

    @staticmethod
    def _len(p: tuple[int, int] | str) -> int:
        return len(p) if isinstance(p, str) else p[1] - p[0]

    def _slice(self, start: int, end: int) -> list[tuple[int, int] | str]:
        out: list[tuple[int, int] | str] = []
        pos = 0
        for p in self.pieces:
            n = self._len(p)
            lo, hi = max(start, pos), min(end, pos + n)
            if lo < hi:
                if isinstance(p, str):
                    out.append(p[lo - pos : hi - pos])
                else:
                    out.append((p[0] + lo - pos, p[0] + hi - pos))
            pos += n
            if pos >= end:
                break
        return out

    def apply(self, applied: list[AppliedEdit], total: int) -> None:
        new: list[tuple[int, int] | str] = []
        cur = 0
        for e in applied:
            new.extend(self._slice(cur, e.start))
            if e.new:
                new.append(e.new)
            cur = e.end
        new.extend(self._slice(cur, total))
        self.pieces = new

    def render(self, original: str) -> str:
        return "".join(p if isinstance(p, str) else original[p[0] : p[1]] for p in self.pieces)

    def edits(self, length: int) -> list[Edit]:
        """Every pass at once, as edits to the original text (sorted, none
        overlapping): what an editor applies to its buffer to get the fixed text."""
        out: list[Edit] = []
        cur = 0
        inserted: list[str] = []
        for p in self.pieces:
            if isinstance(p, str):
                inserted.append(p)
                continue
            if p[0] != cur or inserted:
                out.append(Edit(cur, p[0], "".join(inserted)))
            cur = p[1]
            inserted = []
        if cur != length or inserted:
            out.append(Edit(cur, length, "".join(inserted)))
        return out

    def touched(self, length: int) -> list[tuple[int, int]]:
        """Spans of the original that were replaced (an insertion is an empty span)."""
        out: list[tuple[int, int]] = []
        cur = 0
        pending_insert = False
        for p in self.pieces:
            if isinstance(p, str):
                pending_insert = True
                continue
            if p[0] != cur or pending_insert:
                out.append((cur, p[0]))
            cur = p[1]
            pending_insert = False
        if cur != length or pending_insert:
            out.append((cur, length))
        return out
