"""Rule docs: one source (the docstrings) for `newslint rules`, `newslint rule NAME` and docs/rules/."""

from __future__ import annotations

import json

from newslint.docsgen import code_order
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from conftest import run_cli
from newslint import docsgen
from newslint.cli import cli
from conftest import ALL_RULES

DOCS = Path(__file__).resolve().parent.parent / "docs" / "rules"


def test_generated_rule_docs_are_up_to_date():
    stale = docsgen.stale(DOCS)
    assert stale == [], (f"docs/rules is stale ({', '.join(stale)}): run `{docsgen.REGENERATE}` "
                         "and commit the result")


def test_stale_detection_really_detects(tmp_path):
    docsgen.write(tmp_path)
    assert docsgen.stale(tmp_path) == []
    (tmp_path / "link-rel-invalid.md").write_text("old text\n", "utf-8")
    (tmp_path / "removed-rule.md").write_text("gone\n", "utf-8")
    (tmp_path / "promo-click-here.md").unlink()
    assert docsgen.stale(tmp_path) == ["link-rel-invalid.md", "promo-click-here.md", "removed-rule.md"]
    assert docsgen.main(["--check", str(tmp_path)]) == 1
    assert docsgen.main([str(tmp_path)]) == 0
    assert docsgen.stale(tmp_path) == []


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.name)
def test_every_rule_documents_itself(rule):
    doc = rule.docs()
    assert rule.summary() and not rule.summary().startswith("#")
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert section in doc, f"{rule.name}: missing {section}"
    if rule.options:
        assert "## Options" in doc
        for opt in rule.options:
            assert f"`{opt}`" in doc, f"{rule.name}: option {opt} is not documented"
    assert re.fullmatch(r"[a-z][a-z0-9]*(-[a-z0-9]+)*", rule.name)


BUILT_IN = [r for r in ALL_RULES if r.__module__.startswith("newslint.rules.")]


@pytest.mark.parametrize("rule", BUILT_IN, ids=lambda r: r.name)
def test_every_rule_says_which_generator_it_is_about(rule):
    """The first line under "What it does" names the generators: Jekyll, Hugo or all."""
    what = rule.docs().split("## What it does\n", 1)[1].lstrip("\n")
    first = what.split("\n", 1)[0]
    assert first.startswith(("Generator: ", "Generators: ")), f"{rule.name}: {first!r}"
    assert any(word in first for word in ("Jekyll", "Hugo", "all")), first


def test_names_and_codes_are_unique():
    names = [r.name for r in ALL_RULES]
    codes = [r.code for r in ALL_RULES]
    assert len(set(names)) == len(names)
    assert len(set(codes)) == len(codes)


def test_rules_command_lists_every_rule():
    res = CliRunner().invoke(cli, ["rules", "--isolated"])
    assert res.exit_code == 0
    for r in ALL_RULES:
        line = next(l for l in res.output.splitlines() if l.split()[:1] == [r.name])
        assert r.code in line and r.severity in line and r.summary() in line
    assert "fix*" in next(l for l in res.output.splitlines() if l.startswith("excerpt-duplicates-feature-text"))


def test_rules_command_json():
    res = CliRunner().invoke(cli, ["rules", "--isolated", "--format", "json"])
    assert res.exit_code == 0
    data = json.loads(res.output)
    # Every rule, sorted by code as ruff lists them (NL9 before NL10).
    assert [d["name"] for d in data] == [r.name for r in sorted(ALL_RULES, key=code_order)]
    assert len(data) == len(ALL_RULES)
    link = next(d for d in data if d["name"] == "link-rel-invalid")
    assert link["code"] == "NL301" and link["severity"] == "warning" and link["summary"]
    assert set(link) == {"name", "code", "severity", "fix", "tags", "summary", "options"}


def test_rule_command_prints_real_docs():
    res = CliRunner().invoke(cli, ["rule", "link-rel-invalid", "--isolated"])
    assert res.exit_code == 0
    out = res.output
    assert out.startswith("# link-rel-invalid (NL301)")
    for section in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "## Options"):
        assert section in out
    assert "dofollow" in out and "extra_allowed" in out
    assert out == docsgen.rule_markdown(next(r for r in ALL_RULES if r.name == "link-rel-invalid"))
    assert CliRunner().invoke(cli, ["rule", "NL301", "--isolated"]).output == out


def test_rule_command_unknown_name_exits_2_with_did_you_mean(tmp_path):
    res = run_cli(["rule", "link-rel-invlid"], cwd=tmp_path)
    assert res.returncode == 2
    assert "unknown rule `link-rel-invlid`" in res.stderr and "did you mean `link-rel-invalid`" in res.stderr


def test_rules_command_includes_site_packs(tmp_path):
    (tmp_path / "p.yaml").write_text("rules:\n  - name: house-a\n    message: m\n    summary: House rule A.\n"
                                     "    scope: body\n    tokens: [x]\n", "utf-8")
    (tmp_path / "newslint.toml").write_text('packs = ["p.yaml"]\n', "utf-8")
    res = CliRunner().invoke(cli, ["rules", "--config", str(tmp_path / "newslint.toml")])
    assert res.exit_code == 0 and "house-a" in res.output and "House rule A." in res.output
    res = CliRunner().invoke(cli, ["rule", "house-a", "--config", str(tmp_path / "newslint.toml")])
    assert res.exit_code == 0 and "House rule A." in res.output and "p.yaml" in res.output
