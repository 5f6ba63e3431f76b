"""How each generator's YAML parser reads a plain (unquoted) front matter scalar.

newslint parses front matter with PyYAML, but a post's value is what its
site's generator reads, and the generators disagree:

* Jekyll loads front matter with Ruby's Psych (``Psych.safe_load`` with
  ``permitted_classes: [Date, Time]``, in ``Jekyll::Utils.safe_load_yaml``):
  YAML 1.1 with Psych's own scanner. Booleans are ``yes``/``no``/``on``/``off``
  in any case (``oN`` too), commas group digits (``1,000`` is 1000) and
  ``12:30`` is 45000: Psych reads two parts as hours and minutes.
* Hugo up to the versions that used go-yaml v2 (Debian's 0.111) reads
  ``y``/``n``/``yes``/``no``/``on``/``off`` as booleans and ``08540`` as the
  float 8540.
* Current Hugo (0.168) reads those words as text; only ``true`` and
  ``false`` are booleans.

Each reader below follows its parser only as far as the rule needs: plain
one-line scalars that look like a boolean word or start like a number. A
value none of them judges (a null, a date, a time) is :data:`OTHER`.
tests/test_yaml_readers.py runs the real parsers (Ruby, Hugo) on the same
texts.
"""

from __future__ import annotations

import re
from typing import Any, Callable

import yaml

OTHER = object()  # a null, a date or a time: not a value these readers judge
Reader = Callable[[str], Any]

_TIMESTAMP = re.compile(r"-?\d{4}-\d{1,2}-\d{1,2}(?:(?:[Tt]|\s+)\d{1,2}:\d\d(?::\d\d(?:\.\d*)?)?.*)?")
_NULLS = frozenset({"", "~", "null", "Null", "NULL"})
_SPECIAL_FLOAT = re.compile(r"[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN)")

# date_like() without a call: a match (true) for a date, None otherwise.
date_match = _TIMESTAMP.fullmatch


def date_like(text: str) -> bool:
    """True for a date, with or without a time, as these readers see one:
    each of them reads it as a date or as the text written, never as a
    boolean or a number (tests/test_yaml_readers.py checks every reader)."""
    return _TIMESTAMP.fullmatch(text) is not None


# -- Ruby's Psych (Jekyll) ------------------------------------------------------
# Psych::ScalarScanner#tokenize, branch by branch, in its order.
_PSYCH_WORDISH = re.compile(r"[^\d.:-]?(?:[^\W\d]|[\s!@#$%^&*(){}<>|/\\~;=])+")
_PSYCH_BASE60_INT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}")
_PSYCH_BASE60_FLOAT = re.compile(r"[-+]?[0-9][0-9_]*(?::[0-5]?[0-9]){1,2}\.[0-9_]*")
_PSYCH_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_,]*)?\.[0-9]*(?:[eE][-+][0-9]+)?")
_PSYCH_INT = re.compile(r"[-+]?0b[0-1_,]+|[-+]?0[0-7_,]+|[-+]?(?:0|[1-9](?:[0-9]|,[0-9]|_[0-9])*)"
                        r"|[-+]?0x[0-9a-fA-F_,]+")


def psych(text: str) -> Any:
    """What Jekyll reads (Ruby's Psych, YAML 1.1)."""
    if not text or "\n" in text:
        return OTHER if not text else text
    if _PSYCH_WORDISH.match(text):
        if len(text) > 5 or not re.match(r"[ytonf~]", text, re.I):
            return text
        word = text.lower()
        if text == "~" or word == "null":
            return OTHER
        if word in ("yes", "true", "on"):
            return True
        if word in ("no", "false", "off"):
            return False
        return text
    if _TIMESTAMP.fullmatch(text) or _SPECIAL_FLOAT.fullmatch(text) or text.startswith(":"):
        return OTHER
    if _PSYCH_BASE60_INT.fullmatch(text):
        return _psych_base60(text, int)
    if _PSYCH_BASE60_FLOAT.fullmatch(text):
        return _psych_base60(text, float)
    if _PSYCH_FLOAT.fullmatch(text):
        if re.fullmatch(r"[-+]?\.", text):
            return text
        return float(re.sub(r"[,_]|\.([Ee]|$)", r"\1", text))
    if _PSYCH_INT.fullmatch(text):
        return _integer(text.replace(",", "").replace("_", ""))
    return text


def _psych_base60(text: str, kind: type) -> Any:
    # Psych weighs the parts 60**2, 60**1, 60**0 from the left, so `12:30`
    # (two parts) is 12 hours 30 minutes: 45000, not YAML 1.1's 750.
    total: Any = kind(0)
    for e, part in enumerate(text.split(":")):
        total += kind(part.replace("_", "")) * 60 ** abs(e - 2)
    return total


