"""Bad input beyond the post itself: Unicode traps (jamo, invisible characters,
NFD), malformed HTML, limits, discovery, pack regexes, schemas and the console.

Each test goes through a public surface: ``Document`` + ``lint_document``, the
library entry points (``lint_path``, ``lint_files``, ``fix_file``) or the CLI in
in-process (exit codes, discovery), or in a subprocess where the process is the
point (the console's encoding, a file whose opening would block). Hang guards are generous
(seconds, not milliseconds): they catch a hang, not a slow machine.
"""

from __future__ import annotations

import http.server
import json
import os
import subprocess
import sys
import threading
import time
import tracemalloc
import unicodedata
from pathlib import Path

import pytest

from conftest import Result, run_cli
from newslint.config import Config
from newslint.document import Document
from newslint.engine import lint_files
from newslint.fixer import fix_file
from newslint.limits import time_budget
from newslint.linter import lint_document, lint_path
from newslint.model import Finding
from conftest import ALL_RULES
from newslint.ruleapi import Rule

NEWSLINT = [sys.executable, "-m", "newslint"]
ZWSP, WJ, BOM, FILLER, CHO_FILLER, RLO = "\u200b", "\u2060", "\ufeff", "\u3164", "\u115f", "\u202e"
INVISIBLE_RULES = ("invisible-character", "invisible-character-in-code")


def run(*args: str, cwd: Path | None = None, env: dict | None = None, process: bool = False,
        timeout: float = 60) -> Result | subprocess.CompletedProcess:
    """`newslint ARGS` (bytes out): in this process, or with ``process`` in its own,
    killed after ``timeout`` seconds."""
    full_env = {**os.environ, **(env or {})}
    if not process:
        # A handful of posts: one job (the worker pool has tests of its own; a -j in args wins).
        return run_cli([args[0], "-j", "1", *args[1:]] if args[0] == "check" else args, cwd=cwd, env=full_env,
                       text=False)
    return subprocess.run([*NEWSLINT, *args], capture_output=True, cwd=cwd, env=full_env, timeout=timeout)


def lint(text: str, path: str = "post.md", select=None) -> list:
    cfg = Config(select=list(select) if select else None)
    return lint_document(Document.from_text(text, path), cfg)


def rules_of(violations) -> list[str]:
    return [v.rule for v in violations]


def write(tmp: Path, name: str, text: str | bytes) -> Path:
    p = tmp / name
    p.parent.mkdir(parents=True, exist_ok=True)
    if isinstance(text, str):
        text = text.encode("utf-8")
    p.write_bytes(text)
    return p


def fixed(tmp: Path, text: str, select=None, name: str = "post.md", unsafe: bool = True) -> tuple[str, object]:
    p = write(tmp, name, text)
    r = fix_file(str(p), Config(select=list(select) if select else None), unsafe=unsafe)
    return p.read_bytes().decode("utf-8"), r


# -- compatibility jamo are text, not something to normalise ------------------------


def test_compat_jamo_in_prose_untouched(tmp_path):
    text = "---\ntitle: ㄱ자 모양의 다리\n---\nㄱ자 모양, ㄴ자 모양, ㅋㅋ 그리고 ㅎㅎ.\n"
    vs = lint(text)
    assert not [v for v in vs if v.rule in ("unicode-nfd", *INVISIBLE_RULES)]
    after, r = fixed(tmp_path, text)
    assert after == text and not r.changed


def test_variant_compat_jamo_next_to_a_real_fix_stay(tmp_path):
    # A fix on the same line removes only its own character; ㄱㄴ stay as written (no NFKC).
    text = f"---\ntitle: 모양\n---\nㄱㄴ{ZWSP}ㄷ 순서와 \uf914\uf95c\uf9bf 한자.\n"
    after, r = fixed(tmp_path, text)
    assert after == text.replace(ZWSP, "")
    assert "ㄱㄴㄷ" in after and "\uf914\uf95c\uf9bf" in after
    assert unicodedata.normalize("NFKC", "ㄱ") != "ㄱ"  # the thing we must not do would change it


# -- invisible characters in prose: one finding each, a safe fix ---------------------


def test_invisible_characters_in_title_one_finding_each_and_safe_fix(tmp_path):
    title = f"부산{ZWSP}시 {FILLER}예산 {RLO}확정{BOM}"
    text = f"---\ntitle: {title}\n---\n본문.\n"
    vs = [v for v in lint(text) if v.rule == "invisible-character"]
    assert [(v.line, v.column) for v in vs] == [(2, 10), (2, 13), (2, 17), (2, 20)]
    assert [v.severity for v in vs] == ["warning"] * 4
    assert "U+200B" in vs[0].message and "U+3164" in vs[1].message
    assert "U+202E" in vs[2].message and "Trojan Source" in vs[2].message
    assert "U+FEFF" in vs[3].message
    assert all(v.fix is not None and v.fix.applicability == "safe" for v in vs)
    after, r = fixed(tmp_path, text, unsafe=False)
    assert after == "---\ntitle: 부산시 예산 확정\n---\n본문.\n"
    assert Document.from_text(after).front_matter.data["title"] == "부산시 예산 확정"


@pytest.mark.parametrize("ch", [ZWSP, WJ, BOM, FILLER, CHO_FILLER, "\u1160", "\uffa0", "\u200e", "\u200f",
                                "\u061c", "\u202a", "\u202b", "\u202c", "\u202d", RLO, "\u2066", "\u2067",
                                "\u2068", "\u2069"])
