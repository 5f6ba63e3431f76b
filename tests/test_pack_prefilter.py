"""The pack prefilters (newslint.packs.prefilter) never change a finding: with
them a pack rule gives exactly what its bare patterns give on every segment.

- ignore-case literals are looked for in the ASCII-lower-cased UTF-8 bytes
  of the text instead of its case fold;
- the clauses of each branch of an alternation, with what must follow a
  literal (anchors), and the branch's shadow are checked in the body without
  Markdown before any view is built.
"""

from __future__ import annotations

import sys

from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from newslint.document import Document
from newslint.packs import load_shipped_packs
from newslint.packs import _haystack as hs
from newslint.packs import _literals as lit
from newslint.packs import _shadows as sh
from newslint.packs import prefilter as pf


# -- required literals: skip the regex only where it cannot match ------------------------------
def test_required_literals_of_patterns():
    assert set(lit._required_literals(r"실시간\s*속보|more\s+news", True)) == {
        ("more", "실시간"), ("news", "실시간"), ("news", "속보"), ("more", "속보")}
    assert lit._required_literals(r"(?:foo)?bar\d+baz", False) == (("bar",), ("baz",))
    assert lit._required_literals(r"Click\s+HERE", True) == (("click",), ("here",))
    # Nothing required, or read differently by `re` and `regex`: no prefilter.
    for pattern in (r"\w+", r"a|bc", r"(?i:abc)def", r"ab{e<=1}", r"[[:alpha:]]xx", r"\p{Hangul}+", r"x?y?"):
        assert lit._required_literals(pattern, False) is None, pattern


def test_prefilter_never_skips_a_match():
    import regex

    pats = [r"실시간\s*(?:뉴스\s*)?속보", r"(?:for\s+)?(?:more|breaking)\s+news,?\s+(?:visit|see)",
            r"^\s*(?:click\s+(?:here|me)|여기를?\s*클릭\w*)\s*$", r"straße|σοφία"]
    texts = ["실시간 뉴스 속보는", "FOR MORE NEWS, VISIT", "For more newſ, see", "  Click   HERE  ",
             "여기 클릭하세요", "STRASSE straße STRAẞE", "ΣΟΦΊΑ σοφία", "nothing to see", "more\nnews\nvisit"]
    for p in pats:
        for ignorecase in (True, False):
            clauses = lit._required_literals(p, ignorecase)
            assert clauses is not None, p
            compiled = regex.compile(p, regex.IGNORECASE if ignorecase else 0)
            for t in texts:
                if compiled.search(t):
                    assert hs._holds(hs._fold(t) if ignorecase else t, clauses), (p, t)



# -- pack prefilters on bytes ----------------------------------------------------------------
def test_folds_to_ascii_lists_every_such_character():
    found = []
    for cp in range(0x80, sys.maxunicode + 1):
        if 0xD800 <= cp <= 0xDFFF:
            continue
        c = chr(cp)
        f = hs._fold(c)
        if any(ch.isascii() for ch in f) or (not hs._is_hangul(c) and any(hs._is_hangul(ch) for ch in f)):
            found.append(c)
    assert tuple(found) == hs._FOLDS_TO_ASCII


LITERALS = ["news", "more", "click", "here", "속보", "실시간", "클릭", "s", "k", "i"]


@settings(max_examples=250, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("newsNEWSmoreMORE속보실시간클릭 ſKİıkKsSiI\u0307é😀\n")) | st.characters(),
               max_size=40),
       st.sampled_from(LITERALS))
def test_byte_fold_never_misses_a_literal_of_the_fold(text, lit):
    folded = hs._fold(text)
    data = hs._byte_fold(text)
    if lit in folded:
        assert lit.encode("utf-8") in data


def test_byte_prefilters_only_for_ascii_and_hangul_literals():
    assert hs._byte_prefilters(((("news", "속보"),), None)) == (((b"news", "속보".encode()),), None)
    assert hs._byte_prefilters(((("straße",),),)) is None
    assert hs._byte_prefilters(()) is None


