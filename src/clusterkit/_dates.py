"""Private date parsing shared by the models, the readers and the validator.

Dates are ISO 8601 calendar dates (`2017-03-14`). A value that has the ISO shape
but names no day (`2023-02-30`) gets its own message, because "not a date" would
send a data steward looking for a typo that is not there. Other spellings that
python-dateutil reads one way only (`14 March 2017`) are accepted (the validator
warns about them, CK-TYPE-002); spellings that read two ways (`03/04/2017`) are
refused with both readings, and so are incomplete ones (`March 2017`).

The start and end of a period may also be given to the month or the year, in
ISO 8601's reduced forms `YYYY-MM` and `YYYY` (`parse_start_date`,
`parse_end_date`): such a value is a `PartialDate`, the first day of its month or
year for a start and the last day for an end, which remembers its precision (the
validator remarks on it, CK-DATE-005).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import warnings
from typing import Any, Literal

from dateutil import parser as date_parser
from pydantic_core import PydanticCustomError

__all__ = [
    "PartialDate",
    "Precision",
    "is_iso_date_text",
    "parse_end_date",
    "parse_iso_date",
    "parse_start_date",
]

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_ISO_LENGTH = 10
# ISO 8601's reduced forms: a year, or a year and a month.
_REDUCED_DATE = re.compile(r"([0-9]{4})(?:-([0-9]{2}))?")
_MONTHS = 12
# What a start or end also takes, for messages.
_MONTH_YEAR = "YYYY-MM, YYYY for a month, a year"

Precision = Literal["year", "month", "day"]
"""How precisely a date is given: to the year, to the month or to the day."""


class PartialDate(dt.date):
    """A date given to the month or the year, standing for its first or its last day.

    Published programme data often date a period to the month (`2016-02`) or to
    the year (`2017`). As a `datetime.date`, such a value is one day, so it
    compares, sorts and hashes as that day and is equal to the plain date of that
    day: a start given as `2016-02` is 2016-02-01, an end given as `2017` is
    2017-12-31. It also keeps its precision, and `isoformat()`, `str()` and every
    writer give it back as it was given, in ISO 8601's reduced forms `YYYY-MM` and
    `YYYY`. A date given to the day is a plain `datetime.date`.

    Date arithmetic and `replace()` give plain dates: a day moved from the last
    day of 2017 is no longer "2017".

    `PartialDate(year, month, day, precision)` takes the day it stands for, which
    must be the first or the last of its month (precision `month`) or of its year
    (precision `year`), and raises `ValueError` otherwise; `first_day` and
    `last_day` build one from the year and the month.

    Added in version 0.2.0.

    Examples:
        >>> import datetime as dt
        >>> end = PartialDate.last_day(2017)
        >>> end == dt.date(2017, 12, 31), end.precision, str(end)
        (True, 'year', '2017')
        >>> start = PartialDate.first_day(2016, 2)
        >>> start, start.isoformat(), start < dt.date(2016, 2, 2)
        (PartialDate(2016, 2, 1, 'month'), '2016-02', True)
    """

    __slots__ = ("_precision",)
    _precision: Literal["year", "month"]

    def __new__(  # noqa: PYI034 - Self needs Python 3.11 or typing_extensions
        cls, year: int, month: int, day: int, precision: Literal["year", "month"]
    ) -> PartialDate:
        """A partial date; see the class for the arguments."""
        self = super().__new__(cls, year, month, day)
        if precision == "year":
            bounds = {(1, 1), (_MONTHS, 31)}
        elif precision == "month":
            bounds = {(month, 1), (month, calendar.monthrange(year, month)[1])}
        else:
            msg = f"precision must be 'year' or 'month', not {precision!r}"
            raise ValueError(msg)
        if (month, day) not in bounds:
            msg = (
                f"{dt.date(year, month, day)} is neither the first nor the last "
                f"day of its {precision}"
            )
            raise ValueError(msg)
        self._precision = precision
        return self

    @classmethod
    def first_day(cls, year: int, month: int | None = None) -> PartialDate:
        """A year or a month as a start: its first day.

        Added in version 0.2.0.

        Examples:
            >>> PartialDate.first_day(2017)
            PartialDate(2017, 1, 1, 'year')
        """
        if month is None:
            return cls(year, 1, 1, "year")
        return cls(year, month, 1, "month")

    @classmethod
    def last_day(cls, year: int, month: int | None = None) -> PartialDate:
        """A year or a month as an end: its last day.

        Added in version 0.2.0.

        Examples:
            >>> PartialDate.last_day(2016, 2)
            PartialDate(2016, 2, 29, 'month')
        """
        if month is None:
            return cls(year, _MONTHS, 31, "year")
        return cls(year, month, calendar.monthrange(year, month)[1], "month")

    @property
    def precision(self) -> Literal["year", "month"]:
        """How precisely the date is given: `year` or `month`."""
        return self._precision

    @property
    def is_end(self) -> bool:
        """Whether it stands for the last day of its month or year (else the first)."""
        # No month or year has its first day as its last.
        return self.day != 1

    def day_date(self) -> dt.date:
        """The day it stands for, as a plain `datetime.date`.

        Added in version 0.2.0.
        """
        return dt.date(self.year, self.month, self.day)

    def isoformat(self) -> str:
        """The date as given, in ISO 8601's reduced form: `2017` or `2016-02`."""
        if self._precision == "year":
            return f"{self.year:04d}"
        return f"{self.year:04d}-{self.month:02d}"

    __str__ = isoformat

    def __repr__(self) -> str:
        return (
            f"{type(self).__name__}({self.year}, {self.month}, {self.day}, "
            f"{self._precision!r})"
        )

    def __reduce__(self) -> tuple[Any, ...]:
        return type(self), (self.year, self.month, self.day, self._precision)

    # A day moved is no longer the first or last of a month or year: plain dates.
    def __add__(self, other: dt.timedelta) -> dt.date:  # type: ignore[override] # a plain date, see above
        return self.day_date() + other

    def __radd__(self, other: dt.timedelta) -> dt.date:  # type: ignore[override] # a plain date, see above
        return self.day_date() + other

    def __sub__(self, other: Any) -> Any:
        return self.day_date() - other

    def replace(self, *args: Any, **kwargs: Any) -> dt.date:  # type: ignore[override] # a plain date, see above
        """The day it stands for with some parts replaced, as a plain date."""
        return self.day_date().replace(*args, **kwargs)