def test_variant_each_character_in_title_and_body(tmp_path, ch):
    text = f"---\ntitle: 가{ch}나\n---\n본문 다{ch}라 끝.\n"
    vs = [v for v in lint(text) if v.rule == "invisible-character"]
    assert [(v.line, v.column) for v in vs] == [(2, 9), (4, 5)]
    after, _ = fixed(tmp_path, text, unsafe=False)
    assert after == "---\ntitle: 가나\n---\n본문 다라 끝.\n"


def test_variant_line_separator_between_words_becomes_a_space(tmp_path):
    text = "---\ntitle: 서울\u2028부산\n---\n첫 문장.\u2029둘째 문장. 끝\u2028\n"
    vs = [v for v in lint(text) if v.rule == "invisible-character"]
    assert [(v.line, v.column) for v in vs] == [(2, 10), (4, 6), (4, 15)]
    assert "LINE SEPARATOR" in vs[0].message and "PARAGRAPH SEPARATOR" in vs[1].message
    # Later lines are counted by \n only: U+2028 never shifts them.
    later = lint(text + f"\n마지막{ZWSP}\n", select=["invisible-character"])
    assert (later[-1].line, later[-1].column) == (6, 4)
    # YAML breaks the title's line at U+2028 (the front matter no longer parses):
    # reported, but no fix inside a broken front matter. The body's are fixed.
    assert vs[0].fix is None
    after, _ = fixed(tmp_path, text)
    assert after == "---\ntitle: 서울\u2028부산\n---\n첫 문장. 둘째 문장. 끝\n"


def test_variant_zwj_in_emoji_is_not_reported():
    family = "\U0001F468\u200d\U0001F469\u200d\U0001F467"
    assert not [v for v in lint(f"---\ntitle: 가족 {family}\n---\n{family} 이모지.\n") if v.rule in INVISIBLE_RULES]


def test_variant_invisible_in_a_front_matter_key_is_reported_without_fix(tmp_path):
    text = f"---\ntitle{ZWSP}: 제목\n---\n본문.\n"
    vs = [v for v in lint(text) if v.rule == "invisible-character"]
    assert len(vs) == 1 and vs[0].fix is None and "not fixed" in vs[0].message
    after, _ = fixed(tmp_path, text, select=["invisible-character"])
    assert after == text


# -- the same characters in code, attributes and URLs: info at most, never fixed -----


@pytest.mark.parametrize("where,body", [
    ("fenced code", f"```\nx = 1{ZWSP}  # {RLO}\n```\n"),
    ("indented code", f"    x = '{ZWSP}'\n"),
    ("code span", f"명령은 `rm{ZWSP} -rf`{''} 이다.\n"),
    ("html attribute", f'<img src="a.png" alt="그림{ZWSP}">\n'),
    ("html attribute (single quotes)", f"<a href='https://example.com/{ZWSP}x' title='제{RLO}목'>링크</a>\n"),
    ("pre element", f"<pre>코드{ZWSP}\n</pre>\n"),
    ("bare url", f"주소는 https://example.com/ma{ZWSP}p 이다.\n"),
    ("markdown link address", f"[지도](https://example.com/ma{ZWSP}p)\n"),
    ("liquid tag", f'{{% include figure.html caption="그림{ZWSP}1" %}}\n'),
    ("liquid raw block", f"{{% raw %}}\n{{{{ x{ZWSP} }}}}\n{{% endraw %}}\n"),
])
def test_invisible_in_code_attribute_or_url_info_only_never_fixed(tmp_path, where, body):
    text = f"---\ntitle: 제목\n---\n{body}"
    vs = [v for v in lint(text) if v.rule in INVISIBLE_RULES]
    assert vs, where
    assert {v.rule for v in vs} == {"invisible-character-in-code"}, where
    assert {v.severity for v in vs} == {"info"} and all(v.fix is None for v in vs)
    after, r = fixed(tmp_path, text)
    assert after == text and not r.changed


def test_variant_url_valued_front_matter_keys_are_literal(tmp_path):
    text = f"---\ntitle: 제목\npermalink: /news/{ZWSP}a/\nimage: https://cdn.example.com/{ZWSP}a.png\n---\n본문.\n"
    vs = [v for v in lint(text) if v.rule in INVISIBLE_RULES]
    assert [(v.rule, v.line) for v in vs] == [("invisible-character-in-code", 3), ("invisible-character-in-code", 4)]
    after, _ = fixed(tmp_path, text)
    assert after == text


def test_variant_prose_and_code_on_one_line_only_prose_fixed(tmp_path):
    text = f"---\ntitle: 제목\n---\n설명{ZWSP}과 `코드{ZWSP}` 와 <b title=\"{ZWSP}\">굵게{ZWSP}</b>.\n"
    after, _ = fixed(tmp_path, text)
    assert after == f"---\ntitle: 제목\n---\n설명과 `코드{ZWSP}` 와 <b title=\"{ZWSP}\">굵게</b>.\n"


# -- a thematic break in the body is body ----------------------------------------------


def test_horizontal_rule_after_front_matter_stays_in_body(tmp_path):
    text = "---\ntitle: 제목\nsummary: 요약\n---\n첫 문단.\n\n---\n\nsummary: 이것은 본문이다\n"
    doc = Document.from_text(text)
    assert doc.front_matter.closed and doc.front_matter.data == {"title": "제목", "summary": "요약"}
    assert "\n---\n" in doc.body and "summary: 이것은 본문이다" in doc.body
    assert not [v for v in lint(text) if v.rule.startswith("front-matter")]
    after, r = fixed(tmp_path, text.replace("첫 문단", f"첫{ZWSP} 문단"))
    assert after == text


