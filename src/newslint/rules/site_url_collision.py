from __future__ import annotations

from ..ruleapi import Rule


class SiteUrlCollision(Rule):
    """Two files of a site that the generator writes to the same URL.

    ## What it does
    Generators: Jekyll and Hugo, across a whole site; nothing outside a known site.

    Across a Jekyll or Hugo site, reports each content file whose URL another
    file also gets: a post and a page with the same permalink, two posts with
    the same slug and date, a Hugo page and another page's `aliases`. The
    finding names the other files ("also PATH:LINE"). URLs are computed the
    way the generator computes them (`newslint site --urls` prints them).

    Runs only on files that belong to a site (see `newslint site`).

    ## Why is this bad?
    The generator writes one file over the other without an error (Jekyll's
    `jekyll doctor` calls it a conflict): one of the posts silently
    disappears from the site, and which one depends on the order the
    generator reads them in.

    ## Example
    ```yaml
    # _posts/2024-03-01-busan.md and _posts/2024-03-01-busan.markdown
    title: 부산 디지털 트윈
    ```
    Both become `/2024/03/01/busan.html`.

    ## Use instead
    Give one of them another `permalink` or file name, or delete the copy.
    """

    name = "site-url-collision"
    code = "NL131"
    severity = "error"
    site_wide = True
    tags = ("site",)

    def check_site(self, index, options):
        root = index.root.rstrip("/") + "/"
        for url, paths in sorted(index.urls.collisions.items()):
            fulls = [root + p for p in paths]
            content = [p for p in fulls if p in index.facts]
            for path in content:
                line = 1
                others = [(p, 1) for p in fulls if p != path]
                n = len(others)
                yield (path, line, 1, line, 1,
                       f"this file and {n} other{'s' if n != 1 else ''} are all written to `{url}`: "
                       "the generator keeps only one", others)
