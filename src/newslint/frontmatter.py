"""Front matter found on the raw text the way Jekyll and Hugo find it.

Jekyll's rule (``YAML_FRONT_MATTER_REGEXP``): the file starts with ``---`` on
line 1, and the block ends at the first line that is ``---`` or ``...``.
Hugo adds TOML between ``+++`` fences. python-frontmatter strips the text
first, so its line numbers do not match the file; we never use it for positions.

The YAML is composed once with the C loader (:mod:`newslint.yamlload`) into
nodes that carry marks, and the values are constructed from those same nodes.
Only the safe constructors exist: no tag ever runs code.
"""

from __future__ import annotations

import datetime
import re
import sys
from dataclasses import dataclass, field
from typing import Any

import yaml

from .source import SourceText
from .yamlload import SAFE_TAGS as _SAFE_TAGS
from .yamlload import BaseLoader as _BaseLoader
from .yamlload import TaggingLoader as _Loader
from .yamlload import construct_plain as _construct_plain

MAX_DEPTH = 50

_YAML_OPEN = re.compile(r"---[ \t]*\r?\n")
_TOML_OPEN = re.compile(r"\+\+\+[ \t]*\r?\n")
# The closing fence line, found with the line break before it (group 1 is the
# line): a pattern that starts with a literal lets the search skip from one
# line break to the next instead of trying `^` at every character.
_YAML_CLOSE = re.compile(r"\n((?:---|\.\.\.)[ \t]*\r?$\n?)", re.M)
_TOML_CLOSE = re.compile(r"\n(\+\+\+[ \t]*\r?$\n?)", re.M)


@dataclass(slots=True)
class FrontMatterError:
    message: str
    offset: int  # character offset in Document.text
    kind: str = "syntax"  # syntax, unclosed, alias, depth, unsafe-tag


@dataclass
class FrontMatter:
    """The front matter block of a document, with positions in ``source.text``."""

    source: SourceText = field(repr=False)
    format: str  # "yaml" or "toml"
    start: int  # the opening fence
    content_start: int  # the first line after the opening fence
    content_end: int  # the start of the closing fence line
    end: int  # just after the closing fence line (the body starts here)
    closed: bool
    first_line: int  # 0-based line index of content_start
    node: yaml.Node | None = None
    data: Any = None
    error: FrontMatterError | None = None
    duplicates: list[tuple[yaml.Node, yaml.Node]] = field(default_factory=list)
    # True when the front matter parsed into a mapping (closed, no error, a
    # dict): set once it is parsed, and read by most rules.
    ok: bool = False
    # What rules derive from the front matter (a key's value as written, the
    # date it holds): the first rule that needs one computes it for all.
    derived: dict[Any, Any] = field(default_factory=dict, repr=False, compare=False)

    @property
    def content(self) -> str:
        return self.source.text[self.content_start : self.content_end]


    # -- positions of YAML nodes --------------------------------------------
    def mark_offset(self, mark: Any) -> int:
        """A YAML mark as an offset in ``Document.text``.

        The mark's ``index`` counts code points from the start of the content
        (libyaml skips a leading U+FEFF without counting it). Its line and
        column are not used when the index is there: YAML also breaks lines
        at U+2028, U+2029, NEL and a lone CR, which editors (and newslint) do
        not, so YAML's line numbers can run ahead of the file's.
        """
        text = self.source.text
        index = getattr(mark, "index", None)
        if isinstance(index, int) and index >= 0:
            if text.startswith("\ufeff", self.content_start):
                index += 1
            return min(self.content_start + index, len(text))
        starts = self.source.line_starts
        line = self.first_line + mark.line
        if line >= len(starts):
            return len(text)
        return min(starts[line] + mark.column, len(text))

    def node_span(self, node: yaml.Node) -> tuple[int, int]:
        return self.mark_offset(node.start_mark), self.mark_offset(node.end_mark)

    def key_node(self, key: str) -> tuple[yaml.Node, yaml.Node] | None:
        """The (key node, value node) of a top-level key (the last one wins, as in YAML)."""
        if not isinstance(self.node, yaml.MappingNode):
            return None
        # From the end: the first match is the last key.
        for pair in reversed(self.node.value):
            k = pair[0]
            if k.value == key and isinstance(k, yaml.ScalarNode):  # a mapping or list key's value is no str
                return pair
        return None

    def path_span(self, path: list[Any] | tuple[Any, ...]) -> tuple[int, int]:
        """The span of the value at a JSON path; the deepest existing parent otherwise.

        A path into a missing key points at the key's parent mapping, or at the
        opening fence for the top level, like remark-lint-frontmatter-schema.
        """
        if self.format == "toml" or self.node is None:
            return self._toml_path_span(path)
        node: yaml.Node = self.node
        key_node: yaml.Node | None = None
        scalar = yaml.ScalarNode
        for part in path:
            if isinstance(node, yaml.MappingNode):
                nxt = None
                name = str(part)
                for k, v in node.value:
                    if k.value == name and isinstance(k, scalar):  # a mapping or list key's value is no str
                        nxt = (k, v)
                if nxt is None:
                    break
                key_node, node = nxt
            elif isinstance(node, yaml.SequenceNode) and isinstance(part, int) and part < len(node.value):
                key_node, node = None, node.value[part]
            else:
                break
        else:
            if key_node is not None:
                return self.mark_offset(key_node.start_mark), self.mark_offset(node.end_mark)
            return self.node_span(node)
        if node is self.node:
            return self.fence_span()
        if key_node is not None:
            return self.mark_offset(key_node.start_mark), self.mark_offset(node.end_mark)
        return self.node_span(node)

    def fence_span(self) -> tuple[int, int]:
        return self.start, self.source.line_end(self.start)

    def _toml_path_span(self, path: Any) -> tuple[int, int]:
        if path:
            key = str(path[0])
            m = re.search(r"(?m)^[ \t]*" + re.escape(key) + r"[ \t]*=", self.content)
            if m:
                start = self.content_start + m.start()
                return start, self.source.line_end(start)
        return self.fence_span()