def test_variant_body_rule_made_of_stars_and_underscores(tmp_path):
    text = "---\ntitle: 제목\n---\n위.\n\n***\n\n___\n\n아래.\n"
    assert Document.from_text(text).front_matter.data == {"title": "제목"}
    after, r = fixed(tmp_path, text)
    assert after == text


# -- an indented code block as the first body line keeps its indentation ----------------


def test_indented_code_first_body_line_keeps_indentation(tmp_path):
    text = f"---\ntitle: 제목\n---\n    code line{ZWSP}\n    second\n\n설명{ZWSP} 문단.\n"
    after, r = fixed(tmp_path, text)
    assert after == f"---\ntitle: 제목\n---\n    code line{ZWSP}\n    second\n\n설명 문단.\n"
    assert after.split("---\n", 2)[2].startswith("    code line")


# -- final newline state ----------------------------------------------------------------------


@pytest.mark.parametrize("ending", ["", "\n", "\n\n\n", "\r\n\r\n\r\n"])
def test_final_newlines_kept_with_and_without_fixes(tmp_path, ending):
    clean = f"---\ntitle: 제목\n---\n본문 끝{ending}"
    after, r = fixed(tmp_path, clean, name="clean.md")
    assert after == clean and not r.changed
    dirty = f"---\ntitle: 제목\n---\n본문{ZWSP} 끝{ending}"
    after, r = fixed(tmp_path, dirty, name="dirty.md")
    assert after == clean


# -- Liquid is never edited --------------------------------------------------------------------


def test_liquid_tags_never_touched_by_fixes(tmp_path):
    liquid = [
        f'{{% include figure.html image="a.png" caption="그림{ZWSP} 1" %}}',
        f"{{{{ page.title{ZWSP} }}}}",
        f"{{% raw %}}\n{{{{ 원문{ZWSP} }}}}\n{{% endraw %}}",
        f"{{%- if page.lang == \"ko{RLO}\" -%}}한국어{{%- endif -%}}",
    ]
    text = "---\ntitle: 제목\n---\n" + "\n\n".join(liquid) + f"\n\n본문{ZWSP}.\n"
    after, r = fixed(tmp_path, text)
    assert after == text.replace(f"본문{ZWSP}.", "본문.")
    for block in liquid:
        assert block in after


# -- kramdown IAL and the excerpt marker survive every fix -----------------------------------


def test_kramdown_ial_and_more_marker_preserved(tmp_path):
    text = (f"---\ntitle: 제목{ZWSP}\n---\n요약 문단{ZWSP}.\n{{: .lead}}\n\n<!--more-->\n\n"
            f'<p data-ke-size="size16">본문{ZWSP}</p>\n{{: #anchor .note}}\n')
    after, r = fixed(tmp_path, text)
    assert ZWSP not in after
    assert "\n{: .lead}\n\n<!--more-->\n\n" in after and "\n{: #anchor .note}\n" in after
    assert r.fixed >= 3


# -- malformed HTML -----------------------------------------------------------------------


def test_unclosed_comment_reported_and_nothing_after_it_fixed(tmp_path):
    text = (f"---\ntitle: 제목\n---\n<p>앞 문단{ZWSP}</p>\n<p>끝 <!-- 메모: 사진 교체\n"
            f'<p>보이지 않는{ZWSP} 문단 <a href="https://example.com" target="_blank">링크</a></p>\n')
    vs = lint(text)
    html = [v for v in vs if v.rule == "html-malformed"]
    assert [(v.line, v.column) for v in html] == [(5, 6)]
    assert "never closed" in html[0].message and html[0].fix is None
    # Nothing inside the swallowed text is linted as prose or as HTML.
    assert not [v for v in vs if v.line == 6 and v.rule in ("invisible-character", "link-target-blank-unsafe")]
    after, r = fixed(tmp_path, text)
    assert after[after.index("<!--"):] == text[text.index("<!--"):]


def test_variant_same_result_without_lxml_or_bs4(tmp_path):
    post = write(tmp_path, "post.md", "---\ntitle: 제목\n---\n<p>a <b>b</p>\n<p>끝 <!-- 메모\n")
    code = ("import sys, json\n"
            "if sys.argv[1] == 'block':\n"
            "    for m in ('lxml', 'bs4', 'html5lib'): sys.modules[m] = None\n"
            "from newslint.config import Config\nfrom newslint.linter import lint_path\n"
            "print(json.dumps([v.to_dict() for v in lint_path(sys.argv[2], Config()).violations]))\n")
    outs = [subprocess.run([sys.executable, "-c", code, mode, str(post)], capture_output=True, text=True,
                           timeout=60, check=True).stdout for mode in ("block", "free")]
    assert outs[0] == outs[1]
    assert "html-malformed" in outs[0]


@pytest.mark.parametrize("tag", ["script", "textarea", "style"])
def test_unclosed_raw_text_element_reported_and_not_linted_as_prose(tmp_path, tag):
    text = (f"---\ntitle: 제목\n---\n<p>앞 문단.</p>\n<{tag}>\n"
            f"var s = '숨은{ZWSP} 글';\n<p>실시간 뉴스 속보는, <a href=\"https://spam.example\">여기</a></p>\n")
    vs = lint(text)
    html = [v for v in vs if v.rule == "html-malformed"]
    assert [(v.line, v.column) for v in html] == [(5, 1)]
    assert "never closed" in html[0].message
    assert not [v for v in vs if v.rule in ("invisible-character", "promo-news-footer")]
    after, r = fixed(tmp_path, text)
    assert after == text


