"""Private: the catalogue of KPIs (DESIGN.md §7), each declared once, in order.

Every KPI is one `KPI` value below, declared by its measure: the function's name
is the KPI's id (also its name in `clusterkit.kpis`), the declaration gives its
label and unit, and `data/kpis/<id>.md` its definition, formula and the worked
example the docs page shows for it (`docs/reference/kpis.md` is generated from
both, and its examples run as tests). The engine computes the KPIs in
`CATALOGUE` order, so a ratio comes after the counts it divides. Adding a KPI
is one measure here and one text file, whose example is its test.
"""

from __future__ import annotations

import importlib.resources
import re
from collections.abc import Callable, Mapping
from typing import Any, Literal, TypeVar

from clusterkit.countries import protocol_order
from clusterkit.kpis._kpi import (
    KPI,
    ByTypeKPI,
    CountKPI,
    Measure,
    Measures,
    RankingKPI,
    RatioKPI,
)
from clusterkit.kpis._market import KPIValue, TargetMarket
from clusterkit.models import ActivityType

__all__ = [
    "activities",
    "activities_by_type",
    "b2b_meetings",
    "b2b_meetings_per_sme_involved",
    "c2c_meetings",
    "cluster_organisations",
    "collaboration_projects",
    "member_countries",
    "mous_signed",
    "partnerships",
    "partnerships_co_funded",
    "partnerships_voluntary",
    "smes_involved",
    "smes_involved_share_of_reached",
    "smes_reached",
    "target_markets",
]


Values = Mapping[str, KPIValue]
"""The values of the KPIs before one, by id (a ratio divides two of them)."""

K = TypeVar("K", bound=KPI[Any])

_TEXTS = importlib.resources.files("clusterkit.data").joinpath("kpis")
_SECTION = re.compile(r"^## (Definition|Formula|Example)\n\n", re.MULTILINE)


def _text(kpi_id: str) -> dict[str, str]:
    """The definition, formula and worked example of a KPI, from `data/kpis/<id>.md`."""
    text = _TEXTS.joinpath(f"{kpi_id}.md").read_text(encoding="utf-8")
    _, *parts = _SECTION.split(text)
    sections = dict(zip(parts[::2], parts[1::2], strict=True))
    return {
        "definition": sections["Definition"].rstrip("\n"),
        "formula": sections["Formula"].rstrip("\n"),
        "example": sections["Example"].rstrip("\n") + "\n",
    }


def _kpi(
    kind: type[K], label: str, unit: str, *, note: str = ""
) -> Callable[[Measure[Any]], K]:
    """Declare the KPI that a measure computes: its id is the measure's name."""

    def declare(measure: Measure[Any]) -> K:
        kpi_id = measure.__name__
        return kind(
            id=kpi_id,
            label=label,
            unit=unit,
            measure=measure,
            note=note,
            **_text(kpi_id),
        )

    return declare


def _sum_of(counter: str, label: str, unit: str) -> CountKPI:
    """The KPI that adds up one counter of the activities in scope (their cell's total)."""

    def measure(m: Measures, _: Values) -> int:
        total: int = getattr(m.cell, counter)
        return total

    measure.__name__ = counter
    return _kpi(CountKPI, label, unit)(measure)


_UNDEFINED = "; raises `KPIError` when undefined."


def _quotient(
    values: Values, numerator: KPI[int], denominator: KPI[int]
) -> float | None:
    """A ratio of two counts; `None` (undefined) when the denominator is 0."""
    top, bottom = values[numerator.id], values[denominator.id]
    assert isinstance(top, int)  # noqa: S101 - counts come first
    assert isinstance(bottom, int)  # noqa: S101 - counts come first
    return None if bottom == 0 else top / bottom


@_kpi(CountKPI, "Partnerships", "partnerships")
def partnerships(m: Measures, _: Values) -> int:
    return len(m.partnerships)


@_kpi(CountKPI, "Co-funded partnerships", "partnerships")
def partnerships_co_funded(m: Measures, _: Values) -> int:
    return sum(p.funding == "co_funded" for p in m.partnerships)


