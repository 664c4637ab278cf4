"""Reading and writing the dataset layouts of DESIGN.md §3."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
import json
import tracemalloc
import zipfile
from array import array
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit import testing
from clusterkit.cli import main
from clusterkit.io import (
    Layout,
    Member,
    TableSource,
    detect_layout,
    dump_dataset,
    iter_raw_rows,
    load_dataset,
)
from clusterkit.io._formats import csv_files, jsonl_files
from clusterkit.io._formats import json_document as json_module
from clusterkit.values import Location
from conftest import write

ACTIVITIES_HEADER = "id,partnership,type,start,clusters,b2b_meetings\n"


def read_error(source: Path) -> ck.DatasetReadError:
    """The DatasetReadError that loading `source` raises."""
    with pytest.raises(ck.DatasetReadError) as caught:
        load_dataset(source)
    return caught.value


def load_or_error(source: Path) -> ck.DatasetReadError | None:
    """The DatasetReadError that loading `source` raises, or None if it loads."""
    try:
        load_dataset(source)
    except ck.DatasetReadError as error:
        return error
    return None


def digest(folder: Path) -> dict[str, str]:
    """A fingerprint of every file under `folder`."""
    return {
        str(path): hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


@pytest.mark.parametrize("layout", list(Layout))
@settings(max_examples=25, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(dataset=testing.datasets())
def test_round_trip(
    tmp_path_factory: pytest.TempPathFactory, layout: Layout, dataset: ck.Dataset
) -> None:
    """load(dump(ds)) equals ds in every layout."""
    folder = tmp_path_factory.mktemp(layout.value)
    target = (
        folder
        / {"csv": "data", "jsonl": "data", "json": "data.json", "xlsx": "data.xlsx"}[
            layout.value
        ]
    )
    assert dump_dataset(dataset, target, layout=layout) is layout
    assert load_dataset(target) == dataset


@pytest.mark.parametrize(
    ("name", "layout"),
    [
        ("d", Layout.CSV),
        ("d.jsonl", Layout.JSONL),
        ("d.json", Layout.JSON),
        ("d.xlsx", Layout.XLSX),
    ],
)
def test_layout_from_destination(
    tmp_path: Path, example: ck.Dataset, name: str, layout: Layout
) -> None:
    """The destination's suffix chooses the layout, and load finds it again."""
    assert dump_dataset(example, tmp_path / name) is layout
    assert detect_layout(tmp_path / name) is layout
    assert load_dataset(tmp_path / name) == example


def test_dump_refuses_to_overwrite(tmp_path: Path, example: ck.Dataset) -> None:
    """Existing files are replaced only on request."""
    dump_dataset(example, tmp_path / "d.json")
    with pytest.raises(FileExistsError):
        dump_dataset(example, tmp_path / "d.json")
    dump_dataset(example, tmp_path / "d.json", overwrite=True)
    with pytest.raises(ValueError, match="parquet"):
        dump_dataset(example, tmp_path / "x", layout="parquet")


def test_loading_never_writes(tmp_path: Path, example: ck.Dataset) -> None:
    """Reading a dataset leaves every input file byte for byte as it was."""
    for name in ("csv", "d.json", "d.xlsx"):
        dump_dataset(example, tmp_path / name)
    before = digest(tmp_path)
    for name in ("csv", "d.json", "d.xlsx"):
        load_dataset(tmp_path / name)
    assert digest(tmp_path) == before


