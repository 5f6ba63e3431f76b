from __future__ import annotations

import re
from bisect import bisect_right
from html import unescape

from ..model import Finding
from ..ruleapi import Rule

_BOLD_TAGS = ("b", "strong")
# Text in these is not running prose: headings and table cells are often bold
# by design, code and scripts are not read as text.
_SKIP_TAGS = ("h1", "h2", "h3", "h4", "h5", "h6", "table", "pre", "code", "script", "style", "template",
              "svg", "figcaption", "button", "nav")
# Linear on hostile input: a comment is bounded, a tag never spans another "<".
_TAG_OR_COMMENT = re.compile(r"<!--.{0,4000}?-->|<[^<>]*>", re.S)
_BOLD_WEIGHT = re.compile(r"font-weight\s*:\s*(?:bold(?:er)?|[6-9]00)\b", re.I)
_MD_SKIP_CONTEXTS = ("image", "heading", "table")
# Where a block starts, looking back from a bold span on its line, and where
# it ends, looking forward.
_BLOCK_START = re.compile(r"<(?:/?(?:p|li|div|ul|ol|td|th|dd|dt|blockquote|h[1-6])\b[^<>]*|br\b[^<>]*)>", re.I)
_BLOCK_END = re.compile(r"</(?:p|li|div|td|th|dd|dt|blockquote)>|<(?:p|li|div|ul|ol|table|h[1-6])\b"
                        r"|\n[ \t>]*\n|\n[ \t]*(?:[-*+]|\d+[.)])[ \t]", re.I)
_WINDOW = 400
_LEAD_MARKER = re.compile(r"(?:[-*+]|\d+[.)]|>)?")
_WORD = re.compile(r"\w")
# A paragraph shorter than this (visible characters), bold throughout, reads as a heading.
_MIN_PARAGRAPH = 20


def _spans_union(spans: list[tuple[int, int]]) -> tuple[list[int], list[int]]:
    """Sorted, merged spans as (starts, ends) for bisection."""
    starts: list[int] = []
    ends: list[int] = []
    for s, e in sorted(spans):
        if ends and s <= ends[-1]:
            ends[-1] = max(ends[-1], e)
        else:
            starts.append(s)
            ends.append(e)
    return starts, ends


def block_context(text: str, start: int, end: int, next_bold: int | None = None) -> tuple[bool, bool]:
    """For the bold span ``[start, end)``: (is it the first thing in its block
    (a paragraph, a list item, a line after ``<br>``), is there more of the
    block's text after it, before the next bold span at ``next_bold``)."""
    # Windows of a few hundred characters: a line of 20,000 bold paragraphs
    # must not be read again for each one. Markup longer than that before a
    # bold span (a long link) makes it count as inside its block.
    line_start = text.rfind("\n", max(0, start - _WINDOW), start) + 1
    before = text[max(line_start, start - _WINDOW):start]
    last = None
    for last in _BLOCK_START.finditer(before):
        pass
    if last is not None:
        before = before[last.end():]
    if "<" in before:
        before = _TAG_OR_COMMENT.sub("", before)
    if not _LEAD_MARKER.fullmatch(before.strip()):
        return False, True
    after = text[end:min(end + _WINDOW, len(text) if next_bold is None else next_bold)]
    m = _BLOCK_END.search(after)
    if m is not None:
        after = after[:m.start()]
    if "<" in after:
        after = _TAG_OR_COMMENT.sub("", after)
    return True, _WORD.search(after) is not None


def is_lead_in(text: str, start: int, end: int) -> bool:
    """Is the bold span a run-in label: first in its block, with more of the
    block's text after it, as in ``**Date:** 5 March`` or a bold entry title?"""
    first, more = block_context(text, start, end)
    return first and more


def _inside(starts: list[int], ends: list[int], pos: int) -> bool:
    i = bisect_right(starts, pos) - 1
    return i >= 0 and pos < ends[i]


def _weight(text: str) -> int:
    """Characters a reader sees in ``text``: entities decoded, whitespace not counted."""
    if "&" in text:
        text = unescape(text)
    return len("".join(text.split()))


