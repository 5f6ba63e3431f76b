"""Front matter schemas: loading without stale state, the built-in schema as a
base for site schemas, the formats newslint checks, and the fast path that
says "valid" exactly when jsonschema does."""

from __future__ import annotations

import itertools
import json
import os
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from conftest import CORPUS, needs_shared
from newslint import formats
from newslint.config import Config, ConfigError, load_config
from newslint.document import Document
from newslint.linter import lint_document
from newslint.schema import BUILTIN, SchemaLoader, SchemaLoadError, builtin_schema, load_schema


def write(path: Path, text: str) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


def messages(text: str, config: Config) -> list[str]:
    config.select = ["front-matter-schema"]
    return [v.message for v in lint_document(Document.from_text(text), config)]


# -- no stale state ------------------------------------------------------------------
def test_a_changed_schema_file_gives_the_new_verdict_in_one_process(tmp_path):
    schema = write(tmp_path / "s.json", json.dumps({"type": "object", "required": ["aaaa"]}))
    loader = SchemaLoader()
    assert loader.load(str(schema)).errors({"aaaa": 1}) == []
    # Same size, and the same modification time: only the content differs.
    stat = schema.stat()
    write(schema, json.dumps({"type": "object", "required": ["bbbb"]}))
    os.utime(schema, ns=(stat.st_atime_ns, stat.st_mtime_ns))
    assert [e.message for e in loader.load(str(schema)).errors({"aaaa": 1})] == ["'bbbb' is a required property"]
    # Unchanged: the same loaded schema again.
    assert loader.load(str(schema)) is loader.load(str(schema))


def test_the_builtin_schema_file_is_looked_at_again_after_a_second(monkeypatch):
    import types

    from newslint import schema as schema_module

    loader = SchemaLoader()
    first = loader.load(None)
    now = [schema_module.time.monotonic()]
    monkeypatch.setattr(schema_module, "time", types.SimpleNamespace(monotonic=lambda: now[0]))
    looked: list[str] = []
    real = schema_module._signature
    monkeypatch.setattr(schema_module, "_signature", lambda p: looked.append(str(p)) or real(p))
    assert loader.load(None) is first and looked == []
    now[0] += 2  # unchanged after a second: looked at once, and kept
    assert loader.load(None) is first and len(looked) == 1
    assert loader.load(None) is first and len(looked) == 1
    now[0] += 2  # a changed signature (as after an edit): read again
    monkeypatch.setattr(schema_module, "_signature", lambda p: None)
    again = loader.load(None)
    assert again is not first and again.errors({"title": "t"}) == first.errors({"title": "t"})


def test_a_changed_referenced_file_gives_the_new_verdict(tmp_path):
    write(tmp_path / "defs.json", json.dumps({"$defs": {"name": {"type": "string"}}}))
    schema = write(tmp_path / "s.json", json.dumps({"properties": {"author": {"$ref": "defs.json#/$defs/name"}}}))
    loader = SchemaLoader()
    assert loader.load(str(schema)).errors({"author": "kim"}) == []
    write(tmp_path / "defs.json", json.dumps({"$defs": {"name": {"type": "number"}}}))
    assert [e.validator for e in loader.load(str(schema)).errors({"author": "kim"})] == ["type"]


def test_the_rule_sees_an_edited_site_schema(tmp_path):
    schema = write(tmp_path / "s.json", json.dumps({"type": "object", "required": ["title"]}))
    config = Config(front_matter_schema=schema)
    post = "---\ntitle: t\n---\nbody\n"
    assert messages(post, config) == []
    write(schema, json.dumps({"type": "object", "required": ["title", "author"]}))
    assert messages(post, config) == ["required key `author` is missing"]


def test_a_schema_broken_or_removed_after_the_config_check_is_reported_on_each_post(tmp_path):
    schema = write(tmp_path / "s.json", json.dumps({"type": "object"}))
    loader = SchemaLoader()
    loader.load(str(schema))
    write(schema, '{"type": "object",,}')
    with pytest.raises(SchemaLoadError, match="not valid JSON"):
        loader.load(str(schema))
    config = Config(front_matter_schema=schema)
    assert [m.split(":")[0] for m in messages("---\ntitle: t\n---\nbody\n", config)] == [
        "the front matter schema cannot be used"]
    schema.unlink()
    with pytest.raises(SchemaLoadError, match="cannot read"):
        loader.load(str(schema))
    assert len(messages("---\ntitle: t\n---\nbody\n", config)) == 1


