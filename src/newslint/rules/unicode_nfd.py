from __future__ import annotations

import re
import unicodedata

from ..model import Edit, Finding, Fix
from ..ruleapi import Rule
from ..chartables import JAMO_RANGES, special_characters

# Conjoining jamo (Hangul Jamo, Jamo Extended-A and -B). A trailing consonant
# may follow a precomposed LV syllable (U+AC00..U+D7A3), so the run starts with it.
_RUN = re.compile(f"[\uac00-\ud7a3]?[{JAMO_RANGES}]+")
_JAMO = re.compile(f"[{JAMO_RANGES}]")
# A run inside a token that looks like a path or URL is reported, not fixed:
# the file on the server may be named in NFD too.
_TOKEN_EDGE = re.compile(r"[\s\"'<>()\[\]]")
_PATHLIKE = re.compile(r"/|\\|://|\.[A-Za-z0-9]{2,5}(?![A-Za-z0-9])")


class UnicodeNfd(Rule):
    """Korean text in decomposed form (NFD jamo), as macOS writes it.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Finds runs of conjoining Hangul jamo (U+1100..U+11FF, U+A960..U+A97F,
    U+D7B0..U+D7FF) that compose into syllables under Unicode NFC, in the
    front matter and the body, outside code.

    ## Why is this bad?
    Text copied from a macOS file name or some editors arrives decomposed:
    `한` is stored as the three jamo `ᄒ ᅡ ᆫ`. It usually looks the same, but
    search (on the site and in search engines) does not find it, some fonts
    show loose jamo, and comparisons with the NFC text fail.

    ## Example
    ```markdown
    title: "부산 디지털 트윈"   # typed on macOS: each syllable is 2-3 jamo
    ```

    ## Use instead
    The same text in composed form (NFC): one code point per syllable.

    ## Fix safety
    The fix is safe: it composes each run of conjoining jamo (with the
    syllable it continues) and nothing else. The file is never normalised as a
    whole: compatibility hanja such as U+F914 and compatibility jamo such as
    `ㄱ` stay byte for byte as written. A run inside something that looks like
    a path or URL, or inside an HTML tag, is reported without a fix, since the
    file it names may be stored decomposed.
    """

    name = "unicode-nfd"
    code = "NL610"
    severity = "warning"
    fix = "sometimes"
    tags = ("unicode", "korean")

    def check(self, doc, options):
        out: list[Finding] = []
        text = doc.text
        # One scan for this rule's characters and invisible-character's (newslint.chartables).
        special = special_characters(doc)
        if not special or not any(_JAMO.match(ch) for _, ch in special):
            return out
        tags = None
        for m in _RUN.finditer(text):
            run = m.group()
            composed = unicodedata.normalize("NFC", run)
            if composed == run:
                continue
            start, end = m.span()
            if doc.in_code(start):
                continue
            if tags is None:
                tags = [(el.start, el.start_end) for el in doc.html.elements] if "<" in text else []
            in_tag = any(s <= start < e for s, e in tags)
            message = (f"`{composed}` is written decomposed (NFD): {len(run)} code points instead of "
                       f"{len(composed)}; search and comparisons miss it")
            fix = None
            if in_tag or _in_path(text, start, end):
                message += " (not fixed: it is part of a path, URL or HTML tag)"
            else:
                fix = Fix.safe(f"compose `{composed}` (NFC)", Edit(start, end, composed))
            out.append(Finding(start, end, message, fix=fix))
        return out


def _in_path(text: str, start: int, end: int) -> bool:
    lo = start
    while lo > 0 and not _TOKEN_EDGE.match(text, lo - 1):
        lo -= 1
    hi = end
    while hi < len(text) and not _TOKEN_EDGE.match(text, hi):
        hi += 1
    return bool(_PATHLIKE.search(text, lo, hi))
