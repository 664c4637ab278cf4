"""A table's file under another name (`SMEs.csv`): CK-FILE-003, the root of what follows."""

from __future__ import annotations

import datetime as dt
import shutil
import zipfile
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit.io import Member
from clusterkit.io._misnamed import Misnamed, misnamed_files
from clusterkit.models import TABLES

BASE = Path(__file__).parent / "data" / "valid" / "base"
AS_OF = dt.date(2026, 1, 1)


def base_with(tmp_path: Path, table: str, name: str, layout: str = "csv") -> Path:
    """The base dataset as a folder, the file of `table` renamed `name`."""
    folder = tmp_path / "data"
    if layout == "csv":
        shutil.copytree(BASE, folder)
    else:
        ck.dump_dataset(ck.load_dataset(BASE), folder, layout=layout)
    (folder / f"{table}.{layout}").rename(folder / name)
    return folder


def misnamed(report: ck.Report) -> list[ck.Finding]:
    return [f for f in report.findings if f.rule == "CK-FILE-003"]


@pytest.mark.parametrize(
    ("table", "name"),
    [
        ("smes", "SMEs.csv"),
        ("smes", "smes.CSV"),
        ("smes", "sme_list.csv"),
        ("smes", "smes (1).csv"),
        ("smes", "ESCP SMEs 2019.csv"),
        ("clusters", "Clusters.csv"),
        ("clusters", "clustres.csv"),
        ("clusters", "cluster-list.csv"),
        ("partnerships", "partners.csv"),
        ("targets", "Target.csv"),
        ("activities", "activity.csv"),
        ("activities", "Activities 2019.csv"),
    ],
)
def test_a_table_file_under_another_name_is_an_error_at_the_file(
    tmp_path: Path, table: str, name: str
) -> None:
    """One CK-FILE-003 error at the file, naming the file to rename it to."""
    folder = base_with(tmp_path, table, name)
    report = ck.validate(folder, as_of=AS_OF)
    (finding,) = misnamed(report)
    assert finding.severity is ck.Severity.ERROR
    assert finding.location == ck.Location(file=str(folder / name))
    assert finding.entity == ck.Entity(table)
    assert (finding.value, finding.expected) == (name, f"{table}.csv")
    assert finding.message == (
        f"{name} is not read: the {table} table's file is {table}.csv, and the "
        f"folder has none, so the {table} table is empty"
    )
    assert finding.hint is not None
    assert finding.hint.startswith(f"if {name} holds the {table} table, rename it ")
    assert not report.ok


def test_the_references_to_a_misnamed_table_follow_from_it(tmp_path: Path) -> None:
    """Every unknown SME follows from the misnamed file, whose hint names the ids."""
    folder = base_with(tmp_path, "smes", "SMEs.csv")
    report = ck.validate(folder, as_of=AS_OF)
    (root,) = misnamed(report)
    references = [f for f in report.findings if f.rule.startswith("CK-FK-")]
    assert references
    assert {f.rule for f in references} == {"CK-FK-004"}
    assert {f.caused_by for f in references} == {root.fingerprint}
    assert all(f.hint is None for f in references)
    assert root.hint is not None
    rename, ids = root.hint.split("; ", 1)
    assert rename.endswith(
        "a table's file is named exactly after the table, in lower case"
    )
    assert ids.startswith(
        "records elsewhere refer to SME ids that are in no row read of smes: 'SME-"
    )
    assert "this record's id" not in root.hint


def test_an_unreadable_file_keeps_a_hint_about_files(tmp_path: Path) -> None:
    """CK-FILE-001 on a table's file: its hint names the ids, not 'this record'."""
    folder = tmp_path / "data"
    shutil.copytree(BASE, folder)
    (folder / "clusters.csv").write_bytes(b"id,name\n\xff\xfe,bad\n")
    report = ck.validate(folder, as_of=AS_OF)
    (root,) = [f for f in report.findings if f.rule == "CK-FILE-001"]
    assert root.hint is not None
    assert root.hint.startswith(
        "records elsewhere refer to cluster ids that are in no row read of clusters: "
    )
    assert "this record's id" not in root.hint


@pytest.mark.parametrize(
    ("table", "name"),
    [
        ("smes", "notes.csv"),
        ("smes", "same.csv"),
        ("smes", "assessment.csv"),
        ("smes", "smes.txt"),
        ("smes", "SMEs.jsonl.bak"),
        ("smes", "README.md"),
        ("smes", "members.csv"),
        ("clusters", "clubs.csv"),
    ],
)
def test_other_files_are_not_reported(tmp_path: Path, table: str, name: str) -> None:
    """A file that names no table without a file is not read and not reported."""
    folder = base_with(tmp_path, table, name)
    report = ck.validate(folder, as_of=AS_OF)
    assert misnamed(report) == []
    # The table is missing, as before: references to it are unknown.
    assert any(rule.startswith("CK-FK-") for rule in report.summary.by_rule)


def test_a_copy_beside_its_table_file_is_not_reported(tmp_path: Path) -> None:
    """clusters_2019.csv beside clusters.csv: a copy kept on purpose, not reported."""
    folder = tmp_path / "data"
    shutil.copytree(BASE, folder)
    shutil.copy(folder / "clusters.csv", folder / "Clusters_2019.csv")
    report = ck.validate(folder, as_of=AS_OF)
    assert report.findings == ()


