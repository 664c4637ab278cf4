"""CSV files separated by semicolons or tabs: read with their separator, and CK-FILE-002.

Excel writes CSV with `;` between cells wherever the comma is the decimal mark.
The separator is found from the header line (the comma whenever it names a
field), so such a file reads as the same file with commas does, and a warning
says so.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit.testing import datasets

AS_OF = dt.date(2026, 1, 1)
BASE = Path(__file__).parent / "data" / "valid" / "base"
FILES = ("generations", "clusters", "smes", "partnerships", "targets", "activities")

Placed = tuple[str, str, str | None, int | None, int | None, str | None, str]


def rewritten(path: Path, separator: str, *, quote_all: bool = False) -> None:
    """Write a CSV file again with `separator` between its cells."""
    with path.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle, strict=True))
    buffer = io.StringIO(newline="")
    if quote_all:
        writer = csv.writer(
            buffer, delimiter=separator, lineterminator="\n", quoting=csv.QUOTE_ALL
        )
    else:
        writer = csv.writer(buffer, delimiter=separator, lineterminator="\n")
    writer.writerows(rows)
    path.write_text(buffer.getvalue(), encoding="utf-8", newline="")


def placed(report: ck.Report, folder: Path) -> list[Placed]:
    """Every finding with its place: rule, file name, field, line, column, value, message.

    A message that names a place in the folder ("first at …") names it without
    the folder.
    """
    return sorted(
        (
            finding.rule,
            Path(finding.location.file or "").name,
            finding.location.field,
            finding.location.line,
            finding.location.column,
            finding.value,
            finding.message.replace(str(folder), "<folder>"),
        )
        for finding in report.findings
    )


def copy_of_base(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    folder.mkdir()
    for name in FILES:
        source = BASE / f"{name}.csv"
        if source.exists():
            (folder / f"{name}.csv").write_bytes(source.read_bytes())
    return folder


@settings(
    max_examples=25,
    suppress_health_check=[
        *settings().suppress_health_check,
        HealthCheck.function_scoped_fixture,
    ],
)
@given(dataset=datasets(), separator=st.sampled_from([";", "\t"]))
def test_a_dataset_written_with_another_separator_reads_alike(
    tmp_path: Path, dataset: ck.Dataset, separator: str
) -> None:
    """Same records, same findings in the same places, same KPIs; one warning a file."""
    where = Path(tempfile.mkdtemp(dir=tmp_path))
    commas, other = where / "commas", where / "other"
    ck.dump_dataset(dataset, commas)
    ck.dump_dataset(dataset, other)
    files = sorted(other.glob("*.csv"))
    for path in files:
        rewritten(path, separator)
    assert ck.load_dataset(other) == ck.load_dataset(commas)
    reference = ck.validate(commas, as_of=AS_OF)
    report = ck.validate(other, as_of=AS_OF)
    warnings = [item for item in placed(report, other) if item[0] == "CK-FILE-002"]
    assert [(item[1], item[3]) for item in warnings] == [
        (path.name, 1) for path in files
    ]
    others = [item for item in placed(report, other) if item[0] != "CK-FILE-002"]
    assert others == placed(reference, commas)
    assert ck.compute_kpis(other, as_of=AS_OF).kpis == (
        ck.compute_kpis(commas, as_of=AS_OF).kpis
    )


def test_the_warning_names_the_separator_and_how_to_write_commas(
    tmp_path: Path,
) -> None:
    """CK-FILE-002 at line 1 of the file, with `clusterkit convert` in its hint."""
    folder = copy_of_base(tmp_path)
    rewritten(folder / "smes.csv", "\t")
    report = ck.validate(folder, as_of=AS_OF)
    (finding,) = report.findings
    assert (finding.rule, finding.severity) == ("CK-FILE-002", ck.Severity.WARNING)
    assert finding.location == ck.Location(file=str(folder / "smes.csv"), line=1)
    assert "separated by tabs, not by commas" in finding.message
    assert finding.hint is not None
    assert "clusterkit convert" in finding.hint
    assert report.ok


def test_quoted_header_cells_are_read(tmp_path: Path) -> None:
    """Every cell quoted, header too (`"id";"name"`, as R's write.csv2 writes)."""
    folder = copy_of_base(tmp_path)
    rewritten(folder / "clusters.csv", ";", quote_all=True)
    assert (folder / "clusters.csv").read_text("utf-8").startswith('"id";"name"')
    assert ck.load_dataset(folder) == ck.load_dataset(BASE)
    assert [f.rule for f in ck.validate(folder, as_of=AS_OF).findings] == [
        "CK-FILE-002"
    ]


def test_the_comma_wins_when_it_names_a_field(tmp_path: Path) -> None:
    """A header with commas that names a field is read with commas, `;` or not."""
    folder = copy_of_base(tmp_path)
    path = folder / "targets.csv"
    lines = path.read_text("utf-8").splitlines(keepends=True)
    path.write_text(
        lines[0].rstrip("\n")
        + ",a;sources\n"
        + "".join(line.rstrip("\n") + ",x\n" for line in lines[1:]),
        encoding="utf-8",
    )
    report = ck.validate(folder, as_of=AS_OF)
    assert [(f.rule, f.location.field) for f in report.findings] == [
        ("CK-HDR-002", "a;sources")
    ]


def test_a_header_no_separator_makes_sense_of_is_read_with_commas(
    tmp_path: Path,
) -> None:
    """No separator finds a field name: the comma's header problems, as before."""
    folder = copy_of_base(tmp_path)
    (folder / "targets.csv").write_text("a;b;c\n1;2;3\n", encoding="utf-8")
    rules = {f.rule for f in ck.validate(folder, as_of=AS_OF).findings}
    assert "CK-FILE-002" not in rules
    assert {"CK-HDR-001", "CK-HDR-002"} <= rules


def test_load_dataset_reads_it_and_the_lenient_load_warns(tmp_path: Path) -> None:
    """The strict load reads the records; `errors="report"` keeps the warning."""
    folder = copy_of_base(tmp_path)
    rewritten(folder / "activities.csv", ";")
    assert ck.load_dataset(folder) == ck.load_dataset(BASE)
    loaded = ck.load_dataset(folder, errors="report")
    assert loaded.dataset == ck.load_dataset(BASE)
    assert [f.rule for f in loaded.report.findings] == ["CK-FILE-002"]
    records = list(ck.iter_records(folder / "activities.csv", ck.ActivityRecord))
    assert [record.id for record, _ in records] == [
        a.id for a in ck.load_dataset(BASE).activities
    ]


def test_rows_before_a_bad_byte_are_read_with_the_separator(tmp_path: Path) -> None:
    """A file that stops decoding part way: the rows before are read again with `;`."""
    folder = copy_of_base(tmp_path)
    path = folder / "activities.csv"
    rewritten(path, ";")
    lines = path.read_bytes().splitlines(keepends=True)
    # A2 (line 3, two lines long) refers to an unknown partnership; A3 (line
    # 5) has a byte that is not UTF-8.
    lines[2] = lines[2].replace(b";P1;", b";P9;", 1)
    lines[4] = lines[4].replace(b"matchmaking in", b"matchm\xe9king in", 1)
    path.write_bytes(b"".join(lines))
    report = ck.validate(folder, as_of=AS_OF)
    found = {(f.rule, f.location.line) for f in report.findings}
    assert ("CK-FILE-002", 1) in found
    assert ("CK-FK-001", 3) in found
    assert ("CK-FILE-001", 5) in found


@pytest.mark.parametrize("separator", [";", "\t"])
def test_the_kpis_of_a_file_with_another_separator(
    tmp_path: Path, separator: str
) -> None:
    """`compute_kpis` reads it too: the KPIs of the comma file."""
    folder = copy_of_base(tmp_path)
    for name in FILES:
        if (folder / f"{name}.csv").exists():
            rewritten(folder / f"{name}.csv", separator)
    assert ck.compute_kpis(folder, as_of=AS_OF).kpis == (
        ck.compute_kpis(BASE, as_of=AS_OF).kpis
    )
