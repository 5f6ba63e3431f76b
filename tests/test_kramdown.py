"""Posts of a kramdown site (Jekyll's default) read as kramdown reads them.

Each case was checked with the real kramdown (tests/tools/kramdown_render.rb);
tests/test_kramdown_real.py checks the whole reading against it on real posts.
"""

from __future__ import annotations

from newslint.config import Config
from newslint.document import Document
from newslint.linter import lint_document
from newslint.site import Site

KRAMDOWN = Site(generator="jekyll", markdown="kramdown")


def doc_of(body: str, site: Site | None = KRAMDOWN) -> Document:
    return Document.from_text("---\ntitle: t\n---\n" + body, site=site)


def code_texts(doc: Document, kinds=("code-block", "code-span")) -> list[str]:
    return [doc.text[r.start:r.end] for r in doc.code_regions if r.kind in kinds]


def tags(doc: Document) -> list[str]:
    return [el.tag for el in doc.html.elements]


def malformed(doc: Document) -> list[str]:
    config = Config()
    config.select = ["html-malformed"]
    return [v.message for v in lint_document(doc, config)]


def test_an_html_block_runs_across_blank_lines_to_its_end_tag():
    body = "<div>\n\n    <b>bold</b>\n\n</div>\n\nafter\n"
    kd = doc_of(body)
    assert code_texts(kd) == []  # kramdown: raw HTML, no indented code block
    assert tags(kd) == ["div", "b"]
    assert malformed(kd) == []
    cm = doc_of(body, site=None)  # CommonMark: the block ends at the blank line
    assert code_texts(cm) == ["<b>bold</b>\n"]


def test_only_valid_tag_names_are_tags_in_an_html_block():
    kd = doc_of("<p>Unicode <U+7919> and #<hash:0x1f> stay text</p>\n")
    assert tags(kd) == ["p"]
    assert malformed(kd) == []


def test_a_generic_in_prose_is_a_tag_the_browser_hides():
    kd = doc_of("Returns a List<Token> of the words.\n")
    assert tags(kd) == ["token"]
    [message] = malformed(kd)
    assert message.startswith("<Token> is not an HTML element, so the browser hides it")


def test_a_fence_right_after_an_html_line_is_a_code_block():
    kd = doc_of('<h3>Request</h3>\n```json\n{"key": "<your prefix>"}\n```\n')
    assert code_texts(kd) == ['```json\n{"key": "<your prefix>"}\n```\n']
    assert tags(kd) == ["h3"]
    assert malformed(kd) == []


def test_a_line_opening_an_html_block_ends_the_paragraph_before_it():
    kd = doc_of("A paragraph\n<div>\n\ninside `not code`\n\n</div>\n")
    assert code_texts(kd) == []
    assert tags(kd) == ["div"]


def test_markdown_1_reads_the_inside_of_an_html_block_as_markdown():
    kd = doc_of('<div markdown="1">\n\nSome `code` here\n\n</div>\n')
    assert code_texts(kd) == ["`code`"]
    plain = doc_of("<div>\n\nSome `code` here\n\n</div>\n")
    assert code_texts(plain) == []


def test_an_end_tag_that_closes_nothing_is_shown_as_text():
    kd = doc_of("A line with a stray </em> in it.\n")
    assert tags(kd) == []
    assert malformed(kd) == ["end tag </em> closes nothing: kramdown shows it as text"]


def test_an_element_never_closed_in_an_html_block_takes_the_markdown_after_it():
    kd = doc_of("<div><p>text\n</div>\n\nA *Markdown* paragraph.\n")
    messages = malformed(kd)
    assert "<p> is never closed: kramdown reads the rest of the post as raw HTML, so the Markdown after it " \
           "is not rendered" in messages
    assert "end tag </div> does not close the open <p>: kramdown shows it as text" in messages
    assert kd.html.swallowed_from is None  # what follows is HTML still: its tags are tags


def test_a_script_never_closed_swallows_the_rest():
    kd = doc_of("<div>\n<script>var a = 1;\n</div>\n\nMore <b>text</b>.\n")
    assert kd.html.swallowed_from == kd.text.index("<script>")
    assert any("<script> is never closed" in m for m in malformed(kd))


def test_kramdown_extensions_and_attribute_lists_are_never_text():
    kd = doc_of("{::comment}\nan editor's <b>note\n{:/comment}\n\nText.\n{: .lead}\n\n"
                "{::nomarkdown}<span>raw</span>{:/}\n")
    kinds = sorted({r.kind for r in kd.code_regions})
    assert kinds == ["kramdown-comment", "kramdown-extension", "kramdown-ial"]
    assert kd.in_code(kd.text.index("{: .lead}"))
    assert kd.in_code(kd.text.index("note"))
    assert tags(kd) == ["span"]  # nomarkdown's body goes to the page as written
    assert malformed(kd) == []


