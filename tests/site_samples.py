"""Small synthetic Jekyll and Hugo sites for the URL map tests.

Each writer makes a site in a folder and returns the URLs newslint must give
its files (site-relative path -> URL, None for a file the generator reads but
does not write). The same sites are built with the real generators in the
external tests, so these expectations are checked against Jekyll and Hugo
themselves.
"""

from __future__ import annotations

from pathlib import Path


def write(root: Path, files: dict[str, str]) -> None:
    for rel, text in files.items():
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")


def fm(**fields: str) -> str:
    return "---\n" + "".join(f"{k}: {v}\n" for k, v in fields.items()) + "---\nBody.\n"


# Jekyll: the default `date` style, Seoul time, a base URL, Korean names and categories.
JEKYLL_DATE_CONFIG = """\
timezone: Asia/Seoul
baseurl: /blog
collections:
  guides:
    output: true
    permalink: /guides/:path/
  notes:
    output: false
exclude: [url-list.txt]
defaults:
  - scope:
      path: manual
    values:
      permalink: /handbook/:basename/
  - scope:
      path: _posts/archive
      type: posts
    values:
      permalink: /archive/:year/:title/
"""


def jekyll_date_site(root: Path) -> dict[str, str | None]:
    write(root, {
        "_config.yml": JEKYLL_DATE_CONFIG,
        "_posts/2024-03-05-hello-world.md": fm(title="Hello"),
        "뉴스/_posts/2024-03-05-한글-제목.md": fm(title="한글 제목"),
        "en/news/_posts/2024-01-02-release.md": fm(categories="Release Notes"),
        "_posts/2024-01-03-briefing.md": fm(category="정책 브리핑"),
        "_posts/2024-01-04-tags.md": fm(categories="[Tech Talk, AI]"),
        "_posts/2024-02-01-late-utc.md": fm(date="2024-02-29 23:30:00"),
        "_posts/2024-02-01-late-local.md": fm(date='"2024-02-29 23:30:00"'),
        "_posts/2024-02-01-zoned.md": fm(date="2024-02-29 23:30:00 -05:00"),
        "_posts/2024-04-01-slugged.md": fm(slug="특별 기사", permalink="/:categories/:slug/"),
        "_posts/2024-04-02-templated.md": fm(permalink="/news/:year/:title/"),
        "_posts/2024-04-03-fixed.md": fm(permalink="/custom/path.html"),
        "_posts/2024-04-04-Q&A session.md": fm(title="Q and A"),
        "_posts/2024-04-05-hidden.md": fm(published="false"),
        "_posts/2099-01-01-future.md": fm(title="Later"),
        "_posts/notes.md": fm(title="not a dated name"),
        "_posts/2024-04-06-broken.md": "---\ntitle: [unclosed\n---\nBody.\n",
        "_guides/setup/install.md": fm(title="Install"),
        "_guides/diagram.png": "",
        "_notes/private.md": fm(title="Private"),
        "_posts/archive/2023-05-06-old.md": fm(title="Old"),
        "manual/guide.md": fm(title="Guide"),
        "about.md": fm(title="About"),
        "index.md": fm(title="Home"),
        "sub/index.html": fm(title="Sub"),
        "sub/contact.html": fm(title="Contact"),
        "feed.xml": fm(title="Feed"),
        "assets/img/x.png": "",
        "assets/한글 이미지.png": "",
        "_layouts/default.html": "{{ content }}\n",
        "url-list.txt": "",
    })
    return {
        "_posts/2024-03-05-hello-world.md": "/blog/2024/03/05/hello-world.html",
        "뉴스/_posts/2024-03-05-한글-제목.md":
            "/blog/%EB%89%B4%EC%8A%A4/2024/03/05/%ED%95%9C%EA%B8%80-%EC%A0%9C%EB%AA%A9.html",
        "en/news/_posts/2024-01-02-release.md": "/blog/en/news/release/notes/2024/01/02/release.html",
        "_posts/2024-01-03-briefing.md": "/blog/%EC%A0%95%EC%B1%85%20%EB%B8%8C%EB%A6%AC%ED%95%91/2024/01/03/briefing.html",
        "_posts/2024-01-04-tags.md": "/blog/tech%20talk/ai/2024/01/04/tags.html",
        "_posts/2024-02-01-late-utc.md": "/blog/2024/03/01/late-utc.html",
        "_posts/2024-02-01-late-local.md": "/blog/2024/02/29/late-local.html",
        "_posts/2024-02-01-zoned.md": "/blog/2024/03/01/zoned.html",
        "_posts/2024-04-01-slugged.md": "/blog/%ED%8A%B9%EB%B3%84-%EA%B8%B0%EC%82%AC/",
        "_posts/2024-04-02-templated.md": "/blog/news/2024/templated/",
        "_posts/2024-04-03-fixed.md": "/blog/custom/path.html",
        "_posts/2024-04-04-Q&A session.md": "/blog/2024/04/04/Q&A-session.html",
        "_posts/2024-04-05-hidden.md": None,
        "_posts/2099-01-01-future.md": None,
        "_posts/notes.md": None,  # not a dated name: Jekyll does not read it
        # Jekyll stops reading a post at a front matter error: no date or slug from its name, the build's date.
        "_posts/2024-04-06-broken.md": "/blog/{build_date}/2024-04-06-broken.html",
        "_guides/setup/install.md": "/blog/guides/setup/install/",
        "_guides/diagram.png": "/blog/guides/diagram.png",
        "_notes/private.md": None,
        "_posts/archive/2023-05-06-old.md": "/blog/archive/2023/old/",
        "manual/guide.md": "/blog/handbook/guide/",
        "about.md": "/blog/about.html",
        "index.md": "/blog/",
        "sub/index.html": "/blog/sub/",
        "sub/contact.html": "/blog/sub/contact.html",
        "feed.xml": "/blog/feed.xml",
        "assets/img/x.png": "/blog/assets/img/x.png",
        "assets/한글 이미지.png": "/blog/assets/%ED%95%9C%EA%B8%80%20%EC%9D%B4%EB%AF%B8%EC%A7%80.png",
    }


