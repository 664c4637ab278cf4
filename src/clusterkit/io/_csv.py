"""Private: read and write one table as a CSV file.

Files are UTF-8 with or without a byte-order mark; the header row names the fields
(case and surrounding space ignored); an empty cell means "not given"; lists are
`;`-separated. Lines are physical lines, header = 1, so a quoted cell that spans
lines moves the following rows down as an editor shows them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterable, Iterator, Sequence
from pathlib import Path
from typing import Any

import attrs

from clusterkit.countries import CodeForm
from clusterkit.errors import DatasetReadError
from clusterkit.io._rows import (
    Complain,
    RawRow,
    cell_to_input,
    column_letter,
    is_flat_field,
    render,
)
from clusterkit.io._text import open_text, undecodable_error
from clusterkit.models import TABLES
from clusterkit.models._base import Record
from clusterkit.values import Location

__all__ = ["flat_cell", "read_csv_table", "write_csv_table"]


def read_header(
    cells: list[str],
    location: Location,
    table: str,
    complain: Complain | None = None,
) -> list[str]:
    """Normalise header names and refuse duplicate and unknown columns.

    With `complain`, such a column is reported to it and ignored (its name
    becomes `""`) instead of raising.
    """
    names = [cell.strip().lower() for cell in cells]
    known = TABLES[table].model_fields
    seen: dict[str, int] = {}
    for column, name in enumerate(names, start=1):
        where = location.with_field(name, column)
        if location.cell is not None:
            where = attrs.evolve(where, cell=f"{column_letter(column)}{location.line}")
        if not name:
            problem, kind = f"header cell {column} is empty", "empty_header_cell"
        elif name in seen:
            problem = f"duplicate column {name!r} (also column {seen[name]})"
            kind = "duplicate_column"
        elif name not in known:
            problem = (
                f"unknown column {name!r} in {table}; "
                f"known columns are {', '.join(known)}"
            )
            kind = "unknown_column"
        else:
            seen[name] = column
            continue
        if complain is None:
            raise DatasetReadError.at(where, problem)
        complain(kind, where, f"{problem}; the column is ignored")
        names[column - 1] = ""
    return names


class _CellPlan:
    """Which cells of a row are plain text and which are lists or mappings.

    Worked out once from the header, so each row is a tight loop over its cells.
    """

    def __init__(self, table: str, header: Sequence[str]) -> None:
        self.table = table
        self.plain = [
            (i, n) for i, n in enumerate(header) if not is_flat_field(table, n)
        ]
        self.flat = [(i, n) for i, n in enumerate(header) if is_flat_field(table, n)]

    def values(self, cells: Sequence[str]) -> dict[str, Any]:
        """The given cells of a row by field name; blank cells are left out."""
        values: dict[str, Any] = {}
        for index, name in self.plain:
            text = cells[index]
            if text and not text.isspace():
                values[name] = text
        for index, name in self.flat:
            text = cells[index]
            if text and not text.isspace():
                values[name] = cell_to_input(self.table, name, text)
        return values


def read_csv_table(path: Path, table: str, display: str) -> Iterator[RawRow]:
    """Yield the rows of one CSV table file, streaming.

    Raises:
        DatasetReadError: The file cannot be opened or decoded, a row is malformed.
    """
    with open_text(path, display, newline="") as handle:
        reader = csv.reader(handle, strict=True)
        header: list[str] | None = None
        columns: dict[str, int] = {}
        plan = _CellPlan(table, ())
        last_line = 0
        try:
            for cells in reader:
                line = last_line + 1
                last_line = reader.line_num
                if not "".join(cells).strip():
                    continue
                location = Location(display, line)
                if header is None:
                    header = read_header(cells, location, table)
                    columns = {name: i for i, name in enumerate(header, start=1)}
                    plan = _CellPlan(table, header)
                    continue
                if len(cells) != len(header):
                    raise DatasetReadError.at(
                        location,
                        f"row has {len(cells)} cells but the header has {len(header)}",
                    )
                yield RawRow(table, plan.values(cells), location, columns)
        except UnicodeDecodeError as error:
            raise undecodable_error(path, display, error) from None
        except csv.Error as error:
            location = Location(file=display, line=last_line + 1)
            raise DatasetReadError.at(
                location,
                f"malformed CSV: {error} (an unterminated quote?)",
            ) from None


def flat_cell(value: Any) -> str:
    """Render one JSON-mode field value as the text of a CSV or workbook cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(str(item) for item in value)
    if isinstance(value, dict):
        return ";".join(f"{key}={item}" for key, item in value.items())
    return str(value)


def write_csv_table(
    path: Path,
    table: str,
    records: Iterable[Record],
    *,
    country_codes: CodeForm = "iso",
) -> None:
    """Write one table as a UTF-8 CSV file with every field as a column."""
    fields = list(TABLES[table].model_fields)
    with path.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(fields)
        for record in records:
            data = render(record, country_codes=country_codes)
            writer.writerow([flat_cell(data[name]) for name in fields])
