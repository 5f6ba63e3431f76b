"""table-column-count, table-no-header, editor-spacer-paragraph, editor-attributes."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import REFERENCE, lint_text, needs_shared
from newslint.config import Config
from newslint.document import Document
from newslint.fixer import fix_text
from newslint.linter import lint_document
from newslint.rules.editor_attributes import default_patterns
from newslint.rules.editor_spacer_paragraph import deletion_span
from newslint.rules.table_shape import gfm_cells, parse_span, table_width

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
FM = "---\ntitle: 시험\n---\n"


def found(text: str, rule: str, path: str = "post.md", **options):
    config = Config(select=[rule])
    if options:
        config.rule_options = {rule: options}
    return [v for v in lint_text(text, path, config=config) if v.rule == rule]


def where(text: str, rule: str, path: str = "post.md", **options):
    return [(v.line, v.column) for v in found(text, rule, path, **options)]


def apply_fixes(text: str, violations, unsafe: bool = True) -> str:
    """Apply the fixes' edits to the original text, from the end backwards."""
    edits = [e for v in violations if v.fix and (unsafe or v.fix.applicability == "safe") for e in v.fix.edits]
    edits.sort(key=lambda e: e.start, reverse=True)
    for e in edits:
        text = text[: e.start] + e.content + text[e.end :]
    return text


def table(*rows: str, attrs: str = "") -> str:
    return f"<table{attrs}>\n" + "\n".join(rows) + "\n</table>\n"


# ---------------------------------------------------------------------------
# table shape helpers
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("value,expected", [
    (None, 1), ("2", 2), (" 3", 3), ("2px", 2), ("+2", 2), ("abc", 1), ("", 1), ("-1", 1),
    ("0", 1), ("007", 7), ("99999999999999", 1000), ("1001", 1000),
])
def test_parse_colspan(value, expected):
    assert parse_span(value) == expected


def test_parse_rowspan_zero_means_rest_of_group():
    assert parse_span("0", zero_ok=True, limit=65534) == 0
    assert parse_span("70000", zero_ok=True, limit=65534) == 65534


def test_table_width_is_most_common_then_widest():
    assert table_width([1, 2, 2, 2]) == 2
    assert table_width([3, 2]) == 3
    assert table_width([2, 3, 3, 2]) == 3
    assert table_width([]) == 0


@pytest.mark.parametrize("row,cells", [
    ("| a | b |", 2), ("a | b", 2), ("|a|", 1), ("| a \\| b | c |", 2),
    # A pipe in a code span is content, as kramdown reads it.
    ("| 1 | `x|y` |", 2), ("| | |\r\n", 2),
])
def test_gfm_cells(row, cells):
    assert len(gfm_cells(row)) == cells


# ---------------------------------------------------------------------------
# table-column-count
# ---------------------------------------------------------------------------
R = "table-column-count"


def test_reference_shape_one_cell_title_row_is_reported():
    text = FM + table(
        "  <tr><td><b>사업 개요</b></td></tr>",
        "  <tr><td>사업 기간</td><td>2024~2026년</td></tr>",
        "  <tr><td>총 예산</td><td>68억</td></tr>",
    )
    vs = found(text, R)
    assert [(v.line, v.column) for v in vs] == [(5, 3)]
    assert vs[0].message == "row has 1 cell, the table has 2 columns"
    assert vs[0].severity == "error" and vs[0].code == "NL401"


def test_long_row_reported():
    text = FM + table("<tr><td>a</td><td>b</td></tr>", "<tr><td>a</td><td>b</td></tr>", "<tr><td>a</td><td>b</td><td>c</td></tr>")
    vs = found(text, R)
    assert [(v.line, v.column) for v in vs] == [(7, 1)]
    assert vs[0].message == "row has 3 cells, the table has 2 columns"


def test_colspan_counts():
    text = FM + table("<tr><th colspan='2'>제목</th></tr>", "<tr><td>a</td><td>b</td></tr>", "<tr><td colspan=\"2\">합계</td></tr>")
    assert where(text, R) == []


