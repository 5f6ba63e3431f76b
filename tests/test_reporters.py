"""Output formats: full, github, gitlab, junit, sarif, json-lines, statistics,
--output-file, --exit-zero, colour only on a terminal and the progress bar."""

from __future__ import annotations

import io
import json
import os
import pty
import select
import subprocess
import sys
import xml.etree.ElementTree as ET
from pathlib import Path

import jsonschema
import pytest

from conftest import Result, run_cli
from newslint import __version__, progress
from newslint.model import Violation
from newslint.reporters import REPORTERS, Summary
from newslint.reporters.full import render
from newslint.reporters.github import annotation
from newslint.runner import CheckOptions, run_check

ROOT = Path(__file__).resolve().parent.parent
NEWSLINT = [sys.executable, "-m", "newslint"]

# Two short posts of ours: three findings in bad.md (a made-up rel token, a
# target=_blank link without noopener, an image without alt), none in good.md.
BAD = """---
title: 부산 디지털 트윈
---

부산시는 <a href="https://example.kr/a" rel="dofollow">기사</a>를 냈다.

<a href="https://example.kr/b" target="_blank">원문</a>

<img src="/img/busan.png">
"""
GOOD = """---
title: 조용한 글
---

아무 문제 없는 본문입니다.
"""


def run(*args: str, cwd: Path | None = None, env: dict | None = None) -> Result:
    # A handful of posts: one job (the worker pool has tests of its own; a -j in args wins).
    return run_cli([args[0], "-j", "1", *args[1:]] if args[0] == "check" else args, cwd=cwd, env=env)


@pytest.fixture
def posts(tmp_path: Path) -> Path:
    (tmp_path / "posts").mkdir()
    (tmp_path / "posts" / "bad.md").write_text(BAD, encoding="utf-8")
    (tmp_path / "posts" / "good.md").write_text(GOOD, encoding="utf-8")
    return tmp_path


def json_findings(cwd: Path, *args: str) -> list[dict]:
    proc = run("check", "--no-cache", "--format", "json", *args, "posts", cwd=cwd)
    assert proc.returncode == 1, proc.stderr
    return json.loads(proc.stdout)


def test_bad_post_has_the_three_findings_we_wrote_it_for(posts):
    found = json_findings(posts)
    assert [(f["rule"], f["line"], f["column"]) for f in found] == [
        ("link-rel-invalid", 5, 37), ("link-target-blank-unsafe", 7, 1), ("image-alt-missing", 9, 1)]


# -- full -------------------------------------------------------------------------------
def test_full_shows_the_source_line_with_carets_under_the_span_in_cells(posts):
    proc = run("check", "--no-cache", "--format", "full", "--select", "link-rel-invalid", "posts/bad.md",
               cwd=posts)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0].startswith("posts/bad.md:5:37: warning link-rel-invalid ")
    src = next(line for line in lines if line.startswith("5 | "))
    caret = lines[lines.index(src) + 1]
    assert caret.startswith("  | ")
    # `부산시는 ` is 4 Hangul syllables (2 cells each) and a space: rel= starts at cell 40 (code point 37).
    assert caret[4:].index("^") == 8 + 1 + len('<a href="https://example.kr/a" ')
    assert caret.count("^") == len('rel="dofollow"')
    assert src[4:] == '부산시는 <a href="https://example.kr/a" rel="dofollow">기사</a>를 냈다.'


def test_full_cuts_a_long_line_to_a_window_around_the_span():
    line = "x" * 5000 + "BAD" + "y" * 5000
    shown, carets = render(line, 5000, 5003)
    assert len(shown) <= 102 and shown.startswith("…") and shown.endswith("…")
    assert shown[carets.index("^"):carets.index("^") + 3] == "BAD"
    assert carets.count("^") == 3


