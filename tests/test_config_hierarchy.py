"""The nearest config to each file applies (as ruff's hierarchical configuration); `extend` inherits."""

from __future__ import annotations

import json
import os
from pathlib import Path

from conftest import run_cli

POST = "---\ntitle: t\n---\n\n![](a.png)\n<a href='x' rel='noopenner'>x</a>\n"


def _site(tmp_path: Path) -> Path:
    (tmp_path / "newslint.toml").write_text('ignore = ["image-alt-missing"]\n', encoding="utf-8")
    sub = tmp_path / "site" / "sub"
    (sub / "_drafts").mkdir(parents=True)
    (tmp_path / "site" / "other").mkdir()
    (sub / "newslint.toml").write_text(
        'extend = "../../newslint.toml"\nextend-exclude = ["_drafts"]\n'
        '[severity]\nlink-rel-invalid = "error"\n', encoding="utf-8")
    for folder in ("site", "site/other", "site/sub", "site/sub/_drafts"):
        (tmp_path / folder / "p.md").write_text(POST, encoding="utf-8")
    return tmp_path


def _found(result) -> list[tuple[str, str, str]]:
    return sorted((f["path"], f["rule"], f["severity"]) for f in json.loads(result.stdout))


def test_each_file_takes_its_nearest_config_and_extend_inherits(tmp_path):
    root = _site(tmp_path)
    got = run_cli(["check", "--no-cache", "--format", "json", "--select", "link-rel-invalid,image-alt-missing",
                   "."], cwd=root)
    # --select replaces each file's selection; the severity stays each config's.
    assert ("site/sub/p.md", "link-rel-invalid", "error") in _found(got)
    assert ("site/p.md", "link-rel-invalid", "warning") in _found(got)
    got = run_cli(["check", "--no-cache", "--format", "json", "."], cwd=root)
    found = _found(got)
    assert not [f for f in found if f[1] == "image-alt-missing"]  # ignored by the root config, inherited below
    assert [f for f in found if f[1] == "link-rel-invalid"] == [
        ("site/other/p.md", "link-rel-invalid", "warning"), ("site/p.md", "link-rel-invalid", "warning"),
        ("site/sub/p.md", "link-rel-invalid", "error")]
    # The sub-config's extend-exclude is matched from its own folder.
    assert not [f for f in found if "_drafts" in f[0]]


def test_the_config_comes_from_the_files_not_from_the_current_folder(tmp_path):
    root = _site(tmp_path)
    elsewhere = tmp_path / "cfg"
    elsewhere.mkdir()
    (elsewhere / "newslint.toml").write_text('select = ["front-matter-missing"]\n', encoding="utf-8")
    got = run_cli(["check", "--no-cache", "--format", "json", str(root / "site" / "sub")], cwd=elsewhere)
    assert {(Path(f["path"]).name, f["rule"], f["severity"]) for f in json.loads(got.stdout)} >= {
        ("p.md", "link-rel-invalid", "error")}


def test_show_settings_names_the_config_and_show_files_lists_the_files(tmp_path):
    root = _site(tmp_path)
    shown = run_cli(["check", "--show-settings", "site/sub/p.md"], cwd=root)
    assert shown.returncode == 0
    assert f"Config file: {root / 'site' / 'sub' / 'newslint.toml'}" in shown.stdout
    assert "link-rel-invalid" in shown.stdout and "image-alt-missing " not in shown.stdout
    files = run_cli(["check", "--show-files", "."], cwd=root)
    assert files.returncode == 0
    assert files.stdout.splitlines() == ["site/other/p.md", "site/p.md", "site/sub/p.md"]


def test_an_extend_loop_and_a_missing_parent_are_config_errors(tmp_path):
    (tmp_path / "a").mkdir()
    (tmp_path / "a" / "newslint.toml").write_text('extend = "../newslint.toml"\n', encoding="utf-8")
    (tmp_path / "newslint.toml").write_text('extend = "a/newslint.toml"\n', encoding="utf-8")
    (tmp_path / "a" / "p.md").write_text(POST, encoding="utf-8")
    got = run_cli(["check", "--no-cache", "a"], cwd=tmp_path)
    assert got.returncode == 2 and "`extend` makes a loop" in got.stderr
    (tmp_path / "newslint.toml").write_text('extend = "nope.toml"\n', encoding="utf-8")
    got = run_cli(["check", "--no-cache", "p.md"], cwd=tmp_path / "a")
    assert got.returncode == 2 and "file not found: nope.toml" in got.stderr


