"""Writing a fixed post atomically, or not at all.

A temp file next to the post (``O_TMPFILE`` where the system has it, so an
interrupted write leaves no named file), ``fsync``, the original's mode and
owner, a last check that the file on disk still holds the bytes that were read
(:class:`ChangedOnDisk` otherwise), then ``os.replace``. The temp file is
removed on any error; one left by a ``kill -9`` between naming and renaming is
called ``.newslint-<post>.tmp`` and the next fix of that folder removes it.
"""

from __future__ import annotations

import errno
import hashlib
import os
import stat
import sys
from typing import Any, Iterable

TEMP_PREFIX = ".newslint-"
TEMP_SUFFIX = ".tmp"


class ChangedOnDisk(Exception):
    pass


def _sha(data: bytes) -> bytes:
    return hashlib.sha256(data).digest()


def temp_name(path: str) -> str:
    d, base = os.path.split(path)
    return os.path.join(d, f"{TEMP_PREFIX}{base}{TEMP_SUFFIX}")


def _remove_stale_temp(tmp: str) -> None:
    """A temp file left by a run killed between link and rename: remove it."""
    try:
        st = os.lstat(tmp)
    except FileNotFoundError:
        return
    if stat.S_ISREG(st.st_mode):
        os.unlink(tmp)


# Whether O_TMPFILE + linkat works here (set False on the first failure).
_TMPFILE_OK = bool(getattr(os, "O_TMPFILE", 0)) and sys.platform.startswith("linux")
_AT_FDCWD, _AT_EMPTY_PATH = -100, 0x1000
_libc: Any = None


def _link_anonymous(fd: int, name: str) -> None:
    """Give the O_TMPFILE file ``fd`` a name: ``linkat(fd, "", AT_EMPTY_PATH)``, else via /proc."""
    global _libc
    try:
        if _libc is None:
            import ctypes

            _libc = ctypes.CDLL(None, use_errno=True)
        if _libc.linkat(fd, b"", _AT_FDCWD, os.fsencode(name), _AT_EMPTY_PATH) == 0:
            return
    except (OSError, AttributeError):
        pass
    os.link(f"/proc/self/fd/{fd}", name)


def remove_stale_temp_files(paths: Iterable[str]) -> list[str]:
    """Remove temp files a killed run left next to ``paths`` (``.newslint-<post>.tmp``)."""
    removed = []
    for d in sorted({os.path.dirname(p) or "." for p in paths}):
        try:
            names = os.listdir(d)
        except OSError:
            continue
        present = set(names)
        for name in names:
            if (name.startswith(TEMP_PREFIX) and name.endswith(TEMP_SUFFIX)
                    and name[len(TEMP_PREFIX) : -len(TEMP_SUFFIX)] in present):
                try:
                    _remove_stale_temp(os.path.join(d, name))
                    removed.append(os.path.join(d, name))
                except OSError:
                    pass
    return removed


def _open_temp(path: str, tmp: str, anonymous: bool) -> tuple[int, bool]:
    """Open an unnamed temp file in the folder of ``path`` (O_TMPFILE) or a named one."""
    d = os.path.dirname(path) or "."
    flag = getattr(os, "O_TMPFILE", 0)
    if anonymous and flag:
        try:
            return os.open(d, flag | os.O_WRONLY, 0o600), True
        except OSError as exc:
            if exc.errno not in (errno.EOPNOTSUPP, errno.EISDIR, errno.EINVAL, errno.ENOENT):
                raise
    return os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600), False


def _read(path: str) -> bytes:
    with open(path, "rb") as fh:
        return fh.read()


def write_atomic(path: str, data: bytes, expected: bytes, mode: int,
                 owner: tuple[int, int] | None = None) -> None:
    """Replace ``path`` with ``data`` if it still holds the bytes hashed in ``expected``.

    The new file gets ``mode`` and, when given and possible, ``owner`` (uid,
    gid): root fixing an editor's post must not hand it to root.
    Raises :class:`ChangedOnDisk` or :class:`OSError`; the temp file never survives an error.
    """
    tmp = temp_name(path)
    _remove_stale_temp(tmp)
    global _TMPFILE_OK
    anonymous = _TMPFILE_OK
    while True:
        fd, anonymous = _open_temp(path, tmp, anonymous)
        named = not anonymous
        try:
            view = memoryview(data)
            while view:
                n = os.write(fd, view)
                view = view[n:]
            if owner is not None and hasattr(os, "fchown"):
                try:
                    os.fchown(fd, *owner)
                except PermissionError:
                    pass  # not ours to give away: the group may differ, the mode is kept
            os.fchmod(fd, stat.S_IMODE(mode))  # after fchown, which may clear set-id bits
            os.fsync(fd)
            if _sha(_read(path)) != expected:
                raise ChangedOnDisk()
            if anonymous:
                try:
                    _link_anonymous(fd, tmp)
                except OSError:
                    # No linkat through /proc here (a sandbox, another mount):
                    # use a named temp file from now on.
                    _TMPFILE_OK = anonymous = False
                    continue
                named = True
            os.replace(tmp, path)
            named = False
            break
        finally:
            os.close(fd)
            if named:
                try:
                    os.unlink(tmp)
                except OSError:
                    pass
    try:  # make the rename durable
        dfd = os.open(os.path.dirname(path) or ".", os.O_RDONLY)
        try:
            os.fsync(dfd)
        finally:
            os.close(dfd)
    except OSError:
        pass
