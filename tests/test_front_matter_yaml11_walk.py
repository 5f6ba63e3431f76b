"""front-matter-yaml11 passes over most values without calling retyped():
what it passes over must be what retyped() would not report. The rule is
held to a plain walk that asks retyped() about every plain scalar."""

from __future__ import annotations

import itertools
import sys

import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from newslint.document import Document
from newslint.rules import front_matter_yaml11 as y11
from newslint.site import Site

_VALUES = ["", "1", "12", "012", "0x1F", "0o17", "0b101", "-3", "+4", "1_000", "1,000", "12:30", "1.10", "1.5",
           "1e3", ".5", "-.inf", ".nan", "2024-01-02", "2024-01-02 10:00:00 +0900", "2024-1-2", "yes", "Yes", "YES",
           "yEs", "no", "NO", "on", "On", "off", "OFF", "y", "Y", "n", "N", "o", "true", "False", "null", "~",
           "title", "New", "yes please", "no.", "08540", "0.1.0", "version 2", "~x", "-", "+", ".", "x: y"]


def _reference(doc, options) -> list:
    """Every plain scalar asked to retyped(), in the rule's own order of findings."""
    fm = doc.front_matter
    if fm is None or fm.format != "yaml" or not fm.closed or fm.error is not None or fm.node is None:
        return []
    out = []
    stack = [(fm.node, None)]
    while stack:
        node, key = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            if node.style or node.tag not in y11._PLAIN_TAGS:
                continue
            hit = y11.retyped(node.value, key, options, doc.site.generator)
            if hit is not None:
                start, end = fm.node_span(node)
                if doc.text[start:end] == node.value:
                    out.append((start, end, hit[0], hit[1]))
        elif isinstance(node, yaml.MappingNode):
            stack.extend((v, k.value if isinstance(k, yaml.ScalarNode) else None) for k, v in node.value)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend((v, key) for v in node.value)
    return sorted(out)


def _found(doc, options) -> list:
    return sorted((f.start, f.end, f.message, f.fix.edits[0].content)
                  for f in y11.FrontMatterYaml11().check(doc, options))


_KEYS = ["country", "published", "weight", "title", "id"]


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(_KEYS), st.sampled_from(_VALUES), st.sampled_from(["{}", "[{}]", "{}"])),
                min_size=1, max_size=6),
       st.sampled_from(["none", "jekyll", "hugo"]))
def test_the_walk_finds_what_asking_every_scalar_finds(entries, generator):
    lines = []
    for key, value, shape in entries:
        lines.append(f"{key}: " + (shape.format(value) if shape != "{}" else value) if shape != "[{}]"
                     else f"{key}:\n  - {value}\n  - sub: {value}")
    text = "---\n" + "\n".join(lines) + "\n---\nbody\n"
    doc = Document.from_text(text, site=Site(generator=generator) if generator != "none" else None)
    options = dict(y11.FrontMatterYaml11.options)
    assert _found(doc, options) == _reference(doc, options), text


def test_each_value_under_each_key_and_generator():
    for value, key, generator in itertools.product(_VALUES, _KEYS, ["none", "jekyll", "hugo"]):
        for text in (f"---\n{key}: {value}\n---\n", f"---\n{key}:\n  - {value}\n---\n"):
            doc = Document.from_text(text, site=Site(generator=generator) if generator != "none" else None)
            options = dict(y11.FrontMatterYaml11.options)
            assert _found(doc, options) == _reference(doc, options), text


def test_only_the_first_letters_of_the_boolean_words_lowercase_to_them():
    firsts = {w[0] for w in y11._BOOL_WORDS}
    assert all(len(w) <= 3 for w in y11._BOOL_WORDS)
    for c in range(sys.maxunicode + 1):
        if chr(c).lower()[:1] in firsts:
            assert chr(c) in y11._MAY_START
