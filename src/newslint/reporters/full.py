"""``--format full``: each finding with its source line and a caret under the span.

::

    posts/a.md:12:10: link-rel-invalid [*] rel="dofollow" is not a link type
       |
    12 | 부산 <a href="https://x.kr" rel="dofollow">기사</a>
       |                             ^^^^^^^^^^^^^^

Carets are aligned in terminal cells: Hangul and other wide characters take two
cells, tabs four. Very long lines (HTML pasted from a CMS editor is often one
line of thousands of characters) are cut to a window around the span. The
source comes from ``summary.source(path)``, which reads one file at a time.
"""

from __future__ import annotations

import unicodedata
from typing import Sequence

from ..model import Violation
from .base import SEVERITY_COLORS, Summary, paint
from .text import HumanReport, headline

MAX_WIDTH = 100  # cells of source shown per line
CONTEXT = 24  # cells kept before the span when a long line is cut
TAB = "    "


def _cell(ch: str) -> tuple[str, int]:
    """How one character is shown, and its width in terminal cells."""
    if ch == "\t":
        return TAB, len(TAB)
    o = ord(ch)
    if o < 0x20 or 0x7F <= o < 0xA0:
        return "\ufffd", 1
    if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cf", "Mn", "Me"):
        return ch, 0
    return ch, 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1


def render(line: str, col0: int, col1: int, max_width: int = MAX_WIDTH) -> tuple[str, str]:
    """(shown line, caret line) for the code points ``line[col0:col1]``."""
    col0 = max(0, min(col0, len(line)))
    col1 = max(col0, min(col1, len(line)))
    cells = [_cell(ch) for ch in line]
    starts = [0] * (len(cells) + 1)
    for i, (_s, w) in enumerate(cells):
        starts[i + 1] = starts[i] + w
    first, last = 0, len(cells)
    if starts[-1] > max_width:
        lo = max(0, starts[col0] - CONTEXT)
        hi = lo + max_width
        first = next(i for i in range(len(cells) + 1) if starts[i] >= lo)
        last = max(i for i in range(first, len(cells) + 1) if starts[i] <= hi)
    shown = "".join(s for s, _w in cells[first:last])
    pad = starts[max(col0, first)] - starts[first]
    span_end = min(col1, last)
    carets = max(1, starts[span_end] - starts[max(col0, first)])
    prefix = "…" if first > 0 else ""
    suffix = "…" if last < len(cells) else ""
    return prefix + shown + suffix, " " * (len(prefix) + pad) + "^" * carets


def snippet(v: Violation, lines: list[str] | None, summary: Summary) -> list[str]:
    """The source line of ``v`` with carets; ``lines`` is the file split on ``\\n``."""
    if lines is None or not 1 <= v.line <= len(lines):
        return []
    line = lines[v.line - 1].rstrip("\r")
    end_col = v.end_column if v.end_line == v.line else len(line) + 1
    shown, carets = render(line, v.column - 1, end_col - 1)
    gutter = " " * len(str(v.line))
    bar = paint("|", summary, fg="blue", bold=True)
    out = [f"{gutter} {bar}",
           f"{paint(str(v.line), summary, fg='blue', bold=True)} {bar} {shown}",
           f"{gutter} {bar} {paint(carets, summary, fg=SEVERITY_COLORS.get(v.severity), bold=True)}"]
    if summary.lang != "en":
        from ..i18n import ui
    else:
        ui = _english
    if v.end_line > v.line:
        out[-1] += " " + ui(summary.lang, "(to line {line})", line=v.end_line)
    if v.fix is not None and v.fix.message:
        out.append(f"{gutter} = {paint(ui(summary.lang, 'fix'), summary, fg='cyan')} "
                   f"({ui(summary.lang, v.fix.applicability)}): {v.fix.message}")
    return out


def _english(lang: str, text: str, **values: object) -> str:
    return text.format(**values) if values else text


class FullReport(HumanReport):
    def write_file(self, path: str, violations: Sequence[Violation]) -> None:
        if not violations:
            return
        text = self.summary.source(path)
        source = text.split("\n") if text is not None else None
        lines: list[str] = []
        for v in violations:
            lines.append(headline(v, self.summary))
            lines.extend(snippet(v, source, self.summary))
            lines.append("")
        self.out.write("\n".join(lines) + "\n")
