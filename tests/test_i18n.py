"""Korean messages: the PO reader, the templates, the catalogue's coverage of
what the rules really say, and `--lang ko` through the command line."""

from __future__ import annotations

import json
import random
import re
from pathlib import Path

import pytest

from newslint import i18n
from newslint.config import Config, load_config, ConfigError
from newslint.document import Document
from newslint.i18n import Catalogue, PoError, catalogue, parse_po, resolve_lang
from newslint.linter import lint_document
from newslint.site import Site
from conftest import ALL_RULES, CORPUS, REFERENCE, run_cli

FIXTURES = Path(__file__).parent / "fixtures"
KO = catalogue("ko")


def _catalogue(po: str) -> Catalogue:
    cat = Catalogue("xx")
    cat.add(parse_po(po))
    return cat


# -- the PO reader --------------------------------------------------------------

def test_po_reader_reads_contexts_continued_strings_escapes_and_skips_the_header_and_fuzzy():
    entries = parse_po('''# a comment
msgid ""
msgstr ""
"Language: ko\\n"

msgctxt "ui"
msgid "Rule"
msgstr "규칙"

#. extracted comment
msgid ""
"two \\"quoted\\" "
"lines\\n"
msgstr "두 줄\\t끝"

#, fuzzy
msgid "old"
msgstr "낡은"
''')
    assert [(e.context, e.msgid, e.msgstr, e.fuzzy) for e in entries] == [
        ("ui", "Rule", "규칙", False), (None, 'two "quoted" lines\n', "두 줄\t끝", False), (None, "old", "낡은", True)]
    cat = Catalogue("xx")
    cat.add(entries)
    assert ("fragment", "old") not in cat.exact and (None, "old") not in cat.exact  # fuzzy entries are not used


@pytest.mark.parametrize("bad", ['msgid "a"\nmsgstr "b\n', 'msgid "a"\nmsgstr "b" x\n', 'msgid "a"\n"b"\n"c\\q"\nmsgstr ""\n',
                                 'msgid "a"\n', 'msgid_plural "a"\n', '"orphan"\n'])
def test_po_reader_refuses_what_it_does_not_understand(bad):
    with pytest.raises(PoError):
        parse_po(bad, "t.po")


# -- templates ------------------------------------------------------------------

def test_a_template_captures_its_placeholders_and_puts_them_back():
    cat = _catalogue('msgid "image `{target}` is not in the site: there is no {where}"\n'
                     'msgstr "이미지 `{target}`이(가) 사이트에 없습니다. {where} 파일이 없습니다"\n')
    assert cat.translate("image `/a b.png` is not in the site: there is no a b.png") == \
        "이미지 `/a b.png`이(가) 사이트에 없습니다. a b.png 파일이 없습니다"
    assert cat.translate("image `/a.png` is missing") is None
    assert cat.text("something else") == "something else"


def test_translated_values_must_translate_and_numbers_must_be_numbers():
    cat = _catalogue('''msgid "row has {cells}, the table has {cols}"
msgstr "행의 칸은 {cells!t}인데 표는 {cols!t}입니다"

msgctxt "fragment"
msgid "{n:n} cell"
msgstr "{n}개"

msgctxt "fragment"
msgid "{n:n} cells"
msgstr "{n}개"

msgctxt "fragment"
msgid "{n:n} columns"
msgstr "{n}열"
''')
    assert cat.translate("row has 1 cell, the table has 2 columns") == "행의 칸은 1개인데 표는 2열입니다"
    # A value with no translation fails the template: no message comes out half English.
    assert cat.translate("row has 1 cell, the table has many columns") is None
    assert cat.translate("row has some cells, the table has 2 columns") is None


def test_the_most_specific_template_wins_and_a_wrapper_translates_the_message_inside():
    cat = _catalogue('''msgid "{head}; {tail}"
msgstr "{head!t}. {tail!t}"

msgid "control character {name}; delete it"
msgstr "제어 문자 {name}이(가) 있습니다. 삭제하세요"

msgid "{message} (reported only)"
msgstr "{message!t} (알리기만 합니다)"

msgid "it breaks"
msgstr "깨집니다"
''')
    assert cat.translate("control character U+0000 NUL; delete it") == "제어 문자 U+0000 NUL이(가) 있습니다. 삭제하세요"
    assert cat.translate("it breaks; it breaks (reported only)") == "깨집니다. 깨집니다 (알리기만 합니다)"
    assert cat.translate("it breaks; something else") is None


