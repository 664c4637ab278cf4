"""A second copy of a table's file, in a zip or a folder: not read, and reported (CK-FILE-003).

A table has one file, named exactly after it, beside the other tables' files.
A file whose name is that one in another case (`clusters.CSV`), or that bears it
in a subfolder (`data/clusters.csv`), is not read; it is reported at the file,
naming the file read instead, by every reader alike.
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest

import clusterkit as ck
from clusterkit.io import _source

BASE = Path(__file__).parent / "data" / "valid" / "base"
AS_OF = dt.date(2026, 1, 1)


def zip_of(tmp_path: Path, entries: dict[str, str]) -> Path:
    """A zip archive of base files: each member's name, and the base file it holds."""
    archive = tmp_path / "upload.zip"
    with zipfile.ZipFile(archive, "w") as handle:
        for member, name in entries.items():
            handle.write(BASE / name, member)
    return archive


def tables(folder: str = "") -> dict[str, str]:
    """The base tables as members of an archive, in `folder`."""
    return {f"{folder}{path.name}": path.name for path in sorted(BASE.iterdir())}


def base_folder(tmp_path: Path) -> Path:
    folder = tmp_path / "data"
    shutil.copytree(BASE, folder)
    return folder


def misnamed(report: ck.Report) -> list[ck.Finding]:
    return [f for f in report.findings if f.rule == "CK-FILE-003"]


def case_sensitive(folder: Path) -> bool:
    """Whether the file system of `folder` tells names apart by case."""
    probe = folder / "Case-Probe"
    probe.write_bytes(b"")
    try:
        return not (folder / "case-probe").exists()
    finally:
        probe.unlink()


def test_a_table_file_in_another_case_in_a_zip_is_an_error_at_it(
    tmp_path: Path,
) -> None:
    """clusters.CSV beside clusters.csv: not read, reported, naming the file read."""
    archive = zip_of(tmp_path, tables() | {"clusters.CSV": "clusters.csv"})
    report = ck.validate(archive, as_of=AS_OF)
    (finding,) = report.findings
    assert finding.rule == "CK-FILE-003"
    assert finding.severity is ck.Severity.ERROR
    assert finding.location == ck.Location(file=f"{archive}/clusters.CSV")
    assert finding.entity == ck.Entity("clusters")
    assert (finding.value, finding.expected) == ("clusters.CSV", "clusters.csv")
    assert finding.message == (
        "clusters.CSV is not read: the clusters table's file is clusters.csv, which "
        "is read instead, so the rows of clusters.CSV are not in the clusters table"
    )
    assert finding.hint == (
        "a table has one file: merge the rows of clusters.CSV into clusters.csv, or "
        "move clusters.CSV out of the dataset (a copy kept in it needs another word "
        "in its name, such as clusters_2019.csv)"
    )
    assert not report.ok


def test_a_table_file_in_a_subfolder_of_a_zip_is_an_error_at_it(
    tmp_path: Path,
) -> None:
    """data/clusters.csv beside a root clusters.csv: the root one is read, the other reported."""
    archive = zip_of(tmp_path, tables() | {"data/clusters.csv": "clusters.csv"})
    (finding,) = ck.validate(archive, as_of=AS_OF).findings
    assert finding.location.file == f"{archive}/data/clusters.csv"
    assert finding.message.startswith(
        "data/clusters.csv is not read: the clusters table's file is clusters.csv, "
        "which is read instead"
    )


def test_a_zip_of_a_folder_reads_as_before(tmp_path: Path) -> None:
    """The tables in one top folder, a README beside it: read, nothing reported."""
    archive = zip_of(tmp_path, tables("data/") | {"README.txt": "smes.csv"})
    report = ck.validate(archive, as_of=AS_OF)
    assert report.findings == ()
    assert ck.load_dataset(archive) == ck.load_dataset(BASE)


def test_a_copy_beside_the_top_folder_names_the_file_in_it(tmp_path: Path) -> None:
    """Clusters.csv at the root of a zip of data/: the copy of data/clusters.csv."""
    archive = zip_of(tmp_path, tables("data/") | {"Clusters.csv": "clusters.csv"})
    (finding,) = ck.validate(archive, as_of=AS_OF).findings
    assert finding.location.file == f"{archive}/Clusters.csv"
    assert finding.expected == "data/clusters.csv"
    assert finding.message.startswith(
        "Clusters.csv is not read: the clusters table's file is data/clusters.csv, "
        "which is read instead"
    )


def test_a_table_file_only_in_a_subfolder_leaves_its_table_empty(
    tmp_path: Path,
) -> None:
    """old/smes.csv and no smes.csv beside the other tables: the smes table is empty."""
    entries = tables()
    del entries["smes.csv"]
    archive = zip_of(tmp_path, entries | {"old/smes.csv": "smes.csv"})
    report = ck.validate(archive, as_of=AS_OF)
    (finding,) = misnamed(report)
    assert finding.location.file == f"{archive}/old/smes.csv"
    assert finding.message == (
        "old/smes.csv is not read: the smes table's file is smes.csv, and the folder "
        "has none, so the smes table is empty"
    )
    # The unknown SMEs follow from it.
    references = [f for f in report.findings if f.rule.startswith("CK-FK-")]
    assert references
    assert {f.caused_by for f in references} == {finding.fingerprint}


