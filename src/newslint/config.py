"""The effective configuration: which rules run, at what severity, with what options.

Config files, found from the current folder upward (the first one wins):
``.newslint.toml``, ``newslint.toml`` (keys at the top level) or
``pyproject.toml`` with a ``[tool.newslint]`` table. ``--config FILE`` names
one; ``--isolated`` ignores them all. Every key is validated; any problem is a
:class:`ConfigError` naming the file and line, and the run exits 2.
"""

from __future__ import annotations

import fnmatch
import os
import re
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterable

from .ruleindex import matching, selector_of

if TYPE_CHECKING:
    from .registry import Registry
    from .ruleapi import Rule

# The rule registry (every rule module and the shipped packs) is imported only when a
# rule is asked for: a warm run answered by the cache never loads it (see fingerprint()).

CONFIG_NAMES = (".newslint.toml", "newslint.toml", "pyproject.toml")
SEVERITIES = ("error", "warning", "info")


class ConfigError(Exception):
    """A usage or configuration error: the run stops with exit code 2."""



def _pos() -> Any:
    """:mod:`newslint.tomlpos`, loaded only for an error in a config file."""
    from . import tomlpos

    return tomlpos

@dataclass
class Config:
    select: list[str] | None = None  # None: every rule enabled by default
    ignore: list[str] = field(default_factory=list)
    extend_select: list[str] = field(default_factory=list)
    per_file_ignores: dict[str, list[str]] = field(default_factory=dict)
    severity: dict[str, str] = field(default_factory=dict)
    rule_options: dict[str, dict[str, Any]] = field(default_factory=dict)
    front_matter_schema: Path | None = None
    include: list[str] = field(default_factory=list)
    exclude: list[str] = field(default_factory=list)
    # The folder relative paths and globs are resolved against.
    root: Path = field(default_factory=Path.cwd)
    source: Path | None = None  # the config file, when one was read
    # Site rule packs (absolute paths); the shipped packs are always loaded.
    packs: list[str] = field(default_factory=list)
    # "jekyll", "hugo" or "none" overrides the site detected above each file.
    generator: str | None = None
    # Pass over git-ignored files, as ruff does.
    respect_gitignore: bool = True
    lang: str | None = None  # "ko" or "en" for messages (None: from --lang or the environment)

    # The rule registry of this configuration (built-in rules, shipped and
    # site packs, plugins), built on first use and kept with the config: a
    # warm run answered by the cache never builds it.
    _registry: Any = field(default=None, init=False, repr=False, compare=False)
    # What the run already knows of the installed plugins (their signature, from
    # the cache folder's memo): an empty list spares the registry the scan of
    # every installed distribution's entry points (importlib.metadata).
    known_plugins: list | None = field(default=None, repr=False, compare=False)

    def __getstate__(self) -> dict[str, Any]:
        # The registry is rebuilt where the config is unpickled: site pack
        # rules are classes made at run time, which pickle cannot name.
        state = dict(self.__dict__)
        state["_registry"] = None
        state.pop("_prepared_memo", None)
        return state

    def __setstate__(self, state: dict[str, Any]) -> None:
        self.__dict__.update(state)

    # -- the rules ---------------------------------------------------------------
    def registry(self) -> "Registry":
        """The registry for this config's packs (built once, again if ``packs`` changes)."""
        memo = self._registry
        key = tuple(self.packs)
        if memo is None or memo[0] != key:
            from .packs import PackError
            from .registry import Registry, RegistryError

            try:
                memo = self._registry = (key, Registry.build(key, plugins=self.known_plugins != []))
            except (PackError, RegistryError) as exc:
                raise ConfigError(str(exc)) from None
        return memo[1]

    def all_rules(self) -> list[type[Rule]]:
        """Every known rule: built-in, packs (shipped and the site's) and plugins."""
        return self.registry().rules

    def rule(self, name_or_code: str) -> type[Rule] | None:
        """A rule by name or code (None when unknown)."""
        return self.registry().get(name_or_code)

    def matching(self, selector: str) -> list[type[Rule]]:
        """The rules a selector names, as ruff reads them: ``ALL``, a rule's
        name or code, a code prefix (``NL2``: every NL2xx rule) or a tag
        (``images``). Empty when it names none."""
        return matching(selector, self.all_rules(), self.rule)

    def _names(self, items: Iterable[str]) -> set[str]:
        out = set()
        for item in items:
            matched = self.matching(item)
            if matched:
                out.update(r.name for r in matched)
            else:
                out.add(item)
        return out

    def enabled_rules(self) -> list[type[Rule]]:
        rules = self.all_rules()
        names = self._names(self.select) if self.select is not None else {r.name for r in rules}
        names |= self._names(self.extend_select)
        names -= self._names(self.ignore)
        return [r for r in rules if r.name in names]

    def ignored_for(self, path: str) -> set[str]:
        if not self.per_file_ignores:
            return set()
        rel = _relative(path, self.root)
        out: set[str] = set()
        for pattern, names in self.per_file_ignores.items():
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(path, pattern):
                out.update(self._names(names))
        return out

    def severity_of(self, rule: type[Rule]) -> str:
        return self.severity.get(rule.name) or self.severity.get(rule.code) or rule.severity

    def options_for(self, rule: type[Rule]) -> dict[str, Any]:
        opts = dict(rule.options)
        opts.update(self.rule_options.get(rule.name, {}))
        if rule.name == "front-matter-schema" and self.front_matter_schema is not None and opts.get("schema_path") is None:
            opts["schema_path"] = str(self.front_matter_schema)
        return opts

    # -- the cache key -------------------------------------------------------------
    def fingerprint(self) -> str:
        """A stable hash of the effective configuration (see :mod:`newslint.fingerprint`)."""
        from .fingerprint import settings_fingerprint

        return settings_fingerprint(self)


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return Path(path).as_posix()