def split_front_matter(source: SourceText) -> FrontMatter | None:
    """Find and parse the front matter of a post (None when it has none)."""
    text = source.text
    if text.startswith("---"):
        fm = _split(source, _YAML_OPEN, _YAML_CLOSE, "yaml")
    elif text.startswith("+++"):
        fm = _split(source, _TOML_OPEN, _TOML_CLOSE, "toml")
    else:
        return None
    if fm is None:
        return None
    if fm.closed:
        if fm.format == "yaml":
            _parse_yaml(fm)
        else:
            _parse_toml(fm)
        fm.ok = fm.error is None and isinstance(fm.data, dict)
    return fm


def _split(source: SourceText, open_re: re.Pattern[str], close_re: re.Pattern[str], fmt: str) -> FrontMatter | None:
    text = source.text
    m = open_re.match(text)
    if not m:
        # "---" followed by more than whitespace on line 1 (e.g. "----" or
        # "--- title") is not a fence for Jekyll: the file has no front matter.
        return None
    content_start = m.end()
    # The opening fence ends with a line break: the search starts on it, so
    # a fence on the very next line is found too.
    close = close_re.search(text, content_start - 1)
    if close is None:
        fm = FrontMatter(source, fmt, 0, content_start, len(text), len(text), False, 1)
        fence = "+++" if fmt == "toml" else "---"
        fm.error = FrontMatterError(
            f"front matter is not closed: no `{fence}` line ends the block opened on line 1"
            + _near_fence_hint(source, content_start, fmt), 0, "unclosed"
        )
        return fm
    return FrontMatter(source, fmt, 0, content_start, close.start(1), close.end(1), True, 1)


_NEAR_FENCE = {
    "yaml": re.compile(r"^(?:[ \t]+(?:---|\.\.\.)[ \t]*|-{4,}[ \t]*|---[ \t]+\S.*|-[ \t]*-[ \t]*-[ \t-]*)\r?$", re.M),
    "toml": re.compile(r"^(?:[ \t]+\+\+\+[ \t]*|\+{4,}[ \t]*|\+\+\+[ \t]+\S.*)\r?$", re.M),
}


