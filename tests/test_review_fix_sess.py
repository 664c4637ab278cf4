"""What a review of one day's merged changes found.

validate's outputs: a reader of standard output that goes away, and a write that
fails, named for its own file.
"""

from __future__ import annotations

import errno
import io
import sys
from pathlib import Path
from typing import TextIO

import pytest

import clusterkit as ck
from clusterkit import cli
from clusterkit.cli import _validate
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
