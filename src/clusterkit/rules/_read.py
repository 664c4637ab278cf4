"""Private: read a source table by table into batches, reporting what cannot be read.

Nothing here raises for bad data. A file that cannot be read is a CK-FILE-001
finding, and reading that file stops there (the finding says so); a bad header
cell, a malformed row or a bad value is a finding of its own, and reading goes on.

CSV is the fast path: rows are read in chunks, turned into columns at C speed
and checked a distinct value at a time (`_cells.FieldCheck`). The other layouts
go through the readers of `clusterkit.io`, a row at a time, into the same batches.
"""

from __future__ import annotations

import csv
import functools
import io
import itertools
import os
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from itertools import repeat
from pathlib import Path
from typing import Any

import attrs
from pydantic import TypeAdapter

from clusterkit.errors import DatasetReadError
from clusterkit.io._dataset import Layout, detect_layout
from clusterkit.io._excel import read_workbook
from clusterkit.io._json import read_json_document
from clusterkit.io._jsonl import iter_jsonl_lines, row_from_line
from clusterkit.io._rows import Complain, RawRow
from clusterkit.io._text import describe_undecodable
from clusterkit.models import COUNTERS, TABLES, Dataset, counter_defaults
from clusterkit.models.vocabulary import ActivityType
from clusterkit.report import Entity
from clusterkit.rules._batch import Batch, SourceKind, TableSource
from clusterkit.rules._cells import REQUIRED, FieldCheck, field_checks
from clusterkit.rules._context import Context, Shard, did_you_mean
from clusterkit.values import Location

__all__ = ["BATCH_ROWS", "read_source"]

BATCH_ROWS = 1_000
"""Rows per batch: large enough for C-speed column work, small enough for flat memory."""

TableReader = Callable[[], Iterator[Batch]]


def read_source(source: Any, display: str, context: Context) -> Iterator[Batch]:
    """Yield batches of every table of `source` in table order, reporting problems."""
    if isinstance(source, Dataset):
        yield from _dataset_batches(source, display, context)
        return
    path = Path(source)
    if not path.exists():
        context.report(
            "CK-FILE-001",
            Location(file=display),
            f"{display}: no such file or directory",
        )
        return
    try:
        layout = detect_layout(path)
    except DatasetReadError as error:
        context.report("CK-FILE-001", Location(file=display), _plain(error))
        return
    complain = _complaints(context)
    if layout is Layout.JSON:
        rows = read_json_document(path, display, complain=complain)
        yield from _row_batches(
            _guarded(rows, display, context), display, "json", context
        )
    elif layout is Layout.XLSX:
        rows = read_workbook(path, display, complain=complain)
        yield from _row_batches(
            _guarded(rows, display, context), display, "xlsx", context
        )
    else:
        yield from _folder_batches(path, display, layout, context)


def _plain(error: DatasetReadError) -> str:
    return str(error)


_RULE_OF_COMPLAINT = {
    "unknown_column": "CK-HDR-002",
    "empty_header_cell": "CK-HDR-002",
    "duplicate_column": "CK-HDR-003",
    "extra_cell": "CK-ROW-001",
    "not_object": "CK-ROW-001",
}


def _complaints(context: Context) -> Complain:
    """What a lenient reader skips becomes a finding of the matching rule."""

    def complain(kind: str, location: Location, message: str) -> None:
        hint = None
        if kind == "unknown_column" and location.sheet and location.field:
            # The reader's message lists every column; the hint names the closest.
            known = TABLES[location.sheet.strip().lower()].model_fields
            hint = did_you_mean(location.field, known)
        context.report(
            _RULE_OF_COMPLAINT[kind], location, message, hint=hint, value=location.field
        )

    return complain


def _join(display: str, name: str) -> str:
    return display.rstrip("/\\") + "/" + name if display else name


def _folder_batches(
    path: Path, display: str, layout: Layout, context: Context
) -> Iterator[Batch]:
    # detect_layout found at least one table file of this layout here.
    suffix = ".csv" if layout is Layout.CSV else ".jsonl"
    for table in TABLES:
        file = path / f"{table}{suffix}"
        if not file.is_file():
            continue
        shown = _join(display, file.name)
        if not os.access(file, os.R_OK):
            context.report(
                "CK-FILE-001",
                Location(file=shown),
                f"{shown}: cannot be read (permission denied)",
            )
            continue
        if suffix == ".csv":
            yield from _csv_batches(file, shown, table, context)
        else:
            shard = context.shard
            span = (
                (shard.start, shard.end, shard.first_line)
                if shard is not None and shard.table == table
                else None
            )
            yield from _row_batches(
                _guarded(
                    _jsonl_rows(file, shown, table, context, span), shown, context
                ),
                shown,
                "jsonl",
                context,
            )


