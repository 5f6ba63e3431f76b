"""Configuration: finding the file, every key, the CLI overrides, and every error path (exit 2)."""

from __future__ import annotations

import json
import pickle
import textwrap
from pathlib import Path

import pytest

from conftest import Result, run_cli
from newslint.config import Config, ConfigError, find_config_file, load_config
from newslint.document import Document
from newslint.linter import lint_document

POST = textwrap.dedent("""\
    ---
    title: 부산 해양 축제 개막
    date: 2024-08-01
    ---

    <p data-ke-size="size16">부산 해양 축제가 개막했습니다.</p>

    <img src="/img/festival.jpg">

    <a href="https://busan.example.kr" rel="dofollow">축제 안내</a>
    """)


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), "utf-8")
    return path


def run(args: list[str], cwd: Path) -> Result:
    # A handful of posts: one job (the worker pool has tests of its own; a -j in args wins).
    return run_cli([args[0], "-j", "1", *args[1:]] if args[0] == "check" else args, cwd=cwd)


def rules_in(cfg: Config, path: Path) -> set[str]:
    doc = Document(str(path), path.read_bytes())
    return {v.rule for v in lint_document(doc, cfg)}


def err(tmp_path: Path, toml: str, name: str = "newslint.toml") -> str:
    write(tmp_path / name, toml)
    with pytest.raises(ConfigError) as exc:
        load_config(tmp_path)
    return str(exc.value)


# -- the "Done means" scenario ----------------------------------------------------


def test_site_with_pyproject_gets_exactly_what_it_asked_for(tmp_path):
    write(tmp_path / "pyproject.toml", """\
        [project]
        name = "my-site"

        [tool.newslint]
        ignore = ["editor-attributes"]
        front-matter-schema = "schema/post.schema.json"

        [tool.newslint.per-file-ignores]
        "drafts/*" = ["image-alt-missing"]
        """)
    write(tmp_path / "schema" / "post.schema.json", json.dumps({
        "type": "object",
        "required": ["title", "author"],
        "properties": {"title": {"type": "string"}, "author": {"type": "string"}},
    }))
    write(tmp_path / "posts" / "festival.md", POST)
    write(tmp_path / "drafts" / "festival.md", POST)
    res = run(["check", "--no-cache", "--format", "json", "posts", "drafts"], tmp_path)
    assert res.returncode == 1, res.stderr
    found = json.loads(res.stdout)
    rules = {(Path(v["path"]).parts[0], v["rule"]) for v in found}
    # The ignored rule never reports; the per-file ignore holds only for drafts/*.
    assert not any(r == "editor-attributes" for _, r in rules)
    assert ("posts", "image-alt-missing") in rules
    assert ("drafts", "image-alt-missing") not in rules
    schema = [v for v in found if v["rule"] == "front-matter-schema"]
    assert len(schema) == 2  # one per post
    for v in schema:
        assert 1 <= v["line"] <= 4  # the front matter: lines 1-4 of these posts
        assert "author" in v["message"]
    # Sanity: without the config the same posts report editor-attributes.
    res = run(["check", "--no-cache", "--isolated", "--format", "json", "posts"], tmp_path)
    assert "editor-attributes" in {v["rule"] for v in json.loads(res.stdout)}
    assert "author" not in res.stdout


def test_select_one_rule_on_the_command_line(tmp_path):
    write(tmp_path / "post.md", POST)
    res = run(["check", "--no-cache", "--select", "link-rel-invalid", "--format", "json", "post.md"], tmp_path)
    assert res.returncode == 1
    assert {v["rule"] for v in json.loads(res.stdout)} == {"link-rel-invalid"}


def test_unknown_rule_on_the_command_line_exits_2_with_did_you_mean(tmp_path):
    write(tmp_path / "post.md", POST)
    res = run(["check", "--select", "link-rel-invalde", "post.md"], tmp_path)
    assert res.returncode == 2
    assert "link-rel-invalde" in res.stderr and "did you mean `link-rel-invalid`" in res.stderr
    assert "Traceback" not in res.stderr


