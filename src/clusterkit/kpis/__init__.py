"""The programme's KPIs (DESIGN.md §7): one precise definition each, computed in one pass.

`clusterkit.compute_kpis` computes them all, with scope filters and breakdowns;
each KPI is also a function of its own, named after its id::

    import clusterkit as ck

    result = ck.compute_kpis("data/", by="generation")
    ck.kpis.smes_involved("data/", generation="escp-4i-1")

Every KPI is declared once, in the catalogue (`definitions()`), which the engine,
these functions, the output and the docs page all read.

Added in version 0.1.0.
"""

from clusterkit._public import publish
from clusterkit.kpis import _definitions
from clusterkit.kpis._compute import compute_kpis
from clusterkit.kpis._definitions import *  # noqa: F403 - the KPIs, by id: the catalogue is the one place their ids are written
from clusterkit.kpis._docs import reference_markdown
from clusterkit.kpis._kpi import (
    KPI,
    ByTypeKPI,
    CountKPI,
    RankingKPI,
    RatioKPI,
    ScopeArguments,
)
from clusterkit.kpis._market import KPIValue, TargetMarket
from clusterkit.kpis._reconcile import (
    ReconciledFigure,
    ReconciledMarket,
    Reconciliation,
    reconcile,
)
from clusterkit.kpis._result import Group, KPIResult, RecordCount
from clusterkit.kpis._scope import DIMENSIONS, Scope

KPIDefinition = KPI
"""The name of `KPI` in version 0.1.0."""


def definitions() -> tuple[KPI[object], ...]:
    """Every KPI, in catalogue order.

    Added in version 0.1.0.

    Examples:
        >>> from clusterkit import kpis
        >>> [d.id for d in kpis.definitions()][:3]
        ['partnerships', 'partnerships_co_funded', 'partnerships_voluntary']
    """
    return _definitions.CATALOGUE


__all__ = [
    "DIMENSIONS",
    "KPI",
    "ByTypeKPI",
    "CountKPI",
    "Group",
    "KPIDefinition",
    "KPIResult",
    "KPIValue",
    "RankingKPI",
    "RatioKPI",
    "ReconciledFigure",
    "ReconciledMarket",
    "Reconciliation",
    "RecordCount",
    "Scope",
    "ScopeArguments",
    "TargetMarket",
    "compute_kpis",
    "definitions",
    "reconcile",
    "reference_markdown",
]
# The engine's names, then one function per KPI of the catalogue.
__all__ += _definitions.__all__

publish(globals())
