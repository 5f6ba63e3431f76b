"""The loader front matter is composed with (TaggingLoader) leaves each tag to
be resolved by the walk over the graph (construct_plain, resolve_tags): once
that walk is done, every node must be what PyYAML's safe loader composes, and
the value what its safe constructor builds."""

from __future__ import annotations

import os
from pathlib import Path

import pytest
import yaml
from hypothesis import given, settings
from hypothesis import strategies as st

from newslint.frontmatter import _check_graph
from newslint.source import SourceText
from newslint.frontmatter import split_front_matter
from newslint.yamlload import BaseLoader, Loader, TaggingLoader, YamlTime, construct_plain, resolve_tags

from test_yamlload import _KEYS, _VALUES, CASES, _types


class _Reference(BaseLoader):  # type: ignore[misc,valid-type]
    """PyYAML's own resolver and constructors; dates kept as their text."""


_Reference.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: YamlTime(loader.construct_scalar(node)))


def _shape(node, seen=None):
    """Everything a rule can read of a composed graph: classes, tags, values, styles and marks."""
    seen = set() if seen is None else seen
    if node is None:
        return None
    marks = (node.start_mark.index, node.start_mark.line, node.start_mark.column,
             node.end_mark.index, node.end_mark.line, node.end_mark.column)
    head = (type(node).__name__, node.tag, marks, getattr(node, "style", None), getattr(node, "flow_style", None))
    if isinstance(node, yaml.ScalarNode):
        return head + (node.value,)
    if id(node) in seen:
        return head + ("<again>",)
    seen.add(id(node))
    if isinstance(node, yaml.MappingNode):
        return head + (tuple((_shape(k, seen), _shape(v, seen)) for k, v in node.value),)
    return head + (tuple(_shape(v, seen) for v in node.value),)


def _read(text, loader_class):
    """(graph shape, ("data", value) or ("problem", ...), duplicates) the way
    frontmatter._parse_yaml reads ``text`` with ``loader_class``."""
    loader = loader_class(text)
    try:
        node = loader.get_single_node()
        if node is None:
            return None, None, None
        plain = construct_plain(loader, node, text)
        before = _shape(node)
        if plain is not None:
            data, duplicates = plain
        else:
            problem, duplicates = _check_graph(node)
            if problem is not None:
                return before, ("problem", problem[0], problem[2]), None
            data = loader.construct_document(node)  # a merge rewrites the graph: the shape after it is kept too
        return (before, _shape(node)), ("data", data), [(a.start_mark.index, b.start_mark.index)
                                                        for a, b in duplicates]
    finally:
        loader.dispose()


def _ours(text):
    return _read(text, TaggingLoader)


def _theirs(text):
    """Loader resolves every tag as the composer asks for it (its tags are
    checked against PyYAML's resolver in test_yamlload, and here too)."""
    want = _read(text, Loader)
    composed = want[0][0] if want[1] is not None and want[1][0] == "data" else want[0]
    assert composed == _shape(yaml.compose(text, Loader=_Reference)), text
    return want


def _same(text):
    try:
        want = _theirs(text)
    except (yaml.YAMLError, ValueError, KeyError) as exc:  # a constructor's refusal too (`!!int x`)
        with pytest.raises(type(exc)) as got:
            _ours(text)
        assert str(got.value) == str(exc)
        return
    got = _ours(text)
    assert got[0] == want[0], text  # the same graph, tags included
    assert got[2] == want[2], text  # the same duplicate keys
    if want[1] is None or want[1][0] == "problem":
        assert got[1] == want[1], text
        return
    assert got[1][0] == "data", text
    data, wanted = got[1][1], want[1][1]
    assert data == wanted and repr(data) == repr(wanted) and _types(data) == _types(wanted), text


