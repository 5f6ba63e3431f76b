"""The front matter loader's shortcuts (strings taken from their nodes, tags of
plain scalars looked up by their first character or remembered) must build
exactly what PyYAML's safe constructor builds."""

from __future__ import annotations

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from newslint.yamlload import BaseLoader, Loader, YamlTime, construct_plain


class _Reference(BaseLoader):  # type: ignore[misc,valid-type]
    """PyYAML's own resolver and constructors; dates kept as their text (a YamlTime), as Loader does."""


_Reference.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: YamlTime(loader.construct_scalar(node)))

CASES = [
    "title: Hello\ndate: 2024-01-02 10:00:00 +0900\ntags: [a, b, 1, 2.5, true, null, ~, yes, No, off]\n",
    "title: true\ntrue: title\nt: 1\ntitle2: 'true'\nTrue: 0x1F\nnull: ''\n'': x\n",
    "a: !!str 12\nb: !!int '12'\nc: !!float '1'\nd: !!bool 'yes'\ne: !!null ''\nf: !!timestamp 2001-12-14\n",
    "<<: {a: 1, b: x}\nc: 2\nd: {<<: [{e: 3}, {f: four}], g: h}\n",
    "=: value\nk: =\n",
    "=: value\nl: <<x\nm: ~x\nn: .5\no: .inf\np: -.NaN\nq: +1\nr: 0o17\ns: 012\nt: 1_000\nu: 12:30\n",
    "list:\n  - - nested\n    - 2\n  - {k: v, n: 1}\n",
    "set: !!set {a, b}\nomap: !!omap [{a: 1}, {b: 2}]\npairs: !!pairs [{a: 1}, {a: 2}]\nbin: !!binary aGVsbG8=\n",
    "multi: first line\n  second line\nblock: |\n  text\nfolded: >\n  more\nquoted: \"yes\"\nsingle: 'no'\n",
    "y: y\nn: n\nY: Y\nN: N\nOn: ON\nfalse: FALSE\nnum: 1e3\nver: 1.10\nneg: -3\n",
    "- top\n- level\n- 3\n",
    "just a string\n",
]


@pytest.mark.parametrize("text", CASES)
def test_loader_builds_what_the_safe_constructor_builds(text):
    got, want = _load(text, Loader), _load(text, _Reference)
    assert got == want
    assert repr(got) == repr(want)  # the same types too (1 and True, 1.0 and 1)
    assert _types(got) == _types(want)  # and a date's text is a YamlTime, a string's a str


def _types(value):
    if isinstance(value, dict):
        return {repr(k): (type(k).__name__, _types(v)) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_types(v) for v in value]
    return type(value).__name__


def _load(text, loader):
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError as exc:  # the same error, at the same place
        return type(exc).__name__, str(exc)


def test_loader_tags_every_node_as_the_resolver_does():
    for text in CASES * 2:  # twice: the second pass reads remembered tags
        got = [(n.tag, n.value) for n in _scalars(yaml.compose(text, Loader=Loader))]
        want = [(n.tag, n.value) for n in _scalars(yaml.compose(text, Loader=_Reference))]
        assert got == want


def _scalars(node):
    if isinstance(node, yaml.ScalarNode):
        yield node
    elif isinstance(node, yaml.SequenceNode):
        for child in node.value:
            yield from _scalars(child)
    elif isinstance(node, yaml.MappingNode):
        for key, value in node.value:
            yield from _scalars(key)
            yield from _scalars(value)


def test_loader_starts_with_the_fields_of_the_safe_loader():
    ours, theirs = Loader("a: 1"), BaseLoader("a: 1")
    try:
        assert {k: v for k, v in vars(ours).items()} == {k: v for k, v in vars(theirs).items()}
        assert ours.get_single_data() == theirs.get_single_data() == {"a": 1}
    finally:
        ours.dispose()
        theirs.dispose()


# -- the plain construction: one walk for the usual front matter ------------------------------
_KEYS = ["title", "date", "tags", "title", "'title'", "2020-01-02", "'2020-01-02'", "1", "true", "<<", "=",
         "? [a]", "!!str k", "~", "\"t\\u0041g\""]
_VALUES = ["Hello", "'quoted'", "\"dq\"", "1", "-2.5", "0x1F", "012", ".inf", "yes", "No", "null", "~", "",
           "2024-01-02", "2024-01-02 10:00:00 +0900", "[a, 1, true, 2024-01-02]", "[]", "{}", "{a: 1, a: 2}",
           "!!str 12", "!!int '12'", "!!binary aGVsbG8=", "!!set {a, b}", "!foo bar", "&x anchored", "*x",
           "&y [p, q]", "*y", "AT&T", "\n  - one\n  - 2\n  - [nested, {k: v}]", "\n  k: v\n  k: w\n  n:\n    m: 1",
           "|\n  block", "!!timestamp 2001-12-14", "!!float '1'", "{<<: {a: 1}, b: 2}", "[[[[[[[[[[[[[[[[[[x]]]]]]]]]]]]]]]]]]"]
_yaml_texts = st.lists(st.tuples(st.sampled_from(_KEYS), st.sampled_from(_VALUES)), min_size=1, max_size=8).map(
    lambda pairs: "".join(f"{k}: {v}\n" for k, v in pairs))


@settings(max_examples=400, deadline=None)
@given(_yaml_texts)
def test_plain_construction_builds_what_the_general_path_builds(text):
    """Where the plain construction answers, the general path (the graph
    check, then construct_document) finds no problem and builds the same
    value, with the same duplicate keys."""
    from newslint.frontmatter import _check_graph

    try:
        node = yaml.compose(text, Loader=Loader)
    except yaml.YAMLError:
        return
    loader = Loader(text)
    try:
        plain = construct_plain(loader, loader.get_single_node(), text)
    finally:
        loader.dispose()
    if plain is None:
        return
    problem, duplicates = _check_graph(node)
    assert problem is None, text
    loader = Loader(text)
    try:
        want = loader.construct_document(loader.get_single_node())
    finally:
        loader.dispose()
    data, got_duplicates = plain
    assert data == want and repr(data) == repr(want) and _types(data) == _types(want), text
    marks = [(a.start_mark.index, b.start_mark.index) for a, b in duplicates]
    assert [(a.start_mark.index, b.start_mark.index) for a, b in got_duplicates] == marks, text


def test_plain_construction_leaves_the_unusual_to_the_general_path():
    for text in ["a: &x [1]\nb: *x\n", "a: !!set {x}\n", "? [k]\n: v\n", "<<: {a: 1}\n", "1: one\n", "- a\n", "x\n",
                 "a: " + "[" * 20 + "x" + "]" * 20 + "\n", "a: !local x\n"]:
        loader = Loader(text)
        try:
            assert construct_plain(loader, loader.get_single_node(), text) is None, text
        finally:
            loader.dispose()
    loader = Loader("a: 1\nb: [x, 2020-01-02]\na: 2\n")
    try:
        data, duplicates = construct_plain(loader, loader.get_single_node(), "a: 1\nb: [x, 2020-01-02]\na: 2\n")
    finally:
        loader.dispose()
    assert data == {"a": 2, "b": ["x", "2020-01-02"]} and isinstance(data["b"][1], YamlTime)
    assert [(a.value, b.start_mark.line) for a, b in duplicates] == [("a", 2)]