def parse_start_date(value: Any) -> Any:
    """Like `parse_iso_date`, also reading `YYYY` and `YYYY-MM` as their first day.

    Raises:
        PydanticCustomError: As `parse_iso_date`.
    """
    if (
        type(value) is str
        and len(value) == _ISO_LENGTH
        and value[4] == value[7] == "-"
        and value.isascii()
    ):
        # The common case, as in `parse_iso_date`, without a further call.
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return _parse_period_date(value, end=False)


def parse_end_date(value: Any) -> Any:
    """Like `parse_iso_date`, also reading `YYYY` and `YYYY-MM` as their last day.

    Raises:
        PydanticCustomError: As `parse_iso_date`.
    """
    if (
        type(value) is str
        and len(value) == _ISO_LENGTH
        and value[4] == value[7] == "-"
        and value.isascii()
    ):
        # The common case, as in `parse_iso_date`, without a further call.
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    return _parse_period_date(value, end=True)


def _parse_period_date(value: Any, *, end: bool) -> Any:
    if isinstance(value, str) and not (
        len(value) == _ISO_LENGTH and value[4] == value[7] == "-"
    ):
        # Not the common case, a date of the ISO shape: perhaps a month or a year.
        text = value.strip()
        match = _REDUCED_DATE.fullmatch(text)
        if match is not None:
            return _reduced(text, match, end=end)
    elif isinstance(value, PartialDate):
        # The field's role decides the day, whatever a copied value stood for.
        if value.is_end is end:
            return value
        month = value.month if value.precision == "month" else None
        return (PartialDate.last_day if end else PartialDate.first_day)(
            value.year, month
        )
    return _parse(value, reduced=True)


