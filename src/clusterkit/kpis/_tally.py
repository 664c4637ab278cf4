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
import operator
from collections import Counter
from collections.abc import Callable, Iterable, Mapping, Sequence
from operator import itemgetter
from typing import Any, Literal, TypeVar

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
        """Add a non-empty batch of activities, as columns in the order of `ActivityRow`.

        Rows outside the scope's date range or markets only count as offered.
        When the rows fall into a few large groups by cell (partnership and
        breakdown values), each group is added with whole-column operations
        (`Counter`, `sum`, set updates) at C speed; when they fall into many
        small ones, row by row, with a `Counter` of the distinct combinations.
        """
        partnerships = columns[0]
        filtered = _filters_rows(scope)
        if filtered:
            _add_counts(self.offered, Counter(partnerships))
            columns = _within(columns, scope)
            partnerships = columns[0]
            if not partnerships:
                return
        keys: Sequence[Any] = partnerships
        if self.dimensions:
            values = _dimension_columns(self.dimensions, columns[2], columns[3])
            keys = list(zip(partnerships, *values, strict=True))
        # Unfiltered, every row is in scope: offered counts come with the cells'.
        offered = None if filtered else self.offered
        distinct = set(keys)
        if len(distinct) * _LARGE_GROUP > len(keys):
            cell_of = {key: self._cell(key) for key in distinct}
            _add_keyed(cell_of, keys, columns, offered)
            aimed = third.column(partnerships, columns[3], columns[2])
            _add_keyed_markets(cell_of, keys, columns, aimed)
            return
        for key, rows in _groups(keys).items():
            group = columns if rows is None else _take(rows, columns)
            partnership = group[0][0]
            _add_group(self._cell(key), partnership, group, third)
            if offered is not None:
                offered[partnership] = offered.get(partnership, 0) + len(group[0])

    def add_rows(
        self, rows: Iterable[ActivityRow], scope: Scope, third: ThirdMarkets
    ) -> None:
        """Add a non-empty batch of activities given as `ActivityRow`s, as `add` does.

        Without breakdowns and filters, the rows are grouped by partnership
        before they are turned into columns, which saves taking each group's
        rows out of the batch's columns.
        """
        rows = list(rows)
        groups: dict[str, list[ActivityRow]] = {}
        if not self.dimensions and not _filters_rows(scope):
            for row in rows:
                group = groups.get(row[0])
                if group is None:
                    groups[row[0]] = [row]
                else:
                    group.append(row)
        if not groups or len(groups) * _LARGE_ROW_GROUP > len(rows):
            # Breakdowns, filters or many small groups: as columns, by `add`.
            self.add(list(zip(*rows, strict=True)), scope, third)
            return
        for partnership, group in groups.items():
            columns = list(zip(*group, strict=True))
            self.offered[partnership] = self.offered.get(partnership, 0) + len(group)
            _add_group(self._cell(partnership), partnership, columns, third)

    def _cell(self, key: Any) -> Cell:
        """The cell of a key: a partnership id, or a tuple of it and breakdown values."""
        full = key if self.dimensions else (key,)
        cell = self.cells.get(full)
        if cell is None:
            cell = self.cells[full] = Cell()
        return cell


def _filters_rows(scope: Scope) -> bool:
    """Whether the scope leaves some activities out by their own fields."""
    return bool(
        scope.start is not None or scope.end is not None or scope.target_country
    )


def _groups(keys: Sequence[Any]) -> dict[Any, list[int] | None]:
    """The row numbers of each distinct key; None for a batch of one key.

    Rows often come sorted by partnership, so a batch of one key (checked at C
    speed) is common and needs no grouping at all.
    """
    first = keys[0]
    if keys.count(first) == len(keys):
        return {first: None}
    groups: dict[Any, list[int]] = {}
    for number, key in enumerate(keys):
        rows = groups.get(key)
        if rows is None:
            groups[key] = [number]
        else:
            rows.append(number)
    return groups  # type: ignore[return-value] # list[int] is list[int] | None


def _take(rows: list[int], columns: Sequence[Sequence[Any]]) -> list[Sequence[Any]]:
    """The `rows` of each column (as tuples, even of one row)."""
    if len(rows) == 1:
        (row,) = rows
        return [(column[row],) for column in columns]
    take = itemgetter(*rows)
    return [take(column) for column in columns]


def _add_group(
    cell: Cell, partnership: str, columns: Sequence[Sequence[Any]], third: ThirdMarkets
) -> None:
    """Add the activities of one cell, as columns in the order of `ActivityRow`."""
    kinds, days, targets, smes, involved = columns[1:6]
    cell.activities += len(kinds)
    _add_counts(cell.by_type, Counter(kinds))
    for name, column in zip(_COUNTER_ATTRIBUTES, columns[6:], strict=True):
        total = sum(filter(None, column))
        if total:
            setattr(cell, name, getattr(cell, name) + total)
    chosen = _aimed_only(
        third.aimed(partnership, targets, days), targets, smes, involved
    )
    if chosen is None:
        return  # no activity aims at a third market
    targets, smes, involved = chosen
    _add_counts(cell.markets, Counter(targets))
    cell.smes.update(itertools.chain.from_iterable(filter(None, smes)))
    # Activities that list no SME count their smes_involved instead.
    if not all(smes):
        unlisted = itertools.compress(involved, map(operator.not_, smes))
        cell.anonymous_smes += sum(filter(None, unlisted))


# The average group size from which a batch is added per group, not row by row
# (`python bench/tally_groups.py` measures where one way overtakes the other):
# for columns, which must each be taken apart by group, and for rows, which are
# grouped as they come.
_LARGE_GROUP = 24
_LARGE_ROW_GROUP = 12

