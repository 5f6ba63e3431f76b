"""The language server's side that needs no protocol: positions in a buffer
(newslint's code points against LSP's UTF-16, UTF-8 and UTF-32 units) and
what a Session offers for a buffer (fixes and suppression comments, checked).
"""

from __future__ import annotations

from hypothesis import given, strategies as st

from conftest import ROOT
from newslint.config import Config
from newslint.fixer import fix_text
from newslint.model import Edit, Finding, Fix
from newslint.ruleapi import Rule
from newslint.server.analysis import Session
from newslint.server.positions import UTF8, UTF16, UTF32, LineIndex, units


def apply(text: str, edits: list[Edit]) -> str:
    for e in sorted(edits, reverse=True):
        text = text[:e.start] + e.content + text[e.end:]
    return text


# -- positions -------------------------------------------------------------------------------
def test_an_emoji_is_two_utf16_units_a_hangul_syllable_one():
    text = "제목\n🎉 a😀b\n"
    index = LineIndex(text)
    b = text.index("b")
    assert index.position(b) == (1, 6)  # 2 + 1 + 1 + 2
    assert index.offset(1, 6) == b
    assert LineIndex(text, UTF32).position(b) == (1, 4)
    assert LineIndex(text, UTF8).position(b) == (1, 10)  # 4 + 1 + 1 + 4
    assert LineIndex(text, UTF8).position(text.index("목")) == (0, 3)
    assert units("🎉", UTF16) == 2 and units("🎉", UTF8) == 4 and units("🎉", UTF32) == 1


def test_lsp_lines_end_at_crlf_and_lone_cr_where_newslint_counts_only_lf():
    text = "a\r\nb\rc\nd"
    index = LineIndex(text)
    assert [index.position(text.index(c)) for c in "abcd"] == [(0, 0), (1, 0), (2, 0), (3, 0)]
    # newslint: "c" is on line 2 (after the LF), column 3 (after b and the lone CR)
    assert index.newslint_offset(2, 3) == text.index("c")
    assert index.offset(0, 99) == 1  # past the end of a line: its end, before the CR LF
    assert index.offset(99, 0) == len(text)


def test_newslint_positions_skip_the_byte_order_mark():
    text = "\ufeff---\ntitle: x\n---\n"
    index = LineIndex(text)
    assert index.newslint_offset(1, 1, skip=1) == 1
    assert index.newslint_offset(2, 1, skip=1) == text.index("title")


@given(st.lists(st.sampled_from(["a", "가", "😀", "\n", "\r", "\ud800", " "]), max_size=30).map("".join),
       st.sampled_from([UTF8, UTF16, UTF32]))
def test_offsets_survive_the_trip_through_lsp_positions(text, encoding):
    index = LineIndex(text, encoding)
    for offset in range(len(text) + 1):
        if 0 < offset < len(text) and text[offset - 1:offset + 1] == "\r\n":
            continue  # between CR and LF: no LSP position names it
        assert index.offset(*index.position(offset)) == offset


# -- fixes as edits --------------------------------------------------------------------------
def test_a_text_fix_gives_its_edits_to_the_original():
    text = (ROOT / "examples" / "ko-tistory-paste.md").read_text(encoding="utf-8")
    result = fix_text(text, "ko-tistory-paste.md", Config())
    assert result.changed and len(result.passes) >= 1
    assert apply(text, result.edits) == result.text
    assert all(a.end <= b.start for a, b in zip(result.edits, result.edits[1:]))


# -- suppression comments --------------------------------------------------------------------
def session_for(tmp_path) -> Session:
    (tmp_path / ".newslint.toml").write_text('select = ["link-text-generic", "image-alt-missing"]\n')
    return Session(str(tmp_path))


POST = "---\ntitle: 안내\n---\n\n"


def disable(session: Session, text: str, rule: str, tmp_path) -> tuple[str, str] | None:
    analysis = session.analyse(str(tmp_path / "post.md"), text)
    v = next(v for v in analysis.violations if v.rule == rule)
    action = session.disable(analysis, v)
    if action is None:
        return None
    new = apply(text, action.edits)
    assert [w.rule for w in session.analyse(str(tmp_path / "post.md"), new).violations].count(rule) == 0
    return action.title, new


def test_the_comment_goes_before_a_markdown_hard_break(tmp_path):
    session = session_for(tmp_path)
    text = POST + "자세한 내용은 [여기](https://example.kr)를 참고하세요.  \n다음 줄\n"
    title, new = disable(session, text, "link-text-generic", tmp_path)
    assert title == "newslint: disable `link-text-generic` for this line"
    assert "참고하세요. <!-- newslint-disable-line link-text-generic -->  \n다음 줄" in new


def test_a_line_inside_a_tag_gets_the_file_comment_instead(tmp_path):
    session = session_for(tmp_path)
    text = POST + "<img\n  src=\"/a.png\">\n\n본문\n"
    title, new = disable(session, text, "image-alt-missing", tmp_path)
    assert title == "newslint: disable `image-alt-missing` for this file"
    # its own line, right after the front matter's fence
    assert new == "---\ntitle: 안내\n---\n<!-- newslint-disable-file image-alt-missing -->\n" + text[len(POST) - 1:]


