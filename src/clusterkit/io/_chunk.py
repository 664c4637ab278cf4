"""Private: `Chunk`, the raw cells of consecutive rows of one table, column by column.

The lenient readers of every format hand their rows over as chunks, so the checks
that follow (`clusterkit.validate`, `clusterkit.compute_kpis`) work on whole
columns whatever the format. A `TableSource` says where a table's rows are and
turns a row *number* into a `Location`: the physical line for CSV, JSON Lines
and workbook rows, the index in the table's array for a JSON document, a mapping
or a `Dataset`. A JSON document's table also keeps the line each record starts
on, in a compact array (4 bytes a row), so that every finding in it has a line.
"""

from __future__ import annotations

import itertools
from array import array
from collections.abc import Collection, Iterator, Mapping, Sequence
from typing import Any, Literal

import attrs

from clusterkit._hints import did_you_mean
from clusterkit.errors import DatasetReadError
from clusterkit.io._member import Member
from clusterkit.io._problems import UNKNOWN_COLUMN, UNREADABLE, Reporter
from clusterkit.io._rows import RawRow, column_letter, required_fields
from clusterkit.models import TABLES
from clusterkit.report import Entity
from clusterkit.values import Location

__all__ = [
    "BATCH_ROWS",
    "Chunk",
    "SourceKind",
    "TableSource",
    "chunks_from_rows",
    "report_unknown_fields",
    "whole_file_chunks",
]

BATCH_ROWS = 1_000
"""Rows per chunk: large enough for C-speed column work, small enough for flat memory."""

SourceKind = Literal["csv", "jsonl", "json", "xlsx", "mapping", "dataset", "database"]
"""How a table's rows are numbered and located (see `TableSource`)."""

_INDEXED = frozenset({"json", "mapping", "dataset"})


@attrs.define
class TableSource:
    """One table of a source: its file as displayed, its layout and its columns.

    A row is identified by its *number*: the physical line for CSV, JSON Lines and
    workbook rows, the index in the table's array for a JSON document, a mapping
    or a `Dataset`, the order read in for a database table, whose rows are
    located by their primary key (`/activities/A-001/start`, see `add_keys`).

    Added in version 0.2.0.

    Attributes:
        table: The table.
        kind: How its rows are numbered and located.
        file: The file as displayed.
        sheet: The workbook sheet.
        columns: The 1-based column of each field (CSV, workbook).
        lines: In a JSON document, the line each entry of the table's array
            starts on, by index (an entry that is not an object has the line of
            the record before it, and its index is in `gaps`).
        gaps: The indexes of the entries that are not objects.
        keys: In a database, the primary key of each row, by number, as the
            segments of a JSON pointer (`A-001`; a target's `P1/US`).
    """

    table: str
    kind: SourceKind
    file: str | None = None
    sheet: str | None = None
    columns: dict[str, int] = attrs.field(factory=dict)
    lines: array[int] | None = attrs.field(default=None, eq=False, repr=False)
    gaps: set[int] = attrs.field(factory=set, eq=False, repr=False)
    keys: list[str] = attrs.field(factory=list, eq=False, repr=False)
    _numbers: dict[str, int] = attrs.field(
        factory=dict, init=False, eq=False, repr=False
    )

    def add_keys(self, keys: Sequence[str]) -> range:
        """Number the next rows of a database table by their keys.

        Returns:
            The numbers of those rows.
        """
        start = len(self.keys)
        for offset, key in enumerate(keys):
            self._numbers.setdefault(key, start + offset)
        self.keys.extend(keys)
        return range(start, start + len(keys))

    def row_of(self, location: Location) -> int | None:
        """The number of the database row a location points at, if it does."""
        prefix = f"/{self.table}/"
        pointer = location.pointer or ""
        if not pointer.startswith(prefix):
            return None
        width = len(self.keys[0].split("/")) if self.keys else 1
        key = "/".join(pointer.removeprefix(prefix).split("/")[:width])
        return self._numbers.get(key)

    def location(self, number: int, field: str | None = None) -> Location:
        """Where row `number` (and one of its fields) is."""
        if self.kind == "database":
            pointer = f"/{self.table}/{self.keys[number]}"
            if field is not None:
                pointer += f"/{field}"
            return Location(file=self.file, pointer=pointer, field=field)
        column = None if field is None else self.columns.get(field)
        if self.kind in _INDEXED:
            pointer = f"/{self.table}/{number}" + (f"/{field}" if field else "")
            lines = self.lines
            line = lines[number] if lines is not None and number < len(lines) else None
            return Location(file=self.file, line=line, pointer=pointer, field=field)
        if self.kind == "xlsx":
            cell = f"{column_letter(column or 1)}{number}"
            return Location(
                file=self.file,
                sheet=self.sheet,
                line=number,
                column=column,
                cell=cell,
                field=field,
            )
        return Location(file=self.file, line=number, column=column, field=field)


@attrs.define
class Chunk:
    """Raw cells of consecutive rows of one table, a sequence per field.

    Added in version 0.2.0.

    Attributes:
        source: The table and where its rows are.
        numbers: The number of each row (see `TableSource`).
        cells: The raw value of each row, per field present; `None` (or blank
            text) is a value not given.
        text: Every cell is text as written in a CSV file: lists are
            `;`-separated, numbers and dates are unparsed.
        starts: The line each row starts on, for a JSON document.
        kinds: The types of the values of each column (`NoneType` included),
            when the reader has worked them out, so that the checks need not.
    """

    source: TableSource
    numbers: Sequence[int]
    cells: Mapping[str, Sequence[Any]]
    text: bool = False
    starts: Sequence[int | None] | None = None
    kinds: Mapping[str, Collection[type]] | None = None

    @property
    def table(self) -> str:
        """The table of the rows."""
        return self.source.table


