"""Workbook cells as spreadsheets save them: empty formula results, errors, odd references, big numbers."""

from __future__ import annotations

import datetime as dt
import re
import zipfile
from collections import Counter
from collections.abc import Iterator
from pathlib import Path

import pytest

import clusterkit as ck
from clusterkit.io import _xlsx_parts
from clusterkit.models import TABLES
from clusterkit.testing import generate_dataset

AS_OF = dt.date(2026, 1, 1)
# The sheets of a workbook `dump_dataset` writes, in the order of the tables.
SHEETS = {name: f"xl/worksheets/sheet{n}.xml" for n, name in enumerate(TABLES, 1)}


@pytest.fixture(name="workbook")
def fixture_workbook(tmp_path: Path) -> Path:
    """The example as a workbook."""
    path = tmp_path / "example.xlsx"
    ck.dump_dataset(ck.load_example(), path)
    return path


def set_cell(path: Path, table: str, cell: str, xml: str) -> Path:
    """The workbook with one cell of a table's sheet replaced by `xml` (a `<c>`)."""
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    sheet = members[SHEETS[table]].decode("utf-8")
    found = re.search(rf'<c r="{cell}"[^>]*?(/>|>.*?</c>)', sheet)
    assert found is not None, cell
    members[SHEETS[table]] = (
        sheet[: found.start()] + xml + sheet[found.end() :]
    ).encode()
    changed = path.with_name(f"{path.stem}-{table}-{cell}.xlsx")
    with zipfile.ZipFile(changed, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return changed


def test_a_formula_whose_result_is_empty_text_is_a_blank_cell(workbook: Path) -> None:
    """`=IF(…, "", …)` saved as `<v/>` was calculated: the cell is not given."""
    city = set_cell(
        workbook,
        "activities",
        "I2",
        '<c r="I2" t="str"><f>IF(A2="","x","")</f><v/></c>',
    )
    title = set_cell(
        workbook, "activities", "F2", '<c r="F2" t="str"><f>IF(1,"","x")</f><v></v></c>'
    )
    assert ck.load_dataset(city).activities[0].city is None
    assert ck.load_dataset(title).activities[0].title is None
    assert ck.compute_kpis(city, as_of=AS_OF).complete


def test_a_formula_with_no_saved_result_still_stops_the_reading(
    workbook: Path,
) -> None:
    """No `<v>` at all is a formula never calculated: its value is unknown."""
    uncalculated = set_cell(
        workbook, "activities", "F2", '<c r="F2" t="str"><f>CONCAT("a","b")</f></c>'
    )
    with pytest.raises(ck.DatasetReadError, match="a formula with no saved value"):
        ck.load_dataset(uncalculated)


@pytest.mark.parametrize("error", ["#N/A", "#REF!", "#DIV/0!", "#VALUE!"])
def test_a_cell_holding_a_spreadsheet_error_is_reported_at_it(
    workbook: Path, error: str
) -> None:
    """An error is no value: CK-TYPE-001 at its cell, and its record is left out."""
    broken = set_cell(
        workbook,
        "smes",
        "B2",
        f'<c r="B2" t="e"><f>VLOOKUP(A2,X!A:B,2)</f><v>{error}</v></c>',
    )
    report = ck.validate(broken, as_of=AS_OF)
    (finding,) = [f for f in report.findings if f.rule == "CK-TYPE-001"]
    assert finding.location.sheet == "smes"
    assert (finding.location.cell, finding.location.field) == ("B2", "name")
    assert finding.value == error
    assert finding.message == (
        f"name: the cell holds the spreadsheet error {error}, the result of a "
        "formula that failed, not a value; it was left out"
    )
    assert not [f for f in report.findings if f.rule == "CK-DUP-001"]
    with pytest.raises(
        ck.DatasetReadError, match=f"spreadsheet error {error}"
    ) as raised:
        ck.load_dataset(broken)
    assert raised.value.location is not None
    assert raised.value.location.cell == "B2"
    result = ck.compute_kpis(broken, as_of=AS_OF)
    assert result.records["smes"].excluded == 1


@pytest.mark.parametrize("index", ["-1", "-2", "9999"])
def test_a_shared_string_index_out_of_the_table_is_malformed(
    tmp_path: Path, index: str
) -> None:
    """-1 is no string of the table; Python's list would read the last one."""
    path = tmp_path / "shared.xlsx"
    ck.dump_dataset(ck.load_example(), path)
    with zipfile.ZipFile(path) as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    members["xl/sharedStrings.xml"] = (
        b'<?xml version="1.0" encoding="UTF-8"?><sst xmlns="http://schemas.'
        b'openxmlformats.org/spreadsheetml/2006/main"><si><t>US</t></si></sst>'
    )
    rels = members["xl/_rels/workbook.xml.rels"].decode()
    members["xl/_rels/workbook.xml.rels"] = rels.replace(
        "</Relationships>",
        '<Relationship Id="rIdS" Type="http://schemas.openxmlformats.org/'
        'officeDocument/2006/relationships/sharedStrings" Target="sharedStrings.xml"/>'
        "</Relationships>",
    ).encode()
    with zipfile.ZipFile(path, "w") as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    good = set_cell(path, "activities", "G2", '<c r="G2" t="s"><v>0</v></c>')
    assert ck.load_dataset(good).activities[0].target_country == "US"
    bad = set_cell(path, "activities", "G2", f'<c r="G2" t="s"><v>{index}</v></c>')
    with pytest.raises(ck.DatasetReadError, match=f"holds '{index}'") as raised:
        ck.load_dataset(bad)
    assert raised.value.location is not None
    assert (raised.value.location.sheet, raised.value.location.cell) == (
        "activities",
        "G2",
    )


@pytest.mark.parametrize(
    ("xml", "problem"),
    [
        ('<c r="L2" t="n"><v>12,5</v></c>', "holds '12,5'"),
        ('<c r="L2" t="b"><v>true</v></c>', "holds 'true'"),
        (
            '<c r="L2" t="inlineStr"><is><t>' + "x" * 600 + "</t></is></c>",
            "more than 500",
        ),
    ],
    ids=["number", "boolean", "long"],
)
def test_a_cell_that_stops_the_reading_is_located(
    workbook: Path, xml: str, problem: str
) -> None:
    """CK-FILE-001 names the sheet and cell where the reading stopped."""
    broken = set_cell(workbook, "activities", "L2", xml)
    with ck.Limits(max_cell_chars=500).applied():
        report = ck.validate(broken, as_of=AS_OF)
    (finding,) = [f for f in report.findings if f.rule == "CK-FILE-001"]
    assert problem in finding.message
    where = finding.location
    assert (where.sheet, where.line, where.column, where.cell) == (
        "activities",
        2,
        12,
        "L2",
    )


def test_the_rows_before_a_limit_are_read(tmp_path: Path) -> None:
    """Reading stops at the row that crosses max_rows; the rows before it all count."""
    dataset = generate_dataset(seed=3, activities=400)
    path = tmp_path / "many.xlsx"
    ck.dump_dataset(dataset, path)
    with ck.Limits(max_rows=300).applied():
        loaded, report = ck.load_dataset(path, errors="report")
        result = ck.compute_kpis(path, as_of=AS_OF)
    stopped = [f for f in report.findings if f.rule == "CK-FILE-001"]
    # The header is the first of the 300 rows read: 299 activities.
    assert [f.location.line for f in stopped] == [301]
    assert len(loaded.activities) == 299
    assert result.records["activities"].read == 299


def test_a_table_read_again_parses_its_own_sheet(
    workbook: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """CK-DUP-001 reads clusters and SMEs again, not the activities' sheet with them."""
    parsed: Counter[str] = Counter()
    rows = _xlsx_parts.Workbook.rows

    def counted(
        self: _xlsx_parts.Workbook, sheet: _xlsx_parts.Sheet
    ) -> Iterator[object]:
        parsed[sheet.name] += 1
        return rows(self, sheet)

    monkeypatch.setattr(_xlsx_parts.Workbook, "rows", counted)
    ck.validate(workbook, as_of=AS_OF)
    assert parsed["activities"] == 1
    assert parsed["clusters"] == parsed["smes"] == 2
    parsed.clear()
    ck.compute_kpis(workbook, as_of=AS_OF)
    assert parsed["activities"] == 1


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("1E+20", 10**20),
        ("1E+25", 10**25),
        ("12345678901234567890", 12345678901234567890),
    ],
)
def test_a_whole_number_is_read_as_the_spreadsheet_shows_it(
    workbook: Path, text: str, number: int
) -> None:
    """1E+25 is 10**25, not the float's 10000000000000000905969664."""
    big = set_cell(workbook, "partnerships", "K2", f'<c r="K2" t="n"><v>{text}</v></c>')
    assert ck.load_dataset(big).partnerships[0].smes_reached == number


