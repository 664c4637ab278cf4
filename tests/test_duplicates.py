"""Duplicates and identifiers: CK-DUP-001, CK-DUP-002, CK-ID-001 and CK-ID-002."""

from __future__ import annotations

import datetime as dt
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit.io import organisation_key
from clusterkit.rules._checks._duplicates import vat_key, vat_problem
from clusterkit.rules._context import Context

AS_OF = dt.date(2026, 1, 1)


def check(rules: str, **tables: list[dict[str, Any]]) -> list[ck.Finding]:
    """The findings of `rules` on a dataset of these tables."""
    report = ck.validate(ck.Dataset(**tables), as_of=AS_OF, select=rules)
    return list(report.findings)


def messages(findings: list[ck.Finding]) -> list[str]:
    """The findings' messages, in report order."""
    return [finding.message for finding in findings]


def sme(sme_id: str, name: str = "Lumen Optics", **fields: Any) -> dict[str, Any]:
    """An SME record, German unless told otherwise."""
    return {"id": sme_id, "name": name, "country": "DE", **fields}


def cluster(cluster_id: str, name: str, **fields: Any) -> dict[str, Any]:
    """A cluster record, German unless told otherwise."""
    return {"id": cluster_id, "name": name, "country": "DE", **fields}


# ---------------------------------------------------------------- CK-ID-001


@pytest.mark.parametrize(
    ("vat", "country"),
    [
        ("DE136695976", "DE"),
        ("136695976", "DE"),  # no prefix: the country's
        ("EL094259216", "GR"),
        ("094259216", "GR"),
        ("GB980780684", "GB"),  # the United Kingdom's, an EU member until 2020
        ("XI980780684", "GB"),  # Northern Ireland's
        ("FR40303265045", None),  # no country to compare with: the number alone
        ("NO974760673MVA", "NO"),  # outside the EU's VAT numbers: not checked
        ("974760673", "NO"),
        ("12345", None),
    ],
)
def test_valid_vat_numbers(vat: str, country: str | None) -> None:
    """A number of the record's country that passes the country's check is fine."""
    assert vat_problem(vat, country) is None


@pytest.mark.parametrize(
    ("vat", "country", "message", "hint"),
    [
        (
            "DE136695975",
            "DE",
            (
                "VAT number 'DE136695975' is not a valid VAT number of Germany (DE): "
                "its check digit is wrong"
            ),
            "copy the number again from an invoice",
        ),
        (
            "136695975",
            "DE",
            (
                "VAT number '136695975' (read as DE136695975, with its country's prefix) "
                "is not a valid VAT number of Germany (DE): its check digit is wrong"
            ),
            "copy the number again",
        ),
        (
            "DE1366959",
            "DE",
            (
                "VAT number 'DE1366959' is not a valid VAT number of Germany (DE): it has "
                "the wrong number of characters"
            ),
            "VIES",
        ),
        (
            "ABC12345",
            "DE",  # letters that are no VAT prefix: the number is read as Germany's
            (
                "VAT number 'ABC12345' (read as DEABC12345, with its country's prefix) is "
                "not a valid VAT number of Germany (DE): it has the wrong format"
            ),
            "VIES",
        ),
        (
            "XI980780685",
            "GB",
            (
                "VAT number 'XI980780685' is not a valid VAT number of Northern Ireland "
                "(XI): its check digit is wrong"
            ),
            "VIES",
        ),
        (
            "GR094259216",
            "GR",
            (
                "VAT number 'GR094259216' starts with GR, but the record's country is "
                "Greece (GR), whose VAT numbers start with EL"
            ),
            "Greece's VAT numbers use EL, not its ISO code GR: write EL094259216",
        ),
        (
            "DE136695976",
            "FR",
            (
                "VAT number 'DE136695976' starts with DE, but the record's country is "
                "France (FR), whose VAT numbers start with FR"
            ),
            (
                "the number is one of Germany (DE): correct the record's country, or "
                "give the organisation's VAT number of France"
            ),
        ),
        (
            "EL094259216",
            "GB",
            (
                "VAT number 'EL094259216' starts with EL, but the record's country is "
                "United Kingdom (GB), whose VAT numbers start with GB or XI"
            ),
            "the number is one of Greece (EL)",
        ),
        (
            "GR094259216",
            "DE",
            (
                "VAT number 'GR094259216' starts with GR, but the record's country is "
                "Germany (DE), whose VAT numbers start with DE"
            ),
            "the number is one of Greece (GR)",
        ),
        (
            "DE136695976",
            "NO",
            (
                "VAT number 'DE136695976' starts with DE, but the record's country is "
                "Norway (NO), which has no EU VAT numbers"
            ),
            "correct the country",
        ),
    ],
)
def test_invalid_vat_numbers(vat: str, country: str, message: str, hint: str) -> None:
    """The message names the value and what is wrong; the hint how to fix it."""
    problem = vat_problem(vat, country)
    assert problem is not None
    assert problem.message == message
    assert hint in problem.hint


