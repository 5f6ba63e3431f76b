"""The URL map of the Jekyll sites in ``../shared/sites`` that do not build here (their
own plugins would have to run): the links their posts write to other pages of the
site are the ground truth, and newslint's map must find the file behind each."""

from __future__ import annotations

import re

import pytest

from conftest import SHARED
from site_files import jekyll_files, jekyll_site

from newslint.site import jekyll_urls

SITES = SHARED / "sites"
pytestmark = pytest.mark.skipif(not SITES.is_dir(), reason="../shared/sites is absent")

# A Markdown or HTML link to a path of the site itself (no scheme, no Liquid inside).
_LINK = re.compile(r"\]\((/[^)\s#?{}]+)\)|href=\"(/[^\"#?{}]+)\"")


@pytest.mark.parametrize(("name", "at_least"), [("jekyll-ruby-lang", 500), ("jekyll-bitcoincore", 30),
                                               ("jekyll-ko-whysocscs", 0)])  # its posts do not link to each other
def test_links_between_posts_find_their_files(name, at_least):
    root = SITES / name
    site = jekyll_site(root)
    umap = jekyll_urls.url_map(site, jekyll_files(site))
    posts = [e for e in umap.entries.values() if e.kind == "post" and e.written]
    assert len(posts) >= 40 and not umap.uncertain
    # A post's own URL leads back to it.
    assert all(umap.file_of(e.url) == e.path for e in posts)
    dated = [m.group(1) or m.group(2) for e in posts
             for m in _LINK.finditer((root / e.path).read_text(encoding="utf-8", errors="replace"))
             if re.search(r"/\d{4}/\d{2}/\d{2}/", m.group(1) or m.group(2))]
    unresolved = [url for url in dated if umap.file_of(url) is None]
    assert len(dated) >= at_least
    assert len(unresolved) <= 0.01 * len(dated), unresolved[:20]


def test_categories_from_language_folders():
    """Posts kept in `LANG/news/_posts/` are published under `/LANG/news/` (the site's `permalink: pretty`)."""
    root = SITES / "jekyll-ruby-lang"
    site = jekyll_site(root)
    umap = jekyll_urls.url_map(site, jekyll_files(site))
    korean = [e for e in umap.entries.values() if e.path.startswith("ko/news/_posts/")]
    assert len(korean) >= 20
    for e in korean:
        date, slug = re.match(r"ko/news/_posts/(\d{4}-\d{2}-\d{2})-(.+)\.\w+$", e.path).groups()
        assert e.url == f"/ko/news/{date.replace('-', '/')}/{slug}/", e.path
