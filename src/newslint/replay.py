"""The report of a run whose files did not change, written again as it was.

A warm run where nothing changed still looks up every file in the cache,
decodes every finding and formats the same report again. Like a build tool
with nothing to do, newslint keeps the last report of a check (its text and
exit code) with the state it was made from, and a run with the same options
that finds the same state writes that text again, without a lookup or a
decode.

The state is what the per-file cache trusts, for every file at once: the
sorted paths with each file's ``(size, mtime_ns, ctime_ns, inode)`` (see
:mod:`newslint.cache` for why that proves the content unchanged), and for a
run that checks across a site, the key of each site's URL map (the name,
size and time of every file the site reads, its config and today's date: the
inputs of the site's findings). The report is named by everything else that
shapes it: the options (format, statistics, fail level, exit-zero, colour,
language, unsafe-fix counting, output file), the working folder, the config's
root, and the fingerprint of every configuration the files use, which covers
the rules, their options, the site's config and templates and newslint's own
modules.

A report is kept only when it can be trusted to come back the same: every
file's result came with its stat signature, none was written within
:data:`~newslint.cache.RACY_NS` of the run's start, nothing was skipped or
crashed, no finding depends on the clock, and the report fits in
:data:`MAX_BYTES`. It is written to the cache folder as the report is, and
renamed into place at the end. Runs that fix, diff, use a baseline, ask git
(`--changed-since`) or read standard input are never replayed. On any doubt
the run goes on as usual.
"""

from __future__ import annotations

import codecs
import json
import os
import time
from pathlib import Path
from typing import Any, Sequence

from ._hashing import blake2b
from .fingerprint import _mark_cache_dir
from . import cache as _cache

FORMAT = 1
PREFIX = "report-"
SUFFIX = ".report"
KEEP = 8  # kept reports (option sets)
CHUNK = 1 << 20  # bytes of a kept report read at once
MAX_BYTES = 64 * 1024 * 1024  # characters; a larger report is not kept (the cache folder stays small)


def _state(files: Sequence[str], rows: list[tuple[int, ...]]) -> str:
    # One join and one repr of the integers: both run in C, not a format per file.
    h = blake2b(digest_size=16)
    h.update("\0".join(files).encode("utf-8", "surrogateescape"))
    h.update(repr(rows).encode("ascii"))
    return h.hexdigest()


