"""The cache key: everything that decides a file's findings except its content.

newslint itself (its version, the size and time of each of its modules, the
content of the policy data), the installed plugins, and the configuration (its
settings, and the content of the schema and packs it names).
"""

from __future__ import annotations

import dataclasses
import json
import os
from pathlib import Path
from typing import Any

from . import __version__
from ._hashing import blake2b
from .model import Violation

FORMAT = 5  # 3: a finding's path is left out (null) when it is the file's; 4: fix_edits too; 5: site facts
_VIOLATION_FIELDS = tuple(f.name for f in dataclasses.fields(Violation))


def _package_signature() -> list[Any]:
    """Version plus size/mtime of every module of the package, and the content
    of the policy data (schema, lists, packs, in sub-folders too): ~60 stats and
    a few small reads, no import."""
    here = os.path.dirname(os.path.abspath(__file__))
    sig: list[Any] = [__version__, FORMAT, list(_VIOLATION_FIELDS)]
    _tree_signature(here, "", sig, hash_content=False)
    try:  # the policy data (schema, packs) ships as its own package
        from . import policy_data

        folders = policy_data.folders()
        if folders:
            for folder in folders:
                _tree_signature(folder, "policy/", sig, hash_content=True)
        else:  # pragma: no cover - a zipped install: read it through importlib.resources
            from importlib import resources

            def add(node: Any, prefix: str) -> None:
                for entry in sorted(node.iterdir(), key=lambda e: e.name):
                    if entry.is_file():
                        sig.append((prefix + entry.name, blake2b(entry.read_bytes(), digest_size=16).hexdigest()))
                    elif entry.is_dir() and entry.name != "__pycache__":
                        add(entry, prefix + entry.name + "/")

            add(resources.files("newslint.policy"), "policy/")
    except Exception:  # pragma: no cover - no policy package: nothing to add
        pass
    return sig


_SIGNED = (".py", ".json", ".yaml", ".yml", ".txt")


def _tree_signature(folder: str, prefix: str, sig: list[Any], *, hash_content: bool) -> None:
    try:
        with os.scandir(folder) as it:
            entries = sorted(it, key=lambda e: e.name)
    except OSError:
        return
    subdirs = []
    for entry in entries:
        try:
            if entry.is_dir():
                if entry.name != "__pycache__":
                    subdirs.append(entry)
                continue
            if not entry.name.endswith(_SIGNED) and not hash_content:
                continue
            if hash_content:
                with open(entry.path, "rb") as fh:
                    sig.append((prefix + entry.name, blake2b(fh.read(), digest_size=16).hexdigest()))
            else:
                st = entry.stat()
                sig.append((prefix + entry.name, st.st_size, st.st_mtime_ns))
        except OSError:
            continue
    for entry in subdirs:
        _tree_signature(entry.path, prefix + entry.name + "/", sig, hash_content=hash_content)


def plugins_signature(directory: str | os.PathLike[str] | None = None) -> list[Any]:
    """The installed plugins' distribution names, versions and entry points.

    Asking importlib.metadata scans every installed distribution, so the answer is kept in
    ``directory`` (the cache folder) with the modification times of the folders
    on ``sys.path``: installing, upgrading or removing any distribution changes
    its folder's time, and only then is the question asked again.
    """
    import sys

    key = []
    for entry in sys.path:
        try:
            key.append([entry, os.stat(entry or ".").st_mtime_ns])
        except OSError:
            continue
    memo = Path(directory) / "plugins.json" if directory is not None else None
    if memo is not None:
        try:
            saved = json.loads(memo.read_text("utf-8"))
            if saved.get("key") == key:
                return saved["plugins"]
        except (OSError, ValueError, KeyError, AttributeError):
            pass
    from .registry import plugin_signature

    plugins = [list(p) for p in plugin_signature()]
    if memo is not None:
        try:
            memo.parent.mkdir(parents=True, exist_ok=True)
            _mark_cache_dir(memo.parent)
            tmp = memo.with_name(f"plugins.{os.getpid()}.tmp")
            tmp.write_text(json.dumps({"key": key, "plugins": plugins}), "utf-8")
            os.replace(tmp, memo)
        except OSError:
            pass
    return plugins


def config_fingerprint(config: Any, directory: str | os.PathLike[str] | None = None) -> str:
    """A short hex digest of everything that decides a file's findings except
    its content: newslint itself, its plugins and the configuration."""
    known = getattr(config, "known_plugins", None)
    parts: list[Any] = [_package_signature(), known if known is not None else plugins_signature(directory)]
    parts.append(settings_fingerprint(config))
    blob = json.dumps(parts, sort_keys=True, default=repr, ensure_ascii=False)
    return blake2b(blob.encode("utf-8"), digest_size=12).hexdigest()


def settings_fingerprint(config: Any) -> str:
    """A stable hash of the effective configuration, including the content
    of the site's schema (and the local files it refers to) and packs."""
    files: dict[str, str] = {}

    def add(path: str | Path | None) -> None:
        if path is None:
            return
        try:
            files[str(path)] = blake2b(Path(path).read_bytes(), digest_size=32).hexdigest()
        except OSError:
            files[str(path)] = "unreadable"

    add(config.front_matter_schema)
    schema_opt = config.rule_options.get("front-matter-schema", {}).get("schema_path")
    add(schema_opt)
    for schema in (config.front_matter_schema, schema_opt):
        if schema is not None:
            from .schema import schema_files

            for p in schema_files(str(schema)):
                add(p)
    for p in config.packs:
        add(p)
    # The settings as given, not the rule set they resolve to: the rules
    # (their names, codes, default severities and options) are code of the
    # installed package, which the cache key covers separately
    # (cache._package_signature), so resolving them here would only cost a
    # warm run the import of every rule module. The same settings always
    # resolve to the same rules; two spellings of one setting (a code and
    # a name) merely get two caches.
    state = {
        "select": None if config.select is None else list(config.select),
        "ignore": list(config.ignore),
        "extend_select": list(config.extend_select),
        "severity": dict(config.severity),
        "rule_options": config.rule_options,
        "schema": None if config.front_matter_schema is None else str(config.front_matter_schema),
        "packs": list(config.packs),
        "per_file_ignores": {k: sorted(v) for k, v in sorted(config.per_file_ignores.items())},
        "include": list(config.include),
        "exclude": list(config.exclude),
        "root": str(config.root),
        "generator": config.generator,
        "files": files,
    }
    blob = json.dumps(state, sort_keys=True, default=repr, ensure_ascii=False)
    return blake2b(blob.encode("utf-8"), digest_size=32).hexdigest()


def _mark_cache_dir(directory: Path) -> None:
    gitignore = directory / ".gitignore"
    if not gitignore.exists():
        gitignore.write_text("# Created by newslint automatically.\n*\n", encoding="utf-8")
    tag = directory / "CACHEDIR.TAG"
    if not tag.exists():
        tag.write_text(
            "Signature: 8a477f597d28d172789f06886806bc55\n"
            "# This file is a cache directory tag created by newslint.\n",
            encoding="utf-8",
        )
