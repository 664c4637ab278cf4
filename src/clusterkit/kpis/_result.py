"""Private: KPI results as attrs values, and their JSON form (DESIGN.md §7)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, overload

import attrs

from clusterkit import _frames
from clusterkit._output import surrogates_escaped
from clusterkit.kpis import _tables
from clusterkit.kpis._definitions import CountKPIId, RatioKPIId
from clusterkit.kpis._frames import kpi_frame, kpi_frames
from clusterkit.kpis._market import KPIValue, TargetMarket
from clusterkit.kpis._scope import Scope
from clusterkit.report import Report

__all__ = ["Group", "KPIResult", "RecordCount", "TargetMarket"]


class _ReadsKPIs:
    """`x["kpi_id"]` reads a KPI of `kpis`: typed `int` for a count, `float | None` for a ratio."""

    __slots__ = ()
    kpis: Mapping[str, KPIValue]

    @overload
    def __getitem__(self, kpi: CountKPIId) -> int: ...
    @overload
    def __getitem__(self, kpi: RatioKPIId) -> float | None: ...
    @overload
    def __getitem__(self, kpi: str) -> KPIValue: ...
    def __getitem__(self, kpi: str) -> KPIValue:
        return self.kpis[kpi]


@attrs.frozen
class Group(_ReadsKPIs):
    """The KPIs of one group of a breakdown; `group["kpi_id"]` reads a value.

    Added in version 0.1.0.

    Attributes:
        key: The group's value of each breakdown dimension (`None`: records
            without one, such as activities that target no country).
        kpis: The KPI values by id, in catalogue order.
        activities_by_type: Activities per type, every type listed.
        target_markets: The group's target-market ranking.
    """

    key: Mapping[str, str | int | None]
    kpis: Mapping[str, KPIValue]
    activities_by_type: Mapping[str, int]
    target_markets: tuple[TargetMarket, ...]

    def to_dict(self) -> dict[str, Any]:
        """`{"key", "kpis", "activities_by_type", "target_markets"}`."""
        return {
            "key": dict(self.key),
            "kpis": dict(self.kpis),
            "activities_by_type": dict(self.activities_by_type),
            "target_markets": [market.to_dict() for market in self.target_markets],
        }


@attrs.frozen
class RecordCount:
    """How many records of a table the KPIs used, and how many they left out.

    Added in version 0.1.0.

    Attributes:
        used: Records that passed validation (in scope or not).
        excluded: Records left out: those with an error finding, rows that
            could not be read as records, and activities of partnerships left out.
    """

    used: int
    excluded: int

    @property
    def read(self) -> int:
        """Every record read: used and excluded."""
        return self.used + self.excluded

    def to_dict(self) -> dict[str, int]:
        """`{"read", "used", "excluded"}`."""
        return {"read": self.read, "used": self.used, "excluded": self.excluded}


@attrs.frozen
class KPIResult(_ReadsKPIs):
    """The KPIs of a scope, its breakdown groups, and what was left out.

    Render it with `to_dict` / `to_json` (the structure of DESIGN.md §7),
    `to_table`, `to_markdown` or `to_csv`; read a value with `result["kpi_id"]`
    (typed for type checkers: `int` for a count, `float | None` for a ratio).

    Added in version 0.1.0.

    Attributes:
        scope: The filters and breakdowns.
        reference_data: The version of the reference data used (generations,
            country classifications).
        kpis: The KPI values by id, in catalogue order; a ratio whose
            denominator is 0 is `None` (undefined, not zero).
        activities_by_type: Activities per type, every type listed.
        target_markets: Third countries ranked by partnerships declaring them.
        groups: One per breakdown group, sorted by key; empty without `by`.
        records: Per table, the records used and excluded.
        excluded_by_rule: The number of error findings of each rule; each left
            out a record, or part of a file that could not be read.
        duplicate_smes: The SME ids found to be an earlier SME under another id
            (CK-DUP-001), each with the id it was counted as in
            `smes_involved`; empty without validation. Added in version 0.2.0.
        smes_reached_given: How many partnerships in scope give `smes_reached`:
            the `smes_reached` KPI sums theirs, and counts the others as 0
            (`notes` says so when some do not give it). `None` on a result
            made by hand. Added in version 0.2.0.
        validation: The report of those findings. With `validate=False` it
            holds the findings of reading a path (cells that cannot be read
            still leave their record out), and is `None` for a `Dataset`.
    """

    scope: Scope
    reference_data: str
    kpis: Mapping[str, KPIValue]
    activities_by_type: Mapping[str, int]
    target_markets: tuple[TargetMarket, ...]
    groups: tuple[Group, ...]
    records: Mapping[str, RecordCount]
    excluded_by_rule: Mapping[str, int] = attrs.field(factory=dict)
    duplicate_smes: Mapping[str, str] = attrs.field(factory=dict)
    smes_reached_given: int | None = None
    validation: Report | None = attrs.field(default=None, eq=False, repr=False)

    @property
    def excluded(self) -> int:
        """Records left out, over every table."""
        return sum(count.excluded for count in self.records.values())

    @property
    def notes(self) -> tuple[str, ...]:
        """How records were counted beyond the definitions, one sentence each.

        The SME ids counted as another SME (`duplicate_smes`), the
        partnerships in scope that do not give `smes_reached`
        (`smes_reached_given`), and data without any activity record, whose
        activity KPIs are 0 for want of records, as the text and Markdown
        outputs print them.

        Added in version 0.2.0.

        Examples:
            >>> import clusterkit as ck
            >>> ck.compute_kpis(ck.load_example(), ignore="CK-DATE-004").notes
            ()
        """
        found = (self._duplicates_note(), self._reach_note(), self._activities_note())
        return tuple(note for note in found if note)

    def _duplicates_note(self) -> str | None:
        same = self.duplicate_smes
        if not same:
            return None
        pairs = [f"{later} as {first}" for later, first in same.items()]
        listed = 10  # the pairs a note lists before saying how many more there are
        if len(pairs) > listed:
            pairs[listed:] = [f"and {len(pairs) - listed:,} more"]
        counted = (
            "1 SME id counted as a duplicate of another SME"
            if len(same) == 1
            else f"{len(same):,} SME ids counted as duplicates of other SMEs"
        )
        return f"{counted} (CK-DUP-001): {', '.join(pairs)}"

    def _activities_note(self) -> str | None:
        activities = self.records.get("activities")
        if activities is None or activities.used + activities.excluded:
            return None
        return (
            "The data holds no activity record: the KPIs counted from activities "
            "are 0 for want of records, not counts"
        )

    def _reach_note(self) -> str | None:
        given, partnerships = self.smes_reached_given, self.kpis.get("partnerships")
        if given is None or not isinstance(partnerships, int) or given >= partnerships:
            return None
        if given == 0:
            none = (
                "The partnership in scope does not"
                if partnerships == 1
                else f"None of the {partnerships:,} partnerships in scope"
            )
            return f"{none} give smes_reached: SMEs reached is 0 for want of figures, not a count"
        others = partnerships - given
        return (
            f"SMEs reached sums the {given:,} of {partnerships:,} partnerships in "
            "scope that give smes_reached; "
            + ("the other counts" if others == 1 else f"the other {others:,} count")
            + " as 0"
        )

    @property
    def complete(self) -> bool:
        """Whether every record was read and used: nothing excluded, no error found."""
        return self.excluded == 0 and not self.excluded_by_rule

    def to_dict(self) -> dict[str, Any]:
        """The result as JSON-ready values, as `clusterkit kpis --format json` prints it."""
        data: dict[str, Any] = {
            "scope": self.scope.to_dict(),
            "reference_data": self.reference_data,
            "kpis": dict(self.kpis),
            "activities_by_type": dict(self.activities_by_type),
            "target_markets": [market.to_dict() for market in self.target_markets],
        }
        if self.scope.by:
            data["groups"] = [group.to_dict() for group in self.groups]
        data["records"] = {
            table: count.to_dict() for table, count in self.records.items()
        }
        data["excluded_by_rule"] = dict(self.excluded_by_rule)
        data["duplicate_smes"] = dict(self.duplicate_smes)
        data["smes_reached_given"] = self.smes_reached_given
        data["notes"] = list(self.notes)
        return data

    def to_json(self, *, indent: int | None = 2) -> str:
        """`to_dict()` as JSON text."""
        return surrogates_escaped(
            json.dumps(self.to_dict(), indent=indent, ensure_ascii=False)
        )

    def to_table(self, width: int | None = None) -> str:
        """The result as aligned text tables, for a terminal.

        Args:
            width: Fit lines to this many columns: a wide table wraps its cells,
                or shows each row as a block of `column: value` lines.
        """
        return _tables.text(self, width)

    def to_markdown(self) -> str:
        """The result as Markdown tables, every cell escaped."""
        return _tables.markdown(self)

    def to_csv(self) -> str:
        """The KPIs of the scope and of each group, one row each, as CSV text."""
        return _tables.csv(self)

    def to_frame(self, backend: _frames.Backend = "pandas") -> Any:
        """The KPIs as a DataFrame (or an Arrow table): a row per group, a column per KPI.

        Without a breakdown (`by`), the one row is the scope; with one, each group
        is a row, and the breakdown's dimensions are its first columns (a year as
        an integer, others as text, null for records without one). Then a column
        per count (integer) and per ratio (float, null where undefined), in
        catalogue order.

        Added in version 0.2.0.

        Args:
            backend: `"pandas"`, `"polars"` or `"arrow"` (a `pyarrow.Table`).

        Raises:
            ImportError: The backend's library is not installed (the extra
                `clusterkit-eu[pandas]`, `[polars]` or `[arrow]` installs it).
            ValueError: `backend` is none of those, or a count does not fit
                a 64-bit integer column (the message names it).

        Examples:
            >>> import clusterkit as ck
            >>> result = ck.compute_kpis(ck.io.example_path(), by="generation")
            >>> result.to_frame()[["generation", "partnerships", "activities"]]
              generation  partnerships  activities
            0  escp-4i-1             3          73
            1  escp-4i-2             3          77
        """
        return kpi_frame(self, backend)

    def to_frames(self, backend: _frames.Backend = "pandas") -> dict[str, Any]:
        """The KPIs, activities by type and target markets, as three frames.

        `kpis` is `to_frame()`; `activities_by_type` has a row per group (or the
        scope) and activity type, with the column `activities`;
        `target_markets` a row per group and market in ranking order, with
        the columns `rank`, `country`, `partnerships` and `activities`. Each
        starts with the breakdown's dimensions, as `to_frame()` does.

        Added in version 0.2.0.

        Args:
            backend: `"pandas"`, `"polars"` or `"arrow"` (`pyarrow.Table`s).

        Returns:
            The frames by name: `kpis`, `activities_by_type`, `target_markets`.

        Raises:
            ImportError: The backend's library is not installed.
            ValueError: `backend` is none of those, or a count does not fit
                a 64-bit integer column (the message names it).

        Examples:
            >>> import clusterkit as ck
            >>> frames = ck.compute_kpis(ck.io.example_path()).to_frames("polars")
            >>> frames["target_markets"].row(0)
            (1, 'US', 5, 58)
        """
        return kpi_frames(self, backend)

    def _repr_html_(self) -> str:
        """The result in a notebook: its tables, as `to_markdown` shows them."""
        return _tables.html(self)
