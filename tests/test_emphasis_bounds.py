"""emphasis-overuse: its cheap bounds never change a verdict of the exact count.

The rule settles most posts from bounds (the bold spans against part of the
text) before it reads every text run: these tests run it on varied posts with
the bounds and with the bounds turned off (every post read in full), and
expect the same findings.
"""

from __future__ import annotations

import random

import pytest

import newslint.rules.emphasis_overuse as emphasis
from conftest import CORPUS, needs_shared
from newslint.document import Document

_RULE = emphasis.EmphasisOveruse()

_WORDS = ["해운대", "피서객이", "몰렸습니다", "부산시", "the", "harbour", "opened", "today", "AT&amp;T",
          "&nbsp;", "&lt;b&gt;", "x&amp", "café", "1,000명"]


def _sentence(rng: random.Random) -> str:
    return " ".join(rng.choice(_WORDS) for _ in range(rng.randint(2, 12)))


def _bold(rng: random.Random, text: str) -> str:
    return rng.choice(["**{}**", "__{}__", "<b>{}</b>", "<strong>{}</strong>",
                       '<span style="font-weight: 700">{}</span>']).format(text)


def _block(rng: random.Random) -> str:
    s = _sentence(rng)
    kind = rng.randrange(16)
    if kind == 0:
        return _bold(rng, s)  # a bold paragraph, long or short
    if kind == 1:
        return f"{_bold(rng, rng.choice(_WORDS) + ':')} {s}"  # a run-in label
    if kind == 2:
        return "\n".join(f"- {_bold(rng, s) if rng.random() < 0.5 else s}" for _ in range(rng.randint(1, 4)))
    if kind == 3:
        return f"<p>{s} {_bold(rng, _sentence(rng))} {s}</p>"
    if kind == 4:
        return f"<table><tr><td>{_bold(rng, s)} {s}</td></tr></table>"
    if kind == 5:
        return f"{s} [{_bold(rng, s)}](https://example.com/{rng.randrange(9)}) {s}"
    if kind == 6:
        return f"![{s}](/img/{rng.randrange(9)}.jpg) {s}"
    if kind == 7:
        return f"{s} `{s}` {s}"
    if kind == 8:
        return f"{s} <code>{_bold(rng, s)}</code> {s}"
    if kind == 9:
        return f"## {_bold(rng, s)}"
    if kind == 10:
        return f"> {s} {_bold(rng, s)}"
    if kind == 11:
        return f"<div>\n{s}<br>{_bold(rng, s)}\n</div>"
    if kind == 12:
        return f"<pre>{s}\n\n{_bold(rng, s)}"  # never closed: a typo, still counted
    if kind == 13:
        return f"| a | b |\n|---|---|\n| {_bold(rng, s)} | {s} |"
    if kind == 14:
        return f"{s} <!-- {s} --> {_bold(rng, s)}"
    return s


def _post(rng: random.Random) -> str:
    blocks = [_block(rng) for _ in range(rng.randint(1, 14))]
    return "---\ntitle: t\n---\n\n" + "\n\n".join(blocks) + "\n"


def _findings(doc, options):
    return [(f.start, f.end, f.message) for f in _RULE.check(doc, options)]


def _exact(monkeypatch, doc, options):
    with monkeypatch.context() as m:
        m.setattr(emphasis, "_within_share", lambda *args: False)
        return _findings(doc, options)


_OPTIONS = [dict(_RULE.options), {"max_share": 0.1, "min_chars": 20, "max_bold_paragraphs": 2},
            {"max_share": 0.05, "min_chars": 0, "max_bold_paragraphs": 3},
            {"max_share": 0.5, "min_chars": 100, "max_bold_paragraphs": 5}]


@pytest.mark.parametrize("seed", range(4))
def test_bounds_agree_with_the_exact_count_on_varied_posts(monkeypatch, seed):
    rng = random.Random(seed)
    reported = 0
    for _ in range(400):
        text = _post(rng)
        options = rng.choice(_OPTIONS)
        want = _exact(monkeypatch, Document.from_text(text), options)
        assert _findings(Document.from_text(text), options) == want, text
        reported += bool(want)
    assert reported  # the posts reach both verdicts


@needs_shared
def test_bounds_agree_with_the_exact_count_on_the_corpus(monkeypatch):
    options = dict(_RULE.options)
    files = sorted(p for p in CORPUS.rglob("*.md") if p.is_file())[::5]
    assert files
    for path in files:
        raw = path.read_bytes()
        want = _exact(monkeypatch, Document(str(path), raw), options)
        assert _findings(Document(str(path), raw), options) == want, path


_S = "해운대 해수욕장이 개장한 첫 주말 피서객이 몰렸습니다. "


@pytest.mark.parametrize("extra", [
    f"![{_S * 30}](/a.jpg) [링크](/x)",  # alt text is not counted
    f"<table><tr><td>{_S * 30}</td></tr></table>",  # nor a table's text
    f"<table><tr><td>\n\n{_S * 30} [링크](/x)\n\n</td></tr></table>",  # nor a paragraph inside one
    f"<pre>\n{_S * 30}\n</pre>",
    f"## {_S * 30}",
])
def test_text_that_does_not_count_stays_out_of_the_bound(monkeypatch, extra):
    text = "---\nt: 1\n---\n\n" + extra + "\n\n" + _S * 5 + "**" + (_S * 5).strip() + "**\n"
    options = dict(_RULE.options)
    want = _exact(monkeypatch, Document.from_text(text), options)
    assert want and "bold covers" in want[0][2]
    assert _findings(Document.from_text(text), options) == want
