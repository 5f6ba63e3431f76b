"""The fast paths of the parse layer and the pack prefilters give exactly what
the slow paths give (issue 6: faster, never different).

- markdown.py: an ASCII body adds ``body_start`` to pulldown-cmark's byte
  offsets inline; any other body converts them with a table of continuation
  bytes per 256-byte block. Both are compared with a plain "decode the
  prefix" conversion.
- ``MarkdownView.html_source`` works on UTF-8 bytes and pulldown-cmark's byte
  ranges (gaps blanked by one ``bytes.translate``): compared with blanking
  each gap of the text in characters.
- pack_engine.py: ignore-case prefilters look for UTF-8 literals in the
  ASCII-lower-cased bytes of the text instead of the folded text; the
  clauses of each branch of an alternation, with what must follow a literal
  (anchors), are checked in the body without Markdown before any view is
  built: compared with no prefilter at all.
- linter.py computes each rule's options and severity once per config.
- A warm run answered by the cache never imports the parsers.
"""

from __future__ import annotations

import subprocess
import sys
import textwrap

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

import newslint.markdown as md
from newslint.document import Document, blank_out, mask_regions
from newslint.rules import pack_engine as pe

# Pieces of Markdown and HTML with ASCII, Korean, emoji and combining text, so
# random posts hit links, images, tables, code, HTML and containers.
PIECES = [
    "plain text", "부산시 예산", "é", "😀", "e\u0301", "\u00a0", "\t", "\n", "\n\n", "  ", "> ", "- ", "1. ",
    "# ", "## 제목", "*", "**", "_", "`", "``", "```\n", "~~~", "    code", "[", "]", "(", ")", "![", "<",
    ">", "<b>", "</b>", "<a href='x'>", "</a>", "<!-- c -->", "<div>\n", "</div>", "&amp;", "&#44032;",
    "\\", "|", "| a | b |\n|---|---|\n| 1 | 2 |\n", "[링크](https://예.kr \"t\")", "![알트](a.png)",
    "<https://x.kr>", "[^1]", "[^1]: note\n", "{% raw %}<b>{% endraw %}", "$x$", "---\n", "\r\n",
]
posts = st.lists(st.sampled_from(PIECES), min_size=0, max_size=40).map("".join)
ascii_posts = st.lists(st.sampled_from([p for p in PIECES if p.isascii()]), max_size=40).map("".join)


def _naive_converter(data: bytes, base: int):
    def conv(b: int) -> int:
        return base + len(data[:b].decode("utf-8", "surrogatepass"))

    return conv


def _dump(view: md.MarkdownView):
    return (view.images, view.links, view.tables, view.paragraphs, view.texts,
            [(r.start, r.end, r.kind) for r in view.code], view.html, view.visible())


def _parse(text: str):
    doc = Document.from_text(text)
    return doc, doc.text, doc.body_start, doc.liquid_literal_regions


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ascii_posts, st.sampled_from(["", "---\ntitle: t\n---\n"]))
def test_ascii_fast_path_equals_span_conversion(body, front):
    doc, text, start, literal = _parse(front + body)
    fast = md.parse_markdown(text, start, literal)
    slow = md.parse_markdown(text, start, literal, ascii_fast_path=False)
    assert _dump(fast) == _dump(slow)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(posts, st.sampled_from(["", "---\ntitle: 제목 😀\n---\n"]))
def test_offsets_equal_a_plain_prefix_decode(body, front):
    doc, text, start, literal = _parse(front + body)
    got = md.parse_markdown(text, start, literal)
    saved = md._byte_offset_converter
    md._byte_offset_converter = _naive_converter
    try:
        want = md.parse_markdown(text, start, literal, ascii_fast_path=False)
    finally:
        md._byte_offset_converter = saved
    assert _dump(got) == _dump(want)
    # Every prose text run is where the parser read it (entities, escapes, tabs aside).
    source = mask_regions(text, start, literal)
    for t in got.texts:
        here = source[t.start - start:t.end - start]
        if here and not any(c in here for c in "&\\\t\r"):  # (pulldown-cmark gives some empty ranges)
            assert here == t.text


@given(st.text(alphabet="a가é😀\n", max_size=1200), st.lists(st.integers(0, 1200), max_size=30))
@example("가" * 400, [0, 1, 255, 256, 257, 400, 1199, 1200])
def test_byte_offset_conversion_in_any_order(s, offsets):
    data = s.encode("utf-8")
    # Only offsets on character boundaries (pulldown-cmark never gives others),
    # in any order, across the converter's 256-byte blocks.
    bounds = sorted({len(s[:i].encode("utf-8")) for i in range(len(s) + 1)})
    conv = md._byte_offset_converter(data, 7)
    naive = _naive_converter(data, 7)
    for b in offsets:
        b = bounds[b % len(bounds)]
        assert conv(b) == naive(b)
    assert conv(len(data)) == 7 + len(s)


