from __future__ import annotations

from ..model import Finding
from ..ruleapi import Rule
from .invisible_character import message_for, scan


class InvisibleCharacterInCode(Rule):
    """Invisible or bidirectional-control characters inside code, tags or URLs.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reports, as info, the characters `invisible-character` looks for (zero
    width space, word joiner, a byte order mark in the middle of the file, the
    Hangul fillers, the bidirectional controls, U+2028 and U+2029) when they
    sit where the text is literal: a fenced or indented code block, a code
    span, `<pre>`, `<code>`, `<script>` or `<style>`, an HTML tag or attribute
    value, a Liquid tag, a link address or a URL, or a front matter value
    that is an address (`permalink`, `image`, `url`, ...).

    ## Why is this bad?
    In code they may be exactly what the author meant to show, so newslint
    only points at them. But a zero width space in a URL or an attribute value
    makes a different address than the one you read, and a bidirectional
    control in a code sample hides what the code does.

    ## Example
    ```markdown
    [지도](https://example.com/ma\\u200bp)   # \\u200b: a raw zero width space in the file
    ```

    ## Use instead
    ```markdown
    [지도](https://example.com/map)
    ```

    ## Fix safety
    No fix: newslint never edits code, tags, attribute values or URLs. Check
    the character and remove it by hand when it is not meant to be there.
    """

    name = "invisible-character-in-code"
    code = "NL621"
    severity = "info"
    tags = ("unicode", "security")

    def check(self, doc, options):
        for hit in scan(doc):
            if hit.context == "literal":
                yield Finding(hit.offset, hit.offset + 1, message_for(hit) + " (reported only: never changed here)")
