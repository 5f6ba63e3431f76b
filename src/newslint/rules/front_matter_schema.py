from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path
from typing import Any

from .. import policy_data
from ..model import Finding
from ..ruleapi import Rule


class FrontMatterSchema(Rule):
    """Front matter that does not match the site's JSON Schema.

    ## What it does
    Validates the front matter against a JSON Schema (draft 2020-12, with
    `format` checking on). The default schema ships with newslint: `title` is
    required, and the common keys (`date`, `categories`, `tags`, `excerpt`,
    `image`, `published`, ...) must have sane types. A site names its own
    schema with `front-matter-schema` in its config.

    Dates are checked as the text the author wrote, on a real calendar. Besides
    the standard formats (`date`, `date-time` as RFC 3339, ...) a schema may use
    newslint's `post-date` format: the dates Jekyll and Hugo read
    (`2024-01-02`, `2024-01-02 10:00:00 +0900`, `2024-01-02T10:00:00Z`). The
    default schema uses it for `date`, `lastmod` and `last_modified_at`. A
    format newslint cannot check stops the run (exit 2) instead of passing
    silently; a `$ref` may only name a local file beside the schema.

    Each error points at the offending key's line; a missing key points at the
    opening fence.

    ## Why is this bad?
    Themes read these keys: a post with no `title`, `published: "no"` (a
    string, which is true) or `tags: 3` renders wrong or breaks the build.

    ## Example
    ```yaml
    ---
    date: 2024-13-45
    published: "false"
    ---
    ```

    ## Use instead
    ```yaml
    ---
    title: 부산시 예산 확정
    date: 2024-12-05
    published: false
    ---
    ```

    ## Options
    - `schema_path`: a JSON Schema file (set through `front-matter-schema`).
    """

    name = "front-matter-schema"
    code = "NL105"
    severity = "error"
    options = {"schema_path": None}

    @classmethod
    def prepare(cls, options):
        """Load the schema before the first post (the engine calls this as a
        pool worker starts). jsonschema only when the schema needs it: a
        schema the fast path compiles (the default one) words its own errors,
        and each worker saves the ~60 ms of CPU jsonschema costs to load."""
        if fast_validator(options.get("schema_path")) is None:
            load_validator(options.get("schema_path"))

    def check(self, doc, options):
        fm = doc.front_matter
        if fm is None or not fm.ok:
            return
        try:
            schema_path = options.get("schema_path")
            fast = fast_validator(schema_path)
            errors = None
            if fast is not None:
                if fast(fm.data):
                    return  # valid: the common case, without jsonschema's machinery
                errors = fast_explainer(schema_path)(fm.data)
            if errors is None:
                validator = load_validator(schema_path)
                errors = sorted(validator.iter_errors(fm.data), key=_error_order)
        except Exception as exc:  # a schema the config check could not vet (set in code, not config)
            start, end = fm.fence_span()
            yield Finding(start, end, f"the front matter schema cannot be used: {exc}")
            return
        for err in errors:
            path = list(err.absolute_path)
            message = describe(err)
            if err.validator == "required":
                start, end = fm.path_span(path) if path else fm.fence_span()
            else:
                start, end = fm.path_span(path)
            if doc.line_of(end) > doc.line_of(start):
                end = doc.line_end(start)
            yield Finding(start, end, message)


def describe(err: Any) -> str:
    where = ".".join(str(p) for p in err.absolute_path)
    if err.validator == "required":
        missing = [k for k in err.validator_value if isinstance(err.instance, dict) and k not in err.instance]
        # One error per missing key, each naming its own (jsonschema's message says which).
        key = next((k for k in missing if err.message == _required_message(k)), missing[0] if missing else err.message)
        prefix = f"`{where}`: " if where else ""
        return f"{prefix}required key `{key}` is missing"
    if err.validator == "type":
        want = err.validator_value if isinstance(err.validator_value, str) else " or ".join(err.validator_value)
        return f"`{where}` must be {want}, not {_json_type(err.instance)}"
    if err.validator == "format" and err.validator_value == "post-date":
        return (f"`{where}`: {err.instance!r} is not a real date in a form Jekyll and Hugo read "
                "(`2024-01-02`, `2024-01-02 10:00:00 +0900`)")
    if err.validator == "format":
        return f"`{where}`: {err.instance!r} is not a valid {err.validator_value}"
    if err.validator == "pattern":
        return f"`{where}`: {err.instance!r} does not match the expected form"
    if err.validator == "anyOf" and err.absolute_schema_path and isinstance(err.instance, (int, float, bool, dict)):
        return f"`{where}` has the wrong type ({_json_type(err.instance)})"
    return f"`{where}`: {err.message}" if where else err.message


