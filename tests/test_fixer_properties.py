"""Property-based tests of the fixer over generated posts (Hypothesis).

Posts mix: YAML front matter with random keys, quoting and comments; Korean and
English prose; spacer paragraphs; editor attributes; links with
``target="_blank"`` and assorted ``rel`` values (glued by ``&nbsp;``, invalid
tokens); NFD jamo; compatibility hanja and jamo; code blocks holding the same
things (never to be fixed); LF, CRLF or mixed endings; a BOM or not; a final
newline or not; CR-only files and HTML that never closes a comment or a
script (nothing is fixed in or after those).
"""

from __future__ import annotations

import re
import tempfile
import unicodedata
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from newslint.config import Config
from newslint.document import Document
from newslint.fixer import fix_file, fix_text, fixable

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
# As many examples as the profile asks (conftest.py: the default run's 100, or
# `--hypothesis-profile=explore` for a long run).
SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])

words = st.sampled_from(["부산시", "디지털", "트윈", "news", "Busan", "시범구역", "ㄱ자", "\uF914\uF95C\uF9BF",
                         "&amp;", "&#x3131;", "2026년", "AI", "서비스", "개발", "부산\u200b시", "\ufeff뉴스",
                         "word\u2060joiner"])
nfd_word = st.sampled_from(["한국", "뉴스", "부산", "가"]).map(NFD)
sentence = st.lists(st.one_of(words, words, nfd_word), min_size=1, max_size=8).map(" ".join)

KEYS = ["title", "excerpt", "author", "tags", "image", "feature_text", "layout", "summary"]


@st.composite
def front_matter(draw):
    lines = ["---"]
    for key in draw(st.lists(st.sampled_from(KEYS), unique=True, min_size=1, max_size=5)):
        if draw(st.booleans()) and key != "tags":
            lines.append(f"# {draw(sentence)}")
        value = draw(sentence).replace("#", "")
        if key == "tags":
            lines.append("tags:")
            lines.extend(f"  - {draw(st.sampled_from(['뉴스', 'news', 'AI']))}" for _ in range(draw(st.integers(1, 3))))
            continue
        style = draw(st.sampled_from(["plain", "single", "double", "folded"]))
        if style == "plain" and not re.search(r"[:&#]|^[^\w]", value):
            lines.append(f"{key}: {value}")
        elif style == "folded":
            lines.append(f"{key}: >")
            lines.append(f"  {value}")
        elif style == "single":
            lines.append(f"{key}: '{value}'")
        else:
            lines.append(f'{key}: "{value}"')
        if key == "excerpt" and draw(st.booleans()):  # the unsafe duplicate-key fix
            lines.append(f'description: "{value}"')
    lines.append("---")
    return lines


REL = ["", ' rel="noopener"', ' rel="noopener&nbsp;noreferrer"', ' rel="dofollow"', ' rel="nofollow noopener"',
       ' rel="noreferrer"']


@st.composite
def block(draw):
    kind = draw(st.sampled_from(["p", "md", "spacer", "attrs", "link", "code", "blank", "heading", "p", "md",
                                 "spacer", "attrs", "link", "unclosed"]))
    text = draw(sentence)
    if kind == "p":
        return [f"<p>{text}</p>"]
    if kind == "md":
        return [text]
    if kind == "spacer":
        attr = draw(st.sampled_from(["", ' data-ke-size="size16"', " style='text-align: left;'"]))
        return ["", f"<p{attr}>&nbsp;</p>", ""]
    if kind == "attrs":
        return ["", f'<p data-ke-size="size16" class="x">{text}</p>', ""]
    if kind == "link":
        target = draw(st.sampled_from([' target="_blank"', " target='_blank'", ""]))
        return ["", f'<p><a href="https://newsdao.kr"{target}{draw(st.sampled_from(REL))}>{text}</a></p>', ""]
    if kind == "code":
        return ["", "```", f'<p data-ke-size="size16">&nbsp;</p> {NFD("코드")}', "```", ""]
    if kind == "heading":
        return ["", f"## {text}", ""]
    if kind == "unclosed":  # a comment or script never closed: nothing after it is fixed
        return ["", draw(st.sampled_from(["<!-- 메모", "<script>", "<p>본문 <!-- 메모"])), ""]
    return [""]


