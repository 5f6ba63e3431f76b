"""The front matter loader's shortcuts (strings taken from their nodes, tags of
plain scalars looked up by their first character or remembered) must build
exactly what PyYAML's safe constructor builds."""

from __future__ import annotations

import pytest
import yaml

from newslint.yamlload import BaseLoader, Loader, YamlTime


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
