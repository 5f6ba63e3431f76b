"""link-href-invalid on targets that lead to a missing page of the site: an address
without its scheme, a Markdown link pasted as a target, a sample URL's placeholder."""

from __future__ import annotations

import pytest

from newslint.rules.link_href_invalid import href_problem


@pytest.mark.parametrize(("href", "says"), [
    ("www.example.com", "add `https://` (`https://www.example.com`)"),
    ("www.korea.kr/news/policyNewsView.do?newsId=1", "has no scheme"),
    ("github.com/user/repo", "has no scheme"),
    ("example.co.kr/보도", "has no scheme"),
    ("blog.example.dev/a:b", "has no scheme"),
    ("[원문](https://example.org/a)", "make `https://example.org/a` the target"),
    ("[x](<https://example.org/a>)", "make `https://example.org/a` the target"),
    ("http://<account name>.blob.core.windows.net/c", "`<account name>` is text to fill in"),
    ("https://<your-bucket>.s3.amazonaws.com/", "remove the link and keep its text"),
])
def test_targets_that_lead_nowhere(href, says):
    problem = href_problem(href)
    assert problem is not None and says in problem


@pytest.mark.parametrize("href", [
    "README.md", "chart.png", "install.sh", "main.py", "lib.rs", "logo.ai", "docs/page.md", "./a/b.html",
    "../up.md", "index.html", "localhost:4000/preview", "https://example.org/a[1]", "/2024/01/01/a.html",
    "mailto:desk@example.org", "tel:+82-2-000-0000", "?page=2", "#section", "{{ site.baseurl }}/about/",
    "data:image/png;base64,AAAA", "my.app.example/index.md",
])
def test_relative_and_full_targets_stay_fine(href):
    assert href_problem(href) is None


def test_plain_url_pattern_reads_case_as_the_ignore_case_one_does():
    # The fast path spells its classes out; it must accept exactly what the
    # same pattern with re.I accepts. Only a character with a case mapping can
    # match another one under re.I: every such character, and ASCII, is tried
    # at every place of the pattern.
    import re
    import sys

    from newslint.rules.link_href_invalid import _PLAIN_OK

    reference = re.compile(r"(?!javascript:)(?:[a-z][a-z0-9+.-]*:|[/#.?])[!-;=?-Z^-z|~]*\Z", re.I)
    chars = [chr(cp) for cp in range(sys.maxunicode + 1)
             if cp < 0x80 or chr(cp).lower() != chr(cp) or chr(cp).upper() != chr(cp)
             or chr(cp).casefold() != chr(cp)]
    js = "javascript:"
    for c in chars:
        for s in (c, c + ":x", "a" + c + ":x", "/" + c, "http:" + c,
                  *(js[:i] + c + js[i + 1:] for i in range(len(js)))):
            assert bool(_PLAIN_OK.match(s)) == bool(reference.match(s)), repr(s)