# -- github -----------------------------------------------------------------------------
def test_github_annotations_one_per_finding_with_severity_and_escaping(posts):
    proc = run("check", "--no-cache", "--format", "github", "posts", cwd=posts)
    lines = proc.stdout.splitlines()
    assert lines[0] == ("::warning file=posts/bad.md,line=5,col=37,endLine=5,endColumn=51,"
                        "title=link-rel-invalid::" + json_findings(posts)[0]["message"].replace("%", "%25")
                        + " (NL301)")
    v = Violation("a,b:c.md", 1, 2, 3, 4, "r-x", "NL1", "info", "50% off\nnow")
    assert annotation(v) == "::notice file=a%2Cb%3Ac.md,line=1,col=2,endLine=3,endColumn=4,title=r-x::50%25 off%0Anow (NL1)"
    v.severity = "error"
    assert annotation(v).startswith("::error ")


# -- sarif ------------------------------------------------------------------------------
def _obj(props: dict, required: tuple = ()) -> dict:
    return {"type": "object", "additionalProperties": False, "properties": props, "required": list(required)}


_MSG = _obj({"text": {"type": "string"}, "markdown": {"type": "string"}, "properties": {"type": "object"}}, ("text",))
_ART = _obj({"uri": {"type": "string", "format": "uri-reference"}, "uriBaseId": {"type": "string"},
             "index": {"type": "integer", "minimum": -1}, "properties": {"type": "object"}}, ("uri",))
_POS = {"type": "integer", "minimum": 1}
# The parts of the OASIS SARIF 2.1.0 schema (sarif-schema-2.1.0.json) that newslint
# writes, with the spec's property names and additionalProperties: false, plus what
# GitHub code scanning requires on top ("SARIF support for code scanning": a driver
# name; rules with id, short and full description and help text; results with
# ruleId, message text, partialFingerprints and a physical location with an
# artifact URI and a start line).
SARIF_SUBSET = _obj({
    "$schema": {"type": "string", "format": "uri"},
    "version": {"enum": ["2.1.0"]},
    "runs": {"type": "array", "minItems": 1, "maxItems": 1, "items": _obj({
        "tool": _obj({"driver": _obj({
            "name": {"const": "newslint"}, "version": {"type": "string"},
            "semanticVersion": {"type": "string"}, "informationUri": {"type": "string", "format": "uri"},
            "rules": {"type": "array", "items": _obj({
                "id": {"type": "string"}, "name": {"type": "string"},
                "shortDescription": _MSG, "fullDescription": _MSG, "help": _MSG,
                "helpUri": {"type": "string", "format": "uri"},
                "defaultConfiguration": _obj({"level": {"enum": ["none", "note", "warning", "error"]}}),
                "properties": {"type": "object", "properties": {
                    "tags": {"type": "array", "items": {"type": "string"}, "uniqueItems": True}}},
            }, ("id", "shortDescription", "fullDescription", "help"))},
        }, ("name", "version", "rules"))}, ("driver",)),
        "originalUriBaseIds": {"type": "object", "additionalProperties": _ART},
        "columnKind": {"enum": ["utf16CodeUnits", "unicodeCodePoints"]},
        "results": {"type": "array", "items": _obj({
            "ruleId": {"type": "string"}, "ruleIndex": {"type": "integer", "minimum": -1},
            "level": {"enum": ["none", "note", "warning", "error"]},
            "message": _MSG,
            "locations": {"type": "array", "minItems": 1, "items": _obj({"physicalLocation": _obj({
                "artifactLocation": _ART,
                "region": _obj({"startLine": _POS, "startColumn": _POS, "endLine": _POS, "endColumn": _POS},
                               ("startLine",)),
            }, ("artifactLocation", "region"))})},
            "partialFingerprints": {"type": "object", "additionalProperties": {"type": "string"}},
        }, ("ruleId", "message", "locations", "partialFingerprints"))},
    }, ("tool", "results"))},
}, ("version", "runs"))


