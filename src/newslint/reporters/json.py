from __future__ import annotations

import json as _json

from ..model import Violation
from . import Summary, reporter


@reporter("json")
def json_array(violations: list[Violation], summary: Summary) -> str:
    return _json.dumps([v.to_dict() for v in violations], ensure_ascii=False, indent=2) + "\n"


@reporter("json-lines")
def json_lines(violations: list[Violation], summary: Summary) -> str:
    """One JSON object (the same shape as ``json``) per line."""
    return "".join(_json.dumps(v.to_dict(), ensure_ascii=False) + "\n" for v in violations)
