"""Details of the validator: workbook columns, vocabularies, bounded memory, the registry."""

from __future__ import annotations

import csv
import datetime as dt
import gc
import io
import json
import shutil
from decimal import Decimal
from pathlib import Path

import openpyxl
import pytest

import clusterkit as ck
from clusterkit._scan import _cells, _verdicts
from clusterkit.io import _chunk
from clusterkit.models import ThirdCountryRule
from clusterkit.report import Entity, Finding, Report, Severity, Summary, finding_json
from clusterkit.rules import CATALOGUE, _context
from clusterkit.rules._registry import check
from clusterkit.values import Location

AS_OF = dt.date(2026, 1, 1)
DATA = Path(__file__).parent / "data"
BASE = DATA / "valid" / "base"


def found(report: Report) -> list[tuple[str, str | None, int | None, str | None]]:
    """The findings as (rule, cell or pointer, line, field), in report order."""
    return [
        (
            f.rule,
            f.location.cell or f.location.pointer,
            f.location.line,
            f.location.field,
        )
        for f in report.findings
    ]


def copy_base(tmp_path: Path) -> Path:
    """A copy of the valid base dataset to edit."""
    folder = tmp_path / "data"
    shutil.copytree(BASE, folder)
    return folder


def set_cells(table: Path, changes: dict[int, dict[str, str]]) -> list[dict[str, str]]:
    """Rewrite some cells of a CSV table: {row index: {column: text}}; the new rows."""
    rows = list(csv.DictReader(io.StringIO(table.read_text(encoding="utf-8"))))
    for index, cells in changes.items():
        rows[index].update(cells)
    with table.open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, list(rows[0]))
        writer.writeheader()
        writer.writerows(rows)
    return rows


def test_workbook_columns_are_reported_and_ignored(tmp_path: Path) -> None:
    """In a workbook, unknown, missing and extra columns are findings; reading goes on."""
    book = tmp_path / "data.xlsx"
    ck.dump_dataset(ck.load_dataset(BASE), book)
    workbook = openpyxl.load_workbook(book)
    sheet = workbook["activities"]
    sheet.cell(1, 3).value = "Typ"  # 'type' misspelt: unknown, and 'type' is missing
    sheet.cell(3, 40).value = "stray"  # a value beyond the header
    workbook.save(book)
    report = ck.validate(book, as_of=AS_OF)
    assert found(report) == [
        ("CK-HDR-001", None, None, "type"),
        ("CK-HDR-002", "C1", 1, "typ"),
        ("CK-ROW-001", "AN3", 3, None),
    ]
    unknown = next(f for f in report.findings if f.rule == "CK-HDR-002")
    assert unknown.hint == "did you mean 'type'?"