class TestCsv:
    """CSV conventions."""

    def test_conventions(self, tmp_path: Path) -> None:
        """BOM, header case and space, empty cells, lists and quoted line breaks."""
        write(
            tmp_path / "activities.csv",
            "\ufeff ID ,Partnership,TYPE,start,clusters,notes\n"
            'A1,P1,c2c_meeting,2018-05-14,"DE-1; FR-2;",\n'
            "\n"
            'A2,P1,webinar,2018-06-01,,"two\nlines"\n',
        )
        ds = load_dataset(tmp_path)
        first, second = ds.activities
        assert first.clusters == ("DE-1", "FR-2")
        assert first.notes is None
        assert first.c2c_meetings == 1
        assert second.notes == "two\nlines"
        assert ds.clusters == ()

    def test_grant_caps(self, tmp_path: Path) -> None:
        """Mapping cells hold key=value pairs; a pair without '=' is reported."""
        header = "id,name,family,programme,start,end,max_grant_eur\n"
        row = "g,G,F,SMP,2016-01-01,2017-01-01,"
        write(tmp_path / "generations.csv", header + row + " 1.a = 200000;;2=448750;\n")
        caps = load_dataset(tmp_path).generations[0].max_grant_eur
        assert caps == {"1.a": Decimal(200000), "2": Decimal(448750)}
        write(tmp_path / "generations.csv", header + row + "1.a\n")
        assert read_error(tmp_path).field == "max_grant_eur"

    def test_physical_lines_count_quoted_line_breaks(self, tmp_path: Path) -> None:
        """A row after a multi-line cell is reported at its physical line."""
        write(
            tmp_path / "activities.csv",
            "id,partnership,type,start,notes\n"
            'A1,P1,webinar,2018-06-01,"one\ntwo\nthree"\n'
            "A2,P1,webinar,2018-02-30,\n",
        )
        error = read_error(tmp_path)
        assert error.location == Location(
            file=str(tmp_path / "activities.csv"), line=5, column=4, field="start"
        )
        assert "February 2018 has 28 days" in str(error)
        assert str(error).startswith(
            f"{tmp_path / 'activities.csv'}:5:4 (start): invalid activities row"
        )

    def test_iter_records_streams_with_locations(self, tmp_path: Path) -> None:
        """Records come one at a time with the line where each starts."""
        path = write(
            tmp_path / "activities.csv",
            ACTIVITIES_HEADER
            + "A1,P1,webinar,2018-01-01,,\n\nA2,P1,webinar,2018-01-02,,3\n",
        )
        records = ck.iter_records(path, ck.ActivityRecord)
        assert isinstance(records, Iterator)
        (a1, where1), (a2, where2) = list(records)
        assert (a1.id, where1.line, a2.b2b_meetings, where2.line) == ("A1", 2, 3, 4)

    def test_iter_records_from_a_dataset_folder(
        self, example_dir: Path, example: ck.Dataset
    ) -> None:
        """Given a dataset, iter_records reads the model's table."""
        smes = [sme for sme, _ in ck.iter_records(example_dir, ck.SME)]
        assert tuple(smes) == example.smes

    def test_iter_records_wants_a_table_model(self, example_dir: Path) -> None:
        """A model that is not a table's is a programming error."""
        with pytest.raises(TypeError, match="record model"):
            list(ck.iter_records(example_dir, ck.Dataset))  # type: ignore[type-var]

    @pytest.mark.parametrize(
        ("text", "line", "field", "message"),
        [
            ("id,ID\n", 1, "id", "duplicate column 'id' (also column 1)"),
            ("id,colour\n", 1, "colour", "unknown column 'colour'"),
            ("id,,type\n", 1, "", "header cell 2 is empty"),
            (
                ACTIVITIES_HEADER + "A1,P1\n",
                2,
                None,
                "row has 2 cells but the header has 6",
            ),
            (
                ACTIVITIES_HEADER + "A1,P1,c2c,2018-01-01,,\n",
                2,
                "type",
                "Input should be",
            ),
            (
                ACTIVITIES_HEADER + "A1,P1,webinar,2018-01-01,,-3\n",
                2,
                "b2b_meetings",
                "got '-3'",
            ),
            (
                ACTIVITIES_HEADER + "A1,,webinar,2018-01-01,,\n",
                2,
                "partnership",
                "a value is required",
            ),
            (
                ACTIVITIES_HEADER + "A1,P1,webinar,2018-13-01,,x\n",
                2,
                "start",
                "there is no month 13; b2b_meetings: ",
            ),
            (
                ACTIVITIES_HEADER + 'A1,P1,webinar,"2018-01-01,,\n',
                2,
                None,
                "malformed CSV",
            ),
        ],
    )
    def test_bad_files_are_located(
        self, tmp_path: Path, text: str, line: int, field: str | None, message: str
    ) -> None:
        """Each problem names the file, the physical line and the field."""
        write(tmp_path / "activities.csv", text)
        error = read_error(tmp_path)
        assert error.line == line
        assert error.field == field
        assert message in str(error)
        assert error.source == str(tmp_path / "activities.csv")

    @pytest.mark.parametrize(
        ("content", "hint", "line"),
        [
            (
                "id,name,country\nC0,Plain,CH\n\nC1,Café Zürich,CH\n".encode("latin-1"),
                "Latin-1",
                4,
            ),
            ("id,name,country\nC1,Café,CH\n".encode("utf-16"), "UTF-16", 1),
            (b"id,name,country\nC1,\x00\xff\xfe\x00binary,CH\n", "binary", 2),
        ],
    )
    def test_undecodable_files(
        self, tmp_path: Path, content: bytes, hint: str, line: int
    ) -> None:
        """A file that is not UTF-8 is named with its likely codec."""
        (tmp_path / "clusters.csv").write_bytes(content)
        error = read_error(tmp_path)
        assert "not UTF-8" in str(error)
        assert hint in str(error)
        assert error.line == line

    def test_a_huge_single_line(self, tmp_path: Path) -> None:
        """A 10 MB line (a lost closing quote) is an error, not a hang or a crash."""
        write(
            tmp_path / "activities.csv",
            ACTIVITIES_HEADER + 'A1,P1,webinar,2018-01-01,"' + "x" * 10_000_000 + "\n",
        )
        assert "malformed CSV" in str(read_error(tmp_path))

    def test_unreadable_file(self, tmp_path: Path) -> None:
        """A table that cannot be opened is a read error naming it.

        A folder named as a table's file is not passed over as if the table
        were absent: reading it says it is a folder.
        """
        (tmp_path / "clusters.csv").mkdir()
        write(tmp_path / "smes.csv", "id,name,country\n")
        with pytest.raises(
            ck.DatasetReadError, match="cannot open: a folder, not a file"
        ):
            list(iter_raw_rows(tmp_path))
        member = Member.of_path(tmp_path / "clusters.csv", "clusters.csv")
        with pytest.raises(ck.DatasetReadError, match="cannot open"):
            list(csv_files.read_rows(member, "clusters"))
        with pytest.raises(ck.DatasetReadError, match="cannot open"):
            list(jsonl_files.read_rows(member, "clusters"))
        with pytest.raises(ck.DatasetReadError, match="cannot open"):
            list(json_module.read_rows(member, None))


class TestLayouts:
    """Finding the layout of a path."""

    def test_unknown_paths(self, tmp_path: Path) -> None:
        """Missing paths, empty folders, mixed folders and odd files are explained."""
        assert "no such file" in str(read_error(tmp_path / "missing"))
        assert "no dataset tables found" in str(read_error(tmp_path))
        write(tmp_path / "mixed" / "clusters.csv", "id,name,country\n")
        write(tmp_path / "mixed" / "smes.jsonl", "")
        assert "both .csv and .jsonl" in str(read_error(tmp_path / "mixed"))
        assert "unknown dataset format '.txt'" in str(
            read_error(write(tmp_path / "data.txt", ""))
        )
        assert "(no suffix)" in str(read_error(write(tmp_path / "data", "")))
        assert "single table file" in str(
            read_error(write(tmp_path / "x" / "clusters.csv", ""))
        )


