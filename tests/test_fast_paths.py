"""The fast paths of the parse layer and the pack prefilters give exactly what
the slow paths give (issue 6: faster, never different).

- markdown.py: an ASCII body adds ``body_start`` to pulldown-cmark's byte
  offsets inline; any other body converts them span by span, incrementally.
  Both are compared with a plain "decode the prefix" conversion.
- ``MarkdownView.html_source`` slices gaps out of one blanked copy of the body
  instead of blanking each gap: compared with the per-gap version.
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
from newslint.document import Document, mask_regions
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


def _naive_spans(s: str, base: int):
    data = s.encode("utf-8")

    def span(a: int, b: int) -> tuple[int, int]:
        return (base + len(data[:a].decode("utf-8", "replace")), base + len(data[:b].decode("utf-8", "replace")))

    return span


def _dump(view: md.MarkdownView):
    return (view.images, view.links, view.tables, view.paragraphs, view.texts,
            [(r.start, r.end, r.kind) for r in view.code], view.html, view._visible)


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
    saved = md._byte_spans_to_char
    md._byte_spans_to_char = _naive_spans
    try:
        want = md.parse_markdown(text, start, literal, ascii_fast_path=False)
    finally:
        md._byte_spans_to_char = saved
    assert _dump(got) == _dump(want)
    # Every prose text run is where the parser read it (entities, escapes, tabs aside).
    source = mask_regions(text, start, literal)
    for t in got.texts:
        here = source[t.start - start:t.end - start]
        if here and not any(c in here for c in "&\\\t\r"):  # (pulldown-cmark gives some empty ranges)
            assert here == t.text


@given(st.text(alphabet="a가é😀\n", max_size=60), st.lists(st.tuples(st.integers(0, 60), st.integers(0, 60)),
                                                         max_size=30))
def test_incremental_span_conversion_in_any_order(s, spans):
    data = s.encode("utf-8")
    # Only offsets on character boundaries (pulldown-cmark never gives others).
    bounds = sorted({len(s[:i].encode("utf-8")) for i in range(len(s) + 1)})
    conv = md._byte_spans_to_char(s, 7)
    naive = _naive_spans(s, 7)
    for a, b in spans:
        a, b = bounds[a % len(bounds)], bounds[b % len(bounds)]
        assert conv(a, b) == naive(a, b)
    assert len(data) == bounds[-1]


def _html_source_per_gap(view: md.MarkdownView, text: str, body_start: int) -> str:
    """The html_source of before the fast path: every gap blanked on its own."""
    parts, pos = [], body_start
    for start, end, is_text in view._visible:
        if start < pos:
            continue
        if start > pos:
            parts.append(md._blank(text[pos:start]))
        chunk = text[start:end]
        if is_text and "<" in chunk:
            chunk = chunk.replace("<", " ")
        parts.append(chunk)
        pos = end
    if pos < len(text):
        parts.append(md._blank(text[pos:]))
    return "".join(parts)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(posts, st.sampled_from(["", "---\ntitle: t\n---\n"]))
def test_html_source_equals_blanking_each_gap(body, front):
    doc, text, start, literal = _parse(front + body)
    view = md.parse_markdown(text, start, literal)
    got = view.html_source(text, start)
    assert got == _html_source_per_gap(view, text, start)
    assert len(got) == len(text) - start
    assert [i for i, c in enumerate(got) if c == "\n"] == [i for i, c in enumerate(text[start:]) if c == "\n"]


def test_no_angle_bracket_in_the_body_means_no_html():
    doc = Document.from_text("---\ntitle: a <b> in the title\n---\nbody **only**, `code`\n")
    assert doc.html.elements == [] and doc.html.comments == [] and doc.html.problems == []
    doc = Document.from_text("---\ntitle: t\n---\n`<b>` and <i>x</i>\n")
    assert [el.tag for el in doc.html.elements] == ["i"]


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
            main(["check", "--isolated", "--cache-dir", {str(tmp_path / "cache")!r}, {str(posts)!r}])
        except SystemExit as exc:
            code = exc.code
        loaded = sorted(m for m in ("newslint.linter", "newslint.document", "newslint.markdown",
                                    "newslint.html", "pyromark", "jsonschema") if m in sys.modules)
        print(code, ",".join(loaded))
    """)

    def run() -> str:
        out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=tmp_path)
        assert out.returncode == 0, out.stderr
        return out.stdout.strip().splitlines()[-1]

    cold = run()
    assert "newslint.linter" in cold and "pyromark" in cold
    warm = run()
    assert warm.split(" ")[0] == cold.split(" ")[0]
    assert warm.split(" ", 1)[1:] in ([], [""]), warm


def test_valid_front_matter_needs_no_jsonschema(tmp_path):
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
    assert "front-matter-schema" in second


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
    from newslint.rules.unicode_nfd import _ANY_JAMO, _RUN

    for pattern in (_PATTERN, _ANY_JAMO, _RUN):
        assert not any(pattern.search(chr(i)) for i in range(128))
    rules = ["invisible-character", "unicode-nfd"]
    assert lint("---\ntitle: t\n---\nplain ASCII\n", select=rules) == []
    found = lint("---\ntitle: t\n---\nzero\u200bwidth \u1100\u1161\n", select=rules)
    assert sorted(v.rule for v in found) == rules


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