def _html_source_per_gap(view: md.MarkdownView, source: str, body_start: int) -> str:
    """html_source the plain way: ``source`` (the body as pulldown-cmark read
    it, Liquid literal blocks blanked) with every gap between the visible
    spans blanked on its own, in characters."""
    parts, pos = [], body_start
    for start, end, is_text in view.visible():
        if start < pos:
            continue
        if start > pos:
            parts.append(blank_out(source[pos - body_start:start - body_start]))
        chunk = source[start - body_start:end - body_start]
        if is_text and "<" in chunk:
            chunk = chunk.replace("<", " ")
        parts.append(chunk)
        pos = end
    if pos - body_start < len(source):
        parts.append(blank_out(source[pos - body_start:]))
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(posts, st.sampled_from(["", "---\ntitle: t\n---\n"]))
def test_html_source_equals_blanking_each_gap(body, front):
    doc, text, start, literal = _parse(front + body)
    view = md.parse_markdown(text, start, literal)
    got = view.html_source()
    assert got == _html_source_per_gap(view, mask_regions(text, start, literal), start)
    assert len(got) == len(text) - start
    assert [i for i, c in enumerate(got) if c == "\n"] == [i for i, c in enumerate(text[start:]) if c == "\n"]


def test_no_angle_bracket_in_the_body_means_no_html():
    doc = Document.from_text("---\ntitle: a <b> in the title\n---\nbody **only**, `code`\n")
    assert doc.html.elements == [] and doc.html.comments == [] and doc.html.problems == []
    doc = Document.from_text("---\ntitle: t\n---\n`<b>` and <i>x</i>\n")
    assert [el.tag for el in doc.html.elements] == ["i"]
    # A "<" only in code, an autolink, escaped or in prose: pulldown-cmark reads
    # no HTML, so the tree is empty without building its input.
    doc = Document.from_text("---\ntitle: t\n---\n`<b>` <https://x.kr> \\<i> a < b\n\n    <div>\n")
    assert doc.markdown.html == []
    assert doc.html.elements == [] and doc.html.comments == [] and doc.html.problems == []
    assert "<" not in doc.markdown.html_source()


# -- pack prefilters on bytes ----------------------------------------------------------------
def test_folds_to_ascii_lists_every_such_character():
    found = []
    for cp in range(0x80, sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        f = pe._fold(c)
        if any(ch.isascii() for ch in f) or (not pe._is_hangul(c) and any(pe._is_hangul(ch) for ch in f)):
            found.append(c)
    assert tuple(found) == pe._FOLDS_TO_ASCII


LITERALS = ["news", "more", "click", "here", "속보", "실시간", "클릭", "s", "k", "i"]


@settings(max_examples=500, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("newsNEWSmoreMORE속보실시간클릭 ſKİıkKsSiI\u0307é😀\n")) | st.characters(),
               max_size=40),
       st.sampled_from(LITERALS))
def test_byte_fold_never_misses_a_literal_of_the_fold(text, lit):
    folded = pe._fold(text)
    data = pe._byte_fold(text)
    if data is None:  # a character that folds to ASCII: the caller folds for real
        assert any(c in text for c in pe._FOLDS_TO_ASCII)
        return
    if lit in folded:
        assert lit.encode("utf-8") in data


def test_byte_prefilters_only_for_ascii_and_hangul_literals():
    assert pe._byte_prefilters(((("news", "속보"),), None)) == (((b"news", "속보".encode()),), None)
    assert pe._byte_prefilters(((("straße",),),)) is None
    assert pe._byte_prefilters(()) is None


def test_pack_rule_findings_with_byte_prefilters_equal_the_folded_ones():
    """The same posts through the shipped ignore-case packs: bytes, folded text, no prefilter."""
    from newslint.config import Config
    from newslint.linter import lint_document

    posts = ["---\ntitle: t\n---\nFor MORE news, VISIT us.\n\n실시간 속보는 여기\n\n[Click HERE](x)\n",
             "---\ntitle: t\n---\nFor more newſ, see this.\n\n[여기를 클릭](y) 구독과 좋아요\n",
             "---\ntitle: t\n---\nK and İ: for the latest news, go to x.\n"]
    packs = [r for r in Config().enabled_rules() if issubclass(r, pe.PackRule)]
    assert any(r.ignorecase and pe._byte_prefilters(r.prefilters) for r in packs)

    def findings(p):
        return [(v.rule, v.line, v.column, v.message) for v in lint_document(Document.from_text(p), Config())
                if v.rule.startswith("promo-")]

    with_bytes = [findings(p) for p in posts]
    saved = pe._byte_prefilters
    pe._byte_prefilters = lambda prefilters: None
    try:
        folded = [findings(p) for p in posts]
    finally:
        pe._byte_prefilters = saved
    saved = {r: r.prefilters for r in packs}
    try:
        for r in packs:
            r.prefilters = ()
        unfiltered = [findings(p) for p in posts]
    finally:
        for r, p in saved.items():
            r.prefilters = p
    assert with_bytes == folded == unfiltered
    assert all(with_bytes[:2])


