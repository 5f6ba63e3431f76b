"""`newslint server` spoken to as an editor would: one server process for the
module, JSON-RPC over its pipes (tests/lsp_client.py).

What it publishes is compared with `newslint check --format json` on the same
text, what its code actions do with `newslint check --fix` and with the
findings' own fixes, all at LSP positions (0-based lines, UTF-16 units).
"""

from __future__ import annotations

import json
import os
import re
import sys
from collections import Counter
from pathlib import Path

import pytest

from conftest import REFERENCE, ROOT, RULES_BY_NAME, run_cli
from lsp_client import (LspClient, apply_json_fix, apply_workspace_edit, utf16_position)

SEVERITY = {"error": 1, "warning": 2, "info": 3}
OWN_POSTS = [ROOT / "examples" / "ko-tistory-paste.md", ROOT / "examples" / "ko-editorial-checks.md"]
needs_reference = pytest.mark.skipif(not REFERENCE.is_file(), reason="../shared is absent")
POSTS = [pytest.param(REFERENCE, marks=needs_reference, id="reference"),
         *[pytest.param(p, id=p.name) for p in OWN_POSTS]]


@pytest.fixture(scope="module")
def workspace(tmp_path_factory):
    return tmp_path_factory.mktemp("workspace")


@pytest.fixture(scope="module")
def server(workspace):
    with open(workspace / "server.log", "wb") as log:
        client = LspClient(str(workspace), log)
        try:
            result = client.initialize(workspace.as_uri(), {
                "workspace": {"didChangeWatchedFiles": {"dynamicRegistration": True}}})
            assert result["capabilities"]["positionEncoding"] == "utf-16"
            yield client
        finally:
            client.close()
    log_text = (workspace / "server.log").read_text(errors="replace")
    assert client.proc.returncode == 0, log_text
    assert "Traceback" not in log_text


@pytest.fixture
def opened(server):
    """Open a text as the buffer of a path: (uri, diagnostics); every buffer is closed after the test."""
    uris = []

    def open_(path: Path, text: str) -> tuple[str, list[dict]]:
        uri = path.as_uri()
        uris.append(uri)
        server.open(uri, text)
        return uri, server.diagnostics(uri, 1)

    yield open_
    for uri in uris:
        server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
        assert server.diagnostics(uri) == []  # closing clears them


def check_json(path: Path, text: str, cwd: Path, *extra: str) -> list[dict]:
    result = run_cli(["check", "--format", "json", "--no-cache", *extra, "--stdin-filename", str(path), "-"],
                     cwd=cwd, input=text)
    assert result.returncode in (0, 1), result.stderr
    return json.loads(result.stdout)


def as_lsp(text: str, v: dict) -> tuple:
    start = utf16_position(text, v["line"], v["column"])
    end = utf16_position(text, v["end_line"], v["end_column"])
    return (start["line"], start["character"], end["line"], end["character"], v["rule"], SEVERITY[v["severity"]],
            v["message"])


def from_lsp(d: dict) -> tuple:
    r = d["range"]
    return (r["start"]["line"], r["start"]["character"], r["end"]["line"], r["end"]["character"], d["code"],
            d["severity"], d["message"])


def actions_at(server: LspClient, uri: str, start: dict, end: dict | None = None, only: list[str] | None = None):
    context: dict = {"diagnostics": []}
    if only is not None:
        context["only"] = only
    return server.request("textDocument/codeAction", {"textDocument": {"uri": uri},
                                                      "range": {"start": start, "end": end or start},
                                                      "context": context})


@pytest.mark.parametrize("path", POSTS)
def test_it_publishes_what_check_reports_at_the_same_positions(server, opened, workspace, path):
    text = path.read_text(encoding="utf-8")
    uri, diagnostics = opened(path, text)
    on_disk = run_cli(["check", "--format", "json", "--no-cache", str(path)], cwd=workspace)
    assert on_disk.returncode == 1, on_disk.stderr
    expected = [as_lsp(text, v) for v in json.loads(on_disk.stdout)]
    assert expected
    assert sorted(from_lsp(d) for d in diagnostics) == sorted(expected)
    for d in diagnostics:
        assert d["source"] == "newslint"
        assert d["codeDescription"]["href"].endswith(f"/docs/rules/{d['code']}.md")
        assert (ROOT / "docs" / "rules" / f"{d['code']}.md").is_file()


