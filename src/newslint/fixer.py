"""Apply fixes: span edits on the original text, verified, written atomically.

A fix is a set of :class:`~newslint.model.Edit` spans of ``Document.text``.
The fixer never re-serialises anything: every byte outside the applied spans is
the byte that was read (BOM, line endings, final newline included).

One file, step by step (:func:`fix_file`):

1. Refuse symlinks and non-regular files (``os.lstat``); read the bytes once.
   Files that cannot be written as they are (read-only, hard-linked: a
   rename would leave the other names with the old text) are linted and
   reported, never written.
2. Lint; collect the fixes of the wanted applicability (``safe``, or ``safe``
   and ``unsafe``). Fixes that edit a broken front matter are dropped.
3. Apply the non-overlapping ones (sorted by start; a fix whose edits overlap an
   accepted one waits for the next pass; the edits of one fix are all applied or
   none), from the end backwards. New line characters in an edit take the line
   ending of the line they land on.
4. Re-parse, re-lint, repeat until no fix is left: at most :data:`MAX_PASSES`
   passes; a state seen before means the fixes oscillate. Either way the file
   is not converging: nothing is written and ``fix-not-converged`` names the
   rules involved.
5. Verify the result against the original: front matter that parsed still
   parses, its data changed only at keys an edit touched, the HTML has no new
   problems, no rule reports more findings than before, no line ending changed.
   Otherwise nothing is written and ``fix-reverted`` names the rules.
6. Write atomically: a temp file next to the post (``O_TMPFILE`` where the
   system has it, so an interrupted write leaves no named file), ``fsync``, the
   original's mode and owner, a last check that the file on disk still holds the bytes we
   read (``fix-write-refused`` "changed on disk" otherwise), then
   ``os.replace``. The temp file is removed on any error.

The problems the fixer reports are violations with their own names:
``fix-not-converged`` and ``fix-reverted`` (newslint failed: exit code 3) and
``fix-write-refused`` (the file could not or must not be written: an error
finding, the other files are still fixed).
"""

from __future__ import annotations

import bisect
import difflib
import errno
import hashlib
import os
import stat
import sys
import time
from collections import Counter
from dataclasses import dataclass, field, replace
from typing import Any, Iterable, Iterator, TextIO

from .config import Config
from .document import Document
from .cache import digest, stat_signature
from .linter import (RULE_CRASHED, Prepared, fix_guards, guarded, internal_error_violation, lint_document, lint_path,
                     unreadable_violations)
from .model import FAILURE_RULES, Edit, Fix, Violation
from .ruleapi import Rule

MAX_PASSES = 10
TEMP_PREFIX = ".newslint-"
TEMP_SUFFIX = ".tmp"

NOT_CONVERGED = ("fix-not-converged", "NL990")
REVERTED = ("fix-reverted", "NL991")
WRITE_REFUSED = ("fix-write-refused", "NL992")



# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------
@dataclass
class AppliedEdit:
    """One edit the fixer applied, in the coordinates of the text of its pass."""

    rule: str
    start: int
    end: int
    old: str
    new: str


@dataclass
class TextFix:
    """The outcome of fixing a text in memory (nothing read or written)."""

    original: str
    text: str  # the fixed text (== original when nothing applied or reverted)
    violations: list[Violation]  # what remains after fixing (or the original findings)
    original_violations: list[Violation]
    fixed: int = 0  # findings that fixing made go away (see the end of fix_text)
    fixed_rules: Counter = field(default_factory=Counter)
    passes: list[list[AppliedEdit]] = field(default_factory=list)
    problems: list[Violation] = field(default_factory=list)
    # Spans of ``original`` the applied edits replaced (an insertion is an empty span).
    touched: list[tuple[int, int]] = field(default_factory=list)
    # The fixed text rebuilt from the original and the recorded edits (a cross-check).
    rebuilt: str | None = None

    @property
    def changed(self) -> bool:
        return self.text != self.original

    @property
    def failed(self) -> bool:
        return any(p.rule in FAILURE_RULES for p in self.problems)


