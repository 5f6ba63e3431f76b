"""The site model: which generator, which Markdown, which files are content."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from conftest import SHARED, run_cli
from newslint.config import Config
from newslint.engine import Linting
from newslint.site.find import SiteFinder

SITES = SHARED / "sites"
POST = "---\ntitle: A post\n---\n\nBody text.\n"


def write(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        p = root / name
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text, encoding="utf-8")
    return root


def show_files(root: Path, *args: str) -> list[str]:
    r = run_cli(["check", "--isolated", "--no-cache", "--show-files", *args, "."], cwd=root)
    assert r.returncode == 0, r.stderr
    return sorted(r.stdout.split())


# -- detection -------------------------------------------------------------------------

@pytest.mark.parametrize("files, generator", [
    ({"_config.yml": "title: x\n"}, "jekyll"),
    ({"_config.toml": "title = 'x'\n"}, "jekyll"),
    ({"hugo.toml": "title = 'x'\n"}, "hugo"),
    ({"hugo.yaml": "title: x\n"}, "hugo"),
    ({"config.toml": "baseURL = 'https://example.org/'\n"}, "hugo"),
    ({"config/_default/hugo.toml": "title = 'x'\n"}, "hugo"),
    # Some other tool's config.toml: no Hugo key, no site.
    ({"config.toml": "[tool]\nname = 'x'\n"}, "none"),
    ({}, "none"),
])
def test_the_site_above_a_file_is_found_by_its_generator_config(tmp_path, files, generator):
    write(tmp_path, {**files, "posts/deep/a.md": POST})
    site = SiteFinder().site_for(str(tmp_path / "posts/deep/a.md"))
    assert site.generator == generator
    assert site.root == (str(tmp_path) if generator != "none" else None)


def test_the_nearest_site_wins_and_a_broken_config_is_a_note_not_a_failure(tmp_path):
    write(tmp_path, {"_config.yml": "title: outer\n", "inner/hugo.toml": "title = [broken\n", "inner/content/a.md": POST})
    site = SiteFinder().site_for(str(tmp_path / "inner/content/a.md"))
    assert (site.generator, site.root) == ("hugo", str(tmp_path / "inner"))
    assert site.config == {} and "does not parse" in site.notes[0]


def test_the_generator_key_overrides_detection(tmp_path):
    write(tmp_path, {"_config.yml": "title: x\n", "_posts/2020-01-01-a.md": POST})
    finder = SiteFinder()
    assert finder.site_for(str(tmp_path / "_posts/2020-01-01-a.md"), "none").generator == "none"
    # No Hugo config anywhere: the newslint config's folder is the root, with Hugo's defaults.
    hugo = finder.site_for(str(tmp_path / "_posts/2020-01-01-a.md"), "hugo", str(tmp_path))
    assert (hugo.generator, hugo.root, hugo.config_file) == ("hugo", str(tmp_path), None)
    assert hugo.markdown == "goldmark" and hugo.raw_html is False and "defaults apply" in hugo.notes[0]


def test_the_generator_key_is_validated(tmp_path):
    write(tmp_path, {".newslint.toml": 'generator = "gatsby"\n', "a.md": POST})
    r = run_cli(["check", "a.md"], cwd=tmp_path)
    assert r.returncode == 2
    assert ".newslint.toml:1" in r.stderr and '"jekyll", "hugo", "none"' in r.stderr


# -- the Markdown dialect ------------------------------------------------------------------

@pytest.mark.parametrize("config, dialect", [
    ("title: x\n", "kramdown"),
    ("markdown: kramdown\n", "kramdown"),
    ("markdown: CommonMarkGhPages\n", "commonmark"),
    ("markdown: CommonMark\n", "commonmark"),
])
def test_jekyll_renders_with_kramdown_unless_the_config_says_commonmark(tmp_path, config, dialect):
    write(tmp_path, {"_config.yml": config})
    site = SiteFinder().site_for_folder(str(tmp_path))
    assert site.markdown == dialect


def test_jekyll_kramdown_options_merge_over_jekylls_defaults(tmp_path):
    write(tmp_path, {"_config.yml": "kramdown:\n  input: kramdown\n  auto_ids: false\n"})
    options = SiteFinder().site_for_folder(str(tmp_path)).markdown_options
    assert options["input"] == "kramdown" and options["auto_ids"] is False and options["hard_wrap"] is False


@pytest.mark.parametrize("config, raw_html", [
    ("title = 'x'\n", False),  # Hugo's default: goldmark drops raw HTML
    ("[markup.goldmark.renderer]\nunsafe = true\n", True),
    ("[markup.goldmark.renderer]\nunsafe = false\n", False),
])
def test_hugo_shows_raw_html_only_when_goldmark_is_unsafe(tmp_path, config, raw_html):
    write(tmp_path, {"hugo.toml": config})
    site = SiteFinder().site_for_folder(str(tmp_path))
    assert (site.markdown, site.raw_html) == ("goldmark", raw_html)


# -- content files ---------------------------------------------------------------------------

JEKYLL_SITE = {
    "_config.yml": "collections:\n  recipes:\n    output: true\nexclude:\n  - wip\ninclude:\n  - _pages\n",
    "_posts/2024-01-02-a.md": POST,
    "_posts/2024-01-03-no-front-matter.md": "Just text.\n",  # a post still: front-matter-missing reports it
    "_drafts/b.md": POST,
    "en/news/_posts/2024-01-04-c.md": POST,
    "_recipes/soup.md": POST,
    "_notes/not-a-collection.md": POST,
    "_pages/kept.md": POST,
    "_layouts/default.html": "---\nlayout: base\n---\n{{ content }}\n",
    "_includes/figure.html": "<img src=\"{{ include.src }}\">\n",
    "_sass/x.md": POST,
    "_data/x.md": POST,
    "about.md": POST,
    "index.html": "---\nlayout: default\n---\n<p>Home</p>\n",
    "README.md": "# The site\n",
    "static.html": "<p>no front matter: copied as is</p>\n",
    "wip/draft.md": POST,
    "node_modules/pkg/readme.md": POST,
    "vendor/bundle/gem/readme.md": POST,
    ".github/issue.md": POST,
}


def test_a_jekyll_site_lints_its_posts_collections_and_pages_and_nothing_else(tmp_path):
    write(tmp_path, JEKYLL_SITE)
    assert show_files(tmp_path) == sorted([
        "_drafts/b.md", "_pages/kept.md", "_posts/2024-01-02-a.md", "_posts/2024-01-03-no-front-matter.md",
        "_recipes/soup.md", "about.md", "en/news/_posts/2024-01-04-c.md", "index.html"])


def test_a_walk_inside_a_skipped_folder_finds_nothing_but_a_named_file_is_linted(tmp_path):
    write(tmp_path, JEKYLL_SITE)
    r = run_cli(["check", "--isolated", "--no-cache", "--show-files", "_layouts", "_includes/figure.html"],
                cwd=tmp_path)
    assert r.stdout.split() == ["_includes/figure.html"]
    # pre-commit names every changed file, and passes --force-exclude: templates stay out.
    r = run_cli(["check", "--isolated", "--no-cache", "--show-files", "--force-exclude", "_layouts/default.html",
                 "_posts/2024-01-02-a.md"], cwd=tmp_path)
    assert r.stdout.split() == ["_posts/2024-01-02-a.md"]


def test_a_hugo_site_lints_its_content_folders_only(tmp_path):
    write(tmp_path, {
        "hugo.toml": "[languages.ko]\ncontentDir = 'content-ko'\n",
        "content/posts/a.md": POST,
        "content/_index.md": POST,
        "content-ko/posts/b.md": POST,
        "layouts/_default/single.html": "{{ .Content }}\n",
        "themes/t/layouts/x.md": POST,
        "archetypes/default.md": POST,
        "public/index.html": "<p>built</p>\n",
        "assets/x.md": POST,
        "static/legacy.html": "<p>static</p>\n",
        "README.md": "# x\n",
    })
    assert show_files(tmp_path) == ["content-ko/posts/b.md", "content/_index.md", "content/posts/a.md"]


def test_a_folder_in_no_site_keeps_every_post(tmp_path):
    write(tmp_path, {"a.md": POST, "README.md": "# x\n", "_layouts/b.html": "<p>x</p>\n"})
    assert show_files(tmp_path) == ["README.md", "_layouts/b.html", "a.md"]


@pytest.mark.skipif(shutil.which("git") is None, reason="git is not installed")
def test_git_ignored_files_are_passed_over_unless_asked(tmp_path):
    write(tmp_path, {"a.md": POST, "drafts/b.md": POST, "secret.md": POST, ".gitignore": "drafts/\nsecret.md\n"})
    subprocess.run(["git", "init", "-q", str(tmp_path)], check=True)
    assert show_files(tmp_path) == ["a.md"]
    assert show_files(tmp_path, "--no-respect-gitignore") == ["a.md", "drafts/b.md", "secret.md"]
    (tmp_path / ".newslint.toml").write_text("respect-gitignore = false\n", encoding="utf-8")
    r = run_cli(["check", "--no-cache", "--show-files", "."], cwd=tmp_path)
    assert sorted(r.stdout.split()) == ["a.md", "drafts/b.md", "secret.md"]


# -- the run ------------------------------------------------------------------------------

def test_each_file_is_linted_with_its_site_and_the_cache_knows_the_site(tmp_path):
    write(tmp_path, {"_config.yml": "title: x\n", "_posts/2024-01-02-a.md": POST, "other/b.md": POST})
    (tmp_path / "other/hugo.toml").write_text("title = 'x'\n", encoding="utf-8")
    run = Linting(Config(root=tmp_path), jobs=1, cache_dir=tmp_path / "cache")
    a = run.key_for(str(tmp_path / "_posts/2024-01-02-a.md"))
    b = run.key_for(str(tmp_path / "other/b.md"))
    assert run.site_of(a).generator == "jekyll" and run.site_of(b).generator == "hugo"
    assert run._fingerprint(a) != run._fingerprint(b)
    # A change to the site's config is a change of the cache key.
    before = run._fingerprint(a)
    (tmp_path / "_config.yml").write_text("markdown: CommonMark\n", encoding="utf-8")
    again = Linting(Config(root=tmp_path), jobs=1, cache_dir=tmp_path / "cache")
    assert again._fingerprint(again.key_for(str(tmp_path / "_posts/2024-01-02-a.md"))) != before


def test_newslint_site_says_what_it_read(tmp_path):
    write(tmp_path, JEKYLL_SITE)
    r = run_cli(["site", "--isolated", "."], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    assert "generator:  Jekyll, config _config.yml" in r.stdout
    assert "markdown:   kramdown" in r.stdout and 'input: "GFM"' in r.stdout
    assert "_posts, _drafts, _recipes: 8 file(s)" in r.stdout
    assert re.search(r"\n    _layouts/ +Jekyll reads it as templates, data or output, not content\n", r.stdout)
    assert re.search(r"\n    wip/ +excluded by the site's `exclude`\n", r.stdout)
    data = json.loads(run_cli(["site", "--isolated", "--format", "json", "."], cwd=tmp_path).stdout)
    assert [(e["generator"], e["content_files"]) for e in data] == [("jekyll", 8)]


def test_newslint_site_on_a_missing_path_is_a_usage_error(tmp_path):
    r = run_cli(["site", "nope"], cwd=tmp_path)
    assert r.returncode == 2 and "nope: no such file or folder" in r.stderr


# -- the real sites --------------------------------------------------------------------------

NOT_CONTENT = {"jekyll": {"_layouts", "_includes", "_sass", "_data", "_plugins", "_site", "node_modules", "vendor"},
               "hugo": {"layouts", "themes", "public", "resources", "archetypes", "assets", "static", "node_modules"}}


@pytest.mark.skipif(not SITES.is_dir(), reason="../shared/sites is absent")
@pytest.mark.parametrize("name", ["jekyll-ko-whysocscs", "jekyll-ruby-lang", "jekyll-bitcoincore", "hugo-coredns",
                                  "hugo-letsencrypt"])
def test_check_at_a_real_site_root_lints_its_content_and_nothing_else(name):
    root = SITES / name
    files = show_files(root)
    assert files
    for f in files:
        parts = f.split("/")
        assert not NOT_CONTENT[name.split("-")[0]].intersection(parts[:-1]), f
        assert parts[-1].lower() not in ("readme.md", "license.md", "contributing.md", "code_of_conduct.md"), f
        if name.startswith("hugo"):
            assert parts[0] == "content", f
        elif "_posts" not in parts and not parts[0].startswith("_"):
            with open(root / f, "rb") as fh:
                assert fh.read(3) == b"---", f  # a Jekyll page has front matter


def test_newslint_site_urls_prints_where_each_file_goes(tmp_path):
    write(tmp_path, {"_config.yml": "permalink: pretty\n", "_posts/2024-03-01-부산-소식.md": POST, "about.md": POST,
                     "img/a.png": ""})
    r = run_cli(["site", "--isolated", "--urls", "."], cwd=tmp_path)
    assert r.returncode == 0, r.stderr
    lines = [line.split() for line in r.stdout.splitlines()[1:]]
    assert ["/2024/03/01/%EB%B6%80%EC%82%B0-%EC%86%8C%EC%8B%9D/", "_posts/2024-03-01-부산-소식.md"] in lines
    assert ["/about/", "about.md"] in lines and ["/img/a.png", "img/a.png"] in lines
    data = json.loads(run_cli(["site", "--isolated", "--urls", "--format", "json", "."], cwd=tmp_path).stdout)
    assert data[0]["generator"] == "jekyll" and len(data[0]["files"]) == 3


def test_a_jekyll_post_is_read_as_kramdown_reads_it_and_a_loose_post_as_commonmark(tmp_path):
    text = "---\ntitle: 코드\n---\n\n문단 </span> 끝.\n"  # kramdown shows the stray end tag as text
    write(tmp_path, {"site/_config.yml": "title: x\n", "site/_posts/2024-01-01-a.md": text, "loose/a.md": text})
    r = run_cli(["check", "--isolated", "--no-cache", "--select", "html-malformed", "."], cwd=tmp_path)
    lines = sorted(r.stdout.splitlines()[:2])
    assert lines[0].startswith("loose/a.md:5:4:") and "kramdown" not in lines[0]
    assert lines[1] == ("site/_posts/2024-01-01-a.md:5:4: warning html-malformed end tag </span> closes nothing: "
                        "kramdown shows it as text")


def test_a_jekyll_config_parse_is_kept_between_runs_only_while_the_file_is_the_same(tmp_path):
    from newslint.site.configfiles import read_config

    memo = tmp_path / "cache"
    config = tmp_path / "_config.yml"
    config.write_text("title: 부산일보\nmarkdown: kramdown\nexclude: [vendor]\n", encoding="utf-8")
    first = read_config(str(config), str(memo))
    assert first == read_config(str(config)) == ({"title": "부산일보", "markdown": "kramdown", "exclude": ["vendor"]}, None)
    assert len(list(memo.glob("siteconfig-*.json"))) == 1
    assert read_config(str(config), str(memo)) == first  # from the memo
    config.write_text("title: 부산일보 뉴스\n", encoding="utf-8")  # another size: read again
    assert read_config(str(config), str(memo)) == ({"title": "부산일보 뉴스"}, None)
    dated = tmp_path / "dated" / "_config.yml"
    dated.parent.mkdir()
    dated.write_text("since: 2024-03-05\n", encoding="utf-8")
    got = read_config(str(dated), str(memo))
    assert got == read_config(str(dated)) and got[0]["since"].isoformat() == "2024-03-05"
    assert len(list(memo.glob("siteconfig-*.json"))) == 2  # a date would come back as text: never kept


def test_a_run_keeps_the_jekyll_config_in_its_cache_folder(tmp_path):
    from newslint.engine import Linting

    (tmp_path / "site" / "_posts").mkdir(parents=True)
    (tmp_path / "site" / "_config.yml").write_text("title: x\n", encoding="utf-8")
    with Linting(Config(root=tmp_path), cache_dir=tmp_path / "cache") as run:
        site = run.sites.site_for(str(tmp_path / "site" / "_posts" / "a.md"))
    assert site.is_jekyll and site.config == {"title": "x"}
    assert list((tmp_path / "cache").glob("siteconfig-*.json"))
    with Linting(Config(root=tmp_path), use_cache=False) as run:
        assert run.sites.memo_dir is None
