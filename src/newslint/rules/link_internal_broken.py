from __future__ import annotations

import posixpath

from ..ruleapi import Rule
from ..templates import resolve
from .link_href_invalid import href_problem

_OTHER_SCHEMES = ("mailto:", "tel:", "javascript:", "data:", "sms:", "ftp:", "irc:", "news:")


class LinkInternalBroken(Rule):
    """A link to a page or file that the site does not produce.

    ## What it does
    Generators: Jekyll and Hugo, across a whole site; nothing outside a known site.

    Across a Jekyll or Hugo site, reports a link whose target is inside the
    site (root-relative `/about/`, relative `../2024/`, `{{ site.baseurl }}/x/`,
    `{{ "/x/" | relative_url }}`, and a link to the site's own host) when
    nothing the site builds is there. The site's URLs are computed the way its
    generator computes them: Jekyll's permalinks, categories and collections,
    Hugo's sections, `permalinks`, `slug`, `url` and `aliases` (`newslint site
    --urls` prints them). `/a/`, `/a/index.html`, `/a` and `/a.html` count as
    one page, as the usual static hosts serve them, and a path the host
    redirects (Netlify's `netlify.toml` and `_redirects`; on Netlify, `/a/`
    for a page written as `a.html`) is not a 404. A link to a post's source
    file (`2024-03-01-busan.md`) names the page that file becomes.

    Runs only on files that belong to a site (see `newslint site`).

    ## Why is this bad?
    The reader lands on the site's 404 page. It happens after a post's title,
    date or permalink changes (its URL changes with it), when a link was
    written against the source tree instead of the built site, or when a
    relative link is read from a post's URL rather than from its folder.

    ## Example
    ```markdown
    [지난 기사](/2024/03/01/busan-digital-twin/)
    ```
    where the post's URL is `/news/2024/03/01/busan-digital-twin/`.

    ## Use instead
    ```markdown
    [지난 기사]({% post_url 2024-03-01-busan-digital-twin %})
    ```
    """

    name = "link-internal-broken"
    code = "NL330"
    severity = "error"
    site_wide = True
    tags = ("site", "links")

    def check_site(self, index, options):
        urls = index.urls
        by_name = None
        # Targets found fine whatever page links them (another site, not an
        # address, a rooted path the site serves): posts repeat them.
        fine: set[str] = set()
        # Targets that are addresses to look up from each page (relative
        # ones: the page decides), stripped: what they are is known already.
        address: dict[str, str] = {}
        facts = index.facts
        for path in index.paths():
            for link in facts[path].get("links", ()):
                target = link[0]
                if target in fine:
                    continue
                line, col, eline, ecol = link[1:5]
                t = address.get(target)
                if t is None:
                    t = target.strip()
                    if not t or t.startswith("#") or t.lower().startswith(_OTHER_SCHEMES):
                        fine.add(target)
                        continue
                    if "{" in t:
                        kind, resolved = resolve(t)
                        if kind in ("post", "file", "ref"):
                            message = _missing_source(index, path, kind, resolved)
                            if message is not None:
                                yield path, line, col, eline, ecol, message, []
                            elif kind != "ref":
                                fine.add(target)  # a post or file named from the root, whatever the page
                            continue
                    elif href_problem(t) is not None:
                        fine.add(target)
                        continue  # not an address at all (no scheme, spaces, a pasted link): link-href-invalid says so
                    address[target] = t
                full = index.link_url(path, t)
                if full is None or urls.serves(full) or index.redirected(full):
                    local = index.local_path(t)
                    if local is None or local[1]:
                        fine.add(target)  # outside the site, or rooted: read without the page's URL
                    continue
                if by_name is None:
                    by_name = {e.path.rsplit("/", 1)[-1]: e for e in urls.entries.values() if e.written}
                local = index.local_path(t)
                name = local[0].split("#", 1)[0].rstrip("/").rsplit("/", 1)[-1] if local else ""
                source = by_name.get(name)
                if source is not None and source.kind in ("post", "page", "document", "section") and "." in name:
                    message = (f"link `{target}` points at the source file `{source.path}`; "
                               f"its page is at `{source.url}`")
                elif name and "." not in name and (moved := _by_stem(urls, full, name)) is not None:
                    message = (f"link `{target}` goes to `{full}`, which the site does not have (a 404); "
                               f"the page of `{moved.path}` is at `{moved.url}`")
                else:
                    message = f"link `{target}` goes to `{full}`, which the site does not have (a 404)"
                yield path, line, col, eline, ecol, message, []


def _by_stem(urls, full: str, name: str):
    """The page whose file is named ``name`` in the folder ``full`` points into
    (a link written with the file name, while `slug` or `permalink` moved the page)."""
    import os

    stems = urls.__dict__.get("_pages_by_stem")
    if stems is None:
        stems = urls.__dict__["_pages_by_stem"] = {}
        for e in urls.entries.values():
            if e.written and e.kind in ("post", "page", "document"):
                stems.setdefault(e.path.rsplit("/", 1)[-1].rsplit(".", 1)[0], []).append(e)
    folder = full.rstrip("/").rsplit("/", 1)[0].strip("/")
    found = [e for e in stems.get(name, ()) if e.path.rsplit("/", 1)[0].endswith(folder)]
    # One per language, often: the one whose URL shares the most with the link's.
    return max(found, key=lambda e: len(os.path.commonprefix([e.url, full])), default=None)


def _missing_source(index, path: str, kind: str, resolved: str | None) -> str | None:
    """The message for a `{% post_url %}`, `{% link %}` or `ref` that names
    nothing (the generator's build stops on it), or None when it is there."""
    if not resolved:
        return None
    name = resolved.split("#", 1)[0].split("?", 1)[0].strip().strip("/")
    files = index.files
    if kind == "post":
        stem = name.rsplit("/", 1)[-1]
        for f in files:
            if "_posts/" in f"/{f}" and f.rsplit("/", 1)[-1].rsplit(".", 1)[0] == stem:
                return None
        return f"`{{% post_url {name} %}}` names no post: `jekyll build` stops on it"
    if kind == "file":
        if name in files:
            return None
        return f"`{{% link {name} %}}` names no file of the site: `jekyll build` stops on it"
    page_dir = index.rel(path).rpartition("/")[0]
    bases = [page_dir, *index.site.content_dirs]
    for base in bases:
        stem = posixpath.normpath(f"{base}/{name}") if base else name
        for candidate in (stem, f"{stem}.md", f"{stem}/index.md", f"{stem}/_index.md"):
            if candidate in files:
                return None
    return f"`ref` names no page (`{name}`): `hugo` stops the build on it (REF_NOT_FOUND)"
