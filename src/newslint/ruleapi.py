"""The contract between a rule and the engine.

A rule only finds: it never knows its severity or whether it is enabled, and it
never reads config files. ``check(doc, options)`` yields :class:`Finding`
objects whose positions are offsets into ``doc.text``; the linter stamps the
rule's name, code and severity, places them in the file and applies
suppression comments.

The class docstring is the rule's documentation, in Ruff's sections:
``## What it does``, ``## Why is this bad?``, ``## Example``, ``## Use instead``
and, for fixable rules, ``## Fix safety``. ``newslint rule NAME`` and the
generated ``docs/rules/NAME.md`` both come from it.

This module imports nothing of newslint at run time, so a plugin can subclass
:class:`Rule` without loading the built-in rules (see :mod:`newslint.api`).
"""

from __future__ import annotations

import inspect
from typing import TYPE_CHECKING, Any, ClassVar, Iterable

if TYPE_CHECKING:
    from .document import Document
    from .model import Finding


# The key under which a rule that asks for it (``run_state``) finds, in its
# options, the object it keeps for the whole run.
RUN_STATE = "__run_state__"


class Rule:
    name: ClassVar[str]  # stable kebab-case name, typed by users in config
    code: ClassVar[str]  # short stable id, e.g. NL201
    severity: ClassVar[str] = "warning"  # the default severity
    fix: ClassVar[str | None] = None  # None, "safe", "unsafe" or "sometimes"
    tags: ClassVar[tuple[str, ...]] = ()
    # Option name -> default value. Users set them under [tool.newslint.rules.NAME].
    options: ClassVar[dict[str, Any]] = {}
    # True for rules that must run on files that could not be decoded.
    on_undecodable: ClassVar[bool] = False
    # True for findings the engine itself makes about a file (it could not be
    # read, it is too large, it ran out of time, a suppression hid nothing):
    # such a rule has no check(); the engine words the finding, and the rule
    # class carries its name, code, severity, options and docs like any other.
    engine: ClassVar[bool] = False
    # True for a check across the posts of a site (a link to a page that is
    # not there, two posts at one URL): it has ``check_site(index, options)``
    # instead of ``check()``, and runs once per site on every post's facts.
    site_wide: ClassVar[bool] = False
    # True for a rule whose findings depend on the current time as well as on
    # the file (a date "in the future" stops being one): the results cache
    # never keeps a result holding one of its findings, since the file, the
    # config and the site, all it is keyed by, stay the same while the
    # finding goes stale. A result with none of them is cached as usual.
    depends_on_clock: ClassVar[bool] = False

    @classmethod
    def run_state(cls) -> Any:
        """An object this rule keeps for one run (a loaded schema, say),
        made by the run and passed in ``options[RUN_STATE]``; None: no state.
        Never a class or module variable: two runs in one process (an editor
        server) must not share it."""
        return None

    def check(self, doc: "Document", options: dict[str, Any]) -> Iterable["Finding"]:
        raise NotImplementedError(f"rule {type(self).__name__} has no check()")

    @classmethod
    def docs(cls) -> str:
        return inspect.cleandoc(cls.__doc__ or "")

    @classmethod
    def summary(cls) -> str:
        doc = cls.docs()
        return doc.split("\n", 1)[0].strip() if doc else ""
