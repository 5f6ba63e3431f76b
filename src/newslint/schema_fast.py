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
import re
from typing import Any, Callable

from .formats import CHECKERS, is_post_date

Predicate = Callable[[Any], bool]

_ANNOTATIONS = frozenset(("$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default",
                          "deprecated", "readOnly", "writeOnly"))


# The `post-date` values valid on any calendar (a day up to 28, a month up
# to 12, an hour up to 23, ...): formats' pattern with each field's digits
# narrowed to its range, so a match needs none of is_post_date's Python
# checks. Any other value is asked to is_post_date. (The date of most posts.)
_SURE_POST_DATE = re.compile(r"(?!0000)\d{4}-(?:0?[1-9]|1[0-2])-(?:0?[1-9]|1\d|2[0-8])"
                             r"(?:[ T](?:[01]?\d|2[0-3]):[0-5]\d(?::(?:[0-5]\d|60)(?:\.\d+)?)?)?"
                             r"(?: ?(?:Z|[+-](?:[01]\d|2[0-3]):?[0-5]\d))?\s*", re.ASCII).fullmatch


def _post_date_ok(v: Any) -> bool:
    return not isinstance(v, str) or _SURE_POST_DATE(v) is not None or is_post_date(v)


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
_PLAIN = {"string": str, "array": list, "object": dict, "null": type(None), "boolean": bool}


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


# A compiled schema may carry, as attributes, what lets a caller answer
# without calling it: ``plain_types``, classes whose isinstance() is the
# whole verdict, and ``sure_types``, classes whose instances are valid (the
# verdict on any other value needs the call). The loops over a mapping's or a
# list's values test them inline: most values are a plain string.
def _plain_of(check: Predicate) -> tuple[type, ...] | None:
    return getattr(check, "plain_types", None)


def _sure_of(check: Predicate) -> tuple[type, ...]:
    return getattr(check, "sure_types", None) or getattr(check, "plain_types", None) or ()


def _isinstance_of(types: tuple[type, ...]) -> Predicate:
    def type_ok(v):
        return isinstance(v, types)
    type_ok.plain_types = types  # type: ignore[attr-defined]
    return type_ok


def _plain_names(value: Any) -> tuple[type, ...] | None:
    """The classes of a ``type`` of only plain names (one isinstance() each), else None."""
    names = [value] if isinstance(value, str) else value
    if not isinstance(names, list) or not names or any(not isinstance(n, str) or n not in _PLAIN for n in names):
        return None
    return tuple(_PLAIN[n] for n in names)


def _items_loop(sub: Predicate) -> Callable[[list], bool]:
    """``sub`` holds for every item of a list."""
    plain = _plain_of(sub)
    if plain is not None:
        def each_ok(v):
            for x in v:
                if not isinstance(x, plain):
                    return False
            return True
        return each_ok
    sure = _sure_of(sub)

    def each_sub_ok(v):
        for x in v:
            if not isinstance(x, sure) and not sub(x):
                return False
        return True
    return each_sub_ok


def compile_fast(schema: Any, builtin: dict[str, Any], builtin_name: str, pattern_timeout: float) -> Predicate | None:
    """A predicate equivalent to "jsonschema finds no error" for ``schema``,
    or None when it uses anything not handled here. ``builtin`` is the schema
    a ``$ref`` to ``builtin_name`` means."""
    try:
        return _Compiler(builtin, builtin_name, pattern_timeout).node(schema, schema, 0)
    except _NotCompilable:
        return None


def _properties_hold(get: Any, v: dict) -> bool:
    """Every property of ``v`` that ``get`` (a properties table) has a check
    for passes it: a tuple of classes is an isinstance test, else a predicate."""
    for k, x in v.items():
        sub = get(k)
        if sub is not None:
            if sub.__class__ is tuple:
                if not isinstance(x, sub):
                    return False
            elif not sub(x):
                return False
    return True


