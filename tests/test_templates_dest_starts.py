"""Where template tags in destinations are looked for: the search that skips
a `](` or `]:` with no tag opener later on its line finds exactly the places
the plain search (the regex tried after every `](` and on every line with a
`]:`) finds."""

from __future__ import annotations

from hypothesis import example, given, settings
from hypothesis import strategies as st

from newslint import templates as tt


def _plain_dest_starts(source: str) -> list[int]:
    out = []
    pos = source.find("](")
    while pos != -1:
        m = tt._AFTER_PAREN.match(source, pos + 2)
        if m is not None:
            out.append(m.end())
        pos = source.find("](", pos + 2)
    pos = source.find("]:")
    while pos != -1:
        line = source.rfind("\n", 0, pos) + 1
        m = tt._REFERENCE.match(source, line)
        if m is not None:
            out.append(m.end())
        end = source.find("\n", pos)
        pos = -1 if end == -1 else source.find("]:", end)
    return out


PIECES = ["](", "]:", "[a]", "[", "]", "(", ")", "{{", "{%", "{", "}}", "%}", "}", "%", " ", "  ", "\t", "\n",
          "\r\n", "\n\n", "<", ">", "x", "/a.png", "site.url", "|", " {0} ", "   [r]: ", "![", "가"]
sources = st.lists(st.sampled_from(PIECES), max_size=60).map("".join)


@settings(max_examples=2000, deadline=None)
@given(sources)
@example("[a]({{ site.url }}/x) [b](y)\n[c]: {% link a.md %}\n")
@example("[a](x\n{{ y }}) [b](<{%z%}>)\n [r]: x {{ y }}\n[s]:{{t}}")
@example("{{ a }} [x](y) ](\n](  <p{%q%}")
def test_dest_starts_equal_the_plain_search(source):
    assert list(tt._dest_starts(source)) == _plain_dest_starts(source)


@settings(max_examples=500, deadline=None)
@given(sources)
def test_masking_unchanged_where_no_destination_holds_a_tag(source):
    masked, restore = tt.mask_destination_tags(source)
    assert len(masked) == len(source)
    if not _plain_dest_starts(source):
        assert (masked, restore) == (source, {})
