"""The Acme newsroom's house rules for newslint."""

from __future__ import annotations

import re
from typing import Any, Iterator

from newslint.api import Edit, Finding, Fix, Rule


class NoLoremIpsum(Rule):
    """Placeholder text left in a post.

    ## What it does
    Reports "Lorem ipsum" (any letter case) anywhere in the post.

    ## Why is this bad?
    A layout's placeholder copy that reaches readers makes the whole post look
    unfinished.

    ## Example
    ```markdown
    Lorem ipsum dolor sit amet.
    ```

    ## Use instead
    The real text, or nothing.
    """

    name = "acme-lorem-ipsum"
    code = "ACME101"
    severity = "error"
    tags = ("acme", "editorial")

    def check(self, doc: Any, options: dict[str, Any]) -> Iterator[Finding]:
        for m in re.finditer(r"(?i)lorem ipsum", doc.text):
            yield Finding(m.start(), m.end(), "placeholder text `Lorem ipsum` left in the post")


class HouseSpelling(Rule):
    """A word the house style spells another way.

    ## What it does
    Reports each word of the `words` option (wrong spelling -> house spelling)
    in the body, with a fix that writes the house spelling.

    ## Why is this bad?
    One newsroom, one spelling: readers notice when two posts disagree.

    ## Example
    ```markdown
    The e-mail arrived.
    ```

    ## Use instead
    ```markdown
    The email arrived.
    ```

    ## Fix safety
    Safe: only the word itself is replaced.

    ## Options
    - `words` (table): wrong spelling -> house spelling. Default: `e-mail` -> `email`.
    """

    name = "acme-house-spelling"
    code = "ACME102"
    severity = "warning"
    fix = "safe"
    tags = ("acme", "style")
    options = {"words": {"e-mail": "email"}}

    def check(self, doc: Any, options: dict[str, Any]) -> Iterator[Finding]:
        words = options.get("words") or {}
        body_start = doc.body_start
        for wrong, right in words.items():
            for m in re.finditer(rf"\b{re.escape(wrong)}\b", doc.text[body_start:]):
                start, end = body_start + m.start(), body_start + m.end()
                if doc.in_code(start):
                    continue
                yield Finding(start, end, f"the house spelling is `{right}`, not `{m.group(0)}`",
                              Fix.safe(f"write `{right}`", Edit(start, end, right)))


RULES = [NoLoremIpsum, HouseSpelling]
