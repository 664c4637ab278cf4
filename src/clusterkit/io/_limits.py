"""Private: the limits that keep reading bounded on any input, and their checks.

A reader never lets hostile input take unbounded time or memory, or end in a
traceback: a value nested too deeply, a field given twice in one record or text
that is no Unicode is a located finding, checked without recursion.
"""

from __future__ import annotations

import contextlib
import csv
import itertools
import re
import sys
from collections.abc import Callable, Iterator, Mapping, Sequence
from typing import Any, Protocol, TypeVar

import attrs

from clusterkit._limits import DEFAULT_LIMITS, Limits, current_limits
from clusterkit.io._pairs import repeated_key_message
from clusterkit.io._problems import (
    BAD_VALUE,
    DUPLICATE_FIELD,
    MALFORMED_ROW,
    Reporter,
)
from clusterkit.report import Entity
from clusterkit.values import Location

T = TypeVar("T")
T_co = TypeVar("T_co", covariant=True)

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "Pairs",
    "checked_record",
    "csv_cell_limit",
    "csv_cells",
    "csv_rows",
    "current_limits",
    "field_at",
    "json_int",
    "lone_surrogate",
    "longest_text",
    "nesting",
    "object_pairs",
    "raise_with",
    "screen_long_cells",
    "too_deep_message",
    "too_long_message",
]


def nesting(value: Any, limit: int) -> int:
    """How deeply arrays and objects nest in `value` (a scalar is 0), up to `limit + 1`.

    Level by level, without recursion.
    """
    depth = 0
    level = [value]
    while True:
        containers = [item for item in level if isinstance(item, (list, dict))]
        if not containers:
            return depth
        depth += 1
        if depth > limit:
            return depth
        level = [
            item
            for container in containers
            for item in (
                container.values() if isinstance(container, dict) else container
            )
        ]


def too_deep_message() -> str:
    """The message of a record nested deeper than `max_json_depth`."""
    limit = current_limits().max_json_depth
    return (
        f"values are nested more than {limit} deep (max_json_depth); a record "
        "holds values and lists of values; the record was not checked "
        f"{raise_with('max_json_depth')}"
    )


def raise_with(limit: str) -> str:
    """How to raise a limit, for the message of a finding that crosses it."""
    option = "--" + limit.replace("_", "-")
    return f"(raise the limit with {option} or clusterkit.Limits({limit}=...))"


def too_long_message(field: str, length: int) -> str:
    """The message of a text longer than `max_cell_chars`."""
    limit = current_limits().max_cell_chars
    return (
        f"{field}: the text is {length:,} characters long, more than "
        f"{limit:,} (max_cell_chars); it was left out, unchecked "
        f"{raise_with('max_cell_chars')}"
    )


LONG_HINT = "a value this long is no dataset value: check how the data was made"

# The largest field limit the `csv` module takes on every platform (a C long
# has 32 bits on Windows).
_CSV_LIMIT_MAX = 2**31 - 1


def csv_cell_limit() -> int:
    """The field limit the `csv` module is to read with: `max_cell_chars`, or its own if higher."""
    wanted = min(current_limits().max_cell_chars, _CSV_LIMIT_MAX)
    return max(csv.field_size_limit(), wanted)


@contextlib.contextmanager
def csv_cells() -> Iterator[None]:
    """Let the `csv` module read cells as long as `max_cell_chars` in the block.

    The `csv` module refuses a field longer than its own limit (131,072
    characters unless raised) and stops reading there, so without this a CSV
    cell of 200,000 characters would stop its file while the same text in JSON
    reads. The limit is the process's: it is raised for the block only, and
    set back after, so what one call read never changes what a later one
    reads. A limit the program raised further is kept.
    """
    before = csv.field_size_limit(csv_cell_limit())  # never lower than before
    try:
        yield
    finally:
        csv.field_size_limit(before)


class _LineReader(Protocol[T_co]):
    """A `csv` reader: its rows, and the line it has read up to."""

    line_num: int

    def __iter__(self) -> Iterator[T_co]: ...  # pragma: no cover - a protocol

    def __next__(self) -> T_co: ...  # pragma: no cover - a protocol


