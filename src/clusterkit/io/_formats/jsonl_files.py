"""Private: the JSON Lines layout, a folder with one `<table>.jsonl` file per table.

One JSON object per line; `null` and blank text mean "not given"; blank lines are
skipped. Reading column at a time decodes a chunk of lines with pydantic-core's
JSON parser (the same values as the standard library's, several times as fast)
and takes the columns at C speed. Decoding keeps one value of a key given twice,
silently: a count of the text's `"` against the keys and texts decoded proves
that no key was lost (`_as_written`). A chunk in doubt, and a line the parser
refuses, is decoded again line by line with the standard library, which says
what is wrong, so every message and value is the standard library's.
"""

from __future__ import annotations

import codecs
import functools
import io
import itertools
import json
import re
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import IO, Any, TypeVar

import attrs
from pydantic import ValidationError
from pydantic_core import from_json

from clusterkit.countries import CodeForm
from clusterkit.errors import DatasetReadError
from clusterkit.io import _chunk as chunks
from clusterkit.io._chunk import Chunk, TableSource
from clusterkit.io._faithful import judged
from clusterkit.io._format import Format, Span
from clusterkit.io._limits import (
    checked_record,
    current_limits,
    json_int,
    object_pairs,
    too_deep_message,
)
from clusterkit.io._location import line_location
from clusterkit.io._member import (
    DAMAGED,
    ByteRange,
    Member,
    damaged_error,
    describe_undecodable,
)
from clusterkit.io._problems import (
    MALFORMED_ROW,
    UNREADABLE,
    Reporter,
    raise_problem,
)
from clusterkit.io._rows import (
    RawRow,
    fields_of_its_own,
    given_values,
    json_kind,
    json_record,
    not_given,
    record_from_row,
    required_fields,
    table_of_model,
)
from clusterkit.models import TABLES, Dataset, Record, list_fields
from clusterkit.report import Entity
from clusterkit.values import Location

__all__ = ["FORMAT"]

R = TypeVar("R", bound=Record)

_BOM = codecs.BOM_UTF8
# The types of the values of a record that nests nothing but a list of values.
_SCALARS = frozenset({str, int, float, bool, type(None)})
_PLAIN = _SCALARS | {list}
_NULL = type(None)
_LISTS = frozenset({list, _NULL})
_TEXT = frozenset({str, _NULL})
_NOTHING = frozenset({_NULL})
_QUOTE = ord('"')
# The escapes of a chunk looked at one by one, at most (see `_escaped_quotes`).
_ESCAPES_LOOKED_AT = 1_000
_decode = functools.partial(from_json, cache_strings="all")
_DECODER = json.JSONDecoder(parse_int=json_int, object_pairs_hook=object_pairs)
# The end of a key: each key of a record has one, so a chunk with as many as its
# records have keys gives no key twice (text holding one only adds to the count).
_KEY_END = re.compile(rb'"\s*:')


class _Recheck(Exception):  # noqa: N818 - not an error: a line to decode again
    """A line that validated, but whose keys the standard library must count."""


class _LineError(Exception):
    """A line that is not one JSON object: the rule, where and what."""

    def __init__(self, rule: Any, location: Location, message: str) -> None:
        super().__init__(message)
        self.rule = rule
        self.location = location
        self.message = message


def _parse_line(text: bytes, location: Location) -> Any:
    """One line decoded by the standard library, or the reason it cannot be.

    Raises:
        UnicodeDecodeError: The line is not UTF-8.
        _LineError: The line is not JSON, or not one JSON object.
    """
    # Without its line break, a line cut short is an error at its end, not at
    # column 1 of the "line" after the break.
    decoded = text.decode("utf-8").rstrip("\r\n")
    try:
        value = _DECODER.decode(decoded)
    except json.JSONDecodeError as error:
        where = attrs.evolve(location, column=error.colno)
        raise _LineError(UNREADABLE, where, f"JSON syntax error: {error.msg}") from None
    except RecursionError:
        raise _LineError(MALFORMED_ROW, location, too_deep_message()) from None
    if not isinstance(value, dict):
        problem = f"expected a JSON object, got {json_kind(value)}"
        raise _LineError(MALFORMED_ROW, location, problem)
    return value


