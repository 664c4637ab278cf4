"""Private: the CSV layout, a folder with one `<table>.csv` file per table.

Files are UTF-8 with or without a byte-order mark; the header row names the fields
(case and surrounding space ignored); an empty cell means "not given"; lists are
`;`-separated. Lines are physical lines, header = 1, so a quoted cell that spans
lines moves the following rows down as an editor shows them.

Reading column at a time is the fast path of validation: rows are read in chunks
by the `csv` module and turned into columns at C speed. A file that stops
decoding or parsing part way is reported where it stops, and the rows before
that point are still read (the tail is read again, tolerantly, to find them).
"""

from __future__ import annotations

import csv
import enum
import io
import itertools
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from operator import itemgetter
from pathlib import Path
from typing import IO, Any

import attrs

from clusterkit._output import escape_formula
from clusterkit.countries import CodeForm
from clusterkit.errors import DatasetReadError
from clusterkit.io import _chunk
from clusterkit.io._chunk import Chunk, TableSource
from clusterkit.io._faithful import refuse_unfaithful
from clusterkit.io._format import Format, Span
from clusterkit.io._header import read_header
from clusterkit.io._limits import (
    LONG_HINT,
    csv_cells,
    csv_rows,
    current_limits,
    too_long_message,
)
from clusterkit.io._location import line_location
from clusterkit.io._member import (
    DAMAGED,
    ByteRange,
    Member,
    damaged_error,
    describe_undecodable,
    undecodable_error,
)
from clusterkit.io._pairs import LIST_SEPARATOR
from clusterkit.io._problems import (
    BAD_VALUE,
    MALFORMED_ROW,
    OTHER_SEPARATOR,
    UNREADABLE,
    Reporter,
    raise_problem,
)
from clusterkit.io._rows import (
    RawRow,
    column_fields,
    flat_cell,
    render,
    report_repeated_keys,
    split_cells,
    table_columns,
)
from clusterkit.models import TABLES, Dataset, Record
from clusterkit.report import Entity
from clusterkit.values import Location

__all__ = ["FORMAT"]


def _text(handle: IO[bytes]) -> io.TextIOWrapper:
    return io.TextIOWrapper(handle, encoding="utf-8-sig", newline="")


def _reader(lines: Iterable[str], separator: str = ",") -> Any:
    """A strict `csv` reader: read it within `csv_cells`, for cells up to `max_cell_chars`."""
    return csv.reader(lines, strict=True, delimiter=separator)


# The separators a spreadsheet writes instead of the comma: Excel writes `;`
# where the comma is the decimal mark (most of the EU), and a `.csv` file may
# hold tab-separated text.
_OTHER_SEPARATORS = (";", "\t")
_SEPARATOR_NAMES = {";": "';' (semicolons)", "\t": "tabs"}
# How much of a file's start is looked at for its header line.
_HEAD_BYTES = 1 << 16


def _separator(member: Member, known: Collection[str]) -> str:
    """The separator of a CSV file's cells (see `separator_of`).

    A file that cannot be read is the comma's: reading it reports why.
    """
    try:
        head = member.head(_HEAD_BYTES)
    except (DatasetReadError, *DAMAGED):
        return ","
    return separator_of(head.decode("utf-8-sig", errors="replace"), known)


def separator_of(text: str, known: Collection[str]) -> str:
    """The separator of the cells of CSV `text`: `,` unless its header says otherwise.

    The header (the first line that is not blank) is read with each separator
    in turn: the comma wins when it finds a field name in `known` (every file
    in the layout); `;` or a tab only when the comma finds none and it does.
    """
    line = next((line for line in text.splitlines() if line.strip()), "")
    for separator in (",", *_OTHER_SEPARATORS):
        cells = next(csv.reader([line], delimiter=separator), [])
        if any(cell.strip().lower() in known for cell in cells):
            return separator
    return ","