def test_the_loader_keeps_at_most_its_size(tmp_path):
    loader = SchemaLoader(size=2)
    paths = [str(write(tmp_path / f"s{i}.json", json.dumps({"required": [f"k{i}"]}))) for i in range(3)]
    first = loader.load(paths[0])
    loader.load(paths[1])
    loader.load(paths[2])
    assert loader.load(paths[0]) is not first  # evicted, loaded again
    assert loader.load(paths[0]).errors({}) != []


# -- site schemas that build on the built-in one ------------------------------------
EXTENDS = {
    "$ref": BUILTIN,
    "required": ["author"],
    "properties": {"author": {"type": "string"}, "source": {"type": "string", "format": "uri"},
                   "topics": {"$ref": "newslint:post#/$defs/stringOrList"}},
}


def test_builtin_name_is_the_default_schemas_id():
    assert BUILTIN == "newslint:post" and builtin_schema()["$id"] == BUILTIN


def test_a_site_schema_extends_the_builtin_one(tmp_path):
    schema = load_schema(str(write(tmp_path / "s.json", json.dumps(EXTENDS))))
    assert schema.fast is not None  # the built-in part compiles too
    assert schema.errors({"title": "t", "author": "kim"}) == []

    def found(data):
        return sorted((list(e.absolute_path), e.validator) for e in schema.errors(data))
    assert found({"author": "kim"}) == [([], "required")]  # the built-in `title`
    assert found({"title": "t", "author": "kim", "published": "no"}) == [(["published"], "type")]
    assert found({"title": "t", "author": "kim", "date": "2024-13-45"}) == [(["date"], "format")]
    assert found({"title": "t"}) == [([], "required")]  # the site's `author`
    assert found({"title": "t", "author": "kim", "source": "not a uri"}) == [(["source"], "format")]
    assert found({"title": "t", "author": "kim", "topics": 3}) == [(["topics"], "anyOf")]


def test_a_key_both_schemas_require_is_reported_once(tmp_path):
    schema = write(tmp_path / "s.json", json.dumps({"$ref": BUILTIN, "required": ["title", "author"]}))
    assert messages("---\nauthor: kim\n---\nbody\n", Config(front_matter_schema=schema)) == [
        "required key `title` is missing"]


@pytest.mark.parametrize("ref,words", [
    ("newslint:other", "no built-in schema is called that"),
    ("https://example.com/s.json", "is not allowed"),
    ("file:///etc/passwd", "is not allowed"),
    ("/etc/x.json", "is not allowed"),
    ("../x.json", "leaves the schema's folder"),
])
def test_only_the_builtin_name_and_local_files_may_be_referred_to(tmp_path, ref, words):
    write(tmp_path / "x.json", "{}")
    schema = write(tmp_path / "site" / "s.json", json.dumps({"allOf": [{"$ref": ref}]}))
    with pytest.raises(SchemaLoadError, match=words):
        load_schema(str(schema))


def test_a_referenced_file_may_refer_to_its_neighbours_inside_the_folder(tmp_path):
    write(tmp_path / "sub" / "a.json", json.dumps({"$ref": "b.json"}))
    write(tmp_path / "sub" / "b.json", json.dumps({"type": "string"}))
    schema = load_schema(str(write(tmp_path / "s.json", json.dumps({"properties": {"x": {"$ref": "sub/a.json"}}}))))
    assert schema.errors({"x": "ok"}) == []
    assert [e.validator for e in schema.errors({"x": 1})] == ["type"]