def whole_file_chunks(
    rows: Iterator[RawRow], kind: SourceKind, member: Member, report: Reporter
) -> Iterator[Chunk]:
    """Chunks of a file read whole (a JSON document, a workbook), as far as it reads.

    A failure of the reader is a `CK-FILE-001` problem where it is; the rows
    before it are still read.
    """
    yield from chunks_from_rows(
        _until_unreadable(rows, member, report), kind, member.display, report
    )


def _until_unreadable(
    rows: Iterator[RawRow], member: Member, report: Reporter
) -> Iterator[RawRow]:
    """The rows of a reader until it fails; the failure is reported (`CK-FILE-001`)."""
    try:
        yield from rows
    except DatasetReadError as error:
        location = error.location or Location(file=member.display)
        report(
            UNREADABLE,
            location,
            f"{error.problem}; reading of {location.file or member.display} stopped "
            "here, rows after this point were not checked",
        )


def chunks_from_rows(
    rows: Iterator[RawRow], kind: SourceKind, display: str, report: Reporter
) -> Iterator[Chunk]:
    """Chunks of the rows of readers that yield `RawRow`s, table by table.

    Fields no table has are reported once per table and field (`CK-HDR-002`), with
    the number of rows they appear in; a workbook sheet without a required column
    was reported by its header; a record of a JSON source without a required
    field has it as a missing cell, for the cell checks to report row by row.
    """
    for table, table_rows in itertools.groupby(rows, key=lambda row: row.table):
        yield from _table_chunks(table, table_rows, kind, display, report)


def _table_chunks(
    table: str,
    rows: Iterator[RawRow],
    kind: SourceKind,
    display: str,
    report: Reporter,
) -> Iterator[Chunk]:
    known = TABLES[table].model_fields
    required = required_fields(table)
    source: TableSource | None = None
    # A JSON document's records: the line each starts on, 4 bytes a row.
    lines = array("I") if kind == "json" else None
    unknown: dict[str, tuple[Location, int]] = {}
    index = 0
    while True:
        chunk = list(itertools.islice(rows, BATCH_ROWS))
        if not chunk:
            break
        if source is None:
            first = chunk[0].location
            source = TableSource(
                table,
                kind,
                first.file or display,
                first.sheet,
                dict(chunk[0].columns),
                lines=lines,
            )
        numbers: list[int] = []
        for offset, row in enumerate(chunk):
            numbers.append(_number(row, index + offset, kind))
            for key in row.values:
                if key not in known:
                    where, count = unknown.get(key, (row.location_of(key), 0))
                    unknown[key] = (where, count + 1)
        index += len(chunk)
        # A workbook without a required column was told so once; in JSON each
        # record without a required field is told so.
        cells = {
            field: [row.values.get(field) for row in chunk]
            for field in known
            if any(field in row.values for row in chunk)
            or (kind != "xlsx" and field in required)
        }
        starts = None
        if lines is not None:
            starts = [row.location.line or 0 for row in chunk]
            _keep_lines(lines, source.gaps, numbers, starts)
        yield Chunk(source, numbers, cells, starts=starts)
    report_unknown_fields(table, unknown, known, report)


def report_unknown_fields(
    table: str,
    unknown: Mapping[str, tuple[Location, int]],
    known: Collection[str],
    report: Reporter,
) -> None:
    """Report each field of `unknown` once (`CK-HDR-002`), with the rows that give it.

    Args:
        table: The table whose records give the fields.
        unknown: Each field no column takes: where it is first given, and in how
            many rows.
        known: The table's fields, in order.
        report: Told of each field.
    """
    for key, (where, count) in unknown.items():
        rows_text = "1 row" if count == 1 else f"{count} rows"
        report(
            UNKNOWN_COLUMN,
            where,
            f"unknown field {key!r} in {table} ({rows_text}); it is ignored",
            hint=did_you_mean(key, known),
            entity=Entity(table),
            value=key,
            expected=", ".join(known),
        )


def _keep_lines(
    lines: array[int], gaps: set[int], numbers: list[int], starts: list[int]
) -> None:
    """Add the start lines of a chunk's records to its table's array of lines."""
    if numbers[0] == len(lines) and numbers[-1] == len(lines) + len(numbers) - 1:
        lines.extend(starts)  # no entry was skipped: at C speed
        return
    for number, line in zip(numbers, starts, strict=True):
        # Entries that are not objects keep the array sorted, and are set apart.
        filler = lines[-1] if lines else line
        gaps.update(range(len(lines), number))
        lines.extend([filler] * (number - len(lines)))
        lines.append(line)


def _number(row: RawRow, counted: int, kind: SourceKind) -> int:
    """A row's number: its line, or its index in the table's array."""
    if kind not in _INDEXED:
        return row.location.line or 0
    pointer = row.location.pointer or ""
    last = pointer.rsplit("/", 1)[-1]
    # Entries that are not objects were skipped: the pointer still counts them.
    return int(last) if last.isdigit() else counted