@dataclass
class FixResult:
    """What :func:`fix_file` did to one file."""

    path: str
    changed: bool = False  # the file was written (or, with write=False, would be)
    written: bool = False
    fixed: int = 0
    violations: list[Violation] = field(default_factory=list)  # remaining findings
    problems: list[Violation] = field(default_factory=list)  # the fixer's own findings
    original_text: str | None = None
    new_text: str | None = None
    internal_error: bool = False
    timed_out: bool = False
    # The content on disk when done (read, or written by the fix): its digest,
    # stat signature and when it was read, for the results cache.
    digest: str | None = None
    stat: tuple[int, int, int, int] | None = None
    read_at: int = 0

    @property
    def failed(self) -> bool:
        return self.internal_error or any(p.rule in FAILURE_RULES for p in self.problems)

    def diff(self) -> str:
        """A unified diff of what fixing changes (empty when nothing does)."""
        if self.original_text is None or self.new_text is None or self.original_text == self.new_text:
            return ""
        return unified_diff(self.path, self.original_text, self.new_text)

    @property
    def all_violations(self) -> list[Violation]:
        return sorted([*self.violations, *self.problems], key=Violation.sort_key)


def unified_diff(path: str, before: str, after: str) -> str:
    a = before.splitlines(keepends=True)
    b = after.splitlines(keepends=True)
    out = []
    rel = not os.path.isabs(path)
    for line in difflib.unified_diff(a, b, fromfile=f"a/{path}" if rel else path, tofile=f"b/{path}" if rel else path):
        if not line.endswith("\n"):
            line += "\n\\ No newline at end of file\n"
        out.append(line)
    return "".join(out)


def _problem(path: str, kind: tuple[str, str], message: str, line: int = 1, column: int = 1) -> Violation:
    return Violation(path=path, line=line, column=column, end_line=line, end_column=column,
                     rule=kind[0], code=kind[1], severity="error", message=message)


# ---------------------------------------------------------------------------
# Choosing and applying edits
# ---------------------------------------------------------------------------
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


# ---------------------------------------------------------------------------
# Fixing a text
# ---------------------------------------------------------------------------
def _lint(doc: Document, config: Config, rules: list[type[Rule]] | None,
          prepared: Prepared | None = None) -> list[Violation]:
    return lint_document(doc, config, rules, prepared=prepared)


def fix_text(text: str, path: str, config: Config, *, bom: bool = False, unsafe: bool = False,
             rules: list[type[Rule]] | None = None, doc: Document | None = None,
             violations: list[Violation] | None = None, prepared: Prepared | None = None) -> TextFix:
    """Fix ``text`` in memory: loop, check convergence, verify. Never raises for rule bugs."""
    if prepared is None:
        prepared = Prepared(config, rules)
    if doc is None:
        doc = Document.from_text(text, path, bom=bom)
    if violations is None:
        violations = _lint(doc, config, rules, prepared)
    result = TextFix(original=text, text=text, violations=violations, original_violations=violations)
    if not doc.ok:
        return result
    rope = _Rope(len(text))
    seen = {hashlib.sha256(text.encode("utf-8", "surrogatepass")).digest()}
    cur_doc, cur_violations, cur_text = doc, violations, text
    involved: Counter = Counter()
    for pass_no in range(MAX_PASSES + 1):
        candidates = fixable(cur_violations, cur_doc, unsafe)
        if not candidates:
            break
        if pass_no == MAX_PASSES:
            names = sorted({v.rule for v in candidates} | set(involved))
            result.problems.append(_problem(path, NOT_CONVERGED,
                f"fixes did not converge after {MAX_PASSES} passes; nothing was written "
                f"(rules involved: {', '.join(names)})"))
            return _give_up(result)
        accepted, duplicates = select_fixes(candidates)
        new_text, applied = apply_edits(cur_text, accepted)
        for v in (*accepted, *duplicates):
            involved[v.rule] += 1
        digest = hashlib.sha256(new_text.encode("utf-8", "surrogatepass")).digest()
        if digest in seen:
            names = sorted(set(involved))
            result.problems.append(_problem(path, NOT_CONVERGED,
                f"fixes undo each other (pass {pass_no + 1} gives back an earlier text); nothing was "
                f"written (rules involved: {', '.join(names)})"))
            return _give_up(result)
        seen.add(digest)
        rope.apply(applied, len(cur_text))
        result.passes.append(applied)
        result.fixed += len(accepted) + len(duplicates)
        for v in (*accepted, *duplicates):
            result.fixed_rules[v.rule] += 1
        cur_text = new_text
        cur_doc = Document.from_text(cur_text, path, bom=bom)
        cur_violations = _lint(cur_doc, config, rules, prepared)
        crashed = _new_crashes(violations, cur_violations)
        if crashed:  # a rule failing on the fixed text: revert
            result.problems.append(_problem(path, REVERTED,
                f"a rule failed on the fixed text ({crashed}); the fixes were not written "
                f"(rules whose fixes were applied: {', '.join(sorted(result.fixed_rules))})"))
            return _give_up(result)
    if cur_text == text:
        return result
    reason = verify(doc, violations, cur_doc, cur_violations, rope.touched(len(text)))
    if reason is not None:
        result.problems.append(_problem(path, REVERTED,
            f"fixing would {reason}; the file was left unchanged "
            f"(rules whose fixes were applied: {', '.join(sorted(result.fixed_rules))})"))
        return _give_up(result)
    result.text = cur_text
    result.violations = cur_violations
    # "Fixed" counts the findings that went away, so that fixed + remaining is
    # what `newslint check` reported (one fix can settle several findings:
    # removing a spacer paragraph also removes its editor attributes).
    result.fixed = len(violations) - len(cur_violations)
    result.touched = rope.touched(len(text))
    result.rebuilt = rope.render(text)
    return result


