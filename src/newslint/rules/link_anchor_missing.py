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

    Only fragments of the same page (`#name`) are checked; ids set by the
    layout (`#top`, `#comments`) cannot be seen in the post and are passed
    over when the `ignore` option lists them. Runs only on files that belong
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
        for path in sorted(index.facts):
            facts = index.facts[path]
            ids = None
            for target, line, col, eline, ecol in facts.get("links", ()):
                if not target.startswith("#") or "{" in target:
                    continue
                name = unquote(target[1:])
                if name in ignore or target[1:] in ignore:
                    continue
                if ids is None:
                    ids = set(facts.get("ids", ()))
                if name in ids or target[1:] in ids:
                    continue
                near = _near(name, ids)
                hint = f" (did you mean `#{near}`?)" if near else ""
                yield path, line, col, eline, ecol, f"no id `{name}` on this page{hint}", []


def _near(name: str, ids: set[str]) -> str | None:
    import difflib

    got = difflib.get_close_matches(name.lower(), sorted(ids), n=1, cutoff=0.6)
    return got[0] if got else None
