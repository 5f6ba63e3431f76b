"""The facts of one post that checks across the site need, from its one parse.

A worker extracts them next to the post's findings; they are plain JSON
(cached with the post, sent back from a worker as is), so the site phase
never parses a post again:

* ``fm``: the front-matter values the checks read: the post's title and
  language (as written: strings, numbers, lists of strings; what decides a
  Jekyll post's URL is in ``url``);
* ``links`` and ``images``: ``[target, line, column, end line, end column]``
  of every Markdown link and image, ``<a href>``, ``<img src>`` and each
  ``srcset`` candidate, and front-matter image keys; links to another host
  (a full address whose host is not the site's) are left out: no check
  across the site follows them, and they are most of a post's links;
* ``headings``: the Markdown source of each heading, in order (a page's
  heading ids, by the site's renderer, are made from them only when a link
  asks for them: see :func:`~newslint.site.ids.heading_ids`);
* ``ids``: the other ids the page will have: kramdown's ``{: #id}`` and
  ``id=``/``name=`` attributes;
* ``suppress``: the post's suppression comments, as line ranges per rule;
* ``url`` (Jekyll): what the URL map needs of the file's head (see
  :func:`~newslint.site.urls.url_record`).
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

from yaml import MappingNode, ScalarNode

from ..frontmatter import front_image
from ..source import LineCursor
from .index import elsewhere, own_host
from .urls import url_record

# Front-matter keys whose values the checks across a site read (a title, a language).
FM_KEYS = ("title", "lang", "language")
IMAGE_KEYS = ("image", "feature_image", "cover", "thumbnail")
_SCALARS = (str, int, float, bool)
_IMAGE_FILE = re.compile(r"\.(?:png|jpe?g|gif|webp|avif|svg|bmp|ico|tiff?)\Z", re.I)
_HUGO_FIGURE = re.compile(r"""\{\{[<%]\s*figure\b[^}]*?\bsrc\s*=\s*(["'])([^"']+)\1[^}]*[>%]\}\}""")
_IAL_ID = re.compile(r"\{:\s*(?:[^}#]*?\s)?#([^\s}.#]+)[^}]*\}")


def _plain(value: Any) -> Any:
    if isinstance(value, _SCALARS):
        return value
    if isinstance(value, (list, tuple)):
        return [str(v) for v in value if isinstance(v, _SCALARS)]
    if value is not None and not isinstance(value, dict):
        return str(value)  # dates, times
    return None


def extract(doc: Any, image_keys: tuple[str, ...] = IMAGE_KEYS, resolve: Any = None) -> dict[str, Any]:
    lines = LineCursor(doc.text)
    position = lines.position
    out: dict[str, Any] = {"fm": {}, "links": [], "images": [], "ids": []}
    fm = doc.front_matter
    data = fm.data if fm is not None and fm.ok and isinstance(fm.data, dict) else None
    if data is not None:
        plain = out["fm"]
        for k in FM_KEYS:
            if k in data:
                v = _plain(data[k])
                if v is not None:
                    plain[k] = v
        if "title" in plain:
            out["title_at"] = [*position(_key_start(fm, "title"))]  # where the title's key starts
        for key, value in _front_images(data, image_keys):
            span = _key_span(fm, key)
            line, col = position(span[0])
            eline, ecol = position(span[1])
            out["images"].append([value, line, col, eline, ecol, key])
    if not doc.ok:
        return out
    if doc.site.is_jekyll:
        record = url_record(doc)
        if record is not None:
            out["url"] = record

    span = lines.span

    def add(kind: str, target: str | None, start: int, end: int) -> None:
        if target:
            out[kind].append([target, *span(start, end)])

    links = out["links"]
    host = own_host(doc.site.config)
    md = doc.markdown
    followed = _FOLLOWED.get(host)
    if followed is None:
        followed = _FOLLOWED[host] = {}
    for link in md.links:
        dest = link.dest
        if not dest:
            continue
        keep = followed.get(dest)
        if keep is None:
            keep = "{" in dest or not _elsewhere(dest, host)
            if len(followed) < 8192:
                followed[dest] = keep
        if keep:
            if link.link_type == "Email" and not dest.lower().startswith("mailto:"):
                dest = "mailto:" + dest  # `<desk@example.org>`: a mail address, not a path
            links.append([dest, *span(link.start, link.end)])
    for image in md.images:
        add("images", image.dest, image.start, image.end)
    text = doc.text
    if "figure" in text and "{{" in text:
        # Hugo's built-in figure shortcode renders an <img> from its `src`.
        for m in _HUGO_FIGURE.finditer(text, doc.body_start):
            add("images", m.group(2), m.start(), m.end())
    tree = doc.html
    for el in tree.find_all("a"):
        href = el.get("href")
        if href and ("{" in href or not _elsewhere(href, host)):
            links.append([href, *span(el.start, el.start_end)])
    for el in tree.find_all("img", "source"):
        add("images", el.get("src"), el.start, el.start_end)
        srcset = el.get("srcset")
        if srcset:
            for candidate in srcset.split(","):
                url = candidate.strip().split(" ", 1)[0]
                add("images", url, el.start, el.start_end)
    ids = out["ids"]
    site = doc.site
    text = doc.text
    headings = md.headings
    if headings:  # their ids are made where a link asks for them (see heading_ids)
        out["headings"] = [text[h.start:h.end] for h in headings]
    if site.markdown == "kramdown" and "{:" in text:
        # An IAL on a line of its own names the block before it (`{: #managers}`).
        code = None  # made only for a post with an IAL
        for m in _IAL_ID.finditer(text, doc.body_start):
            at = m.start()
            if code is None:  # kramdown marks IALs as not prose
                code = [r for r in doc.code_regions if not r.kind.startswith("kramdown-")]
            if not any(r.start <= at < r.end for r in code):
                ids.append(m.group(1))
    for el in tree.elements:
        if el.attrs:  # most elements have none
            value = el.get("id")
            if value:
                ids.append(value)
            if el.tag == "a":
                value = el.get("name")
                if value:
                    ids.append(value)
    if resolve is not None and "newslint-" in text:
        from ..suppression import line_ranges

        out["suppress"] = line_ranges(doc, resolve)
    return out


# The site's host -> a link target -> whether a check across the site may
# follow it (see _elsewhere): a post's links are mostly ones other posts have.
_FOLLOWED: dict[str, dict[str, bool]] = {}


@lru_cache(maxsize=8192)
def _elsewhere(target: str, host: str) -> bool:
    """:func:`~newslint.site.index.elsewhere` of ``target`` stripped: posts
    repeat their links to other hosts (a site's own footer, its social
    accounts), a few thousand addresses in tens of thousands of links."""
    return elsewhere(target.strip(), host)


def _front_images(data: dict, always: tuple[str, ...]) -> list[tuple[str, str]]:
    """(key, image) of each front-matter image (see :func:`front_image`):
    ``always``'s, then every other top-level key's, then every key's inside a
    top-level mapping (`header.image`), whose value names an image file:
    image-missing's `keys` option may name any of them."""
    found = []
    for key in always:
        if "." in key or key in data:  # front_image of a key the data has not: None
            image = front_image(data, key)
            if image is not None:
                found.append((key, image))
    mappings = []
    for key, value in data.items():
        if value.__class__ is str and "." not in value and (key.__class__ is not str or "." not in key):
            continue  # most values (a title, a layout): no image file named, and no dotted path to follow
        if not isinstance(key, str):
            continue
        if isinstance(value, dict):
            mappings.append(key)
        if key in always:
            continue
        if "." in key:
            image = front_image(data, key)
        elif isinstance(value, str):
            if "." not in value:
                continue  # most values (a title, a layout): without a dot, no image file is named
            image = value.strip() or None
        elif isinstance(value, dict):
            image = front_image(data, key)
        else:
            continue  # a number, a date, a list: no image (front_image's answer)
        if image is not None and _IMAGE_FILE.search(image.split("?", 1)[0]):
            found.append((key, image))
    for name in mappings:
        for sub in data[name]:
            if isinstance(sub, str):
                key = f"{name}.{sub}"
                if key in always or any(key == k for k, _ in found):
                    continue
                image = front_image(data, key)
                if image is not None and _IMAGE_FILE.search(image.split("?", 1)[0]):
                    found.append((key, image))
    return found


def _key_start(fm: Any, key: str) -> int:
    """``_key_span(fm, key)[0]`` for a top-level key: where its key node
    starts (the last one's, as in YAML), or the opening fence."""
    node = fm.node
    if fm.format != "yaml" or node is None or not isinstance(node, MappingNode):
        return _key_span(fm, key)[0]
    for k, _v in reversed(node.value):  # the last one wins: the first from the end
        if k.value == key and isinstance(k, ScalarNode):  # a mapping or list key's value is no str
            break
    else:
        return fm.start
    try:
        return fm.mark_offset(k.start_mark)
    except Exception:  # a key the span finder cannot place: the fence
        return fm.start


def _key_span(fm: Any, key: str) -> tuple[int, int]:
    try:
        return fm.path_span(key.split("."))
    except Exception:  # a key the span finder cannot place: the fence
        return fm.fence_span()
