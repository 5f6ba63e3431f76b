"""Messages that say what is true, and fixes that keep the text readable."""

from __future__ import annotations

from newslint.config import Config
from newslint.fixer import fix_text

from conftest import lint_text

FM = "---\ntitle: 부산\n---\n"


def _fixed(text, rule):
    result = fix_text(text, "post.md", Config(select=[rule]), unsafe=False)
    assert not result.problems
    return result.text


def test_form_feed_between_words_becomes_a_space():
    found = lint_text(FM + "부산\f시청\n", select=["control-character"])
    assert [v.message for v in found] == ["control character U+000C FORM FEED; replace it with a space"]
    assert _fixed(FM + "부산\f시청\n", "control-character") == FM + "부산 시청\n"


def test_form_feed_next_to_whitespace_is_deleted():
    # A space here would leave two before the line end: a Markdown hard break.
    assert _fixed(FM + "부산 \f\n시청\f 앞\n", "control-character") == FM + "부산 \n시청 앞\n"
    assert _fixed(FM + "부산\x01시청\n", "control-character") == FM + "부산시청\n"


def _spacer(text):
    return lint_text(text, select=["editor-spacer-paragraph"])


def test_empty_paragraph_is_called_empty_not_a_spacer():
    [v] = _spacer(FM + "<p>앞</p>\n\n<p></p>\n\n<p>뒤</p>\n")
    assert v.message.startswith("empty paragraph `<p></p>`: it adds no space")
    assert "spacer" not in v.message and v.fix.message == "delete the empty paragraph"
    [v] = _spacer(FM + "<p>앞</p>\n\n<p>&nbsp;</p>\n\n<p>뒤</p>\n")
    assert v.message.startswith("spacer paragraph `<p>&nbsp;</p>` used for vertical space")


def test_spacer_message_quotes_the_markup_as_written():
    [v] = _spacer(FM + "<p>앞</p>\n\n<p>\r\n&nbsp;\n</p>\n\n<p>뒤</p>\n")
    assert "`<p>\\n&nbsp;\\n</p>`" in v.message


def test_removing_spacers_leaves_no_doubled_blank_line():
    text = FM + "<p>앞</p>\n\n<p>&nbsp;</p>\n<p>&nbsp;</p>\n\n<p>뒤</p>\n\n<p>&nbsp;</p>\n"
    assert _fixed(text, "editor-spacer-paragraph") == FM + "<p>앞</p>\n\n<p>뒤</p>\n\n"
    crlf = text.replace("\n", "\r\n")
    assert _fixed(crlf, "editor-spacer-paragraph") == (FM + "<p>앞</p>\n\n<p>뒤</p>\n\n").replace("\n", "\r\n")


def _blank(text, **options):
    cfg = Config(select=["link-target-blank-unsafe"], rule_options={"link-target-blank-unsafe": options})
    return lint_text(text, config=cfg)


def test_target_blank_message_names_who_is_at_risk():
    [v] = _blank(FM + '<a href="https://e.com" target="_blank">원문</a>\n')
    assert "current browsers imply `noopener`" in v.message and "in-app webviews" in v.message


def test_target_blank_to_the_site_own_pages_is_not_reported():
    links = ('<a href="/2024/03/05/busan/" target="_blank">a</a> <a href="../about" target="_blank">b</a> '
             '<a href="#top" target="_blank">c</a> <a href="https://news.busan.kr/x" target="_blank">d</a>\n')
    assert [v.column for v in _blank(FM + links)] == [130]
    assert _blank(FM + links, own_hosts=["busan.kr"]) == []


def test_placeholder_url_is_told_to_go_not_to_be_encoded():
    found = lint_text(FM + '<a href="링크 주소 입력">보도자료</a> [원문](<URL here>)\n', select=["link-href-invalid"])
    assert [v.message.split(":")[0] for v in found] == ["placeholder URL `링크 주소 입력`", "placeholder URL `URL here`"]
    assert all("remove the link" in v.message and "%20" not in v.message for v in found)
    [v] = lint_text(FM + '<a href="/files/press release.pdf">보도자료</a>\n', select=["link-href-invalid"])
    assert "%20" in v.message


def test_alt_message_offers_tistory_data_alt_and_figcaption():
    tistory = ('<figure class="imageblock"><span data-url="/a.png" data-alt="부산항 신항 전경">'
               '<img src="/a.png" loading="lazy"/></span><figcaption>부산항 신항</figcaption></figure>\n')
    [v] = lint_text(FM + tistory, select=["image-alt-missing"])
    assert 'kept a description in `data-alt`: copy it into `alt="부산항 신항 전경"`' in v.message
    captioned = '<figure><img src="/a.png"><figcaption>부산 "야경"</figcaption></figure>\n'
    [v] = lint_text(FM + captioned, select=["image-alt-missing"])
    assert 'in the `<figcaption>`: copy it into `alt="부산 &quot;야경&quot;"`' in v.message
    [v] = lint_text(FM + '<img src="/a.png">\n', select=["image-alt-missing"])
    assert "kept a description" not in v.message


def _columns(text):
    return lint_text(FM + text, select=["table-column-count"])


def test_header_one_column_short_is_one_finding_at_the_header():
    rows = "".join(f"| {n} | {n}0 | 비고 |\n" for n in range(1, 8))
    [v] = _columns("| 구간 | 요금 |\n|---|---|\n" + rows)
    assert (v.line, v.column) == (4, 1)
    assert v.message.startswith("header row has 2 cells, but 7 of the 7 body rows have 3")


def test_a_lone_ragged_row_is_still_the_row_that_is_off():
    found = _columns("| 구간 | 요금 |\n|---|---|\n| 시내 | 1 | 카드 |\n| 시외 | 2 |\n| 심야 | 3 |\n")
    assert [(v.line, v.message) for v in found] == [
        (6, "row has 3 cells, the table has 2 columns (the extra cell is dropped)")]


def _invisible(text):
    return lint_text(FM + text, select=["invisible-character", "invisible-character-in-code"])


def test_each_bidi_control_in_code_is_reported_where_it_is():
    code = "```js\n" + "".join(f'if (role != "user\u202e") {{ f{n}() }}\n' for n in range(3)) + "```\n"
    found = _invisible(code)
    assert [(v.rule, v.line) for v in found] == [("invisible-character-in-code", n) for n in (5, 6, 7)]
    assert not any("times in this post" in v.message for v in found)


def test_zero_width_space_in_math_is_the_formula_s_not_the_prose_s():
    math, prose = _invisible("속도는 $v_{i}\u200b$ 이다. 값은 $5에서 $10 사이\u200b다.\n")
    assert (math.rule, math.column) == ("invisible-character-in-code", 11) and "in inline math" in math.message
    # Two prices are no formula: that one is prose, fixed by the other rule.
    assert (prose.rule, prose.column) == ("invisible-character", 32) and prose.fix is not None


def test_unknown_elements_next_to_each_other_stay_two_findings():
    # Raw HTML: the browser takes `<chr>` for a tag, and `</code>` closes both.
    found = lint_text(FM + "<pre><code>tbl\n##    <chr>  <chr>\n</code></pre>\n", select=["html-malformed"])
    assert [(v.line, v.column) for v in found] == [(5, 7), (5, 14)]
    assert not any("same `<pre><code>` block" in v.message for v in found)