def test_code_spans_and_autolinks_are_not_html():
    kd = doc_of("Use `<div>` or <https://example.com/a> here, and \\<b> too.\n")
    assert code_texts(kd) == ["`<div>`"]
    assert code_texts(kd, ("autolink",)) == ["<https://example.com/a>"]
    assert tags(kd) == []


def test_an_image_alt_text_is_text_not_code():
    kd = doc_of("![the `g` key](/img/g.png) and `real`\n")
    assert code_texts(kd) == ["`real`"]


def test_a_block_element_inside_a_paragraph_is_shown_as_text():
    kd = doc_of("Some text <div>with a block tag inside.\n")
    assert tags(kd) == []
    assert malformed(kd) == ["<div> inside a paragraph: kramdown shows the tag as text (an HTML block starts on "
                             "a line of its own)"]


def test_positions_inside_a_list_item_and_a_quote_are_the_file_positions():
    body = "- item\n\n      indented code\n\n> quoted `span`\n> <b>bold</b>\n"
    kd = doc_of(body)
    assert code_texts(kd) == ["    indented code\n", "`span`"]
    assert tags(kd) == ["b"]


def test_a_post_without_a_site_is_read_as_commonmark():
    body = "Returns a List<Token> here.\n\n<p>Unicode <U+7919></p>\n"
    assert doc_of(body, site=None).kramdown is None
    assert doc_of(body).kramdown is not None
    assert doc_of("No markup at all.\n").kramdown is None  # nothing kramdown reads differently


HUGO_SAFE = Site(generator="hugo", markdown="goldmark", raw_html=False)


def lint_all(doc: Document) -> list[tuple[str, str]]:
    return [(v.rule, v.message) for v in lint_document(doc, Config())]


def test_hugo_without_unsafe_html_drops_the_html_and_says_so_once():
    body = "Intro\n\n<div><b>never closed\n\n<img src='/a.png'>\n\nText with <i>inline</i> HTML.\n"
    dropped = lint_all(doc_of(body, site=HUGO_SAFE))
    assert [r for r, _ in dropped if r.startswith("html-") or r.startswith("image-")] == ["html-dropped"]
    [message] = [m for r, m in dropped if r == "html-dropped"]
    assert message.startswith("Hugo drops raw HTML here (markup.goldmark.renderer.unsafe is false)")
    shown = lint_all(doc_of(body, site=Site(generator="hugo", markdown="goldmark")))
    assert "html-dropped" not in [r for r, _ in shown]
    assert "html-malformed" in [r for r, _ in shown] and "image-alt-missing" in [r for r, _ in shown]


def test_html_dropped_says_nothing_of_a_post_without_html():
    assert "html-dropped" not in [r for r, _ in lint_all(doc_of("Just *Markdown* < 3.\n", site=HUGO_SAFE))]


def test_kramdowns_own_parser_knows_only_tilde_fences():
    body = "<p>x</p>\n```\n<b>bold</b>\n```\n\n~~~\n<i>code</i>\n~~~\n"
    gfm = doc_of(body)
    assert code_texts(gfm) == ["```\n<b>bold</b>\n```\n", "~~~\n<i>code</i>\n~~~\n"]
    plain = doc_of(body, site=Site(generator="jekyll", markdown="kramdown", markdown_options={"input": "kramdown"}))
    # kramdown's own parser: the backticks make a code span over three lines
    assert code_texts(plain) == ["```\n<b>bold</b>\n```", "~~~\n<i>code</i>\n~~~\n"]
    assert tags(plain) == ["p"]


def test_a_line_right_after_indented_code_is_code_too():
    kd = doc_of("Run:\n\n    make install\nthen restart.\n")
    assert code_texts(kd) == ["    make install\nthen restart.\n"]
    assert [t.strip() for t in code_texts(doc_of("Run:\n\n    make install\nthen restart.\n", site=None))] \
        == ["make install"]


HOSTILE = {
    "comments never closed": "<!--" * 25000,
    "inline elements never closed": "x <b>" * 20000,
    "fences never closed": "```\n" + "x\n```x\n" * 10000,
    "math never closed": "$$ " * 30000,
    "extensions never closed": "a {::comment} " * 20000,
    "backtick runs": "".join("`" * (i % 50 + 1) + " x " for i in range(20000)),
    "images never closed": "![a `b" * 20000,
    "nested lists": "".join("  " * i + "- x\n" for i in range(2000)),
    "nested quotes": "> " * 5000 + "x\n",
    "nested markdown blocks": '<div markdown="1">\n' * 5000,
    "nested raw elements": "<div>" + "<span>" * 20000,
}


def test_hostile_bodies_are_read_in_linear_time_without_error():
    import time

    for name, body in HOSTILE.items():
        doc = doc_of("<b>x</b>\n\n" + body)
        start = time.process_time()
        doc.code_regions
        doc.html
        assert time.process_time() - start < 3.0, name
        assert doc.kramdown is not None, name
