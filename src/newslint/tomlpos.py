"""Small helpers for config errors: where a key is written in a TOML file, and
how to name a value's type in a message."""

from __future__ import annotations

import re
from typing import Any


def type_ok(default: Any, value: Any) -> bool:
    if default is None:
        return True
    if isinstance(default, bool):
        return isinstance(value, bool)
    if isinstance(default, int):
        return isinstance(value, int) and not isinstance(value, bool)
    if isinstance(default, float):
        return isinstance(value, (int, float)) and not isinstance(value, bool)
    if isinstance(default, (list, tuple)):
        if not isinstance(value, list):
            return False
        # An empty default list means a list of strings (names, tokens, attributes).
        kinds = {type(x) for x in default} or {str}
        return all(any(type_ok(k(), x) if k in (str, int, float, bool) else isinstance(x, k) for k in kinds) for x in value)
    if isinstance(default, dict):
        return isinstance(value, dict)
    return isinstance(value, type(default))


def type_name(value: Any) -> str:
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, (list, tuple)):
        if all(isinstance(v, str) for v in value):
            return "a list of strings"
        return "a list of " + ", ".join(sorted({type_name(v).split(" ", 1)[1] for v in value}))
    if isinstance(value, dict):
        return "a table"
    return type(value).__name__


_HEADER = re.compile(r"^\s*\[\[?\s*([^\]]+?)\s*\]\]?\s*(?:#.*)?$")


def _parts(dotted: str) -> list[str]:
    """Split a TOML dotted key (quoted parts allowed) into its parts."""
    return [p.strip().strip("\"'") for p in re.findall(r"\"[^\"]*\"|'[^']*'|[^.]+", dotted)]


def find_line(text: str, table: list[str], key: str) -> int:
    """The 1-based line where ``key`` of ``table`` is written (a small scan, not a parser).

    Finds ``key = ...`` under ``[table]``, a ``[table.key]`` header, or a
    dotted ``sub.key = ...`` under a parent table; falls back to the table's
    header, then to line 1.
    """
    lines = text.splitlines()
    current: list[str] = []
    header_line = 0
    for i, line in enumerate(lines, 1):
        m = _HEADER.match(line)
        if m:
            current = _parts(m.group(1))
            if current == table + [key] or (current[: len(table) + 1] == table + [key]):
                return i
            if current == table and not header_line:
                header_line = i
            continue
        km = re.match(r"^\s*((?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_\-]+)(?:\s*\.\s*(?:\"[^\"]*\"|'[^']*'|[A-Za-z0-9_\-]+))*)\s*=", line)
        if not km:
            continue
        full = current + _parts(km.group(1).replace(" ", ""))
        if full[: len(table) + 1] == table + [key]:
            return i
    return header_line or 1
