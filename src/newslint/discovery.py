"""Which files to lint: walk folders for posts, the way users expect.

A file named on the command line is always linted. Folders are walked for
``.md``, ``.markdown`` and ``.html`` posts (and their rarer spellings),
skipping ``.git``, ``node_modules``, ``_site``, ``vendor`` and hidden folders.
Directory symlinks are never followed; files behind symlinks that leave the
tree are skipped; FIFOs, sockets and devices are skipped.
"""

from __future__ import annotations

import fnmatch
import os
import stat
from dataclasses import dataclass, field
from pathlib import Path
from typing import Iterable

from .suffixes import HTML_SUFFIXES, MARKDOWN_SUFFIXES

POST_SUFFIXES = MARKDOWN_SUFFIXES + HTML_SUFFIXES
SKIP_DIRS = frozenset({".git", "node_modules", "_site", "vendor", "__pycache__"})


@dataclass
class Discovery:
    files: list[str] = field(default_factory=list)
    # (path, reason) for things that were passed over with a warning.
    skipped: list[tuple[str, str]] = field(default_factory=list)


def _is_post(name: str) -> bool:
    return name.lower().endswith(POST_SUFFIXES)


def _excluded(rel: str, patterns: Iterable[str]) -> bool:
    for p in patterns:
        if fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(os.path.basename(rel), p) or fnmatch.fnmatch(rel, p.rstrip("/") + "/*"):
            return True
    return False


def discover(paths: Iterable[str], *, exclude: Iterable[str] = (), include: Iterable[str] = ()) -> Discovery:
    """Expand ``paths`` into a sorted, de-duplicated list of post files."""
    out = Discovery()
    seen: set[str] = set()
    exclude = list(exclude)
    include = list(include)

    def add(p: str) -> None:
        if p not in seen:
            seen.add(p)
            out.files.append(p)

    for given in paths:
        try:
            st = os.stat(given)
        except OSError:
            # Named explicitly: let the linter report it as unreadable.
            add(given)
            continue
        if not stat.S_ISDIR(st.st_mode):
            if stat.S_ISREG(st.st_mode):
                add(given)
            else:
                out.skipped.append((given, "not a regular file"))
            continue
        root_real = os.path.realpath(given)
        # Regular files by inode, and in-tree file symlinks kept for the end: a
        # link to a post the walk also finds under its own name is listed once.
        inodes: dict[tuple[int, int], str] = {}
        links: list[tuple[str, tuple[int, int]]] = []
        for dirpath, dirnames, filenames in os.walk(given, followlinks=False):
            dirnames[:] = sorted(
                d for d in dirnames
                if d not in SKIP_DIRS and not d.startswith(".")
                and not os.path.islink(os.path.join(dirpath, d))
                and not (exclude and _excluded(os.path.relpath(os.path.join(dirpath, d), given), exclude))
            )
            for name in sorted(filenames):
                if not include and not _is_post(name):
                    continue
                full = os.path.join(dirpath, name)
                if full.startswith("./"):  # `check .` reports `posts/a.md`, as ruff and markdownlint do
                    full = full[2:]
                if include or exclude:  # relpath is the walk's main cost: only when matched
                    rel = os.path.relpath(full, given)
                    if include and not _excluded(rel, include):
                        continue
                    if _excluded(rel, exclude):
                        continue
                try:
                    lst = os.lstat(full)
                except OSError:
                    continue
                if stat.S_ISLNK(lst.st_mode):
                    target = os.path.realpath(full)
                    if not (target == root_real or target.startswith(root_real + os.sep)):
                        out.skipped.append((full, "symlink points outside the folder being checked"))
                        continue
                    try:
                        lst = os.stat(full)
                    except OSError:
                        out.skipped.append((full, "broken symlink"))
                        continue
                    if stat.S_ISREG(lst.st_mode):
                        links.append((full, (lst.st_dev, lst.st_ino)))
                        continue
                if not stat.S_ISREG(lst.st_mode):
                    out.skipped.append((full, "not a regular file"))
                    continue
                inodes.setdefault((lst.st_dev, lst.st_ino), full)
                add(full)
        for full, key in links:
            if key in inodes:
                out.skipped.append((full, f"symlink to {inodes[key]}, which is checked under its own name"))
                continue
            inodes[key] = full
            add(full)
    out.files.sort()
    return out
