"""Importing published lists: the edges a review found (generations, workbooks, notes)."""

from __future__ import annotations

import datetime as dt
import json
import re
import zipfile
from pathlib import Path
from typing import Any

import openpyxl
import pytest

import clusterkit as ck
from clusterkit.cli import main
from clusterkit.io import import_partnerships


def record(**fields: Any) -> dict[str, Any]:
    """A published record with two members."""
    base: dict[str, Any] = {
        "acronym": "A",
        "name": "Alpha",
        "generation": 1,
        "members": [
            {"name": "Optics Valley", "country": "FR"},
            {"name": "Photonics Bavaria", "country": "DE"},
        ],
    }
    base.update(fields)
    return base


# --- Generations -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "generation"),
    [("01", "escp-4i-1"), (" 004 ", "escp-4i-4"), (2, "escp-4i-2")],
)
def test_a_generation_number_with_leading_zeros_is_that_generation(
    given: object, generation: str
) -> None:
    """`01` is the first ESCP-4i generation, not an unknown id `escp-4i-01`."""
    result = import_partnerships([record(generation=given)])
    assert result.dataset.partnerships[0].generation == generation
    assert not result.notes_of("not-read")


@pytest.mark.parametrize("given", ["²", "①", "\u0661", "\uff11", "5", "0", "1" * 5000])
def test_a_generation_in_other_digits_is_kept_as_given_with_a_note(given: str) -> None:
    """Digits `int` refuses (or takes, but no ESCP-4i number) are no generation: a note."""
    result = import_partnerships([record(generation=given)])
    note = result.notes_of("not-read")[0]
    assert (note.record, note.field) == ("A", "generation")
    assert "is no known generation; kept as given" in note.message
    # An id longer than 64 characters is no generation id: left out, noted.
    kept = [p.generation for p in result.dataset.partnerships]
    assert kept == ([given] if len(given) <= 64 else [])


def test_a_missing_generation_says_what_is_written() -> None:
    """No generation: the note says `unknown` is written, not that `None` was kept."""
    result = import_partnerships([record(generation=None)])
    assert result.dataset.partnerships[0].generation == "unknown"
    (note,) = result.notes_of("not-read")
    assert note.message == "none given; 'unknown' written"


# --- Workbooks, read by the package's own reader -------------------------------------

HEADER = ["acronym", "generation", "members"]
ROWS = [
    ["A", 1, "Optics Valley (FR); Photonics Bavaria (DE)"],
    ["B", 2, "Optics Valley (FR); Silicon Saxony (DE)"],
]


def workbook(path: Path, *rows: list[Any], sheets: int = 1) -> Path:
    """A workbook whose first sheet holds `rows` (the header first)."""
    book = openpyxl.Workbook()
    sheet = book.active
    assert sheet is not None
    for row in rows:
        sheet.append(row)
    for number in range(1, sheets):
        book.create_sheet(f"other {number}")
    book.save(path)
    return path