def _untagged(text: str) -> str:
    """``text`` without its tags and comments (each starts with "<": most bold spans have none)."""
    return _TAG_OR_COMMENT.sub("", text) if "<" in text else text


def text_runs(doc) -> list[tuple[int, int, int]]:
    """(start, end, weight) of every run of prose text in the body, Markdown
    and HTML, in document order; image alt text, headings and tables left out."""
    text = doc.text
    runs: list[tuple[int, int, int]] = []
    if doc.kind == "markdown":
        for t in doc.markdown.texts:
            if t.context not in _MD_SKIP_CONTEXTS:
                w = _weight(t.text)
                if w:
                    runs.append((t.start, t.end, w))
        html_spans = doc.markdown.html
    else:
        html_spans = [(doc.body_start, len(text))]
    for s, e in html_spans:
        chunk = text[s:e]
        if "<" not in chunk:  # a line of text inside an HTML block
            w = _weight(chunk)
            if w:
                runs.append((s, e, w))
            continue
        pos = 0
        for m in _TAG_OR_COMMENT.finditer(chunk):
            if m.start() > pos:
                w = _weight(chunk[pos:m.start()])
                if w:
                    runs.append((s + pos, s + m.start(), w))
            pos = m.end()
        if pos < len(chunk):
            w = _weight(chunk[pos:])
            if w:
                runs.append((s + pos, e, w))
    runs.sort()
    return runs


