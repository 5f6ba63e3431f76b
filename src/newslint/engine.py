"""Running the linter over many files: the cache, the process pool, shards.

:func:`lint_files` is the one entry point. For each file, in the order given:

1. the cache is asked first, by stat signature (no read) and then by content
   digest (see :mod:`newslint.cache`);
2. the files the cache cannot answer are linted, on a process pool when
   there are enough of them to pay for it (``jobs`` > 1), in chunks, each
   file read once, hashed and parsed once (:func:`newslint.linter.lint_bytes`);
3. results come back in input order, one at a time: nothing holds a
   Document once its file's findings are out, and the parent keeps only what
   the caller keeps.

On Linux the pool is :class:`newslint.forkpool.ForkPool` (``os.fork``, pipes,
no helper threads; a worker that dies costs only the file that killed it):
the workers inherit the imported modules and the configuration, so starting
one costs a few milliseconds, not the 150 ms of a fresh interpreter importing
newslint. Elsewhere it is a spawning ``multiprocessing`` pool. The parent
freezes its heap (``gc.freeze``) before forking, so the collector in a worker
never walks (and never copies on write) the inherited modules. We measured
raising the collector's thresholds and disabling it with a periodic
collection: both were slower (10-20 %) than the default thresholds, so those
stay.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Callable, Iterator, Sequence

from ._hashing import blake2b
from .cache import (Cache, config_fingerprint, decode_violation, default_cache_dir, digest, encode_violation,
                    stat_signature)
from .config import Config, ConfigError
from .model import FileResult

# The linter (and with it the parsers: pyromark, html.parser, the YAML loader)
# is imported only when a file must be linted: a warm run answered by the
# cache never loads it. The parent imports it before the pool forks, so the
# workers inherit it.

# Fewer files than this are linted in-process: forking workers would cost more.
MIN_FILES_FOR_POOL = 24
# Cache entries looked up per query (and held at once).
_LOOKUP_BATCH = 256
# What phase 1 of lint_files decides for each file.
_MISS, _HIT, _CLEAN = 0, 1, 2


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


# -- shards ---------------------------------------------------------------------
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


# -- workers ------------------------------------------------------------------------
# Set in the parent before the pool forks (inherited), or by _init_worker (spawn).
_STATE: dict[str, Any] = {}


def _init_worker(state: dict[str, Any] | None = None) -> None:
    from .limits import keep_alarm_handler

    keep_alarm_handler()
    if state is not None:
        _STATE.update(state)
    if _STATE.get("rules") is None and _STATE.get("config") is not None:
        _STATE["rules"] = _STATE["config"].enabled_rules()
    gc.freeze()


def _rules() -> Any:
    """The enabled rules, resolved (and the rule modules imported) on first use:
    a run the cache answers entirely never needs them."""
    rules = _STATE.get("rules")
    if rules is None:
        rules = _STATE["rules"] = _STATE["config"].enabled_rules()
    return rules


def _lint_one(path: str, expected: str | None) -> tuple[FileResult | None, str | None, tuple | None, int]:
    """Read, hash and lint one file.

    Returns (result, digest, stat signature, read time); result is None when
    the digest equals ``expected`` (the cache holds the findings already).
    """
    config = _STATE["config"]
    rules = _rules()
    hashing = _STATE["hashing"]
    from .limits import size_limit, too_large_violation  # with the rules: only when linting
    read_at = time.time_ns()
    try:
        with open(path, "rb") as fh:
            st = os.fstat(fh.fileno())
            limit = size_limit(config, rules, path)
            if limit and st.st_size > limit:  # never read (limits.py)
                return FileResult(path, [too_large_violation(config, path, st.st_size, limit)]), None, None, read_at
            raw = fh.read()
    except OSError:
        # Let the linter word the problem (it reads again and fails the same way).
        return _lint_path(path, config, rules), None, None, read_at
    if hashing:
        dig = digest(raw)
        if expected is not None and dig == expected:
            return None, dig, stat_signature(st), read_at
    from .linter import lint_bytes  # here: an unchanged file needs no parser

    if not hashing:
        return lint_bytes(path, raw, config, rules), None, None, read_at
    result = lint_bytes(path, raw, config, rules)
    if result.violations and result.violations[0].rule == "file-timeout":
        return result, None, None, read_at  # depends on the machine's load: never cached
    return result, dig, stat_signature(st), read_at


def _lint_path(path: str, config: Config, rules: Any) -> FileResult:
    from .linter import lint_path

    return lint_path(path, config, rules)


def _prepare_rules(config: Config, rules: Any) -> None:
    """Let rules load what they need before the first file (a rule's
    ``prepare(options)`` classmethod, when it has one): in the parent before a
    pool forks, so the workers share it, or in an early pool's worker as it
    starts. A failure here is ignored: the rule reports it on the files it
    checks, as it would have without this."""
    for rule in rules:
        prepare = getattr(rule, "prepare", None)
        if prepare is None:
            continue
        try:
            prepare(config.options_for(rule))
        except Exception:
            pass


def _lint_chunk(chunk: list[tuple[str, str | None]]) -> list[tuple[Any, str | None, tuple | None, int]]:
    """A worker's answer for a chunk: :func:`_lint_one`'s, each result packed
    (:func:`_pack`) for the trip back to the parent."""
    return [(_pack(result), dig, sig, read_at) for result, dig, sig, read_at in
            (_lint_one(path, expected) for path, expected in chunk)]


def _pack(result: FileResult | None) -> tuple | None:
    """A FileResult as plain lists (the cache's row form, any ``extra`` kept as
    it is), to pickle: pickling the dataclasses themselves went through
    dataclasses' Python-level ``__getstate__``/``__setstate__`` for every
    finding, 0.25 s of CPU per corpus run between the workers and the parent."""
    if result is None:
        return None
    return (result.path, [encode_violation(v) for v in result.violations], result.internal_error)


def _unpack(packed: tuple | None) -> FileResult | None:
    if packed is None:
        return None
    path, rows, internal_error = packed
    return FileResult(path, [decode_violation(row) for row in rows], internal_error)


def _lost_file(item: tuple[str, str | None], why: str) -> tuple[Any, None, None, int]:
    """The answer for a file whose worker process died, and died again when it
    was linted alone (forkpool.isolate): an internal error, the run goes on."""
    from .forkpool import WorkerDied
    from .linter import internal_error_violation

    path = item[0]
    result = FileResult(path, [internal_error_violation(path, WorkerDied(why))], internal_error=True)
    return _pack(result), None, None, time.time_ns()


def _linted_in(pool: Any, misses: list[tuple[str, str | None]], size: int, jobs: int) -> Iterator[Any]:
    for chunk in pool.imap(_lint_chunk, _chunks(misses, size, jobs)):
        for packed, dig, sig, read_at in chunk:
            # The rows too: the cache stores them as they came, not encoded again.
            yield _unpack(packed), dig, sig, read_at, packed[1] if packed is not None else None


def _chunks(items: list[tuple[str, str | None]], size: int, jobs: int = 1) -> Iterator[list[tuple[str, str | None]]]:
    """Chunks of ``size`` files, smaller towards the end (guided scheduling).

    The last chunks are what one worker is still linting while the others
    have nothing left: with a fixed 64 files the run ended with one core
    idle for the ~0.3 s of that worker's last chunk. Once fewer than
    ``4 * jobs * size`` files remain, a chunk is a quarter of one worker's
    share of the rest (never under 4 files: each chunk costs a round trip).
    """
    i, n = 0, len(items)
    while i < n:
        step = max(1, min(size, max(4, (n - i) // (4 * jobs))))
        yield items[i : i + step]
        i += step


def chunk_size(n: int, jobs: int) -> int:
    """About 16 chunks per worker (balance at the end), 4 to 64 files each (IPC cost)."""
    return max(4, min(64, -(-n // (jobs * 16))))


def _pool_context():
    import multiprocessing

    if sys.platform.startswith("linux"):
        return multiprocessing.get_context("fork")
    return multiprocessing.get_context("spawn")


def _lint_pool(processes: int, initializer: Callable[..., None], initargs: tuple = ()) -> Any:
    """The workers that lint: a :class:`~newslint.forkpool.ForkPool` on Linux
    (forked at once, no helper threads, no multiprocessing import), a spawning
    ``multiprocessing`` pool elsewhere."""
    if _forks():
        from .forkpool import ForkPool

        return ForkPool(processes, initializer, initargs, lost=_lost_file)
    return new_pool(_pool_context(), processes, initializer=initializer, initargs=initargs)


def _forks() -> bool:
    return sys.platform.startswith("linux") and hasattr(os, "fork")


def new_pool(ctx: Any, processes: int, initializer: Callable[..., None] | None = None, initargs: tuple = ()) -> Any:
    """``ctx.Pool(...)``, minus a busy loop in its worker-handler thread.

    That thread waits on the workers' exit sentinels, the pool's change
    notifier and the result pipe, and keeps the pool staffed. The result pipe
    is readable from the moment a worker starts writing a chunk's results
    until the result-handler thread has read them all, and the handler spins
    through that whole time (wait returns at once, it checks every worker,
    waits again): 0.07-0.09 s of the parent's CPU per corpus run, taken
    from the workers' two cores. Without the result pipe among its sentinels
    it still wakes when a worker exits or the pool's state changes, which is
    all it acts on (we use no ``maxtasksperchild``).
    """
    from multiprocessing.pool import Pool

    class _Pool(Pool):
        def _get_sentinels(self):  # CPython 3.8+; Pool's own adds self._outqueue._reader
            return [self._change_notifier._reader]

    if not hasattr(Pool, "_get_sentinels"):  # pragma: no cover - another Pool: use it as it is
        return ctx.Pool(processes, initializer=initializer, initargs=initargs)
    return _Pool(processes, initializer=initializer, initargs=initargs, context=ctx)


# -- a pool forked before discovery --------------------------------------------------
# A forked worker maps every page its parent had at the fork, and its RSS counts
# them: forked after discovery, each worker carries the whole file list (and the
# parent's other per-file state) as its own, so memory grew with the archive.
# `newslint check` on folders forks the pool first, while the parent is small;
# the workers load the rules (and the parsers) as they start.
_EARLY: dict[str, Any] = {}


def _init_loading_worker() -> None:
    """A pool worker forked before the rules were loaded: load them now."""
    from .limits import keep_alarm_handler

    keep_alarm_handler()
    try:
        from . import linter  # noqa: F401

        _prepare_rules(_STATE["config"], _rules())
    except Exception:
        # Never fail here (the pool would start a new worker, again and again):
        # the first file asks for the rules again and the parent gets the error.
        _STATE["rules"] = None
    gc.freeze()


def prefork(config: Config, jobs: int | None, use_cache: bool,
            cache_dir: str | os.PathLike[str] | None = None) -> bool:
    """Start the worker pool now (fork only); lint_files() uses it. Returns True if started.

    Not when this configuration's cache exists: a warm run lints few files (or
    none), and forking workers it may not need would cost it more than it saves.
    """
    jobs = default_jobs() if jobs is None or jobs < 1 else jobs
    if jobs <= 1 or _EARLY:
        return False
    if use_cache:
        directory = cache_dir if cache_dir is not None else default_cache_dir(getattr(config, "root", None))
        if (Path(directory) / f"{config_fingerprint(config)}.sqlite3").exists():
            return False
    if not _forks():
        return False
    # The workers load the linter, the rules and what the rules prepare
    # (the schema, the packs' prefilters) themselves, in their initializer,
    # while the parent walks the folders and reads the cache: the parent never
    # needs them. Loading them here first, for the workers to inherit, saved
    # their CPU but made them wait for it (~0.05 s more before the first file).
    _STATE.clear()
    _STATE.update(config=config, rules=None, hashing=use_cache)
    try:
        pool = _lint_pool(jobs, _init_loading_worker)
    finally:
        _STATE.clear()
    _EARLY.update(pool=pool, config=config, jobs=jobs, hashing=use_cache)
    return True


def release_prefork() -> None:
    """Stop the early pool (idempotent)."""
    pool = _EARLY.get("pool")
    _EARLY.clear()
    if pool is not None:
        pool.close()
        pool.join()


def _early_pool(config: Config, jobs: int, hashing: bool):
    if _EARLY.get("config") is config and _EARLY.get("jobs") == jobs and _EARLY.get("hashing") == hashing:
        return _EARLY["pool"]
    return None


# -- the entry point ---------------------------------------------------------------
def lint_files(
    files: Sequence[str],
    config: Config,
    jobs: int | None = None,
    cache_dir: str | os.PathLike[str] | None = None,
    *,
    use_cache: bool = True,
    on_file: Callable[[FileResult], None] | None = None,
    stats: dict[str, Any] | None = None,
) -> Iterator[FileResult]:
    """Lint ``files``; yields one FileResult per file, in the order given.

    ``jobs``: worker processes (None: every core; 1: in-process).
    ``cache_dir``: where the cache lives (None: ``.newslint_cache`` under the
    config root). ``use_cache=False`` neither reads nor writes it.
    ``stats``, when given, is filled with counters (files, cached, linted, jobs).
    """
    files = list(files)
    jobs = default_jobs() if jobs is None or jobs < 1 else jobs
    cache: Cache | None = None
    if use_cache:
        directory = cache_dir if cache_dir is not None else default_cache_dir(getattr(config, "root", None))
        cache = Cache(directory, config_fingerprint(config))

    # Phase 1: which files the cache answers by stat alone (no read).
    # plan: _MISS, _HIT (answered by stat, findings to fetch) or _CLEAN (answered
    # by stat, no finding: nothing more to look up; most posts on a warm run).
    plan: list[int] = []
    misses: list[tuple[str, str | None]] = []
    if cache is None:
        plan = [_MISS] * len(files)
        misses = [(path, None) for path in files]
    else:
        stat, stat_ok, is_clean, digest_of = os.stat, Cache.stat_ok, Cache.is_clean, Cache.digest_of
        for i in range(0, len(files), _LOOKUP_BATCH):
            batch = files[i:i + _LOOKUP_BATCH]
            looked_up = cache.entries(batch, rows=False)  # one query per batch, memory bounded by it
            get = looked_up.get
            for path in batch:
                entry = get(path)
                if entry is not None:
                    try:
                        st = stat(path)
                    except OSError:
                        st = None
                    if st is not None and stat_ok(entry, st):
                        plan.append(_CLEAN if is_clean(entry) else _HIT)
                        continue
                plan.append(_MISS)
                misses.append((path, digest_of(entry)))

    use_pool = jobs > 1 and len(misses) >= MIN_FILES_FOR_POOL
    early = _early_pool(config, jobs, cache is not None) if use_pool else None
    if misses and early is None:
        from . import linter  # noqa: F401  (before the pool forks: the workers inherit it)

    _STATE.clear()
    # With the early pool the workers have the rules; here they are loaded
    # only if this process must lint a file after all (a corrupt entry).
    _STATE.update(config=config, rules=config.enabled_rules() if misses and early is None else None,
                  hashing=cache is not None)
    if stats is not None:
        stats.update(files=len(files), cached_by_stat=len(files) - len(misses), linted=0,
                     cached_by_digest=0, jobs=jobs if use_pool else 1)

    pool = None
    try:
        if early is not None:  # forked before discovery (prefork): the rules load in the workers
            size = chunk_size(len(misses), jobs)
            linted = _linted_in(early, misses, size, jobs)
        elif use_pool:
            forks = _forks()
            if forks:
                _prepare_rules(config, _rules())
            gc.freeze()  # the children inherit a frozen heap: fewer copy-on-write pages
            state = None if forks else {"config": config, "rules": None, "hashing": cache is not None}
            pool = _lint_pool(min(jobs, len(misses)), _init_worker, (state,))
            size = chunk_size(len(misses), jobs)
            linted: Iterator[Any] = _linted_in(pool, misses, size, jobs)
        else:
            linted = ((*_lint_one(path, expected), None) for path, expected in misses)

        miss_iter = iter(misses)
        fetched: dict[str, tuple[Any, ...]] = {}  # the findings of the next hits, a batch at a time
        for i, (path, kind) in enumerate(zip(files, plan)):
            by_stat = kind != _MISS
            if kind == _CLEAN:
                result = cache.take_clean(path)  # type: ignore[union-attr]
            elif by_stat:
                if path not in fetched:
                    fetched = cache.entries([p for p, h in zip(files[i:i + _LOOKUP_BATCH], plan[i:i + _LOOKUP_BATCH])  # type: ignore[union-attr]
                                             if h == _HIT])
                result = cache.take(path, fetched.pop(path, None))  # type: ignore[union-attr]
            else:
                result = None
            if by_stat and result is None:  # a corrupt entry: lint it here
                result = _lint_path(path, config, _rules())
            elif not by_stat:
                next(miss_iter)
                result, dig, sig, read_at, rows = next(linted)
                if result is None:  # unchanged content, new stat: reuse
                    result = cache.lookup_digest(path, dig, sig, read_at)  # type: ignore[union-attr]
                    if result is None:  # the entry vanished or is corrupt: lint here
                        result = _lint_path(path, config, _rules())
                        if stats is not None:
                            stats["linted"] += 1
                    elif stats is not None:
                        stats["cached_by_digest"] += 1
                else:
                    if stats is not None:
                        stats["linted"] += 1
                    if cache is not None and dig is not None and sig is not None:
                        cache.store(result, dig, sig, read_at, rows)
            if on_file is not None:
                on_file(result)
            yield result
        if pool is not None:
            pool.close()
            pool.join()
            pool = None
        if cache is not None:
            cache.save()
    finally:
        if pool is not None:
            pool.terminate()
            pool.join()
        if use_pool and early is None:
            gc.unfreeze()
        _STATE.clear()
