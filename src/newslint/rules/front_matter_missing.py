from __future__ import annotations

from ..model import Finding
from .base import Rule


class FrontMatterMissing(Rule):
    """A post with no front matter.

    ## What it does
    Reports a post whose first line is not a front matter fence (`---` for
    YAML, `+++` for Hugo's TOML).

    ## Why is this bad?
    Out of the box, Jekyll does not convert a Markdown file without front
    matter into a page: the post silently disappears from the site. Front
    matter that starts after a blank line or a byte order mark of another
    encoding is ignored the same way.

    ## Example
    ```markdown
    # My post

    Text.
    ```

    ## Use instead
    ```markdown
    ---
    title: My post
    ---

    Text.
    ```
    """

    name = "front-matter-missing"
    code = "NL101"
    severity = "error"

    def check(self, doc, options):
        if doc.front_matter is not None:
            return
        text = doc.text
        stripped = text.lstrip(" \t\r\n")
        if stripped.startswith(("---\n", "---\r\n", "+++\n", "+++\r\n")) and stripped is not text:
            fence = len(text) - len(stripped)
            yield Finding(fence, fence + 3, "front matter does not start on line 1: Jekyll and Hugo ignore it, remove what comes before the `---`")
            return
        yield Finding(0, doc.line_end(0), "post has no front matter (Jekyll does not render a Markdown file without it)")