def _guarded(
    rows: Iterator[RawRow], display: str, context: Context
) -> Iterator[RawRow]:
    """The rows of a reader until it fails; the failure becomes a CK-FILE-001 finding."""
    try:
        yield from rows
    except DatasetReadError as error:
        location = error.location or Location(file=display)
        problem = str(error).removeprefix(f"{location}: ")
        context.report(
            "CK-FILE-001",
            location,
            f"{problem}; reading of {location.file or display} stopped here, "
            "rows after this point were not checked",
        )


def _jsonl_rows(
    path: Path,
    display: str,
    table: str,
    context: Context,
    span: tuple[int, int, int] | None = None,
) -> Iterator[RawRow]:
    for text, location in iter_jsonl_lines(path, display, span):
        try:
            yield row_from_line(table, text, location)
        except DatasetReadError as error:  # noqa: PERF203 - a bad line is reported, the next one read
            rule = "CK-FILE-001" if "syntax" in str(error) else "CK-ROW-001"
            context.report(
                rule,
                error.location or location,
                str(error).removeprefix(f"{error.location}: "),
                entity=Entity(table),
            )


# ---------------------------------------------------------------- CSV, the fast path


@attrs.define
class _CsvTable:
    """One CSV table being read: its header, once read, and the checks of its cells."""

    source: TableSource
    checks: dict[str, FieldCheck]
    positions: dict[str, int] = attrs.field(factory=dict)
    width: int | None = None
    # The last line of the rows read and checked so far.
    last: int = 0


def _csv_batches(
    path: Path, display: str, table: str, context: Context
) -> Iterator[Batch]:
    state = _CsvTable(
        TableSource(table, "csv", display), field_checks(table, context.enabled)
    )
    failure: list[tuple[Exception, int]] = []
    shard = context.shard
    if shard is not None and shard.table == table:
        yield from _csv_shard_batches(path, state, shard, context)
        return
    try:
        handle = path.open(encoding="utf-8-sig", newline="")
    except OSError as problem:
        context.report(
            "CK-FILE-001",
            Location(file=display),
            f"{display}: cannot open: {problem.strerror or problem}",
        )
        return
    with handle:
        reader = csv.reader(handle, strict=True)
        try:
            yield from _csv_chunks(reader, state, context)
        except (UnicodeDecodeError, csv.Error) as problem:
            failure.append((problem, state.last))
    if failure:
        # The rows between the last chunk read and the problem went with it (and
        # text is decoded a block at a time): read them again, tolerantly.
        yield from _rows_before_problem(path, state, failure, context)
    for error, checked in failure:
        if isinstance(error, UnicodeDecodeError):
            message = describe_undecodable(path, error)
        elif "field larger than field limit" in str(error):
            message = (
                f"malformed CSV: a cell longer than {csv.field_size_limit():,} "
                "characters, most likely an unterminated quote that runs on"
            )
        else:
            message = f"malformed CSV: {error} (an unterminated quote?)"
        context.report(
            "CK-FILE-001",
            Location(file=display, line=checked + 1),
            f"{message}; reading stopped here: the rows from this line on were "
            "not checked",
        )


_SURROGATE = re.compile("[\udc80-\udcff]")


def _rows_before_problem(
    path: Path,
    state: _CsvTable,
    failure: list[tuple[Exception, int]],
    context: Context,
) -> Iterator[Batch]:
    """Check the rows after the last one read up to the bad byte or quote.

    Here bytes that are not UTF-8 are read as lone surrogates, so the row that
    holds one is found exactly; `failure` is corrected to name the first problem.
    """
    _, checked = failure[0]
    kept: list[tuple[int, list[str]]] = []
    with path.open(
        encoding="utf-8-sig", newline="", errors="surrogateescape"
    ) as handle:
        reader = csv.reader(handle, strict=True)
        previous = 0
        try:
            for row in reader:  # pragma: no branch - a bad byte ends it
                start, previous = previous + 1, reader.line_num
                if previous <= checked:
                    continue
                found = _SURROGATE.search("".join(row))
                if found is not None:
                    byte = bytes([ord(found.group()) - 0xDC00])
                    bad = UnicodeDecodeError("utf-8", byte, 0, 1, "invalid start byte")
                    failure[0] = (bad, start - 1)
                    break
                kept.append((start, row))
        except csv.Error as error:
            failure[0] = (error, previous)
    if state.width is None:
        while kept and not "".join(kept[0][1]).strip():
            kept.pop(0)
        if not kept:
            return
        line, cells = kept.pop(0)
        state.positions = _read_header(cells, line, state.source, context)
        state.width = len(cells)
    if kept:
        numbers = [line for line, _ in kept]
        yield from _csv_chunk_batch([row for _, row in kept], numbers, state, context)


