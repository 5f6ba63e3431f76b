"""The errors of a front matter that fails a simple schema, without jsonschema.

A post whose front matter fails the schema needs jsonschema only to list what
is wrong, and importing it (with the validator it builds) costs a pool worker
more than linting a hundred posts. The usual failures (a required key missing,
a value of the wrong type, a date in a form no generator reads) are listed
here instead, with jsonschema's own words, when the schema's top is simple: an
object schema of ``type``, ``required``, ``properties`` and a ``$ref`` to the
built-in schema, nothing else. A property whose schema is more than a ``type``
and one of newslint's formats is only asked "valid?" (schema_fast); when it is
not, or the front matter is not a mapping, nothing is listed here (None) and
jsonschema words the errors. tests/test_schema.py holds the two to the same
errors.
"""

from __future__ import annotations

from typing import Any, Callable

from .formats import CHECKERS
from .schema_fast import _ANNOTATIONS, _TYPES, _any_of, _Compiler, _NotCompilable

Explainer = Callable[[dict], "list[SchemaError] | None"]

_TOP_KEYWORDS = frozenset(("type", "required", "properties", "$ref", "$defs"))


class SchemaError:
    """One error, with the attributes of jsonschema's ValidationError that
    front-matter-schema reads for the errors listed here."""

    __slots__ = ("absolute_path", "validator", "validator_value", "instance", "message")

    def __init__(self, path: tuple, validator: str, value: Any, instance: Any, message: str) -> None:
        self.absolute_path = path
        self.validator = validator
        self.validator_value = value
        self.instance = instance
        self.message = message


class _NotSimple(Exception):
    pass


def compile_explainer(schema: Any, builtin: dict[str, Any], builtin_name: str,
                      pattern_timeout: float) -> Explainer | None:
    """A function listing the errors of a mapping under ``schema`` (None
    when it cannot), or None when the schema's top is not simple."""
    try:
        tops = _tops(schema, builtin, builtin_name, 0)
    except _NotSimple:
        return None
    required: list[tuple[str, list]] = []  # (key, the `required` list it is in)
    props: list[tuple[str, Any, Any]] = []  # (key, its schema, how to check it)
    compiler = _Compiler(builtin, builtin_name, pattern_timeout)
    for node, root in tops:
        if "type" in node and node["type"] != "object":
            return None  # a top that is not an object schema: jsonschema says what it wants
        req = node.get("required", [])
        if not isinstance(req, list) or not all(isinstance(k, str) for k in req):
            return None
        required.extend((k, req) for k in req)
        for key, sub in (node.get("properties") or {}).items():
            check = _simple(sub)
            if check is None:
                try:
                    check = compiler.node(sub, root, 1)
                except _NotCompilable:
                    return None
            props.append((key, sub, check))

    def explain(data: dict) -> list[SchemaError] | None:
        if not isinstance(data, dict):
            return None
        out = [SchemaError((), "required", req, data, f"{key!r} is a required property")
               for key, req in required if key not in data]
        for key, sub, check in props:
            if key not in data:
                continue
            value = data[key]
            if check.__class__ is tuple:  # a simple schema: each keyword's error in jsonschema's words
                names, type_ok, fmt = check
                if type_ok is not None and not type_ok(value):
                    reprs = ", ".join(repr(n) for n in names)
                    out.append(SchemaError((key,), "type", sub["type"], value, f"{value!r} is not of type {reprs}"))
                if fmt is not None and not CHECKERS[fmt](value):
                    out.append(SchemaError((key,), "format", fmt, value, f"{value!r} is not a {fmt!r}"))
            elif not check(value):
                return None  # a failure only jsonschema can word
        return out

    return explain


def _tops(node: Any, builtin: dict[str, Any], builtin_name: str, depth: int) -> list[tuple[dict, dict]]:
    """The object schemas that apply to the top of the front matter, each with
    the document its ``$ref``s resolve in: ``node`` and, through ``$ref``, the
    built-in schema."""
    if depth > 4 or not isinstance(node, dict) or any(k not in _TOP_KEYWORDS and k not in _ANNOTATIONS for k in node):
        raise _NotSimple
    out = [(node, node)]
    if "$ref" in node:
        if node["$ref"] != builtin_name:
            raise _NotSimple
        out.extend(_tops(builtin, builtin, builtin_name, depth + 1))
    properties = node.get("properties", {})
    if not isinstance(properties, dict):
        raise _NotSimple
    return out


def _simple(sub: Any) -> tuple | None:
    """(type names, their check, format) of a property schema of only
    ``type`` and one of newslint's formats (either may be missing); None for
    any other."""
    if not isinstance(sub, dict) or any(k not in ("type", "format") and k not in _ANNOTATIONS for k in sub):
        return None
    names = type_ok = fmt = None
    if "type" in sub:
        names = [sub["type"]] if isinstance(sub["type"], str) else sub["type"]
        if not isinstance(names, list) or not names or any(n not in _TYPES for n in names):
            return None
        type_ok = _any_of(tuple(_TYPES[n] for n in names))
    if "format" in sub:
        fmt = sub["format"]
        if fmt not in CHECKERS:
            return None
    return names, type_ok, fmt