def _near_fence_hint(source: SourceText, start: int, fmt: str) -> str:
    """Name a line that looks like a closing fence but is not one (`----`,
    an indented `---`, `--- text`): the author probably meant it."""
    m = _NEAR_FENCE[fmt].search(source.text, start)
    if m is None:
        return ""
    line, _ = source.position(m.start())
    shown = m.group().rstrip("\r").strip()
    fence = "+++" if fmt == "toml" else "---"
    return f" (line {line} is `{shown}`, which is not a fence: a fence is exactly `{fence}` at the start of the line)"


def _parse_yaml(fm: FrontMatter) -> None:
    content = fm.content
    if not content or content.isspace():  # what `not content.strip()` says, with no copy
        fm.data = None
        return
    loader = _Loader(content)
    try:
        node = loader.get_single_node()
        fm.node = node
        if node is not None:
            plain = _construct_plain(loader, node, content)
            if plain is not None:
                fm.data, fm.duplicates = plain
                return
            problem, duplicates = _check_graph(node)
            if problem is not None:
                message, bad, kind = problem
                mark = bad.start_mark
                if kind == "alias":
                    mark = _first_alias(content) or mark
                fm.error = FrontMatterError(message, fm.mark_offset(mark), kind)
                return
            fm.duplicates = duplicates
            try:
                fm.data = loader.construct_document(node)
            except (ValueError, KeyError, TypeError):  # `!!int abc`: a tag its value does not fit
                bad = _misfit_scalar(loader, node)
                if bad is None:
                    raise
                fm.error = FrontMatterError(f"YAML tag `{_tag_shown(bad.tag)}` does not fit its value "
                                            f"`{bad.value}` (YAML readers refuse it or read it as text): "
                                            "remove the tag or fix the value", fm.mark_offset(bad.start_mark))
    except yaml.MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        if exc.context == "while scanning a simple key" and exc.context_mark is not None:
            mark = exc.context_mark  # the key that has no `:`, not where the scanner gave up
        offset = fm.mark_offset(mark) if mark is not None else fm.content_start
        problem = exc.problem or "invalid YAML"
        if "maximum nesting depth" in problem:
            fm.error = FrontMatterError(f"front matter is nested too deeply ({problem})", offset, "depth")
            return
        if exc.context:
            problem = f"{exc.context}: {problem}"
        hint = _yaml_hint(problem)
        if hint == problem:
            hint += _char_hint(fm, offset)
        fm.error = FrontMatterError(hint + _unclosed_hint(fm, offset), offset)
    except yaml.reader.ReaderError as exc:  # a character YAML does not accept (NUL, C0/C1 controls)
        pos = exc.position
        if _BaseLoader is not yaml.SafeLoader:
            # libyaml counts bytes of the UTF-8 text; we count code points.
            pos = len(content.encode("utf-8", "surrogatepass")[:pos].decode("utf-8", "ignore"))
        offset = min(fm.content_start + pos, fm.content_end)
        char = exc.character
        if isinstance(char, str) and len(char) == 1:
            char = ord(char)
        shown = f"U+{char:04X}" if isinstance(char, int) else repr(char)
        fm.error = FrontMatterError(f"invalid YAML: unacceptable character {shown} "
                                    f"(control characters are not allowed in YAML; delete it)", offset)
    except yaml.YAMLError as exc:
        fm.error = FrontMatterError(f"invalid YAML: {exc}".split("\n")[0], fm.content_start)
    except (RecursionError, MemoryError):
        fm.error = FrontMatterError("front matter is nested too deeply", fm.content_start, "depth")
    finally:
        loader.dispose()


def _yaml_hint(problem: str) -> str:
    if "mapping values are not allowed" in problem:
        return problem + " (a value that contains `: ` must be quoted)"
    if "found character '\\t'" in problem or "found character '\t'" in problem:
        return problem + " (YAML does not allow tabs for indentation)"
    return problem


