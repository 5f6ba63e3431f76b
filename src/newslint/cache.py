"""The results cache: a file's findings, reused while nothing that decides them changed.

What decides a file's findings, and so what the cache is keyed by:

* the file's content: a BLAKE2b digest of its bytes;
* the effective configuration: :func:`config_fingerprint` (enabled rules,
  severities, options, per-file ignores, the front matter schema's content);
* the newslint version, and the size and mtime of every module of the
  installed package, so an edited rule (an editable install) never serves
  stale findings;
* the site's config and its template files (:mod:`newslint.site.templates`).

The clock is not in the key: the engine never stores a result holding a
finding of a rule that compares with the current time (``Rule.depends_on_clock``).

Layout: ``.newslint_cache/`` (or ``--cache-dir``) holds one SQLite database
per fingerprint, ``<fingerprint>.sqlite3``, with one row per path: its stat
signature, its content digest and its findings (JSON text). One database per
fingerprint, so switching between two configurations (a pre-commit hook with
a few rules, CI with all) keeps both caches warm; the newest :data:`KEEP` are
kept, and ``newslint clean`` removes the folder (with a check's last report,
see :mod:`newslint.replay`). SQLite, not one JSON file: a run looks up and
writes one row at a time, so its memory stays flat however large the archive,
and concurrent runs (CI shards, the pre-commit hook) share a database safely.

Findings are stored as JSON, never pickle: the cache folder sits in the
checkout, and a pull request could ship one. The database is opened with
``trusted_schema`` off and every row is checked when decoded; a database that
is not ours, corrupt or of another format is deleted and rebuilt.

Avoiding the hash on a warm run: reading and hashing the archive is cheap next
to parsing it, but not free (5,000 opens). Like git's index, each entry keeps
the file's ``(size, mtime_ns, ctime_ns, inode)``. When all four still match,
the stored digest is trusted without reading the file. ``ctime`` changes on
every write and cannot be set back by ``touch -d`` or ``rsync -t``, so a
content change with the mtime restored is still noticed. The one hole is the
"racy" write, in the same clock tick as our read: an entry whose ctime is
within :data:`RACY_NS` of the moment the file was read is never trusted by
stat alone, its content is hashed again on the next run. When the stat
signature differs, the file is read and hashed: if the digest is the one
stored (a ``git checkout`` that rewrote identical bytes), the findings are
reused without parsing.

A cache that cannot be read (corrupt, truncated, another version's format) is
ignored and rebuilt; one that cannot be written is skipped. The cache never
changes a result, only how fast it comes.
"""

from __future__ import annotations

import json
import os
import sqlite3
from pathlib import Path
from typing import Any, Callable, Sequence

from ._hashing import blake2b
from .factsjson import facts_json
from .fingerprint import (FORMAT, _VIOLATION_FIELDS, _mark_cache_dir, config_fingerprint,  # noqa: F401  (re-exported)
                          plugins_signature)
from .model import Edit, FileResult, Fix, Violation

CACHE_DIR_NAME = ".newslint_cache"
KEEP = 8  # cache files (configurations) kept
RACY_NS = 2_000_000_000  # 2 s: covers coarse (FAT, some network) timestamps


def digest(raw: bytes) -> str:
    return blake2b(raw, digest_size=16).hexdigest()


def stat_signature(st: os.stat_result) -> tuple[int, int, int, int]:
    return (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino)


# -- (de)serialising results --------------------------------------------------
def encode_violation(v: Violation) -> list[Any]:
    # One list display, in _VIOLATION_FIELDS' order (checked at import below),
    # not a getattr loop: it is paid in the parent for every finding.
    fix = v.fix
    fix_edits: Any = v.fix_edits
    if fix is not None:
        edits = fix.edits
        if len(fix_edits) == len(edits) and all(d.keys() == _EDIT_KEYS and d["content"] == e.content
                                                 for d, e in zip(fix_edits, edits)):
            # The usual case (linter.make_violation): each edit with its file
            # positions, and fix_edits left out (null): made again from them.
            fix = [[[e.start, e.end, e.content, d["start_line"], d["start_column"], d["end_line"], d["end_column"]]
                    for e, d in zip(edits, fix_edits)], fix.applicability, fix.message]
            fix_edits = None
        else:
            fix = [[[e.start, e.end, e.content] for e in edits], fix.applicability, fix.message]
    return [v.path, v.line, v.column, v.end_line, v.end_column, v.rule, v.code, v.severity, v.message, fix,
            fix_edits, v.start, v.end, v.extra]


