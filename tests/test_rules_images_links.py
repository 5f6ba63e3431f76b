"""image-alt-missing, image-alt-quality, link-rel-invalid, link-target-blank-unsafe, link-href-invalid."""

from __future__ import annotations

import pytest

from conftest import REFERENCE, lint_text, needs_shared
from newslint.config import Config
from newslint.document import Document
from newslint.fixer import fix_text
from newslint.linter import lint_document
from conftest import RULES_BY_NAME
from newslint.rules.image_alt_quality import alt_problem
from newslint.rules.link_rel_invalid import registry

FM = "---\ntitle: 테스트\n---\n"
MINE = ["image-alt-missing", "image-alt-quality", "link-rel-invalid", "link-target-blank-unsafe", "link-href-invalid"]


def run(body: str, rule: str, path: str = "post.md", config: Config | None = None, front: str = FM):
    cfg = config or Config()
    cfg.select = [rule]
    return [v for v in lint_text(front + body, path, config=cfg) if v.rule == rule]


def where(vs) -> list[tuple[int, int]]:
    return [(v.line, v.column) for v in vs]


def fixed(text: str, rules: list[str], unsafe: bool = False, path: str = "post.md") -> str:
    res = fix_text(text, path, Config(select=rules), unsafe=unsafe)
    assert res.problems == []
    return res.text


# ---------------------------------------------------------------------------
# Registry and docs
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("name,code,severity", [
    ("image-alt-missing", "NL201", "warning"),
    ("image-alt-quality", "NL202", "warning"),
    ("link-rel-invalid", "NL301", "warning"),
    ("link-target-blank-unsafe", "NL302", "warning"),
    ("link-href-invalid", "NL303", "error"),
])
def test_rules_are_registered_with_their_codes(name, code, severity):
    rule = RULES_BY_NAME[name]
    assert rule.code == code
    assert rule.severity == severity
    docs = rule.docs()
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert section in docs, (name, section)
    if rule.fix:
        assert "## Fix safety" in docs
    if rule.options:
        assert "## Options" in docs
        for opt in rule.options:
            assert f"`{opt}`" in docs


def test_rel_registry_is_read_from_the_policy_package():
    reg = registry()
    for tok in ("noopener", "noreferrer", "nofollow", "ugc", "sponsored", "me", "webmention", "stylesheet"):
        assert tok in reg.allowed
    assert "dofollow" not in reg.allowed and "dofollow" in reg.mistakes


# ---------------------------------------------------------------------------
# Nothing inside code, for every rule
# ---------------------------------------------------------------------------
BAD_HTML = ('<img src=x> <img src="y.png" alt="IMG_0001.jpg"> <a href="" rel="dofollow" target="_blank">x</a> '
            '<a href="javascript:void(0)">y</a> <a href="https://e.com" target="_blank">w</a>')
BAD_MD = "![](a.png) ![photo.png](b.png) [z](<c d>)"


@pytest.mark.parametrize("wrap", [
    lambda s: f"```html\n{s}\n```\n",
    lambda s: f"~~~\n{s}\n~~~\n",
    lambda s: "    " + s + "\n",
    lambda s: f"Inline `{s}` code.\n",
    lambda s: f"{{% highlight html %}}\n{s}\n{{% endhighlight %}}\n",
    lambda s: f"{{% raw %}}\n{s}\n{{% endraw %}}\n",
], ids=["fence", "tilde-fence", "indented", "code-span", "highlight", "raw"])
@pytest.mark.parametrize("rule", MINE)
def test_nothing_fires_inside_code(wrap, rule):
    body = "Intro text.\n\n" + wrap(BAD_HTML) + "\n" + wrap(BAD_MD)
    assert run(body, rule) == []


@pytest.mark.parametrize("rule", MINE)
def test_the_same_snippets_fire_outside_code(rule):
    # Guard for the test above: the snippets do trigger each rule.
    assert run("Intro text.\n\n" + BAD_HTML + "\n\n" + BAD_MD + "\n", rule)


def test_highlight_block_in_html_post_is_ignored():
    body = "<p>x</p>\n{% highlight html %}\n<img src=x>\n{% endhighlight %}\n"
    assert run(body, "image-alt-missing", path="post.html") == []
    assert where(run("<p>x</p>\n<img src=x>\n", "image-alt-missing", path="post.html")) == [(5, 1)]


