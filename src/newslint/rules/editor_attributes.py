from __future__ import annotations

import re
from fnmatch import translate
from functools import lru_cache
from typing import TYPE_CHECKING

import yaml

from .. import policy_data
from ..html import _ATTR, _TAGNAME
from ..model import Edit, Finding, Fix
from ..ruleapi import Rule

if TYPE_CHECKING:
    from ..html import Element

DATA_FILE = "editor-attributes.yaml"


@lru_cache(maxsize=1)
def default_patterns() -> tuple[tuple[str, str], ...]:
    """(pattern, editor) pairs from the shipped policy file, in file order."""
    text = policy_data.read_text(DATA_FILE)
    data = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    out: list[tuple[str, str]] = []
    for editor, patterns in (data or {}).items():
        for p in patterns or ():
            out.append((str(p).strip().lower(), str(editor)))
    return tuple(out)


class _Matcher:
    """Which editor left an attribute behind, by exact name or glob pattern."""

    def __init__(self, pairs: tuple[tuple[str, str], ...]) -> None:
        self.exact: dict[str, str] = {}
        self._memo: dict[str, str | None] = {}
        globs: list[tuple[str, str]] = []
        for pattern, editor in pairs:
            if not pattern:
                continue
            if any(ch in pattern for ch in "*?["):
                globs.append((pattern, editor))
            else:
                self.exact.setdefault(pattern, editor)
        self.globs = [(re.compile(translate(p)), e) for p, e in globs]
        # One regex to reject most attributes quickly.
        self.any_glob = re.compile("|".join(f"(?:{translate(p)})" for p, _ in globs)) if globs else None

    def editor_of(self, name: str) -> str | None:
        # Attribute names are a small vocabulary (href, class, style, ...):
        # each is looked up once per process, then read from the memo.
        memo = self._memo
        if name in memo:
            return memo[name]
        if len(memo) > 4096:
            memo.clear()  # a post with thousands of made-up names: stay bounded
        editor = memo[name] = self._editor_of(name)
        return editor

    def _editor_of(self, name: str) -> str | None:
        editor = self.exact.get(name)
        if editor is not None:
            return editor
        if self.any_glob is None or not self.any_glob.match(name):
            return None
        for rx, editor in self.globs:
            if rx.match(name):
                return editor
        return None


@lru_cache(maxsize=16)
def matcher_for(extra: tuple[str, ...]) -> _Matcher:
    pairs = default_patterns() + tuple((p.strip().lower(), "configured") for p in extra)
    return _Matcher(pairs)


def _extra_option(value) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        value = [value]
    if not isinstance(value, (list, tuple)):
        return ()
    return tuple(str(v) for v in value if str(v).strip())


