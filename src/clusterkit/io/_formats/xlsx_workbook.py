"""Private: the Excel layout, one workbook with a sheet per table.

Uses openpyxl in its streaming modes: `read_only` parses a sheet row by row and
`write_only` writes rows without keeping them, so memory stays flat for large
workbooks in both directions. openpyxl is the optional extra `clusterkit-eu[excel]`.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, TypeVar
from xml.etree.ElementTree import ParseError

import attrs

from clusterkit._limits import current_limits
from clusterkit._workbook_save import FIXED_TIME, save_workbook
from clusterkit.countries import CodeForm
from clusterkit.errors import DatasetError, DatasetReadError
from clusterkit.io._chunk import Chunk, whole_file_chunks
from clusterkit.io._faithful import record_label, refuse_unfaithful
from clusterkit.io._format import Format, Span
from clusterkit.io._header import read_header
from clusterkit.io._member import DAMAGED, Member, damaged_error
from clusterkit.io._problems import (
    BAD_VALUE,
    DUPLICATE_TABLE,
    MALFORMED_ROW,
    Reporter,
    raise_problem,
)
from clusterkit.io._rows import (
    RawRow,
    cell_to_input,
    column_fields,
    column_letter,
    flat_cell,
    is_flat_field,
    render,
    report_repeated_keys,
    table_columns,
)
from clusterkit.io._xlsx_parts import (
    Malformed,
    Sheet,
    SheetRow,
    SpreadsheetError,
    Workbook,
    escape_text,
    open_workbook,
)
from clusterkit.models import TABLES, Dataset, Record
from clusterkit.report import Entity
from clusterkit.values import Location, PartialDate

__all__ = ["FORMAT", "read_workbook"]

T = TypeVar("T")

# Excel's date serials start in 1900 (with a fictitious 29 February); earlier
# dates are written as ISO text so they read back unchanged.
_EXCEL_EPOCH_YEAR = 1900

# What reading a workbook raises when its bytes are not a workbook, by type.
_UNREADABLE = (
    *DAMAGED,
    ParseError,
    Malformed,
    NotImplementedError,  # a part compressed in a way zipfile cannot read
    OSError,
    RuntimeError,  # an encrypted part
    ValueError,
)

_INSTALL_HINT = (
    "reading and writing .xlsx needs openpyxl: pip install 'clusterkit-eu[excel]'"
)


def _openpyxl() -> Any:
    try:
        import openpyxl  # noqa: PLC0415 - optional dependency, imported on use
    except ImportError:  # pragma: no cover - the test environment has the extra
        raise DatasetReadError(_INSTALL_HINT) from None
    return openpyxl


def read_rows(
    member: Member,
    table: str | None,
    report: Reporter = raise_problem,
    models: Mapping[str, type[Record]] = TABLES,
) -> Iterator[RawRow]:
    """Yield the rows of every table sheet of a workbook (sheets named after tables).

    Cells are read as values, and rows as the sheet gives them: a jump in row
    numbers is a jump in line numbers, not empty rows made up. A formula cell whose
    value was never calculated (a workbook written by a program, not saved by a
    spreadsheet application) has no value to read, so it is an error rather than
    an empty cell. The workbook is read within the `Limits` in force.

    Args:
        member: The workbook.
        table: Only this table's sheet; every table's when `None`.
        report: Told of a bad header cell, a row too long (skipped) or a second
            sheet for a table (not read).
        models: The model of each table, whose fields are its sheet's columns.

    Raises:
        DatasetReadError: The file is not a readable workbook, a limit is crossed,
            or a formula has no saved value; with the default `report`, a header
            or row problem.
    """
    display = member.display
    yield from read_workbook(
        member,
        lambda workbook: _sheets(workbook, table, display, report, models=models),
    )


def read_workbook(
    member: Member, read: Callable[[Workbook], Iterator[T]]
) -> Iterator[T]:
    """What `read` gives of a workbook, opened within the limits in force, then closed.

    A workbook that is not one, is damaged or crosses a limit is a located
    `DatasetReadError`, when it is opened as when a part of it is read.

    Raises:
        DatasetReadError: As said.
        ImportError: openpyxl, which reads dates and formats, is not installed.
    """
    _openpyxl()
    handle = member.open()
    try:
        try:
            workbook = open_workbook(handle, member.display, current_limits())
        except _UNREADABLE as error:
            raise _unreadable(member, error, opening=True) from None
        try:
            yield from read(workbook)
        except _UNREADABLE as error:
            raise _unreadable(member, error) from None
        finally:
            workbook.archive.close()
    finally:
        handle.close()


def _unreadable(
    member: Member, error: BaseException, *, opening: bool = False
) -> DatasetReadError:
    """The error for a workbook that cannot be read, by the kind of failure.

    A file that does not open as a zip archive is not a workbook; a part of one
    that does not inflate is damaged.
    """
    display = member.display
    if isinstance(error, DAMAGED) and not opening:
        return damaged_error(member, error)
    if isinstance(error, _defused_errors()):
        problem = (
            "refused: the workbook's XML declares a DTD or an entity, which a "
            f"workbook never needs ({type(error).__name__})"
        )
    elif isinstance(error, ParseError):
        problem = f"the workbook's XML is broken ({error})"
    else:  # not a zip archive, or a part that is not what the format says
        problem = f"not a readable .xlsx workbook ({error})"
    where = getattr(error, "location", None) or Location(file=display)
    return DatasetReadError.at(where, problem)


def _defused_errors() -> type[Exception]:
    """The base class of what defusedxml refuses (a DTD, an entity)."""
    from defusedxml import (  # noqa: PLC0415 - optional dependency, imported on use
        DefusedXmlException,
    )

    refused: type[Exception] = DefusedXmlException
    return refused


def _sheets(
    workbook: Workbook,
    table: str | None,
    display: str,
    report: Reporter,
    *,
    models: Mapping[str, type[Record]],
) -> Iterator[RawRow]:
    sheets: dict[str, Sheet] = {}
    seconds: dict[str, list[Sheet]] = {}
    for sheet in workbook.sheets:
        key = sheet.name.strip().lower()
        if key in sheets:
            seconds.setdefault(key, []).append(sheet)
        else:
            sheets[key] = sheet
    for name_of_table in TABLES:
        if name_of_table not in sheets or table not in {None, name_of_table}:
            continue
        first = sheets[name_of_table]
        for second in seconds.get(name_of_table, ()):
            report(
                DUPLICATE_TABLE,
                Location(file=display, sheet=second.name),
                f"the sheets {first.name!r} and {second.name!r} both hold the "
                f"{name_of_table} table; only {first.name!r} was read",
                entity=Entity(name_of_table),
            )
        rows = workbook.rows(first)
        model = models[name_of_table]
        yield from _sheet_rows(
            rows, first.name, (name_of_table, model), display, report
        )


def read_chunks(
    member: Member,
    table: str | None,
    report: Reporter,
    span: Span | None = None,
) -> Iterator[Chunk]:
    """Yield the rows of a workbook as chunks of columns, reporting problems.

    A workbook that cannot be read, or a formula without a saved value, is a
    `CK-FILE-001` problem where it is; the rows before it are still read.
    """
    del span  # a workbook is read whole
    yield from whole_file_chunks(
        read_rows(member, table, report), "xlsx", member, report
    )


def _cell_input(table: str, field: str, value: Any, model: type[Record]) -> Any:
    if isinstance(value, float):
        # Whole numbers are stored as floats; repr gives the shortest exact text,
        # the number as a spreadsheet shows it (1E+31 is 10**31, not the float's
        # 9999999999999999635896294965248).
        value = int(Decimal(repr(value))) if value.is_integer() else repr(value)
    if (
        isinstance(value, int)
        and not isinstance(value, bool)
        and is_flat_field(table, field, model)
    ):
        # A list or mapping cell holding one number (an id such as 1001).
        value = str(value)
    if isinstance(value, str):
        return cell_to_input(table, field, value, model) if value.strip() else None
    if isinstance(value, dt.time):
        return value.isoformat()
    return value


def _sheet_rows(  # noqa: C901 - one branch per kind of row, in reading order
    rows: Iterator[SheetRow],
    sheet: str,
    table_and_model: tuple[str, type[Record]],
    display: str,
    report: Reporter,
) -> Iterator[RawRow]:
    table, model = table_and_model
    header: list[str] | None = None
    columns: dict[str, int] = {}
    for line, cells, uncalculated in rows:
        if uncalculated is not None:
            formula_column, formula = uncalculated
            where = Location(
                file=display,
                sheet=sheet,
                line=line,
                column=formula_column,
                cell=f"{column_letter(formula_column)}{line}",
            )
            raise DatasetReadError.at(
                where,
                f"a formula with no saved value ({formula}); "
                "open and save the workbook in a spreadsheet application, or paste "
                "the values",
            )
        if all(isinstance(cell, str) and not cell.strip() for cell in cells.values()):
            continue
        location = Location(file=display, sheet=sheet, line=line, cell=f"A{line}")
        if header is None:
            texts = [
                _header_text(cells.get(column)) for column in range(1, max(cells) + 1)
            ]
            while texts and not texts[-1].strip():
                texts.pop()
            positions = read_header(
                texts, table, _header_place(display, sheet, line), report, model
            )
            header = [""] * len(texts)
            for name, index in positions.items():
                header[index] = name
            columns = {name: i + 1 for name, i in positions.items()}
            continue
        extra = sorted(column for column in cells if column > len(header))
        if extra:
            where = Location(
                file=display,
                sheet=sheet,
                line=line,
                cell=f"{column_letter(extra[0])}{line}",
                column=extra[0],
            )
            problem = (
                f"a value in column {column_letter(extra[0])}, which has no header"
            )
            report(
                MALFORMED_ROW,
                where,
                problem,
                entity=Entity(table),
                outcome="the row was not checked",
            )
            continue
        values = {}
        given: dict[str, Any] = {}
        for column, cell in cells.items():
            name = header[column - 1]
            if not name:
                continue  # an ignored column
            if isinstance(cell, SpreadsheetError):
                _report_error_cell(report, cell, location, column, name, table)
                continue
            given[name] = cell
            converted = _cell_input(table, name, cell, model)
            if converted is not None:
                values[name] = converted
        report_repeated_keys(table, given, location, columns, report, model)
        yield RawRow(table, values, location, columns)


def _header_text(cell: Any) -> str:
    """A header cell's text (a spreadsheet error's as it shows it)."""
    if cell is None:
        return ""
    return cell.text if isinstance(cell, SpreadsheetError) else str(cell)


def _report_error_cell(  # noqa: PLR0917 - one cell: its value, place and field
    report: Reporter,
    cell: SpreadsheetError,
    row: Location,
    column: int,
    field: str,
    table: str,
) -> None:
    """Report a cell that holds a spreadsheet's error (`#N/A`): it has no value."""
    report(
        BAD_VALUE,
        attrs.evolve(
            row, cell=f"{column_letter(column)}{row.line}", column=column, field=field
        ),
        f"{field}: the cell holds the spreadsheet error {cell.text}, the result of "
        "a formula that failed, not a value",
        hint="correct the formula or the cells it reads, or type the value",
        entity=Entity(table),
        value=cell.text,
        outcome="it was left out",
    )


