"""A Hugo site as Hugo reads it: its config, its Markdown, its content folders.

* The config is ``hugo.toml|yaml|json`` (or the older ``config.*``, when it
  holds Hugo's own keys) at the root, merged with ``config/_default/``: a
  file there named ``KEY.toml`` (or ``KEY.LANG.toml``) is the table ``KEY``
  (``KEY.LANG``).
* Content is in ``contentDir`` (default ``content``) and in each language's
  own ``contentDir``. Templates, themes, output and assets are not content.
* Markdown is goldmark (CommonMark with GFM). Unless
  ``markup.goldmark.renderer.unsafe`` is true, goldmark drops raw HTML from
  the page (Hugo's default since 0.60).
"""

from __future__ import annotations

import os
from typing import Any

from .configfiles import HUGO_LEGACY_FILES, HUGO_ROOT_FILES, deep_merge, read_config

ROOT_FILES = HUGO_ROOT_FILES
LEGACY_FILES = HUGO_LEGACY_FILES
# Keys only a Hugo config has: a `config.toml` with none of them is some other tool's.
HUGO_KEYS = frozenset(k.lower() for k in (
    "baseURL", "languageCode", "theme", "contentDir", "publishDir", "markup", "taxonomies", "permalinks",
    "defaultContentLanguage", "defaultContentLanguageInSubdir", "enableRobotsTXT", "disableKinds",
    "pygmentsCodeFences", "pygmentsStyle", "buildFuture", "buildDrafts", "paginate", "module", "outputs",
    "enableGitInfo", "summaryLength", "uglyURLs", "canonifyURLs", "relativeURLs", "googleAnalytics",
    "disqusShortname", "enableEmoji", "hasCJKLanguage", "menu", "menus", "languages", "params"))
NEVER = frozenset({"layouts", "themes", "public", "resources", "archetypes", "assets", "static", "data", "i18n",
                   "node_modules", ".git"})


def config_file_in(folder: str) -> str | None:
    """The Hugo config at ``folder`` (a file, or the ``config/_default`` folder), or None."""
    for name in ROOT_FILES:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    default = os.path.join(folder, "config", "_default")
    if os.path.isdir(default):
        return default
    for name in LEGACY_FILES:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            config, _problem = read_config(path)
            if HUGO_KEYS.intersection(k.lower() for k in config):
                return path
    return None


def _lower_keys(value: Any) -> Any:
    """Hugo's config keys are case-insensitive: read them in lower case."""
    if isinstance(value, dict):
        return {str(k).lower(): _lower_keys(v) for k, v in value.items()}
    return value


def read_config_tree(root: str, config_file: str) -> tuple[dict[str, Any], list[str]]:
    notes: list[str] = []
    config: dict[str, Any] = {}
    files: list[str] = []
    if os.path.isdir(config_file):
        for name in ROOT_FILES + LEGACY_FILES:
            if os.path.isfile(os.path.join(root, name)):
                files.append(os.path.join(root, name))
        default = config_file
    else:
        files.append(config_file)
        default = os.path.join(root, "config", "_default")
    for path in files:
        got, problem = read_config(path)
        if problem:
            notes.append(problem)
        config = deep_merge(config, _lower_keys(got))
    if os.path.isdir(default):
        for name in sorted(os.listdir(default)):
            stem, ext = os.path.splitext(name)
            if ext.lower() not in (".toml", ".yaml", ".yml", ".json"):
                continue
            got, problem = read_config(os.path.join(default, name))
            if problem:
                notes.append(f"config/_default/{problem}")
            got = _lower_keys(got)
            if stem.lower() in ("hugo", "config"):
                config = deep_merge(config, got)
                continue
            for part in reversed(stem.lower().split(".")):
                got = {part: got}
            config = deep_merge(config, got)
    return config, notes


def read_site(root: str, config_file: str | None) -> dict[str, Any]:
    """The keyword arguments of this site's :class:`~newslint.site.Site`
    (``config_file`` None: Hugo's defaults)."""
    config, notes = read_config_tree(root, config_file) if config_file is not None else ({}, [])
    goldmark = _table(_table(config.get("markup")).get("goldmark"))
    unsafe = _table(goldmark.get("renderer")).get("unsafe") is True
    handler = str(_table(config.get("markup")).get("defaultmarkdownhandler") or "goldmark").lower()
    if handler != "goldmark":
        notes.append(f"`markup.defaultMarkdownHandler = {handler}` is not goldmark; read as CommonMark")
    content = content_dirs(config)
    skipped = [(name, "Hugo reads it as templates, assets or output, not content") for name in sorted(NEVER)
               if os.path.isdir(os.path.join(root, name))]
    return dict(config=config, markdown="goldmark" if handler == "goldmark" else "commonmark",
                markdown_options=goldmark, raw_html=unsafe, content_dirs=tuple(content),
                skipped_dirs=tuple(skipped), notes=tuple(notes))


def _table(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def content_dirs(config: dict[str, Any]) -> list[str]:
    dirs = [str(config.get("contentdir") or "content").strip("/")]
    for lang in _table(config.get("languages")).values():
        d = _table(lang).get("contentdir")
        if isinstance(d, str) and d.strip("/") and d.strip("/") not in dirs:
            dirs.append(d.strip("/"))
    return dirs


class HugoContent:
    """Answers which folders and files of one Hugo site are content."""

    def __init__(self, root: str, config: dict[str, Any]) -> None:
        self.root = root
        self.dirs = content_dirs(config)

    def dir_reason(self, rel: str) -> str | None:
        for d in self.dirs:
            if rel == d or rel.startswith(d + "/") or d.startswith(rel + "/"):
                return None
        if rel.split("/", 1)[0] in NEVER:
            return "Hugo reads it as templates, assets or output, not content"
        return _OUTSIDE

    def file_reason(self, rel: str, full: str) -> str | None:
        folder = rel.rpartition("/")[0]
        for d in self.dirs:
            if folder == d or folder.startswith(d + "/"):
                return None
        return _OUTSIDE


_OUTSIDE = "not in a content folder (`contentDir`, or a language's own)"
