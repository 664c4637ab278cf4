"""What a review of one day's merged changes found.

validate's outputs: a reader of standard output that goes away, and a write that
fails, named for its own file. The subfolders looked through for copies of table
files: deep, large or unreadable. Findings alike in a lenient load. Booleans
read as counts.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import errno
import io
import json
import os
import shutil
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import TextIO

import pydantic
import pytest

import clusterkit as ck
from clusterkit import cli
from clusterkit.cli import _validate
from clusterkit.io import _source
from clusterkit.report import Report

EXAMPLE = ck.io.example_path()
AS_OF = ("--as-of", "2026-01-01")


@pytest.fixture(autouse=True)
def _outside_github_actions(monkeypatch: pytest.MonkeyPatch) -> None:
    # The suite itself may run in GitHub Actions; each test sets what it needs.
    monkeypatch.delenv("GITHUB_ACTIONS", raising=False)
    monkeypatch.delenv("GITHUB_STEP_SUMMARY", raising=False)


# validate's outputs ----------------------------------------------------------------


class _GoneReader(io.StringIO):
    """Standard output whose reader went away (`| head`)."""

    def write(self, text: str) -> int:
        del text
        raise BrokenPipeError(errno.EPIPE, "Broken pipe")


@pytest.mark.parametrize(
    "argv",
    [
        ("--format", "text", "--output", "r.txt", "--format", "json"),
        ("--format", "json", "--format", "text", "--output", "r.txt"),
    ],
    ids=["file-first", "stdout-first"],
)
def test_a_closed_stdout_still_writes_the_output_files(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, argv: tuple[str, ...]
) -> None:
    """A reader of stdout that goes away is no error, and costs no --output."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setattr(sys, "stdout", _GoneReader())
    err = io.StringIO()
    monkeypatch.setattr(sys, "stderr", err)
    try:
        code = cli.main(["validate", str(EXAMPLE), *AS_OF, *argv])
    finally:
        sys.stdout.close()  # the devnull the CLI swapped in for the gone reader
    assert (code, err.getvalue()) == (0, "")
    assert "warning CK-GEO-002" in (tmp_path / "r.txt").read_text(encoding="utf-8")


