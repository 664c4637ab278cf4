"""Inputs a review found handled badly, and how they are handled now.

Each was reproduced first: silently lost data (a table given twice, a member
given twice in a zip, values an import passed over), errors of the wrong kind
or with untrue messages, and command lines that overwrote their input.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import sqlite3
import sys
import tempfile
import traceback
import warnings
import zipfile
from contextlib import nullcontext
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit import cli
from clusterkit.cli._convert import _same_database
from conftest import write

CLUSTER_A = {"id": "A", "name": "Alpha", "country": "DE"}
CLUSTER_B = {"id": "B", "name": "Beta", "country": "FR"}
CLUSTERS_CSV = "id,name,country\nC1,Alpha,DE\n"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    """Run the CLI in-process; return the exit code, stdout and stderr."""
    code = cli.main(list(argv))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def zipped(*members: tuple[str, str | bytes]) -> bytes:
    """A zip archive of `(name, content)` members, a name possibly given twice."""
    buffer = io.BytesIO()
    with warnings.catch_warnings(), zipfile.ZipFile(buffer, "w") as archive:
        # zipfile warns of a name given twice, which is what some tests want.
        warnings.filterwarnings("ignore", "Duplicate name", UserWarning)
        for name, content in members:
            archive.writestr(name, content)
    return buffer.getvalue()


# ---------------------------------------------------------------- a table given twice


def _document(*tables: tuple[str, list[dict[str, str]]]) -> bytes:
    """A JSON document whose keys may repeat (a dict cannot hold that)."""
    parts = [f"{json.dumps(name)}: {json.dumps(rows)}" for name, rows in tables]
    return ("{" + ",\n".join(parts) + "}").encode()


def test_a_json_table_given_twice_is_reported_and_only_its_first_array_read() -> None:
    """`{"clusters": [A], "clusters": [B]}`: CK-HDR-005 at the second key; A is read."""
    document = _document(("clusters", [CLUSTER_A]), ("clusters", [CLUSTER_B]))
    report = ck.validate(document)
    (finding,) = [f for f in report.findings if f.rule == "CK-HDR-005"]
    assert finding.location.line == 2
    assert finding.location.column == 1
    assert finding.entity == ck.Entity("clusters")
    assert finding.message == (
        "the table 'clusters' is given twice in this document (first on line 1); "
        "only its first array was read"
    )
    dataset, loaded = ck.load_dataset(document, errors="report")
    assert [c.id for c in dataset.clusters] == ["A"]
    assert loaded.summary.by_rule["CK-HDR-005"] == 1
    result = ck.compute_kpis(document, validate=False)
    assert result.records["clusters"].used == 1


def test_the_strict_load_says_what_is_wrong_not_what_a_lenient_read_does() -> None:
    """`load_dataset` stops at a table given twice; its message says no more was read."""
    document = _document(("clusters", [CLUSTER_A]), ("clusters", [CLUSTER_B]))
    with pytest.raises(ck.DatasetReadError) as caught:
        ck.load_dataset(document)
    assert str(caught.value) == (
        "<upload>:2:1: the table 'clusters' is given twice in this document "
        "(first on line 1)"
    )


def test_a_table_given_twice_is_reported_only_by_the_pass_that_reads_it() -> None:
    """Reading one other table of the document reports nothing about `clusters`."""
    document = _document(
        ("clusters", [CLUSTER_A]), ("smes", []), ("clusters", [CLUSTER_B])
    )
    with ck.io.open_source(document) as opened:
        assert list(opened.rows("smes")) == []
    with (
        ck.io.open_source(document) as opened,
        pytest.raises(ck.DatasetReadError, match="given twice"),
    ):
        list(opened.rows("clusters"))


# ---------------------------------------------------------------- zip archives


def test_a_zip_holding_one_name_twice_is_refused() -> None:
    """Two `clusters.csv` members: one would be lost, so nothing is read."""
    data = zipped(("clusters.csv", CLUSTERS_CSV), ("clusters.csv", CLUSTERS_CSV))
    with pytest.raises(ck.DatasetReadError) as caught:
        ck.load_dataset(data)
    assert str(caught.value) == (
        "<upload>: refused: member 'clusters.csv' is in the archive twice, and "
        "only one could be read; nothing in it was read"
    )
    (finding,) = ck.validate(data).findings
    assert finding.rule == "CK-FILE-001"
    assert "twice" in finding.message


@pytest.mark.parametrize(
    "members",
    [
        # macOS Finder's "Compress": resource forks in __MACOSX/, folder settings.
        (("data/clusters.csv", CLUSTERS_CSV), ("__MACOSX/data/._clusters.csv", b"\0")),
        (("data/clusters.csv", CLUSTERS_CSV), ("data/.DS_Store", b"\0")),
        (("data/clusters.csv", CLUSTERS_CSV), (".DS_Store", b"\0")),
        # A file beside the one top folder.
        (("data/clusters.csv", CLUSTERS_CSV), ("README.txt", "About the data")),
        # Tables at the root, a folder of other things beside them.
        (("clusters.csv", CLUSTERS_CSV), ("docs/notes.txt", "notes")),
    ],
    ids=["macosx", "ds-store-inside", "ds-store-at-root", "readme", "root-and-folder"],
)
def test_a_zip_finds_its_tables_past_what_other_files_it_holds(
    members: tuple[tuple[str, str | bytes], ...],
) -> None:
    """The tables are read from the root, or from the one top folder that holds them."""
    dataset = ck.load_dataset(zipped(*members))
    assert [c.id for c in dataset.clusters] == ["C1"]


def test_a_zip_with_several_top_folders_says_so() -> None:
    """No table at the root and two folders: which one is meant is not guessed."""
    data = zipped(("a/clusters.csv", CLUSTERS_CSV), ("b/clusters.csv", CLUSTERS_CSV))
    with pytest.raises(ck.DatasetReadError) as caught:
        ck.load_dataset(data)
    assert str(caught.value) == (
        "<upload>: no table files at the archive's root, and 2 top folders (a, b); "
        "put the tables at the root or in one top folder"
    )


# ---------------------------------------------------------------- arguments


@pytest.mark.parametrize("parameter", ["name", "format"])
@pytest.mark.parametrize("function", [ck.load_dataset, ck.validate, ck.compute_kpis])
def test_a_name_or_format_that_is_no_string_is_a_type_error(
    function: Any, parameter: str
) -> None:
    """`name=5` raises at once, naming the parameter, before anything is read."""
    with pytest.raises(TypeError) as caught:
        function(b'{"clusters": [{"id": "C1"}]}', **{parameter: 5})
    assert str(caught.value) == f"{parameter} must be a str or None, not int"


@pytest.mark.parametrize(
    ("value", "error", "message"),
    [
        ("2", TypeError, "Thresholds.min_members must be an int, not str"),
        (2.5, TypeError, "Thresholds.min_members must be an int, not float"),
        (True, TypeError, "Thresholds.min_members must be an int, not bool"),
        (-1, ValueError, "Thresholds.min_members must be at least 0, not -1"),
    ],
)
def test_a_threshold_is_checked_when_it_is_made(
    value: object, error: type[Exception], message: str
) -> None:
    """A threshold is an int of at least 0, or None: refused where it is made."""
    with pytest.raises(error) as caught:
        ck.Thresholds(min_members=value)  # type: ignore[arg-type] # the point
    assert str(caught.value) == message


@pytest.mark.parametrize(
    "field",
    [
        "min_members",
        "min_member_countries",
        "min_target_countries",
        "max_target_countries",
    ],
)
def test_every_threshold_takes_none_0_and_refuses_text(field: str) -> None:
    """None (the generation's) and 0 are thresholds; text is not."""
    assert getattr(ck.Thresholds(**{field: None}), field) is None
    assert getattr(ck.Thresholds(**{field: 0}), field) == 0
    with pytest.raises(TypeError, match=f"Thresholds.{field} must be an int"):
        ck.Thresholds(**{field: "3"})  # type: ignore[arg-type] # the point


def test_a_closed_file_object_says_so() -> None:
    """A closed stream is a `ValueError` that says it is closed, not Python's own."""
    stream = io.BytesIO(b"{}")
    stream.close()
    with pytest.raises(ValueError, match="<upload>: the file object is closed"):
        ck.load_dataset(stream)


def test_a_one_file_layout_is_not_written_over_a_folder(tmp_path: Path) -> None:
    """`dump_dataset(ds, folder, layout="json")`: refused, naming the folder."""
    with pytest.raises(FileExistsError) as caught:
        ck.dump_dataset(ck.load_example(), tmp_path, layout="json", overwrite=True)
    assert str(caught.value) == (
        f"{tmp_path} is a folder; json is written as one file (give its name)"
    )
    assert list(tmp_path.iterdir()) == []


# ---------------------------------------------------------------- messages


def test_a_record_of_another_table_in_a_mapping_is_named() -> None:
    """An `SME` in the clusters table is said to be one, not "a number"."""
    sme = ck.SME(id="S1", name="Lumen GmbH", country="DE")
    with pytest.raises(ck.DatasetReadError) as caught:
        ck.load_dataset({"clusters": [sme]})
    assert str(caught.value) == (
        "<mapping> at /clusters/0: expected a mapping or Cluster, got SME, a record "
        "of the smes table"
    )
    (finding,) = ck.validate({"clusters": [sme, 3]}).findings[:1]
    assert finding.message.endswith("; the record was not checked")


@pytest.mark.parametrize(
    ("entry", "kind"),
    [(3, "a number"), ("C1", "a string"), (None, "null"), (b"C1", "bytes")],
)
def test_an_entry_that_is_no_record_is_named_by_its_kind(
    entry: object, kind: str
) -> None:
    """JSON values by their JSON names; other Python values by their type."""
    (finding,) = ck.validate({"clusters": [entry]}).findings
    assert finding.message == (
        f"expected a mapping or Cluster, got {kind}; the record was not checked"
    )


def test_a_model_of_no_table_is_named_by_its_class() -> None:
    """A `Dataset` is a model of no table: its class names it."""
    (finding,) = ck.validate({"clusters": [ck.Dataset()]}).findings
    assert "got Dataset;" in finding.message


def test_an_unknown_column_stops_a_strict_load_without_saying_it_is_ignored(
    tmp_path: Path,
) -> None:
    """The strict reader gives the hint; the lenient one says the column is ignored."""
    write(tmp_path / "clusters.csv", "id,name,country,member_count\nC1,A,DE,3\n")
    with pytest.raises(ck.DatasetReadError) as caught:
        ck.load_dataset(tmp_path)
    assert str(caught.value) == (
        f"{tmp_path}/clusters.csv:1:4 (member_count): unknown column "
        "'member_count' in clusters; did you mean 'members_total'?"
    )
    _, report = ck.load_dataset(tmp_path, errors="report")
    (finding,) = report.findings
    assert finding.message == "unknown column 'member_count' in clusters; it is ignored"
    assert finding.hint == "did you mean 'members_total'?"


def test_a_key_given_twice_stops_a_strict_load_without_saying_which_was_read() -> None:
    """CK-HDR-004: the lenient reader read the last value and says so; the strict one stops."""
    document = b'{"clusters": [{"id": "A", "name": "x", "name": "y", "country": "DE"}]}'
    with pytest.raises(ck.DatasetReadError) as caught:
        ck.load_dataset(document)
    assert str(caught.value).endswith(
        "field 'name' is given more than once in this record"
    )
    (finding,) = [f for f in ck.validate(document).findings if f.rule == "CK-HDR-004"]
    assert finding.message.endswith("; only its last value was read")


@pytest.mark.parametrize("country", ["US", "United States", "usa", "Atlantis", "EU"])
def test_a_target_finding_names_the_same_record_from_either_reader(
    country: str,
) -> None:
    """`load_dataset(errors="report")` names a target `partnership/CODE`, as `validate` does."""
    source = {"targets": [{"partnership": "P1", "country": country, "since": "abc"}]}
    _, loaded = ck.load_dataset(source, errors="report")
    validated = ck.validate(source)
    read_stage = {f.rule for f in loaded.findings}
    assert [(f.rule, f.entity) for f in loaded.findings] == [
        (f.rule, f.entity) for f in validated.findings if f.rule in read_stage
    ]
    expected_id = "P1/US" if country not in {"Atlantis", "EU"} else None
    assert {f.entity for f in loaded.findings} == {ck.Entity("targets", expected_id)}


def test_a_json_lines_line_cut_short_is_placed_at_its_end(tmp_path: Path) -> None:
    """The error of a line missing its `}` is at the line's end, line break or not."""
    line = '{"id": "C1", "name": "Alpha", "country": "DE"'
    for name, text in (("with-break", line + "\n"), ("without", line)):
        folder = tmp_path / name
        write(
            folder / "clusters.jsonl",
            f'{{"id": "C0", "name": "Zero", "country": "DE"}}\n{text}',
        )
        (finding,) = [
            f for f in ck.validate(folder).findings if f.rule == "CK-FILE-001"
        ]
        assert (finding.location.line, finding.location.column) == (2, len(line) + 1)


# ---------------------------------------------------------------- folders


def _table_named_entries(folder: Path) -> None:
    """A folder whose table files are a broken link, a folder and a pipe."""
    folder.mkdir()
    (folder / "clusters.csv").symlink_to(folder / "missing.csv")
    (folder / "smes.csv").mkdir()
    os.mkfifo(folder / "targets.csv")
    (folder / "partnerships.csv").symlink_to(folder / "partnerships.csv")


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no named pipes on Windows")
def test_a_table_name_on_what_is_no_file_is_a_finding(tmp_path: Path) -> None:
    """Not passed over as if the table were absent: each is CK-FILE-001, saying what it is."""
    folder = tmp_path / "data"
    _table_named_entries(folder)
    findings = ck.validate(folder, select=["CK-FILE"]).findings
    assert {(Path(f.location.file or "").name, f.message) for f in findings} == {
        (
            "clusters.csv",
            "cannot open: a broken symbolic link (its target is missing, or links loop)",
        ),
        (
            "partnerships.csv",
            "cannot open: a broken symbolic link (its target is missing, or links loop)",
        ),
        ("smes.csv", "cannot open: a folder, not a file"),
        ("targets.csv", "cannot open: a pipe, socket or device, not a regular file"),
    }
    with pytest.raises(
        ck.DatasetReadError, match="cannot open: a broken symbolic link"
    ):
        ck.load_dataset(folder)


def test_a_folder_that_cannot_be_listed_is_a_read_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """No permission to list a folder: a `DatasetReadError`, and CK-FILE-001."""
    folder = tmp_path / "data"
    folder.mkdir()

    def refused(self: Path) -> Any:
        raise PermissionError(13, "Permission denied", str(self))

    # Root, as tests often run here, may list any folder: refuse it by hand.
    monkeypatch.setattr(Path, "iterdir", refused)
    with pytest.raises(ck.DatasetReadError) as caught:
        ck.load_dataset(folder)
    assert str(caught.value) == f"{folder}: cannot be read: Permission denied"
    (finding,) = ck.validate(folder).findings
    assert (finding.rule, finding.message) == (
        "CK-FILE-001",
        "cannot be read: Permission denied",
    )


def test_a_file_whose_kind_the_system_cannot_tell_is_not_a_table(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`is_file` refused (a loop of links, no permission): taken for no regular file."""
    folder = tmp_path / "data"
    write(folder / "clusters.csv", CLUSTERS_CSV)
    write(folder / "notes.txt", "x")
    real = Path.is_file

    def is_file(self: Path) -> bool:
        if self.name == "notes.txt":
            raise OSError(40, "Too many levels of symbolic links")
        return real(self)

    monkeypatch.setattr(Path, "is_file", is_file)
    assert [c.id for c in ck.load_dataset(folder).clusters] == ["C1"]


# ---------------------------------------------------------------- the command line


def test_standard_input_is_never_the_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """`validate - --output data.json < data.json` is refused; data.json is unchanged."""
    document = tmp_path / "data.json"
    ck.dump_dataset(ck.load_example(), document)
    before = document.read_bytes()
    for command in ("validate", "kpis"):
        with document.open("rb") as handle:
            monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(handle))
            code, _, err = run(capsys, command, "-", "--output", str(document))
        assert code == 2
        assert "is an input of this run" in err
    assert document.read_bytes() == before


def test_standard_input_that_is_no_file_is_no_output(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    """From a pipe (no file behind it), any --output is written."""
    data = ck.load_example().model_dump_json().encode()
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(data)))
    code, _, _ = run(capsys, "validate", "-", "--output", str(tmp_path / "r.txt"))
    assert code in {0, 1}
    assert (tmp_path / "r.txt").read_text(encoding="utf-8")


def test_standard_input_is_read_once(capsys: pytest.CaptureFixture[str]) -> None:
    """`validate - -` is a usage error: the second read would find nothing."""
    code, _, err = run(capsys, "validate", "-", "-")
    assert code == 2
    assert "standard input (-) can be read only once" in err


class _Stdin(io.BytesIO):
    """Bytes named as standard input's buffer names itself."""

    name = "<stdin>"


@pytest.mark.parametrize(
    ("data", "message"),
    [
        (b"", "<stdin>: error CK-FILE-001 it is empty; expected a JSON document"),
        (
            b"id,name\nC1,One\n",
            (
                "cannot tell its format from its first bytes; expected a JSON "
                "document (an object of tables), an .xlsx workbook or a zip of a CSV "
                "or JSON Lines folder"
            ),
        ),
    ],
)
def test_standard_input_of_no_known_format_says_what_is_expected(
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    data: bytes,
    message: str,
) -> None:
    """An empty stdin is called empty; a CSV is told what the command reads."""
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(_Stdin(data)))
    code, out, _ = run(capsys, "validate", "-")
    assert code == 1
    assert message in out


def test_a_path_too_long_is_a_finding_on_the_command_line(
    capsys: pytest.CaptureFixture[str],
) -> None:
    """A name longer than the system allows: CK-FILE-001 and exit 1, as from Python."""
    code, out, err = run(capsys, "validate", "a" * 300)
    assert code == 1
    assert "CK-FILE-001" in out
    assert "Traceback" not in out + err


@pytest.mark.parametrize("command", ["validate", "kpis"])
def test_output_dash_is_standard_output(
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    command: str,
) -> None:
    """`--output -` writes to stdout, as `-` for a PATH reads stdin; no file `-`."""
    monkeypatch.chdir(tmp_path)
    code, out, _ = (
        run(capsys, command, "--example", "--format", "json", "--output", "-")
        if command == "kpis"
        else run(capsys, command, "--programme", "--format", "json", "--output", "-")
    )
    assert code in {0, 1}
    assert json.loads(out)
    assert not (tmp_path / "-").exists()


def test_kpis_and_report_say_a_file_was_not_read_in_full(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Records left out, and a file whose reading stopped: both are said on stderr."""
    folder = tmp_path / "data"
    ck.dump_dataset(ck.load_example(), folder)
    activities = folder / "activities.csv"
    lines = activities.read_bytes().splitlines(keepends=True)
    lines[5] = lines[5].replace(b",", b",\xe9", 1)  # not UTF-8: reading stops there
    activities.write_bytes(b"".join(lines))
    said = "a file could not be read in full, and the rows after where its reading stopped are not counted"
    code, _, err = run(capsys, "kpis", str(folder))
    assert code == 1
    assert said in err
    code, _, err = run(
        capsys, "report", str(folder), "--output", str(tmp_path / "r.html")
    )
    assert code == 1
    assert said in err


def test_kpis_without_a_file_read_short_do_not_say_so(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Records left out for their errors only: nothing about a file read short."""
    folder = tmp_path / "data"
    ck.dump_dataset(ck.load_example(), folder)
    clusters = folder / "clusters.csv"
    header, first, *rest = clusters.read_text(encoding="utf-8").splitlines()
    country = header.split(",").index("country")
    cells = first.split(",")
    cells[country] = "Atlantis"
    clusters.write_text(
        "\n".join([header, ",".join(cells), *rest]) + "\n", encoding="utf-8"
    )
    code, _, err = run(capsys, "kpis", str(folder))
    assert code == 1
    assert "records left out: clusters 1" in err
    assert "could not be read in full" not in err


def test_convert_refuses_one_sqlite_file_under_two_spellings(tmp_path: Path) -> None:
    """`sqlite:///x.db` and `sqlite:////abs/x.db` are one database: DEST is SRC."""
    database = tmp_path / "x.db"
    sqlite3.connect(database).close()
    relative = os.path.relpath(database)
    assert _same_database(f"sqlite:///{relative}", f"sqlite:///{database}")
    assert _same_database(
        "sqlite+pysqlite:///" + str(database), f"sqlite:///{database}"
    )
    assert not _same_database(f"sqlite:///{database}", f"sqlite:///{tmp_path / 'y.db'}")
    assert not _same_database("sqlite:///:memory:", "sqlite:///:memory:x")
    assert _same_database("sqlite:///:memory:", "sqlite:///:memory:")  # the same text
    assert not _same_database("postgresql://h/db", f"sqlite:///{database}")


# ---------------------------------------------------------------- import


def _imported(path: Path, **limits: int) -> ck.io.ImportResult:
    with ck.Limits(**limits).applied() if limits else nullcontext():
        return ck.io.import_partnerships(path)


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("deep.json", "[" * 100_000, "values are nested more than 8 deep"),
        (
            "twice.json",
            '[{"acronym": "A", "acronym": "B", "name": "n", "generation": 1}]',
            (
                "twice.json at /0/acronym (acronym): field 'acronym' is given more "
                "than once in this record"
            ),
        ),
        (
            "extra.csv",
            "acronym,name,generation\nAA,Alpha,1,EXTRA\n",
            "extra.csv:2: the row has 4 cells, the header 3",
        ),
        (
            "header.csv",
            "acronym,name,acronym\nAA,Alpha,ZZ\n",
            "header.csv:1:3: the header gives the column 'acronym' twice; one would be lost",
        ),
        (
            "syntax.jsonl",
            '{"acronym": "A"}\n{"acronym": \n',
            "syntax.jsonl:2: not valid JSON: Expecting value",
        ),
        (
            "array.json",
            '[["acronym"]]',
            "array.json at /0: expected a JSON object, got an array",
        ),
    ],
)
def test_import_refuses_what_would_lose_a_value(
    tmp_path: Path, name: str, content: str, message: str
) -> None:
    """Deep nesting, a key or column given twice, extra cells: located errors."""
    path = write(tmp_path / name, content)
    with pytest.raises(ck.DatasetReadError) as caught:
        ck.io.import_partnerships(path)
    assert message in str(caught.value)


