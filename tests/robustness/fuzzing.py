"""A seeded mutation fuzzer over real posts, shared by the CI fuzz test and
``bench/fuzz_long.py``.

Each input is a post (bytes) that went through one to three mutations: byte
flips, truncation (also in the middle of a UTF-8 sequence), splicing two files,
an encoding swap (UTF-16, UTF-16LE without BOM, CP949), inserting a hostile
token (``---``, ``<!--``, NUL, bidi controls, unclosed fences, ...), repeating a
token thousands of times, duplicating or deleting a slice. Every input is
linted through :func:`newslint.linter.lint_bytes` (the engine's own entry
point) and, when it decodes, fixed in memory with :func:`newslint.fixer.fix_text`.

An outcome is one of:

* ``ok``;
* ``crash``: an exception escaped, an ``internal-error`` finding, or a rule
  that failed on the fixed text (``fix-reverted`` saying "a rule failed");
* ``hang``: the input took longer than the guard (or hit ``file-timeout``);
* ``fix-failed``: the fixer refused its own result (``fix-reverted`` or
  ``fix-not-converged`` for another reason): handled, not a crash, but counted.

Nothing here reads the corpus unless asked: ``corpus_files`` takes the folder.
"""

from __future__ import annotations

import faulthandler
import random
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

from newslint.config import Config
from newslint.document import Document
from newslint.fixer import FAILURE_RULES, fix_text
from newslint.limits import FileTimedOut, time_budget
from newslint.linter import lint_bytes

POST_SUFFIXES = (".md", ".markdown", ".html")
TOKENS = [
    b"---\n", b"---", b"\n---\n", b"...\n", b"+++\n", b"<!--", b"-->", b"\x00", b"\x85", b"\x9f",
    b"<script>", b"</script>", b"<textarea>", b"<style>", b"<table>", b"<td>", b"</p>", b"<p>",
    b"<a href=\"", b"<img src=x alt=\"", b"\"", b"'", b"<", b">", b"&", b"&#", b"&#x3131;", b"&nbsp;",
    b"```", b"~~~", b"    ", b"\t", b"\r", b"\r\n", b"|", b"| --- |", b"[", b"](", b"![", b"]:",
    b"{% raw %}", b"{% endraw %}", b"{{< figure ", b">}}", b"{{", b"}}", b"{:", b"<!--more-->",
    b"title: ", b": ", b"- ", b"? ", b"&x ", b"*x", b"!!python/object/apply:os.system", b"[[[[", b"{a:",
    "\u202e".encode(), "\u2028".encode(), "\u200b".encode(), "\ufeff".encode(), "\u3164".encode(),
    "\u1100\u1161".encode(), "한글".encode(), "😀".encode(), "\uf914".encode(), b"\xef\xbb\xbf",
    b"\xc3", b"\xe2\x80", b"\xff\xfe", b"newslint-disable ", b"<!-- newslint-disable-next-line -->",
]
# Tokens worth repeating many times (quadratic parsers love these).
REPEAT = [b"<!--", b"<a ", b"</", b"<!", b"[", b"](", b"*", b"_", b"`", b"<div>", b"{%", b"&#", b"> ",
          b"- ", b"|", b"\\", b"<![CDATA[", b"<?", b"{{<", b"[[", "\u200b".encode(),
          b"{{", b"{% raw ", b"{% raw %}", b"{{< highlight ", b"{{< code >}}", b"<a href=\"{{",
          b"|`", b"``", b"`a", b"| a ", b"\n|---"]


def corpus_files(folder: Path, limit: int | None = None) -> list[Path]:
    files = sorted(p for p in folder.rglob("*") if p.suffix.lower() in POST_SUFFIXES and p.is_file()
                   and not p.is_symlink())
    return files[:limit] if limit else files


# -- mutations ---------------------------------------------------------------------