_BLANK_LINE = re.compile(r"\n[ \t]*\r?(?=\n)")
_NEXT_LINE = re.compile(r"(?:[ \t]*\r?\n)*([^\n]*)")
# A line that reads as YAML: a `key:`, a list item, a comment, a continuation.
_YAML_LOOKING = re.compile(r"(?:[ \t]*\r?\n)*(?:[ \t]|#|-[ \t]|-$|[^\s:#][^:\n]*:(?:[ \t]|\r?$)|[\"'\[{])")


def _unclosed_hint(fm: FrontMatter, offset: int) -> str:
    """A YAML error after a blank line often means the closing `---` is
    missing and a horizontal rule further down closed the block instead."""
    text = fm.source.text
    blanks = list(_BLANK_LINE.finditer(text, fm.content_start, offset))
    if not blanks:
        return ""
    after = _NEXT_LINE.match(text, blanks[-1].end())
    if after is None or _YAML_LOOKING.match(after.group()):
        return ""
    line, _ = fm.source.position(fm.content_end)
    return (f" (is the closing `---` missing? The block opened on line 1 runs to the `---` on line {line}, "
            "which may be a horizontal rule in the text)")


_YAML_ONLY_BREAKS = {"\u2028": "U+2028 LINE SEPARATOR", "\u2029": "U+2029 PARAGRAPH SEPARATOR",
                     "\x85": "U+0085 NEXT LINE", "\r": "a lone carriage return"}


def _char_hint(fm: FrontMatter, offset: int) -> str:
    """Explain errors that come from a character the author cannot see."""
    text = fm.source.text
    if text.startswith("\t", offset):
        return " (a tab: YAML does not allow tabs for indentation; use spaces)"
    line_start = fm.source.line_starts[fm.source.line_of(offset)]
    for i in range(line_start, offset):
        ch = text[i]
        if ch in _YAML_ONLY_BREAKS and not (ch == "\r" and text.startswith("\n", i + 1)):
            return (f" (YAML breaks the line at the invisible {_YAML_ONLY_BREAKS[ch]} on this line, "
                    "column {}; delete it)".format(i - line_start + 1))
    return ""


def _first_alias(content: str) -> Any:
    """The mark of the first `*alias` (events carry them; composed nodes do not)."""
    try:
        for event in yaml.parse(content, Loader=_BaseLoader):
            if isinstance(event, yaml.AliasEvent):
                return event.start_mark
    except yaml.YAMLError:  # pragma: no cover - the same text composed fine
        pass
    return None


def _tag_shown(tag: str) -> str:
    return "!!" + tag[len("tag:yaml.org,2002:"):] if tag.startswith("tag:yaml.org,2002:") else tag


def _misfit_scalar(loader: Any, root: yaml.Node) -> yaml.Node | None:
    """The first scalar, in document order, whose tag's constructor refuses its value."""
    stack, found = [root], []
    while stack:
        node = stack.pop()
        if isinstance(node, yaml.ScalarNode):
            construct = loader.yaml_constructors.get(node.tag)
            if construct is not None:
                try:
                    construct(loader, node)
                except (ValueError, KeyError, TypeError):
                    found.append(node)
        elif isinstance(node, yaml.MappingNode):
            stack.extend(n for pair in node.value for n in pair)
        elif isinstance(node, yaml.SequenceNode):
            stack.extend(node.value)
    return min(found, key=lambda n: n.start_mark.index) if found else None


