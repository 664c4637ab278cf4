"""Private: `reconcile`, computed KPIs side by side with the figures the Commission published."""

from __future__ import annotations

from typing import Any, Literal

import attrs

from clusterkit import reference
from clusterkit.kpis import _tables
from clusterkit.kpis._result import KPIResult
from clusterkit.reference import ReportedFigures

__all__ = ["ReconciledFigure", "ReconciledMarket", "Reconciliation", "reconcile"]

ABOUT = 0.10
"""How far a computed value may be from an "about" figure and still agree (10 %)."""


@attrs.frozen
class _Fields:
    """A value whose JSON form is its fields, as they are."""

    def to_dict(self) -> dict[str, Any]:
        """The fields as JSON-ready values."""
        return attrs.asdict(self)


@attrs.frozen
class ReconciledFigure(_Fields):
    """One published figure beside the computed KPI.

    Added in version 0.1.0.

    Attributes:
        kpi: The KPI id.
        computed: The computed value (`None`: undefined).
        reported: The published number.
        qualifier: How it was published: `exact`, `more_than` (">2,700") or
            `about` ("about 100").
        difference: `computed - reported` (`None` when undefined).
        consistent: Whether the computed value agrees with the publication:
            equal for `exact`, greater for `more_than`, within 10 % for `about`.
        quote: The published wording.
        measured: Whether the data holds what the figure counts: `False` for
            a figure of activities (meetings, MoUs, SMEs involved) when the
            data has no activity, and for `smes_reached` when no partnership
            in scope gives it: a computed 0 that says nothing of the
            publication (a register of partnerships only). Added in version
            0.2.0.
    """

    kpi: str
    computed: int | float | None
    reported: int
    qualifier: Literal["exact", "more_than", "about"]
    difference: int | float | None
    consistent: bool
    quote: str
    measured: bool = True

    def to_dict(self) -> dict[str, Any]:
        """The fields, and the `verdict` the tables show, as JSON-ready values."""
        return {**attrs.asdict(self), "verdict": self.verdict}

    @property
    def verdict(self) -> str:
        """Whether it agrees, as the tables say it: `yes`, `no`, `no activities` or `not given`."""
        if not self.measured:
            return "no activities" if self.kpi in _FROM_ACTIVITIES else "not given"
        return "yes" if self.consistent else "no"


@attrs.frozen
class ReconciledMarket(_Fields):
    """A published target-market count beside the computed one.

    Added in version 0.1.0.

    Attributes:
        country: ISO alpha-2 code.
        computed: Partnerships in scope declaring the market.
        reported: Partnerships the publication counted.
        difference: `computed - reported`.
    """

    country: str
    computed: int
    reported: int
    difference: int


@attrs.frozen
class Reconciliation:
    """Computed KPIs side by side with one publication's figures.

    Added in version 0.1.0.

    Attributes:
        reported: The publication (shipped reference data, with its source).
        figures: One per published figure, in the publication's order.
        markets: One per published target market, in the publication's order.
    """

    reported: ReportedFigures
    figures: tuple[ReconciledFigure, ...]
    markets: tuple[ReconciledMarket, ...]

    @property
    def consistent(self) -> bool:
        """Whether every figure and market agrees with the publication.

        A figure the data cannot measure (`measured` is `False`) does not agree.
        """
        return all(f.consistent for f in self.figures) and all(
            m.difference == 0 for m in self.markets
        )

    def to_dict(self) -> dict[str, Any]:
        """The reconciliation as JSON-ready values."""
        return {
            "reported": {
                "id": self.reported.id,
                "generation": self.reported.generation,
                "title": self.reported.title,
                "source": self.reported.source,
            },
            "figures": [figure.to_dict() for figure in self.figures],
            "markets": [market.to_dict() for market in self.markets],
            "consistent": self.consistent,
        }

    def to_table(self, width: int | None = None) -> str:
        """The reconciliation as aligned text tables (fitted to `width` columns)."""
        return _tables.reconciliation(self, markdown=False, width=width)

    def to_markdown(self) -> str:
        """The reconciliation as Markdown tables, every cell escaped."""
        return _tables.reconciliation(self, markdown=True)


