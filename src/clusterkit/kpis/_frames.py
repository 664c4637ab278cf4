"""Private: KPI results as DataFrames, one row per group (or for the scope).

Without a breakdown the scope is the one row; with one, each group is a row and
its key's dimensions come first. Counts are integers, ratios floats (null where
undefined), keys text (a year an integer).
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

from clusterkit import _frames
from clusterkit._frames import Column, ColumnKind
from clusterkit.kpis._definitions import CATALOGUE
from clusterkit.kpis._market import KPIValue, TargetMarket

if TYPE_CHECKING:
    from clusterkit.kpis._result import KPIResult

__all__ = ["FRAMES", "kpi_frame", "kpi_frames"]

FRAMES = ("kpis", "activities_by_type", "target_markets")
"""The frames of `KPIResult.to_frames`, in order."""

# The breakdowns whose keys are whole numbers.
_WHOLE_DIMENSIONS = frozenset({"year"})

_SCALAR = {kpi.id: kpi.kind for kpi in CATALOGUE if kpi.kind in {"count", "ratio"}}


def _rows(
    result: KPIResult,
) -> Iterator[
    tuple[
        Mapping[str, str | int | None],
        Mapping[str, KPIValue],
        Mapping[str, int],
        Sequence[TargetMarket],
    ]
]:
    if not result.scope.by:
        yield {}, result.kpis, result.activities_by_type, result.target_markets
    for group in result.groups:
        yield group.key, group.kpis, group.activities_by_type, group.target_markets


def _key_columns(result: KPIResult, keys: list[Mapping[str, Any]]) -> list[Column]:
    columns = []
    for name in result.scope.by:
        values = [key[name] for key in keys]
        # The column's type is its dimension's, never guessed from its values:
        # a frame of no rows has the type of one with some, and they concatenate.
        kind: ColumnKind = "int" if name in _WHOLE_DIMENSIONS else "text"
        if kind == "text":
            values = [None if v is None else str(v) for v in values]
        columns.append(Column(name, kind, values))
    return columns


def kpi_frame(result: KPIResult, backend: _frames.Backend) -> Any:
    """The KPIs: a row per group, or for the scope, and a column per KPI."""
    rows = list(_rows(result))
    columns = _key_columns(result, [key for key, *_ in rows])
    for kpi, kind in _SCALAR.items():
        values = [kpis[kpi] for _, kpis, *_ in rows]
        columns.append(Column(kpi, "int" if kind == "count" else "float", values))
    return _built(backend, "kpis", columns)


def _built(backend: _frames.Backend, name: str, columns: list[Column]) -> Any:
    """The frame `name` of these columns, or a `ValueError` naming what it cannot hold.

    A count beyond a 64-bit integer (which the 30 digits of `max_digits` allow
    in a dataset) would otherwise fail in the library with no word of the KPI.
    """
    _frames.require(backend)  # an unknown backend is named first
    problem = _frames.unfit(backend, columns)
    if problem is not None:
        msg = f"the {name} frame: {problem}; no frame was built"
        raise ValueError(msg)
    return _frames.build(backend, columns)


def kpi_frames(result: KPIResult, backend: _frames.Backend) -> dict[str, Any]:
    """`kpis`, `activities_by_type` (a row per type) and `target_markets` (ranked)."""
    rows = list(_rows(result))
    by_type = [
        (key, kind, count) for key, _, types, _ in rows for kind, count in types.items()
    ]
    markets = [
        (key, rank, market)
        for key, _, _, ranking in rows
        for rank, market in enumerate(ranking, start=1)
    ]
    return {
        "kpis": kpi_frame(result, backend),
        "activities_by_type": _built(
            backend,
            "activities_by_type",
            [
                *_key_columns(result, [key for key, *_ in by_type]),
                Column("type", "text", [kind for _, kind, _ in by_type]),
                Column("activities", "int", [count for *_, count in by_type]),
            ],
        ),
        "target_markets": _built(
            backend,
            "target_markets",
            [
                *_key_columns(result, [key for key, *_ in markets]),
                Column("rank", "int", [rank for _, rank, _ in markets]),
                Column("country", "text", [m.country for *_, m in markets]),
                Column("partnerships", "int", [m.partnerships for *_, m in markets]),
                Column("activities", "int", [m.activities for *_, m in markets]),
            ],
        ),
    }