def test_broken_pyproject_exits_2_naming_file_and_line(tmp_path):
    write(tmp_path / "pyproject.toml", """\
        [tool.newslint]
        select = ["image-alt-missing"
        ignore = []
        """)
    write(tmp_path / "post.md", POST)
    res = run(["check", "post.md"], tmp_path)
    assert res.returncode == 2
    assert "pyproject.toml:" in res.stderr and "invalid TOML" in res.stderr
    assert "Traceback" not in res.stderr


# -- finding the file ------------------------------------------------------------------


def test_config_found_from_a_subfolder_upward(tmp_path):
    write(tmp_path / "newslint.toml", 'ignore = ["image-alt-missing"]\n')
    sub = tmp_path / "a" / "b"
    sub.mkdir(parents=True)
    cfg = load_config(sub)
    assert cfg.source == (tmp_path / "newslint.toml").resolve()
    assert cfg.root == tmp_path.resolve()
    assert cfg.ignore == ["image-alt-missing"]


def test_dot_file_wins_over_newslint_toml_and_pyproject(tmp_path):
    write(tmp_path / "pyproject.toml", '[tool.newslint]\nignore = ["link-rel-invalid"]\n')
    write(tmp_path / "newslint.toml", 'ignore = ["image-alt-missing"]\n')
    assert load_config(tmp_path).ignore == ["image-alt-missing"]
    write(tmp_path / ".newslint.toml", 'ignore = ["editor-attributes"]\n')
    assert load_config(tmp_path).ignore == ["editor-attributes"]


def test_pyproject_without_a_newslint_table_is_passed_over(tmp_path):
    write(tmp_path / "newslint.toml", 'ignore = ["image-alt-missing"]\n')
    sub = tmp_path / "pkg"
    write(sub / "pyproject.toml", '[project]\nname = "x"\n')
    assert find_config_file(sub) == tmp_path / "newslint.toml"
    assert load_config(sub).ignore == ["image-alt-missing"]


def test_no_config_anywhere_gives_defaults(tmp_path):
    cfg = load_config(tmp_path)
    assert cfg.source is None and cfg.select is None and cfg.ignore == []


def test_config_of_the_checked_folder_is_used_when_cwd_has_none(tmp_path):
    site = tmp_path / "site"
    write(site / "newslint.toml", 'ignore = ["image-alt-missing"]\n')
    write(site / "post.md", POST)
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    res = run(["check", "--no-cache", "--format", "json", str(site / "post.md")], elsewhere)
    assert "image-alt-missing" not in {v["rule"] for v in json.loads(res.stdout)}


def test_config_flag_names_the_file_and_isolated_ignores_all(tmp_path):
    write(tmp_path / "newslint.toml", 'ignore = ["image-alt-missing"]\n')
    other = write(tmp_path / "conf" / "strict.toml", 'select = ["link-rel-invalid"]\n')
    assert load_config(tmp_path, config_file=other).select == ["link-rel-invalid"]
    assert load_config(tmp_path, isolated=True).ignore == []
    with pytest.raises(ConfigError, match="cannot be used together"):
        load_config(tmp_path, config_file=other, isolated=True)
    with pytest.raises(ConfigError, match="config file not found"):
        load_config(tmp_path, config_file=tmp_path / "missing.toml")
    write(tmp_path / "post.md", POST)
    res = run(["check", "--no-cache", "--config", str(other), "--format", "json", "post.md"], tmp_path)
    assert {v["rule"] for v in json.loads(res.stdout)} == {"link-rel-invalid"}
    res = run(["check", "--no-cache", "--isolated", "--format", "json", "post.md"], tmp_path)
    assert "image-alt-missing" in {v["rule"] for v in json.loads(res.stdout)}


def test_config_flag_may_name_a_pyproject(tmp_path):
    p = write(tmp_path / "x" / "pyproject.toml", '[tool.newslint]\nselect = ["NL301"]\n')
    assert load_config(tmp_path, config_file=p).select == ["link-rel-invalid"]
    bare = write(tmp_path / "y" / "pyproject.toml", '[project]\nname = "y"\n')
    assert load_config(tmp_path, config_file=bare).select is None


