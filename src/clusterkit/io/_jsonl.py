"""Private: read and write one table as a JSON Lines file (one object per line)."""

from __future__ import annotations

import json
from collections.abc import Iterable, Iterator
from pathlib import Path

from clusterkit.countries import CodeForm
from clusterkit.errors import DatasetReadError
from clusterkit.io._json import json_kind, json_record
from clusterkit.io._rows import RawRow, given_values
from clusterkit.io._text import open_text, undecodable_error
from clusterkit.models._base import Record
from clusterkit.values import Location

__all__ = ["read_jsonl_table", "write_jsonl_table"]


def read_jsonl_table(path: Path, table: str, display: str) -> Iterator[RawRow]:
    """Yield the rows of one JSON Lines table file, streaming; blank lines are skipped.

    Raises:
        DatasetReadError: The file cannot be opened or decoded, a line is not a
            JSON object.
    """
    with open_text(path, display) as handle:
        line = 0
        try:
            for line, text in enumerate(handle, start=1):
                if not text.strip():
                    continue
                location = Location(file=display, line=line)
                try:
                    value = json.loads(text)
                except json.JSONDecodeError as error:
                    where = Location(file=display, line=line, column=error.colno)
                    raise DatasetReadError.at(
                        where,
                        f"JSON syntax error: {error.msg}",
                    ) from None
                if not isinstance(value, dict):
                    raise DatasetReadError.at(
                        location,
                        f"expected a JSON object, got {json_kind(value)}",
                    )
                yield RawRow(table, given_values(value), location)
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
