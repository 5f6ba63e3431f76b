from __future__ import annotations

import yaml

from ..model import Finding
from ..ruleapi import Rule


class FrontMatterNotMapping(Rule):
    """Front matter that parses, but is not a set of `key: value` pairs.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reports front matter whose top level is a list or a bare value instead of
    a mapping, and keys that are not strings (`1: one`, `~: x`).

    ## Why is this bad?
    Jekyll expects a mapping: a list or a scalar is dropped without a word and
    the post loses its title, date and layout.

    ## Example
    ```yaml
    ---
    - title: My post
    - date: 2024-01-02
    ---
    ```

    ## Use instead
    ```yaml
    ---
    title: My post
    date: 2024-01-02
    ---
    ```
    """

    name = "front-matter-not-mapping"
    code = "NL103"
    severity = "error"

    def check(self, doc, options):
        out: list[Finding] = []
        fm = doc.front_matter
        if fm is None or not fm.closed or fm.error is not None or fm.data is None:
            return out
        if not isinstance(fm.data, dict):
            kind = "a list" if isinstance(fm.data, list) else "a single value"
            start, end = (fm.node_span(fm.node) if fm.node is not None else (fm.content_start, fm.content_end))
            return [Finding(start, doc.line_end(start), f"front matter is {kind}, not a mapping of `key: value` pairs")]
        if fm.node is None:
            return out
        for k, _v in fm.node.value:
            if k.tag != "tag:yaml.org,2002:str":
                start, end = fm.node_span(k)
                if isinstance(k, yaml.ScalarNode):
                    out.append(Finding(start, end, f"front matter key {k.value!r} is not a string; quote it"))
                else:
                    kind = "a list" if isinstance(k, yaml.SequenceNode) else "a mapping"
                    out.append(Finding(start, doc.line_end(start) if doc.line_of(end) > doc.line_of(start) else end,
                                       f"front matter key is {kind}, not a string; use a plain `name:` key"))
        return out
