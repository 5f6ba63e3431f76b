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
from typing import Any
from urllib.parse import quote

from .. import __version__
from ..model import Violation
from . import Summary, reporter

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
    from ..rules import RULES_BY_NAME

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
    if name in RULES_BY_NAME:  # built-in rules have generated docs in the repository
        d["helpUri"] = docs_uri(name)
    d["defaultConfiguration"] = {"level": LEVELS.get(getattr(cls, "severity", severity), "warning")}
    props: dict[str, Any] = {"code": code}
    tags = list(getattr(cls, "tags", ()) or ())
    if tags:
        props["tags"] = tags
    d["properties"] = props
    return d


def sarif_log(violations: list[Violation], summary: Summary) -> dict[str, Any]:
    from ..baseline import file_keys, relative_path

    root = os.getcwd()
    rules: list[dict[str, Any]] = []
    index: dict[str, int] = {}
    results: list[dict[str, Any]] = []
    i = 0
    while i < len(violations):  # file by file (violations come sorted by path)
        j = i
        while j < len(violations) and violations[j].path == violations[i].path:
            j += 1
        group = violations[i:j]
        keys = file_keys(group, summary.source(group[0].path))
        rel = relative_path(group[0].path, root)
        for v, (rule, fp, idx) in zip(group, keys):
            if v.rule not in index:
                index[v.rule] = len(rules)
                rules.append(rule_descriptor(v.rule, v.code, v.severity, summary))
            results.append({
                "ruleId": v.rule,
                "ruleIndex": index[v.rule],
                "level": LEVELS.get(v.severity, "warning"),
                "message": {"text": v.message},
                "locations": [{
                    "physicalLocation": {
                        "artifactLocation": artifact_location(v.path, root),
                        "region": {
                            "startLine": v.line,
                            "startColumn": v.column,
                            "endLine": v.end_line,
                            "endColumn": v.end_column,
                        },
                    },
                }],
                "partialFingerprints": {"newslint/v1": f"{rel}:{fp}:{idx}"},
            })
        i = j
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
            "results": results,
        }],
    }


@reporter("sarif")
def sarif(violations: list[Violation], summary: Summary) -> str:
    return json.dumps(sarif_log(violations, summary), ensure_ascii=False, indent=2) + "\n"
