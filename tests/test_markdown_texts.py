"""``MarkdownView.texts``: each prose text event with its context; and a
text pyromark refuses gives an empty view."""

from __future__ import annotations

import newslint.markdown as md
from newslint.document import Document
from newslint.source import SourceText


def _view(text: str) -> tuple[md.MarkdownView, Document]:
    doc = Document.from_text(text)
    return md.parse_markdown(doc.source, doc.body_start, doc.liquid_literal_regions), doc


def test_texts_contexts():
    view, doc = _view(
        "---\ntitle: t\n---\n# 제목 [링크](x)\n\n본문 **굵게** ![알트 *e*](a.png) [![in](b.png) 뒤](c) &amp; \\*\n\n"
        "| a | b |\n|---|---|\n| 1 | [l](y) |\n\n```\ncode\n```\n\n    indented\n\n<b>html</b> `span`\n\n- item <i>x</i>\n")
    assert [(t.text, t.context, doc.text[t.start:t.end]) for t in view.texts] == [
        ("제목 ", "heading", "제목 "), ("링크", "link", "링크"), ("본문 ", "body", "본문 "), ("굵게", "body", "굵게"),
        (" ", "body", " "), ("알트 ", "image", "알트 "), ("e", "image", "e"), (" ", "body", " "), ("in", "image", "in"),
        (" 뒤", "link", " 뒤"), (" ", "body", " "), ("&", "body", "&amp;"), (" ", "body", " "), ("*", "body", "*"),
        ("a", "table", "a"), ("b", "table", "b"), ("1", "table", "1"), ("l", "link", "l"), ("html", "body", "html"),
        (" ", "body", " "), ("item ", "body", "item "), ("x", "body", "x"),
    ]
    assert md.MarkdownView.empty().texts == []


def test_a_lone_surrogate_in_the_body_gives_an_empty_view():
    # A post's text never has one (it is decoded strictly, or with
    # replacement), and pyromark refuses a text that does: no offset is ever
    # counted in such a text (the counts decode the bytes between offsets as
    # strict UTF-8).
    text = "# 제목 \ud800\n\n[링크](x) **굵게** <b>x</b> `c`\n\n```\n코드\n```\n"
    view = md.parse_markdown(SourceText(text), 0, [])
    assert (view.links, view.headings, view.strong, view.paragraphs, view.texts, view.html) == ([], [], [], [], [], [])
    assert view.html_source() == "".join(" " if c != "\n" else c for c in text)
    assert view.plain_paragraphs() == [] and list(view.iter_paragraphs()) == [] and view.code == []
