"""The rules as the selectors see them: each built-in rule's name, code and
tags, without importing a rule or building the registry.

`--select`, `--ignore` and a config's rule tables name rules by name, code,
code prefix or tag; on a warm run the cache answers, checking those names is
all the rules are needed for. The registry (:mod:`newslint.registry`), with
its packs and plugins, is built only when a rule must run or a name is not a
built-in one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable, Iterable, NamedTuple

if TYPE_CHECKING:
    from .ruleapi import Rule


class Indexed(NamedTuple):
    """A rule as the selectors see it."""

    name: str
    code: str
    tags: tuple[str, ...]


# Each built-in and shipped-pack rule's name, code and tags, so that the
# selectors of a config and of the command line are checked without importing
# every rule: a warm run the cache answers needs no rule at all.
# tests/test_config.py holds it equal to what the registry builds.
BUILTIN_INDEX: tuple[Indexed, ...] = (
    Indexed('file-unreadable', 'NL001', ()),
    Indexed('file-too-large', 'NL020', ()),
    Indexed('file-timeout', 'NL021', ()),
    Indexed('file-encoding', 'NL002', ()),
    Indexed('cr-line-ending', 'NL010', ('encoding',)),
    Indexed('control-character', 'NL011', ('unicode', 'encoding')),
    Indexed('front-matter-missing', 'NL101', ()),
    Indexed('front-matter-syntax', 'NL102', ()),
    Indexed('front-matter-not-mapping', 'NL103', ()),
    Indexed('front-matter-duplicate-key', 'NL104', ()),
    Indexed('front-matter-schema', 'NL105', ()),
    Indexed('front-matter-yaml11', 'NL107', ('front-matter',)),
    Indexed('post-date-mismatch', 'NL120', ('front-matter', 'dates')),
    Indexed('post-date-future', 'NL121', ('front-matter', 'dates')),
    Indexed('post-filename-invalid', 'NL802', ('jekyll', 'files')),
    Indexed('excerpt-duplicates-feature-text', 'NL106', ()),
    Indexed('excerpt-repeats-title', 'NL108', ('front-matter',)),
    Indexed('excerpt-repeats-first-paragraph', 'NL109', ('front-matter',)),
    Indexed('title-length', 'NL110', ('front-matter', 'seo')),
    Indexed('excerpt-length', 'NL111', ('front-matter', 'seo')),
    Indexed('unicode-nfd', 'NL610', ('unicode', 'korean')),
    Indexed('invisible-character', 'NL620', ('unicode', 'security')),
    Indexed('invisible-character-in-code', 'NL621', ('unicode', 'security')),
    Indexed('html-malformed', 'NL801', ('html',)),
    Indexed('template-syntax', 'NL803', ('templates', 'jekyll', 'hugo')),
    Indexed('html-inline-script', 'NL520', ('html', 'security')),
    Indexed('html-dropped', 'NL804', ('html', 'hugo')),
    Indexed('file-name-nfd', 'NL622', ('unicode', 'korean')),
    Indexed('image-alt-missing', 'NL201', ('images', 'accessibility')),
    Indexed('image-alt-quality', 'NL202', ('images', 'accessibility')),
    Indexed('hero-image-repeated', 'NL203', ('images',)),
    Indexed('image-hotlinked', 'NL204', ('images',)),
    Indexed('link-rel-invalid', 'NL301', ('links', 'html')),
    Indexed('link-target-blank-unsafe', 'NL302', ('links', 'html', 'security')),
    Indexed('link-href-invalid', 'NL303', ('links', 'html', 'markdown')),
    Indexed('link-text-generic', 'NL304', ('links', 'accessibility')),
    Indexed('link-empty', 'NL305', ('links', 'accessibility')),
    Indexed('table-column-count', 'NL401', ('tables',)),
    Indexed('table-no-header', 'NL402', ('tables', 'accessibility')),
    Indexed('heading-increment', 'NL420', ('headings', 'accessibility')),
    Indexed('heading-h1-in-body', 'NL421', ('headings', 'accessibility')),
    Indexed('editor-spacer-paragraph', 'NL501', ('editor',)),
    Indexed('editor-attributes', 'NL502', ('editor',)),
    Indexed('color-contrast', 'NL510', ('accessibility', 'editor')),
    Indexed('emphasis-overuse', 'NL511', ('editor', 'style')),
    Indexed('image-missing', 'NL210', ('site', 'images')),
    Indexed('link-anchor-missing', 'NL320', ('site', 'links')),
    Indexed('link-internal-broken', 'NL330', ('site', 'links')),
    Indexed('site-duplicate-title', 'NL130', ('site', 'front-matter')),
    Indexed('site-url-collision', 'NL131', ('site',)),
    Indexed('unused-suppression', 'NL901', ('suppression',)),
    Indexed('promo-news-footer', 'NL701', ('pack',)),
    Indexed('promo-click-here', 'NL702', ('pack',)),
    Indexed('promo-engagement-bait', 'NL703', ('pack',)),
)


def selector_of(config: Any, item: str) -> str | None:
    """``item`` as the config keeps it (a rule's name for its name or code, any
    other selector as written), or None when it selects no rule."""
    if config._registry is None and not config.packs:
        found = _indexed(item)
        if found is not None:
            return found
    if not config.matching(item):
        return None
    rule = config.rule(item)
    return rule.name if rule is not None else item


def _indexed(item: str) -> str | None:
    """What :meth:`Config.matching` and :meth:`Config.rule` say of ``item``
    among the built-in rules (None: ask the registry, a plugin may know it)."""
    if not matching(item, BUILTIN_INDEX, _index_get):
        return None
    exact = _index_get(item)
    return exact.name if exact is not None else item


_INDEX_NAMES = {r.name: r for r in BUILTIN_INDEX}
_INDEX_CODES = {r.code: r for r in BUILTIN_INDEX}


def _index_get(item: str) -> Indexed | None:
    return _INDEX_NAMES.get(item) or _INDEX_CODES.get(item.upper())  # as Registry.get


def matching(selector: str, rules: Iterable[Any], exact: Callable[[str], Any]) -> list[Any]:
    """The rules (anything with a name, a code and tags) a selector names, as
    ruff reads them: ``ALL``, a rule's name or code (``exact`` finds it), a
    code prefix (``NL2``: every NL2xx rule) or a tag (``images``). Empty when
    it names none."""
    rules = list(rules)
    if selector == "ALL":
        return rules
    found = exact(selector)
    if found is not None:
        return [found]
    tagged = [r for r in rules if selector in r.tags]
    if tagged:
        return tagged
    prefix = selector.upper()
    if prefix[:1].isalpha() and any(ch.isdigit() for ch in prefix):
        return [r for r in rules if r.code.startswith(prefix)]
    return []


def site_rules_of(config: Any) -> list[type[Rule]]:
    """The enabled checks across a site under ``config``. With every rule
    enabled, no pack of the site's and no plugin, these are the built-in ones,
    imported alone: a warm run on a site then never imports the other rules."""
    if (config._registry is None and config.select is None and not config.extend_select and not config.ignore
            and not config.packs and config.known_plugins == []):
        return builtin_site_rules()
    return [r for r in config.enabled_rules() if r.site_wide]


def builtin_site_rules() -> list[type[Rule]]:
    """The built-in checks across a site, in :func:`newslint.registry.builtin_rules`' order (a test holds it)."""
    from .rules.image_missing import ImageMissing
    from .rules.link_anchor_missing import LinkAnchorMissing
    from .rules.link_internal_broken import LinkInternalBroken
    from .rules.site_duplicate_title import SiteDuplicateTitle
    from .rules.site_url_collision import SiteUrlCollision

    return [ImageMissing, LinkAnchorMissing, LinkInternalBroken, SiteDuplicateTitle, SiteUrlCollision]
