"""Messages that say what is true, and fixes that keep the text readable."""

from __future__ import annotations

from newslint.config import Config
from newslint.fixer import fix_text

from conftest import lint_text

FM = "---\ntitle: 부산\n---\n"


def _fixed(text, rule):
    result = fix_text(text, "post.md", Config(select=[rule]), unsafe=False)
    assert not result.problems
    return result.text


def test_form_feed_between_words_becomes_a_space():
    found = lint_text(FM + "부산\f시청\n", select=["control-character"])
    assert [v.message for v in found] == ["control character U+000C FORM FEED; replace it with a space"]
    assert _fixed(FM + "부산\f시청\n", "control-character") == FM + "부산 시청\n"


def test_form_feed_next_to_whitespace_is_deleted():
    # A space here would leave two before the line end: a Markdown hard break.
    assert _fixed(FM + "부산 \f\n시청\f 앞\n", "control-character") == FM + "부산 \n시청 앞\n"
    assert _fixed(FM + "부산\x01시청\n", "control-character") == FM + "부산시청\n"
