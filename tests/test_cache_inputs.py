"""The results cache and what decides a post's findings besides its own bytes
and the configuration: the clock, and the site's template files."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

import newslint.cache as cache_mod
from newslint.config import Config
from newslint.engine import lint_files

FIGURE = '<figure><img src="{{ include.image }}" alt="{{ include.alt }}"></figure>\n'
FIGURE_NO_ALT = '<figure><img src="{{ include.image }}"></figure>\n'
POST = '---\ntitle: 부산항\n---\n\n{% include figure.html image="/a.png" alt="부산항 신항" %}\n'


@pytest.fixture
def trust_stat(monkeypatch):
    """Files written by the test are "racy" (ctime within 2 s of the read): let
    the stat signature be trusted, so that a warm run answers by stat alone."""
    monkeypatch.setattr(cache_mod, "RACY_NS", -10**18)


def run(files, config, cache_dir, stats=None, jobs=1):
    stats = {} if stats is None else stats
    return [(v.rule, v.line, v.message) for r in lint_files(files, config, jobs=jobs, cache_dir=cache_dir, stats=stats)
            for v in r.violations], stats


def rewrite(path: Path, text: str) -> None:
    """Write ``text`` with a size and mtime the old content did not have."""
    st = path.stat()
    path.write_text(text, "utf-8")
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 10**9))


def jekyll_site(root: Path, includes_dir: str = "_includes") -> list[str]:
    root.mkdir()
    (root / "_config.yml").write_text("title: t\n" + (f"includes_dir: {includes_dir}\n" if includes_dir != "_includes"
                                                       else ""), "utf-8")
    (root / includes_dir).mkdir(parents=True)
    (root / includes_dir / "figure.html").write_text(FIGURE, "utf-8")
    (root / "_posts").mkdir()
    post = root / "_posts" / "2024-01-01-a.md"
    post.write_text(POST, "utf-8")
    return [str(post)]


# -- the site's templates ------------------------------------------------------
@pytest.mark.parametrize("includes_dir", ["_includes", "parts"])
def test_editing_a_jekyll_include_changes_the_cached_findings(tmp_path, trust_stat, includes_dir):
    files = jekyll_site(tmp_path / "site", includes_dir)
    config, cdir = Config(select=["image-alt-missing"], root=tmp_path / "site"), tmp_path / "cache"
    assert run(files, config, cdir)[0] == []
    rewrite(tmp_path / "site" / includes_dir / "figure.html", FIGURE_NO_ALT)
    found, stats = run(files, config, cdir)
    assert [f[:2] for f in found] == [("image-alt-missing", 5)]
    assert "has no `alt` attribute" in found[0][2]
    assert stats["linted"] == 1
    assert run(files, config, cdir)[1]["cached_by_stat"] == 1  # and cached again under the new templates


def test_a_new_include_file_changes_the_cached_findings(tmp_path, trust_stat):
    files = jekyll_site(tmp_path / "site")
    post = Path(files[0])
    post.write_text(POST.replace("figure.html", "sub/photo.html"), "utf-8")
    config, cdir = Config(select=["image-alt-missing"], root=tmp_path / "site"), tmp_path / "cache"
    assert run(files, config, cdir)[0] == []  # no such include: no image
    (tmp_path / "site" / "_includes" / "sub").mkdir()
    (tmp_path / "site" / "_includes" / "sub" / "photo.html").write_text(FIGURE_NO_ALT, "utf-8")
    assert [f[:2] for f in run(files, config, cdir)[0]] == [("image-alt-missing", 5)]


def hugo_site(root: Path) -> list[str]:
    root.mkdir()
    (root / "hugo.toml").write_text('title = "t"\n', "utf-8")
    (root / "layouts" / "shortcodes").mkdir(parents=True)
    (root / "themes" / "plain" / "layouts" / "shortcodes").mkdir(parents=True)
    (root / "themes" / "plain" / "layouts" / "shortcodes" / "note.html").write_text("<p>{{ .Inner }}</p>\n", "utf-8")
    (root / "content").mkdir()
    post = root / "content" / "a.md"
    post.write_text("---\ntitle: t\n---\n\n{{< note >}}열린 채로 끝난다\n", "utf-8")
    return [str(post)]


def test_editing_a_hugo_shortcode_template_changes_the_cached_findings(tmp_path, trust_stat):
    files = hugo_site(tmp_path / "site")
    config, cdir = Config(select=["template-syntax"], root=tmp_path / "site"), tmp_path / "cache"
    assert [f[:2] for f in run(files, config, cdir)[0]] == [("template-syntax", 5)]  # a paired one never closed
    rewrite(tmp_path / "site" / "themes" / "plain" / "layouts" / "shortcodes" / "note.html", "<p>note</p>\n")
    assert run(files, config, cdir)[0] == []  # an inline one now
    # The site's own template comes before the theme's: a new one counts.
    (tmp_path / "site" / "layouts" / "shortcodes" / "note.html").write_text("<p>{{ .Inner }}</p>\n", "utf-8")
    assert [f[:2] for f in run(files, config, cdir)[0]] == [("template-syntax", 5)]
    # And Hugo's newer folder comes before that one.
    (tmp_path / "site" / "layouts" / "_shortcodes").mkdir()
    (tmp_path / "site" / "layouts" / "_shortcodes" / "note.html").write_text("<p>note</p>\n", "utf-8")
    assert run(files, config, cdir)[0] == []


def test_the_signature_watches_every_template_file_the_rules_read(tmp_path, monkeypatch):
    from newslint import includes
    from newslint.rules import template_syntax
    from newslint.site.find import SiteFinder
    from newslint.site.templates import template_folders

    opened: list[str] = []

    def spy(path, *args, **kw):
        opened.append(os.path.realpath(path))
        return open(path, *args, **kw)

    monkeypatch.setattr(includes, "open", spy, raising=False)
    monkeypatch.setattr(template_syntax, "open", spy, raising=False)
    files = jekyll_site(tmp_path / "jekyll", "parts") + hugo_site(tmp_path / "hugo")
    config = Config(select=["image-alt-missing", "template-syntax"], root=tmp_path)
    list(lint_files(files, config, jobs=1, use_cache=False))
    finder = SiteFinder()
    folders = [os.path.realpath(f) + os.sep for path in files for f in template_folders(finder.site_for(path))]
    assert len(opened) == 2 and all(p.startswith(tuple(folders)) for p in opened), (opened, folders)
    assert all(finder.templates_signature(finder.site_for(path)) for path in files)
    assert finder.templates_signature(finder.site_for(str(tmp_path / "elsewhere.md"))) == ""


def test_unchanged_templates_keep_the_cache_warm(tmp_path, trust_stat):
    files = jekyll_site(tmp_path / "site")
    config, cdir = Config(select=["image-alt-missing"], root=tmp_path / "site"), tmp_path / "cache"
    run(files, config, cdir)
    assert run(files, config, cdir)[1]["cached_by_stat"] == 1


# -- the clock -------------------------------------------------------------------
def dated_posts(root: Path) -> list[str]:
    """Two posts outside a site, under `_posts/` (read as Jekyll posts): one dated in the future."""
    (root / "_posts").mkdir(parents=True)
    future, past = root / "_posts" / "2999-01-01-future.md", root / "_posts" / "2020-01-01-past.md"
    future.write_text("---\ntitle: t\ndate: 2999-01-01\n---\n\nSoon.\n", "utf-8")
    past.write_text("---\ntitle: t\ndate: 2999-01-01\n---\n\nDone.\n".replace("2999", "2020"), "utf-8")
    return [str(future), str(past)]


@pytest.mark.parametrize("jobs", [1, 2])
def test_a_finding_that_depends_on_the_clock_is_never_served_from_the_cache(tmp_path, trust_stat, monkeypatch, jobs):
    from newslint import engine

    monkeypatch.setattr(engine, "MIN_FILES_FOR_POOL", 1)  # jobs=2: the results come from the pool's workers
    files = dated_posts(tmp_path / "blog")
    config, cdir = Config(select=["post-date-future", "title-length"], root=tmp_path / "blog"), tmp_path / "cache"
    first, s1 = run(files, config, cdir, jobs=jobs)
    assert [f[0] for f in first].count("post-date-future") == 1 and (s1["linted"], s1["jobs"]) == (2, jobs)
    second, s2 = run(files, config, cdir, jobs=jobs)
    assert second == first
    assert (s2["linted"], s2["cached_by_stat"]) == (1, 1)  # the past post from the cache, the future one linted
    # A new stat with the same bytes: no digest to reuse either, the result was never stored.
    os.utime(files[0], ns=(0, Path(files[0]).stat().st_mtime_ns + 10**9))
    third, s3 = run(files, config, cdir, jobs=jobs)
    assert third == first and (s3["linted"], s3["cached_by_digest"]) == (1, 0)


def test_a_future_date_that_has_passed_is_no_longer_reported_on_a_cached_run(tmp_path, trust_stat, monkeypatch):
    import datetime as dt
    import types

    from newslint.rules import post_date_future

    files = dated_posts(tmp_path / "blog")
    config, cdir = Config(select=["post-date-future"], root=tmp_path / "blog"), tmp_path / "cache"
    assert [f[:2] for f in run(files, config, cdir)[0]] == [("post-date-future", 3)]

    class Later(dt.date):
        @classmethod
        def today(cls):
            return dt.date(3000, 1, 1)

    class LaterTime(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return dt.datetime(3000, 1, 1, tzinfo=tz)

    monkeypatch.setattr(post_date_future, "dt", types.SimpleNamespace(date=Later, datetime=LaterTime,
                                                                      timezone=dt.timezone))
    found, stats = run(files, config, cdir)
    assert found == [] and (stats["linted"], stats["cached_by_stat"]) == (1, 1)


CLOCK_PLUGIN = """
    from newslint.api import Finding, Rule

    OPEN = True  # what the clock says, for the test

    class OfficeHours(Rule):
        '''A post linted while the office is open.'''
        name = "office-hours"
        code = "OFH1"
        depends_on_clock = True

        def check(self, doc, options):
            if OPEN:
                yield Finding(0, 0, "the office is open")
