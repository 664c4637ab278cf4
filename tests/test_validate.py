"""`clusterkit.validate` on bad input, across layouts, and its `Report` (DESIGN.md §4, §8).

Bad input never raises: each problem is a finding with a rule of the catalogue and a
location that names the file. Every layout of one dataset gives the same findings,
each located the way its layout locates things. The read-stage errors agree with the
record models: a row is reported if and only if its model refuses it.
"""

from __future__ import annotations

import contextlib
import csv
import datetime as dt
import functools
import json
import os
import re
import shutil
import warnings
from collections import Counter
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any

import pydantic
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit.io import required_fields
from clusterkit.io._rows import (
    cell_to_input,
    flat_cell,
    given_values,
    is_flat_field,
    render,
)
from clusterkit.models import TABLES
from clusterkit.rules import CATALOGUE
from conftest import write

AS_OF = dt.date(2026, 1, 1)
BASE = Path(__file__).parent / "data" / "valid" / "base"
ACTIVITIES_HEADER = "id,partnership,type,start,title\n"
GOOD_ROW = "A1,P1,webinar,2018-05-14,ok\n"
UNKNOWN_PARTNERSHIP_ROW = "A9,P9,webinar,2018-05-14,unknown partnership\n"
TEN_MB = 10 * 1024 * 1024

# The read-stage rules that say a row's values are not valid (DESIGN.md §4).
READ_ERRORS = frozenset(
    {
        "CK-TYPE-001",
        "CK-TYPE-003",
        "CK-ENUM-001",
        "CK-COUNTRY-001",
        "CK-COUNTRY-002",
        "CK-COUNT-001",
    }
)
# The read-stage rules about the file, its header or the shape of a row.
STRUCTURE_RULES = frozenset(
    {
        "CK-FILE-001",
        "CK-FILE-003",
        "CK-HDR-001",
        "CK-HDR-002",
        "CK-HDR-003",
        "CK-HDR-004",
        "CK-HDR-005",
        "CK-ROW-001",
    }
)

Key = tuple[str, str | None, int | None, str | None]


# ---------------------------------------------------------------- helpers


def run(source: Any, **options: Any) -> ck.Report:
    """Validate `source` as of 2026-01-01, checking every finding is located."""
    report = ck.validate(source, as_of=AS_OF, **options)
    assert_located(report)
    return report


def assert_located(report: ck.Report) -> None:
    """Every finding has a rule of the catalogue and a location with a file."""
    for finding in report.findings:
        assert finding.rule in CATALOGUE, finding
        assert finding.location.file, finding


def base_copy(tmp_path: Path, name: str = "data") -> Path:
    """A fresh copy of the valid base dataset (CSV folder)."""
    return Path(shutil.copytree(BASE, tmp_path / name))


def with_activities(tmp_path: Path, content: str | bytes) -> Path:
    """The base dataset with `content` as its activities.csv."""
    folder = base_copy(tmp_path)
    target = folder / "activities.csv"
    if isinstance(content, bytes):
        target.write_bytes(content)
    else:
        target.write_text(content, encoding="utf-8")
    return folder


def in_file(report: ck.Report, name: str) -> list[ck.Finding]:
    """The findings located in the file called `name`."""
    return [
        finding
        for finding in report.findings
        if finding.location.file and Path(finding.location.file).name == name
    ]


def keys(findings: Iterable[ck.Finding]) -> list[Key]:
    """Each finding as (rule, file name, line, field), sorted."""
    return sorted(
        (
            finding.rule,
            Path(finding.location.file).name if finding.location.file else None,
            finding.location.line,
            finding.location.field,
        )
        for finding in findings
    )


def only(findings: Iterable[ck.Finding], rule: str) -> ck.Finding:
    """The one finding of `rule` among `findings`."""
    items = list(findings)
    found = [finding for finding in items if finding.rule == rule]
    assert len(found) == 1, items
    return found[0]


def problem_dataset() -> ck.Dataset:
    """The base dataset with an unknown partnership, a duplicate id and an undeclared target."""
    base = ck.load_dataset(BASE)
    activities = list(base.activities)
    activities[3] = activities[3].model_copy(update={"partnership": "P-9"})
    activities.append(activities[0].model_copy(update={"title": "A1 again"}))
    activities.append(
        activities[1].model_copy(update={"id": "A99", "target_country": "BR"})
    )
    data = base.model_dump()
    data["activities"] = [activity.model_dump() for activity in activities]
    return ck.Dataset.model_validate(data)


PROBLEMS = Counter(
    [
        ("CK-FK-001", "A4", "partnership"),
        ("CK-PK-001", "A1", "id"),
        ("CK-GEO-002", "A99", "target_country"),
    ]
)


def problems_of(report: ck.Report) -> Counter[tuple[str, str | None, str | None]]:
    """The findings as a multiset of (rule, entity id, field)."""
    return Counter(
        (
            finding.rule,
            finding.entity.id if finding.entity else None,
            finding.location.field,
        )
        for finding in report.findings
    )


# ---------------------------------------------------------------- 1. bad input


def test_an_empty_file_is_an_empty_table(tmp_path: Path) -> None:
    """An empty activities.csv gives exactly the findings of no activities.csv at all."""
    empty = run(with_activities(tmp_path / "empty", b""))
    missing = base_copy(tmp_path / "missing")
    (missing / "activities.csv").unlink()
    assert in_file(empty, "activities.csv") == []
    assert keys(empty.findings) == keys(run(missing).findings)


def test_a_header_only_file_is_an_empty_table(tmp_path: Path) -> None:
    """A file with a header and no rows is an empty table, without a finding of its own."""
    header_only = run(with_activities(tmp_path / "header", ACTIVITIES_HEADER))
    empty = run(with_activities(tmp_path / "empty", b""))
    assert in_file(header_only, "activities.csv") == []
    assert keys(header_only.findings) == keys(empty.findings)


def test_binary_data_is_an_unreadable_file(tmp_path: Path) -> None:
    """PNG bytes named activities.csv are CK-FILE-001 at line 1, saying it is binary."""
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256)) * 8
    report = run(with_activities(tmp_path, png))
    finding = only(in_file(report, "activities.csv"), "CK-FILE-001")
    assert finding.location.line == 1
    assert "binary" in finding.message
    assert not report.ok


def test_latin_1_text_names_the_codec_and_the_line(tmp_path: Path) -> None:
    """A Latin-1 file is CK-FILE-001 at the line of its first bad byte, naming the codec."""
    text = ACTIVITIES_HEADER + GOOD_ROW + "A2,P1,webinar,2018-05-15,Café\n"
    report = run(with_activities(tmp_path, text.encode("latin-1")))
    finding = only(in_file(report, "activities.csv"), "CK-FILE-001")
    assert finding.location.line == 3
    assert "Latin-1" in finding.message
    assert "Windows-1252" in finding.message


def test_utf_16_text_names_the_codec(tmp_path: Path) -> None:
    """A UTF-16 file (with its byte-order mark) is CK-FILE-001 naming UTF-16."""
    text = ACTIVITIES_HEADER + GOOD_ROW
    report = run(with_activities(tmp_path, text.encode("utf-16")))
    finding = only(in_file(report, "activities.csv"), "CK-FILE-001")
    assert "UTF-16" in finding.message
    assert finding.location.line == 1


def test_a_ten_megabyte_csv_cell_does_not_crash(tmp_path: Path) -> None:
    """One 10 MB cell is read or reported at its line, never an exception."""
    text = ACTIVITIES_HEADER + "A1,P1,webinar,2018-05-14," + "x" * TEN_MB + "\n"
    report = run(with_activities(tmp_path, text))
    found = in_file(report, "activities.csv")
    assert all(finding.rule == "CK-FILE-001" for finding in found), found
    assert all(finding.location.line == 2 for finding in found), found