# ---------------------------------------------------------------------------
# image-alt-missing
# ---------------------------------------------------------------------------
def test_img_without_alt_and_markdown_image_without_alt_text():
    body = '<img src="a.jpg">\n\n![](b.jpg) and ![ ](c.jpg)\n'
    vs = run(body, "image-alt-missing")
    assert where(vs) == [(4, 1), (6, 1), (6, 16)]
    assert "`alt`" in vs[0].message and 'alt=""' in vs[0].message


@pytest.mark.parametrize("img", [
    '<img src="a.jpg" alt="">',
    "<img src='a.jpg' alt=''>",
    '<img src="a.jpg" alt>',
    '<img src="a.jpg" ALT="부산항">',
    '<img src="a.gif" role="presentation">',
    '<img src="a.gif" role="none">',
])
def test_img_with_alt_or_decorative_is_not_reported(img):
    assert run(img + "\n", "image-alt-missing") == []


def test_markdown_image_with_code_alt_is_not_empty():
    assert run("![`x`](a.png) ![**굵게**](b.png)\n", "image-alt-missing") == []


def test_missing_alt_positions_after_korean_text():
    body = "한글 문장 뒤의 이미지 <img src=x> 그리고 ![](y.png)\n"
    assert where(run(body, "image-alt-missing")) == [(4, 14), (4, 30)]


def test_missing_alt_positions_with_crlf_and_bom():
    text = "---\r\ntitle: 테스트\r\n---\r\n\r\n가나다 <img src=x>\r\n\r\n![](y.png)\r\n"
    doc = Document.from_text(text, "post.md", bom=True)
    vs = [v for v in lint_document(doc, Config(select=["image-alt-missing"]))]
    assert where(vs) == [(5, 5), (7, 1)]
    assert doc.text[vs[0].start:vs[0].start + 4] == "<img"


def test_multiline_img_tag_reported_at_its_start():
    body = "<figure><img\n  src=\"a.jpg\"\n  width=\"10\"></figure>\n"
    assert where(run(body, "image-alt-missing")) == [(4, 9)]


# ---------------------------------------------------------------------------
# image-alt-quality
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("alt,kind", [
    ("IMG_1234.jpg", "file name"),
    ("photo.png", "file name"),
    ("스크린샷 2024-01-01.png", "file name"),
    ("Screen Shot 2020-05-01 at 10.11.12 AM.png", "file name"),
    ("DSC01234", "file name"),
    ("KakaoTalk_20240101_123456789", "file name"),
    ("https://example.com/a", "URL"),
    ("image", "placeholder"),
    ("  Photo  ", "placeholder"),
    ("PICTURE", "placeholder"),
    ("img", "placeholder"),
    ("사진", "placeholder"),
    ("이미지", "placeholder"),
    ("그림", "placeholder"),
    ("캡처", "placeholder"),
    ("screenshot", "placeholder"),
    ("Untitled", "placeholder"),
    ("image3", "placeholder"),
    ("사진 2", "placeholder"),
    ("Screenshot 2024-09-26 at 10 46 56\u202fAM", "placeholder"),
])
def test_poor_alt_texts(alt, kind):
    problem = alt_problem(alt, 150)
    assert problem is not None and kind in problem


@pytest.mark.parametrize("alt", [
    "bookingtag 속보",
    "사진작가 김민수 씨",
    "image of the harbour at night",
    "A photo of the new bridge",
    "부산항대교 야경",
    "",
    "   ",
    "{{ page.image_alt }}",
])
def test_acceptable_alt_texts(alt):
    assert alt_problem(alt, 150) is None


def test_alt_length_option():
    alt = "가" * 151
    assert "151 characters" in alt_problem(alt, 150)
    assert alt_problem("가" * 150, 150) is None
    body = f'<img src=x alt="{alt}">\n'
    assert len(run(body, "image-alt-quality")) == 1
    cfg = Config(rule_options={"image-alt-quality": {"max_length": 200}})
    assert run(body, "image-alt-quality", config=cfg) == []
    cfg = Config(rule_options={"image-alt-quality": {"max_length": 0}})
    assert run(body, "image-alt-quality", config=cfg) == []


