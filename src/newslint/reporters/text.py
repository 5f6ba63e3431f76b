from __future__ import annotations

from ..model import Violation
from . import SEVERITY_COLORS, Summary, paint, reporter


def summary_line(violations: list[Violation], summary: Summary) -> str:
    n = len(violations)
    files = f"{summary.files} file{'s' if summary.files != 1 else ''} checked"
    if not n:
        line = f"{files}, no findings"
    else:
        parts = [f"{summary.by_severity.get(s, 0)} {s}{'s' if summary.by_severity.get(s, 0) != 1 else ''}"
                 for s in ("error", "warning", "info") if summary.by_severity.get(s)]
        fixable = sum(1 for v in violations if v.fix is not None and v.fix.applicability == "safe")
        line = f"{files}, {n} finding{'s' if n != 1 else ''} ({', '.join(parts)})"
        if fixable:
            line += f"; {fixable} fixable with --fix"
        hidden = sum(1 for v in violations if v.fix is not None and v.fix.applicability == "unsafe")
        if hidden and not summary.fixing:
            line += f" ({hidden} more with --fix --unsafe-fixes)" if fixable else \
                f"; {hidden} fixable with --fix --unsafe-fixes"
    if summary.fixing:  # after --fix the violations are what remains in the fixed files
        line = f"{files}, fixed {summary.fixed}, {n} remaining"
        if n:
            line += f" ({', '.join(parts)})"
    elif summary.fixed:
        line += f"; fixed {summary.fixed}"
    return line


def headline(v: Violation, summary: Summary) -> str:
    """``path:line:col: rule [*] message`` (coloured on a terminal)."""
    mark = " [*]" if v.fix is not None and v.fix.applicability == "safe" else ""
    where = paint(f"{v.path}:{v.line}:{v.column}:", summary, bold=True)
    rule = paint(v.rule, summary, fg=SEVERITY_COLORS.get(v.severity), bold=True)
    return f"{where} {rule}{paint(mark, summary, fg='cyan')} {v.message}"


@reporter("text")
def text(violations: list[Violation], summary: Summary) -> str:
    lines = []
    for v in violations:
        lines.append(headline(v, summary))
    lines.extend(summary.notes)
    lines.append(summary_line(violations, summary))
    return "\n".join(lines) + "\n"
