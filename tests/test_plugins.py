"""Third-party rules: the example plugin installed for real, and the registry's rules for plugins."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import textwrap
from importlib.metadata import EntryPoint
from pathlib import Path

import pytest

from newslint import registry as registry_mod
from newslint.config import Config, ConfigError
from newslint.document import Document
from newslint.linter import lint_document
from newslint.registry import Registry, RegistryError

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "docs" / "plugin-example"

POST = textwrap.dedent("""\
    ---
    title: Acme news
    ---

    Lorem ipsum dolor sit amet. Send us an e-mail.
    <!-- newslint-disable-next-line acme-house-spelling -- a quote -->
    "I sent an e-mail," she said.
    """)


@pytest.fixture(scope="module")
def installed(tmp_path_factory):
    """The example plugin, installed with pip into a folder of its own."""
    target = tmp_path_factory.mktemp("site")
    build = tmp_path_factory.mktemp("build")
    proc = subprocess.run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps",
                           "--no-warn-script-location", "--target", str(target), str(EXAMPLE)],
                          capture_output=True, text=True, timeout=300, cwd=build)
    assert proc.returncode == 0, proc.stderr
    return target


def _newslint(args, target, cwd, extra_env=None):
    env = dict(os.environ, PYTHONPATH=str(target), NO_COLOR="1")
    env.pop("CI", None)
    env.update(extra_env or {})
    return subprocess.run([sys.executable, "-m", "newslint", *args], capture_output=True, text=True,
                          encoding="utf-8", timeout=120, cwd=cwd, env=env)


@pytest.mark.external
def test_installed_plugin_is_listed_documented_checked_fixed_and_configured(installed, tmp_path):
    rules = _newslint(["rules", "--format", "json"], installed, tmp_path)
    assert rules.returncode == 0, rules.stderr
    listed = {r["name"]: r for r in json.loads(rules.stdout)}
    assert listed["acme-lorem-ipsum"]["code"] == "ACME101"
    assert listed["acme-house-spelling"]["fix"] == "safe"

    docs = _newslint(["rule", "ACME102"], installed, tmp_path)
    assert docs.returncode == 0 and "house spelling" in docs.stdout

    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    out = _newslint(["check", "--format", "json", "post.md"], installed, tmp_path)
    found = [(f["rule"], f["line"], f["severity"]) for f in json.loads(out.stdout) if f["code"].startswith("ACME")]
    assert out.returncode == 1
    # The suppressed e-mail on line 7 is not reported.
    assert found == [("acme-lorem-ipsum", 5, "error"), ("acme-house-spelling", 5, "warning")]

    (tmp_path / "newslint.toml").write_text(
        'ignore = ["ACME101"]\n[severity]\nacme-house-spelling = "error"\n'
        '[rules.acme-house-spelling]\nwords = { "dolor" = "pain" }\n', encoding="utf-8")
    out = _newslint(["check", "--format", "json", "post.md"], installed, tmp_path)
    found = [(f["rule"], f["severity"], f["message"]) for f in json.loads(out.stdout) if f["code"].startswith("ACME")]
    assert found == [("acme-house-spelling", "error", "the house spelling is `pain`, not `dolor`")]

    fixed = _newslint(["check", "--fix", "post.md"], installed, tmp_path)
    assert fixed.returncode == 1, fixed.stderr  # other rules' findings remain
    assert "Lorem ipsum pain sit amet." in post.read_text(encoding="utf-8")


@pytest.mark.external
def test_plugin_version_is_part_of_the_cache_key(installed, tmp_path):
    post = tmp_path / "post.md"
    post.write_text(POST, encoding="utf-8")
    first = _newslint(["check", "--format", "json", "--cache-dir", "c", "post.md"], installed, tmp_path)
    memo = json.loads((tmp_path / "c" / "plugins.json").read_text("utf-8"))
    assert ["newslint-acme", "0.1.0", "acme = newslint_acme"] in memo["plugins"]
    # Without the plugin the key differs: its findings are not served from the cache.
    without = _newslint(["check", "--format", "json", "--cache-dir", "c", "post.md"], tmp_path / "empty", tmp_path)
    assert "ACME101" in first.stdout and "ACME101" not in without.stdout


def _module(tmp_path, monkeypatch, name, source):
    (tmp_path / f"{name}.py").write_text(textwrap.dedent(source), encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))


def _entry_points(monkeypatch, *values):
    eps = [EntryPoint(name=f"ep{i}", value=v, group="newslint.rules") for i, v in enumerate(values)]
    monkeypatch.setattr(registry_mod, "plugin_entry_points", lambda: eps)


RULE_SOURCE = """
    from newslint.api import Finding, Rule

    class Shout(Rule):
        '''Capital letters.'''
        name = "{name}"
        code = "{code}"

        def check(self, doc, options):
            at = doc.text.find("HELLO")
            if at != -1:
                yield Finding(at, at + 5, "no shouting")

    class Broken(Rule):
        '''Always fails.'''
        name = "broken-plugin-rule"
        code = "BRK1"

        def check(self, doc, options):
            raise ValueError("plugin bug")
            yield
