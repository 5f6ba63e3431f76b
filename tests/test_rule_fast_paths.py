"""Cheap exact bounds in rules agree with the work they spare."""
from __future__ import annotations

import random

from newslint.rules import link_text_generic as ltg


def _variants(rng: random.Random, words: list[str]) -> list[str]:
    """Link texts near the generic words: case changed, spaces and
    punctuation added, a character swapped for an odd one."""
    odd = ["İ", "K", "Σ", "ς", "σ", "ß", "ﬀ", "\u0307", "\u00a0", "\u2003", "\x00", "é", "É", "Ω", "ǅ",
           "가", "ᄀ", "\u200b", "·", "»", "→", "x", "X", "1"]
    around = list(ltg._AROUND) + [" ", "\t", "\n", "\u3000"]
    out = []
    for _ in range(4000):
        w = list(rng.choice(words))
        for _ in range(rng.randrange(4)):
            op = rng.randrange(5)
            i = rng.randrange(len(w) + 1)
            if op == 0:
                w.insert(i, rng.choice(around))
            elif op == 1 and w:
                w[min(i, len(w) - 1)] = rng.choice(odd)
            elif op == 2 and w:
                w[min(i, len(w) - 1)] = w[min(i, len(w) - 1)].upper()
            elif op == 3:
                w.insert(i, rng.choice(odd))
            else:
                w = [c.upper() if rng.random() < 0.5 else c for c in w]
        out.append("".join(w))
    return out


def test_link_text_filter_never_hides_a_generic_word():
    rng = random.Random(7)
    for extra in (frozenset(), frozenset({"원문", "σελίδα", "straße", "ǆ"})):
        words, outside, _ = ltg._vocabulary(extra)
        texts = _variants(rng, sorted(words))
        texts += [chr(c) for c in range(0x30000) if not 0xD800 <= c < 0xE000]
        texts += [w.upper() for w in words] + [w.title() for w in words] + ["  " + w + " »" for w in words]
        hidden = [t for t in texts if outside(t.lower()) and ltg.normalise(t) in words]
        assert hidden == []
        # The filter lets the words themselves through, and still does its work.
        assert not any(outside(t.lower()) for t in [w.upper() for w in words] + ["[" + w + "]" for w in words])
        assert sum(1 for t in texts if outside(t.lower())) > len(texts) // 2


def test_spacer_blank_text_match_is_the_strip_test():
    from newslint.rules import editor_spacer_paragraph as esp

    rng = random.Random(3)
    pool = list(esp._BLANK) + ["a", "\u3000", "\u2003", "&", "\x85", "\u2028"]
    texts = ["".join(rng.choice(pool) for _ in range(rng.randrange(6))) for _ in range(5000)]
    assert [bool(esp._BLANK_TEXT(t)) for t in texts] == [bool(t) and not t.strip(esp._BLANK) for t in texts]
