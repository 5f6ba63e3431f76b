from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
from functools import lru_cache

from ..model import Finding
from ..ruleapi import Rule

# Jekyll's own test for a post's file name: a date of 2-4, 1-2 and 1-2 digits, a
# dash, a slug and an extension (Jekyll::Document::DATE_FILENAME_MATCHER).
FILENAME_DATE = re.compile(r"(\d{2,4})-(\d{1,2})-(\d{1,2})-([^/]*)(\.[^./]+)$")
# The date at the start of a `date` value as written: `2024-03-05`, `2024-03-05 09:00:00 +0900`.
_VALUE_DATE = re.compile(
    r"\s*['\"]?(\d{4})-(\d{1,2})-(\d{1,2})"
    r"(?:[Tt ]+(\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?\s*(Z|[+-]\d{1,2}(?::?\d{2})?)?)?"
)


_POSIX = os.path is posixpath


# Three rules ask about each post's file name in turn: answered once.
@lru_cache(maxsize=16)
def file_date(path: str) -> tuple[str, dt.date | None] | None:
    """The date prefix of a post's file name: (as written, the date or None when
    it is no real date); None when the name has no date prefix."""
    # posixpath.basename, inline; ntpath's knows drives and both separators.
    name = path[path.rfind("/") + 1:] if _POSIX else os.path.basename(path)
    m = FILENAME_DATE.match(name)
    if m is None:
        return None
    y, mo, d = m.group(1, 2, 3)
    written = name[: m.end(3)]  # the match starts the name
    try:
        return written, dt.date(int(y), int(mo), int(d))
    except ValueError:
        return written, None


@lru_cache(maxsize=16)
def in_posts_folder(path: str) -> bool:
    # A folder named `_posts` above the file: "/_posts/" in the path with a
    # "/" before it, as the folder names split out of it would say.
    return "_posts" in path and "/_posts/" in "/" + path.replace(os.sep, "/")


def jekyll_post(doc) -> bool:
    """True for a post Jekyll dates by its file name: any file of a Jekyll
    site (collections read the date prefix too) and, outside a known site,
    a file under a `_posts` folder, Jekyll's own convention. Never on a Hugo
    site: Hugo dates a page by its front matter, and `_posts` means nothing there."""
    generator = doc.site.generator  # site.is_jekyll, without a property call
    return generator == "jekyll" or (generator == "none" and in_posts_folder(doc.path))


def date_value(doc, key: str = "date"):
    """(front matter, text, date, instant, key) of the front matter ``key``: the
    date as written and, when a time zone is written, the moment as an aware
    datetime. None when there is no such key or it does not start with a date."""
    fm = doc.front_matter
    if fm is None or not fm.ok:
        return None
    # post-date-mismatch and post-date-future both read it: read once. Kept
    # without ``fm`` itself: a front matter holding a reference to itself is
    # a cycle that only the garbage collector frees, with its whole YAML graph.
    slot = ("date_value", key)
    found = fm.derived.get(slot, _UNSEEN)
    if found is _UNSEEN:
        found = fm.derived[slot] = _date_value(fm, key)
    return None if found is None else (fm, *found)


_UNSEEN = object()


def _date_value(fm, key: str):
    value = fm.data.get(key)
    if value is None or isinstance(value, (dict, list)):
        return None
    text = str(value)
    m = _VALUE_DATE.match(text)
    if m is None:
        return None
    year, month, mday, hour, minute, second, zone = m.groups()
    try:
        day = dt.date(int(year), int(month), int(mday))
    except ValueError:
        return None
    instant = None
    if hour is not None and zone is not None:
        try:
            tz = _zone(zone)
            instant = dt.datetime(day.year, day.month, day.day, int(hour), int(minute),
                                  int(second or 0), tzinfo=tz)
        except ValueError:
            instant = None
    return text.strip(), day, instant, key


def date_span(value) -> tuple[int, int]:
    """Where the date of a :func:`date_value` is written (looked up only to report it)."""
    return value[0].path_span([value[4]])


@lru_cache(maxsize=64)  # a site writes its few zones in every post
def _zone(text: str) -> dt.timezone:
    if text in ("Z", "z"):
        return dt.timezone.utc
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours, minutes = (int(digits[:-2] or 0), int(digits[-2:])) if len(digits) > 2 else (int(digits), 0)
    return dt.timezone(sign * dt.timedelta(hours=hours, minutes=minutes))


def is_draft(doc) -> bool:
    data = doc.front_matter.data
    return data.get("draft") in (True, "true") or data.get("published") in (False, "false")


class PostDateMismatch(Rule):
    """A post whose file-name date and `date` key disagree.

    ## What it does
    Generator: Jekyll. It runs on every file of a Jekyll site and, outside a
    known site, on files under a `_posts` folder; never on a Hugo site.

    For a post whose file name starts with a date (`2024-03-05-busan.md`),
    compares that date with the date at the start of the front matter
    `date` value and reports the `date` when the two days differ.

    When `date` has a time and a time zone (`2024-03-06 00:30:00 +0900`),
    the file-name date may also be the day of that moment in UTC: Jekyll
    converts the moment to the site's `timezone` before it takes the day, a
    site that sets none is built in the machine's zone, usually UTC, and
    newslint does not know the site's settings. So `2024-03-05-busan.md`
    with `date: 2024-03-06 00:30:00 +0900` is not reported (it is still
    March 5 in UTC), while `date: 2024-03-06` (no time) or
    `date: 2024-03-06 15:00:00 +0900` is.

    ## Why is this bad?
    The two dates tell different stories about one post. Jekyll dates the
    post, and builds its URL (`/2024/03/06/busan/`), from `date`, while the
    file list, `{% post_url 2024-03-05-busan %}` links and anyone reading
    the repository go by the file name. Usually one of the two was not
    updated when the post was rescheduled.

    ## Example
    `_posts/2024-03-05-busan-digital-twin.md`:
    ```yaml
    date: 2024-03-06 09:00:00 +0900
    ```

    ## Use instead
    Rename the file, or correct the `date`, so that both say the same day.
    """

    name = "post-date-mismatch"
    code = "NL120"
    severity = "warning"
    tags = ("front-matter", "dates")

    def check(self, doc, options):
        out: list[Finding] = []
        if not jekyll_post(doc):
            return out
        named = file_date(doc.path)
        if named is None or named[1] is None:
            return out
        value = date_value(doc)
        if value is None:
            return out
        _fm, text, day, instant, _key = value
        if day == named[1]:
            return out
        if instant is not None and _same_moment(instant, named[1]):
            return out
        start, end = date_span(value)
        out.append(Finding(start, end, f"the file name says {named[1].isoformat()} but `date` says "
                                       f"{day.isoformat()}: the page shows the `date`, while the file name, and the "
                                       "links and URLs made from it, say another day; make them agree"))
        return out


def _same_moment(instant: dt.datetime, day: dt.date) -> bool:
    """True when ``day`` is the date of ``instant`` in UTC, the time zone of a site
    that sets none (Jekyll on a CI machine)."""
    return instant.astimezone(dt.timezone.utc).date() == day