@pytest.mark.parametrize(
    ("csv_limit", "max_cell_chars", "length"),
    [
        (None, 10, 11),  # max_cell_chars below the csv module's own limit
        (4 * 1024 * 1024, None, 2_000_000),  # the csv module's limit raised above ours
    ],
)
def test_a_csv_cell_over_max_cell_chars_is_left_out(
    tmp_path: Path, csv_limit: int | None, max_cell_chars: int | None, length: int
) -> None:
    """A cell longer than `max_cell_chars` is refused at its line; the rows after it are read."""
    text = (
        ACTIVITIES_HEADER
        + "A1,P1,webinar,2018-05-14," + "x" * length + "\n"
        + "A2,P9,webinar,2018-05-14,ok\n"
    )  # fmt: skip
    limits = (
        ck.Limits()
        if max_cell_chars is None
        else ck.Limits(max_cell_chars=max_cell_chars)
    )
    previous = csv.field_size_limit()
    if csv_limit is not None:
        csv.field_size_limit(csv_limit)
    try:
        report = run(with_activities(tmp_path, text), limits=limits)
    finally:
        csv.field_size_limit(previous)
    found = {
        (finding.rule, finding.location.line, finding.location.field): finding
        for finding in in_file(report, "activities.csv")
    }
    too_long = found[("CK-TYPE-001", 2, "title")]
    assert f"{limits.max_cell_chars:,} (max_cell_chars)" in too_long.message
    assert ("CK-FK-001", 3, "partnership") in found  # the next row was read


@contextlib.contextmanager
def csv_field_limit(limit: int) -> Iterator[None]:
    """The `csv` module's (process-wide) field limit set to `limit`, restored after."""
    previous = csv.field_size_limit(limit)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


CSV_DEFAULT_LIMIT = 131_072  # the csv module's own field limit, unless raised


def test_a_csv_cell_longer_than_the_csv_module_limit_reads_as_in_json(
    tmp_path: Path,
) -> None:
    """A 200,000-character cell (csv: 131,072, ours: 1,000,000) reads in CSV as in JSON Lines."""
    long_title = "x" * 200_000
    text = ACTIVITIES_HEADER + f"A1,P1,webinar,2018-05-14,{long_title}\n"
    text += UNKNOWN_PARTNERSHIP_ROW
    folder = with_activities(tmp_path, text)
    with csv_field_limit(CSV_DEFAULT_LIMIT):
        report = run(folder)
    with csv_field_limit(CSV_DEFAULT_LIMIT):
        loaded = ck.load_dataset(folder)
    assert loaded.activities[0].title == long_title
    found = in_file(report, "activities.csv")
    assert keys(found) == [("CK-FK-001", "activities.csv", 3, "partnership")]
    jsonl = tmp_path / "jsonl"
    ck.dump_dataset(loaded, jsonl, layout="jsonl")
    as_json = in_file(run(jsonl), "activities.jsonl")
    # The same finding, on the second line: JSON Lines has no header.
    assert [(f.rule, f.location.line) for f in as_json] == [("CK-FK-001", 2)]


@pytest.mark.parametrize(("length", "stops"), [(150_000, False), (150_001, True)])
def test_the_csv_module_reads_cells_up_to_max_cell_chars(
    tmp_path: Path, length: int, stops: bool
) -> None:
    """Its limit is raised to `max_cell_chars` while it reads: a cell up to it reads; a longer one stops its file."""
    text = ACTIVITIES_HEADER + GOOD_ROW
    text += "A2,P1,webinar,2018-05-14," + "x" * length + "\n"
    text += UNKNOWN_PARTNERSHIP_ROW
    limits = ck.Limits(max_cell_chars=150_000)
    with csv_field_limit(CSV_DEFAULT_LIMIT):
        report = run(with_activities(tmp_path, text), limits=limits)
        assert csv.field_size_limit() == CSV_DEFAULT_LIMIT  # set back after
    found = in_file(report, "activities.csv")
    if stops:
        finding = only(found, "CK-FILE-001")
        assert finding.location.line == 3
        assert "field larger than field limit (150000)" in finding.message
    else:
        assert keys(found) == [("CK-FK-001", "activities.csv", 4, "partnership")]


def test_the_csv_module_limit_is_never_lowered(tmp_path: Path) -> None:
    """A limit someone raised further stays; clusterkit then measures the cells itself."""
    text = ACTIVITIES_HEADER + "A1,P1,webinar,2018-05-14," + "x" * 200 + "\n"
    with csv_field_limit(4 * 1024 * 1024):
        report = run(
            with_activities(tmp_path, text), limits=ck.Limits(max_cell_chars=100)
        )
        assert csv.field_size_limit() == 4 * 1024 * 1024
    assert only(in_file(report, "activities.csv"), "CK-TYPE-001").location.line == 2


def test_a_ten_megabyte_json_lines_line_is_read(tmp_path: Path) -> None:
    """A 10 MB JSON Lines line: read with a limit above it, refused at the field below it."""
    folder = tmp_path / "data"
    ck.dump_dataset(ck.load_dataset(BASE), folder, layout="jsonl")
    record = {
        "id": "A1",
        "partnership": "P1",
        "type": "webinar",
        "start": "2018-05-14",
        "title": "x" * TEN_MB,
    }
    (folder / "activities.jsonl").write_text(json.dumps(record) + "\n", "utf-8")
    report = ck.validate(folder, as_of=AS_OF, limits=ck.Limits(max_cell_chars=TEN_MB))
    assert in_file(report, "activities.jsonl") == []
    refused = in_file(run(folder), "activities.jsonl")
    assert ("CK-TYPE-001", "title") in [
        (finding.rule, finding.location.field) for finding in refused
    ]


def test_a_duplicate_header_is_reported_at_the_later_column(tmp_path: Path) -> None:
    """A repeated column is CK-HDR-003 at line 1 and the later column, which is ignored."""
    text = "id,partnership,type,start,TYPE\nA1,P1,webinar,2018-05-14,not-a-type\n"
    report = run(with_activities(tmp_path, text))
    found = in_file(report, "activities.csv")
    finding = only(found, "CK-HDR-003")
    assert (finding.location.line, finding.location.column) == (1, 5)
    assert finding.location.field == "type"
    # The ignored column's value is not checked.
    assert keys(found) == [("CK-HDR-003", "activities.csv", 1, "type")]


UNTERMINATED = (
    ACTIVITIES_HEADER
    + UNKNOWN_PARTNERSHIP_ROW
    + 'A2,P1,webinar,2018-05-15,"never closed\n'
    + "A3,P9,webinar,2018-05-16,x\n"
)


def test_an_unterminated_quote_is_reported_at_its_row(tmp_path: Path) -> None:
    """An unterminated quote is CK-FILE-001 at the line where its row starts."""
    found = in_file(run(with_activities(tmp_path, UNTERMINATED)), "activities.csv")
    finding = only(found, "CK-FILE-001")
    assert finding.location.line == 3
    assert "quote" in finding.message


def test_rows_before_an_unterminated_quote_are_checked(tmp_path: Path) -> None:
    """Reading stops at an unterminated quote; the rows before it are still checked."""
    found = in_file(run(with_activities(tmp_path, UNTERMINATED)), "activities.csv")
    assert only(found, "CK-FK-001").location.line == 2


def test_a_json_document_that_is_an_array(tmp_path: Path) -> None:
    """A JSON document holding an array is CK-FILE-001 where the array starts."""
    path = write(tmp_path / "data.json", '[\n  {"id": "C1"},\n  {"id": "C2"}\n]\n')
    report = run(path)
    finding = only(report.findings, "CK-FILE-001")
    assert finding.location.file == str(path)
    assert (finding.location.line, finding.location.column) == (1, 1)
    assert "array" in finding.message


