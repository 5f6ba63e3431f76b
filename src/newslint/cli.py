"""The command line. Thin on purpose: parse flags, call the library, print."""

from __future__ import annotations

import sys

import click

from . import __version__
from .config import ConfigError
from .reporters import REPORTERS
from .runner import EXIT_INTERNAL, EXIT_USAGE, CheckOptions, run_check


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="newslint")
def cli() -> None:
    """newslint: lint and fix Jekyll and Hugo posts."""


@cli.command()
@click.argument("paths", nargs=-1, type=click.Path(exists=True))
@click.option("--format", "fmt", type=click.Choice(sorted(REPORTERS)), default="text", show_default=True,
              help="Output format.")
def check(paths: tuple[str, ...], fmt: str) -> None:
    """Lint posts (folders are walked for .md, .markdown and .html files)."""
    sys.exit(run_check(CheckOptions(paths=paths, format=fmt)))


def _safe_stdio() -> None:
    """Never crash on a console that cannot print Korean or emoji."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.reconfigure(errors="backslashreplace")  # type: ignore[union-attr]
        except (AttributeError, ValueError):
            pass


def main(argv: list[str] | None = None) -> None:
    _safe_stdio()
    try:
        cli.main(args=argv, prog_name="newslint", standalone_mode=False)
    except click.exceptions.Exit as exc:
        sys.exit(exc.exit_code)
    except click.ClickException as exc:
        exc.show()
        sys.exit(EXIT_USAGE)
    except click.exceptions.Abort:
        click.echo("Aborted.", err=True)
        sys.exit(EXIT_USAGE)
    except ConfigError as exc:
        click.echo(f"newslint: error: {exc}", err=True)
        sys.exit(EXIT_USAGE)
    except KeyboardInterrupt:
        sys.exit(130)
    except BrokenPipeError:
        sys.exit(0)
    except Exception as exc:  # an internal error: say so, never a bare traceback
        click.echo(f"newslint: internal error: {type(exc).__name__}: {exc}", err=True)
        sys.exit(EXIT_INTERNAL)
