"""What `newslint check` does, as a library function the CLI calls.

The data flows one way: paths -> discovery -> Document -> rules -> findings ->
linter -> violations -> reporter (or fixer). Each step lives in its own module;
this one only wires them together and decides the exit code.
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TextIO

from .config import Config, ConfigError
from .discovery import discover
from .engine import MIN_FILES_FOR_POOL, FixMode, Linting
from .exitcodes import EXIT_CLEAN, EXIT_FINDINGS, EXIT_INTERNAL, EXIT_USAGE, failing  # noqa: F401  (re-exported)
from .model import Violation
from .reporters import Report, Summary, stream_report

if TYPE_CHECKING:
    from .site.walk import ContentFilter


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
    # CI (see reporters/, baseline.py, gitfiles.py, progress.py): where the
    # report goes, per-rule counts instead of findings, exit 0 despite
    # findings, a baseline to read or write, and only files changed since REF.
    output_file: str | None = None
    statistics: bool = False
    exit_zero: bool = False
    # The lowest severity that makes the exit code 1 (the summary counts all).
    fail_level: str = "info"
    # Apply `exclude` to files named on the command line too (pre-commit names them all).
    force_exclude: bool = False
    respect_gitignore: bool = True
    # --show-files: list the files a run would lint, and stop.
    show_files: bool = False
    # --show-settings PATH: print the settings for PATH, and stop.
    show_settings: str | None = None
    # --stdin-filename PATH (with `-`): lint standard input as if it were PATH.
    stdin_filename: str | None = None
    baseline: str | None = None
    write_baseline: str | None = None
    changed_since: str | None = None
    # None: decided from the streams and the environment (see progress.py).
    color: bool | None = None
    # --lang: the language of messages ("ko", "en"; None: the config's `lang`, else the environment).
    lang: str | None = None
    progress: bool | None = None


@dataclass
class CheckOutcome:
    # The findings, sorted, when lint() is called without a report (a library
    # caller); `newslint check` streams them to a report and keeps only counts.
    violations: list[Violation] = field(default_factory=list)
    findings: int = 0
    summary: Summary = field(default_factory=Summary)
    internal_error: bool = False
    skipped: list[tuple[str, str]] = field(default_factory=list)
    # --baseline / --write-baseline (baseline.Baseline / baseline.BaselineWriter).
    baseline: Any = None
    baseline_writer: Any = None
    # The files to lint, in the report's order (set by plan()).
    files: list[str] = field(default_factory=list)
    # --fix / --diff: findings fixed, files changed, the fixer's own findings,
    # and where --diff writes its diffs.
    fixed: int = 0
    changed: int = 0
    problems: list[Violation] = field(default_factory=list)
    diff_out: TextIO | None = None


def select_files(opts: CheckOptions, config: Config, files: list[str]) -> list[str]:
    """The discovered files this run lints: its shard, and with --changed-since the changed ones."""
    if opts.shard:
        from .shards import Shard, select_shard

        files = select_shard(files, Shard.parse(opts.shard), config.root)
    if opts.changed_since:
        from .gitfiles import changed_files, keep_changed

        files = keep_changed(files, changed_files(opts.changed_since, opts.paths or (".",)))
    return files


def _own_excludes(opts: CheckOptions, run: Linting, files: list[str], keys: list[str | None]) -> list[str]:
    """The walk used the run's own config's globs: a file whose nearest
    config is another one follows that one's `exclude` and `include` instead."""
    from .discovery import excluded_by

    named = set(opts.paths)
    kept = []
    for path, key in zip(files, keys):
        if key[0] != run.primary:
            cfg = run.config_for(key)
            if excluded_by(path, cfg.exclude, cfg.include, str(cfg.root),
                           named=path in named, force_exclude=opts.force_exclude):
                continue
        kept.append(path)
    return kept


