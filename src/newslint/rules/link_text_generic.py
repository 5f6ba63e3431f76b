from __future__ import annotations

import re
from functools import lru_cache
from operator import attrgetter
from typing import Any

import yaml

from .. import policy_data
from ..model import Finding
from ..ruleapi import Rule

_SPACES = re.compile(r"\s+")
# The characters ``str.split`` splits at, which ``\\s`` matches too
# (tests/test_link_text_search.py checks): spelled out in a class, so that the
# class is one table look-up per character (``\\s`` in it is a test per item).
_WHITESPACE = ("\t\n\x0b\x0c\r\x1c\x1d\x1e\x1f \x85\xa0\u1680\u2000\u2001\u2002\u2003\u2004\u2005"
               "\u2006\u2007\u2008\u2009\u200a\u2028\u2029\u202f\u205f\u3000")
# Punctuation, arrows and brackets around a link text: "here.", "[여기]", "more »".
_AROUND = " \t\n.,:;!?…·\"'“”‘’()[]{}<>«»‹›→←↗➜▶►▸>-–—|/*"
_SCHEME = re.compile(r"^(?:https?:)?//", re.I)
# Longer than this, a link's text is not one of the generic words; an `<a>`'s inner
# HTML may hold this much markup (`<b>`, `<span style=...>`) besides.
_LONGEST_TEXT = 40
_MARKUP = 80


@lru_cache(maxsize=1)
def generic_words() -> dict[str, str]:
    """Each generic link text of ``rules/link-text.yaml`` -> its language."""
    data = yaml.safe_load(policy_data.read_text("link-text.yaml")) or {}
    return {normalise(str(w)): lang for lang, words in data.items() for w in words or ()}


def normalise(text: str) -> str:
    return " ".join(text.split()).strip(_AROUND).lower()


@lru_cache(maxsize=8)
def _vocabulary(extra: frozenset[str]) -> tuple[frozenset[str], Any, int]:
    """(the generic words and ``extra``, a search for a character no text of
    theirs can hold, the longest raw text worth normalising).

    The search reads a link text lower-cased, and finds a character that is
    not in any word, not whitespace and not one ``normalise`` strips around:
    such a character is in the middle of the text, so it is in the normalised
    text too, which then is no word. Lower-casing a text character by
    character gives the same characters as lower-casing the normalised text
    (whitespace and the characters around have no case), except for the
    Greek capital sigma, whose lower case depends on its neighbours: both of
    its lower cases are allowed when either is in a word. Most link texts
    hold such a character and are never normalised."""
    words = frozenset(generic_words()) | extra
    chars = set("".join(words))
    if chars & {"\u03c3", "\u03c2"}:
        chars |= {"\u03c3", "\u03c2"}
    chars.update(_AROUND)
    chars.update(_WHITESPACE)
    outside = re.compile("[^" + "".join(re.escape(c) for c in sorted(chars)) + "]")
    longest = max([_LONGEST_TEXT, *(len(w) + 20 for w in extra)])
    return words, outside.search, longest


@lru_cache(maxsize=8)
def _word_search(extra: frozenset[str]) -> Any:
    """The ``finditer`` of the link texts that ``normalise`` may turn into a
    generic word or one of ``extra``, in a string of lower-cased texts each
    between two ``_SEP`` (one search for all the links of a post, not one
    per link): what is around a word is whitespace and the characters
    ``normalise`` strips, and its spaces were runs of whitespace (what
    ``str.split`` splits at).

    Every text ``normalise`` makes a word of is found (tests/test_link_text_search.py
    checks that lower-casing keeps whitespace, ``_SEP`` and those characters,
    and makes none of them from another character); the few found go through
    the exact test. None when a word holds a sigma (its lower case depends on
    its neighbours) or ``_SEP``."""
    words = _vocabulary(extra)[0]
    if {"\u03c3", "\u03c2", _SEP} & set("".join(words)):
        return None
    around = "[" + "".join(re.escape(c) for c in sorted(set(_AROUND + _WHITESPACE))) + "]*"
    space = "[" + re.escape(_WHITESPACE) + "]+"
    alternatives = sorted((space.join(map(re.escape, w.split(" "))) for w in words if w), key=lambda a: (-len(a), a))
    if not alternatives:
        return lambda text: ()
    return re.compile(_SEP + around + "(?:" + "|".join(alternatives) + ")" + around + f"(?={_SEP})").finditer


