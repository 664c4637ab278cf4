"""Private: the mergeable accumulators of activities.

One pass over the activities adds each to the *cell* of its partnership (and of
the values it takes for the activity breakdowns: target country, year,
quarter). A cell holds sums, counts per type and per market, and the set of SME
ids, so two tallies of different rows merge into the tally of all the rows:
the same result from a whole dataset, a stream, or shards in separate processes.
Partnership-level filters and breakdowns (generation, ecosystem) are applied
after the pass, to whole cells, so the pass never needs to know them.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections import Counter
from collections.abc import Iterable, Mapping, Sequence
from typing import Any

import attrs

from clusterkit.countries import always_third_country
from clusterkit.kpis._scope import Scope, quarter_of
from clusterkit.models import Generation

__all__ = ["ActivityRow", "Cell", "Tally", "ThirdMarkets"]

ActivityRow = tuple[Any, ...]
"""An activity as the pass reads it: (partnership, type, start, target_country,
smes, smes_involved, b2b_meetings, c2c_meetings, mous_signed,
collaboration_projects), counters already defaulted by type (DESIGN.md §2.2)."""


@attrs.define
class Cell:
    """What the activities of one partnership (and breakdown values) add up to."""

    activities: int = 0
    by_type: dict[str, int] = attrs.field(factory=dict)
    # SME ids listed on third-market activities, and the smes_involved of
    # third-market activities that list none.
    smes: set[str] = attrs.field(factory=set)
    anonymous_smes: int = 0
    b2b_meetings: int = 0
    c2c_meetings: int = 0
    mous_signed: int = 0
    collaboration_projects: int = 0
    # Third-market activities per target country.
    markets: dict[str, int] = attrs.field(factory=dict)

    def merge(self, other: Cell) -> None:
        """Add another cell's activities to this one."""
        self.activities += other.activities
        _add_counts(self.by_type, other.by_type)
        self.smes |= other.smes
        self.anonymous_smes += other.anonymous_smes
        self.b2b_meetings += other.b2b_meetings
        self.c2c_meetings += other.c2c_meetings
        self.mous_signed += other.mous_signed
        self.collaboration_projects += other.collaboration_projects
        _add_counts(self.markets, other.markets)


def _add_counts(into: dict[str, int], other: Mapping[str, int]) -> None:
    for key, count in other.items():
        into[key] = into.get(key, 0) + count


@attrs.define
class Tally:
    """Activities added up by cell; `merge` combines tallies of disjoint rows.

    Attributes:
        dimensions: The activity breakdowns in the cell keys, after the
            partnership id: a key is `(partnership, *values)`.
        cells: The cells by key.
        offered: Every activity row offered, by partnership id (in scope or
            not), to count what is used and what is left out.
    """

    dimensions: tuple[str, ...] = ()
    cells: dict[tuple[Any, ...], Cell] = attrs.field(factory=dict)
    offered: dict[str, int] = attrs.field(factory=dict)

    def merge(self, other: Tally) -> Tally:
        """Add `other` into this tally (in place) and return it."""
        if other.dimensions != self.dimensions:
            msg = "tallies of different breakdowns do not merge"
            raise ValueError(msg)
        for key, cell in other.cells.items():
            mine = self.cells.get(key)
            if mine is None:
                mine = self.cells[key] = Cell()
            mine.merge(cell)
        _add_counts(self.offered, other.offered)
        return self

    def add(
        self,
        columns: Sequence[Sequence[Any]],
        scope: Scope,
        third: ThirdMarkets,
    ) -> None:
        """Add a batch of activities, given as columns in the order of `ActivityRow`.

        Rows outside the scope's date range or markets only count as offered.
        The work is done per distinct combination of values where it can be
        (at C speed, with `Counter`), and per row only for SME ids.
        """
        partnerships = columns[0]
        filtered = bool(
            scope.start is not None or scope.end is not None or scope.target_country
        )
        if filtered:
            _add_counts(self.offered, Counter(partnerships))
            columns = _within(columns, scope)
            partnerships = columns[0]
            if not partnerships:
                return
        kinds, days, targets = columns[1:4]
        keys: Sequence[Any] = (
            list(
                zip(
                    partnerships,
                    *_dimension_columns(self.dimensions, days, targets),
                    strict=True,
                )
            )
            if self.dimensions
            else partnerships
        )
        by_kind = Counter(zip(keys, kinds, strict=True))
        cell_of = self._cells_of({key for key, _ in by_kind})
        offered = self.offered
        for (key, kind), n in by_kind.items():
            cell = cell_of[key]
            cell.activities += n
            cell.by_type[kind] = cell.by_type.get(kind, 0) + n
            if not filtered:
                # Every row is in scope: the offered count comes with the cell's.
                partnership = key[0] if self.dimensions else key
                offered[partnership] = offered.get(partnership, 0) + n
        _add_counters(keys, columns[6:], cell_of)
        aimed = third.column(partnerships, targets, days)
        if any(aimed):
            _add_markets(keys, columns, aimed, cell_of)

    def _cells_of(self, keys: Iterable[Any]) -> dict[Any, Cell]:
        """The cell of each distinct key in a batch, found (or made) once."""
        cells = self.cells
        cell_of: dict[Any, Cell] = {}
        for key in keys:
            full = key if self.dimensions else (key,)
            cell = cells.get(full)
            if cell is None:
                cell = cells[full] = Cell()
            cell_of[key] = cell
        return cell_of


