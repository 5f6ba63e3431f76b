"""The checks across a site against html-proofer on the real build of the shared sites (bench/site_proof)."""

from __future__ import annotations

import shutil
import subprocess
import sys

import pytest

from conftest import ROOT, SHARED

pytestmark = pytest.mark.external


@pytest.mark.skipif(not (SHARED / "sites").is_dir(), reason="../shared/sites is absent")
def test_newslint_reports_what_html_proofer_finds_in_the_posts_own_text(tmp_path):
    for tool in ("jekyll", "hugo", "htmlproofer"):
        assert shutil.which(tool), f"{tool} is not installed (.ci/run installs it)"
    done = subprocess.run([sys.executable, str(ROOT / "bench" / "site_proof"), "--keep", str(tmp_path)],
                          capture_output=True, text=True, timeout=900)
    print(done.stdout)
    assert done.returncode == 0, done.stdout + done.stderr
    lines = done.stdout.splitlines()
    assert any(line.startswith("hugo-coredns:") and "newslint reports" in line for line in lines)
    # Every newslint finding with no html-proofer failure behind it comes with its reason.
    extras = [i for i, line in enumerate(lines) if line.startswith("  extra ")]
    assert all(lines[i + 1].strip().startswith("why: ") for i in extras)
