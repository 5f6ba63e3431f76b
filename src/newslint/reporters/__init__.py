"""Output formats: one small class each, in a registry (no if/elif chain in the CLI).

Each format is a :class:`~.base.Report` that `newslint check` feeds file by
file as results arrive and that writes as it goes (memory stays flat however
large the archive); ``REPORTERS[fmt](violations, summary)`` gives the same
text for a whole sorted list at once (libraries).

The format modules import only :mod:`.base`; this package imports a format's
module when the format is first asked for.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, TextIO

from .base import (SEVERITY_COLORS, JsonArray, JsonArrayReport, Report, ReportClass, Reporter,  # noqa: F401
                   SourceReader, Summary, copy_spool, json_item, paint, render_report, repo_path, spool)


# The module of each format, imported when the format is first asked for: a
# run loads only its own (importing the others would slow every warm run).
FORMAT_MODULES = {"full": ("full", "FullReport"), "github": ("github", "GithubReport"),
                  "gitlab": ("gitlab", "GitlabReport"), "json": ("json", "JsonReport"),
                  "json-lines": ("json", "JsonLinesReport"), "junit": ("junit", "JunitReport"),
                  "sarif": ("sarif", "SarifReport"), "text": ("text", "TextReport"), "html": ("html", "HtmlReport")}


class _Formats(Mapping):
    """A read-only mapping of every format to its report class (``lists``:
    to a function of a whole list of findings), importing the format's module
    on first use: a run loads only its own."""

    def __init__(self, lists: bool = False) -> None:
        self._lists = lists

    def __getitem__(self, name: str) -> Any:
        module, cls_name = FORMAT_MODULES[name]
        import importlib

        cls = getattr(importlib.import_module(f"{__name__}.{module}"), cls_name)
        if self._lists:
            return lambda violations, summary: render_report(cls, violations, summary)
        return cls

    def __iter__(self):
        return iter(FORMAT_MODULES)

    def __len__(self) -> int:
        return len(FORMAT_MODULES)


# Streaming reports by format (what `newslint check` uses) ...
REPORTS: Mapping[str, ReportClass] = _Formats()
# ... and the same formats as functions of a whole list (libraries).
REPORTERS: Mapping[str, Reporter] = _Formats(lists=True)


def stream_report(out: TextIO, summary: Summary, fmt: str, statistics: bool = False) -> Report:
    """The streaming report for ``--format fmt`` (``--statistics``: the per-rule counts)."""
    if statistics:
        from .statistics import StatisticsReport

        return StatisticsReport(out, summary, fmt)
    return REPORTS[fmt](out, summary)
