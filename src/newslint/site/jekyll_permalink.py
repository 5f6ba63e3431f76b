"""Jekyll's permalink templates: the styles, and a template filled from a
document's URL drop (``Jekyll::URL``) or a page's own tokens."""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Mapping

from .jekyll_text import escape_path

STYLES = {
    "none": "/:categories/:title:output_ext",
    "date": "/:categories/:year/:month/:day/:title:output_ext",
    "ordinal": "/:categories/:year/:y_day/:title:output_ext",
    "pretty": "/:categories/:year/:month/:day/:title/",
    "weekdate": "/:categories/:year/W:week/:short_day/:title:output_ext",
}

_TOKEN = re.compile(r":([a-z_]+)")


def permalink_suffix(template: str, style: str) -> str:
    """``Utils.add_permalink_suffix``: the ending (`/` or the extension) of the site's style."""
    if style == "pretty":
        return template + "/"
    if style in ("date", "ordinal", "none"):
        return template + ":output_ext"
    if style.endswith("/"):
        template += "/"
    if style.endswith(":output_ext"):
        template += ":output_ext"
    return template


class UnknownToken(ValueError):
    pass


@lru_cache(maxsize=256)
def template_pieces(template: str) -> tuple[str, ...]:
    """A template split at its tokens: text, token name, text, ..., text (a site has few templates)."""
    return tuple(_TOKEN.split(template))


def fill_template(template: str, values: Mapping[str, str]) -> str:
    """A document's template filled from its URL drop; a token the drop lacks stops Jekyll's build."""
    head, tokens = _fill_plan(template)
    out = [head]
    for name, keys, after in tokens:
        for key, kept in keys:
            if key in values:
                out.append(_escape_value(values[key]) + kept)
                break
        else:
            raise UnknownToken(name)
        out.append(after)
    return "".join(out)


# Posts share most of their values (a year, a day, their categories): each is escaped once.
_escape_value = lru_cache(maxsize=4096)(escape_path)


@lru_cache(maxsize=256)
def _fill_plan(template: str) -> tuple[str, tuple[tuple[str, tuple[tuple[str, str], ...], str], ...]]:
    """A template's text before its first token, then each token: its name,
    the drop keys that may fill it (with what of the name each keeps: `:title_`
    filled from `title` keeps its `_`), and the text after it."""
    pieces = template_pieces(template)
    tokens = []
    for i in range(1, len(pieces), 2):
        name = pieces[i]
        keys = (name, name[:-1]) if name.endswith("_") else (name,)
        tokens.append((name, tuple((key, name[len(key):]) for key in keys), pieces[i + 1]))
    return pieces[0], tuple(tokens)


@lru_cache(maxsize=256)
def drop_keys(template: str) -> tuple[str, ...]:
    """The URL drop's keys ``template`` may read, each once, in order (a
    token's own, then, for one ending in `_`, the key without it)."""
    tokens = _fill_plan(template)[1]
    return tuple(dict.fromkeys(key for _name, keys, _after in tokens for key, _kept in keys))


def fill_hash(template: str, values: Mapping[str, str | None]) -> str:
    """A page's template: only its own tokens, replaced one after the other, anywhere they appear."""
    for key, value in values.items():
        if ":" not in template:
            break
        template = template.replace("/:" + key, "") if value is None else template.replace(":" + key, escape_path(value))
    return template