_TEXT = attrgetter("text")
# Between the link texts searched at once: no word, whitespace or character around holds it.
_SEP = "\x00"


def _is_own_url(text: str, dest: str) -> bool:
    bare = _SCHEME.sub("", text.strip()).rstrip("/").lower()
    return bool(bare) and bare == _SCHEME.sub("", dest.strip()).rstrip("/").lower()


class LinkTextGeneric(Rule):
    """Link text that says nothing about where the link goes.

    ## What it does
    Generators: all (Jekyll, Hugo, and posts outside a site).

    Reports a Markdown link or an HTML `<a>` whose whole text is a generic
    word such as "here", "this link", "read more", "여기", "이곳", "링크" or
    "바로가기". The text is compared lower-cased, with its spaces collapsed
    and the punctuation and arrows around it removed (`[여기]`, `more »`).
    The words, per language, are kept in `rules/link-text.yaml`.

    Not reported: a link that has other words besides ("보도자료 원문
    바로가기"), a link whose text is its own URL, and calls to click ("click
    here", "여기를 클릭"), which the `promo-click-here` rule reports.

    ## Why is this bad?
    Screen reader users jump from link to link and hear only the link texts:
    a page with five links called "여기" gives them five times the same
    word. Everyone else scans the underlined words too, and search engines
    read link text as the description of the target page.

    ## Example
    ```markdown
    보도자료 원문은 [여기](https://www.busan.go.kr/press/1234)에서 볼 수 있다.
    ```

    ## Use instead
    ```markdown
    [부산시 보도자료 원문](https://www.busan.go.kr/press/1234)에서 볼 수 있다.
    ```

    ## Options
    - `extra_words` (default `[]`): more link texts to report, compared the
      same way.
    """

    name = "link-text-generic"
    code = "NL304"
    severity = "warning"
    tags = ("links", "accessibility")
    options = {"extra_words": []}

    def check(self, doc, options):
        links = doc.markdown.links
        anchors = doc.html.find_all("a") if doc.markdown.html or doc.kind != "markdown" else ()
        if not links and not anchors:
            return ()
        extra = options.get("extra_words")
        extra = frozenset(normalise(str(w)) for w in extra) if extra else frozenset()
        words, outside, longest = _vocabulary(extra)
        search = _word_search(extra)
        findings: list[Finding] = []
        if links and search is not None:
            # The links whose text may be a word, found by one search of all the
            # texts; each goes through the test below, which alone decides.
            joined = _SEP.join(map(_TEXT, links))
            if joined.count(_SEP) == len(links) - 1:  # (else a text holds one: each is read alone)
                low = (_SEP + joined + _SEP).lower()
                picked = []
                pos = i = 0
                for m in search(low):
                    i += low.count(_SEP, pos, m.start())  # the separators before: the link's index
                    pos = m.start()
                    picked.append(links[i])
                links = picked
        for link in links:
            text = link.text
            if len(text) > longest or outside(text.lower()) or link.link_type in ("Autolink", "Email"):
                continue
            key = normalise(text)
            if key and key in words and not _is_own_url(text, link.dest):
                findings.append(Finding(link.start, link.end, _message(text)))
        for el in anchors:
            if el.end_tag_start < 0 or el.end_tag_start - el.start_end > longest + _MARKUP:
                continue  # no generic text is this long, markup and all
            href = el.get("href")
            if href is None:
                continue
            inner = doc.text[el.start_end:el.end_tag_start]
            # Without a tag or an entity the text is the inner HTML (text() would only copy it).
            text = inner if "<" not in inner and "&" not in inner else el.text()
            low = text.lower()
            if outside(low) or (search is not None and search(low) is None):
                continue
            key = normalise(text)
            if key and key in words and not _is_own_url(text, href):
                findings.append(Finding(el.start, el.end, _message(text)))
        if len(findings) > 1:
            findings.sort(key=lambda f: f.start)
        return findings


def _message(text: str) -> str:
    shown = _SPACES.sub(" ", text).strip()
    return (f"link text `{shown}` says nothing about where the link goes: screen readers list links by "
            "their text alone; name the target instead (the page's title or what the reader finds there)")
