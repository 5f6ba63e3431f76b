"""Command-line conventions a user expects from ruff: severity, fail level, selectors, stdin, excludes."""

from __future__ import annotations

import json

from conftest import run_cli

POST = "---\ntitle: t\n---\n\n![](a.png)\n<a href='x' rel='noopenner'>x</a>\n<a href='https://example.org/y' target='_blank'>y</a>\n"


def _post(tmp_path, name="p.md", text=POST):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def test_every_text_line_names_its_severity_in_words(tmp_path):
    _post(tmp_path)
    got = run_cli(["check", "--no-cache", "--isolated", "p.md"], cwd=tmp_path)
    lines = [line for line in got.stdout.splitlines() if line.startswith("p.md:")]
    assert lines and all(line.split(": ", 2)[1].split(" ", 1)[0] in ("error", "warning", "info") for line in lines)
    full = run_cli(["check", "--no-cache", "--isolated", "--format", "full", "p.md"], cwd=tmp_path)
    assert "p.md:5:1: warning image-alt-missing" in full.stdout


def test_fail_level_sets_the_lowest_severity_that_fails(tmp_path):
    _post(tmp_path)
    (tmp_path / "newslint.toml").write_text('[severity]\nlink-rel-invalid = "error"\n', encoding="utf-8")
    assert run_cli(["check", "--no-cache", "p.md"], cwd=tmp_path).returncode == 1
    assert run_cli(["check", "--no-cache", "--fail-level", "error", "p.md"], cwd=tmp_path).returncode == 1
    only_warnings = run_cli(["check", "--no-cache", "--fail-level", "error", "--ignore", "link-rel-invalid", "p.md"],
                            cwd=tmp_path)
    assert only_warnings.returncode == 0 and "warning image-alt-missing" in only_warnings.stdout
    assert "findings" in only_warnings.stdout.splitlines()[-1]  # the summary still counts them


def test_selectors_take_codes_prefixes_tags_and_all(tmp_path):
    _post(tmp_path)

    def rules(*args):
        got = run_cli(["check", "--no-cache", "--isolated", "--format", "json", *args, "p.md"], cwd=tmp_path)
        return sorted({f["rule"] for f in json.loads(got.stdout)})

    assert rules("--select", "NL3") == ["link-rel-invalid", "link-target-blank-unsafe"]
    assert rules("--select", "NL30") == ["link-rel-invalid", "link-target-blank-unsafe"]
    assert rules("--select", "images") == ["image-alt-missing"]
    assert rules("--select", "ALL", "--ignore", "NL3,images") == [
        r for r in rules("--select", "ALL") if not r.startswith(("link-rel", "link-target", "image-alt-missing"))]
    (tmp_path / "newslint.toml").write_text('select = ["NL3"]\nignore = ["NL302"]\n', encoding="utf-8")
    got = run_cli(["check", "--no-cache", "--format", "json", "p.md"], cwd=tmp_path)
    assert sorted({f["rule"] for f in json.loads(got.stdout)}) == ["link-rel-invalid"]
    bad = run_cli(["check", "--no-cache", "--isolated", "--select", "NL9x", "p.md"], cwd=tmp_path)
    assert bad.returncode == 2 and "unknown rule `NL9x`" in bad.stderr


def test_rules_are_listed_by_code():
    got = run_cli(["rules", "--isolated", "--format", "json"])
    codes = [r["code"] for r in json.loads(got.stdout)]
    assert codes == sorted(codes, key=lambda c: (c.rstrip("0123456789"), int(c[len(c.rstrip("0123456789")):])))


def test_stdin_is_linted_as_the_named_file_with_its_config(tmp_path):
    _post(tmp_path, "posts/.keep", "")
    (tmp_path / "newslint.toml").write_text('[per-file-ignores]\n"posts/*" = ["image-alt-missing"]\n',
                                            encoding="utf-8")
    got = run_cli(["check", "--stdin-filename", "posts/new.md", "-"], cwd=tmp_path, input=POST)
    assert got.returncode == 1
    assert "posts/new.md:6:" in got.stdout and "image-alt-missing" not in got.stdout
    fixed = run_cli(["check", "--fix", "--stdin-filename", "posts/new.md", "-"], cwd=tmp_path, input=POST)
    assert "rel='noopener'" in fixed.stdout and fixed.stdout.startswith("---\ntitle: t\n")
    assert "posts/new.md:6:" in fixed.stderr  # what remains is reported on standard error
    assert not (tmp_path / "posts" / "new.md").exists()
    alone = run_cli(["check", "-"], cwd=tmp_path, input=POST)
    assert alone.returncode == 2 and "--stdin-filename" in alone.stderr


def test_force_exclude_applies_exclude_to_named_files(tmp_path):
    _post(tmp_path, "_drafts/d.md")
    _post(tmp_path, "posts/p.md")
    (tmp_path / "newslint.toml").write_text('exclude = ["_drafts"]\n', encoding="utf-8")
    named = run_cli(["check", "--no-cache", "_drafts/d.md", "posts/p.md"], cwd=tmp_path)
    assert "_drafts/d.md:" in named.stdout  # named on the command line: linted
    forced = run_cli(["check", "--no-cache", "--force-exclude", "_drafts/d.md", "posts/p.md"], cwd=tmp_path)
    assert "_drafts/d.md" not in forced.stdout and "posts/p.md:" in forced.stdout
    walked = run_cli(["check", "--no-cache", "--show-files", "."], cwd=tmp_path)
    assert walked.stdout.splitlines() == ["posts/p.md"]