def test_a_json_lines_line_that_is_an_array(tmp_path: Path) -> None:
    """A JSON Lines line that is not an object is CK-ROW-001 at its line; reading goes on."""
    folder = tmp_path / "data"
    good = '{"id": "A9", "partnership": "P9", "type": "webinar", "start": "2018-05-14"}'
    write(folder / "activities.jsonl", f"[1, 2]\n\n{good}\n")
    report = run(folder)
    found = in_file(report, "activities.jsonl")
    row = only(found, "CK-ROW-001")
    assert row.location.line == 1
    assert row.location.field is None
    # The blank line counts: the next record is on line 3.
    assert only(found, "CK-FK-001").location.line == 3


def test_a_json_syntax_error_has_line_and_column(tmp_path: Path) -> None:
    """A syntax error in a .json document is CK-FILE-001 at its line and column."""
    text = '{\n  "clusters": [\n    {"id": "C1",}\n  ]\n}\n'
    path = write(tmp_path / "data.json", text)
    report = run(path)
    finding = only(report.findings, "CK-FILE-001")
    assert (finding.location.line, finding.location.column) == (3, 17)
    assert "syntax" in finding.message


# The second clusters entry is not an object; the third has a bad country.
DOCUMENT_WITH_A_NON_OBJECT = (
    '{\n  "clusters": [\n'
    '    {"id": "C1", "name": "One", "country": "DE"},\n'
    "    [1, 2],\n"
    '    {"id": "C2", "name": "Two", "country": "Atlantis"}\n'
    "  ]\n}\n"
)


def test_a_json_document_entry_that_is_not_an_object(tmp_path: Path) -> None:
    """An entry of a table array that is not an object is CK-ROW-001; the rest is read."""
    report = run(write(tmp_path / "data.json", DOCUMENT_WITH_A_NON_OBJECT))
    row = only(report.findings, "CK-ROW-001")
    assert row.location.line == 4
    assert row.location.pointer == "/clusters/1"
    assert only(report.findings, "CK-COUNTRY-001").entity == ck.Entity("clusters", "C2")


def test_a_json_pointer_counts_entries_that_were_skipped(tmp_path: Path) -> None:
    """After a skipped non-object entry, pointers still give the record's array index."""
    report = run(write(tmp_path / "data.json", DOCUMENT_WITH_A_NON_OBJECT))
    finding = only(report.findings, "CK-COUNTRY-001")
    assert finding.location.pointer == "/clusters/2/country"
    assert finding.location.line == 5


def broken_document() -> dict[str, Any]:
    """The base dataset as a JSON document with a bad value, an orphan and a repeat."""
    document: dict[str, Any] = ck.load_dataset(BASE).model_dump(
        mode="json", exclude_none=True
    )
    document["activities"][3]["type"] = "webinr"
    document["clusters"].append({"id": "XX-1", "name": "Nobody", "country": "DE"})
    document["smes"].append(dict(document["smes"][0]))
    return document


def key_spot(path: Path, finding: ck.Finding) -> tuple[int, int]:
    """The line and column of the finding's `"field":` key, found by reading `path`."""
    pointer = finding.location.pointer or ""
    table, index = pointer.split("/")[1:3]
    record = json.loads(path.read_text("utf-8"))[table][int(index)]
    assert finding.location.field in record
    lines = path.read_text("utf-8").splitlines()
    line = finding.location.line or 0
    column = lines[line - 1].index(f'"{finding.location.field}":') + 1
    return line, column


@pytest.mark.parametrize("indent", [2, None])
def test_json_document_findings_are_at_their_field(
    tmp_path: Path, indent: int | None
) -> None:
    """Every finding in a .json document has the line and column of its field's key.

    Pretty-printed (a record over many lines) or compact (a record per line, as
    clusterkit writes it), rows-stage and dataset-stage findings alike; the
    pointer stays in the JSON report.
    """
    document = broken_document()
    path = tmp_path / "data.json"
    if indent is None:
        # A record per line, as clusterkit writes a document.
        tables = [
            f'  "{table}": [\n'
            + ",\n".join(f"    {json.dumps(row)}" for row in rows)
            + "\n  ]"
            for table, rows in document.items()
        ]
        path.write_text("{\n" + ",\n".join(tables) + "\n}\n", "utf-8")
    else:
        path.write_text(json.dumps(document, indent=indent), "utf-8")
    report = run(path)
    rules = {finding.rule for finding in report.findings}
    assert {"CK-ENUM-001", "CK-ORPHAN-001", "CK-PK-001"} <= rules
    for finding in report.findings:
        assert finding.location.pointer is not None
        assert key_spot(path, finding) == (
            finding.location.line,
            finding.location.column,
        )
        for related in finding.related:
            assert related.line is not None
            assert related.column is not None
    text = report.render("text")
    assert f"{path}#" not in text
    enum = only(report.findings, "CK-ENUM-001")
    assert f"{path}:{enum.location.line}:{enum.location.column}: error" in text
    assert enum.to_dict()["location"]["pointer"] == "/activities/3/type"


def test_json_document_on_one_line(tmp_path: Path) -> None:
    """In a document written on one line, findings differ by column."""
    path = tmp_path / "data.json"
    path.write_text(json.dumps(broken_document()), "utf-8")
    text = path.read_text("utf-8")
    report = run(path)
    for finding in report.findings:
        assert finding.location.line == 1
        field = f'"{finding.location.field}":'
        column = finding.location.column or 0
        assert text[column - 1 : column - 1 + len(field)] == field
    orphan = only(report.findings, "CK-ORPHAN-001")
    assert text[: (orphan.location.column or 0) - 1].endswith("{")


def test_json_document_field_left_out_is_at_its_record(tmp_path: Path) -> None:
    """A finding about a key the record lacks, or a non-object, is at the record's start."""
    text = (
        '{\n  "clusters": [\n    7,\n    {\n      "name": "No id",\n'
        '      "country": "DE"\n    },\n    {"id": "C2",  "name": "Two",\n'
        '     "country": "DE", "extra": {"id": 1}}\n  ]\n}\n'
    )
    path = write(tmp_path / "data.json", text)
    report = run(path, select=["CK-TYPE-001", "CK-ROW-001", "CK-HDR-002"])
    spots = {
        (finding.rule, finding.location.field): (
            finding.location.line,
            finding.location.column,
        )
        for finding in report.findings
    }
    assert spots == {
        ("CK-ROW-001", None): (3, 5),
        ("CK-TYPE-001", "id"): (4, 5),
        ("CK-HDR-002", "extra"): (9, 23),
    }


def test_json_document_before_an_undecodable_byte(tmp_path: Path) -> None:
    """A finding whose record ends where the text stops decoding keeps its record's line.

    The reading decoded the record and stopped after it; the line break after
    the record is in the next block of bytes, which does not decode.
    """
    head = '{"clusters": [\n'
    first = '  {"id": "C0", "name": "%s", "country": "DE"},\n'
    last = '  {"id": "C1", "name": "One",\n   "country": "XX"},'
    padding = "x" * (65536 - len(head) - len(first % "") - len(last))
    text = head + first % padding + last
    path = tmp_path / "data.json"
    path.write_bytes(text.encode() + b'\n  {"id": "C\xff"}]}\n')
    report = run(path, select=["CK-COUNTRY-001", "CK-FILE-001", "CK-ORPHAN-001"])
    spots = [
        (finding.location.pointer, finding.location.line, finding.location.column)
        for finding in report.findings
    ]
    assert spots == [
        ("/clusters/0/id", 2, 4),
        ("/clusters/1/country", 3, None),
        ("/clusters/1/id", 3, None),
        (None, 5, None),
    ]


def test_file_findings_do_not_repeat_their_location(tmp_path: Path) -> None:
    """A CK-FILE-001 message says what is wrong; the location is not repeated in it."""
    path = write(tmp_path / "data.json", '{\n  "clusters": [\n    {"id": "C1",}\n]}\n')
    finding = only(run(path).findings, "CK-FILE-001")
    assert not finding.message.startswith(str(path)), finding.message