class EmphasisOveruse(Rule):
    """Bold on so much of the text that nothing stands out.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Measures how much of the post's running text is bold: `**bold**` or
    `__bold__` in Markdown, `<b>`, `<strong>` and inline `font-weight` of 600
    and up in HTML. Headings, tables, code and image alt text do not count,
    neither as text nor as bold: they are bold or set apart by design. Reports
    the post, at its first bold span, when:

    - bold covers more than `max_share` of the text (at least `min_chars`
      visible characters of it), or
    - `max_bold_paragraphs` or more paragraphs in a row are bold from start
      to end.

    Bold that works as a heading is not emphasis, and is not counted:

    - a run-in label, bold at the start of a paragraph, list item or line
      with more of the block after it (`**Date:** 5 March`, a bold talk title
      followed by its speaker), counts as plain text;
    - a bold line alone in its block and shorter than 20 visible characters
      (`**com.example.di01**`) reads as a heading: it is left out like one,
      and it ends a run of bold paragraphs, as does anything visible between
      two paragraphs (a list, a code block);
    - an element never closed (`<pre>` without `</pre>`) is a typo, not a
      code region: the text after it still counts.

    Without these, conference listings and release notes, which bold every
    entry's title or label, would be reported although their bold works as
    headings do.

    One finding per post: both conditions are one cause, and the message
    names both when both hold.

    ## Why is this bad?
    Emphasis works by contrast. A reader skimming a news post reads the bold
    words first; when half the text is bold, the skim is half the post and
    the few points that mattered are lost among the rest. Editors that paste
    from CMS templates (Tistory "highlight" styles, AI-written drafts) often
    bold a sentence in every paragraph. The default share, 25%, is about one
    sentence in four: well past the "a few key words per paragraph" that
    style guides recommend, so a post reported at that level has lost its
    contrast, and posts that bold a key phrase or two per paragraph pass.

    ## Example
    ```html
    <p>부산시가 <b>디지털 트윈 시범구역 조성사업</b>에 선정되었습니다.
    <b>디지털 트윈 기술을 활용한 도시 문제 해결 방안이 마련되었습니다.</b></p>
    <p><b>시는 3년 동안 사업을 추진합니다.</b> <b>국비 47억원이 투입됩니다.</b></p>
    ```

    ## Use instead
    ```html
    <p>부산시가 디지털 트윈 시범구역 조성사업에 선정되었습니다. 디지털 트윈
    기술을 활용한 도시 문제 해결 방안이 마련되었습니다.</p>
    <p>시는 3년 동안 사업을 추진합니다. <b>국비 47억원</b>이 투입됩니다.</p>
    ```

    ## Options
    - `max_share` (default 0.25): the largest share of bold text, from 0 to 1.
    - `min_chars` (default 200): the shortest text, in visible characters, whose share is judged.
    - `max_bold_paragraphs` (default 3): this many paragraphs in a row, bold throughout, are reported.
    """

    name = "emphasis-overuse"
    code = "NL511"
    severity = "info"
    tags = ("editor", "style")
    options = {"max_share": 0.25, "min_chars": 200, "max_bold_paragraphs": 3}

    def check(self, doc, options):
        out: list[Finding] = []
        text = doc.text
        bold: list[tuple[int, int]] = doc.markdown.strong  # a new list, empty for .html posts
        has_html = bool(doc.html.elements)
        if not bold and not has_html:
            return out
        tree = doc.html
        if has_html:
            for el in tree.find_all(*_BOLD_TAGS):
                bold.append((el.start_end, el.inner_end))
            if "font-weight" in text:
                for el in tree.elements:
                    style = el.get("style")
                    if style and _BOLD_WEIGHT.search(style):
                        bold.append((el.start_end, el.inner_end))
        if not bold:
            return out
        b_starts, b_ends = _spans_union(bold)
        max_share = _number(options, "max_share", 0.25)
        min_chars = int(_number(options, "min_chars", 200))
        need_run = max(2, int(_number(options, "max_bold_paragraphs", 3)))
        # Cheap bounds first, from the bold spans alone: the exact count below
        # reads every text run of the post, and most posts with some bold are
        # nowhere near either limit.
        labels: list[tuple[int, int]] = []
        headings: list[tuple[int, int]] = []
        spans = _join_within_blocks(text, b_starts, b_ends)
        weights = [_weight(_untagged(text[bs:be])) for bs, be in spans]
        bold_upper = sum(weights)
        # An element never closed is a typo, not a region: skipping it would
        # hide the rest of the post (and a fix elsewhere that closes it would
        # bring the text back).
        skipped = [(el.start, el.end) for el in tree.find_all(*_SKIP_TAGS) if el.end_tag_start >= 0] if has_html else []
        # Only a long span first in its block continues a run of bold
        # paragraphs (any other span ends it): fewer long spans in a row than
        # a run needs, and no run is possible.
        longest = streak = 0
        for w in weights:
            streak = streak + 1 if w >= _MIN_PARAGRAPH else 0
            if streak > longest:
                longest = streak
        prose: list[int] = []  # the bound _within_share counted, when it counted all of it
        if longest < need_run and _within_share(doc, bold_upper, max_share, min_chars, skipped, prose):
            # No run, and too little bold for the share even counting every
            # span: placing each span changes neither.
            return out
        # Bold spans that are whole blocks, in a row: paragraphs that may be
        # bold throughout, one after another (a bound for the exact test).
        streak = best_streak = 0
        for i, (bs, be) in enumerate(spans):
            weight = weights[i]
            first, more = block_context(text, bs, be, spans[i + 1][0] if i + 1 < len(spans) else None)
            if first and more:
                labels.append((bs, be))  # run-in labels count as text: they work as headings
                if not has_html:
                    # Nor are they bold to the share. Without HTML no element
                    # is skipped, so the paragraphs the bound reads are all
                    # counted text (short bold lines aside, which stay in
                    # bold_upper and so outweigh them): the bound still holds.
                    bold_upper -= weight
            elif first and weight >= _MIN_PARAGRAPH:
                joined = streak and not _visible_between(text, spans[i - 1][1], bs)
                streak = streak + 1 if joined else 1
                best_streak = max(best_streak, streak)
                continue
            elif first:
                headings.append((bs, be))  # a short bold line alone reads as a heading
            streak = 0
        maybe_run = best_streak >= need_run
        if not maybe_run and (bold_upper <= max_share * max(min_chars, prose[0]) if prose
                              else _within_share(doc, bold_upper, max_share, min_chars, skipped, prose)):
            return out
        skip = skipped + headings
        s_starts, s_ends = _spans_union(skip)
        l_starts, l_ends = _spans_union(labels)
        runs = [r for r in text_runs(doc) if not _inside(s_starts, s_ends, r[0])]
        total = sum(w for _, _, w in runs)
        bold_runs = [r for r in runs if _inside(b_starts, b_ends, r[0]) and not _inside(l_starts, l_ends, r[0])]
        if not any(_inside(b_starts, b_ends, r[0]) for r in runs):
            return out
        bold_total = sum(w for _, _, w in bold_runs)
        share = bold_total / total if total else 0.0
        over_share = total >= min_chars and share > max_share
        run = (_bold_paragraph_run(doc, _paragraphs(doc, has_html), runs, b_starts, b_ends, need_run)
               if maybe_run else None)
        if not over_share and run is None:
            return out
        parts = []
        if over_share:
            assert bold_runs
            shown = f"{share:.0%}" if f"{share:.0%}" != f"{max_share:.0%}" else f"{share:.1%}"
            parts.append(f"bold covers {shown} of the post's text (over {max_share:.0%})")
        if run is not None:
            count, first, last = run[:3]
            parts.append(f"{count} paragraphs in a row (lines {first}-{last}) are bold from start to end")
        if over_share:
            i = bisect_right(b_starts, bold_runs[0][0]) - 1
            start, end = b_starts[i], b_ends[i]
        else:
            start, end = run[3], run[4]
        out.append(Finding(start, end, " and ".join(parts) + ": when so much is bold, nothing stands out; keep bold "
                                                              "for the few words a skimming reader must not miss"))
        return out