class _Compiler:
    def __init__(self, builtin: dict[str, Any], builtin_name: str, pattern_timeout: float) -> None:
        self.builtin = builtin
        self.builtin_name = builtin_name
        self.timeout = pattern_timeout

    def node(self, node: Any, root: Any, depth: int) -> Predicate:
        if depth > 32:
            raise _NotCompilable
        if node is True or node == {}:
            return _isinstance_of((object,))
        if not isinstance(node, dict) or ("$id" in node and node is not root):
            raise _NotCompilable  # an embedded resource: its refs resolve against it
        keys = [key for key in node if key not in _ANNOTATIONS]
        types = _plain_names(node["type"]) if "type" in node else None
        if types is not None and len(keys) > 1:
            # A type of plain classes and more keywords: one function that
            # tests the class first, then only what applies to that class.
            if types == (dict,):
                return self.object(node, keys, root, depth)
            if types == (str,):
                return self.string(node, keys, root, depth)
            if types == (list,) and len(keys) == 2 and "items" in node:
                return self.array(node, root, depth)
        checks = [self.keyword(key, node[key], node, root, depth) for key in keys]
        checks = [c for c in checks if c is not None]
        if not checks:
            return _isinstance_of((object,))
        if len(checks) == 1:
            return checks[0]
        if len(checks) == 2:
            a, b = checks
            return lambda v: a(v) and b(v)
        return _all_of(tuple(checks))

    def others(self, node: dict, keys: list[str], taken: tuple[str, ...], root: Any, depth: int) -> tuple:
        checks = (self.keyword(key, node[key], node, root, depth) for key in keys if key not in taken)
        return tuple(c for c in checks if c is not None)

    def object(self, node: dict, keys: list[str], root: Any, depth: int) -> Predicate:
        """``"type": "object"`` with ``required``, ``properties`` and other keywords."""
        required = self.required(node["required"]) if "required" in node else ()
        props = self.properties(node["properties"], root, depth) if "properties" in node else {}
        others = self.others(node, keys, ("type", "required", "properties"), root, depth)
        get = props.get

        def object_ok(v):
            if not isinstance(v, dict):
                return False
            for k in required:
                if k not in v:
                    return False
            if not _properties_hold(get, v):
                return False
            for c in others:
                if not c(v):
                    return False
            return True
        return object_ok

    def string(self, node: dict, keys: list[str], root: Any, depth: int) -> Predicate:
        """``"type": "string"`` with a length, a format, a pattern, ..."""
        low = self.length(node["minLength"]) if "minLength" in node else 0
        high = self.length(node["maxLength"]) if "maxLength" in node else None
        others = self.others(node, keys, ("type", "minLength", "maxLength"), root, depth)
        if high is None and len(others) == 1:
            (other,) = others
            if other is _post_date_ok and not low:
                sure, slow = _SURE_POST_DATE, is_post_date
                return lambda v: isinstance(v, str) and (sure(v) is not None or slow(v))
            if low:
                return lambda v: isinstance(v, str) and len(v) >= low and other(v)
            return lambda v: isinstance(v, str) and other(v)
        if high is None and not others:
            return lambda v: isinstance(v, str) and len(v) >= low
        top = -1 if high is None else high

        def string_ok(v):
            if not isinstance(v, str) or len(v) < low or (top >= 0 and len(v) > top):
                return False
            for c in others:
                if not c(v):
                    return False
            return True
        return string_ok

    def array(self, node: dict, root: Any, depth: int) -> Predicate:
        """``"type": "array"`` with ``items``."""
        each = _items_loop(self.node(node["items"], root, depth + 1))
        return lambda v: isinstance(v, list) and each(v)

    @staticmethod
    def length(value: Any) -> int:
        if isinstance(value, bool) or not isinstance(value, int):
            raise _NotCompilable
        return value

    @staticmethod
    def required(value: Any) -> tuple[str, ...]:
        if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
            raise _NotCompilable
        return tuple(value)

    def properties(self, value: Any, root: Any, depth: int) -> dict[str, Any]:
        """Each property's check: the classes of one whose schema is only a
        type of plain classes (an isinstance, not a call), the predicate of
        any other. Keys are looked up as they are: a key that is not a string
        equals no property name."""
        if not isinstance(value, dict):
            raise _NotCompilable
        props = {}
        for k, sub in value.items():
            check = self.node(sub, root, depth + 1)
            plain = _plain_of(check)
            props[k] = check if plain is None else plain
        return props

    def keyword(self, key: str, value: Any, node: dict, root: Any, depth: int) -> Predicate | None:
        if key == "type":
            names = [value] if isinstance(value, str) else value
            if not isinstance(names, list) or not names or any(n not in _TYPES for n in names):
                raise _NotCompilable
            plain = tuple(_PLAIN[n] for n in names if n in _PLAIN)
            if len(plain) == len(names):  # the common case: one isinstance
                return _isinstance_of(plain)
            extra = _any_of(tuple(_TYPES[n] for n in names if n not in _PLAIN))
            if not plain:
                return extra

            def type_ok(v):
                return isinstance(v, plain) or extra(v)
            type_ok.sure_types = plain  # type: ignore[attr-defined]
            return type_ok
        if key in ("minLength", "maxLength"):
            value = self.length(value)
            if key == "minLength":
                return lambda v: not isinstance(v, str) or len(v) >= value
            return lambda v: not isinstance(v, str) or len(v) <= value
        if key == "pattern":
            return self.pattern(value)
        if key == "anyOf":
            if not isinstance(value, list) or not value:
                raise _NotCompilable
            return self.any_of(tuple(self.node(sub, root, depth + 1) for sub in value))
        if key == "allOf":
            if not isinstance(value, list) or not value:
                raise _NotCompilable
            return _all_of(tuple(self.node(sub, root, depth + 1) for sub in value))
        if key == "$ref":
            return self.ref(value, root, depth)
        if key == "items":
            if "prefixItems" in node:
                raise _NotCompilable
            each = _items_loop(self.node(value, root, depth + 1))
            return lambda v: not isinstance(v, list) or each(v)
        if key == "required":
            keys = self.required(value)

            def required_ok(v):
                if isinstance(v, dict):
                    for k in keys:
                        if k not in v:
                            return False
                return True
            return required_ok
        if key == "properties":
            props = self.properties(value, root, depth)
            get = props.get

            return lambda v: not isinstance(v, dict) or _properties_hold(get, v)
        if key == "format" and value in CHECKERS:
            return _post_date_ok if CHECKERS[value] is is_post_date else CHECKERS[value]
        raise _NotCompilable  # other formats, enum, const, if/then, additionalProperties, ...

    @staticmethod
    def any_of(subs: tuple[Predicate, ...]) -> Predicate:
        """Valid under one of ``subs``: the classes that make some valid are
        tested at once, first; the other subschemas are then called in turn."""
        sure: list[type] = []
        for sub in subs:
            sure.extend(t for t in _sure_of(sub) if t not in sure)
        rest = tuple(sub for sub in subs if _plain_of(sub) is None)
        if not rest:
            return _isinstance_of(tuple(sure))
        if not sure:
            return _any_of(rest)
        classes = tuple(sure)

        def any_ok(v):
            if isinstance(v, classes):
                return True
            for p in rest:
                if p(v):
                    return True
            return False
        any_ok.sure_types = classes  # type: ignore[attr-defined]
        return any_ok

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
