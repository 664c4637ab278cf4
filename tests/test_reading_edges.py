"""Edges of the reading layer and its outputs that the broader tests do not reach."""

from __future__ import annotations

import datetime as dt
import io
import json
import shutil
import sys
import tempfile
import zipfile
import zlib
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import clusterkit as ck
from clusterkit._scan import Scan, Shard, _cells
from clusterkit.cli import main
from clusterkit.io import UNREADABLE, Format, Member, _source, format_named
from clusterkit.io._formats import csv_files, xlsx_workbook
from clusterkit.kpis import _parallel
from clusterkit.kpis._pass import gating_options
from clusterkit.kpis._scope import Scope
from clusterkit.report import Rule, Severity, Summary
from clusterkit.values import Location

AS_OF = dt.date(2026, 1, 1)
DATA = Path(__file__).parent / "data"
BASE = DATA / "valid" / "base"


def copy_base(tmp_path: Path) -> Path:
    """A copy of the valid base dataset to edit."""
    return Path(shutil.copytree(BASE, tmp_path / "data"))


def jsonl_copy(tmp_path: Path) -> Path:
    """The base dataset as a folder of JSON Lines files."""
    folder = tmp_path / "jsonl"
    ck.dump_dataset(ck.load_dataset(BASE), folder, layout="jsonl")
    return folder


def rules_of(report: ck.Report) -> list[str]:
    """The rule of each finding."""
    return [finding.rule for finding in report.findings]


# ---------------------------------------------------------------- JSON Lines


def test_a_line_nested_too_deeply_is_a_malformed_row(tmp_path: Path) -> None:
    """A line nested beyond the parser's depth is CK-ROW-001 at its line, and reading goes on."""
    folder = jsonl_copy(tmp_path)
    clusters = folder / "clusters.jsonl"
    lines = clusters.read_text(encoding="utf-8").splitlines()
    lines.insert(1, "[" * 100_000 + "]" * 100_000)
    clusters.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ck.validate(folder, as_of=AS_OF, select=["CK-ROW"])
    (finding,) = report.findings
    assert (finding.rule, finding.location.line) == ("CK-ROW-001", 2)
    assert "nested more than 8 deep (max_json_depth)" in finding.message
    with pytest.raises(ck.DatasetReadError, match="nested more than 8 deep"):
        ck.load_dataset(folder)


def test_a_line_of_two_objects_is_not_read_as_two_rows(tmp_path: Path) -> None:
    """`{...},{...}` on one line is CK-FILE-001 at its line, not two records."""
    folder = jsonl_copy(tmp_path)
    clusters = folder / "clusters.jsonl"
    lines = clusters.read_text(encoding="utf-8").splitlines()
    lines[1] = f"{lines[1]},{lines[2]}"
    del lines[2]
    clusters.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ck.validate(folder, as_of=AS_OF, select=["CK-FILE", "CK-ROW"])
    assert [(f.rule, f.location.line) for f in report.findings] == [("CK-FILE-001", 2)]
    loaded = ck.load_dataset(folder, errors="report")
    assert [(f.rule, f.location.line) for f in loaded.report.findings] == [
        ("CK-FILE-001", 2)
    ]
    assert len(loaded.dataset.clusters) == len(lines) - 1


def test_a_line_that_is_not_utf8_stops_the_record_reader(tmp_path: Path) -> None:
    """iter_records on a JSON Lines file names the line that is not UTF-8."""
    path = tmp_path / "clusters.jsonl"
    path.write_bytes(b'{"id": "C1", "name": "N", "country": "DE"}\n{"id": "\xff"}\n')
    with pytest.raises(ck.DatasetReadError, match="not UTF-8") as raised:
        list(ck.iter_records(path, ck.Cluster))
    assert raised.value.line == 2