def test_variant_mismatched_and_stray_tags():
    vs = [v for v in lint("---\ntitle: 제목\n---\n<p><b><i>굵은</b> 기울임</i></p>\n<div>열림\n</section>\n")
          if v.rule == "html-malformed"]
    assert [(v.line, v.column) for v in vs] == [(4, 7), (4, 20), (5, 1), (6, 1)]
    assert "mismatched" in vs[0].message and "stray end tag </i>" in vs[1].message
    assert "<div> is never closed" in vs[2].message and "</section>" in vs[3].message


def test_variant_optional_end_tags_and_shortcodes_are_not_malformed():
    text = ("---\ntitle: 제목\n---\n<ul><li>하나<li>둘</ul>\n\n<table><tr><td>칸<td>칸<tr><td>칸</table>\n\n"
            "<p>문단\n<p>문단\n\n{{< figure src=\"a.png\" >}}\n\n{{% notice %}}\n안내\n{{% /notice %}}\n\n"
            "`<Dog>` 는 코드다.\n")
    assert not [v for v in lint(text) if v.rule == "html-malformed"]


def test_variant_unknown_element_in_prose_says_the_text_disappears():
    vs = [v for v in lint("---\ntitle: 제목\n---\n반환값은 List<String> 이다.\n") if v.rule == "html-malformed"]
    assert len(vs) == 1 and "not an HTML element" in vs[0].message and "&lt;String>" in vs[0].message


def test_fixes_edit_only_their_span_in_odd_html(tmp_path):
    text = ("---\ntitle: 제목\n---\n<table><p>표 안의 문단</p><tr><td>칸</td></tr></table>\n"
            f"<p>닫히지 않은 문단{ZWSP}\n<div>블록</div>\n<img src='a.png' alt='그림'>\n<br/><hr />\n"
            "<IMG SRC=b.png ALT=\"그림 2\"/>\n")
    after, r = fixed(tmp_path, text)
    assert after == text.replace(ZWSP, "")
    assert "<img src='a.png' alt='그림'>" in after and "<br/><hr />" in after


def test_entities_kept_after_unrelated_fixes(tmp_path):
    text = f"---\ntitle: 제목\n---\n<p>앞&nbsp;&amp;&#x3131;&lt;뒤 &#12593; &copy;{ZWSP}</p>\n"
    after, r = fixed(tmp_path, text)
    assert after == text.replace(ZWSP, "") and "&nbsp;&amp;&#x3131;&lt;" in after


def test_comment_bomb_is_reported_fast_and_other_files_still_linted(tmp_path):
    write(tmp_path, "posts/bomb.md", "---\ntitle: 폭탄\n---\n" + "<!--" * 50000)
    write(tmp_path, "posts/good.md", f"---\ntitle: 정상\n---\n본문{ZWSP}.\n")
    t0 = time.monotonic()
    p = run("check", "--no-cache", "--isolated", "--format", "json", "posts", cwd=tmp_path)
    assert time.monotonic() - t0 < 60  # a hang guard: it took 35 s before the fix, well under 1 s after
    assert p.returncode == 1, p.stderr
    out = json.loads(p.stdout)
    by_file = {(Path(v["path"]).name, v["rule"]) for v in out}
    assert ("bomb.md", "html-malformed") in by_file and ("good.md", "invisible-character") in by_file
    bomb = [v for v in out if v["path"].endswith("bomb.md") and v["rule"] == "html-malformed"]
    assert (bomb[0]["line"], bomb[0]["column"]) == (4, 1)


@pytest.mark.parametrize("token,suffix", [("<!--", ".html"), ("<a ", ".html"), ("<a ", ".md"), ("</", ".html"),
                                          (ZWSP, ".md"), ("[", ".md"), ("<![CDATA[", ".html")])
def test_variant_repeated_tokens_finish(token, suffix):
    raw = ("---\ntitle: x\n---\n<p>앞</p>\n" + token * 20000 + "\n끝\n").encode("utf-8")
    doc = Document("post" + suffix, raw)
    t0 = time.monotonic()
    vs = lint_document(doc, Config())
    assert time.monotonic() - t0 < 30, "quadratic parsing is back"
    assert "internal-error" not in rules_of(vs)


# -- limits: the per-file time budget and the size cap -----------------------------------------


class _SlowRule(Rule):
    """A test-only rule that never ends on posts holding SLOW (a pathological
    parse, as far as the budget's timer can tell; it sleeps rather than spins,
    so the tests running beside it keep the core)."""

    name = "test-slow"
    code = "NL9998"

    def check(self, doc, options):
        if "SLOW" in doc.text:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline:
                time.sleep(0.005)
        yield Finding(0, 1, "checked")


class _SlowConfig(Config):
    def all_rules(self):
        return [*ALL_RULES, _SlowRule]


def _slow_config(seconds: float) -> Config:
    return _SlowConfig(select=["test-slow", "invisible-character"],
                       rule_options={"file-timeout": {"seconds": seconds}},
                       extend_select=["file-timeout"])


