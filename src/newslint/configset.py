"""Which configuration applies to each file: the nearest one, as ruff does.

Each file takes the closest ``.newslint.toml``, ``newslint.toml`` or
``pyproject.toml`` with a newslint table between its folder and the root of
the file system. A file with none above it takes the one found from the
current folder upward, or the defaults. ``--config FILE`` and ``--isolated``
give every file the same configuration. The command line's rule selection
applies on top of every one of them.

A configuration is known by its key: its file's path (None for the
defaults). Pool workers, forked before every configuration was met, load one
from its key themselves: loading is deterministic.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any, Iterable

from .config import CONFIG_NAMES, Config, config_in_folder, find_config_file, load_config


class ConfigSet:
    def __init__(self, config_file: str | None = None, isolated: bool = False, *,
                 select: Iterable[str] | None = None, ignore: Iterable[str] = (),
                 extend_select: Iterable[str] = (), cwd: str | None = None) -> None:
        self._cli = {"select": None if select is None else list(select), "ignore": list(ignore),
                     "extend_select": list(extend_select)}
        self._cwd = os.path.abspath(cwd or os.getcwd())
        self._fixed: Config | None = None
        if config_file is not None or isolated:
            self._fixed = load_config(self._cwd, config_file, isolated, **self._cli)
        self._by_key: dict[str | None, Config] = {}
        self._dir_key: dict[str, str | None] = {}  # absolute folder -> key
        self._file_dir: dict[str, str | None] = {}  # a file's folder as written -> key
        self._fallback: str | None | bool = False  # not looked for yet

    # -- which file ----------------------------------------------------------------
    def key_for(self, path: str) -> str | None:
        """The key of the configuration that applies to the file ``path``."""
        if self._fixed is not None:
            return None
        folder = path.rpartition(os.sep)[0] or (os.sep if path.startswith(os.sep) else "")
        key = self._file_dir.get(folder, False)
        if key is False:
            key = self._file_dir[folder] = self.key_for_folder(os.path.abspath(folder or "."))
        return key  # type: ignore[return-value]

    def key_for_folder(self, folder: str, listed: Any = None) -> str | None:
        """The key of the configuration nearest to the folder ``folder`` (absolute);
        a folder ``listed`` (the walk's :class:`~newslint.discovery.FolderNames`)
        says holds no config file's name is not asked."""
        if self._fixed is not None:
            return None
        walked = []
        key: str | None | bool = False
        while True:
            known = self._dir_key.get(folder, False)
            if known is not False:
                key = known
                break
            walked.append(folder)
            held = listed.held(folder) if listed is not None else None
            found = None if held is not None and held.isdisjoint(CONFIG_NAMES) else config_in_folder(folder)
            if found is not None:
                key = str(found.resolve())
                break
            parent = folder.rpartition(os.sep)[0] or os.sep  # ``folder`` is absolute and normalized
            if parent == folder:
                key = self._fallback_key()
                break
            folder = parent
        for d in walked:
            self._dir_key[d] = key  # type: ignore[assignment]
        return key  # type: ignore[return-value]

    def _fallback_key(self) -> str | None:
        if self._fallback is False:
            found = find_config_file(Path(self._cwd))
            self._fallback = str(found.resolve()) if found is not None else None
        return self._fallback  # type: ignore[return-value]

    # -- the configurations --------------------------------------------------------------
    def get(self, key: str | None) -> Config:
        if self._fixed is not None:
            return self._fixed
        cfg = self._by_key.get(key)
        if cfg is None:
            if key is None:
                cfg = load_config(self._cwd, None, True, **self._cli)
            else:
                cfg = load_config(self._cwd, key, False, **self._cli)
            self._by_key[key] = cfg
        return cfg

    def for_path(self, path: str) -> Config:
        """The configuration of a file or a folder."""
        full = os.path.abspath(path)
        return self.get(self.key_for_folder(full) if os.path.isdir(full) else self.key_for(path))
