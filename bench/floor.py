"""The parse floor: what reading and parsing the archive costs before any rule runs.

Run by bench/run with newslint's interpreter; prints JSON. Two floors, one core each:

* ``libraries``: read each post, decode it, load its front matter with
  PyYAML's C loader (or tomllib), iterate pyromark's events with ranges over
  the body, and feed the body to a do-nothing ``html.parser``. The libraries
  newslint uses, with none of our code around them.
* ``newslint``: newslint's own parse layer: ``Document`` (decode + front
  matter with positions), ``.markdown`` (the view rules use) and ``.html``
  (the tree with spans).

The rules' cost is the cold run minus this floor.
"""

from __future__ import annotations

import gc
import json
import re
import sys
import time
from html.parser import HTMLParser

import pyromark
import yaml

from newslint.discovery import discover
from newslint.document import Document
from newslint.markdown import _OPTIONS

try:
    import tomllib
except ImportError:  # pragma: no cover
    import tomli as tomllib  # type: ignore[no-redef]

_CLOSE = re.compile(r"^(?:---|\.\.\.)[ \t]*\r?$\n?", re.M)
_TOML_CLOSE = re.compile(r"^\+\+\+[ \t]*\r?$\n?", re.M)


class _Null(HTMLParser):
    pass


def libraries(files: list[str]) -> dict:
    st = {"read": 0.0, "front matter": 0.0, "markdown": 0.0, "html": 0.0}
    clock = time.process_time
    for path in files:
        t0 = clock()
        with open(path, "rb") as fh:
            raw = fh.read()
        t1 = clock()
        st["read"] += t1 - t0
        try:
            text = raw.decode("utf-8-sig")
        except UnicodeDecodeError:
            continue
        body = text
        if text.startswith("---"):
            m = _CLOSE.search(text, 4)
            if m:
                try:
                    yaml.load(text[4:m.start()], Loader=yaml.CSafeLoader)
                except yaml.YAMLError:
                    pass
                body = text[m.end():]
        elif text.startswith("+++"):
            m = _TOML_CLOSE.search(text, 4)
            if m:
                try:
                    tomllib.loads(text[4:m.start()])
                except tomllib.TOMLDecodeError:
                    pass
                body = text[m.end():]
        t2 = clock()
        st["front matter"] += t2 - t1
        if not path.lower().endswith((".html", ".htm")):
            for _ in pyromark.events_with_range(body, options=_OPTIONS):
                pass
        t3 = clock()
        st["markdown"] += t3 - t2
        p = _Null(convert_charrefs=True)
        p.feed(body)
        p.close()
        st["html"] += clock() - t3
    return {"total": sum(st.values()), "stages": st}


def own_layer(files: list[str]) -> dict:
    st = {"read": 0.0, "Document": 0.0, "markdown": 0.0, "html": 0.0}
    clock = time.process_time
    for path in files:
        t0 = clock()
        with open(path, "rb") as fh:
            raw = fh.read()
        t1 = clock()
        doc = Document(path, raw)
        t2 = clock()
        doc.markdown
        t3 = clock()
        doc.html
        t4 = clock()
        st["read"] += t1 - t0
        st["Document"] += t2 - t1
        st["markdown"] += t3 - t2
        st["html"] += t4 - t3
    return {"total": sum(st.values()), "stages": st}


def main() -> None:
    files = discover(sys.argv[1:] or ["."]).files
    gc.freeze()
    out = {"files": len(files), "libraries": libraries(files), "newslint": own_layer(files)}
    json.dump(out, sys.stdout)


if __name__ == "__main__":
    main()
