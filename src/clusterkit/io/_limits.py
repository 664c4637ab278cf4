"""Private: the limits that keep reading bounded on any input, and their checks.

A reader never lets hostile input take unbounded time or memory, or end in a
traceback: a value nested too deeply, a field given twice in one record or text
that is no Unicode is a located finding, checked without recursion.
"""

from __future__ import annotations

import contextlib
import contextvars
import re
import sys
from collections.abc import Callable, Iterator
from typing import Any

import attrs

from clusterkit.io._problems import (
    BAD_VALUE,
    DUPLICATE_FIELD,
    MALFORMED_ROW,
    Reporter,
)
from clusterkit.report import Entity
from clusterkit.values import Location

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "Pairs",
    "checked_record",
    "current_limits",
    "json_int",
    "lone_surrogate",
    "nesting",
    "object_pairs",
    "too_deep_message",
]


@attrs.frozen(kw_only=True)
class Limits:
    """How far reading a dataset goes before it reports the input as hostile.

    Each limit crossed is a finding located where it is crossed, whose message
    names the limit and the command-line option that raises it.

    Added in version 0.2.0.

    Attributes:
        max_json_depth: How deeply arrays and objects may nest in one record of
            a JSON document or a JSON Lines file, the record itself being depth 1
            (a list field is depth 2).

    Example:
        >>> import clusterkit
        >>> clusterkit.Limits(max_json_depth=4).max_json_depth
        4
    """

    max_json_depth: int = attrs.field(default=8, validator=attrs.validators.ge(2))
    max_header_cells: int = attrs.field(default=1000, validator=attrs.validators.ge(1))

    @contextlib.contextmanager
    def applied(self) -> Iterator[Limits]:
        """Make these the limits the readers apply, for the `with` block.

        Added in version 0.2.0.

        Example:
            >>> import clusterkit
            >>> with clusterkit.Limits(max_json_depth=4).applied() as limits:
            ...     limits.max_json_depth
            4
        """
        token = _CURRENT.set(self)
        try:
            yield self
        finally:
            _CURRENT.reset(token)


DEFAULT_LIMITS = Limits()
_CURRENT: contextvars.ContextVar[Limits] = contextvars.ContextVar(
    "clusterkit_limits", default=DEFAULT_LIMITS
)


def current_limits() -> Limits:
    """The limits in force (`DEFAULT_LIMITS` outside `Limits.applied`)."""
    return _CURRENT.get()


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
        "(raise the limit with clusterkit.Limits(max_json_depth=...).applied())"
    )


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
            if isinstance(container, (list, dict))
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
    if isinstance(value, list):
        return [_replaced(item) for item in value]
    return value


def checked_record(
    value: dict[str, Any],
    table: str,
    where: Callable[[str | None], Location],
    report: Reporter,
) -> dict[str, Any] | None:
    """A JSON record, its problems reported: `None` when it is not to be checked.

    A record nested deeper than `max_json_depth` is a `CK-ROW-001` problem and
    left out; a field given twice a `CK-HDR-004` problem (its last value is
    read); text with a lone surrogate (from a JSON escape, which is no
    character) a `CK-TYPE-001` problem, the surrogate read as U+FFFD.
    """
    entity = Entity(table)
    limit = current_limits().max_json_depth
    if nesting(value, limit) > limit:
        report(MALFORMED_ROW, where(None), too_deep_message(), entity=entity)
        return None
    if isinstance(value, Pairs):
        for key in value.duplicates:
            report(
                DUPLICATE_FIELD,
                where(key),
                f"field {key!r} is given more than once in this record; only its "
                "last value was read",
                entity=entity,
                value=key,
            )
        value = dict(value)
    for key, item in list(value.items()):
        found = lone_surrogate(item)
        if found is not None:
            report(
                BAD_VALUE,
                where(key),
                f"{key}: the text holds a lone surrogate ({found!a}, as from a JSON "
                "escape such as \\ud800), which is no character; it was read as "
                "U+FFFD",
                hint="write the character meant, or its escaped surrogate pair",
                entity=entity,
            )
            value[key] = _replaced(item)
    return value
