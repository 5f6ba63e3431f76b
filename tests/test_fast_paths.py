"""The fast paths of the parse layer give exactly what the slow paths give
(faster, never different); the pack prefilters have tests/test_pack_prefilter.py.

- markdown.py: an ASCII body adds ``body_start`` to pulldown-cmark's byte
  offsets inline; any other body converts them with a table of continuation
  bytes per 256-byte block. Both are compared with a plain "decode the
  prefix" conversion.
- ``MarkdownView.html_source`` works on UTF-8 bytes and pulldown-cmark's byte
  ranges (gaps blanked by one ``bytes.translate``): compared with blanking
  each gap of the text in characters.
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
from newslint.packs import load as pl

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
            [(r.start, r.end, r.kind) for r in view.code], view.html, view.visible(), view.headings, view.strong)


def _parse(text: str):
    doc = Document.from_text(text)
    return doc, doc.text, doc.body_start, doc.liquid_literal_regions


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(ascii_posts, st.sampled_from(["", "---\ntitle: t\n---\n"]))
def test_ascii_fast_path_equals_span_conversion(body, front):
    doc, text, start, literal = _parse(front + body)
    fast = md.parse_markdown(doc.source, start, literal)
    slow = md.parse_markdown(doc.source, start, literal, ascii_fast_path=False)
    assert _dump(fast) == _dump(slow)


@settings(max_examples=300, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(posts, st.sampled_from(["", "---\ntitle: 제목 😀\n---\n"]))
def test_offsets_equal_a_plain_prefix_decode(body, front):
    doc, text, start, literal = _parse(front + body)
    got = md.parse_markdown(doc.source, start, literal)
    saved = md.byte_offset_converter
    md.byte_offset_converter = _naive_converter
    try:
        want = md.parse_markdown(doc.source, start, literal, ascii_fast_path=False)
    finally:
        md.byte_offset_converter = saved
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
    conv = md.byte_offset_converter(data, 7)
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
    view = md.parse_markdown(doc.source, start, literal)
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
    for i in range(70):  # more than MIN_FILES_FOR_POOL: the cold run forks
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

    for source in pl.shipped_packs():
        slow = pl.parse_pack(source, require_code=True)
        fast = pl.parse_pack(source, require_code=True, fast_yaml=True)
        keys = ("name", "code", "severity", "scopes", "message", "sources", "ignorecase", "followed_by_link",
                "tags", "__doc__")
        assert [[getattr(r, k) for k in keys] + [[p.pattern for p, _ in r.patterns]] for r in slow] == \
               [[getattr(r, k) for k in keys] + [[p.pattern for p, _ in r.patterns]] for r in fast]
        if hasattr(yaml, "CSafeLoader"):
            assert pl._load_yaml(source.text, True)[1] == yaml.safe_load(source.text)
    # A pack the C loader rejects is worded by the Python loader, as before.
    bad = pl.PackSource("bad.yaml", "rules: [\n  - name: x\n    message: 'unclosed\n")
    with pytest.raises(pl.PackError) as fast_err:
        pl.parse_pack(bad, require_code=False, fast_yaml=True)
    with pytest.raises(pl.PackError) as slow_err:
        pl.parse_pack(bad, require_code=False)
    assert str(fast_err.value) == str(slow_err.value)


def test_ascii_posts_skip_the_unicode_scans_safely(lint):
    """invisible-character and unicode-nfd look only for non-ASCII characters,
    so an ASCII post (``str.isascii()``, O(1)) is skipped without a scan."""
    from newslint.rules.invisible_character import _PATTERN
    from newslint.rules.unicode_nfd import _JAMO, _RUN
    from newslint.chartables import _SPECIAL

    for pattern in (_PATTERN, _JAMO, _RUN, _SPECIAL):
        assert not any(pattern.search(chr(i)) for i in range(128))
    rules = ["invisible-character", "unicode-nfd"]
    assert lint("---\ntitle: t\n---\nplain ASCII\n", select=rules) == []
    found = lint("---\ntitle: t\n---\nzero\u200bwidth \u1100\u1161\n", select=rules)
    assert sorted(v.rule for v in found) == rules


def test_text_below_u0100_holds_no_special_character():
    """The special characters all lie above U+00FF (an ASCII text is skipped
    without the scan), and the scan of the non-ASCII characters finds them
    in every text, Latin-1 or not."""
    from newslint.chartables import _SPECIAL, special_characters

    assert not any(_SPECIAL.search(chr(i)) for i in range(0x100))
    for text in ("", "plain", "caf\u00e9 \u00a0\u00ff", "\r\n\ufeffx", "\u0100", "\u00e9\u200b",
                 "\u00e9\u1100\u1161", "\ud800", "부산 \u00e9", "\U0001f600\u00e9"):
        if "\ud800" in text:
            continue  # no UTF-8 file holds it
        doc = Document.from_text("---\ntitle: t\n---\n" + text)
        expected = [(m.start(), m.group()) for m in _SPECIAL.finditer(doc.text)]
        assert special_characters(doc) == expected


def test_one_unicode_scan_finds_exactly_what_each_rules_own_pattern_finds():
    """chartables._SPECIAL is the union of invisible-character's
    characters and unicode-nfd's jamo: every code point, in and out."""
    from newslint.rules.invisible_character import _PATTERN
    from newslint.rules.unicode_nfd import _JAMO
    from newslint.chartables import _SPECIAL

    union = _SPECIAL
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
    assert _may_hold_control(doc) == bool(_CONTROL.search(doc.text))  # exact, "\xc2" lead bytes too


