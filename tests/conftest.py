from __future__ import annotations

from pathlib import Path

import pytest

from newslint.config import Config
from newslint.document import Document
from newslint.linter import lint_document
from newslint.registry import Registry

ROOT = Path(__file__).resolve().parent.parent
SHARED = ROOT.parent / "shared"
CORPUS = SHARED / "corpus"
REFERENCE = SHARED / "examples" / "busan-digital-twin.md"

needs_shared = pytest.mark.skipif(not CORPUS.is_dir(), reason="../shared/corpus is absent")

# Every rule newslint ships (built-in and shipped packs, no plugins), for tests
# that go through them all.
_REGISTRY = Registry.build(plugins=False)
ALL_RULES = _REGISTRY.rules
RULES_BY_NAME = _REGISTRY.by_name
RULES_BY_CODE = _REGISTRY.by_code


def lint_text(text: str, path: str = "post.md", select: list[str] | None = None, config: Config | None = None):
    """Lint a post given as text; returns the violations."""
    config = config or Config()
    if select is not None:
        config.select = select
    return lint_document(Document.from_text(text, path), config)


@pytest.fixture
def lint():
    return lint_text


# Property tests run the same examples on every run (a red CI is then a real
# regression, not a new random draw); explore more with
# `pytest --hypothesis-profile=explore` or bench/fuzz_long.py.
from hypothesis import settings as _hsettings  # noqa: E402

_hsettings.register_profile("default", derandomize=True)
_hsettings.register_profile("explore", derandomize=False, max_examples=2000)
_hsettings.load_profile("default")
