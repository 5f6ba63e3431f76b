from __future__ import annotations

import re
from html import unescape
from urllib.parse import unquote, urlsplit

from ..frontmatter import front_image
from ..templates import resolve
from ..model import Edit, Finding, Fix
from ..ruleapi import Rule
from .editor_spacer_paragraph import deletion_span

# Wrappers an image may sit in alone; deleting the image deletes them too.
_WRAPPERS = frozenset(("p", "a", "div", "span", "center", "figure", "picture"))
_BLANK = " \t\r\n\f\u00a0\u200b\ufeff"
_BR = re.compile(r"<br\b[^>]*>", re.I)


def image_key(url: str, baseurl: str = "") -> tuple[str, str, bool] | None:
    """(host, path, rooted) of an image URL with template tags resolved, the
    query, fragment and ``baseurl`` dropped, ``./`` and ``../`` segments
    removed; None for a URL that is only a template or data."""
    url = unescape(url.strip())
    if "{" in url:
        kind, resolved = resolve(url)
        if kind != "url" or resolved is None:
            return None
        url = resolved
    if not url or url.startswith("data:"):
        return None
    parts = urlsplit(url)
    host = parts.netloc.lower()
    if host.startswith("www."):
        host = host[4:]
    path = unquote(parts.path)
    if baseurl:
        base = "/" + baseurl.strip("/")
        if base != "/" and (path == base or path.startswith(base + "/")):
            path = path[len(base):]
    rooted = path.startswith("/") or bool(host)
    segments = [s for s in path.split("/") if s and s not in (".", "..")]
    if not segments:
        return None
    return host, "/".join(segments), rooted


def same_image(a: tuple[str, str, bool], b: tuple[str, str, bool]) -> bool:
    """Two image keys name the same file: same path (same host, or one of the
    two on the site itself), or one written relative whose path ends the other's."""
    (host_a, path_a, rooted_a), (host_b, path_b, rooted_b) = a, b
    if host_a and host_b and host_a != host_b:
        return False
    if path_a == path_b:
        return True
    if not rooted_a and path_b.endswith("/" + path_a):
        return True
    return not rooted_b and path_a.endswith("/" + path_b)


class HeroImageRepeated(Rule):
    """The front-matter hero image shown again as the body's first image.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reads the hero image from the front matter (the first of `keys` that is
    set: `image`, `feature_image`, `cover` or `thumbnail` by default; a
    mapping's `path`, `src`, `url`, `image` or `feature` counts, and a dotted
    key such as `header.image` reaches into a mapping) and compares it with
    the first image of the body, Markdown or `<img>`. Reports the body image
    when both are the same file: after Liquid and Hugo URL filters
    (`{{ "/a.jpg" | relative_url }}`, `{{ site.baseurl }}/a.jpg`) and the
    `baseurl` option are resolved, the query and fragment dropped, and a
    relative form (`a.jpg`, `../img/a.jpg`) matched against the end of the
    other path.

    ## Why is this bad?
    Themes such as Alembic, Minimal Mistakes and most Hugo themes show the
    front-matter image as the post's hero, above the title or the body. A
    post that starts with the same image shows it twice in a row, pushing the
    story below the fold. Posts imported from Tistory or WordPress often
    carry the featured image both ways.

    ## Example
    ```markdown
    ---
    image: /assets/img/busan-port.jpg
    ---
    <p><img src="/assets/img/busan-port.jpg" alt="부산항"></p>

    부산항 신항이...
    ```

    ## Use instead
    ```markdown
    ---
    image: /assets/img/busan-port.jpg
    ---
    부산항 신항이...
    ```

    ## Fix safety
    The fix deletes the body image, with the wrappers it sits in alone (a
    `<p>`, a link, a `<figure>` with nothing else, the Markdown paragraph),
    and their line when nothing else is on it. It is unsafe: a theme that
    does not show the hero image on the post page loses the picture
    altogether. An image in a `<figure>` with a caption gets no fix.

    Social-card keys (`og_image`, `twitterImg`) are not in the default
    `keys`: themes put them in meta tags, not on the page, so a body image
    that repeats one is seen once.

    ## Options
    - `keys` (default `["image", "feature_image", "cover", "thumbnail"]`): the
      front-matter keys that name the hero image, in order.
    - `baseurl` (default `""`): the site's `baseurl`, removed from the start of
      paths before they are compared.
    """

    name = "hero-image-repeated"
    code = "NL203"
    severity = "warning"
    fix = "unsafe"
    tags = ("images",)
    options = {"keys": ["image", "feature_image", "cover", "thumbnail"], "baseurl": ""}

    def check(self, doc, options):
        out: list[Finding] = []
        fm = doc.front_matter
        if fm is None or not fm.ok:
            return out
        keys = options.get("keys", ())
        if isinstance(keys, str):
            keys = [keys]
        hero_key = hero = None
        data = fm.data
        for key in keys:
            key = str(key)
            if "." not in key and key not in data:
                continue  # front_image finds nothing there: most posts have none of the keys
            hero = front_image(data, key)
            if hero is not None:
                hero_key = key
                break
        if hero is None or not (doc.markdown.images or doc.html.find_all("img")):
            return out
        baseurl = str(options.get("baseurl") or "")
        hero_id = image_key(hero, baseurl)
        if hero_id is None:
            return out
        first = _first_image(doc)
        if first is None:
            return out
        start, end, src, el = first
        src_id = image_key(src, baseurl)
        if src_id is None or not same_image(hero_id, src_id):
            return out
        fix = _html_fix(doc, el) if el is not None else _markdown_fix(doc, start, end)
        out.append(Finding(start, end, f"the body's first image is the front-matter `{hero_key}` (`{hero}`), which the "
                                       "theme already shows as the hero image: readers see it twice", fix=fix))
        return out


