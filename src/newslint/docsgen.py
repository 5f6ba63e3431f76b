"""Rule documentation, generated from one source: each rule's class docstring.

``newslint rule NAME`` prints the same Markdown that ``docs/rules/NAME.md``
holds, and ``docs/rules/README.md`` is the index. Regenerate the files with::

    python -m newslint.docsgen            # writes docs/rules/
    python -m newslint.docsgen --check    # exit 1 and list the stale files

A test (tests/test_docs.py) fails when the committed files are stale.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any, Iterable

from .ruleapi import Rule

REGENERATE = "python -m newslint.docsgen"
DEFAULT_DIR = Path(__file__).resolve().parents[2] / "docs" / "rules"
FIX_WORDS = {None: "no", "safe": "yes (safe)", "unsafe": "yes (unsafe: needs --unsafe-fixes)",
             "sometimes": "sometimes"}


def _toml_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_toml_value(v) for v in value) + "]"
    if isinstance(value, dict):
        return "{ " + ", ".join(f"{json.dumps(str(k))} = {_toml_value(v)}" for k, v in value.items()) + " }"
    return json.dumps(str(value))


def _english(lang: str | None, text: str, **values: Any) -> str:
    return text.format(**values) if values else text


def rule_markdown(rule: type[Rule], lang: str = "en") -> str:
    """The full docs of one rule, as Markdown (``lang``: the summary, the
    "Why is this bad?" section and the words around them translated)."""
    doc = rule.docs()
    summary, _, body = doc.partition("\n")
    ui = _english
    if lang != "en":
        from .i18n import rule_text, translate_docs, ui  # type: ignore[assignment]

        summary = rule_text(lang, rule, "summary") or summary
        body = translate_docs(lang, rule, body)
    pack = getattr(rule, "pack_file", "")
    source = ui(lang, "rule pack `{pack}`", pack=pack) if pack else f"`{rule.__module__}`"
    lines = [
        f"# {rule.name} ({rule.code})",
        "",
        summary.strip(),
        "",
        ui(lang, "- Code: `{code}`", code=rule.code),
        ui(lang, "- Default severity: `{severity}`", severity=rule.severity),
        ui(lang, "- Fix: {fix}", fix=ui(lang, FIX_WORDS.get(rule.fix, rule.fix or ""))),
    ]
    if rule.tags:
        lines.append(ui(lang, "- Tags: {tags}", tags=", ".join(f"`{t}`" for t in rule.tags)))
    lines += [ui(lang, "- Source: {source}", source=source), "", body.strip(), ""]
    settable = {k: v for k, v in rule.options.items() if v is not None}
    if rule.options:
        lines += [ui(lang, "## Configuration"), "", "```toml", f"[tool.newslint.rules.{rule.name}]"]
        for key, value in rule.options.items():
            lines.append(f"{key} = {_toml_value(value)}" if key in settable
                         else f"# {key} = ...  ({ui(lang, 'no default')})")
        lines += ["```", ""]
    lines += [ui(lang, "Turn it off with `ignore = [\"{name}\"]`, or for one place with", name=rule.name),
              f"`<!-- newslint-disable-next-line {rule.name} -->`.", ""]
    return "\n".join(lines).replace("\n\n\n", "\n\n")


def index_markdown(rules: Iterable[type[Rule]]) -> str:
    lines = [
        "# Rules",
        "",
        f"Generated from the rules' docstrings by `{REGENERATE}`: do not edit by hand.",
        "`newslint rules` prints this list and `newslint rule NAME` one rule's docs.",
        "",
        "| Rule | Code | Severity | Fix | Summary |",
        "| --- | --- | --- | --- | --- |",
    ]
    for r in rules:
        summary = r.summary().replace("|", "\\|")
        lines.append(f"| [{r.name}]({r.name}.md) | {r.code} | {r.severity} | {FIX_WORDS.get(r.fix, r.fix)} | {summary} |")
    return "\n".join(lines) + "\n"


def generate(rules: Iterable[type[Rule]] | None = None) -> dict[str, str]:
    """File name -> content for docs/rules/."""
    if rules is None:
        from .registry import Registry

        rules = Registry.build(plugins=False).rules
    rules = list(rules)
    files = {f"{r.name}.md": rule_markdown(r) for r in rules}
    files["README.md"] = index_markdown(rules)
    return files


def stale(directory: Path = DEFAULT_DIR) -> list[str]:
    """The files in ``directory`` that differ from what would be generated (or are extra)."""
    want = generate()
    out = []
    for name, text in want.items():
        p = directory / name
        try:
            have = p.read_text("utf-8")
        except OSError:
            have = None
        if have != text:
            out.append(name)
    if directory.is_dir():
        out += sorted(p.name for p in directory.glob("*.md") if p.name not in want)
    return sorted(out)


def write(directory: Path = DEFAULT_DIR) -> list[str]:
    directory.mkdir(parents=True, exist_ok=True)
    want = generate()
    changed = []
    for name, text in want.items():
        p = directory / name
        if not p.exists() or p.read_text("utf-8") != text:
            p.write_text(text, "utf-8", newline="\n")
            changed.append(name)
    for p in directory.glob("*.md"):
        if p.name not in want:
            p.unlink()
            changed.append(p.name)
    return sorted(changed)


# -- `newslint rules` --------------------------------------------------------------


def code_order(rule: type[Rule]) -> tuple[str, int, str]:
    """Sort key: a code's letters, then its number (NL9 before NL10), as ruff lists rules."""
    head = rule.code.rstrip("0123456789")
    digits = rule.code[len(head):]
    return (head, int(digits) if digits else -1, rule.code)


