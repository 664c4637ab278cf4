"""Private: the dataset generator's tables, read on first use.

Member countries, third-country markets, themes and activity profiles are CSV
files in `clusterkit/data/generator`, whose README explains their columns and
sources. `load_tables` parses them once per process, when the generator first
needs them, so that importing `clusterkit.testing` reads no file. Rows keep their
file order: the seeded generator draws from them in that order.
"""

from __future__ import annotations

import csv
import functools
import importlib.resources
import io
from typing import NamedTuple

from clusterkit.models import ActivityType, IndustrialEcosystem

__all__ = ["Market", "Member", "Profile", "Tables", "Theme", "load_tables"]

# Counter columns of activity_profiles.csv, in the order they are drawn: pinned
# here rather than taken from the file or the models, so that the output cannot
# change with either's column order.
_COUNTERS = ("b2b_meetings", "c2c_meetings", "mous_signed", "collaboration_projects")
# The eu_member column of members.csv: a lookup, so that a typo raises KeyError.
_NOT_EU = {"yes": False, "no": True}


class Member(NamedTuple):
    """A country clusters come from (members.csv)."""

    code: str
    weight: int
    legal_form: str
    prefixes: tuple[str, ...]
    cities: tuple[tuple[str, str], ...]  # (city, NUTS region)


class Market(NamedTuple):
    """A third-country market (markets.csv), or a target outside it."""

    code: str
    weight: int
    name: str
    cities: tuple[str, ...]


class Theme(NamedTuple):
    """What a cluster works on (themes.csv)."""

    name: str
    ecosystems: tuple[IndustrialEcosystem, ...]
    sectors: tuple[str, ...]
    words: tuple[str, ...]
    nace: str
    stem: str


class Profile(NamedTuple):
    """What an activity of one type looks like (activity_profiles.csv)."""

    weight: int
    days: tuple[int, int]
    in_market: float
    in_europe: float
    no_target: float
    listed: tuple[int, int]
    further: tuple[int, int] | None  # None: smes_involved is not counted
    counters: dict[str, tuple[int, int]]
    title: str


class Tables(NamedTuple):
    """The parsed tables, in file order."""

    members: dict[str, Member]
    markets: dict[str, Market]
    themes: tuple[Theme, ...]
    profiles: dict[ActivityType, Profile]
    # Members that are not EU members: used only in COSME generations, whose
    # participants they were; other programmes' participants are not assumed.
    cosme_only: frozenset[str]


def _read(name: str) -> list[dict[str, str]]:
    folder = importlib.resources.files("clusterkit").joinpath("data")
    text = folder.joinpath("generator").joinpath(name).read_text(encoding="utf-8")
    return list(csv.DictReader(io.StringIO(text)))


def _items(cell: str) -> tuple[str, ...]:
    return tuple(item for item in cell.split(";") if item)


def _span(cell: str) -> tuple[int, int]:
    low, high = cell.split("-")
    return int(low), int(high)


def _member(row: dict[str, str]) -> Member:
    places = tuple(city.rpartition(":")[::2] for city in _items(row["cities"]))
    prefixes = _items(row["name_prefixes"])
    return Member(row["code"], int(row["weight"]), row["legal_form"], prefixes, places)


def _market(row: dict[str, str]) -> Market:
    return Market(row["code"], int(row["weight"]), row["name"], _items(row["cities"]))


def _theme(row: dict[str, str]) -> Theme:
    return Theme(
        row["name"],
        tuple(map(IndustrialEcosystem, _items(row["ecosystems"]))),
        _items(row["sectors"]),
        _items(row["sme_words"]),
        row["nace"],
        row["acronym_stem"],
    )


def _profile(row: dict[str, str]) -> Profile:
    further = row["smes_further"]
    return Profile(
        int(row["weight"]),
        _span(row["days"]),
        float(row["in_market"]),
        float(row["in_europe"]),
        float(row["no_target"]),
        _span(row["smes_listed"]),
        _span(further) if further else None,
        {name: _span(row[name]) for name in _COUNTERS if row[name]},
        row["title"],
    )


@functools.cache
def load_tables() -> Tables:
    """Read and parse the generator's tables; cached, so read once per process.

    Returns:
        The tables, each in file order.
    """
    members = _read("members.csv")
    return Tables(
        members={row["code"]: _member(row) for row in members},
        markets={row["code"]: _market(row) for row in _read("markets.csv")},
        themes=tuple(map(_theme, _read("themes.csv"))),
        profiles={
            ActivityType(row["type"]): _profile(row)
            for row in _read("activity_profiles.csv")
        },
        cosme_only=frozenset(
            row["code"] for row in members if _NOT_EU[row["eu_member"]]
        ),
    )
