from __future__ import annotations

from ..model import Edit, Finding, Fix
from ..ruleapi import Rule
from .link_rel_invalid import has_opener_guard, is_glued, is_template


class LinkTargetBlankUnsafe(Rule):
    """A link opening a new tab without `rel="noopener"`.

    ## What it does
    Reports `<a target="_blank">` (the value compared case-insensitively)
    whose `rel` has neither `noopener` nor `noreferrer`. A `rel` whose tokens
    are glued by a non-breaking space (`rel="noopener&nbsp;noreferrer"`, as the
    Tistory editor writes it) counts as missing both, because that is how
    browsers read it.

    ## Why is this bad?
    The page opened in the new tab gets `window.opener` and can navigate your
    page to a look-alike login page ("reverse tabnabbing"). Recent browsers
    imply `noopener` for `target="_blank"`, but older ones, in-app browsers
    and feed readers do not.

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
    here: `link-rel-invalid` separates the tokens, which is enough when they
    include `noopener` or `noreferrer` (a second run adds `noopener`
    otherwise).
    """

    name = "link-target-blank-unsafe"
    code = "NL302"
    severity = "warning"
    fix = "safe"
    tags = ("links", "html", "security")

    def check(self, doc, options):
        for el in doc.html.find_all("a"):
            target = el.get("target")
            if target is None or target.strip().lower() != "_blank":
                continue
            rel = el.get("rel")
            if rel is not None and (has_opener_guard(rel) or is_template(rel)):
                continue
            if rel is not None and is_glued(rel):
                msg = ('`target="_blank"` without a working `noopener`: the `rel` tokens are glued by a '
                       "non-breaking space, so browsers ignore them; the new page can control this one "
                       "through `window.opener`")
            else:
                msg = ('`target="_blank"` without `rel="noopener"`: the new page can control this one '
                       "through `window.opener`")
            yield Finding(el.start, el.start_end, msg, fix=_fix(doc, el, rel))


def _fix(doc, el, rel: str | None) -> Fix | None:
    attrs = el.attr_spans()
    if rel is not None:
        attr = next((a for a in attrs if a.name == "rel"), None)
        if attr is None or is_glued(rel):
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
