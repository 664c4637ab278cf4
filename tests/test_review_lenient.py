"""Defects found by review in the lenient load (`errors="report"`) and its readers."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

import clusterkit as ck
from clusterkit.io import load_dataset
from conftest import write

P: dict[str, Any] = {
    "id": "P1",
    "acronym": "A",
    "name": "A",
    "generation": "escp-4i-1",
}


class BudgetedPartnership(ck.Partnership):
    """A partnership with a budget line of its own."""

    budget_line: str | None = None


class NotedPartnership(ck.Partnership):
    """A partnership whose note defaults to a text: blank text is not given."""

    note: str | None = "n/a"


class BudgetRequired(ck.Partnership):
    """A partnership that must have a budget line."""

    budget_line: str


def read_findings(report: ck.Report) -> list[tuple[str, str, Any, str | None]]:
    """Each finding's rule, message, location and value."""
    return [
        (finding.rule, finding.message, finding.location, finding.value)
        for finding in report.findings
    ]


def validated_hdr(source: Any) -> list[tuple[str, str, Any, str | None]]:
    """What `validate` reports of unknown fields (CK-HDR-002) on `source`."""
    report = ck.validate(source)
    return [item for item in read_findings(report) if item[0] == "CK-HDR-002"]


# ---------------------------------------------------------------- invariants, strictly


def test_a_strict_load_locates_an_invariant_error_at_the_blamed_field(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "clusters"
    folder.mkdir()
    write(
        folder / "clusters.csv",
        "id,name,country,members_total,sme_members\nC1,X,DE,3,9\n",
    )
    with pytest.raises(ck.DatasetReadError) as caught:
        load_dataset(folder)
    error = caught.value
    assert error.field == "sme_members"
    assert error.location is not None
    assert (error.location.line, error.location.column) == (2, 5)
    assert ":2:5 (sme_members): invalid clusters row: sme_members: " in str(error)
    _, report = load_dataset(folder, errors="report")
    assert report.findings[0].location == error.location