def _summary(rule: type[Rule], lang: str) -> str:
    if lang == "en":
        return rule.summary()
    from .i18n import rule_text

    return rule_text(lang, rule, "summary") or rule.summary()


def rules_json(rules: Iterable[type[Rule]], lang: str = "en") -> str:
    data = [{"name": r.name, "code": r.code, "severity": r.severity, "fix": r.fix, "tags": list(r.tags),
             "summary": _summary(r, lang), "options": r.options} for r in rules]
    return json.dumps(data, ensure_ascii=False, indent=2, default=str) + "\n"


def rules_text(rules: Iterable[type[Rule]], lang: str = "en") -> str:
    rules = list(rules)
    ui = _english
    if lang != "en":
        from .i18n import ui  # type: ignore[assignment]
    w = max((len(r.name) for r in rules), default=4)
    cw = max([5, *(len(r.code) for r in rules)])
    fixw = {None: "", "safe": "fix", "unsafe": "fix*", "sometimes": "fix?"}
    lines = [f"{'RULE':<{w}}  {'CODE':<{cw}}  SEVERITY  FIX   {ui(lang, 'SUMMARY')}"]
    for r in rules:
        lines.append(f"{r.name:<{w}}  {r.code:<{cw}}  {r.severity:<8}  {fixw.get(r.fix, r.fix or ''):<4}  {_summary(r, lang)}")
    lines.append("")
    lines.append(ui(lang, "FIX: fix = safe fix, fix* = unsafe fix (--unsafe-fixes), fix? = sometimes. "
                 "`newslint rule NAME` prints a rule's docs."))
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m newslint.docsgen", description="Generate docs/rules/ from the rules' docstrings.")
    ap.add_argument("directory", nargs="?", type=Path, default=DEFAULT_DIR)
    ap.add_argument("--check", action="store_true", help="write nothing; exit 1 when a file is stale")
    args = ap.parse_args(argv)
    if args.check:
        bad = stale(args.directory)
        for name in bad:
            print(f"stale: {args.directory / name}")
        if bad:
            print(f"run `{REGENERATE}` to regenerate them")
        return 1 if bad else 0
    changed = write(args.directory)
    for name in changed:
        print(f"wrote {args.directory / name}")
    if not changed:
        print(f"{args.directory}: up to date")
    return 0


if __name__ == "__main__":
    sys.exit(main())
