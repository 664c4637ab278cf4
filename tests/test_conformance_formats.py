"""The conformance cases give the same findings in every format they can be written in.

Each case of `tests/data/invalid` is a CSV folder. A case whose findings are not
about CSV text itself (no CK-FILE, CK-HDR or CK-ROW rule) is written, from its raw
CSV text, as a JSON Lines folder, a JSON document, a mapping and a workbook, and
each form must give the CSV folder's findings up to location: the same rule on the
same field of the same record.

The forms carry the cells as a user would type them, not as clusterkit writes
them: every value is the cell's text (`"12"` stays a string, which the readers
accept for numbers), list fields are JSON arrays of the `;`-separated items (the
same `;`-text in a workbook), mapping fields are objects of `key=value` pairs, and
an empty cell is left out.
"""

from __future__ import annotations

import csv
import datetime as dt
import functools
import json
from pathlib import Path
from typing import Any

import pytest
from openpyxl import Workbook
from openpyxl.cell import WriteOnlyCell

import clusterkit as ck
from clusterkit.models import TABLES, dict_fields, list_fields
from clusterkit.rules import CATALOGUE

AS_OF = dt.date(2026, 1, 1)
CASES_FOLDER = Path(__file__).parent / "data" / "invalid"
ALL_CASES = sorted(path for path in CASES_FOLDER.iterdir() if path.is_dir())
# Rules about CSV text itself (its encoding, its header, its row shapes).
CSV_TEXT_RULES = ("CK-FILE", "CK-HDR", "CK-ROW")
FORMS = ("jsonl", "json", "mapping", "xlsx")

Table = tuple[list[str], list[dict[str, str]]]
Key = tuple[str, str | None, str | None, str | None]


def expected_of(case: Path) -> dict[str, Any]:
    """The case's `expected.json`."""
    data: dict[str, Any] = json.loads(
        (case / "expected.json").read_text(encoding="utf-8")
    )
    return data


def about_csv_text(case: Path) -> bool:
    """Whether a case expects a finding about CSV text itself."""
    rules = [item["rule"] for item in expected_of(case)["findings"]]
    return any(rule.startswith(CSV_TEXT_RULES) for rule in rules)


CASES = [case for case in ALL_CASES if not about_csv_text(case)]


def read_tables(case: Path) -> dict[str, Table]:
    """Each table file of a case: its field names and its rows of non-empty cells."""
    tables: dict[str, Table] = {}
    for table in TABLES:
        path = case / f"{table}.csv"
        if not path.exists():
            continue
        with path.open(encoding="utf-8-sig", newline="") as handle:
            rows = [row for row in csv.reader(handle) if "".join(row).strip()]
        header = [name.strip().lower() for name in rows[0]]
        cells = [
            {name: text for name, text in zip(header, row, strict=True) if text.strip()}
            for row in rows[1:]
        ]
        tables[table] = (header, cells)
    return tables


def json_value(table: str, field: str, text: str) -> Any:
    """One cell as JSON: a list of items, an object of pairs, or the text itself."""
    model = TABLES[table]
    if field in list_fields(model):
        return [item.strip() for item in text.split(";") if item.strip()]
    if field in dict_fields(model):
        pairs = (item.partition("=") for item in text.split(";") if item.strip())
        return {key.strip(): value.strip() for key, _, value in pairs}
    return text


def document_of(tables: dict[str, Table]) -> dict[str, list[dict[str, Any]]]:
    """The tables as the mapping of a JSON document."""
    return {
        table: [
            {field: json_value(table, field, text) for field, text in row.items()}
            for row in rows
        ]
        for table, (_, rows) in tables.items()
    }


def write_jsonl(folder: Path, document: dict[str, list[dict[str, Any]]]) -> Path:
    """The document as a JSON Lines folder, a file per table."""
    folder.mkdir()
    for table, records in document.items():
        lines = "".join(json.dumps(record) + "\n" for record in records)
        (folder / f"{table}.jsonl").write_text(lines, encoding="utf-8")
    return folder


def write_json(path: Path, document: dict[str, list[dict[str, Any]]]) -> Path:
    """The document as one JSON file."""
    path.write_text(json.dumps(document, indent=1), encoding="utf-8")
    return path


def write_xlsx(path: Path, tables: dict[str, Table]) -> Path:
    """The tables as a workbook: a sheet per table, every cell as text."""
    workbook = Workbook(write_only=True)
    for table, (header, rows) in tables.items():
        sheet = workbook.create_sheet(title=table)
        sheet.append(header)
        for row in rows:
            sheet.append([text_cell(sheet, row.get(field)) for field in header])
    workbook.save(path)
    return path


def text_cell(sheet: Any, text: str | None) -> Any:
    """A cell holding `text` as text: text starting with `=` is not a formula."""
    if text is None or not text.startswith("="):
        return text
    cell = WriteOnlyCell(sheet, value=text)
    cell.data_type = "s"
    return cell


def source_in(form: str, case: Path, where: Path) -> Any:
    """The case written as `form` under `where`."""
    tables = read_tables(case)
    if form == "xlsx":
        return write_xlsx(where / "data.xlsx", tables)
    document = document_of(tables)
    if form == "jsonl":
        return write_jsonl(where / "data", document)
    if form == "json":
        return write_json(where / "data.json", document)
    return document


def findings(report: ck.Report) -> list[Key]:
    """Each finding up to location: (rule, entity table, entity id, field), sorted."""
    return sorted(
        (
            finding.rule,
            finding.entity.table if finding.entity else None,
            finding.entity.id if finding.entity else None,
            finding.location.field,
        )
        for finding in report.findings
    )


def check(source: Any, case: Path) -> list[Key]:
    """The findings of a source of a case, with the case's options."""
    options = expected_of(case).get("options", {})
    return findings(ck.validate(source, as_of=AS_OF, **options))


@functools.cache
def csv_findings(case: Path) -> list[Key]:
    """The findings of the case's CSV folder."""
    return check(case, case)


def _params() -> list[Any]:
    return [
        pytest.param(case, form, id=f"{case.name}-{form}")
        for case in CASES
        for form in FORMS
    ]


@pytest.mark.parametrize(("case", "form"), _params())
def test_a_case_gives_the_same_findings_in_every_form(
    tmp_path: Path, case: Path, form: str
) -> None:
    """A case written as JSON Lines, JSON, a mapping or a workbook gives the CSV findings."""
    assert check(source_in(form, case, tmp_path), case) == csv_findings(case)


def test_every_rule_not_about_csv_text_is_checked_in_every_form() -> None:
    """The cases written in every form cover each rule that is not about CSV text."""
    covered = {item["rule"] for case in CASES for item in expected_of(case)["findings"]}
    rules = {rule for rule in CATALOGUE if not rule.startswith(CSV_TEXT_RULES)}
    assert rules <= covered


@pytest.mark.parametrize("form", ["json", "mapping", "xlsx"])
def test_text_that_looks_like_a_number_or_formula_stays_text(
    tmp_path: Path, form: str
) -> None:
    """Cells written as text (`"12"`, `"=1+1"`) read as a user typed them."""
    case = tmp_path / "case"
    case.mkdir()
    (case / "activities.csv").write_text(
        "id,partnership,type,start,title,b2b_meetings\n"
        "A1,P1,webinar,2018-05-14,=1+1,12\n",
        encoding="utf-8",
    )
    source = source_in(form, case, tmp_path)
    (activity,) = ck.load_dataset(source).activities
    assert (activity.title, activity.b2b_meetings) == ("=1+1", 12)