# The keys of a fix_edits entry (linter.make_violation); a dict's keys() equals a set of them.
_EDIT_KEYS = frozenset(("start_line", "start_column", "end_line", "end_column", "content"))


assert _VIOLATION_FIELDS == ("path", "line", "column", "end_line", "end_column", "rule", "code", "severity",
                             "message", "fix", "fix_edits", "start", "end", "extra"), "update encode_violation"


_FIX_AT = _VIOLATION_FIELDS.index("fix")
_new_tuple = tuple.__new__
_N_FIELDS = len(_VIOLATION_FIELDS)


def decode_violation(row: list[Any]) -> Violation:
    # Positional (the fields in encode_violation's order), not
    # Violation(**dict(zip(...))): a warm run decodes every cached finding.
    if len(row) != _N_FIELDS:
        raise ValueError("a cached finding of another shape")
    fix = row[_FIX_AT]
    if fix is not None:
        edits, applicability, message = fix
        if len(edits) == 1 and row[_FIX_AT + 1] is None:  # most fixes: one edit, its positions made here
            s, e, c, sl, sc, el, ec = edits[0]
            return Violation(*row[:_FIX_AT], _new_tuple(Fix, ((_new_tuple(Edit, (s, e, c)),), applicability, message)),
                             [{"start_line": sl, "start_column": sc, "end_line": el, "end_column": ec, "content": c}],
                             *row[_FIX_AT + 2:])
        row = list(row)
        # tuple.__new__ straight: what the named tuples' __new__ does, without a Python call per edit.
        row[_FIX_AT] = _new_tuple(Fix, (tuple([_new_tuple(Edit, e[:3]) for e in edits]), applicability, message))
        if row[_FIX_AT + 1] is None:  # fix_edits left out: made from the edits' positions
            row[_FIX_AT + 1] = [{"start_line": sl, "start_column": sc, "end_line": el, "end_column": ec, "content": c}
                                for _s, _e, c, sl, sc, el, ec in edits]
    return Violation(*row)


def encode_result(result: FileResult, rows: list[list[Any]] | None = None) -> list[Any] | None:
    """A JSON-ready form of a file's result, or None when it cannot round-trip exactly.

    A finding's path is left out (``null``) when it is the file's own, as it
    always is: a warm run would parse one copy of it per finding. ``rows``:
    the findings as :func:`encode_violation` gave them already (a pool
    worker's, changed in place), instead of encoding them again."""
    path = result.path
    if rows is None:
        rows = [encode_violation(v) for v in result.violations]
    for row in rows:
        if row[0] == path:
            row[0] = None
    if any(v.extra for v in result.violations):
        # extra is free-form: cache it only if JSON gives back the same values.
        try:
            back = decode_result(path, json.loads(json.dumps(rows, ensure_ascii=False))).violations
        except (TypeError, ValueError):
            return None
        if back != result.violations:
            return None
    return rows


def decode_result(path: str, rows: list[Any]) -> FileResult:
    """The FileResult of ``path`` from :func:`encode_result`'s rows (parsed JSON: changed in place)."""
    for row in rows:
        if row[0] is None:
            row[0] = path
    return FileResult(path, [decode_violation(r) for r in rows])


# -- the store ---------------------------------------------------------------
_SCHEMA = (
    "CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT) WITHOUT ROWID",
    "CREATE TABLE IF NOT EXISTS entries (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, ctime INTEGER,"
    " ino INTEGER, read_at INTEGER, digest TEXT, rows TEXT) WITHOUT ROWID",
    # The facts of a site's posts (newslint.site.facts), for the checks across the site.
    "CREATE TABLE IF NOT EXISTS facts (path TEXT PRIMARY KEY, size INTEGER, mtime INTEGER, ctime INTEGER,"
    " ino INTEGER, data TEXT) WITHOUT ROWID",
)
_FLUSH_EVERY = 512  # rows written per transaction
_BATCH = 256  # paths looked up per query (SQLite allows 999 parameters at least)


