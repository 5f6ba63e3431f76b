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

import difflib
import hashlib
import os
import stat
import time
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

from .config import Config
from .document import Document
from .site import Site
from .cache import digest, stat_signature
from .linter import (RULE_CRASHED, Prepared, internal_error_violation, lint_document, lint_path,
                     unreadable_violations)
from .model import FAILURE_RULES, Edit, Violation
from .ruleapi import Rule
from .atomic import ChangedOnDisk, _read, _sha, write_atomic
from .edits import AppliedEdit, _Rope, apply_edits, fixable, select_fixes

MAX_PASSES = 10

NOT_CONVERGED = ("fix-not-converged", "NL990")
REVERTED = ("fix-reverted", "NL991")
WRITE_REFUSED = ("fix-write-refused", "NL992")



# ---------------------------------------------------------------------------
# Results
# ---------------------------------------------------------------------------
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
    # The same change as edits to ``original`` (what an editor applies to its buffer).
    edits: list[Edit] = field(default_factory=list)

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


# ---------------------------------------------------------------------------
# Fixing a text
# ---------------------------------------------------------------------------
def _lint(doc: Document, config: Config, rules: list[type[Rule]] | None,
          prepared: Prepared | None = None) -> list[Violation]:
    return lint_document(doc, config, rules, prepared=prepared)


def fix_text(text: str, path: str, config: Config, *, bom: bool = False, unsafe: bool = False,
             rules: list[type[Rule]] | None = None, doc: Document | None = None,
             violations: list[Violation] | None = None, prepared: Prepared | None = None,
             site: Site | None = None) -> TextFix:
    """Fix ``text`` in memory: loop, check convergence, verify. Never raises for rule bugs."""
    if prepared is None:
        prepared = Prepared(config, rules)
    if doc is None:
        doc = Document.from_text(text, path, bom=bom, site=site)
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
        cur_doc = Document.from_text(cur_text, path, bom=bom, site=doc.site)
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
    result.edits = rope.edits(len(text))
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
def fix_file(path: str, config: Config, unsafe: bool = False, *, write: bool = True,
             rules: list[type[Rule]] | None = None, prepared: Prepared | None = None,
             site: Site | None = None) -> FixResult:
    """Lint and fix one file. Never raises: every problem is a finding on the file.

    With ``write=False`` nothing is written (``--diff``): ``changed`` and
    ``new_text`` say what fixing would do.
    """
    result = FixResult(path)
    if prepared is None:
        prepared = Prepared(config, rules)
    try:
        return _fix_file(path, config, unsafe, write, prepared, result, site)
    except Exception as exc:  # one bad file never stops the run
        result.internal_error = True
        result.violations = [internal_error_violation(path, exc)]
        result.changed = result.written = False
        return result


def _fix_file(path: str, config: Config, unsafe: bool, write: bool, prepared: Prepared,
              result: FixResult, site: Site | None = None) -> FixResult:
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
            result.violations = lint_path(path, config, rules, prepared=prepared, site=site).violations
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
            doc = Document(path, raw, site=site)
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
