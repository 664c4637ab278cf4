"""Private: read and write one table as a JSON Lines file (one object per line)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import TypeVar

import attrs
from pydantic import ValidationError

from clusterkit.countries import CodeForm
from clusterkit.errors import DatasetReadError
from clusterkit.io._json import json_kind, json_record
from clusterkit.io._rows import (
    RawRow,
    given_values,
    record_from_row,
    table_of_model,
)
from clusterkit.io._text import open_text, undecodable_error
from clusterkit.models._base import Record
from clusterkit.values import Location

__all__ = [
    "iter_jsonl_lines",
    "read_jsonl_records",
    "read_jsonl_table",
    "row_from_line",
    "write_jsonl_table",
]

R = TypeVar("R", bound=Record)


def iter_jsonl_lines(
    path: Path, display: str, span: tuple[int, int, int] | None = None
) -> Iterator[tuple[str, Location]]:
    """Yield the non-blank lines of a JSON Lines file with their locations, streaming.

    `span` reads only the lines in a byte range `(start, end, first line)`,
    which starts and ends at a line break.

    Raises:
        DatasetReadError: The file cannot be opened or decoded.
    """
    if span is not None:
        yield from _lines_in_span(path, display, span)
        return
    with open_text(path, display) as handle:
        try:
            for line, text in enumerate(handle, start=1):
                if text.strip():
                    yield text, Location(file=display, line=line)
        except UnicodeDecodeError as error:
            raise undecodable_error(path, display, error) from None


def _lines_in_span(
    path: Path, display: str, span: tuple[int, int, int]
) -> Iterator[tuple[str, Location]]:
    start, end, line = span
    # Strict, as the whole file is read; a byte-order mark only at its start.
    encoding = "utf-8-sig" if start == 0 else "utf-8"
    with path.open("rb") as handle:
        handle.seek(start)
        while handle.tell() < end:
            text = handle.readline().decode(encoding)
            encoding = "utf-8"
            if text.strip():
                yield text, Location(file=display, line=line)
            line += 1


def row_from_line(table: str, text: str, location: Location) -> RawRow:
    """Parse one JSON Lines line into a raw row.

    Raises:
        DatasetReadError: The line is not a JSON object.
    """
    try:
        value = json.loads(text)
    except json.JSONDecodeError as error:
        where = attrs.evolve(location, column=error.colno)
        raise DatasetReadError.at(where, f"JSON syntax error: {error.msg}") from None
    if not isinstance(value, dict):
        problem = f"expected a JSON object, got {json_kind(value)}"
        raise DatasetReadError.at(location, problem)
    return RawRow(table, given_values(value), location)


def read_jsonl_table(path: Path, table: str, display: str) -> Iterator[RawRow]:
    """Yield the rows of one JSON Lines table file, streaming; blank lines are skipped.

    Raises:
        DatasetReadError: The file cannot be opened or decoded, a line is not a
            JSON object.
    """
    for text, location in iter_jsonl_lines(path, display):
        yield row_from_line(table, text, location)


def read_jsonl_records(
    path: Path, model: type[R], display: str
) -> Iterator[tuple[R, Location]]:
    """Yield the records of one JSON Lines table file with their locations.

    A line is first validated straight from its JSON text, as fast as pydantic
    goes; only a line that fails is parsed into a raw row, which applies the
    "blank text is not given" convention and raises the located error.

    Raises:
        DatasetReadError: The file cannot be read, or a line is not a valid record.
    """
    table = table_of_model(model)
    validate = model.model_validate_json
    # The loop of iter_jsonl_lines, inlined: this is the hot path of reading.
    with open_text(path, display) as handle:
        try:
            for line, text in enumerate(handle, start=1):
                if text.isspace():
                    continue
                location = Location(display, line)
                try:
                    record = validate(text)
                except ValidationError:
                    row = row_from_line(table, text, location)
                    record = record_from_row(row, model)
                yield record, location
        except UnicodeDecodeError as error:
            raise undecodable_error(path, display, error) from None


def write_jsonl_table(
    path: Path, records: Iterable[Record], *, country_codes: CodeForm = "iso"
) -> None:
    """Write one table as UTF-8 JSON Lines, one record per line, nulls left out."""
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for record in records:
            handle.write(json_record(record, country_codes))
            handle.write("\n")
