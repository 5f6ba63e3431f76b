from __future__ import annotations

import re
import unicodedata

from ..chartables import unusual_bytes
from ..model import Edit, Finding, Fix
from ..ruleapi import Rule

# C0 controls but tab, LF and CR; DEL; the C1 controls.
_CONTROL = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")
# A C1 control in UTF-8.
_C1_BYTES = re.compile(rb"\xc2[\x80-\x9f]")
_HIGH_BYTES = bytes(range(0x80, 0x100))


def _may_hold_control(doc) -> bool:
    """False when the file holds no control character, found from its bytes
    without printable ASCII and line breaks (chartables.unusual_bytes, at C
    speed): a C0 control or DEL is an ASCII byte left there, a C1 control is
    "\xc2" and a continuation byte 0x80-0x9F (each sequence is kept whole)."""
    kept = unusual_bytes(doc)
    if kept is None:
        return True
    if not kept:
        return False
    if kept.translate(None, _HIGH_BYTES):
        return True  # a C0 control or DEL
    # Only multi-byte sequences: mostly other scripts and signs (U+00A0..U+00BF:
    # a no-break space, "·"); a C1 control is "\xc2" followed by 0x80..0x9F.
    return kept.find(b"\xc2") != -1 and _C1_BYTES.search(kept) is not None


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
        out: list[Finding] = []
        if not _may_hold_control(doc):
            return out
        text = doc.text
        fm = doc.front_matter
        fm_end = fm.end if fm is not None and fm.closed else 0
        syntax_at = fm.error.offset if fm is not None and fm.error is not None else -1
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
            out.append(Finding(start, start + 1, message, fix=fix))
        return out
