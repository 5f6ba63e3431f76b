"""The site phase's shortcuts give what the straightforward computation gives."""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path

import pytest

from newslint.site.jekyll_text import escape_path
from newslint.site.jekyll_time import parse_jekyll_time, site_timezone, time_values
from newslint.site.jekyll_urls import UnknownToken, fill_template
from newslint.site.urls import YamlTime, relative_paths
from newslint.site import jekyll_time

_TOKEN = re.compile(r":([a-z_]+)")


def _fill_by_regex(template, values):
    def one(m):
        name = m.group(1)
        for key in ([name, name[:-1]] if name.endswith("_") else [name]):
            if key in values:
                return m.group(0).replace(":" + key, escape_path(values[key]), 1)
        raise UnknownToken(name)

    return _TOKEN.sub(one, template)


VALUES = {"categories": "en/news", "year": "2024", "month": "03", "day": "01", "title": "Busan Twin",
          "slug": "a:b", "output_ext": ".html", "path": "/x y/é"}


@pytest.mark.parametrize("template", [
    "/:categories/:year/:month/:day/:title/", "/:categories/:title:output_ext", ":year_:month_:title_",
    "/blog/:slug", "no tokens", "", ":path:output_ext", "/:title_x/", "/:categories/:year/W:week/"])
def test_fill_template_matches_the_regex_fill(template):
    try:
        want = _fill_by_regex(template, VALUES)
    except UnknownToken as exc:
        with pytest.raises(UnknownToken) as got:
            fill_template(template, VALUES)
        assert str(got.value) == str(exc)
    else:
        assert fill_template(template, VALUES) == want


# Jekyll's URL drop makes its time tokens with these strftime formats (the C locale's names).
_STRFTIME = {"year": "%Y", "month": "%m", "day": "%d", "hour": "%H", "minute": "%M", "second": "%S",
             "short_month": "%b", "long_month": "%B", "short_year": "%y", "w_year": "%G", "week": "%V",
             "w_day": "%u", "short_day": "%a", "long_day": "%A", "y_day": "%j"}


def _time_values_direct(t):
    return {**{k: t.strftime(f) for k, f in _STRFTIME.items()}, "i_day": str(t.day), "i_month": str(t.month)}


def test_time_values_read_the_wall_clock_in_any_zone():
    seoul, utc = site_timezone("Asia/Seoul"), dt.timezone.utc
    for t in (dt.datetime(2024, 12, 31, 23, 59, 59, tzinfo=utc), dt.datetime(2024, 12, 31, 23, 59, 59, tzinfo=utc)
              .astimezone(seoul), dt.datetime(2021, 1, 3, 5, 6, 7), dt.datetime(2020, 2, 29, tzinfo=seoul)):
        got = time_values(t)
        assert got == _time_values_direct(t)
        got["year"] = "changed"  # each caller gets its own dict
        assert time_values(t) == _time_values_direct(t)


@pytest.mark.parametrize("value", [
    "2024-03-01", "2024-03-01 10:00:00", "2024-03-01 23:30:00 +0900", "2024-03-01T01:02:03Z", "2024/3/1 9:05",
    "2024-03-01 10:00:00 KST", "2024-03-01 10:00:00 XYZ", "2024-13-01", "not a date", "2024-03-01 10:00:00.123456"])
@pytest.mark.parametrize("zone", ["UTC", "Asia/Seoul", "America/New_York"])
def test_parsed_times_are_the_same_read_again_and_as_yaml_times(value, zone):
    tz = site_timezone(zone)
    for v in (value, YamlTime(value)):
        jekyll_time._parse_text.cache_clear()
        first = parse_jekyll_time(v, tz)
        again = parse_jekyll_time(v, tz)
        assert first == again and (first is None or first.tzinfo == again.tzinfo)
    plain, yaml_time = parse_jekyll_time(value, tz), parse_jekyll_time(YamlTime(value), tz)
    if plain is not None and " " in value.strip() and not value.rstrip()[-1].isalpha() and "+" not in value \
            and zone != "UTC":
        assert plain != yaml_time  # a zone-less timestamp: UTC for Psych, local for a string


@pytest.mark.parametrize("rel", ["a", "a/b.md", "a//b", "./a", "a/./b", "a/", "a/.", ".", "..", "../a", "a/..",
                                 ".a/b", "a./b", "x/y.md", "_posts/2024-01-01-x.md"])
def test_relative_paths_write_relative_names_as_pathlib_does(tmp_path, rel):
    assert relative_paths(tmp_path, [rel]) == [Path(rel).as_posix()]
    assert relative_paths(tmp_path, [str(tmp_path / "a" / "b.md"), Path("c/d")]) == ["a/b.md", "c/d"]


