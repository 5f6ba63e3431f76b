"""The checks across a site, each on a small site of its own (tests/fixtures/site-rules/RULE/)."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import ALL_RULES, run_cli

SITES = Path(__file__).parent / "fixtures" / "site-rules"
SITE_RULES = sorted(r.name for r in ALL_RULES if r.site_wide)


def findings(root: Path, rule: str, *args: str) -> list[str]:
    r = run_cli(["check", "--isolated", "--select", rule, *args, "."], cwd=root)
    assert r.returncode in (0, 1), r.stderr
    return [line for line in r.stdout.splitlines() if f" {rule} " in line]


def expected(rule: str) -> list[str]:
    lines = (SITES / rule / "expected.txt").read_text(encoding="utf-8").splitlines()
    severity = next(r.severity for r in ALL_RULES if r.name == rule)
    return [line.replace(": ", f": {severity} {rule} ", 1) for line in lines if line]


def test_every_site_rule_has_a_fixture_site():
    assert SITE_RULES and sorted(p.name for p in SITES.iterdir()) == SITE_RULES


@pytest.mark.parametrize("rule", SITE_RULES)
def test_site_rule_reports_exactly_what_its_fixture_site_expects(rule, tmp_path):
    site = shutil.copytree(SITES / rule, tmp_path / "site")
    (site / "expected.txt").unlink()
    assert findings(site, rule, "--no-cache") == expected(rule)
    # Warm: the facts come from the cache, the findings are the same.
    cold = findings(site, rule, "--cache-dir", str(tmp_path / "cache"))
    assert cold == expected(rule)
    assert findings(site, rule, "--cache-dir", str(tmp_path / "cache")) == expected(rule)


def test_a_run_on_one_file_still_sees_the_whole_site(tmp_path):
    site = shutil.copytree(SITES / "site-duplicate-title", tmp_path / "site")
    r = run_cli(["check", "--isolated", "--no-cache", "--select", "site-duplicate-title",
                 "_posts/2024-05-10-twin-again.md"], cwd=site)
    assert r.returncode == 1
    assert r.stdout.splitlines()[0].endswith("(also _posts/2024-03-01-twin.md:2)")
    assert "2024-03-01-twin.md:2:1" not in r.stdout  # findings land only on the run's own files


def test_site_findings_follow_suppression_comments_and_are_never_called_unused(tmp_path):
    site = shutil.copytree(SITES / "link-anchor-missing", tmp_path / "site")
    post = site / "_posts/2024-03-01-toc.md"
    text = post.read_text(encoding="utf-8").replace(
        "* [설치 방법]", "<!-- newslint-disable-next-line link-anchor-missing -->\n* [설치 방법]")
    post.write_text(text, encoding="utf-8")
    r = run_cli(["check", "--isolated", "--no-cache", "--select", "link-anchor-missing,unused-suppression",
                 "_posts/2024-03-01-toc.md"], cwd=site)
    assert r.returncode == 0, r.stdout


def test_related_files_are_in_json_and_sarif(tmp_path):
    site = shutil.copytree(SITES / "site-duplicate-title", tmp_path / "site")
    r = run_cli(["check", "--isolated", "--no-cache", "--select", "site-duplicate-title", "--format", "json", "."],
                cwd=site)
    data = json.loads(r.stdout)
    assert data[0]["related"] == [{"path": "_posts/2024-05-10-twin-again.md", "line": 3}]
    r = run_cli(["check", "--isolated", "--no-cache", "--select", "site-duplicate-title", "--format", "sarif", "."],
                cwd=site)
    result = json.loads(r.stdout)["runs"][0]["results"][0]
    where = result["relatedLocations"][0]["physicalLocation"]
    assert where["artifactLocation"]["uri"].endswith("_posts/2024-05-10-twin-again.md")
    assert where["region"]["startLine"] == 3


def test_outside_a_site_the_site_rules_say_nothing(tmp_path):
    (tmp_path / "a.md").write_text("---\ntitle: T\n---\n\n[x](#nowhere) ![a](/no.png)\n", encoding="utf-8")
    (tmp_path / "b.md").write_text("---\ntitle: T\n---\n\nB.\n", encoding="utf-8")
    r = run_cli(["check", "--isolated", "--no-cache", "--select", ",".join(SITE_RULES), "."], cwd=tmp_path)
    assert r.returncode == 0 and r.stdout.strip().endswith("no findings") or r.stdout == "", r.stdout


def test_stdin_is_checked_against_the_rest_of_the_site(tmp_path):
    site = shutil.copytree(SITES / "site-duplicate-title", tmp_path / "site")
    text = "---\ntitle: 다른 제목\n---\n\n바뀐 글.\n"  # the title of _posts/2024-06-01-other.md
    r = run_cli(["check", "--isolated", "--no-cache", "--select", "site-duplicate-title", "--stdin-filename",
                 "_posts/2024-05-10-twin-again.md", "-"], cwd=site, input=text)
    assert r.returncode == 1
    assert "_posts/2024-05-10-twin-again.md:2:1:" in r.stdout and "(also _posts/2024-06-01-other.md:2)" in r.stdout
    assert not (site / ".newslint_cache").exists()


def test_a_check_keeps_the_site_findings_and_a_fix_run_keeps_the_url_map(tmp_path):
    site = shutil.copytree(SITES / "link-internal-broken", tmp_path / "site")
    (site / "expected.txt").unlink()
    cache = tmp_path / "cache"
    first = findings(site, "link-internal-broken", "--cache-dir", str(cache))
    # A check keeps its findings across the site (the next run like it takes
    # them whole), not the URL map they were made with.
    assert len(list(cache.glob("site-*.json"))) == 1 and not list(cache.glob("urlmap-*.json"))
    assert findings(site, "link-internal-broken", "--cache-dir", str(cache)) == first
    # A --fix run cannot keep findings (they are of the files as it leaves them):
    # it keeps the map, which the next such run reads instead of making it.
    assert findings(site, "link-internal-broken", "--cache-dir", str(cache), "--fix") == first
    assert len(list(cache.glob("urlmap-*.json"))) == 1
    assert findings(site, "link-internal-broken", "--cache-dir", str(cache), "--fix") == first
    # The linked post moves: the map is made again, and the link that was fine is now broken.
    post = site / "_posts" / "2024-03-01-busan-twin.md"
    post.write_text("---\ntitle: 지난 글\npermalink: /moved/\n---\n\n지난 글.\n", encoding="utf-8")
    again = findings(site, "link-internal-broken", "--cache-dir", str(cache), "--fix")
    assert len(list(cache.glob("urlmap-*.json"))) == 2
    assert any("`/2024/03/01/busan-twin/`" in line for line in again)
    assert findings(site, "link-internal-broken", "--cache-dir", str(cache)) == again


def test_a_baseline_holds_site_findings_like_any_other(tmp_path):
    site = shutil.copytree(SITES / "site-duplicate-title", tmp_path / "site")
    base = tmp_path / "baseline.json"
    args = ["check", "--isolated", "--no-cache", "--select", "site-duplicate-title"]
    assert run_cli([*args, "--write-baseline", str(base), "."], cwd=site).returncode == 0
    assert run_cli([*args, "--baseline", str(base), "."], cwd=site).returncode == 0
    (site / "_posts" / "2024-07-01-third.md").write_text("---\ntitle: 부산 디지털 트윈 공개\n---\n\n셋째.\n",
                                                         encoding="utf-8")
    r = run_cli([*args, "--baseline", str(base), "."], cwd=site)
    assert r.returncode == 1 and "2024-07-01-third.md" in r.stdout


def test_a_shard_still_sees_the_whole_site(tmp_path):
    site = shutil.copytree(SITES / "site-duplicate-title", tmp_path / "site")
    lines = []
    for k in (1, 2):
        r = run_cli(["check", "--isolated", "--no-cache", "--select", "site-duplicate-title", "--shard", f"{k}/2", "."],
                    cwd=site)
        lines += [line for line in r.stdout.splitlines() if "site-duplicate-title" in line]
    assert sorted(lines) == sorted(expected("site-duplicate-title"))


def test_on_netlify_a_trailing_slash_reaches_a_page_written_as_html(tmp_path):
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: x\n", encoding="utf-8")  # default permalinks: /2024/03/01/a.html
    (site / "_posts" / "2024-03-01-a.md").write_text("---\ntitle: 가\n---\n\n본문.\n", encoding="utf-8")
    (site / "_posts" / "2024-03-02-b.md").write_text("---\ntitle: 나\n---\n\n[가](/2024/03/01/a/)\n", encoding="utf-8")
    assert len(findings(site, "link-internal-broken", "--no-cache")) == 1  # GitHub Pages: a 404
    (site / "netlify.toml").write_text("[build]\npublish = \"_site\"\n", encoding="utf-8")
    assert findings(site, "link-internal-broken", "--no-cache") == []  # Netlify redirects it to the .html page


def test_image_missing_checks_the_front_matter_keys_its_option_names(tmp_path):
    site = tmp_path / "site"
    (site / "_posts").mkdir(parents=True)
    (site / "_config.yml").write_text("title: x\n", encoding="utf-8")
    (site / "_posts" / "2024-03-01-a.md").write_text(
        "---\ntitle: 가\nog_image: /assets/card.png\nheader:\n  teaser: /assets/teaser.jpg\n---\n\n본문.\n",
        encoding="utf-8")
    assert findings(site, "image-missing", "--no-cache") == []  # not keys the rule looks at by default
    (site / ".newslint.toml").write_text('[rules.image-missing]\nkeys = ["image", "og_image", "header.teaser"]\n',
                                         encoding="utf-8")
    r = run_cli(["check", "--no-cache", "--select", "image-missing", "."], cwd=site)
    assert "`/assets/card.png` is not in the site" in r.stdout and "`/assets/teaser.jpg` is not in the site" in r.stdout


def test_the_built_in_site_rules_are_what_the_registry_enables():
    from newslint.config import Config
    from newslint.ruleindex import builtin_site_rules, site_rules_of

    everything = Config()
    everything.known_plugins = []  # no plugin installed: the built-in list is the answer
    assert site_rules_of(everything) == builtin_site_rules()
    assert builtin_site_rules() == [r for r in Config().enabled_rules() if r.site_wide]
    narrowed = Config(ignore=["link-anchor-missing"])
    narrowed.known_plugins = []
    assert [r.name for r in site_rules_of(narrowed)] == ["image-missing", "link-internal-broken",
                                                       "site-duplicate-title", "site-url-collision"]