def test_a_failed_write_names_its_own_file(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """A full disk while writing the first of two files names that file; neither is written."""
    monkeypatch.chdir(tmp_path)
    write_format = _validate._write_format

    def full_disk_for_json(name: str, report: Report, out: TextIO) -> None:
        if name == "json":
            raise OSError(errno.ENOSPC, "No space left on device")
        write_format(name, report, out)

    monkeypatch.setattr(_validate, "_write_format", full_disk_for_json)
    code = cli.main(
        [
            "validate",
            str(EXAMPLE),
            *AS_OF,
            "--format",
            "json",
            "--output",
            "a.json",
            "--format",
            "sarif",
            "--output",
            "b.sarif",
        ]
    )
    err = capsys.readouterr().err
    assert (code, err) == (
        2,
        "clusterkit validate: cannot write a.json: No space left on device\n",
    )
    assert list(tmp_path.iterdir()) == []


# Copies of table files in subfolders: a bounded look ------------------------------

BASE = Path(__file__).parent / "data" / "valid" / "base"


def copies_reported(folder: Path) -> list[str]:
    """The subfolder copies CK-FILE-003 reports in `folder`, sorted."""
    report = ck.validate(folder, as_of=dt.date(2026, 1, 1))
    return sorted(str(f.value) for f in report.findings if f.rule == "CK-FILE-003")


@pytest.fixture
def deep_folder(tmp_path: Path) -> Iterator[Path]:
    """A folder of tables with a chain of 1,100 subfolders `a/a/…`, removed without recursion."""
    folder = tmp_path / "data"
    shutil.copytree(BASE, folder)
    chain = [folder]
    for _ in range(1_100):
        chain.append(chain[-1] / "a")
        chain[-1].mkdir()
    yield folder
    # shutil.rmtree recurses on Python 3.11; pytest's cleanup would meet the same.
    for here in reversed(chain[1:]):
        for file in here.iterdir():
            if not file.is_dir():
                file.unlink()
        here.rmdir()


def test_a_deep_tree_is_looked_through_to_a_bounded_depth(deep_folder: Path) -> None:
    """1,100 nested folders are no internal error; copies are found eight levels deep."""
    for depth in (1, 8, 9, 1_100):
        shutil.copy(
            BASE / "clusters.csv", deep_folder.joinpath(*["a"] * depth) / "clusters.csv"
        )
    assert copies_reported(deep_folder) == [
        "a/a/a/a/a/a/a/a/clusters.csv",
        "a/clusters.csv",
    ]
    assert _source._NESTED_DEPTH == 8
    assert ck.load_dataset(deep_folder, errors="report").report.findings
    validation = ck.compute_kpis(deep_folder).validation
    assert validation is not None
    assert validation.findings


def test_at_most_so_many_entries_are_looked_at(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """Past the limit, shallowest first, subfolders are not listed."""
    folder = tmp_path / "data"
    shutil.copytree(BASE, folder)
    (folder / "a" / "b").mkdir(parents=True)
    shutil.copy(BASE / "clusters.csv", folder / "a" / "clusters.csv")
    shutil.copy(BASE / "clusters.csv", folder / "a" / "b" / "clusters.csv")
    assert copies_reported(folder) == ["a/b/clusters.csv", "a/clusters.csv"]
    # The folder's 5 tables and a/, then a's 2 entries; a/b is not listed.
    monkeypatch.setattr(_source, "_NESTED_ENTRIES", 8)
    assert copies_reported(folder) == ["a/clusters.csv"]


def test_a_subfolder_that_cannot_be_listed_is_passed_over(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """No permission to list a subfolder: it is not looked through, and no error."""
    folder = tmp_path / "data"
    shutil.copytree(BASE, folder)
    for name in ("locked", "open"):
        (folder / name).mkdir()
        shutil.copy(BASE / "clusters.csv", folder / name / "clusters.csv")
    scandir = os.scandir

    def refused(path: str | os.PathLike[str]) -> object:
        # Root, as tests often run here, may list any folder: refuse it by hand.
        if Path(path) == folder / "locked":
            raise PermissionError(13, "Permission denied", str(path))
        return scandir(path)

    monkeypatch.setattr(os, "scandir", refused)
    assert copies_reported(folder) == ["open/clusters.csv"]


class _UnknownEntry:
    """A listed entry the system cannot say the kind of."""

    name = path = "unknown"

    def is_dir(self, *, follow_symlinks: bool = True) -> bool:
        del follow_symlinks
        raise PermissionError(13, "Permission denied", self.path)


def test_an_entry_of_unknown_kind_is_no_folder(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """An entry whose kind cannot be told is not looked into, and no error."""
    folder = tmp_path / "data"
    shutil.copytree(BASE, folder)
    (folder / "odd").mkdir()
    scandir = os.scandir

    def unknown(path: str | os.PathLike[str]) -> object:
        return (
            contextlib.nullcontext([_UnknownEntry()])
            if Path(path) == folder / "odd"
            else scandir(path)
        )

    monkeypatch.setattr(os, "scandir", unknown)
    assert copies_reported(folder) == []


# load_dataset(errors="report"): findings alike numbered as validate numbers them ---


def test_a_lenient_load_numbers_findings_alike_as_validate_does(tmp_path: Path) -> None:
    """Two rows without an id: two fingerprints, the very ones validate gives."""
    folder = tmp_path / "data"
    shutil.copytree(EXAMPLE, folder)
    smes = folder / "smes.csv"
    lines = smes.read_text(encoding="utf-8").splitlines(keepends=True)
    for number in (1, 2):  # the first two rows after the header
        lines[number] = "," + lines[number].split(",", 1)[1]
    smes.write_text("".join(lines), encoding="utf-8")

    loaded = ck.load_dataset(folder, errors="report").report.findings
    validated = ck.validate(folder, as_of=dt.date(2026, 1, 1)).findings

    def by_place(findings: tuple[ck.Finding, ...]) -> dict[tuple[object, ...], str]:
        return {
            (f.rule, f.location.file, f.location.line, f.location.field): f.fingerprint
            for f in findings
            if f.rule == "CK-TYPE-001"
        }

    assert len(set(by_place(loaded).values())) == 2
    assert by_place(loaded) == by_place(validated)


# A yes or no is not a count: generation thresholds, numpy's booleans -------------

PARTNERSHIP = {"id": "P", "acronym": "A", "name": "N", "generation": "escp-4i-1"}
GENERATION = {
    "id": "g",
    "name": "N",
    "family": "F",
    "programme": "COSME",
    "start": "2020-01-01",
    "end": "2021-12-31",
}
THRESHOLDS = [
    "min_members",
    "min_member_countries",
    "min_target_countries",
    "max_target_countries",
]


NOT_A_NUMBER = {
    value: f"{value} is not a number: a count or an amount is a number, or text "
    "holding one"
    for value in ("true", "false")
}


@pytest.mark.parametrize("field", THRESHOLDS)
def test_a_generation_threshold_is_no_yes_or_no(field: str) -> None:
    """`min_members: true` is refused by the model and found by validate, not read as 1."""
    with pytest.raises(pydantic.ValidationError, match=NOT_A_NUMBER["true"]):
        ck.Generation.model_validate({**GENERATION, field: True})
    document = json.dumps({"generations": [{**GENERATION, field: True}]}).encode()
    [finding] = [
        f
        for f in ck.validate(document, name="upload").findings
        if f.rule == "CK-TYPE-001"
    ]
    assert (finding.location.field, finding.message) == (field, NOT_A_NUMBER["true"])


def test_generation_thresholds_keep_their_bounds() -> None:
    """Counts of members and member countries are at least 1, the others at least 0."""
    schema = ck.Generation.model_json_schema()["properties"]
    assert schema["min_members"]["minimum"] == 1
    minimums = [schema[field]["anyOf"][0]["minimum"] for field in THRESHOLDS[1:]]
    assert minimums == [1, 0, 0]
    assert (
        ck.Generation.model_validate({**GENERATION, "min_members": "4"}).min_members
        == 4
    )
    with pytest.raises(pydantic.ValidationError, match="greater than or equal to 1"):
        ck.Generation.model_validate({**GENERATION, "min_members": 0})


@pytest.mark.parametrize("field", ["smes_reached", "grant_eur"])
def test_a_numpy_boolean_is_no_number(field: str) -> None:
    """`numpy.True_` is refused as `True` is, not read as 1."""
    numpy = pytest.importorskip("numpy")
    for value, shown in ((numpy.True_, "true"), (numpy.False_, "false")):
        with pytest.raises(pydantic.ValidationError, match=NOT_A_NUMBER[shown]):
            ck.Partnership.model_validate({**PARTNERSHIP, field: value})


def test_a_numpy_integer_is_still_a_count() -> None:
    """Only numpy's booleans are refused."""
    numpy = pytest.importorskip("numpy")
    read = ck.Partnership.model_validate(
        {**PARTNERSHIP, "smes_reached": numpy.int64(5)}
    )
    assert read.smes_reached == 5
