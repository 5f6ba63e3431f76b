"""What `newslint check` does, as a library function the CLI calls.

The data flows one way: paths -> discovery -> Document -> rules -> findings ->
linter -> violations -> reporter (or fixer). Each step lives in its own module;
this one only wires them together and decides the exit code.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass, field
from typing import TextIO

from .config import Config, load_config
from .discovery import discover
from .engine import Shard, lint_files, select_shard
from .model import Violation
from .reporters import REPORTERS, Summary

EXIT_CLEAN, EXIT_FINDINGS, EXIT_USAGE, EXIT_INTERNAL = 0, 1, 2, 3


@dataclass
class CheckOptions:
    paths: tuple[str, ...] = ()
    format: str = "text"
    # Execution (see engine.py): worker processes (None: all cores), the
    # results cache, and a shard "K/N" of the file list for CI matrices.
    jobs: int | None = None
    use_cache: bool = True
    cache_dir: str | None = None
    shard: str | None = None
    # Fixing (see fixer.py): --fix applies safe fixes, --unsafe-fixes also the
    # unsafe ones, --diff prints what --fix would change and writes nothing.
    fix: bool = False
    unsafe_fixes: bool = False
    diff: bool = False
    # Configuration (see config.py): --config FILE, --isolated, and rule
    # selection that overrides the file (names or codes, comma-separated).
    config_file: str | None = None
    isolated: bool = False
    select: tuple[str, ...] | None = None
    ignore: tuple[str, ...] = ()
    extend_select: tuple[str, ...] = ()


@dataclass
class CheckOutcome:
    violations: list[Violation] = field(default_factory=list)
    summary: Summary = field(default_factory=Summary)
    internal_error: bool = False
    skipped: list[tuple[str, str]] = field(default_factory=list)


def lint(opts: CheckOptions, config: Config) -> CheckOutcome:
    found = discover(opts.paths or (".",), exclude=config.exclude, include=config.include)
    out = CheckOutcome(skipped=found.skipped)
    files = select_shard(found.files, Shard.parse(opts.shard) if opts.shard else None, config.root)
    for result in lint_files(files, config, jobs=opts.jobs, cache_dir=opts.cache_dir, use_cache=opts.use_cache):
        out.violations.extend(result.violations)
        out.internal_error = out.internal_error or result.internal_error
    out.violations.sort(key=Violation.sort_key)
    out.summary.files = len(files)
    for v in out.violations:
        out.summary.by_severity[v.severity] = out.summary.by_severity.get(v.severity, 0) + 1
    return out


def run_check(opts: CheckOptions, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    config = load_config(None, opts.config_file, opts.isolated, select=opts.select, ignore=opts.ignore,
                         extend_select=opts.extend_select, fallback_dirs=opts.paths)
    if opts.fix or opts.diff or opts.unsafe_fixes:
        from .fixer import run_fix

        return run_fix(opts, config, stdout, stderr)
    outcome = lint(opts, config)
    for path, reason in outcome.skipped:
        stderr.write(f"newslint: skipped {path}: {reason}\n")
    stdout.write(REPORTERS[opts.format](outcome.violations, outcome.summary))
    if outcome.internal_error:
        return EXIT_INTERNAL
    return EXIT_FINDINGS if outcome.violations else EXIT_CLEAN