def test_lines_place_offsets_as_the_line_table_does():
    import random

    from newslint.source import LineCursor, SourceText

    rng = random.Random(7)
    for text in ("", "\n", "one line", "a\nb\n\nc", "\n\nx\r\ny\u2028z\n", "가나\n다라마\n" * 40):
        table = SourceText(text)
        lines = LineCursor(text)
        offsets = [rng.randint(-3, len(text) + 3) for _ in range(60)]
        offsets += sorted(offsets) + [len(text), 0, len(text) + 9, -1]
        for off in offsets:
            assert lines.position(off) == table.position(off), (text, off)
        for start, end in zip(offsets, offsets[1:] + offsets[:1]):
            for a, b in ((start, end), (min(start, end), max(start, end))):
                assert lines.span(a, b) == [*table.position(a), *table.position(b)], (text, a, b)


def _image_keys_by_front_image(data, always):
    from newslint.frontmatter import front_image
    from newslint.site.facts import _IMAGE_FILE

    keys = list(always)
    names = [k for k in data if isinstance(k, str)]
    names += [f"{k}.{sub}" for k in names if isinstance(data[k], dict) for sub in data[k] if isinstance(sub, str)]
    for key in names:
        if key not in keys:
            found = front_image(data, key)
            if found is not None and _IMAGE_FILE.search(found.split("?", 1)[0]):
                keys.append(key)
    return keys


def test_image_keys_pass_over_values_that_name_no_image():
    from newslint.frontmatter import front_image
    from newslint.site.facts import IMAGE_KEYS, _front_images

    samples = [
        {}, {"title": "a.png", "date": dt.date(2024, 1, 1), "n": 3, "tags": ["x.png"], "ok": True},
        {"hero": {"src": "/img/a.jpg", "alt": "x"}, "og.image": "b.webp", "og": {"image": "c.gif"}},
        {"banner": YamlTime("2024-01-01"), "cover": "d.svg?v=1", 5: "e.png", "thumb": " f.PNG ", "x": None},
        {"a": {"b": {"path": "g.png"}}, "seo": {"image": {"url": "h.avif"}, "n": 1}, "f": 1.5, "empty": ""},
    ]
    for data in samples:
        for always in (IMAGE_KEYS, ()):
            keys = _image_keys_by_front_image(data, always)
            assert _front_images(data, always) == [(k, front_image(data, k)) for k in keys
                                                   if front_image(data, k) is not None]


def test_categories_token_matches_the_categories_read_each_time():
    from newslint.site.jekyll_urls import _categories_token, _document_categories

    samples = [
        {"categories": ["en", "news"]}, {"categories": ["en", "news"], "category": "Release"},
        {"categories": ["en", "News", "news", "a b"]}, {"categories": []}, {"categories": "a b"},
        {"categories": ["x", ["y", None, ["Z"]], 3]}, {"categories": ["x"], "category": 5}, {"category": "solo"},
        {}, {"categories": None, "category": None}, {"categories": ["Ünï", "ünï"], "category": "x"},
    ]
    for data in samples:
        for uncertain in ("", "its front matter does not parse"):
            want = "/".join(dict.fromkeys(c.lower() for c in _document_categories(data, uncertain)))
            assert _categories_token(data, uncertain) == want
            assert _categories_token(data, uncertain) == want  # read again


SLUG_TEXTS = ["Hello, World!", "-lead and trail-", "--", "-", "", "a\nb", "\n-x-\n", "  spaced  out  ", "한글 제목 - 2024",
              "dots...", "...", "a.b..", "Ünïcödé—dash", "tab\there", "x-\n-y", "  -  ", "-a-\n", "a--b"]


@pytest.mark.parametrize("text", SLUG_TEXTS)
def test_slugify_trims_hyphens_as_rubys_gsub_does(text):
    from newslint.site.jekyll_text import _SLUG_RE, slugify

    edge = re.compile(r"^-|-$", re.M)
    for mode in ("raw", "default", "pretty", "ascii"):
        for cased in (True, False):
            slug = edge.sub("", _SLUG_RE[mode].sub("-", text))
            assert slugify(text, mode, cased) == (slug if cased else slug.lower())


@pytest.mark.parametrize("text", SLUG_TEXTS)
def test_trailing_dots_go_as_the_pattern_takes_them(text):
    from newslint.site.jekyll_text import sanitize_url
    from newslint.site.jekyll_urls import _no_trailing_dots

    assert _no_trailing_dots(text) == re.sub(r"\.*\Z", "", text)
    url = ("/" + text).replace("..", "/").replace("./", "")
    assert sanitize_url(text) == re.sub(r"/{2,}", "/", url)


