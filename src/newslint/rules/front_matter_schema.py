from __future__ import annotations

import json
from functools import lru_cache
from importlib import resources
from typing import Any

from ..model import Finding
from .base import Rule


class FrontMatterSchema(Rule):
    """Front matter that does not match the site's JSON Schema.

    ## What it does
    Validates the front matter against a JSON Schema (draft 2020-12, with
    `format` checking on). The default schema ships with newslint: `title` is
    required, and the common keys (`date`, `categories`, `tags`, `excerpt`,
    `image`, `published`, ...) must have sane types. A site names its own
    schema with `front-matter-schema` in its config.

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

    def check(self, doc, options):
        fm = doc.front_matter
        if fm is None or not fm.ok:
            return
        validator = load_validator(options.get("schema_path"))
        errors = sorted(validator.iter_errors(fm.data), key=lambda e: (list(map(str, e.absolute_path)), e.message))
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
        key = missing[0] if missing else err.message
        prefix = f"`{where}`: " if where else ""
        return f"{prefix}required key `{key}` is missing"
    if err.validator == "type":
        want = err.validator_value if isinstance(err.validator_value, str) else " or ".join(err.validator_value)
        return f"`{where}` must be {want}, not {_json_type(err.instance)}"
    if err.validator == "format":
        return f"`{where}`: {err.instance!r} is not a valid {err.validator_value}"
    if err.validator == "pattern":
        return f"`{where}`: {err.instance!r} does not match the expected form"
    if err.validator == "anyOf" and err.absolute_schema_path and isinstance(err.instance, (int, float, bool, dict)):
        return f"`{where}` has the wrong type ({_json_type(err.instance)})"
    return f"`{where}`: {err.message}" if where else err.message


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
    text = resources.files("newslint.policy").joinpath("front-matter.schema.json").read_text("utf-8")
    return json.loads(text)


@lru_cache(maxsize=8)
def load_validator(schema_path: str | None):
    from jsonschema import Draft202012Validator, FormatChecker

    schema = default_schema() if schema_path is None else json.loads(open(schema_path, encoding="utf-8").read())
    cls = Draft202012Validator
    return cls(schema, format_checker=FormatChecker())
