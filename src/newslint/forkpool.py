"""A small process pool for Linux: ``os.fork``, two pipes per worker, no threads.

The engine's pool does one thing: run ``target(chunk)`` on a few forked workers
and hand the results back in order. ``target`` is given when the pool is made
and inherited by the fork (a bound method of the run object, say): tasks carry
only their argument, and no worker needs a module-level variable to find its
run's configuration. ``multiprocessing.Pool`` does that with
three helper threads in the parent, and importing multiprocessing and
starting them delayed its first worker on the critical path of a cold run.
This pool forks at once, and the parent drives it from the
consumer's own thread with ``select``:

- each worker has a task pipe (parent -> worker) and a result pipe
  (worker -> parent); a message is an 8-byte length, then ``marshal``'s
  bytes (plain lists, strings and numbers: what the engine sends; faster
  than pickle, and no import) or, for anything else, a pickle after a
  marker byte marshal never writes first;
- at most two tasks wait per worker, so a worker finds its next chunk ready
  when it finishes one; the parent writes without blocking, so a worker
  writing a large result never waits on a parent stuck writing a task;
- results come out of :meth:`imap` in task order.

A worker that dies (a signal, ``os._exit`` in a C library, the OOM killer)
does not hang the run, as it hangs ``multiprocessing.Pool``: each task it had
is run again one file at a time, each in a child of its own
(:func:`isolate`), so only the file that kills a process is lost, and the
caller words that (the engine reports it as an internal error).

Exceptions raised by ``func`` in a worker are raised again in the parent, as
:class:`WorkerError` with the worker's traceback.
"""

from __future__ import annotations

import marshal
import os
import select
import signal
from collections import deque
from typing import Any, Callable, Iterable, Iterator

_HEADER = 8
_READ = 1 << 16


class WorkerError(RuntimeError):
    """``func`` raised in a worker; the message holds the worker's traceback."""


class WorkerDied(Exception):
    """A child of :func:`isolate` died before it answered."""


_PICKLED = b"\x00"  # marshal's first byte is a type code, never NUL


def _dumps(obj: Any) -> bytes:
    try:
        return marshal.dumps(obj)
    except ValueError:  # an object marshal does not take (a class instance)
        import pickle

        return _PICKLED + pickle.dumps(obj, pickle.HIGHEST_PROTOCOL)


def _loads(data: bytes | bytearray | memoryview) -> Any:
    if data[:1] == _PICKLED:
        import pickle

        return pickle.loads(data[1:])
    return marshal.loads(data)


def _frame(obj: Any) -> bytes:
    data = _dumps(obj)
    return len(data).to_bytes(_HEADER, "little") + data


def _read_exact(fd: int, n: int) -> bytes | None:
    parts = []
    while n:
        chunk = os.read(fd, min(n, _READ))
        if not chunk:
            return None
        parts.append(chunk)
        n -= len(chunk)
    return b"".join(parts)


def _serve(task_fd: int, result_fd: int, target: Callable[[Any], Any]) -> None:
    """A worker's loop: read a task, run it, write its result, until EOF."""
    out = os.fdopen(result_fd, "wb")
    while True:
        header = _read_exact(task_fd, _HEADER)
        if header is None:
            return
        payload = _read_exact(task_fd, int.from_bytes(header, "little"))
        if payload is None:
            return
        index, arg = _loads(payload)
        try:
            answer = (index, True, target(arg))
        except Exception:
            import traceback

            answer = (index, False, traceback.format_exc())
        out.write(_frame(answer))
        out.flush()


class _Worker:
    __slots__ = ("pid", "task_fd", "result_fd", "outbox", "inbox", "tasks")

    def __init__(self, pid: int, task_fd: int, result_fd: int) -> None:
        self.pid = pid
        self.task_fd = task_fd
        self.result_fd = result_fd
        self.outbox = bytearray()  # framed tasks not yet written
        self.inbox = bytearray()  # bytes read, not yet a whole result
        self.tasks: deque[tuple[int, Any]] = deque()  # sent, not answered, in order


