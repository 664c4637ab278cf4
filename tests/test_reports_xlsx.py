"""The xlsx report (`KPIReport.to_xlsx`): sheets, styles, native charts and values."""

from __future__ import annotations

import datetime as dt
import re
import sys
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import clusterkit as ck
from clusterkit.io import example_path
from clusterkit.reports import KPIReport, _xlsx
from clusterkit.reports._tables import SCALAR, Table, provenance
from conftest import FORMULA_ID, HOSTILE_ID

DATA = Path(__file__).parent / "data"
AS_OF = dt.date(2026, 1, 1)


def workbook_of(
    tmp_path: Path, source: Path | None = None, **scope: str
) -> tuple[KPIReport, Any]:
    """Build a report, write its workbook and open it again."""
    report = KPIReport.build(source or example_path(), as_of=AS_OF, **scope)  # type: ignore[arg-type]
    path = report.to_xlsx(tmp_path / "report.xlsx")
    return report, openpyxl.load_workbook(path)


def rows(sheet: Any) -> list[tuple[Any, ...]]:
    """A sheet's values below its header."""
    return list(sheet.iter_rows(min_row=2, values_only=True))


def test_one_sheet_per_breakdown(tmp_path: Path) -> None:
    """Summary, markets, types, over time, partnerships, reconciliation, validation, about."""
    _, workbook = workbook_of(tmp_path, generation="escp-4i-2")
    assert workbook.sheetnames == [
        "Summary",
        "Target markets",
        "Activities by type",
        "Activities by year",
        "Partnerships",
        "Reconciliation",
        "Reconciled markets",
        "Records",
        "Excluded by rule",
        "Findings",
        "About",
    ]
    _, without = workbook_of(tmp_path)
    assert "Reconciliation" not in without.sheetnames


def test_every_sheet_is_a_styled_filtered_table(tmp_path: Path) -> None:
    """A bold, filled, frozen header; an auto filter over the table; widths set."""
    _, workbook = workbook_of(tmp_path)
    for sheet in workbook:
        header = next(sheet.iter_rows(max_row=1))
        assert sheet.freeze_panes == "A2"
        assert sheet.auto_filter.ref == f"A1:{header[-1].column_letter}{sheet.max_row}"
        assert all(cell.font.b for cell in header)
        assert {cell.fill.fgColor.rgb for cell in header} == {f"00{_xlsx.HEADER_FILL}"}
        for cell in header:
            assert sheet.column_dimensions[cell.column_letter].width >= len(cell.value)


def test_values_equal_the_result(tmp_path: Path) -> None:
    """Numbers are number cells with number formats, equal to the KPIResult."""
    report, workbook = workbook_of(tmp_path)
    result = report.result
    summary = {row[1]: row[2] for row in rows(workbook["Summary"])}
    # Excel keeps 15 significant digits; the cell holds the ratio to that.
    assert summary == {kpi.id: pytest.approx(result[kpi.id]) for kpi in SCALAR}
    formats = {
        row[1].value: row[2].number_format
        for row in workbook["Summary"].iter_rows(min_row=2)
    }
    assert {formats[kpi.id] for kpi in SCALAR if kpi.kind == "count"} == {"#,##0"}
    assert {formats[kpi.id] for kpi in SCALAR if kpi.kind == "ratio"} == {"#,##0.00"}
    assert [(r[1], r[3], r[4]) for r in rows(workbook["Target markets"])] == [
        (m.country, m.partnerships, m.activities) for m in result.target_markets
    ]
    by_type = dict(rows(workbook["Activities by type"]))
    assert list(by_type.values()) == list(result.activities_by_type.values())
    assert [(r[0], r[1]) for r in rows(workbook["Activities by year"])] == [
        (str(g.key["year"]), sum(g.activities_by_type.values()))
        for g in report.over_time.groups
    ]
    for row, group in zip(
        rows(workbook["Partnerships"]), report.by_partnership.groups, strict=True
    ):
        assert row == (
            group.key["partnership"],
            *(pytest.approx(group[k.id]) for k in SCALAR),
        )
    assert rows(workbook["About"]) == list(provenance(report))


def test_native_charts_read_the_right_ranges(tmp_path: Path) -> None:
    """Bar charts beside their tables: values and labels are the table's columns."""
    report, workbook = workbook_of(tmp_path)
    markets = len(report.result.target_markets)
    periods = len(report.over_time.groups)
    expected = {
        "Target markets": ("bar", f"$D$2:$D${markets + 1}", f"$C$2:$C${markets + 1}"),
        "Activities by type": ("bar", "$B$2:$B$14", "$A$2:$A$14"),
        "Activities by year": (
            "col",
            f"$B$2:$B${periods + 1}",
            f"$A$2:$A${periods + 1}",
        ),
    }
    for sheet in workbook:
        charts = sheet._charts
        if sheet.title not in expected:
            assert charts == []
            continue
        (chart,) = charts
        (series,) = chart.series
        kind, values, labels = expected[sheet.title]
        assert chart.type == kind
        quoted = f"'{sheet.title}'!"
        assert series.val.numRef.f == quoted + values
        assert series.cat.strRef.f == quoted + labels
        assert series.tx.strRef.f == quoted + values[1] + "1"  # the value's header
        assert chart.x_axis.delete is False
        assert chart.y_axis.delete is False