def test_a_corrupt_workbook_is_an_unreadable_file(tmp_path: Path) -> None:
    """Random bytes named data.xlsx are CK-FILE-001 at that file."""
    path = tmp_path / "data.xlsx"
    path.write_bytes(bytes((index * 37 + 11) % 256 for index in range(4096)))
    finding = only(run(path).findings, "CK-FILE-001")
    assert finding.location.file == str(path)
    assert "workbook" in finding.message


def test_a_folder_without_tables_is_an_unreadable_source(tmp_path: Path) -> None:
    """A folder with no table files is CK-FILE-001 at the folder."""
    write(tmp_path / "data" / "notes.txt", "nothing here\n")
    report = run(tmp_path / "data")
    finding = only(report.findings, "CK-FILE-001")
    assert finding.location.file == str(tmp_path / "data")
    assert "activities.csv" in finding.message
    assert not report.ok


def test_a_missing_path_is_an_unreadable_source(tmp_path: Path) -> None:
    """A path that does not exist is CK-FILE-001 at that path."""
    missing = tmp_path / "nowhere"
    finding = only(run(missing).findings, "CK-FILE-001")
    assert finding.location.file == str(missing)


@pytest.mark.parametrize(
    ("name", "content"),
    [
        ("activities.csv", ACTIVITIES_HEADER),
        ("data.txt", "not a dataset\n"),
    ],
)
def test_a_file_that_is_not_a_dataset_is_an_unreadable_source(
    tmp_path: Path, name: str, content: str
) -> None:
    """A single table file or a file of unknown kind is CK-FILE-001 at that file."""
    path = write(tmp_path / name, content)
    finding = only(run(path).findings, "CK-FILE-001")
    assert finding.location.file == str(path)


def test_an_unreadable_file_is_reported_when_it_cannot_be_read(tmp_path: Path) -> None:
    """A file without read permission is CK-FILE-001 (as root it can be read: no finding)."""
    folder = with_activities(tmp_path, ACTIVITIES_HEADER + UNKNOWN_PARTNERSHIP_ROW)
    target = folder / "activities.csv"
    target.chmod(0)
    try:
        readable = os.access(target, os.R_OK)
        found = in_file(run(folder), "activities.csv")
    finally:
        target.chmod(0o644)
    if readable:
        assert keys(found) == [("CK-FK-001", "activities.csv", 2, "partnership")]
    else:
        finding = only(found, "CK-FILE-001")
        assert "permission" in finding.message


def test_a_quoted_cell_spanning_lines_counts_physical_lines(tmp_path: Path) -> None:
    """Rows after a cell that spans lines are located at their physical line."""
    text = (
        ACTIVITIES_HEADER
        + 'A1,P1,webinar,2018-05-14,"line one\nline two\r\nline three"\n'
        + UNKNOWN_PARTNERSHIP_ROW
        + "A3,P1,webinar,2018-05-16,x\n"
        + "A4,P8,webinar,2018-05-17,x\n"
    )
    found = in_file(run(with_activities(tmp_path, text)), "activities.csv")
    assert keys(found) == [
        ("CK-FK-001", "activities.csv", 5, "partnership"),
        ("CK-FK-001", "activities.csv", 7, "partnership"),
    ]


def test_a_blank_line_still_counts(tmp_path: Path) -> None:
    """Blank lines in the middle are skipped but counted: locations stay physical."""
    text = ACTIVITIES_HEADER + GOOD_ROW + "\n  \n" + UNKNOWN_PARTNERSHIP_ROW
    found = in_file(run(with_activities(tmp_path, text)), "activities.csv")
    assert keys(found) == [("CK-FK-001", "activities.csv", 5, "partnership")]


def test_a_byte_order_mark_is_ignored(tmp_path: Path) -> None:
    """A UTF-8 byte-order mark before the header changes nothing."""
    text = "\ufeff" + ACTIVITIES_HEADER + UNKNOWN_PARTNERSHIP_ROW
    found = in_file(run(with_activities(tmp_path, text)), "activities.csv")
    assert keys(found) == [("CK-FK-001", "activities.csv", 2, "partnership")]
    assert found[0].location.column == 2


def test_header_names_ignore_case_and_surrounding_space(tmp_path: Path) -> None:
    """` ID `, `Partnership`, `TYPE ` name the fields id, partnership and type."""
    text = " ID , Partnership,TYPE , start\t,Title\n" + UNKNOWN_PARTNERSHIP_ROW
    found = in_file(run(with_activities(tmp_path, text)), "activities.csv")
    assert keys(found) == [("CK-FK-001", "activities.csv", 2, "partnership")]


def test_a_date_that_looks_like_a_time_zone_is_a_type_error(tmp_path: Path) -> None:
    """`8a6AA` is CK-TYPE-001, without a warning from the date parser leaking out."""
    text = ACTIVITIES_HEADER + "A1,P1,webinar,8a6AA,x\n"
    folder = with_activities(tmp_path, text)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        report = run(folder)
    assert [str(warning.message) for warning in caught] == []
    finding = only(in_file(report, "activities.csv"), "CK-TYPE-001")
    assert finding.location.field == "start"


def test_json_values_equal_as_numbers_are_told_apart(tmp_path: Path) -> None:
    """`1`, `true` and `1.0` are three different JSON values, checked each on its own."""
    folder = tmp_path / "data"
    ck.dump_dataset(ck.load_dataset(BASE), folder, layout="jsonl")
    rest = '"partnership": "P1", "type": "webinar", "start": "2018-05-14"'
    lines = [f'{{"id": {value}, {rest}}}' for value in ("1", "true", "1.0")]
    write(folder / "activities.jsonl", "\n".join(lines) + "\n")
    found = in_file(run(folder), "activities.jsonl")
    # The model refuses a boolean id and reads 1.0 as the id "1.0", not "1".
    assert keys(found) == [("CK-TYPE-001", "activities.jsonl", 2, "id")]


@pytest.mark.parametrize(
    ("field", "value", "rule"),
    [
        ("id", [], "CK-TYPE-001"),
        ("id", ["A1"], "CK-TYPE-001"),
        ("title", {"en": "x"}, "CK-TYPE-001"),
        ("partnership", ["P1"], "CK-TYPE-001"),
        ("start", ["2018-05-14"], "CK-TYPE-001"),
        ("smes_involved", {"n": 1}, "CK-TYPE-001"),
        ("host_country", {"code": "DE"}, "CK-COUNTRY-001"),
        ("target_country", ["US"], "CK-COUNTRY-001"),
    ],
)
def test_a_json_array_or_object_where_a_value_belongs(
    tmp_path: Path, field: str, value: Any, rule: str
) -> None:
    """An array or object where one value belongs is a finding at that field, not a crash."""
    record = {"id": "A1", "partnership": "P1", "type": "webinar", "start": "2018-05-14"}
    lines = [record, {**record, "id": "A2", field: value}]
    folder = tmp_path / "data"
    ck.dump_dataset(ck.load_dataset(BASE), folder, layout="jsonl")
    write(folder / "activities.jsonl", "".join(json.dumps(r) + "\n" for r in lines))
    found = in_file(run(folder), "activities.jsonl")
    assert (rule, "activities.jsonl", 2, field) in keys(found)
    assert all(key[2] == 2 for key in keys(found) if key[0] in READ_ERRORS)


def test_a_json_string_in_a_list_field_is_not_a_list(tmp_path: Path) -> None:
    """In JSON a list field takes an array; a `;`-separated string is refused, as by the model."""
    line = (
        '{"id": "A1", "partnership": "P1", "type": "webinar", '
        '"start": "2018-05-14", "smes": "SME-001;SME-002"}\n'
    )
    folder = tmp_path / "data"
    ck.dump_dataset(ck.load_dataset(BASE), folder, layout="jsonl")
    (folder / "activities.jsonl").write_text(line, encoding="utf-8")
    with pytest.raises(ck.DatasetReadError):
        ck.load_dataset(folder)
    found = in_file(run(folder), "activities.jsonl")
    assert keys(found) == [("CK-TYPE-001", "activities.jsonl", 1, "smes")]


