from __future__ import annotations

import re
from html import unescape

from ..model import Edit, Finding, Fix
from ..ruleapi import Rule

_TAGS = re.compile(r"<[^>]*>")
_MD = re.compile(r"[*_`~#>\[\]()!]")
_WS = re.compile(r"\s+")


def normalise(text: str) -> str:
    text = unescape(_TAGS.sub(" ", text))
    text = _MD.sub(" ", text)
    return _WS.sub(" ", text).strip().casefold()


class ExcerptDuplicatesFeatureText(Rule):
    """An `excerpt` repeated as `feature_text` (or `description`).

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Compares `excerpt` with `feature_text` and with `description` after
    normalising whitespace, markup and case, and reports the second key when
    the two say the same thing: identical, or nearly identical (a similarity
    ratio of at least `threshold`).

    ## Why is this bad?
    Themes such as Alembic print the excerpt under the title and the feature
    text over the hero image: the reader gets the same paragraph twice, and
    search engines see duplicated text.

    ## Example
    ```yaml
    excerpt: >
      부산시가 디지털 트윈 시범구역 조성 사업에 선정되었습니다.
    feature_text: >
      부산시가 디지털 트윈 시범구역 조성 사업에 선정되었습니다.
    ```

    ## Use instead
    Keep the excerpt and write a feature text of its own, or drop the
    `feature_text` key.

    ## Fix safety
    The fix removes the duplicated `feature_text` (or `description`) key. It
    is unsafe: the theme may rely on the key being present.

    ## Options
    - `threshold` (default 0.9): the similarity ratio from which two texts count as duplicates.
    - `keys` (default `["feature_text", "description"]`): the keys compared with `excerpt`.
    """

    name = "excerpt-duplicates-feature-text"
    code = "NL106"
    severity = "warning"
    fix = "unsafe"
    options = {"threshold": 0.9, "keys": ["feature_text", "description"]}

    def check(self, doc, options):
        out: list[Finding] = []
        fm = doc.front_matter
        if fm is None or not fm.ok or fm.node is None:
            return out
        excerpt = fm.data.get("excerpt")
        if not isinstance(excerpt, str) or not excerpt.strip():
            return out
        base = normalise(excerpt)
        threshold = float(options.get("threshold", 0.9))
        for key in options.get("keys", ()):
            other = fm.data.get(key)
            if not isinstance(other, str) or not other.strip():
                continue
            cand = normalise(other)
            if cand == base:
                how = "repeats"
            else:
                from difflib import SequenceMatcher  # only for near-duplicates

                ratio = SequenceMatcher(None, base, cand, autojunk=False).ratio()
                if ratio < threshold:
                    continue
                how = f"nearly repeats ({ratio:.0%} the same)"
            pair = fm.key_node(key)
            if pair is None:
                continue
            k, v = pair
            start = fm.mark_offset(k.start_mark)
            out.append(Finding(start, start + len(key), f"`{key}` {how} `excerpt`: readers see the same text twice",
                               fix=_remove_key(doc, fm, k, v, key)))
        return out


def _remove_key(doc, fm, k, v, key):
    line_start = doc.line_starts[doc.line_of(fm.mark_offset(k.start_mark))]
    if doc.text[line_start:fm.mark_offset(k.start_mark)].strip():
        return None  # the key does not start its own line (flow mapping): no fix
    end = fm.mark_offset(v.end_mark)
    # Extend to the end of the value's last line, newline included.
    if end == 0 or doc.text[end - 1] != "\n":
        nl = doc.text.find("\n", end)
        end = fm.content_end if nl == -1 else min(nl + 1, fm.content_end)
    return Fix.unsafe(f"remove `{key}`", Edit.delete(line_start, end))