def test_a_vat_number_of_a_bad_component() -> None:
    """A number whose country part is refused says a part of it is not valid."""
    problem = vat_problem("CY12000000A", "CY")  # no Cypriot number starts with 12
    assert problem is not None
    assert problem.message.endswith("a part of it is not valid")


def test_vat_key_adds_the_countrys_prefix() -> None:
    """A number without a prefix is compared as its country's; others as they are."""
    assert vat_key("136695976", "DE") == "DE136695976"
    assert vat_key("094259216", "GR") == "EL094259216"
    assert vat_key("DE136695976", "FR") == "DE136695976"
    assert vat_key("GR094259216", "GR") == "EL094259216"  # meant as EL
    assert vat_key("GR094259216", "DE") == "GR094259216"
    assert vat_key("974760673", "NO") == "974760673"
    assert vat_key("974760673", None) == "974760673"


def test_vat_findings_point_at_the_cell() -> None:
    """CK-ID-001 reports at `vat`, with the value and the expected prefix."""
    findings = check(
        "CK-ID-001",
        clusters=[
            cluster("GR-001", "Attica", country="GR", vat="GR094259216"),
            cluster("DE-001", "Bavaria", vat="DE 136 695 976"),
            cluster("DE-002", "Saxony"),
        ],
        smes=[sme("S1", vat="DE136695975"), sme("S2", vat="DE129273398")],
    )
    assert [(f.entity, f.location.field, f.value, f.expected) for f in findings] == [
        (ck.Entity("clusters", "GR-001"), "vat", "GR094259216", "EL…"),
        (ck.Entity("smes", "S1"), "vat", "DE136695975", None),
    ]
    assert all(f.severity is ck.Severity.ERROR for f in findings)


def test_import_leaves_stdnum_until_a_vat_number_is_checked() -> None:
    """`import clusterkit` and validating data without VAT numbers load no stdnum."""
    code = (
        "import sys, datetime as dt\n"
        "import clusterkit as ck\n"
        "assert 'stdnum' not in sys.modules\n"
        "ck.validate(ck.load_example(), as_of=dt.date(2026, 1, 1))\n"
        "assert 'stdnum' not in sys.modules\n"
        "ds = ck.Dataset(smes=[{'id': 'S', 'name': 'N', 'country': 'DE',"
        " 'vat': 'DE136695976'}])\n"
        "ck.validate(ds, as_of=dt.date(2026, 1, 1))\n"
        "assert 'stdnum' in sys.modules\n"
    )
    src = str(Path(ck.__file__).parent.parent)
    subprocess.run([sys.executable, "-c", code], check=True, env={"PYTHONPATH": src})


# ---------------------------------------------------------------- CK-ID-002


