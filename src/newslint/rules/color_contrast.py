from __future__ import annotations

import math
import re
from functools import lru_cache
from html import unescape

from ..model import Edit, Finding, Fix
from ..ruleapi import Rule
from .css_color import RGBA, UNKNOWN, background_color, contrast, declarations, nearest_passing, over, parse_color

# Default font sizes of the HTML user-agent style sheet, in em of the parent.
_TAG_EM = {"h1": 2.0, "h2": 1.5, "h3": 1.17, "h4": 1.0, "h5": 0.83, "h6": 0.67, "small": 0.83, "big": 1.2}
_BOLD_TAGS = frozenset(("b", "strong", "th", "h1", "h2", "h3", "h4", "h5", "h6"))
# <font size="1".."7">, in px.
_FONT_SIZES = {1: 10.0, 2: 13.0, 3: 16.0, 4: 18.0, 5: 24.0, 6: 32.0, 7: 48.0}
_SIZE_WORDS = {"xx-small": 9.0, "x-small": 10.0, "small": 13.0, "medium": 16.0, "large": 18.0,
               "x-large": 24.0, "xx-large": 32.0, "xxx-large": 48.0}
_BGCOLOR_TAGS = frozenset(("table", "tr", "td", "th", "tbody", "thead", "tfoot", "body"))
_NO_TEXT = frozenset(("script", "style", "template", "svg", "math", "img", "br", "hr", "iframe", "video", "audio"))
_CODE_TAGS = frozenset(("pre", "code", "kbd", "samp"))
# Linear on hostile input: a comment is bounded, a tag never spans another "<".
_TAG_OR_COMMENT = re.compile(r"<!--.{0,4000}?-->|<[^<>]*>", re.S)
_BASE_PX = 16.0


class _Style:
    """What one element declares itself (inline style, `<font color>`, `bgcolor`)."""

    __slots__ = ("fg", "fg_span", "bg", "bg_span", "size", "bold")

    def __init__(self) -> None:
        self.fg: RGBA | None | object = None  # None: nothing declared
        self.fg_span: tuple[int, int, int, int] | None = None  # (start, end, value_start, value_end) in text
        self.bg: RGBA | None | object = None
        self.bg_span: tuple[int, int, int, int] | None = None
        self.size: tuple[float, str] | None = None  # (number, unit)
        self.bold: bool | None = None


def _own_style(el, text: str) -> _Style | None:
    """The colours, font size and weight ``el`` declares, or None when it declares none."""
    st: _Style | None = None
    if el.tag == "font":
        value = el.get("color")
        attr = next((a for a in el.attr_spans() if a.name == "color"), None) if value else None
        if attr is not None:
            st = _Style()
            st.fg = _parsed_value(value.strip())
            st.fg_span = (attr.start, attr.end, attr.value_start, attr.value_end)
        size = el.get("size")
        if size and size.strip().lstrip("+-").isdigit():
            st = st or _Style()
            n = int(size.strip().lstrip("+-"))
            n = 3 + n if size.strip()[0] == "+" else 3 - n if size.strip()[0] == "-" else n
            st.size = (_FONT_SIZES[min(7, max(1, n))], "px")
    if el.tag in _BGCOLOR_TAGS:
        value = el.get("bgcolor")
        attr = next((a for a in el.attr_spans() if a.name == "bgcolor"), None) if value else None
        if attr is not None:
            st = st or _Style()
            st.bg = _parsed_value(value.strip())
            st.bg_span = (attr.start, attr.end, attr.value_start, attr.value_end)
    style = el.get("style")
    if style and ("olor" in style or "ackground" in style or "font" in style):
        attr = next((a for a in el.attr_spans() if a.name == "style"), None)
        if attr is not None:
            raw = text[attr.value_start:attr.value_end]
            exact = "&" not in raw  # entities would shift positions: then report the attribute
            base = attr.value_start
            for d in _declarations(raw if exact else style):
                span = ((base + d.start, base + d.end, base + d.value_start, base + d.value_end) if exact
                        else (attr.start, attr.end, -1, -1))
                if d.name == "color":
                    st = st or _Style()
                    st.fg = parse_color(d.tokens[0]) if len(d.tokens) == 1 else UNKNOWN
                    st.fg_span = span
                elif d.name in ("background-color", "background"):
                    st = st or _Style()
                    if d.name == "background":
                        st.bg = background_color(d.tokens)
                    else:
                        st.bg = parse_color(d.tokens[0]) if len(d.tokens) == 1 else UNKNOWN
                    st.bg_span = span if isinstance(st.bg, RGBA) and len(d.tokens) == 1 else \
                        (span[0], span[1], -1, -1)
                elif d.name == "font-size" and len(d.tokens) == 1:
                    st = st or _Style()
                    st.size = _size(d.tokens[0])
                elif d.name == "font-weight" and len(d.tokens) == 1:
                    st = st or _Style()
                    st.bold = _weight(d.tokens[0])
    return st


