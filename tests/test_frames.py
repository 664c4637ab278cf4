"""DataFrames both ways (`clusterkit._frames` and the methods built on it, issue 15).

`Dataset.to_frames`, `KPIResult.to_frame(s)` and `Report.to_frame` in pandas,
polars and Arrow, with their dtypes; a mapping of DataFrames read as a source by
`load_dataset`, `validate` and `compute_kpis`, every library's missing values
and numpy scalars included; frames and datasets round-trip exactly; and the
notebook displays (`_repr_html_`) escape what they show.
"""

from __future__ import annotations

import datetime as dt
import doctest
import fractions
import importlib
import re
import sys
from collections.abc import Callable
from decimal import Decimal
from typing import Any

import attrs
import numpy as np
import pandas as pd
import polars as pl
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit import _frames
from clusterkit.io._frames import FrameRows, _mapping, _reduced
from clusterkit.io._problems import raise_problem
from clusterkit.kpis._frames import FRAMES
from clusterkit.testing import datasets

BACKENDS = pytest.mark.parametrize("backend", _frames.BACKENDS)
AS_OF = dt.date(2026, 1, 1)


def equal_frames(left: Any, right: Any) -> bool:
    """Whether two frames of one library are equal, dtypes and values."""
    if isinstance(left, pd.DataFrame):
        pd.testing.assert_frame_equal(left, right)
        return True
    return bool(left.equals(right))


def dtypes(frame: Any) -> dict[str, str]:
    """Each column's dtype, as its library spells it."""
    if isinstance(frame, pd.DataFrame):
        return {str(name): str(dtype) for name, dtype in frame.dtypes.items()}
    if isinstance(frame, pl.DataFrame):
        return {name: str(dtype) for name, dtype in frame.schema.items()}
    return {field.name: str(field.type) for field in frame.schema}


GENERATION = ck.Generation(
    id="g1",
    name="One",
    family="f",
    programme="COSME",
    start=dt.date(2020, 1, 1),
    end=dt.date(2021, 12, 31),
    strands=("a", "b"),
    voluntary_allowed=True,
    max_grant_eur={"1": Decimal("1000.5"), "2": Decimal(3)},
)

SMALL = ck.Dataset(
    generations=(GENERATION,),
    clusters=[
        {"id": "C1", "name": "One", "country": "DE", "ecosystems": ["digital"]},
    ],
    smes=[{"id": "S1", "name": "Sme", "country": "FR", "turnover_eur": "12.345"}],
    partnerships=[
        {
            "id": "P1",
            "acronym": "P",
            "name": "Partners",
            "generation": "g1",
            "members": ["C1"],
            "start": "2020-02",
            "end": "2021",
            "grant_eur": 1000,
        }
    ],
    targets=[{"partnership": "P1", "country": "US", "since": "2020"}],
    activities=[
        {
            "id": "A1",
            "partnership": "P1",
            "type": "business_mission",
            "start": "2020-03-04",
            "clusters": ["C1"],
            "smes": ["S1"],
            "smes_involved": 1,
        }
    ],
)

# ---------------------------------------------------------------- Dataset.to_frames

PANDAS_ACTIVITIES = {
    "id": "string",
    "partnership": "string",
    "type": "string",
    "start": "datetime64[s]",
    "start_precision": "string",
    "end": "datetime64[s]",
    "end_precision": "string",
    "title": "string",
    "target_country": "string",
    "host_country": "string",
    "city": "string",
    "clusters": "object",
    "smes": "object",
    "smes_involved": "Int64",
    "b2b_meetings": "Int64",
    "c2c_meetings": "Int64",
    "mous_signed": "Int64",
    "collaboration_projects": "Int64",
    "notes": "string",
}


def test_pandas_dtypes() -> None:
    """Frames of pandas have nullable dtypes; decimals, lists and mappings are objects."""
    frames = SMALL.to_frames()
    assert list(frames) == list(ck.models.TABLES)
    assert dtypes(frames["activities"]) == PANDAS_ACTIVITIES
    partnerships = dtypes(frames["partnerships"])
    assert partnerships["grant_eur"] == "object"
    assert partnerships["members_partial"] == "boolean"
    assert dtypes(frames["generations"])["max_grant_eur"] == "object"
    row = frames["partnerships"].iloc[0]
    assert row["start"] == pd.Timestamp("2020-02-01")
    assert row["start_precision"] == "month"
    assert row["end"] == pd.Timestamp("2021-12-31")
    assert row["end_precision"] == "year"
    assert row["members"] == ["C1"]
    assert row["grant_eur"] == Decimal(1000)
    assert row["smes_reached"] is pd.NA
    activity = frames["activities"].iloc[0]
    assert activity["start_precision"] == "day"
    assert activity["end"] is pd.NaT
    assert activity["end_precision"] is pd.NA