def _csv_chunks(reader: Any, state: _CsvTable, context: Context) -> Iterator[Batch]:
    """The batches of a CSV table's rows, its header read first.

    Raises:
        UnicodeDecodeError: A byte is not UTF-8; `state.last` says how far it got.
        csv.Error: A quote does not end; `state.last` says how far it got.
    """
    if not _csv_header(reader, state, context):
        # An empty file is an empty table: nothing to check, nothing lost.
        return
    yield from _csv_rows(reader, state, context, 0)


def _csv_header(reader: Any, state: _CsvTable, context: Context) -> bool:
    """Read the header row (the first that is not blank); `False`: there is none."""
    for cells in reader:
        if "".join(cells).strip():
            state.positions = _read_header(
                cells, reader.line_num, state.source, context
            )
            state.width = len(cells)
            state.last = reader.line_num
            return True
    return False


def _csv_rows(
    reader: Any, state: _CsvTable, context: Context, offset: int
) -> Iterator[Batch]:
    """The batches of the rows after the header (`offset`: lines before the reader's)."""
    last = state.last
    while True:
        chunk = list(itertools.islice(reader, BATCH_ROWS))
        if not chunk:
            return
        numbers: Sequence[int]
        if reader.line_num + offset - last == len(chunk):
            numbers = range(last + 1, last + 1 + len(chunk))
        else:
            numbers = _physical_lines(chunk, last)
        last = state.last = reader.line_num + offset
        yield from _csv_chunk_batch(chunk, numbers, state, context)


