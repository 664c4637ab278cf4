"""`Dataset`: the container of all records, with lookups by id."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import TypeVar

from pydantic import BaseModel, ConfigDict

from clusterkit.models._base import Record, build_adapters_at_once
from clusterkit.models.activity import ActivityRecord
from clusterkit.models.cluster import Cluster
from clusterkit.models.generation import Generation, reference_generations
from clusterkit.models.partnership import Partnership
from clusterkit.models.sme import SME
from clusterkit.models.target import ThirdCountryTarget

__all__ = ["TABLES", "Dataset"]

TABLES: Mapping[str, type[Record]] = MappingProxyType(
    {
        "generations": Generation,
        "clusters": Cluster,
        "smes": SME,
        "partnerships": Partnership,
        "targets": ThirdCountryTarget,
        "activities": ActivityRecord,
    }
)
"""The tables of a dataset, in file order, with the model of each table's rows."""

_R = TypeVar("_R", Generation, Cluster, SME, Partnership, ActivityRecord)


def _by_id(records: tuple[_R, ...]) -> Mapping[str, _R]:
    # The first record with an id wins; duplicates are the validator's CK-PK-001.
    index: dict[str, _R] = {}
    for record in records:
        index.setdefault(record.id, record)
    return MappingProxyType(index)


class Dataset(BaseModel):
    """All the records of a dataset: generations, clusters, SMEs, partnerships, targets and activities.

    Building a dataset never raises for problems across records (a duplicate id, a
    reference to a missing cluster): those are the validator's job. Lookups by id
    return the first record with that id.

    `generations` holds the generations the dataset itself declares; `generation`
    looks there first and then in the shipped reference data, so a dataset may add
    or override generations.

    Added in version 0.1.0.

    Examples:
        >>> ds = Dataset(clusters=[{"id": "DE-001", "name": "Example", "country": "DE"}])
        >>> ds.cluster("DE-001").country
        'DE'
        >>> ds.generation("escp-4i-1").call_id
        'COS-CLUSTER-2014-3-03'
    """

    model_config = ConfigDict(frozen=True, extra="forbid", defer_build=True)

    generations: tuple[Generation, ...] = ()
    """Generations declared by the dataset (added to or overriding the shipped ones)."""
    clusters: tuple[Cluster, ...] = ()
    """Cluster organisations."""
    smes: tuple[SME, ...] = ()
    """SMEs."""
    partnerships: tuple[Partnership, ...] = ()
    """Partnerships."""
    targets: tuple[ThirdCountryTarget, ...] = ()
    """Third-country targets of the partnerships."""
    activities: tuple[ActivityRecord, ...] = ()
    """Activity records."""

    @functools.cached_property
    def _clusters(self) -> Mapping[str, Cluster]:
        return _by_id(self.clusters)

    @functools.cached_property
    def _smes(self) -> Mapping[str, SME]:
        return _by_id(self.smes)

    @functools.cached_property
    def _partnerships(self) -> Mapping[str, Partnership]:
        return _by_id(self.partnerships)

    @functools.cached_property
    def _activities(self) -> Mapping[str, ActivityRecord]:
        return _by_id(self.activities)

    @functools.cached_property
    def _generations(self) -> Mapping[str, Generation]:
        merged = {generation.id: generation for generation in reference_generations()}
        merged.update(_by_id(self.generations))
        return MappingProxyType(merged)

    def cluster(self, cluster_id: str, /) -> Cluster:
        """The cluster with this id.

        Raises:
            KeyError: No cluster has this id.
        """
        return self._clusters[cluster_id]

    def sme(self, sme_id: str, /) -> SME:
        """The SME with this id.

        Raises:
            KeyError: No SME has this id.
        """
        return self._smes[sme_id]

    def partnership(self, partnership_id: str, /) -> Partnership:
        """The partnership with this id.

        Raises:
            KeyError: No partnership has this id.
        """
        return self._partnerships[partnership_id]

    def activity(self, activity_id: str, /) -> ActivityRecord:
        """The activity with this id.

        Raises:
            KeyError: No activity has this id.
        """
        return self._activities[activity_id]

    def generation(self, generation_id: str, /) -> Generation:
        """The generation with this id, from the dataset or else the reference data.

        Raises:
            KeyError: Neither the dataset nor the reference data has this id.
        """
        return self._generations[generation_id]

    @property
    def all_generations(self) -> Mapping[str, Generation]:
        """Every generation in effect: the shipped ones, overridden by the dataset's."""
        return self._generations

    def targets_of(self, partnership_id: str, /) -> tuple[ThirdCountryTarget, ...]:
        """The declared third-country targets of one partnership."""
        return tuple(t for t in self.targets if t.partnership == partnership_id)

    def activities_of(self, partnership_id: str, /) -> tuple[ActivityRecord, ...]:
        """The activities of one partnership."""
        return tuple(a for a in self.activities if a.partnership == partnership_id)

    def table(self, name: str, /) -> tuple[Record, ...]:
        """The records of one table, by its name in `TABLES`.

        Raises:
            ValueError: `name` is not a table name.
        """
        if name not in TABLES:
            msg = f"unknown table {name!r}; tables are {', '.join(TABLES)}"
            raise ValueError(msg)
        records: tuple[Record, ...] = getattr(self, name)
        return records

    @property
    def counts(self) -> dict[str, int]:
        """Number of records per table, in table order."""
        return {name: len(self.table(name)) for name in TABLES}


build_adapters_at_once(Dataset)
