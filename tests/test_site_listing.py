"""A site's file listing kept between runs: used only while every folder kept its time."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from newslint.site import listing as listing_module
from newslint.site.listing import Listing

SKIP = frozenset({".git", "_site"})
OLD = 1_600_000_000  # seconds: long before any listing, so no folder is "racy"


def make_site(root: Path) -> None:
    for rel in ("index.md", "_posts/2024-01-01-a.md", "assets/img/a.png", "_site/out.html", ".git/HEAD",
                "deep/er/still/x.txt"):
        path = root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", "utf-8")
    age(root)


def age(root: Path) -> None:
    """Every folder's time far in the past (as on a site nobody touched for a while)."""
    for folder, dirs, _names in os.walk(root):
        os.utime(folder, (OLD, OLD))


def walked(root: Path) -> frozenset[str]:
    out = set()
    for folder, dirs, names in os.walk(root):
        dirs[:] = [d for d in dirs if d not in SKIP]
        rel = os.path.relpath(folder, root).replace(os.sep, "/")
        out.update(n if rel == "." else f"{rel}/{n}" for n in names)
    return frozenset(out)


@pytest.fixture
def scans(monkeypatch):
    """How many folders a listing read (os.scandir calls in the listing module)."""
    count = [0]
    real = os.scandir

    def counting(path):
        count[0] += 1
        return real(path)
    monkeypatch.setattr(listing_module.os, "scandir", counting)
    return count


def test_the_listing_is_what_os_walk_finds(tmp_path):
    make_site(tmp_path / "site")
    assert Listing(str(tmp_path / "site"), SKIP, None).files == walked(tmp_path / "site")


def test_a_kept_listing_is_used_while_no_folder_changed(tmp_path, scans):
    site, cache = tmp_path / "site", str(tmp_path / "cache")
    make_site(site)
    first = Listing(str(site), SKIP, cache)
    first.save()
    listed = scans[0]
    assert listed > 0
    again = Listing(str(site), SKIP, cache)
    assert scans[0] == listed  # no folder was read again
    assert again.files == first.files == walked(site)


@pytest.mark.parametrize("change", ["add a file deep down", "remove a folder", "rename a file", "add a folder"])
def test_a_changed_folder_lists_the_site_again(tmp_path, change):
    site, cache = tmp_path / "site", str(tmp_path / "cache")
    make_site(site)
    Listing(str(site), SKIP, cache).save()
    if change == "add a file deep down":
        (site / "deep/er/still/new.png").write_text("x", "utf-8")
    elif change == "remove a folder":
        (site / "assets/img/a.png").unlink()
        (site / "assets/img").rmdir()
    elif change == "rename a file":
        (site / "index.md").rename(site / "home.md")
    else:
        (site / "assets/new").mkdir()
        (site / "assets/new/b.png").write_text("x", "utf-8")
    assert Listing(str(site), SKIP, cache).files == walked(site)


def test_a_folder_changed_during_the_listing_tick_is_not_kept(tmp_path, scans):
    site, cache = tmp_path / "site", str(tmp_path / "cache")
    make_site(site)
    os.utime(site / "assets", None)  # changed just now: a coarse clock could not tell a change after the listing
    Listing(str(site), SKIP, cache).save()
    before = scans[0]
    Listing(str(site), SKIP, cache)
    assert scans[0] > before  # listed again: nothing was kept
    assert not list((tmp_path / "cache").glob("listing-*.json"))


def test_what_is_derived_from_the_names_is_kept_under_its_key(tmp_path):
    site, cache = tmp_path / "site", str(tmp_path / "cache")
    make_site(site)
    first = Listing(str(site), SKIP, cache)
    assert first.derived("config-a") is None
    first.keep("config-a", ["index.md"])
    first.save()
    again = Listing(str(site), SKIP, cache)
    assert again.derived("config-a") == ["index.md"] and again.derived("config-b") is None
    (site / "page.md").write_text("x", "utf-8")
    assert Listing(str(site), SKIP, cache).derived("config-a") is None  # new names: nothing derived is kept


def test_a_corrupt_kept_listing_is_listed_again(tmp_path):
    site, cache = tmp_path / "site", tmp_path / "cache"
    make_site(site)
    Listing(str(site), SKIP, str(cache)).save()
    for kept in cache.glob("listing-*.json"):
        kept.write_text('{"folders": [["", "not a time"]], "files": 3}', "utf-8")
    assert Listing(str(site), SKIP, str(cache)).files == walked(site)


def test_the_cache_folder_inside_the_site_is_not_listed(tmp_path, scans):
    site = tmp_path / "site"
    make_site(site)
    cache = site / ".newslint_cache"
    first = Listing(str(site), SKIP, str(cache))
    first.save()  # writes into the site's own folder: its time would change with every run
    assert not any(f.startswith(".newslint_cache/") for f in first.files)
    age(site)
    Listing(str(site), SKIP, str(cache)).save()
    listed = scans[0]
    (cache / "results.sqlite3").write_text("x", "utf-8")  # what a run does to its cache
    assert Listing(str(site), SKIP, str(cache)).files == first.files
    assert scans[0] == listed


def test_the_listed_names_are_plain_paths_from_the_root(tmp_path):
    """The URL map takes the listing's names as they are (``plain``): each is
    what ``relative_paths`` would give back, odd names included."""
    from newslint.site.urls import relative_paths

    make_site(tmp_path)
    for rel in ("a b/c d.md", "dots.../x..md", "..hidden/.x", "ünï/cödé.md", "x./y.", "-/~", "a/..b/...",
                "trail~/name~", "#h/#n"):
        path = tmp_path / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("x", "utf-8")
    files = sorted(Listing(str(tmp_path), SKIP, None).files)
    assert relative_paths(tmp_path, files) == files
    assert relative_paths(str(tmp_path), files) == files