"""


def test_a_name_or_code_taken_twice_names_both_sources(tmp_path, monkeypatch):
    _module(tmp_path, monkeypatch, "clash_plugin", RULE_SOURCE.format(name="link-rel-invalid", code="CLS1"))
    _entry_points(monkeypatch, "clash_plugin:Shout")
    with pytest.raises(RegistryError) as err:
        Registry.build()
    message = str(err.value)
    assert "`link-rel-invalid`" in message and "(newslint)" in message and "plugin" in message
    with pytest.raises(ConfigError):
        Config().all_rules()


def test_plugin_codes_may_not_use_newslints_prefix(tmp_path, monkeypatch):
    _module(tmp_path, monkeypatch, "nl_plugin", RULE_SOURCE.format(name="shout", code="NL4242"))
    _entry_points(monkeypatch, "nl_plugin:Shout")
    with pytest.raises(RegistryError, match="prefix NL"):
        Registry.build()


def test_a_rule_that_raises_gives_one_rule_crashed_finding_and_keeps_the_rest(tmp_path, monkeypatch):
    _module(tmp_path, monkeypatch, "crash_plugin", RULE_SOURCE.format(name="shout", code="SHT1"))
    _entry_points(monkeypatch, "crash_plugin:Shout", "crash_plugin:Broken")
    config = Config()
    doc = Document.from_text("---\ntitle: x\n---\n\nHELLO <img src=a.png>\n")
    got = [(v.rule, v.message) for v in lint_document(doc, config)]
    rules = [r for r, _m in got]
    assert "shout" in rules and "image-alt-missing" in rules
    crashed = [m for r, m in got if r == "rule-crashed"]
    assert len(crashed) == 1 and "broken-plugin-rule" in crashed[0] and "ValueError: plugin bug" in crashed[0]


def test_a_module_without_rules_is_a_clear_error(tmp_path, monkeypatch):
    _module(tmp_path, monkeypatch, "empty_plugin", "X = 1\n")
    _entry_points(monkeypatch, "empty_plugin")
    with pytest.raises(RegistryError, match="neither a Rule subclass nor a module with a RULES list"):
        Registry.build()


def test_importing_the_api_loads_no_rule_module():
    code = ("import sys, newslint.api; "
            "print(sorted(m for m in sys.modules if m.startswith('newslint.rules.')))")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, timeout=60)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"


def test_soup_gives_a_plugin_the_body_as_beautifulsoup_once_per_post():
    from newslint.api import soup

    doc = Document.from_text("---\ntitle: t\n---\n\n<p>one <a href='x'>link</a></p>\n")
    tree = soup(doc)
    assert [a["href"] for a in tree.find_all("a")] == ["x"]
    assert soup(doc) is tree  # made once, kept with the document


def test_the_entry_point_scan_is_skipped_only_when_no_distribution_names_the_group(tmp_path, monkeypatch):
    from newslint.registry import _maybe_declared, plugin_entry_points

    monkeypatch.setattr(sys, "path", [str(tmp_path)])  # this folder's distributions only
    assert not _maybe_declared()
    assert plugin_entry_points() == []
    dist = tmp_path / "tiny_plugin-1.0.dist-info"
    dist.mkdir()
    (dist / "METADATA").write_text("Metadata-Version: 2.1\nName: tiny-plugin\nVersion: 1.0\n", encoding="utf-8")
    (dist / "entry_points.txt").write_text("[console_scripts]\ntiny = tiny:main\n", encoding="utf-8")
    assert not _maybe_declared()  # entry points, but none of newslint's
    (dist / "entry_points.txt").write_text("[newslint.rules]\ntiny = tiny_plugin:Tiny\n", encoding="utf-8")
    assert _maybe_declared()
    assert [(ep.name, ep.value) for ep in plugin_entry_points()] == [("tiny", "tiny_plugin:Tiny")]
    # A zip on sys.path may hold distributions: importlib.metadata is asked.
    (dist / "entry_points.txt").unlink()
    zipped = tmp_path / "bundle.zip"
    zipped.write_bytes(b"")
    monkeypatch.setattr(sys, "path", [str(zipped), *sys.path])
    assert _maybe_declared()
