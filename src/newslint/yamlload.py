"""The YAML loader front matter is read with: PyYAML's C loader composes nodes
that carry marks, and values are constructed from those same nodes. Only the
safe constructors exist: no tag ever runs code, and dates stay the text the
author wrote (a JSON Schema ``format`` checks the text).
"""

from __future__ import annotations

import operator
from typing import Any

import yaml

try:  # The C loader: far faster than the pure-Python one on real posts.
    from yaml import CSafeLoader as BaseLoader
    from yaml._yaml import CParser as _CParser
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as BaseLoader  # type: ignore[assignment]
    _CParser = None

_SCALAR_NODE = yaml.ScalarNode
_STR_TAG = "tag:yaml.org,2002:str"
_TIME_TAG = "tag:yaml.org,2002:timestamp"
# The tags whose scalars this loader constructs to the text as written.
_TEXT_TAGS = frozenset((_STR_TAG, _TIME_TAG))
_MAPPING_NODE, _MAP_TAG = yaml.MappingNode, "tag:yaml.org,2002:map"
_SEQUENCE_NODE, _SEQ_TAG = yaml.SequenceNode, "tag:yaml.org,2002:seq"
# The keys flatten_mapping rewrites: `<<` merges, `=` values.
_FLATTENED = frozenset(("tag:yaml.org,2002:merge", "tag:yaml.org,2002:value"))


class Loader(BaseLoader):  # type: ignore[misc,valid-type]
    """Safe loader that keeps dates as the text the author wrote.

    A key that is itself a list or a mapping (``? [a]\n: b``) is kept as a
    tuple or as its text instead of stopping the load with "unhashable key":
    front-matter-not-mapping reports it as a key that is not a string.
    """

    if _CParser is not None:
        def __init__(self, stream: Any) -> None:
            # What CSafeLoader.__init__ does, its constructor's and resolver's
            # fields set here: a loader is made for every post.
            _CParser.__init__(self, stream)
            self.constructed_objects = {}
            self.recursive_objects = {}
            self.state_generators = []
            self.deep_construct = False
            self.resolver_exact_paths = []
            self.resolver_prefix_paths = []

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        # An untagged plain scalar's tag depends on its text only (this loader
        # has no path resolvers), and most begin with a character no implicit
        # resolver is registered for: those are strings without trying any.
        # The short ones that might be something else (keys such as `title`,
        # values such as `true`) repeat from post to post: remembered. A
        # quoted or block scalar is a string: no implicit resolver is tried.
        if kind is _SCALAR_NODE:
            return _scalar_tag(value, implicit)
        if kind is _MAPPING_NODE:
            return _MAP_TAG
        if kind is _SEQUENCE_NODE:
            return _SEQ_TAG
        return super().resolve(kind, value, implicit)

    # The composer calls these around every node; with no path resolvers
    # (asserted below) PyYAML's own versions return at once. C callables that
    # take the same arguments and do nothing (a builtin is not a descriptor:
    # ``self.descend_resolver`` is ``operator.is_`` itself) spare a Python
    # frame per node.
    descend_resolver = operator.is_  # (current_node, current_index)
    ascend_resolver = tuple  # ()

    def construct_mapping(self, node: Any, deep: bool = False) -> dict[Any, Any]:
        if not isinstance(node, yaml.MappingNode):
            return super().construct_mapping(node, deep=deep)
        for key_node, _value_node in node.value:
            if key_node.tag in _FLATTENED:  # flatten_mapping changes nothing in a mapping without one
                self.flatten_mapping(node)
                break
        mapping: dict[Any, Any] = {}
        construct, scalar_node, text_tags = self.construct_object, _SCALAR_NODE, _TEXT_TAGS
        for key_node, value_node in node.value:
            # A string or date scalar constructs to its text, nothing else: it
            # is taken directly (no node is reached twice: aliases are refused).
            if key_node.tag in text_tags and key_node.__class__ is scalar_node:
                key = key_node.value if key_node.tag == _STR_TAG else YamlTime(key_node.value)
            else:
                key = construct(key_node, deep=True)
                try:
                    hash(key)
                except TypeError:
                    key = _hashable(key)
            tag = value_node.tag
            if tag in text_tags and value_node.__class__ is scalar_node:
                mapping[key] = value_node.value if tag == _STR_TAG else YamlTime(value_node.value)
            else:
                mapping[key] = construct(value_node, deep=deep)
        return mapping

    def construct_sequence(self, node: Any, deep: bool = False) -> list[Any]:
        if not isinstance(node, yaml.SequenceNode):
            return super().construct_sequence(node, deep=deep)
        construct, scalar_node, text_tags = self.construct_object, _SCALAR_NODE, _TEXT_TAGS
        return [(child.value if child.tag == _STR_TAG else YamlTime(child.value))
                if child.tag in text_tags and child.__class__ is scalar_node
                else construct(child, deep=deep) for child in node.value]


