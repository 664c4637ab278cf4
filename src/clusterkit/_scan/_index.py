"""Private: what one pass keeps of a dataset — compact indexes, not rows.

Memory grows with the number of distinct ids, not with rows: per table the pass
keeps what later tables and the dataset-wide checks need (a partnership's period
and members, an SME's clusters), a 60-bit digest of every key (to find
duplicates at the end), and the sets of ids that something refers to (to find
orphans). Generations come from the reference data, overridden by the dataset's.
"""

from __future__ import annotations

import datetime as dt
import itertools
import operator
import re
from collections import Counter
from collections.abc import Callable, Collection, Iterable
from itertools import chain
from typing import Any

import attrs

from clusterkit._scan._batch import Batch
from clusterkit.io import TableSource, organisation_key
from clusterkit.models import Generation, reference_generations
from clusterkit.values import Location

__all__ = [
    "ClusterInfo",
    "Indexes",
    "KeyLog",
    "PartnershipInfo",
    "References",
    "SMEInfo",
]

_DIGEST = (1 << 60) - 1


class KeyLog:
    """Which keys of a table may repeat: a 60-bit digest of every key, in a set.

    A million keys take about 64 MB here (a 60-bit int is Python's two-digit
    size) and are checked at C speed, a batch at a time. Keys that share a digest
    are only *suspects*: their rows are read again and compared by their real
    keys, so a shared digest never makes a false finding; with 60 bits, two
    different keys among a million share one about once in two million runs.
    """

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.suspects: set[int] = set()

    @staticmethod
    def digests(keys: Iterable[Any]) -> list[int]:
        """The digest of each key."""
        return list(map(operator.and_, map(hash, keys), itertools.repeat(_DIGEST)))

    def add(self, keys: Iterable[Any]) -> None:
        """Record the keys of a batch (rows without a key share one digest)."""
        digests = self.digests(keys)
        before = len(self.seen)
        # About 25 µs a batch: which digests were seen before this batch.
        earlier = self.seen.intersection(digests)
        self.seen.update(digests)
        if len(self.seen) - before < len(digests):
            # A digest repeats, with an earlier batch or within this one: those
            # digests become suspects, and their rows are compared for real.
            counts = Counter(digests)
            self.suspects.update(earlier)
            self.suspects.update(digest for digest, n in counts.items() if n > 1)


@attrs.frozen
class ClusterInfo:
    """What later checks need of a cluster: its country, its row and its name."""

    country: str | None
    number: int
    name: str | None = None


@attrs.frozen
class SMEInfo:
    """What later checks need of an SME: its clusters, and its row."""

    clusters: tuple[str, ...]
    number: int


@attrs.frozen
class PartnershipInfo:
    """What later checks need of a partnership, its period completed from its generation."""

    id: str
    generation: Generation | None
    members: tuple[str, ...]
    start: dt.date | None
    end: dt.date | None
    number: int


class References:
    """The ids of a table's records that something refers to, noted batch by batch.

    What is asked of it is whether a record of the table is referred to (the
    orphan check). Once at least as many ids were noted as the table has
    records, the records not referred to yet are worked out, once; from then on
    only they are looked for, in a set that shrinks, and once every record is
    referred to, references cost nothing. Until then, each id noted is a
    lookup in a set as large as the table.

    Args:
        records: The table's records by id, complete before the first
            reference is noted (tables are read in order, the referring
            ones last).
    """

    def __init__(self, records: Collection[str]) -> None:
        self._records = records
        self._noted: set[str] = set()
        # The records not referred to yet, once worked out (`None` until then).
        self._unreferenced: set[str] | None = None

    def note(self, ids: Iterable[str]) -> None:
        """Note ids referred to (ids of no record among them are ignored)."""
        unreferenced = self._unreferenced
        if unreferenced is None:
            self._noted.update(ids)
            if len(self._noted) >= len(self._records):
                self._unreferenced = set(self._records).difference(self._noted)
        elif unreferenced:
            unreferenced.difference_update(ids)

    def __contains__(self, key: object) -> bool:
        """Whether `key`, the id of a record, is referred to."""
        if self._unreferenced is None:
            return key in self._noted
        return key in self._noted or key not in self._unreferenced