# -- pack prefilters per branch, with anchors, on the Markdown-free body ----------------------
def test_branch_clauses_and_anchors_of_an_alternation():
    pat = r"실시간\s*속보|(?:more|latest)\s+news,?\s+(?:visit|see)"
    assert pe._required_alternatives(pat, True) == (
        (("실시간",), ("속보",)), (("news",), ("latest", "more"), ("see", "visit")))
    assert pe._required_anchors(pat, True) == ((), (("news", ",", True),))
    # Not one alternation, or a branch that needs no literal: nothing.
    assert pe._required_alternatives(r"more\s+news", True) is None
    assert pe._required_alternatives(r"news|\d+", False) is None
    # What follows a literal may be empty, a letter or unknown: no anchor for it.
    assert pe._required_anchors(r"ab(?:\s+x)?|cd\w|ef[^a]|gh\s|ij(?:\s|;)", False) == (
        (), (), (), (("gh", "", True),), (("ij", ";", True),))


def test_anchored_literals_in_text_and_bytes():
    anchors = (("news", ",", True),)
    byte_anchors = pe._byte_anchors((anchors and (anchors,),))[0][0]
    for text, want in [("the newsletter", False), ("/news/x", False), ("news, visit", True), ("more news", True),
                       ("news<b>", True), ("news\u00a0visit", True), ("newsroom news\tsee", True),
                       ("no such word", False)]:
        assert pe._anchored(text, anchors) is want, text
        assert pe._anchored(text.encode("utf-8"), byte_anchors) is want, text


# Pieces of posts around the shipped packs' phrases: tags, Markdown, code and
# spaces between the words, and look-alikes (newsletter, /news/).
PACK_PIECES = [
    "more", "news", "NEWS", "news,", "newsletter", "/news/", "visit", "see", "go to", "latest", "breaking",
    " ", "  ", "\n", "\n\n", "\u00a0", "<b>", "</b>", "<span class='x>y'>", "</span>", "<div>", "</div>",
    "<!-- c -->", "*", "**", "_", "`code`", "[", "](https://news.kr)", "[link](https://x.kr)",
    "<https://news.kr>", "```\nmore news, visit\n```\n", "실시간", "속보", "뉴스", "는", "더 많은", "다른",
    "기사", "은", "구독", "좋아요", "이웃", "추가", "부탁", "ſ", "click", "here", "여기", "클릭", "> ",
]


# The same as words with a separator after each: the phrases come out whole far more often.
PACK_WORDS = ["more", "latest", "breaking", "for", "news", "NEWS", "news,", "newsletter", "visit", "see", "go", "to",
              "실시간", "뉴스", "속보는", "더", "많은", "다른", "기사는", "구독과", "좋아요", "이웃", "추가", "부탁",
              "여기를", "클릭", "click", "here", "[link](https://x.kr)", "<a href='y'>a</a>", "https://news.kr/"]
PACK_SEPS = [" ", "  ", "<b>", "</b>", "\u00a0", "*", "**", "`c`", "<!-- c -->", "\n", ", ", "<span title='a>b'>",
             "_", "\t", "<br>", "<p>", "<i>", "</i> ", " <em>"]
noise = st.lists(st.tuples(st.sampled_from(PACK_WORDS), st.sampled_from(PACK_SEPS)).map("".join),
                 max_size=8).map("".join)
LINKS = ["[link](https://x.kr)", "<a href='y'>a</a>", "https://x.kr"]
# The shipped phrases, word by word, with any separator between the words.
SKELETONS = [
    [["for", "For", ""], ["more", "latest", "breaking", "MORE", "the latest"], ["news", "NEWS", "newſ", "news,",
     "newsletter", "news updates,"], ["visit", "see", "go to", "check out", "VISIT"], LINKS],
    [["실시간"], ["뉴스", ""], ["속보는", "속보", "속보 보기"], LINKS],
    [["더 많은", "다른", "더"], ["뉴스는", "기사는", "뉴스"], LINKS],
    [["구독과", "이웃", "공감"], ["좋아요", "추가"], ["부탁", "해주세요", "환영"]],
    [["[여기를", "[click", "<a href='x'>click"], ["클릭]", "here]", "here</a>"], ["(https://x.kr)", ""]],
]


def _phrase(words):
    return st.tuples(*[st.tuples(st.sampled_from(alts), st.sampled_from(PACK_SEPS)).map("".join)
                       for alts in words]).map("".join)


