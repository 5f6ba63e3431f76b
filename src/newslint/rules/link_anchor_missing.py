from __future__ import annotations

from urllib.parse import unquote

from ..ruleapi import Rule


class LinkAnchorMissing(Rule):
    """A `#fragment` link to an id the page does not have.

    ## What it does
    Generators: Jekyll and Hugo, across a whole site; nothing outside a known site.

    Across a Jekyll or Hugo site, reports a link `#name` whose name is not an
    id on the page: not a heading's id (made by the site's renderer: kramdown's
    GFM ids on Jekyll, Korean headings included; goldmark's on Hugo), not a
    `{#id}` set by hand, and no `id=` (or `<a name=>`) in the post's HTML.
    The comparison is exact, as browsers make it.

    Fragments of the same page (`#name`) and of another page of the site
    (`/2024/03/01/busan/#name`, `{{ site.baseurl }}/about/#team`) are checked;
    ids set by the layout (`#top`, `#comments`) cannot be seen in the post
    and are passed over when the `ignore` option lists them. Runs only on files that belong
    to a site (see `newslint site`).

    ## Why is this bad?
    The link does nothing: the page does not scroll. It happens when a heading
    is reworded (its id changes with it), or when a table of contents was
    copied from another renderer whose ids differ.

    ## Example
    ```markdown
    [설치 방법](#설치-방법)

    ## 설치하기
    ```

    ## Use instead
    ```markdown
    [설치 방법](#설치하기)
    ```

    ## Options
    - `ignore` (default `["top", ""]`): fragments that the layout provides.
    """

    name = "link-anchor-missing"
    code = "NL320"
    severity = "warning"
    site_wide = True
    tags = ("site", "links")
    options = {"ignore": ["top", ""]}

    def check_site(self, index, options):
        ignore = set(options.get("ignore") or ())
        for path in index.paths():
            facts = index.facts[path]
            ids = None
            for link in facts.get("links", ()):
                target = link[0]
                if "#" not in target:
                    continue  # most links: no fragment at all
                line, col, eline, ecol = link[1:5]
                if not target.startswith("#"):
                    found = _other_page(index, path, target)
                    if found is not None:
                        yield (path, line, col, eline, ecol, *found)
                    continue
                if "{" in target:
                    continue
                name = unquote(target[1:])
                if name in ignore or target[1:] in ignore:
                    continue
                if ids is None:
                    ids = index.ids(path)
                if name in ids or target[1:] in ids:
                    continue
                near = _near(name, ids)
                hint = f" (did you mean `#{near}`?)" if near else ""
                yield path, line, col, eline, ecol, f"no id `{name}` on this page{hint}", []


def _other_page(index, path: str, target: str):
    """(message, related) when ``target`` names a page of the site that lacks its fragment."""
    name = unquote(target.split("#", 1)[1])
    if not name or "{" in name:
        return None
    url = index.link_url(path, target)
    other = index.file_at(url) if url is not None else None
    if other is None or other == path or other not in index.facts:
        return None  # not a page of the site (link-internal-broken's), or a page without facts
    ids = index.ids(other)
    if name in ids:
        return None
    near = _near(name, ids)
    hint = f" (did you mean `#{near}`?)" if near else ""
    return f"no id `{name}` on `{url}`{hint}", [(other, 1)]


def _near(name: str, ids: set[str]) -> str | None:
    import difflib

    got = difflib.get_close_matches(name.lower(), sorted(ids), n=1, cutoff=0.6)
    return got[0] if got else None
