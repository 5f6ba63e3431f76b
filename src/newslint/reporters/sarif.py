"""``--format sarif``: SARIF 2.1.0 for GitHub code scanning and other viewers.

One run; ``tool.driver`` names newslint and its version and lists every rule
that fired (id, name, short description, help text and a link to its docs);
one result per finding with its rule, level, message and a physical location
(start and end line and column, 1-based; ``columnKind`` says columns count
Unicode code points, as everywhere in newslint; ``endColumn`` is exclusive in
SARIF as in our JSON). Paths are relative to the folder newslint ran in
(``%SRCROOT%``), so GitHub maps them onto the repository when newslint runs at
its top. ``partialFingerprints`` carries the baseline fingerprint (rule, path,
offending text, occurrence), which survives lines moving.
"""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from typing import Any, Sequence, TextIO
from urllib.parse import quote

from .. import __version__
from ..model import Violation
from .base import JsonArray, Report, Summary, copy_spool, spool

SCHEMA_URI = "https://json.schemastore.org/sarif-2.1.0.json"
INFORMATION_URI = "https://github.com/newslint/newslint"
DOCS_BASE = "https://github.com/newslint/newslint/blob/main/docs/rules/"
LEVELS = {"error": "error", "warning": "warning", "info": "note"}


def docs_uri(rule: str) -> str:
    return f"{DOCS_BASE}{quote(rule)}.md"


def _camel(name: str) -> str:
    return "".join(part[:1].upper() + part[1:] for part in re.split(r"[-_\s]+", name) if part)


def artifact_location(path: str, root: str) -> dict[str, Any]:
    """A relative URI under %SRCROOT% when ``path`` is inside ``root``, else a file: URI."""
    full = os.path.abspath(path)
    try:
        rel = os.path.relpath(full, root)
    except ValueError:
        rel = None
    if rel is None or rel == os.pardir or rel.startswith(os.pardir + os.sep):
        return {"uri": Path(full).as_uri()}
    return {"uri": quote(rel.replace(os.sep, "/")), "uriBaseId": "%SRCROOT%"}


def rule_descriptor(name: str, code: str, severity: str, summary: Summary) -> dict[str, Any]:
    cls = summary.rule(name)

    short = (cls.summary() if cls is not None else "") or name
    d: dict[str, Any] = {
        "id": name,
        "name": _camel(name),
        "shortDescription": {"text": short},
        # GitHub code scanning requires fullDescription and help.text on every rule.
        "fullDescription": {"text": short},
    }
    docs = cls.docs() if cls is not None else ""
    if docs:
        d["help"] = {"text": docs, "markdown": docs}
    else:
        d["help"] = {"text": short}
    if summary.ships(name):  # the rules newslint ships have generated docs in the repository
        d["helpUri"] = docs_uri(name)
    d["defaultConfiguration"] = {"level": LEVELS.get(getattr(cls, "severity", severity), "warning")}
    props: dict[str, Any] = {"code": code}
    tags = list(getattr(cls, "tags", ()) or ())
    if tags:
        props["tags"] = tags
    d["properties"] = props
    return d


def sarif_skeleton(rules: list[dict[str, Any]], root: str) -> dict[str, Any]:
    """The log without its results (``"results": []``)."""
    return {
        "$schema": SCHEMA_URI,
        "version": "2.1.0",
        "runs": [{
            "tool": {"driver": {
                "name": "newslint",
                "version": __version__,
                "semanticVersion": __version__,
                "informationUri": INFORMATION_URI,
                "rules": rules,
            }},
            "originalUriBaseIds": {"%SRCROOT%": {"uri": Path(root).as_uri().rstrip("/") + "/"}},
            "columnKind": "unicodeCodePoints",
            "results": [],
        }],
    }


# Where the results go in the printed skeleton: "results" is the last key of the
# last (only) run, so its empty list is the last "[]" before the closing brackets.
_EMPTY_RESULTS = '"results": []\n    }\n  ]\n}'


class SarifReport(Report):
    """Results are spooled as they come; the rules that fired (few) are kept for the driver,
    which comes first in the log."""

    writes_at_once = False

    def __init__(self, out: TextIO, summary: Summary) -> None:
        super().__init__(out, summary)
        self.root = os.getcwd()
        self.rules: list[dict[str, Any]] = []
        self.index: dict[str, int] = {}
        self.body = spool()
        self.results = JsonArray(self.body, depth=3)

    def write_file(self, path: str, violations: Sequence[Violation]) -> None:
        if not violations:
            return
        from ..baseline import file_keys, relative_path

        keys = file_keys(violations, self.summary.source(path))
        rel = relative_path(path, self.root)
        results = []
        for v, (rule, fp, idx) in zip(violations, keys):
            if v.rule not in self.index:
                self.index[v.rule] = len(self.rules)
                self.rules.append(rule_descriptor(v.rule, v.code, v.severity, self.summary))
            result = {
                "ruleId": v.rule,
                "ruleIndex": self.index[v.rule],
                "level": LEVELS.get(v.severity, "warning"),
                "message": {"text": v.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact_location(v.path, self.root),
                        "region": {
                            "startLine": v.line,
                            "startColumn": v.column,
                            "endLine": v.end_line,
                            "endColumn": v.end_column,
                        },
                    },
                }],
                "partialFingerprints": {"newslint/v1": f"{rel}:{fp}:{idx}"},
            }
            if v.extra and "related" in v.extra:
                result["relatedLocations"] = [
                    {"id": n, "physicalLocation": {"artifactLocation": artifact_location(r["path"], self.root),
                                                   "region": {"startLine": r["line"]}}}
                    for n, r in enumerate(v.extra["related"])]
            results.append(result)
        self.results.extend(results)

    def end(self) -> None:
        text = json.dumps(sarif_skeleton(self.rules, self.root), ensure_ascii=False, indent=2)
        assert text.endswith(_EMPTY_RESULTS)
        head = text[: -len(_EMPTY_RESULTS)]
        self.out.write(head + '"results": ')
        if self.results.count:
            self.out.write("[")
            copy_spool(self.body, self.out)
            self.out.write("\n      ]")
        else:
            self.body.close()
            self.out.write("[]")
        self.out.write(_EMPTY_RESULTS[len('"results": []'):] + "\n")
