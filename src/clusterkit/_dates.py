"""Private date parsing shared by the models and the readers.

Dates are ISO 8601 calendar dates (`2017-03-14`). A value that has the ISO shape
but names no day (`2023-02-30`) gets its own message, because "not a date" would
send a data steward looking for a typo that is not there.
"""

from __future__ import annotations

import calendar
import datetime as dt
import re
from typing import Any

from pydantic_core import PydanticCustomError

__all__ = ["parse_iso_date"]

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
    if not isinstance(value, str):
        return value
    text = value.strip()
    match = _ISO_DATE.fullmatch(text)
    if match is None:
        raise PydanticCustomError(
            "date_format",
            "{value} is not an ISO 8601 date (YYYY-MM-DD, e.g. 2017-03-14)",
            {"value": repr(value)},
        )
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
