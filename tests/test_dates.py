"""Date parsing: ISO dates, other unambiguous spellings, and messages that explain."""

from __future__ import annotations

import datetime as dt
import re

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from clusterkit._dates import is_iso_date_text, parse_iso_date


def test_iso_dates_parse() -> None:
    """ISO text, dates and midnight datetimes give dates; numbers are not dates."""
    assert parse_iso_date(" 2017-03-14 ") == dt.date(2017, 3, 14)
    assert parse_iso_date(dt.datetime(2017, 3, 14)) == dt.date(2017, 3, 14)  # noqa: DTZ001 - workbook cells are naive
    assert parse_iso_date(dt.date(2017, 3, 14)) == dt.date(2017, 3, 14)
    with pytest.raises(PydanticCustomError, match="a number, not a date"):
        parse_iso_date(20170314)
    assert parse_iso_date(b"2017") == b"2017"  # other types are pydantic's to refuse


@pytest.mark.parametrize(
    ("text", "kind", "reason"),
    [
        ("2023-02-30", "date_not_exist", "February 2023 has 28 days"),
        ("2024-02-30", "date_not_exist", "February 2024 has 29 days"),
        ("2023-13-01", "date_not_exist", "there is no month 13"),
        ("0000-01-01", "date_not_exist", "there is no year 0"),
        ("March 2017", "date_format", "not a complete date"),
        ("14", "date_format", "not a complete date"),
        ("03/04/2017", "date_ambiguous", "2017-03-04 or 2017-04-03"),
        ("17/03/14", "date_ambiguous", "2014-03-17 or 2017-03-14"),
        ("14 March 2017 10:00", "date_has_time", "time of day"),
        ("31/02/2017", "date_format", "YYYY-MM-DD"),
        ("", "date_format", "YYYY-MM-DD"),
    ],
)
def test_bad_dates_are_explained(text: str, kind: str, reason: str) -> None:
    """A malformed date and a well-formed impossible date get different messages."""
    with pytest.raises(PydanticCustomError) as caught:
        parse_iso_date(text)
    assert caught.value.type == kind
    assert reason in str(caught.value)


def test_datetime_with_time_is_refused() -> None:
    """A timestamp with a time of day is not silently cut to a date."""
    with pytest.raises(PydanticCustomError) as caught:
        parse_iso_date(dt.datetime(2017, 3, 14, 9, 30))  # noqa: DTZ001 - workbook cells are naive
    assert caught.value.type == "date_has_time"


def test_only_ascii_digits() -> None:
    """Digits of other scripts are not read as a date."""
    with pytest.raises(PydanticCustomError):
        parse_iso_date("\u0662\u0660\u0661\u0667-\u0660\u0663-\u0661\u0664")


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("14 March 2017", dt.date(2017, 3, 14)),
        ("Mar 14, 2017", dt.date(2017, 3, 14)),
        ("13/04/2017", dt.date(2017, 4, 13)),
        ("2017/03/04", dt.date(2017, 3, 4)),
        ("2017-3-4", dt.date(2017, 3, 4)),
        ("20170314", dt.date(2017, 3, 14)),
    ],
)
def test_unambiguous_spellings_are_read(text: str, day: dt.date) -> None:
    """A spelling that reads as exactly one complete date is accepted (DESIGN §3)."""
    assert parse_iso_date(text) == day
    assert not is_iso_date_text(text)


@given(st.text(alphabet="0123456789-+WT: \u0662", max_size=12))
def test_iso_shaped_text_reads_as_itself(text: str) -> None:
    """Text of the shape YYYY-MM-DD is read as exactly that date, or refused if impossible."""
    iso = re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", text.strip())
    try:
        parsed = parse_iso_date(text)
    except PydanticCustomError:
        assert not iso or _impossible(text)
    else:
        assert not iso or parsed.isoformat() == text.strip()
        assert isinstance(parsed, dt.date)


def _impossible(text: str) -> bool:
    year, month, day = (int(part) for part in text.strip().split("-"))
    try:
        dt.date(year, month, day)
    except ValueError:
        return True
    return False
