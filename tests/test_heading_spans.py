"""body_headings: a heading's span ends where its first line ends, CRLF or not."""

from __future__ import annotations

import pytest

from newslint.document import Document
from newslint.rules.heading_increment import Heading, body_headings


def _reference(doc) -> list[tuple[int, int, int]]:
    """The Markdown headings cut at the end of their first line, as
    ``min(end, line_end(start))`` says it."""
    return [(h.start, min(h.end, doc.line_end(h.start)), h.level) for h in doc.markdown.headings]


@pytest.mark.parametrize("body", [
    "# a\n", "# a\r\n", "# a", "# a\r\nb\r\n", "a\n===\n", "a\r\n===\r\n", "a\r\nb\r\n---\r\n",
    "> # q\r\n> b\r\n", "- # item\r\n", "#\r\n", "# a #\r\n\r\n## b\r\n", "a\r\n===",
    "부산\r\n===\r\n\r\n### 해운대\r\n",
])
@pytest.mark.parametrize("front", ["", "---\nt: 1\n---\n", "---\r\nt: 1\r\n---\r\n"])
def test_markdown_heading_spans_end_with_their_first_line(body, front):
    doc = Document.from_text(front + body)
    got = body_headings(doc)
    assert [(h.start, h.end, h.level) for h in got] == _reference(doc)
    assert all(isinstance(h, Heading) and not h.html for h in got)


def test_html_and_markdown_headings_in_document_order():
    doc = Document.from_text("## a\r\n\r\n<h3>b</h3>\r\n\r\nc\r\n---\r\n\r\n<h1>d</h1>\r\n")
    got = body_headings(doc)
    assert [(h.level, h.html) for h in got] == [(2, False), (3, True), (2, False), (1, True)]
    assert [doc.text[h.start:h.end] for h in got] == ["## a", "<h3>", "c", "<h1>"]
