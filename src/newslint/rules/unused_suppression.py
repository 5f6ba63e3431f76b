from __future__ import annotations

from ..ruleapi import Rule


class UnusedSuppression(Rule):
    """A `newslint-disable` comment that suppresses nothing.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reports a suppression comment (`<!-- newslint-disable ... -->`,
    `newslint-disable-next-line`, `newslint-disable-line` or
    `newslint-disable-file`) that did not hide any finding in this run, and
    each rule name in it that hid nothing. A rule name that newslint does not
    know is reported too, with a did-you-mean. Like Ruff's `RUF100`.

    The finding's JSON carries the comment's details under `suppression`:
    the directive, the unused rule names and the reason written after `--`.

    ## Why is this bad?
    A suppression outlives the problem it was written for: once the post is
    fixed, the comment stays behind and will silently hide the next real
    problem of that kind. A misspelt rule name suppresses nothing at all.

    ## Example
    ```markdown
    <!-- newslint-disable-next-line image-alt-missing -- logo, decorative -->
    ![서울시 로고](/img/logo.png)
    ```

    ## Use instead
    Delete the comment once the finding it was for is gone:

    ```markdown
    ![서울시 로고](/img/logo.png)
    ```

    ## Options
    None. The check runs after all other rules, so it only sees the rules that
    are enabled for the file; a suppression of a rule that is not enabled
    counts as unused.
    """

    name = "unused-suppression"
    code = "NL901"
    engine = True
    severity = "warning"
    tags = ("suppression",)