class Cache:
    """One configuration's cache database; rows are read and written one path at a time."""

    def __init__(self, directory: str | os.PathLike[str], fingerprint: str) -> None:
        self.directory = Path(directory)
        self.fingerprint = fingerprint
        self.file = self.directory / f"{fingerprint}.sqlite3"
        self._db: sqlite3.Connection | None = None
        self._pending: list[tuple[Any, ...]] = []
        self._pending_facts: list[tuple[Any, ...]] = []
        self.dirty = False  # True once this run wrote (or will write) a row
        self._open()

    # -- opening -------------------------------------------------------------
    def _open(self) -> None:
        """Open the database if it exists and is ours; a bad one is deleted (rebuilt on the first write)."""
        if not self.file.exists():
            return
        db = None
        try:
            db = self._connect()
            meta = dict(db.execute("SELECT key, value FROM meta").fetchall())
            db.execute("SELECT path, size, mtime, ctime, ino, read_at, digest, rows FROM entries LIMIT 1").fetchall()
            ok = meta.get("format") == str(FORMAT) and meta.get("fingerprint") == self.fingerprint
        except (sqlite3.Error, OSError, ValueError, TypeError):
            ok = False
        if ok:
            self._db = db
            return
        if db is not None:
            db.close()
        self._discard()

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(str(self.file), timeout=30, isolation_level=None, check_same_thread=False)
        try:
            db.execute("PRAGMA trusted_schema=OFF")
            db.execute("PRAGMA cell_size_check=ON")
            db.execute("PRAGMA synchronous=NORMAL")
            # Copy the log into the database a little at a time while the run goes on, not all at its close.
            db.execute("PRAGMA wal_autocheckpoint=256")
        except sqlite3.Error:
            db.close()
            raise
        return db

    def _create(self) -> sqlite3.Connection | None:
        try:
            self.directory.mkdir(parents=True, exist_ok=True)
            _mark_cache_dir(self.directory)
            db = self._connect()
            db.execute("PRAGMA journal_mode=WAL")  # concurrent shards: readers never wait for the writer
            for stmt in _SCHEMA:
                db.execute(stmt)
            db.execute("INSERT OR REPLACE INTO meta VALUES ('format', ?), ('fingerprint', ?)",
                       (str(FORMAT), self.fingerprint))
            return db
        except (sqlite3.Error, OSError):
            return None

    def _discard(self) -> None:
        """Delete a database that is corrupt, not ours or of another format."""
        for suffix in ("", "-wal", "-shm", "-journal"):
            try:
                os.unlink(str(self.file) + suffix)
            except OSError:
                pass

    # -- lookups -----------------------------------------------------------
    def entries(self, paths: Sequence[str], *, rows: bool = True) -> dict[str, tuple[Any, ...]]:
        """:meth:`entry` of many paths in one query per ``_BATCH`` paths (a
        query per path cost more than the lookups themselves). Paths with no
        entry are left out. ``rows=False`` leaves the findings out (``None``
        in their place): enough to decide hits."""
        out: dict[str, tuple[Any, ...]] = {}
        if self._db is None or not paths:
            return out
        # rows=False: the findings column says only whether there are none (CLEAN): a clean hit needs no more.
        column = "rows" if rows else "CASE rows WHEN '[]' THEN '[]' END"
        select = f"SELECT path, size, mtime, ctime, ino, read_at, digest, {column} FROM entries"
        try:
            for i in range(0, len(paths), _BATCH):
                batch = paths[i:i + _BATCH]
                if rows:  # the findings of a warm run's few hits, scattered: the IN list
                    marks = ",".join("?" * len(batch))
                    out.update((row[0], row[1:]) for row in self._db.execute(select + f" WHERE path IN ({marks})", batch))
                    continue
                want = set(batch)
                # One range scan of the primary key (a run's paths are sorted
                # neighbours in the table) instead of an IN list of 256
                # parameters, which SQLite looks up one by one. Rows of
                # other paths in the range are skipped; a path SQLite orders
                # otherwise is a miss, never a wrong hit. A sparse range (a
                # hook's few files across a large cache) goes back to the IN list.
                got: dict[str, tuple[Any, ...]] = {}
                budget = 2 * len(batch) + 64
                for row in self._db.execute(select + " WHERE path BETWEEN ? AND ?", (min(batch), max(batch))):
                    if row[0] in want:
                        got[row[0]] = row[1:]
                    budget -= 1
                    if budget < 0:
                        marks = ",".join("?" * len(batch))
                        got = {row[0]: row[1:] for row in self._db.execute(select + f" WHERE path IN ({marks})", batch)}
                        break
                out.update(got)
        except sqlite3.Error:
            return {}
        return out

    def entry(self, path: str) -> tuple[Any, ...] | None:
        """``(size, mtime_ns, ctime_ns, ino, read_at_ns, digest, rows_json)`` of ``path``, or None."""
        if self._db is None:
            return None
        try:
            return self._db.execute("SELECT size, mtime, ctime, ino, read_at, digest, rows FROM entries "
                                    "WHERE path=?", (path,)).fetchone()
        except sqlite3.Error:
            return None

    @staticmethod
    def stat_ok(entry: tuple[Any, ...] | None, st: os.stat_result) -> bool:
        """True when the file's stat signature proves it unchanged since ``entry`` was made."""
        if entry is None:
            return False
        try:
            size, mtime, ctime, ino, read_at, _dig, _rows = entry
            if (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino) != (size, mtime, ctime, ino):
                return False
            # Written too close to the moment we read it: the stat cannot tell.
            return ctime < read_at - RACY_NS
        except (TypeError, ValueError):
            return False

    def take(self, path: str, entry: tuple[Any, ...] | None = None) -> FileResult | None:
        """The cached result of ``path`` (after :meth:`stat_ok`); None if the entry is corrupt."""
        entry = entry if entry is not None else self.entry(path)
        return _decode_entry(path, entry)

    @staticmethod
    def digest_of(entry: tuple[Any, ...] | None) -> str | None:
        if entry is None or len(entry) != 7 or not isinstance(entry[5], str):
            return None
        return entry[5]

    def lookup_digest(self, path: str, dig: str, sig: tuple[int, int, int, int], read_at: int) -> FileResult | None:
        """The cached result when the content digest matches (the stat did not)."""
        entry = self.entry(path)
        if entry is None or entry[5] != dig:
            return None
        result = _decode_entry(path, entry)
        if result is None:
            return None
        self._write((path, *sig, read_at, dig, entry[6]))  # the new stat signature, same findings
        return result

    def store(self, result: FileResult, dig: str, sig: tuple[int, int, int, int], read_at: int,
              rows: list[list[Any]] | None = None) -> None:
        """Cache ``result``; ``rows``: its findings as encode_violation gave them (see encode_result)."""
        if result.internal_error:
            return  # never cache a crash: the next run tries again
        if not result.violations:  # most posts: no encoder needed
            self._write((result.path, *sig, read_at, dig, "[]"))
            return
        rows = encode_result(result, rows)
        if rows is None:
            return
        self._write((result.path, *sig, read_at, dig, facts_json(rows)))  # json.dumps' text, its encoder made once

    def store_facts(self, path: str, sig: tuple[int, int, int, int], facts: dict[str, Any],
                    encoded: str | None = None) -> None:
        """Keep ``facts`` (``encoded``: the same as :func:`facts_json` gave them)."""
        self.dirty = True
        self._pending_facts.append((path, *sig, encoded if encoded is not None else facts_json(facts)))
        if len(self._pending_facts) >= _FLUSH_EVERY:
            self._flush()

    def facts(self, paths: Sequence[str]) -> dict[str, tuple[tuple[int, int, int, int], str]]:
        """(stat signature, facts JSON) of each of ``paths`` the cache holds."""
        out: dict[str, tuple[tuple[int, int, int, int], str]] = {}
        if self._db is None:
            return out
        try:
            for i in range(0, len(paths), _BATCH):
                batch = list(paths[i:i + _BATCH])
                marks = ",".join("?" * len(batch))
                for row in self._db.execute(f"SELECT path, size, mtime, ctime, ino, data FROM facts WHERE path IN ({marks})",
                                            batch):
                    out[row[0]] = ((row[1], row[2], row[3], row[4]), row[5])
        except sqlite3.Error:
            return {}
        return out

    # -- writing -----------------------------------------------------------
    def _write(self, row: tuple[Any, ...]) -> None:
        self.dirty = True
        self._pending.append(row)
        if len(self._pending) >= _FLUSH_EVERY:
            self._flush()

    def _flush(self) -> None:
        rows, self._pending = self._pending, []
        facts, self._pending_facts = self._pending_facts, []
        if not rows and not facts:
            return
        if self._db is None:
            self._db = self._create()
            if self._db is None:
                return  # a read-only checkout: run without writing the cache
        try:
            self._db.execute("BEGIN IMMEDIATE")
            self._db.executemany("INSERT OR REPLACE INTO entries VALUES (?,?,?,?,?,?,?,?)", rows)
            if facts:
                self._db.executemany("INSERT OR REPLACE INTO facts VALUES (?,?,?,?,?,?)", facts)
            self._db.execute("COMMIT")
        except sqlite3.Error:
            try:
                self._db.execute("ROLLBACK")
            except sqlite3.Error:
                pass

    def save(self) -> None:
        """Write what is pending and close; other paths' rows (other runs, shards) stay."""
        self._flush()
        if self._db is not None:
            try:
                self._db.close()
            except sqlite3.Error:
                pass
            self._db = None
            if self.dirty:
                from .cachefiles import prune_databases

                prune_databases(self.directory, keep=self.file, newest=KEEP)


