"""Private: the JSON layout, one document holding every table.

The document is an object with one array per table:
`{"generations": [...], "clusters": [...], ...}`. The reader streams: it decodes
one record at a time from a sliding buffer, so memory holds one record, not the
file, and it knows the physical line where each record starts.
"""

from __future__ import annotations

import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import IO, Any

from clusterkit.countries import CodeForm
from clusterkit.errors import DatasetReadError
from clusterkit.io._chunk import Chunk, whole_file_chunks
from clusterkit.io._format import Format, Span
from clusterkit.io._member import Member, undecodable_error
from clusterkit.io._problems import MALFORMED_ROW, Reporter, raise_problem
from clusterkit.io._rows import RawRow, given_values, json_kind, json_record
from clusterkit.models import TABLES, Dataset
from clusterkit.report import Entity
from clusterkit.values import Location

__all__ = ["FORMAT"]

_CHUNK = 1 << 16
_WHITESPACE = " \t\n\r"
_DECODER = json.JSONDecoder()


class _Scanner:
    """A cursor over a JSON text read in chunks, tracking the physical line."""

    def __init__(self, handle: IO[str], display: str) -> None:
        self.handle = handle
        self.display = display
        self.buffer = ""
        self.pos = 0
        self.line = 1  # line of self.pos

    def _fill(self) -> bool:
        chunk = self.handle.read(_CHUNK)
        if not chunk:
            return False
        # Keep the current line in the buffer so columns stay computable.
        keep_from = self.buffer.rfind("\n", 0, self.pos) + 1
        self.buffer = self.buffer[keep_from:] + chunk
        self.pos -= keep_from
        return True

    def location(self, pos: int | None = None) -> Location:
        at = self.pos if pos is None else pos
        line = self.line + self.buffer.count("\n", self.pos, at)
        column = at - self.buffer.rfind("\n", 0, at)
        return Location(file=self.display, line=line, column=column)

    def fail(self, message: str, pos: int | None = None) -> DatasetReadError:
        return DatasetReadError.at(self.location(pos), message)

    def _advance(self, to: int) -> None:
        self.line += self.buffer.count("\n", self.pos, to)
        self.pos = to

    def peek(self) -> str:
        """Skip whitespace and return the next character ('' at the end)."""
        while True:
            at = self.pos
            while at < len(self.buffer) and self.buffer[at] in _WHITESPACE:
                at += 1
            self._advance(at)
            if self.pos < len(self.buffer):
                return self.buffer[self.pos]
            if not self._fill():
                return ""

    def expect(self, allowed: str, what: str) -> str:
        char = self.peek()
        if not char or char not in allowed:
            found = repr(char) if char else "the end of the file"
            raise self.fail(f"JSON syntax error: expected {what}, found {found}")
        self._advance(self.pos + 1)
        return char

    def value(self) -> Any:
        """Decode the next complete JSON value."""
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as error:
                if self._fill():
                    continue
                raise self.fail(f"JSON syntax error: {error.msg}", error.pos) from None
            # A number that ends at the buffer's end may go on in the next chunk.
            if end == len(self.buffer) and self._fill():
                continue
            self._advance(end)
            return value


def read_rows(
    member: Member, table: str | None, report: Reporter = raise_problem
) -> Iterator[RawRow]:
    """Yield the rows of a JSON dataset document, table by table as they appear.

    Args:
        member: The document.
        table: Only yield rows of this table (others are skipped record by
            record); all tables when `None`.
        report: Told of records that are not objects, which are then skipped.

    Raises:
        DatasetReadError: The file is not valid JSON, not an object of arrays, or
            names an unknown table, or (with the default `report`) a record is
            not a JSON object.
    """
    with io.TextIOWrapper(member.open(), encoding="utf-8-sig") as handle:
        scanner = _Scanner(handle, member.display)
        try:
            yield from _document_rows(scanner, table, report)
        except UnicodeDecodeError as error:
            raise undecodable_error(member, error) from None