def rewritten(path: Path, part: str, change: Any) -> Path:
    """`path` with one part of its archive changed (`None` from `change`: left out)."""
    with zipfile.ZipFile(path) as archive:
        parts = {name: archive.read(name) for name in archive.namelist()}
    changed = path.with_name(f"changed-{path.name}")
    with zipfile.ZipFile(changed, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts.items():
            kept = change(data) if name == part else data
            if kept is not None:
                archive.writestr(name, kept)
    return changed


SHEET = "xl/worksheets/sheet1.xml"


def test_a_workbook_is_read_past_a_stale_dimension(tmp_path: Path) -> None:
    """A `dimension` that says A1:B2 drops no row and no column."""
    full = workbook(tmp_path / "list.xlsx", HEADER, *ROWS)
    stale = rewritten(
        full,
        SHEET,
        lambda xml: re.sub(rb'<dimension ref="[^"]*"', b'<dimension ref="A1:B2"', xml),
    )
    assert b'ref="A1:B2"' in zipfile.ZipFile(stale).read(SHEET)
    result = import_partnerships(stale)
    assert result.dataset == import_partnerships(full).dataset
    assert [len(p.members) for p in result.dataset.partnerships] == [2, 2]


@pytest.mark.parametrize(
    ("option", "message"),
    [
        (["--max-sheets", "1"], "the workbook has 2 sheets; the limit max_sheets is 1"),
        (["--max-rows", "2"], "has more than 2 rows; the limit max_rows is 2"),
        (["--max-member-bytes", "1000"], "the limit max_member_bytes is 1,000"),
    ],
)
def test_the_workbook_limits_apply_to_an_import(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], option: list[str], message: str
) -> None:
    """`--max-sheets`, `--max-rows`, `--max-member-bytes`: a located error, exit 1."""
    source = workbook(tmp_path / "list.xlsx", HEADER, *ROWS, sheets=2)
    code = main(["import", str(source), str(tmp_path / "out"), *option])
    assert code == 1
    assert message in capsys.readouterr().err
    assert not (tmp_path / "out").exists()


def test_an_inflated_workbook_part_is_refused_before_it_is_read(tmp_path: Path) -> None:
    """A part that inflates past `max_inflate_ratio` (a zip bomb) stops the import."""
    # A cell holds 32,767 characters at most: 60 long names make 1.8 MB.
    names = [[f"P{n}", 1, "x" * 30_000 + str(n)] for n in range(60)]
    source = workbook(tmp_path / "bomb.xlsx", HEADER, *names)
    with (
        ck.Limits(max_inflate_ratio=10).applied(),
        pytest.raises(ck.DatasetReadError, match="a zip bomb"),
    ):
        import_partnerships(source)


def test_a_missing_sheet_part_is_a_damaged_workbook(tmp_path: Path) -> None:
    """The first sheet's part missing: an error naming it, not an empty import."""
    source = rewritten(
        workbook(tmp_path / "list.xlsx", HEADER, *ROWS, sheets=2), SHEET, lambda _: None
    )
    with pytest.raises(
        ck.DatasetReadError,
        match=r"names the part xl/worksheets/sheet1\.xml, which the archive does not hold",
    ):
        import_partnerships(source)


def test_a_file_that_is_no_workbook_is_a_located_error(tmp_path: Path) -> None:
    """Bytes that are not a zip archive: the file is named."""
    source = tmp_path / "list.xlsx"
    source.write_bytes(b"not a workbook")
    with pytest.raises(ck.DatasetReadError, match=r"list\.xlsx: not a readable \.xlsx"):
        import_partnerships(source)


def test_a_formula_without_a_saved_value_is_a_located_error(tmp_path: Path) -> None:
    """A formula openpyxl wrote has no value to read: an error at its cell, not an empty cell."""
    source = workbook(
        tmp_path / "list.xlsx",
        [*HEADER, "coordinator"],
        [*ROWS[0], '=CONCATENATE("Optics Valley","")'],
    )
    with pytest.raises(
        ck.DatasetReadError, match=r"Sheet!D2: a formula with no saved value"
    ):
        import_partnerships(source)


