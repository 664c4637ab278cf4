"""Private date parsing shared by the models, the readers and the validator.

Dates are ISO 8601 calendar dates (`2017-03-14`). A value that has the ISO shape
but names no day (`2023-02-30`) gets its own message, because "not a date" would
send a data steward looking for a typo that is not there. Other spellings that
python-dateutil reads one way only (`14 March 2017`) are accepted (the validator
warns about them, CK-TYPE-002); spellings that read two ways (`03/04/2017`) are
refused with both readings, and so are incomplete ones (`March 2017`).
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
import warnings
from typing import Any

from dateutil import parser as date_parser
from pydantic_core import PydanticCustomError

__all__ = ["is_iso_date_text", "parse_iso_date"]

_ISO_DATE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_ISO_LENGTH = 10


def parse_iso_date(value: Any) -> Any:
    """Turn an ISO 8601 date string into a `datetime.date`; leave other types to pydantic.

    Raises:
        PydanticCustomError: `date_format` for text that is not `YYYY-MM-DD`,
            `date_not_exist` for a well-formed date that is not in the calendar.
    """
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
    _refuse_numbers(value)
    if not isinstance(value, str):
        return value
    text = value.strip()
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        return _other_spelling(value, text)
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


def _refuse_numbers(value: Any) -> None:
    if isinstance(value, (int, float)) and not isinstance(value, bool):
        # pydantic would read a number as seconds since 1970: 20170314 is not a day
        # in August 1970, so a number is refused, not guessed.
        raise PydanticCustomError(
            "date_format",
            "{value} is a number, not a date; write it as text, YYYY-MM-DD",
            {"value": repr(value)},
        )


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


def _other_spelling(value: str, text: str) -> dt.date:
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
    if any(char.isdigit() and not char.isascii() for char in text):
        raise PydanticCustomError(
            "date_format",
            "{value} is not an ISO 8601 date (YYYY-MM-DD, e.g. 2017-03-14)",
            {"value": repr(value)},
        )
    try:
        for dayfirst, yearfirst in orders:
            early = _read(text, _EARLY, dayfirst=dayfirst, yearfirst=yearfirst)
            late = _read(text, _LATE, dayfirst=dayfirst, yearfirst=yearfirst)
            complete = complete and early == late
            if early not in readings:
                readings.append(early)
    except (date_parser.ParserError, OverflowError, ValueError):
        raise PydanticCustomError(
            "date_format",
            "{value} is not an ISO 8601 date (YYYY-MM-DD, e.g. 2017-03-14)",
            {"value": repr(value)},
        ) from None
    if not complete:
        raise PydanticCustomError(
            "date_format",
            "{value} is not a complete date; give year, month and day "
            "(YYYY-MM-DD, e.g. 2017-03-14)",
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