def test_colspan_too_wide_is_reported_as_span():
    text = FM + table("<tr><td colspan='3'>제목</td></tr>", "<tr><td>a</td><td>b</td></tr>", "<tr><td>a</td><td>b</td></tr>")
    vs = found(text, R)
    assert [(v.line, v.column) for v in vs] == [(5, 1)]
    assert vs[0].message == "row spans 3 columns, the table has 2 columns"


def test_rowspan_carried_down():
    text = FM + table(
        "<tr><td rowspan='3'>구분</td><td>a</td><td>b</td></tr>",
        "<tr><td>c</td><td>d</td></tr>",
        "<tr><td>e</td><td>f</td></tr>",
        "<tr><td>g</td><td>h</td><td>i</td></tr>",
    )
    assert where(text, R) == []


def test_rowspan_slots_are_skipped_when_placing_cells():
    # Columns 0 and 2 are carried down; the second row fills column 1: fine.
    ok = FM + table("<tr><td rowspan=2>a</td><td>b</td><td rowspan=2>c</td></tr>", "<tr><td>d</td></tr>",
                    "<tr><td>e</td><td>f</td><td>g</td></tr>")
    assert where(ok, R) == []
    # The second row adds a cell where none is free: it is one too wide.
    bad = FM + table("<tr><td rowspan=2>a</td><td>b</td></tr>", "<tr><td>c</td><td>d</td></tr>",
                     "<tr><td>e</td><td>f</td></tr>")
    assert where(bad, R) == [(6, 1)]


def test_invalid_spans_count_as_one():
    text = FM + table("<tr><td colspan='abc'>a</td><td rowspan='x'>b</td></tr>", "<tr><td colspan='0'>c</td><td>d</td></tr>")
    assert where(text, R) == []


def test_rowspan_zero_spans_rest_of_group():
    text = FM + table(
        "<tbody>",
        "<tr><td rowspan='0'>구분</td><td>a</td></tr>",
        "<tr><td>b</td></tr>",
        "<tr><td>c</td></tr>",
        "</tbody>",
    )
    assert where(text, R) == []


def test_rowspan_does_not_cross_row_groups():
    text = FM + table(
        "<thead><tr><th rowspan='5'>a</th><th>b</th></tr></thead>",
        "<tbody><tr><td>c</td><td>d</td></tr>",
        "<tr><td>e</td></tr></tbody>",
    )
    # The <th rowspan=5> stops at the end of <thead>: "e" is a 1-cell row.
    assert where(text, R) == [(7, 1)]


def test_huge_spans_are_clamped_and_do_not_hang():
    rows = ["<tr>" + "<td colspan='99999999' rowspan='99999999'>x</td>" * 50 + "</tr>"] * 60
    text = FM + table(*rows)
    # No assertion on timing beyond the run finishing; the result must be sane.
    assert where(text, R) == []


def test_thead_tbody_tfoot_and_implied_end_tags():
    text = FM + (
        "<table>\n"
        "<thead><tr><th>이름<th>값\n"
        "<tbody>\n"
        "<tr><td>a<td>1\n"
        "<tr><td>b\n"
        "<tr><td>c<td>3\n"
        "<tfoot><tr><td>합계<td>4\n"
        "</table>\n"
    )
    assert where(text, R) == [(8, 1)]


def test_nested_tables_are_separate():
    text = FM + table(
        "<tr><td>a</td><td><table><tr><td>x</td></tr><tr><td>y</td><td>z</td><td>w</td></tr></table></td></tr>",
        "<tr><td>b</td><td>c</td></tr>",
    )
    vs = found(text, R)
    # Only the inner table's rows disagree; the outer table is 2 x 2.
    assert len(vs) == 1
    assert vs[0].line == 5 and vs[0].message.endswith("the table has 3 columns")


def test_single_row_table_is_not_compared():
    assert where(FM + table("<tr><td>a</td><td>b</td></tr>"), R) == []


def test_gfm_rows():
    text = FM + "| 이름 | 값 | 비고 |\n|---|---|---|\n| a | 1 | x |\n| b | 2 |\n| c | 3 | y | z |\n"
    vs = found(text, R)
    assert [(v.line, v.column) for v in vs] == [(7, 1), (8, 1)]
    assert vs[0].message == "row has 2 cells, the table has 3 columns (missing cells are left empty)"
    assert vs[1].message == "row has 4 cells, the table has 3 columns (the extra cell is dropped)"


