"""Jekyll's URLs: posts, collection documents, pages and static files.

Follows Jekyll 4's own rules (``Jekyll::URL``, ``Document``, ``Page``,
``Drops::UrlDrop``, ``Utils.slugify``, ``StaticFile``): the permalink
style or template of the collection, the front matter ``permalink`` (which
wins), categories from the folders above ``_posts`` and from the front
matter, the date of the file name unless the front matter gives one, read in
the site's ``timezone`` the way Ruby reads it.
"""

from __future__ import annotations

import datetime as dt
import os
import re
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import unquote

from . import Site
from .jekyll_generated import plugin_pages
from .jekyll_post import (DATE_NAME, _categories_token, _destination, _document_categories, _folder_categories,
                          common_post, output_ext)
from .jekyll_permalink import (STYLES, UnknownToken, drop_keys, fill_hash, fill_template,  # noqa: F401
                               permalink_suffix, template_pieces)
from .jekyll_text import escape_path, ruby_str, sanitize_url, slugify
from .jekyll_time import TIME_KEYS, parse_jekyll_time, site_timezone, wall_values
from .urls import (JEKYLL_URL_KEYS, UrlEntry, UrlMap, YamlTime, base_path_of, has_jekyll_header, join_base,
                   read_front_matter, relative_paths)

DEFAULT_MARKDOWN_EXT = "markdown,mkdown,mkdn,mkd,md"
DATELESS_NAME = re.compile(r"^(?:.+/)*(.*)(\.[^.]+)$")
HTML_EXTS = (".html", ".xhtml", ".htm")


def _no_trailing_dots(text: str) -> str:
    """The text without its trailing dots (what Ruby's `sub` with `\\.*\\z` leaves)."""
    return text.rstrip(".")


@dataclass
class _Config:
    style: str
    markdown_exts: frozenset[str]
    collections: dict[str, dict[str, Any]]
    defaults: list[dict[str, Any]]
    tz: dt.tzinfo
    now: dt.datetime
    future: bool
    collections_dir: str
    # What the linted files' own parse said of their heads (see urls.url_record), by path from the root.
    known: Mapping[str, Mapping[str, Any]] = field(default_factory=dict)
    include: frozenset[str] = frozenset()  # the config's `include`, as names or paths from the root
    globbed: dict[str, list[str]] = field(default_factory=dict)  # a defaults scope's glob -> the paths it matches
    folders: dict[str, tuple[str, str] | None] = field(default_factory=dict)  # a folder -> its files' collection


def _config(site: Site, now: dt.datetime | None) -> _Config:
    config = site.config or {}
    style = ruby_str(config.get("permalink", "date")) if config.get("permalink") is not None else "date"
    exts = ruby_str(config.get("markdown_ext") or DEFAULT_MARKDOWN_EXT)
    raw = config.get("collections")
    collections: dict[str, dict[str, Any]] = {}
    if isinstance(raw, list):
        collections = {ruby_str(c): {} for c in raw}
    elif isinstance(raw, dict):
        collections = {ruby_str(k): dict(v) if isinstance(v, dict) else {} for k, v in raw.items()}
    posts = collections.setdefault("posts", {})
    posts["output"] = True
    if not posts.get("permalink"):
        posts["permalink"] = STYLES.get(style, style)
    tz = site_timezone(config.get("timezone"))
    defaults = [d for d in config.get("defaults") or [] if isinstance(d, dict) and isinstance(d.get("values"), dict)]
    include = frozenset(ruby_str(i).strip("/") for i in config.get("include") or [] if i)
    return _Config(style, frozenset("." + e.strip().lower() for e in exts.split(",")), collections, defaults, tz,
                   (now or dt.datetime.now(dt.timezone.utc)).astimezone(tz), bool(config.get("future")),
                   ruby_str(config.get("collections_dir") or "").strip("/"), include=include)


def _scope_path(path: Any) -> str:
    if not isinstance(path, str) or not path:
        return ""
    return path[1:].rstrip("/") if path.startswith("/") else path


