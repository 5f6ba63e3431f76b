from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import lru_cache

import yaml

from .. import policy_data
from ..model import Edit, Finding, Fix
from ..ruleapi import Rule

# rel is a set of space-separated tokens, and "space" means ASCII whitespace only:
# U+00A0 (what `&nbsp;` decodes to) does NOT separate tokens. str.split() would.
_ASCII_WS = re.compile(r"[ \t\n\f\r]+")
# What authors and editors put between tokens by mistake.
_GLUE = re.compile(r"[\xa0,;]+")
# A non-breaking space written between two attributes (`target="_blank"&nbsp;rel="noopener"`,
# as the Tistory editor does): the tokenizer reads it as the start of the next
# attribute's name, so the link has an attribute `&nbsp;rel` and no `rel`.
_NAME_GLUE = re.compile(r"(?:&nbsp;|&#0*160;|&#x0*a0;)+", re.I)
_TEMPLATE = ("{{", "{%")
# Characters we do not write back into an attribute value without escaping.
_UNSAFE_IN_VALUE = frozenset("\"'<>&")


@dataclass(frozen=True)
class RelRegistry:
    allowed: frozenset[str]
    prefixes: tuple[str, ...]
    mistakes: dict[str, str]
    suggestable: tuple[str, ...]


@lru_cache(maxsize=1)
def registry() -> RelRegistry:
    """The link types of ``rules/link-rel.yaml`` (shipped as ``newslint.policy``)."""
    text = policy_data.read_text("link-rel.yaml")
    data = yaml.safe_load(text) or {}
    allowed: set[str] = set()
    for key in ("html", "search-engines", "microformats"):
        allowed.update(str(t).lower() for t in data.get(key) or ())
    prefixes = tuple(str(p).lower() for p in data.get("prefixes") or ())
    mistakes = {str(k).lower(): str(v) for k, v in (data.get("mistakes") or {}).items()}
    # Suggestions come from the common HTML and search-engine tokens only, so a
    # typo of `noopener` is never "corrected" to an obscure microformats value.
    common = {str(t).lower() for key in ("html", "search-engines") for t in data.get(key) or ()}
    return RelRegistry(frozenset(allowed), prefixes, mistakes, tuple(sorted(common)))


def rel_tokens(value: str) -> list[str]:
    """The tokens of a rel value, split on ASCII whitespace as browsers do."""
    return [t for t in _ASCII_WS.split(value) if t]


def is_template(value: str) -> bool:
    return any(m in value for m in _TEMPLATE)


def has_opener_guard(value: str | None) -> bool:
    """True when a rel value (as browsers split it) holds noopener or noreferrer."""
    if not value:
        return False
    return any(t.lower() in ("noopener", "noreferrer") for t in rel_tokens(value))


def is_glued(value: str | None) -> bool:
    """True when the value holds tokens glued by a non-breaking space or a comma."""
    if not value:
        return False
    reg = registry()
    for tok in rel_tokens(value):
        if not _valid(tok.lower(), reg, frozenset()) and _GLUE.search(tok):
            return True
    return False


def glued_rel_attr(el) -> tuple[str, str] | None:
    """(name, value) of a `rel` glued to the attribute before it by a
    non-breaking space, when the element has no `rel` of its own."""
    found = None
    for name, value in el.attrs:
        if name == "rel":
            return None
        if found is None and name.endswith("rel") and name[0] == "&":
            m = _NAME_GLUE.match(name)
            if m is not None and m.end() == len(name) - 3:
                found = (name, value or "")
    return found


def meant_rel(el) -> tuple[str | None, bool]:
    """The `rel` value the author meant, and True when glue (a non-breaking
    space or a comma between the tokens, or before the attribute's name)
    keeps browsers from reading it so."""
    value = el.get("rel")
    if value is not None:
        return value, is_glued(value)
    glued = glued_rel_attr(el)
    if glued is not None:
        return glued[1], True
    return None, False


def guards_once_unglued(value: str) -> bool:
    """True when noopener or noreferrer is among the tokens once the glue is gone."""
    return any(t.lower() in ("noopener", "noreferrer") for t in analyse(value, frozenset()).tokens)


def _valid(tok: str, reg: RelRegistry, extra: frozenset[str]) -> bool:
    return tok in reg.allowed or tok in extra or tok.startswith(reg.prefixes)


@dataclass
class RelProblems:
    # Each glued token: (the raw token, its parts, "nbsp" | "comma" | "semicolon")
    glued: list[tuple[str, list[str], str]] = field(default_factory=list)
    invalid: list[str] = field(default_factory=list)  # as written
    tokens: list[str] = field(default_factory=list)  # after splitting glued tokens

    def __bool__(self) -> bool:
        return bool(self.glued or self.invalid)


