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


def _reported(site: str) -> bool:
    path = f"{site}/content/posts/case.md"
    with open(path, "rb") as fh:
        doc = Document(path, fh.read(), site=Site(generator="hugo", root=site))
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
