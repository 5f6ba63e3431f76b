from __future__ import annotations

import os
import re
from functools import lru_cache
from urllib.parse import parse_qs, unquote, urlsplit

import yaml

from .. import policy_data
from ..includes import IncludeTemplates, include_images
from ..frontmatter import front_image
from ..model import Finding
from ..ruleapi import RUN_STATE, Rule

_DATE_PREFIX = re.compile(r"^(?:\d{4}-\d{1,2}-\d{1,2}|\d{8})[-_]")
# File names editors give every upload: the folder above names the file better.
_GENERIC_NAMES = frozenset(("img", "image", "file", "photo", "original"))


@lru_cache(maxsize=1)
def _policy_hosts() -> tuple[tuple[str, str, bool], ...]:
    """(platform, host, with subdomains) from ``rules/image-hosts.yaml``."""
    data = yaml.safe_load(policy_data.read_text("image-hosts.yaml")) or {}
    out = []
    for platform, hosts in data.items():
        for host in hosts or ():
            out.append(_host_entry(str(platform), str(host)))
    return tuple(out)


def _host_entry(platform: str, host: str) -> tuple[str, str, bool]:
    host = host.strip().lower()
    if host.startswith("*."):
        return platform, host[2:], True
    return platform, host, False


def platform_of(host: str, hosts) -> str | None:
    """The platform whose editor CDN serves ``host``, or None."""
    for platform, name, subdomains in hosts:
        if host == name or (subdomains and host.endswith("." + name)):
            return platform
    return None


def suggested_path(doc_path: str, url: str, assets_dir: str) -> str:
    """Where the file could live in the site: ``assets_dir/<post slug>/<file name>``."""
    stem = os.path.splitext(os.path.basename(doc_path))[0]
    if stem in ("index", "_index"):
        stem = os.path.basename(os.path.dirname(doc_path)) or stem
    slug = _DATE_PREFIX.sub("", stem) or stem
    parts = urlsplit(url)
    path = unquote(parts.path)
    # A resizing proxy names the original in its query (img1.daumcdn.net/thumb/...?fname=...).
    fname = parse_qs(parts.query).get("fname")
    if fname:
        path = urlsplit(unquote(fname[0])).path
    segments = [s for s in path.split("/") if s]
    name = segments[-1] if segments else "image"
    base, ext = os.path.splitext(name)
    if base.lower() in _GENERIC_NAMES and len(segments) > 1:
        name = segments[-2][-24:] + ext  # the upload's id, its end when the id is long
    return f"{'/' + assets_dir.strip('/') if assets_dir.strip('/') else ''}/{slug}/{name}"


def _front_matter_keys(data, keys) -> list[str]:
    """The keys of ``keys`` (strings) that may name an image in ``data``:
    ``front_image`` gives None for the others without looking further."""
    names = [str(k) for k in ([keys] if isinstance(keys, str) else keys)]
    if not isinstance(data, dict):
        return []
    return [k for k in names if "." in k or data.get(k) is not None]


def _hotlinked(url: str, hosts) -> tuple[str, str, str] | None:
    """(url, host, platform) when ``url`` is on a listed host, else None."""
    url = url.strip()
    if "//" not in url[:8]:
        return None  # a path on the site itself: most images
    if url.startswith("//"):
        url = "https:" + url
    parts = urlsplit(url)
    host = parts.hostname
    if parts.scheme.lower() not in ("http", "https") or not host:
        return None
    platform = platform_of(host.lower(), hosts)
    return None if platform is None else (url, host.lower(), platform)


