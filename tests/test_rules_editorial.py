"""The editorial rules on front-matter text and emphasis: width, repeats, bold share."""

from __future__ import annotations

import pytest

from conftest import CORPUS, lint_text, needs_shared
from newslint.config import Config
from newslint.document import Document
from newslint.linter import lint_document
from newslint.rules.front_text import compare_key, display_width, visible


def _lint_file(path, rule):
    doc = Document(str(path), path.read_bytes())
    return [v for v in lint_document(doc, Config(select=[rule])) if v.rule == rule]


def test_display_width_counts_wide_characters_twice():
    assert display_width("abc") == 3
    assert display_width("부산시") == 6
    assert display_width("ＡＢ") == 4  # fullwidth forms
    assert display_width("e\u0301") == 1  # a combining accent takes no column
    assert display_width("a·b") == 3


def test_visible_drops_markup_and_templates():
    assert visible("**부산** <b>시</b> [링크](/x) {{ site.title }} &amp;") == "부산 시 링크 &"
    assert compare_key("Scala Center Roadmap for 2024.") == compare_key("Scala  center roadmap for 2024")


def test_title_length_limit_is_an_option():
    text = "---\ntitle: " + "가" * 31 + "\n---\nbody\n"
    vs = lint_text(text, select=["title-length"])
    assert [(v.line, v.column) for v in vs] == [(2, 8)]
    assert "62 columns wide, over 60" in vs[0].message
    cfg = Config(select=["title-length"])
    cfg.rule_options["title-length"] = {"max_width": 62}
    assert lint_text(text, config=cfg) == []


def test_title_length_in_toml_front_matter():
    text = '+++\ntitle = "' + "x" * 70 + '"\n+++\nbody\n'
    vs = lint_text(text, select=["title-length"])
    assert [(v.line, v.rule) for v in vs] == [(2, "title-length")]


def test_excerpt_length_measures_the_visible_text():
    # The link's destination and the emphasis marks are not shown.
    text = "---\nexcerpt: '**" + "a" * 150 + "** [b](https://example.com/" + "x" * 50 + ")'\n---\nbody\n"
    assert lint_text(text, select=["excerpt-length"]) == []


def test_excerpt_repeats_title_ignores_a_different_excerpt():
    text = "---\ntitle: 부산시 사업 선정\nexcerpt: 부산시가 2026년까지 디지털 트윈 서비스를 개발합니다.\n---\nbody\n"
    assert lint_text(text, select=["excerpt-repeats-title"]) == []


@pytest.mark.parametrize("body", [
    "<p>부산시가 사업에 선정되었습니다. 두 번째 문장.</p>\n",
    "부산시가 **사업**에 선정되었습니다. 두 번째 문장.\n",
])
def test_excerpt_repeats_first_paragraph_html_and_markdown(body):
    text = "---\nexcerpt: 부산시가 사업에 선정되었습니다.\n---\n\n# 제목\n\n" + body
    vs = lint_text(text, select=["excerpt-repeats-first-paragraph"])
    assert [(v.line, v.severity) for v in vs] == [(2, "info")]
    assert "opening of the first paragraph (line 7)" in vs[0].message


def test_excerpt_repeats_first_paragraph_only_the_first():
    text = "---\nexcerpt: 두 번째 문단입니다.\n---\n\n첫 문단입니다.\n\n두 번째 문단입니다.\n"
    assert lint_text(text, select=["excerpt-repeats-first-paragraph"]) == []


@needs_shared
def test_real_posts_front_matter_text():
    bitcoin = CORPUS / "en-jekyll/bitcoin-core__bitcoincore.org/_posts/en/posts"
    vs = _lint_file(bitcoin / "2017-08-18-btc1-misleading-statements.md", "excerpt-repeats-title")
    assert [v.message.split(":")[0] for v in vs] == ["`excerpt` repeats the `title`"]
    vs = _lint_file(bitcoin / "2016-08-23-release-0-13-0.md", "excerpt-repeats-first-paragraph")
    assert len(vs) == 1 and "first paragraph (line 17)" in vs[0].message
    vs = _lint_file(bitcoin / "2025-10-24-disclose-cve-2025-46597.md", "excerpt-length")
    assert len(vs) == 1 and "162 columns wide" in vs[0].message
    korean = CORPUS / "ko-tistory/whysocscs__whysocscs.github.io/_posts/2026-01-14-15-1.md"
    vs = _lint_file(korean, "title-length")
    assert len(vs) == 1 and "61 columns wide" in vs[0].message