class TestJsonLines:
    """The JSON Lines layout."""

    def test_blank_text_is_not_given(self, tmp_path: Path) -> None:
        """An empty string means "not given", as an empty CSV cell does."""
        write(
            tmp_path / "clusters.jsonl",
            '{"id": "C1", "name": "N", "country": "DE", "city": " "}\n',
        )
        ((cluster, where),) = ck.iter_records(tmp_path / "clusters.jsonl", ck.Cluster)
        assert (cluster.city, where.line) == (None, 1)
        write(
            tmp_path / "clusters.jsonl", '{"id": "C1", "name": "", "country": "DE"}\n'
        )
        error = read_error(tmp_path)
        assert (error.field, "a value is required" in str(error)) == ("name", True)

    def test_reads_objects_and_skips_blank_lines(self, tmp_path: Path) -> None:
        """One object per line; nulls mean not given; blank lines are skipped."""
        write(
            tmp_path / "clusters.jsonl",
            '{"id": "C1", "name": "N", "country": "Germany", "city": null}\n\n{"id": "C2", "name": "M", "country": "EL"}\n',
        )
        ds = load_dataset(tmp_path)
        assert [(c.id, c.country, c.city) for c in ds.clusters] == [
            ("C1", "DE", None),
            ("C2", "GR", None),
        ]

    @pytest.mark.parametrize(
        ("text", "line", "message"),
        [
            ('{"id": "C1",\n', 1, "JSON syntax error"),
            ('\n["C1"]\n', 2, "expected a JSON object, got an array"),
            (
                '{"id": "C1", "name": "N", "country": "DE", "size": 3}\n',
                1,
                "size: unknown field",
            ),
        ],
    )
    def test_bad_lines(
        self, tmp_path: Path, text: str, line: int, message: str
    ) -> None:
        """Each problem names the physical line."""
        write(tmp_path / "clusters.jsonl", text)
        error = read_error(tmp_path)
        assert error.line == line
        assert message in str(error)

    def test_raw_rows(self, tmp_path: Path) -> None:
        """Raw rows skip blank lines, keep physical lines and explain bad bytes."""
        write(
            tmp_path / "clusters.jsonl", '{"id": "C1"}\n  \n{"id": "C2", "city": ""}\n'
        )
        rows = list(iter_raw_rows(tmp_path))
        assert [(row.values, row.location.line) for row in rows] == [
            ({"id": "C1"}, 1),
            ({"id": "C2"}, 3),
        ]
        (tmp_path / "clusters.jsonl").write_bytes(b'{"id": "C1"}\n{"id": "\xe9"}\n')
        with pytest.raises(ck.DatasetReadError, match="not UTF-8") as caught:
            list(iter_raw_rows(tmp_path))
        assert caught.value.line == 2

    def test_cut_off_character(self, tmp_path: Path) -> None:
        """A multi-byte character cut off at the end of the file is located."""
        (tmp_path / "clusters.jsonl").write_bytes(
            b'{"id": "C1", "name": "N", "country": "DE"}\n\n"\xc3'
        )
        error = read_error(tmp_path)
        assert (error.line, "not UTF-8" in str(error)) == (3, True)

    def test_undecodable(self, tmp_path: Path) -> None:
        """A JSON Lines file in Latin-1 is explained."""
        (tmp_path / "clusters.jsonl").write_bytes('{"id": "Café"}\n'.encode("latin-1"))
        assert "Latin-1" in str(read_error(tmp_path))