def test_pack_rule_findings_with_byte_prefilters_equal_the_folded_ones():
    """The same posts through the shipped ignore-case packs: bytes, folded text, no prefilter."""
    posts = ["---\ntitle: t\n---\nFor MORE news, VISIT us.\n\n실시간 속보는 여기\n\n[Click HERE](x)\n",
             "---\ntitle: t\n---\nFor more newſ, see this.\n\n[여기를 클릭](y) 구독과 좋아요\n",
             "---\ntitle: t\n---\nK and İ: for the latest news, go to x.\n"]
    packs = load_shipped_packs()
    assert any(r.ignorecase and r.plan.bytes is not None for r in packs)
    folding = {r: pf.Plan(r.sources, r.ignorecase, r.scopes, use_bytes=False) for r in packs}
    assert all(p.bytes is None for p in folding.values())

    def findings(post, plan_of):
        doc = Document.from_text(post)
        return [(r.name, f.start, f.end, f.message) for r in packs for f in r().findings(doc, plan_of(r))]

    with_bytes = [findings(p, lambda r: r.plan) for p in posts]
    folded = [findings(p, folding.get) for p in posts]
    unfiltered = [findings(p, lambda r: None) for p in posts]
    assert with_bytes == folded == unfiltered
    assert all(with_bytes[:2])


# -- pack prefilters per branch, with anchors, on the Markdown-free body ----------------------
def test_branch_clauses_and_anchors_of_an_alternation():
    pat = r"실시간\s*속보|(?:more|latest)\s+news,?\s+(?:visit|see)"
    assert lit._required_alternatives(pat, True) == (
        (("실시간",), ("속보",)), (("news",), ("latest", "more"), ("see", "visit")))
    assert lit._required_anchors(pat, True) == ((), (("news", ",", True),))
    # Not one alternation, or a branch that needs no literal: nothing.
    assert lit._required_alternatives(r"more\s+news", True) is None
    assert lit._required_alternatives(r"news|\d+", False) is None
    # What follows a literal may be empty, a letter or unknown: no anchor for it.
    assert lit._required_anchors(r"ab(?:\s+x)?|cd\w|ef[^a]|gh\s|ij(?:\s|;)", False) == (
        (), (), (), (("gh", "", True),), (("ij", ";", True),))


def test_anchored_literals_in_text_and_bytes():
    anchors = (("news", ",", True),)
    byte_anchors = hs._byte_anchors((anchors and (anchors,),))[0][0]
    for text, want in [("the newsletter", False), ("/news/x", False), ("news, visit", True), ("more news", True),
                       ("news<b>", True), ("news\u00a0visit", True), ("newsroom news\tsee", True),
                       ("no such word", False)]:
        assert hs._anchored(text, anchors) is want, text
        assert hs._anchored(text.encode("utf-8"), byte_anchors) is want, text


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


# Front matters: none, plain, and ones holding the pack words (looked for in the body only).
FRONT_MATTERS = ["", "---\ntitle: t\n---\n", "---\ntitle: 실시간 뉴스 속보는, click here\ntags: [news]\n---\n",
                 "---\ntitle: For more news, visit\n---\n", "---\ntitle: 'unclosed, more news, visit\n"]


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(phrase_posts, phrase_posts, phrase_posts, st.lists(st.sampled_from(PACK_PIECES), max_size=30).map("".join)),
       st.sampled_from(FRONT_MATTERS))
def test_pack_findings_with_every_prefilter_equal_none(body, front):
    """Body clauses, per-branch clauses, anchors and the html_source stage
    never drop a finding the bare regexes give."""
    packs = load_shipped_packs()
    assert any(r.plan.alternatives[0] for r in packs)
    assert any(r.plan.anchors[0] and any(r.plan.anchors[0]) for r in packs)
    text = front + body + "\n"
    fast = [(r.name, f.start, f.end, f.message) for r in packs for f in r().check(Document.from_text(text), {})]
    slow = [(r.name, f.start, f.end, f.message) for r in packs for f in r().findings(Document.from_text(text), None)]
    assert fast == slow


