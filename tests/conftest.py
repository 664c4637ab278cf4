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
