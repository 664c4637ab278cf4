"""Location and Period."""

from __future__ import annotations

import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clusterkit.io._location import line_location
from clusterkit.values import Location, Period


@pytest.mark.parametrize(
    ("location", "text"),
    [
        (Location(), "<input>"),
        (Location(file="d/a.csv", line=4), "d/a.csv:4"),
        (Location(file="d/a.csv", line=4, column=2, field="x"), "d/a.csv:4:2 (x)"),
        (
            Location(
                file="b.xlsx", sheet="smes", cell="C9", line=9, column=3, field="x"
            ),
            "b.xlsx:smes!C9 (x)",
        ),
        (Location(file="h.csv", line=1, column=4, field=""), "h.csv:1:4"),
        (Location(file="b.xlsx", sheet="smes"), "b.xlsx:smes"),
        (
            Location(file="d.json", line=7, pointer="/clusters/0"),
            "d.json:7 at /clusters/0",
        ),
    ],
)
def test_location_renders_like_an_editor_reference(
    location: Location, text: str
) -> None:
    """A location renders as file:line:column with sheet, cell, pointer and field."""
    assert str(location) == text


@given(st.one_of(st.none(), st.text()), st.integers(min_value=1, max_value=2**63))
def test_a_line_location_is_the_location_of_file_and_line(
    file: str | None, line: int
) -> None:
    """The readers' fast `Location` of a line is `Location(file, line)` in every way."""
    made = line_location(file, line)
    expected = Location(file, line)
    assert type(made) is Location
    assert made == expected
    assert hash(made) == hash(expected)
    assert repr(made) == repr(expected)
    assert str(made) == str(expected)
    assert made.with_field("start") == expected.with_field("start")
    with pytest.raises(AttributeError):
        made.line = line + 1  # type: ignore[misc] # frozen, as the class is


def test_with_field() -> None:
    """Narrowing to a field keeps the rest of the location."""
    assert Location(file="a", line=2).with_field("id", 1) == Location(
        file="a", line=2, column=1, field="id"
    )


def test_period_contains_both_ends() -> None:
    """A period includes its first and last day, and open periods never end."""
    period = Period(dt.date(2016, 1, 1), dt.date(2017, 12, 31))
    assert dt.date(2016, 1, 1) in period
    assert dt.date(2017, 12, 31) in period
    assert dt.date(2015, 12, 31) not in period
    assert dt.date(2018, 1, 1) not in period
    assert "2016-05-01" not in period
    assert dt.date(2999, 1, 1) in Period(dt.date(2016, 1, 1))


def test_period_order_and_nesting() -> None:
    """A period knows whether it is ordered and whether it holds another."""
    outer = Period(dt.date(2016, 1, 1), dt.date(2017, 12, 31))
    assert outer.is_ordered
    assert not Period(dt.date(2017, 1, 1), dt.date(2016, 1, 1)).is_ordered
    assert Period(dt.date(2017, 1, 1)).is_ordered
    assert outer.contains_period(Period(dt.date(2016, 2, 1), dt.date(2016, 3, 1)))
    assert not outer.contains_period(Period(dt.date(2015, 2, 1), dt.date(2016, 3, 1)))
    assert not outer.contains_period(Period(dt.date(2016, 2, 1)))
    assert not outer.contains_period(Period(dt.date(2016, 2, 1), dt.date(2018, 1, 1)))
    assert Period(dt.date(2016, 1, 1)).contains_period(Period(dt.date(2020, 1, 1)))


@given(st.dates(), st.dates(), st.dates())
def test_membership_matches_comparison(
    start: dt.date, end: dt.date, day: dt.date
) -> None:
    """`day in period` is exactly start <= day <= end."""
    assert (day in Period(start, end)) == (start <= day <= end)
