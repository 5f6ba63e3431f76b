from __future__ import annotations

from ..ruleapi import Rule


class SiteDuplicateTitle(Rule):
    """Two posts of a site with the same title in the same language.

    ## What it does
    Generators: Jekyll and Hugo, across a whole site; nothing outside a known site.

    Across the posts of a Jekyll or Hugo site (Jekyll: the files of every
    `_posts` folder; Hugo: content pages, not section lists), reports each post
    whose `title` another post of the same language already has. The finding
    names the other posts ("also PATH:LINE"). Titles are compared as written,
    after trimming and ignoring letter case. The language is the post's `lang`
    (or `language`) key; on a Hugo site, also its language's content folder or
    the `.ko.md` suffix of its file name.

    Runs only on files that belong to a site (see `newslint site`).

    ## Why is this bad?
    Readers choose what to open by the title: in an archive page, a search
    result or a feed, two posts with one title look like one post shown twice.
    Search engines treat them as duplicates and may show only one. It often
    means a post was imported twice, or a template's title was never changed.

    ## Example
    ```yaml
    # _posts/2024-03-01-busan.md
    title: 부산 디지털 트윈 공개
    # _posts/2024-05-10-busan-update.md
    title: 부산 디지털 트윈 공개
    ```

    ## Use instead
    ```yaml
    title: 부산 디지털 트윈 2단계 공개
    ```
    """

    name = "site-duplicate-title"
    code = "NL130"
    severity = "warning"
    site_wide = True
    tags = ("site", "front-matter")

    def check_site(self, index, options):
        groups: dict[tuple[str, str], list[str]] = {}
        facts = index.facts
        jekyll, rel = index.site.is_jekyll, index.rel
        for path in index.paths():
            fm = facts[path].get("fm")
            title = fm.get("title") if fm else None
            if not isinstance(title, str) or not title.strip():
                continue
            if jekyll:  # index.is_post and index.language, read here: asked of every post
                if "_posts/" not in rel(path):
                    continue
                lang = fm.get("lang") or fm.get("language")
                language = lang.lower() if isinstance(lang, str) and lang else ""
            elif index.is_post(path):
                language = index.language(path)
            else:
                continue
            groups.setdefault((language, " ".join(title.split()).casefold()), []).append(path)
        for paths in groups.values():
            if len(paths) < 2:
                continue
            where = {p: _title_line(index.facts[p]) for p in paths}
            for path in paths:
                line = where[path]
                others = [(p, where[p]) for p in paths if p != path]
                title = index.facts[path]["fm"]["title"]
                n = len(others)
                yield (path, line, 1, line, 1,
                       f"the title `{title.strip()}` is also the title of {n} other post{'s' if n != 1 else ''} "
                       "in the same language", others)


def _title_line(facts: dict) -> int:
    at = facts.get("title_at")
    return at[0] if at else 1
