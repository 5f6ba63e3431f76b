"""Hostile and broken posts: empty or fence-only files, byte order marks, line
endings, front matter that is not closed, not a mapping or not YAML, other
encodings, YAML 1.1 surprises, and our own variants. Every test goes
through a public surface: a :class:`Document` linted with the default
configuration, :func:`newslint.fixer.fix_file`, or the ``newslint`` command
(run in-process, :func:`conftest.run_cli`: exit codes and what a user sees).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
import tracemalloc
import unicodedata
from pathlib import Path

import pytest

from conftest import Result, run_cli
from newslint.config import Config
from newslint.document import Document
from newslint.fixer import fix_file
from newslint.linter import lint_document

NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731


# -- helpers -----------------------------------------------------------------------
def lint(raw: bytes | str, path: str = "post.md", select: list[str] | None = None, config: Config | None = None):
    """Lint a post given as bytes (or text) with the default configuration."""
    if isinstance(raw, str):
        raw = raw.encode("utf-8")
    config = config or Config()
    if select is not None:
        config.select = select
    found = lint_document(Document(path, raw), config)
    assert not [v for v in found if v.rule == "internal-error"], found
    return found


def by_rule(found, rule: str):
    return [v for v in found if v.rule == rule]


def at(found, rule: str) -> list[tuple[int, int]]:
    return [(v.line, v.column) for v in found if v.rule == rule]


def cli(*args: str, cwd: Path, env: dict | None = None) -> Result:
    """``newslint check``, in-process workers, no cache, no config files."""
    full_env = {**os.environ, **(env or {})}
    return run_cli(["check", "--isolated", "--no-cache", "-j", "1", *args], cwd=cwd, env=full_env)


def cli_json(*args: str, cwd: Path) -> tuple[int, list[dict]]:
    proc = cli("--format", "json", *args, cwd=cwd)
    assert "Traceback" not in proc.stderr, proc.stderr
    return proc.returncode, json.loads(proc.stdout or "[]")


def fix(path: Path, unsafe: bool = False, select: list[str] | None = None):
    cfg = Config()
    if select is not None:
        cfg.select = select
    result = fix_file(str(path), cfg, unsafe=unsafe)
    assert not result.internal_error, result.violations
    return result


def write(tmp_path: Path, name: str, raw: bytes | str) -> Path:
    p = tmp_path / name
    p.write_bytes(raw.encode("utf-8") if isinstance(raw, str) else raw)
    return p


# -- broken and hostile posts ------------------------------------------------------------------------
def test_empty_file(tmp_path):
    found = lint(b"")
    assert at(found, "front-matter-missing") == [(1, 1)]
    assert "no front matter" in by_rule(found, "front-matter-missing")[0].message
    post = write(tmp_path, "empty.md", b"")
    r = fix(post, unsafe=True)
    assert not r.written and post.read_bytes() == b""
    proc = cli("empty.md", cwd=tmp_path)
    assert proc.returncode == 1 and "empty.md:1:1: error front-matter-missing" in proc.stdout
    assert post.read_bytes() == b""


def test_only_an_opening_fence(tmp_path):
    found = lint(b"---\n")
    assert at(found, "front-matter-syntax") == [(1, 1)]
    assert "not closed" in by_rule(found, "front-matter-syntax")[0].message
    assert by_rule(found, "front-matter-missing") == []
    post = write(tmp_path, "open.md", b"---\n")
    assert not fix(post, unsafe=True).written
    assert post.read_bytes() == b"---\n"


def test_utf8_bom_is_kept_and_positions_are_right(tmp_path):
    # Product decision: a UTF-8 BOM is kept (Jekyll reads it); the metadata parses.
    raw = "\ufeff---\ntitle: 제목\n---\n본문\n\n<img src=\"a.png\">\n".encode("utf-8")
    assert raw[:3] == b"\xef\xbb\xbf"
    doc = Document("post.md", raw)
    assert doc.bom and doc.front_matter is not None and doc.front_matter.data == {"title": "제목"}
    found = lint(raw)
    assert by_rule(found, "front-matter-missing") == [] and by_rule(found, "front-matter-syntax") == []
    # The BOM is not a column: the <img> is at line 6, column 1 as in an editor.
    assert at(found, "image-alt-missing") == [(6, 1)]
    # A fix elsewhere keeps the BOM and changes only its target.
    post = write(tmp_path, "bom.md", "\ufeff---\ntitle: 제목\ncountry: NO\n---\n" + NFD("한글") + "\n")
    r = fix(post, unsafe=True)  # quoting `NO` is unsafe outside a site (YAML 1.1 reads false)
    assert r.written
    assert post.read_bytes() == "\ufeff---\ntitle: 제목\ncountry: \"NO\"\n---\n한글\n".encode("utf-8")


def test_crlf_parsed_fixed_in_crlf_and_untouched_when_clean(tmp_path):
    raw = "---\r\ntitle: 제목\r\ncountry: NO\r\n---\r\n본문 " + NFD("한글") + "\r\n"
    doc = Document("post.md", raw.encode("utf-8"))
    assert doc.front_matter.data == {"title": "제목", "country": False}
    found = lint(raw)
    assert at(found, "front-matter-yaml11") == [(3, 10)]
    assert at(found, "unicode-nfd") == [(5, 4)]
    post = write(tmp_path, "crlf.md", raw)
    assert fix(post, unsafe=True).written
    out = post.read_bytes()
    assert out == "---\r\ntitle: 제목\r\ncountry: \"NO\"\r\n---\r\n본문 한글\r\n".encode("utf-8")
    assert out.count(b"\n") == out.count(b"\r\n") == 5
    # Nothing left to fix: a second run is byte-identical and writes nothing.
    before = post.stat().st_mtime_ns
    again = fix(post, unsafe=True)
    assert not again.written and post.read_bytes() == out and post.stat().st_mtime_ns == before


def test_mixed_line_endings_keep_each_lines_own(tmp_path):
    raw = "---\r\ntitle: 제목\r\nid: 012\r\n---\n\n본문\x00입니다\n" + NFD("한") + "\n"
    doc = Document("post.md", raw.encode("utf-8"))
    assert doc.front_matter.closed and doc.front_matter.data["title"] == "제목"
    found = lint(raw)
    assert at(found, "front-matter-yaml11") == [(3, 5)]
    assert at(found, "control-character") == [(6, 3)]
    post = write(tmp_path, "mixed.md", raw)
    assert fix(post, unsafe=True).written
    assert post.read_bytes() == "---\r\ntitle: 제목\r\nid: \"012\"\r\n---\n\n본문입니다\n한\n".encode("utf-8")


def test_cr_only_line_endings_are_reported_not_taken_for_no_front_matter(tmp_path):
    raw = b"---\rtitle: x\r---\rbody\r"
    found = lint(raw)
    assert at(found, "cr-line-ending") == [(1, 4)]
    message = by_rule(found, "cr-line-ending")[0].message
    assert "CR-only" in message and "front matter" in message
    assert by_rule(found, "front-matter-missing") == []
    assert by_rule(found, "cr-line-ending")[0].severity == "error"
    post = write(tmp_path, "mac.md", raw)
    assert not fix(post, unsafe=True).written and post.read_bytes() == raw
    code, out = cli_json("mac.md", cwd=tmp_path)
    assert code == 1 and [d["rule"] for d in out] == ["cr-line-ending"]


def test_unclosed_front_matter_does_not_swallow_the_body(tmp_path):
    raw = "---\ntitle: x\n\n----\n\nsummary: text\n\n본문입니다.\n"
    doc = Document("post.md", raw.encode("utf-8"))
    assert not doc.front_matter.closed and doc.front_matter.data is None
    found = lint(raw)
    assert at(found, "front-matter-syntax") == [(1, 1)]
    message = by_rule(found, "front-matter-syntax")[0].message
    assert "not closed" in message and "line 4 is `----`" in message
    # Nothing from the body is taken for metadata.
    assert not any("summary" in v.message for v in found)
    assert by_rule(found, "front-matter-schema") == [] and by_rule(found, "front-matter-yaml11") == []
    post = write(tmp_path, "unclosed.md", raw)
    assert not fix(post, unsafe=True).written and post.read_bytes() == raw.encode("utf-8")


def test_front_matter_not_at_byte_0(tmp_path):
    found = lint(b"\n---\ntitle: x\n---\nbody\n")
    assert at(found, "front-matter-missing") == [(2, 1)]
    assert "byte 0" in by_rule(found, "front-matter-missing")[0].message
    found = lint(b"   ---\ntitle: x\n   ---\nbody\n")
    assert at(found, "front-matter-missing") == [(1, 4)]
    assert "Jekyll" in by_rule(found, "front-matter-missing")[0].message
    for raw in (b"\n---\ntitle: x\n---\nbody\n", b"   ---\ntitle: x\n   ---\nbody\n"):
        post = write(tmp_path, "late.md", raw)
        assert not fix(post, unsafe=True).written and post.read_bytes() == raw
    code, out = cli_json("late.md", cwd=tmp_path)
    assert code == 1 and out[0]["rule"] == "front-matter-missing" and out[0]["severity"] == "error"


def test_front_matter_that_is_a_list():
    found = lint(b"---\n- a\n- b\n---\nbody\n")
    assert at(found, "front-matter-not-mapping") == [(2, 1)]
    assert "a list" in by_rule(found, "front-matter-not-mapping")[0].message


def test_front_matter_that_is_a_bare_scalar():
    found = lint(b"---\njust text\n---\nbody\n")
    assert at(found, "front-matter-not-mapping") == [(2, 1)]
    assert "single value" in by_rule(found, "front-matter-not-mapping")[0].message


def test_duplicate_key_names_both_lines():
    found = lint(b"---\ntitle: A\ntitle: B\n---\nbody\n")
    assert at(found, "front-matter-duplicate-key") == [(3, 1)]
    v = by_rule(found, "front-matter-duplicate-key")[0]
    assert "'title'" in v.message and "line 2" in v.message and v.severity == "error"


def test_non_string_keys_no_type_error():
    raw = b"---\ntitle: t\n1: one\n~: x\n? [a]\n: b\n---\nbody\n"
    found = lint(raw)
    assert at(found, "front-matter-not-mapping") == [(3, 1), (4, 1), (5, 3)]
    messages = [v.message for v in by_rule(found, "front-matter-not-mapping")]
    assert "'1'" in messages[0] and "'~'" in messages[1] and "a list" in messages[2]
    assert by_rule(found, "front-matter-syntax") == []
    # The single-line form `? [a]: b` is a flow key too.
    found = lint(b"---\ntitle: t\n[a]: b\n{k: v}: c\n---\nbody\n")
    assert at(found, "front-matter-not-mapping") == [(3, 1), (4, 1)]


def test_unquoted_colon_points_at_the_file_position(tmp_path):
    raw = "---\ntitle: 속보: 서울시 예산\n---\nbody\n"
    found = lint(raw)
    assert at(found, "front-matter-syntax") == [(2, 10)]
    assert "quoted" in by_rule(found, "front-matter-syntax")[0].message
    post = write(tmp_path, "colon.md", raw)
    assert not fix(post, unsafe=True).written and post.read_text("utf-8") == raw


def test_tab_indentation_is_a_yaml_error_at_the_file_line():
    found = lint(b"---\ntitle: t\ntags:\n\t- a\n---\nbody\n")
    assert at(found, "front-matter-syntax") == [(4, 1)]
    assert "tab" in by_rule(found, "front-matter-syntax")[0].message


NORWAY_POST = "---\ntitle: 노르웨이\ncountry: NO\nflag: on\nid: 012\ntime: 12:30\nv: 1.10\n---\n\nNO 012 12:30 1.10 그대로.\n"


def test_yaml11_retyping_warns_once_each_and_the_fix_quotes_only_those(tmp_path):
    found = lint(NORWAY_POST)
    hits = by_rule(found, "front-matter-yaml11")
    assert [(v.line, v.column) for v in hits] == [(3, 10), (4, 7), (5, 5), (6, 7), (7, 4)]
    assert all(v.severity == "warning" for v in hits)
    assert "false" in hits[0].message and "octal" in hits[2].message and "750" in hits[3].message
    assert "1.1" in hits[4].message
    post = write(tmp_path, "norway.md", NORWAY_POST)
    # Outside a site YAML 1.1 and 1.2 parsers disagree on every one of them:
    # no fix keeps the value for both, so none is safe.
    assert all(v.fix.applicability == "unsafe" for v in hits)
    assert not fix(post).written
    r = fix(post, unsafe=True)
    assert r.written
    # `NO` (capitals: a code) is quoted; `on` (a switch) is spelled `true`, what YAML 1.1 reads.
    assert post.read_text("utf-8") == NORWAY_POST.replace("NO\n", '"NO"\n', 1).replace("on\n", "true\n", 1).replace(
        "012\n", '"012"\n', 1).replace("12:30\n", '"12:30"\n', 1).replace("1.10\n", '"1.10"\n', 1)
    data = Document(str(post), post.read_bytes()).front_matter.data
    assert data == {"title": "노르웨이", "country": "NO", "flag": True, "id": "012", "time": "12:30", "v": "1.10"}
    assert by_rule(lint(post.read_bytes()), "front-matter-yaml11") == []


def _schema(tmp_path: Path, fmt: str) -> Path:
    p = tmp_path / "schema.json"
    p.write_text(json.dumps({"type": "object", "properties": {"date": {"type": "string", "format": fmt}}}))
    return p


def test_dates_validated_as_the_text_written_with_format_checking(tmp_path):
    cfg = Config(front_matter_schema=_schema(tmp_path, "date"))
    good = lint(b"---\ntitle: t\ndate: 2024-01-02\n---\nbody\n", select=["front-matter-schema"], config=cfg)
    assert good == []
    cfg = Config(front_matter_schema=_schema(tmp_path, "date"))
    bad = lint(b"---\ntitle: t\ndate: 2024-13-45\n---\nbody\n", select=["front-matter-schema"], config=cfg)
    assert at(bad, "front-matter-schema") == [(3, 1)]
    assert "2024-13-45" in bad[0].message and "date" in bad[0].message
    # The same through the command line and a site config naming the schema.
    (tmp_path / "newslint.toml").write_text('front-matter-schema = "schema.json"\n')
    write(tmp_path, "ok.md", "---\ntitle: t\ndate: 2024-01-02\n---\nbody\n")
    write(tmp_path, "bad.md", "---\ntitle: t\ndate: 2024-13-45\n---\nbody\n")
    proc = run_cli(["check", "--no-cache", "-j", "1", "--select", "front-matter-schema", "ok.md", "bad.md"],
                   cwd=tmp_path)
    assert proc.returncode == 1, proc.stderr
    assert "bad.md:3:1: error front-matter-schema" in proc.stdout and "ok.md" not in proc.stdout


def test_datetime_kept_as_source_text_and_date_time_format_checked_or_refused(tmp_path):
    raw = b"---\ntitle: t\ndate: 2024-01-02 10:00:00 +09:00\n---\nbody\n"
    doc = Document("post.md", raw)
    assert doc.front_matter.data["date"] == "2024-01-02 10:00:00 +09:00"
    # The default schema accepts the form Jekyll accepts.
    assert by_rule(lint(raw), "front-matter-schema") == []
    # date-time is always checked (RFC 3339: the space-separated Jekyll form is not one).
    _schema(tmp_path, "date-time")
    (tmp_path / "newslint.toml").write_text('front-matter-schema = "schema.json"\n')
    write(tmp_path, "post.md", raw)
    write(tmp_path, "rfc.md", b"---\ntitle: t\ndate: 2024-01-02T10:00:00+09:00\n---\nbody\n")
    proc = subprocess.run([sys.executable, "-m", "newslint", "check", "--no-cache", "-j", "1", "post.md", "rfc.md"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "post.md:3:1: error front-matter-schema" in proc.stdout, proc.stderr
    assert "rfc.md" not in proc.stdout


@pytest.mark.parametrize("value,ok", [
    ("2024-01-02", True), ("2024-1-2", True), ("2024-01-02 10:00", True), ("2024-01-02 10:00:00 +0900", True),
    ("2024-01-02 10:00:00 +09:00", True), ("2024-01-02T10:00:00Z", True), ("2024-02-29", True),
    ("2024-13-45", False), ("2023-02-29", False), ("2024-01-02 25:00", False), ("11-9-2017", False),
    ("Fri Sep  3 11:21:31 CEST 2021", False), ("2017-02-10 00:10::00 -03:00", False),
])
def test_default_schema_checks_post_dates_on_a_real_calendar(value, ok):
    raw = f"---\ntitle: t\ndate: '{value}'\n---\nbody\n".encode()
    found = by_rule(lint(raw), "front-matter-schema")
    assert (found == []) is ok, found


def test_unsafe_tag_is_reported_and_never_constructed(tmp_path):
    target = tmp_path / "pwned"
    raw = f'---\ntitle: t\nx: !!python/object/apply:os.system ["touch {target}"]\n---\nbody\n'
    found = lint(raw)
    assert at(found, "front-matter-syntax") == [(3, 4)]
    assert "!!python/object/apply:os.system" in found[0].message and "not allowed" in found[0].message
    write(tmp_path, "evil.md", raw)
    code, out = cli_json("evil.md", cwd=tmp_path)
    assert code == 1 and [d["rule"] for d in out] == ["front-matter-syntax"]
    fix(tmp_path / "evil.md", unsafe=True)
    assert not target.exists()


BILLION_LAUGHS = """---
title: t
a: &a ["lol","lol","lol","lol","lol","lol","lol","lol","lol"]
b: &b [*a,*a,*a,*a,*a,*a,*a,*a,*a]
c: &c [*b,*b,*b,*b,*b,*b,*b,*b,*b]
d: &d [*c,*c,*c,*c,*c,*c,*c,*c,*c]
e: &e [*d,*d,*d,*d,*d,*d,*d,*d,*d]
f: &f [*e,*e,*e,*e,*e,*e,*e,*e,*e]
g: &g [*f,*f,*f,*f,*f,*f,*f,*f,*f]
h: &h [*g,*g,*g,*g,*g,*g,*g,*g,*g]
i: &i [*h,*h,*h,*h,*h,*h,*h,*h,*h]
---
body
"""


def test_billion_laughs_is_refused_quickly_in_bounded_memory():
    tracemalloc.start()
    t0 = time.perf_counter()
    found = lint(BILLION_LAUGHS)
    elapsed = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    assert elapsed < 10  # a hang guard, not a benchmark (the expansion would never end)
    assert peak < 50 * 1024 * 1024
    hits = by_rule(found, "front-matter-syntax")
    assert [(v.line, v.column) for v in hits] == [(4, 8)]  # the first `*a`
    assert "aliases" in hits[0].message
    assert by_rule(found, "front-matter-schema") == []


def test_self_referential_alias():
    found = lint(b"---\ntitle: t\na: &x [*x]\n---\nbody\n")
    assert at(found, "front-matter-syntax") == [(3, 8)]
    assert "aliases" in found[0].message


@pytest.mark.parametrize("opening,closing", [("[", "]"), ("{a: ", "}")])
def test_nesting_5000_deep(opening, closing):
    raw = "---\ntitle: t\na: " + opening * 5000 + "x" + closing * 5000 + "\n---\nbody\n"
    t0 = time.perf_counter()
    found = lint(raw)
    assert time.perf_counter() - t0 < 10  # hang guard
    hits = by_rule(found, "front-matter-syntax")
    assert len(hits) == 1 and hits[0].line == 3 and "nested too deeply" in hits[0].message


def test_nul_and_c1_controls(tmp_path):
    # In the front matter: the YAML reader error, at the file position (code points,
    # even after Korean text, which libyaml counts in bytes).
    found = lint("---\ntitle: 한글 제목\x00끝\n---\nbody\n")
    assert at(found, "front-matter-syntax") == [(2, 13)]
    assert "U+0000" in found[0].message
    assert by_rule(found, "control-character") == []  # reported once, by the YAML error
    found = lint("---\ntitle: 한글\x9f\n---\nbody\n")
    assert at(found, "front-matter-syntax") == [(2, 10)] and "U+009F" in found[0].message
    # In the body: a control-character warning each, fixable in prose only.
    raw = "---\ntitle: t\n---\n\n본문\x00입니다\x85 끝\n\n```\n코드\x00\n```\n"
    found = lint(raw)
    hits = by_rule(found, "control-character")
    assert [(v.line, v.column) for v in hits] == [(5, 3), (5, 7), (8, 3)]
    assert all(v.severity == "warning" for v in hits)
    assert "NUL" in hits[0].message and "…" in hits[1].message
    assert hits[0].fix.applicability == "safe" and hits[1].fix.applicability == "unsafe" and hits[2].fix is None
    post = write(tmp_path, "ctrl.md", raw)
    assert fix(post).written
    assert post.read_text("utf-8") == "---\ntitle: t\n---\n\n본문입니다\x85 끝\n\n```\n코드\x00\n```\n"


def test_line_separator_in_title_points_at_the_editor_line():
    raw = "---\ntitle: 가\u2028나\n---\n\n본문\n\n<img src=\"a.png\">\n"
    found = lint(raw)
    reported = [v for v in found if "U+2028" in v.message and v.rule != "front-matter-syntax"]
    assert [(v.line, v.column) for v in reported] == [(2, 9)]
    assert reported[0].severity in ("error", "warning")
    # YAML breaks the line there; its error is placed on the editor's line 2, with why.
    syntax = by_rule(found, "front-matter-syntax")
    assert [(v.line, v.column) for v in syntax] == [(2, 10)] and "U+2028" in syntax[0].message
    # Later findings keep the editor's line numbers (lines count \n only).
    assert at(found, "image-alt-missing") == [(7, 1)]


def test_cp949_file_is_reported_untouched_and_nothing_else_runs(tmp_path):
    raw = "---\ntitle: 제목\n---\n본문 " + NFD("한") + "\n"
    data = raw.replace(NFD("한"), "한").encode("cp949")
    assert data[11:13] == "제".encode("cp949")
    found = lint(data)
    assert [(v.rule, v.line, v.column) for v in found] == [("file-encoding", 2, 8)]
    message = found[0].message
    assert "byte 11" in message and "CP949" in message and found[0].severity == "error"
    post = write(tmp_path, "legacy.md", data)
    before = post.stat().st_mtime_ns
    proc = cli("--fix", "--unsafe-fixes", "legacy.md", cwd=tmp_path)
    assert proc.returncode == 1 and "legacy.md:2:8: error file-encoding" in proc.stdout
    assert "Traceback" not in proc.stderr
    assert post.read_bytes() == data and post.stat().st_mtime_ns == before


def test_short_cp949_file_is_never_guessed_into_another_encoding():
    data = "제목 본문입니다 가나다".encode("cp949")[:20]
    assert len(data) == 20
    found = lint(data)
    assert [v.rule for v in found] == ["file-encoding"]
    message = found[0].message
    assert "not valid UTF-8" in message and "byte 0" in message
    for other in ("UTF-16", "Big5", "big5", "binary"):
        assert other not in message
    doc = Document("post.md", data)
    assert doc.decode_problem.kind == "not-utf8"


def convert(*args: str, cwd: Path) -> Result:
    return run_cli(["convert-encoding", *args], cwd=cwd)


def test_explicit_cp949_conversion_round_trips(tmp_path):
    text = "---\ntitle: 똠방각하 햏자\n---\n\n본문과 한자 \uf914\uf95c, ㄱ자.\n"
    data = text.encode("cp949")  # 똠 and 햏 are in CP949's extension: not valid EUC-KR bytes
    with pytest.raises(UnicodeDecodeError):
        data.decode("euc-kr")
    post = write(tmp_path, "legacy.md", data)
    mode = 0o640
    post.chmod(mode)
    proc = convert("--from", "cp949", "legacy.md", cwd=tmp_path)
    assert proc.returncode == 0, proc.stderr
    assert "converted" in proc.stdout
    out = post.read_bytes()
    assert out.decode("utf-8") == text == unicodedata.normalize("NFC", "---\ntitle: 똠방각하 햏자\n---\n\n") + \
        "본문과 한자 \uf914\uf95c, ㄱ자.\n"
    assert out.decode("utf-8").encode("cp949") == data  # the round trip
    assert "\uf914".encode("utf-8") in out  # compatibility hanja not normalised
    assert post.stat().st_mode & 0o777 == mode
    assert [p.name for p in tmp_path.iterdir()] == ["legacy.md"]  # no temp file left
    code, found = cli_json("legacy.md", cwd=tmp_path)
    assert code == 0 and found == []
    # Converting again: already UTF-8, nothing written.
    proc = convert("--from", "cp949", "legacy.md", cwd=tmp_path)
    assert proc.returncode == 0 and "already UTF-8" in proc.stdout and post.read_bytes() == out


def test_conversion_refuses_what_is_not_cp949_and_never_guesses(tmp_path):
    bad = write(tmp_path, "bad.md", b"---\ntitle: \xff\xfe\xff\n---\n")
    proc = convert("--from", "cp949", "bad.md", cwd=tmp_path)
    assert proc.returncode == 1 and "byte 11" in proc.stderr and "nothing was written" in proc.stderr
    assert bad.read_bytes() == b"---\ntitle: \xff\xfe\xff\n---\n"
    proc = convert("--from", "euc-kr", "bad.md", cwd=tmp_path)
    assert proc.returncode == 2
    proc = convert("bad.md", cwd=tmp_path)  # the encoding is never guessed: --from is required
    assert proc.returncode == 2 and "--from" in proc.stderr


def test_utf16le_with_bom(tmp_path):
    data = "\ufeff---\ntitle: 제목\n---\n본문\n".encode("utf-16-le")
    assert data[:2] == b"\xff\xfe"
    found = lint(data)
    assert [(v.rule, v.line, v.column) for v in found] == [("file-encoding", 1, 1)]
    assert "UTF-16" in found[0].message
    write(tmp_path, "wide.md", data)
    code, out = cli_json("wide.md", cwd=tmp_path)
    assert code == 1 and [d["rule"] for d in out] == ["file-encoding"]


def test_binary_png_named_md_is_skipped_and_the_run_goes_on(tmp_path):
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10" + bytes(range(256)) * 4
    found = lint(png)
    assert [v.rule for v in found] == ["file-encoding"] and "binary" in found[0].message
    write(tmp_path, "image.md", png)
    write(tmp_path, "good.md", "---\ntitle: 제목\n---\n\n<img src=\"a.png\">\n")
    code, out = cli_json("image.md", "good.md", cwd=tmp_path)
    assert code == 1
    assert [(d["path"], d["rule"]) for d in out] == [("good.md", "image-alt-missing"), ("image.md", "file-encoding")]
    assert not fix(tmp_path / "image.md", unsafe=True).written
    assert (tmp_path / "image.md").read_bytes() == png


def test_nfd_title_is_reported_and_composed_run_by_run(tmp_path):
    title = "부산 디지털 트윈, 樂 ㄱ자"
    raw = "---\ntitle: " + NFD(title) + "\n---\n\n본문.\n"
    found = lint(raw)
    hits = by_rule(found, "unicode-nfd")
    assert hits and all(v.line == 2 for v in hits) and hits[0].column == 8
    post = write(tmp_path, "mac.md", raw)
    assert fix(post).written
    fixed = post.read_text("utf-8")
    assert fixed == "---\ntitle: " + unicodedata.normalize("NFC", NFD(title)) + "\n---\n\n본문.\n"
    assert fixed == "---\ntitle: 부산 디지털 트윈, 樂 ㄱ자\n---\n\n본문.\n"


def test_compatibility_hanja_untouched(tmp_path):
    hanja = "\uf914\uf95c\uf9bf"
    raw = "---\ntitle: 제목\n---\n\n" + hanja + " 한자와 " + NFD("한글") + "\n"
    found = lint(raw)
    assert not [v for v in found if v.column <= 3 and v.line == 5]  # nothing on the hanja
    assert at(found, "unicode-nfd") == [(5, 9)]
    post = write(tmp_path, "hanja.md", raw)
    assert fix(post, unsafe=True).written
    out = post.read_bytes()
    assert hanja.encode("utf-8") in out and "\u6a02".encode("utf-8") not in out
    assert out == ("---\ntitle: 제목\n---\n\n" + hanja + " 한자와 한글\n").encode("utf-8")
    assert unicodedata.normalize("NFC", hanja) != hanja  # the trap a whole-file NFC would fall in


# -- our own variants ------------------------------------------------------------------
def test_variant_yaml_line_breaks_do_not_shift_later_positions():
    # U+2028, U+2029 and NEL are line breaks to YAML but not to editors: marks after
    # them must still land on the editor's line.
    for sep in ("\u2028", "\u2029", "\x85"):
        raw = f'---\ntitle: "가{sep}나"\ncountry: NO\ntitle: again\n---\nbody\n'
        found = lint(raw)
        assert at(found, "front-matter-yaml11") == [(3, 10)], sep
        assert at(found, "front-matter-duplicate-key") == [(4, 1)], sep


def test_variant_thematic_break_closing_a_forgotten_fence_gets_a_hint():
    raw = "---\ntitle: x\n\n본문을 시작합니다\n\n---\n\nsummary: text\n"
    found = lint(raw)
    hits = by_rule(found, "front-matter-syntax")
    assert len(hits) == 1 and "closing `---` missing" in hits[0].message and "line 6" in hits[0].message


def test_variant_invisible_character_or_bad_fence_before_front_matter():
    found = lint("\ufeff\ufeff---\ntitle: x\n---\nbody\n")  # a BOM twice
    assert at(found, "front-matter-missing") == [(1, 2)] and "U+FEFF" in found[0].message
    found = lint("\u200b---\ntitle: x\n---\nbody\n")
    assert at(found, "front-matter-missing") == [(1, 2)] and "U+200B" in found[0].message
    found = lint("----\ntitle: x\n----\nbody\n")
    assert at(found, "front-matter-missing") == [(1, 1)] and "`----`" in found[0].message


def test_variant_cr_only_without_front_matter_and_stray_crs():
    found = lint(b"# title\rline two\rline three\r")
    hits = by_rule(found, "cr-line-ending")
    assert [(v.line, v.column) for v in hits] == [(1, 8)] and "front matter" not in hits[0].message
    found = lint(b"---\ntitle: t\n---\n\nstray\rcr and crlf\r\nok\n")
    assert at(found, "cr-line-ending") == [(5, 6)]
    assert by_rule(lint("---\r\ntitle: t\r\n---\r\nbody\r\n"), "cr-line-ending") == []


@pytest.mark.parametrize("tag", ["!!python/name:os.system", "!!python/object/new:os.system [x]",
                                 "!!python/module:os", "!local thing", "!<tag:example.com,2000:x> y"])
def test_variant_other_unknown_tags_are_refused(tag):
    found = lint(f"---\ntitle: t\nlist:\n  - ok\n  - {tag}\n---\nbody\n")
    hits = by_rule(found, "front-matter-syntax")
    assert [(v.line, v.column) for v in hits] == [(5, 5)] and "not allowed" in hits[0].message


def test_variant_safe_tags_still_work():
    doc = Document.from_text("---\ntitle: !!str 2024\nn: !!int \"3\"\n---\nbody\n")
    assert doc.front_matter.data == {"title": "2024", "n": 3}


def test_variant_block_nesting_over_the_cap():
    lines = ["---", "title: t"] + [" " * i + f"k{i}:" for i in range(60)] + [" " * 60 + "x", "---", "body", ""]
    found = lint("\n".join(lines))
    hits = by_rule(found, "front-matter-syntax")
    assert len(hits) == 1 and "nested too deeply (more than 50 levels)" in hits[0].message


def test_variant_utf16_without_bom_and_big_endian():
    for codec, name in (("utf-16-le", "UTF-16LE"), ("utf-16-be", "UTF-16BE")):
        found = lint("---\ntitle: 제목\n---\n본문 text\n".encode(codec))
        assert [v.rule for v in found] == ["file-encoding"] and name in found[0].message


def test_variant_yaml11_keeps_boolean_keys_boolean_and_skips_quoted_and_numbers(tmp_path):
    raw = ("---\ntitle: t\npublished: no\ndraft: Yes\nweight: 1.50\nlabel: \"NO\"\nnote: |\n  NO\n"
           "tags: [yes, 뉴스]\nversion: 2.0\n---\nbody\n")
    found = lint(raw)
    hits = by_rule(found, "front-matter-yaml11")
    assert [(v.line, v.column) for v in hits] == [(3, 12), (4, 8), (9, 8)]
    post = write(tmp_path, "flags.md", raw)
    assert fix(post, unsafe=True).written
    data = Document(str(post), post.read_bytes()).front_matter.data
    assert data["published"] is False and data["draft"] is True and data["tags"] == [True, "뉴스"]
    assert data["weight"] == 1.5 and data["version"] == 2.0


def test_variant_yaml11_codes_are_quoted_switches_spelled_as_booleans(tmp_path):
    raw = "---\ntitle: t\nlang: no\ncountry: no\nfeatured: yes\nkeep_md: Off\nanswer: YES\n---\nbody\n"
    post = write(tmp_path, "codes.md", raw)
    assert len(by_rule(lint(raw), "front-matter-yaml11")) == 5
    assert fix(post, unsafe=True).written
    assert post.read_text("utf-8") == ('---\ntitle: t\nlang: "no"\ncountry: "no"\nfeatured: true\nkeep_md: false\n'
                                       'answer: "YES"\n---\nbody\n')


def test_variant_cp949_file_among_good_files_does_not_stop_the_run(tmp_path):
    write(tmp_path, "a.md", "---\ntitle: 가\n---\n\n<img src=\"x.png\">\n")
    write(tmp_path, "b.md", "---\ntitle: 나\n---\n본문\n".encode("cp949"))
    write(tmp_path, "c.md", "---\ntitle: 다\n---\n\n<img src=\"y.png\">\n")
    code, out = cli_json(".", cwd=tmp_path)
    assert code == 1
    assert sorted((Path(d["path"]).name, d["rule"]) for d in out) == [
        ("a.md", "image-alt-missing"), ("b.md", "file-encoding"), ("c.md", "image-alt-missing")]