def _required_message(key: str) -> str:
    return f"{key!r} is a required property"  # jsonschema's words (4.x)


def _error_order(err: Any) -> tuple[list[str], str]:
    return list(map(str, err.absolute_path)), err.message


def _json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, (int, float)):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def default_schema() -> dict[str, Any]:
    text = policy_data.read_text("front-matter.schema.json")
    return json.loads(text)


class SchemaLoadError(Exception):
    """A site schema that cannot be used (the config loader makes it exit 2)."""


_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")
PATTERN_TIMEOUT = 0.25


def _local_file(ref: str, folder: Path) -> Path:
    """The file a ``$ref`` (without fragment) names; only files beside the schema.

    No network (``http(s)://``), no ``file://``, no absolute path, no ``..``
    that leaves the schema's folder.
    """
    if _SCHEME.match(ref) or ref.startswith(("/", "\\")) or Path(ref).is_absolute():
        raise SchemaLoadError(f"`$ref` {ref!r} is not allowed: a schema may refer only to files "
                              "in its own folder (no URLs, file:// or absolute paths)")
    target = (folder / ref).resolve()
    root = folder.resolve()
    if target != root and root not in target.parents:
        raise SchemaLoadError(f"`$ref` {ref!r} leaves the schema's folder")
    if not target.is_file():
        raise SchemaLoadError(f"`$ref` {ref!r}: file not found")
    return target


def _read_json(path: Path) -> Any:
    try:
        text = path.read_text("utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise SchemaLoadError(f"cannot read {path}: {getattr(exc, 'strerror', None) or exc}") from None
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        raise SchemaLoadError(f"{path}:{exc.lineno}:{exc.colno}: not valid JSON: {exc.msg}") from None


def _walk(node: Any, key: str):
    if isinstance(node, dict):
        for k, v in node.items():
            if k == key and isinstance(v, str):
                yield v
            yield from _walk(v, key)
    elif isinstance(node, list):
        for v in node:
            yield from _walk(v, key)


# -- formats -------------------------------------------------------------------
# Dates are validated as the text the author wrote (front matter timestamps are
# kept as strings). Two formats are ours, so they never depend on optional
# extras: `post-date`, the dates Jekyll and Hugo accept (`2024-01-02`,
# `2024-01-02 10:00`, `2024-01-02 10:00:00 +0900`, `2024-01-02T10:00:00Z`) on a
# real calendar, and `date-time` (RFC 3339, strict) when jsonschema's own
# checker for it is not installed.
_POST_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"
                        r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
                        r"(?: ?(Z|[+-]\d{2}:?\d{2}))?\s*", re.ASCII)
_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?([Zz]|[+-]\d{2}:\d{2})", re.ASCII)


def _calendar_ok(m: "re.Match[str]") -> bool:
    import datetime

    y, mo, d, h, mi, sec, tz = m.groups()
    try:
        datetime.date(int(y), int(mo), int(d))
    except ValueError:
        return False
    if h is not None and (int(h) > 23 or int(mi) > 59 or (sec is not None and int(sec) > 60)):
        return False
    if tz and tz not in "Zz":
        digits = tz[1:].replace(":", "")
        if int(digits[:2]) > 23 or int(digits[2:]) > 59:
            return False
    return True


def is_post_date(value: Any) -> bool:
    if not isinstance(value, str):
        return True  # formats only constrain strings
    m = _POST_DATE.fullmatch(value)
    return m is not None and _calendar_ok(m)


