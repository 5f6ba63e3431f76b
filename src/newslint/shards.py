"""Splitting a run across CI jobs: ``--shard K/N`` lints a stable share of the files."""

from __future__ import annotations

import os
from dataclasses import dataclass
from typing import Sequence

from ._hashing import blake2b
from .config import ConfigError


@dataclass(frozen=True)
class Shard:
    """Shard ``index`` (1-based) of ``count``."""

    index: int
    count: int

    @classmethod
    def parse(cls, text: str) -> "Shard":
        """``"K/N"`` with 1 <= K <= N; a ConfigError (exit 2) otherwise."""
        parts = text.strip().split("/")
        try:
            if len(parts) != 2:
                raise ValueError
            k, n = int(parts[0]), int(parts[1])
        except ValueError:
            raise ConfigError(f"--shard must look like K/N (for example 2/4), not {text!r}") from None
        if n < 1 or not 1 <= k <= n:
            raise ConfigError(f"--shard {text}: K must be between 1 and N, and N at least 1")
        return cls(k, n)

    def __str__(self) -> str:
        return f"{self.index}/{self.count}"


def shard_of(rel_path: str, count: int) -> int:
    """The 1-based shard a path belongs to: a stable hash of its relative path.

    A hash, not round-robin over the sorted list, so adding a post never moves
    the other posts to another shard (each CI job keeps its warm cache).
    """
    h = blake2b(rel_path.replace(os.sep, "/").encode("utf-8", "surrogatepass"), digest_size=8).digest()
    return int.from_bytes(h, "big") % count + 1


def select_shard(files: Sequence[str], shard: Shard | None, root: str | os.PathLike[str] | None = None) -> list[str]:
    """The files of ``shard`` (all files when ``shard`` is None), order kept.

    Paths are hashed relative to ``root`` (the config root), so every job of a
    CI matrix agrees whatever folder the checkout lives in.
    """
    if shard is None or shard.count == 1:
        return list(files)
    base = os.path.abspath(root) if root is not None else os.getcwd()
    out = []
    for f in files:
        rel = os.path.relpath(os.path.abspath(f), base)
        if shard_of(rel, shard.count) == shard.index:
            out.append(f)
    return out
