"""newslint.html: the tree builder's positions are exact offsets in the source.

The builder does not use html.parser's (line, column) position: it sums the
pieces html.parser passes to ``updatepos`` into one offset (see ``_Builder``).
These tests pin that offset down where it is easy to get wrong: CRLF line ends,
non-ASCII text, several ``feed()`` calls on slices, a buffer html.parser trims
and refills, and comments that are never closed.
"""

from __future__ import annotations

from _markupbase import ParserBase

from hypothesis import given
from hypothesis import strategies as st

from newslint import html
from newslint.html import parse_html
from newslint.source import SourceText


def _tree(source: str, base: int = 0):
    text = "#" * base + source
    return parse_html(source, base, SourceText(text)), text


def _spans(tree):
    return [(el.tag, el.start, el.start_end, el.end_tag_start, el.end) for el in tree.elements]


def test_offsets_across_crlf_and_korean_text():
    source = "한국어 문단\r\n<p class=\"x\">가나다\r\n<b>굵게</b></p>\r\n<!-- 주석 -->\r\n<div>\r\n끝</div>"
    tree, text = _tree(source, base=5)
    p, b, div = tree.elements
    assert text[p.start:p.start_end] == '<p class="x">'
    assert text[b.start:b.end] == "<b>굵게</b>"
    assert text[p.end_tag_start:p.end] == "</p>"
    assert text[div.start:div.end] == "<div>\r\n끝</div>"
    (c,) = tree.comments
    assert text[c.start:c.end] == "<!-- 주석 -->" and c.data == " 주석 "
    assert tree.problems == []


def test_offsets_after_a_multiline_start_tag():
    source = "<a\r\n  href=\"x\"\r\n  title='y\nz'>링크</a> <img\nsrc=a>"
    tree, text = _tree(source)
    a, img = tree.elements
    assert text[a.start:a.end] == source[: source.index("</a>") + 4]
    assert a.get("title") == "y\nz"
    assert text[img.start:img.end] == "<img\nsrc=a>"


def test_implied_ends_are_at_the_start_tag_that_implies_them():
    source = "<table>\n<tr><td>1<td>이<tr><td>3</table>\n<div><p>a<div>b</div></div><p>c<h2>d</h2>"
    tree, text = _tree(source, base=3)
    tds = tree.find_all("td")
    assert [text[td.start:td.end] for td in tds] == ["<td>1", "<td>이", "<td>3"]
    trs = tree.find_all("tr")
    assert [text[tr.start:tr.end] for tr in trs] == ["<tr><td>1<td>이", "<tr><td>3"]
    p1, p2 = tree.find_all("p")
    assert text[p1.start:p1.end] == "<p>a"  # closed by the nested <div>
    assert text[p2.start:p2.end] == "<p>c"  # closed by <h2> at the top level
    assert tree.problems == []


def test_mismatched_and_stray_end_tags_keep_offsets():
    source = "<div>\r\n<span>한</div>\r\n</em>"
    tree, text = _tree(source, base=2)
    div, span = tree.elements
    assert text[div.end_tag_start:div.end] == "</div>"
    assert span.end == div.end_tag_start and span.end_tag_start == -1
    assert tree.problems == [
        (span.start, "<span> is not closed before </div> (mismatched tags)"),
        (text.index("</em>"), "stray end tag </em> closes nothing"),
    ]


def test_unclosed_comment_hides_the_rest_and_keeps_offsets():
    source = "<p>가\r\n나</p>\r\n<!-- 열린 주석 <b>x</b>\r\n<i>y</i>"
    tree, text = _tree(source, base=4)
    (p,) = tree.elements
    assert text[p.start:p.end] == "<p>가\r\n나</p>"
    (c,) = tree.comments
    assert c.start == text.index("<!--") and c.end == len(text)
    assert tree.problems == [(c.start, "HTML comment `<!--` is never closed: it hides the rest of the post")]


def test_several_feeds_keep_offsets():
    # The "<!--" in the script is text, so _feed feeds the source in two
    # slices (up to the script's "<!--", then up to the real unclosed one).
    source = "<script>var s = '<!--';\r\n</script>\r\n<p>한국어 <b>굵게</b></p>\r\n<!-- 끝 <i>x</i>"
    tree, text = _tree(source, base=1)
    script, p, b = tree.elements
    assert text[script.end_tag_start:script.end] == "</script>"
    assert text[p.start:p.end] == "<p>한국어 <b>굵게</b></p>"
    assert text[b.start:b.start_end] == "<b>"
    assert [c.start for c in tree.comments] == [text.rindex("<!--")]