def test_import_holds_a_record_to_the_limits_in_force(tmp_path: Path) -> None:
    """`max_cell_chars` and `max_json_depth` hold for an import, as for a dataset."""
    long = write(tmp_path / "long.csv", f"acronym,name,generation\nAA,{'x' * 100},1\n")
    with pytest.raises(ck.DatasetReadError, match="more than 10 \\(max_cell_chars\\)"):
        _imported(long, max_cell_chars=10)
    assert _imported(long).dataset.partnerships[0].name == "x" * 100
    deep = write(
        tmp_path / "deep.json",
        '[{"acronym": "AA", "name": "n", "generation": 1, "sectors": [[["x"]]]}]',
    )
    with pytest.raises(ck.DatasetReadError, match="nested more than 2 deep"):
        _imported(deep, max_json_depth=2)


def test_import_notes_list_items_that_are_no_single_value(tmp_path: Path) -> None:
    """`"sectors": [["x", "y"], "z"]`: the list item is noted and left out, not its repr."""
    path = write(
        tmp_path / "nested.json",
        '[{"acronym": "AA", "name": "n", "generation": 1, "sectors": [["x", "y"], "z"]}]',
    )
    result = ck.io.import_partnerships(path)
    assert result.dataset.partnerships[0].sectors == ("z",)
    (note,) = result.notes_of("not-read")
    assert str(note) == "AA: sectors: not-read: ['x', 'y'] is no single value; left out"


