"""Rebuild the validator conformance cases under `tests/data/invalid/`.

Every case folder is a copy of the valid dataset `tests/data/valid/base/` with one
small edit, and an `expected.json` that lists every finding the validator must give
on that folder with `as_of = 2026-01-01`. Lines are physical lines (header = 1) and
are worked out from the files as written, so blank lines and quoted cells that span
lines are counted as an editor shows them.

Run from anywhere: `python tests/data/make_invalid.py`. The output is deterministic
(UTF-8, LF newlines, the csv module's minimal quoting); case folders are removed
and written again, `tests/data/invalid/README.md` is kept.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import shutil
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from clusterkit.models import reference_generations
from clusterkit.rules import CATALOGUE

HERE = Path(__file__).resolve().parent
BASE = HERE / "valid" / "base"
INVALID = HERE / "invalid"
WORKBOOK = "dataset.xlsx"

HEADER = "header"
"""Row key of the header row (line 1)."""

Key = tuple[str, ...]
"""A row key: the leading cells of the row (its id; partnership and country of a target)."""


@dataclass
class Table:
    """One CSV table: its header and its rows, `None` standing for a blank line."""

    header: list[str]
    rows: list[list[str] | None]

    @classmethod
    def parse(cls, text: str) -> Table:
        """Read a table from CSV text, keeping blank lines as `None` rows."""
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        header = next(reader)
        rows: list[list[str] | None] = [cells or None for cells in reader]
        return cls(header, rows)

    def render(self) -> str:
        """The table as CSV text: minimal quoting, LF newlines."""
        return "".join(self._render_row(row) for row in [self.header, *self.rows])

    @staticmethod
    def _render_row(row: list[str] | None) -> str:
        if row is None:
            return "\n"
        buffer = io.StringIO(newline="")
        csv.writer(buffer, lineterminator="\n").writerow(row)
        return buffer.getvalue()

    def find(self, key: Key, occurrence: int = 0) -> int:
        """Index in `rows` of the `occurrence`-th row whose leading cells are `key`."""
        matches = [
            index
            for index, row in enumerate(self.rows)
            if row is not None and tuple(row[: len(key)]) == key
        ]
        return matches[occurrence]

    def line_of(self, index: int) -> int:
        """The physical line where row `index` starts (header = 1)."""
        before = self._render_row(self.header) + "".join(
            self._render_row(row) for row in self.rows[:index]
        )
        return before.count("\n") + 1

    def column(self, name: str) -> int:
        """0-based index of a column."""
        return self.header.index(name)

    def row(self, key: Key, occurrence: int = 0) -> list[str]:
        """The cells of the row with `key`."""
        row = self.rows[self.find(key, occurrence)]
        assert row is not None  # find() never returns a blank line
        return row

    def get(self, key: Key, name: str) -> str:
        """One cell of the row with `key`."""
        return self.row(key)[self.column(name)]

    def set(self, key: Key, name: str, value: str) -> None:
        """Set one cell of the row with `key`."""
        self.row(key)[self.column(name)] = value

    def record(self, values: dict[str, str]) -> list[str]:
        """A row for this header from cells by column name (others empty)."""
        return [values.get(name, "") for name in self.header]

    def add_column(self, name: str) -> None:
        """Add an empty column at the end of the header and every row."""
        self.header.append(name)
        for row in self.rows:
            if row is not None:
                row.append("")

    def drop_column(self, name: str) -> None:
        """Remove a column from the header and every row."""
        index = self.column(name)
        del self.header[index]
        for row in self.rows:
            if row is not None:
                del row[index]


@dataclass
class Data:
    """A dataset being edited: tables by name, and files written as raw bytes."""

    tables: dict[str, Table]
    raw: dict[str, bytes] = field(default_factory=dict)
    sheets: dict[str, str] = field(default_factory=dict)
    """Sheets of a copy of the dataset as `dataset.xlsx`, beyond one per table:
    the table each copies, by sheet name. The case is then read from the workbook."""
    files: dict[str, str] = field(default_factory=dict)
    """The file name of a table written under another name than `<table>.csv`."""
    copies: dict[str, str] = field(default_factory=dict)
    """Files beyond one per table, by path in the case folder: the table each copies."""

    def __getitem__(self, table: str) -> Table:
        return self.tables[table]


@dataclass(frozen=True)
class Expect:
    """One finding the validator must give: rule, table, row and field."""

    rule: str
    table: str
    row: Key | str | None
    field: str | None
    occurrence: int = 0
    follows: int | None = None
    """The index, in the case's list, of the finding this one follows from."""
    file: str | None = None
    """The file of the finding, when it is not the table's CSV file."""

    def resolve(self, data: Data) -> dict[str, Any]:
        """The finding as written to `expected.json`, its line worked out."""
        line: int | None
        if self.row is None:
            line = None
        elif self.row == HEADER:
            line = 1
        else:
            table = data[self.table]
            key = (self.row,) if isinstance(self.row, str) else self.row
            line = table.line_of(table.find(key, self.occurrence))
        resolved: dict[str, Any] = {
            "rule": self.rule,
            "file": self.file or f"{self.table}.csv",
            "line": line,
            "field": self.field,
        }
        if self.follows is not None:
            resolved["follows"] = self.follows
        return resolved


Edit = Callable[[Data], list[Expect]]


@dataclass(frozen=True)
class Case:
    """One case folder: its name, the rule it is about, what was changed, the edit."""

    name: str
    rule: str
    description: str
    edit: Edit
    options: dict[str, Any] | None = None


CASES: list[Case] = []


def case(
    name: str, description: str, *, options: dict[str, Any] | None = None
) -> Callable[[Edit], Edit]:
    """Register an edit as the case folder `name` (a rule id, maybe with a suffix)."""
    rule = next(
        rule_id
        for rule_id in sorted(CATALOGUE, key=len, reverse=True)
        if name == rule_id or name.startswith(f"{rule_id}-")
    )

    def register(edit: Edit) -> Edit:
        CASES.append(Case(name, rule, description, edit, options))
        return edit

    return register