@pytest.mark.parametrize("jobs,count", [(1, 3), (2, 30)])
def test_time_budget_stops_a_file_and_the_run_goes_on(tmp_path, jobs, count):
    files = []
    for i in range(count):
        body = "SLOW" if i == 1 else f"본문{ZWSP}"
        files.append(str(write(tmp_path, f"p{i:02}.md", f"---\ntitle: {i}\n---\n{body}\n")))
    cfg = _SlowConfig(select=["test-slow", "invisible-character", "file-timeout"],
                      rule_options={"file-timeout": {"seconds": 0.5}})
    t0 = time.monotonic()
    results = list(lint_files(files, cfg, jobs=jobs, use_cache=False))
    assert time.monotonic() - t0 < 50
    assert [r.path for r in results] == files
    slow = results[1]
    assert rules_of(slow.violations) == ["file-timeout"] and not slow.internal_error
    assert "longer than 0.5 s" in slow.violations[0].message and slow.violations[0].severity == "error"
    for r in results[:1] + results[2:]:
        assert sorted(rules_of(r.violations)) == ["invisible-character", "test-slow"]


def test_variant_budget_in_fixer_and_never_during_write(tmp_path):
    p = write(tmp_path, "slow.md", f"---\ntitle: 느림\n---\nSLOW 본문{ZWSP}\n")
    before = p.read_bytes()
    cfg = _SlowConfig(select=["test-slow", "invisible-character", "file-timeout"],
                      rule_options={"file-timeout": {"seconds": 0.5}})
    r = fix_file(str(p), cfg)
    assert rules_of(r.violations) == ["file-timeout"] and not r.written
    assert p.read_bytes() == before


def test_variant_budget_off_when_zero_or_when_an_outer_timer_runs():
    with time_budget(0) as armed:
        assert armed is False
    import signal

    signal.setitimer(signal.ITIMER_REAL, 30)
    previous = signal.signal(signal.SIGALRM, lambda *a: None)
    try:
        with time_budget(5) as armed:
            assert armed is False  # the caller's timer is left alone
        assert signal.getitimer(signal.ITIMER_REAL)[0] > 0
    finally:
        signal.setitimer(signal.ITIMER_REAL, 0)
        signal.signal(signal.SIGALRM, previous)


def _big(tmp: Path, size: int = 20 * 1024 * 1024) -> Path:
    p = tmp / "posts" / "big.md"
    p.parent.mkdir(parents=True, exist_ok=True)
    with open(p, "wb") as fh:
        fh.write(b"---\ntitle: big\n---\n")
        fh.truncate(size)  # sparse: cheap to make, 20 MB to read
    return p


def test_huge_post_file_too_large_without_reading_it(tmp_path):
    p = _big(tmp_path)
    for how in ("lint_path", "engine", "fixer"):
        tracemalloc.start()
        t0 = time.monotonic()
        if how == "lint_path":
            vs = lint_path(str(p), Config()).violations
        elif how == "engine":
            vs = list(lint_files([str(p)], Config(), jobs=1, use_cache=False))[0].violations
        else:
            r = fix_file(str(p), Config())
            vs = r.violations
            assert not r.written
        elapsed = time.monotonic() - t0
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
        assert rules_of(vs) == ["file-too-large"], how
        assert vs[0].severity == "error" and "20,971,520 bytes" in vs[0].message
        assert peak < 5 * 1024 * 1024, f"{how} read the file ({peak} bytes peak)"
        assert elapsed < 10, how


def test_variant_cli_exit_and_configurable_limit(tmp_path):
    _big(tmp_path)
    write(tmp_path, "posts/small.md", "---\ntitle: 작은 글\n---\n" + "가" * 300 + "\n")
    p = run("check", "--no-cache", "--isolated", "--format", "json", "posts", cwd=tmp_path)
    assert p.returncode == 1
    assert [(Path(v["path"]).name, v["rule"]) for v in json.loads(p.stdout)] == [("big.md", "file-too-large")]
    # A lower limit catches the small post too; the severity is the user's call.
    write(tmp_path, "newslint.toml", '[rules.file-too-large]\nmax_bytes = 500\n[severity]\nfile-too-large = "info"\n')
    p = run("check", "--no-cache", "--format", "json", "posts", cwd=tmp_path)
    got = json.loads(p.stdout)
    assert sorted((Path(v["path"]).name, v["rule"], v["severity"]) for v in got) == [
        ("big.md", "file-too-large", "info"), ("small.md", "file-too-large", "info")]
    # max_bytes = 0 turns the limit off.
    write(tmp_path, "newslint.toml", "[rules.file-too-large]\nmax_bytes = 0\n")
    (tmp_path / "posts" / "big.md").unlink()
    p = run("check", "--no-cache", "--format", "json", "posts", cwd=tmp_path)
    assert p.returncode == 0, p.stdout


# -- discovery --------------------------------------------------------------------------------


def _tree(tmp: Path) -> Path:
    posts = tmp / "site" / "posts"
    write(posts, "a.md", f"---\ntitle: 에이\n---\n본문{ZWSP}\n")
    write(posts, "sub/b.md", f"---\ntitle: 비\n---\n본문{ZWSP}\n")
    outside = write(tmp, "outside/secret.md", f"---\ntitle: SECRET-TITLE\n---\nSECRET{ZWSP}\n")
    os.symlink(outside, posts / "evil.md")
    os.symlink("/etc/passwd", posts / "passwd.md")
    os.symlink("..", posts / "sub" / "loop")
    os.symlink("../a.md", posts / "sub" / "alias.md")
    os.mkfifo(posts / "fifo.md")
    return posts


