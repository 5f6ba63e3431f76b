"""What a rule author needs, in one stable place.

A third-party rule is a :class:`Rule` subclass in any installed distribution
that declares it under the entry point group ``newslint.rules``
(``docs/plugins.md`` walks through a complete plugin)::

    from newslint.api import Finding, Rule

    class NoLoremIpsum(Rule):
        \"\"\"Placeholder text left in a post. ...\"\"\"

        name = "no-lorem-ipsum"
        code = "ACME101"

        def check(self, doc, options):
            at = doc.text.find("Lorem ipsum")
            if at != -1:
                yield Finding(at, at + 11, "placeholder text left in the post")

Rules get the parsed post (:class:`Document`; read it, never change it) and
the options users set under ``[tool.newslint.rules.NAME]``, and yield
:class:`Finding` objects at character offsets of ``doc.text``. The engine
stamps the name, code and severity, places findings in the file, applies
suppression comments, caches and reports them. :data:`API_VERSION` changes
when this contract does (a new major number when old rules would break).
"""

from __future__ import annotations

from typing import Any

from .document import Document, Region
from .frontmatter import FrontMatter
from .html import HtmlTree
from .markdown import MarkdownView
from .model import Edit, Finding, Fix
from .ruleapi import Rule

API_VERSION = "1.0"

__all__ = ["API_VERSION", "Document", "Edit", "Finding", "Fix", "FrontMatter", "HtmlTree", "MarkdownView",
           "Region", "Rule", "soup"]


def soup(doc: Document) -> Any:
    """The post's body as a BeautifulSoup tree (``html.parser``), made on first
    use and kept with the document.

    For plugin authors who know bs4; it needs the optional extra
    (``pip install 'newslint[bs4]'``). Built-in rules use ``doc.html``, which
    is faster and gives exact spans. A tag's ``sourceline`` and ``sourcepos``
    count from the start of the body: ``doc.offset(doc.position(doc.body_start)[0]
    + tag.sourceline - 1, ...)`` maps them back, or search ``doc.text`` near it.
    """
    got = doc.__dict__.get("_newslint_soup")
    if got is None:
        try:
            from bs4 import BeautifulSoup
        except ImportError:
            raise RuntimeError("newslint.api.soup() needs beautifulsoup4: pip install 'newslint[bs4]'") from None
        got = doc.__dict__["_newslint_soup"] = BeautifulSoup(doc.body, "html.parser")
    return got
