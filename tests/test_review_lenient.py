"""Defects found by review in the lenient load (`errors="report"`) and its readers."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import attrs
import pydantic
import pytest

import clusterkit as ck
from clusterkit.io import iter_records, load_dataset
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


def read_findings(report: ck.Report) -> list[tuple[Any, ...]]:
    """Each finding's rule, message, value, hint and location.

    The location without its column: `validate` places a finding in a JSON
    document at its key, which the lenient load does for no finding.
    """
    return [
        (
            finding.rule,
            finding.message,
            finding.value,
            finding.hint,
            finding.expected,
            attrs.evolve(finding.location, column=None),
        )
        for finding in report.findings
    ]


def validated_hdr(source: Any) -> list[tuple[Any, ...]]:
    """What `validate` reports of unknown fields (CK-HDR-002) on `source`."""
    report = ck.validate(source)
    return [item for item in read_findings(report) if item[0] == "CK-HDR-002"]


# ---------------------------------------------------------------- unknown keys


def unknown_key_sources(tmp_path: Path) -> dict[str, Any]:
    """One partnership with a key no table has, and one without, in each layout."""
    records = [{**P, "budget_line": "B-7"}, {**P, "id": "P2"}]
    document = tmp_path / "doc.json"
    document.write_text(json.dumps({"partnerships": records}), encoding="utf-8")
    folder = tmp_path / "lines"
    folder.mkdir()
    write(
        folder / "partnerships.jsonl",
        "".join(json.dumps(record) + "\n" for record in records),
    )
    return {
        "mapping": {"partnerships": records},
        "json": document,
        "jsonl": folder,
    }


@pytest.mark.parametrize("layout", ["mapping", "json", "jsonl"])
def test_a_lenient_load_keeps_a_record_with_an_unknown_key_and_warns_as_validate_does(
    tmp_path: Path, layout: str
) -> None:
    source = unknown_key_sources(tmp_path)[layout]
    dataset, report = load_dataset(source, errors="report")
    assert [partnership.id for partnership in dataset.partnerships] == ["P1", "P2"]
    assert report.ok
    found = read_findings(report)
    assert [item[0] for item in found] == ["CK-HDR-002"]
    assert found == validated_hdr(source)
    assert found[0][1] == (
        "unknown field 'budget_line' in partnerships (1 row); it is ignored"
    )
    assert report.findings[0].severity is ck.Severity.WARNING


def test_a_lenient_load_counts_an_unknown_key_once_per_table_with_its_rows() -> None:
    records = [{**P, "id": f"P{index}", "budget_lin": "B"} for index in range(3)]
    source = {"partnerships": records}
    dataset, report = load_dataset(source, errors="report")
    assert len(dataset.partnerships) == 3
    (finding,) = report.findings
    assert finding.message == (
        "unknown field 'budget_lin' in partnerships (3 rows); it is ignored"
    )
    assert finding.location.pointer == "/partnerships/0/budget_lin"
    assert read_findings(report) == validated_hdr(source)


def test_a_lenient_load_of_subclass_records_without_models_ignores_their_fields() -> (
    None
):
    source = {"partnerships": [BudgetedPartnership(**P, budget_line="B-7")]}
    dataset, report = load_dataset(source, errors="report")
    assert [type(record) for record in dataset.partnerships] == [ck.Partnership]
    assert [item[0] for item in read_findings(report)] == ["CK-HDR-002"]
    assert read_findings(report) == validated_hdr(source)


def test_a_lenient_load_reports_an_unknown_key_beside_a_row_error() -> None:
    source = {"partnerships": [{**P, "budget_line": "B", "start": "soon"}]}
    dataset, report = load_dataset(source, errors="report")
    assert dataset.partnerships == ()
    rules = sorted(finding.rule for finding in report.findings)
    assert rules == ["CK-HDR-002", "CK-TYPE-001"]
    type_error = next(f for f in report.findings if f.rule == "CK-TYPE-001")
    assert type_error.location.field == "start"


def test_a_lenient_load_with_models_knows_the_fields_they_add() -> None:
    source = {"partnerships": [{**P, "budget_line": "B", "budget_lin": "C"}]}
    dataset, report = load_dataset(
        source, models={"partnerships": BudgetedPartnership}, errors="report"
    )
    assert [record.budget_line for record in dataset.partnerships] == ["B"]  # type: ignore[attr-defined]
    (finding,) = report.findings
    assert finding.rule == "CK-HDR-002"
    assert finding.value == "budget_lin"
    assert finding.hint == "did you mean 'budget_line'?"
    assert finding.expected is not None
    assert finding.expected.endswith(", budget_line")


# ---------------------------------------------------------------- blank text in JSON Lines


def test_json_lines_reads_blank_text_of_a_subclass_field_as_not_given(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "lines"
    folder.mkdir()
    lines = [{**P, "note": ""}, {**P, "id": "P2", "note": "  "}, {**P, "id": "P3"}]
    lines += [{**P, "id": "P4", "note": None}, {**P, "id": "P5", "note": "kept"}]
    write(
        folder / "partnerships.jsonl",
        "".join(json.dumps(line) + "\n" for line in lines),
    )
    document = tmp_path / "doc.json"
    document.write_text(json.dumps({"partnerships": lines}), encoding="utf-8")
    models = {"partnerships": NotedPartnership}
    expected = ["n/a", "n/a", "n/a", "n/a", "kept"]
    for source in (folder, document):
        strict = load_dataset(source, models=models)
        lenient, _ = load_dataset(source, models=models, errors="report")
        for dataset in (strict, lenient):
            notes = [record.note for record in dataset.partnerships]  # type: ignore[attr-defined]
            assert notes == expected, source
    records = iter_records(folder / "partnerships.jsonl", NotedPartnership)
    assert [record.note for record, _ in records] == expected


def test_json_lines_refuses_blank_text_in_a_required_subclass_field(
    tmp_path: Path,
) -> None:
    folder = tmp_path / "lines"
    folder.mkdir()
    write(folder / "partnerships.jsonl", json.dumps({**P, "budget_line": ""}) + "\n")
    with pytest.raises(ck.DatasetReadError, match="budget_line: a value is required"):
        load_dataset(folder, models={"partnerships": BudgetRequired})
    with pytest.raises(ck.DatasetReadError, match="budget_line: a value is required"):
        load_dataset(
            {"partnerships": [{**P, "budget_line": ""}]},
            models={"partnerships": BudgetRequired},
        )


def test_json_lines_checks_only_the_fields_a_subclass_declares() -> None:
    from clusterkit.io._formats import jsonl_files  # noqa: PLC0415 - the reader's own

    assert jsonl_files._fields_to_look_at(ck.Partnership) == ()
    assert jsonl_files._fields_to_look_at(NotedPartnership) == ("note",)

    class Redeclared(ck.Partnership):
        acronym: str | None = None  # type: ignore[assignment] # taken as it is

    assert jsonl_files._fields_to_look_at(Redeclared) == ("acronym",)

    class Validated(ck.Partnership):
        @pydantic.field_validator("name", mode="before")
        @classmethod
        def upper(cls, value: Any) -> Any:
            return value.upper() if isinstance(value, str) else value

    fields = jsonl_files._fields_to_look_at(Validated)
    assert fields == tuple(ck.Partnership.model_fields)


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


# ---------------------------------------------------------------- a Dataset of subclasses


def test_a_lenient_load_of_a_dataset_keeps_its_subclass_records() -> None:
    budgeted = BudgetedPartnership(**P, budget_line="B")
    plain = ck.Partnership(**{**P, "id": "P2"})
    dataset = ck.Dataset(partnerships=(budgeted, plain), clusters=())
    loaded, report = load_dataset(dataset, errors="report")
    assert report.findings == ()
    assert loaded == load_dataset(dataset)
    assert [type(record) for record in loaded.partnerships] == [
        BudgetedPartnership,
        ck.Partnership,
    ]
    assert loaded.partnerships[0].budget_line == "B"  # type: ignore[attr-defined]


def test_a_lenient_load_of_a_dataset_of_subclasses_locates_its_findings() -> None:
    # Made without validation: its id was never checked.
    broken = BudgetedPartnership.model_construct(**{**P, "id": "P;1"})
    kept = BudgetedPartnership(**{**P, "id": "P2"}, budget_line="B")
    dataset = ck.Dataset.model_construct(partnerships=(broken, kept))
    loaded, report = load_dataset(dataset, errors="report")
    assert loaded.partnerships == (kept,)
    (finding,) = report.findings
    assert (finding.rule, finding.location.pointer) == (
        "CK-TYPE-001",
        "/partnerships/0/id",
    )


# ---------------------------------------------------------------- a subclass's required field


def test_a_subclass_column_missing_is_one_header_finding(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    write(
        folder / "partnerships.csv",
        "id,acronym,name,generation\nP1,A,A,escp-4i-1\nP2,A,A,escp-4i-1\n",
    )
    models = {"partnerships": BudgetRequired}
    dataset, report = load_dataset(folder, models=models, errors="report")
    assert dataset.partnerships == ()
    assert [finding.rule for finding in report.findings] == ["CK-HDR-001"]


def test_a_subclass_field_left_empty_has_the_shared_message(tmp_path: Path) -> None:
    folder = tmp_path / "csv"
    folder.mkdir()
    write(
        folder / "partnerships.csv",
        "id,acronym,name,generation,budget_line\nP1,A,A,escp-4i-1,\n",
    )
    models = {"partnerships": BudgetRequired}
    _, report = load_dataset(folder, models=models, errors="report")
    (finding,) = report.findings
    assert finding.rule == "CK-TYPE-001"
    assert finding.message == "a value is required here, but the cell is empty"
    assert finding.location.field == "budget_line"
    assert finding.location.column == 5


def test_a_subclass_field_missing_from_a_record_has_the_shared_message() -> None:
    models = {"partnerships": BudgetRequired}
    _, report = load_dataset({"partnerships": [P]}, models=models, errors="report")
    (finding,) = report.findings
    assert finding.message == "a value is required here, but the cell is empty"
    assert finding.location.pointer == "/partnerships/0/budget_line"


def test_an_unknown_key_not_given_is_no_finding_in_any_layout(
    tmp_path: Path,
) -> None:
    records = [{**P, "budget_line": None}, {**P, "id": "P2", "budget_line": " "}]
    records.append({**P, "id": "P3", "budget_line": "B"})
    folder = tmp_path / "lines"
    folder.mkdir()
    write(
        folder / "partnerships.jsonl",
        "".join(json.dumps(record) + "\n" for record in records),
    )
    document = tmp_path / "doc.json"
    document.write_text(json.dumps({"partnerships": records}), encoding="utf-8")
    for source in (folder, document, {"partnerships": records}):
        dataset, report = load_dataset(source, errors="report")
        assert len(dataset.partnerships) == 3
        found = read_findings(report)
        assert [item[1] for item in found] == [
            "unknown field 'budget_line' in partnerships (1 row); it is ignored"
        ]
        assert found == validated_hdr(source)
