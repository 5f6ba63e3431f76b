from __future__ import annotations

from ..ruleapi import Rule


class ImageMissing(Rule):
    """A local image that the site does not have.

    ## What it does
    Generators: Jekyll and Hugo, across a whole site; nothing outside a known site.

    Across a Jekyll or Hugo site, reports an image whose address points inside
    the site (`/assets/a.png`, `{{ "/assets/a.png" | relative_url }}`,
    `{{ site.baseurl }}/assets/a.png`, a page bundle's `cover.jpg`) when no file
    of the site is served there: a Markdown image, an `<img src>`, each
    `srcset` candidate, and the front-matter image keys (`keys`). Jekyll
    serves the files of the site's folder at their own paths; Hugo serves
    `static/` (and a theme's `static/`) at the root, and a page bundle's files
    next to its page. A file that differs only in letter case is named: it
    works on macOS and Windows, whose disks ignore case, and is a 404 on Linux
    and GitHub Pages.

    Images on other hosts are not checked (no network). A relative address on
    a Jekyll site is resolved from the page's URL, which this rule does not
    know yet: only root-relative addresses and templates are checked there.
    Runs only on files that belong to a site (see `newslint site`).

    ## Why is this bad?
    The reader sees a broken-image icon. It happens when a post is committed
    without its image, after a rename (`Busan.PNG` to `busan.png`), or when the
    post was written against a local folder that is not the site's.

    ## Example
    ```markdown
    ![부산항 야경](/assets/img/busan-port.png)
    ```
    with no `assets/img/busan-port.png` in the site.

    ## Use instead
    Commit the image at that path, or fix the path.

    ## Options
    - `keys` (default `["image", "feature_image", "cover", "thumbnail"]`): the
      front-matter keys that name an image the theme shows.
    """

    name = "image-missing"
    code = "NL210"
    severity = "error"
    site_wide = True
    tags = ("site", "images")
    options = {"keys": ["image", "feature_image", "cover", "thumbnail"]}

    def check_site(self, index, options):
        keys = set(options.get("keys") or ())
        facts = index.facts
        for path in index.paths():
            images = facts[path].get("images")
            if not images:  # most posts
                continue
            page_dir = index.rel(path).rpartition("/")[0]
            for image in images:
                target, line, col, eline, ecol = image[:5]
                if len(image) > 5 and image[5] not in keys:
                    continue
                local = index.local_path(target)
                if local is None:
                    continue
                url_path, rooted = local
                if rooted:
                    candidates = index.static_candidates(url_path)
                elif index.site.is_hugo:
                    candidates = [f"{page_dir}/{url_path}" if page_dir else url_path]
                else:
                    continue
                found, other_case = index.find_file(candidates)
                if found is not None:
                    continue
                if other_case is not None:
                    message = (f"image `{target}` is `{other_case}` in the site, in other letter case: it works on "
                               "macOS, and is a 404 on Linux and GitHub Pages")
                else:
                    where = candidates[0] if len(candidates) == 1 else f"{candidates[0]} (nor {len(candidates) - 1} other places)"
                    message = f"image `{target}` is not in the site: there is no {where}"
                yield path, line, col, eline, ecol, message, []
