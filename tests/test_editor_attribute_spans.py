"""editor-attributes reads the spans of the attributes it reports itself: the
same spans as Element.attr_spans gives."""

from __future__ import annotations

import random

from newslint.document import Document
from newslint.rules.editor_attributes import _spans

PIECES = [' data-ke-size="size16"', " data-ke-size='a b'", " data-ke-size=x", " DATA-KE-SIZE", " class=\"c\"",
          "\n\tdata-start=\"1\"", " data-end = 2", " id", "/", " / ", " =x", " a==b", " b=\"q>\"", "\u00a0rel=x",
          " contenteditable", ' spellcheck="false"', " x='", " data-mce-style=\"a:b\" ", "  ", "\r\nparaid=1"]


def test_spans_are_attr_spans():
    rng = random.Random(3)
    checked = 0
    for _ in range(3000):
        tag = rng.choice(["p", "span", "img", "DIV"])
        attrs = "".join(rng.choice(PIECES) for _ in range(rng.randrange(0, 6)))
        close = rng.choice([">", "/>", " />", ">x</" + tag + ">"])
        doc = Document.from_text("---\ntitle: t\n---\n<" + tag + attrs + close + "\n")
        for el in doc.html.elements:
            want = [(a.name, a.ws_start, a.end) for a in el.attr_spans()]
            names = {name for name, _, _ in want}
            assert _spans(el, names) == want, repr(attrs)
            some = set(list(names)[:1])
            assert _spans(el, some) == [w for w in want if w[0] in some]
            checked += 1
    assert checked > 2000
