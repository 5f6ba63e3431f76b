from __future__ import annotations

from ..model import Finding
from ..ruleapi import Rule


class HtmlDropped(Rule):
    """HTML in a Markdown post of a Hugo site that renders without raw HTML.

    ## What it does
    Generator: Hugo (goldmark with `markup.goldmark.renderer.unsafe` false).

    Reports, once per post, the first HTML block or inline tag of a Markdown
    post whose Hugo site leaves goldmark's `markup.goldmark.renderer.unsafe`
    false (Hugo's default): Hugo drops every piece of raw HTML from the page
    and writes `<!-- raw HTML omitted -->` in its place. The other HTML rules
    do not look at that HTML: it never reaches a reader.

    ## Why is this bad?
    An image, a table or a styled paragraph written as HTML silently
    disappears from the published page, while it shows in the editor's
    preview and on any other Markdown renderer.

    ## Example
    ```markdown
    <figure><img src="/img/map.png" alt="지도"></figure>
    ```

    ## Use instead
    ```markdown
    ![지도](/img/map.png)
    ```
    or set `markup.goldmark.renderer.unsafe = true` in the site's config.
    """

    name = "html-dropped"
    code = "NL804"
    severity = "info"
    tags = ("html", "hugo")

    def check(self, doc, options):
        out: list[Finding] = []
        if doc.site.raw_html or doc.kind != "markdown" or not doc.ok or "<" not in doc.text:
            return out
        spans = doc.markdown.html
        if not spans:
            return out
        start, end = spans[0]
        end = min(end, doc.line_end(start))
        out.append(Finding(start, max(end, start + 1),
                           f"Hugo drops raw HTML here (markup.goldmark.renderer.unsafe is false): {len(spans)} piece"
                           f"{'s' if len(spans) != 1 else ''} of HTML in this post never reach the page"))
        return out