def test_extra_placeholders_option():
    body = '<img src=x alt="대표 이미지">\n'
    assert run(body, "image-alt-quality") == []
    cfg = Config(rule_options={"image-alt-quality": {"extra_placeholders": ["대표 이미지"]}})
    vs = run(body, "image-alt-quality", config=cfg)
    assert len(vs) == 1 and "placeholder" in vs[0].message


def test_alt_quality_positions_html_value_and_markdown_alt():
    body = '기사 사진 <img src="a.jpg" alt="사진"> 그리고 ![IMG_1.jpg](b.jpg)\n'
    vs = run(body, "image-alt-quality")
    assert where(vs) == [(4, 29), (4, 40)]
    assert (vs[0].end_line, vs[0].end_column) == (4, 31)
    assert (vs[1].end_line, vs[1].end_column) == (4, 49)


def test_empty_alt_is_left_to_image_alt_missing():
    assert run('<img src=x alt="">\n\n![](y.png)\n', "image-alt-quality") == []


# ---------------------------------------------------------------------------
# link-rel-invalid
# ---------------------------------------------------------------------------
def test_every_registered_rel_value_is_valid_in_any_case():
    reg = registry()
    tokens = sorted(reg.allowed)
    body = "\n".join(f'<a href="/x" rel="{t}">a</a> <a href="/x" rel="{t.upper()}">b</a>' for t in tokens) + "\n"
    assert run(body, "link-rel-invalid") == []


@pytest.mark.parametrize("rel", [
    "noopener noreferrer", "nofollow ugc", "sponsored", "me", "external nofollow noopener",
    "  noopener\tnoreferrer  ", "openid.server", "lightbox[trip]", "", "{{ include.rel }}",
])
def test_valid_rel_values(rel):
    assert run(f'<a href="https://example.com" rel="{rel}">x</a>\n', "link-rel-invalid") == []


def test_dofollow_is_reported_with_unsafe_fix_removing_the_attribute():
    text = FM + '<a href="https://example.com" rel="dofollow">x</a>\n'
    vs = run(text[len(FM):], "link-rel-invalid")
    assert where(vs) == [(4, 31)]
    assert "dofollow" in vs[0].message
    assert vs[0].fix.applicability == "unsafe"
    assert fixed(text, ["link-rel-invalid"]) == text  # not with safe fixes only
    assert fixed(text, ["link-rel-invalid"], unsafe=True) == FM + '<a href="https://example.com">x</a>\n'


def test_typo_suggests_the_closest_token_and_one_finding_per_attribute():
    text = FM + '<a href="/x" rel="noopenner nofollow foo-bar">x</a>\n'
    vs = run(text[len(FM):], "link-rel-invalid")
    assert len(vs) == 1
    assert "did you mean `noopener`" in vs[0].message
    assert "`foo-bar`" in vs[0].message
    assert fixed(text, ["link-rel-invalid"], unsafe=True) == FM + '<a href="/x" rel="noopener nofollow">x</a>\n'


@pytest.mark.parametrize("raw", ["noopener&nbsp;noreferrer", "noopener\u00a0noreferrer", "noopener&#160;noreferrer"])
def test_tokens_glued_by_nbsp_get_a_safe_fix(raw):
    text = FM + f'<p><a href="/x" rel="{raw}" target="_blank">x</a></p>\n'
    vs = run(text[len(FM):], "link-rel-invalid")
    assert where(vs) == [(4, 17)]
    assert "non-breaking space" in vs[0].message
    assert vs[0].fix.applicability == "safe"
    edit, = vs[0].fix.edits
    assert text[edit.start:edit.end] == raw
    assert fixed(text, ["link-rel-invalid"]) == FM + '<p><a href="/x" rel="noopener noreferrer" target="_blank">x</a></p>\n'


def test_unquoted_rel_fix_adds_quotes():
    text = FM + '<a href=/x rel=noopener,noreferrer>x</a>\n'
    assert fixed(text, ["link-rel-invalid"]) == FM + '<a href=/x rel="noopener noreferrer">x</a>\n'


