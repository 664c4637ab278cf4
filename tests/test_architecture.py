"""The one-way import order of docs/explanation/design.md, checked from the sources."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import clusterkit

PACKAGE = Path(clusterkit.__file__).parent
# Each module may import only modules of its own rank or an earlier one.
RANKS = {
    "errors": 0,
    "values": 1,
    "render": 1,
    "report": 2,
    "countries": 2,
    "models": 3,
    "reference": 4,
    "schema": 4,
    "io": 5,
    "_scan": 6,
    "rules": 7,
    "kpis": 7,
    "testing": 8,
    "cli": 9,
    "__main__": 9,
    "__init__": 9,
}
LEAVES = {"_dates", "_hints", "_reference_data", "_version"}
MODULES = sorted(PACKAGE.rglob("*.py"))


def concept(path: Path) -> str:
    """The top-level concept a source file belongs to (`io`, `models`, …)."""
    return path.relative_to(PACKAGE).parts[0].removesuffix(".py")


def runtime_imports(tree: ast.Module) -> list[str]:
    """The clusterkit concepts a module imports, leaving out `if TYPE_CHECKING:` blocks."""
    found: list[str] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            node.body = []
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module] + [f"{node.module}.{a.name}" for a in node.names]
        elif isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        for name in names:
            parts = name.split(".")
            if parts[0] == "clusterkit" and len(parts) > 1:
                found.append(parts[1])
    return found


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_imports_go_one_way(path: Path) -> None:
    """No module imports a concept that comes after its own."""
    own = concept(path)
    allowed = -1 if own in LEAVES else RANKS[own]  # a leaf imports nothing of ours
    for imported in runtime_imports(ast.parse(path.read_text(encoding="utf-8"))):
        if imported in LEAVES or imported == own:
            continue
        if imported not in RANKS:  # a name imported from the package itself
            continue
        assert RANKS[imported] <= allowed, f"{own} imports {imported}"


def test_the_check_sees_imports() -> None:
    """Runtime imports are found in every form; type-checking-only ones are not."""
    source = (
        "from clusterkit.io import load_dataset\n"
        "import clusterkit.cli\n"
        "from clusterkit import rules\n"
        "if TYPE_CHECKING:\n"
        "    from clusterkit.kpis import x\n"
        "def f():\n"
        "    from clusterkit.testing import y\n"
    )
    assert set(runtime_imports(ast.parse(source))) == {"io", "cli", "rules", "testing"}
