"""The URL entry of the common Jekyll post, made without the general path's
layers: a site without front-matter defaults or `collections_dir`, a post
whose front matter gives no more than its `date` and a `permalink` string,
both read by its worker (see :func:`~newslint.site.urls.url_record`).

:func:`common_post` gives what ``jekyll_urls._document`` gives such a post,
or None for any other post, or when the general path has more to say (a date
Jekyll cannot read, a token it does not know): the general path answers then.
The parts of a URL both paths use are here too.
"""

from __future__ import annotations

import os
import re
from functools import lru_cache
from typing import Any, Mapping
from urllib.parse import unquote

from .jekyll_permalink import UnknownToken, drop_keys, fill_template, permalink_suffix
from .jekyll_text import ruby_str, sanitize_url, slugify
from .jekyll_time import TIME_KEYS, parse_jekyll_time, wall_values
from .urls import UrlEntry, join_base

_PLAIN_KEYS = frozenset({"date", "permalink"})
DATE_NAME = re.compile(r"^(?:.+/)*?(\d{2,4}-\d{1,2}-\d{1,2})-([^/]*)(\.[^.]+)$")


def common_post(cfg: Any, rel: str, base: str) -> UrlEntry | None:
    """The entry of the post at ``rel`` (in a `_posts` folder, its name dated), or None."""
    record = cfg.known.get(rel)
    if record is None or cfg.defaults or cfg.collections_dir or not record["ok"] or record.get("times"):
        return None
    front = record["fm"]
    if not front.keys() <= _PLAIN_KEYS:
        return None
    permalink = front.get("permalink")
    if permalink is not None and permalink.__class__ is not str:
        return None
    m = DATE_NAME.match(rel)
    if m is None:
        return None
    name = rel.rpartition("/")[2]
    dot = name.rfind(".")  # os.path.splitext of a name without "/": its extension
    ext = name[dot:] if dot > 0 and (name[0] != "." or name[:dot].lstrip(".")) else ""
    at = rel.find("_posts")
    path_cats = () if at == 0 else _folder_categories(rel if at < 0 else rel[:at], "_posts")
    if name in path_cats:
        path_cats = tuple(c for c in path_cats if c != name)
    slug = m.group(2).rstrip(".")
    date = front.get("date")
    when = parse_jekyll_time(date if date is not None else m.group(1), cfg.tz)
    if when is None:
        return None
    out_ext = output_ext(cfg, ext, permalink)
    template = permalink if permalink else cfg.collections["posts"].get("permalink") \
        or permalink_suffix("/:collection/:path", cfg.style)
    template = ruby_str(template)
    values: dict[str, str] = {}
    wall = None
    for key in drop_keys(template):
        if key in TIME_KEYS:
            if wall is None:
                wall = wall_values(when)
            values[key] = wall[key]
        elif key == "title":
            values[key] = slugify(slug, "pretty", True) or ""
        elif key == "categories":
            values[key] = _plain_categories_token(path_cats, None, False)  # _categories_token of plain ones
        elif key == "output_ext":
            values[key] = out_ext
        else:
            return None  # a token the general path fills
    try:
        url = sanitize_url(fill_template(template, values))
    except UnknownToken:
        return None
    written = bool(cfg.collections["posts"].get("output")) and (cfg.future or when <= cfg.now)
    return UrlEntry(rel, join_base(base, url), _destination(url, out_ext, "index.html"), "post", written, "")


# The parts of a document's URL the general path (jekyll_urls) shares.
def _categories(data: Mapping[str, Any]) -> list[str]:
    """``Document#populate_categories``: the merged ones, then `category` (kept whole) or `categories` (split)."""
    cats = data.get("categories")
    out = list(cats) if isinstance(cats, list) else ([] if cats is None else [cats])
    if data.get("category") is not None:
        out.append(data["category"])
    elif isinstance(cats, str):
        out += cats.split()
    elif isinstance(cats, list):
        out += cats
    return list(dict.fromkeys(ruby_str(c) for c in _flatten(out)))


def _flatten(values: list[Any]) -> list[Any]:
    out: list[Any] = []
    for v in values:
        if isinstance(v, list):
            out += _flatten(v)
        elif v is not None:
            out.append(v)
    return out


def output_ext(cfg: Any, ext: str, permalink: Any) -> str:
    """``Renderer#output_ext``: the permalink's extension, else the converter's."""
    if isinstance(permalink, str) and permalink and not permalink.endswith("/"):
        pext = os.path.splitext(permalink.rsplit("/", 1)[-1])[1]
        if pext:
            return pext
    low = ext.lower()
    if low in cfg.markdown_exts:
        return ".html"
    if low in (".scss", ".sass"):
        return ".css"
    return ext


@lru_cache(maxsize=1024)
def _folder_categories(above: str, special: str) -> tuple[str, ...]:
    """The categories of the folders ``above`` a collection's folder (posts of a folder share them)."""
    return tuple(c for c in above.split("/") if c and c != special)


def _document_categories(data: Mapping[str, Any], uncertain: str) -> list[str]:
    return _categories(data) if not uncertain else [ruby_str(c) for c in _flatten([data.get("categories")])]


def _categories_token(data: Mapping[str, Any], uncertain: str) -> str:
    """``:categories``: posts of a folder mostly share their categories, so
    plain ones (strings) are joined once for all."""
    cats, one = data.get("categories"), data.get("category")
    if cats.__class__ is list and (one is None or one.__class__ is str) and all(c.__class__ is str for c in cats):
        return _plain_categories_token(tuple(cats), one, bool(uncertain))
    return "/".join(dict.fromkeys(c.lower() for c in _document_categories(data, uncertain)))


@lru_cache(maxsize=1024)
def _plain_categories_token(cats: tuple[str, ...], one: str | None, uncertain: bool) -> str:
    data = {"categories": list(cats), "category": one}
    return "/".join(dict.fromkeys(c.lower() for c in _document_categories(data, "!" if uncertain else "")))


def _destination(url: str, ext: str, index: str) -> str:
    path = unquote(url).lstrip("/")
    if url.endswith("/"):
        return path + index
    return path if path.endswith(ext) else path + ext
