"""Reading and validating rule packs: YAML in, rule classes out.

A pack is a YAML file (read with ``yaml.safe_load`` only) that holds a list of
rules; each becomes a :class:`~.rule.PackRule` subclass. Every problem is a
:class:`PackError` naming the file and line.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Iterable

import regex
import yaml

from .. import policy_data
from .prefilter import Plan
from .rule import PackRule

SCOPES = ("title", "excerpt", "body", "alt", "link")
KINDS = ("existence", "substitution")
SEVERITIES = ("error", "warning", "info")
NAME_RE = re.compile(r"^[a-z][a-z0-9]*(?:-[a-z0-9]+)*$")
_RULE_KEYS = {
    "name", "code", "extends", "message", "severity", "scope", "summary", "description", "why",
    "example", "instead", "tokens", "raw", "swap", "ignorecase", "nonword", "followed-by-link", "tags",
}
_PACK_KEYS = {"pack", "description", "rules"}
# Keys every rule must have (``code`` too in the packs that ship with newslint);
# an existence rule also needs ``tokens`` or ``raw``, a substitution rule ``swap``.
REQUIRED_RULE_KEYS = ("name", "message", "summary", "scope")


class PackError(Exception):
    """A broken pack: the message names the file and line. Becomes a ConfigError (exit 2)."""


@dataclass
class PackSource:
    label: str  # the file name shown in messages
    text: str


def _line_of(node: Any) -> int:
    return node.start_mark.line + 1 if node is not None else 1


def _child(node: Any, key: str) -> Any:
    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == key:
                return v
    return None


def _str_list(value: Any) -> list[str] | None:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list) and all(isinstance(v, str) for v in value):
        return value
    return None


def _compile(pattern: str, flags: int, where: str) -> Any:
    try:
        return regex.compile(pattern, flags)
    except regex.error as exc:
        raise PackError(f"{where}: bad pattern {pattern!r}: {exc}") from None


def _bounded(body: str) -> str:
    """Word boundaries for tokens: no word character before; after, no word
    character other than Hangul, so Korean particles may follow (`뉴스는`)."""
    return rf"(?<!\w)(?:{body})(?![^\W\p{{Hangul}}])"


def _docstring(spec: dict[str, Any], label: str) -> str:
    scopes = ", ".join(f"`{s}`" for s in spec["_scopes"])
    parts = [spec["summary"].strip(), ""]
    what = spec.get("description") or ""
    auto = f"{'An' if spec['_kind'] == 'existence' else 'A'} `{spec['_kind']}` rule from the pack `{label}`; it looks at {scopes}."
    parts += ["## What it does", (what.strip() + "\n\n" + auto) if what else auto, ""]
    if spec.get("_patterns_doc"):
        parts += ["Patterns (regular expressions" + (", case-insensitive" if spec.get("ignorecase") else "") + "):", ""]
        parts += [f"- `{p}`" for p in spec["_patterns_doc"]]
        parts.append("")
    if spec.get("followed-by-link") is not None:
        parts += [f"A match counts only when a link starts within {spec['followed-by-link']} characters after it.", ""]
    if spec.get("why"):
        parts += ["## Why is this bad?", spec["why"].strip(), ""]
    if spec.get("example"):
        parts += ["## Example", "```markdown", spec["example"].rstrip("\n"), "```", ""]
    if spec.get("instead"):
        parts += ["## Use instead", "```markdown", spec["instead"].rstrip("\n"), "```", ""]
    parts += ["## Options", "None: change the pack or write a pack of your own (see README, \"Rule packs\")."]
    return "\n".join(parts)


def _load_yaml(text: str, fast: bool = False) -> tuple[Any, Any]:
    """The pack's node tree (for line numbers) and its data.

    ``fast``: with PyYAML's C loader when there is one (the pure Python
    loader is slow, and the shipped packs load on every run; tests read
    them both ways); a pack the C loader rejects is read again with the
    Python loader, whose error is the one reported. Site packs are read with
    the Python loader only, as they always were.
    """
    loader = getattr(yaml, "CSafeLoader", None) if fast else None
    if loader is not None:
        try:
            return yaml.compose(text, Loader=loader), yaml.load(text, Loader=loader)
        except yaml.YAMLError:
            pass
    return yaml.compose(text, Loader=yaml.SafeLoader), yaml.safe_load(text)


def parse_pack(source: PackSource, *, require_code: bool, module: str = "newslint.packs",
               fast_yaml: bool = False) -> list[type[PackRule]]:
    """Build the rule classes of one pack. Raises PackError naming file and line."""
    label = source.label
    try:
        root, data = _load_yaml(source.text, fast_yaml)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark is not None else ""
        raise PackError(f"{label}{line}: not valid YAML: {getattr(exc, 'problem', None) or exc}") from None
    if not isinstance(data, dict):
        raise PackError(f"{label}:1: a pack is a mapping with a `rules` list")
    for key in data:
        if key not in _PACK_KEYS:
            raise PackError(f"{label}:{_line_of(_child(root, str(key)))}: unknown key `{key}` in pack "
                            f"(allowed: {', '.join(sorted(_PACK_KEYS))})")
    if "rules" not in data:
        raise PackError(f"{label}:1: `rules` is required (a non-empty list of rules)")
    rules = data.get("rules")
    rules_node = _child(root, "rules")
    if not isinstance(rules, list) or not rules:
        raise PackError(f"{label}:{_line_of(rules_node or root)}: `rules` must be a non-empty list")
    out: list[type[PackRule]] = []
    for i, spec in enumerate(rules):
        node = rules_node.value[i] if isinstance(rules_node, yaml.SequenceNode) and i < len(rules_node.value) else None
        where = f"{label}:{_line_of(node)}"
        if not isinstance(spec, dict):
            raise PackError(f"{where}: each rule is a mapping")
        name = spec.get("name")
        if isinstance(name, str):
            where += f" (rule `{name}`)"
        for key in spec:
            if key not in _RULE_KEYS:
                import difflib

                close = difflib.get_close_matches(str(key), sorted(_RULE_KEYS), n=1)
                hint = f" (did you mean `{close[0]}`?)" if close else ""
                raise PackError(f"{label}:{_line_of(_child(node, str(key)))}: unknown key `{key}` in pack rule{hint}")
        for req in REQUIRED_RULE_KEYS:
            if req not in spec:
                raise PackError(f"{where}: `{req}` is required")
        if not isinstance(name, str) or not NAME_RE.match(name):
            raise PackError(f"{where}: `name` must be a kebab-case string such as `promo-click-here`")
        code = spec.get("code")
        if code is None and require_code:
            raise PackError(f"{where}: `code` is required")
        if code is not None and (not isinstance(code, str) or not re.match(r"^[A-Z][A-Z0-9-]*$", code)):
            raise PackError(f"{where}: `code` must be an upper-case id such as NL701")
        kind = spec.get("extends", "existence")
        if kind not in KINDS:
            raise PackError(f"{where}: `extends` must be one of {', '.join(KINDS)}, not {kind!r}")
        for req in ("message", "summary"):
            if not isinstance(spec.get(req), str) or not spec[req].strip():
                raise PackError(f"{where}: `{req}` is required (a string)")
        severity = spec.get("severity", "warning")
        if severity not in SEVERITIES:
            raise PackError(f"{where}: `severity` must be one of {', '.join(SEVERITIES)}, not {severity!r}")
        scopes = _str_list(spec.get("scope"))
        if not scopes or any(s not in SCOPES for s in scopes):
            raise PackError(f"{where}: `scope` must name one or more of {', '.join(SCOPES)}")
        for key in ("ignorecase", "nonword"):
            if key in spec and not isinstance(spec[key], bool):
                raise PackError(f"{where}: `{key}` must be true or false")
        fbl = spec.get("followed-by-link")
        if fbl is not None and (isinstance(fbl, bool) or not isinstance(fbl, int) or fbl < 0):
            raise PackError(f"{where}: `followed-by-link` must be a number of characters")
        for key in ("description", "why", "example", "instead"):
            if key in spec and not isinstance(spec[key], str):
                raise PackError(f"{where}: `{key}` must be a string")
        tags = _str_list(spec.get("tags", []))
        if tags is None:
            raise PackError(f"{where}: `tags` must be a list of strings")
        flags = regex.IGNORECASE if spec.get("ignorecase") else 0
        patterns: list[tuple[Any, str | None]] = []
        sources: list[str] = []  # what each pattern's prefilters are read from
        shown: list[str] = []
        if kind == "existence":
            if "swap" in spec:
                raise PackError(f"{where}: `swap` belongs to `extends: substitution`")
            tokens = _str_list(spec.get("tokens", []))
            raws = _str_list(spec.get("raw", []))
            if tokens is None or raws is None:
                raise PackError(f"{where}: `tokens` and `raw` must be lists of strings")
            if not tokens and not raws:
                raise PackError(f"{where}: an existence rule needs `tokens` or `raw`")
            if tokens:
                for t in tokens:
                    _compile(t, flags, where)  # name the bad token itself
                body = "|".join(f"(?:{t})" for t in tokens)
                pat = body if spec.get("nonword") else _bounded(body)
                patterns.append((_compile(pat, flags, where), None))
                sources.append(body)
                shown.append(pat)
            for r in raws:
                patterns.append((_compile(r, flags, where), None))
                sources.append(r)
                shown.append(r)
        else:
            swap = spec.get("swap")
            if not isinstance(swap, dict) or not swap or not all(isinstance(k, str) and isinstance(v, str) for k, v in swap.items()):
                raise PackError(f"{where}: a substitution rule needs `swap`, a mapping of pattern to suggestion")
            if "tokens" in spec or "raw" in spec:
                raise PackError(f"{where}: `tokens` and `raw` belong to `extends: existence`")
            for bad, good in swap.items():
                pat = bad if spec.get("nonword") else _bounded(bad)
                patterns.append((_compile(pat, flags, where), good))
                sources.append(bad)
                shown.append(f"{bad}` -> `{good}")
        spec = dict(spec, _scopes=scopes, _kind=kind, _patterns_doc=shown)
        cls_name = "Pack_" + name.replace("-", "_")
        attrs = {
            "__doc__": _docstring(spec, Path(label).name),
            "__module__": module,
            "__qualname__": cls_name,
            "name": name,
            "code": code or name,
            "severity": severity,
            "fix": None,
            "tags": ("pack", *tags),
            "options": {},
            "kind": kind,
            "scopes": tuple(scopes),
            "message": spec["message"],
            "patterns": tuple(patterns),
            "sources": tuple(sources),
            "ignorecase": bool(flags),
            "plan": Plan(tuple(sources), bool(flags), tuple(scopes)),
            "followed_by_link": fbl,
            "pack_file": label,
        }
        out.append(type(cls_name, (PackRule,), attrs))
    names = [r.name for r in out]
    for n in names:
        if names.count(n) > 1:
            raise PackError(f"{label}: rule `{n}` is defined twice")
    return out


def shipped_packs() -> list[PackSource]:
    """The packs that ship with newslint (``rules/packs/`` in the source tree)."""
    return [PackSource(f"rules/packs/{name}", policy_data.read_text(f"packs/{name}"))
            for name in policy_data.names("packs") if name.endswith((".yaml", ".yml"))]


def load_shipped_packs() -> list[type[PackRule]]:
    """The rules of the packs that ship with newslint, made anew on every call."""
    out: list[type[PackRule]] = []
    for source in shipped_packs():
        out.extend(parse_pack(source, require_code=True, fast_yaml=True))
    return out


def load_site_packs(paths: Iterable[str]) -> list[type[PackRule]]:
    """The rules of a site's own packs, read from ``paths`` on every call
    (the caller keeps them for the run). Raises PackError naming the file."""
    out: list[type[PackRule]] = []
    for path in paths:
        try:
            text = Path(path).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise PackError(f"{path}: cannot read rule pack: {getattr(exc, 'strerror', None) or exc}") from None
        out.extend(parse_pack(PackSource(str(path), text), require_code=False, module="newslint.site_packs"))
    return out
