"""Per-file limits: a size cap checked before reading, and a time budget.

One pathological post must never stall the run. Both limits are rules with
options, so users configure them the usual way
(``[tool.newslint.rules.file-too-large] max_bytes``,
``[tool.newslint.rules.file-timeout] seconds``) and turn them off by disabling
the rule or setting the option to 0.

* Size: :func:`size_limit` is asked with the ``stat`` size before the file is
  opened for reading (linter, engine, fixer); a file over the cap gets a
  ``file-too-large`` finding and is never read.
* Time: :func:`time_budget` arms ``ITIMER_REAL``; when it fires, ``SIGALRM``
  raises :class:`FileTimedOut` (a ``BaseException``, so no ``except
  Exception`` in a rule or a parser can swallow it) in the code linting the
  post, which gives up on that post with a ``file-timeout`` finding and
  nothing else: whatever was parsed or found before is dropped, and the
  result is never cached. Code that must catch a ``BaseException`` (a panic
  in a Rust parser) lets every other one go on up. The same code runs
  in-process and in the pool's workers (each task runs on a worker's main
  thread). Python checks for signals between bytecodes: a single C call that
  never returns is not interrupted, so newslint's own parsing avoids those
  (no unbounded regexes; html.py stops at an unclosed comment).
"""

from __future__ import annotations

import os
import signal
import threading
import time
from typing import TYPE_CHECKING, Callable

from .model import Violation
from .rules.file_timeout import FileTimeout
from .rules.file_too_large import FileTooLarge

if TYPE_CHECKING:
    from .config import Config
    from .ruleapi import Rule


class FileTimedOut(BaseException):
    """The time budget of the current post ran out."""


def _enabled(rule: type["Rule"], config: "Config", rules: list[type["Rule"]] | None, path: str) -> bool:
    if rules is None:
        rules = config.enabled_rules()
    return rule in rules and rule.name not in config.ignored_for(path)


def _limit(rule: type["Rule"], key: str, cast: type, config: "Config", rules: list[type["Rule"]] | None,
           path: str):
    """The rule's ``key`` option for ``path`` as a number >= 0 (0: the rule is off
    there, or the option says none; the default when it is not a number)."""
    if not _enabled(rule, config, rules, path):
        return cast(0)
    try:
        return max(cast(0), cast(config.options_for(rule).get(key) or 0))
    except (TypeError, ValueError):
        return rule.options[key]


def size_limit(config: "Config", rules: list[type["Rule"]] | None, path: str) -> int:
    """The size cap in bytes for ``path`` (0: none)."""
    return _limit(FileTooLarge, "max_bytes", int, config, rules, path)


def budget_seconds(config: "Config", rules: list[type["Rule"]] | None, path: str) -> float:
    """The time budget in seconds for ``path`` (0: none)."""
    return _limit(FileTimeout, "seconds", float, config, rules, path)


def _violation(rule: type["Rule"], config: "Config", path: str, message: str) -> Violation:
    return Violation(path=path, line=1, column=1, end_line=1, end_column=1, rule=rule.name, code=rule.code,
                     severity=config.severity_of(rule), message=message)


def too_large_violation(config: "Config", path: str, size: int, limit: int) -> Violation:
    return _violation(FileTooLarge, config, path,
                      f"file is {size:,} bytes, over the {limit:,}-byte limit (`file-too-large.max_bytes`): "
                      "not read, not linted")


def timeout_violation(config: "Config", path: str, seconds: float) -> Violation:
    return _violation(FileTimeout, config, path,
                      f"linting this file took longer than {seconds:g} s (`file-timeout.seconds`): "
                      "stopped, the file was not checked")


# [the deadline of the post being linted (time.monotonic; 0: none), when our
# armed timer fires (0: not armed)]. Where the handler stays installed (a pool
# worker, a run linting in-process), the timer is armed once and left running
# across posts: each post only moves the deadline, and a timer that fires
# before it is armed again for the rest, so a post costs no system call.
_state = [0.0, 0.0]


def _on_alarm(signum, frame):  # pragma: no cover - runs in a signal handler
    _state[1] = 0.0
    deadline = _state[0]
    if not deadline:
        return  # between posts: nothing to stop
    left = deadline - time.monotonic()
    if left <= 0.001:
        raise FileTimedOut()
    signal.setitimer(_REAL, left)
    _state[1] = deadline


