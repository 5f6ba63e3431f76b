"""What the language server knows of a buffer, without the protocol.

A :class:`Session` holds one run (:class:`~newslint.engine.Linting`) whose
:class:`~newslint.configset.ConfigSet` gives each file its nearest
configuration, as ``newslint check`` does from the workspace's folder. It
lints an editor's buffer as the file it will be saved to (that file's
configuration and per-file ignores apply); it never reads the file, never
writes one, never uses the results cache.

From an :class:`Analysis` (the findings of one buffer version) it offers what
the editor applies itself, as edits to spans of the buffer's text:

- a finding's own fix, applied alone and verified as the fixer verifies its
  passes (front matter, HTML, no new findings);
- every safe fix at once, through :func:`newslint.fixer.fix_text` (its passes,
  convergence and verification), as the edits that turn the buffer into the
  text ``newslint check --fix`` would write;
- a suppression comment (see :mod:`newslint.suppression`) that hides the
  finding: ``newslint-disable-line`` at the end of its line in the body,
  ``newslint-disable-file`` after the front matter when a line comment cannot
  work there (inside the front matter, a code block, a tag). Each is checked
  by linting the result: the finding must go and nothing else may change.

Nothing here raises on a bad buffer: linting turns problems into findings,
and the edits are only offered when the result was checked.
"""

from __future__ import annotations

import os
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any, Callable

from ..config import Config, ConfigError
from ..document import Document
from ..model import Edit, Violation
from .positions import UTF16, LineIndex

# Findings about newslint itself or the whole run: a comment cannot hide them
# and there is nothing in the post to point at.
_NOT_SUPPRESSIBLE = frozenset({"internal-error", "rule-crashed", "file-timeout", "file-too-large",
                               "file-unreadable", "file-encoding", "config-error"})
CONFIG_ERROR = "config-error"
_BOM = "\ufeff"


@dataclass
class Action:
    """Edits an editor may apply to a buffer, with a title (``disabled``: why not)."""

    title: str
    edits: list[Edit]
    kind: str  # "fix", "fix-all" or "disable"
    preferred: bool = False
    disabled: str | None = None


@dataclass
class Analysis:
    """The findings of one version of one buffer."""

    path: str
    text: str  # the buffer as the editor holds it (a BOM included, if any)
    violations: list[Violation]
    failed: bool = False  # newslint failed on it: no fix is offered
    encoding: str = UTF16
    site: Any = None  # the site the file belongs to (how its Markdown renders)
    _memo: dict[Any, Any] = field(default_factory=dict, repr=False)

    @property
    def skip(self) -> int:
        """Characters of the buffer before newslint's text (a byte order mark)."""
        return 1 if self.text.startswith(_BOM) else 0

    @cached_property
    def index(self) -> LineIndex:
        return LineIndex(self.text, self.encoding)

    @cached_property
    def doc(self) -> Document:
        return Document(self.path, self.text.encode("utf-8", "surrogatepass"), site=self.site)

    def span(self, v: Violation) -> tuple[int, int]:
        """A finding's span as offsets into the buffer."""
        index, skip = self.index, self.skip
        start = index.newslint_offset(v.line, v.column, skip)
        end = index.newslint_offset(v.end_line, v.end_column, skip)
        return start, max(start, end)

    def lsp_range(self, start: int, end: int) -> tuple[tuple[int, int], tuple[int, int]]:
        return self.index.position(start), self.index.position(end)

    def buffer_edits(self, edits: list[Edit]) -> list[Edit]:
        """Edits to newslint's text as edits to the buffer (past its BOM)."""
        skip = self.skip
        return [Edit(e.start + skip, e.end + skip, e.content) for e in edits] if skip else list(edits)

    def at(self, offset: int) -> list[Violation]:
        """The findings whose span holds ``offset`` (its ends included)."""
        out = []
        for v in self.violations:
            start, end = self.span(v)
            if start <= offset <= end:
                out.append(v)
        return out

    def within(self, lo: int, hi: int) -> list[Violation]:
        """The findings whose span meets ``[lo, hi]``."""
        out = []
        for v in self.violations:
            start, end = self.span(v)
            if start <= hi and lo <= end:
                out.append(v)
        return out


