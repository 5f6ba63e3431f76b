"""The structure of Liquid tags and Hugo shortcodes in a post, as the
generators parse it: what makes ``jekyll build`` or ``hugo`` fail.

Liquid is read the way Liquid 5 (Jekyll 4) reads it, checked against the
real ``jekyll build``: the text is split into tokens with Liquid's own
pattern (a tag runs from ``{%`` to the first ``%}``, an output from ``{{`` to
the first ``}``, which must be followed by another), then block tags must
nest. Liquid stops at its first error, and so does :func:`liquid_error`.
Markdown means nothing to Liquid: code blocks and spans are read like any
text (Liquid runs first), only ``{% raw %}`` hides what it holds.

Hugo shortcodes (:func:`shortcode_errors`) must close when they are paired;
whether a shortcode is paired is the caller's knowledge (see the rule).
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Callable

# Ruby's \w and \s in Liquid's patterns are ASCII.
_W = "A-Za-z0-9_"
_S = " \t\r\n\f\v"
_START = re.compile(r"\{[{%]")
# Liquid::BlockBody::FullToken and ContentOfVariable, Liquid::Raw's end test.
_FULL_TOKEN = re.compile(rf"\{{%-?[{_S}]*(#|[{_W}]+)[{_S}]*(.*?)-?%\}}\Z", re.S)
_VARIABLE = re.compile(r"\{\{-?(.*?)-?\}\}\Z", re.S)
_RAW_END = re.compile(rf"(.*)\{{%[{_S}]*([{_W}]+)[{_S}]*(.*)?%\}}\Z", re.S)
_BLANK = re.compile(rf"[{_S}]*\Z")
_DASHED_ENDRAW = re.compile(r"\{%-[^%]{0,20}?endraw[^%]{0,20}%\}")

# The block tags of Liquid 5 and Jekyll, and the tags each lets stand inside
# it besides its end (anything, for `comment`).
BLOCKS: dict[str, frozenset[str]] = {
    "if": frozenset(("elsif", "else")), "unless": frozenset(("elsif", "else")),
    "case": frozenset(("when", "else")), "for": frozenset(("else",)),
    "capture": frozenset(), "tablerow": frozenset(), "ifchanged": frozenset(), "highlight": frozenset(),
}
# Tags that stand only inside a block, and Liquid's and Jekyll's other tags.
_INNER = frozenset(("else", "elsif", "when"))
_INLINE = frozenset(("#", "assign", "break", "continue", "cycle", "decrement", "echo", "include", "increment",
                     "render", "include_relative", "link", "post_url", "liquid"))
_KNOWN = frozenset(BLOCKS) | _INNER | _INLINE | {"comment", "raw"}


# Where Liquid or a shortcode may start. One pass of a compiled pattern, from
# the first "{" (a single-character search), costs less than looking for
# each two-character opener in turn through the whole text.
_OPENER = re.compile(r"\{[{%]")
_SHORTCODE_OPENER = re.compile(r"\{\{[<%]")


def has_liquid_opener(text: str) -> bool:
    """``{%`` or ``{{`` in ``text``."""
    first = text.find("{")
    return first != -1 and _OPENER.search(text, first) is not None


def has_shortcode_opener(text: str) -> bool:
    """``{{<`` or ``{{%`` in ``text``."""
    first = text.find("{")
    return first != -1 and _SHORTCODE_OPENER.search(text, first) is not None


@dataclass(slots=True)
class TemplateError:
    start: int
    end: int
    message: str


def _tokens(text: str, start: int):
    """(offset, token) of every Liquid tag and output from ``start``, split
    exactly as Liquid::Tokenizer splits (in linear time: the next `%}` and
    `}` are looked for again only once passed)."""
    find = text.find
    pos = start
    search = _START.search
    tag_end = brace = -2  # the next "%}" and "}" found so far (-1: none left)
    while True:
        m = search(text, pos)
        if m is None:
            return
        i = m.start()
        if text[i + 1] == "%":
            if -1 < tag_end < i + 2 or tag_end == -2:
                tag_end = find("%}", i + 2)
            end = i + 2 if tag_end == -1 else tag_end + 2
        else:
            if -1 < brace < i + 2 or brace == -2:
                brace = find("}", i + 2)
            end = i + 2 if brace == -1 else brace + (2 if text.startswith("}}", brace) else 1)
        yield i, text[i:end]
        pos = end


def liquid_error(text: str, start: int = 0) -> TemplateError | None:
    """The first Liquid syntax error Jekyll meets in ``text[start:]``, or None.

    Tags Liquid does not know are a site's plugins (newslint cannot see them):
    they are never an error, and one whose ``end`` tag also appears in the
    post is taken for a block.
    """
    if not has_liquid_opener(text):
        return None
    tokens = list(_tokens(text, start))
    ends: set[str] | None = None  # the names of the end tags in the post, once a tag Liquid does not know asks
    stack: list[tuple[str, int, int]] = []  # (name, start, end) of the open blocks
    it = iter(tokens)
    for pos, tok in it:
        end = pos + len(tok)
        if tok[1] == "{":
            # _tokens ends an output after "}}" or after a "}" not followed
            # by another: it reads as _VARIABLE exactly when it ends in "}}".
            if not tok.endswith("}}"):
                return TemplateError(pos, end, f"`{_show(tok)}` is not closed by `}}}}` (Liquid ends an output at its "
                                     "first `}`, which must be followed by another)")
            continue
        m = _FULL_TOKEN.match(tok)
        if m is None:
            what = "is never closed by `%}`" if tok == "{%" else "has no tag name"
            return TemplateError(pos, end, f"`{_show(tok)}` {what}")
        name, markup = m.group(1), m.group(2)
        top = stack[-1][0] if stack else None
        if name == "raw":
            if not _BLANK.match(markup):
                return TemplateError(pos, end, "`{% raw %}` takes no arguments")
            if not any((r := _RAW_END.match(t)) and r.group(2) == "endraw" for _, t in it):
                dashed = _DASHED_ENDRAW.search(text, end)
                return TemplateError(pos, end, "`{% raw %}` is never closed by `{% endraw %}`" + (
                    f" (Liquid does not read `{_show(dashed.group())}`, with a dash, as its end)" if dashed else ""))
            continue
        if ends is None and name not in _KNOWN:
            ends = {m.group(1)[3:] for _, tok in tokens if tok[1] == "%" and (m := _FULL_TOKEN.match(tok))
                    and m.group(1).startswith("end")}
        if name in BLOCKS or name == "comment" or (name not in _KNOWN and name in ends):
            if top == "comment" and name not in BLOCKS and name not in _KNOWN:
                continue  # a comment ignores tags it does not know
            stack.append((name, pos, end))
            continue
        if name.startswith("end"):
            opened = name[3:]
            if top == opened:
                stack.pop()
                continue
            if top == "comment":
                continue
            if top is not None:  # an end tag is never a tag of its own: the open block refuses it
                line_of = text.count("\n", 0, stack[-1][1]) + 1
                return TemplateError(pos, end, f"`{{% {name} %}}` cannot close `{{% {top} %}}` (line {line_of}), "
                                     f"which needs `{{% end{top} %}}` first")
            if top is None and (opened in BLOCKS or opened in ("comment", "raw")):
                return TemplateError(pos, end, f"`{{% {name} %}}` has no `{{% {opened} %}}` to close")
            continue
        if name in _INNER:
            if top is None:
                return TemplateError(pos, end, f"`{{% {name} %}}` stands outside any block (Liquid accepts it only "
                                     f"inside {_inside(name)})")
            if top == "comment" or top not in BLOCKS or name in BLOCKS[top]:
                continue
            return TemplateError(pos, end, f"`{{% {name} %}}` cannot stand in `{{% {top} %}}` (Liquid accepts it "
                                 f"only inside {_inside(name)})")
    if stack:
        name, s, e = stack[-1]
        return TemplateError(s, e, f"`{{% {name} %}}` is never closed by `{{% end{name} %}}`")
    return None


def _inside(name: str) -> str:
    return " or ".join(f"`{{% {b} %}}`" for b in BLOCKS if name in BLOCKS[b])


def _show(token: str) -> str:
    token = " ".join(token.split())
    return token if len(token) <= 40 else token[:37] + "..."


# A Hugo shortcode call: `{{< name args >}}`, `{{% /name %}}`, `{{< name />}}`;
# `{{</* name */>}}` is Hugo's way to write one that is not called.
# A call never holds another `{{`: a run of unclosed openers stays linear.
_SHORTCODE = re.compile(r"\{\{([<%])\s*(/\*)?\s*(/)?\s*([A-Za-z0-9_][\w./-]*)(?![\w./-])"
                        r"((?:(?![>%]\}\}|\{\{).){0,2000}?)[>%]\}\}", re.S)


def shortcode_calls(text: str, start: int = 0) -> list[re.Match]:
    """The shortcode calls (and closing tags) in ``text`` from ``start``, in
    order: one scan that :func:`shortcode_names_closed` and
    :func:`shortcode_errors` can share."""
    if not has_shortcode_opener(text):
        return []
    return list(_SHORTCODE.finditer(text, start))


def shortcode_errors(text: str, start: int, paired: Callable[[str], bool],
                     inline: Callable[[str], bool] = lambda name: False,
                     calls: list[re.Match] | None = None) -> list[TemplateError]:
    """Unclosed paired shortcodes, closing shortcodes with no opening, and
    closing tags of shortcodes that take none, as Hugo reports them;
    ``paired(name)`` says that a shortcode takes a closing tag,
    ``inline(name)`` that it is known to take none. ``calls``: what
    :func:`shortcode_calls` gives for ``text`` and ``start``, when the caller has it."""
    if calls is None:
        calls = shortcode_calls(text, start)
    out: list[TemplateError] = []
    stack: list[tuple[str, int, int]] = []
    for m in calls:
        if m.group(2):
            continue  # `{{</* x */>}}`: shown as written, not called
        name, s, e = m.group(4), m.start(), m.end()
        if m.group(3):  # a closing tag
            if inline(name):
                out.append(TemplateError(s, e, f"shortcode `{name}` takes no inner content (its template does not "
                                         "use `.Inner`), yet it is closed here: Hugo fails"))
                continue
            if stack and stack[-1][0] == name:
                stack.pop()
                continue
            opened = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][0] == name), None)
            if opened is None:
                out.append(TemplateError(s, e, f"`{{{{< /{name} >}}}}` closes no open `{name}` shortcode: "
                                         "Hugo fails (\"got closing shortcode, but none is open\")"))
                continue
            for inner, i_s, i_e in stack[opened + 1:]:
                out.append(_unclosed(inner, i_s, i_e))
            del stack[opened:]
            continue
        if m.group(5).rstrip().endswith("/") or inline(name) or not paired(name):
            continue  # self-closed, or a shortcode that takes no inner content
        stack.append((name, s, e))
    out.extend(_unclosed(name, s, e) for name, s, e in stack)
    out.sort(key=lambda p: p.start)
    return out


def _unclosed(name: str, start: int, end: int) -> TemplateError:
    return TemplateError(start, end, f"shortcode `{name}` is never closed: Hugo fails (\"must be closed or "
                         f"self-closed\"); close it with `{{{{< /{name} >}}}}`")


def shortcode_names_closed(text: str, start: int = 0, calls: list[re.Match] | None = None) -> set[str]:
    """The shortcodes a text closes somewhere (so they are paired); ``calls``
    as for :func:`shortcode_errors`."""
    if calls is None:
        calls = shortcode_calls(text, start)
    return {m.group(4) for m in calls if m.group(3) and not m.group(2)}
