"""Private: the JSON layout, one document holding every table.

The document is an object with one array per table:
`{"generations": [...], "clusters": [...], ...}`. The reader streams: it decodes
one record at a time from a sliding buffer, so memory holds one record, not the
file, and it knows the physical line where each record starts.

The line and column of a field inside its record are worked out only for the
findings, after the checks (`place`): one pass over the file that skips to the
lines where their records start and looks for the field's key at the record's
top level. Reading keeps no position per field, and no line per row beyond the
start line of each record (`TableSource.lines`).
"""

from __future__ import annotations

import bisect
import functools
import io
import itertools
import json
import re
from collections.abc import Callable, Collection, Iterator, Mapping
from pathlib import Path
from typing import IO, Any

import attrs

from clusterkit.countries import CodeForm
from clusterkit.errors import DatasetReadError
from clusterkit.io._chunk import Chunk, TableSource, whole_file_chunks
from clusterkit.io._faithful import refuse_unfaithful
from clusterkit.io._format import Format, Span
from clusterkit.io._limits import (
    checked_record,
    field_at,
    json_int,
    object_pairs,
    too_deep_message,
)
from clusterkit.io._member import Member, undecodable_error
from clusterkit.io._problems import (
    DUPLICATE_TABLE,
    MALFORMED_ROW,
    Reporter,
    raise_problem,
)
from clusterkit.io._rows import RawRow, given_values, json_kind, json_record
from clusterkit.models import TABLES, Dataset
from clusterkit.report import Entity
from clusterkit.values import Location

__all__ = ["FORMAT"]

_CHUNK = 1 << 16
_SCANSTRING: Callable[[str, int], tuple[str, int]] = json.decoder.scanstring  # type: ignore[attr-defined]  # public, but not in typeshed
_SPACE = re.compile(r"[ \t\n\r]+")
# The longest a literal or an escape cut at the buffer's end can be (`false`,
# `\uXXXX`): an error that close to the end may be mended by more text.
_LONGEST_TOKEN = 8
_DECODER = json.JSONDecoder(parse_int=json_int, object_pairs_hook=object_pairs)
# The start of a JSON string or a structural character.
_TOKEN = re.compile(r'[][{}:,"]')


class _Scanner:
    """A cursor over a JSON text read in chunks, tracking the physical line.

    The work is linear in the size of the text: the buffer holds what is not
    consumed yet (a record is decoded from where it starts, the text before it
    let go of), the line and column are counted from absolute offsets instead of
    keeping the current line, and a value that goes on past the buffer's end is
    tried again only once the buffer has doubled, so that a record of any size
    is decoded a bounded number of times. A syntax error well inside the buffer
    is reported at once, without reading on.
    """

    def __init__(self, handle: IO[str], display: str) -> None:
        self.handle = handle
        self.display = display
        self.buffer = ""
        self.pos = 0
        self.base = 0  # the offset in the text of self.buffer[0]
        self.line = 1  # line of self.pos
        self.line_start = 0  # offset in the text where that line starts
        self.work = 0  # characters decoded or copied: linear in the text's size

    def _fill(self, at_least: int = _CHUNK) -> bool:
        chunk = self.handle.read(max(at_least, _CHUNK))
        if not chunk:
            return False
        rest = self.buffer[self.pos :]
        self.work += len(rest)
        self.base += self.pos
        self.buffer = rest + chunk
        self.pos = 0
        return True

    def location(self, pos: int | None = None) -> Location:
        at = self.pos if pos is None else pos
        line = self.line + self.buffer.count("\n", self.pos, at)
        newline = self.buffer.rfind("\n", self.pos, at)
        start = self.line_start if newline < 0 else self.base + newline + 1
        return Location(file=self.display, line=line, column=self.base + at - start + 1)

    def fail(self, message: str, pos: int | None = None) -> DatasetReadError:
        return DatasetReadError.at(self.location(pos), message)

    def _advance(self, to: int) -> None:
        newlines = self.buffer.count("\n", self.pos, to)
        if newlines:
            self.line += newlines
            self.line_start = self.base + self.buffer.rfind("\n", self.pos, to) + 1
        self.pos = to

    def peek(self) -> str:
        """Skip whitespace and return the next character ('' at the end)."""
        while True:
            space = _SPACE.match(self.buffer, self.pos)
            self._advance(space.end() if space else self.pos)
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
        """Decode the next complete JSON value.

        Raises:
            DatasetReadError: A syntax error, or values nested too deeply for the
                decoder.
        """
        self.peek()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.buffer, self.pos)
            except json.JSONDecodeError as error:
                self.work += error.pos - self.pos
                if self._may_go_on(error.pos) and self._fill(len(self.buffer)):
                    continue
                raise self.fail(f"JSON syntax error: {error.msg}", error.pos) from None
            except RecursionError:
                raise self.fail(too_deep_message()) from None
            self.work += end - self.pos
            # A number that ends at the buffer's end may go on in the next chunk.
            if end == len(self.buffer) and self._fill(len(self.buffer)):
                continue
            self._advance(end)
            return value

    def _may_go_on(self, pos: int) -> bool:
        """Whether a syntax error at `pos` may be the buffer's end cutting a value.

        It is when it is at the last few characters (a literal, a number or an
        escape cut short) or at the quote of a string that does not end in the
        buffer; anywhere else more text would not mend it.
        """
        if pos >= len(self.buffer) - _LONGEST_TOKEN:
            return True
        if self.buffer[pos] != '"':
            return False
        try:
            _SCANSTRING(self.buffer, pos + 1)
        except json.JSONDecodeError as error:
            self.work += len(self.buffer) - pos
            return error.pos == pos
        return False


