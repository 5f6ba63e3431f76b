"""The fixer against what can go wrong while it edits a file.

A fix that breaks the file, changes what it did not edit, does not converge
or overlaps another is undone; the rewritten file keeps its line endings, its
UTF-8 byte order mark (Jekyll and Hugo read it fine) and its final newline; a
file that does not parse gets no fix; unsafe fixes need consent; a temp file
that cannot be made, a rename that fails or a post changed on disk between the
read and the write leave the post as it was. tests/test_fixer.py covers more
of the same; this file adds what it lacks.
"""

from __future__ import annotations

import hashlib
import io
import os
import re
import unicodedata
from pathlib import Path

import pytest

import conftest
from newslint import fixer
from newslint.config import Config
from newslint.document import Document
from newslint.fixer import fix_file, fix_text
from newslint.linter import lint_document
from newslint.model import Edit, Finding, Fix
from conftest import ALL_RULES
from newslint.ruleapi import Rule
from newslint.runner import CheckOptions, run_check

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "rules"
NFD = lambda s: unicodedata.normalize("NFD", s)  # noqa: E731
FIXABLE = sorted(r.name for r in ALL_RULES if r.fix is not None)
NOT_FIXABLE = sorted(r.name for r in ALL_RULES if r.fix is None)


def sha(p: Path) -> str:
    return hashlib.sha256(p.read_bytes()).hexdigest()


def temp_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith(".newslint-"))


def run_cli(*args: str) -> conftest.Result:
    return conftest.run_cli(args)


def run_inproc(monkeypatch, rules, *paths, **opts):
    """``newslint check`` in-process with only the given (test) rules enabled."""
    monkeypatch.setattr(Config, "enabled_rules", lambda self: list(rules))
    out, err = io.StringIO(), io.StringIO()
    code = run_check(CheckOptions(paths=tuple(str(p) for p in paths), jobs=1, use_cache=False, **opts), out, err)
    return code, out.getvalue(), err.getvalue()


def fixture(rule: str, stem: str) -> Path:
    return FIXTURES / rule / f"{stem}.md"


# -- test-only rules -----------------------------------------------------------------
class OpenComment(Rule):
    """Test rule whose fix opens an HTML comment it never closes (breaks the body)."""

    name, code, fix = "test-open-comment", "NL970", "safe"

    def check(self, doc, options):
        i = doc.text.find("<p>fix me</p>")
        if i != -1:
            yield Finding(i, i + 13, "x", fix=Fix.safe("x", Edit(i, i + 13, "<p>fixed</p> <!--")))


class EatNeighbour(Rule):
    """Test rule: "fixes" `title` with an edit that also comments out the next key.

    The edit replaces only the line break after the title's value (outside the
    key's span): `title: t #author: kim`.
    """

    name, code, fix = "test-eat-neighbour", "NL971", "safe"

    def check(self, doc, options):
        fm = doc.front_matter
        if fm is None or not fm.ok or "author" not in fm.data:
            return
        _k, v = fm.key_node("title")
        end = fm.mark_offset(v.end_mark)
        yield Finding(end, end + 1, "x", fix=Fix.safe("x", Edit(end, end + 1, " #")))


class FrontMatterTypo(Rule):
    """Test rule: "teh" -> "the", anywhere in the file (front matter included)."""

    name, code, fix = "test-typo", "NL972", "safe"

    def check(self, doc, options):
        for m in re.finditer(r"\bteh\b", doc.text):
            yield Finding(m.start(), m.end(), "typo", fix=Fix.safe("the", Edit(m.start(), m.end(), "the")))


AtoB = type("AtoB", (Rule,), {
    "__doc__": "Test rule: alpha -> beta.", "name": "test-a-to-b", "code": "NL973", "fix": "safe",
    "check": lambda self, doc, options: (
        Finding(m.start(), m.end(), "a", fix=Fix.safe("b", Edit(m.start(), m.end(), "beta")))
        for m in re.finditer("alpha", doc.text))})
BtoA = type("BtoA", (Rule,), {
    "__doc__": "Test rule: beta -> alpha.", "name": "test-b-to-a", "code": "NL974", "fix": "safe",
    "check": lambda self, doc, options: (
        Finding(m.start(), m.end(), "b", fix=Fix.safe("a", Edit(m.start(), m.end(), "alpha")))
        for m in re.finditer("beta", doc.text))})


