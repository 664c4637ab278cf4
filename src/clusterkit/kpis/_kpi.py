"""Private: `KPI`, one KPI declared once — its id, meaning, measure and function.

A KPI is a value: its id (also its name in `clusterkit.kpis`), a label, a
definition, a formula, a unit, the version that introduced it, a worked example
for the docs, and its *measure*, which computes it from what a scope's records
add up to (`Measures`). The engine loops over the catalogue; calling a KPI
computes the KPIs of its scope and returns its own, so
`clusterkit.kpis.smes_involved(ds, generation="escp-4i-1")` is the KPI itself.
"""

from __future__ import annotations

import datetime as dt
import functools
from collections.abc import Callable, Mapping, Sequence
from typing import TYPE_CHECKING, Any, ClassVar, Generic, Literal, TypeVar

import attrs

from clusterkit.errors import KPIError
from clusterkit.kpis._gather import Facts, PartnershipFacts
from clusterkit.kpis._market import KPIValue, TargetMarket
from clusterkit.kpis._scope import ScopeFilters
from clusterkit.kpis._tally import Cell

if TYPE_CHECKING:
    from typing_extensions import Unpack

    from clusterkit.io import Source
    from clusterkit.kpis._result import KPIResult

__all__ = [
    "KPI",
    "ByTypeKPI",
    "CountKPI",
    "Kind",
    "Measures",
    "RankingKPI",
    "RatioKPI",
    "ScopeArguments",
]

V = TypeVar("V")

Kind = Literal["count", "ratio", "by_type", "ranking"]


class ScopeArguments(ScopeFilters, total=False):
    """The keyword arguments of a KPI function: those of `compute_kpis` but `by`.

    The filters `generation`, `partnership`, `start`, `end` and
    `target_country`, and `validate`, `as_of` and `jobs`.

    Added in version 0.2.0.
    """

    validate: bool
    as_of: dt.date | None
    jobs: int


class Measures:
    """What the records of one scope (or group) add up to, for the KPIs' measures.

    Attributes:
        partnerships: The partnerships in scope that passed.
        cell: Their activities in scope, added up.
        facts: Every record that passed (clusters and SMEs for lookups).
    """

    def __init__(
        self, partnerships: Sequence[PartnershipFacts], cell: Cell, facts: Facts
    ) -> None:
        self.partnerships = partnerships
        self.cell = cell
        self.facts = facts

    @functools.cached_property
    def members(self) -> set[str]:
        """The member clusters of the partnerships whose record passed."""
        clusters = self.facts.clusters
        return {m for p in self.partnerships for m in p.members if m in clusters}

    @functools.cached_property
    def smes(self) -> set[str]:
        """The SME ids on third-market activities, but those whose record failed.

        An SME found under a second id (CK-DUP-001) is counted under its first.
        """
        failed = self.facts.failed_smes
        smes = self.cell.smes - failed if failed else self.cell.smes
        same = self.facts.same_smes
        if same and not smes.isdisjoint(same):
            return {same.get(sme, sme) for sme in smes}
        return smes


Measure = Callable[[Measures, Mapping[str, KPIValue]], V]
"""A KPI's measure: from a scope's measures (and the KPIs before it) to its value."""


