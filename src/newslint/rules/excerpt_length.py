from __future__ import annotations

from ..model import Finding
from ..ruleapi import Rule
from .front_text import display_width, front_string, visible
from .title_length import width_option


class ExcerptLength(Rule):
    """An `excerpt` (or `description`) longer than a search snippet.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Measures each of the front-matter keys `keys` (by default `excerpt` and
    `description`) as readers see it (tags, Markdown marks and template tags
    dropped, entities decoded) in display columns: East Asian wide characters
    (Hangul, CJK ideographs, fullwidth forms) count two columns, other
    characters one. Reports a text wider than `max_width`.

    ## Why is this bad?
    Jekyll's SEO tag and most themes put the excerpt (or the description) in
    the page's meta description, which search engines show as the snippet
    under the title. Google cuts snippets at about 920 px on desktop, some
    155 to 160 Latin characters and half as many Hangul syllables; mobile
    results and Naver cut shorter. Past the cut the reader sees "...". The
    default, 160 columns, is that limit: 160 Latin characters or 80 Hangul
    syllables. Lists of posts that print the excerpt get uneven, too.

    ## Example
    ```yaml
    excerpt: >
      부산시가 디지털 트윈 시범구역 조성 사업에 선정되어 2026년까지 국민 맞춤형
      서비스와 안전 해결책을 개발합니다. 글로벌 허브도시 부산의 미래를 밝혀줄
      혁신적 프로젝트의 시작!
    ```

    ## Use instead
    ```yaml
    excerpt: 부산시가 디지털 트윈 시범구역 사업에 선정돼 2026년까지 시민 안전 서비스를 개발합니다.
    ```

    ## Options
    - `max_width` (default 160): the widest text, in display columns.
    - `keys` (default `["excerpt", "description"]`): the front-matter keys measured.
    """

    name = "excerpt-length"
    code = "NL111"
    severity = "info"
    tags = ("front-matter", "seo")
    options = {"max_width": 160, "keys": ["excerpt", "description"]}

    def check(self, doc, options):
        out: list[Finding] = []
        fm = doc.front_matter
        if fm is None or not fm.ok:
            return out
        limit = width_option(options, 160)
        keys = options.get("keys", ["excerpt", "description"])
        if isinstance(keys, str):
            keys = [keys]
        data = fm.data
        for key in keys:
            if str(key) not in data:
                continue  # most posts have no excerpt: no string to look for
            found = front_string(doc, str(key))
            if found is None:
                continue
            value, start, end = found
            width = display_width(visible(value))
            if width > limit:
                out.append(Finding(start, end, f"`{key}` is {width} columns wide, over {limit}: search snippets cut "
                                               f"it at about {limit} columns ({limit // 2} Hangul syllables)"))
        return out