def _forget_timer() -> None:
    """A forked child has no interval timer, whatever its parent had armed."""
    _state[0] = _state[1] = 0.0


try:  # The handler as the signal table holds it: signal.getsignal wraps it in
    # an enum lookup that raises and catches a ValueError for a function handler.
    from _signal import getsignal as _handler_of
except ImportError:  # pragma: no cover - not CPython
    _handler_of = signal.getsignal
_ALARM = getattr(signal, "SIGALRM", None)
_REAL = getattr(signal, "ITIMER_REAL", None)
if hasattr(os, "register_at_fork"):
    os.register_at_fork(after_in_child=_forget_timer)


def keep_alarm_handler() -> None:
    """Install the budget's SIGALRM handler for good (a pool worker, which
    owns its process): a file then costs no system call (see time_budget),
    where installing the handler for each file costs five and the
    ``Handlers`` enums ``signal.signal`` builds."""
    if (hasattr(signal, "setitimer") and threading.current_thread() is threading.main_thread()
            and _handler_of(_ALARM) is not _on_alarm):
        signal.signal(signal.SIGALRM, _on_alarm)


def hold_alarm_handler() -> Callable[[], None] | None:
    """Keep the budget's handler installed while this process lints many
    files itself (``-j1``, a small run), as a worker does; returns what puts
    the previous handler back. None (nothing done) off the main thread, when
    the handler is someone else's or is already ours, or when a timer runs."""
    if (not hasattr(signal, "setitimer") or threading.current_thread() is not threading.main_thread()
            or signal.getitimer(_REAL)[0] > 0):
        return None
    previous = _handler_of(_ALARM)
    if previous not in (signal.SIG_DFL, signal.SIG_IGN, None):
        return None
    signal.signal(_ALARM, _on_alarm)

    def restore() -> None:
        if _handler_of(_ALARM) is _on_alarm:
            _disarm()
            signal.signal(_ALARM, previous)

    return restore


class time_budget:
    """Raise :class:`FileTimedOut` inside the ``with`` block after ``seconds``.

    Entering gives True when the budget is armed; False (and no budget) when
    ``seconds`` is 0, the platform has no ``setitimer``, we are not on the
    main thread, or an interval timer is already running (a caller's own
    guard wins; nothing is overridden). A class, not a generator: it is
    entered once per file.
    """

    __slots__ = ("seconds", "_previous", "_armed")

    def __init__(self, seconds: float) -> None:
        self.seconds = seconds
        self._previous: object = _KEPT
        self._armed = False

    def __enter__(self) -> bool:
        seconds = self.seconds
        if seconds <= 0 or _REAL is None:
            return False
        # Where the handler stays installed between files (a pool worker, a
        # run linting in-process), the process's own signal table says so, no
        # flag of ours: the post sets its deadline, and the timer is armed only
        # when none of ours runs or ours would fire after that deadline.
        if _handler_of(_ALARM) is _on_alarm:
            deadline = time.monotonic() + seconds
            fires = _state[1]
            if not fires:
                if signal.getitimer(_REAL)[0] > 0:
                    return False
                signal.setitimer(_REAL, seconds)
                _state[1] = deadline
            elif fires > deadline:
                signal.setitimer(_REAL, seconds)
                _state[1] = deadline
            _state[0] = deadline
            self._armed = True
            return True
        if threading.current_thread() is not threading.main_thread() or signal.getitimer(_REAL)[0] > 0:
            return False
        self._previous = signal.signal(_ALARM, _on_alarm)
        _state[0] = time.monotonic() + seconds
        signal.setitimer(_REAL, seconds)
        _state[1] = _state[0]
        self._armed = True
        return True

    def __exit__(self, *exc: object) -> None:
        if self._armed:
            _state[0] = 0.0  # the timer may go on running: it stops nothing now
            if self._previous is not _KEPT:
                _disarm()
                signal.signal(_ALARM, self._previous)


def _disarm() -> None:
    if _state[1]:
        signal.setitimer(_REAL, 0)
    _state[0] = _state[1] = 0.0


_KEPT = object()  # time_budget did not install the handler: nothing to put back