@attrs.frozen(eq=False, slots=False)
class KPI(Generic[V]):
    """One KPI: its id, label, definition, unit, formula, example and measure.

    Call it like `compute_kpis`, without `by`, for its value in a scope:
    `clusterkit.kpis.partnerships(source, generation="escp-4i-1")`. To read several
    KPIs of one scope, call `compute_kpis` once instead.

    Added in version 0.1.0 (as `KPIDefinition`); callable in version 0.2.0.

    Attributes:
        id: The KPI id, also its name in `clusterkit.kpis`; never renamed.
        label: A short title, for tables.
        definition: What is counted, over the records in scope (Markdown).
        unit: What its number counts (`partnerships`, `SMEs`, `meetings`).
        formula: The formula, in the notation of the KPI reference (Markdown).
        since: The clusterkit version that introduced it.
        example: A worked example on the docs page's example dataset: text a
            person can count by hand and Python that asserts it (Markdown).
        measure: Computes it from a scope's `Measures` and the KPIs before it.
    """

    kind: ClassVar[Kind]
    returns: ClassVar[str]
    engine: ClassVar[Callable[..., KPIResult]]
    """`compute_kpis`, which the engine's module sets: the KPIs and the engine
    need each other, and this keeps their modules free of an import cycle."""

    id: str
    label: str
    definition: str
    unit: str
    formula: str
    measure: Measure[Any]
    example: str = ""
    since: str = "0.1.0"
    note: str = ""

    @property
    def title(self) -> str:
        """The label (the name of version 0.1.0)."""
        return self.label

    def __call__(self, source: Source, /, **scope: Unpack[ScopeArguments]) -> V:
        if "by" in scope:
            # One value is the scope's: groups would be computed and dropped.
            msg = (
                f"kpis.{self.id}() gives the value of the whole scope and takes no "
                f"'by'; compute_kpis(source, by=...) gives it per group"
            )
            raise TypeError(msg)
        return self.value(KPI.engine(source, **scope))

    def value(self, result: KPIResult) -> V:
        """This KPI's value in a computed result."""
        raise NotImplementedError  # pragma: no cover - every kind says

    def __attrs_post_init__(self) -> None:
        # Each KPI's own docstring, for help() and the API reference.
        doc = (
            f"{self.label}: {self.definition}\n\n`source` and `scope` are those of "
            f"`compute_kpis` (filters, `validate`, …).\n\nAdded in version "
            f"{self.since}."
        )
        object.__setattr__(self, "__doc__", doc)

    def __repr__(self) -> str:
        return f"<KPI {self.id}>"


@attrs.frozen(eq=False, repr=False, slots=False)
class CountKPI(KPI[int]):
    """A KPI that counts: always defined, an `int`."""

    kind: ClassVar[Kind] = "count"
    returns: ClassVar[str] = "int"

    def value(self, result: KPIResult) -> int:
        """This KPI's value in a computed result."""
        found = result.kpis[self.id]
        assert isinstance(found, int)  # noqa: S101 - counts are always defined
        return found


@attrs.frozen(eq=False, repr=False, slots=False)
class RatioKPI(KPI[float]):
    """A KPI that divides two others: undefined (`None`) when the denominator is 0."""

    kind: ClassVar[Kind] = "ratio"
    returns: ClassVar[str] = "float"

    def value(self, result: KPIResult) -> float:
        """This KPI's value in a computed result.

        Raises:
            KPIError: The ratio is undefined: its denominator is 0.
        """
        found = result.kpis[self.id]
        if found is None:
            msg = f"{self.id} is undefined for this scope: its denominator is 0"
            raise KPIError(msg, kpi=self.id)
        assert isinstance(found, float)  # noqa: S101 - a ratio is a float when defined
        return found


@attrs.frozen(eq=False, repr=False, slots=False)
class ByTypeKPI(KPI[Mapping[str, int]]):
    """A KPI that counts per activity type: every type listed."""

    kind: ClassVar[Kind] = "by_type"
    returns: ClassVar[str] = "Mapping[str, int]"

    def value(self, result: KPIResult) -> Mapping[str, int]:
        """This KPI's value in a computed result."""
        return result.activities_by_type


@attrs.frozen(eq=False, repr=False, slots=False)
class RankingKPI(KPI[tuple[TargetMarket, ...]]):
    """A KPI that ranks markets."""

    kind: ClassVar[Kind] = "ranking"
    returns: ClassVar[str] = "tuple[TargetMarket, ...]"

    def value(self, result: KPIResult) -> tuple[TargetMarket, ...]:
        """This KPI's value in a computed result."""
        return result.target_markets
