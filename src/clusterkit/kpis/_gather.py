"""Private: what one pass over a dataset gathers for the KPIs.

The small tables (generations, clusters, SMEs, partnerships, targets) are kept
as the few fields the KPIs need, with their row numbers; the activities go into
a `Tally` as they stream past. Which records failed validation is known only at
the end of the pass (duplicate keys, dataset-wide rules), so the small tables
are filtered then, and cells of partnerships left out are dropped whole.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Callable, Mapping, Sequence
from operator import attrgetter, itemgetter
from typing import Any

import attrs

from clusterkit._scan import Batch, KeyLog
from clusterkit.io import BATCH_ROWS
from clusterkit.kpis._scope import Scope
from clusterkit.kpis._tally import ActivityRow, Tally, ThirdMarkets
from clusterkit.models import COUNTERS, Dataset, Generation, reference_generations
from clusterkit.rules import Context

__all__ = ["ACTIVITY_FIELDS", "Facts", "Gather", "PartnershipFacts"]

ACTIVITY_FIELDS = (
    "partnership",
    "type",
    "start",
    "target_country",
    "smes",
    "smes_involved",
    *COUNTERS,
)
"""The fields of an activity the KPIs read, in the order of `ActivityRow`."""

_PARTNERSHIP_FIELDS = (
    "id",
    "generation",
    "funding",
    "members",
    "coordinator",
    "start",
    "end",
    "smes_reached",
    "ecosystems",
)


@attrs.frozen
class PartnershipFacts:
    """What the KPIs need of a partnership that passed validation."""

    id: str
    generation: str
    funding: str
    members: frozenset[str]
    start: dt.date | None
    end: dt.date | None
    smes_reached: int | None
    ecosystems: tuple[str, ...]
    targets: tuple[str, ...]


@attrs.frozen
class Facts:
    """The records that passed, as the KPIs need them, and what was left out."""

    partnerships: Mapping[str, PartnershipFacts]
    # Cluster id -> country, for the clusters that passed.
    clusters: Mapping[str, str | None]
    # SME ids whose every record failed: not counted among SMEs involved.
    failed_smes: frozenset[str]
    generations: Mapping[str, Generation]
    # Every partnership and generation id read (passed or not), to check the
    # filters' ids.
    partnership_ids: frozenset[str]
    generation_ids: frozenset[str]
    # Per table: records used and excluded.
    used: Mapping[str, int]
    excluded: Mapping[str, int]
    # SME ids that CK-DUP-001 found to repeat an earlier SME -> that SME's id:
    # counted as it among SMEs involved.
    same_smes: Mapping[str, str] = attrs.field(factory=dict)


class Gather:
    """The sink of one pass: small tables kept, activities tallied."""

    def __init__(
        self, scope: Scope, progress: Callable[[str, int], None] | None = None
    ) -> None:
        self.scope = scope
        self.progress = progress
        self.read: dict[str, int] = {}
        self.tally = Tally(dimensions=scope.activity_dimensions)
        self.rows: dict[str, list[tuple[Any, ...]]] = {
            "clusters": [],
            "smes": [],
            "partnerships": [],
            "targets": [],
        }
        # Activities whose id may repeat: tallied at the end, unless they do.
        self.held: list[tuple[int, ActivityRow]] = []
        # Activities that cannot be placed (no partnership, type or start).
        self.unplaced = 0
        self.third: ThirdMarkets | None = None
        self.generations: dict[str, Generation] = {
            generation.id: generation for generation in reference_generations()
        }
        self.partnership_generations: dict[str, Generation | None] = {}

    # ------------------------------------------------------------ from the validator

    def __call__(self, batch: Batch, context: Context) -> None:
        """Take a checked batch (the `on_batch` of `rules.scan`)."""
        table = batch.table
        # The shipped generations and the dataset's own (read first), as the
        # validator knows them.
        self.generations = context.generations
        if self.progress is not None:
            where = batch.source.file or table
            self.read[where] = self.read.get(where, 0) + len(batch.numbers)
            self.progress(where, self.read[where])
        if table == "activities":
            self._activities(batch, context)
            return
        fields = _SMALL_FIELDS.get(table)
        if fields is None:
            return  # generations: the context keeps them
        columns = [batch[name] for name in fields]
        self.rows[table].extend(zip(batch.numbers, *columns, strict=True))

    def _activities(self, batch: Batch, context: Context) -> None:
        if self.third is None:
            self.partnership_generations = {
                key: info.generation for key, info in context.partnerships.items()
            }
            self.third = ThirdMarkets(self.partnership_generations)
        errors = (context.error_rows or {}).get("activities", set())
        columns = [batch[name] for name in ACTIVITY_FIELDS]
        numbers = batch.numbers
        keep: list[bool] | None = None
        if errors and not errors.isdisjoint(numbers):
            keep = [number not in errors for number in numbers]
        if None in columns[0] or None in columns[1] or None in columns[2]:
            placed = [
                p is not None and k is not None and d is not None
                for p, k, d in zip(columns[0], columns[1], columns[2], strict=True)
            ]
            lost = sum(
                1
                for index, ok in enumerate(placed)
                if not ok and (keep is None or keep[index])
            )
            self.unplaced += lost
            keep = placed if keep is None else list(map(min, keep, placed))
        log = context.keys.get("activities")
        if log is not None and log.suspects:
            digests = KeyLog.digests(batch["id"])
            suspect = [digest in log.suspects for digest in digests]
            if any(suspect):
                for index, is_suspect in enumerate(suspect):
                    if is_suspect and (keep is None or keep[index]):
                        row = tuple(column[index] for column in columns)
                        self.held.append((numbers[index], row))
                keep = [
                    (keep is None or keep[index]) and not is_suspect
                    for index, is_suspect in enumerate(suspect)
                ]
        if keep is not None:
            columns = [list(itertools.compress(column, keep)) for column in columns]
        self._add(columns)

    def _add(self, columns: Sequence[Sequence[Any]]) -> None:
        assert self.third is not None  # noqa: S101 - set with the first activities
        if columns[0]:
            self.tally.add(columns, self.scope, self.third)

    # ------------------------------------------------------------ from a Dataset

    def take_dataset(self, ds: Dataset) -> None:
        """Gather the records of a `Dataset` as they are (no validation)."""
        self.generations.update({g.id: g for g in ds.generations})
        for table, fields in _SMALL_FIELDS.items():
            records = ds.table(table)
            getter = attrgetter(*fields)
            if len(fields) == 1:
                self.rows[table] = [
                    (number, getter(record)) for number, record in enumerate(records)
                ]
            else:
                self.rows[table] = [
                    (number, *getter(record)) for number, record in enumerate(records)
                ]
        self.partnership_generations = {
            p.id: self.generations.get(p.generation) for p in ds.partnerships
        }
        self.third = ThirdMarkets(self.partnership_generations)
        # Activities of unknown partnerships are offered too, and excluded at the end.
        # A model keeps its fields in its `__dict__` (pydantic does): read there
        # with `itemgetter`, they come about a quarter faster than by `getattr`.
        stored, values = attrgetter("__dict__"), itemgetter(*ACTIVITY_FIELDS)
        activities = ds.activities
        for start in range(0, len(activities), BATCH_ROWS):
            rows = map(values, map(stored, activities[start : start + BATCH_ROWS]))
            self.tally.add_rows(rows, self.scope, self.third)

    # ------------------------------------------------------------ at the end

    def facts(
        self,
        errors: Mapping[str, set[int]],
        same_smes: Mapping[str, str] | None = None,
    ) -> Facts:
        """Keep the records that passed, now that every error is known.

        `same_smes` maps the ids of SMEs found to repeat an earlier SME
        (CK-DUP-001) to that SME's id.
        """
        for number, row in self.held:
            if number not in errors.get("activities", ()):
                self._held_row(row)
        self.held.clear()
        used: dict[str, int] = {}
        excluded: dict[str, int] = {}
        passed: dict[str, list[tuple[Any, ...]]] = {}
        for table, rows in self.rows.items():
            bad = errors.get(table, set())
            placeable = _PLACEABLE[table]
            passed[table] = [
                row[1:] for row in rows if row[0] not in bad and placeable(row)
            ]
            used[table] = len(passed[table])
            # Rows with an error, and rows without what places them (a missing
            # column, reported once as CK-HDR-001).
            excluded[table] = len(bad) + sum(
                1 for row in rows if row[0] not in bad and not placeable(row)
            )
        clusters: dict[str, str | None] = {}
        for cluster_id, country in passed["clusters"]:
            clusters.setdefault(cluster_id, country)
        good_smes = {row[0] for row in passed["smes"]}
        failed_smes = frozenset(
            row[1]
            for row in self.rows["smes"]
            if row[1] is not None and row[1] not in good_smes
        )
        partnerships = self._partnerships(passed["partnerships"], passed["targets"])
        # Targets of partnerships left out are left out with them.
        orphaned = sum(1 for row in passed["targets"] if row[0] not in partnerships)
        used["targets"] -= orphaned
        excluded["targets"] += orphaned
        offered = self.tally.offered
        kept = sum(n for key, n in offered.items() if key in partnerships)
        used["activities"] = kept
        excluded["activities"] = (
            len(errors.get("activities", ()))
            + self.unplaced
            + sum(offered.values())
            - kept
        )
        return Facts(
            partnerships=partnerships,
            clusters=clusters,
            failed_smes=failed_smes,
            generations=self.generations,
            partnership_ids=frozenset(
                row[1] for row in self.rows["partnerships"] if row[1] is not None
            ),
            generation_ids=frozenset(self.generations)
            | {row[2] for row in self.rows["partnerships"] if row[2] is not None},
            used=used,
            excluded=excluded,
            same_smes=dict(same_smes or {}),
        )

    def _held_row(self, row: ActivityRow) -> None:
        self._add([[value] for value in row])

    def _partnerships(
        self, rows: list[tuple[Any, ...]], targets: list[tuple[Any, ...]]
    ) -> dict[str, PartnershipFacts]:
        found: dict[str, PartnershipFacts] = {}
        declared: dict[str, list[str]] = {}
        for partnership_id, country in targets:  # placeable: both given
            declared.setdefault(partnership_id, []).append(country)
        for (
            partnership_id,
            generation_id,
            funding,
            members,
            coordinator,
            own_start,
            own_end,
            smes_reached,
            ecosystems,
        ) in rows:
            if partnership_id in found:
                continue
            generation = self.generations.get(generation_id)
            start = own_start or (generation.start if generation else None)
            end = own_end or (generation.end if generation else None)
            markets = tuple(
                dict.fromkeys(
                    country
                    for country in declared.get(partnership_id, ())
                    if generation is not None
                    and start is not None
                    and generation.is_third_country(country, start)
                )
            )
            found[partnership_id] = PartnershipFacts(
                id=partnership_id,
                generation=generation_id,
                funding=str(getattr(funding, "value", funding) or "co_funded"),
                members=frozenset(
                    (*(members or ()), *(() if coordinator is None else (coordinator,)))
                ),
                start=start,
                end=end,
                smes_reached=smes_reached,
                # Once each: an ecosystem listed twice is one group, not two.
                ecosystems=tuple(
                    dict.fromkeys(
                        str(getattr(item, "value", item)) for item in ecosystems or ()
                    )
                ),
                targets=markets,
            )
        return found


_SMALL_FIELDS = {
    "clusters": ("id", "country"),
    "smes": ("id",),
    "partnerships": _PARTNERSHIP_FIELDS,
    "targets": ("partnership", "country"),
}


# Whether a row of a small table has what the KPIs need to place it; the row
# is (number, *fields of _SMALL_FIELDS).
_PLACEABLE: dict[str, Callable[[tuple[Any, ...]], bool]] = {
    "clusters": lambda row: row[1] is not None,
    "smes": lambda row: row[1] is not None,
    "partnerships": lambda row: row[1] is not None and row[2] is not None,
    "targets": lambda row: row[1] is not None and row[2] is not None,
}
