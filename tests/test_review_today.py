"""Subclasses of the record models: what the review of today's merge found."""

from __future__ import annotations

import csv
import datetime as dt
from pathlib import Path
from typing import Annotated

import pytest
from pydantic import Field

import clusterkit as ck

PARTNERSHIP = {"id": "P1", "acronym": "A", "name": "A", "generation": "escp-4i-1"}


class Shaped(ck.Partnership):
    """Texts in every shape a subclass may give them, and one by an alias."""

    klass: str | None = Field(default=None, alias="class")
    tags: list[str] | None = None
    tup: tuple[str, ...] = ()
    fs: frozenset[str] | None = None
    bag: set[str] | None = None
    counts: frozenset[int] | None = None


def test_escaping_formulas_escapes_every_shape_of_text_and_an_alias(
    tmp_path: Path,
) -> None:
    """A list, a tuple, a set and an aliased text get a `'`, and read back."""
    record = Shaped(
        **PARTNERSHIP,
        **{"class": "=1+1"},
        tags=["=2+2", "b"],
        tup=("=3+3",),
        fs=frozenset({"=4+4", "-5", "c"}),
        bag={"@6"},
        counts=frozenset({-7}),
    )
    dataset = ck.Dataset(partnerships=[record])
    ck.dump_dataset(dataset, tmp_path, escape_formulas=True)
    with (tmp_path / "partnerships.csv").open(encoding="utf-8") as handle:
        (row,) = csv.DictReader(handle)
    assert [row[name] for name in ("class", "tags", "tup", "bag", "counts")] == [
        "'=1+1",
        "'=2+2;b",
        "'=3+3",
        "'@6",
        "-7",
    ]
    assert sorted(row["fs"].split(";")) == ["'-5", "'=4+4", "c"]
    models = {"partnerships": Shaped}
    again = ck.load_dataset(tmp_path, models=models, unescape_formulas=True)
    assert again == dataset
    assert type(again.partnerships[0].tags) is list


class Counted(ck.Partnership):
    """An aliased number and date."""

    quota: int | None = Field(default=None, alias="quota_max")
    due: dt.date | None = Field(default=None, alias="due_on")


def test_an_aliased_number_is_a_number_cell_in_a_workbook(tmp_path: Path) -> None:
    """A workbook cell of an aliased number or date holds it, not its text."""
    openpyxl = pytest.importorskip("openpyxl")
    record = Counted(**PARTNERSHIP, quota_max=12, due_on=dt.date(2020, 5, 1))
    ck.dump_dataset(ck.Dataset(partnerships=[record]), tmp_path / "d.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "d.xlsx")["partnerships"]
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, header.index("quota_max") + 1).value == 12
    assert sheet.cell(2, header.index("due_on") + 1).is_date
    models = {"partnerships": Counted}
    assert ck.load_dataset(tmp_path / "d.xlsx", models=models).partnerships == (record,)


class Aliased(ck.Partnership):
    """Fields read by an alias, given by `Field` and by `Annotated`."""

    klass: str | None = Field(default=None, alias="class")
    codes: Annotated[list[str], Field(alias="code_list")] = []


def test_a_lenient_load_of_a_dataset_keeps_the_aliased_fields_of_a_subclass() -> None:
    """`errors="report"` reads a `Dataset`'s aliased fields as the strict load does."""
    record = Aliased(**PARTNERSHIP, **{"class": "A", "code_list": ["c1"]})
    dataset = ck.Dataset(partnerships=[record])
    loaded = ck.load_dataset(dataset, errors="report")
    assert loaded.dataset == ck.load_dataset(dataset) == dataset
    assert loaded.report.findings == ()
