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


# -- image-hotlinked ------------------------------------------------------------------
from conftest import CORPUS  # noqa: E402
from newslint.rules.image_hotlinked import platform_of, suggested_path, _policy_hosts  # noqa: E402


def test_hosts_come_from_the_policy_file():
    hosts = _policy_hosts()
    assert platform_of("blog.kakaocdn.net", hosts) == "Tistory/Kakao"
    assert platform_of("kakaocdn.net", hosts) == "Tistory/Kakao"
    assert platform_of("t1.daumcdn.net", hosts) == "Tistory/Kakao"
    assert platform_of("i2.wp.com", hosts) == "WordPress.com"
    assert platform_of("blogger.googleusercontent.com", hosts) == "Blogger"
    assert platform_of("lh3.googleusercontent.com", hosts) is None
    assert platform_of("notkakaocdn.net", hosts) is None


def test_suggested_path():
    assert suggested_path("_posts/2024-05-01-busan-night.md", "https://blog.kakaocdn.net/dn/a/b/Zx9W/img.png",
                          "/assets/img") == "/assets/img/busan-night/Zx9W.png"
    assert suggested_path("content/post/busan/index.md", "https://i0.wp.com/x.com/2024/harbour.jpg?w=800",
                          "static/images/") == "/static/images/busan/harbour.jpg"
    daum = ("https://img1.daumcdn.net/thumb/R1280x0/?scode=mtistory2&fname=https%3A%2F%2Fblog.kakaocdn.net"
            "%2Fdn%2FbXy%2Fbts1%2FkQ7r%2Fimg.png")
    assert suggested_path("posts/20211117_error.md", daum, "/assets/img") == "/assets/img/error/kQ7r.png"


def test_extra_hosts_and_front_matter_keys():
    cfg = Config(select=["image-hotlinked"])
    cfg.rule_options["image-hotlinked"] = {"extra_hosts": ["*.old-cms.example"], "keys": ["header.teaser"]}
    text = ("---\nheader:\n  teaser: https://img.old-cms.example/a.jpg\n---\n\n"
            "![a](https://cdn.old-cms.example/b.jpg)\n![c](https://old-cms.example.org/c.jpg)\n")
    vs = lint_text(text, config=cfg)
    assert [(v.line, v.column) for v in vs] == [(3, 3), (6, 1)]
    assert "another platform's editor CDN (`img.old-cms.example`)" in vs[0].message


@needs_shared
def test_real_post_with_tistory_images():
    post = CORPUS / "ko-tistory/helloSaltedCaramel__tistory-backup/posts/20211117_error.md"
    doc = Document(str(post), post.read_bytes())
    vs = lint_document(doc, Config(select=["image-hotlinked"]))
    assert vs and all("(`blog.kakaocdn.net`)" in v.message for v in vs)
    assert vs[0].line == 9 and "/assets/img/error/SruBCjhaotf8HktfnLfw7k.png" in vs[0].message
    src = doc.text.split("\n")[8][vs[0].column - 1:]
    assert src.startswith('src="https://blog.kakaocdn.net/')
