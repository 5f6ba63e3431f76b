"""The shape of the package: which module imports which.

``import_graph()`` reads every module of ``newslint`` with ``ast`` (nothing
is imported or run) and records every import, at module level or inside a
function, a method or an ``if TYPE_CHECKING:`` block alike: a cycle through
a function-level import is still a cycle. ``cycles()`` lists the cycles of
such a graph, restricted to the modules asked about.
"""

from __future__ import annotations

import re

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parent.parent / "src" / "newslint"

# The post's text and its parsers: they take a source text and import nothing
# back from the document that holds them.
PARSE_LAYER = frozenset({"newslint.document", "newslint.source", "newslint.frontmatter", "newslint.html",
                         "newslint.markdown", "newslint.kramdown", "newslint.kramdown_html", "newslint.spans",
                         "newslint.limits", "newslint.suffixes", "newslint.templates"})


def _module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = ["newslint", *path.relative_to(root).with_suffix("").parts]
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def _resolve(module: str, is_package: bool, node: ast.ImportFrom) -> str:
    if not node.level:
        return node.module or ""
    base = module.split(".")
    if not is_package:
        base.pop()
    if node.level > 1:
        base = base[: len(base) - (node.level - 1)]
    return ".".join(base + ([node.module] if node.module else []))


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """{module: the newslint modules it imports}, for every module under ``root``.

    ``from . import x`` and ``from .pkg import name`` count as importing the
    submodule ``x`` / ``pkg.name`` when that is a module of the package, and
    the package itself otherwise.
    """
    files = {_module_name(p, root): p for p in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        deps: set[str] = set()
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                targets = [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                target = _resolve(module, path.name == "__init__.py", node)
                targets = [f"{target}.{alias.name}" if f"{target}.{alias.name}" in files else target
                           for alias in node.names]
            else:
                continue
            for target in targets:
                while target and target not in files:  # `import newslint.a.b` names newslint.a.b's module
                    target = target.rpartition(".")[0]
                if target and target != module:
                    deps.add(target)
        graph[module] = deps
    return graph


def cycles(graph: dict[str, set[str]], among: frozenset[str] | None = None) -> list[list[str]]:
    """The strongly connected components of more than one module (or a module
    importing itself), each sorted, restricted to ``among`` when given."""
    nodes = sorted(graph if among is None else among & graph.keys())
    keep = set(nodes)
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found: list[list[str]] = []

    def visit(v: str) -> None:  # Tarjan's algorithm
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph[v] & keep):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1 or v in graph[v]:
                found.append(sorted(component))

    for v in nodes:
        if v not in index:
            visit(v)
    return sorted(found)


def test_the_graph_sees_function_level_and_relative_imports(tmp_path):
    pkg = tmp_path / "pkg"
    (pkg / "sub").mkdir(parents=True)
    (pkg / "__init__.py").write_text("")
    (pkg / "a.py").write_text("from .b import thing\n")
    (pkg / "b.py").write_text("def f():\n    from . import a\n    from .sub import c\n")
    (pkg / "sub" / "__init__.py").write_text("")
    (pkg / "sub" / "c.py").write_text("from ..a import x\nimport newslint.sub.c\n")
    graph = import_graph(pkg)
    assert graph["newslint.a"] == {"newslint.b"}
    assert graph["newslint.b"] == {"newslint.a", "newslint.sub.c"}
    assert graph["newslint.sub.c"] == {"newslint.a"}
    assert cycles(graph) == [["newslint.a", "newslint.b", "newslint.sub.c"]]
    assert cycles(graph, frozenset({"newslint.a", "newslint.sub.c"})) == []


def test_the_parse_layer_has_no_import_cycle():
    graph = import_graph()
    assert PARSE_LAYER <= graph.keys()
    assert cycles(graph, PARSE_LAYER) == []


def test_the_parsers_import_nothing_from_the_document():
    graph = import_graph()
    for parser in ("newslint.source", "newslint.frontmatter", "newslint.html", "newslint.markdown",
                   "newslint.templates", "newslint.kramdown", "newslint.kramdown_html"):
        assert "newslint.document" not in graph[parser], parser
    assert graph["newslint.source"] & PARSE_LAYER == set()


def test_the_package_has_no_import_cycle():
    """Counting imports inside functions: every module can be read, and
    loaded, without the modules that use it."""
    assert cycles(import_graph()) == []


def test_rules_know_nothing_of_the_run():
    """A rule only finds: it never imports the command line, the config, the
    reporters, the engine or the fixer."""
    forbidden = {"newslint.cli", "newslint.config", "newslint.reporters", "newslint.engine", "newslint.runner",
                 "newslint.fixer", "newslint.linter", "newslint.registry"}
    graph = import_graph()
    for module, imports in graph.items():
        if module.startswith(("newslint.rules.", "newslint.packs")):
            bad = {i for i in imports if i in forbidden or i.startswith("newslint.reporters.")}
            assert not bad, (module, sorted(bad))


def test_no_module_is_over_500_lines():
    long = {str(p.relative_to(PACKAGE)): n for p in PACKAGE.rglob("*.py")
            if (n := len(p.read_text(encoding="utf-8").splitlines())) > 500}
    assert long == {}


def test_every_subpackage_ships_in_the_wheel():
    # setuptools is given an explicit package list: a new subpackage left out
    # of it works in an editable install and is missing from the wheel.
    text = (PACKAGE.parents[1] / "pyproject.toml").read_text(encoding="utf-8")
    listed = set(re.search(r"^packages = \[(.*?)\]", text, re.M | re.S).group(1).replace('"', "").replace(" ", "").split(","))
    found = {"newslint" + ("." + ".".join(p.parent.relative_to(PACKAGE).parts) if p.parent != PACKAGE else "")
             for p in PACKAGE.rglob("__init__.py")}
    assert found - listed == set()