@pytest.mark.parametrize("path", POSTS)
def test_fix_all_gives_what_check_fix_writes_and_writes_nothing(server, opened, workspace, path):
    text = path.read_text(encoding="utf-8")
    before = path.read_bytes()
    uri, _ = opened(path, text)
    actions = actions_at(server, uri, {"line": 0, "character": 0}, only=["source.fixAll"])
    expected = run_cli(["check", "--fix", "--no-cache", "--stdin-filename", str(path), "-"], cwd=workspace,
                       input=text)
    assert expected.returncode in (0, 1), expected.stderr
    if expected.stdout == text:  # no safe fix: nothing offered
        assert actions == []
    else:
        assert [a["kind"] for a in actions] == ["source.fixAll.newslint"]
        assert apply_workspace_edit(text, actions[0]["edit"], uri, version=1) == expected.stdout
    assert path.read_bytes() == before  # the editor applies edits; the server writes no file


def test_a_quick_fix_applies_the_findings_own_edits(server, opened, workspace):
    path = OWN_POSTS[0]
    text = path.read_text(encoding="utf-8")
    uri, _ = opened(path, text)
    fixable = [v for v in check_json(path, text, workspace) if v["fix"] and v["fix"]["applicability"] == "safe"]
    assert len(fixable) >= 2
    for v in fixable[:3]:
        start = utf16_position(text, v["line"], v["column"])
        actions = actions_at(server, uri, start)
        mine = [a for a in actions if a["kind"] == "quickfix" and a["diagnostics"][0]["code"] == v["rule"]
                and a["diagnostics"][0]["message"] == v["message"] and "disable" not in a["title"]]
        assert len(mine) == 1, [a["title"] for a in actions]
        assert mine[0]["isPreferred"] is True
        assert apply_workspace_edit(text, mine[0]["edit"], uri, version=1) == apply_json_fix(text, v["fix"])


def test_disable_for_this_line_hides_the_finding_and_nothing_else(server, opened, workspace):
    path = OWN_POSTS[1]
    text = path.read_text(encoding="utf-8")
    uri, diagnostics = opened(path, text)
    target = next(d for d in diagnostics if d["code"] == "link-text-generic")
    actions = actions_at(server, uri, target["range"]["start"])
    disable = [a for a in actions if a["title"] == "newslint: disable `link-text-generic` for this line"]
    assert len(disable) == 1, [a["title"] for a in actions]
    new = apply_workspace_edit(text, disable[0]["edit"], uri, version=1)
    line = target["range"]["start"]["line"]
    assert new.splitlines()[line] == text.splitlines()[line] + " <!-- newslint-disable-line link-text-generic -->"
    server.change(uri, new, 2)
    after = server.diagnostics(uri, 2)
    assert Counter(from_lsp(d) for d in diagnostics) - Counter(from_lsp(d) for d in after) == Counter(
        [from_lsp(target)])
    assert len(after) == len(diagnostics) - 1
    assert sorted(from_lsp(d) for d in after) == sorted(as_lsp(new, v) for v in check_json(path, new, workspace))


def test_a_front_matter_finding_is_disabled_for_the_file(server, opened, workspace):
    path = OWN_POSTS[1]
    text = path.read_text(encoding="utf-8")
    uri, diagnostics = opened(path, text)
    target = next(d for d in diagnostics if d["code"] == "excerpt-repeats-title")
    actions = actions_at(server, uri, target["range"]["start"])
    titles = [a["title"] for a in actions]
    assert "newslint: disable `excerpt-repeats-title` for this file" in titles
    assert not any("for this line" in t for t in titles if "excerpt-repeats-title" in t)
    action = next(a for a in actions if a["title"] == "newslint: disable `excerpt-repeats-title` for this file")
    new = apply_workspace_edit(text, action["edit"], uri)
    assert "<!-- newslint-disable-file excerpt-repeats-title -->\n" in new
    remaining = check_json(path, new, workspace)
    assert [v["rule"] for v in remaining].count("excerpt-repeats-title") == 0
    assert len(remaining) == len(diagnostics) - 1


