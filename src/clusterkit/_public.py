"""Private: public names report their public home, not the private module that defines them.

`clusterkit.kpis.KPIResult` is defined in `clusterkit.kpis._result`; after `publish`
its `__module__` is `clusterkit.kpis`, which is where help(), reprs, the API
reference and pickles look for it, and where users import it from.
"""

from __future__ import annotations

import inspect
from collections.abc import MutableMapping
from typing import Any

__all__ = ["publish"]


def publish(namespace: MutableMapping[str, Any]) -> None:
    """Give every class and function a package exports its package as `__module__`.

    Only names defined in one of the package's private modules (`_x`) are moved;
    what the package re-exports from elsewhere keeps its own home, and a name
    an optional dependency did not provide is skipped.
    """
    package = namespace["__name__"]
    for name in namespace["__all__"]:
        found = namespace.get(name)
        home = getattr(found, "__module__", None)
        if (
            (inspect.isclass(found) or inspect.isfunction(found))
            and isinstance(home, str)
            and home.startswith(f"{package}._")
        ):
            found.__module__ = package
