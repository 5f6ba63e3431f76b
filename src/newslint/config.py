"""The effective configuration: which rules run, at what severity, with what options."""

from __future__ import annotations

import fnmatch
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .rules import ALL_RULES, RULES_BY_NAME
from .rules.base import Rule


class ConfigError(Exception):
    """A usage or configuration error: the run stops with exit code 2."""


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

    def enabled_rules(self) -> list[type[Rule]]:
        names = set(self.select) if self.select is not None else {r.name for r in ALL_RULES}
        names |= set(self.extend_select)
        names -= set(self.ignore)
        return [r for r in ALL_RULES if r.name in names]

    def ignored_for(self, path: str) -> set[str]:
        if not self.per_file_ignores:
            return set()
        rel = _relative(path, self.root)
        out: set[str] = set()
        for pattern, names in self.per_file_ignores.items():
            if fnmatch.fnmatch(rel, pattern) or fnmatch.fnmatch(path, pattern):
                out.update(names)
        return out

    def severity_of(self, rule: type[Rule]) -> str:
        return self.severity.get(rule.name, rule.severity)

    def options_for(self, rule: type[Rule]) -> dict[str, Any]:
        opts = dict(rule.options)
        opts.update(self.rule_options.get(rule.name, {}))
        if rule.name == "front-matter-schema" and self.front_matter_schema is not None:
            opts.setdefault("schema_path", str(self.front_matter_schema))
        return opts


def _relative(path: str, root: Path) -> str:
    try:
        return Path(path).resolve().relative_to(root.resolve()).as_posix()
    except (ValueError, OSError):
        return Path(path).as_posix()


def rule_by_name(name: str) -> type[Rule]:
    try:
        return RULES_BY_NAME[name]
    except KeyError:
        raise ConfigError(f"unknown rule {name!r}") from None
