"""newslint.forkpool: the engine's process pool on Linux.

Results come back in order, a worker's exception is raised in the parent, and
a worker that dies costs only the file that killed it (multiprocessing.Pool
waited forever for the lost chunk).
"""

from __future__ import annotations

import os
import signal
import sys
import threading

import pytest

from newslint.forkpool import ForkPool, WorkerError, isolate

pytestmark = pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the fork pool is Linux's")


def _square_all(chunk):
    return [x * x for x in chunk]


def _boom(chunk):
    if 13 in chunk:
        raise ValueError("thirteen")
    return list(chunk)


def _die_on_7(chunk):
    if 7 in chunk:
        os.kill(os.getpid(), signal.SIGKILL)
    return [x + 100 for x in chunk]


def _lost(item, why):
    return ("lost", item, why)


def _chunks(n, size):
    return [list(range(i, min(n, i + size))) for i in range(0, n, size)]


def _stops(pool):
    pool.close()
    joiner = threading.Thread(target=pool.join, daemon=True)
    joiner.start()
    joiner.join(timeout=20)
    return not joiner.is_alive()


def test_results_come_back_in_order_and_the_pool_stops():
    pool = ForkPool(2, _square_all)
    try:
        got = list(pool.imap(_chunks(1000, 7)))
        assert [x for chunk in got for x in chunk] == [x * x for x in range(1000)]
        assert list(pool.imap([])) == []
        assert list(pool.imap([[3]])) == [[9]]  # reusable
        assert _stops(pool)
    finally:
        pool.terminate()


def test_large_results_and_tasks_do_not_deadlock():
    # Results far larger than a pipe's buffer, and tasks of 400 KB, while more
    # tasks wait to be written: the parent never blocks on either pipe.
    big = [["x" * 50_000] * 8 for _ in range(40)]
    pool = ForkPool(2, _echo)
    try:
        assert list(pool.imap(big)) == big
        assert _stops(pool)
    finally:
        pool.terminate()


def _echo(chunk):
    return chunk


def test_an_exception_in_a_worker_is_raised_in_the_parent_with_its_traceback():
    pool = ForkPool(2, _boom)
    try:
        with pytest.raises(WorkerError) as err:
            list(pool.imap(_chunks(40, 4)))
        assert "ValueError: thirteen" in str(err.value) and "_boom" in str(err.value)
    finally:
        pool.terminate()


def test_a_dead_worker_costs_only_the_item_that_killed_it():
    pool = ForkPool(2, _die_on_7, lost=_lost)
    try:
        got = [x for chunk in pool.imap(_chunks(30, 4)) for x in chunk]
        assert got[:7] == [x + 100 for x in range(7)]
        assert got[7][:2] == ("lost", 7) and "SIGKILL" in got[7][2]
        assert got[8:] == [x + 100 for x in range(8, 30)]
        assert _stops(pool)
    finally:
        pool.terminate()


def test_when_every_worker_dies_the_rest_runs_in_isolation():
    pool = ForkPool(1, _die_on_7, lost=_lost)
    try:
        got = [x for chunk in pool.imap([[1, 7], [2], [7, 3]]) for x in chunk]
        assert [g if isinstance(g, int) else g[:2] for g in got] == [101, ("lost", 7), 102, ("lost", 7), 103]
    finally:
        pool.terminate()


def test_isolate_without_a_lost_handler_raises():
    with pytest.raises(WorkerError, match="SIGKILL"):
        isolate(_die_on_7, [7], None)
    assert isolate(_die_on_7, [1, 2], None) == [101, 102]


def test_workers_run_the_initializer_first():
    pool = ForkPool(2, _read_flag, _set_flag, ("ready",))
    try:
        assert list(pool.imap([[0], [1], [2]])) == [["ready"], ["ready"], ["ready"]]
    finally:
        pool.terminate()


_FLAG: list[str] = []


def _set_flag(value):
    _FLAG.append(value)


def _read_flag(chunk):
    return [_FLAG[-1] for _ in chunk]


def test_a_worker_killed_mid_run_does_not_hang_the_engine(tmp_path, monkeypatch):
    """End to end: a rule that kills its process on one post. The run ends,
    that post gets an internal error (exit 3), the others their findings."""
    from newslint.config import Config
    from newslint.engine import MIN_FILES_FOR_POOL, lint_files
    from newslint.rules.front_matter_missing import FrontMatterMissing

    posts = []
    for i in range(MIN_FILES_FOR_POOL + 6):  # enough for the pool: in-process the rule would kill the tests
        p = tmp_path / f"p{i:02d}.md"
        p.write_text("no front matter\n" if i != 17 else "KILL ME\n", "utf-8")
        posts.append(str(p))
    original = FrontMatterMissing.check

    def check(self, doc, options):
        if "KILL ME" in doc.text:
            os.kill(os.getpid(), signal.SIGKILL)
        return original(self, doc, options)

    monkeypatch.setattr(FrontMatterMissing, "check", check)
    results = list(lint_files(posts, Config(), jobs=2, use_cache=False))
    assert [r.path for r in results] == posts
    killed = results[17]
    assert killed.internal_error and "killed by SIGKILL" in killed.violations[0].message
    assert all(not r.internal_error and [v.rule for v in r.violations] == ["front-matter-missing"]
               for i, r in enumerate(results) if i != 17)


class _Box:
    """Not something marshal can write: the frame falls back to pickle."""

    def __init__(self, value):
        self.value = value

    def __eq__(self, other):
        return isinstance(other, _Box) and other.value == self.value


def _boxed(chunk):
    return [_Box(x) if x % 2 else (x, f"s\udcff{x}", None, [1.5, b"b"]) for x in chunk]


def test_plain_results_and_objects_marshal_cannot_write_both_travel():
    pool = ForkPool(2, _boxed)
    try:
        got = [x for chunk in pool.imap(_chunks(50, 4)) for x in chunk]
        assert got == _boxed(range(50))
        assert isinstance(got[1], _Box) and got[2] == (2, "s\udcff2", None, [1.5, b"b"])
    finally:
        pool.terminate()
    assert isolate(_boxed, [1, 2], None) == _boxed([1, 2])  # a lost worker's chunk, one child per item
