"""Private: one function per KPI, named after its id (`clusterkit.kpis.<kpi id>`).

Each computes the KPIs of its scope with `compute_kpis` and returns its own;
to read several KPIs of one scope, call `compute_kpis` once instead.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clusterkit.errors import KPIError
from clusterkit.kpis._compute import compute_kpis
from clusterkit.kpis._result import TargetMarket

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


def _count(kpi: str, source: Any, scope: Mapping[str, Any]) -> int:
    value = compute_kpis(source, **scope)[kpi]
    assert isinstance(value, int)  # noqa: S101 - counts are always defined
    return value


def _ratio(kpi: str, source: Any, scope: Mapping[str, Any]) -> float:
    value = compute_kpis(source, **scope)[kpi]
    if value is None:
        msg = f"{kpi} is undefined for this scope: its denominator is 0"
        raise KPIError(msg, kpi=kpi)
    assert isinstance(value, float)  # noqa: S101 - a ratio is a float when defined
    return value


def partnerships(source: Any, /, **scope: Any) -> int:
    """Partnerships: number of partnerships in scope.

    `source` and `scope` are those of `compute_kpis` (filters, `validate`, …).

    Added in version 0.1.0.
    """
    return _count("partnerships", source, scope)


def partnerships_co_funded(source: Any, /, **scope: Any) -> int:
    """Co-funded partnerships: partnerships in scope whose funding is co_funded.

    `source` and `scope` are those of `compute_kpis` (filters, `validate`, …).

    Added in version 0.1.0.
    """
    return _count("partnerships_co_funded", source, scope)


def partnerships_voluntary(source: Any, /, **scope: Any) -> int:
    """Voluntary partnerships: partnerships in scope whose funding is voluntary.

    `source` and `scope` are those of `compute_kpis` (filters, `validate`, …).

    Added in version 0.1.0.
    """
    return _count("partnerships_voluntary", source, scope)


def cluster_organisations(source: Any, /, **scope: Any) -> int:
    """Cluster organisations: distinct member clusters of the partnerships in scope (the coordinator is a member), counting clusters whose record exists and passes validation.

    `source` and `scope` are those of `compute_kpis` (filters, `validate`, …).

    Added in version 0.1.0.
    """
    return _count("cluster_organisations", source, scope)


def member_countries(source: Any, /, **scope: Any) -> int:
    """Member countries: distinct countries of those cluster organisations.

    `source` and `scope` are those of `compute_kpis` (filters, `validate`, …).

    Added in version 0.1.0.
    """
    return _count("member_countries", source, scope)


def smes_reached(source: Any, /, **scope: Any) -> int:
    """SMEs reached: sum of smes_reached of the partnerships in scope (not given counts 0).

    `source` and `scope` are those of `compute_kpis` (filters, `validate`, …).

    Added in version 0.1.0.
    """
    return _count("smes_reached", source, scope)


def activities(source: Any, /, **scope: Any) -> int:
    """Activities: number of activities in scope.

    `source` and `scope` are those of `compute_kpis` (filters, `validate`, …).

    Added in version 0.1.0.
    """
    return _count("activities", source, scope)


def smes_involved(source: Any, /, **scope: Any) -> int:
    """SMEs involved: over the activities in scope that target a third market (target_country is a third country on the activity's start): the number of distinct SME ids listed on them, plus smes_involved of those that list no SME id. Distinct across the whole scope: an SME on five missions counts once.

    `source` and `scope` are those of `compute_kpis` (filters, `validate`, …).

    Added in version 0.1.0.
    """
    return _count("smes_involved", source, scope)


def c2c_meetings(source: Any, /, **scope: Any) -> int:
    """C2C meetings: sum of c2c_meetings over the activities in scope; a c2c_meeting that gives no count counts 1.

    `source` and `scope` are those of `compute_kpis` (filters, `validate`, …).

    Added in version 0.1.0.
    """
    return _count("c2c_meetings", source, scope)


def b2b_meetings(source: Any, /, **scope: Any) -> int:
    """B2B meetings: sum of b2b_meetings over the activities in scope.

    `source` and `scope` are those of `compute_kpis` (filters, `validate`, …).

    Added in version 0.1.0.
    """
    return _count("b2b_meetings", source, scope)


def mous_signed(source: Any, /, **scope: Any) -> int:
    """MoUs signed: sum of mous_signed over the activities in scope; a mou_signature that gives no count counts 1.

    `source` and `scope` are those of `compute_kpis` (filters, `validate`, …).

    Added in version 0.1.0.
    """
    return _count("mous_signed", source, scope)


def collaboration_projects(source: Any, /, **scope: Any) -> int:
    """Collaboration projects: sum of collaboration_projects over the activities in scope; a collaboration_project that gives no count counts 1.

    `source` and `scope` are those of `compute_kpis` (filters, `validate`, …).

    Added in version 0.1.0.
    """
    return _count("collaboration_projects", source, scope)


def b2b_meetings_per_sme_involved(source: Any, /, **scope: Any) -> float:
    """B2B meetings per SME involved: b2b_meetings / smes_involved; undefined (null) when smes_involved is 0.

    `source` and `scope` are those of `compute_kpis` (filters, `validate`, …).

    Added in version 0.1.0.

    Raises:
        KPIError: The ratio is undefined: its denominator is 0.
    """
    return _ratio("b2b_meetings_per_sme_involved", source, scope)


def smes_involved_share_of_reached(source: Any, /, **scope: Any) -> float:
    """SMEs involved / SMEs reached: smes_involved / smes_reached; undefined (null) when smes_reached is 0.

    `source` and `scope` are those of `compute_kpis` (filters, `validate`, …).

    Added in version 0.1.0.

    Raises:
        KPIError: The ratio is undefined: its denominator is 0.
    """
    return _ratio("smes_involved_share_of_reached", source, scope)


def activities_by_type(source: Any, /, **scope: Any) -> Mapping[str, int]:
    """Activities by type: the number of activities in scope of each type (all listed).

    `source` and `scope` are those of `compute_kpis`.

    Added in version 0.1.0.
    """
    return compute_kpis(source, **scope).activities_by_type


def target_markets(source: Any, /, **scope: Any) -> tuple[TargetMarket, ...]:
    """Target markets: third countries ranked by the partnerships in scope that declare them.

    Each comes with the number of third-market activities in scope that target
    it; ties are in EU protocol order. `source` and `scope` are those of
    `compute_kpis`.

    Added in version 0.1.0.
    """
    return compute_kpis(source, **scope).target_markets
