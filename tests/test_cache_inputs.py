"""The results cache and what decides a post's findings besides its own bytes
and the configuration: the site's template files."""

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
    # A site's own template overrides nothing here but is read too: a new one counts.
    (tmp_path / "site" / "layouts" / "shortcodes" / "note.html").write_text("<p>{{ .Inner }}</p>\n", "utf-8")
    assert [f[:2] for f in run(files, config, cdir)[0]] == [("template-syntax", 5)]


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

