from __future__ import annotations

from ..model import Finding
from ..ruleapi import Rule
from .front_text import display_width, front_string, visible


def width_option(options, default: int) -> int:
    try:
        return max(1, int(options.get("max_width", default)))
    except (TypeError, ValueError):
        return default


class TitleLength(Rule):
    """A `title` wider than search results show.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Measures the front-matter `title` as readers see it (tags, Markdown marks
    and template tags dropped, entities decoded) in display columns: East
    Asian wide characters (Hangul, CJK ideographs, fullwidth forms) count two
    columns, other characters one. Reports a title wider than `max_width`.

    ## Why is this bad?
    Search engines cut a result's title at a fixed pixel width, about 600 px
    on Google's desktop results: some 55 to 60 Latin characters, and half as
    many Hangul syllables, which are about twice as wide. Naver and Daum cut
    at a similar width. A longer title loses its end, often the part that
    says what the news is; social cards and browser tabs cut it too. The
    default, 60 columns, is that limit: 60 Latin characters or 30 Hangul
    syllables.

    ## Example
    ```yaml
    title: 디지털 트윈 부산시 시범구역 조성 사업 최종 선정, 2026년까지 국민 맞춤형 서비스 개발
    ```

    ## Use instead
    ```yaml
    title: 부산시, 디지털 트윈 시범구역 사업 선정
    ```

    ## Options
    - `max_width` (default 60): the widest title, in display columns.
    """

    name = "title-length"
    code = "NL110"
    severity = "info"
    tags = ("front-matter", "seo")
    options = {"max_width": 60}

    def check(self, doc, options):
        out: list[Finding] = []
        fm = doc.front_matter
        limit = width_option(options, 60)
        if fm is None or not fm.ok or len(str(fm.data.get("title", ""))) * 2 <= limit:
            return out  # no character is wider than 2 columns: the title fits
        value = fm.data.get("title")
        if not isinstance(value, str):
            return out  # front_string would find no string either
        width = display_width(visible(value))
        if width > limit:
            # Where the title is written, looked up only to report it.
            found = front_string(doc, "title")
            if found is None:
                return out
            value, start, end = found
            out.append(Finding(start, end, f"`title` is {width} columns wide, over {limit}: search results cut it "
                                           f"at about {limit} columns ({limit // 2} Hangul syllables), so readers "
                                           "do not see its end"))
        return out