def test_a_number_with_too_many_digits_is_quoted(workbook: Path) -> None:
    """The message quotes the number's digits, from a workbook as from a mapping."""
    number = 10**45
    big = set_cell(
        workbook, "partnerships", "K2", f'<c r="K2" t="n"><v>{number}</v></c>'
    )
    mapping = ck.load_example().model_dump(mode="json")
    mapping["partnerships"][0]["smes_reached"] = number
    for source in (big, mapping):
        (finding,) = [
            f
            for f in ck.validate(source, as_of=AS_OF).findings
            if f.rule == "CK-TYPE-001"
        ]
        assert finding.message.startswith(f"'{str(number)[:40]}…' has too many digits")


def test_a_number_of_thousands_of_digits_is_said_by_its_size() -> None:
    """Python turns no more than 4,300 digits into text: the message gives the size."""
    mapping = ck.load_example().model_dump(mode="json")
    mapping["partnerships"][0]["smes_reached"] = 10**5000
    (finding,) = [
        f for f in ck.validate(mapping, as_of=AS_OF).findings if f.rule == "CK-TYPE-001"
    ]
    assert finding.message.startswith(
        "'a number of about 5,000 digits' has too many digits"
    )


@pytest.mark.parametrize("kind", ["xlsx", "json"])
def test_a_document_gives_the_tables_asked_for(tmp_path: Path, kind: str) -> None:
    """One table is read alone; several are read together, and only they are given."""
    path = tmp_path / f"example.{kind}"
    ck.dump_dataset(ck.load_example(), path)
    with ck.io.open_source(path) as opened:
        for asked in ({"smes"}, {"clusters", "smes"}):
            given = {chunk.table for chunk in opened.chunks(_quiet, tables=asked)}
            assert given == asked


