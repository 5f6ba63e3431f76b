from __future__ import annotations

import re

from ..model import Finding
from ..ruleapi import Rule

# `![]` or `![  ]` as written: the alt text is really empty (not made of code or HTML).
_EMPTY_MD_ALT = re.compile(r"!\[[ \t]*\]")


class ImageAltMissing(Rule):
    """An image with no alt text.

    ## What it does
    Reports an HTML `<img>` that has no `alt` attribute at all, and a Markdown
    image whose alt text is empty (`![](photo.jpg)`).

    An HTML image with `alt=""` is not reported: an empty alt is how an
    author marks an image as decorative, so screen readers skip it. Markdown
    has no such marker, so an empty Markdown alt is always reported. An
    `<img>` with `role="presentation"` or `role="none"` is not reported
    either.

    ## Why is this bad?
    Without `alt`, screen readers read the file name (`IMG_1234.jpg`) or
    just "image"; the picture is lost for blind readers, for readers on a slow
    connection and for search engines, and feed readers show nothing.

    ## Example
    ```markdown
    ![](/assets/img/busan-port.jpg)
    <img src="/assets/img/busan-port.jpg">
    ```

    ## Use instead
    ```markdown
    ![부산항 신항 컨테이너 부두 전경](/assets/img/busan-port.jpg)
    <img src="/assets/img/divider.png" alt="">
    ```
    """

    name = "image-alt-missing"
    code = "NL201"
    severity = "warning"
    tags = ("images", "accessibility")

    def check(self, doc, options):
        findings: list[Finding] = []
        for el in doc.html.find_all("img"):
            if el.has("alt"):
                continue
            role = (el.get("role") or "").strip().lower()
            if role in ("presentation", "none"):
                continue
            findings.append(Finding(el.start, el.start_end, "`<img>` has no `alt` attribute: describe the image, "
                                    'or write `alt=""` if it is only decoration'))
        text = doc.text
        for im in doc.markdown.images:
            if im.alt.strip() or not _EMPTY_MD_ALT.match(text, im.start):
                continue
            findings.append(Finding(im.start, im.end, "image has no alt text: describe it between the brackets, "
                                    "`![what the image shows](...)`"))
        findings.sort(key=lambda f: f.start)
        return findings
