"""The shape of a table (rows, cells, column spans), shared by the table rules.

Not a rule: ``table-column-count`` and ``table-no-header`` both need the rows of
an HTML table as a browser lays them out, and the cells of a GFM table row.

HTML tables follow the HTML table model, simplified to what a linter needs:

* rows are the ``<tr>`` of the table itself, in ``<thead>``/``<tbody>``/
  ``<tfoot>`` or directly under ``<table>``; a nested ``<table>`` is a table of
  its own and never contributes rows or cells to the outer one;
* ``colspan`` and ``rowspan`` are read with HTML's "non-negative integer" rules
  (``"2px"`` is 2); a missing, invalid or zero ``colspan`` is 1, a missing or
  invalid ``rowspan`` is 1 and ``rowspan="0"`` spans the rest of the row group;
  values are clamped as browsers do (1000 columns, 65534 rows);
* a row's width is the number of grid slots it covers: the ``colspan`` of its
  own cells plus the slots carried down from ``rowspan`` cells of earlier rows
  in the same row group (a ``rowspan`` never crosses ``<thead>``/``<tbody>``).
"""

from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass
from typing import TYPE_CHECKING


if TYPE_CHECKING:
    from ..html import Element

MAX_COLSPAN = 1000
MAX_ROWSPAN = 65534
GRID_BUDGET = 2_000_000
_ROW_GROUPS = ("thead", "tbody", "tfoot")
_INT = re.compile(r"[ \t\n\f\r]*\+?([0-9]+)")


def parse_span(value: str | None, *, zero_ok: bool = False, limit: int = MAX_COLSPAN) -> int:
    """HTML's "rules for parsing non-negative integers", clamped; invalid -> 1."""
    if value is None:
        return 1
    m = _INT.match(value)
    if not m:
        return 1
    digits = m.group(1).lstrip("0")
    if not digits:
        return 0 if zero_ok else 1
    if len(digits) > 6:
        return limit
    return min(int(digits), limit)


@dataclass(slots=True)
class HtmlRow:
    el: "Element"  # the <tr>
    cells: int  # td/th written in this row
    width: int  # grid slots covered: own colspans + slots carried by earlier rowspans
    spans: bool  # True when colspan or carried rowspans make width differ from cells
    has_th: bool


# Tables that syntax highlighters build for code with line numbers: code, not data.
CODE_TABLE_CLASSES = frozenset(("hljs-ln", "rouge-table", "highlighttable", "lntable", "code-table"))


def is_code_table(table: "Element") -> bool:
    """A highlighter's line-number table (highlight.js, Rouge, Pygments, Chroma) or a table in ``<pre>``."""
    cls = table.get("class")
    if cls and not CODE_TABLE_CLASSES.isdisjoint(cls.lower().split()):
        return True
    return any(a.tag in ("pre", "code") for a in table.ancestors())


def table_rows(table: "Element") -> list["Element"]:
    """The ``<tr>`` elements that belong to ``table`` (not to nested tables)."""
    rows: list[Element] = []
    stack = list(reversed(table.children))
    while stack:
        el = stack.pop()
        tag = el.tag
        if tag == "tr":
            rows.append(el)
        elif tag == "table":
            continue  # a nested table is a table of its own
        elif tag in ("td", "th"):
            continue  # a cell outside any row: not part of the grid
        else:
            stack.extend(reversed(el.children))
    return rows


def row_cells(tr: "Element") -> list["Element"]:
    """The ``<td>``/``<th>`` of a row, looking through stray wrappers but not into cells."""
    cells: list[Element] = []
    stack = list(reversed(tr.children))
    while stack:
        el = stack.pop()
        if el.tag in ("td", "th"):
            cells.append(el)
        elif el.tag not in ("tr", "table"):
            stack.extend(reversed(el.children))
    return cells


def _group_of(tr: "Element", table: "Element") -> "Element":
    for anc in tr.ancestors():
        if anc.tag in _ROW_GROUPS or anc is table:
            return anc
    return table