"""


def test_a_plugin_rule_that_depends_on_the_clock_is_never_served_from_the_cache(tmp_path, trust_stat, monkeypatch):
    import sys
    import textwrap
    from importlib.metadata import EntryPoint

    from newslint import registry as registry_mod

    (tmp_path / "clock_plugin.py").write_text(textwrap.dedent(CLOCK_PLUGIN), "utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    eps = [EntryPoint(name="clock", value="clock_plugin:OfficeHours", group="newslint.rules")]
    monkeypatch.setattr(registry_mod, "plugin_entry_points", lambda: eps)
    (tmp_path / "posts").mkdir()
    post = tmp_path / "posts" / "a.md"
    post.write_text("---\ntitle: t\n---\n\nHello.\n", "utf-8")
    config, cdir = Config(select=["office-hours"], root=tmp_path), tmp_path / "cache"
    assert [f[0] for f in run([str(post)], config, cdir)[0]] == ["office-hours"]
    monkeypatch.setattr(sys.modules["clock_plugin"], "OPEN", False)
    found, stats = run([str(post)], Config(select=["office-hours"], root=tmp_path), cdir)
    assert found == [] and stats["linted"] == 1
    assert run([str(post)], Config(select=["office-hours"], root=tmp_path), cdir)[1]["cached_by_stat"] == 1
