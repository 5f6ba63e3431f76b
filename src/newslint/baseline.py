"""Baselines: adopt newslint on an archive without fixing every old finding first.

``--write-baseline FILE`` records today's findings; ``--baseline FILE`` then
reports only the findings that are not in it.

A finding's key must survive lines moving (a paragraph inserted above it, a
front matter key added), so it is not the line number but:

* the rule name,
* the path, relative to the baseline file's folder, with ``/`` separators,
* a fingerprint: the SHA-256 of the rule name and the offending source text
  (the violation's span of ``Document.text`` with up to :data:`CONTEXT`
  characters either side on the same lines, whitespace runs collapsed),
* the occurrence index among the findings of the file with the same rule and
  fingerprint, in file order (the second identical bad link is index 1).

The context tells apart findings whose span alone is the same text: every
``rel="dofollow"`` is the same span, but the links around them differ, so a
new bad link is reported where it is, not at an older identical one. It stops
at the line ends, so lines moving never change it, and it is short, so an edit
elsewhere in a long line (CMS HTML is often one line) does not change it either.

The file is JSON, sorted and stable (the same findings always give the same
bytes), with a ``version`` field::

    {
      "version": 1,
      "tool": "newslint",
      "entries": [
        {"path": "posts/a.md", "rule": "link-rel-invalid", "fingerprint": "9f2c...", "index": 0},
        ...
      ]
    }

Baseline entries of linted files that no longer match any finding are counted
(``stale``): the run says how many, so the file can be pruned with a fresh
``--write-baseline``. Entries of files the run did not lint (another shard,
``--changed-since``, a narrower path) are not counted as stale.
"""

from __future__ import annotations

import json
import os
import re
from collections import Counter
from typing import Iterable, Sequence

from .config import ConfigError
from .model import Violation

VERSION = 1
FINGERPRINT_CHARS = 20  # hex digits of the SHA-256 kept (80 bits)
CONTEXT = 40  # characters of the same line(s) either side of the span that the fingerprint covers

_WS = re.compile(r"\s+")

Key = tuple[str, str, str, int]  # (path, rule, fingerprint, index)


def read_text(path: str) -> str | None:
    """The decoded text of a post (offsets of violations index it), or None if unreadable."""
    from .document import decode

    try:
        with open(path, "rb") as fh:
            raw = fh.read()
    except OSError:
        return None
    text, _bom, _problem = decode(raw)
    return text


def fingerprint(rule: str, snippet: str) -> str:
    """SHA-256 (truncated) of the rule and the offending text with whitespace normalised."""
    norm = _WS.sub(" ", snippet).strip()
    import hashlib  # here: only a run with a baseline needs it (OpenSSL loads with it)

    return hashlib.sha256(f"{rule}\0{norm}".encode("utf-8", "surrogatepass")).hexdigest()[:FINGERPRINT_CHARS]


def offending_text(text: str, start: int, end: int) -> str:
    """``text[start:end]`` with up to CONTEXT characters either side, not past the line ends."""
    line_start = text.rfind("\n", 0, start) + 1
    line_end = text.find("\n", end)
    if line_end < 0:
        line_end = len(text)
    return text[max(line_start, start - CONTEXT):min(line_end, end + CONTEXT)]


def file_keys(violations: Sequence[Violation], text: str | None) -> list[tuple[str, str, int]]:
    """(rule, fingerprint, index) for each violation of ONE file, in the given order.

    The index counts earlier violations of the same rule and fingerprint in
    file order (by offset), whatever order ``violations`` come in.
    """
    fps = []
    for v in violations:
        ok = text is not None and 0 <= v.start <= v.end <= len(text)
        snippet = offending_text(text, v.start, v.end) if ok else ""  # type: ignore[arg-type]
        fps.append(fingerprint(v.rule, snippet))
    order = sorted(range(len(violations)), key=lambda i: (violations[i].start, violations[i].end,
                                                            violations[i].line, violations[i].column))
    seen: Counter[tuple[str, str]] = Counter()
    index = [0] * len(violations)
    for i in order:
        k = (violations[i].rule, fps[i])
        index[i] = seen[k]
        seen[k] += 1
    return [(v.rule, fp, idx) for v, fp, idx in zip(violations, fps, index)]


def relative_path(path: str, base_dir: str) -> str:
    """``path`` relative to ``base_dir``, POSIX separators (absolute when on another drive)."""
    full = os.path.abspath(path)
    try:
        rel = os.path.relpath(full, base_dir)
    except ValueError:  # another drive on Windows
        rel = full
    return rel.replace(os.sep, "/")


def _base_dir(baseline_file: str) -> str:
    return os.path.dirname(os.path.abspath(baseline_file))