def _flip(rng: random.Random, data: bytes, other: bytes) -> bytes:
    if not data:
        return bytes([rng.randrange(256)])
    b = bytearray(data)
    for _ in range(rng.randint(1, 8)):
        i = rng.randrange(len(b))
        b[i] = rng.randrange(256) if rng.random() < 0.5 else b[i] ^ (1 << rng.randrange(8))
    return bytes(b)


def _truncate(rng: random.Random, data: bytes, other: bytes) -> bytes:
    return data[: rng.randint(0, len(data))]


def _splice(rng: random.Random, data: bytes, other: bytes) -> bytes:
    return data[: rng.randint(0, len(data))] + other[rng.randint(0, len(other)):]


def _encoding(rng: random.Random, data: bytes, other: bytes) -> bytes:
    text = data.decode("utf-8", "replace")
    enc = rng.choice(["utf-16", "utf-16-le", "utf-16-be", "cp949", "euc-kr", "latin-1", "utf-8-sig"])
    return text.encode(enc, "replace")


def _insert(rng: random.Random, data: bytes, other: bytes) -> bytes:
    out = data
    for _ in range(rng.randint(1, 4)):
        i = rng.randint(0, len(out))
        if rng.random() < 0.5:  # at a line start more often: fences and front matter live there
            nl = out.rfind(b"\n", 0, i)
            i = nl + 1
        out = out[:i] + rng.choice(TOKENS) + out[i:]
    return out


def _repeat(rng: random.Random, data: bytes, other: bytes) -> bytes:
    token = rng.choice(REPEAT)
    n = rng.choice([100, 1000, 5000, 20000])
    i = rng.randint(0, len(data))
    return data[:i] + token * n + data[i:]


def _duplicate(rng: random.Random, data: bytes, other: bytes) -> bytes:
    if not data:
        return data
    a = rng.randrange(len(data))
    b = min(len(data), a + rng.randint(1, 2000))
    return data[:b] + data[a:b] * rng.randint(1, 20) + data[b:]


def _delete(rng: random.Random, data: bytes, other: bytes) -> bytes:
    if not data:
        return data
    a = rng.randrange(len(data))
    return data[:a] + data[a + rng.randint(1, 500):]


MUTATIONS: dict[str, Callable[[random.Random, bytes, bytes], bytes]] = {
    "flip": _flip, "truncate": _truncate, "splice": _splice, "encoding": _encoding, "insert": _insert,
    "repeat": _repeat, "duplicate": _duplicate, "delete": _delete,
}
_WEIGHTS = {"flip": 3, "truncate": 2, "splice": 2, "encoding": 1, "insert": 5, "repeat": 1, "duplicate": 1,
            "delete": 2}


def mutate(rng: random.Random, data: bytes, other: bytes) -> tuple[bytes, list[str]]:
    names = rng.choices(list(_WEIGHTS), weights=list(_WEIGHTS.values()), k=rng.randint(1, 3))
    for name in names:
        data = MUTATIONS[name](rng, data, other)
    return data, names


# -- running one input -----------------------------------------------------------------


@dataclass
class Outcome:
    kind: str  # ok, crash, hang, fix-failed
    seconds: float
    detail: str = ""


def fuzz_config() -> Config:
    """The default configuration; the time budget is a backstop (a hang is judged on CPU time)."""
    cfg = Config()
    cfg.rule_options = {"file-timeout": {"seconds": 60.0}}
    return cfg


