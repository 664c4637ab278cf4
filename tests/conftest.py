"""Shared fixtures and hypothesis profiles.

`HYPOTHESIS_PROFILE=ci` runs more examples, derandomised; the default `dev` profile
keeps the suite quick on a laptop and explores new examples on every run.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest
from hypothesis import HealthCheck, settings

import clusterkit as ck
from clusterkit.io import example_path

settings.register_profile(
    "dev",
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
)
settings.register_profile(
    "ci",
    max_examples=150,
    # Reproducible in CI: a red build shows the same failure when run again.
    derandomize=True,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow],
    print_blob=True,
)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(name="example")
def fixture_example() -> ck.Dataset:
    """The bundled fictional example dataset."""
    return ck.load_example()


@pytest.fixture(name="example_dir")
def fixture_example_dir() -> Path:
    """The folder of the bundled example dataset's CSV files."""
    return example_path()


def write(path: Path, text: str, encoding: str = "utf-8") -> Path:
    """Write `text` to `path`, creating folders, and return the path."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding=encoding)
    return path


HOSTILE_ID = "<img src=x onerror=alert(1)>"
"""A partnership id that is markup: reports must show it as text."""
FORMULA_ID = "=1+2"
"""A partnership id that a spreadsheet would take for a formula."""


@pytest.fixture(name="hostile_dir")
def fixture_hostile_dir(tmp_path: Path) -> Path:
    """The valid base dataset with partnership P1 renamed to markup, P2 to a formula."""
    base = Path(__file__).parent / "data" / "valid" / "base"
    folder = tmp_path / "hostile"
    folder.mkdir()
    for file in base.iterdir():
        fields = [
            [
                HOSTILE_ID if cell == "P1" else FORMULA_ID if cell == "P2" else cell
                for cell in line.split(",")
            ]
            for line in file.read_text(encoding="utf-8").split("\n")
        ]
        text = "\n".join(",".join(line) for line in fields)
        (folder / file.name).write_text(text, encoding="utf-8")
    return folder
