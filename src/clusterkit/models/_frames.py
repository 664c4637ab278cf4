"""Private: the records of a table as typed frame columns, one per field.

Each field's kind follows from its model's annotation: text (ids, names,
countries, enumerations as their values), integers, decimals (or floats),
booleans, dates, lists of text, and a mapping of text to amounts. The start and
end of a period may be given to the month or the year (`PartialDate`): its
column holds the day it stands for, and the column `<field>_precision` beside it
says how precisely it was given (`year`, `month` or `day`), so that reading the
frame back gives the same value.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import types
import typing
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from clusterkit._dates import PartialDate, parse_end_date, parse_start_date
from clusterkit._frames import Column, ColumnKind

__all__ = ["PRECISION_SUFFIX", "Amounts", "period_fields", "table_columns"]

Amounts = Literal["decimal", "float"]
"""How amounts come out in frames: exact decimals, or floats."""

PRECISION_SUFFIX = "_precision"
"""The suffix of the column that says how precisely a period's date is given."""

_PERIOD_PARSERS = (parse_start_date, parse_end_date)


def _base(annotation: Any) -> Any:
    """The type under `Optional` and `Annotated`."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _base(typing.get_args(annotation)[0])
    if origin in {typing.Union, types.UnionType}:
        (inner,) = (a for a in typing.get_args(annotation) if a is not type(None))
        return _base(inner)
    return annotation


def _metadata(info: Any) -> list[Any]:
    """The metadata of a field, and of the `Annotated` type under its `Optional`."""
    found = list(info.metadata)
    for arg in typing.get_args(info.annotation):
        found.extend(getattr(arg, "__metadata__", ()))
    return found


@functools.cache
def _kinds(model: type[BaseModel]) -> dict[str, ColumnKind]:
    kinds: dict[str, ColumnKind] = {}
    for name, info in model.model_fields.items():
        base = _base(info.annotation)
        origin = typing.get_origin(base)
        kind: ColumnKind
        if origin is tuple:
            kind = "list"
        elif origin is dict:
            kind = "map"
        elif base is bool:
            kind = "bool"
        elif base is int:
            kind = "int"
        elif base is Decimal:
            kind = "decimal"
        elif base is dt.date:
            kind = "date"
        else:  # text, and enumerations as their values
            kind = "text"
        kinds[name] = kind
    return kinds


@functools.cache
def period_fields(model: type[BaseModel]) -> frozenset[str]:
    """The fields of a model that may hold a month or a year (`StartDate`, `EndDate`)."""
    return frozenset(
        name
        for name, info in model.model_fields.items()
        if any(
            getattr(item, "func", None) in _PERIOD_PARSERS for item in _metadata(info)
        )
    )


def _plain(value: Any) -> Any:
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, tuple):
        return [_plain(item) for item in value]
    return value


def table_columns(
    model: type[BaseModel], records: Sequence[BaseModel], amounts: Amounts
) -> list[Column]:
    """The columns of a table's frame: one per field, and each period's precision."""
    columns: list[Column] = []
    periods = period_fields(model)
    for name, declared in _kinds(model).items():
        values = [_plain(getattr(record, name)) for record in records]
        kind = declared
        if amounts == "float" and kind in {"decimal", "map"}:
            values = [_float(value) for value in values]
            kind = "float" if kind == "decimal" else "float_map"
        if name not in periods:
            columns.append(Column(name, kind, values))
            continue
        days = [v.day_date() if isinstance(v, PartialDate) else v for v in values]
        columns.append(Column(name, kind, days))
        precisions = [
            None if v is None else v.precision if isinstance(v, PartialDate) else "day"
            for v in values
        ]
        columns.append(Column(name + PRECISION_SUFFIX, "text", precisions))
    return columns


def _float(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: float(item) for key, item in value.items()}
    return None if value is None else float(value)