# -- every key ---------------------------------------------------------------------------


def test_select_accepts_names_and_codes(tmp_path):
    write(tmp_path / "newslint.toml", 'select = ["image-alt-missing", "NL301"]\n')
    post = write(tmp_path / "post.md", POST)
    cfg = load_config(tmp_path)
    assert cfg.select == ["image-alt-missing", "link-rel-invalid"]
    assert rules_in(cfg, post) == {"image-alt-missing", "link-rel-invalid"}


def test_ignore_and_extend_select(tmp_path):
    write(tmp_path / "newslint.toml", """\
        select = ["image-alt-missing", "link-rel-invalid"]
        ignore = ["link-rel-invalid"]
        extend-select = ["editor-attributes"]
        """)
    post = write(tmp_path / "post.md", POST)
    assert rules_in(load_config(tmp_path), post) == {"image-alt-missing", "editor-attributes"}


def test_per_file_ignores_globs_are_relative_to_the_config(tmp_path):
    write(tmp_path / "newslint.toml", """\
        [per-file-ignores]
        "drafts/*" = ["image-alt-missing", "NL301"]
        """)
    draft = write(tmp_path / "drafts" / "a.md", POST)
    post = write(tmp_path / "posts" / "a.md", POST)
    cfg = load_config(tmp_path / "posts")
    assert {"image-alt-missing", "link-rel-invalid"} <= rules_in(cfg, post)
    got = rules_in(cfg, draft)
    assert "image-alt-missing" not in got and "link-rel-invalid" not in got
    assert "editor-attributes" in got


def test_severity_override(tmp_path):
    write(tmp_path / "newslint.toml", """\
        [severity]
        image-alt-missing = "error"
        NL301 = "info"
        """)
    post = write(tmp_path / "post.md", POST)
    cfg = load_config(tmp_path)
    doc = Document(str(post), post.read_bytes())
    sev = {v.rule: v.severity for v in lint_document(doc, cfg)}
    assert sev["image-alt-missing"] == "error"
    assert sev["link-rel-invalid"] == "info"


def test_include_and_exclude(tmp_path):
    write(tmp_path / "newslint.toml", 'include = ["*.md", "*.txt"]\nexclude = ["drafts"]\n')
    cfg = load_config(tmp_path)
    assert cfg.include == ["*.md", "*.txt"] and cfg.exclude == ["drafts"]
    write(tmp_path / "posts" / "a.md", POST)
    write(tmp_path / "posts" / "b.txt", POST)
    write(tmp_path / "posts" / "drafts" / "c.md", POST)
    res = run(["check", "--no-cache", "--select", "image-alt-missing", "--format", "json", "posts"], tmp_path)
    paths = {Path(v["path"]).name for v in json.loads(res.stdout)}
    assert paths == {"a.md", "b.txt"}


def test_rule_options(tmp_path):
    write(tmp_path / "newslint.toml", """\
        [rules.link-rel-invalid]
        extra_allowed = ["dofollow"]

        [rules.excerpt-duplicates-feature-text]
        threshold = 1

        [rules.image-alt-quality]
        max_length = 40
        """)
    post = write(tmp_path / "post.md", POST)
    cfg = load_config(tmp_path)
    assert cfg.options_for(cfg.rule("link-rel-invalid"))["extra_allowed"] == ["dofollow"]
    assert cfg.options_for(cfg.rule("excerpt-duplicates-feature-text"))["threshold"] == 1
    assert cfg.options_for(cfg.rule("image-alt-quality"))["max_length"] == 40
    assert "link-rel-invalid" not in rules_in(cfg, post)


