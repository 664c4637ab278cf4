"""Importing published partnership lists, and the shipped programme register."""

from __future__ import annotations

import csv
import datetime as dt
import json
import re
from collections.abc import Mapping
from pathlib import Path
from typing import Any

import openpyxl
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit import reference
from clusterkit.cli import main
from clusterkit.io import ImportNote, _import, export_partnerships, import_partnerships
from clusterkit.io._organisations import (
    LEGAL_FORMS,
    _words,
    cluster_id,
    has_legal_form,
    organisation_key,
)
from clusterkit.io._periods import PeriodReading, read_period
from clusterkit.models import Partnership
from conftest import write

REGISTER = Path(ck.__file__).parent / "data" / "programme" / "register.json"


def record(**fields: Any) -> dict[str, Any]:
    """A published record with three members, as the register writes them."""
    base: dict[str, Any] = {
        "acronym": "AdPack",
        "name": "Advanced Packaging",
        "generation": 1,
        "strand": "preparation",
        "funding": "co-funded",
        "members": [
            {"name": "BalticNet-PlasmaTec e.V.", "country": "DE"},
            {"name": "Nanoprogress z.s.", "country": "CZ"},
            {"name": "Plastiwin", "country": "BE"},
        ],
        "coordinator": "Nanoprogress",
        "period": "2016-01-01, 24 months",
        "target_countries": ["US", "JP"],
        "sources": ["https://example.org/adpack"],
    }
    base.update(fields)
    return base


# --- Organisation names ------------------------------------------------------------


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("Optics Valley", "OpticsValley"),
        ("Plastiwin", "PLASTIWIN"),
        ("Human.Technology Styria", "Human Technology Styria"),
        ("CREA Hydro & Energy", "CREA Hydro&Energy"),
        (
            "bwcon - Baden-Württemberg: Connected e.V.",
            "bwcon - Baden-Wurttemberg: Connected",
        ),
        ("Media Evolution Southern Sweden AB", "Media Evolution Southern Sweden"),
        ("Nanoprogress z.s.", "Nanoprogress"),
        ("Packbridge GmbH", "Packbridge"),
        ("Łódź Sensors Sp. z o.o.", "LODZ SENSORS"),
        ("Müller GmbH & Co. KG", "Muller"),
        ("Ørsted Optics A/S", "Orsted Optics"),
        ("Bio Tech S.r.l.", "Bio Tech Ltd"),
        ("Nordic Lasers Oy Ab", "Nordic Lasers"),
    ],
)
def test_variant_names_share_a_key(one: str, other: str) -> None:
    """Case, accents, punctuation, spacing and a legal form do not tell names apart."""
    assert organisation_key(one) == organisation_key(other)


def test_a_legal_form_alone_is_a_name() -> None:
    """A name that is only a legal-form word keeps it; different names differ."""
    assert organisation_key("AB") == "ab"
    assert organisation_key("Sp. z o.o.") == "spzoo"
    assert organisation_key("Optics Valley") != organisation_key("Optics Hill")
    assert has_legal_form("Media Evolution AB")
    assert not has_legal_form("AB")


@given(st.text(alphabet="AEIOUaeiou bcdfgXYZ.&-", min_size=1, max_size=40))
def test_plain_names_key_as_their_accented_spellings(name: str) -> None:
    """An ASCII name (read without Unicode normalisation) keys as its accented form.

    The accented form contains non-ASCII letters, so it takes the path that
    takes accents off; the two must agree.
    """
    accented = name.translate(str.maketrans("AEIOUaeiou", "ÀÉÎÕÜàéîõü"))
    assert organisation_key(name) == organisation_key(accented)
    assert has_legal_form(f"{name} AB") == has_legal_form(f"{accented} AB")


@given(st.text(alphabet=st.characters(max_codepoint=127), max_size=40))
def test_ascii_names_split_into_words_as_the_patterns_split_them(name: str) -> None:
    """The quick split of ASCII names agrees with the patterns every name took before.

    Dots and apostrophes join what they separate ("e.V." is "ev"); any other
    character that is not a letter or a digit (the underscore too) separates.
    """
    reference = re.findall(r"[^\W_]+", re.sub(r"[.\u00b7'\u2019]", "", name.casefold()))
    assert _words(name) == reference


