"""``--format gitlab``: a GitLab Code Quality report (``artifacts:reports:codequality``).

A JSON array; each finding has ``description``, ``check_name`` (the rule),
``fingerprint``, ``severity`` and ``location`` (``path`` and ``positions``).
The fingerprint is stable: an MD5 (what GitLab expects) of the rule, the path
and the baseline fingerprint of the offending text with its occurrence index,
so it does not change when lines move and GitLab's merge request widget shows
only really new findings.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ..model import Violation
from . import Summary, repo_path, reporter

SEVERITIES = {"error": "major", "warning": "minor", "info": "info"}


def gitlab_issues(violations: list[Violation], summary: Summary) -> list[dict[str, Any]]:
    from ..baseline import file_keys

    out: list[dict[str, Any]] = []
    i = 0
    while i < len(violations):
        j = i
        while j < len(violations) and violations[j].path == violations[i].path:
            j += 1
        group = violations[i:j]
        path = repo_path(group[0].path)
        for v, (rule, fp, idx) in zip(group, file_keys(group, summary.source(group[0].path))):
            digest = hashlib.md5(f"{rule}\0{path}\0{fp}\0{idx}".encode("utf-8", "surrogatepass"),
                                 usedforsecurity=False).hexdigest()
            out.append({
                "description": f"{v.rule}: {v.message}",
                "check_name": v.rule,
                "fingerprint": digest,
                "severity": SEVERITIES.get(v.severity, "minor"),
                "location": {
                    "path": path,
                    "positions": {
                        "begin": {"line": v.line, "column": v.column},
                        "end": {"line": v.end_line, "column": v.end_column},
                    },
                },
            })
        i = j
    return out


@reporter("gitlab")
def gitlab(violations: list[Violation], summary: Summary) -> str:
    return json.dumps(gitlab_issues(violations, summary), ensure_ascii=False, indent=2) + "\n"