def test_import_of_text_not_utf8_names_its_line_and_codec(tmp_path: Path) -> None:
    """A Latin-1 CSV: the dataset readers' message, with the line and the codec."""
    path = tmp_path / "latin1.csv"
    path.write_bytes(
        "acronym,name,generation\nAA,Alpha,1\nBB,Caf\u00e9,1\n".encode("latin-1")
    )
    with pytest.raises(ck.DatasetReadError) as caught:
        ck.io.import_partnerships(path)
    assert str(caught.value).startswith(
        f"{path}:3: not UTF-8 text (byte 0xe9); it looks like Latin-1"
    )


def test_import_of_a_damaged_workbook_is_a_read_error(tmp_path: Path) -> None:
    """Bytes that are no workbook: a `DatasetReadError`, on the command line exit 1."""
    pytest.importorskip("openpyxl")
    path = tmp_path / "damaged.xlsx"
    path.write_bytes(b"PK\x03\x04" + b"\0" * 100)
    with pytest.raises(ck.DatasetReadError, match=r"not a readable \.xlsx workbook"):
        ck.io.import_partnerships(path)


def test_import_notes_other_sheets_and_cells_without_a_header(tmp_path: Path) -> None:
    """Only the first sheet is read: the others, and values beyond the header, are noted."""
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "list"
    sheet.append(["acronym", "name", "generation"])
    sheet.append(["AA", "Alpha", 1, "stray"])
    sheet.append(["BB", "Beta", 1])
    workbook.create_sheet("more").append(["acronym"])
    path = tmp_path / "list.xlsx"
    workbook.save(path)
    result = ck.io.import_partnerships(path)
    assert [p.id for p in result.dataset.partnerships] == ["AA", "BB"]
    assert [str(note) for note in result.notes_of("not-read")] == [
        "only the first sheet, 'list', is read; the sheets 'more' were not",
        "'list' line 2: the values in columns D, which have no header, were not read",
    ]


