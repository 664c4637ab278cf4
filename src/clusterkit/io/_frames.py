"""Private: a mapping of table name to DataFrame, read as a mapping of records.

Each frame (pandas, polars, or an Arrow table) becomes a sequence of rows, one
mapping of column to value per row, read when first iterated; the readers of a
mapping then check and locate them like the records of a JSON document: the
pointer `/activities/3/start` names the table, the row's position in the frame
(from 0, whatever its index) and the column. Values are read as Python values
(`clusterkit._frames.cell`); the column `<field>_precision` that `to_frames`
writes beside the start or end of a period turns its date back into a month or
a year.

What reading a frame of a table finds wrong, `FrameRows.report_problems` reports
as a file's reader would: a second column of one name is `CK-HDR-003` and
ignored, as in a CSV file; a key given twice in a mapping cell (a polars list of
`{key, value}` structs, an Arrow map) `CK-HDR-004`, its last value read, as a key
given twice in a JSON record; a cell no field can take (a key that is a list, a
numpy date outside years 1 to 9999) `CK-TYPE-001`, and the cell left out.
"""

from __future__ import annotations

import functools
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any, overload

import attrs

from clusterkit._frames import (
    column_names,
    column_values,
    frame_height,
    is_frame,
    unreadable,
)
from clusterkit.io._fields import field_shape
from clusterkit.io._pairs import repeated_key_message
from clusterkit.io._problems import (
    BAD_VALUE,
    DUPLICATE_COLUMN,
    DUPLICATE_FIELD,
    Reporter,
)
from clusterkit.io._rows import field_columns
from clusterkit.models import TABLES, Record
from clusterkit.report import Entity, Rule
from clusterkit.values import Location

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


@attrs.frozen
class _Problem:
    """What reading a frame found wrong, to report where it is."""

    rule: Rule
    field: str
    message: str
    value: Any
    row: int | None = None  # None: the column itself, at `column`
    column: int | None = None  # from 1, as a CSV reader counts
    hint: str | None = None
    drop: bool = False  # the cell is left out once reported


class FrameRows(Sequence[dict[str, Any]]):
    """The rows of one table's frame, each a mapping of column to Python value.

    A cell with a problem (see `report_problems`) holds its value as the frame
    gives it, which the models refuse, until its problem is reported.
    """

    def __init__(
        self, table: str, frame: Any, model: type[Record] | None = None
    ) -> None:
        self.table = table
        self.frame = frame
        self.model = model

    def read_as(self, model: type[Record]) -> FrameRows:
        """The rows of the frame as `model` (a subclass of the table's) reads them.

        Its columns of the fields the subclass adds are read as the table's own:
        a period's precision, a mapping as polars or Arrow give it.
        """
        return self if model is self.model else FrameRows(self.table, self.frame, model)

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

    @property
    def _rows(self) -> list[dict[str, Any]]:
        return self._read[0]

    @functools.cached_property
    def _read(self) -> tuple[list[dict[str, Any]], list[_Problem]]:
        columns = {
            name: _whole_numbers(values)
            for name, values in column_values(self.frame).items()
        }
        problems: list[_Problem] = []
        if self.table in TABLES:
            model = self.model or TABLES[self.table]
            problems += _duplicate_columns(column_names(self.frame))
            cells = _read_shapes(self.table, columns, model)
            cells += _unreadable_cells(columns, model)
            order = {name: position for position, name in enumerate(columns)}
            problems += sorted(cells, key=lambda p: (p.row, order[p.field]))
        names = list(columns)
        rows = [
            dict(zip(names, values, strict=True))
            for values in zip(*columns.values(), strict=True)
        ] or [{} for _ in range(len(self))]
        return rows, problems

    def report_problems(self, display: str, report: Reporter) -> None:
        """Report what reading the frame found wrong, as a file's reader would.

        A second column of one name (`CK-HDR-003`; the column is ignored), a key
        given twice in a mapping cell (`CK-HDR-004`; its last value is read), a
        cell no field can take (`CK-TYPE-001`; the cell is then left out). The
        reader of a mapping calls it before it reads the rows; a column's
        problems come first, then the cells' in row order, so that a strict
        `report` stops at the first, as it does in a file.

        Args:
            display: How locations name the source (`<frames>`).
            report: Told of each problem.
        """
        rows, problems = self._read
        entity = Entity(self.table)
        for problem in problems:
            if problem.row is None:
                pointer = f"/{self.table}"
            else:
                pointer = f"/{self.table}/{problem.row}/{problem.field}"
            where = Location(
                file=display,
                column=problem.column,
                pointer=pointer,
                field=problem.field,
            )
            report(
                problem.rule,
                where,
                problem.message,
                hint=problem.hint,
                entity=entity,
                value=problem.value,
            )
            if problem.row is not None and problem.drop:
                rows[problem.row].pop(problem.field, None)

    def __repr__(self) -> str:
        return f"<rows of {self.table}: {', '.join(column_names(self.frame))}>"