def content_filter(opts: CheckOptions, config: Config, run: Linting | None) -> ContentFilter:
    """Which files of each site the walk keeps (the run's site finder, so each site is read once)."""
    from .site.find import SiteFinder
    from .site.walk import ContentFilter

    finder = run.sites if run is not None else SiteFinder()
    return ContentFilter(finder, config.generator, str(config.root),
                         gitignore=config.respect_gitignore and opts.respect_gitignore,
                         listed=run.listed if run is not None else None)


def plan(opts: CheckOptions, config: Config, run: Linting | None = None) -> CheckOutcome:
    """Everything before linting: the baseline to read or write, the files (sorted)."""
    # Read the baseline and ask git before linting: a bad file or REF fails fast.
    baseline = writer = None
    if opts.baseline or opts.write_baseline:
        from .baseline import Baseline, BaselineWriter

        baseline = Baseline.load(opts.baseline) if opts.baseline else None
        writer = BaselineWriter(opts.write_baseline) if opts.write_baseline else None
    # Load the rules and fork the workers as soon as the walk has found enough
    # files for them to pay off; a small run never forks.
    many = (MIN_FILES_FOR_POOL, run.start_pool) if run is not None and opts.jobs != 1 else None
    found = discover(opts.paths or (".",), exclude=config.exclude, include=config.include,
                     root=config.root if config.source is not None else None, force_exclude=opts.force_exclude,
                     when_many=many, content=content_filter(opts, config, run))
    out = CheckOutcome(skipped=found.skipped, baseline=baseline, baseline_writer=writer)
    files = found.files
    if run is not None:  # the checks across a site reuse this walk, before shards and --changed-since
        run.walked = ([os.path.abspath(p) for p in opts.paths or (".",) if os.path.isdir(p)], files)
    if run is not None and run.configs is not None:
        keys = run.keys_for(files)
        if any(k[0] != run.primary for k in run.distinct_keys(files)):
            files = _own_excludes(opts, run, files, keys)
    out.files = select_files(opts, config, files)
    # The report's order is by path, then position (Violation.sort_key): files
    # are linted in path order (discovery sorts them already; this keeps it a
    # guarantee) and each file's findings are sorted on arrival, so the stream
    # is in the order a global sort of every finding would give.
    out.files.sort()
    out.summary.files = len(out.files)
    out.summary.rule = config.rule
    out.summary.shipped = lambda name: config.registry().shipped(name)
    return out


def lint(opts: CheckOptions, config: Config, stderr: TextIO | None = None, report: Report | None = None,
         outcome: CheckOutcome | None = None, *, erase_progress: bool = False,
         run: Linting | None = None) -> CheckOutcome:
    """Lint the files of ``opts`` (or of ``outcome``, from :func:`plan`).

    With ``report``, each file's findings (sorted, none for a clean file) go to
    ``report.file()`` as soon as the engine yields the file, and only counts are
    kept: memory stays flat however large the archive. Without, they are
    collected, sorted, in ``outcome.violations``. ``erase_progress``: erase the
    progress bar before the report writes (the report goes to the same terminal).
    """
    from .progress import Progress, use_progress

    out = outcome if outcome is not None else plan(opts, config)
    baseline, writer = out.baseline, out.baseline_writer
    if report is None:
        out.summary.checked = out.files
    by_severity = out.summary.by_severity
    show = opts.progress if opts.progress is not None else use_progress(stderr)
    bar = Progress(len(out.files), stderr, show)
    erase = erase_progress and bar.enabled and report is not None and report.writes_at_once
    own = run is None
    if run is None:
        run = Linting(config, jobs=opts.jobs, cache_dir=opts.cache_dir, use_cache=opts.use_cache, fix=_fix_mode(opts))
    results = run.lint_files(out.files)
    iterator = bar.iterate(results)
    diff_out = out.diff_out
    try:
        for result in iterator:
            violations = result.violations
            if not violations and not (result.fixed or result.diff or result.problems or result.internal_error):
                # A clean file, most of a warm run: nothing to count, sort or write but its name.
                if writer is not None:
                    writer.add(result.path, violations)
                if baseline is not None:
                    baseline.filter(result.path, violations)
                if report is not None:
                    report.file(result.path, violations)
                continue
            out.fixed += result.fixed
            if result.diff or (diff_out is None and result.fixed):
                out.changed += 1
            if result.diff and diff_out is not None:
                diff_out.write(result.diff)
            if result.problems:
                out.problems.extend(result.problems)
                violations = [*violations, *result.problems]
            if writer is not None:
                writer.add(result.path, violations)
            if baseline is not None:
                violations = baseline.filter(result.path, violations)
            out.internal_error = out.internal_error or result.failed
            if len(violations) > 1:
                violations = sorted(violations, key=Violation.sort_key)
            out.findings += len(violations)
            for v in violations:
                by_severity[v.severity] = by_severity.get(v.severity, 0) + 1
            if report is not None:
                if erase and violations:
                    bar.close()  # redrawn at its next tick, under what was written
                report.file(result.path, violations)
            else:
                out.violations.extend(violations)
    finally:
        iterator.close()  # the bar is erased, the pool stopped, even on an error
        results.close()
        if own:
            run.close()
    return out


