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
# applies the same way, and one regex reads them far more cheaply than
# html.parser's state machine. A post with anything
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
# A whole tag's text (``<p>``, ``</span>``, ``<span style="color: red">``)
# -> its token (see read_at): most tags repeat one read before, in the post or an earlier one.
# It is looked up by the text from a "<" to the first ">" after it, which the
# regex reads the same way wherever it stands when it reads it all: a ">" in
# a match is its end or inside a quoted value, and whether a character is
# inside quotes is decided left to right by the text before it (outside
# quotes, a quote can only open a value), so the regex never reads past it.
SEEN: dict[str, tuple] = {}
# The longest tag kept in SEEN: the look for its ">" stops there (a text of
# "<"s and no ">" would otherwise be read to its end once per "<").
SEEN_LONGEST = 400
_NAMES_KEPT, _ATTRS_KEPT, _SEEN_KEPT = 512, 2048, 8192
# The token of a "<" that html.parser reads as text.
TEXT = (3, "", None, False, 1)


def fast_tokens(source: str) -> list[tuple] | None:
    """The tags and comments of ``source`` as html.parser reports them, or None
    when ``source`` holds markup outside the plain forms (see above).

    Tokens: ``(0, tag, attrs, start, end, self_closing)``, ``(1, tag, start,
    end)`` and ``(2, data, start, end)``, offsets in ``source``. The tree
    builder (html._Builder.feed_fast) reads the same tokens one at a time.
    """
    tokens: list[tuple] = []
    pos = source.find("<")
    while pos != -1:
        gt = source.find(">", pos, pos + SEEN_LONGEST)
        got = SEEN.get(source[pos : gt + 1]) if gt != -1 else None
        if got is None:
            got = read_at(source, pos)
            if got is None:
                return None
        kind, name, attrs, self_closing, length = got
        end = pos + length
        if kind == 0:
            tokens.append((0, name, attrs.copy(), pos, end, self_closing))
        elif kind != 3:
            tokens.append((kind, name, pos, end))
        pos = source.find("<", end)
    return tokens


def read_at(source: str, pos: int) -> tuple | None:
    """The token at the "<" at ``pos``, read by the regex (and kept in SEEN),
    or None for markup outside the plain forms. A token is ``(kind, name,
    attrs, self_closing, length)``: kind 0 for a start tag, 1 an end tag (no
    attributes), 2 a comment (its data as the name), 3 a "<" that is text."""
    m = _FAST_TAG.match(source, pos)
    if m is None:
        if source[pos + 1 : pos + 2] in _MARKUP_START and pos + 1 < len(source):
            return None
        return TEXT  # "<" before a space, a digit, ...
    tag, raw, slash, end_tag, comment = m.groups()  # one call, not one per group
    length = m.end() - pos
    if tag is not None:
        name = _name(tag)
        if name in _RAW_TEXT:
            return None
        if raw:
            attrs = _ATTRS.get(raw)
            if attrs is None:
                attrs = _attributes(raw)
                if len(_ATTRS) >= _ATTRS_KEPT:
                    _ATTRS.clear()
                _ATTRS[raw] = attrs
        else:
            attrs = []
        got = (0, name, attrs, slash == "/", length)
    elif end_tag is not None:
        got = (1, _name(end_tag), None, False, length)
    else:
        got = (2, comment, None, False, length)
    if length <= SEEN_LONGEST:
        if len(SEEN) >= _SEEN_KEPT:
            SEEN.clear()
        SEEN[m.group()] = got
    return got


def _name(tag: str) -> str:
    name = _NAMES.get(tag)
    if name is None:
        name = tag.lower()
        if len(_NAMES) < _NAMES_KEPT and name not in _RAW_TEXT:
            _NAMES[tag] = name
    return name


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
