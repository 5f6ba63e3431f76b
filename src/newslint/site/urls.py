"""The URL map of a site: which URL each content file gets, and which file a URL serves.

The generator decides URLs (Jekyll's permalinks, Hugo's sections and
``[permalinks]``); ``jekyll_urls`` and ``hugo_urls`` compute them the way
each one does. This module holds what both share: the map itself, a cheap
front matter reader that never fails, and the path and URL helpers.

URLs in the map are paths from the host root, with the site's base path
(Jekyll's ``baseurl``, the path of Hugo's ``baseURL``) in front, as a link in
a built page writes them. Lookups by URL ignore percent-encoding, a query and
a fragment.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import dataclass, field, fields
from pathlib import Path
from typing import Any, Iterable, Mapping
from urllib.parse import unquote

import yaml

from ..yamlload import YamlTime
from .configfiles import json_exact

try:
    from yaml import CSafeLoader as _BaseLoader
except ImportError:  # pragma: no cover - PyYAML built without libyaml
    from yaml import SafeLoader as _BaseLoader  # type: ignore[assignment]

# What makes a file a page for Jekyll (``Utils.has_yaml_header?``): its first line.
_JEKYLL_HEADER = re.compile(rb"---\s*\r?\n")
# A YAML block: its opening fence, then the first closing line (see yaml_block_span).
_YAML_OPEN = re.compile(r"\A---\s*\n")
_YAML_CLOSE = re.compile(r"^(?:---|\.\.\.)\s*$", re.M)
_TOML_BLOCK = re.compile(r"\A\+\+\+[ \t]*\r?\n(.*?)^\+\+\+[ \t]*\r?$", re.M | re.S)


# Month and day names in English, as Ruby's strftime and Go's time write them, whatever this process's locale.
MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
          "November", "December")
DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")


class _Loader(_BaseLoader):  # type: ignore[misc,valid-type]
    pass


_Loader.add_constructor("tag:yaml.org,2002:timestamp", lambda loader, node: YamlTime(node.value))


@dataclass(frozen=True)
class FrontMatterRead:
    """What a URL needs from a file's head."""

    present: bool  # the file has a front matter block (or, for Jekyll, a `---` first line)
    data: Mapping[str, Any]  # the parsed mapping; {} when absent or unreadable
    ok: bool  # False when the block (or the file) could not be read


def has_jekyll_header(path: str | Path) -> bool:
    """True when Jekyll treats the file as a page or document, not a static file."""
    try:
        with open(path, "rb") as f:
            return _JEKYLL_HEADER.match(f.readline()) is not None
    except OSError:
        return False


def read_front_matter(path: str | Path, keys: frozenset[str] | None = None) -> FrontMatterRead:
    """The front matter of a file as its generator reads it, never raising.

    With ``keys`` (lower-case names), only those top-level values are built:
    the whole block is still parsed, so a syntax error anywhere still counts.
    """
    try:
        raw = Path(path).read_bytes()
    except OSError:
        return FrontMatterRead(False, {}, False)
    if raw.startswith(b"\xef\xbb\xbf"):
        raw = raw[3:]
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        return FrontMatterRead(raw.startswith((b"---", b"+++")), {}, False)
    return parse_front_matter(text, keys)


def _load_yaml(text: str, keys: frozenset[str] | None) -> Any:
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
        if not isinstance(node, yaml.MappingNode):
            return None if node is None else loader.construct_document(node)
        loader.flatten_mapping(node)
        data: dict[Any, Any] = {}
        for key_node, value_node in node.value:
            key = loader.construct_object(key_node, deep=True)
            if isinstance(key, str) and (keys is None or key.lower() in keys):
                data[key] = loader.construct_object(value_node, deep=True)
        return data
    finally:
        loader.dispose()