def read_rows(
    member: Member,
    table: str | None,
    report: Reporter = raise_problem,
    models: Mapping[str, type[Any]] = TABLES,
) -> Iterator[RawRow]:
    """Yield the rows of a JSON dataset document, table by table as they appear.

    Args:
        member: The document.
        table: Only yield rows of this table (others are skipped record by
            record); all tables when `None`.
        report: Told of records that are not objects, which are then skipped.
        models: The model of each table; objects name their fields, so a
            document reads the same whatever they are.

    Raises:
        DatasetReadError: The file is not valid JSON, not an object of arrays, or
            names an unknown table, or (with the default `report`) a record is
            not a JSON object.
    """
    del models  # objects carry their field names: every model reads them alike
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
    # The line of each table's key: a table given again is not read (CK-HDR-005).
    given: dict[str, int | None] = {}
    if scanner.peek() == "}":
        scanner.expect("}", "'}'")
    else:
        while True:
            scanner.peek()  # the key starts after the whitespace that follows ','
            key_location = scanner.location()
            key = _table_key(scanner, key_location)
            scanner.expect(":", "':'")
            wanted = table is None or key == table
            if key in given:
                if wanted:
                    report(
                        DUPLICATE_TABLE,
                        key_location,
                        f"the table {key!r} is given twice in this document (first "
                        f"on line {given[key]})",
                        entity=Entity(key),
                        outcome="only its first array was read",
                    )
                wanted = False
            else:
                given[key] = key_location.line
            yield from _table_rows(scanner, key, wanted=wanted, report=report)
            if scanner.expect(",}", "',' or '}'") == "}":
                break
    if scanner.peek() != "":
        raise scanner.fail("JSON syntax error: extra data after the document")


def _table_key(scanner: _Scanner, where: Location) -> str:
    """The name of the next table of the document.

    Raises:
        DatasetReadError: The key is not a string, or names no table.
    """
    key = scanner.value()
    if not isinstance(key, str):
        raise DatasetReadError.at(
            where, f"JSON syntax error: expected a table name, found {key!r}"
        )
    if key not in TABLES:
        raise DatasetReadError.at(
            where, f"unknown table {key!r}; tables are {', '.join(TABLES)}"
        )
    return key


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
                record = checked_record(value, table, field_at(location), report)
                if record is not None:
                    yield RawRow(table, given_values(record), location)
            else:
                report(
                    MALFORMED_ROW,
                    attrs.evolve(location, column=start.column),
                    f"expected a JSON object, got {json_kind(value)}",
                    entity=Entity(table),
                    outcome="the record was not checked",
                )
        index += 1
        if scanner.expect(",]", "',' or ']'") == "]":
            return


Record = tuple[int, int]
"""A record to place: the line it starts on, and how many records start on that
line before it (in a document written on one line, every record starts on line 1)."""


def place(
    member: Member,
    locations: Collection[Location],
    sources: Mapping[str, TableSource],
) -> dict[Location, Location]:
    """The locations of findings in a document, at their field's key.

    Each location of `member` with a pointer into a table (`/activities/3/start`)
    gets the line and column of the key `"start":` at the top level of record 3,
    or of the record's `{` when the record has no such key (a field left out, or
    the record itself). One pass over the file, skipping at C speed to the lines
    where the records start.

    Added in version 0.2.0.

    Args:
        member: The document.
        locations: Where findings are, as the checks placed them.
        sources: The tables read from the document, in the order they appear,
            with the line each record starts on.

    Returns:
        The new location of each location that was placed; the others are left
        out (another file, a record not found).
    """
    wanted = _wanted(member, locations, sources)
    placed: dict[Location, Location] = {}
    if not wanted:
        return placed
    with io.TextIOWrapper(member.open(), encoding="utf-8-sig") as handle:
        lines = _Lines(handle)
        try:
            for line in sorted(wanted):
                records = wanted[line]
                lines.forget_before(line - 1)
                starts = _record_starts(lines, line, max(records))
                for ordinal, fields in records.items():
                    if ordinal < len(starts):  # else not where the reading saw it
                        _place_record(lines, line, starts[ordinal], fields, placed)
        except UnicodeDecodeError:
            pass  # reported by the reading, which stopped there
    return placed


