"""Rule packs: the shipped promo pack, every scope and kind, site packs and their error paths."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest
import regex

from newslint.config import Config, ConfigError, load_config
from newslint.document import Document
from newslint.linter import lint_document
from newslint.packs import (
    MATCH_TIMEOUT,
    REQUIRED_RULE_KEYS,
    PackError,
    PackSource,
    load_shipped_packs,
    load_site_packs,
    parse_pack,
    shipped_packs,
)
from conftest import ALL_RULES, RULES_BY_NAME

from conftest import CORPUS, REFERENCE, needs_shared, run_cli

PROMO = ("promo-news-footer", "promo-click-here", "promo-engagement-bait")


def lint(text: str, select, path="post.md", config: Config | None = None):
    config = config or Config()
    config.select = list(select)
    return lint_document(Document.from_text(text, path), config)


def pack(body: str, name="site.yaml", require_code=False):
    return parse_pack(PackSource(name, textwrap.dedent(body)), require_code=require_code)


def site(tmp_path: Path, body: str) -> Config:
    (tmp_path / "pack.yaml").write_text(textwrap.dedent(body), "utf-8")
    (tmp_path / "newslint.toml").write_text('packs = ["pack.yaml"]\n', "utf-8")
    return load_config(tmp_path)


# -- the shipped pack ---------------------------------------------------------------


def test_shipped_pack_rules_are_registered_like_any_rule():
    names = [r.name for r in ALL_RULES]
    for n in PROMO:
        assert n in names
    codes = {RULES_BY_NAME[n].code for n in PROMO}
    assert codes == {"NL701", "NL702", "NL703"}
    assert RULES_BY_NAME["promo-engagement-bait"].severity == "info"
    assert RULES_BY_NAME["promo-click-here"].summary()
    assert [s.label for s in shipped_packs()] == ["rules/packs/promo.yaml"]


@needs_shared
def test_reference_post_footer_is_reported():
    doc = Document(str(REFERENCE), REFERENCE.read_bytes())
    found = [v for v in lint_document(doc, Config(select=list(PROMO)))]
    last = len(doc.text.rstrip("\n").split("\n"))
    assert [(v.line, v.column, v.rule) for v in found] == [(last, 1, "promo-news-footer")]
    assert "실시간 뉴스 속보는" in found[0].message


@needs_shared
def test_promo_pack_is_quiet_on_the_korean_corpus():
    # Korean posts from real blogs: no promo finding at all (precision first).
    files = sorted(p for p in (CORPUS / "ko-tistory").rglob("*") if p.suffix in (".md", ".markdown", ".html"))
    files += sorted(p for p in (CORPUS / "ko-blogs").rglob("*") if p.suffix in (".md", ".markdown", ".html"))
    assert files
    cfg = Config(select=list(PROMO))
    hits = []
    for p in files:
        doc = Document(str(p), p.read_bytes())
        hits += [(str(p), v.line, v.rule) for v in lint_document(doc, cfg)]
    assert hits == []


def test_footer_needs_a_link_right_after_it():
    post = "---\ntitle: t\n---\n\n실시간 뉴스 속보는 재난 문자로도 받을 수 있습니다.\n"
    assert lint(post, PROMO) == []
    post = "---\ntitle: t\n---\n\n실시간 뉴스 속보는, [예시](https://example.kr)\n"
    assert [(v.line, v.column, v.rule) for v in lint(post, PROMO)] == [(5, 1, "promo-news-footer")]


def test_click_here_only_when_it_is_the_whole_link_text():
    post = textwrap.dedent("""\
        ---
        title: t
        ---

        [click here](https://a.example) and [click here to read the report](https://b.example)

        <a href="https://c.example">여기를 눌러주세요</a> / <a href="https://d.example">여기를 클릭하면 보이는 화면</a>
        """)
    got = [(v.line, v.column) for v in lint(post, ["promo-click-here"])]
    assert got == [(5, 2), (7, 29)]


def test_click_here_in_code_is_not_reported():
    post = "---\ntitle: t\n---\n\n`[click here](x)`\n\n```\n<a href=\"x\">click here</a>\n```\n"
    assert lint(post, PROMO) == []


def test_engagement_bait_in_an_html_post():
    post = "---\ntitle: t\n---\n<p>좋아요와 구독 부탁드려요</p>\n<script>var s = '구독과 좋아요';</script>\n"
    got = [(v.line, v.column, v.rule) for v in lint(post, PROMO, path="post.html")]
    assert got == [(4, 4, "promo-engagement-bait")]


def test_pack_rules_obey_severity_ignore_and_suppression():
    post = "---\ntitle: t\n---\n\n<!-- newslint-disable-next-line NL702 -- 캠페인 페이지 -->\n[click here](https://a.example)\n\n[Click here](https://b.example)\n"
    cfg = Config(severity={"promo-click-here": "error"})
    got = lint(post, ["promo-click-here", "unused-suppression"], config=cfg)
    assert [(v.line, v.rule, v.severity) for v in got] == [(8, "promo-click-here", "error")]
    assert lint(post, ["promo-click-here"], config=Config(ignore=["promo-click-here"])) == []


# -- scopes and kinds, through site packs ------------------------------------------------


SCOPED = """\
    rules:
      - name: house-word
        message: "avoid `{match}`"
        summary: s
        scope: [title, excerpt, body, alt, link]
        tokens: ['단독']
    """


def test_every_scope_reports_at_the_exact_position(tmp_path):
    cfg = site(tmp_path, SCOPED)
    post = textwrap.dedent("""\
        ---
        title: "단독 보도"
        excerpt: >
          이번 단독 인터뷰에서
        ---

        ## 단독 인터뷰

        본문의 단독 표현과 ![단독 사진](a.jpg) 그리고 [단독 링크](https://x.example).

        <img src="b.jpg" alt="사진 단독"> <a href="https://y.example"><b>단독</b> 기사</a>

        `단독` 코드는 제외

        ```
        단독
        ```
        """)
    got = [(v.line, v.column) for v in lint(post, ["house-word"], config=cfg)]
    assert got == [(2, 9), (4, 6), (7, 4), (9, 5), (9, 14), (9, 33), (11, 26), (11, 62)]


def test_title_scope_in_toml_front_matter(tmp_path):
    cfg = site(tmp_path, SCOPED.replace("[title, excerpt, body, alt, link]", "title"))
    post = '+++\ntitle = "오늘의 단독"\n+++\n단독\n'
    assert [(v.line, v.column) for v in lint(post, ["house-word"], config=cfg)] == [(2, 14)]


def test_substitution_names_the_suggestion(tmp_path):
    cfg = site(tmp_path, """\
        rules:
          - name: house-spelling
            extends: substitution
            message: "write `{suggestion}`, not `{match}`"
            summary: House spelling.
            scope: body
            ignorecase: true
            swap:
              '웹\\s*사이트': 웹사이트
              'e-mail': email
        """)
    post = "---\ntitle: t\n---\n\n웹 사이트와 E-mail 주소\n"
    got = [(v.column, v.message, v.fix) for v in lint(post, ["house-spelling"], config=cfg)]
    assert got == [(1, "write `웹사이트`, not `웹 사이트`", None), (8, "write `email`, not `E-mail`", None)]


def test_tokens_respect_word_boundaries_unless_nonword(tmp_path):
    body = """\
        rules:
          - name: house-word
            message: m
            summary: s
            scope: body
            tokens: ['뉴스', 'news']
        """
    # A Korean particle may follow a token (뉴스는); a longer word may not.
    post = "---\ntitle: t\n---\n\n뉴스는 속보, 가짜뉴스, newsletter, news\n"
    assert [v.column for v in lint(post, ["house-word"], config=site(tmp_path, body))] == [1, 27]
    nonword = body.replace("scope: body", "scope: body\n            nonword: true")
    assert [v.column for v in lint(post, ["house-word"], config=site(tmp_path, nonword))] == [1, 11, 15, 27]


def test_unicode_word_class_matches_hangul(tmp_path):
    assert regex.fullmatch(r"\w+", "한글단어")
    cfg = site(tmp_path, """\
        rules:
          - name: house-hashtag
            message: "hashtag `{match}`"
            summary: s
            scope: body
            raw: ['#\\w+']
        """)
    post = "---\ntitle: t\n---\n\n행사 안내 #부산축제 #광안리\n"
    assert [v.message for v in lint(post, ["house-hashtag"], config=cfg)] == ["hashtag `#부산축제`", "hashtag `#광안리`"]


def test_catastrophic_pattern_is_stopped_by_the_time_limit(tmp_path):
    cfg = site(tmp_path, """\
        rules:
          - name: house-redos
            message: m
            summary: s
            scope: body
            raw: ['(\\w|\\w\\w)+$']
        """)
    post = "---\ntitle: t\n---\n\n" + "a" * 60 + "!\n"
    import time

    t = time.monotonic()
    got = lint(post, ["house-redos"], config=cfg)
    assert time.monotonic() - t < 30  # a hang guard only; the limit is MATCH_TIMEOUT
    assert len(got) == 1 and "took longer than" in got[0].message and str(MATCH_TIMEOUT) in got[0].message


def test_docs_are_built_from_the_pack(tmp_path):
    cfg = site(tmp_path, """\
        rules:
          - name: house-word
            message: m
            summary: One line summary.
            description: What it does, in words.
            why: Because.
            example: 단독 보도
            instead: 보도
            scope: body
            tokens: ['단독']
        """)
    r = cfg.rule("house-word")
    assert r.summary() == "One line summary."
    for part in ("## What it does", "What it does, in words.", "## Why is this bad?", "## Example", "## Use instead"):
        assert part in r.docs()


# -- pack errors name the file and line ----------------------------------------------------


@pytest.mark.parametrize("body, words", [
    ("rules: [\n", ["not valid YAML"]),
    ("- a\n- b\n", ["a mapping with a `rules` list"]),
    ("rules: []\n", ["non-empty list"]),
    ("ruls: []\n", ["unknown key `ruls`"]),
    ("rules:\n  - name: Bad_Name\n    message: m\n    summary: s\n    scope: body\n    tokens: [x]\n", [":2", "kebab-case"]),
    ("rules:\n  - name: a-b\n    summary: s\n    scope: body\n    tokens: [x]\n", ["`message` is required"]),
    ("rules:\n  - name: a-b\n    message: m\n    summary: s\n    scope: page\n    tokens: [x]\n", ["`scope` must name"]),
    ("rules:\n  - name: a-b\n    message: m\n    summary: s\n    scope: body\n", ["needs `tokens` or `raw`"]),
    ("rules:\n  - name: a-b\n    message: m\n    summary: s\n    scope: body\n    severity: fatal\n    tokens: [x]\n", ["`severity` must be"]),
    ("rules:\n  - name: a-b\n    message: m\n    summary: s\n    scope: body\n    extends: occurrence\n    tokens: [x]\n", ["`extends` must be"]),
    ("rules:\n  - name: a-b\n    message: m\n    summary: s\n    scope: body\n    extends: substitution\n", ["needs `swap`"]),
    ("rules:\n  - name: a-b\n    message: m\n    summary: s\n    scope: body\n    raw: ['(unclosed']\n", ["bad pattern", "(unclosed"]),
    ("rules:\n  - name: a-b\n    message: m\n    summary: s\n    scope: body\n    tokns: [x]\n", [":6", "unknown key `tokns`", "did you mean `tokens`"]),
    ("rules:\n  - name: a-b\n    message: m\n    summary: s\n    scope: body\n    tokens: [x]\n  - name: a-b\n    message: m\n    summary: s\n    scope: body\n    tokens: [y]\n", ["defined twice"]),
    ("rules:\n  - name: a-b\n    message: m\n    summary: s\n    scope: body\n    followed-by-link: near\n    tokens: [x]\n", ["`followed-by-link`"]),
])
def test_bad_packs_are_config_errors_naming_the_file(tmp_path, body, words):
    with pytest.raises(PackError) as exc:
        pack(body, "house.yaml")
    msg = str(exc.value)
    assert msg.startswith("house.yaml"), msg
    for w in words:
        assert w in msg, msg
    (tmp_path / "house.yaml").write_text(body, "utf-8")
    (tmp_path / "newslint.toml").write_text('packs = ["house.yaml"]\n', "utf-8")
    with pytest.raises(ConfigError):
        load_config(tmp_path)


def test_shipped_packs_must_carry_codes():
    body = "rules:\n  - name: a-b\n    message: m\n    summary: s\n    scope: body\n    tokens: [x]\n"
    with pytest.raises(PackError, match="`code` is required"):
        pack(body, require_code=True)
    assert pack(body)[0].code == "a-b"


def test_packs_are_loaded_with_safe_load_only(tmp_path):
    marker = tmp_path / "pwned"
    body = f"rules: !!python/object/apply:os.system ['touch {marker}']\n"
    with pytest.raises(PackError):
        pack(body)
    assert not marker.exists()


def test_a_bad_site_pack_exits_2_from_the_cli(tmp_path):
    (tmp_path / "house.yaml").write_text("rules:\n  - name: a-b\n    message: m\n    summary: s\n    scope: body\n    raw: ['(x']\n", "utf-8")
    (tmp_path / "newslint.toml").write_text('packs = ["house.yaml"]\n', "utf-8")
    (tmp_path / "p.md").write_text("---\ntitle: t\n---\n", "utf-8")
    res = run_cli(["check", "p.md"], cwd=tmp_path)
    assert res.returncode == 2 and "house.yaml:2" in res.stderr and "bad pattern" in res.stderr


# -- required keys -----------------------------------------------------------------


GOOD_RULE = {"name": "a-b", "code": "X1", "message": "m", "summary": "s", "scope": "body", "tokens": "[x]"}


@pytest.mark.parametrize("missing", [*REQUIRED_RULE_KEYS, "code"])
def test_a_rule_missing_a_required_key_names_the_key_file_and_line(missing):
    lines = [f"    {k}: {v}" for k, v in GOOD_RULE.items() if k != missing]
    body = "description: d\nrules:\n  - " + "\n".join(lines)[4:] + "\n"
    with pytest.raises(PackError) as exc:
        parse_pack(PackSource("house.yaml", body), require_code=True)
    msg = str(exc.value)
    assert msg.startswith("house.yaml:3") and f"`{missing}` is required" in msg, msg
    if missing == "code":  # required of the shipped packs only
        assert parse_pack(PackSource("house.yaml", body), require_code=False)[0].code == "a-b"


def test_a_pack_without_rules_names_the_key():
    with pytest.raises(PackError, match=r"^house\.yaml:1: `rules` is required"):
        parse_pack(PackSource("house.yaml", "description: d\n"), require_code=False)


# -- loading is explicit: nothing kept between calls --------------------------------


def test_each_load_makes_the_rules_anew_from_the_files(tmp_path):
    shipped = load_shipped_packs()
    again = load_shipped_packs()
    assert [r.name for r in shipped] == [r.name for r in again] == list(PROMO)
    assert all(a is not b for a, b in zip(shipped, again))
    path = tmp_path / "house.yaml"
    path.write_text("rules:\n  - name: house-word\n    message: m\n    summary: s\n    scope: body\n"
                    "    tokens: ['단독']\n", "utf-8")
    assert [r.name for r in load_site_packs([str(path)])] == ["house-word"]
    path.write_text(path.read_text("utf-8").replace("house-word", "house-other"), "utf-8")
    assert [r.name for r in load_site_packs([str(path)])] == ["house-other"]
    with pytest.raises(PackError, match="cannot read rule pack"):
        load_site_packs([str(tmp_path / "missing.yaml")])


def test_the_packs_package_needs_no_config_cli_engine_or_reporters():
    import subprocess
    import sys

    script = ("import sys, newslint.packs\n"
              "print(sorted(m for m in sys.modules if m.split('.')[:2] in (['newslint', 'config'], "
              "['newslint', 'cli'], ['newslint', 'engine'], ['newslint', 'reporters'])))\n")
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr
    assert out.stdout.strip() == "[]"
