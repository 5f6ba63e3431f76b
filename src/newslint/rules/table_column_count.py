from __future__ import annotations

from collections import Counter

from ..model import Finding
from ..ruleapi import Rule
from .table_shape import has_pipe, html_rows, is_code_table, table_width


def _plural(n: int, word: str) -> str:
    return f"{n} {word}" if n == 1 else f"{n} {word}s"


class TableColumnCount(Rule):
    """A table row with more or fewer columns than the rest of its table.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reports every table row whose width differs from the table's width, once
    per row, at the start of the row (the `<tr` of an HTML table, the first
    character of a Markdown table row).

    For HTML tables, a row's width is the sum of the `colspan` of its `<td>`
    and `<th>` cells plus the columns still covered by `rowspan` cells of the
    rows above it (within the same `<thead>`, `<tbody>` or `<tfoot>`). A
    missing or invalid `colspan`/`rowspan` counts as 1, `rowspan="0"` spans
    the rest of the row group, and huge values are clamped as browsers do. The
    table's width is the most common row width; on a tie, the widest. The
    first row gets no special trust: a title row written as one plain cell,
    where `colspan` was meant, is exactly the mistake this rule is for; a
    `<thead>` row of the wrong width is one finding, at that row. A
    nested table is checked as a table of its own. Tables a syntax
    highlighter builds for line-numbered code (`class="hljs-ln"`,
    `rouge-table`, `highlighttable`, `lntable`) and tables inside `<pre>` are
    code and are skipped.

    For Markdown (GFM) tables, each body row's cells as written are compared
    with the header row's. When most body rows (two or more) agree on another
    width, the header is what is off: one finding at the header row says so
    and counts the rows, and only the rows that differ from both are reported
    on their own. A pipe escaped as `\\|` or inside a code span does
    not separate cells (kramdown reads them so; GFM renderers split at a pipe
    in a code span, so escape it to be safe on both). A line without any pipe
    right after a table (a Liquid `{% include %}`, a `{.class}` attribute
    list) is not counted as a row: GFM would swallow it into the table, but
    kramdown ends the table there.

    ## Why is this bad?
    Browsers lay a ragged HTML table out as a grid anyway: a short row leaves a
    hole at its end, a title cell squeezes into the first column, and a long
    row pushes a phantom column into every other row. In a GFM table, missing
    cells are silently left empty and extra cells are silently dropped, so
    text disappears from the page. Such tables often come from pasting a
    table out of a CMS editor.

    ## Example
    ```html
    <table>
      <tr><td>Project overview</td></tr>
      <tr><td>Period</td><td>2024-2026</td></tr>
      <tr><td>Budget</td><td>6.8 billion won</td></tr>
    </table>
    ```

    ## Use instead
    ```html
    <table>
      <tr><th colspan="2">Project overview</th></tr>
      <tr><td>Period</td><td>2024-2026</td></tr>
      <tr><td>Budget</td><td>6.8 billion won</td></tr>
    </table>
    ```

    ## Options
    This rule has no options.
    """

    name = "table-column-count"
    code = "NL401"
    severity = "error"
    tags = ("tables",)

    def check(self, doc, options):
        out: list[Finding] = []
        tables = doc.html.find_all("table")
        md_tables = doc.markdown.tables
        if not tables and not md_tables:
            return out  # most posts
        for table in tables:
            if is_code_table(table):
                continue  # a highlighter's line-number table: code, not data
            rows = html_rows(table)
            if len(rows) < 2:
                continue
            width = table_width([r.width for r in rows])
            for row in rows:
                if row.width == width:
                    continue
                if row.spans:
                    what = f"row spans {_plural(row.width, 'column')}"
                else:
                    what = f"row has {_plural(row.cells, 'cell')}"
                if row.has_th and row.el.parent is not None and row.el.parent.tag == "thead":
                    what = "header " + what
                out.append(Finding(row.el.start, row.el.start_end,
                                   f"{what}, the table has {_plural(width, 'column')}"))
        text = doc.text
        for table in md_tables:
            if len(table.rows) < 2 or not table.rows[0].header:
                continue
            head = table.rows[0]
            header = head.cells
            if all(row.cells == header for row in table.rows[1:]):
                continue  # no row to report, whichever lines count as rows
            ragged: list[tuple[int, int, int]] = []  # (start, end, cells) of the rows that differ
            body = 0
            for row in table.rows[1:]:
                end = row.end
                while end > row.start and text[end - 1] in "\r\n":
                    end -= 1
                if not has_pipe(text[row.start:end]):
                    continue  # a line run into the table (see has_pipe), not a row the author wrote
                body += 1
                if row.cells != header:
                    ragged.append((row.start, end, row.cells))
            if not ragged:
                continue
            # Most body rows agree on another width: the header is what is off, one mistake.
            counts = Counter(c for _s, _e, c in ragged)
            width, agree = max(counts.items(), key=lambda kv: (kv[1], kv[0]))
            if agree >= 2 and agree * 2 > body:
                end = head.end
                while end > head.start and text[end - 1] in "\r\n":
                    end -= 1
                out.append(Finding(head.start, end,
                                   f"header row has {_plural(header, 'cell')}, but {agree} of the {body} body rows "
                                   f"have {width}: {_effect(width, header, each=True)}, because the header sets the "
                                   "table's width"))
                ragged = [r for r in ragged if r[2] != width]
            for start, end, cells in ragged:
                out.append(Finding(start, end,
                                   f"row has {_plural(cells, 'cell')}, the table has {_plural(header, 'column')} "
                                   f"({_effect(cells, header)})"))
        return out


def _effect(cells: int, header: int, each: bool = False) -> str:
    if cells < header:
        return "missing cells are left empty"
    extra = cells - header
    if each:
        return "the extra cell of each is dropped" if extra == 1 else f"the {extra} extra cells of each are dropped"
    return "the extra cell is dropped" if extra == 1 else f"the {extra} extra cells are dropped"
