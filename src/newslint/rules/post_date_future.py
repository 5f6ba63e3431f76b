from __future__ import annotations

import datetime as dt

from ..model import Finding
from ..ruleapi import Rule
from .post_date_mismatch import date_span, date_value, file_date, in_posts_folder, is_draft, jekyll_post


# The keys Hugo takes a page's publish date from, in its order (its default
# `[frontmatter] publishDate`); Hugo reads front matter keys in any case.
HUGO_PUBLISH_KEYS = ("publishdate", "pubdate", "published", "date")


class PostDateFuture(Rule):
    """A post dated in the future.

    ## What it does
    Generators: Jekyll and Hugo, each with its own wording and settings.
    Outside a known site it runs on files under a `_posts` folder only, as
    Jekyll posts.

    Reports the date of a post when it is later than now: a day after
    today, or, when the value has a time and a time zone, a moment after
    the current one. Drafts (`draft: true`, `published: false`) are not
    reported: they are meant not to appear.

    - Jekyll: the front matter `date`; a post under `_posts/` without a
      `date` key is measured by the date in its file name. Nothing is
      reported when `_config.yml` sets `future: true`.
    - Hugo: the publish date, the first of `publishDate`, `pubdate`,
      `published` and `date` (Hugo's default order). Nothing is reported
      when the site's config sets `buildFuture = true`.

    "Today" is the date of the machine that runs newslint.

    ## Why is this bad?
    Jekyll does not build a post dated in the future unless it runs with
    `--future` (or `future: true` in `_config.yml`), and Hugo does not build
    a page whose publish date is in the future without `--buildFuture`.
    Nothing warns: the post is simply missing from the site, the feed and
    the sitemap until a build after that date, which on a site built only
    when something is pushed may be never. Often the year is a typo (`2042`
    for `2024`).

    ## Example
    ```yaml
    date: 2042-03-05 09:00:00 +0900
    ```

    ## Use instead
    ```yaml
    date: 2024-03-05 09:00:00 +0900
    ```
    If the post is scheduled on purpose, build with `--future`
    (`--buildFuture` for Hugo) or mark it as a draft until its day.
    """

    name = "post-date-future"
    code = "NL121"
    severity = "warning"
    tags = ("front-matter", "dates")
    depends_on_clock = True  # the date is compared with today

    def check(self, doc, options):
        site = doc.site
        if site.is_hugo:
            return self._hugo(doc)
        if jekyll_post(doc) and site.config.get("future") is not True:
            return self._jekyll(doc)
        return ()

    def _jekyll(self, doc) -> list[Finding] | tuple[()]:
        fm = doc.front_matter
        if fm is not None and fm.ok and is_draft(doc):
            return ()
        value = date_value(doc)
        if value is not None:
            if _in_future(value):
                start, end = date_span(value)
                return [Finding(start, end, f"`date` {value[1]} is in the future: Jekyll skips future posts unless "
                                            "built with `--future` (or `future: true` in `_config.yml`), so this post "
                                            "silently does not appear")]
            return ()
        if fm is not None and fm.ok and fm.data.get("date") is not None:
            return ()  # a `date` we cannot read: not ours to judge
        named = file_date(doc.path)
        if named is not None and named[1] is not None and in_posts_folder(doc.path) and named[1] > dt.date.today():
            return [Finding(0, 0, f"the file name dates this post {named[1].isoformat()}, in the future: Jekyll "
                                  "skips future posts unless built with `--future`, so it silently does not appear")]
        return ()

    def _hugo(self, doc) -> list[Finding] | tuple[()]:
        fm = doc.front_matter
        if fm is None or not fm.ok or is_draft(doc):
            return ()
        if any(str(k).lower() == "buildfuture" and v is True for k, v in doc.site.config.items()):
            return ()
        keys = {str(k).lower(): k for k in fm.data if fm.data[k] is not None}
        for wanted in HUGO_PUBLISH_KEYS:
            if wanted not in keys:
                continue
            value = date_value(doc, keys[wanted])
            if value is None:
                if isinstance(fm.data[keys[wanted]], bool):
                    continue  # `published: false` is not a date
                return ()  # a date we cannot read decides: not ours to judge
            if _in_future(value):
                start, end = date_span(value)
                return [Finding(start, end, f"`{value[4]}` {value[1]} is in the future: Hugo skips pages with a "
                                            "publish date in the future unless built with `--buildFuture` (or "
                                            "`buildFuture = true` in its config), so this page silently does not "
                                            "appear")]
            return ()
        return ()


def _in_future(value) -> bool:
    _fm, _text, day, instant, _key = value
    if instant is not None:
        return instant > dt.datetime.now(dt.timezone.utc)
    return day > dt.date.today()
