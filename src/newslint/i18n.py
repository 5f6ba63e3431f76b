"""Messages in another language than English (Korean): a layer over the English text.

Rules, the engine and the config build their messages in English, as f-strings,
and never import this module. The catalogue (``locale/ko/LC_MESSAGES/*.po``,
read as it is, no compile step) holds each message as an English *template*,
its ``msgid``, with named placeholders::

    msgid "image `{target}` is not in the site: there is no {where}"
    msgstr "이미지 `{target}`이(가) 사이트에 없습니다. {where} 파일이 없습니다"

A template becomes a regular expression (placeholders match as little as they
can, ``{name:n}`` only a number, the rest literally); an English message that
matches it is rewritten with the translation, the captured values put back in. ``{name!t}`` in a
translation puts the value back translated too, when it matches a template of
the ``fragment`` context (a clause such as ``" in code"`` that a rule adds to
its message, or a plural such as ``"3 cells"``) or a whole message (a template
``{message} (reported only)`` wraps any other). A message no template matches
stays English.

The contexts (``msgctxt``): none for findings and fix titles, ``fragment``
for their parts, ``cli`` for errors and notes (templates too), ``ui`` for the
words of the reports (looked up as they are, ``{name}`` filled by ``str.format``),
``summary`` and ``why`` for the rules' docs (looked up by the English text).

The matching happens once, where findings are reported (``Report.file``), and
only in another language: an English run reads no catalogue (the run asks this
module which language it is in, nothing more).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, Iterable, Iterator, Mapping, Sequence

from .lang import DEFAULT, LANGS, resolve_lang  # noqa: F401  (part of this module's API)

LOCALE_DIR = Path(__file__).resolve().parent / "locale"


# -- the PO format (the subset the catalogues use) --------------------------------

class PoError(ValueError):
    """A catalogue line that this reader does not understand."""


_ESCAPES = {"n": "\n", "t": "\t", '"': '"', "\\": "\\"}


def _unquote(s: str, where: str) -> str:
    s = s.strip()
    if len(s) < 2 or s[0] != '"' or s[-1] != '"':
        raise PoError(f"{where}: expected a quoted string, got {s!r}")
    body, out, i = s[1:-1], [], 0
    while i < len(body):
        ch = body[i]
        if ch == "\\":
            nxt = body[i + 1:i + 2]
            if nxt not in _ESCAPES:
                raise PoError(f"{where}: unknown escape \\{nxt}")
            out.append(_ESCAPES[nxt])
            i += 2
            continue
        if ch == '"':
            raise PoError(f"{where}: unescaped quote")
        out.append(ch)
        i += 1
    return "".join(out)


@dataclass
class PoEntry:
    msgid: str
    msgstr: str
    context: str | None = None
    fuzzy: bool = False
    line: int = 0


def parse_po(text: str, name: str = "<po>") -> list[PoEntry]:
    """The entries of a PO file: ``msgctxt``, ``msgid``, ``msgstr``, strings
    continued on the next lines, ``#`` comments and the ``#, fuzzy`` flag.
    The header (the empty msgid) is left out; plural forms are not used."""
    entries: list[PoEntry] = []
    cur: dict[str, Any] = {}
    key: str | None = None
    flags: set[str] = set()

    def close() -> None:
        nonlocal cur, key, flags
        if cur:
            if "msgid" not in cur or "msgstr" not in cur:
                raise PoError(f"{name}:{cur['line']}: an entry needs a msgid and a msgstr")
            if cur["msgid"]:
                entries.append(PoEntry(cur["msgid"], cur["msgstr"], cur.get("msgctxt"), "fuzzy" in flags, cur["line"]))
        cur, key, flags = {}, None, set()

    for n, raw in enumerate(text.splitlines(), 1):
        line = raw.strip()
        where = f"{name}:{n}"
        if not line:
            close()
        elif line.startswith("#,"):
            if "msgstr" in cur:
                close()
            flags.update(f.strip() for f in line[2:].split(","))
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            if key is None:
                raise PoError(f"{where}: a string continues nothing")
            cur[key] += _unquote(line, where)
        else:
            word, _, rest = line.partition(" ")
            if word not in ("msgctxt", "msgid", "msgstr"):
                raise PoError(f"{where}: unknown keyword {word!r}")
            if word in cur or (word != "msgstr" and "msgstr" in cur):
                close()
            cur.setdefault("line", n)
            cur[word] = _unquote(rest, where)
            key = word
    close()
    return entries


# -- templates ------------------------------------------------------------------

# {name}, {name!t} (translations), {name:n} (templates: a number, such as 3, 1,024 or 4.5%)
_PLACEHOLDER = re.compile(r"\{([A-Za-z_][A-Za-z0-9_]*)(!t|:n)?\}")
_NUMBER = r"-?[0-9][0-9,]*(?:\.[0-9]+)?%?"
_FIRST_WORD = re.compile(r"[^ {]+(?= )")


@dataclass
class Template:
    msgid: str
    msgstr: str
    regex: re.Pattern[str]
    literal: int  # characters outside placeholders: the more, the more specific
    names: tuple[str, ...]
    translated: tuple[str, ...] = ()  # the names the translation puts back translated ({name!t})

    @classmethod
    def compile(cls, msgid: str, msgstr: str) -> "Template":
        parts, names, pos, literal = [], [], 0, 0
        for m in _PLACEHOLDER.finditer(msgid):
            parts.append(re.escape(msgid[pos:m.start()]))
            literal += m.start() - pos
            name = m.group(1)
            pattern = _NUMBER if m.group(2) == ":n" else ".*?"
            parts.append(f"(?P={name})" if name in names else f"(?P<{name}>{pattern})")
            names.append(name)
            pos = m.end()
        parts.append(re.escape(msgid[pos:]))
        literal += len(msgid) - pos
        translated = tuple(dict.fromkeys(m.group(1) for m in _PLACEHOLDER.finditer(msgstr) if m.group(2) == "!t"))
        return cls(msgid, msgstr, re.compile("".join(parts), re.S), literal, tuple(dict.fromkeys(names)), translated)


def placeholders(text: str) -> set[str]:
    """The placeholder names of a template or a translation."""
    return {m.group(1) for m in _PLACEHOLDER.finditer(text)}


class TemplateSet:
    """Templates of one context, found by the message's first word (or first
    character) so that a message is tried against a few templates, not all."""

    def __init__(self, pairs: Iterable[tuple[str, str]]) -> None:
        self.templates = sorted((Template.compile(i, s) for i, s in pairs), key=lambda t: -t.literal)
        self.by_word: dict[str, list[Template]] = {}
        self.by_char: dict[str, list[Template]] = {}
        self.anywhere: list[Template] = []
        for t in self.templates:
            head = t.msgid.split("{", 1)[0]
            word = _FIRST_WORD.match(head)
            if word:
                self.by_word.setdefault(word.group(), []).append(t)
            elif head:
                self.by_char.setdefault(head[0], []).append(t)
            else:
                self.anywhere.append(t)

    def matches(self, text: str) -> Iterator[tuple[Template, dict[str, str]]]:
        """The templates ``text`` matches, the most specific first, with the values they capture."""
        first = text.split(" ", 1)[0]
        groups = [g for g in (self.by_word.get(first), self.by_char.get(text[:1]), self.anywhere) if g]
        if len(groups) > 1:
            groups = [sorted((t for g in groups for t in g), key=lambda t: -t.literal)]
        for group in groups:
            for t in group:
                m = t.regex.fullmatch(text)
                if m:
                    yield t, m.groupdict()


@dataclass
class Catalogue:
    """One language's messages (see the module docs for the contexts)."""

    lang: str
    exact: dict[tuple[str | None, str], str] = field(default_factory=dict)
    _sets: dict[str | None, TemplateSet] = field(default_factory=dict)
    _pairs: dict[str | None, list[tuple[str, str]]] = field(default_factory=dict)
    _memo: dict[tuple[str | None, str], str | None] = field(default_factory=dict)

    @classmethod
    def load(cls, lang: str, folder: Path | None = None) -> "Catalogue":
        cat = cls(lang)
        folder = (folder or LOCALE_DIR) / lang / "LC_MESSAGES"
        for path in sorted(folder.glob("*.po")):
            cat.add(parse_po(path.read_text(encoding="utf-8"), str(path)))
        return cat

    def add(self, entries: Iterable[PoEntry]) -> None:
        for e in entries:
            if e.fuzzy or not e.msgstr:
                continue
            self.exact[(e.context, e.msgid)] = e.msgstr
            if e.context not in ("ui", "summary", "why"):
                self._pairs.setdefault(e.context, []).append((e.msgid, e.msgstr))
                self._sets.pop(e.context, None)
                self._memo.clear()

    def templates(self, context: str | None) -> TemplateSet:
        got = self._sets.get(context)
        if got is None:
            got = self._sets[context] = TemplateSet(self._pairs.get(context, []))
        return got

    def translate(self, text: str, context: str | None = None) -> str | None:
        """``text`` translated by the templates of ``context``; None when none matches.

        A template matches when its English pattern does and each ``{name!t}``
        value is translated too (or empty): a message is never half Korean."""
        key = (context, text)
        if key in self._memo:
            return self._memo[key]
        found = None
        for t, values in self.templates(context).matches(text):
            filled = dict(values)
            for name in t.translated:
                value = values.get(name, "")
                core = value.strip()
                if core:  # the spaces around a value (alignment) stay as they are
                    got = self.fragment(core, context)
                    if got is None:
                        break
                    start = value.index(core)
                    filled[name] = value[:start] + got + value[start + len(core):]
            else:
                found = _PLACEHOLDER.sub(lambda m: filled.get(m.group(1), m.group()), t.msgstr)
                break
        if len(self._memo) < 50_000:
            self._memo[key] = found
        return found

    def fragment(self, text: str, context: str | None = None) -> str | None:
        """A value put back with ``{name!t}``: a fragment, else a whole text of
        ``context`` or a message (a template may wrap another message:
        ``{message} (reported only)``)."""
        got = self.exact.get(("fragment", text))
        if got is not None:
            return got
        got = self.translate(text, "fragment") or (self.translate(text, context) if context else None)
        return got or self.translate(text)

    def text(self, text: str, context: str | None = None) -> str:
        """``text`` translated (templates of ``context``), or as it is."""
        return self.translate(text, context) or text

    def ui(self, text: str, **values: Any) -> str:
        got = self.exact.get(("ui", text), text)
        return got.format(**values) if values else got