def test_the_language_comes_from_the_flag_then_the_config_then_the_locale():
    assert resolve_lang("en", "ko", {"LANG": "ko_KR.UTF-8"}) == "en"
    assert resolve_lang(None, "ko", {}) == "ko"
    assert resolve_lang(None, None, {"LANG": "ko_KR.UTF-8"}) == "ko"
    assert resolve_lang(None, None, {"LC_ALL": "en_US.UTF-8", "LANG": "ko_KR.UTF-8"}) == "en"
    assert resolve_lang(None, None, {"LC_MESSAGES": "ko_KR.eucKR", "LANG": "C"}) == "ko"
    assert resolve_lang(None, None, {"LC_ALL": "", "LANG": "ko_KR"}) == "ko"
    assert resolve_lang(None, None, {}) == "en"


# -- the catalogue --------------------------------------------------------------

def _entries():
    folder = i18n.LOCALE_DIR / "ko" / "LC_MESSAGES"
    return [e for p in sorted(folder.glob("*.po")) for e in parse_po(p.read_text("utf-8"), str(p))]


def test_each_entry_is_written_once_and_puts_back_only_its_own_placeholders():
    seen = set()
    for e in _entries():
        assert (e.context, e.msgid) not in seen, e.msgid
        seen.add((e.context, e.msgid))
        assert e.msgstr and not e.fuzzy, e.msgid
        if e.context == "ui":
            assert set(re.findall(r"\{(\w+)\}", e.msgstr)) <= set(re.findall(r"\{(\w+)\}", e.msgid)), e.msgid
        elif e.context not in ("summary", "why"):
            assert i18n.placeholders(e.msgstr) <= i18n.placeholders(e.msgid), e.msgid
            # Korean, or made of translated parts (a brand name may stay as it is in a fragment).
            assert re.search("[가-힣]", e.msgstr) or "!t}" in e.msgstr or e.context == "fragment", e.msgid


def _texts(violations):
    for v in violations:
        yield v.rule, v.message
        if v.fix is not None and v.fix.message:
            yield v.rule, v.fix.message


def _rule_fixture_texts():
    for folder in sorted((FIXTURES / "rules").iterdir()):
        for path in sorted(folder.iterdir()):
            if path.suffix not in (".md", ".html", ".markdown"):
                continue
            # As the fixture tests read them: <stem>.path names the file, <stem>.site its site.
            named, site_file = path.with_suffix(".path"), path.with_suffix(".site")
            site = None
            if site_file.exists():
                spec = site_file.read_text().strip()
                site = Site(**json.loads(spec)) if spec.startswith("{") else Site(generator=spec)
            doc = Document(named.read_text().strip() if named.exists() else str(path), path.read_bytes(), site=site)
            yield from _texts(lint_document(doc, Config(select=["ALL"])))


def _site_fixture_texts():
    for site in sorted((FIXTURES / "site-rules").iterdir()):
        r = run_cli(["check", "--isolated", "--no-cache", "--format", "json", "."], cwd=site)
        assert r.returncode in (0, 1), r.stderr
        for v in json.loads(r.stdout):
            yield v["rule"], v["message"]
            if v["fix"] and v["fix"]["message"]:
                yield v["rule"], v["fix"]["message"]


def _untranslated(pairs) -> list[str]:
    return sorted({f"{rule}: {text}" for rule, text in pairs if KO.translate(text) is None})


def test_every_message_and_fix_title_of_the_rule_fixtures_has_a_korean_template():
    """Fails when a rule says something new: add its template to locale/ko/LC_MESSAGES/newslint.po."""
    texts = list(_rule_fixture_texts())
    assert {rule for rule, _t in texts} >= {r.name for r in ALL_RULES if not r.site_wide and not r.engine
                                            and r.name != "file-name-nfd"}
    assert _untranslated(texts) == []


def test_every_message_of_the_site_rule_fixtures_has_a_korean_template():
    texts = list(_site_fixture_texts())
    assert {rule for rule, _t in texts} >= {r.name for r in ALL_RULES if r.site_wide}
    assert _untranslated(texts) == []


@pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")
def test_every_message_on_a_sample_of_the_corpus_has_a_korean_template():
    files = sorted(p for p in CORPUS.rglob("*") if p.suffix in (".md", ".markdown", ".html") and p.is_file())
    sample = random.Random(7).sample(files, min(250, len(files)))
    texts = [t for p in sample for t in _texts(lint_document(Document(str(p), p.read_bytes()), Config(select=["ALL"])))]
    assert len(texts) > 100
    assert _untranslated(texts) == []


@pytest.mark.skipif(not (CORPUS.parent / "sites" / "jekyll-ko-whysocscs").is_dir(), reason="../shared/sites is absent")
def test_every_message_on_a_korean_jekyll_site_has_a_korean_template():
    """A whole site, read as its generator reads it (kramdown's HTML, links across the site)."""
    site = CORPUS.parent / "sites" / "jekyll-ko-whysocscs"
    r = run_cli(["check", "--isolated", "--no-cache", "--format", "json", "."], cwd=site)
    found = json.loads(r.stdout)
    texts = [(v["rule"], t) for v in found for t in (v["message"], (v["fix"] or {}).get("message")) if t]
    assert len(texts) > 50
    assert _untranslated(texts) == []


@pytest.mark.parametrize("rule", ALL_RULES, ids=lambda r: r.name)
def test_every_rule_has_a_korean_summary_and_why(rule):
    summary, why = i18n.rule_text("ko", rule, "summary"), i18n.rule_text("ko", rule, "why")
    assert re.search("[가-힣]", summary), f"no Korean summary for {rule.name}: add it to newslint-rules.po"
    assert re.search("[가-힣]", why), f"no Korean \"Why is this bad?\" for {rule.name}: add it to newslint-rules.po"


# -- through the command line ---------------------------------------------------

_PREFIX = re.compile(r"^\S+:\d+:\d+: (?:error|warning|info) [a-z0-9-]+(?: \[\*\])? ")
# What may stay English in a Korean line: code spans, quoted text, paths, U+ names, flags.
_KEPT = re.compile(r"`[^`]*`|\"[^\"]*\"|<[^>]*>|U\+[0-9A-F]{4,}(?: [A-Z][A-Z -]*[A-Z])?|--[a-z-]+|\S+\.\w+")
_ENGLISH = re.compile(r"[A-Za-z]{2,}(?:[ ,]+[A-Za-z]{2,}){2,}")


def english_sentences(output: str) -> list[str]:
    """The lines of ``output`` that still hold three English words in a row
    (outside code spans, quotes, paths and character names)."""
    bad = []
    for line in output.splitlines():
        prose = _KEPT.sub(" ", _PREFIX.sub("", line))
        if _ENGLISH.search(prose):
            bad.append(line)
    return bad


def test_the_detector_sees_an_english_message():
    assert english_sentences("a.md:1:1: warning link-empty link has no text: remove it")
    assert not english_sentences("a.md:1:1: warning link-empty [*] 링크에 텍스트가 없습니다 `click here now`")


@pytest.mark.skipif(not REFERENCE.is_file(), reason="../shared/examples is absent")
def test_the_reference_post_reads_entirely_in_korean():
    r = run_cli(["check", "--lang", "ko", "--no-cache", REFERENCE.name], cwd=REFERENCE.parent)
    assert r.returncode == 1, r.stderr
    lines = r.stdout.splitlines()
    assert len(lines) > 10 and all(_PREFIX.match(line) for line in lines[:-1])
    assert english_sentences(r.stdout) == []
    assert lines[-1].startswith("파일 1개를 검사해 문제 ")
    full = run_cli(["check", "--lang", "ko", "--no-cache", "--format", "full", REFERENCE.name], cwd=REFERENCE.parent)
    assert "= 수정 (안전): " in full.stdout and english_sentences(full.stdout.replace("|", " ")) == []


def test_korean_comes_from_the_flag_the_config_or_the_locale_and_english_from_the_flag(tmp_path):
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: 부산\n---\n\n![](a.png)\n", encoding="utf-8")
    english = "image has no alt text"
    korean = "이미지에 대체 텍스트가 없습니다"
    flag = run_cli(["check", "--isolated", "--no-cache", "--lang", "ko", str(post)])
    assert korean in flag.stdout and english not in flag.stdout
    env = {"PATH": "/usr/bin:/bin", "LANG": "ko_KR.UTF-8"}
    assert korean in run_cli(["check", "--isolated", "--no-cache", str(post)], env=env).stdout
    assert english in run_cli(["check", "--isolated", "--no-cache", "--lang", "en", str(post)], env=env).stdout
    (tmp_path / "newslint.toml").write_text('lang = "ko"\n', encoding="utf-8")
    assert korean in run_cli(["check", "--no-cache", str(post)], cwd=tmp_path).stdout
    assert english in run_cli(["check", "--isolated", "--no-cache", str(post)], cwd=tmp_path).stdout