def _fix_mode(opts: CheckOptions) -> FixMode | None:
    if opts.fix or opts.diff:
        return FixMode(unsafe=opts.unsafe_fixes, write=not opts.diff)
    return None


def check_combinations(opts: CheckOptions) -> None:
    """Refuse flags that cannot work together (a ConfigError: exit 2)."""
    fixing = opts.fix or opts.diff
    if "-" in opts.paths and (len(opts.paths) > 1 or not opts.stdin_filename):
        raise ConfigError("`-` (standard input) needs --stdin-filename PATH and no other path")
    if opts.stdin_filename and "-" not in opts.paths:
        raise ConfigError("--stdin-filename names standard input: give `-` as the path")
    if opts.baseline and opts.write_baseline:
        raise ConfigError("give --baseline or --write-baseline, not both (a fresh --write-baseline prunes a baseline)")
    if fixing and opts.write_baseline:
        raise ConfigError("--write-baseline records findings; it does not combine with --fix or --diff "
                          "(fix first, then write the baseline)")
    if opts.write_baseline and (opts.changed_since or opts.shard):
        raise ConfigError("--write-baseline records the findings of every file; with "
                          f"{'--changed-since' if opts.changed_since else '--shard'} it would drop the others")
    if opts.statistics and fixing:
        raise ConfigError("--statistics does not combine with --fix or --diff")
    if opts.statistics:
        from .reporters.statistics import FORMATS as STAT_FORMATS

        if opts.format not in STAT_FORMATS:
            raise ConfigError(f"--statistics works with --format {', '.join(STAT_FORMATS)}, not {opts.format}")


class ReportOutput:
    """Where the report goes, written piece by piece: ``stdout``, or --output-file
    (created with its folders when the first piece is written, after discovery,
    so the report never lints itself). A file that cannot be written is a
    ConfigError (exit 2)."""

    def __init__(self, opts: CheckOptions, stdout: TextIO, replay: Any = None) -> None:
        self.file = opts.output_file
        self.stdout = stdout
        self.fh: TextIO | None = None
        self.replay = replay  # a replay.Replay recording what is written

    def __enter__(self) -> "ReportOutput":
        return self

    def write(self, text: str) -> None:
        if self.replay is not None:
            self.replay.record(text)
        if not self.file:
            self.stdout.write(text)
            return
        try:
            if self.fh is None:
                folder = os.path.dirname(os.path.abspath(self.file))
                os.makedirs(folder, exist_ok=True)
                self.fh = open(self.file, "w", encoding="utf-8", errors="backslashreplace", newline="")
            self.fh.write(text)
        except OSError as exc:
            raise ConfigError(f"cannot write --output-file {self.file}: {exc.strerror or exc}") from None

    def __exit__(self, *exc: object) -> None:
        if self.file and self.fh is None and exc[0] is None:
            self.write("")  # an empty report still creates the file
        if self.fh is not None:
            fh, self.fh = self.fh, None
            try:
                fh.close()
            except OSError as e:
                if exc[0] is None:
                    raise ConfigError(f"cannot write --output-file {self.file}: {e.strerror or e}") from None


