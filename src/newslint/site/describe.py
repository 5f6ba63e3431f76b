"""`newslint site [PATH]`: what newslint read of the sites at PATH, and why.

For each site found at or below PATH (or holding PATH): the generator and the
config file read, the Markdown dialect and its options, whether raw HTML
reaches the page, the folders that hold content, the folders passed over and
why, and how many content files there are. Text for people, JSON for tools.
"""

from __future__ import annotations

import json
import os
from typing import Any, Iterable

from . import Site
from .walk import ContentFilter

_DIALECT = {"kramdown": "kramdown (Jekyll's default converter)", "commonmark": "CommonMark",
            "goldmark": "goldmark (CommonMark with GFM tables, strikethrough, autolinks, task lists)"}


def describe(files: Iterable[str], content: ContentFilter, paths: Iterable[str]) -> list[dict[str, Any]]:
    """One entry per site (and one for files in no site), from the run's discovered ``files``."""
    by_root: dict[str | None, tuple[Site, int]] = {}
    finder = content.finder
    for path in paths:  # a site that holds PATH is described even when it has no content file
        full = os.path.abspath(path)
        folder = full if os.path.isdir(full) else os.path.dirname(full)
        site = finder.site_for_folder(folder, content.override, content.fallback_root)
        by_root.setdefault(site.root, (site, 0))
    for f in files:
        site = finder.site_for(f, content.override, content.fallback_root)
        known = by_root.get(site.root)
        by_root[site.root] = (site, (known[1] if known else 0) + 1)
    out = []
    for root in sorted(by_root, key=lambda r: (r is None, r or "")):
        site, count = by_root[root]
        if root is None and count == 0 and len(by_root) > 1:
            continue  # PATH is a folder of sites, itself in none
        out.append(_entry(site, count, content))
    return out


def _entry(site: Site, count: int, content: ContentFilter) -> dict[str, Any]:
    if site.root is None:
        return {"generator": "none", "root": None, "markdown": "commonmark", "content_files": count,
                "note": "no Jekyll or Hugo config above these files: each is read as a stand-alone CommonMark post"}
    skipped = []
    try:
        names = sorted(os.listdir(site.root))
    except OSError:
        names = []
    for name in names:
        full = os.path.join(site.root, name)
        if os.path.isdir(full):
            why = content.why(full) or ("ignored by git" if content._git_ignored(full, True) else None)
            if why is not None:
                skipped.append({"folder": name, "why": why})
    return {
        "generator": site.generator,
        "root": site.root,
        "config_file": site.config_file,
        "markdown": site.markdown,
        "markdown_options": dict(site.markdown_options),
        "raw_html": site.raw_html,
        "content": list(site.content_dirs),
        "skipped": skipped,
        "content_files": count,
        "notes": list(site.notes),
    }


def to_json(entries: list[dict[str, Any]]) -> str:
    return json.dumps(entries, indent=2, ensure_ascii=False, default=str) + "\n"


def to_text(entries: list[dict[str, Any]]) -> str:
    lines: list[str] = []
    for e in entries:
        if lines:
            lines.append("")
        if e["root"] is None:
            lines.append(f"{e['content_files']} file(s) in no site")
            lines.append(f"  {e['note']}")
            continue
        name = {"jekyll": "Jekyll", "hugo": "Hugo"}[e["generator"]]
        lines.append(f"{e['root']}")
        config = os.path.relpath(e["config_file"], e["root"]) if e["config_file"] else "none (defaults)"
        lines.append(f"  generator:  {name}, config {config}")
        options = ", ".join(f"{k}: {_short(v)}" for k, v in sorted(e["markdown_options"].items()))
        lines.append(f"  markdown:   {_DIALECT[e['markdown']]}" + (f"; {options}" if options else ""))
        if e["generator"] == "hugo":
            lines.append("  raw HTML:   " + ("shown (markup.goldmark.renderer.unsafe = true)" if e["raw_html"] else
                                          "dropped from the page (markup.goldmark.renderer.unsafe is not true)"))
        folders = e["content"]
        shown = ", ".join(folders[:6]) + (f" and {len(folders) - 6} more" if len(folders) > 6 else "")
        lines.append(f"  content:    {shown}: {e['content_files']} file(s)")
        if e["skipped"]:
            lines.append("  skipped:")
            width = max(len(s["folder"]) for s in e["skipped"]) + 1
            for s in e["skipped"]:
                lines.append(f"    {(s['folder'] + '/').ljust(width)}  {s['why']}")
        for note in e["notes"]:
            lines.append(f"  note:       {note}")
    return "\n".join(lines) + "\n"


def _short(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 40 else text[:37] + "..."


def url_maps(entries: list[dict[str, Any]], content: ContentFilter, fmt: str) -> str:
    """`newslint site --urls`: each site's URL map (every file its generator writes, and where)."""
    from .index import SiteIndex

    maps = []
    for e in entries:
        if e["root"] is None:
            continue
        site = content.finder.site_for_folder(e["root"], content.override, content.fallback_root)
        maps.append((e["root"], SiteIndex(site, {}).urls))
    if fmt == "json":
        return json.dumps([{"root": root, **m.to_dict()} for root, m in maps], ensure_ascii=False, indent=1) + "\n"
    lines = []
    for root, m in maps:
        lines.append(f"{root}  ({m.generator}, base path {m.base_path})")
        for entry in sorted(m.entries.values(), key=lambda x: (x.url, x.path)):
            state = "" if entry.written else "  (not written)"
            note = f"  (uncertain: {entry.uncertain})" if entry.uncertain else ""
            lines.append(f"  {entry.url}  {entry.path}{state}{note}")
        for url, paths in sorted(m.collisions.items()):
            lines.append(f"  collision at {url}: {', '.join(paths)}")
    return "\n".join(lines) + "\n"