# ---------------------------------------------------------------- strict rows


def _lines(member: Member, handle: IO[bytes]) -> Iterator[tuple[bytes, int]]:
    """The non-blank lines of a file with their numbers; a line ends at LF, CR or CRLF.

    Raises:
        DatasetReadError: The file is damaged (a member of an archive).
    """
    line = 0  # the number of the last line read
    try:
        for raw in handle:
            if line and raw.find(b"\r") == -1:  # `find`: faster than `in` on bytes
                # Most lines: one line, not the first (no byte order mark).
                line += 1
                if not raw.isspace():
                    yield raw, line
                continue
            for part in raw.splitlines() if b"\r" in raw else (raw,):
                line += 1
                text = part.removeprefix(_BOM) if line == 1 else part
                if text and not text.isspace():
                    yield text, line
    except DAMAGED as error:
        raise damaged_error(member, error, line + 1) from None


def read_rows(
    member: Member,
    table: str | None,
    report: Reporter = raise_problem,
    models: Mapping[str, type[Record]] = TABLES,
) -> Iterator[RawRow]:
    """Yield the rows of one JSON Lines table file, streaming.

    Raises:
        DatasetReadError: The file cannot be opened or decoded, or (with the
            default `report`) a line is not a JSON object.
    """
    assert table is not None  # noqa: S101 - a JSON Lines file holds one table
    del models  # objects carry their field names: every model reads them alike
    with member.open() as handle:
        for text, number in _lines(member, handle):
            location = line_location(member.display, number)
            try:
                value = _parsed(member, text, location)
            except _LineError as error:
                report(error.rule, error.location, error.message, entity=Entity(table))
                continue
            record = checked_record(value, table, _line_field(location), report)
            if record is not None:
                yield RawRow(table, given_values(record), location)


def _line_field(location: Location) -> Callable[[str | None], Location]:
    """Where a field of the record on a line is (the line for `None`)."""

    def where(field: str | None) -> Location:
        return location if field is None else location.with_field(field, None)

    return where


def _parsed(member: Member, text: bytes, location: Location) -> Any:
    """The object of one line (`_LineError` if it is none); bytes not UTF-8 raise."""
    try:
        return _parse_line(text, location)
    except UnicodeDecodeError as error:
        raise DatasetReadError.at(
            location, describe_undecodable(member, error)
        ) from None


def read_records(member: Member, model: type[R]) -> Iterator[tuple[R, Location]]:
    """Yield the records of one JSON Lines table file with their locations.

    A line is first validated straight from its JSON text, as fast as pydantic
    goes. A line longer than the limit on a text may hold a text too long, and
    one whose keys the record does not count all may give a key twice: those,
    and lines that fail, are parsed into a raw row, which applies the "blank
    text is not given" convention and raises the located error.

    Raises:
        DatasetReadError: The file cannot be read, or a line is not a valid record.
    """
    validate = _validator(model)
    display = member.display
    # The limits in force when the file is opened (`limited` sets the same
    # ones around every step).
    longest = current_limits().max_cell_chars
    with member.open() as handle:
        # The loop is written out, without a function per line: it is most of
        # what reading costs beyond pydantic's own validation (DESIGN.md §10).
        for text, number in _lines(member, handle):
            location = line_location(display, number)
            try:
                if len(text) > longest:
                    raise _Recheck  # noqa: TRY301 - perhaps a text too long
                record = validate(text)
                if _keys_written(text) != len(record.__pydantic_fields_set__):
                    raise _Recheck  # noqa: TRY301 - perhaps a key given twice
            except (ValidationError, _Recheck):
                record = _checked(text, location, member, model)
            yield record, location


