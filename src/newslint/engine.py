"""The run object: one engine for `newslint check`, `--fix` and `--diff`.

A :class:`Linting` owns everything one run needs: the configuration, its
rule registry (built once, through the config), the results cache and the
worker pool. Nothing lives in module variables, so two runs with different
configurations can be advanced side by side in one process.

:meth:`Linting.lint_files` yields one :class:`~newslint.model.FileResult` per
file, in the order given:

1. the cache is asked first, by stat signature (no read) and then by content
   digest (see :mod:`newslint.cache`);
2. the files the cache cannot answer are linted (or fixed), on a process pool
   when there are enough of them to pay for it, in chunks, each file read,
   hashed and parsed once;
3. results come back in input order, one at a time: no Document is held
   after its file's findings. A fixed file is cached after the fix.

The pool is :class:`newslint.forkpool.ForkPool` where the system can fork:
the workers inherit the run object (a few milliseconds to start one); a
worker that dies costs only the file that killed it. Elsewhere: one process.
"""

from __future__ import annotations

import gc
import os
import sys
import time
from pathlib import Path
from typing import Any, Callable, Iterator, NamedTuple, Sequence

from .cache import CLEAN as _CLEAN, HIT as _HIT, LOOKUP_BATCH as _LOOKUP_BATCH, Cache, default_cache_dir, digest, \
    stat_signature
from .cache import fetch_hits as _fetch, plan_lookups as _plan
from .fingerprint import config_fingerprint
from .config import CONFIG_NAMES, Config
from .discovery import FolderNames
from .model import FileResult
from .ruleindex import site_rules_of

# Below this many files to lint, forking workers costs more than it saves
# (`bench/run --pool-crossover`; bench/README.md has the figures).
MIN_FILES_FOR_POOL = 64
# The run's own configuration, where a configuration key is asked for.
_PRIMARY = object()
_PLANNED = object()  # a file the cache's lookup answered (see _merge)


def default_jobs() -> int:
    try:
        return max(1, len(os.sched_getaffinity(0)))  # type: ignore[attr-defined]
    except (AttributeError, OSError):
        return max(1, os.cpu_count() or 1)


def can_fork() -> bool:
    return hasattr(os, "fork") and sys.platform != "win32"


class FixMode(NamedTuple):  # not a dataclass: every run defines it, and a dataclass is slow to define
    """``--fix`` (``write``) or ``--diff`` (not ``write``), with or without unsafe fixes."""
    unsafe: bool = False
    write: bool = True


