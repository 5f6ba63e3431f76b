"""The URL map tests read sites as newslint does: its site detection and the
files its site index says the generator reads."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from newslint.site import Site
from newslint.site.find import read_site
from newslint.site.index import SiteIndex


def jekyll_site(root: Path, extra: dict[str, Any] | None = None) -> Site:
    site = read_site(str(root), "jekyll", str(root / "_config.yml"))
    return dataclasses.replace(site, config={**site.config, **(extra or {})}) if extra else site


def jekyll_files(site: Site) -> list[str]:
    return SiteIndex(site, {}).all_files


def hugo_site(root: Path) -> Site:
    from newslint.site import hugo

    return read_site(str(root), "hugo", hugo.config_file_in(str(root)))


def hugo_files(site: Site) -> list[str]:
    return SiteIndex(site, {}).all_files