class ImageHotlinked(Rule):
    """An image served from another blog platform's editor CDN.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reports images whose address is on the upload servers of another blog
    platform's editor: Markdown images, `<img src>`, the images a Jekyll
    include renders from its parameters (`{% include figure.html image=...
    %}`, see `image-alt-missing`) and the front-matter image keys (`keys`). The hosts are policy data, `rules/image-hosts.yaml`
    (Tistory and Kakao's `*.kakaocdn.net`, `*.daumcdn.net`, `*.tistory.com`,
    Blogger's `blogger.googleusercontent.com`, WordPress.com's `*.wp.com`,
    Naver Blog, Medium and velog); `extra_hosts` adds more. The message
    suggests where to put the file in the site: `assets_dir`, then a folder
    named after the post, then the file's name.

    ## Why is this bad?
    Posts moved from Tistory or Blogger to Jekyll or Hugo often keep their
    images on the old platform. Those images vanish when the old blog is
    closed or its files are cleaned up, some hosts refuse requests from other
    sites (hot-link protection), and the images load from a third party that
    sees every reader. Tistory's newer upload addresses (`/dna/...?expires=`)
    are signed and stop working on the date they carry.

    ## Example
    ```markdown
    ![부산항 전경](https://blog.kakaocdn.net/dn/bXyZ12/btsAbCd/kq7RtY/img.png)
    ```

    ## Use instead
    ```markdown
    ![부산항 전경](/assets/img/busan-port/kq7RtY.png)
    ```
    Download the file into the site (the message names a place for it) and
    link it from there.

    ## Options
    - `assets_dir` (default `"/assets/img"`): the site's image folder, used in the suggestion.
    - `extra_hosts` (default `[]`): more hosts (`*.example.com` for a domain and its subdomains).
    - `keys` (default `["image", "feature_image", "cover", "thumbnail"]`): the front-matter keys checked.
    """

    name = "image-hotlinked"
    code = "NL204"
    severity = "warning"
    tags = ("images",)
    options = {"assets_dir": "/assets/img", "extra_hosts": [], "keys": ["image", "feature_image", "cover", "thumbnail"]}

    @classmethod
    def run_state(cls) -> IncludeTemplates:
        """The site's include files, each read once a run."""
        return IncludeTemplates()

    def check(self, doc, options):
        out: list[Finding] = []
        hosts = _policy_hosts()
        extra = options.get("extra_hosts") or ()
        if isinstance(extra, str):
            extra = [extra]
        if extra:
            hosts = hosts + tuple(_host_entry("another platform", str(h)) for h in extra)
        assets_dir = str(options.get("assets_dir", "/assets/img"))
        imgs = doc.html.find_all("img")
        images = doc.markdown.images
        site = doc.site
        # include_images finds nothing outside a Jekyll site: not called there.
        jekyll = site.is_jekyll and site.root
        fm = doc.front_matter
        fm_keys = _front_matter_keys(fm.data, options.get("keys") or ()) if fm is not None and fm.ok else ()
        if not (imgs or images or jekyll or fm_keys):
            return out  # no image anywhere: most posts
        # Only the images' own addresses are read (no scan of the whole text):
        # the span of an attribute is looked up for a hot-linked one only.
        found: list[tuple[int, int, str, str, str]] = []
        for el in imgs:
            src = el.get("src")
            hit = _hotlinked(src, hosts) if src else None
            if hit is not None:
                attr = next((a for a in el.attr_spans() if a.name == "src"), None)
                start, end = (attr.start, attr.end) if attr is not None else (el.start, el.start_end)
                found.append((start, end, *hit))
        for im in images:
            hit = _hotlinked(im.dest, hosts)
            if hit is not None:
                found.append((im.start, im.end, *hit))
        for inc in include_images(doc, options.get(RUN_STATE)) if jekyll else ():
            hit = _hotlinked(inc.src, hosts) if inc.src else None
            if hit is not None:
                found.append((inc.src_start, inc.src_end, *hit))
        for key in fm_keys:
            value = front_image(fm.data, key)
            hit = _hotlinked(value, hosts) if value is not None else None
            if hit is not None:
                start, end = fm.path_span(key.split("."))
                found.append((start, end, *hit))
        found.sort(key=lambda f: f[0])
        for start, end, url, host, platform in found:
            parts = urlsplit(url)
            where = suggested_path(doc.path, url, assets_dir)
            when = ("its signed address stops working on the date it carries" if "expires=" in parts.query
                    else "it vanishes when the old blog does")
            out.append(Finding(start, end, f"image served from {platform}'s editor CDN (`{host}`): {when}; save the "
                                           f"file in the site, for example as `{where}`, and link it from there"))
        return out
