from __future__ import annotations

from ..model import Finding
from ..ruleapi import Rule


class FileEncoding(Rule):
    """A post that is not UTF-8 text: UTF-16, CP949, or binary.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Decodes every post strictly as UTF-8. A file with a UTF-16 or UTF-32 byte
    order mark, bytes that are not UTF-8 (with a hint when they look like
    CP949/EUC-KR, common in old Korean archives), or binary content is
    reported at the first bad byte, and no other rule runs on it. newslint
    never guesses another encoding.

    ## Why is this bad?
    Jekyll and Hugo read posts as UTF-8. A CP949 post renders as mojibake or
    fails the build; a UTF-16 post is silently skipped.

    ## Example
    A post saved by an old Windows editor as CP949: `title: 제목` is the bytes
    `c1 a6 b8 f1`, which are not UTF-8.

    ## Use instead
    Convert the file once: `iconv -f CP949 -t UTF-8 post.md > post.md.new`.
    """

    name = "file-encoding"
    code = "NL002"
    severity = "error"
    on_undecodable = True

    def check(self, doc, options):
        out: list[Finding] = []
        problem = doc.decode_problem
        if problem is None:
            return out
        line, col = doc.byte_offset_to_position(problem.byte_offset)
        # Place the finding through a text offset (the replacement-decoded text).
        offset = doc.offset(line, col) if doc.text else 0
        out.append(Finding(offset, offset, problem.message))
        return out
