"""`Dataset`: the container of all records, with lookups by id."""

from __future__ import annotations

import functools
from collections.abc import Mapping
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, TypeVar

from pydantic import BaseModel, ConfigDict, SerializeAsAny

from clusterkit import _frames
from clusterkit.errors import DatasetError
from clusterkit.models._base import Record, build_adapters_at_once
from clusterkit.models._frames import Amounts, column_clash, table_columns
from clusterkit.models.activity import ActivityRecord
from clusterkit.models.cluster import Cluster
from clusterkit.models.generation import Generation, reference_generations
from clusterkit.models.partnership import Partnership
from clusterkit.models.sme import SME
from clusterkit.models.target import ThirdCountryTarget
from clusterkit.render import Table, html_table

if TYPE_CHECKING:
    from typing_extensions import Self  # typing's own from Python 3.11

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


# The cached lookups by id (the `functools.cached_property`s below): plain
# dicts, which copy and pickle, left out of pickles and of copies with new tables.
_LOOKUPS = ("_clusters", "_smes", "_partnerships", "_activities", "_generations")


def _by_id(records: tuple[_R, ...]) -> dict[str, _R]:
    # The first record with an id wins; duplicates are the validator's CK-PK-001.
    index: dict[str, _R] = {}
    for record in records:
        index.setdefault(record.id, record)
    return index


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

    # SerializeAsAny: a record is dumped by its own class, so the fields of a
    # subclass read with `models=` are kept (pydantic dumps by the declared type).
    # The JSON schema is the same, and dumping 200,000 activities about 4 % slower.
    generations: tuple[SerializeAsAny[Generation], ...] = ()
    """Generations declared by the dataset (added to or overriding the shipped ones)."""
    clusters: tuple[SerializeAsAny[Cluster], ...] = ()
    """Cluster organisations."""
    smes: tuple[SerializeAsAny[SME], ...] = ()
    """SMEs."""
    partnerships: tuple[SerializeAsAny[Partnership], ...] = ()
    """Partnerships."""
    targets: tuple[SerializeAsAny[ThirdCountryTarget], ...] = ()
    """Third-country targets of the partnerships."""
    activities: tuple[SerializeAsAny[ActivityRecord], ...] = ()
    """Activity records."""

    @functools.cached_property
    def _clusters(self) -> dict[str, Cluster]:
        return _by_id(self.clusters)

    @functools.cached_property
    def _smes(self) -> dict[str, SME]:
        return _by_id(self.smes)

    @functools.cached_property
    def _partnerships(self) -> dict[str, Partnership]:
        return _by_id(self.partnerships)

    @functools.cached_property
    def _activities(self) -> dict[str, ActivityRecord]:
        return _by_id(self.activities)

    @functools.cached_property
    def _generations(self) -> dict[str, Generation]:
        merged = {generation.id: generation for generation in reference_generations()}
        merged.update(_by_id(self.generations))
        return merged

    def model_copy(
        self, *, update: Mapping[str, Any] | None = None, deep: bool = False
    ) -> Self:
        """A copy, with `update`'s tables in place of the dataset's.

        The lookups by id (`cluster`, `sme`, …) are remembered on first use;
        a copy with new tables looks them up afresh, not in the old tables.
        """
        copied = super().model_copy(update=update, deep=deep)
        if update:
            for name in _LOOKUPS:
                copied.__dict__.pop(name, None)
        return copied

    def __getstate__(self) -> dict[Any, Any]:
        """The state to pickle, without the lookups: they are made again on use."""
        state = super().__getstate__()
        fields = state["__dict__"]
        state["__dict__"] = {k: v for k, v in fields.items() if k not in _LOOKUPS}
        return state

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
        return MappingProxyType(self._generations)

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

    def to_frames(
        self, backend: _frames.Backend = "pandas", *, amounts: Amounts = "decimal"
    ) -> dict[str, Any]:
        """Every table as a DataFrame (or an Arrow table), with a column per field.

        Reading the frames back (`load_dataset(frames)`) gives an equal dataset.
        Columns have the dtypes of their fields, a missing value is null:

        | field | pandas | polars | Arrow |
        | --- | --- | --- | --- |
        | ids, text, countries, enumerations (their values) | `string` | `String` | `string` |
        | counts | `Int64` | `Int64` | `int64` |
        | amounts (`amounts="decimal"`) | `object` of `Decimal` | `Decimal(38, s)` | `decimal128(38, s)` |
        | amounts (`amounts="float"`) | `Float64` | `Float64` | `float64` |
        | booleans | `boolean` | `Boolean` | `bool` |
        | dates | `datetime64[s]` | `Date` | `date32` |
        | lists (`clusters`, `ecosystems`, …) | `object` of `list` | `List(String)` | `list<string>` |
        | `max_grant_eur` (a mapping) | `object` of `dict` | `List(Struct(key, value))` | `map<string, decimal>` |

        A decimal column has as many places as its values need, at least two
        (`s`). The start or end of a period holds the day it stands for (the
        first or last of its month or year) and is followed by a column
        `<field>_precision`: `year`, `month` or `day`, null when the date is.

        Records of a subclass of a table's model (see `load_dataset(...,
        models=...)`) add a column per field of their own, after the table's,
        in the order of the records that first have them, named as the field
        is read (its alias, if it has one); a record without the field, such as
        one of the plain model in the same table, has null there. A float is a
        float column, a mapping to other values than amounts has text values
        (`map<string, string>`), and a value of another type (a `datetime`, the
        items of a list of numbers) is given as its text, which the subclass
        reads back: `load_dataset(frames, models=...)` gives an equal dataset.
        A column has one name and one type: two record types of a table that
        declare a field by different aliases, or with types of different
        columns (`int` and `str`; a list of numbers beside a list of text is a
        list of text), or two fields by one name, are refused.

        Added in version 0.2.0.

        Args:
            backend: `"pandas"`, `"polars"` or `"arrow"` (`pyarrow.Table`s).
            amounts: `"decimal"` (exact) or `"float"`.

        Returns:
            One frame per table, by table name, in table order.

        Raises:
            ImportError: The backend's library is not installed (the extra
                `clusterkit-eu[pandas]`, `[polars]` or `[arrow]` installs it).
            ValueError: `backend` or `amounts` is not one of the above.
            DatasetError: A value no column of its type holds: a count beyond
                a 64-bit integer, or (polars and Arrow, `amounts="decimal"`) an
                amount with more than 38 digits at its column's decimal places;
                named by table, row and field. Or two record types of a table
                that make different columns of one field, or one column of two
                fields, named by table, field and classes.

        Examples:
            >>> ds = Dataset(clusters=[{"id": "C1", "name": "Example", "country": "DE"}])
            >>> frames = ds.to_frames("pandas")
            >>> frames["clusters"][["id", "country", "members_total"]]
               id country  members_total
            0  C1      DE           <NA>
        """
        if amounts not in {"decimal", "float"}:
            msg = f"amounts must be 'decimal' or 'float', not {amounts!r}"
            raise ValueError(msg)
        _frames.require(backend)
        for name, model in TABLES.items():
            clash = column_clash(model, self.table(name))
            if clash is not None:
                msg = f"{name}: {clash}; no frame was built"
                raise DatasetError(msg)
        tables = {
            name: table_columns(model, self.table(name), amounts)
            for name, model in TABLES.items()
        }
        for name, columns in tables.items():
            problem = _frames.unfit(backend, columns)
            if problem is not None:
                msg = f"{name} {problem}; no frame was built"
                raise DatasetError(msg)
        return {name: _frames.build(backend, tables[name]) for name in tables}

    def _repr_html_(self) -> str:
        """The dataset in a notebook: its tables and their numbers of records."""
        table = Table.of(
            ["table", "records"],
            [[name, f"{count:,}"] for name, count in self.counts.items()],
            title="Dataset",
        )
        return html_table(table)


build_adapters_at_once(Dataset)