def test_polars_dtypes() -> None:
    """Frames of polars have Date, Decimal with the places needed, lists and structs."""
    frames = SMALL.to_frames("polars")
    assert dtypes(frames["smes"])["turnover_eur"] == "Decimal(precision=38, scale=3)"
    assert dtypes(frames["partnerships"])["start"] == "Date"
    assert dtypes(frames["partnerships"])["members"] == "List(String)"
    assert dtypes(frames["generations"])["max_grant_eur"] == (
        "List(Struct({'key': String, 'value': Decimal(precision=38, scale=2)}))"
    )
    assert dtypes(frames["clusters"])["kind"] == "String"
    assert frames["clusters"]["ecosystems"].to_list() == [["digital"]]


def test_arrow_dtypes_and_floats() -> None:
    """Arrow tables have date32, decimal128 and map types; floats on request."""
    frames = SMALL.to_frames("arrow")
    assert dtypes(frames["partnerships"])["grant_eur"] == "decimal128(38, 2)"
    assert dtypes(frames["activities"])["start"] == "date32[day]"
    floats = SMALL.to_frames("arrow", amounts="float")
    assert dtypes(floats["smes"])["turnover_eur"] == "double"
    assert dtypes(floats["generations"])["max_grant_eur"] == "map<string, double>"
    assert floats["generations"]["max_grant_eur"].to_pylist() == [
        [("1", 1000.5), ("2", 3.0)]
    ]
    pandas = SMALL.to_frames("pandas", amounts="float")
    assert dtypes(pandas["smes"])["turnover_eur"] == "Float64"
    assert pandas["generations"]["max_grant_eur"][0] == {"1": 1000.5, "2": 3.0}


@BACKENDS
def test_an_empty_dataset_has_typed_empty_frames(backend: _frames.Backend) -> None:
    """Every table has its columns and dtypes even with no record."""
    frames = ck.Dataset().to_frames(backend)
    full = SMALL.to_frames(backend)
    for name, frame in frames.items():
        assert len(frame) == 0
        assert list(dtypes(frame)) == list(dtypes(full[name]))
        if backend == "pandas":  # elsewhere a decimal's places follow its values
            assert dtypes(frame) == dtypes(full[name])


def test_bad_arguments_are_refused() -> None:
    """An unknown backend or amounts option is a ValueError."""
    with pytest.raises(ValueError, match="unknown backend 'spark'"):
        SMALL.to_frames("spark")  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="amounts must be"):
        SMALL.to_frames(amounts="int")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("backend", "module"),
    [("pandas", "pandas"), ("polars", "polars"), ("arrow", "pyarrow")],
)
def test_a_missing_library_names_its_extra(
    monkeypatch: pytest.MonkeyPatch, backend: _frames.Backend, module: str
) -> None:
    """Without the library, every method raises an ImportError naming the extra."""
    monkeypatch.setitem(sys.modules, module, None)
    calls: list[Callable[[], object]] = [
        lambda: SMALL.to_frames(backend),
        lambda: ck.validate({}).to_frame(backend),
        lambda: ck.compute_kpis(SMALL).to_frame(backend),
    ]
    for call in calls:
        with pytest.raises(ImportError, match=rf"clusterkit-eu\[{backend}\]") as raised:
            call()
        assert raised.value.name == module


def test_import_clusterkit_imports_no_frame_library() -> None:
    """`import clusterkit` loads none of pandas, polars, pyarrow (they are lazy)."""
    code = (
        "import sys, clusterkit; "
        "print(sorted({'pandas', 'polars', 'pyarrow', 'numpy'} & set(sys.modules)))"
    )
    import subprocess  # noqa: PLC0415 - only this test runs a process

    done = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    assert done.stdout.strip() == "[]"


# ---------------------------------------------------------------- round trips


@BACKENDS
@pytest.mark.parametrize("amounts", ["decimal", "float"])
def test_the_small_dataset_round_trips(backend: _frames.Backend, amounts: Any) -> None:
    """Dataset → frames → Dataset is equal, partial dates and mappings included."""
    back = ck.load_dataset(SMALL.to_frames(backend, amounts=amounts))
    assert back == SMALL
    assert back.partnerships[0].start == ck.PartialDate.first_day(2020, 2)
    assert str(back.partnerships[0].end) == "2021"


@settings(max_examples=30, deadline=None)
@given(dataset=datasets())
def test_datasets_and_frames_round_trip(dataset: ck.Dataset) -> None:
    """For each backend: Dataset → frames → Dataset is equal, frames → … → frames too."""
    for backend in _frames.BACKENDS:
        frames = dataset.to_frames(backend)
        back = ck.load_dataset(frames)
        assert back == dataset, backend
        for name, frame in back.to_frames(backend).items():
            assert equal_frames(frame, frames[name]), (backend, name)
        partial = [
            value
            for record in back.partnerships + back.activities
            for value in (record.start, record.end)
            if isinstance(value, ck.PartialDate)
        ]
        given_partial = [
            value
            for record in dataset.partnerships + dataset.activities
            for value in (record.start, record.end)
            if isinstance(value, ck.PartialDate)
        ]
        assert [(v, v.precision) for v in partial] == [
            (v, v.precision) for v in given_partial
        ]


# ---------------------------------------------------------------- frames as a source


