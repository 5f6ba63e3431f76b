"""When to use colour and a progress bar, and the progress bar itself.

Both are for a person watching a terminal, never for a log or a pipe:

* colour (:func:`use_color`): only when the report goes to a terminal, never
  when ``NO_COLOR`` is set to anything but the empty string (https://no-color.org)
  or ``TERM`` is ``dumb``, never in a file written with ``--output-file``;
* the progress bar (:func:`use_progress`): only on a standard error that is a
  terminal and never when the ``CI`` variable is set (whatever its value: CI
  systems that allocate a pseudo-terminal still set it). It appears only once
  a run has lasted :data:`DELAY` seconds, so short runs never flash it, is
  redrawn at most every :data:`INTERVAL` seconds, and is erased before the
  report is printed.
"""

from __future__ import annotations

import os
import time
from typing import Callable, Iterable, Iterator, Mapping, TextIO, TypeVar

T = TypeVar("T")

DELAY = 0.5  # seconds before the bar first appears
INTERVAL = 0.1  # seconds between redraws


def _isatty(stream: object) -> bool:
    try:
        return bool(stream.isatty())  # type: ignore[attr-defined]
    except (AttributeError, ValueError, OSError):  # no isatty, or a closed stream
        return False


def use_color(stream: object, env: Mapping[str, str] | None = None) -> bool:
    """Colour for output written to ``stream``."""
    env = os.environ if env is None else env
    if env.get("NO_COLOR", ""):
        return False
    if env.get("TERM") == "dumb":
        return False
    return _isatty(stream)


def use_progress(stream: object, env: Mapping[str, str] | None = None) -> bool:
    """A progress bar on ``stream`` (standard error)."""
    env = os.environ if env is None else env
    if "CI" in env:
        return False
    if env.get("TERM") == "dumb":
        return False
    return _isatty(stream)


class Progress:
    """``files done/total`` with a bar, redrawn in place on one line of ``stream``."""

    def __init__(self, total: int, stream: TextIO | None, enabled: bool, *, label: str = "files",
                 delay: float | None = None, interval: float | None = None,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.total = total
        self.stream = stream
        self.enabled = bool(enabled and stream is not None and total > 0)
        self.label = label
        self.delay = DELAY if delay is None else delay
        self.interval = INTERVAL if interval is None else interval
        self.clock = clock
        self.done = 0
        self._start = clock()
        self._last_draw: float | None = None
        self._shown_width = 0

    def iterate(self, items: Iterable[T]) -> Iterator[T]:
        """Yield ``items``, advancing the bar after each; the bar is erased at the end."""
        try:
            if not self.enabled:  # no bar (not a terminal, -q, ...): only the count
                for item in items:
                    yield item
                    self.done += 1
                return
            for item in items:
                yield item
                self.advance()
        finally:
            self.close()

    def advance(self, n: int = 1) -> None:
        self.done += n
        if not self.enabled:
            return
        now = self.clock()
        if now - self._start < self.delay:
            return
        if self._last_draw is not None and now - self._last_draw < self.interval and self.done < self.total:
            return
        self._last_draw = now
        self._draw(self.render(self._columns()))

    def render(self, columns: int) -> str:
        """The bar line for a terminal ``columns`` wide (never wider)."""
        done = min(self.done, self.total)
        pct = done * 100 // self.total if self.total else 100
        counts = f" {done}/{self.total} {self.label} {pct:3d}%"
        room = max(0, min(40, columns - len(counts) - 3))
        if room < 5:
            return counts.strip()[: max(0, columns - 1)]
        filled = done * room // self.total if self.total else room
        return "[" + "#" * filled + "-" * (room - filled) + "]" + counts

    def close(self) -> None:
        """Erase the bar (if it was ever drawn)."""
        if self._shown_width and self.stream is not None:
            try:
                self.stream.write("\r" + " " * self._shown_width + "\r")
                self.stream.flush()
            except (OSError, ValueError):
                pass
        self._shown_width = 0

    def _columns(self) -> int:
        import shutil  # here: only a bar on a terminal needs it (it imports bz2 and lzma)

        return shutil.get_terminal_size((80, 24)).columns

    def _draw(self, line: str) -> None:
        assert self.stream is not None
        pad = max(0, self._shown_width - len(line))
        try:
            self.stream.write("\r" + line + " " * pad)
            self.stream.flush()
        except (OSError, ValueError):  # the terminal went away: stop drawing
            self.enabled = False
            return
        self._shown_width = max(self._shown_width, len(line))
