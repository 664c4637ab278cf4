"""Edges of the KPI report and the frames that a review found: each test failed before."""

from __future__ import annotations

import datetime as dt
import importlib
import io
import zipfile
from decimal import Decimal
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import clusterkit as ck
from clusterkit._frames import cell
from clusterkit.reports import KPIReport
from clusterkit.reports._tables import MAX_FINDINGS
from clusterkit.reports._xlsx import MAX_CELL_CHARS

AS_OF = dt.date(2026, 1, 1)
BACKENDS = ("pandas", "polars", "arrow")
# Markets beyond the example's, so that the ranking is longer than its chart.
MORE_MARKETS = ("BR", "AR", "MX", "IN", "KR", "VN", "TH", "ID", "MY", "CL", "CO")


def example_document() -> dict[str, Any]:
    """The bundled example as a JSON-shaped mapping, without its empty tables."""
    document = ck.load_example().model_dump(mode="json")
    return {table: records for table, records in document.items() if records}


def workbook(report: KPIReport, path: Path) -> Any:
    """Write the report's workbook and open it again."""
    return openpyxl.load_workbook(report.to_xlsx(path))


def about(book: Any) -> dict[str, str]:
    """The facts of the About sheet."""
    return dict(book["About"].iter_rows(min_row=2, values_only=True))


# --- a stream given to the report ---------------------------------------------------


def test_a_text_stream_is_refused_as_compute_kpis_refuses_it(tmp_path: Path) -> None:
    """Its text was taken for a path: a file of that name was read instead."""
    (tmp_path / "other.json").write_text('{"clusters": []}', encoding="utf-8")
    with pytest.raises(TypeError, match="must be binary"):
        KPIReport.build(io.StringIO(str(tmp_path / "other.json")), as_of=AS_OF)  # type: ignore[arg-type] # the mistake under test


def test_a_closed_stream_is_refused_by_name() -> None:
    stream = io.BytesIO(b"{}")
    stream.close()
    with pytest.raises(ValueError, match="closed"):
        KPIReport.build(stream, as_of=AS_OF, name="upload.json")


def test_a_binary_stream_gives_the_report_of_its_bytes() -> None:
    data = ck.io.example_path().joinpath("partnerships.csv").read_bytes()
    assert data  # the example is a folder; one table of it is a dataset too
    stream = io.BytesIO(ck.load_example().model_dump_json().encode())
    report = KPIReport.build(stream, as_of=AS_OF, format="json")
    assert (
        report.result.to_dict()
        == ck.compute_kpis(ck.load_example(), as_of=AS_OF).to_dict()
    )
    assert [file.name for file in report.inputs] == ["<upload>"]


# --- counts a frame or a cell cannot hold ---------------------------------------------


def huge_count_result() -> ck.KPIResult:
    document = example_document()
    document["activities"][0]["b2b_meetings"] = 10**20 + 1  # within 30 digits
    return ck.compute_kpis(document, as_of=AS_OF)


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_count_beyond_64_bits_is_named_not_a_library_error(backend: str) -> None:
    result = huge_count_result()
    with pytest.raises(
        ValueError, match=r"the kpis frame: b2b_meetings of row 0: \d{21} does not fit"
    ):
        result.to_frame(backend)  # type: ignore[arg-type]
    with pytest.raises(ValueError, match="the kpis frame"):
        result.to_frames(backend)  # type: ignore[arg-type]


def test_an_unknown_backend_is_named_before_the_counts() -> None:
    with pytest.raises(ValueError, match="unknown backend 'duckdb'"):
        huge_count_result().to_frame("duckdb")  # type: ignore[arg-type]


def test_a_count_beyond_a_double_is_written_exactly(tmp_path: Path) -> None:
    """Openpyxl writes 16 digits: 100000000000000001882 became 1e+20."""
    document = example_document()
    document["activities"][0]["b2b_meetings"] = 10**20 + 1
    report = KPIReport.build(document, as_of=AS_OF)
    sheet = workbook(report, tmp_path / "r.xlsx")["Summary"]
    summary = {row[1]: row[2] for row in sheet.iter_rows(min_row=2, values_only=True)}
    assert summary["b2b_meetings"] == str(report.result["b2b_meetings"])
    assert summary["partnerships"] == report.result["partnerships"]  # small: a number


# --- what a workbook leaves out, stated --------------------------------------------