def test_text_after_the_last_gt_is_not_fed_but_offsets_hold():
    source = "<p>가</p>\r\n<b>나</b> 1 < 2 <!-- x"
    tree, text = _tree(source)
    p, b = tree.elements
    assert text[b.start:b.end] == "<b>나</b>"
    assert [(c.start, c.end) for c in tree.comments] == [(text.index("<!--"), len(text))]


def test_chunked_feeds_give_the_offsets_of_one_feed():
    # html.parser keeps an incomplete token in its buffer and trims the buffer
    # after each feed(): the offset must survive both.
    source = "<div id=\"a\">한국어\r\n<a href='x'>링크</a><!-- c -->\r\n<br/><p>끝</p></div>\r\n"
    whole, _ = _tree(source)
    for size in (1, 2, 3, 7):
        builder = html._Builder(source, 0, source)
        for k in range(0, len(source), size):
            builder.feed(source[k : k + size])
        builder.close()
        tree = builder.finish()
        assert _spans(tree) == _spans(whole)
        assert [(c.start, c.end) for c in tree.comments] == [(c.start, c.end) for c in whole.comments]


class _CheckedBuilder(html._Builder):
    """Keeps html.parser's own (line, column) too and checks, at every
    callback, that the builder's offset is the same position."""

    def updatepos(self, i, j):
        ParserBase.updatepos(self, i, j)
        return super().updatepos(i, j)

    def _check(self):
        starts = [0] + [k + 1 for k, ch in enumerate(self.source) if ch == "\n"]
        line, col = self.getpos()
        self.seen.append((self._pos, starts[line - 1] + col))

    def handle_starttag(self, tag, attrs, self_closing=False):
        self._check()
        super().handle_starttag(tag, attrs, self_closing)

    def handle_endtag(self, tag):
        self._check()
        super().handle_endtag(tag)

    def handle_comment(self, data):
        self._check()
        super().handle_comment(data)

    def handle_data(self, data):
        self._check()


_PIECES = st.sampled_from([
    "\n", "\r\n", "\r", " ", "한국어", "text", "&amp;", "&#", "&", "<", ">", "<p>", "</p>", "<b>", "</b>",
    "<div class='a\nb'>", "</div>", "<br/>", "<img src=x>", "<td>", "<tr>", "<li>", "<!--", "-->",
    "<!-- 주석 -->", "<script>", "</script>", "<?pi?>", "<!doctype html>", "</>", "</ x>", "<a\r\nhref=y>",
])


def _positions(source: str, chunk: int = 0) -> list[tuple[int, int]]:
    """(builder's offset, html.parser's line/column as an offset) at every
    callback; ``chunk``: feed pieces of that size instead of using ``_feed``."""
    builder = _CheckedBuilder(source, 0, source)
    builder.seen = []
    if chunk:
        for k in range(0, len(source), chunk):
            builder.feed(source[k : k + chunk])
        builder.close()
    else:
        html._feed(builder, source)
    tree = builder.finish()
    for el in tree.elements:
        assert source.startswith("<", el.start) and el.start < el.start_end <= len(source)
        if el.end_tag_start >= 0:
            assert source.startswith("</", el.end_tag_start)
    return builder.seen


def test_offset_equals_line_and_column_of_html_parser_on_a_post():
    source = "한국어\r\n<p>a &amp; b</p>\r\n<!-- c -->\n<script>x<!--y</script>\r\n<div\r\nid=z>끝</div> & <"
    for chunk in (0, 1, 5):
        seen = _positions(source, chunk)
        assert len(seen) >= 10 and all(ours == stock for ours, stock in seen)


@given(st.lists(_PIECES, max_size=40).map("".join), st.sampled_from([0, 1, 3, 16]))
def test_offset_equals_line_and_column_of_html_parser(source, chunk):
    assert all(ours == stock for ours, stock in _positions(source, chunk))


