from __future__ import annotations

import re
from itertools import compress
from operator import attrgetter, not_

from ..source import TEMPLATE_TAG
from ..model import Finding
from ..ruleapi import Rule

_JAVASCRIPT = re.compile(r"[\x00-\x20]*javascript:", re.I)
_INNER_WS = re.compile(r"[ \t\n\r\f]")
# What every address has at least one of: a path, a dot of a host or file, a scheme, a fragment.
_URL_PART = re.compile(r"[/.:#?=]")
# A URL with a scheme or starting with `/ # . ?`, in printable ASCII without `< > [ \\ ] { }` and not
# `javascript:`: fine at once (most URLs; one match instead of the steps below).
# Case-sensitive classes spelled out, not re.I: an ignore-case class test costs
# a case lookup per character. The four characters besides ASCII letters are
# those re.I matches to one (tests/test_link_href_targets.py compares).
_FOLDS = "\u0130\u0131\u017f\u212a"
_PLAIN_OK = re.compile(rf"(?!(?i:javascript:))(?:[a-zA-Z{_FOLDS}][a-zA-Z0-9+.\-{_FOLDS}]*:|[/#.?])"
                       rf"[!-;=?-Z^-z|~{_FOLDS}]*\Z")
_SCHEME = re.compile(r"[a-z][a-z0-9+.-]*:", re.I)
# `<account name>`, `<your-bucket>`: a part of a sample URL the author was to replace (no URL holds `<`).
_ANGLE_PLACEHOLDER = re.compile(r"<[^<>]*>")
# `[text](https://e.org)` pasted as the target of another link.
_MARKDOWN_LINK = re.compile(r"\[[^\]]*\]\(\s*<?([^\s()<>]+)>?\s*\)")
# Top-level domains that no common file extension shares (not .md, .sh, .py, .rs, .pl, .ai, .ps):
# `README.md` stays a relative link, `github.com/x` is a site without its scheme.
_TLDS = ("com|net|org|edu|gov|mil|int|io|co|kr|jp|cn|tw|hk|uk|de|fr|it|es|nl|se|no|fi|dk|ch|at|be|ru|br|in|au|"
         "ca|us|eu|info|biz|dev|xyz|me|tv|ly|gl|gg|ac|vn|sg|id|my|th|nz")
_BARE_DOMAIN = re.compile(rf"(?:www\.[^/?#:\s]+|(?:[a-z0-9](?:[a-z0-9-]*[a-z0-9])?\.)+(?:{_TLDS}))(?=[/?#:]|\Z)", re.I)
_DEST = attrgetter("dest")


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
    nested = _MARKDOWN_LINK.search(bare)
    if nested:
        return (f"the link target is itself a Markdown link `{nested.group()}`: the link leads to that text as "
                f"a path on this site; make `{nested.group(1)}` the target")
    placeholder = _ANGLE_PLACEHOLDER.search(bare)
    if placeholder:
        return (f"placeholder URL `{bare}`: `{placeholder.group()}` is text to fill in, not part of an address; "
                "remove the link and keep its text, or put the real URL")
    if _INNER_WS.search(bare):
        if not _URL_PART.search(bare):
            # `링크 주소 입력`, `URL here`: words, not an address with a space in it.
            return (f"placeholder URL `{bare}`: the link was never filled in; remove the link and keep its "
                    "text, or put the real URL")
        return "URL contains an unencoded space: encode it as `%20` (or fix the file name) so every browser, crawler and feed reader follows it"
    if not _SCHEME.match(bare) and _BARE_DOMAIN.match(bare):
        return (f"link target `{bare}` has no scheme: browsers read it as a path on this site, not as "
                f"another site; add `https://` (`https://{bare}`)")
    return None


class LinkHrefInvalid(Rule):
    """A link whose target is empty, a `javascript:` URL, a placeholder, another link, or lacks its scheme.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Checks the `href` of every HTML `<a>` and the destination of every
    Markdown link, and reports:

    - an empty or whitespace-only `href` (`href="#"` is fine);
    - a `javascript:` URL (case-insensitive, leading spaces allowed);
    - spaces inside the URL, such as `https://example.com/my page`. A Markdown
      destination in angle brackets (`[x](<a b>)`) may legally hold spaces,
      but the URL it produces still has them, so it is reported too.

    - a sample URL with a part to fill in, in angle brackets
      (`http://&lt;account name&gt;.blob.core.windows.net/`);
    - a Markdown link pasted as the target of another
      (`[docs]([docs](https://example.org))`);
    - a site address without its scheme (`www.example.org`,
      `github.com/user/repo`, `example.co.kr/news`), which a browser reads
      as a path on this site. Only well-known top-level domains count, and
      none that is also a file extension: `README.md` stays a relative link.

    A destination made of words with spaces and none of `/ . : # ? =`
    (`링크 주소 입력`, `URL here`) is no address with a space in it but a
    placeholder the author never replaced: the message says to remove the
    link (or put the real URL) rather than to encode the spaces, and so it
    does for the angle-bracket placeholders.

    Spaces inside Liquid or Hugo template expressions (`{{ site.url }}`,
    `{% link a.md %}`) are not part of the URL and are ignored.

    ## Why is this bad?
    An empty `href` reloads the page. A `javascript:` link does nothing in
    feed readers, in AMP and on sites with a content security policy. A URL
    with a raw space is invalid: browsers repair it, but crawlers, e-mail
    clients and link checkers often cut it at the space. A placeholder, a
    pasted Markdown link or an address without `https://` all lead to a
    missing page of this site.

    ## Example
    ```html
    <a href="">보도자료</a>
    <a href="javascript:void(0)">more</a>
    <a href="https://example.com/press release.pdf">press release</a>
    <a href="www.example.com/press">보도자료</a>
    ```

    ## Use instead
    ```html
    <a href="https://example.com/press">보도자료</a>
    <a href="https://example.com/press%20release.pdf">press release</a>
    <a href="https://www.example.com/press">보도자료</a>
    ```
    """

    name = "link-href-invalid"
    code = "NL303"
    severity = "error"
    tags = ("links", "html", "markdown")

    def check(self, doc, options):
        out: list[Finding] = []
        for el in doc.html.find_all("a"):
            href = el.get("href")
            if href is None:
                continue
            problem = href_problem(href)
            if problem is None:
                continue
            attr = next((a for a in el.attr_spans() if a.name == "href"), None)
            if attr is None:  # pragma: no cover - the parser saw it, so the raw tag has it
                continue
            out.append(Finding(attr.value_start, attr.value_end, problem))
        links = doc.markdown.links
        # Only a link whose target is not fine at once (href_problem's first
        # test) can have a problem: that test runs on every target in one C
        # loop, and the rest below only on the few it leaves.
        for link in compress(links, map(not_, map(_PLAIN_OK.match, map(_DEST, links)))) if links else ():
            if link.link_type in ("Autolink", "Email", "WikiLink"):
                continue
            problem = href_problem(link.dest)
            if problem is None:
                continue
            out.append(Finding(link.start, link.end, problem))
        return out
