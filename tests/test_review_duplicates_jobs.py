"""Defects found by review: CK-DUP-001's organisations, and results that change with jobs."""

from __future__ import annotations

import csv
import datetime as dt
import io
import itertools
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit._scan import Shard, split_csv, split_jsonl
from clusterkit.io import example_path, organisation_key
from clusterkit.io._limits import csv_rows
from clusterkit.kpis import _parallel
from clusterkit.testing import generate_dataset

AS_OF = dt.date(2026, 1, 1)

real_split_csv = split_csv
real_split_jsonl = split_jsonl


def ignore(batch: object, context: object) -> None:
    """An `on_batch` that takes nothing."""
    del batch, context


def same_smes(smes: list[dict[str, Any]]) -> tuple[list[str], dict[str, str]]:
    """CK-DUP-001's messages on these SMEs, and its later id -> first id."""
    report, context = ck.rules.run_checks(
        ck.Dataset(smes=tuple(ck.SME(**fields) for fields in smes)),
        options=ck.rules.Options.build(as_of=AS_OF, select="CK-DUP-001"),
        on_batch=ignore,
    )
    messages = [finding.message for finding in report.findings]
    return messages, context.same_records.get("smes", {})


def sme(sme_id: str, name: str = "Foo GmbH", **fields: Any) -> dict[str, Any]:
    """A German SME."""
    return {"id": sme_id, "name": name, "country": "DE", **fields}


# ---------------------------------------------------------------- CK-DUP-001

NO_VAT = sme("SME-0900")
ONE_VAT = sme("SME-0901", "Foo", vat="DE136695976")
OTHER_VAT = sme("SME-0902", "Foo AG", vat="DE812526315")


def test_two_vat_numbers_are_not_one_sme_through_a_record_without() -> None:
    """A record without numbers, of a name with two VAT numbers, is neither's.

    SME-0900 could be SME-0901's organisation or SME-0902's; which it joined
    depended on the order of the records, and so did the SMEs counted.
    """
    messages, same = same_smes([NO_VAT, ONE_VAT, OTHER_VAT])
    assert messages == [
        (
            "SME 'SME-0900' looks like 'SME-0901' and 'SME-0902' (same name in DE), "
            "which give different VAT numbers or PICs: it is counted as none of them"
        )
    ]
    assert same == {}


def test_the_sme_count_does_not_depend_on_the_order_of_the_records() -> None:
    """The reviewers' examples: in every order, the same SMEs are counted."""
    example = ck.load_dataset(example_path())
    activity = example.activities[0].model_copy(
        update={"id": "A9999", "smes": ("SME-0900", "SME-0901", "SME-0902")}
    )
    involved = ck.compute_kpis(example, as_of=AS_OF)["smes_involved"]
    assert isinstance(involved, int)
    results = [
        ck.compute_kpis(
            example.model_copy(
                update={
                    "smes": (*example.smes, *(ck.SME(**fields) for fields in smes)),
                    "activities": (*example.activities, activity),
                }
            ),
            as_of=AS_OF,
        )
        for smes in itertools.permutations([NO_VAT, ONE_VAT, OTHER_VAT])
    ]
    assert [result["smes_involved"] for result in results] == [involved + 3] * 6
    assert all(result.duplicate_smes == {} for result in results)


def test_a_name_of_several_organisations_matches_by_numbers_only() -> None:
    """SME-0902 (a PIC) could be SME-0900's or SME-0901's: it is neither's."""
    messages, same = same_smes(
        [
            sme("SME-0900", vat="DE136695976", pic="911111111"),
            sme("SME-0901", vat="DE812526315"),
            sme("SME-0902", pic="922222222"),
            sme("SME-0903", "Foo", pic="911111111"),
        ]
    )
    assert messages == ["SME 'SME-0903' looks like 'SME-0900' (same PIC 911111111)"]
    assert same == {"SME-0903": "SME-0900"}


def test_a_later_record_of_an_organisation_names_it_in_the_finding() -> None:
    """S3 matches the name S2 gave S1's organisation, and says so."""
    messages, same = same_smes(
        [
            sme("S1", "Lumen", vat="DE136695976"),
            sme("S2", "Other", vat="DE136695976"),
            sme("S3", "Other AG"),
        ]
    )
    assert messages == [
        "SME 'S2' looks like 'S1' (same VAT number DE136695976)",
        "SME 'S3' looks like 'S1' (same name in DE as 'S2': 'Other AG' and 'Other')",
    ]
    assert same == {"S2": "S1", "S3": "S1"}