def test_gfm_lines_without_pipe_run_into_the_table_are_not_rows():
    text = FM + "| 이름 | 값 | 비고 |\n|---|---|---|\n| a | 1 | x |\n{% include rows.md %}\n{.table-striped}\n&nbsp;\n"
    assert where(text, R) == []


def test_gfm_escaped_pipe_is_not_a_separator():
    text = FM + "| 식 | 뜻 |\n|---|---|\n| a \\| b | 또는 |\n"
    assert where(text, R) == []


def test_positions_after_korean_crlf_and_bom():
    body = "표는 아래와 같습니다: <table><tr><td>제목</td></tr><tr><td>a</td><td>b</td></tr><tr><td>c</td><td>d</td></tr></table>\n"
    text = FM + body
    assert where(text, R) == [(4, 21)]
    crlf = text.replace("\n", "\r\n")
    assert where(crlf, R) == [(4, 21)]
    doc = Document.from_text(crlf, "post.md", bom=True)
    vs = [v for v in lint_document(doc, Config(select=[R])) if v.rule == R]
    assert [(v.line, v.column) for v in vs] == [(4, 21)]


def test_never_inside_code():
    broken = "<table><tr><td>x</td></tr><tr><td>a</td><td>b</td></tr></table>"
    text = FM + (
        f"```html\n{broken}\n```\n\n"
        f"    {broken}\n\n"
        f"인라인 `{broken}` 코드\n\n"
        f"{{% highlight html %}}\n{broken}\n{{% endhighlight %}}\n\n"
        "```\n| a | b |\n|---|---|\n| 1 |\n```\n"
    )
    assert where(text, R) == []
    assert where(text, "table-no-header") == []


@pytest.mark.parametrize("attrs", [' class="hljs-ln"', " class='rouge-table'", ' class="highlighttable x"', ' class="lntable"'])
def test_highlighter_line_number_tables_are_code(attrs):
    text = FM + table("<tr><td>1</td></tr>", "<tr><td>2</td><td>int x = 1;</td></tr>", "<tr><td>3</td><td>}</td></tr>", attrs=attrs)
    assert where(text, R) == []
    assert where(text, "table-no-header") == []


def test_html_file_and_highlight_in_html_file():
    broken = "<table><tr><td>x</td></tr><tr><td>a</td><td>b</td></tr></table>"
    text = FM + f"{{% highlight html %}}\n{broken}\n{{% endhighlight %}}\n<div>\n{broken}\n</div>\n"
    assert where(text, R, path="post.html") == [(8, 8)]


# ---------------------------------------------------------------------------
# table-no-header
# ---------------------------------------------------------------------------
H = "table-no-header"
DATA = ("<tr><td>항목</td><td>값</td></tr>", "<tr><td>기간</td><td>3년</td></tr>")


def test_no_header_reported_at_table_start():
    text = FM + "\n앞 문단\n\n" + table(*DATA, attrs=' style="width:100%"')
    vs = found(text, H)
    assert [(v.line, v.column) for v in vs] == [(7, 1)]
    assert vs[0].message == "table of 2 rows and 2 columns has no header cells (`<th>`)"
    assert vs[0].severity == "warning" and vs[0].code == "NL402"


@pytest.mark.parametrize("rows", [
    ("<tr><th>항목</th><th>값</th></tr>", DATA[1]),
    ("<thead><tr><td>항목</td><td>값</td></tr></thead>", DATA[1]),
    ("<tr><th scope='row'>기간</th><td>3년</td></tr>", "<tr><th scope='row'>예산</th><td>68억</td></tr>"),
])
def test_header_cells_satisfy(rows):
    assert where(FM + table(*rows), H) == []


@pytest.mark.parametrize("attrs", [' role="presentation"', " role='none'", ' ROLE="Presentation"'])
def test_presentation_tables_skipped(attrs):
    assert where(FM + table(*DATA, attrs=attrs), H) == []