class Baseline:
    """The recorded findings, as a multiset of keys."""

    def __init__(self, entries: Iterable[Key] = (), base_dir: str | None = None) -> None:
        self.entries: Counter[Key] = Counter(entries)
        self.base_dir = base_dir or os.getcwd()
        self._matched: Counter[Key] = Counter()
        self._linted: set[str] = set()

    # -- reading -------------------------------------------------------------
    @classmethod
    def load(cls, file: str) -> "Baseline":
        """Read a baseline file; a ConfigError (exit 2) names what is wrong with it."""
        try:
            with open(file, "rb") as fh:
                data = json.loads(fh.read().decode("utf-8"))
        except FileNotFoundError:
            raise ConfigError(f"baseline file {file} does not exist; create it with --write-baseline {file}") from None
        except OSError as exc:
            raise ConfigError(f"cannot read baseline file {file}: {exc.strerror or exc}") from None
        except (UnicodeDecodeError, ValueError) as exc:
            raise ConfigError(f"baseline file {file} is not valid JSON: {exc}") from None
        if not isinstance(data, dict) or not isinstance(data.get("entries"), list):
            raise ConfigError(f"baseline file {file} is not a newslint baseline (no \"entries\" list)")
        version = data.get("version")
        if version != VERSION:
            raise ConfigError(f"baseline file {file} has version {version!r}; this newslint reads version {VERSION} "
                              f"(write a new one with --write-baseline {file})")
        keys: list[Key] = []
        for n, e in enumerate(data["entries"]):
            try:
                key = (str(e["path"]), str(e["rule"]), str(e["fingerprint"]), int(e["index"]))
            except (KeyError, TypeError, ValueError):
                raise ConfigError(f"baseline file {file}: entry {n} needs path, rule, fingerprint and index") from None
            keys.append(key)
        return cls(keys, _base_dir(file))

    # -- matching ------------------------------------------------------------
    def filter(self, path: str, violations: list[Violation], text: str | None = None) -> list[Violation]:
        """The violations of one file that the baseline does not hold.

        ``text`` is the file's decoded text (read from ``path`` when None).
        """
        rel = relative_path(path, self.base_dir)
        self._linted.add(rel)
        if not violations:
            return violations
        if text is None:
            text = read_text(path)
        out = []
        for v, (rule, fp, idx) in zip(violations, file_keys(violations, text)):
            key = (rel, rule, fp, idx)
            if self.entries[key] > self._matched[key]:
                self._matched[key] += 1
            else:
                out.append(v)
        return out

    def matched(self) -> int:
        return sum(self._matched.values())

    def stale(self) -> int:
        """Entries that match no finding: of the files linted so far, or of files that are gone."""
        gone: dict[str, bool] = {}
        total = 0
        for k, n in self.entries.items():
            path = k[0]
            if path not in self._linted:
                if path not in gone:
                    gone[path] = not os.path.lexists(os.path.join(self.base_dir, path))
                if not gone[path]:
                    continue
            total += n - self._matched[k]
        return total

    def note(self, file: str) -> str:
        """One line for the report: findings hidden, entries that no longer match."""
        hidden, stale = self.matched(), self.stale()
        line = f"baseline {file}: {hidden} known finding{'s' if hidden != 1 else ''} hidden, "
        line += f"{stale} entr{'y' if stale == 1 else 'ies'} no longer match{'es' if stale == 1 else ''}"
        if stale:
            line += f" (prune them with --write-baseline {file})"
        return line


def _entry_json(entry: dict) -> str:
    """One entry as JSON; a path that is not valid Unicode (undecodable file name) is escaped."""
    text = json.dumps(entry, ensure_ascii=False)
    try:
        text.encode("utf-8")
    except UnicodeEncodeError:
        text = json.dumps(entry)
    return text


class BaselineWriter:
    """Collects keys file by file (memory: the keys only), then writes the file."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.base_dir = _base_dir(file)
        self.keys: list[Key] = []

    def add(self, path: str, violations: Sequence[Violation], text: str | None = None) -> None:
        if not violations:
            return
        if text is None:
            text = read_text(path)
        rel = relative_path(path, self.base_dir)
        self.keys.extend((rel, rule, fp, idx) for rule, fp, idx in file_keys(violations, text))

    def dumps(self) -> str:
        entries = [{"path": p, "rule": r, "fingerprint": f, "index": i} for p, r, f, i in sorted(set(self.keys))]
        body = ",\n".join("    " + _entry_json(e) for e in entries)
        return ('{\n  "version": %d,\n  "tool": "newslint",\n  "entries": [\n%s%s  ]\n}\n'
                % (VERSION, body, "\n" if body else ""))

    def write(self) -> int:
        """Write atomically; returns the number of entries."""
        data = self.dumps().encode("utf-8")
        directory = self.base_dir
        tmp = os.path.join(directory, f".{os.path.basename(self.file)}.newslint-tmp")
        try:
            with open(tmp, "wb") as fh:
                fh.write(data)
            os.replace(tmp, self.file)
        except OSError as exc:
            try:
                os.unlink(tmp)
            except OSError:
                pass
            raise ConfigError(f"cannot write baseline file {self.file}: {exc.strerror or exc}") from None
        return len(set(self.keys))