def _quiet(*_args: object, **_kwargs: object) -> None:
    """A reporter that is told nothing worth keeping here."""


def test_a_header_cell_holding_an_error_is_named_by_it(workbook: Path) -> None:
    """A column headed `#REF!` is an unknown column named `#ref!`, like any other."""
    headed = set_cell(workbook, "activities", "Q1", '<c r="Q1" t="e"><v>#REF!</v></c>')
    report = ck.validate(headed, as_of=AS_OF)
    (finding,) = [f for f in report.findings if f.rule == "CK-HDR-002"]
    assert "'#ref!'" in finding.message
    # A header cell that is not there at all is an empty one.
    gap = set_cell(workbook, "activities", "I1", "")
    (finding,) = [
        f for f in ck.validate(gap, as_of=AS_OF).findings if f.rule == "CK-HDR-002"
    ]
    assert (finding.location.cell, finding.message) == (
        "I1",
        "header cell 9 is empty; the column is ignored",
    )


@pytest.mark.parametrize("layout", ["xlsx", "csv"])
def test_records_nothing_refers_to_follow_from_a_reading_that_stopped(
    tmp_path: Path, layout: str
) -> None:
    """When the activities stop reading, "no activities" follows from that.

    A workbook's sheet stops at a cell too long; a CSV file at a quote that
    does not end.
    """
    example = ck.load_example()
    if layout == "xlsx":
        target = tmp_path / "data.xlsx"
        ck.dump_dataset(example, target)
        long = "x" * 600
        target = set_cell(
            target,
            "activities",
            "F3",
            f'<c r="F3" t="inlineStr"><is><t>{long}</t></is></c>',
        )
    else:
        target = tmp_path / "data"
        ck.dump_dataset(example, target)
        activities = target / "activities.csv"
        text = activities.read_text(encoding="utf-8")
        at = text.index(example.activities[49].id)
        activities.write_text(text[:at] + '"' + text[at:], encoding="utf-8")
    with ck.Limits(max_cell_chars=500).applied():
        report = ck.validate(target, as_of=AS_OF)
    (stop,) = [f for f in report.findings if f.rule == "CK-FILE-001"]
    orphans = [f for f in report.findings if f.rule == "CK-ORPHAN-001"]
    assert orphans
    assert {f.caused_by for f in orphans} == {stop.fingerprint}
    # Read in full, the same data has no orphan.
    assert not [f for f in ck.validate(example).findings if f.rule == "CK-ORPHAN-001"]
