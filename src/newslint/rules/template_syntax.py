from __future__ import annotations

import os
from typing import Any

from ..liquid import (has_liquid_opener, has_shortcode_opener, liquid_error, shortcode_calls, shortcode_errors,
                      shortcode_names_closed)
from ..model import Finding
from ..ruleapi import RUN_STATE, Rule
from ..site import theme_names
from ..site.templates import shortcode_folders, template_files

# Hugo's own shortcodes that take inner content.
_HUGO_PAIRED = frozenset(("highlight",))
_IN_CODE = ("; Liquid runs before Markdown, so a code block does not shelter it: wrap the code in "
            "`{% raw %}` ... `{% endraw %}`")


class ShortcodeTemplates:
    """The shortcodes each Hugo site of the run defines (its
    `layouts/_shortcodes/` or `layouts/shortcodes/`, and its themes'), read once per site: (those whose
    template uses `.Inner`, those whose template does not)."""

    def __init__(self) -> None:
        self._sites: dict[str, tuple[frozenset[str], frozenset[str]]] = {}

    def of(self, site: Any) -> tuple[frozenset[str], frozenset[str]]:
        root = site.root
        if root not in self._sites:
            paired, inline = _read_templates(shortcode_folders(root, theme_names(site.config)))
            self._sites[root] = (frozenset(paired), frozenset(inline - paired))
        return self._sites[root]


def _read_templates(folders: list[str]) -> tuple[set[str], set[str]]:
    # The first folder that defines a name decides, as Hugo's lookup does (the
    # site's own template before a theme's); a template in a sub-folder is
    # called by its path (`{{< sub/box >}}`).
    paired: set[str] = set()
    inline: set[str] = set()
    for folder in folders:
        here_paired: set[str] = set()
        here: set[str] = set()
        _read_folder(folder, here, here_paired)
        new = here - paired - inline
        paired |= here_paired & new
        inline |= new - here_paired
    return paired, inline


def _read_folder(folder: str, names: set[str], paired: set[str]) -> None:
    for name, entry in template_files(folder):
        try:
            with open(entry.path, encoding="utf-8", errors="replace") as fh:
                inner = ".Inner" in fh.read(200_000)
        except OSError:
            continue
        head, sep, base = name.rpartition("/")
        name = head + sep + base.split(".", 1)[0]  # `sub/box.html` is `sub/box`
        names.add(name)
        if inner:
            paired.add(name)


