"""Reading a generator's config file (YAML, TOML or JSON) without ever failing.

A config newslint cannot read is not newslint's error to stop on: the site is
still detected, with an empty config and a note saying why (``newslint site``
prints the notes).
"""

from __future__ import annotations

import json
import os
import sys
from typing import Any

# The config files that mark a site's root (found by name, before any is read).
JEKYLL_CONFIG_FILES = ("_config.yml", "_config.yaml", "_config.toml")
HUGO_ROOT_FILES = ("hugo.toml", "hugo.yaml", "hugo.yml", "hugo.json")
HUGO_LEGACY_FILES = ("config.toml", "config.yaml", "config.yml", "config.json")


def read_config(path: str, memo_dir: str | None = None) -> tuple[dict[str, Any], str | None]:
    """(the parsed mapping, None) or ({}, why it could not be read).

    ``memo_dir`` (a run's cache folder): what the file gave last time, when its
    size and time are the same and JSON holds the mapping exactly, so that a
    warm run needs no YAML parser at all."""
    if memo_dir is None:
        return _read_config(path)
    from .._hashing import blake2b
    from ..cachefiles import load_json, save_json

    try:
        st = os.stat(path)
    except OSError:
        return _read_config(path)
    key = blake2b(f"{os.path.abspath(path)}\0{st.st_size}\0{st.st_mtime_ns}".encode("utf-8", "surrogateescape"),
                  digest_size=12).hexdigest()
    kept = load_json(memo_dir, "siteconfig", key)
    if isinstance(kept, list) and len(kept) == 2 and isinstance(kept[0], dict):
        return kept[0], kept[1]
    got = _read_config(path)
    if json_exact(got[0]):
        save_json(memo_dir, "siteconfig", key, list(got), keep=16)
    return got


def json_exact(value: Any) -> bool:
    """True when JSON gives ``value`` back as it is (a date or a set it would not)."""
    cls = value.__class__
    if value is None or cls in (str, int, float, bool):
        return True
    if cls is list:
        return all(json_exact(v) for v in value)
    if cls is dict:
        return all(k.__class__ is str and json_exact(v) for k, v in value.items())
    return False


def _read_config(path: str) -> tuple[dict[str, Any], str | None]:
    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError as exc:
        return {}, f"cannot read {os.path.basename(path)}: {exc.strerror or exc}"
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        return {}, f"{os.path.basename(path)} is not UTF-8"
    ext = os.path.splitext(path)[1].lower()
    # Here, not at the top: a folder with no site never needs a parser.
    import yaml

    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib

    try:
        if ext == ".toml":
            data: Any = tomllib.loads(text)
        elif ext == ".json":
            data = json.loads(text)
        else:
            data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # noqa: S506 - a safe loader
    except (yaml.YAMLError, tomllib.TOMLDecodeError, ValueError) as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else type(exc).__name__
        return {}, f"{os.path.basename(path)} does not parse: {first}"
    except RecursionError:
        return {}, f"{os.path.basename(path)} nests too deeply to read"
    if data is None:
        return {}, None
    if not isinstance(data, dict):
        return {}, f"{os.path.basename(path)} is not a mapping of settings"
    return {str(k): v for k, v in data.items()}, None


def deep_merge(base: dict[str, Any], extra: dict[str, Any]) -> dict[str, Any]:
    """``extra`` over ``base``, tables merged key by key (as Hugo and Jekyll merge config files)."""
    out = dict(base)
    for key, value in extra.items():
        if isinstance(value, dict) and isinstance(out.get(key), dict):
            out[key] = deep_merge(out[key], value)
        else:
            out[key] = value
    return out


def str_list(value: Any) -> list[str]:
    """A config value that should be a list of strings (a lone string is one item)."""
    if isinstance(value, str):
        return [value]
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if isinstance(v, (str, int, float))]
    return []