def parse_front_matter(text: str, keys: frozenset[str] | None = None) -> FrontMatterRead:
    if text.startswith("---"):
        block = yaml_block_span(text)
        if block is None:
            return FrontMatterRead(bool(re.match(r"---\s*\r?\n", text)), {}, False)
        try:
            data = _load_yaml(text[block[0]:block[1]], keys)
        except (yaml.YAMLError, RecursionError, ValueError, TypeError):
            return FrontMatterRead(True, {}, False)
        if data is None:
            return FrontMatterRead(True, {}, True)
        return FrontMatterRead(True, data, True) if isinstance(data, dict) else FrontMatterRead(True, {}, False)
    if text.startswith("+++"):
        m = _TOML_BLOCK.match(text)
        if m is None:
            return FrontMatterRead(True, {}, False)
        try:
            import tomllib
        except ImportError:  # pragma: no cover - Python 3.10
            import tomli as tomllib  # type: ignore[no-redef]
        try:
            return FrontMatterRead(True, _toml_times(tomllib.loads(m.group(1))), True)
        except (tomllib.TOMLDecodeError, ValueError):
            return FrontMatterRead(True, {}, False)
    if text.startswith("{"):
        try:
            data, _ = json.JSONDecoder().raw_decode(text)
        except ValueError:
            return FrontMatterRead(False, {}, True)
        if isinstance(data, dict):
            return FrontMatterRead(True, data, True)
    return FrontMatterRead(False, {}, True)


# The front-matter keys Jekyll's URLs read.
JEKYLL_URL_KEYS = frozenset({"permalink", "slug", "date", "categories", "category", "published"})


# A key -> whether it is one of JEKYLL_URL_KEYS in any case: posts repeat a
# few dozen keys. Equal keys are all strings or all not, so the answer holds.
_URL_KEY_OF: dict[Any, bool] = {}


def _url_key(key: Any) -> bool:
    found = isinstance(key, str) and key.lower() in JEKYLL_URL_KEYS
    if len(_URL_KEY_OF) < 4096:
        _URL_KEY_OF[key] = found
    return found


def yaml_block_span(text: str) -> tuple[int, int] | None:
    """The span of the YAML between a post's fences (``---`` on its first
    line; the first ``---`` or ``...`` line after it), or None without one.
    Found in two steps: one pattern with a lazy group for the YAML tries the
    closing line at every character."""
    opening = _YAML_OPEN.match(text)
    if opening is None:
        return None
    closing = _YAML_CLOSE.search(text, opening.end())
    return None if closing is None else (opening.end(), closing.start())


def url_record(doc: Any) -> dict[str, Any] | None:
    """What :func:`has_jekyll_header` and :func:`read_front_matter` (with
    ``JEKYLL_URL_KEYS``) would say of ``doc``'s file, taken from the document's
    own parse, as plain JSON, so the site phase need not read the file again.

    None wherever the two readers could differ (a byte order mark, text that
    is not UTF-8, a block the document split elsewhere, a front matter the
    document refused, values JSON cannot carry exactly): the file is read then.
    """
    if not doc.ok or doc.bom:
        return None
    text = doc.text
    if not text.startswith(("---", "+++", "{")):
        raw = doc.raw
        nl = raw.find(b"\n")
        header = _JEKYLL_HEADER.match(raw, 0, len(raw) if nl < 0 else nl + 1) is not None  # the first line, as readline() gives it
        return {"hdr": header, "ok": True, "fm": {}}
    fm = doc.front_matter
    if fm is None or fm.format != "yaml" or fm.error is not None or not fm.closed:
        return None
    start, end = fm.content_start, fm.content_end
    # The document's block is yaml_block_span's unless its YAML starts with a
    # space or a blank line (the opening pattern's \s* runs on), or a line
    # inside it starts with --- or ... (a closing line to the \s*$ of
    # yaml_block_span, not to the document): only then is the span searched.
    if (text[start:start + 1].isspace() or text.find("\n---", start - 1, end) != -1
            or text.find("\n...", start - 1, end) != -1) and yaml_block_span(text) != (start, end):
        return None
    # The first line is the document's opening fence, `---[ \t]*\r?\n`, in
    # the file's own bytes (UTF-8 without a byte order mark): a Jekyll header.
    header = True
    data = fm.data
    if data is None:
        return {"hdr": header, "ok": True, "fm": {}}
    if not isinstance(data, dict):
        return {"hdr": header, "ok": False, "fm": {}}
    values: dict[str, Any] = {}
    times = []
    is_url_key = _URL_KEY_OF.get
    for key, value in data.items():
        found = is_url_key(key)
        if found is None:
            found = _url_key(key)
        if found:
            if value.__class__ is YamlTime:
                times.append(key)
                value = str(value)
            elif not json_exact(value):
                return None
            values[key] = value
    out: dict[str, Any] = {"hdr": header, "ok": True, "fm": values}
    if times:
        out["times"] = times
    return out