def test_extra_allowed_option():
    body = '<a href="/x" rel="gallery">x</a>\n'
    assert len(run(body, "link-rel-invalid")) == 1
    cfg = Config(rule_options={"link-rel-invalid": {"extra_allowed": ["Gallery"]}})
    assert run(body, "link-rel-invalid", config=cfg) == []


def test_rel_on_link_and_area():
    body = '<link rel="stylesheet" href="/a.css"><link rel="stylsheet" href="/b.css">\n<map><area href="/c" rel="follow"></map>\n'
    vs = run(body, "link-rel-invalid")
    assert where(vs) == [(4, 44), (5, 22)]
    assert "did you mean `stylesheet`" in vs[0].message


# ---------------------------------------------------------------------------
# link-target-blank-unsafe
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("tag,after", [
    ('<a href="https://e.com" target="_blank">x</a>', '<a href="https://e.com" target="_blank" rel="noopener">x</a>'),
    ("<a href='https://e.com' target='_blank'>x</a>", "<a href='https://e.com' target='_blank' rel='noopener'>x</a>"),
    ('<a href=https://e.com target=_blank>x</a>', '<a href=https://e.com target=_blank rel="noopener">x</a>'),
    ('<a href="https://e.com" target="_BLANK" rel="nofollow">x</a>', '<a href="https://e.com" target="_BLANK" rel="nofollow noopener">x</a>'),
    ('<a href="https://e.com" target="_blank" rel="">x</a>', '<a href="https://e.com" target="_blank" rel="noopener">x</a>'),
    ('<a href="https://e.com" target="_blank" rel>x</a>', '<a href="https://e.com" target="_blank" rel="noopener">x</a>'),
    ('<a href="https://e.com" target="_blank" rel=nofollow>x</a>', '<a href="https://e.com" target="_blank" rel="nofollow noopener">x</a>'),
])
def test_target_blank_without_noopener_is_fixed_safely(tag, after):
    text = FM + "링크: " + tag + "\n"
    vs = run(text[len(FM):], "link-target-blank-unsafe")
    assert where(vs) == [(4, 5)]
    assert vs[0].fix.applicability == "safe"
    out = fixed(text, ["link-target-blank-unsafe"])
    assert out == FM + "링크: " + after + "\n"
    assert run(out[len(FM):], "link-target-blank-unsafe") == []


@pytest.mark.parametrize("tag", [
    '<a href="https://e.com" target="_blank" rel="noopener">x</a>',
    '<a href="https://e.com" target="_blank" rel="NOREFERRER nofollow">x</a>',
    '<a href="https://e.com" target="_self">x</a>',
    '<a href="https://e.com">x</a>',
    '<a href="https://e.com" target="_blank" rel="{{ include.rel }}">x</a>',
])
def test_safe_links_are_not_reported(tag):
    assert run(tag + "\n", "link-target-blank-unsafe") == []


@pytest.mark.parametrize("tag,after", [
    ('<a href="https://e.com" rel="noopener&nbsp;noreferrer" target="_blank">x</a>',
     '<a href="https://e.com" rel="noopener noreferrer" target="_blank">x</a>'),
    # In an HTML block: CommonMark reads no tag with an attribute named `&nbsp;rel` as inline HTML.
    ('<p><a href="https://e.com" target="_blank"&nbsp;rel="noopener">x</a></p>',
     '<p><a href="https://e.com" target="_blank" rel="noopener">x</a></p>'),
    ('<p><a href="https://e.com" target="_blank"&#160;rel="noreferrer">x</a></p>',
     '<p><a href="https://e.com" target="_blank" rel="noreferrer">x</a></p>'),
])
def test_nbsp_glued_noopener_is_one_finding_whose_fix_makes_it_work(tag, after):
    text = FM + tag + "\n"
    assert run(text[len(FM):], "link-target-blank-unsafe") == []
    [v] = run(text[len(FM):], "link-rel-invalid")
    assert "non-breaking space" in v.message and v.fix.applicability == "safe"
    both = ["link-rel-invalid", "link-target-blank-unsafe"]
    out = fixed(text, both)
    assert out == FM + after + "\n"
    assert run(out[len(FM):], "link-rel-invalid") == [] and run(out[len(FM):], "link-target-blank-unsafe") == []
    assert fixed(out, both, unsafe=True) == out


