"""Defects found by the review of the web-service example and of reading uploads."""

from __future__ import annotations

import json
import re
import sys
from pathlib import Path

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
