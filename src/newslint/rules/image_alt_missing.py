from __future__ import annotations

import re

from ..includes import IncludeTemplates, has_includes, include_images
from ..model import Finding
from ..ruleapi import RUN_STATE, Rule

# `![]` or `![  ]` as written: the alt text is really empty (not made of code or HTML).
_EMPTY_MD_ALT = re.compile(r"!\[[ \t]*\]")


def _offered_alt(img) -> tuple[str, str] | None:
    """A description the editor kept beside an image without `alt`: Tistory's
    `data-alt` (on the image or its wrapping `<span>`), or the `<figcaption>`
    of the `<figure>` around it."""
    for el in (img, img.parent):
        value = el.get("data-alt") if el is not None else None
        if value and value.strip():
            return "`data-alt`", _clean(value)
    for anc in img.ancestors():
        if anc.tag == "figure":
            for child in anc.children:
                if child.tag == "figcaption":
                    text = _clean(child.text())
                    if text:
                        return "the `<figcaption>`", text
            break
    return None


def _clean(text: str) -> str:
    return " ".join(text.split()).replace('"', "&quot;")[:200]


class ImageAltMissing(Rule):
    """An image with no alt text.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reports an HTML `<img>` that has no `alt` attribute at all, and a Markdown
    image whose alt text is empty (`![](photo.jpg)`).

    An HTML image with `alt=""` is not reported: an empty alt is how an
    author marks an image as decorative, so screen readers skip it. Markdown
    has no such marker, so an empty Markdown alt is always reported. An
    `<img>` with `role="presentation"` or `role="none"` is not reported
    either.

    When the editor kept a description elsewhere, the message offers it:
    Tistory writes the text typed as the image's description into a
    `data-alt` attribute (on the `<img>` or its wrapping `<span>`), which no
    browser or screen reader reads, and a `<figure>` may have a
    `<figcaption>`.

    An image whose source is a Liquid or Hugo expression
    (`![]({{ "/a.png" | relative_url }})`) is an image like any other. On a
    Jekyll site, an include that renders an image from its parameters counts
    as an image where it is called: when `_includes/figure.html` holds
    `<img src="{{ include.image }}" alt="{{ include.alt }}">`,
    `{% include figure.html image="/a.png" %}` is reported for giving none of
    the parameters the alt text is made of (`alt`, or whatever the include
    reads, such as `caption`), and so is an include whose `<img>` has no
    `alt` at all. An alt parameter written empty (`alt=""`) marks the image as
    decoration, as `alt=""` does in HTML, and is not reported.

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

    @classmethod
    def run_state(cls) -> IncludeTemplates:
        """The site's include files, each read once a run."""
        return IncludeTemplates()

    def check(self, doc, options):
        findings: list[Finding] = []
        imgs = doc.html.find_all("img")
        images = doc.markdown.images
        jekyll = has_includes(doc.site)  # include_images finds nothing elsewhere: not called there
        if not (imgs or images or jekyll):
            return findings  # no image: most posts
        for el in imgs:
            if el.has("alt"):
                continue
            role = (el.get("role") or "").strip().lower()
            if role in ("presentation", "none"):
                continue
            message = "`<img>` has no `alt` attribute: describe the image, or write `alt=\"\"` if it is only decoration"
            offered = _offered_alt(el)
            if offered is not None:
                where, text = offered
                message = (f"`<img>` has no `alt` attribute, but the editor kept a description in {where}: "
                           f"copy it into `alt=\"{text}\"` (or describe the image, or write `alt=\"\"` if it "
                           "is only decoration)")
            findings.append(Finding(el.start, el.start_end, message))
        text = doc.text
        for im in images:
            if im.alt.strip() or not _EMPTY_MD_ALT.match(text, im.start):
                continue
            findings.append(Finding(im.start, im.end, "image has no alt text: describe it between the brackets, "
                                    "`![what the image shows](...)`"))
        for inc in include_images(doc, options.get(RUN_STATE)) if jekyll else ():
            if inc.alt_state == "no-attribute":
                findings.append(Finding(inc.start, inc.end, f"the image `{inc.name}` renders has no `alt` attribute: "
                                        "give its `<img>` an `alt` the include fills from a parameter"))
            elif inc.alt_state == "missing":
                wanted = " or ".join(f"`{p}`" for p in inc.alt_params)
                findings.append(Finding(inc.start, inc.end, f"image has no alt text: `{inc.name}` takes it from "
                                        f"{wanted}, which this include does not give; describe the image, "
                                        f"`{inc.alt_params[0]}=\"what the image shows\"` (or write "
                                        f"`{inc.alt_params[0]}=\"\"` if it is only decoration)"))
        if len(findings) > 1:
            findings.sort(key=lambda f: f.start)
        return findings