def _key_looking_at_every_ending(name: str) -> str:
    """`organisation_key` without its shortcut: every ending tried as a legal form."""
    words = _words(name)
    while True:
        form = next(
            (
                size
                for size in range(min(3, len(words) - 1), 0, -1)
                if "".join(words[-size:]) in LEGAL_FORMS
            ),
            0,
        )
        if not form:
            return "".join(words)
        del words[-form:]


# Legal forms as written (in several words too), words that end a legal form
# in part, and words that end none.
_NAME_WORDS = st.sampled_from(
    ["Sp. z o.o.", "z o.o.", "GmbH & Co. KG", "Co. KG", "Oy Ab", "S.A.", "o.o.",
     "zoo", "GmbH", "s", "a", "Nord", "Optics", "Valley", "ltd", "Bio"]
)  # fmt: skip


@given(st.lists(_NAME_WORDS, min_size=1, max_size=7).map(" ".join))
def test_the_key_looks_only_at_endings_of_legal_forms(name: str) -> None:
    """Looking further only when the last word may end a legal form changes no key."""
    assert organisation_key(name) == _key_looking_at_every_ending(name)


def test_cluster_ids_are_short_and_stable() -> None:
    """Ids are country and key; a long key is cut and hashed, still unique."""
    assert cluster_id("DE", "optence") == "DE-optence"
    long_one, long_other = cluster_id("DE", "x" * 80), cluster_id("DE", "x" * 81)
    assert len(long_one) == 64
    assert long_one != long_other


# --- Periods -----------------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "reading"),
    [
        ("2016-01 to 2017", PeriodReading("2016-01", "2017", None)),
        ("2016-02-01, 24 months", PeriodReading("2016-02-01", "2018-01-31", None)),
        (
            "2021-09-28 kick-off, 24 months",
            PeriodReading("2021-09-28", "2023-09-27", None),
        ),
        ("2022-09, 30 months", PeriodReading("2022-09", "2025-02", None)),
        ("2018, 12 months", PeriodReading("2018", "2018-12", None)),
        ("ended 2019-06-30", PeriodReading(None, "2019-06-30", None)),
        ("2022-09 start", PeriodReading("2022-09", None, None)),
        (
            "2020-09 to 2022-02-28 (18 months)",
            PeriodReading("2020-09", "2022-02-28", "2020-09 to 2022-02-28 (18 months)"),
        ),
        (
            "2018 (early) to 2019, two years",
            PeriodReading("2018", "2019", "2018 (early) to 2019, two years"),
        ),
        ("24 months", PeriodReading(None, None, "24 months")),
        (
            "two years, ended 15 December (2019 inferred)",
            PeriodReading(None, None, "two years, ended 15 December (2019 inferred)"),
        ),
        ("2019-13 to 2020", PeriodReading(None, "2020", "2019-13 to 2020")),
        ("2019-02-30, 3 months", PeriodReading(None, None, "2019-02-30, 3 months")),
    ],
)
def test_periods_as_published(text: str, reading: PeriodReading) -> None:
    """Ranges, durations, an end alone, a start alone; remarks reported, not read."""
    assert read_period(text) == reading


# --- The importer ------------------------------------------------------------------


def test_a_record_becomes_tables() -> None:
    """Members become clusters, the coordinator is found by name, targets by country."""
    result = import_partnerships([record()])
    dataset = result.dataset
    (partnership,) = dataset.partnerships
    assert partnership.id == "AdPack"
    assert partnership.generation == "escp-4i-1"
    assert partnership.strand == "1"
    assert partnership.members == (
        "DE-balticnetplasmatec",
        "CZ-nanoprogress",
        "BE-plastiwin",
    )
    assert partnership.coordinator == "CZ-nanoprogress"
    assert (partnership.start, partnership.end) == (
        dt.date(2016, 1, 1),
        dt.date(2017, 12, 31),
    )
    assert partnership.sources == ("https://example.org/adpack",)
    assert [t.country for t in dataset.targets] == ["US", "JP"]
    assert dataset.targets[0].sources == ("https://example.org/adpack",)
    assert {c.id: c.name for c in dataset.clusters}["DE-balticnetplasmatec"] == (
        "BalticNet-PlasmaTec e.V."
    )
    assert [g.id for g in dataset.generations] == ["escp-4i-1"]
    assert ck.validate(dataset).summary.error == 0
    strand_note = result.notes_of("inferred")[0]
    assert strand_note == ImportNote(
        "AdPack",
        "strand",
        "inferred",
        "'preparation' read as strand 1 (preparation phase)",
    )


