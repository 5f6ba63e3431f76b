"""Liquid and Hugo template expressions in link targets and image sources.

Jekyll runs Liquid before Markdown, and Hugo expands shortcodes before
rendering, so ``![]({{ "/a.png" | relative_url }})`` is an image on the page.
pulldown-cmark reads the Markdown as it is written and ends a destination at
the first space: the image, or the link ``[x]({% link a.md %})``, would not be
seen at all.

:func:`mask_destination_tags` makes the template tags that stand in a link
destination (inline, or a reference definition) space-free, same length, so
the parser sees the link where the generator will; :func:`restore_destinations`
gives each link and image back its destination as written and marks it
``dynamic``. :func:`resolve` turns the forms whose target is known into a
site path (``resolved``, with ``resolved_kind`` saying what kind of path).

Nothing here imports a parser or the document.
"""

from __future__ import annotations

import re
from typing import Any

# One template tag, `{{ ... }}` (also Hugo's `{{< >}}` and `{{% %}}`, which
# end in `}}` too) or `{% ... %}`, within one paragraph (no blank line).
# Bounded: linear on "{{" * n.
_IN_TAG = r"(?:(?!\{[{%])[^\n]|\n(?![ \t]*\r?\n)){0,500}?"
_TAG = r"\{\{" + _IN_TAG + r"\}\}|\{%" + _IN_TAG + "%\\}"
TAG = re.compile(_TAG)
# Where a destination with a template in it starts: after `](` (and spaces,
# and `<`), or after the label of a reference definition at the start of a
# line, when a tag opens before the first space or parenthesis. Matched at
# the places str.find gives (a scan by the regex engine cost ten times more).
_AFTER_PAREN = re.compile(r"[ \t]*<?(?=[^\s()<>]*\{[{%])")
_REFERENCE = re.compile(r" {0,3}\[[^\]\n]{1,999}\]:[ \t]*<?(?=[^\s()<>]*\{[{%])")
# A destination as the generator sees it: template tags and characters that
# are not spaces or parentheses.
_DEST_RUN = re.compile(r"(?:" + _TAG + r"|[^\s()<>])*")
# What the parser must not meet inside a tag standing in a destination: a
# space ends the destination, a parenthesis may close it, a pipe splits a
# table cell. Each becomes one ASCII character (the byte offsets stay).
_UNSAFE_IN_DEST = re.compile(r"[\s()|]")


def has_template(text: str) -> bool:
    return "{{" in text or "{%" in text


def mask_destination_tags(source: str) -> tuple[str, dict[str, str]]:
    """``source`` with every template tag inside a link destination made
    space-free, and {masked tag: tag as written} to restore them.

    Only tags within a destination are touched: a tag in prose, alt text or
    link text stays as it is, so the text the rules read is the file's.
    """
    spans: list[tuple[int, int]] = []
    for start in _dest_starts(source):
        run = _DEST_RUN.match(source, start)
        if run is None or run.end() == run.start():
            continue
        chunk = run.group()
        if "{{" not in chunk and "{%" not in chunk:
            continue
        for tag in TAG.finditer(source, run.start(), run.end()):
            spans.append(tag.span())
    if not spans:
        return source, {}
    parts: list[str] = []
    restore: dict[str, str] = {}
    pos = 0
    for s, e in sorted(set(spans)):
        if s < pos:
            continue
        tag = source[s:e]
        masked = _UNSAFE_IN_DEST.sub("_", tag)
        parts.append(source[pos:s])
        parts.append(masked)
        if masked != tag:
            restore.setdefault(masked, tag)
        pos = e
    parts.append(source[pos:])
    return "".join(parts), restore


def _dest_starts(source: str):
    """Where a destination holding a template tag starts, in source order: a
    place after `](`, then one after a reference definition's label.

    A destination runs to the first space or parenthesis, never past its
    line: only a line with a tag opener can hold one, and the regexes are
    tried only there (most bodies with a tag have a few, in prose).
    """
    find = source.find
    lines = []  # (start, end) of every line with an opener, in order
    nxt = _next_opener(source, 0)
    while nxt != -1:
        end = find("\n", nxt)
        if end == -1:
            end = len(source)
        lines.append((source.rfind("\n", 0, nxt) + 1, end))
        nxt = _next_opener(source, end)
    for start, end in lines:
        pos = find("](", start, end)
        while pos != -1:
            m = _AFTER_PAREN.match(source, pos + 2)
            if m is not None:
                yield m.end()
            pos = find("](", pos + 2, end)
    for start, end in lines:
        if find("]:", start, end) != -1:
            m = _REFERENCE.match(source, start)
            if m is not None:
                yield m.end()


