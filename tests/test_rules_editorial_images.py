"""hero-image-repeated and image-hotlinked."""

from __future__ import annotations

import pytest

from conftest import REFERENCE, lint_text, needs_shared
from newslint.config import Config
from newslint.document import Document
from newslint.fixer import fix_text
from newslint.linter import lint_document
from newslint.rules.hero_image_repeated import image_key, same_image


def _hero(text: str, **options):
    cfg = Config(select=["hero-image-repeated"])
    if options:
        cfg.rule_options["hero-image-repeated"] = options
    return lint_text(text, config=cfg)


def _fixed(text: str, rule: str) -> str:
    return fix_text(text, "post.md", Config(select=[rule]), unsafe=True).text


@pytest.mark.parametrize("hero, body", [
    ("/img/a.jpg", "/img/a.jpg"),
    ("/img/a.jpg", "{{ site.baseurl }}/img/a.jpg"),
    ("/img/a.jpg", "{{ \"/img/a.jpg\" | absolute_url }}"),
    ("/img/a.jpg", "https://example.com/img/a.jpg?w=800#top"),
    ("a.jpg", "/assets/img/a.jpg"),
    ("../img/a.jpg", "/img/a.jpg"),
    ("/img/%EB%B6%80%EC%82%B0.jpg", "/img/부산.jpg"),
])
def test_same_image(hero, body):
    assert same_image(image_key(hero), image_key(body))


@pytest.mark.parametrize("hero, body", [
    ("/img/a.jpg", "/img/b.jpg"),
    ("/img/a.jpg", "/other/img/a.jpg"),
    ("https://a.example/x.jpg", "https://b.example/x.jpg"),
    ("/img/a-thumb.jpg", "/img/a.jpg"),
])
def test_different_images(hero, body):
    assert not same_image(image_key(hero), image_key(body))


def test_markdown_image_alone_in_its_paragraph_is_deleted_with_it():
    text = "---\ncover: /img/a.jpg\n---\n\n![부두](/img/a.jpg)\n\n본문입니다.\n"
    vs = _hero(text)
    assert [(v.line, v.column, v.severity) for v in vs] == [(5, 1, "warning")]
    assert "front-matter `cover`" in vs[0].message
    assert _fixed(text, "hero-image-repeated") == "---\ncover: /img/a.jpg\n---\n\n본문입니다.\n"


def test_linked_markdown_image_goes_with_its_link():
    text = "---\nimage: /img/a.jpg\n---\n\n[![부두](/img/a.jpg)](/img/a.jpg)\n\n본문.\n"
    assert _fixed(text, "hero-image-repeated") == "---\nimage: /img/a.jpg\n---\n\n본문.\n"


def test_image_inside_a_sentence_is_deleted_alone():
    text = "---\nimage: /img/a.jpg\n---\n\n사진 ![부두](/img/a.jpg) 설명.\n"
    assert _fixed(text, "hero-image-repeated") == "---\nimage: /img/a.jpg\n---\n\n사진 설명.\n"


def test_figure_with_caption_gets_no_fix():
    text = ("---\nimage: /img/a.jpg\n---\n\n<figure><img src=\"/img/a.jpg\" alt=\"부두\">"
            "<figcaption>부두</figcaption></figure>\n")
    vs = _hero(text)
    assert len(vs) == 1 and vs[0].fix is None


def test_only_the_first_image_and_the_configured_keys():
    text = "---\nimage: /img/a.jpg\n---\n\n![다른 사진](/img/b.jpg)\n\n![부두](/img/a.jpg)\n"
    assert _hero(text) == []
    text = "---\nog_image: /img/a.jpg\n---\n\n![부두](/img/a.jpg)\n"
    assert _hero(text) == []
    assert len(_hero(text, keys=["og_image"])) == 1


def test_nested_keys_and_baseurl():
    text = "---\nheader:\n  image: /img/a.jpg\n---\n\n<img src=\"/blog/img/a.jpg\" alt=\"부두\">\n"
    assert _hero(text, keys=["header.image"]) == []  # /blog is not known to be the baseurl
    assert len(_hero(text, keys=["header.image"], baseurl="/blog")) == 1
    text = "---\ncover:\n  image: a.jpg\n  alt: 부두\n---\n\n![부두](a.jpg)\n"
    assert len(_hero(text)) == 1


@needs_shared
def test_reference_post_repeats_its_hero_on_line_12():
    doc = Document(str(REFERENCE), REFERENCE.read_bytes())
    vs = lint_document(doc, Config(select=["hero-image-repeated"]))
    assert [v.line for v in vs] == [12]
    fixed = _fixed(doc.text, "hero-image-repeated")
    assert "newsdao_breakingnews.jpg\" alt" not in fixed
    assert fixed.split("\n")[11].startswith("<h2")
