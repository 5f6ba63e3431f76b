"""The command line. Thin on purpose: parse flags, call the library, print."""

from __future__ import annotations

import gc
import os
import sys

import click

from . import __version__
from .config import ConfigError
from .reporters import REPORTERS
from .exitcodes import EXIT_INTERNAL, EXIT_USAGE
from .runner import CheckOptions, run_check


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newslint")
def cli() -> None:
    """newslint: lint and fix Jekyll and Hugo posts."""


def _lang_option(f):
    return click.option("--lang", type=click.Choice(["ko", "en"]), default=None,
                        help="The language of messages (default: the config's `lang`, else the locale: "
                             "LC_ALL, LC_MESSAGES or LANG of ko_KR.UTF-8 means Korean; else English).")(f)


def _check_shard(ctx: click.Context, param: click.Parameter, value: str | None) -> str | None:
    if value is None:
        return None
    from .shards import Shard

    try:
        Shard.parse(value)
    except ConfigError as exc:
        raise click.BadParameter(str(exc)) from None
    return value


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True, allow_dash=True))
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True,
              help="Output format.")
@click.option("--jobs", "-j", type=click.IntRange(min=0), default=None,
              help="Worker processes (default: all cores; 1 runs in-process).")
@click.option("--no-cache", is_flag=True, help="Neither read nor write the results cache.")
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
              help="Where the results cache lives (default: .newslint_cache).")
@click.option("--shard", metavar="K/N", default=None, callback=_check_shard,
              help="Lint only shard K of N (1-based), for a CI matrix; shards' outputs merge.")
@click.option("--fix", is_flag=True, help="Apply safe fixes (atomically; findings marked [*]).")
@click.option("--unsafe-fixes", is_flag=True,
              help="Count unsafe fixes as available (marked [*]); with --fix or --diff, apply them too.")
@click.option("--diff", is_flag=True,
              help="Print a unified diff of what --fix would change; write nothing (exit 1 if any).")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
              help="Read this config file (no search for pyproject.toml / newslint.toml).")
@click.option("--isolated", is_flag=True, help="Ignore every config file.")
@click.option("--select", multiple=True, metavar="RULES",
              help="Only these rules (names or codes, comma-separated; repeatable). Overrides the config.")
@click.option("--ignore", multiple=True, metavar="RULES", help="Also disable these rules.")
@click.option("--extend-select", multiple=True, metavar="RULES", help="Also enable these rules.")
@click.option("--output-file", "-o", type=click.Path(dir_okay=False), default=None,
              help="Write the report to this file instead of standard output.")
@click.option("--statistics", is_flag=True, help="Count findings per rule instead of listing them.")
@click.option("--exit-zero", is_flag=True, help="Exit 0 even when there are findings (2 and 3 still fail).")
@click.option("--fail-level", type=click.Choice(["error", "warning", "info"]), default="info", show_default=True,
              help="The lowest severity that makes the exit code 1 (the report still shows every finding).")