def _validator(model: type[R]) -> Callable[[bytes], R]:
    """The model's own validator of JSON text.

    `model_validate_json` is a Python method around it, which costs about a
    tenth of a record's validation. A model whose build was deferred is built
    first, as `model_validate_json` would (`model_rebuild` does nothing to a
    model already built). For a subclass with fields that may keep null or
    blank text (`_fields_to_look_at`), a record that has one is refused
    (`_Recheck`): its raw row reads the value as not given.
    """
    model.model_rebuild()
    validate = model.__pydantic_validator__.validate_json
    fields = _fields_to_look_at(model)
    if not fields:
        return validate  # the shared models: nothing more per line

    def validate_given(text: bytes) -> R:
        record: R = validate(text)
        given = record.__pydantic_fields_set__
        stored = record.__dict__
        for field in fields:
            if field in given and not_given(stored[field]):
                raise _Recheck
        return record

    return validate_given


@functools.cache
def _fields_to_look_at(model: type[Record]) -> tuple[str, ...]:
    """The fields of `model` that may keep what a raw row does not give: null, blank text.

    The shared models refuse null and blank text in every field where they
    would not mean what a value not given means, so a line that validates
    straight from its text is the record its raw row makes. A subclass may take
    them in a field it declares (`note: str | None = "n/a"` keeps `""`), or in
    any field through a validator of its own: such fields are looked at in each
    record validated from its text.
    """
    base = TABLES[table_of_model(model)]
    own, shared = model.__pydantic_decorators__, base.__pydantic_decorators__
    if (own.field_validators.keys(), own.model_validators.keys()) != (
        shared.field_validators.keys(),
        shared.model_validators.keys(),
    ):
        return tuple(model.model_fields)
    return fields_of_its_own(model)


def _checked(text: bytes, location: Location, member: Member, model: type[R]) -> R:
    """The record of a line that did not validate straight from its text.

    Parsed into a raw row, which applies the "blank text is not given"
    convention and finds a key given twice or a text too long.

    Raises:
        DatasetReadError: The line is not a valid record.
    """
    try:
        value = _parsed(member, text, location)
    except _LineError as error:
        raise DatasetReadError.at(error.location, error.message) from None
    table = table_of_model(model)
    checked = checked_record(value, table, _line_field(location), raise_problem)
    row = RawRow(table, given_values(checked or {}), location)
    return record_from_row(row, model)


# ---------------------------------------------------------------- columns, leniently


@attrs.define
class _Table:
    """One JSON Lines table being read: unknown fields seen, and the fields."""

    source: TableSource
    report: Reporter
    known: frozenset[str]
    fields: tuple[str, ...]
    required: frozenset[str]
    # The fields whose values are lists, which `_tally` and `_flat` count.
    lists: tuple[str, ...]
    unknown: dict[str, tuple[Location, int]] = attrs.field(factory=dict)
    stopped: bool = False