def run_check(opts: CheckOptions, stdout: TextIO | None = None, stderr: TextIO | None = None) -> int:
    """`newslint check`, with or without --fix / --diff: one engine, one report."""
    stdout = stdout or sys.stdout
    stderr = stderr or sys.stderr
    check_combinations(opts)
    from .configset import ConfigSet

    # Each file takes its nearest config (as ruff does); the run's own is the
    # one of the file or folder it is about: its root holds the cache, and
    # shards, baselines and reports count paths from it.
    configs = ConfigSet(opts.config_file, opts.isolated, select=opts.select, ignore=opts.ignore,
                        extend_select=opts.extend_select)
    paths = [p for p in opts.paths if p != "-"]
    anchor = opts.show_settings or opts.stdin_filename or (paths[0] if paths else ".")
    config = configs.for_path(anchor)
    if opts.show_settings:
        from .settings_view import show_settings

        stdout.write(show_settings(config, opts.show_settings))
        return EXIT_CLEAN
    if "-" in opts.paths:
        from .stdin import check_stdin

        return check_stdin(opts, config, stdout, stderr)
    with Linting(config, jobs=opts.jobs, cache_dir=opts.cache_dir, use_cache=opts.use_cache,
                 fix=_fix_mode(opts), configs=configs) as run:
        return _check(opts, run, stdout, stderr)


def _check(opts: CheckOptions, run: Linting, stdout: TextIO, stderr: TextIO) -> int:
    config = run.config
    outcome = plan(opts, config, run)
    for path, reason in outcome.skipped:
        stderr.write(f"newslint: skipped {path}: {reason}\n")
    if opts.show_files:
        stdout.write("".join(f"{path}\n" for path in outcome.files))
        return EXIT_CLEAN
    if outcome.baseline_writer is not None:
        outcome = lint(opts, config, stderr, _Discard(), outcome, run=run)
        written = outcome.baseline_writer.write()
        stderr.write(f"newslint: {_say(opts, config, f'wrote {written} baseline entr' + ('y' if written == 1 else 'ies') + f' to {opts.write_baseline}')}\n")
        return EXIT_INTERNAL if outcome.internal_error else EXIT_CLEAN
    if opts.diff:
        return _diff(opts, run, outcome, stdout, stderr)
    summary = outcome.summary
    summary.fixing = bool(opts.fix)
    summary.unsafe_fixes = opts.unsafe_fixes
    from .lang import resolve_lang

    summary.lang = resolve_lang(opts.lang, config.lang)
    summary.color = opts.color if opts.color is not None else (
        not opts.output_file and _use_color(stdout))
    human = opts.format in ("text", "full")
    replay = None
    if not outcome.skipped:
        from .replay import Replay

        replay = Replay.for_run(run, opts, summary, outcome.files)
        kept = replay.kept() if replay is not None else None
        if kept is not None:
            with ReportOutput(opts, stdout) as out:
                replay.write_kept(out.write)  # type: ignore[union-attr]
            return kept
        run.replay = replay
    try:
        # The report is written as the results come (see lint()); its summary at the end.
        with ReportOutput(opts, stdout, replay) as out:
            report = stream_report(out, summary, opts.format, statistics=opts.statistics)
            report.begin()
            lint(opts, config, stderr, report, outcome, erase_progress=not opts.output_file and _isatty(stdout), run=run)
            summary.fixed = outcome.fixed
            if outcome.baseline is not None:
                note = outcome.baseline.note(opts.baseline)
                if human:
                    summary.notes.append(note)
                else:
                    stderr.write(f"newslint: {_say(opts, config, note)}\n")
            hint = _unsafe_hint(opts, report.unsafe)
            if hint and human:
                summary.notes.append(hint)
            elif hint:
                stderr.write(f"newslint: {_say(opts, config, hint)}\n")
            report.end()
        if outcome.internal_error:
            return EXIT_INTERNAL
        code = EXIT_FINDINGS if failing(summary.by_severity, opts.fail_level) and not opts.exit_zero else EXIT_CLEAN
        if replay is not None:
            replay.keep(code)
        return code
    finally:
        if replay is not None:
            replay.discard()  # a report not kept (an error, a crash): its file goes