def test_import_of_a_workbook_with_a_column_named_twice_is_refused(
    tmp_path: Path,
) -> None:
    """A workbook's header is held to the same rule as a CSV file's."""
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.append(["acronym", "name", "acronym"])
    workbook.active.append(["AA", "Alpha", "ZZ"])
    path = tmp_path / "twice.xlsx"
    workbook.save(path)
    with pytest.raises(ck.DatasetReadError, match="gives the column 'acronym' twice"):
        ck.io.import_partnerships(path)


def test_import_of_a_workbook_cell_too_long_is_refused(tmp_path: Path) -> None:
    """`max_cell_chars` holds for a workbook's cells."""
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.append(["acronym", "name", "generation"])
    workbook.active.append(["AA", "x" * 100, 1])
    path = tmp_path / "long.xlsx"
    workbook.save(path)
    with pytest.raises(
        ck.DatasetReadError,
        match=r"holds more than 10 characters; the limit max_cell_chars is 10",
    ):
        _imported(path, max_cell_chars=10)


def test_a_kpi_function_refuses_by() -> None:
    """`ck.kpis.<id>(ds, by=...)` would compute groups and drop them: a TypeError."""
    with pytest.raises(TypeError, match="takes no 'by'; compute_kpis"):
        ck.kpis.partnerships(ck.load_example(), by="generation")  # type: ignore[call-arg] # the point
    assert (
        ck.kpis.partnerships(ck.load_example())
        == ck.compute_kpis(ck.load_example()).kpis["partnerships"]
    )