class YamlTime(str):
    """A YAML timestamp scalar, kept as written.

    Jekyll (Psych) and Hugo read a plain ``2020-01-02 10:00:00`` as a time
    (in UTC for Psych) but the same text quoted as a string, which Jekyll
    then parses in the site's time zone: the URL's day can differ. As a
    ``str`` it reads as the text everywhere else.
    """

    __slots__ = ()


def _scalar_text(loader: Any, node: yaml.Node) -> str:
    return YamlTime(loader.construct_scalar(node))


Loader.add_constructor("tag:yaml.org,2002:timestamp", _scalar_text)
# The first characters some implicit resolver (bool, int, float, null, ...) is
# registered for; read after the resolvers are all in place.
_RESOLVER_FIRSTS = frozenset(k for k in Loader.yaml_implicit_resolvers if k)
assert None not in Loader.yaml_implicit_resolvers and not Loader.yaml_path_resolvers


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_hashable(v) for v in value)
    if isinstance(value, dict):
        return tuple((_hashable(k), _hashable(v)) for k, v in value.items())
    if isinstance(value, set):
        return frozenset(value)
    return repr(value)


# The tags the safe constructor knows; any other tag (``!!python/...``, a local
# ``!tag``) is refused before anything is constructed.
SAFE_TAGS = frozenset(
    "tag:yaml.org,2002:" + t
    for t in ("null", "bool", "int", "float", "binary", "timestamp", "omap", "pairs", "set", "str", "seq", "map", "merge", "value")
)


class TaggingLoader(Loader):
    """The loader front matter is composed with: the same parser, with every
    tag PyYAML would resolve left for ``construct_plain`` to fill in.

    The composer calls ``resolve`` for every node that has no tag of its own;
    here it is ``slice``, a C callable that keeps its three arguments (the
    node's kind, its text, whether it was plain or quoted) for later: no
    Python frame per node. ``construct_plain`` resolves each tag as it walks
    the graph, the same way ``Loader.resolve`` does (``resolve_tags`` for the
    nodes it does not reach), so no node leaves it without its tag.
    """

    resolve = slice  # slice(kind, value, implicit); not a descriptor: no self
    if _CParser is not None:
        # The parser's own C __init__: the constructor's fields are only
        # needed by construct_document, which sets them.
        __init__ = _CParser.__init__

    def construct_document(self, node: Any) -> Any:
        self.constructed_objects = {}
        self.recursive_objects = {}
        self.state_generators = []
        self.deep_construct = False
        return super().construct_document(node)


class _PlainTags(dict):  # type: ignore[type-arg]
    """The tag of an untagged plain scalar, by its text: PyYAML's implicit
    resolvers tried in their order (this loader has no path resolvers and no
    wildcard resolvers), the short texts remembered (keys such as `title`,
    values such as `true` repeat from post to post)."""

    def __missing__(self, value: str) -> str:
        for tag, regexp in _IMPLICIT.get(value[:1], ()):
            if regexp.match(value):
                break
        else:
            tag = _STR_TAG
        if len(value) <= 24:
            if len(self) >= 4096:
                self.clear()
            self[value] = tag
        return tag


