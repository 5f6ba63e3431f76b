"""Everything a check across a site needs, built from its posts' facts.

A :class:`SiteIndex` holds one site's content files (absolute paths) with
their facts (see :mod:`newslint.site.facts`) and answers the questions the
site rules ask: which files the site has (its whole tree, for images), the
ids of a page, the posts of a language. Built once per site and run; the
site rules only read it.
"""

from __future__ import annotations

import os
import posixpath
import re
from functools import cached_property, lru_cache
from typing import Any
from urllib.parse import unquote, urlsplit

from ..cachefiles import json_path, load_json, save_json
from ..suffixes import HTML_SUFFIXES, MARKDOWN_SUFFIXES
from ..templates import resolve
from . import Site, theme_names

# Output, caches and tools' folders: never a file of the site's own.
_SKIP_WALK = {"jekyll": frozenset({".git", "node_modules", "_site", ".jekyll-cache", ".sass-cache", ".bundle"}),
              "hugo": frozenset({".git", "node_modules", "public", "resources"})}


def own_host(config: Any) -> str:
    """The host a site is served from (its `url`, or Hugo's `baseURL`), lower case, or ""."""
    return _host_of(str(config.get("url") or config.get("baseurl") or ""))


@lru_cache(maxsize=16)
def _host_of(url: str) -> str:
    return urlsplit(url).netloc.lower()


def elsewhere(target: str, host: str) -> bool:
    """True when ``target`` (stripped) is a full address on a host other than
    ``host`` (see :func:`own_host`), read without parsing the URL: no check
    across the site follows such a link, and most links of a post are such."""
    if target[:4].lower() == "http" and "://" in target[:8]:
        return (target.split("/", 3)[2].rpartition("@")[2].lower() if target.count("/") >= 2 else "") != host
    return False


# The files a run lints (see newslint.discovery): stat'ed by their workers.
_POST_SUFFIXES = tuple(sorted({*MARKDOWN_SUFFIXES, *HTML_SUFFIXES}))


def _any_kept(directory: str, prefix: str) -> bool:
    """Whether ``directory`` holds any file :func:`~newslint.cachefiles.save_json` wrote under ``prefix``."""
    start = prefix + "-"
    try:
        return any(name.startswith(start) and name.endswith(".json") for name in os.listdir(directory))
    except OSError:
        return False


