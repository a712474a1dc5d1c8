"""No import cycles between the packages of `portal/`: each area sits above the ones it uses.

A "package" is a top-level module of `portal/` (`portal.mail`) or a subpackage with everything
in it (`portal.relationships`); `portal` itself is the application factory. Every import
counts, at the top of a module or inside a function (an import moved into a function to
dodge a cycle is still a cycle).
"""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

PORTAL = Path(__file__).resolve().parents[2] / "portal"

Graph = dict[str, dict[str, str]]  # package -> imported package -> where (module:line)


def _module_name(path: Path, root: Path) -> str:
    parts = list(path.relative_to(root.parent).with_suffix("").parts)
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _package(module: str) -> str:
    """``portal.relationships.views`` -> ``portal.relationships``; ``portal`` stays."""
    return ".".join(module.split(".")[:2])


def _targets(node: ast.AST, module: str, is_init: bool, root: Path) -> Iterator[str]:
    if isinstance(node, ast.Import):
        yield from (alias.name for alias in node.names)
    elif isinstance(node, ast.ImportFrom):
        if node.level:  # a relative import: resolve it against this module's package
            base = module.split(".")[: None if is_init else -1]
            base = base[: len(base) - node.level + 1]
            yield ".".join(base + ([node.module] if node.module else []))
        elif node.module == root.name:  # `from portal import audit` imports portal.audit
            for alias in node.names:
                sub = root / alias.name
                found = sub.is_dir() or sub.with_suffix(".py").exists()
                yield f"{root.name}.{alias.name}" if found else root.name
        elif node.module:
            yield node.module


def import_graph(root: Path = PORTAL) -> Graph:
    """Which package of ``root`` imports which other, with one place that does."""
    graph: Graph = {}
    for path in sorted(root.rglob("*.py")):
        module = _module_name(path, root)
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        for node in ast.walk(tree):
            for target in _targets(node, module, path.name == "__init__.py", root):
                if target != root.name and not target.startswith(f"{root.name}."):
                    continue
                source, imported = _package(module), _package(target)
                if imported != source:
                    where = f"{module}:{getattr(node, 'lineno', 0)}"
                    graph.setdefault(source, {}).setdefault(imported, where)
    return graph


def cycles(graph: Graph) -> list[list[str]]:
    """The strongly connected components of more than one package (Tarjan), sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for nxt in graph.get(node, {}):
            if nxt not in index:
                visit(nxt)
                low[node] = min(low[node], low[nxt])
            elif nxt in stack:
                low[node] = min(low[node], index[nxt])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return sorted(found)


def _explain(graph: Graph, component: list[str]) -> str:
    edges = [
        f"  {a} -> {b} ({graph[a][b]})"
        for a in component
        for b in component
        if b in graph.get(a, {})
    ]
    return "\n".join([" <-> ".join(component), *edges])


def test_no_package_of_the_portal_imports_one_that_imports_it_back():
    graph = import_graph()
    found = cycles(graph)
    assert not found, "import cycles:\n" + "\n".join(_explain(graph, c) for c in found)


def _tree(tmp_path: Path, files: dict[str, str]) -> Path:
    root = tmp_path / "portal"
    for name, source in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(source, encoding="utf-8")
    return root


def test_the_check_sees_cycles_through_every_form_of_import(tmp_path):
    root = _tree(
        tmp_path,
        {
            "__init__.py": "",
            "mail.py": "def send(): from portal.tasks import queue\n",
            "tasks/__init__.py": "from . import jobs\n",
            "tasks/jobs.py": "from portal import mail\n",
            "areas/__init__.py": "",
            "areas/a.py": "import portal.areas.b\n",
            "areas/b.py": "from ..mail import send\n",
        },
    )
    graph = import_graph(root)
    assert graph["portal.mail"] == {"portal.tasks": "portal.mail:1"}
    assert graph["portal.tasks"] == {"portal.mail": "portal.tasks.jobs:1"}
    assert graph["portal.areas"] == {"portal.mail": "portal.areas.b:1"}  # a -> b is inside
    assert cycles(graph) == [["portal.mail", "portal.tasks"]]


def test_a_longer_cycle_is_found_and_layers_are_not(tmp_path):
    layered = {"a.py": "from portal import b\n", "b.py": "from portal import c\n", "c.py": ""}
    assert cycles(import_graph(_tree(tmp_path / "one", {"__init__.py": "", **layered}))) == []
    looped = {**layered, "c.py": "from portal.a import x\n"}
    root = _tree(tmp_path / "two", {"__init__.py": "", **looped})
    assert cycles(import_graph(root)) == [["portal.a", "portal.b", "portal.c"]]
