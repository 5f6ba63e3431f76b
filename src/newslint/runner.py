"""What `newslint check` does, as a library function the CLI calls.

The data flows one way: paths -> discovery -> Document -> rules -> findings ->
linter -> violations -> reporter (or fixer). Each step lives in its own module;
this one only wires them together and decides the exit code.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO

from .config import Config
from .discovery import discover
from .linter import lint_paths
from .model import Violation
from .reporters import REPORTERS, Summary

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


@dataclass
class CheckOptions:
    paths: tuple[str, ...] = ()
    format: str = "text"


@dataclass
class CheckOutcome:
    violations: list[Violation] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)
    internal_error: bool = False
    skipped: list[tuple[str, str]] = field(default_factory=list)


def lint(opts: CheckOptions, config: Config) -> CheckOutcome:
    found = discover(opts.paths or (".",), exclude=config.exclude, include=config.include)
    out = CheckOutcome(skipped=found.skipped)
    for result in lint_paths(found.files, config):
        out.violations.extend(result.violations)
        out.internal_error = out.internal_error or result.internal_error
    out.violations.sort(key=Violation.sort_key)
    out.summary.files = len(found.files)
    for v in out.violations:
        out.summary.by_severity[v.severity] = out.summary.by_severity.get(v.severity, 0) + 1
    return out


def run_check(opts: CheckOptions, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    config = Config()
    outcome = lint(opts, config)
    for path, reason in outcome.skipped:
        stderr.write(f"newslint: skipped {path}: {reason}\n")
    stdout.write(REPORTERS[opts.format](outcome.violations, outcome.summary))
    if outcome.internal_error:
        return EXIT_INTERNAL
    return EXIT_FINDINGS if outcome.violations else EXIT_CLEAN
