"""Private: numbers spelt as spreadsheets of many locales write them, and how to write them.

A count or an amount is written with digits, a `.` for the decimal point and no
thousands separator (`1200`, `448750.50`). Spreadsheets write `1.200`, `1 200`
or `448750,50` where the comma is the decimal mark, and `1,200` where it is not;
a number that does not parse gets a hint that says how to write it, with both
readings when it has two (`1,200` is 1.2 or 1200). A date saved from a cell not
formatted as a date is the spreadsheet's day number (`43529`): its hint names
the day.
"""

from __future__ import annotations

import datetime as dt
import re
from typing import Any

__all__ = ["date_number_hint", "number_hint"]

# (thousands separator, decimal mark) as spreadsheets write them; "" for none.
_STYLES = (
    ("", ","),
    (".", ","),
    (" ", ","),
    ("\u00a0", ","),  # no-break space
    ("\u202f", ","),  # narrow no-break space
    ("'", ","),
    (",", "."),
    (" ", "."),
    ("\u00a0", "."),
    ("\u202f", "."),
    ("'", "."),
)
_PATTERNS = tuple(
    (
        re.compile(
            (rf"(\d{{1,3}}(?:{re.escape(group)}\d{{3}})+)" if group else r"(\d+)")
            + rf"(?:{re.escape(mark)}(\d+))?"
        ),
        group,
    )
    for group, mark in _STYLES
)
_CURRENCY = re.compile(r"^(?:€|eur\b)\s*|\s*(?:€|\beur)$", re.IGNORECASE)


def number_hint(raw: Any, *, whole: bool) -> str | None:
    """How to write `raw`, a count (`whole`) or an amount that did not parse; or `None`.

    `None` when no spreadsheet spelling reads it as a number (a count: as a
    whole number).
    """
    if not isinstance(raw, str):
        return None
    text, currency = _CURRENCY.subn("", raw.strip())
    readings = [value for value in _readings(text) if not whole or "." not in value]
    if not readings:
        return None
    rule = (
        "a count is a whole number, without a thousands separator"
        if whole
        else "an amount has a '.' for the decimal point and no thousands separator"
    )
    if currency and not whole:
        rule = f"{rule}, and is in euros without a currency sign"
    if len(readings) == 1:
        return f"write it as {readings[0]}: {rule}"
    options = " or as ".join(readings)
    return f"write it as {options}, whichever it means: {rule}"


def _readings(text: str) -> list[str]:
    """Each number `text` spells in some spreadsheet's style, in the canonical spelling."""
    found: dict[str, None] = {}
    for pattern, group in _PATTERNS:
        match = pattern.fullmatch(text)
        if match is not None:
            digits = match[1].replace(group, "") if group else match[1]
            # `1,200` read with a decimal comma is 1.2: shown so, not as 1.200,
            # which reads as 1200 where the comma is the decimal mark.
            fraction = (match[2] or "").rstrip("0")
            found[f"{digits}.{fraction}" if fraction else digits] = None
    return list(found)


# Excel and LibreOffice count days from 1899-12-30 (Excel's day 60 is the 29
# February 1900 that never was; no date of the programme is that early).
_DAY_ZERO = dt.date(1899, 12, 30)
# The day numbers of 1950 to 2099: a five-digit number there is most likely a date.
_DAY_NUMBERS = range(18_264, 73_051)


def date_number_hint(raw: Any) -> str | None:
    """The hint of a date cell that holds a spreadsheet's day number (`43529`); or `None`."""
    if not isinstance(raw, str) or not raw.strip().isascii():
        return None
    text = raw.strip()
    if not text.isdigit() or int(text) not in _DAY_NUMBERS:
        return None
    day = _DAY_ZERO + dt.timedelta(days=int(text))
    return (
        f"{text} looks like a spreadsheet's number for the day {day.isoformat()}: "
        "give the column a date format (YYYY-MM-DD) before saving, "
        f"or write {day.isoformat()}"
    )