class TestJsonDocument:
    """The one-document JSON layout, read as a stream."""

    def test_locations_have_lines_and_pointers(self, tmp_path: Path) -> None:
        """Each record has the line where it starts and a JSON pointer."""
        path = write(
            tmp_path / "d.json",
            '{\n "clusters": [\n  {"id": "C1", "name": "N", "country": "DE"},\n  {"id": "C2", "name": "N",\n   "country": "Atlantis"}\n ]\n}\n',
        )
        error = read_error(path)
        assert error.location == Location(
            file=str(path), line=4, pointer="/clusters/1/country", field="country"
        )

    def test_small_chunks(
        self, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, example: ck.Dataset
    ) -> None:
        """Records and numbers split across read chunks are decoded whole."""
        dump_dataset(example, tmp_path / "d.json")
        monkeypatch.setattr(json_module, "_CHUNK", 7)
        assert load_dataset(tmp_path / "d.json") == example
        lines = [
            row.location.line
            for row in iter_raw_rows(tmp_path / "d.json", ("activities",))
        ]
        text = (tmp_path / "d.json").read_text(encoding="utf-8").splitlines()
        assert lines
        assert all(
            line is not None and text[line - 1].lstrip().startswith('{"id"')
            for line in lines
        )

    def test_only_wanted_tables(self, tmp_path: Path, example: ck.Dataset) -> None:
        """Streaming one table skips the others."""
        dump_dataset(example, tmp_path / "d.json")
        tables = {row.table for row in iter_raw_rows(tmp_path / "d.json", ("smes",))}
        assert tables == {"smes"}

    @pytest.mark.parametrize(
        ("text", "message", "line", "column"),
        [
            ("", "the file is empty", 1, 1),
            ("[]", "got an array", 1, 1),
            ('{"clusters": [}', "JSON syntax error: Expecting value", 1, 15),
            (
                '{"clusters": []',
                "expected ',' or '}', found the end of the file",
                1,
                16,
            ),
            ('{"clusters": [], }', "JSON syntax error: Expecting value", 1, 18),
            ('{"members": []}', "unknown table 'members'", 1, 2),
            ('{"clusters": {}}', "must be an array of objects, got an object", 1, 14),
            ('{"clusters": [1]}', "expected a JSON object, got a number", 1, 15),
            ('{"clusters": ["x"]}', "expected a JSON object, got a string", 1, 15),
            ('{"clusters": [true]}', "expected a JSON object, got a boolean", 1, 15),
            ('{"clusters": [null]}', "expected a JSON object, got null", 1, 15),
            ('{"clusters": []} x', "extra data", 1, 18),
            ('{"clusters" []}', "expected ':'", 1, 13),
            ("{3: []}", "expected a table name, found 3", 1, 2),
            (
                '{"smes": [],\n "clusters": [\n  {"id": "C1"\n  "name": "x"}]}',
                "Expecting ',' delimiter",
                4,
                3,
            ),
        ],
    )
    def test_syntax_errors_have_line_and_column(
        self, tmp_path: Path, text: str, message: str, line: int, column: int | None
    ) -> None:
        """Malformed documents are reported at line:column."""
        error = read_error(write(tmp_path / "d.json", text))
        assert message in str(error)
        assert error.line == line
        assert error.location is not None
        assert error.location.column == column

    def test_place_finds_keys_at_the_top_level(self, tmp_path: Path) -> None:
        """A field is found at its record's top level, not inside a nested value."""
        text = (
            '{"clusters": [\n\n  {"sources": ["a"], "x": {"id": 2},\n'
            '   "id": "C1", "id": "again"}, {"id": "C2"}\n]}\n'
        )
        path = write(tmp_path / "d.json", text)
        member = Member.of_path(path, "d.json")
        # Wrong on purpose: the second record starts on line 4.
        source = TableSource("clusters", "json", "d.json", lines=array("I", [3, 3]))

        def at(pointer: str, field: str | None = None) -> Location:
            return Location(file="d.json", line=3, pointer=pointer, field=field)

        wanted = [
            at("/clusters/0/id", "id"),
            at("/clusters/0/x", "x"),
            at("/clusters/0/nothing", "nothing"),
            at("/clusters/1/id", "id"),  # not found where the lines say
            at("/clusters/2/id", "id"),  # past the array
            at("/smes/0/id", "id"),  # no such table
            at("/clusters"),
            at("/clusters/x"),
            Location(file="d.json", line=3),
            Location(file="other.json", line=3, pointer="/clusters/0/id"),
        ]
        placed = json_module.place(member, wanted, {"clusters": source})
        assert {
            where.pointer: (placed[where].line, placed[where].column)
            for where in placed
        } == {
            "/clusters/0/id": (4, 4),
            "/clusters/0/x": (3, 22),
            "/clusters/0/nothing": (3, 3),
        }
        assert json_module.place(member, wanted[4:], {"clusters": source}) == {}

    def test_place_after_a_blank_line_and_past_the_end(self, tmp_path: Path) -> None:
        """A record after a blank line is found; lines past the end are not."""
        path = write(tmp_path / "d.json", '{"clusters": [\n\n{"id": "C1",\n')
        member = Member.of_path(path, "d.json")
        lines = array("I", [3, 9])
        source = TableSource("clusters", "json", "d.json", lines=lines)
        wanted = [
            Location(file="d.json", line=3, pointer="/clusters/0/id", field="id"),
            Location(file="d.json", line=3, pointer="/clusters/0/name", field="name"),
            Location(file="d.json", line=9, pointer="/clusters/1/id", field="id"),
        ]
        placed = json_module.place(member, wanted, {"clusters": source})
        assert [(placed[w].line, placed[w].column) for w in placed] == [
            (3, 2),
            (3, 1),
        ]

    def test_place_skips_the_end_of_a_longer_key(self, tmp_path: Path) -> None:
        """`"id":` that ends a key with an escaped quote is not the key `id`."""
        path = write(tmp_path / "d.json", '{"clusters": [{"a\\"id": 1, "id": "C1"}]}\n')
        member = Member.of_path(path, "d.json")
        source = TableSource("clusters", "json", "d.json", lines=array("I", [1]))
        where = Location(file="d.json", line=1, pointer="/clusters/0/id", field="id")
        placed = json_module.place(member, [where], {"clusters": source})
        assert (placed[where].line, placed[where].column) == (1, 28)

    def test_lines_are_read_forward(self, tmp_path: Path) -> None:
        """Lines are skipped to, kept while needed, and `None` past the end."""
        path = write(tmp_path / "d.txt", "one\ntwo\nthree\n")
        with path.open(encoding="utf-8") as handle:
            lines = json_module._Lines(handle)
            assert lines.get(2) == "two"
            lines.forget_before(9)
            assert lines.get(9) is None
        with path.open(encoding="utf-8") as handle:
            lines = json_module._Lines(handle)
            assert (lines.get(1), lines.get(3), lines.get(4)) == ("one", "three", None)

    def test_entries_that_are_not_objects_keep_their_index(
        self, tmp_path: Path
    ) -> None:
        """The line array counts skipped entries, so later records keep their lines."""
        text = '{"clusters": [\n1,\n  {"id": "C1"},\n  2, {"id": "C2", "x": 1}]}\n'
        path = write(tmp_path / "d.json", text)
        report = ck.validate(path, select=["CK-HDR-002", "CK-ROW-001"])
        spots = [
            (f.rule, f.location.pointer, f.location.line, f.location.column)
            for f in report.findings
        ]
        assert spots == [
            ("CK-ROW-001", "/clusters/0", 2, 1),
            ("CK-ROW-001", "/clusters/2", 4, 3),
            ("CK-HDR-002", "/clusters/3/x", 4, 19),
        ]

    def test_empty_document(self, tmp_path: Path) -> None:
        """An empty object is an empty dataset."""
        assert load_dataset(write(tmp_path / "d.json", " {} ")) == ck.Dataset()

    def test_undecodable(self, tmp_path: Path) -> None:
        """A document in UTF-16 is explained."""
        (tmp_path / "d.json").write_bytes('{"clusters": []}'.encode("utf-16"))
        assert "UTF-16" in str(read_error(tmp_path / "d.json"))


