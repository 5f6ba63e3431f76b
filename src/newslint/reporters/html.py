"""``--format html``: one self-contained page for editors (a file or a CI artifact).

At the top the totals by severity and by rule, then one section per file with
each finding: rule, severity, message, the source lines around it with the span
highlighted, the fix as a before/after, and an excerpt of the rule's docs with a
link to them. A little inline script adds filters (rule, severity, path); with
scripts off everything is shown. Nothing is loaded from anywhere: the styles and
the script are inline and a Content-Security-Policy allows only those.

The posts' text is data, never markup: every piece of it (source lines,
messages, paths, fix contents) goes through :func:`html.escape`, and the script
reads only ``data-*`` attributes and form values, never the page's text into
markup. The policy allows the one script by its hash, so a ``<script>`` that
slipped through would still not run.

The totals come first but are known last: file sections are spooled to a
temporary file as the run goes (memory stays flat) and copied out under the
header at the end.
"""

from __future__ import annotations

import base64
import bisect
import hashlib
import re
from html import escape
from typing import Sequence, TextIO

from .. import __version__
from ..model import SEVERITIES, Edit, Violation
from .base import Report, Summary, copy_spool, spool
from .text import notes as text_notes
from ._html_page import PAGE_CSS, PAGE_JS

MAX_LINE = 160  # code points of a source line shown
LEAD = 48  # code points kept before the highlight when a long line is cut
CONTEXT = 2  # lines shown before and after a finding
MAX_SPAN = 6  # lines of a long span shown (its first ones and its last)
MAX_HUNKS = 3  # before/after pairs shown for one fix
WHY_CHARS = 320  # length of the "Why is this bad?" excerpt

SCRIPT_HASH = "sha256-" + base64.b64encode(hashlib.sha256(PAGE_JS.encode("utf-8")).digest()).decode("ascii")
CSP = (f"default-src 'none'; style-src 'unsafe-inline'; script-src '{SCRIPT_HASH}'; "
       "img-src data:; base-uri 'none'; form-action 'none'")
TITLE = "newslint report"


def esc(s: str) -> str:
    return escape(s, quote=True)


def t(summary: Summary, text: str, **values: object) -> str:
    """A word of the page in the run's language (newslint.i18n, loaded only for another language)."""
    if summary.lang == "en":
        return text.format(**values) if values else text
    from ..i18n import ui

    return ui(summary.lang, text, **values)


# Characters that show as nothing (or as a plain space) yet matter to a finding:
# controls, format characters, unusual spaces, Hangul fillers. They are shown as
# a small labelled box. ZWJ and ZWNJ are left alone (emoji sequences need them).
_INVISIBLE = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\xa0\xad\u034f\u061c\u115f\u1160\u180e\u2000-\u200b"
                        "\u200e\u200f\u2028-\u202f\u205f-\u2064\u2066-\u206f\u3000\u3164\ufeff\uffa0"
                        "\ufff9-\ufffb\ud800-\udfff]")
_NAMES = {"\r": "CR", "\x00": "NUL", "\x0b": "VT", "\x0c": "FF", "\x1b": "ESC", "\xa0": "NBSP", "\xad": "SHY",
          "\u200b": "ZWSP", "\u3000": "IDSP", "\ufeff": "BOM", "\u3164": "HF", "\u2028": "LS", "\u2029": "PS"}


def _box(m: re.Match[str]) -> str:
    ch = m.group()
    code = f"U+{ord(ch):04X}"
    return f'<span class="ch" title="{code}">{_NAMES.get(ch, code)}</span>'


def text_html(s: str) -> str:
    """``s`` escaped, invisible characters shown as labelled boxes."""
    s = esc(s)
    return _INVISIBLE.sub(_box, s) if _INVISIBLE.search(s) else s


_CODE_SPAN = re.compile(r"`([^`\n]+)`")


def prose_html(s: str) -> str:
    """A message or docs text: escaped, `code` spans as <code>."""
    return _CODE_SPAN.sub(r"<code>\1</code>", text_html(s))


# -- source excerpts ------------------------------------------------------------

def _window(n: int, lo: int | None) -> tuple[int, int]:
    """The code points ``[first, last)`` of a line of ``n`` shown (highlight from ``lo``)."""
    if n <= MAX_LINE:
        return 0, n
    first = 0 if lo is None else max(0, min(lo - LEAD, n - MAX_LINE))
    return first, first + MAX_LINE


