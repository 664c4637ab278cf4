"""Private: the records of a table as typed frame columns, one per field.

Each field's kind follows from its model's annotation: text (ids, names,
countries, enumerations as their values), integers, decimals (or floats),
booleans, dates, lists of text, and a mapping of text to amounts. The start and
end of a period may be given to the month or the year (`PartialDate`): its
column holds the day it stands for, and the column `<field>_precision` beside it
says how precisely it was given (`year`, `month` or `day`), so that reading the
frame back gives the same value.

The fields a subclass adds are columns too, of their kind; a value of another
type (a float aside, such as a `datetime`, or a list of numbers, a mapping to
text) is given as its text, which the subclass reads back.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import typing
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Literal

from pydantic import BaseModel

from clusterkit._annotations import container, held
from clusterkit._dates import PartialDate, parse_end_date, parse_start_date
from clusterkit._frames import Column, ColumnKind

__all__ = [
    "PRECISION_SUFFIX",
    "Amounts",
    "column_clash",
    "period_fields",
    "table_columns",
]

Amounts = Literal["decimal", "float"]
"""How amounts come out in frames: exact decimals, or floats."""

PRECISION_SUFFIX = "_precision"
"""The suffix of the column that says how precisely a period's date is given."""

_PERIOD_PARSERS = (parse_start_date, parse_end_date)


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
        base = held(info.annotation)
        shape = container(base)
        kind: ColumnKind
        if shape == "list":
            kind = "list"
        elif shape == "mapping":
            values = typing.get_args(base)[1:]
            kind = "map" if values and held(values[0]) is Decimal else "text_map"
        elif base is bool:
            kind = "bool"
        elif base is int:
            kind = "int"
        elif base is float:
            kind = "float"
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
    if isinstance(value, (tuple, list, set, frozenset)):
        return [_plain(item) for item in value]
    return value


@functools.cache
def _as_text(model: type[BaseModel]) -> frozenset[str]:
    """The fields whose values (or items) go into a column of text as text.

    Those of a type that is not text (`str` or a `str` enumeration): a field
    that a subclass adds, whose values read back from their text.
    """
    kinds = _kinds(model)
    found = set()
    for name, info in model.model_fields.items():
        base = held(info.annotation)
        if kinds[name] == "text":
            parts = [base]
        elif kinds[name] in {"list", "text_map"}:
            # The items, or the values; a bare `list` or `dict` says nothing of them.
            args = typing.get_args(base)[1 if kinds[name] == "text_map" else 0 :]
            parts = [arg for arg in args if arg is not Ellipsis] or [object]
        else:
            continue
        if not all(_is_text(held(part)) for part in parts):
            found.add(name)
    return frozenset(found)


def _is_text(kind: Any) -> bool:
    return isinstance(kind, type) and issubclass(kind, str)


def _text(value: Any) -> Any:
    """A value of a column of text (or its items, its mapping's values) as text."""
    if value is None or isinstance(value, str):
        return value
    if isinstance(value, list):
        return [_text(item) for item in value]
    if isinstance(value, dict):
        return {key: _text(item) for key, item in value.items()}
    return str(value)


def _fields(
    model: type[BaseModel], records: Sequence[BaseModel]
) -> dict[str, type[BaseModel]]:
    """The fields of a table's columns, each with the model that first has it.

    The fields of the table's `model`, then those that subclasses of it add, in
    the order of the records that first have them.
    """
    fields = dict.fromkeys(model.model_fields, model)
    for kind in dict.fromkeys(type(record) for record in records):
        for name in kind.model_fields:
            fields.setdefault(name, kind)
    return fields


def _column_of(model: type[BaseModel], name: str) -> tuple[str, ColumnKind]:
    """What a field of `model` makes its column: its name and its kind."""
    return model.model_fields[name].alias or name, _kinds(model)[name]


def column_clash(model: type[BaseModel], records: Sequence[BaseModel]) -> str | None:
    """Why the record types of a table make no one column of a field, or `None`.

    A column has one type and one name: two subclasses that declare a field
    with types of different columns (`int` and `str`) or by different names,
    or two fields by one name, are refused rather than one's values forced into
    the other's column.
    """
    fields = _fields(model, records)
    # The field each column holds, and the model that first has it.
    columns = {_column_of(model, name)[0]: (model, name) for name in model.model_fields}
    for kind in dict.fromkeys(type(record) for record in records):
        for name in kind.model_fields:
            first = fields[name]
            column, shape = _column_of(kind, name)
            first_column, first_shape = _column_of(first, name)
            if shape != first_shape:
                return (
                    f"the field {name!r} is {_type_name(first, name)} in "
                    f"{first.__name__} and {_type_name(kind, name)} in "
                    f"{kind.__name__}; a column has one type: give the field one "
                    "type in every record type of the table, or another name"
                )
            if column != first_column:
                return (
                    f"the field {name!r} is read as {first_column!r} by "
                    f"{first.__name__} and as {column!r} by {kind.__name__}; "
                    "a column has one name: give the field one alias"
                )
            owner, field = columns.setdefault(column, (kind, name))
            if field != name:
                return (
                    f"the column {column!r} is the field {field!r} of "
                    f"{owner.__name__} and the field {name!r} of {kind.__name__}; "
                    "a column holds one field: give one of them another name"
                )
    return None


def _type_name(model: type[BaseModel], name: str) -> str:
    annotation = model.model_fields[name].annotation
    if isinstance(annotation, type):
        return annotation.__name__
    return str(annotation).replace("typing.", "")


def table_columns(
    model: type[BaseModel], records: Sequence[BaseModel], amounts: Amounts
) -> list[Column]:
    """The columns of a table's frame: one per field, and each period's precision.

    The fields are those of the table's `model` and those its records' own
    types add (`_fields`), each column named as the field is read (its alias,
    if it has one); a record without a field has null in its column.
    """
    columns: list[Column] = []
    kinds = dict.fromkeys(type(record) for record in records)
    for name, owner in _fields(model, records).items():
        column = owner.model_fields[name].alias or name
        values = [_plain(getattr(record, name, None)) for record in records]
        # A field's column is of one kind in every record type (`column_clash`);
        # its items are text when any of them declares items of another type.
        if any(name in _as_text(kind) for kind in (owner, *kinds)):
            values = [_text(value) for value in values]
        kind = _kinds(owner)[name]
        if amounts == "float" and kind in {"decimal", "map"}:
            values = [_float(value) for value in values]
            kind = "float" if kind == "decimal" else "float_map"
        if not any(name in period_fields(kind) for kind in (owner, *kinds)):
            columns.append(Column(column, kind, values))
            continue
        days = [v.day_date() if isinstance(v, PartialDate) else v for v in values]
        columns.append(Column(column, kind, days))
        precisions = [
            None if v is None else v.precision if isinstance(v, PartialDate) else "day"
            for v in values
        ]
        columns.append(Column(column + PRECISION_SUFFIX, "text", precisions))
    return columns


def _float(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: float(item) for key, item in value.items()}
    return None if value is None else float(value)