def _integer(text: str) -> int | None:
    """An integer as Ruby's Integer() and Go's ParseInt(s, 0, 64) read it:
    a sign, then 0x, 0b, 0o or a leading 0 (octal) or plain decimal digits."""
    sign = -1 if text.startswith("-") else 1
    body = text[1:] if text[:1] in "+-" else text
    prefix = body[:2].lower()
    base = {"0x": 16, "0b": 2, "0o": 8}.get(prefix)
    digits = body[2:] if base else body
    if base is None:
        base = 8 if len(body) > 1 and body.startswith("0") else 10
    try:
        return sign * int(digits, base) if digits and digits.isascii() and digits.isalnum() else None
    except ValueError:
        return None


# -- Go: Hugo ---------------------------------------------------------------------
_V2_BOOL = {w: True for w in ("y", "Y", "yes", "Yes", "YES", "on", "On", "ON", "true", "True", "TRUE")}
_V2_BOOL.update({w: False for w in ("n", "N", "no", "No", "NO", "off", "Off", "OFF", "false", "False", "FALSE")})
_V2_FLOAT = re.compile(r"[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?")
_CORE_BOOL = {"true": True, "True": True, "TRUE": True, "false": False, "False": False, "FALSE": False}
_GOCCY_INT = re.compile(r"[-+]?(?:0b[01_]+|0o[0-7_]+|0x[0-9a-fA-F_]+|0[0-7_]*|[1-9][0-9_]*)")
_GOCCY_FLOAT = re.compile(r"[-+]?(?:[0-9][0-9_]*\.[0-9_]*|\.[0-9][0-9_]*)(?:[eE][-+]?[0-9]+)?")


def _go_common(text: str, bools: dict[str, bool]) -> Any:
    if text in bools:
        return bools[text]
    if text in _NULLS or _SPECIAL_FLOAT.fullmatch(text):
        return OTHER
    if _TIMESTAMP.fullmatch(text):
        return text  # a date under any key but Hugo's own date keys reaches the page as the text written
    return None


def hugo_v2(text: str) -> Any:
    """What Hugo reads with go-yaml v2 (Debian's Hugo 0.111; YAML 1.1 words)."""
    known = _go_common(text, _V2_BOOL)
    if known is not None:
        return known
    if text[:1] not in "0123456789+-.":
        return text
    plain = text.replace("_", "")
    value = _integer(plain)
    if value is not None:
        return value
    if _V2_FLOAT.fullmatch(plain):
        return float(plain)
    return text


def hugo_current(text: str) -> Any:
    """What current Hugo reads (0.168: only `true`/`false` are booleans)."""
    known = _go_common(text, _CORE_BOOL)
    if known is not None:
        return known
    if _GOCCY_INT.fullmatch(text):
        return _integer(text.replace("_", ""))
    if _GOCCY_FLOAT.fullmatch(text):
        return float(text.replace("_", ""))
    return text


# -- No site: YAML 1.1 as PyYAML reads it, and YAML 1.2's booleans -------------------
# PyYAML's resolver: resolving a scalar changes nothing in it, one serves every call.
_RESOLVER = yaml.resolver.Resolver()
_WORDS_11 = frozenset({"yes", "Yes", "YES", "no", "No", "NO", "on", "On", "ON", "off", "Off", "OFF"})


def yaml11(text: str) -> Any:
    """What a YAML 1.1 parser reads (PyYAML, the resolver newslint parses with)."""
    tag = _RESOLVER.resolve(yaml.ScalarNode, text, (True, False))
    if tag == "tag:yaml.org,2002:str":
        return text
    if tag in ("tag:yaml.org,2002:bool", "tag:yaml.org,2002:int", "tag:yaml.org,2002:float"):
        loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
        try:
            return yaml.load(text, Loader=loader)
        except yaml.YAMLError:  # pragma: no cover - the resolver just took it for a scalar
            return text
    return OTHER


def yaml12_words(text: str) -> Any:
    """YAML 1.2's reading of the YAML 1.1 boolean words (text); no claim on anything else."""
    return text if text in _WORDS_11 else OTHER


# Who reads a site's front matter: (how a message names the reader, the reader).
READERS: dict[str, tuple[tuple[str, Reader], ...]] = {
    "jekyll": (("Jekyll (YAML 1.1)", psych),),
    "hugo": (("older Hugo (0.111)", hugo_v2), ("current Hugo (0.168)", hugo_current)),
    "none": (("YAML 1.1 parsers", yaml11), ("YAML 1.2 parsers", yaml12_words)),
}
# How a message names all of a site's readers when they agree.
ALL_READERS = {"jekyll": "Jekyll (YAML 1.1)", "hugo": "Hugo", "none": "YAML 1.1 parsers"}
