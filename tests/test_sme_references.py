"""The SMEs activities list: unknown ones (CK-FK-004), outsiders (CK-SME-003), orphans.

The three checks share work: CK-FK-004 looks up only the SMEs of rows that
CK-SME-003 did not find within their partnership's member clusters, and the
SMEs referred to stop being noted once every SME is. These tests draw small
datasets, read in batches of a few rows, and compare the findings with what
the rules say, worked out here the plain way.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from unittest import mock

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit._scan import Batch, References
from clusterkit.io import _chunk
from clusterkit.report import Report

AS_OF = dt.date(2026, 1, 1)
CLUSTERS = ("DE-001", "FR-001", "IT-001")
# The clusters of each SME (SME-5 names none); SME-X1, SME-X2 are unknown.
SME_CLUSTERS = {
    "SME-1": ("DE-001",),
    "SME-2": ("FR-001",),
    "SME-3": ("IT-001",),
    "SME-4": ("DE-001", "IT-001"),
    "SME-5": (),
}
MEMBERS = {"P1": ("DE-001", "FR-001"), "P2": ("IT-001", "DE-001")}
LISTABLE = (*SME_CLUSTERS, "SME-X1", "SME-X2")
RULES = ("CK-FK-004", "CK-SME-003", "CK-ORPHAN-001")


def dataset(rows: Sequence[tuple[str, tuple[str, ...]]]) -> ck.Dataset:
    """Three clusters, five SMEs, two partnerships, and one activity per row."""
    return ck.Dataset(
        clusters=[
            {"id": cluster, "name": f"Cluster {cluster}", "country": cluster[:2]}
            for cluster in CLUSTERS
        ],
        smes=[
            {"id": sme, "name": f"Company {sme}", "country": "DE", "clusters": list(of)}
            for sme, of in SME_CLUSTERS.items()
        ],
        partnerships=[
            {
                "id": partnership,
                "acronym": partnership,
                "name": f"Partnership {partnership}",
                "generation": "escp-4i-2",
                "funding": "co-funded",
                "members": list(members),
                "coordinator": members[0],
            }
            for partnership, members in MEMBERS.items()
        ],
        activities=[
            {
                "id": f"A{number}",
                "partnership": partnership,
                "type": "c2c_meeting",
                "start": "2019-03-01",
                "smes": list(smes),
            }
            for number, (partnership, smes) in enumerate(rows)
        ],
    )


def findings(report: Report, rule: str) -> set[tuple[str | None, str]]:
    """The (record, value) of the findings of one rule."""
    return {
        (f.entity.id if f.entity else None, str(f.value))
        for f in report.findings
        if f.rule == rule
    }


ROWS = st.lists(
    st.tuples(
        st.sampled_from(["P1", "P2", "P9"]),
        st.lists(st.sampled_from(LISTABLE), max_size=3, unique=True).map(tuple),
    ),
    max_size=8,
)


@settings(max_examples=60, deadline=None)
@given(rows=ROWS, batch_rows=st.integers(min_value=1, max_value=4))
def test_the_sme_rules_agree_with_their_definitions(
    rows: list[tuple[str, tuple[str, ...]]], batch_rows: int
) -> None:
    """Unknown SMEs, outsiders and orphans, in any batches, with CK-SME-003 on or off."""
    with mock.patch.object(_chunk, "BATCH_ROWS", batch_rows):
        ds = dataset(rows)
        every = ck.validate(ds, as_of=AS_OF, select=list(RULES))
        without = ck.validate(ds, as_of=AS_OF, select=["CK-FK-004", "CK-ORPHAN-001"])
    unknown = {
        (f"A{number}", sme)
        for number, (_, smes) in enumerate(rows)
        for sme in smes
        if sme not in SME_CLUSTERS
    }
    outsiders = {
        (f"A{number}", sme)
        for number, (partnership, smes) in enumerate(rows)
        if partnership in MEMBERS
        for sme in smes
        if SME_CLUSTERS.get(sme)
        and not set(SME_CLUSTERS[sme]) & set(MEMBERS[partnership])
    }
    listed = {sme for _, smes in rows for sme in smes}
    orphans = {(sme, sme) for sme in SME_CLUSTERS if sme not in listed}
    assert findings(every, "CK-FK-004") == unknown
    assert findings(without, "CK-FK-004") == unknown
    assert findings(every, "CK-SME-003") == outsiders
    smes_orphaned = {
        (entity, value)
        for entity, value in findings(every, "CK-ORPHAN-001")
        if value.startswith("SME-")
    }
    assert smes_orphaned == orphans
    assert [f for f in every.findings if f.rule == "CK-FK-004"] == [
        f for f in without.findings if f.rule == "CK-FK-004"
    ]


def test_references_are_noted_until_every_record_is_referred_to() -> None:
    """Ids of no record count towards nothing; once all are referred to, none is looked up."""
    records = {"S1": 1, "S2": 2, "S3": 3}
    referred = References(records)
    referred.note(["S1", "X1", "X2"])  # as many ids as records, one of them unknown
    assert "S1" in referred
    assert "S2" not in referred
    referred.note(["S2"])
    assert "S2" in referred
    assert "S3" not in referred
    referred.note(["S3", "X3"])
    assert all(key in referred for key in records)
    referred.note(iter(()))  # nothing left to look for
    assert all(key in referred for key in records)


def test_what_checks_share_about_a_batch_is_worked_out_once() -> None:
    """`Batch.shared` runs its work the first time a name is asked for only."""
    calls: list[int] = []

    def work() -> int:
        calls.append(1)
        return 7

    batch = Batch(mock.Mock(table="activities"), [1], {"id": ["A0"]})
    assert batch.shared("seven", work) == 7
    assert batch.shared("seven", work) == 7
    assert len(calls) == 1


@pytest.mark.parametrize(
    ("rows", "expected"),
    [
        # Two unknown partnerships in one batch: their SMEs are never outsiders.
        ([("P8", ("SME-2",)), ("P9", ("SME-3",))], set()),
        # An SME that names no cluster is no outsider; an unknown one is CK-FK-004's.
        ([("P1", ("SME-5", "SME-X1", "SME-3"))], {("A0", "SME-3")}),
    ],
)
def test_outsiders_are_only_known_smes_of_other_clusters(
    rows: list[tuple[str, tuple[str, ...]]], expected: set[tuple[str, str]]
) -> None:
    """CK-SME-003 looks closer only at rows with SMEs outside the members' SMEs."""
    report = ck.validate(dataset(rows), as_of=AS_OF, select=list(RULES))
    assert findings(report, "CK-SME-003") == expected