# -- a fix that breaks the body is reverted too -----------------------------
def test_fix_breaking_the_html_is_reverted(tmp_path, monkeypatch):
    post = tmp_path / "p.md"
    post.write_text("---\ntitle: t\n---\n\n<p>fix me</p>\n\n<p>the rest</p>\n", encoding="utf-8")
    before = sha(post)
    code, out, err = run_inproc(monkeypatch, [OpenComment], post, fix=True)
    assert code == 3, out + err
    assert sha(post) == before
    line = next(line for line in out.splitlines() if "fix-reverted" in line)
    assert "test-open-comment" in line and "HTML" in line
    assert temp_files(tmp_path) == []


# -- mutation test, a fix that silently drops a neighbouring key ----------
def test_fix_commenting_out_a_neighbour_key_is_reverted():
    text = "---\ntitle: t\nauthor: kim\n---\n\n본문\n"
    res = fix_text(text, "p.md", Config(), rules=[EatNeighbour])
    assert res.text == text and res.failed
    assert "`author`" in res.problems[0].message and "test-eat-neighbour" in res.problems[0].message


# -- fixes that undo each other, from the command line ----------------------------------------------
def test_fixes_that_undo_each_other_are_reported_and_the_file_left_alone(tmp_path, monkeypatch):
    post = tmp_path / "p.md"
    post.write_bytes(b"---\r\ntitle: t\r\n---\r\n\r\nalpha\r\n")
    before = sha(post)
    code, out, _err = run_inproc(monkeypatch, [AtoB, BtoA], post, fix=True)
    assert code == 3 and sha(post) == before
    line = next(line for line in out.splitlines() if "fix-not-converged" in line)
    assert "test-a-to-b" in line and "test-b-to-a" in line and "nothing was written" in line
    # --diff agrees: nothing to show, exit 3, the problem on stderr.
    code, out, err = run_inproc(monkeypatch, [AtoB, BtoA], post, diff=True)
    assert code == 3 and out == "" and "fix-not-converged" in err


# -- every fixture's fix is idempotent with every rule on ------------------
def test_every_fixture_idempotent(tmp_path):
    config = Config()
    for rule in FIXABLE:
        post = tmp_path / f"{rule}.md"
        post.write_bytes(fixture(rule, "fail").read_bytes())
        first = fix_file(str(post), config, unsafe=True)
        assert not first.problems, (rule, first.problems)
        data = post.read_bytes()
        again = fix_file(str(post), config, unsafe=True)
        assert not again.changed and post.read_bytes() == data, rule
        assert not [v for v in again.violations if v.fix is not None], rule


