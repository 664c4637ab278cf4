"""The public API: a curated, sorted __all__ in every public module (httpx's guard)."""

from __future__ import annotations

import importlib
import types

import pytest

import clusterkit as ck

PUBLIC_MODULES = [
    "clusterkit",
    "clusterkit.countries",
    "clusterkit.errors",
    "clusterkit.io",
    "clusterkit.kpis",
    "clusterkit.models",
    "clusterkit.reference",
    "clusterkit.render",
    "clusterkit.report",
    "clusterkit.reports",
    "clusterkit.rules",
    "clusterkit.schema",
    "clusterkit.sql",
    "clusterkit.testing",
    "clusterkit.values",
]


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_all_is_sorted_and_complete(name: str) -> None:
    """__all__ is sorted, names only what exists, and misses no public name."""
    module = importlib.import_module(name)
    exported = module.__all__
    if name == "clusterkit.kpis":
        # The engine's names, sorted, then the KPIs in catalogue order.
        kpi_ids = [kpi.id for kpi in ck.kpis.definitions()]
        assert sorted(exported[-len(kpi_ids) :]) == sorted(kpi_ids)
        exported = exported[: -len(kpi_ids)]
    assert exported == sorted(
        exported, key=lambda n: (not n.isupper(), not n[:1].isupper(), n)
    )
    assert all(hasattr(module, item) for item in module.__all__)
    defined_here = {
        item
        for item, value in vars(module).items()
        if not item.startswith("_")
        and not isinstance(value, types.ModuleType)
        and (
            getattr(value, "__module__", "") == name
            or getattr(value, "__module__", "").startswith(f"{name}.")
        )
    }
    assert defined_here <= set(module.__all__), defined_here - set(module.__all__)


def test_top_level_names() -> None:
    """The nouns, verbs, errors and namespaces are reachable from clusterkit."""
    expected = {
        "ActivityRecord",
        "Cluster",
        "Dataset",
        "Generation",
        "Partnership",
        "SME",
        "ThirdCountryTarget",
        "load_dataset",
        "dump_dataset",
        "iter_records",
        "load_example",
        "normalise_country",
        "ClusterkitError",
        "CountryError",
        "AmbiguousCountryError",
        "DatasetError",
        "DatasetReadError",
        "DatasetValidationError",
        "KPIError",
        "errors",
        "reference",
        "__version__",
    }
    assert expected <= set(ck.__all__)
    assert isinstance(ck.__version__, str)


@pytest.mark.parametrize("name", PUBLIC_MODULES)
def test_public_names_report_their_public_home(name: str) -> None:
    """A public class or function names a public module it can be imported from."""
    module = importlib.import_module(name)
    for item in module.__all__:
        value = getattr(module, item)
        if not isinstance(value, (type, types.FunctionType)):
            continue
        home = value.__module__
        assert not any(part.startswith("_") for part in home.split(".")[1:]), (
            f"{name}.{item} reports {home}"
        )
        assert getattr(importlib.import_module(home), value.__name__) is value
