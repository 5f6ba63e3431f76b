"""The pages Jekyll's gem plugins write with no file of the site behind them.

Only the plugins a site lists (``plugins:`` or the older ``gems:``) and only
what they always write: jekyll-feed's feed, jekyll-sitemap's sitemap (and a
``robots.txt`` when the site has none), jekyll-paginate's ``/page2/`` and on.
"""

from __future__ import annotations

from typing import Any, Collection, Mapping


def _plugins(config: Mapping[str, Any]) -> set[str]:
    names: set[str] = set()
    for key in ("plugins", "gems"):
        value = config.get(key)
        if isinstance(value, list):
            names.update(str(v) for v in value)
    return names


def plugin_pages(config: Mapping[str, Any], paths: Collection[str], posts: int) -> set[str]:
    """URLs (without the base path) the site's plugins write. ``paths`` are the site's files that
    Jekyll reads (relative to the root), ``posts`` the number of published posts."""
    plugins = _plugins(config)
    urls: set[str] = set()
    if "jekyll-feed" in plugins:
        feed = config.get("feed")
        path = feed.get("path") if isinstance(feed, Mapping) and isinstance(feed.get("path"), str) else "feed.xml"
        urls.add("/" + path.lstrip("/"))
    if "jekyll-sitemap" in plugins:
        urls.add("/sitemap.xml")
        if "robots.txt" not in paths:
            urls.add("/robots.txt")
    per_page = config.get("paginate")
    if ("jekyll-paginate" in plugins and isinstance(per_page, int) and not isinstance(per_page, bool)
            and per_page > 0):
        pattern = str(config.get("paginate_path") or "/page:num")
        folder = pattern.strip("/").rpartition("/")[0]
        # The paginated page is the `index.html` (that very name) of the folder the pattern sits in.
        if (f"{folder}/index.html" if folder else "index.html") in paths:
            pages = -(-posts // per_page)
            for n in range(2, pages + 1):
                url = "/" + pattern.replace(":num", str(n)).strip("/")
                urls.add(url + "/" if "." not in url.rsplit("/", 1)[-1] else url)
    return urls
