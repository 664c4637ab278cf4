"""`clusterkit.reports`: what a KPI report computes, and the tables both writers lay out."""

from __future__ import annotations

import datetime as dt
import hashlib
import io
import shutil
from pathlib import Path

import pytest

import clusterkit as ck
from clusterkit.io import example_path
from clusterkit.reference import programme_path
from clusterkit.render import number_text
from clusterkit.reports import InputFile, KPIReport, write_report
from clusterkit.reports import _tables as tables_module
from clusterkit.reports._tables import charts, key_text, provenance, tables

DATA = Path(__file__).parent / "data"
AS_OF = dt.date(2026, 1, 1)


def build(source: object = None, **scope: object) -> KPIReport:
    """The report of `source` (the example's folder by default) as of 2026-01-01."""
    return KPIReport.build(
        example_path() if source is None else source,  # type: ignore[arg-type]
        as_of=AS_OF,
        **scope,  # type: ignore[arg-type]
    )


def test_the_views_are_compute_kpis_with_the_same_scope() -> None:
    """The scope, by partnership and by year: what compute_kpis gives for each."""
    report = build(generation="escp-4i-2")
    for view, by in (
        (report.result, None),
        (report.by_partnership, "partnership"),
        (report.over_time, "year"),
    ):
        assert view == ck.compute_kpis(
            example_path(), by=by, generation="escp-4i-2", as_of=AS_OF
        )
    assert report.period == "year"
    assert report.as_of == AS_OF
    assert report.version == ck.__version__


def test_quarters() -> None:
    """`period="quarter"` groups activities by quarter."""
    report = build(period="quarter")
    assert report.over_time.scope.by == ("quarter",)
    assert report.over_time.groups[0].key == {"quarter": "2015-Q4"}


def test_an_unknown_period_is_refused() -> None:
    """A period other than year or quarter is a ValueError."""
    with pytest.raises(ValueError, match="'year' or 'quarter', not 'month'"):
        build(period="month")


def test_as_of_defaults_to_today() -> None:
    """Without `as_of`, every view is computed as of today."""
    report = KPIReport.build(ck.load_example())
    assert report.as_of == dt.date.today()  # noqa: DTZ011 - the default is the local day
    assert report.result.validation is not None
    assert report.result.validation.as_of == report.as_of


def test_one_generation_is_reconciled() -> None:
    """One generation with published figures in scope: its reconciliation."""
    report = build(generation="escp-4i-2")
    assert report.reconciliation == ck.kpis.reconcile(report.result)
    keys = [table.key for table in tables(report)]
    assert "reconciliation" in keys
    assert "reconciled-markets" in keys


def test_no_reconciliation_without_one_published_generation() -> None:
    """Every generation, or one nothing was published about: no reconciliation."""
    assert build().reconciliation is None
    unpublished = build(programme_path(), generation="escp-4i-3")
    assert unpublished.reconciliation is None
    assert "reconciliation" not in [t.key for t in tables(unpublished)]


def test_a_publication_without_markets_has_no_markets_table() -> None:
    """The first generation's publication has figures only."""
    keys = [table.key for table in tables(build(generation="escp-4i-1"))]
    assert "reconciliation" in keys
    assert "reconciled-markets" not in keys


def digest(path: Path) -> InputFile:
    """What the report says about a file."""
    data = path.read_bytes()
    return InputFile(str(path), len(data), hashlib.sha256(data).hexdigest())


def test_inputs_of_a_folder_are_its_table_files() -> None:
    """A folder's inputs are its table files, each with its size and SHA-256."""
    report = build()
    folder = example_path()
    names = [
        "generations",
        "clusters",
        "smes",
        "partnerships",
        "targets",
        "activities",
    ]
    assert report.inputs == tuple(digest(folder / f"{name}.csv") for name in names)


def test_inputs_of_a_document_and_of_a_stream(tmp_path: Path) -> None:
    """A file is one input; a stream is read once, named, hashed and used thrice."""
    document = tmp_path / "data.json"
    ck.dump_dataset(ck.load_example(), document)
    assert build(document).inputs == (digest(document),)
    data = document.read_bytes()
    streamed = build(io.BytesIO(data), name="upload.json")
    assert streamed.inputs == (
        InputFile("upload.json", len(data), hashlib.sha256(data).hexdigest()),
    )
    assert streamed.result == build(document).result
    assert build(data).inputs[0].name == "<upload>"


def test_inputs_in_memory_have_no_digest() -> None:
    """A Dataset or mapping is named, without size or digest."""
    assert build(ck.load_example()).inputs == (InputFile("<dataset>"),)
    assert build({}, name="tables").inputs == (InputFile("tables"),)


def test_inputs_of_a_folder_without_tables(tmp_path: Path) -> None:
    """A folder that holds no tables is named as given; its findings say why."""
    (tmp_path / "notes.txt").write_text("no tables here", encoding="utf-8")
    report = build(tmp_path)
    assert report.inputs == (InputFile(str(tmp_path)),)
    assert not report.result.complete


def test_write_chooses_the_format_by_suffix(tmp_path: Path) -> None:
    """`.html`/`.htm` give a page, `.xlsx` a workbook; another suffix is refused."""
    report = build()
    assert (
        report.write(tmp_path / "r.html")
        .read_text("utf-8")
        .startswith("<!DOCTYPE html>")
    )
    assert report.write(tmp_path / "r.HTM").read_text("utf-8") == report.to_html()
    assert report.write(tmp_path / "r.xlsx").read_bytes()[:2] == b"PK"
    with pytest.raises(ValueError, match=r"\.html or \.xlsx, not \.pdf"):
        report.write(tmp_path / "r.pdf")
    with pytest.raises(ValueError, match="not a file without a suffix"):
        report.write(tmp_path / "r")


