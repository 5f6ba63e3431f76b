"""Hugo's URLs: pages, sections, bundles and their resources, static files.

A page's URL is its path in the content folder (a leaf bundle's ``index.md``
is its folder, a branch's ``_index.md`` the section), with ``slug`` for the
last segment, ``url`` for the whole path, or its section's ``[permalinks]``
pattern; the language prefix for a language other than the default (or for
every language with ``defaultContentLanguageInSubdir``); ``uglyURLs`` for
``name.html``. Paths are sanitized and lowercased as Hugo does. ``aliases``
are extra URLs (redirect pages).
"""

from __future__ import annotations

import datetime as dt
import os
import posixpath
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import quote

from . import Site, theme_names
from .urls import DAYS, MONTHS, UrlEntry, UrlMap, base_path_of, join_base, read_front_matter, relative_paths

CONTENT_EXTS = frozenset({".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn", ".html", ".htm", ".org",
                          ".adoc", ".asciidoc", ".ad", ".rst", ".pandoc", ".pdc"})
DATE_KEYS = ("date", "publishdate", "pubdate", "published", "lastmod", "modified")
_URL_KEYS = frozenset({"url", "slug", "title", "draft", "aliases", "headless", "build", "_build", "expirydate",
                       *DATE_KEYS})  # all a URL reads
_UNCERTAIN = "its front matter does not parse: the URL comes from its path alone"


def sanitize(text: str) -> str:
    """Hugo's path sanitizing: letters, digits, marks and `._~#+-@/\\` stay, spaces become one hyphen, the rest goes."""

    def allowed(i: int, c: str) -> bool:
        if c == " ":
            return False
        if c.isalpha() or c.isdigit() or c in "./\\_#+~-@" or unicodedata.category(c).startswith("M"):
            return True
        return c == "%" and re.match(r"[0-9a-fA-F]{2}", text[i + 1:i + 3]) is not None

    out: list[str] = []
    prepend = was_hyphen = False
    for i, c in enumerate(text):
        if allowed(i, c):
            was_hyphen = c == "-"
            if prepend and not was_hyphen:
                out.append("-")
            prepend = False
            out.append(c)
        elif out and not was_hyphen and c.isspace():
            prepend = True
    return "".join(out)


def urlize(text: str, lower: bool = True) -> str:
    """``URLize`` of a title or slug: sanitized and, unless the site says otherwise, lowercased."""
    s = sanitize(text)
    return s.lower() if lower else s


@dataclass
class _Config:
    base: str
    default_lang: str
    languages: dict[str, dict[str, Any]]  # lang -> its config (lower-cased keys)
    in_subdir: bool
    content_dirs: list[tuple[str, str | None]]  # (folder, its language, None when shared)
    static_dirs: list[str]
    permalinks: dict[str, str]
    section_permalinks: dict[str, str]
    ugly: Any
    lower: bool
    disabled: frozenset[str]
    now: dt.datetime
    future: bool
    drafts: bool
    expired: bool
    taxonomies: tuple[str, ...]  # their plural names: the front matter keys and the URLs' first folder
    multilingual: bool = field(init=False)
    keys: frozenset[str] = field(init=False)

    def __post_init__(self) -> None:
        self.multilingual = len(self.languages) > 1
        self.keys = _URL_KEYS | frozenset(self.taxonomies)

    def prefix(self, lang: str) -> str:
        if not self.multilingual and not self.in_subdir:
            return ""
        if lang != self.default_lang or self.in_subdir:
            return "/" + lang
        return ""

    def is_ugly(self, section: str) -> bool:
        if isinstance(self.ugly, Mapping):
            return bool(self.ugly.get(section))
        return bool(self.ugly)


def _lower_keys(value: Any) -> Any:
    if isinstance(value, Mapping):
        return {str(k).lower(): v for k, v in value.items()}
    return {}