def test_layout_shapes_skipped():
    one_row = table("<tr><td><img src='a.png' alt='a'></td><td><img src='b.png' alt='b'></td></tr>")
    one_col = table("<tr><td>a</td></tr>", "<tr><td>b</td></tr>", "<tr><td>c</td></tr>")
    assert where(FM + one_row + "\n" + one_col, H) == []


def test_th_of_nested_table_does_not_count_for_outer():
    inner = "<table><tr><th>x</th><th>y</th></tr><tr><td>1</td><td>2</td></tr></table>"
    text = FM + table(f"<tr><td>a</td><td>{inner}</td></tr>", "<tr><td>b</td><td>c</td></tr>")
    assert where(text, H) == [(4, 1)]


def test_min_rows_option():
    text = FM + table(*DATA)
    assert where(text, H, min_rows=3) == []
    assert where(text, H, min_rows=2, min_columns=3) == []


def test_gfm_empty_header():
    text = FM + "|  |  |\n|--|--|\n| 준비물 | 필기도구 |\n| 대상 | 초등학생 |\n"
    vs = found(text, H)
    assert [(v.line, v.column) for v in vs] == [(4, 1)]
    assert vs[0].message == "table of 2 rows and 2 columns has an empty header row"
    nbsp = FM + "| &nbsp; | &nbsp; |\n|--|--|\n| 준비물 | 필기도구 |\n| 대상 | 초등학생 |\n"
    assert where(nbsp, H) == [(4, 1)]
    named = FM + "| 항목 |  |\n|--|--|\n| 준비물 | 필기도구 |\n| 대상 | 초등학생 |\n"
    assert where(named, H) == []


# ---------------------------------------------------------------------------
# editor-spacer-paragraph
# ---------------------------------------------------------------------------
S = "editor-spacer-paragraph"


@pytest.mark.parametrize("spacer", [
    '<p data-ke-size="size16">&nbsp;</p>', "<p>&nbsp;</p>", "<p><br></p>", "<p><br/><br /></p>",
    '<p><br data-mce-bogus="1"></p>', "<div>&nbsp;</div>", "<div><br></div>", "<p></p>", "<p> </p>",
    "<p>\u00a0</p>", "<p>&#160;</p>", "<p>&nbsp; &nbsp;&nbsp;</p>", '<p class="MsoNormal">&nbsp;</p>',
    "<P>&NBSP;</P>".replace("&NBSP;", "&nbsp;"), "<p>\n&nbsp;\n</p>",
])
def test_spacer_forms(spacer):
    text = FM + "<p>앞</p>\n\n" + spacer + "\n\n<p>뒤</p>\n"
    vs = found(text, S)
    assert [(v.line, v.column) for v in vs] == [(6, 1)]
    assert vs[0].severity == "warning" and vs[0].code == "NL501"
    assert vs[0].fix is not None and vs[0].fix.applicability == "safe"
    # One of the two blank lines around the spacer goes with it: no doubled blank line.
    assert apply_fixes(text, vs) == FM + "<p>앞</p>\n\n<p>뒤</p>\n"


@pytest.mark.parametrize("html", [
    '<p><img src="a.png" alt="사진"></p>', "<p><span>&nbsp;</span></p>", "<p>x</p>", "<p>&nbsp;.</p>",
    "<p><!-- more --></p>", '<p id="top"></p>', '<div class="og-image">&nbsp;</div>', "<div></div>",
    '<div id="disqus_thread"></div>', "<table><tr><td><p>&nbsp;</p></td><td>a</td></tr></table>",
    '<figure><div>&nbsp;</div></figure>', "<p><a href='/x'></a></p>", "<p>{% include ad.html %}</p>",
])
def test_not_spacers(html):
    assert where(FM + html + "\n", S) == []


def test_markdown_nbsp_paragraph():
    text = FM + "첫 문단\n\n&nbsp;\n\n\u00a0\n\n둘째 문단\n"
    vs = found(text, S)
    assert [(v.line, v.column) for v in vs] == [(6, 1), (8, 1)]
    assert apply_fixes(text, vs) == FM + "첫 문단\n\n둘째 문단\n"