def test_nbsp_glue_around_other_tokens_leaves_the_link_without_noopener():
    tag = '<p><a href="https://e.com" target="_blank"&nbsp;rel="nofollow">x</a></p>'
    [v] = run(tag + "\n", "link-target-blank-unsafe")
    assert v.fix is None and "without `rel=\"noopener\"`" in v.message
    out = fixed(FM + tag + "\n", ["link-rel-invalid", "link-target-blank-unsafe"])
    assert out == FM + '<p><a href="https://e.com" target="_blank" rel="nofollow noopener">x</a></p>\n'


@pytest.mark.parametrize("tag,after", [
    ('<a href="https://e.com" rel="dofollow" target="_blank">x</a>', '<a href="https://e.com" target="_blank" rel="noopener">x</a>'),
    ('<a href="https://e.com" rel="nofollow dofollow" target="_blank">x</a>', '<a href="https://e.com" rel="nofollow noopener" target="_blank">x</a>'),
    ('<a href="https://e.com" rel="nofollow&nbsp;external" target="_blank">x</a>', '<a href="https://e.com" rel="nofollow external noopener" target="_blank">x</a>'),
])
def test_rel_and_target_fixes_together_end_clean(tag, after):
    both = ["link-rel-invalid", "link-target-blank-unsafe"]
    out = fixed(FM + tag + "\n", both, unsafe=True)
    assert out == FM + after + "\n"
    assert fixed(out, both, unsafe=True) == out
    assert run(after + "\n", "link-rel-invalid") == [] and run(after + "\n", "link-target-blank-unsafe") == []


# ---------------------------------------------------------------------------
# link-href-invalid
# ---------------------------------------------------------------------------
@pytest.mark.parametrize("href,what", [
    ("", "empty"),
    ("   ", "empty"),
    ("javascript:void(0)", "javascript"),
    ("JavaScript:alert(1)", "javascript"),
    ("  javascript:go()", "javascript"),
    ("https://example.com/my page", "space"),
    ("/files/보도 자료.pdf", "space"),
])
def test_bad_hrefs(href, what):
    vs = run(f'<a href="{href}">x</a>\n', "link-href-invalid")
    assert len(vs) == 1 and what in vs[0].message.lower()
    assert vs[0].severity == "error"
    assert where(vs) == [(4, 10)]


def test_bare_href_is_empty():
    assert len(run("<a href>x</a>\n", "link-href-invalid")) == 1


@pytest.mark.parametrize("href", [
    "#", " https://example.com/ ", "https://example.com/my%20page", "{{ site.url }}/about",
    "{% link _posts/2024-01-01-a.md %}", "mailto:desk@example.com",
])
def test_good_hrefs(href):
    assert run(f'<a href="{href}">x</a>\n', "link-href-invalid") == []


def test_anchor_without_href_is_fine():
    assert run('<a name="top"></a>\n', "link-href-invalid") == []


def test_markdown_links():
    body = "[빈 링크]() 와 [스크립트](javascript:void(0)) 와 [공백](<a b.pdf>) 와 [정상](https://e.com) <https://e.com>\n"
    vs = run(body, "link-href-invalid")
    assert where(vs) == [(4, 1), (4, 12), (4, 41)]
    assert [("empty" in vs[0].message), ("javascript" in vs[1].message), ("space" in vs[2].message)] == [True] * 3


def test_href_position_after_korean_text_with_crlf():
    text = "---\r\ntitle: 테스트\r\n---\r\n한국어 <a href=\"\">빈</a>\r\n"
    doc = Document.from_text(text, "post.md", bom=True)
    vs = lint_document(doc, Config(select=["link-href-invalid"]))
    assert where(vs) == [(4, 14)]


# ---------------------------------------------------------------------------
# The reference post
# ---------------------------------------------------------------------------
@needs_shared
def test_reference_post():
    raw = REFERENCE.read_bytes()
    doc = Document(str(REFERENCE), raw)
    vs = lint_document(doc, Config(select=MINE))
    rel = [v for v in vs if v.rule == "link-rel-invalid"]
    assert len(rel) == 1
    line = doc.text.split("\n")[rel[0].line - 1]
    assert line[rel[0].column - 1:].startswith('rel="dofollow"')
    assert "<a " in line
    assert not any(v.rule.startswith("image-") for v in vs)