# Editors write the same few style attributes and colours again and again, and
# the options are the same for every post: each is parsed once (what they
# give is only read, never changed).
_declarations = lru_cache(maxsize=1024)(declarations)


def _parse_value(value: str):
    import tinycss2

    tokens = [t for t in tinycss2.parse_component_value_list(value) if t.type not in ("whitespace", "comment")]
    if len(tokens) != 1:
        return UNKNOWN
    return parse_color(tokens[0])


_parsed_value = lru_cache(maxsize=1024)(_parse_value)


def _size(tok) -> tuple[float, str] | None:
    if tok.type == "dimension":
        return (float(tok.value), tok.lower_unit)
    if tok.type == "percentage":
        return (float(tok.value) / 100, "em")
    if tok.type == "ident" and tok.lower_value in _SIZE_WORDS:
        return (_SIZE_WORDS[tok.lower_value], "px")
    return None


def _weight(tok) -> bool | None:
    if tok.type == "ident":
        if tok.lower_value in ("bold", "bolder"):
            return True
        if tok.lower_value in ("normal", "lighter"):
            return False
    if tok.type == "number":
        return tok.value >= 700
    return None


class ColorContrast(Rule):
    """Text whose colour does not stand out enough from its background.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Checks the colours set inline in the body: `color`, `background-color`
    and `background` in `style` attributes, `<font color>` and `bgcolor` on
    tables. For each element that sets one of them and holds text of its own,
    it computes the WCAG 2.2 contrast ratio of the text colour against the
    background the text sits on:

    - the text colour is the nearest one set on the element or an ancestor,
      else the option `foreground` (the theme's text colour);
    - the background is the nearest one set on the element or an ancestor,
      else the option `background` (the theme's page colour); translucent
      colours (`#rrggbbaa`, `rgba()`, `hsl(... / 0.5)`) are composited on
      what is below them.

    Large text needs 3:1, other text 4.5:1 (WCAG AA). Text is large at 24px
    and up, or at 18.66px and up when bold (`<b>`, `<strong>`, a heading or
    `font-weight` 700 and up); sizes come from inline `font-size`, `<font
    size>` and the default sizes of headings, from a 16px base.

    Colours may be named (`red`), `rgb()`, `hsl()`, `hwb()`, `#rgb`, `#rgba`,
    `#rrggbb` or `#rrggbbaa` (read with tinycss2 and webcolors). An element
    whose colour is a custom property (`var(--x)`), `currentcolor`, a colour
    space such as `oklch()`, or whose background is an image or gradient, is
    skipped: newslint cannot tell what the reader sees. So is text inside
    `<pre>`, `<code>`, `<kbd>` or `<samp>` unless a background is set inline
    within it: the highlighter's style sheet paints code blocks, in a colour
    newslint cannot see (terminal output pasted with ANSI colours such as
    `#bbbb00` is meant for a dark block).

    ## Why is this bad?
    Readers with low vision, readers on a phone in the sun and readers of a
    printed page cannot read text that is too close to its background. Red
    `#ee2323`, the red of the Tistory editor's palette, on white is 4.28:1,
    below AA for body text; `<font color="#ff0000">` is 3.99:1.

    ## Example
    ```html
    <p><span style="color: #ee2323;">시민의 참여를 유도합니다.</span></p>
    ```

    ## Use instead
    ```html
    <p><span style="color: #ec1212;">시민의 참여를 유도합니다.</span></p>
    ```
    Or emphasise with `<strong>` and leave colours to the theme.

    ## Fix safety
    The fix replaces the colour with the closest colour of the same hue and
    saturation (only its lightness changes) that passes, written as
    `#rrggbb` (`#rrggbbaa` when translucent): the text colour when the
    element sets one, else its background. It is unsafe: the colour may be a
    brand colour, and the page's real background may not be the one assumed
    (a dark theme: set `background` and `foreground`). A colour set in a
    `background` shorthand with other parts, or in a `style` with character
    references, gets no fix.

    ## Options
    - `background` (default `"#ffffff"`): the theme's page background.
    - `foreground` (default `"#000000"`): the theme's body text colour, for
      elements that set only a background.
    """

    name = "color-contrast"
    code = "NL510"
    severity = "warning"
    fix = "unsafe"
    tags = ("accessibility", "editor")
    options = {"background": "#ffffff", "foreground": "#000000"}

    def check(self, doc, options):
        out: list[Finding] = []
        text = doc.text
        elements = doc.html.elements
        if not elements:
            return out
        candidates = _candidates(elements)
        if not candidates or not _says_colour(text, candidates, doc.body_start):
            return out  # the common case
        theme_bg = _option_color(options, "background", RGBA(1.0, 1.0, 1.0))
        theme_fg = _option_color(options, "foreground", RGBA(0.0, 0.0, 0.0))
        styles: dict[int, _Style | None] = {}
        wanted = {id(el) for el in candidates}

        def style_of(el) -> _Style | None:
            key = id(el)
            if key not in wanted:
                return None
            if key not in styles:
                styles[key] = _own_style(el, text)
            return styles[key]

        resolved: dict[int, _Resolved] = {}
        root = _Resolved(theme_fg, theme_bg, _BASE_PX, False)
        for el in candidates:
            st = style_of(el)
            if st is None or (st.fg is None and st.bg is None):
                continue
            r = _resolve(el, style_of, resolved, root)
            fg, bg = r.fg, r.bg
            if fg is UNKNOWN or bg is UNKNOWN:
                continue
            shown = over(fg, bg)
            ratio = contrast(shown, bg)
            if ratio >= 4.5:
                continue
            large = r.px >= 24.0 or (r.bold and r.px >= 18.66)
            need = 3.0 if large else 4.5
            if ratio >= need or not _has_own_text(el, text, style_of):
                continue
            out.append(_finding(st, fg, bg, ratio, need, large, theme_bg))
        return out