def test_findings_name_table_row_and_column() -> None:
    """A bad cell of a frame is located by table, row position and column."""
    frames = SMALL.to_frames()
    activities = frames["activities"].copy()
    activities.index = [10]  # the position counts, not the label
    activities.loc[10, "partnership"] = "P9"
    activities.loc[10, "start"] = pd.NaT
    activities["extra"] = 1
    frames["activities"] = activities
    report = ck.validate(frames, as_of=AS_OF)
    found = {(f.rule, f.location.pointer, f.location.field) for f in report.findings}
    assert ("CK-FK-001", "/activities/0/partnership", "partnership") in found
    assert ("CK-TYPE-001", "/activities/0/start", "start") in found
    assert ("CK-HDR-002", "/activities/0/extra", "extra") in found
    assert {f.location.file for f in report.findings} == {"<frames>"}
    assert ck.validate(frames, name="mine").findings[0].location.file == "mine"
    assert ck.io.source_name(frames) == "<frames>"


def test_every_library_value_reads() -> None:
    """Missing values of each kind, numpy scalars and arrays, timestamps, text dates."""
    activities = pd.DataFrame(
        {
            "id": ["A1", "A2", "A3", "A4"],
            "partnership": ["P1"] * 4,
            "type": ["webinar", "business_mission", "webinar", "webinar"],
            "start": [
                pd.Timestamp("2020-01-02"),
                dt.date(2020, 2, 1),
                "2020-03",
                np.datetime64("2020-04-05"),
            ],
            "end": [pd.NaT, None, np.nan, np.datetime64("NaT")],
            "smes_involved": [3, np.nan, 4.0, pd.NA],
            "clusters": [np.array(["C1"]), ["C1"], (), None],
            "b2b_meetings": np.array([1, 2, 3, 4], dtype=np.int32),
        }
    )
    partnerships = pd.DataFrame(
        {
            "id": ["P1"],
            "acronym": ["P"],
            "name": ["N"],
            "generation": ["escp-4i-1"],
            "members": [["C1"]],
            "members_partial": [np.bool_(1)],
            "grant_eur": [np.float64(12.5)],
        }
    )
    clusters = pl.DataFrame(
        {"id": ["C1"], "name": ["C"], "country": ["DE"], "members_total": [np.nan]}
    )
    ds, report = ck.load_dataset(
        {"activities": activities, "partnerships": partnerships, "clusters": clusters},
        errors="report",
    )
    assert [f.rule for f in report.findings] == ["CK-DATE-005"]
    starts = [activity.start for activity in ds.activities]
    assert starts == [
        dt.date(2020, 1, 2),
        dt.date(2020, 2, 1),
        ck.PartialDate.first_day(2020, 3),
        dt.date(2020, 4, 5),
    ]
    assert [a.end for a in ds.activities] == [None] * 4
    assert [a.smes_involved for a in ds.activities] == [3, None, 4, None]
    assert [a.clusters for a in ds.activities] == [("C1",), ("C1",), (), ()]
    assert [a.b2b_meetings for a in ds.activities] == [1, 2, 3, 4]
    assert ds.partnerships[0].members_partial is True
    assert ds.partnerships[0].grant_eur == Decimal("12.5")
    assert ds.clusters[0].members_total is None


def test_lazy_frames_and_arrow_batches_read() -> None:
    """A polars LazyFrame and an Arrow RecordBatch are frames too."""
    lazy = pl.DataFrame({"id": ["C1"], "name": ["C"], "country": ["DE"]}).lazy()
    batch = pa.RecordBatch.from_pydict({"id": ["S1"], "name": ["S"], "country": ["FR"]})
    ds = ck.load_dataset({"clusters": lazy, "smes": batch})
    assert ds.counts["clusters"] == ds.counts["smes"] == 1
    assert repr(FrameRows("clusters", lazy)) == "<rows of clusters: id, name, country>"


def test_frames_and_records_mix() -> None:
    """A mapping may hold records for one table and a frame for another."""
    source = {
        "clusters": [{"id": "C1", "name": "C", "country": "DE"}],
        "smes": pd.DataFrame({"id": ["S1"], "name": ["S"], "country": ["FR"]}),
        "nonsense": pd.DataFrame({"a": [1]}),
    }
    ds, report = ck.load_dataset(source, errors="report")
    assert ds.counts["clusters"] == ds.counts["smes"] == 1
    assert [(f.rule, f.location.pointer) for f in report.findings] == [
        ("CK-FILE-001", "/nonsense")
    ]


def test_kpis_of_frames() -> None:
    """`compute_kpis` of the example's frames gives the example's KPIs."""
    example = ck.load_example()
    for backend in _frames.BACKENDS:
        result = ck.compute_kpis(example.to_frames(backend), as_of=AS_OF)
        assert result.kpis == ck.compute_kpis(example, as_of=AS_OF).kpis


def test_frame_rows_are_a_sequence() -> None:
    """Rows index and slice; a frame without columns has empty rows."""
    rows = FrameRows("smes", pd.DataFrame({"id": ["S1", "S2"]}))
    assert len(rows) == 2
    assert rows[1] == {"id": "S2"}
    assert rows[:1] == [{"id": "S1"}]
    assert list(FrameRows("smes", pd.DataFrame(index=range(2)))) == [{}, {}]
    # A frame of no table is read as it is (the readers report and skip it).
    assert list(FrameRows("nonsense", pd.DataFrame({"a": [1]}))) == [{"a": 1}]


