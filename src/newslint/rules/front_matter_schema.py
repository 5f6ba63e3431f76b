from __future__ import annotations

from typing import Any

from ..model import Finding
from ..ruleapi import RUN_STATE, Rule
from ..schema import SchemaLoader


class FrontMatterSchema(Rule):
    """Front matter that does not match the site's JSON Schema.

    ## What it does
    Generators: all; the `post-date` message names the site's generator
    (Jekyll and Hugo outside a known site).

    Validates the front matter against a JSON Schema (draft 2020-12, with
    `format` checking on). The default schema ships with newslint: `title` is
    required, and the common keys (`date`, `categories`, `tags`, `excerpt`,
    `image`, `published`, ...) must have sane types. A site names its own
    schema with `front-matter-schema` in its config.

    A site schema can build on the default one instead of copying it: a
    `"$ref": "newslint:post"` names it (`"newslint:post#/$defs/stringOrList"`
    names a part of it). Other `$ref`s may only name files in the schema's own
    folder: no URLs, `file://`, absolute paths or `..` out of the folder.
    A site schema that also asks for an `author`, and checks a `source` link:

    ```json
    {
      "$ref": "newslint:post",
      "required": ["author"],
      "properties": {"author": {"type": "string"}, "source": {"type": "string", "format": "uri"}}
    }
    ```

    Dates are checked as the text the author wrote, on a real calendar.
    newslint checks the formats `date` and `date-time` (RFC 3339), `email`,
    `uri`, `uri-reference`, `iri` and `iri-reference` itself, with nothing
    extra to install, and adds `post-date`: the dates Jekyll and Hugo read
    (`2024-01-02`, `2024-01-02 10:00:00 +0900`, `2024-01-02T10:00:00Z`). The
    default schema uses it for `date`, `lastmod` and `last_modified_at`. A
    format newslint cannot check stops the run (exit 2) instead of passing
    silently.

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
    def run_state(cls) -> SchemaLoader:
        """The run's schema loader: keyed by the schema files' bytes, so an
        edited schema is never served stale."""
        return SchemaLoader()

    @classmethod
    def prepare(cls, options):
        """Load the schema before the first post (the engine calls this as a
        pool worker starts). jsonschema only when the schema needs it: the
        default schema's valid front matter never does."""
        loader = options.get(RUN_STATE)
        if loader is not None:
            schema = loader.load(options.get("schema_path"))
            if schema.fast is None:
                schema.validator()

    def check(self, doc, options):
        out: list[Finding] = []
        fm = doc.front_matter
        if fm is None or not fm.ok:
            return out
        try:
            loader = options.get(RUN_STATE) or SchemaLoader()  # a check() called outside a run
            errors = loader.load(options.get("schema_path")).errors(fm.data)
        except Exception as exc:  # a schema the config check could not vet (set in code, not config)
            start, end = fm.fence_span()
            out.append(Finding(start, end, f"the front matter schema cannot be used: {exc}"))
            return out
        if not errors:
            return out
        said = set()  # a key the site schema and the built-in one both require: once
        for err in errors:
            path = list(err.absolute_path)
            message = describe(err, doc.site.generator_name or "Jekyll and Hugo")
            if (tuple(path), message) in said:
                continue
            said.add((tuple(path), message))
            if err.validator == "required":
                start, end = fm.path_span(path) if path else fm.fence_span()
            else:
                start, end = fm.path_span(path)
            if doc.line_of(end) > doc.line_of(start):
                end = doc.line_end(start)
            out.append(Finding(start, end, message))
        return out


def describe(err: Any, reader: str = "Jekyll and Hugo") -> str:
    """The message for one schema error; ``reader`` names who reads the post's dates."""
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
        return (f"`{where}`: {err.instance!r} is not a real date in a form {reader} "
                f"{'read' if ' and ' in reader else 'reads'} "
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