def test_hover_shows_the_rules_summary_over_its_finding(server, opened, workspace):
    path = OWN_POSTS[1]
    text = path.read_text(encoding="utf-8")
    uri, diagnostics = opened(path, text)
    target = next(d for d in diagnostics if d["code"] == "link-text-generic")
    hover = server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                  "position": target["range"]["start"]})
    assert hover["contents"]["kind"] == "markdown"
    assert RULES_BY_NAME["link-text-generic"].summary() in hover["contents"]["value"]
    assert "docs/rules/link-text-generic.md" in hover["contents"]["value"]
    assert hover["range"] == target["range"]
    empty_line = next(i for i, line in enumerate(text.splitlines()) if i > 10 and not line.strip())
    assert not any(d["range"]["start"]["line"] <= empty_line <= d["range"]["end"]["line"] for d in diagnostics)
    assert server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                                 "position": {"line": empty_line, "character": 0}}) is None


EMOJI_POST = ("---\ntitle: 해운대 🌊 야간 개장\n---\n\n"
              "🎉🎉 축하 <a href=\"https://example.kr\" target=\"_blank\">행사 안내</a>\n")


def test_columns_after_an_emoji_count_utf16_units_and_the_buffer_not_the_disk(server, opened, workspace):
    post = workspace / "emoji" / "2024-06-14-night.md"
    post.parent.mkdir()
    post.write_text("---\ntitle: clean\n---\n\nNothing to see.\n", encoding="utf-8")
    on_disk = post.read_bytes()
    uri, diagnostics = opened(post, EMOJI_POST)
    [v] = [v for v in check_json(post, EMOJI_POST, workspace) if v["rule"] == "link-target-blank-unsafe"]
    [d] = [d for d in diagnostics if d["code"] == "link-target-blank-unsafe"]
    assert d["range"]["start"] == {"line": 4, "character": v["column"] - 1 + 2}  # two emoji: one more unit each
    assert from_lsp(d) == as_lsp(EMOJI_POST, v)
    actions = actions_at(server, uri, d["range"]["start"], d["range"]["end"])
    [fix] = [a for a in actions if a["kind"] == "quickfix" and a["diagnostics"][0]["code"] == v["rule"]
             and "disable" not in a["title"]]
    assert apply_workspace_edit(EMOJI_POST, fix["edit"], uri) == apply_json_fix(EMOJI_POST, v["fix"])
    assert 'rel="noopener"' in apply_json_fix(EMOJI_POST, v["fix"])
    assert post.read_bytes() == on_disk


def test_typing_is_linted_once_it_pauses_and_the_nearest_config_applies(server, opened, workspace):
    site = workspace / "site"
    (site / "_posts").mkdir(parents=True)
    config = site / ".newslint.toml"
    config.write_text('ignore = ["editor-attributes"]\n', encoding="utf-8")
    post = site / "_posts" / "2024-06-14-spacer.md"
    text = "---\ntitle: 여백\n---\n\n<p data-ke-size=\"size16\">&nbsp;</p>\n\n본문.\n"
    uri, diagnostics = opened(post, text)
    assert sorted(d["code"] for d in diagnostics) == ["editor-spacer-paragraph"]
    assert sorted(from_lsp(d) for d in diagnostics) == sorted(
        as_lsp(text, v) for v in check_json(post, text, workspace))
    # The config file is edited (the next lint reads it again), then two
    # changes come in a row, as typing sends them: only the last is linted.
    config.write_text("ignore = []\n", encoding="utf-8")
    os.utime(config, ns=(config.stat().st_mtime_ns + 10**9,) * 2)
    server.change(uri, text + "\n<p>&nbsp;</p>\n", 2)
    server.change(uri, text, 3)
    after = server.diagnostics(uri, 3)
    assert sorted(d["code"] for d in after) == ["editor-attributes", "editor-spacer-paragraph"]
    assert [p["version"] for p in server.published(uri)] == [1, 3]  # version 2 was never linted