def test_front_matter_schema_with_local_ref(tmp_path):
    write(tmp_path / "schemas" / "defs.json", json.dumps({"$defs": {"name": {"type": "string", "minLength": 2}}}))
    write(tmp_path / "schemas" / "post.json", json.dumps({
        "type": "object", "required": ["author"],
        "properties": {"author": {"$ref": "defs.json#/$defs/name"}},
    }))
    write(tmp_path / "newslint.toml", 'front-matter-schema = "schemas/post.json"\nselect = ["front-matter-schema"]\n')
    cfg = load_config(tmp_path)
    assert cfg.front_matter_schema == (tmp_path / "schemas" / "post.json").resolve()
    post = write(tmp_path / "p.md", "---\ntitle: x\nauthor: K\n---\nbody\n")
    doc = Document(str(post), post.read_bytes())
    found = lint_document(doc, cfg)
    assert [(v.line, v.rule) for v in found] == [(3, "front-matter-schema")]
    assert "author" in found[0].message


def test_site_packs_key(tmp_path):
    write(tmp_path / "packs" / "house.yaml", """\
        rules:
          - name: house-no-breaking
            message: "`{match}` is reserved for real emergencies"
            summary: The word 속보 in a title.
            scope: title
            tokens: ['속보']
        """)
    write(tmp_path / "newslint.toml", 'packs = ["packs/house.yaml"]\n[severity]\nhouse-no-breaking = "error"\n')
    cfg = load_config(tmp_path)
    assert "house-no-breaking" in [r.name for r in cfg.enabled_rules()]
    post = write(tmp_path / "p.md", "---\ntitle: 속보 광안대교 통제\n---\n본문\n")
    doc = Document(str(post), post.read_bytes())
    v = [v for v in lint_document(doc, cfg) if v.rule == "house-no-breaking"]
    assert [(x.line, x.column, x.severity) for x in v] == [(2, 8, "error")]


# -- CLI overrides -------------------------------------------------------------------------


def test_cli_select_replaces_the_file_selection(tmp_path):
    write(tmp_path / "newslint.toml", 'select = ["image-alt-missing"]\nignore = ["link-rel-invalid"]\nextend-select = ["editor-attributes"]\n')
    cfg = load_config(tmp_path, select=["link-rel-invalid"])
    assert [r.name for r in cfg.enabled_rules()] == ["link-rel-invalid"]


def test_cli_ignore_and_extend_select_add_to_the_file(tmp_path):
    write(tmp_path / "newslint.toml", 'select = ["image-alt-missing", "link-rel-invalid"]\n')
    cfg = load_config(tmp_path, ignore=["NL301"], extend_select=["editor-attributes,front-matter-schema"])
    assert {r.name for r in cfg.enabled_rules()} == {"image-alt-missing", "editor-attributes", "front-matter-schema"}


def test_cli_flags_are_comma_separated_and_repeatable(tmp_path):
    write(tmp_path / "post.md", POST)
    res = run(["check", "--no-cache", "--isolated", "--select", "image-alt-missing,link-rel-invalid",
               "--select", "editor-attributes", "--ignore", "editor-attributes", "--format", "json", "post.md"], tmp_path)
    assert {v["rule"] for v in json.loads(res.stdout)} == {"image-alt-missing", "link-rel-invalid"}
    res = run(["check", "--no-cache", "--isolated", "--select", "image-alt-missing",
               "--extend-select", "NL301", "--format", "json", "post.md"], tmp_path)
    assert {v["rule"] for v in json.loads(res.stdout)} == {"image-alt-missing", "link-rel-invalid"}
    for flag in ("--ignore", "--extend-select"):
        res = run(["check", "--isolated", flag, "nope-rule", "post.md"], tmp_path)
        assert res.returncode == 2 and "nope-rule" in res.stderr


# -- error paths ----------------------------------------------------------------------------


def test_syntax_error_names_the_line(tmp_path):
    msg = err(tmp_path, 'select = ["a"]\n\nignore = [\n  "x",\n  = 3\n')
    assert "newslint.toml:5:" in msg and "invalid TOML" in msg


def test_unknown_key_with_did_you_mean_and_line(tmp_path):
    msg = err(tmp_path, '# site config\nselect = ["image-alt-missing"]\nextend_select = ["NL301"]\n')
    assert "newslint.toml:3:" in msg
    assert "unknown key `extend_select`" in msg and "did you mean `extend-select`" in msg


