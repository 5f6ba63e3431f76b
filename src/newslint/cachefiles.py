"""Small JSON files kept in the cache folder beside the results database
(a site's URL map, its last findings across the site): written atomically,
only the newest few of a kind kept, and never an error when the folder is
read-only (the work is done again next time)."""

from __future__ import annotations

import glob
import json
import os
import tempfile
from typing import Any


def json_path(directory: str, prefix: str, key: str) -> str:
    """Where :func:`save_json` keeps ``key``'s data."""
    return os.path.join(directory, f"{prefix}-{key}.json")


def save_json(directory: str, prefix: str, key: str, data: Any, keep: int) -> None:
    """Write ``data`` to ``DIRECTORY/PREFIX-KEY.json``; keep the newest ``keep`` files of that prefix."""
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
