from __future__ import annotations

import re

from ..model import Finding
from ..ruleapi import Rule

_LONE_CR = re.compile(r"\r(?!\n)")
_CR_FENCE = re.compile(r"(?:---|\+\+\+)[ \t]*\r(?!\n)")
# Stray carriage returns reported one by one, at most this many per file.
MAX_REPORTED = 20


class CrLineEnding(Rule):
    r"""A carriage return that is not followed by a line feed (classic Mac line endings).

    ## What it does
    Generators: Jekyll and Hugo; the message says what the post's generator
    sees (Jekyll's reading outside a known site).

    Finds lone carriage returns (`\r` not followed by `\n`). A file that uses
    them as its line endings (classic Mac OS, some old CMS exports) gets one
    finding on its first line; stray ones in an LF or CRLF file (left by a
    copy and paste) are reported one by one.

    newslint, like editors, counts lines by `\n`: a CR-only file is one long
    line 1 to every tool that reports positions.

    ## Why is this bad?
    Jekyll finds the front matter with a pattern that needs `\n`: in a
    CR-only file it sees no front matter at all, and the whole post (its
    `title:` and `date:` included) is published as text, or not at all.
    Hugo reads such a front matter, but every other tool sees one long line.
    python-frontmatter silently returns no metadata for such a file. Stray
    CRs inside a line break diffs and some renderers.

    ## Example
    A file saved by a classic Mac editor: `---\rtitle: 제목\r---\r본문\r`.

    ## Use instead
    Convert the line endings to LF (`\n`) or CRLF, for example with
    `dos2unix -c mac post.md` or your editor's "line endings" setting.
    """

    name = "cr-line-ending"
    code = "NL010"
    severity = "error"
    tags = ("encoding",)

    def check(self, doc, options):
        out: list[Finding] = []
        text = doc.text
        if "\r" not in text:
            return out
        lone = [m.start() for m in _LONE_CR.finditer(text)]
        if not lone:
            return out
        newlines = text.count("\n")
        if len(lone) > newlines:
            # The file's line endings are CRs: one finding for the file.
            first = lone[0]
            if _CR_FENCE.match(text) and not doc.site.is_hugo:  # Hugo reads a CR-only front matter
                message = (f"the file uses CR-only line endings ({len(lone)} lone CRs): Jekyll does not "
                           "see the front matter that starts on line 1, and every tool sees one long line; "
                           "convert the file to LF line endings")
            else:
                message = (f"the file uses CR-only line endings ({len(lone)} lone CRs); "
                           "convert it to LF line endings")
            out.append(Finding(first, first + 1, message))
            return out
        for offset in lone[:MAX_REPORTED]:
            out.append(Finding(offset, offset + 1,
                               "stray carriage return (CR not followed by LF) inside a line; delete it"))
        if len(lone) > MAX_REPORTED:
            last = lone[MAX_REPORTED]
            out.append(Finding(last, last + 1, f"{len(lone) - MAX_REPORTED} more stray carriage returns in this file"))
        return out