def test_markdown_list_item_nbsp_is_not_spacing_but_blockquote_is():
    text = FM + "- a\n\n- &nbsp;\n\n> 인용\n>\n> &nbsp;\n"
    vs = found(text, S)
    assert [(v.line, v.column) for v in vs] == [(10, 3)]
    assert apply_fixes(text, vs) == FM + "- a\n\n- &nbsp;\n\n> 인용\n>\n>\n"


def test_reference_post_spacer_lines_crlf_and_bom():
    spacer = '<p data-ke-size="size16">&nbsp;</p>'
    text = FM + f"<h2>부산시</h2>\n\n{spacer}\n\n<p>본문입니다.</p>\n\n{spacer}\n\n<p>끝</p>\n"
    expected_fixed = FM + "<h2>부산시</h2>\n\n<p>본문입니다.</p>\n\n<p>끝</p>\n"
    assert where(text, S) == [(6, 1), (10, 1)]
    crlf = text.replace("\n", "\r\n")
    vs = found(crlf, S)
    assert [(v.line, v.column) for v in vs] == [(6, 1), (10, 1)]
    # \r\n is deleted as a unit: no lone \r is left behind.
    fixed = apply_fixes(crlf, vs)
    assert fixed == expected_fixed.replace("\n", "\r\n")
    assert "\r\r" not in fixed and fixed.count("\r") == fixed.count("\n")
    doc = Document.from_text(crlf, "post.md", bom=True)
    vs = [v for v in lint_document(doc, Config(select=[S])) if v.rule == S]
    assert [(v.line, v.column) for v in vs] == [(6, 1), (10, 1)]


def test_spacer_sharing_a_line_keeps_the_line():
    text = FM + "<p>문장</p> <p>&nbsp;</p>\n<p>&nbsp;</p><p>다음</p>\n"
    vs = found(text, S)
    assert [(v.line, v.column) for v in vs] == [(4, 11), (5, 1)]
    assert apply_fixes(text, vs) == FM + "<p>문장</p>\n<p>다음</p>\n"


def test_spacer_opening_an_html_block_before_text_is_unsafe():
    text = FM + "<p>&nbsp;</p>\n실시간 뉴스는 <a href='https://example.com'>여기</a>\n"
    vs = found(text, S)
    assert len(vs) == 1 and vs[0].fix.applicability == "unsafe"
    # Inside a block (the line above is HTML of the same block) the line can go.
    inside = FM + "<div>\n<p>&nbsp;</p>\n    text\n</div>\n"
    vs = found(inside, S)
    assert len(vs) == 1 and vs[0].fix.applicability == "safe"
    # Followed by another block-level tag: the next line opens its own block.
    before_tag = FM + "문단\n<p>&nbsp;</p>\n<p>다음</p>\n"
    vs = found(before_tag, S)
    assert len(vs) == 1 and vs[0].fix.applicability == "safe"
    # After a paragraph line, a <b> line would join the paragraph: unsafe.
    before_inline = FM + "문단\n<p>&nbsp;</p>\n<b>굵게</b>\n"
    vs = found(before_inline, S)
    assert len(vs) == 1 and vs[0].fix.applicability == "unsafe"
    # HTML posts have no Markdown blocks: always safe.
    vs = found(text, S, path="post.html")
    assert len(vs) == 1 and vs[0].fix.applicability == "safe"


def test_implied_end_tag_reported_without_fix():
    text = FM + "<div>\n<p>&nbsp;\n<p>본문</p>\n</div>\n"
    vs = found(text, S)
    assert [(v.line, v.column) for v in vs] == [(5, 1)]
    assert vs[0].fix is None
    # An empty <p> closed by the next <p> is a typo, not a spacer.
    assert where(FM + "<p><p>본문</p>\n", S) == []


def test_spacer_never_inside_code():
    spacer = "<p>&nbsp;</p>"
    text = FM + (
        f"```html\n{spacer}\n```\n\n    {spacer}\n\n인라인 `{spacer}` 코드\n\n"
        f"{{% highlight html %}}\n{spacer}\n{{% endhighlight %}}\n\n```\n&nbsp;\n```\n"
    )
    assert where(text, S) == []


