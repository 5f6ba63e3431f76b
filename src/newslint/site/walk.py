"""What a folder walk keeps of a site: its content files, as the generator sees them.

Discovery asks :class:`ContentFilter` about each folder and file it meets.
Each folder is judged by the site that holds it (a walk over a folder of
several sites judges each by its own rules); a folder in no site keeps every
post file, as before sites were known. Git-ignored files are passed over too,
as ruff does, unless the run says not to.
"""

from __future__ import annotations

import os
from typing import Any

from .find import QUIET_NAMES, SiteFinder

_NO_JUDGE = (None, "")


class ContentFilter:
    def __init__(self, finder: SiteFinder, override: str | None = None, fallback_root: str | None = None,
                 gitignore: bool = True, listed: Any = None) -> None:
        self.finder = finder
        self.listed = listed  # a FolderNames the walk fills (see newslint.discovery), or None
        self.override = override
        self.fallback_root = fallback_root
        self.gitignore = gitignore
        self._ignored: dict[str, set[str] | None] = {}  # repository top -> ignored paths
        self._folders: dict[tuple[int, str], str | None] = {}
        self._tops: dict[str, str | None] = {}  # folder -> its work tree's top
        self._judges: dict[str, tuple] = {}  # folder -> (its site's judge, its path in the site)
        # Folders (absolute) in no site, and in no work tree or with git not
        # asked: they keep every file, and so do their subfolders that hold
        # no site's or work tree's marker (decided without a search upwards).
        self._plain: set[str] = set()

    def _judge(self, folder_abs: str, names: Any = None):
        got = self._judges.get(folder_abs)
        if got is None:
            site = self.finder.site_for_folder(folder_abs, self.override, self.fallback_root, names)
            if site.root is None:
                got = (None, "")
            else:
                rel = os.path.relpath(folder_abs, site.root)
                got = (self.finder.content(site), "" if rel == "." else rel.replace(os.sep, "/"))
            self._judges[folder_abs] = got
        return got

    def skip_dir(self, path: str, parent_abs: str | None = None) -> bool:
        """Whether the walk leaves the folder ``path`` out (``parent_abs``: its
        parent, absolute, when the walk knows it)."""
        if not self.gitignore and not self.finder.any_site:
            return False  # nothing to judge by: no site met yet, git not asked
        if parent_abs in self._plain:
            return False  # no site judges it, no work tree ignores it
        if parent_abs:
            name = path.rpartition(os.sep)[2]
            full, parent = os.path.join(parent_abs, name), parent_abs
        else:
            full = os.path.abspath(path)
            parent, _, name = full.rpartition(os.sep)
            parent = parent or os.sep
        judge, rel = self._judge(parent)
        if judge is not None and judge.dir_reason(f"{rel}/{name}" if rel else name) is not None:
            # Unless it is itself a site's root, judged by that site (asked only
            # now: finding out lists the folder, which the walk does anyway).
            if self.finder.site_for_folder(full, self.override, self.fallback_root).root != full:
                return True
        return self._git_ignored(full, True, parent)

    def file_test(self, folder: str, names: Any = None, *, git: bool = True, folder_abs: str = "", parent_abs: str = ""):
        """A test ``skip(full_path)`` for the files of one folder (the folder's
        site, its place in it and the git work tree are found once; ``names``:
        the folder's entries, which the walk has listed; ``git``: ask git too;
        ``folder_abs``: the folder made absolute, when the walk knows it, and
        ``parent_abs`` its parent's).
        None when the folder keeps every file."""
        folder_abs = folder_abs or os.path.abspath(folder)
        if names is not None:
            if self.listed is not None:
                self.listed.note(folder_abs, names, folder)
            parent = parent_abs or folder_abs.rpartition(os.sep)[0]
            if parent in self._plain and QUIET_NAMES.isdisjoint(names) and \
                    self.finder.inherit(folder_abs, parent, self.override):
                self._plain.add(folder_abs)
                self._judges[folder_abs] = _NO_JUDGE
                if self.gitignore:
                    self._tops[folder_abs] = None
                return None
        judge, rel = self._judge(folder_abs, names)
        if judge is not None and self._folder_reason(judge, rel) is not None:
            return lambda full: True
        prefix = f"{rel}/" if rel else ""
        top = self._top_of(folder_abs) if self.gitignore else None
        git = git and top is not None
        if judge is None and top is None:
            self._plain.add(folder_abs)
        if judge is None and not git:
            return None  # no site and no work tree: every file is kept

        def skip(full: str) -> bool:
            name = full.rpartition(os.sep)[2]
            if judge is not None and judge.file_reason(prefix + name, full) is not None:
                return True
            return git and self._git_ignored(os.path.join(folder_abs, name), False)
        return skip

    def _top_of(self, folder: str) -> str | None:
        """The work tree above ``folder`` (a `.git` folder or file), found without running git."""
        walked = []
        current = folder
        while True:
            top = self._tops.get(current, False)
            if top is not False:
                break
            walked.append(current)
            held = self.listed.held(current) if self.listed is not None else None
            if (held is None or ".git" in held) and os.path.exists(os.path.join(current, ".git")):
                top = current
                break
            parent = os.path.dirname(current)
            if parent == current:
                top = None
                break
            current = parent
        for d in walked:
            self._tops[d] = top  # type: ignore[assignment]
        return top  # type: ignore[return-value]

    def skip_file(self, path: str, named: bool = False) -> bool:
        """Whether the file ``path`` is left out (``named``: the user named it,
        so only a forced exclusion reaches here)."""
        full = os.path.abspath(path)
        skip = self.file_test(os.path.dirname(full), git=not named)
        return skip is not None and skip(full)

    def _folder_reason(self, judge, rel: str) -> str | None:
        """Why the site skips the folder ``rel`` or one above it (a walk may
        start inside a skipped folder, and a named file may sit in one)."""
        key = (id(judge), rel)
        got = self._folders.get(key, False)
        if got is False:
            got = None
            parts = rel.split("/") if rel else []
            for i in range(len(parts)):
                got = judge.dir_reason("/".join(parts[: i + 1]))
                if got is not None:
                    break
            self._folders[key] = got
        return got  # type: ignore[return-value]

    def why(self, path: str) -> str | None:
        """Why the site leaves ``path`` (a file or folder) out, or None (for `newslint site`)."""
        full = os.path.abspath(path)
        parent = os.path.dirname(full)
        judge, rel = self._judge(parent)
        if judge is None:
            return None
        above = self._folder_reason(judge, rel)
        if above is not None:
            return above
        name = os.path.basename(full)
        rel = f"{rel}/{name}" if rel else name
        return judge.dir_reason(rel) if os.path.isdir(full) else judge.file_reason(rel, full)

    # -- git -----------------------------------------------------------------------
    def _git_ignored(self, full: str, is_dir: bool, parent: str | None = None) -> bool:
        if not self.gitignore:
            return False
        top = self._top_of(parent or os.path.dirname(full))
        if top is None:
            return False
        ignored = self._ignored.get(top, False)
        if ignored is False:
            ignored = self._ignored[top] = _ignored_paths(top)
        if not ignored:
            return False
        return (full + os.sep if is_dir else full) in ignored  # type: ignore[operator]


def _ignored_paths(top: str) -> set[str] | None:
    """Absolute paths of the ignored, untracked files and folders (folders end with a separator).
    Git itself decides (every .gitignore, .git/info/exclude, the global excludes file)."""
    import subprocess  # only in a git work tree

    try:
        proc = subprocess.run(["git", "ls-files", "-z", "--others", "--ignored", "--exclude-standard", "--directory"],
                              cwd=top, capture_output=True, timeout=60)
    except (OSError, subprocess.TimeoutExpired):
        return None
    if proc.returncode != 0:
        return None
    out = set()
    for name in proc.stdout.decode("utf-8", "surrogateescape").split("\0"):
        if name:
            trailing = name.endswith("/")
            path = os.path.normpath(os.path.join(top, name))
            out.add(path + os.sep if trailing else path)
    return out