def analyse(value: str, extra: frozenset[str]) -> RelProblems:
    reg = registry()
    out = RelProblems()
    for tok in rel_tokens(value):
        low = tok.lower()
        if _valid(low, reg, extra):
            out.tokens.append(tok)
            continue
        if _GLUE.search(tok):
            parts = [p for p in _GLUE.split(tok) if p]
            kind = "nbsp" if "\xa0" in tok else "comma" if "," in tok else "semicolon"
            out.glued.append((tok, parts, kind))
            for p in parts:
                out.tokens.append(p)
                if not _valid(p.lower(), reg, extra):
                    out.invalid.append(p)
            continue
        out.tokens.append(tok)
        out.invalid.append(tok)
    return out


def suggestion(token: str) -> str | None:
    """The valid token a typo is closest to (never for known mistakes such as `dofollow`)."""
    reg = registry()
    low = token.lower()
    if low in reg.mistakes:
        return None
    from difflib import get_close_matches  # only to word a typo

    close = get_close_matches(low, reg.suggestable, n=1, cutoff=0.75)
    return close[0] if close else None


def _describe_invalid(tokens: list[str]) -> list[str]:
    reg = registry()
    notes: list[str] = []
    unknown: list[str] = []
    for tok in tokens:
        low = tok.lower()
        if low in reg.mistakes:
            notes.append(f"invalid `rel` token `{tok}`: {reg.mistakes[low]}")
            continue
        close = suggestion(tok)
        if close:
            notes.append(f"invalid `rel` token `{tok}` (did you mean `{close}`?)")
        else:
            unknown.append(tok)
    if unknown:
        word = "token" if len(unknown) == 1 else "tokens"
        notes.append(f"unknown `rel` {word} {_and(unknown)}: not a link type of the HTML standard "
                     "or the microformats rel registry")
    return notes


def _and(items: list[str]) -> str:
    quoted = [f"`{i}`" for i in items]
    if len(quoted) <= 2:
        return " and ".join(quoted)
    return ", ".join(quoted[:-1]) + " and " + quoted[-1]


def _value_content(attr, doc, tokens: list[str]) -> str:
    joined = " ".join(tokens)
    quoted = attr.end == attr.value_end + 1 and doc.text[attr.value_end] in "\"'"
    return joined if quoted else f'"{joined}"'


class LinkRelInvalid(Rule):
    """A `rel` attribute with tokens that are not link types.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Checks every token of `rel` on `<a>`, `<area>` and `<link>` against the
    link types of the HTML standard and the microformats registry of rel
    values (the list lives in `rules/link-rel.yaml`). It reports, once per
    attribute:

    - made-up tokens such as `dofollow` or `follow`;
    - typos such as `noopenner`, with the closest valid token;
    - tokens glued together by a non-breaking space (`&nbsp;`), which the
      Tistory editor writes as `rel="noopener&nbsp;noreferrer"`, or by a comma;
    - a `rel` glued to the attribute before it by a non-breaking space
      (`target="_blank"&nbsp;rel="noopener"`): browsers read that attribute's
      name as `&nbsp;rel`, so the link has no `rel` at all.

    A link that opens a new tab and has `noopener` or `noreferrer` only
    behind such glue gets this one finding, not a second one from
    `link-target-blank-unsafe`: separating the tokens is what makes
    `noopener` work.

    Tokens are compared case-insensitively; values built by Liquid or Hugo
    templates (`{{ ... }}`, `{% ... %}`) are skipped.

    ## Why is this bad?
    Browsers and search engines ignore tokens they do not know: `dofollow`
    does nothing at all. Worse, `rel` is split on ASCII spaces only, so
    `noopener&nbsp;noreferrer` is a single unknown token: both `noopener` and
    `noreferrer` are switched off and the page opened with `target="_blank"`
    can reach back into yours.

    ## Example
    ```html
    <a href="https://example.com" rel="dofollow">example</a>
    <a href="https://example.com" target="_blank" rel="noopener&nbsp;noreferrer">example</a>
    <a href="https://example.com" target="_blank"&nbsp;rel="noopener">example</a>
    ```

    ## Use instead
    ```html
    <a href="https://example.com">example</a>
    <a href="https://example.com" target="_blank" rel="noopener noreferrer">example</a>
    <a href="https://example.com" target="_blank" rel="noopener">example</a>
    ```

    ## Fix safety
    Splitting glued tokens with a plain space, and putting a space in place of
    the non-breaking space before `rel`, is safe: it gives the tokens the
    meaning the author meant them to have. The fix for invalid tokens is
    unsafe: it replaces a typo with the token it is closest to (`noopenner`
    becomes `noopener`) and removes other invalid tokens, or the whole
    attribute when nothing valid remains; a script or plugin of the site may
    read the removed token, and a guessed correction may not be what the
    author meant.

    ## Options
    - `extra_allowed` (default `[]`): more tokens to accept, for example
      tokens a site's lightbox script reads.
    """

    name = "link-rel-invalid"
    code = "NL301"
    severity = "warning"
    fix = "sometimes"
    tags = ("links", "html")
    options = {"extra_allowed": []}

    def check(self, doc, options):
        out: list[Finding] = []
        tree = doc.html
        if not tree.elements:
            return out  # most posts
        elements = tree.find_all("a")
        if tree.find_all("area") or tree.find_all("link"):
            elements = tree.find_all("a", "area", "link")  # merged in document order
        if not elements:
            return out
        extra = frozenset(str(t).lower() for t in options.get("extra_allowed") or ())
        for el in elements:
            value = el.get("rel")
            if value is None:
                glued = glued_rel_attr(el)
                if glued is not None and not is_template(glued[1]):
                    found = _glued_name(doc, el, glued, extra)
                    if found is not None:
                        out.append(found)
                continue
            if not value or is_template(value):
                continue
            problems = analyse(value, extra)
            if not problems:
                continue
            attr = next((a for a in el.attr_spans() if a.name == "rel"), None)
            if attr is None:  # pragma: no cover - the parser saw it, so the raw tag has it
                continue
            out.append(Finding(attr.start, attr.end, _message(problems), fix=_fix(doc, attr, problems)))
        return out