def test_national_numbers_of_two_countries_are_two_organisations() -> None:
    """A number without an EU VAT prefix is compared within its country only.

    Norway and Iceland have no EU VAT numbers: the same national number in
    both is two organisations, while in one country it is one.
    """
    fjord = {"name": "Fjord Robotics AS", "country": "NO", "vat": "923609016"}
    geysir = {"name": "Geysir Foods ehf", "country": "IS", "vat": "923609016"}
    assert same_smes([{"id": "S1", **fjord}, {"id": "S2", **geysir}]) == ([], {})
    twin = {**fjord, "id": "S3", "name": "Fjord"}
    messages, same = same_smes([{"id": "S1", **fjord}, {"id": "S2", **geysir}, twin])
    assert messages == ["SME 'S3' looks like 'S1' (same VAT number 923609016)"]
    assert same == {"S3": "S1"}
    # An EU number is one organisation's, whichever country its record gives.
    german = {"name": "Lumen", "vat": "DE136695976"}
    messages, _ = same_smes(
        [
            {"id": "S1", "country": "DE", **german},
            {"id": "S2", "country": "CH", **german},
        ]
    )
    assert messages == ["SME 'S2' looks like 'S1' (same VAT number DE136695976)"]


_ONE_NAME = st.lists(
    st.fixed_dictionaries(
        {"name": st.sampled_from(["Foo", "Foo GmbH", "FOO AG"])},
        optional={"vat": st.sampled_from(["DE136695976", "DE812526315"])},
    ),
    min_size=1,
    max_size=7,
)


@settings(max_examples=200, deadline=None)
@given(_ONE_NAME, st.randoms(use_true_random=False))
def test_records_of_one_name_are_as_many_smes_as_their_vat_numbers(
    drawn: list[dict[str, Any]], random: Any
) -> None:
    """In any order: each VAT number is one SME, and records without one too.

    Records without one join it if there is one, are one SME if there is
    none, and are each their own if there are two (they could be either's).
    """
    records = [sme(f"S{number}", **fields) for number, fields in enumerate(drawn)]
    random.shuffle(records)
    _, same = same_smes(records)
    vats = {record["vat"] for record in records if "vat" in record}
    without = sum(1 for record in records if "vat" not in record)
    expected = max(1, len(vats)) if len(vats) < 2 else len(vats) + without
    assert len(records) - len(same) == expected
    # No SME is counted as one that gives another VAT number.
    by_id = {record["id"]: record for record in records}
    for later, first in same.items():
        organisation = [
            by_id[first],
            *(by_id[i] for i, f in same.items() if f == first),
        ]
        assert len({r["vat"] for r in organisation if "vat" in r}) <= 1, later


# ---------------------------------------------------------------- jobs

SMALL_PART = 16 * 1024


@pytest.fixture(name="small_parts")
def fixture_small_parts(monkeypatch: pytest.MonkeyPatch) -> None:
    """`run_sharded` splits files into parts of 16 KiB and more (4 MiB in use)."""

    def split_jsonl(path: Path, parts: int) -> list[Shard]:
        return real_split_jsonl(path, parts, min_bytes=SMALL_PART)

    def split_csv(path: Path, parts: int) -> list[Shard]:
        return real_split_csv(path, parts, min_bytes=SMALL_PART)

    monkeypatch.setattr(_parallel, "split_jsonl", split_jsonl)
    monkeypatch.setattr(_parallel, "split_csv", split_csv)


def generated(activities: int) -> ck.Dataset:
    """A generated dataset of this many activities."""
    return generate_dataset(
        seed=5, partnerships=6, clusters=25, smes=60, activities=activities
    )


def where(result: ck.KPIResult) -> list[tuple[str, int | None, str | None]]:
    """The findings of a result's report: rule, line and field."""
    assert result.validation is not None
    return [
        (f.rule, f.location.line, f.location.field) for f in result.validation.findings
    ]


@pytest.mark.usefixtures("small_parts")
def test_a_field_given_twice_in_each_part_of_json_lines_is_kept(
    tmp_path: Path,
) -> None:
    """CK-HDR-004 is a record's finding: each part's is kept, as in one process."""
    ck.dump_dataset(generated(3000), tmp_path, layout="jsonl")
    file = tmp_path / "activities.jsonl"
    lines = file.read_text(encoding="utf-8").split("\n")
    for number in (100, 2500):  # in the first part and in the last
        lines[number - 1] = lines[number - 1].replace("{", '{"id": "A-twice", ', 1)
    file.write_text("\n".join(lines), encoding="utf-8")
    shards = real_split_jsonl(file, 3, min_bytes=SMALL_PART)
    assert len(shards) == 3
    assert shards[0].first_line <= 100 < shards[1].first_line
    assert shards[2].first_line <= 2500
    alone = ck.compute_kpis(tmp_path, as_of=AS_OF)
    shared = ck.compute_kpis(tmp_path, as_of=AS_OF, jobs=3)
    assert where(alone) == [("CK-HDR-004", 100, "id"), ("CK-HDR-004", 2500, "id")]
    assert where(shared) == where(alone)
    assert shared == alone
    assert shared.validation is not None
    assert shared.validation.summary.shown == 2


# ---------------------------------------------------------------- csv limit

CSV_DEFAULT_LIMIT = 131_072  # the csv module's own field limit, unless raised
BASE = Path(__file__).parent / "data" / "valid" / "base"
HEADER = "id,partnership,type,start,title\n"


@pytest.fixture(name="csv_default")
def fixture_csv_default() -> Iterator[None]:
    """The `csv` module's field limit at its default, as in a new process."""
    previous = csv.field_size_limit(CSV_DEFAULT_LIMIT)
    try:
        yield
    finally:
        csv.field_size_limit(previous)