def read_chunks(
    member: Member,
    table: str | None,
    report: Reporter,
    span: Span | None = None,
) -> Iterator[Chunk]:
    """Yield the objects of one JSON Lines file as chunks of columns, reporting problems.

    A line that is not JSON is a `CK-FILE-001` problem and one that is not an
    object a `CK-ROW-001` problem, and reading goes on; bytes that are not UTF-8
    stop the reading there (`CK-FILE-001`). Fields no table has are reported once
    per field, with the number of rows they appear in.

    Args:
        member: The file.
        table: The table it holds.
        report: Told of each problem.
        span: Only the lines in this byte range `(start, end, first line)`.
    """
    assert table is not None  # noqa: S101 - a JSON Lines file holds one table
    fields = tuple(TABLES[table].model_fields)
    state = _Table(
        TableSource(table, "jsonl", member.display),
        report,
        frozenset(fields),
        fields,
        frozenset(required_fields(table)),
        tuple(sorted(list_fields(TABLES[table]))),
    )
    try:
        handle = member.open()
    except DatasetReadError as error:
        report(UNREADABLE, Location(file=member.display), error.problem)
        return
    first = 1
    if span is not None:
        start, end, first = span
        handle.seek(start)
        handle = io.BufferedReader(ByteRange(handle, end - start))
    with handle:
        line = first
        while not state.stopped:
            try:
                lines = list(itertools.islice(handle, chunks.BATCH_ROWS))
            except DAMAGED as error:
                state.report(
                    UNREADABLE,
                    Location(file=member.display, line=line),
                    f"{damaged_error(member, error).problem}; reading of "
                    f"{member.display} stopped here, rows after this point were "
                    "not checked",
                )
                break
            if not lines:
                break
            if line == 1:
                lines[0] = lines[0].removeprefix(_BOM)
            # A carriage return not followed by a line feed ends a line too, as
            # in a text editor: such chunks are read line by line.
            joined = b",".join(lines)
            lone_cr = b"\r" in joined and (joined.count(b"\r") != joined.count(b"\r\n"))
            chunk = _chunk(lines, joined, line, state, member, split=lone_cr)
            line += _line_count(lines) if lone_cr else len(lines)
            if chunk is not None:
                yield chunk
    chunks.report_unknown_fields(table, state.unknown, fields, report)


def _line_count(lines: Sequence[bytes]) -> int:
    return sum(len(raw.splitlines()) or 1 for raw in lines)


def _chunk(
    lines: list[bytes],
    joined: bytes,
    first: int,
    state: _Table,
    member: Member,
    *,
    split: bool,
) -> Chunk | None:
    """The chunk of some lines: decoded at C speed, or line by line when one fails.

    `joined` is the lines joined by commas.
    """
    numbers: Sequence[int] = range(first, first + len(lines))
    tally = None
    values = None if split else _decoded(lines, joined)
    if values is not None:
        cells = _columns(values, state.fields)
        tally = _tally(cells, state.lists)
        if not _as_written(joined, values, tally, numbers, state):
            values = tally = None
    if values is None:
        values, numbers = _line_by_line(lines, first, state, member)
        if not values:
            return None
        cells = _columns(values, state.fields)
        if not all(map(state.known.issuperset, values)):
            _count_unknown(values, numbers, state)
    # A field no row gives is left out (the cells are all missing), unless it is
    # required: then every row says so.
    cells = {
        field: column
        for field, column in cells.items()
        if field in state.required
        or column[0] is not None  # given in the first row: no need to count
        or (
            tally.kinds[field] != _NOTHING
            if tally is not None
            else column.count(None) != len(column)
        )
    }
    kinds = None if tally is None else tally.kinds
    return Chunk(state.source, numbers, cells, kinds=kinds)


def _columns(
    values: list[dict[str, Any]], fields: Sequence[str]
) -> dict[str, list[Any]]:
    """The value of each field in each record (`None` where not given)."""
    return {
        field: list(map(dict.get, values, itertools.repeat(field))) for field in fields
    }


def _decoded(lines: list[bytes], joined: bytes) -> list[Any] | None:
    """Every line's object, at C speed; `None` when a line is not one JSON object.

    The lines are decoded as the items of one JSON array: a blank line, or
    one that is not a JSON value, fails the whole; a line of several values
    (`{...},{...}`) makes more items than lines. `joined` is the lines joined
    by commas. The objects may still hide a key given twice or a nested value
    (see `_as_written`).
    """
    limit = current_limits().max_cell_chars
    # A chunk no longer than the limit holds no line longer: most are not.
    if len(joined) > limit and max(map(len, lines)) > limit:
        return None  # perhaps a text too long: the lines say
    try:
        # One join, not `+`: each `+` would copy the whole chunk again.
        values = _decode(b"".join((b"[", joined, b"]")))
    except ValueError:
        return None
    if len(values) != len(lines) or set(map(type, values)) != {dict}:
        return None
    return values  # type: ignore[no-any-return] # a list, as the array decodes