def _reduced(text: str, match: re.Match[str], *, end: bool) -> PartialDate:
    year, month = int(match[1]), None if match[2] is None else int(match[2])
    if year == 0:
        reason = "there is no year 0"
    elif month is not None and not 1 <= month <= _MONTHS:
        reason = f"there is no month {month}"
    else:
        return (PartialDate.last_day if end else PartialDate.first_day)(year, month)
    raise PydanticCustomError(
        "date_not_exist",
        "{value} is well-formed but is not a real date: {reason}",
        {"value": text, "reason": reason},
    )


def parse_iso_date(value: Any) -> Any:
    """Turn an ISO 8601 date string into a `datetime.date`; leave other types to pydantic.

    Raises:
        PydanticCustomError: `date_format` for text that is not `YYYY-MM-DD`,
            `date_not_exist` for a well-formed date that is not in the calendar.
    """
    return _parse(value, reduced=False)


def _parse(value: Any, *, reduced: bool) -> Any:
    """`parse_iso_date`; `reduced` says the field also takes `YYYY-MM` and `YYYY`."""
    if (
        type(value) is str
        and len(value) == _ISO_LENGTH
        and value[4] == value[7] == "-"
        and value.isascii()
    ):
        # The common case, a well-formed ISO date, at C speed; anything else takes
        # the slow path below, which explains what is wrong.
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    if isinstance(value, dt.datetime):
        if value.time() != dt.time(0, 0) or value.tzinfo is not None:
            raise PydanticCustomError(
                "date_has_time",
                "{value} has a time of day; give a calendar date (YYYY-MM-DD)",
                {"value": value.isoformat()},
            )
        return value.date()
    _refuse_partial_values(value, reduced=reduced)
    if not isinstance(value, str):
        return value
    text = value.strip()
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        return _other_spelling(value, text, reduced=reduced)
    year, month, day = (int(part) for part in match.groups())
    try:
        return dt.date(year, month, day)
    except ValueError:
        if not 1 <= month <= 12:  # noqa: PLR2004 - months of the year
            reason = f"there is no month {month}"
        elif year == 0:
            reason = "there is no year 0"
        else:
            days = calendar.monthrange(year, month)[1]
            reason = f"{calendar.month_name[month]} {year} has {days} days"
        raise PydanticCustomError(
            "date_not_exist",
            "{value} is well-formed but is not a real date: {reason}",
            {"value": text, "reason": reason},
        ) from None


def _refuse_partial_values(value: Any, *, reduced: bool) -> None:
    """Refuse a number, and a month or a year where a field takes full dates only."""
    if isinstance(value, PartialDate) and not reduced:
        raise PydanticCustomError(
            "date_format",
            "{value} is given to the {precision}; give year, month and day "
            "(YYYY-MM-DD, e.g. 2017-03-14)",
            {"value": repr(value.isoformat()), "precision": value.precision},
        )
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # pydantic would read a number as seconds since 1970: 20170314 is not a day
        # in August 1970, so a number is refused, not guessed. Nor is 2017 read as
        # a year: a program that writes JSON can write "2017", and a number in a
        # date field is more often a serial or a timestamp than a year.
        raise PydanticCustomError(
            "date_format",
            "{value} is a number, not a date; write it as text, YYYY-MM-DD{more}",
            {"value": repr(value), "more": f" (or {_MONTH_YEAR})" if reduced else ""},
        )


def as_of_day(as_of: object) -> dt.date:
    """The day `as_of` names (today when `None`), checked as the public calls take it.

    Raises:
        TypeError: `as_of` is not a `datetime.date` (a `datetime`, a moment,
            is not one either: comparing it with dates would fail later, less
            clearly).
    """
    if as_of is None:
        return dt.date.today()  # noqa: DTZ011 - the user's calendar day
    if type(as_of) is not dt.date:
        msg = f"as_of: expected a datetime.date, not {as_of!r}"
        raise TypeError(msg)
    return as_of


