"""How the work travels to the pool's workers (in chunks of files) and their
results to the parent: as plain lists (the cache's row form), which pickle far
faster than the dataclasses."""

from __future__ import annotations

import json
from typing import Any, Iterator

from .cache import decode_violation, encode_violation, facts_json
from .model import FileResult


def pack(result: FileResult | None) -> tuple | None:
    """A FileResult as plain lists (the cache's row form), to pickle."""
    if result is None:
        return None
    facts = result.facts
    return (result.path, [encode_violation(v) for v in result.violations], result.internal_error, result.fixed,
            [encode_violation(v) for v in result.problems], result.diff, result.timed_out,
            None if facts is None else facts_json(facts))


# The facts are the worker's own JSON, with nothing before or after it to check.
_raw_decode = json.JSONDecoder().raw_decode


def unpack(packed: tuple | None) -> FileResult | None:
    if packed is None:
        return None
    path, rows, internal_error, fixed, problems, diff, timed_out, facts = packed
    # Facts travel as the JSON the cache keeps: encoded in the worker, the
    # parent stores them as they came.
    return FileResult(path, [decode_violation(row) for row in rows], internal_error, fixed=fixed,
                      problems=[decode_violation(row) for row in problems], diff=diff, timed_out=timed_out,
                      facts=None if facts is None else _raw_decode(facts)[0], facts_json=facts)


def unpacked(chunks: Iterator[list[Any]]) -> Iterator[Any]:
    for chunk in chunks:
        for packed, dig, sig, read_at in chunk:
            # The rows too: the cache stores them as they came, not encoded again.
            yield unpack(packed), dig, sig, read_at, packed[1] if packed is not None else None


def chunks(items: list[tuple[str, str | None]], size: int, jobs: int = 1) -> Iterator[list[tuple[str, str | None]]]:
    """Chunks of ``size`` files, smaller towards the end (guided scheduling):
    once fewer than ``4 * jobs * size`` files remain, a chunk is a quarter of
    one worker's share of the rest (never under 4 files: each chunk costs a
    round trip), so no core idles while one worker finishes a large chunk."""
    i, n = 0, len(items)
    while i < n:
        step = max(1, min(size, max(4, (n - i) // (4 * jobs))))
        yield items[i : i + step]
        i += step


def chunk_size(n: int, jobs: int) -> int:
    """About 16 chunks per worker (balance at the end), 4 to 64 files each (IPC cost)."""
    return max(4, min(64, -(-n // (jobs * 16))))
