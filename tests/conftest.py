from __future__ import annotations

import io
import os
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Mapping, Sequence

import pytest

from newslint.config import Config
from newslint.document import Document
from newslint.linter import lint_document
from newslint.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
REFERENCE = SHARED / "examples" / "busan-digital-twin.md"

needs_shared = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")

# The language of messages follows the locale (LANG=ko_KR.UTF-8 means Korean):
# the tests pin English, as on most machines, and ask for Korean with --lang.
for _var in ("LC_ALL", "LC_MESSAGES"):
    os.environ.pop(_var, None)
os.environ["LANG"] = "C.UTF-8"

# Every rule newslint ships (built-in and shipped packs, no plugins), for tests
# that go through them all.
_REGISTRY = Registry.build(plugins=False)
ALL_RULES = _REGISTRY.rules
RULES_BY_NAME = _REGISTRY.by_name
RULES_BY_CODE = _REGISTRY.by_code


def lint_text(text: str, path: str = "post.md", select: list[str] | None = None, config: Config | None = None):
    """Lint a post given as text; returns the violations."""
    config = config or Config()
    if select is not None:
        config.select = select
    return lint_document(Document.from_text(text, path), config)


@pytest.fixture
def lint():
    return lint_text


@pytest.fixture
def ram_tmp_path(tmp_path: Path):
    """A scratch folder in memory (tmpfs, /dev/shm) where the system has one,
    else ``tmp_path``: for tests that copy and rewrite thousands of posts, where
    a disk's journal and fsync cost more than the code under test. Removed after
    the test."""
    shm = Path("/dev/shm")
    if not (shm.is_dir() and os.access(shm, os.W_OK)):
        yield tmp_path
        return
    folder = Path(tempfile.mkdtemp(prefix="newslint-test-", dir=shm))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Result:
    """What a run of the command line gave (the fields of subprocess.CompletedProcess)."""

    returncode: int
    stdout: str | bytes
    stderr: str | bytes


def run_cli(args: Sequence[str | os.PathLike[str]], cwd: str | os.PathLike[str] | None = None,
            env: Mapping[str, str] | None = None, input: str | bytes | None = None, text: bool = True) -> Result:
    """`newslint ARGS` run in this process, as `python -m newslint ARGS` would run it
    with its standard streams on pipes: ``cwd`` and ``env`` (the whole environment,
    as subprocess takes it) hold for the run only; stdout and stderr come back as
    text (UTF-8) or, with ``text=False``, bytes.

    A subprocess pays for an interpreter start and every import on each call;
    keep it for what only a process shows (the status the shell sees, signals,
    the console's encoding: variables such as PYTHONIOENCODING act at start-up,
    not here; `python -m newslint` itself).
    """
    from newslint import cli

    out, err = io.BytesIO(), io.BytesIO()
    # Pipes, as a subprocess would have them: not terminals (no colour, no
    # progress bar); stderr escapes what it cannot encode, stdout does not.
    stdout = io.TextIOWrapper(out, encoding="utf-8", errors="strict", newline="\n", write_through=True)
    stderr = io.TextIOWrapper(err, encoding="utf-8", errors="backslashreplace", newline="\n", write_through=True)
    data = input.encode("utf-8") if isinstance(input, str) else (input or b"")
    stdin = io.TextIOWrapper(io.BytesIO(data), encoding="utf-8")
    saved_streams = sys.stdin, sys.stdout, sys.stderr
    saved_cwd, saved_env = os.getcwd(), dict(os.environ)
    try:
        if env is not None:
            os.environ.clear()
            os.environ.update(env)
        if cwd is not None:
            os.chdir(cwd)
        sys.stdin, sys.stdout, sys.stderr = stdin, stdout, stderr
        code = cli.run([os.fspath(a) for a in args])
        stdout.flush()
        stderr.flush()
        raw_out, raw_err = out.getvalue(), err.getvalue()
    finally:
        sys.stdin, sys.stdout, sys.stderr = saved_streams
        os.chdir(saved_cwd)
        if os.environ != saved_env:
            os.environ.clear()
            os.environ.update(saved_env)
    if text:
        return Result(code, raw_out.decode("utf-8"), raw_err.decode("utf-8"))
    return Result(code, raw_out, raw_err)


# Property tests run the same examples on every run (a red CI is then a real
# regression, not a new random draw); explore more with
# `pytest --hypothesis-profile=explore` or bench/fuzz_long.py.
from hypothesis import settings as _hsettings  # noqa: E402

_hsettings.register_profile("default", derandomize=True)
_hsettings.register_profile("explore", derandomize=False, max_examples=2000)
_hsettings.load_profile("default")