def test_machine_formats_keep_english_keys_and_translate_only_the_texts(tmp_path):
    post = tmp_path / "post.md"
    post.write_text('---\ntitle: 부산\n---\n\n<p data-ke-size="size16">본문</p>\n', encoding="utf-8")
    r = run_cli(["check", "--isolated", "--no-cache", "--lang", "ko", "--format", "json", str(post)])
    [item] = json.loads(r.stdout)
    assert item["rule"] == "editor-attributes" and item["severity"] == "warning" and item["fix"]["applicability"] == "safe"
    assert item["message"] == "편집기 속성 `data-ke-size`이(가) 남아 있습니다(티스토리)"
    assert item["fix"]["message"] == "`data-ke-size` 삭제"
    sarif = json.loads(run_cli(["check", "--isolated", "--no-cache", "--lang", "ko", "--format", "sarif", str(post)]).stdout)
    assert sarif["runs"][0]["results"][0]["message"]["text"] == item["message"]


def test_config_and_usage_errors_in_korean(tmp_path):
    (tmp_path / "newslint.toml").write_text('selct = ["image-alt-missing"]\n', encoding="utf-8")
    r = run_cli(["check", "--lang", "ko", "."], cwd=tmp_path)
    assert r.returncode == 2
    assert r.stderr.strip().endswith("newslint.toml:1: 알 수 없는 키 `selct`(`select`을(를) 찾으셨나요?)")
    assert r.stderr.startswith("newslint: 오류: ")
    r = run_cli(["check", "--isolated", "--lang=ko", "--select", "image-alt-mising", "."], cwd=tmp_path)
    assert "알 수 없는 규칙 `image-alt-mising`(`image-alt-missing`을(를) 찾으셨나요?)" in r.stderr
    r = run_cli(["check", "--lang", "ko", "--config", str(tmp_path / "nope.toml"), "."], cwd=tmp_path)
    assert r.stderr.strip().endswith("nope.toml: 설정 파일이 없습니다")
    (tmp_path / "newslint.toml").write_text('lang = "fr"\n', encoding="utf-8")
    with pytest.raises(ConfigError, match='`lang` must be "ko" or "en", not \'fr\''):
        load_config(tmp_path)
    r = run_cli(["check", "--lang", "ko", "."], cwd=tmp_path)
    assert "`lang`은(는) \"ko\" 또는 \"en\"이어야 하는데 'fr'입니다" in r.stderr
    # English unless asked: the same error as before.
    assert "must be \"ko\" or \"en\"" in run_cli(["check", "."], cwd=tmp_path).stderr


def test_rule_docs_and_the_rule_list_in_korean():
    r = run_cli(["rule", "--isolated", "--lang", "ko", "image-alt-missing"])
    assert r.returncode == 0
    assert "\n대체 텍스트가 없는 이미지.\n" in r.stdout and "## 왜 문제인가요?" in r.stdout
    assert "Without `alt`, screen readers" not in r.stdout and "- 기본 심각도: `warning`" in r.stdout
    listed = run_cli(["rules", "--isolated", "--lang", "ko"]).stdout
    assert "image-alt-missing" in listed and "대체 텍스트가 없는 이미지." in listed
    data = json.loads(run_cli(["rules", "--isolated", "--lang", "ko", "--format", "json"]).stdout)
    assert {"name", "code", "summary"} <= data[0].keys() and re.search("[가-힣]", data[0]["summary"])
    assert run_cli(["rule", "--isolated", "image-alt-missing"]).stdout.startswith("# image-alt-missing")


