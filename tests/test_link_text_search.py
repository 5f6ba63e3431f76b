"""link-text-generic's search for the links worth normalising: it must let
through every text ``normalise`` makes a generic word of."""

from __future__ import annotations

import random
import re
import sys

import pytest

from newslint.document import Document
from newslint.rules import link_text_generic as ltg

ALL_CHARS = [chr(cp) for cp in range(sys.maxunicode + 1) if not 0xD800 <= cp <= 0xDFFF]


def test_lower_case_keeps_whitespace_and_the_characters_around():
    # The search lower-cases the whole text before it strips: the same result
    # only when no character becomes (or stops being) one of those stripped.
    kept = set(ltg._AROUND) | {ltg._SEP}
    for c in ALL_CHARS:
        low = c.lower()
        if c.isspace() or c in kept or any(ch.isspace() or ch in kept for ch in low):
            assert low == c, repr(c)


def test_regex_whitespace_is_split_whitespace():
    space = re.compile(r"\s")
    for c in ALL_CHARS:
        assert bool(space.match(c)) == c.isspace() == (c in ltg._WHITESPACE), repr(c)


def _texts(rng: random.Random, words: list[str]) -> list[str]:
    around = list(ltg._AROUND) + ["\u3000", "\u00a0", "\x1f", "\r\n"]
    out = []
    for _ in range(3000):
        w = rng.choice(words)
        w = "".join(ch.upper() if rng.random() < 0.3 else ch for ch in w)
        w = re.sub(" ", lambda _m: rng.choice([" ", "  ", "\t", "\n", "\u3000 "]), w)
        pre = "".join(rng.choice(around) for _ in range(rng.randrange(3)))
        post = "".join(rng.choice(around) for _ in range(rng.randrange(3)))
        mid = rng.choice(["", "", "", "x", "Σ", "ς", "İ", "K"])
        text = pre + w + post if rng.random() < 0.8 else pre + w[: len(w) // 2] + mid + w[len(w) // 2:] + post
        out.append(text)
    return out


@pytest.mark.parametrize("extra", [frozenset(), frozenset({"원문 보기", "e-mail", "zz top", "straße", "ǆ"})])
def test_search_lets_every_generic_text_through(extra):
    words = ltg._vocabulary(extra)[0]
    search = ltg._word_search(extra)
    assert search is not None
    rng = random.Random(7)
    texts = _texts(rng, sorted(words))
    for text in texts:
        if ltg.normalise(text) in words:
            assert any(True for _ in search(ltg._SEP + text.lower() + ltg._SEP)), repr(text)
    # All at once, as the rule searches: the matches name the same texts.
    low = (ltg._SEP + ltg._SEP.join(texts) + ltg._SEP).lower()
    found = [low.count(ltg._SEP, 0, m.start()) for m in search(low)]
    assert found == [i for i, t in enumerate(texts) if any(True for _ in search(ltg._SEP + t.lower() + ltg._SEP))]
    assert set(found) >= {i for i, t in enumerate(texts) if ltg.normalise(t) in words}


def test_a_word_with_a_sigma_turns_the_search_off():
    assert ltg._word_search(frozenset({"σελίδα"})) is None


def _findings(text: str, search_on: bool, monkeypatch, extra=None):
    doc = Document.from_text(text)
    if not search_on:
        monkeypatch.setattr(ltg, "_word_search", lambda e: None)
    try:
        found = ltg.LinkTextGeneric().check(doc, {"extra_words": extra or []})
    finally:
        monkeypatch.undo()
    return [(f.start, f.end, f.message) for f in found]


def test_the_rule_finds_the_same_with_and_without_the_search(monkeypatch):
    rng = random.Random(11)
    words = sorted(ltg.generic_words()) + ["the post", "release notes", "click here", "https://example.org"]
    texts = _texts(rng, words)
    for i in range(0, len(texts), 30):
        chunk = texts[i:i + 30]
        body = "\n\n".join(
            f"[{t.replace('[', '').replace(']', '').replace(chr(10), ' ')}](https://example.org/{n})"
            if n % 3 else f'<a href="/p/{n}">{t.replace("<", "")}</a>'
            for n, t in enumerate(chunk)) + "\n\n<https://example.org>\n[here]: /x\n\n[here]\n"
        text = "---\ntitle: t\n---\n" + body
        assert _findings(text, True, monkeypatch) == _findings(text, False, monkeypatch)
        assert (_findings(text, True, monkeypatch, ["zz top", "원문", "STRASSE", "ǅ"])
                == _findings(text, False, monkeypatch, ["zz top", "원문", "STRASSE", "ǅ"]))
