"""A linted file's URL entry made where it was parsed (a worker, without the
build's time) and finished by the run's parent equals the entry the parent
makes itself from the same head."""

from __future__ import annotations

import datetime as dt
import json

import pytest

import site_samples
from conftest import SHARED
from site_files import jekyll_files, jekyll_site
from test_site_urls import HEADS

from newslint.document import Document
from newslint.site import jekyll_urls
from newslint.site.urls import url_record

NOW = dt.datetime(2026, 12, 4, 1, 0, tzinfo=dt.timezone.utc)


def _compare(site, root, rels, now):
    maker = jekyll_urls.JekyllUrls(site, now)
    finished = 0
    for rel in rels:
        path = root / rel
        record = url_record(Document(str(path), path.read_bytes(), site=site))
        if record is None:
            continue
        record = json.loads(json.dumps(record))  # as a worker sends it
        parts = jekyll_urls.entry_parts(site, str(path), record)
        maker.known[rel] = record
        direct = maker.entry(rel)
        if parts is None:
            continue
        assert maker.finish(rel, json.loads(json.dumps(parts))) == direct, rel
        finished += 1
    return finished


CONFIGS = {
    "pretty-seoul": "permalink: /:categories/:year/:month/:day/:title/\ntimezone: Asia/Seoul\n",
    "future": "permalink: date\nfuture: true\n",
    "collection": "collections:\n  notes:\n    output: true\n    permalink: /notes/:year/:title/\n",
}


@pytest.mark.parametrize("config", sorted(CONFIGS))
def test_finished_parts_equal_the_entry(tmp_path, config):
    files = {"_config.yml": CONFIGS[config]}
    for name, head in HEADS.items():
        files[f"_posts/2024-03-05-{name}.md"] = head
        files[f"{name}.md"] = head
        files[f"_notes/{name}.md"] = head
    files.update({
        "_posts/2024-01-02-한글-제목.md": "---\ntitle: 안녕\ncategories: [뉴스]\n---\n본문\n",
        "_posts/2999-01-01-later.md": "---\ntitle: later\n---\nbody\n",
        "_posts/2026-12-04-today.md": "---\ndate: 2026-12-04 10:00:00 +0900\n---\r\nbody\r\n",
        "_posts/2026-12-04-soon.md": "---\ndate: 2026-12-04 10:00:01 +0900\n---\nbody\n",
        "_posts/2024-05-06-empty.md": "",
        "_notes/undated.md": "---\ntitle: no date\n---\nbody\n",
    })
    site_samples.write(tmp_path, files)
    site = jekyll_site(tmp_path)
    rels = [r for r in files if r.endswith(".md")]
    assert _compare(site, tmp_path, rels, NOW) >= 15


def test_an_undated_document_is_left_to_the_parent(tmp_path):
    site_samples.write(tmp_path, {"_config.yml": CONFIGS["collection"],
                                  "_notes/undated.md": "---\ntitle: no date\n---\nbody\n"})
    site = jekyll_site(tmp_path)
    path = tmp_path / "_notes/undated.md"
    record = url_record(Document(str(path), path.read_bytes(), site=site))
    assert record is not None and jekyll_urls.entry_parts(site, str(path), record) is None


@pytest.mark.skipif(not (SHARED / "sites").is_dir(), reason="../shared/sites is absent")
@pytest.mark.parametrize("name", ["jekyll-ruby-lang", "jekyll-bitcoincore", "jekyll-ko-whysocscs"])
def test_finished_parts_equal_the_entry_on_real_sites(name):
    root = SHARED / "sites" / name
    site = jekyll_site(root)
    rels = [str(f) for f in jekyll_files(site) if str(f).endswith((".md", ".markdown", ".html"))]
    rels = [r[len(str(root)) + 1:] if r.startswith(str(root)) else r for r in rels]
    assert _compare(site, root, rels, dt.datetime.now(dt.timezone.utc)) >= 30


@pytest.mark.parametrize("path", ["posts/a.md", "a.md", "/x/y/z.md", "./posts/a.md", "posts/../a.md", "posts//a.md",
                                  "posts/", ".", "..", "../a.md", "//x/a.md", "/x/./a.md", "posts/.hidden.md",
                                  "뉴스/한글.md", "posts/a.md.", "a b/c.md", "/"])
def test_the_site_phase_paths_are_abspaths(path, tmp_path, monkeypatch):
    import os

    from newslint.sitephase import _absolute_maker

    monkeypatch.chdir(tmp_path)
    assert _absolute_maker()(path) == os.path.abspath(path)


def test_relative_paths_as_path_writes_them(tmp_path):
    from pathlib import Path

    from newslint.site.urls import relative_paths

    files = ["a.md", "_posts/2024-01-02-x.md", "a//b.md", "./a.md", "a/./b.md", "a/../b.md", ".htaccess",
             "_posts/.x.md", "뉴스/한글.md", "dir/", "a b/c.md", str(tmp_path / "abs.md"), Path("p/q.md"), "x.", "x..y"]
    expected = []
    for f in files:
        p = Path(f)
        expected.append((p.resolve().relative_to(tmp_path.resolve()) if p.is_absolute() else p).as_posix())
    assert relative_paths(tmp_path, files) == expected