def test_symlink_leaving_the_tree_is_skipped_with_a_warning(tmp_path):
    posts = _tree(tmp_path)
    p = run("check", "--no-cache", "--isolated", "--format", "json", str(posts))
    out = json.loads(p.stdout)
    assert b"SECRET" not in p.stdout and b"root:" not in p.stdout
    assert not [v for v in out if "evil" in v["path"] or "passwd" in v["path"]]
    err = p.stderr.decode()
    assert "evil.md: symlink points outside the folder being checked" in err
    assert "passwd.md: symlink points outside the folder being checked" in err


def test_variant_fix_never_writes_through_an_escaping_link(tmp_path):
    posts = _tree(tmp_path)
    target = tmp_path / "outside" / "secret.md"
    before = target.read_bytes()
    p = run("check", "--no-cache", "--isolated", "--fix", str(posts))
    assert p.returncode in (0, 1), p.stderr
    assert target.read_bytes() == before
    assert ZWSP not in (posts / "a.md").read_text("utf-8")  # the real posts were fixed


def test_symlink_loop_terminates_and_each_file_once(tmp_path):
    posts = _tree(tmp_path)
    p = run("check", "--no-cache", "--isolated", "--format", "json", str(posts))
    out = json.loads(p.stdout)
    paths = [v["path"] for v in out if v["rule"] == "invisible-character"]
    assert sorted(Path(x).relative_to(posts).as_posix() for x in paths) == ["a.md", "sub/b.md"]
    assert "alias.md: symlink to" in p.stderr.decode()


def test_variant_discovery_api_on_loop_only_tree(tmp_path):
    from newslint.discovery import discover

    root = tmp_path / "loop"
    write(root, "x/p.md", "---\ntitle: p\n---\n")
    os.symlink("..", root / "x" / "up")
    os.symlink(".", root / "x" / "self")
    os.symlink(root, root / "x" / "abs")
    found = discover([str(root)])
    assert found.files == [str(root / "x" / "p.md")]


def test_fifo_skipped_without_hanging(tmp_path):
    posts = _tree(tmp_path)
    p = run("check", "--no-cache", "--isolated", str(posts), process=True)
    assert "fifo.md: not a regular file" in p.stderr.decode()
    # Named on the command line it is skipped too, not opened (opening would block).
    p = run("check", "--no-cache", "--isolated", str(posts / "fifo.md"), process=True)
    assert p.returncode == 0 and "not a regular file" in p.stderr.decode()


def test_variant_device_file_skipped(tmp_path):
    p = run("check", "--no-cache", "--isolated", "/dev/zero", process=True)
    assert p.returncode == 0 and "/dev/zero: not a regular file" in p.stderr.decode()


# -- NFD file names ---------------------------------------------------------------------------


def test_nfd_file_name_warns_and_suggests_renaming(tmp_path):
    nfc = "2024-01-02-뉴스.md"
    nfd = unicodedata.normalize("NFD", nfc)
    assert nfd != nfc
    write(tmp_path, f"posts/{nfd}", "---\ntitle: 뉴스\n---\n본문.\n")
    write(tmp_path, "posts/other.md", "---\ntitle: 다른 글\nrelated: [2024-01-02-뉴스]\n---\n본문.\n")
    p = run("check", "--no-cache", "--isolated", "--format", "json", "posts", cwd=tmp_path)
    got = [v for v in json.loads(p.stdout) if v["rule"] == "file-name-nfd"]
    assert len(got) == 1 and got[0]["path"].endswith(nfd)
    assert f"`{nfc}`" in got[0]["message"] and "rename" in got[0]["message"]
    assert (got[0]["line"], got[0]["column"], got[0]["severity"]) == (1, 1, "warning")


def test_variant_nfc_name_and_nfd_folder():
    assert not [v for v in lint("---\ntitle: x\n---\n", path="posts/뉴스.md") if v.rule == "file-name-nfd"]
    folder = unicodedata.normalize("NFD", "뉴스")
    vs = [v for v in lint("---\ntitle: x\n---\n", path=f"{folder}/post.md") if v.rule == "file-name-nfd"]
    assert len(vs) == 1 and "folder name `뉴스`" in vs[0].message


# -- pack regexes run on the `regex` engine with a timeout --------------------------------------


def _pack_site(tmp: Path, raw: str, body: str, name: str = "site-pattern") -> Path:
    pack = ("pack: site\nrules:\n"
            f"  - name: {name}\n    scope: body\n    message: \"matched `{{match}}`\"\n"
            f"    summary: A test pattern.\n    raw: [{json.dumps(raw)}]\n")
    write(tmp, "site.yaml", pack)
    write(tmp, "newslint.toml", f'packs = ["site.yaml"]\nselect = ["{name}"]\n')
    write(tmp, "posts/post.md", f"---\ntitle: 제목\n---\n{body}\n")
    return tmp


def test_catastrophic_pattern_finishes_fast(tmp_path):
    site = _pack_site(tmp_path, "(a+)+$", "a" * 50 + "!")
    t0 = time.monotonic()
    p = run("check", "--no-cache", "--format", "json", "posts", cwd=site)
    assert time.monotonic() - t0 < 20
    assert p.returncode in (0, 1), p.stderr
    # The `regex` engine answers this one at once: no match, nothing reported.
    assert json.loads(p.stdout) == []


