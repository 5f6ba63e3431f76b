"""CSS colours and inline style declarations, for the colour-contrast rule.

Not a rule. CSS is read by tinycss2 (tokens, declarations, colour syntax) and
colour names by webcolors; here are only the WCAG 2.2 formulas and the
positions of declarations in the original attribute text, which fixes need.
Both libraries are imported on first use: most posts set no colour at all.
"""

from __future__ import annotations

import colorsys
from dataclasses import dataclass
from functools import lru_cache
from typing import Any, NamedTuple


class RGBA(NamedTuple):
    """An sRGB colour, channels and alpha in [0, 1]."""

    r: float
    g: float
    b: float
    a: float = 1.0

    def hex(self) -> str:
        """``#rrggbb``, or ``#rrggbbaa`` when the colour is translucent."""
        out = "#" + "".join(f"{round(c * 255):02x}" for c in (self.r, self.g, self.b))
        if self.a < 1.0:
            out += f"{round(self.a * 255):02x}"
        return out


# What parse_color returns for a value that is no colour newslint can place:
# a custom property, `currentcolor`, a colour space tinycss2 cannot convert.
UNKNOWN = object()
# CSS-wide keywords: the element takes its parent's colour (for `color`) or
# has no background of its own.
_INHERIT = frozenset(("inherit", "initial", "unset", "revert", "revert-layer"))


def parse_color(token: Any) -> RGBA | None | object:
    """The colour of one tinycss2 component value: an RGBA, None for a CSS-wide
    keyword (nothing of its own), or UNKNOWN."""
    import tinycss2.color4
    import webcolors

    if token.type == "ident":
        name = token.lower_value
        if name in _INHERIT:
            return None
        if name == "transparent":
            return RGBA(0.0, 0.0, 0.0, 0.0)
        try:
            value = webcolors.name_to_hex(name)
        except ValueError:
            return UNKNOWN
        token = value
    color = tinycss2.color4.parse_color(token)
    if color is None or isinstance(color, str):  # not a colour, or currentcolor
        return UNKNOWN
    try:
        r, g, b = color.to("srgb").coordinates
    except NotImplementedError:  # lab(), oklch(), ...: tinycss2 does not convert them
        return UNKNOWN
    return RGBA(_clamp(r), _clamp(g), _clamp(b), _clamp(color.alpha))


def _clamp(x: float) -> float:
    return 0.0 if x < 0 else 1.0 if x > 1 else float(x)


# -- WCAG 2.2 --------------------------------------------------------------------
def _linear(c: float) -> float:
    return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4


def luminance(c: RGBA) -> float:
    """The relative luminance of an opaque colour (WCAG 2.2)."""
    return 0.2126 * _linear(c.r) + 0.7152 * _linear(c.g) + 0.0722 * _linear(c.b)


def contrast(a: RGBA, b: RGBA) -> float:
    la, lb = luminance(a), luminance(b)
    if la < lb:
        la, lb = lb, la
    return (la + 0.05) / (lb + 0.05)


def over(top: RGBA, below: RGBA) -> RGBA:
    """``top`` composited on the opaque ``below`` (source-over)."""
    a = top.a
    if a >= 1.0:
        return RGBA(top.r, top.g, top.b)
    return RGBA(top.r * a + below.r * (1 - a), top.g * a + below.g * (1 - a), top.b * a + below.b * (1 - a))


def _rounded(c: RGBA) -> RGBA:
    """``c`` as it will be written, 8 bits a channel."""
    return RGBA(*(round(x * 255) / 255 for x in c))