# -- endings, BOM and final newline ---------------------------
def variant(text: str, endings: str, bom: bool, final_newline: bool) -> bytes:
    """``text`` (LF) with other line endings, a BOM and with or without its final newline."""
    if not final_newline:
        text = text[:-1] if text.endswith("\n") else text
    elif not text.endswith("\n"):
        text += "\n"
    if endings == "crlf":
        text = text.replace("\n", "\r\n")
    elif endings == "cr":
        text = text.replace("\n", "\r")
    elif endings == "mixed":  # CRLF in the front matter, LF in the body
        m = re.match(r"---\n.*?\n---\n", text, re.S)
        head = m.group() if m else ""
        text = head.replace("\n", "\r\n") + text[len(head):]
    return (b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8")


VARIANTS = [(e, b, f) for e in ("lf", "crlf", "cr", "mixed") for b in (False, True) for f in (True, False)]


@pytest.mark.parametrize("rule", FIXABLE)
def test_nothing_to_fix_is_byte_identical(rule, tmp_path):
    """Every fixture, in 16 byte variants, with no applicable fix: never written."""
    text = fixture(rule, "pass").read_text(encoding="utf-8")
    post = tmp_path / "p.md"
    for endings, bom, final in VARIANTS:
        raw = variant(text, endings, bom, final)
        post.write_bytes(raw)
        st = post.stat()
        r = fix_file(str(post), Config(select=[rule]), unsafe=True)
        assert not r.changed and not r.problems, (endings, bom, final, r.problems)
        assert post.read_bytes() == raw, (endings, bom, final)
        assert post.stat().st_mtime_ns == st.st_mtime_ns and post.stat().st_ino == st.st_ino


def test_no_fixable_rule_never_writes(tmp_path):
    """Every fail fixture with only the rules that cannot fix: findings, no write."""
    post = tmp_path / "p.md"
    config = Config(select=NOT_FIXABLE)
    for src in sorted(FIXTURES.glob("*/fail.md")):
        raw = variant(src.read_bytes().decode("utf-8", "replace"), "crlf", True, False)
        post.write_bytes(raw)
        r = fix_file(str(post), config)
        assert not r.changed and post.read_bytes() == raw, src


@pytest.mark.parametrize("rule", FIXABLE)
def test_every_fix_keeps_endings_bom_final_newline(rule, tmp_path):
    """Each rule's fix on its fail fixture, in CRLF, mixed, BOM and no-final-newline
    variants, gives its fail.fixed.md in the same variant, byte for byte."""
    before = fixture(rule, "fail").read_text(encoding="utf-8")
    after = fixture(rule, "fail.fixed").read_text(encoding="utf-8")
    post = tmp_path / "p.md"
    for endings, bom, final in VARIANTS:
        post.write_bytes(variant(before, endings, bom, final))
        if endings == "cr":  # reported by cr-line-ending, never fixed
            r = fix_file(str(post), Config(select=[rule]), unsafe=True)
            assert not r.changed and post.read_bytes() == variant(before, endings, bom, final)
            continue
        r = fix_file(str(post), Config(select=[rule]), unsafe=True)
        assert not r.problems, (endings, bom, final, r.problems)
        assert post.read_bytes() == variant(after, endings, bom, final), (endings, bom, final)


# -- fixes touch their span and nothing else ------------
def test_indented_code_as_first_body_line_kept():
    text = f"---\ntitle: {NFD('제목')}\n---\n    code block\n    more code\n\n<p data-ke-size=\"size16\">글</p>\n"
    res = fix_text(text, "p.md", Config())
    assert res.changed and not res.problems
    assert res.text == "---\ntitle: 제목\n---\n    code block\n    more code\n\n<p>글</p>\n"


@pytest.mark.parametrize("tail", ["", "\n\n\n", "\r\n\r\n\r\n"])
def test_trailing_newlines_kept(tail):
    eol = "\r\n" if "\r" in tail else "\n"
    text = eol.join(["---", "title: t", "---", "", '<p data-ke-size="size16">글</p>']) + tail
    res = fix_text(text, "p.md", Config())
    assert res.text == eol.join(["---", "title: t", "---", "", "<p>글</p>"]) + tail


def test_kramdown_ial_and_more_marker_preserved():
    text = ("---\ntitle: t\n---\n\n"
            '<p data-ke-size="size16">요약 문단</p>\n{: .lead}\n\n<!--more-->\n\n'
            '<p data-ke-size="size16">&nbsp;</p>\n\n'
            f'{NFD("본문")} <a href="https://e.com" target="_blank">링크</a>\n{{: #anchor .note}}\n')
    res = fix_text(text, "p.md", Config())
    assert not res.problems
    assert res.text == ("---\ntitle: t\n---\n\n"
                        "<p>요약 문단</p>\n{: .lead}\n\n<!--more-->\n\n"
                        '본문 <a href="https://e.com" target="_blank" rel="noopener">링크</a>\n{: #anchor .note}\n')


def test_other_html_kept_as_written():
    text = ("---\ntitle: t\n---\n\n"
            "<table><p>stray p<tr><td data-ke-size='size16'>칸</td></tr></table>\n\n"
            "<p>implicit close<p>second <img src='a'> <br/> <br> <hr /> "
            "&nbsp;&amp;&#x3131;&lt; &quot;q&quot;\n\n"
            "<P CLASS=x Data-Ke-Size=size16>upper</P>\n\n"
            "<a href=\"https://e.com\" target='_blank' rel=\"noopener&nbsp;noreferrer\">a</a>\n")
    res = fix_text(text, "p.md", Config())
    assert not res.problems
    assert res.text == ("---\ntitle: t\n---\n\n"
                        "<table><p>stray p<tr><td>칸</td></tr></table>\n\n"
                        "<p>implicit close<p>second <img src='a'> <br/> <br> <hr /> "
                        "&nbsp;&amp;&#x3131;&lt; &quot;q&quot;\n\n"
                        "<P CLASS=x>upper</P>\n\n"
                        "<a href=\"https://e.com\" target='_blank' rel=\"noopener noreferrer\">a</a>\n")


# -- no fixes where the file does not parse ---------------------------------
def test_broken_yaml_no_front_matter_fix_both_reported(tmp_path):
    post = tmp_path / "p.md"
    text = "---\ntitle: 속보: teh 서울\ndescription: teh end\n---\n\n본문\n"
    post.write_text(text, encoding="utf-8")
    config = Config(select=["front-matter-syntax"])
    r = fix_file(str(post), config, rules=[*config.enabled_rules(), FrontMatterTypo])
    assert not r.changed and post.read_text(encoding="utf-8") == text
    rules = sorted(v.rule for v in r.violations)
    assert rules == ["front-matter-syntax", "test-typo", "test-typo"]
    typo = [v for v in r.violations if v.rule == "test-typo"]
    # Not offered either: no [*] after --fix, and the message says why.
    assert all(v.fix is None and "front matter does not parse" in v.message for v in typo)


def test_broken_yaml_body_still_fixed_and_not_marked(tmp_path):
    """Issue 4: broken front matter gets no fixes *to its front matter*; the body,
    after a closed fence, is fixed."""
    post = tmp_path / "p.md"
    text = f"---\ntitle: {NFD('속보')}: 서울\n---\n\n{NFD('본문')}\n"
    post.write_text(text, encoding="utf-8")
    proc = run_cli("check", "--fix", "--select", "unicode-nfd,front-matter-syntax", str(post))
    assert post.read_text(encoding="utf-8") == f"---\ntitle: {NFD('속보')}: 서울\n---\n\n본문\n"
    assert "[*]" not in proc.stdout and "no fix while the front matter does not parse" in proc.stdout
    assert proc.returncode == 1


def test_unclosed_front_matter_nothing_fixed():
    """An unclosed front matter runs to the end of the file: no fix anywhere."""
    text = f"---\ntitle: t\n\n----\n\nsummary: text\n\n{NFD('본문')} <p data-ke-size=\"size16\">x</p>\n"
    res = fix_text(text, "p.md", Config())
    assert not res.changed
    doc = Document.from_text(text, "p.md")
    assert all(v.fix is None for v in lint_document(doc, Config()))


@pytest.mark.parametrize("opener", ["<!-- note", "<script>"])
def test_no_fix_after_html_that_swallows_the_rest(opener):
    """Fault 22: after a `<!--` or `<script>` never closed, newslint and the
    browser disagree on what is markup: no fix from there on; before it, fixes."""
    text = ("---\ntitle: t\n---\n\n"
            f'<p data-ke-size="size16">{NFD("앞")}</p>\n\n{opener}\n\n'
            f'<p data-ke-size="size16">&nbsp;</p>\n\n{NFD("뒤")} <p data-ke-size="size16">x</p>\n')
    res = fix_text(text, "p.md", Config())
    assert not res.problems
    head, sep, rest = text.partition(opener)
    assert res.text == "---\ntitle: t\n---\n\n<p>앞</p>\n\n" + sep + rest
    assert all(v.fix is None for v in res.violations)


# -- unsafe fixes need consent ------------------------------------------------
def test_unsafe_only_file_unchanged_exit_1_with_hint(tmp_path):
    post = tmp_path / "p.md"
    text = "---\ntitle: t\n---\n\n<p><a href=\"https://e.com\" rel=\"dofollow\">x</a></p>\n"
    post.write_text(text, encoding="utf-8")
    proc = run_cli("check", "--fix", str(post))
    assert post.read_text(encoding="utf-8") == text
    assert proc.returncode == 1
    assert "[*]" not in proc.stdout
    assert "1 hidden fix can be enabled with --unsafe-fixes" in proc.stdout
    assert "fixed 0, 1 remaining" in proc.stdout
    # --diff without consent has nothing to show (exit 0), with consent it shows the fix (exit 1).
    proc = run_cli("check", "--diff", str(post))
    assert proc.returncode == 0 and proc.stdout == "" and "--unsafe-fixes" in proc.stderr
    proc = run_cli("check", "--diff", "--unsafe-fixes", str(post))
    assert proc.returncode == 1 and '-<p><a href="https://e.com" rel="dofollow">x</a></p>' in proc.stdout
    assert post.read_text(encoding="utf-8") == text
    proc = run_cli("check", "--fix", "--unsafe-fixes", str(post))
    assert proc.returncode == 0 and "fixed 1, 0 remaining" in proc.stdout
    assert post.read_text(encoding="utf-8") == "---\ntitle: t\n---\n\n<p><a href=\"https://e.com\">x</a></p>\n"


# -- the temp file and the rename fail -----------------------------------------------------------------------
def test_temp_file_cannot_be_created(tmp_path, monkeypatch):
    """A folder where no temp file can be made (read-only mount, no permission):
    the post is reported and left alone, the others are fixed, nothing is left behind."""
    locked, free = tmp_path / "locked", tmp_path / "free"
    locked.mkdir()
    free.mkdir()
    text = f"---\ntitle: t\n---\n\n{NFD('한국')}\n"
    for d in (locked, free):
        (d / "p.md").write_text(text, encoding="utf-8")
    real_open = os.open

    def deny(path, flags, *a, **kw):
        if str(path).startswith(str(locked)) and flags & (os.O_WRONLY | os.O_RDWR):
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path, flags, *a, **kw)

    monkeypatch.setattr(fixer.os, "open", deny)
    results = [fixer.fix_file(p, Config()) for p in (str(locked / "p.md"), str(free / "p.md"))]
    assert (locked / "p.md").read_text(encoding="utf-8") == text
    assert (free / "p.md").read_text(encoding="utf-8") == text.replace(NFD("한국"), "한국")
    bad, good = results
    assert not bad.written and [p.rule for p in bad.problems] == ["fix-write-refused"]
    assert "Permission denied" in bad.problems[0].message and not bad.failed
    assert good.written and not good.problems
    assert temp_files(locked) == [] and temp_files(free) == []


