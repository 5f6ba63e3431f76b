from __future__ import annotations

import re

from ..model import Edit, Finding, Fix
from ..ruleapi import Rule
from ..templates import resolve
from .link_rel_invalid import guards_once_unglued, has_opener_guard, is_template, meant_rel

# An href with a scheme (`https:`, `mailto:`) or a host (`//cdn.example`): anything
# else (`/about`, `../2024/post`, `#top`) is a page of the site itself.
_OFF_SITE = re.compile(r"\s*(?:[A-Za-z][A-Za-z0-9+.-]*:|//)")
_RISK = ("current browsers imply `noopener`, but older browsers and in-app webviews (messengers, social apps) "
         "give the new page `window.opener`, through which it can send this page to a look-alike")


class LinkTargetBlankUnsafe(Rule):
    """A link opening a new tab without `rel="noopener"`.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reports `<a target="_blank">` (the value compared case-insensitively)
    whose `rel` has neither `noopener` nor `noreferrer`, when it leads off
    the site. A link to the site's own pages is not reported: a relative
    `href` (`/about`, `../2024/03/05/busan/`, `#top`), or an absolute one to
    a host listed in `own_hosts`, or a Liquid or Hugo expression that
    names a page of the site (`{{ site.baseurl }}/about`,
    `{% link about.md %}`, `{{< ref "about.md" >}}`).

    When `noopener` or `noreferrer` is there but glued by a non-breaking
    space, to another token (`rel="noopener&nbsp;noreferrer"`, as the Tistory
    editor writes it) or to the attribute before `rel`
    (`target="_blank"&nbsp;rel="noopener"`), browsers do not apply it, but
    that is one mistake with one finding: `link-rel-invalid` reports it, and
    its fix makes `noopener` work. Glue around other tokens is reported by
    both rules, since the link would still lack `noopener` without it.

    ## Why is this bad?
    Current browsers (Chrome 88, Firefox 79 and Safari 12.1 onwards) treat
    `target="_blank"` as `noopener`, so for most readers nothing happens.
    The risk is the rest: older browsers and the in-app webviews of
    messengers and social apps, where many readers open news links, give the
    page opened in the new tab `window.opener`, and it can navigate your page
    to a look-alike login page ("reverse tabnabbing"). Your own pages do not
    do that, which is why links to them are left alone.

    ## Example
    ```html
    <a href="https://example.com" target="_blank">example</a>
    ```

    ## Use instead
    ```html
    <a href="https://example.com" target="_blank" rel="noopener">example</a>
    ```

    ## Fix safety
    The fix is safe: it adds `noopener` to the existing `rel` value, or inserts
    `rel="noopener"` right after `target` (with the same quotes). The link
    still opens in a new tab; only the new page's access to yours is cut.
    When the `rel` value is glued by a non-breaking space no fix is offered
    here: `link-rel-invalid` separates the tokens first, then this fix adds
    `noopener` in the fixer's next pass.

    ## Options
    - `own_hosts` (default `[]`): the site's own hosts (`www.busan.go.kr`);
      an absolute link to one of them, or to a subdomain, is not reported.
    """

    name = "link-target-blank-unsafe"
    code = "NL302"
    severity = "warning"
    fix = "safe"
    tags = ("links", "html", "security")
    options = {"own_hosts": []}

    def check(self, doc, options):
        out: list[Finding] = []
        own = options.get("own_hosts") or ()
        own = tuple(str(h).lower().strip().lstrip(".") for h in own) if own else ()
        for el in doc.html.find_all("a"):
            target = el.get("target")
            if target is None or target.strip().lower() != "_blank":
                continue
            if _own_page(el.get("href"), own):
                continue
            rel, glued = meant_rel(el)
            if rel is not None and is_template(rel):
                continue
            if glued:
                if guards_once_unglued(rel):
                    continue  # link-rel-invalid reports the glue, and its fix makes `noopener` work
                # Not fixed here: link-rel-invalid's fix rewrites the same value first.
                out.append(Finding(el.start, el.start_end, f'`target="_blank"` without `rel="noopener"`: {_RISK}'))
                continue
            if has_opener_guard(rel):
                continue
            out.append(Finding(el.start, el.start_end, f'`target="_blank"` without `rel="noopener"`: {_RISK}',
                               fix=_fix(doc, el, rel)))
        return out


def _own_page(href: str | None, own: tuple[str, ...]) -> bool:
    if href is None:
        return False
    if is_template(href):
        # `{{ site.url }}/about`, `{% link about.md %}`: a page of the site; any other template may lead anywhere.
        return resolve(href)[1] is not None
    if not _OFF_SITE.match(href):
        return True
    if not own:
        return False
    from urllib.parse import urlsplit

    try:
        host = (urlsplit(href.strip()).hostname or "").lower()
    except ValueError:
        return False
    return bool(host) and any(host == h or host.endswith("." + h) for h in own)


def _fix(doc, el, rel: str | None) -> Fix | None:
    attrs = el.attr_spans()
    if rel is not None:
        attr = next((a for a in attrs if a.name == "rel"), None)
        if attr is None:  # pragma: no cover - the parser saw it, so the raw tag has it
            return None
        raw = doc.text[attr.value_start : attr.value_end]
        quoted = attr.end == attr.value_end + 1 and doc.text[attr.value_end] in "\"'"
        if not quoted:
            if attr.value_start == attr.value_end:
                # A bare `rel` attribute: give it a value.
                return Fix.safe("add `noopener` to `rel`", Edit.insert(attr.end, '="noopener"'))
            return Fix.safe("add `noopener` to `rel`", Edit(attr.value_start, attr.value_end, f'"{raw} noopener"'))
        sep = "" if not raw or raw[-1] in " \t\n\f\r" else " "
        return Fix.safe("add `noopener` to `rel`", Edit.insert(attr.value_end, f"{sep}noopener"))
    target = next((a for a in attrs if a.name == "target"), None)
    if target is None:  # pragma: no cover - the parser saw it, so the raw tag has it
        return None
    quote = doc.text[target.value_end] if target.end == target.value_end + 1 else '"'
    if quote not in "\"'":
        quote = '"'
    return Fix.safe(f"add `rel={quote}noopener{quote}`", Edit.insert(target.end, f" rel={quote}noopener{quote}"))
