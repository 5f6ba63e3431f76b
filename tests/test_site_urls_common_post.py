"""The common post's URL entry (jekyll_post.common_post) is the general path's."""

from __future__ import annotations

import datetime as dt
import itertools
import os
import random
from pathlib import Path

import pytest

from newslint.document import Document
from newslint.site.find import SiteFinder
from newslint.site.jekyll_post import common_post
from newslint.site.jekyll_urls import JekyllUrls, _collection_of, _document
from newslint.site.urls import url_record

_SHARED = Path(__file__).resolve().parents[1].parent / "shared" / "sites"
_NOW = dt.datetime(2024, 6, 1, 12, 0, tzinfo=dt.timezone.utc)


def _compare(root: Path, rels: list[str]) -> tuple[int, int]:
    """(posts the common path answered, posts asked); each answer the general path's."""
    site = SiteFinder().site_for_folder(str(root))
    known = {}
    for rel in rels:
        record = url_record(Document(str(root / rel), (root / rel).read_bytes(), site=site))
        if record is not None:
            known[rel] = record
    urls = JekyllUrls(site, _NOW, known)
    hits = asked = 0
    for rel in rels:
        coll = _collection_of(rel, urls.cfg)
        if coll is None or coll[0] != "posts":
            continue
        asked += 1
        got = common_post(urls.cfg, rel, urls.base)
        if got is not None:
            hits += 1
            assert got == _document(urls.cfg, urls.root, rel, "posts", coll[1], urls.base), rel
    return hits, asked


_CONFIGS = ["", "permalink: pretty\n", "permalink: none\n", "permalink: ordinal\n", "permalink: /:year/:title/\n",
            "permalink: /blog/:categories/:slug:output_ext\n", "permalink: /:title_:month.html\n",
            "permalink: pretty\nfuture: true\nbaseurl: /b\n", "timezone: Asia/Seoul\npermalink: /:week/:title/\n",
            "collections:\n  posts:\n    output: false\n",
            "collections:\n  posts:\n    permalink: /p/:categories/:title\n",
            "permalink: pretty\ndefaults:\n  - scope: {path: ''}\n    values: {permalink: /d/:title/}\n"]
_FRONTS = ["", "date: 2020-02-03\n", "date: '2020-02-03 10:00:00 +0900'\n", "date: 2025-01-01\n", "date: nope\n",
           "date: 2020-13-45\n", "date:\n", "permalink: /x/:title/\n", "permalink: /fixed.html\n",
           "permalink: ''\n", "permalink: 3\n", "permalink: /:foo/\n", "slug: other\n", "categories: [a, b]\n",
           "published: false\n", "date: '2020-02-03'\npermalink: /:categories/:title:output_ext\n", "title: t\n"]
_NAMES = ["2021-03-04-hello.md", "2021-3-4-dots...md", "2021-03-04-Ünï cödé!.markdown", "2021-03-04-a.b.html",
          "2021-03-04-x.txt", "99-1-1-short.md", "2021-03-04-news.md"]
_FOLDERS = ["_posts", "news/_posts", "en/news/_posts", "news/_posts/news", "a/b/_posts/sub"]


@pytest.mark.parametrize("config", _CONFIGS)
def test_the_common_post_has_the_general_paths_entry(tmp_path, config):
    (tmp_path / "_config.yml").write_text("title: x\n" + config, encoding="utf-8")
    rng = random.Random(config)
    rels = []
    for folder, name in itertools.product(_FOLDERS, _NAMES):
        rel = f"{folder}/{name}"
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(f"---\n{rng.choice(_FRONTS)}{rng.choice(_FRONTS)}---\nbody\n", encoding="utf-8")
        rels.append(rel)
    hits, asked = _compare(tmp_path, rels)
    assert asked == len(rels)
    assert hits > 0 or "defaults" in config


@pytest.mark.skipif(not _SHARED.is_dir(), reason="the shared sample sites are not here")
def test_the_common_post_has_the_general_paths_entry_on_the_sample_sites():
    total = 0
    for root in sorted(p for p in _SHARED.iterdir() if (p / "_config.yml").is_file()):
        rels = []
        for folder, _dirs, names in os.walk(root):
            if "/." in folder or "/_site" in folder:
                continue
            rels += [os.path.relpath(os.path.join(folder, n), root).replace(os.sep, "/") for n in names
                     if n.endswith((".md", ".markdown", ".html")) and "_posts" in folder]
        hits, asked = _compare(root, sorted(rels))
        total += hits
    assert total > 1000