def _csv_shard_batches(
    path: Path, state: _CsvTable, shard: Shard, context: Context
) -> Iterator[Batch]:
    """The batches of one byte range of a CSV file, with the file's own header.

    Whoever made the shard checked that the file reads cleanly as a whole
    (`clusterkit.kpis` reads it in one process otherwise), so a problem here is
    not expected and is raised, not reported.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        if not _csv_header(csv.reader(handle, strict=True), state, context):
            return
    with path.open("rb") as raw:
        raw.seek(shard.start)
        text = io.TextIOWrapper(
            io.BufferedReader(_ByteRange(raw, shard.end - shard.start)),
            encoding="utf-8",
            newline="",
        )
        state.last = shard.first_line - 1
        reader = csv.reader(text, strict=True)
        yield from _csv_rows(reader, state, context, shard.first_line - 1)


class _ByteRange(io.RawIOBase):
    """The next `size` bytes of a binary file, as a file of their own."""

    def __init__(self, raw: io.BufferedReader, size: int) -> None:
        self._raw = raw
        self._left = size

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        size = min(len(buffer), self._left)
        if size <= 0:
            return 0
        data = self._raw.read(size)
        buffer[: len(data)] = data
        self._left -= len(data)
        return len(data)


def _csv_chunk_batch(
    chunk: list[list[str]],
    numbers: Sequence[int],
    state: _CsvTable,
    context: Context,
) -> Iterator[Batch]:
    """The batch of one chunk of CSV rows (none if every row was malformed)."""
    width = state.width or 0
    if set(map(len, chunk)) != {width}:
        chunk, numbers = _drop_odd_rows(chunk, numbers, width, state.source, context)
        if not chunk:
            return
    columns = list(zip(*chunk, strict=True))
    raw = {field: columns[index] for field, index in state.positions.items()}
    yield _parse(state.source, state.checks, raw, numbers, context)


def _physical_lines(rows: Sequence[Sequence[str]], last: int) -> list[int]:
    """The line each row starts on, when quoted cells span lines."""
    numbers = []
    line = last + 1
    for row in rows:
        numbers.append(line)
        line += _line_count(row)
    return numbers


def _line_count(row: Sequence[str]) -> int:
    """The physical lines a row takes: one, and one more per line break in a cell."""
    return 1 + sum(
        cell.count("\n") + cell.count("\r") - cell.count("\r\n") for cell in row
    )


def _drop_odd_rows(
    rows: list[list[str]],
    numbers: Sequence[int],
    width: int,
    source: TableSource,
    context: Context,
) -> tuple[list[list[str]], list[int]]:
    kept_rows, kept_numbers = [], []
    for row, number in zip(rows, numbers, strict=True):
        if len(row) == width:
            kept_rows.append(row)
            kept_numbers.append(number)
        elif "".join(row).strip():
            context.report(
                "CK-ROW-001",
                source.location(number),
                f"row has {len(row)} cells but the header has {width}; the row "
                "was not checked",
                entity=Entity(source.table),
                value=str(len(row)),
                expected=str(width),
            )
    return kept_rows, kept_numbers


def _read_header(
    cells: Sequence[str], line: int, source: TableSource, context: Context
) -> dict[str, int]:
    """Field → 0-based cell position; reports unknown, duplicate and missing columns."""
    known = TABLES[source.table].model_fields
    positions: dict[str, int] = {}
    for index, cell in enumerate(cells):
        name = cell.strip().lower()
        where = Location(file=source.file, line=line, column=index + 1, field=name)
        if name in positions:
            context.report(
                "CK-HDR-003",
                where,
                f"duplicate column {name!r} (also column {positions[name] + 1}); "
                "this column is ignored",
                entity=Entity(source.table),
                value=name,
            )
        elif name in known:
            positions[name] = index
        elif name:
            context.report(
                "CK-HDR-002",
                where,
                f"unknown column {name!r} in {source.table}; it is ignored",
                hint=did_you_mean(name, known),
                entity=Entity(source.table),
                value=name,
                expected=", ".join(known),
            )
        elif any(cell.strip() for cell in cells[index + 1 :]):
            context.report(
                "CK-HDR-002",
                where,
                f"header cell {index + 1} is empty; the column is ignored",
                entity=Entity(source.table),
            )
    source.columns.update({name: index + 1 for name, index in positions.items()})
    for name in REQUIRED[source.table]:
        if name not in positions:
            context.report(
                "CK-HDR-001",
                Location(file=source.file, line=line, field=name),
                f"required column {name!r} is missing from {source.table}",
                entity=Entity(source.table),
                expected=name,
            )
    return positions


# ---------------------------------------------------------------- every other layout


def _row_batches(
    rows: Iterator[RawRow], display: str, kind: SourceKind, context: Context
) -> Iterator[Batch]:
    """Batches of the rows of readers that yield `RawRow`s (JSON, JSON Lines, xlsx)."""
    for table, table_rows in itertools.groupby(rows, key=lambda row: row.table):
        yield from _table_row_batches(table, table_rows, display, kind, context)


def _table_row_batches(
    table: str,
    rows: Iterator[RawRow],
    display: str,
    kind: SourceKind,
    context: Context,
) -> Iterator[Batch]:
    known = TABLES[table].model_fields
    # Workbook cells are flat text turned into lists by the reader, like JSON.
    checks = field_checks(table, context.enabled, flat=False)
    source: TableSource | None = None
    unknown: dict[str, tuple[Location, int]] = {}
    index = 0
    while True:
        chunk = list(itertools.islice(rows, BATCH_ROWS))
        if not chunk:
            break
        if source is None:
            first = chunk[0].location
            source = TableSource(
                table, kind, first.file or display, first.sheet, dict(chunk[0].columns)
            )
            if kind == "xlsx":
                _missing_columns(source, context)
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
        raw = {
            field: [row.values.get(field) for row in chunk]
            for field in known
            if any(field in row.values for row in chunk)
            or (kind != "xlsx" and field in REQUIRED[table])
        }
        locations = [row.location for row in chunk]
        yield _parse(source, checks, raw, numbers, context, locations)
    for key, (where, count) in unknown.items():
        rows_text = "1 row" if count == 1 else f"{count} rows"
        context.report(
            "CK-HDR-002",
            where,
            f"unknown field {key!r} in {table} ({rows_text}); it is ignored",
            hint=did_you_mean(key, known),
            entity=Entity(table),
            value=key,
            expected=", ".join(known),
        )


def _number(row: RawRow, counted: int, kind: SourceKind) -> int:
    """A row's number: its line, or for a JSON document its index in the array."""
    if kind != "json":
        return row.location.line or 0
    pointer = row.location.pointer or ""
    last = pointer.rsplit("/", 1)[-1]
    # Entries that are not objects were skipped: the pointer still counts them.
    return int(last) if last.isdigit() else counted