def test_sarif_is_the_shape_github_code_scanning_reads(posts):
    proc = run("check", "--no-cache", "--format", "sarif", "posts", cwd=posts)
    assert proc.returncode == 1, proc.stderr
    log = json.loads(proc.stdout)
    jsonschema.Draft7Validator(SARIF_SUBSET, format_checker=jsonschema.FormatChecker()).validate(log)
    (run_,) = log["runs"]
    driver = run_["tool"]["driver"]
    assert driver["name"] == "newslint" and driver["version"] == __version__
    assert [r["id"] for r in driver["rules"]] == ["link-rel-invalid", "link-target-blank-unsafe", "image-alt-missing"]
    for r in driver["rules"]:
        assert r["shortDescription"]["text"] and r["help"]["text"]
        # helpUri points at the rule's generated docs, which exist in the repository.
        assert r["helpUri"].endswith(f"/docs/rules/{r['id']}.md")
        assert (ROOT / "docs" / "rules" / f"{r['id']}.md").is_file()
    for res in run_["results"]:
        assert driver["rules"][res["ruleIndex"]]["id"] == res["ruleId"]
        loc = res["locations"][0]["physicalLocation"]
        assert loc["artifactLocation"] == {"uri": "posts/bad.md", "uriBaseId": "%SRCROOT%"}
    assert run_["originalUriBaseIds"]["%SRCROOT%"]["uri"] == posts.resolve().as_uri() + "/"
    first = run_["results"][0]
    assert first["level"] == "warning"
    assert first["locations"][0]["physicalLocation"]["region"] == {
        "startLine": 5, "startColumn": 37, "endLine": 5, "endColumn": 51}


def test_sarif_of_a_clean_run_is_valid_and_empty(posts):
    proc = run("check", "--no-cache", "--format", "sarif", "posts/good.md", cwd=posts)
    assert proc.returncode == 0
    log = json.loads(proc.stdout)
    jsonschema.Draft7Validator(SARIF_SUBSET).validate(log)
    assert log["runs"][0]["results"] == [] and log["runs"][0]["tool"]["driver"]["rules"] == []


def test_sarif_subset_schema_rejects_what_github_would_reject():
    """The check above can fail: a result without a location, or an unknown key, is refused."""
    good = {"version": "2.1.0", "runs": [{"tool": {"driver": {"name": "newslint", "version": "1", "rules": []}},
                                           "results": []}]}
    jsonschema.validate(good, SARIF_SUBSET)
    bad = json.loads(json.dumps(good))
    loc = {"physicalLocation": {"artifactLocation": {"uri": "a.md"}, "region": {"startLine": 1}}}
    ok = {"ruleId": "x", "message": {"text": "m"}, "locations": [loc], "partialFingerprints": {"k": "v"}}
    bad["runs"][0]["results"] = [ok]
    jsonschema.validate(bad, SARIF_SUBSET)
    bad["runs"][0]["results"] = [{**ok, "locations": []}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, SARIF_SUBSET)
    bad["runs"][0]["results"] = [{**ok, "lineNumber": 3}]
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate(bad, SARIF_SUBSET)


# -- gitlab -----------------------------------------------------------------------------
def test_gitlab_code_quality_fingerprints_are_stable_when_lines_move(posts):
    def report() -> list[dict]:
        proc = run("check", "--no-cache", "--format", "gitlab", "posts", cwd=posts)
        assert proc.returncode == 1
        return json.loads(proc.stdout)

    before = report()
    assert [i["check_name"] for i in before] == ["link-rel-invalid", "link-target-blank-unsafe", "image-alt-missing"]
    for i in before:
        assert set(i) == {"description", "check_name", "fingerprint", "severity", "location"}
        assert i["severity"] in {"info", "minor", "major", "critical", "blocker"}
        assert i["location"]["path"] == "posts/bad.md"
    bad = posts / "posts" / "bad.md"
    bad.write_text(BAD.replace("---\n\n", "---\n\n\n\n\n", 1), encoding="utf-8")
    after = report()
    assert [i["location"]["positions"]["begin"]["line"] for i in after] == [8, 10, 12]
    assert [i["fingerprint"] for i in after] == [i["fingerprint"] for i in before]


def test_gitlab_fingerprints_differ_for_identical_findings_by_occurrence(tmp_path):
    post = tmp_path / "twice.md"
    link = '<a href="https://example.kr" rel="dofollow">x</a>'
    post.write_text(f"---\ntitle: t\n---\n\n{link}\n\n{link}\n", encoding="utf-8")
    proc = run("check", "--no-cache", "--format", "gitlab", "--select", "link-rel-invalid", str(post))
    prints = [i["fingerprint"] for i in json.loads(proc.stdout)]
    assert len(prints) == 2 and len(set(prints)) == 2