def known_names(rules: Iterable[type[Rule]]) -> list[str]:
    return [r.name for r in rules] + [r.code for r in rules]


def did_you_mean(word: str, candidates: Iterable[str]) -> str:
    import difflib  # only for an error message
    close = difflib.get_close_matches(word, list(candidates), n=1, cutoff=0.6)
    return f" (did you mean `{close[0]}`?)" if close else ""


# -- finding the file ------------------------------------------------------------


def find_config_file(start: Path) -> Path | None:
    """The first config file from ``start`` upward.

    A ``pyproject.toml`` counts when it has a ``tool.newslint`` table, in any
    TOML spelling (``[tool.newslint]``, ``[tool] newslint = {...}``, dotted
    keys): each one met on the way is parsed, and one that does not parse
    stops the run (exit 2, ``FILE:LINE: message``), as ruff does.
    """
    try:
        start = start.resolve()
    except OSError:
        return None
    for folder in (start, *start.parents):
        found = config_in_folder(folder)
        if found is not None:
            return found
    return None


def config_in_folder(folder: Path | str) -> Path | None:
    """The config file in ``folder`` itself (not above it), or None."""
    for name in CONFIG_NAMES:
        p = os.path.join(folder, name)
        if not os.path.isfile(p):  # strings, not Paths: asked for every folder a run meets
            continue
        if name == "pyproject.toml":
            tool = _read_toml(Path(p))[1].get("tool")
            if not (isinstance(tool, dict) and "newslint" in tool):
                continue
        return Path(p)
    return None


def _read_toml(path: Path) -> tuple[str, dict[str, Any]]:
    """The text of a TOML file and what it says; a ConfigError naming the file
    and line when it cannot be read or parsed."""
    label = str(path)
    try:
        raw = path.read_bytes()
    except OSError as exc:
        raise ConfigError(f"{label}: cannot read config: {exc.strerror or exc}") from None
    try:
        text = raw.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise ConfigError(f"{label}: config is not UTF-8 (byte {exc.start})") from None
    if sys.version_info >= (3, 11):  # here: a run with no config file never needs it
        import tomllib
    else:  # pragma: no cover - Python 3.10
        import tomli as tomllib
    try:
        return text, tomllib.loads(text)
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        m = _TOML_LINE.search(msg)
        line = m.group(1) if m else "1"
        msg = _TOML_LINE.sub("", msg).replace("()", "").strip(" .")
        raise ConfigError(f"{label}:{line}: invalid TOML: {msg}") from None


