"""The programme's KPIs (DESIGN.md §7): one precise definition each, computed in one pass.

`clusterkit.compute_kpis` computes them all, with scope filters and breakdowns;
each KPI also has a function of its own, named after its id::

    import clusterkit as ck

    result = ck.compute_kpis("data/", by="generation")
    ck.kpis.smes_involved("data/", generation="escp-4i-1")

Added in version 0.1.0.
"""

from clusterkit.kpis._catalogue import KPIDefinition, definitions
from clusterkit.kpis._compute import compute_kpis
from clusterkit.kpis._functions import (
    activities,
    activities_by_type,
    b2b_meetings,
    b2b_meetings_per_sme_involved,
    c2c_meetings,
    cluster_organisations,
    collaboration_projects,
    member_countries,
    mous_signed,
    partnerships,
    partnerships_co_funded,
    partnerships_voluntary,
    smes_involved,
    smes_involved_share_of_reached,
    smes_reached,
    target_markets,
)
from clusterkit.kpis._reconcile import (
    ReconciledFigure,
    ReconciledMarket,
    Reconciliation,
    reconcile,
)
from clusterkit.kpis._result import Group, KPIResult, RecordCount, TargetMarket
from clusterkit.kpis._scope import DIMENSIONS, Scope

__all__ = [
    "DIMENSIONS",
    "Group",
    "KPIDefinition",
    "KPIResult",
    "ReconciledFigure",
    "ReconciledMarket",
    "Reconciliation",
    "RecordCount",
    "Scope",
    "TargetMarket",
    "activities",
    "activities_by_type",
    "b2b_meetings",
    "b2b_meetings_per_sme_involved",
    "c2c_meetings",
    "cluster_organisations",
    "collaboration_projects",
    "compute_kpis",
    "definitions",
    "member_countries",
    "mous_signed",
    "partnerships",
    "partnerships_co_funded",
    "partnerships_voluntary",
    "reconcile",
    "smes_involved",
    "smes_involved_share_of_reached",
    "smes_reached",
    "target_markets",
]
