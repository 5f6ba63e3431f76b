from __future__ import annotations

from ..ruleapi import Rule


class FileUnreadable(Rule):
    """A file that could not be read from disk.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reports a post that newslint was asked to lint but could not open or read:
    no permission, a file that vanished during the run, a read error.

    ## Why is this bad?
    A post the linter cannot read is a post nobody checked. The run goes on
    with the other files, and this finding makes the gap visible.

    ## Example
    A post with mode `000`, or a path that is a broken symlink.

    ## Use instead
    Make the file readable by the user that runs newslint, or exclude it.
    """

    name = "file-unreadable"
    code = "NL001"
    engine = True
    severity = "error"
    on_undecodable = True