def line_html(line: str, lo: int | None = None, hi: int | None = None, point: bool = False) -> str:
    """One source line, ``line[lo:hi]`` in a <mark>, cut around it when the line is long.

    ``point``: the span is empty (a place, not a range) and shows as a caret.
    A trailing CR is dropped unless the highlight covers it.
    """
    if line.endswith("\r") and (hi is None or hi < len(line)):
        line = line[:-1]
    n = len(line)
    if lo is not None:
        lo = max(0, min(lo, n))
        hi = max(lo, min(hi if hi is not None else n, n))
    first, last = _window(n, lo)
    pre = '<span class="cut">…</span>' if first else ""
    post = '<span class="cut">…</span>' if last < n else ""
    if lo is None or hi is None or lo >= last or (hi <= first and not point):
        return pre + text_html(line[first:last]) + post
    a, b = max(lo, first), min(hi, last)
    mark = '<mark class="at"></mark>' if point or a == b else f"<mark>{text_html(line[a:b])}</mark>"
    return pre + text_html(line[first:a]) + mark + text_html(line[b:last]) + post


def _pick(first: int, last: int) -> list[int | None]:
    """Line indices ``first..last`` (inclusive), the middle of a long run as None (a gap)."""
    if last - first + 1 <= MAX_SPAN + 1:
        return list(range(first, last + 1))
    return [*range(first, first + MAX_SPAN - 1), None, last]


def rows_html(lines: list[str], number: int, span: tuple[int, int, int, int], shown: list[int | None],
              sign: str = "", cls: str = "") -> str:
    """Table rows for ``lines[i]`` for i in ``shown`` (None: a gap), numbered from
    ``number`` for index 0; ``span`` = (line0, col0, line1, col1) is highlighted."""
    l0, c0, l1, c1 = span
    point = (l0, c0) == (l1, c1)
    row = f'<tr class="{cls.strip()}">' if cls else "<tr>"
    out = []
    for i in shown:
        if i is None:
            out.append(f'<tr class="gap{cls}"><td class="ln"></td><td class="sg">{sign}</td><td>⋮</td></tr>')
            continue
        line = lines[i]
        if l0 <= i <= l1:
            lo = c0 if i == l0 else 0
            hi = c1 if i == l1 else len(line.rstrip("\r"))
            body = line_html(line, lo, hi, point)
        else:
            body = line_html(line)
        out.append(f'{row}<td class="ln">{number + i}</td><td class="sg">{sign}</td><td>{body}</td></tr>')
    return "".join(out)


def source_html(v: Violation, lines: list[str] | None) -> str:
    if lines is None or not 1 <= v.line <= len(lines):
        return ""
    l0, l1 = v.line - 1, min(max(v.end_line, v.line), len(lines)) - 1
    c1 = v.end_column - 1 if v.end_line - 1 == l1 else len(lines[l1])
    shown: list[int | None] = [*range(max(0, l0 - CONTEXT), l0), *_pick(l0, l1),
                               *range(l1 + 1, min(len(lines), l1 + 1 + CONTEXT))]
    rows = rows_html(lines, 1, (l0, v.column - 1, l1, c1), shown)
    return f'<table class="src">{rows}</table>'


# -- fixes ----------------------------------------------------------------------

