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
from operator import attrgetter
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable, Iterable

from .suffixes import HTML_SUFFIXES, MARKDOWN_SUFFIXES

if TYPE_CHECKING:
    from .site.walk import ContentFilter

POST_SUFFIXES = MARKDOWN_SUFFIXES + HTML_SUFFIXES
SKIP_DIRS = frozenset({".git", "node_modules", "_site", "vendor", "__pycache__"})


@dataclass
class Discovery:
    files: list[str] = field(default_factory=list)
    # (path, reason) for things that were passed over with a warning.
    skipped: list[tuple[str, str]] = field(default_factory=list)


class FolderNames:
    """Which of a few names (config files, ``.git``) each folder the walk
    listed holds, by absolute folder: later questions about those folders
    ("is a config file here?", "is this a work tree's top?") then need no
    stat. A folder the walk did not list is unknown (None): ask the disk."""

    def __init__(self, watched: Iterable[str], marks: Iterable[str] = ()) -> None:
        self.watched = frozenset(watched)
        # ``watched`` and the other names that make a folder differ from its
        # parent (a site's config): a folder holding none is ``quiet``.
        self._loud = self.watched.union(marks)
        self._held: dict[str, frozenset[str]] = {}
        self._none: frozenset[str] = frozenset()
        self.quiet: set[str] = set()  # folders (absolute) that hold none of the names
        # The folder part of a found file's path (as the walk writes it) -> the folder, absolute.
        self.abs_of: dict[str, str] = {}

    def note(self, folder_abs: str, names: Iterable[str], folder: str | None = None) -> None:
        if self._loud.isdisjoint(names):
            self._held[folder_abs] = self._none
            self.quiet.add(folder_abs)
        else:
            held = self.watched.intersection(names)
            self._held[folder_abs] = frozenset(held) if held else self._none
        if folder is not None:
            # What a file's path found in ``folder`` has before its name (the
            # walk writes `check .`'s files without the "./").
            if folder.startswith("./") or folder == ".":
                folder = folder[2:]
            self.abs_of[folder.rstrip(os.sep) or folder] = folder_abs

    def held(self, folder_abs: str) -> frozenset[str] | None:
        """The watched names in ``folder_abs``, or None when it was not listed."""
        return self._held.get(folder_abs)


def _is_post(name: str) -> bool:
    return name.lower().endswith(POST_SUFFIXES)


def _excluded(rel: str, patterns: Iterable[str]) -> bool:
    for p in patterns:
        if fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(os.path.basename(rel), p) or fnmatch.fnmatch(rel, p.rstrip("/") + "/*"):
            return True
    return False


def discover(paths: Iterable[str], *, exclude: Iterable[str] = (), include: Iterable[str] = (),
             root: str | os.PathLike[str] | None = None, force_exclude: bool = False,
             when_many: tuple[int, Callable[[], None]] | None = None,
             content: ContentFilter | None = None) -> Discovery:
    """Expand ``paths`` into a sorted, de-duplicated list of post files.

    ``exclude`` and ``include`` are globs matched against a path relative to
    ``root`` (the config file's folder; a path outside it: relative to the
    folder being walked), against its name and against each folder it is in:
    ``_drafts`` leaves out every ``_drafts`` folder, at any depth. Files named
    in ``paths`` are linted whatever ``exclude`` says, unless
    ``force_exclude`` (what pre-commit needs: it names every file).
    ``when_many=(n, call)``: ``call()`` once, as soon as ``n`` files are found
    (the run forks its workers then, while the walk goes on).
    ``content``: which files of a site are content (see
    :mod:`newslint.site.walk`); a named file is judged only with ``force_exclude``.
    """
    base = os.path.abspath(root) if root is not None else None
    out = Discovery()
    seen: set[str] = set()
    exclude = list(exclude)
    include = list(include)
    many, call = when_many if when_many is not None else (0, None)

    def add(p: str) -> None:
        if p not in seen:
            seen.add(p)
            out.files.append(p)
            if len(out.files) == many and call is not None:
                call()

    for given in paths:
        try:
            st = os.stat(given)
        except OSError:
            # Named explicitly: let the linter report it as unreadable.
            add(given)
            continue
        if not stat.S_ISDIR(st.st_mode):
            if force_exclude and exclude and _excluded_anywhere(_relative(given, base, os.path.dirname(given)), exclude):
                continue
            if force_exclude and content is not None and content.skip_file(given, named=True):
                continue
            if stat.S_ISREG(st.st_mode):
                add(given)
            else:
                out.skipped.append((given, "not a regular file"))
            continue
        if force_exclude and exclude and base is not None and os.path.abspath(given) != base and \
                _excluded_anywhere(_relative(given, base, os.path.dirname(os.path.abspath(given))), exclude):
            continue
        root_real = os.path.realpath(given)
        # Regular files, and in-tree file symlinks kept for the end: a link to
        # a post the walk also finds under its own name is listed once.
        regular: list[str] = []
        links: list[tuple[str, tuple[int, int]]] = []
        anchor = given
        if base is not None and (include or exclude):
            full = os.path.abspath(given)
            if full == base or full.startswith(base + os.sep):
                anchor = base
        _walk(given, anchor, root_real, include, exclude, regular, links, out.skipped, content,
              os.path.abspath(given) if content is not None else "")
        for full in regular:
            add(full)
        if links:
            # Only now (a rare tree) are the regular files stat'ed, for their inodes.
            inodes: dict[tuple[int, int], str] = {}
            for full in regular:
                try:
                    st = os.stat(full)
                except OSError:
                    continue
                inodes.setdefault((st.st_dev, st.st_ino), full)
            for full, key in links:
                if key in inodes:
                    out.skipped.append((full, f"symlink to {inodes[key]}, which is checked under its own name"))
                    continue
                inodes[key] = full
                add(full)
    out.files.sort()
    return out


