"""`newslint check` streams its report (memory flat as the archive grows).

The parent writes each file's findings as they come back from the engine and
keeps only counts (and for SARIF the rules that fired), so its memory does not
grow with the number of posts. The output must stay byte for byte what the
list-based reporters printed before streaming:

* ``tests/fixtures/reporters/streaming-golden.json`` holds every format's output
  for a set of hand-made violations on our own short posts, captured from the
  reporters BEFORE they were rewritten to stream; both the list API
  (``REPORTERS[fmt](violations, summary)``, still used by ``--fix``) and the
  streaming API (:func:`newslint.reporters.stream_report`) must print it;
* end to end, ``run_check`` (streaming) prints what the list API prints for the
  globally sorted violations of the same posts, in every format.

Regenerate the golden file only when an output format changes on purpose:
``.venv/bin/python tests/test_streaming.py --regen``.
"""

from __future__ import annotations

import io
import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest

from newslint.model import Edit, Fix, Violation

GOLDEN = Path(__file__).resolve().parent / "fixtures" / "reporters" / "streaming-golden.json"

# Our own short posts. Names chosen so that plain string order differs from a
# walk's order ("a-b.md" < "a.md" < "a/c.md") and GitHub's escaping shows (",").
POSTS = {
    "posts/a-b.md": "---\ntitle: 짧은 글\n---\n\n본문\t탭 <a href=\"x\" target=\"_blank\">링크</a>\n",
    "posts/a.md": ("---\ntitle: 부산 디지털 트윈\n---\n\n부산시는 <a href=\"https://example.kr/a\" rel=\"dofollow\">"
                   "기사</a>를 냈다.\n\n" + "가" * 80 + " <img src=\"/x.png\"> " + "나" * 80 + "\n"
                   "둘째 줄\n셋째 줄\n"),
    "posts/a/c.md": "---\ntitle: 50% 할인, 지금: 바로\n---\n\n깨끗한 본문.\n",
    "posts/clean.md": "---\ntitle: 조용한 글\n---\n\n아무 문제 없는 본문입니다.\n",
    "posts/x,y.html": "<p>본문 \x01 제어 문자</p>\n<img src=\"a.png\">\n",
}


class FakeRule:
    """What the SARIF reporter asks a rule class (deterministic: no real docstrings)."""

    def __init__(self, name: str, severity: str, tags: tuple[str, ...]) -> None:
        self.name, self.severity, self.tags = name, severity, tags

    def summary(self) -> str:
        return f"{self.name} summary"

    def docs(self) -> str:
        return f"## What it does\n{self.name} checks 부산 things.\n" if self.tags else ""


FAKE_RULES = {
    "link-rel-invalid": FakeRule("link-rel-invalid", "warning", ("html", "links")),
    "image-alt-missing": FakeRule("image-alt-missing", "error", ()),
}


def fake_rule(name: str) -> Any:
    return FAKE_RULES.get(name)


def _edits(*spans: tuple[int, int, int, int, str]) -> list[dict[str, Any]]:
    return [{"start": {"line": a, "column": b}, "end": {"line": c, "column": d}, "content": s}
            for a, b, c, d, s in spans]