def _missing_columns(source: TableSource, context: Context) -> None:
    for name in REQUIRED[source.table]:
        if name not in source.columns:
            context.report(
                "CK-HDR-001",
                Location(file=source.file, sheet=source.sheet, field=name),
                f"required column {name!r} is missing from sheet {source.sheet}",
                entity=Entity(source.table),
                expected=name,
            )


def _dataset_batches(ds: Dataset, display: str, context: Context) -> Iterator[Batch]:
    for table in TABLES:
        records = ds.table(table)
        if not records:
            continue
        source = TableSource(table, "dataset", display or None)
        checks = field_checks(table, context.enabled, flat=False)
        dump = _dumper(table)
        fields = list(TABLES[table].model_fields)
        for start in range(0, len(records), BATCH_ROWS):
            chunk = records[start : start + BATCH_ROWS]
            # One call dumps the batch as JSON values (pydantic's core, not a
            # Python loop per record); columns are then taken at C speed.
            values = dump(list(chunk))
            raw = {
                field: _given(list(map(dict.get, values, repeat(field))))
                for field in fields
            }
            numbers = range(start, start + len(chunk))
            yield _parse(source, checks, raw, numbers, context)


@functools.cache
def _dumper(table: str) -> Callable[[list[Any]], list[dict[str, Any]]]:
    adapter = TypeAdapter(list[TABLES[table]])  # type: ignore[valid-type] # a model class
    return functools.partial(adapter.dump_python, mode="json")


def _given(column: list[Any]) -> list[Any]:
    """A column as read from JSON: lists as tuples (hashable), blank text not given."""
    if list in set(map(type, column)):
        column = list(map(_hashable, column))
    if "" in column:
        column = [None if value == "" else value for value in column]
    return column


def _hashable(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(value)
    return value


# ---------------------------------------------------------------- cells to a batch


def _parse(  # noqa: PLR0917 - the parts of a batch
    source: TableSource,
    checks: dict[str, FieldCheck],
    raw: Mapping[str, Sequence[Any]],
    numbers: Sequence[int],
    context: Context,
    locations: Sequence[Location] | None = None,
) -> Batch:
    """Check the raw cells of a batch and return its parsed columns, reporting problems."""
    size = len(numbers)
    columns: dict[str, list[Any]] = {}
    distinct: dict[str, Any] = {}
    found: dict[str, dict[int, Any]] = {}
    for field, check in checks.items():
        cells = raw.get(field)
        if cells is None:
            columns[field] = [None] * size
            distinct[field] = ({None}, {None: None})
            continue
        columns[field], problems = check.column(cells, texts=source.kind == "csv")
        if check.distinct is not None:
            distinct[field] = check.distinct
        if problems:
            found[field] = problems
    batch = Batch(source, numbers, columns, locations, distinct)
    for field, problems in found.items():
        cells = raw[field]
        for index, cell_problems in problems.items():
            for problem in cell_problems:
                context.report(
                    problem.rule,
                    batch.location(index, field),
                    problem.message,
                    hint=problem.hint,
                    entity=batch.entity(index),
                    value=_cell_text(cells[index]),
                    expected=problem.expected,
                )
    if source.table == "activities":
        _count_by_type(batch)
    if source.table == "clusters":
        _sme_members_within_total(batch, context)
    return batch


def _cell_text(cell: Any) -> str | None:
    if cell is None:
        return None
    if isinstance(cell, (tuple, list)):
        return ";".join(str(item) for item in cell)
    return str(cell)


_DEFAULTS = {kind.value: counter_defaults(kind) for kind in ActivityType}


def _count_by_type(batch: Batch) -> None:
    """Counters not given take their default by activity type (DESIGN.md §2.2)."""
    types = batch["type"]
    for name in COUNTERS:
        column = batch[name]
        if None not in column:
            continue
        batch.columns[name] = [
            _DEFAULTS[kind][name] if value is None and kind is not None else value
            for value, kind in zip(column, types, strict=True)
        ]
        batch.forget(name)


def _sme_members_within_total(batch: Batch, context: Context) -> None:
    pairs = {
        (sme, total)
        for sme, total in batch.distinct("sme_members", "members_total")
        if sme is not None and total is not None and sme > total
    }
    for index in batch.rows_with(("sme_members", "members_total"), pairs):
        sme, total = batch["sme_members"][index], batch["members_total"][index]
        context.report(
            "CK-TYPE-001",
            batch.location(index, "sme_members"),
            f"sme_members ({sme}) cannot exceed members_total ({total})",
            entity=batch.entity(index),
            value=sme,
            expected=f"<= {total}",
        )
        batch["sme_members"][index] = None
        batch.forget("sme_members")
