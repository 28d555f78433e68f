"""The package's import graph has no cycle: a module can be read, and tested, after the modules it
imports. Edges are module-level imports (`import crawler.x`, `from crawler.x import y`,
`from crawler import x`, relative forms); imports inside functions (kept lazy for start-up time)
and under `if TYPE_CHECKING:` (annotations only) are not edges."""

from __future__ import annotations

import ast
import graphlib
from collections.abc import Iterator
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parent.parent / "crawler"


def module_name(path: Path, root: Path = PACKAGE) -> str:
    parts = path.relative_to(root.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _is_type_checking(test: ast.expr) -> bool:
    return (isinstance(test, ast.Name) and test.id == "TYPE_CHECKING") or (
        isinstance(test, ast.Attribute) and test.attr == "TYPE_CHECKING")


def module_level_imports(body: list[ast.stmt]) -> Iterator[ast.Import | ast.ImportFrom]:
    """Import statements run when the module is imported: at the top level, or inside a
    top-level if/try/with, but not in a function, a class body's method, or TYPE_CHECKING."""
    for node in body:
        if isinstance(node, ast.Import | ast.ImportFrom):
            yield node
        elif isinstance(node, ast.If):
            if not _is_type_checking(node.test):
                yield from module_level_imports(node.body)
            yield from module_level_imports(node.orelse)
        elif isinstance(node, ast.Try):
            for block in (node.body, node.orelse, node.finalbody):
                yield from module_level_imports(block)
            for handler in node.handlers:
                yield from module_level_imports(handler.body)
        elif isinstance(node, ast.With):
            yield from module_level_imports(node.body)


def imported_names(node: ast.Import | ast.ImportFrom, module: str, is_package: bool) -> list[str]:
    """Every dotted name an import statement may refer to: `from a import b` is `a` or `a.b`."""
    if isinstance(node, ast.Import):
        return [alias.name for alias in node.names]
    base = node.module or ""
    if node.level:
        anchor = module.split(".") if is_package else module.split(".")[:-1]
        anchor = anchor[: len(anchor) - (node.level - 1)]
        base = ".".join([*anchor, base] if base else anchor)
    return [base, *(f"{base}.{alias.name}" for alias in node.names)]


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """{module: the package's modules it imports at module level}."""
    files = {module_name(path, root): path for path in root.rglob("*.py")}
    graph: dict[str, set[str]] = {}
    for module, path in files.items():
        is_package = path.name == "__init__.py"
        edges = set()
        for node in module_level_imports(ast.parse(path.read_text("utf-8")).body):
            for name in imported_names(node, module, is_package):
                while name and name not in files:  # `from crawler.x import func`: crawler.x
                    name = name.rpartition(".")[0]
                if name and name != module:
                    edges.add(name)
        graph[module] = edges
    return graph


def cycle_in(graph: dict[str, set[str]]) -> list[str] | None:
    try:
        tuple(graphlib.TopologicalSorter(graph).static_order())
    except graphlib.CycleError as error:
        return list(error.args[1])
    return None


def test_the_package_import_graph_has_no_cycle():
    graph = import_graph()
    assert {"crawler.cli", "crawler.config", "crawler.http.client"} <= graph.keys()
    cycle = cycle_in(graph)
    assert cycle is None, "import cycle: " + " -> ".join(cycle or [])


def test_the_cli_reaches_its_commands_by_plain_imports():
    # no importlib behind the graph's back: `crawl`'s commands are edges of the graph
    graph = import_graph()
    commands = {m for m in graph if m.startswith("crawler.commands.")}
    assert commands and commands - {"crawler.commands.shared"} <= graph["crawler.cli"]


def write_package(root: Path, files: dict[str, str]) -> Path:
    package = root / "crawler"
    for name, text in files.items():
        path = package / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, "utf-8")
    return package


@pytest.mark.parametrize("files", [
    {"__init__.py": "", "a.py": "from crawler.b import f\n", "b.py": "import crawler.a\n"},
    {"__init__.py": "", "a.py": "from crawler import b\n", "b.py": "from crawler import a\n"},
    {"__init__.py": "", "sub/__init__.py": "from . import x\n",
     "sub/x.py": "from crawler.sub import y\n", "sub/y.py": "from .. import sub\n"},
    {"__init__.py": "", "a.py": "try:\n    from crawler.b import f\nexcept ImportError:\n  pass\n",
     "b.py": "if True:\n    from crawler.a import g\n"},
], ids=["from-module", "from-package", "relative", "nested-blocks"])
def test_a_cycle_is_found(tmp_path, files):
    assert cycle_in(import_graph(write_package(tmp_path, files))) is not None


def test_lazy_and_type_checking_imports_are_not_edges(tmp_path):
    package = write_package(tmp_path, {
        "__init__.py": "",
        "a.py": "from crawler.b import f\n",
        "b.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from crawler.a import A\n"
                "def f():\n    from crawler import a\n",
    })
    graph = import_graph(package)
    assert graph["crawler.b"] == set()
    assert cycle_in(graph) is None