def _say(opts: CheckOptions, config: Config, text: str, context: str | None = "cli") -> str:
    """A line for standard error in the run's language (the catalogue is read only for another one)."""
    from .i18n import message, resolve_lang

    return message(resolve_lang(opts.lang, config.lang), text, context)


def _unsafe_hint(opts: CheckOptions, unsafe: int) -> str | None:
    """With --fix, ruff's hint: unsafe fixes left alone because --unsafe-fixes was not given."""
    if not (opts.fix or opts.diff) or opts.unsafe_fixes or not unsafe:
        return None
    from .fixer import unsafe_hint

    return unsafe_hint(unsafe)


def _diff(opts: CheckOptions, run: Linting, outcome: CheckOutcome, stdout: TextIO, stderr: TextIO) -> int:
    """--diff: the diffs on standard output (or --output-file), the rest on standard error."""
    with ReportOutput(opts, stdout) as out:
        outcome.diff_out = out  # type: ignore[assignment]
        counter = _Discard()
        lint(opts, run.config, stderr, counter, outcome, run=run)
    for p in outcome.problems:
        stderr.write(f"{p.path}:{p.line}:{p.column}: {p.rule} {_say(opts, run.config, p.message, None)}\n")
    fixed, changed = outcome.fixed, outcome.changed
    stderr.write("newslint: " + _say(opts, run.config, f"would fix {fixed} finding{'s' if fixed != 1 else ''} "
                                     f"in {changed} file{'s' if changed != 1 else ''}") + "\n")
    hint = _unsafe_hint(opts, counter.unsafe)
    if hint:
        stderr.write(f"newslint: {_say(opts, run.config, hint)}\n")
    if outcome.internal_error:
        return EXIT_INTERNAL
    return EXIT_FINDINGS if changed and not opts.exit_zero else EXIT_CLEAN


class _Discard(Report):
    """No report (--write-baseline, --diff): the findings only feed the
    baseline writer, and the counts (unsafe fixes for the hint)."""

    writes_at_once = False

    def __init__(self) -> None:
        super().__init__(None, Summary())  # type: ignore[arg-type]


def _isatty(stream: TextIO) -> bool:
    from .progress import _isatty as isatty

    return isatty(stream)


def _use_color(stream: TextIO) -> bool:
    from .progress import use_color

    return use_color(stream)


def describe_sites(paths: tuple[str, ...], fmt: str, config_file: str | None, isolated: bool,
                   respect_gitignore: bool, urls: bool = False) -> str:
    """`newslint site`: the sites at ``paths`` as the walk of `newslint check` sees them."""
    from .configset import ConfigSet
    from .site.describe import describe, to_json, to_text

    for p in paths:
        if not os.path.exists(p):
            raise ConfigError(f"{p}: no such file or folder")
    config = ConfigSet(config_file, isolated).for_path(paths[0])
    opts = CheckOptions(paths=paths, respect_gitignore=respect_gitignore)
    content = content_filter(opts, config, None)
    found = discover(paths, exclude=config.exclude, include=config.include,
                     root=config.root if config.source is not None else None, content=content)
    entries = describe(found.files, content, paths)
    if urls:
        from .site.describe import url_maps

        return url_maps(entries, content, fmt)
    return to_json(entries) if fmt == "json" else to_text(entries)
