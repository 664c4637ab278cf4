"""Date parsing: ISO dates, other unambiguous spellings, months and years, and messages that explain."""

from __future__ import annotations

import copy
import datetime as dt
import pickle
import re
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic_core import PydanticCustomError

from clusterkit._dates import (
    is_iso_date_text,
    parse_end_date,
    parse_iso_date,
    parse_start_date,
)
from clusterkit.values import PartialDate


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


class TestPartialDate:
    """`PartialDate`: a month or a year that is, as a date, its first or last day."""

    def test_start_means_the_first_day_and_end_the_last(self) -> None:
        """A start is the first day of its month or year, an end the last."""
        assert PartialDate.first_day(2017) == dt.date(2017, 1, 1)
        assert PartialDate.last_day(2017) == dt.date(2017, 12, 31)
        assert PartialDate.first_day(2016, 2) == dt.date(2016, 2, 1)
        assert PartialDate.last_day(2016, 2) == dt.date(2016, 2, 29)
        assert PartialDate.last_day(2017, 2) == dt.date(2017, 2, 28)
        assert not PartialDate.first_day(2017).is_end
        assert PartialDate.last_day(2017, 12).is_end

    def test_precision_and_text(self) -> None:
        """It keeps its precision and writes itself in ISO 8601's reduced forms."""
        year, month = PartialDate.last_day(2017), PartialDate.first_day(2016, 2)
        assert (year.precision, month.precision) == ("year", "month")
        assert (year.isoformat(), month.isoformat()) == ("2017", "2016-02")
        assert (str(year), f"{month}") == ("2017", "2016-02")
        assert format(year, "%Y-%m-%d") == "2017-12-31"
        assert repr(month) == "PartialDate(2016, 2, 1, 'month')"
        assert PartialDate.first_day(987).isoformat() == "0987"

    def test_compares_sorts_and_hashes_as_its_day(self) -> None:
        """Equal to the plain date of its day, in sets, comparisons and sorting."""
        end = PartialDate.last_day(2017)
        assert end == dt.date(2017, 12, 31)
        assert dt.date(2017, 12, 31) == end
        assert hash(end) == hash(dt.date(2017, 12, 31))
        assert {end, dt.date(2017, 12, 31)} == {end}
        assert dt.date(2017, 6, 1) < end
        assert end > PartialDate.last_day(2017, 11)
        assert PartialDate.first_day(2017) != PartialDate.last_day(2017)
        days = [end, dt.date(2017, 6, 1), PartialDate.first_day(2017)]
        assert sorted(days) == [
            dt.date(2017, 1, 1),
            dt.date(2017, 6, 1),
            dt.date(2017, 12, 31),
        ]

    def test_arithmetic_gives_plain_dates(self) -> None:
        """A day moved from a partial date is a plain date; differences are days."""
        end = PartialDate.last_day(2017)
        moved = [end + dt.timedelta(days=1), dt.timedelta(days=1) + end]
        assert moved == [dt.date(2018, 1, 1)] * 2
        assert all(type(day) is dt.date for day in moved)
        assert type(end - dt.timedelta(days=1)) is dt.date
        assert end - dt.date(2017, 12, 1) == dt.timedelta(days=30)
        assert dt.date(2018, 1, 1) - end == dt.timedelta(days=1)
        assert end.replace(day=5) == dt.date(2017, 12, 5)
        assert type(end.replace(day=5)) is dt.date
        assert type(end.day_date()) is dt.date

    def test_copies_and_pickles(self) -> None:
        """Copies and pickles keep the day and the precision."""
        month = PartialDate.last_day(2016, 2)
        for again in (
            copy.copy(month),
            copy.deepcopy(month),
            pickle.loads(pickle.dumps(month)),  # noqa: S301 - our own pickle
        ):
            assert again == month
            assert again.precision == "month"
            assert type(again) is PartialDate

    @pytest.mark.parametrize(
        ("arguments", "message"),
        [
            ((2017, 3, 5, "month"), "neither the first nor the last day of its month"),
            ((2017, 3, 1, "year"), "neither the first nor the last day of its year"),
            ((2017, 3, 1, "day"), "precision must be 'year' or 'month'"),
            ((2017, 13, 1, "month"), "month must be in 1..12"),
        ],
    )
    def test_only_first_and_last_days(
        self, arguments: tuple[int, int, int, Any], message: str
    ) -> None:
        """A partial date is the first or last day of its month or year, nothing else."""
        with pytest.raises(ValueError, match=message):
            PartialDate(*arguments)