phrase_posts = st.tuples(noise, st.one_of([_phrase(s) for s in SKELETONS]), noise).map("".join)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(phrase_posts, phrase_posts, phrase_posts, st.lists(st.sampled_from(PACK_PIECES), max_size=30).map("".join)))
def test_pack_findings_with_every_prefilter_equal_none(body):
    """Whole-file clauses, per-branch clauses, anchors and the html_source
    stage never drop a finding the bare regexes give."""
    from newslint.config import Config

    packs = [r for r in Config().enabled_rules() if issubclass(r, pe.PackRule)]
    assert any(r.alternatives and r.alternatives[0] for r in packs)
    assert any(r.anchors and r.anchors[0] and any(r.anchors[0]) for r in packs)
    text = "---\ntitle: t\n---\n" + body + "\n"

    def findings():
        doc = Document.from_text(text)
        return [(r.name, f.start, f.end, f.message) for r in packs for f in r().check(doc, {})]

    fast = findings()
    saved = {r: r.prefilters for r in packs}
    try:
        for r in packs:
            r.prefilters = ()
        slow = findings()
    finally:
        for r, p in saved.items():
            r.prefilters = p
    assert fast == slow


def test_pack_views_not_built_when_the_words_are_only_in_code_or_urls():
    from newslint.config import Config

    packs = [r for r in Config().enabled_rules() if issubclass(r, pe.PackRule)]
    skipped = ("---\ntitle: t\n---\nSee [the archive](https://x.kr/more/news/visit).\n\n"
               "```\nfor more news, visit\n```\n\nOur newsletter: latest issue, go see it.\n")
    doc = Document.from_text(skipped)
    assert [f for r in packs for f in r().check(doc, {})] == []
    assert "_newslint_pack_views" not in doc.__dict__
    found = Document.from_text("---\ntitle: t\n---\nFor more <b>news</b> visit <a href='https://x.kr'>x</a>\n")
    assert [r.name for r in packs for f in r().check(found, {})] == ["promo-news-footer"]


def test_pack_haystack_reuses_the_file_bytes():
    doc = Document.from_text("---\ntitle: t\n---\n부산 News\n")
    assert pe._utf8_of(doc) is doc.raw and doc.raw == doc.text.encode("utf-8")
    assert pe._utf8_of(Document.from_text("x News\n", bom=True)) is None
    assert pe._byte_fold(doc.text, pe._utf8_of(doc)) == pe._byte_fold(doc.text)


# -- pack prefilters: shadows, haystacks made once, literals looked for in the text -------------
_ALL_CHARS = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


def test_what_the_shadows_assume_of_the_regex_engine():
    """`\\s` is _REGEX_SPACES; with ignorecase an ASCII character matches only
    ASCII of its case fold and the four of _FOLDS_TO_ASCII, and Hangul only
    itself: so a shadow looks for lower-cased ASCII and Hangul as UTF-8 in
    the byte-folded text (None there when one of the four is in the text)."""
    import regex

    assert "".join(regex.findall(r"\s", _ALL_CHARS)) == pe._REGEX_SPACES
    assert set(regex.findall(r"[\x00-\x7f]", _ALL_CHARS[128:], flags=regex.IGNORECASE)) <= set(pe._FOLDS_TO_ASCII)
    others = "".join(c for c in _ALL_CHARS if not pe._is_hangul(c))
    hangul = "[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\ud7b0-\ud7ff]"
    assert all(pe._is_hangul(c) for c in regex.findall(hangul, _ALL_CHARS))
    assert regex.findall(hangul, others, flags=regex.IGNORECASE) == []
    for a in map(chr, range(0x20, 0x7F)):
        assert {c.lower() for c in regex.findall(regex.escape(a), _ALL_CHARS[:128], flags=regex.IGNORECASE)} == {a.lower()}
    for c in pe._FOLDS_TO_ASCII:
        assert pe._byte_fold("부산 " + c + " news") is None
    for c in "\u0100\u0150\u2122\u00c4":  # first bytes shared with the four, but not them
        assert pe._byte_fold("부산 " + c + " News") == ("부산 " + c + " news").encode("utf-8")


def test_fold_replaces_as_a_translation_table_would():
    assert pe._fold(_ALL_CHARS) == _ALL_CHARS.lower().translate(str.maketrans(pe._FOLD_EXTRA))