def _snapshot(root: Path) -> dict[str, tuple[bytes, int]]:
    return {
        str(path): (path.read_bytes(), path.stat().st_mtime_ns)
        for path in sorted(root.rglob("*"))
        if path.is_file()
    }


def test_input_files_are_never_modified(tmp_path: Path) -> None:
    """Validating reads its input only: bytes and modification times stay the same."""
    dataset = problem_dataset()
    sources: list[Path] = [
        with_activities(tmp_path / "bad-csv", ACTIVITIES_HEADER + "A1,P9,nope,x,\n"),
        with_activities(tmp_path / "latin", "id,title\nA1,Café\n".encode("latin-1")),
        with_activities(tmp_path / "quote", ACTIVITIES_HEADER + 'A1,"open\n'),
    ]
    for name, layout in (("d.json", "json"), ("d.xlsx", "xlsx"), ("jl", "jsonl")):
        ck.dump_dataset(dataset, tmp_path / name, layout=layout)
        sources.append(tmp_path / name)
    before = _snapshot(tmp_path)
    for source in sources:
        assert run(source).findings
    assert _snapshot(tmp_path) == before


# ---------------------------------------------------------------- 2. layouts


@pytest.fixture(name="layouts")
def fixture_layouts(tmp_path: Path) -> dict[str, Any]:
    """The problem dataset written in every layout, and the dataset itself."""
    dataset = problem_dataset()
    sources: dict[str, Any] = {
        "csv": tmp_path / "csv",
        "jsonl": tmp_path / "jsonl",
        "json": tmp_path / "data.json",
        "xlsx": tmp_path / "data.xlsx",
    }
    for layout, path in sources.items():
        ck.dump_dataset(dataset, path, layout=layout)
    sources["dataset"] = dataset
    return sources


@pytest.mark.parametrize("layout", ["csv", "jsonl", "json", "xlsx", "dataset"])
def test_every_layout_gives_the_same_findings(
    layouts: dict[str, Any], layout: str
) -> None:
    """Each layout gives exactly the three problems, as (rule, entity id, field)."""
    assert problems_of(run(layouts[layout])) == PROBLEMS


def test_csv_findings_have_line_and_column(layouts: dict[str, Any]) -> None:
    """In CSV a finding has the physical line and the column of its field."""
    report = run(layouts["csv"])
    finding = only(report.findings, "CK-FK-001")
    where = finding.location
    # A2's notes span two lines, so A4 is on line 6.
    assert (where.file, where.line, where.column) == (
        str(layouts["csv"] / "activities.csv"),
        6,
        2,
    )
    assert (where.sheet, where.cell, where.pointer) == (None, None, None)


def test_json_lines_findings_have_the_line(layouts: dict[str, Any]) -> None:
    """In JSON Lines a finding has the line of its record."""
    finding = only(run(layouts["jsonl"]).findings, "CK-FK-001")
    assert finding.location.file == str(layouts["jsonl"] / "activities.jsonl")
    assert finding.location.line == 4
    assert finding.location.field == "partnership"


@pytest.mark.parametrize("layout", ["json", "dataset"])
def test_json_findings_have_a_pointer(layouts: dict[str, Any], layout: str) -> None:
    """In a JSON document (and a Dataset) a finding has a JSON pointer to its field."""
    finding = only(run(layouts[layout]).findings, "CK-FK-001")
    assert finding.location.pointer == "/activities/3/partnership"
    expected_file = "<dataset>" if layout == "dataset" else str(layouts["json"])
    assert finding.location.file == expected_file


def test_workbook_findings_have_sheet_and_cell(layouts: dict[str, Any]) -> None:
    """In a workbook a finding has its sheet and cell."""
    report = run(layouts["xlsx"])
    where = only(report.findings, "CK-FK-001").location
    assert (where.file, where.sheet, where.cell) == (
        str(layouts["xlsx"]),
        "activities",
        "B5",
    )
    duplicate = only(report.findings, "CK-PK-001")
    assert duplicate.location.cell == "A8"
    assert [related.cell for related in duplicate.related] == ["A2"]


# ---------------------------------------------------------------- 3. the report


def test_report_ok_and_summary_counts(layouts: dict[str, Any]) -> None:
    """The summary counts by severity and rule; errors make the report not ok."""
    report = run(layouts["csv"])
    summary = report.summary
    assert (summary.error, summary.warning, summary.info) == (2, 1, 0)
    assert dict(summary.by_rule) == {"CK-FK-001": 1, "CK-GEO-002": 1, "CK-PK-001": 1}
    assert (summary.shown, summary.total, summary.truncated) == (3, 3, False)
    assert not report.ok
    assert run(BASE).ok
    assert run(BASE).summary.total == 0


@pytest.mark.parametrize("limit", [0, 1, 2])
def test_max_findings_keeps_some_and_counts_all(
    layouts: dict[str, Any], limit: int
) -> None:
    """`max_findings` keeps that many findings; the summary still counts every one."""
    report = run(layouts["csv"], max_findings=limit)
    assert len(report.findings) == limit
    summary = report.summary
    assert (summary.shown, summary.total, summary.truncated) == (limit, 3, True)
    assert dict(summary.by_rule) == {"CK-FK-001": 1, "CK-GEO-002": 1, "CK-PK-001": 1}
    assert (summary.error, summary.warning) == (2, 1)
    assert not report.ok
    assert report.to_dict()["summary"]["truncated"] is True


def test_fail_on_warning_and_never(layouts: dict[str, Any]) -> None:
    """`fail_on` sets the severity that makes a report not ok; "never" never does."""
    warnings_only = run(layouts["csv"], select=["CK-GEO-002"])
    assert warnings_only.ok
    assert not run(layouts["csv"], select=["CK-GEO-002"], fail_on="warning").ok
    assert run(layouts["csv"], fail_on="never").ok
    assert run(layouts["csv"], fail_on=None).ok
    assert not run(layouts["csv"], fail_on=ck.Severity.ERROR).ok


@pytest.mark.parametrize(
    ("options", "rules"),
    [
        ({"select": ["CK-FK"]}, {"CK-FK-001"}),
        ({"select": ["CK-PK-001", "CK-GEO"]}, {"CK-PK-001", "CK-GEO-002"}),
        ({"select": "ck-geo-002"}, {"CK-GEO-002"}),
        ({"select": ["CK-FK-001,CK-PK"]}, {"CK-FK-001", "CK-PK-001"}),
        ({"ignore": ["CK-FK"]}, {"CK-PK-001", "CK-GEO-002"}),
        ({"ignore": ["CK-PK-001", "CK-GEO-002"]}, {"CK-FK-001"}),
        ({"select": ["CK"], "ignore": ["CK-GEO"]}, {"CK-FK-001", "CK-PK-001"}),
    ],
)
def test_select_and_ignore(
    layouts: dict[str, Any], options: dict[str, Any], rules: set[str]
) -> None:
    """`select` and `ignore` take rule ids and family prefixes, in any case."""
    report = run(layouts["csv"], **options)
    assert {finding.rule for finding in report.findings} == rules
    assert set(report.summary.by_rule) == rules


@pytest.mark.parametrize(
    "options",
    [
        {"select": ["CK-NOPE"]},
        {"select": ["CK-FK-999"]},
        {"ignore": ["GEO"]},
        {"max_findings": -1},
        {"fail_on": "fatal"},
    ],
)
def test_mistakes_in_the_call_are_value_errors(
    layouts: dict[str, Any], options: dict[str, Any]
) -> None:
    """An unknown rule, a negative limit or an unknown severity is a ValueError."""
    with pytest.raises(ValueError, match=r"names no rule|at least 0|fail_on"):
        ck.validate(layouts["csv"], as_of=AS_OF, **options)


