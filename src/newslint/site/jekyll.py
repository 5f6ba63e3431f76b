"""A Jekyll site as Jekyll reads it: its config, its Markdown, its content files.

Jekyll's own rules, read from its source (``configuration.rb``,
``entry_filter.rb``, ``reader.rb``):

* the config is ``_config.yml`` (or ``_config.toml``), merged over Jekyll's
  defaults; ``exclude`` always gets Jekyll's default excludes added;
* a name that starts with ``.``, ``_``, ``#`` or ``~``, or ends with ``~``, is
  special and never read, unless ``include`` names it; ``exclude`` globs are
  matched against the path from the site root;
* posts are the files of every ``_posts`` folder (and ``_drafts``), at any depth;
  a collection is the folder ``_NAME`` under ``collections_dir``; a page is any
  other file whose first line is ``---``.
"""

from __future__ import annotations

import fnmatch
import os
import re
from typing import Any

from .configfiles import JEKYLL_CONFIG_FILES, read_config, str_list

CONFIG_FILES = JEKYLL_CONFIG_FILES
DEFAULT_EXCLUDES = (".sass-cache", ".jekyll-cache", "gemfiles", "Gemfile", "Gemfile.lock", "node_modules",
                    "vendor/bundle/", "vendor/cache/", "vendor/gems/", "vendor/ruby/")
# Folders Jekyll reads as something other than content (or writes): never linted,
# whatever `include` says.
NEVER = frozenset({"_layouts", "_includes", "_sass", "_data", "_plugins", "_site", ".jekyll-cache",
                   ".sass-cache", "vendor", "node_modules", ".git", ".bundle"})
POST_FOLDERS = frozenset({"_posts", "_drafts"})
# `markdown:` values that mean CommonMark (jekyll-commonmark and its GitHub Pages flavour).
_COMMONMARK = frozenset({"commonmark", "commonmarkghpages"})


def config_file_in(folder: str) -> str | None:
    for name in CONFIG_FILES:
        path = os.path.join(folder, name)
        if os.path.isfile(path):
            return path
    return None


def read_site(root: str, config_file: str | None, memo_dir: str | None = None) -> dict[str, Any]:
    """The keyword arguments of this site's :class:`~newslint.site.Site`
    (``config_file`` None: Jekyll's defaults; ``memo_dir``: see ``read_config``)."""
    config, problem = read_config(config_file, memo_dir) if config_file is not None else ({}, None)
    notes = [problem] if problem else []
    converter = str(config.get("markdown") or "kramdown")
    kramdown = config.get("kramdown") if isinstance(config.get("kramdown"), dict) else {}
    if converter.lower() in _COMMONMARK:
        markdown, options = "commonmark", {}
    elif converter.lower() == "kramdown":
        markdown = "kramdown"
        options = {"input": "GFM", "hard_wrap": False, "auto_ids": True, **kramdown}
    else:
        markdown, options = "commonmark", {}
        notes.append(f"`markdown: {converter}` is not a converter newslint knows; read as CommonMark")
    collections = _collections(config)
    cdir = str(config.get("collections_dir") or "").strip("/")
    content = ["(pages: files with front matter)", "_posts", "_drafts"]
    content += [f"{cdir}/_{name}" if cdir else f"_{name}" for name in collections if name != "posts"]
    skipped = [(name, "Jekyll reads it as templates, data or output, not content") for name in sorted(NEVER)
               if os.path.isdir(os.path.join(root, name))]
    for pattern in exclude_list(config):
        skipped.append((pattern, "listed in `exclude` of " + os.path.basename(config_file or "_config.yml")))
    return dict(config=config, markdown=markdown, markdown_options=options, content_dirs=tuple(content),
                skipped_dirs=tuple(skipped), notes=tuple(notes))


def _collections(config: dict[str, Any]) -> list[str]:
    value = config.get("collections")
    if isinstance(value, dict):
        return [str(k) for k in value]
    return str_list(value)


def exclude_list(config: dict[str, Any]) -> list[str]:
    return list(dict.fromkeys(str_list(config.get("exclude")) + list(DEFAULT_EXCLUDES)))


