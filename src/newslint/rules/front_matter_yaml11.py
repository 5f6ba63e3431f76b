from __future__ import annotations

import re
from typing import Any

import yaml

from ..model import Edit, Finding, Fix
from ..ruleapi import Rule
from .yaml_readers import ALL_READERS, OTHER, READERS, date_like, date_match

# The words YAML 1.1 parsers (or Hugo's go-yaml v2) take for booleans, by the
# value they stand for; case is left to each reader.
_BOOL_WORDS = {"yes": True, "on": True, "y": True, "no": False, "off": False, "n": False}
_OCTAL = re.compile(r"[-+]?0[0-7_,]+")
# What a text says at face value when it is a number or a boolean in every
# YAML: `true`, `12`, `-3`, `0x1F`, `0o17`, `2.5`, `1e3`. Anything else is text.
_FACE_INT = re.compile(r"[-+]?(?:0|[1-9][0-9]*)|[-+]?0x[0-9a-fA-F]+|[-+]?0o[0-7]+")
_FACE_FLOAT = re.compile(r"[-+]?[0-9]*\.?[0-9]+(?:[eE][-+]?[0-9]+)?|[-+]?[0-9]+\.[0-9]*(?:[eE][-+]?[0-9]+)?")
_FACE_EXP = re.compile(r"[eE]")

BOOLEAN_KEYS = ["published", "draft", "comments", "comment", "toc", "hidden", "featured", "sitemap", "share",
                "related", "math", "mathjax", "katex", "mermaid", "search", "sidebar", "pin", "sticky",
                "author_profile", "read_time", "show_date", "headless", "private", "unlisted", "archived"]
STRING_KEYS = ["country", "country_code", "lang", "language", "locale", "region", "code", "iso", "abbr", "state",
               "answer"]
NUMBER_KEYS = ["weight", "lat", "lng", "lon", "latitude", "longitude", "rating", "score", "price", "order",
               "priority", "zoom"]


# The tags a plain scalar resolves to in PyYAML; an explicit tag (`!!str`) is
# read as it says by every parser.
_PLAIN_TAGS = frozenset("tag:yaml.org,2002:" + t for t in ("str", "bool", "int", "float", "null", "timestamp"))


def _at_face_value(text: str) -> bool:
    """True when the text is a boolean or a number in every YAML, as written."""
    if text.lower() in ("true", "false") or _FACE_INT.fullmatch(text):
        return True
    if _FACE_FLOAT.fullmatch(text):
        return bool(_FACE_EXP.search(text)) or repr(float(text)) == text
    return False


# The characters a number can start with (and "": an empty text passes too).
_NUMBER_STARTS = "0123456789+-."


def _may_retype(text: str) -> bool:
    """A cheap first look: only words like `yes` and texts that start like a
    number can be read as something else (titles, names and URLs cannot)."""
    return text[:1] in _NUMBER_STARTS or text.lower() in _BOOL_WORDS


# What a plain scalar retyped() may report starts with: a digit, a sign, a
# dot, or the first letter of a boolean word (each is at most three letters,
# and no other character lowercases to y, n or o). An empty value is null to
# every reader.
_NUMBER_FIRST = frozenset(_NUMBER_STARTS)
_MAY_START = frozenset(_NUMBER_STARTS + "yYnNoO")


def _shown(value: Any) -> str:
    if value is True:
        return "the boolean true"
    if value is False:
        return "the boolean false"
    if isinstance(value, str):
        return f"the text \"{value}\""
    return f"the number {value!r}"


def _kind(text: str) -> str:
    if ":" in text:
        return " (base 60)"
    if "0b" in text.lower():
        return " (binary)"
    if _OCTAL.fullmatch(text) and len(text.lstrip("+-")) > 1:
        return " (octal)"
    if "_" in text or "," in text:
        return " (digit groups)"
    return ""


def _same(a: Any, b: Any) -> bool:
    return type(a) is type(b) and a == b


def _join(labels: list[str]) -> str:
    return labels[0] if len(labels) == 1 else ", ".join(labels[:-1]) + " and " + labels[-1]