def load_base() -> Data:
    """The base dataset, checked to write back byte for byte as it was read."""
    tables: dict[str, Table] = {}
    for path in sorted(BASE.glob("*.csv")):
        text = path.read_text(encoding="utf-8")
        table = Table.parse(text)
        if table.render() != text:
            msg = f"{path} does not round-trip through the csv module; rewrite it"
            raise SystemExit(msg)
        tables[path.stem] = table
    return Data(tables)


def generation_row(generation_id: str, **changes: str) -> dict[str, str]:
    """A shipped generation as `generations.csv` cells, with some cells changed."""
    generation = next(g for g in reference_generations() if g.id == generation_id)
    cells: dict[str, str] = {}
    for name, value in generation.model_dump(mode="json").items():
        if value is None:
            cells[name] = ""
        elif isinstance(value, bool):
            cells[name] = "true" if value else "false"
        elif isinstance(value, list):
            cells[name] = ";".join(str(item) for item in value)
        elif isinstance(value, dict):
            cells[name] = ";".join(f"{key}={item}" for key, item in value.items())
        else:
            cells[name] = str(value)
    cells.update(changes)
    return cells


def add_generations(data: Data, *rows: dict[str, str]) -> None:
    """Give the dataset a `generations.csv` holding `rows`."""
    header = list(next(iter(reference_generations())).model_dump())
    table = Table(header, [])
    table.rows.extend(table.record(row) for row in rows)
    data.tables["generations"] = table


# --- Files and headers --------------------------------------------------------------


@case(
    "CK-FILE-001",
    "targets.csv re-encoded as UTF-16 (little-endian, with BOM): it cannot be "
    "decoded as UTF-8; the finding is on line 1, the line of the first byte that "
    "does not decode. No other table depends on targets for a finding, so the "
    "unreadable file is the only finding.",
)
def _file_utf16(data: Data) -> list[Expect]:
    text = data["targets"].render()
    data.raw["targets"] = codecs.BOM_UTF16_LE + text.encode("utf-16-le")
    return [Expect("CK-FILE-001", "targets", HEADER, None)]


@case(
    "CK-FILE-002",
    "clusters.csv written with ';' between cells, as Excel writes CSV where the "
    "comma is the decimal mark (its list cells quoted). It is read with ';', so "
    "the dataset is the valid base and the warning is the only finding.",
)
def _file_semicolons(data: Data) -> list[Expect]:
    table = data["clusters"]
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, delimiter=";", lineterminator="\n")
    writer.writerows([table.header, *(row or [] for row in table.rows)])
    data.raw["clusters"] = buffer.getvalue().encode("utf-8")
    return [Expect("CK-FILE-002", "clusters", HEADER, None)]


@case(
    "CK-FILE-003",
    "generations.csv, overriding the shipped escp-4i-2 with min_members 4, saved "
    "as Generations.csv: a table's file is named in lower case, so it is not read, "
    "the shipped generation applies (P2's 3 members are enough) and the misnamed "
    "file is the only finding.",
)
def _file_misnamed(data: Data) -> list[Expect]:
    add_generations(data, generation_row("escp-4i-2", min_members="4"))
    data.files["generations"] = "Generations.csv"
    return [Expect("CK-FILE-003", "generations", None, None, file="Generations.csv")]


@case(
    "CK-FILE-003-copy",
    "A copy of clusters.csv left in a subfolder, archive/clusters.csv: a table has "
    "one file, clusters.csv, so the copy is not read, and it is the only finding.",
)
def _file_copy(data: Data) -> list[Expect]:
    data.copies["archive/clusters.csv"] = "clusters"
    return [Expect("CK-FILE-003", "clusters", None, None, file="archive/clusters.csv")]


@case(
    "CK-HDR-001",
    "The required column 'acronym' removed from partnerships.csv (header and "
    "cells). The rows are still checked; a missing column is reported once, not "
    "as an empty cell on every row.",
)
def _hdr_missing(data: Data) -> list[Expect]:
    data["partnerships"].drop_column("acronym")
    return [Expect("CK-HDR-001", "partnerships", HEADER, "acronym")]


@case(
    "CK-HDR-002",
    "clusters.csv header 'website' misspelt 'Webiste' (hint: did you mean "
    "'website'?); the column is ignored.",
)
def _hdr_unknown(data: Data) -> list[Expect]:
    table = data["clusters"]
    table.header[table.column("website")] = "Webiste"
    return [Expect("CK-HDR-002", "clusters", HEADER, "webiste")]


@case(
    "CK-HDR-003",
    "clusters.csv gets a second 'city' column at the end (same values); the later "
    "column is ignored.",
)
def _hdr_duplicate(data: Data) -> list[Expect]:
    table = data["clusters"]
    index = table.column("city")
    for row in table.rows:
        if row is not None:
            row.append(row[index])
    table.header.append("city")
    return [Expect("CK-HDR-003", "clusters", HEADER, "city")]


@case(
    "CK-HDR-005",
    "The dataset as a workbook, dataset.xlsx, with a sheet per table and a second "
    "sheet 'Clusters ' copying 'clusters' (the case is read from the workbook; its "
    "CSV files are the valid base). The second sheet is not read.",
    options={"source": WORKBOOK},
)
def _hdr_two_sheets(data: Data) -> list[Expect]:
    data.sheets["Clusters "] = "clusters"
    return [Expect("CK-HDR-005", "clusters", None, None, file=WORKBOOK)]


@case(
    "CK-ROW-001",
    "Activity A4 (the line after the two-line row A2) gets one cell more than the "
    "header. The row is skipped; A4 is the only row nothing depends on (P1, SME-001 "
    "and DE-001 are referenced elsewhere).",
)
def _row_long(data: Data) -> list[Expect]:
    data["activities"].row(("A4",)).append("surplus")
    return [Expect("CK-ROW-001", "activities", "A4", None)]


@case(
    "CK-ROW-001-short",
    "Activity A4 lacks its last cell (one cell fewer than the header); the row is "
    "skipped.",
)
def _row_short(data: Data) -> list[Expect]:
    data["activities"].row(("A4",)).pop()
    return [Expect("CK-ROW-001", "activities", "A4", None)]


