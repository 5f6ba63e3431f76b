"""``--format json`` (one array) and ``json-lines`` (one object per line).

Both are written file by file as the results arrive: ``[`` first, each finding
as it comes, ``]`` at the end, exactly what ``json.dumps(findings, indent=2)``
prints for the whole list.
"""

from __future__ import annotations

import json as _json
from typing import Sequence, TextIO

from ..model import Violation
from . import JsonArray, Report, Summary, reporter


@reporter("json")
class JsonReport(Report):
    def __init__(self, out: TextIO, summary: Summary) -> None:
        super().__init__(out, summary)
        self.array = JsonArray(out)

    def begin(self) -> None:
        self.array.open()

    def write_file(self, path: str, violations: Sequence[Violation]) -> None:
        self.array.extend([v.to_dict() for v in violations])

    def end(self) -> None:
        self.array.close()
        self.out.write("\n")


@reporter("json-lines")
class JsonLinesReport(Report):
    """One JSON object (the same shape as ``json``) per line."""

    def write_file(self, path: str, violations: Sequence[Violation]) -> None:
        if violations:
            self.out.write("".join(_json.dumps(v.to_dict(), ensure_ascii=False) + "\n" for v in violations))