@pytest.mark.parametrize(
    ("pic", "message", "hint"),
    [
        ("99999999", "PIC '99999999' is not nine digits: it has 8 digits", "Portal"),
        (
            "9999999999",
            "PIC '9999999999' is not nine digits: it has 10 digits",
            "Portal",
        ),
        ("PIC-123", "PIC 'PIC-123' is not nine digits: it has 7 characters", "Portal"),
        (
            "999 999 997",
            "PIC '999 999 997' is not nine digits: it holds other characters",
            "write the digits alone: 999999997",
        ),
        (
            "９９９９９９９９９",  # noqa: RUF001 - full-width digits are not ASCII
            "PIC '９９９９９９９９９' is not nine digits: it has 9 characters",  # noqa: RUF001 - as above
            "Portal",
        ),
    ],
)
def test_a_pic_that_is_not_nine_digits(pic: str, message: str, hint: str) -> None:
    """CK-ID-002 reports at `pic`, saying what is wrong."""
    findings = check(
        "CK-ID-002",
        smes=[sme("S1", pic=pic), sme("S2", name="Other", pic="999999997")],
    )
    assert [(f.entity, f.location.field, f.message) for f in findings] == [
        (ck.Entity("smes", "S1"), "pic", message)
    ]
    assert hint in (findings[0].hint or "")
    assert findings[0].expected == "nine digits"


def test_a_clusters_pic() -> None:
    """Clusters' PICs are checked as SMEs' are."""
    findings = check("CK-ID-002", clusters=[cluster("C1", "One", pic="12")])
    assert [f.entity for f in findings] == [ck.Entity("clusters", "C1")]


# ---------------------------------------------------------------- CK-DUP-002


def activity(activity_id: str, **fields: Any) -> dict[str, Any]:
    """An activity of partnership P1."""
    return {
        "id": activity_id,
        "partnership": "P1",
        "type": "webinar",
        "start": "2018-01-01",
        **fields,
    }


def test_an_id_repeated_in_a_list() -> None:
    """One finding per repeated id per row, at the cell; the data still loads."""
    ds = ck.Dataset(
        activities=[
            activity("A1", smes=["S1", "S2", "S1"], clusters=["C1", "C1"]),
            activity("A2", smes=["S1", "S2"]),
            activity("A3", smes=["S1", "S1", "S1", "S2", "S2"]),
            activity("A4", smes=["S3", "S3", "S3", "S3"]),
        ],
        partnerships=[
            {
                "id": "P1",
                "acronym": "P",
                "name": "P",
                "generation": "escp-4i-1",
                "members": ["C1", "C2", "C2"],
            }
        ],
        smes=[sme("S1", clusters=["C1", "C1"])],
    )
    assert ds.activities[0].smes == ("S1", "S2", "S1")
    report = ck.validate(ds, as_of=AS_OF, select="CK-DUP-002")
    assert [
        (f.entity.id if f.entity else None, f.location.field, f.value, f.message)
        for f in report.findings
    ] == [
        ("A1", "clusters", "C1", "cluster 'C1' is listed twice in clusters"),
        ("A1", "smes", "S1", "SME 'S1' is listed twice in smes"),
        ("A3", "smes", "S1", "SME 'S1' is listed three times in smes"),
        ("A3", "smes", "S2", "SME 'S2' is listed twice in smes"),
        ("A4", "smes", "S3", "SME 'S3' is listed 4 times in smes"),
        ("P1", "members", "C2", "cluster 'C2' is listed twice in members"),
        ("S1", "clusters", "C1", "cluster 'C1' is listed twice in clusters"),
    ]
    assert {f.severity for f in report.findings} == {ck.Severity.ERROR}


def test_lists_that_repeat_are_judged_once_each(tmp_path: Path) -> None:
    """Many rows with the same lists, over batches: each repeated id of each row.

    The first batch of 1,000 rows is clean, its distinct list remembered; the
    second holds the list clean again and one with a repeat.
    """
    rows = ["id,partnership,type,start,smes"]
    rows += [f"A{n},P1,webinar,2018-01-01,S1;S2" for n in range(1050)]
    rows += [f"B{n},P1,webinar,2018-01-01,S1;S1" for n in range(50)]
    (tmp_path / "activities.csv").write_text("\n".join(rows) + "\n", encoding="utf-8")
    report = ck.validate(tmp_path, as_of=AS_OF, select="CK-DUP-002")
    assert len(report.findings) == 50
    assert {f.entity.id[0] for f in report.findings if f.entity and f.entity.id} == {
        "B"
    }