# -- junit ------------------------------------------------------------------------------
def test_junit_one_test_case_per_file_and_a_failure_per_finding(posts):
    proc = run("check", "--no-cache", "--format", "junit", "posts", cwd=posts)
    assert proc.returncode == 1
    root = ET.fromstring(proc.stdout)
    cases = root.findall(".//testcase")
    assert [c.get("name") for c in cases] == ["posts/bad.md", "posts/good.md"]
    failures = cases[0].findall("failure")
    assert [f.get("type") for f in failures] == ["link-rel-invalid", "link-target-blank-unsafe", "image-alt-missing"]
    assert failures[0].text.startswith("posts/bad.md:5:37: link-rel-invalid (NL301) ")
    assert cases[1].findall("failure") == []
    assert root.get("failures") == "3" and root.get("tests") == "2"


def test_junit_drops_characters_xml_cannot_hold():
    v = Violation("p\x01.md", 1, 1, 1, 2, "r", "NL1", "warning", "bad \x0b byte \ud800 here")
    out = REPORTERS["junit"]([v], Summary(files=1))
    (failure,) = ET.fromstring(out).findall(".//failure")
    assert "bad  byte" in failure.get("message") and "\x0b" not in failure.text


# -- json-lines, statistics -------------------------------------------------------------
def test_json_lines_is_json_one_object_per_line(posts):
    proc = run("check", "--no-cache", "--format", "json-lines", "posts", cwd=posts)
    assert [json.loads(line) for line in proc.stdout.splitlines()] == json_findings(posts)


def test_statistics_counts_per_rule(posts):
    (posts / "posts" / "bad2.md").write_text(BAD, encoding="utf-8")
    proc = run("check", "--no-cache", "--statistics", "posts", cwd=posts)
    assert proc.returncode == 1
    lines = proc.stdout.splitlines()
    assert lines[0].split() == ["2", "NL201", "image-alt-missing"]
    assert lines[2].split() == ["2", "NL302", "link-target-blank-unsafe", "[*]"]
    assert lines[-1].startswith("3 files checked, 6 findings")
    as_json = json.loads(run("check", "--no-cache", "--statistics", "--format", "json", "posts", cwd=posts).stdout)
    assert {r["rule"]: r["count"] for r in as_json} == {
        "image-alt-missing": 2, "link-rel-invalid": 2, "link-target-blank-unsafe": 2}
    refused = run("check", "--no-cache", "--statistics", "--format", "sarif", "posts", cwd=posts)
    assert refused.returncode == 2 and "--statistics works with --format" in refused.stderr


# -- --output-file, --exit-zero ---------------------------------------------------------
def test_output_file_gets_the_report_and_stdout_stays_empty(posts):
    proc = run("check", "--no-cache", "--format", "sarif", "--output-file", "reports/ci/newslint.sarif", "posts",
               cwd=posts)
    assert proc.returncode == 1 and proc.stdout == ""
    log = json.loads((posts / "reports" / "ci" / "newslint.sarif").read_text(encoding="utf-8"))
    assert len(log["runs"][0]["results"]) == 3
    (posts / "blocker").write_text("a file, not a folder", encoding="utf-8")
    proc = run("check", "--no-cache", "-o", "blocker/out.json", "posts", cwd=posts)
    assert proc.returncode == 2 and "cannot write --output-file blocker/out.json" in proc.stderr
    assert "Traceback" not in proc.stderr


def test_output_file_with_fix_holds_the_remaining_findings(posts):
    proc = run("check", "--no-cache", "--fix", "--format", "json", "-o", "out.json", "posts", cwd=posts)
    assert proc.stdout == ""
    remaining = json.loads((posts / "out.json").read_text(encoding="utf-8"))
    assert [f["rule"] for f in remaining] == ["link-rel-invalid", "image-alt-missing"]
    assert 'target="_blank" rel="noopener">' in (posts / "posts" / "bad.md").read_text(encoding="utf-8")