def is_rfc3339_date_time(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    m = _RFC3339.fullmatch(value)
    return m is not None and _calendar_ok(m)


OWN_FORMATS = {"post-date": is_post_date}


def format_checker():
    """jsonschema's FormatChecker with newslint's own formats added."""
    from jsonschema import FormatChecker

    checker = FormatChecker()
    for name, func in OWN_FORMATS.items():
        checker.checks(name)(func)
    if "date-time" not in checker.checkers:
        checker.checks("date-time")(is_rfc3339_date_time)
    return checker


def load_schema_file(schema_path: str) -> dict[str, Any]:
    """Read and check a site schema: valid JSON, a valid draft 2020-12 schema,
    every ``$ref`` local and present, every ``format`` checkable here."""
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    path = Path(schema_path)
    schema = _read_json(path)
    if not isinstance(schema, (dict, bool)):
        raise SchemaLoadError(f"{path}: a JSON Schema is an object")
    folder = path.parent
    todo, seen = [(path, schema)], {path.resolve()}
    formats: set[str] = set()
    while todo:
        where, node = todo.pop()
        try:
            Draft202012Validator.check_schema(node)
        except SchemaError as exc:
            at = "/".join(str(p) for p in exc.absolute_path) or "(root)"
            raise SchemaLoadError(f"{where}: not a valid JSON Schema at {at}: {exc.message}") from None
        formats.update(_walk(node, "format"))
        for ref in _walk(node, "$ref"):
            base = ref.split("#", 1)[0]
            if not base:
                continue
            target = _local_file(base, folder)
            if target not in seen:
                seen.add(target)
                todo.append((target, _read_json(target)))
    missing = sorted(f for f in formats if f not in format_checker().checkers)
    if missing:
        raise SchemaLoadError(f"the schema uses formats newslint cannot check here: {', '.join(missing)} "
                              "(install jsonschema[format] or drop them)")
    return schema if isinstance(schema, dict) else {}


def _safe_pattern(validator, pattern, instance, schema):
    """``pattern`` on the `regex` engine with a time limit (no ReDoS from a site schema)."""
    import regex
    from jsonschema.exceptions import ValidationError

    if not validator.is_type(instance, "string"):
        return
    try:
        found = regex.search(pattern, instance, timeout=PATTERN_TIMEOUT)
    except TimeoutError:
        yield ValidationError(f"{instance!r}: the schema pattern {pattern!r} took too long and was stopped")
        return
    except regex.error:
        return
    if found is None:
        yield ValidationError(f"{instance!r} does not match {pattern!r}")


@lru_cache(maxsize=8)
def load_validator(schema_path: str | None):
    from jsonschema import Draft202012Validator, validators
    from referencing import Registry, Resource
    from referencing.exceptions import NoSuchResource
    from referencing.jsonschema import DRAFT202012

    if schema_path is None:
        schema, folder = default_schema(), None
    else:
        schema, folder = load_schema_file(schema_path), Path(schema_path).parent

    def retrieve(uri: str):
        if folder is None:
            raise NoSuchResource(ref=uri)
        try:
            target = _local_file(uri.split("#", 1)[0], folder)
            return Resource.from_contents(_read_json(target), default_specification=DRAFT202012)
        except SchemaLoadError:
            raise NoSuchResource(ref=uri) from None

    cls = validators.extend(Draft202012Validator, {"pattern": _safe_pattern})
    return cls(schema, format_checker=format_checker(), registry=Registry(retrieve=retrieve))


# -- a fast path for valid front matter ----------------------------------------
# jsonschema spends ~100 us on a typical front matter (most of it in its
# reference-resolution machinery), a fifth of a cold run's rule time. Most
# front matter is valid, so a simple schema (the default one, and most site
# schemas) is also compiled to plain Python checks here. They only ever say
# "valid" when jsonschema would find no error: any keyword they do not know
# makes the schema not compilable, and a value they doubt is handed to
# jsonschema, which words the errors as before.
_ANNOTATIONS = frozenset(("$schema", "$id", "$defs", "$comment", "title", "description", "examples", "default",
                          "deprecated", "readOnly", "writeOnly"))


class _NotCompilable(Exception):
    pass


def _is_number(v: Any) -> bool:
    import numbers

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


def _compile_fast(node: Any, root: dict[str, Any], depth: int = 0):
    """A predicate equivalent to "jsonschema finds no error" for ``node``, or _NotCompilable."""
    if depth > 32:
        raise _NotCompilable
    if node is True or node == {}:
        return lambda v: True
    if not isinstance(node, dict):
        raise _NotCompilable
    checks = []
    for key, value in node.items():
        if key in _ANNOTATIONS:
            continue
        if key == "type":
            names = [value] if isinstance(value, str) else value
            if not isinstance(names, list) or not names or any(n not in _TYPES for n in names):
                raise _NotCompilable
            plain = {"string": str, "array": list, "object": dict, "null": type(None)}
            if all(n in plain for n in names):  # the common case: one isinstance
                types = tuple(plain[n] for n in names)
                checks.append(lambda v, types=types: isinstance(v, types))
            else:
                preds = tuple(_TYPES[n] for n in names)
                checks.append(lambda v, preds=preds: any(p(v) for p in preds))
        elif key in ("minLength", "maxLength"):
            if isinstance(value, bool) or not isinstance(value, int):
                raise _NotCompilable
            if key == "minLength":
                checks.append(lambda v, n=value: not isinstance(v, str) or len(v) >= n)
            else:
                checks.append(lambda v, n=value: not isinstance(v, str) or len(v) <= n)
        elif key == "pattern":
            import regex

            if not isinstance(value, str):
                raise _NotCompilable
            try:
                compiled = regex.compile(value)
            except regex.error:
                continue  # _safe_pattern ignores a pattern the engine cannot compile

            def pattern_ok(v, compiled=compiled):
                if not isinstance(v, str):
                    return True
                try:
                    return compiled.search(v, timeout=PATTERN_TIMEOUT) is not None
                except TimeoutError:
                    return False  # jsonschema reports it
            checks.append(pattern_ok)
        elif key == "anyOf":
            if not isinstance(value, list) or not value:
                raise _NotCompilable
            subs = tuple(_compile_fast(sub, root, depth + 1) for sub in value)
            checks.append(lambda v, subs=subs: any(f(v) for f in subs))
        elif key == "$ref":
            if not isinstance(value, str) or not value.startswith("#/$defs/") or "~" in value or "%" in value:
                raise _NotCompilable
            target = (root.get("$defs") or {}).get(value[len("#/$defs/"):])
            if target is None or "/" in value[len("#/$defs/"):]:
                raise _NotCompilable
            checks.append(_compile_fast(target, root, depth + 1))
        elif key == "items":
            if "prefixItems" in node:
                raise _NotCompilable
            sub = _compile_fast(value, root, depth + 1)
            checks.append(lambda v, sub=sub: not isinstance(v, list) or all(sub(x) for x in v))
        elif key == "required":
            if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
                raise _NotCompilable
            keys = tuple(value)
            checks.append(lambda v, keys=keys: not isinstance(v, dict) or all(k in v for k in keys))
        elif key == "properties":
            if not isinstance(value, dict):
                raise _NotCompilable
            props = {k: _compile_fast(sub, root, depth + 1) for k, sub in value.items()}

            def properties_ok(v, props=props):
                if not isinstance(v, dict):
                    return True
                for k, x in v.items():
                    sub = props.get(k) if isinstance(k, str) else None
                    if sub is not None and not sub(x):
                        return False
                return True
            checks.append(properties_ok)
        elif key == "format" and value in OWN_FORMATS:
            checks.append(OWN_FORMATS[value])
        else:
            raise _NotCompilable  # other formats, enum, const, if/then, additionalProperties, ...
    if len(checks) == 1:
        return checks[0]
    if len(checks) == 2:
        a, b = checks
        return lambda v: a(v) and b(v)
    checks_t = tuple(checks)

    def all_ok(v):
        for c in checks_t:
            if not c(v):
                return False
        return True
    return all_ok


@lru_cache(maxsize=8)
def fast_validator(schema_path: str | None):
    """A quick "is it valid?" for simple schemas (None when the schema uses anything else)."""
    try:
        # The default schema needs no jsonschema (an import of ~0.1 s) until a
        # front matter fails the fast check.
        schema = default_schema() if schema_path is None else load_validator(schema_path).schema
        if not isinstance(schema, dict):
            return None
        return _compile_fast(schema, schema)
    except _NotCompilable:
        return None


# -- errors worded without jsonschema -------------------------------------------
# A front matter the fast path doubts (17 of the corpus's 5,003 posts) would
# load jsonschema in every worker that meets one. For the same simple schemas,
# these explainers list the errors jsonschema would report, as records with the
# fields describe() and check() read. They answer None, and jsonschema words
# the errors, whenever the wording would depend on jsonschema's own message
# text (minLength, maxLength, an anyOf over a string, list or null) or two
# errors share a path (the order would then follow those messages), except
# missing keys, whose message is known. tests/test_fast_paths.py compares the
# findings of both ways on generated front matter.
class _Unsure(Exception):
    pass


class _SchemaError:
    """The part of a jsonschema ValidationError that describe() and check() read."""

    __slots__ = ("absolute_path", "validator", "validator_value", "instance", "message", "absolute_schema_path")

    def __init__(self, path: tuple, validator: str, value: Any, instance: Any, message: str = "") -> None:
        self.absolute_path = path
        self.validator = validator
        self.validator_value = value
        self.instance = instance
        self.message = message
        self.absolute_schema_path = (validator,)


# Keywords that judge the value itself (the others walk into it).
_LEAF_KEYWORDS = frozenset(("type", "pattern", "format", "anyOf", "minLength", "maxLength"))


def _leaf_errors(key: str, value: Any, pred: Any):
    """The errors of one leaf keyword (``pred``: _compile_fast's check for it):
    _Unsure where describe() would show jsonschema's own message (minLength
    and maxLength, "should be non-empty" or "is too short" by version; an
    anyOf over a string, a list or null)."""
    def errors(v, path, out):
        if not pred(v):
            if key in ("minLength", "maxLength") or (key == "anyOf" and not isinstance(v, (int, float, bool, dict))):
                raise _Unsure
            out.append(_SchemaError(path, key, value, v))
    return errors


def _compile_explain(node: Any, root: dict[str, Any], depth: int = 0):
    """For a node _compile_fast compiled: ``explain(value, path, out)`` appends
    the errors of ``value`` at ``path`` (a tuple) to ``out``, or raises _Unsure."""
    if node is True or node == {}:
        return lambda v, path, out: None
    parts = []
    for key, value in node.items():
        if key in _ANNOTATIONS:
            continue
        if key in _LEAF_KEYWORDS:
            parts.append(_leaf_errors(key, value, _compile_fast({key: value}, root)))
        elif key == "$ref":
            parts.append(_compile_explain(root["$defs"][value[len("#/$defs/"):]], root, depth + 1))
        elif key == "items":
            sub = _compile_explain(value, root, depth + 1)

            def items_errors(v, path, out, sub=sub):
                if isinstance(v, list):
                    for i, x in enumerate(v):
                        sub(x, path + (i,), out)
            parts.append(items_errors)
        elif key == "required":
            def required_errors(v, path, out, keys=tuple(value)):
                if isinstance(v, dict):
                    for k in keys:
                        if k not in v:
                            out.append(_SchemaError(path, "required", list(keys), v, _required_message(k)))
            parts.append(required_errors)
        elif key == "properties":
            props = [(k, _compile_explain(sub, root, depth + 1)) for k, sub in value.items()]

            def properties_errors(v, path, out, props=props):
                if isinstance(v, dict):
                    for k, sub in props:
                        if k in v:
                            sub(v[k], path + (k,), out)
            parts.append(properties_errors)
        else:  # pragma: no cover - _compile_fast refused the schema already
            raise _NotCompilable

    def explain(v, path, out):
        for part in parts:
            part(v, path, out)
    return explain


@lru_cache(maxsize=8)
def fast_explainer(schema_path: str | None):
    """For a schema :func:`fast_validator` compiles: a function giving the
    errors of a front matter sorted as check() sorts jsonschema's, or None
    when jsonschema must word them."""
    schema = default_schema() if schema_path is None else load_validator(schema_path).schema
    explain = _compile_explain(schema, schema)

    def errors(data: Any) -> list[_SchemaError] | None:
        out: list[_SchemaError] = []
        try:
            explain(data, (), out)
        except _Unsure:
            return None
        if not out:  # pragma: no cover - the fast check doubted something: let jsonschema look
            return None
        out.sort(key=_error_order)
        for a, b in zip(out, out[1:]):
            if a.absolute_path == b.absolute_path and not (a.validator == b.validator == "required"):
                return None  # their order would follow jsonschema's messages
        return out
    return errors