def separator_name(separator: str) -> str:
    """How a message names a separator: `';' (semicolons)`, `tabs`."""
    return _SEPARATOR_NAMES[separator]


def _report_separator(
    separator: str, header: Location, table: str, report: Reporter
) -> None:
    """Say that a file was read with another separator than the comma."""
    report(
        OTHER_SEPARATOR,
        header,
        f"the cells of this file are separated by {separator_name(separator)}, "
        "not by commas; it was read with that separator",
        hint=(
            "clusterkit writes CSV with commas, and other tools may not guess the "
            "separator: write the dataset again with commas, with "
            "'clusterkit convert FOLDER NEW_FOLDER --to csv'"
        ),
        entity=Entity(table),
    )


def _blank(cells: Sequence[str]) -> bool:
    return not "".join(cells).strip()


# ---------------------------------------------------------------- strict rows


def read_rows(
    member: Member,
    table: str | None,
    report: Reporter = raise_problem,
    models: Mapping[str, type[Record]] = TABLES,
) -> Iterator[RawRow]:
    """Yield the rows of one CSV table file, streaming.

    The columns are the fields of the table's model in `models`.

    Raises:
        DatasetReadError: The file cannot be opened or decoded, or (with the
            default `report`) the header or a row is malformed.
    """
    assert table is not None  # noqa: S101 - a CSV file holds one table
    model = models[table]
    display = member.display
    separator = _separator(member, model.model_fields)
    # The limits in force when the file is opened (`limited` sets the same
    # ones around every step): a row whose longest cell is within it has no
    # text too long, which most rows show at C speed.
    longest = current_limits().max_cell_chars
    with _text(member.open()) as handle:
        reader = _reader(handle, separator)
        positions: dict[str, int] | None = None
        columns: dict[str, int] = {}
        width = 0
        last_line = 0
        try:
            for cells, ends_on in csv_rows(reader):
                line = last_line + 1
                last_line = ends_on
                if _blank(cells):
                    continue
                location = line_location(display, line)
                if positions is None:
                    # The strict reader stops at a problem; another separator
                    # is none for it, as the records read are the same.
                    if separator != "," and report is not raise_problem:
                        _report_separator(separator, location, table, report)
                    positions = read_header(
                        cells, table, _header_place(display, line), report, model
                    )
                    columns = {name: i + 1 for name, i in positions.items()}
                    names, take = tuple(positions), _cells_at(positions.values())
                    width = len(cells)
                    continue
                if len(cells) != width:
                    report(
                        MALFORMED_ROW,
                        location,
                        f"row has {len(cells)} cells but the header has {width}",
                        entity=Entity(table),
                    )
                    continue
                # The cells given (not blank: `strip` leaves text), at C speed.
                given = take(cells)
                pairs = zip(names, given, strict=True)
                values = dict(itertools.compress(pairs, map(str.strip, given)))
                if max(map(len, given), default=0) > longest:
                    _leave_out_long(
                        values, location, columns, table, report, limit=longest
                    )
                report_repeated_keys(table, values, location, columns, report, model)
                yield RawRow(
                    table, split_cells(table, values, model), location, columns
                )
        except UnicodeDecodeError as error:
            raise undecodable_error(member, error) from None
        except DAMAGED as error:
            raise damaged_error(member, error, last_line + 1) from None
        except csv.Error as error:
            location = Location(file=display, line=last_line + 1)
            raise DatasetReadError.at(
                location, f"malformed CSV: {error} (an unterminated quote?)"
            ) from None


def _cells_at(indexes: Collection[int]) -> Callable[[list[str]], tuple[str, ...]]:
    """What takes the cells at `indexes` out of a row, as a tuple (at C speed)."""
    if len(indexes) > 1:
        return itemgetter(*indexes)
    return lambda cells: tuple(cells[index] for index in indexes)