_CATALOGUES: dict[str, Catalogue] = {}


def catalogue(lang: str) -> Catalogue:
    """The catalogue of ``lang``, read once per process (read only afterwards)."""
    cat = _CATALOGUES.get(lang)
    if cat is None:
        cat = _CATALOGUES[lang] = Catalogue.load(lang)
    return cat


def ui(lang: str | None, text: str, **values: Any) -> str:
    """A word of a report's interface in ``lang`` (English: ``text`` itself, formatted)."""
    if not lang or lang == DEFAULT:
        return text.format(**values) if values else text
    return catalogue(lang).ui(text, **values)


def message(lang: str | None, text: str, context: str | None = None) -> str:
    if not lang or lang == DEFAULT:
        return text
    return catalogue(lang).text(text, context)


def translate_violations(violations: Sequence[Any], lang: str) -> list[Any]:
    """Copies of ``violations`` with the message and the fix title in ``lang``
    (the originals are left as they are: the caller may hold them)."""
    cat = catalogue(lang)
    out = []
    for v in violations:
        msg = cat.text(v.message)
        fix = v.fix
        if fix is not None and fix.message:
            fix = fix._replace(message=cat.text(fix.message))
        out.append(replace(v, message=msg, fix=fix) if msg is not v.message or fix is not v.fix else v)
    return out


