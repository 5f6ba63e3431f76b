"""``--format gitlab``: a GitLab Code Quality report (``artifacts:reports:codequality``).

A JSON array; each finding has ``description``, ``check_name`` (the rule),
``fingerprint``, ``severity`` and ``location`` (``path`` and ``positions``).
The fingerprint is stable: an MD5 (what GitLab expects) of the rule, the path
and the baseline fingerprint of the offending text with its occurrence index,
so it does not change when lines move and GitLab's merge request widget shows
only really new findings.
"""

from __future__ import annotations

from typing import Any, Sequence

from ..model import Violation
from .base import JsonArrayReport, Summary, repo_path

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def file_issues(path: str, violations: Sequence[Violation], summary: Summary) -> list[dict[str, Any]]:
    """The issues of ONE file's violations (fingerprints need the file's text)."""
    if not violations:
        return []
    import hashlib  # here: only a GitLab report needs it (OpenSSL loads with it)

    from ..baseline import file_keys

    rel = repo_path(path)
    out: list[dict[str, Any]] = []
    for v, (rule, fp, idx) in zip(violations, file_keys(violations, summary.source(path))):
        digest = hashlib.md5(f"{rule}\0{rel}\0{fp}\0{idx}".encode("utf-8", "surrogatepass"),
                             usedforsecurity=False).hexdigest()
        out.append({
            "description": f"{v.rule}: {v.message}",
            "check_name": v.rule,
            "fingerprint": digest,
            "severity": SEVERITIES.get(v.severity, "minor"),
            "location": {
                "path": rel,
                "positions": {
                    "begin": {"line": v.line, "column": v.column},
                    "end": {"line": v.end_line, "column": v.end_column},
                },
            },
        })
    return out


class GitlabReport(JsonArrayReport):
    def items(self, path: str, violations: Sequence[Violation]) -> list[dict]:
        return file_issues(path, violations, self.summary)