def _check_graph(root: yaml.Node) -> tuple[tuple[str, yaml.Node, str] | None,
                                           list[tuple[yaml.Node, yaml.Node]]]:
    """(problem, duplicate keys) in one walk, without recursion and before
    constructing anything.

    The problem refuses tags the safe loader does not know, aliases (a node
    reached twice) and deep nesting; with one, the duplicates are not looked
    for. The duplicates are pairs of (first key node, repeated key node) in
    every mapping reached through values only (not inside a complex key),
    sorted by position."""
    seen: set[int] = set()
    duplicates: list[tuple[yaml.Node, yaml.Node]] = []
    scalar_node, mapping_node, sequence_node = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
    safe_tags, merge_tag = _SAFE_TAGS, "tag:yaml.org,2002:merge"
    # (node, depth, reached through values only)
    stack: list[tuple[yaml.Node, int, bool]] = [(root, 0, True)]
    while stack:
        node, depth, in_value = stack.pop()
        if depth > MAX_DEPTH:
            return (f"front matter is nested too deeply (more than {MAX_DEPTH} levels)", node, "depth"), []
        if node.tag not in safe_tags:
            return (f"YAML tag `{_tag_shown(node.tag)}` is not allowed in front matter "
                    "(newslint never constructs it, and site generators ignore the tag and read the value under it: "
                    "remove the tag)", node, "unsafe-tag"), []
        if isinstance(node, scalar_node):
            continue
        if id(node) in seen:
            return ("front matter uses YAML anchors and aliases, which newslint does not allow", node, "alias"), []
        seen.add(id(node))
        depth += 1
        # A child scalar that is fine (a safe tag, not too deep) would only be
        # popped and passed over: it is not pushed. One that is not goes on
        # the stack, so problems are found in the same order either way.
        deep = depth > MAX_DEPTH
        if isinstance(node, mapping_node):
            first: dict[str, yaml.Node] | None = {} if in_value else None
            for k, v in node.value:
                if isinstance(k, scalar_node):
                    if first is not None:
                        if k.value in first and k.tag != merge_tag:
                            duplicates.append((first[k.value], k))
                        else:
                            first[k.value] = k
                    if deep or k.tag not in safe_tags:
                        stack.append((k, depth, False))
                else:
                    stack.append((k, depth, False))
                if deep or not isinstance(v, scalar_node) or v.tag not in safe_tags:
                    stack.append((v, depth, in_value))
        elif isinstance(node, sequence_node):
            for v in node.value:
                if deep or not isinstance(v, scalar_node) or v.tag not in safe_tags:
                    stack.append((v, depth, in_value))
    if duplicates:
        duplicates.sort(key=lambda pair: (pair[1].start_mark.line, pair[1].start_mark.column))
    return None, duplicates


_TOML_POS = re.compile(r"\(at line (\d+), column (\d+)\)")


def _parse_toml(fm: FrontMatter) -> None:
    # Imported here: most sites have no TOML front matter, and a pool worker
    # starts sooner without it.
    if sys.version_info >= (3, 11):
        import tomllib
    else:  # pragma: no cover - exercised on 3.10 only
        import tomli as tomllib
    try:
        fm.data = _stringify_dates(tomllib.loads(fm.content))
    except tomllib.TOMLDecodeError as exc:
        msg = str(exc)
        offset = fm.content_start
        m = _TOML_POS.search(msg)
        if m:
            line = fm.first_line + int(m.group(1)) - 1
            starts = fm.source.line_starts
            if line < len(starts):
                offset = starts[line] + int(m.group(2)) - 1
            msg = _TOML_POS.sub("", msg).strip()
        fm.error = FrontMatterError(f"invalid TOML: {msg}", offset)


# What TOML reads as a date or a time (datetime is a subclass of date).
_TOML_DATES = (datetime.date, datetime.time)


def _stringify_dates(value: Any) -> Any:
    """TOML dates become the ISO text, as YAML dates stay the text written."""
    if isinstance(value, dict):
        return {k: _stringify_dates(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_stringify_dates(v) for v in value]
    if isinstance(value, _TOML_DATES):
        return value.isoformat()
    return value


# The keys of a mapping that names an image (`image: {path: ..., alt: ...}`).
_NESTED_IMAGE_KEYS = ("path", "src", "url", "image", "feature")


def front_image(data: dict, key: str) -> str | None:
    """The image a front-matter key names: a string, or a mapping's `path`,
    `src`, `url`, `image` or `feature`; dotted keys reach into mappings
    (`header.image`)."""
    if "." not in key:  # most keys, and most posts have none of them
        if not isinstance(data, dict):
            return None
        value = data.get(key)
        if value is None:
            return None
    else:
        value = data
        for part in key.split("."):
            if not isinstance(value, dict):
                return None
            value = value.get(part)
    if isinstance(value, dict):
        value = next((value[k] for k in _NESTED_IMAGE_KEYS if isinstance(value.get(k), str)), None)
    if isinstance(value, str) and value.strip():
        return value.strip()
    return None