@pytest.mark.parametrize(
    ("options", "message"),
    [
        (
            {"max_findings": "10"},
            "max_findings must be a whole number or None, not '10'",
        ),
        (
            {"max_findings": True},
            "max_findings must be a whole number or None, not True",
        ),
        ({"max_findings": 2.5}, "max_findings must be a whole number or None, not 2.5"),
        ({"as_of": "2026-01-01"}, "as_of: expected a datetime.date, not '2026-01-01'"),
    ],
)
def test_wrong_types_in_the_call_are_type_errors(
    layouts: dict[str, Any], options: dict[str, Any], message: str
) -> None:
    """A limit or a day of the wrong type is named at once, not met deep inside."""
    with pytest.raises(TypeError, match=re.escape(message)):
        ck.validate(layouts["csv"], **{"as_of": AS_OF, **options})


def test_max_findings_takes_any_whole_number(layouts: dict[str, Any]) -> None:
    """A whole number of another kind (numpy's, anything with `__index__`) is taken."""

    class Whole:
        def __index__(self) -> int:
            return 1

    report = ck.validate(layouts["csv"], as_of=AS_OF, max_findings=Whole())  # type: ignore[arg-type] # what a numpy integer is to the type checker
    assert report.summary.shown == 1
    assert report.summary.total > 1


def test_raise_for_findings(layouts: dict[str, Any]) -> None:
    """`raise_for_findings` raises DatasetValidationError carrying the report."""
    report = run(layouts["csv"])
    with pytest.raises(ck.DatasetValidationError) as caught:
        report.raise_for_findings()
    assert caught.value.report is report
    assert "2 errors" in str(caught.value)
    run(BASE).raise_for_findings()
    run(layouts["csv"], fail_on="never").raise_for_findings()


def test_to_json_has_the_structure_of_the_json_report(layouts: dict[str, Any]) -> None:
    """`to_json` gives the §8 structure, absent values as null."""
    report = run(layouts["csv"])
    data = json.loads(report.to_json())
    assert list(data) == [
        "report_version",
        "tool",
        "reference_data",
        "as_of",
        "valid",
        "summary",
        "findings",
    ]
    assert data["report_version"] == 2
    assert data["tool"] == {"name": "clusterkit", "version": ck.__version__}
    assert data["reference_data"] == ck.reference.version()
    assert data["as_of"] == "2026-01-01"
    assert data["valid"] is False
    assert data["summary"] == {
        "error": 2,
        "warning": 1,
        "info": 0,
        "by_rule": {"CK-FK-001": 1, "CK-GEO-002": 1, "CK-PK-001": 1},
        "shown": 3,
        "total": 3,
        "truncated": False,
        "min_severity": "info",
        "below_min_severity": 0,
    }
    location_keys = ["file", "line", "column", "sheet", "cell", "pointer", "field"]
    for finding in data["findings"]:
        assert list(finding) == [
            "rule",
            "severity",
            "message",
            "hint",
            "location",
            "entity",
            "value",
            "expected",
            "related",
            "fingerprint",
            "caused_by",
        ]
        assert list(finding["location"]) == location_keys
        assert finding["location"]["sheet"] is None
        assert finding["location"]["pointer"] is None
        assert set(finding["entity"]) == {"table", "id"}
        for related in finding["related"]:
            assert list(related) == location_keys
    duplicate = next(item for item in data["findings"] if item["rule"] == "CK-PK-001")
    assert duplicate["related"][0]["line"] == 2
    assert duplicate["entity"] == {"table": "activities", "id": "A1"}
    assert duplicate["severity"] == "error"


