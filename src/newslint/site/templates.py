"""The site's template files that a post's findings depend on.

Some findings of a post come from files of its site that are not the post:
a Jekyll include renders an image whose alt text the image rules check
(:mod:`newslint.includes`), a Hugo shortcode's template says whether the
shortcode takes inner content (the rule ``template-syntax``). The folders
that hold them are listed here, once: the readers take their folders from
:func:`includes_folder` and :func:`shortcode_folders`, and
:func:`templates_signature`, the results cache's share of them, from
:func:`template_folders`, so that what is read and what is watched cannot
differ.
"""

from __future__ import annotations

import os
import time
from typing import Any, Iterator

from .._hashing import blake2b
from . import theme_names


def includes_dir(config: Any) -> str:
    """A Jekyll site's includes folder, relative to its root (``includes_dir``)."""
    return str(config.get("includes_dir") or "_includes")


def includes_folder(root: str, folder: str) -> str:
    """The includes folder ``folder`` (as :func:`includes_dir` gives it) of the site at ``root``."""
    return os.path.join(root, folder)


def shortcode_folders(root: str, themes: list[str]) -> list[str]:
    """A Hugo site's shortcode template folders, the one that wins first:
    its own, then each of ``themes`` (see :func:`~newslint.site.theme_names`;
    every theme in `themes/` when it names none); in each, `layouts/_shortcodes`
    (Hugo 0.146 and later, which reads it before the older
    `layouts/shortcodes`), then `layouts/shortcodes`."""
    folder = os.path.join(root, "themes")
    if not themes and os.path.isdir(folder):
        themes = sorted(os.listdir(folder))
    bases = [root, *(os.path.join(folder, t) for t in themes)]
    return [os.path.join(base, "layouts", name) for base in bases for name in ("_shortcodes", "shortcodes")]


def template_folders(site: Any) -> list[str]:
    """The folders of ``site`` whose files the rules read (none outside a site)."""
    if not site.root:
        return []
    if site.is_jekyll:
        return [includes_folder(site.root, includes_dir(site.config))]
    if site.is_hugo:
        return shortcode_folders(site.root, theme_names(site.config))
    return []


def templates_signature(site: Any, racy_ns: int) -> str:
    """What the template files of ``site`` are: each file's name, size and
    times (a listing and a stat each, nothing read), hashed; "" when there
    is none. A file changed within ``racy_ns`` of now is read and hashed
    too: a second write in the same clock tick, of the same size, leaves
    its stat as it was (see :mod:`newslint.cache`)."""
    parts: list[Any] = []
    recent = time.time_ns() - racy_ns
    for folder in template_folders(site):
        _files(folder, parts, recent)
    if not parts:
        return ""
    return blake2b(repr(parts).encode("utf-8", "surrogateescape"), digest_size=8).hexdigest()


def template_files(folder: str, prefix: str = "") -> Iterator[tuple[str, os.DirEntry]]:
    """Each file below ``folder``, in name order, with its name from there
    ("/"-separated): sub-folders too, since a template may be called by its
    path (`{% include a/b.html %}`, `{{< sub/box >}}`); a linked folder is
    not followed (its own entry is given instead: never a loop)."""
    try:
        entries = sorted(os.scandir(folder), key=lambda e: e.name)
    except OSError:
        return
    for entry in entries:
        try:
            if entry.is_dir(follow_symlinks=False):
                yield from template_files(entry.path, prefix + entry.name + "/")
                continue
        except OSError:
            pass
        yield prefix + entry.name, entry


def _files(folder: str, parts: list[Any], recent: int) -> None:
    for name, entry in template_files(folder):
        try:
            st = entry.stat()
        except OSError:
            parts.append((name,))
            continue
        parts.append((name, st.st_size, st.st_mtime_ns, st.st_ctime_ns))
        if st.st_ctime_ns >= recent:
            try:
                with open(entry.path, "rb") as fh:
                    parts.append(blake2b(fh.read(), digest_size=8).hexdigest())
            except OSError:
                pass
