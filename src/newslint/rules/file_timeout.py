from __future__ import annotations

from ..ruleapi import Rule


class FileTimeout(Rule):
    """A post that took longer than the per-file time budget to lint.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Every post gets a time budget (`seconds`, 10 unless configured). When
    parsing and linting one post takes longer, newslint stops working on
    it, reports this finding on it, and goes on with the other posts. It
    works the same in-process (`-j 1`) and in the worker processes.
    `seconds = 0` turns the budget off.

    ## Why is this bad?
    A post that takes that long is pathological: thousands of nested or
    unclosed constructs, made by a broken export or by someone who wants to
    stall the gate. Without a budget one such file hangs the whole run.
    The post was not checked, so its other findings are unknown.

    ## Example
    A body made of `<!--` repeated 50,000 times, or a table with a million
    cells.

    ## Use instead
    Look at the post: usually it is not a post at all. If a real post needs
    more time on a slow machine, raise the budget:

    ```toml
    [tool.newslint.rules.file-timeout]
    seconds = 30
    ```

    The budget uses the POSIX interval timer (`SIGALRM`): on Windows, or
    when newslint is called from a thread other than the main one, posts
    are linted without a budget.

    ## Options
    - `seconds`: the time budget per post (0: no budget).
    """

    name = "file-timeout"
    code = "NL021"
    engine = True
    severity = "error"
    on_undecodable = True
    options = {"seconds": 10.0}