def test_an_id_in_two_rows_is_no_repeat() -> None:
    """Only a repeat inside one list counts."""
    findings = check(
        "CK-DUP-002",
        activities=[activity("A1", smes=["S1"]), activity("A2", smes=["S1"])],
    )
    assert findings == []


# ---------------------------------------------------------------- CK-DUP-001


def test_the_same_sme_by_vat_number() -> None:
    """The later record is reported at `vat`, naming both ids and the number."""
    findings = check(
        "CK-DUP-001",
        smes=[
            sme("SME-0012", "Lumen Optics GmbH", vat="DE136695976"),
            sme("SME-0081", "Photon Works", vat="DE 136 695 976"),
        ],
    )
    assert messages(findings) == [
        "SME 'SME-0081' looks like 'SME-0012' (same VAT number DE136695976)"
    ]
    (finding,) = findings
    assert finding.severity is ck.Severity.WARNING
    assert (finding.entity, finding.location.field, finding.value) == (
        ck.Entity("smes", "SME-0081"),
        "vat",
        "SME-0081",
    )
    assert [(r.pointer, r.field) for r in finding.related] == [("/smes/0/id", "id")]
    assert "keep one record" in (finding.hint or "")
    assert "correct the VAT number" in (finding.hint or "")


def test_a_vat_number_without_its_prefix_is_the_countrys() -> None:
    """136695976 of a German record is DE136695976."""
    findings = check(
        "CK-DUP-001",
        smes=[sme("S1", "One", vat="DE136695976"), sme("S2", "Two", vat="136695976")],
    )
    assert messages(findings) == [
        "SME 'S2' looks like 'S1' (same VAT number DE136695976)"
    ]


def test_the_same_cluster_by_pic() -> None:
    """Clusters are compared among themselves; the hint is about the PIC."""
    findings = check(
        "CK-DUP-001",
        clusters=[
            cluster("DE-001", "Photonics", pic="999999999"),
            cluster("FR-001", "Optics", country="FR", pic="999999999"),
        ],
    )
    assert messages(findings) == [
        "cluster 'FR-001' looks like 'DE-001' (same PIC 999999999)"
    ]
    assert "correct the PIC" in (findings[0].hint or "")
    assert findings[0].location.field == "pic"


@pytest.mark.parametrize(
    ("first", "later"),
    [
        ("Lumen Optics GmbH", "LUMEN-OPTICS"),
        ("Lumen Optics Sp. z o.o.", "Lumen Optics"),
        ("Lumen Optics S.r.l.", "Lumen Optics Ltd"),
        ("Lümen Optics SA", "Lumen Optics AB"),
        ("Lumen Optics Oy", "lumen optics"),
        ("Lumen Optics GmbH & Co. KG", "Lumen Optics"),
    ],
)
def test_the_same_name_in_one_country(first: str, later: str) -> None:
    """Case, accents, punctuation and legal forms are set aside."""
    findings = check("CK-DUP-001", smes=[sme("S1", first), sme("S2", later)])
    assert messages(findings) == [
        f"SME 'S2' looks like 'S1' (same name in DE: {later!r} and {first!r})"
    ]
    assert findings[0].location.field == "name"
    assert "give each its VAT number or PIC" in (findings[0].hint or "")


def test_the_same_name_written_alike() -> None:
    """Names written alike are named once."""
    findings = check("CK-DUP-001", smes=[sme("S1"), sme("S2")])
    assert messages(findings) == [
        "SME 'S2' looks like 'S1' (same name in DE: 'Lumen Optics')"
    ]


def test_names_alike_in_two_countries_are_two_organisations() -> None:
    """The same name in another country is not a duplicate."""
    assert check("CK-DUP-001", smes=[sme("S1"), sme("S2", country="AT")]) == []


