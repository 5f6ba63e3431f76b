from __future__ import annotations

import re

from ..document import TEMPLATE_TAG
from ..model import Finding
from ..ruleapi import Rule

_JAVASCRIPT = re.compile(r"[\x00-\x20]*javascript:", re.I)
_INNER_WS = re.compile(r"[ \t\n\r\f]")
# What every address has at least one of: a path, a dot of a host or file, a scheme, a fragment.
_URL_PART = re.compile(r"[/.:#?=]")
# Printable ASCII without "{" and not starting with `javascript:`: fine at once
# (most URLs; one match instead of the four steps below).
_PLAIN_OK = re.compile(r"(?!javascript:)[!-z|}~]+\Z", re.I)


def href_problem(url: str | None) -> str | None:
    """Why a link destination is broken, or None when it is fine."""
    if url and _PLAIN_OK.match(url):
        return None
    if url is None or not url.strip():
        return "empty link target: the link goes nowhere (it reloads the page); use a URL, or `#` for a placeholder"
    if _JAVASCRIPT.match(url):
        return "`javascript:` URL: it does nothing in feed readers and with scripts off, and is blocked by most sites' security policy; link to a page instead"
    bare = url.strip()
    if "{" in bare:
        bare = TEMPLATE_TAG.sub("", bare)  # their inner spaces are not in the URL
    if _INNER_WS.search(bare):
        if not _URL_PART.search(bare):
            # `링크 주소 입력`, `URL here`: words, not an address with a space in it.
            return (f"placeholder URL `{bare}`: the link was never filled in; remove the link and keep its "
                    "text, or put the real URL")
        return "URL contains an unencoded space: encode it as `%20` (or fix the file name) so every browser, crawler and feed reader follows it"
    return None


class LinkHrefInvalid(Rule):
    """A link whose target is empty, a `javascript:` URL, or contains spaces.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Checks the `href` of every HTML `<a>` and the destination of every
    Markdown link, and reports:

    - an empty or whitespace-only `href` (`href="#"` is fine);
    - a `javascript:` URL (case-insensitive, leading spaces allowed);
    - spaces inside the URL, such as `https://example.com/my page`. A Markdown
      destination in angle brackets (`[x](<a b>)`) may legally hold spaces,
      but the URL it produces still has them, so it is reported too.

    A destination made of words with spaces and none of `/ . : # ? =`
    (`링크 주소 입력`, `URL here`) is no address with a space in it but a
    placeholder the author never replaced: the message says to remove the
    link (or put the real URL) rather than to encode the spaces.

    Spaces inside Liquid or Hugo template expressions (`{{ site.url }}`,
    `{% link a.md %}`) are not part of the URL and are ignored.

    ## Why is this bad?
    An empty `href` reloads the page. A `javascript:` link does nothing in
    feed readers, in AMP and on sites with a content security policy. A URL
    with a raw space is invalid: browsers repair it, but crawlers, e-mail
    clients and link checkers often cut it at the space.

    ## Example
    ```html
    <a href="">보도자료</a>
    <a href="javascript:void(0)">more</a>
    <a href="https://example.com/press release.pdf">press release</a>
    ```

    ## Use instead
    ```html
    <a href="https://example.com/press">보도자료</a>
    <a href="https://example.com/press%20release.pdf">press release</a>
    ```
    """

    name = "link-href-invalid"
    code = "NL303"
    severity = "error"
    tags = ("links", "html", "markdown")

    def check(self, doc, options):
        for el in doc.html.find_all("a"):
            if not el.has("href"):
                continue
            problem = href_problem(el.get("href"))
            if problem is None:
                continue
            attr = next((a for a in el.attr_spans() if a.name == "href"), None)
            if attr is None:  # pragma: no cover - the parser saw it, so the raw tag has it
                continue
            yield Finding(attr.value_start, attr.value_end, problem)
        for link in doc.markdown.links:
            if link.link_type in ("Autolink", "Email", "WikiLink"):
                continue
            problem = href_problem(link.dest)
            if problem is None:
                continue
            yield Finding(link.start, link.end, problem)