def test_variant_names_merge_in_one_country_only() -> None:
    """One organisation under two names is one cluster; the same name abroad is not."""
    result = import_partnerships(
        [
            record(acronym="A", members=[{"name": "Optics Valley", "country": "FR"}]),
            record(acronym="B", members=[{"name": "OpticsValley", "country": "FR"}]),
            record(acronym="C", members=[{"name": "Optics Valley", "country": "BE"}]),
        ]
    )
    ids = sorted(c.id for c in result.dataset.clusters)
    assert ids == ["BE-opticsvalley", "FR-opticsvalley"]
    (merged,) = result.notes_of("merged")
    assert (
        "'Optics Valley' and 'OpticsValley' are one organisation, FR-opticsvalley"
        in merged.message
    )


@settings(max_examples=25, deadline=None)
@given(st.permutations(range(4)))
def test_merging_does_not_depend_on_order(order: list[int]) -> None:
    """Ids, names and members are the same whatever the order of the records."""
    records = [
        record(
            acronym="A",
            members=[
                {"name": "Optics Valley", "country": "FR"},
                {"name": "Plastiwin", "country": "BE"},
            ],
        ),
        record(acronym="B", members=[{"name": "OpticsValley", "country": "FR"}]),
        record(
            acronym="C",
            members=[
                {"name": "PLASTIWIN", "country": "BE"},
                {"name": "Techtera", "country": "FR"},
            ],
        ),
        record(
            acronym="D",
            members=[
                {"name": "TECHTERA", "country": "FR"},
                {"name": "Optics Valley", "country": "FR"},
            ],
        ),
    ]
    baseline = import_partnerships(records).dataset
    shuffled = import_partnerships([records[i] for i in order]).dataset
    assert sorted(shuffled.clusters, key=lambda c: c.id) == sorted(
        baseline.clusters, key=lambda c: c.id
    )
    assert sorted(shuffled.partnerships, key=lambda p: p.id) == sorted(
        baseline.partnerships, key=lambda p: p.id
    )


def test_the_coordinator_is_found_in_another_partnership() -> None:
    """A coordinator not listed as a member but known elsewhere is added, with a note."""
    result = import_partnerships(
        [
            record(acronym="A", coordinator="LITEK"),
            record(
                acronym="B",
                members=[{"name": "LITEK - Laser Cluster", "country": "LT"}],
                coordinator=None,
            ),
        ]
    )
    first = result.dataset.partnership("A")
    assert first.coordinator == "LT-liteklasercluster"
    assert first.coordinator in first.members
    assert any(n.field == "coordinator" and n.kind == "inferred" for n in result.notes)


def test_what_cannot_be_placed_is_reported() -> None:
    """Unknown coordinators, members without a country, unread values: all noted."""
    result = import_partnerships(
        [
            record(
                acronym="X",
                generation="escp-9",
                strand="whatever",
                funding="sponsored",
                coordinator="Nobody Known",
                period="two years",
                members=[
                    {"name": "Somewhere", "country": "Atlantis"},
                    {"name": "...", "country": "DE"},
                ],
                target_countries=["Mars", "US"],
                figures={"smes": 12},
                notes="a remark",
            )
        ]
    )
    kinds = {(n.field, n.kind) for n in result.notes}
    assert ("members", "unplaced") in kinds
    assert ("members", "not-read") in kinds
    assert ("coordinator", "unplaced") in kinds
    assert ("generation", "not-read") in kinds
    assert ("funding", "not-read") in kinds
    assert ("period", "not-read") in kinds
    assert ("target_countries", "not-read") in kinds
    (aside,) = result.notes_of("kept-aside")
    assert aside.message == "figures, notes: no field of the model holds them"
    partnership = result.dataset.partnerships[0]
    assert partnership.members == ()
    assert partnership.funding is ck.models.Funding.CO_FUNDED