class TestWorkbook:
    """The Excel layout."""

    def test_cells_are_located(self, tmp_path: Path) -> None:
        """A bad cell is reported as Sheet!C12 with its line."""
        openpyxl = pytest.importorskip("openpyxl")
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "Clusters"
        sheet.append(["ID", "name", "country", "members_total"])
        sheet.append(["C1", "Name", "DE", 12.0])
        sheet.append([None, None, None, None])
        sheet.append(["C2", "Name", "Atlantis", 3])
        workbook.create_sheet("notes").append(["ignored"])
        workbook.save(tmp_path / "d.xlsx")
        error = read_error(tmp_path / "d.xlsx")
        assert error.location == Location(
            file=str(tmp_path / "d.xlsx"),
            line=4,
            column=3,
            sheet="Clusters",
            cell="C4",
            field="country",
        )

    def test_values_without_header_and_formulas(self, tmp_path: Path) -> None:
        """A value beyond the header is an error; text starting with '=' stays text."""
        openpyxl = pytest.importorskip("openpyxl")
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "clusters"
        sheet.append(["id", "name", "country"])
        sheet.append(["C1", "Name", "DE", "stray"])
        workbook.save(tmp_path / "d.xlsx")
        error = read_error(tmp_path / "d.xlsx")
        assert (error.location.cell if error.location else None) == "D2"
        assert "column D, which has no header" in str(error)
        ds = ck.Dataset(clusters=[ck.Cluster(id="C1", name="=1+1", country="DE")])
        dump_dataset(ds, tmp_path / "f.xlsx")
        assert load_dataset(tmp_path / "f.xlsx") == ds

    def test_uncalculated_formulas_are_not_read_as_empty(self, tmp_path: Path) -> None:
        """A formula without a saved value stops the read at its cell."""
        openpyxl = pytest.importorskip("openpyxl")
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "clusters"
        sheet.append(["id", "name", "country", "members_total"])
        sheet.append(["C1", "Name", "DE", "=1+2"])
        workbook.save(tmp_path / "d.xlsx")
        error = read_error(tmp_path / "d.xlsx")
        assert error.location is not None
        assert (error.location.cell, error.line) == ("D2", 2)
        assert "a formula with no saved value (=1+2)" in str(error)

    def test_numbers_and_times_in_text_fields(self, tmp_path: Path) -> None:
        """Numbers in list, mapping and country cells, and time cells, read as text."""
        openpyxl = pytest.importorskip("openpyxl")
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "partnerships"
        sheet.append(["id", "acronym", "name", "generation", "members", "strand"])
        sheet.append([1001, "A", dt.time(9, 30), "escp-4i-1", 7, 2])
        clusters = workbook.create_sheet("clusters")
        clusters.append(["id", "name", "country"])
        clusters.append(["7", "Seven", 276])
        workbook.save(tmp_path / "d.xlsx")
        ds = load_dataset(tmp_path / "d.xlsx")
        assert (
            ds.partnerships[0].id,
            ds.partnerships[0].members,
            ds.partnerships[0].name,
        ) == ("1001", ("7",), "09:30:00")
        assert ds.clusters[0].country == "DE"

    def test_fractional_amounts_and_old_dates(self, tmp_path: Path) -> None:
        """Amounts keep their value and dates before Excel's epoch survive."""
        ds = ck.Dataset(
            smes=[
                ck.SME(
                    id="S",
                    name="N",
                    country="DE",
                    turnover_eur="1234.5",
                    balance_sheet_eur="0.123456789012345678",
                )
            ],
            generations=[
                ck.Generation(
                    id="g",
                    name="n",
                    family="f",
                    programme="SMP",
                    start="1899-12-31",
                    end="2020-01-01",
                )
            ],
        )
        dump_dataset(ds, tmp_path / "d.xlsx")
        assert load_dataset(tmp_path / "d.xlsx") == ds

    def test_written_tables_are_styled(self, tmp_path: Path) -> None:
        """Each sheet has a bold, tinted, frozen header, an auto filter and widths."""
        import openpyxl  # noqa: PLC0415 - only the workbook tests need it
        from openpyxl.utils import get_column_letter  # noqa: PLC0415 - only the workbook tests need it

        ds = ck.load_example()
        dump_dataset(ds, tmp_path / "d.xlsx")
        workbook = openpyxl.load_workbook(tmp_path / "d.xlsx")
        for sheet in workbook:
            rows = len(ds.table(sheet.title))
            header = next(sheet.iter_rows(max_row=1))
            assert sheet.freeze_panes == "A2"
            last = get_column_letter(len(header))
            assert sheet.auto_filter.ref == f"A1:{last}{rows + 1}"
            assert all(cell.font.b for cell in header)
            assert {cell.fill.fgColor.rgb for cell in header} == {"00DDE3F0"}
            for number, cell in enumerate(header, start=1):
                width = sheet.column_dimensions[get_column_letter(number)].width
                assert width >= max(12, len(str(cell.value)))
        assert load_dataset(tmp_path / "d.xlsx") == ds

    def test_corrupt_workbook(self, tmp_path: Path) -> None:
        """A file that is not a workbook is a read error, not a zip traceback."""
        (tmp_path / "d.xlsx").write_bytes(b"this is not a zip file")
        assert "not a readable .xlsx workbook" in str(read_error(tmp_path / "d.xlsx"))
        with zipfile.ZipFile(tmp_path / "e.xlsx", "w") as archive:
            archive.writestr("hello.txt", "no workbook here")
        assert "not a readable .xlsx workbook" in str(read_error(tmp_path / "e.xlsx"))