SHADOW_PATTERNS = [
    r"(?:for\s+)?(?:more|the\s+latest|real-?time|breaking|latest)\s+(?:breaking\s+)?news(?:\s+updates)?,?\s+"
    r"(?:visit|go\s+to|check\s+out|see)",
    r"실시간\s*(?:뉴스\s*)?속보(?:는|를|가|\s*보기)?",
    r"(?:더\s*많은|다른)\s*(?:뉴스|기사)(?:는|은)",
    r"^\s*(?:click\s+(?:here|this\s+link|me)|여기를?\s*(?:클릭|눌러|누르)\w*|클릭(?:하세요|해\s*주세요|하기)?)\s*[.!]*\s*$",
    r"(?<!\w)(?:구독\s*(?:과|와|\s*및)?\s*좋아요|좋아요\s*구독)(?![^\W\p{Hangul}])".replace(r"\p{Hangul}", "가-힣"),
    r"\bnews\s{2}see\b", r"news\s{1,2}?,\s*?see", r"more(?=\s)\s+news\w*see", r"(?:a|bc)\s+d[\s,.]e",
    r"news[^a]see", r"news.see", r"(?:news|more)+\s+see", r"Click\s+HERE", r"news\s*(?i:see)", r"news\x1fsee",
]
SHADOW_PIECES = ["more", "MORE", "news", "NEWS", "newſ", "visit", "see", "SEE", "go", "to", "check", "out", "updates",
                 " ", "  ", "\u00a0", "\u3000", "\n", "\t", ",", ".", "-", "real", "time", "breaking", "the latest",
                 "for", "실시간", "뉴스", "속보", "는", "보기", "더", "많은", "다른", "기사", "은", "click", "Click",
                 "here", "this", "link", "me", "여기", "를", "클릭", "하세요", "해", "주세요", "구독", "과", "좋아요",
                 "a", "bc", "d", "e", "K", "\u212a", "İ", "!", "\x1f", "x"]


@settings(max_examples=400, deadline=None)
@given(st.lists(st.sampled_from(SHADOW_PIECES), max_size=14).map("".join), st.booleans())
@example("For more news, VISIT", True)
@example("실시간 뉴스속보는", True)
@example("  Click\u00a0 here. ", True)
@example("news  see", False)
def test_a_shadow_matches_wherever_its_pattern_does(text, ignorecase):
    import regex

    hay = pe._byte_fold(text) if ignorecase else text
    if hay is None:
        return  # one of the four that fold to ASCII: no shadow is asked
    for p in SHADOW_PATTERNS:
        got = pe._parse(p, ignorecase)
        shadow = pe._compile_shadow(pe._shadow_of(list(got[0]), ignorecase), ignorecase) if got else None
        if shadow is not None and regex.search(p, text, flags=regex.IGNORECASE if ignorecase else 0):
            assert pe._shadow_found(shadow, hay, {pe._TEXT: text}), (p, text)


def test_shadows_start_at_literals_and_stop_at_what_they_cannot_say():
    def sources(p, ignorecase=False):
        got = pe._required_shadows(p, ignorecase)
        return got[0] if got[1] is None else got[1]

    # Before the first run of literals: dropped; an alternation first: one shadow per branch.
    assert sources(r"(?:for\s+)?more\s+news,?\s+see") == (r"more(?:\s)+news(?:,)?(?:\s)+see",)
    assert sources(r"(?:a|bc)d") == ("ad", "bcd")
    # \w ends a shadow; so does a scoped flag; assertions are dropped.
    assert sources(r"\bnews\w+see") == ("news",)
    assert sources(r"news(?i:see)") == ("news",)
    assert sources(r"^more(?=\s)\s$") == (r"more\s",)
    # Tokens: one shadow per branch of _required_alternatives; branches alike share one.
    assert sources(r"구독\s*좋아요|좋아요\s*구독|공감") == (
        (r"구독(?:\s)*좋아요", r"좋아요(?:\s)*구독"), ("공감",))
    assert len(pe._required_alternatives(r"구독\s*좋아요|좋아요\s*구독|공감", False)) == 2
    # With ignorecase, for the byte-folded text: lower-cased, UTF-8, any \s spelled out.
    shadow = pe._compile_shadow(sources(r"NEWS\s", True), True)
    assert [pe._shadow_found(shadow, pe._byte_fold(t), {pe._TEXT: t}) for t in ("News\u3000", "x NEWS\t", "news!")] == [
        True, True, False]
    assert [lit for _pat, lit in shadow] == [b"news"]  # looked for first
    assert sources(r"straße\s+news", True) == ("stra",)  # ß is neither ASCII nor Hangul: the shadow ends
    # The shipped packs' patterns all have one (the property test above is not empty).
    for p in SHADOW_PATTERNS[:5]:
        for ignorecase in (True, False):
            assert pe._compile_shadow(pe._shadow_of(list(pe._parse(p, ignorecase)[0]), ignorecase), ignorecase), p
    # Nothing to start from, or a shadow that matches the empty text: none.
    assert pe._required_shadows(r"\w+\s", False) == (None, None)
    assert pe._compile_shadow(("(?:a)?",), False) is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("newsNEWS속보실시간뉴스k팝K 가\u00e9\u212a\u0130")), max_size=30))
