"""``--changed-since REF``: the files git says changed since REF.

"Changed" means what a reviewer would look at before merging: files added,
copied, modified or renamed between REF and the working tree (so staged and
unstaged edits count), plus untracked files that are not ignored. Deleted files
are not listed (there is nothing to lint). Git is asked with ``-z`` so file
names with Hangul or spaces arrive unquoted.

The result is a set of absolute paths; the runner keeps the discovered files
that are in it, so the given paths, the config's include/exclude and the post
suffixes all still apply.
"""

from __future__ import annotations

import os
import subprocess

from .config import ConfigError

GIT_TIMEOUT = 120  # seconds; a hang guard, never reached on a healthy repository


class GitError(ConfigError):
    """git is missing, the folder is not in a repository, or REF is unknown (exit 2)."""


def _git(args: list[str], cwd: str) -> str:
    try:
        proc = subprocess.run(["git", *args], cwd=cwd, capture_output=True, timeout=GIT_TIMEOUT)
    except FileNotFoundError:
        raise GitError("--changed-since needs git, and git is not installed (not on PATH)") from None
    except subprocess.TimeoutExpired:
        raise GitError(f"--changed-since: `git {' '.join(args)}` did not answer in {GIT_TIMEOUT} s") from None
    except OSError as exc:
        raise GitError(f"--changed-since: cannot run git: {exc}") from None
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip().splitlines()
        raise GitError(_explain(args, err[-1] if err else f"git exited with {proc.returncode}", cwd))
    return proc.stdout.decode("utf-8", "surrogateescape")


def _explain(args: list[str], message: str, cwd: str) -> str:
    if "not a git repository" in message:
        return f"--changed-since: {cwd} is not inside a git repository ({message})"
    if args[:2] == ["rev-parse", "--verify"]:
        ref = args[-1].removesuffix("^{commit}")
        return f"--changed-since: {ref!r} is not a commit git knows in {cwd} (a typo, or a branch not fetched?)"
    if args[:1] == ["diff"]:
        return f"--changed-since: git cannot compare with {args[-2]!r}: {message}"
    return f"--changed-since: git failed: {message}"


def repo_root(path: str) -> str:
    """The top folder of the work tree that holds ``path`` (a GitError outside one)."""
    folder = path if os.path.isdir(path) else (os.path.dirname(path) or ".")
    folder = os.path.abspath(folder)
    top = _git(["rev-parse", "--show-toplevel"], folder).strip()
    if not top:
        raise GitError(f"--changed-since: {folder} is not inside a git work tree")
    return top


def changed_files(ref: str, paths: tuple[str, ...] | list[str] = (".",)) -> set[str]:
    """Absolute paths of the files changed since ``ref`` in the repositories holding ``paths``."""
    if not ref or ref.startswith("-"):
        raise GitError(f"--changed-since: {ref!r} is not a git revision")
    roots: list[str] = []
    for p in paths or (".",):
        top = repo_root(p)
        if top not in roots:
            roots.append(top)
    out: set[str] = set()
    for top in roots:
        # Verify REF first: a clear message for a typo rather than a diff usage error.
        _git(["rev-parse", "--verify", "--quiet", "--end-of-options", f"{ref}^{{commit}}"], top) \
            if _has_end_of_options() else _git(["rev-parse", "--verify", "--quiet", f"{ref}^{{commit}}"], top)
        diff = _git(["diff", "--name-only", "-z", "--no-renames", "--diff-filter=ACMRT", ref, "--"], top)
        untracked = _git(["ls-files", "-z", "--others", "--exclude-standard", "--full-name"], top)
        for name in (diff + untracked).split("\0"):
            if name:
                out.add(os.path.normpath(os.path.join(top, name)))
    return out


_EOO: bool | None = None


def _has_end_of_options() -> bool:
    """git >= 2.24 understands ``--end-of-options`` (we refuse refs starting with '-' anyway)."""
    global _EOO
    if _EOO is None:
        try:
            out = subprocess.run(["git", "--version"], capture_output=True, timeout=GIT_TIMEOUT).stdout.decode()
            major, minor = (int(x) for x in out.split()[2].split(".")[:2])
            _EOO = (major, minor) >= (2, 24)
        except (OSError, ValueError, IndexError, subprocess.TimeoutExpired):
            _EOO = False
    return _EOO


def keep_changed(files: list[str], changed: set[str]) -> list[str]:
    """The ``files`` (as discovered, order kept) that are in ``changed``."""
    out = []
    for f in files:
        full = os.path.normpath(os.path.abspath(f))
        if full in changed or os.path.realpath(full) in changed:
            out.append(f)
    return out