def retyped(text: str, key: str | None, options: dict[str, Any], generator: str = "none") -> tuple[str, str, bool] | None:
    """(why, replacement, safe) for a plain scalar that the site's YAML parser
    reads as something else than the text written; None when every reader of
    that site reads it as written.

    ``safe``: every reader of the site reads the replacement as the same value
    it reads the text written as.
    """
    if not _may_retype(text) or date_like(text) or _at_face_value(text):
        return None  # the date in most posts (asked first): no reader takes it for another type
    readers = READERS.get(generator, READERS["none"])
    claims = [(label, value) for label, read in readers if (value := read(text)) is not OTHER]
    if not any(not isinstance(value, str) for _label, value in claims):
        return None  # read as the text written
    word = text.lower()
    is_word = word in _BOOL_WORDS and any(isinstance(value, bool) for _label, value in claims)
    if not is_word:
        numbers = [value for _label, value in claims if isinstance(value, (int, float)) and not isinstance(value, bool)]
        if (numbers and all(isinstance(v, float) for v in numbers) and key is not None
                and key in options.get("number_keys", ()) and ":" not in text and "_" not in text and "," not in text):
            return None  # `weight: 1.50`: meant as a number
    groups: dict[tuple[type, Any], list[str]] = {}
    for label, value in claims:
        groups.setdefault((type(value), value), []).append(label)
    if len(groups) == 1:
        ((_t, value), labels), = groups.items()
        who = ALL_READERS.get(generator, ALL_READERS["none"]) if len(labels) == len(readers) else _join(labels)
        why = f"`{text}` is read as {_shown(value)}{'' if is_word else _kind(text)} by {who}"
        if isinstance(value, float) and not is_word and not _kind(text):
            why += ", which is not the text written (a version number?)"
    else:
        readings = ", ".join(f"as {_shown(value)} by {_join(labels)}" for (_t, value), labels in groups.items())
        what = "Hugo versions" if generator == "hugo" else "YAML versions" if generator == "none" else "parsers"
        why = f"`{text}` is read differently by {what}: {readings}"
    if is_word:
        meant = _BOOL_WORDS[word]
        as_bool = "true" if meant else "false"
        as_text = key is None or key not in options.get("boolean_keys", ())
        as_text = as_text and (text.isupper() or (key is not None and key in options.get("string_keys", ())))
        replacement = f'"{text}"' if as_text else as_bool
        if as_text:  # `country: NO`, `lang: no`: a code, meant as text
            advice = f"; you likely meant the text: quote it (or write `{as_bool}`)"
        elif len(groups) == 1:  # `featured: yes` where the site reads a boolean: spell it so every parser agrees
            advice = f"; write `{as_bool}`, which every YAML parser reads the same (or quote it if you mean the text)"
        else:
            advice = f"; you likely meant the boolean: write `{as_bool}` (or quote it if you mean the text)"
    else:
        replacement = f'"{text}"'
        advice = "; quote it to keep the text"
    new_value = text if replacement.startswith('"') else meant  # what every reader makes of the replacement
    safe = all(_same(value, new_value) for _label, value in claims)
    return why + advice, replacement, safe