def test_a_post_changed_between_read_and_write_is_left_alone(tmp_path, monkeypatch):
    """Another process saves the post between newslint's read and its write:
    the post is left with the other process's text and the run says so."""
    post = tmp_path / "p.md"
    post.write_text(f"---\ntitle: t\n---\n\n{NFD('한국')}\n", encoding="utf-8")
    real = fixer.fix_text

    def meanwhile(*a, **kw):
        res = real(*a, **kw)
        post.write_text("---\ntitle: saved by an editor\n---\n", encoding="utf-8")
        return res

    monkeypatch.setattr(fixer, "fix_text", meanwhile)
    monkeypatch.setattr(Config, "enabled_rules", lambda self: [r for r in ALL_RULES if r.name == "unicode-nfd"])
    out, err = io.StringIO(), io.StringIO()
    code = run_check(CheckOptions(paths=(str(post),), jobs=1, use_cache=False, fix=True), out, err)
    assert post.read_text(encoding="utf-8") == "---\ntitle: saved by an editor\n---\n"
    assert "fix-write-refused" in out.getvalue() and "changed on disk" in out.getvalue()
    assert code == 1
    assert temp_files(tmp_path) == []


# -- the BOM is kept ------------------------------------------------
def test_bom_kept_and_never_offered_for_removal(tmp_path):
    post = tmp_path / "p.md"
    raw = b"\xef\xbb\xbf" + f"---\ntitle: {NFD('제목')}\n---\n\n본문\n".encode()
    post.write_bytes(raw)
    r = fix_file(str(post), Config())
    assert r.written
    assert post.read_bytes() == b"\xef\xbb\xbf" + "---\ntitle: 제목\n---\n\n본문\n".encode()
    again = fix_file(str(post), Config())
    assert not again.changed and not [v for v in again.violations if v.fix is not None]


