"""The version: written by the build from the git tag, or the fallback in a tree never built."""

from __future__ import annotations

import sys
import types

import pytest

import clusterkit as ck
from clusterkit import _version


def test_the_version_is_the_one_built() -> None:
    """`clusterkit.__version__` is what the build wrote, or the fallback."""
    assert ck.__version__ == _version.VERSION == _version._built_version()


def test_read_from_the_build(monkeypatch: pytest.MonkeyPatch) -> None:
    """A built tree's version is the one in `_build_version.py`."""
    built = types.ModuleType("clusterkit._build_version")
    built.VERSION = "0.2.0"  # type: ignore[attr-defined]
    monkeypatch.setitem(sys.modules, "clusterkit._build_version", built)
    assert _version._built_version() == "0.2.0"


def test_fallback_in_a_tree_never_built(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without `_build_version.py` (a checkout never installed), the fallback."""
    # None in sys.modules makes the import fail as if the file were missing.
    monkeypatch.setitem(sys.modules, "clusterkit._build_version", None)
    assert _version._built_version() == _version.FALLBACK == "0.0.0+unknown"
