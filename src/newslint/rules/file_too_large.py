from __future__ import annotations

from ..ruleapi import Rule


class FileTooLarge(Rule):
    """A post bigger than the size limit: not read, not linted.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Before reading a post, newslint asks the file system for its size. A
    file over `max_bytes` (5 MB unless configured) is neither read nor
    parsed: this finding is reported on it instead, and the run goes on.
    `max_bytes = 0` turns the limit off.

    ## Why is this bad?
    No real post is that large: it is a data dump, a base64 image pasted into
    the text, or a file that grew by accident. Reading and parsing it would
    cost seconds and memory for every run, and a file made to be huge could
    stall the gate for everyone.

    ## Example
    A 20 MB `2024-01-01-export.md` holding a whole CMS export.

    ## Use instead
    Split the file, move the data out of `_posts/`, or exclude it. When a
    site really has big posts, raise the limit:

    ```toml
    [tool.newslint.rules.file-too-large]
    max_bytes = 20_000_000
    ```

    ## Options
    - `max_bytes`: the size limit in bytes (0: no limit).
    """

    name = "file-too-large"
    code = "NL020"
    engine = True
    severity = "error"
    on_undecodable = True
    options = {"max_bytes": 5_000_000}
