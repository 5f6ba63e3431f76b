from __future__ import annotations

from ..model import Finding
from ..ruleapi import Rule
from .front_text import compare_key, front_string


def similarity(a: str, b: str, threshold: float) -> float | None:
    """The similarity ratio of ``a`` and ``b`` when it reaches ``threshold``, else None."""
    if not a or not b or 2 * min(len(a), len(b)) / (len(a) + len(b)) < threshold:
        return None  # the ratio cannot reach the threshold: lengths too far apart
    from difflib import SequenceMatcher  # only for texts of near lengths

    m = SequenceMatcher(None, a, b, autojunk=False)
    if m.quick_ratio() < threshold:
        return None
    ratio = m.ratio()
    return ratio if ratio >= threshold else None


def threshold_option(options, default: float) -> float:
    try:
        return min(1.0, max(0.0, float(options.get("threshold", default))))
    except (TypeError, ValueError):
        return default


def present_keys(options, default: tuple[str, ...], data: dict) -> list[str]:
    """The ``keys`` option (one key, or a list of them) as strings, those
    that ``data`` holds, in order (most posts hold none of them)."""
    keys = options.get("keys", default)
    if isinstance(keys, str):
        return [keys] if keys in data else []
    out = []
    for key in keys or ():
        key = str(key)
        if key in data:
            out.append(key)
    return out


class ExcerptRepeatsTitle(Rule):
    """An `excerpt` (or `description`) that only repeats the `title`.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Compares each of the front-matter keys `keys` (by default `excerpt` and
    `description`) with `title`, as readers see them: tags, Markdown marks,
    punctuation, case and spacing do not count. Reports the key when it says
    the same as the title: identical, or nearly so (a similarity ratio of at
    least `threshold`).

    ## Why is this bad?
    Themes print the excerpt right under the title, and lists of posts show
    the two together: the reader gets the same line twice and learns nothing
    from the second. Search engines use the excerpt or description as the
    snippet under the title, so the result repeats itself too. Importers from
    Tistory and other blogs often fill `excerpt` with the title when the
    original post had no summary.

    ## Example
    ```yaml
    title: 디지털 트윈 부산시 시범구역 조성 사업 선정!
    excerpt: 디지털 트윈 부산시 시범구역 조성 사업 선정
    ```

    ## Use instead
    ```yaml
    title: 디지털 트윈 부산시 시범구역 조성 사업 선정!
    excerpt: 부산시가 2026년까지 디지털 트윈으로 시민 안전 서비스를 개발합니다.
    ```
    Or drop the key, so the theme falls back to its default.

    ## Options
    - `threshold` (default 0.9): the similarity ratio from which two texts count as the same.
    - `keys` (default `["excerpt", "description"]`): the keys compared with `title`.
    """

    name = "excerpt-repeats-title"
    code = "NL108"
    severity = "warning"
    tags = ("front-matter",)
    options = {"threshold": 0.9, "keys": ["excerpt", "description"]}

    def check(self, doc, options):
        out: list[Finding] = []
        fm = doc.front_matter
        if fm is None or not fm.ok:
            return out
        keys = present_keys(options, ("excerpt", "description"), fm.data)
        if not keys:
            return out  # most posts have no excerpt: nothing to compare
        title = front_string(doc, "title")
        if title is None:
            return out
        base = compare_key(title[0])
        if not base:
            return out
        threshold = threshold_option(options, 0.9)
        for key in keys:
            found = front_string(doc, key)
            if found is None:
                continue
            value, start, end = found
            cand = compare_key(value)
            if cand == base:
                how = "repeats"
            else:
                ratio = similarity(base, cand, threshold)
                if ratio is None:
                    continue
                how = f"nearly repeats ({ratio:.0%} the same)"
            out.append(Finding(start, end, f"`{key}` {how} the `title`: readers see the same line twice; "
                                           "say what the post adds, or drop the key"))
        return out
