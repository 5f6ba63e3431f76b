"""Jekyll's text helpers for URLs: ``Utils.slugify``, Ruby's ``to_s``, and
Addressable's escaping as ``Jekyll::URL`` uses it."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

import regex

_SLUG_RE = {
    "raw": regex.compile(r"\s+"),
    "default": regex.compile(r"[^\p{M}\p{L}\p{Nd}]+"),
    "pretty": regex.compile(r"[^\p{M}\p{L}\p{Nd}._~!$&'()+,;=@]+"),
    "ascii": regex.compile(r"[^A-Za-z0-9]+"),
}


_SLASHES = re.compile(r"/{2,}")


def slugify(text: Any, mode: str = "default", cased: bool = False) -> str | None:
    """``Jekyll::Utils.slugify``: runs of other characters become one hyphen."""
    if text is None:
        return None
    return _slugify(ruby_str(text), mode, cased)


@lru_cache(maxsize=4096)
def _slugify(text: str, mode: str, cased: bool) -> str:
    # A site's languages share their posts' file names: each is slugified once.
    if mode not in ("raw", "default", "pretty", "ascii", "latin"):
        return text if cased else text.lower()
    if mode == "latin":  # I18n.transliterate: accents dropped, then the default mode
        import unicodedata

        text = "".join(c for c in unicodedata.normalize("NFKD", text) if not unicodedata.combining(c))
        text = "".join(c if ord(c) < 128 else "?" for c in text)
        mode = "default"
    slug = _SLUG_RE[mode].sub("-", text)
    # Ruby's gsub(/^\-|\-$/i, ""): one hyphen off each end (no newline is left in a slug).
    if slug[:1] == "-":
        slug = slug[1:]
    if slug[-1:] == "-":
        slug = slug[:-1]
    return slug if cased else slug.lower()


def ruby_str(value: Any) -> str:
    """A value as Ruby's ``to_s`` writes it (``true``, ``""`` for nil)."""
    if value is None:
        return ""
    if value is True:
        return "true"
    if value is False:
        return "false"
    return str(value)


# Addressable::URI's character classes: what stays unescaped in each part.
_SUB_DELIMS = "!$&'()*+,;="
_UNRESERVED = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-._~"
_PCHAR = _UNRESERVED + _SUB_DELIMS + ":@"
_CLASSES = {"scheme": _UNRESERVED.replace("_", "").replace("~", "") + "+",
            "authority": _PCHAR + "[]", "path": _PCHAR + "/", "query": _PCHAR + "/?", "fragment": _PCHAR + "/?"}
_URI_PARTS = re.compile(r"^(?:([^:/?#]+):)?(?://([^/?#]*))?([^?#]*)(?:\?([^#]*))?(?:#(.*))?$", re.S)
_PLAIN = re.compile(r"^[a-zA-Z0-9./-]+$")


def _encode(part: str, allowed: str) -> str:
    return "".join(c if c in allowed else "".join(f"%{b:02X}" for b in c.encode("utf-8", "surrogatepass"))
                   for c in part)


def escape_path(path: str) -> str:
    """``Jekyll::URL.escape_path``: Addressable's encoding, then the first `#` escaped."""
    if not path or _PLAIN.match(path):
        return path
    m = _URI_PARTS.match(path)
    if m is None:  # pragma: no cover - the pattern matches every string
        return _encode(path, _CLASSES["path"])
    scheme, authority, rest, query, fragment = m.groups()
    out = ""
    if scheme is not None:
        out += _encode(scheme, _CLASSES["scheme"]) + ":"
    if authority is not None:
        out += "//" + _encode(authority, _CLASSES["authority"])
    out += _encode(rest, _CLASSES["path"])
    if query is not None:
        out += "?" + _encode(query, _CLASSES["query"])
    if fragment is not None:
        out += "#" + _encode(fragment, _CLASSES["fragment"])
    return out.replace("#", "%23", 1)


def sanitize_url(url: str) -> str:
    """``Jekyll::URL#sanitize_url``: one leading `/`, no `..` or `./`, no doubled `/`."""
    url = ("/" + url).replace("..", "/").replace("./", "")
    if "//" not in url:
        return url
    # Most URLs start with a `/`, doubled here, and have no other run of slashes.
    rest = url.lstrip("/")
    return "/" + rest if "//" not in rest else _SLASHES.sub("/", url)
