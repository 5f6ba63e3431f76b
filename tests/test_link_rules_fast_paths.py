"""The cheap first tests of link-href-invalid, link-empty and
editor-spacer-paragraph agree with the full tests they spare."""

from __future__ import annotations

import random

from newslint.document import Document
from newslint.rules import editor_spacer_paragraph as esp
from newslint.rules import link_empty as le
from newslint.rules import link_href_invalid as lhi

FM = "---\ntitle: t\n---\n"

TARGETS = ["https://example.org/a", "/2024/01/a.html", "", " ", "#", "javascript:void(0)", "JavaScript:x", "www.example.com",
           "github.com/u/r", "README.md", "a b", "<x y>", "링크 주소 입력", "{{ site.url }}/a b", "mailto:x@y.org",
           "http://<account name>.blob.core.windows.net/", "%20", "?q=1", "ftp://x", "[a](https://e.org)"]
TEXTS = ["here", "", " ", "&nbsp;", "&#160;", "\u00a0", "![](/i.png)", "<b></b>", "`x`", "text", "&amp;", " \t "]


def _body(rng: random.Random, n: int) -> str:
    parts = []
    for i in range(n):
        target, text = rng.choice(TARGETS), rng.choice(TEXTS)
        kind = rng.randrange(6)
        if kind == 0:
            parts.append(f"[{text}](<{target}>)")
        elif kind == 1:
            parts.append(f"[{text}](https://example.org/{i})")
        elif kind == 2:
            parts.append(f'<a href="{target}">{text}</a>')
        elif kind == 3:
            parts.append(f"<a>{text}</a> <a href='{target}' title='{rng.choice(['', 'x'])}'>{text}<img alt=''></a>")
        elif kind == 4:
            parts.append(f"[{text}][r{i}]\n\n[r{i}]: {target or '<>'}")
        else:
            parts.append(f"<https://example.org/{i}> <x@example.org> [{text}]({target.replace(' ', '%20')})")
    return FM + "\n\n".join(parts) + "\n"


def _all(data, _selectors):
    return data  # every link goes through the full test, as before the first test


def test_link_rules_find_the_same_without_the_first_test(monkeypatch):
    rng = random.Random(5)
    for _ in range(150):
        text = _body(rng, 12)
        fast = [(r.__name__, [(f.start, f.end, f.message) for f in r().check(Document.from_text(text), {})])
                for r in (lhi.LinkHrefInvalid, le.LinkEmpty)]
        monkeypatch.setattr(lhi, "compress", _all)
        monkeypatch.setattr(le, "compress", _all)
        full = [(r.__name__, [(f.start, f.end, f.message) for f in r().check(Document.from_text(text), {})])
                for r in (lhi.LinkHrefInvalid, le.LinkEmpty)]
        monkeypatch.undo()
        assert fast == full, text


def test_link_empty_plain_text_shortcut_agrees_with_empty():
    rng = random.Random(6)
    for _ in range(100):
        doc = Document.from_text(_body(rng, 10))
        want = [(el.start, el.end) for el in doc.html.find_all("a")
                if el.has("href") and el.end_tag_start >= 0 and le._empty(el)]
        got = [(f.start, f.end) for f in le.LinkEmpty().check(doc, {}) if doc.text[f.start] == "<"]
        assert got == want


BLANKS = ["&nbsp;", "&#160;", "&#xA0;", "&ZeroWidthSpace;", "&Tab;", "&NewLine;", "&#32;", "\u00a0", "\u200b",
          "\ufeff", "\v", "\f", " ", "\t", "&amp;", "&lt;", "x", "&nbsp", "&NonBreakingSpace;"]


def test_spacer_paragraphs_need_what_the_cheap_test_looks_for():
    rng = random.Random(8)
    for _ in range(3000):
        para = "".join(rng.choice(BLANKS) for _ in range(rng.randrange(1, 4)))
        text = FM + "Intro, more.\n\n" + para + "\n\nEnd.\n"
        doc = Document.from_text(text)
        blank = doc.markdown.plain_paragraphs(keep=esp._BLANK_TEXT)
        cheap = "&" in text or any(c in text for c in "\u00a0\u200b\ufeff\v\f")
        assert cheap or not blank, repr(para)


def test_spacer_text_test_agrees_with_is_spacer():
    inners = ["", " ", "&nbsp;", "x", " x", "\u00a0<br>", "<br>", "&nbsp;x", "\u200b", "<b>x</b>", " &amp;", "\ufeffy"]
    for a in inners:
        for b in inners:
            for tag in ("p", "div"):
                body = f'<{tag}>{a}{b}</{tag}>\n<{tag} class="c">{a}</{tag}>\n<{tag}>{b}\n\n<{tag} />\n'
                doc = Document.from_text(FM + body)
                text = doc.text
                for el in doc.html.find_all(tag):
                    end = el.end_tag_start if el.end_tag_start >= 0 else el.end
                    if esp._SHOWS(text, el.start_end, end) is not None:
                        assert not esp.EditorSpacerParagraph._is_spacer(el, text)


def test_image_hotlinked_reads_only_the_front_matter_keys_that_can_name_an_image():
    from newslint.frontmatter import front_image
    from newslint.rules.image_hotlinked import _front_matter_keys

    keys = ["image", "cover", "header.image", "a.b.c", "thumbnail", "feature_image", "1"]
    values = [None, "", " ", "https://x/y.png", {"path": "/a.png"}, {"src": None}, ["x"], 3, {"image": {"url": "u"}}]
    rng = random.Random(9)
    datas = [None, [], "text", 3, {}]
    for _ in range(500):
        datas.append({rng.choice(keys + ["header", "a", 1]): rng.choice(values) for _ in range(rng.randrange(4))})
    for data in datas:
        kept = _front_matter_keys(data, keys)
        for key in keys:
            if key not in kept:
                assert front_image(data, key) is None, (data, key)
        assert _front_matter_keys(data, "image") == [k for k in _front_matter_keys(data, ["image"])]