Wanted = dict[int, dict[int, dict[str | None, list[Location]]]]
"""The locations to place, by record (start line, then rank) and field."""


def _wanted(
    member: Member,
    locations: Collection[Location],
    sources: Mapping[str, TableSource],
) -> Wanted:
    """The locations in `member` that name a record, by record and field."""
    order = list(sources)
    # Each table's entries that are no object, sorted once: counted by bisection.
    gaps = {name: sorted(source.gaps) for name, source in sources.items()}
    wanted: Wanted = {}
    for location in locations:
        if location.file != member.display:
            continue
        record = _record(location.pointer, sources, order, gaps)
        if record is not None:
            line, ordinal = record
            fields = wanted.setdefault(line, {}).setdefault(ordinal, {})
            fields.setdefault(location.field, []).append(location)
    return wanted


# The most keys of one record placed by a search each (`_quick_key`).
_QUICK_KEYS = 8


def _place_record(
    lines: _Lines,
    line: int,
    start: int,
    fields: Mapping[str | None, list[Location]],
    placed: dict[Location, Location],
) -> None:
    """Place the locations of one record: at their field's key, else at its `{`."""
    keys = {field for field in fields if field is not None}
    spots: dict[str | None, tuple[int, int]] = {None: (line, start + 1)}
    # Each quick search reads from the record's start: for a record with findings
    # on many keys, one pass over its tokens is the linear way.
    for key in keys if len(keys) <= _QUICK_KEYS else ():
        spot = _quick_key(lines, line, start, key)
        if spot is not None:
            spots[key] = spot
    if len(spots) <= len(keys):
        spots = _keys(lines, line, start, keys)
    for field, found in fields.items():
        at_line, column = spots.get(field) or spots[None]
        for where in found:
            placed[where] = Location(
                where.file,
                at_line,
                column,
                where.sheet,
                where.cell,
                where.pointer,
                field,
            )


def _record(
    pointer: str | None,
    sources: Mapping[str, TableSource],
    order: list[str],
    gaps: Mapping[str, list[int]],
) -> Record | None:
    """The start line of the record a pointer names, and its rank on that line."""
    parts = (pointer or "").split("/")
    if len(parts) < 3 or not parts[2].isdigit():  # noqa: PLR2004 - "", table, index
        return None
    table, index = parts[1], int(parts[2])
    source = sources.get(table)
    lines = None if source is None else source.lines
    if source is None or lines is None or index >= len(lines) or index in source.gaps:
        return None
    line = lines[index]
    ordinal = _starting(source, gaps[table], line, stop=index)
    for other in order[: order.index(table)]:
        ordinal += _starting(sources[other], gaps[other], line)
    return line, ordinal


def _starting(
    source: TableSource, gaps: list[int], line: int, stop: int | None = None
) -> int:
    """How many records of a table start on `line` (before index `stop`).

    `gaps` are the table's entries that are no object, sorted.
    """
    lines = source.lines or ()
    first = bisect.bisect_left(lines, line)
    end = bisect.bisect_right(lines, line) if stop is None else stop
    skipped = bisect.bisect_left(gaps, end) - bisect.bisect_left(gaps, first)
    return end - first - skipped


class _Lines:
    """The lines of a text file, read forward, the ones still needed kept."""

    def __init__(self, handle: IO[str]) -> None:
        self._lines = iter(handle)
        self._first = 1  # the number of the first line kept
        self._kept: list[str] = []

    def get(self, number: int) -> str | None:
        """Line `number` (from 1) without its line break; `None` past the end.

        Lines are read forward: a line let go of is not read again.
        """
        if not self._kept and number > self._first:
            # Skip the lines in between at C speed.
            skipped = next(
                itertools.islice(self._lines, number - self._first, None), None
            )
            if skipped is None:
                return None
            self._first = number
            self._kept.append(skipped)
        while self._first + len(self._kept) <= number:
            text = next(self._lines, None)
            if text is None:
                return None
            self._kept.append(text)
        return self._kept[number - self._first].rstrip("\n")

    def forget_before(self, number: int) -> None:
        """Let go of the lines before line `number`."""
        cut = min(max(number - self._first, 0), len(self._kept))
        del self._kept[:cut]
        self._first += cut