def _defaults(cfg: _Config, rel: str, kind: str, root: Path) -> dict[str, Any]:
    """``FrontmatterDefaults#all``: the matching sets, the more specific scope winning."""
    out: dict[str, Any] = {}
    old: dict[str, Any] | None = None
    for entry in cfg.defaults:
        scope = entry.get("scope") if isinstance(entry.get("scope"), dict) else {}
        stype = scope.get("type")
        stype = {"page": "pages", "post": "posts", "draft": "drafts"}.get(stype, stype)
        if stype is not None and ruby_str(stype) != kind:
            continue
        spath = scope.get("path")
        if isinstance(spath, str) and spath:
            if "*" in spath:
                matches = cfg.globbed.get(spath)
                if matches is None:  # the same for every file of the build
                    matches = cfg.globbed[spath] = [p.relative_to(root).as_posix() for p in root.glob(spath)]
                if not any(rel.startswith(m) for m in matches):
                    continue
            elif not rel.startswith(_scope_path(spath)):
                continue
        values = entry["values"]
        if old is None or _precedes(old, scope):
            out = _deep_merge(out, values)
            old = scope
        else:
            out = _deep_merge(values, out)
    return out


def _precedes(old: Mapping[str, Any], new: Mapping[str, Any]) -> bool:
    new_path, old_path = _scope_path(new.get("path")), _scope_path(old.get("path"))
    if len(new_path) != len(old_path):
        return len(new_path) >= len(old_path)
    return True if "type" in new else "type" not in old


def _deep_merge(a: Mapping[str, Any], b: Mapping[str, Any]) -> dict[str, Any]:
    out = dict(a)
    for k, v in b.items():
        if v is None and k in out:
            continue
        out[k] = _deep_merge(out[k], v) if isinstance(out.get(k), dict) and isinstance(v, dict) else v
    return out


def _merge_categories(data: dict[str, Any], other: dict[str, Any]) -> None:
    """``Document#merge_categories!``: a string is split on spaces, lists are joined (union)."""
    cats = other.get("categories")
    if cats is None:
        return
    if isinstance(cats, str):
        cats = cats.split()
    if isinstance(data.get("categories"), list) and isinstance(cats, list):
        cats = data["categories"] + [c for c in cats if c not in data["categories"]]
    other["categories"] = cats


def _collection_of(rel: str, cfg: _Config) -> tuple[str, str] | None:
    """(label, the collection's folder) of a file in `_label/`, or of a post (`…/_posts/…`)."""
    folder, slash, _name = rel.rpartition("/")
    if not slash:
        return None  # a file at the root belongs to no collection
    memo = cfg.folders
    if folder in memo:  # the answer reads the folders alone
        return memo[folder]
    got = memo[folder] = _collection_of_path(rel, cfg)
    return got


def _collection_of_path(rel: str, cfg: _Config) -> tuple[str, str] | None:
    base = cfg.collections_dir + "/" if cfg.collections_dir else ""
    if base and not rel.startswith(base):
        return None
    inner = rel[len(base):]
    first = inner.split("/", 1)[0]
    for label in cfg.collections:
        if label != "posts" and first == "_" + label and "/" in inner:
            return label, base + first
    parts = inner.split("/")
    if "_posts" in parts[:-1] and not any(p.startswith("_") for p in parts[: parts.index("_posts")]):
        return "posts", base + "/".join(parts[: parts.index("_posts") + 1])
    if "_drafts" in parts[:-1] and not any(p.startswith("_") for p in parts[: parts.index("_drafts")]):
        return "drafts", base + "/".join(parts[: parts.index("_drafts") + 1])
    return None


def url_map(site: Site, files: Iterable[str | Path], now: dt.datetime | None = None,
            known: Mapping[str, Mapping[str, Any]] | None = None) -> UrlMap:
    """The URL of every file Jekyll reads: ``files`` are the site's files after its
    ``exclude``/``include`` (content and static alike, absolute or relative to the root).
    ``known``: :func:`~newslint.site.urls.url_record` of files already parsed, by
    path from the root; the others are read here."""
    return JekyllUrls(site, now, known).url_map(files)


class JekyllUrls:
    """One build's URLs: a file's entry alone (as its facts come in), then the map."""

    def __init__(self, site: Site, now: dt.datetime | None = None,
                 known: Mapping[str, Mapping[str, Any]] | None = None) -> None:
        self.site = site
        self.root = Path(site.root or ".")
        self.cfg = _config(site, now)
        self.cfg.known = self.known = dict(known or {})
        self.base = base_path_of((site.config or {}).get("baseurl"))

    def entry(self, rel: str) -> UrlEntry | None:
        """The entry of the file at ``rel`` (from the root, "/"-separated)."""
        return _entry(self.site, self.cfg, self.root, rel, self.base)

    def url_map(self, files: Iterable[str | Path], made: Mapping[str, UrlEntry | None] | None = None,
                plain: bool = False) -> UrlMap:
        """The map of ``files``; ``made``: entries :meth:`entry` already gave, by
        path from the root; ``plain``: ``files`` are "/"-separated paths from
        the root as a walk of it writes them, which ``relative_paths`` gives back as they are."""
        made = made or {}
        base = self.base
        umap = UrlMap("jekyll", base, root=str(self.root.resolve()))
        rels = list(files) if plain else relative_paths(self.root, files)
        for rel in rels:
            entry = made[rel] if rel in made else self.entry(rel)
            if entry is not None:
                umap.add(entry)
        posts = sum(1 for e in umap.entries.values() if e.kind == "post" and e.written)
        umap.generated = frozenset(join_base(base, u) for u in plugin_pages(self.site.config or {}, set(rels), posts))
        return umap