@click.option("--baseline", "baseline", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Report only findings that are not in this baseline file.")
@click.option("--write-baseline", type=click.Path(dir_okay=False), default=None, metavar="FILE",
              help="Record today's findings in this baseline file (and exit 0).")
@click.option("--changed-since", metavar="REF", default=None,
              help="Lint only files git says changed since REF (uncommitted and untracked included).")
@click.option("--force-exclude", is_flag=True,
              help="Apply `exclude` to files named on the command line too (as pre-commit names them).")
@click.option("--respect-gitignore/--no-respect-gitignore", default=True, show_default=True,
              help="Pass over files git ignores (.gitignore, .git/info/exclude).")
@click.option("--show-files", is_flag=True, help="List the files this run would lint, and stop.")
@click.option("--show-settings", metavar="PATH", default=None,
              help="Print the settings that apply to PATH and the config file they come from, and stop.")
@click.option("--stdin-filename", metavar="PATH", default=None,
              help="With `-` as the path: lint standard input as if it were PATH (its config applies); "
                   "with --fix, print the fixed text.")
@_lang_option
def check(paths: tuple[str, ...], fmt: str, jobs: int | None, no_cache: bool, cache_dir: str | None,
          shard: str | None, fix: bool, unsafe_fixes: bool, diff: bool, config_file: str | None,
          isolated: bool, select: tuple[str, ...], ignore: tuple[str, ...], extend_select: tuple[str, ...],
          output_file: str | None, statistics: bool, exit_zero: bool, fail_level: str, baseline: str | None,
          write_baseline: str | None, changed_since: str | None, force_exclude: bool, respect_gitignore: bool,
          show_files: bool, show_settings: str | None, stdin_filename: str | None, lang: str | None) -> None:
    """Lint posts (folders are walked for .md, .markdown and .html files; in a
    Jekyll or Hugo site, for its content files: see `newslint site`)."""
    _machine_stdout(fmt)
    sys.exit(run_check(CheckOptions(paths=paths, format=fmt, jobs=jobs or None, use_cache=not no_cache,
                                    cache_dir=cache_dir, shard=shard, fix=fix, unsafe_fixes=unsafe_fixes,
                                    diff=diff, config_file=config_file, isolated=isolated,
                                    select=select or None, ignore=ignore, extend_select=extend_select,
                                    output_file=output_file, statistics=statistics, exit_zero=exit_zero,
                                    fail_level=fail_level,
                                    baseline=baseline, write_baseline=write_baseline,
                                    changed_since=changed_since, force_exclude=force_exclude,
                                    respect_gitignore=respect_gitignore, show_files=show_files, show_settings=show_settings,
                                    stdin_filename=stdin_filename, lang=lang)))


@cli.command()
@click.option("--cache-dir", type=click.Path(file_okay=False), default=None,
              help="The cache folder to remove (default: .newslint_cache).")
def clean(cache_dir: str | None) -> None:
    """Remove the results cache."""
    from .cache import default_cache_dir
    from .cachefiles import clean as clean_cache

    target = cache_dir or default_cache_dir()
    try:
        removed = clean_cache([target])
    except ValueError as exc:
        raise click.UsageError(str(exc)) from None
    click.echo(f"newslint: removed {removed[0]}" if removed else f"newslint: no cache at {target}", err=True)


@cli.command("convert-encoding")
@click.option("--from", "encoding", type=click.Choice(["cp949"]), required=True,
              help="The encoding the files are in (named explicitly: newslint never guesses).")
@click.argument("files", nargs=-1, required=True, type=click.Path(exists=True, dir_okay=False))
def convert_encoding(encoding: str, files: tuple[str, ...]) -> None:
    """Convert legacy posts to UTF-8 in place (atomically, after a round-trip check)."""
    from .convert import convert_file

    failed = 0
    for path in files:
        result = convert_file(path, encoding)
        failed += result.failed
        click.echo(f"{path}: {result.message}", err=result.failed)
    sys.exit(1 if failed else 0)


@cli.command()
def server() -> None:
    """Run the language server on standard input and output (needs newslint[server])."""
    from .server import serve

    sys.exit(serve())


def _rules_config(config_file: str | None, isolated: bool):
    from .config import load_config

    return load_config(None, config_file, isolated)


@cli.command("site")
@click.argument("paths", nargs=-1, type=click.Path())
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
              help="Read this config file instead of the one found.")
@click.option("--isolated", is_flag=True, help="Ignore every config file.")
@click.option("--respect-gitignore/--no-respect-gitignore", default=True, show_default=True,
              help="Pass over files git ignores.")
@click.option("--urls", is_flag=True, help="Print the URL each file of the site gets, as its generator computes it.")
@_lang_option
def site_command(paths: tuple[str, ...], fmt: str, config_file: str | None, isolated: bool,
                 respect_gitignore: bool, urls: bool, lang: str | None) -> None:
    """Show what newslint read of the site at PATH: generator, Markdown, content folders and what is skipped."""
    from .runner import describe_sites

    _machine_stdout(fmt)
    text = describe_sites(paths or (".",), fmt, config_file, isolated, respect_gitignore, urls)
    if fmt == "text":
        text = _prose(text, lang, None if lang else _rules_config(config_file, isolated), "site")
    click.echo(text, nl=False)


@cli.command("rules")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True,
              help="Output format.")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
              help="Read this config file (its rule packs are listed too).")
@click.option("--isolated", is_flag=True, help="Ignore every config file.")
@_lang_option
def rules_command(fmt: str, config_file: str | None, isolated: bool, lang: str | None) -> None:
    """List every rule: name, code, default severity, fix, summary."""
    from .docsgen import code_order, rules_json, rules_text

    cfg = _rules_config(config_file, isolated)
    rules = sorted(cfg.all_rules(), key=code_order)
    lang = _lang(lang, cfg)
    click.echo(rules_json(rules, lang) if fmt == "json" else rules_text(rules, lang), nl=False)


@cli.command("rule")
@click.argument("name")
@click.option("--config", "config_file", type=click.Path(dir_okay=False), default=None,
              help="Read this config file (to find the rules of its packs).")
@click.option("--isolated", is_flag=True, help="Ignore every config file.")
@_lang_option
def rule_command(name: str, config_file: str | None, isolated: bool, lang: str | None) -> None:
    """Print the docs of one rule (by name or code)."""
    from .config import did_you_mean, known_names
    from .docsgen import rule_markdown

    cfg = _rules_config(config_file, isolated)
    rule = cfg.rule(name)
    if rule is None:
        raise ConfigError(f"unknown rule `{name}`{did_you_mean(name, known_names(cfg.all_rules()))}; "
                          "`newslint rules` lists them")
    click.echo(rule_markdown(rule, _lang(lang, cfg)), nl=False)


def _lang(lang: str | None, cfg) -> str:
    from .lang import resolve_lang

    return resolve_lang(lang, cfg.lang if cfg is not None else None)


def _prose(text: str, lang: str | None, cfg, context: str) -> str:
    """Each line of ``text`` in the language of the run (templates of ``context``)."""
    lang = _lang(lang, cfg)
    if lang == "en":
        return text
    from .i18n import catalogue

    cat = catalogue(lang)
    return "\n".join(cat.text(line, context) for line in text.split("\n"))


