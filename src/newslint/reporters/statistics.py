"""``--statistics``: how many findings each rule has, instead of each finding.

Text (for ``--format text`` or ``full``)::

      12  NL301  link-rel-invalid  [*]
       3  NL101  front-matter-missing

sorted by count, then rule; ``[*]`` marks rules whose findings ``--fix`` can
fix. ``--format json`` (or ``json-lines``) gives the same as JSON objects
``{"rule", "code", "count", "fixable"}``. Other formats have no statistics.
"""

from __future__ import annotations

import io
import json
from collections import Counter
from typing import Sequence, TextIO

from ..model import Violation
from .base import SEVERITY_COLORS, Report, Summary, paint, render_report
from .text import notes, summary_text

FORMATS = ("text", "full", "json", "json-lines")


class StatisticsReport(Report):
    """Counts per rule as the files come (a few counters, whatever the archive's size)."""

    writes_at_once = False

    def __init__(self, out: TextIO, summary: Summary, fmt: str = "text") -> None:
        super().__init__(out, summary)
        self.fmt = fmt
        self.counts: Counter[str] = Counter()
        self.codes: dict[str, str] = {}
        self.safe: Counter[str] = Counter()
        self.severity: dict[str, str] = {}

    def write_file(self, path: str, violations: Sequence[Violation]) -> None:
        for v in violations:
            self.counts[v.rule] += 1
            self.codes.setdefault(v.rule, v.code)
            self.severity.setdefault(v.rule, v.severity)
            if v.fix is not None and v.fix.applicability == "safe":
                self.safe[v.rule] += 1

    def rows(self) -> list[dict]:
        return [{"rule": r, "code": self.codes[r], "count": n, "fixable": self.safe[r], "severity": self.severity[r]}
                for r, n in sorted(self.counts.items(), key=lambda kv: (-kv[1], kv[0]))]

    def end(self) -> None:
        self.out.write(table(self.rows(), self.summary, self.fmt,
                             summary_text(self.summary, self.findings, self.fixable, self.unsafe)))


def rows(violations: Sequence[Violation]) -> list[dict]:
    report = StatisticsReport(io.StringIO(), Summary())
    report.write_file("", violations)
    return report.rows()


def statistics(violations: list[Violation], summary: Summary, fmt: str) -> str:
    """The statistics of a whole sorted list (the list API)."""
    return render_report(lambda out, s: StatisticsReport(out, s, fmt), violations, summary)


def table(rows: list[dict], summary: Summary, fmt: str, last_line: str) -> str:
    if fmt == "json":
        return json.dumps(rows, ensure_ascii=False, indent=2) + "\n"
    if fmt == "json-lines":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in rows)
    width = max((len(str(r["count"])) for r in rows), default=1)
    code_w = max((len(r["code"]) for r in rows), default=1)
    rule_w = max((len(r["rule"]) for r in rows), default=1)
    lines = []
    for r in rows:
        mark = " [*]" if r["fixable"] else ""
        rule = paint(r["rule"].ljust(rule_w), summary, fg=SEVERITY_COLORS.get(r["severity"]), bold=True)
        lines.append(f"{str(r['count']).rjust(width)}  {r['code'].ljust(code_w)}  {rule}{mark}".rstrip())
    lines.extend(notes(summary))
    lines.append(last_line)
    return "\n".join(lines) + "\n"
