from __future__ import annotations

from ..model import Finding
from ..ruleapi import Rule
from .excerpt_repeats_title import present_keys, similarity, threshold_option
from .front_text import compare_key, front_string


def first_paragraph(doc) -> tuple[int, int, str] | None:
    """(start, end, text) of the body's first paragraph with visible text:
    a Markdown paragraph or an HTML ``<p>``, whichever comes first."""
    best: tuple[int, int, str] | None = None
    text = doc.text
    for para in doc.markdown.iter_paragraphs():
        if _key(text[para.start:para.end]):
            best = (para.start, para.end, text[para.start:para.end])
            break
    if text.find("<", doc.body_start) != -1:
        for el in doc.html.find_all("p"):
            if best is not None and el.start > best[0]:
                break
            inner = el.inner_html()
            if _key(inner):
                best = (el.start, el.end, inner)
                break
    return best


def _key(text: str) -> str:
    """``compare_key`` without spaces: a folded YAML line or a line break in
    the paragraph does not make two copies differ."""
    return compare_key(text).replace(" ", "")


class ExcerptRepeatsFirstParagraph(Rule):
    """An `excerpt` that is the post's first paragraph again.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Compares each of the front-matter keys `keys` (by default `excerpt`) with
    the body's first paragraph that has text, a Markdown paragraph or an HTML
    `<p>`, as readers see them: tags, Markdown marks, punctuation, case and
    spacing do not count. Reports the key when the paragraph starts with the
    excerpt (an excerpt cut short with "..." counts), or when the two are
    nearly the same (a similarity ratio of at least `threshold`).

    This matters for themes that print the excerpt above the body (a lead or
    standfirst under the title, as Alembic and many news themes do). A site
    whose theme shows the excerpt only in lists and feeds can turn the rule
    off: such sites often write the excerpt as the post's opening on purpose
    and show it in lists and feeds only, where every finding is a correct
    match that does no harm.

    ## Why is this bad?
    The reader gets the opening of the story twice in a row, once as the lead
    and once as the first paragraph. An excerpt should sum the story up, not
    copy its first lines.

    ## Example
    ```markdown
    ---
    excerpt: 부산시가 디지털 트윈 시범구역 조성 사업에 선정되었습니다.
    ---
    부산시가 디지털 트윈 시범구역 조성 사업에 선정되었습니다. 사업은 2026년까지...
    ```

    ## Use instead
    ```markdown
    ---
    excerpt: 부산시가 2026년까지 디지털 트윈으로 시민 안전 서비스를 개발합니다.
    ---
    부산시가 디지털 트윈 시범구역 조성 사업에 선정되었습니다. 사업은 2026년까지...
    ```

    ## Options
    - `threshold` (default 0.9): the similarity ratio from which two texts count as the same.
    - `keys` (default `["excerpt"]`): the keys compared with the first paragraph.
    """

    name = "excerpt-repeats-first-paragraph"
    code = "NL109"
    severity = "info"
    tags = ("front-matter",)
    options = {"threshold": 0.9, "keys": ["excerpt"]}

    def check(self, doc, options):
        out: list[Finding] = []
        fm = doc.front_matter
        if fm is None or not fm.ok:
            return out
        excerpts = []
        for key in present_keys(options, ("excerpt",), fm.data):  # an absent key has no string
            found = front_string(doc, key)
            if found is not None:
                excerpts.append((*found, key))
        if not excerpts:
            return out
        para = first_paragraph(doc)
        if para is None:
            return out
        body = _key(para[2])
        threshold = threshold_option(options, 0.9)
        for value, start, end, key in excerpts:
            cand = _key(value)
            if not cand:
                continue
            if body.startswith(cand):
                how = "repeats" if len(cand) == len(body) else "repeats the opening of"
            else:
                ratio = similarity(cand, body, threshold)
                if ratio is None:
                    continue
                how = f"nearly repeats ({ratio:.0%} the same)"
            line = doc.line_of(para[0]) + 1
            out.append(Finding(start, end, f"`{key}` {how} the first paragraph (line {line}): a theme that prints "
                                           "the excerpt above the body shows it twice; sum the story up instead"))
        return out