def _config(site: Site, now: dt.datetime | None) -> _Config:
    config = _lower_keys(site.config or {})
    langs_raw = _lower_keys(config.get("languages"))
    default = str(config.get("defaultcontentlanguage") or "en").lower()
    languages = {str(k).lower(): _lower_keys(v) for k, v in langs_raw.items()} or {default: {}}
    content = str(config.get("contentdir") or "content").strip("/")
    dirs: list[tuple[str, str | None]] = []
    for lang, lconf in languages.items():
        if lconf.get("contentdir"):
            dirs.append((str(lconf["contentdir"]).strip("/"), lang))
    if len(dirs) < len(languages):
        dirs.append((content, None))
    static = config.get("staticdir") or "static"
    statics = [str(s).strip("/") for s in (static if isinstance(static, list) else [static])]
    for t in theme_names(config):
        statics.insert(0, f"themes/{t}/static")  # the project's own files win: later folders override
    perm = _lower_keys(config.get("permalinks"))
    page_perm = {k: str(v) for k, v in perm.items() if isinstance(v, str)}
    page_perm.update({str(k).lower(): str(v) for k, v in _lower_keys(perm.get("page")).items() if isinstance(v, str)})
    section_perm = {str(k).lower(): str(v) for k, v in _lower_keys(perm.get("section")).items() if isinstance(v, str)}
    ugly = config.get("uglyurls", False)
    if isinstance(ugly, Mapping):
        ugly = {str(k).lower(): v for k, v in ugly.items()}
    disabled = frozenset(str(k).lower() for k in config.get("disablekinds") or [])
    tax = config.get("taxonomies")
    tax = tax if isinstance(tax, Mapping) else {"tag": "tags", "category": "categories"}
    taxonomies = tuple(str(v).lower() for v in tax.values() if isinstance(v, str) and v)
    return _Config(base_path_of(config.get("baseurl")), default, languages,
                   bool(config.get("defaultcontentlanguageinsubdir")), dirs, statics, page_perm, section_perm, ugly,
                   not config.get("disablepathtolower"), disabled, now or dt.datetime.now(dt.timezone.utc),
                   bool(config.get("buildfuture")), bool(config.get("builddrafts")),
                   bool(config.get("buildexpired")), taxonomies)


def url_map(site: Site, files: Iterable[str | Path], now: dt.datetime | None = None) -> UrlMap:
    """The URL of every content, resource and static file Hugo reads (paths absolute or relative to the root)."""
    root = Path(site.root or ".")
    cfg = _config(site, now)
    umap = UrlMap("hugo", cfg.base, root=str(root.resolve()))
    rels = relative_paths(root, files)
    content: list[tuple[str, str, str | None]] = []  # (path, path inside the content folder, language)
    statics: dict[str, tuple[int, str]] = {}
    for rel in rels:
        placed = _place(cfg, rel)
        if placed is None:
            continue
        kind, inner, lang = placed
        if kind == "static":
            rank = next(i for i, d in enumerate(cfg.static_dirs) if rel.startswith(d + "/"))
            if inner not in statics or statics[inner][0] <= rank:  # the project's file wins over a theme's
                statics[inner] = (rank, rel)
        else:
            content.append((rel, inner, lang))
    leaves = {_language_split(cfg, inner)[0].rpartition("/")[0] for _, inner, _ in content
              if _stem(_language_split(cfg, inner)[0]) == "index" and _is_content(inner)}
    published: list[tuple[str, str, str | None]] = []
    terms: set[tuple[str, str, str]] = set()
    for rel, inner, lang in content:
        entry = _content_entry(cfg, root, rel, inner, lang, leaves, terms)
        if entry is not None:
            umap.add(entry)
            if entry.written and entry.kind != "resource":
                published.append((rel, inner, lang))
    for inner, (_, rel) in statics.items():
        url = "/" + inner
        umap.add(UrlEntry(rel, join_base(cfg.base, quote(url, safe="/!$&'()*+,;=:@~")), inner, "static"))
    lists = _list_pages(cfg, published) | _taxonomy_pages(cfg, terms)
    umap.generated = frozenset(join_base(cfg.base, _encode(url)) for url in lists)
    return umap