def test_bad_buffers_and_requests_never_stop_the_server(server, opened, workspace):
    broken = workspace / "broken"
    broken.mkdir()
    (broken / ".newslint.toml").write_text("ignore = [\n", encoding="utf-8")
    uri, diagnostics = opened(broken / "a.md", "---\ntitle: x\n---\nbody\n")
    assert [d["code"] for d in diagnostics] == ["config-error"]
    assert ".newslint.toml" in diagnostics[0]["message"]
    for i, text in enumerate(["\ud800 lone surrogate\n", "---\ntitle: [unclosed\n", "\x00\x01\x02" * 100,
                              "<!--" * 1000, "---\n" + "a: &x [*x]\n" * 5 + "---\n", ""]):
        uri, diagnostics = opened(workspace / f"bad-{i}.md", text)
        assert all(d["source"] == "newslint" for d in diagnostics)
        assert isinstance(actions_at(server, uri, {"line": 0, "character": 0}, {"line": 99, "character": 99}), list)
        server.request("textDocument/hover", {"textDocument": {"uri": uri},
                                              "position": {"line": 9999, "character": 9999}})
    unknown = (workspace / "never-opened.md").as_uri()
    assert actions_at(server, unknown, {"line": 0, "character": 0}) == []
    assert server.request("textDocument/hover", {"textDocument": {"uri": unknown},
                                                 "position": {"line": 0, "character": 0}}) is None
    answer = server.request_raw("textDocument/codeAction", {"textDocument": {"uri": unknown}})
    assert answer["error"]["code"] == -32602 and "$.params.range" in answer["error"]["message"]
    # In the log: a line saying what was wrong, never a traceback.
    log_text = (workspace / "server.log").read_text(errors="replace")
    assert "required field missing @ $.params.range" in log_text and "Traceback" not in log_text
    assert server.proc.poll() is None


def test_without_pygls_the_command_says_what_to_install(monkeypatch):
    monkeypatch.setitem(sys.modules, "pygls", None)
    monkeypatch.setitem(sys.modules, "pygls.lsp", None)
    monkeypatch.setitem(sys.modules, "pygls.lsp.server", None)
    result = run_cli(["server"])
    assert result.returncode == 2
    assert "install newslint[server]" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_new_config_file_applies_once_the_editor_says_it_appeared(server, opened, workspace):
    folder = workspace / "later"
    folder.mkdir()
    post = folder / "2024-06-14-later.md"
    text = "---\ntitle: 나중\n---\n\n<p data-ke-size=\"size16\">본문</p>\n"
    uri, diagnostics = opened(post, text)
    # asked for when the client said `initialized`, so before any diagnostics came
    [registration] = [r for r in server.server_requests if r["method"] == "client/registerCapability"]
    [watch] = registration["params"]["registrations"]
    assert watch["method"] == "workspace/didChangeWatchedFiles"
    assert ".newslint.toml" in watch["registerOptions"]["watchers"][0]["globPattern"]
    assert [d["code"] for d in diagnostics] == ["editor-attributes"]
    (folder / ".newslint.toml").write_text('ignore = ["editor-attributes"]\n', encoding="utf-8")
    server.notify("workspace/didChangeWatchedFiles",
                  {"changes": [{"uri": (folder / ".newslint.toml").as_uri(), "type": 1}]})
    assert server.diagnostics(uri, 1) == []


def test_a_client_that_prefers_utf8_gets_byte_columns(tmp_path):
    post = tmp_path / "2024-06-14-night.md"
    [v] = [v for v in check_json(post, EMOJI_POST, tmp_path) if v["rule"] == "link-target-blank-unsafe"]
    with open(tmp_path / "server.log", "wb") as log:
        client = LspClient(str(tmp_path), log)
        try:
            result = client.initialize(tmp_path.as_uri(), {"general": {"positionEncodings": ["utf-8", "utf-16"]}})
            assert result["capabilities"]["positionEncoding"] == "utf-8"
            client.open(post.as_uri(), EMOJI_POST)
            [d] = [d for d in client.diagnostics(post.as_uri(), 1) if d["code"] == v["rule"]]
        finally:
            client.close()
    line = EMOJI_POST.split("\n")[v["line"] - 1]
    assert d["range"]["start"] == {"line": v["line"] - 1,
                                   "character": len(line[:v["column"] - 1].encode("utf-8"))}
    assert d["range"]["start"]["character"] == v["column"] - 1 + 2 * 3 + 2 * 2  # two emoji, two syllables