def _record_starts(lines: _Lines, line: int, last: int) -> list[int]:
    """Where the records that start on `line` start, up to the `last`-th (from 0).

    A record is an object that follows `[` or `,`; at the start of the line,
    that is the end of the line before.
    """
    before = lines.get(line - 1) if line > 1 else None
    text = lines.get(line) or ""
    # Blank: the line before is not known, assume the record starts here.
    previous = (before.rstrip()[-1:] or ",") if before is not None else ""
    starts: list[int] = []
    for at, piece, _ in _tokens(text, 0):
        if piece == "{" and previous in {"[", ","}:
            starts.append(at)
            if len(starts) > last:
                break
        previous = piece
    return starts


def _tokens(text: str, position: int) -> Iterator[tuple[int, str, str]]:
    """The structural characters and strings of a line from `position`.

    Each is where it starts, its first character, and for a string its text.
    A string's end is found by the decoder's own C scanner (a JSON string never
    spans lines): a regular expression would backtrack over, and keep a frame
    for, every character of a long string. A quote that starts no string is
    passed over, as a regular expression would.
    """
    while (match := _TOKEN.search(text, position)) is not None:
        at = position = match.end()
        piece = match.group()
        name = ""
        if piece == '"':
            try:
                name, position = _SCANSTRING(text, at)
            except json.JSONDecodeError:
                continue
        yield at - 1, piece, name


@functools.lru_cache(maxsize=256)
def _key_pattern(key: str) -> re.Pattern[str]:
    """`"key":`, white space allowed before the colon."""
    return re.compile(f'"{re.escape(key)}"\\s*:')


def _quick_key(
    lines: _Lines, line: int, start: int, key: str
) -> tuple[int, int] | None:
    """The line and column of `"key":` in the record at `start`, found the quick way.

    The first `"key":` after the record's `{` is one of its own top-level keys
    when no `{` comes between: a JSON string cannot hold an unescaped quote, so
    the text matches only a whole key, and without a nested object it is at the
    record's top level (lists hold no keys). `None` when a `{` comes first or
    the key string is a longer key's end: the tokens decide (`_keys`).
    """
    pattern = _key_pattern(key)
    number, position = line, start + 1
    while (text := lines.get(number)) is not None:
        found = pattern.search(text, position)
        end = len(text) if found is None else found.start()
        if text.find("{", position, end) >= 0:
            return None
        if found is not None:
            if text[found.start() - 1 : found.start()] == "\\":
                return None
            return number, found.start() + 1
        number, position = number + 1, 0
    return None


def _keys(
    lines: _Lines, line: int, start: int, keys: Collection[str]
) -> dict[str | None, tuple[int, int]]:
    """The line and column of the record at `start` and of its top-level `keys`."""
    spots: dict[str | None, tuple[int, int]] = {None: (line, start + 1)}
    depth = 0
    key: tuple[str, int, int] | None = None
    number, position = line, start
    while (text := lines.get(number)) is not None:
        for at, piece, name in _tokens(text, position):
            if piece in {"{", "["}:
                depth += 1
            elif piece in {"}", "]"}:
                depth -= 1
                if depth == 0:
                    return spots
            elif (
                piece == ":"
                and key is not None
                and depth == 1
                and key[0] in keys
                and key[0] not in spots
            ):
                spots[key[0]] = (key[1], key[2])
                if len(spots) > len(keys):
                    return spots
            key = (name, number, at + 1) if piece == '"' else None
        number, position = number + 1, 0
    return spots


def write(path: Path, dataset: Dataset, country_codes: CodeForm) -> None:
    """Write a dataset as one JSON document, a record per line, nulls left out.

    Raises:
        DatasetError: A value would not read back as it is (`refuse_unfaithful`).
    """
    for table in TABLES:
        refuse_unfaithful(table, dataset.table(table), "json")
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
    """A JSON document starts with `{` (after a byte-order mark and white space).

    A JSON array (`[`) is taken for one too, so that the reader can say it is
    an array where the document's object of tables should be.
    """
    start = head.removeprefix(b"\xef\xbb\xbf").lstrip(b" \t\r\n")
    return start.startswith((b"{", b"["))


FORMAT = Format(
    name="json",
    suffix=".json",
    per_table=False,
    read_rows=read_rows,
    read_chunks=read_chunks,
    write=write,
    sniff=_sniff,
    place=place,
    order=2,
)