def test_exit_zero_turns_findings_into_success_but_not_errors(posts):
    proc = run("check", "--no-cache", "--exit-zero", "posts", cwd=posts)
    assert proc.returncode == 0 and "link-rel-invalid" in proc.stdout
    assert run("check", "--exit-zero", "--select", "no-such-rule", "posts", cwd=posts).returncode == 2


# -- colour -----------------------------------------------------------------------------
class _Tty(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_colour_decision():
    assert progress.use_color(_Tty(), {}) is True
    assert progress.use_color(_Tty(), {"NO_COLOR": "1"}) is False
    assert progress.use_color(_Tty(), {"NO_COLOR": ""}) is True  # no-color.org: empty means unset
    assert progress.use_color(_Tty(), {"TERM": "dumb"}) is False
    assert progress.use_color(io.StringIO(), {}) is False


def run_on_pty(args: list[str], cwd: Path, env: dict) -> str:
    """Run newslint with stdout and stderr on a pseudo-terminal; returns what it printed."""
    master, slave = pty.openpty()
    proc = subprocess.Popen([*NEWSLINT, *args], cwd=cwd, env=env, stdout=slave, stderr=slave, stdin=subprocess.DEVNULL)
    os.close(slave)
    chunks = []
    while True:
        ready, _, _ = select.select([master], [], [], 30)
        if not ready:
            proc.kill()
            raise AssertionError("newslint on a pty printed nothing for 30 s")
        try:
            data = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal
            break
        if not data:
            break
        chunks.append(data)
    proc.wait(timeout=30)
    os.close(master)
    return b"".join(chunks).decode("utf-8", "replace")


def _env(**extra: str) -> dict:
    env = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "CI", "FORCE_COLOR", "TERM")}
    env["TERM"] = "xterm"
    env.update(extra)
    return env


def test_colour_on_a_terminal_never_with_no_color_nor_in_a_pipe(posts):
    args = ["check", "--no-cache", "posts"]
    assert "\x1b[" in run_on_pty(args, posts, _env())
    plain = run_on_pty(args, posts, _env(NO_COLOR="1"))
    assert "link-rel-invalid" in plain and "\x1b[" not in plain
    piped = run(*args, cwd=posts, env=_env())
    assert "link-rel-invalid" in piped.stdout and "\x1b[" not in piped.stdout + piped.stderr
    # A report written to a file never has colour, even from a terminal.
    run_on_pty([*args, "-o", "report.txt"], posts, _env())
    assert "\x1b[" not in (posts / "report.txt").read_text(encoding="utf-8")


# -- progress bar -----------------------------------------------------------------------
def test_progress_decision():
    assert progress.use_progress(_Tty(), {}) is True
    assert progress.use_progress(_Tty(), {"CI": "true"}) is False
    assert progress.use_progress(_Tty(), {"CI": ""}) is False
    assert progress.use_progress(io.StringIO(), {}) is False


def test_progress_bar_draws_throttled_and_erases_itself():
    now = [0.0]
    err = _Tty()
    bar = progress.Progress(200, err, True, delay=0.5, interval=0.1, clock=lambda: now[0])
    for i in range(200):
        now[0] = i * 0.01  # 2 s in all
        bar.advance()
    drawn = err.getvalue().split("\r")
    assert 10 < len([d for d in drawn if d]) < 20  # first after 0.5 s, then every 0.1 s
    assert "200/200 files 100%" in err.getvalue()
    assert "[" + "#" * 10 in err.getvalue()
    bar.close()
    assert err.getvalue().endswith("\r" + " " * bar.render(80).__len__() + "\r")
    quiet = _Tty()
    short = progress.Progress(5, quiet, True, delay=0.5, clock=lambda: 0.1)
    list(short.iterate(range(5)))
    assert quiet.getvalue() == ""  # a short run never shows the bar