# Formats read by programs are UTF-8 whatever the console's encoding (JSON must
# be, RFC 8259; the HTML page says it is): under PYTHONIOENCODING=cp949 an emoji stays an emoji, not `\U0001f600`.
_MACHINE_FORMATS = frozenset({"json", "json-lines", "sarif", "gitlab", "junit", "github", "html"})


def _machine_stdout(fmt: str) -> None:
    if fmt in _MACHINE_FORMATS:
        try:
            sys.stdout.reconfigure(encoding="utf-8", errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass


def _safe_stdio() -> None:
    """Never crash on a console that cannot print Korean or emoji."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass


def run(argv: list[str] | None = None) -> int:
    """Run the command line on ``argv`` and return the exit status (for callers
    that stay in the process, such as the tests; :func:`main` exits with it)."""
    _safe_stdio()
    try:
        code = cli.main(args=argv, prog_name="newslint", standalone_mode=False)
    except SystemExit as exc:  # the commands exit with their status
        return _exit_status(exc.code)
    except click.exceptions.Exit as exc:
        return exc.exit_code
    except click.ClickException as exc:
        _show_click_error(exc, argv)
        return EXIT_USAGE
    except click.exceptions.Abort:
        # click turns Ctrl+C (KeyboardInterrupt) into Abort: 128 + SIGINT, as a shell reports it.
        click.echo("Aborted.", err=True)
        return 130
    except ConfigError as exc:
        click.echo(_error_text(str(exc), argv), err=True)
        return EXIT_USAGE
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:
        return 0
    except Exception as exc:  # an internal error: say so, never a bare traceback
        click.echo(f"newslint: internal error: {type(exc).__name__}: {exc}", err=True)
        return EXIT_INTERNAL
    return code if isinstance(code, int) else 0


def _error_text(message: str, argv: list[str] | None) -> str:
    """``newslint: error: MESSAGE`` in the language of --lang (in ``argv``) or of the environment:
    the config file, which may set `lang`, is what failed to load."""
    from .i18n import message as translated, resolve_lang, ui

    args = sys.argv[1:] if argv is None else argv
    asked = next((a.split("=", 1)[1] for a in args if a.startswith("--lang=")), None)
    if "--lang" in args and args.index("--lang") + 1 < len(args):
        asked = args[args.index("--lang") + 1]
    lang = resolve_lang(asked if asked in ("ko", "en") else None)
    return ui(lang, "newslint: error: {message}", message=translated(lang, message, "cli"))


def _show_click_error(exc: click.ClickException, argv: list[str] | None) -> None:
    """click's own usage errors, in the language of --lang or of the environment."""
    from .i18n import message as translated, resolve_lang

    args = sys.argv[1:] if argv is None else argv
    asked = next((a.split("=", 1)[1] for a in args if a.startswith("--lang=")), None)
    if "--lang" in args and args.index("--lang") + 1 < len(args):
        asked = args[args.index("--lang") + 1]
    lang = resolve_lang(asked if asked in ("ko", "en") else None)
    if lang == "en":
        exc.show()
        return
    ctx = getattr(exc, "ctx", None)
    if ctx is not None:
        click.echo(ctx.get_usage(), err=True)
        click.echo(translated(lang, f"Try '{ctx.command_path} --help' for help.", "cli"), err=True)
    click.echo("", err=True)
    click.echo(_error_text(exc.format_message(), argv), err=True)


def _exit_status(code: object) -> int:
    if code is None:
        return 0
    if isinstance(code, int):
        return code
    click.echo(str(code), err=True)  # what sys.exit does with a message
    return 1


def main(argv: list[str] | None = None) -> None:
    # What is imported by now (click, newslint) lives as long as the process:
    # the cyclic collector need not walk it again at each full collection
    # (forked workers inherit the freeze).
    gc.freeze()
    # A post's parse is a tree without cycles, freed by reference counting
    # when the post is done: collecting the young generation every 700
    # allocations, as by default, walks objects that are about to go anyway.
    gc.set_threshold(20000, 50, 100)
    sys.exit(run(argv))


def entry() -> None:
    """The ``newslint`` command and ``python -m newslint``: :func:`main`, then
    an exit that does not free the run's objects one by one. A run over a site
    holds every post's facts and findings to the end, and an interpreter's
    normal exit frees each of them, work no one is waiting for (mypy exits the
    same way). Threads still running are waited for, ``atexit`` functions run
    and the standard streams are flushed, as at a normal exit."""
    try:
        main()
        status = 0
    except SystemExit as exc:
        status = _exit_status(exc.code)
    threading = sys.modules.get("threading")
    if threading is not None:
        for thread in threading.enumerate():
            if thread is not threading.main_thread() and not thread.daemon:
                thread.join()
    import atexit

    atexit._run_exitfuncs()
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):  # a closed pipe: what was left unwritten is lost either way
            pass
    os._exit(status & 0xFF)
