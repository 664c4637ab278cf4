"""Defects found by the review of the web-service example and of reading uploads."""

from __future__ import annotations

import io
import json
import re
import sys
import zipfile
from pathlib import Path

import pydantic
import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

import clusterkit as ck


@pytest.mark.parametrize("missing", ["openpyxl", "defusedxml.ElementTree"])
def test_xlsx_install_hint_names_the_distribution(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, missing: str
) -> None:
    """Without the excel extra, reading a workbook says to install clusterkit-eu[excel]."""
    workbook = tmp_path / "data.xlsx"
    ck.dump_dataset(ck.load_example(), workbook)
    monkeypatch.setitem(sys.modules, missing, None)
    with pytest.raises(
        ck.DatasetReadError, match=re.escape("pip install 'clusterkit-eu[excel]'")
    ):
        ck.load_dataset(workbook)


class BudgetedPartnership(ck.Partnership):
    """A partnership with a field of the user's own, as "Extend the model" shows."""

    budget_line: str | None = None


EXTENDED = (
    b'{"partnerships": [{"id": "P", "acronym": "A", "name": "N", '
    b'"generation": "escp-4i-1", "budget_line": "B-7"}]}'
)


class TestSubclassFieldsSerialised:
    """A dataset read with `models=` keeps the subclass's fields when serialised."""

    def test_round_trip_through_json(self) -> None:
        """model_dump_json writes the added field, and reading it back gives the dataset."""
        models = {"partnerships": BudgetedPartnership}
        ds = ck.load_dataset(EXTENDED, models=models)
        written = json.loads(ds.model_dump_json())
        assert written["partnerships"][0]["budget_line"] == "B-7"
        assert ds.model_dump()["partnerships"][0]["budget_line"] == "B-7"
        assert ck.load_dataset(ds.model_dump_json().encode(), models=models) == ds

    def test_fastapi_response_keeps_the_field(self) -> None:
        """An endpoint typed `-> ck.Dataset` answers with the subclass's field."""
        app = FastAPI()

        @app.get("/dataset")
        def dataset() -> ck.Dataset:
            return ck.load_dataset(
                EXTENDED, models={"partnerships": BudgetedPartnership}
            )

        answer = TestClient(app).get("/dataset").json()
        assert answer["partnerships"][0]["budget_line"] == "B-7"

    def test_plain_dataset_dump_is_unchanged(self) -> None:
        """The models' own dump: each record as the record model dumps it."""
        ds = ck.load_example()
        written = json.loads(ds.model_dump_json())
        assert written["activities"] == [
            json.loads(record.model_dump_json()) for record in ds.activities
        ]
        assert ck.Dataset.model_validate_json(ds.model_dump_json()) == ds


PARTNERSHIP = {"id": "P", "acronym": "A", "name": "N", "generation": "escp-4i-1"}
NOT_A_NUMBER = (
    "true is not a number: a count or an amount is a number, or text holding one"
)


def zipped(name: str, text: str) -> bytes:
    """A zip of one file, as a user uploads a folder."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr(name, text)
    return buffer.getvalue()


class TestBooleanIsNotANumber:
    """`true` in a count or an amount: refused alike by the models, readers and validator."""

    @pytest.mark.parametrize("field", ["smes_reached", "grant_eur"])
    def test_model_refuses_a_boolean(self, field: str) -> None:
        """`Partnership(smes_reached=True)` is a validation error, not 1."""
        with pytest.raises(pydantic.ValidationError, match=NOT_A_NUMBER):
            ck.Partnership.model_validate({**PARTNERSHIP, field: True})

    @pytest.mark.parametrize("field", ["smes_reached", "grant_eur"])
    @pytest.mark.parametrize("layout", ["json", "jsonl"])
    def test_json_boolean_is_a_type_finding(self, field: str, layout: str) -> None:
        """In a JSON document or JSON Lines: CK-TYPE-001 at the cell, and no load."""
        record = {**PARTNERSHIP, field: True}
        if layout == "json":
            data = json.dumps({"partnerships": [record]}).encode()
        else:
            data = zipped("partnerships.jsonl", json.dumps(record) + "\n")
        report = ck.validate(data, name="upload")
        [finding] = [f for f in report.findings if f.rule == "CK-TYPE-001"]
        assert finding.message == NOT_A_NUMBER
        assert finding.location.field == field
        with pytest.raises(ck.DatasetReadError, match=NOT_A_NUMBER):
            ck.load_dataset(data)

    def test_jsonl_boolean_among_numbers(self) -> None:
        """A boolean in a column of counts is found in its row, the counts read."""
        rows = [{**PARTNERSHIP, "id": f"P{i}", "smes_reached": i} for i in range(200)]
        rows[150]["smes_reached"] = False
        data = zipped("partnerships.jsonl", "".join(f"{json.dumps(r)}\n" for r in rows))
        report = ck.validate(data, name="upload")
        [finding] = [f for f in report.findings if f.rule == "CK-TYPE-001"]
        assert finding.location.line == 151
        assert finding.message.startswith("false is not a number")

    def test_workbook_boolean_cell_is_a_type_finding(self, tmp_path: Path) -> None:
        """A boolean cell in a count column of a workbook: CK-TYPE-001 at the cell."""
        openpyxl = pytest.importorskip("openpyxl")
        workbook = openpyxl.Workbook()
        sheet = workbook.active
        sheet.title = "partnerships"
        sheet.append([*PARTNERSHIP, "smes_reached"])
        sheet.append([*PARTNERSHIP.values(), True])
        workbook.save(tmp_path / "data.xlsx")
        report = ck.validate(tmp_path / "data.xlsx")
        [finding] = [f for f in report.findings if f.rule == "CK-TYPE-001"]
        assert (finding.location.cell, finding.message) == ("E2", NOT_A_NUMBER)


class TestUploadWithoutTables:
    """A zip that holds no table file says so, instead of not knowing its format."""

    def test_empty_zip_holds_no_files(self) -> None:
        """A zip with no member: no dataset tables, for it holds no files."""
        buffer = io.BytesIO()
        with zipfile.ZipFile(buffer, "w"):
            pass
        with pytest.raises(ck.DatasetReadError) as caught:
            ck.load_dataset(buffer.getvalue(), name="up.zip")
        assert str(caught.value).startswith(
            "up.zip: no dataset tables found: it holds no files (expected files such as"
        )

    def test_zip_of_other_files_holds_no_tables(self) -> None:
        """A zip of a README only: no dataset tables found, as for a folder."""
        report = ck.validate(zipped("README.txt", "hello\n"), name="up.zip")
        [finding] = report.findings
        assert finding.rule == "CK-FILE-001"
        assert finding.message.startswith("no dataset tables found (expected files")
