"""``--format json`` (one array) and ``json-lines`` (one object per line).

Both are written file by file as the results arrive: ``[`` first, each finding
as it comes, ``]`` at the end, exactly what ``json.dumps(findings, indent=2)``
prints for the whole list.
"""

from __future__ import annotations

import json as _json
from typing import Sequence

from ..model import Violation
from .base import JsonArrayReport, Report


class JsonReport(JsonArrayReport):
    def items(self, path: str, violations: Sequence[Violation]) -> list[dict]:
        return [v.to_dict() for v in violations]


class JsonLinesReport(Report):
    """One JSON object (the same shape as ``json``) per line."""

    def write_file(self, path: str, violations: Sequence[Violation]) -> None:
        if violations:
            self.out.write("".join(_json.dumps(v.to_dict(), ensure_ascii=False) + "\n" for v in violations))
