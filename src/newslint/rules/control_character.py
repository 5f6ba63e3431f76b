from __future__ import annotations

import re
import unicodedata

from ..model import Edit, Finding, Fix
from ..ruleapi import Rule

# C0 controls but tab, LF and CR; DEL; the C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# The UTF-8 bytes a control character can start with: the C0 ones and DEL are
# one byte each (never part of a longer sequence), a C1 one is "\xc2" and a
# continuation byte. A file holding none of them holds no control character:
# deleting every other byte (bytes.translate, at C speed) finds that out ten
# times faster than the regex.
_OTHER_BYTES = bytes(b for b in range(256)
                     if not (b <= 0x08 or b in (0x0B, 0x0C) or 0x0E <= b <= 0x1F or b == 0x7F or b == 0xC2))
# A C1 control in UTF-8.
_C1_BYTES = re.compile(rb"\xc2[\x80-\x9f]")


def _may_hold_control(doc) -> bool:
    raw = getattr(doc, "raw", None)
    if raw is None or doc.decode_problem is not None:
        return True
    body = raw[3:] if doc.bom else raw
    kept = body.translate(None, _OTHER_BYTES)
    if not kept:
        return False
    if kept.strip(b"\xc2"):
        return True  # a C0 control or DEL
    # Only "\xc2" bytes: mostly Latin-1 signs (U+00A0..U+00BF: a no-break
    # space, "·"); a C1 control is one followed by 0x80..0x9F.
    return _C1_BYTES.search(body) is not None


_NAMES = {0x00: "NUL", 0x07: "BEL", 0x08: "BACKSPACE", 0x0B: "VERTICAL TAB", 0x0C: "FORM FEED",
          0x1B: "ESCAPE", 0x7F: "DELETE", 0x85: "NEXT LINE"}


def _mojibake(ch: str) -> str | None:
    """The Windows-1252 character a C1 control usually stands for.

    Text saved as Windows-1252 and decoded as Latin-1 turns `…` into U+0085,
    `’` into U+0092, `–` into U+0096: the C1 range is almost always that.
    """
    code = ord(ch)
    if not 0x80 <= code <= 0x9F:
        return None
    try:
        return bytes([code]).decode("cp1252")
    except UnicodeDecodeError:
        return None


def _between_words(text: str, at: int) -> bool:
    """True when neither neighbour of ``at`` is whitespace: HTML reads a form
    feed there as a space between two words, so deleting it would join them.
    Next to whitespace a space would be one too many (two before a line end
    are a Markdown hard break), so the form feed is deleted there."""
    return 0 < at < len(text) - 1 and not text[at - 1].isspace() and not text[at + 1].isspace()


def _label(ch: str) -> str:
    code = ord(ch)
    name = _NAMES.get(code) or unicodedata.name(ch, "")
    return f"U+{code:04X}" + (f" {name}" if name else "")


class ControlCharacter(Rule):
    """An invisible control character (NUL, C0 or C1 controls) in the post.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Finds the control characters U+0000..U+001F (except tab, line feed and
    carriage return), U+007F and the C1 controls U+0080..U+009F, anywhere in
    the file: front matter, prose, code. In the front matter, the character
    that stops the YAML parser is reported once, by `front-matter-syntax`,
    at its line and column.

    C1 controls are almost always text saved as Windows-1252 and decoded as
    Latin-1: U+0085 was `…`, U+0092 was `’`, U+0096 was `–`. The message
    names the character that was meant.

    ## Why is this bad?
    Control characters are invisible in most editors and on the page, but
    they break things: YAML refuses them (the post loses its metadata), XML
    feeds (RSS, sitemaps) become invalid, search and copy and paste fail,
    and a NUL truncates the text in some tools.

    ## Example
    ```markdown
    부산시는 예산을 확정했다<U+0085> 다음 주 발표한다.
    ```

    ## Use instead
    ```markdown
    부산시는 예산을 확정했다… 다음 주 발표한다.
    ```

    ## Fix safety
    In prose (not in the front matter and not in code), deleting a C0
    control or DEL is a safe fix: it has no visible form. A form feed
    (U+000C) between two words becomes a space instead, because HTML reads it
    as whitespace: deleting it would run the words together. Next to other
    whitespace it is deleted. Replacing a C1
    control by the Windows-1252 character it stood for is unsafe: it is a
    guess, right for text that went through that encoding mistake. In code
    and in the front matter, the characters are reported and never fixed.
    """

    name = "control-character"
    code = "NL011"
    severity = "warning"
    fix = "sometimes"
    tags = ("unicode", "encoding")

    def check(self, doc, options):
        text = doc.text
        fm = doc.front_matter
        fm_end = fm.end if fm is not None and fm.closed else 0
        syntax_at = fm.error.offset if fm is not None and fm.error is not None else -1
        if not _may_hold_control(doc):
            return
        for m in _CONTROL.finditer(text):
            start = m.start()
            if start == syntax_at:
                continue  # front-matter-syntax reports it, at this very place
            ch = m.group()
            meant = _mojibake(ch)
            message = f"control character {_label(ch)}"
            if meant is not None:
                message += f" (probably `{meant}` from text decoded as Latin-1 instead of Windows-1252)"
            fix = None
            where = ""
            if start < fm_end:
                where = " in the front matter"
            elif doc.in_code(start):
                where = " in code"
            elif meant is not None:
                fix = Fix.unsafe(f"replace it with `{meant}`", Edit(start, start + 1, meant))
            elif ch == "\f" and _between_words(text, start):
                fix = Fix.safe(f"replace {_label(ch)} with a space", Edit(start, start + 1, " "))
            else:
                fix = Fix.safe(f"delete {_label(ch)}", Edit.delete(start, start + 1))
            if meant is None:
                message += where + ("; replace it with a space" if fix is not None and fix.edits[0].content == " "
                                    else "; delete it")
            else:
                message += where
            yield Finding(start, start + 1, message, fix=fix)