@lru_cache(maxsize=256)  # a post repeats its few colours many times
def nearest_passing(color: RGBA, other: RGBA, threshold: float, color_is_text: bool) -> tuple[RGBA, float] | None:
    """The colour of ``color``'s hue and saturation, closest in lightness, whose
    contrast with ``other`` reaches ``threshold``, and how far its lightness
    moved (0 to 1); None when no lightness does.

    ``color`` is the text colour (composited on the opaque ``other``) when
    ``color_is_text``, else an opaque background under the opaque text colour ``other``.
    """
    h, light, s = colorsys.rgb_to_hls(color.r, color.g, color.b)

    def at(lightness: float) -> RGBA:
        r, g, b = colorsys.hls_to_rgb(h, lightness, s)
        return _rounded(RGBA(r, g, b, color.a))

    def passes(c: RGBA) -> bool:
        if color_is_text:
            return contrast(over(c, other), other) >= threshold
        return contrast(c, other) >= threshold

    best: tuple[RGBA, float] | None = None
    for end in (0.0, 1.0):
        if not passes(at(end)):
            continue
        lo, hi = light, end  # lo fails, hi passes
        for _ in range(30):
            mid = (lo + hi) / 2
            if passes(at(mid)):
                hi = mid
            else:
                lo = mid
        if best is None or abs(hi - light) < best[1]:
            best = (at(hi), abs(hi - light))
    return best


# -- inline declarations ---------------------------------------------------------
@dataclass(slots=True)
class Declaration:
    name: str  # lower-cased property name
    tokens: list[Any]  # the value's component values, whitespace and comments dropped
    start: int  # offsets in the attribute's raw value: the property name ...
    end: int  # ... to the end of the value (before ";" and trailing spaces)
    value_start: int
    value_end: int  # before "!important"


def declarations(raw: str) -> list[Declaration]:
    """The declarations of a ``style`` attribute value, with their spans in ``raw``."""
    import tinycss2

    starts = [0]
    i = raw.find("\n")
    while i != -1:
        starts.append(i + 1)
        i = raw.find("\n", i + 1)
    out: list[Declaration] = []
    for node in tinycss2.parse_blocks_contents(raw, skip_comments=True, skip_whitespace=True):
        if node.type != "declaration":
            continue
        start = starts[node.source_line - 1] + node.source_column - 1
        tokens = [t for t in node.value if t.type not in ("whitespace", "comment")]
        if not tokens:
            continue
        value_start = starts[tokens[0].source_line - 1] + tokens[0].source_column - 1
        end = _declaration_end(raw, value_start)
        value_end = end
        if node.important:
            bang = raw.rfind("!", value_start, end)
            if bang != -1:
                value_end = len(raw[:bang].rstrip())
        out.append(Declaration(node.lower_name, tokens, start, end, value_start, value_end))
    return out


def _declaration_end(raw: str, pos: int) -> int:
    """Where the declaration starting its value at ``pos`` ends: before the
    next ``;`` outside brackets and strings, trailing spaces left out."""
    depth = 0
    quote = ""
    i = pos
    n = len(raw)
    while i < n:
        ch = raw[i]
        if quote:
            if ch == "\\":
                i += 1
            elif ch == quote:
                quote = ""
        elif ch in "\"'":
            quote = ch
        elif ch in "([{":
            depth += 1
        elif ch in ")]}":
            depth = max(0, depth - 1)
        elif ch == ";" and depth == 0:
            break
        i += 1
    return len(raw[:i].rstrip())


def background_color(tokens: list[Any]) -> RGBA | None | object:
    """The colour a ``background`` shorthand paints, None when it sets none,
    UNKNOWN when it paints an image or something newslint cannot place."""
    found: RGBA | None | object = None
    for tok in tokens:
        if tok.type == "function" and tok.lower_name in ("url", "image", "image-set", "element", "cross-fade") \
                or tok.type == "function" and tok.lower_name.endswith("gradient") or tok.type == "url":
            return UNKNOWN
        if tok.type == "ident" and tok.lower_value == "none":
            continue
        if tok.type in ("hash", "function", "ident"):
            c = parse_color(tok)
            if isinstance(c, RGBA):
                found = c
            elif c is UNKNOWN and tok.type != "ident":
                return UNKNOWN  # var(), a colour function tinycss2 cannot convert
    return found