def test_precision_and_mapping_cells() -> None:
    """A precision turns a date into a month or year; mappings come in three shapes."""
    day = dt.date(2016, 2, 1)
    assert _reduced(day, "year") == "2016"
    assert _reduced(day, "month") == "2016-02"
    assert _reduced(day, "day") is day
    assert _reduced(day, "fortnight") is day
    assert _reduced(None, "year") is None
    assert _reduced("2016-02-01", "month") == "2016-02-01"
    assert _mapping({"a": 1}) == ({"a": 1}, [], [])
    assert _mapping([{"key": "a", "value": 1}]) == ({"a": 1}, [], [])
    assert _mapping([["a", 1]]) == ({"a": 1}, [], [])
    assert _mapping(["a=1"]) == (["a=1"], [], [])


class _Collected(list[tuple[str, str, str]]):
    """A reporter that keeps each problem as (rule, location, message)."""

    def __call__(
        self, rule: Any, location: ck.Location, message: str, **_: Any
    ) -> None:
        self.append((rule.id, str(location), message))


def _problems(table: str, frame: Any) -> tuple[list[dict[str, Any]], _Collected]:
    """The rows of a frame after its problems are reported, and the problems."""
    rows = FrameRows(table, frame)
    found = _Collected()
    rows.report_problems("<frames>", found)
    return list(rows), found


CLUSTER = {"id": ["C1"], "name": ["One"], "country": ["DE"]}
GENERATION_ROW = {
    "id": ["g1"],
    "name": ["G"],
    "family": ["F"],
    "programme": ["COSME"],
    "start": ["2020-01-01"],
    "end": ["2021-01-01"],
}


def test_a_longdouble_reads_without_looping() -> None:
    """A `longdouble` reads as a float when one holds it, else as its decimal."""
    wide = np.longdouble
    assert _frames.cell(wide(5)) == 5.0
    assert type(_frames.cell(wide(5))) is float
    assert _frames.cell(wide("0.1")) == Decimal("0.1")
    assert _frames.cell(wide("1e4000")) == Decimal("1e4000")
    assert _frames.cell(wide("-1e-4000")) == Decimal("-1e-4000")
    assert _frames.cell(wide("nan")) is None
    assert _frames.cell(wide("inf")) == float("inf")
    assert _frames.cell(wide("-inf")) == float("-inf")
    assert _frames.cell(np.array([wide(2.5)])) == [2.5]
    # No Python value is a complex longdouble: kept, for the field to refuse.
    complex_wide = np.clongdouble(5)
    assert _frames.cell(complex_wide) is complex_wide
    frame = pd.DataFrame({**CLUSTER, "members_total": [wide(5)]})
    assert ck.load_dataset({"clusters": frame}).clusters[0].members_total == 5
    assert ck.compute_kpis({"clusters": frame}, as_of=AS_OF)["partnerships"] == 0
    frame = pd.DataFrame({**CLUSTER, "members_total": [np.clongdouble(5)]})
    findings = ck.validate({"clusters": frame}, as_of=AS_OF).findings
    assert [
        (f.rule, f.location.field) for f in findings if f.rule != "CK-ORPHAN-001"
    ] == [("CK-TYPE-001", "members_total")]


@settings(max_examples=200, deadline=None)
@given(value=st.floats(allow_nan=False) | st.decimals(allow_nan=False, places=20))
def test_a_longdouble_loses_no_digit(value: float | Decimal) -> None:
    """What a `longdouble` reads as is the `longdouble` it was, exactly."""
    wide = np.longdouble(str(value))
    read = _frames.cell(wide)
    assert isinstance(read, (float, Decimal))
    assert np.longdouble(str(read)) == wide


def test_a_key_that_is_no_key_is_a_finding_at_the_cell() -> None:
    """A mapping cell whose key is a list is CK-TYPE-001 there, the cell left out."""
    pairs = pd.DataFrame(
        {**GENERATION_ROW, "max_grant_eur": [[{"key": ["x"], "value": 1}]]}
    )
    arrow = pa.table(
        {
            **GENERATION_ROW,
            "max_grant_eur": pa.array(
                [[(["x"], 1.0)]], type=pa.map_(pa.list_(pa.string()), pa.float64())
            ),
        }
    )
    for frame in (pairs, arrow):
        rows, found = _problems("generations", frame)
        assert found == [
            (
                "CK-TYPE-001",
                "<frames> at /generations/0/max_grant_eur (max_grant_eur)",
                (
                    "max_grant_eur: the key ['x'] is a list, not text; the mapping "
                    "was left out"
                ),
            )
        ]
        assert "max_grant_eur" not in rows[0]
        # Read without the report, the cell is as given, and the model refuses it.
        report = ck.validate({"generations": frame}, as_of=AS_OF)
        assert [(f.rule, f.location.field) for f in report.findings] == [
            ("CK-TYPE-001", "max_grant_eur")
        ]
    assert _mapping([[{"a": 1}, 2]]) == ([[{"a": 1}, 2]], [], [{"a": 1}])