class SiteIndex:
    def __init__(self, site: Site, facts: dict[str, dict[str, Any]], cache_dir: str | None = None,
                 code_key: str = "") -> None:
        self.cache_dir = cache_dir  # where the URL map is kept between runs (None: not kept)
        # The run's fingerprint (newslint's code and the config): what is derived
        # from the site's names is kept under it (none kept without it).
        self.code_key = code_key
        self.site = site
        self.root = site.root or ""
        self.facts = facts  # absolute path -> facts
        self._prefix = self.root.rstrip(os.sep) + os.sep
        self._rooted: dict[str, str | None] = {}  # a rooted link target -> its URL
        self._local: dict[str, tuple[str, bool] | None] = {}  # a target -> local_path's answer
        self._maker: Any = None  # makes the URL map a file at a time (see feed)
        self._made: dict[str, Any] = {}  # path from the root -> the URL entry made as its facts came in
        self._fed: set[str] = set()  # the paths whose facts were fed
        self._ids: dict[str, set[str]] = {}  # a page -> its ids, made when a link asks (see ids)
        self._sorted: tuple[Any, int, list[str]] | None = None  # (facts, their count, their paths sorted)
        self.map_kept = False  # the cache holds the URL map of the site as it is (see prefetch)
        # Whether a map made here is saved: not by a run that keeps the site's
        # findings (a run like it next time takes those, with no map), only by
        # one that cannot (a fix, an editor's buffer), which the map then spares.
        self.keep_map = True
        self.known_stats: dict[str, tuple[int, ...]] = {}  # absolute path -> (size, time, ...) the run stat'ed already
        self._key_parts: dict[str, str] = {}  # path from the root -> its part of urls_key, from a fed post's stat
        self._prestats: dict[str, tuple[int, int]] = {}  # path from the root -> (size, time) of a file no post is

    def paths(self) -> list[str]:
        """The paths that have facts, sorted: the order the rules go through them in."""
        got = self._sorted
        if got is None or got[0] is not self.facts or got[1] != len(self.facts):
            got = self._sorted = (self.facts, len(self.facts), sorted(self.facts))
        return got[2]

    def rel(self, path: str) -> str:
        """``path`` (absolute, inside the site) from the site's root, "/"-separated."""
        if path.startswith(self._prefix):
            rel = path[len(self._prefix):]
        else:
            rel = os.path.relpath(path, self.root)
        return rel.replace(os.sep, "/") if os.sep != "/" else rel

    @cached_property
    def tree(self) -> tuple[frozenset[str], dict[str, str]]:
        """Every file under the site's root ("/"-separated, from the root), and
        the same in lower case -> as written (for a match that differs in case only)."""
        return self.files, {f.lower(): f for f in self.files}

    @cached_property
    def files(self) -> frozenset[str]:
        """Every file under the site's root ("/"-separated, from the root)."""
        return self._listing.files

    @cached_property
    def _listing(self) -> Any:
        from .listing import Listing

        return Listing(self.root, _SKIP_WALK.get(self.site.generator, frozenset({".git"})), self.cache_dir)

    @cached_property
    def all_files(self) -> list[str]:
        """Every file the generator reads ("/"-separated, from the root): content
        and static alike (Jekyll: the site's folder after its special names and
        `exclude`; Hugo: the content folders and `static/`)."""
        key = f"{self.code_key}-{self.site.signature}" if self.code_key else None
        kept = self._listing.derived(key) if key else None
        if kept is not None:
            return kept
        out = self._all_files()
        if key:
            self._listing.keep(key, out)
        return out

    def _all_files(self) -> list[str]:
        files = self.files
        if self.site.is_hugo:
            themes = theme_names(self.site.config)
            folders = tuple(d.rstrip("/") + "/" for d in (*self.site.content_dirs, "static",
                                                         *(f"themes/{t}/static" for t in themes)))
            return sorted(f for f in files if f.startswith(folders))
        from .jekyll import JekyllContent

        judge = JekyllContent(self.root, dict(self.site.config))
        ok: dict[str, bool] = {}

        def folder_ok(folder: str) -> bool:
            got = ok.get(folder)
            if got is None:
                parent = folder.rpartition("/")[0]
                got = ok[folder] = (not folder or (folder_ok(parent) and judge.dir_reason(folder) is None))
            return got

        out = []
        for f in files:
            folder, _, name = f.rpartition("/")
            if not folder_ok(folder):
                continue
            if not judge.include.match(f, False) and (judge.exclude.match(f, False) or name[:1] in "._#~"
                                                       or name.endswith("~")):
                continue
            out.append(f)
        return sorted(out)

    def prefetch(self) -> None:
        """What a run needs of the site before its posts are in: its files and,
        when the cache kept any URL map or findings across a site, every file's
        stat (the key of the URL map and of the site's last findings) and
        whether it kept the map of the site as it is."""
        self.all_files  # noqa: B018 - walked once, kept by the cached property
        self._listing.save()
        if self.cache_dir and (_any_kept(self.cache_dir, "urlmap") or _any_kept(self.cache_dir, "site")):
            # A run after another: the key now, for the findings or the map it kept.
            self.map_kept = os.path.exists(json_path(self.cache_dir, "urlmap", self.urls_key))
        elif self.cache_dir:
            # Without any map or findings kept (a first run) the key waits until the map
            # is saved: by then the workers' stat of each post stands in for
            # one here, and the other files are stat'ed meanwhile, their URL
            # entries made (by a maker of this thread's own: no worker reads them).
            from .urlmap import url_maker

            prefix, stat, got, made = self._prefix, os.stat, self._prestats, self._made
            maker = url_maker(self.site)
            for rel in self.all_files:
                if not rel.endswith(_POST_SUFFIXES):
                    try:
                        st = stat(prefix + rel)
                    except OSError:
                        continue
                    got[rel] = (st.st_size, st.st_mtime_ns)
                    if maker is not None:
                        try:
                            made[rel] = maker.entry(rel)
                        except Exception:  # made again, and the error raised, with the map
                            pass

    @cached_property
    def kept_urls(self) -> Any:
        """The URL map the cache kept for the site as it is now, or None."""
        if not self.cache_dir:
            return None
        from .urls import UrlMap

        kept = load_json(self.cache_dir, "urlmap", self.urls_key)
        if kept is not None:
            try:
                return UrlMap.from_rows(kept, root=self.root)
            except (KeyError, TypeError, ValueError):
                pass
        return None

    def feed(self, path: str, facts: dict[str, Any], stat: tuple[int, ...] | None = None) -> None:
        """Make the URL entry of a post whose facts just came in (from a
        worker, while the others are still being linted), so that making the
        map later only adds the files no worker read. ``stat``: the post's
        (size, time, ...) as the worker read it, for :attr:`urls_key`."""
        rel = self.rel(path)
        if stat is not None:
            self._key_parts[rel] = f"{rel}\0{stat[0]}\0{stat[1]}"
        record = facts.get("url")
        if record is None or self.map_kept:
            return
        if self._maker is None:
            from .urlmap import url_maker

            self._maker = url_maker(self.site)
            if self._maker is None:
                return
        self._maker.known[rel] = record
        self._fed.add(path)
        try:
            self._made[rel] = self._maker.entry(rel)
        except Exception:  # made again, and the error raised, with the map
            self._made.pop(rel, None)

    @cached_property
    def urls(self) -> Any:
        """The URL map (see :mod:`newslint.site.urlmap`); the posts' facts
        stand in for reading their heads again."""
        kept = self.kept_urls
        if kept is not None:
            return kept
        fed = self._fed  # their records are known already
        known = {} if fed.issuperset(self.facts) else {
            self.rel(path): f["url"] for path, f in self.facts.items() if path not in fed and f.get("url") is not None}
        if self._maker is not None:
            self._maker.known.update(known)
            # The listing's names (see newslint.site.listing): each a scandir name below its folder's.
            umap = self._maker.url_map(self.all_files, self._made, plain=True)
        else:
            from .urlmap import url_map

            umap = url_map(self.site, self.all_files, known=known)
        if self.cache_dir and self.keep_map:
            save_json(self.cache_dir, "urlmap", self.urls_key, umap.to_rows(), keep=4)
        return umap

    @cached_property
    def redirects(self) -> re.Pattern[str] | None:
        """The paths the host redirects (Netlify's `netlify.toml` `[[redirects]]`
        and `_redirects` files, in the site's root or its static folder): a
        link to one of them is not a 404."""
        patterns = []
        toml = os.path.join(self.root, "netlify.toml")
        if os.path.isfile(toml):
            from .configfiles import read_config

            data, _problem = read_config(toml)
            for r in data.get("redirects") or ():
                if isinstance(r, dict) and isinstance(r.get("from"), str):
                    patterns.append(r["from"])
        for name in ("_redirects", "static/_redirects"):
            try:
                with open(os.path.join(self.root, name), encoding="utf-8") as fh:
                    patterns += [line.split()[0] for line in fh if line.strip() and not line.lstrip().startswith("#")]
            except (OSError, UnicodeDecodeError):
                continue
        alts = []
        for p in patterns:
            if "://" in p:
                continue  # another host's redirect
            parts = re.split(r"(\*|:[A-Za-z_]\w*)", p)
            alts.append("".join(".*" if x == "*" else "[^/]+" if x.startswith(":") and len(x) > 1 else re.escape(x)
                                for x in parts))
        return re.compile("|".join(f"(?:{a})" for a in alts)) if alts else None

    @cached_property
    def on_netlify(self) -> bool:
        """Whether the site is deployed on Netlify (it has a `netlify.toml`)."""
        return os.path.isfile(os.path.join(self.root, "netlify.toml"))

    def redirected(self, url: str) -> bool:
        if self.on_netlify and url.endswith("/") and len(url) > 1 and self.urls.serves(url[:-1] + ".html"):
            return True  # Netlify answers `/a/` with a redirect to `/a`, which it serves from `a.html`
        pattern = self.redirects
        if pattern is None:
            return False
        url = url.split("?", 1)[0]
        return bool(pattern.fullmatch(url) or pattern.fullmatch(url.rstrip("/")) or pattern.fullmatch(url + "/"))

    @cached_property
    def own_host(self) -> str:
        """The host the site is served from (its `url`, or Hugo's `baseURL`), lower case, or ""."""
        return own_host(self.site.config)

    @cached_property
    def urls_key(self) -> str:
        """What the URL map depends on: the site's config, today (future posts
        appear with time), and the name, size and time of every file it reads."""
        import datetime
        from .._hashing import blake2b

        parts = [f"{self.site.signature}\0{self.root}\0{datetime.date.today()}"]
        prefix, stat, known, made, prestat = self._prefix, os.stat, self.known_stats.get, self._key_parts.get, \
            self._prestats.get
        for rel in self.all_files:
            part = made(rel)  # most files: a post fed with its stat
            if part is None:
                got = known(prefix + rel) or prestat(rel)
                if got is None:
                    try:
                        st = stat(prefix + rel)
                    except OSError:
                        continue
                    got = (st.st_size, st.st_mtime_ns)
                part = f"{rel}\0{got[0]}\0{got[1]}"
            parts.append(part)
        return blake2b("\0".join(parts).encode("utf-8", "surrogateescape"), digest_size=12).hexdigest()

    def page_url(self, path: str) -> str | None:
        return self.urls.url_of(self.rel(path))

    def link_url(self, path: str, target: str) -> str | None:
        """The URL (from the host root, base path included; query and fragment
        dropped) a link of the file ``path`` leads to inside the site, or None
        (another site, an address newslint cannot resolve, a relative link on
        a page with no URL)."""
        memo = self._rooted
        if target in memo:  # a root-relative link means the same on every page
            return memo[target]
        local = self.local_path(target)
        if local is None:
            if target[:1] == "/" or "://" in target[:8]:
                memo[target] = None
            return None
        url_path, rooted = local
        url_path = url_path.split("#", 1)[0].split("?", 1)[0] or "/"
        base = self.urls.base_path.rstrip("/")
        if rooted:
            got = memo[target] = url_path if base and url_path.startswith(base + "/") else base + url_path
            return got
        page = self.page_url(path)
        if page is None:
            return None
        folder = page if page.endswith("/") else page.rsplit("/", 1)[0] + "/"
        joined = posixpath.normpath(posixpath.join(folder, url_path))
        return joined + "/" if url_path.endswith("/") and not joined.endswith("/") else joined

    def file_at(self, url: str) -> str | None:
        """The absolute path of the site file served at ``url``, or None."""
        rel = self.urls.file_of(url)
        return self._prefix + rel if rel is not None else None

    @cached_property
    def baseurl(self) -> str:
        """The site's base path without its last slash (`/blog`), or "" at the host's root."""
        from .urls import base_path_of

        return base_path_of(self.site.config.get("baseurl")).rstrip("/")

    def local_path(self, target: str) -> tuple[str, bool] | None:
        """(the URL path, rooted) of a link or image target inside the site,
        templates resolved; None for another site, a scheme, data or a
        template newslint cannot resolve. The same whatever page the target is on."""
        memo = self._local
        if target in memo:
            return memo[target]
        got = memo[target] = self._local_path(target)
        return got

    def _local_path(self, target: str) -> tuple[str, bool] | None:
        target = target.strip()
        if elsewhere(target, self.own_host):
            return None  # most links: another site, decided without parsing the URL
        if "{" in target:
            kind, resolved = resolve(target)
            if kind != "url" or resolved is None:
                return None  # a file or post name (link-internal-broken's), or a template not known here
            target = resolved
        parts = urlsplit(target)
        if parts.scheme or parts.netloc or target.startswith("//"):
            site_url = str(self.site.config.get("url") or self.site.config.get("baseurl") or "")
            host = urlsplit(site_url).netloc
            if not host or parts.netloc.lower() != host.lower():
                return None
        path = unquote(parts.path)
        if not path:
            return None
        rooted = path.startswith("/")
        base = self.baseurl
        if rooted and base and (path == base or path.startswith(base + "/")):
            path = path[len(base):] or "/"
        return path, rooted

    def find_file(self, candidates: list[str]) -> tuple[str | None, str | None]:
        """(the first candidate the tree has, or None; else a candidate that
        matches only when letter case is ignored)."""
        files, lower = self.tree
        for c in candidates:
            c = posixpath.normpath(c).lstrip("/")
            if c in files:
                return c, None
        for c in candidates:
            c = posixpath.normpath(c).lstrip("/")
            other = lower.get(c.lower())
            if other is not None:
                return None, other
        return None, None

    def static_candidates(self, url_path: str) -> list[str]:
        """Where in the source tree the generator finds the file served at ``url_path``."""
        rel = url_path.lstrip("/")
        if self.site.is_hugo:
            out = [f"static/{rel}"]
            for theme in theme_names(self.site.config):
                out.append(f"themes/{theme}/static/{rel}")
            for d in self.site.content_dirs:
                out.append(f"{d}/{rel}")  # page resources served from their section's URL
            out.append(f"assets/{rel}")
            return out
        return [rel]

    def is_post(self, path: str) -> bool:
        rel = self.rel(path)
        if self.site.is_jekyll:
            return "_posts/" in rel
        name = rel.rsplit("/", 1)[-1]
        return not name.startswith("_index.")

    def ids(self, path: str) -> set[str]:
        """Every id of the page at ``path`` (one with facts): its headings', then the others."""
        got = self._ids.get(path)
        if got is None:
            from .ids import heading_ids

            facts = self.facts[path]
            got = self._ids[path] = {*heading_ids(facts.get("headings", ()), self.site), *facts.get("ids", ())}
        return got

    def language(self, path: str) -> str:
        fm = self.facts[path].get("fm", {})
        lang = fm.get("lang") or fm.get("language")
        if isinstance(lang, str) and lang:
            return lang.lower()
        if self.site.is_hugo:
            stem = os.path.basename(path).rsplit(".", 1)[0]
            if "." in stem:
                return stem.rsplit(".", 1)[1].lower()
            rel = self.rel(path)
            for code, table in (self.site.config.get("languages") or {}).items():
                d = table.get("contentdir") if isinstance(table, dict) else None
                if isinstance(d, str) and (rel + "/").startswith(d.strip("/") + "/"):
                    return str(code).lower()
        return ""
