"""Rules that are about one generator follow the post's site (``doc.site``).

The site is given here as the engine would give it: a :class:`Site` value on
the document. Outside a known site (``NO_SITE``) the Jekyll rules keep to
Jekyll's own convention, a `_posts` folder.
"""

from __future__ import annotations

import datetime as dt

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
