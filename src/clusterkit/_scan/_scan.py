"""Private: `Scan`, one pass over one source, as batches of checked columns.

The pass opens the source (any `clusterkit.io.Source`), reads it leniently chunk
by chunk in table order, checks each chunk's cells into a `Batch` of parsed
columns and keeps the indexes later tables and the dataset-wide checks need.
Every problem goes to the `Reporter` it was given; nothing raises for bad data.
"""

from __future__ import annotations

from collections.abc import Collection, Iterator
from typing import Any

from clusterkit._scan._batch import Batch
from clusterkit._scan._cells import TableChecks, cell_key, parse_chunk
from clusterkit._scan._index import Indexes
from clusterkit._scan._shards import Shard
from clusterkit.errors import DatasetReadError
from clusterkit.io import (
    BAD_VALUE,
    UNREADABLE,
    OpenSource,
    Reporter,
    Source,
    open_source,
    source_name,
    with_outcome,
)
from clusterkit.models import TABLES
from clusterkit.report import Entity, Rule
from clusterkit.values import Location

__all__ = ["Scan"]


class Scan:
    """One pass over one source; iterate `batches()`, then use `indexes`.

    Args:
        source: Any source `clusterkit.io.open_source` accepts.
        report: Told of every problem of reading and of cells.
        indexes: Where to keep the indexes (fresh ones by default).
        enabled: The ids of the rules that run (informative remarks are worked
            out only when theirs does).
        shard: Read only this byte range of one table's file.
        format: The format of a stream, if its bytes do not say.
        name: How locations name a stream, mapping or `Dataset`.
    """

    def __init__(
        self,
        source: Source,
        report: Reporter,
        *,
        indexes: Indexes | None = None,
        enabled: Collection[str] = (),
        shard: Shard | None = None,
        format: str | None = None,  # noqa: A002 - as load_dataset
        name: str | None = None,
    ) -> None:
        self.source = source
        self.report = report
        self.enabled = enabled
        self.shard = shard
        self.format = format
        self.name = name
        self.indexes = Indexes() if indexes is None else indexes
        self.opened: OpenSource | None = None
        self.display = source_name(source, name)

    def batches(self) -> Iterator[Batch]:
        """The checked batches of every table, in table order, indexed as they pass."""
        try:
            self.opened = open_source(self.source, format=self.format, name=self.name)
        except DatasetReadError as error:
            self.report(
                UNREADABLE,
                error.location or Location(file=self.display),
                error.problem,
            )
            return
        self.display = self.opened.display
        self.opened.report_misnamed(self.report)
        checks = {table: TableChecks(table, self.enabled) for table in TABLES}
        reading = _Refusals(self.report)
        for chunk in self.opened.chunks(reading, spans=self._spans()):
            # Known before its cells are checked: a database row's number is
            # found from its location through its table's source.
            self.indexes.sources.setdefault(chunk.table, chunk.source)
            batch = parse_chunk(
                chunk, checks[chunk.table], self.report, reading.refused
            )
            self.indexes.index(batch)
            yield batch

    def reread(
        self, table: str, fields: Collection[str] | None = None
    ) -> Iterator[Batch]:
        """The batches of one table read again, reporting nothing.

        Their problems were reported the first time. With `fields`, the batches
        hold only those columns (see `TableChecks`): the others' cells are not
        checked again.
        """
        if self.opened is None:
            return
        checks = TableChecks(table, self.enabled, fields)
        quiet = _quiet
        for chunk in self.opened.chunks(quiet, tables={table}, spans=self._spans()):
            yield parse_chunk(chunk, checks, quiet)

    @property
    def places(self) -> bool:
        """Whether `place` can move findings: the source is a JSON document."""
        opened = self.opened
        return (
            opened is not None
            and opened.format is not None
            and opened.format.place is not None
        )

    def place(self, locations: Collection[Location]) -> dict[Location, Location]:
        """Findings' locations placed at their fields, where reading could not.

        In a JSON document, a finding gets the line and column of its field's
        key (see `OpenSource.place`). Call it when `places`, before `close`.
        """
        assert self.opened is not None  # noqa: S101 - only after `batches` opened it
        return self.opened.place(locations, self.indexes.sources)

    def close(self) -> None:
        """Close the source (an archive, a spooled stream)."""
        if self.opened is not None:
            self.opened.close()

    def _spans(self) -> dict[str, tuple[int, int, int]]:
        shard = self.shard
        return {} if shard is None else {shard.table: shard.span}


class _Refusals:
    """A `Reporter` that passes problems on, keeping the cells a reader refused.

    A reader that refuses a cell's value (a text longer than `max_cell_chars`,
    a date no Python date holds) says why and leaves the cell out: the cell
    checks must not say again that it is empty.
    """

    def __init__(self, report: Reporter) -> None:
        self.report = report
        self.refused: set[tuple[Any, ...]] = set()

    def __call__(
        self,
        rule: Rule,
        location: Location,
        message: str,
        *,
        hint: str | None = None,
        entity: Entity | None = None,
        value: Any = None,
        expected: str | None = None,
        outcome: str | None = None,
    ) -> None:
        if rule is BAD_VALUE and location.field is not None:
            self.refused.add(cell_key(location))
        self.report(
            rule,
            location,
            with_outcome(message, outcome),
            hint=hint,
            entity=entity,
            value=value,
            expected=expected,
        )


def _quiet(
    rule: Rule,
    location: Location,
    message: str,
    *,
    hint: str | None = None,
    entity: Entity | None = None,
    value: Any = None,
    expected: str | None = None,
    outcome: str | None = None,
) -> None:
    """A `Reporter` that drops every problem."""
    del rule, location, message, hint, entity, value, expected, outcome
