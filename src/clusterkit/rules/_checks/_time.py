"""Checks of dates: CK-DATE-001 to CK-DATE-004."""

from __future__ import annotations

import datetime as dt
import operator
from typing import Any, NamedTuple

from clusterkit._scan import Batch
from clusterkit.report import Rule, Severity
from clusterkit.rules._context import Context
from clusterkit.rules._generations import dates_fit
from clusterkit.rules._registry import check, check_fields
from clusterkit.values import Location

__all__ = [
    "ACTIVITY_OUTSIDE_PARTNERSHIP",
    "END_BEFORE_START",
    "FUTURE_DATE",
    "PARTNERSHIP_OUTSIDE_GENERATION",
]

E = Severity.ERROR

# The tables whose records have a period: a start and an end.
_PERIODS = ("generations", "partnerships", "activities")

END_BEFORE_START = Rule("CK-DATE-001", E, "start after end", "rows", tables=_PERIODS)
ACTIVITY_OUTSIDE_PARTNERSHIP = Rule(
    "CK-DATE-002",
    E,
    "activity outside its partnership's period",
    "rows",
    tables=("activities",),
)
PARTNERSHIP_OUTSIDE_GENERATION = Rule(
    "CK-DATE-003",
    E,
    "partnership outside its generation's period",
    "rows",
    tables=("partnerships",),
)
FUTURE_DATE = Rule(
    "CK-DATE-004",
    E,
    "date in the future",
    "rows",
    tables=("activities", "targets", "clusters"),
)


def _start_after_end(batch: Batch, context: Context) -> None:
    starts = batch.filled("start", dt.date.min)
    ends = batch.filled("end", dt.date.max)
    for index in batch.rows_where(operator.gt, starts, ends):
        start, end = batch["start"][index], batch["end"][index]
        context.report_at(
            END_BEFORE_START,
            batch.cell(index, "end"),
            f"ends ({end}) before it starts ({start})",
            value=end,
            expected=f">= {start}",
        )


for _table in END_BEFORE_START.tables:
    check(END_BEFORE_START, _table)(_start_after_end)


@check(ACTIVITY_OUTSIDE_PARTNERSHIP, "activities")
def activity_in_partnership_period(batch: Batch, context: Context) -> None:
    """An activity lies within its partnership's period (default: the generation's)."""
    # Each row's window, looked up per distinct partnership and compared per column.
    first, last = {}, {}
    for partnership_id in batch.distinct("partnership"):
        partnership = context.partnerships.get(partnership_id)
        known = partnership is not None
        first[partnership_id] = (known and partnership.start) or dt.date.min  # type: ignore[union-attr] # known
        last[partnership_id] = (known and partnership.end) or dt.date.max  # type: ignore[union-attr] # known
    parts = batch["partnership"]
    lows = list(map(first.__getitem__, parts))
    highs = list(map(last.__getitem__, parts))
    rows: set[int] = set()
    for field in ("start", "end"):
        rows.update(
            batch.rows_where(operator.lt, batch.filled(field, dt.date.max), lows)
        )
        rows.update(
            batch.rows_where(operator.gt, batch.filled(field, dt.date.min), highs)
        )
    for index in sorted(rows):
        partnership = context.partnerships[parts[index]]
        where = context.sources["partnerships"].location(partnership.number, "start")
        period = _Period(
            f"partnership {partnership.id!r}",
            partnership.start,
            partnership.end,
            (where,),
        )
        _report_outside(context, ACTIVITY_OUTSIDE_PARTNERSHIP, batch, index, period)


def _outside(
    start: dt.date | None,
    end: dt.date | None,
    first: dt.date | None,
    last: dt.date | None,
) -> bool:
    for day in (start, end):
        if day is None:
            continue
        if (first is not None and day < first) or (last is not None and day > last):
            return True
    return False


def _end_outside(
    start: dt.date | None,
    end: dt.date | None,
    first: dt.date | None,
    last: dt.date | None,
) -> tuple[str, dt.date | None]:
    """Which end of a period lies outside `first` to `last` (the start, if both do)."""
    if _outside(start, None, first, last):
        return "start", start
    return "end", end


class _Period(NamedTuple):
    """The period a row must lie in: whose it is, its first and last day, where set."""

    owner: str
    first: dt.date | None
    last: dt.date | None
    related: tuple[Location, ...]


def _report_outside(
    context: Context,
    rule: Rule,
    batch: Batch,
    index: int,
    period: _Period,
    *,
    hint: str | None = None,
) -> None:
    """Report the end of a row's period that lies outside its owner's period."""
    owner, first, last, related = period
    field, value = _end_outside(batch["start"][index], batch["end"][index], first, last)
    window = f"{first or '…'} to {last or '…'}"
    context.report_at(
        rule,
        batch.cell(index, field),
        f"{_ROW_KIND[batch.table]} {field} {value} is outside the period of {owner} "
        f"({window})",
        hint=hint,
        value=value,
        expected=window,
        related=related,
    )


_ROW_KIND = {"activities": "activity", "partnerships": "partnership"}


@check(PARTNERSHIP_OUTSIDE_GENERATION, "partnerships")
def partnership_in_generation_period(batch: Batch, context: Context) -> None:
    """A partnership's own dates lie within its generation's period."""
    fields = ("generation", "start", "end")

    def is_bad(generation_id: str, start: dt.date | None, end: dt.date | None) -> bool:
        generation = context.generation_of(generation_id)
        return generation is not None and _outside(
            start, end, generation.start, generation.end
        )

    bad = context.failing(batch, fields, is_bad, PARTNERSHIP_OUTSIDE_GENERATION)
    for index in batch.rows_with(fields, bad):
        generation = context.generation_of(batch["generation"][index])
        assert generation is not None  # noqa: S101 - only rows with a generation are bad
        where = context.generation_location(generation.id)
        dates = batch["start"][index], batch["end"][index]
        period = _Period(
            f"generation {generation.id!r}",
            generation.start,
            generation.end,
            () if where is None else (where,),
        )
        hint = dates_fit(context.generations.values(), *dates, but=generation.id)
        _report_outside(
            context, PARTNERSHIP_OUTSIDE_GENERATION, batch, index, period, hint=hint
        )


def _future(batch: Batch, context: Context, *fields: str) -> None:
    as_of = context.options.as_of

    def is_bad(day: dt.date | None) -> bool:
        return day is not None and day > as_of

    def expected(_: int) -> str:
        return f"<= {as_of}"

    for field in fields:
        column = batch[field]

        def message(index: int, field: str = field, column: list[Any] = column) -> str:
            return (
                f"{field} {column[index]} is in the future (after {as_of}); a "
                "reported record cannot be in the future"
            )

        context.flag(
            FUTURE_DATE,
            batch,
            (field,),
            is_bad,
            field=field,
            message=message,
            expected=expected,
        )


# Reported activities cannot start or end after `as_of`, a target cannot be
# declared after it, nor a label awarded.
_REPORTED_DATES = [
    ("activities", "start"),
    ("activities", "end"),
    ("targets", "since"),
    ("clusters", "esca_label_date"),
]
check_fields(FUTURE_DATE, _future, _REPORTED_DATES)