def _header_place(display: str, sheet: str, line: int) -> Callable[..., Location]:
    def where(column: int | None, field: str) -> Location:
        if column is None:
            return Location(file=display, sheet=sheet, field=field)
        return Location(
            file=display,
            sheet=sheet,
            line=line,
            column=column,
            cell=f"{column_letter(column)}{line}",
            field=field,
        )

    return where


# A spreadsheet's number is a double: whole numbers beyond this are not all held.
_EXACT_WHOLE = 2**53
# The most characters a cell holds; Excel (and openpyxl) cut longer text.
_CELL_CHARACTERS = 32_767
# Characters XML 1.0 has no place for, which the models' text may hold.
_NOT_XML = re.compile("[\ufffe\uffff]")


def _cell_output(sheet: Any, value: Any, raw: Any) -> Any:  # noqa: PLR0911 - one return per cell type reads best
    # Write numbers, dates and booleans as typed cells; everything else as text.
    # A month or a year is text too ("2017"): a date cell is always a whole day.
    # A date and time is ISO text, as JSON has it: a cell keeps no time zone,
    # and Excel no more than milliseconds.
    # A number a double cannot hold exactly is text too, so it reads back unchanged.
    if isinstance(raw, bool):
        return raw
    if isinstance(raw, int):
        return raw if abs(raw) <= _EXACT_WHOLE else str(raw)
    if isinstance(raw, Decimal):
        as_float = float(raw)
        if raw == raw.to_integral_value():
            return int(raw) if abs(raw) <= _EXACT_WHOLE else str(raw)
        return as_float if Decimal(repr(as_float)) == raw else str(raw)
    if (
        isinstance(raw, dt.date)
        and raw.year > _EXCEL_EPOCH_YEAR
        and not isinstance(raw, (PartialDate, dt.datetime))
    ):
        return raw
    text = flat_cell(value)
    if "\r" in text or "_x" in text:
        text = escape_text(text)
    if text.startswith("="):
        # openpyxl would store text starting with '=' as a formula.
        cell = _openpyxl().cell.WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        return cell
    return text or None