def _decode_entry(path: str, entry: tuple[Any, ...] | None) -> FileResult | None:
    try:
        if entry[6] == "[]":  # type: ignore[index]  # most posts: no JSON to parse
            return FileResult(path, [])
        rows = json.loads(entry[6])  # type: ignore[index]
        if not isinstance(rows, list):
            return None
        return decode_result(path, rows)
    except (TypeError, ValueError, KeyError, IndexError, AttributeError, RecursionError):
        return None


def default_cache_dir(root: str | os.PathLike[str] | None = None) -> Path:
    env = os.environ.get("NEWSLINT_CACHE_DIR")
    if env:
        return Path(env)
    return Path(root or ".") / CACHE_DIR_NAME


# -- a run's lookups ---------------------------------------------------------------
# Cache entries looked up per query (and held at once).
LOOKUP_BATCH = 256
# What a run's lookup decides for each file.
MISS, HIT, CLEAN = 0, 1, 2


def plan_lookups(files: list[str], keys: list[str | None], caches: Callable[[str | None], Cache | None], *,
                 fixing: bool, seen: dict[str, tuple[int, int]] | None = None,
                 distinct: list[Any] | None = None, known: dict[str, os.stat_result] | None = None,
                 signatures: dict[str, Any] | None = None) -> tuple[list[int], list[Any]]:
    """Which files the cache answers by stat alone (no read): a run's first step.

    Each file is MISS, HIT (answered by stat, findings to fetch) or CLEAN (answered by stat, no
    finding; most posts on a warm run). When fixing, only a clean file is answered by the cache:
    the others may have fixes. The misses are (path, expected digest, configuration key).
    ``seen``: each stat'ed file's (size, time).
    ``distinct``: the different keys among ``keys``, when known (one: no file is sorted by key).
    ``known``: stats taken already; ``signatures`` gets the stat signature of each answered file."""
    plan: list[int] = []
    misses: list[tuple[str, str | None, str | None]] = []
    stat, stat_ok, digest_of = os.stat, Cache.stat_ok, Cache.digest_of
    for i in range(0, len(files), LOOKUP_BATCH):
        batch, batch_keys = files[i:i + LOOKUP_BATCH], keys[i:i + LOOKUP_BATCH]
        looked_up: dict[str, Any] = {}
        if distinct is not None and len(distinct) == 1:
            cache = caches(distinct[0])
            if cache is not None:
                looked_up = cache.entries(batch, rows=False)
        else:
            for key in dict.fromkeys(batch_keys):  # one query per configuration in the batch
                cache = caches(key)
                if cache is not None:
                    looked_up.update(cache.entries([p for p, k in zip(batch, batch_keys) if k == key], rows=False))
        get = looked_up.get
        for path, key in zip(batch, batch_keys):
            entry = get(path)
            if entry is not None:
                try:
                    st = (known.get(path) if known is not None else None) or stat(path)
                except OSError:
                    st = None
                if st is not None and seen is not None:
                    seen[path] = (st.st_size, st.st_mtime_ns)
                if st is not None and stat_ok(entry, st):
                    clean = entry[6] == "[]"  # no finding (a stat_ok entry has its seven fields)
                    if clean or not fixing:
                        plan.append(CLEAN if clean else HIT)
                        if signatures is not None:
                            signatures[path] = entry[:4]
                        continue
            plan.append(MISS)
            # A file to fix is fixed even when its content is known: no digest shortcut.
            misses.append((path, None if fixing else digest_of(entry), key))
    return plan, misses


def fetch_hits(caches: Callable[[str | None], Cache | None], files: list[str], keys: list[str | None],
               plan: list[int]) -> dict[str, tuple[Any, ...]]:
    """The cache entries of the hits among ``files``: one query per configuration."""
    by_key: dict[str | None, list[str]] = {}
    for path, key, kind in zip(files, keys, plan):
        if kind == HIT:
            by_key.setdefault(key, []).append(path)
    out: dict[str, tuple[Any, ...]] = {}
    for key, paths in by_key.items():
        out.update(caches(key).entries(paths))  # type: ignore[union-attr]
    return out
