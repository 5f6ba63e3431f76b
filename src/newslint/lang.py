"""The language of a run, decided without reading any catalogue (an English
run never imports :mod:`newslint.i18n`)."""

from __future__ import annotations

import os
from typing import Mapping

LANGS = ("en", "ko")
DEFAULT = "en"
_ENV_ORDER = ("LC_ALL", "LC_MESSAGES", "LANG")  # POSIX: the first one set wins


def resolve_lang(explicit: str | None = None, configured: str | None = None,
                 environ: Mapping[str, str] | None = None) -> str:
    """The language of a run: ``--lang``, else the config's ``lang``, else the
    locale of the environment (``ko_KR.UTF-8`` is Korean), else English."""
    for choice in (explicit, configured):
        if choice:
            return choice
    env = os.environ if environ is None else environ
    for name in _ENV_ORDER:
        value = env.get(name)
        if value:
            return "ko" if value.lower().startswith("ko") else DEFAULT
    return DEFAULT