def _new_crashes(before: list[Violation], after: list[Violation]) -> str:
    """The message of a ``rule-crashed`` finding the fixed text has and the original had not."""
    had = {v.message for v in before if v.rule == RULE_CRASHED[0]}
    return next((v.message for v in after if v.rule == RULE_CRASHED[0] and v.message not in had), "")


def _give_up(result: TextFix) -> TextFix:
    result.text = result.original
    result.violations = result.original_violations
    result.fixed = 0
    result.passes = []
    return result


# ---------------------------------------------------------------------------
# Verification
# ---------------------------------------------------------------------------
def _same(a: Any, b: Any) -> bool:
    """Deep equality that also holds for NaN and keeps 1 and True apart."""
    if type(a) is not type(b):
        return False
    if isinstance(a, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    if isinstance(a, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b))
    if isinstance(a, float) and a != a:
        return b != b
    return a == b


def _overlaps(span: tuple[int, int], touched: list[tuple[int, int]]) -> bool:
    s, e = span
    for a, b in touched:
        if a == b:
            if s <= a <= e:
                return True
        elif a < e and s < b:
            return True
    return False


def _key_spans(doc: Document) -> dict[str, tuple[int, int]]:
    """Top-level front matter key -> span from its line start to the end of its value."""
    fm = doc.front_matter
    import yaml

    out: dict[str, tuple[int, int]] = {}
    if fm is None or not isinstance(fm.node, yaml.MappingNode):
        return out
    for k, v in fm.node.value:
        if isinstance(k, yaml.ScalarNode):
            ks = fm.mark_offset(k.start_mark)
            start = doc.line_starts[doc.line_of(ks)]
            end = fm.mark_offset(v.end_mark)
            prev = out.get(k.value)
            out[k.value] = (min(prev[0], start), max(prev[1], end)) if prev else (start, end)
    return out


def _line_endings(text: str) -> tuple[int, int, int]:
    crlf = text.count("\r\n")
    return crlf, text.count("\n") - crlf, text.count("\r") - crlf


def verify(before: Document, before_v: list[Violation], after: Document, after_v: list[Violation],
           touched: list[tuple[int, int]]) -> str | None:
    """Why the fixed document must not be written (None when it may be)."""
    fb, fa = before.front_matter, after.front_matter
    if fb is not None and fb.closed and fb.error is None:
        if fa is None or not fa.closed or fa.error is not None:
            why = fa.error.message if fa is not None and fa.error is not None else "it disappeared"
            return f"break the front matter ({why})"
        if isinstance(fb.data, dict) and isinstance(fa.data, dict):
            fm_touched = [t for t in touched if t[0] < fb.end]
            if not fm_touched:
                if not _same(fb.data, fa.data):
                    return "change the front matter data although no fix edited it"
            else:
                spans = _key_spans(before)
                for key, value in fb.data.items():
                    span = spans.get(str(key))
                    if span is not None and _overlaps(span, fm_touched):
                        continue
                    if key not in fa.data or not _same(value, fa.data[key]):
                        return f"change the front matter key `{key}`, which no fix edited"
        elif not _same(fb.data, fa.data):
            return "change the front matter data"
    elif fb is None and fa is not None and fa.closed:
        return "create a front matter block"
    if len(after.html.problems) > len(before.html.problems):
        offset, msg = after.html.problems[-1]
        return f"break the HTML ({msg})"
    old = Counter(v.rule for v in before_v)
    new = Counter(v.rule for v in after_v)
    grown = sorted(r for r in new if new[r] > old.get(r, 0))
    if grown:
        return f"add findings ({', '.join(f'{r}: {old.get(r, 0)} -> {new[r]}' for r in grown)})"
    eb, ea = _line_endings(before.text), _line_endings(after.text)
    if (eb[0] == 0 and ea[0]) or (eb[1] == 0 and ea[1]) or ea[2] > eb[2]:
        return "change the line endings"
    return None


