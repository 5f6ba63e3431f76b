"""Suppression comments in posts: every directive, its line semantics, reasons and unused-suppression."""

from __future__ import annotations

import json
import textwrap

from conftest import run_cli
from newslint.config import Config
from newslint.document import Document
from newslint.linter import lint_document

HEAD = "---\ntitle: 해운대 소식\n---\n"
IMG = "<img src=\"/a.jpg\">"  # image-alt-missing


def lint(body: str, select=("image-alt-missing", "link-rel-invalid", "unused-suppression"), path="post.md",
         suppressed=None):
    doc = Document.from_text(HEAD + textwrap.dedent(body), path)
    return lint_document(doc, Config(select=list(select)), suppressed=suppressed)


def found(body: str, **kw):
    return [(v.line, v.rule) for v in lint(body, **kw)]


def test_without_directives_everything_reports():
    assert found(f"{IMG}\n\n{IMG}\n") == [(4, "image-alt-missing"), (6, "image-alt-missing")]


def test_disable_next_line():
    body = f"<!-- newslint-disable-next-line image-alt-missing -->\n{IMG}\n\n{IMG}\n"
    assert found(body) == [(7, "image-alt-missing")]


def test_disable_next_line_after_a_multi_line_comment():
    body = f"<!--\nnewslint-disable-next-line image-alt-missing\n-->\n{IMG}\n"
    assert found(body) == []


def test_disable_line():
    body = f"{IMG} <!-- newslint-disable-line image-alt-missing -->\n{IMG}\n"
    assert found(body) == [(5, "image-alt-missing")]


def test_disable_and_enable_ranges():
    body = f"{IMG}\n<!-- newslint-disable image-alt-missing -->\n{IMG}\n{IMG}\n<!-- newslint-enable image-alt-missing -->\n{IMG}\n"
    assert found(body) == [(4, "image-alt-missing"), (9, "image-alt-missing")]


def test_disable_without_enable_runs_to_the_end():
    body = f"{IMG}\n<!-- newslint-disable -->\n{IMG}\n\n\n{IMG}\n"
    assert found(body) == [(4, "image-alt-missing")]


def test_disable_all_then_enable_one():
    a = '<a href="/x" rel="dofollow">x</a>'
    body = f"<!-- newslint-disable -->\n{IMG}\n<!-- newslint-enable image-alt-missing -->\n{IMG}\n{a}\n"
    assert found(body) == [(7, "image-alt-missing")]


def test_enable_all_closes_named_ranges():
    body = f"<!-- newslint-disable image-alt-missing link-rel-invalid -->\n{IMG}\n<!-- newslint-enable -->\n{IMG}\n"
    # link-rel-invalid hid nothing: that part of the directive is unused.
    assert found(body) == [(4, "unused-suppression"), (7, "image-alt-missing")]


def test_disable_file_anywhere_in_the_post():
    body = f"{IMG}\n\n{IMG}\n\n<!-- newslint-disable-file image-alt-missing -->\n"
    assert found(body) == []


def test_no_rule_names_means_all_rules():
    a = '<a href="/x" rel="dofollow">x</a>'
    body = f"<!-- newslint-disable-next-line -->\n{IMG} {a}\n{IMG} {a}\n"
    assert found(body) == [(6, "image-alt-missing"), (6, "link-rel-invalid")]


def test_codes_and_commas_work_as_rule_names():
    a = '<a href="/x" rel="dofollow">x</a>'
    body = f"<!-- newslint-disable-next-line NL201, link-rel-invalid -->\n{IMG} {a}\n"
    assert found(body) == []


def test_other_rules_still_report_on_a_suppressed_line():
    a = '<a href="/x" rel="dofollow">x</a>'
    body = f"<!-- newslint-disable-next-line image-alt-missing -->\n{IMG} {a}\n"
    assert found(body) == [(5, "link-rel-invalid")]


def test_directive_in_a_code_block_is_only_an_example():
    body = f"```html\n<!-- newslint-disable-file -->\n```\n\n{IMG}\n"
    assert found(body) == [(8, "image-alt-missing")]
    body = f"`<!-- newslint-disable-file -->`\n\n{IMG}\n"
    assert found(body) == [(6, "image-alt-missing")]


def test_directives_work_in_markdown_and_in_html_posts():
    body = f"<!-- newslint-disable-next-line image-alt-missing -->\n{IMG}\n"
    assert found(body, path="post.html") == []
    md = "<!-- newslint-disable-next-line image-alt-missing -->\n![](/a.jpg)\n"
    assert found(md) == []


