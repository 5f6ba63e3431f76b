"""The JSON Schema ``format``s newslint checks itself, one small function each.

They are ours, not jsonschema's, so a verdict never depends on which optional
packages happen to be installed (jsonschema checks ``uri`` only with rfc3987 or
rfc3986-validator, ``date-time`` only with rfc3339-validator). Each takes any
JSON value and answers True for a value that is not a string: a format only
constrains strings.

Dates are checked as the text the author wrote (front matter timestamps are
kept as strings), on a real calendar.
"""

from __future__ import annotations

import datetime
import re
from typing import Any, Callable

# `post-date`: the dates Jekyll and Hugo accept (`2024-01-02`, `2024-01-02 10:00`,
# `2024-01-02 10:00:00 +0900`, `2024-01-02T10:00:00Z`).
_POST_DATE = re.compile(r"(\d{4})-(\d{1,2})-(\d{1,2})"
                        r"(?:[ T](\d{1,2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?)?"
                        r"(?: ?(Z|[+-]\d{2}:?\d{2}))?\s*", re.ASCII)
# RFC 3339 section 5.6, strict: a `T` (or `t`) between date and time, seconds and an offset required.
_RFC3339 = re.compile(r"(\d{4})-(\d{2})-(\d{2})[Tt](\d{2}):(\d{2}):(\d{2})(?:\.\d+)?([Zz]|[+-]\d{2}:\d{2})", re.ASCII)
_FULL_DATE = re.compile(r"(\d{4})-(\d{2})-(\d{2})", re.ASCII)


def _calendar_ok(groups: tuple) -> bool:
    y, mo, d = groups[0], int(groups[1]), int(groups[2])
    # Days 1-28 of months 1-12 exist in every year from 1 on: the calendar
    # is asked only about the others.
    if not (1 <= mo <= 12 and 1 <= d <= 28 and y.strip("0")):
        try:
            datetime.date(int(y), mo, d)
        except ValueError:
            return False
    if len(groups) == 3:
        return True
    h, mi, sec, tz = groups[3:]
    if h is not None and (int(h) > 23 or int(mi) > 59 or (sec is not None and int(sec) > 60)):
        return False
    if tz and tz not in "Zz":
        digits = tz[1:].replace(":", "")
        if int(digits[:2]) > 23 or int(digits[2:]) > 59:
            return False
    return True


def is_post_date(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    m = _POST_DATE.fullmatch(value)
    return m is not None and _calendar_ok(m.groups())


def is_date_time(value: Any) -> bool:
    if not isinstance(value, str):
        return True
    m = _RFC3339.fullmatch(value)
    return m is not None and _calendar_ok(m.groups())


def is_date(value: Any) -> bool:
    """RFC 3339 full-date: `2024-01-02`, zero-padded, on a real calendar."""
    if not isinstance(value, str):
        return True
    m = _FULL_DATE.fullmatch(value)
    return m is not None and _calendar_ok(m.groups())


_EMAIL = re.compile(r"[^@\s]+@[^@\s.][^@\s]*")


def is_email(value: Any) -> bool:
    """An address with one `@`, something on both sides and no spaces: the
    part of RFC 5321 a front matter author can get wrong. Whether the domain
    exists is not a question for a linter."""
    if not isinstance(value, str):
        return True
    return _EMAIL.fullmatch(value) is not None and not value.endswith(".")


# RFC 3986: the characters a URI may hold (unreserved, reserved, and
# %-escapes); an IRI (RFC 3987) may hold any other non-control character too.
_URI_CHARS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2})*", re.ASCII)
_IRI_CHARS = re.compile(r"(?:[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=]|%[0-9A-Fa-f]{2}"
                        r"|[^\x00-\x7f\s\u0080-\u009f\ufff0-\uffff])*")
# RFC 3986 appendix B: scheme, authority, path, query, fragment.
_PARTS = re.compile(r"(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?", re.DOTALL)
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.\-]*", re.ASCII)
_AUTHORITY = re.compile(r"(?:[^@\[\]]*@)?(?:\[[0-9A-Fa-f:.]+\]|\[v[0-9A-Fa-f]+\.[^\]]+\]|[^:\[\]@]*)(?::[0-9]*)?")


def _uri_like(value: str, *, absolute: bool, iri: bool) -> bool:
    if (_IRI_CHARS if iri else _URI_CHARS).fullmatch(value) is None:
        return False
    m = _PARTS.fullmatch(value)
    if m is None:  # pragma: no cover - every string matches appendix B
        return False
    scheme, authority, path, query, fragment = m.groups()
    if scheme is None:
        if absolute:
            return False
        # A relative reference whose first segment holds a colon reads as a scheme.
        first = path.split("/", 1)[0]
        if ":" in first:
            return False
    elif _SCHEME.fullmatch(scheme) is None:
        return False
    if authority is not None and _AUTHORITY.fullmatch(authority) is None:
        return False
    rest = path + (query or "") + (fragment or "")
    return "[" not in rest and "]" not in rest and "#" not in (fragment or "")


def is_uri(value: Any) -> bool:
    return not isinstance(value, str) or _uri_like(value, absolute=True, iri=False)


def is_uri_reference(value: Any) -> bool:
    return not isinstance(value, str) or _uri_like(value, absolute=False, iri=False)


def is_iri(value: Any) -> bool:
    return not isinstance(value, str) or _uri_like(value, absolute=True, iri=True)


def is_iri_reference(value: Any) -> bool:
    return not isinstance(value, str) or _uri_like(value, absolute=False, iri=True)


CHECKERS: dict[str, Callable[[Any], bool]] = {
    "post-date": is_post_date,
    "date": is_date,
    "date-time": is_date_time,
    "email": is_email,
    "uri": is_uri,
    "uri-reference": is_uri_reference,
    "iri": is_iri,
    "iri-reference": is_iri_reference,
}


def format_checker():
    """jsonschema's FormatChecker (its stdlib-only formats: ``ipv4``, ``uuid``,
    ``regex``, ...) with newslint's own checkers in place of its versions."""
    from jsonschema import FormatChecker

    checker = FormatChecker()
    for name, func in CHECKERS.items():
        checker.checks(name)(func)
    return checker
