"""Private: the catalogue of KPIs — id, title, definition — that the docs and output share."""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = ["CATALOGUE", "SCALAR_KPIS", "KPIDefinition", "definitions"]


@attrs.frozen
class KPIDefinition:
    """One KPI: its id (also the name of its function in `clusterkit.kpis`) and meaning.

    Added in version 0.1.0.

    Attributes:
        id: The KPI id; renaming one is a breaking change.
        title: A short title, for tables.
        definition: What is counted, over the records in scope (DESIGN.md §7).
        kind: `count`, `ratio` (undefined when the denominator is 0),
            `by_type` (a count per activity type) or `ranking` (target markets).
        since: The clusterkit version that introduced it.
    """

    id: str
    title: str
    definition: str
    kind: Literal["count", "ratio", "by_type", "ranking"] = "count"
    since: str = "0.1.0"


CATALOGUE: tuple[KPIDefinition, ...] = (
    KPIDefinition(
        "partnerships",
        "Partnerships",
        "Number of partnerships in scope.",
    ),
    KPIDefinition(
        "partnerships_co_funded",
        "Co-funded partnerships",
        "Partnerships in scope whose funding is co_funded.",
    ),
    KPIDefinition(
        "partnerships_voluntary",
        "Voluntary partnerships",
        "Partnerships in scope whose funding is voluntary.",
    ),
    KPIDefinition(
        "cluster_organisations",
        "Cluster organisations",
        "Distinct member clusters of the partnerships in scope (the coordinator "
        "is a member), counting clusters whose record exists and passes validation.",
    ),
    KPIDefinition(
        "member_countries",
        "Member countries",
        "Distinct countries of those cluster organisations.",
    ),
    KPIDefinition(
        "smes_reached",
        "SMEs reached",
        "Sum of smes_reached of the partnerships in scope (not given counts 0).",
    ),
    KPIDefinition(
        "activities",
        "Activities",
        "Number of activities in scope.",
    ),
    KPIDefinition(
        "smes_involved",
        "SMEs involved",
        "Over the activities in scope that target a third market (target_country "
        "is a third country on the activity's start): the number of distinct SME "
        "ids listed on them, plus smes_involved of those that list no SME id. "
        "Distinct across the whole scope: an SME on five missions counts once.",
    ),
    KPIDefinition(
        "c2c_meetings",
        "C2C meetings",
        "Sum of c2c_meetings over the activities in scope; a c2c_meeting that "
        "gives no count counts 1.",
    ),
    KPIDefinition(
        "b2b_meetings",
        "B2B meetings",
        "Sum of b2b_meetings over the activities in scope.",
    ),
    KPIDefinition(
        "mous_signed",
        "MoUs signed",
        "Sum of mous_signed over the activities in scope; a mou_signature that "
        "gives no count counts 1.",
    ),
    KPIDefinition(
        "collaboration_projects",
        "Collaboration projects",
        "Sum of collaboration_projects over the activities in scope; a "
        "collaboration_project that gives no count counts 1.",
    ),
    KPIDefinition(
        "b2b_meetings_per_sme_involved",
        "B2B meetings per SME involved",
        "b2b_meetings / smes_involved; undefined (null) when smes_involved is 0.",
        kind="ratio",
    ),
    KPIDefinition(
        "smes_involved_share_of_reached",
        "SMEs involved / SMEs reached",
        "smes_involved / smes_reached; undefined (null) when smes_reached is 0.",
        kind="ratio",
    ),
    KPIDefinition(
        "activities_by_type",
        "Activities by type",
        "Number of activities in scope of each activity type.",
        kind="by_type",
    ),
    KPIDefinition(
        "target_markets",
        "Target markets",
        "Third countries ranked by the number of distinct partnerships in scope "
        "that declare them as a target, with the number of third-market "
        "activities in scope that target each; ties in EU protocol order.",
        kind="ranking",
    ),
)

SCALAR_KPIS: tuple[str, ...] = tuple(
    entry.id for entry in CATALOGUE if entry.kind in {"count", "ratio"}
)
"""The ids of the KPIs that are one number, in catalogue order (the `kpis` mapping)."""


def definitions() -> tuple[KPIDefinition, ...]:
    """Every KPI, in catalogue order.

    Added in version 0.1.0.

    Examples:
        >>> from clusterkit import kpis
        >>> [d.id for d in kpis.definitions()][:3]
        ['partnerships', 'partnerships_co_funded', 'partnerships_voluntary']
    """
    return CATALOGUE
