"""The GitHub Action (action.yml at the top of the repository), run here as the
runner would run its shell steps: each `run:` with `bash --noprofile --norc -eo
pipefail`, its `${{ ... }}` expressions substituted, GITHUB_OUTPUT read back
into the step's outputs, `if:` conditions decided, `uses:` steps recorded.

The install step runs against a stand-in `python` that records what it was
asked to install: no pip, no network; the `newslint` on PATH is this checkout's.
"""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from conftest import ROOT, run_cli

ACTION = ROOT / "action.yml"
INSTALL, CHECK, UPLOAD, FAIL = "Install newslint", "Run newslint", "Upload SARIF to code scanning", "Fail on findings"
BAD_POST = ('---\ntitle: "부산 야경"\n---\n\n<img src="/img/night.png">\n\n'
            '<a href="https://example.kr" target="_blank">행사 안내</a>\n')
CLEAN_POST = '---\ntitle: "부산 야경"\n---\n\n해운대의 밤.\n'


def action() -> dict:
    return yaml.safe_load(ACTION.read_text(encoding="utf-8"))


def test_the_action_is_composite_with_its_inputs_and_steps():
    a = action()
    assert a["runs"]["using"] == "composite"
    inputs = a["inputs"]
    assert {k: v.get("default") for k, v in inputs.items()} == {
        "paths": ".", "args": "", "version": "", "sarif": "false"}
    assert all(v["description"] for v in inputs.values())
    steps = a["runs"]["steps"]
    assert [s["name"] for s in steps] == [INSTALL, CHECK, UPLOAD, FAIL]
    for s in steps:
        if "run" in s:
            assert s["shell"] == "bash"
            # inputs reach the scripts through the environment, never pasted into the script's text
            assert "${{" not in s["run"], s["name"]
    upload = steps[2]
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@v")
    assert upload["with"]["sarif_file"] == "${{ steps.check.outputs.sarif-file }}"
    assert "!cancelled()" in upload["if"] and "!cancelled()" in steps[3]["if"]
    assert a["outputs"]["sarif-file"]["value"] == "${{ steps.check.outputs.sarif-file }}"


# -- a small runner ---------------------------------------------------------------------------------
_EXPR = re.compile(r"\$\{\{\s*(.*?)\s*\}\}", re.S)
_REF = re.compile(r"\b(inputs|github|steps)\.([\w.-]+)")


@dataclass
class Run:
    steps: dict[str, subprocess.CompletedProcess | None] = field(default_factory=dict)  # None: skipped
    outputs: dict[str, dict[str, str]] = field(default_factory=dict)
    uploads: list[dict] = field(default_factory=list)
    failed: bool = False


def _value(ref: str, name: str, context: dict) -> str:
    if ref == "inputs":
        return context["inputs"][name]
    if ref == "github":
        return context["github"][name]
    step, _, key = name.partition(".outputs.")
    return context["outputs"].get(step, {}).get(key, "")


def substitute(text: str, context: dict) -> str:
    return _EXPR.sub(lambda m: _REF.sub(lambda r: _value(r[1], r[2], context), m[1])
                     if _REF.fullmatch(m[1]) else _fail(m[1]), text)


def _fail(expr: str) -> str:
    raise AssertionError(f"the test runner does not know this expression: {expr}")


def condition(expr: str | None, context: dict, failed: bool) -> bool:
    """A step's `if:` (the subset action.yml uses: ==, !=, &&, !cancelled(); default success())."""
    if expr is None:
        return not failed
    inner = _EXPR.fullmatch(expr.strip())
    expr = inner[1] if inner else expr
    py = _REF.sub(lambda r: repr(_value(r[1], r[2], context)), expr)
    py = py.replace("!cancelled()", "True").replace("&&", " and ").replace("||", " or ")
    return bool(eval(py, {"__builtins__": {}}, {}))  # noqa: S307 - literals and comparisons only


def stand_in_python(folder: Path) -> Path:
    """A `python` that records its arguments and installs nothing."""
    bin_dir = folder / "stand-in-bin"
    bin_dir.mkdir()
    script = bin_dir / "python"
    script.write_text(f'#!/bin/sh\nprintf "%s\\n" "$@" > "{folder}/pip-args"\n', encoding="utf-8")
    script.chmod(script.stat().st_mode | stat.S_IXUSR)
    return bin_dir


def run_action(workspace: Path, inputs: dict[str, str], only: str | None = None) -> Run:
    """Run the action's steps (only the step named ``only``, when given)."""
    a = action()
    values = {k: v.get("default", "") for k, v in a["inputs"].items()}
    values.update(inputs)
    temp = workspace.parent / f"{workspace.name}-runner"
    temp.mkdir()
    bin_dir = stand_in_python(temp)
    path = os.pathsep.join([str(bin_dir), str(Path(sys.executable).parent), os.environ.get("PATH", "")])
    result = Run()
    context = {"inputs": values, "github": {"action_path": str(ROOT)}, "outputs": result.outputs}
    for i, step in enumerate(a["runs"]["steps"]):
        if only is not None and step["name"] != only:
            continue
        if not condition(step.get("if"), context, result.failed):
            result.steps[step["name"]] = None
            continue
        if "uses" in step:
            result.uploads.append({"uses": step["uses"],
                                   **{k: substitute(str(v), context) for k, v in step.get("with", {}).items()}})
            result.steps[step["name"]] = subprocess.CompletedProcess([], 0, "", "")
            continue
        output = temp / f"output-{i}"
        output.write_text("")
        env = {k: v for k, v in os.environ.items() if not k.startswith(("GITHUB_", "NEWSLINT_"))}
        env.update(PATH=path, GITHUB_OUTPUT=str(output), GITHUB_ACTION_PATH=str(ROOT), GITHUB_ACTIONS="true",
                   GITHUB_WORKSPACE=str(workspace), RUNNER_TEMP=str(temp), CI="true")
        env.update({k: substitute(str(v), context) for k, v in step.get("env", {}).items()})
        proc = subprocess.run(["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", step["run"]], cwd=workspace,
                              env=env, capture_output=True, text=True, encoding="utf-8", timeout=120)
        result.steps[step["name"]] = proc
        if "id" in step:
            result.outputs[step["id"]] = dict(line.split("=", 1) for line in output.read_text().splitlines())
        result.failed = result.failed or proc.returncode != 0
    return result