def _first_image(doc):
    """(start, end, src, element or None) of the body's first image."""
    best = None
    for el in doc.html.find_all("img"):
        src = el.get("src")
        if src:
            best = (el.start, el.start_end, src, el)
            break
    for im in doc.markdown.images:
        if best is None or im.start < best[0]:
            best = (im.start, im.end, im.dest, None)
        break
    return best


def _blank_except(el, child, text: str) -> bool:
    """Is ``el``'s content nothing but ``child`` and blank space?"""
    if el.end_tag_start < 0:
        return False
    around = text[el.inner_start:child.start] + text[child.end:el.inner_end]
    if "<" in around:
        around = _BR.sub("", around)
    if "&" in around:
        around = unescape(around)
    return not around.strip(_BLANK)


def _html_fix(doc, img) -> Fix | None:
    text = doc.text
    node = img
    while node.parent is not None and node.parent.tag in _WRAPPERS and _blank_except(node.parent, node, text):
        node = node.parent
    if node.parent is not None and node.parent.tag in ("figure", "picture"):
        return None  # a caption or other sources stay: deleting the image would orphan them
    return _delete(doc, node.start, node.end)


def _markdown_fix(doc, start: int, end: int) -> Fix | None:
    text = doc.text
    for link in doc.markdown.links:
        if link.start <= start and end <= link.end and (link.start, link.end) != (start, end):
            inside = text[link.start:start] + text[end:link.end]
            if inside.startswith("[") and inside[1:2] == "]":  # `[![alt](src)](href)`: the link is the image
                start, end = link.start, link.end
            break
    for para in doc.markdown.paragraphs:
        if para.start <= start and end <= para.end:
            p_end = para.end
            while p_end > para.start and text[p_end - 1] in "\r\n":
                p_end -= 1
            rest = (text[para.start:start] + text[end:p_end]).strip(_BLANK)
            if not rest or re.fullmatch(r"\{:[^}]*\}", rest):  # alone, or with a kramdown attribute list
                start, end = para.start, p_end
            break
    return _delete(doc, start, end)


def _delete(doc, start: int, end: int) -> Fix:
    line_start = doc.line_starts[doc.line_of(start)]
    d_start, d_end = deletion_span(doc.text, line_start, start, end)
    text = doc.text
    if (d_start, d_end) == (start, end) and text[end:end + 1] == " " and text[start - 1:start] in (" ", "\t"):
        d_end += 1  # mid-sentence: one of the two spaces around the image goes too
    # The line goes with the blank line after it when one is before it too
    # (or it opens the body), so no double blank line stays. CRLF counts as one.
    if d_start == line_start and 0 < d_end < len(text) and text[d_end - 1] == "\n":
        blank_after = 2 if text.startswith("\r\n", d_end) else 1 if text[d_end] == "\n" else 0
        before = text[:d_start]
        if blank_after and (d_start == doc.body_start or before.endswith(("\n\n", "\n\r\n"))):
            d_end += blank_after
    return Fix.unsafe("delete the body image", Edit.delete(d_start, d_end))
