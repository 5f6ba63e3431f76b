from __future__ import annotations

from typing import Sequence

from ..model import Violation
from .base import SEVERITY_COLORS, Report, Summary, paint


def count_fixes(violations: Sequence[Violation]) -> tuple[int, int]:
    """(safe, unsafe) fixes among ``violations``."""
    safe = sum(1 for v in violations if v.fix is not None and v.fix.applicability == "safe")
    unsafe = sum(1 for v in violations if v.fix is not None and v.fix.applicability == "unsafe")
    return safe, unsafe


def summary_line(violations: Sequence[Violation], summary: Summary) -> str:
    return summary_text(summary, len(violations), *count_fixes(violations))


def summary_text(summary: Summary, n: int, fixable: int, hidden: int) -> str:
    """The last line: files, findings by severity (``summary.by_severity``), fixes.

    ``n`` findings, ``fixable`` of them with a safe fix, ``hidden`` with an unsafe one.
    """
    if summary.lang != "en":
        from ..i18n import summary_ko

        return summary_ko(summary.files, n, summary.by_severity, fixable, hidden, fixing=summary.fixing,
                          unsafe_fixes=summary.unsafe_fixes, fixed=summary.fixed)
    files = f"{summary.files} file{'s' if summary.files != 1 else ''} checked"
    if not n:
        line = f"{files}, no findings"
    else:
        parts = [f"{summary.by_severity.get(s, 0)} {s}{'s' if summary.by_severity.get(s, 0) != 1 else ''}"
                 for s in ("error", "warning", "info") if summary.by_severity.get(s)]
        line = f"{files}, {n} finding{'s' if n != 1 else ''} ({', '.join(parts)})"
        if summary.unsafe_fixes and not summary.fixing and (fixable or hidden):
            line += f"; {fixable + hidden} fixable with --fix --unsafe-fixes"
            fixable = hidden = 0
        if fixable:
            line += f"; {fixable} fixable with --fix"
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
    """``path:line:col: severity rule [*] message`` (coloured on a terminal).

    The severity is written as a word, colour or not: in a CI log an error
    must not look like an info. ``[*]``: a fix ``--fix`` applies (and, with
    ``--unsafe-fixes``, an unsafe one too).
    """
    fix = v.fix
    mark = " [*]" if fix is not None and (fix.applicability == "safe" or (
        summary.unsafe_fixes and fix.applicability == "unsafe")) else ""
    also = ""
    if v.extra and "related" in v.extra:  # a finding about several files names the others
        shown = v.extra["related"][:5]
        more = len(v.extra["related"]) - len(shown)
        also = " (also " + ", ".join(f"{r['path']}:{r['line']}" for r in shown) + (f" and {more} more" if more else "") + ")"
        if summary.lang != "en":
            from ..i18n import message

            also = " " + message(summary.lang, also[1:], "cli")
    if not summary.color:  # the usual case: no paint() calls (a warm corpus run writes thousands of lines)
        return f"{v.path}:{v.line}:{v.column}: {v.severity} {v.rule}{mark} {v.message}{also}"
    where = paint(f"{v.path}:{v.line}:{v.column}:", summary, bold=True)
    colour = SEVERITY_COLORS.get(v.severity)
    level = paint(v.severity, summary, fg=colour)
    rule = paint(v.rule, summary, fg=colour, bold=True)
    return f"{where} {level} {rule}{paint(mark, summary, fg='cyan')} {v.message}{also}"


def notes(summary: Summary) -> list[str]:
    """The notes for the end of a report (the baseline, unsafe fixes), in the run's language."""
    if summary.lang == "en" or not summary.notes:
        return summary.notes
    from ..i18n import message

    return [message(summary.lang, n, "cli") for n in summary.notes]


class HumanReport(Report):
    """What ``text`` and ``full`` share: the notes and the summary line at the end."""

    def end(self) -> None:
        tail = [*notes(self.summary), summary_text(self.summary, self.findings, self.fixable, self.unsafe)]
        self.out.write("\n".join(tail) + "\n")


class TextReport(HumanReport):
    def write_file(self, path: str, violations: Sequence[Violation]) -> None:
        if violations:
            self.out.write("".join(headline(v, self.summary) + "\n" for v in violations))
