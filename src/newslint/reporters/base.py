"""What every report shares: the summary, the streaming Report base class,
reading a post's text for context lines, and the JSON array writer."""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import IO, Any, Callable, Sequence, TextIO

from ..model import Violation


class SourceReader:
    """``source(path)``: the decoded text of a post, read lazily.

    Reporters that show source lines (``full``) or fingerprint the offending
    text (``gitlab``) call it; it keeps only the last file it read, so memory
    stays flat however many posts the run covers (violations come sorted by
    path, so each file is read once).
    """

    def __init__(self) -> None:
        self._path: str | None = None
        self._text: str | None = None

    def __call__(self, path: str) -> str | None:
        if path != self._path:
            from ..document import decode

            try:
                with open(path, "rb") as fh:
                    raw = fh.read()
            except OSError:
                text = None
            else:
                text, _bom, _problem = decode(raw)
            self._path, self._text = path, text
        return self._text


def repo_path(path: str, root: str | None = None) -> str:
    """``path`` as CI systems want it: relative to ``root`` (default: the current
    folder, where CI runs at the top of the checkout), ``/`` separators, no ``./``;
    a path outside ``root`` stays absolute."""
    full = os.path.abspath(path)
    base = os.path.abspath(root) if root is not None else os.getcwd()
    try:
        rel = os.path.relpath(full, base)
    except ValueError:  # another drive on Windows
        return full.replace(os.sep, "/")
    if rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return full.replace(os.sep, "/")
    return rel.replace(os.sep, "/")


class _ShippedRules:
    """The rules newslint ships, looked up by name (a registry built on the
    first call, without plugins): the default for a report made outside a run."""

    def __init__(self) -> None:
        self._registry: Any = None

    def _get(self) -> Any:
        if self._registry is None:
            from ..registry import Registry

            self._registry = Registry.build(plugins=False)
        return self._registry

    def __call__(self, name: str) -> Any:
        return self._get().by_name.get(name)

    def shipped(self, name: str) -> bool:
        return name in self._get().by_name


@dataclass
class Summary:
    files: int = 0
    fixed: int = 0
    # True after `--fix`: the findings are those that remain in the fixed files.
    fixing: bool = False
    # --unsafe-fixes: unsafe fixes count as available (marked [*], no hint).
    unsafe_fixes: bool = False
    by_severity: dict[str, int] = field(default_factory=dict)
    # Extra lines for the text summary (skipped files, baseline notes, ...).
    notes: list[str] = field(default_factory=list)
    # The text of a post by path (lazy, one file at a time); see SourceReader.
    source: Callable[[str], "str | None"] = field(default_factory=SourceReader)
    # A rule class by name (None when unknown): metadata for SARIF and docs links.
    rule: Callable[[str], Any] = field(default_factory=_ShippedRules)
    # True for a rule newslint ships (its docs are in the repository's docs/rules/).
    # (None: asked of ``rule`` when it knows, else no rule is.)
    shipped: Callable[[str], bool] | None = None
    # ANSI colour in the human formats (set only for a terminal without NO_COLOR).
    color: bool = False
    # The files the run linted (JUnit lists the clean ones as passing test cases).
    checked: list[str] = field(default_factory=list)
    # The language of messages and of the human formats' words ("en", "ko"):
    # findings stay English up to here, the report translates them (newslint.i18n).
    lang: str = "en"

    # The shipped rules, looked up when neither ``shipped`` nor ``rule`` can say.
    _shipped_rules: Any = field(default=None, init=False, repr=False, compare=False)

    def ships(self, name: str) -> bool:
        """True for a rule newslint ships: its docs are in the repository's docs/rules/."""
        if self.shipped is not None:
            return self.shipped(name)
        known = self.rule if isinstance(self.rule, _ShippedRules) else self._shipped_rules
        if known is None:
            known = self._shipped_rules = _ShippedRules()
        return known.shipped(name)


def paint(text: str, summary: Summary, **style: Any) -> str:
    """``click.style(text, **style)`` when the run uses colour, else ``text``."""
    if not summary.color or not text:
        return text
    import click

    return click.style(text, **style)


SEVERITY_COLORS = {"error": "red", "warning": "yellow", "info": "blue"}