def test_write_report_builds_and_writes(tmp_path: Path) -> None:
    """`write_report` is `build` then `write`; a bad suffix fails before computing."""
    report = write_report(
        example_path(), tmp_path / "r.html", generation="escp-4i-1", as_of=AS_OF
    )
    assert report == build(generation="escp-4i-1")
    assert (tmp_path / "r.html").read_text("utf-8") == report.to_html()
    with pytest.raises(ValueError, match=r"not \.csv"):
        write_report(tmp_path / "missing", tmp_path / "r.csv")


def test_the_tables_hold_the_result_values() -> None:
    """Each table's cells are the KPIResult's values, numbers kept as numbers."""
    report = build(generation="escp-4i-2")
    by_key = {table.key: table for table in tables(report)}
    result = report.result
    summary = by_key["summary"]
    assert {row[1]: row[2] for row in summary.rows} == {
        kpi: value
        for kpi, value in result.kpis.items()
        if kpi in {d.id for d in tables_module.SCALAR}
    }
    markets = by_key["target-markets"].rows
    assert [(m[1], m[3], m[4]) for m in markets] == [
        (m.country, m.partnerships, m.activities) for m in result.target_markets
    ]
    assert markets[0][2] == "US United States"
    assert {row[0]: row[1] for row in by_key["activities-by-type"].rows} == {
        kind.replace("_", " "): n for kind, n in result.activities_by_type.items()
    }
    over_time = by_key["over-time"]
    assert [row[:2] for row in over_time.rows] == [
        (str(g.key["year"]), sum(g.activities_by_type.values()))
        for g in report.over_time.groups
    ]
    partnerships = by_key["partnerships"]
    assert len(partnerships.headers) == len(partnerships.kinds)
    assert [row[0] for row in partnerships.rows] == [
        g.key["partnership"] for g in report.by_partnership.groups
    ]
    records = by_key["records"].rows
    assert records[-1] == (
        "activities",
        *(result.records["activities"].to_dict().values()),
    )


def test_validation_tables_list_what_was_left_out() -> None:
    """Rules with their titles and counts, and each finding with where and which record."""
    report = build(DATA / "invalid" / "CK-FK-001")
    by_key = {table.key: table for table in tables(report)}
    assert by_key["excluded-by-rule"].rows == (
        ("CK-FK-001", "activity refers to an unknown partnership", 1),
    )
    (finding,) = by_key["findings"].rows
    assert finding[:2] == ("CK-FK-001", "error")
    assert str(finding[2]).endswith("activities.csv:6:2 (partnership)")
    assert finding[3] == "activities A4"


def test_findings_are_listed_up_to_a_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    """Beyond MAX_FINDINGS, findings are counted, not listed."""
    monkeypatch.setattr(tables_module, "MAX_FINDINGS", 0)
    report = build(DATA / "invalid" / "CK-FK-001")
    assert tables_module.findings_shown(report) == 0
    assert {t.key: t for t in tables(report)}["findings"].rows == ()


def test_without_validation_there_are_no_findings() -> None:
    """A Dataset used without the validator has no report and lists no finding."""
    report = build(ck.load_example(), validate=False)
    assert report.result.validation is None
    assert tables_module.findings_shown(report) == 0
    assert {t.key: t for t in tables(report)}["findings"].rows == ()


def test_a_finding_without_entity(tmp_path: Path) -> None:
    """A finding about a whole file names no record."""
    shutil.copytree(DATA / "valid" / "base", tmp_path / "d")
    (tmp_path / "d" / "smes.csv").write_bytes(b"\xff\xfe\x00broken")
    rows = {t.key: t for t in tables(build(tmp_path / "d"))}["findings"].rows
    assert any(row[3] == "" for row in rows)


def test_charts_draw_columns_of_tables() -> None:
    """Every chart names a table of the report and two of its columns."""
    report = build()
    by_key = {table.key: table for table in tables(report)}
    for chart in charts(report):
        table = by_key[chart.table]
        assert table.kinds[chart.value] == "int"
        assert chart.label < len(table.headers)


def test_formatting_helpers() -> None:
    """Numbers with separators, ratios to two places (a small one not 0.00); a missing key is (none)."""
    assert tuple(map(number_text, (1469, 3.3134, 0.000111, None))) == (
        "1,469",
        "3.31",
        "0.00011",
        "undefined",
    )
    assert (key_text(None), key_text(2016)) == ("(none)", "2016")


def test_provenance_names_versions_day_scope_and_inputs() -> None:
    """The facts: clusterkit and reference-data versions, as-of, scope, each input."""
    report = build(
        ck.load_example(),
        generation="escp-4i-1",
        partnership="P01",
        start=dt.date(2016, 1, 1),
        target_country="US",
    )
    facts = dict(provenance(report)[:4])
    assert facts == {
        "clusterkit": ck.__version__,
        "reference data": report.result.reference_data,
        "as of": "2026-01-01",
        "scope": (
            "generation escp-4i-1; partnership P01; activities from 2016-01-01 "
            "to …; target country US"
        ),
    }
    assert provenance(report)[4:] == (("input", "<dataset>"),)
    folder = dict(provenance(build())[3:5])
    assert folder["scope"] == "every record"
    assert folder["input"].endswith(
        f"generations.csv ({digest(example_path() / 'generations.csv').size:,} bytes, "
        f"SHA-256 {digest(example_path() / 'generations.csv').sha256})"
    )