@pytest.mark.parametrize(
    ("one", "other"),
    [
        ({"vat": "DE136695976"}, {"vat": "DE129273398"}),
        ({"pic": "999999999"}, {"pic": "999999997"}),
        ({"vat": "DE136695976", "pic": "999999999"}, {"pic": "999999997"}),
    ],
)
def test_names_alike_with_different_numbers_are_two_organisations(
    one: dict[str, str], other: dict[str, str]
) -> None:
    """Two records that both give a VAT number (or a PIC), and differ, are two."""
    assert check("CK-DUP-001", smes=[sme("S1", **one), sme("S2", **other)]) == []


def test_names_alike_when_only_one_gives_a_number() -> None:
    """A number given by one record only does not tell them apart."""
    findings = check("CK-DUP-001", smes=[sme("S1", vat="DE136695976"), sme("S2")])
    assert len(findings) == 1


def test_three_records_of_one_company() -> None:
    """Two findings, each related to the first record."""
    findings = check(
        "CK-DUP-001",
        smes=[
            sme("S1", "Lumen Optics GmbH", vat="DE136695976"),
            sme("S2", "Other Name", vat="DE136695976"),
            sme("S3", "Other Name GmbH"),
            sme("S4", "Somebody Else"),
        ],
    )
    assert messages(findings) == [
        "SME 'S2' looks like 'S1' (same VAT number DE136695976)",
        (
            "SME 'S3' looks like 'S1' (same name in DE as 'S2': 'Other Name GmbH' and "
            "'Other Name')"
        ),
    ]
    assert {r.pointer for f in findings for r in f.related} == {"/smes/0/id"}


def test_repeated_ids_and_records_without_id_or_name(tmp_path: Path) -> None:
    """A repeated id is CK-PK-001's; a record without id or name key is skipped."""
    (tmp_path / "smes.csv").write_text(
        "id,name,country\n"
        "S1,Lumen Optics,DE\n"
        "S1,Lumen Optics,DE\n"
        ",Lumen Optics,DE\n"
        "S2,...,DE\n"
        "S3,...,DE\n"
        "S4,Lumen Optics,\n",
        encoding="utf-8",
    )
    report = ck.validate(tmp_path, as_of=AS_OF, select="CK-DUP-001")
    assert report.findings == ()


def ignore(batch: object, context: object) -> None:
    """An `on_batch` that takes nothing."""
    del batch, context


def test_the_indexes_of_a_run() -> None:
    """The run keeps later id -> first id, by table, for the KPI engine."""
    _, context = ck.rules.run_checks(
        ck.Dataset(
            smes=[sme("S1"), sme("S2"), sme("S3", "Other")],
            clusters=[cluster("C1", "A"), cluster("C2", "A")],
        ),
        options=ck.rules.Options.build(as_of=AS_OF, select="CK-DUP-001"),
        on_batch=ignore,
    )
    assert context.same_records == {"clusters": {"C2": "C1"}, "smes": {"S2": "S1"}}
    assert Context.linking_rules == frozenset({"CK-DUP-001"})


def test_a_dataset_without_smes_or_clusters() -> None:
    """Nothing to compare, nothing kept."""
    _, context = ck.rules.run_checks(
        ck.Dataset(),
        options=ck.rules.Options.build(as_of=AS_OF, select="CK-DUP-001"),
        on_batch=ignore,
    )
    assert context.same_records == {}