def test_site_schema_extending_the_builtin_one_through_the_cli(tmp_path):
    write(tmp_path / "schemas" / "post.json", json.dumps(EXTENDS))
    write(tmp_path / "newslint.toml", 'front-matter-schema = "schemas/post.json"\nselect = ["front-matter-schema"]\n')
    write(tmp_path / "posts" / "good.md", "---\ntitle: 제목\nauthor: 김기자\nsource: https://example.com/a\n---\n본문\n")
    write(tmp_path / "posts" / "no-author.md", "---\ntitle: 제목\n---\n본문\n")
    write(tmp_path / "posts" / "bad-date.md", "---\ntitle: 제목\nauthor: 김\ndate: 2024-13-45\n---\n본문\n")
    write(tmp_path / "posts" / "bad-source.md", "---\ntitle: 제목\nauthor: 김\nsource: 'ht tp://x'\n---\n본문\n")
    proc = subprocess.run([sys.executable, "-m", "newslint", "check", "--no-cache", "--format", "json", "posts"],
                          cwd=tmp_path, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1, proc.stderr
    found = sorted((Path(v["path"]).name, v["line"], v["message"]) for v in json.loads(proc.stdout))
    assert found == [
        ("bad-date.md", 4, "`date`: '2024-13-45' is not a real date in a form Jekyll and Hugo read "
                           "(`2024-01-02`, `2024-01-02 10:00:00 +0900`)"),
        ("bad-source.md", 4, "`source`: 'ht tp://x' is not a valid uri"),
        ("no-author.md", 1, "required key `author` is missing"),
    ]


def test_config_refuses_an_unknown_builtin_name(tmp_path):
    write(tmp_path / "s.json", json.dumps({"$ref": "newslint:posts"}))
    write(tmp_path / "newslint.toml", 'front-matter-schema = "s.json"\n')
    with pytest.raises(ConfigError, match="newslint:post"):
        load_config(tmp_path)


# -- formats ---------------------------------------------------------------------------
FORMAT_CASES = {
    "date": (["2024-01-02", "2024-02-29", "2000-12-31"],
             ["2024-1-2", "2023-02-29", "2024-13-01", "2024-01-02T10:00:00Z", "02/01/2024", " 2024-01-02"]),
    "date-time": (["2024-01-02T10:00:00Z", "2024-01-02t10:00:00.5+09:00", "2016-12-31T23:59:60Z"],
                  ["2024-01-02 10:00:00 +0900", "2024-01-02T10:00Z", "2024-01-02T24:00:00Z",
                   "2024-02-30T10:00:00Z", "2024-01-02T10:00:00+25:00", "2024-01-02"]),
    "email": (["kim@example.com", "a.b+c@sub.example.co.kr", "root@localhost", "기자@언론.한국"],
              ["kim", "@example.com", "kim@", "kim@@example.com", "kim @example.com", "kim@example.com."]),
    "uri": (["https://example.com/a?b=c#d", "mailto:kim@example.com", "urn:isbn:0451450523",
             "http://[::1]:8080/", "https://example.com/%EB%B6%80%EC%82%B0"],
            ["/relative/path", "example.com", "https://example.com/부산", "http://exa mple.com",
             "https://example.com/a#b#c", "1http://x", "http://example.com:80a/", "https://example.com/%zz"]),
    "uri-reference": (["/relative/path", "../up", "page.html#top", "", "?q=1", "https://example.com/"],
                      ["a:b:c d", "/부산", "/a b", "x#a#b", "1st:segment/colon"]),
    "iri": (["https://example.com/부산", "https://ko.wikipedia.org/wiki/부산광역시"],
            ["/부산", "https://example.com/a b", "https://example.com/\u0085"]),
    "iri-reference": (["/부산", "부산.html", "https://example.com/부산"], ["/a b", "a:b c"]),
    "post-date": (["2024-01-02", "2024-1-2 10:00", "2024-01-02 10:00:00 +0900", "2024-01-02T10:00:00Z"],
                  ["2024-13-45", "2024-01-02 25:00", "11-9-2017"]),
}


@pytest.mark.parametrize("name", sorted(FORMAT_CASES))
def test_each_format_checker(name):
    check = formats.CHECKERS[name]
    good, bad = FORMAT_CASES[name]
    assert [v for v in good if not check(v)] == []
    assert [v for v in bad if check(v)] == []
    assert check(3) and check(None) and check(["x"])  # a format only constrains strings


def test_formats_ship_with_newslint_and_replace_jsonschemas():
    checker = formats.format_checker()
    for name, func in formats.CHECKERS.items():
        assert checker.checkers[name][0] is func


@pytest.mark.parametrize("name", sorted(FORMAT_CASES))
def test_formats_through_a_site_schema(tmp_path, name):
    schema = load_schema(str(write(tmp_path / "s.json", json.dumps({"properties": {"x": {"format": name}}}))))
    good, bad = FORMAT_CASES[name]
    for value in good:
        assert schema.errors({"x": value}) == [], value
    for value in bad:
        assert [e.validator for e in schema.errors({"x": value})] == ["format"], value
        assert [e.validator for e in schema.validator().iter_errors({"x": value})] == ["format"], value


# -- the fast path says "valid" exactly when jsonschema does -----------------------------
SITE_SCHEMA = {
    "type": "object",
    "required": ["title", "date", "author"],
    "properties": {
        "title": {"type": "string", "minLength": 1, "maxLength": 20},
        "date": {"type": "string", "format": "post-date"},
        "slug": {"type": "string", "pattern": "^[a-z0-9-]+$"},
        "tags": {"type": "array", "items": {"type": "string"}},
        "weight": {"type": "integer"},
        "meta": {"type": "object", "required": ["k"], "properties": {"k": {"type": ["string", "null"]}}},
        "cat": {"anyOf": [{"type": "null"}, {"$ref": "#/$defs/list"}]},
        "link": {"type": "string", "format": "uri"},
    },
    "$defs": {"list": {"type": "array", "items": {"type": ["string", "number"]}}},
}
FM_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-3, 3) | st.floats(allow_nan=False, allow_infinity=False, width=16)
    | st.sampled_from(["", "x", "제목", "2024-01-02", "2024-13-45", "2024-01-02 10:00:00 +0900", "a-b", "A B",
                       "x" * 25, "https://example.com/", "no uri"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(st.sampled_from(["k", "z"]), inner, max_size=2),
    max_leaves=6,
)
FM_KEYS = ["title", "date", "lastmod", "layout", "categories", "category", "tags", "image", "author", "published",
           "weight", "slug", "meta", "cat", "link", "topics", "source", "other"]


@pytest.fixture(scope="module")
def schemas(tmp_path_factory):
    folder = tmp_path_factory.mktemp("schema")
    out = {"default": load_schema(None)}
    for name, contents in (("site", SITE_SCHEMA), ("extends", EXTENDS)):
        out[name] = load_schema(str(write(folder / f"{name}.json", json.dumps(contents))))
    assert all(s.fast is not None for s in out.values())
    return out


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(FM_KEYS), FM_VALUES, max_size=6),
       st.sampled_from(["default", "site", "extends"]))
