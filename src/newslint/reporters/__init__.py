"""Output formats: one small function each, in a registry (no if/elif chain in the CLI).

A reporter takes the sorted violations and a :class:`Summary` and returns the
text to print.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any, Callable

from ..model import Violation


class SourceReader:
    """``source(path)``: the decoded text of a post, read lazily.

    Reporters that show source lines (``full``) or fingerprint the offending
    text (``gitlab``) call it; it keeps only the last file it read, so memory
    stays flat however many posts the run covers (violations come sorted by
    path, so each file is read once).
    """

    def __init__(self) -> None:
        self._path: str | None = None
        self._text: str | None = None

    def __call__(self, path: str) -> str | None:
        if path != self._path:
            from ..document import decode

            try:
                with open(path, "rb") as fh:
                    raw = fh.read()
            except OSError:
                text = None
            else:
                text, _bom, _problem = decode(raw)
            self._path, self._text = path, text
        return self._text


def repo_path(path: str, root: str | None = None) -> str:
    """``path`` as CI systems want it: relative to ``root`` (default: the current
    folder, where CI runs at the top of the checkout), ``/`` separators, no ``./``;
    a path outside ``root`` stays absolute."""
    full = os.path.abspath(path)
    base = os.path.abspath(root) if root is not None else os.getcwd()
    try:
        rel = os.path.relpath(full, base)
    except ValueError:  # another drive on Windows
        return full.replace(os.sep, "/")
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return full.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


def _registry_rule(name: str) -> Any:
    from ..rules import RULES_BY_NAME

    return RULES_BY_NAME.get(name)


@dataclass
class Summary:
    files: int = 0
    fixed: int = 0
    # True after `--fix`: the findings are those that remain in the fixed files.
    fixing: bool = False
    by_severity: dict[str, int] = field(default_factory=dict)
    # Extra lines for the text summary (skipped files, baseline notes, ...).
    notes: list[str] = field(default_factory=list)
    # The text of a post by path (lazy, one file at a time); see SourceReader.
    source: Callable[[str], "str | None"] = field(default_factory=SourceReader)
    # A rule class by name (None when unknown): metadata for SARIF and docs links.
    rule: Callable[[str], Any] = _registry_rule
    # ANSI colour in the human formats (set only for a terminal without NO_COLOR).
    color: bool = False
    # The files the run linted (JUnit lists the clean ones as passing test cases).
    checked: list[str] = field(default_factory=list)


def paint(text: str, summary: Summary, **style: Any) -> str:
    """``click.style(text, **style)`` when the run uses colour, else ``text``."""
    if not summary.color or not text:
        return text
    import click

    return click.style(text, **style)


SEVERITY_COLORS = {"error": "red", "warning": "yellow", "info": "blue"}


Reporter = Callable[[list[Violation], Summary], str]
REPORTERS: dict[str, Reporter] = {}


def reporter(name: str) -> Callable[[Reporter], Reporter]:
    def register(fn: Reporter) -> Reporter:
        REPORTERS[name] = fn
        return fn
    return register


from . import full as _full  # noqa: E402,F401
from . import github as _github  # noqa: E402,F401
from . import gitlab as _gitlab  # noqa: E402,F401
from . import json as _json  # noqa: E402,F401
from . import junit as _junit  # noqa: E402,F401
from . import sarif as _sarif  # noqa: E402,F401
from . import text as _text  # noqa: E402,F401