class ForkPool:
    """``processes`` forked workers running ``target``, each running ``initializer(*initargs)`` first.

    ``lost(item, why)`` answers for an item whose process dies even when it is
    linted alone (see :meth:`imap`); None: raise WorkerError instead.
    """

    def __init__(self, processes: int, target: Callable[[Any], Any], initializer: Callable[..., None] | None = None,
                 initargs: tuple = (), lost: Callable[[Any, str], Any] | None = None) -> None:
        self._target = target
        self._workers: list[_Worker] = []
        self._closed = False
        self._on_lost = lost
        try:
            for _ in range(max(1, processes)):
                self._workers.append(self._fork(initializer, initargs))
        except BaseException:
            self.terminate()
            raise

    def _fork(self, initializer: Callable[..., None] | None, initargs: tuple) -> _Worker:
        task_r, task_w = os.pipe()
        result_r, result_w = os.pipe()
        pid = os.fork()
        if pid == 0:  # the worker
            code = 1
            try:
                os.close(task_w)
                os.close(result_r)
                for w in self._workers:  # its elder siblings' pipes are not its own
                    os.close(w.task_fd)
                    os.close(w.result_fd)
                if initializer is not None:
                    initializer(*initargs)
                _serve(task_r, result_w, self._target)
                code = 0
            except KeyboardInterrupt:
                code = 130
            except BaseException:
                code = 1
            finally:
                os._exit(code)  # never the parent's atexit handlers or buffered output
        os.close(task_r)
        os.close(result_w)
        os.set_blocking(task_w, False)
        os.set_blocking(result_r, False)
        return _Worker(pid, task_w, result_r)

    # -- running tasks -------------------------------------------------------------
    def imap(self, iterable: Iterable[Any]) -> Iterator[Any]:
        """``target(x)`` for each ``x``, computed by the workers, yielded in order.

        Each ``x`` is a list (a chunk) and ``target`` answers with a list, an
        item for each of its items: the tasks of a worker that dies are run
        again an item at a time (:func:`isolate`), and the pool's ``lost``
        answers for an item whose process dies too.
        """
        func = self._target
        tasks = iter(iterable)
        done: dict[int, Any] = {}
        sent = 0
        next_out = 0
        exhausted = False
        while True:
            # Top every live worker up to two waiting tasks.
            live = [w for w in self._workers if w.pid]
            if not exhausted and not live:  # every worker died: the rest runs in isolation
                for arg in tasks:
                    done[sent] = isolate(func, arg, self._on_lost)
                    sent += 1
                exhausted = True
            if not exhausted:
                for w in live:
                    while len(w.tasks) < 2:
                        try:
                            arg = next(tasks)
                        except StopIteration:
                            exhausted = True
                            break
                        w.tasks.append((sent, arg))
                        w.outbox += _frame((sent, arg))
                        sent += 1
                    if exhausted:
                        break
            while next_out in done:
                yield done.pop(next_out)
                next_out += 1
            if exhausted and next_out == sent:
                return
            self._step(done)

    def _step(self, done: dict[int, Any]) -> None:
        """Write what can be written, read what has come, once."""
        live = [w for w in self._workers if w.pid]
        writers = [w.task_fd for w in live if w.outbox]
        readers = [w.result_fd for w in live if w.tasks]
        if not writers and not readers:  # pragma: no cover - imap answers without the workers then
            return
        readable, writable, _ = select.select(readers, writers, [])
        for w in live:
            if w.task_fd in writable:
                try:
                    n = os.write(w.task_fd, w.outbox)
                except BlockingIOError:  # pragma: no cover - select said it would not block
                    n = 0
                except BrokenPipeError:
                    n = 0  # it died: its result pipe says so next
                del w.outbox[:n]
            if w.result_fd in readable:
                self._receive(w, done)

    def _receive(self, w: _Worker, done: dict[int, Any]) -> None:
        try:
            data = os.read(w.result_fd, _READ)
        except BlockingIOError:  # pragma: no cover
            return
        if not data:
            self._lost(w, done)
            return
        w.inbox += data
        while len(w.inbox) >= _HEADER:
            n = int.from_bytes(w.inbox[:_HEADER], "little")
            if len(w.inbox) < _HEADER + n:
                break
            index, ok, value = _loads(w.inbox[_HEADER:_HEADER + n])
            del w.inbox[:_HEADER + n]
            w.tasks.popleft()
            if not ok:
                raise WorkerError(f"a worker process failed:\n{value}")
            done[index] = value

    def _lost(self, w: _Worker, done: dict[int, Any]) -> None:
        """``w`` died: run each of its tasks again, in isolation, and replace it."""
        status = _reap(w.pid)
        for fd in (w.task_fd, w.result_fd):
            os.close(fd)
        w.pid = 0
        for index, arg in w.tasks:
            done[index] = isolate(self._target, arg, self._on_lost, status)
        w.tasks.clear()
        w.outbox.clear()

    # -- shutting down ---------------------------------------------------------------
    def close(self) -> None:
        """No more tasks: each worker exits when it has read its task pipe to the end."""
        if self._closed:
            return
        self._closed = True
        for w in self._workers:
            if w.pid:
                os.close(w.task_fd)

    def join(self) -> None:
        for w in self._workers:
            if w.pid:
                _reap(w.pid)
                os.close(w.result_fd)
                w.pid = 0

    def terminate(self) -> None:
        for w in self._workers:
            if w.pid:
                try:
                    os.kill(w.pid, signal.SIGTERM)
                except ProcessLookupError:  # pragma: no cover
                    pass
        if not self._closed:
            self._closed = True
            for w in self._workers:
                if w.pid:
                    os.close(w.task_fd)
        self.join()


def _reap(pid: int) -> int:
    """Wait for ``pid``; its wait status (0 if it was already reaped)."""
    while True:
        try:
            return os.waitpid(pid, 0)[1]
        except InterruptedError:  # pragma: no cover
            continue
        except ChildProcessError:  # pragma: no cover
            return 0


def isolate(func: Callable[[Any], Any], chunk: Any, lost: Callable[[Any, str], Any] | None,
            status: int = 0) -> Any:
    """``func(chunk)`` for a chunk (a list) whose worker died: each item in a
    child of its own. An item whose child dies too is answered by
    ``lost(item, why)``; the others are answered as if nothing happened."""
    out = []
    for item in chunk:
        r, w = os.pipe()
        pid = os.fork()
        if pid == 0:
            code = 1
            try:
                os.close(r)
                with os.fdopen(w, "wb") as fh:
                    fh.write(_dumps(func([item])))
                code = 0
            finally:
                os._exit(code)
        os.close(w)
        with os.fdopen(r, "rb") as fh:
            data = fh.read()
        child = _reap(pid)
        if child == 0 and data:
            out.extend(_loads(data))
        elif lost is None:
            raise WorkerError(f"{item!r}: {_why(child or status)}")
        else:
            out.append(lost(item, _why(child or status)))
    return out


def _why(status: int) -> str:
    if os.WIFSIGNALED(status):
        sig = os.WTERMSIG(status)
        try:
            name = signal.Signals(sig).name
        except ValueError:  # pragma: no cover
            name = str(sig)
        return f"the process linting it was killed by {name}"
    if os.WIFEXITED(status):
        return f"the process linting it exited with code {os.WEXITSTATUS(status)}"
    return "the process linting it died"  # pragma: no cover