@example({}, "default")
@example({"title": 3, "date": "2024-13-45"}, "default")
@example({"date": 1, "slug": "A B", "tags": ["a", 2], "meta": {}}, "site")
@example({"title": "t", "author": "a", "source": "no uri"}, "extends")
def test_fast_path_agrees_with_jsonschema(schemas, data, schema):
    s = schemas[schema]
    assert s.fast(data) == (not list(s.validator().iter_errors(data))), data


def test_fast_path_on_every_key_of_the_default_schema():
    import datetime

    s = load_schema(None)
    scalars = [None, True, False, 0, 1, 1.5, 2.0, -3, "", "x", "2024-01-02", "2024-1-2 10:00", "2024-13-45x",
               "부산", datetime.date(2024, 1, 2), datetime.datetime(2024, 1, 2, 3, 4)]
    values = scalars + [[], ["a", 1], ["a", None], [True], {}, {"a": 1}, [["x"]]]
    keys = ["title", "date", "categories", "category", "tags", "published", "weight", "image", "author", "x"]
    seen = {True: 0, False: 0}
    for key, value in itertools.product(keys, values):
        for base in ({"title": "t"}, {}):
            data = {**base, key: value}
            verdict = s.fast(data)
            seen[verdict] += 1
            assert verdict == (not list(s.validator().iter_errors(data))), data
    assert seen[True] and seen[False]
    assert s.fast(["not", "a", "mapping"]) is False


