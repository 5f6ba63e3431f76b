"""Rules that are about one generator follow the post's site (``doc.site``).

The site is given here as the engine would give it: a :class:`Site` value on
the document. Outside a known site (``NO_SITE``) the Jekyll rules keep to
Jekyll's own convention, a `_posts` folder.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newslint.config import Config
from newslint.document import Document
from newslint.linter import lint_document
from newslint.site import Site

JEKYLL, HUGO, NONE = Site(generator="jekyll"), Site(generator="hugo"), Site()


def run(text: str, rule: str, path: str = "post.md", site: Site = NONE):
    doc = Document.from_text(text, path, site=site)
    return [v for v in lint_document(doc, Config(select=[rule])) if v.rule == rule]


MISMATCH = "---\ntitle: 부산\ndate: 2024-03-06\n---\n본문\n"
FUTURE = "---\ntitle: 부산\ndate: 2999-03-05\n---\n본문\n"


# -- the date rules are about Jekyll ---------------------------------------------
@pytest.mark.parametrize("path, site, reported", [
    ("_posts/2024-03-05-busan.md", JEKYLL, True),
    ("_news/2024-03-05-busan.md", JEKYLL, True),  # a collection: Jekyll reads the date prefix there too
    ("_posts/2024-03-05-busan.md", NONE, True),
    ("content/2024-03-05-busan.md", NONE, False),
    ("content/posts/2024-03-05-busan.md", HUGO, False),
    ("content/_posts/2024-03-05-busan.md", HUGO, False),
])
def test_mismatch_runs_on_jekyll_posts_only(path, site, reported):
    found = run(MISMATCH, "post-date-mismatch", path, site)
    assert len(found) == (1 if reported else 0)


@pytest.mark.parametrize("site, reported", [(JEKYLL, True), (NONE, True), (HUGO, False)])
def test_filename_rule_is_about_jekyll_posts(site, reported):
    found = run("---\ntitle: 부산\n---\n", "post-filename-invalid", "_posts/busan.md", site)
    assert len(found) == (1 if reported else 0)
    if reported:
        assert "Jekyll skips it" in found[0].message


def test_future_on_jekyll_says_jekyll_and_follows_its_future_setting():
    found = run(FUTURE, "post-date-future", "_posts/2999-03-05-busan.md", JEKYLL)
    assert [(v.line, v.column) for v in found] == [(3, 1)]
    assert "Jekyll skips" in found[0].message and "Hugo" not in found[0].message
    assert run(FUTURE, "post-date-future", "blog/busan.md", JEKYLL) != []
    built = Site(generator="jekyll", config={"future": True})
    assert run(FUTURE, "post-date-future", "_posts/2999-03-05-busan.md", built) == []


def test_future_outside_a_site_only_under_posts():
    assert len(run(FUTURE, "post-date-future", "_posts/2999-03-05-busan.md")) == 1
    assert run(FUTURE, "post-date-future", "notes/busan.md") == []


def test_future_on_hugo_reads_the_publish_date_and_says_hugo():
    found = run(FUTURE, "post-date-future", "content/posts/busan.md", HUGO)
    assert len(found) == 1 and "Hugo skips" in found[0].message and "--buildFuture" in found[0].message
    assert "Jekyll" not in found[0].message
    # publishDate comes first in Hugo's order: a past one publishes the page.
    text = "---\ntitle: 부산\ndate: 2999-03-05\npublishDate: 2020-01-01\n---\n"
    assert run(text, "post-date-future", "content/busan.md", HUGO) == []
    text = "---\ntitle: 부산\ndate: 2020-01-01\npublishdate: 2999-03-05\n---\n"
    found = run(text, "post-date-future", "content/busan.md", HUGO)
    assert [(v.line, v.column) for v in found] == [(4, 1)] and "`publishdate`" in found[0].message
    # TOML front matter, Hugo's other format.
    found = run('+++\ntitle = "부산"\ndate = 2999-03-05T09:00:00+09:00\n+++\n', "post-date-future", "c/b.md", HUGO)
    assert len(found) == 1
    # A draft, or a site built with buildFuture, shows no future page by mistake.
    assert run(FUTURE.replace("---\n본문", "draft: true\n---\n본문"), "post-date-future", "c/b.md", HUGO) == []
    assert run(FUTURE, "post-date-future", "c/b.md", Site(generator="hugo", config={"buildFuture": True})) == []
    # The file name's date means nothing to Hugo.
    assert run("---\ntitle: 부산\n---\n", "post-date-future", "content/_posts/2999-03-05-b.md", HUGO) == []


def test_future_today_is_not_future_anywhere():
    today = f"---\ntitle: 부산\ndate: {dt.date.today().isoformat()}\n---\n"
    for site, path in ((JEKYLL, "_posts/a.md"), (HUGO, "content/a.md"), (NONE, "_posts/a.md")):
        assert run(today, "post-date-future", path, site) == []


# -- messages name the generator of the post's site ------------------------------
FIXTURES = Path(__file__).parent / "fixtures" / "rules"
PROBLEM_POSTS = sorted(p for p in FIXTURES.glob("*/*") if p.suffix in (".md", ".html", ".markdown"))
MORE = [
    "\n---\ntitle: 부산\n---\n본문\n", "\u200b---\ntitle: 부산\n---\n본문\n", "----\ntitle: 부산\n----\n본문\n",
    "본문만 있는 글\n", "---\rtitle: 부산\r---\r본문\r", "---\ntitle: 부산\ndate: 2024-13-45\n---\n본문\n",
    "---\ntitle: 부산\nx: !!python/tuple [1, 2]\n---\n본문\n", "---\ntitle: 부산\nflag: yes\nc: NO\n---\n본문\n",
]


def _all_messages(site: Site) -> list[str]:
    config = Config()
    out = []
    for post in PROBLEM_POSTS:
        named = post.with_suffix(".path")
        path = named.read_text().strip() if named.exists() else str(post)
        out += [v.message for v in lint_document(Document(path, post.read_bytes(), site=site), config)]
    for i, text in enumerate(MORE):
        out += [v.message for v in lint_document(Document.from_text(text, f"_posts/2999-01-0{i + 1}-a.md", site=site),
                                                 config)]
    return out


def test_no_message_on_a_hugo_site_says_jekyll():
    messages = _all_messages(HUGO)
    assert len(messages) > 100
    assert [m for m in messages if "Jekyll" in m] == []
    assert any("Hugo" in m for m in messages)


def test_no_message_on_a_jekyll_site_says_hugo():
    messages = _all_messages(JEKYLL)
    assert [m for m in messages if "Hugo" in m] == []
    assert any("Jekyll" in m for m in messages)


@pytest.mark.parametrize("text, site, want", [
    ("\n---\ntitle: 부산\n---\n", JEKYLL, "Jekyll ignores it"),
    ("\n---\ntitle: 부산\n---\n", NONE, "Jekyll ignores it"),
    ("\n---\ntitle: 부산\n---\n", HUGO, None),  # Hugo skips the blank line and reads the front matter
    ("\u200b---\ntitle: 부산\n---\n", HUGO, "Hugo ignores it"),
    ("\u200b---\ntitle: 부산\n---\n", NONE, "Jekyll and Hugo ignore it"),
    ("----\ntitle: 부산\n----\n", HUGO, "Hugo stops the build on it"),
    ("----\ntitle: 부산\n----\n", JEKYLL, "Jekyll sees no front matter"),
    ("본문\n", HUGO, "Hugo renders it with an empty title"),
    ("본문\n", JEKYLL, "Jekyll does not render"),
    ("본문\n", NONE, "Jekyll does not render a Markdown file without it; Hugo renders it with an empty title"),
])
def test_front_matter_missing_says_what_the_generator_does(text, site, want):
    found = run(text, "front-matter-missing", "a.md", site)
    if want is None:
        assert found == []
    else:
        assert len(found) == 1 and want in found[0].message, found


def test_cr_only_front_matter_is_seen_by_hugo():
    text = "---\rtitle: 부산\r---\r본문\r"
    assert "Jekyll does not see the front matter" in run(text, "cr-line-ending", "a.md", JEKYLL)[0].message
    hugo = run(text, "cr-line-ending", "a.md", HUGO)[0].message
    assert "front matter" not in hugo and "convert it to LF" in hugo


def test_schema_date_message_names_the_site_generator():
    text = "---\ntitle: 부산\ndate: 2024-13-45\n---\n"
    assert "a form Hugo reads" in run(text, "front-matter-schema", "a.md", HUGO)[0].message
    assert "a form Jekyll reads" in run(text, "front-matter-schema", "a.md", JEKYLL)[0].message
    assert "a form Jekyll and Hugo read" in run(text, "front-matter-schema", "a.md", NONE)[0].message


# -- front-matter-yaml11: the wording and the fix follow the site's parser --------
def test_yaml11_on_each_site():
    text = "---\ntitle: 부산\nfeatured: yes\ncountry: NO\ntime: 12:30\ndraft: y\n---\n"
    jekyll = run(text, "front-matter-yaml11", "a.md", JEKYLL)
    assert [(v.line, v.fix.applicability) for v in jekyll] == [(3, "safe"), (4, "unsafe"), (5, "unsafe")]
    assert "by Jekyll (YAML 1.1)" in jekyll[0].message and "45000" in jekyll[2].message
    hugo = run(text, "front-matter-yaml11", "a.md", HUGO)
    assert [(v.line, v.fix.applicability) for v in hugo] == [(3, "unsafe"), (4, "unsafe"), (6, "unsafe")]
    assert ("read differently by Hugo versions: as the boolean true by older Hugo (0.111), as the text \"yes\" "
            "by current Hugo (0.168); you likely meant the boolean: write `true`") in hugo[0].message
    assert "you likely meant the text: quote it" in hugo[1].message
    none = run(text, "front-matter-yaml11", "a.md", NONE)
    assert [(v.line, v.fix.applicability) for v in none] == [(3, "unsafe"), (4, "unsafe"), (5, "unsafe")]
    assert all("Jekyll" not in v.message and "Hugo" not in v.message for v in none)
    assert "YAML 1.1 parsers" in none[0].message and "YAML 1.2 parsers" in none[0].message