def _relative(path: str, base: str | None, fallback: str) -> str:
    """``path`` relative to ``base`` when it is inside it, else to ``fallback``."""
    full = os.path.abspath(path)
    if base is not None and (full == base or full.startswith(base + os.sep)):
        return os.path.relpath(full, base)
    return os.path.relpath(path, fallback) if os.path.isdir(fallback) else os.path.basename(path)


def excluded_by(path: str, exclude: list[str], include: list[str], root: str, *, named: bool = False,
                force_exclude: bool = False) -> bool:
    """Whether a config whose folder is ``root`` leaves ``path`` out (a file the
    user named: only with ``force_exclude``; ``include`` never drops it)."""
    rel = _relative(path, os.path.abspath(root), os.path.dirname(os.path.abspath(path)))
    if named:
        return force_exclude and bool(exclude) and _excluded_anywhere(rel, exclude)
    if include and not _excluded(rel, include):
        return True
    return bool(exclude) and _excluded_anywhere(rel, exclude)


def _excluded_anywhere(rel: str, patterns: Iterable[str]) -> bool:
    parts = rel.split(os.sep)
    return any(_excluded(os.sep.join(parts[: i + 1]), patterns) for i in range(len(parts)))


def _walk(folder: str, given: str, root_real: str, include: list[str], exclude: list[str],
          regular: list[str], links: list[tuple[str, tuple[int, int]]], skipped: list[tuple[str, str]],
          content: ContentFilter | None = None, folder_abs: str = "", parent_abs: str = "") -> None:
    """Walk ``folder`` depth first, files before subfolders, each in name order
    (the order ``os.walk`` gives). ``os.scandir``'s entries say which names are
    folders, files and symlinks without a stat per file (the kernel's
    ``d_type``): a warm run's discovery was an ``lstat`` per post.
    ``folder_abs``: ``folder`` made absolute (with ``content``), once for the
    whole walk: each subfolder's is its parent's and its name; ``parent_abs``:
    the parent's, for a subfolder."""
    try:
        with os.scandir(folder) as it:
            entries = list(it)
    except OSError:
        return  # an unreadable folder is passed over, as os.walk does
    dirs = []
    files = []
    for entry in entries:
        try:
            is_dir = entry.is_dir()
        except OSError:
            is_dir = False
        (dirs if is_dir else files).append(entry)
    files.sort(key=_name)
    # Every folder is shown to the filter, with or without posts: it notes the
    # folder's names for the questions asked of it later.
    skip = content.file_test(folder, [e.name for e in entries], folder_abs=folder_abs,
                             parent_abs=parent_abs) if content is not None else None
    for entry in files:
        name = entry.name
        if not include and not _is_post(name):
            continue
        full = entry.path
        if full.startswith("./"):  # `check .` reports `posts/a.md`, as ruff and markdownlint do
            full = full[2:]
        if include or exclude:  # relpath is the walk's main cost: only when matched
            rel = os.path.relpath(full, given)
            if include and not _excluded(rel, include):
                continue
            if _excluded(rel, exclude):
                continue
        if skip is not None and skip(full):
            continue
        try:
            is_link = entry.is_symlink()
            is_reg = not is_link and entry.is_file(follow_symlinks=False)
        except OSError:
            continue
        if is_link:
            target = os.path.realpath(full)
            if not (target == root_real or target.startswith(root_real + os.sep)):
                skipped.append((full, "symlink points outside the folder being checked"))
                continue
            try:
                st = os.stat(full)
            except OSError:
                skipped.append((full, "broken symlink"))
                continue
            if stat.S_ISREG(st.st_mode):
                links.append((full, (st.st_dev, st.st_ino)))
            else:
                skipped.append((full, "not a regular file"))
            continue
        if not is_reg:
            skipped.append((full, "not a regular file"))
            continue
        regular.append(full)
    subdirs = []
    for entry in dirs:
        d = entry.name
        if d in SKIP_DIRS or d.startswith("."):
            continue
        try:
            if entry.is_symlink():
                continue
        except OSError:
            continue
        if exclude and _excluded(os.path.relpath(entry.path, given), exclude):
            continue
        if content is not None and content.skip_dir(entry.path, parent_abs=folder_abs):
            continue
        subdirs.append(entry)
    subdirs.sort(key=_name)
    inside = folder_abs.rstrip(os.sep) + os.sep  # each subfolder's absolute path is this and its name
    for entry in subdirs:
        _walk(entry.path, given, root_real, include, exclude, regular, links, skipped, content,
              inside + entry.name if content is not None else "", folder_abs)


_name = attrgetter("name")  # an os.DirEntry's name (a C getter: sorts without a Python call per entry)