def run_one(raw: bytes, path: str, config: Config, *, fix: bool = True, hang_after: float = 10.0) -> Outcome:
    t0, c0 = time.perf_counter(), time.process_time()
    try:
        result = lint_bytes(path, raw, config)
        rules = [v.rule for v in result.violations]
        if result.internal_error or "internal-error" in rules or "rule-crashed" in rules:
            msg = next(v.message for v in result.violations if v.rule in ("internal-error", "rule-crashed"))
            return Outcome("crash", time.perf_counter() - t0, msg)
        if "file-timeout" in rules:
            return Outcome("hang", time.perf_counter() - t0, "file-timeout")
        detail = ""
        kind = "ok"
        if fix:
            doc = Document(path, raw)
            if doc.ok:
                try:
                    with time_budget(max(hang_after * 6, 1.0)):
                        fixed = fix_text(doc.text, path, config, bom=doc.bom, unsafe=True, doc=doc)
                except FileTimedOut:
                    return Outcome("hang", time.perf_counter() - t0, "fix_text ran out of time")
                for p in fixed.problems:
                    if p.rule in FAILURE_RULES:
                        if "a rule failed" in p.message:
                            return Outcome("crash", time.perf_counter() - t0, p.message)
                        kind, detail = "fix-failed", p.message
    except BaseException as exc:  # noqa: BLE001 - the fuzzer reports everything
        if isinstance(exc, KeyboardInterrupt):
            raise
        return Outcome("crash", time.perf_counter() - t0, f"{type(exc).__name__}: {exc}")
    elapsed = time.perf_counter() - t0
    cpu = time.process_time() - c0
    # CPU time decides (a loaded CI machine stretches wall time); wall time far
    # over the guard is a hang too (blocked, not computing).
    if cpu > hang_after or elapsed > 3 * hang_after:
        return Outcome("hang", elapsed, f"{elapsed:.1f} s wall, {cpu:.1f} s CPU")
    return Outcome(kind, elapsed, detail)


@dataclass
class Report:
    inputs: int = 0
    counts: dict[str, int] = field(default_factory=dict)
    failures: list[tuple[str, str, list[str], str]] = field(default_factory=list)  # kind, source, mutations, detail
    slowest: tuple[float, str] = (0.0, "")
    seconds: float = 0.0


def inputs(files: list[Path], seed: int) -> Iterator[tuple[bytes, str, list[str], str]]:
    """An endless, reproducible stream of (mutated bytes, lint path, mutations, source name)."""
    rng = random.Random(seed)
    cache: dict[Path, bytes] = {}

    def read(p: Path) -> bytes:
        data = cache.get(p)
        if data is None:
            data = p.read_bytes()
            if len(cache) < 2000:
                cache[p] = data
        return data

    while True:
        a, b = rng.choice(files), rng.choice(files)
        data, names = mutate(rng, read(a), read(b))
        path = "post" + rng.choice([".md", ".md", ".md", ".markdown", ".html"])
        yield data, path, names, str(a)


def run(files: list[Path], seed: int, count: int, *, time_cap: float | None = None, fix_every: int = 3,
        hang_after: float = 10.0, on_progress: Callable[[Report], None] | None = None) -> Report:
    config = fuzz_config()
    report = Report()
    t0 = time.perf_counter()
    for i, (data, path, names, source) in enumerate(inputs(files, seed)):
        if i >= count or (time_cap is not None and time.perf_counter() - t0 > time_cap):
            break
        # Last resort against a hang inside one C call (no signal gets through):
        # dump every thread's stack and exit, so the run fails loudly, never silently.
        faulthandler.dump_traceback_later(max(120.0, hang_after * 12), exit=True, file=sys.stderr)
        try:
            out = run_one(data, path, config, fix=(i % fix_every == 0), hang_after=hang_after)
        finally:
            faulthandler.cancel_dump_traceback_later()
        report.inputs += 1
        report.counts[out.kind] = report.counts.get(out.kind, 0) + 1
        if out.kind in ("crash", "hang") or (out.kind == "fix-failed" and len(report.failures) < 200):
            report.failures.append((out.kind, source, names, out.detail))
        if out.seconds > report.slowest[0]:
            report.slowest = (out.seconds, f"{source} {names}")
        if on_progress is not None and report.inputs % 1000 == 0:
            report.seconds = time.perf_counter() - t0
            on_progress(report)
    report.seconds = time.perf_counter() - t0
    return report