_COLOUR_ATTRS = frozenset(("style", "color", "bgcolor"))


def _candidates(elements: list) -> list:
    """The elements that may set a colour: a `style`, `<font color>`, a `bgcolor`."""
    out = []
    for el in elements:
        for name, _ in el.attrs:
            if name in _COLOUR_ATTRS and (name != "color" or el.tag == "font"):
                out.append(el)
                break
    return out


def _says_colour(text: str, candidates: list, body: int) -> bool:
    """`olor` or `OLOR` (of `color`, `bgcolor`, `background-color`) in the
    body. A search of the whole text costs more than the rest of the rule on
    most posts: the candidates' start tags, which usually hold it, are looked
    at first."""
    find = text.find
    for el in candidates:
        start = max(el.start, body)
        if find("olor", start, el.start_end) != -1 or find("OLOR", start, el.start_end) != -1:
            return True
    return find("olor", body) != -1 or find("OLOR", body) != -1


class _Resolved:
    """What an element's text gets: colours (or UNKNOWN), size in px, bold."""

    __slots__ = ("fg", "bg", "px", "bold")

    def __init__(self, fg, bg, px: float, bold: bool) -> None:
        self.fg, self.bg, self.px, self.bold = fg, bg, px, bold


def _resolve(el, style_of, memo: dict[int, _Resolved], root: _Resolved) -> _Resolved:
    """The element's resolved style, from its nearest resolved ancestor down
    (each element is resolved once: deep nesting stays linear)."""
    chain = []
    node = el
    while node is not None and id(node) not in memo:
        chain.append(node)
        node = node.parent
    current = memo[id(node)] if node is not None else root
    for node in reversed(chain):
        current = _step(node, style_of(node), current)
        memo[id(node)] = current
    return current


