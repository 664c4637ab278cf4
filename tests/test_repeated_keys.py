"""A key given twice in a mapping field (`max_grant_eur`): CK-HDR-004 in every layout."""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import openpyxl
import pytest
from hypothesis import given
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit.io import repeated_key_problems

AS_OF = dt.date(2026, 1, 1)
GENERATION = {
    "id": "g-x",
    "name": "A generation of one's own",
    "family": "F",
    "programme": "SMP",
    "start": "2020-01-01",
    "end": "2021-12-31",
}
MESSAGE = (
    "max_grant_eur: key '1' is given more than once in this mapping; only its last "
    "value was read"
)


def written(tmp_path: Path, layout: str) -> Path:
    """The example with a generation whose grant caps give strand 1 twice."""
    target = tmp_path / {"csv": "data", "jsonl": "data"}.get(layout, f"data.{layout}")
    ck.dump_dataset(ck.load_example(), target, layout=layout)
    if layout == "csv":
        header = (target / "generations.csv").read_text(encoding="utf-8").split("\n")[0]
        names = header.split(",")
        cells = {**GENERATION, "max_grant_eur": "1=100000;1=200000"}
        row = ",".join(cells.get(name, "") for name in names)
        (target / "generations.csv").write_text(f"{header}\n{row}\n", encoding="utf-8")
    elif layout == "xlsx":
        workbook = openpyxl.load_workbook(target)
        sheet = workbook["generations"]
        names = [str(cell.value) for cell in sheet[1]]
        cells = {**GENERATION, "max_grant_eur": "1=100000;1=200000"}
        sheet.append([cells.get(name) for name in names])
        workbook.save(target)
    else:
        # JSON text, written by hand: a dict cannot hold a key twice.
        record = (
            json.dumps(GENERATION)[:-1]
            + ', "max_grant_eur": {"1": 100000, "1": 200000}}'
        )
        if layout == "jsonl":
            (target / "generations.jsonl").write_text(record + "\n", encoding="utf-8")
        else:
            text = target.read_text(encoding="utf-8")
            target.write_text(
                text.replace('"generations": []', f'"generations": [{record}]', 1),
                encoding="utf-8",
            )
    return target


@pytest.mark.parametrize("layout", ["csv", "jsonl", "json", "xlsx"])
def test_a_key_given_twice_is_reported_in_every_layout(
    tmp_path: Path, layout: str
) -> None:
    """validate: CK-HDR-004 at the cell; the strict load refuses, the lenient reports."""
    source = written(tmp_path, layout)
    report = ck.validate(source, as_of=AS_OF, ignore=["CK-ORPHAN-001", "CK-GEO-002"])
    (finding,) = report.findings
    assert (finding.rule, finding.location.field, finding.message) == (
        "CK-HDR-004",
        "max_grant_eur",
        MESSAGE,
    )
    with pytest.raises(ck.DatasetReadError, match="key '1' is given more than once"):
        ck.load_dataset(source)
    loaded = ck.load_dataset(source, errors="report")
    assert [f.rule for f in loaded.report.findings] == ["CK-HDR-004"]


def test_keys_given_once_are_not_reported() -> None:
    """Each key once, empty items and a key without '=': no problem of this kind."""
    assert repeated_key_problems("max_grant_eur", "1=5;2=6;;1a=7; 2b") == ()
    (problem,) = repeated_key_problems("max_grant_eur", " 1 =5;2=6;1= 7;1=8")
    assert problem.message == MESSAGE


@given(
    st.lists(
        st.tuples(st.sampled_from(["1", "2", "1.a", " 2 "]), st.integers(0, 9)),
        max_size=6,
    )
)
def test_the_keys_reported_are_those_given_twice(pairs: list[tuple[str, int]]) -> None:
    """One problem per key given more than once, however its spaces fall."""
    text = ";".join(f"{key}={value}" for key, value in pairs)
    keys = [key.strip() for key, _ in pairs]
    twice = sorted({key for key in keys if keys.count(key) > 1})
    problems = repeated_key_problems("max_grant_eur", text)
    assert sorted(problem.message.split("'")[1] for problem in problems) == twice
    assert all(problem.rule.id == "CK-HDR-004" for problem in problems)


def test_a_workbook_mapping_cell_that_is_a_number_has_no_keys(tmp_path: Path) -> None:
    """A number in a workbook's mapping cell: refused as no mapping, no key twice."""
    source = tmp_path / "data.xlsx"
    ck.dump_dataset(ck.load_example(), source)
    workbook = openpyxl.load_workbook(source)
    sheet = workbook["generations"]
    names = [str(cell.value) for cell in sheet[1]]
    cells: dict[str, object] = {**GENERATION, "max_grant_eur": 100000}
    sheet.append([cells.get(name) for name in names])
    workbook.save(source)
    report = ck.validate(source, as_of=AS_OF, select=["CK-HDR", "CK-TYPE"])
    assert [(f.rule, f.location.field) for f in report.findings] == [
        ("CK-TYPE-001", "max_grant_eur")
    ]