class Replay:
    """One run's side of the kept report: its name, then either the text to
    write again or what to record for the next run."""

    def __init__(self, directory: str, key: str, files: list[str]) -> None:
        self.directory = directory
        self.file = os.path.join(directory, f"{PREFIX}{key}{SUFFIX}")
        self.files = files
        self.started = time.time_ns()
        # path -> stat_result of the files stat'ed before linting (the cache's lookup reuses them)
        self.stats: dict[str, os.stat_result] | None = None
        # path -> stat signature each file's result was made from (filled by the engine)
        self.signatures: dict[str, Any] = {}
        self._fh: Any = None  # the report being kept, written as it goes (see record)
        self._kept: Any = None  # the kept report found (see kept), open
        self._body_size = 0
        self._tmp = ""
        self._size = 0  # characters recorded; -1: nothing is kept
        # The keys of the files whose site is checked across its files, and
        # each such site's state (root -> its URL map's key, which covers the
        # name, size and time of every file of the site: see site.index).
        self.run: Any = None
        self.sites: list[Any] = []
        self.site_states: dict[str, str] = {}

    @classmethod
    def for_run(cls, run: Any, opts: Any, summary: Any, files: list[str]) -> "Replay | None":
        """The replay of this run, or None when its report cannot be replayed."""
        if (not run.use_cache or run.fix is not None or opts.diff or opts.baseline or opts.write_baseline
                or opts.changed_since or not files):
            return None
        distinct = run.distinct_keys(files)
        sites = [key for key in distinct if key[1] is not None and run._site_rules(key)]
        from . import __version__

        # The paths named and the shard are not needed to tell reports apart (the
        # files are in the state) but let runs of other folders or shards keep their own.
        what = [FORMAT, __version__, opts.format, opts.statistics, opts.fail_level, opts.exit_zero, opts.output_file,
                bool(summary.color), summary.lang, bool(opts.unsafe_fixes), os.getcwd(), str(run.config.root),
                sorted(run._fingerprint(key) for key in distinct), list(opts.paths), opts.shard]
        key = blake2b(json.dumps(what, default=str).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()
        replay = cls(str(run._cache_path()), key, files)
        replay.run, replay.sites = run, sites
        return replay

    # -- a run that finds its report ------------------------------------------------
    def kept(self) -> int | None:
        """The exit code of the kept report when every file is as it was then
        (:meth:`write_kept` writes its text: the file stays open between the
        two, so a report another run puts in its place meanwhile is not mixed in).

        Otherwise None, and :attr:`stats` holds the files' stats for the lookup."""
        try:
            fh = open(self.file, "rb")
        except OSError:
            return None
        try:
            got = self._check(fh)
        except (OSError, ValueError, KeyError, TypeError, UnicodeDecodeError):
            got = None
        if got is None:
            fh.close()
            return None
        self._kept = fh
        return got

    def _check(self, fh: Any) -> int | None:
        # The trailer is the last line: read from the end, the report is not loaded to find it.
        size = fh.seek(0, os.SEEK_END)
        back = min(size, 4096)
        while True:
            fh.seek(size - back)
            tail = fh.read(back)
            at = tail.rfind(b"\n")
            if at >= 0 or back == size:
                break
            back = min(size, back * 8)
        if at < 0:
            return None
        meta = json.loads(tail[at + 1:])
        exit_code, state, site_states = int(meta["exit"]), meta["state"], meta["sites"]
        self._body_size = size - back + at
        stats: dict[str, os.stat_result] = {}
        rows = []
        stat = os.stat
        for path in self.files:
            try:
                st = stat(path)
            except OSError:
                continue
            stats[path] = st
            rows.append((st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
        self.stats = stats
        if len(rows) != len(self.files) or _state(self.files, rows) != state:
            return None
        if self.sites and self._site_states(stats) != site_states:
            return None
        if self._body_size > CHUNK:  # decoded once before anything is written: never half a report
            for _piece in self._pieces(fh):
                pass
        return exit_code

    def write_kept(self, write: Any) -> None:
        """Write the kept report's text with ``write``, a piece at a time (memory stays flat)."""
        fh, self._kept = self._kept, None
        with fh:
            for piece in self._pieces(fh):
                write(piece)

    def _pieces(self, fh: Any) -> Any:
        """The kept report's text, decoded :data:`CHUNK` bytes at a time."""
        fh.seek(0)
        decode = codecs.getincrementaldecoder("utf-8")("surrogatepass").decode
        left = self._body_size
        while left > 0:
            yield decode(fh.read(min(CHUNK, left)))
            left -= CHUNK
        yield decode(b"", True)

    def _site_states(self, stats: dict[str, os.stat_result]) -> dict[str, str] | None:
        """Each checked site's state now (the stats taken spare the site's posts a second one)."""
        from .sitephase import _absolute_maker, _new_index

        absolute = _absolute_maker()
        known = {absolute(path): (st.st_size, st.st_mtime_ns) for path, st in stats.items()}
        out = {}
        for key in self.sites:
            index = _new_index(self.run, key)
            index.known_stats = known
            try:
                out[key[1]] = index.urls_key
            except Exception:  # the site phase meets the same problem and reports it
                return None
        return out

    # -- a run that makes one -----------------------------------------------------------
    def record(self, text: str) -> None:
        """Add ``text`` to the report being kept: written to a file of its own
        as the report is, so it is never held whole in memory, and the
        writing is spread over the run, not paid at its end."""
        if self._size < 0:
            return
        self._size += len(text)
        try:
            if self._size > MAX_BYTES:
                raise OSError
            fh = self._fh
            if fh is None:
                os.makedirs(self.directory, exist_ok=True)
                _mark_cache_dir(Path(self.directory))
                self._tmp = os.path.join(self.directory, f"tmp-{os.getpid()}-{os.path.basename(self.file)}")
                fh = self._fh = open(self._tmp, "w", encoding="utf-8", errors="surrogatepass", newline="")
            fh.write(text)
        except OSError:
            self.discard()

    def discard(self) -> None:
        """Drop what was recorded (nothing is kept)."""
        self._size = -1
        fh, self._fh = self._fh, None
        if fh is not None:
            try:
                fh.close()
                os.unlink(self._tmp)
            except OSError:
                pass

    def keep(self, exit_code: int) -> None:
        """Keep the recorded report, when it may be replayed (see the module's docstring).
        A result the engine gave without its stat (a crash, a finding that depends on the
        clock) leaves it out."""
        fh = self._fh
        if fh is None or any(key[1] not in self.site_states for key in self.sites):
            return self.discard()
        try:
            rows = [tuple(sig) for sig in map(self.signatures.__getitem__, self.files)]
        except KeyError:  # a result that came without its stat
            return self.discard()
        if max(row[2] for row in rows) >= self.started - _cache.RACY_NS:  # read here: tests may trust fresh files
            return self.discard()
        trailer = json.dumps({"exit": exit_code, "state": _state(self.files, rows), "sites": self.site_states})
        try:
            # The trailer goes last (the report was written first): one line of JSON.
            fh.write("\n" + trailer)
            fh.close()
            self._fh = None
            os.replace(self._tmp, self.file)
        except OSError:
            return self.discard()
        _prune(self.directory)


def _prune(directory: str) -> None:
    """Keep the newest :data:`KEEP` reports; drop the half-written ones of runs that were killed."""
    try:
        names = [n for n in os.listdir(directory) if n.endswith(SUFFIX)]
        dated = sorted((os.path.getmtime(os.path.join(directory, n)), n) for n in names)
        kept = [name for _mtime, name in dated if name.startswith(PREFIX)]
        stale = time.time() - 86400
        drop = kept[:-KEEP] + [name for mtime, name in dated if name.startswith("tmp-") and mtime < stale]
        for name in drop:
            os.unlink(os.path.join(directory, name))
    except OSError:
        pass