class TemplateSyntax(Rule):
    """Liquid or Hugo shortcodes that make the site's build fail.

    ## What it does
    Generators: Jekyll (Liquid) and Hugo (paired shortcodes); outside a site, the one the post's syntax points to.

    On a Jekyll site, reads the post's Liquid as Liquid 5 (Jekyll 4) does and
    reports the first error that stops `jekyll build`:

    - a block tag never closed: `{% if %}`, `{% unless %}`, `{% case %}`,
      `{% for %}`, `{% capture %}`, `{% comment %}`, `{% highlight %}`,
      `{% tablerow %}`, `{% ifchanged %}`, and `{% raw %}` without
      `{% endraw %}` (an `{%- endraw %}` with a dash does not end it);
    - an end tag that closes another block (`{% endfor %}` while an `if` is
      open) or nothing at all (`{% endif %}` alone);
    - `{% else %}`, `{% elsif %}` or `{% when %}` outside a block that takes it;
    - `{%` never closed by `%}`, a tag with no name (`{% %}`), and `{{`
      whose first `}` is not followed by another (`{{ x }`).

    Liquid runs before Markdown, so Liquid in code blocks and code spans is
    read too, exactly as Jekyll reads it: only `{% raw %}` hides what it
    holds. Only the first error is reported, as Jekyll stops there. Tags
    Liquid does not know come from the site's plugins, which newslint cannot
    see: they are never an error, and one whose `end` tag is in the post too
    (`{% tabs %}` ... `{% endtabs %}`) is taken for a block. A post with
    `render_with_liquid: false` is not rendered with Liquid and not checked.

    On a Hugo site, reports a paired shortcode that is never closed
    (`{{< note >}}` without `{{< /note >}}`) and a closing shortcode with
    nothing open. Whether a shortcode is paired is known only from its
    template, so a shortcode counts as paired when the post closes it
    somewhere, when its template uses `.Inner`, or for Hugo's `highlight`; any other shortcode is taken to
    need no closing tag. A closing tag is reported for a shortcode whose
    template in the site does not use `.Inner` (Hugo refuses it). The
    template is the one Hugo picks: the site's `layouts/_shortcodes/NAME.*`
    (Hugo 0.146 and later), else its `layouts/shortcodes/NAME.*`, else a
    theme's; `layouts/_shortcodes/sub/NAME.*` is the shortcode `sub/NAME`.
    Shortcodes with no template in the site are not reported: a theme
    module may bring them. `{{</* note */>}}` is text, not a call.

    A post in no site is read as Hugo's, and checked for shortcodes, when it
    calls any (`{{<`, `{{%`), has a TOML front matter or lies in a
    `content/` folder; otherwise it is checked for Liquid when it has a front
    matter (Jekyll renders Liquid only in files with one).

    ## Why is this bad?
    One such post stops the whole build: Jekyll and Hugo publish nothing
    until it is fixed, and the error appears only at deploy time, often
    after the post was merged.

    ## Example
    ```markdown
    {% if page.image %}
    ![부산항 신항]({{ page.image }})

    설정 예시:

    `{% for tag in page.tags %}`
    ```

    ## Use instead
    ```markdown
    {% if page.image %}
    ![부산항 신항]({{ page.image }})
    {% endif %}

    설정 예시:

    `{% raw %}{% for tag in page.tags %}{% endraw %}`
    ```
    """

    name = "template-syntax"
    code = "NL803"
    severity = "error"
    tags = ("templates", "jekyll", "hugo")

    @classmethod
    def run_state(cls) -> ShortcodeTemplates:
        """The Hugo sites' shortcode templates, read once a run."""
        return ShortcodeTemplates()

    def check(self, doc, options):
        out: list[Finding] = []
        text = doc.text
        if not has_liquid_opener(text):
            return out
        site = doc.site
        body = doc.body_start
        hugo = site.is_hugo
        shortcodes = True  # no text without a shortcode opener has a shortcode call
        if not hugo and site.generator == "none":
            shortcodes = has_shortcode_opener(text)
            hugo = shortcodes or _hugo_style(doc)
        if hugo:
            calls = shortcode_calls(text, body) if shortcodes else []
            if not calls:
                return out  # no shortcode: nothing to close or leave open
            closed = shortcode_names_closed(text, body, calls)
            known = inline = frozenset()
            if site.is_hugo and site.root:
                templates = options.get(RUN_STATE) or ShortcodeTemplates()
                known, inline = templates.of(site)

            def paired(name: str) -> bool:
                return name in closed or name in known or name in _HUGO_PAIRED

            for err in shortcode_errors(text, body, paired, inline.__contains__, calls):
                out.append(Finding(err.start, err.end, err.message))
            return out
        if site.is_hugo or not _rendered_with_liquid(doc):
            return out
        err = liquid_error(text, body)
        if err is not None:
            hint = _IN_CODE if doc.kind == "markdown" and doc.in_code(err.start) else ""
            out.append(Finding(err.start, err.end, f"{err.message}: `jekyll build` fails{hint}"))
        return out


def _hugo_style(doc) -> bool:
    """A post in no site that calls no shortcode and reads as Hugo's: its
    front matter is TOML, or it lies in a `content/` folder (Hugo's, never
    Jekyll's). (One that calls shortcodes does too: the caller asks first.)"""
    fm = doc.front_matter
    if fm is not None and fm.format == "toml":
        return True
    return "/content/" in "/" + doc.path.replace(os.sep, "/")


def _rendered_with_liquid(doc) -> bool:
    fm = doc.front_matter
    if fm is not None and fm.ok and isinstance(fm.data, dict) and fm.data.get("render_with_liquid") is False:
        return False
    if fm is not None and fm.closed:
        return True
    # Jekyll reads every file of `_posts` and `_drafts` as a post, front matter or not.
    path = doc.path.replace(os.sep, "/")
    return doc.site.is_jekyll and ("/_posts/" in path or "/_drafts/" in path)
