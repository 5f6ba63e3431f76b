"""The facts' shortcuts give what the straightforward computation gives."""

from __future__ import annotations

import json
import random

import pytest

from newslint.frontmatter import front_image, split_front_matter
from newslint.site.facts import IMAGE_KEYS, _front_images, _key_span, _key_start
from newslint.source import SourceText
from test_site_memo import _image_keys_by_front_image


def _image_keys_reference(data, always):
    # Every top-level key and every key inside a top-level mapping, each
    # asked of front_image: what the facts' image keys are.
    keys = _image_keys_by_front_image(data, always)
    return [(k, front_image(data, k)) for k in keys if front_image(data, k) is not None]


_VALUES = ["a.png", " b.JPG ", "c.png?x=1", "title", "x.y", "", "  ", 3, 2.5, True, None, ["d.png"],
           {"src": "e.gif"}, {"path": 1, "url": "f.webp"}, {"image": "no"}, {"feature": "g.svg", "x": "h.png"},
           {"b": "i.png", "b.c": "j.png"}, {"c": {"d": "k.png"}}]
_KEYS = ["image", "cover", "thumbnail", "feature_image", "header", "a", "a.b", "b", "header.image", "og", 7]


@pytest.mark.parametrize("always", [IMAGE_KEYS, ("image", "header.image"), ()])
def test_front_images_are_the_keys_front_image_finds_an_image_file_in(always):
    rng = random.Random(5)
    for _ in range(4000):
        data = {rng.choice(_KEYS): rng.choice(_VALUES) for _ in range(rng.randint(0, 6))}
        assert _front_images(data, always) == _image_keys_reference(data, always), data


_LINES = ["title: A", "title: B", "Title: C", "image: a.png", "? [title]\n: x", "? {title: 1}\n: y", "title:",
          "'title': q", "tags: [a, b]", "x:\n  title: inner", "\u00e9t\u00e9: \u00e9", "title: |\n  block\n",
          "# title: no", "date: 2024-01-01", "&a title: anchored"]


def test_the_title_key_starts_where_its_span_starts():
    rng = random.Random(7)
    texts = ["---\n---\nbody\n", "+++\ntitle = 'x'\n+++\n", "+++\nother = 1\n+++\n", "\ufeff---\ntitle: x\n---\n"]
    texts += ["---\n" + "\n".join(rng.choice(_LINES) for _ in range(rng.randint(0, 6))) + "\n---\nbody\n"
              for _ in range(3000)]
    checked = 0
    for text in texts:
        fm = split_front_matter(SourceText(text))
        if fm is None or not fm.ok:
            continue
        checked += 1
        for key in ("title", "image", "x", "nope"):
            assert _key_start(fm, key) == _key_span(fm, key)[0], (text, key)
    assert checked > 1000


_JSON_VALUES = ["", "a", "\u00e9t\u00e9 \u2028 \U0001f600", "\"quote\" \\ back\n\t\x00\x1f", "\ud800", 0, -7, 2**70,
                1.5, 1e300, -0.0, float("inf"), float("nan"), True, False, None]


def _json_tree(rng, depth=0):
    roll = rng.random()
    if depth < 4 and roll < 0.25:
        return [_json_tree(rng, depth + 1) for _ in range(rng.randint(0, 4))]
    if depth < 4 and roll < 0.45:
        return {rng.choice(["fm", "links", "\u00e9", "", "a b", "title_at"]): _json_tree(rng, depth + 1)
                for _ in range(rng.randint(0, 4))}
    return rng.choice(_JSON_VALUES)


def test_facts_json_is_what_json_dumps_writes():
    from newslint.cache import facts_json

    rng = random.Random(11)
    for _ in range(3000):
        facts = {"fm": _json_tree(rng), "links": [_json_tree(rng) for _ in range(rng.randint(0, 3))],
                 "url": _json_tree(rng)}
        assert facts_json(facts) == json.dumps(facts, ensure_ascii=False, separators=(",", ":")), facts


def _url_record_reference(doc):
    # url_record as first written: the file's first line and yaml_block_span
    # read again, whatever the document's own split found.
    from newslint.site.configfiles import json_exact
    from newslint.site.urls import _JEKYLL_HEADER, JEKYLL_URL_KEYS, yaml_block_span
    from newslint.yamlload import YamlTime

    if not doc.ok or doc.bom:
        return None
    text, raw = doc.text, doc.raw
    nl = raw.find(b"\n")
    header = _JEKYLL_HEADER.match(raw, 0, len(raw) if nl < 0 else nl + 1) is not None
    if not text.startswith(("---", "+++", "{")):
        return {"hdr": header, "ok": True, "fm": {}}
    fm = doc.front_matter
    block = yaml_block_span(text) if text.startswith("---") else None
    if block is None or fm is None or fm.format != "yaml" or block != (fm.content_start, fm.content_end):
        return None
    if fm.error is not None or not fm.closed:
        return None
    if fm.data is None:
        return {"hdr": header, "ok": True, "fm": {}}
    if not isinstance(fm.data, dict):
        return {"hdr": header, "ok": False, "fm": {}}
    values, times = {}, []
    for key, value in fm.data.items():
        if isinstance(key, str) and key.lower() in JEKYLL_URL_KEYS:
            if value.__class__ is YamlTime:
                times.append(key)
                value = str(value)
            elif not json_exact(value):
                return None
            values[key] = value
    out = {"hdr": header, "ok": True, "fm": values}
    if times:
        out["times"] = times
    return out


_FENCES = ["---", "---", "--- ", "---\t", "---\r", "--- \t\r", "---\x0c", "---\xa0", "----", "--- x", "...", "... ",
           "...\x85", "+++", "{"]
_HEAD_LINES = ["title: a", "date: 2024-01-02", "Date: 2024-01-02 10:00:00", "permalink: /a/", "slug: s",
               "categories: [a, b]", "published: false", "", " ", "\t", "\x0c", "  indented: 1", "tags: [x",
               "- item", "key: 'v'", "x: !!binary aGVsbG8=", "? [a]\n: b", "\u00e9: \u00e9", "# comment",
               "--- inner", "---", "...", "-- -", "a: ---", "\u2028", "---\x0c", "...\xa0", "... \x0b"]


def test_url_record_is_what_reading_the_files_head_again_gives():
    from newslint.document import Document
    from newslint.site import Site
    from newslint.site.urls import url_record

    rng = random.Random(13)
    site = Site(generator="jekyll", root="/site", markdown="kramdown")
    seen = set()
    for i in range(6000):
        lines = [rng.choice(_FENCES)] + [rng.choice(_HEAD_LINES) for _ in range(rng.randint(0, 5))]
        if rng.random() < 0.85:
            lines.append(rng.choice(_FENCES[:8] + _FENCES[10:12]))
        lines.append(rng.choice(["body", "", "---", "# h"]))
        text = rng.choice(["\n", "\r\n", "\n", "\n\n"]).join(lines) + rng.choice(["", "\n"])
        raw = text.encode("utf-8", "surrogatepass")
        if i % 50 == 0:
            raw = b"\xef\xbb\xbf" + raw
        elif i % 61 == 0:
            raw += b"\xff"
        doc = Document("/site/_posts/2024-01-02-a.md", raw, site=site)
        expected = _url_record_reference(doc)
        assert url_record(doc) == expected, text
        seen.add(None if expected is None else (expected["hdr"], expected["ok"], bool(expected["fm"])))
    assert len(seen) >= 4
