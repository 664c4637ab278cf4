"""Dated classifications: EU membership, programme participation, third countries."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

import clusterkit as ck
from clusterkit.countries import (
    is_eu_member,
    is_european,
    is_programme_participant,
    is_third_country,
    protocol_order,
)

DATA = json.loads(
    (Path(ck.__file__).parent / "data" / "countries.json").read_text(encoding="utf-8")
)
DAY = dt.timedelta(days=1)


def day(text: str) -> dt.date:
    """An ISO date."""
    return dt.date.fromisoformat(text)


@pytest.mark.parametrize(
    ("country", "before", "first"),
    [
        ("Croatia", "2013-06-30", "2013-07-01"),
        ("BG", "2006-12-31", "2007-01-01"),
        ("PL", "2004-04-30", "2004-05-01"),
        ("AT", "1994-12-31", "1995-01-01"),
    ],
)
def test_accession_boundaries(country: str, before: str, first: str) -> None:
    """A country becomes a member on its accession day, not the day before."""
    assert not is_eu_member(country, day(before))
    assert is_eu_member(country, day(first))


def test_the_united_kingdom_left_on_31_january_2020() -> None:
    """The UK was a member on 31 January 2020 and not on 1 February, in either code."""
    for code in ("UK", "GB", "United Kingdom"):
        assert is_eu_member(code, day("2020-01-31"))
        assert not is_eu_member(code, day("2020-02-01"))
    assert is_third_country("UK", day("2019-06-01")) is False
    assert is_third_country("UK", day("2021-06-01")) is True


@pytest.mark.parametrize("entry", DATA["eu_membership"], ids=lambda e: e["country"])
def test_every_membership_span(entry: dict[str, str]) -> None:
    """Each member joins on its 'from' day and (if it left) leaves after its 'until' day."""
    start = day(entry["from"])
    assert is_eu_member(entry["country"], start)
    assert not is_eu_member(entry["country"], start - DAY)
    if entry.get("until"):
        assert is_eu_member(entry["country"], day(entry["until"]))
        assert not is_eu_member(entry["country"], day(entry["until"]) + DAY)
    assert entry["sources"]


@pytest.mark.parametrize(
    ("programme", "entry"),
    [
        (name, entry)
        for name, data in DATA["programmes"].items()
        for entry in data["participants"]
    ],
    ids=lambda value: value["country"] if isinstance(value, dict) else value,
)
def test_every_programme_accession(programme: str, entry: dict[str, str]) -> None:
    """Each non-EU participant takes part from its day, not the day before, with a source."""
    start = day(entry["from"])
    was_member = is_eu_member(entry["country"], start - DAY)
    assert is_programme_participant(entry["country"], programme, start)
    assert (
        is_programme_participant(entry["country"], programme, start - DAY) is was_member
    )
    if entry.get("until"):
        end = day(entry["until"])
        assert is_programme_participant(entry["country"], programme, end)
        assert not is_programme_participant(entry["country"], programme, end + DAY)
    assert entry["sources"]


def test_cosme_participants() -> None:
    """The COSME participants of DESIGN.md §5 are participants by 2018."""
    on = day("2018-06-01")
    for code in (
        "IS",
        "ME",
        "MK",
        "MD",
        "TR",
        "AL",
        "RS",
        "AM",
        "UA",
        "BA",
        "XK",
        "DE",
        "EL",
    ):
        assert is_programme_participant(code, "COSME", on), code
    for code in ("NO", "CH", "US", "CN", "GE", "IL"):
        assert not is_programme_participant(code, "COSME", on), code


def test_unknown_programme_and_rule() -> None:
    """Programme and rule names are checked."""
    with pytest.raises(ValueError, match="unknown programme"):
        is_programme_participant("DE", "Horizon", day("2018-01-01"))
    with pytest.raises(ValueError, match="rule must be"):
        is_third_country("US", day("2018-01-01"), rule="anywhere")


@pytest.mark.parametrize(
    ("country", "on", "non_programme", "beyond_europe"),
    [
        ("US", "2018-01-01", True, True),
        ("China", "2018-01-01", True, True),
        ("Switzerland", "2018-01-01", True, False),
        ("Norway", "2018-01-01", True, False),
        ("Türkiye", "2018-01-01", False, False),
        ("Germany", "2018-01-01", False, False),
        ("Kosovo", "2017-12-18", True, False),
    ],
)
def test_third_country_rules(
    country: str, on: str, non_programme: bool, beyond_europe: bool
) -> None:
    """`beyond-europe` is `non-programme` minus every European country."""
    assert is_third_country(country, day(on)) is non_programme
    assert is_third_country(country, day(on), rule="beyond-europe") is beyond_europe
    assert (
        is_third_country(country, day(on), "COSME", ck.ThirdCountryRule.BEYOND_EUROPE)
        is beyond_europe
    )


def test_europe() -> None:
    """The European countries include the EU, EFTA and the Western Balkans, not the USA."""
    for code in ("DE", "GR", "NO", "CH", "IS", "RS", "XK", "UA"):
        assert is_european(code), code
    for code in ("US", "CN", "JP", "IL", "ZA", "BR"):
        assert not is_european(code), code


def test_protocol_order() -> None:
    """EU members in protocol order first, the UK and the rest after, others alphabetical."""
    codes = ["SE", "US", "AT", "EL", "BE", "DE", "Norway", "CN", "FR", "UK"]
    ordered = sorted(codes, key=protocol_order)
    assert ordered[:7] == ["BE", "DE", "EL", "FR", "AT", "SE", "UK"]
    assert ordered[-2:] == ["CN", "US"]
    assert protocol_order("DE") < protocol_order("Greece") < protocol_order("Spain")


def test_classifications_accept_country_values() -> None:
    """Every classification accepts a Country or any spelling normalise_country accepts."""
    greece = ck.normalise_country("Greece")
    assert (
        is_eu_member(greece, day("2016-01-01"))
        is is_eu_member("EL", day("2016-01-01"))
        is True
    )
    with pytest.raises(ck.CountryError):
        is_eu_member("Atlantis", day("2016-01-01"))