def test_unknown_key_in_pyproject_names_the_line(tmp_path):
    msg = err(tmp_path, '[project]\nname = "x"\n\n[tool.newslint]\nignore = []\nselcet = []\n', "pyproject.toml")
    assert "pyproject.toml:6:" in msg and "tool.newslint.selcet" in msg and "did you mean `select`" in msg


@pytest.mark.parametrize("toml, line, words", [
    ('select = "image-alt-missing"\n', 1, ["`select` must be a list of strings", "a string"]),
    ('ignore = [1, 2]\n', 1, ["`ignore` must be a list of strings"]),
    ('\ninclude = 3\n', 2, ["`include` must be a list of strings", "an integer"]),
    ('exclude = {a = 1}\n', 1, ["`exclude` must be a list of strings"]),
    ('per-file-ignores = ["x"]\n', 1, ["`per-file-ignores` must be a table"]),
    ('[per-file-ignores]\n"drafts/*" = "image-alt-missing"\n', 2, ["must be a list of strings"]),
    ('severity = "error"\n', 1, ["`severity` must be a table"]),
    ('[severity]\nimage-alt-missing = "fatal"\n', 2, ["must be one of", "'fatal'"]),
    ('front-matter-schema = 3\n', 1, ["must be a path"]),
    ('rules = 3\n', 1, ["`rules` must be a table"]),
    ('[rules]\nimage-alt-quality = 3\n', 2, ["must be a table of options"]),
    ('[rules.image-alt-quality]\nmax_length = "long"\n', 2, ["max_length` must be an integer, not a string"]),
    ('[rules.image-alt-quality]\nmax_length = true\n', 2, ["must be an integer, not a boolean"]),
    ('[rules.excerpt-duplicates-feature-text]\n\nthreshold = "high"\n', 3, ["threshold` must be a number"]),
    ('[rules.link-rel-invalid]\nextra_allowed = [1]\n', 2, ["extra_allowed` must be a list of strings"]),
    ('packs = "x.yaml"\n', 1, ["`packs` must be a list of strings"]),
])
def test_wrong_types_name_key_and_line(tmp_path, toml, line, words):
    msg = err(tmp_path, toml)
    assert f"newslint.toml:{line}:" in msg, msg
    for w in words:
        assert w in msg, msg


@pytest.mark.parametrize("toml, line, bad, hint", [
    ('select = ["image-alt-mising"]\n', 1, "image-alt-mising", "image-alt-missing"),
    ('ignore = ["NL3O1"]\n', 1, "NL3O1", "NL301"),
    ('extend-select = ["link-rel"]\n', 1, "link-rel", "link-rel-invalid"),
    ('[per-file-ignores]\n"a/*" = ["link-rel-invalide"]\n', 2, "link-rel-invalide", "link-rel-invalid"),
    ('[severity]\nimage-alt-mising = "error"\n', 2, "image-alt-mising", "image-alt-missing"),
    ('[rules.image-alt-qualty]\nmax_length = 3\n', 1, "image-alt-qualty", "image-alt-quality"),
])
def test_unknown_rule_names_with_did_you_mean(tmp_path, toml, line, bad, hint):
    msg = err(tmp_path, toml)
    assert f"newslint.toml:{line}:" in msg, msg
    assert f"unknown rule `{bad}`" in msg and f"did you mean `{hint}`" in msg, msg


def test_unknown_rule_option_with_did_you_mean(tmp_path):
    msg = err(tmp_path, '[rules.image-alt-quality]\nmax_lenght = 3\n')
    assert "newslint.toml:2:" in msg and "unknown option" in msg and "did you mean `max_length`" in msg


def test_option_line_found_in_a_dotted_table(tmp_path):
    msg = err(tmp_path, '[rules]\nimage-alt-quality.max_length = "x"\n')
    assert "newslint.toml:2:" in msg


