"""Private: dated classifications of countries (EU, programmes, third countries).

Every date comes from `clusterkit/data/countries.json`, which gives a source for
each; `clusterkit.reference.version()` names the version.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Mapping
from typing import Literal

import attrs

from clusterkit._reference_data import read_data_file
from clusterkit.countries._country import Country
from clusterkit.countries._normalise import normalise_country

__all__ = [
    "PROGRAMMES",
    "ThirdCountryRuleName",
    "classification_changes",
    "is_eu_member",
    "is_european",
    "is_programme_participant",
    "is_third_country",
    "protocol_order",
]

ThirdCountryRuleName = Literal["non-programme", "beyond-europe"]


@attrs.frozen
class _Span:
    start: dt.date
    end: dt.date | None

    def covers(self, day: dt.date) -> bool:
        return self.start <= day and (self.end is None or day <= self.end)


def _spans(entries: list[dict[str, str]]) -> Mapping[str, tuple[_Span, ...]]:
    spans: dict[str, list[_Span]] = {}
    for entry in entries:
        until = entry.get("until")
        spans.setdefault(entry["country"], []).append(
            _Span(
                dt.date.fromisoformat(entry["from"]),
                None if until is None else dt.date.fromisoformat(until),
            )
        )
    return {country: tuple(found) for country, found in spans.items()}


@functools.cache
def _eu() -> Mapping[str, tuple[_Span, ...]]:
    return _spans(read_data_file("countries.json")["eu_membership"])


@attrs.frozen
class _Programme:
    """A programme's own span, and who takes part in it within that span."""

    span: _Span
    eu_members_participate: bool
    participants: Mapping[str, tuple[_Span, ...]]


@functools.cache
def _programmes() -> Mapping[str, _Programme]:
    programmes = read_data_file("countries.json")["programmes"]
    return {
        name: _Programme(
            _Span(
                dt.date.fromisoformat(data["from"]),
                None if data["until"] is None else dt.date.fromisoformat(data["until"]),
            ),
            bool(data["eu_members_participate"]),
            _spans(data["participants"]),
        )
        for name, data in programmes.items()
    }


@functools.cache
def _europe() -> frozenset[str]:
    return frozenset(read_data_file("countries.json")["europe"]["countries"])


@functools.cache
def _protocol_positions() -> Mapping[str, int]:
    order = read_data_file("countries.json")["protocol_order"]["order"]
    return {code: position for position, code in enumerate(order)}


PROGRAMMES = ("COSME", "SMP")
"""The programmes whose participants clusterkit knows, by id."""


def _covered(
    spans: Mapping[str, tuple[_Span, ...]], country: Country, on: dt.date
) -> bool:
    day = _day(on)
    return any(span.covers(day) for span in spans.get(country.alpha2, ()))


def _day(on: object) -> dt.date:
    """The day `on` names: a date, or a datetime's day.

    Raises:
        TypeError: `on` is neither.
    """
    if isinstance(on, dt.datetime):
        return on.date()
    if not isinstance(on, dt.date):
        msg = f"on must be a datetime.date, not {type(on).__name__}"
        raise TypeError(msg)
    return on


def is_eu_member(country: Country | str, on: dt.date) -> bool:
    """Whether a country was a member of the European Union on a day.

    Added in version 0.1.0.

    Args:
        country: A `Country` or anything `normalise_country` accepts.
        on: The day.

    Raises:
        CountryError: `country` is not one country.
        TypeError: `on` is not a date (a datetime stands for its day).

    Examples:
        >>> from datetime import date
        >>> is_eu_member("UK", date(2020, 1, 31)), is_eu_member("UK", date(2020, 2, 1))
        (True, False)
        >>> is_eu_member("Croatia", date(2013, 7, 1))
        True
    """
    return _covered(_eu(), normalise_country(country), on)


def is_programme_participant(
    country: Country | str, programme: str, on: dt.date
) -> bool:
    """Whether a country took part in a funding programme on a day.

    EU members take part while they are members; other countries from the day
    their association agreement took effect; no country before the programme
    began (1 January 2014 for COSME, 1 January 2021 for the SMP).

    Added in version 0.1.0.

    Args:
        country: A `Country` or anything `normalise_country` accepts.
        programme: `"COSME"` or `"SMP"` (the Single Market Programme).
        on: The day.

    Raises:
        CountryError: `country` is not one country.
        TypeError: `on` is not a date (a datetime stands for its day).
        ValueError: `programme` is not a known programme.

    Examples:
        >>> from datetime import date
        >>> is_programme_participant("Montenegro", "COSME", date(2014, 10, 28))
        False
        >>> is_programme_participant("Montenegro", "COSME", date(2014, 10, 29))
        True
    """
    programmes = _programmes()
    if programme not in programmes:
        msg = f"unknown programme {programme!r}; known programmes are {', '.join(programmes)}"
        raise ValueError(msg)
    found = normalise_country(country)
    chosen = programmes[programme]
    # Before the programme began (or after it ended) no one took part in it.
    if not chosen.span.covers(_day(on)):
        return False
    if chosen.eu_members_participate and _covered(_eu(), found, on):
        return True
    return _covered(chosen.participants, found, on)


