"""``--format junit``: JUnit XML, one test case per file, one failure per finding.

CI systems that read test reports (GitLab, Jenkins, Azure) then list each post
with findings as a failed test. Files without findings appear as passing test
cases: `newslint check` passes every linted file, the list API adds the files
of ``Summary.checked``.
"""

from __future__ import annotations

from typing import Sequence, TextIO

from ..model import Violation
from .base import Report, Summary, copy_spool, spool

_INVALID_XML = {c: None for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)}


def _clean(s: str) -> str:
    """Drop characters XML 1.0 cannot hold (control characters, lone surrogates)."""
    s = s.translate(_INVALID_XML)
    return s.encode("utf-8", "replace").decode("utf-8") if any(0xD800 <= ord(c) <= 0xDFFF for c in s) else s


def _attr(s: str) -> str:
    from xml.sax.saxutils import quoteattr  # imported when used: it pulls in urllib.request

    return quoteattr(_clean(s))


def _text(s: str) -> str:
    from xml.sax.saxutils import escape

    return escape(_clean(s))


class JunitReport(Report):
    """Test cases are spooled as they come; the header needs the totals, known at the end."""

    writes_at_once = False

    def __init__(self, out: TextIO, summary: Summary) -> None:
        super().__init__(out, summary)
        self.body = spool()
        self.tests = 0

    def write_file(self, path: str, violations: Sequence[Violation]) -> None:
        self.tests += 1
        if not violations:
            self.body.write(f'    <testcase name={_attr(path)} classname="newslint" file={_attr(path)}/>\n')
            return
        out = [f'    <testcase name={_attr(path)} classname="newslint" file={_attr(path)}>']
        for v in violations:
            text = f"{v.path}:{v.line}:{v.column}: {v.rule} ({v.code}) {v.message}"
            out.append(f'      <failure message={_attr(f"{v.rule}: {v.message}")} type={_attr(v.rule)}>'
                       f'{_text(text)}</failure>')
        out.append('    </testcase>')
        self.body.write("\n".join(out) + "\n")

    def end(self) -> None:
        self.out.write('<?xml version="1.0" encoding="UTF-8"?>\n'
                       f'<testsuites name="newslint" tests="{self.tests}" failures="{self.findings}">\n'
                       f'  <testsuite name="newslint" tests="{self.tests}" failures="{self.findings}" '
                       'errors="0" skipped="0">\n')
        copy_spool(self.body, self.out)
        self.out.write('  </testsuite>\n</testsuites>\n')