def test_a_json_array_is_told_it_is_no_object_of_tables() -> None:
    """Bytes holding a JSON array are read as JSON, which says what it holds."""
    with pytest.raises(ck.DatasetReadError) as caught:
        ck.load_dataset(b' [{"id": "C1"}]')
    assert str(caught.value) == (
        '<upload>:1:2: expected a JSON object of tables ({"clusters": [...], ...}), '
        "got an array"
    )


def test_import_of_a_workbook_whose_sheet_is_cut_short_is_a_read_error(
    tmp_path: Path,
) -> None:
    """A sheet that breaks off while it is read (openpyxl reads it lazily): located."""
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    workbook.active.append(["acronym", "name", "generation"])
    workbook.active.append(["AA", "Alpha", 1])
    whole, cut = tmp_path / "whole.xlsx", tmp_path / "cut.xlsx"
    workbook.save(whole)
    with zipfile.ZipFile(whole) as source, zipfile.ZipFile(cut, "w") as target:
        for info in source.infolist():
            data = source.read(info)
            if info.filename == "xl/worksheets/sheet1.xml":
                data = data[: len(data) // 2]
            target.writestr(info, data)
    with pytest.raises(ck.DatasetReadError) as caught:
        ck.io.import_partnerships(cut)
    assert str(caught.value).startswith(
        f"{cut}: the workbook's XML is broken (unclosed token"
    )


def test_an_encrypted_zip_member_is_said_to_be_encrypted() -> None:
    """Not zipfile's own message, which names the member by its `ZipInfo` repr."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_STORED) as archive:
        archive.writestr("clusters.csv", CLUSTERS_CSV)
    data = bytearray(buffer.getvalue())
    data[6] |= 1  # "encrypted" in the local header of the first member ...
    central = data.index(b"PK\x01\x02")
    data[central + 8] |= 1  # ... and in the central directory
    (finding,) = [
        f for f in ck.validate(bytes(data)).findings if f.rule == "CK-FILE-001"
    ]
    assert finding.message == (
        "cannot open: it is encrypted (protected by a password), so it cannot be read"
    )
    assert finding.location.file == "<upload>/clusters.csv"


# ---------------------------------------------------------------- countries and reports


def test_a_country_error_raised_again_does_not_grow_its_traceback() -> None:
    """The remembered error of a value is raised without the last call's frames."""
    lengths = [_traceback_length("Atlantis") for _ in range(3)]
    assert lengths[0] == lengths[1] == lengths[2]


def _traceback_length(value: str) -> int:
    """The frames of the traceback that normalising `value` raises with."""
    with pytest.raises(ck.CountryError) as caught:
        ck.normalise_country(value)
    return len(traceback.extract_tb(caught.value.__traceback__))


@pytest.mark.parametrize("code", ["276", "0276", "00276", "DE", "DEU"])
def test_a_numeric_code_may_have_any_number_of_leading_zeros(code: str) -> None:
    """Digits are a numeric code however many zeros a spreadsheet put before them."""
    assert ck.normalise_country(code).alpha2 == "DE"


def test_long_digits_that_are_no_code_are_no_country() -> None:
    """A number that is no ISO numeric code is refused as before."""
    with pytest.raises(ck.CountryError):
        ck.normalise_country("123456")


@pytest.mark.parametrize(
    "function",
    [
        lambda on: ck.is_eu_member("UK", on),
        lambda on: ck.is_third_country("UK", on),
        lambda on: ck.is_programme_participant("UK", "COSME", on),
    ],
    ids=["is_eu_member", "is_third_country", "is_programme_participant"],
)
def test_a_classification_day_is_a_date(function: Any) -> None:
    """A datetime stands for its day; anything else is a TypeError naming `on`."""
    noon = dt.datetime(2020, 1, 31, 12, 0)  # noqa: DTZ001 - a day, as users give one
    assert function(noon) == function(dt.date(2020, 1, 31))
    for wrong in ("2020-01-31", None, 20200131):
        with pytest.raises(TypeError, match=r"on must be a datetime\.date, not"):
            function(wrong)


@pytest.mark.parametrize(
    ("arguments", "error", "message"),
    [
        ({"format": None}, TypeError, "format must be a str, not NoneType"),
        ({"width": "80"}, TypeError, "width must be an int or None, not str"),
        ({"width": True}, TypeError, "width must be an int or None, not bool"),
        ({"width": 0}, ValueError, "width must be at least 1, not 0"),
        ({"format": "pdf"}, ValueError, "unknown format 'pdf'"),
    ],
)
def test_render_checks_its_arguments(
    arguments: dict[str, Any], error: type[Exception], message: str
) -> None:
    """A wrong format or width is said to be so, naming the argument."""
    report = ck.validate(ck.load_example(), as_of=dt.date(2026, 1, 1))
    with pytest.raises(error, match=message):
        report.render(**arguments)
    assert report.render(width=40)


def test_a_generation_of_an_unknown_programme_is_a_finding(tmp_path: Path) -> None:
    """Not a `ValueError` from deep inside the checks: CK-ENUM-001 at its cell."""
    folder = tmp_path / "data"
    write(
        folder / "generations.csv",
        "id,name,family,programme,start,end\n"
        "g,G,F,Horizon Europe,2016-01-01,2018-12-31\n"
        "h,H,F,cosme,2016-01-01,2018-12-31\n",
    )
    report = ck.validate(folder)
    (finding,) = [f for f in report.findings if f.rule == "CK-ENUM-001"]
    assert (finding.location.line, finding.location.field) == (2, "programme")
    assert ck.compute_kpis(folder).excluded_by_rule["CK-ENUM-001"] == 1
    with pytest.raises(
        ck.DatasetReadError, match="programme: Input should be 'COSME' or 'SMP'"
    ):
        ck.load_dataset(folder)
    ck.load_dataset(folder, errors="report")
    assert (
        ck.Generation.model_validate(
            {
                "id": "h",
                "name": "H",
                "family": "F",
                "programme": "cosme",
                "start": "2016-01-01",
                "end": "2018-12-31",
            }
        ).programme
        is ck.Programme.COSME
    )


# ---------------------------------------------------------------- round trips


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.text(alphabet="'=+-@ab", min_size=1, max_size=4).filter(str.strip),
        min_size=1,
        max_size=3,
    )
)
def test_formulas_escaped_in_a_list_cell_read_back_unchanged(
    sectors: list[str],
) -> None:
    """A list is one CSV cell: the `'` added before it is dropped from its first item only."""
    cluster = {"id": "C1", "name": "Cluster", "country": "DE", "sectors": sectors}
    dataset = ck.load_dataset({"clusters": [cluster]})
    with tempfile.TemporaryDirectory() as folder:
        ck.dump_dataset(dataset, Path(folder) / "data", escape_formulas=True)
        back = ck.load_dataset(Path(folder) / "data", unescape_formulas=True)
    assert back == dataset