def test_progress_bar_goes_to_a_terminal_stderr_unless_ci(posts, monkeypatch):
    for i in range(5):
        (posts / "posts" / f"more{i}.md").write_text(GOOD, encoding="utf-8")
    monkeypatch.setattr(progress, "DELAY", 0.0)
    monkeypatch.setattr(progress, "INTERVAL", 0.0)
    monkeypatch.chdir(posts)
    monkeypatch.delenv("CI", raising=False)
    opts = dict(paths=("posts",), use_cache=False, jobs=1, isolated=True)
    out, err = io.StringIO(), _Tty()
    assert run_check(CheckOptions(**opts), out, err) == 1
    assert "7/7 files 100%" in err.getvalue() and "7/7" not in out.getvalue()
    monkeypatch.setenv("CI", "true")
    err = _Tty()
    run_check(CheckOptions(**opts), io.StringIO(), err)
    assert err.getvalue() == ""
    monkeypatch.delenv("CI")
    err = io.StringIO()  # a pipe
    run_check(CheckOptions(**opts), io.StringIO(), err)
    assert err.getvalue() == ""


def test_every_format_names_a_report_class_of_its_module():
    """reporters.FORMAT_MODULES (what lets a run import only its own format)
    names, for each format, a Report subclass in the module it names, and
    every Report subclass of the package has a format."""
    import importlib
    from pathlib import Path

    import newslint.reporters as reps
    from newslint.reporters.base import Report

    for name, (module, cls_name) in reps.FORMAT_MODULES.items():
        cls = getattr(importlib.import_module(f"newslint.reporters.{module}"), cls_name)
        assert issubclass(cls, Report) and reps.REPORTS[name] is cls
        assert "<" in REPORTERS[name]([], Summary()) or name not in ("junit", "html")
    named = {cls for module, cls in reps.FORMAT_MODULES.values()}
    for path in Path(reps.__file__).parent.glob("*.py"):
        if path.stem == "base":
            continue
        mod = importlib.import_module(f"newslint.reporters.{path.stem}") if path.stem != "__init__" else reps
        for attr, obj in vars(mod).items():
            if (isinstance(obj, type) and issubclass(obj, Report) and obj.__module__ == mod.__name__
                    and attr.endswith("Report") and attr not in ("HumanReport", "JsonArrayReport", "StatisticsReport")):
                assert attr in named, f"{mod.__name__}.{attr} has no format"
    assert set(REPORTERS) == set(reps.FORMAT_MODULES) and len(REPORTERS) == len(reps.FORMAT_MODULES)
    with pytest.raises(KeyError):
        REPORTERS["nope"]


def test_a_run_imports_only_its_own_format(tmp_path):
    import subprocess
    import sys

    (tmp_path / "a.md").write_text("---\ntitle: t\n---\nbody\n", "utf-8")
    script = ("import sys\nfrom newslint.cli import main\nsys.argv = ['newslint', 'check', '--no-cache', "
              f"{str(tmp_path)!r}]\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
              "print(sorted(m for m in sys.modules if m.startswith('newslint.reporters.')), file=sys.stderr)")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True)
    assert out.stderr.strip().splitlines()[-1] == "['newslint.reporters.base', 'newslint.reporters.text']", out.stderr


def test_plain_text_lines_are_the_headlines():
    """TextReport writes headline() inline when there is no colour: same text."""
    import io

    from newslint.model import Edit, Fix
    from newslint.reporters.text import TextReport, headline

    vs = [Violation("a.md", 1, 2, 1, 3, "r", "NL1", "error", "safe fix", fix=Fix.safe("x", Edit(0, 1, ""))),
          Violation("a.md", 2, 1, 2, 2, "r", "NL1", "warning", "unsafe fix", fix=Fix.unsafe("x", Edit(0, 1, ""))),
          Violation("a.md", 3, 1, 3, 2, "s", "NL2", "info", "no fix 한국어")]
    out = io.StringIO()
    TextReport(out, Summary()).write_file("a.md", vs)
    assert out.getvalue() == "".join(headline(v, Summary()) + "\n" for v in vs)
    assert out.getvalue().splitlines()[0] == "a.md:1:2: error r [*] safe fix"