def test_fingerprints_stay_when_rows_are_reordered(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same problems in rows of another order have the same fingerprints."""
    monkeypatch.chdir(tmp_path)
    dataset = problem_dataset()
    ck.dump_dataset(dataset, "data")
    first = run("data")
    data = dataset.model_dump()
    data["activities"] = data["activities"][::-1]
    ck.dump_dataset(ck.Dataset.model_validate(data), "data", overwrite=True)
    second = run("data")
    assert [f.location.line for f in first.findings] != [
        f.location.line for f in second.findings
    ]
    assert {f.fingerprint for f in first.findings} == {
        f.fingerprint for f in second.findings
    }
    assert len({f.fingerprint for f in first.findings}) == 3


def test_a_duplicate_id_points_at_the_first_occurrence(layouts: dict[str, Any]) -> None:
    """CK-PK-001 is at the later row, with the first occurrence in `related`."""
    finding = only(run(layouts["csv"]).findings, "CK-PK-001")
    assert finding.location.line == 9
    assert finding.location.field == "id"
    assert len(finding.related) == 1
    first = finding.related[0]
    assert (first.line, first.field) == (2, "id")
    assert first.file == finding.location.file


def test_non_canonical_countries_only_when_selected(tmp_path: Path) -> None:
    """CK-COUNTRY-003 (a country not written as its ISO code) is off unless selected."""
    text = ACTIVITIES_HEADER.replace("title", "host_country") + (
        "A1,P1,webinar,2018-05-14,Germany\n"
    )
    folder = with_activities(tmp_path, text)
    assert "CK-COUNTRY-003" not in run(folder).summary.by_rule
    assert (
        "CK-COUNTRY-003" not in run(folder, select=["CK-COUNTRY-001"]).summary.by_rule
    )
    assert "CK-COUNTRY-003" in run(folder, select=["CK"]).summary.by_rule
    selected = run(folder, select=["CK-COUNTRY"])
    finding = only(selected.findings, "CK-COUNTRY-003")
    assert finding.severity is ck.Severity.INFO
    assert (finding.location.line, finding.location.field) == (2, "host_country")
    assert selected.ok


def test_a_typo_country_is_read_and_always_warned_of(tmp_path: Path) -> None:
    """CK-COUNTRY-004: 'Frnce' is read as FR, with a warning that it was a guess."""
    text = ACTIVITIES_HEADER.replace("title", "host_country") + (
        "A1,P1,webinar,2018-05-14,Frnce\nA2,P1,webinar,2018-05-14,Inda\n"
    )
    folder = with_activities(tmp_path, text)
    report = run(folder)
    typo = only(report.findings, "CK-COUNTRY-004")
    assert typo.severity is ck.Severity.WARNING
    assert typo.message == "'Frnce' read as France (FR)"
    assert typo.hint == "write FR if that is the country meant"
    assert (typo.location.line, typo.location.field) == (2, "host_country")
    unknown = only(report.findings, "CK-COUNTRY-001")
    assert unknown.message == "'Inda' is not a known country (did you mean India?)"
    assert unknown.hint == "write IN if that is the country meant"
    assert "CK-COUNTRY-003" not in report.summary.by_rule
    selected = run(folder, select=["CK-COUNTRY"])
    assert {"CK-COUNTRY-003", "CK-COUNTRY-004"} <= set(selected.summary.by_rule)


def test_a_date_given_to_the_month_or_year_is_remarked_on(tmp_path: Path) -> None:
    """CK-DATE-005, on by default: info at the cell, saying which day was read."""
    text = (
        "id,partnership,type,start,end\n"
        "A1,P1,webinar,2018-05,2018-05\n"
        "A2,P1,webinar, 2019 ,\n"
        "A3,P1,webinar,2019-06-01,\n"
    )
    folder = with_activities(tmp_path, text)
    report = run(folder)
    assert report.ok
    assert keys(in_file(report, "activities.csv")) == [
        ("CK-DATE-005", "activities.csv", 2, "end"),
        ("CK-DATE-005", "activities.csv", 2, "start"),
        ("CK-DATE-005", "activities.csv", 3, "start"),
    ]
    first = next(f for f in report.findings if f.location.field == "start")
    assert first.severity is ck.Severity.INFO
    assert first.location.column == 4
    assert (
        first.message
        == "'2018-05' is given to the month: read as its first day, 2018-05-01"
    )
    assert first.hint == (
        "write the day (YYYY-MM-DD) if it is known; 2018-05-01 is what is compared"
    )
    assert (first.value, first.expected) == ("2018-05", "YYYY-MM-DD")
    messages = {(f.location.line, f.location.field): f.message for f in report.findings}
    assert messages[2, "end"] == (
        "'2018-05' is given to the month: read as its last day, 2018-05-31"
    )
    assert messages[3, "start"] == (
        "'2019' is given to the year: read as its first day, 2019-01-01"
    )
    assert "CK-DATE-005" not in run(folder, ignore=["CK-DATE-005"]).summary.by_rule
    assert "CK-DATE-005" not in run(folder, select=["CK-TYPE"]).summary.by_rule
    loaded = ck.load_dataset(folder, errors="report")
    assert keys(loaded.report.findings) == keys(in_file(report, "activities.csv"))
    assert [f.message for f in loaded.report.findings] == [
        f.message for f in in_file(report, "activities.csv")
    ]


def test_a_partial_date_in_a_refused_row_is_remarked_on(tmp_path: Path) -> None:
    """A row refused for another value still gets its CK-DATE-005 remarks."""
    text = "id,partnership,type,start,end\nA1,P1,webnar,2018-05,2019\n"
    loaded = ck.load_dataset(with_activities(tmp_path, text), errors="report")
    assert [(f.rule, f.location.field, f.message) for f in loaded.report.findings] == [
        ("CK-ENUM-001", "type", "'webnar' is not one of the allowed values"),
        (
            "CK-DATE-005",
            "start",
            "'2018-05' is given to the month: read as its first day, 2018-05-01",
        ),
        (
            "CK-DATE-005",
            "end",
            "'2019' is given to the year: read as its last day, 2019-12-31",
        ),
    ]
    assert loaded.dataset.activities == ()
    # A full date in another spelling, in a refused row, is read as its field reads it.
    clusters = "id,name,country,esca_label_date\nC1,N,Atlantis,14 March 2019\n"
    write(tmp_path / "data" / "clusters.csv", clusters)
    loaded = ck.load_dataset(tmp_path / "data", errors="report")
    remarks = [
        f for f in loaded.report.findings if f.location.field == "esca_label_date"
    ]
    assert [(f.rule, f.hint) for f in remarks] == [
        ("CK-TYPE-002", "write it as 2019-03-14")
    ]


def test_partial_dates_of_records_in_memory(tmp_path: Path) -> None:
    """A Dataset's partial dates are remarked on too; full dates are not."""
    dataset = ck.Dataset(
        activities=[
            ck.ActivityRecord(
                id="A1",
                partnership="P1",
                type="webinar",
                start="2018",
                end="2018-06-30",
            )
        ]
    )
    report = run(dataset, select=["CK-DATE-005", "CK-TYPE"])
    assert [(f.rule, f.location.pointer, f.message) for f in report.findings] == [
        (
            "CK-DATE-005",
            "/activities/0/start",
            "'2018' is given to the year: read as its first day, 2018-01-01",
        )
    ]
    loaded = ck.load_dataset({"activities": dataset.activities}, errors="report")
    assert [f.rule for f in loaded.report.findings] == ["CK-DATE-005"]


def test_the_date_rules_compare_first_and_last_days() -> None:
    """A start given as a month or year is its first day, an end its last."""
    partnership = {"acronym": "A", "name": "N", "generation": "escp-4i-1"}
    dataset = ck.Dataset.model_validate(
        {
            "partnerships": [
                {**partnership, "id": "P1", "start": "2016", "end": "2017"},
                {**partnership, "id": "P2", "start": "2016-01-01", "end": "2017-06-30"},
                # escp-4i-1 starts on 2015-12-01: 2015 is its first day, before.
                {**partnership, "id": "P3", "start": "2015", "end": "2017"},
            ],
            "targets": [
                {"partnership": "P1", "country": "US", "since": "2026"},
                {"partnership": "P2", "country": "US", "since": "2026-02"},
            ],
            "activities": [
                {
                    "id": "A1",
                    "partnership": "P1",
                    "type": "webinar",
                    "start": "2017-06-01",
                },
                {
                    "id": "A2",
                    "partnership": "P1",
                    "type": "webinar",
                    "start": "2017",
                    "end": "2017",
                },
                {
                    "id": "A3",
                    "partnership": "P2",
                    "type": "webinar",
                    "start": "2017-06",
                    "end": "2017-06",
                },
                {
                    "id": "A4",
                    "partnership": "P2",
                    "type": "webinar",
                    "start": "2017-06",
                    "end": "2017-07",
                },
                {
                    "id": "A5",
                    "partnership": "P1",
                    "type": "webinar",
                    "start": "2015-12",
                },
                {
                    "id": "A6",
                    "partnership": "P1",
                    "type": "webinar",
                    "start": "2017-07",
                    "end": "2017-06-30",
                },
            ],
        }
    )
    report = run(
        dataset, select=["CK-DATE-001", "CK-DATE-002", "CK-DATE-003", "CK-DATE-004"]
    )
    found = sorted(
        (f.rule, f.entity.id if f.entity else None, f.location.field)
        for f in report.findings
    )
    assert found == [
        ("CK-DATE-001", "A6", "end"),  # 2017-07-01 after 2017-06-30
        ("CK-DATE-002", "A4", "end"),  # 2017-07-31 after P2's 2017-06-30
        ("CK-DATE-002", "A5", "start"),  # 2015-12-01 before P1's 2016-01-01
        ("CK-DATE-003", "P3", "start"),  # 2015-01-01 before escp-4i-1's start
        ("CK-DATE-004", "P2/US", "since"),  # 2026-02-01 after 2026-01-01
    ]
    outside = next(f for f in report.findings if f.entity and f.entity.id == "A5")
    assert outside.message == (
        "activity start 2015-12 is outside the period of partnership 'P1' (2016 to 2017)"
    )


def test_thresholds_override_the_generation(tmp_path: Path) -> None:
    """`Thresholds(min_members=5)` makes both base partnerships too small (CK-PART-001)."""
    report = run(BASE, thresholds=ck.Thresholds(min_members=5))
    assert keys(report.findings) == [
        ("CK-PART-001", "partnerships.csv", 2, "members"),
        ("CK-PART-001", "partnerships.csv", 3, "members"),
    ]
    assert not report.ok


def test_a_list_of_sources_gives_one_report(layouts: dict[str, Any]) -> None:
    """Several sources are validated each on its own, into one report."""
    sources = [layouts["csv"], layouts["json"], layouts["dataset"]]
    report = run(sources)
    assert report.sources == (str(layouts["csv"]), str(layouts["json"]), "<dataset>")
    assert report.summary.total == 9
    assert dict(report.summary.by_rule) == {
        "CK-FK-001": 3,
        "CK-GEO-002": 3,
        "CK-PK-001": 3,
    }
    assert problems_of(report) == PROBLEMS + PROBLEMS + PROBLEMS


# ---------------------------------------------------------------- 4. properties

SPECIAL_CELLS = (
    "",
    " ",
    "\t",
    "0",
    "-1",
    "+5",
    "1.5",
    "1.0",
    "1e3",
    "1,000",
    "1_000",
    "٣",
    "²",
    "999999999999999999999",
    "NaN",
    "inf",
    ";",
    "a;b",
    "A;;B",
    " ; ",
    "a=1",
    "1.a=5;2=x",
    "\x00",
    "\x01",
    "\x1c",
    "\xa0",
    "line\nbreak",
    "x\r\ny",
    "2017-03-14",
    " 2017-03-14 ",
    "14 March 2017",
    "March 2017",
    "03/04/2017",
    "13/04/2017",
    "2023-02-30",
    "2017-3-4",
    "20170314",
    "2017-03-14T10:00",
    "Germany",
    "de",
    "DEU",
    "276",
    "EL",
    "UK",
    "Congo",
    "Korea",
    "XX",
    "webinar",
    " Webinar ",
    "b2b_matchmaking",
    "large",
    "micro",
    "gold",
    "co_funded",
    "voluntary",
    "digital",
    "non-programme",
    "primary",
    "DE21",
    "de21",
    "https://x.example.eu",
    "www.x.eu",
    "not a url",
    "escp-4i-2",
    "true",
    "x" * 65,
)
cells = st.one_of(
    st.sampled_from(SPECIAL_CELLS),
    st.text(max_size=12),
    st.text(alphabet="0123456789-./ ;=aAeE", max_size=12),
)


def _model_refuses(table: str, values: dict[str, Any]) -> bool:
    try:
        TABLES[table].model_validate(values)
    except pydantic.ValidationError:
        return True
    return False


def _csv_input(table: str, row: dict[str, str]) -> dict[str, Any]:
    """The model input of a CSV row, as the CSV reader builds it."""
    return {
        name: cell_to_input(table, name, text) if is_flat_field(table, name) else text
        for name, text in row.items()
        if text and not text.isspace()
    }


@functools.cache
def _base_records() -> dict[str, dict[str, Any]]:
    """A valid record of each table as JSON values (a generation from the reference data)."""
    dataset = ck.load_dataset(BASE)
    records: dict[str, dict[str, Any]] = {}
    for table in TABLES:
        first = dataset.table(table)[:1] or tuple(dataset.all_generations.values())[:1]
        records[table] = render(first[0], exclude_none=True)
    return records


def _json_record(table: str) -> dict[str, Any]:
    """A valid record of `table` as JSON values."""
    return dict(_base_records()[table])


def _csv_record(table: str) -> dict[str, str]:
    """A valid record of `table` as the cells of a CSV row, one per field."""
    record = _base_records()[table]
    return {name: flat_cell(record.get(name)) for name in TABLES[table].model_fields}


def _assert_sound(report: ck.Report) -> None:
    assert_located(report)
    assert sum(report.summary.by_rule.values()) == report.summary.total


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    content=st.binary(max_size=400)
    | st.text(max_size=400).map(str.encode)
    | st.binary(max_size=200).map(lambda tail: ACTIVITIES_HEADER.encode() + tail)
)
def test_arbitrary_bytes_as_a_csv_table_never_raise(
    tmp_path: Path, content: bytes
) -> None:
    """Any bytes as activities.csv give located findings, never an exception."""
    folder = tmp_path / "data"
    if not folder.exists():
        base_copy(tmp_path)
    (folder / "activities.csv").write_bytes(content)
    _assert_sound(ck.validate(folder, as_of=AS_OF))


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    content=st.binary(max_size=400)
    | st.text(max_size=400).map(str.encode)
    | st.lists(
        st.dictionaries(
            st.sampled_from(["id", "partnership", "type", "start", "smes", "x"]),
            st.none()
            | st.booleans()
            | st.integers()
            | st.sampled_from(SPECIAL_CELLS)
            | st.lists(st.sampled_from(SPECIAL_CELLS), max_size=2),
            max_size=5,
        ),
        max_size=4,
    ).map(lambda rows: "\n".join(json.dumps(row) for row in rows).encode())
)
def test_arbitrary_bytes_as_a_json_lines_table_never_raise(
    tmp_path: Path, content: bytes
) -> None:
    """Any bytes as activities.jsonl give located findings, never an exception."""
    write(tmp_path / "data" / "clusters.jsonl", "")
    (tmp_path / "data" / "activities.jsonl").write_bytes(content)
    _assert_sound(ck.validate(tmp_path / "data", as_of=AS_OF))