def csv_rows(reader: _LineReader[T]) -> Iterator[tuple[T, int]]:
    """The rows of a `csv` reader, each with the line it ends on, read as within `csv_cells`.

    The rows are read a batch at a time within the raised limit, so that the
    process's limit is set back between batches at the cost of a few steps a
    batch, not a row. When reading stops at a problem (a malformed row, bytes
    that are not UTF-8), the rows before it are given first, then the problem
    is raised.
    """
    limit = csv_cell_limit()
    while True:
        rows: list[tuple[T, int]] = []
        failure: Exception | None = None
        before = csv.field_size_limit()
        csv.field_size_limit(max(before, limit))
        try:
            for row in itertools.islice(reader, _CSV_BATCH):
                rows.append((row, reader.line_num))  # noqa: PERF401 - kept when a later row fails
        except Exception as error:  # noqa: BLE001 - raised again below, after the rows before it
            failure = error
        finally:
            csv.field_size_limit(before)
        yield from rows
        if failure is not None:
            raise failure
        if len(rows) < _CSV_BATCH:
            return


_CSV_BATCH = 256  # rows read between two settings of the limit


def screen_long_cells(
    cells: Mapping[str, Sequence[Any]],
    locate: Callable[[int, str], Location],
    table: str,
    report: Reporter,
) -> Mapping[str, Sequence[Any]]:
    """`cells` with its texts longer than `max_cell_chars` emptied, each reported.

    For sources whose cells arrive as columns of values (a database). An
    emptied cell is `None`; `cells` itself is returned when no text is too long.
    `locate(offset, field)` places the cell at `offset` of a column. Text that
    was read from bytes that are not UTF-8 (with lone surrogates, PEP 383) is
    reported too, and read with U+FFFD in their place.
    """
    limit = current_limits().max_cell_chars
    screened: dict[str, Sequence[Any]] = {}
    for field, column in cells.items():
        # A list field's cell is a tuple of texts (read from its link table).
        lengths = [
            len(cell)
            if isinstance(cell, str)
            else longest_text(cell)
            if isinstance(cell, tuple)
            else 0
            for cell in column
        ]
        too_long = bool(lengths) and max(lengths) > limit
        undecodable = _undecodable(column)
        if not too_long and not undecodable:
            continue
        kept = list(column)
        for offset, length in enumerate(lengths):
            found = lone_surrogate(kept[offset]) if undecodable else None
            if length > limit:
                message, hint = too_long_message(field, length), LONG_HINT
                kept[offset] = None
            elif found is not None:
                message, hint = surrogate_message(field, found), SURROGATE_HINT
                kept[offset] = _replaced(kept[offset])
            else:
                continue
            report(
                BAD_VALUE,
                locate(offset, field),
                message,
                hint=hint,
                entity=Entity(table),
            )
        screened[field] = kept
    return {**cells, **screened} if screened else cells


def _undecodable(column: Sequence[Any]) -> bool:
    """Whether a column's text holds a lone surrogate: one search, at C speed."""
    texts = [
        cell if isinstance(cell, str) else "".join(cell)
        for cell in column
        if isinstance(cell, str)
        or (isinstance(cell, tuple) and all(isinstance(item, str) for item in cell))
    ]
    joined = "".join(texts)
    return not joined.isascii() and _SURROGATE.search(joined) is not None


SURROGATE_HINT = "write the character meant: as UTF-8, or as an escaped surrogate pair"


def surrogate_message(field: str, found: str) -> str:
    """The message of a text that holds a lone surrogate, which is no character."""
    return (
        f"{field}: the text holds a lone surrogate ({found!a}: a JSON escape such "
        "as \\ud800, or a byte that is not UTF-8), which is no character; it was "
        "read as U+FFFD"
    )


def field_at(record: Location) -> Callable[[str | None], Location]:
    """Where a field of a record is (the record itself for `None`): its pointer, extended."""

    def where(field: str | None) -> Location:
        if field is None:
            return record
        return attrs.evolve(record, pointer=f"{record.pointer}/{field}", field=field)

    return where