def test_a_lone_carriage_return_ends_a_line(tmp_path: Path) -> None:
    """Lines ended by a lone CR are numbered as an editor numbers them."""
    path = tmp_path / "data" / "clusters.jsonl"
    path.parent.mkdir()
    path.write_bytes(
        b'{"id": "C1", "name": "N", "country": "DE"}\r'
        b'{"id": "C2", "name": "M", "country": "FR"}\r'
        b'{"id": "C3", "name": "O", "country": "IT", "bogus": 1}\n'
    )
    report = ck.validate(path.parent, as_of=AS_OF, select=["CK-HDR-002"])
    assert [(f.rule, f.location.line) for f in report.findings] == [("CK-HDR-002", 3)]
    # The unknown key is ignored and warned of, as the validator does.
    loaded = ck.load_dataset(path.parent, errors="report")
    assert [c.id for c in loaded.dataset.clusters] == ["C1", "C2", "C3"]
    assert [(f.rule, f.location.line) for f in loaded.report.findings] == [
        ("CK-HDR-002", 3)
    ]


def _damaged_zip(members: dict[str, bytes], damaged: str) -> bytes:
    """A zip of these members, stored, with one member's bytes changed after its CRC."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    whole = buffer.getvalue()
    original = members[damaged]
    spoiled = original[:-2] + b"!\n"
    return whole.replace(original, spoiled, 1)


def test_a_damaged_jsonl_member_stops_its_file(tmp_path: Path) -> None:
    """A JSON Lines member with a bad checksum is CK-FILE-001; the others are read."""
    folder = jsonl_copy(tmp_path)
    members = {path.name: path.read_bytes() for path in folder.iterdir()}
    data = _damaged_zip(members, "activities.jsonl")
    report = ck.validate(data, as_of=AS_OF, select=["CK-FILE"], name="d.zip")
    (finding,) = report.findings
    assert finding.location.file == "d.zip/activities.jsonl"
    assert "damaged" in finding.message
    with pytest.raises(ck.DatasetReadError, match="damaged"):
        ck.load_dataset(data)
    with pytest.raises(ck.DatasetReadError, match="damaged") as strict:
        list(ck.iter_records(data, ck.ActivityRecord))
    with pytest.raises(ck.DatasetReadError, match="damaged") as raw:
        list(ck.io.iter_raw_rows(data, ("activities",)))
    # Both name the line being read when the damage showed: a member this small
    # is read whole, and its checksum checked, when its first line is.
    assert strict.value.location == raw.value.location
    assert strict.value.location is not None
    assert strict.value.location.line == 1


def test_a_damaged_workbook_sheet_is_an_unreadable_file(tmp_path: Path) -> None:
    """A workbook whose sheet has a bad checksum is CK-FILE-001, not a traceback."""
    ck.dump_dataset(ck.load_dataset(BASE), tmp_path / "d.xlsx")
    with zipfile.ZipFile(tmp_path / "d.xlsx") as archive:
        members = {info.filename: archive.read(info) for info in archive.infolist()}
    sheets = sorted(name for name in members if name.startswith("xl/worksheets/"))
    for sheet in (sheets[0], sheets[-1]):
        data = _damaged_zip(members, sheet)
        report = ck.validate(data, as_of=AS_OF, select=["CK-FILE"], format="xlsx")
        assert rules_of(report) == ["CK-FILE-001"]
        assert "workbook" in report.findings[0].message or (
            "damaged" in report.findings[0].message
        )


def test_a_typed_list_of_numbers_is_checked_item_by_item(tmp_path: Path) -> None:
    """JSON ids given as numbers are not text: the checks look at each value."""
    folder = jsonl_copy(tmp_path)
    activities = folder / "activities.jsonl"
    records = [json.loads(line) for line in activities.read_text("utf-8").splitlines()]
    records[0]["clusters"] = [101, 102]
    activities.write_text(
        "".join(json.dumps(record) + "\n" for record in records), encoding="utf-8"
    )
    report = ck.validate(folder, as_of=AS_OF, select=["CK-FK-007"])
    assert {f.value for f in report.findings} == {"101", "102"}


@pytest.mark.parametrize(
    ("smes", "found"),
    [
        ([" SME-01"], []),  # an id to strip: the item is read as SME-01
        (["S" * 70], ["CK-TYPE-001"]),  # an id longer than 64 characters
    ],
)
def test_list_items_that_need_a_closer_look(
    tmp_path: Path, smes: list[str], found: list[str]
) -> None:
    """List items to strip, or too long, are checked one by one."""
    folder = jsonl_copy(tmp_path)
    activities = folder / "activities.jsonl"
    records = [json.loads(line) for line in activities.read_text("utf-8").splitlines()]
    records[0]["smes"] = smes
    activities.write_text(
        "".join(json.dumps(record) + "\n" for record in records), encoding="utf-8"
    )
    report = ck.validate(folder, as_of=AS_OF, select=["CK-TYPE"])
    assert rules_of(report) == found


def test_a_lenient_load_stops_a_jsonl_file_at_a_bad_byte(tmp_path: Path) -> None:
    """errors="report" reads a JSON Lines file up to a line that is not UTF-8."""
    folder = jsonl_copy(tmp_path)
    clusters = folder / "clusters.jsonl"
    clusters.write_bytes(clusters.read_bytes() + b'[1]\n{"id": "\xff"}\n')
    dataset, report = ck.load_dataset(folder, errors="report")
    assert rules_of(report) == ["CK-ROW-001", "CK-FILE-001"]
    assert len(dataset.clusters) == len(ck.load_dataset(BASE).clusters)


def test_a_jsonl_file_that_cannot_be_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A JSON Lines file that cannot be opened is CK-FILE-001; the others are read."""
    folder = jsonl_copy(tmp_path)
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self.name == "smes.jsonl":
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload] # passed through as given

    monkeypatch.setattr(Path, "open", refuse)
    report = ck.validate(folder, as_of=AS_OF, select=["CK-FILE"])
    assert [(f.location.file, f.message) for f in report.findings] == [
        (f"{folder}/smes.jsonl", "cannot open: Permission denied")
    ]