class FileText:
    """A post's text as lines, with offset -> line index."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.lines = text.split("\n")
        self.starts = _starts(self.lines)

    def line_of(self, offset: int) -> int:
        return bisect.bisect_right(self.starts, offset) - 1


def _starts(lines: list[str]) -> list[int]:
    starts = [0]
    for line in lines[:-1]:
        starts.append(starts[-1] + len(line) + 1)
    return starts


def _hunks(ft: FileText, edits: Sequence[Edit]) -> list[list[Edit]]:
    """Edits grouped by the lines they touch (neighbours share a hunk)."""
    groups: list[list[Edit]] = []
    last = -2
    for e in sorted(edits):
        if groups and ft.line_of(e.start) <= last + 1:
            groups[-1].append(e)
        else:
            groups.append([e])
        last = max(last, ft.line_of(e.end))
    return groups


def _side(text: str, lo: int, hi: int, number: int, sign: str, cls: str) -> str:
    lines = text.split("\n")
    starts = _starts(lines)
    a, b = bisect.bisect_right(starts, lo) - 1, bisect.bisect_right(starts, hi) - 1
    # The changed lines, and the one before and after them.
    shown = _pick(max(0, a - 1), min(len(lines) - 1, b + 1))
    return rows_html(lines, number, (a, lo - starts[a], b, hi - starts[b]), shown, sign, cls)


def hunk_html(ft: FileText, edits: list[Edit]) -> str:
    """The lines an edit group touches, before (−) and after (+), the change highlighted.

    Edits are offsets into the post's text (``Fix.edits``), as the fixer applies them."""
    n = len(ft.text)
    spans = [(min(max(e.start, 0), n), min(max(e.end, e.start, 0), n), e.content) for e in edits]
    first = ft.line_of(spans[0][0])
    last = ft.line_of(max(t for _s, t, _c in spans))
    lo = ft.starts[first]
    hi = ft.starts[last + 1] - 1 if last + 1 < len(ft.starts) else n
    before = after = ft.text[lo:hi]
    for s, t, content in reversed(spans):
        after = after[:s - lo] + content + after[t - lo:]
    # The change: what is left between the common prefix and the common suffix
    # (the text outside the edits is common: only the edited stretch is compared).
    limit = min(len(before), len(after))
    p = min(spans[0][0] - lo, limit)
    while p < limit and before[p] == after[p]:
        p += 1
    q = min(hi - max(t for _s, t, _c in spans), limit - p)
    while q < limit - p and before[-1 - q] == after[-1 - q]:
        q += 1
    rows = (_side(before, p, len(before) - q, first + 1, "−", " del")
            + _side(after, p, len(after) - q, first + 1, "+", " ins"))
    return f'<table class="src diff">{rows}</table>'


def fix_html(v: Violation, ft: FileText | None, summary: Summary) -> str:
    fix = v.fix
    if fix is None:
        return ""
    label = t(summary, {"safe": "safe fix", "unsafe": "unsafe fix"}.get(fix.applicability, "suggestion"))
    how = t(summary, {"safe": "applied by <code>--fix</code>", "unsafe": "applied by <code>--fix --unsafe-fixes</code>"}
            .get(fix.applicability, "not applied automatically"))
    head = (f'<p class="fixhead"><span class="tag {esc(fix.applicability)}">{label}</span> '
            f'{prose_html(fix.message or "")} <span class="how">({how})</span></p>')
    body = ""
    if ft is not None and fix.edits:
        groups = _hunks(ft, fix.edits)
        body = "".join(hunk_html(ft, g) for g in groups[:MAX_HUNKS])
        rest = sum(len(g) for g in groups[MAX_HUNKS:])
        if rest:
            body += f'<p class="more">{t(summary, "… and {n} more edit" + ("s" if rest != 1 else ""), n=rest)}</p>'
    return f'<div class="fix">{head}{body}</div>'


# -- rule docs ------------------------------------------------------------------

def _section(docs: str, title: str) -> str:
    m = re.search(rf"^## {re.escape(title)}[ \t]*\n(.*?)(?=^## |\Z)", docs, re.M | re.S)
    return m.group(1).strip() if m else ""


