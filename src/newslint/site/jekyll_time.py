"""Dates as Jekyll reads them: Ruby's ``Time.parse`` in the site's time zone.

Jekyll turns every date into a Ruby ``Time`` in the local zone (its config's
``timezone``, else the machine's). Psych reads an unquoted
``2020-01-02 10:00:00`` as UTC, while ``Time.parse`` reads the same text from
a string (quoted, or a file name's date) in the local zone: near midnight
the two give different days, hence different URLs.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from functools import lru_cache
from typing import Any, Mapping

from .urls import DAYS, MONTHS, YamlTime

try:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError
except ImportError:  # pragma: no cover - every supported Python has zoneinfo
    ZoneInfo = None  # type: ignore[assignment,misc]

_TIME = re.compile(
    r"^\s*(\d{4})[-/](\d{1,2})[-/](\d{1,2})"
    r"(?:(?:[Tt]|\s+)(\d{1,2}):(\d{2})(?::(\d{2})(?:\.(\d+))?)?)?"
    r"\s*(Z|[A-Za-z]{1,5}|[-+]\d{1,2}(?::?\d{2})?)?\s*$")
# Zone names Ruby's Time.parse knows that posts use; others stop the parse here (the URL is then uncertain).
_ZONES = {"utc": 0, "gmt": 0, "z": 0, "ut": 0, "kst": 9 * 60, "jst": 9 * 60, "cst": -6 * 60, "cdt": -5 * 60,
          "est": -5 * 60, "edt": -4 * 60, "mst": -7 * 60, "mdt": -6 * 60, "pst": -8 * 60, "pdt": -7 * 60,
          "cet": 60, "cest": 120, "bst": 60, "ist": 5 * 60 + 30}


def site_timezone(name: Any) -> dt.tzinfo:
    """The zone Jekyll runs in: ``timezone`` from the config, else the machine's."""
    for candidate in (name, os.environ.get("TZ")):
        if isinstance(candidate, str) and candidate and ZoneInfo is not None:
            try:
                return ZoneInfo(candidate.lstrip(":"))
            except (ZoneInfoNotFoundError, ValueError, OSError):
                continue
    if ZoneInfo is not None:
        try:  # the machine's zone with its daylight saving rules, not just today's offset
            with open("/etc/localtime", "rb") as f:
                return ZoneInfo.from_file(f)
        except (OSError, ValueError):
            pass
    local = dt.datetime.now().astimezone().tzinfo
    return local or dt.timezone.utc


def _offset(zone: str) -> dt.tzinfo | None:
    if zone.lower() in _ZONES:
        return dt.timezone(dt.timedelta(minutes=_ZONES[zone.lower()]))
    m = re.match(r"([-+])(\d{1,2}):?(\d{2})?$", zone)
    if not m:
        return None
    minutes = int(m.group(2)) * 60 + int(m.group(3) or 0)
    return dt.timezone(dt.timedelta(minutes=-minutes if m.group(1) == "-" else minutes))


def parse_jekyll_time(value: Any, tz: dt.tzinfo) -> dt.datetime | None:
    """The local time Jekyll gives a front matter or file name date; None when it cannot read it."""
    if isinstance(value, dt.datetime):
        return value.astimezone(tz) if value.tzinfo else value.replace(tzinfo=tz)
    if isinstance(value, dt.date):
        return dt.datetime(value.year, value.month, value.day, tzinfo=tz)
    if not isinstance(value, str):
        return None
    # Posts repeat their dates and zones: a text read once per zone is read for all.
    return _parse_text(str(value), isinstance(value, YamlTime), tz)


@lru_cache(maxsize=4096)
def _parse_text(value: str, yaml_time: bool, tz: dt.tzinfo) -> dt.datetime | None:
    m = _TIME.match(value)
    if m is None:
        return None
    year, month, day, hour, minute, second, frac, zone = m.groups()
    try:
        naive = dt.datetime(int(year), int(month), int(day), int(hour or 0), int(minute or 0), int(second or 0),
                            int((frac or "0")[:6].ljust(6, "0")))
    except ValueError:
        return None
    if zone:
        offset = _offset(zone)
        if offset is None:
            return None
        return naive.replace(tzinfo=offset).astimezone(tz)
    if yaml_time and hour is not None:
        return naive.replace(tzinfo=dt.timezone.utc).astimezone(tz)  # Psych: a timestamp without zone is UTC
    return naive.replace(tzinfo=tz)


def time_values(t: dt.datetime) -> dict[str, str]:
    """The time tokens of a permalink (``:year``, ``:i_month``, ``:long_day``, ...) for ``t``."""
    return dict(wall_values(t))


def wall_values(t: dt.datetime) -> Mapping[str, str]:
    """:func:`time_values`, shared by every time of the same wall clock: read it, never change it."""
    # They read the wall clock alone, not the zone: posts of a day share them.
    return _wall_values(t.year, t.month, t.day, t.hour, t.minute, t.second)


@lru_cache(maxsize=4096)
def _wall_values(year: int, month: int, day: int, hour: int, minute: int, second: int) -> dict[str, str]:
    t = dt.datetime(year, month, day, hour, minute, second)
    iso = t.isocalendar()
    month, day = MONTHS[t.month - 1], DAYS[t.weekday()]
    return {"year": f"{t.year:04d}", "month": f"{t.month:02d}", "day": f"{t.day:02d}", "hour": f"{t.hour:02d}",
            "minute": f"{t.minute:02d}", "second": f"{t.second:02d}", "i_day": str(t.day), "i_month": str(t.month),
            "short_month": month[:3], "long_month": month, "short_year": f"{t.year % 100:02d}",
            "w_year": str(iso[0]), "week": f"{iso[1]:02d}", "w_day": str(iso[2]), "short_day": day[:3],
            "long_day": day, "y_day": f"{t.timetuple().tm_yday:03d}"}


TIME_KEYS = frozenset(time_values(dt.datetime(2000, 1, 1)))