# One post under each built-in style, and a template with the rarer tokens.
JEKYLL_STYLE_POSTS = {
    "카테고리/_posts/2024-03-09-첫 글.md": fm(title="First"),
    "_posts/2024-12-30-year-end.markdown": fm(categories="[연말, News]"),
}

JEKYLL_STYLES = {
    "pretty": {
        "카테고리/_posts/2024-03-09-첫 글.md": "/%EC%B9%B4%ED%85%8C%EA%B3%A0%EB%A6%AC/2024/03/09/%EC%B2%AB-%EA%B8%80/",
        "_posts/2024-12-30-year-end.markdown": "/%EC%97%B0%EB%A7%90/news/2024/12/30/year-end/",
        "about.md": "/about/",
    },
    "ordinal": {
        "카테고리/_posts/2024-03-09-첫 글.md": "/%EC%B9%B4%ED%85%8C%EA%B3%A0%EB%A6%AC/2024/069/%EC%B2%AB-%EA%B8%80.html",
        "_posts/2024-12-30-year-end.markdown": "/%EC%97%B0%EB%A7%90/news/2024/365/year-end.html",
        "about.md": "/about.html",
    },
    "weekdate": {
        "카테고리/_posts/2024-03-09-첫 글.md": "/%EC%B9%B4%ED%85%8C%EA%B3%A0%EB%A6%AC/2024/W10/Sat/%EC%B2%AB-%EA%B8%80.html",
        "_posts/2024-12-30-year-end.markdown": "/%EC%97%B0%EB%A7%90/news/2024/W01/Mon/year-end.html",
        "about.md": "/about",  # a page takes neither `/` nor `.html` from this style
    },
    "none": {
        "카테고리/_posts/2024-03-09-첫 글.md": "/%EC%B9%B4%ED%85%8C%EA%B3%A0%EB%A6%AC/%EC%B2%AB-%EA%B8%80.html",
        "_posts/2024-12-30-year-end.markdown": "/%EC%97%B0%EB%A7%90/news/year-end.html",
        "about.md": "/about.html",
    },
    "/:short_year/:i_month/:i_day/:slugified_categories/:name:output_ext": {
        "카테고리/_posts/2024-03-09-첫 글.md":
            "/24/3/9/%EC%B9%B4%ED%85%8C%EA%B3%A0%EB%A6%AC/2024-03-09-%EC%B2%AB-%EA%B8%80.html",
        "_posts/2024-12-30-year-end.markdown": "/24/12/30/%EC%97%B0%EB%A7%90/news/2024-12-30-year-end.html",
        "about.md": "/about.html",
    },
    "/:year/:month/:title/": {
        "카테고리/_posts/2024-03-09-첫 글.md": "/2024/03/%EC%B2%AB-%EA%B8%80/",
        "_posts/2024-12-30-year-end.markdown": "/2024/12/year-end/",
        "about.md": "/about/",
    },
}


def jekyll_style_site(root: Path, style: str) -> dict[str, str | None]:
    write(root, {"_config.yml": f"permalink: {style!r}\ntimezone: UTC\n", "about.md": fm(title="About"),
                 **JEKYLL_STYLE_POSTS})
    return dict(JEKYLL_STYLES[style])


# Hugo: two languages by file name suffix, a base path, [permalinks] with a date, uglyURLs for one section.
HUGO_CONFIG = """\
baseURL = "https://example.org/docs/"
defaultContentLanguage = "ko"
disableKinds = ["RSS", "sitemap"]
[languages.ko]
weight = 1
[languages.en]
weight = 2
[permalinks]
news = "/:section/:year/:month/:slug/"
[uglyURLs]
archive = true
"""

# Layouts with which each built page prints `file<TAB>URL<TAB>aliases` for itself.
_HUGO_SELF = "{{ with .File }}{{ .Filename }}{{ end }}\t{{ .RelPermalink }}\t{{ delimit .Aliases \" \" }}\n"
HUGO_LAYOUTS = {"layouts/_default/single.html": _HUGO_SELF, "layouts/_default/list.html": _HUGO_SELF}


