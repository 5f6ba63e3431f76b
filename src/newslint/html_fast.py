"""A fast path for the HTML tree: plain markup read by one regex.

It stays because it pays: it buys about 5 % of a cold corpus run (the
figures are in bench/README.md), and the tree it gives is the tree
html.parser gives (tests/test_html.py compares both on generated markup).
"""

from __future__ import annotations

import re
from html import unescape

# Most posts' HTML is plain: tags with simple names and attributes, end tags,
# comments without dashes. For those, what html.parser reports is decided by
# a few rules every version from 3.10 to 3.13 (security releases included)
# applies the same way, and one regex reads them at a third of html.parser's
# cost (a quarter of the HTML tree's time on the corpus). A post with anything
# else (a declaration, a processing instruction, <script> or another raw-text
# element, an attribute html.parser reads its tolerant way, a "<" before a
# letter that is no such tag) goes to html.parser whole. tests/test_html.py
# compares both on generated markup; the corpus gives the same trees.
_WS = r"[ \t\n\r\f]"
_FAST_NAME = r"[a-zA-Z_:][-a-zA-Z0-9_:.]*"
_FAST_VALUE = r""""[^"]*"|'[^']*'|[^\s"'=<>`]+"""
_FAST_TAG = re.compile(
    f"<(?:([a-zA-Z][a-zA-Z0-9:-]*)((?:{_WS}+{_FAST_NAME}(?:{_WS}*={_WS}*(?:{_FAST_VALUE}))?)*){_WS}*(/?)>"
    f"|/([a-zA-Z][-.a-zA-Z0-9:_]*){_WS}*>"
    "|!--([^<>-]*)-->)"
)
_FAST_ATTR = re.compile(f"{_WS}+({_FAST_NAME})(?:{_WS}*={_WS}*({_FAST_VALUE}))?")
# Elements whose content html.parser (or a newer one) reads as raw text.
_RAW_TEXT = frozenset("script style textarea title xmp iframe noembed noframes noscript plaintext".split())
# After "<", what html.parser reads as the start of markup (anything else is text).
_MARKUP_START = frozenset("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ/!?")
_QUOTES = ("'", '"')


# Tag names as read (``P``, ``br``) -> lower-cased, one string per name:
# hashed once, and most posts use a few dozen names. Raw-text names are
# never kept (a start tag with one sends the post to html.parser).
_NAMES: dict[str, str] = {}
# A tag's attributes text -> its attributes: the same few (` class="caps"`,
# ` data-ke-size="size16"`) come back tag after tag, post after post. Each
# element gets its own copy of the list.
_ATTRS: dict[str, list[tuple[str, str | None]]] = {}
_NAMES_KEPT, _ATTRS_KEPT = 512, 2048


def fast_tokens(source: str) -> list[tuple] | None:
    """The tags and comments of ``source`` as html.parser reports them, or None
    when ``source`` holds markup outside the plain forms (see above).

    Tokens: ``(0, tag, attrs, start, end, self_closing)``, ``(1, tag, start,
    end)`` and ``(2, data, start, end)``, offsets in ``source``.
    """
    tokens: list[tuple] = []
    append = tokens.append
    find, match = source.find, _FAST_TAG.match
    names, known = _NAMES, _ATTRS
    pos = find("<")
    while pos != -1:
        m = match(source, pos)
        if m is None:
            if source[pos + 1 : pos + 2] in _MARKUP_START and pos + 1 < len(source):
                return None
            pos = find("<", pos + 1)  # "<" before a space, a digit, ...: text
            continue
        end = m.end()
        tag, raw, slash, end_tag, comment = m.groups()  # one call, not one per group
        if tag is not None:
            name = names.get(tag)
            if name is None:
                name = tag.lower()
                if name in _RAW_TEXT:
                    return None
                if len(names) < _NAMES_KEPT:
                    names[tag] = name
            if raw:
                attrs = known.get(raw)
                if attrs is None:
                    attrs = _attributes(raw)
                    if len(known) >= _ATTRS_KEPT:
                        known.clear()
                    known[raw] = attrs
                attrs = attrs.copy()
            else:
                attrs = []
            append((0, name, attrs, pos, end, slash == "/"))
        elif end_tag is not None:
            name = names.get(end_tag)
            if name is None:
                name = end_tag.lower()
                if len(names) < _NAMES_KEPT and name not in _RAW_TEXT:
                    names[end_tag] = name
            append((1, name, pos, end))
        else:
            append((2, comment, pos, end))
        pos = find("<", end)
    return tokens


def _attributes(raw: str) -> list[tuple[str, str | None]]:
    """The attributes of a start tag's attributes text ``raw``, as html.parser gives them."""
    attrs: list[tuple[str, str | None]] = []
    # findall: no match object per attribute; a value never matches empty
    # (quotes stay on it), so "" is no value.
    for name, value in _FAST_ATTR.findall(raw):
        if value:
            if value[0] in _QUOTES:
                value = value[1:-1]
            if "&" in value:
                value = unescape(value)
            attrs.append((name.lower(), value))
        else:
            attrs.append((name.lower(), None))
    return attrs
