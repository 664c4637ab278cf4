"""Private: a partnership's period read from the free text sources publish.

"2016-01 to 2017", "2016-02-01, 24 months", "ended 2019-06-30", "2021-09
start": the dates are kept as precise as written (`YYYY`, `YYYY-MM` or
`YYYY-MM-DD`); a duration gives the end from a start; remarks in brackets and
after a comma are left out, and the reading says so. Text with no date it can
place ("24 months", "two years, ended 15 December") gives no dates.
"""

from __future__ import annotations

import datetime as dt
import re

import attrs
from dateutil.relativedelta import relativedelta

__all__ = ["PeriodReading", "read_period"]

_DATE = r"(\d{4}(?:-\d{2}(?:-\d{2})?)?)"
_RANGE = re.compile(rf"^{_DATE}\s*(?:to|until|-|\u2013)\s*{_DATE}\b")
_DURATION = re.compile(rf"^{_DATE}(?:\s*kick-off)?\s*,?\s*(\d{{1,3}})\s*months?\b")
_ENDED = re.compile(rf"^ended\s+{_DATE}\b")
_START = re.compile(rf"^{_DATE}(?:\s*(?:start|kick-off))?\b")
_BRACKETS = re.compile(r"\s*\([^()]*\)")


@attrs.frozen
class PeriodReading:
    """What a period's text gives.

    A start and an end (each `None` if not given), and the text when part of it
    was not used (`None` when all of it was).
    """

    start: str | None
    end: str | None
    unread: str | None


def _valid(text: str) -> bool:
    parts = [int(part) for part in text.split("-")]
    try:
        dt.date(parts[0], *(parts[1:] + [1] * (3 - len(parts))))
    except ValueError:
        return False
    return True


def _end_after(start: str, months: int) -> str:
    """The last day (or month) of `months` months from `start`."""
    parts = [int(part) for part in start.split("-")]
    if len(parts) == 3:  # noqa: PLR2004 - a day: the day before the same day N months on
        last = dt.date(*parts) + relativedelta(months=months) - dt.timedelta(days=1)
        return last.isoformat()
    year, month = parts[0], parts[1] if len(parts) > 1 else 1
    last_month = dt.date(year, month, 1) + relativedelta(months=months - 1)
    return f"{last_month.year:04d}-{last_month.month:02d}"


def read_period(text: str) -> PeriodReading:
    """Read a published period.

    Examples:
        >>> read_period("2016-01 to 2017")
        PeriodReading(start='2016-01', end='2017', unread=None)
        >>> read_period("2016-02-01, 24 months")
        PeriodReading(start='2016-02-01', end='2018-01-31', unread=None)
        >>> read_period("24 months")
        PeriodReading(start=None, end=None, unread='24 months')
    """
    original = text.strip()
    bare = _BRACKETS.sub("", original).strip()
    start = end = None
    used = ""
    no_time = False  # "0 months": a duration that ends before it starts
    if match := _RANGE.match(bare):
        start, end = match[1], match[2]
    elif match := _DURATION.match(bare):
        start, months = match[1], int(match[2])
        no_time = months == 0
        end = _end_after(start, months) if months and _valid(start) else None
    elif match := _ENDED.match(bare):
        end = match[1]
    elif match := _START.match(bare):
        start = match[1]
    if match is not None:
        used = match[0]
    given = (start, end)
    start = start if start is not None and _valid(start) else None
    end = end if end is not None and _valid(end) else None
    if start is None and end is None:
        return PeriodReading(None, None, original or None)
    rest = bare[len(used) :].strip(" ,;")
    # Part of it was a remark, or a date that does not exist ("2019-13").
    unread = (
        original
        if rest or bare != original or given != (start, end) or no_time
        else None
    )
    return PeriodReading(start, end, unread)
