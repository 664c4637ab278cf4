"""Private: sources that hold records in memory, a mapping or a `Dataset`.

A mapping shaped like the JSON document (`{"clusters": [{...}, ...], ...}`) is
read as a JSON document is, row by row with a pointer for each record. A
`Dataset`'s chunks carry its records' values as they are (enumeration members as
their values); the checks that follow verify ids and text of whole columns at C
speed, and each distinct value of the others once, instead of parsing again.
"""

from __future__ import annotations

import enum
import functools
import operator
import typing
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from clusterkit.io import _chunk
from clusterkit.io._chunk import Chunk, TableSource, chunks_from_rows
from clusterkit.io._frames import FrameRows
from clusterkit.io._limits import checked_record, field_at
from clusterkit.io._problems import MALFORMED_ROW, UNREADABLE, Reporter
from clusterkit.io._rows import RawRow, given_values, json_kind
from clusterkit.models import TABLES, Dataset, Record
from clusterkit.report import Entity
from clusterkit.values import Location

# The Python values that are JSON values, which `json_kind` names.
_JSON_VALUES = (dict, list, str, int, float, bool, type(None))

__all__ = ["dataset_chunks", "mapping_chunks", "mapping_rows"]


def mapping_rows(
    mapping: Mapping[str, Any],
    display: str,
    table: str | None,
    report: Reporter,
    models: Mapping[str, type[Record]] = TABLES,
) -> Iterator[RawRow]:
    """The rows of a mapping of table names to sequences of records, in table order.

    A frame's columns are read as the table's model in `models` reads them.

    A key that names no table, or a table that is not a sequence, is reported
    (`CK-FILE-001`) and skipped; an entry that is not a mapping (or a record of
    the table's model) is reported (`CK-ROW-001`) and skipped.
    """
    for key in mapping:
        if key not in TABLES:
            report(
                UNREADABLE,
                Location(file=display, pointer=f"/{key}"),
                f"unknown table {key!r}; tables are {', '.join(TABLES)}",
                outcome="it was not read",
            )
    for name in TABLES:
        if name not in mapping or table not in {None, name}:
            continue
        records = mapping[name]
        if isinstance(records, (str, bytes, Mapping)) or not isinstance(
            records, Sequence
        ):
            report(
                UNREADABLE,
                Location(file=display, pointer=f"/{name}"),
                f"table {name!r} must be a sequence of records, got "
                f"{type(records).__name__}",
                outcome="it was not read",
            )
            continue
        if isinstance(records, FrameRows):
            records = records.read_as(models[name])
        yield from _table_rows(name, records, display, report)


def _table_rows(
    name: str, records: Sequence[Any], display: str, report: Reporter
) -> Iterator[RawRow]:
    """The rows of one table of a mapping; what is not a record is reported."""
    model = TABLES[name]
    if isinstance(records, FrameRows):
        # Its duplicate columns, keys given twice, cells no field takes.
        records.report_problems(display, report)
    for index, entry in enumerate(records):
        location = Location(file=display, pointer=f"/{name}/{index}")
        if isinstance(entry, model):
            yield RawRow(
                name, entry.model_dump(exclude_defaults=True, by_alias=True), location
            )
        elif isinstance(entry, Mapping):
            # The limits and the surrogate check of a JSON record hold here too.
            where = field_at(location)
            values = checked_record(given_values(entry), name, where, report)
            if values is not None:
                yield RawRow(name, values, location)
        else:
            report(
                MALFORMED_ROW,
                location,
                f"expected a mapping or {model.__name__}, got {_kind(entry)}",
                entity=Entity(name),
                outcome="the record was not checked",
            )


def mapping_chunks(
    mapping: Mapping[str, Any], display: str, table: str | None, report: Reporter
) -> Iterator[Chunk]:
    """The records of a mapping as chunks of columns."""
    rows = mapping_rows(mapping, display, table, report)
    yield from chunks_from_rows(rows, "mapping", display, report)


def dataset_chunks(
    dataset: Dataset, display: str, table: str | None = None
) -> Iterator[Chunk]:
    """The records of a `Dataset` as chunks of their values.

    Enumeration members become their values, as read from a file.
    """
    for name in TABLES:
        if table not in {None, name}:
            continue
        records = dataset.table(name)
        source = TableSource(name, "dataset", display)
        fields, row_of, converters = _columns_of(name)
        for start in range(0, len(records), _chunk.BATCH_ROWS):
            part = records[start : start + _chunk.BATCH_ROWS]
            # A model keeps its fields in its `__dict__` (pydantic does): each
            # record's are taken there at once, then turned into columns at C
            # speed, which visits each record once instead of once per field.
            rows = map(row_of, map(_STORED, part))
            columns = zip(*rows, strict=True)
            cells = {
                field: list(column if convert is None else map(convert, column))
                for field, convert, column in zip(
                    fields, converters, columns, strict=True
                )
            }
            numbers = range(start, start + len(part))
            yield Chunk(source, numbers, cells)


Stored = dict[str, Any]
"""A record's fields, as its `__dict__` holds them."""
_STORED = operator.attrgetter("__dict__")


@functools.cache
def _columns_of(
    table: str,
) -> tuple[
    tuple[str, ...],
    Callable[[Stored], tuple[Any, ...]],
    list[Callable[[Any], Any] | None],
]:
    """A table's fields, how to take them from a record, and each one's conversion."""
    fields = tuple(TABLES[table].model_fields)
    # None: the value as it is.
    converters: list[Callable[[Any], Any] | None] = []
    for field in fields:
        annotation = TABLES[table].model_fields[field].annotation
        kind = _enum_of(annotation)
        if kind is None:
            converters.append(None)
        elif _is_tuple(annotation):
            converters.append(_enum_values)
        else:
            values: dict[Any, Any] = {member: member.value for member in kind}
            values[None] = None
            converters.append(values.__getitem__)
    return fields, operator.itemgetter(*fields), converters


def _enum_values(items: tuple[enum.Enum, ...]) -> tuple[Any, ...]:
    return tuple(member.value for member in items)


def _is_tuple(annotation: Any) -> bool:
    """Whether a field holds a tuple (alone or optional)."""
    return any(
        typing.get_origin(candidate) is tuple
        for candidate in (annotation, *typing.get_args(annotation))
    )


def _enum_of(annotation: Any) -> type[enum.Enum] | None:
    """The enumeration a field holds (alone, optional, or in a tuple), if any."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return candidate
        for inner in typing.get_args(candidate):
            if isinstance(inner, type) and issubclass(inner, enum.Enum):
                return inner
    return None


def _kind(entry: object) -> str:
    """What a table's entry is, for a message: a record says its table."""
    if isinstance(entry, BaseModel):
        table = next(
            (name for name, model in TABLES.items() if isinstance(entry, model)), None
        )
        of = f", a record of the {table} table" if table else ""
        return f"{type(entry).__name__}{of}"
    return json_kind(entry) if isinstance(entry, _JSON_VALUES) else type(entry).__name__