class FrontMatterYaml11(Rule):
    """A front matter value that the site's YAML parser reads as another type.

    ## What it does
    Generators: Jekyll and Hugo, each with its own parser; outside a site,
    YAML 1.1 against YAML 1.2.

    Finds plain (unquoted) values in YAML front matter that the parser of the
    post's site reads as something else than the text written:

    - Jekyll (Ruby's Psych, YAML 1.1): `yes`, `no`, `on`, `off` in any case
      (`NO`, `oN`) are booleans; `012` (octal: 10), `0b101`, `1_000` and
      `1,000` are integers; `12:30` is 45000 (Psych reads two parts as hours
      and minutes, in seconds); `1.10` is the number 1.1.
    - Hugo: the versions disagree. Older Hugo (0.111, go-yaml v2) reads `y`,
      `n`, `yes`, `no`, `on`, `off` as booleans and `08540` as the number
      8540; current Hugo (0.168) reads them as the text written. Both read
      `012` as 10 and `1.10` as 1.1; neither reads `12:30` or `1,000` as a
      number, so those are not reported on a Hugo site.
    - Outside a site: what a YAML 1.1 parser (PyYAML) reads as another type,
      and, for the boolean words, that YAML 1.2 parsers read them as text.

    A `yes`/`no`/`on`/`off` is taken as a boolean (`featured: yes`,
    `keep_md: yes`), unless it is written in capitals (`NO`, the Norway
    problem) or its key is in `string_keys` (`country`, `lang`): then it is
    taken as text. A key in `boolean_keys` (like `published`) always holds a
    boolean. Floats under `number_keys` (like `weight`) are expected numbers.

    ## Why is this bad?
    The Norway problem: `country: NO` becomes `false`, `id: 012` becomes 10,
    `time: 12:30` becomes a number and `version: 1.10` becomes 1.1, without
    a word. On Hugo the same post means one thing before an upgrade and
    another after it: `draft: yes` is a boolean for Hugo 0.111 and the text
    "yes" for Hugo 0.168.

    ## Example
    ```yaml
    ---
    title: 노르웨이 특집
    country: NO
    time: 12:30
    published: no
    ---
    ```

    ## Use instead
    ```yaml
    ---
    title: 노르웨이 특집
    country: "NO"
    time: "12:30"
    published: false
    ---
    ```

    ## Fix safety
    A boolean word becomes `true` or `false`, and a text (a code in
    capitals, a value under a `string_keys` key, a number-like text) gets
    double quotes. The fix is safe only where every parser of the site
    reads the new text as the same value as the old one:

    - Jekyll: `yes` to `true` is safe (Psych reads both as true); quoting
      is unsafe, since Jekyll reads `NO` as false and `"NO"` as the text.
    - Hugo: unsafe, since the versions disagree on the words (`yes` to
      `true` changes the value for current Hugo, quoting it changes it for
      older Hugo) and both read `012` as a number.
    - Outside a site: unsafe, for the same reasons between YAML 1.1 and
      YAML 1.2 parsers.

    Only that value changes: the key order, the other values, the comments
    and the line endings stay byte for byte.

    ## Options
    - `boolean_keys`: keys whose `yes`/`no`/`on`/`off` are always booleans.
    - `string_keys`: keys whose `yes`/`no`/`on`/`off` are text (codes).
    - `number_keys`: keys whose decimal values are meant as numbers.
    """

    name = "front-matter-yaml11"
    code = "NL107"
    severity = "warning"
    fix = "sometimes"
    tags = ("front-matter",)
    options = {"boolean_keys": BOOLEAN_KEYS, "string_keys": STRING_KEYS, "number_keys": NUMBER_KEYS}

    def check(self, doc, options):
        fm = doc.front_matter
        if fm is None or fm.format != "yaml" or not fm.closed or fm.error is not None or fm.node is None:
            return ()
        generator = doc.site.generator
        stack: list[tuple[yaml.Node, str | None]] = [(fm.node, None)]
        found: list[Finding] = []
        scalar_node, plain_tags, number_starts, words = yaml.ScalarNode, _PLAIN_TAGS, _NUMBER_STARTS, _BOOL_WORDS
        may_start, number_first = _MAY_START, _NUMBER_FIRST
        # A date or an integer as written (`2024-01-02`, `12`): retyped()
        # passes them over first. The date of almost every post is passed
        # over here, without a call.
        dated, face_int = date_match, _FACE_INT.fullmatch
        push = stack.append
        while stack:
            node, key = stack.pop()
            if isinstance(node, scalar_node):
                if node.style or node.tag not in plain_tags:
                    continue  # quoted, a block scalar, or tagged (`!!str 012`): read as written
                text = node.value
                if text[:1] not in number_starts and text.lower() not in words:
                    continue  # what retyped() looks at first (_may_retype), without the calls
                hit = retyped(text, key, options, generator)
                if hit is None:
                    continue
                why, replacement, safe = hit
                start, end = fm.node_span(node)
                if doc.text[start:end] != node.value:
                    continue  # a multi-line plain scalar: never a number or a boolean
                fix = (Fix.safe if safe else Fix.unsafe)(f"write `{replacement}`", Edit(start, end, replacement))
                found.append(Finding(start, end, why, fix=fix))
            elif isinstance(node, (yaml.MappingNode, yaml.SequenceNode)):
                # (value, key it is under) of each child; a sequence's items
                # are under the sequence's own key.
                if isinstance(node, yaml.MappingNode):
                    children = [(v, k.value if isinstance(k, scalar_node) else None) for k, v in node.value]
                else:
                    children = [(v, key) for v in node.value]
                for v, under in children:
                    # A child scalar retyped() would pass over is not pushed:
                    # a plain string (the most common value), a date, a
                    # number as written.
                    if v.__class__ is scalar_node:
                        text = v.value
                        first = text[:1]
                        if first not in may_start or v.style or v.tag not in plain_tags:
                            continue
                        if first in number_first:
                            if dated(text) or face_int(text):
                                continue
                        elif len(text) > 3 or text.lower() not in words:
                            continue
                    push((v, under))
        if len(found) > 1:
            found.sort(key=lambda f: f.start)
        return found
