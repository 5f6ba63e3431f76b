"""color-contrast: WCAG 2.2 ratios of inline colours against the background the text sits on."""

from __future__ import annotations

import pytest

from conftest import REFERENCE, lint_text, needs_shared
from newslint.config import Config
from newslint.document import Document
from newslint.fixer import fix_text
from newslint.linter import lint_document
from newslint.rules.css_color import RGBA, contrast, nearest_passing, over

WHITE = RGBA(1.0, 1.0, 1.0)
FM = "---\ntitle: t\n---\n"


def _hex(h: str) -> RGBA:
    return RGBA(*(int(h[i:i + 2], 16) / 255 for i in (1, 3, 5)))


def _cc(body: str, **options):
    cfg = Config(select=["color-contrast"])
    if options:
        cfg.rule_options["color-contrast"] = options
    return lint_text(FM + body, config=cfg)


def test_wcag_ratios():
    assert contrast(_hex("#ee2323"), WHITE) == pytest.approx(4.28, abs=0.01)
    assert contrast(_hex("#ff0000"), WHITE) == pytest.approx(3.998, abs=0.001)
    assert contrast(_hex("#1a5490"), WHITE) == pytest.approx(7.7, abs=0.05)
    assert contrast(RGBA(0, 0, 0), WHITE) == pytest.approx(21.0)
    # Half-transparent black on white is mid grey.
    assert over(RGBA(0, 0, 0, 0.5), WHITE) == RGBA(0.5, 0.5, 0.5)


@pytest.mark.parametrize("value", ["red", "RED", "#f00", "#f00f", "#ff0000", "#ff0000ff", "rgb(255, 0, 0)",
                                   "rgb(255 0 0 / 100%)", "hsl(0, 100%, 50%)", "hsl(0deg 100% 50%)"])
def test_colour_syntaxes(value):
    vs = _cc(f'<p style="color: {value}">빨강</p>\n')
    assert len(vs) == 1 and "`#ff0000`" in vs[0].message and "3.99:1" in vs[0].message


@pytest.mark.parametrize("style", ["color: var(--red)", "color: currentcolor", "color: oklch(0.6 0.2 30)",
                                   "color: red; background: url(bg.png)", "color: inherit"])
def test_colours_newslint_cannot_place_are_skipped(style):
    assert _cc(f'<p style="{style}">글씨</p>\n') == []


def test_threshold_for_large_text():
    grey = "#949494"  # 3.03:1 on white: fails normal text, passes large text
    assert len(_cc(f'<p style="color: {grey}">a</p>\n')) == 1
    assert _cc(f'<p style="color: {grey}; font-size: 24px">a</p>\n') == []
    assert _cc(f'<p style="color: {grey}; font-size: 1.5em">a</p>\n') == []
    assert _cc(f'<p style="color: {grey}; font-size: 19px; font-weight: 700">a</p>\n') == []
    assert _cc(f'<h2 style="color: {grey}">a</h2>\n') == []
    assert _cc(f'<p><font size="5" color="{grey}">a</font></p>\n') == []
    vs = _cc(f'<p style="color: {grey}; font-size: 19px">a</p>\n')  # large only when bold
    assert len(vs) == 1 and "below the 4.5:1 WCAG AA asks for normal text" in vs[0].message
    vs = _cc('<p style="color: #aaaaaa; font-size: 30px">a</p>\n')
    assert "below the 3:1 WCAG AA asks for large text" in vs[0].message


def test_background_of_an_ancestor_and_translucency():
    assert _cc('<div style="background-color:#1f1f1f"><p><span style="color:#cccccc">a</span></p></div>\n') == []
    vs = _cc('<div style="background-color:#1f1f1f"><p><span style="color:#444444">a</span></p></div>\n')
    assert len(vs) == 1 and "on the background `#1f1f1f`" in vs[0].message
    # A translucent dark layer on white: black text on it still reads.
    assert _cc('<p><span style="background-color: #21538527;">a</span></p>\n') == []
    # The theme's own colours are options.
    assert len(_cc('<p><span style="color: #1a5490">a</span></p>\n', background="#000000")) == 1