# -- emphasis-overuse ---------------------------------------------------------------
from conftest import REFERENCE  # noqa: E402
from newslint.rules.emphasis_overuse import is_lead_in  # noqa: E402

_SENTENCE = "해운대 해수욕장이 개장한 첫 주말 피서객이 몰렸습니다. "


def _emph(text: str, **options):
    cfg = Config(select=["emphasis-overuse"])
    if options:
        cfg.rule_options["emphasis-overuse"] = options
    return lint_text(text, config=cfg)


def test_markdown_view_reports_strong_spans():
    doc = Document.from_text("---\nt: 1\n---\n부산 **굵게** 그리고 __또__ *기울임*\n")
    assert [doc.text[s:e] for s, e in doc.markdown.strong] == ["**굵게**", "__또__"]


def test_share_threshold_and_minimum_length():
    text = "---\nt: 1\n---\n\n" + _SENTENCE * 6 + "**" + _SENTENCE * 2 + _SENTENCE.strip() + "**\n"
    vs = _emph(text)
    assert len(vs) == 1 and "bold covers 33%" in vs[0].message
    assert vs[0].line == 5 and text.split("\n")[4][vs[0].column - 1:].startswith("**")
    assert _emph(text, max_share=0.4) == []
    assert _emph(text, min_chars=1000) == []


def test_markdown_text_inside_a_table_counts_neither_for_the_share_nor_against_it():
    # The paragraph between <table> and </table> is Markdown (blank lines
    # around it) but inside an element whose text is not counted: the bold
    # share is that of the text outside, with or without the table.
    bold = "**이 부분은 굵게 쓰인 꽤 긴 문장으로 독자의 눈길을 끌려고 합니다**"
    outside = "\n\n".join(f"{i}번째 문단에서 {bold} 그리고 끝." for i in range(6))
    table = "<table><tr><td>\n\n" + _SENTENCE * 40 + "\n\n</td></tr></table>\n\n"
    alone = _emph("---\nt: 1\n---\n\n" + outside + "\n")
    with_table = _emph("---\nt: 1\n---\n\n" + table + outside + "\n")
    assert len(alone) == 1 and "bold covers" in alone[0].message
    assert [v.message for v in with_table] == [alone[0].message]


def test_bold_paragraphs_in_a_row_reported_at_the_first():
    para = "**" + _SENTENCE.strip() + "**\n\n"
    text = "---\nt: 1\n---\n\n" + _SENTENCE * 12 + "\n\n" + para * 3 + _SENTENCE * 12 + "\n"
    vs = _emph(text)
    assert [(v.line, v.column) for v in vs] == [(7, 1)]
    assert vs[0].message.startswith("3 paragraphs in a row (lines 7-11) are bold from start to end")
    assert _emph(text, max_bold_paragraphs=4) == []


def test_a_list_between_bold_paragraphs_breaks_the_run():
    para = "**" + _SENTENCE.strip() + "**\n\n- 항목\n\n"
    text = "---\nt: 1\n---\n\n" + _SENTENCE * 12 + "\n\n" + para * 3 + _SENTENCE * 12 + "\n"
    assert _emph(text) == []


def test_run_in_labels_are_not_emphasis():
    text = "a **Date:** 5 March\n**Date:** 5 March\n<p><b>Date</b> 5 March</p>\n<li><b>Talk</b><br>by X</li>\n"
    starts = [text.index("**Date"), text.index("**Date", 5), text.index("<b>Date") + 3, text.index("<b>Talk") + 3]
    ends = [text.index("** 5") + 2, text.index("** 5", 20) + 2, text.index("</b> 5"), text.index("</b><br>")]
    got = [is_lead_in(text, s, e) for s, e in zip(starts, ends)]
    assert got == [False, True, True, True]
    assert not is_lead_in("<p><b>Whole paragraph</b></p>", 6, 21)