Aimed = Literal["all", "none"] | list[bool]
"""Which activities of a batch target a third market: all, none, or each's bool."""


def _aimed_only(aimed: Aimed, *columns: Sequence[Any]) -> list[Sequence[Any]] | None:
    """The rows of `columns` that target a third market; None when no row does."""
    if aimed == "none":
        return None
    if aimed == "all":
        return list(columns)
    return [list(itertools.compress(column, aimed)) for column in columns]


def _add_keyed(
    cell_of: Mapping[Any, Cell],
    keys: Sequence[Any],
    columns: Sequence[Sequence[Any]],
    offered: dict[str, int] | None,
) -> None:
    """Add a batch row by row, each activity to the cell of its key: types, counters.

    The work is done per distinct combination of values where it can be (at C
    speed, with `Counter`), and per row only for the counters that are not 0.
    `offered`, if given, gets each partnership's rows counted.
    """
    for (key, kind), n in Counter(zip(keys, columns[1], strict=True)).items():
        cell = cell_of[key]
        cell.activities += n
        cell.by_type[kind] = cell.by_type.get(kind, 0) + n
        if offered is not None:
            partnership = key[0] if isinstance(key, tuple) else key
            offered[partnership] = offered.get(partnership, 0) + n
    for name, column in zip(_COUNTER_ATTRIBUTES, columns[6:], strict=True):
        # Most counters are 0 (a webinar has no meetings): only the rows where
        # a counter is not are visited, for that counter.
        sums = dict.fromkeys(cell_of, 0)
        for key, value in itertools.compress(zip(keys, column, strict=True), column):
            sums[key] += value
        for key, total in sums.items():
            if total:
                cell = cell_of[key]
                setattr(cell, name, getattr(cell, name) + total)


def _add_keyed_markets(
    cell_of: Mapping[Any, Cell],
    keys: Sequence[Any],
    columns: Sequence[Sequence[Any]],
    aimed: Aimed,
) -> None:
    """Add a batch's third-market activities row by row: markets and SMEs."""
    chosen = _aimed_only(aimed, keys, *columns[3:6])
    if chosen is None:
        return
    keys, targets, smes, involved = chosen
    for (key, target), n in Counter(zip(keys, targets, strict=True)).items():
        markets = cell_of[key].markets
        markets[target] = markets.get(target, 0) + n
    # The same SME list recurs on many activities: each distinct (cell, list)
    # pair is added once; activities that list none count their smes_involved.
    for key, listed in set(zip(keys, smes, strict=True)):
        if listed:
            cell_of[key].smes.update(listed)
    if not all(smes):
        for key, listed, count in zip(keys, smes, involved, strict=True):
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


_Key = TypeVar("_Key")


class ThirdMarkets:
    """Whether an activity's target is a third country on its start, per its generation.

    Most markets (the United States, China) are classified the same on every day:
    those are judged once per generation, the others once per day.
    """

    def __init__(self, generations: Mapping[str, Generation | None]) -> None:
        # The generation of each partnership (None: unknown, nothing is third).
        self._generations = generations
        # Partnership -> country -> third on every day, never, or None: it depends.
        self._stable: dict[str, dict[str | None, bool | None]] = {}

    def aimed(
        self,
        partnership: str,
        targets: Sequence[str | None],
        days: Sequence[dt.date],
    ) -> Aimed:
        """Which of a partnership's activities target a third market."""
        verdicts = {
            target: self._verdict(partnership, target) for target in set(targets)
        }
        return _marks(
            verdicts,
            targets,
            days,
            lambda country, day: self._judge_day(partnership, country, day),
        )

    def column(
        self,
        partnerships: Sequence[str],
        targets: Sequence[str | None],
        days: Sequence[dt.date],
    ) -> Aimed:
        """Which activities (of any partnerships) target a third market."""
        pairs = list(zip(partnerships, targets, strict=True))
        verdicts = {pair: self._verdict(*pair) for pair in set(pairs)}
        return _marks(
            verdicts, pairs, days, lambda pair, day: self._judge_day(*pair, day)
        )

    def _verdict(self, partnership: str, country: str | None) -> bool | None:
        """Third on every day (True), never (False), or it depends on the day (None)."""
        known = self._stable.get(partnership)
        if known is None:
            known = self._stable[partnership] = {}
        if country not in known:
            known[country] = self._judge_pair(partnership, country)
        return known[country]

    def _judge_pair(self, partnership: str, country: str | None) -> bool | None:
        generation = self._generations.get(partnership)
        if country is None or generation is None:
            return False
        return always_third_country(
            country, generation.programme.value, generation.third_country_rule.value
        )

    def _judge_day(self, partnership: str, country: str | None, day: dt.date) -> bool:
        generation = self._generations[partnership]
        assert generation is not None  # noqa: S101 - judged per pair first
        assert country is not None  # noqa: S101 - judged per pair first
        return generation.is_third_country(country, day)


def _marks(
    verdicts: Mapping[_Key, bool | None],
    keys: Sequence[_Key],
    days: Sequence[dt.date],
    judge: Callable[[_Key, dt.date], bool],
) -> Aimed:
    """Each row's verdict, by its key's (or, where that depends on the day, `judge`'s)."""
    found = set(verdicts.values())
    if len(found) == 1 and None not in found:
        return "all" if True in found else "none"
    marks = list(map(verdicts.__getitem__, keys))
    if None not in found:
        return marks  # type: ignore[return-value] # no None: all bool
    return [
        judge(key, day) if mark is None else mark
        for mark, key, day in zip(marks, keys, days, strict=True)
    ]
