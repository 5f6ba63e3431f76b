"""Front matter JSON Schemas: reading, vetting and validating them.

A site names its schema file in its config; the schema may extend the built-in
one (``rules/front-matter.schema.json``) with ``{"$ref": "newslint:post"}``
(``BUILTIN``), and may ``$ref`` other files in its own folder, nothing else: no
URLs, no ``file://``, no absolute paths, no ``..`` out of the folder. Every
``format`` it uses must be one newslint checks (formats.py plus jsonschema's
stdlib-only ones).

:func:`load_schema` reads a schema and returns a :class:`Schema` the caller
owns. :class:`SchemaLoader` keeps loaded schemas keyed by the bytes of the
schema file and of every file it refers to, so it never hands out an old
schema after a file changed (a long-lived process such as an editor server
sees the edit on its next post). jsonschema is imported only when a schema
needs it: the built-in schema's valid front matter is answered by
schema_fast.py.
"""

from __future__ import annotations

import json
import os
import re
import time
from pathlib import Path
from typing import Any

from . import policy_data
from .formats import CHECKERS, format_checker
from .schema_explain import compile_explainer
from .schema_fast import compile_fast

BUILTIN = "newslint:post"
_BUILTIN_FILE = "front-matter.schema.json"
PATTERN_TIMEOUT = 0.25
_SCHEME = re.compile(r"^[A-Za-z][A-Za-z0-9+.-]*:")


class SchemaLoadError(Exception):
    """A schema that cannot be used (the config loader makes it exit 2)."""


def builtin_schema() -> dict[str, Any]:
    """The built-in post schema (a new copy each call)."""
    return json.loads(policy_data.read_text(_BUILTIN_FILE))


def _error_order(err: Any) -> tuple[list[str], str]:
    return list(map(str, err.absolute_path)), err.message


class Schema:
    """A loaded, vetted schema: ``errors(data)`` lists what is wrong with a
    front matter, in a stable order (an empty list when it is valid)."""

    def __init__(self, contents: Any, folder: Path | None, files: dict[str, Any], builtin: dict[str, Any]) -> None:
        self.contents = contents
        self.folder = folder
        self._files = files  # the $ref'd local files: path relative to the folder -> contents
        self._builtin = builtin
        self._validator: Any = None
        self.fast = compile_fast(contents, builtin, BUILTIN, PATTERN_TIMEOUT)
        self.explain = compile_explainer(contents, builtin, BUILTIN, PATTERN_TIMEOUT) if self.fast is not None else None

    def errors(self, data: Any) -> list[Any]:
        if self.fast is not None and self.fast(data):
            return []  # valid: the common case, without jsonschema's machinery
        if self.explain is not None:
            found = self.explain(data)
            if found is not None:  # the usual failures, worded as jsonschema words them
                return sorted(found, key=_error_order)
        return sorted(self.validator().iter_errors(data), key=_error_order)

    def validator(self) -> Any:
        """The jsonschema validator (made on first use)."""
        if self._validator is None:
            self._validator = _make_validator(self)
        return self._validator


def _make_validator(schema: Schema) -> Any:
    from jsonschema import Draft202012Validator, validators
    from referencing import Registry, Resource
    from referencing.exceptions import NoSuchResource
    from referencing.jsonschema import DRAFT202012

    folder, files = schema.folder, schema._files

    def retrieve(uri: str):
        # Only what load_schema read and vetted: never the network or another file.
        base = uri.split("#", 1)[0]
        if folder is not None and base and not _SCHEME.match(base):
            try:
                key = _relative(folder, base)
            except ValueError:  # outside the folder
                key = None
            if key in files:
                return Resource.from_contents(files[key], default_specification=DRAFT202012)
        raise NoSuchResource(ref=uri)

    registry = Registry(retrieve=retrieve).with_resource(
        BUILTIN, Resource.from_contents(schema._builtin, default_specification=DRAFT202012))
    cls = validators.extend(Draft202012Validator, {"pattern": _safe_pattern})
    return cls(schema.contents, format_checker=format_checker(), registry=registry)


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