class Report:
    """A report written as the run goes, file by file (flat memory).

    The runner calls :meth:`begin`, then :meth:`file` once per linted file, in
    the report's order (files sorted by path, each file's violations sorted by
    :meth:`Violation.sort_key`, a clean file with none), then :meth:`end`. A
    report writes each file's part to ``out`` at once and keeps only counts
    (and whatever little its format needs at the end: SARIF the rules that
    fired, statistics one counter per rule); formats whose header needs the
    totals (JUnit, SARIF) spool their body to a temporary file.
    """

    # True when file() writes to ``out`` at once (False: spooled or counted,
    # written by end()); the runner erases its progress bar before such writes.
    writes_at_once = True

    def __init__(self, out: TextIO, summary: Summary) -> None:
        self.out = out
        self.summary = summary
        self.findings = 0
        self.fixable = 0  # safe fixes (`--fix`)
        self.unsafe = 0  # unsafe fixes (`--fix --unsafe-fixes`)

    def begin(self) -> None:
        """Before the first file."""

    def file(self, path: str, violations: Sequence[Violation]) -> None:
        """The findings of one file (sorted; empty for a clean file)."""
        if violations and self.summary.lang != "en":
            from ..i18n import translate_violations

            violations = translate_violations(violations, self.summary.lang)
        if violations:
            self.findings += len(violations)
            for v in violations:
                if v.fix is not None:
                    if v.fix.applicability == "safe":
                        self.fixable += 1
                    elif v.fix.applicability == "unsafe":
                        self.unsafe += 1
        self.write_file(path, violations)

    def write_file(self, path: str, violations: Sequence[Violation]) -> None:
        """Write one file's part of the report (``violations`` may be empty)."""

    def end(self) -> None:
        """After the last file: the summary, the closing brackets, ..."""


def spool() -> IO[str]:
    """A temporary text file for a report's body (in memory while small).

    ``surrogatepass`` keeps every ``str`` (a path from an undecodable file name
    included) exactly; the final output encodes it as before.
    """
    import tempfile

    return tempfile.SpooledTemporaryFile(max_size=1 << 20, mode="w+", encoding="utf-8",
                                         errors="surrogatepass", newline="")


def copy_spool(src: IO[str], out: TextIO) -> None:
    src.seek(0)
    while True:
        chunk = src.read(1 << 16)
        if not chunk:
            break
        out.write(chunk)
    src.close()


def json_item(obj: Any, depth: int) -> str:
    """``obj`` as ``json.dumps(..., indent=2)`` prints it at ``depth`` levels of nesting."""
    import json

    text = json.dumps(obj, ensure_ascii=False, indent=2)
    pad = "  " * depth
    return pad + text.replace("\n", "\n" + pad)  # JSON strings never hold a raw newline


class JsonArray:
    """Writes ``json.dumps(items, indent=2)`` item by item: ``[`` first, ``]`` last."""

    def __init__(self, out: TextIO, depth: int = 0) -> None:
        self.out = out
        self.depth = depth
        self.count = 0

    def open(self) -> None:
        self.out.write("[")

    def extend(self, objs: Sequence[Any]) -> None:
        """Write the items ``objs`` (in one write)."""
        if objs:
            sep = ",\n" if self.count else "\n"
            self.out.write(sep + ",\n".join(json_item(obj, self.depth + 1) for obj in objs))
            self.count += len(objs)

    def close(self) -> None:
        self.out.write("\n" + "  " * self.depth + "]" if self.count else "]")


class JsonArrayReport(Report):
    """A report that is one JSON array (``json``, ``gitlab``): subclasses say
    what each file's findings become with :meth:`items`."""

    def __init__(self, out: TextIO, summary: Summary) -> None:
        super().__init__(out, summary)
        self.array = JsonArray(out)

    def items(self, path: str, violations: Sequence[Violation]) -> list[Any]:
        raise NotImplementedError

    def begin(self) -> None:
        self.array.open()

    def write_file(self, path: str, violations: Sequence[Violation]) -> None:
        self.array.extend(self.items(path, violations))

    def end(self) -> None:
        self.array.close()
        self.out.write("\n")


ReportClass = Callable[[TextIO, Summary], Report]
Reporter = Callable[[list[Violation], Summary], str]

def render_report(report: ReportClass, violations: Sequence[Violation], summary: Summary) -> str:
    """The whole report for sorted ``violations`` as one string (the list API).

    The files of ``summary.checked`` without findings are passed as clean files
    (JUnit lists them), in path order with the others.
    """
    import io

    groups: list[tuple[str, list[Violation]]] = []
    for v in violations:
        if groups and groups[-1][0] == v.path:
            groups[-1][1].append(v)
        else:
            groups.append((v.path, [v]))
    if summary.checked:
        seen = {p for p, _g in groups}
        groups.extend((p, []) for p in dict.fromkeys(summary.checked) if p not in seen)
    groups.sort(key=lambda g: g[0])
    buf = io.StringIO()
    r = report(buf, summary)
    r.begin()
    for path, group in groups:
        r.file(path, group)
    r.end()
    return buf.getvalue()