def reconcile(
    computed: KPIResult, reported: ReportedFigures | str | None = None
) -> Reconciliation:
    """Set computed KPIs beside the figures the programme published.

    Added in version 0.1.0.

    Args:
        computed: KPIs computed by `compute_kpis`, usually scoped to the
            publication's generation.
        reported: A publication from `clusterkit.reference.reported_figures()`,
            its id (`"escp-4i-1-achievements"`), or `None` for the one
            publication about the single generation in `computed`'s scope.

    Raises:
        ValueError: No shipped publication has this id, or `reported` is
            `None` and the scope is not exactly one generation with a
            publication.

    Examples:
        >>> import datetime as dt
        >>> import clusterkit as ck
        >>> result = ck.compute_kpis(
        ...     ck.load_example(), generation="escp-4i-1", as_of=dt.date(2026, 1, 1)
        ... )
        >>> row = ck.kpis.reconcile(result).figures[0]
        >>> row.kpi, row.reported, row.computed
        ('partnerships_co_funded', 15, 2)
    """
    publication = _publication(computed, reported)
    activities = computed.records.get("activities")
    no_activities = activities is None or activities.used + activities.excluded == 0
    unmeasured = set(_FROM_ACTIVITIES) if no_activities else set()
    if computed.smes_reached_given == 0:
        unmeasured.add("smes_reached")
    figures = []
    for figure in publication.figures:
        value = computed.kpis.get(figure.kpi)
        difference = None if value is None else value - figure.value
        figures.append(
            ReconciledFigure(
                kpi=figure.kpi,
                computed=value,
                reported=figure.value,
                qualifier=figure.qualifier,
                difference=difference,
                consistent=_agrees(value, figure.value, figure.qualifier),
                quote=figure.quote,
                measured=figure.kpi not in unmeasured,
            )
        )
    declared = {
        market.country: market.partnerships for market in computed.target_markets
    }
    markets = tuple(
        ReconciledMarket(
            country=market.country,
            computed=declared.get(market.country, 0),
            reported=market.partnerships,
            difference=declared.get(market.country, 0) - market.partnerships,
        )
        for market in publication.target_markets
    )
    return Reconciliation(reported=publication, figures=tuple(figures), markets=markets)


# The published figures counted from activities: without any activity in the
# data, their computed 0 is no measure of them.
_FROM_ACTIVITIES = frozenset(
    {
        "activities",
        "smes_involved",
        "c2c_meetings",
        "b2b_meetings",
        "mous_signed",
        "collaboration_projects",
    }
)


def _agrees(value: float | None, reported: int, qualifier: str) -> bool:
    if value is None:
        return False
    if qualifier == "exact":
        return value == reported
    if qualifier == "more_than":
        return value > reported
    return abs(value - reported) <= ABOUT * reported


def _publication(
    computed: KPIResult, reported: ReportedFigures | str | None
) -> ReportedFigures:
    if isinstance(reported, ReportedFigures):
        return reported
    publications = reference.reported_figures()
    if isinstance(reported, str):
        for publication in publications:
            if publication.id == reported:
                return publication
        known = ", ".join(p.id for p in publications)
        msg = f"no published figures with id {reported!r}; known: {known}"
        raise ValueError(msg)
    generations = computed.scope.generation or ()
    matches = [p for p in publications if p.generation in generations]
    if len(generations) != 1 or len(matches) != 1:
        known = ", ".join(f"{p.generation} ({p.id})" for p in publications)
        msg = (
            "reconcile needs KPIs scoped to one generation with published figures "
            f"(compute_kpis(..., generation=...)), or the publication's id; "
            f"published: {known}"
        )
        raise ValueError(msg)
    return matches[0]
