"""The fixer: span edits only, verified, atomic, refused where it must be.

Test-only rules are defined here and handed to the fixer directly
(``fix_file(..., rules=[...])``) or, for the CLI path, through a monkeypatched
``Config.enabled_rules``.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import stat
import subprocess
import sys
import unicodedata
from pathlib import Path

import pytest

from newslint import atomic, fixer
from newslint.config import Config
from newslint.document import Document
from newslint.fixer import fix_file, fix_text
from newslint.linter import lint_document
from newslint.model import Edit, Finding, Fix
from conftest import ALL_RULES
from newslint.ruleapi import Rule
from newslint.runner import CheckOptions, run_check

import conftest

FIXTURES = Path(__file__).parent / "fixtures" / "rules"
NEWSLINT = [sys.executable, "-m", "newslint"]
NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def temp_files(folder: Path) -> list[str]:
    return [p.name for p in folder.iterdir() if p.name.startswith(".newslint-")]


def run_cli(*args: str) -> conftest.Result:
    return conftest.run_cli(args)


def run_process(*args: str) -> subprocess.CompletedProcess:
    """In its own process, killed after a while: for a run that could block (a FIFO)."""
    return subprocess.run([*NEWSLINT, *args], capture_output=True, text=True, encoding="utf-8", timeout=120)


def run_inproc(monkeypatch, rules, *paths, **opts):
    """``newslint check`` in-process with only the given (test) rules enabled."""
    monkeypatch.setattr(Config, "enabled_rules", lambda self: list(rules))
    out, err = io.StringIO(), io.StringIO()
    code = run_check(CheckOptions(paths=tuple(str(p) for p in paths), jobs=1, use_cache=False, **opts), out, err)
    return code, out.getvalue(), err.getvalue()


# -- test-only rules -----------------------------------------------------------------
class _Regex(Rule):
    """A test rule: replace every match of ``pattern`` with ``replacement``."""

    pattern = ""
    replacement = ""
    applicability = "safe"
    severity = "warning"
    fix = "safe"

    def check(self, doc, options):
        for m in re.finditer(self.pattern, doc.text):
            edit = Edit(m.start(), m.end(), m.expand(self.replacement))
            yield Finding(m.start(), m.end(), f"{self.name} matched", fix=Fix((edit,), self.applicability, "t"))


def regex_rule(name: str, pattern: str, replacement: str, applicability: str = "safe") -> type[Rule]:
    return type(name.title().replace("-", ""), (_Regex,), {
        "name": name, "code": "NL9" + str(abs(hash(name)) % 90 + 10), "pattern": pattern,
        "replacement": replacement, "applicability": applicability, "__doc__": "Test rule."})


BreakYaml = regex_rule("test-break-yaml", r"(?m)^title: (.*)$", r"title: \1: :")
AtoB = regex_rule("test-a-to-b", r"alpha", "beta")
BtoA = regex_rule("test-b-to-a", r"beta", "alpha")


class Dash(Rule):
    """Test rule: every "--" (overlapping: "---" holds two) becomes "-"."""

    name, code, fix = "test-dash", "NL980", "safe"

    def check(self, doc, options):
        for m in re.finditer("(?=--)", doc.text):
            i = m.start()
            yield Finding(i, i + 2, "dash", fix=Fix.safe("-", Edit(i, i + 2, "-")))


class SameSpanY(Rule):
    """Test rule: replace each "xx" by "Y"."""

    name, code, fix = "test-same-span-y", "NL981", "safe"

    def check(self, doc, options):
        for m in re.finditer("xx", doc.text):
            yield Finding(m.start(), m.end(), "xx", fix=Fix.safe("Y", Edit(m.start(), m.end(), "Y")))


class SameSpanZ(SameSpanY):
    """Test rule: replace each "xx" by "Z"."""

    name, code = "test-same-span-z", "NL982"

    def check(self, doc, options):
        for m in re.finditer("xx", doc.text):
            yield Finding(m.start(), m.end(), "xx", fix=Fix.safe("Z", Edit(m.start(), m.end(), "Z")))


class InsertLine(Rule):
    """Test rule: insert a comment line (with a LF in its content) after the body's first line."""

    name, code, fix = "test-insert-line", "NL983", "safe"

    def check(self, doc, options):
        if "<!-- seen -->" in doc.text:
            return
        nl = doc.text.find("\n", doc.body_start)
        if nl != -1:
            yield Finding(doc.body_start, nl, "x", fix=Fix.safe("ins", Edit.insert(nl + 1, "<!-- seen -->\n")))