def _next_opener(source: str, pos: int) -> int:
    """The offset of the first `{{` or `{%` at or after ``pos``, or -1."""
    find = source.find
    pos = find("{", pos)
    while pos != -1 and source[pos + 1 : pos + 2] not in ("{", "%"):
        pos = find("{", pos + 1)
    return pos


def restore_destinations(items: list[Any], restore: dict[str, str]) -> None:
    """Give each link or image (``MdLink``/``MdImage``) its destination as
    written, and mark the ones with a template in it as dynamic."""
    for item in items:
        dest = item.dest
        if "{" not in dest or not has_template(dest):
            continue
        if restore:
            for masked, tag in restore.items():
                if masked in dest:
                    dest = dest.replace(masked, tag)
            item.dest = dest
        item.dynamic = True
        item.resolved_kind, item.resolved = resolve(dest)


# The site's root: Jekyll's `{{ site.url }}`/`{{ site.baseurl }}`, Hugo's `{{ .Site.BaseURL }}`.
_SITE_ROOT = re.compile(r"\{\{-?\s*(?:site\.(?:url|baseurl)|\$?\.Site\.BaseURL)\s*-?\}\}", re.I)
# `{{ "/x" | relative_url }}`, `{{ '/x' | absolute_url }}`, `{{ "/x" | prepend: site.baseurl }}`,
# Hugo's `{{ "/x" | relURL }}` and `{{ "/x" | absURL }}`.
_FILTERED = re.compile(r"""\{\{-?\s*(["'])([^"'{}]*)\1\s*\|\s*(?:relative_url|absolute_url|relURL|absURL|"""
                       r"""prepend:\s*site\.(?:baseurl|url))\s*-?\}\}""")
_LINK_TAG = re.compile(r"\{%-?\s*(link|post_url)\s+([^\s{}%]+)\s*-?%\}")
_HUGO_REF = re.compile(r"""\{\{([<%])\s*(?:ref|relref)\s+(["']?)([^"'\s<>%{}]+)\2[^<>%{}]*?[>%]\}\}""")
_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:|//")


def resolve(dest: str) -> tuple[str, str | None]:
    """(kind, path) of a destination built by a template, ("", None) when its
    target is not known here.

    Kinds: ``"url"``, a path on the site (``{{ site.baseurl }}/x``,
    ``{{ "/x" | relative_url }}`` give ``/x``); ``"file"``, a source file
    relative to the site root (Jekyll's ``{% link _posts/a.md %}``);
    ``"post"``, a Jekyll post's name (``{% post_url 2020-01-01-a %}``);
    ``"ref"``, a Hugo content reference (``{{< ref "x.md" >}}``, as Hugo
    resolves it: relative to the page, then to ``content/``). Whatever
    follows the tag (``#fragment``, ``?query``, more path) stays on the path.
    """
    rest = dest.strip()
    rooted = slashed = False
    while True:  # `{{ site.url }}{{ site.baseurl }}` may come twice
        m = _SITE_ROOT.match(rest)
        if m is None:
            break
        rest = rest[m.end():]
        rooted = True
        slashed = "BaseURL" in m.group(0)  # Hugo's baseURL ends with a slash: `{{ .Site.BaseURL }}img/a.png`
    kind = "url"
    m = _FILTERED.match(rest)
    if m is not None:
        path = m.group(2).strip()
        if _SCHEME.match(path):
            return "", None
        rest = "/" + path.lstrip("/") + rest[m.end():]
    else:
        m = _LINK_TAG.match(rest)
        if m is not None:
            kind = "file" if m.group(1) == "link" else "post"
            rest = m.group(2) + rest[m.end():]
        elif not rooted:
            m = _HUGO_REF.match(rest)
            if m is None:
                return "", None
            kind = "ref"
            rest = m.group(3) + rest[m.end():]
        elif not rest:
            rest = "/"
        elif rest[0] not in "/?#":
            if not slashed:
                return "", None
            rest = "/" + rest
    if has_template(rest) or any(c.isspace() for c in rest):
        return "", None
    return kind, rest
