"""Linting a post leaves no reference cycle behind: every object of its parse
(the Document, its front matter's YAML graph, the kramdown containers, the
pack rules' views) is freed by reference counting as soon as the post is done.
A cycle would leave each post's parse to the garbage collector, whose passes
then cost the workers time in proportion to the archive."""

from __future__ import annotations

import gc

from newslint.config import Config
from newslint.linter import _current, lint_bytes
from newslint.site.find import SiteFinder

POSTS = {
    # post-date-mismatch and post-date-future both read the date (a memo on the front matter)
    "_posts/2024-01-02-dated.md": "---\ntitle: Dated\ndate: 2024-01-03 10:00:00 +0900\ntags: [a, b]\n---\n\nText.\n",
    # a promo phrase the pack rules' prefilters let through to their views
    "_posts/2024-01-03-promo.md": ("---\ntitle: Promo\n---\n\n실시간 뉴스 속보는, <a href=\"https://example.com\">여기</a>\n\n"
                                   "For more news, visit [us](https://example.com).\n"),
    # kramdown's nested containers: a list item holding HTML and code
    "_posts/2024-01-04-nested.md": ("---\ntitle: Nested\n---\n\n* item\n\n  <div>x</div>\n\n      code\n\n"
                                    "> quote <b>bold</b>\n> {: .note}\n"),
    "page.html": "---\ntitle: Page\n---\n<p><font color=\"#ff0000\">red</font> <img src=\"a.png\"></p>\n",
}


def test_a_linted_post_leaves_no_cycle(tmp_path):
    (tmp_path / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (tmp_path / "_posts").mkdir()
    for name, text in POSTS.items():
        (tmp_path / name).write_text(text, encoding="utf-8")
    site = SiteFinder().site_for(str(tmp_path / "page.html"))
    assert site.markdown == "kramdown"
    config = Config()
    prepared = _current(config, None, None)
    for name in POSTS:  # the first run imports and compiles what it needs
        lint_bytes(str(tmp_path / name), (tmp_path / name).read_bytes(), config, prepared=prepared, site=site,
                   facts=True)
    gc.collect()
    was = gc.get_debug()
    gc.disable()
    gc.set_debug(gc.DEBUG_SAVEALL)
    try:
        for name in POSTS:
            result = lint_bytes(str(tmp_path / name), (tmp_path / name).read_bytes(), config, prepared=prepared,
                                site=site, facts=True)
            assert not result.internal_error and result.facts is not None
        gc.collect()
        left = [type(o).__name__ for o in gc.garbage]
    finally:
        gc.garbage.clear()
        gc.set_debug(was)
        gc.enable()
    assert left == []
