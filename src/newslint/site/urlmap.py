"""``url_map(site, files)``: the URL map of a site, by its generator's rules."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any, Iterable, Mapping

from . import Site
from .urls import UrlMap


def url_map(site: Site, files: Iterable[str | Path], now: dt.datetime | None = None,
            known: Mapping[str, Mapping[str, Any]] | None = None) -> UrlMap:
    """The URL of every file the site's generator reads.

    ``files`` are the files the generator reads, absolute or relative to
    ``site.root``: for Jekyll every file after its ``exclude``/``include``
    (pages, posts, documents and static files alike), for Hugo the files of
    its content and static folders. ``now`` is the build time (future posts
    are not written; Jekyll dates a document without a date by it).
    ``known`` holds what the linted files' own parse said of their heads
    (see :func:`~newslint.site.urls.url_record`), by path from the root.
    A file outside any site has no URL: its map is empty.
    """
    if site.is_jekyll:
        from .jekyll_urls import url_map as jekyll_map

        return jekyll_map(site, files, now, known)
    if site.is_hugo:
        from .hugo_urls import url_map as hugo_map

        return hugo_map(site, files, now)
    return UrlMap(site.generator, root=site.root or "")


def url_maker(site: Site, now: dt.datetime | None = None) -> Any:
    """What makes a site's URLs a file at a time, as the posts' facts come
    in (see :class:`~newslint.site.jekyll_urls.JekyllUrls`); None for a
    generator whose map is made at once."""
    if site.is_jekyll:
        from .jekyll_urls import JekyllUrls

        return JekyllUrls(site, now)
    return None