def test_pack_views_not_built_when_the_words_are_only_in_code_or_urls():
    packs = load_shipped_packs()
    skipped = ("---\ntitle: t\n---\nSee [the archive](https://x.kr/more/news/visit).\n\n"
               "```\nfor more news, visit\n```\n\nOur newsletter: latest issue, go see it.\n")
    doc = Document.from_text(skipped)
    assert [f for r in packs for f in r().check(doc, {})] == []
    assert "_newslint_pack_views" not in doc.__dict__
    found = Document.from_text("---\ntitle: t\n---\nFor more <b>news</b> visit <a href='https://x.kr'>x</a>\n")
    assert [r.name for r in packs for f in r().check(found, {})] == ["promo-news-footer"]


@settings(max_examples=200, deadline=None)
@given(st.sampled_from(FRONT_MATTERS + ["---\ntitle: 부산 “뉴스”\n---\n", "+++\ntitle = \"ſ 속보\"\n+++\n"]),
       st.text(alphabet=st.sampled_from(list("news 뉴스\n<>K\u212a\u0130\u0131\u017fé")), max_size=20), st.booleans())
def test_the_body_haystack_is_the_body_as_utf8(front, body, bom):
    """The body's haystack holds the body's bytes exactly (its text and
    characters are the file's: a superset), and a literal the body holds is
    never missed there."""
    doc = Document.from_text(front + body, bom=bom)
    hays = pf._body_of(doc)
    assert hays.text is doc.text and hays.raw[hays.start:] == doc.text[doc.body_start:].encode("utf-8")
    assert hays.lowered()[hays.start:] == hs._byte_fold(doc.text[doc.body_start:])
    for word in ("news", "뉴스", "k"):
        if word in doc.text[doc.body_start:].lower():
            plan = pf.Plan((word,), True, ("body",))
            assert plan.doc_may_match(doc), (front, body, word)


def test_pack_haystack_reuses_the_file_bytes():
    doc = Document.from_text("---\ntitle: t\n---\n부산 News\n")
    assert hs._utf8_of(doc) is doc.raw and doc.raw == doc.text.encode("utf-8")
    assert hs._utf8_of(Document.from_text("x News\n", bom=True)) is None
    assert hs._byte_fold(doc.text, hs._utf8_of(doc)) == hs._byte_fold(doc.text)


# -- pack prefilters: shadows, haystacks made once, literals looked for in the text -------------
_ALL_CHARS = "".join(chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF)


def test_what_the_shadows_assume_of_the_regex_engine():
    """`\\s` is _REGEX_SPACES; with ignorecase an ASCII character matches only
    ASCII of its case fold and the four of _FOLDS_TO_ASCII, and Hangul only
    itself: so a shadow looks for lower-cased ASCII and Hangul as UTF-8 in
    the byte-folded text (where each of the four is its ASCII letter)."""
    import regex

    assert "".join(regex.findall(r"\s", _ALL_CHARS)) == sh._REGEX_SPACES
    assert set(regex.findall(r"[\x00-\x7f]", _ALL_CHARS[128:], flags=regex.IGNORECASE)) <= set(hs._FOLDS_TO_ASCII)
    others = "".join(c for c in _ALL_CHARS if not hs._is_hangul(c))
    hangul = "[\uac00-\ud7a3\u1100-\u11ff\u3130-\u318f\ua960-\ua97f\ud7b0-\ud7ff]"
    assert all(hs._is_hangul(c) for c in regex.findall(hangul, _ALL_CHARS))
    assert regex.findall(hangul, others, flags=regex.IGNORECASE) == []
    for a in map(chr, range(0x20, 0x7F)):
        assert {c.lower() for c in regex.findall(regex.escape(a), _ALL_CHARS[:128], flags=regex.IGNORECASE)} == {a.lower()}
    for c in hs._FOLDS_TO_ASCII:
        assert hs._byte_fold("부산 " + c + " News") == ("부산 " + hs._fold(c)[0] + " news").encode("utf-8")
    for c in "\u0100\u0150\u2122\u00c4":  # first bytes shared with the four, but not them
        assert hs._byte_fold("부산 " + c + " News") == ("부산 " + c + " news").encode("utf-8")


def test_the_utf8_space_of_a_shadow_is_every_space_and_no_hangul_quote_or_dash():
    import regex

    space = regex.compile(sh._SPACE_UTF8.encode("latin-1"))
    for c in sh._REGEX_SPACES:
        assert space.fullmatch(c.encode("utf-8")), hex(ord(c))
    for c in "가힣ᄀ\u3131\u201c\u201d\u2018\u2019\u2013\u2014\u2026\u00b7\u3001\u300cxX,.":
        assert not space.match(c.encode("utf-8")), hex(ord(c))


