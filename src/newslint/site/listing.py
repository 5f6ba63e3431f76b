"""A site's file listing, kept between runs by its folders' modification times.

The checks across a site need the name of every file under its root (images,
pages, static files) and which of them the generator reads. Listing a large
site folder by folder, and judging each name, is most of what a warm run on a
site does besides answering from the cache. A folder's modification time
changes whenever a name in it is added, removed or renamed (a subfolder made
or deleted changes its parent's), so when every folder kept its time, the
names are the ones listed last time; only then is the kept listing used.

Each folder's time is read before the folder is listed: a change during the
listing moves the time past the one kept. A folder changed within
:data:`~newslint.cache.RACY_NS` of the listing (a clock tick a coarse file
system cannot tell apart) leaves nothing kept, as the results cache does.
What is derived from the names (which files the generator reads, under a
config's signature) is kept with them.
"""

from __future__ import annotations

import os
import time
from typing import Any

from .._hashing import blake2b
from ..cache import RACY_NS
from ..cachefiles import load_json, save_json

_PREFIX = "listing"
_KEEP = 8  # listings kept (sites)


class Listing:
    def __init__(self, root: str, skip: frozenset[str], cache_dir: str | None) -> None:
        self.root = root
        self.skip = skip
        self.cache_dir = cache_dir
        # The cache folder inside the site (the default place) changes with every
        # run: it is never a file of the site's own, and is not listed.
        self._cache_abs = os.path.abspath(cache_dir) if cache_dir else None
        self._key = blake2b("\0".join([root, *sorted(skip)]).encode("utf-8", "surrogateescape"),
                            digest_size=12).hexdigest()
        self._derived: dict[str, list[str]] = {}
        self._folders: list[list[Any]] = []  # [folder from the root, its time]
        self._keepable = False  # False: a folder changed too close to the listing to trust its time
        self._dirty = False
        self.files = self._kept() or self._list()

    def _kept(self) -> frozenset[str] | None:
        if not self.cache_dir:
            return None
        kept = load_json(self.cache_dir, _PREFIX, self._key)
        try:
            prefix = self.root.rstrip(os.sep) + os.sep
            for rel, mtime in kept["folders"]:
                if os.stat(prefix + rel if rel else self.root).st_mtime_ns != mtime:
                    return None
            files = frozenset(kept["files"])
            self._derived = {k: v for k, v in kept["derived"].items() if isinstance(v, list)}
        except (OSError, TypeError, KeyError, ValueError, AttributeError):
            return None
        self._folders, self._keepable = kept["folders"], True
        return files

    def _list(self) -> frozenset[str]:
        """Every file under the root ("/"-separated), as ``os.walk`` finds
        them (symlinked folders not entered), and each folder's time."""
        started = time.time_ns()
        files: set[str] = set()
        folders: list[list[Any]] = []
        prefix = self.root.rstrip(os.sep) + os.sep
        stack = [""]
        while stack:
            rel = stack.pop()
            full = prefix + rel if rel else self.root
            try:
                mtime = os.stat(full).st_mtime_ns  # before the listing: a change during it is seen next time
                with os.scandir(full) as it:
                    entries = list(it)
            except OSError:
                continue
            folders.append([rel, mtime])
            base = rel + "/" if rel else ""
            for entry in entries:
                try:
                    is_dir = entry.is_dir()
                except OSError:
                    is_dir = False
                if not is_dir:
                    files.add(base + entry.name)
                elif entry.name not in self.skip and not entry.is_symlink() and entry.path != self._cache_abs:
                    stack.append(base + entry.name)
        self._folders = folders
        self._keepable = self._dirty = all(mtime < started - RACY_NS for _rel, mtime in folders)
        return frozenset(files)

    def derived(self, signature: str) -> list[str] | None:
        """What was kept under ``signature`` with these names, or None."""
        return self._derived.get(signature)

    def keep(self, signature: str, value: list[str]) -> None:
        """Keep ``value`` (derived from the names under ``signature``) with them."""
        if self._derived.get(signature) != value:
            self._derived[signature] = value
            self._dirty = True

    def save(self) -> None:
        """Write the listing to the cache folder, when it is new or gained a derived value."""
        if not (self._dirty and self._keepable and self.cache_dir):
            return
        save_json(self.cache_dir, _PREFIX, self._key,
                  {"folders": self._folders, "files": sorted(self.files), "derived": self._derived}, keep=_KEEP)
        self._dirty = False
