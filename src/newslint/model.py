"""The data that flows between rules, the linter, the fixer and the reporters.

Rules yield :class:`Finding` objects whose positions are character offsets into
``Document.text`` (the decoded file, BOM excluded). The linter stamps the rule's
name, code and effective severity on them and turns offsets into 1-based line
and column numbers of the original file, producing :class:`Violation` objects.
Fixes are data: a set of :class:`Edit` spans on the original text.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Literal, NamedTuple

Severity = Literal["error", "warning", "info"]
Applicability = Literal["safe", "unsafe", "display-only"]

SEVERITIES: tuple[str, ...] = ("error", "warning", "info")
# The fixer's own findings that mean "newslint failed on this file" (exit code 3).
FAILURE_RULES = frozenset({"fix-not-converged", "fix-reverted"})


class Edit(NamedTuple):
    """Replace ``text[start:end]`` with ``content`` (character offsets).

    Edit and Fix are named tuples, immutable and hashable: made for every fix
    a rule offers and for every cached one a warm run reads back, without
    a frozen dataclass's slower ``__init__``.
    """

    start: int
    end: int
    content: str = ""

    @classmethod
    def delete(cls, start: int, end: int) -> "Edit":
        return cls(start, end, "")

    @classmethod
    def insert(cls, at: int, content: str) -> "Edit":
        return cls(at, at, content)


class Fix(NamedTuple):
    edits: tuple[Edit, ...]
    applicability: Applicability = "safe"
    message: str = ""

    @classmethod
    def safe(cls, message: str, *edits: Edit) -> "Fix":
        return cls(tuple(sorted(edits, key=lambda e: (e.start, e.end))), "safe", message)

    @classmethod
    def unsafe(cls, message: str, *edits: Edit) -> "Fix":
        return cls(tuple(sorted(edits, key=lambda e: (e.start, e.end))), "unsafe", message)


@dataclass(slots=True)
class Finding:
    """What a rule reports: a span of ``Document.text`` and a message."""

    start: int
    end: int
    message: str
    fix: Fix | None = None
    # Set by rules that report on behalf of several public names (rare).
    rule: str | None = None


@dataclass(slots=True)
class Violation:
    """A finding placed in the file, with the rule's identity and severity."""

    path: str
    line: int
    column: int
    end_line: int
    end_column: int
    rule: str
    code: str
    severity: str
    message: str
    fix: Fix | None = None
    # Edits rendered as file positions (filled by the linter when fix is set).
    fix_edits: list[dict[str, Any]] = field(default_factory=list)
    # Offsets in Document.text, kept for the fixer and the baseline.
    start: int = 0
    end: int = 0
    # Extra data (for example a suppression reason); reporters may show it.
    extra: dict[str, Any] = field(default_factory=dict)

    def sort_key(self) -> tuple:
        return (self.path, self.line, self.column, self.rule, self.message)

    def to_dict(self) -> dict[str, Any]:
        """The stable JSON shape (see README: "JSON output")."""
        fix = None
        if self.fix is not None:
            fix = {
                "applicability": self.fix.applicability,
                "message": self.fix.message,
                "edits": self.fix_edits,
            }
        d: dict[str, Any] = {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "end_line": self.end_line,
            "end_column": self.end_column,
            "rule": self.rule,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
            "fix": fix,
        }
        # Optional keys some findings carry (README: "JSON output"): for example
        # `suppression` on an unused-suppression finding (directive, rules, reason).
        for key in ("suppression", "suppressed", "related"):
            if key in self.extra:
                d[key] = self.extra[key]
        return d


@dataclass(slots=True)
class FileResult:
    """Everything the linter learned about one file."""

    path: str
    violations: list[Violation] = field(default_factory=list)
    # True when the file could not be linted at all because of a bug in newslint.
    internal_error: bool = False
    # With --fix or --diff: the findings the fixes made go away, the fixer's own
    # findings (reverted, not converged, write refused) and, for --diff, the diff.
    fixed: int = 0
    problems: list[Violation] = field(default_factory=list)
    diff: str | None = None
    # The per-file time budget ran out: the result depends on the machine's load.
    timed_out: bool = False
    # What the checks across the site need of this file (newslint.site.facts), when it is in a site.
    facts: dict[str, Any] | None = None
    # The same as JSON, when a worker sent them so (what the cache stores).
    facts_json: str | None = field(default=None, repr=False, compare=False)

    @property
    def failed(self) -> bool:
        """newslint failed on this file: a bug, or a fix reverted or not converged (exit 3)."""
        return self.internal_error or (bool(self.problems) and any(p.rule in FAILURE_RULES for p in self.problems))
