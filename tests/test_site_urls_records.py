"""The URL entry reads a post's record (its worker's facts) directly: it must
say what :func:`~newslint.site.urls.read_of_record` says of the same record."""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import pytest

from newslint.site import jekyll_permalink, jekyll_text, jekyll_urls
from newslint.site.urls import YamlTime, read_of_record

RECORDS = [
    {"hdr": True, "ok": True, "fm": {}},
    {"hdr": False, "ok": True, "fm": {}},
    {"hdr": True, "ok": False, "fm": {}},
    {"hdr": True, "ok": True, "fm": {"date": "2020-01-02 10:00:00", "slug": "a"}, "times": ["date"]},
    {"hdr": True, "ok": True, "fm": {"date": "2020-01-02", "categories": ["x", "y"], "permalink": "/:title/"}},
    {"hdr": True, "ok": True, "fm": {"Date": "2020-01-02 10:00:00", "published": False}, "times": ["Date"]},
    {"hdr": True, "ok": True, "fm": {"category": "news", "date": None}, "times": []},
]


@pytest.mark.parametrize("record", RECORDS)
def test_read_of_a_record_is_read_of_record(tmp_path: Path, record: dict) -> None:
    site = jekyll_urls.Site(root=str(tmp_path), generator="jekyll", config={"timezone": "UTC"})
    cfg = jekyll_urls._config(site, dt.datetime(2025, 1, 1, tzinfo=dt.timezone.utc))
    cfg.known = {"_posts/2020-01-02-a.md": record}
    defaults, uncertain, front = jekyll_urls._read(cfg, tmp_path, "_posts/2020-01-02-a.md", "posts",
                                                   "_posts/2020-01-02-a.md")
    read = read_of_record(record)
    assert front == dict(read.data)
    assert [type(v) for v in front.values()] == [type(v) for v in read.data.values()]
    assert any(type(v) is YamlTime for v in front.values()) == bool(record.get("times"))
    assert (uncertain == "") == read.ok
    assert defaults == {}


@pytest.mark.parametrize("value", ["2020", "bg/news", "ruby-1-8-7", "한국어-제목", "a b#c", "", "50%/x?y"])
def test_escaped_values_are_escape_path(value: str) -> None:
    assert jekyll_permalink._escape_value(value) == jekyll_text.escape_path(value)
    assert jekyll_permalink.fill_template("/:title/", {"title": value}) == "/" + jekyll_text.escape_path(value) + "/"