def read_of_record(record: Mapping[str, Any]) -> FrontMatterRead:
    """The :class:`FrontMatterRead` a :func:`url_record` stands for."""
    times = record.get("times") or ()
    data = {k: YamlTime(v) if k in times else v for k, v in record["fm"].items()}
    return FrontMatterRead(bool(record["hdr"]), data, bool(record["ok"]))


def _toml_times(value: Any) -> Any:
    import datetime as _dt

    if isinstance(value, dict):
        return {k: _toml_times(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_toml_times(v) for v in value]
    if isinstance(value, (_dt.datetime, _dt.date)):
        return YamlTime(value.isoformat())
    return value


@dataclass(frozen=True)
class UrlEntry:
    """One file of the site and where the generator puts it."""

    path: str  # relative to the site root, with `/`
    url: str  # from the host root, base path included, percent-encoded as the generator writes it
    output: str  # the file written, relative to the output folder
    kind: str  # "post", "document", "page", "static" (Jekyll's, Hugo's static folder), "resource" (of a Hugo
    # page bundle or content folder), "section" (a Hugo `_index.md`: home, section, branch bundle)
    written: bool = True  # False: the generator reads it but writes nothing (draft, unpublished, output: false)
    uncertain: str = ""  # why the URL may be wrong (a front matter that does not parse), or ""
    aliases: tuple[str, ...] = ()  # further URLs that lead to it (Hugo's redirect pages)
    language: str = ""


_ENTRY_FIELDS = tuple(f.name for f in fields(UrlEntry))


def url_key(url: str) -> str:
    """A URL as a lookup key: no query or fragment, percent-decoded."""
    url = url.split("#", 1)[0].split("?", 1)[0]
    return unquote(url) or "/"


@dataclass
class UrlMap:
    """The URL of each content file and the file behind each URL."""

    generator: str
    base_path: str = "/"  # the site's base path, with a trailing `/`
    root: str = ""  # the site's folder, so that absolute paths are accepted too
    entries: dict[str, UrlEntry] = field(default_factory=dict)  # by path
    # Pages the generator makes with no file behind them: Hugo's homes, section and taxonomy lists;
    # what Jekyll's gem plugins write (feed, sitemap, pagination).
    generated: frozenset[str] = frozenset()
    _by_url: dict[str, str] = field(default_factory=dict, repr=False)
    _clashes: dict[str, list[str]] = field(default_factory=dict, repr=False)
    _generated_keys: tuple[frozenset[str], frozenset[str]] = field(default=(frozenset(), frozenset()), repr=False)

    def add(self, entry: UrlEntry) -> None:
        self.entries[entry.path] = entry
        if entry.written:
            for url in (entry.url, *entry.aliases):
                key = url_key(url)
                first = self._by_url.setdefault(key, entry.path)
                if first != entry.path:
                    self._clashes.setdefault(key, [first]).append(entry.path)

    @property
    def collisions(self) -> dict[str, list[str]]:
        """URLs that several written files claim (the generator writes one over the other), with the files."""
        return {url: list(paths) for url, paths in self._clashes.items()}

    def entry(self, path: str | Path) -> UrlEntry | None:
        return self.entries.get(self._rel(path))

    def url_of(self, path: str | Path) -> str | None:
        """The URL of a file the generator writes; None for a file it reads but does not write, or does not know."""
        entry = self.entry(path)
        return entry.url if entry is not None and entry.written else None

    def file_of(self, url: str) -> str | None:
        """The site file a URL (a path from the host root) serves, as a path relative to the site root.

        ``/a/`` and ``/a/index.html`` are the same page; ``/a`` finds ``/a/``
        and ``/a.html`` as the usual static hosts (GitHub Pages, Netlify) serve them.
        """
        key = url_key(url)
        candidates = [key]
        if key.endswith("/index.html"):
            candidates.append(key[: -len("index.html")])
        elif key.endswith("/"):
            candidates.append(key + "index.html")
        elif "." not in key.rsplit("/", 1)[-1]:
            candidates += [key + "/", key + ".html"]
        for candidate in candidates:
            path = self._by_url.get(candidate)
            if path is not None:
                return path
        return None

    def serves(self, url: str) -> bool:
        """True when the built site has a page or file at ``url`` (a path from the host root)."""
        if self.file_of(url) is not None:
            return True
        if self._generated_keys[0] is not self.generated:  # the keys of the set the map holds now
            self._generated_keys = (self.generated, frozenset(url_key(u) for u in self.generated))
        key, generated = url_key(url), self._generated_keys[1]
        return any(k in generated for k in (key, key + "/", key.removesuffix("index.html")))

    @property
    def static_files(self) -> frozenset[str]:
        """The URLs of the files copied as they are (images, PDFs, bundle resources)."""
        return frozenset(e.url for e in self.entries.values() if e.written and e.kind in ("static", "resource"))

    @property
    def uncertain(self) -> dict[str, str]:
        return {p: e.uncertain for p, e in self.entries.items() if e.uncertain}

    def to_dict(self) -> dict[str, Any]:
        return {"generator": self.generator, "base_path": self.base_path, "generated": sorted(self.generated),
                "files": [{k: v for k in _ENTRY_FIELDS if (v := getattr(e, k)) not in ((), "")} | {"written": e.written}
                          for e in sorted(self.entries.values(), key=lambda e: e.path)]}

    def to_rows(self) -> dict[str, Any]:
        """The form a run keeps in its cache folder: a row per file in
        :class:`UrlEntry`'s field order, in the order the files were added
        (which of two files claiming a URL came first)."""
        return {"generator": self.generator, "base_path": self.base_path, "generated": sorted(self.generated),
                "rows": [[e.path, e.url, e.output, e.kind, e.written, e.uncertain, e.aliases, e.language]
                         for e in self.entries.values()]}

    @classmethod
    def from_rows(cls, data: dict[str, Any], root: str = "") -> "UrlMap":
        """The map :meth:`to_rows` gave."""
        umap = cls(data["generator"], data["base_path"], root=root)
        add = umap.add
        for path, url, output, kind, written, uncertain, aliases, language in data["rows"]:
            add(UrlEntry(path, url, output, kind, written, uncertain, tuple(aliases), language))
        umap.generated = frozenset(data["generated"])
        return umap

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), ensure_ascii=False, indent=1)

    def _rel(self, path: str | Path) -> str:
        p = str(path).replace("\\", "/")
        if self.root and p.startswith(self.root.rstrip("/") + "/"):
            p = p[len(self.root.rstrip("/")) + 1:]
        return p


