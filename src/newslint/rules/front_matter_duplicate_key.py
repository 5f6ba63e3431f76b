from __future__ import annotations

from ..model import Finding
from ..ruleapi import Rule


class FrontMatterDuplicateKey(Rule):
    """A front matter key written twice.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reports every key that appears more than once in the same mapping, naming
    the line of the first one.

    ## Why is this bad?
    YAML parsers silently keep the last value: the title you see first in the
    file is not the one the site shows.

    ## Example
    ```yaml
    ---
    title: Ruby 3.3 released
    date: 2023-12-25
    title: Ruby 3.3.0 Released
    ---
    ```

    ## Use instead
    Keep one `title:` and delete the other.
    """

    name = "front-matter-duplicate-key"
    code = "NL104"
    severity = "error"

    def check(self, doc, options):
        out: list[Finding] = []
        fm = doc.front_matter
        if fm is None or not fm.duplicates:
            return out
        for first, again in fm.duplicates:
            start, end = fm.node_span(again)
            first_line, _ = doc.position(fm.mark_offset(first.start_mark))
            out.append(Finding(start, end, f"duplicate key {again.value!r} (first on line {first_line}); "
                                           "YAML keeps only the last value"))
        return out
