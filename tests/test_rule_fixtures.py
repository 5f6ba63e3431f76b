"""Every rule has a failing and a passing fixture that we wrote, with exact positions.

tests/fixtures/rules/<rule>/fail.<ext> + fail.expected (LINE:COLUMN per finding of that
rule, in order) and pass.<ext> (no finding of that rule); <stem>.site, when there, is
the site the post belongs to: a generator's name (`jekyll`, `hugo`), or the keyword
arguments of newslint.site.Site as JSON. A line of fail.expected may
go on with the severity and the message, `LINE:COLUMN SEVERITY MESSAGE`: then those
are pinned too. A fixture of a post on a Jekyll or Hugo site names the generator in
<stem>.site (`jekyll` or `hugo`); without it the post belongs to no known site.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from newslint.config import Config
from newslint.document import Document
from newslint.linter import lint_document
from newslint.site import GENERATORS, Site
from conftest import ALL_RULES

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
# Rules that the linter reports itself, with no document to show them on.
NO_FIXTURE = {"file-unreadable", "internal-error",
              # Limits the linter enforces around the whole file (limits.py), before or
              # while reading it: tests/robustness/test_bad_input_beyond_the_post.py covers them.
              "file-too-large", "file-timeout",
              # Looks at the path, not the text: a fixture's name is fail.md.
              "file-name-nfd"}


def _find(rule: str, stem: str) -> Path:
    for ext in (".md", ".html", ".markdown"):
        p = FIXTURES / rule / f"{stem}{ext}"
        if p.exists():
            return p
    raise AssertionError(f"rule {rule} has no fixture {stem}.md/.html in {FIXTURES / rule}")


def _lint(path: Path, rule: str):
    # A rule about file names reads the path a fixture stands for from <stem>.path,
    # a rule about the site the post belongs to its Site from <stem>.site (JSON).
    named = path.with_suffix(".path")
    site_file = path.with_suffix(".site")
    site = None
    if site_file.exists():
        spec = site_file.read_text().strip()
        site = Site(**json.loads(spec)) if spec.startswith("{") else Site(generator=spec)
        assert site.generator in GENERATORS, f"{site_file}: not a generator"
    doc = Document(named.read_text().strip() if named.exists() else str(path), path.read_bytes(), site=site)
    cfg = Config(select=[rule])
    return [v for v in lint_document(doc, cfg) if v.rule == rule]


# Checks across a site have whole-site fixtures (tests/test_site_rules.py).
RULE_NAMES = [r.name for r in ALL_RULES if r.name not in NO_FIXTURE and not r.site_wide]


@pytest.mark.parametrize("rule", RULE_NAMES)
def test_failing_fixture_reports_exact_positions(rule):
    path = _find(rule, "fail")
    expected = [line.strip() for line in path.with_suffix(".expected").read_text().splitlines() if line.strip()]
    found = _lint(path, rule)
    # A line is LINE:COLUMN, or LINE:COLUMN SEVERITY MESSAGE to pin the message too.
    got = [f"{v.line}:{v.column} {v.severity} {v.message}" if " " in want else f"{v.line}:{v.column}"
           for v, want in zip(found, expected)]
    assert expected, "fail.expected must list at least one finding"
    assert len(found) == len(expected), [f"{v.line}:{v.column} {v.severity} {v.message}" for v in found]
    assert got == expected


@pytest.mark.parametrize("rule", RULE_NAMES)
def test_passing_fixture_is_clean(rule):
    path = _find(rule, "pass")
    assert _lint(path, rule) == []