class Linting:
    """One run: its config, registry, cache and pool. Use it as a context
    manager (or call :meth:`close`) so the pool is stopped."""

    def __init__(self, config: Config, *, jobs: int | None = None, cache_dir: str | os.PathLike[str] | None = None,
                 use_cache: bool = True, fix: FixMode | None = None, configs: Any = None) -> None:
        # ``config``: the run's own (its root holds the cache); ``configs`` (a
        # ConfigSet), when given, picks each file's nearest configuration.
        self.config = config
        self.configs = configs
        self.primary: str | None = None if configs is None or config.source is None else str(config.source)
        self.jobs = default_jobs() if jobs is None or jobs < 1 else jobs
        self.use_cache = use_cache
        self.cache_dir = cache_dir
        self.fix = fix
        self._prepared: dict[str | None, Any] = {}
        self._linter: Any = None  # newslint.linter, once a file is linted here
        self._pool: Any = None
        self._keys: dict[Any, str] = {}
        self._caches: dict[Any, Cache] = {}
        from .site.find import QUIET_NAMES, SiteFinder

        self.sites = SiteFinder(str(self._cache_path()) if use_cache else None)
        self.listed = FolderNames(CONFIG_NAMES + (".git",), QUIET_NAMES)  # what the walk saw of each folder
        self._abs_keys: dict[str, tuple[str | None, str | None]] = {}  # a folder (absolute) -> its files' key
        self._sites: dict[str | None, Any] = {}  # site root -> Site
        self._folder_keys: dict[str, tuple[str | None, str | None]] = {}  # a file's folder as written -> its key
        self._keys_memo: tuple[list[str], list[Any], list[Any]] | None = None  # keys_for's last files, keys, distinct keys
        self._site_rule_memo: dict[str | None, list[Any]] = {}
        self._clock_memo: dict[str | None, frozenset[str]] = {}
        self.walked: tuple[list[str], list[str]] = ([], [])  # (folders walked, files found): reused by the site phase
        self.site_files: dict[str, list[str]] = {}  # site root -> its content files
        self.facts_memo: dict[str, tuple[tuple, dict]] = {}  # path -> (stat signature, facts) parsed here
        self.site_indexes: dict[str, Any] = {}  # site root -> (SiteIndex, the thread making its URL map)
        self.replay: Any = None  # a check's kept report (replay.Replay): it gets each file's stat signature

    # -- the rules -------------------------------------------------------------------
    # A file's key is (its configuration's key, its site's root): the two
    # things besides its content that decide its findings.
    def config_for(self, key: Any) -> Config:
        if isinstance(key, tuple):
            key = key[0]
        if self.configs is None or key == self.primary:
            return self.config
        return self.configs.get(key)

    def key_for(self, path: str) -> tuple[str | None, str | None]:
        # Both halves are decided by the file's folder: asked once per folder as written.
        folder = path.rpartition(os.sep)[0] or (os.sep if path.startswith(os.sep) else "")
        got = self._folder_keys.get(folder)
        if got is None:
            listed = self.listed
            folder_abs = listed.abs_of.get(folder) or os.path.abspath(folder or ".")
            if folder_abs in listed.quiet:  # no config or site of its own: its parent's key
                got = self._abs_keys.get(folder_abs.rpartition(os.sep)[0])
            if got is None:
                ckey = self.primary if self.configs is None else self.configs.key_for_folder(folder_abs, listed)
                config = self.config_for(ckey)
                site = self.sites.site_for_folder(folder_abs, config.generator, str(config.root))
                self._sites.setdefault(site.root, site)
                got = (ckey, site.root)
            self._folder_keys[folder] = self._abs_keys[folder_abs] = got
        return got

    def keys_for(self, files: Sequence[str]) -> list[tuple[str | None, str | None]]:
        """``key_for`` of each file (the last list's answer is kept: a run asks twice of its files)."""
        memo = self._keys_memo
        if memo is not None and memo[0] == files:
            return memo[1]
        keys, last, key = [], None, None
        distinct: dict[Any, None] = {}
        for path in files:
            folder = path.rpartition(os.sep)[0]
            if folder != last:
                key, last = self.key_for(path), folder
                distinct[key] = None
            keys.append(key)
        self._keys_memo = (list(files), keys, list(distinct))
        return keys

    def distinct_keys(self, files: Sequence[str]) -> list[tuple[str | None, str | None]]:
        """The different keys among ``files``' (hashed once per folder, not per file)."""
        self.keys_for(files)
        return self._keys_memo[2]  # type: ignore[index]

    def site_of(self, key: Any) -> Any:
        """The Site of a file key (a pool worker finds it again from the root)."""
        root = key[1] if isinstance(key, tuple) else None
        got = self._sites.get(root)
        if got is None and root is None:
            from .site import NO_SITE

            got = self._sites[None] = NO_SITE
        if got is None:
            config = self.config_for(key)
            got = self._sites[root] = self.sites.site_for_folder(root, config.generator, str(config.root))
        return got

    def prepared(self, key: Any = _PRIMARY) -> Any:
        """The enabled rules with their options and severities under the
        configuration ``key`` (the rule modules are imported here, on first
        use: a run the cache answers never needs them)."""
        if key is _PRIMARY:
            key = self.primary
        elif isinstance(key, tuple):
            key = key[0]
        got = self._prepared.get(key)
        if got is None:
            from . import linter

            self._linter = linter
            got = self._prepared[key] = linter.Prepared(self.config_for(key))
        return got

    def _cache_path(self) -> Path:
        directory = self.cache_dir if self.cache_dir is not None else default_cache_dir(self.config.root)
        return Path(directory)

    def _fingerprint(self, key: Any = _PRIMARY) -> str:
        """The cache's name for a file key: the configuration's fingerprint,
        then the site's signature and its template files' (none outside a site)."""
        if key is _PRIMARY:
            key = (self.primary, None)
        got = self._keys.get(key)
        if got is None:
            from .fingerprint import plugins_signature

            config = self.config_for(key)
            if config.known_plugins is None:
                config.known_plugins = plugins_signature(self._cache_path())
            got = config_fingerprint(config, self._cache_path())
            site = self.site_of(key)
            if site.signature:
                got = f"{got}-{site.signature}"
                templates = self.sites.templates_signature(site)
                if templates:
                    got = f"{got}-{templates}"
            self._keys[key] = got
        return got

    def _cache(self, key: Any) -> Cache | None:
        """The results cache of configuration ``key`` (one file per configuration)."""
        if not self.use_cache:
            return None
        got = self._caches.get(key)
        if got is None:
            got = self._caches[key] = Cache(self._cache_path(), self._fingerprint(key))
        return got

    def _site_rules(self, key: Any) -> list[Any]:
        """The enabled checks across the site under the configuration of ``key``."""
        got = self._site_rule_memo.get(key[0]) if isinstance(key, tuple) else None
        if got is None:
            got = site_rules_of(self.config_for(key))  # no prepared(): no linter loaded for this
            if isinstance(key, tuple):
                self._site_rule_memo[key[0]] = got
        return got

    def _clock_rules(self, key: Any) -> frozenset[str]:
        """The rules whose findings depend on the clock under the configuration
        of ``key``: a result holding one of their findings is never cached."""
        ckey = key[0] if isinstance(key, tuple) else key
        got = self._clock_memo.get(ckey)
        if got is None:
            try:
                rules = self.config_for(key).all_rules()
            except Exception:  # no registry: no rule ran, the findings are the engine's own
                rules = []
            got = self._clock_memo[ckey] = frozenset(r.name for r in rules if r.depends_on_clock)
        return got

    # -- the pool --------------------------------------------------------------------
    def start_pool(self) -> bool:
        """Load the rules and fork the workers now, while the walk goes on:
        the workers share what the rules loaded, and the walk's end is not
        what they wait for. Not when this configuration's cache exists: a
        warm run lints few files, if any. True if started."""
        if self._pool is not None or self.jobs <= 1 or not can_fork():
            return False
        if self.use_cache and any(self._cache_path().glob(f"{self._fingerprint()}*.sqlite3")):
            return False
        try:
            self._prepare_rules()
        except Exception:
            # Each file asks again in the worker, and the error becomes a finding.
            self._prepared.clear()
        self._pool = self._new_pool(self.jobs)
        return True

    def _new_pool(self, processes: int) -> Any:
        from .forkpool import ForkPool

        gc.freeze()  # what the rules loaded lives as long as the run: the workers inherit it frozen
        return ForkPool(processes, self._chunk, self._worker_start, (), lost=self._lost_file)

    def _worker_start(self) -> None:
        from .limits import keep_alarm_handler
        keep_alarm_handler()

    def _prepare_rules(self) -> None:
        """Let rules load what they need before the first file (a rule's
        ``prepare(options)`` classmethod, when it has one). A failure here is
        ignored: the rule reports it on the files it checks."""
        # Else each worker imports them on its first post: kramdown's reader, and the facts of the site checks.
        if any(site.markdown == "kramdown" for site in self.sites.found()):
            from . import kramdown  # noqa: F401
        if any(site.root is not None for site in self.sites.found()) and site_rules_of(self.config):
            from .site import facts  # noqa: F401
        for rule, options, _severity in self.prepared().table:
            prepare = getattr(rule, "prepare", None)
            if prepare is not None:
                try:
                    prepare(options)
                except Exception:
                    pass

    def close(self) -> None:
        pool, self._pool = self._pool, None
        if pool is not None:
            pool.terminate()

    def __enter__(self) -> "Linting":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- one file --------------------------------------------------------------------
    def lint_path(self, path: str) -> FileResult:
        """Read and lint (or fix) one file here, without the cache. Never raises."""
        return self._one(path, None, self.key_for(path))[0]

    def _one(self, path: str, expected: str | None,
             key: Any) -> tuple[FileResult | None, str | None, tuple | None, int]:
        """Read, hash and lint (or fix) one file: (result, digest, stat signature, read time).

        The result is None when the digest equals ``expected`` (the cache holds
        the findings already). Digest and signature are None when the result
        must not be cached (it depends on the machine's load, or on a fix not
        written)."""
        if self.fix is not None:
            return self._fix_one(path, key)
        prepared = self.prepared(key)
        linter = self._linter  # imported by self.prepared()
        config = prepared.config
        site = self.site_of(key)
        read_at = time.time_ns()
        try:
            limit = prepared.size_limit(path)
            st, raw = linter.read_within(path, limit)
            if raw is None:  # over the size limit: never read
                return (FileResult(path, [linter.too_large_violation(config, path, st.st_size, limit)]), None,
                        None, read_at)
        except OSError:
            # Let the linter word the problem (it reads again and fails the same way).
            return linter.lint_path(path, config, prepared.rules, prepared=prepared, site=site), None, None, read_at
        dig = digest(raw) if self.use_cache else None
        if expected is not None and dig == expected:
            return None, dig, stat_signature(st), read_at
        result = linter.lint_bytes(path, raw, config, prepared.rules, prepared=prepared, site=site,
                                   facts=site.root is not None and self._site_rules(key) != [])
        if result.timed_out or result.internal_error:
            return result, None, None, read_at  # never cached: it may be different next time
        return result, dig, stat_signature(st) if dig else None, read_at

    def _fix_one(self, path: str, key: Any) -> tuple[FileResult, str | None, tuple | None, int]:
        from .fixer import fix_file

        prepared = self.prepared(key)
        mode = self.fix
        r = fix_file(path, prepared.config, mode.unsafe, write=mode.write, rules=prepared.rules, prepared=prepared,
                     site=self.site_of(key))
        result = FileResult(path, list(r.violations), r.internal_error, fixed=r.fixed, problems=list(r.problems),
                            timed_out=r.timed_out)
        if not mode.write:
            result.diff = r.diff() or None
        # On disk after the fix (or with nothing to fix): cached with the findings left; a --diff's change is not.
        cacheable = (r.written or not r.changed) and not r.problems and not r.failed and not r.timed_out
        if cacheable and r.digest is not None:
            return result, r.digest, r.stat, r.read_at
        return result, None, None, r.read_at

    # -- the pool's side ----------------------------------------------------------------
    def _chunk(self, chunk: list[tuple[str, str | None, str | None]]) -> list[tuple[Any, str | None, tuple | None, int]]:
        """A worker's answer for a chunk, each result packed as plain lists (the
        cache's row form): pickling the dataclasses cost far more."""
        from .limits import keep_alarm_handler

        keep_alarm_handler()  # a no-op in a worker; an isolated retry runs in a child of the parent
        from .transport import pack

        return [(pack(result), dig, sig, read_at) for result, dig, sig, read_at in
                (self._one(path, expected, key) for path, expected, key in chunk)]

    def _lost_file(self, item: tuple[str, str | None, str | None], why: str) -> tuple[Any, None, None, int]:
        """The answer for a file whose worker died, and died again when it was
        linted alone: an internal error, the run goes on."""
        from .forkpool import WorkerDied
        from .linter import internal_error_violation

        path = item[0]
        result = FileResult(path, [internal_error_violation(path, WorkerDied(why))], internal_error=True)
        from .transport import pack

        return pack(result), None, None, time.time_ns()

    # -- many files --------------------------------------------------------------------
    def lint_files(self, files: Sequence[str], *, on_file: Callable[[FileResult], None] | None = None,
                   stats: dict[str, Any] | None = None) -> Iterator[FileResult]:
        """Lint (or fix) ``files``; yields one FileResult per file, in the order given.
        ``stats``, when given, is filled with counters (files, cached, linted, jobs)."""
        files = list(files)
        keys = self.keys_for(files)
        if self.fix is not None and self.fix.write:
            from .atomic import remove_stale_temp_files

            remove_stale_temp_files(files)
        distinct = self.distinct_keys(files)
        site_keys = [key for key in distinct if key[1] is not None and self._site_rules(key)]
        seen: dict[str, tuple[int, int]] | None = {} if site_keys else None  # spares the site phase a stat
        replay = self.replay
        plan, misses = _plan(files, keys, self._cache, fixing=self.fix is not None, seen=seen, distinct=distinct,
                             known=replay.stats if replay is not None else None,
                             signatures=replay.signatures if replay is not None else None)
        jobs = self.jobs
        use_pool = jobs > 1 and len(misses) >= MIN_FILES_FOR_POOL and can_fork()
        if stats is not None:
            stats.update(files=len(files), cached_by_stat=len(files) - len(misses), linted=0,
                         cached_by_digest=0, jobs=jobs if use_pool else 1)
        pool = self._pool if use_pool else None
        own_pool = restore_alarm = None
        if use_pool and pool is None:
            self._prepare_rules()  # before the fork: the workers share what the rules load
            pool = own_pool = self._new_pool(min(jobs, len(misses)))
        try:
            if pool is not None:
                from .transport import chunk_size, chunks, unpacked  # only a pool's run needs them

                linted: Iterator[Any] = unpacked(pool.imap(chunks(misses, chunk_size(len(misses), jobs), jobs)))
            else:
                if misses:
                    from .limits import hold_alarm_handler

                    # Linted here, like a worker: the budget's handler stays
                    # installed between files, only the timer is armed per file.
                    restore_alarm = hold_alarm_handler()
                linted = ((*self._one(path, expected, key), None) for path, expected, key in misses)
            merged = self._merge(files, keys, plan, linted, on_file, stats, seen)
            if site_keys:
                # Checks across a site need every post's facts first: this run's results wait
                # (no Document is held). Each site's URL map is made while the posts are linted.
                from .sitephase import check_sites, fed, prefetch

                prefetch(self, site_keys, seen)
                yield from check_sites(self, files, keys, list(fed(self, keys, merged, seen)))
            else:
                yield from merged
            if own_pool is not None:
                own_pool.close()
                own_pool.join()
                own_pool = None
            for cache in self._caches.values():
                cache.save()
        finally:
            if own_pool is not None:
                own_pool.terminate()
            if restore_alarm is not None:
                restore_alarm()

    def _merge(self, files: list[str], keys: list[str | None], plan: list[int], linted: Iterator[Any],
               on_file: Callable[[FileResult], None] | None, stats: dict[str, Any] | None,
               seen: dict[str, tuple[int, ...]] | None = None) -> Iterator[FileResult]:
        """The results in file order: the cache's answers and the linted ones
        (``seen`` gets the stat each linted file was read with)."""
        fetched: dict[str, tuple[Any, ...]] = {}  # the findings of the next hits, a batch at a time
        signatures = self.replay.signatures if self.replay is not None else None
        caches = self._cache
        cache, cache_key = None, object()
        for i, (path, key, kind) in enumerate(zip(files, keys, plan)):
            result: FileResult | None
            if key is not cache_key and key != cache_key:  # a folder's files share one key object
                cache, cache_key = caches(key), key
            sig: Any = _PLANNED  # the stat the result was made from: the plan's, for the cache's answers
            if kind == _CLEAN:
                result = FileResult(path, [])  # answered by its stat: no finding
            elif kind == _HIT:
                if path not in fetched:
                    fetched = _fetch(caches, files[i:i + _LOOKUP_BATCH], keys[i:i + _LOOKUP_BATCH],
                                     plan[i:i + _LOOKUP_BATCH])
                result = cache.take(path, fetched.pop(path, None))  # type: ignore[union-attr]
                if result is None:  # a corrupt entry: lint it here
                    result, sig = self.lint_path(path), None
            else:
                result, dig, sig, read_at, rows = next(linted)
                if seen is not None and sig is not None:
                    seen[path] = sig
                if result is None:  # unchanged content, new stat: reuse
                    result = cache.lookup_digest(path, dig, sig, read_at)  # type: ignore[union-attr]
                    if result is None:  # the entry vanished or is corrupt: lint here
                        result, sig = self.lint_path(path), None
                        _count(stats, "linted")
                    else:
                        _count(stats, "cached_by_digest")
                else:
                    _count(stats, "linted")
                    if result.violations and not self._clock_rules(key).isdisjoint([v.rule for v in result.violations]):
                        sig = None  # true today, perhaps not tomorrow: neither cached nor replayed
                    if cache is not None and dig is not None and sig is not None:
                        cache.store(result, dig, sig, read_at, rows)
                        if result.facts is not None:
                            cache.store_facts(os.path.abspath(path), sig, result.facts, result.facts_json)
            if signatures is not None and sig is not _PLANNED:
                if sig is None:  # read again, or not to be trusted: the report is not kept
                    signatures.pop(path, None)
                else:
                    signatures[path] = sig
            if on_file is not None:
                on_file(result)
            yield result


def _count(stats: dict[str, Any] | None, key: str) -> None:
    if stats is not None:
        stats[key] += 1


def lint_files(files: Sequence[str], config: Config, jobs: int | None = None,
               cache_dir: str | os.PathLike[str] | None = None, *, use_cache: bool = True,
               on_file: Callable[[FileResult], None] | None = None,
               stats: dict[str, Any] | None = None) -> Iterator[FileResult]:
    """Lint ``files`` with a run of their own (see :class:`Linting`)."""
    with Linting(config, jobs=jobs, cache_dir=cache_dir, use_cache=use_cache) as run:
        yield from run.lint_files(files, on_file=on_file, stats=stats)