def test_literals_without_ascii_are_looked_for_in_the_text(text):
    data = pe._byte_fold(text)
    if data is None:
        return
    for lit in ("속보", "실시간", "뉴스", "news", "k팝"):
        b = lit.encode("utf-8")
        assert pe._contains(data, pe._text_literal(b), {pe._TEXT: text}) == (b in data), (text, lit)
    assert pe._text_literal("속보".encode()) == (b"\xec", "속보")
    assert pe._text_literal("k팝".encode()) == "k팝".encode()


def test_pack_views_not_built_where_the_words_are_but_not_the_phrase():
    from newslint.config import Config

    packs = [r for r in Config().enabled_rules() if issubclass(r, pe.PackRule)]
    for body in ["For more news today. See also: the visit, and go to the latest.",
                 "More <b>news</b> from us; <i>see</i> below, visit soon. <a href='x'>x</a>",
                 "more news\n\n```\n, visit\n```\n\n[click](x) today"]:
        doc = Document.from_text("---\ntitle: t\n---\n" + body + "\n")
        assert [f for r in packs for f in r().check(doc, {})] == []
        assert "_newslint_pack_views" not in doc.__dict__, body
    # The phrase across inline tags (blanked to spaces in the views) is found.
    doc = Document.from_text("---\ntitle: t\n---\nFor more <b>news,</b> <i>visit</i> <a href='https://x.kr'>x</a>\n")
    assert [r.name for r in packs for f in r().check(doc, {})] == ["promo-news-footer"]
    # A Korean-only rule on an ASCII post: decided before any haystack is made.
    bait = next(r for r in packs if r.name == "promo-engagement-bait")
    doc = Document.from_text("---\ntitle: t\n---\nplain English, more news\n")
    assert list(bait().check(doc, {})) == []
    assert doc.__dict__["_newslint_pack_file"].bytes is None


# -- the linter's memo of options and severities ----------------------------------------------
def test_rule_settings_memo_follows_config_changes():
    """Options and severity are computed once per config, yet a config changed
    in place (or another config) is seen at once."""
    from newslint.config import Config
    from newslint.linter import lint_document

    post = "---\ntitle: t\n---\n본문\u200b입니다\n"

    def severities(cfg):
        return {(v.rule, v.severity) for v in lint_document(Document.from_text(post), cfg)
                if v.rule == "invisible-character"}

    cfg = Config()
    default = severities(cfg)
    assert default and severities(cfg) == default
    cfg.severity["invisible-character"] = "info"
    assert severities(cfg) == {("invisible-character", "info")}
    del cfg.severity["invisible-character"]
    assert severities(cfg) == default
    other = Config(severity={"invisible-character": "error"})
    assert severities(other) == {("invisible-character", "error")}


# -- the warm path -----------------------------------------------------------------------------
def test_warm_run_imports_no_parser(tmp_path):
    """A run the cache answers whole never loads the linter, the parsers or jsonschema."""
    posts = tmp_path / "posts"
    posts.mkdir()
    for i in range(30):  # more than MIN_FILES_FOR_POOL: the cold run forks
        (posts / f"p{i}.md").write_text(f"---\ntitle: 제목 {i}\n---\n본문 <b>{i}</b> [x](y)\n", "utf-8")
    script = textwrap.dedent(f"""
        import sys
        import newslint.cache
        from newslint.cli import main
        newslint.cache.RACY_NS = 0  # the posts were just written: trust their stat all the same
        try:
            main(["check", "--isolated", "--cache-dir", {str(tmp_path / "cache")!r}, {str(posts)!r}, *sys.argv[1:]])
        except SystemExit as exc:
            code = exc.code
        loaded = sorted(m for m in ("newslint.linter", "newslint.document", "newslint.markdown",
                                    "newslint.html", "pyromark", "jsonschema") if m in sys.modules)
        print(code, ",".join(loaded))
    """)

    def run(*args: str) -> str:
        out = subprocess.run([sys.executable, "-c", script, *args], capture_output=True, text=True, cwd=tmp_path)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip().splitlines()[-1]

    cold = run("-j", "1")  # in-process: this process loads the parsers (a pool's workers would)
    assert "newslint.linter" in cold and "pyromark" in cold
    warm = run()
    assert warm.split(" ")[0] == cold.split(" ")[0]
    assert warm.split(" ", 1)[1:] in ([], [""]), warm


