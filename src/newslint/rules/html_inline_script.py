from __future__ import annotations

import re
from urllib.parse import urlsplit

from ..model import Finding
from ..ruleapi import Rule

# An on*= attribute in a tag of the text, as the tree must find it too.
_HANDLER_IN_TAG = re.compile(r"<[A-Za-z][^<>]*?\s[oO][nN][A-Za-z]{3,}\s*=")
_HANDLER = re.compile(r"on[a-z]{3,}")
# Script types a browser runs; anything else (JSON-LD, templates, MathJax) is data.
_JS_TYPES = frozenset(("", "text/javascript", "application/javascript", "application/ecmascript",
                       "text/ecmascript", "module", "text/jscript", "application/x-javascript"))


def _host(src: str) -> str:
    try:
        return (urlsplit(src.strip()).hostname or "").lower()
    except ValueError:
        return ""


def _allowed(host: str, allowed: tuple[str, ...]) -> bool:
    return bool(host) and any(host == a or host.endswith("." + a) for a in allowed)


class HtmlInlineScript(Rule):
    """A `<script>` element or an `on*=` event handler in a post body.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reports every `<script>` in the body (with or without `src`) and every
    event handler attribute such as `onclick=` or `onerror=` on an element of
    the body. Scripts whose `type` is data rather than code (JSON-LD,
    `text/template`, MathJax's `math/tex`) are not reported, nor are
    `<script src>` embeds from a host listed in `allowed_hosts`.

    ## Why is this bad?
    - A site served with a Content-Security-Policy blocks inline scripts and
      handlers (unless it allows `'unsafe-inline'`), and scripts from hosts
      it does not list: the embed or the button silently does nothing.
    - Feed readers and e-mail newsletters strip scripts: the reader of the
      feed gets an empty box.
    - When posts come from outside contributors or are pasted from a CMS,
      script in the body is the way in for an injection: it runs with the
      site's cookies on every page the post is shown on.

    Script belongs in the layout, where the site reviews it once.

    ## Example
    ```html
    <button onclick="alert('hi')">보기</button>
    <script src="https://platform.twitter.com/widgets.js"></script>
    ```

    ## Use instead
    Load the embed's script in the layout, or allow its host:
    ```toml
    [tool.newslint.rules.html-inline-script]
    allowed_hosts = ["platform.twitter.com"]
    ```

    ## Options
    - `allowed_hosts` (default `[]`): hosts whose `<script src>` embeds the
      site allows; a host also allows its subdomains.
    """

    name = "html-inline-script"
    code = "NL520"
    severity = "warning"
    tags = ("html", "security")
    options = {"allowed_hosts": []}

    def check(self, doc, options):
        if not doc.html.elements:  # what is found is in the tree, and most posts have no HTML
            return []
        text = doc.text
        scripts = doc.html.find_all("script")
        # Only an element with a handler attribute can be reported, and the
        # tree's attribute names cost less to read than the text does: the
        # pattern is looked for only in the few posts that have one.
        handlers = _has_handler(doc.html.elements) and _HANDLER_IN_TAG.search(text, doc.body_start) is not None
        if not (scripts or handlers):
            return []
        allowed = tuple(str(h).lower().strip().lstrip(".") for h in options.get("allowed_hosts") or ())
        findings: list[Finding] = []
        if scripts:
            for el in scripts:
                finding = _script(el, allowed)
                if finding is not None:
                    findings.append(finding)
        if handlers:
            for el in doc.html.elements:
                if not any(k.startswith("on") and _HANDLER.fullmatch(k) for k, _ in el.attrs):
                    continue
                for attr in el.attr_spans():
                    if _HANDLER.fullmatch(attr.name):
                        findings.append(Finding(attr.start, attr.end, f"event handler `{attr.name}` on `<{el.tag}>` "
                                                "in the post body: a Content-Security-Policy blocks it, feed readers "
                                                "strip it, and script in a post is an injection risk; move the "
                                                "behaviour to the layout"))
        findings.sort(key=lambda f: f.start)
        return findings


def _has_handler(elements) -> bool:
    """Has an element an attribute named like an event handler? (A plain
    loop: a generator over every attribute of the post costs more.)"""
    for el in elements:
        for k, _ in el.attrs:
            if k[:2] == "on" and _HANDLER.fullmatch(k):
                return True
    return False


def _script(el, allowed: tuple[str, ...]) -> Finding | None:
    kind = (el.get("type") or "").strip().lower().split(";")[0].strip()
    if kind not in _JS_TYPES:
        return None
    src = el.get("src")
    if src is None:
        return Finding(el.start, el.start_end, "inline `<script>` in the post body: a Content-Security-Policy "
                       "without 'unsafe-inline' blocks it, feed readers strip it, and script in a post is an "
                       "injection risk; move it to the layout")
    host = _host(src)
    if _allowed(host, allowed):
        return None
    where = f"from `{host}`" if host else f"`{src.strip()}`"
    hint = f"; if the site allows this embed, add `{host}` to `allowed_hosts`" if host else ""
    return Finding(el.start, el.start_end, f"`<script>` {where} in the post body: a Content-Security-Policy that "
                   "does not list it blocks it, feed readers strip it, and script in a post is an injection "
                   f"risk{hint}")