class StealAuthor(Rule):
    """Test rule: a broken fix on `title` that also overrides the untouched `author` key."""

    name, code, fix = "test-steal-author", "NL984", "safe"

    def check(self, doc, options):
        fm = doc.front_matter
        if fm is None or not fm.ok or "title" not in fm.data or fm.data.get("author") == "lee":
            return
        k, v = fm.key_node("title")
        end = fm.mark_offset(v.end_mark)
        yield Finding(end, end, "x", fix=Fix.safe("steal", Edit.insert(end, "\nauthor: lee")))


class Shout(Rule):
    """Test rule whose fix adds findings of another rule: "quiet" -> "LOUD"."""

    name, code, fix = "test-shout", "NL985", "safe"

    def check(self, doc, options):
        for m in re.finditer("quiet", doc.text):
            yield Finding(m.start(), m.end(), "q", fix=Fix.safe("loud", Edit(m.start(), m.end(), "LOUD")))


class Loud(Rule):
    """Test rule that reports "LOUD" (no fix)."""

    name, code = "test-loud", "NL986"

    def check(self, doc, options):
        for m in re.finditer("LOUD", doc.text):
            yield Finding(m.start(), m.end(), "loud")


class Crashy(Rule):
    """Test rule that crashes once a fix applied."""

    name, code = "test-crashy", "NL987"

    def check(self, doc, options):
        if "beta" in doc.text:
            raise RuntimeError("boom")
        return ()


POST = "---\ntitle: 제목\nauthor: kim\n---\n\nalpha 본문입니다.\n"


# -- a fix that breaks the YAML is reverted --------------------------
def test_fix_breaking_yaml_is_reverted_exit_3(tmp_path, monkeypatch):
    post = tmp_path / "p.md"
    post.write_bytes(POST.encode())
    before = sha(post)
    code, out, err = run_inproc(monkeypatch, [BreakYaml], post, fix=True)
    assert code == 3
    assert sha(post) == before
    assert "fix-reverted" in out and "test-break-yaml" in out
    assert "front matter" in out
    assert temp_files(tmp_path) == []


# -- fixes that undo each other ----------------------------------------
def test_fixes_that_undo_each_other_do_not_converge(tmp_path, monkeypatch):
    post = tmp_path / "p.md"
    post.write_bytes(POST.encode())
    before = sha(post)
    code, out, err = run_inproc(monkeypatch, [AtoB, BtoA], post, fix=True)
    assert code == 3
    assert sha(post) == before
    line = next(line for line in out.splitlines() if "fix-not-converged" in line)
    assert "test-a-to-b" in line and "test-b-to-a" in line


def test_ten_passes_without_converging(tmp_path):
    class Grow(Rule):
        """Test rule: always appends one more '!'."""

        name, code, fix = "test-grow", "NL988", "safe"

        def check(self, doc, options):
            yield Finding(0, 0, "grow", fix=Fix.safe("g", Edit.insert(len(doc.text), "!")))

    post = tmp_path / "p.md"
    post.write_text("text\n")
    r = fix_file(str(post), Config(), rules=[Grow])
    assert not r.changed and post.read_text() == "text\n"
    assert [p.rule for p in r.problems] == ["fix-not-converged"]
    assert "after 10 passes" in r.problems[0].message and "test-grow" in r.problems[0].message


def test_rule_crashing_on_fixed_text_reverts(tmp_path):
    post = tmp_path / "p.md"
    post.write_text(POST)
    r = fix_file(str(post), Config(), rules=[AtoB, Crashy])
    assert r.failed and post.read_text() == POST
    assert "RuntimeError" in r.problems[0].message


# -- overlapping edits -------------------------------------------------------
def test_overlapping_edits_one_per_pass_and_nothing_duplicated():
    res = fix_text("---\ntitle: t\n---\n\nab xx cd\n", "p.md", Config(), rules=[SameSpanY, SameSpanZ])
    assert res.text == "---\ntitle: t\n---\n\nab Y cd\n"  # one of them, never "YZ"
    assert [len(p) for p in res.passes] == [1]  # one edit applied, in one pass
    assert res.fixed == 2  # and both findings are gone
    assert not res.problems