def _refuse_unwritable(dataset: Dataset) -> None:
    """Refuse, before anything is written, a text that no cell can hold.

    A list is one cell, its items joined by `;`.

    Raises:
        DatasetError: Naming the first such value by table, record and field.
    """
    for table in TABLES:
        for record in dataset.table(table):
            for name, value in record.__dict__.items():
                texts = value if isinstance(value, tuple) else (value,)
                if not all(isinstance(text, str) for text in texts) or not texts:
                    continue
                length = sum(map(len, texts)) + len(texts) - 1
                if length > _CELL_CHARACTERS:
                    reason = (
                        f"the text is {length:,} characters long, more than the "
                        f"{_CELL_CHARACTERS:,} a cell holds"
                    )
                elif any(map(_NOT_XML.search, texts)):
                    reason = "the text holds U+FFFE or U+FFFF, which XML cannot hold"
                else:
                    continue
                msg = (
                    f"{table} {record_label(record)} {name}: {reason}; a workbook cannot "
                    "hold it (nothing was written; write the dataset as CSV, JSON "
                    "Lines or JSON)"
                )
                raise DatasetError(msg)


def write(path: Path, dataset: Dataset, country_codes: CodeForm) -> None:
    """Write a dataset as a workbook with one sheet per table, headers in row 1.

    Each sheet's header row is styled and frozen, with an auto filter over the
    table and columns as wide as their headers; the rows are streamed.

    Raises:
        DatasetError: A text no cell can hold (longer than 32,767 characters,
            or holding U+FFFE or U+FFFF), a field of a subclass that holds what
            no cell can (`table_columns`), or a value that would not read back
            as it is, named by table, record and field.
    """
    _refuse_unwritable(dataset)
    # Each sheet's columns, found (or refused) before a sheet is begun.
    columns = {table: table_columns(table, dataset.table(table)) for table in TABLES}
    for table in TABLES:
        refuse_unfaithful(table, dataset.table(table), "flat")
    openpyxl = _openpyxl()
    workbook = openpyxl.Workbook(write_only=True)
    for table in TABLES:
        sheet = workbook.create_sheet(title=table)
        records = dataset.table(table)
        fields = columns[table]
        # A column is named by its field's alias: the field each holds, by model.
        names = column_fields(fields, dict.fromkeys(map(type, records)))
        _header(openpyxl, sheet, fields)
        rows = 0
        for record in records:
            rows += 1
            as_json = render(record, country_codes=country_codes)
            values = record.__dict__
            sheet.append(
                [
                    _cell_output(sheet, as_json.get(column), values.get(name))
                    for column, name in zip(fields, names[type(record)], strict=True)
                ]
            )
        # The filter's range is written when the sheet closes, after its rows.
        sheet.auto_filter.ref = f"A1:{column_letter(len(fields))}{rows + 1}"
    # Dated by no clock: the same dataset is the same bytes.
    save_workbook(workbook, path, FIXED_TIME)


_HEADER_FILL = "DDE3F0"
_MIN_WIDTH = 12  # a date, 2016-02-01, with room for the filter button


def _header(openpyxl: Any, sheet: Any, fields: list[str]) -> None:
    """Write the header row: bold on a tint, frozen, its columns as wide as it.

    A streaming sheet takes its panes and column widths before its first row,
    so the widths come from the header, not the data.
    """
    sheet.freeze_panes = "A2"
    for number, name in enumerate(fields, start=1):
        width = max(_MIN_WIDTH, len(name) + 4)
        sheet.column_dimensions[column_letter(number)].width = width
    cells = []
    for name in fields:
        cell = openpyxl.cell.WriteOnlyCell(sheet, value=name)
        cell.font = openpyxl.styles.Font(bold=True)
        cell.fill = openpyxl.styles.PatternFill("solid", start_color=_HEADER_FILL)
        cells.append(cell)
    sheet.append(cells)


FORMAT = Format(
    name="xlsx",
    suffix=".xlsx",
    per_table=False,
    read_rows=read_rows,
    read_chunks=read_chunks,
    write=write,
    order=3,
)