# -- loading -------------------------------------------------------------------

_LIST_KEYS = ("select", "ignore", "extend-select", "include", "exclude", "extend-exclude", "packs")
_KEYS = _LIST_KEYS + ("per-file-ignores", "severity", "front-matter-schema", "rules", "extend", "generator",
                      "respect-gitignore", "lang")
GENERATORS, LANGS = ("jekyll", "hugo", "none"), ("en", "ko")


def load_config(
    start_dir: str | Path | None = None,
    config_file: str | Path | None = None,
    isolated: bool = False,
    *,
    select: Iterable[str] | None = None,
    ignore: Iterable[str] | None = None,
    extend_select: Iterable[str] | None = None,
    fallback_dirs: Iterable[str | Path] = (),
) -> Config:
    """The effective configuration for a run.

    ``config_file`` names the file (no search); otherwise the search starts in
    ``start_dir`` (default: the current folder) and walks up, then tries
    ``fallback_dirs`` (the folders of the paths being checked). ``isolated``
    reads no file. ``select`` replaces the selection of the file (its
    ``select``, ``extend-select`` and ``ignore``); ``ignore`` and
    ``extend_select`` add to what the file says. Entries may be rule names or
    codes, and comma-separated.
    """
    cfg = Config(root=Path(start_dir).resolve() if start_dir is not None else Path.cwd())
    if config_file is not None and isolated:
        raise ConfigError("--config and --isolated cannot be used together")
    path: Path | None = None
    if config_file is not None:
        path = Path(config_file)
        if not path.is_file():
            raise ConfigError(f"{path}: config file not found")
    elif not isolated:
        path = find_config_file(cfg.root)
        for d in fallback_dirs:
            if path is not None:
                break
            p = Path(d)
            path = find_config_file(p if p.is_dir() else p.parent)
    if path is not None:
        _read_into(cfg, path)
    _apply_cli(cfg, select, ignore, extend_select)
    return cfg


def _split(items: Iterable[str] | None) -> list[str] | None:
    if items is None:
        return None
    out: list[str] = []
    for item in items:
        out.extend(s.strip() for s in item.split(",") if s.strip())
    return out


def _apply_cli(cfg: Config, select, ignore, extend_select) -> None:
    select, ignore, extend_select = _split(select), _split(ignore), _split(extend_select)
    known = _Known(cfg)  # the rules are loaded only when there is a name to resolve

    def resolve(items: list[str], flag: str) -> list[str]:
        out = []
        for item in items:
            got = selector_of(cfg, item)
            if got is None:
                raise ConfigError(f"{flag}: unknown rule `{item}`{did_you_mean(item, known)}; "
                                  "`newslint rules` lists them (names, codes, code prefixes, tags or ALL)")
            out.append(got)
        return out

    if select is not None:
        cfg.select = resolve(select, "--select")
        cfg.extend_select = []
        cfg.ignore = []
    if extend_select:
        cfg.extend_select = cfg.extend_select + resolve(extend_select, "--extend-select")
    if ignore:
        cfg.ignore = cfg.ignore + resolve(ignore, "--ignore")


class _Known:
    """Every rule name and code, for "did you mean": computed (loading the
    rules) only when a message needs it."""

    def __init__(self, cfg: Config) -> None:
        self.cfg = cfg

    def __iter__(self):
        return iter(known_names(self.cfg.all_rules()))


_TOML_LINE = re.compile(r"at line (\d+)(?:, column (\d+))?")


