"""Small immutable values shared across clusterkit.

`Location` and `Period` are attrs frozen classes: they never come from untrusted
input, so they need no parsing, only immutability, hashing and ordering. Records
that cross the I/O boundary are pydantic models (see `clusterkit.models`), whose
period fields may hold a `PartialDate`, a `datetime.date` that remembers it was
given to the month or the year.
"""

from __future__ import annotations

import datetime as dt

import attrs

from clusterkit._dates import PartialDate, Precision

__all__ = ["Location", "PartialDate", "Period", "Precision"]

# Defined beside the date parsers it comes from; this is where users import it.
PartialDate.__module__ = __name__


@attrs.frozen
class Location:
    """Where a value sits in a source file.

    Lines are physical lines, counting from 1, with the CSV header on line 1, so an
    editor's "go to line" lands on the row. Every field is optional: a JSON document
    has a `pointer`, a workbook a `sheet` and `cell`.

    Added in version 0.1.0.

    Examples:
        >>> str(Location(file="data/activities.csv", line=12, column=3, field="start"))
        'data/activities.csv:12:3 (start)'
        >>> str(Location(file="data.xlsx", sheet="activities", cell="C12"))
        'data.xlsx:activities!C12'
    """

    file: str | None = None
    line: int | None = None
    column: int | None = None
    sheet: str | None = None
    cell: str | None = None
    pointer: str | None = None
    field: str | None = None

    def with_field(self, field: str, column: int | None = None) -> Location:
        """Return this location narrowed to one field (and its column, if known)."""
        return attrs.evolve(self, field=field, column=column)

    def __str__(self) -> str:
        text = self.file or "<input>"
        if self.sheet is not None:
            text += f":{self.sheet}"
            if self.cell is not None:
                text += f"!{self.cell}"
        if self.cell is None and self.line is not None:
            text += f":{self.line}"
            if self.column is not None:
                text += f":{self.column}"
        if self.pointer is not None:
            text += f" at {self.pointer}"
        if self.field:
            text += f" ({self.field})"
        return text


@attrs.frozen(order=True)
class Period:
    """A span of days, both ends included; `end=None` means open-ended.

    Added in version 0.1.0.

    Examples:
        >>> from datetime import date
        >>> p = Period(date(2016, 1, 1), date(2017, 12, 31))
        >>> date(2017, 5, 1) in p, date(2018, 1, 1) in p
        (True, False)
    """

    start: dt.date
    end: dt.date | None = None

    @property
    def is_ordered(self) -> bool:
        """Whether the period does not end before it starts."""
        return self.end is None or self.start <= self.end

    def __contains__(self, day: object) -> bool:
        if not isinstance(day, dt.date):
            return False
        return self.start <= day and (self.end is None or day <= self.end)

    def contains_period(self, other: Period) -> bool:
        """Whether `other` lies wholly inside this period."""
        if other.start < self.start:
            return False
        if self.end is None:
            return True
        return other.end is not None and other.end <= self.end