def test_the_markets_chart_says_it_draws_the_first_15(tmp_path: Path) -> None:
    document = example_document()
    partnerships = [p["id"] for p in document["partnerships"]]
    for number, country in enumerate(MORE_MARKETS):
        partnership = partnerships[number % len(partnerships)]
        document["targets"].append(
            {"partnership": partnership, "country": country, "priority": "secondary"}
        )
    report = KPIReport.build(document, as_of=AS_OF, validate=False)
    markets = len(report.result.target_markets)
    assert markets > 15
    sheet = workbook(report, tmp_path / "r.xlsx")["Target markets"]
    (chart,) = sheet._charts
    title = chart.title.tx.rich.p[0].r[0].t
    assert title == f"Partnerships targeting each market (the first 15 of {markets})"
    assert f"(the first 15 of {markets})</figcaption>" in report.to_html()


def test_a_chart_of_its_whole_table_says_nothing_more(tmp_path: Path) -> None:
    report = KPIReport.build(ck.io.example_path(), as_of=AS_OF)
    sheet = workbook(report, tmp_path / "r.xlsx")["Target markets"]
    (chart,) = sheet._charts
    assert chart.title.tx.rich.p[0].r[0].t == "Partnerships targeting each market"


def test_the_findings_sheet_says_when_it_lists_only_some(tmp_path: Path) -> None:
    document = example_document()
    extra = MAX_FINDINGS + 20
    template = document["activities"][0]
    document["activities"] += [
        {**template, "id": f"X{number}", "partnership": f"NO-{number}"}
        for number in range(extra)
    ]
    report = KPIReport.build(document, as_of=AS_OF)
    assert report.result.validation is not None
    total = report.result.validation.summary.total
    assert total > MAX_FINDINGS
    book = workbook(report, tmp_path / "r.xlsx")
    assert book["Findings"].max_row - 1 == MAX_FINDINGS
    assert about(book)["findings"] == (
        f"the first {MAX_FINDINGS:,} of {total:,} are listed; clusterkit validate lists them all"
    )


def test_a_report_that_lists_every_finding_says_nothing_of_it(tmp_path: Path) -> None:
    report = KPIReport.build(ck.io.example_path(), as_of=AS_OF)
    assert "findings" not in about(workbook(report, tmp_path / "r.xlsx"))


def test_text_longer_than_a_cell_is_cut_with_a_note(tmp_path: Path) -> None:
    """Openpyxl cut it at 32,767 characters and said nothing."""
    document = example_document()
    document["activities"][0]["type"] = "x" * 40_000
    report = KPIReport.build(document, as_of=AS_OF)
    messages = [
        row[4]
        for row in workbook(report, tmp_path / "r.xlsx")["Findings"].iter_rows(
            min_row=2, values_only=True
        )
    ]
    (cut,) = [message for message in messages if len(message) > 1_000]
    assert len(cut) <= MAX_CELL_CHARS
    assert report.result.validation is not None
    (long,) = [
        f.message for f in report.result.validation.findings if len(f.message) > 1_000
    ]
    left_out = len(long) - (MAX_CELL_CHARS - 80)
    assert cut.startswith(long[:1_000])
    assert cut.endswith(
        f"… ({left_out:,} more characters; the HTML report shows them all)"
    )


# --- the same bytes from the same content ------------------------------------------


def entry_times(path: Path) -> set[tuple[int, ...]]:
    with zipfile.ZipFile(path) as archive:
        return {info.date_time for info in archive.infolist()}


def test_a_report_workbook_is_dated_by_its_day_not_the_clock(tmp_path: Path) -> None:
    report = KPIReport.build(ck.io.example_path(), as_of=AS_OF)
    first = report.to_xlsx(tmp_path / "one.xlsx")
    again = report.to_xlsx(tmp_path / "two.xlsx")
    assert first.read_bytes() == again.read_bytes()
    assert entry_times(first) == {(2026, 1, 1, 0, 0, 0)}
    properties = openpyxl.load_workbook(first).properties
    assert properties.created == properties.modified == dt.datetime(2026, 1, 1)  # noqa: DTZ001 - openpyxl reads the times without a zone


def test_a_dataset_workbook_is_the_same_bytes_every_time(tmp_path: Path) -> None:
    dataset = ck.load_example()
    ck.dump_dataset(dataset, tmp_path / "one.xlsx")
    ck.dump_dataset(dataset, tmp_path / "two.xlsx")
    assert (tmp_path / "one.xlsx").read_bytes() == (tmp_path / "two.xlsx").read_bytes()
    assert entry_times(tmp_path / "one.xlsx") == {(1980, 1, 1, 0, 0, 0)}
    assert ck.load_dataset(tmp_path / "one.xlsx") == dataset


def test_an_empty_dataset_workbook_still_has_a_sheet(tmp_path: Path) -> None:
    ck.dump_dataset(ck.Dataset(), tmp_path / "empty.xlsx")
    assert ck.load_dataset(tmp_path / "empty.xlsx") == ck.Dataset()


