"""The engine: run the enabled rules on one parsed document and place their findings.

The linter decides; rules only find. Here the rule name, code and severity are
stamped on each finding, offsets become file lines and columns, and fixes
become edits with file positions.
"""

from __future__ import annotations

import os
import re
from typing import Any, Iterable, Iterator

from .config import Config
from .document import Document
from .model import FileResult, Finding, Fix, Violation
from .limits import FileTimedOut, budget_seconds, size_limit, time_budget, timeout_violation, too_large_violation
from .ruleapi import RUN_STATE, Rule
from .site import Site

INTERNAL_ERROR = "internal-error"


# Posts are read with os.open and os.read: no buffered file object per post.
READ_FLAGS = os.O_RDONLY | getattr(os, "O_CLOEXEC", 0)


def read_to_end(fd: int, size: int) -> bytes:
    """The bytes of ``fd`` to its end; ``size`` is what fstat said (a regular
    file reads in one call; a pipe or a file that grew reads on)."""
    data = os.read(fd, size + 1)
    if len(data) <= size:
        return data
    parts = [data]
    while chunk := os.read(fd, 1 << 16):
        parts.append(chunk)
    return b"".join(parts)


def read_within(path: str, limit: int | None) -> tuple[os.stat_result, bytes | None]:
    """The file's stat and bytes; no bytes when it holds more than ``limit``
    (it is then never read)."""
    fd = os.open(path, READ_FLAGS)
    try:
        st = os.fstat(fd)
        if limit and st.st_size > limit:
            return st, None
        return st, read_to_end(fd, st.st_size)
    finally:
        os.close(fd)


def make_violation(doc: Document, rule: type[Rule], severity: str, f: Finding) -> Violation:
    position = doc.source.position
    start, end, fix = f.start, f.end, f.fix
    line, col = position(start)
    # An empty or reversed span ends where it starts: one lookup.
    end_line, end_col = position(end) if end > start else (line, col)
    v = Violation(doc.path, line, col, end_line, end_col, rule.name, rule.code, severity, f.message, fix,
                  start=start, end=end)
    if fix is not None:
        edits = []
        for e in fix.edits:
            sl, sc = position(e.start)
            el, ec = position(e.end)
            edits.append({"start_line": sl, "start_column": sc, "end_line": el, "end_column": ec, "content": e.content})
        v.fix_edits = edits
    return v


RULE_CRASHED = ("rule-crashed", "NL998")


class Prepared:
    """Each enabled rule with its options and severity under one config,
    computed once per run, not per file."""

    __slots__ = ("config", "rules", "table", "checks", "_on_undecodable", "_limits")

    def resolve(self, token: str) -> str | None:
        """A rule's name from its name or code (None when unknown)."""
        r = self.config.rule(token)
        return r.name if r is not None else None

    def __init__(self, config: Config, rules: list[type[Rule]] | None = None) -> None:
        self.config = config
        self.rules = config.enabled_rules() if rules is None else rules
        self.table = [(r, _with_state(r, config.options_for(r)), config.severity_of(r))
                      for r in self.rules if not r.engine and not r.site_wide]
        # newslint's own rules keep nothing on the instance: one instance per
        # run checks every file. Any other rule gets a new instance per file
        # (None here), as a plugin always has.
        self.checks = [(r, r().check if r.__module__.startswith("newslint.") else None, options, severity)
                       for r, options, severity in self.table]
        self._on_undecodable = [c for c in self.checks if c[0].on_undecodable]
        # The size cap and the time budget are the same for every file unless
        # a per-file ignore can turn their rules off for some.
        self._limits = None if config.per_file_ignores else \
            (size_limit(config, self.rules, ""), budget_seconds(config, self.rules, ""))

    def size_limit(self, path: str) -> int:
        """The size cap in bytes for ``path`` (0: none)."""
        limits = self._limits
        return limits[0] if limits is not None else size_limit(self.config, self.rules, path)

    def budget_seconds(self, path: str) -> float:
        """The time budget in seconds for ``path`` (0: none)."""
        limits = self._limits
        return limits[1] if limits is not None else budget_seconds(self.config, self.rules, path)

    def ignored_for(self, path: str) -> frozenset[str] | set[str]:
        """The rules a per-file ignore turns off for ``path``."""
        return self.config.ignored_for(path) if self._limits is None else _NONE

    def checks_for(self, ignored: frozenset[str] | set[str], decoded: bool) -> list[tuple[Any, ...]]:
        """The checks to run on a file: those ``ignored`` leaves on, and only
        the rules that read undecodable files when it is not ``decoded``."""
        checks = self.checks if decoded else self._on_undecodable
        return [c for c in checks if c[0].name not in ignored] if ignored else checks


_NONE: frozenset[str] = frozenset()