class TestStreaming:
    """iter_records holds one record at a time, not the file."""

    ROWS = 8_000

    @pytest.fixture(name="big_files", scope="class")
    @classmethod
    def fixture_big_files(
        cls, tmp_path_factory: pytest.TempPathFactory
    ) -> dict[str, Path]:
        """An activities table of 8,000 rows in CSV, JSON Lines and one JSON document."""
        folder = tmp_path_factory.mktemp("big")
        ds = testing.generate_dataset(seed=5)
        activities = list(
            testing.iter_generated_activities(
                seed=5,
                count=cls.ROWS,
                partnerships=ds.partnerships,
                smes=ds.smes,
                targets=ds.targets,
            )
        )
        csv_files.write_table(folder / "activities.csv", "activities", activities)
        jsonl_files.write_table(folder / "activities.jsonl", "activities", activities)
        lines = (folder / "activities.jsonl").read_text(encoding="utf-8").splitlines()
        write(folder / "doc.json", '{"activities": [\n' + ",\n".join(lines) + "\n]}\n")
        return {
            "csv": folder / "activities.csv",
            "jsonl": folder / "activities.jsonl",
            "json": folder / "doc.json",
        }

    @staticmethod
    def peak_bytes(path: Path, *, keep: bool) -> tuple[int, int]:
        """Peak traced memory while reading every record, and the number read."""
        tracemalloc.start()
        try:
            kept = []
            count = 0
            for record, _ in ck.iter_records(path, ck.ActivityRecord):
                count += 1
                if keep:
                    kept.append(record)
            return tracemalloc.get_traced_memory()[1], count
        finally:
            tracemalloc.stop()

    @pytest.mark.parametrize("layout", ["csv", "jsonl", "json"])
    def test_memory_does_not_grow_with_the_file(
        self, big_files: dict[str, Path], layout: str
    ) -> None:
        """Streaming peaks far below the file size; keeping the records does not."""
        path = big_files[layout]
        streamed, count = self.peak_bytes(path, keep=False)
        kept, _ = self.peak_bytes(path, keep=True)
        assert count == self.ROWS
        # A constant allowance for read buffers, below the size of every file.
        assert streamed < 1_000_000 < path.stat().st_size
        assert kept > 5 * streamed


@pytest.mark.parametrize("layout", list(Layout))
def test_eu_country_codes_on_output(tmp_path: Path, layout: Layout) -> None:
    """Every layout can write EL and UK instead of GR and GB, and reads them back."""
    ds = ck.Dataset(
        clusters=[ck.Cluster(id="C1", name="N", country="GR")],
        smes=[ck.SME(id="S1", name="N", country="GB")],
        targets=[ck.ThirdCountryTarget(partnership="P", country="US")],
        activities=[
            ck.ActivityRecord(
                id="A",
                partnership="P",
                type="webinar",
                start="2018-01-01",
                host_country="GR",
                target_country="GB",
            )
        ],
    )
    target = (
        tmp_path
        / {"csv": "d", "jsonl": "d", "json": "d.json", "xlsx": "d.xlsx"}[layout.value]
    )
    dump_dataset(ds, target, layout=layout, country_codes="eu")
    assert load_dataset(target) == ds
    rows = {row.table: row.values for row in iter_raw_rows(target)}
    assert rows["clusters"]["country"] == "EL"
    assert rows["smes"]["country"] == "UK"
    assert (
        rows["activities"]["host_country"],
        rows["activities"]["target_country"],
    ) == ("EL", "UK")
    assert rows["targets"]["country"] == "US"
    with pytest.raises(ValueError, match="country_codes"):
        dump_dataset(ds, tmp_path / "x.json", country_codes="un")  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "name", ["activities.csv", "activities.jsonl", "d.json", "d.xlsx"]
)
@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(content=st.binary(max_size=300) | st.text(max_size=300).map(str.encode))
def test_arbitrary_bytes_never_crash(
    tmp_path_factory: pytest.TempPathFactory, name: str, content: bytes
) -> None:
    """Whatever a file holds, loading it gives a dataset or a DatasetReadError, never another error."""
    folder = tmp_path_factory.mktemp("fuzz")
    (folder / name).write_bytes(content)
    source = folder if name.startswith("activities") else folder / name
    error = load_or_error(source)
    if error is not None:
        assert error.source is not None
        assert str(error).startswith(str(error.source))