def violations() -> list[Violation]:
    """Findings on POSTS, globally sorted the way the old runner sorted them."""
    a = POSTS["posts/a.md"]
    rel_at = a.index('rel="dofollow"')
    img_at = a.index("<img")
    out = [
        Violation("posts/a-b.md", 5, 6, 5, 7, "tab-in-text", "NL700", "info", "a tab in running text",
                  fix=Fix.safe("replace the tab with a space", Edit(31, 32, " ")),
                  fix_edits=_edits((5, 6, 5, 7, " ")), start=31, end=32),
        Violation("posts/a-b.md", 5, 9, 5, 41, "link-target-blank-unsafe", "NL302", "warning",
                  'target="_blank" without rel="noopener"',
                  fix=Fix.unsafe("add rel=\"noopener\"", Edit(40, 40, ' rel="noopener"')),
                  fix_edits=_edits((5, 40, 5, 40, ' rel="noopener"')), start=34, end=66),
        Violation("posts/a.md", 5, 37, 5, 51, "link-rel-invalid", "NL301", "warning",
                  'rel token "dofollow" is not a link type',
                  fix=Fix.safe("drop the token", Edit(rel_at, rel_at + 15)),
                  fix_edits=_edits((5, 36, 5, 51, "")), start=rel_at, end=rel_at + 14),
        Violation("posts/a.md", 7, 82, 9, 3, "house-style", "XX001", "warning", "a span over three lines\nwith 50% more",
                  fix=Fix((), "display-only", "see the style guide"), start=img_at, end=img_at + 40,
                  extra={"suppression": {"directive": "disable", "rules": ["x"], "reason": "테스트"}}),
        Violation("posts/a.md", 7, 82, 7, 100, "image-alt-missing", "NL401", "error", "image has no alt text",
                  start=img_at, end=img_at + 18),
        Violation("posts/a.md", 8, 1, 8, 3, "house-style", "XX001", "warning", "a span over three lines\nwith 50% more",
                  start=img_at + 100, end=img_at + 102),
        Violation("posts/a/c.md", 2, 8, 2, 11, "link-rel-invalid", "NL301", "warning", "same rule, another file",
                  start=11, end=14),
        Violation("posts/x,y.html", 1, 4, 1, 5, "control-character", "NL011", "error",
                  "control character U+0001 \x01 in text <&>\"'", start=3, end=4),
        Violation("posts/x,y.html", 2, 1, 2, 19, "image-alt-missing", "NL401", "error", "image has no alt text",
                  start=20, end=38),
        Violation("posts/x,y.html", 2, 1, 2, 19, "link-rel-invalid", "NL301", "info", "an info finding",
                  start=20, end=38),
    ]
    assert out == sorted(out, key=Violation.sort_key)
    return out


def summary_for(vs: list[Violation], **kw: Any):
    from newslint.reporters import Summary

    s = Summary(files=len(POSTS), **kw)
    s.checked = sorted(POSTS)
    s.rule = fake_rule
    for v in vs:
        s.by_severity[v.severity] = s.by_severity.get(v.severity, 0) + 1
    return s


def write_posts(root: Path) -> None:
    for rel, text in POSTS.items():
        p = root / rel
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_bytes(text.encode("utf-8"))


def normalise(text: str, root: Path) -> str:
    from newslint import __version__

    return text.replace(root.as_uri(), "file:///ROOT").replace(f'"{__version__}"', '"VERSION"')


# (case name, format, statistics?, summary options, with violations?)
CASES: list[tuple[str, str, bool, dict[str, Any], bool]] = []
for _fmt in ("text", "full", "json", "json-lines", "github", "gitlab", "sarif", "junit", "html"):
    CASES.append((_fmt, _fmt, False, {}, True))
    CASES.append((f"{_fmt}-empty", _fmt, False, {}, False))
for _fmt in ("text", "full"):
    CASES.append((f"{_fmt}-color-notes", _fmt, False,
                  {"color": True, "notes": ["baseline b.json: 2 known findings hidden, 0 entries no longer match"]},
                  True))
for _fmt in ("text", "full", "json", "json-lines"):
    CASES.append((f"stat-{_fmt}", _fmt, True, {}, True))
    CASES.append((f"stat-{_fmt}-empty", _fmt, True, {}, False))
CASES.append(("stat-text-color-notes", "text", True, {"color": True, "notes": ["a note"]}, True))


def list_output(name: str, root: Path) -> str:
    """A case printed by the list API (the API the reporters had before streaming)."""
    from newslint.reporters import REPORTERS
    from newslint.reporters.statistics import statistics

    _name, fmt, stats, kw, with_vs = next(c for c in CASES if c[0] == name)
    vs = violations() if with_vs else []
    summary = summary_for(vs, **kw)
    text = statistics(vs, summary, fmt) if stats else REPORTERS[fmt](vs, summary)
    return normalise(text, root)


