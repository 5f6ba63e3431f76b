"""Output formats: one small function each, in a registry (no if/elif chain in the CLI).

A reporter takes the sorted violations and a :class:`Summary` and returns the
text to print.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

from ..model import Violation


@dataclass
class Summary:
    files: int = 0
    fixed: int = 0
    by_severity: dict[str, int] = field(default_factory=dict)
    # Extra lines for the text summary (skipped files, baseline notes, ...).
    notes: list[str] = field(default_factory=list)


Reporter = Callable[[list[Violation], Summary], str]
REPORTERS: dict[str, Reporter] = {}


def reporter(name: str) -> Callable[[Reporter], Reporter]:
    def register(fn: Reporter) -> Reporter:
        REPORTERS[name] = fn
        return fn
    return register


from . import json as _json  # noqa: E402,F401
from . import text as _text  # noqa: E402,F401