def test_overlapping_matches_of_one_rule_converge_over_passes():
    res = fix_text("a------b\n", "p.md", Config(), rules=[Dash])
    assert res.text == "a-b\n"
    assert len(res.passes) > 1  # overlapping edits waited for the next pass
    assert not res.problems


# -- front matter data may change only where a fix edited -----------------
def test_fix_changing_an_untouched_key_is_reverted():
    text = "---\nauthor: kim\ntitle: 제목\n---\n\n본문\n"
    res = fix_text(text, "p.md", Config(), rules=[StealAuthor])
    assert res.text == text
    assert res.failed and "author" in res.problems[0].message and "test-steal-author" in res.problems[0].message


def test_fix_adding_findings_is_reverted():
    text = "---\ntitle: t\n---\n\nquiet please\n"
    res = fix_text(text, "p.md", Config(), rules=[Shout, Loud])
    assert res.text == text and res.failed
    assert "test-loud: 0 -> 1" in res.problems[0].message


# -- no edits in a broken front matter ------------------------------------
def test_broken_front_matter_gets_no_front_matter_fix(tmp_path):
    post = tmp_path / "p.md"
    text = f"---\ntitle: {NFD('속보')}: 서울\nbad: [\n---\n\n{NFD('본문')}입니다.\n"
    post.write_text(text, encoding="utf-8")
    r = fix_file(str(post), Config(select=["unicode-nfd", "front-matter-syntax"]))
    after = post.read_text(encoding="utf-8")
    assert after == text.replace(NFD("본문"), "본문")  # the body only
    assert any(v.rule == "front-matter-syntax" for v in r.violations)
    assert any(v.rule == "unicode-nfd" and v.line == 2 for v in r.violations)


# -- atomic writes -------------------------------------------------------------
@pytest.mark.parametrize("tmpfile", [True, False])
def test_replace_failing_leaves_original_and_no_temp(tmp_path, monkeypatch, tmpfile):
    post = tmp_path / "p.md"
    post.write_text(f"---\ntitle: t\n---\n\n{NFD('한국')}\n", encoding="utf-8")
    before = sha(post)
    monkeypatch.setattr(atomic, "_TMPFILE_OK", tmpfile)

    def boom(src, dst):
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(fixer.os, "replace", boom)
    r = fix_file(str(post), Config(select=["unicode-nfd"]))
    assert sha(post) == before
    assert temp_files(tmp_path) == []
    assert not r.written and [p.rule for p in r.problems] == ["fix-write-refused"]
    assert "No space left" in r.problems[0].message


def test_stale_temp_file_is_removed_and_mode_kept(tmp_path):
    post = tmp_path / "p.md"
    post.write_text(f"---\ntitle: t\n---\n\n{NFD('한국')}\n", encoding="utf-8")
    os.chmod(post, 0o640)
    (tmp_path / ".newslint-p.md.tmp").write_text("left by a killed run")
    r = fix_file(str(post), Config(select=["unicode-nfd"]))
    assert r.written and post.read_text(encoding="utf-8").endswith("한국\n")
    assert stat.S_IMODE(post.stat().st_mode) == 0o640
    assert temp_files(tmp_path) == []


def test_file_changed_on_disk_is_left_alone(tmp_path, monkeypatch):
    post = tmp_path / "p.md"
    post.write_text(f"---\ntitle: t\n---\n\n{NFD('한국')}\n", encoding="utf-8")
    real = fixer.fix_text

    def editor_saves_meanwhile(*a, **kw):
        res = real(*a, **kw)
        post.write_text("the editor's new version\n")
        return res

    monkeypatch.setattr(fixer, "fix_text", editor_saves_meanwhile)
    r = fix_file(str(post), Config(select=["unicode-nfd"]))
    assert post.read_text() == "the editor's new version\n"
    assert not r.written and "changed on disk" in r.problems[0].message
    assert temp_files(tmp_path) == []


