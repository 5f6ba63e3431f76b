"""Heading text as the renderers read it: a closing run of `#` is dropped only
after whitespace, whatever the script and line ending."""

from __future__ import annotations

import pytest

from newslint.site.ids import IdMaker, heading_text


@pytest.mark.parametrize(("source", "text"), [
    ("## Title ##", "Title"),
    ("## Title ##   \n", "Title"),
    ("# C#", "C#"),
    ("# C# and F#", "C# and F#"),
    ("### 설치 방법 ###\r\n", "설치 방법"),
    ("## 한글\u3000##", "한글"),
    ("#", ""),
    ("## ##", "##"),  # no whitespace before the run: it is the text
    ("\ufeff## BOM ##", "\ufeff## BOM ##"),  # not a heading line: kept whole
    ("Title\n=====", "Title"),
    ("## Title {#own} ##", "Title"),
])
def test_closing_hashes(source, text):
    assert heading_text(source)[0] == text


def test_kramdown_ids_of_korean_headings_repeat_numbered():
    maker = IdMaker("kramdown", {})
    ids = [maker.make(heading_text(s)[0]) for s in ("## 설치 방법 ##", "## 설치 방법", "# C# 入門")]
    assert ids == ["설치-방법", "설치-방법-1", "c-入門"]