def _number(options, key: str, default: float) -> float:
    try:
        return float(options.get(key, default))
    except (TypeError, ValueError):
        return default


def _paragraphs(doc, has_html: bool) -> list[tuple[int, int]]:
    """(start, end) of the Markdown paragraphs and HTML ``<p>``, sorted."""
    paras = [(p.start, p.end) for p in doc.markdown.paragraphs]
    if has_html:
        paras.extend((el.start, el.end) for el in doc.html.find_all("p"))
    paras.sort()
    return paras


class _Covered(Exception):
    """The prose counted so far is enough: the rest need not be read."""


def _within_share(doc, bold_upper: int, max_share: float, min_chars: int,
                  skipped: list[tuple[int, int]], counted: list[int]) -> bool:
    """``bold_upper <= max_share * max(min_chars, prose)``, where prose is a
    bound below the post's counted text: the text of its plain Markdown
    paragraphs (no headings, tables, code, links or images), but for those
    inside the HTML elements whose text is not counted (``skipped``: a
    Markdown paragraph between `<table>` and `</table>`). With a positive
    share the paragraphs are read only when ``min_chars`` does not settle
    it, and only until one does; then, if that is not enough, the text of
    the HTML and of the other paragraphs (see ``_more_prose``). When all of
    it was read, its sum is added to ``counted``: a smaller ``bold_upper``
    is then judged without reading it again."""
    total = 0
    early = max_share > 0  # max_share * x then grows with x: either side of the max may settle it
    if early and bold_upper <= max_share * min_chars:
        return True

    def count(text: str) -> bool:
        nonlocal total
        total += _weight(text)
        if early and bold_upper <= max_share * total:
            raise _Covered
        return False  # counted, not kept: no paragraph object is made

    try:
        starts: list[int] = []
        ends: list[int] = []
        if skipped:
            starts, ends = _spans_union(skipped)
            for para in doc.markdown.iter_paragraphs():
                if para.plain and not _inside(starts, ends, para.start):
                    count(para.text)
        else:
            doc.markdown.plain_paragraphs(keep=count)
        if early and doc.kind == "markdown":
            _more_prose(doc, starts, ends, count)
    except _Covered:
        return True
    counted.append(total)
    return bold_upper <= max_share * max(min_chars, total)


def _overlaps(starts: list[int], ends: list[int], start: int, end: int) -> bool:
    """Does ``[start, end)`` meet one of the merged spans?"""
    i = bisect_right(starts, start) - 1
    return (i >= 0 and start < ends[i]) or (i + 1 < len(starts) and starts[i + 1] < end)