def _leave_out_long(
    values: dict[str, str],
    location: Location,
    columns: Mapping[str, int],
    table: str,
    report: Reporter,
    *,
    limit: int,
) -> None:
    """Leave out the cells longer than `limit` (`max_cell_chars`), each reported."""
    for name, cell in list(values.items()):
        if len(cell) > limit:
            report(
                BAD_VALUE,
                location.with_field(name, columns.get(name)),
                too_long_message(name, len(cell)),
                hint=LONG_HINT,
                entity=Entity(table),
            )
            del values[name]


def _header_place(display: str, line: int) -> Any:
    def where(column: int | None, field: str) -> Location:
        return Location(file=display, line=line, column=column, field=field)

    return where


# ---------------------------------------------------------------- columns, leniently


@attrs.define
class _Table:
    """One CSV table being read: its header, once read, and how far it got."""

    member: Member
    source: TableSource
    report: Reporter
    positions: dict[str, int] = attrs.field(factory=dict)
    width: int | None = None
    # The last line of the rows read so far.
    last: int = 0
    # The separator of the cells (see `_separator`).
    separator: str = ","


def read_chunks(
    member: Member,
    table: str | None,
    report: Reporter,
    span: Span | None = None,
) -> Iterator[Chunk]:
    """Yield the rows of one CSV table file as chunks of columns, reporting problems.

    Nothing raises for bad data: a file that cannot be read is a `CK-FILE-001`
    problem where reading stopped; a bad header cell or a malformed row is a
    problem of its own, and reading goes on.

    Args:
        member: The file.
        table: The table it holds.
        report: Told of each problem.
        span: Read only the rows in this byte range `(start, end, first line)`,
            which starts and ends at a line break outside quoted cells, with the
            file's own header. Whoever cut it checked that the file reads
            cleanly, so a problem here raises.
    """
    assert table is not None  # noqa: S101 - a CSV file holds one table
    state = _Table(member, TableSource(table, "csv", member.display), report)
    state.separator = _separator(member, TABLES[table].model_fields)
    if span is not None:
        yield from _span_chunks(state, span)
        return
    try:
        handle = member.open()
    except DatasetReadError as error:
        report(UNREADABLE, Location(file=member.display), error.problem)
        return
    failure: list[tuple[Exception, int]] = []
    with _text(handle) as text:
        reader = _reader(text, state.separator)
        try:
            if _header(reader, state):
                yield from _rows(reader, state, 0)
        except (UnicodeDecodeError, csv.Error, *DAMAGED) as problem:
            failure.append((problem, state.last))
    if not failure:
        return
    # The rows between the last chunk read and the problem went with it (and text
    # is decoded a block at a time): read them again, tolerantly.
    yield from _rows_before_problem(state, failure)
    stopped, checked = failure[0]
    if isinstance(stopped, UnicodeDecodeError):
        message = describe_undecodable(member, stopped)
    elif isinstance(stopped, DAMAGED):
        message = damaged_error(member, stopped).problem
    else:
        # Every csv.Error, told by its type alone (the csv module has one type);
        # its text says which: "field larger than field limit (1000000)", …
        message = f"malformed CSV: {stopped} (an unterminated quote?)"
    report(
        UNREADABLE,
        Location(file=member.display, line=checked + 1),
        f"{message}; reading stopped here: the rows from this line on were not checked",
    )


def _header(reader: Any, state: _Table) -> bool:
    """Read the header row (the first that is not blank); `False`: there is none."""
    with csv_cells():
        for cells in reader:
            if not _blank(cells):
                _take_header(cells, reader.line_num, state)
                state.last = reader.line_num
                return True
    # An empty file is an empty table: nothing to check, nothing lost.
    return False


def _take_header(cells: Sequence[str], line: int, state: _Table) -> None:
    source = state.source
    if state.separator != ",":
        where = Location(file=source.file, line=line)
        _report_separator(state.separator, where, source.table, state.report)
    state.positions = read_header(
        cells, source.table, _header_place(source.file or "", line), state.report
    )
    source.columns.update({name: i + 1 for name, i in state.positions.items()})
    state.width = len(cells)