def regenerate() -> None:
    import tempfile

    with tempfile.TemporaryDirectory() as tmp:
        root = Path(tmp).resolve()
        write_posts(root)
        old = os.getcwd()
        os.chdir(root)
        try:
            golden = {c[0]: list_output(c[0], root) for c in CASES}
        finally:
            os.chdir(old)
    GOLDEN.parent.mkdir(parents=True, exist_ok=True)
    GOLDEN.write_text(json.dumps(golden, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    print(f"wrote {len(golden)} cases to {GOLDEN}")


def stream_output(name: str, root: Path) -> str:
    """A case printed by the streaming API, fed the way `newslint check` feeds it:
    every post in path order, each with its own findings (none for a clean post)."""
    from newslint.reporters import stream_report

    _name, fmt, stats, kw, with_vs = next(c for c in CASES if c[0] == name)
    vs = violations() if with_vs else []
    summary = summary_for(vs, **kw)
    summary.checked = []  # the stream passes clean files itself
    buf = io.StringIO()
    report = stream_report(buf, summary, fmt, statistics=stats)
    report.begin()
    for path in sorted(POSTS):
        report.file(path, [v for v in vs if v.path == path])
    report.end()
    return normalise(buf.getvalue(), root)


@pytest.fixture
def posts_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path.resolve()
    write_posts(root)
    monkeypatch.chdir(root)
    return root


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_list_api_prints_what_it_printed_before_streaming(name, posts_dir):
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert list_output(name, posts_dir) == golden[name]


@pytest.mark.parametrize("name", [c[0] for c in CASES])
def test_streamed_report_is_byte_identical_to_the_golden_output(name, posts_dir):
    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert stream_output(name, posts_dir) == golden[name]


def test_golden_file_covers_every_format():
    from newslint.reporters import REPORTERS
    from newslint.reporters.statistics import FORMATS

    golden = json.loads(GOLDEN.read_text(encoding="utf-8"))
    assert set(golden) == {c[0] for c in CASES}
    assert {c[1] for c in CASES if not c[2]} == set(REPORTERS)
    assert {c[1] for c in CASES if c[2]} == set(FORMATS)


# -- end to end: the real rules on our posts ------------------------------------------
# Posts with real findings of several rules; names whose path order differs from
# a folder walk's order (a-b.md < a.md < a/b.md < a0.md).
E2E_POSTS = {
    "posts/a.md": ("---\ntitle: 부산 디지털 트윈\n---\n\n부산시는 <a href=\"https://example.kr/a\" rel=\"dofollow\">"
                   "기사</a>를 냈다.\n\n<a href=\"https://example.kr/b\" target=\"_blank\">원문</a>\n\n"
                   "<img src=\"/img/busan.png\">\n"),
    "posts/a-b.md": "---\ntitle: 둘째\n---\n\n<img src=\"/a.png\"> <img src=\"/b.png\">\n",
    "posts/a/b.md": "---\ntitle: 셋째\n---\n\n<a href=\"https://example.kr/c\" rel=\"dofollow nofollow\">링크</a>\n",
    "posts/a0.md": "---\ntitle: 조용한 글\n---\n\n아무 문제 없는 본문입니다.\n",
    "posts/z.html": "<p>본문</p>\n<img src=\"a.png\">\n<a href=\"x\" target=\"_blank\">x</a>\n",
}


@pytest.fixture
def e2e(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    root = tmp_path.resolve()
    for rel, text in E2E_POSTS.items():
        (root / rel).parent.mkdir(parents=True, exist_ok=True)
        (root / rel).write_text(text, encoding="utf-8")
    monkeypatch.chdir(root)
    return root


def _list_api_report(opts, fmt: str, stats: bool) -> str:
    """What `newslint check` printed before streaming: every finding collected,
    sorted globally by Violation.sort_key, then one reporter call."""
    from newslint.config import load_config
    from newslint.engine import lint_files
    from newslint.reporters import REPORTERS, Summary
    from newslint.reporters.statistics import statistics
    from newslint.runner import select_files
    from newslint.discovery import discover

    config = load_config(None, None, True)
    files = select_files(opts, config, discover(("posts",)).files)
    vs = [v for r in lint_files(files, config, jobs=1, use_cache=False) for v in r.violations]
    vs.sort(key=Violation.sort_key)
    summary = Summary(files=len(files), checked=files, rule=config.rule)
    for v in vs:
        summary.by_severity[v.severity] = summary.by_severity.get(v.severity, 0) + 1
    return statistics(vs, summary, fmt) if stats else REPORTERS[fmt](vs, summary)


@pytest.mark.parametrize("fmt,stats", [(f, False) for f in ("text", "full", "json", "json-lines", "github",
                                                              "gitlab", "sarif", "junit", "html")]
                         + [(f, True) for f in ("text", "json")])
def test_check_streams_what_the_list_api_prints_for_the_globally_sorted_findings(e2e, fmt, stats):
    from newslint.runner import CheckOptions, run_check

    opts = CheckOptions(paths=("posts",), format=fmt, statistics=stats, use_cache=False, jobs=1, isolated=True,
                        color=False, progress=False)
    out, err = io.StringIO(), io.StringIO()
    assert run_check(opts, out, err) == 1, err.getvalue()
    expected = _list_api_report(opts, fmt, stats)
    assert out.getvalue() == expected
    if fmt == "json" and not stats:  # several findings per post, in path order
        paths = [f["path"] for f in json.loads(out.getvalue())]
        assert paths == sorted(paths) and len(set(paths)) == 4 and "posts/a-b.md" == paths[0]


def test_check_writes_each_file_as_it_arrives_and_keeps_no_findings(e2e, monkeypatch):
    """The report is written while the engine still has files to lint, and the
    runner's outcome holds counts, not findings."""
    from newslint import runner
    from newslint.engine import Linting

    events: list[str] = []
    real = Linting.lint_files

    def spy(self, files, *args, **kw):
        for result in real(self, files, *args, **kw):
            events.append(f"yield {result.path}")
            yield result

    outcomes = []
    real_lint = runner.lint

    def lint_spy(*args, **kw):
        outcomes.append(real_lint(*args, **kw))
        return outcomes[-1]

    class Out(io.StringIO):
        def write(self, text: str) -> int:
            events.append("write")
            return super().write(text)

    monkeypatch.setattr(Linting, "lint_files", spy)
    monkeypatch.setattr(runner, "lint", lint_spy)
    out = Out()
    opts = runner.CheckOptions(paths=("posts",), format="json-lines", use_cache=False, jobs=1, isolated=True,
                               progress=False)
    assert runner.run_check(opts, out, io.StringIO()) == 1
    first_write = events.index("write")
    assert events[first_write - 1] == "yield posts/a-b.md"  # the first file's findings, at once
    assert events.index("yield posts/z.html") > first_write
    assert outcomes[0].violations == [] and outcomes[0].findings == len(out.getvalue().splitlines())


def test_output_file_is_streamed_too_and_an_unwritable_one_is_a_usage_error(e2e):
    from newslint.runner import CheckOptions, run_check
    from newslint.config import ConfigError

    opts = dict(paths=("posts",), use_cache=False, jobs=1, isolated=True, progress=False)
    out = io.StringIO()
    assert run_check(CheckOptions(format="text", **opts), out, io.StringIO()) == 1
    assert run_check(CheckOptions(format="text", output_file="reports/r.txt", **opts), io.StringIO(),
                     io.StringIO()) == 1
    assert (e2e / "reports" / "r.txt").read_text(encoding="utf-8") == out.getvalue()
    (e2e / "blocker").write_text("a file, not a folder", encoding="utf-8")
    with pytest.raises(ConfigError, match="cannot write --output-file blocker/r.txt"):
        run_check(CheckOptions(format="text", output_file="blocker/r.txt", **opts), io.StringIO(), io.StringIO())


if __name__ == "__main__" and "--regen" in sys.argv:
    regenerate()
