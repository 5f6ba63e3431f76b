"""The tests' own minimal site reading: a generator's config and the files it reads.

This stands in for newslint's site detection and content enumeration in the
URL map tests only; it knows just enough of Jekyll's ``exclude``/``include``
and Hugo's ``contentDir``/``staticDir`` for the sites the tests build.
"""

from __future__ import annotations

import fnmatch
import os
import sys
from pathlib import Path
from typing import Any

import yaml

from newslint.site import Site

if sys.version_info >= (3, 11):
    import tomllib
else:  # pragma: no cover
    import tomli as tomllib

JEKYLL_DEFAULT_EXCLUDES = [".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock", "node_modules",
                           "vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/"]


def jekyll_site(root: Path, extra: dict[str, Any] | None = None) -> Site:
    config = yaml.safe_load((root / "_config.yml").read_text(encoding="utf-8")) or {}
    config.update(extra or {})
    return Site("jekyll", str(root), str(root / "_config.yml"), config)


def _jekyll_excluded(rel: str, patterns: list[str]) -> bool:
    for pattern in patterns:
        p = pattern.strip("/") if pattern.endswith("/") else pattern.lstrip("/")
        if fnmatch.fnmatchcase(rel, p) or rel.startswith(p) or fnmatch.fnmatchcase(rel, pattern):
            return True
    return False


def jekyll_files(site: Site) -> list[str]:
    """Every file Jekyll reads (pages, posts, documents and static files), relative to the root."""
    root = Path(site.root)
    config = site.config
    exclude = [str(e) for e in (config.get("exclude") or [])] + JEKYLL_DEFAULT_EXCLUDES
    include = [str(i) for i in (config.get("include") or [".htaccess"])]
    out: list[str] = []
    dest = (root / "_site").resolve()

    def keep(rel: str, name: str) -> bool:
        if name.endswith(".") or name.endswith("~"):
            return False
        included = any(fnmatch.fnmatchcase(rel, i) or fnmatch.fnmatchcase(name, i) or rel.startswith(i) for i in include)
        if _jekyll_excluded(rel, [e for e in exclude if e not in include]) and not included:
            return False
        return included or not name.startswith((".", "_", "#", "~"))

    def walk_all(folder: Path, rel: str) -> None:  # inside _posts and collections: everything not special
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            sub = f"{rel}/{entry.name}"
            if entry.name.startswith((".", "_", "#", "~")) or entry.name.endswith("~"):
                continue
            if entry.is_dir():
                walk_all(Path(entry.path), sub)
            elif entry.is_file():
                out.append(sub)

    def walk(folder: Path, rel: str) -> None:
        if (folder / "_posts").is_dir():
            walk_all(folder / "_posts", f"{rel}/_posts".lstrip("/"))
        for entry in sorted(os.scandir(folder), key=lambda e: e.name):
            sub = f"{rel}/{entry.name}".lstrip("/")
            if not keep(sub, entry.name):
                continue
            if entry.is_dir():
                if Path(entry.path).resolve() != dest:
                    walk(Path(entry.path), sub)
            elif entry.is_file():
                out.append(sub)

    walk(root, "")
    collections = config.get("collections") or {}
    for label in collections:
        if label != "posts" and (root / f"_{label}").is_dir():
            walk_all(root / f"_{label}", f"_{label}")
    return out


def _deep_update(a: dict[str, Any], b: dict[str, Any]) -> None:
    for k, v in b.items():
        if isinstance(v, dict) and isinstance(a.get(k), dict):
            _deep_update(a[k], v)
        else:
            a[k] = v


def hugo_site(root: Path) -> Site:
    """Hugo's config: ``hugo.toml``/``config.toml``, or the ``config/_default/`` folder."""
    for name in ("hugo.toml", "config.toml"):
        if (root / name).is_file():
            return Site("hugo", str(root), str(root / name), tomllib.loads((root / name).read_text(encoding="utf-8")))
    folder = root / "config" / "_default"
    config: dict[str, Any] = {}
    for f in sorted(folder.glob("*.toml")):
        data = tomllib.loads(f.read_text(encoding="utf-8"))
        stem = f.stem
        if stem in ("hugo", "config"):
            _deep_update(config, data)
        elif "." in stem:  # languages.ko.toml
            key, lang = stem.split(".", 1)
            _deep_update(config.setdefault(key, {}).setdefault(lang, {}), data)
        else:
            _deep_update(config.setdefault(stem, {}), data)
    return Site("hugo", str(root), str(folder), config)


def hugo_files(site: Site) -> list[str]:
    """The content and static files Hugo reads, relative to the root."""
    root = Path(site.root)
    config = site.config
    dirs = {str(config.get("contentDir") or "content"), str(config.get("staticDir") or "static")}
    for lang in (config.get("languages") or {}).values():
        if isinstance(lang, dict) and lang.get("contentDir"):
            dirs.add(str(lang["contentDir"]))
    theme = config.get("theme")
    for t in ([theme] if isinstance(theme, str) else theme or []):
        dirs.add(f"themes/{t}/static")
    out: list[str] = []
    for d in sorted(dirs):
        base = root / d
        if not base.is_dir():
            continue
        for folder, subdirs, files in os.walk(base):
            subdirs.sort()
            for name in sorted(files):
                out.append((Path(folder) / name).relative_to(root).as_posix())
    return out