def _list_pages(cfg: _Config, content: list[tuple[str, str, str | None]]) -> set[str]:
    """The pages Hugo makes without a file: each language's home and the list of each top-level section
    with a published page."""
    urls: set[str] = set()
    with_file: set[tuple[str, str]] = set()  # (language, folder) of each `_index.md`: its own URL is in the map
    for _, inner, lang in content:
        path, suffix_lang = _language_split(cfg, inner)
        if _stem(path) == "_index":
            with_file.add((lang or suffix_lang or cfg.default_lang, path.rpartition("/")[0]))
    for _, inner, lang in content:
        path, suffix_lang = _language_split(cfg, inner)
        lang = lang or suffix_lang or cfg.default_lang
        prefix = cfg.prefix(lang)
        if "home" not in cfg.disabled and (lang, "") not in with_file:
            urls.add(prefix + "/")
        section = path.split("/", 1)[0] if "/" in path else ""
        if section and "section" not in cfg.disabled and (lang, section) not in with_file:
            urls.add(f"{prefix}/{_path_of(cfg, section)}/")
    return urls


def _taxonomy_pages(cfg: _Config, terms: set[tuple[str, str, str]]) -> set[str]:
    """Each taxonomy's list (`/tags/`) and each term's page (`/tags/term/`) that a published page names."""
    urls: set[str] = set()
    for lang, plural, term in terms:
        prefix = cfg.prefix(lang)
        if "taxonomy" not in cfg.disabled:
            urls.add(f"{prefix}/{_path_of(cfg, plural)}/")
        if "term" not in cfg.disabled and urlize(term, cfg.lower):
            urls.add(f"{prefix}/{_path_of(cfg, plural)}/{urlize(term, cfg.lower)}/")
    return urls


def _place(cfg: _Config, rel: str) -> tuple[str, str, str | None] | None:
    for folder, lang in sorted(cfg.content_dirs, key=lambda d: -len(d[0])):
        if rel.startswith(folder + "/"):
            return "content", rel[len(folder) + 1:], lang
    for folder in cfg.static_dirs:
        if rel.startswith(folder + "/"):
            return "static", rel[len(folder) + 1:], None
    return None


def _is_content(path: str) -> bool:
    return os.path.splitext(path)[1].lower() in CONTENT_EXTS


def _stem(path: str) -> str:
    return os.path.splitext(path.rsplit("/", 1)[-1])[0]


def _language_split(cfg: _Config, inner: str) -> tuple[str, str | None]:
    """`post.ko.md` -> (`post.md`, "ko") when ko is one of the site's languages."""
    folder, _, name = inner.rpartition("/")
    parts = name.split(".")
    if len(parts) >= 3 and parts[-2].lower() in cfg.languages:
        name = ".".join(parts[:-2] + parts[-1:])
        return (folder + "/" + name if folder else name), parts[-2].lower()
    return inner, None