def _step(el, st: _Style | None, parent: _Resolved) -> _Resolved:
    fg = parent.fg
    bg = parent.bg
    px = parent.px
    bold = parent.bold
    if st is not None and st.fg is not None:
        fg = st.fg
    if st is not None and st.bg is not None:
        if st.bg is UNKNOWN:
            bg = UNKNOWN
        elif st.bg.a >= 1.0:
            bg = RGBA(st.bg.r, st.bg.g, st.bg.b)
        elif bg is not UNKNOWN:
            bg = over(st.bg, bg)  # translucent: composited on what is below
    elif el.tag in _CODE_TAGS:
        # The highlighter's style sheet paints code blocks: a background
        # newslint cannot see, and rarely the page's.
        bg = UNKNOWN
    if st is not None and st.size is not None:
        value, unit = st.size
        px = value if unit == "px" else value * 4 / 3 if unit == "pt" else \
            px * value if unit == "em" else _BASE_PX * value if unit == "rem" else px
    elif el.tag in _TAG_EM:
        px = px * _TAG_EM[el.tag]
    if st is not None and st.bold is not None:
        bold = st.bold
    elif el.tag in _BOLD_TAGS:
        bold = True
    return _Resolved(fg, bg, px, bold)


def _option_color(options, key: str, default: RGBA) -> RGBA:
    value = options.get(key)
    if not isinstance(value, str):
        return default
    c = _parsed_value(value.strip())
    return RGBA(c.r, c.g, c.b) if isinstance(c, RGBA) else default


def _has_own_text(el, text: str, style_of) -> bool:
    """Does ``el`` show text whose colours it decides: text outside the
    descendants that set a colour of their own? (Iterative: posts nest deep.)"""
    stack = [el]
    while stack:
        node = stack.pop()
        pos = node.inner_start
        for child in node.children:
            if _visible(text[pos:child.start]):
                return True
            st = style_of(child)
            if child.tag not in _NO_TEXT and (st is None or (st.fg is None and st.bg is None)):
                stack.append(child)
            pos = max(pos, child.end)
        if _visible(text[pos:node.inner_end]):
            return True
    return False


def _visible(fragment: str) -> bool:
    if not fragment or fragment.isspace():
        return False
    if "<" in fragment:
        fragment = _TAG_OR_COMMENT.sub("", fragment)
    if "&" in fragment:
        fragment = unescape(fragment)
    return bool(fragment.strip(" \t\r\n\f\u00a0\u200b\ufeff"))


def _floor2(x: float) -> str:
    return f"{math.floor(x * 100) / 100:.2f}"


def _finding(st: _Style, fg: RGBA, bg: RGBA, ratio: float, need: float, large: bool, theme_bg: RGBA) -> Finding:
    kind = "large text" if large else "normal text"
    need_s = "3:1" if need == 3.0 else "4.5:1"
    own_fg = isinstance(st.fg, RGBA)
    where = "the theme background" if bg == theme_bg and not isinstance(st.bg, RGBA) else "the background"
    if own_fg:
        assert st.fg_span is not None
        span = st.fg_span
        what = f"text colour `{fg.hex()}` on {where} `{bg.hex()}`"
    else:
        span = st.bg_span
        shown = "" if st.bg.a >= 1.0 else f" (`{bg.hex()}` on the page)"
        what = f"background `{st.bg.hex()}`{shown} under text colour `{fg.hex()}`"
    assert span is not None
    message = f"{what} has a contrast ratio of {_floor2(ratio)}:1, below the {need_s} WCAG AA asks for {kind}"
    # Change the text colour or the background, whichever the element sets
    # and needs the smaller change of lightness (white text on a light blue
    # keeps its white and gets a darker blue).
    options = []
    if own_fg and st.fg_span[2] >= 0:
        better = nearest_passing(st.fg, bg, need, True)
        if better is not None:
            options.append((better[1], better[0], st.fg_span, "text colour"))
    if (isinstance(st.bg, RGBA) and st.bg.a >= 1.0 and fg.a >= 1.0 and st.bg_span is not None
            and st.bg_span[2] >= 0):
        better = nearest_passing(st.bg, fg, need, False)
        if better is not None:
            options.append((better[1], better[0], st.bg_span, "background"))
    fix = None
    if options:
        _, color, where_span, what_changes = min(options, key=lambda o: o[0])
        fix = Fix.unsafe(f"make the {what_changes} `{color.hex()}`, the closest colour of the same hue "
                         f"that reaches {need_s}", Edit(where_span[2], where_span[3], color.hex()))
    return Finding(span[0], span[1], message, fix=fix)