def _whole_numbers(values: list[Any]) -> list[Any]:
    """A column's whole floats as integers, as a workbook's cells are read.

    pandas makes a column of whole numbers with a gap a float column, so the
    ids 1001 and 1002 of a column with an empty cell come as 1001.0 and
    1002.0, which the models would read as the text "1001.0". `repr` gives
    the number as it is shown: `1e+31` is 10**31, not the float's digits.
    """
    if float not in set(map(type, values)):
        return values
    return [
        int(Decimal(repr(value)))
        if type(value) is float and value.is_integer()
        else value
        for value in values
    ]


def _duplicate_columns(names: Sequence[str]) -> list[_Problem]:
    """Each column named as an earlier one, which is read instead (`CK-HDR-003`)."""
    first: dict[str, int] = {}
    problems = []
    for index, name in enumerate(names):
        if name in first:
            problems.append(
                _Problem(
                    DUPLICATE_COLUMN,
                    name,
                    f"duplicate column {name!r} (also column {first[name] + 1}); "
                    "this column is ignored",
                    value=name,
                    column=index + 1,
                )
            )
        else:
            first[name] = index
    return problems


def _unreadable_cells(
    columns: dict[str, list[Any]], model: type[Record]
) -> list[_Problem]:
    """The cells of the model's fields that no field can take (`CK-TYPE-001`)."""
    fields = field_columns(model).values()
    problems = []
    for name, values in columns.items():
        if name not in fields:
            continue  # an unknown column is reported and ignored
        for row, value in enumerate(values):
            reason = unreadable(value)
            if reason is not None:
                problems.append(
                    _Problem(
                        BAD_VALUE,
                        name,
                        f"{name}: {reason}; it was left out",
                        value=str(value),
                        row=row,
                        hint="give a day from 0001-01-01 to 9999-12-31",
                        drop=True,
                    )
                )
    return problems


def _read_shapes(
    table: str, columns: dict[str, list[Any]], model: type[Record]
) -> list[_Problem]:
    """Periods given to the month or the year, and mappings, as `model` reads them.

    Returns:
        The problems of the mapping cells' keys.
    """
    # The field of each column: its name, or the alias it is read by.
    fields = {column: name for name, column in field_columns(model).items()}
    problems: list[_Problem] = []
    for name in list(columns):
        if name not in fields:
            continue
        shape = field_shape(table, fields[name], model)
        if shape.period is not None and name + _PRECISION in columns:
            precisions = columns.pop(name + _PRECISION)
            columns[name] = [
                _reduced(value, precision)
                for value, precision in zip(columns[name], precisions, strict=True)
            ]
        elif shape.is_mapping:
            read = []
            for row, value in enumerate(columns[name]):
                mapping, twice, no_key = _mapping(value)
                read.append(mapping)
                problems += _key_problems(name, row, twice, no_key)
            columns[name] = read
    return problems


def _key_problems(
    field: str, row: int, twice: list[Any], no_key: list[Any]
) -> list[_Problem]:
    """The problems of a mapping cell's keys: given twice, or no key at all."""
    problems = [
        _Problem(
            DUPLICATE_FIELD,
            field,
            repeated_key_message(field, key),
            value=key,
            row=row,
        )
        for key in twice
    ]
    problems += [
        _Problem(
            BAD_VALUE,
            field,
            f"{field}: the key {key!r} is a {type(key).__name__}, not text; the "
            "mapping was left out",
            value=repr(key),
            row=row,
            hint="a key of a mapping is text, such as a strand label",
            drop=True,
        )
        for key in no_key
    ]
    return problems


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


def _mapping(value: Any) -> tuple[Any, list[Any], list[Any]]:
    """A mapping as polars (`[{"key": k, "value": v}]`) or Arrow (`[(k, v)]`) give it.

    Returns:
        The mapping, of the last value of a key given twice (or the value as
        given, when it is no such list or has a key that is no key); the keys
        given more than once; the key that is no key (a list, a mapping), if any.
    """
    if not isinstance(value, list):
        return value, [], []
    pairs: dict[Any, Any] = {}
    twice: list[Any] = []
    for item in value:
        if isinstance(item, Mapping) and set(item) == {"key", "value"}:
            key, given = item["key"], item["value"]
        elif isinstance(item, list) and len(item) == 2:  # noqa: PLR2004 - a key and a value
            key, given = item
        else:
            return value, [], []
        try:
            if key in pairs and key not in twice:
                twice.append(key)
        except TypeError:  # a key that does not hash: a list, a mapping
            return value, [], [key]
        pairs[key] = given
    return pairs, twice, []