@settings(max_examples=60, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    rows=st.lists(
        st.lists(
            st.text(max_size=12)
            | st.sampled_from(["P1", "c2c_meeting", "2018-01-01", "-1", "DE;FR", ""]),
            min_size=1,
            max_size=7,
        ),
        max_size=5,
    )
)
def test_arbitrary_csv_rows_never_crash(
    tmp_path_factory: pytest.TempPathFactory, rows: list[list[str]]
) -> None:
    """Arbitrary cells under a real header load or raise a located DatasetReadError."""
    folder = tmp_path_factory.mktemp("rows")
    with (folder / "activities.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.writer(handle)
        writer.writerow(
            ["id", "partnership", "type", "start", "clusters", "b2b_meetings", "notes"]
        )
        writer.writerows(rows)
    error = load_or_error(folder)
    if error is not None:
        assert error.location is not None
        assert error.location.line is not None


# A partnership, a target and an activity whose period dates are given to the
# year, to the month and to the day, as a user types them.
PRECISIONS = {
    "year": {"start": "2016", "end": "2017", "since": "2016", "act": "2017"},
    "month": {
        "start": "2016-02",
        "end": "2017-06",
        "since": "2016-03",
        "act": "2017-06",
    },
    "day": {
        "start": "2016-02-01",
        "end": "2017-06-30",
        "since": "2016-03-01",
        "act": "2017-06-01",
    },
}
SOURCE_NAMES = {
    "csv": "data",
    "jsonl": "data",
    "json": "data.json",
    "xlsx": "data.xlsx",
}


def period_tables(dates: dict[str, str]) -> dict[str, list[dict[str, str]]]:
    """Records of three tables, every value as text, with the given period dates."""
    return {
        "partnerships": [
            {
                "id": "P1",
                "acronym": "A",
                "name": "N",
                "generation": "escp-4i-1",
                "start": dates["start"],
                "end": dates["end"],
            }
        ],
        "targets": [{"partnership": "P1", "country": "US", "since": dates["since"]}],
        "activities": [
            {
                "id": "A1",
                "partnership": "P1",
                "type": "webinar",
                "start": dates["act"],
                "end": dates["act"],
            }
        ],
    }


def write_by_hand(layout: str, folder: Path, dates: dict[str, str]) -> Path:
    """The records as a user writes them in `layout`: dates as text in every cell."""
    tables = period_tables(dates)
    folder.mkdir()
    target = folder / SOURCE_NAMES[layout]
    if layout == "json":
        write(target, json.dumps(tables))
    elif layout == "xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        workbook = openpyxl.Workbook()
        workbook.remove(workbook.active)
        for table, rows in tables.items():
            sheet = workbook.create_sheet(table)
            sheet.append(list(rows[0]))
            for row in rows:
                sheet.append(list(row.values()))
        workbook.save(target)
    else:
        for table, rows in tables.items():
            if layout == "jsonl":
                text = "".join(json.dumps(row) + "\n" for row in rows)
            else:
                text = ",".join(rows[0]) + "\n"
                text += "".join(",".join(row.values()) + "\n" for row in rows)
            write(target / f"{table}.{layout}", text)
    return target


def written_dates(layout: str, target: Path) -> dict[str, object]:
    """The period dates as a writer wrote them: cell text, JSON string or cell value."""
    if layout == "xlsx":
        openpyxl = pytest.importorskip("openpyxl")
        workbook = openpyxl.load_workbook(target)
        rows = {
            table: dict(zip(*(list(r) for r in workbook[table].values), strict=True))
            for table in ("partnerships", "targets", "activities")
        }
    elif layout == "json":
        document = json.loads(target.read_text(encoding="utf-8"))
        rows = {table: records[0] for table, records in document.items() if records}
    elif layout == "jsonl":
        rows = {
            table: json.loads((target / f"{table}.jsonl").read_text(encoding="utf-8"))
            for table in ("partnerships", "targets", "activities")
        }
    else:
        rows = {
            table: next(
                csv.DictReader(
                    (target / f"{table}.csv").read_text(encoding="utf-8").splitlines()
                )
            )
            for table in ("partnerships", "targets", "activities")
        }
    return {
        "start": rows["partnerships"]["start"],
        "end": rows["partnerships"]["end"],
        "since": rows["targets"]["since"],
        "act": rows["activities"]["start"],
    }


class TestPeriodDates:
    """Period dates given to the year, the month or the day, in every layout."""

    @pytest.mark.parametrize("writer", [layout.value for layout in Layout])
    @pytest.mark.parametrize("reader", [layout.value for layout in Layout])
    @pytest.mark.parametrize("precision", list(PRECISIONS))
    def test_read_and_written_as_given(
        self, tmp_path: Path, precision: str, reader: str, writer: str
    ) -> None:
        """Each layout reads a date at its precision; each writer writes it back so."""
        dates = PRECISIONS[precision]
        ds = load_dataset(write_by_hand(reader, tmp_path / "in", dates))
        partnership, target = ds.partnerships[0], ds.targets[0]
        activity = ds.activities[0]
        day = dt.date
        expected_days = {
            "year": (day(2016, 1, 1), day(2017, 12, 31), day(2016, 1, 1)),
            "month": (day(2016, 2, 1), day(2017, 6, 30), day(2016, 3, 1)),
            "day": (day(2016, 2, 1), day(2017, 6, 30), day(2016, 3, 1)),
        }[precision]
        assert (partnership.start, partnership.end, target.since) == expected_days
        # The same text as the start and the end of one activity.
        assert (activity.start, activity.end) == {
            "year": (day(2017, 1, 1), day(2017, 12, 31)),
            "month": (day(2017, 6, 1), day(2017, 6, 30)),
            "day": (day(2017, 6, 1), day(2017, 6, 1)),
        }[precision]
        for value in (partnership.start, partnership.end, target.since, activity.end):
            if precision == "day":
                assert type(value) is dt.date
            else:
                assert isinstance(value, ck.PartialDate)
                assert value.precision == precision
        (tmp_path / "out").mkdir()
        out = tmp_path / "out" / SOURCE_NAMES[writer]
        dump_dataset(ds, out, layout=writer)
        written = written_dates(writer, out)
        if writer == "xlsx" and precision == "day":
            # A full date is a real date cell; a month or a year is text.
            assert written["start"] == dt.datetime(2016, 2, 1)  # noqa: DTZ001 - workbook cells are naive
        else:
            assert written == dates
        again = load_dataset(out)
        assert again == ds
        assert again.model_dump(mode="json") == ds.model_dump(mode="json")

    @pytest.mark.parametrize("layout", list(Layout))
    @settings(
        max_examples=15, suppress_health_check=[HealthCheck.function_scoped_fixture]
    )
    @given(
        starts=st.lists(testing.start_dates(), min_size=1, max_size=4),
        ends=st.lists(testing.end_dates(), min_size=1, max_size=4),
    )
    def test_round_trip_keeps_the_precision(
        self,
        tmp_path_factory: pytest.TempPathFactory,
        layout: Layout,
        starts: list[dt.date],
        ends: list[dt.date],
    ) -> None:
        """Any mix of days, months and years reads back with its precision."""
        ds = ck.Dataset(
            activities=[
                ck.ActivityRecord(
                    id=f"A{index}",
                    partnership="P1",
                    type="webinar",
                    start=start,
                    end=end,
                )
                for index, (start, end) in enumerate(zip(starts, ends, strict=False))
            ]
        )
        folder = tmp_path_factory.mktemp(layout.value)
        target = folder / SOURCE_NAMES[layout.value]
        dump_dataset(ds, target, layout=layout)
        again = load_dataset(target)
        assert again == ds
        assert again.model_dump(mode="json") == ds.model_dump(mode="json")
        for before, after in zip(ds.activities, again.activities, strict=True):
            for field in ("start", "end"):
                assert type(getattr(after, field)) is type(getattr(before, field))
                assert str(getattr(after, field)) == str(getattr(before, field))

    def test_convert_writes_them_as_given(
        self, tmp_path: Path, capsys: pytest.CaptureFixture[str]
    ) -> None:
        """`clusterkit convert` writes a month and a year as they were given."""
        source = write_by_hand("csv", tmp_path / "in", PRECISIONS["month"])
        out = tmp_path / "out.json"
        assert main(["convert", str(source), str(out)]) == 0
        capsys.readouterr()
        assert written_dates("json", out) == PRECISIONS["month"]


class BudgetedPartnership(ck.Partnership):
    """A partnership as an application extends it: two fields of its own."""

    budget_line: str | None = None
    """The application's budget line (free text)."""
    tags: tuple[str, ...] = ()
    """Labels the application gives (a list: `;`-separated in a CSV cell)."""


class TestExtension:
    """Subclasses of the record models: read, written and streamed in every layout."""

    @pytest.fixture(name="extended")
    def fixture_extended(self, example: ck.Dataset) -> ck.Dataset:
        """The example with every partnership extended, the first with values."""
        partnerships = [
            BudgetedPartnership.model_validate(
                partnership.model_dump(exclude_defaults=True)
            )
            for partnership in example.partnerships
        ]
        partnerships[0] = partnerships[0].model_copy(
            update={"budget_line": "B-7", "tags": ("pilot", "asia")}
        )
        return example.model_copy(update={"partnerships": tuple(partnerships)})

    @pytest.mark.parametrize("layout", list(Layout))
    def test_round_trip_with_models(
        self, tmp_path: Path, extended: ck.Dataset, layout: Layout
    ) -> None:
        """Written with their own fields, read back as the subclass given in `models`."""
        target = tmp_path / SOURCE_NAMES[layout.value]
        dump_dataset(extended, target, layout=layout)
        models = {"partnerships": BudgetedPartnership}
        assert load_dataset(target, models=models) == extended
        again, report = load_dataset(target, models=models, errors="report")
        assert again == extended
        assert report.findings == ()
        streamed = [
            record for record, _ in ck.iter_records(target, BudgetedPartnership)
        ]
        assert tuple(streamed) == extended.partnerships

    @pytest.mark.parametrize("layout", list(Layout))
    def test_without_models_the_fields_are_unknown(
        self, tmp_path: Path, extended: ck.Dataset, layout: Layout
    ) -> None:
        """Read as the shipped model, a subclass's field is refused, and validate warns."""
        target = tmp_path / SOURCE_NAMES[layout.value]
        dump_dataset(extended, target, layout=layout)
        assert "budget_line" in str(read_error(target))
        report = ck.validate(target)
        assert report.ok
        assert report.summary.by_rule["CK-HDR-002"] == 2

    def test_csv_columns_of_a_mixed_table(self, tmp_path: Path) -> None:
        """A table of records of both models has the subclass's columns, empty where not given."""
        plain = ck.Partnership(id="P1", acronym="A", name="N", generation="escp-4i-1")
        extended = BudgetedPartnership(
            id="P2", acronym="B", name="M", generation="escp-4i-1", tags=("x", "y")
        )
        dump_dataset(ck.Dataset(partnerships=[plain, extended]), tmp_path)
        with (tmp_path / "partnerships.csv").open(encoding="utf-8") as handle:
            rows = list(csv.DictReader(handle))
        assert list(rows[0])[-2:] == ["budget_line", "tags"]
        assert [(row["budget_line"], row["tags"]) for row in rows] == [
            ("", ""),
            ("", "x;y"),
        ]
        again = load_dataset(tmp_path, models={"partnerships": BudgetedPartnership})
        assert again.partnerships[1] == extended

    def test_a_dataset_is_read_as_the_models(self, extended: ck.Dataset) -> None:
        """A Dataset of base records becomes one of the subclass; one of it stays equal."""
        models = {"partnerships": BudgetedPartnership}
        plain = ck.Partnership(id="P", acronym="A", name="N", generation="escp-4i-1")
        base = ck.Dataset(partnerships=[plain])
        assert type(load_dataset(base, models=models).partnerships[0]) is (
            BudgetedPartnership
        )
        assert load_dataset(extended, models=models) == extended
        assert load_dataset(extended, models=models, errors="report")[0] == extended

    def test_an_extension_field_that_does_not_parse(self, tmp_path: Path) -> None:
        """A bad value of a subclass's field is located at its column, strictly or not."""

        class Counted(ck.Partnership):
            visits: int = 0

        write(
            tmp_path / "partnerships.csv",
            "id,acronym,name,generation,visits\nP1,A,N,escp-4i-1,many\n",
        )
        models = {"partnerships": Counted}
        with pytest.raises(
            ck.DatasetReadError, match=r"partnerships.csv:2:5 \(visits\)"
        ):
            load_dataset(tmp_path, models=models)
        ds, report = load_dataset(tmp_path, models=models, errors="report")
        assert ds.partnerships == ()
        (finding,) = report.findings
        assert (finding.rule, finding.location.field) == ("CK-TYPE-001", "visits")

    def test_models_are_checked(self, example_dir: Path) -> None:
        """`models` names tables and gives subclasses of their models."""
        with pytest.raises(ValueError, match="unknown table 'members'"):
            load_dataset(example_dir, models={"members": ck.Cluster})
        with pytest.raises(TypeError, match="must be Partnership or a subclass"):
            load_dataset(example_dir, models={"partnerships": ck.Cluster})
        assert load_dataset(example_dir, models={}) == load_dataset(example_dir)
        # Not a mapping: a TypeError that says what models is, not "'str'
        # object has no attribute 'items'".
        for wrong in ("smes", [("smes", ck.SME)]):
            with pytest.raises(TypeError, match="models must be a mapping of table"):
                load_dataset(example_dir, models=wrong)  # type: ignore[call-overload] # what the test checks
