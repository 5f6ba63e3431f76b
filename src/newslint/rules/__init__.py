"""The explicit registry of rules, one module per rule (yamllint style).

Adding a rule: write ``rules/<name>.py`` with a :class:`~.base.Rule` subclass
and add it to ``ALL_RULES`` below. Names and codes are public and stable.
"""

from __future__ import annotations

from .base import Rule
from .control_character import ControlCharacter
from .cr_line_ending import CrLineEnding
from .excerpt_duplicates_feature_text import ExcerptDuplicatesFeatureText
from .file_encoding import FileEncoding
from .file_unreadable import FileUnreadable
from .file_too_large import FileTooLarge
from .file_timeout import FileTimeout
from .front_matter_duplicate_key import FrontMatterDuplicateKey
from .front_matter_missing import FrontMatterMissing
from .front_matter_not_mapping import FrontMatterNotMapping
from .front_matter_schema import FrontMatterSchema
from .front_matter_syntax import FrontMatterSyntax
from .front_matter_yaml11 import FrontMatterYaml11
from .post_date_mismatch import PostDateMismatch
from .post_date_future import PostDateFuture
from .post_filename_invalid import PostFilenameInvalid
from .heading_increment import HeadingIncrement
from .heading_h1_in_body import HeadingH1InBody
from .html_inline_script import HtmlInlineScript
from .image_alt_missing import ImageAltMissing
from .invisible_character import InvisibleCharacter
from .invisible_character_in_code import InvisibleCharacterInCode
from .image_alt_quality import ImageAltQuality
from .html_malformed import HtmlMalformed
from .file_name_nfd import FileNameNfd
from .link_href_invalid import LinkHrefInvalid
from .link_rel_invalid import LinkRelInvalid
from .link_target_blank_unsafe import LinkTargetBlankUnsafe
from .link_text_generic import LinkTextGeneric
from .link_empty import LinkEmpty
from .unicode_nfd import UnicodeNfd
from .unused_suppression import UnusedSuppression
from .table_column_count import TableColumnCount
from .table_no_header import TableNoHeader
from .editor_spacer_paragraph import EditorSpacerParagraph
from .editor_attributes import EditorAttributes
from .pack_engine import shipped_pack_rules

ALL_RULES: list[type[Rule]] = [
    FileUnreadable,
    FileTooLarge,
    FileTimeout,
    FileEncoding,
    CrLineEnding,
    ControlCharacter,
    FrontMatterMissing,
    FrontMatterSyntax,
    FrontMatterNotMapping,
    FrontMatterDuplicateKey,
    FrontMatterSchema,
    FrontMatterYaml11,
    PostDateMismatch,
    PostDateFuture,
    PostFilenameInvalid,
    ExcerptDuplicatesFeatureText,
    UnicodeNfd,
    InvisibleCharacter,
    InvisibleCharacterInCode,
    HtmlMalformed,
    HtmlInlineScript,
    FileNameNfd,
    ImageAltMissing,
    ImageAltQuality,
    LinkRelInvalid,
    LinkTargetBlankUnsafe,
    LinkHrefInvalid,
    LinkTextGeneric,
    LinkEmpty,
    TableColumnCount,
    TableNoHeader,
    HeadingIncrement,
    HeadingH1InBody,
    EditorSpacerParagraph,
    EditorAttributes,
]
# Meta rules, then the rules of the packs shipped in rules/packs/ (data, not code).
ALL_RULES.append(UnusedSuppression)
ALL_RULES.extend(shipped_pack_rules())

RULES_BY_NAME: dict[str, type[Rule]] = {r.name: r for r in ALL_RULES}
RULES_BY_CODE: dict[str, type[Rule]] = {r.code: r for r in ALL_RULES}

__all__ = ["ALL_RULES", "RULES_BY_CODE", "RULES_BY_NAME", "Rule"]
