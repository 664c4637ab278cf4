"""Edges of the reference data that a review found: each test failed before."""

from __future__ import annotations

import bisect
import datetime as dt

import pytest
from hypothesis import given
from hypothesis import strategies as st

from clusterkit.countries import (
    classification_changes,
    is_eu_member,
    is_programme_participant,
    is_third_country,
    normalise_country,
)
from clusterkit.errors import CountryError

PROGRAMMES = {"COSME": dt.date(2014, 1, 1), "SMP": dt.date(2021, 1, 1)}
DAY = dt.timedelta(days=1)


@pytest.mark.parametrize(("programme", "first"), PROGRAMMES.items())
def test_no_eu_member_takes_part_before_its_programme_began(
    programme: str, first: dt.date
) -> None:
    """Germany was an SMP participant in 2015, six years before the SMP."""
    assert not is_programme_participant("DE", programme, first - DAY)
    assert is_programme_participant("DE", programme, first)


def test_the_united_kingdom_never_took_part_in_the_smp() -> None:
    """It left the EU on 31 January 2020, before the SMP began."""
    assert not is_programme_participant("UK", "SMP", dt.date(2019, 6, 1))
    assert is_programme_participant("UK", "COSME", dt.date(2019, 6, 1))


def test_an_eu_member_is_no_third_country_before_its_programme_either() -> None:
    on = dt.date(2010, 1, 1)
    assert is_eu_member("DE", on)
    assert not is_third_country("DE", on)
    assert not is_third_country("DE", on, rule="beyond-europe")
    assert is_third_country("US", on)


def test_an_unknown_programme_is_refused_for_an_eu_member_too() -> None:
    with pytest.raises(ValueError, match="unknown programme 'H2020'"):
        is_third_country("DE", dt.date(2019, 1, 1), programme="H2020")


def test_the_changes_include_the_day_a_programme_began() -> None:
    assert [day.isoformat() for day in classification_changes("DE")] == [
        "1958-01-01",
        "2014-01-01",
        "2021-01-01",
    ]


COUNTRIES = ("DE", "UK", "HR", "IS", "ME", "CH", "UA", "US", "JP", "TR")


def _classified(country: str, on: dt.date) -> tuple[bool, ...]:
    return (
        is_eu_member(country, on),
        *(is_programme_participant(country, p, on) for p in PROGRAMMES),
        *(is_third_country(country, on, p) for p in PROGRAMMES),
    )


@given(
    country=st.sampled_from(COUNTRIES),
    on=st.dates(dt.date(1950, 1, 1), dt.date(2040, 12, 31)),
)
def test_between_two_changes_a_country_is_classified_the_same(
    country: str, on: dt.date
) -> None:
    """The programmes' first days were missing, so the days between lied."""
    changes = classification_changes(country)
    before = bisect.bisect_right(changes, on)
    since = changes[before - 1] if before else dt.date(1950, 1, 1)
    assert _classified(country, on) == _classified(country, since)


def test_an_aggregate_is_named_with_its_article() -> None:
    """The message said "it is a aggregate"."""
    with pytest.raises(
        CountryError, match=r"'EU' is not one country \(it is an aggregate\)"
    ):
        normalise_country("EU")
    with pytest.raises(CountryError, match=r"\(it is a region\)"):
        normalise_country("Europe")
