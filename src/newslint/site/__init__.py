"""The site a post belongs to: its generator, how it renders Markdown, its config.

A post's truth is decided by its site: which files are posts, how the
Markdown renders, how the YAML is read, what a link points to. A
:class:`Site` is what newslint read of one site; a file outside any site gets
:data:`NO_SITE` and is read as a stand-alone CommonMark document.

Rules see the site as ``doc.site`` (never None). Everything here is plain,
immutable data, so a Site is shared by every document of the run and pickled
to pool workers as is.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

GENERATORS = ("jekyll", "hugo", "none")
# Markdown dialects: Jekyll's kramdown (with its GFM parser), CommonMark
# (jekyll-commonmark, or no site), Hugo's goldmark (CommonMark with GFM).
DIALECTS = ("kramdown", "commonmark", "goldmark")


@dataclass(frozen=True, eq=False)  # compared by identity: one per site and run
class Site:
    generator: str = "none"  # one of GENERATORS
    root: str | None = None  # absolute folder of the site (None: no site)
    config_file: str | None = None  # the generator's config file that was read
    config: Mapping[str, Any] = field(default_factory=dict)  # the generator's config, as its generator reads it
    markdown: str = "commonmark"  # one of DIALECTS
    markdown_options: Mapping[str, Any] = field(default_factory=dict)  # `kramdown:` or `markup.goldmark`
    # False where the generator drops raw HTML from the page (goldmark with
    # `renderer.unsafe = false`): that HTML never reaches a reader.
    raw_html: bool = True
    # Folders (relative to ``root``, "/"-separated) that hold content, and
    # the folders newslint passes over with why: what `newslint site` prints.
    content_dirs: tuple[str, ...] = ()
    skipped_dirs: tuple[tuple[str, str], ...] = ()
    # What could not be read, or was guessed (a config that does not parse).
    notes: tuple[str, ...] = ()
    # The part of the config that decides the findings: the cache key's share.
    signature: str = ""

    @property
    def is_jekyll(self) -> bool:
        return self.generator == "jekyll"

    @property
    def is_hugo(self) -> bool:
        return self.generator == "hugo"

    @property
    def generator_name(self) -> str:
        """The generator's name as messages write it ("Jekyll", "Hugo"), or ""."""
        return {"jekyll": "Jekyll", "hugo": "Hugo"}.get(self.generator, "")


NO_SITE = Site()


def theme_names(config: Mapping[str, Any]) -> list[str]:
    """The themes a Hugo config names (`theme`: one name or a list of them,
    the first winning), in order; none when it names none."""
    theme = config.get("theme")
    if isinstance(theme, str):
        return [theme] if theme else []
    if isinstance(theme, list):
        return [t for t in theme if isinstance(t, str) and t]
    return []