def _add_counters(
    keys: Sequence[Any], counters: Sequence[Sequence[int]], cell_of: dict[Any, Cell]
) -> None:
    # Most counters are 0 (a webinar has no meetings): only the rows where a
    # counter is not are visited, for that counter.
    for name, column in zip(_COUNTER_ATTRIBUTES, counters, strict=True):
        sums = dict.fromkeys(cell_of, 0)
        for key, value in itertools.compress(zip(keys, column, strict=True), column):
            sums[key] += value
        for key, total in sums.items():
            if total:
                cell = cell_of[key]
                setattr(cell, name, getattr(cell, name) + total)


def _add_markets(
    keys: Sequence[Any],
    columns: Sequence[Sequence[Any]],
    aimed: Sequence[bool],
    cell_of: dict[Any, Cell],
) -> None:
    """Third-market activities: per target country, and their SMEs."""
    targets, smes, involved = columns[3:6]
    for (key, target), n in Counter(
        itertools.compress(zip(keys, targets, strict=True), aimed)
    ).items():
        markets = cell_of[key].markets
        markets[target] = markets.get(target, 0) + n
    # The same SME list recurs on many activities of a partnership: each distinct
    # (cell, list) pair is added once; lists of no SME count their smes_involved.
    pairs = set(itertools.compress(zip(keys, smes, strict=True), aimed))
    for key, listed in pairs:
        if listed:
            cell_of[key].smes.update(listed)
    if ((), None) in pairs or any(not listed for _, listed in pairs):
        for key, listed, count in itertools.compress(
            zip(keys, smes, involved, strict=True), aimed
        ):
            if not listed and count:
                cell_of[key].anonymous_smes += count


_COUNTER_ATTRIBUTES = (
    "b2b_meetings",
    "c2c_meetings",
    "mous_signed",
    "collaboration_projects",
)


def _within(columns: Sequence[Sequence[Any]], scope: Scope) -> list[Sequence[Any]]:
    """The rows of the scope's date range and markets."""
    low, high, markets = scope.start, scope.end, scope.target_country
    keep = [
        (low is None or day >= low)
        and (high is None or day <= high)
        and (markets is None or target in markets)
        for day, target in zip(columns[2], columns[3], strict=True)
    ]
    return [list(itertools.compress(column, keep)) for column in columns]


def _dimension_columns(
    dimensions: tuple[str, ...], days: Sequence[dt.date], targets: Sequence[Any]
) -> list[Sequence[Any]]:
    values: list[Sequence[Any]] = []
    for name in dimensions:
        if name == "target_country":
            values.append(targets)
        elif name == "year":
            values.append([day.year for day in days])
        else:
            values.append(list(map(quarter_of, days)))
    return values


class ThirdMarkets:
    """Whether an activity's target is a third country on its start, per its generation.

    Most markets (the United States, China) are classified the same on every day:
    those are judged once per generation, the others once per day.
    """

    def __init__(self, generations: Mapping[str, Generation | None]) -> None:
        # The generation of each partnership (None: unknown, nothing is third).
        self._generations = generations
        # (partnership, country) -> third on every day, never, or None: it depends.
        self._stable: dict[tuple[str, str | None], bool | None] = {}

    def column(
        self,
        partnerships: Sequence[str],
        targets: Sequence[str | None],
        days: Sequence[dt.date],
    ) -> list[bool]:
        """For each activity, whether it targets a third market."""
        stable = self._stable
        pairs = list(zip(partnerships, targets, strict=True))
        for pair in set(pairs).difference(stable):
            stable[pair] = self._judge_pair(*pair)
        verdicts = list(map(stable.__getitem__, pairs))
        if None not in verdicts:
            return verdicts  # type: ignore[return-value] # no None: all bool
        return [
            self._judge_day(pair, day) if verdict is None else verdict
            for verdict, pair, day in zip(verdicts, pairs, days, strict=True)
        ]

    def _judge_pair(self, partnership: str, country: str | None) -> bool | None:
        generation = self._generations.get(partnership)
        if country is None or generation is None:
            return False
        return always_third_country(
            country, generation.programme, generation.third_country_rule.value
        )

    def _judge_day(self, pair: tuple[str, str | None], day: dt.date) -> bool:
        partnership, country = pair
        generation = self._generations[partnership]
        assert generation is not None  # noqa: S101 - judged per pair first
        assert country is not None  # noqa: S101 - judged per pair first
        return generation.is_third_country(country, day)