# --- Values -------------------------------------------------------------------------


@case("CK-TYPE-001", "Activity A4 smes_involved 'twelve' instead of 12.")
def _type_int(data: Data) -> list[Expect]:
    data["activities"].set(("A4",), "smes_involved", "twelve")
    return [Expect("CK-TYPE-001", "activities", "A4", "smes_involved")]


@case(
    "CK-TYPE-001-date",
    "Activity A4 start '2019-02-30': well-formed, but the day does not exist.",
)
def _type_date(data: Data) -> list[Expect]:
    data["activities"].set(("A4",), "start", "2019-02-30")
    return [Expect("CK-TYPE-001", "activities", "A4", "start")]


@case("CK-TYPE-001-empty", "Activity A4 has its required cell 'type' left empty.")
def _type_empty(data: Data) -> list[Expect]:
    data["activities"].set(("A4",), "type", "")
    return [Expect("CK-TYPE-001", "activities", "A4", "type")]


@case(
    "CK-TYPE-001-empty-id",
    "Cluster FR-001's id cell left empty: the row's id does not read, so SME-002, "
    "partnership P1 and activities A1 and A3, which name FR-001, refer to a "
    "cluster that is nowhere. Those four findings follow from the empty id (the "
    "root cause), carry no did-you-mean hint, and are folded under it.",
)
def _type_empty_id(data: Data) -> list[Expect]:
    data["clusters"].set(("FR-001",), "id", "")
    return [
        Expect("CK-TYPE-001", "clusters", ("",), "id"),
        Expect("CK-FK-005", "smes", "SME-002", "clusters", follows=0),
        Expect("CK-FK-003", "partnerships", "P1", "members", follows=0),
        Expect("CK-FK-007", "activities", "A1", "clusters", follows=0),
        Expect("CK-FK-007", "activities", "A3", "clusters", follows=0),
    ]


@case(
    "CK-TYPE-001-id",
    "Activity A4 id 'A4;A7': an id may not contain ';'.",
)
def _type_id(data: Data) -> list[Expect]:
    data["activities"].set(("A4",), "id", "A4;A7")
    return [Expect("CK-TYPE-001", "activities", "A4;A7", "id")]


@case(
    "CK-TYPE-002",
    "Activity A4 start written '10 June 2019' (the same day as the base's "
    "2019-06-10): accepted with a warning.",
)
def _type_non_iso(data: Data) -> list[Expect]:
    data["activities"].set(("A4",), "start", "10 June 2019")
    return [Expect("CK-TYPE-002", "activities", "A4", "start")]


@case(
    "CK-TYPE-003",
    "Activity A4 start written '03/04/2019': 3 April or 4 March, ambiguous.",
)
def _type_ambiguous(data: Data) -> list[Expect]:
    data["activities"].set(("A4",), "start", "03/04/2019")
    return [Expect("CK-TYPE-003", "activities", "A4", "start")]


@case("CK-ENUM-001", "Activity A4 type 'webinr' (hint: webinar).")
def _enum(data: Data) -> list[Expect]:
    data["activities"].set(("A4",), "type", "webinr")
    return [Expect("CK-ENUM-001", "activities", "A4", "type")]


@case("CK-COUNTRY-001", "Activity A4 host_country 'Atlantis', not a country.")
def _country_unknown(data: Data) -> list[Expect]:
    data["activities"].set(("A4",), "host_country", "Atlantis")
    return [Expect("CK-COUNTRY-001", "activities", "A4", "host_country")]


@case(
    "CK-COUNTRY-002",
    "Activity A4 host_country 'Korea': KP or KR, ambiguous.",
)
def _country_ambiguous(data: Data) -> list[Expect]:
    data["activities"].set(("A4",), "host_country", "Korea")
    return [Expect("CK-COUNTRY-002", "activities", "A4", "host_country")]


@case(
    "CK-COUNTRY-003",
    "Activity A4 host_country 'Germany' instead of 'DE': valid but not the ISO "
    "alpha-2 code; reported only when the rule is selected.",
    options={"select": ["CK-COUNTRY-003"]},
)
def _country_name(data: Data) -> list[Expect]:
    data["activities"].set(("A4",), "host_country", "Germany")
    return [Expect("CK-COUNTRY-003", "activities", "A4", "host_country")]


@case(
    "CK-COUNTRY-003-eu-code",
    "Cluster GR-001 country 'EL' (the EU code) instead of the ISO code 'GR'; its "
    "region EL30 stays right.",
    options={"select": ["CK-COUNTRY-003"]},
)
def _country_eu_code(data: Data) -> list[Expect]:
    data["clusters"].set(("GR-001",), "country", "EL")
    return [Expect("CK-COUNTRY-003", "clusters", "GR-001", "country")]


@case(
    "CK-COUNTRY-003-not-selected",
    "The CK-COUNTRY-003 edit (activity A4 host_country 'Germany') without selecting "
    "the rule: it is off by default, so there is no finding.",
)
def _country_name_default(data: Data) -> list[Expect]:
    data["activities"].set(("A4",), "host_country", "Germany")
    return []


@case(
    "CK-COUNTRY-004",
    "Activity A4 host_country 'Germny', one letter from Germany: read as DE, with a "
    "warning that the reading is a guess.",
)
def _country_typo(data: Data) -> list[Expect]:
    data["activities"].set(("A4",), "host_country", "Germny")
    return [Expect("CK-COUNTRY-004", "activities", "A4", "host_country")]


@case(
    "CK-COUNT-001",
    "Activity A4 (a webinar) c2c_meetings -2: a negative count. No other rule "
    "looks at c2c_meetings.",
)
def _count_negative(data: Data) -> list[Expect]:
    data["activities"].set(("A4",), "c2c_meetings", "-2")
    return [Expect("CK-COUNT-001", "activities", "A4", "c2c_meetings")]


# --- Identity and references --------------------------------------------------------


