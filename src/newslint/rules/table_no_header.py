from __future__ import annotations

from html import unescape

from ..model import Finding
from ..ruleapi import Rule
from .table_shape import gfm_cells, html_rows, is_code_table, table_width

_LAYOUT_ROLES = frozenset(("presentation", "none"))


def _has_header_markup(table) -> bool:
    """A ``<th>`` or ``<thead>`` of this table (nested tables do not count)."""
    stack = list(table.children)
    while stack:
        el = stack.pop()
        if el.tag in ("th", "thead"):
            return True
        if el.tag != "table":
            stack.extend(el.children)
    return False


def _int_option(options, key: str, default: int) -> int:
    try:
        return max(1, int(options.get(key, default)))
    except (TypeError, ValueError):
        return default


class TableNoHeader(Rule):
    """A data table without header cells.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reports, at the start of the table, an HTML table that has no `<th>` cell
    and no `<thead>` anywhere (cells of nested tables do not count), and a
    Markdown (GFM) table whose header cells are all empty.

    Only data tables are checked: a table needs at least `min_rows` rows and
    `min_columns` columns (see `table-column-count` for how columns are
    counted). A one-row or one-column table is most likely layout (images side
    by side, a boxed note) and is skipped, and so is a table marked
    `role="presentation"` or `role="none"`, and a syntax highlighter's
    line-number table (`class="hljs-ln"`, `rouge-table`, `highlighttable`,
    `lntable`) or a table inside `<pre>`.

    ## Why is this bad?
    Without header cells a table is a grid of anonymous values: screen readers
    cannot announce which column a value belongs to, themes cannot style the
    header row, and readers of a long table lose track of the columns. Tables
    pasted from CMS editors (Tistory, Word) typically carry their header as a
    bold first row of ordinary `<td>` cells.

    ## Example
    ```html
    <table>
      <tr><td><b>Item</b></td><td><b>Value</b></td></tr>
      <tr><td>Period</td><td>2024-2026</td></tr>
    </table>
    ```

    ## Use instead
    ```html
    <table>
      <thead>
        <tr><th>Item</th><th>Value</th></tr>
      </thead>
      <tr><td>Period</td><td>2024-2026</td></tr>
    </table>
    ```
    A table whose first column names the rows can use `<th scope="row">` in
    each row instead. A table used only for layout should say so with
    `role="presentation"`.

    ## Options
    - `min_rows` (default 2): the fewest rows (body rows, for a Markdown table) a table needs to be checked.
    - `min_columns` (default 2): the fewest columns a table needs to be checked.
    """

    name = "table-no-header"
    code = "NL402"
    severity = "warning"
    tags = ("tables", "accessibility")
    options = {"min_rows": 2, "min_columns": 2}

    def check(self, doc, options):
        out: list[Finding] = []
        tables = doc.html.find_all("table")
        md_tables = doc.markdown.tables
        if not tables and not md_tables:
            return out  # most posts
        min_rows = _int_option(options, "min_rows", 2)
        min_cols = _int_option(options, "min_columns", 2)
        for table in tables:
            if is_code_table(table):
                continue  # a highlighter's line-number table: code, not data
            role = (table.get("role") or "").strip().lower()
            if role in _LAYOUT_ROLES:
                continue
            if _has_header_markup(table):
                continue
            rows = html_rows(table)
            if len(rows) < min_rows:
                continue
            width = table_width([r.width for r in rows])
            if width < min_cols:
                continue
            out.append(Finding(table.start, table.start_end,
                               f"table of {len(rows)} rows and {width} columns has no header cells (`<th>`)"))
        text = doc.text
        for table in md_tables:
            if not table.rows or not table.rows[0].header:
                continue
            head = table.rows[0]
            body = len(table.rows) - 1
            if body < min_rows:
                continue
            cells = gfm_cells(text[head.start:head.end])
            if len(cells) < min_cols:
                continue
            if any(unescape(c).strip() for c in cells):
                continue
            end = head.end
            while end > head.start and text[end - 1] in "\r\n":
                end -= 1
            out.append(Finding(table.start, end,
                               f"table of {body} rows and {len(cells)} columns has an empty header row"))
        return out