def test_tags_option():
    text = FM + "<p>&nbsp;</p>\n\n<div>&nbsp;</div>\n"
    assert where(text, S, tags=["div"]) == [(6, 1)]


@pytest.mark.parametrize("text,start,end,expected", [
    ("a\n<p></p>\nb", 2, 9, (2, 10)),
    ("a\r\n<p></p>\r\nb", 3, 10, (3, 12)),
    ("a\n  <p></p>  \nb", 4, 11, (2, 14)),
    ("a\n<p></p>", 2, 9, (2, 9)),
    ("x <p></p>\n", 2, 9, (1, 9)),
    ("<p></p> x\n", 0, 7, (0, 7)),
])
def test_deletion_span(text, start, end, expected):
    line_start = text.rfind("\n", 0, start) + 1
    assert deletion_span(text, line_start, start, end) == expected


# ---------------------------------------------------------------------------
# editor-attributes
# ---------------------------------------------------------------------------
A = "editor-attributes"


def test_policy_file_is_shipped_data():
    pats = dict(default_patterns())
    assert pats["data-ke-*"] == "Tistory"
    assert pats["data-mce-*"] == "TinyMCE"
    assert "data-pm-slice" in pats and "contenteditable" in pats and "data-origin-width" in pats
    # Generic names a theme or an embed script may read are not in the list.
    assert not {"data-lang", "data-url", "class", "id", "style"} & set(pats)


def test_one_finding_per_element_with_all_names_and_one_fix():
    text = FM + '<p data-ke-size="size16" class="x" data-start="1" data-end="9">본문</p>\n'
    vs = found(text, A)
    assert [(v.line, v.column) for v in vs] == [(4, 1)]
    v = vs[0]
    assert v.message == "editor attributes `data-ke-size`, `data-start`, `data-end` left behind (Tistory, ChatGPT)"
    assert v.severity == "warning" and v.code == "NL502"
    assert v.fix.applicability == "safe" and len(v.fix.edits) == 3
    assert apply_fixes(text, vs) == FM + '<p class="x">본문</p>\n'


def test_attribute_variants():
    text = FM + (
        "<p DATA-KE-SIZE=size16 data-mce-style='color: red'>a</p>\n"
        '<img src="a.png" alt="사진"\n     data-origin-width="10"\n     data-origin-height="20"/>\n'
        '<div contenteditable spellcheck="false">b</div>\n'
        '<blockquote class="twitter-tweet" data-lang="ko" data-url="x">c</blockquote>\n'
    )
    vs = found(text, A)
    assert [(v.line, v.column) for v in vs] == [(4, 1), (5, 1), (8, 1)]
    assert apply_fixes(text, vs) == FM + (
        "<p>a</p>\n"
        '<img src="a.png" alt="사진"/>\n'
        "<div>b</div>\n"
        '<blockquote class="twitter-tweet" data-lang="ko" data-url="x">c</blockquote>\n'
    )


def test_extra_option_adds_patterns():
    text = FM + '<p data-wp-block="x" data-note="y">a</p>\n'
    assert where(text, A) == []
    vs = found(text, A, extra=["data-wp-*"])
    assert [(v.line, v.column) for v in vs] == [(4, 1)]
    assert "(configured)" in vs[0].message
    assert where(text, A, extra="data-note") == [(4, 1)]


def test_attributes_positions_korean_crlf_bom_and_code():
    text = FM + '한글 문장 <span data-ke-size="size16">강조</span>\n\n`<p data-ke-size="x">`\n\n```\n<p data-ke-size="x">\n```\n'
    assert where(text, A) == [(4, 7)]
    crlf = text.replace("\n", "\r\n")
    vs = found(crlf, A)
    assert [(v.line, v.column) for v in vs] == [(4, 7)]
    assert apply_fixes(crlf, vs) == crlf.replace(' data-ke-size="size16"', "", 1)
    doc = Document.from_text(crlf, "post.md", bom=True)
    vs = [v for v in lint_document(doc, Config(select=[A])) if v.rule == A]
    assert [(v.line, v.column) for v in vs] == [(4, 7)]


