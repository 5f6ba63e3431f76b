from __future__ import annotations

import re

from ..model import Finding
from ..ruleapi import Rule


class FrontMatterMissing(Rule):
    """A post with no front matter.

    ## What it does
    Generators: Jekyll and Hugo; each message names the generator of the
    post's site (outside a known site, what each of them does).

    Reports a post whose first line is not a front matter fence (`---` for
    YAML, `+++` for Hugo's TOML), and says why when the fence is nearly
    there: front matter after a blank line, an indented fence, an invisible
    character (a second byte order mark, a zero-width space) before the
    fence, or a first line of `----` or `--- text`. A file with CR-only line
    endings is left to `cr-line-ending`. On a Hugo site, blank lines or
    spaces before the fence are not reported: Hugo skips them and reads the
    front matter.

    ## Why is this bad?
    Out of the box, Jekyll does not convert a Markdown file without front
    matter into a page: the post silently disappears from the site. Front
    matter that does not start at byte 0 of the file is ignored the same way,
    and its keys show up as text at the top of the post. Hugo renders a file
    without front matter with an empty title and no date, ignores front
    matter behind an invisible character, and stops the build on a first
    line of `----` or `--- text`.

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
            return ()
        text = doc.text
        if _CR_FENCE.match(text):
            return ()  # CR-only line endings: cr-line-ending explains what each generator sees
        generator = doc.site.generator
        stripped = text.lstrip(_BEFORE_FENCE)
        if _FENCE.match(stripped) and stripped is not text:
            fence = len(text) - len(stripped)
            invisible = [c for c in text[:fence] if c not in " \t\r\n"]
            if generator == "hugo" and not invisible:
                return ()  # Hugo skips blank lines and spaces before the fence and reads the front matter
            what = "remove what comes before the `---`"
            if invisible:
                what = f"remove the invisible U+{ord(invisible[0]):04X} and anything else before the `---`"
            who = {"jekyll": "Jekyll ignores it", "hugo": "Hugo ignores it"}.get(generator) or (
                "Jekyll and Hugo ignore it" if invisible else "Jekyll ignores it")
            return [Finding(fence, fence + 3, f"front matter does not start at byte 0 of the file: {who}, {what}")]
        near = _NEAR_FENCE.match(text)
        if near:
            outcome = {"jekyll": "Jekyll sees no front matter", "hugo": "Hugo stops the build on it"}.get(
                generator, "Jekyll sees no front matter and Hugo stops the build on it")
            return [Finding(0, doc.line_end(0), f"line 1 is `{near.group(1).strip()}`, which is not a front matter "
                                                f"fence (a fence is exactly `---`): {outcome}")]
        if generator == "hugo":
            return [Finding(0, doc.line_end(0),
                            "post has no front matter (Hugo renders it with an empty title and no date)")]
        if generator == "jekyll":
            return [Finding(0, doc.line_end(0),
                            "post has no front matter (Jekyll does not render a Markdown file without it)")]
        return [Finding(0, doc.line_end(0), "post has no front matter (Jekyll does not render a Markdown file without "
                                            "it; Hugo renders it with an empty title and no date)")]


# What may hide before a fence: blank lines, indentation, invisible characters
# (a second byte order mark, a zero-width space, a no-break space).
_BEFORE_FENCE = " \t\r\n\ufeff\u200b\u2060\u00a0\u3000"
_FENCE = re.compile(r"(?:---|\+\+\+)[ \t]*\r?\n")
_CR_FENCE = re.compile(r"(?:---|\+\+\+)[ \t]*\r(?!\n)")
_NEAR_FENCE = re.compile(r"(-{4,}|---[ \t]+\S[^\n]*|-[ \t]+-[ \t]+-[ \t-]*)\r?(?:\n|$)")