def _content_entry(cfg: _Config, root: Path, rel: str, inner: str, lang: str | None,
                   leaves: set[str], terms: set[tuple[str, str, str]]) -> UrlEntry | None:
    path, suffix_lang = _language_split(cfg, inner)
    lang = lang or suffix_lang or cfg.default_lang
    prefix = cfg.prefix(lang)
    folder = path.rpartition("/")[0]
    owner = next((leaf for leaf in _ancestors(folder) if leaf in leaves), None)
    if owner is not None and not (folder == owner and _stem(path) == "index" and _is_content(path)):
        return _resource(cfg, rel, path, prefix, owner, lang)
    if not _is_content(path):
        return _resource(cfg, rel, path, prefix, None, lang)
    read = read_front_matter(root / rel, cfg.keys)
    data = {str(k).lower(): v for k, v in read.data.items()}
    uncertain = "" if read.ok else _UNCERTAIN
    stem = _stem(path)
    section = path.split("/", 1)[0] if "/" in path else ""
    if stem == "_index":
        kind = "home" if not folder else "section"
        url = _section_url(cfg, data, folder, prefix)
    else:
        kind = "page"
        url, why = _page_url(cfg, data, path, folder, stem, section, prefix)
        uncertain = uncertain or why
    written = _published(cfg, data, kind, section)
    if written:
        terms.update((lang, plural, term) for plural in cfg.taxonomies for term in _as_list(data.get(plural)))
    ugly = kind == "page" and cfg.is_ugly(section) and url.endswith("/") and "url" not in data
    if ugly:
        url = url.rstrip("/") + ".html"
    output = url.lstrip("/")
    if url.endswith("/") or "." not in url.rsplit("/", 1)[-1]:
        output = output.rstrip("/") + "/index.html" if output.strip("/") else "index.html"
    aliases = tuple(_alias(cfg, a, url) for a in _as_list(data.get("aliases")))
    return UrlEntry(rel, join_base(cfg.base, _encode(url)), output.lstrip("/"), "section" if kind != "page" else "page",
                    written, uncertain, tuple(join_base(cfg.base, _encode(a)) for a in aliases), lang)


def _ancestors(folder: str) -> list[str]:
    out = []
    while folder:
        out.append(folder)
        folder = folder.rpartition("/")[0]
    return out


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [str(v) for v in value if isinstance(v, (str, int, float))]
    return []


def _encode(url: str) -> str:
    return quote(url, safe="/!$&'()*+,;=:@~#")


def _path_of(cfg: _Config, text: str) -> str:
    s = sanitize(text)
    return s.lower() if cfg.lower else s


def _section_url(cfg: _Config, data: Mapping[str, Any], folder: str, prefix: str) -> str:
    if isinstance(data.get("url"), str) and data["url"]:
        return _front_url(data["url"], prefix)
    pattern = cfg.section_permalinks.get(folder.split("/", 1)[0]) if folder else None
    if pattern:
        return _expand(cfg, pattern, data, folder, folder.rsplit("/", 1)[-1], prefix)[0]
    return (prefix + "/" + _path_of(cfg, folder) + "/").replace("//", "/") if folder else (prefix or "") + "/"


def _front_url(url: str, prefix: str) -> str:
    """A front matter `url`: from the site root when it starts with `/`, else under the language."""
    if not url.startswith("/"):
        url = prefix + "/" + url
    return url if url.endswith("/") or "." in url.rsplit("/", 1)[-1] else url + "/"


def _page_url(cfg: _Config, data: Mapping[str, Any], path: str, folder: str, stem: str, section: str,
              prefix: str) -> tuple[str, str]:
    if isinstance(data.get("url"), str) and data["url"]:
        return _front_url(data["url"], prefix), ""
    leaf = stem == "index"
    name = folder.rsplit("/", 1)[-1] if leaf else stem
    parent = folder.rpartition("/")[0] if leaf else folder
    pattern = cfg.permalinks.get(section)
    if pattern:
        return _expand(cfg, pattern, data, folder if not leaf else parent, name, prefix)
    slug = data.get("slug")
    last = _path_of(cfg, str(slug)) if isinstance(slug, (str, int)) and str(slug) else _path_of(cfg, name)
    parts = [p for p in (prefix.strip("/"), _path_of(cfg, parent), last) if p]
    return "/" + "/".join(parts) + "/", ""


def _date(data: Mapping[str, Any], keys: tuple[str, ...] = DATE_KEYS) -> tuple[int, int, int] | None:
    """The first of ``keys`` that holds a date, as written (Hugo keeps a date's own zone)."""
    for key in keys:
        value = data.get(key)
        if value is None:
            continue
        m = re.match(r"\s*(\d{4})-(\d{1,2})-(\d{1,2})", str(value))
        if m:
            when = int(m.group(1)), int(m.group(2)), int(m.group(3))
            try:
                dt.date(*when)
            except ValueError:  # Hugo refuses the file; no date it could give
                return None
            return when
    return None