def _more_prose(doc, starts: list[int], ends: list[int], count) -> None:
    """Pass ``count`` more of the counted text of a Markdown post, none of it
    twice nor anything the plain paragraphs gave: each HTML span of the body
    and each other paragraph that meets no skipped element (``starts``,
    ``ends``), a paragraph only without an image (alt text is not counted).
    Each is a sum of the runs ``text_runs`` reads there: an HTML span's text
    without its tags is their concatenation (weighed run by run when an
    entity may join two), a paragraph's text is its text events' (links are
    counted, code spans and inline HTML are not in it)."""
    text = doc.text
    md = doc.markdown
    for s, e in md.html:
        if starts and _overlaps(starts, ends, s, e):
            continue
        chunk = text[s:e]
        if "&" not in chunk:
            count(_untagged(chunk))
            continue
        pos = 0
        for m in _TAG_OR_COMMENT.finditer(chunk):
            if m.start() > pos:
                count(chunk[pos:m.start()])
            pos = m.end()
        if pos < len(chunk):
            count(chunk[pos:])
    images = sorted(im.start for im in md.images)
    for para in md.iter_paragraphs():
        if para.plain or (starts and _overlaps(starts, ends, para.start, para.end)):
            continue
        if images:
            i = bisect_right(images, para.start - 1)
            if i < len(images) and images[i] < para.end:
                continue
        count(para.text)


def _bold_paragraph_run(doc, paras, runs, b_starts, b_ends, need: int) -> tuple[int, int, int, int, int] | None:
    """(count, first line, last line, start, end) of the longest run of
    paragraphs bold from start to end with nothing but blank space between
    them, when it has ``need`` paragraphs or more. A short bold paragraph
    reads as a heading and ends a run."""
    text = doc.text
    starts = [r[0] for r in runs]
    best: tuple[int, int, int, int, int] | None = None
    count = 0
    first = prev_end = 0
    for p_start, p_end in paras:
        lo = bisect_right(starts, p_start - 1)
        hi = bisect_right(starts, p_end - 1)
        inside = runs[lo:hi]
        if not inside:
            continue  # a spacer or an image: neither breaks nor extends a run
        bold = (all(_inside(b_starts, b_ends, r[0]) for r in inside)
                and sum(r[2] for r in inside) >= _MIN_PARAGRAPH)
        if not bold:
            count = 0
            continue
        if count and _visible_between(text, prev_end, p_start):
            count = 0  # a list, a code block or text between: not in a row
        if count == 0:
            first = p_start
        count += 1
        prev_end = max(prev_end, p_end) if count > 1 else p_end
        if count >= need and (best is None or count > best[0]):
            best = (count, doc.line_of(first) + 1, doc.line_of(p_end - 1) + 1, first, p_end)
    return best


_BLOCK_BREAK = re.compile(_BLOCK_START.pattern + "|" + _BLOCK_END.pattern + r"|\n[ \t>]*\n", re.I)


def _join_within_blocks(text: str, starts: list[int], ends: list[int]) -> list[tuple[int, int]]:
    """The bold spans, neighbours joined when only markup or space and no
    block boundary lies between them (`**a** **b**` is one bold run)."""
    out: list[tuple[int, int]] = []
    for s, e in zip(starts, ends):
        if out and s - out[-1][1] <= _WINDOW:  # a gap too long to join is never copied
            gap = text[out[-1][1]:s]
            if not _visible_between(text, out[-1][1], s) and not _BLOCK_BREAK.search(gap):
                out[-1] = (out[-1][0], e)
                continue
        out.append((s, e))
    return out


def _visible_between(text: str, start: int, end: int) -> bool:
    gap = text[start:end]
    if "<" in gap:
        gap = _TAG_OR_COMMENT.sub("", gap)
    if "&" in gap:
        gap = unescape(gap)
    return bool(gap.strip(" \t\r\n\f\u00a0\u200b\ufeff"))