# ---------------------------------------------------------------------------
# Files
# ---------------------------------------------------------------------------
class ChangedOnDisk(Exception):
    pass


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def temp_name(path: str) -> str:
    d, base = os.path.split(path)
    return os.path.join(d, f"{TEMP_PREFIX}{base}{TEMP_SUFFIX}")


def _remove_stale_temp(tmp: str) -> None:
    """A temp file left by a run killed between link and rename: remove it."""
    try:
        st = os.lstat(tmp)
    except FileNotFoundError:
        return
    if stat.S_ISREG(st.st_mode):
        os.unlink(tmp)


# Whether O_TMPFILE + linkat works here (set False on the first failure).
_TMPFILE_OK = bool(getattr(os, "O_TMPFILE", 0)) and sys.platform.startswith("linux")
_AT_FDCWD, _AT_EMPTY_PATH = -100, 0x1000
_libc: Any = None


def _link_anonymous(fd: int, name: str) -> None:
    """Give the O_TMPFILE file ``fd`` a name: ``linkat(fd, "", AT_EMPTY_PATH)``, else via /proc."""
    global _libc
    try:
        if _libc is None:
            import ctypes

            _libc = ctypes.CDLL(None, use_errno=True)
        if _libc.linkat(fd, b"", _AT_FDCWD, os.fsencode(name), _AT_EMPTY_PATH) == 0:
            return
    except (OSError, AttributeError):
        pass
    os.link(f"/proc/self/fd/{fd}", name)


def remove_stale_temp_files(paths: Iterable[str]) -> list[str]:
    """Remove temp files a killed run left next to ``paths`` (``.newslint-<post>.tmp``)."""
    removed = []
    for d in sorted({os.path.dirname(p) or "." for p in paths}):
        try:
            names = os.listdir(d)
        except OSError:
            continue
        present = set(names)
        for name in names:
            if (name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)
                    and name[len(TEMP_PREFIX) : -len(TEMP_SUFFIX)] in present):
                try:
                    _remove_stale_temp(os.path.join(d, name))
                    removed.append(os.path.join(d, name))
                except OSError:
                    pass
    return removed


def _open_temp(path: str, tmp: str, anonymous: bool) -> tuple[int, bool]:
    """Open an unnamed temp file in the folder of ``path`` (O_TMPFILE) or a named one."""
    d = os.path.dirname(path) or "."
    flag = getattr(os, "O_TMPFILE", 0)
    if anonymous and flag:
        try:
            return os.open(d, flag | os.O_WRONLY, 0o600), True
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                raise
    return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), False


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def write_atomic(path: str, data: bytes, expected: bytes, mode: int,
                 owner: tuple[int, int] | None = None) -> None:
    """Replace ``path`` with ``data`` if it still holds the bytes hashed in ``expected``.

    The new file gets ``mode`` and, when given and possible, ``owner`` (uid,
    gid): root fixing an editor's post must not hand it to root.
    Raises :class:`ChangedOnDisk` or :class:`OSError`; the temp file never survives an error.
    """
    tmp = temp_name(path)
    _remove_stale_temp(tmp)
    global _TMPFILE_OK
    anonymous = _TMPFILE_OK
    while True:
        fd, anonymous = _open_temp(path, tmp, anonymous)
        named = not anonymous
        try:
            view = memoryview(data)
            while view:
                n = os.write(fd, view)
                view = view[n:]
            if owner is not None and hasattr(os, "fchown"):
                try:
                    os.fchown(fd, *owner)
                except PermissionError:
                    pass  # not ours to give away: the group may differ, the mode is kept
            os.fchmod(fd, stat.S_IMODE(mode))  # after fchown, which may clear set-id bits
            os.fsync(fd)
            if _sha(_read(path)) != expected:
                raise ChangedOnDisk()
            if anonymous:
                try:
                    _link_anonymous(fd, tmp)
                except OSError:
                    # No linkat through /proc here (a sandbox, another mount):
                    # use a named temp file from now on.
                    _TMPFILE_OK = anonymous = False
                    continue
                named = True
            os.replace(tmp, path)
            named = False
            break
        finally:
            os.close(fd)
            if named:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
    try:  # make the rename durable
        dfd = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass


def fix_file(path: str, config: Config, unsafe: bool = False, *, write: bool = True,
             rules: list[type[Rule]] | None = None, prepared: Prepared | None = None) -> FixResult:
    """Lint and fix one file. Never raises: every problem is a finding on the file.

    With ``write=False`` nothing is written (``--diff``): ``changed`` and
    ``new_text`` say what fixing would do.
    """
    result = FixResult(path)
    if prepared is None:
        prepared = Prepared(config, rules)
    try:
        return _fix_file(path, config, unsafe, write, prepared, result)
    except Exception as exc:  # one bad file never stops the run
        result.internal_error = True
        result.violations = [internal_error_violation(path, exc)]
        result.changed = result.written = False
        return result


def _fix_file(path: str, config: Config, unsafe: bool, write: bool, prepared: Prepared,
              result: FixResult) -> FixResult:
    rules = prepared.rules
    result.read_at = time.time_ns()
    try:
        st = os.lstat(path)
    except OSError as exc:
        return _unreadable(result, path, exc, config)
    if stat.S_ISLNK(st.st_mode) or not stat.S_ISREG(st.st_mode):
        what = "a symbolic link" if stat.S_ISLNK(st.st_mode) else "not a regular file"
        try:
            target_is_file = stat.S_ISLNK(st.st_mode) and stat.S_ISREG(os.stat(path).st_mode)
        except OSError:
            target_is_file = False
        if target_is_file:  # still lint what the link points to, never write through it
            result.violations = lint_path(path, config, rules, prepared=prepared).violations
        result.problems.append(_problem(path, WRITE_REFUSED, f"not fixed: {what}; newslint only fixes regular files"))
        return result
    from .limits import FileTimedOut, budget_seconds, size_limit, time_budget, timeout_violation, too_large_violation

    limit = size_limit(config, rules, path)
    if limit and st.st_size > limit:  # never read (limits.py)
        result.violations = [too_large_violation(config, path, st.st_size, limit)]
        return result
    try:
        raw = _read(path)
    except OSError as exc:
        return _unreadable(result, path, exc, config)
    seconds = budget_seconds(config, rules, path)
    try:  # the budget covers linting and fixing in memory, never the write
        with time_budget(seconds):
            doc = Document(path, raw)
            violations = _lint(doc, config, rules, prepared)
            result.violations = violations
            result.digest, result.stat = digest(raw), stat_signature(st)
            if not doc.ok:
                return result
            fixed = fix_text(doc.text, path, config, bom=doc.bom, unsafe=unsafe, rules=rules, doc=doc,
                             violations=violations, prepared=prepared)
    except FileTimedOut:
        result.violations = [timeout_violation(config, path, seconds)]
        result.timed_out = True
        result.digest = result.stat = None
        return result
    result.problems.extend(fixed.problems)
    result.violations = fixed.violations
    result.original_text, result.new_text = doc.text, fixed.text
    if not fixed.changed:
        return result
    result.changed = True
    result.fixed = fixed.fixed
    if not write:
        return result
    refusal = None
    if not os.access(path, os.W_OK) or not st.st_mode & (stat.S_IWUSR | stat.S_IWGRP | stat.S_IWOTH):
        refusal = "permission denied: the file is read-only"
    elif st.st_nlink > 1:
        # Replacing the file would leave its other names with the old text.
        refusal = f"the file has {st.st_nlink} hard links, and fixing would break them"
    else:
        data = (b"\xef\xbb\xbf" if doc.bom else b"") + fixed.text.encode("utf-8", "surrogatepass")
        try:
            write_atomic(path, data, _sha(raw), st.st_mode, (st.st_uid, st.st_gid))
            result.written = True
            result.read_at = time.time_ns()
            result.digest = digest(data)
            try:
                result.stat = stat_signature(os.stat(path))
            except OSError:
                result.digest = result.stat = None
        except ChangedOnDisk:
            refusal = "the file changed on disk while newslint was fixing it; it was left alone, run again"
        except OSError as exc:
            reason = exc.strerror or str(exc)
            refusal = f"cannot write the fixed file: {reason}"
    if refusal is not None:
        result.changed = False
        result.fixed = 0
        result.new_text = doc.text
        result.violations = fixed.original_violations
        result.problems.append(_problem(path, WRITE_REFUSED, f"not fixed: {refusal}"))
    return result


def _unreadable(result: FixResult, path: str, exc: OSError, config: Config) -> FixResult:
    result.violations = unreadable_violations(config, path, exc)
    return result


def unsafe_hint(n: int) -> str:
    """Ruff's hint: ``n`` unsafe fixes were left alone because --unsafe-fixes was not given."""
    return (f"{n} hidden fix{'es' if n != 1 else ''} can be enabled with --unsafe-fixes "
            "(review {} first: --diff --unsafe-fixes)".format("them" if n != 1 else "it"))
