"""ISO date parsing with messages that explain impossible dates."""

from __future__ import annotations

import datetime as dt

import pytest
from pydantic_core import PydanticCustomError

from clusterkit._dates import parse_iso_date


def test_iso_dates_parse() -> None:
    """ISO text, dates and midnight datetimes give dates; other types pass through."""
    assert parse_iso_date(" 2017-03-14 ") == dt.date(2017, 3, 14)
    assert parse_iso_date(dt.datetime(2017, 3, 14)) == dt.date(2017, 3, 14)  # noqa: DTZ001 - workbook cells are naive
    assert parse_iso_date(dt.date(2017, 3, 14)) == dt.date(2017, 3, 14)
    assert parse_iso_date(20170314) == 20170314


@pytest.mark.parametrize(
    ("text", "kind", "reason"),
    [
        ("2023-02-30", "date_not_exist", "February 2023 has 28 days"),
        ("2024-02-30", "date_not_exist", "February 2024 has 29 days"),
        ("2023-13-01", "date_not_exist", "there is no month 13"),
        ("0000-01-01", "date_not_exist", "there is no year 0"),
        ("14 March 2017", "date_format", "YYYY-MM-DD"),
        ("2017-3-14", "date_format", "YYYY-MM-DD"),
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
