"""Private leaf: `Limits`, how far reading goes on hostile input, and the limits in force.

A leaf, so that the models (which bound the digits of a number) and the readers
read the same limits: the public functions apply their `limits=` argument for
the length of the call, in a context variable.
"""

from __future__ import annotations

import contextlib
import contextvars
from collections.abc import Callable, Iterator
from typing import Any, TypeVar

import attrs

__all__ = [
    "DEFAULT_LIMITS",
    "Limits",
    "at_least",
    "chosen",
    "current_limits",
    "limited",
]

T = TypeVar("T")
_END: Any = object()
# Python converts at most this many digits to an int (sys.get_int_max_str_digits).
_INT_DIGITS = 4300


def at_least(
    minimum: int, maximum: int | None = None
) -> Callable[[Any, attrs.Attribute[Any], Any], None]:
    """An attrs validator: an int (not a bool) of at least `minimum` (at most `maximum`).

    Its errors name the class and the field (`Limits.max_rows`), so a setting
    of the wrong type or out of range is refused where it is made, not deep
    in a check that compares it.
    """

    def check(instance: Any, attribute: attrs.Attribute[Any], value: Any) -> None:
        name = f"{type(instance).__name__}.{attribute.name}"
        if isinstance(value, bool) or not isinstance(value, int):
            msg = f"{name} must be an int, not {type(value).__name__}"
            raise TypeError(msg)
        if value < minimum:
            msg = f"{name} must be at least {minimum}, not {value}"
            raise ValueError(msg)
        if maximum is not None and value > maximum:
            msg = f"{name} must be at most {maximum}, not {value}"
            raise ValueError(msg)

    return check


@attrs.frozen(kw_only=True)
class Limits:
    """How far reading a dataset goes before it reports the input as hostile.

    Each limit crossed is a finding located where it is crossed, whose message
    names the limit, the command-line option and the field of `Limits` that
    raise it. `load_dataset`, `iter_records`, `validate` and `compute_kpis`
    take one as `limits=`.

    Added in version 0.2.0.

    Attributes:
        max_json_depth: How deeply arrays and objects may nest in one record of
            a JSON document or a JSON Lines file, the record itself being depth 1
            (a list field is depth 2). At least 2; default 8.
        max_digits: The most digits a count or an amount may have, and the
            largest exponent it may be written with. At least 1, at most 4300
            (Python's own limit on converting digits to an int); default 30.
        max_cell_chars: The most characters of one CSV cell, one JSON string or
            one workbook cell or shared string: a longer one is refused without
            being checked further. At least 1; default 1,000,000.
        max_sheets: Sheets in an `.xlsx` workbook, a table's or not. Default 1,000.
        max_rows: Rows given in one sheet of a workbook. Default 1,048,576
            (Excel's limit).
        max_columns: The column of any cell of a workbook. Default 16,384
            (Excel's limit, column XFD).
        max_member_bytes: Bytes of one part of a workbook once inflated (a sheet,
            the shared strings). Default 1 GiB.
        max_inflate_ratio: How many times its stored size a part of a workbook of
            more than 1 MiB may inflate to (real sheets inflate 5 to 50 times).
            Default 1,000.
        max_shared_strings: Distinct texts in a workbook's shared-string table.
            Default 5,000,000.

    Raises:
        TypeError: A limit is not an int.
        ValueError: A limit is below its minimum.

    Example:
        >>> import clusterkit
        >>> clusterkit.Limits(max_json_depth=4).max_json_depth
        4
        >>> clusterkit.Limits(max_digits=0)
        Traceback (most recent call last):
        ...
        ValueError: Limits.max_digits must be at least 1, not 0
    """

    max_json_depth: int = attrs.field(default=8, validator=at_least(2))
    max_digits: int = attrs.field(default=30, validator=at_least(1, _INT_DIGITS))
    max_cell_chars: int = attrs.field(default=1_000_000, validator=at_least(1))
    # A workbook is a zip of XML parts: a few kilobytes can stand for gigabytes.
    max_sheets: int = attrs.field(default=1_000, validator=at_least(1))
    max_rows: int = attrs.field(default=1_048_576, validator=at_least(1))
    max_columns: int = attrs.field(default=16_384, validator=at_least(1))
    max_member_bytes: int = attrs.field(default=1 << 30, validator=at_least(1))
    max_inflate_ratio: int = attrs.field(default=1_000, validator=at_least(1))
    max_shared_strings: int = attrs.field(default=5_000_000, validator=at_least(1))

    @contextlib.contextmanager
    def applied(self) -> Iterator[Limits]:
        """Make these the limits in force for the `with` block.

        The `limits=` argument of the functions that read data is the usual
        way; this sets them for several calls at once (or for code that calls
        them).

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


# A leaf cannot be published by a package (`_public.publish`): its public home is set here.
Limits.__module__ = "clusterkit"
DEFAULT_LIMITS = Limits()
_CURRENT: contextvars.ContextVar[Limits] = contextvars.ContextVar(
    "clusterkit_limits", default=DEFAULT_LIMITS
)


def current_limits() -> Limits:
    """The limits in force (`DEFAULT_LIMITS` outside `Limits.applied`)."""
    return _CURRENT.get()


def chosen(limits: Limits | None) -> Limits:
    """`limits`, or the limits in force when `None`; a `TypeError` for anything else."""
    if limits is None:
        return current_limits()
    if not isinstance(limits, Limits):
        msg = f"limits must be a clusterkit.Limits, not {type(limits).__name__}"
        raise TypeError(msg)
    return limits


def limited(limits: Limits | None, items: Iterator[T]) -> Iterator[T]:
    """`items`, each one made with `limits` in force (not between them).

    For a generator that a caller consumes: the limits are set around each step
    only, so that the caller's own code between the steps runs with its own.
    Without `limits`, `items` itself: a generator around it would cost a
    step per item.
    """
    if limits is None:
        return items
    return _limited(limits, items)


def _limited(limits: Limits, items: Iterator[T]) -> Iterator[T]:
    while True:
        with limits.applied():
            item = next(items, _END)
        if item is _END:
            return
        yield item