_IMPLICIT = Loader.yaml_implicit_resolvers
_PLAIN_TAGS = _PlainTags()


def _scalar_tag(value: str, implicit: Any) -> str:
    """The tag of a scalar with no tag of its own: quoted, block and
    `!`-tagged scalars are strings; so is a plain one that begins with a
    character no implicit resolver is for."""
    if implicit[0] and (not value or value[0] in _RESOLVER_FIRSTS):
        return _PLAIN_TAGS[value]
    return _STR_TAG


def _resolved(node: Any) -> str:
    """The tag of a node composed by ``TaggingLoader``, as ``Loader.resolve`` gives it."""
    tag = node.tag
    if tag.__class__ is slice:
        if tag.start is _SCALAR_NODE:
            tag = _scalar_tag(node.value, tag.step)
        else:
            tag = _MAP_TAG if tag.start is _MAPPING_NODE else _SEQ_TAG
        node.tag = tag
    return tag


def resolve_tags(root: Any) -> None:
    """Give every node under ``root`` still waiting for its tag (composed by
    ``TaggingLoader``) that tag, without recursion (aliases and cycles
    included)."""
    seen: set[int] = set()
    stack = [root]
    while stack:
        node = stack.pop()
        _resolved(node)
        if node.__class__ is _SCALAR_NODE or id(node) in seen:
            continue
        seen.add(id(node))
        if node.__class__ is _MAPPING_NODE:
            for pair in node.value:
                stack.extend(pair)
        else:
            stack.extend(node.value)


class _ScalarValues(dict):  # type: ignore[type-arg]
    """What the scalars of one tag construct to, by their text: the safe
    constructor's function of the text alone (it reads the node's value and
    the class's tables), its values immutable (None, a bool, a number), so
    one object serves every post; the short texts (`true`, `1`) remembered."""

    __slots__ = ("tag", "construct")

    def __init__(self, tag: str) -> None:
        super().__init__()
        self.tag, self.construct = tag, Loader.yaml_constructors[tag]

    def __missing__(self, text: str) -> Any:
        value = self.construct(_CONSTRUCTOR, _SCALAR_NODE(self.tag, text))  # raises as it would for the post
        if len(text) <= 24:
            if len(self) >= 4096:
                self.clear()
            self[text] = value
        return value


_CONSTRUCTOR = yaml.constructor.SafeConstructor()
# The scalar tags the plain construction below builds besides the text ones.
_SCALAR_VALUES = {tag: _ScalarValues(tag) for tag in
                  ("tag:yaml.org,2002:null", "tag:yaml.org,2002:bool",
                   "tag:yaml.org,2002:int", "tag:yaml.org,2002:float")}
# Deeper graphs take the general path (whose limit, MAX_DEPTH, is higher).
_PLAIN_DEPTH = 16


class _NotPlain(Exception):
    """The graph holds something the plain construction leaves to the general path."""


def construct_plain(loader: Any, root: Any, text: str) -> tuple[dict[Any, Any], list[tuple[Any, Any]]] | None:
    """(the value, the duplicate keys) of ``root``, composed from ``text``, in
    one walk, for the graphs nearly every post has: a mapping with string
    (or date) keys whose values are scalars with a safe tag, lists and
    mappings of those, and no anchor (no "&" in the text: then no node is
    reached twice). None for anything else (another tag, a key that is not a
    string, a merge, an anchor, deep nesting, a scalar its constructor
    refuses): then the general path checks the graph
    (``frontmatter._check_graph``), constructs it, and reports what it finds.

    Builds what ``loader.construct_document`` builds from such a graph, and
    the duplicates ``_check_graph`` gives for it (pairs of the first and the
    repeated key node, by the repeated key's position); such a graph has no
    problem for ``_check_graph``: every tag is safe, no node is reached
    twice, none is deeper than ``_PLAIN_DEPTH``.

    Resolves the tags ``TaggingLoader`` left as it goes; when it answers None,
    it has resolved them all first (``resolve_tags``)."""
    if root.__class__ is not _MAPPING_NODE or _resolved(root) != _MAP_TAG or text.find("&") != -1:
        resolve_tags(root)
        return None
    duplicates: list[tuple[Any, Any]] = []
    try:
        data = _plain_mapping(root, duplicates, 1)
    except Exception:  # _NotPlain; or a scalar its constructor refuses: the general path raises it in its own order
        resolve_tags(root)
        return None
    if duplicates:
        duplicates.sort(key=_repeated_key_position)
    return data, duplicates