def _entry(site: Site, cfg: _Config, root: Path, rel: str, base: str) -> UrlEntry | None:
    coll = _collection_of(rel, cfg)
    if coll is not None:
        label, folder = coll
        if label in ("posts", "drafts"):
            return _post(cfg, root, rel, folder, base, draft=label == "drafts")
        if not _has_header(cfg, root, rel):
            return _collection_static(cfg, rel, label, folder, base)
        return _document(cfg, root, rel, label, folder, base)
    include = cfg.include
    if any((p.startswith(("_", ".", "#", "~")) or p.endswith("~")) and p not in include and rel not in include
           for p in rel.split("/")):
        return None  # Jekyll reads no such file or folder (layouts, includes, data, dot files) unless included
    if _has_header(cfg, root, rel):
        return _page(cfg, root, rel, base)
    url = "/" + rel
    return UrlEntry(rel, join_base(base, escape_path(url)), rel, "static")


def _has_header(cfg: _Config, root: Path, rel: str) -> bool:
    record = cfg.known.get(rel)
    return bool(record["hdr"]) if record is not None else has_jekyll_header(root / rel)


def _read(cfg: _Config, root: Path, path: str, kind: str, rel: str) -> tuple[dict[str, Any], str, dict[str, Any]]:
    """(the front matter defaults, why the URL is uncertain or "", the front matter)."""
    record = cfg.known.get(path)
    if record is not None:  # what read_of_record stands for, without building it
        times = record.get("times")
        front = ({k: YamlTime(v) if k in times else v for k, v in record["fm"].items()} if times
                 else dict(record["fm"]))
        ok = record["ok"]
    else:
        read = read_front_matter(root / path, JEKYLL_URL_KEYS)
        front, ok = dict(read.data), read.ok
    uncertain = "" if ok else "its front matter does not parse: the URL comes from its path alone"
    return _defaults(cfg, rel, kind, root) if cfg.defaults else {}, uncertain, front


def _post(cfg: _Config, root: Path, rel: str, folder: str, base: str, draft: bool) -> UrlEntry | None:
    inner = rel[len(folder) + 1:]
    if not draft:
        if not DATE_NAME.match(inner):
            return None  # Jekyll reads only dated names in _posts
        entry = common_post(cfg, rel, base)  # most posts
        if entry is not None:
            return entry
    return _document(cfg, root, rel, "posts", folder, base, draft=draft)


