"""The one-way import order of docs/explanation/design.md, checked from the sources."""

from __future__ import annotations

import ast
import importlib
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
    "sql": 5,
    "_scan": 6,
    "rules": 7,
    "kpis": 7,
    "testing": 8,
    "reports": 8,
    "cli": 9,
    "__main__": 9,
    "__init__": 9,
}
# _build_version is written by a build (pyproject.toml) and imports nothing.
LEAVES = {
    "_alike",
    "_annotations",
    "_build_version",
    "_cycles",
    "_dates",
    "_frames",
    "_hints",
    "_limits",
    "_output",
    "_public",
    "_reference_data",
    "_version",
    "_workbook_save",
}
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


def imported_modules(tree: ast.Module, own: str) -> list[tuple[str, int]]:
    """The clusterkit modules a module imports (with the line), resolved to modules.

    `from clusterkit.io import _formats` imports the module `clusterkit.io._formats`;
    `from clusterkit.io import Layout` imports `clusterkit.io`. Imports inside
    functions count; `if TYPE_CHECKING:` blocks do not.
    """
    for node in ast.walk(tree):
        if isinstance(node, ast.If) and ast.unparse(node.test) == "TYPE_CHECKING":
            node.body = []
    found: list[tuple[str, int]] = []
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module:
            module = node.module
            if node.level:  # a relative import, from the module's own package
                module = ".".join([*own.split(".")[: -node.level], module])
            if not module.startswith("clusterkit"):
                continue
            for alias in node.names:
                candidate = f"{module}.{alias.name}"
                is_module = (PACKAGE.parent / candidate.replace(".", "/")).with_suffix(
                    ".py"
                ).exists() or (PACKAGE.parent / candidate.replace(".", "/")).is_dir()
                found.append((candidate if is_module else module, node.lineno))
        elif isinstance(node, ast.Import):
            found.extend(
                (alias.name, node.lineno)
                for alias in node.names
                if alias.name.startswith("clusterkit")
            )
    return found


def module_name(path: Path) -> str:
    """The dotted name of a source file (`clusterkit.io._csv`, `clusterkit.io`)."""
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    if parts[-1] == "__init__":
        parts.pop()
    return ".".join(parts)


def package_of(name: str) -> str:
    """The package a module belongs to: `clusterkit.io` for `clusterkit.io._csv`."""
    path = PACKAGE.parent / name.replace(".", "/")
    return name if path.is_dir() else name.rsplit(".", 1)[0]


@pytest.mark.parametrize("path", MODULES, ids=lambda p: str(p.relative_to(PACKAGE)))
def test_no_private_module_of_another_package(path: Path) -> None:
    """A module imports another package only through its public names.

    `clusterkit.x._y` may be imported from inside `clusterkit.x` only; the
    private leaves (`clusterkit._dates`, …) and the private scanning layer's own
    package (`clusterkit._scan`) are modules of their own.
    """
    own = module_name(path)
    for imported, line in imported_modules(ast.parse(path.read_text("utf-8")), own):
        parts = imported.split(".")
        private = [i for i, part in enumerate(parts) if part.startswith("_") and i > 1]
        if not private:
            continue
        home = ".".join(parts[: private[0]])
        assert own == home or own.startswith(f"{home}."), (
            f"{own} imports the private module {imported} (line {line})"
        )


def import_graph() -> dict[str, set[str]]:
    """Which clusterkit modules each clusterkit module imports."""
    graph: dict[str, set[str]] = {}
    for path in MODULES:
        own = module_name(path)
        tree = ast.parse(path.read_text(encoding="utf-8"))
        graph[own] = {name for name, _ in imported_modules(tree, own)} - {own}
    return graph