# -- reading and vetting -----------------------------------------------------------
def _relative(folder: Path, ref: str) -> str:
    return (folder / ref).resolve().relative_to(folder.resolve()).as_posix()


def _local_file(ref: str, folder: Path, root: Path) -> Path:
    """The file a ``$ref`` (without fragment) names, read from ``folder``
    (the referring file's); only files inside ``root`` (the schema's folder)."""
    if _SCHEME.match(ref) or ref.startswith(("/", "\\")) or Path(ref).is_absolute():
        raise SchemaLoadError(f"`$ref` {ref!r} is not allowed: a schema may refer only to files "
                              f"in its own folder and to the built-in schema `{BUILTIN}` "
                              "(no URLs, file:// or absolute paths)")
    target = (folder / ref).resolve()
    top = root.resolve()
    if target != top and top not in target.parents:
        raise SchemaLoadError(f"`$ref` {ref!r} leaves the schema's folder")
    if not target.is_file():
        raise SchemaLoadError(f"`$ref` {ref!r}: file not found")
    return target


def _read(path: Path) -> bytes:
    try:
        return path.read_bytes()
    except OSError as exc:
        raise SchemaLoadError(f"cannot read {path}: {exc.strerror or exc}") from None


def _parse(path: Path, data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8"))
    except UnicodeDecodeError as exc:
        raise SchemaLoadError(f"cannot read {path}: {exc}") from None
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


def _vet(where: Any, node: Any) -> None:
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import SchemaError

    try:
        Draft202012Validator.check_schema(node)
    except SchemaError as exc:
        at = "/".join(str(p) for p in exc.absolute_path) or "(root)"
        raise SchemaLoadError(f"{where}: not a valid JSON Schema at {at}: {exc.message}") from None


def _known_formats() -> set[str]:
    return set(format_checker().checkers)


def _read_all(schema_path: str) -> tuple[Path, dict[Path, bytes]]:
    """The schema file and every local file it refers to, transitively, as bytes."""
    path = Path(schema_path)
    found = {path.resolve(): _read(path)}
    todo = [path.resolve()]
    while todo:
        where = todo.pop()
        node = _parse(where, found[where])
        for ref in _walk(node, "$ref"):
            base = ref.split("#", 1)[0]
            if not base or base == BUILTIN:
                continue
            if base.startswith("newslint:"):
                raise SchemaLoadError(f"`$ref` {ref!r}: no built-in schema is called that "
                                      f"(the built-in post schema is `{BUILTIN}`)")
            target = _local_file(base, where.parent, path.parent)
            if target not in found:
                found[target] = _read(target)
                todo.append(target)
    return path, found


def schema_files(schema_path: str) -> list[Path]:
    """The schema file and the local files it refers to, transitively (what
    a cache key must cover); just the schema file when it cannot be read."""
    try:
        return sorted(_read_all(schema_path)[1])
    except SchemaLoadError:
        return [Path(schema_path)]


def load_schema(schema_path: str | None) -> Schema:
    """Read and vet a schema (the built-in one for None): valid JSON, a valid
    draft 2020-12 schema, every ``$ref`` local and present or the built-in
    name, every ``format`` checkable here. Raises SchemaLoadError."""
    if schema_path is None:
        contents = builtin_schema()
        return Schema(contents, None, {}, contents)
    path, raw = _read_all(schema_path)
    return _build(path, raw)


def _build(path: Path, raw: dict[Path, bytes]) -> Schema:
    root = path.resolve()
    folder = root.parent
    files: dict[str, Any] = {}
    contents: Any = None
    formats: set[str] = set()
    for where, data in raw.items():
        node = _parse(path if where == root else where, data)
        if where == root:
            if not isinstance(node, (dict, bool)):
                raise SchemaLoadError(f"{path}: a JSON Schema is an object")
            contents = node
            _vet(path, node)
        else:
            _vet(where, node)
            files[where.relative_to(folder).as_posix()] = node
        formats.update(_walk(node, "format"))
    unknown = sorted(formats - _known_formats())
    if unknown:
        raise SchemaLoadError(f"the schema uses formats newslint cannot check here: {', '.join(unknown)} "
                              f"(drop them; newslint checks {', '.join(sorted(CHECKERS))} and jsonschema's "
                              "standard-library ones)")
    return Schema(contents if isinstance(contents, dict) else {}, folder, files, builtin_schema())


def _signature(path: Path | str) -> tuple[int, int, int, int] | None:
    try:
        st = os.stat(path)
    except OSError:
        return None
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


def _signatures(raw: dict[Path, bytes]) -> dict[Path, tuple[int, int, int, int] | None] | None:
    """Each file's stat signature, taken after its bytes were read and kept
    only if the file still holds those bytes (else None: read again)."""
    sigs = {path: _signature(path) for path in raw}
    for path, data in raw.items():
        try:
            if path.read_bytes() != data:
                return None
        except OSError:
            return None
    return sigs


# Seconds a built-in schema file found unchanged is trusted without a stat.
_BUILTIN_RECHECK = 1.0


class SchemaLoader:
    """Loads schemas and keeps them while their files stay the same.

    Each schema is kept with the stat signature (size, modification and
    change times, inode) of its file and of each file it refers to, checked
    on every :meth:`load` (the built-in schema's file, part of the installed
    package, at most once a second): any write to a file changes its change
    time, so an edit, even one that keeps the size and the modification time,
    gives the new schema, without reading the files for every post. Whoever lints owns
    the loader (a run holds one); it holds no more than ``size`` schemas.
    """

    def __init__(self, size: int = 8) -> None:
        self.size = size
        self._entries: dict[str | None, tuple[dict[Path, bytes], Schema]] = {}
        self._builtin_file: Path | None | bool = False  # not looked for yet
        # The built-in schema's file as a str and its signature when kept (a
        # Path would be converted at each check).
        self._builtin_check: tuple[str, Any] | None = None
        # When the built-in file's signature was last found unchanged. It is
        # part of the installed package: looked at again after a second, not
        # for every post (a site schema is looked at for every post).
        self._builtin_seen = -1.0

    def load(self, schema_path: str | None) -> Schema:
        if schema_path is None:
            return self._load_builtin()
        entry = self._entries.get(schema_path)
        if entry is not None:
            sigs, schema = entry
            if all(_signature(p) == sig for p, sig in sigs.items()):
                return schema
        path, raw = _read_all(schema_path)
        schema = _build(path, raw)
        self._keep(schema_path, raw, schema)
        return schema

    def _load_builtin(self) -> Schema:
        entry = self._entries.get(None)
        if (entry is not None and self._builtin_check is not None
                and time.monotonic() - self._builtin_seen < _BUILTIN_RECHECK):
            return entry[1]  # looked at less than a second ago: what nearly every post gets
        if self._builtin_file is False:
            found = [Path(d) / _BUILTIN_FILE for d in policy_data.folders()]
            self._builtin_file = next((p for p in found if p.is_file()), None)
        path = self._builtin_file
        if entry is not None:
            if path is None:
                return entry[1]  # a zipped install cannot change under a running process
            check = self._builtin_check
            if check is not None and _signature(check[0]) == check[1]:
                self._builtin_seen = time.monotonic()
                return entry[1]
        if isinstance(path, Path):
            data = path.read_bytes()
            contents = json.loads(data)
            raw = {path: data}
        else:  # pragma: no cover - a zipped install
            contents, raw = builtin_schema(), {}
        schema = Schema(contents, None, {}, contents)
        self._keep(None, raw, schema)
        kept = self._entries.get(None)
        self._builtin_check = (str(path), kept[0][path]) if kept is not None and isinstance(path, Path) else None
        self._builtin_seen = time.monotonic()
        return schema

    def _keep(self, key: str | None, raw: dict[Path, bytes], schema: Schema) -> None:
        self._entries.pop(key, None)
        sigs = _signatures(raw)
        if sigs is None:  # a file changed while it was read: keep nothing, read it again next time
            return
        while len(self._entries) >= self.size:
            self._entries.pop(next(iter(self._entries)))
        self._entries[key] = (sigs, schema)