def _current(config: Config, rules: list[type[Rule]] | None, prepared: Prepared | None) -> Prepared:
    """``prepared`` when it was made for ``config`` and ``rules``, else one that is."""
    if prepared is None or prepared.config is not config or (rules is not None and rules is not prepared.rules):
        return _prepared_for(config, rules)
    return prepared


def _prepared_for(config: Config, rules: list[type[Rule]] | None) -> Prepared:
    """The Prepared of ``config`` for a caller that has none (a library call,
    a test): kept with the config, made again when what it reads changed."""
    key = (None if rules is None else tuple(rules),
           repr((config.select, config.ignore, config.extend_select, config.severity, config.rule_options,
                 config.front_matter_schema, config.packs, config.per_file_ignores)))
    memo = config.__dict__.get("_prepared_memo")
    if memo is not None and memo[0] == key:
        return memo[1]
    prepared = Prepared(config, rules)
    config.__dict__["_prepared_memo"] = (key, prepared)
    return prepared


def _with_state(rule: type[Rule], options: dict) -> dict:
    state = rule.run_state()
    if state is not None:
        options[RUN_STATE] = state
    return options


def lint_document(doc: Document, config: Config, rules: list[type[Rule]] | None = None,
                  suppressed: list[Violation] | None = None, *, prepared: Prepared | None = None) -> list[Violation]:
    """Run every enabled rule on ``doc``; the violations are sorted by position.

    Suppression comments in the post are applied last (see suppression.py);
    the findings they hid go to ``suppressed`` when a list is given. A rule
    that raises gives one ``rule-crashed`` finding; the others' stay.
    """
    prepared = _current(config, rules, prepared)
    ignored = prepared.ignored_for(doc.path)
    out: list[Violation] = []
    ok = doc.ok
    for rule, check, options, severity in prepared.checks_for(ignored, ok):
        try:
            for finding in (check or rule().check)(doc, options):
                r = (config.rule(finding.rule) or rule) if finding.rule else rule
                out.append(make_violation(doc, r, severity if r is rule else config.severity_of(r), finding))
        except Exception as exc:  # a broken rule (a plugin's, or ours) costs only its own findings
            out.append(crashed_violation(doc.path, rule, exc))
    if ok and any(v.fix is not None for v in out):
        guards = fix_guards(doc)
        if guards:
            out = [withhold_fix(v, why) if (why := guarded(v.fix, guards)) else v for v in out]
    if ok and "newslint-" in doc.text:
        ran = [r for r in prepared.rules if r.name not in ignored]
        out, hidden = _apply_suppressions(doc, config, out, ran)
        if suppressed is not None:
            suppressed.extend(hidden)
    out.sort(key=Violation.sort_key)
    return out


def crashed_violation(path: str, rule: type[Rule], exc: BaseException) -> Violation:
    return Violation(path=path, line=1, column=1, end_line=1, end_column=1, rule=RULE_CRASHED[0],
                     code=RULE_CRASHED[1], severity="error",
                     message=f"rule `{rule.name}` ({rule.code}) failed on this file: {type(exc).__name__}: {exc}"
                             f"{_where(exc)}; its findings are missing, the other rules' are kept")


_LONE_CR = re.compile(r"\r(?!\n)")


def fix_guards(doc: Document) -> list[tuple[int, int, str]]:
    """Spans ``[lo, hi)`` of ``doc.text`` no fix may edit, each with why.

    - A front matter that does not parse: no edit inside it (an unclosed one
      runs to the end of the file, so the whole file is left alone).
    - HTML that swallows the rest of the post (a ``<!--`` or ``<script>``
      never closed): no edit from there on, where newslint and the browser
      disagree about what is markup.
    """
    out = []
    end = len(doc.text) + 1  # so that an insertion at the very end is inside
    if "\r" in doc.text and _LONE_CR.search(doc.text):
        # Markdown ends a line at a lone CR, newslint and YAML do not: the
        # parsers disagree on the structure, so nothing is fixed (cr-line-ending).
        return [(0, end, "the file has CR line breaks without LF")]
    fm = doc.front_matter
    if fm is not None and not fm.closed:
        return [(0, end, "the front matter is not closed")]
    if fm is not None and (fm.error is not None or (fm.data is not None and not isinstance(fm.data, dict))):
        out.append((0, fm.end, "the front matter does not parse"))
    if "<" in doc.text:
        at = doc.html.swallowed_from
        if at is not None:
            out.append((at, end, f"the HTML on line {doc.position(at)[0]} is never closed"))
    return out


def guarded(fix: Fix | None, guards: list[tuple[int, int, str]]) -> str | None:
    """Why ``fix`` must not be applied: it edits inside one of ``guards`` (None: it may)."""
    if fix is None:
        return None
    for lo, hi, why in guards:
        if any(e.start < hi and e.end >= lo for e in fix.edits):
            return why
    return None


