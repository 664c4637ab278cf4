"""The version of clusterkit, which comes from the git tag of the release.

Every build (a wheel, an sdist, an editable install) writes the version it was given
to `clusterkit/_build_version.py` (hatch-vcs, `[tool.hatch.build.hooks.vcs]` in
pyproject.toml), and this module reads it from there: not from importlib.metadata,
which alone costs ~60 ms of import time, and which in a source tree could answer for
another installed copy. A source tree that was never built has no such file; its
version is `FALLBACK`, as is a build from a tree without git history.
"""

from __future__ import annotations

import importlib

__all__ = ["FALLBACK", "VERSION"]

FALLBACK = "0.0.0+unknown"


def _built_version() -> str:
    """The version the last build wrote, or `FALLBACK` in a tree never built."""
    try:
        # Imported by name: the file exists only after a build, and is not in git.
        built = importlib.import_module("clusterkit._build_version")
    except ModuleNotFoundError:
        return FALLBACK
    return str(built.VERSION)


VERSION = _built_version()
