"""The URL map on small synthetic sites (the same sites the external tests build
with the real Jekyll and Hugo), and the rules it is made of."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import site_samples
from site_files import hugo_files, hugo_site, jekyll_files, jekyll_site

from newslint.site import Site, hugo_urls, jekyll_urls
from newslint.site.jekyll_time import parse_jekyll_time, site_timezone
from newslint.site.urls import UrlEntry, UrlMap, YamlTime, base_path_of, parse_front_matter, read_front_matter

NOW = dt.datetime(2026, 12, 4, 1, 0, tzinfo=dt.timezone.utc)  # 10:00 on 2026-12-04 in Seoul


def _jekyll(root: Path):
    site = jekyll_site(root)
    return jekyll_urls.url_map(site, jekyll_files(site), now=NOW)


def _hugo(root: Path):
    site = hugo_site(root)
    return hugo_urls.url_map(site, hugo_files(site), now=NOW)


def test_jekyll_sample_site(tmp_path):
    expected = site_samples.jekyll_date_site(tmp_path)
    umap = _jekyll(tmp_path)
    got = {p: umap.url_of(p) for p in expected}
    assert got == {p: u.replace("{build_date}", "2026/12/04") if u else u for p, u in expected.items()}


@pytest.mark.parametrize("style", list(site_samples.JEKYLL_STYLES))
def test_jekyll_permalink_styles(tmp_path, style):
    expected = site_samples.jekyll_style_site(tmp_path, style)
    umap = _jekyll(tmp_path)
    assert {p: umap.url_of(p) for p in expected} == expected


@pytest.mark.parametrize("sample", ["hugo_site_files", "hugo_lang_dirs_site"])
def test_hugo_sample_sites(tmp_path, sample):
    expected = getattr(site_samples, sample)(tmp_path)
    umap = _hugo(tmp_path)
    assert {p: umap.url_of(p) for p in expected} == expected


def test_hugo_aliases_are_extra_urls_of_the_page(tmp_path):
    site_samples.hugo_site_files(tmp_path)
    umap = _hugo(tmp_path)
    assert umap.entry("content/guide/aliased.md").aliases == ("/docs/old/path/", "/docs/guide/older/")
    assert umap.file_of("/docs/old/path/") == "content/guide/aliased.md"
    assert umap.file_of("/docs/guide/older/") == "content/guide/aliased.md"


def test_jekyll_outputs_and_kinds(tmp_path):
    site_samples.jekyll_date_site(tmp_path)
    umap = _jekyll(tmp_path)
    assert umap.entry("about.md").output == "about.html"
    assert umap.entry("sub/index.html").output == "sub/index.html"
    assert umap.entry("_posts/2024-04-01-slugged.md").output == "특별-기사/index.html"
    assert umap.entry("_posts/2024-04-01-slugged.md").kind == "post"
    assert umap.entry("_guides/setup/install.md").kind == "document"
    assert umap.entry("assets/img/x.png").kind == "static"
    assert umap.entry("_layouts/default.html") is None  # Jekyll reads layouts, but they get no URL
    assert umap.entry("_notes/private.md").written is False
    assert umap.static_files >= {"/blog/assets/img/x.png", "/blog/guides/diagram.png",
                                 "/blog/assets/%ED%95%9C%EA%B8%80%20%EC%9D%B4%EB%AF%B8%EC%A7%80.png"}


def test_a_bad_front_matter_gives_the_path_url_marked_uncertain(tmp_path):
    site_samples.jekyll_date_site(tmp_path)
    umap = _jekyll(tmp_path)
    assert "does not parse" in umap.entry("_posts/2024-04-06-broken.md").uncertain
    assert set(umap.uncertain) == {"_posts/2024-04-06-broken.md"}

    site_samples.write(tmp_path / "h", {"hugo.toml": 'baseURL = "https://e.org/"\n',
                                        "content/posts/bad.md": "---\ntitle: [x\nslug: other\n---\n"})
    (tmp_path / "h/content/posts/binary.md").write_bytes(b"---\ntitle: \xff\n---\n")
    hmap = _hugo(tmp_path / "h")
    assert hmap.url_of("content/posts/bad.md") == "/posts/bad/"
    assert hmap.url_of("content/posts/binary.md") == "/posts/binary/"
    assert set(hmap.uncertain) == {"content/posts/bad.md", "content/posts/binary.md"}


def test_file_of_finds_the_file_behind_a_url(tmp_path):
    site_samples.jekyll_date_site(tmp_path)
    umap = _jekyll(tmp_path)
    assert umap.file_of("/blog/about.html") == "about.md"
    assert umap.file_of("/blog/about") == "about.md"  # served as about.html
    assert umap.file_of("/blog/sub") == "sub/index.html"
    assert umap.file_of("/blog/sub/index.html#top") == "sub/index.html"
    assert umap.file_of("/blog/뉴스/2024/03/05/한글-제목.html?x=1") == "뉴스/_posts/2024-03-05-한글-제목.md"
    assert umap.file_of("/blog/%ED%8A%B9%EB%B3%84-%EA%B8%B0%EC%82%AC/") == "_posts/2024-04-01-slugged.md"
    assert umap.file_of("/blog/2099/01/01/future.html") is None  # not written
    assert umap.file_of("/about.html") is None  # outside the base path
    assert umap.url_of(tmp_path / "about.md") == "/blog/about.html"  # an absolute path works too


def test_the_map_serializes(tmp_path):
    site_samples.jekyll_date_site(tmp_path)
    data = json.loads(_jekyll(tmp_path).to_json())
    assert data["generator"] == "jekyll" and data["base_path"] == "/blog/"
    by_path = {f["path"]: f for f in data["files"]}
    assert by_path["about.md"] == {"path": "about.md", "url": "/blog/about.html", "output": "about.html",
                                   "kind": "page", "written": True}
    assert by_path["_posts/2099-01-01-future.md"]["written"] is False
    assert "uncertain" in by_path["_posts/2024-04-06-broken.md"]


def test_the_kept_map_is_the_map(tmp_path):
    """What a run keeps in its cache folder gives back the same map: its
    entries in the order they were added, so the same file is first of two
    that claim a URL."""
    site_samples.jekyll_date_site(tmp_path)
    umap = _jekyll(tmp_path)
    umap.add(UrlEntry("zz-late.md", "/blog/about.html", "about.html", "page"))  # a clash, added last
    umap.add(UrlEntry("a-alias.md", "/blog/a.html", "a.html", "page", aliases=("/blog/old-a/",), language="ko"))
    umap.generated = frozenset({"/blog/feed.xml"})
    back = UrlMap.from_rows(json.loads(json.dumps(umap.to_rows())), root=umap.root)
    assert list(back.entries.items()) == list(umap.entries.items())
    assert back.collisions == umap.collisions == {"/blog/about.html": ["about.md", "zz-late.md"]}
    assert back.generated == umap.generated and back.serves("/blog/feed.xml")
    assert back.file_of("/blog/old-a/") == "a-alias.md"
    assert (back.generator, back.base_path) == (umap.generator, umap.base_path)


@pytest.mark.parametrize(("text", "mode", "cased", "slug"), [
    ("The _config.yml file", "default", False, "the-config-yml-file"),
    ("The _config.yml file", "pretty", False, "the-_config.yml-file"),
    ("The _config.yml file", "pretty", True, "The-_config.yml-file"),
    ("The _config.yml file", "ascii", False, "the-config-yml-file"),
    ("한글 제목: 부제!", "default", False, "한글-제목-부제"),
    ("한글 제목: 부제!", "pretty", True, "한글-제목-부제!"),
    ("한글 제목", "ascii", False, ""),
    ("  spaced  out ", "raw", False, "spaced-out"),
    ("Café Olé", "latin", False, "cafe-ole"),
    ("Keep Me", "none", True, "Keep Me"),
])
def test_slugify(text, mode, cased, slug):
    assert jekyll_urls.slugify(text, mode, cased) == slug


@pytest.mark.parametrize(("path", "escaped"), [
    ("/plain/path-1.html", "/plain/path-1.html"),
    ("/a b", "/a%20b"),
    ("/뉴스/", "/%EB%89%B4%EC%8A%A4/"),
    ("/q&a/(1)", "/q&a/(1)"),
    ("/100%", "/100%25"),
    ("/c#", "/c%23"),
    ("/what?", "/what?"),
    ("/a[1]", "/a%5B1%5D"),
])
def test_escape_path_is_jekylls(path, escaped):
    assert jekyll_urls.escape_path(path) == escaped


def test_sanitize_url():
    assert jekyll_urls.sanitize_url("//a/../b/./c//d") == "/a///b/c/d".replace("///", "/")
    assert jekyll_urls.sanitize_url("") == "/"


def test_a_template_token_jekyll_does_not_know_makes_the_url_uncertain(tmp_path):
    site_samples.write(tmp_path, {"_config.yml": "permalink: /:year/:nonsense/\n",
                                  "_posts/2024-01-01-a.md": site_samples.fm(title="A")})
    umap = _jekyll(tmp_path)
    assert ":nonsense" in umap.entry("_posts/2024-01-01-a.md").uncertain


def test_collections_dir_and_list_collections(tmp_path):
    site_samples.write(tmp_path, {"_config.yml": "collections_dir: my\ncollections: [talks]\npermalink: pretty\n",
                                  "my/_posts/2024-05-06-p.md": site_samples.fm(title="P"),
                                  "my/_talks/t.md": site_samples.fm(title="T"),
                                  "_posts/2024-05-06-ignored.md": site_samples.fm(title="I")})
    site = jekyll_site(tmp_path)
    files = ["my/_posts/2024-05-06-p.md", "my/_talks/t.md", "_posts/2024-05-06-ignored.md"]
    umap = jekyll_urls.url_map(site, files, now=NOW)
    assert umap.url_of("my/_posts/2024-05-06-p.md") == "/2024/05/06/p/"
    assert umap.entry("my/_talks/t.md").url == "/talks/t/"
    assert umap.url_of("my/_talks/t.md") is None  # a collection is not written unless `output: true`
    assert umap.url_of("_posts/2024-05-06-ignored.md") is None


def test_categories_from_folders_and_front_matter_keep_order_and_case_rules(tmp_path):
    site_samples.write(tmp_path, {
        "_config.yml": "permalink: /:categories/:title/\n",
        "Blog/_posts/2024-01-01-a.md": site_samples.fm(categories="[Blog, 경제, 2024]"),
        "_posts/2024-01-02-b.md": site_samples.fm(category="Data Science", categories="ignored"),
        "_posts/2024-01-03-c.md": site_samples.fm(categories="[yes]"),
    })
    umap = _jekyll(tmp_path)
    assert umap.url_of("Blog/_posts/2024-01-01-a.md") == "/blog/%EA%B2%BD%EC%A0%9C/2024/a/"
    assert umap.url_of("_posts/2024-01-02-b.md") == "/ignored/data%20science/b/"
    assert umap.url_of("_posts/2024-01-03-c.md") == "/true/c/"  # YAML 1.1: `yes` is true, written `true` by Ruby


@pytest.mark.parametrize(("value", "expected"), [
    (YamlTime("2024-02-29 23:30:00"), "2024-03-01 08:30"),  # Psych: no zone means UTC
    ("2024-02-29 23:30:00", "2024-02-29 23:30"),  # Time.parse: no zone means the site's
    ("2024-02-29 23:30:00 -05:00", "2024-03-01 13:30"),
    (YamlTime("2024-02-29"), "2024-02-29 00:00"),
    ("2024-2-9 7:05", "2024-02-09 07:05"),
    ("2024-02-29 10:00 KST", "2024-02-29 10:00"),
    ("next tuesday", None),
    ("2024-02-30", None),
])
def test_jekyll_dates_in_the_site_zone(value, expected):
    got = parse_jekyll_time(value, site_timezone("Asia/Seoul"))
    assert (got.strftime("%Y-%m-%d %H:%M") if got else None) == expected


def test_hugo_sanitize_and_urlize():
    assert hugo_urls.sanitize("About  Us & More") == "About-Us-More"
    assert hugo_urls.sanitize("a- b") == "a-b"
    assert hugo_urls.sanitize("한글 폴더/글") == "한글-폴더/글"
    assert hugo_urls.sanitize("50%25 off") == "50%25-off"
    assert hugo_urls.urlize("Hello, World!") == "hello-world"
    assert hugo_urls.urlize("Hello", lower=False) == "Hello"


def test_hugo_disable_path_to_lower_and_json_front_matter(tmp_path):
    site_samples.write(tmp_path, {"hugo.toml": 'baseURL = "/"\ndisablePathToLower = true\n',
                                  "content/Guides/My Page.md": '{"title": "X"}\n\nBody\n',
                                  "content/Guides/_index.md": "+++\ntitle = 'G'\nurl = '/guides-home/'\n+++\n"})
    umap = _hugo(tmp_path)
    assert umap.url_of("content/Guides/My Page.md") == "/Guides/My-Page/"
    assert umap.url_of("content/Guides/_index.md") == "/guides-home/"


def test_hugo_published_rules(tmp_path):
    site_samples.write(tmp_path, {"hugo.toml": 'baseURL = "/"\n',
                                  "content/a.md": site_samples.fm(expiryDate="2020-01-01"),
                                  "content/b.md": site_samples.fm(publishDate="2099-01-01"),
                                  "content/c/index.md": site_samples.fm(headless="true"),
                                  "content/d.md": "---\nbuild:\n  render: never\n---\n",
                                  "content/e.md": site_samples.fm(date="2020-01-01")})
    umap = _hugo(tmp_path)
    assert [umap.url_of(f"content/{p}") for p in ("a.md", "b.md", "c/index.md", "d.md", "e.md")] == \
        [None, None, None, None, "/e/"]


def test_front_matter_reading_never_raises(tmp_path):
    cases = {"bin.md": b"\x00\xff\xfe---", "unclosed.md": b"---\ntitle: x\n", "list.md": b"---\n- a\n---\n",
             "empty.md": b"---\n---\n", "toml.md": b"+++\ntitle = 'x'\ndate = 2024-01-02\n+++\n",
             "badtoml.md": b"+++\ntitle = \n+++\n", "plain.md": b"no front matter"}
    for name, raw in cases.items():
        (tmp_path / name).write_bytes(raw)
    got = {name: read_front_matter(tmp_path / name) for name in cases}
    assert not got["bin.md"].ok and not got["unclosed.md"].ok and not got["list.md"].ok
    assert got["empty.md"].ok and got["empty.md"].present and got["empty.md"].data == {}
    assert got["toml.md"].data == {"title": "x", "date": "2024-01-02"}
    assert isinstance(got["toml.md"].data["date"], YamlTime)
    assert not got["badtoml.md"].ok
    assert got["plain.md"].ok and not got["plain.md"].present
    assert read_front_matter(tmp_path / "missing.md").ok is False
    assert parse_front_matter("---\ndate: 2024-01-02 03:04:05\n---\n").data["date"] == YamlTime("2024-01-02 03:04:05")


@pytest.mark.parametrize(("url", "base"), [
    (None, "/"), ("", "/"), ("https://e.org", "/"), ("https://e.org/blog", "/blog/"), ("/blog/", "/blog/"),
    ("blog", "/blog/"),
])
def test_base_path_of(url, base):
    assert base_path_of(url) == base


def test_a_site_without_root_or_config_still_maps(tmp_path):
    (tmp_path / "about.md").write_text("---\ntitle: A\n---\n", encoding="utf-8")
    umap = jekyll_urls.url_map(Site("jekyll", str(tmp_path)), [tmp_path / "about.md"], now=NOW)
    assert umap.url_of("about.md") == "/about.html"


def test_url_map_follows_the_sites_generator(tmp_path):
    from newslint.site import NO_SITE
    from newslint.site.urlmap import url_map

    site_samples.write(tmp_path, {"_config.yml": "", "hugo.toml": 'baseURL = "/"\n',
                                  "about.md": site_samples.fm(title="A"), "content/about.md": site_samples.fm(title="A")})
    files = ["about.md", "content/about.md"]
    assert url_map(jekyll_site(tmp_path), files, NOW).url_of("about.md") == "/about.html"
    assert url_map(hugo_site(tmp_path), files, NOW).url_of("content/about.md") == "/about/"
    assert url_map(NO_SITE, files).url_of("about.md") is None


def test_two_files_claiming_one_url_are_collisions(tmp_path):
    site_samples.write(tmp_path, {"_config.yml": "permalink: /:title/\n",
                                  "_posts/2024-01-01-same.md": site_samples.fm(title="A"),
                                  "_posts/2024-02-02-same.md": site_samples.fm(title="B"),
                                  "same.md": site_samples.fm(permalink="/same/"),
                                  "other.md": site_samples.fm(title="C")})
    umap = _jekyll(tmp_path)
    assert umap.collisions == {"/same/": ["_posts/2024-01-01-same.md", "_posts/2024-02-02-same.md", "same.md"]}


def test_hugo_list_pages_without_a_file_are_served(tmp_path):
    site_samples.hugo_site_files(tmp_path)
    umap = _hugo(tmp_path)
    # Korean is the default language and has its `_index.md`; English has none: Hugo makes its home.
    assert umap.generated == {"/docs/en/", "/docs/en/news/", "/docs/guide/", "/docs/archive/",
                              "/docs/%ED%95%9C%EA%B8%80-%ED%8F%B4%EB%8D%94/", "/docs/tags/", "/docs/tags/open-data/",
                              "/docs/tags/%EC%A0%95%EC%B1%85-%EB%B8%8C%EB%A6%AC%ED%95%91/"}  # not a draft's tag
    assert umap.file_of("/docs/guide/") is None and umap.file_of("/docs/news/") == "content/news/_index.md"
    assert umap.serves("/docs/guide") and umap.serves("/docs/guide/index.html") and umap.serves("/docs/about/")
    assert umap.serves("/docs/img/logo.png") and not umap.serves("/docs/nothing/")
    assert not umap.serves("/docs/drafts/d/")


def test_hugo_static_of_the_project_wins_over_the_themes(tmp_path):
    site_samples.write(tmp_path, {"hugo.toml": 'baseURL = "/"\ntheme = "t"\n', "static/logo.png": "",
                                  "themes/t/static/logo.png": "", "themes/t/static/theme.css": ""})
    umap = _hugo(tmp_path)
    assert umap.file_of("/logo.png") == "static/logo.png"
    assert umap.file_of("/theme.css") == "themes/t/static/theme.css"


ODD_VALUES = ["", "null", "123", "-1.5", "[a, [b, c]]", "{a: b}", "2024-13-45", "2024-02-30 25:61:00",
              "'2024-01-01 10:00 XYZ'", "true", "'../../../etc'", "'/:nonsense/:year_/'", "'한글 값?#%'", "~",
              "!!binary aGVsbG8=", "'a\\tb'", "0x1F"]


@pytest.mark.parametrize("value", ODD_VALUES)
def test_odd_front_matter_values_never_break_the_map(tmp_path, value):
    keys = ["permalink", "slug", "date", "categories", "category", "published", "url", "aliases", "title", "draft",
            "publishDate", "expiryDate", "headless", "build"]
    post = "---\n" + "".join(f"{k}: {value}\n" for k in keys) + "---\n"
    site_samples.write(tmp_path, {"_config.yml": "permalink: /:categories/:year/:title/\ncollections: {c: {output: true}}\n",
                                  "_posts/2024-01-01-p.md": post, "_c/d.md": post, "page.md": post,
                                  "hugo.toml": 'baseURL = "/"\n[permalinks]\nposts = "/:year/:month/:slug/"\n',
                                  "content/posts/p.md": post, "content/b/index.md": post, "content/_index.md": post})
    for umap in (_jekyll(tmp_path), _hugo(tmp_path)):
        for entry in umap.entries.values():
            assert entry.url.startswith("/") and entry.output and not entry.output.startswith("/")
        json.loads(umap.to_json())


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(value=st.text(max_size=30), raw=st.booleans(), name=st.text(alphabet="ab한 -_.%#?", min_size=1, max_size=12))
def test_any_text_in_any_url_field_maps(tmp_path_factory, value, raw, name):
    root = tmp_path_factory.mktemp("s")
    shown = value.replace("\n", " ") if raw else json.dumps(value)
    post = "---\n" + "".join(f"{k}: {shown}\n" for k in ("permalink", "slug", "date", "categories", "url",
                                                           "aliases", "title")) + "---\n"
    name = name.strip(" .") or "x"
    site_samples.write(root, {"_config.yml": "", "hugo.toml": 'baseURL = "/"\n',
                              f"_posts/2024-01-01-{name}.md": post, f"{name}.md": post, f"content/s/{name}.md": post})
    for umap in (_jekyll(root), _hugo(root)):
        assert all(e.url.startswith("/") for e in umap.entries.values())


def test_jekyll_special_files_get_no_url_unless_included(tmp_path):
    site_samples.write(tmp_path, {"_config.yml": "include: [.well-known, _headers]\n", "_headers": "",
                                  ".well-known/security.txt": "", ".hidden.png": "", "_data/x.yml": "",
                                  "notes.md~": "", "assets/#tmp.png": "", "assets/ok.png": ""})
    files = ["_config.yml", "_headers", ".well-known/security.txt", ".hidden.png", "_data/x.yml", "notes.md~",
             "assets/#tmp.png", "assets/ok.png"]
    umap = jekyll_urls.url_map(jekyll_site(tmp_path), files, now=NOW)
    assert sorted(umap.entries) == [".well-known/security.txt", "_headers", "assets/ok.png"]
    assert umap.url_of("_headers") == "/_headers"


def test_hugo_taxonomies_from_the_config(tmp_path):
    site_samples.write(tmp_path, {"hugo.toml": 'baseURL = "/"\ndisableKinds = ["term"]\n[taxonomies]\nseries = "series"\n',
                                  "content/a.md": site_samples.fm(series="Deep Dive", tags="[x]")})
    assert _hugo(tmp_path).generated == {"/", "/series/"}  # `tags` is no taxonomy here, and no term has a page


def test_jekyll_plugin_pages(tmp_path):
    expected = site_samples.jekyll_plugins_site(tmp_path)
    umap = _jekyll(tmp_path)
    assert umap.generated == expected
    assert umap.serves("/b/page3") and umap.serves("/b/feed.xml") and not umap.serves("/b/page4/")
    (tmp_path / "robots.txt").write_text("", encoding="utf-8")
    (tmp_path / "_config.yml").write_text("plugins: [jekyll-paginate]\npaginate: 2\npaginate_path: /blog/p:num/\n",
                                          encoding="utf-8")
    assert _jekyll(tmp_path).generated == set()  # no blog/index.html to paginate


def test_the_site_zone_falls_back_to_the_machines(monkeypatch):
    monkeypatch.setenv("TZ", "America/New_York")
    zone = site_timezone(None)
    assert parse_jekyll_time("2024-07-01", zone).utcoffset() == dt.timedelta(hours=-4)  # summer time kept
    assert parse_jekyll_time("2024-01-01", zone).utcoffset() == dt.timedelta(hours=-5)
    assert site_timezone("Not/AZone") is not None and site_timezone("Asia/Seoul").key == "Asia/Seoul"


HEADS = {
    "plain": "---\ndate: 2024-03-05 23:30:00\ncategories: [News, 2024, true]\n---\nbody\n",
    "quoted-date": "---\ndate: '2024-03-05 23:30:00'\nslug: Busan Twin\n---\nbody\n",
    "crlf": "---\r\ntitle: a\r\npermalink: /x/:title/\r\n---\r\nbody\r\n",
    "bom": "\ufeff---\ndate: 2024-03-05\n---\nbody\n",
    "empty": "---\n---\nbody\n",
    "list": "---\n- a\n- b\n---\nbody\n",
    "broken": "---\ntitle: [unclosed\n---\nbody\n",
    "unclosed": "---\ntitle: a\nbody\n",
    "dots": "---\ntitle: a\n...\nbody\n",
    "fence-spaces": "---   \ndate: 2024-01-02\n---  \nbody\n",
    "no-front-matter": "# Title\n\nbody\n",
    "toml": "+++\ntitle = 'a'\n+++\nbody\n",
    "binary-value": "---\nslug: !!binary aGVsbG8=\n---\nbody\n",
    "nested-time": "---\ncategories: [2024-01-02]\npublished: false\n---\nbody\n",
    "list-key": "---\n? [a, b]\n: c\ndate: 2024-01-02\n---\nbody\n",
}


@pytest.mark.parametrize("name", sorted(HEADS))
def test_the_posts_own_parse_gives_the_map_reading_their_heads_gives(tmp_path, name):
    from newslint.document import Document
    from newslint.site.urls import url_record

    head = HEADS[name]
    files = {"_config.yml": "permalink: /:categories/:year/:month/:day/:title/\ntimezone: Asia/Seoul\n",
             f"_posts/2024-03-05-{name}.md": head, f"{name}.md": head}
    site_samples.write(tmp_path, files)
    site = jekyll_site(tmp_path)
    known = {}
    for rel in files:
        if rel.endswith(".md"):
            path = tmp_path / rel
            record = url_record(Document(str(path), path.read_bytes(), site=site))
            if record is not None:
                known[rel] = json.loads(json.dumps(record))  # as the cache gives it back
    read = jekyll_urls.url_map(site, jekyll_files(site), now=NOW)
    given_records = jekyll_urls.url_map(site, jekyll_files(site), now=NOW, known=known)
    assert given_records.to_dict() == read.to_dict()
    if name in ("plain", "quoted-date", "crlf", "empty", "no-front-matter"):
        assert f"{name}.md" in known  # the common heads never need the file read again