@pytest.mark.parametrize(
    ("generation", "strand", "expected", "note"),
    [
        ("escp-4i-2", "preparation", None, "not-read"),
        ("escp-4i-2", "1.b", "1.b", None),
        ("euroclusters-1", "A", None, "not-read"),
        (4, "A", "A", None),
    ],
)
def test_strands(
    generation: object, strand: str, expected: str | None, note: str | None
) -> None:
    """A strand name is mapped only when it names one strand of the generation."""
    result = import_partnerships([record(generation=generation, strand=strand)])
    assert result.dataset.partnerships[0].strand == expected
    strand_notes = [n.kind for n in result.notes if n.field == "strand"]
    assert strand_notes == ([note] if note else [])


def test_duplicate_acronyms_get_their_generation() -> None:
    """Two records with one acronym keep apart, each id naming its generation, noted."""
    result = import_partnerships([record(), record(generation=2, strand="2")])
    assert [p.id for p in result.dataset.partnerships] == [
        "AdPack (escp-4i-1)",
        "AdPack (escp-4i-2)",
    ]
    assert [note for note in result.notes if note.field == "id"] == [
        ImportNote(
            "AdPack",
            "id",
            "inferred",
            f"'AdPack' is the acronym of 2 records; written as {identity!r}, "
            "with its generation",
        )
        for identity in ("AdPack (escp-4i-1)", "AdPack (escp-4i-2)")
    ]


def test_inferences_are_named_in_the_record() -> None:
    """A basis that says "inferred" names its field in `Partnership.inferred`."""
    result = import_partnerships(
        [
            record(
                generation_basis="inferred: timing",
                strand_basis="stated",
                funding="co-funded (SMP grant)",
            )
        ]
    )
    partnership = result.dataset.partnerships[0]
    assert partnership.inferred == ("generation",)
    assert (
        ImportNote("AdPack", "generation", "inferred", "inferred: timing")
        in result.notes
    )
    assert any(n.field == "funding" and n.kind == "inferred" for n in result.notes)


@pytest.mark.parametrize(
    "basis",
    [
        "stated: 'funded under the defence call' (= 2020 call strand B, inferred)",
        "stated as 'funded by COSME'; ESCP-4i status not explicitly confirmed",
        "not stated; plausible but unconfirmed",
        "Inferred from the call's dates",
    ],
)
def test_a_basis_that_says_inferred_or_unconfirmed_anywhere_is_an_inference(
    basis: str,
) -> None:
    """The register says so at the end of a basis too, or says "unconfirmed"."""
    result = import_partnerships([record(strand_basis=basis)])
    assert result.dataset.partnerships[0].inferred == ("strand",)
    assert ImportNote("AdPack", "strand", "inferred", basis) in result.notes


@pytest.mark.parametrize(
    "basis", ["stated", "stated: confirmed by the coordinator", "not stated"]
)
def test_a_basis_that_states_is_no_inference(basis: str) -> None:
    """Only the words that say a value was not confirmed make an inference."""
    result = import_partnerships([record(strand_basis=basis)])
    assert result.dataset.partnerships[0].inferred == ()


def test_members_partial_switches_off_the_member_count_rules() -> None:
    """A partnership with one known member fails CK-PART-001 unless its list is partial."""
    one = [record(members=[{"name": "Plastiwin", "country": "BE"}], coordinator=None)]
    complete = ck.validate(import_partnerships(one).dataset)
    partial = ck.validate(import_partnerships(one, members_partial=True).dataset)
    assert "CK-PART-001" in complete.summary.by_rule
    assert "CK-PART-001" not in partial.summary.by_rule
    assert "CK-PART-002" not in partial.summary.by_rule


# --- Every input format ------------------------------------------------------------