def _plainly_same(records: list[dict[str, Any]]) -> dict[str, str]:
    """CK-DUP-001 worked out plainly: each record against every earlier one.

    A record is the organisation of the earliest record that shares its VAT
    number, or else its PIC; or else of the first organisation with a record of
    its name in its country (in the order the name was met) none of whose
    records gives another VAT number, or another PIC, where the record gives one.
    A name whose records give two VAT numbers, or two PICs, matches none.
    """
    several = _names_of_several(records)
    earlier: list[tuple[list[tuple[str, Any]], tuple[Any, Any], str]] = []
    same: dict[str, str] = {}
    for record in records:
        vat = record.get("vat")
        numbers = (
            None if vat is None else vat_key(vat, record["country"]),
            record.get("pic"),
        )
        keys = [
            (kind, value)
            for kind, value in zip(("vat", "pic"), numbers, strict=True)
            if value is not None
        ]
        name_key = organisation_key(record["name"])
        if name_key:
            keys.append(("name", (record["country"], name_key)))
        first = record["id"]
        for key in keys:
            holders = [entry[2] for entry in earlier if key in entry[0]]
            if key[0] != "name":
                if holders:
                    first = holders[0]
                    break
                continue
            fitting = [
                organisation
                for organisation in dict.fromkeys(holders)
                if not _other_numbers(numbers, earlier, organisation)
                and key not in several
            ]
            first = fitting[0] if fitting else first
        if first != record["id"]:
            same[record["id"]] = first
        earlier.append((keys, numbers, first))
    return same


def _names_of_several(records: list[dict[str, Any]]) -> set[tuple[str, Any]]:
    """The names (in a country) whose records give two VAT numbers or two PICs."""
    given: dict[tuple[str, Any], tuple[set[Any], set[Any]]] = {}
    for record in records:
        name_key = organisation_key(record["name"])
        if not name_key:
            continue
        vats, pics = given.setdefault(
            ("name", (record["country"], name_key)), (set(), set())
        )
        if record.get("vat") is not None:
            vats.add(vat_key(record["vat"], record["country"]))
        if record.get("pic") is not None:
            pics.add(record["pic"])
    return {
        key for key, (vats, pics) in given.items() if len(vats) > 1 or len(pics) > 1
    }


def _unsure(records: list[dict[str, Any]]) -> list[str]:
    """The records without numbers of a name of several organisations: reported apart."""
    several = _names_of_several(records)
    return [
        record["id"]
        for record in records
        if record.get("vat") is None
        and record.get("pic") is None
        and ("name", (record["country"], organisation_key(record["name"]))) in several
    ]


def _other_numbers(
    numbers: tuple[Any, Any],
    earlier: list[tuple[list[tuple[str, Any]], tuple[Any, Any], str]],
    organisation: str,
) -> bool:
    """Whether a record gives a VAT number or PIC and the organisation's records another."""
    given = [entry[1] for entry in earlier if entry[2] == organisation]
    return any(
        mine is not None
        and any(theirs[position] is not None for theirs in given)
        and all(theirs[position] != mine for theirs in given)
        for position, mine in enumerate(numbers)
    )


_DRAWN_SMES = st.lists(
    st.fixed_dictionaries(
        {
            "name": st.sampled_from(
                ["Lumen Optics", "Lumen Optics GmbH", "Photon", "AB"]
            ),
            "country": st.sampled_from(["DE", "AT"]),
        },
        optional={
            "vat": st.sampled_from(["DE136695976", "DE129273398", "ATU13585627"]),
            "pic": st.sampled_from(["999999999", "999999997"]),
        },
    ),
    max_size=8,
)


@settings(max_examples=300, deadline=None)
@given(_DRAWN_SMES)
def test_only_records_that_share_a_key_are_compared(
    drawn: list[dict[str, Any]],
) -> None:
    """Leaving out the records whose keys no other has changes nothing.

    Drawn from a few names, countries, VAT numbers and PICs, so that records
    share keys in every way; the run's pairs equal those of comparing each
    record with every earlier one, and each pair is one finding.
    """
    records = [{"id": f"S{number}", **fields} for number, fields in enumerate(drawn)]
    report, context = ck.rules.run_checks(
        ck.Dataset(smes=records),
        options=ck.rules.Options.build(as_of=AS_OF, select="CK-DUP-001"),
        on_batch=ignore,
    )
    expected = _plainly_same(records)
    assert context.same_records.get("smes", {}) == expected
    assert sorted(f.value for f in report.findings if f.value) == sorted(
        [*expected, *_unsure(records)]
    )
