"""Discovery walks folders with os.scandir: the same files, order and warnings as a
walk that stats every file, including symlinks, special files and skipped folders."""

from __future__ import annotations

import os
import sys

import pytest

from newslint.discovery import discover

posix_only = pytest.mark.skipif(sys.platform == "win32", reason="symlinks and FIFOs")


def write(p, text="---\ntitle: t\n---\nbody\n"):
    p.parent.mkdir(parents=True, exist_ok=True)
    p.write_text(text, encoding="utf-8")


def test_walk_finds_posts_sorted_and_skips_build_and_hidden_folders(tmp_path):
    for rel in ("b.md", "a.MD", "a-b.md", "a/c.markdown", "a0.html", "z/deep/er/p.md", "notes.txt",
                ".hidden/x.md", "_site/x.md", "node_modules/x.md", "vendor/x.md", ".git/x.md"):
        write(tmp_path / rel)
    found = discover([str(tmp_path)])
    rels = [os.path.relpath(f, tmp_path) for f in found.files]
    assert rels == sorted(rels)
    assert set(rels) == {"b.md", "a.MD", "a-b.md", os.path.join("a", "c.markdown"), "a0.html",
                         os.path.join("z", "deep", "er", "p.md")}
    assert found.skipped == []


def test_dot_is_reported_without_its_prefix(tmp_path, monkeypatch):
    write(tmp_path / "posts" / "a.md")
    monkeypatch.chdir(tmp_path)
    assert discover(["."]).files == [os.path.join("posts", "a.md")]


def test_include_and_exclude(tmp_path):
    for rel in ("posts/a.md", "posts/b.txt", "drafts/c.md", "posts/old/d.md"):
        write(tmp_path / rel)
    files = discover([str(tmp_path)], exclude=["drafts", "posts/old"]).files
    assert [os.path.relpath(f, tmp_path) for f in files] == [os.path.join("posts", "a.md")]
    files = discover([str(tmp_path)], include=["*.txt"]).files
    assert [os.path.relpath(f, tmp_path) for f in files] == [os.path.join("posts", "b.txt")]


@posix_only
def test_symlinks_fifos_and_linked_folders(tmp_path):
    root = tmp_path / "site"
    write(root / "a.md")
    write(root / "sub" / "b.md")
    write(tmp_path / "outside.md")
    os.symlink(root / "a.md", root / "link-to-a.md")  # a post also found under its own name
    os.symlink(root / "sub" / "b.md", root / "sub" / "zz-link.md")  # ditto, same folder
    os.symlink(tmp_path / "outside.md", root / "out.md")
    os.symlink(root / "missing.md", root / "broken.md")
    os.symlink(root / "sub", root / "linked-folder")  # folders behind symlinks are not walked
    os.mkfifo(root / "pipe.md")
    found = discover([str(root)])
    assert found.files == [str(root / "a.md"), str(root / "sub" / "b.md")]
    reasons = dict(found.skipped)
    assert reasons[str(root / "out.md")] == "symlink points outside the folder being checked"
    assert reasons[str(root / "pipe.md")] == "not a regular file"
    assert reasons[str(root / "link-to-a.md")] == f"symlink to {root / 'a.md'}, which is checked under its own name"
    assert reasons[str(root / "sub" / "zz-link.md")].startswith(f"symlink to {root / 'sub' / 'b.md'}")
    # A dangling link resolves inside the tree: it is reported as broken.
    assert reasons[str(root / "broken.md")] == "broken symlink"
    assert len(found.skipped) == 5


@posix_only
def test_in_tree_link_to_a_post_outside_the_walk_is_linted_once(tmp_path):
    root = tmp_path / "site"
    write(root / ".drafts" / "hidden.md")  # hidden folder: not walked
    os.symlink(root / ".drafts" / "hidden.md", root / "shown.md")
    os.symlink(root / ".drafts" / "hidden.md", root / "shown-again.md")
    found = discover([str(root)])
    assert found.files == [str(root / "shown-again.md")]
    assert found.skipped == [(str(root / "shown.md"), f"symlink to {root / 'shown-again.md'}, which is checked "
                                                      "under its own name")]


def test_named_files_and_missing_paths(tmp_path):
    write(tmp_path / "a.md")
    found = discover([str(tmp_path / "a.md"), str(tmp_path / "nope.md"), str(tmp_path / "a.md")])
    assert found.files == [str(tmp_path / "a.md"), str(tmp_path / "nope.md")]