def test_files_in_hidden_folders_and_other_names_are_not_reported(
    tmp_path: Path,
) -> None:
    """.git/clusters.csv, a/clusters_2019.csv, b/clusters.jsonl: passed over in a CSV dataset."""
    others = {
        ".git/clusters.csv": "clusters.csv",
        "a/clusters_2019.csv": "clusters.csv",
        "b/clusters.jsonl": "clusters.csv",  # another layout's name
    }
    archive = zip_of(tmp_path, tables() | others)
    assert ck.validate(archive, as_of=AS_OF).findings == ()
    folder = base_folder(tmp_path)
    for name in others:
        (folder / name).parent.mkdir()
        shutil.copy(BASE / "clusters.csv", folder / name)
    assert ck.validate(folder, as_of=AS_OF).findings == ()


def test_a_table_file_in_a_subfolder_of_a_folder_is_an_error_at_it(
    tmp_path: Path,
) -> None:
    """archive/2019/Clusters.csv in a folder of tables: reported by its path in the folder."""
    folder = base_folder(tmp_path)
    nested = folder / "archive" / "2019"
    nested.mkdir(parents=True)
    shutil.copy(BASE / "clusters.csv", nested / "Clusters.csv")
    (finding,) = ck.validate(folder, as_of=AS_OF).findings
    assert finding.rule == "CK-FILE-003"
    assert finding.location.file == f"{folder}/archive/2019/Clusters.csv"
    assert finding.value == "archive/2019/Clusters.csv"
    assert finding.expected == "clusters.csv"


def test_a_file_a_table_file_links_to_is_no_copy(tmp_path: Path) -> None:
    """clusters.csv linking to (or a hard link of) a file in a subfolder is that file."""
    folder = base_folder(tmp_path)
    kept = folder / "kept"
    kept.mkdir()
    (folder / "clusters.csv").rename(kept / "clusters.csv")
    (folder / "clusters.csv").symlink_to(kept / "clusters.csv")
    os.link(folder / "smes.csv", kept / "smes.csv")
    assert ck.validate(folder, as_of=AS_OF).findings == ()
    # A broken link in a subfolder is named like a table's file: a copy, not read.
    (kept / "targets.csv").symlink_to(tmp_path / "nowhere.csv")
    (finding,) = ck.validate(folder, as_of=AS_OF).findings
    assert (finding.rule, finding.value) == ("CK-FILE-003", "kept/targets.csv")


def test_a_folder_without_table_files_is_not_looked_through(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder given by mistake (a home folder) is not walked: it holds no tables."""
    folder = tmp_path / "home"
    shutil.copytree(BASE, folder / "data")

    def look_through(*args: object) -> object:
        raise AssertionError(args)

    monkeypatch.setattr(_source, "_nested_table_files", look_through)
    with pytest.raises(ck.DatasetReadError, match="no dataset tables found"):
        ck.load_dataset(folder)


def test_a_table_file_in_another_case_in_a_folder_is_an_error_at_it(
    tmp_path: Path,
) -> None:
    """CLUSTERS.csv beside clusters.csv, where the file system tells them apart."""
    folder = base_folder(tmp_path)
    if not case_sensitive(folder):  # pragma: no cover - macOS and Windows
        pytest.skip("the file system ignores case")
    shutil.copy(BASE / "clusters.csv", folder / "CLUSTERS.csv")
    (finding,) = ck.validate(folder, as_of=AS_OF).findings
    assert finding.rule == "CK-FILE-003"
    assert finding.location.file == str(folder / "CLUSTERS.csv")
    assert finding.message.startswith(
        "CLUSTERS.csv is not read: the clusters table's file is clusters.csv, which "
        "is read instead"
    )


def _zip_case(tmp_path: Path) -> tuple[Path, str]:
    archive = zip_of(tmp_path, tables() | {"clusters.CSV": "clusters.csv"})
    return archive, "clusters.CSV"


def _zip_nested(tmp_path: Path) -> tuple[Path, str]:
    archive = zip_of(tmp_path, tables() | {"data/clusters.csv": "clusters.csv"})
    return archive, "data/clusters.csv"


def _folder_nested(tmp_path: Path) -> tuple[Path, str]:
    folder = base_folder(tmp_path)
    (folder / "old").mkdir()
    shutil.copy(BASE / "clusters.csv", folder / "old" / "clusters.csv")
    return folder, "old/clusters.csv"


@pytest.mark.parametrize("make", [_zip_case, _zip_nested, _folder_nested])
def test_every_reader_reports_the_copy_alike(
    tmp_path: Path, make: Callable[[Path], tuple[Path, str]]
) -> None:
    """load_dataset and iter_records refuse it, the lenient load and the KPIs report it."""
    source, name = make(tmp_path)
    where = f"{os.fspath(source)}/{name}: {name} is not read: "
    with pytest.raises(ck.DatasetReadError) as raised:
        ck.load_dataset(source)
    assert str(raised.value).startswith(where)
    with pytest.raises(ck.DatasetReadError) as raised:
        list(ck.iter_records(source, ck.Cluster))
    assert str(raised.value).startswith(where)
    with pytest.raises(ck.DatasetReadError) as raised:
        list(ck.io.iter_raw_rows(source))
    assert str(raised.value).startswith(where)
    # Another table's records stream as before.
    assert len(list(ck.iter_records(source, ck.SME))) == len(ck.load_dataset(BASE).smes)
    dataset, report = ck.load_dataset(source, errors="report")
    assert dataset == ck.load_dataset(BASE)
    assert [(f.rule, f.value) for f in report.findings] == [("CK-FILE-003", name)]
    for validate in (True, False):
        result = ck.compute_kpis(source, as_of=AS_OF, validate=validate)
        assert result.validation is not None
        assert result.validation.summary.by_rule == {"CK-FILE-003": 1}
