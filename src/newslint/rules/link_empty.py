from __future__ import annotations

import re
from itertools import compress
from operator import attrgetter, not_

from ..model import Finding
from ..ruleapi import Rule

# The bracket part of a Markdown link as written, when it holds nothing but spaces
# or entities (`[](/z)`, `[ ](/z)`, `[&nbsp;](/z)`): no image, code or HTML inside.
_EMPTY_MD_TEXT = re.compile(r"\[(?:[ \t]|&nbsp;|&#160;|&#xa0;)*\]", re.I)
_NAMES = ("aria-label", "aria-labelledby", "title")
_TEXT = attrgetter("text")


class LinkEmpty(Rule):
    """A link with nothing to read.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reports a Markdown link with empty brackets (`[](/z)`) and an HTML
    `<a href>` that has no text, no image with alt text inside it, and no
    `aria-label`, `aria-labelledby` or `title` to name it.

    Not reported: an `<a>` without `href` (an anchor, not a link), and a link
    whose only content is an image with no `alt` attribute at all: that is
    one problem, and `image-alt-missing` reports it on the image. An image
    with `alt=""` inside a link is reported here, because the empty alt marks
    the image as decoration and leaves the link with no name.

    ## Why is this bad?
    A link with no text is invisible on the page, yet keyboard users still
    tab onto it and screen readers announce "link" followed by the URL, or
    nothing at all. Editors leave such links behind when they delete the text
    of a link but not the link (`<a href="photo.png"></a>`), and icon links
    (`<a href="..."><i class="icon-twitter"></i></a>`) are empty for anyone
    who cannot see the icon.

    ## Example
    ```html
    <a href="/assets/img/busan-port.png"></a>
    <a href="https://twitter.com/busan"><i class="fa fa-twitter"></i></a>
    ```

    ## Use instead
    ```html
    <a href="https://twitter.com/busan" aria-label="부산시 트위터"><i class="fa fa-twitter"></i></a>
    ```
    Remove a link that only an editor left behind.
    """

    name = "link-empty"
    code = "NL305"
    severity = "warning"
    tags = ("links", "accessibility")

    def check(self, doc, options):
        findings: list[Finding] = []
        text = doc.text
        links = doc.markdown.links
        # Only a link whose text is blank can be empty: that test runs on every
        # link in one C loop, the rest below only on the few it leaves.
        for link in compress(links, map(not_, map(str.strip, map(_TEXT, links)))) if links else ():
            if link.link_type in ("Autolink", "Email") or link.text.strip():
                continue
            if _EMPTY_MD_TEXT.match(text, link.start):
                findings.append(Finding(link.start, link.end, "link has no text: it is invisible on the page, and "
                                        "screen readers announce only \"link\"; write what it leads to between the "
                                        "brackets, or remove it"))
        if doc.markdown.html or doc.kind != "markdown":
            for el in doc.html.find_all("a"):
                if el.end_tag_start < 0:
                    continue
                inner = text[el.start_end:el.end_tag_start]
                if "<" not in inner and "&" not in inner and inner.strip():
                    continue  # plain text that shows: what _empty finds first, without its calls
                if el.has("href") and _empty(el):
                    findings.append(Finding(el.start, el.end, _html_message(el)))
        if len(findings) > 1:
            findings.sort(key=lambda f: f.start)
        return findings


def _named(el) -> bool:
    return any((el.get(n) or "").strip() for n in _NAMES)


def _empty(el) -> bool:
    inner = el.inner_html()
    if "<" not in inner and "&" not in inner:
        return not inner.strip() and not _named(el)  # plain text: the common case, no parsing
    if _named(el) or el.text().strip():
        return False
    for child in el.iter():
        if _named(child):
            return False
        if child.tag == "img" and (child.get("alt") is None or child.get("alt").strip()):
            return False  # alt text names the link; no alt at all is image-alt-missing's finding
        if child.tag in ("svg", "iframe", "object", "embed", "video", "audio"):
            return False  # content we cannot read the name of
    return True


def _html_message(el) -> str:
    has_img = any(c.tag == "img" for c in el.iter())
    if has_img:
        return ("link holds only an image with empty alt text (`alt=\"\"`), so it has no name: screen readers "
                "announce only \"link\"; describe the target in the image's `alt`, or add `aria-label`")
    if el.children:
        return ("link has no text, only markup (an icon?): screen readers announce only \"link\"; add text or an "
                "`aria-label` that names the target")
    return ("link has no text: it is invisible on the page, and screen readers announce only \"link\"; write what "
            "it leads to inside the `<a>`, or remove it")