def test_variant_pattern_that_does_backtrack_is_stopped_with_a_finding(tmp_path):
    site = _pack_site(tmp_path, "(a|aa)+$", "a" * 60 + "!")
    t0 = time.monotonic()
    p = run("check", "--no-cache", "--format", "json", "posts", cwd=site)
    assert time.monotonic() - t0 < 30
    assert p.returncode == 1, p.stderr
    out = json.loads(p.stdout)
    assert len(out) == 1 and "took longer than" in out[0]["message"] and "(a|aa)+$" in out[0]["message"]


def test_lookbehind_is_supported_by_the_safe_engine(tmp_path):
    # newslint runs patterns on `regex`, not re2: lookbehind (even variable-length) works.
    site = _pack_site(tmp_path, "(?<=부산|서울특별)시", "부산시와 서울특별시, 그리고 시청.")
    p = run("check", "--no-cache", "--format", "json", "posts", cwd=site)
    out = json.loads(p.stdout)
    assert [(v["line"], v["column"], v["end_column"]) for v in out] == [(4, 3, 4), (4, 10, 11)]


def test_variant_bad_pattern_is_a_config_error_with_file_and_line(tmp_path):
    site = _pack_site(tmp_path, "(?<=unclosed", "본문")
    p = run("check", "--no-cache", "posts", cwd=site)
    assert p.returncode == 2
    err = p.stderr.decode()
    assert "site.yaml:3" in err and "bad pattern" in err and "Traceback" not in err


def test_unicode_word_class_matches_hangul(tmp_path):
    site = _pack_site(tmp_path, r"\w+시", "오늘 부산시 예산.")
    out = json.loads(run("check", "--no-cache", "--format", "json", "posts", cwd=site).stdout)
    assert len(out) == 1 and out[0]["message"] == "matched `부산시`"


# -- schemas: no network, no path escape, safe patterns, checked formats -------------------------


class _Counter(http.server.BaseHTTPRequestHandler):
    hits = 0

    def do_GET(self):  # noqa: N802
        type(self).hits += 1
        body = b'{"type": "string"}'
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


@pytest.fixture
def loopback():
    _Counter.hits = 0
    server = http.server.HTTPServer(("127.0.0.1", 0), _Counter)
    # serve_forever polls for shutdown() every poll_interval (0.5 s by default).
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.02}, daemon=True)
    thread.start()
    try:
        yield server
    finally:
        server.shutdown()
        server.server_close()


def _schema_site(tmp: Path, schema: dict, title: str = "제목", extra: str = "") -> Path:
    write(tmp, "schemas/post.schema.json", json.dumps(schema))
    write(tmp, "newslint.toml", 'front-matter-schema = "schemas/post.schema.json"\n')
    write(tmp, "posts/post.md", f"---\ntitle: {title}\n{extra}---\n본문.\n")
    return tmp


@pytest.mark.parametrize("ref_kind", ["loopback-http", "https", "loopback-https"])
def test_remote_ref_is_a_config_error_with_zero_requests(tmp_path, loopback, ref_kind):
    port = loopback.server_address[1]
    ref = {"loopback-http": f"http://127.0.0.1:{port}/s.json", "https": "https://example.com/s.json",
           "loopback-https": f"https://127.0.0.1:{port}/s.json"}[ref_kind]
    site = _schema_site(tmp_path, {"type": "object", "properties": {"title": {"$ref": ref}}})
    p = run("check", "--no-cache", "posts", cwd=site)
    assert p.returncode == 2
    err = p.stderr.decode()
    assert "newslint.toml:1" in err and "is not allowed" in err and ref in err
    assert _Counter.hits == 0
    # Control: the counter does count a real request.
    import urllib.request

    urllib.request.urlopen(f"http://127.0.0.1:{port}/s.json", timeout=10).read()
    assert _Counter.hits == 1


@pytest.mark.parametrize("ref,why", [("../../../etc/passwd", "leaves the schema's folder"),
                                     ("file:///etc/passwd", "is not allowed"),
                                     ("/etc/passwd", "is not allowed"),
                                     ("sub/../../outside.json#/x", "leaves the schema's folder")])
def test_path_escaping_ref_is_a_config_error(tmp_path, ref, why):
    write(tmp_path, "outside.json", '{"type": "string"}')
    site = _schema_site(tmp_path, {"type": "object", "properties": {"title": {"$ref": ref}}})
    p = run("check", "--no-cache", "posts", cwd=site)
    assert p.returncode == 2
    err = p.stderr.decode()
    assert why in err and "root:" not in err and "Traceback" not in err


def test_variant_local_ref_beside_the_schema_works(tmp_path):
    write(tmp_path, "schemas/defs.json", '{"$defs": {"t": {"type": "string", "maxLength": 3}}}')
    site = _schema_site(tmp_path, {"type": "object", "properties": {"title": {"$ref": "defs.json#/$defs/t"}}},
                        title="아주 긴 제목")
    p = run("check", "--no-cache", "--format", "json", "posts", cwd=site)
    assert p.returncode == 1
    assert [v["rule"] for v in json.loads(p.stdout)] == ["front-matter-schema"]


@pytest.mark.parametrize("slug,match", [("a" * 30, True), ("a" * 30 + "!", False)])
def test_schema_pattern_runs_on_the_safe_engine(tmp_path, slug, match):
    schema = {"type": "object", "properties": {"slug": {"type": "string", "pattern": "^(a|a)*$"}}}
    site = _schema_site(tmp_path, schema, extra=f"slug: \"{slug}\"\n")
    t0 = time.monotonic()
    p = run("check", "--no-cache", "--format", "json", "posts", cwd=site)
    assert time.monotonic() - t0 < 30  # `re` would take hours on the second slug
    out = [v for v in json.loads(p.stdout) if v["rule"] == "front-matter-schema"]
    if match:
        assert out == [] and p.returncode == 0
    else:
        assert len(out) == 1 and out[0]["line"] == 3
        assert "took too long" in out[0]["message"] or "does not match" in out[0]["message"]