def test_workbook_cells_read_as_csv_cells(tmp_path: Path) -> None:
    """Numbers stored as floats, dates, error cells and cells without a header."""
    # A spreadsheet's dates have no time zone.
    midnight = dt.datetime(2016, 1, 1)  # noqa: DTZ001 - as a workbook holds it
    noon = dt.datetime(2017, 12, 31, 12)  # noqa: DTZ001 - as a workbook holds it
    source = workbook(
        tmp_path / "list.xlsx",
        [],
        [*HEADER, None, "start", "end", "eu_grant_eur", "coordinator"],
        [" "],
        [
            *ROWS[0],
            "aside",
            midnight,
            noon,
            447000.0,
            "#N/A",
        ],
        [None, None, None, "only under no header"],
        [*ROWS[1], None, dt.date(2016, 2, 1), None, 1.5],
    )
    # Other writers store whole numbers as floats.
    source = rewritten(
        source, SHEET, lambda xml: xml.replace(b"<v>447000</v>", b"<v>4.47E5</v>")
    )
    result = import_partnerships(source)
    first, second = result.dataset.partnerships
    assert (str(first.start), str(first.grant_eur)) == ("2016-01-01", "447000")
    assert (str(second.start), str(second.grant_eur)) == ("2016-02-01", "1.5")
    messages = [str(note) for note in result.notes_of("not-read")]
    # A time of day is no date of the model: read as text, left out with a note.
    assert first.end is None
    assert any(
        m.startswith("A: end: not-read: '2017-12-31T12:00:00'") for m in messages
    )
    assert (
        "'Sheet' line 4: the values in columns D, which have no header, were not read"
        in messages
    )
    assert (
        "'Sheet' line 5: the values in columns D, which have no header, were not read"
        in messages
    )
    assert any("the cell H4 holds the spreadsheet error #N/A" in m for m in messages)
    assert [p.id for p in result.dataset.partnerships] == ["A", "B"]


def test_a_workbook_without_sheets_has_no_records(tmp_path: Path) -> None:
    """A workbook that lists no sheet: nothing to import, and no error."""
    source = rewritten(
        workbook(tmp_path / "list.xlsx", HEADER),
        "xl/workbook.xml",
        lambda xml: re.sub(rb"<sheets>.*</sheets>", b"<sheets/>", xml),
    )
    result = import_partnerships(source)
    assert result.dataset == ck.Dataset()


# --- Numbers, and the notes file -------------------------------------------------------


@pytest.mark.parametrize("field", ["eu_grant_eur", "smes_reached"])
def test_a_json_integer_over_max_digits_is_left_out_with_a_note(
    tmp_path: Path, field: str
) -> None:
    """10**30 has 31 digits: refused as its text is, so the dataset reads back."""
    source = tmp_path / "list.json"
    source.write_text(
        f'[{{"acronym": "A", "generation": 1, "{field}": {10**30}}}]', encoding="utf-8"
    )
    result = import_partnerships(source)
    (note,) = result.notes_of("not-read")
    assert "has too many digits" in note.message
    (partnership,) = result.dataset.partnerships
    assert partnership.grant_eur is None
    assert partnership.smes_reached is None
    ck.dump_dataset(result.dataset, tmp_path / "out")
    assert ck.load_dataset(tmp_path / "out") == result.dataset


def test_integers_within_max_digits_and_beyond_python_text_are_read() -> None:
    """Within the limit an integer is kept; too long for text, it is refused all the same."""
    result = import_partnerships(
        [
            record(eu_grant_eur=10**29, smes_reached=1),
            record(acronym="B", eu_grant_eur=10**5000),
        ]
    )
    within, beyond = result.dataset.partnerships
    assert within.grant_eur == 10**29
    assert within.smes_reached == 1
    assert beyond.grant_eur is None
    (note,) = result.notes_of("not-read")
    assert note.message.startswith("'a number of about 5,000 digits'")


def test_the_notes_file_is_never_in_dest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """`--notes DEST/clusters.csv` would replace a table just written: refused, exit 2."""
    source = tmp_path / "list.json"
    source.write_text('[{"acronym": "A", "generation": 1}]', encoding="utf-8")
    dest = tmp_path / "out"
    for notes in (dest / "clusters.csv", dest):
        code = main(["import", str(source), str(dest), "--notes", str(notes)])
        assert code == 2
        assert "--notes FILE is DEST or in it" in capsys.readouterr().err
        assert not dest.exists()


