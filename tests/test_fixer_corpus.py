"""Issue 4's "done means" on a copy of the whole shared corpus (about 5,000 posts).

Bounded: one fix pass over the corpus, a second over the files it changed, an
unsafe pass over the files that offer an unsafe fix, plus one lint-only CLI
run over the folders where most posts have fixes, on every core.
"""

from __future__ import annotations

import hashlib
import os
import random
import re
import shutil
import signal
import stat
import subprocess
import sys
import time
import unicodedata
from pathlib import Path

from conftest import CORPUS, needs_shared, run_cli
from newslint import atomic
from newslint.atomic import TEMP_PREFIX, TEMP_SUFFIX, temp_name
from newslint.config import Config
from newslint.discovery import discover
from newslint.document import Document
from newslint.engine import FixMode, Linting
from newslint.fixer import fixable

_INVISIBLE = re.compile(r"<[^>]+>|&nbsp;|&#160;|\s|\xa0")
# Characters that show nothing (zero-width, bidi controls, fillers, C0/C1
# controls): the invisible-character and control-character fixes remove them.
_NOTHING = re.compile("[\u200b\u2060-\u2064\ufeff\u3164\u115f\u200e\u200f\u202a-\u202e\u2066-\u2069"
                      "\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def snapshot(root: Path) -> dict[str, bytes]:
    return {str(p): p.read_bytes() for p in root.rglob("*") if p.is_file() and not p.is_symlink()}


def digests(snap: dict[str, bytes]) -> dict[str, str]:
    return {k: hashlib.sha256(v).hexdigest() for k, v in snap.items()}


def nfc(value):
    """``value`` as a reader sees it: composed Korean, without invisible characters."""
    if isinstance(value, str):
        return _NOTHING.sub("", unicodedata.normalize("NFC", value))
    if isinstance(value, dict):
        return {nfc(k): nfc(v) for k, v in value.items()}
    if isinstance(value, list):
        return [nfc(v) for v in value]
    return value


def endings(text: str) -> tuple[int, int, int]:
    crlf = text.count("\r\n")
    return crlf, text.count("\n") - crlf, text.count("\r") - crlf


def visible(doc: Document) -> str:
    return _NOTHING.sub("", unicodedata.normalize("NFC", _INVISIBLE.sub("", doc.body)))


def check_invariants(path: str, before: bytes, after: bytes, *, same_data: bool) -> None:
    a, b = Document(path, before), Document(path, after)
    assert a.ok and b.ok, path
    assert a.bom == b.bom, f"{path}: BOM changed"
    eb, ea = endings(a.text), endings(b.text)
    assert not (eb[0] == 0 and ea[0]) and not (eb[1] == 0 and ea[1]) and ea[2] <= eb[2], f"{path}: line endings"
    assert a.text.endswith("\n") == b.text.endswith("\n"), f"{path}: final newline"
    fa, fb = a.front_matter, b.front_matter
    if fa is not None and fa.ok:
        assert fb is not None and fb.ok, f"{path}: front matter broke"
        if same_data:
            assert nfc(fa.data) == nfc(fb.data), f"{path}: front matter data changed"
        else:  # unsafe fixes may drop a key, never change one
            assert set(fb.data) <= set(fa.data), path
            assert all(nfc(fb.data[k]) == nfc(fa.data[k]) for k in fb.data), path
    assert visible(a) == visible(b), f"{path}: visible text changed"


@needs_shared
def test_fix_whole_corpus_copy(ram_tmp_path):
    root = ram_tmp_path / "corpus"
    shutil.copytree(CORPUS, root, symlinks=True)
    for p in root.rglob("*"):  # the shared corpus is read-only; our copy must not be
        if p.is_file() and not p.is_symlink():
            p.chmod(p.stat().st_mode | stat.S_IWUSR)
    # The corpus offers no unsafe fix of its own; add posts of ours that do, so the
    # unsafe pass below always has work (a dofollow link, a duplicated feature_text).
    (root / "ours").mkdir()
    (root / "ours" / "unsafe-rel.md").write_text(
        "---\ntitle: Dofollow\n---\n\n<p>See <a href=\"https://example.com\" rel=\"dofollow\">this</a>.</p>\n",
        encoding="utf-8")
    (root / "ours" / "unsafe-feature.md").write_bytes(
        "---\r\ntitle: 부산\r\nexcerpt: 부산시가 디지털 트윈을 만든다.\r\n"
        "feature_text: 부산시가 디지털 트윈을 만든다.\r\n---\r\n\r\n본문입니다.\r\n".encode("utf-8"))
    original = snapshot(root)

    # A run without --fix changes nothing: the posts that offer fixes are enough
    # to show it (the whole corpus is linted by tests/test_acceptance.py).
    proc = run_cli(["check", "--no-cache", root / "ko-tistory", root / "ours"])
    assert proc.returncode == 1, proc.stderr
    assert "[*]" in proc.stdout  # fixes were offered, and none was applied
    assert digests(snapshot(root)) == digests(original)

    files = discover([str(root)]).files
    config = Config()
    results = list(fix_paths(files, config, jobs=None))
    assert not [p for r in results for p in r.problems], "fixer problems on the corpus"
    assert not [r for r in results if r.internal_error]
    fixed = snapshot(root)
    changed = [k for k in original if fixed[k] != original[k]]
    assert len(changed) >= 50, len(changed)
    assert sorted(changed) == sorted(r.path for r in results if r.fixed)
    for path in changed:
        check_invariants(path, original[path], fixed[path], same_data=True)
    assert not [p.name for p in root.rglob(".newslint-*")]

    # Idempotent: a second run writes nothing, and no safe fix is still offered.
    # Only the changed files need it: the others hold the bytes the first run
    # read and left alone, and the fixer is deterministic.
    again = list(fix_paths(sorted(changed), config, jobs=None))
    assert not [r.path for r in again if r.fixed]
    assert digests(snapshot(root)) == digests(fixed)
    for r in again:
        doc = Document(r.path, fixed[r.path])
        assert not fixable(r.violations, doc, unsafe=False), r.path

    # Unsafe fixes on top (only the files that offer one, to keep this bounded): still no corruption.
    offering = [r.path for r in results if any(v.fix is not None and v.fix.applicability == "unsafe"
                                               for v in r.violations)]
    assert offering
    unsafe = list(fix_paths(offering, config, unsafe=True, jobs=None))
    assert [r for r in unsafe if r.fixed]
    assert not [p for r in unsafe for p in r.problems]
    after_unsafe = snapshot(root)
    for path in (k for k in fixed if after_unsafe[k] != fixed[k]):
        check_invariants(path, fixed[path], after_unsafe[path], same_data=False)


def fix_paths(files, config, unsafe=False, jobs=1):
    """Fix ``files`` through the engine, as `newslint check --fix` does (no cache)."""
    with Linting(config, jobs=jobs, use_cache=False, fix=FixMode(unsafe=unsafe)) as run:
        return list(run.lint_files(files))


def _writable_copy(src: Path, dst: Path) -> Path:
    shutil.copytree(src, dst, symlinks=True)
    for p in dst.rglob("*"):
        if p.is_file() and not p.is_symlink():
            p.chmod(p.stat().st_mode | stat.S_IWUSR)
    return dst


@needs_shared
def test_sigkill_mid_fix_leaves_each_file_old_or_fully_fixed(tmp_path):
    """Kill ``newslint check --fix`` (and its workers) with SIGKILL while it writes, several times."""
    src = CORPUS / "ko-tistory"  # the folder where most posts have fixes
    reference = _writable_copy(src, tmp_path / "reference")
    list(fix_paths(discover([str(reference)]).files, Config(), jobs=1))
    fully_fixed = {str(p.relative_to(reference)): p.read_bytes() for p in reference.rglob("*") if p.is_file()}
    original = {str(p.relative_to(src)): p.read_bytes() for p in src.rglob("*") if p.is_file()}
    assert sum(fully_fixed[k] != original[k] for k in original) >= 20
    rng = random.Random(4)
    outcomes = set()
    for round_no in range(5):
        work = _writable_copy(src, tmp_path / f"run{round_no}")
        proc = subprocess.Popen([sys.executable, "-m", "newslint", "check", "--fix", "--no-cache", str(work)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, start_new_session=True)
        try:
            # Wait for the first written file (hang guard: 120 s), then kill a little later.
            # A fix is written as a new file renamed over the old one: a new inode.
            inodes = {k: (work / k).stat().st_ino for k in original}
            deadline = time.monotonic() + 120
            while proc.poll() is None and time.monotonic() < deadline:
                if any((work / k).stat().st_ino != ino for k, ino in inodes.items()):
                    break
                time.sleep(0.005)
            time.sleep(rng.uniform(0, 0.05) * round_no)
            if proc.poll() is None:
                os.killpg(proc.pid, signal.SIGKILL)
        finally:
            proc.wait(timeout=60)
            try:
                os.killpg(proc.pid, signal.SIGKILL)  # any worker left behind
            except ProcessLookupError:
                pass
        time.sleep(0.2)  # let killed workers vanish
        now = {str(p.relative_to(work)): p.read_bytes() for p in work.rglob("*") if p.is_file()}
        # A kill between naming the finished temp file and renaming it over
        # the post leaves that file (no system call does both); written
        # unnamed (O_TMPFILE) until then, it holds the whole fixed post. The
        # next fix of the folder removes it.
        for k in [k for k in now if os.path.basename(k).startswith(TEMP_PREFIX)]:
            post = os.path.join(os.path.dirname(k), os.path.basename(k)[len(TEMP_PREFIX):-len(TEMP_SUFFIX)])
            assert k == os.path.relpath(temp_name(str(work / post)), work), k
            assert now.pop(k) == fully_fixed[post] or not atomic._TMPFILE_OK, k
        assert set(now) == set(original)
        done = 0
        for k, data in now.items():
            assert data in (original[k], fully_fixed[k]), f"{k}: neither the original nor the fixed version"
            done += data != original[k]
        outcomes.add(0 < done < sum(fully_fixed[k] != original[k] for k in original))
        # The next fix finishes the job and leaves nothing behind.
        subprocess.run([sys.executable, "-m", "newslint", "check", "--fix", "--no-cache", str(work)],
                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, timeout=120)
        assert {str(p.relative_to(work)): p.read_bytes() for p in work.rglob("*") if p.is_file()} == fully_fixed
    assert True in outcomes, "no kill landed in the middle of the run"
