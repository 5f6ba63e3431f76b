from __future__ import annotations

from ..model import Finding
from ..ruleapi import Rule


class FrontMatterSyntax(Rule):
    """Front matter that does not parse.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Parses the YAML (or TOML) front matter and reports the first error at its
    line and column in the file: an unquoted `: ` inside a value, a tab used
    for indentation, an unclosed quote, a block with no closing `---`.
    YAML anchors and aliases, and nesting deeper than 50 levels, are refused
    too: they are never needed in a post and they are how alias bombs work.
    So is a YAML tag other than the standard ones (`!!python/tuple`, `!x`):
    newslint never constructs it, and Jekyll and Hugo ignore it and read the
    value under it.

    ## Why is this bad?
    Jekyll stops the build (or skips the post), and Hugo stops the build,
    on front matter they cannot parse: none of the post's metadata reaches
    the site.

    ## Example
    ```yaml
    ---
    title: 속보: 서울시 예산
    ---
    ```

    ## Use instead
    ```yaml
    ---
    title: "속보: 서울시 예산"
    ---
    ```
    """

    name = "front-matter-syntax"
    code = "NL102"
    severity = "error"

    def check(self, doc, options):
        out: list[Finding] = []
        fm = doc.front_matter
        if fm is None or fm.error is None:
            return out
        err = fm.error
        end = doc.line_end(err.offset)
        out.append(Finding(err.offset, max(end, err.offset), err.message))
        return out
