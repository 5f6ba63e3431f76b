"""``MarkdownView.html_source`` (source.keep_spans_utf8) copies the kept spans into the blanked bytes
when pulldown-cmark gave them in order, and sorts them otherwise: both ways
give the same text, and the same as blanking each gap on its own."""

from __future__ import annotations

import random

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import newslint.markdown as md
from newslint.document import Document, blank_out, mask_regions
from newslint.source import keep_sorted_spans_utf8

PIECES = [
    "plain text", "부산시 예산", "é", "😀", "\n", "\n\n", "  ", "> ", "- ", "# ", "*", "**", "_", "`", "```\n",
    "    code", "[", "]", "(", ")", "![", "<", ">", "<b>", "</b>", "<!-- c -->", "<div>\n", "</div>", "&amp;",
    "\\", "a < b", "| a | b |\n|---|---|\n| 1 | <i>2</i> |\n", "[링크](https://예.kr)", "![알트 <b>x</b>](a.png)",
    "<https://x.kr>", "{% raw %}<b>{% endraw %}", "\r\n",
]
posts = st.lists(st.sampled_from(PIECES), max_size=40).map("".join)


def _view(text: str) -> tuple[md.MarkdownView, str, int]:
    doc = Document.from_text(text)
    source = mask_regions(doc.text, doc.body_start, doc.liquid_literal_regions)
    return md.parse_markdown(doc.source, doc.body_start, doc.liquid_literal_regions), source, doc.body_start


def _per_gap(view: md.MarkdownView, source: str, base: int) -> str:
    parts, pos = [], 0
    for start, end, is_text in view.visible():
        start, end = start - base, end - base
        if start < pos:
            continue
        parts.append(blank_out(source[pos:start]))
        chunk = source[start:end]
        parts.append(chunk.replace("<", " ") if is_text else chunk)
        pos = end
    parts.append(blank_out(source[pos:]))
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(posts, st.sampled_from(["", "---\ntitle: 제목\n---\n"]))
def test_in_order_copy_equals_the_sorted_join(body, front):
    view, source, base = _view(front + body)
    got = view.html_source()
    text, utf8 = keep_sorted_spans_utf8(view._data, view._spans)
    assert got == text == _per_gap(view, source, base)
    assert view.html_source_utf8() == utf8 == got.encode("utf-8", "surrogatepass")
    assert type(view.html_source_utf8()) is bytes


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(posts, st.sampled_from(["", "---\ntitle: 제목\n---\n"]), st.randoms(use_true_random=False))
def test_spans_out_of_order_are_sorted_first(body, front, rnd: random.Random):
    view, source, base = _view(front + body)
    want = _per_gap(view, source, base)
    rnd.shuffle(view._spans)
    assert view.html_source() == want
    assert view.html_source_utf8() == want.encode("utf-8", "surrogatepass")


def test_overlapping_spans_keep_the_first():
    view, source, base = _view("a <b>x</b> c\n")
    (first, *rest) = view._spans
    view._spans.insert(1, (first[0] + 1, first[1] + 3, None, None))  # overlaps the first: passed over
    assert view.html_source() == _per_gap(view, source, base)
