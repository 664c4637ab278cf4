"""Private: read the reference data files shipped in `clusterkit/data`.

A leaf helper like `_dates`, so that the models can fall back to the shipped
generations without importing the public `clusterkit.reference` module that comes
after them in the import order.
"""

from __future__ import annotations

import functools
import importlib.resources
import json
from typing import Any

__all__ = ["read_data_file"]


@functools.cache
def read_data_file(name: str) -> Any:
    """Parse one JSON file of `clusterkit/data`; cached, so read once per process."""
    resource = importlib.resources.files("clusterkit").joinpath("data").joinpath(name)
    return json.loads(resource.read_text(encoding="utf-8"))
