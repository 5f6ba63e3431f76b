"""Which site a file belongs to: the nearest generator config above it.

From a file's folder upward, the first folder with ``_config.yml`` (or
``_config.toml``) is a Jekyll site's root, and the first with ``hugo.toml``
(or ``config/_default/``, or a ``config.toml`` holding Hugo's keys) a Hugo
site's. None up to the file system's root: no site. A ``generator`` in the
newslint config overrides what is found: ``"none"`` reads posts as
stand-alone documents; ``"jekyll"`` or ``"hugo"`` looks for that generator's
config only, and without one takes the newslint config's folder as the root.

A finder remembers every folder it has seen: a walk over a site asks the file
system once per folder.
"""

from __future__ import annotations

import json
import os
from .._hashing import blake2b
from typing import Any

from . import NO_SITE, Site
from .configfiles import HUGO_LEGACY_FILES, HUGO_ROOT_FILES, JEKYLL_CONFIG_FILES


class SiteFinder:
    def __init__(self, memo_dir: str | None = None) -> None:
        self.memo_dir = memo_dir  # where a Jekyll config's parse is kept between runs (a run's cache folder)
        self._by_folder: dict[tuple[str, str | None], Site] = {}
        self._by_root: dict[tuple[str, str, str | None], Site] = {}
        self._content: dict[int, Any] = {}
        self._templates: dict[int, tuple[Site, str]] = {}

    def site_for(self, path: str, override: str | None = None, fallback_root: str | None = None) -> Site:
        """The site of the file ``path`` (``override``: the config's ``generator``)."""
        folder = os.path.dirname(os.path.abspath(path))
        return self.site_for_folder(folder, override, fallback_root)

    def site_for_folder(self, folder: str, override: str | None = None, fallback_root: str | None = None,
                        names: Any = None) -> Site:
        """The site of ``folder`` (absolute); ``names``: the folder's entries,
        when the caller has listed it already (a walk), to spare a listing."""
        if override == "none":
            return NO_SITE
        key = (folder, override)
        got = self._by_folder.get(key)
        if got is not None:
            return got
        walked = []
        site: Site | None = None
        current = folder
        while True:
            known = self._by_folder.get((current, override))
            if known is not None:
                site = known
                break
            walked.append(current)
            found = _markers(current, override, names if current == folder else None)
            if found is not None:
                site = self._read(current, *found)
                break
            parent = os.path.dirname(current)
            if parent == current:
                break
            current = parent
        if site is None:
            if override in ("jekyll", "hugo") and fallback_root is not None:
                site = self._read(os.path.abspath(fallback_root), override, None)
            else:
                site = NO_SITE
        for d in walked:
            self._by_folder[(d, override)] = site
        return site

    def inherit(self, folder: str, parent: str, override: str | None) -> bool:
        """Give ``folder`` (absolute, holding none of the names that mark a
        site's root) the site already found for its ``parent``; False when
        the parent's is not known."""
        if override == "none":
            return True  # every folder's answer, never kept
        got = self._by_folder.get((parent, override))
        if got is None:
            return False
        self._by_folder[(folder, override)] = got
        return True

    def _read(self, root: str, generator: str, config_file: str | None) -> Site:
        key = (root, generator, config_file)
        got = self._by_root.get(key)
        if got is None:
            got = self._by_root[key] = read_site(root, generator, config_file, self.memo_dir)
        return got

    def found(self) -> list[Site]:
        """The sites found so far."""
        return list(self._by_root.values())

    @property
    def any_site(self) -> bool:
        """Whether a site was found yet."""
        return bool(self._by_root)

    def content(self, site: Site) -> Any:
        """The site's content judge (``dir_reason``, ``file_reason``), None without a site."""
        if site.root is None:
            return None
        got = self._content.get(id(site))
        if got is None:
            from . import hugo, jekyll

            cls = jekyll.JekyllContent if site.is_jekyll else hugo.HugoContent
            got = self._content[id(site)] = (site, cls(site.root, dict(site.config)))
        return got[1]

    def templates_signature(self, site: Site) -> str:
        """The signature of the site's template files (see
        :func:`newslint.site.templates.templates_signature`), taken once per run."""
        got = self._templates.get(id(site))
        if got is None:
            from ..cache import RACY_NS
            from .templates import templates_signature

            got = self._templates[id(site)] = (site, templates_signature(site, RACY_NS))
        return got[1]


_MARKER_NAMES = frozenset(JEKYLL_CONFIG_FILES + HUGO_ROOT_FILES + HUGO_LEGACY_FILES + ("config",))
# A folder holding none of these is in its parent's site and work tree.
QUIET_NAMES = _MARKER_NAMES | {".git"}


def _markers(folder: str, override: str | None, names: Any = None) -> tuple[str, str] | None:
    """(generator, config file) when ``folder`` is a site's root."""
    if names is not None:
        if _MARKER_NAMES.isdisjoint(names):
            return None
    else:
        try:  # one listing, not a stat per name: a walk asks this of every folder
            if _MARKER_NAMES.isdisjoint(os.listdir(folder)):
                return None
        except OSError:
            return None
    from . import hugo, jekyll  # only for a folder holding a config file's name

    if override in (None, "jekyll"):
        found = jekyll.config_file_in(folder)
        if found is not None:
            return "jekyll", found
    if override in (None, "hugo"):
        found = hugo.config_file_in(folder)
        if found is not None:
            return "hugo", found
    return None


def read_site(root: str, generator: str, config_file: str | None, memo_dir: str | None = None) -> Site:
    """Read the site at ``root`` (``config_file`` None: the generator's defaults;
    ``memo_dir``: where a Jekyll config's parse may be kept, see ``read_config``)."""
    from . import hugo, jekyll

    if config_file is None:
        fields: dict[str, Any] = {"notes": (f"no {generator} config found; the newslint config says "
                                            f"`generator = \"{generator}\"`, so its defaults apply",)}
        reader = jekyll.read_site if generator == "jekyll" else hugo.read_site
        fields = {**reader(root, None), **fields}
    elif generator == "jekyll":
        fields = jekyll.read_site(root, config_file, memo_dir)
    else:
        fields = hugo.read_site(root, config_file)
    blob = json.dumps([generator, fields["markdown"], fields["markdown_options"], fields.get("raw_html", True),
                       fields["config"]], sort_keys=True, default=str, ensure_ascii=False)
    signature = blake2b(blob.encode("utf-8"), digest_size=12).hexdigest()
    return Site(generator=generator, root=root, config_file=config_file, signature=signature, **fields)