def test_only_the_protocol_reaches_standard_output(monkeypatch):
    """A rule that prints (a plugin's, say) must not corrupt the stream the editor parses."""
    from newslint.server import protocol

    class Printing:
        def start_io(self, stdin, stdout):
            print("a stray print")
            stdout.write(b"Content-Length: 2\r\n\r\n{}")

    monkeypatch.setattr(protocol, "build_server", Printing)
    result = run_cli(["server"], text=False)
    assert result.returncode == 0
    assert result.stdout == b"Content-Length: 2\r\n\r\n{}"
    assert b"a stray print" in result.stderr


def test_an_unsaved_html_buffer_is_linted_as_html_and_saving_publishes_again(server, workspace):
    uri = "untitled:Untitled-1"
    # Markdown's image syntax is only text in HTML; the tag is an image in both.
    text = '---\ntitle: 초안\n---\n\n![](/a.png)\n<img src="/b.png">\n'
    server.open(uri, text, language="html")
    diagnostics = server.diagnostics(uri, 1)
    expected = check_json(workspace / "Untitled-1.html", text, workspace)
    assert sorted(from_lsp(d) for d in diagnostics) == sorted(as_lsp(text, v) for v in expected)
    assert [(d["code"], d["range"]["start"]["line"]) for d in diagnostics] == [("image-alt-missing", 5)]
    server.notify("textDocument/didSave", {"textDocument": {"uri": uri}})
    assert sorted(from_lsp(d) for d in server.diagnostics(uri, 1)) == sorted(from_lsp(d) for d in diagnostics)
    server.notify("textDocument/didClose", {"textDocument": {"uri": uri}})
    assert server.diagnostics(uri) == []


def test_an_unsafe_fix_is_offered_for_review_and_never_preferred(server, opened, workspace):
    path = OWN_POSTS[1]
    text = path.read_text(encoding="utf-8")
    uri, _ = opened(path, text)
    [v] = [v for v in check_json(path, text, workspace) if v["rule"] == "color-contrast"]
    assert v["fix"]["applicability"] == "unsafe"
    actions = actions_at(server, uri, utf16_position(text, v["line"], v["column"]))
    [fix] = [a for a in actions if a["diagnostics"][0]["code"] == "color-contrast" and "disable" not in a["title"]]
    assert fix["title"] == f"newslint: {v['fix']['message']} (unsafe fix: review it)"
    assert "isPreferred" not in fix
    assert apply_workspace_edit(text, fix["edit"], uri, version=1) == apply_json_fix(text, v["fix"])


def test_a_config_with_lang_ko_gets_korean_diagnostics_and_hover(server, opened, workspace):
    folder = workspace / "korean"
    folder.mkdir()
    (folder / ".newslint.toml").write_text('lang = "ko"\n', encoding="utf-8")
    post = folder / "post.md"
    text = "---\ntitle: 여백\n---\n\n<p data-ke-size=\"size16\">&nbsp;</p>\n\n본문.\n"
    uri, diagnostics = opened(post, text)
    english = {v["rule"]: v["message"] for v in check_json(post, text, workspace, "--lang", "en")}
    korean = {v["rule"]: v["message"] for v in check_json(post, text, workspace, "--lang", "ko")}
    assert diagnostics and {d["code"]: d["message"] for d in diagnostics} == korean != english
    d = diagnostics[0]
    hover = server.request("textDocument/hover", {"textDocument": {"uri": uri}, "position": d["range"]["start"]})
    assert re.search("[가-힣]", hover["contents"]["value"])