def _repeated_key_position(pair: tuple[Any, Any]) -> tuple[int, int]:
    mark = pair[1].start_mark
    return mark.line, mark.column


def _plain_mapping(node: Any, duplicates: list, depth: int) -> dict[Any, Any]:
    # A tag still to resolve (a slice, see TaggingLoader) is resolved in
    # place, as _resolved does it.
    if depth > _PLAIN_DEPTH:
        raise _NotPlain
    mapping: dict[Any, Any] = {}
    first: dict[str, Any] = {}
    scalar_node, plain_tags, firsts = _SCALAR_NODE, _PLAIN_TAGS, _RESOLVER_FIRSTS
    for key_node, value_node in node.value:
        if key_node.__class__ is not scalar_node:
            raise _NotPlain
        tag = key_node.tag
        text = key_node.value
        if tag.__class__ is slice:
            tag = key_node.tag = plain_tags[text] if tag.step[0] and (not text or text[0] in firsts) else _STR_TAG
        if tag == _STR_TAG:
            key = text
        elif tag == _TIME_TAG:
            key = YamlTime(text)
        else:
            raise _NotPlain
        if text in first:
            duplicates.append((first[text], key_node))
        else:
            first[text] = key_node
        tag = value_node.tag
        if value_node.__class__ is scalar_node:
            text = value_node.value
            if tag.__class__ is slice:
                tag = value_node.tag = plain_tags[text] if tag.step[0] and (not text or text[0] in firsts) else _STR_TAG
            if tag == _STR_TAG:
                mapping[key] = text
            elif tag == _TIME_TAG:
                mapping[key] = YamlTime(text)
            else:
                values = _SCALAR_VALUES.get(tag)
                if values is None:
                    raise _NotPlain
                mapping[key] = values[text]
        else:
            mapping[key] = _plain_collection(value_node, duplicates, depth + 1)
    return mapping


def _plain_collection(node: Any, duplicates: list, depth: int) -> Any:
    cls = node.__class__
    tag = node.tag
    if tag.__class__ is slice:
        tag = node.tag = _MAP_TAG if cls is _MAPPING_NODE else _SEQ_TAG
    if cls is _MAPPING_NODE and tag == _MAP_TAG:
        return _plain_mapping(node, duplicates, depth)
    if cls is not _SEQUENCE_NODE or tag != _SEQ_TAG or depth > _PLAIN_DEPTH:
        raise _NotPlain
    out = []
    append, scalar_node, plain_tags, firsts = out.append, _SCALAR_NODE, _PLAIN_TAGS, _RESOLVER_FIRSTS
    for child in node.value:
        if child.__class__ is scalar_node:
            tag = child.tag
            text = child.value
            if tag.__class__ is slice:
                tag = child.tag = plain_tags[text] if tag.step[0] and (not text or text[0] in firsts) else _STR_TAG
            if tag == _STR_TAG:
                append(text)
            elif tag == _TIME_TAG:
                append(YamlTime(text))
            else:
                values = _SCALAR_VALUES.get(tag)
                if values is None:
                    raise _NotPlain
                append(values[text])
        else:
            append(_plain_collection(child, duplicates, depth + 1))
    return out