def _rows(reader: Any, state: _Table, offset: int) -> Iterator[Chunk]:
    """The chunks of the rows after the header (`offset`: lines before the reader's)."""
    last = state.last
    while True:
        with csv_cells():
            chunk = list(itertools.islice(reader, _chunk.BATCH_ROWS))
        if not chunk:
            return
        numbers: Sequence[int]
        if reader.line_num + offset - last == len(chunk):
            numbers = range(last + 1, last + 1 + len(chunk))
        else:
            numbers = _physical_lines(chunk, last)
        last = state.last = reader.line_num + offset
        yield from _columns(chunk, numbers, state)


_SURROGATE = re.compile("[\udc80-\udcff]")


def _rows_before_problem(
    state: _Table, failure: list[tuple[Exception, int]]
) -> Iterator[Chunk]:
    """The rows after the last one read up to the bad byte or quote.

    Here bytes that are not UTF-8 are read as lone surrogates, so the row that
    holds one is found exactly; `failure` is corrected to name the first problem.
    """
    _, checked = failure[0]
    kept: list[tuple[int, list[str]]] = []
    with io.TextIOWrapper(
        state.member.open(), encoding="utf-8-sig", newline="", errors="surrogateescape"
    ) as handle:
        reader = _reader(handle, state.separator)
        previous = 0
        try:
            for row, ends_on in csv_rows(
                reader
            ):  # pragma: no branch - the problem that stopped the first reading ends this one too
                start, previous = previous + 1, ends_on
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
        except DAMAGED:
            pass  # the damage that stopped the first reading: the rows before it
    if state.width is None:
        while kept and _blank(kept[0][1]):
            kept.pop(0)
        if not kept:
            return
        line, cells = kept.pop(0)
        _take_header(cells, line, state)
    if kept:
        numbers = [line for line, _ in kept]
        yield from _columns([row for _, row in kept], numbers, state)


def _span_chunks(state: _Table, span: Span) -> Iterator[Chunk]:
    """The chunks of one byte range of a CSV file, with the file's own header."""
    start, end, first_line = span
    with _text(state.member.open()) as handle:
        if not _header(_reader(handle, state.separator), state):
            return
    raw = state.member.open()
    raw.seek(start)
    with io.TextIOWrapper(
        io.BufferedReader(ByteRange(raw, end - start)),
        encoding="utf-8",
        newline="",
    ) as text:
        state.last = first_line - 1
        yield from _rows(_reader(text, state.separator), state, first_line - 1)


def _columns(
    chunk: list[list[str]], numbers: Sequence[int], state: _Table
) -> Iterator[Chunk]:
    """The chunk of some CSV rows (none if every row was malformed)."""
    width = state.width or 0
    if set(map(len, chunk)) != {width}:
        chunk, numbers = _drop_odd_rows(chunk, numbers, width, state)
        if not chunk:
            return
    columns = list(zip(*chunk, strict=True))
    cells = {field: columns[index] for field, index in state.positions.items()}
    limit = current_limits().max_cell_chars
    # The csv module refuses a field longer than its own limit as it reads,
    # and `csv_cells` raised that limit to ours while it read: unless the
    # program's own limit is higher (it is in force again here), no cell is
    # too long, and the cells need not be measured.
    if limit < csv.field_size_limit():
        for field, column in cells.items():
            if max(map(len, column)) > limit:
                cells[field] = _long_left_out(field, column, numbers, limit, state)
    yield Chunk(state.source, numbers, cells, text=True)


