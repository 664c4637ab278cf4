"""Private: from gathered facts and tallied cells to the KPIs of the scope and its groups.

A group is the scope with one more filter per breakdown dimension, so it is
computed exactly as the scope is: from the partnerships in it, and from the
cells of activities in it, merged.
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

from clusterkit import reference
from clusterkit.kpis._definitions import CATALOGUE
from clusterkit.kpis._gather import Facts, PartnershipFacts
from clusterkit.kpis._kpi import Measures
from clusterkit.kpis._market import KPIValue, TargetMarket
from clusterkit.kpis._pass import ErrorCounts
from clusterkit.kpis._result import Group, KPIResult, RecordCount
from clusterkit.kpis._scope import Scope, quarter_of
from clusterkit.kpis._tally import Cell, Tally
from clusterkit.models import TABLES
from clusterkit.report import Report

__all__ = ["aggregate", "check_filters", "finish"]

GroupKey = tuple[Any, ...]


def check_filters(scope: Scope, facts: Facts) -> None:
    """Refuse filters that name a generation or partnership the data does not have.

    Raises:
        ValueError: With the closest known id when there is one.
    """
    for what, asked, known in (
        ("generation", scope.generation, facts.generation_ids),
        ("partnership", scope.partnership, facts.partnership_ids),
    ):
        for name in asked or ():
            if name not in known:
                close = difflib.get_close_matches(name, sorted(known), n=1)
                hint = f"; did you mean {close[0]!r}?" if close else ""
                msg = f"{what} {name!r} is not in the data{hint}"
                raise ValueError(msg)


def aggregate(
    scope: Scope, facts: Facts, tally: Tally
) -> tuple[
    dict[str, KPIValue], Mapping[str, int], tuple[TargetMarket, ...], tuple[Group, ...]
]:
    """The KPIs, activities by type and target markets of the scope, and its groups."""
    partnerships = [
        p for p in facts.partnerships.values() if _partnership_in_scope(p, scope)
    ]
    # Activities are in scope by their partnership's generation and id only: the
    # date range and markets were applied to each activity as it was tallied.
    active = {
        p.id: p
        for p in facts.partnerships.values()
        if (scope.generation is None or p.generation in scope.generation)
        and (scope.partnership is None or p.id in scope.partnership)
    }
    total = Cell()
    for key, cell in tally.cells.items():
        if key[0] in active:
            total.merge(cell)
    kpis, by_type, markets = _measure(partnerships, total, facts)
    groups: tuple[Group, ...] = ()
    if scope.by:
        groups = _groups(scope, facts, tally, partnerships, active)
    return kpis, by_type, markets, groups


def _partnership_in_scope(p: PartnershipFacts, scope: Scope) -> bool:
    if scope.generation is not None and p.generation not in scope.generation:
        return False
    if scope.partnership is not None and p.id not in scope.partnership:
        return False
    if scope.target_country is not None and not set(p.targets) & set(
        scope.target_country
    ):
        return False
    return _overlaps(p, scope.start, scope.end)


def _overlaps(p: PartnershipFacts, start: dt.date | None, end: dt.date | None) -> bool:
    if start is None and end is None:
        return True
    if p.start is None:
        return False  # no known period: in no date range
    # The days the period and the range share (none if the period is inverted).
    first = max(p.start, start) if start else p.start
    last = min(_end(p), end) if end else _end(p)
    return first <= last


def _end(p: PartnershipFacts) -> dt.date:
    """A partnership's last day; one without an end (and no generation's) runs until today."""
    return p.end or dt.date.today()  # noqa: DTZ011 - the user's calendar day


def _measure(
    partnerships: Sequence[PartnershipFacts], cell: Cell, facts: Facts
) -> tuple[dict[str, KPIValue], Mapping[str, int], tuple[TargetMarket, ...]]:
    """Every KPI of the catalogue, by its measure, in catalogue order."""
    measures = Measures(partnerships, cell, facts)
    values: dict[str, KPIValue] = {}
    by_type: Mapping[str, int] = {}
    markets: tuple[TargetMarket, ...] = ()
    for kpi in CATALOGUE:
        value = kpi.measure(measures, values)
        if kpi.kind == "by_type":
            by_type = value
        elif kpi.kind == "ranking":
            markets = value
        else:
            values[kpi.id] = value
    return values, by_type, markets


# Breakdowns.


def _groups(
    scope: Scope,
    facts: Facts,
    tally: Tally,
    partnerships: Sequence[PartnershipFacts],
    active: Mapping[str, PartnershipFacts],
) -> tuple[Group, ...]:
    by = scope.by
    members: dict[GroupKey, list[PartnershipFacts]] = {}
    both = ("year" in by and "quarter" in by) and (
        by.index("year"),
        by.index("quarter"),
    )
    for p in partnerships:
        for key in itertools.product(
            *(_partnership_values(p, name, scope) for name in by)
        ):
            if both and not str(key[both[1]]).startswith(f"{key[both[0]]}-"):
                continue  # a quarter goes with its own year only
            members.setdefault(key, []).append(p)
    cells: dict[GroupKey, Cell] = {}
    positions = {name: 1 + tally.dimensions.index(name) for name in tally.dimensions}
    for cell_key, cell in tally.cells.items():
        owner = active.get(cell_key[0])
        if owner is None:
            continue
        options = [
            (cell_key[positions[name]],)
            if name in positions
            else _activity_partnership_values(owner, name)
            for name in by
        ]
        for key in itertools.product(*options):
            group = cells.get(key)
            if group is None:
                group = cells[key] = Cell()
            group.merge(cell)
    result = []
    for key in sorted(set(members) | set(cells), key=_sort_key):
        values, by_type, markets = _measure(
            members.get(key, ()), cells.get(key, Cell()), facts
        )
        result.append(
            Group(
                key=dict(zip(by, key, strict=True)),
                kpis=values,
                activities_by_type=by_type,
                target_markets=markets,
            )
        )
    return tuple(result)


def _partnership_values(p: PartnershipFacts, name: str, scope: Scope) -> Iterable[Any]:
    """The groups of dimension `name` a partnership is counted in."""
    if name == "partnership":
        return (p.id,)
    if name == "generation":
        return (p.generation,)
    if name == "ecosystem":
        return p.ecosystems or (None,)
    if name == "target_country":
        targets = p.targets
        if scope.target_country is not None:
            targets = tuple(c for c in targets if c in scope.target_country)
        return targets or (None,)
    return _periods(p, name, scope)


def _activity_partnership_values(p: PartnershipFacts, name: str) -> Iterable[Any]:
    """The groups of a partnership-level dimension its activities are counted in."""
    if name == "partnership":
        return (p.id,)
    if name == "generation":
        return (p.generation,)
    return p.ecosystems or (None,)


def _periods(p: PartnershipFacts, name: str, scope: Scope) -> Iterable[Any]:
    """The years or quarters a partnership's period overlaps, within the date range."""
    if p.start is None:
        return ()
    first = max(p.start, scope.start) if scope.start else p.start
    last = min(_end(p), scope.end) if scope.end else _end(p)
    if first > last:
        return ()
    if name == "year":
        return range(first.year, last.year + 1)
    quarters = []
    year, quarter = first.year, (first.month - 1) // 3
    while (year, quarter) <= (last.year, (last.month - 1) // 3):
        quarters.append(quarter_of(dt.date(year, 3 * quarter + 1, 1)))
        year, quarter = (year + 1, 0) if quarter == 3 else (year, quarter + 1)  # noqa: PLR2004 - Q4
    return quarters


def _sort_key(key: GroupKey) -> tuple[Any, ...]:
    # Missing values (None) last within each dimension.
    return tuple((value is None, "" if value is None else value) for value in key)


def finish(
    scope: Scope,
    facts: Facts,
    tally: Tally,
    report: Report | None,
    errors: ErrorCounts,
) -> KPIResult:
    """The result of a pass: filters checked, KPIs and groups computed."""
    scope = scope.with_ids(
        {"generation": facts.generation_ids, "partnership": facts.partnership_ids}
    )
    check_filters(scope, facts)
    kpis, by_type, markets, groups = aggregate(scope, facts, tally)
    records = {
        table: RecordCount(
            used=facts.used.get(table, 0), excluded=facts.excluded.get(table, 0)
        )
        for table in tuple(TABLES)[1:]
    }
    return KPIResult(
        scope=scope,
        reference_data=reference.version(),
        kpis=kpis,
        activities_by_type=by_type,
        target_markets=markets,
        groups=groups,
        records=records,
        excluded_by_rule=_by_rule(errors),
        duplicate_smes=dict(sorted(facts.same_smes.items())),
        smes_reached_given=sum(
            p.smes_reached is not None
            for p in facts.partnerships.values()
            if _partnership_in_scope(p, scope)
        ),
        validation=report,
    )


def _by_rule(errors: ErrorCounts) -> dict[str, int]:
    counts: dict[str, int] = {}
    for (_, rule, _), n in errors.items():
        counts[rule] = counts.get(rule, 0) + n
    return dict(sorted(counts.items()))
