from __future__ import annotations

import re

import pytest

from newslint.document import Document


def test_positions_count_code_points_and_newlines_only():
    text = "---\r\ntitle: 한글 제목\r\n---\r\n본문\u2028계속 <b>x</b>\r\n"
    doc = Document.from_text(text)
    off = text.index("<b>")
    assert doc.position(off) == (4, 7)
    assert doc.offset(4, 7) == off


def test_bom_is_not_part_of_text_and_front_matter_parses():
    doc = Document.from_text("---\ntitle: 제목\n---\n본문\n", bom=True)
    assert doc.bom and doc.text.startswith("---")
    assert doc.front_matter.data == {"title": "제목"}


def test_yaml_marks_map_to_file_lines():
    doc = Document.from_text("---\ntitle: a\ndate: 2024-01-02\n---\nbody\n")
    fm = doc.front_matter
    k, v = fm.key_node("date")
    assert doc.position(fm.mark_offset(k.start_mark)) == (3, 1)
    assert fm.data["date"] == "2024-01-02"  # dates stay the text written


def test_toml_front_matter_dates_become_text():
    doc = Document.from_text('+++\ntitle = "x"\ndate = 2019-04-06T08:00:00Z\n+++\nbody\n')
    assert doc.front_matter.format == "toml"
    assert doc.front_matter.data["date"].startswith("2019-04-06T08:00:00")


def test_unclosed_front_matter_is_an_error_not_metadata():
    doc = Document.from_text("---\ntitle: x\n\nsome text\n")
    assert doc.front_matter is not None and not doc.front_matter.closed
    assert doc.front_matter.error.kind == "unclosed"


def test_code_is_blanked_for_the_html_parser():
    text = "---\ntitle: x\n---\n\n```html\n<img src=a>\n```\n\nInline `<img>` and <img src=b>\n"
    doc = Document.from_text(text)
    imgs = doc.html.find_all("img")
    assert [doc.position(i.start) for i in imgs] == [(9, 20)]
    assert imgs[0].get("src") == "b"


def test_korean_before_inline_html_keeps_columns():
    text = "---\ntitle: x\n---\n한글 텍스트 <span data-ke-size=\"s\">가</span>\n"
    doc = Document.from_text(text)
    (span,) = doc.html.find_all("span")
    assert doc.position(span.start) == (4, 8)
    (attr,) = span.attr_spans()
    assert doc.text[attr.ws_start:attr.end] == ' data-ke-size="s"'


def test_liquid_highlight_is_code():
    text = "---\ntitle: x\n---\n{% highlight html %}\n<img src=a>\n{% endhighlight %}\n"
    doc = Document.from_text(text)
    assert doc.html.find_all("img") == []
    assert doc.in_code(text.index("<img"))


def test_not_utf8_is_a_decode_problem_with_cp949_hint():
    raw = "---\ntitle: 제목\n---\n".encode("cp949")
    doc = Document("p.md", raw)
    assert not doc.ok
    assert doc.decode_problem.byte_offset == 11
    assert "CP949" in doc.decode_problem.message


def test_a_document_and_its_parses_leave_no_reference_cycle():
    import gc

    text = ("---\ntitle: 부산\ntags: [a, b]\n---\n# 제목\n\n문단 ![](a.png) `code`\n\n| a | b |\n|---|---|\n| 1 | 2 |\n\n"
            "<div class=\"x\"><p>안 <img src=\"b.png\"><a href=\"y\">l</a></p></div>\n<!-- c -->\n"
            "{% raw %}<b>{% endraw %}\n")
    gc.collect()
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        doc = Document.from_text(text)
        assert doc.front_matter is not None and doc.front_matter.ok
        assert doc.markdown.images and doc.markdown.tables and doc.code_regions and doc.in_code(doc.text.index("code"))
        tree = doc.html
        img = tree.find_all("img")[0]
        assert [a.tag for a in img.ancestors()] == ["p", "div", "#root"]
        assert img.attr_spans()[0].name == "src" and "<img" in img.start_tag
        assert doc.front_matter.path_span(["tags", 1]) and doc.position(len(text)) > (1, 1)
        del doc, tree, img
        # Nothing the parse made is left for the cyclic collector: dropping the
        # document freed it all (no release() to call).
        assert gc.collect() == 0
    finally:
        if was_enabled:
            gc.enable()


def test_an_element_outliving_its_tree_has_no_parent():
    doc = Document.from_text("<div><p>x</p></div>\n", "post.html")
    p = doc.html.find_all("p")[0]
    assert p.parent is not None and p.parent.tag == "div"
    del doc
    assert p.parent is None and p.start_tag == "<p>"


_REFERENCE_CLOSE = {"---": re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$\n?", re.M), "+++": re.compile(r"^\+\+\+[ \t]*\r?$\n?", re.M)}


@pytest.mark.parametrize("text", [
    "---\n---\nbody\n",
    "---\r\n---\r\nbody",
    "---\ntitle: 제목\n...\n본문\n",
    "---\ntitle: a\n--- \t\nbody",
    "---\ntitle: a\n ---\n----\n---x\n---",
    "\ufeff---\ntitle: a\n---\n",
    "---\ntitle: a\n\n---\n",
    "---\ntitle: a\r\n---\r",
    "---\ntitle: a\n",
    "---\n",
    "+++\ntitle = 'a'\n+++\nbody\n",
    "+++\r\n+++\r\n",
    "+++\ntitle = 'a'\n++++\n+++ x\n",
])
def test_the_closing_fence_is_the_first_fence_line_after_line_1(text):
    from newslint.frontmatter import split_front_matter
    from newslint.source import SourceText

    source = SourceText(text.lstrip("\ufeff"))
    fm = split_front_matter(source)
    body = source.text
    fence = body[:3]
    start = body.find("\n") + 1
    want = _REFERENCE_CLOSE[fence].search(body, start)
    assert fm is not None and fm.closed == (want is not None)
    if want is not None:
        assert (fm.content_start, fm.content_end, fm.end) == (start, want.start(), want.end())
