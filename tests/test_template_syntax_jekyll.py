"""template-syntax's verdicts held against the real `jekyll build --safe`.

Each case is a one-post site built by Debian's Jekyll: the rule must report
an error exactly on the posts whose build fails. Jekyll stops a whole site at
the first Liquid error, so every case is a site of its own (a build takes a
quarter of a second; two run at a time).
"""

from __future__ import annotations

import os
import shutil
import subprocess
from concurrent.futures import ThreadPoolExecutor

import pytest

from newslint.config import Config
from newslint.document import Document
from newslint.linter import lint_document
from newslint.site import Site

FM = "---\nlayout: default\ntitle: t\n---\n"

# name -> the whole post file. Plugin tags are left out: `--safe` loads no
# plugin, so Jekyll fails on a tag the site's plugin would define, where the
# rule (rightly) says nothing.
CASES = {
    "plain": FM + "hello {{ page.title }}\n",
    "raw-closed": FM + "{% raw %}{% if %}{{ {% endraw %}\n",
    "raw-open": FM + "{% raw %} x\n",
    "raw-dashed-end": FM + "{% raw %}x{%- endraw %}\n",
    "raw-with-argument": FM + "{% raw x %}y{% endraw %}\n",
    "raw-tight-end": FM + "{%raw%}{{ x {%endraw%}\n",
    "if-open": FM + "{% if x %} x\n",
    "if-closed-dashes": FM + "{%- if x -%} y {%- endif -%}\n",
    "if-elsif-else": FM + "{% if a %}1{% elsif b %}2{% else %}3{% endif %}\n",
    "unless-open": FM + "{% unless v %} x\n",
    "case-open": FM + "{% case v %}{% when 1 %} x\n",
    "case-closed": FM + "{% case x %}{% when 1 %}a{% else %}b{% endcase %}\n",
    "for-open": FM + "{% for v in x %} x\n",
    "for-else": FM + "{% for x in y %}{% else %}none{% endfor %}\n",
    "capture-open": FM + "{% capture v %} x\n",
    "capture-else": FM + "{% capture x %}{% else %}{% endcapture %}\n",
    "comment-open": FM + "{% comment %} x\n",
    "comment-ignores-tags": FM + "{% comment %}{% foo %}{% endif %}{% else %}{% endcomment %}\n",
    "comment-nests-blocks": FM + "{% comment %}{% if x %}{% endcomment %}\n",
    "highlight-open": FM + "{% highlight ruby %} x\n",
    "highlight-closed": FM + "{% highlight ruby %}\nputs 1\n{% endhighlight %}\n",
    "highlight-holds-liquid": FM + "{% highlight ruby %}\n{% if x %}\n{% endhighlight %}\n",
    "mismatched-end": FM + "{% if x %} x {% endfor %}\n",
    "end-of-another-kind": FM + "{% for a in b %}{% endunless %}\n",
    "end-alone": FM + "x {% endif %}\n",
    "endraw-alone": FM + "x {% endraw %}\n",
    "else-alone": FM + "x {% else %}\n",
    "when-in-if": FM + "{% if x %}{% when 1 %}{% endif %}\n",
    "elsif-in-for": FM + "{% for a in b %}{% elsif c %}{% endfor %}\n",
    "tag-unterminated": FM + "x {% if foo bar\n",
    "tag-without-name": FM + "x {% %} y\n",
    "output-unterminated": FM + "x {{ foo bar\n",
    "output-single-brace": FM + "x {{ foo } y\n",
    "output-object-literal": FM + "x {{ {a: 1} }} y\n",
    "output-bad-markup": FM + "x {{ foo bar }} y\n",
    "inline-comment": FM + "{% # a note %}x\n",
    "if-in-fenced-code": FM + "```\n{% if x %}\n```\n",
    "if-in-code-span": FM + "`{% if x %}`\n",
    "if-in-html-comment": FM + "<!-- {% if x %} -->\n",
    "raw-around-code": FM + "{% raw %}\n```\n{% if x %}\n```\n{% endraw %}\n",
    "render-without-liquid": "---\nlayout: default\nrender_with_liquid: false\n---\n{% if x %}\n",
    "no-front-matter": "{% if x %} x\n",
}


def _write(root, name: str, post: str) -> str:
    site = root / name
    (site / "_posts").mkdir(parents=True)
    (site / "_layouts").mkdir()
    (site / "_config.yml").write_text("title: t\n", "utf-8")
    (site / "_layouts" / "default.html").write_text("<html><body>{{ content }}</body></html>\n", "utf-8")
    (site / "_posts" / "2020-01-01-case.md").write_text(post, "utf-8")
    return str(site)


def _build_fails(jekyll: str, site: str) -> bool:
    env = dict(os.environ, JEKYLL_NO_BUNDLER_REQUIRE="true")
    proc = subprocess.run([jekyll, "build", "--safe", "-s", site, "-d", os.path.join(site, "_site")],
                          capture_output=True, text=True, env=env, timeout=120)
    if proc.returncode and "Liquid" not in proc.stdout + proc.stderr:
        raise AssertionError(f"jekyll failed for another reason than Liquid:\n{proc.stdout}\n{proc.stderr}")
    return proc.returncode != 0


def _reported(site: str) -> bool:
    path = os.path.join(site, "_posts", "2020-01-01-case.md")
    with open(path, "rb") as fh:
        doc = Document(path, fh.read(), site=Site(generator="jekyll", root=site))
    return any(v.rule == "template-syntax" for v in lint_document(doc, Config(select=["template-syntax"])))


@pytest.mark.external
def test_the_rule_reports_exactly_the_posts_jekyll_cannot_build(tmp_path):
    jekyll = shutil.which("jekyll")
    if jekyll is None:
        pytest.skip("jekyll is not installed (.ci/run installs it)")
    sites = {name: _write(tmp_path, name, post) for name, post in CASES.items()}
    with ThreadPoolExecutor(max_workers=2) as pool:
        fails = dict(zip(sites, pool.map(lambda s: _build_fails(jekyll, s), sites.values())))
    reported = {name: _reported(site) for name, site in sites.items()}
    assert reported == fails
    # Both verdicts occur, so the comparison means something.
    assert 10 < sum(fails.values()) < len(fails) - 10