def write_csv(path: Path) -> Path:
    """The record as a CSV row."""
    return write(
        path,
        "acronym,name,generation,strand,members,coordinator,period,target_countries,sources\n"
        'AdPack,Advanced Packaging,1,preparation,"BalticNet-PlasmaTec e.V. (DE); '
        'Nanoprogress z.s. (CZ); Plastiwin (BE)",Nanoprogress,"2016-01-01, 24 months",US;JP,'
        "https://example.org/adpack\n",
    )


def test_every_input_format_gives_the_same_dataset(tmp_path: Path) -> None:
    """JSON (list or document), JSON Lines, CSV and xlsx give one dataset."""
    expected = import_partnerships([record(funding=None)]).dataset
    one = {k: v for k, v in record().items() if k != "funding"}
    listed = write(tmp_path / "list.json", json.dumps([one]))
    document = write(tmp_path / "doc.json", json.dumps({"partnerships": [one]}))
    lines = write(tmp_path / "list.jsonl", json.dumps(one) + "\n\n")
    table = write_csv(tmp_path / "list.csv")
    workbook = openpyxl.Workbook()
    sheet = workbook.create_sheet("partnerships", 0)
    with table.open(encoding="utf-8") as handle:
        for row in csv.reader(handle):
            sheet.append(row)
    sheet.append([None] * 3)
    workbook.save(tmp_path / "list.xlsx")
    for source in (listed, document, lines, table, tmp_path / "list.xlsx"):
        assert import_partnerships(source).dataset == expected, source


@pytest.mark.parametrize(
    ("name", "text", "message"),
    [
        ("bad.json", "{", "bad.json:1: not valid JSON: Expecting property name"),
        ("bad.json", '{"partnerships": 3}', "expected a list of records"),
        (
            "bad.jsonl",
            '{"acronym": "A"}\n[1]\n',
            "bad.jsonl:2: a line must hold one JSON object",
        ),
        ("bad.jsonl", "{\n", "bad.jsonl:1: not valid JSON"),
        # A quote left open would swallow the rows after it: refused, located.
        (
            "bad.csv",
            'acronym,name\nA,"Alpha\nB,Beta\n',
            "bad.csv:2: malformed CSV: unexpected end of data",
        ),
        (
            "long.csv",
            "acronym,name\nA,Alpha\nB," + "x" * 1_000_001 + "\n",
            r"long.csv:3: malformed CSV: field larger than field limit \(1000000\)",
        ),
        ("list.txt", "x", "cannot import .txt"),
    ],
)
def test_unreadable_input_is_a_located_error(
    tmp_path: Path, name: str, text: str, message: str
) -> None:
    """A file that is not records raises DatasetReadError naming it."""
    path = write(tmp_path / name, text)
    with pytest.raises(ck.DatasetReadError, match=message):
        import_partnerships(path)


def test_a_csv_cell_longer_than_the_csv_module_limit_imports(tmp_path: Path) -> None:
    """A 200,000-character cell (the csv module's own limit is 131,072) is read."""
    path = write(tmp_path / "x.csv", "acronym,name\nA," + "x" * 200_000 + "\n")
    previous = csv.field_size_limit(131_072)
    try:
        result = import_partnerships(path)
    finally:
        csv.field_size_limit(previous)
    assert result.dataset.partnerships[0].name == "x" * 200_000


@pytest.mark.parametrize("separator", [";", "\t"])
def test_a_csv_file_separated_otherwise_imports_as_with_commas(
    tmp_path: Path, separator: str
) -> None:
    """Semicolons (Excel where the comma is the decimal mark) or tabs: read, and noted."""
    rows = [
        ["acronym", "name", "generation", "members"],
        ["A", "Alpha, the first", "1", "Optics Valley (FR); Photonics Bavaria (DE)"],
    ]
    written = {}
    for name, delimiter in (("commas.csv", ","), ("other.csv", separator)):
        with (tmp_path / name).open("w", encoding="utf-8", newline="") as handle:
            csv.writer(handle, delimiter=delimiter).writerows(rows)
        written[name] = import_partnerships(tmp_path / name)
    assert written["other.csv"].dataset == written["commas.csv"].dataset
    (note,) = written["other.csv"].notes_of("inferred")[:1]
    assert (note.record, note.field) == (None, None)
    assert "other.csv are separated by" in note.message
    assert not any("separated" in n.message for n in written["commas.csv"].notes)