def longest_text(value: Any) -> int:
    """The length of the longest text in a value or its items (0 if none)."""
    longest = 0
    level = [value]
    while level:
        longest = max(
            [longest, *(len(item) for item in level if isinstance(item, str))]
        )
        level = [
            item
            for container in level
            if isinstance(container, (list, tuple, dict))
            for item in (
                container.values() if isinstance(container, dict) else container
            )
        ]
    return longest


class Pairs(dict[str, Any]):
    """A JSON object that gave some of its keys more than once (the last value kept)."""

    duplicates: tuple[str, ...] = ()


def object_pairs(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    """A JSON object from its pairs, marked (`Pairs`) when a key is given twice."""
    result = dict(pairs)
    if len(result) == len(pairs):
        return result
    marked = Pairs(result)
    counts: dict[str, int] = {}
    for key, _ in pairs:
        counts[key] = counts.get(key, 0) + 1
    marked.duplicates = tuple(key for key, count in counts.items() if count > 1)
    return marked


# Python refuses to convert longer digit strings to int (and back).
_INT_DIGITS = sys.get_int_max_str_digits() or 4300


def json_int(text: str) -> int | str:
    """A JSON integer: an int, or its digits as text when too long to convert.

    The text is then refused by the field, as a number with too many digits.
    """
    return int(text) if len(text) <= _INT_DIGITS else text


_SURROGATE = re.compile("[\ud800-\udfff]")


def lone_surrogate(value: Any) -> str | None:
    """The first lone surrogate in the text of a value or its items, if any."""
    level = [value]
    while level:
        texts = [item for item in level if isinstance(item, str)]
        for text in texts:
            found = _SURROGATE.search(text)
            if found:
                return found.group()
        level = [
            item
            for container in level
            if isinstance(container, (list, tuple, dict))
            for item in (
                container.values() if isinstance(container, dict) else container
            )
        ]
    return None


_REPLACEMENT = "\ufffd"


def _replaced(value: Any) -> Any:
    """`value` with each lone surrogate in its text replaced by U+FFFD."""
    if isinstance(value, str):
        return _SURROGATE.sub(_REPLACEMENT, value)
    if isinstance(value, (list, tuple)):
        return type(value)(_replaced(item) for item in value)
    return value


def checked_record(
    value: dict[str, Any],
    table: str,
    where: Callable[[str | None], Location],
    report: Reporter,
) -> dict[str, Any] | None:
    """A JSON record, its problems reported: `None` when it is not to be checked.

    A record nested deeper than `max_json_depth` is a `CK-ROW-001` problem and
    left out; a field given twice, or a key given twice in a mapping field, a
    `CK-HDR-004` problem (its last value is read); text longer than `max_cell_chars` a `CK-TYPE-001` problem, the field
    left out; text with a lone surrogate (from a JSON escape, which is no
    character) a `CK-TYPE-001` problem, the surrogate read as U+FFFD.
    """
    entity = Entity(table)
    limits = current_limits()
    limit = limits.max_json_depth
    if nesting(value, limit) > limit:
        report(MALFORMED_ROW, where(None), too_deep_message(), entity=entity)
        return None
    if isinstance(value, Pairs):
        for key in value.duplicates:
            report(
                DUPLICATE_FIELD,
                where(key),
                f"field {key!r} is given more than once in this record",
                entity=entity,
                value=key,
                outcome="only its last value was read",
            )
        value = dict(value)
    for key, item in list(value.items()):
        if isinstance(item, Pairs):
            # A mapping field (`max_grant_eur`) that gives a key twice.
            for twice in item.duplicates:
                report(
                    DUPLICATE_FIELD,
                    where(key),
                    repeated_key_message(key, twice),
                    entity=entity,
                    value=twice,
                )
            value[key] = dict(item)
        length = longest_text(item)
        if length > limits.max_cell_chars:
            report(
                BAD_VALUE,
                where(key),
                too_long_message(key, length),
                hint=LONG_HINT,
                entity=entity,
            )
            del value[key]
            continue
        found = lone_surrogate(item)
        if found is not None:
            report(
                BAD_VALUE,
                where(key),
                surrogate_message(key, found),
                hint=SURROGATE_HINT,
                entity=entity,
            )
            value[key] = _replaced(item)
    return value