def test_schema_problems_exit_2_naming_the_config_line(tmp_path):
    write(tmp_path / "s" / "bad.json", '{"type": "object",\n "required": "title"\n}')
    msg = err(tmp_path, '\nfront-matter-schema = "s/bad.json"\n')
    assert "newslint.toml:2:" in msg and "not a valid JSON Schema" in msg
    write(tmp_path / "s" / "broken.json", '{"type": "object",,}')
    msg = err(tmp_path, 'front-matter-schema = "s/broken.json"\n')
    assert "not valid JSON" in msg and "broken.json:1:" in msg
    msg = err(tmp_path, 'front-matter-schema = "s/missing.json"\n')
    assert "file not found" in msg


@pytest.mark.parametrize("ref", [
    "https://example.com/s.json",
    "http://127.0.0.1:9/s.json",
    "file:///etc/passwd",
    "/etc/passwd",
    "../../../etc/passwd",
    "../outside.json",
])
def test_schema_ref_may_only_point_beside_the_schema(tmp_path, ref):
    write(tmp_path / "outside.json", "{}")
    write(tmp_path / "s" / "post.json", json.dumps({"properties": {"author": {"$ref": ref}}}))
    msg = err(tmp_path, 'front-matter-schema = "s/post.json"\n')
    assert "newslint.toml:1:" in msg and "$ref" in msg


def test_schema_ref_never_touches_the_network(tmp_path):
    import http.server
    import threading

    hits = []

    class Handler(http.server.BaseHTTPRequestHandler):
        def do_GET(self):  # noqa: N802
            hits.append(self.path)
            self.send_response(200)
            self.end_headers()
            self.wfile.write(b"{}")

        def log_message(self, *args):
            pass

    server = http.server.HTTPServer(("127.0.0.1", 0), Handler)
    t = threading.Thread(target=server.serve_forever, daemon=True)
    t.start()
    try:
        url = f"http://127.0.0.1:{server.server_address[1]}/s.json"
        write(tmp_path / "s" / "post.json", json.dumps({"properties": {"a": {"$ref": url}}}))
        write(tmp_path / "newslint.toml", 'front-matter-schema = "s/post.json"\n')
        write(tmp_path / "p.md", "---\ntitle: x\na: 1\n---\n")
        res = run(["check", "--no-cache", "p.md"], tmp_path)
        assert res.returncode == 2 and "$ref" in res.stderr
        # Also when the schema is set directly as a rule option, bypassing the config check.
        cfg = Config(select=["front-matter-schema"], rule_options={"front-matter-schema": {"schema_path": str(tmp_path / "s" / "post.json")}})
        doc = Document.from_text("---\ntitle: x\na: 1\n---\n")
        found = lint_document(doc, cfg)
        assert found and "cannot be used" in found[0].message
    finally:
        server.shutdown()
    assert hits == []


def test_schema_with_unknown_format_is_a_config_error(tmp_path):
    write(tmp_path / "s.json", json.dumps({"properties": {"x": {"type": "string", "format": "no-such-format"}}}))
    msg = err(tmp_path, 'front-matter-schema = "s.json"\n')
    assert "no-such-format" in msg


def test_schema_pattern_runs_with_a_time_limit(tmp_path):
    write(tmp_path / "s.json", json.dumps({"properties": {"slug": {"type": "string", "pattern": "^(a|a)*$"}}}))
    write(tmp_path / "newslint.toml", 'front-matter-schema = "s.json"\nselect = ["front-matter-schema"]\n')
    cfg = load_config(tmp_path)
    doc = Document.from_text("---\ntitle: x\nslug: " + "a" * 40 + "!\n---\n")
    found = lint_document(doc, cfg)
    assert [v.line for v in found] == [3]


def test_schema_file_option_is_relative_to_the_config(tmp_path):
    write(tmp_path / "conf" / "s.json", json.dumps({"required": ["author"]}))
    write(tmp_path / "conf" / "newslint.toml", '[rules.front-matter-schema]\nschema_path = "s.json"\n')
    cfg = load_config(tmp_path, config_file=tmp_path / "conf" / "newslint.toml")
    assert cfg.rule_options["front-matter-schema"]["schema_path"] == str((tmp_path / "conf" / "s.json").resolve())