def test_an_ampersand_before_an_unclosed_comment_does_not_hide_it():
    # "AT&T<!--": html.parser holds "AT&T" back (a charref may be cut in
    # half), and that held text made the "<!--" look like part of an open
    # construct: the comment went unreported and the tags after it were
    # parsed. A browser hides the rest of the post, and so do we.
    for source in ("<p>AT&T<!-- draft <b>x</b>", "<p>a &#x<!-- <b>x</b>", "<p>&nbsp<!--<i>"):
        tree, _ = _tree(source)
        assert [el.tag for el in tree.elements] == ["p"], source
        assert any("never closed" in message for _, message in tree.problems), source
    # A "<!--" inside a tag still open stays part of it.
    tree, _ = _tree("<a title='<!--'>x</a> <b>y</b>")
    assert [el.tag for el in tree.elements] == ["a", "b"] and not tree.comments


def _tree_shape(tree):
    return ([(e.tag, e.attrs, e.start, e.start_end, e.end, e.end_tag_start, e.self_closing,
              e.parent.tag if e.parent else None) for e in tree.elements],
            [(c.start, c.end, c.data) for c in tree.comments], tree.problems)


def _both_ways(source):
    from unittest import mock

    fast = parse_html(source, 2, SourceText("##" + source))
    with mock.patch.object(html._Builder, "feed_fast", lambda self, s: False):
        slow = parse_html(source, 2, SourceText("##" + source))
    return _tree_shape(fast), _tree_shape(slow)


_MARKUP = st.sampled_from([
    "<p>", "</p>", "<P>", "</P >", "<div class=\"a b\">", "<div id=x>", "</div>", "<br>", "<br/>", "<br />",
    "<img src=\"a.png\" alt=\"\">", "<img src='a&amp;b.png'/>", "<img alt=x/>", "<a href=\"https://e.kr/?a=1&b=2\">",
    "<a href=/x/y>", "<a title='a<b>c'>", "</a>", "<o:p>", "</o:p>", "<td colspan=2>", "<tr>", "<table>", "</table>",
    "<li>", "<ul>", "</ul>", "<input disabled>", "<input disabled/>", "<span style=\"color: red\">", "</span>",
    "<!-- more -->", "<!---->", "<!-- a-b -->", "<!-->", "<!--", "-->", "<!doctype html>", "<?php x ?>", "<script>",
    "</script>", "<style>", "<title>", "<textarea>", "<a b=c=d>", "<a b==c>", "<a b='x'c='y'>", "<a\u00a0b>",
    "<a b=\u00a0c>", "<a href=x\u00a0y>", "<p\u00a0class=x>", "<a b/ c>", "<a @click=x>", "<a b=`x`>", "</ x>",
    "</>", "< p>", "<3", "a < b", "a<", "<", ">", "&amp;", "&#", "text", "한국어", " ", "\n", "\t", "=", "\"", "'",
    "<a href=\"x", "<x-y z>", "<h1>", "</h1>", "<A HREF=X>", "<img src=x alt>",
])


@given(st.lists(_MARKUP, max_size=30).map("".join))
def test_fast_path_builds_the_tree_html_parser_builds(source):
    """parse_html reads plain markup with one regex (html_fast) and gives
    everything else to html.parser: both ways give the same tree."""
    fast, slow = _both_ways(source)
    assert fast == slow


def test_fast_path_takes_plain_markup_and_refuses_the_rest():
    from newslint.html_fast import fast_tokens

    assert fast_tokens("<p class=x>a</p><!-- more --><br/>") == [
        (0, "p", [("class", "x")], 0, 11, False), (1, "p", 12, 16), (2, " more ", 16, 29), (0, "br", [], 29, 34, True)]
    assert fast_tokens("a < b <3 a<") == []
    for other in ("<!doctype html>", "<?x?>", "<script>x</script>", "<a b='x'c='y'>", "<a\u00a0b>", "<!-- a-b -->",
                  "</ x>", "<a href=\"x"):
        assert fast_tokens(other) is None, other