# -- symlinks and special files --------------------------------------------
def test_symlink_and_fifo_are_refused(tmp_path):
    outside = tmp_path / "outside"
    outside.mkdir()
    target = outside / "target.md"
    text = f"---\ntitle: t\n---\n\n{NFD('한국')}\n"
    target.write_text(text, encoding="utf-8")
    posts = tmp_path / "posts"
    posts.mkdir()
    (posts / "post.md").symlink_to(target)
    os.mkfifo(posts / "fifo.md")
    proc = run_process("check", "--fix", str(posts / "post.md"), str(posts / "fifo.md"))
    assert target.read_text(encoding="utf-8") == text
    assert (posts / "post.md").is_symlink()
    assert "Traceback" not in proc.stderr
    refused = [line for line in proc.stdout.splitlines() if "fix-write-refused" in line]
    assert any("post.md" in line and "symbolic link" in line for line in refused), proc.stdout
    # Discovery passes over the FIFO (never opened: no hang) and says so.
    assert "fifo.md" in proc.stderr and "skipped" in proc.stderr
    assert proc.returncode == 1
    # The library refuses it too when asked directly.
    r = fix_file(str(posts / "fifo.md"), Config())
    assert [p.rule for p in r.problems] == ["fix-write-refused"] and "not a regular file" in r.problems[0].message


# -- read-only file ------------------------------------------------------------
def test_read_only_file_reported_others_fixed(tmp_path):
    ro, rw = tmp_path / "ro.md", tmp_path / "rw.md"
    text = f"---\ntitle: t\n---\n\n{NFD('한국')}\n"
    ro.write_text(text, encoding="utf-8")
    rw.write_text(text, encoding="utf-8")
    os.chmod(ro, 0o444)
    try:
        proc = run_cli("check", "--fix", str(ro), str(rw))
        assert ro.read_text(encoding="utf-8") == text
        assert rw.read_text(encoding="utf-8") == text.replace(NFD("한국"), "한국")
        assert "ro.md:1:1: error fix-write-refused" in proc.stdout and "permission denied" in proc.stdout
        assert temp_files(tmp_path) == []
        assert proc.returncode == 1
    finally:
        os.chmod(ro, 0o644)