class Indexes:
    """The indexes of one pass over a dataset, filled batch by batch (`index`)."""

    def __init__(self) -> None:
        self.generations: dict[str, Generation] = {
            generation.id: generation for generation in reference_generations()
        }
        self.generation_rows: dict[str, tuple[TableSource, int]] = {}
        self.clusters: dict[str, ClusterInfo] = {}
        self.smes: dict[str, SMEInfo] = {}
        self.partnerships: dict[str, PartnershipInfo] = {}
        self.sources: dict[str, TableSource] = {}
        # Declared targets: partnership id -> country -> row number.
        self.targets: dict[str, dict[str, int]] = {}
        self.keys: dict[str, KeyLog] = {}
        self.referenced_clusters: set[str] = set()
        self.referenced_smes = References(self.smes)
        self.active_partnerships: set[str] = set()
        self._smes_by_cluster: dict[str | None, set[str]] = {}
        self._smes_indexed = -1
        self._cluster_names: dict[str, dict[str, str]] = {}
        self._names_indexed = -1

    def generation_of(self, generation_id: str | None) -> Generation | None:
        """The generation with this id, from the dataset or the reference data."""
        if generation_id is None:
            return None
        return self.generations.get(generation_id)

    def smes_by_cluster(self) -> dict[str | None, set[str]]:
        """The SMEs of each cluster; under `None`, those that name no cluster."""
        if self._smes_indexed != len(self.smes):  # built again once SMEs were added
            self._smes_by_cluster = {}
            for sme, info in self.smes.items():
                for cluster in info.clusters or (None,):
                    self._smes_by_cluster.setdefault(cluster, set()).add(sme)
            self._smes_indexed = len(self.smes)
        return self._smes_by_cluster

    def cluster_names(self) -> dict[str, dict[str, str]]:
        """The clusters by the key of their name (`organisation_key`): id and how named.

        A name's acronym in brackets, "Tyrrhenian Tourism Cluster (TTC)", is a
        key too, as an `acronym`; the name without it is a `name`. Worked out
        when first asked (a coordinator that is no id), again once clusters
        were added.
        """
        if self._names_indexed != len(self.clusters):
            self._cluster_names = {}
            for cluster_id, info in self.clusters.items():
                for key, how in _name_keys(info.name or ""):
                    self._cluster_names.setdefault(key, {}).setdefault(cluster_id, how)
            self._names_indexed = len(self.clusters)
        return self._cluster_names

    def generation_location(self, generation_id: str) -> Location | None:
        """Where the dataset defines a generation (`None`: reference data)."""
        found = self.generation_rows.get(generation_id)
        return None if found is None else found[0].location(found[1], "id")

    def index(self, batch: Batch) -> None:
        """Remember what later tables and the dataset-wide checks need of a batch."""
        table = batch.table
        self.sources.setdefault(table, batch.source)
        log = self.keys.setdefault(table, KeyLog())
        log.add(batch_keys(batch))
        _INDEXERS[table](self, batch)


_BRACKETS = re.compile(r"\(([^()]*)\)")


def _name_keys(name: str) -> list[tuple[str, str]]:
    """The keys a cluster is known by: its name, without and in brackets."""
    keys = [(organisation_key(name), "name")]
    bracketed = _BRACKETS.findall(name)
    if bracketed:
        keys.append((organisation_key(_BRACKETS.sub(" ", name)), "name"))
        keys.extend((organisation_key(part), "acronym") for part in bracketed)
    return [(key, how) for key, how in keys if key]


def batch_keys(batch: Batch) -> list[Any]:
    """The key of each row: its id, or a target's (partnership, country)."""
    if batch.table == "targets":
        return [batch.entity(index).id for index in range(len(batch.numbers))]
    return batch["id"]


def _generations(indexes: Indexes, batch: Batch) -> None:
    fields = list(Generation.model_fields)
    for index, generation_id in enumerate(batch["id"]):
        if generation_id is None or generation_id in indexes.generation_rows:
            continue
        values = {
            name: batch[name][index]
            for name in fields
            if batch[name][index] is not None
        }
        try:
            generation = Generation.model_validate(values)
        except ValueError:
            continue  # its bad cells were reported while reading
        indexes.generations[generation_id] = generation
        indexes.generation_rows[generation_id] = (batch.source, batch.numbers[index])


def _clusters(indexes: Indexes, batch: Batch) -> None:
    clusters = indexes.clusters
    for cluster_id, country, number, name in zip(
        batch["id"], batch["country"], batch.numbers, batch["name"], strict=True
    ):
        if cluster_id is not None and cluster_id not in clusters:
            clusters[cluster_id] = ClusterInfo(country, number, name)


def _smes(indexes: Indexes, batch: Batch) -> None:
    smes = indexes.smes
    for sme_id, clusters, number in zip(
        batch["id"], batch["clusters"], batch.numbers, strict=True
    ):
        if sme_id is not None and sme_id not in smes:
            smes[sme_id] = SMEInfo(clusters or (), number)
        if clusters:
            indexes.referenced_clusters.update(clusters)


def _partnerships(indexes: Indexes, batch: Batch) -> None:
    partnerships = indexes.partnerships
    rows = zip(
        batch["id"],
        batch["generation"],
        batch["members"],
        batch["coordinator"],
        batch["start"],
        batch["end"],
        batch.numbers,
        strict=True,
    )
    for partnership_id, generation_id, members, coordinator, start, end, number in rows:
        if members:
            indexes.referenced_clusters.update(members)
        if coordinator is not None:
            indexes.referenced_clusters.add(coordinator)
        if partnership_id is None or partnership_id in partnerships:
            continue
        generation = indexes.generation_of(generation_id)
        partnerships[partnership_id] = PartnershipInfo(
            id=partnership_id,
            generation=generation,
            members=members or (),
            start=start or (generation.start if generation else None),
            end=end or (generation.end if generation else None),
            number=number,
        )


def _targets(indexes: Indexes, batch: Batch) -> None:
    for partnership, country, number in zip(
        batch["partnership"], batch["country"], batch.numbers, strict=True
    ):
        if partnership is not None and country is not None:
            indexes.targets.setdefault(partnership, {}).setdefault(country, number)


def _activities(indexes: Indexes, batch: Batch) -> None:
    # Distinct values where known (the checks ask for them too): fewer than rows.
    indexes.active_partnerships.update(batch.distinct("partnership"))
    indexes.referenced_clusters.update(
        chain.from_iterable(filter(None, batch.each_value("clusters")))
    )
    indexes.referenced_smes.note(
        chain.from_iterable(filter(None, batch.each_value("smes")))
    )


_INDEXERS: dict[str, Callable[[Indexes, Batch], None]] = {
    "generations": _generations,
    "clusters": _clusters,
    "smes": _smes,
    "partnerships": _partnerships,
    "targets": _targets,
    "activities": _activities,
}