def test_charts_stop_at_their_limit(tmp_path: Path) -> None:
    """A chart of more rows than its limit reads the first rows only."""
    _, workbook = workbook_of(tmp_path, period="quarter")
    sheet = workbook["Activities by quarter"]
    (chart,) = sheet._charts
    assert chart.series[0].val.numRef.f.endswith(f"$B${sheet.max_row}")


def test_no_chart_of_nothing(tmp_path: Path) -> None:
    """Nothing in scope: the sheets say so in their tables, and draw no chart."""
    _, workbook = workbook_of(tmp_path, target_country="Antarctica")
    assert all(sheet._charts == [] for sheet in workbook)


def test_text_from_files_stays_text(tmp_path: Path, hostile_dir: Path) -> None:
    """Markup is stored as it is; a value starting with '=' is text, not a formula."""
    _, workbook = workbook_of(tmp_path, hostile_dir)
    ids = {
        row[0].value: row[0].data_type
        for row in workbook["Partnerships"].iter_rows(min_row=2)
    }
    assert ids[FORMULA_ID] == "s"
    assert ids[HOSTILE_ID] == "s"


def test_validation_sheets_list_what_was_left_out(tmp_path: Path) -> None:
    """The rule, its title and count; the finding with where it is."""
    report, workbook = workbook_of(tmp_path, DATA / "invalid" / "CK-FK-001")
    assert rows(workbook["Excluded by rule"]) == [
        ("CK-FK-001", "activity refers to an unknown partnership", 1)
    ]
    (finding,) = rows(workbook["Findings"])
    assert finding[0] == "CK-FK-001"
    assert finding[4] == report.result.validation.findings[0].message  # type: ignore[union-attr]
    assert ("activities", 6, 5, 1) in rows(workbook["Records"])


def test_text_columns_with_numbers_get_a_format(tmp_path: Path) -> None:
    """A number in a text column (a computed value in the reconciliation) is formatted."""
    table = Table("t", "T", ("a", "b"), ("text", "number"), (("x", 1.5), (3, None)))
    book = openpyxl.Workbook()
    sheet = _xlsx._sheet(book, table, _xlsx._openpyxl())
    assert [c.number_format for c in sheet["A"]][1:] == ["General", "#,##0"]
    assert [c.number_format for c in sheet["B"]][1:] == ["#,##0.00", "#,##0.00"]


def test_a_small_ratio_never_shows_as_zero(tmp_path: Path) -> None:
    """A cell's format shows a small ratio's two significant digits, as the page does."""
    table = Table(
        "t",
        "T",
        ("ratio",),
        ("number",),
        (
            (0.000111,),
            (0.0001,),
            (0.00002333,),
            (0.00001,),
            (-0.004,),
            (3.3125,),
            (0.0,),
        ),
    )
    book = openpyxl.Workbook()
    sheet = _xlsx._sheet(book, table, _xlsx._openpyxl())
    assert [c.number_format for c in sheet["A"]][1:] == [
        "#,##0.00000",  # 0.00011
        "#,##0.0000",  # 0.0001
        "0.0E+00",  # 2.3E-05
        "0E+00",  # 1E-05
        "#,##0.000",  # -0.004
        "#,##0.00",
        "#,##0.00",
    ]


def test_without_openpyxl_the_error_says_what_to_install(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The extra missing: an ImportError naming clusterkit-eu[excel]."""
    report = KPIReport.build(example_path(), as_of=AS_OF)
    monkeypatch.setitem(sys.modules, "openpyxl", None)
    with pytest.raises(
        ImportError, match=re.escape("pip install 'clusterkit-eu[excel]'")
    ):
        report.to_xlsx(tmp_path / "r.xlsx")


def test_control_characters_are_shown_not_refused(tmp_path: Path) -> None:
    """A path with an escape character: the workbook is written, the character shown."""
    folder = tmp_path / "data\x1b[2J"
    folder.mkdir()
    for path in example_path().iterdir():
        (folder / path.name).write_bytes(path.read_bytes())
    _, workbook = workbook_of(tmp_path, folder)
    about = "\n".join(str(value) for row in rows(workbook["About"]) for value in row)
    assert "\x1b" not in about
    assert "data\\x1b[2J" in about


def test_the_about_sheet_carries_the_notes_of_the_kpis(tmp_path: Path) -> None:
    """The register gives no smes_reached: the workbook says its 0 is no count."""
    report = KPIReport.build(
        ck.reference.programme(), generation="escp-4i-1", as_of=AS_OF
    )
    workbook = openpyxl.load_workbook(report.to_xlsx(tmp_path / "report.xlsx"))
    reach, no_activities = report.result.notes
    assert "SMEs reached is 0 for want of figures" in reach
    assert "no activity record" in no_activities
    assert rows(workbook["About"])[-2:] == [("note", reach), ("note", no_activities)]