class JekyllContent:
    """Answers which folders and files of one Jekyll site are content."""

    def __init__(self, root: str, config: dict[str, Any]) -> None:
        self.root = root
        self.include = _Globs(str_list(config.get("include")) or [".htaccess"], base_names=True)
        self.exclude = _Globs([p for p in exclude_list(config) if p not in self.include.patterns])
        cdir = str(config.get("collections_dir") or "").strip("/")
        self.collections = {("/".join([cdir, "_" + name]) if cdir else "_" + name)
                            for name in _collections(config)}
        self._in_collection: dict[str, bool] = {}  # a folder's answer, asked once per file of it

    def _included(self, rel: str, is_dir: bool) -> bool:
        return self.include.match(rel, is_dir)

    def dir_reason(self, rel: str) -> str | None:
        """Why the folder ``rel`` (from the root, "/"-separated) is not read, or None."""
        name = rel.rsplit("/", 1)[-1]
        if name in NEVER:
            return "Jekyll reads it as templates, data or output, not content"
        included = self._included(rel, True)
        if not included and self.exclude.match(rel, True):
            return "excluded by the site's `exclude`"
        if name in POST_FOLDERS or rel in self.collections or included:
            return None
        if _special(name):
            return "Jekyll skips names that start with `_`, `.`, `#` or `~`"
        return None

    def in_collection(self, rel_dir: str) -> bool:
        """Whether files in ``rel_dir`` are posts or collection documents (no front matter needed)."""
        got = self._in_collection.get(rel_dir)
        if got is None:
            got = self._in_collection[rel_dir] = self._collection_folder(rel_dir)
        return got

    def _collection_folder(self, rel_dir: str) -> bool:
        parts = rel_dir.split("/") if rel_dir else []
        if any(p in POST_FOLDERS for p in parts):
            return True
        return any(rel_dir == c or rel_dir.startswith(c + "/") for c in self.collections)

    def file_reason(self, rel: str, full: str) -> str | None:
        """Why the file ``rel`` is not content, or None (it is)."""
        name = rel.rsplit("/", 1)[-1]
        included = self._included(rel, False)
        if not included and self.exclude.match(rel, False):
            return "excluded by the site's `exclude`"
        if not included and (_special(name) or name.endswith("~")):
            return "Jekyll skips names that start with `_`, `.`, `#` or `~`"
        folder = rel.rpartition("/")[0]
        if self.in_collection(folder):
            return None
        if not has_front_matter(full, (b"---",)):
            return "no front matter: Jekyll copies it as a static file"
        return None


class _Globs:
    """Jekyll's ``glob_include?``: a pattern matches a path from the site root
    as ``File.fnmatch?`` does (``*`` crosses ``/``), or is a prefix of it;
    ``include`` also matches a bare file name. One compiled pattern for the
    whole list: a walk asks once per file."""

    def __init__(self, patterns: list[str], base_names: bool = False) -> None:
        self.patterns = patterns
        self.base_names = base_names
        self._re = re.compile("|".join(f"(?:{fnmatch.translate(p)})" for p in patterns)) if patterns else None
        self._prefixes = tuple(p for p in patterns if p)

    def match(self, rel: str, is_dir: bool) -> bool:
        if self._re is None:
            return False
        if self._re.match(rel) or rel.startswith(self._prefixes) or (is_dir and rel + "/" in self.patterns):
            return True
        return self.base_names and bool(self._re.match(rel.rsplit("/", 1)[-1]))


def _special(name: str) -> bool:
    return name[:1] in "._#~" and name not in (".", "..")


def has_front_matter(path: str, fences: tuple[bytes, ...]) -> bool:
    """Whether the file starts with one of ``fences`` (a byte order mark
    before it still counts: newslint then says what the mark breaks)."""
    try:
        with open(path, "rb") as fh:
            head = fh.read(8)
    except OSError:
        return True  # let the linter report it as unreadable
    if head.startswith(b"\xef\xbb\xbf"):
        head = head[3:]
    return head.startswith(fences)
