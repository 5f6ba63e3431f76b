"""A YAML tag whose value does not fit it (`!!int abc`) is a front-matter
finding at the value, never an internal error: Psych reads `!!int abc` as
text and stops on `!!float x`, PyYAML stops on both."""

from __future__ import annotations

import pytest


@pytest.mark.parametrize("line, column, tag, value", [
    ("count: !!int abc", 8, "!!int", "abc"),
    ("ok: !!bool maybe", 5, "!!bool", "maybe"),
    ("ratio: !!float x", 8, "!!float", "x"),
])
def test_a_tag_that_does_not_fit_its_value_is_a_syntax_finding(lint, line, column, tag, value):
    got = lint(f"---\ntitle: T\ntags: [a, b]\n{line}\n---\n\nBody.\n")
    assert [v.rule for v in got if v.rule in ("internal-error", "front-matter-syntax")] == ["front-matter-syntax"]
    v = next(v for v in got if v.rule == "front-matter-syntax")
    assert (v.line, v.column) == (4, column)
    assert f"`{tag}`" in v.message and f"`{value}`" in v.message


def test_the_first_misfit_in_the_text_is_the_one_reported(lint):
    got = lint("---\nlist:\n  - !!int one\nlater: !!float two\n---\n\nBody.\n")
    (v,) = [v for v in got if v.rule == "front-matter-syntax"]
    assert (v.line, v.column) == (3, 5) and "`one`" in v.message


def test_tags_that_fit_still_construct(lint):
    got = lint("---\ntitle: T\ncount: !!int '12'\nok: !!bool 'yes'\n---\n\nBody.\n")
    assert not [v for v in got if v.rule in ("internal-error", "front-matter-syntax")]