class EditorAttributes(Rule):
    """Attributes a CMS editor left behind (`data-ke-size`, `data-mce-*`, `contenteditable`).

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reports each HTML element that carries attributes a rich-text editor
    writes for its own bookkeeping, once per element, naming the attributes
    and the editor: Tistory (`data-ke-*`, `data-origin-width`,
    `data-phocus`, `data-og-*`, ...), TinyMCE (`data-mce-*`), Naver
    SmartEditor (`data-se-*`), ProseMirror (`data-pm-slice`), Google Docs,
    Word Online, Notion, Confluence, text pasted from ChatGPT (`data-start`,
    `data-end`) or Gemini (`data-path-to-node`), and the editing state
    `contenteditable` and `spellcheck`.

    A `<figure>` is one block with everything inside it: Tistory's image
    block (`<figure class="imageblock">` around a `<span>`, an `<img>` and a
    `<figcaption>`) and its link card get one finding at the `<figure>`,
    whose fix removes the residue of the whole block.

    The list is data, in the policy file `rules/editor-attributes.yaml`
    (exact names and glob patterns); the `extra` option adds to it.

    ## Why is this bad?
    On a Jekyll or Hugo site nothing reads these attributes: they only make
    the source hard to read and review, bloat every page, and some change
    behaviour (`contenteditable="true"` lets a reader type into the page).
    They show that the HTML was pasted from an editor and not cleaned up.

    ## Example
    ```html
    <h2 data-ke-size="size26">부산시 디지털 트윈 시범구역</h2>
    <p data-ke-size="size16" data-start="12" data-end="80">본문</p>
    ```

    ## Use instead
    ```html
    <h2>부산시 디지털 트윈 시범구역</h2>
    <p>본문</p>
    ```

    ## Fix safety
    The fix deletes each listed attribute together with the whitespace before
    it (one fix with one edit per attribute); the rest of the tag is left
    exactly as written. It is safe: static sites and their themes do not use
    these attributes. If your theme's CSS or scripts do select on one of them
    (for example `[data-ke-size]`), ignore this rule for those files.

    ## Options
    - `extra` (default `[]`): more attribute names or glob patterns (`data-wp-*`) to report.
    """

    name = "editor-attributes"
    code = "NL502"
    severity = "warning"
    fix = "safe"
    tags = ("editor",)
    options = {"extra": []}

    def check(self, doc, options):
        out: list[Finding] = []
        tree = doc.html
        if not tree.elements:
            return out
        matcher = matcher_for(_extra_option(options.get("extra")))
        # The memo answers for almost every name: read here, the call only for a new one.
        known, match = matcher._memo.get, matcher.editor_of
        # A <figure> (closed) and what is inside it make one block: Tistory's
        # image block leaves residue on the figure, its span and its img.
        block: Element | None = None
        parts: list[tuple[Element, dict[str, str]]] = []
        for el in tree.elements:
            if block is not None and el.start >= block.end:
                if parts:
                    out.append(_finding(block, parts))
                block, parts = None, []
            if block is None and el.tag == "figure" and el.end_tag_start >= 0:
                block = el
            if not el.attrs:
                continue
            hits: dict[str, str] | None = None
            for name, _ in el.attrs:
                editor = known(name, _NEW)
                if editor is None:
                    continue
                if editor is _NEW:
                    editor = match(name)
                    if editor is None:
                        continue
                if hits is None:
                    hits = {name: editor}
                elif name not in hits:
                    hits[name] = editor
            if hits is None:
                continue
            if block is not None:
                parts.append((el, hits))
            else:
                out.append(_finding(el, [(el, hits)]))
        if parts:
            out.append(_finding(block, parts))
        return out


_NEW = object()  # a name the memo has not seen


def _spans(el: "Element", names) -> list[tuple[str, int, int]]:
    """(name, ws_start, end) of each attribute of ``el`` named in ``names``,
    as ``Element.attr_spans`` gives them (tests/test_editor_attribute_spans.py
    compares), without making the others' objects and values."""
    raw = el.start_tag
    m = _TAGNAME.match(raw)
    if not m:
        return []
    limit = len(raw) - (2 if raw.endswith("/>") else 1)
    base = el.start
    out: list[tuple[str, int, int]] = []
    # attr_spans tries a match at each place from the tag name on, and goes
    # on after each match: the matches finditer finds, up to ``limit``.
    for am in _ATTR.finditer(raw, m.end()):
        start = am.start()
        if start >= limit:
            break
        name = am.group(1).lower()
        if name in names:
            end = am.end(3) if am.group(3) is not None else am.end(1)
            out.append((name, base + len(raw[:start].rstrip(" \t\r\n\f")), base + end))
    return out


def _finding(at: "Element", parts: list[tuple["Element", dict[str, str]]]) -> Finding:
    """One finding at ``at``'s start tag for the editor attributes of ``parts``."""
    edits: list[Edit] = []
    names: dict[str, str] = {}
    complete = True
    for el, hits in parts:
        spans = _spans(el, hits)
        edits.extend(Edit.delete(ws_start, end) for _, ws_start, end in spans)
        complete = complete and {name for name, _, _ in spans} == set(hits)
        for name, editor in hits.items():
            names.setdefault(name, editor)
    fix = None
    if edits and complete:
        fix = Fix.safe("delete " + ", ".join(f"`{n}`" for n in names), *edits)
    editors = list(dict.fromkeys(names.values()))
    listed = ", ".join(f"`{n}`" for n in names)
    noun = "attribute" if len(names) == 1 else "attributes"
    where = ""
    tags = list(dict.fromkeys(el.tag for el, _ in parts))
    if len(parts) > 1 or parts[0][0] is not at:
        where = f" in this `<{at.tag}>` block (on {', '.join(f'`<{t}>`' for t in tags)})"
    return Finding(at.start, at.start_end, f"editor {noun} {listed} left behind ({', '.join(editors)}){where}", fix=fix)
