"""template-syntax: which posts are read as Liquid, which as Hugo shortcodes, and real posts.

The Liquid verdicts themselves are held against the real Jekyll in
test_template_syntax_jekyll.py.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import CORPUS, SHARED, needs_shared
from newslint.config import Config
from newslint.document import Document
from newslint.linter import lint_document
from newslint.liquid import liquid_error
from newslint.rules.template_syntax import ShortcodeTemplates
from newslint.site import Site

FM = "---\ntitle: t\n---\n"


def _found(text: str, path: str = "post.md", site: Site | None = None) -> list[tuple[int, int, str]]:
    doc = Document.from_text(text, path, site=site)
    return [(v.line, v.column, v.message) for v in lint_document(doc, Config(select=["template-syntax"]))]


def _hugo_site(tmp_path) -> Site:
    shortcodes = tmp_path / "layouts" / "shortcodes"
    shortcodes.mkdir(parents=True)
    (shortcodes / "note.html").write_text('<div class="note">{{ .Inner | markdownify }}</div>\n', "utf-8")
    (shortcodes / "badge.html").write_text("<b>{{ .Get 0 }}</b>\n", "utf-8")
    theme = tmp_path / "themes" / "plain" / "layouts" / "shortcodes"
    theme.mkdir(parents=True)
    (theme / "aside.en.html").write_text("<aside>{{ .Inner }}</aside>\n", "utf-8")
    return Site(generator="hugo", root=str(tmp_path))


def test_hugo_paired_shortcodes_must_close(tmp_path):
    site = _hugo_site(tmp_path)
    body = (FM + "{{< note >}}열린 채로 끝난다\n\n{{< badge 속보 >}} {{< note />}} {{</* note */>}}\n\n"
            "{{% aside %}}\n\n{{< warn >}}a{{< /warn >}} {{< warn >}}\n\nx {{< /gallery >}}\n\n"
            "{% if liquid_is_not_hugo %}\n")
    got = [(line, col, msg.split(":")[0]) for line, col, msg in _found(body, "content/a.md", site)]
    assert got == [(4, 1, "shortcode `note` is never closed"), (8, 1, "shortcode `aside` is never closed"),
                   (10, 28, "shortcode `warn` is never closed"), (12, 3, "`{{< /gallery >}}` closes no open `gallery` shortcode")]
    assert _found(FM + "{{< note >}}x{{< /note >}} {{< highlight go >}}x{{< /highlight >}}\n", "a.md", site) == []
    assert [f[:2] for f in _found(FM + "{{< highlight go >}}x\n", "a.md", site)] == [(4, 1)]
    (msg,) = [m for _l, _c, m in _found(FM + "{{< badge 속보 >}}x{{< /badge >}}\n", "a.md", site)]
    assert msg.startswith("shortcode `badge` takes no inner content (its template does not use `.Inner`)")


def test_shortcode_templates_are_read_once_per_site(tmp_path, monkeypatch):
    from newslint.rules import template_syntax

    site = _hugo_site(tmp_path)
    reads = []
    real = template_syntax._read_templates
    monkeypatch.setattr(template_syntax, "_read_templates", lambda folders: reads.append(folders) or real(folders))
    templates = ShortcodeTemplates()
    assert templates.of(site) == ({"note", "aside"}, {"badge"})
    assert templates.of(site) == ({"note", "aside"}, {"badge"})
    assert len(reads) == 1


def test_which_posts_are_read_as_liquid(tmp_path):
    broken = "{% for tag in page.tags %}\n"
    jekyll = Site(generator="jekyll", root=str(tmp_path))
    assert [f[:2] for f in _found(FM + broken, "_posts/2024-01-01-a.md", jekyll)] == [(4, 1)]
    # Jekyll renders every file of _posts, front matter or not; elsewhere only files with one.
    assert [f[:2] for f in _found(broken, str(tmp_path / "_posts/2024-01-01-a.md"), jekyll)] == [(1, 1)]
    assert _found(broken, str(tmp_path / "about.md"), jekyll) == []
    assert _found("---\nrender_with_liquid: false\n---\n" + broken, "_posts/a.md", jekyll) == []
    assert _found(FM + "{{< note >}}\n", "_posts/a.md", jekyll) == []  # no shortcodes in Jekyll
    # No site: Liquid when the post has a front matter, shortcodes when it has any.
    assert [f[:2] for f in _found(FM + broken)] == [(4, 1)]
    assert _found(broken) == []
    assert [f[:2] for f in _found(FM + "{{< note >}}a\n\n{{< note >}}b{{< /note >}}\n" + broken)] == [(4, 1)]
    assert _found("+++\ntitle = 't'\n+++\n" + broken) == []
    assert _found(FM + broken, "site/content/posts/a.md") == []


def test_the_error_in_code_says_raw_is_the_shelter():
    (msg,) = [m for _l, _c, m in _found(FM + "`{% endif %}` 태그\n")]
    assert msg.startswith("`{% endif %}` has no `{% if %}` to close: `jekyll build` fails; Liquid runs before Markdown")
    (msg,) = [m for _l, _c, m in _found(FM + "{% if a %}\n{% endfor %}\n")]
    assert msg == ("`{% endfor %}` cannot close `{% if %}` (line 4), which needs `{% endif %}` first: "
                   "`jekyll build` fails")


def test_a_long_run_of_openers_stays_linear():
    assert liquid_error("{%" * 50_000).start == 0
    assert liquid_error("{{" * 50_000).start == 0
    assert liquid_error("{% if a %}" * 20_000).start == 10 * 19_999


_END = re.compile(r"\{%-?\s*end(if|for|unless|case|capture|highlight)\s*-?%\}")


def _jekyll_posts():
    roots = [CORPUS / "en-jekyll", CORPUS / "ko-blogs", SHARED / "sites" / "jekyll-ko-whysocscs" / "_posts"]
    for root in roots:
        for path in sorted(root.rglob("*")):
            if path.suffix in (".md", ".markdown", ".html") and path.is_file():
                yield path


@needs_shared
def test_real_jekyll_posts_are_clean_and_each_loses_an_end_tag_to_a_finding():
    """Published posts built: no finding. Drop the last end tag of each post
    that has one (outside `{% raw %}`) and the post no longer builds."""
    cfg = Config(select=["template-syntax"])
    checked = mutated = 0
    for path in _jekyll_posts():
        raw = path.read_bytes()
        if b"{%" not in raw and b"{{" not in raw:
            continue
        doc = Document(str(path), raw)
        assert lint_document(doc, cfg) == [], path
        checked += 1
        raw_blocks = [r for r in doc.liquid_literal_regions if r.kind == "liquid-raw"]
        ends = [m for m in _END.finditer(doc.text, doc.body_start)
                if not any(r.start <= m.start() < r.end for r in raw_blocks)]
        if not ends or not (doc.front_matter and doc.front_matter.closed):
            continue
        cut = ends[-1]
        broken = Document.from_text(doc.text[:cut.start()] + doc.text[cut.end():], str(path))
        assert [v.rule for v in lint_document(broken, cfg)] == ["template-syntax"], path
        mutated += 1
    assert checked > 500 and mutated > 100, (checked, mutated)


def test_an_output_token_reads_as_a_variable_exactly_when_it_ends_in_two_braces():
    # liquid_error tells a closed output by its end instead of matching _VARIABLE.
    import itertools

    from newslint.liquid import _VARIABLE, _tokens

    pieces = ["{{", "}}", "}", "{", "{%", "%}", "-", " x ", "\n", "a}b"]
    for n in range(1, 6):
        for parts in itertools.product(pieces, repeat=n):
            text = "".join(parts)
            for _, tok in _tokens(text, 0):
                if tok[1] == "{":
                    assert bool(_VARIABLE.match(tok)) == tok.endswith("}}"), (text, tok)