def test_html_source_utf8_is_html_source_encoded():
    """The pack prefilters search html_source as the UTF-8 bytes it was
    decoded from; those are exactly its encoding, blanked spans and all."""
    bodies = ["", "plain text\n", "부산시는 <b>디지털</b> `코드 <i>` 트윈\r\n\r\n<p>뉴스</p>\n",
              "\ufeffBOM <span>x</span> & **bold** [link](https://e.org) \U0001f600\n",
              "```\n<code>\n```\n\n- 항목 <em>a</em>\r\n", "a < b and <br> c\n"]
    for body in bodies:
        for bom in (False, True):
            doc = Document.from_text("---\ntitle: t\n---\n" + body, bom=bom)
            md = doc.markdown
            assert md.html_source_utf8() == md.html_source().encode("utf-8", "surrogatepass")


@settings(max_examples=300, deadline=None)
@given(st.text(alphabet=st.sampled_from(list("a가\r\n\u00e9\u2019\u200b\u200d\u1100\u1161\u11a8\ua960\ud7b0\ufeff"
                                             "\u3164\u2028\u202e\u061c😀<>&"))
               | st.characters(max_codepoint=0x10FFFF, blacklist_categories=("Cs",)), max_size=30),
       st.booleans())
@example("\u1100\u1161", True)
@example("", False)
def test_special_characters_from_the_non_ascii_characters_find_what_the_regex_finds(body, bom):
    """The scan looks at the text's non-ASCII characters first (cut from the
    file's UTF-8 bytes, or from the text encoded when the bytes are not its
    UTF-8) and finds exactly what the regex finds in the whole text."""
    from newslint.chartables import _SPECIAL, special_characters

    docs = [Document.from_text("---\ntitle: t\n---\n" + body, bom=bom),
            Document("post.md", b"not \x80 utf-8 " + body.encode("utf-8"))]  # a decode problem
    for doc in docs:
        expected = [(m.start(), m.group()) for m in _SPECIAL.finditer(doc.text)]
        assert special_characters(doc) == expected


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(posts, st.sampled_from(["", "---\ntitle: 제목\n---\n", "\ufeff", "---\r\ntitle: t\r\n---\r\n"]))
@example("", "")
@example("첫 문단\r\n\r\n둘째 [링크](x)\r\n", "\ufeff")
def test_paragraphs_made_one_at_a_time_equal_the_list(body, front):
    doc, text, start, literal = _parse(front + body)
    one_at_a_time = list(md.parse_markdown(doc.source, start, literal).iter_paragraphs())
    view = md.parse_markdown(doc.source, start, literal)
    assert one_at_a_time == view.paragraphs
    assert list(view.iter_paragraphs()) == view.paragraphs  # the list, once made