@case(
    "CK-PK-001",
    "Activity A5 renamed 'A4': duplicate id, reported at the later row (A5's, after "
    "the blank line), with A4's row as related.",
)
def _pk_activity(data: Data) -> list[Expect]:
    data["activities"].set(("A5",), "id", "A4")
    return [Expect("CK-PK-001", "activities", "A4", "id", occurrence=1)]


@case(
    "CK-PK-001-target",
    "A second target row (P1, CN) added at the end of targets.csv (priority "
    "secondary): the key (partnership, country) repeats.",
)
def _pk_target(data: Data) -> list[Expect]:
    table = data["targets"]
    table.rows.append(
        table.record({"partnership": "P1", "country": "CN", "priority": "secondary"})
    )
    return [Expect("CK-PK-001", "targets", ("P1", "CN"), "country", occurrence=1)]


@case(
    "CK-FK-001",
    "Activity A4 partnership 'P-1', which does not exist (P1 keeps A1-A3).",
)
def _fk_partnership(data: Data) -> list[Expect]:
    data["activities"].set(("A4",), "partnership", "P-1")
    return [Expect("CK-FK-001", "activities", "A4", "partnership")]


@case(
    "CK-FK-002",
    "Partnership P2 generation 'escp-4i-9', which neither the dataset nor the "
    "reference data defines. Checks that need P2's generation cannot run for P2.",
)
def _fk_generation(data: Data) -> list[Expect]:
    data["partnerships"].set(("P2",), "generation", "escp-4i-9")
    return [Expect("CK-FK-002", "partnerships", "P2", "generation")]


@case(
    "CK-FK-001-misspelt-id",
    "Partnership P2's own id misspelt 'P-2' in partnerships.csv, while its two "
    "targets and activities A5 and A6 still name P2. The first reference (target "
    "P2/CA) is the root: its hint says that 'P-2' has no activities and may be "
    "the misspelt id; the other three follow from it, without a hint. 'P-2' has "
    "no activities (CK-ORPHAN-001).",
)
def _fk_misspelt_id(data: Data) -> list[Expect]:
    data["partnerships"].set(("P2",), "id", "P-2")
    return [
        Expect("CK-FK-006", "targets", ("P2", "CA"), "partnership"),
        Expect("CK-FK-006", "targets", ("P2", "IN"), "partnership", follows=0),
        Expect("CK-FK-001", "activities", "A5", "partnership", follows=0),
        Expect("CK-FK-001", "activities", "A6", "partnership", follows=0),
        Expect("CK-ORPHAN-001", "partnerships", "P-2", "id"),
    ]


@case(
    "CK-FK-003",
    "Partnership P1 member 'PL-001' written 'PL-01' (unknown cluster). PL-001 is "
    "still referred to by activity A3, and P1 keeps three known members from three "
    "countries.",
)
def _fk_member(data: Data) -> list[Expect]:
    data["partnerships"].set(("P1",), "members", "DE-001;FR-001;IT-001;PL-01")
    return [Expect("CK-FK-003", "partnerships", "P1", "members")]


@case(
    "CK-FK-003-coordinator",
    "Partnership P1 coordinator and member 'IT-001' both written 'IT-01' (unknown "
    "cluster): one finding for the member, one for the coordinator; the "
    "coordinator is still among the members. IT-001 stays referred to by A2 and "
    "has no SMEs; P1 keeps three known members from three countries.",
)
def _fk_coordinator(data: Data) -> list[Expect]:
    table = data["partnerships"]
    table.set(("P1",), "coordinator", "IT-01")
    table.set(("P1",), "members", "DE-001;FR-001;IT-01;PL-001")
    return [
        Expect("CK-FK-003", "partnerships", "P1", "members"),
        Expect("CK-FK-003", "partnerships", "P1", "coordinator"),
    ]


@case(
    "CK-FK-004",
    "Activity A4 smes 'SME-01' instead of 'SME-001' (unknown SME); SME-001 is still "
    "listed on A1.",
)
def _fk_sme(data: Data) -> list[Expect]:
    data["activities"].set(("A4",), "smes", "SME-01")
    return [Expect("CK-FK-004", "activities", "A4", "smes")]


@case(
    "CK-FK-005",
    "SME-002 clusters 'FR-001;FR-009': FR-009 does not exist (FR-001 keeps SME-002 "
    "a member of P1's clusters).",
)
def _fk_sme_cluster(data: Data) -> list[Expect]:
    data["smes"].set(("SME-002",), "clusters", "FR-001;FR-009")
    return [Expect("CK-FK-005", "smes", "SME-002", "clusters")]


@case(
    "CK-FK-006",
    "Target (P2, IN) moved to partnership 'P-2', which does not exist (no activity "
    "targets IN; P2 keeps its target CA).",
)
def _fk_target(data: Data) -> list[Expect]:
    data["targets"].set(("P2", "IN"), "partnership", "P-2")
    return [Expect("CK-FK-006", "targets", ("P-2", "IN"), "partnership")]


@case(
    "CK-FK-007",
    "Activity A2 (the row that spans two lines) clusters 'IT-001;IT-009': IT-009 "
    "does not exist.",
)
def _fk_activity_cluster(data: Data) -> list[Expect]:
    data["activities"].set(("A2",), "clusters", "IT-001;IT-009")
    return [Expect("CK-FK-007", "activities", "A2", "clusters")]


@case(
    "CK-ORPHAN-001",
    "SME-004 removed from activity A6's smes (A6 keeps SME-003 and smes_involved "
    "5): no activity refers to SME-004 any more.",
)
def _orphan_sme(data: Data) -> list[Expect]:
    data["activities"].set(("A6",), "smes", "SME-003")
    return [Expect("CK-ORPHAN-001", "smes", "SME-004", "id")]


@case(
    "CK-ORPHAN-001-cluster",
    "A cluster HU-001 (Hungary, region HU11) added at the end of clusters.csv; no "
    "partnership, SME or activity refers to it.",
)
def _orphan_cluster(data: Data) -> list[Expect]:
    table = data["clusters"]
    table.rows.append(
        table.record(
            {
                "id": "HU-001",
                "name": "Budapest Biotech Cluster (fictional)",
                "country": "HU",
                "region": "HU11",
                "city": "Budapest",
                "ecosystems": "health",
            }
        )
    )
    return [Expect("CK-ORPHAN-001", "clusters", "HU-001", "id")]


