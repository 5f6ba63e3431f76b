"""``--format github``: GitHub Actions workflow commands, one per finding.

``::error file=posts/a.md,line=3,col=5,endLine=3,endColumn=9,title=rule-name::message``
(``::warning`` and ``::notice`` by severity). GitHub shows them as annotations
on the pull request. Values are escaped as the runner expects: ``%``, CR and LF
everywhere, and ``:`` and ``,`` inside properties. Paths are relative to the
folder newslint runs in (the top of the checkout in a workflow), without ``./``.
"""

from __future__ import annotations

from typing import Sequence

from ..model import Violation
from .base import Report, repo_path

COMMANDS = {"error": "error", "warning": "warning", "info": "notice"}


def escape_data(s: str) -> str:
    return s.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(s: str) -> str:
    return escape_data(s).replace(":", "%3A").replace(",", "%2C")


def annotation(v: Violation) -> str:
    props = ",".join([
        f"file={escape_property(repo_path(v.path))}",
        f"line={v.line}",
        f"col={v.column}",
        f"endLine={v.end_line}",
        f"endColumn={v.end_column}",
        f"title={escape_property(v.rule)}",
    ])
    return f"::{COMMANDS.get(v.severity, 'warning')} {props}::{escape_data(f'{v.message} ({v.code})')}"


class GithubReport(Report):
    def write_file(self, path: str, violations: Sequence[Violation]) -> None:
        if violations:
            self.out.write("".join(annotation(v) + "\n" for v in violations))
