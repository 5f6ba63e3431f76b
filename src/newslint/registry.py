"""The rule registry: built by an explicit call, never as a side effect of an import.

A registry holds every rule a run knows, from four sources, in this order:

1. the built-in rules (one module each under :mod:`newslint.rules`);
2. the rule packs shipped in the wheel (``rules/packs/*.yaml``, policy data);
3. the site's own packs (config ``packs = [...]``);
4. plugins: distributions that declare an entry point in the group
   ``newslint.rules`` naming a :class:`~newslint.ruleapi.Rule` subclass, or a
   module whose ``RULES`` list holds them (the flake8 model).

A name or code that two sources claim is a configuration error naming both.
The run object builds one registry and keeps it (:class:`newslint.run.Linting`);
building another one reads the packs and the entry points again.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import Any, Iterable

from .ruleapi import Rule

ENTRY_POINT_GROUP = "newslint.rules"
BUILTIN = "newslint"
SHIPPED_PACKS = "newslint's shipped packs"
_NAME = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_CODE = re.compile(r"^[A-Z][A-Z0-9]*[0-9]+$")


class RegistryError(Exception):
    """Two rules claim one name or code, or a plugin is not a valid rule."""


def builtin_rules() -> list[type[Rule]]:
    """The built-in rules, in the order `newslint rules` lists them by default."""
    from .rules.color_contrast import ColorContrast
    from .rules.heading_h1_in_body import HeadingH1InBody
    from .rules.heading_increment import HeadingIncrement
    from .rules.html_inline_script import HtmlInlineScript
    from .rules.link_empty import LinkEmpty
    from .rules.link_text_generic import LinkTextGeneric
    from .rules.post_date_future import PostDateFuture
    from .rules.post_date_mismatch import PostDateMismatch
    from .rules.post_filename_invalid import PostFilenameInvalid
    from .rules.emphasis_overuse import EmphasisOveruse
    from .rules.image_missing import ImageMissing
    from .rules.link_anchor_missing import LinkAnchorMissing
    from .rules.link_internal_broken import LinkInternalBroken
    from .rules.site_duplicate_title import SiteDuplicateTitle
    from .rules.site_url_collision import SiteUrlCollision
    from .rules.excerpt_length import ExcerptLength
    from .rules.excerpt_repeats_first_paragraph import ExcerptRepeatsFirstParagraph
    from .rules.excerpt_repeats_title import ExcerptRepeatsTitle
    from .rules.hero_image_repeated import HeroImageRepeated
    from .rules.image_hotlinked import ImageHotlinked
    from .rules.title_length import TitleLength
    from .rules.control_character import ControlCharacter
    from .rules.cr_line_ending import CrLineEnding
    from .rules.editor_attributes import EditorAttributes
    from .rules.editor_spacer_paragraph import EditorSpacerParagraph
    from .rules.excerpt_duplicates_feature_text import ExcerptDuplicatesFeatureText
    from .rules.file_encoding import FileEncoding
    from .rules.file_name_nfd import FileNameNfd
    from .rules.file_timeout import FileTimeout
    from .rules.file_too_large import FileTooLarge
    from .rules.file_unreadable import FileUnreadable
    from .rules.front_matter_duplicate_key import FrontMatterDuplicateKey
    from .rules.front_matter_missing import FrontMatterMissing
    from .rules.front_matter_not_mapping import FrontMatterNotMapping
    from .rules.front_matter_schema import FrontMatterSchema
    from .rules.front_matter_syntax import FrontMatterSyntax
    from .rules.front_matter_yaml11 import FrontMatterYaml11
    from .rules.html_dropped import HtmlDropped
    from .rules.html_malformed import HtmlMalformed
    from .rules.image_alt_missing import ImageAltMissing
    from .rules.image_alt_quality import ImageAltQuality
    from .rules.invisible_character import InvisibleCharacter
    from .rules.invisible_character_in_code import InvisibleCharacterInCode
    from .rules.link_href_invalid import LinkHrefInvalid
    from .rules.link_rel_invalid import LinkRelInvalid
    from .rules.link_target_blank_unsafe import LinkTargetBlankUnsafe
    from .rules.table_column_count import TableColumnCount
    from .rules.table_no_header import TableNoHeader
    from .rules.template_syntax import TemplateSyntax
    from .rules.unicode_nfd import UnicodeNfd
    from .rules.unused_suppression import UnusedSuppression

    return [
        FileUnreadable, FileTooLarge, FileTimeout, FileEncoding, CrLineEnding, ControlCharacter,
        FrontMatterMissing, FrontMatterSyntax, FrontMatterNotMapping, FrontMatterDuplicateKey,
        FrontMatterSchema, FrontMatterYaml11, PostDateMismatch, PostDateFuture, PostFilenameInvalid,
        ExcerptDuplicatesFeatureText, ExcerptRepeatsTitle, ExcerptRepeatsFirstParagraph, TitleLength, ExcerptLength,
        UnicodeNfd, InvisibleCharacter, InvisibleCharacterInCode, HtmlMalformed, TemplateSyntax, HtmlInlineScript,
        HtmlDropped,
        FileNameNfd,
        ImageAltMissing, ImageAltQuality, HeroImageRepeated, ImageHotlinked,
        LinkRelInvalid, LinkTargetBlankUnsafe, LinkHrefInvalid, LinkTextGeneric, LinkEmpty,
        TableColumnCount, TableNoHeader, HeadingIncrement, HeadingH1InBody,
        EditorSpacerParagraph, EditorAttributes, ColorContrast, EmphasisOveruse,
        ImageMissing, LinkAnchorMissing, LinkInternalBroken, SiteDuplicateTitle, SiteUrlCollision,
        UnusedSuppression,
    ]


def shipped_pack_rules() -> list[type[Rule]]:
    from .packs import load_shipped_packs

    return load_shipped_packs()


def site_pack_rules(paths: Iterable[str]) -> list[type[Rule]]:
    from .packs import load_site_packs

    return load_site_packs(list(paths))


@dataclass(frozen=True)
class Plugin:
    """An installed distribution that adds rules."""

    name: str
    version: str
    entry_point: str  # "name = module:attr", for messages


def plugin_entry_points() -> list[Any]:
    """The ``newslint.rules`` entry points of the installed distributions, sorted."""
    if not _maybe_declared():
        return []
    from importlib.metadata import entry_points

    eps = entry_points(group=ENTRY_POINT_GROUP)
    return sorted(eps, key=lambda ep: (ep.name, ep.value))


def _maybe_declared() -> bool:
    """False only when no distribution's ``entry_points.txt`` in a folder on
    ``sys.path`` names the group: then importlib.metadata would find no
    plugin, and it is not imported (it is slow to import). True,
    and importlib.metadata decides, when any file could hold one, when a
    ``sys.path`` entry is not a plain folder (a zip) or when a finder other
    than the standard one can list distributions."""
    import os
    import sys
    from importlib.machinery import PathFinder

    if any(getattr(f, "find_distributions", None) is not None and f is not PathFinder for f in sys.meta_path):
        return True
    needle = ENTRY_POINT_GROUP.encode()
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except NotADirectoryError:
            return True  # a zip on sys.path
        except OSError:
            continue
        for name in names:
            if name.endswith((".dist-info", ".egg-info")):
                try:
                    with open(os.path.join(entry or ".", name, "entry_points.txt"), "rb") as fh:
                        if needle in fh.read():
                            return True
                except FileNotFoundError:
                    continue
                except OSError:
                    return True
    return False


def _plugin_of(ep: Any) -> Plugin:
    dist = getattr(ep, "dist", None)
    name = getattr(dist, "name", None) or ep.value.split(":", 1)[0].split(".", 1)[0]
    version = getattr(dist, "version", None) or "0"
    return Plugin(name, version, f"{ep.name} = {ep.value}")


def plugin_signature() -> list[tuple[str, str, str]]:
    """Each plugin's distribution name, version and entry point: part of the
    cache key, so installing, upgrading or removing a plugin re-lints."""
    return [(p.name, p.version, p.entry_point) for p in map(_plugin_of, plugin_entry_points())]


def _rules_of(ep: Any, plugin: Plugin) -> list[type[Rule]]:
    where = f"plugin {plugin.name} {plugin.version} (entry point `{plugin.entry_point}`)"
    try:
        obj = ep.load()
    except Exception as exc:  # a broken plugin is a config problem, never a traceback
        raise RegistryError(f"{where}: cannot be loaded: {type(exc).__name__}: {exc}") from None
    if isinstance(obj, type):
        found: list[Any] = [obj]
    else:
        found = list(getattr(obj, "RULES", None) or [])
        if not found:
            raise RegistryError(f"{where}: names neither a Rule subclass nor a module with a RULES list")
    for cls in found:
        if not (isinstance(cls, type) and issubclass(cls, Rule)):
            raise RegistryError(f"{where}: {cls!r} is not a subclass of newslint.api.Rule")
        name, code = getattr(cls, "name", None), getattr(cls, "code", None)
        if not isinstance(name, str) or not _NAME.match(name):
            raise RegistryError(f"{where}: {cls.__name__}.name must be a kebab-case name, not {name!r}")
        if not isinstance(code, str) or not _CODE.match(code):
            raise RegistryError(f"{where}: {cls.__name__}.code must look like ABC101, not {code!r}")
        if code.startswith("NL"):
            raise RegistryError(f"{where}: rule `{name}`: the code prefix NL is newslint's own; "
                                "give the plugin's codes a prefix of their own")
        if cls.severity not in ("error", "warning", "info"):
            raise RegistryError(f"{where}: rule `{name}`: severity must be error, warning or info")
    return found


@dataclass
class Registry:
    """Every rule of a run, with where each came from."""

    rules: list[type[Rule]] = field(default_factory=list)
    by_name: dict[str, type[Rule]] = field(default_factory=dict)
    by_code: dict[str, type[Rule]] = field(default_factory=dict)
    source: dict[str, str] = field(default_factory=dict)  # rule name -> where it came from
    plugins: list[Plugin] = field(default_factory=list)

    @classmethod
    def build(cls, packs: Iterable[str] = (), *, plugins: bool = True) -> "Registry":
        """Built-in rules, shipped packs, the site's ``packs`` and (with
        ``plugins``) the installed plugins. Raises RegistryError on a clash
        and PackError on a bad pack."""
        reg = cls()
        reg.add(builtin_rules(), BUILTIN)
        reg.add(shipped_pack_rules(), SHIPPED_PACKS)
        packs = list(packs)
        if packs:
            for rule in site_pack_rules(packs):
                reg.add([rule], f"pack {getattr(rule, 'pack_file', '?')}")
        if plugins:
            for ep in plugin_entry_points():
                plugin = _plugin_of(ep)
                reg.plugins.append(plugin)
                reg.add(_rules_of(ep, plugin), f"plugin {plugin.name} {plugin.version}")
        return reg

    def add(self, rules: Iterable[type[Rule]], source: str) -> None:
        for rule in rules:
            for ident, table in ((rule.name, self.by_name), (rule.code, self.by_code)):
                other = table.get(ident)
                if other is not None and other is not rule:
                    raise RegistryError(f"rule `{rule.name}` ({source}): the {'name' if table is self.by_name else 'code'} "
                                        f"`{ident}` is already taken by `{other.name}` ({self.source[other.name]})")
            self.by_name[rule.name] = rule
            self.by_code[rule.code] = rule
            self.source[rule.name] = source
            self.rules.append(rule)

    def get(self, name_or_code: str) -> type[Rule] | None:
        """A rule by name or code (codes in any case); None when unknown."""
        return self.by_name.get(name_or_code) or self.by_code.get(name_or_code.upper())

    def shipped(self, name: str) -> bool:
        """True for a rule newslint ships (built-in or in a shipped pack)."""
        return self.source.get(name) in (BUILTIN, SHIPPED_PACKS)
