"""The fuzz test in CI: a few seconds, zero crashes, zero hangs.

Two parts:

* Hypothesis builds posts from hostile fragments (fences, unclosed HTML,
  Liquid, invisible and bidi characters, YAML traps, CRLF, NUL, ...) and
  arbitrary text; every post is linted and fixed in memory.
* A seeded mutation fuzzer (fuzzing.py) mutates real posts of
  ../shared/corpus: byte flips, truncation, splicing two files, encoding swaps
  to UTF-16 and CP949, inserted `---`, `<!--`, NUL and friends.

"Crash" means an exception, an ``internal-error`` finding or a rule failing on
fixed text; "hang" means one input over the guard (10 s; the long run in
bench/fuzz_long.py uses the same guard). The fixer refusing its own result
(``fix-reverted``) is a handled outcome, not a crash.

Both parts are sized for the default test run (a few seconds): a fixed seed
and derandomized examples give every run the same inputs, so new inputs come
from long runs: bench/fuzz_long.py (same fuzzer, any seed and count) and
`pytest --hypothesis-profile=explore` (the generated posts).
"""

from __future__ import annotations

from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import fuzzing
from conftest import CORPUS, needs_shared

FRAGMENTS = [
    "---\n", "---", "...\n", "+++\n", "title: 제목\n", "title: 속보: 예산\n", "country: NO\n", "id: 012\n",
    "date: 2024-13-45\n", "a: &x [*x]\n", "x: !!python/object/apply:os.system [\"true\"]\n", "[[[[[[", "{a: {b:",
    "\t- 탭\n", "- a\n- b\n", "? [a]: b\n", "1: one\n", "title: A\ntitle: B\n",
    "<!--", "-->", "<!--more-->", "<script>", "</script>", "<textarea>", "<style>", "<p>", "</p>", "<b><i>",
    "</b></i>", "<table><tr><td>", "<img src='a.png'>", '<img src="a.png" alt="">', '<a href="x" target="_blank">',
    "</a>", "&nbsp;", "&amp;", "&#x3131;", "&#", "<", ">", "`", "```\n", "~~~\n", "    code\n", "| a | b |\n",
    "|---|\n", "[link](http://example.com/\u200bx)", "![alt](a.png)", "[ref]: http://x\n",
    "{% raw %}", "{% endraw %}", "{% include figure.html caption=\"그림\" %}", "{{ page.title }}",
    "{{< figure src=\"a.png\" >}}", "{: .lead}", "<!-- newslint-disable invisible-character -->",
    "<!-- newslint-disable-next-line -->", "\u200b", "\u2060", "\ufeff", "\u3164", "\u115f", "\u202e", "\u2066",
    "\u2069", "\u200e", "\u2028", "\u2029", "\u1100\u1161\u11ab", "한글", "ㄱㄴ", "\uf914", "😀", "—", "\x00",
    "\x85", "\x9f", "\r\n", "\r", "\n", "\n\n", " ", "실시간 뉴스 속보는, ", '<p data-ke-size="size16">&nbsp;</p>',
]

_post = st.lists(st.one_of(st.sampled_from(FRAGMENTS), st.text(max_size=20)), max_size=40).map("".join)


# Examples and their draw come from the profile (conftest.py): the default run's
# 100, the same every run; `--hypothesis-profile=explore` for many more, new ones.
@settings(deadline=None, suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much])
@given(text=_post, suffix=st.sampled_from([".md", ".html"]), bom=st.booleans(),
       encoding=st.sampled_from(["utf-8", "utf-8", "utf-8", "utf-16", "cp949"]))
def test_fuzz_generated_posts_never_crash_or_hang(text, suffix, bom, encoding):
    raw = text.encode(encoding, "replace")
    if bom and encoding == "utf-8":
        raw = b"\xef\xbb\xbf" + raw
    out = fuzzing.run_one(raw, "post" + suffix, fuzzing.fuzz_config(), fix=True, hang_after=10.0)
    assert out.kind in ("ok", "fix-failed"), (out.kind, out.detail, text)


def test_fuzz_mutations_are_reproducible():
    files_a = [b"---\ntitle: a\n---\nbody\n"]
    a = [fuzzing.mutate(__import__("random").Random(3), files_a[0], files_a[0]) for _ in range(3)]
    b = [fuzzing.mutate(__import__("random").Random(3), files_a[0], files_a[0]) for _ in range(3)]
    assert a == b


def test_fuzz_harness_reports_a_crash_as_a_crash(monkeypatch):
    # The harness must not hide failures: a rule that raises becomes an internal
    # error in the linter, which the fuzzer counts as a crash.
    from newslint.rules.invisible_character import InvisibleCharacter

    def boom(self, doc, options):
        raise RuntimeError("planted")
        yield  # pragma: no cover

    monkeypatch.setattr(InvisibleCharacter, "check", boom)
    out = fuzzing.run_one(b"---\ntitle: x\n---\nbody\n", "post.md", fuzzing.fuzz_config(), fix=False)
    assert out.kind == "crash" and "planted" in out.detail


@needs_shared
def test_fuzz_mutated_corpus_never_crashes_or_hangs():
    files = fuzzing.corpus_files(Path(CORPUS))
    assert len(files) > 1000
    report = fuzzing.run(files, seed=20261201, count=900, time_cap=45.0, fix_every=3, hang_after=10.0)
    assert report.inputs >= 200, "the fuzzer barely ran"
    bad = [f for f in report.failures if f[0] in ("crash", "hang")]
    assert not bad, bad[:5]
    assert report.counts.get("ok", 0) + report.counts.get("fix-failed", 0) == report.inputs