def html_rows(table: "Element") -> list[HtmlRow]:
    """The rows of an HTML table with their widths, rowspans carried down.

    Empty when the table's spans are too large to lay out cheaply.
    """
    trs = table_rows(table)
    out: list[HtmlRow] = []
    # Carried slots: column index -> rows still covered (after the current one).
    carried: dict[int, int] = {}
    group = None
    # Rows left in the current row group, for rowspan="0".
    group_sizes: Counter = Counter(id(_group_of(tr, table)) for tr in trs)
    seen_in_group: Counter = Counter()
    # Grid slots we are willing to visit for one table (colspan is clamped to
    # 1000 per cell, but a thousand such cells in a thousand rows would not be).
    budget = GRID_BUDGET
    for tr in trs:
        g = _group_of(tr, table)
        if g is not group:
            carried = {}
            group = g
        seen_in_group[id(g)] += 1
        rows_left = group_sizes[id(g)] - seen_in_group[id(g)] + 1
        occupied = set(carried)
        cells = row_cells(tr)
        col = 0
        has_th = False
        for cell in cells:
            if cell.tag == "th":
                has_th = True
            colspan = parse_span(cell.get("colspan"))
            rowspan = parse_span(cell.get("rowspan"), zero_ok=True, limit=MAX_ROWSPAN)
            if rowspan == 0:
                rowspan = max(rows_left, 1)
            while col in occupied:
                col += 1
            budget -= colspan
            if budget < 0:
                return []  # absurd spans (an attack or a broken export): give up on this table
            for c in range(col, col + colspan):
                occupied.add(c)
                if rowspan > 1:
                    carried[c] = max(carried.get(c, 0), rowspan)
            col += colspan
        width = len(occupied)
        out.append(HtmlRow(tr, len(cells), width, width != len(cells), has_th))
        # One row consumed: every carried slot covers one row less.
        budget -= len(carried)
        carried = {c: n - 1 for c, n in carried.items() if n - 1 >= 1}
    return out


def table_width(widths: list[int]) -> int:
    """The width of a table: the most common row width; on a tie, the widest.

    The first row is not trusted more than the others: a title row written as
    one plain cell (instead of ``colspan``) is exactly the mistake to report.
    """
    if not widths:
        return 0
    counts = Counter(widths)
    return max(counts, key=lambda w: (counts[w], w))




def gfm_cells(row: str) -> list[str]:
    """The cells of a Markdown table row as written.

    Pipes escaped as ``\\|`` and pipes inside code spans do not separate cells
    (kramdown, Jekyll's renderer, reads them so; GFM renderers split at a pipe
    in a code span too, which is why we count what the author meant and leave
    that difference alone). The same count as ``MdTableRow.cells``.
    """
    s = row.strip()
    masked = s
    if "`" in masked:
        from ..markdown import _mask_code_spans  # linear; here, not at the top: a warm run never imports pyromark

        masked = _mask_code_spans(masked)
    if "\\" in masked:
        masked = masked.replace("\\|", "xx")
    lo, hi = 0, len(s)
    if masked.startswith("|"):
        lo = 1
    if hi > lo and masked.endswith("|"):
        hi -= 1
    cells: list[str] = []
    start = lo
    for i in range(lo, hi):
        if masked[i] == "|":
            cells.append(s[start:i])
            start = i + 1
    cells.append(s[start:hi])
    return cells


def has_pipe(row: str) -> bool:
    """True when the row has a cell separator of its own (outside code spans, unescaped).

    GFM also takes the line right after a table as a row when it has no pipe
    at all (a Liquid include, a ``{.class}`` attribute list, the next
    sentence); kramdown and most other renderers end the table there.
    """
    masked = row
    if "`" in masked:
        from ..markdown import _mask_code_spans  # linear; here, not at the top: a warm run never imports pyromark

        masked = _mask_code_spans(masked)
    return "|" in masked.replace("\\|", "xx")