def test_suppressed_findings_are_kept_with_their_reason():
    hidden = []
    body = f"<!-- newslint-disable-next-line image-alt-missing -- 장식용 이미지 -->\n{IMG}\n"
    assert lint(body, suppressed=hidden) == []
    assert [(v.line, v.rule) for v in hidden] == [(5, "image-alt-missing")]
    assert hidden[0].extra["suppressed"]["reason"] == "장식용 이미지"
    assert hidden[0].extra["suppressed"]["line"] == 4


# -- unused-suppression ----------------------------------------------------------------------


def test_unused_suppression_is_reported_with_its_reason_in_json():
    body = "<!-- newslint-disable-next-line image-alt-missing -- 사진 교체 예정 -->\n본문입니다.\n"
    out = lint(body)
    assert [(v.line, v.column, v.rule, v.code) for v in out] == [(4, 1, "unused-suppression", "NL901")]
    d = out[0].to_dict()
    assert d["suppression"] == {"directive": "newslint-disable-next-line", "rules": ["image-alt-missing"],
                                "reason": "사진 교체 예정", "line": 4, "unused": ["image-alt-missing"]}
    assert "suppresses nothing for `image-alt-missing`" in d["message"]


def test_unused_names_are_listed_one_by_one():
    body = f"<!-- newslint-disable-next-line image-alt-missing link-rel-invalid -->\n{IMG}\n"
    out = lint(body)
    assert [v.rule for v in out] == ["unused-suppression"]
    assert out[0].extra["suppression"]["unused"] == ["link-rel-invalid"]


def test_disable_all_that_hides_nothing_is_unused():
    out = lint("<!-- newslint-disable -->\n본문\n")
    assert [(v.rule, v.message) for v in out] == [("unused-suppression", "`newslint-disable` suppresses nothing")]


def test_suppression_of_a_rule_that_is_not_enabled_is_unused():
    body = f"<!-- newslint-disable-next-line link-rel-invalid -->\n{IMG}\n"
    out = lint(body, select=("image-alt-missing", "unused-suppression"))
    assert [v.rule for v in out] == ["unused-suppression", "image-alt-missing"]
    assert "(not enabled)" in out[0].message


def test_unknown_rule_name_in_a_directive_with_did_you_mean():
    out = lint(f"<!-- newslint-disable-next-line image-alt-mising -->\n{IMG}\n")
    assert [(v.line, v.rule) for v in out] == [(4, "unused-suppression"), (5, "image-alt-missing")]
    assert "unknown rule `image-alt-mising`" in out[0].message and "`image-alt-missing`" in out[0].message


def test_misspelt_directive_is_reported():
    out = lint(f"<!-- newslint-disable-nextline image-alt-missing -->\n{IMG}\n")
    assert [v.rule for v in out] == ["unused-suppression", "image-alt-missing"]
    assert "not a newslint directive" in out[0].message and "newslint-disable-next-line" in out[0].message


def test_enable_is_never_unused_but_its_unknown_names_are():
    assert lint("<!-- newslint-enable image-alt-missing -->\n본문\n") == []
    out = lint("<!-- newslint-enable image-alt-mising -->\n본문\n")
    assert [v.rule for v in out] == ["unused-suppression"]


def test_unused_suppression_can_itself_be_suppressed():
    body = ("<!-- newslint-disable-file unused-suppression -- 템플릿 주석 -->\n"
            "<!-- newslint-disable-next-line image-alt-missing -->\n본문\n")
    assert lint(body) == []
    # ...and a disable-file unused-suppression that hides nothing is reported.
    out = lint("<!-- newslint-disable-file unused-suppression -->\n본문\n")
    assert [v.rule for v in out] == ["unused-suppression"]


def test_unused_suppression_not_reported_when_that_rule_is_off():
    body = "<!-- newslint-disable-next-line image-alt-missing -->\n본문\n"
    assert lint(body, select=("image-alt-missing",)) == []


def test_ordinary_comments_are_not_directives():
    assert lint(f"<!-- 편집자 메모: newslint 검사 통과 -->\n{IMG}\n") != []
    assert found(f"<!-- 편집자 메모 -->\n{IMG}\n") == [(5, "image-alt-missing")]


def test_cli_json_carries_the_reason(tmp_path):
    post = tmp_path / "post.md"
    post.write_text(HEAD + "<!-- newslint-disable-next-line image-alt-missing -- 로고 -->\n본문\n", "utf-8")
    res = run_cli(["check", "--isolated", "--no-cache", "--format", "json", post], cwd=tmp_path)
    assert res.returncode == 1
    (v,) = [v for v in json.loads(res.stdout) if v["rule"] == "unused-suppression"]
    assert v["suppression"]["reason"] == "로고"
