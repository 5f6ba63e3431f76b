"""The explicit registry of rules, one module per rule (yamllint style).

Adding a rule: write ``rules/<name>.py`` with a :class:`~.base.Rule` subclass
and add it to ``ALL_RULES`` below. Names and codes are public and stable.
"""

from __future__ import annotations

from .base import Rule
from .excerpt_duplicates_feature_text import ExcerptDuplicatesFeatureText
from .file_encoding import FileEncoding
from .file_unreadable import FileUnreadable
from .front_matter_duplicate_key import FrontMatterDuplicateKey
from .front_matter_missing import FrontMatterMissing
from .front_matter_not_mapping import FrontMatterNotMapping
from .front_matter_schema import FrontMatterSchema
from .front_matter_syntax import FrontMatterSyntax

ALL_RULES: list[type[Rule]] = [
    FileUnreadable,
    FileEncoding,
    FrontMatterMissing,
    FrontMatterSyntax,
    FrontMatterNotMapping,
    FrontMatterDuplicateKey,
    FrontMatterSchema,
    ExcerptDuplicatesFeatureText,
]

RULES_BY_NAME: dict[str, type[Rule]] = {r.name: r for r in ALL_RULES}
RULES_BY_CODE: dict[str, type[Rule]] = {r.code: r for r in ALL_RULES}

__all__ = ["ALL_RULES", "RULES_BY_CODE", "RULES_BY_NAME", "Rule"]