def long_cell_folder(folder: Path, length: int) -> Path:
    """The base dataset whose second activity has a title this long."""
    shutil.copytree(BASE, folder)
    rows = [
        "A1,P1,webinar,2018-05-14," + "x" * length,
        "A9,P9,webinar,2018-05-14,unknown partnership",
    ]
    (folder / "activities.csv").write_text(HEADER + "\n".join(rows) + "\n", "utf-8")
    return folder


def read_rules(folder: Path, limits: ck.Limits) -> list[tuple[str, int | None]]:
    """The rules and lines of the findings in activities.csv."""
    report = ck.validate(folder, as_of=AS_OF, limits=limits)
    return [
        (f.rule, f.location.line)
        for f in report.findings
        if Path(f.location.file or "").name == "activities.csv"
    ]


@pytest.mark.usefixtures("csv_default")
def test_a_validation_does_not_change_what_a_later_one_reads(tmp_path: Path) -> None:
    """The reviewer's example: a 300,000-character cell with max_cell_chars 200,000.

    It stops the file at its line (limits.md), before and after a validation
    with the default limits (1,000,000); the csv module's limit is set back.
    """
    folder = long_cell_folder(tmp_path / "data", 300_000)
    limits = ck.Limits(max_cell_chars=200_000)
    first = read_rules(folder, limits)
    by_default = read_rules(folder, ck.Limits())
    again = read_rules(folder, limits)
    assert first == again == [("CK-FILE-001", 2)]
    assert by_default == [("CK-FK-001", 3)]
    assert csv.field_size_limit() == CSV_DEFAULT_LIMIT


@pytest.mark.usefixtures("csv_default")
def test_the_csv_limit_is_raised_only_while_a_row_is_read(tmp_path: Path) -> None:
    """Records read one by one and an import: a long cell reads, the limit is set back."""
    folder = long_cell_folder(tmp_path / "data", 200_000)
    records = ck.iter_records(folder / "activities.csv", ck.ActivityRecord)
    record, _ = next(records)
    assert record.title == "x" * 200_000
    assert csv.field_size_limit() == CSV_DEFAULT_LIMIT  # between two records
    assert [r.id for r, _ in records] == ["A9"]
    path = tmp_path / "partnerships.csv"
    path.write_text("acronym,name\nA," + "x" * 200_000 + "\n", "utf-8")
    imported = ck.io.import_partnerships(path)
    assert imported.dataset.partnerships[0].name == "x" * 200_000
    assert csv.field_size_limit() == CSV_DEFAULT_LIMIT


def test_rows_are_read_in_batches_with_their_lines_and_those_before_a_problem_kept() -> (
    None
):
    """Rows of several lines across batches keep their lines; a bad row comes last."""
    rows = ["id,title"]
    rows += [f'A{n},"two\nlines"' if n % 97 == 0 else f"A{n},t" for n in range(600)]
    text = "\n".join(rows) + '\nA600,"open\n'
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    got: list[tuple[str, int]] = []
    limits: set[int] = set()

    def read_all() -> None:
        for row, line in csv_rows(reader):
            got.append((row[0], line))
            limits.add(csv.field_size_limit())

    with pytest.raises(csv.Error):
        read_all()
    assert limits == {CSV_DEFAULT_LIMIT}  # set back between batches
    assert len(got) == 601  # the header and every row before the open quote
    expected_line = 0
    for (first, line), physical in zip(got, ["id,title", *rows[1:]], strict=True):
        expected_line += physical.count("\n") + 1
        assert line == expected_line, first
    assert got[-1] == ("A599", expected_line)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        # A legal form of four words, and those in Cyrillic and Greek letters.
        ("Wisła Robotics Sp. z o.o.", "Wisła Robotics Sp. z o. o."),
        ("Wisła Robotics", "WISLA ROBOTICS SP. Z O. O."),
        ("Балкан Софт ООД", "Балкан Софт"),
        ("Балкан Софт ЕООД", "балкан софт"),
        ("Αιγαίο Τεχνολογίες Α.Ε.", "ΑΙΓΑΙΟ ΤΕΧΝΟΛΟΓΙΕΣ ΙΚΕ"),  # noqa: RUF001 - Greek letters are the case
        # Optional vowel points are accents, as in Latin letters.
        ("عربي", "عَرَبِيّ"),
    ],
)
def test_names_of_one_organisation_have_one_key(one: str, other: str) -> None:
    """`Sp. z o. o.` (four words) and Cyrillic or Greek forms were kept in the key."""
    assert organisation_key(one) == organisation_key(other)


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ("कमल", "कोमल"),  # Kamal and Komal: a vowel sign is a letter
        ("क्षमा", "कषमा"),  # a virama joins two letters
        ("กิน", "กน"),  # a Thai vowel above
    ],
)
def test_names_that_differ_by_a_vowel_sign_are_two(one: str, other: str) -> None:
    """The vowel signs of Indic and Thai words were dropped: two names, one key."""
    assert organisation_key(one) != organisation_key(other)