def withhold_fix(v: Violation, why: str) -> Violation:
    """``v`` without its fix, the message saying why (never a fix newslint would refuse)."""
    v.fix, v.fix_edits = None, []
    v.message += f" (no fix while {why})"
    return v


def _apply_suppressions(doc: Document, config: Config, out: list[Violation],
                        ran: list[type[Rule]]) -> tuple[list[Violation], list[Violation]]:
    from .suppression import UNUSED, apply

    unused_rule = next((r for r in ran if r.name == UNUSED), None)
    make_unused = None
    if unused_rule is not None:
        severity = config.severity_of(unused_rule)

        def make_unused(start: int, end: int, message: str) -> Violation:
            return make_violation(doc, unused_rule, severity, Finding(start, end, message))

    def resolve(token: str) -> str | None:
        r = config.rule(token)
        return r.name if r is not None else None

    known = [r.name for r in config.all_rules()]
    return apply(doc, out, enabled={r.name for r in ran}, resolve=resolve, known=known, make_unused=make_unused,
                 deferred=frozenset(r.name for r in ran if r.site_wide))


def _where(exc: BaseException) -> str:
    import traceback  # only when a rule or the engine failed

    tb = traceback.extract_tb(exc.__traceback__)
    if not tb:
        return ""
    last = tb[-1]
    return f" (in {os.path.basename(last.filename)}:{last.lineno})"


def internal_error_violation(path: str, exc: BaseException) -> Violation:
    where = _where(exc)
    return Violation(
        path=path, line=1, column=1, end_line=1, end_column=1,
        rule=INTERNAL_ERROR, code="NL999", severity="error",
        message=f"newslint failed on this file: {type(exc).__name__}: {exc}{where}; please report it",
    )


def lint_path(path: str, config: Config, rules: list[type[Rule]] | None = None, *,
              prepared: Prepared | None = None, site: Site | None = None) -> FileResult:
    """Read and lint one file. Never raises: problems become findings on the file."""
    result = FileResult(path)
    try:
        limit = size_limit(config, rules, path)
        st, raw = read_within(path, limit)
        if raw is None:  # over the size limit: never read, never parsed
            result.violations.append(too_large_violation(config, path, st.st_size, limit))
            return result
    except OSError as exc:
        result.violations.extend(unreadable_violations(config, path, exc))
        return result
    return lint_bytes(path, raw, config, rules, prepared=prepared, site=site)


def unreadable_violations(config: Config, path: str, exc: OSError) -> list[Violation]:
    """The ``file-unreadable`` finding (none when the rule is off for ``path``)."""
    from .rules.file_unreadable import FileUnreadable

    return engine_violations(config, FileUnreadable, path, f"cannot read file: {exc.strerror or exc}")


def engine_violations(config: Config, rule: type[Rule], path: str, message: str) -> list[Violation]:
    """A finding the engine makes about a whole file, at line 1: ``ignore``,
    ``select``, per-file ignores and ``severity`` apply as to any rule."""
    if config.rule(rule.name) is None or rule not in config.enabled_rules() or rule.name in config.ignored_for(path):
        return []
    return [Violation(path=path, line=1, column=1, end_line=1, end_column=1, rule=rule.name, code=rule.code,
                      severity=config.severity_of(rule), message=message)]


def lint_bytes(path: str, raw: bytes, config: Config, rules: list[type[Rule]] | None = None, *,
               prepared: Prepared | None = None, site: Site | None = None, facts: bool = False) -> FileResult:
    """Lint a file whose bytes were already read (the engine reads, hashes, then
    calls this). Never raises. The Document lives only inside this call."""
    result = FileResult(path)
    prepared = _current(config, rules, prepared)
    seconds = prepared.budget_seconds(path)
    try:
        with time_budget(seconds):
            doc = Document(path, raw, site=site)
            result.violations = lint_document(doc, config, prepared.rules, prepared=prepared)
            if facts:  # from the same parse: the site phase never reads the file again
                from .site.facts import extract

                result.facts = extract(doc, resolve=prepared.resolve)
    except FileTimedOut:  # the per-file budget ran out: say so, and the run goes on
        result.violations = [timeout_violation(config, path, seconds)]
        result.timed_out = True
    except Exception as exc:  # one bad file never stops the run
        result.internal_error = True
        result.violations = [internal_error_violation(path, exc)]
    if any(v.rule == RULE_CRASHED[0] for v in result.violations):
        result.internal_error = True
    return result


def lint_paths(paths: Iterable[str], config: Config) -> Iterator[FileResult]:
    prepared = Prepared(config)
    for path in paths:
        yield lint_path(path, config, prepared.rules, prepared=prepared)