def test_a_json_lines_folder_and_a_zip(tmp_path: Path) -> None:
    """SMEs.jsonl in a JSON Lines folder; SMEs.csv in a zip, located in the archive."""
    folder = base_with(tmp_path, "smes", "SMEs.jsonl", layout="jsonl")
    (finding,) = misnamed(ck.validate(folder, as_of=AS_OF))
    assert finding.expected == "smes.jsonl"
    archive = tmp_path / "data.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for path in sorted(BASE.iterdir()):
            name = "SMEs.csv" if path.name == "smes.csv" else path.name
            handle.write(path, f"data/{name}")
    (finding,) = misnamed(ck.validate(archive, as_of=AS_OF))
    assert finding.location.file == f"{archive}/data/SMEs.csv"


def test_the_strict_readers_refuse_it(tmp_path: Path) -> None:
    """load_dataset and iter_records of its table raise; the lenient load reports it."""
    folder = base_with(tmp_path, "smes", "SMEs.csv")
    message = (
        f"{folder / 'SMEs.csv'}: SMEs.csv is not read: the smes table's file is "
        "smes.csv, and the folder has none, so the smes table is empty; if "
        "SMEs.csv holds the smes table, rename it smes.csv: a table's file is "
        "named exactly after the table, in lower case"
    )
    with pytest.raises(ck.DatasetReadError) as raised:
        ck.load_dataset(folder)
    assert str(raised.value) == message
    with pytest.raises(ck.DatasetReadError, match=r"SMEs\.csv is not read"):
        list(ck.iter_records(folder, ck.SME))
    with pytest.raises(ck.DatasetReadError, match=r"SMEs\.csv is not read"):
        list(ck.io.iter_raw_rows(folder))
    # Another table's records stream as before.
    assert len(list(ck.iter_records(folder, ck.Cluster))) == len(
        ck.load_dataset(BASE).clusters
    )
    loaded = ck.load_dataset(folder, errors="report")
    assert loaded.dataset.smes == ()
    assert [f.rule for f in loaded.report.findings] == ["CK-FILE-003"]


def test_kpis_report_it_in_their_validation(tmp_path: Path) -> None:
    """compute_kpis' gate reports the misnamed file, with and without validation."""
    folder = base_with(tmp_path, "smes", "SMEs.csv")
    for validate in (True, False):
        result = ck.compute_kpis(folder, as_of=AS_OF, validate=validate)
        assert result.validation is not None
        assert "CK-FILE-003" in result.validation.summary.by_rule


def test_a_folder_of_misnamed_files_only_names_them(tmp_path: Path) -> None:
    """No table file at all: CK-FILE-001 names the files that look like tables'."""
    folder = tmp_path / "data"
    folder.mkdir()
    for path in BASE.iterdir():
        shutil.copy(path, folder / path.name.capitalize())
    (finding,) = ck.validate(folder, as_of=AS_OF).findings
    assert finding.rule == "CK-FILE-001"
    assert finding.message.endswith(
        "; Activities.csv (activities.csv?), Clusters.csv (clusters.csv?), "
        "Partnerships.csv (partnerships.csv?), Smes.csv (smes.csv?), "
        "Targets.csv (targets.csv?) look like table files, but a table's file is "
        "named exactly after the table, in lower case"
    )
    for path in folder.iterdir():
        if path.name != "Clusters.csv":
            path.unlink()
    (folder / "Clusters.csv").rename(folder / "CLUSTERS.JSONL")
    with pytest.raises(ck.DatasetReadError) as raised:
        ck.load_dataset(folder)
    assert str(raised.value).endswith(
        "; CLUSTERS.JSONL (clusters.jsonl?) looks like a table file, but a "
        "table's file is named exactly after the table, in lower case"
    )


def _cased(text: str, flips: list[bool]) -> str:
    return (
        "".join(
            char.upper() if flip else char
            for char, flip in zip(text, flips, strict=False)
        )
        + text[len(flips) :]
    )


separators = st.sampled_from([" ", "_", "-", ".", " (", ") "])
words = st.sampled_from(["2019", "final", "list", "export", "v2", "copy", "ESCP"])


@given(
    table=st.sampled_from(list(TABLES)),
    flips=st.lists(st.booleans(), max_size=12),
    before=st.lists(st.tuples(words, separators), max_size=2),
    after=st.lists(st.tuples(separators, words), max_size=2),
    suffix=st.sampled_from([".csv", ".CSV", ".Csv"]),
)
def test_any_casing_and_extra_words_name_the_table(
    table: str,
    flips: list[bool],
    before: list[tuple[str, str]],
    after: list[tuple[str, str]],
    suffix: str,
) -> None:
    """The table's name in any case, among other words, names it; never its own file.

    With its own file present, only its own name in another case is taken for
    it, as a second copy.
    """
    stem = (
        "".join(word + sep for word, sep in before)
        + _cased(table, flips)
        + "".join(sep + word for sep, word in after)
    )
    name = stem + suffix
    member = Member.of_path(Path(name), name)  # never opened
    present = [other for other in TABLES if other != table]
    found = misnamed_files({name: member}, ".csv", present)
    own = f"{table}.csv"
    if name == own:
        assert found == []
    else:
        assert found == [Misnamed(table, name, member, own)]
    copies = misnamed_files({name: member}, ".csv", list(TABLES))
    if name != own and name.lower() == own:
        assert copies == [Misnamed(table, name, member, own, copy=True)]
    else:
        assert copies == []