def test_site_pack_name_clash_is_an_error(tmp_path):
    write(tmp_path / "p.yaml", """\
        rules:
          - name: image-alt-missing
            message: m
            summary: s
            scope: body
            tokens: [x]
        """)
    msg = err(tmp_path, 'packs = ["p.yaml"]\n')
    assert "already taken" in msg and "image-alt-missing" in msg
    write(tmp_path / "q.yaml", """\
        rules:
          - name: house-x
            code: NL201
            message: m
            summary: s
            scope: body
            tokens: [x]
        """)
    msg = err(tmp_path, 'packs = ["q.yaml"]\n')
    assert "NL201" in msg and "already taken" in msg
    msg = err(tmp_path, 'packs = ["missing.yaml"]\n')
    assert "file not found" in msg


def test_config_errors_from_the_cli_never_show_a_traceback(tmp_path):
    write(tmp_path / "newslint.toml", '[rules.image-alt-quality]\nmax_length = "x"\n')
    write(tmp_path / "post.md", POST)
    res = run(["check", "post.md"], tmp_path)
    assert res.returncode == 2
    assert res.stderr.startswith("newslint: error: ") and "newslint.toml:2:" in res.stderr
    assert "Traceback" not in res.stderr


# -- the config in workers and the cache ---------------------------------------------------


def test_config_pickles_and_fingerprint_is_stable(tmp_path):
    write(tmp_path / "s.json", json.dumps({"required": ["author"]}))
    write(tmp_path / "p.yaml", "rules:\n  - name: house-a\n    message: m\n    summary: s\n    scope: body\n    tokens: [x]\n")
    write(tmp_path / "newslint.toml", 'front-matter-schema = "s.json"\npacks = ["p.yaml"]\nignore = ["NL301"]\n')
    cfg = load_config(tmp_path)
    again = pickle.loads(pickle.dumps(cfg))
    assert again.fingerprint() == cfg.fingerprint() == load_config(tmp_path).fingerprint()
    assert [r.name for r in again.enabled_rules()] == [r.name for r in cfg.enabled_rules()]
    before = cfg.fingerprint()
    write(tmp_path / "s.json", json.dumps({"required": ["author", "date"]}))
    assert cfg.fingerprint() != before  # the schema's content counts
    before = cfg.fingerprint()
    write(tmp_path / "p.yaml", "rules:\n  - name: house-a\n    message: m\n    summary: s\n    scope: body\n    tokens: [y]\n")
    assert cfg.fingerprint() != before  # so does a pack's
    assert load_config(tmp_path, select=["image-alt-missing"]).fingerprint() != cfg.fingerprint()


def test_rule_options_may_be_written_in_kebab_case(tmp_path):
    write(tmp_path / "newslint.toml", """\
        [rules.image-alt-quality]
        max-length = 20
        """)
    cfg = load_config(tmp_path)
    assert cfg.options_for(cfg.rule("image-alt-quality"))["max_length"] == 20


def test_the_built_in_index_is_what_the_registry_builds():
    from newslint.registry import Registry
    from newslint.ruleindex import BUILTIN_INDEX

    built = Registry.build((), plugins=False).rules
    assert list(BUILTIN_INDEX) == [(r.name, r.code, tuple(r.tags)) for r in built]


@pytest.mark.parametrize("item", ["ALL", "image-alt-missing", "NL101", "nl101", "NL1", "nl3", "images", "front-matter",
                                  "site", "promo-click-here", "NL70", "no-such-rule", "NL999", "NL", "ALLX", ""])
def test_a_selector_resolves_the_same_without_the_registry(item):
    from newslint.ruleindex import selector_of

    without = Config()
    got = selector_of(without, item)
    assert without._registry is None or got is None  # known selectors never build the registry
    with_registry = Config()
    with_registry.registry()
    matched = with_registry.matching(item)
    rule = with_registry.rule(item)
    assert got == ((rule.name if rule is not None else item) if matched else None)