@pytest.mark.parametrize("extra", [{"format": "ipv4"}, {"enum": ["a"]}, {"additionalProperties": False},
                                   {"$ref": "other.json#/x"}, {"if": {}, "then": {}},
                                   {"$id": "inner", "$ref": "#/$defs/x"}])
def test_fast_path_refuses_what_it_does_not_know(tmp_path, extra):
    write(tmp_path / "other.json", '{"x": {"type": "string"}}')
    schema = {"type": "object", "properties": {"title": {"type": "string", **extra}}, "$defs": {"x": {}}}
    assert load_schema(str(write(tmp_path / "s.json", json.dumps(schema)))).fast is None


@needs_shared
def test_fast_path_on_the_corpus():
    s = load_schema(None)
    checked = 0
    for path in sorted(CORPUS.rglob("*.md"))[::10]:
        fm = Document(str(path), path.read_bytes()).front_matter
        if fm is None or not fm.ok:
            continue
        checked += 1
        assert s.fast(fm.data) == (not list(s.validator().iter_errors(fm.data))), path
    assert checked > 100


def test_post_date_days_agree_with_the_calendar():
    import datetime

    from newslint.formats import is_date, is_post_date

    for year in ("0000", "0001", "1900", "2000", "2023", "2024", "9999"):
        for month in range(0, 14):
            for day in range(0, 33):
                try:
                    datetime.date(int(year), month, day)
                    real = True
                except ValueError:
                    real = False
                text = f"{year}-{month:02d}-{day:02d}"
                assert is_post_date(text) is real and is_date(text) is real
                assert is_post_date(f"{year}-{month}-{day} 10:00:00 +0900") is real


def _described(errors):
    return sorted((tuple(map(str, e.absolute_path)), e.validator, repr(e.validator_value), repr(e.instance), e.message)
                  for e in errors)


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow,
                                                                   HealthCheck.function_scoped_fixture])
@given(st.dictionaries(st.sampled_from(FM_KEYS), FM_VALUES, max_size=6),
       st.sampled_from(["default", "site", "extends"]))
@example({}, "default")
@example({"date": "11-9-2017"}, "default")
@example({"title": "t", "layout": 5, "published": "yes", "date": 3}, "default")
@example({"title": "t", "author": "a", "source": "no uri"}, "extends")
def test_errors_listed_without_jsonschema_are_jsonschemas(schemas, data, schema):
    s = schemas[schema]
    listed = s.explain(data) if s.explain is not None else None
    if listed is not None:
        assert _described(listed) == _described(s.validator().iter_errors(data)), data


def test_the_usual_failures_are_listed_without_jsonschema():
    s = load_schema(None)
    for data in ({}, {"date": "11-9-2017"}, {"title": "t", "date": "2024-13-45", "layout": 5, "draft": "no"},
                 {"title": "t", "tags": "a", "weight": "heavy"}):
        listed = s.explain(data)
        assert listed is not None and listed, data
        assert _described(listed) == _described(s.validator().iter_errors(data)), data
    # What only jsonschema words: a value failing an `anyOf` or a `minLength`.
    assert s.explain({"title": "t", "tags": [{}]}) is None
    assert s.explain({"title": ""}) is None
    assert s.explain(["not", "a", "mapping"]) is None


def test_a_run_that_lists_the_usual_failures_never_imports_jsonschema(tmp_path):
    post = tmp_path / "post.md"
    post.write_text("---\ndate: 11-9-2017\nlayout: 5\n---\nText.\n", encoding="utf-8")
    code = ("import sys; from newslint.document import Document; from newslint.config import Config; "
            "from newslint.linter import lint_document; "
            f"vs = lint_document(Document({str(post)!r}, open({str(post)!r}, 'rb').read()), Config()); "
            "print(sorted(v.message for v in vs if v.rule == 'front-matter-schema')); "
            "print('jsonschema' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout.splitlines()
    assert out[-1] == "False"
    assert "required key `title` is missing" in out[0] and "`layout` must be string or null" in out[0], out
