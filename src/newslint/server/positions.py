"""Positions in an editor's buffer: newslint's and the Language Server Protocol's.

newslint places a finding at a 1-based line (lines end at ``\\n`` only) and a
1-based column counting Unicode code points. LSP counts both from 0, ends a
line at ``\\n``, ``\\r\\n`` or a lone ``\\r``, and counts characters in the
code units the client and server agreed on: UTF-16 unless the client offers
``utf-8`` or ``utf-32``. Korean syllables are one UTF-16 unit (and three UTF-8
bytes); an emoji outside the Basic Multilingual Plane is two UTF-16 units.

Everything goes through character offsets into the buffer's text (a Python
``str``, one item per code point): newslint position -> offset -> LSP position
and back.
"""

from __future__ import annotations

import bisect
import re

UTF8, UTF16, UTF32 = "utf-8", "utf-16", "utf-32"
_LSP_BREAK = re.compile(r"\r\n|\r|\n")


def units(s: str, encoding: str = UTF16) -> int:
    """The length of ``s`` in the code units of ``encoding``."""
    if encoding == UTF32:
        return len(s)
    if encoding == UTF8:
        return len(s.encode("utf-8", "surrogatepass"))
    # A lone surrogate (an editor may hold one) is one UTF-16 unit, as in JSON.
    return len(s) + sum(1 for c in s if c > "\uffff")


class LineIndex:
    """Line starts of one text, by LSP's line breaks and by newslint's."""

    def __init__(self, text: str, encoding: str = UTF16) -> None:
        self.text = text
        self.encoding = encoding if encoding in (UTF8, UTF32) else UTF16
        self.starts = [0] + [m.end() for m in _LSP_BREAK.finditer(text)]
        self._nl_starts: list[int] | None = None

    # -- LSP ---------------------------------------------------------------------
    def position(self, offset: int) -> tuple[int, int]:
        """The 0-based LSP (line, character) of a character offset."""
        offset = max(0, min(offset, len(self.text)))
        line = bisect.bisect_right(self.starts, offset) - 1
        return line, units(self.text[self.starts[line]:offset], self.encoding)

    def _line_end(self, line: int) -> int:
        """The offset of the end of LSP line ``line``, before its line break."""
        if line + 1 >= len(self.starts):
            return len(self.text)
        end = self.starts[line + 1]
        return end - (2 if self.text[end - 2:end] == "\r\n" else 1)

    def offset(self, line: int, character: int) -> int:
        """The character offset of an LSP position (clamped to the text, as the
        protocol asks: a character past the line's end means its end)."""
        if line < 0:
            return 0
        if line >= len(self.starts):
            return len(self.text)
        start, end = self.starts[line], self._line_end(line)
        if self.encoding == UTF32:
            return min(start + max(0, character), end)
        count = 0
        for i in range(start, end):
            if count >= character:
                return i
            count += units(self.text[i], self.encoding)
        return end

    # -- newslint ------------------------------------------------------------------
    def newslint_offset(self, line: int, column: int, skip: int = 0) -> int:
        """The character offset of newslint's 1-based (line, column), counted in
        the text after its first ``skip`` characters (a byte order mark newslint
        does not count)."""
        if self._nl_starts is None:
            starts = [skip]
            find = self.text.find
            at = find("\n", skip)
            while at != -1:
                starts.append(at + 1)
                at = find("\n", at + 1)
            self._nl_starts = starts
        starts = self._nl_starts
        if line < 1:
            return skip
        if line > len(starts):
            return len(self.text)
        return min(starts[line - 1] + max(0, column - 1), len(self.text))