def _read_into(cfg: Config, path: Path, seen: tuple[Path, ...] = ()) -> None:
    label = str(path)
    text, data = _read_toml(path)
    if path.name == "pyproject.toml":
        table = data.get("tool", {}).get("newslint") if isinstance(data.get("tool"), dict) else None
        prefix = ["tool", "newslint"]
        if table is None:
            table = {}  # named with --config but no [tool.newslint]: the defaults
        if not isinstance(table, dict):
            raise ConfigError(f"{label}:{_pos().find_line(text, ['tool'], 'newslint')}: `tool.newslint` must be a table")
    else:
        table, prefix = data, []
    here = path.resolve()
    if "extend" in table:  # the parent first: this file's keys override it
        parent = table["extend"]
        if not isinstance(parent, str) or not parent.strip():
            raise ConfigError(f"{label}:{_pos().find_line(text, prefix, 'extend')}: `extend` must be a path (a string)")
        target = (here.parent / parent).resolve()
        if target in seen or target == here:
            raise ConfigError(f"{label}:{_pos().find_line(text, prefix, 'extend')}: `extend` makes a loop "
                              f"({' -> '.join(str(p) for p in (*seen, here, target))})")
        if not target.is_file():
            raise ConfigError(f"{label}:{_pos().find_line(text, prefix, 'extend')}: `extend`: file not found: {parent}")
        _read_into(cfg, target, (*seen, here))
    cfg.source = here
    cfg.root = here.parent
    _Loader(cfg, label, text, prefix).load({k: v for k, v in table.items() if k != "extend"})


