"""One boundary: only `portal/programmes/matcher.py` talks to the matcher, and by codes."""

from __future__ import annotations

import ast
from pathlib import Path

PORTAL = Path(__file__).resolve().parents[2] / "portal"
BOUNDARY = PORTAL / "programmes" / "matcher.py"


def _modules() -> list[Path]:
    return sorted(PORTAL.rglob("*.py"))


def _imported(tree: ast.AST) -> set[str]:
    """Every module a tree imports, including by `importlib.import_module("...")`."""
    names: set[str] = set()
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            names |= {alias.name for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module)
        elif isinstance(node, ast.Call) and node.args:
            func = node.func
            called = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            first = node.args[0]
            if called in {"import_module", "__import__"} and isinstance(first, ast.Constant):
                names.add(str(first.value))
    return names


def _imports_matching(path: Path) -> bool:
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    return any(name == "matching" or name.startswith("matching.") for name in _imported(tree))


def test_only_the_boundary_module_imports_the_matcher():
    importers = [
        p.relative_to(PORTAL.parent).as_posix() for p in _modules() if _imports_matching(p)
    ]
    assert importers == ["portal/programmes/matcher.py"]


def test_the_boundary_check_sees_every_form_of_import(tmp_path):
    for source in (
        "import matching",
        "import matching._api as api",
        "from matching import solve",
        "from matching._errors import InstanceError",
        "import importlib\nimportlib.import_module('matching')",
    ):
        module = tmp_path / "m.py"
        module.write_text(source, encoding="utf-8")
        assert _imports_matching(module), source
    (tmp_path / "m.py").write_text("from portal.programmes import matcher", encoding="utf-8")
    assert not _imports_matching(tmp_path / "m.py")


def _readers_of_matcher_output() -> list[Path]:
    """The boundary, the programmes area and every module that imports the boundary."""
    found = []
    for path in _modules():
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        imported = _imported(tree)
        reads = any(name.startswith("portal.programmes") for name in imported)
        if path.parent.name == "programmes" or reads or _imports_matching(path):
            found.append(path)
    return found


def test_no_module_reading_the_matchers_output_uses_regular_expressions():
    readers = _readers_of_matcher_output()
    assert BOUNDARY in readers and PORTAL / "programmes" / "swap.py" in readers
    for path in readers:
        tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
        assert not {"re", "regex"} & _imported(tree), f"{path.name} imports re"