def site(tmp_path: Path, post: str) -> Path:
    workspace = tmp_path / "repo"
    (workspace / "_posts").mkdir(parents=True)
    (workspace / "_posts" / "2024-06-14-night.md").write_text(post, encoding="utf-8")
    return workspace


# -- the runs ------------------------------------------------------------------------------------------
def test_findings_become_annotations_and_fail_the_job(tmp_path):
    workspace = site(tmp_path, BAD_POST)
    run = run_action(workspace, {"paths": "_posts"})
    check = run.steps[CHECK]
    assert check is not None and check.returncode == 1, check.stderr
    expected = run_cli(["check", "--format", "github", "--no-cache", "_posts"], cwd=workspace)
    annotations = [line for line in check.stdout.splitlines() if line.startswith("::")]
    assert annotations == [line for line in expected.stdout.splitlines() if line.startswith("::")]
    assert any(a.startswith("::warning file=_posts/2024-06-14-night.md,line=5,") and "title=image-alt-missing" in a
               for a in annotations)
    assert run.outputs["check"]["exit-code"] == "1"
    assert run.steps[UPLOAD] is None and run.steps[FAIL] is None and run.uploads == []
    assert run.failed


def test_args_reach_newslint(tmp_path):
    workspace = site(tmp_path, BAD_POST)
    run = run_action(workspace, {"paths": "_posts", "args": "--select image-alt-missing --fail-level error"})
    check = run.steps[CHECK]
    assert check is not None and check.returncode == 0, check.stderr  # a warning, under the error fail level
    annotations = [line for line in check.stdout.splitlines() if line.startswith("::")]
    assert len(annotations) == 1 and "title=image-alt-missing" in annotations[0]


def test_sarif_is_uploaded_even_with_findings_and_the_job_fails_after(tmp_path):
    workspace = site(tmp_path, BAD_POST)
    run = run_action(workspace, {"paths": "_posts", "sarif": "true"})
    check = run.steps[CHECK]
    assert check is not None and check.returncode == 0, check.stderr
    assert run.outputs["check"]["exit-code"] == "1"
    [upload] = run.uploads
    assert upload["uses"].startswith("github/codeql-action/upload-sarif@")
    sarif = json.loads(Path(upload["sarif_file"]).read_text(encoding="utf-8"))
    rules = {r["ruleId"] for r in sarif["runs"][0]["results"]}
    assert {"image-alt-missing", "link-target-blank-unsafe"} <= rules
    uri = sarif["runs"][0]["results"][0]["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
    assert uri == "_posts/2024-06-14-night.md"
    fail = run.steps[FAIL]
    assert fail is not None and fail.returncode == 1
    assert run.failed


def test_a_clean_site_passes_with_sarif_too(tmp_path):
    workspace = site(tmp_path, CLEAN_POST)
    run = run_action(workspace, {"paths": "_posts", "sarif": "true"})
    assert run.outputs["check"]["exit-code"] == "0"
    assert len(run.uploads) == 1
    assert run.steps[FAIL] is not None and run.steps[FAIL].returncode == 0
    assert not run.failed


def test_a_config_error_fails_at_once(tmp_path):
    workspace = site(tmp_path, CLEAN_POST)
    (workspace / ".newslint.toml").write_text("select = [\n", encoding="utf-8")
    run = run_action(workspace, {"paths": "_posts", "sarif": "true"})
    assert run.steps[CHECK] is not None and run.steps[CHECK].returncode == 2
    assert ".newslint.toml" in run.steps[CHECK].stderr
    assert run.uploads == [] and run.steps[FAIL] is None


def test_the_install_step_asks_pip_for_the_checkout_or_the_version(tmp_path):
    for version, wanted in [("", str(ROOT)), ("1.2.0", "newslint==1.2.0")]:
        workspace = site(tmp_path / (version or "default"), CLEAN_POST)
        run = run_action(workspace, {"paths": "_posts", "version": version}, only=INSTALL)
        install = run.steps[INSTALL]
        assert install is not None and install.returncode == 0, install.stderr
        args = (workspace.parent / f"{workspace.name}-runner" / "pip-args").read_text().splitlines()
        assert args[:3] == ["-m", "pip", "install"] and args[-1] == wanted
    workspace = site(tmp_path / "bad", CLEAN_POST)
    run = run_action(workspace, {"version": "1.2; echo owned"})
    install = run.steps[INSTALL]
    assert install is not None and install.returncode == 2
    assert "::error title=newslint::version must be a version number" in install.stdout
    assert run.steps[CHECK] is None
