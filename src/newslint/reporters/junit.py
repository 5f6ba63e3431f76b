"""``--format junit``: JUnit XML, one test case per file, one failure per finding.

CI systems that read test reports (GitLab, Jenkins, Azure) then list each post
with findings as a failed test. Files without findings appear as passing test
cases when the run knows them (``Summary.checked``).
"""

from __future__ import annotations

from xml.sax.saxutils import escape, quoteattr

from ..model import Violation
from . import Summary, reporter

_INVALID_XML = {c: None for c in range(0x20) if c not in (0x09, 0x0A, 0x0D)}


def _clean(s: str) -> str:
    """Drop characters XML 1.0 cannot hold (control characters, lone surrogates)."""
    s = s.translate(_INVALID_XML)
    return s.encode("utf-8", "replace").decode("utf-8") if any(0xD800 <= ord(c) <= 0xDFFF for c in s) else s


def _attr(s: str) -> str:
    return quoteattr(_clean(s))


@reporter("junit")
def junit(violations: list[Violation], summary: Summary) -> str:
    by_file: dict[str, list[Violation]] = {}
    for v in violations:
        by_file.setdefault(v.path, []).append(v)
    paths = list(by_file)
    checked = summary.checked
    seen = set(paths)
    paths.extend(p for p in checked if p not in seen)
    paths.sort()
    out = ['<?xml version="1.0" encoding="UTF-8"?>',
           f'<testsuites name="newslint" tests="{len(paths)}" failures="{len(violations)}">',
           f'  <testsuite name="newslint" tests="{len(paths)}" failures="{len(violations)}" errors="0" skipped="0">']
    for p in paths:
        found = by_file.get(p)
        if not found:
            out.append(f'    <testcase name={_attr(p)} classname="newslint" file={_attr(p)}/>')
            continue
        out.append(f'    <testcase name={_attr(p)} classname="newslint" file={_attr(p)}>')
        for v in found:
            text = f"{v.path}:{v.line}:{v.column}: {v.rule} ({v.code}) {v.message}"
            out.append(f'      <failure message={_attr(f"{v.rule}: {v.message}")} type={_attr(v.rule)}>'
                       f'{escape(_clean(text))}</failure>')
        out.append('    </testcase>')
    out.append('  </testsuite>')
    out.append('</testsuites>')
    return "\n".join(out) + "\n"
