from __future__ import annotations

import datetime as dt

from ..model import Finding
from ..ruleapi import Rule
from .post_date_mismatch import date_span, date_value, file_date, in_posts_folder, is_draft


class PostDateFuture(Rule):
    """A post dated in the future.

    ## What it does
    Reports the front matter `date` of a post when it is later than now: a
    day after today, or, when the value has a time and a time zone, a moment
    after the current one. A post under `_posts/` without a `date` key is
    measured by the date in its file name. Drafts (`draft: true`,
    `published: false`) are not reported: they are meant not to appear.

    "Today" is the date of the machine that runs newslint.

    ## Why is this bad?
    Jekyll does not build a post dated in the future unless it runs with
    `--future` (or `future: true` in `_config.yml`), and Hugo does not build
    future content without `--buildFuture`. Nothing warns: the post is simply
    missing from the site, the feed and the sitemap until a build after that
    date, which on a site built only when something is pushed may be never.
    Often the year is a typo (`2042` for `2024`).

    ## Example
    ```yaml
    date: 2042-03-05 09:00:00 +0900
    ```

    ## Use instead
    ```yaml
    date: 2024-03-05 09:00:00 +0900
    ```
    If the post is scheduled on purpose, build with `--future` or mark it as
    a draft until its day.
    """

    name = "post-date-future"
    code = "NL121"
    severity = "warning"
    tags = ("front-matter", "dates")

    def check(self, doc, options):
        fm = doc.front_matter
        if fm is not None and fm.ok and is_draft(doc):
            return
        value = date_value(doc)
        now = dt.datetime.now(dt.timezone.utc)
        if value is not None:
            _fm, text, day, instant = value
            future = instant > now if instant is not None else day > dt.date.today()
            if future:
                start, end = date_span(value)
                yield Finding(start, end, f"`date` {text} is in the future: Jekyll skips future posts unless "
                                          "built with `--future` (Hugo: `--buildFuture`), so this post silently "
                                          "does not appear")
            return
        if fm is not None and fm.ok and fm.data.get("date") is not None:
            return  # a `date` we cannot read: not ours to judge
        named = file_date(doc.path)
        if named is not None and named[1] is not None and in_posts_folder(doc.path) and named[1] > dt.date.today():
            yield Finding(0, 0, f"the file name dates this post {named[1].isoformat()}, in the future: Jekyll "
                                "skips future posts unless built with `--future`, so it silently does not appear")