@pytest.mark.parametrize(
    ("text", "start", "end", "precision"),
    [
        ("2017", dt.date(2017, 1, 1), dt.date(2017, 12, 31), "year"),
        ("2016-02", dt.date(2016, 2, 1), dt.date(2016, 2, 29), "month"),
        (" 2016-02 ", dt.date(2016, 2, 1), dt.date(2016, 2, 29), "month"),
        (" 2017-03   ", dt.date(2017, 3, 1), dt.date(2017, 3, 31), "month"),
        ("2017-03-14", dt.date(2017, 3, 14), dt.date(2017, 3, 14), "day"),
        ("14 March 2017", dt.date(2017, 3, 14), dt.date(2017, 3, 14), "day"),
    ],
)
def test_period_dates_by_role(
    text: str, start: dt.date, end: dt.date, precision: str
) -> None:
    """The role decides the day of a month or a year; a full date is a plain date."""
    first, last = parse_start_date(text), parse_end_date(text)
    assert (first, last) == (start, end)
    if precision == "day":
        assert type(first) is dt.date
        assert type(last) is dt.date
    else:
        assert isinstance(first, PartialDate)
        assert isinstance(last, PartialDate)
        assert first.precision == last.precision == precision
        assert str(first) == str(last) == text.strip()


def test_a_partial_date_takes_the_role_of_its_field() -> None:
    """A month copied from a start into an end becomes the month's last day."""
    start = PartialDate.first_day(2016, 2)
    assert parse_end_date(start) == dt.date(2016, 2, 29)
    assert parse_start_date(parse_end_date(start)) == start
    assert parse_start_date(start) is start
    assert parse_end_date(PartialDate.first_day(2017)) == dt.date(2017, 12, 31)


@pytest.mark.parametrize(
    ("value", "kind", "reason"),
    [
        ("2017-13", "date_not_exist", "there is no month 13"),
        ("2017-00", "date_not_exist", "there is no month 0"),
        ("0000", "date_not_exist", "there is no year 0"),
        ("17", "date_format", "or YYYY-MM, YYYY for a month, a year"),
        ("2017-1", "date_format", "write the month as 2017-01 (YYYY-MM)"),
        ("March 2017", "date_format", "write the month as 2017-03 (YYYY-MM)"),
        ("20177", "date_format", "2017-03-14; or YYYY-MM, YYYY for a month, a year"),
        (2017, "date_format", "a number, not a date; write it as text"),
        ("2023-02-30", "date_not_exist", "February 2023 has 28 days"),
    ],
)
def test_bad_period_dates_are_explained(value: object, kind: str, reason: str) -> None:
    """A month that does not exist, a short year or a number is refused, with a reason."""
    for parse in (parse_start_date, parse_end_date):
        with pytest.raises(PydanticCustomError) as caught:
            parse(value)
        assert caught.value.type == kind
        assert reason in str(caught.value)


def test_full_dates_stay_full() -> None:
    """A field of full dates refuses a month, a year, and a partial date."""
    for value in ("2017", "2016-02", PartialDate.first_day(2016, 2)):
        with pytest.raises(PydanticCustomError) as caught:
            parse_iso_date(value)
        assert caught.value.type == "date_format"
    with pytest.raises(PydanticCustomError, match="'2016-02' is given to the month"):
        parse_iso_date(PartialDate.first_day(2016, 2))


@given(
    st.integers(min_value=1, max_value=9999),
    st.none() | st.integers(min_value=1, max_value=12),
)
def test_reduced_forms_read_as_themselves(year: int, month: int | None) -> None:
    """Every year and month reads back as the text it writes, in either role."""
    text = f"{year:04d}" if month is None else f"{year:04d}-{month:02d}"
    for parse in (parse_start_date, parse_end_date):
        parsed = parse(text)
        assert isinstance(parsed, PartialDate)
        assert parsed.isoformat() == text
        assert parse(parsed.isoformat()) == parsed
    assert parse_start_date(text) <= parse_end_date(text)
