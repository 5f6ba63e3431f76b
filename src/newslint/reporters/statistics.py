"""``--statistics``: how many findings each rule has, instead of each finding.

Text (for ``--format text`` or ``full``)::

      12  NL301  link-rel-invalid  [*]
       3  NL101  front-matter-missing

sorted by count, then rule; ``[*]`` marks rules whose findings ``--fix`` can
fix. ``--format json`` (or ``json-lines``) gives the same as JSON objects
``{"rule", "code", "count", "fixable"}``. Other formats have no statistics.
"""

from __future__ import annotations

import json
from collections import Counter

from ..model import Violation
from . import SEVERITY_COLORS, Summary, paint
from .text import summary_line

FORMATS = ("text", "full", "json", "json-lines")


def rows(violations: list[Violation]) -> list[dict]:
    counts: Counter[str] = Counter()
    codes: dict[str, str] = {}
    fixable: Counter[str] = Counter()
    severity: dict[str, str] = {}
    for v in violations:
        counts[v.rule] += 1
        codes.setdefault(v.rule, v.code)
        severity.setdefault(v.rule, v.severity)
        if v.fix is not None and v.fix.applicability == "safe":
            fixable[v.rule] += 1
    return [{"rule": r, "code": codes[r], "count": n, "fixable": fixable[r], "severity": severity[r]}
            for r, n in sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))]


def statistics(violations: list[Violation], summary: Summary, fmt: str) -> str:
    table = rows(violations)
    if fmt == "json":
        return json.dumps(table, ensure_ascii=False, indent=2) + "\n"
    if fmt == "json-lines":
        return "".join(json.dumps(r, ensure_ascii=False) + "\n" for r in table)
    width = max((len(str(r["count"])) for r in table), default=1)
    code_w = max((len(r["code"]) for r in table), default=1)
    rule_w = max((len(r["rule"]) for r in table), default=1)
    lines = []
    for r in table:
        mark = " [*]" if r["fixable"] else ""
        rule = paint(r["rule"].ljust(rule_w), summary, fg=SEVERITY_COLORS.get(r["severity"]), bold=True)
        lines.append(f"{str(r['count']).rjust(width)}  {r['code'].ljust(code_w)}  {rule}{mark}".rstrip())
    lines.extend(summary.notes)
    lines.append(summary_line(violations, summary))
    return "\n".join(lines) + "\n"