def test_fold_replaces_as_a_translation_table_would():
    assert hs._fold(_ALL_CHARS) == _ALL_CHARS.lower().translate(str.maketrans(hs._FOLD_EXTRA))


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

    hay = hs._byte_fold(text) if ignorecase else text
    for p in SHADOW_PATTERNS:
        got = lit._parse(p, ignorecase)
        shadow = sh._compile_shadow(sh._shadow_of(list(got[0]), ignorecase), ignorecase) if got else None
        if shadow is not None and regex.search(p, text, flags=regex.IGNORECASE if ignorecase else 0):
            assert pf._shadow_found(shadow, hay, {hs._TEXT: text}), (p, text)


def test_shadows_start_at_literals_and_stop_at_what_they_cannot_say():
    def sources(p, ignorecase=False):
        got = sh._required_shadows(p, ignorecase)
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
    assert len(lit._required_alternatives(r"구독\s*좋아요|좋아요\s*구독|공감", False)) == 2
    # With ignorecase, for the byte-folded text: lower-cased, UTF-8, any \s spelled out.
    shadow = sh._compile_shadow(sources(r"NEWS\s", True), True)
    assert [pf._shadow_found(shadow, hs._byte_fold(t), {hs._TEXT: t}) for t in ("News\u3000", "x NEWS\t", "news!")] == [
        True, True, False]
    assert [lit for _pat, lit in shadow] == [b"news"]  # looked for first
    assert sources(r"straße\s+news", True) == ("stra",)  # ß is neither ASCII nor Hangul: the shadow ends
    # The shipped packs' patterns all have one (the property test above is not empty).
    for p in SHADOW_PATTERNS[:5]:
        for ignorecase in (True, False):
            assert sh._compile_shadow(sh._shadow_of(list(lit._parse(p, ignorecase)[0]), ignorecase), ignorecase), p
    # Nothing to start from, or a shadow that matches the empty text: none.
    assert sh._required_shadows(r"\w+\s", False) == (None, None)
    assert sh._compile_shadow(("(?:a)?",), False) is None


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("newsNEWS속보실시간뉴스k팝K 가\u00e9\u212a\u0130")), max_size=30))
def test_literals_without_ascii_are_looked_for_in_the_text(text):
    data = hs._byte_fold(text)
    for lit in ("속보", "실시간", "뉴스", "news", "k팝"):
        b = lit.encode("utf-8")
        assert hs._contains(data, hs._text_literal(b), {hs._TEXT: text}) == (b in data), (text, lit)
    assert hs._text_literal("속보".encode()) == (b"\xec", "속보")
    assert hs._text_literal("k팝".encode()) == "k팝".encode()


def test_pack_views_not_built_where_the_words_are_but_not_the_phrase():
    packs = load_shipped_packs()
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
    assert doc.__dict__["_newslint_pack_body"].low is None


@settings(max_examples=200, deadline=None)
@given(st.lists(st.sampled_from(["실시간", "뉴스", "속보", "클릭", "여기", "구독", "좋아요", "공감", "이웃", "추가",
                                 "news", "Click", " ", "\n", "<b>", "“", "é", "😀", "가", "시간"]), max_size=12))
def test_a_korean_literal_in_the_text_is_found_among_its_non_ascii_characters(parts):
    """The whole file's haystack looks for a literal without ASCII among the
    text's other characters: never a "no" where the text holds it."""
    text = "".join(parts)
    doc = Document.from_text("---\ntitle: t\n---\n" + text)
    hays = hs._Hays(doc.text, hs._utf8_of(doc))
    from newslint.chartables import non_ascii

    hays.chars = non_ascii(doc)
    for word in ["실시간", "뉴스", "속보", "클릭", "여기", "구독", "좋아요", "공감", "이웃", "시간가"]:
        literal = hs._text_literal(word.encode("utf-8"))
        memo = {hs._TEXT: doc.text, hs._CHARS: hays.chars}
        if word in doc.text:
            assert hs._contains(hs._byte_fold(doc.text, hays.utf8), literal, memo)