def classification_changes(country: Country | str) -> tuple[dt.date, ...]:
    """The days on which a country's EU membership or programme participation changed.

    Between two of these days every dated classification of the country (EU
    member, programme participant, third country) stays the same; a country
    without any (the United States) is classified the same on every day.

    Added in version 0.1.0.

    Raises:
        CountryError: `country` is not one country.

    Examples:
        >>> [day.isoformat() for day in classification_changes("United Kingdom")]
        ['1973-01-01', '2014-01-01', '2020-02-01', '2021-01-01']
        >>> classification_changes("Japan")
        ()
    """
    return _changes(normalise_country(country).alpha2)


@functools.lru_cache(maxsize=512)
def _changes(code: str) -> tuple[dt.date, ...]:
    days: set[dt.date] = set()
    for programme in _programmes().values():
        members = _eu().get(code, ()) if programme.eu_members_participate else ()
        spans = [*programme.participants.get(code, ()), *members]
        # A country that takes part in a programme starts (and stops) with it.
        if spans:
            spans.append(programme.span)
        for span in spans:
            days.add(span.start)
            if span.end is not None:
                days.add(span.end + dt.timedelta(days=1))
    for span in _eu().get(code, ()):
        days.add(span.start)
        if span.end is not None:
            days.add(span.end + dt.timedelta(days=1))
    return tuple(sorted(days))


def is_european(country: Country | str) -> bool:
    """Whether a country counts as European for the `beyond-europe` rule.

    The list and its definition are in the reference data (`countries.json`).

    Added in version 0.1.0.

    Raises:
        CountryError: `country` is not one country.
    """
    return normalise_country(country).alpha2 in _europe()


def is_third_country(
    country: Country | str,
    on: dt.date,
    programme: str = "COSME",
    rule: ThirdCountryRuleName | str = "non-programme",
) -> bool:
    """Whether a country is a third country for a programme on a day.

    Under `non-programme`, a third country is neither an EU member nor a
    participant of the programme on that day. `beyond-europe` additionally
    excludes every European country (`is_european`).

    Added in version 0.1.0.

    Args:
        country: A `Country` or anything `normalise_country` accepts.
        on: The day.
        programme: The programme, `"COSME"` or `"SMP"`.
        rule: `"non-programme"` or `"beyond-europe"`.

    Raises:
        CountryError: `country` is not one country.
        TypeError: `on` is not a date (a datetime stands for its day).
        ValueError: `programme` or `rule` is unknown.

    Examples:
        >>> from datetime import date
        >>> is_third_country("United Kingdom", date(2019, 6, 1))
        False
        >>> is_third_country("United Kingdom", date(2021, 6, 1))
        True
        >>> is_third_country("Switzerland", date(2019, 6, 1), rule="beyond-europe")
        False
    """
    if rule not in ("non-programme", "beyond-europe"):
        msg = f"rule must be 'non-programme' or 'beyond-europe', not {rule!r}"
        raise ValueError(msg)
    found = normalise_country(country)
    # An EU member is never a third country, before its programme began too.
    if is_programme_participant(found, programme, on) or is_eu_member(found, on):
        return False
    return rule == "non-programme" or not is_european(found)


def protocol_order(country: Country | str) -> tuple[int, str]:
    """A sort key that lists countries in the EU protocol order.

    EU members come first in the order of their names in their own languages, then
    the EFTA, candidate and potential candidate countries; every other country
    follows, alphabetically by English name.

    Added in version 0.1.0.

    Raises:
        CountryError: `country` is not one country.

    Examples:
        >>> sorted(["FR", "DE", "EL", "US", "AT"], key=protocol_order)
        ['DE', 'EL', 'FR', 'AT', 'US']
    """
    found = normalise_country(country)
    positions = _protocol_positions()
    position = positions.get(found.eu_code, len(positions))
    return (position, "" if position < len(positions) else found.name)