def test_a_sheet_damaged_while_it_is_read(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A sheet whose compressed stream breaks while it is read stops the workbook."""
    ck.dump_dataset(ck.load_dataset(BASE), tmp_path / "d.xlsx")

    def broken(*_: object, **__: object) -> object:
        raise zlib.error("invalid stored block lengths")

    monkeypatch.setattr(xlsx_workbook, "_sheets", broken)
    report = ck.validate(tmp_path / "d.xlsx", as_of=AS_OF, select=["CK-FILE"])
    assert rules_of(report) == ["CK-FILE-001"]
    assert "damaged" in report.findings[0].message


def test_a_spooled_stream_that_is_no_zip_removes_its_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A large stream that starts as a zip but is none leaves no temporary file."""
    monkeypatch.setattr(_source, "_IN_MEMORY", 16)
    monkeypatch.setattr(tempfile, "tempdir", str(tmp_path))
    report = ck.validate(io.BytesIO(b"PK\x03\x04" + b"x" * 100), as_of=AS_OF)
    assert rules_of(report) == ["CK-FILE-001"]
    assert list(tmp_path.glob("*.clusterkit")) == []


def test_bounded_memory_of_typed_values_gives_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The memory of typed (JSON) values started afresh changes nothing but speed."""
    folder = jsonl_copy(tmp_path)
    expected = ck.validate(folder, as_of=AS_OF).findings
    monkeypatch.setattr(_cells, "_CACHE_LIMIT", 0)
    assert ck.validate(folder, as_of=AS_OF).findings == expected


# ---------------------------------------------------------------- other sources


def test_records_of_one_table_of_a_document_or_a_dataset(tmp_path: Path) -> None:
    """iter_records reads one table of a JSON document and of a Dataset."""
    ds = ck.load_dataset(BASE)
    ck.dump_dataset(ds, tmp_path / "d.json")
    from_document = [
        record for record, _ in ck.iter_records(tmp_path / "d.json", ck.SME)
    ]
    from_dataset = [record for record, _ in ck.iter_records(ds, ck.SME)]
    assert tuple(from_document) == tuple(from_dataset) == ds.smes


def test_a_folder_without_the_table_has_no_records(tmp_path: Path) -> None:
    """iter_records of a table the folder lacks yields nothing."""
    folder = copy_base(tmp_path)
    (folder / "generations.csv").unlink(missing_ok=True)
    assert list(ck.iter_records(folder, ck.Generation)) == []


def test_unknown_fields_of_a_json_document_are_reported_once(tmp_path: Path) -> None:
    """A JSON document's unknown field is one CK-HDR-002 per table and field."""
    ds = ck.load_dataset(BASE)
    document = json.loads(ds.model_dump_json())
    for cluster in document["clusters"]:
        cluster["colour"] = "blue"
    path = tmp_path / "d.json"
    path.write_text(json.dumps(document), encoding="utf-8")
    report = ck.validate(path, as_of=AS_OF, select=["CK-HDR-002"])
    (finding,) = report.findings
    assert finding.message.startswith("unknown field 'colour' in clusters (")


def test_bytes_that_look_like_a_zip_but_are_not(tmp_path: Path) -> None:
    """Bytes starting as a zip archive that is not one are CK-FILE-001."""
    report = ck.validate(b"PK\x03\x04 and then nothing", as_of=AS_OF)
    assert rules_of(report) == ["CK-FILE-001"]
    assert "not a readable zip archive" in report.findings[0].message


def test_a_scan_reread_before_reading_finds_nothing() -> None:
    """A table read again before the source was opened gives no batch."""
    scan = Scan(BASE, lambda *_, **__: None)
    assert list(scan.reread("clusters")) == []
    scan.close()


def test_a_reread_of_some_fields_checks_them_and_their_invariants(
    tmp_path: Path,
) -> None:
    """Reading some fields again gives their values as the whole read does.

    A field an invariant may refuse brings the invariant's other fields: a
    cluster's `sme_members` above its `members_total` is refused either way.
    """
    data = copy_base(tmp_path)
    clusters = data / "clusters.csv"
    lines = clusters.read_text(encoding="utf-8").splitlines()
    # DE-001: 180 members, of which 140 SMEs -> 240 SMEs, more than its members.
    lines[1] = lines[1].replace(",180,140,", ",180,240,")
    clusters.write_text("\n".join(lines) + "\n", encoding="utf-8")
    scan = Scan(data, lambda *_, **__: None)
    whole = [batch for batch in scan.batches() if batch.table == "clusters"]
    ids = list(scan.reread("clusters", ("id", "country")))
    countries = list(scan.reread("clusters", ("country",)))
    smes = list(scan.reread("clusters", ("sme_members",)))
    scan.close()
    assert set(ids[0].columns) == {"id", "country"}
    assert set(countries[0].columns) == {"id", "country"}  # the id names a record
    assert ids[0]["id"] == whole[0]["id"]
    assert ids[0]["country"] == whole[0]["country"]
    assert set(smes[0].columns) == {"id", "sme_members", "members_total"}
    assert smes[0]["sme_members"] == whole[0]["sme_members"]
    assert smes[0]["sme_members"][0] is None  # refused by the invariant


def test_checks_of_some_activity_fields_leave_the_counters_alone() -> None:
    """The counters' defaults need the type and the counters: not filled for some."""
    checks = _cells.TableChecks("activities", (), ("type",))
    assert list(checks.fields) == ["id", "type"]  # the id names the record
    assert checks.invariants == ()
    assert checks.fill_defaults({"id": ["A1"]}) == ()
    assert _cells.TableChecks("activities", ()).fill_defaults(
        {"type": ["webinar"], **{name: [None] for name in ck.models.COUNTERS}}
    ) == tuple(ck.models.COUNTERS)


def test_a_format_without_a_layout_is_named_by_its_name() -> None:
    """A registered format outside the shipped layouts is known by its name."""
    csv_format = format_named("csv")
    other = Format(
        name="tsv",
        suffix=".tsv",
        per_table=True,
        read_rows=csv_format.read_rows,
        read_chunks=csv_format.read_chunks,
        write=csv_format.write,
    )
    assert other.layout == "tsv"
    assert csv_format.layout is ck.Layout.CSV
    with pytest.raises(ValueError, match="is not a layout"):
        format_named("tsv")


def test_a_model_level_error_without_a_field_is_reported(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A record refused as a whole, not by a field, is still reported and left out."""

    def refuse(values: object) -> ck.Cluster:
        raise ValidationError.from_exception_data(
            "Cluster",
            [
                {
                    "type": "value_error",
                    "loc": (),
                    "input": values,
                    "ctx": {"error": ValueError("whole record")},
                }
            ],
        )

    monkeypatch.setattr(ck.Cluster, "model_validate", refuse)
    dataset, report = ck.load_dataset(BASE, errors="report")
    assert dataset.clusters == ()
    assert {f.rule for f in report.findings} == {"CK-TYPE-001"}
    assert all("whole record" in f.message for f in report.findings)


def test_a_bad_list_item_quotes_the_whole_cell(tmp_path: Path) -> None:
    """A lenient load quotes a list cell with a bad item as the text it was."""
    folder = copy_base(tmp_path)
    activities = folder / "activities.csv"
    text = activities.read_text(encoding="utf-8")
    header, first, *rest = text.splitlines()
    cells = first.split(",")
    position = header.split(",").index("smes")
    cells[position] = "S1;" + "x" * 70
    activities.write_text("\n".join([header, ",".join(cells), *rest]) + "\n", "utf-8")
    _, report = ck.load_dataset(folder, errors="report")
    (finding,) = report.findings
    assert finding.value == "S1;" + "x" * 70


def test_a_damaged_part_falls_back_to_one_process(tmp_path: Path) -> None:
    """A shard of a JSON Lines file with a bad byte is not clean: one process reads it."""
    folder = jsonl_copy(tmp_path)
    activities = folder / "activities.jsonl"
    activities.write_bytes(activities.read_bytes() + b'{"id": "\xff"}\n')
    size = activities.stat().st_size
    options = gating_options(validate=True, as_of=AS_OF)
    part = _parallel._run_part(
        folder, Scope.build(), options, Shard("activities", 0, size, 1)
    )
    assert part.clean is False


def test_stdin_is_read_for_a_dash(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """`clusterkit validate -` reads the dataset on standard input."""
    ck.dump_dataset(ck.load_dataset(BASE), tmp_path / "d.json")

    class Stdin:
        buffer = io.BytesIO((tmp_path / "d.json").read_bytes())
        buffer.name = "<stdin>"

    monkeypatch.setattr(sys, "stdin", Stdin)
    assert main(["validate", "-", "--as-of", "2026-01-01"]) == 0
    assert "in <stdin>" in capsys.readouterr().out


# ---------------------------------------------------------------- outputs and values


def test_a_summary_of_findings() -> None:
    """Summary.of counts findings by severity and rule, all shown."""
    report = ck.validate(DATA / "invalid" / "CK-GEO-002", as_of=AS_OF)
    summary = Summary.of(report.findings)
    assert summary == report.summary


def test_render_refuses_an_unknown_format() -> None:
    """Report.render names the formats when given another."""
    report = ck.validate(BASE, as_of=AS_OF)
    with pytest.raises(ValueError, match="formats are text, json"):
        report.render("yaml")
    assert report.render("json") == report.to_json()


def test_a_rule_is_declared_once() -> None:
    """A second rule with an id already in the catalogue is refused; a rule prints as its id."""
    with pytest.raises(ValueError, match="declared twice"):
        Rule("CK-FK-001", Severity.ERROR, "again", "rows")
    assert str(ck.rules.CATALOGUE["CK-FK-001"]) == "CK-FK-001"
    assert ck.rules.CATALOGUE["CK-FILE-001"] is UNREADABLE


def test_a_read_error_without_a_leading_location_keeps_its_message() -> None:
    """`problem` is the message itself when no location leads it."""
    error = ck.DatasetReadError("nothing to strip", source="elsewhere")
    assert error.problem == "nothing to strip"


def test_markdown_of_a_result_with_records_left_out() -> None:
    """The Markdown of KPIs names the rules that left records out."""
    result = ck.compute_kpis(DATA / "invalid" / "CK-FK-001", as_of=AS_OF)
    assert "Left out because of errors" in result.to_markdown()


def test_a_member_opens_again_from_its_start(tmp_path: Path) -> None:
    """A member of bytes opens from its start each time."""
    member = Member("x", lambda: io.BytesIO(b"abc"))
    assert member.head(2) == b"ab"
    assert member.head() == b"abc"


# Keys of SME records: known fields, one unknown, and some left out.
_SME_KEYS = ("id", "name", "country", "clusters", "size_class", "stray")


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.lists(st.sampled_from(_SME_KEYS), unique=True, max_size=4),
        min_size=1,
        max_size=6,
    ),
    st.booleans(),
)
# A null beside no unknown key, and beside one.
@example(key_sets=[["id", "size_class"]], same_keys=False)
@example(key_sets=[["id", "size_class", "stray"]], same_keys=False)
def test_json_lines_columns_are_each_records_fields(
    key_sets: list[list[str]], same_keys: bool
) -> None:
    """Records with the same keys or not, nulls, unknown keys: each cell is the record's."""
    if same_keys:
        key_sets = [key_sets[0]] * len(key_sets)
    values: dict[str, Any] = {"id": "S1", "name": "Acme", "country": "DE"}
    values["clusters"] = ["C1"]
    values |= {"size_class": None, "stray": 7}  # a null, and a field no table has
    records = [{key: values[key] for key in keys} for keys in key_sets]
    text = "".join(json.dumps(record) + "\n" for record in records).encode()
    problems: list[str] = []

    def report(rule: Rule, location: Location, message: str, **details: Any) -> None:
        del rule, location, details
        problems.append(message)

    member = Member("smes.jsonl", lambda: io.BytesIO(text))
    (chunk,) = format_named("jsonl").read_chunks(member, "smes", report, None)
    fields = ck.SME.model_fields
    for field, column in chunk.cells.items():
        assert field in fields
        assert list(column) == [record.get(field) for record in records], field
    # Every field some record gives (null is not given) is a column, and so is
    # every required one.
    given = {key for r in records for key, value in r.items() if value is not None}
    given &= set(fields)
    required = {name for name, info in fields.items() if info.is_required()}
    assert set(chunk.cells) == given | required
    assert any("'stray'" in problem for problem in problems) == (
        any("stray" in record for record in records)
    )


def test_partial_dates_of_one_day_keep_their_precision() -> None:
    """2018 and 2018-01 are one day, but each is reported as it was given."""
    base = ck.load_dataset(BASE)
    year = ck.PartialDate(2018, 1, 1, "year")
    month = ck.PartialDate(2018, 1, 1, "month")
    first, second, *rest = base.partnerships
    partnerships = (
        first.model_copy(update={"start": year}),
        second.model_copy(update={"start": month}),
        *rest,
    )
    dataset = base.model_copy(update={"partnerships": partnerships})
    report = ck.validate(dataset, as_of=AS_OF, select="CK-DATE-005")
    messages = [(f.entity and f.entity.id, f.message) for f in report.findings]
    assert messages == [
        (first.id, "'2018' is given to the year: read as its first day, 2018-01-01"),
        (
            second.id,
            "'2018-01' is given to the month: read as its first day, 2018-01-01",
        ),
    ]


def test_cells_are_taken_from_a_row_as_a_tuple_for_any_number_of_columns() -> None:
    """The CSV reader takes a row's known cells as a tuple, of one column too."""
    row = ["a", "b", "c"]
    assert csv_files._cells_at([2])(row) == ("c",)
    assert csv_files._cells_at([2, 0])(row) == ("c", "a")
    assert csv_files._cells_at([])(row) == ()


def test_a_csv_table_of_one_known_column_is_read_leniently(tmp_path: Path) -> None:
    """A header of one known column: the rows are read, the missing columns reported."""
    folder = copy_base(tmp_path)
    ids = [sme.id for sme in ck.load_dataset(folder).smes]
    text = "id\n" + "\n".join(ids) + "\n"
    (folder / "smes.csv").write_text(text, encoding="utf-8")
    loaded, report = ck.load_dataset(folder, errors="report")
    header = [
        (finding.rule, str(finding.location))
        for finding in report.findings
        if (finding.location.file or "").endswith("smes.csv")
    ]
    where = str(folder / "smes.csv")
    assert header == [
        ("CK-HDR-001", f"{where}:1 (name)"),
        ("CK-HDR-001", f"{where}:1 (country)"),
    ]
    assert loaded.smes == ()