# -- bytes outside the edits ----------------------------------------
@pytest.mark.parametrize("bom", [False, True])
@pytest.mark.parametrize("endings", ["lf", "crlf", "mixed"])
@pytest.mark.parametrize("final_newline", [True, False])
def test_line_endings_bom_and_final_newline_kept(tmp_path, bom, endings, final_newline):
    fm = ["---", "title: \"" + NFD("제목") + "\"  # 주석", "tags: ['a', \"b\"]", "---"]
    body = ["", "    code block first", "", NFD("한국") + " 樂 ㄱㄴ &nbsp;&amp;&#x3131; <img src='a'>", "끝"]
    lines = fm + body
    if endings == "lf":
        text = "\n".join(lines)
    elif endings == "crlf":
        text = "\r\n".join(lines)
    else:  # CRLF in the front matter, LF in the body
        text = "\r\n".join(fm) + "\r\n" + "\n".join(body)
    text = text.replace("樂", "\uF914") + ("\r\n" if endings == "crlf" else "\n") * final_newline
    raw = (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")
    post = tmp_path / "p.md"
    post.write_bytes(raw)
    r = fix_file(str(post), Config(select=["unicode-nfd"]))
    assert r.written and r.fixed == 2
    expected = raw.replace(NFD("제목").encode(), "제목".encode()).replace(NFD("한국").encode(), "한국".encode())
    assert post.read_bytes() == expected


@pytest.mark.parametrize("endings", ["\n", "\r\n"])
def test_inserted_newlines_take_the_line_ending_of_the_file(tmp_path, endings):
    text = endings.join(["---", "title: t", "---", "", "first line", "second", ""])
    post = tmp_path / "p.md"
    post.write_bytes(text.encode())
    r = fix_file(str(post), Config(), rules=[InsertLine])
    assert r.written
    got = post.read_bytes().decode()
    assert got == text.replace(endings * 2, endings * 2 + "<!-- seen -->" + endings, 1)


# -- nothing to fix, nothing written ----------------------------------
def test_nothing_to_fix_writes_nothing(tmp_path):
    post = tmp_path / "p.md"
    post.write_bytes(b"\xef\xbb\xbf---\r\ntitle: x\r\n---\r\nbody without final newline")
    st = post.stat()
    before = sha(post)
    proc = run_cli("check", "--fix", str(post))
    after = post.stat()
    assert sha(post) == before
    assert (after.st_mtime_ns, after.st_ino) == (st.st_mtime_ns, st.st_ino)
    assert "fixed 0" in proc.stdout


# -- --diff ----------------------------------------------------------------------------
def test_diff_shows_and_writes_nothing(tmp_path):
    post = tmp_path / "p.md"
    post.write_text(f"---\ntitle: t\n---\n\n{NFD('한국')} 뉴스\n", encoding="utf-8")
    before = sha(post)
    proc = run_cli("check", "--diff", str(post))
    assert proc.returncode == 1
    assert sha(post) == before
    assert f"-{NFD('한국')} 뉴스" in proc.stdout and "+한국 뉴스" in proc.stdout
    assert "would fix 1 finding in 1 file" in proc.stderr
    clean = tmp_path / "clean.md"
    clean.write_text("---\ntitle: t\n---\n\n한국\n", encoding="utf-8")
    proc = run_cli("check", "--diff", str(clean))
    assert proc.returncode == 0 and proc.stdout == ""


def test_unsafe_fixes_alone_shows_unsafe_fixes_as_available_and_writes_nothing(tmp_path):
    post = tmp_path / "p.md"
    text = "---\ntitle: t\nexcerpt: Same words.\nfeature_text: Same words.\n---\n\nbody\n"
    post.write_text(text, encoding="utf-8")
    proc = run_cli("check", "--no-cache", "--unsafe-fixes", str(post))
    assert proc.returncode == 1
    assert "excerpt-duplicates-feature-text [*]" in proc.stdout
    assert "1 fixable with --fix --unsafe-fixes" in proc.stdout
    assert post.read_text(encoding="utf-8") == text


# -- unsafe fixes only when asked; idempotence ---------------------
DUP = ("---\ntitle: t\nexcerpt: 같은 문장입니다.\nfeature_text: 같은 문장입니다.\n---\n\n"
       f"{NFD('한국')}\n")


def test_unsafe_fix_needs_opt_in_and_summary_counts(tmp_path):
    post = tmp_path / "p.md"
    post.write_text(DUP, encoding="utf-8")
    proc = run_cli("check", "--fix", str(post))
    assert "feature_text" in post.read_text(encoding="utf-8")
    assert "한국\n" in post.read_text(encoding="utf-8")
    assert "fixed 1, 1 remaining (1 warning)" in proc.stdout
    assert proc.returncode == 1
    proc = run_cli("check", "--fix", "--unsafe-fixes", str(post))
    assert "feature_text" not in post.read_text(encoding="utf-8")
    assert "fixed 1, 0 remaining" in proc.stdout
    assert proc.returncode == 0


def test_second_fix_changes_nothing_and_offers_no_safe_fix(tmp_path):
    ref = Path(__file__).parent / "fixtures" / "rules"
    posts = tmp_path / "posts"
    posts.mkdir()
    for i, f in enumerate(sorted(ref.glob("*/fail.*"))):
        if f.suffix in (".md", ".html"):
            (posts / f"{i}-{f.parent.name}{f.suffix}").write_bytes(f.read_bytes())
    run_cli("check", "-j", "1", "--fix", str(posts))
    first = {p.name: p.read_bytes() for p in posts.iterdir()}
    proc = run_cli("check", "-j", "1", "--fix", str(posts))
    assert {p.name: p.read_bytes() for p in posts.iterdir()} == first
    assert "[*]" not in proc.stdout and ", fixed 0," in proc.stdout
    assert temp_files(posts) == []


# -- every fix has a before/after fixture ---------------------------------------------
FIXABLE = [r.name for r in ALL_RULES if r.fix is not None]


def _fixture(rule: str, stem: str) -> Path:
    for ext in (".md", ".html"):
        p = FIXTURES / rule / f"{stem}{ext}"
        if p.exists():
            return p
    raise AssertionError(f"rule {rule} has a fix but no {stem}.md/.html fixture in {FIXTURES / rule}")


@pytest.mark.parametrize("rule", FIXABLE)
def test_fixture_fixed_exactly(rule, tmp_path):
    src = _fixture(rule, "fail")
    expected = _fixture(rule, "fail.fixed").read_bytes()
    post = tmp_path / src.name
    post.write_bytes(src.read_bytes())
    r = fix_file(str(post), Config(select=[rule]), unsafe=True)
    assert not r.problems, r.problems
    assert post.read_bytes() == expected
    assert r.fixed > 0
    # Nothing left to fix, and fixing again changes nothing.
    again = fix_file(str(post), Config(select=[rule]), unsafe=True)
    assert not again.changed and post.read_bytes() == expected


def test_fixable_rules_declare_it():
    """Rules that yield fixes on their fixture say so in ``Rule.fix`` (so the test above covers them)."""
    for rule in ALL_RULES:
        for stem in ("fail",):
            for ext in (".md", ".html"):
                p = FIXTURES / rule.name / f"{stem}{ext}"
                if p.exists():
                    doc = Document(str(p), p.read_bytes())
                    vs = lint_document(doc, Config(select=[rule.name]))
                    if any(v.fix is not None for v in vs):
                        assert rule.fix is not None, rule.name


# -- the NFD rule -----------------------------------------------------------
def test_nfd_composes_only_jamo_runs():
    hanja = "\uF914\uF95C\uF9BF"
    text = f"---\ntitle: {NFD('부산의 한국어')}\n---\n\n{hanja} ㄱ자 모양 {NFD('각')} 가\u11a8 {NFD('값')}\n"
    res = fix_text(text, "p.md", Config(select=["unicode-nfd"]))
    assert res.text == f"---\ntitle: 부산의 한국어\n---\n\n{hanja} ㄱ자 모양 각 각 값\n"
    assert hanja in res.text  # never NFC'd into U+6A02...
    assert unicodedata.normalize("NFC", text) != res.text  # ...as whole-file NFC would do


def test_nfd_in_code_and_paths_not_fixed():
    text = f"---\ntitle: t\n---\n\n`{NFD('코드')}` ![a](/img/{NFD('사진')}.png) <a href=\"{NFD('문서')}\">x</a>\n"
    vs = lint_document(Document.from_text(text, "p.md"), Config(select=["unicode-nfd"]))
    assert [v.fix for v in vs] == [None, None]
    assert all("not fixed" in v.message for v in vs)


def test_old_hangul_jamo_that_do_not_compose_are_not_reported():
    text = "---\ntitle: t\n---\n\n\u1100\u119e \u3131\n"  # arae-a: no precomposed syllable
    assert lint_document(Document.from_text(text, "p.md"), Config(select=["unicode-nfd"])) == []


class DropLastLines(Rule):
    """Test rule: delete every line reading "spacer" (its line break included)."""

    name, code, fix = "test-drop-spacer", "NL989", "safe"

    def check(self, doc, options):
        for m in re.finditer(r"(?m)^spacer(\r?\n|$)", doc.text):
            yield Finding(m.start(), m.end(), "s", fix=Fix.safe("drop", Edit.delete(m.start(), m.end())))


@pytest.mark.parametrize("eol", ["\n", "\r\n"])
def test_deleting_last_lines_keeps_no_final_newline(eol):
    text = eol.join(["---", "title: t", "---", "", "body", "spacer", "spacer"])
    res = fix_text(text, "p.md", Config(), rules=[DropLastLines])
    assert res.text == eol.join(["---", "title: t", "---", "", "body"])
    res = fix_text(text + eol, "p.md", Config(), rules=[DropLastLines])
    assert res.text == eol.join(["---", "title: t", "---", "", "body", ""])


def test_run_removes_temp_files_left_by_a_killed_run(tmp_path):
    post = tmp_path / "p.md"
    post.write_text("---\ntitle: t\n---\n\n본문\n", encoding="utf-8")
    (tmp_path / ".newslint-p.md.tmp").write_text("half written")
    (tmp_path / ".newslint-unrelated.tmp").write_text("not ours: no such post")
    proc = run_cli("check", "--fix", str(post))
    assert proc.returncode in (0, 1), proc.stderr
    assert temp_files(tmp_path) == [".newslint-unrelated.tmp"]