@_kpi(CountKPI, "Voluntary partnerships", "partnerships")
def partnerships_voluntary(m: Measures, _: Values) -> int:
    return sum(p.funding == "voluntary" for p in m.partnerships)


@_kpi(CountKPI, "Cluster organisations", "cluster organisations")
def cluster_organisations(m: Measures, _: Values) -> int:
    return len(m.members)


@_kpi(CountKPI, "Member countries", "countries")
def member_countries(m: Measures, _: Values) -> int:
    return len({m.facts.clusters[c] for c in m.members} - {None})


@_kpi(CountKPI, "SMEs reached", "SMEs")
def smes_reached(m: Measures, _: Values) -> int:
    return sum(p.smes_reached or 0 for p in m.partnerships)


@_kpi(CountKPI, "SMEs involved", "SMEs")
def smes_involved(m: Measures, _: Values) -> int:
    return len(m.smes) + m.cell.anonymous_smes


activities = _sum_of("activities", "Activities", "activities")
c2c_meetings = _sum_of("c2c_meetings", "C2C meetings", "meetings")
b2b_meetings = _sum_of("b2b_meetings", "B2B meetings", "meetings")
mous_signed = _sum_of("mous_signed", "MoUs signed", "MoUs")
collaboration_projects = _sum_of(
    "collaboration_projects", "Collaboration projects", "projects"
)


@_kpi(
    RatioKPI, "B2B meetings per SME involved", "B2B meetings per SME", note=_UNDEFINED
)
def b2b_meetings_per_sme_involved(_: Measures, values: Values) -> float | None:
    return _quotient(values, b2b_meetings, smes_involved)


@_kpi(
    RatioKPI, "SMEs involved / SMEs reached", "share of SMEs reached", note=_UNDEFINED
)
def smes_involved_share_of_reached(_: Measures, values: Values) -> float | None:
    return _quotient(values, smes_involved, smes_reached)


@_kpi(
    ByTypeKPI,
    "Activities by type",
    "activities per type",
    note="; also `result.activities_by_type`.",
)
def activities_by_type(m: Measures, _: Values) -> dict[str, int]:
    """Every activity type, in vocabulary order, with its count (zeros included)."""
    return {kind.value: m.cell.by_type.get(kind.value, 0) for kind in ActivityType}


@_kpi(
    RankingKPI,
    "Target markets",
    "partnerships per market",
    note="; also `result.target_markets`.",
)
def target_markets(m: Measures, _: Values) -> tuple[TargetMarket, ...]:
    """Markets by partnerships declaring them, then protocol order."""
    declared: dict[str, int] = {}
    for partnership in m.partnerships:
        for country in partnership.targets:
            declared[country] = declared.get(country, 0) + 1
    markets = m.cell.markets
    return tuple(
        TargetMarket(
            country=country,
            partnerships=declared.get(country, 0),
            activities=markets.get(country, 0),
        )
        for country in sorted(
            set(declared) | set(markets),
            key=lambda c: (-declared.get(c, 0), protocol_order(c)),
        )
    )


CATALOGUE: tuple[KPI[Any], ...] = (
    partnerships,
    partnerships_co_funded,
    partnerships_voluntary,
    cluster_organisations,
    member_countries,
    smes_reached,
    activities,
    smes_involved,
    c2c_meetings,
    b2b_meetings,
    mous_signed,
    collaboration_projects,
    b2b_meetings_per_sme_involved,
    smes_involved_share_of_reached,
    activities_by_type,
    target_markets,
)
"""Every KPI, in catalogue order."""

# What `result["id"]` returns, for type checkers: a Literal cannot be built from
# CATALOGUE, so the ids are written again here, and a test checks they agree.
CountKPIId = Literal[
    "partnerships",
    "partnerships_co_funded",
    "partnerships_voluntary",
    "cluster_organisations",
    "member_countries",
    "smes_reached",
    "activities",
    "smes_involved",
    "c2c_meetings",
    "b2b_meetings",
    "mous_signed",
    "collaboration_projects",
]
"""The ids of the count KPIs, whose values are `int`."""

RatioKPIId = Literal["b2b_meetings_per_sme_involved", "smes_involved_share_of_reached"]
"""The ids of the ratio KPIs, whose values are `float`, or `None` when undefined."""