def test_collection_of_a_folder_is_that_of_each_of_its_files():
    from newslint.site import Site
    from newslint.site.jekyll_urls import _collection_of, _collection_of_path, _config

    rels = ["index.md", "_posts/2024-01-01-a.md", "_posts/sub/2024-01-01-b.md", "en/news/_posts/2024-01-01-c.md",
            "_drafts/d.md", "_recipes/e.md", "_recipes/f.md", "_recipes", "x/_posts/g.md", "_x/_posts/h.md",
            "coll/_recipes/i.md", "coll/_posts/2024-01-01-j.md", "coll/k.md", "coll", "_posts/_drafts/l.md"]
    for config in ({"collections": ["recipes"]}, {"collections": {"recipes": {"output": True}}, "collections_dir": "coll"}):
        site = Site(root="/nonexistent", generator="jekyll", config=config)
        cfg = _config(site, None)
        for rel in rels + rels[::-1]:
            assert _collection_of(rel, cfg) == _collection_of_path(rel, cfg), (config, rel)


def test_facts_leave_out_only_the_links_no_site_check_follows(tmp_path):
    from newslint.document import Document
    from newslint.site.facts import extract
    from newslint.site.find import SiteFinder
    from newslint.site.index import SiteIndex

    (tmp_path / "_config.yml").write_text("url: https://www.Example.org\n", encoding="utf-8")
    targets = ["https://other.org/a#b", "https://www.example.org/2024/", "HTTP://WWW.EXAMPLE.ORG/x/",
               "http://me@www.example.org/y/", "https://www.example.org:8080/z/", " https://other.org/ ",
               "/about/", "../up/", "#top", "mailto:desk@example.org", "https:/odd", "http:x", "httpd/local",
               "https://other.org/{{ page.slug }}/", "{{ site.url }}/in/", "{% link a.md %}"]
    body = "".join(f'<a href="{t}">x</a>\n' if " " in t else f"[x]({t})\n\n" for t in targets)
    post = tmp_path / "_posts" / "2024-03-01-a.md"
    post.parent.mkdir()
    post.write_text(f"---\ntitle: a\n---\n{body}", encoding="utf-8")
    site = SiteFinder().site_for_folder(str(tmp_path))
    kept = [link[0] for link in extract(Document(str(post), post.read_bytes(), site=site))["links"]]
    left_out = [t for t in targets if t not in kept]
    assert left_out == ["https://other.org/a#b", "https://www.example.org:8080/z/", " https://other.org/ "]
    # Each is a full address the site's checks read as another site's, whatever page links it.
    index = SiteIndex(site, {})
    assert all(index.local_path(t) is None for t in left_out)


def test_yaml_block_span_is_where_the_block_pattern_finds_the_yaml():
    import random

    from newslint.site.urls import yaml_block_span

    # The one-pattern reading of a YAML block (lazy: slow on long heads).
    block = re.compile(r"\A---\s*\n(.*?\n?)^(?:---|\.\.\.)\s*$\n?", re.M | re.S)

    rng = random.Random(11)
    parts = ["---", "...", "-", ".", " ", "\t", "\n", "\r\n", "\u2028", "\x0b", "a: 1", "#", "--", "----", "x",
             "\n---", "\n...", "\n--- \n"]
    samples = ["---\n---\n", "---\n\n---", "---  \n \n...\t\n", "--- \na\n---x\n---\n", "---\r\n---\r\n"]
    opens = ["", "\n", " \n", "\n \n", "\t\r\n", "\n\n"]
    samples += ["---" + rng.choice(opens) + "".join(rng.choice(parts) for _ in range(rng.randint(0, 14)))
                for _ in range(20000)]
    for text in samples:
        m = block.match(text)
        assert yaml_block_span(text) == (None if m is None else (m.start(1), m.end(1))), repr(text)


def test_the_results_held_for_the_site_phase_are_frozen_only_while_they_come_in():
    import gc
    from types import SimpleNamespace

    from newslint.model import FileResult
    from newslint.sitephase import fed

    gc.unfreeze()
    run = SimpleNamespace(site_indexes={})
    keys = [(None, "/site")] * 700
    seen = []
    for n, result in enumerate(fed(run, keys, iter(FileResult(f"p{i}.md", []) for i in range(700))), 1):
        if n == 600:  # counting the frozen objects walks them all: asked once
            seen.append(gc.get_freeze_count())
    assert seen[0] > 0  # frozen while held
    assert gc.get_freeze_count() == 0  # and nothing stays frozen in a process that goes on


def test_sanitize_url_collapses_slashes_as_the_pattern_does():
    import itertools

    from newslint.site.jekyll_text import sanitize_url

    pieces = ["/", "//", "a", ".", "..", "./", "x.html", "ü"]
    for n in range(1, 5):
        for parts in itertools.product(pieces, repeat=n):
            text = "".join(parts)
            url = ("/" + text).replace("..", "/").replace("./", "")
            assert sanitize_url(text) == re.sub(r"/{2,}", "/", url), text
