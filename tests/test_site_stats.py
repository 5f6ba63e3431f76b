"""The site phase's key of a site's URL map, from the stat the workers took."""

from __future__ import annotations

import os

from newslint.config import Config
from newslint.engine import Linting
from newslint.site.index import SiteIndex

POST = "---\ntitle: {t}\n---\nSee [the other](/about/) and ![x](/img/{t}.png).\n"


def _site(tmp_path):
    root = tmp_path / "site"
    (root / "_posts").mkdir(parents=True)
    (root / "img").mkdir()
    (root / "_config.yml").write_text("title: x\nurl: https://example.org\n", encoding="utf-8")
    (root / "about.md").write_text("---\ntitle: About\n---\nHi.\n", encoding="utf-8")
    (root / "img" / "a.png").write_bytes(b"png")
    for i in range(12):
        (root / "_posts" / f"2024-01-{i + 1:02d}-p{i}.md").write_text(POST.format(t=f"p{i}"), encoding="utf-8")
    return root


def _lint(root, cache, jobs=1):
    with Linting(Config(root=root), jobs=jobs, cache_dir=cache) as run:
        files = sorted(str(p) for p in root.rglob("*.md"))
        results = list(run.lint_files(files))
        key = run.key_for(files[0])
        return run, key, results


def test_a_first_run_keys_the_site_by_the_workers_stat_as_a_stat_of_each_file_would(tmp_path):
    from newslint.sitephase import _stored_key

    root = _site(tmp_path)
    cache = tmp_path / "cache"
    run, key, cold = _lint(root, cache)
    # The site's findings are kept under the key of the site as it is (every
    # file's name, size and time), made from the stats the run took.
    kept = sorted(p.name for p in cache.glob("site-*.json"))
    assert len(kept) == 1
    # Every file stat'ed afresh, nothing known from the run: the same key.
    fresh = SiteIndex(run.site_of(key), {}, cache_dir=str(cache), code_key=run._fingerprint(key))
    assert kept == [f"site-{_stored_key(run, fresh, key)}.json"]
    # The next run's prefetch, seeing them, keys the site while the posts are
    # looked up (not after them, as a first run does).
    again = SiteIndex(run.site_of(key), {}, cache_dir=str(cache), code_key=run._fingerprint(key))
    again.prefetch()
    assert again.__dict__.get("urls_key") == fresh.urls_key and not again.map_kept
    # A second run finds them, and the same findings.
    _run, _key, warm = _lint(root, cache)
    assert [r.violations for r in warm] == [r.violations for r in cold]


def test_without_any_map_kept_the_prefetch_stats_no_post(tmp_path, monkeypatch):
    root = _site(tmp_path)
    with Linting(Config(root=root), jobs=1, use_cache=False) as run:
        site = run.site_of(run.key_for(str(root / "about.md")))
    index = SiteIndex(site, {}, cache_dir=str(tmp_path / "empty"))
    calls = []
    real = os.stat
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: calls.append(p) or real(p, *a, **k))
    index.prefetch()
    assert not index.map_kept and "urls_key" not in index.__dict__
    assert not [p for p in calls if str(p).endswith(".md")]
    assert [p for p in calls if str(p).endswith(".png")]  # the other files are, meanwhile
    assert index.urls_key == SiteIndex(site, {}).urls_key


def test_a_post_fed_with_its_stat_is_not_stat_again_for_the_key(tmp_path, monkeypatch):
    root = _site(tmp_path)
    with Linting(Config(root=root), jobs=1, use_cache=False) as run:
        site = run.site_of(run.key_for(str(root / "about.md")))
    plain = SiteIndex(site, {}).urls_key
    index = SiteIndex(site, {})
    for post in (root / "_posts").iterdir():
        st = os.stat(post)
        index.feed(str(post), {}, (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    index.all_files  # noqa: B018
    calls = []
    real = os.stat
    monkeypatch.setattr(os, "stat", lambda p, *a, **k: calls.append(str(p)) or real(p, *a, **k))
    assert index.urls_key == plain
    assert calls and not [p for p in calls if "_posts" in p]


def test_a_first_runs_map_with_entries_made_meanwhile_is_the_map_made_at_once(tmp_path):
    from newslint.document import Document
    from newslint.site.facts import extract
    from newslint.site.urlmap import url_map

    root = _site(tmp_path)
    (root / "feed.xml").write_text("---\n---\nx\n", encoding="utf-8")  # a page, with front matter
    (root / "_drafts").mkdir()
    (root / "_drafts" / "d.md").write_text("---\ntitle: d\n---\n", encoding="utf-8")
    with Linting(Config(root=root), jobs=1, use_cache=False) as run:
        site = run.site_of(run.key_for(str(root / "about.md")))
    index = SiteIndex(site, {}, cache_dir=str(tmp_path / "empty"))
    index.prefetch()
    assert "img/a.png" in index._made  # made while the posts are linted
    facts = {}
    for post in sorted((root / "_posts").iterdir()):
        facts[str(post)] = extract(Document(str(post), post.read_bytes(), site=site))
        st = os.stat(post)
        index.feed(str(post), facts[str(post)], (st.st_size, st.st_mtime_ns, st.st_ctime_ns, st.st_ino))
    index.facts = facts
    assert index.urls.to_rows() == url_map(site, SiteIndex(site, {}).all_files).to_rows()