@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(
    content=st.binary(max_size=400)
    | st.text(max_size=400).map(str.encode)
    | st.recursive(
        st.none() | st.booleans() | st.integers() | st.sampled_from(SPECIAL_CELLS),
        lambda inner: (
            st.lists(inner, max_size=3)
            | st.dictionaries(
                st.sampled_from([*TABLES, "id", "name", "country", "other"]),
                inner,
                max_size=4,
            )
        ),
        max_leaves=12,
    ).map(lambda value: json.dumps(value, indent=1).encode())
)
def test_arbitrary_bytes_as_a_json_document_never_raise(
    tmp_path: Path, content: bytes
) -> None:
    """Any bytes as data.json give located findings, never an exception."""
    path = tmp_path / "data.json"
    path.write_bytes(content)
    _assert_sound(ck.validate(path, as_of=AS_OF))


@pytest.mark.parametrize("table", list(TABLES))
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_csv_row_errors_agree_with_the_model(
    tmp_path: Path, table: str, data: st.DataObject
) -> None:
    """A CSV row has a read-stage error if and only if its model refuses the row."""
    fields = list(TABLES[table].model_fields)
    changes = st.dictionaries(st.sampled_from(fields), cells, max_size=len(fields))
    row = {**_csv_record(table), **data.draw(changes, label="changed cells")}
    folder = tmp_path / "data"
    folder.mkdir(exist_ok=True)
    with (folder / f"{table}.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(fields)
        writer.writerow(row.values())
    report = ck.validate(folder, as_of=AS_OF)
    _assert_sound(report)
    structure = [f for f in report.findings if f.rule in STRUCTURE_RULES]
    assert structure == []
    errors = [
        (f.rule, f.location.field, f.message)
        for f in report.findings
        if f.rule in READ_ERRORS and f.location.line == 2
    ]
    refused = _model_refuses(table, _csv_input(table, row))
    assert refused == bool(errors), (row, errors)


json_values = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-2, max_value=3),
    st.sampled_from([0.0, 1.0, 1.5, -1.0, 1e20]),
    st.sampled_from(SPECIAL_CELLS),
    st.lists(st.sampled_from(["A1", "SME-001", "x;y", "", " ", "digital"]), max_size=3),
)


@pytest.mark.parametrize("table", ["clusters", "activities", "partnerships"])
@settings(
    max_examples=50,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture],
)
@given(data=st.data())
def test_json_lines_row_errors_agree_with_the_model(
    tmp_path: Path, table: str, data: st.DataObject
) -> None:
    """Each JSON Lines row has a read-stage error if and only if its model refuses it."""
    base = _json_record(table)
    fields = st.sampled_from(list(TABLES[table].model_fields))
    changes = st.dictionaries(fields, json_values, max_size=3)
    rows = [{**base, **data.draw(changes, label=f"row {number}")} for number in (1, 2)]
    folder = tmp_path / "data"
    write(folder / f"{table}.jsonl", "".join(json.dumps(row) + "\n" for row in rows))
    report = ck.validate(folder, as_of=AS_OF)
    _assert_sound(report)
    for line, row in enumerate(rows, start=1):
        errors = [
            (f.rule, f.location.field, f.message)
            for f in report.findings
            if f.rule in READ_ERRORS and f.location.line == line
        ]
        refused = _model_refuses(table, given_values(row))
        assert refused == bool(errors), (line, rows, errors)


def test_the_read_errors_are_read_stage_errors() -> None:
    """The rules the agreement properties look at are the read-stage errors."""
    read_stage = {rule.id for rule in CATALOGUE.values() if rule.stage == "read"}
    read_errors = {
        rule for rule in read_stage if CATALOGUE[rule].severity is ck.Severity.ERROR
    }
    assert read_errors - STRUCTURE_RULES == READ_ERRORS
    assert read_stage >= STRUCTURE_RULES
    assert set(required_fields("activities")) == {"id", "partnership", "type", "start"}