class Session:
    """The workspace's run: its configurations and the rules they enable."""

    def __init__(self, root: str | None = None) -> None:
        self.root = os.path.abspath(root or os.getcwd())
        self._run: Any = None
        self._stamps: dict[str | None, int | None] = {}

    # -- the run ---------------------------------------------------------------------
    def run(self) -> Any:
        if self._run is None:
            from ..configset import ConfigSet
            from ..engine import Linting

            configs = ConfigSet(cwd=self.root)
            try:
                primary = configs.for_path(self.root)
            except ConfigError:  # the posts under it say so; the others keep their own config
                primary = Config(root=Path(self.root))
            self._run = Linting(primary, jobs=1, use_cache=False, configs=configs)
            self._stamps = {}
        return self._run

    def reload(self) -> None:
        """Read the configuration files again (one was edited, created or removed)."""
        run, self._run = self._run, None
        if run is not None:
            run.close()

    def close(self) -> None:
        self.reload()

    def _fresh(self, path: str) -> Any:
        """The run, loaded again when the config file that applies to ``path`` changed on disk."""
        run = self.run()
        key = run.key_for(path)[0]
        stamp = _mtime(key)
        if key in self._stamps and self._stamps[key] != stamp:
            self.reload()
            run = self.run()
            key = run.key_for(path)[0]
            stamp = _mtime(key)
        self._stamps[key] = stamp
        return run

    def prepared(self, path: str) -> Any:
        run = self.run()
        return run.prepared(run.key_for(path))

    # -- linting -----------------------------------------------------------------------
    def analyse(self, path: str, text: str, encoding: str = UTF16) -> Analysis:
        """Lint ``text`` as the file ``path``. Never raises."""
        try:
            run = self._fresh(path)
            if _left_out(run, path):
                return Analysis(path, text, [], encoding=encoding)
            result, site = _lint_buffer(run, path, text)
        except ConfigError as exc:  # a broken config file: say so where the user looks
            self.reload()
            return Analysis(path, text, [_note(path, CONFIG_ERROR, f"newslint cannot lint this file: {exc}")],
                            failed=True, encoding=encoding)
        except Exception as exc:  # a bug of newslint's: a finding, never a dead server
            from ..linter import internal_error_violation

            return Analysis(path, text, [internal_error_violation(path, exc)], failed=True, encoding=encoding)
        failed = result.internal_error or result.timed_out
        return Analysis(path, text, result.violations, failed=failed, encoding=encoding, site=site)

    def rule(self, path: str, name: str) -> Any:
        """The rule class called ``name`` under the configuration of ``path`` (None if unknown)."""
        try:
            return self.prepared(path).config.rule(name)
        except Exception:
            return None

    # -- fixes -------------------------------------------------------------------------
    def _relint(self, analysis: Analysis, doc: Document) -> list[Violation] | None:
        """The findings of ``doc`` (the buffer after some edits); None if linting failed."""
        from ..limits import FileTimedOut, budget_seconds, time_budget
        from ..linter import RULE_CRASHED, lint_document

        prepared = self.prepared(analysis.path)
        config = prepared.config
        try:
            with time_budget(budget_seconds(config, prepared.rules, analysis.path)):
                found = lint_document(doc, config, prepared.rules, prepared=prepared)
        except (Exception, FileTimedOut):
            return None
        return None if any(v.rule == RULE_CRASHED[0] for v in found) else found

    def _checked(self, analysis: Analysis, new_text: str, touched: list[tuple[int, int]],
                 accept: Callable[[list[Violation]], bool]) -> bool:
        """True when ``new_text`` (newslint's text after edits at ``touched``)
        keeps the front matter, the HTML and the line endings as the fixer
        requires, and its findings pass ``accept``."""
        from ..fixer import verify

        doc = analysis.doc
        new_doc = Document.from_text(new_text, analysis.path, bom=doc.bom, site=doc.site)
        after = self._relint(analysis, new_doc)
        if after is None:
            return False
        before = [v for v in analysis.violations]
        return verify(doc, before, new_doc, after, touched) is None and accept(after)

    def quick_fix(self, analysis: Analysis, v: Violation) -> Action | None:
        """``v``'s own fix, alone, when it applies cleanly to the buffer."""
        key = ("fix", id(v))
        if key in analysis._memo:
            return analysis._memo[key]
        analysis._memo[key] = action = self._quick_fix(analysis, v)
        return action

    def _quick_fix(self, analysis: Analysis, v: Violation) -> Action | None:
        from ..edits import apply_edits, fixable

        if v.fix is None or analysis.failed:
            return None
        doc = analysis.doc
        if not doc.ok:
            return None
        candidates = fixable([v], doc, unsafe=True)
        if not candidates:
            return None
        new_text, applied = apply_edits(doc.text, candidates)
        if not self._checked(analysis, new_text, [(e.start, e.end) for e in applied], lambda after: True):
            return None
        fix = candidates[0].fix
        assert fix is not None
        unsafe = fix.applicability != "safe"
        what = fix.message or f"Fix `{v.rule}`"
        title = f"newslint: {what}" + (" (unsafe fix: review it)" if unsafe else "")
        edits = [Edit(e.start, e.end, e.new) for e in applied]  # with the line endings they land on
        return Action(title, analysis.buffer_edits(edits), "fix", preferred=not unsafe)

    def fix_all(self, analysis: Analysis) -> Action | None:
        """Every safe fix, as ``newslint check --fix`` applies them (None: nothing to fix)."""
        key = ("fix-all",)
        if key not in analysis._memo:
            analysis._memo[key] = self._fix_all(analysis)
        return analysis._memo[key]

    def _fix_all(self, analysis: Analysis) -> Action | None:
        from ..edits import wanted
        from ..fixer import fix_text
        from ..limits import FileTimedOut, budget_seconds, time_budget

        title = "newslint: fix all safe fixes"
        if analysis.failed or not any(wanted(v.fix, False) for v in analysis.violations):
            return None
        doc = analysis.doc
        if not doc.ok:
            return None
        prepared = self.prepared(analysis.path)
        config = prepared.config
        try:
            with time_budget(budget_seconds(config, prepared.rules, analysis.path)):
                result = fix_text(doc.text, analysis.path, config, bom=doc.bom, unsafe=False, doc=doc,
                                  violations=analysis.violations, prepared=prepared)
        except (Exception, FileTimedOut) as exc:
            return Action(title, [], "fix-all", disabled=f"newslint failed while fixing: {type(exc).__name__}")
        if result.problems:
            return Action(title, [], "fix-all", disabled=result.problems[0].message)
        if not result.changed:
            return None
        return Action(title, analysis.buffer_edits(result.edits), "fix-all")

    # -- suppression -------------------------------------------------------------------
    def disable(self, analysis: Analysis, v: Violation) -> Action | None:
        """A suppression comment that hides ``v`` and changes nothing else."""
        key = ("disable", id(v))
        if key not in analysis._memo:
            analysis._memo[key] = self._disable(analysis, v)
        return analysis._memo[key]

    def _disable(self, analysis: Analysis, v: Violation) -> Action | None:
        if v.rule in _NOT_SUPPRESSIBLE or analysis.failed or not analysis.doc.ok:
            return None
        if self.rule(analysis.path, v.rule) is None:
            return None
        doc = analysis.doc
        text = doc.text
        fm = doc.front_matter
        in_front_matter = fm is not None and doc.offset(v.line, v.column) < fm.end
        if not in_front_matter:
            line_start = doc.offset(v.line, 1)
            at = end = doc.line_end(line_start)
            # Before a Markdown hard break (two spaces or a backslash at the end), which must stay last.
            while at > line_start and text[at - 1] in " \t":
                at -= 1
            if at == end and at > line_start and text[at - 1] == "\\":
                at -= 1
            gap = "" if at == line_start or text[at - 1] in " \t" else " "
            edit = Edit(at, at, f"{gap}<!-- newslint-disable-line {v.rule} -->")
            same_line = Counter(w.rule for w in analysis.violations if w.rule == v.rule and w.line == v.line)
            if _markup_at(doc, at) is None and self._hides(analysis, edit, same_line):
                return Action(f"newslint: disable `{v.rule}` for this line", analysis.buffer_edits([edit]),
                              "disable")
        at = doc.body_start
        from ..edits import line_ending_at

        ending = line_ending_at(text, at) or "\n"
        if at > 0 and text[at - 1] != "\n":  # a front matter fence at the very end of the file
            edit = Edit(at, at, f"{ending}<!-- newslint-disable-file {v.rule} -->{ending}")
        else:
            edit = Edit(at, at, f"<!-- newslint-disable-file {v.rule} -->{ending}")
        everywhere = Counter(w.rule for w in analysis.violations if w.rule == v.rule)
        if self._hides(analysis, edit, everywhere):
            return Action(f"newslint: disable `{v.rule}` for this file", analysis.buffer_edits([edit]), "disable")
        return None

    def _hides(self, analysis: Analysis, edit: Edit, hidden: Counter) -> bool:
        """True when inserting ``edit`` hides exactly the findings counted in ``hidden``."""
        text = analysis.doc.text
        new_text = text[:edit.start] + edit.content + text[edit.end:]
        expected = Counter(w.rule for w in analysis.violations) - hidden

        def accept(after: list[Violation]) -> bool:
            return Counter(w.rule for w in after) == expected

        return self._checked(analysis, new_text, [(edit.start, edit.end)], accept)


