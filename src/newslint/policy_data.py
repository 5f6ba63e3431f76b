"""Reading the editorial policy data: the package ``newslint.policy`` (the
repository's top-level ``rules/`` folder, shipped inside the wheel).

Straight from the package's folder when it is one on disk (a regular or an
editable install), through ``importlib.resources`` otherwise (a zipped
install). importlib.resources pulls in zipfile, tempfile and threading, which
a pool worker, reading four policy files as it starts, would otherwise import.
"""

from __future__ import annotations

import os


def folders() -> list[str]:
    """The package's folders on disk (none for a zipped install)."""
    import importlib.util

    spec = importlib.util.find_spec("newslint.policy")
    locations = list(spec.submodule_search_locations or []) if spec is not None else []
    return [d for d in locations if os.path.isdir(d)]


def read_text(name: str) -> str:
    """The policy file ``name`` (``"packs/promo.yaml"``), as UTF-8 text."""
    for folder in folders():
        path = os.path.join(folder, *name.split("/"))
        if os.path.isfile(path):
            with open(path, encoding="utf-8") as fh:
                return fh.read()
    from importlib import resources  # pragma: no cover - a zipped install

    return resources.files("newslint.policy").joinpath(name).read_text("utf-8")  # pragma: no cover


def names(folder: str) -> list[str]:
    """The file names in the policy folder ``folder`` (``"packs"``), sorted."""
    for base in folders():
        path = os.path.join(base, folder)
        if os.path.isdir(path):
            return sorted(e.name for e in os.scandir(path) if e.is_file())
    from importlib import resources  # pragma: no cover - a zipped install

    return sorted(e.name for e in resources.files("newslint.policy").joinpath(folder).iterdir()  # pragma: no cover
                  if e.is_file())
