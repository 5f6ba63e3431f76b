"""Links and images whose destination is a Liquid or Hugo template expression."""

from __future__ import annotations

import pytest

from newslint.config import Config
from newslint.document import Document
from newslint.linter import lint_document
from newslint.templates import mask_destination_tags, resolve

FM = "---\ntitle: t\n---\n"


def _doc(body: str) -> Document:
    return Document.from_text(FM + body)


def _rules(body: str, *rules: str) -> list[tuple[str, int, int]]:
    doc = _doc(body)
    return [(v.rule, v.line, v.column) for v in lint_document(doc, Config(select=list(rules)))]


@pytest.mark.parametrize("dest, kind, resolved", [
    ("{{ site.baseurl }}/x.png", "url", "/x.png"),
    ("{{site.url}}/x", "url", "/x"),
    ("{{ site.url }}{{ site.baseurl }}/a/b#c", "url", "/a/b#c"),
    ("{{ site.baseurl }}", "url", "/"),
    ('{{ "/x" | relative_url }}', "url", "/x"),
    ("{{ 'img/x.png' | absolute_url }}", "url", "/img/x.png"),
    ("{{ '/x' | prepend: site.baseurl }}", "url", "/x"),
    ('{{- "/x" | relative_url -}}?v=2', "url", "/x?v=2"),
    ("{% link _posts/2020-01-01-a.md %}", "file", "_posts/2020-01-01-a.md"),
    ("{{ site.baseurl }}{% link about.md %}#team", "file", "about.md#team"),
    ("{% post_url 2020-01-01-a %}", "post", "2020-01-01-a"),
    ("{%- post_url news/2020-01-01-a -%}", "post", "news/2020-01-01-a"),
    ('{{< ref "x.md" >}}', "ref", "x.md"),
    ("{{< relref x >}}#part", "ref", "x#part"),
    ('{{% ref "posts/x.md" %}}', "ref", "posts/x.md"),
])
def test_known_forms_resolve_to_a_site_path(dest, kind, resolved):
    assert resolve(dest) == (kind, resolved)


@pytest.mark.parametrize("dest", [
    "https://github.com/o/r/blob/{{ release.tag }}/NEWS.md",
    "{{ page.image }}",
    "{{ site.baseurl }}{{ page.url }}",
    '{{ "https://cdn.example.com/a.png" | absolute_url }}',
    "{% link {{ page.other }} %}",
    "{{ site.url }}x",  # not a path after the root
])
def test_other_templates_stay_unresolved(dest):
    assert resolve(dest) == ("", None)


def test_images_and_links_with_template_destinations_are_found_and_marked():
    doc = _doc('![]({{ "/assets/fig.png" | absolute_url }}) and [x]({{ site.url }}/y)\n'
               "[a]({% link _posts/2020-01-01-a.md %}) [b](https://x.org/{{ v }}/z) [c](/plain)\n")
    (img,) = doc.markdown.images
    assert (img.dest, img.dynamic, img.resolved_kind, img.resolved) == (
        '{{ "/assets/fig.png" | absolute_url }}', True, "url", "/assets/fig.png")
    assert doc.text[img.start:img.end] == '![]({{ "/assets/fig.png" | absolute_url }})'
    got = [(ln.text, ln.dest, ln.dynamic, ln.resolved) for ln in doc.markdown.links]
    assert got == [("x", "{{ site.url }}/y", True, "/y"),
                   ("a", "{% link _posts/2020-01-01-a.md %}", True, "_posts/2020-01-01-a.md"),
                   ("b", "https://x.org/{{ v }}/z", True, None),
                   ("c", "/plain", False, None)]


def test_reference_definitions_tables_and_multi_line_tags():
    doc = _doc("| a | b |\n|---|---|\n| ![p]({{ \"/a.png\" | relative_url }}) | c |\n\n"
               "[see][r] and [#12]({{ site.repository\n}}/issues/12)\n\n[r]: {{ site.baseurl }}/r\n")
    assert [(i.alt, i.resolved) for i in doc.markdown.images] == [("p", "/a.png")]
    assert [row.cells for row in doc.markdown.tables[0].rows] == [2, 2]  # the Liquid pipe is no cell
    assert [(ln.text, ln.dest, ln.resolved) for ln in doc.markdown.links] == [
        ("see", "{{ site.baseurl }}/r", "/r"), ("#12", "{{ site.repository\n}}/issues/12", None)]


def test_tags_outside_destinations_and_raw_blocks_are_left_alone():
    body = "Text {{ page.title }} and ![{{ alt text }}](/a.png) {% raw %}[q]({{ y }}){% endraw %}\n"
    prose = body.split(" {% raw %}")[0]
    assert mask_destination_tags(prose) == (prose, {})
    doc = _doc(body)
    assert [(i.alt, i.dynamic) for i in doc.markdown.images] == [("{{ alt text }}", False)]
    assert doc.markdown.links == []  # `{% raw %}`: nothing inside it is a template, nor a link to the rules


def test_every_link_and_image_rule_checks_templated_ones():
    body = ('![]({{ "/a.png" | relative_url }})\n\n'
            '![IMG_1234.jpg]({{ site.baseurl }}/b.png)\n\n'
            "[]({% link about.md %})\n\n"
            "[여기]({{ site.url }}/press)\n\n"
            "![p](https://blog.kakaocdn.net/dn/{{ id }}/img.png)\n")
    found = _rules(body, "image-alt-missing", "image-alt-quality", "link-empty", "link-text-generic",
                   "image-hotlinked", "link-href-invalid")
    assert sorted(found) == [("image-alt-missing", 4, 1), ("image-alt-quality", 6, 3),
                             ("image-hotlinked", 12, 1), ("link-empty", 8, 1), ("link-text-generic", 10, 1)]