@st.composite
def post(draw):
    lines = draw(front_matter()) + [""]
    for b in draw(st.lists(block(), min_size=1, max_size=8)):
        lines.extend(b)
    fm_len = lines.index("---", 1) + 1
    endings = draw(st.sampled_from(["lf", "crlf", "mixed", "lf", "crlf", "mixed", "cr"]))
    if endings == "lf":
        text = "\n".join(lines)
    elif endings == "crlf":
        text = "\r\n".join(lines)
    elif endings == "cr":  # classic Mac: reported, never fixed
        text = "\r".join(lines)
    else:
        text = "\r\n".join(lines[:fm_len]) + "\r\n" + "\n".join(lines[fm_len:])
    if draw(st.booleans()):
        text += {"crlf": "\r\n", "cr": "\r"}.get(endings, "\n")
    return text, draw(st.booleans())


def _endings(text: str) -> tuple[int, int, int]:
    crlf = text.count("\r\n")
    return crlf, text.count("\n") - crlf, text.count("\r") - crlf


_INVISIBLE = re.compile(r"<[^>]+>|&nbsp;|\s|\xa0")
_NOTHING = re.compile("[\u200b\u2060\ufeff\u202e]")  # removed by the invisible-character fix


def _nfc(value):
    if isinstance(value, str):
        return _NOTHING.sub("", unicodedata.normalize("NFC", value))
    if isinstance(value, dict):
        return {k: _nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_nfc(v) for v in value]
    return value


@SETTINGS
@given(post(), st.booleans())
def test_fix_invariants(case, unsafe):
    text, bom = case
    config = Config()
    first = fix_text(text, "post.md", config, bom=bom, unsafe=unsafe)
    assert not first.problems, [p.message for p in first.problems]
    out = first.text
    # Idempotent, and nothing fixable is left.
    second = fix_text(out, "post.md", config, bom=bom, unsafe=unsafe)
    assert second.text == out
    doc = Document.from_text(out, "post.md", bom=bom)
    assert not fixable(second.violations, doc, unsafe)
    if "\r" in text and re.search("\r(?!\n)", text):
        assert not first.changed  # CR-only files are never fixed
    unclosed = [m.start() for m in re.finditer(r"<!--(?!.*-->)|<script>", text, re.S)]
    if unclosed:  # nothing after HTML that swallows the rest of the post is fixed
        assert out[len(out) - (len(text) - unclosed[0]):] == text[unclosed[0]:]
    if not first.changed:
        return
    # The recorded edits explain the whole change, and every byte outside them is the input's.
    assert first.rebuilt == out
    bounds = [0] + [x for span in first.touched for x in span] + [len(text)]
    kept = [text[bounds[i]:bounds[i + 1]] for i in range(0, len(bounds), 2)]
    assert out.startswith(kept[0]) and out.endswith(kept[-1])
    at = len(kept[0])
    for seg in kept[1:-1]:  # the untouched segments appear in order
        found = out.find(seg, at)
        assert found >= 0
        at = found + len(seg)
    assert at <= len(out) - len(kept[-1]) or len(kept) == 1
    # Line endings: no new kind of ending, no lone CR.
    eb, ea = _endings(text), _endings(out)
    assert not (eb[0] == 0 and ea[0]) and not (eb[1] == 0 and ea[1]) and ea[2] <= eb[2]
    assert text.endswith("\n") == out.endswith("\n")
    before, after = Document.from_text(text, "post.md", bom=bom), doc
    # Front matter data: the same (up to composed Korean), or a key dropped by an unsafe fix.
    fa, fb = before.front_matter, after.front_matter
    if fa is not None and fa.ok:
        assert fb is not None and fb.ok
        if unsafe:
            assert set(fb.data) <= set(fa.data)
            assert all(_nfc(fb.data[k]) == _nfc(fa.data[k]) for k in fb.data)
        else:
            assert _nfc(fa.data) == _nfc(fb.data)
    # The text readers see is the same (spacers and attributes are invisible).
    assert _nfc(_INVISIBLE.sub("", before.body)) == _nfc(_INVISIBLE.sub("", after.body))
    # Code is never touched.
    assert out.count(f'<p data-ke-size="size16">&nbsp;</p> {NFD("코드")}') == \
        text.count(f'<p data-ke-size="size16">&nbsp;</p> {NFD("코드")}')


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(post())
def test_fix_file_keeps_bom_and_bytes(case):
    text, bom = case
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    with tempfile.TemporaryDirectory() as d:
        path = Path(d) / "post.md"
        path.write_bytes(raw)
        r = fix_file(str(path), Config())
        data = path.read_bytes()
        assert data.startswith(b"\xef\xbb\xbf") == bom
        expected = fix_text(text, str(path), Config(), bom=bom).text
        assert data == (b"\xef\xbb\xbf" if bom else b"") + expected.encode("utf-8")
        assert r.written == (expected != text)
        again = fix_file(str(path), Config())
        assert not again.changed and path.read_bytes() == data
        assert [p.name for p in Path(d).iterdir()] == ["post.md"]
