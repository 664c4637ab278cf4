"""Private: a batch of parsed rows of one table, column by column, and where it came from.

Checks look at a batch through whole columns: `distinct(...)` gives the distinct
combinations of some fields (built at C speed), a check judges each combination
once, and `rows_with(...)` finds the rows of the bad ones. So a rule costs time
per distinct combination, not per row, on the common path where data is good.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable, Collection, Iterable, Sequence
from typing import Any, TypeVar

import attrs

from clusterkit.io import TableSource
from clusterkit.report import Entity
from clusterkit.values import Location

__all__ = ["Batch", "Cell"]

T = TypeVar("T")


@attrs.frozen
class Cell:
    """One cell of a batch, as a finding about it needs it.

    Attributes:
        location: Where it is.
        entity: The record it belongs to.
        value: Its parsed value (`None`: not given or not valid).
    """

    location: Location
    entity: Entity
    value: Any


class Batch:
    """Parsed rows of one table: a list per field (`None`: not given or not valid)."""

    def __init__(
        self,
        source: TableSource,
        numbers: Sequence[int],
        columns: dict[str, list[Any]],
        distinct: dict[Any, Any] | None = None,
    ) -> None:
        self.source = source
        self.table = source.table
        self.numbers = numbers
        self.columns = columns
        # Distinct values of single columns, as the cell checks found them.
        self._distinct: dict[Any, Any] = distinct or {}
        self._shared: dict[str, Any] = {}

    def __getitem__(self, field: str) -> list[Any]:
        return self.columns[field]

    def distinct(self, *fields: str) -> set[Any]:
        """The distinct values of one field, or combinations (tuples) of several.

        Worked out once per batch and shared by every check that asks; do not
        change the set returned.
        """
        key = fields[0] if len(fields) == 1 else fields
        known = self._distinct.get(key)
        if isinstance(known, tuple):
            # Left by the cell checks: the distinct raw values and their parsing.
            raw, parsed = known
            known = set(map(parsed.__getitem__, raw))
        if known is None:
            if len(fields) == 1:
                known = set(self.columns[fields[0]])
            else:
                known = set(zip(*(self.columns[name] for name in fields), strict=True))
        self._distinct[key] = known
        return known

    def shared(self, name: str, work: Callable[[], T]) -> T:
        """What several checks ask of the batch, worked out by `work` once, under `name`.

        Do not change what is returned.
        """
        if name not in self._shared:
            self._shared[name] = work()
        return self._shared[name]  # type: ignore[no-any-return] # what `work` gave

    def each_value(self, field: str) -> Iterable[Any]:
        """The values of a field, each at least once, as cheaply as known.

        The distinct values when already worked out (values that repeat),
        otherwise the column itself: hashing values that hardly repeat, to find
        the distinct ones, costs more than it saves.
        """
        if field in self._distinct:
            return self.distinct(field)
        return self.columns[field]

    def filled(self, field: str, default: Any) -> Sequence[Any]:
        """A column with `default` where the value is missing (`None`)."""
        column = self.columns[field]
        if None not in column:
            return column
        # dict.get(value, value) gives `default` for None and the value otherwise,
        # at C speed.
        return list(map({None: default}.get, column, column))

    @staticmethod
    def rows_where(
        compare: Callable[[Any, Any], Any], left: Sequence[Any], right: Sequence[Any]
    ) -> list[int]:
        """Indexes of the rows where `compare(left[i], right[i])` holds, at C speed.

        For comparisons of whole columns (`operator.gt`): no Python code runs per
        row, so a check costs next to nothing when the data is good.
        """
        return list(itertools.compress(range(len(left)), map(compare, left, right)))

    def forget(self, field: str) -> None:
        """Drop what is known of a column's distinct values, after changing it."""
        for key in list(self._distinct):
            if key == field or (isinstance(key, tuple) and field in key):
                del self._distinct[key]

    def rows_with(self, fields: Sequence[str], keys: Collection[Any]) -> list[int]:
        """Indexes of the rows whose value (or combination) of `fields` is in `keys`."""
        if not keys:
            return []
        if len(fields) == 1:
            column: Iterable[Any] = self.columns[fields[0]]
        else:
            column = zip(*(self.columns[name] for name in fields), strict=True)
        return [index for index, key in enumerate(column) if key in keys]

    def location(self, index: int, field: str | None = None) -> Location:
        """Where row `index` of the batch (and one of its fields) is.

        In a JSON document, the line the record starts on: the line of the
        field itself is worked out for the findings only (`Scan.place`).
        """
        return self.source.location(self.numbers[index], field)

    def cell(self, index: int, field: str) -> Cell:
        """Row `index`'s `field`: its place, its record and its value."""
        return Cell(self.location(index, field), self.entity(index), self[field][index])

    def entity(self, index: int) -> Entity:
        """The record of row `index`: its table and id (from `entity_fields`)."""
        if self.table == "targets":
            partnership = self.columns["partnership"][index]
            country = self.columns["country"][index]
            if partnership is None or country is None:
                return Entity(self.table)
            return Entity(self.table, f"{partnership}/{country}")
        return Entity(self.table, self.columns["id"][index])


def entity_fields(table: str) -> tuple[str, ...]:
    """The fields that name a record of `table` (see `Batch.entity`)."""
    return ("partnership", "country") if table == "targets" else ("id",)
