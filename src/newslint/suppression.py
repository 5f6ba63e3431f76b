"""Suppression comments in posts, markdownlint style, with Ruff's unused check.

Directives are HTML comments (``<!-- ... -->``) that the HTML parser saw, so a
directive written inside a code block or code span is only an example and does
nothing. In Markdown posts a comment is an HTML block or inline HTML, which the
parser sees the same way.

``newslint-disable [RULE...]``
    from the comment's line on, until a matching ``newslint-enable``.
``newslint-enable [RULE...]``
    from the comment's line on, the rules report again.
``newslint-disable-next-line [RULE...]``
    the line after the comment (the line after its last line, for a comment
    that spans several lines).
``newslint-disable-line [RULE...]``
    the comment's own line(s).
``newslint-disable-file [RULE...]``
    the whole file, wherever the comment is.

No rule names means every rule. Names may be rule names or codes, separated
by spaces or commas. Text after `` -- `` is the reason: it is kept in the JSON
of an ``unused-suppression`` finding and of suppressed findings shown with
``--show-suppressed``.

A finding is suppressed when the line it starts on is covered. A directive
(or a rule name in it) that suppressed nothing is reported as
``unused-suppression`` (NL901), like Ruff's RUF100.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Callable

from .model import Violation

if TYPE_CHECKING:
    from .document import Document
    from .ruleapi import Rule

UNUSED = "unused-suppression"
_DIRECTIVE = re.compile(
    r"^\s*newslint-(disable-next-line|disable-line|disable-file|disable|enable)(?=\s|$)(.*)\Z", re.S)
_LOOKS_LIKE = re.compile(r"^\s*newslint-[a-z-]+")
KINDS = ("disable", "enable", "disable-next-line", "disable-line", "disable-file")


@dataclass
class Directive:
    kind: str
    start: int  # offsets of the whole comment in Document.text
    end: int
    first_line: int  # 1-based lines of the comment
    last_line: int
    rules: list[str]  # rule names as written (resolved to names when known)
    reason: str | None
    unknown: list[str] = field(default_factory=list)
    used: set[str] = field(default_factory=set)  # names that suppressed something ("*" for all)

    def to_json(self) -> dict:
        return {"directive": f"newslint-{self.kind}", "rules": list(self.rules), "reason": self.reason,
                "line": self.first_line}


def parse_directives(doc: "Document", resolve: Callable[[str], str | None]) -> tuple[list[Directive], list[tuple[int, int, str]]]:
    """The directives of ``doc``; also (start, end, message) for malformed ones."""
    out: list[Directive] = []
    bad: list[tuple[int, int, str]] = []
    if not doc.ok or "newslint-" not in doc.text:
        return out, bad
    for c in doc.html.comments:
        m = _DIRECTIVE.match(c.data)
        if m is None:
            if _LOOKS_LIKE.match(c.data):
                word = c.data.split()[0]
                import difflib  # only to word a typo

                close = difflib.get_close_matches(word, [f"newslint-{k}" for k in KINDS], n=1)
                hint = f" (did you mean `{close[0]}`?)" if close else ""
                bad.append((c.start, c.end, f"`{word}` is not a newslint directive{hint}; it suppresses nothing"))
            continue
        kind, rest = m.group(1), m.group(2)
        reason = None
        if " --" in rest or rest.strip().startswith("--"):
            idx = rest.find("--")
            reason = rest[idx + 2:].strip() or None
            rest = rest[:idx]
        names, unknown = [], []
        for token in re.split(r"[\s,]+", rest.strip()):
            if not token:
                continue
            name = resolve(token)
            if name is None:
                unknown.append(token)
            elif name not in names:
                names.append(name)
        first = doc.position(c.start)[0]
        last = doc.position(max(c.end - 1, c.start))[0]
        out.append(Directive(kind, c.start, c.end, first, last, names, reason, unknown))
    return out, bad


@dataclass
class _Range:
    directive: Directive
    first: int
    last: int  # inclusive; _END for "to the end of the file"
    rules: frozenset[str] | None  # None: all rules ...
    except_: frozenset[str] = frozenset()  # ... but these (re-enabled by name)


_END = 1 << 60


def _ranges(directives: list[Directive]) -> list[_Range]:
    out: list[_Range] = []
    open_: list[_Range] = []  # disable ranges not closed yet
    for d in sorted(directives, key=lambda d: d.start):
        if d.unknown and not d.rules:
            rules: frozenset[str] | None = frozenset()  # only unknown names: covers nothing
        else:
            rules = frozenset(d.rules) if d.rules else None
        if d.kind == "disable-file":
            out.append(_Range(d, 1, _END, rules))
        elif d.kind == "disable-line":
            out.append(_Range(d, d.first_line, d.last_line, rules))
        elif d.kind == "disable-next-line":
            out.append(_Range(d, d.last_line + 1, d.last_line + 1, rules))
        elif d.kind == "disable":
            r = _Range(d, d.first_line, _END, rules)
            out.append(r)
            open_.append(r)
        else:  # enable
            still: list[_Range] = []
            for r in open_:
                if rules is None:
                    r.last = d.first_line - 1  # enable all: close every open range
                    continue
                if r.rules is None:
                    rest = _Range(r.directive, d.first_line, _END, None, r.except_ | rules)
                else:
                    left = r.rules - rules
                    if left == r.rules:
                        still.append(r)
                        continue
                    rest = _Range(r.directive, d.first_line, _END, frozenset(left)) if left else None
                r.last = d.first_line - 1
                if rest is not None:
                    out.append(rest)
                    still.append(rest)
            open_ = still
    return [r for r in out if r.last >= r.first]


def line_ranges(doc: "Document", resolve: Callable[[str], str | None]) -> list[list]:
    """``[first line, last line, rule names or None for all]`` of each range
    the post's directives cover (what the checks across a site need; a range
    that re-enables some rules is left out: it hides none of them)."""
    return [[r.first, min(r.last, 1 << 31), None if r.rules is None else sorted(r.rules)]
            for r in _ranges(parse_directives(doc, resolve)[0]) if not r.except_]


def _covers(r: _Range, rule: str, line: int) -> bool:
    if not (r.first <= line <= r.last):
        return False
    if r.rules is None:
        return rule not in r.except_
    return rule in r.rules


def _suppress(ranges: list[_Range], v: Violation, own: Directive | None = None) -> bool:
    hit = None
    for r in ranges:
        if r.directive is own:
            continue  # a directive never hides its own unused-suppression finding
        if _covers(r, v.rule, v.line):
            hit = hit or r
            r.directive.used.add(v.rule)
    if hit is not None:
        v.extra["suppressed"] = hit.directive.to_json()
    return hit is not None


def apply(doc: "Document", violations: list[Violation], *, enabled: set[str],
          resolve: Callable[[str], str | None], known: list[str],
          make_unused: Callable[[int, int, str], Violation] | None,
          deferred: frozenset[str] = frozenset()) -> tuple[list[Violation], list[Violation]]:
    """Drop suppressed violations; returns (kept, suppressed).

    ``enabled`` holds the rules that ran on this file; ``make_unused(start,
    end, message)`` builds an ``unused-suppression`` violation (None when that
    rule is not enabled for the file). Each suppressed violation gets
    ``extra["suppressed"]`` (the directive, its line and its reason); each
    unused-suppression finding gets ``extra["suppression"]``. The rules in
    ``deferred`` (checks across the site, which run later) are never called unused.
    """
    directives, bad = parse_directives(doc, resolve)
    if not directives and not bad:
        return violations, []
    ranges = _ranges(directives)
    kept: list[Violation] = []
    suppressed: list[Violation] = []
    for v in violations:
        (suppressed if _suppress(ranges, v) else kept).append(v)
    if make_unused is None:
        return kept, suppressed

    def report(d: Directive) -> Violation | None:
        msgs = [_unknown_msg(u, known) for u in d.unknown]
        if d.kind != "enable":
            if d.rules:
                idle = [n for n in d.rules if n not in d.used and n not in deferred]
                if idle:
                    why = [f"`{n}`" + ("" if n in enabled else " (not enabled)") for n in idle]
                    msgs.insert(0, f"suppresses nothing for {', '.join(why)}")
            elif not d.unknown and not d.used:
                msgs.insert(0, "suppresses nothing")
        if not msgs:
            return None
        v = make_unused(d.start, d.end, f"`newslint-{d.kind}` " + "; ".join(msgs))
        info = d.to_json()
        info["unused"] = [n for n in d.rules if n not in d.used] + list(d.unknown)
        v.extra["suppression"] = info
        return v

    # Directives that name unused-suppression are judged last, once they have
    # had the chance to suppress the other directives' findings.
    late = [d for d in directives if UNUSED in d.rules]
    found = [(v, d) for d in directives if d not in late for v in [report(d)] if v is not None]
    for start, end, msg in bad:
        found.append((make_unused(start, end, msg), None))
    for v, d in found:
        (suppressed if _suppress(ranges, v, d) else kept).append(v)
    for d in late:
        v = report(d)
        if v is not None:
            (suppressed if _suppress(ranges, v, d) else kept).append(v)
    return kept, suppressed


def _unknown_msg(token: str, known: list[str]) -> str:
    import difflib  # only to word a typo

    close = difflib.get_close_matches(token, known, n=1)
    hint = f" (did you mean `{close[0]}`?)" if close else ""
    return f"names unknown rule `{token}`{hint}"
