"""A quick "is it valid?" for simple front matter schemas, without jsonschema.

jsonschema spends most of its time per front matter in its reference-resolution
machinery, and most front matter is valid: answering those here is worth it
(the figures are in bench/README.md). A simple schema (the built-in one, and
most site schemas) is compiled to plain Python checks. They only ever say
"valid" when jsonschema would find no error: a keyword they do not know makes
the schema not compilable, and a value they doubt goes to jsonschema, which
finds and words the errors. tests/test_schema.py holds the equivalence test.
"""

from __future__ import annotations

import numbers
from typing import Any, Callable

from .formats import CHECKERS

Predicate = Callable[[Any], bool]

_ANNOTATIONS = frozenset(("$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default",
                          "deprecated", "readOnly", "writeOnly"))


class _NotCompilable(Exception):
    pass


def _is_number(v: Any) -> bool:
    return isinstance(v, numbers.Number) and not isinstance(v, bool)


def _is_integer(v: Any) -> bool:
    if isinstance(v, bool):
        return False
    if isinstance(v, int):
        return True
    return isinstance(v, float) and v.is_integer()


_TYPES = {
    "string": lambda v: isinstance(v, str),
    "number": _is_number,
    "integer": _is_integer,
    "boolean": lambda v: isinstance(v, bool),
    "null": lambda v: v is None,
    "array": lambda v: isinstance(v, list),
    "object": lambda v: isinstance(v, dict),
}
_PLAIN = {"string": str, "array": list, "object": dict, "null": type(None)}


# Plain loops rather than any()/all() over a generator: these run for every
# value of every post.
def _any_of(preds: tuple[Predicate, ...]) -> Predicate:
    def any_ok(v):
        for p in preds:
            if p(v):
                return True
        return False
    return any_ok


def _all_of(preds: tuple[Predicate, ...]) -> Predicate:
    def all_ok(v):
        for p in preds:
            if not p(v):
                return False
        return True
    return all_ok


def compile_fast(schema: Any, builtin: dict[str, Any], builtin_name: str, pattern_timeout: float) -> Predicate | None:
    """A predicate equivalent to "jsonschema finds no error" for ``schema``,
    or None when it uses anything not handled here. ``builtin`` is the schema
    a ``$ref`` to ``builtin_name`` means."""
    try:
        return _Compiler(builtin, builtin_name, pattern_timeout).node(schema, schema, 0)
    except _NotCompilable:
        return None


class _Compiler:
    def __init__(self, builtin: dict[str, Any], builtin_name: str, pattern_timeout: float) -> None:
        self.builtin = builtin
        self.builtin_name = builtin_name
        self.timeout = pattern_timeout

    def node(self, node: Any, root: Any, depth: int) -> Predicate:
        if depth > 32:
            raise _NotCompilable
        if node is True or node == {}:
            return lambda v: True
        if not isinstance(node, dict) or ("$id" in node and node is not root):
            raise _NotCompilable  # an embedded resource: its refs resolve against it
        checks = [self.keyword(key, value, node, root, depth) for key, value in node.items() if key not in _ANNOTATIONS]
        checks = [c for c in checks if c is not None]
        if not checks:
            return lambda v: True
        if len(checks) == 1:
            return checks[0]
        if len(checks) == 2:
            a, b = checks
            return lambda v: a(v) and b(v)
        return _all_of(tuple(checks))

    def keyword(self, key: str, value: Any, node: dict, root: Any, depth: int) -> Predicate | None:
        if key == "type":
            names = [value] if isinstance(value, str) else value
            if not isinstance(names, list) or not names or any(n not in _TYPES for n in names):
                raise _NotCompilable
            if all(n in _PLAIN for n in names):  # the common case: one isinstance
                types = tuple(_PLAIN[n] for n in names)
                def type_ok(v):
                    return isinstance(v, types)
                type_ok.plain_types = types  # type: ignore[attr-defined]
                return type_ok
            return _any_of(tuple(_TYPES[n] for n in names))
        if key in ("minLength", "maxLength"):
            if isinstance(value, bool) or not isinstance(value, int):
                raise _NotCompilable
            if key == "minLength":
                return lambda v: not isinstance(v, str) or len(v) >= value
            return lambda v: not isinstance(v, str) or len(v) <= value
        if key == "pattern":
            return self.pattern(value)
        if key in ("anyOf", "allOf"):
            if not isinstance(value, list) or not value:
                raise _NotCompilable
            subs = tuple(self.node(sub, root, depth + 1) for sub in value)
            return _any_of(subs) if key == "anyOf" else _all_of(subs)
        if key == "$ref":
            return self.ref(value, root, depth)
        if key == "items":
            if "prefixItems" in node:
                raise _NotCompilable
            sub = self.node(value, root, depth + 1)

            def items_ok(v):
                if isinstance(v, list):
                    for x in v:
                        if not sub(x):
                            return False
                return True
            return items_ok
        if key == "required":
            if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
                raise _NotCompilable
            keys = tuple(value)

            def required_ok(v):
                if isinstance(v, dict):
                    for k in keys:
                        if k not in v:
                            return False
                return True
            return required_ok
        if key == "properties":
            if not isinstance(value, dict):
                raise _NotCompilable
            # A property whose schema is only a type of plain classes is kept
            # as the classes (an isinstance, not a call); any other as its
            # predicate. Keys are looked up as they are: a key that is not a
            # string equals no property name.
            props = {}
            for k, sub in value.items():
                check = self.node(sub, root, depth + 1)
                props[k] = getattr(check, "plain_types", check)

            def properties_ok(v):
                if not isinstance(v, dict):
                    return True
                for k, x in v.items():
                    sub = props.get(k)
                    if sub is not None:
                        if sub.__class__ is tuple:
                            if not isinstance(x, sub):
                                return False
                        elif not sub(x):
                            return False
                return True
            return properties_ok
        if key == "format" and value in CHECKERS:
            return CHECKERS[value]
        raise _NotCompilable  # other formats, enum, const, if/then, additionalProperties, ...

    def pattern(self, value: Any) -> Predicate | None:
        import regex

        if not isinstance(value, str):
            raise _NotCompilable
        try:
            compiled = regex.compile(value)
        except regex.error:
            return None  # the validator ignores a pattern the engine cannot compile
        timeout = self.timeout

        def pattern_ok(v):
            if not isinstance(v, str):
                return True
            try:
                return compiled.search(v, timeout=timeout) is not None
            except TimeoutError:
                return False  # jsonschema reports it
        return pattern_ok

    def ref(self, value: Any, root: Any, depth: int) -> Predicate:
        if not isinstance(value, str) or "~" in value or "%" in value:
            raise _NotCompilable
        base, _, fragment = value.partition("#")
        if base == self.builtin_name:
            root = self.builtin
        elif base:
            raise _NotCompilable  # another file: jsonschema resolves it
        if not fragment:
            return self.node(root, root, depth + 1)
        name = fragment[len("/$defs/"):] if fragment.startswith("/$defs/") else None
        defs = root.get("$defs") if isinstance(root, dict) else None
        if not name or "/" in name or not isinstance(defs, dict) or name not in defs:
            raise _NotCompilable
        return self.node(defs[name], root, depth + 1)