def excerpt(text: str, limit: int = WHY_CHARS) -> str:
    """The first paragraph of ``text`` on one line, cut at a word near ``limit``."""
    para = " ".join(text.split("\n\n", 1)[0].split())
    if len(para) <= limit:
        return para
    cut = para.rfind(" ", 0, limit)
    para = para[: cut if cut > limit // 2 else limit]
    if para.count("`") % 2:  # never leave a code span open
        para = para[: para.rfind("`")].rstrip()
    return para + " …"


def rule_info(name: str, summary: Summary) -> dict[str, str]:
    from .sarif import docs_uri

    cls = summary.rule(name)
    docs = cls.docs() if cls is not None else ""
    about, why = (cls.summary() if cls is not None else "") or "", _section(docs, "Why is this bad?")
    if cls is not None and summary.lang != "en":
        from ..i18n import rule_text

        about, why = rule_text(summary.lang, cls, "summary") or about, rule_text(summary.lang, cls, "why") or why
    return {
        "summary": about,
        "why": excerpt(why),
        "url": docs_uri(name) if summary.ships(name) else "",
        "code": getattr(cls, "code", "") or "",
    }


# -- the report -----------------------------------------------------------------

def _plural(n: int, word: str, summary: Summary | None = None) -> str:
    english = f"{n} {word}{'' if n == 1 or word == 'info' else 's'}"
    if summary is None or summary.lang == "en":
        return english
    return t(summary, "{n} " + word, n=n)


class HtmlReport(Report):
    """File sections are spooled as they come; the header with the totals comes first, at the end."""

    writes_at_once = False

    def __init__(self, out: TextIO, summary: Summary) -> None:
        super().__init__(out, summary)
        self.body = spool()
        self.checked = 0
        self.with_findings = 0
        self.by_severity: dict[str, int] = {}
        self.by_rule: dict[str, dict[str, int]] = {}  # rule -> severity -> count
        self.rules: dict[str, dict[str, str]] = {}
        self.n = 0  # findings so far: their ids (#f1, #f2, ...)

    def info(self, name: str) -> dict[str, str]:
        got = self.rules.get(name)
        if got is None:
            got = self.rules[name] = rule_info(name, self.summary)
        return got

    def write_file(self, path: str, violations: Sequence[Violation]) -> None:
        self.checked += 1
        if not violations:
            return
        self.with_findings += 1
        text = self.summary.source(path)
        ft = FileText(text) if text is not None else None
        counts: dict[str, int] = {}
        parts = []
        for v in violations:
            self.by_severity[v.severity] = self.by_severity.get(v.severity, 0) + 1
            per = self.by_rule.setdefault(v.rule, {})
            per[v.severity] = per.get(v.severity, 0) + 1
            counts[v.severity] = counts.get(v.severity, 0) + 1
            parts.append(self.finding_html(v, ft))
        pills = "".join(f'<span class="pill {s}">{_plural(counts[s], s, self.summary)}</span>'
                        for s in SEVERITIES if counts.get(s))
        self.body.write(f'<section class="file" data-path="{esc(path)}">'
                        f'<h2><span class="path">{text_html(path)}</span> {pills}</h2>'
                        + "".join(parts) + "</section>\n")

    def finding_html(self, v: Violation, ft: FileText | None) -> str:
        info = self.info(v.rule)
        self.n += 1
        fid = f"f{self.n}"
        rule = (f'<a class="rule" href="{esc(info["url"])}">{esc(v.rule)}</a>' if info["url"]
                else f'<span class="rule">{esc(v.rule)}</span>')
        where = t(self.summary, "line {line}, column {column}", line=v.line, column=v.column)
        if v.end_line > v.line:
            where += t(self.summary, " to line {line}", line=v.end_line)
        doc = ""
        if info["summary"] or info["why"]:
            link = f' <a href="{esc(info["url"])}">{t(self.summary, "Rule docs")}</a>' if info["url"] else ""
            why = f' {prose_html(info["why"])}' if info["why"] else ""
            doc = f'<p class="doc"><b>{prose_html(info["summary"])}</b>{why}{link}</p>'
        return (f'<article class="finding {esc(v.severity)}" id="{fid}" data-rule="{esc(v.rule)}" '
                f'data-severity="{esc(v.severity)}" data-path="{esc(v.path)}" data-line="{v.line}">'
                f'<header><span class="sev {esc(v.severity)}">{esc(t(self.summary, v.severity))}</span> {rule} '
                f'<span class="code">{esc(v.code)}</span> <a class="where" href="#{fid}">{where}</a></header>'
                f'<p class="msg">{prose_html(v.message)}</p>'
                f"{source_html(v, ft.lines if ft is not None else None)}{fix_html(v, ft, self.summary)}{doc}</article>")

    def header_html(self) -> str:
        from .text import summary_text

        s = self.summary
        total = self.findings
        line = summary_text(s, total, self.fixable, self.unsafe) if s.files else t(
            s, "{files} checked, {findings}", files=_plural(self.checked, "file", s), findings=_plural(total, "finding", s))
        notes = "".join(f"<li>{prose_html(n)}</li>" for n in text_notes(s))
        cards = ""
        for sev in SEVERITIES:
            n = self.by_severity.get(sev, 0)
            count = esc(_plural(n, sev, s)).replace(" ", "</b> ", 1)
            cards += f'<div class="card {sev}{"" if n else " zero"}"><b>{count}</div>'
        cards += ('<div class="card files">' + t(s, "<b>{n}</b> of {files} with findings", n=self.with_findings,
                                                  files=_plural(self.checked, "file", s)) + "</div>")
        out = [f'<header class="top"><h1>{t(s, TITLE)}</h1><p class="line">{esc(line)}</p>',
               f'<ul class="notes">{notes}</ul>' if notes else "", f'<div class="cards">{cards}</div></header>']
        if self.by_rule:
            out.append(self.rules_html())
            out.append(self.filters_html())
        else:
            out.append(f'<p class="clean">{t(s, "No findings.")}</p>')
        return "".join(out)

    def rules_html(self) -> str:
        ranked = sorted(self.by_rule.items(), key=lambda kv: (-sum(kv[1].values()), kv[0]))
        top = max(sum(c.values()) for _r, c in ranked)
        rows = []
        for name, per in ranked:
            info = self.info(name)
            n = sum(per.values())
            sev = max(per, key=lambda s: (per[s], -SEVERITIES.index(s) if s in SEVERITIES else -9))
            rule = f'<a href="{esc(info["url"])}">{esc(name)}</a>' if info["url"] else esc(name)
            rows.append(f'<tr><td class="rn">{rule} <span class="code">{esc(info["code"])}</span></td>'
                        f'<td><span class="sev {esc(sev)}">{esc(t(self.summary, sev))}</span></td><td class="num">{n}</td>'
                        f'<td class="bar"><span class="{esc(sev)}" style="width:{max(2, round(100 * n / top))}%">'
                        f'</span></td><td>{prose_html(info["summary"])}</td></tr>')
        s = self.summary
        return (f'<section class="rules"><h2>{t(s, "Findings by rule")}</h2><table><thead><tr><th>{t(s, "Rule")}</th>'
                f'<th>{t(s, "Severity")}</th><th class="num">{t(s, "Findings")}</th><th></th>'
                f'<th>{t(s, "What it finds")}</th></tr></thead><tbody>' + "".join(rows) + "</tbody></table></section>")

    def filters_html(self) -> str:
        s = self.summary
        sev = "".join(f'<option value="{v}">{t(s, v)}</option>' for v in SEVERITIES if self.by_severity.get(v))
        rules = "".join(f'<option value="{esc(r)}">{esc(r)}</option>' for r in sorted(self.by_rule))
        every = t(s, "all")
        # The script counts what the filters show with these two phrases ({n} and {total} filled in).
        counts = "" if s.lang == "en" else (f' data-all="{esc(t(s, "{total} findings", total="{total}"))}" '
                                            f'data-some="{esc(t(s, "{n} of {total} findings shown", n="{n}", total="{total}"))}"')
        return (f'<form id="filters" class="filters" hidden><label>{t(s, "Severity")} <select name="severity">'
                f'<option value="">{every}</option>{sev}</select></label><label>{t(s, "Rule")} <select name="rule">'
                f'<option value="">{every}</option>{rules}</select></label><label>{t(s, "File")} <input name="path" '
                f'type="search" placeholder="{esc(t(s, "part of the path"))}"></label><output id="shown"{counts}></output></form>')

    def end(self) -> None:
        self.out.write(
            f'<!DOCTYPE html>\n<html lang="{esc(self.summary.lang)}"><head><meta charset="utf-8">\n'
            f'<meta http-equiv="Content-Security-Policy" content="{CSP}">\n'
            '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
            '<link rel="icon" href="data:,">\n'
            f"<title>{t(self.summary, TITLE)}</title>\n<style>{PAGE_CSS}</style>\n</head>\n<body>\n"
            + self.header_html() + '\n<main class="files">\n')
        copy_spool(self.body, self.out)
        # The version is an attribute the footer shows (CSS): tests normalise quoted versions.
        self.out.write(f'</main>\n<footer>newslint <span class="version" data-version="{esc(__version__)}"></span>'
                       '</footer>\n'
                       f"<script>{PAGE_JS}</script>\n</body></html>\n")
