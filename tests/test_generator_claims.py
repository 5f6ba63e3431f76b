"""What the rules' messages say Hugo and Jekyll do, checked with the real tools.

Each test builds posts with the generator and looks at what it made of them:
the facts behind front-matter-missing, cr-line-ending, front-matter-syntax
and post-date-future on a Hugo site, and Psych's reading of an unknown tag.
"""

from __future__ import annotations

import datetime as dt
import json
import shutil
import subprocess

import hugo_site
import pytest

from newslint.site import Site
from test_rules_generators import run

pytestmark = pytest.mark.external
HUGO = Site(generator="hugo")
TITLE = '{{ printf "%q %v" .Title .Params.flag }}'


@pytest.fixture(scope="module", params=["0.111", "0.168"])
def hugo(request, tmp_path_factory) -> str:
    if request.param == "0.111":
        return hugo_site.debian_hugo()
    return hugo_site.current_hugo(tmp_path_factory.mktemp("hugo-current"))


FRONT_MATTER = {
    # page: (text, what Hugo prints: the title it read, or None when it made no page)
    "blank": ("\n---\ntitle: 부산\nflag: x\n---\n본문\n", '"부산" x'),
    "indented": (" ---\ntitle: 부산\nflag: x\n---\n본문\n", '"부산" x'),
    "zwsp": ("\u200b---\ntitle: 부산\nflag: x\n---\n본문\n", '"" <nil>'),
    "none": ("본문만 있는 글\n", '"" <nil>'),
    "cr": ("---\rtitle: 부산\rflag: x\r---\r본문\r", '"부산" x'),
    "tagged": ("---\ntitle: 부산\nflag: !foo 값\n---\n본문\n", '"부산" 값'),
}


def test_what_hugo_makes_of_a_front_matter_and_what_newslint_says(hugo, tmp_path):
    status, printed = hugo_site.build(hugo, tmp_path, {k: v[0] for k, v in FRONT_MATTER.items()}, TITLE)
    assert status == 0
    assert printed == {k: v[1] for k, v in FRONT_MATTER.items()}
    # What front-matter-missing and cr-line-ending say on a Hugo site agrees.
    text = {k: v[0] for k, v in FRONT_MATTER.items()}
    assert run(text["blank"], "front-matter-missing", "a.md", HUGO) == []
    assert run(text["indented"], "front-matter-missing", "a.md", HUGO) == []
    assert "Hugo ignores it" in run(text["zwsp"], "front-matter-missing", "a.md", HUGO)[0].message
    assert "empty title" in run(text["none"], "front-matter-missing", "a.md", HUGO)[0].message
    assert "front matter" not in run(text["cr"], "cr-line-ending", "a.md", HUGO)[0].message
    assert "read the value under it" in run(text["tagged"], "front-matter-syntax", "a.md", HUGO)[0].message


@pytest.mark.parametrize("first", ["----", "--- 부산", "- - -"])
def test_hugo_stops_the_build_on_a_near_fence(hugo, tmp_path, first):
    status, printed = hugo_site.build(hugo, tmp_path, {"near": f"{first}\ntitle: 부산\n---\n본문\n"}, TITLE)
    assert printed["near"] is None
    assert status != 0 or hugo_site.version(hugo) == "0.168"  # 0.168 reports an ERROR and exits 0 with --quiet
    found = run(f"{first}\ntitle: 부산\n---\n본문\n", "front-matter-missing", "a.md", HUGO)
    assert len(found) == 1 and "Hugo stops the build on it" in found[0].message


def test_hugo_skips_a_future_publish_date_unless_build_future(hugo, tmp_path):
    future = (dt.date.today() + dt.timedelta(days=400)).isoformat()
    pages = {
        "future": f"---\ntitle: 부산\ndate: {future}\n---\n본문\n",
        "published": f"---\ntitle: 부산\ndate: {future}\npublishDate: 2020-01-01\n---\n본문\n",
        "scheduled": f"---\ntitle: 부산\ndate: 2020-01-01\npublishdate: {future}\n---\n본문\n",
    }
    _status, printed = hugo_site.build(hugo, tmp_path, pages, TITLE)
    made = {k for k, v in printed.items() if v is not None}
    assert made == {"published"}
    reported = {k for k, text in pages.items() if run(text, "post-date-future", f"content/{k}.md", HUGO)}
    assert reported == {"future", "scheduled"}
    _status, printed = hugo_site.build(hugo, tmp_path, pages, TITLE, args=("--buildFuture",))
    assert all(v is not None for v in printed.values())


def test_psych_reads_the_value_under_an_unknown_tag():
    if shutil.which("ruby") is None:
        pytest.skip("ruby is not installed (.ci/run installs Debian's)")
    load = ('require "yaml"; require "date"; require "json"; '
            'puts JSON.generate(Psych.safe_load(STDIN.read, permitted_classes: [Date, Time], aliases: true))')
    out = subprocess.run(["ruby", "-e", load], input="a: !!python/tuple [1, 2]\nb: !foo 값\n", capture_output=True,
                         text=True, check=True).stdout
    assert json.loads(out) == {"a": [1, 2], "b": "값"}