def read_chunks(
    member: Member,
    table: str | None,
    report: Reporter,
    span: Span | None = None,
) -> Iterator[Chunk]:
    """Yield the records of a JSON document as chunks of columns, reporting problems.

    A problem that stops the reading (a syntax error, an unknown table) is a
    `CK-FILE-001` problem where it is; the records before it are still read.
    """
    del span  # a document is read whole
    yield from whole_file_chunks(
        read_rows(member, table, report), "json", member, report
    )


def _document_rows(
    scanner: _Scanner, table: str | None, report: Reporter
) -> Iterator[RawRow]:
    if scanner.peek() == "":
        raise scanner.fail("the file is empty; expected a JSON object of tables")
    if scanner.peek() != "{":
        start = scanner.location()
        found = scanner.value()
        raise DatasetReadError.at(
            start,
            f'expected a JSON object of tables ({{"clusters": [...], ...}}), '
            f"got {json_kind(found)}",
        )
    scanner.expect("{", "'{'")
    if scanner.peek() == "}":
        scanner.expect("}", "'}'")
    else:
        while True:
            key_location = scanner.location()
            key = scanner.value()
            if not isinstance(key, str):
                raise DatasetReadError.at(
                    key_location,
                    f"JSON syntax error: expected a table name, found {key!r}",
                )
            if key not in TABLES:
                raise DatasetReadError.at(
                    key_location,
                    f"unknown table {key!r}; tables are {', '.join(TABLES)}",
                )
            scanner.expect(":", "':'")
            yield from _table_rows(
                scanner, key, wanted=table is None or key == table, report=report
            )
            if scanner.expect(",}", "',' or '}'") == "}":
                break
    if scanner.peek() != "":
        raise scanner.fail("JSON syntax error: extra data after the document")


def _table_rows(
    scanner: _Scanner, table: str, *, wanted: bool, report: Reporter
) -> Iterator[RawRow]:
    if scanner.peek() != "[":
        where = scanner.location()
        found = scanner.value()
        raise DatasetReadError.at(
            where,
            f"table {table!r} must be an array of objects, got {json_kind(found)}",
        )
    scanner.expect("[", "'['")
    if scanner.peek() == "]":
        scanner.expect("]", "']'")
        return
    index = 0
    while True:
        scanner.peek()  # the record starts after the whitespace that follows ','
        start = scanner.location()
        location = Location(
            file=scanner.display, line=start.line, pointer=f"/{table}/{index}"
        )
        value = scanner.value()
        if wanted:
            if isinstance(value, dict):
                yield RawRow(table, given_values(value), location)
            else:
                report(
                    MALFORMED_ROW,
                    location,
                    f"expected a JSON object, got {json_kind(value)}; the record "
                    "was not checked",
                    entity=Entity(table),
                )
        index += 1
        if scanner.expect(",]", "',' or ']'") == "]":
            return


def write(path: Path, dataset: Dataset, country_codes: CodeForm) -> None:
    """Write a dataset as one JSON document, a record per line, nulls left out."""
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        handle.write("{")
        for number, table in enumerate(TABLES):
            records = dataset.table(table)
            handle.write(",\n" if number else "\n")
            handle.write(f'  "{table}": [')
            for index, record in enumerate(records):
                handle.write(",\n    " if index else "\n    ")
                handle.write(json_record(record, country_codes))
            handle.write("\n  ]" if records else "]")
        handle.write("\n}\n")


def _sniff(head: bytes) -> bool:
    """A JSON document starts with `{` (after a byte-order mark and white space)."""
    return head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n").startswith(b"{")


FORMAT = Format(
    name="json",
    suffix=".json",
    per_table=False,
    read_rows=read_rows,
    read_chunks=read_chunks,
    write=write,
    sniff=_sniff,
    order=2,
)