def _as_written(
    joined: bytes,
    values: list[dict[str, Any]],
    tally: _Tally | None,
    numbers: Sequence[int],
    state: _Table,
) -> bool:
    r"""Whether the decoded objects say all the text does: no key twice, nothing nested.

    Unknown fields are counted on the way. `tally` counts the columns of the
    known fields (`None`: a value nests, or a list holds more than texts).

    The fast way scans the text once, for `"`. Each `"` not escaped (`\"`)
    opens or closes a key or a text. Decoding can only lose keys and texts
    (a key given twice keeps one value), so a text holding twice as many such
    `"` as the objects have keys and texts gave no key twice. Anything else
    takes the exact way: counting the keys written, and the brackets.
    """
    keys = sum(map(len, values))
    known = (tally is not None and tally.given == keys) or (
        set().union(*values) <= state.known
    )
    if tally is not None and known:
        escaped = _escaped_quotes(joined)
        if escaped is not None:
            return joined.count(b'"') - escaped == 2 * (keys + tally.texts)
    if _keys_written(joined) != keys:
        return False  # perhaps a key given twice: the lines say
    # The tally rules nesting out in the known fields, not in the others.
    unsure = tally is None or not known
    if (
        unsure
        and not _flat(joined, values, state.lists)
        and not all(map(_flat_record, values))
    ):
        return False  # a value nested: the lines say how deeply
    if not known:
        _count_unknown(values, numbers, state)
    return True


@attrs.frozen
class _Tally:
    """The columns of a chunk counted: values given (not null), texts, and types.

    Attributes:
        given: The values not null.
        texts: The texts, list items included.
        kinds: The types of the values of each column (`NoneType` included).
    """

    given: int
    texts: int
    kinds: dict[str, set[type]]


def _tally(cells: Mapping[str, list[Any]], lists: Collection[str]) -> _Tally | None:
    """The values the columns give, the texts they hold (list items too), their types.

    `None` when a value nests, or a list holds more than texts.
    """
    given = texts = 0
    found: dict[str, set[type]] = {}
    for field, column in cells.items():
        kinds = found[field] = set(map(type, column))
        if _NULL not in kinds:
            nulls = 0
        else:
            nulls = len(column) if len(kinds) == 1 else column.count(None)
        given += len(column) - nulls
        if field in lists and kinds <= _LISTS:
            held = list(filter(None, column))
            try:
                # Joined at C speed: only texts join.
                "".join(itertools.chain.from_iterable(held))
            except TypeError:
                return None
            texts += sum(map(len, held))
        elif not kinds <= _SCALARS:
            return None
        elif str not in kinds:
            continue
        elif kinds <= _TEXT:
            texts += len(column) - nulls
        else:
            texts += list(map(type, column)).count(str)
    return _Tally(given, texts, found)


def _escaped_quotes(text: bytes) -> int | None:
    r"""How many `"` valid JSON `text` escapes; `None` if it has too many escapes to look.

    A backslash is found at C speed (`bytes.find`), and in valid JSON each one
    starts an escape of one character (`\"`, `\\`, `\n`, `\u00e9`), which
    is stepped over. Text written with every accent escaped (Python's
    `ensure_ascii`) may hold thousands: looking at each would cost more than
    counting keys the exact way.
    """
    at = text.find(b"\\")
    if at == -1:
        return 0
    if text.count(b"\\") > _ESCAPES_LOOKED_AT:
        return None
    escaped = 0
    while at != -1:
        if text[at + 1] == _QUOTE:
            escaped += 1
        at = text.find(b"\\", at + 2)
    return escaped


def _keys_written(text: bytes) -> int:
    """How many keys `text` writes (`"key":`, or `"key" :`); text may add to it.

    `text` is lines of valid JSON (they decoded) whose line breaks (LF or
    CRLF) are at their ends only, so the white space between a key and its
    colon is spaces and tabs: JSON has no other within a line.
    Without a tab, the text with its spaces taken out has one `":` per key
    (and per escaped quote before a colon in a text), found at C speed: taking
    the spaces out and counting costs about 0.9 of looking for a space before
    a colon and then counting (0.67 µs against 0.76 µs on a 375-byte line,
    CPython 3.11). A tab takes the pattern, slower.
    """
    if text.find(b"\t") != -1:
        return len(_KEY_END.findall(text))
    return text.replace(b" ", b"").count(b'":')