def is_iso_date_text(value: object) -> bool:
    """Whether `value` is text with the ISO shape `YYYY-MM-DD` (surrounding space allowed)."""
    return isinstance(value, str) and _ISO_DATE.fullmatch(value.strip()) is not None


_EARLY = dt.datetime(1, 1, 1)  # noqa: DTZ001 - a default for missing parts, not a moment
_LATE = dt.datetime(2, 2, 2)  # noqa: DTZ001 - a default for missing parts, not a moment
_YEAR_FIRST = re.compile(r"[0-9]{4}[^0-9]")


def _read(
    text: str, default: dt.datetime, *, dayfirst: bool, yearfirst: bool
) -> dt.datetime:
    with warnings.catch_warnings():
        # dateutil warns of words it takes for time zones ("8a6AA"); the reading
        # is judged below, and a warning must not escape into the caller's run.
        warnings.simplefilter("ignore")
        return date_parser.parse(
            text, default=default, dayfirst=dayfirst, yearfirst=yearfirst
        )


def _other_spelling(value: str, text: str, *, reduced: bool) -> dt.date:
    """Read a non-ISO spelling, if it reads as exactly one complete calendar date."""
    # A leading four-digit year is read year-month-day only: nobody writes Y/D/M.
    orders = (
        ((False, True),)
        if _YEAR_FIRST.match(text)
        else ((False, False), (True, False), (False, True), (True, True))
    )
    readings: list[dt.datetime] = []
    complete = True
    # Digits of other scripts are not read as numbers: nobody types them in a date.
    not_a_date = PydanticCustomError(
        "date_format",
        "{value} is not an ISO 8601 date (YYYY-MM-DD, e.g. 2017-03-14{more})",
        {"value": repr(value), "more": f"; or {_MONTH_YEAR}" if reduced else ""},
    )
    if any(char.isdigit() and not char.isascii() for char in text):
        raise not_a_date
    months: set[tuple[int, int]] = set()
    try:
        for dayfirst, yearfirst in orders:
            early = _read(text, _EARLY, dayfirst=dayfirst, yearfirst=yearfirst)
            late = _read(text, _LATE, dayfirst=dayfirst, yearfirst=yearfirst)
            complete = complete and early == late
            if early not in readings:
                readings.append(early)
            if (early.year, early.month) == (late.year, late.month):
                months.add((early.year, early.month))
    except (date_parser.ParserError, OverflowError, ValueError):
        raise not_a_date from None
    if not complete and reduced and len(months) == 1 and len(readings) == 1:
        # A month in another spelling (`March 2017`): say how to write it.
        year, month = months.pop()
        raise PydanticCustomError(
            "date_format",
            "{value} is not an ISO 8601 date; write the month as {month} (YYYY-MM)",
            {"value": repr(value), "month": f"{year:04d}-{month:02d}"},
        )
    if not complete:
        raise PydanticCustomError(
            "date_format",
            "{value} is not a complete date; give year, month and day "
            "(YYYY-MM-DD, e.g. 2017-03-14)"
            + (f", or {_MONTH_YEAR}" if reduced else ""),
            {"value": repr(value)},
        )
    if len(readings) > 1:
        both = " or ".join(reading.date().isoformat() for reading in readings)
        raise PydanticCustomError(
            "date_ambiguous",
            "{value} is ambiguous: it reads as {readings}; write it as YYYY-MM-DD",
            {"value": repr(value), "readings": both},
        )
    reading = readings[0]
    if reading.time() != dt.time(0, 0) or reading.tzinfo is not None:
        raise PydanticCustomError(
            "date_has_time",
            "{value} has a time of day; give a calendar date (YYYY-MM-DD)",
            {"value": repr(value)},
        )
    return reading.date()