def test_a_notes_file_that_cannot_be_written_stops_before_dest(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """A notes file in a missing folder: exit 2 and nothing written, so a rerun works."""
    source = tmp_path / "list.json"
    source.write_text('[{"acronym": "A", "generation": 1}]', encoding="utf-8")
    dest, notes = tmp_path / "out", tmp_path / "missing" / "notes.json"
    assert main(["import", str(source), str(dest), "--notes", str(notes)]) == 2
    assert "cannot write" in capsys.readouterr().err
    assert not dest.exists()
    notes = tmp_path / "notes.json"
    assert main(["import", str(source), str(dest), "--notes", str(notes)]) == 0
    assert json.loads(notes.read_text(encoding="utf-8")) == []
    # DEST that cannot be written leaves no notes file behind.
    assert main(["import", str(source), str(dest), "--notes", str(notes) + "2"]) == 2
    assert not Path(str(notes) + "2").exists()


# --- What was dropped silently -----------------------------------------------------------


def test_a_member_refused_as_a_cluster_leaves_the_partnership_too() -> None:
    """A name with control characters: no cluster, and no member id that refers to none."""
    result = import_partnerships(
        [
            record(
                members=[
                    {"name": "Foo\aBar", "country": "BE"},
                    {"name": "Optics Valley", "country": "FR"},
                ],
                coordinator="Foo\aBar",
            )
        ]
    )
    (partnership,) = result.dataset.partnerships
    assert partnership.members == ("FR-opticsvalley",)
    assert partnership.coordinator is None
    assert [c.id for c in result.dataset.clusters] == ["FR-opticsvalley"]
    told = [str(note) for note in result.notes_of("not-read")]
    assert (
        "A: members: not-read: 'BE-foobar' was left out of the clusters; "
        "left out of the members" in told
    )
    assert (
        "A: coordinator: not-read: 'BE-foobar' was left out of the clusters; "
        "no coordinator set" in told
    )
    rules = {finding.rule for finding in ck.validate(result.dataset).findings}
    assert "CK-FK-003" not in rules


def test_partnership_ids_are_unique_and_their_changes_noted() -> None:
    """Two records of one acronym and generation, and `A;B` beside `A,B`: unique ids."""
    result = import_partnerships(
        [
            record(),
            record(),
            record(acronym="B", id="A;B"),
            record(acronym="C", id="A,B"),
        ]
    )
    ids = [p.id for p in result.dataset.partnerships]
    assert ids == ["A (escp-4i-1)", "A (escp-4i-1) (2)", "A,B", "A,B (2)"]
    told = [str(note) for note in result.notes_of("inferred")]
    assert told == [
        (
            "A: id: inferred: 'A' is the acronym of 2 records; "
            "written as 'A (escp-4i-1)', with its generation"
        ),
        (
            "A: id: inferred: 'A' is the acronym of 2 records; "
            "written as 'A (escp-4i-1)', with its generation"
        ),
        (
            "A: id: inferred: 'A (escp-4i-1)' is the id of an earlier record too; "
            "written as 'A (escp-4i-1) (2)'"
        ),
        "B: id: inferred: 'A;B' read as 'A,B': ';' separates the ids of a list",
        "C: id: inferred: 'A,B' is the id of an earlier record too; written as 'A,B (2)'",
    ]


def test_a_key_given_twice_in_the_document_is_an_error(tmp_path: Path) -> None:
    """`"partnerships"` twice: one list would be lost, so the import stops there."""
    source = tmp_path / "list.json"
    source.write_text(
        '{"partnerships": [{"acronym": "LOST"}], "partnerships": [{"acronym": "KEPT"}]}',
        encoding="utf-8",
    )
    with pytest.raises(
        ck.DatasetReadError,
        match=r"at /partnerships: the document gives the key 'partnerships' more than once",
    ):
        import_partnerships(source)


def test_the_documents_other_keys_are_noted(tmp_path: Path) -> None:
    """Keys beside `partnerships` are not read, and a note says so."""
    source = tmp_path / "list.json"
    source.write_text(
        '{"version": "1", "description": "the list", "partnerships": [{"acronym": "A"}],'
        ' "clusters": [], "notes": 2}',
        encoding="utf-8",
    )
    (note,) = import_partnerships(source).notes_of("not-read")[:1]
    assert note.message == (
        "the document's keys 'clusters', 'notes' were not read; only 'partnerships' is"
    )


@pytest.mark.parametrize(
    ("name", "text", "where"),
    [
        (
            "list.json",
            '[{"acronym": "A", "members": [{"name": "X", "name": "Y", "country": "BE"}]}]',
            "at /0/members/0: the key 'name' is given more than once",
        ),
        (
            "list.jsonl",
            (
                '{"acronym": "A"}\n{"acronym": "B", "target_countries": '
                '[{"country": "US", "priority": "secondary", "priority": "primary"}]}\n'
            ),
            ":2 at /target_countries/0: the key 'priority' is given more than once",
        ),
        (
            "list.json",
            '[{"acronym": "A", "x": [[{"a": {"b": 1, "b": 2}}]]}]',
            "at /0/x/0/0/a: the key 'b'",
        ),
    ],
)
def test_a_key_given_twice_inside_a_list_is_an_error(
    tmp_path: Path, name: str, text: str, where: str
) -> None:
    """In a member or a target object too: one value would be lost silently."""
    source = tmp_path / name
    source.write_text(text, encoding="utf-8")
    with pytest.raises(ck.DatasetReadError, match=re.escape(where)):
        import_partnerships(source)


def test_ecosystems_are_read_from_text(tmp_path: Path) -> None:
    """`digital; health` in a CSV cell, or as JSON text, is a list of ecosystems."""
    source = tmp_path / "list.csv"
    source.write_text(
        "acronym,generation,ecosystems\nA,1,digital; health\nB,1,digital\n",
        encoding="utf-8",
    )
    result = import_partnerships(source)
    assert [[e.value for e in p.ecosystems] for p in result.dataset.partnerships] == [
        ["digital", "health"],
        ["digital"],
    ]
    assert not result.notes
    (json_text,) = import_partnerships(
        [record(ecosystems="digital; nowhere")]
    ).dataset.partnerships
    assert [e.value for e in json_text.ecosystems] == ["digital"]


def test_csv_values_under_an_empty_header_are_noted(tmp_path: Path) -> None:
    """Values in columns without a name are not read, and a note names them."""
    source = tmp_path / "list.csv"
    source.write_text(
        "acronym,,generation,\nA,lost,1,lost too\nB,,1\n", encoding="utf-8"
    )
    result = import_partnerships(source)
    assert [p.id for p in result.dataset.partnerships] == ["A", "B"]
    assert [note.message for note in result.notes] == [
        "list.csv line 2: the values in columns 2, 4, which have no header, were not read"
    ]


def test_a_workbook_header_that_names_a_column_twice_is_an_error(
    tmp_path: Path,
) -> None:
    """The header is the sheet's first row that is not empty, checked as a CSV header is."""
    source = workbook(tmp_path / "list.xlsx", [], ["acronym", "name", "acronym"])
    with pytest.raises(
        ck.DatasetReadError, match=r"list\.xlsx:Sheet:2:3: the header gives the column"
    ):
        import_partnerships(source)


@pytest.mark.parametrize(
    ("generation", "strand", "expected", "note"),
    [
        # A strand's whole name is that strand, though its first word is another's.
        (3, "implementation phase, specific sectors", "2.b", "inferred"),
        (
            2,
            "Preparatory phase, clusters in Earth observation applications",
            "1.b",
            "inferred",
        ),
        # A first word, or one of its stem, is every strand it begins.
        (1, "preparation", "1", "inferred"),
        (1, "impl", "2", "inferred"),
        (2, "preparation", None, "could be strand 1.a, 1.b of escp-4i-2; left out"),
        # A later word the names do not have is no strand at all.
        (
            1,
            "Preparation and implementation",
            None,
            "names no strand of escp-4i-1 (1: preparation phase; 2: implementation phase); left out",
        ),
        (1, "--", None, "names no strand of escp-4i-1"),
    ],
)
def test_a_strand_is_read_from_its_name_word_by_word(
    generation: int, strand: str, expected: str | None, note: str
) -> None:
    """Seven letters of the value were compared: full names were ambiguous or wrong."""
    result = import_partnerships([record(generation=generation, strand=strand)])
    assert result.dataset.partnerships[0].strand == expected
    (found,) = [n for n in result.notes if n.field == "strand"]
    if expected is None:
        assert found.kind == "not-read"
        assert note in found.message
    else:
        assert found.kind == note
        assert found.message.startswith(f"{strand!r} read as strand {expected} (")


def test_a_period_beside_a_start_gives_the_end() -> None:
    """The period was ignored whenever a start or an end was given."""
    result = import_partnerships(
        [record(start="2016-01", end=None, period="2016-01 to 2017-12")]
    )
    partnership = result.dataset.partnerships[0]
    assert (str(partnership.start), str(partnership.end)) == ("2016-01", "2017-12")
    (note,) = [n for n in result.notes if n.field in {"start", "end", "period"}]
    assert (note.field, note.kind) == ("end", "inferred")
    assert note.message == "2017-12 read from the period '2016-01 to 2017-12'"


def test_a_period_that_says_otherwise_than_the_dates_given_is_noted() -> None:
    result = import_partnerships(
        [record(start="2016-02", end="2017-12", period="2016-01 to 2017-12")]
    )
    partnership = result.dataset.partnerships[0]
    assert (str(partnership.start), str(partnership.end)) == ("2016-02", "2017-12")
    (note,) = [n for n in result.notes if n.field == "period"]
    assert note.kind == "not-read"
    assert note.message == (
        "'2016-01 to 2017-12' gives the start 2016-01; the start given, 2016-02, is kept"
    )


def test_a_period_of_no_months_gives_no_end() -> None:
    """`2016-01, 0 months` ended in 2015-12, before it began (CK-DATE-001)."""
    result = import_partnerships([record(period="2016-01, 0 months")])
    partnership = result.dataset.partnerships[0]
    assert str(partnership.start) == "2016-01"
    assert partnership.end is None
    (note,) = [n for n in result.notes if n.field == "period"]
    assert note.kind == "inferred"
    assert "2016-01 to ?" in note.message


def test_keys_of_members_and_targets_no_field_holds_are_noted() -> None:
    """A member's website and a target's comment were dropped without a word."""
    published = record(
        members=[
            {"name": "Optics Valley", "country": "FR", "website": "https://x.example/"},
            {"name": "Photonics Bavaria", "country": "DE", "role": None},
        ],
        target_countries=[
            "US",
            {"country": "USA", "priority": "secondary"},
            {"country": "JP", "priority": "secondary", "comment": "via JETRO"},
        ],
    )
    result = import_partnerships([published])
    notes = {(n.field, n.kind, n.message) for n in result.notes}
    assert notes >= {
        (
            "members",
            "kept-aside",
            "'Optics Valley': website: no field of the model holds them",
        ),
        ("target_countries", "not-read", "'USA' is US again; the first is kept"),
        (
            "target_countries",
            "kept-aside",
            "'JP': comment: no field of the model holds them",
        ),
    }
    # An empty value is nothing left out.
    assert not any("Photonics" in message for _, _, message in notes)
    assert [(t.country, t.priority.value) for t in result.dataset.targets] == [
        ("US", "primary"),
        ("JP", "secondary"),
    ]


def test_members_separated_by_commas_are_read_apart_with_a_note() -> None:
    """`X (BE), Y (FR), Z (DE)` was one organisation, `DE-xbeyfrz`, without a word."""
    result = import_partnerships(
        [record(members="X (BE), Y (FR), Z (DE); Photonics Bavaria (DE)")]
    )
    assert sorted(c.id for c in result.dataset.clusters) == [
        "BE-x",
        "DE-photonicsbavaria",
        "DE-z",
        "FR-y",
    ]
    (note,) = [n for n in result.notes if n.field == "members"]
    assert note.kind == "inferred"
    assert note.message == (
        "'X (BE), Y (FR), Z (DE)' read as 3 members separated by commas; "
        "separate them with ';'"
    )


def test_a_comma_inside_a_member_name_is_part_of_it() -> None:
    result = import_partnerships([record(members="Cluster Lyon, Rhône (FR); Y (BE)")])
    assert [c.name for c in result.dataset.clusters] == ["Y", "Cluster Lyon, Rhône"]
    assert not [n for n in result.notes if n.field == "members"]


def test_export_then_import_gives_back_inferences_and_target_sources() -> None:
    """`start` in `inferred` came back as a note; the target's sources as the partnership's."""
    generation = next(
        g for g in ck.reference.programme().generations if g.id == "escp-4i-1"
    )
    dataset = ck.Dataset.model_validate(
        {
            "generations": [generation],
            "clusters": [
                {"id": "BE-x", "name": "X", "country": "BE"},
                {"id": "FR-y", "name": "Y", "country": "FR"},
            ],
            "partnerships": [
                {
                    "id": "P",
                    "acronym": "P",
                    "name": "P",
                    "generation": "escp-4i-1",
                    "members": ["BE-x", "FR-y"],
                    "start": "2016-01",
                    "inferred": ["start"],
                    "sources": ["https://s.example/"],
                }
            ],
            "targets": [
                {
                    "partnership": "P",
                    "country": "US",
                    "sources": ["https://t.example/"],
                },
                {
                    "partnership": "P",
                    "country": "JP",
                    "sources": ["https://s.example/"],
                },
            ],
        }
    )
    published = ck.io.export_partnerships(dataset)
    assert published[0]["start_basis"] == "inferred"
    assert published[0]["target_countries"] == [
        {"country": "US", "priority": "primary", "sources": ["https://t.example/"]},
        "JP",
    ]
    back = import_partnerships(published)
    assert back.dataset.partnerships[0].inferred == ("start",)
    assert back.dataset.targets == dataset.targets
    assert not back.notes_of("kept-aside")


def test_a_targets_own_sources_are_checked_as_a_records_are() -> None:
    result = import_partnerships(
        [
            record(
                target_countries=[
                    {
                        "country": "US",
                        "sources": "https://a.example/; not a web address",
                    },
                    {"country": "JP", "sources": 7},
                ]
            )
        ]
    )
    assert [t.sources for t in result.dataset.targets] == [("https://a.example/",), ()]
    assert [n.kind for n in result.notes if n.field == "sources"] == [
        "not-read",
        "not-read",
    ]


def test_notes_print_escape_sequences_from_the_file_escaped(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """An acronym and a field name with an ANSI escape print escaped, as values do."""
    source = tmp_path / "list.json"
    source.write_text(
        '[{"acronym": "EV\\u001b[31mIL", "generation": 1, "weird\\u001b[31m": 1}]',
        encoding="utf-8",
    )
    (note,) = import_partnerships(source).notes_of("kept-aside")
    assert note.record == "EV\x1b[31mIL"
    assert note.message.startswith("weird\x1b[31m: ")  # the values stay exact
    assert str(note) == (
        r"EV\x1b[31mIL: kept-aside: weird\x1b[31m: no field of the model holds them"
    )
    assert main(["import", str(source), str(tmp_path / "out")]) == 0
    err = capsys.readouterr().err
    assert "\x1b" not in err
    assert r"EV\x1b[31mIL: kept-aside: weird\x1b[31m: " in err
