from __future__ import annotations

import re
from typing import Any

import yaml

from ..model import Edit, Finding, Fix
from ..ruleapi import Rule

_BOOL = "tag:yaml.org,2002:bool"
_INT = "tag:yaml.org,2002:int"
_FLOAT = "tag:yaml.org,2002:float"
_BOOL_WORDS = {"yes": True, "on": True, "no": False, "off": False}
_OCTAL = re.compile(r"[-+]?0[0-7_]+")
_FLOAT_EXP = re.compile(r"[eE]")

BOOLEAN_KEYS = ["published", "draft", "comments", "comment", "toc", "hidden", "featured", "sitemap", "share",
                "related", "math", "mathjax", "katex", "mermaid", "search", "sidebar", "pin", "sticky",
                "author_profile", "read_time", "show_date", "headless", "private", "unlisted", "archived"]
STRING_KEYS = ["country", "country_code", "lang", "language", "locale", "region", "code", "iso", "abbr", "state",
               "answer"]
NUMBER_KEYS = ["weight", "lat", "lng", "lon", "latitude", "longitude", "rating", "score", "price", "order",
               "priority", "zoom"]


def _value(text: str) -> Any:
    """What a YAML 1.1 loader (PyYAML, Ruby's Psych in Jekyll) makes of a plain scalar."""
    loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    try:
        return yaml.load(text, Loader=loader)
    except yaml.YAMLError:  # pragma: no cover - the node came from the same parser
        return text


def _shown(value: Any) -> str:
    if value is True:
        return "the boolean true"
    if value is False:
        return "the boolean false"
    return f"the number {value!r}"


def retyped(node: yaml.ScalarNode, key: str | None, options: dict[str, Any]) -> tuple[str, str | None] | None:
    """(why, replacement) for a plain scalar that YAML 1.1 reads as something
    else than the text written; None when it reads as written."""
    if node.style:  # quoted or a block scalar ('' or None is plain, depending on the loader)
        return None
    text = node.value
    if node.tag == _BOOL:
        word = text.lower()
        if word not in _BOOL_WORDS:
            return None  # true / false: the same in every YAML
        value = _BOOL_WORDS[word]
        why = (f"`{text}` is read as {_shown(value)} by YAML 1.1 parsers (Jekyll), "
               f"but as the text \"{text}\" by YAML 1.2 ones (Hugo)")
        as_bool = "true" if value else "false"
        if key is None or key not in options.get("boolean_keys", ()):
            if text.isupper() or (key is not None and key in options.get("string_keys", ())):
                # `country: NO`, `lang: no`: a code, meant as text.
                return why + f"; quote it to keep the text (or write `{as_bool}`)", None
        # `featured: yes`, `keep_md: yes`: meant as a boolean; spell it so every parser agrees.
        return why + f"; write `{as_bool}` (or quote it if you mean the text)", as_bool
    if node.tag == _INT:
        if "_" in text or ":" in text or text.lstrip("+-").lower().startswith("0b") or (
                _OCTAL.fullmatch(text) and len(text.lstrip("+-")) > 1):
            kind = ("base 60" if ":" in text else "octal" if _OCTAL.fullmatch(text) else
                    "binary" if "0b" in text.lower() else "digit groups")
            return (f"`{text}` is read as {_shown(_value(text))} ({kind}) by YAML 1.1 parsers (Jekyll); "
                    "quote it to keep the text"), None
        return None
    if node.tag == _FLOAT:
        if key is not None and key in options.get("number_keys", ()):
            if ":" not in text and "_" not in text:
                return None
        value = _value(text)
        if ":" in text or "_" in text:
            return f"`{text}` is read as {_shown(value)} by YAML 1.1 parsers (Jekyll); quote it to keep the text", None
        if isinstance(value, float) and value == value and abs(value) != float("inf") and not _FLOAT_EXP.search(text):
            if repr(value) != text:
                return (f"`{text}` is read as {_shown(value)}, which is not the text written "
                        "(a version number?); quote it to keep the text"), None
    return None


class FrontMatterYaml11(Rule):
    """A front matter value that YAML 1.1 silently turns into another type.

    ## What it does
    Finds plain (unquoted) values in YAML front matter that a YAML 1.1 parser
    (Ruby's Psych in Jekyll, PyYAML) reads as something else than the text
    written:

    - `yes`, `no`, `on`, `off` in any case (`NO`, `On`): booleans;
    - `012` (octal: 10), `0b101`, `1_000`: integers;
    - `12:30` (base 60: 750): an integer;
    - `1.10`: the number 1.1, no longer the text written.

    A `yes`/`no`/`on`/`off` is taken as a boolean (`featured: yes`,
    `keep_md: yes`), unless it is written in capitals (`NO`, the Norway
    problem) or its key is in `string_keys` (`country`, `lang`): then it is
    taken as text. A key in `boolean_keys` (like `published`) always holds a
    boolean. Floats under `number_keys` (like `weight`) are expected numbers.

    ## Why is this bad?
    The Norway problem: `country: NO` becomes `false`, `id: 012` becomes 10,
    `time: 12:30` becomes 750 and `version: 1.10` becomes 1.1, without a
    word. YAML 1.2 parsers (Hugo) read some of them as text, so the same post
    means different things on different sites.

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
    The fix is safe. A boolean word becomes `true` or `false` (what Jekyll
    already reads, now spelled so that every YAML parser agrees); text in
    capitals or under a `string_keys` key, and the numbers, get double
    quotes, so every parser reads the text written. Only that value changes:
    the key order, the other values, the comments and the line endings stay
    byte for byte.

    ## Options
    - `boolean_keys`: keys whose `yes`/`no`/`on`/`off` are always booleans.
    - `string_keys`: keys whose `yes`/`no`/`on`/`off` are text (codes).
    - `number_keys`: keys whose decimal values are meant as numbers.
    """

    name = "front-matter-yaml11"
    code = "NL107"
    severity = "warning"
    fix = "safe"
    tags = ("front-matter",)
    options = {"boolean_keys": BOOLEAN_KEYS, "string_keys": STRING_KEYS, "number_keys": NUMBER_KEYS}

    def check(self, doc, options):
        fm = doc.front_matter
        if fm is None or fm.format != "yaml" or not fm.closed or fm.error is not None or fm.node is None:
            return
        stack: list[tuple[yaml.Node, str | None]] = [(fm.node, None)]
        found: list[Finding] = []
        while stack:
            node, key = stack.pop()
            if isinstance(node, yaml.ScalarNode):
                hit = retyped(node, key, options)
                if hit is None:
                    continue
                why, replacement = hit
                start, end = fm.node_span(node)
                if doc.text[start:end] != node.value:
                    continue  # a multi-line plain scalar: never a number or a boolean
                content = replacement if replacement is not None else f'"{node.value}"'
                found.append(Finding(start, end, why, fix=Fix.safe(f"write `{content}`", Edit(start, end, content))))
            elif isinstance(node, yaml.MappingNode):
                for k, v in node.value:
                    stack.append((v, k.value if isinstance(k, yaml.ScalarNode) else None))
            elif isinstance(node, yaml.SequenceNode):
                for v in node.value:
                    stack.append((v, key))
        found.sort(key=lambda f: f.start)
        yield from found