def test_fast_path_reuses_names_and_attributes_without_sharing_lists():
    from newslint import html_fast
    from newslint.html_fast import fast_tokens

    source = "<P class='caps'>a</P><p class='caps'>b</p></script><Br/>"
    first, again = fast_tokens(source), fast_tokens(source)
    assert first == again == [
        (0, "p", [("class", "caps")], 0, 16, False), (1, "p", 17, 21), (0, "p", [("class", "caps")], 21, 37, False),
        (1, "p", 38, 42), (1, "script", 42, 51), (0, "br", [], 51, 56, True)]
    assert first[0][2] is not first[2][2] and first[0][2] is not again[0][2]  # each element its own list
    # A raw-text name seen in an end tag still sends a start tag to html.parser.
    assert fast_tokens("</SCRIPT><Script>x</Script>") is None and "SCRIPT" not in html_fast._NAMES
    # The caches stay bounded.
    for i in range(3 * html_fast._ATTRS_KEPT):
        fast_tokens(f"<x{i % 700} id=a{i}>")
    assert len(html_fast._ATTRS) <= html_fast._ATTRS_KEPT and len(html_fast._NAMES) <= html_fast._NAMES_KEPT
    assert fast_tokens("<X1 ID=A>") == [(0, "x1", [("id", "A")], 0, 9, False)]


def _tree_from_tokens(source):
    """The tree of ``source`` built from fast_tokens' list, a token at a time
    through the builder's html.parser handlers' start_tag and end_tag."""
    from newslint.html_fast import fast_tokens

    tokens = fast_tokens(source)
    if tokens is None:
        return None
    builder = html._Builder(source, 2, "##" + source)
    for token in tokens:
        if token[0] == 0:
            _, tag, attrs, start, end, self_closing = token
            builder.start_tag(tag, attrs, 2 + start, 2 + end, self_closing)
        elif token[0] == 1:
            builder.end_tag(*token[1:])
        else:
            builder.comments.append(html.Comment(2 + token[2], 2 + token[3], token[1]))
    return _tree_shape(builder.finish())


@given(st.lists(_MARKUP, max_size=30).map("".join), st.booleans())
def test_feed_fast_reads_what_fast_tokens_reads(source, cold):
    """The builder reads html_fast's tokens in its own loop: the same tree as
    from fast_tokens' list, whether the tags were read before or not."""
    from newslint import html_fast

    if cold:
        html_fast.SEEN.clear()
    builder = html._Builder(source, 2, "##" + source)
    if builder.feed_fast(source):
        assert _tree_shape(builder.finish()) == _tree_from_tokens(source)
    else:
        assert _tree_from_tokens(source) is None


def test_a_tag_read_before_is_read_again_whatever_follows_it():
    """Tags are looked up by their text up to the first ">" (html_fast.SEEN):
    a ">" inside a quoted value, a tag too long to keep, a "<" as text and a
    tag read elsewhere all read as the regex reads them."""
    from newslint import html_fast
    from newslint.html_fast import fast_tokens

    long_tag = "<a title='" + "x" * html_fast.SEEN_LONGEST + "'>"
    sources = ["<b title='x>y'>a</b><b title='x>", "<i>a<i>b</i></i> <i>", long_tag + "a</a>" + long_tag,
               "a < b <i>c</i> <3 <i>", "<p class=x>a</p><p class=x>b</p", "<br/><br/ ><br /><br/>"]
    for source in sources:
        html_fast.SEEN.clear()
        cold = fast_tokens(source)
        assert fast_tokens(source) == cold, source
        assert fast_tokens(source + source) == (None if cold is None else cold + [
            (t[0], t[1], t[2], t[3] + len(source), t[4] + len(source), t[5]) if t[0] == 0
            else (t[0], t[1], t[2] + len(source), t[3] + len(source)) for t in cold]), source
        fast, slow = _both_ways(source)
        assert fast == slow, source
    assert all(len(key) <= html_fast.SEEN_LONGEST for key in html_fast.SEEN)
    first, second = _tree("<p class=x>a</p><p class=x>b</p>")[0].elements
    assert first.attrs == second.attrs == [("class", "x")] and first.attrs is not second.attrs


@given(st.lists(_MARKUP, max_size=30).map("".join))
def test_find_all_of_several_tags_is_in_document_order(source):
    tree, _ = _tree(source)
    for tags in (("p", "div"), ("a", "img", "br"), ("td", "tr", "table", "li"), ("p", "x-y", "o:p"), ("nope", "h1")):
        assert tree.find_all(*tags) == [el for el in tree.elements if el.tag in tags], tags