def _flat(joined: bytes, values: list[dict[str, Any]], lists: Sequence[str]) -> bool:
    """Whether no record nests deeper than a list of values, told at C speed.

    Each record opens one `{`, and each list one `[`: when the text holds no
    more `{` than records, and no more `[` than the list fields hold lists,
    no object or list is nested anywhere, and no other field holds a list. A
    `{` or `[` in a text makes this say no; `_flat_record` then looks closer.
    """
    if joined.count(b"{") != len(values):
        return False
    held = sum(
        list(map(type, map(dict.get, values, itertools.repeat(field)))).count(list)
        for field in lists
    )
    return joined.count(b"[") == held


def _flat_record(value: dict[str, Any]) -> bool:
    """Whether a record's values are values or lists of values, nothing nested."""
    kinds = set(map(type, value.values()))
    return _PLAIN.issuperset(kinds) and (
        list not in kinds
        or all(
            _SCALARS.issuperset(map(type, item))
            for item in value.values()
            if type(item) is list
        )
    )


def _line_by_line(
    lines: list[bytes], first: int, state: _Table, member: Member
) -> tuple[list[Any], list[int]]:
    """The objects of lines one of which the fast path refused, and their lines."""
    values: list[Any] = []
    numbers: list[int] = []
    table = state.source.table
    line = first
    for raw in lines:
        for text in raw.splitlines() if b"\r" in raw else (raw,):
            location = Location(member.display, line)
            line += 1
            if not text.strip():
                continue
            try:
                value = _parse_line(text, location)
            except UnicodeDecodeError as error:
                state.report(
                    UNREADABLE,
                    location,
                    f"{describe_undecodable(member, error)}; reading of "
                    f"{member.display} stopped here, rows after this point were "
                    "not checked",
                )
                state.stopped = True
                return values, numbers
            except _LineError as error:
                state.report(
                    error.rule, error.location, error.message, entity=Entity(table)
                )
                continue
            record = checked_record(value, table, _line_field(location), state.report)
            if record is not None:
                values.append(record)
                numbers.append(location.line or 0)
    return values, numbers


def _count_unknown(values: list[Any], numbers: Sequence[int], state: _Table) -> None:
    """Count the keys no field takes; one that is null or blank is not given (ignored)."""
    for value, number in zip(values, numbers, strict=True):
        for key in value.keys() - state.known:
            if not_given(value[key]):
                continue  # as a JSON document's and the loader's records have it
            where, count = state.unknown.get(
                key, (state.source.location(number, key), 0)
            )
            state.unknown[key] = (where, count + 1)


# ---------------------------------------------------------------- writing


def write_table(
    path: Path, table: str, records: Iterable[Any], country_codes: CodeForm = "iso"
) -> None:
    """Write one table as UTF-8 JSON Lines, one record per line, nulls left out.

    Raises:
        DatasetError: A value would not read back as it is (`judged`): before
            the file is opened when `records` is a sequence.
    """
    records = judged(table, records, "json")
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        for record in records:
            handle.write(json_record(record, country_codes))
            handle.write("\n")


def write(folder: Path, dataset: Dataset, country_codes: CodeForm) -> None:
    """Write every table of a dataset as `<table>.jsonl` in `folder`."""
    for table in TABLES:
        write_table(
            folder / f"{table}.jsonl", table, dataset.table(table), country_codes
        )


FORMAT = Format(
    name="jsonl",
    suffix=".jsonl",
    per_table=True,
    read_rows=read_rows,
    read_chunks=read_chunks,
    write=write,
    write_table=write_table,
    read_records=read_records,
    order=1,
)