def test_crlf_posts_get_a_crlf_comment_line(tmp_path):
    session = session_for(tmp_path)
    text = (POST + "<img\n  src=\"/a.png\">\n").replace("\n", "\r\n")
    title, new = disable(session, text, "image-alt-missing", tmp_path)
    assert "---\r\n<!-- newslint-disable-file image-alt-missing -->\r\n\r\n<img" in new
    assert "\n" not in new.replace("\r\n", "")


def test_a_broken_config_is_a_finding_not_an_exception(tmp_path):
    (tmp_path / ".newslint.toml").write_text("select = [\n")
    analysis = Session(str(tmp_path)).analyse(str(tmp_path / "post.md"), POST + "본문\n")
    assert [(v.rule, v.severity) for v in analysis.violations] == [("config-error", "error")]
    assert ".newslint.toml" in analysis.violations[0].message


def test_a_broken_config_at_the_top_leaves_a_sub_folders_own_config_working(tmp_path):
    (tmp_path / ".newslint.toml").write_text("select = [\n")
    (tmp_path / "blog").mkdir()
    (tmp_path / "blog" / ".newslint.toml").write_text('select = ["link-text-generic"]\n')
    session = Session(str(tmp_path))
    top = session.analyse(str(tmp_path / "post.md"), POST + "본문\n")
    assert [v.rule for v in top.violations] == ["config-error"]
    below = session.analyse(str(tmp_path / "blog" / "post.md"), POST + "[여기](https://example.kr)를 보세요.\n")
    assert [v.rule for v in below.violations] == ["link-text-generic"]


def test_a_buffer_is_linted_with_the_site_its_file_belongs_to(tmp_path):
    (tmp_path / "_config.yml").write_text("markdown: CommonMark\n")
    (tmp_path / "_posts").mkdir()
    session = Session(str(tmp_path))
    inside = session.analyse(str(tmp_path / "_posts" / "2024-06-14-a.md"), POST + "본문\n")
    assert (inside.site.generator, inside.site.markdown) == ("jekyll", "commonmark")
    assert inside.doc.site is inside.site  # fixes and suppression comments are checked on the same site
    outside = Session(str(tmp_path.parent)).analyse(str(tmp_path.parent / "loose.md"), POST + "본문\n")
    assert (outside.site.generator, outside.site.root) == ("none", None)


class BreakTitle(Rule):
    """Test rule whose safe fix breaks the front matter's YAML."""

    name, code, fix = "test-break-title", "NL979", "safe"

    def check(self, doc, options):
        at = doc.text.find("title: ")
        if at != -1:
            end = at + len("title: ")
            yield Finding(at, end, "x", fix=Fix.safe("break", Edit(end, end, "[")))


def test_a_fix_the_fixer_would_revert_is_not_offered(tmp_path, monkeypatch):
    monkeypatch.setattr(Config, "enabled_rules", lambda self: [BreakTitle])
    session = Session(str(tmp_path))
    analysis = session.analyse(str(tmp_path / "post.md"), POST + "본문\n")
    [v] = analysis.violations
    assert v.fix is not None
    assert session.quick_fix(analysis, v) is None
    fix_all = session.fix_all(analysis)
    assert fix_all is not None and fix_all.edits == []
    assert "front matter" in fix_all.disabled


def test_a_buffer_is_checked_across_its_site(tmp_path):
    (tmp_path / "_config.yml").write_text("title: x\n", encoding="utf-8")
    (tmp_path / "_posts").mkdir()
    (tmp_path / "_posts" / "2024-06-01-a.md").write_text("---\ntitle: 같은 제목\n---\n\n첫 글.\n", encoding="utf-8")
    session = Session(str(tmp_path))
    buffer = str(tmp_path / "_posts" / "2024-06-02-b.md")  # not saved yet: only the editor has it
    got = session.analyse(buffer, "---\ntitle: 같은 제목\n---\n\n[목차](#없는-제목)\n")
    rules = sorted(v.rule for v in got.violations if v.rule in ("site-duplicate-title", "link-anchor-missing"))
    assert rules == ["link-anchor-missing", "site-duplicate-title"]
    again = session.analyse(buffer, "---\ntitle: 다른 제목\n---\n\n본문.\n")
    assert not [v for v in again.violations if v.rule == "site-duplicate-title"]


def test_templates_and_excluded_files_get_no_findings(tmp_path):
    (tmp_path / "_config.yml").write_text("title: x\n", encoding="utf-8")
    (tmp_path / ".newslint.toml").write_text('exclude = ["drafts"]\n', encoding="utf-8")
    session = Session(str(tmp_path))
    noisy = "<p data-ke-size=\"size16\">&nbsp;</p>\n"
    assert session.analyse(str(tmp_path / "_layouts" / "default.html"), noisy).violations == []
    assert session.analyse(str(tmp_path / "drafts" / "a.md"), POST + noisy).violations == []
    assert session.analyse(str(tmp_path / "_posts" / "2024-06-14-a.md"), POST + noisy).violations