def test_a_report_before_1980_is_dated_1980(tmp_path: Path) -> None:
    """A zip holds no earlier time."""
    report = KPIReport.build(ck.Dataset(), as_of=dt.date(1975, 5, 1))
    assert entry_times(report.to_xlsx(tmp_path / "r.xlsx")) == {(1980, 1, 1, 0, 0, 0)}


# --- frames ---------------------------------------------------------------------


@pytest.mark.parametrize("backend", BACKENDS)
def test_a_year_column_of_no_rows_is_a_year_column(backend: str) -> None:
    """Its type was guessed from its values: text when there were none."""
    some = ck.compute_kpis(ck.io.example_path(), by="year", as_of=AS_OF)
    none = ck.compute_kpis(
        ck.io.example_path(), by="year", as_of=AS_OF, target_country="AQ"
    )
    for name in ("kpis", "activities_by_type", "target_markets"):
        full = some.to_frames(backend)[name]  # type: ignore[arg-type]
        empty = none.to_frames(backend)[name]  # type: ignore[arg-type]
        assert _year_type(empty) == _year_type(full)
        assert "int" in _year_type(full).lower()


def _year_type(frame: Any) -> str:
    if hasattr(frame, "schema") and hasattr(frame.schema, "field"):  # an Arrow table
        return str(frame.schema.field("year").type)
    return str(frame["year"].dtype)


@pytest.mark.parametrize("backend", BACKENDS)
def test_amounts_of_30_digits_read_back_from_frames(backend: str) -> None:
    """A decimal column pads every amount to its places, which counted as digits."""
    dataset = ck.Dataset(
        smes=[
            {
                "id": "S1",
                "name": "Big",
                "country": "DE",
                "turnover_eur": "123456789012345678901234567890",
            },
            {"id": "S2", "name": "Small", "country": "DE", "turnover_eur": "0.5"},
        ]
    )
    assert ck.load_dataset(dataset.to_frames(backend)) == dataset  # type: ignore[arg-type]


def test_the_places_a_column_adds_are_not_kept() -> None:
    assert str(cell(Decimal("1.50"))) == "1.5"
    assert str(cell(Decimal("100.00"))) == "100"
    assert str(cell(Decimal("0.00"))) == "0.00"  # one digit: nothing to take away
    assert str(cell(Decimal("1E+2"))) == "1E+2"
    assert str(cell(Decimal("-2.0"))) == "-2"
    assert cell(Decimal("NaN")).is_nan()


def test_an_amount_of_too_many_digits_is_quoted_by_its_value() -> None:
    """The message said 'Decimal' where the number belongs."""
    with pytest.raises(
        ck.DatasetReadError,
        match=r"'1234567890123456789012345678901' has too many digits",
    ):
        ck.load_dataset(
            {
                "smes": [
                    {
                        "id": "S1",
                        "name": "x",
                        "country": "DE",
                        "turnover_eur": Decimal(1234567890123456789012345678901),
                    }
                ]
            }
        )


@pytest.mark.parametrize("backend", ["pandas", "polars"])
def test_whole_floats_of_a_frame_are_read_as_a_workbook_reads_them(
    backend: str,
) -> None:
    """Numeric ids with a gap are a float column: 1.0 was the id "1.0"."""
    module = importlib.import_module(backend)
    partnerships = module.DataFrame(
        {
            "id": [1.0, 2.0, None],
            "acronym": ["A", "B", "C"],
            "name": ["N", "M", "O"],
            "generation": ["escp-4i-1"] * 3,
            "strand": [2.0, 1.0, 1.5],
        }
    )
    activities = module.DataFrame(
        {"id": ["A1"], "partnership": [1], "type": ["webinar"], "start": ["2016-05-01"]}
    )
    frames = {"partnerships": partnerships, "activities": activities}
    report = ck.validate(frames, as_of=AS_OF)
    codes = {(f.rule, str(f.location)) for f in report.findings}
    assert not any(rule == "CK-FK-001" for rule, _ in codes)
    # The row without an id, and the strand that is no whole number, are found.
    assert any(
        rule == "CK-TYPE-001" and where.endswith("/partnerships/2/id (id)")
        for rule, where in codes
    )
    strands = [f.message for f in report.findings if f.rule == "CK-PART-004"]
    assert strands == ["strand '1.5' is not a strand of escp-4i-1 (1, 2)"]
    loaded = ck.load_dataset({"partnerships": partnerships.head(2)})
    assert [(p.id, p.strand) for p in loaded.partnerships] == [("1", "2"), ("2", "1")]