@case(
    "CK-ORPHAN-001-partnership",
    "A partnership P3 (escp-4i-3, strand 1, members DE-001, FR-001 and IT-001, "
    "no dates, no targets, no grant) added at the end of partnerships.csv; it has "
    "no activities. It is in another generation than P1, so CK-PART-007 is silent.",
)
def _orphan_partnership(data: Data) -> list[Expect]:
    table = data["partnerships"]
    table.rows.append(
        table.record(
            {
                "id": "P3",
                "acronym": "OPTO-3",
                "name": "Optics Third Generation (fictional)",
                "generation": "escp-4i-3",
                "strand": "1",
                "funding": "co_funded",
                "coordinator": "DE-001",
                "members": "DE-001;FR-001;IT-001",
            }
        )
    )
    return [Expect("CK-ORPHAN-001", "partnerships", "P3", "id")]


# --- Time ---------------------------------------------------------------------------


@case(
    "CK-DATE-001",
    "Activity A1 end 2018-05-10, before its start 2018-05-14 (both inside P1's "
    "period).",
)
def _date_order(data: Data) -> list[Expect]:
    data["activities"].set(("A1",), "end", "2018-05-10")
    return [Expect("CK-DATE-001", "activities", "A1", "end")]


@case(
    "CK-DATE-001-generation",
    "generations.csv added with one new generation 'test-gen' (used by no "
    "partnership) whose start 2021-01-01 is after its end 2020-12-31.",
)
def _date_order_generation(data: Data) -> list[Expect]:
    add_generations(
        data,
        {
            "id": "test-gen",
            "name": "Test generation",
            "family": "ESCP-4i",
            "programme": "COSME",
            "start": "2021-01-01",
            "end": "2020-12-31",
        },
    )
    return [Expect("CK-DATE-001", "generations", "test-gen", "end")]


@case(
    "CK-DATE-002",
    "Activity A5 start 2018-02-20: before P2's start 2018-03-01 (but inside the "
    "generation).",
)
def _date_outside_start(data: Data) -> list[Expect]:
    data["activities"].set(("A5",), "start", "2018-02-20")
    return [Expect("CK-DATE-002", "activities", "A5", "start")]


@case(
    "CK-DATE-002-end",
    "Activity A6 end 2020-03-05: after P2's end, which is not given and defaults "
    "to escp-4i-2's end 2020-02-29.",
)
def _date_outside_end(data: Data) -> list[Expect]:
    data["activities"].set(("A6",), "end", "2020-03-05")
    return [Expect("CK-DATE-002", "activities", "A6", "end")]


@case(
    "CK-DATE-003",
    "Partnership P2 start 2017-11-01: before escp-4i-2's start 2017-12-01 (its "
    "activities stay inside the new period).",
)
def _date_partnership_start(data: Data) -> list[Expect]:
    data["partnerships"].set(("P2",), "start", "2017-11-01")
    return [Expect("CK-DATE-003", "partnerships", "P2", "start")]


@case(
    "CK-DATE-003-end",
    "Partnership P1 end 2020-03-31: after escp-4i-2's end 2020-02-29.",
)
def _date_partnership_end(data: Data) -> list[Expect]:
    data["partnerships"].set(("P1",), "end", "2020-03-31")
    return [Expect("CK-DATE-003", "partnerships", "P1", "end")]


@case(
    "CK-DATE-004",
    "Cluster FR-001 gets an ESCA label (silver) dated 2026-06-15, after as_of "
    "2026-01-01.",
)
def _date_future_label(data: Data) -> list[Expect]:
    table = data["clusters"]
    table.set(("FR-001",), "esca_label", "silver")
    table.set(("FR-001",), "esca_label_date", "2026-06-15")
    return [Expect("CK-DATE-004", "clusters", "FR-001", "esca_label_date")]


@case(
    "CK-DATE-004-target",
    "Target (P1, US) since 2026-02-01, after as_of 2026-01-01.",
)
def _date_future_target(data: Data) -> list[Expect]:
    data["targets"].set(("P1", "US"), "since", "2026-02-01")
    return [Expect("CK-DATE-004", "targets", ("P1", "US"), "since")]


@case(
    "CK-DATE-004-activity",
    "Activity A1 end 2026-01-02: after as_of, and therefore also after P1's end "
    "2020-01-31 (CK-DATE-002 on the end, as the start is inside).",
)
def _date_future_activity(data: Data) -> list[Expect]:
    data["activities"].set(("A1",), "end", "2026-01-02")
    return [
        Expect("CK-DATE-002", "activities", "A1", "end"),
        Expect("CK-DATE-004", "activities", "A1", "end"),
    ]


@case(
    "CK-DATE-005",
    "Partnership P1 start '2018-02' and end '2020-01', the base's 2018-02-01 and "
    "2020-01-31 given to the month; target (P1, JP) since '2018-06' (the base's "
    "2018-06-01); activity A1 end '2018' (2018-12-31, inside P1). Each is read as "
    "the first day of a start, the last of an end, so no other rule fires.",
)
def _date_partial(data: Data) -> list[Expect]:
    data["partnerships"].set(("P1",), "start", "2018-02")
    data["partnerships"].set(("P1",), "end", "2020-01")
    data["targets"].set(("P1", "JP"), "since", "2018-06")
    data["activities"].set(("A1",), "end", "2018")
    return [
        Expect("CK-DATE-005", "partnerships", "P1", "start"),
        Expect("CK-DATE-005", "partnerships", "P1", "end"),
        Expect("CK-DATE-005", "targets", ("P1", "JP"), "since"),
        Expect("CK-DATE-005", "activities", "A1", "end"),
    ]


@case(
    "CK-DATE-005-outside",
    "Activity A3 end '2020-02': given to the month, an end is the month's last "
    "day, 2020-02-29, after P1's end 2020-01-31 (CK-DATE-002 on the end).",
)
def _date_partial_outside(data: Data) -> list[Expect]:
    data["activities"].set(("A3",), "end", "2020-02")
    return [
        Expect("CK-DATE-002", "activities", "A3", "end"),
        Expect("CK-DATE-005", "activities", "A3", "end"),
    ]