def test_duplicate_columns_are_reported_and_the_later_ignored() -> None:
    """A second column of one name is CK-HDR-003, as in a CSV file; the first is read."""
    frame = pd.DataFrame(
        [["C1", "Real name", "DE", "Other name"]],
        columns=["id", "name", "country", "name"],
    )
    arrow = pa.table(
        [pa.array([text]) for text in ("C1", "Real name", "DE", "Other name")],
        names=["id", "name", "country", "name"],
    )
    for doubled in (frame, arrow):
        assert _frames.column_values(doubled)["name"] == ["Real name"]
        rows, found = _problems("clusters", doubled)
        assert rows == [{"id": "C1", "name": "Real name", "country": "DE"}]
        assert found == [
            (
                "CK-HDR-003",
                "<frames> at /clusters (name)",
                "duplicate column 'name' (also column 2); this column is ignored",
            )
        ]
        strict = FrameRows("clusters", doubled)
        with pytest.raises(
            ck.DatasetReadError, match="duplicate column 'name'"
        ) as raised:
            strict.report_problems("<frames>", raise_problem)
        assert raised.value.location == ck.Location(
            file="<frames>", column=4, pointer="/clusters", field="name"
        )
        # Every reader says so: the strict load refuses it, the others report
        # it and read the first column, never the later one silently.
        with pytest.raises(ck.DatasetReadError, match="duplicate column 'name'"):
            ck.load_dataset({"clusters": doubled})
        loaded = ck.load_dataset({"clusters": doubled}, errors="report")
        assert loaded.dataset.clusters[0].name == "Real name"
        assert [f.rule for f in loaded.report.findings] == ["CK-HDR-003"]
        report = ck.validate({"clusters": doubled}, as_of=AS_OF)
        (duplicate,) = [f for f in report.findings if f.rule == "CK-HDR-003"]
        assert duplicate.location == ck.Location(
            file="<frames>", column=4, pointer="/clusters", field="name"
        )
    # polars refuses two columns of one name itself.
    with pytest.raises(pl.exceptions.DuplicateError):
        pl.DataFrame([pl.Series("a", [1]), pl.Series("a", [2])])
    # A frame of no table is not checked (the readers report and skip it).
    assert _problems("nonsense", frame)[1] == []


def test_a_key_given_twice_in_a_mapping_cell_is_reported() -> None:
    """A key given twice is CK-HDR-004, as in a JSON record; its last value is read."""
    twice = [("a", 1.0), ("a", 2.0), ("b", 3.0), ("a", 4.0)]
    arrow = pa.table(
        {
            **GENERATION_ROW,
            "max_grant_eur": pa.array([twice], type=pa.map_(pa.string(), pa.float64())),
        }
    )
    polars = pl.DataFrame(
        {
            **GENERATION_ROW,
            "max_grant_eur": [[{"key": k, "value": v} for k, v in twice]],
        }
    )
    for frame in (arrow, polars):
        rows, found = _problems("generations", frame)
        assert rows[0]["max_grant_eur"] == {"a": 4.0, "b": 3.0}
        report = ck.validate({"generations": frame}, as_of=AS_OF)
        assert [(f.rule, f.location.field) for f in report.findings] == [
            ("CK-HDR-004", "max_grant_eur")
        ]
        assert found == [
            (
                "CK-HDR-004",
                "<frames> at /generations/0/max_grant_eur (max_grant_eur)",
                (
                    "max_grant_eur: key 'a' is given more than once in this "
                    "mapping; only its last value was read"
                ),
            )
        ]


