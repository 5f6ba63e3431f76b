from __future__ import annotations

import re

from ..model import Finding
from ..ruleapi import Rule
from .invisible_character import BIDI, MATH, SEPARATORS, SPACER, describe, message_for, scan

# knitr and reprex print R's output under `##` and `#>`; tibble pads its
# columns there with zero width spaces on purpose. Nobody runs those lines.
_CONSOLE_OUTPUT = re.compile(r"[ \t]*(?:#>|##)")
# The same invisible character in the same kind of place on this many lines is
# one artifact of how the post was made, reported once with its count.
REPEATED_LINES = 3


class InvisibleCharacterInCode(Rule):
    """Invisible or bidirectional-control characters inside code, math, tags or URLs.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reports, as info, what breaks text that readers copy: the bidirectional
    controls (U+200E, U+200F, U+061C, U+202A..U+202E, U+2066..U+2069)
    anywhere literal, and the characters `invisible-character` looks for
    (zero width space, word joiner, a byte order mark in the middle of the
    file, the Hangul fillers, U+2028 and U+2029) where the text is literal:
    a fenced or indented code block, a code span, `<pre>`, `<code>`,
    `<script>` or `<style>`, TeX math written on one line (`$...$`,
    `$$...$$`, `\\(...\\)`), an HTML tag or attribute value, a Liquid tag, a
    link address or a URL, or a front matter value that is an address
    (`permalink`, `image`, `url`, ...).

    Not reported, because nobody copies them to run: zero width characters
    on console output lines in code (lines that start with `#>` or `##`,
    where knitr and reprex print R's output and tibble pads its columns with
    zero width spaces on purpose), and a zero width space that is all an
    element holds (`<span class="vlist-s">\\u200b</span>`, which KaTeX writes
    to keep the element from collapsing; `\\u200b` stands for the raw
    character). A bidirectional control there is still reported.

    When the same character turns up in the same kind of place on three
    lines or more (a zero width space before the closing `$` of every
    formula, pasted from a rendered page), it is one artifact: one finding
    at the first, with the count ("37 times in this post; first here").
    Each bidirectional control is reported where it is.

    ## Why is this bad?
    A reader who copies the code, the formula or the address gets the
    character too: Python, JavaScript and C compilers reject a zero width
    space outside a string, a shell reads another command name, LaTeX stops
    at it, and a URL or an attribute value with one is a different address
    than the one you read. A bidirectional control in a code sample makes
    it display in another order than it runs (the "Trojan Source" trick).

    ## Example
    ```markdown
    [지도](https://example.com/ma\\u200bp)   # \\u200b: a raw zero width space in the file
    ```

    ## Use instead
    ```markdown
    [지도](https://example.com/map)
    ```

    ## Fix safety
    No fix: newslint never edits code, math, tags, attribute values or
    URLs. Check the character and remove it by hand when it is not meant to
    be there.
    """

    name = "invisible-character-in-code"
    code = "NL621"
    severity = "info"
    tags = ("unicode", "security")

    def check(self, doc, options):
        out: list[Finding] = []
        hits = [h for h in scan(doc) if h.context == "literal"]
        if not hits:
            return out
        text = doc.text
        kept = []
        for hit in hits:
            if hit.char not in BIDI and (hit.where == SPACER or _console_output(text, hit.offset, hit.where)):
                continue
            kept.append(hit)
        # (character, kind of place) -> its hits, in order.
        groups: dict[tuple[str, str], list] = {}
        for hit in kept:
            if hit.char not in BIDI:  # each bidirectional control is reported where it is
                groups.setdefault((hit.char, hit.where), []).append(hit)
        repeated = {}
        for key, group in groups.items():
            if len(group) >= REPEATED_LINES and len({doc.line_of(h.offset) for h in group}) >= REPEATED_LINES:
                repeated[key] = group
        for hit in kept:
            group = repeated.get((hit.char, hit.where))
            if group is None:
                out.append(Finding(hit.offset, hit.offset + 1, _message(hit) + " (reported only: never changed here)"))
            elif group[0] is hit:
                out.append(Finding(hit.offset, hit.offset + 1, _message(hit) + f" ({len(group)} times in this post; "
                                   "first here; reported only: never changed here)"))
        return out


def _message(hit) -> str:
    if hit.char in BIDI or hit.char in SEPARATORS:
        return message_for(hit)
    if hit.where in ("code", "a Liquid tag"):
        why = "whoever copies the code gets it too, and compilers reject it or read another name"
    elif hit.where == MATH:
        why = "whoever copies the TeX gets it too, and LaTeX stops at it"
    else:
        why = "the value or address is not the one readers see"
    return f"invisible character {describe(hit.char)} in {hit.where}: {why}"


def _console_output(text: str, offset: int, where: str) -> bool:
    """True on a line of console output in code (``#> # A tibble: 3 × 2``)."""
    if where != "code":
        return False
    start = text.rfind("\n", 0, offset) + 1
    return _CONSOLE_OUTPUT.match(text, start, offset) is not None
