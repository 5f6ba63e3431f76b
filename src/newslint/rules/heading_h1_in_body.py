from __future__ import annotations

from ..model import Finding
from ..ruleapi import Rule
from .heading_increment import body_headings


class HeadingH1InBody(Rule):
    """A level-1 heading in the body of a post that has a title.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reports every `#` heading (or `===` setext heading) and every `<h1>` in
    the body of a post whose front matter has a `title`.

    A post without a `title` is not reported: there the first `# heading`
    often is the title (the `jekyll-titles-from-headings` plugin and some
    Hugo themes take it from there).

    ## Why is this bad?
    The layout already renders the `title` as the page's `<h1>`. A second
    level-1 heading in the body gives the page two top-level headings: screen
    readers announce two titles, the theme's table of contents puts the
    section beside the post instead of under it, and search engines may pick
    the wrong one as the page's subject.

    ## Example
    ```markdown
    ---
    title: 부산시, 디지털 트윈 플랫폼 공개
    ---
    # 사업 개요
    ```

    ## Use instead
    ```markdown
    ---
    title: 부산시, 디지털 트윈 플랫폼 공개
    ---
    ## 사업 개요
    ```
    """

    name = "heading-h1-in-body"
    code = "NL421"
    severity = "warning"
    tags = ("headings", "accessibility")

    def check(self, doc, options):
        out: list[Finding] = []
        fm = doc.front_matter
        if fm is None or not fm.ok or not fm.data.get("title"):
            return out
        for h in body_headings(doc):
            if h.level != 1:
                continue
            what, use = ("`<h1>`", "`<h2>`") if h.html else ("a `#` heading", "`##`")
            out.append(Finding(h.start, h.end, f"{what} in the body: the layout already renders the title as the "
                                               f"page's level-1 heading; use {use} for a section"))
        return out