def test_no_cycles_inside_a_package() -> None:
    """Within a package, modules import one another without a cycle."""
    graph = import_graph()
    cycles: list[list[str]] = []

    def visit(node: str, trail: list[str]) -> None:
        for target in sorted(graph.get(node, ())):
            if package_of(target) != package_of(trail[0]) and target != package_of(
                trail[0]
            ):
                continue
            if target == trail[0]:
                cycles.append([*trail, target])
            elif target not in trail and len(trail) < 12:
                visit(target, [*trail, target])

    for start in graph:
        visit(start, [start])
    assert cycles == []


def test_from_clusterkit_imports_resolve() -> None:
    """Every name a module imports from a clusterkit module exists there."""
    missing = []
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if not (
                isinstance(node, ast.ImportFrom)
                and node.module
                and node.module.startswith("clusterkit")
            ):
                continue
            module = importlib.import_module(node.module)
            for alias in node.names:
                if alias.name != "*" and not hasattr(module, alias.name):
                    try:
                        importlib.import_module(f"{node.module}.{alias.name}")
                    except ImportError:
                        missing.append(f"{path.name}: {node.module}.{alias.name}")
    assert missing == []


def test_the_graph_resolves_modules_and_names() -> None:
    """A submodule imported by name is a module; other names are their module's."""
    source = (
        "from clusterkit.io import _formats\n"
        "from clusterkit.io import Layout\n"
        "import clusterkit.rules\n"
    )
    assert imported_modules(ast.parse(source), "clusterkit.io._format") == [
        ("clusterkit.io._formats", 1),
        ("clusterkit.io", 2),
        ("clusterkit.rules", 3),
    ]


def literals() -> dict[str, set[str]]:
    """Each exact string literal of the sources, with the modules it appears in."""
    found: dict[str, set[str]] = {}
    for path in MODULES:
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Constant) and isinstance(node.value, str):
                found.setdefault(node.value, set()).add(str(path.relative_to(PACKAGE)))
    return found


def test_each_rule_id_is_written_once() -> None:
    """A rule id is a literal in one module only: where its `Rule` is declared.

    Prose that mentions a rule (a docstring, a help text, a message) is not the
    id written as a value; `"CK-GEO-001"` alone is.
    """
    written = literals()
    places = {rule: written.get(rule, set()) for rule in clusterkit.rules.CATALOGUE}
    assert {rule: files for rule, files in places.items() if len(files) != 1} == {}


# Where a KPI id may appear as a literal besides the catalogue, because the same
# word names something else there.
KPI_WORDS_ELSEWHERE = {
    # Table names.
    "activities": "the activities table",
    "partnerships": "the partnerships table",
    # Fields of the records, which the readers and the tallies read by name.
    "b2b_meetings": "an activity's counter",
    "c2c_meetings": "an activity's counter",
    "mous_signed": "an activity's counter",
    "collaboration_projects": "an activity's counter",
    "smes_involved": "an activity's field",
    "smes_reached": "a partnership's field",
}
# Keys of the KPI result's JSON structure (DESIGN.md §7) and of the published
# figures, which name a KPI's structure rather than compute it.
KPI_KEYS = {
    ("kpis/_frames.py", "activities_by_type"),  # the names of KPIResult.to_frames
    ("kpis/_frames.py", "target_markets"),
    ("kpis/_result.py", "activities_by_type"),
    ("kpis/_result.py", "target_markets"),
    ("reference.py", "target_markets"),
}


def test_each_kpi_id_is_written_once() -> None:
    """A KPI id is a literal in the catalogue only.

    Besides words that name a table, a record field or a key of the result's
    structure.
    """
    written = literals()
    elsewhere = set()
    for kpi in clusterkit.kpis.definitions():
        assert "kpis/_definitions.py" in written[kpi.id]
        if kpi.id in KPI_WORDS_ELSEWHERE:
            continue
        elsewhere |= {
            (file, kpi.id)
            for file in written[kpi.id] - {"kpis/_definitions.py"}
            if (file, kpi.id) not in KPI_KEYS
        }
    assert elsewhere == set()