def rule_text(lang: str | None, rule: Any, what: str) -> str:
    """A rule's ``summary`` or ``why`` ("Why is this bad?") in ``lang`` ('' when untranslated)."""
    english = rule.summary() if what == "summary" else why_section(rule.docs())
    if not lang or lang == DEFAULT or not english:
        return english
    return catalogue(lang).exact.get((what, english), "")


_SECTION = re.compile(r"^## (.+?)[ \t]*$", re.M)


def translate_docs(lang: str, rule: Any, body: str) -> str:
    """A rule's docs body (after its summary line) with the section headings and
    the "Why is this bad?" section in ``lang``; the other sections, whose
    examples are code, stay as they are."""
    cat = catalogue(lang)
    why = why_section(rule.docs())
    korean = cat.exact.get(("why", why)) if why else None
    if korean:
        body = body.replace(why, korean, 1)
    return _SECTION.sub(lambda m: "## " + cat.ui(m.group(1)), body)


def why_section(docs: str) -> str:
    """The body of a rule's ``## Why is this bad?`` section."""
    m = re.search(r"^## Why is this bad\?[ \t]*\n(.*?)(?=^## |\Z)", docs, re.M | re.S)
    return m.group(1).strip() if m else ""


def summary_ko(files: int, n: int, by_severity: Mapping[str, int], fixable: int, hidden: int, *,
               fixing: bool, unsafe_fixes: bool, fixed: int) -> str:
    """The last line of a report, in Korean (what ``reporters.text.summary_text`` says in English)."""
    names = {"error": "오류", "warning": "경고", "info": "정보"}
    parts = ", ".join(f"{names[s]} {by_severity[s]}건" for s in names if by_severity.get(s))
    counted = f"({parts})" if parts else ""
    if fixing:
        return f"파일 {files}개를 검사해 {fixed}건을 고쳤습니다. 남은 문제는 {n}건입니다{counted}." if n else \
            f"파일 {files}개를 검사해 {fixed}건을 고쳤습니다. 남은 문제는 없습니다."
    if not n:
        line = f"파일 {files}개를 검사했습니다. 문제가 없습니다."
    else:
        line = f"파일 {files}개를 검사해 문제 {n}건을 찾았습니다{counted}."
        if unsafe_fixes and (fixable or hidden):
            line += f" {fixable + hidden}건은 --fix --unsafe-fixes로 고칠 수 있습니다."
        elif fixable:
            line += f" {fixable}건은 --fix로 고칠 수 있습니다"
            line += f"(--fix --unsafe-fixes로 {hidden}건 더)." if hidden else "."
        elif hidden:
            line += f" {hidden}건은 --fix --unsafe-fixes로 고칠 수 있습니다."
    if fixed:
        line += f" {fixed}건을 고쳤습니다."
    return line


def main(argv: list[str] | None = None) -> int:
    """``python -m newslint.i18n untranslated PATH...``: the messages of a run
    on PATH that no Korean template matches (what to add to the catalogue)."""
    import argparse

    ap = argparse.ArgumentParser(prog="python -m newslint.i18n")
    ap.add_argument("command", choices=["untranslated"])
    ap.add_argument("paths", nargs="+")
    ap.add_argument("--lang", default="ko", choices=[x for x in LANGS if x != DEFAULT])
    args = ap.parse_args(argv)
    from .config import load_config
    from .engine import Linting

    cat = catalogue(args.lang)
    missing: dict[str, str] = {}
    with Linting(load_config(), jobs=1, use_cache=False) as run:
        for result in run.lint_files(_files(args.paths)):
            for v in result.violations:
                for text in (v.message, v.fix.message if v.fix is not None else ""):
                    if text and cat.translate(text) is None:
                        missing.setdefault(text, v.rule)
    for text, rule in sorted(missing.items(), key=lambda kv: (kv[1], kv[0])):
        print(f"{rule}\t{text}")
    return 1 if missing else 0


def _files(paths: list[str]) -> list[str]:
    from .discovery import discover

    return discover(paths).files


if __name__ == "__main__":
    sys.exit(main())
