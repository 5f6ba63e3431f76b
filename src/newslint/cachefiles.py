"""Small JSON files kept in the cache folder beside the results database
(a site's URL map, its last findings across the site): written atomically,
only the newest few of a kind kept, and never an error when the folder is
read-only (the work is done again next time)."""

from __future__ import annotations

import glob
import json
import os
from pathlib import Path
from typing import Any, Iterable


def json_path(directory: str, prefix: str, key: str) -> str:
    """Where :func:`save_json` keeps ``key``'s data."""
    return os.path.join(directory, f"{prefix}-{key}.json")


def save_json(directory: str, prefix: str, key: str, data: Any, keep: int) -> None:
    """Write ``data`` to ``DIRECTORY/PREFIX-KEY.json``; keep the newest ``keep`` files of that prefix."""
    import tempfile  # here: a run that keeps no such file never imports it (it imports shutil, random)

    try:
        os.makedirs(directory, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=directory, prefix="tmp-", suffix=".json")  # `newslint clean` knows .json
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            # dumps, not dump: only the one-shot encoder is the C one.
            fh.write(json.dumps(data, ensure_ascii=False, separators=(",", ":")))
        os.replace(tmp, json_path(directory, prefix, key))
        for old in sorted(glob.glob(os.path.join(directory, f"{prefix}-*.json")), key=os.path.getmtime)[:-keep]:
            os.unlink(old)
    except OSError:
        pass


def load_json(directory: str, prefix: str, key: str) -> Any:
    """What :func:`save_json` wrote, or None."""
    try:
        with open(json_path(directory, prefix, key), encoding="utf-8") as fh:
            return json.load(fh)
    except (OSError, ValueError):
        return None


def prune_databases(directory: Path, keep: Path, newest: int) -> None:
    """Delete all but the ``newest`` results databases in ``directory`` (never ``keep``)."""
    files = []
    for p in directory.glob("*.sqlite3"):
        try:
            files.append((p.stat().st_mtime_ns, p))
        except OSError:
            continue
    files.sort(reverse=True)
    for _, p in files[newest:]:
        if p != keep:
            for suffix in ("", "-wal", "-shm", "-journal"):
                try:
                    os.unlink(str(p) + suffix)
                except OSError:
                    pass


def looks_like_cache(p: Path) -> bool:
    """Only folders newslint made (or empty ones) are ever removed by ``clean``."""
    try:
        if "newslint" in (p / "CACHEDIR.TAG").read_text("utf-8", errors="replace"):
            return True
    except OSError:
        pass
    try:
        names = os.listdir(p)
    except OSError:
        return False
    return all(n.endswith((".json", ".report", ".sqlite3", ".sqlite3-wal", ".sqlite3-shm", ".sqlite3-journal"))
               or n in (".gitignore", "CACHEDIR.TAG") for n in names)


def clean(directories: Iterable[str | os.PathLike[str]]) -> list[Path]:
    """Remove cache folders; returns the ones that existed.

    Raises ValueError for a folder that does not look like a newslint cache
    (``newslint clean --cache-dir .`` must never delete a project).
    """
    removed = []
    for d in directories:
        p = Path(d)
        if not p.is_dir():
            continue
        if not looks_like_cache(p):
            raise ValueError(f"{p} does not look like a newslint cache folder; not removing it")
        import shutil  # here: only `newslint clean` needs it (it imports bz2 and lzma)

        shutil.rmtree(p, ignore_errors=True)
        removed.append(p)
    return removed
