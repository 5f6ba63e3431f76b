"""The front-matter rules' early exits say what the full look-up would."""

from __future__ import annotations

import os

import pytest

from conftest import lint_text
from newslint.config import Config
from newslint.rules.excerpt_repeats_title import present_keys
from newslint.rules.post_date_mismatch import file_date, in_posts_folder


@pytest.mark.parametrize("path", [
    "_posts/2024-03-05-a.md", "site/_posts/en/2024-03-05-a.md", "a/_posts", "_posts", "_posts/", "a//_posts//b.md",
    "my_posts/2024-03-05-a.md", "_posts_old/a.md", "x/_posts.md", "", "/_posts/a.md", "a/b/c.md",
    os.sep.join(["site", "_posts", "a.md"]),
])
def test_in_posts_folder_is_a_folder_named_posts_above_the_file(path):
    assert in_posts_folder(path) is ("_posts" in path.replace(os.sep, "/").split("/")[:-1])


def test_file_date_reads_the_name_only():
    assert file_date("2024/_posts/2024-3-5-a.md") == ("2024-3-5", __import__("datetime").date(2024, 3, 5))
    assert file_date("_posts/2024-02-30-a.md") == ("2024-02-30", None)
    assert file_date("2024-03-05-x/_posts/a.md") is None
    assert file_date("2024-03-05-a.md")[0] == "2024-03-05"
    assert file_date(os.sep.join(["site", "_posts", "2024-03-05-a.md"]))[0] == "2024-03-05"


@pytest.mark.parametrize("keys, want", [
    (None, ["excerpt", "description"]), ("excerpt", ["excerpt"]), ("title", []), ([], []),
    (["description", "excerpt", "nope", 3], ["description", "excerpt", "3"]),
])
def test_present_keys_in_option_order(keys, want):
    options = {} if keys is None else {"keys": keys}
    data = {"excerpt": "a", "description": "b", "3": "c", "title": None}
    if keys == "title":
        data.pop("title")
    assert present_keys(options, ("excerpt", "description"), data) == want


def _rule(text: str, rule: str):
    return [(v.line, v.message) for v in lint_text(text, config=Config(select=[rule]))]


def test_title_length_reports_a_title_it_can_place_and_no_other():
    long = "부산시 디지털 트윈 시범구역 조성 사업 최종 선정 국민 맞춤형 서비스 개발"
    assert _rule(f"---\ntitle: {long}\n---\nbody\n", "title-length")[0][0] == 2
    assert _rule(f'---\n"title": >\n  {long}\n---\nbody\n', "title-length")[0][0] == 2
    assert _rule(f'+++\ntitle = "{long}"\n+++\nbody\n', "title-length")[0][0] == 2
    assert _rule("---\ntitle: [a, b, c, d, e, f, g, h, i, j, k, l, m, n, o, p, q, r, s, t, u, v, w]\n---\n",
                 "title-length") == []


@pytest.mark.parametrize("rule", ["excerpt-length", "excerpt-repeats-title", "excerpt-repeats-first-paragraph",
                                  "hero-image-repeated"])
def test_posts_without_the_keys_get_nothing_and_with_them_a_finding(rule):
    excerpt = "부산시가 디지털 트윈 시범구역 조성 사업에 선정되었습니다 " * 4
    body = {
        "excerpt-length": f"---\ntitle: 부산\nexcerpt: {excerpt}\n---\nbody\n",
        "excerpt-repeats-title": "---\ntitle: 부산시 선정\ndescription: 부산시 선정!\n---\nbody\n",
        "excerpt-repeats-first-paragraph": f"---\ntitle: t\nexcerpt: {excerpt}\n---\n{excerpt}\n",
        "hero-image-repeated": "---\ntitle: t\ncover: /a.jpg\n---\n![a](/a.jpg)\n\ntext\n",
    }[rule]
    assert len(_rule(body, rule)) == 1
    assert _rule("---\ntitle: t\n---\n![a](/a.jpg)\n\ntext\n", rule) == []
