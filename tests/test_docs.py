"""Every Python example in the docs and the README runs, and every docstring example passes."""

from __future__ import annotations

import doctest
import importlib
import inspect
import pkgutil
import re
from pathlib import Path

import pytest

import clusterkit

ROOT = Path(__file__).parents[1]
PAGES = sorted([ROOT / "README.md", *(ROOT / "docs").rglob("*.md")])
BLOCK = re.compile(r"^```python\n(.*?)^```", re.DOTALL | re.MULTILINE)
MODULES = sorted(
    name
    for _, name, _ in pkgutil.walk_packages(clusterkit.__path__, "clusterkit.")
    if not name.endswith("__main__")
)


@pytest.mark.parametrize("page", PAGES, ids=lambda p: str(p.relative_to(ROOT)))
def test_python_blocks_run(
    page: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The ```python blocks of a page run, in order, in one namespace."""
    monkeypatch.chdir(tmp_path)
    namespace: dict[str, object] = {"__name__": "__docs__"}
    for number, block in enumerate(BLOCK.findall(page.read_text(encoding="utf-8")), 1):
        code = compile(block, f"{page.name} block {number}", "exec")
        exec(code, namespace)  # noqa: S102 - running the documentation's own examples


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name: str) -> None:
    """The >>> examples in a module's docstrings pass."""
    module = importlib.import_module(name)
    result = doctest.testmod(
        module, optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    assert result.failed == 0


def _published_classes() -> list[type]:
    """Every class a public package exports from one of its private modules."""
    found: dict[str, type] = {}
    for name in ["clusterkit", *MODULES]:
        module = importlib.import_module(name)
        for item in vars(module).values():
            if inspect.isclass(item) and item.__module__ == name:
                found[f"{name}.{item.__qualname__}"] = item
    return [found[key] for key in sorted(found)]


@pytest.mark.parametrize("cls", _published_classes(), ids=lambda c: c.__qualname__)
def test_method_examples_of_published_classes(cls: type) -> None:
    """The >>> examples of the methods of a class moved to its public home pass.

    `doctest.testmod` finds a method by its function's module, which is still
    the private one the class was defined in, so those examples are run here.
    """
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    module = inspect.getmodule(cls)
    for test in finder.find(cls, cls.__qualname__, module=False, globs=vars(module)):
        runner.run(test)
    assert runner.failures == 0


def test_validate_page_lists_every_parameter() -> None:
    """The signature and the argument table of `validate(...)` name every parameter."""
    page = (ROOT / "docs" / "reference" / "validation.md").read_text(encoding="utf-8")
    section = page.split("## `validate(...)` { #validate }", 1)[1].split("\n## ", 1)[0]
    shown = re.search(r"clusterkit\.validate\((.*?)\) -> Report", section, re.DOTALL)
    assert shown is not None
    in_signature = [
        item.strip().split("=")[0]
        for item in shown[1].split(",")
        if item.strip() not in {"", "*"}
    ]
    in_table = [
        name
        for cell in re.findall(r"^\| (`[^|]*`) \|", section, re.MULTILINE)
        for name in re.findall(r"`(\w+)`", cell)
    ]
    parameters = list(inspect.signature(clusterkit.validate).parameters)
    assert in_signature == parameters
    assert in_table == parameters