def test_the_html_report_interface_in_korean(tmp_path):
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: 부산\n---\n\n![](a.png)\n\n<p>&nbsp;</p>\n", encoding="utf-8")
    page = run_cli(["check", "--isolated", "--no-cache", "--lang", "ko", "--format", "html", str(post)]).stdout
    for words in ('<html lang="ko">', "<title>newslint 보고서</title>", "<h2>규칙별 문제</h2>", "<th>심각도</th>",
                  '<option value="">전체</option>', 'placeholder="경로의 일부"', 'data-all="문제 {total}건"',
                  "이미지에 대체 텍스트가 없습니다", "대체 텍스트가 없는 이미지.", ">경고</span>"):
        assert words in page, words
    english = run_cli(["check", "--isolated", "--no-cache", "--format", "html", str(post)]).stdout
    assert '<html lang="en">' in english and "Findings by rule" in english and "data-all" not in english


def test_an_english_run_never_reads_a_catalogue(tmp_path, monkeypatch):
    post = tmp_path / "post.md"
    post.write_text("---\ntitle: 부산\n---\n\n![](a.png)\n", encoding="utf-8")
    monkeypatch.setattr(i18n, "_CATALOGUES", {})
    for fmt in ("text", "full", "json", "html"):
        run_cli(["check", "--isolated", "--no-cache", "--format", fmt, str(post)])
    assert i18n._CATALOGUES == {}
    run_cli(["check", "--isolated", "--no-cache", "--lang", "ko", str(post)])
    assert list(i18n._CATALOGUES) == ["ko"]


def test_site_description_in_korean():
    site = FIXTURES / "site-rules" / "image-missing"
    r = run_cli(["site", "--isolated", "--lang", "ko", str(site)])
    assert r.returncode == 0, r.stderr
    assert "  생성기:     Jekyll, 설정 _config.yml" in r.stdout and "(페이지: 머리말이 있는 파일)" in r.stdout
    assert english_sentences(r.stdout) == []
    assert "  generator:  Jekyll" in run_cli(["site", "--isolated", str(site)]).stdout


def test_diff_and_baseline_lines_in_korean(tmp_path):
    post = tmp_path / "post.md"
    post.write_text('---\ntitle: 부산\n---\n\n<p data-ke-size="size16">본문</p>\n', encoding="utf-8")
    r = run_cli(["check", "--isolated", "--no-cache", "--lang", "ko", "--diff", str(post)])
    assert r.returncode == 1 and r.stderr == "newslint: 파일 1개에서 1건을 고칠 수 있습니다\n"
    baseline = tmp_path / "baseline.json"
    r = run_cli(["check", "--isolated", "--no-cache", "--lang", "ko", "--write-baseline", str(baseline), str(post)])
    assert r.stderr == f"newslint: 기준선 파일 {baseline}에 항목 1개를 썼습니다\n"
    r = run_cli(["check", "--isolated", "--no-cache", "--lang", "ko", "--baseline", str(baseline), str(post)])
    assert r.returncode == 0
    assert r.stdout.splitlines() == [f"기준선 {baseline}: 이미 알려진 문제 1건을 숨겼습니다. 더는 맞지 않는 항목은 0개입니다",
                                     "파일 1개를 검사했습니다. 문제가 없습니다."]


def test_the_untranslated_command_lists_what_no_entry_covers(monkeypatch, capsys):
    post = FIXTURES / "rules" / "image-alt-missing"
    assert i18n.main(["untranslated", str(post)]) == 0
    assert capsys.readouterr().out == ""
    monkeypatch.setitem(i18n._CATALOGUES, "ko", Catalogue("ko"))
    assert i18n.main(["untranslated", str(post)]) == 1
    out = capsys.readouterr().out
    assert "image-alt-missing\timage has no alt text: describe it between the brackets" in out


@pytest.mark.parametrize("args, korean", [
    (["check", "--lang", "ko", "--bogus", "x"], "`--bogus` 옵션은 없습니다"),
    (["check", "--lang", "ko", "--shard", "9", "."], "--shard는 K/N 꼴이어야 합니다"),
    (["check", "--lang", "ko", "--format", "xml", "."], "`--format`의 값이 잘못되었습니다"),
])
def test_click_usage_errors_follow_the_language(args, korean):
    r = run_cli(args)
    assert r.returncode == 2
    assert "newslint: 오류: " in r.stderr and korean in r.stderr and "Error:" not in r.stderr


def test_click_usage_errors_stay_english_in_english():
    r = run_cli(["check", "--lang", "en", "--bogus", "x"])
    assert r.returncode == 2 and "Error: No such option '--bogus'" in r.stderr
