"""Rule packs: declarative phrase rules as YAML data, in the style of Vale.

A pack holds a list of rules; each becomes a real rule class, so selection,
severity, per-file ignores, suppression comments and the rule docs work for
it exactly as for a Python rule. Two kinds, as in Vale:

``existence``
    report every match of ``tokens`` (regexes wrapped in word boundaries
    unless ``nonword: true``) or ``raw`` (regexes used as written).
``substitution``
    ``swap`` maps a regex to the text to write instead; the message names the
    suggestion (display only: newslint never rewrites prose for a pack).

Scopes: ``title``, ``excerpt`` (``excerpt``/``description``/``summary``),
``body`` (prose text outside code, tags, comments, links and images), ``alt``
(image alt text) and ``link`` (link text). Patterns run on the ``regex``
engine, compiled when the pack is loaded, with a time limit on every match;
``\\w`` there is Unicode and matches Hangul.

The packs in the top-level ``rules/packs/`` folder ship inside the wheel as
``newslint.policy.packs`` (:func:`load_shipped_packs`); a site adds its own
with ``packs = ["path/to/pack.yaml"]`` in its config
(:func:`load_site_packs`). Nothing is read when this package is imported:
each call loads anew, and the caller keeps what it loaded for the run.

Modules: ``load`` (reading and validation), ``rule`` (the rule class and the
matching), ``views`` (the texts of each scope) and ``prefilter`` (the fast
path, with its helpers ``_haystack``, ``_literals`` and ``_shadows``).
"""

from __future__ import annotations

from .load import (
    KINDS,
    REQUIRED_RULE_KEYS,
    SCOPES,
    PackError,
    PackSource,
    load_shipped_packs,
    load_site_packs,
    parse_pack,
    shipped_packs,
)
from .prefilter import MATCH_TIMEOUT
from .rule import PackRule

__all__ = ["KINDS", "MATCH_TIMEOUT", "REQUIRED_RULE_KEYS", "SCOPES", "PackError", "PackRule", "PackSource",
           "load_shipped_packs", "load_site_packs", "parse_pack", "shipped_packs"]