def test_a_date_beyond_python_dates_is_a_finding() -> None:
    """A date of year 20000 is CK-TYPE-001 saying so, not a number; the cell left out."""
    beyond = np.datetime64("20000-01-01")
    assert _frames.cell(beyond) is beyond
    assert _frames.unreadable(beyond) == (
        "'20000-01-01' is a date outside the range Python dates take (years 1 to 9999)"
    )
    assert _frames.cell(np.datetime64("-0005-01-01")) == np.datetime64("-0005-01-01")
    assert _frames.cell(np.datetime64(10**17, "Y")) == np.datetime64(10**17, "Y")
    assert _frames.cell(np.datetime64("0001-01-01")) == dt.date(1, 1, 1)
    # A pandas Timestamp of seconds reaches beyond Python's years too.
    late = _frames.cell(pd.Timestamp(np.datetime64("12000-01-01", "s")))
    assert late == np.datetime64("12000-01-01T00:00:00")
    assert _frames.unreadable(late) == (
        "'12000-01-01T00:00:00' is a date outside the range Python dates take "
        "(years 1 to 9999)"
    )
    assert _frames.unreadable(dt.date(2020, 1, 1)) is None
    base = {"id": ["A1", "A2"], "partnership": ["P1"] * 2, "type": ["webinar"] * 2}
    days = pa.array([18_000 * 366, 18_262], type=pa.int32())  # 18262: 2020-01-01
    frames = {
        "pandas": pd.DataFrame(
            {**base, "start": [beyond, np.datetime64("2020-01-01")]}
        ),
        "object": pd.DataFrame(
            {**base, "start": pd.Series([beyond, "2020-01-01"], dtype=object)}
        ),
        "arrow": pa.table({**base, "start": days.cast(pa.date32())}),
        "polars": pl.DataFrame({**base, "start": pl.Series(days).cast(pl.Date)}),
    }
    for kind, frame in frames.items():
        rows, found = _problems("activities", frame)
        assert [(rule, where) for rule, where, _ in found] == [
            ("CK-TYPE-001", "<frames> at /activities/0/start (start)")
        ], kind
        assert (
            "is a date outside the range Python dates take (years 1 to 9999)"
            in (found[0][2])
        )
        assert "start" not in rows[0]
        report = ck.validate({"activities": frame}, as_of=AS_OF)
        # One finding: the reader's, not also "empty" for the cell it left out.
        (finding,) = [f for f in report.findings if f.rule == "CK-TYPE-001"]
        assert "outside the range Python dates take" in finding.message
        assert (finding.rule, finding.location.pointer) == (
            "CK-TYPE-001",
            "/activities/0/start",
        )
        assert rows[1]["start"] == (
            dt.date(2020, 1, 1) if kind != "object" else "2020-01-01"
        )
        # Read without the report, no traceback: the model refuses the cell.
        report = ck.validate({"activities": frame}, as_of=AS_OF)
        assert ("CK-TYPE-001", "start") in {
            (f.rule, f.location.field) for f in report.findings
        }, kind


# ---------------------------------------------------------------- the leaf


def test_cells_of_every_kind() -> None:
    """`cell` turns each library's values into Python ones."""
    aware = dt.datetime(2020, 1, 1, tzinfo=dt.timezone.utc)
    noon = dt.datetime(2020, 1, 1, 12)  # noqa: DTZ001 - a value read from a frame
    assert _frames.cell(None) is None
    assert _frames.cell(pd.NA) is None
    assert _frames.cell(pd.NaT) is None
    assert _frames.cell(float("nan")) is None
    assert _frames.cell(1.5) == 1.5
    assert _frames.cell(aware) is aware
    assert _frames.cell(noon) is noon
    assert _frames.cell({"a": np.int64(1)}) == {"a": 1}
    assert _frames.cell(np.array([[1, 2]])) == [[1, 2]]
    assert _frames.cell(np.datetime64("2020-01-02T00:00:00.000000000")) == dt.date(
        2020, 1, 2
    )
    assert _frames.cell(np.datetime64("NaT")) is None
    assert _frames.cell(np.float64("nan")) is None
    assert type(_frames.cell(np.int8(3))) is int
    half = fractions.Fraction(1, 2)
    assert _frames.cell(half) is half


def test_is_frame_and_scale() -> None:
    """Frames are told by their class; a decimal column has at least two places."""
    assert _frames.is_frame(pd.DataFrame())
    assert not _frames.is_frame(pd.Series(dtype="Int64"))
    assert not _frames.is_frame({"a": 1})
    assert _frames._scale([Decimal("1.5"), None, Decimal("NaN")]) == 2
    assert _frames._scale([Decimal("1.12345")]) == 5
    assert _frames.frame_height(pa.table({"a": [1, 2]})) == 2


def test_require_imports_the_library() -> None:
    """`require` gives the backend's module."""
    assert _frames.require("arrow") is importlib.import_module("pyarrow")


# ---------------------------------------------------------------- KPIs


@BACKENDS
def test_kpi_frame_of_the_scope(backend: _frames.Backend) -> None:
    """Without a breakdown, one row: a column per count and ratio."""
    result = ck.compute_kpis(ck.load_example(), as_of=AS_OF)
    frame = result.to_frame(backend)
    names = dtypes(frame)
    assert next(iter(names)) == "partnerships"
    assert len(frame) == 1
    if backend == "pandas":
        assert frame.iloc[0].to_dict() == pytest.approx(dict(result.kpis))
    frames = result.to_frames(backend)
    assert list(frames) == list(FRAMES)
    assert len(frames["activities_by_type"]) == len(result.activities_by_type)
    assert len(frames["target_markets"]) == len(result.target_markets)


def test_kpi_frames_by_group() -> None:
    """A breakdown's dimensions come first: a year as an integer, text otherwise."""
    result = ck.compute_kpis(
        ck.load_example(), by=["generation", "year", "target_country"], as_of=AS_OF
    )
    frames = result.to_frames("polars")
    kpis = frames["kpis"]
    by = list(result.scope.by)
    assert sorted(by) == ["generation", "target_country", "year"]
    assert kpis.columns[:3] == by
    assert kpis.schema["year"] == pl.Int64
    assert kpis.schema["target_country"] == pl.String
    assert kpis.schema["b2b_meetings_per_sme_involved"] == pl.Float64
    assert len(kpis) == len(result.groups)
    assert None in kpis["target_country"].to_list()
    by_type = frames["activities_by_type"]
    assert by_type.columns == [*by, "type", "activities"]
    assert by_type["activities"].sum() == result.kpis["activities"]
    markets = frames["target_markets"]
    assert markets.columns[3:] == ["rank", "country", "partnerships", "activities"]