def _long_left_out(
    field: str,
    column: Sequence[str],
    numbers: Sequence[int],
    limit: int,
    state: _Table,
) -> tuple[str, ...]:
    """A column with its cells longer than `limit` left out, each reported."""
    kept = list(column)
    for row, cell in enumerate(column):
        if len(cell) > limit:
            state.report(
                BAD_VALUE,
                state.source.location(numbers[row], field),
                too_long_message(field, len(cell)),
                hint=LONG_HINT,
                entity=Entity(state.source.table),
            )
            kept[row] = ""
    return tuple(kept)


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
    rows: list[list[str]], numbers: Sequence[int], width: int, state: _Table
) -> tuple[list[list[str]], list[int]]:
    kept_rows, kept_numbers = [], []
    for row, number in zip(rows, numbers, strict=True):
        if len(row) == width:
            kept_rows.append(row)
            kept_numbers.append(number)
        elif not _blank(row):
            state.report(
                MALFORMED_ROW,
                state.source.location(number),
                f"row has {len(row)} cells but the header has {width}",
                entity=Entity(state.source.table),
                value=str(len(row)),
                expected=str(width),
                outcome="the row was not checked",
            )
    return kept_rows, kept_numbers


# ---------------------------------------------------------------- writing


def write_table(
    path: Path,
    table: str,
    records: Iterable[Any],
    country_codes: CodeForm = "iso",
    *,
    escape_formulas: bool = False,
) -> None:
    """Write one table as a UTF-8 CSV file with every field as a column.

    The fields a subclass of the table's model adds are columns too, after the
    table's own (`table_columns`). With `escape_formulas`, a text cell that a
    spreadsheet would run as a formula (it starts with `=`, `+`, `-`, `@`, a tab
    or a carriage return) gets a `'` before it; numbers, such as `-5`, are never
    changed. A cell starts with text when its value is a text, or a list whose
    first item or a mapping whose first key is one.

    Raises:
        DatasetError: A value would not read back as it is (`refuse_unfaithful`).
    """
    records = tuple(records)  # a table of a Dataset is a tuple already
    # A field no cell can hold is refused first, whatever its values.
    fields = table_columns(table, records)
    refuse_unfaithful(table, records, "flat")
    # A column is named by its field's alias: the field each column holds, by model.
    names = column_fields(fields, dict.fromkeys(map(type, records)))
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(fields)
        for record in records:
            data = render(record, country_codes=country_codes)
            cells = [flat_cell(data.get(name)) for name in fields]
            if escape_formulas:
                values = record.__dict__
                cells = [
                    _escaped(values.get(name), cell)
                    for name, cell in zip(names[type(record)], cells, strict=True)
                ]
            writer.writerow(cells)


def _escaped(value: Any, cell: str) -> str:
    """The cell of `value` escaped as `unescape_formulas` reads it back.

    A number, a date or an enumeration's value reads back from its own text
    only, so its cell is never escaped. A set's items are read back in no
    known order, so each of its texts is escaped, not only the first.
    """
    if isinstance(value, (set, frozenset)):
        if not all(map(_is_text, value)):
            return cell
        return LIST_SEPARATOR.join(map(escape_formula, cell.split(LIST_SEPARATOR)))
    if isinstance(value, (tuple, list, dict)):
        value = next(iter(value), None)
    return escape_formula(cell) if _is_text(value) else cell


def _is_text(value: Any) -> bool:
    return isinstance(value, str) and not isinstance(value, enum.Enum)


def write(
    folder: Path,
    dataset: Dataset,
    country_codes: CodeForm,
    *,
    escape_formulas: bool = False,
) -> None:
    """Write every table of a dataset as `<table>.csv` in `folder`."""
    for table in TABLES:
        write_table(
            folder / f"{table}.csv",
            table,
            dataset.table(table),
            country_codes,
            escape_formulas=escape_formulas,
        )


def _write_escaped(folder: Path, dataset: Dataset, country_codes: CodeForm) -> None:
    write(folder, dataset, country_codes, escape_formulas=True)


FORMAT = Format(
    name="csv",
    suffix=".csv",
    per_table=True,
    read_rows=read_rows,
    read_chunks=read_chunks,
    write=write,
    write_table=write_table,
    write_escaped=_write_escaped,
    order=0,
)