def test_an_empty_csv_file_imports_nothing(tmp_path: Path) -> None:
    """No header, no records: an empty dataset, no note."""
    result = import_partnerships(write(tmp_path / "empty.csv", ""))
    assert result.dataset == ck.Dataset()
    assert result.notes == ()


def test_a_missing_file_is_an_error(tmp_path: Path) -> None:
    """A file that does not exist is a DatasetReadError, not an OSError."""
    with pytest.raises(ck.DatasetReadError, match="No such file"):
        import_partnerships(tmp_path / "none.json")


def test_a_member_cell_without_a_country(tmp_path: Path) -> None:
    """A CSV member without "(CC)" has no country: reported, left out."""
    path = write(
        tmp_path / "x.csv", "acronym,name,generation,members\nA,Alpha,1,Somebody\n"
    )
    result = import_partnerships(path)
    assert result.dataset.partnerships[0].members == ()
    assert result.notes_of("unplaced")


# --- The command line ----------------------------------------------------------------


def test_import_command(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`clusterkit import` writes the dataset and the notes, and leaves SRC alone."""
    source = write_csv(tmp_path / "list.csv")
    before = source.read_bytes()
    notes = tmp_path / "notes.json"
    code = main(
        ["import", str(source), str(tmp_path / "out.json"), "--notes", str(notes)]
    )
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.out.startswith("wrote")
    assert "1 partnerships" in captured.out
    assert "AdPack: strand: inferred" in captured.err
    assert json.loads(notes.read_text(encoding="utf-8"))[0]["kind"] == "inferred"
    assert source.read_bytes() == before
    assert ck.load_dataset(tmp_path / "out.json").partnerships[0].id == "AdPack"
    assert main(["import", str(source), str(tmp_path / "out.json")]) == 2
    assert main(["import", str(source), str(source)]) == 2
    assert (
        main(["import", str(tmp_path / "missing.csv"), str(tmp_path / "o.json")]) == 1
    )


# --- The shipped register --------------------------------------------------------------


def shipped() -> Mapping[str, Any]:
    """The shipped register file."""
    loaded: Mapping[str, Any] = json.loads(REGISTER.read_text(encoding="utf-8"))
    return loaded


def test_the_register_is_versioned_and_sourced() -> None:
    """The register carries the reference-data version; every record has sources."""
    register = shipped()
    assert register["version"] == reference.version()
    assert len(register["partnerships"]) == 51
    assert all(record["sources"] for record in register["partnerships"])


def test_the_importer_reproduces_the_shipped_programme() -> None:
    """Importing the register gives exactly the shipped dataset and notes."""
    result = import_partnerships(REGISTER, members_partial=True)
    assert result.dataset == reference.programme()
    notes = [
        {"record": n.record, "field": n.field, "kind": n.kind, "message": n.message}
        for n in result.notes
    ]
    assert notes == [dict(n) for n in reference.programme_notes()]


def test_the_programme_validates_without_errors() -> None:
    """No error finding; the warnings are those the register's page explains."""
    report = ck.validate(reference.programme_path())
    assert report.summary.error == 0, [
        str(f) for f in report.findings if f.severity is ck.Severity.ERROR
    ]
    assert set(report.summary.by_rule) <= {
        "CK-ORPHAN-001",
        "CK-PART-007",
        "CK-DATE-005",
    }


def test_kpis_use_every_partnership() -> None:
    """The KPI gate keeps all 51 partnerships of the register."""
    result = ck.compute_kpis(reference.programme())
    assert result.kpis["partnerships"] == 51
    assert result.records["partnerships"].excluded == 0
    assert result.target_markets


def test_programme_records_keep_their_sources() -> None:
    """Partnerships, clusters and targets all name where their facts come from."""
    programme = reference.programme()
    assert len(programme.partnerships) == 51
    assert all(p.sources for p in programme.partnerships)
    assert all(c.sources for c in programme.clusters)
    assert all(t.sources for t in programme.targets)
    assert all(p.members_partial for p in programme.partnerships)


def test_edge_records(tmp_path: Path) -> None:
    """A CSV without members, duplicate unknown generations, a target given twice."""
    path = write(tmp_path / "x.csv", "acronym,name,generation\nA,Alpha,1\n")
    assert import_partnerships(path).dataset.partnerships[0].members == ()
    twins = import_partnerships([record(generation="x"), record(generation="x")])
    assert [p.id for p in twins.dataset.partnerships] == [
        "AdPack (x)",
        "AdPack (x) (2)",
    ]
    assert len([n for n in twins.notes if n.field == "generation"]) == 2
    once = import_partnerships(
        [record(target_countries=["US", "USA", "United States"])]
    )
    assert [t.country for t in once.dataset.targets] == ["US"]


def test_import_without_notes_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Without --notes the notes go to stderr only."""
    source = write_csv(tmp_path / "list.csv")
    assert main(["import", str(source), str(tmp_path / "out")]) == 0
    assert "notes:" in capsys.readouterr().out
    assert not list(tmp_path.glob("*.json"))


def test_programme_on_the_command_line(capsys: pytest.CaptureFixture[str]) -> None:
    """`--programme` validates and computes on the shipped register."""
    assert main(["validate", "--programme"]) == 0
    assert "0 errors" in capsys.readouterr().out
    assert main(["kpis", "--programme", "--format", "json"]) == 0
    assert json.loads(capsys.readouterr().out)["kpis"]["partnerships"] == 51
    assert main(["validate", "--programme", "data/"]) == 2
    assert "not both" in capsys.readouterr().err


NAMES = [
    "Optics Valley",
    "OpticsValley",
    "Plastiwin",
    "PLASTIWIN",
    "Techtera",
    "Nanoprogress z.s.",
]
COUNTRIES = ["FR", "BE", "CZ", "DE", "EL"]
PERIOD_DATES = ["2016", "2016-02", "2016-02-10", "2017", "2017-12", "2017-12-31"]


@st.composite
def published_records(draw: st.DrawFn) -> list[dict[str, Any]]:
    """Published records: variant names, countries, partial dates, targets."""
    count = draw(st.integers(1, 4))
    records = []
    for number in range(count):
        members = draw(
            st.lists(
                st.fixed_dictionaries(
                    {
                        "name": st.sampled_from(NAMES),
                        "country": st.sampled_from(COUNTRIES),
                    }
                ),
                max_size=4,
            )
        )
        records.append(
            {
                "acronym": f"P{number}",
                "name": f"Partnership {number}",
                "generation": draw(
                    st.sampled_from([1, 2, "escp-4i-4", "euroclusters-1"])
                ),
                "members": members,
                "coordinator": draw(st.sampled_from([None, *NAMES])),
                "start": draw(st.sampled_from([None, *PERIOD_DATES[:3]])),
                "end": draw(st.sampled_from([None, *PERIOD_DATES[3:]])),
                "target_countries": draw(
                    st.lists(st.sampled_from(["US", "JP", "CN"]), max_size=3)
                ),
                "sources": [f"https://example.org/{number}"],
            }
        )
    return records


@settings(max_examples=40, deadline=None)
@given(published_records())
def test_export_then_import_round_trips(records: list[dict[str, Any]]) -> None:
    """An imported dataset, exported and imported again, is the same dataset."""
    first = import_partnerships(records).dataset
    again = import_partnerships(export_partnerships(first)).dataset
    assert again == first
    for partnership, twin in zip(first.partnerships, again.partnerships, strict=True):
        for day, same in ((partnership.start, twin.start), (partnership.end, twin.end)):
            assert str(day) == str(same)  # the precision survives, not only the day


def test_the_register_round_trips() -> None:
    """The shipped programme exports and imports back unchanged."""
    programme = reference.programme()
    assert (
        import_partnerships(
            export_partnerships(programme), members_partial=True
        ).dataset
        == programme
    )


# ---------------------------------------------------------------- values no model takes

_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=80),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=8), inner, max_size=3)
    ),
    max_leaves=8,
)
_PUBLISHED_KEYS = st.sampled_from(
    [
        "id", "acronym", "name", "generation", "strand", "funding", "members",
        "coordinator", "period", "start", "end", "target_countries", "sectors",
        "sources", "eu_grant_eur", "website", "generation_basis", "other",
    ]
)  # fmt: skip


@settings(max_examples=150, deadline=None)
@given(st.lists(st.dictionaries(_PUBLISHED_KEYS, _JSON_VALUES, max_size=8), max_size=4))
def test_any_published_values_import_with_notes(records: list[dict[str, Any]]) -> None:
    """Values of any shape give a dataset and notes, never an exception."""
    result = import_partnerships(records)
    assert len(result.dataset.partnerships) <= len(records)
    # What was read is a dataset as it loads: writing and reading it gives it back.
    again = ck.load_dataset(json.loads(result.dataset.model_dump_json()))
    assert again == result.dataset


def test_a_source_that_is_no_web_address_is_left_out_with_a_note() -> None:
    """The record's other sources are kept on the partnership, its clusters and targets."""
    result = import_partnerships(
        [record(sources=["https://example.org/adpack", "see the annual report"])]
    )
    (partnership,) = result.dataset.partnerships
    assert partnership.sources == ("https://example.org/adpack",)
    assert all(
        c.sources == ("https://example.org/adpack",) for c in result.dataset.clusters
    )
    (note,) = [n for n in result.notes if n.field == "sources"]
    assert (note.record, note.kind) == ("AdPack", "not-read")
    assert "'see the annual report' is not a web address" in note.message


def test_a_partnership_whose_id_no_model_takes_is_left_out_with_its_targets() -> None:
    """A 70-character acronym is no id: the partnership, and its targets, are left out."""
    long = "A" * 70
    result = import_partnerships([record(acronym=long), record(acronym="Other")])
    assert [p.id for p in result.dataset.partnerships] == ["Other"]
    assert {t.partnership for t in result.dataset.targets} == {"Other"}
    (note,) = [n for n in result.notes if n.record == long and n.kind == "not-read"]
    assert note.field == "id"
    assert note.message.endswith(f"the partnership record {long!r} was left out")


def test_values_of_the_wrong_shape_are_read_or_noted() -> None:
    """A list given as text is split as a CSV cell is; a value of no list shape is noted."""
    result = import_partnerships(
        [
            record(
                target_countries="US; Japan",
                members=[
                    "Plastiwin (BE)",
                    7,
                    {"name": "Nanoprogress z.s.", "country": "CZ"},
                ],
                sectors={"a": 1},
                eu_grant_eur="1.200,50",
            )
        ]
    )
    (partnership,) = result.dataset.partnerships
    assert sorted(t.country for t in result.dataset.targets) == ["JP", "US"]
    assert partnership.members == ("BE-plastiwin", "CZ-nanoprogress")
    assert partnership.sectors == ()
    assert partnership.grant_eur is None
    notes = {(n.field, n.message) for n in result.notes if n.kind == "not-read"}
    assert ("members", "7 is no member; left out") in notes
    assert ("sectors", "{'a': 1} is no list; left out") in notes
    assert any(
        field == "grant_eur" and message.startswith("'1.200,50'")
        for field, message in notes
    )


def test_a_list_item_no_model_takes_is_left_out_with_a_note() -> None:
    """A sector with a control character: that item out, the others kept."""
    result = import_partnerships([record(sectors=["packaging", "bad\x01"])])
    assert result.dataset.partnerships[0].sectors == ("packaging",)
    (note,) = [n for n in result.notes if n.field == "sectors"]
    assert note.message.startswith("'bad\\x01'")
    assert note.message.endswith("; left out")


def test_a_row_without_a_required_field_is_left_out() -> None:
    """The check of a built row: a required field missing leaves the record out, noted."""
    importer = _import._Importer([], members_partial=False)
    assert importer._checked(Partnership, {"id": "P1"}, "P1") is None
    (note,) = importer.notes
    assert (note.record, note.field, note.kind) == ("P1", "acronym", "not-read")
    assert note.message == "Field required; the partnership record 'P1' was left out"