def _expand(cfg: _Config, pattern: str, data: Mapping[str, Any], folder: str, name: str,
            prefix: str) -> tuple[str, str]:
    """A ``[permalinks]`` pattern for a page (its date fields as written, its title and slug urlized)."""
    when = _date(data)
    why = "" if when is not None or not re.search(r":(year|month|day|yearday|weekday)", pattern) else \
        "it has no date for its permalink's date tokens"
    y, mo, d = when or (1, 1, 1)
    date = dt.date(y, mo, d) if when else dt.date(1, 1, 1)
    title = str(data.get("title") or "")
    slug = data.get("slug")
    slug_s = str(slug) if isinstance(slug, (str, int)) and str(slug) else ""
    sections = [s for s in folder.split("/") if s]
    values = {
        "year": f"{y:04d}", "month": f"{mo:02d}", "day": f"{d:02d}", "monthname": MONTHS[mo - 1],
        "weekday": str(date.isoweekday() % 7), "weekdayname": DAYS[date.weekday()],
        "yearday": str(date.timetuple().tm_yday),
        "section": sections[0] if sections else "", "sections": "/".join(sections),
        "title": urlize(title, cfg.lower), "slug": urlize(slug_s or title, cfg.lower),
        "slugorfilename": urlize(slug_s, cfg.lower) if slug_s else name,
        "slugorcontentbasename": urlize(slug_s, cfg.lower) if slug_s else name,
        "filename": name, "contentbasename": name, "contentbasenameorslug": name or urlize(slug_s, cfg.lower),
    }
    out = re.sub(r":([a-z]+)", lambda m: values.get(m.group(1), m.group(0)), pattern)
    out = re.sub(r"/{2,}", "/", "/" + out.lstrip("/"))
    out = out if out.endswith("/") or "." in out.rsplit("/", 1)[-1] else out + "/"
    out = _path_of(cfg, out) if cfg.lower else out
    return (prefix + out if prefix else out), why


def _alias(cfg: _Config, alias: str, url: str) -> str:
    """An alias is a path from the site root, or, without a leading `/`, next to the page."""
    if not alias.startswith("/"):
        alias = posixpath.join(posixpath.dirname(url.rstrip("/")) or "/", alias)
    # Without an extension the redirect page is the folder's index.html.
    return alias if alias.endswith("/") or "." in alias.rsplit("/", 1)[-1] else alias + "/"


def _truthy_build(data: Mapping[str, Any], kind: str) -> bool:
    build = data.get("build", data.get("_build"))
    if isinstance(build, Mapping):
        render = build.get("render", True)
        if render is False or str(render).lower() in ("never", "false"):
            return False
    return not (kind == "page" and data.get("headless") is True)


def _published(cfg: _Config, data: Mapping[str, Any], kind: str, section: str) -> bool:
    if kind in cfg.disabled or (kind == "section" and "section" in cfg.disabled):
        return False
    if data.get("draft") is True and not cfg.drafts:
        return False
    if not _truthy_build(data, kind):
        return False
    today = cfg.now.date()
    for key, later_ok in (("publishdate", False), ("date", False), ("expirydate", True)):
        when = _date(data, (key,))
        if when is None:
            continue
        day = dt.date(*when)
        if not later_ok and day > today and not cfg.future:
            return False
        if later_ok and day < today and not cfg.expired:
            return False
    return True


def _resource(cfg: _Config, rel: str, path: str, prefix: str, owner: str | None, lang: str) -> UrlEntry:
    """A file of a page bundle, or another non-content file in the content folder: published under its page."""
    parts = (prefix.strip("/"), _path_of(cfg, path.rpartition("/")[0]), path.rsplit("/", 1)[-1])
    url = "/" + "/".join(p for p in parts if p)
    return UrlEntry(rel, join_base(cfg.base, _encode(url)), url.lstrip("/"), "resource", True, "", (), lang)