def test_whole_numbers_a_spreadsheet_cannot_hold_are_written_as_text(
    tmp_path: Path,
) -> None:
    """A count or amount beyond 2**53 reads back from a workbook unchanged."""
    pytest.importorskip("openpyxl")
    big = 2**53 + 1
    dataset = ck.load_dataset(
        {
            "smes": [{"id": "S1", "name": "n", "country": "DE", "turnover_eur": big}],
            "clusters": [
                {"id": "C1", "name": "n", "country": "DE", "members_total": big},
                {"id": "C2", "name": "n", "country": "DE", "members_total": 2**53},
            ],
        }
    )
    ck.dump_dataset(dataset, tmp_path / "data.xlsx")
    assert ck.load_dataset(tmp_path / "data.xlsx") == dataset


@pytest.mark.parametrize(
    ("update", "reason"),
    [
        (
            {"notes": "x" * 40_000},
            (
                "activities A1 notes: the text is 40,000 characters long, more than "
                "the 32,767 a cell holds"
            ),
        ),
        (
            {"title": "Mission \uffff"},
            "activities A1 title: the text holds U+FFFE or U+FFFF, which XML cannot hold",
        ),
        (
            {"clusters": ["C" * 60] * 600},
            "activities A1 clusters: the text is 36,599 characters long",
        ),
    ],
    ids=["long-text", "noncharacter", "long-list"],
)
def test_a_workbook_refuses_a_text_no_cell_holds(
    tmp_path: Path, update: dict[str, Any], reason: str
) -> None:
    """Not cut short or written broken: a `DatasetError` naming the value, and no file."""
    pytest.importorskip("openpyxl")
    activity = {
        "id": "A1",
        "partnership": "P",
        "type": "webinar",
        "start": "2020-01-01",
    }
    dataset = ck.load_dataset({"activities": [{**activity, **update}]})
    with pytest.raises(ck.DatasetError) as caught:
        ck.dump_dataset(dataset, tmp_path / "data.xlsx")
    assert str(caught.value).startswith(reason)
    assert str(caught.value).endswith(
        "a workbook cannot hold it (nothing was written; write the dataset as CSV, "
        "JSON Lines or JSON)"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_source_in_a_list_may_not_hold_the_list_separator() -> None:
    """`https://a.eu/p;x=1` in `sources` would be two items in a CSV cell: refused."""
    for table, record in (
        ("clusters", {"id": "C1", "name": "n", "country": "DE"}),
        ("partnerships", {"id": "P", "acronym": "A", "name": "N", "generation": "g"}),
        ("targets", {"partnership": "P", "country": "US"}),
    ):
        source = {table: [{**record, "sources": ["https://a.eu/p;x=1"]}]}
        findings = [f for f in ck.validate(source).findings if f.rule == "CK-TYPE-001"]
        assert [f.location.field for f in findings] == ["sources"]
        assert "holds ';', which separates the items of a list" in findings[0].message
        assert findings[0].message.endswith("write it as %3B")
    assert ck.Cluster(
        id="C1", name="n", country="DE", sources=("https://a.eu/p%3Bx=1",)
    ).sources == ("https://a.eu/p%3Bx=1",)
    # A single web address is no list item: `;` stays allowed there.
    cluster = ck.Cluster(id="C1", name="n", country="DE", website="https://a.eu/p;x=1")
    assert cluster.website == "https://a.eu/p;x=1"


def test_a_key_of_a_mapping_may_not_hold_its_separators() -> None:
    """A strand label `a=b` would read back as `a` = `b=1000`: refused."""
    generation = {
        "id": "g", "name": "G", "family": "F", "programme": "SMP",
        "start": "2016-01-01", "end": "2017-12-31",
    }  # fmt: skip
    for key in ("a=b", "a;b"):
        report = ck.validate(
            {"generations": [{**generation, "max_grant_eur": {key: 1}}]}
        )
        (finding,) = report.findings
        assert (finding.rule, finding.location.field) == (
            "CK-TYPE-001",
            "max_grant_eur",
        )
    (finding,) = ck.validate(
        {"generations": [{**generation, "max_grant_eur": {"a=b": 1}}]}
    ).findings
    assert finding.message == (
        "the key 'a=b' holds '=' or ';', with which a CSV cell writes a mapping "
        "(key=value;key=value)"
    )


@pytest.mark.parametrize("backend", ["pandas", "polars", "arrow"])
def test_a_count_beyond_64_bits_is_named_not_a_library_error(backend: str) -> None:
    """The models take any count; a frame's Int64 does not: a `DatasetError` says which."""
    pytest.importorskip({"arrow": "pyarrow"}.get(backend, backend))
    dataset = ck.load_dataset(
        {
            "clusters": [
                {"id": "C1", "name": "n", "country": "DE", "members_total": 2**63}
            ]
        }
    )
    with pytest.raises(ck.DatasetError) as caught:
        dataset.to_frames(backend)  # type: ignore[arg-type] # each backend in turn
    assert str(caught.value) == (
        "clusters members_total of row 0: 9223372036854775808 does not fit a 64-bit "
        "integer column; no frame was built"
    )
    clusters = ck.load_dataset(
        {
            "clusters": [
                {"id": "C1", "name": "n", "country": "DE", "members_total": 2**63 - 1}
            ]
        }
    )
    assert ck.load_dataset(clusters.to_frames(backend)) == clusters  # type: ignore[arg-type] # each backend in turn


@pytest.mark.parametrize("backend", ["polars", "arrow"])
def test_an_amount_no_decimal_column_holds_is_named(backend: str) -> None:
    """38 digits at the column's places: beyond them polars made a null, Arrow failed."""
    pytest.importorskip({"arrow": "pyarrow"}.get(backend, backend))
    smes = [
        {"id": "S1", "name": "n", "country": "DE", "turnover_eur": "0." + "1" * 21},
        {"id": "S2", "name": "n", "country": "DE", "turnover_eur": 10**20},
    ]
    dataset = ck.load_dataset({"smes": smes})
    with pytest.raises(
        ck.DatasetError, match=r"smes turnover_eur of row 1: 10{20} needs 42"
    ):
        dataset.to_frames(backend)  # type: ignore[arg-type] # each backend in turn
    floats = dataset.to_frames(backend, amounts="float")  # type: ignore[arg-type] # each backend in turn
    assert len(floats["smes"]) == 2
    # pandas keeps `Decimal` objects, which hold any amount.
    pytest.importorskip("pandas")
    assert ck.load_dataset(dataset.to_frames("pandas")) == dataset


@settings(max_examples=40, deadline=None)
@given(st.text(alphabet="\r\nx_0D5Fab ", min_size=1, max_size=12).filter(str.strip))
def test_a_workbook_keeps_carriage_returns_and_escape_spellings(name: str) -> None:
    """A carriage return (which XML reads as a line feed) and `_x000D_` read back as written."""
    pytest.importorskip("openpyxl")
    dataset = ck.load_dataset(
        {"clusters": [{"id": "C1", "name": name, "country": "DE"}]}
    )
    with tempfile.TemporaryDirectory() as folder:
        ck.dump_dataset(dataset, Path(folder) / "data.xlsx")
        assert ck.load_dataset(Path(folder) / "data.xlsx") == dataset


def test_a_workbook_reads_excel_escapes_in_shared_strings(tmp_path: Path) -> None:
    """Excel writes a carriage return in a shared string as `_x000D_`: read as one."""
    openpyxl = pytest.importorskip("openpyxl")
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.title = "clusters"
    sheet.append(["id", "name", "country"])
    sheet.append(["C1", "Line one_x000D_Line two", "DE"])
    sheet.append(["C2", "Kept _x005F_x000D_ as written", "DE"])
    workbook.save(tmp_path / "data.xlsx")  # openpyxl writes shared strings
    names = [c.name for c in ck.load_dataset(tmp_path / "data.xlsx").clusters]
    assert names == ["Line one\rLine two", "Kept _x000D_ as written"]


@settings(max_examples=30, deadline=None)
@given(
    ecosystems=st.lists(
        st.sampled_from(ck.IndustrialEcosystem), unique=True, max_size=2
    ),
    smes_reached=st.none() | st.integers(min_value=0, max_value=10_000),
    members_partial=st.booleans(),
    priority=st.sampled_from(ck.Priority),
    since=st.none() | st.sampled_from(["2018-09", "2018", "2018-09-14"]),
)
def test_export_then_import_gives_the_partnerships_back(
    ecosystems: list[ck.IndustrialEcosystem],
    smes_reached: int | None,
    members_partial: bool,
    priority: ck.Priority,
    since: str | None,
) -> None:
    """Ecosystems, SMEs reached, partial members and a target's priority and date survive."""
    imported = ck.io.import_partnerships(
        [
            {
                "acronym": "AX",
                "name": "Alpha X",
                "generation": "2",
                "members": [
                    {"name": "Optics Valley", "country": "FR"},
                    {"name": "Photonics BW", "country": "DE"},
                ],
                "coordinator": "Optics Valley",
                "period": "2018-01 to 2019",
                "target_countries": ["US", "JP"],
            }
        ]
    ).dataset
    data = imported.model_dump(mode="json")
    data["partnerships"][0].update(
        ecosystems=[e.value for e in ecosystems],
        smes_reached=smes_reached,
        members_partial=members_partial,
    )
    data["targets"][1].update(priority=priority.value, since=since)
    dataset = ck.load_dataset(data)
    result = ck.io.import_partnerships(ck.io.export_partnerships(dataset))
    assert result.dataset == dataset
    assert not result.notes_of("not-read")


def _import_one(**fields: Any) -> ck.io.ImportResult:
    """Import one published partnership, AX of one member, with `fields` added."""
    record = {
        "acronym": "AX",
        "name": "A",
        "generation": "2",
        "members": [{"name": "Optics Valley", "country": "FR"}],
    }
    return ck.io.import_partnerships([{**record, **fields}])


def test_import_notes_what_it_cannot_take_of_a_target_or_the_new_fields() -> None:
    """A target's priority or date, SMEs reached, ecosystems: refused values are noted."""
    result = _import_one(
        target_countries=[
            {"country": "JP", "priority": "bogus"},
            {"country": "US", "since": "soon"},
            {"priority": "primary"},
        ],
        smes_reached="many",
        ecosystems=["nope", "digital"],
        members_partial="maybe",
    )
    (partnership,) = result.dataset.partnerships
    assert partnership.ecosystems == (ck.IndustrialEcosystem.DIGITAL,)
    assert (partnership.smes_reached, partnership.members_partial) == (None, False)
    assert [(t.country, t.priority, t.since) for t in result.dataset.targets] == [
        ("JP", ck.Priority.PRIMARY, None),
        ("US", ck.Priority.PRIMARY, None),
    ]
    assert sorted(note.field or "" for note in result.notes_of("not-read")) == [
        "ecosystems", "members_partial", "priority", "since", "smes_reached",
        "target_countries",
    ]  # fmt: skip


def test_a_target_no_cell_holds_is_named_by_partnership_and_country(
    tmp_path: Path,
) -> None:
    """A target has no id: the refusal names it `partnership/country`."""
    pytest.importorskip("openpyxl")
    sources = [f"https://example.eu/{n:04d}/{'x' * 50}" for n in range(600)]
    dataset = ck.load_dataset(
        {"targets": [{"partnership": "P", "country": "US", "sources": sources}]}
    )
    with pytest.raises(ck.DatasetError, match=r"^targets P/US sources: the text is"):
        ck.dump_dataset(dataset, tmp_path / "data.xlsx")


# ---------------------------------------------------------------- inputs that grew work in their square


def test_a_country_value_too_long_is_refused_before_it_is_read() -> None:
    """Longer than any name with its qualifier: no country, quoted in part."""
    from clusterkit.countries._match import MOST_CHARACTERS  # noqa: PLC0415 - the bound under test
    from clusterkit.countries._typo import _longest_name  # noqa: PLC0415 - what it must exceed

    assert 2 * _longest_name() + len(" ()") <= MOST_CHARACTERS
    value = "Ger" + " " * 5_000 + "many"
    with pytest.raises(ck.CountryError) as caught:
        ck.normalise_country(value)
    assert str(caught.value) == (
        "'Ger                                     '... is not a country: it is "
        "5,007 characters long, and no country name with its qualifier is longer "
        "than 200"
    )
    longest = "Bolivia (Plurinational State of)" + " " * 150 + "x"
    assert len(longest) <= MOST_CHARACTERS
    with pytest.raises(ck.CountryError, match="is not a known country"):
        ck.normalise_country(longest)


def test_a_key_given_twice_in_a_mapping_cell_quotes_the_key_not_the_cell(
    tmp_path: Path,
) -> None:
    """One finding per key, each quoting its key: not the whole cell again and again."""
    cell = ";".join(f"k{i}=1;k{i}=2" for i in range(50))
    write(
        tmp_path / "generations.csv",
        "id,name,family,programme,start,end,max_grant_eur\n"
        f"g1,G,ESCP-4i,COSME,2018-01-01,2019-01-01,{cell}\n",
    )
    findings = [f for f in ck.validate(tmp_path).findings if f.rule == "CK-HDR-004"]
    assert [f.value for f in findings] == [f"k{i}" for i in range(50)]


def test_findings_of_a_json_document_with_many_entries_that_are_no_record(
    tmp_path: Path,
) -> None:
    """Records placed after many entries that are no object are placed at their keys."""
    entries = []
    for n in range(30):
        entries += ["3", f'{{"id": "C{n}", "name": "N", "country": "XX"}}']
    path = write(tmp_path / "data.json", '{"clusters": [' + ", ".join(entries) + "]}")
    text = path.read_text(encoding="utf-8")
    countries = [f for f in ck.validate(path).findings if f.rule == "CK-COUNTRY-001"]
    assert len(countries) == 30
    for n, finding in enumerate(countries):
        assert finding.location.pointer == f"/clusters/{2 * n + 1}/country"
        at = text.index(f'"C{n}"')
        assert finding.location.column == text.index('"country"', at) + 1


def test_a_record_with_findings_on_many_keys_is_placed_key_by_key(
    tmp_path: Path,
) -> None:
    """More keys than are looked for one by one: one pass over the record places them all."""
    keys = [f"extra{n}" for n in range(12)]
    record = (
        '{"id": "C1", "name": "N", "country": "DE", '
        + ", ".join(f'"{key}": {n}' for n, key in enumerate(keys))
        + "}"
    )
    path = write(tmp_path / "data.json", '{"clusters": [\n' + record + "\n]}")
    findings = [f for f in ck.validate(path).findings if f.rule == "CK-HDR-002"]
    columns = {f.location.field: f.location.column for f in findings}
    assert columns == {key: record.index(f'"{key}"') + 1 for key in keys}


def test_import_notes_each_of_many_refused_items_once() -> None:
    """Every refused item of a long list is noted, once, and the good ones kept."""
    result = _import_one(
        ecosystems=[f"nope{n}" for n in range(40)] + ["digital"],
        sources=["not a web address", "https://a.eu"],
    )
    (partnership,) = result.dataset.partnerships
    assert partnership.ecosystems == (ck.IndustrialEcosystem.DIGITAL,)
    fields = [note.field for note in result.notes_of("not-read")]
    assert fields.count("ecosystems") == 40
    assert fields.count("sources") == 1
