from __future__ import annotations

import os

from ..model import Finding
from ..ruleapi import Rule
from .post_date_mismatch import file_date, in_posts_folder, jekyll_post


class PostFilenameInvalid(Rule):
    """A file under `_posts/` that Jekyll does not read as a post.

    ## What it does
    Generator: Jekyll (and, outside a known site, any `_posts` folder);
    never on a Hugo site.

    Reports a post under a `_posts` folder whose file name does not start
    with a date and a dash, `YYYY-MM-DD-` (Jekyll also accepts one-digit
    months and days, `2017-3-5-`), and one whose date is not a real day
    (`2024-02-30-`). The finding is on line 1.

    The folder is decided from the path: any file with a `_posts` folder
    above it, at any depth (`_posts/en/news/`, `ko/_posts/`).

    ## Why is this bad?
    Jekyll reads a file in `_posts` as a post only when its name has the date
    prefix; anything else is skipped without a word, so the post never
    appears on the site. A date prefix that is not a real day makes Jekyll
    stop the whole build with "Invalid date".

    ## Example
    `_posts/busan-digital-twin.md`

    ## Use instead
    `_posts/2024-03-05-busan-digital-twin.md`
    """

    name = "post-filename-invalid"
    code = "NL802"
    severity = "error"
    tags = ("jekyll", "files")
    on_undecodable = True

    def check(self, doc, options):
        out: list[Finding] = []
        if not in_posts_folder(doc.path) or not jekyll_post(doc):
            return out
        name = os.path.basename(doc.path)
        named = file_date(doc.path)
        if named is None:
            out.append(Finding(0, 0, f"`{name}` is in `_posts` but its name does not start with a date "
                                     "(`YYYY-MM-DD-`): Jekyll skips it silently, so the post never appears"))
        elif named[1] is None:
            out.append(Finding(0, 0, f"the date `{named[0]}` in the file name `{name}` is not a real day: Jekyll "
                                     "stops the build with \"Invalid date\""))
        return out