class _Loader:
    def __init__(self, cfg: Config, label: str, text: str, prefix: list[str]) -> None:
        self.cfg, self.label, self.text, self.prefix = cfg, label, text, prefix
        self.base = cfg.root

    def fail(self, table: list[str], key: str, message: str) -> None:
        line = _pos().find_line(self.text, self.prefix + table, key)
        raise ConfigError(f"{self.label}:{line}: {message}")

    def where(self, table: list[str], key: str) -> str:
        return ".".join([*self.prefix, *table, key]) if self.prefix or table else key

    def str_list(self, table: list[str], key: str, value: Any) -> list[str]:
        if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
            self.fail(table, key, f"`{self.where(table, key)}` must be a list of strings, not {_pos().type_name(value)}")
        return list(value)

    def rule_names(self, table: list[str], key: str, value: Any, known: list[str]) -> list[str]:
        """Rule selectors (names, codes, code prefixes, tags, ALL); names stand for rules."""
        out = []
        for item in self.str_list(table, key, value):
            got = selector_of(self.cfg, item)
            if got is None:
                self.fail(table, key, f"`{self.where(table, key)}`: unknown rule `{item}`{did_you_mean(item, known)}")
            out.append(got)
        return out

    def path(self, table: list[str], key: str, value: Any) -> Path:
        if not isinstance(value, str) or not value.strip():
            self.fail(table, key, f"`{self.where(table, key)}` must be a path (a string), not {_pos().type_name(value)}")
        p = Path(value)
        if not p.is_absolute():
            p = self.base / p
        if not p.is_file():
            self.fail(table, key, f"`{self.where(table, key)}`: file not found: {value}")
        return p.resolve()

    def load(self, table: dict[str, Any]) -> None:
        cfg = self.cfg
        for key in table:
            if key not in _KEYS:
                self.fail([], key, f"unknown key `{self.where([], key)}`{did_you_mean(key, _KEYS)}")
        # Packs first: their rules may be named in the other keys.
        if "packs" in table:
            cfg.packs = [str(self.path([], "packs", p)) for p in self.str_list([], "packs", table["packs"])]
            cfg.registry()  # a bad pack, or a name or code taken twice, is an error here
        known = _Known(cfg)
        if "select" in table:
            cfg.select = self.rule_names([], "select", table["select"], known)
        if "ignore" in table:
            cfg.ignore = self.rule_names([], "ignore", table["ignore"], known)
        if "extend-select" in table:
            cfg.extend_select = self.rule_names([], "extend-select", table["extend-select"], known)
        for key in ("include", "exclude"):
            if key in table:
                setattr(cfg, key, self.str_list([], key, table[key]))
        if "extend-exclude" in table:
            cfg.exclude = cfg.exclude + self.str_list([], "extend-exclude", table["extend-exclude"])
        if "per-file-ignores" in table:
            pfi = table["per-file-ignores"]
            if not isinstance(pfi, dict):
                self.fail([], "per-file-ignores", f"`{self.where([], 'per-file-ignores')}` must be a table of glob = [rules]")
            cfg.per_file_ignores = {g: self.rule_names(["per-file-ignores"], g, v, known) for g, v in pfi.items()}
        if "severity" in table:
            sev = table["severity"]
            if not isinstance(sev, dict):
                self.fail([], "severity", f"`{self.where([], 'severity')}` must be a table of rule = \"error\"|\"warning\"|\"info\"")
            out = {}
            for name, value in sev.items():
                r = cfg.rule(name)
                if r is None:
                    self.fail(["severity"], name, f"`{self.where(['severity'], name)}`: unknown rule `{name}`{did_you_mean(name, known)}")
                if value not in SEVERITIES:
                    self.fail(["severity"], name, f"`{self.where(['severity'], name)}` must be one of "
                              f"\"error\", \"warning\", \"info\", not {value!r}")
                out[r.name] = value
            cfg.severity = out
        if table.get("generator", "none") not in GENERATORS:
            self.fail([], "generator", f"`{self.where([], 'generator')}` must be one of \"jekyll\", \"hugo\", "
                      f"\"none\", not {table['generator']!r}")
        cfg.generator = table.get("generator", cfg.generator)
        if table.get("lang", "en") not in LANGS:
            self.fail([], "lang", f"`{self.where([], 'lang')}` must be \"ko\" or \"en\", not {table['lang']!r}")
        cfg.lang = table.get("lang", cfg.lang)
        if not isinstance(table.get("respect-gitignore", True), bool):
            self.fail([], "respect-gitignore", f"`{self.where([], 'respect-gitignore')}` must be true or false")
        cfg.respect_gitignore = table.get("respect-gitignore", cfg.respect_gitignore)
        if "front-matter-schema" in table:
            cfg.front_matter_schema = self.schema([], "front-matter-schema", table["front-matter-schema"])
        if "rules" in table:
            self.rule_tables(table["rules"], known)

    def schema(self, table: list[str], key: str, value: Any) -> Path:
        p = self.path(table, key, value)
        from .schema import SchemaLoadError, load_schema

        try:
            load_schema(str(p))
        except SchemaLoadError as exc:
            line = _pos().find_line(self.text, self.prefix + table, key)
            raise ConfigError(f"{self.label}:{line}: `{self.where(table, key)}`: {exc}") from None
        return p

    def rule_tables(self, rules: Any, known: list[str]) -> None:
        cfg = self.cfg
        if not isinstance(rules, dict):
            self.fail([], "rules", f"`{self.where([], 'rules')}` must be a table of rule tables")
        out: dict[str, dict[str, Any]] = {}
        for name, opts in rules.items():
            r = cfg.rule(name)
            if r is None:
                self.fail(["rules"], name, f"`{self.where(['rules'], name)}`: unknown rule `{name}`{did_you_mean(name, known)}")
            if not isinstance(opts, dict):
                self.fail(["rules"], name, f"`{self.where(['rules'], name)}` must be a table of options")
            checked: dict[str, Any] = {}
            for opt, value in opts.items():
                here = ["rules", name]
                if opt not in r.options and opt.replace("-", "_") in r.options:
                    opt = opt.replace("-", "_")  # kebab-case like the top-level keys (ruff style)
                if opt not in r.options:
                    allowed = ", ".join(f"`{o}`" for o in r.options) or "none"
                    self.fail(here, opt, f"unknown option `{self.where(here, opt)}`{did_you_mean(opt, r.options)} "
                              f"(options of `{r.name}`: {allowed})")
                default = r.options[opt]
                if not _pos().type_ok(default, value):
                    self.fail(here, opt, f"`{self.where(here, opt)}` must be {_pos().type_name(default)}, "
                                         f"not {_pos().type_name(value)}")
                if r.name == "front-matter-schema" and opt == "schema_path":
                    value = str(self.schema(here, opt, value))
                checked[opt] = value
            out[r.name] = checked
        cfg.rule_options = out
