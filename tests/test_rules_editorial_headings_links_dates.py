"""Editorial rules: headings, link text, empty links, scripts in the body and post dates."""

from __future__ import annotations

import datetime as dt

import pytest

from newslint.config import Config
from conftest import RULES_BY_NAME

from conftest import CORPUS, REFERENCE, lint_text, needs_shared

NEW = {
    "heading-increment": ("NL420", "warning"),
    "heading-h1-in-body": ("NL421", "warning"),
    "link-text-generic": ("NL304", "warning"),
    "link-empty": ("NL305", "warning"),
    "html-inline-script": ("NL520", "warning"),
    "post-date-mismatch": ("NL120", "warning"),
    "post-date-future": ("NL121", "warning"),
    "post-filename-invalid": ("NL802", "error"),
}


@pytest.mark.parametrize("name", sorted(NEW))
def test_registered_with_code_severity_and_documented_options(name):
    rule = RULES_BY_NAME[name]
    assert (rule.code, rule.severity) == NEW[name]
    for opt in rule.options:
        assert f"`{opt}`" in rule.docs()


def _rules(text, rule, path="post.md", **options):
    cfg = Config(select=[rule], rule_options={rule: options} if options else {})
    return [v for v in lint_text(text, path, config=cfg) if v.rule == rule]


POST = "---\ntitle: 부산\n---\n"


def test_title_level_moves_the_first_heading_check():
    text = POST + "### 개요\n\n#### 예산\n"
    assert [v.line for v in _rules(text, "heading-increment")] == [4]
    assert _rules(text, "heading-increment", title_level=2) == []
    assert _rules(POST + "#### 개요\n", "heading-increment", title_level=0) == []


def test_html_and_markdown_headings_are_one_outline():
    text = POST + "## 개요\n\n<h4>예산</h4>\n\n### 일정\n"
    found = _rules(text, "heading-increment")
    assert [(v.line, v.column) for v in found] == [(6, 1)]
    assert "from 2 to 4" in found[0].message and "`<h3>`" in found[0].message


def test_h1_without_a_title_is_the_title():
    assert _rules("---\nlayout: post\n---\n# 부산시 발표\n", "heading-h1-in-body") == []
    assert len(_rules(POST + "# 부산시 발표\n", "heading-h1-in-body")) == 1


def test_generic_link_text_extra_words_and_own_url():
    text = POST + "[원문](https://a.kr/1) and [https://a.kr/here](https://a.kr/here)\n"
    assert _rules(text, "link-text-generic") == []
    assert [v.column for v in _rules(text, "link-text-generic", extra_words=["원문"])] == [1]


def test_allowed_hosts_lets_an_embed_through_but_not_inline_script():
    text = POST + '<script async src="https://platform.twitter.com/widgets.js"></script>\n\n<script>x()</script>\n'
    assert len(_rules(text, "html-inline-script")) == 2
    kept = _rules(text, "html-inline-script", allowed_hosts=["twitter.com"])
    assert [v.line for v in kept] == [6] and "inline" in kept[0].message


def test_filename_date_that_is_no_real_day():
    found = _rules(POST, "post-filename-invalid", path="site/_posts/2024-02-30-busan.md")
    assert len(found) == 1 and "not a real day" in found[0].message
    assert _rules(POST, "post-filename-invalid", path="site/_drafts/busan.md") == []
    assert _rules(POST, "post-filename-invalid", path="site/_posts/2024-02-29-busan.md") == []


def test_future_post_by_file_name_and_today():
    tomorrow = dt.date.today() + dt.timedelta(days=2)
    path = f"_posts/{tomorrow.isoformat()}-busan.md"
    found = _rules(POST, "post-date-future", path=path)
    assert [(v.line, v.column) for v in found] == [(1, 1)] and "--future" in found[0].message
    assert _rules(POST + "", "post-date-future", path="_posts/2020-01-01-busan.md") == []
    today = dt.date.today().isoformat()
    assert _rules(f"---\ntitle: 부산\ndate: {today}\n---\n", "post-date-future") == []


def test_mismatch_needs_a_dated_file_name():
    text = "---\ntitle: 부산\ndate: 2024-03-06\n---\n"
    assert _rules(text, "post-date-mismatch", path="_posts/busan.md") == []
    assert len(_rules(text, "post-date-mismatch", path="_posts/2024-03-05-busan.md")) == 1
    assert _rules(text, "post-date-mismatch", path="_posts/2024-3-6-busan.md") == []
    # Outside a known site only a `_posts` folder makes a file a Jekyll post.
    assert _rules(text, "post-date-mismatch", path="content/2024-03-05-busan.md") == []


# ---------------------------------------------------------------------------
# Real posts
# ---------------------------------------------------------------------------
def _lint_file(path, rules):
    from newslint.document import Document
    from newslint.linter import lint_document

    doc = Document(str(path), path.read_bytes())
    return [v for v in lint_document(doc, Config(select=rules)) if v.rule in rules]


@needs_shared
def test_reference_post_is_clean_of_the_editorial_rules():
    assert _lint_file(REFERENCE, sorted(NEW)) == []


@needs_shared
def test_real_posts():
    ko = CORPUS / "ko-blogs/ruby__www.ruby-lang.org/ko/news/_posts/2005-03-23-rubyconf-2005-preregistration-now-open.md"
    assert [(v.line, v.message.split("`")[1]) for v in _lint_file(ko, ["link-text-generic"])] == [(9, "여기"), (10, "여기")]
    # `# comment` lines after a blank line inside <pre>: headings to CommonMark, HTML to kramdown.
    pre = CORPUS / ("en-jekyll/rails__website/_posts/"
                    "2006-03-28-rails-1-1-rjs-active-record-respond_to-integration-tests-and-500-other-things.markdown")
    assert _lint_file(pre, ["heading-h1-in-body", "heading-increment"]) == []
    dubious = CORPUS / "en-jekyll/jekyll__jekyll/test/source/_posts/2013-03-19-not-a-post/dubious.markdown"
    assert [v.rule for v in _lint_file(dubious, ["post-filename-invalid"])] == ["post-filename-invalid"]
    override = CORPUS / "en-jekyll/jekyll__jekyll/test/source/_posts/2010-01-09-date-override.markdown"
    found = _lint_file(override, ["post-date-mismatch"])
    assert len(found) == 1 and "says 2010-01-09 but `date` says 2010-01-10" in found[0].message


@pytest.mark.parametrize("name", sorted(NEW))
def test_plain_post_gives_no_finding_and_no_error(name):
    # Every rule's early way out, on a post with none of the markup it looks for.
    text = "---\ntitle: 부산\ndate: 2024-03-05\n---\n부산시는 예산을 확정했다.\n\n<p>다음 주에 발표한다.</p>\n"
    assert lint_text(text, "_posts/2024-03-05-busan.md", select=[name]) == []