def relative_paths(root: str | Path, files: Iterable[str | Path]) -> list[str]:
    """Files (absolute or relative to the site root) as `/`-separated paths relative to it."""
    base = Path(root).resolve()
    out = []
    for f in files:
        if f.__class__ is str and _plain_relative(f):
            out.append(f)  # as Path(f).as_posix() writes it
            continue
        p = Path(f)
        if p.is_absolute():
            try:
                p = p.resolve().relative_to(base)
            except ValueError:
                continue
        out.append(p.as_posix())
    return out


def _plain_relative(f: str) -> bool:
    """True when ``f`` is a relative "/"-separated path that pathlib would write back unchanged."""
    return (f != "" and f[0] != "/" and f != "." and "//" not in f and not f.startswith("./") and "/./" not in f
            and not f.endswith(("/", "/.")) and (os.sep == "/" or os.sep not in f))


def base_path_of(url: Any) -> str:
    """The path part of a base URL (`https://e.org/blog` -> `/blog/`), always ending in `/`."""
    if not isinstance(url, str) or not url.strip():
        return "/"
    url = url.strip()
    m = re.match(r"^[a-zA-Z][a-zA-Z0-9+.-]*://[^/]*", url)
    if m:
        url = url[m.end():]
    url = "/" + url.strip("/")
    return url if url.endswith("/") else url + "/"


def join_base(base_path: str, url: str) -> str:
    return base_path.rstrip("/") + "/" + url.lstrip("/") if base_path != "/" else "/" + url.lstrip("/")