@needs_shared
def test_reference_post_overuses_bold():
    doc = Document(str(REFERENCE), REFERENCE.read_bytes())
    vs = lint_document(doc, Config(select=["emphasis-overuse"]))
    assert len(vs) == 1 and vs[0].severity == "info"
    assert vs[0].line == 18 and "bold covers 31%" in vs[0].message


def test_a_paragraph_of_several_bold_spans_is_bold_throughout():
    para = "**" + _SENTENCE.strip() + "** **" + _SENTENCE.strip() + "**\n\n"
    text = "---\nt: 1\n---\n\n" + _SENTENCE * 30 + "\n\n" + para * 3 + _SENTENCE * 30 + "\n"
    vs = _emph(text)
    assert len(vs) == 1 and vs[0].message.startswith("3 paragraphs in a row (lines 7-11)")


def test_spacer_paragraphs_do_not_break_a_run_of_bold_paragraphs():
    para = "<p><b>" + _SENTENCE.strip() + "</b></p>\n<p>&nbsp;</p>\n"
    text = "---\nt: 1\n---\n\n<p>" + _SENTENCE * 30 + "</p>\n" + para * 3 + "<p>" + _SENTENCE * 30 + "</p>\n"
    vs = _emph(text)
    assert len(vs) == 1 and vs[0].message.startswith("3 paragraphs in a row (lines 6-10)")


def test_bold_beyond_the_share_is_reported_among_run_in_labels():
    # Labels count as plain text and short bold lines are left out: the bold
    # that is left must still be weighed against the text.
    labels = "".join(f"- **항목 {i}:** {_SENTENCE}\n" for i in range(4)) + "\n**짧은 제목**\n\n"
    text = ("---\nt: 1\n---\n\n" + labels + _SENTENCE * 3 + "**" + _SENTENCE * 2 + _SENTENCE.strip() + "**\n")
    vs = _emph(text)
    assert len(vs) == 1 and "bold covers" in vs[0].message
    assert text.split("\n")[vs[0].line - 1][vs[0].column - 1:].startswith("**해운대")


def test_short_bold_lines_stay_in_the_bound_on_the_bold():
    # Short bold lines are left out of the text, but the bound on the text
    # reads them as plain paragraphs: their bold must stay in the bound on the
    # bold, or a share just over the limit would go unreported.
    heads = "".join(f"**제목 하나 {i}**\n\n" for i in range(8))
    text = "---\nt: 1\n---\n\n" + heads + _SENTENCE * 7 + "앞 **" + ("굵은글씨" * 15)[:57] + "** 뒤\n"
    vs = _emph(text)
    assert len(vs) == 1 and "bold covers 25.1%" in vs[0].message


def _visible_reference(text):
    import re as _re
    from html import unescape

    from newslint.source import TEMPLATE_TAG
    text = TEMPLATE_TAG.sub(" ", text)
    text = _re.sub(r"<[^<>]*>", " ", text)
    text = _re.sub(r"!?\[([^\[\]]*)\]\([^()]*\)", r"\1", text)
    text = _re.sub(r"[*_`~#>]|\[|\]", "", text)
    return _re.sub(r"\s+", " ", unescape(text)).strip()


@pytest.mark.parametrize("text", [
    "", "  ", "Plain title", "  부산시   예산\r\n확정  ", "**굵게** _기울임_ `코드`", "[링크](http://x) ![그림](a.png)",
    "A &amp; B &lt;i&gt;", "<em>tag</em> {{ site.title }} {% raw %}", "\u3000전각 공백\u3000", "tab\there\u2028next",
    "#해시 > 인용 ~취소~", "a\u00a0b\u200bc", "x [y] z", "&#42;star&#42;",
])
def test_visible_and_compare_key_match_the_plain_regex_passes(text):
    import re as _re

    from newslint.rules.front_text import compare_key, visible
    want = _visible_reference(text)
    assert visible(text) == want
    folded = _re.sub(r"[^\w\s]|_", "", want.casefold())
    assert compare_key(text) == _re.sub(r"\s+", " ", folded).strip()
