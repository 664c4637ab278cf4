"""Private: a mapping of table name to DataFrame, read as a mapping of records.

Each frame (pandas, polars, or an Arrow table) becomes a sequence of rows, one
mapping of column to value per row, read when first iterated; the readers of a
mapping then check and locate them like the records of a JSON document: the
pointer `/activities/3/start` names the table, the row's position in the frame
(from 0, whatever its index) and the column. Values are read as Python values
(`clusterkit._frames.cell`); the column `<field>_precision` that `to_frames`
writes beside the start or end of a period turns its date back into a month or
a year.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from typing import Any, overload

from clusterkit._frames import column_names, column_values, frame_height, is_frame
from clusterkit.io._fields import field_shape
from clusterkit.models import TABLES

__all__ = ["FrameRows", "frame_tables", "holds_frames"]

_PRECISION = "_precision"


def holds_frames(mapping: Mapping[str, Any]) -> bool:
    """Whether a mapping of tables holds a DataFrame (or an Arrow table)."""
    return any(is_frame(value) for value in mapping.values())


def frame_tables(mapping: Mapping[str, Any]) -> dict[str, Any]:
    """The mapping with each frame replaced by its rows, to read as records."""
    return {
        name: FrameRows(name, value) if is_frame(value) else value
        for name, value in mapping.items()
    }


class FrameRows(Sequence[dict[str, Any]]):
    """The rows of one table's frame, each a mapping of column to Python value."""

    def __init__(self, table: str, frame: Any) -> None:
        self.table = table
        self.frame = frame

    def __len__(self) -> int:
        return frame_height(self.frame)

    @overload
    def __getitem__(self, index: int) -> dict[str, Any]: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[dict[str, Any]]: ...

    def __getitem__(self, index: int | slice) -> Any:
        return self._rows[index]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        return iter(self._rows)

    @functools.cached_property
    def _rows(self) -> list[dict[str, Any]]:
        columns = column_values(self.frame)
        if self.table in TABLES:
            _read_shapes(self.table, columns)
        names = list(columns)
        return [
            dict(zip(names, values, strict=True))
            for values in zip(*columns.values(), strict=True)
        ] or [{} for _ in range(len(self))]

    def __repr__(self) -> str:
        return f"<rows of {self.table}: {', '.join(column_names(self.frame))}>"


def _read_shapes(table: str, columns: dict[str, list[Any]]) -> None:
    """Periods given to the month or the year, and mappings, as the models read them."""
    fields = TABLES[table].model_fields
    for name in list(columns):
        if name not in fields:
            continue
        shape = field_shape(table, name)
        if shape.period is not None and name + _PRECISION in columns:
            precisions = columns.pop(name + _PRECISION)
            columns[name] = [
                _reduced(value, precision)
                for value, precision in zip(columns[name], precisions, strict=True)
            ]
        elif shape.is_mapping:
            columns[name] = [_mapping(value) for value in columns[name]]


def _reduced(value: Any, precision: Any) -> Any:
    """A date given to the year or the month as `YYYY` or `YYYY-MM`, as a file gives it."""
    year, month = getattr(value, "year", None), getattr(value, "month", None)
    if year is None or month is None:
        return value
    if precision == "year":
        return f"{year:04d}"
    if precision == "month":
        return f"{year:04d}-{month:02d}"
    return value


def _mapping(value: Any) -> Any:
    """A mapping as polars (`[{"key": k, "value": v}]`) or Arrow (`[(k, v)]`) give it."""
    if not isinstance(value, list):
        return value
    pairs: dict[Any, Any] = {}
    for item in value:
        if isinstance(item, Mapping) and set(item) == {"key", "value"}:
            pairs[item["key"]] = item["value"]
        elif isinstance(item, list) and len(item) == 2:  # noqa: PLR2004 - a key and a value
            pairs[item[0]] = item[1]
        else:
            return value
    return pairs