def test_only_elements_with_text_of_their_own():
    # The outer div's colour reaches no text: the span sets its own.
    assert _cc('<div style="color:#eeeeee"><span style="color:#000">a</span></div>\n') == []
    assert _cc('<p style="color:#eeeeee">&nbsp;<br></p>\n') == []


def test_code_blocks_are_left_to_the_theme():
    assert _cc('<pre><code><span style="color:#bbbb00">x</span></code></pre>\n') == []
    assert len(_cc('<pre style="background:#fff"><span style="color:#bbbb00">x</span></pre>\n')) == 1


def test_fix_keeps_the_hue_and_edits_only_the_value():
    text = FM + '<p><span style="color: #ee2323; font-weight: 400">a</span></p>\n'
    vs = _cc('<p><span style="color: #ee2323; font-weight: 400">a</span></p>\n')
    assert vs[0].fix.applicability == "unsafe"
    fixed = fix_text(text, "post.md", Config(select=["color-contrast"]), unsafe=True).text
    assert fixed == FM + '<p><span style="color: #ec1212; font-weight: 400">a</span></p>\n'
    new, _ = nearest_passing(_hex("#ee2323"), WHITE, 4.5, True)
    assert new.hex() == "#ec1212" and contrast(new, WHITE) >= 4.5


def test_fix_changes_the_background_when_that_is_the_smaller_change():
    text = FM + '<div style="background-color:#3598DB; color:white">github</div>\n'
    fixed = fix_text(text, "post.md", Config(select=["color-contrast"]), unsafe=True).text
    assert fixed == FM + '<div style="background-color:#217cba; color:white">github</div>\n'


def test_no_fix_when_no_lightness_passes():
    assert nearest_passing(_hex("#777777"), _hex("#777777"), 4.5, True) is not None  # black does
    assert nearest_passing(_hex("#777777"), _hex("#777777"), 21.5, True) is None
    # Character references in the style: reported on the attribute, no fix.
    vs = _cc('<p style="color:&#x23;ee2323">a</p>\n')
    assert len(vs) == 1 and vs[0].fix is None


@needs_shared
def test_reference_post_reports_exactly_the_two_red_spans():
    doc = Document(str(REFERENCE), REFERENCE.read_bytes())
    vs = lint_document(doc, Config(select=["color-contrast"]))
    assert [v.line for v in vs] == [18, 34]
    lines = doc.text.split("\n")
    for v in vs:
        assert lines[v.line - 1][v.column - 1:].startswith("color: #ee2323")
        assert "4.28:1" in v.message and "4.5:1" in v.message


def test_the_early_exits_agree_with_their_plain_forms():
    """The candidates are the elements with `style`, `<font color>` or
    `bgcolor`, and `_says_colour` is a search of the body for `olor` or
    `OLOR`, whatever the tags hold and wherever the front matter ends."""
    import itertools

    from newslint.rules.color_contrast import _candidates, _says_colour

    tags = ['<span style="color: red">', '<font COLOR="red">', '<font size="2">', '<td bgcolor="#fff">',
            '<p style="width: 1px">', '<b color="red">', '<div class="color">']
    texts = ["x", "a color b", "COLOR", "cOLoR"]
    for tag, inner, head in itertools.product(tags, texts, ["", "color: x\n", "c: OLOR\n"]):
        text = f"---\n{head}title: t\n---\n{inner} {tag}{inner}</x> {tag}"
        doc = Document.from_text(text, "post.html")
        els = doc.html.elements
        plain = [el for el in els if el.has("style") or (el.tag == "font" and el.has("color")) or el.has("bgcolor")]
        assert _candidates(els) == plain, text
        searched = text.find("olor", doc.body_start) != -1 or text.find("OLOR", doc.body_start) != -1
        assert _says_colour(text, plain, doc.body_start) == searched, text