def test_front_matter_needs_no_jsonschema(tmp_path):
    post = tmp_path / "p.md"
    post.write_text("---\ntitle: 제목\ndate: 2024-01-02\ntags: [a, b]\n---\n본문\n", "utf-8")
    script = textwrap.dedent(f"""
        import sys
        from newslint.config import Config
        from newslint.linter import lint_path
        r = lint_path({str(post)!r}, Config())
        print("front-matter-schema" in [v.rule for v in r.violations], "jsonschema" in sys.modules)
        bad = {str(tmp_path / "bad.md")!r}
        open(bad, "w").write("---\\ntitle: 3\\n---\\nx\\n")
        print([v.rule for v in lint_path(bad, Config()).violations])
    """)
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.returncode == 0, out.stderr
    first, second = out.stdout.strip().splitlines()
    assert first == "False False"
    assert "front-matter-schema" in second  # an invalid one: jsonschema finds and words the errors


def test_shipped_packs_read_the_same_with_the_c_yaml_loader():
    import yaml

    for source in pe.shipped_packs():
        slow = pe.parse_pack(source, require_code=True)
        fast = pe.parse_pack(source, require_code=True, fast_yaml=True)
        keys = ("name", "code", "severity", "scopes", "message", "prefilters", "ignorecase", "followed_by_link",
                "tags", "__doc__")
        assert [[getattr(r, k) for k in keys] + [[p.pattern for p, _ in r.patterns]] for r in slow] == \
               [[getattr(r, k) for k in keys] + [[p.pattern for p, _ in r.patterns]] for r in fast]
        if hasattr(yaml, "CSafeLoader"):
            assert pe._load_yaml(source.text, True)[1] == yaml.safe_load(source.text)
    # A pack the C loader rejects is worded by the Python loader, as before.
    bad = pe.PackSource("bad.yaml", "rules: [\n  - name: x\n    message: 'unclosed\n")
    with pytest.raises(pe.PackError) as fast_err:
        pe.parse_pack(bad, require_code=False, fast_yaml=True)
    with pytest.raises(pe.PackError) as slow_err:
        pe.parse_pack(bad, require_code=False)
    assert str(fast_err.value) == str(slow_err.value)


def test_ascii_posts_skip_the_unicode_scans_safely(lint):
    """invisible-character and unicode-nfd look only for non-ASCII characters,
    so an ASCII post (``str.isascii()``, O(1)) is skipped without a scan."""
    from newslint.rules.invisible_character import _PATTERN
    from newslint.rules.unicode_nfd import _JAMO, _RUN
    from newslint.rules.unicode_scan import _pattern

    for pattern in (_PATTERN, _JAMO, _RUN, _pattern()):
        assert not any(pattern.search(chr(i)) for i in range(128))
    rules = ["invisible-character", "unicode-nfd"]
    assert lint("---\ntitle: t\n---\nplain ASCII\n", select=rules) == []
    found = lint("---\ntitle: t\n---\nzero\u200bwidth \u1100\u1161\n", select=rules)
    assert sorted(v.rule for v in found) == rules


def test_one_unicode_scan_finds_exactly_what_each_rules_own_pattern_finds():
    """unicode_scan's one pattern is the union of invisible-character's
    characters and unicode-nfd's jamo: every code point, in and out."""
    from newslint.rules.invisible_character import _PATTERN
    from newslint.rules.unicode_nfd import _JAMO
    from newslint.rules.unicode_scan import _pattern

    union = _pattern()
    for i in range(0x110000):
        ch = chr(i)
        assert bool(union.match(ch)) == bool(_PATTERN.match(ch) or _JAMO.match(ch)), hex(i)


# -- control-character: a byte prefilter before the regex ------------------------------------
@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("a가\t\n\r\u00a0\u00c2\u0085\u0092\u009f\u00a9é😀\x00\x07\x1b\x1f\x7f"))
               | st.characters(max_codepoint=0x3000), max_size=30),
       st.booleans())
@example("\x00\x00", False)  # NULs that read as UTF-16 (found in CI)
def test_control_character_byte_prefilter_never_misses_one(body, bom):
    from newslint.rules.control_character import _CONTROL, _may_hold_control

    doc = Document.from_text("---\ntitle: t\n---\n" + body, bom=bom)
    if _CONTROL.search(doc.text):
        assert _may_hold_control(doc)
    if doc.decode_problem is not None:  # e.g. NULs that look like UTF-16: the rule never runs
        return
    if not any(0x80 <= ord(c) <= 0xBF for c in doc.text):  # no "\xc2" lead byte: exact
        assert _may_hold_control(doc) == bool(_CONTROL.search(doc.text))