EXTRA = [
    "a: &x [1]\nb: *x\n",  # an alias: the general path, after every tag is resolved
    "a: &r [*r]\n",  # a cycle
    "? [k, 1]\n: v\n? {m: true}\n: w\n",  # complex keys
    "a: !local x\nb: 1\n",  # a tag the safe loader refuses
    "a: ! 12\nb: ! [x]\nc: ! {d: 1}\n",  # the non-specific tag: a string, a list, a mapping
    "- 1\n- true\n- [x, 2020-01-02]\n",  # not a mapping
    "12\n", "''\n", "null\n", "# only a comment\n",
    "a:\nb: ~\nc: ''\n'': 3\n",  # empty scalars
    "a: " + "[" * 20 + "x" + "]" * 20 + "\n",  # deeper than the plain walk goes
    "a: {b: [c, {d: [1, 2.5, yes, 2020-01-02 10:00:00]}]}\n",
    "a: 1\nb: [x, 2020-01-02]\na: 2\nc: {a: 1, a: 2}\n",  # duplicates, nested too
    "k: 0x1F\nl: 0o17\nm: 1_000\nn: 1:20\no: -.inf\np: .NaN\nq: +12\nr: 1.2e-5\ns: 2020-01-02-meeting\n",
    "<<: {a: 1}\nb: 2\n",
    "a: !!int abc\n", "a: !!bool maybe\n", "a: !!float x\n", "a: [!!int 0x]\n", "a: !!null x\nb: !!int 012\n",
    "a: !!int 1_0\nb: !!float 1_0.5\nc: !!bool ON\nd: [-.inf, .NaN, 0b101, 0x_1F, 190:20:30, -0]\n",
    "a: |\n  block\nb: >\n  folded\nc: 'single'\nd: \"double\"\n",
]


@pytest.mark.parametrize("text", CASES + EXTRA)
def test_tagging_loader_reads_what_the_safe_loader_reads(text):
    for _ in range(2):  # twice: the second pass reads remembered tags
        _same(text)


_texts = st.lists(st.tuples(st.sampled_from(_KEYS), st.sampled_from(_VALUES)), min_size=1, max_size=8).map(
    lambda pairs: "".join(f"{k}: {v}\n" for k, v in pairs))
_scalars = st.one_of(st.sampled_from(_VALUES[:16] + ["y", "n", "On", "1e3", "1.10", "-", "2020-1-2", "12:30:45"]),
                     st.text(alphabet="0123456789-:.+eExob_tTfFnNyY~ ", min_size=1, max_size=12).map(str.strip)
                     .filter(lambda s: s and not s.startswith(("-", ":")) and ": " not in s and " #" not in s))


@settings(max_examples=400, deadline=None)
@given(_texts)
def test_tagging_loader_on_generated_front_matter(text):
    _same(text)


@settings(max_examples=400, deadline=None)
@given(st.lists(_scalars, min_size=1, max_size=6))
def test_tagging_loader_on_generated_plain_scalars(values):
    _same("".join(f"k{i}: {v}\nl{i}: [{v}]\n" for i, v in enumerate(values)))


def test_resolve_tags_leaves_no_tag_unresolved():
    for text in CASES + EXTRA:
        loader = TaggingLoader(text)
        try:
            node = loader.get_single_node()
        except yaml.YAMLError:
            continue
        finally:
            loader.dispose()
        if node is None:
            continue
        resolve_tags(node)
        assert _shape(node) == _shape(yaml.compose(text, Loader=Loader)), text


_CORPUS = Path(os.environ.get("NEWSLINT_CORPUS", "/work/shared/corpus"))


@pytest.mark.skipif(not _CORPUS.is_dir(), reason="the corpus of real posts is not here")
def test_tagging_loader_on_the_corpus_front_matter():
    count = 0
    for path in sorted(_CORPUS.rglob("*.md"))[:1500]:
        text = path.read_bytes().decode("utf-8", "replace")
        fm = split_front_matter(SourceText(text, False))
        if fm is None or fm.format != "yaml" or not fm.closed:
            continue
        _same(fm.content)
        count += 1
    assert count > 100