def _left_out(run: Any, path: str) -> bool:
    """Whether `newslint check` leaves the file out of a walk (its config's
    `exclude`, or a template, include or other file its site does not read as
    content): the editor gets no findings on it, as pre-commit's
    `--force-exclude` gets none."""
    from ..discovery import excluded_by
    from ..site.walk import ContentFilter

    config = run.config_for(run.key_for(path))
    if excluded_by(path, config.exclude, config.include, str(config.root), named=True, force_exclude=True):
        return True
    return ContentFilter(run.sites, config.generator, str(config.root), gitignore=False).skip_file(path, named=True)


def _lint_buffer(run: Any, path: str, text: str) -> tuple[Any, Any]:
    """Lint ``text`` as the file ``path`` with the run's configuration, rules
    and site for that file (what the run does with the file's bytes, without
    reading it or its cache): (FileResult, Site)."""
    from ..limits import size_limit, too_large_violation
    from ..linter import lint_bytes
    from ..model import FileResult

    key = run.key_for(path)
    prepared = run.prepared(key)
    config = prepared.config
    site = run.site_of(key)
    # An editor may hold lone surrogates: they stay bytes that are not UTF-8 (a file-encoding finding).
    raw = text.encode("utf-8", "surrogatepass")
    limit = size_limit(config, prepared.rules, path)
    if limit and len(raw) > limit:
        return FileResult(path, [too_large_violation(config, path, len(raw), limit)]), site
    site_checks = site.root is not None and bool(run._site_rules(key))
    result = lint_bytes(path, raw, config, prepared.rules, prepared=prepared, site=site, facts=site_checks)
    if site_checks and result.facts is not None:
        # The buffer stands for the file; the rest of the site comes from disk
        # (each other file parsed once while it is unchanged: the run keeps its facts).
        from ..sitephase import check_sites

        list(check_sites(run, [path], [key], [result], from_disk=False))
    return result, site


def _markup_at(doc: Document, at: int) -> str | None:
    """What ``at`` lies inside, where a comment would be text or break the
    markup (a tag, a comment, a script or style, code), or None: the comment
    is a comment there for newslint and for the browser alike."""
    if doc.in_code(at):
        return "code"
    html = doc.html
    if html.swallowed_from is not None and at > html.swallowed_from:
        return "unclosed HTML"
    if any(c.start < at < c.end for c in html.comments):
        return "a comment"
    for el in html.elements:
        if el.start >= at:
            break
        if at < el.start_end or (el.tag in ("script", "style", "textarea", "pre") and at < el.end):
            return f"<{el.tag}>"
    return None


def _mtime(key: str | None) -> int | None:
    if key is None:
        return None
    try:
        return os.stat(key).st_mtime_ns
    except OSError:
        return -1


def _note(path: str, rule: str, message: str) -> Violation:
    return Violation(path=path, line=1, column=1, end_line=1, end_column=1, rule=rule, code="", severity="error",
                     message=message)