def hugo_site_files(root: Path, layouts: bool = False) -> dict[str, str | None]:
    write(root, {
        "hugo.toml": HUGO_CONFIG,
        "content/_index.md": fm(title="홈"),
        "content/news/_index.md": fm(title="뉴스"),
        "content/news/첫-기사.md": fm(title="첫 기사", date="2024-03-05"),
        "content/news/second.md": fm(title="Second", slug="Custom Slug", date="2024-04-01T23:30:00+09:00",
                                     tags="[정책 브리핑, Open Data]"),
        "content/news/second.en.md": fm(title="Second (English)", slug="second-en", date="2024-04-02"),
        "content/about.md": fm(title="About"),
        "content/About Us.md": fm(title="About us"),
        "content/guide/install/index.md": fm(title="Install"),
        "content/guide/install/diagram.png": "",
        "content/guide/page.md": fm(title="Placed", url="/custom/place/"),
        "content/guide/aliased.md": fm(title="Moved", aliases="[/old/path/, older]"),
        "content/archive/old-post.md": fm(title="Old"),
        "content/drafts/d.md": fm(title="Draft", draft="true", tags="[unused]"),
        "content/future.md": fm(title="Later", date="2099-01-01"),
        "content/한글 폴더/글.md": fm(title="글"),
        "static/img/logo.png": "",
        **(HUGO_LAYOUTS if layouts else {}),
    })
    return {
        "content/_index.md": "/docs/",
        "content/news/_index.md": "/docs/news/",
        "content/news/첫-기사.md": "/docs/news/2024/03/%EC%B2%AB-%EA%B8%B0%EC%82%AC/",
        "content/news/second.md": "/docs/news/2024/04/custom-slug/",
        "content/news/second.en.md": "/docs/en/news/2024/04/second-en/",
        "content/about.md": "/docs/about/",
        "content/About Us.md": "/docs/about-us/",
        "content/guide/install/index.md": "/docs/guide/install/",
        "content/guide/install/diagram.png": "/docs/guide/install/diagram.png",
        "content/guide/page.md": "/docs/custom/place/",
        "content/guide/aliased.md": "/docs/guide/aliased/",
        "content/archive/old-post.md": "/docs/archive/old-post.html",
        "content/drafts/d.md": None,
        "content/future.md": None,
        "content/한글 폴더/글.md": "/docs/%ED%95%9C%EA%B8%80-%ED%8F%B4%EB%8D%94/%EA%B8%80/",
        "static/img/logo.png": "/docs/img/logo.png",
    }


# Hugo: a folder per language, every language in its subfolder, uglyURLs everywhere. (No `_index.md`:
# with uglyURLs, Hugo 0.111 and 0.168 put section pages in different places.)
HUGO_LANG_DIRS_CONFIG = """\
baseURL = "https://example.org/"
defaultContentLanguage = "en"
defaultContentLanguageInSubdir = true
uglyURLs = true
disableKinds = ["taxonomy", "term", "RSS", "sitemap"]
[languages.en]
contentDir = "content/english"
weight = 1
[languages.ko]
contentDir = "content/korean"
weight = 2
"""


def hugo_lang_dirs_site(root: Path, layouts: bool = False) -> dict[str, str | None]:
    write(root, {
        "hugo.toml": HUGO_LANG_DIRS_CONFIG,
        "content/english/posts/hello.md": fm(title="Hello"),
        "content/english/posts/trip/index.md": fm(title="Trip"),
        "content/english/posts/trip/map.jpg": "",
        "content/korean/posts/hello.md": fm(title="안녕", slug="안녕하세요"),
        "content/korean/posts/relative.md": fm(title="상대", url="news/relative/"),
        **(HUGO_LAYOUTS if layouts else {}),
    })
    return {
        "content/english/posts/hello.md": "/en/posts/hello.html",
        "content/english/posts/trip/index.md": "/en/posts/trip.html",
        "content/english/posts/trip/map.jpg": "/en/posts/trip/map.jpg",
        "content/korean/posts/hello.md": "/ko/posts/%EC%95%88%EB%85%95%ED%95%98%EC%84%B8%EC%9A%94.html",
        "content/korean/posts/relative.md": "/ko/news/relative/",
    }


# Jekyll with the gem plugins Debian packages: the pages they write with no file behind them.
def jekyll_plugins_site(root: Path) -> set[str]:
    write(root, {"_config.yml": "plugins: [jekyll-feed, jekyll-sitemap, jekyll-paginate]\npaginate: 2\nbaseurl: /b\n",
                 "index.html": fm(title="Home"),
                 **{f"_posts/2024-01-0{i}-p{i}.md": fm(title=f"P{i}") for i in range(1, 6)},
                 "_posts/2024-01-09-hidden.md": fm(published="false")})
    return {"/b/feed.xml", "/b/sitemap.xml", "/b/robots.txt", "/b/page2/", "/b/page3/"}