@case(
    "CK-DATE-005-ignored",
    "The CK-DATE-005 edits with the rule ignored: the dates are valid, so there "
    "is no finding.",
    options={"ignore": ["CK-DATE-005"]},
)
def _date_partial_ignored(data: Data) -> list[Expect]:
    _date_partial(data)
    return []


# --- Geography ----------------------------------------------------------------------


@case(
    "CK-GEO-001",
    "Target (P2, IN) changed to (P2, CH): Switzerland is neither in the EU nor in "
    "COSME, but escp-4i-2's rule is beyond-europe, which excludes every European "
    "country. No activity targets it.",
)
def _geo_target(data: Data) -> list[Expect]:
    data["targets"].set(("P2", "IN"), "country", "CH")
    return [Expect("CK-GEO-001", "targets", ("P2", "CH"), "country")]


@case(
    "CK-GEO-001-activity",
    "Activity A6 target_country TR (a COSME participant on 2019-04-08, so not a "
    "third country); TR is also not among P2's targets (CK-GEO-002).",
)
def _geo_activity(data: Data) -> list[Expect]:
    data["activities"].set(("A6",), "target_country", "TR")
    return [
        Expect("CK-GEO-001", "activities", "A6", "target_country"),
        Expect("CK-GEO-002", "activities", "A6", "target_country"),
    ]


@case(
    "CK-GEO-002",
    "Activity A4 target_country KR (a third country) that P1 does not declare "
    "among its targets US, CN, JP.",
)
def _geo_undeclared(data: Data) -> list[Expect]:
    data["activities"].set(("A4",), "target_country", "KR")
    return [Expect("CK-GEO-002", "activities", "A4", "target_country")]


@case(
    "CK-GEO-003",
    "Cluster AT-001 (no region) moved to Switzerland (country CH): a member of P2 "
    "outside the EU and COSME on P2's start 2018-03-01. P2 still has three member "
    "countries (ES, GR, CH).",
)
def _geo_member(data: Data) -> list[Expect]:
    data["clusters"].set(("AT-001",), "country", "CH")
    return [Expect("CK-GEO-003", "partnerships", "P2", "members")]


@case(
    "CK-GEO-004",
    "Cluster GR-001 region 'GR30' instead of 'EL30': a Greek NUTS code starts with "
    "the EU code EL.",
)
def _geo_region(data: Data) -> list[Expect]:
    data["clusters"].set(("GR-001",), "region", "GR30")
    return [Expect("CK-GEO-004", "clusters", "GR-001", "region")]


# --- Partnership structure ----------------------------------------------------------


@case(
    "CK-PART-001",
    "AT-001 removed from P2's members: two members (min_members 3) and so also two "
    "member countries (CK-PART-002). AT-001 is still referred to by activity A6.",
)
def _part_members(data: Data) -> list[Expect]:
    data["partnerships"].set(("P2",), "members", "ES-001;GR-001")
    return [
        Expect("CK-PART-001", "partnerships", "P2", "members"),
        Expect("CK-PART-002", "partnerships", "P2", "members"),
    ]


@case(
    "CK-PART-001-min-members",
    "generations.csv added, overriding the shipped escp-4i-2 with every value kept "
    "but min_members 4: P2 has 3 members (P1 has 4).",
)
def _part_min_members(data: Data) -> list[Expect]:
    add_generations(data, generation_row("escp-4i-2", min_members="4"))
    return [Expect("CK-PART-001", "partnerships", "P2", "members")]


@case(
    "CK-PART-002",
    "Cluster AT-001 (no region) moved to Spain (country ES): P2's members are in "
    "two countries, ES and GR.",
)
def _part_countries(data: Data) -> list[Expect]:
    data["clusters"].set(("AT-001",), "country", "ES")
    return [Expect("CK-PART-002", "partnerships", "P2", "members")]


@case(
    "CK-PART-003",
    "Partnership P2 coordinator BE-001: an existing cluster (a supporting "
    "organisation on activity A5) that is a member of no partnership.",
)
def _part_coordinator(data: Data) -> list[Expect]:
    data["partnerships"].set(("P2",), "coordinator", "BE-001")
    return [Expect("CK-PART-003", "partnerships", "P2", "coordinator")]


@case(
    "CK-PART-004",
    "Partnership P2 strand '3', not one of escp-4i-2's strands 1.a, 1.b, 2 (its "
    "grant 150000 is below every cap).",
)
def _part_strand(data: Data) -> list[Expect]:
    data["partnerships"].set(("P2",), "strand", "3")
    return [Expect("CK-PART-004", "partnerships", "P2", "strand")]


@case(
    "CK-PART-005",
    "Partnership P2 funding 'voluntary' and its grant removed: escp-4i-2 has no "
    "voluntary partnerships.",
)
def _part_voluntary(data: Data) -> list[Expect]:
    table = data["partnerships"]
    table.set(("P2",), "funding", "voluntary")
    table.set(("P2",), "grant_eur", "")
    return [Expect("CK-PART-005", "partnerships", "P2", "funding")]


@case(
    "CK-PART-006",
    "Partnership P2 (strand 1.a) grant 250000: above the strand's cap 200000 "
    "(though below strand 2's cap 448750).",
)
def _part_grant(data: Data) -> list[Expect]:
    data["partnerships"].set(("P2",), "grant_eur", "250000")
    return [Expect("CK-PART-006", "partnerships", "P2", "grant_eur")]


@case(
    "CK-PART-006-voluntary",
    "Partnership P2 funding 'voluntary' with its grant 150000 kept: a voluntary "
    "partnership in escp-4i-2 (CK-PART-005) that has a grant (CK-PART-006).",
)
def _part_grant_voluntary(data: Data) -> list[Expect]:
    data["partnerships"].set(("P2",), "funding", "voluntary")
    return [
        Expect("CK-PART-005", "partnerships", "P2", "funding"),
        Expect("CK-PART-006", "partnerships", "P2", "grant_eur"),
    ]