def test_an_undefined_ratio_is_null() -> None:
    """A ratio whose denominator is 0 is a null, and an empty scope has typed frames."""
    result = ck.compute_kpis(ck.Dataset(), as_of=AS_OF)
    frame = result.to_frame()
    assert frame["b2b_meetings_per_sme_involved"].dtype == "Float64"
    assert frame["b2b_meetings_per_sme_involved"][0] is pd.NA
    grouped = ck.compute_kpis(ck.Dataset(), by="generation", as_of=AS_OF).to_frames()
    assert len(grouped["kpis"]) == 0
    assert str(grouped["kpis"]["generation"].dtype) == "string"


# ---------------------------------------------------------------- reports


@attrs.frozen
class _Extended(ck.Finding):
    """A finding whose dictionary has more keys, as a later version may."""

    extra: Any = None

    def to_dict(self) -> dict[str, Any]:
        return super().to_dict() | {
            "extra": self.extra,
            "flag": True,
            "where": {"rule": "nested", "depth": 1},
        }


def _report(*findings: ck.Finding, **fields: Any) -> ck.Report:
    return ck.Report(findings, ck.Summary.of(findings), AS_OF, **fields)


@BACKENDS
def test_report_frame_columns(backend: _frames.Backend) -> None:
    """One row per finding, a column per key of `to_dict()`, parts of objects flat."""
    frames = SMALL.to_frames()
    frames["clusters"] = pd.DataFrame({"id": ["C1", "C1"], "name": ["A", "B"]})
    report = ck.validate(frames, as_of=AS_OF)
    frame = report.to_frame(backend)
    columns = list(dtypes(frame))
    assert columns[:5] == ["rule", "severity", "message", "hint", "file"]
    assert columns[4:13] == [
        "file",
        "line",
        "column",
        "sheet",
        "cell",
        "pointer",
        "field",
        "table",
        "id",
    ]
    assert columns[-2:] == ["fingerprint", "caused_by"]
    assert len(frame) == len(report.findings)
    empty = ck.validate({}).to_frame(backend)
    assert dtypes(empty) == dtypes(frame)


def test_report_frame_values() -> None:
    """Lines are integers, related places text, missing values null."""
    report = ck.validate(
        {"clusters": [{"id": "C1", "name": "A", "country": "DE"}] * 2}, as_of=AS_OF
    )
    frame = report.to_frame("polars")
    duplicate = frame.filter(pl.col("rule") == "CK-PK-001").row(0, named=True)
    assert duplicate["related"] == ["<mapping> at /clusters/0/id (id)"]
    assert duplicate["table"] == "clusters"
    assert duplicate["line"] is None
    assert frame.schema["line"] == pl.Int64


def test_a_new_key_of_a_finding_is_a_column() -> None:
    """Keys added to `Finding.to_dict()` become columns, typed by their values."""
    where = ck.Location(file="f.csv", line=2)
    findings = (
        _Extended("R1", ck.Severity.ERROR, "m", where, extra=1),
        _Extended("R2", ck.Severity.INFO, "m", where, extra="x"),
        _Extended("R3", ck.Severity.INFO, "m", where, extra=[1]),
    )
    frame = _report(*findings).to_frame()
    assert list(frame.columns)[-4:] == ["extra", "flag", "where_rule", "depth"]
    assert frame["extra"].tolist() == ["1", "x", "[1]"]
    assert str(frame["flag"].dtype) == "boolean"
    assert str(frame["depth"].dtype) == "Int64"
    assert frame["where_rule"].tolist() == ["nested"] * 3


# ---------------------------------------------------------------- notebooks


def test_dataset_html_lists_tables() -> None:
    """A dataset shows its tables and record counts."""
    shown = ck.load_example()._repr_html_()
    assert "<caption>Dataset</caption>" in shown
    assert '<td>activities</td><td style="text-align: right">150</td>' in shown


def test_kpi_html_shows_the_tables_escaped() -> None:
    """A KPI result shows its KPIs, markets and what was left out, escaped."""
    result = ck.compute_kpis(ck.load_example(), as_of=AS_OF)
    shown = result._repr_html_()
    assert shown.startswith("<p>Scope: every record")
    assert "<h4>Target markets</h4>" in shown
    assert "<td>Partnerships</td><td>partnerships</td>" in shown
    left_out = ck.compute_kpis({"partnerships": [{"id": "<script>"}]}, as_of=AS_OF)
    shown = left_out._repr_html_()
    assert "No third-country market in scope." in shown
    assert "Left out because of errors" in shown
    assert "<script>" not in shown
    grouped = ck.compute_kpis(ck.Dataset(), by="generation", as_of=AS_OF)
    assert "No group: nothing in scope." in grouped._repr_html_()


