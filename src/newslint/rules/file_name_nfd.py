from __future__ import annotations

import os
import re
import unicodedata

from ..model import Finding
from ..ruleapi import Rule

_JAMO = re.compile("[\u1100-\u11ff\ua960-\ua97f\ud7b0-\ud7ff]")


class FileNameNfd(Rule):
    """A post whose file or folder name is Korean in decomposed form (NFD).

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Looks at the path of each post. A file or folder name with conjoining
    Hangul jamo that compose into syllables under NFC (as macOS writes names
    on some file systems, and as some archives and `git` without
    `core.precomposeunicode` keep them) is reported once, on line 1, with the
    composed name to rename it to.

    ## Why is this bad?
    `뉴스.md` in NFD is a different byte string from `뉴스.md` in NFC. Links,
    `permalink`s and `related:` lists typed on another system use NFC and do
    not find the file; Jekyll builds a URL with the decomposed bytes; `git`
    on Linux and macOS can show the same post as two files.

    ## Example
    `_posts/2024-01-02-뉴스.md` created on macOS, stored as
    `2024-01-02-` + `ᄂ ᅲ ᄉ ᅳ` + `.md` (four jamo instead of two syllables).

    ## Use instead
    Rename it to the NFC name, for example with
    `git mv "$(ls _posts/*뉴스*)" _posts/2024-01-02-뉴스.md` on Linux, or
    `convmv -f utf8 -t utf8 --nfc --notest FILE`.

    newslint compares names in NFC when it reports this, so the same post
    is never listed twice because of it.
    """

    name = "file-name-nfd"
    code = "NL622"
    severity = "warning"
    tags = ("unicode", "korean")
    on_undecodable = True

    def check(self, doc, options):
        out: list[Finding] = []
        path = doc.path
        if path.isascii() or not _JAMO.search(path):
            return out
        for part in reversed(path.replace(os.sep, "/").split("/")):
            composed = unicodedata.normalize("NFC", part)
            if composed != part and _JAMO.search(part):
                what = "file" if part == os.path.basename(path) else "folder"
                out.append(Finding(0, 0, f"the {what} name `{composed}` is written decomposed (NFD): "
                                         f"{len(part)} code points instead of {len(composed)}; rename it to the "
                                         "NFC form so links and permalinks typed elsewhere find it"))
                return out
        return out