@case(
    "CK-PART-007",
    "PL-001, a member of P1, added to P2's members: one cluster in two partnerships "
    "of escp-4i-2, reported on the later partnership P2.",
)
def _part_twice(data: Data) -> list[Expect]:
    data["partnerships"].set(("P2",), "members", "ES-001;GR-001;AT-001;PL-001")
    return [Expect("CK-PART-007", "partnerships", "P2", "members")]


@case(
    "CK-PART-008",
    "generations.csv added, overriding the shipped escp-4i-2 with every value kept "
    "but min_target_countries 3: P2 has two targets (error), P1 three.",
)
def _part_targets_min(data: Data) -> list[Expect]:
    add_generations(data, generation_row("escp-4i-2", min_target_countries="3"))
    return [Expect("CK-PART-008", "partnerships", "P2", "id")]


@case(
    "CK-PART-008-max",
    "generations.csv added, overriding the shipped escp-4i-2 with every value kept "
    "but max_target_countries 2: P1 has three targets (warning), P2 two.",
)
def _part_targets_max(data: Data) -> list[Expect]:
    add_generations(data, generation_row("escp-4i-2", max_target_countries="2"))
    return [Expect("CK-PART-008", "partnerships", "P1", "id")]


# --- Counts and SMEs ----------------------------------------------------------------


@case(
    "CK-COUNT-002",
    "Activity A1 smes_involved 1 while it lists two SMEs.",
)
def _count_smes(data: Data) -> list[Expect]:
    data["activities"].set(("A1",), "smes_involved", "1")
    return [Expect("CK-COUNT-002", "activities", "A1", "smes_involved")]


@case("CK-COUNT-003", "Activity A4, a webinar, b2b_meetings 4.")
def _count_webinar(data: Data) -> list[Expect]:
    data["activities"].set(("A4",), "b2b_meetings", "4")
    return [Expect("CK-COUNT-003", "activities", "A4", "b2b_meetings")]


@case(
    "CK-COUNT-003-matchmaking",
    "Activity A3, a b2b_matchmaking, b2b_meetings 0.",
)
def _count_matchmaking(data: Data) -> list[Expect]:
    data["activities"].set(("A3",), "b2b_meetings", "0")
    return [Expect("CK-COUNT-003", "activities", "A3", "b2b_meetings")]


@case(
    "CK-COUNT-003-matchmaking-default",
    "Activity A3, a b2b_matchmaking, b2b_meetings left empty: it defaults to 0.",
)
def _count_matchmaking_default(data: Data) -> list[Expect]:
    data["activities"].set(("A3",), "b2b_meetings", "")
    return [Expect("CK-COUNT-003", "activities", "A3", "b2b_meetings")]


@case(
    "CK-SME-001",
    "SME-001 size_class 'small' while its figures (8 staff, EUR 1.5m turnover, "
    "EUR 1.2m balance sheet) make it micro.",
)
def _sme_class(data: Data) -> list[Expect]:
    data["smes"].set(("SME-001",), "size_class", "small")
    return [Expect("CK-SME-001", "smes", "SME-001", "size_class")]


@case(
    "CK-SME-002",
    "SME-003 headcount 300 (size_class cleared, so no class is contradicted): above "
    "the medium ceiling of 250 staff.",
)
def _sme_large_staff(data: Data) -> list[Expect]:
    table = data["smes"]
    table.set(("SME-003",), "headcount", "300")
    table.set(("SME-003",), "size_class", "")
    return [Expect("CK-SME-002", "smes", "SME-003", "headcount")]


@case(
    "CK-SME-002-turnover",
    "SME-003 turnover EUR 60m and balance sheet EUR 45m with 120 staff (size_class "
    "cleared): both above the medium ceilings (EUR 50m, EUR 43m).",
)
def _sme_large_money(data: Data) -> list[Expect]:
    table = data["smes"]
    table.set(("SME-003",), "turnover_eur", "60000000")
    table.set(("SME-003",), "balance_sheet_eur", "45000000")
    table.set(("SME-003",), "size_class", "")
    return [Expect("CK-SME-002", "smes", "SME-003", "turnover_eur")]


@case(
    "CK-SME-003",
    "Activity A5 (partnership P2) lists SME-002, a member of FR-001 only, which is "
    "not a member of P2 (A5 gives no smes_involved).",
)
def _sme_outside(data: Data) -> list[Expect]:
    data["activities"].set(("A5",), "smes", "SME-002")
    return [Expect("CK-SME-003", "activities", "A5", "smes")]


# --- Duplicates and identifiers ----------------------------------------------------


@case(
    "CK-DUP-001",
    "An SME SME-005 'LUMEN-OPTICS GMBH (Fictional)' (DE, cluster DE-001) added at "
    "the end of smes.csv: SME-001's name 'Lumen Optics GmbH (fictional)' in "
    "another case and punctuation. Activity A4 lists it instead of SME-001, so it "
    "is no orphan. Reported at SME-005's name, with SME-001 as related.",
)
def _same_sme_name(data: Data) -> list[Expect]:
    smes = data["smes"]
    smes.rows.append(
        smes.record(
            {
                "id": "SME-005",
                "name": "LUMEN-OPTICS GMBH (Fictional)",
                "country": "DE",
                "clusters": "DE-001",
            }
        )
    )
    data["activities"].set(("A4",), "smes", "SME-005")
    return [Expect("CK-DUP-001", "smes", "SME-005", "name")]


@case(
    "CK-DUP-001-vat",
    "A vat column added to smes.csv: SME-001 gives DE136695976, and a new SME "
    "SME-005 'Photon Werk (fictional)' (DE, cluster DE-001) gives 'DE 136 695 976', "
    "the same number as written with spaces. Activity A4 lists SME-005 instead of "
    "SME-001. Reported at SME-005's vat.",
)
def _same_sme_vat(data: Data) -> list[Expect]:
    smes = data["smes"]
    smes.add_column("vat")
    smes.set(("SME-001",), "vat", "DE136695976")
    smes.rows.append(
        smes.record(
            {
                "id": "SME-005",
                "name": "Photon Werk (fictional)",
                "country": "DE",
                "clusters": "DE-001",
                "vat": "DE 136 695 976",
            }
        )
    )
    data["activities"].set(("A4",), "smes", "SME-005")
    return [Expect("CK-DUP-001", "smes", "SME-005", "vat")]