def test_a_json_document_array_of_many_rows_is_read_in_batches(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Batches after the first keep counting rows: pointers stay right."""
    monkeypatch.setattr(_chunk, "BATCH_ROWS", 2)
    document = tmp_path / "d.json"
    ck.dump_dataset(ck.load_dataset(BASE), document)
    data = json.loads(document.read_text(encoding="utf-8"))
    data["activities"][4]["partnership"] = "P9"
    document.write_text(json.dumps(data), encoding="utf-8")
    report = ck.validate(document, as_of=AS_OF)
    assert ("CK-FK-001", "/activities/4/partnership", 1, "partnership") in found(report)


def test_a_list_item_of_the_wrong_type_is_named(tmp_path: Path) -> None:
    """A JSON list holding an object names the item that is wrong."""
    folder = tmp_path / "data.jsonl"
    ck.dump_dataset(ck.load_dataset(BASE), folder, layout="jsonl")
    lines = (folder / "activities.jsonl").read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["smes"] = [{}]
    lines[0] = json.dumps(first)
    (folder / "activities.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ck.validate(folder, as_of=AS_OF, select=["CK-TYPE"])
    [finding] = report.findings
    assert finding.location.field == "smes"
    assert finding.message.startswith("item 0 ({})")


def test_json_list_items_are_stripped_and_an_empty_one_is_named(
    tmp_path: Path,
) -> None:
    """A JSON list of ids with space around an item, or an empty item, reads as CSV."""
    folder = tmp_path / "data.jsonl"
    ck.dump_dataset(ck.load_dataset(BASE), folder, layout="jsonl")
    path = folder / "activities.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first["smes"] = [" SME-001", "SME-002 "]
    lines[0] = json.dumps(first)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert ck.validate(folder, as_of=AS_OF).findings == ()
    assert ck.load_dataset(folder).activities[0].smes == ("SME-001", "SME-002")
    first["smes"] = ["SME-001", ""]
    lines[0] = json.dumps(first)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [finding] = ck.validate(folder, as_of=AS_OF).findings
    assert (finding.rule, finding.location.field) == ("CK-TYPE-001", "smes")
    assert finding.message.startswith("item 1 ('')")


_NOT_AN_ID = (
    "is not a valid id: an id has 1 to 64 characters, without ';' or control characters"
)
_NOT_AN_ITEM = "is not a valid list item: an item has no ';' or control characters"


@pytest.mark.parametrize(
    ("table", "field", "item", "message"),
    [
        ("activities", "smes", "SME-001;SME-002", _NOT_AN_ID),
        ("activities", "smes", "SME-001\x07", _NOT_AN_ID),
        # A sector is free text, not an id: named as a list item.
        ("clusters", "sectors", "optics;lasers", _NOT_AN_ITEM),
        ("clusters", "sectors", "optics\x07", _NOT_AN_ITEM),
    ],
)
def test_a_json_list_item_with_a_semicolon_or_control_character_is_named(
    tmp_path: Path, table: str, field: str, item: str, message: str
) -> None:
    """In a JSON list, an item holding `;` or a control character: an id, or an item."""
    folder = tmp_path / "data.jsonl"
    ck.dump_dataset(ck.load_dataset(BASE), folder, layout="jsonl")
    path = folder / f"{table}.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    first = json.loads(lines[0])
    first[field] = [item]
    lines[0] = json.dumps(first)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    [finding] = ck.validate(folder, as_of=AS_OF).findings
    assert (finding.rule, finding.location.field) == ("CK-TYPE-001", field)
    assert finding.message == f"{item!r} {message}"


def test_only_the_outsiders_of_a_list_of_smes_are_reported(tmp_path: Path) -> None:
    """Of an activity's SMEs, those of the partnership's clusters are not reported."""
    folder = copy_base(tmp_path)
    rows = list(csv.DictReader(io.StringIO((folder / "activities.csv").read_text())))
    a5 = next(index for index, row in enumerate(rows) if row["id"] == "A5")
    # SME-003 is of ES-001, a member of P2; SME-002 is of FR-001, which is not.
    set_cells(folder / "activities.csv", {a5: {"smes": "SME-003;SME-002"}})
    report = ck.validate(folder, as_of=AS_OF, select=["CK-SME-003"])
    assert [(f.rule, f.message) for f in report.findings] == [
        (
            "CK-SME-003",
            "SME 'SME-002' is not a member of any cluster of partnership 'P2'",
        )
    ]


def test_a_large_size_class_is_not_an_sme(tmp_path: Path) -> None:
    """An SME declared 'large' is outside the SME size classes (CK-ENUM-001)."""
    folder = copy_base(tmp_path)
    set_cells(folder / "smes.csv", {0: {"size_class": "large"}})
    report = ck.validate(folder, as_of=AS_OF, select=["CK-ENUM"])
    assert found(report) == [("CK-ENUM-001", None, 2, "size_class")]


def test_an_unknown_ecosystem_gets_the_nearest(tmp_path: Path) -> None:
    """A list of vocabulary values names the nearest allowed value of a bad item."""
    folder = copy_base(tmp_path)
    set_cells(folder / "clusters.csv", {0: {"ecosystems": "digitl"}})
    report = ck.validate(folder, as_of=AS_OF, select=["CK-ENUM"])
    [finding] = report.findings
    assert finding.location.field == "ecosystems"
    assert finding.hint is not None
    assert finding.hint.startswith("did you mean 'digital'? Allowed values: aero")


def test_a_bad_item_of_a_vocabulary_list_is_named(tmp_path: Path) -> None:
    """In a list, the item outside the vocabulary is named, not the whole list."""
    folder = copy_base(tmp_path)
    set_cells(folder / "clusters.csv", {0: {"ecosystems": "digital;tourismm"}})
    [finding] = ck.validate(folder, as_of=AS_OF, select=["CK-ENUM"]).findings
    assert finding.message == "'tourismm' is not one of the allowed values"
    assert (finding.hint or "").startswith("did you mean 'tourism'? Allowed values:")


def test_a_value_outside_its_vocabulary_lists_every_allowed_value(
    tmp_path: Path,
) -> None:
    """The hint lists the allowed values, with what each means where a name does not say.

    The nearest value comes first when one is close; the 13 activity types are
    all listed; an SME's size class is never `large`.
    """
    folder = copy_base(tmp_path)
    set_cells(folder / "partnerships.csv", {0: {"funding": "co-financed"}})
    set_cells(folder / "activities.csv", {0: {"type": "conference"}})
    set_cells(
        folder / "smes.csv", {0: {"size_class": "big"}, 1: {"size_class": "large"}}
    )
    report = ck.validate(folder, as_of=AS_OF, select=["CK-ENUM"])
    hints = {f.location.field: f.hint for f in report.findings}
    assert hints == {
        "funding": "did you mean 'co_funded'? Allowed values: co_funded = EU grant, "
        "voluntary = no EU grant",
        "type": "allowed values: business_mission, c2c_meeting, b2b_matchmaking, "
        "mou_signature, collaboration_project, gateway_service, export_consortium, "
        "trade_fair, study_visit, webinar, training, partnering_event, other",
        "size_class": "allowed values: micro = fewer than 10 staff, small = fewer "
        "than 50 staff, medium = fewer than 250 staff",
    }
    assert [
        f.expected for f in report.findings if f.location.field == "size_class"
    ] == [
        "micro, small, medium",
        "micro, small or medium",
    ]


def test_the_third_country_rules_say_what_they_mean() -> None:
    """A generation's third-country rule outside its vocabulary lists both, with meanings."""
    problem = ck.io.vocabulary_problem(ThirdCountryRule, "world")
    assert problem.hint == (
        "allowed values: non-programme = outside the EU and the programme's "
        "countries, beyond-europe = also outside Europe"
    )


def test_a_strand_outside_the_generation_lists_its_strands(tmp_path: Path) -> None:
    """CK-PART-004 lists the generation's strands with their meaning from the reference data."""
    folder = copy_base(tmp_path)
    set_cells(folder / "partnerships.csv", {0: {"strand": "1a"}, 1: {"strand": "3"}})
    report = ck.validate(folder, as_of=AS_OF, select=["CK-PART-004"])
    strands = (
        "1.a = preparatory phase, open to a wide range of sectors and value chains; "
        "1.b = preparatory phase, clusters in Earth observation applications; "
        "2 = implementation phase"
    )
    assert [f.hint for f in report.findings] == [
        f"did you mean '1.a'? Allowed values: {strands}",
        f"allowed values: {strands}",
    ]


def test_strands_of_a_generation_of_the_dataset(tmp_path: Path) -> None:
    """A generation of the dataset's own has strands without meanings; an override keeps them."""
    folder = copy_base(tmp_path)
    (folder / "generations.csv").write_text(
        "id,name,family,programme,start,end,strands\n"
        "escp-4i-2,Second,ESCP-4i,COSME,2017-12-01,2020-02-29,2;3\n"
        "own-1,Own,Own,COSME,2017-12-01,2020-02-29,X;Y\n",
        encoding="utf-8",
    )
    set_cells(
        folder / "partnerships.csv",
        {0: {"strand": "1"}, 1: {"strand": "Z", "generation": "own-1"}},
    )
    report = ck.validate(folder, as_of=AS_OF, select=["CK-PART-004"])
    assert [f.hint for f in report.findings] == [
        "allowed values: 2 = implementation phase, 3",
        "allowed values: X, Y",
    ]


def test_the_non_programme_rule_says_what_a_target_must_be(tmp_path: Path) -> None:
    """Under `non-programme`, a COSME participant is not a third country (CK-GEO-001)."""
    folder = copy_base(tmp_path)
    partnerships = folder / "partnerships.csv"
    text = partnerships.read_text(encoding="utf-8")
    partnerships.write_text(text.replace("escp-4i-2", "escp-4i-4"), encoding="utf-8")
    targets = folder / "targets.csv"
    lines = targets.read_text(encoding="utf-8").splitlines()
    lines[1] = "P1,TR,primary,"  # Turkey took part in COSME
    targets.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ck.validate(folder, as_of=AS_OF, select=["CK-GEO-001"])
    messages = [f.message for f in report.findings if f.location.field == "country"]
    assert any("neither an EU member nor a participant of COSME" in m for m in messages)


def test_bounded_memories_give_the_same_findings(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Caches started afresh at every batch change nothing but speed."""
    case = DATA / "invalid" / "CK-GEO-002"
    expected = found(ck.validate(case, as_of=AS_OF))
    monkeypatch.setattr(_cells, "_CACHE_LIMIT", 0)
    monkeypatch.setattr(_verdicts, "_LIMIT", 0)
    monkeypatch.setattr(_context, "_TEXT_LIMIT", 0)
    monkeypatch.setattr(_chunk, "BATCH_ROWS", 1)
    del tmp_path
    assert found(ck.validate(case, as_of=AS_OF)) == expected


def test_all_rows_malformed_gives_no_batch(tmp_path: Path) -> None:
    """A table whose every row has the wrong number of cells still reports each row."""
    folder = copy_base(tmp_path)
    (folder / "targets.csv").write_text(
        "partnership,country\nP1,CN,x\nP2,US,y\n", encoding="utf-8"
    )
    report = ck.validate(folder, as_of=AS_OF, select=["CK-ROW"])
    assert found(report) == [
        ("CK-ROW-001", None, 2, None),
        ("CK-ROW-001", None, 3, None),
    ]


def test_an_empty_header_cell_before_others_is_reported(tmp_path: Path) -> None:
    """An empty header cell with named columns after it is an unknown column."""
    folder = copy_base(tmp_path)
    (folder / "targets.csv").write_text(
        "partnership,,country\nP1,,CN\n", encoding="utf-8"
    )
    report = ck.validate(folder, as_of=AS_OF, select=["CK-HDR"])
    assert found(report) == [("CK-HDR-002", None, 1, "")]
    assert report.findings[0].message == "header cell 2 is empty; the column is ignored"


def test_files_that_cannot_be_opened(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A table file that cannot be opened or read is CK-FILE-001, the others are read."""
    folder = copy_base(tmp_path)
    real_open = Path.open

    def refuse(self: Path, *args: object, **kwargs: object) -> object:
        if self.name in {"smes.csv", "targets.csv"}:
            raise PermissionError(13, "Permission denied")
        return real_open(self, *args, **kwargs)  # type: ignore[call-overload] # passed through as given

    monkeypatch.setattr(Path, "open", refuse)
    report = ck.validate(folder, as_of=AS_OF, select=["CK-FILE"])
    found_at = sorted((f.location.file, f.message) for f in report.findings)
    assert found_at == [
        (f"{folder}/smes.csv", "cannot open: Permission denied"),
        (f"{folder}/targets.csv", "cannot open: Permission denied"),
    ]


def test_ignored_rules_are_not_reported() -> None:
    """An ignored rule found while reading is neither kept nor counted."""
    report = ck.validate(
        DATA / "invalid" / "CK-TYPE-001", as_of=AS_OF, ignore="CK-TYPE"
    )
    assert report.summary.total == 0


def test_a_disabled_collector_stays_disabled() -> None:
    """Validation leaves the cyclic garbage collector as it found it."""
    gc.disable()
    try:
        ck.validate(BASE, as_of=AS_OF)
        assert not gc.isenabled()
    finally:
        gc.enable()


def test_severities_compare_by_seriousness() -> None:
    """Severities order error > warning > info and refuse types other than text."""
    assert Severity.INFO < Severity.WARNING <= Severity.WARNING < Severity.ERROR
    assert Severity.ERROR >= Severity.ERROR
    assert Severity.INFO.__lt__(0) is NotImplemented  # type: ignore[operator]
    assert Severity.INFO.__le__(0) is NotImplemented  # type: ignore[operator]
    assert Severity.INFO.__gt__(0) is NotImplemented  # type: ignore[operator]
    assert Severity.INFO.__ge__(0) is NotImplemented  # type: ignore[operator]


def test_a_given_fingerprint_is_kept() -> None:
    """A finding built with a fingerprint (read back from a report) keeps it."""
    finding = Finding(
        "CK-FK-001",
        Severity.ERROR,
        "m",
        Location(file="a.csv", line=2),
        entity=Entity("activities", "A1"),
        fingerprint="0123456789abcdef",
    )
    assert finding.fingerprint == "0123456789abcdef"


def test_raise_without_kept_findings_names_the_counts() -> None:
    """With no finding kept, the exception still says how many there were."""
    report = Report(
        (), Summary(error=1, by_rule={"CK-FK-001": 1}, total=1), AS_OF, sources=("d",)
    )
    with pytest.raises(ck.DatasetValidationError, match=r"^d: 1 error, 0 warnings$"):
        report.raise_for_findings()


def test_checks_register_only_where_they_can_run() -> None:
    """A rows check needs its table; a rule checked while reading takes no check."""
    with pytest.raises(ValueError, match="needs one of its tables"):
        check(CATALOGUE["CK-FK-001"])(_nothing)
    with pytest.raises(ValueError, match="needs one of its tables"):
        check(CATALOGUE["CK-FK-001"], "smes")(_nothing)
    with pytest.raises(ValueError, match="checked while reading"):
        check(CATALOGUE["CK-TYPE-001"], "activities")(_nothing)


def _nothing(*_: object) -> None:
    """A check that finds nothing."""


def test_empty_entries_of_a_selection_are_skipped() -> None:
    """`select="CK-FK,"` selects the FK family; the empty entry is no rule."""
    report = ck.validate(DATA / "invalid" / "CK-FK-001", as_of=AS_OF, select="CK-FK,")
    assert set(report.summary.by_rule) == {"CK-FK-001"}


def test_a_folder_of_other_csv_files_has_no_tables(tmp_path: Path) -> None:
    """A folder of CSV files none of which is a table is CK-FILE-001."""
    (tmp_path / "notes.csv").write_text("a,b\n1,2\n", encoding="utf-8")
    report = ck.validate(tmp_path, as_of=AS_OF)
    [finding] = report.findings
    assert finding.rule == "CK-FILE-001"
    assert "no dataset tables found" in finding.message


def test_blank_lines_before_the_header_and_a_trailing_comma(tmp_path: Path) -> None:
    """The header may follow blank lines and end with an empty cell; lines stay physical."""
    folder = copy_base(tmp_path)
    (folder / "targets.csv").write_text(
        "\n\npartnership,country,\nP1,US,\nP1,CN,\nP1,JP,\nP2,CA,\nP2,IN,\nP9,BR,\n",
        encoding="utf-8",
    )
    report = ck.validate(folder, as_of=AS_OF)
    assert found(report) == [("CK-FK-006", None, 9, "partnership")]


def test_an_sme_listed_twice_counts_once(tmp_path: Path) -> None:
    """`smes_involved` is compared with the distinct SMEs listed (CK-COUNT-002)."""
    folder = copy_base(tmp_path)
    rows = set_cells(
        folder / "activities.csv",
        {
            0: {"smes": "SME-001;SME-001", "smes_involved": "1"},
            1: {"smes": "SME-001;SME-002", "smes_involved": "1"},
        },
    )
    report = ck.validate(folder, as_of=AS_OF, select=["CK-COUNT-002"])
    assert [f.entity for f in report.findings] == [Entity("activities", rows[1]["id"])]


def test_a_bad_byte_inside_an_unterminated_quote(tmp_path: Path) -> None:
    """A bad byte after a quote that never ends: the rows before are still checked."""
    folder = copy_base(tmp_path)
    (folder / "targets.csv").write_bytes(
        b'partnership,country\nP1,US\nP9,"CN\nP1,JP\xe9\n'
    )
    report = ck.validate(folder, as_of=AS_OF, select=["CK-FILE", "CK-FK-006"])
    assert [(f.rule, f.location.line) for f in report.findings] == [("CK-FILE-001", 3)]
    assert "malformed CSV" in report.findings[0].message


def test_rows_before_a_late_bad_byte_are_checked(tmp_path: Path) -> None:
    """Text is decoded in blocks: rows of the bad byte's block before it are checked."""
    folder = copy_base(tmp_path)
    good = "".join(f"P1,US,primary,2018-{1 + n % 12:02d}-01\n" for n in range(600))
    (folder / "targets.csv").write_bytes(
        ("partnership,country,priority,since\n" + good + "P9,CN,primary,\n").encode()
        + b"P1,JP\xe9,primary,\n"
    )
    report = ck.validate(folder, as_of=AS_OF, select=["CK-FILE", "CK-FK-006"])
    assert [(f.rule, f.location.line) for f in report.findings] == [
        ("CK-FK-006", 602),
        ("CK-FILE-001", 603),
    ]


def test_a_utf16_table_stops_at_its_header(tmp_path: Path) -> None:
    """A UTF-16 file cannot even give its header: one finding, on line 1."""
    folder = copy_base(tmp_path)
    (folder / "targets.csv").write_bytes(
        "\ufeffpartnership,country\nP1,US\n".encode("utf-16-le")
    )
    report = ck.validate(folder, as_of=AS_OF, select=["CK-FILE"])
    assert [(f.rule, f.location.line) for f in report.findings] == [("CK-FILE-001", 1)]
    assert "UTF-16" in report.findings[0].message


def test_blank_lines_then_a_bad_byte_in_the_header(tmp_path: Path) -> None:
    """Blank lines before a header with a bad byte: the finding is on the header's line."""
    folder = copy_base(tmp_path)
    (folder / "targets.csv").write_bytes(b"\n\npartnership\xe9,country\nP1,US\n")
    report = ck.validate(folder, as_of=AS_OF, select=["CK-FILE"])
    assert [(f.rule, f.location.line) for f in report.findings] == [("CK-FILE-001", 3)]


@pytest.mark.parametrize(
    "case", sorted(path.name for path in (DATA / "invalid").iterdir() if path.is_dir())
)
def test_findings_are_written_as_json_dumps_would(case: str) -> None:
    """The fast JSON of a finding is exactly `json.dumps` of its dictionary."""
    report = ck.validate(DATA / "invalid" / case, as_of=AS_OF, select=["CK"])
    for finding in report.findings:
        assert finding_json(finding) == json.dumps(
            finding.to_dict(), ensure_ascii=False
        )


def test_awkward_text_is_written_as_json_dumps_would() -> None:
    """Quotes, backslashes, control and non-ASCII characters and null ids survive."""
    finding = Finding(
        "CK-TYPE-001",
        Severity.WARNING,
        'a "quoted" \\ value\n\x01 é 中',
        Location(file="d\\ir/a.csv", line=3, sheet="S", cell="B3", field="f"),
        hint="h",
        entity=Entity("activities"),
        value="\u2028",
        related=(Location(pointer="/activities/1"), Location(file="b.csv")),
    )
    assert finding_json(finding) == json.dumps(finding.to_dict(), ensure_ascii=False)


def test_unknown_json_fields_are_reported_once_per_field(tmp_path: Path) -> None:
    """An unknown key is one CK-HDR-002 per table and key, with the rows counted."""
    folder = tmp_path / "data.jsonl"
    ck.dump_dataset(ck.load_dataset(BASE), folder, layout="jsonl")
    path = folder / "activities.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    for number in (1, 3):
        record = json.loads(lines[number])
        record["typ"] = "webinar"
        lines[number] = json.dumps(record)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    report = ck.validate(folder, as_of=AS_OF, select=["CK-HDR"])
    [finding] = report.findings
    assert (finding.location.line, finding.location.field) == (2, "typ")
    assert "(2 rows)" in finding.message
    assert finding.hint == "did you mean 'type'?"


def test_more_sme_members_than_members(tmp_path: Path) -> None:
    """A cluster with more SME members than members is CK-TYPE-001 on sme_members."""
    folder = copy_base(tmp_path)
    set_cells(folder / "clusters.csv", {0: {"members_total": "5", "sme_members": "10"}})
    report = ck.validate(folder, as_of=AS_OF, select=["CK-TYPE"])
    assert found(report) == [("CK-TYPE-001", None, 2, "sme_members")]
    assert (
        report.findings[0].message == "sme_members (10) cannot exceed members_total (5)"
    )


def test_a_duplicate_far_from_its_first(monkeypatch: pytest.MonkeyPatch) -> None:
    """Only batches where a key repeats are looked at again; the duplicate is found."""
    monkeypatch.setattr(_chunk, "BATCH_ROWS", 2)
    report = ck.validate(DATA / "invalid" / "CK-PK-001", as_of=AS_OF, select=["CK-PK"])
    assert found(report) == [("CK-PK-001", None, 8, "id")]
    assert report.findings[0].related[0].line == 6


# Root causes ------------------------------------------------------------------------


def _roots(report: Report) -> list[Finding]:
    return [finding for finding in report.findings if finding.caused_by is None]


def test_a_missing_id_column_is_the_root_of_every_reference(tmp_path: Path) -> None:
    """Without the id column no cluster can be named: every reference follows from it."""
    folder = copy_base(tmp_path)
    clusters = folder / "clusters.csv"
    text = clusters.read_text(encoding="utf-8")
    clusters.write_text(text.replace("id,", "ident,", 1), encoding="utf-8")
    report = ck.validate(folder, as_of=dt.date(2026, 1, 1))
    (root,) = [f for f in report.findings if f.rule == "CK-HDR-001"]
    references = [f for f in report.findings if f.rule.startswith("CK-FK-")]
    assert len(references) > 10
    assert {f.caused_by for f in references} == {root.fingerprint}
    assert all(f.hint is None for f in references)
    assert root.hint is not None
    assert "and 3 more" in root.hint  # eight cluster ids, five named


def test_an_unreadable_table_file_is_the_root_of_its_references(
    tmp_path: Path,
) -> None:
    """An undecodable clusters.csv: the references to clusters follow from it."""
    folder = copy_base(tmp_path)
    (folder / "clusters.csv").write_bytes(b"id,name\n\xff\xfe,bad\n")
    report = ck.validate(folder, as_of=dt.date(2026, 1, 1))
    (root,) = [f for f in report.findings if f.rule == "CK-FILE-001"]
    references = [f for f in report.findings if f.rule.startswith("CK-FK-")]
    assert references
    assert {f.caused_by for f in references} == {root.fingerprint}


def test_an_unreadable_activities_file_is_the_root_of_nothing(tmp_path: Path) -> None:
    """Nothing refers to activities: their unreadable file roots no finding."""
    folder = copy_base(tmp_path)
    (folder / "activities.csv").write_bytes(b"id,partnership\n\xff\xfe,P1\n")
    context = _context.Context(_context.Collector(_context.Options.build()))
    context.report(
        CATALOGUE["CK-FILE-001"], Location(str(folder / "activities.csv")), "bad"
    )
    context.report(CATALOGUE["CK-FILE-001"], Location(None), "bad")
    assert context.unread == {}


def test_a_context_before_its_scan_has_nothing_to_read_again() -> None:
    """Checks that read a table again find no batch before a source is scanned."""
    context = _context.Context(_context.Collector(_context.Options.build()))
    assert list(context.reread("smes")) == []
    assert list(context.reread("smes", ("id", "name"))) == []


def test_a_record_without_id_that_nothing_misses_keeps_its_hint(
    tmp_path: Path,
) -> None:
    """An empty id whose table no reference misses: the plain finding, no guess."""
    folder = copy_base(tmp_path)
    with (folder / "clusters.csv").open("a", encoding="utf-8") as handle:
        handle.write(",Extra Cluster (fictional),DE,cluster_organisation,,,,,,,,,\n")
    report = ck.validate(folder, as_of=dt.date(2026, 1, 1), ignore="CK-ORPHAN")
    (finding,) = report.findings
    assert (finding.rule, finding.hint, finding.caused_by) == (
        "CK-TYPE-001",
        None,
        None,
    )


def test_an_empty_id_of_a_table_without_references_is_no_root(tmp_path: Path) -> None:
    """A target has no id; an activity's empty id roots nothing (nothing names it)."""
    folder = copy_base(tmp_path)
    set_cells(folder / "activities.csv", {0: {"id": ""}})
    report = ck.validate(folder, as_of=dt.date(2026, 1, 1))
    assert [(f.rule, f.caused_by) for f in report.findings] == [("CK-TYPE-001", None)]


@pytest.mark.parametrize(
    ("table", "row", "cells", "used"),
    [
        ("clusters", 7, {"id": "BE-01"}, "is referred to by nothing"),
        ("smes", 3, {"id": "SME-04"}, "takes part in no activity"),
    ],
)
def test_a_close_id_nothing_refers_to_may_be_the_misspelt_one(
    tmp_path: Path, table: str, row: int, cells: dict[str, str], used: str
) -> None:
    """The first reference's hint points at the unused id that may be wrong."""
    folder = copy_base(tmp_path)
    set_cells(folder / f"{table}.csv", {row: cells})
    report = ck.validate(folder, as_of=dt.date(2026, 1, 1), ignore="CK-ORPHAN")
    (root, *follows) = sorted(
        (f for f in report.findings if f.rule.startswith("CK-FK-")),
        key=lambda f: f.caused_by is not None,
    )
    assert root.hint is not None
    assert root.hint.startswith(f"did you mean {cells['id']!r}? ")
    assert used in root.hint
    assert all(f.caused_by == root.fingerprint and f.hint is None for f in follows)


def test_a_close_id_that_is_used_is_only_suggested(tmp_path: Path) -> None:
    """A close id other records use is probably right: the plain did-you-mean."""
    folder = copy_base(tmp_path)
    set_cells(folder / "activities.csv", {0: {"partnership": "P01"}})
    report = ck.validate(folder, as_of=dt.date(2026, 1, 1))
    hints = {f.hint for f in report.findings if f.rule == "CK-FK-001"}
    assert hints == {"did you mean 'P1'?"}


def test_an_unknown_generation_lists_the_known_ones(tmp_path: Path) -> None:
    """With or without a close id, the hint lists every generation with its meaning."""
    folder = copy_base(tmp_path)
    set_cells(
        folder / "partnerships.csv",
        {0: {"generation": "escp-4i 2"}, 1: {"generation": "first call"}},
    )
    report = ck.validate(folder, as_of=dt.date(2026, 1, 1))
    hints = [f.hint or "" for f in report.findings if f.rule == "CK-FK-002"]
    assert len(hints) == 2
    assert hints[0].startswith("did you mean 'escp-4i-2'? Known generations: ")
    assert hints[1].startswith("known generations: escp-4i-1 = ESCP-4i first")
    assert (
        "escp-4i-2 = ESCP-4i second generation (2017-12-01 to 2020-02-29)" in hints[1]
    )


def test_min_severity_keeps_what_is_shown_and_counts_everything(tmp_path: Path) -> None:
    """Below min_severity: counted, not kept; a wrong name is a ValueError."""
    folder = copy_base(tmp_path)
    set_cells(
        folder / "activities.csv", {0: {"partnership": "P9", "start": "5/14/2018"}}
    )
    everything = ck.validate(folder, as_of=dt.date(2026, 1, 1))
    errors = ck.validate(folder, as_of=dt.date(2026, 1, 1), min_severity="error")
    assert errors.summary.total == everything.summary.total
    assert errors.summary.below == everything.summary.total - len(errors.findings)
    assert errors.summary.below > 0
    assert [f for f in everything.findings if f.severity is Severity.ERROR] == list(
        errors.findings
    )
    with pytest.raises(ValueError, match="min_severity must be"):
        ck.validate(folder, min_severity="fatal")


def with_coordinators(tmp_path: Path, *coordinators: str) -> Report:
    """The base dataset with its partnerships' coordinators (and a few clusters) changed.

    IT-002, a cluster of no partnership, is "Tyrrhenian Tourism Cluster (TTC)";
    FR-002 shares its name with FR-001, a member of P1; AT-001 has a one-word name.
    """
    folder = copy_base(tmp_path)
    with (folder / "clusters.csv").open("a", encoding="utf-8") as handle:
        handle.write("IT-002,Tyrrhenian Tourism Cluster (TTC),IT,,,,,,,,,,\n")
        handle.write("FR-002,Paris Optics Valley,FR,,,,,,,,,,\n")
    set_cells(folder / "clusters.csv", {6: {"name": "Viennafood"}})
    set_cells(
        folder / "partnerships.csv",
        {
            number: {"coordinator": coordinator}
            for number, coordinator in enumerate(coordinators)
        },
    )
    return ck.validate(folder, as_of=AS_OF, select=["CK-FK-003", "CK-PART-003"])


def test_a_coordinator_given_by_name_gets_its_id(tmp_path: Path) -> None:
    """A coordinator written as a cluster's name is told the cluster's id, for both rules."""
    report = with_coordinators(tmp_path, "lombardy mechatronics CLUSTER", "ES-001")
    hint = (
        "write the cluster's id, 'IT-001' (Lombardy Mechatronics Cluster "
        "(fictional)), not its name"
    )
    assert [(f.rule, f.hint) for f in report.findings] == [
        ("CK-FK-003", hint),
        ("CK-PART-003", hint),
    ]


@pytest.mark.parametrize(
    ("coordinators", "hints"),
    [
        (
            ("LMC", "TTC"),
            [
                (
                    "write the cluster's id, 'IT-001' (Lombardy Mechatronics Cluster "
                    "(fictional)), not its acronym"
                ),
                (
                    "write the cluster's id, 'IT-002' (Tyrrhenian Tourism Cluster (TTC)), "
                    "not its acronym"
                ),
            ],
        ),
        (
            ("Paris Optics Valley", "Tyrrhenian Tourism Cluster"),
            [
                (
                    "write the cluster's id, 'FR-001' (Paris Optics Valley (fictional)), "
                    "not its name"
                ),
                (
                    "write the cluster's id, 'IT-002' (Tyrrhenian Tourism Cluster (TTC)), "
                    "not its name"
                ),
            ],
        ),
        (("fictional", "---"), [None, None]),
        (
            ("Viennafood", "V"),
            ["write the cluster's id, 'AT-001' (Viennafood), not its name", None],
        ),
    ],
)
def test_a_coordinator_given_by_acronym_or_shared_name(
    tmp_path: Path, coordinators: tuple[str, str], hints: list[str | None]
) -> None:
    """Initials of a member, an acronym in brackets, a name a member shares: one id.

    A cluster of no partnership, or of another, is named too when it is the
    only one; several clusters of the name and none a member, or nothing that
    looks like a name, give no such hint.
    """
    report = with_coordinators(tmp_path, *coordinators)
    assert [f.hint for f in report.findings if f.rule == "CK-FK-003"] == hints


@pytest.mark.parametrize(
    ("generation", "start", "end", "hint"),
    [
        (
            "escp-4i-2",
            "2016-01-01",
            "2017-11-30",
            (
                "its dates fit escp-4i-1 (2015-12-01 to 2018-01-31): is its generation "
                "wrong?"
            ),
        ),
        (
            "escp-4i-3",
            "2017-12-15",
            "",
            (
                "its dates fit escp-4i-1 (2015-12-01 to 2018-01-31) and escp-4i-2 "
                "(2017-12-01 to 2020-02-29): is its generation wrong?"
            ),
        ),
        ("escp-4i-2", "2010-01-01", "2011-01-01", None),
    ],
)
def test_dates_outside_the_generation_name_the_ones_they_fit(
    tmp_path: Path, generation: str, start: str, end: str, hint: str | None
) -> None:
    """CK-DATE-003's hint names the other generations whose period holds the dates."""
    folder = copy_base(tmp_path)
    set_cells(
        folder / "partnerships.csv",
        {1: {"generation": generation, "start": start, "end": end, "strand": ""}},
    )
    report = ck.validate(folder, as_of=AS_OF, select=["CK-DATE-003"])
    assert [f.hint for f in report.findings] == [hint]


def test_a_voluntary_partnership_names_the_generations_that_had_them(
    tmp_path: Path,
) -> None:
    """CK-PART-005's hint names every generation known to the run with voluntary ones."""
    folder = copy_base(tmp_path)
    set_cells(
        folder / "partnerships.csv", {1: {"funding": "voluntary", "grant_eur": ""}}
    )
    report = ck.validate(folder, as_of=AS_OF, select=["CK-PART-005"])
    assert [f.hint for f in report.findings] == [
        (
            "only escp-4i-1 (2015-12-01 to 2018-01-31) had voluntary partnerships: is "
            "its generation wrong? If not, its funding is co_funded"
        )
    ]
    (folder / "generations.csv").write_text(
        "id,name,family,programme,start,end,voluntary_allowed\n"
        "escp-4i-1,First,ESCP-4i,COSME,2015-12-01,2018-01-31,false\n",
        encoding="utf-8",
    )
    report = ck.validate(folder, as_of=AS_OF, select=["CK-PART-005"])
    assert [f.hint for f in report.findings] == [None]
    (folder / "generations.csv").write_text(
        "id,name,family,programme,start,end,voluntary_allowed\n"
        "own-1,Own,Own,COSME,2016-01-01,2016-12-31,true\n",
        encoding="utf-8",
    )
    report = ck.validate(folder, as_of=AS_OF, select=["CK-PART-005"])
    assert [f.hint for f in report.findings] == [
        (
            "only escp-4i-1 (2015-12-01 to 2018-01-31) and own-1 (2016-01-01 to "
            "2016-12-31) had voluntary partnerships: is its generation wrong? If not, "
            "its funding is co_funded"
        )
    ]


def test_a_grant_without_a_strand_is_held_to_the_highest_cap(tmp_path: Path) -> None:
    """Without a strand, a grant is compared with the generation's highest cap."""
    folder = copy_base(tmp_path)
    set_cells(folder / "partnerships.csv", {0: {"strand": "", "grant_eur": "448751"}})
    report = ck.validate(folder, as_of=AS_OF, select=["CK-PART-006"])
    assert [f.expected for f in report.findings] == ["<= 448750"]


def test_an_amount_reads_alike_whatever_its_places() -> None:
    """`500000.00` from a frame and `500000` from a cell: one finding, one text."""
    from clusterkit.rules._context import amount_text  # noqa: PLC0415 - one helper

    assert [amount_text(Decimal(text)) for text in ("1.00", "2.50", "1E+2", "0")] == [
        "1",
        "2.5",
        "100",
        "0",
    ]
    base = ck.load_dataset(BASE)

    def grant_finding(grant: Decimal) -> tuple[str | None, str]:
        partnerships = [
            p.model_copy(update={"grant_eur": grant}) for p in base.partnerships
        ]
        mapping = {
            table: list(base.table(table)) for table in ("clusters", "targets")
        } | {"partnerships": partnerships}
        report = ck.validate(mapping, as_of=dt.date(2026, 1, 1), select="CK-PART-006")
        (finding,) = report.findings[:1]
        return finding.value, finding.message

    assert grant_finding(Decimal("9000000.00")) == grant_finding(Decimal(9000000))


def test_a_json_duplicate_names_the_first_id_at_its_key(tmp_path: Path) -> None:
    """In a JSON document, CK-PK-001's "first at" is the first id's key, as is `related`."""
    document = ck.load_example().model_dump(mode="json")
    document["smes"].append(dict(document["smes"][0]))
    path = tmp_path / "d.json"
    path.write_text(json.dumps(document, indent=2), encoding="utf-8")
    lines = path.read_text(encoding="utf-8").splitlines()
    first_line = lines.index('      "id": "SME-0001",') + 1
    (finding,) = [f for f in ck.validate(path).findings if f.rule == "CK-PK-001"]
    (first,) = finding.related
    assert (first.line, first.column, first.pointer) == (first_line, 7, "/smes/0/id")
    assert finding.message.endswith(f"; first at {first}")