# -- front matter: the one-walk builder gives what the general path gives -------
YAML_PIECES = [
    "title: 제목\n", "title: again\n", "date: 2024-01-02\n", "n: 012\n", "f: 1.10\n", "b: no\n", "x: ~\n",
    "t: 12:30\n", "tags:\n  - a\n  - 1\n", "tags: [a, b]\n", "m:\n  k: v\n  k: w\n", "? [a, b]\n: v\n",
    "? {a: 1}\n: v\n", "a: &x [1]\nb: *x\n", "s: &y str\nr: *y\n", "<<: {k: v}\n", "= : v\n",
    "bin: !!binary aGk=\n", "set: !!set {a, b}\n", "o: !!omap [a: 1]\n", "py: !!python/none\n", "l: !local x\n",
    "deep: " + "[" * 60 + "]" * 60 + "\n", "q: 'it''s'\n", "e: .inf\n", "h: 0x1F\n", "on: yes\n", "k: \"NO\"\n",
    "bad: [unclosed\n", "- item\n", ": empty key\n", "dup: 1\n", "dup: 2\n",
]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.sampled_from(YAML_PIECES), min_size=1, max_size=12).map("".join))
def test_plain_front_matter_builder_equals_the_general_path(content):
    import newslint.frontmatter as fmod

    text = "---\n" + content + "---\nbody\n"
    fast = Document.from_text(text).front_matter
    saved = fmod._build_plain
    fmod._build_plain = lambda loader, node: None
    try:
        general = Document.from_text(text).front_matter
    finally:
        fmod._build_plain = saved

    def shape(fm):
        return (repr(fm.data), fm.error, [(a.start_mark.index, b.start_mark.index) for a, b in fm.duplicates])

    assert shape(fast) == shape(general)


def test_plain_front_matter_builder_takes_the_common_case_and_refuses_the_rest():
    import newslint.frontmatter as fmod

    def built(content):
        loader = fmod._Loader(content)
        try:
            return fmod._build_plain(loader, loader.get_single_node())
        finally:
            loader.dispose()

    data, dups = built("title: 제목\ndate: 2024-01-02\ntags: [a, 1]\nx: ~\nb: no\ntitle: 둘\n")
    assert data == {"title": "둘", "date": "2024-01-02", "tags": ["a", 1], "x": None, "b": False}
    assert [(a.value, b.start_mark.line) for a, b in dups] == [("title", 5)]
    for refused in ("<<: {k: v}\n", "a: &x [1]\nb: *x\n", "bin: !!binary aGk=\n", "l: !local x\n",
                    "d: " + "[" * 60 + "]" * 60 + "\n"):
        assert built(refused) is None, refused


RESOLVER_VALUES = [
    "", "~", "null", "Null", "NULL", "n", "no", "No", "yes", "Y", "true", "True", "TRUE", "false", "on", "Off",
    "0", "-1", "+12", "0x1F", "0o17", "017", "1_000", "3.14", "-.5", ".inf", "-.Inf", ".nan", "1e3", "6.8523015e+5",
    "2024-01-02", "2024-01-02 10:00:00 +0900", "2024-01-02T10:00:00Z", "12:30", "=", "<<", "abc", "부산",
    "'quoted'", '"5"', "- x", "[1, no]", "{k: on}", "!!str 5", "? a\n: b",
]


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(RESOLVER_VALUES), min_size=1, max_size=6))
@example(["~", "", "yes", "0x1F", "2024-01-02", "="])
def test_fast_resolver_gives_pyyaml_tags(values):
    """frontmatter._Loader.resolve (and its no-op path resolver hooks) tags
    every node as PyYAML's own resolver does."""
    import yaml

    import newslint.frontmatter as fmod

    content = "".join(f"k{i}: {v}\n" for i, v in enumerate(values)) + "list: [" + ", ".join(
        v for v in values if v and v[0] not in "-?[{!'\"") + "]\n"

    def tags(loader_cls):
        loader = loader_cls(content)
        try:
            node = loader.get_single_node()
        except yaml.YAMLError as exc:
            return ("error", str(exc))
        finally:
            loader.dispose()
        out, stack = [], [node]
        while stack:
            n = stack.pop()
            out.append((type(n).__name__, n.tag, n.value if isinstance(n, yaml.ScalarNode) else None))
            if isinstance(n, yaml.SequenceNode):
                stack.extend(n.value)
            elif isinstance(n, yaml.MappingNode):
                stack.extend(x for kv in n.value for x in kv)
        return out

    class Stock(fmod._BaseLoader):  # PyYAML's resolver, same loader otherwise
        pass

    assert tags(fmod._Loader) == tags(Stock)
    for value in RESOLVER_VALUES:  # and the method alone, on every value, implicit or not
        for implicit in ((True, False), (False, True), (False, False)):
            stock = Stock("")
            try:
                assert fmod._Loader.resolve(stock, yaml.ScalarNode, value, implicit) == \
                    stock.resolve(yaml.ScalarNode, value, implicit)
            finally:
                stock.dispose()
    for kind in (yaml.SequenceNode, yaml.MappingNode):
        assert fmod._Loader.resolve(None, kind, None, (False, False)) == Stock.resolve(Stock(""), kind, None, (False, False))