def _document(cfg: _Config, root: Path, path: str, label: str, folder: str, base: str, draft: bool = False) -> UrlEntry:
    # A document's relative path, for its categories, `:path` and defaults, starts at `collections_dir`.
    rel = path[len(cfg.collections_dir) + 1:] if cfg.collections_dir else path
    data, uncertain, front = _read(cfg, root, path, label, rel)
    # Categories from the folders above `_posts` (or `_drafts`), then the defaults', then the front matter's.
    special = "_drafts" if draft else f"_{label}"
    name = rel.rpartition("/")[2]  # os.path.basename of a "/"-separated path
    if rel.startswith(special):
        path_cats: list[Any] = []
    else:
        at = rel.find(special)
        path_cats = _folder_categories(rel if at < 0 else rel[:at], special)
        if name in path_cats:
            path_cats = [c for c in path_cats if c != name]
        else:
            path_cats = list(path_cats)
    merged: dict[str, Any] = {"categories": path_cats}
    for layer in (data, front):  # both fresh from _read: merging may change them
        if layer:  # merging nothing leaves the same keys and values
            _merge_categories(merged, layer)
            merged = _deep_merge(merged, layer)
    data = merged
    stem, ext = os.path.splitext(name)
    m = DATE_NAME.match(rel)
    when: dt.datetime | None = None
    if m:
        slug, name_date = m.group(2), m.group(1)
    else:
        d = DATELESS_NAME.match(rel)
        slug, name_date = (d.group(1) if d else stem), None
    slug = _no_trailing_dots(slug)
    if uncertain:
        # Jekyll stops reading the post at the error: no date or slug from its name, the build's date.
        uncertain = "its front matter does not parse: Jekyll gives it the build's date and its whole file name"
        name_date, slug = None, None
    if data.get("date") is not None:
        when = parse_jekyll_time(data["date"], cfg.tz)
        if when is None:
            uncertain = uncertain or f"Jekyll cannot read its date {ruby_str(data['date'])!r} (the build stops)"
    if when is None and name_date is not None:
        when = parse_jekyll_time(name_date, cfg.tz)
    if when is None:
        when = cfg.now
    if data.get("slug") is None:
        data["slug"] = slug
    permalink = data.get("permalink")
    out_ext = output_ext(cfg, ext, permalink)
    template = permalink if isinstance(permalink, str) and permalink else cfg.collections[label].get("permalink") \
        or permalink_suffix("/:collection/:path", cfg.style)
    named = data["slug"] if data["slug"] is not None else stem

    # The URL drop's values, each made only when the template names it.
    values: dict[str, str] = {}
    wall = None
    for key in drop_keys(ruby_str(template)):
        if key in TIME_KEYS:
            if wall is None:
                wall = wall_values(when)
            values[key] = wall[key]
        elif key == "output_ext":
            values[key] = out_ext
        elif key == "path":
            rel_no_ext = rel[: len(rel) - len(ext)] if ext else rel
            values[key] = _no_trailing_dots(rel_no_ext.replace(special, "", 1))
        elif key == "collection":
            values[key] = label
        elif key == "name":
            values[key] = slugify(stem) or ""
        elif key == "title":
            values[key] = slugify(named, "pretty", True) or ""
        elif key == "slug":
            values[key] = slugify(named) or ""
        elif key == "categories":
            values[key] = _categories_token(data, uncertain)
        elif key == "slugified_categories":
            values[key] = "/".join(dict.fromkeys(slugify(c) or "" for c in _document_categories(data, uncertain)))
    try:
        url = sanitize_url(fill_template(ruby_str(template), values))
    except UnknownToken as exc:
        uncertain = uncertain or f"its permalink uses :{exc}, which Jekyll does not know (the build stops)"
        url = sanitize_url(ruby_str(template))
    written = (not draft and data.get("published") is not False and bool(cfg.collections[label].get("output"))
               and (cfg.future or when <= cfg.now))
    kind = "post" if label == "posts" else "document"
    return UrlEntry(path, join_base(base, url), _destination(url, out_ext, "index.html"), kind, written, uncertain)


def _page(cfg: _Config, root: Path, rel: str, base: str) -> UrlEntry:
    data, uncertain, front = _read(cfg, root, rel, "pages", rel)
    data = _deep_merge(data, front)
    name = os.path.basename(rel)
    ext = os.path.splitext(name)[1]
    basename = _no_trailing_dots(name[: len(name) - len(ext)] if ext else name)
    folder = os.path.dirname(rel)
    permalink = data.get("permalink")
    out_ext = output_ext(cfg, ext, permalink)
    if out_ext not in HTML_EXTS:
        template = "/:path/:basename:output_ext"
    elif basename == "index":
        template = "/:path/"
    else:
        template = permalink_suffix("/:path/:basename", cfg.style)
    if isinstance(permalink, str) and permalink:
        template = permalink
    url = sanitize_url(fill_hash(template, {"path": folder, "basename": basename, "output_ext": out_ext}))
    written = data.get("published") is not False
    output = _destination(url, out_ext, "index" + out_ext)
    return UrlEntry(rel, join_base(base, url), output, "page", written, uncertain)


def _collection_static(cfg: _Config, rel: str, label: str, folder: str, base: str) -> UrlEntry:
    """A file without front matter in a collection: copied only when the collection is output."""
    meta = cfg.collections[label]
    name = os.path.basename(rel)
    ext = os.path.splitext(name)[1]
    cleaned = _no_trailing_dots(rel[: len(rel) - len(ext)] if ext else rel).replace(f"_{label}", "", 1)
    template = meta.get("permalink") or permalink_suffix("/:collection/:path", cfg.style)
    values = {"collection": label, "path": cleaned, "output_ext": "",
              "name": _no_trailing_dots(name[: len(name) - len(ext)]),
              "title": ""}
    url = sanitize_url(fill_hash(ruby_str(template), values)).rstrip("/") + ext
    return UrlEntry(rel, join_base(base, url), unquote(url).lstrip("/"), "static", bool(meta.get("output")))


__all__ = ["url_map", "slugify", "escape_path", "sanitize_url", "permalink_suffix", "fill_template", "YamlTime"]