def test_a_broken_pyproject_on_the_way_up_exits_2_naming_file_and_line(tmp_path):
    (tmp_path / "pyproject.toml").write_text("[tool.newslint\nignore = []\n", encoding="utf-8")
    (tmp_path / "p.md").write_text(POST, encoding="utf-8")
    got = run_cli(["check", "--no-cache", "p.md"], cwd=tmp_path)
    assert got.returncode == 2
    assert f"{tmp_path / 'pyproject.toml'}:1: invalid TOML" in got.stderr


def test_any_toml_spelling_of_the_newslint_table_applies(tmp_path):
    (tmp_path / "p.md").write_text(POST, encoding="utf-8")
    for text in ('[tool]\nnewslint = { ignore = ["link-rel-invalid"] }\n',
                 'tool.newslint.ignore = ["link-rel-invalid"]\n'):
        (tmp_path / "pyproject.toml").write_text(text, encoding="utf-8")
        got = run_cli(["check", "--no-cache", "--format", "json", "p.md"], cwd=tmp_path)
        assert "link-rel-invalid" not in got.stdout and "image-alt-missing" in got.stdout


def test_keys_by_folder_equal_each_files_own_key(tmp_path):
    from newslint.config import Config
    from newslint.configset import ConfigSet
    from newslint.discovery import discover
    from newslint.engine import Linting

    root = _site(tmp_path)
    (root / "site" / "_config.yml").write_text("title: t\n", encoding="utf-8")  # a Jekyll site inside
    (root / "site" / "_posts").mkdir()
    (root / "site" / "_posts" / "2024-01-02-a.md").write_text(POST, encoding="utf-8")
    files = discover([str(root)]).files
    files += ["p.md", str(root / "site" / "p.md")]  # relative and repeated paths, out of order
    run = Linting(Config(), jobs=1, use_cache=False, configs=ConfigSet(cwd=str(root)))
    fresh = Linting(Config(), jobs=1, use_cache=False, configs=ConfigSet(cwd=str(root)))
    keys = run.keys_for(files)
    assert keys == [fresh.key_for(f) for f in files]
    assert len({k[0] for k in keys}) == 2 and len({k[1] for k in keys}) == 2  # two configs, a site and none


def test_a_walk_gives_each_folder_its_parents_key_unless_it_holds_a_config_or_a_site(tmp_path):
    """The walk decides a folder with no config, site or work-tree marker of
    its own from its parent's answers; the keys and the files found are
    those a run that never walked gives each file."""
    from newslint.config import Config
    from newslint.configset import ConfigSet
    from newslint.engine import Linting
    from newslint.runner import CheckOptions, plan

    root = _site(tmp_path)
    sub = root / "site" / "sub"
    (sub / "0.md").write_text(POST, encoding="utf-8")  # sorts before the folders: sub's key comes first
    (sub / "deep" / "deeper").mkdir(parents=True)
    (sub / "deep" / "deeper" / "q.md").write_text(POST, encoding="utf-8")
    (sub / "deep" / "q.md").write_text(POST, encoding="utf-8")
    blog = root / "site" / "other" / "blog"  # a Jekyll site under a quiet folder, with quiet folders of its own
    (blog / "notes").mkdir(parents=True)
    (blog / "_layouts").mkdir()
    (blog / "_config.yml").write_text("title: t\n", encoding="utf-8")
    (blog / "0.md").write_text(POST, encoding="utf-8")
    (blog / "notes" / "n.md").write_text(POST, encoding="utf-8")
    (blog / "_layouts" / "l.md").write_text(POST, encoding="utf-8")
    run = Linting(Config(), jobs=1, use_cache=False, configs=ConfigSet(cwd=str(root)))
    out = plan(CheckOptions(paths=(str(root),), jobs=1, use_cache=False), Config(), run)
    found = [os.path.relpath(f, root).replace(os.sep, "/") for f in out.files]
    assert "site/other/blog/_layouts/l.md" not in found  # the site's judge still decides inside it
    assert {"site/sub/deep/deeper/q.md", "site/other/blog/notes/n.md", "site/other/p.md"} <= set(found)
    fresh = Linting(Config(), jobs=1, use_cache=False, configs=ConfigSet(cwd=str(root)))
    assert run.keys_for(out.files) == [fresh.key_for(f) for f in out.files]
    assert run.key_for(str(blog / "notes" / "n.md"))[1] == str(blog)
    assert run.key_for(str(sub / "deep" / "deeper" / "q.md"))[0] == str((sub / "newslint.toml").resolve())
