"""Rule packs: declarative phrase rules loaded from YAML (see :mod:`newslint.rules.pack_engine`).

The packs in the top-level ``rules/packs/`` folder ship inside the wheel as
``newslint.policy.packs`` and are always registered; a site adds its own with
``packs = ["path/to/pack.yaml"]`` in its config (paths relative to the config
file). Pack files are read with ``yaml.safe_load`` only.
"""

from __future__ import annotations

from .rules.pack_engine import (  # noqa: F401
    KINDS,
    MATCH_TIMEOUT,
    SCOPES,
    PackError,
    PackRule,
    PackSource,
    parse_pack,
    shipped_pack_rules,
    shipped_packs,
    site_pack_rules,
)

__all__ = ["KINDS", "MATCH_TIMEOUT", "SCOPES", "PackError", "PackRule", "PackSource", "parse_pack",
           "shipped_pack_rules", "shipped_packs", "site_pack_rules"]

# The names the registry calls (explicit loaders, nothing runs at import).
load_shipped_packs = shipped_pack_rules
load_site_packs = site_pack_rules