def test_format_newslint_cannot_check_is_a_startup_error(tmp_path):
    from newslint.formats import format_checker

    wanted = ["uri", "date-time", "x-made-up-format", "date"]
    props = {f"k{i}": {"type": "string", "format": f} for i, f in enumerate(wanted)}
    site = _schema_site(tmp_path, {"type": "object", "properties": props})
    p = run("check", "--no-cache", "posts", cwd=site)
    missing = sorted(f for f in wanted if f not in format_checker().checkers)
    assert "x-made-up-format" in missing and "date" not in missing
    assert p.returncode == 2
    err = p.stderr.decode()
    assert f"formats newslint cannot check here: {', '.join(missing)}" in err


# -- a console that cannot print Korean or emoji ---------------------------------------------------


@pytest.mark.parametrize("fmt", ["text", "full", "json", "github", "sarif"])
def test_cp949_console_no_crash_exit_1(tmp_path, fmt):
    name = "漢字—😀.md"
    write(tmp_path, f"posts/{name}", f"---\ntitle: 漢字 — 😀\n---\n본문{ZWSP} — 😀 漢字\n")
    p = run("check", "--no-cache", "--isolated", "--format", fmt, "posts", cwd=tmp_path,
            env={"PYTHONIOENCODING": "cp949", "LC_ALL": "C", "LANG": "C"}, process=True)
    err = p.stderr.decode("cp949", "replace")
    assert p.returncode == 1, err
    assert "UnicodeEncodeError" not in err and "Traceback" not in err
    if fmt in ("json", "sarif"):
        data = json.loads(p.stdout.decode("utf-8"))  # machine formats are UTF-8 whatever the console
        assert name in json.dumps(data, ensure_ascii=False)
    elif fmt == "github":
        assert name in p.stdout.decode("utf-8")
    else:
        out = p.stdout.decode("cp949")
        assert "invisible-character" in out and "\\U0001f600" in out  # escaped, not a crash


def test_variant_lone_spacer_in_generated_markup_is_left_alone(tmp_path):
    # KaTeX's spacer keeps its element from collapsing: no one copies it, neither rule reports it.
    text = f'---\ntitle: 수식\n---\n<span class="vlist-s">{ZWSP}</span> 본문{ZWSP}.\n'
    vs = [(v.rule, v.column) for v in lint(text) if v.rule in INVISIBLE_RULES]
    assert vs == [("invisible-character", 34)]
    after, _ = fixed(tmp_path, text)
    assert after == text.replace(f"본문{ZWSP}", "본문")


def test_variant_invisible_before_the_first_fence_is_not_fixed(tmp_path):
    # Jekyll sees no front matter here; deleting the ZWSP would create one: the author decides.
    text = f"{ZWSP}---\ntitle: 제목\n---\n본문{ZWSP}.\n"
    vs = [v for v in lint(text) if v.rule == "invisible-character"]
    assert [(v.line, v.column, v.fix is None) for v in vs] == [(1, 1, True), (4, 3, False)]
    after, r = fixed(tmp_path, text)
    assert after == f"{ZWSP}---\ntitle: 제목\n---\n본문.\n" and not r.problems


@pytest.mark.parametrize("row", ["|" + "`" * 20000 + "|x|", "|" + "`a" * 20000 + "|", "| {{< " * 5000 + "|",
                                 "| {% raw " * 5000 + "|"])
def test_variant_table_rows_and_template_openers_finish(row):
    # Found by bench/fuzz_long.py: a backtracking code-span regex in the table
    # code ran for minutes inside one C call (no time budget can stop that).
    raw = f"---\ntitle: x\n---\n| a | b |\n|---|---|\n{row}\n".encode()
    t0 = time.monotonic()
    vs = lint_document(Document("post.md", raw), Config())
    assert time.monotonic() - t0 < 30
    assert "internal-error" not in rules_of(vs)


def test_variant_many_problems_inside_many_template_tags_finish():
    # Found by bench/fuzz_long.py (seed 8): 5,000 HTML problems checked one by one
    # against 20,000 Liquid spans took 23 s.
    raw = ("---\ntitle: x\n---\n" + "<b>{% raw " * 5000 + "{% raw " * 15000 + "\n").encode()
    t0 = time.monotonic()
    vs = lint_document(Document("post.md", raw), Config(select=["html-malformed"]))
    assert time.monotonic() - t0 < 30
    assert len(vs) == 5000 and {v.rule for v in vs} == {"html-malformed"}


def test_pre_split_by_a_blank_line_names_the_close_tag_markdown_ignores():
    from conftest import lint_text

    post = "---\ntitle: t\n---\n<p>x</p>\n<pre><code>a\n\n\tb\n\tc</code></pre>\n"
    found = [v for v in lint_text(post) if v.rule == "html-malformed"]
    assert found and found[0].line == 5
    assert "its `</pre>` on line 8 is read as Markdown" in found[0].message
    # A stray closing tag of another element is not blamed on a blank line.
    post = '---\ntitle: t\n---\nA <a href="x">one<a/> two.\n\nB <a href="y">three</a>\n'
    assert not [v for v in lint_text(post) if "read as Markdown" in v.message]