def test_report_html_summarises_and_truncates() -> None:
    """Counts by severity, the first findings, and what is left out, escaped."""
    where = ck.Location(file="<script>.csv", line=2)
    many = [
        ck.Finding("CK-X", ck.Severity.ERROR, f"bad <b>{n}</b>", where)
        for n in range(25)
    ]
    summary = attrs.evolve(ck.Summary.of(many), total=30)
    shown = ck.Report(tuple(many), summary, AS_OF)._repr_html_()
    assert shown.startswith("<p><strong>invalid</strong> (fails on error)")
    assert '<td>error</td><td style="text-align: right">25</td>' in shown
    assert shown.count("<tr><td>error</td><td>CK-X</td>") == 20
    assert "The first 20 of 25 findings, errors first" in shown
    assert (
        "The report is truncated: showing 25 of 30 findings; 5 more not shown "
        "(raise max_findings to see them)." in shown
    )
    assert "<script>" not in shown
    assert "&lt;script&gt;.csv:2" in shown
    assert "bad &lt;b&gt;1&lt;/b&gt;" in shown
    valid = _report(fail_on=None)._repr_html_()
    assert valid.startswith("<p><strong>valid</strong> (never fails)")
    assert "<th>rule</th>" not in valid


def _every_activity_off_market(*, broken_reference: bool) -> ck.Dataset:
    """The example with 150 CK-GEO-002 warnings, the last activity also a CK-FK-001."""
    example = ck.load_example()
    activities = [
        a.model_copy(update={"target_country": "AR"}) for a in example.activities
    ]
    if broken_reference:
        last = activities[-1].model_copy(update={"partnership": "NOPE"})
        activities[-1] = last
    return example.model_copy(update={"activities": tuple(activities)})


def test_report_html_lists_errors_first() -> None:
    """The one error after 149 warnings is listed, first, as the text output lists it."""
    data = _every_activity_off_market(broken_reference=True)
    report = ck.validate(data, as_of=AS_OF)
    shown = report._repr_html_()
    assert "CK-FK-001" in shown
    rows = re.findall(r"<tr><td>(\w+)</td><td>(CK-[A-Z]+-\d+)</td>", shown)
    assert rows[0] == ("error", "CK-FK-001")
    assert [rule for _, rule in rows[1:]] == ["CK-GEO-002"] * 19
    assert "The first 20 of 150 findings, errors first" in shown


def test_report_html_counts_what_follows_from_a_finding_with_it() -> None:
    """A finding that follows from another is counted in its root's message."""
    where = ck.Location(file="a.csv", line=2)
    root = ck.Finding("CK-FILE-001", ck.Severity.ERROR, "unreadable", where)
    follows = ck.Finding(
        "CK-FK-001",
        ck.Severity.ERROR,
        "partnership 'P1' does not exist",
        ck.Location(file="b.csv", line=3),
        caused_by=root.fingerprint,
    )
    warning = ck.Finding("CK-GEO-002", ck.Severity.WARNING, "off market", where)
    shown = _report(warning, root, follows)._repr_html_()
    assert shown.count("<tr><td>error</td><td>CK-") == 1
    assert (
        "unreadable (and 1 finding that follows from it: CK-FK-001 once in b.csv)"
        in shown
    )
    assert shown.index("CK-FILE-001") < shown.index("CK-GEO-002")


def test_report_html_states_the_findings_below_min_severity() -> None:
    """As the text output does: the warnings left out by `min_severity`, counted."""
    data = _every_activity_off_market(broken_reference=True)
    report = ck.validate(data, as_of=AS_OF, min_severity="error")
    shown = report._repr_html_()
    below = "not shown: 149 warnings, 0 info (below min_severity error)"
    assert below in shown
    assert below.replace("min_severity", "--min-severity") in report.render("text")
    assert "truncated" not in shown


def test_report_html_counts_truncation_above_min_severity() -> None:
    """`max_findings` left out 1 finding, not 150: those below are counted apart."""
    data = _every_activity_off_market(broken_reference=True)
    report = ck.validate(data, as_of=AS_OF, min_severity="error", max_findings=0)
    shown = report._repr_html_()
    assert "not shown: 149 warnings, 0 info (below min_severity error)" in shown
    assert (
        "The report is truncated: showing 0 of 1 finding at or above min_severity "
        "error; 1 more not shown (raise max_findings to see it)." in shown
    )
    assert "of 150 findings" not in shown


# ---------------------------------------------------------------- examples


@pytest.mark.parametrize(
    "method",
    [
        ck.Dataset.to_frames,
        ck.KPIResult.to_frame,
        ck.KPIResult.to_frames,
        ck.Report.to_frame,
    ],
)
def test_docstring_examples_pass(method: Callable[..., Any]) -> None:
    """The >>> examples of the frame methods pass (their classes live elsewhere)."""
    finder = doctest.DocTestFinder()
    runner = doctest.DocTestRunner(
        optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE
    )
    for test in finder.find(method, globs={"Dataset": ck.Dataset}):
        runner.run(test)
    assert runner.summarize(verbose=False).failed == 0
    assert runner.summarize(verbose=False).attempted > 0