@case(
    "CK-DUP-001-pic",
    "A pic column added to clusters.csv: DE-001 gives 999999999, and a new cluster "
    "DE-002 'Munich Laser Network (fictional)' (DE) with the same PIC is added and "
    "made a member of P1, so it is no orphan. Reported at DE-002's pic.",
)
def _same_cluster_pic(data: Data) -> list[Expect]:
    clusters = data["clusters"]
    clusters.add_column("pic")
    clusters.set(("DE-001",), "pic", "999999999")
    clusters.rows.append(
        clusters.record(
            {
                "id": "DE-002",
                "name": "Munich Laser Network (fictional)",
                "country": "DE",
                "pic": "999999999",
            }
        )
    )
    data["partnerships"].set(("P1",), "members", "DE-001;FR-001;IT-001;PL-001;DE-002")
    return [Expect("CK-DUP-001", "clusters", "DE-002", "pic")]


@case(
    "CK-DUP-002",
    "Activity A1 smes 'SME-001;SME-002;SME-001': SME-001 listed twice (A1's "
    "smes_involved 2 still covers its two distinct SMEs).",
)
def _repeated_sme(data: Data) -> list[Expect]:
    data["activities"].set(("A1",), "smes", "SME-001;SME-002;SME-001")
    return [Expect("CK-DUP-002", "activities", "A1", "smes")]


@case(
    "CK-DUP-002-members",
    "Partnership P2 members 'ES-001;GR-001;AT-001;GR-001;ES-001': two ids listed "
    "twice, two findings at the one cell.",
)
def _repeated_members(data: Data) -> list[Expect]:
    data["partnerships"].set(("P2",), "members", "ES-001;GR-001;AT-001;GR-001;ES-001")
    return [
        Expect("CK-DUP-002", "partnerships", "P2", "members"),
        Expect("CK-DUP-002", "partnerships", "P2", "members"),
    ]


@case(
    "CK-ID-001",
    "A vat column added to clusters.csv: GR-001 gives GR094259216, a valid Greek "
    "number written with the ISO code GR instead of the VAT prefix EL.",
)
def _vat_prefix(data: Data) -> list[Expect]:
    clusters = data["clusters"]
    clusters.add_column("vat")
    clusters.set(("GR-001",), "vat", "GR094259216")
    return [Expect("CK-ID-001", "clusters", "GR-001", "vat")]


@case(
    "CK-ID-001-check",
    "A vat column added to smes.csv: SME-001 (DE) gives DE136695975, whose check "
    "digit is wrong (DE136695976 is valid), and SME-002 (FR) gives 40303265045, a "
    "valid French number without its prefix, which is accepted.",
)
def _vat_check(data: Data) -> list[Expect]:
    smes = data["smes"]
    smes.add_column("vat")
    smes.set(("SME-001",), "vat", "DE136695975")
    smes.set(("SME-002",), "vat", "40303265045")
    return [Expect("CK-ID-001", "smes", "SME-001", "vat")]


@case(
    "CK-ID-002",
    "A pic column added to smes.csv: SME-003 gives 99999999, eight digits.",
)
def _pic_digits(data: Data) -> list[Expect]:
    smes = data["smes"]
    smes.add_column("pic")
    smes.set(("SME-003",), "pic", "99999999")
    return [Expect("CK-ID-002", "smes", "SME-003", "pic")]


# --- Writing ------------------------------------------------------------------------


def write_workbook(data: Data, path: Path) -> None:
    """The dataset as a workbook of text cells, a sheet per table, then `data.sheets`."""
    from openpyxl import Workbook  # noqa: PLC0415 - only for the workbook cases

    workbook = Workbook()
    for blank in workbook.worksheets:
        workbook.remove(blank)
    sheets = {name: name for name in data.tables} | data.sheets
    for sheet_name, table_name in sheets.items():
        table = data[table_name]
        sheet = workbook.create_sheet(sheet_name)
        for row in [table.header, *table.rows]:
            if row is not None:
                sheet.append([cell or None for cell in row])
    workbook.save(path)


def write_case(item: Case) -> None:
    """Write one case folder from a fresh copy of the base."""
    data = load_base()
    expected = item.edit(data)
    folder = INVALID / item.name
    folder.mkdir(parents=True)
    for name, table in data.tables.items():
        path = folder / data.files.get(name, f"{name}.csv")
        if name in data.raw:
            path.write_bytes(data.raw[name])
        else:
            path.write_text(table.render(), encoding="utf-8", newline="")
    for place, name in data.copies.items():
        path = folder / place
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(data[name].render(), encoding="utf-8", newline="")
    if data.sheets:
        write_workbook(data, folder / WORKBOOK)
    document: dict[str, Any] = {"rule": item.rule, "description": item.description}
    if item.options is not None:
        document["options"] = item.options
    document["findings"] = [finding.resolve(data) for finding in expected]
    text = json.dumps(document, indent=2, ensure_ascii=False) + "\n"
    (folder / "expected.json").write_text(text, encoding="utf-8", newline="")


def main() -> None:
    """Remove the old case folders and write every case again."""
    names = [item.name for item in CASES]
    if len(set(names)) != len(names):
        raise SystemExit("two cases share a folder name")
    # CK-HDR-004 (a key given twice) cannot be written in CSV: the tests of
    # hostile JSON check it.
    missing = sorted(set(CATALOGUE) - set(names) - {"CK-HDR-004"})
    if missing:
        raise SystemExit(f"no case folder named after {', '.join(missing)}")
    INVALID.mkdir(exist_ok=True)
    for folder in INVALID.iterdir():
        if folder.is_dir() and folder.name.startswith("CK-"):
            shutil.rmtree(folder)
    for item in sorted(CASES, key=lambda item: item.name):
        write_case(item)


if __name__ == "__main__":
    main()