# -- the rewritten file keeps what the original had ---------------------------
def test_mode_and_owner_kept(tmp_path):
    post = tmp_path / "p.md"
    post.write_text(f"---\ntitle: t\n---\n\n{NFD('한국')}\n", encoding="utf-8")
    os.chmod(post, 0o664)
    if os.geteuid() == 0:  # root fixing an editor's post must not take it over
        os.chown(post, 1234, 1235)
    before = post.stat()
    r = fix_file(str(post), Config(select=["unicode-nfd"]))
    after = post.stat()
    assert r.written and post.read_text(encoding="utf-8").endswith("한국\n")
    assert (after.st_uid, after.st_gid, after.st_mode) == (before.st_uid, before.st_gid, before.st_mode)


def test_hard_linked_post_is_not_broken(tmp_path):
    post, other = tmp_path / "p.md", tmp_path / "same-post.md"
    text = f"---\ntitle: t\n---\n\n{NFD('한국')}\n"
    post.write_text(text, encoding="utf-8")
    os.link(post, other)
    r = fix_file(str(post), Config(select=["unicode-nfd"]))
    assert not r.written and post.read_text(encoding="utf-8") == text
    assert post.stat().st_ino == other.stat().st_ino
    assert [p.rule for p in r.problems] == ["fix-write-refused"] and "hard links" in r.problems[0].message
    assert temp_files(tmp_path) == []