def test_template_syntax_is_no_bad_url_but_a_real_space_still_is():
    ok = ("[a]({% link _posts/2020-01-01-a.md %}) [b]({{ site.baseurl }}/x) [c]({{< ref \"x.md\" >}})\n"
          "[d]({{ '/y' | prepend: site.baseurl }}) [e]({% post_url 2020-01-01-a %})\n")
    assert _rules(ok, "link-href-invalid", "image-hotlinked") == []
    assert _rules("[x]({{ site.baseurl }}/my page.html)\n", "link-href-invalid") == []  # not a link to pulldown either
    assert _rules("[x](<{{ site.baseurl }}/my page.html>)\n", "link-href-invalid") == [("link-href-invalid", 4, 1)]


# -- images an include renders -------------------------------------------------

FIGURE = ('<figure>\n  <img src="{{ include.image | relative_url }}" '
          'alt="{{ include.alt | default: include.caption }}">\n'
          "  {% if include.caption %}<figcaption>{{ include.caption }}</figcaption>{% endif %}\n</figure>\n")


def _site(tmp_path, includes: dict[str, str]):
    from newslint.site import Site

    inc = tmp_path / "_includes"
    inc.mkdir()
    for name, text in includes.items():
        (inc / name).write_text(text, "utf-8")
    return Site(generator="jekyll", root=str(tmp_path))


def _site_rules(site, body: str, *rules: str, state=None):
    doc = Document.from_text(FM + body, str(site.root) + "/_posts/2024-01-01-a.md", site=site)
    return [(v.rule, v.line, v.column, v.message) for v in lint_document(doc, Config(select=list(rules)))]


def test_an_include_that_renders_an_image_is_checked_by_the_image_rules(tmp_path):
    site = _site(tmp_path, {"figure.html": FIGURE, "note.html": "<div>{{ include.text }}</div>\n",
                            "bare.html": "<img src='{{ include.src }}'>\n"})
    body = ('{% include figure.html image="/a.png" %}\n\n'
            "{% include figure.html image='/b.png' caption=\"부산항 신항 전경\" %}\n\n"
            '{% include figure.html image="/c.png" alt="" %}\n\n'
            '{% include figure.html image="/d.png" alt="IMG_2041.jpg" %}\n\n'
            "{% include figure.html image=page.hero alt=page.title %}\n\n"
            '{% include note.html text="no image here" %}\n\n'
            '{% include bare.html src="https://blog.kakaocdn.net/dn/x/img.png" %}\n\n'
            '```\n{% include figure.html image="/in-code.png" %}\n```\n')
    found = _site_rules(site, body, "image-alt-missing", "image-alt-quality", "image-hotlinked")
    assert [f[:3] for f in found] == [("image-alt-missing", 4, 1), ("image-alt-quality", 10, 44),
                                      ("image-alt-missing", 16, 1), ("image-hotlinked", 16, 27)]
    assert "takes it from `alt` or `caption`" in found[0][3]
    assert "has no `alt` attribute" in found[2][3]


def test_no_site_or_no_include_file_means_no_include_images(tmp_path):
    from newslint.includes import IncludeTemplates, include_images
    from newslint.site import Site

    body = FM + '{% include figure.html image="/a.png" %}\n{% include ../secret.html src="/x" %}\n'
    (tmp_path / "secret.html").write_text("<img src='{{ include.src }}'>", "utf-8")
    (tmp_path / "_includes").mkdir()
    assert include_images(Document.from_text(body, str(tmp_path / "_posts/a.md")), None) == []
    site = Site(generator="jekyll", root=str(tmp_path))
    assert include_images(Document.from_text(body, str(tmp_path / "_posts/a.md"), site=site), None) == []


def test_each_include_file_is_read_once_a_run(tmp_path, monkeypatch):
    from newslint.includes import IncludeTemplates, include_images

    site = _site(tmp_path, {"figure.html": FIGURE})
    templates = IncludeTemplates()
    reads = []
    real = IncludeTemplates._read
    monkeypatch.setattr(IncludeTemplates, "_read", staticmethod(lambda *a: reads.append(a) or real(*a)))
    for n in range(3):
        doc = Document.from_text(FM + f'{{% include figure.html image="/{n}.png" %}}\n', "a.md", site=site)
        assert [i.src for i in include_images(doc, templates)] == [f"/{n}.png"]
    assert len(reads) == 1


def test_a_new_tab_to_a_page_of_the_site_built_by_a_template_is_left_alone():
    body = ('<a href="{{ site.baseurl }}/about" target="_blank">소개</a>\n'
            '<a href="{% link about.md %}" target="_blank">소개</a>\n'
            '<a href="{{ page.source }}" target="_blank">원문</a>\n')
    assert _rules(body, "link-target-blank-unsafe") == [("link-target-blank-unsafe", 6, 1)]


@pytest.mark.parametrize("dest, resolved", [
    ('{{ "a.jpg" | relURL }}', "/a.jpg"),
    ('{{ "/img/a.jpg" | absURL }}', "/img/a.jpg"),
    ("{{ .Site.BaseURL }}img/a.jpg", "/img/a.jpg"),
    ("{{ $.Site.BaseURL }}/img/a.jpg", "/img/a.jpg"),
])
def test_hugo_url_forms_resolve_to_site_paths(dest, resolved):
    assert resolve(dest) == ("url", resolved)