def _glued_name(doc, el, glued: tuple[str, str], extra: frozenset[str]) -> Finding | None:
    name, value = glued
    attr = next((a for a in el.attr_spans() if a.name == name), None)
    m = _NAME_GLUE.match(doc.text, attr.start) if attr is not None else None
    if attr is None or m is None:  # pragma: no cover - the parser saw it, so the raw tag has it
        return None
    glue = m.group()
    message = (f"`rel` is glued to the attribute before it by a non-breaking space (`{glue}`): browsers read "
               f"the attribute's name as `{glue}rel`, so the link has no `rel` and none of its tokens applies")
    # No whitespace before the glue: it must become one, or `rel` runs into the previous value.
    edits = [Edit(m.start(), m.end(), "" if attr.ws_start < attr.start else " ")]
    what = "separate `rel` from the attribute before it"
    make = Fix.safe
    problems = analyse(value, extra) if value else RelProblems()
    if problems:
        message += "; " + _message(problems)
        more = _fix(doc, attr, problems)
        if more is None:
            return Finding(attr.start, attr.end, message)
        edits.extend(more.edits)
        what += "; " + more.message
        make = Fix.safe if more.applicability == "safe" else Fix.unsafe
    return Finding(attr.start, attr.end, message, fix=make(what, *edits))


def _message(p: RelProblems) -> str:
    parts: list[str] = []
    for _raw, toks, kind in p.glued:
        if len(toks) == 1:
            what = {"nbsp": "a non-breaking space (`&nbsp;`)", "comma": "a comma"}.get(kind, "a semicolon")
            parts.append(f"`rel` token `{toks[0]}` carries {what}: browsers read it as an unknown token, "
                         "so it does not apply")
            continue
        how = {"nbsp": "glued by a non-breaking space (`&nbsp;`)",
               "comma": "separated by a comma instead of a space"}.get(kind, "separated by a semicolon instead of a space")
        parts.append(f"`rel` tokens {_and(toks)} are {how}: browsers read them as one unknown token, "
                     "so none of them applies")
    if p.invalid:
        parts.extend(_describe_invalid(p.invalid))
    return "; ".join(parts)


def _fix(doc, attr, p: RelProblems) -> Fix | None:
    if any(c in _UNSAFE_IN_VALUE for t in p.tokens for c in t):
        return None
    if p.glued:
        return Fix.safe("separate the `rel` tokens with spaces", Edit(attr.value_start, attr.value_end, _value_content(attr, doc, p.tokens)))
    # A typo becomes the token it is close to; anything else is removed.
    replace = {t: suggestion(t) for t in p.invalid}
    keep: list[str] = []
    for t in p.tokens:
        if t not in replace:
            keep.append(t)
        elif replace[t] is not None and replace[t] not in (k.lower() for k in keep):
            keep.append(replace[t])
    keep = list(dict.fromkeys(keep))
    changes = [f"replace `{t}` with `{r}`" if r else f"remove `{t}`" for t, r in replace.items()]
    if keep:
        return Fix.unsafe("fix `rel`: " + ", ".join(changes),
                          Edit(attr.value_start, attr.value_end, _value_content(attr, doc, keep)))
    return Fix.unsafe("remove the `rel` attribute", Edit.delete(attr.ws_start, attr.end))