def test_attributes_in_highlight_block_ignored():
    text = FM + '{% highlight html %}\n<p data-ke-size="size16">x</p>\n{% endhighlight %}\n'
    assert where(text, A) == []
    assert where(text, A, path="post.html") == []


# ---------------------------------------------------------------------------
# Fixtures through the real fixer, and the reference post
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("rule", [S, A])
def test_fixed_fixture_matches_the_fixer(rule):
    src = FIXTURES / rule / "fail.md"
    text = src.read_text("utf-8")
    expected = (FIXTURES / rule / "fail.fixed.md").read_text("utf-8")
    # Our own edit applier on one pass...
    doc = Document(str(src), src.read_bytes())
    vs = [v for v in lint_document(doc, Config(select=[rule])) if v.rule == rule]
    assert apply_fixes(text, vs) == expected
    # ...and the real fixer (loops, verifies) agree.
    result = fix_text(text, str(src), Config(select=[rule]), unsafe=True)
    assert not result.problems
    assert result.text == expected


@needs_shared
def test_reference_post():
    doc = Document(str(REFERENCE), REFERENCE.read_bytes())
    rules = [R, H, S, A]
    vs = lint_document(doc, Config(select=rules))
    by = {r: [(v.line, v.column) for v in vs if v.rule == r] for r in rules}
    lines = doc.text.split("\n")
    spacer_lines = [i + 1 for i, line in enumerate(lines) if line.strip() == '<p data-ke-size="size16">&nbsp;</p>']
    assert len(spacer_lines) == 8
    assert by[S] == [(n, 1) for n in spacer_lines]
    table_line = next(i + 1 for i, line in enumerate(lines) if line.startswith("<table"))
    assert by[H] == [(table_line, 1)]
    assert by[R] == [(table_line + 1, 5)]
    assert lines[table_line].strip() == "<tr>"
    ke_lines = [i + 1 for i, line in enumerate(lines) if "data-ke-size" in line]
    assert by[A] == [(n, 1) for n in ke_lines]
    # All fixes of the four rules together converge and leave no spacer or residue behind.
    result = fix_text(doc.text, str(REFERENCE), Config(select=rules), unsafe=True)
    assert not result.problems
    after = lint_document(Document.from_text(result.text), Config(select=[S, A]))
    assert after == []


def test_example_post_ko_tistory_paste():
    path = Path(__file__).parent.parent / "examples" / "ko-tistory-paste.md"
    doc = Document(str(path), path.read_bytes())
    vs = lint_document(doc, Config(select=[R, H, S, A]))
    got = {r: [(v.line, v.column) for v in vs if v.rule == r] for r in (R, H, S, A)}
    assert got[R] == [(24, 1), (35, 1), (52, 1)]
    assert got[H] == [(22, 1)]
    assert got[S] == [(12, 1), (16, 1), (20, 1), (43, 1), (47, 1)]
    # The image block on line 18 is one finding, for its <figure>, <span> and <img>.
    assert got[A] == [(10, 1), (12, 1), (14, 1), (16, 1), (18, 1), (20, 4), (22, 1), (43, 1), (45, 1)]
    # The code block at the end is never linted.
    last_code_line = doc.text.count("\n") - 1
    assert all(v.line < last_code_line - 2 for v in vs)
    result = fix_text(doc.text, str(path), Config(select=[S, A]))
    assert not result.problems
    assert lint_document(Document.from_text(result.text), Config(select=[S, A])) == []


@pytest.mark.parametrize("spacer", ["&nbsp;", "&#160;", "&#x200B;", "\u00a0", "\u200b", "\ufeff", "> &nbsp;"])
def test_markdown_spacer_paragraph_of_each_blank_source(spacer):
    # Each way a Markdown paragraph's text can be blank: the rule reads the
    # paragraphs only in a post holding one of these.
    text = f"---\nt: 1\n---\n첫 문단\n\n{spacer}\n\n둘째 문단\n"
    assert where(text, "editor-spacer-paragraph") == [(6, 3 if spacer.startswith(">") else 1)]
