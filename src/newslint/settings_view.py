"""`newslint check --show-settings PATH`: the settings that apply to one file, and where they come from."""

from __future__ import annotations

import json

from .config import Config


def show_settings(config: Config, path: str) -> str:
    enabled = config.enabled_rules()
    ignored = config.ignored_for(path)
    lines = [
        f"Settings for: {path}",
        f"Config file: {config.source if config.source is not None else '(none: the defaults)'}",
        f"Root (relative paths and globs): {config.root}",
        f"Rules that run on this file ({sum(r.name not in ignored for r in enabled)} of {len(config.all_rules())}):",
    ]
    for rule in enabled:
        if rule.name in ignored:
            continue
        options = config.options_for(rule)
        changed = {k: v for k, v in options.items() if rule.options.get(k) != v}
        extra = f"  options {json.dumps(changed, ensure_ascii=False, default=str)}" if changed else ""
        lines.append(f"  {rule.code:<8} {rule.name:<34} {config.severity_of(rule):<8}{extra}")
    if ignored:
        lines.append(f"Ignored here by per-file-ignores: {', '.join(sorted(ignored))}")
    for key, value in (("select", config.select), ("extend-select", config.extend_select), ("ignore", config.ignore),
                       ("include", config.include), ("exclude", config.exclude), ("packs", config.packs),
                       ("front-matter-schema", config.front_matter_schema)):
        if value:
            lines.append(f"{key}: {json.dumps(value if not hasattr(value, 'as_posix') else str(value), ensure_ascii=False)}")
    return "\n".join(lines) + "\n"
