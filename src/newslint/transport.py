"""How a pool worker's results travel to the parent: as plain lists (the
cache's row form), which pickle far faster than the dataclasses."""

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


def unpack(packed: tuple | None) -> FileResult | None:
    if packed is None:
        return None
    path, rows, internal_error, fixed, problems, diff, timed_out, facts = packed
    # Facts travel as the JSON the cache keeps: encoded in the worker, the
    # parent stores them as they came.
    return FileResult(path, [decode_violation(row) for row in rows], internal_error, fixed=fixed,
                      problems=[decode_violation(row) for row in problems], diff=diff, timed_out=timed_out,
                      facts=None if facts is None else json.loads(facts), facts_json=facts)


def unpacked(chunks: Iterator[list[Any]]) -> Iterator[Any]:
    for chunk in chunks:
        for packed, dig, sig, read_at in chunk:
            # The rows too: the cache stores them as they came, not encoded again.
            yield unpack(packed), dig, sig, read_at, packed[1] if packed is not None else None
