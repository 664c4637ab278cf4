"""`clusterkit.compute_kpis` on small hand-built datasets (DESIGN.md §7, issue 5).

Every KPI is checked against values worked out by hand on `SMALL` below: three
partnerships in two generations, ten activities. Then the scope filters, the
breakdowns, the validation gate, the result's renderings, `reconcile` and the
one-function-per-KPI API.

`SMALL` (all valid as of 2026-01-01):

- P1 escp-4i-2, co-funded, members C-DE C-FR C-IT, 2018-02-01..2020-01-31,
  smes_reached 60, ecosystems digital + electronics, targets US CN JP.
- P2 escp-4i-2, co-funded, members C-ES C-GR C-AT, from 2018-03-01 (ends with its
  generation, 2020-02-29), smes_reached not given, no ecosystem, targets CA US.
- P3 escp-4i-1, voluntary, members C-PL C-NL C-DE, the generation's period
  (2015-12-01..2018-01-31), smes_reached 40, ecosystem agri-food, target CN.
- C-BE is a cluster of no partnership.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import os
import re
import shutil
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any, ClassVar

import attrs
import pytest

import clusterkit as ck
from clusterkit import kpis
from clusterkit.countries import protocol_order
from clusterkit.io import example_path
from clusterkit.kpis._scope import Scope, quarter_of
from clusterkit.reference import ReportedFigure, ReportedFigures, ReportedMarket
from clusterkit.testing import generate_dataset

SCALAR_KPIS = tuple(
    kpi.id for kpi in kpis.definitions() if kpi.kind in {"count", "ratio"}
)
AS_OF = dt.date(2026, 1, 1)
DATA = Path(__file__).parent / "data"
BASE = DATA / "valid" / "base"
INVALID = DATA / "invalid"
TABLES = ("clusters", "smes", "partnerships", "targets", "activities")

CLUSTERS: list[dict[str, Any]] = [
    {"id": f"C-{code}", "name": f"{code} cluster (fictional)", "country": code}
    for code in ("DE", "FR", "IT", "PL", "ES", "GR", "AT", "NL", "BE")
]
SMES: list[dict[str, Any]] = [
    {"id": "S1", "name": "Lumen (fictional)", "country": "DE"},
    {"id": "S2", "name": "Nova (fictional)", "country": "FR"},
    {"id": "S3", "name": "Sabores (fictional)", "country": "ES"},
    {"id": "S4", "name": "Attiki (fictional)", "country": "GR"},
]
PARTNERSHIPS: list[dict[str, Any]] = [
    {
        "id": "P1",
        "acronym": "PHOTON",
        "name": "Photonics (fictional)",
        "generation": "escp-4i-2",
        "coordinator": "C-IT",
        "members": ["C-DE", "C-FR", "C-IT"],
        "start": "2018-02-01",
        "end": "2020-01-31",
        "smes_reached": 60,
        "ecosystems": ["digital", "electronics"],
    },
    {
        "id": "P2",
        "acronym": "FOOD",
        "name": "Food (fictional)",
        "generation": "escp-4i-2",
        "coordinator": "C-ES",
        "members": ["C-ES", "C-GR", "C-AT"],
        "start": "2018-03-01",
    },
    {
        "id": "P3",
        "acronym": "AGRI",
        "name": "Agri (fictional)",
        "generation": "escp-4i-1",
        "funding": "voluntary",
        "coordinator": "C-PL",
        "members": ["C-PL", "C-NL", "C-DE"],
        "smes_reached": 40,
        "ecosystems": ["agri-food"],
    },
]
TARGETS: list[dict[str, Any]] = [
    {"partnership": partnership, "country": country}
    for partnership, country in (
        ("P1", "US"),
        ("P1", "CN"),
        ("P1", "JP"),
        ("P2", "CA"),
        ("P2", "US"),
        ("P3", "CN"),
    )
]


def act(
    id_: str, partnership: str, kind: str, start: str, **fields: Any
) -> dict[str, Any]:
    """An activity record as a dict."""
    return {
        "id": id_,
        "partnership": partnership,
        "type": kind,
        "start": start,
        **fields,
    }


ACTIVITIES: list[dict[str, Any]] = [
    # Given counts win; SME ids listed.
    act(
        "A1",
        "P1",
        "business_mission",
        "2018-05-14",
        target_country="US",
        smes=["S1", "S2"],
        smes_involved=2,
        b2b_meetings=14,
    ),
    # A C2C meeting without a count counts 1.
    act("A2", "P1", "c2c_meeting", "2018-09-20", target_country="CN"),
    # A given C2C count wins over the default.
    act(
        "A3",
        "P1",
        "c2c_meeting",
        "2019-03-05",
        target_country="JP",
        smes=["S2"],
        smes_involved=1,
        c2c_meetings=3,
    ),
    # No SME listed: its smes_involved counts.
    act("A4", "P1", "webinar", "2019-06-10", target_country="US", smes_involved=12),
    act("A5", "P2", "mou_signature", "2018-10-02", target_country="CA"),
    # Listed ids besides a larger smes_involved: only the ids count.
    act(
        "A6",
        "P2",
        "collaboration_project",
        "2019-04-08",
        target_country="CA",
        smes=["S3", "S4"],
        smes_involved=5,
    ),
    # No target country: not a third-market activity.
    act("A7", "P2", "training", "2019-05-01", smes_involved=30),
    # S1 again (also on A1): counted once over the whole scope.
    act(
        "A8",
        "P3",
        "mou_signature",
        "2016-06-01",
        target_country="CN",
        smes=["S1"],
        mous_signed=2,
    ),
    act(
        "A9",
        "P3",
        "trade_fair",
        "2017-03-10",
        target_country="US",
        smes_involved=4,
        b2b_meetings=7,
    ),
    # A given 0 wins over the MoU default of 1.
    act("A10", "P1", "mou_signature", "2019-11-20", target_country="US", mous_signed=0),
]

TOTAL: dict[str, int | float | None] = {
    "partnerships": 3,
    "partnerships_co_funded": 2,
    "partnerships_voluntary": 1,
    "cluster_organisations": 8,
    "member_countries": 8,
    "smes_reached": 100,
    "activities": 10,
    # {S1, S2, S3, S4} listed + 12 (A4) + 4 (A9)
    "smes_involved": 20,
    "c2c_meetings": 4,
    "b2b_meetings": 21,
    "mous_signed": 3,
    "collaboration_projects": 1,
    "b2b_meetings_per_sme_involved": 21 / 20,
    "smes_involved_share_of_reached": 20 / 100,
}
P1_KPIS: dict[str, int | float | None] = {
    "partnerships": 1,
    "partnerships_co_funded": 1,
    "partnerships_voluntary": 0,
    "cluster_organisations": 3,
    "member_countries": 3,
    "smes_reached": 60,
    "activities": 5,
    "smes_involved": 14,
    "c2c_meetings": 4,
    "b2b_meetings": 14,
    "mous_signed": 0,
    "collaboration_projects": 0,
    "b2b_meetings_per_sme_involved": 1.0,
    "smes_involved_share_of_reached": 14 / 60,
}
P2_KPIS: dict[str, int | float | None] = {
    "partnerships": 1,
    "partnerships_co_funded": 1,
    "partnerships_voluntary": 0,
    "cluster_organisations": 3,
    "member_countries": 3,
    "smes_reached": 0,
    "activities": 3,
    "smes_involved": 2,
    "c2c_meetings": 0,
    "b2b_meetings": 0,
    "mous_signed": 1,
    "collaboration_projects": 1,
    "b2b_meetings_per_sme_involved": 0.0,
    "smes_involved_share_of_reached": None,
}
P3_KPIS: dict[str, int | float | None] = {
    "partnerships": 1,
    "partnerships_co_funded": 0,
    "partnerships_voluntary": 1,
    "cluster_organisations": 3,
    "member_countries": 3,
    "smes_reached": 40,
    "activities": 2,
    "smes_involved": 5,
    "c2c_meetings": 0,
    "b2b_meetings": 7,
    "mous_signed": 2,
    "collaboration_projects": 0,
    "b2b_meetings_per_sme_involved": 7 / 5,
    "smes_involved_share_of_reached": 5 / 40,
}


def small(**tables: Iterable[Mapping[str, Any]]) -> ck.Dataset:
    """`SMALL`, with the tables given replacing its own."""
    data: dict[str, Any] = {
        "clusters": CLUSTERS,
        "smes": SMES,
        "partnerships": PARTNERSHIPS,
        "targets": TARGETS,
        "activities": ACTIVITIES,
    }
    data.update({name: list(rows) for name, rows in tables.items()})
    return ck.Dataset.model_validate(data)


def compute(source: Any, **scope: Any) -> ck.KPIResult:
    """`compute_kpis` as of 2026-01-01."""
    return ck.compute_kpis(source, as_of=AS_OF, **scope)


def group(result: ck.KPIResult, **key: Any) -> kpis.Group:
    """The one group of `result` with this key."""
    found = [g for g in result.groups if dict(g.key) == key]
    assert len(found) == 1, [g.key for g in result.groups]
    return found[0]


def measures(result: ck.KPIResult | kpis.Group) -> tuple[Any, ...]:
    """What a scope or group computes: KPIs, activities by type, target markets."""
    return dict(result.kpis), dict(result.activities_by_type), result.target_markets


def counts(result: ck.KPIResult) -> dict[str, tuple[int, int, int]]:
    """Records per table as (read, used, excluded)."""
    return {t: (c.read, c.used, c.excluded) for t, c in result.records.items()}


def base_copy(tmp_path: Path) -> Path:
    """A fresh copy of the valid base dataset (CSV folder)."""
    return Path(shutil.copytree(BASE, tmp_path / "data"))


def edit_csv(path: Path, edit: Any) -> None:
    """Rewrite a CSV file through `edit(rows) -> rows` (the csv module's quoting)."""
    with path.open(encoding="utf-8", newline="") as handle:
        rows = list(csv.reader(handle))
    with path.open("w", encoding="utf-8", newline="") as handle:
        csv.writer(handle, lineterminator="\n").writerows(edit(rows))


# ---------------------------------------------------------------- every KPI


def test_every_kpi_of_the_small_dataset() -> None:
    """Each KPI has the value worked out by hand; nothing is left out."""
    result = compute(small())
    assert dict(result.kpis) == TOTAL
    assert list(result.kpis) == list(SCALAR_KPIS)
    assert result["smes_involved"] == 20
    assert result.complete
    assert result.excluded == 0
    assert result.excluded_by_rule == {}
    assert counts(result) == {
        "clusters": (9, 9, 0),
        "smes": (4, 4, 0),
        "partnerships": (3, 3, 0),
        "targets": (6, 6, 0),
        "activities": (10, 10, 0),
    }
    assert result.validation is not None
    assert result.validation.findings == ()


def test_activities_by_type_lists_every_type_in_vocabulary_order() -> None:
    """Every activity type is listed, zeros included, in the vocabulary's order."""
    result = compute(small())
    assert list(result.activities_by_type) == [kind.value for kind in ck.ActivityType]
    assert {k: n for k, n in result.activities_by_type.items() if n} == {
        "business_mission": 1,
        "c2c_meeting": 2,
        "mou_signature": 3,
        "collaboration_project": 1,
        "trade_fair": 1,
        "webinar": 1,
        "training": 1,
    }
    assert sum(result.activities_by_type.values()) == result["activities"]


def test_counter_defaults_by_type_and_given_values_win() -> None:
    """A row per meeting, MoU or project counts 1 unless it gives a count."""
    rows = [
        act("X1", "P1", "c2c_meeting", "2018-05-01", target_country="US"),
        act("X2", "P1", "mou_signature", "2018-05-01", target_country="US"),
        act("X3", "P1", "collaboration_project", "2018-05-01", target_country="US"),
        act("X4", "P1", "webinar", "2018-05-01", target_country="US"),
    ]
    defaults = compute(small(activities=rows))
    assert (
        defaults["c2c_meetings"],
        defaults["mous_signed"],
        defaults["collaboration_projects"],
        defaults["b2b_meetings"],
    ) == (1, 1, 1, 0)
    given = [
        {**row, "c2c_meetings": 5, "mous_signed": 0, "collaboration_projects": 2}
        for row in rows
    ]
    result = compute(small(activities=given))
    assert (
        result["c2c_meetings"],
        result["mous_signed"],
        result["collaboration_projects"],
    ) == (20, 0, 8)


def test_smes_are_distinct_across_the_scope_not_per_activity() -> None:
    """An SME on several activities, or of several partnerships, counts once."""
    result = compute(small(), by="partnership")
    assert result["smes_involved"] == 20
    # S1 is in P1's and P3's groups: the groups add up to more than the total.
    assert sum(g["smes_involved"] or 0 for g in result.groups) == 21


# The small dataset's P2 gives no `smes_reached`: a result of all three says so.
REACH_NOTE = (
    "SMEs reached sums the 2 of 3 partnerships in scope that give smes_reached; "
    "the other counts as 0"
)


class TestDuplicateSMEs:
    """`smes_involved` counts an SME listed under two ids (CK-DUP-001) once."""

    # S5 is S1 under another id (the same name); A1 lists it besides S1 and S2.
    TWIN: ClassVar[dict[str, str]] = {
        "id": "S5",
        "name": "LUMEN (Fictional)",
        "country": "DE",
    }

    def twins(self) -> ck.Dataset:
        """The small dataset with S5, listed on A1."""
        a1 = {**ACTIVITIES[0], "smes": ["S1", "S2", "S5"], "smes_involved": 3}
        return small(smes=[*SMES, self.TWIN], activities=[a1, *ACTIVITIES[1:]])

    def test_counted_once_and_said_so(self) -> None:
        """S5 counts as S1; the result names the pair and the finding is kept."""
        result = compute(self.twins(), by="partnership")
        assert result["smes_involved"] == TOTAL["smes_involved"]
        assert group(result, partnership="P1")["smes_involved"] == 14
        assert result.duplicate_smes == {"S5": "S1"}
        assert result.notes == (
            "1 SME id counted as a duplicate of another SME (CK-DUP-001): S5 as S1",
            REACH_NOTE,
        )
        assert result.validation is not None
        assert result.validation.summary.by_rule == {"CK-DUP-001": 1}
        assert result.complete  # a warning leaves nothing out
        assert result.to_dict()["duplicate_smes"] == {"S5": "S1"}
        assert result.to_dict()["notes"] == list(result.notes)
        assert result.notes[0] in result.to_table()
        assert result.notes[0] in result.to_markdown()

    def test_the_notebook_display_shows_the_notes(self) -> None:
        """The HTML display shows the notes that the text and Markdown tables print."""
        result = compute(self.twins())
        assert f"<p>{result.notes[0]}</p>" in result._repr_html_()

    def test_ids_in_the_notes_are_escaped(self) -> None:
        """An id with a bidi override or a C1 control shows as escapes in every output."""
        twin = {**self.TWIN, "id": "S5\u202e\x9b"}
        a1 = {**ACTIVITIES[0], "smes": ["S1", "S2", twin["id"]], "smes_involved": 3}
        result = compute(small(smes=[*SMES, twin], activities=[a1, *ACTIVITIES[1:]]))
        assert result.notes[0].endswith("S5\u202e\x9b as S1")
        assert result.to_table().splitlines()[-3].endswith(r"S5\u202e\x9b as S1")
        assert r"S5\u202e\x9b as S1" in result._repr_html_()
        assert r"S5\\u202e\\x9b as S1" in result.to_markdown()

    def test_not_without_the_rule(self) -> None:
        """Ignored, or without validation, every SME id counts."""
        for result in (
            compute(self.twins(), ignore="CK-DUP-001"),
            compute(self.twins(), select="CK-FK"),
            compute(self.twins(), validate=False),
        ):
            assert result["smes_involved"] == 21  # TOTAL's 20, and S5
            assert result.duplicate_smes == {}
            assert result.notes == (REACH_NOTE,)

    def test_the_first_record_failed(self) -> None:
        """When the first record has an error, its twin still counts, as it."""
        bad_s1 = {**SMES[0], "vat": "DE136695975"}  # CK-ID-001
        a1 = {**ACTIVITIES[0], "smes": ["S2", "S5"], "smes_involved": 2}
        a8 = {**ACTIVITIES[7], "smes": ["S5"]}
        activities = [a1, *ACTIVITIES[1:7], a8, *ACTIVITIES[8:]]
        ds = small(smes=[bad_s1, *SMES[1:], self.TWIN], activities=activities)
        result = compute(ds)
        assert result.excluded_by_rule == {"CK-ID-001": 1}
        assert result["smes_involved"] == TOTAL["smes_involved"]

    def test_many_pairs(self) -> None:
        """The note lists ten pairs, then how many more."""
        twins = [
            {"id": f"T{n:02}", "name": "Nova (fictional)", "country": "FR"}
            for n in range(12)
        ]
        result = compute(small(smes=[*SMES, *twins]))
        assert result["smes_involved"] == TOTAL["smes_involved"]
        assert len(result.duplicate_smes) == 12
        assert result.notes == (
            "12 SME ids counted as duplicates of other SMEs (CK-DUP-001): "
            + ", ".join(f"T{n:02} as S2" for n in range(10))
            + ", and 2 more",
            REACH_NOTE,
        )


def test_the_scope_line_escapes_the_ids_it_names() -> None:
    """A partnership id with a bidi override or a C1 control is escaped in the scope."""
    hostile = "P1\u202eevil\x9b"
    tables = {
        "partnerships": PARTNERSHIPS,
        "targets": TARGETS,
        "activities": ACTIVITIES,
    }
    renamed = json.loads(json.dumps(tables).replace('"P1"', json.dumps(hostile)))
    result = compute(small(**renamed), partnership=hostile)
    assert result.scope.partnership == (hostile,)
    assert result.to_table().startswith(r"Scope: partnership P1\u202eevil\x9b (")
    assert result.to_table(width=30).startswith(
        "Scope: partnership\nP1\\u202eevil\\x9b"
    )
    for shown in (result.to_table(), result.to_markdown(), result._repr_html_()):
        assert "\u202e" not in shown
        assert "\x9b" not in shown


def test_a_target_that_is_not_third_counts_for_counters_not_smes_involved() -> None:
    """Norway is European (beyond-europe rule): its SMEs are not SMEs involved.

    The validator rejects the activity (CK-GEO-001), so only `validate=False`
    uses it: it adds to the activities and the counters, not to smes_involved
    nor to the target markets.
    """
    norway = act(
        "N1",
        "P1",
        "business_mission",
        "2019-02-01",
        target_country="Norway",
        smes=["S3"],
        smes_involved=5,
        b2b_meetings=4,
    )
    ds = small(activities=[*ACTIVITIES, norway])
    trusted = compute(ds, validate=False)
    assert trusted["activities"] == 11
    assert trusted["b2b_meetings"] == 25
    # S3 is listed on A6 already; the Norway activity adds no SME at all.
    assert trusted["smes_involved"] == 20
    without_a6 = [row for row in ACTIVITIES if row["id"] != "A6"]
    trusted = compute(small(activities=[*without_a6, norway]), validate=False)
    assert trusted["smes_involved"] == 18
    assert "NO" not in {m.country for m in trusted.target_markets}
    assert trusted.validation is None
    gated = compute(ds)
    assert gated["activities"] == 10
    assert gated.excluded_by_rule == {"CK-GEO-001": 1}


def test_third_country_on_the_activity_start() -> None:
    """Ukraine joined the SMP on 2023-02-02: an activity there is third before, not after.

    Declared targets are judged on the partnership's start.
    """
    clusters = [{"id": f"E-{c}", "name": c, "country": c} for c in ("DE", "FR", "IT")]
    members = [row["id"] for row in clusters]
    partnerships = [
        {
            "id": pid,
            "acronym": pid,
            "name": pid,
            "generation": "euroclusters-1",
            "members": members,
            "start": start,
        }
        for pid, start in (("E1", "2022-09-01"), ("E2", "2023-03-01"))
    ]
    ds = ck.Dataset.model_validate(
        {
            "clusters": clusters,
            "smes": [],
            "partnerships": partnerships,
            "targets": [
                {"partnership": "E1", "country": "UA"},
                {"partnership": "E2", "country": "UA"},
            ],
            "activities": [
                act(
                    "U1",
                    "E1",
                    "webinar",
                    "2022-10-01",
                    target_country="UA",
                    smes_involved=7,
                ),
                act(
                    "U2",
                    "E1",
                    "webinar",
                    "2023-06-01",
                    target_country="UA",
                    smes_involved=100,
                ),
                act(
                    "U3",
                    "E1",
                    "webinar",
                    "2023-01-10",
                    target_country="UA",
                    smes_involved=1,
                ),
            ],
        }
    )
    result = compute(ds, validate=False)
    assert result["smes_involved"] == 8
    assert result["activities"] == 3
    assert result.target_markets == (
        kpis.TargetMarket(country="UA", partnerships=1, activities=2),
    )


def test_ratios_are_none_when_the_denominator_is_zero() -> None:
    """No SME involved, no SME reached: both ratios undefined, not 0."""
    no_third = [{**row, "target_country": None} for row in ACTIVITIES]
    no_reach = [{**row, "smes_reached": None} for row in PARTNERSHIPS]
    result = compute(small(activities=no_third, partnerships=no_reach))
    assert result["smes_involved"] == 0
    assert result["smes_reached"] == 0
    assert result["b2b_meetings"] == 21
    assert result["b2b_meetings_per_sme_involved"] is None
    assert result["smes_involved_share_of_reached"] is None
    assert result.to_dict()["kpis"]["b2b_meetings_per_sme_involved"] is None


def test_ratio_functions_raise_kpi_error_when_undefined() -> None:
    """The function form of a ratio raises `KPIError` naming the KPI."""
    ds = small()
    with pytest.raises(ck.KPIError) as caught:
        kpis.smes_involved_share_of_reached(ds, partnership="P2", as_of=AS_OF)
    assert caught.value.kpi == "smes_involved_share_of_reached"
    assert "denominator is 0" in str(caught.value)
    with pytest.raises(ck.KPIError) as caught:
        kpis.b2b_meetings_per_sme_involved(
            ds, target_country="Japan", end=dt.date(2018, 1, 1)
        )
    assert caught.value.kpi == "b2b_meetings_per_sme_involved"
    assert isinstance(caught.value, ValueError)
    assert kpis.b2b_meetings_per_sme_involved(ds, partnership="P3") == 7 / 5


def test_target_markets_ranked_by_partnerships_then_protocol_order() -> None:
    """Ties in partnerships are broken by EU protocol order, not by activities."""
    result = compute(small())
    assert result.target_markets == (
        kpis.TargetMarket(country="CN", partnerships=2, activities=2),
        kpis.TargetMarket(country="US", partnerships=2, activities=4),
        kpis.TargetMarket(country="CA", partnerships=1, activities=2),
        kpis.TargetMarket(country="JP", partnerships=1, activities=1),
    )
    assert protocol_order("CN") < protocol_order("US")
    assert protocol_order("CA") < protocol_order("JP")


def test_target_market_of_activities_only_and_undeclared_non_third_targets() -> None:
    """An activity's market counts with 0 partnerships; a European target does not count."""
    targets = [*TARGETS, {"partnership": "P2", "country": "CH"}]
    rows = [*ACTIVITIES, act("B1", "P2", "webinar", "2019-01-10", target_country="BR")]
    result = compute(small(targets=targets, activities=rows), validate=False)
    assert result.target_markets[-1] == kpis.TargetMarket("BR", 0, 1)
    assert "CH" not in {m.country for m in result.target_markets}
    assert compute(small(targets=targets)).excluded_by_rule == {"CK-GEO-001": 1}


def test_cluster_organisations_count_distinct_members_and_the_coordinator() -> None:
    """A cluster in two partnerships counts once; a coordinator not listed as a member counts."""
    partnerships = [
        {**PARTNERSHIPS[0], "members": ["C-DE", "C-FR"], "coordinator": "C-IT"},
        *PARTNERSHIPS[1:],
    ]
    result = compute(small(partnerships=partnerships), validate=False)
    assert result["cluster_organisations"] == 8
    # A member without a cluster record is not counted.
    partnerships[0] = {**PARTNERSHIPS[0], "members": ["C-DE", "C-FR", "C-IT", "C-XX"]}
    result = compute(small(partnerships=partnerships), validate=False)
    assert result["cluster_organisations"] == 8
    assert result["member_countries"] == 8


# ---------------------------------------------------------------- scope filters


def test_filter_by_generation() -> None:
    """A generation's partnerships and their activities only."""
    result = compute(small(), generation="escp-4i-1")
    assert dict(result.kpis) == P3_KPIS
    both = compute(small(), generation=["escp-4i-1", "escp-4i-2"])
    assert dict(both.kpis) == TOTAL
    assert both.scope.generation == ("escp-4i-1", "escp-4i-2")


def test_filter_by_a_shipped_generation_without_partnerships_gives_zeros() -> None:
    """A generation of the reference data is known even when no record uses it."""
    result = compute(small(), generation="escp-4i-3")
    assert result["partnerships"] == 0
    assert result["activities"] == 0
    assert result["b2b_meetings_per_sme_involved"] is None
    assert result.target_markets == ()


def test_filter_by_partnership_with_commas_and_repeats() -> None:
    """Ids as one comma-separated string or an iterable, repeats ignored."""
    assert dict(compute(small(), partnership="P1").kpis) == P1_KPIS
    result = compute(small(), partnership=["P1, P3", "P3"])
    assert result.scope.partnership == ("P1", "P3")
    assert result["partnerships"] == 2
    assert result["activities"] == 7
    # S1 is on activities of both: counted once.
    assert result["smes_involved"] == 14 + 5 - 1


def test_filter_by_start_date() -> None:
    """Activities from the day on; partnerships whose period ends on or after it."""
    result = compute(small(), start=dt.date(2019, 1, 1))
    assert result["activities"] == 5  # A3 A4 A6 A7 A10
    assert result["partnerships"] == 2  # P3 ended in January 2018
    assert result["smes_involved"] == 1 + 12 + 2  # S2; A4's 12; S3 S4
    assert result.scope.start == dt.date(2019, 1, 1)


def test_filter_by_end_date() -> None:
    """Activities up to the day; partnerships whose period starts on or before it."""
    result = compute(small(), end=dt.date(2016, 12, 31))
    assert result["activities"] == 1  # A8
    assert result["partnerships"] == 1  # P3, from the generation's start
    assert result["mous_signed"] == 2


def test_filter_by_a_date_range_is_inclusive() -> None:
    """Both ends are in the range; a partnership overlapping by one day is in."""
    result = compute(small(), start=dt.date(2018, 1, 31), end=dt.date(2018, 5, 14))
    assert result["activities"] == 1  # A1 starts on the last day
    assert result["partnerships"] == 3  # P3 ends on the first day
    one_day = compute(small(), start=dt.date(2018, 2, 1), end=dt.date(2018, 2, 1))
    assert one_day["partnerships"] == 1  # P1 starts that day


def test_filter_by_target_country_by_name() -> None:
    """Any spelling of a country; activities by their target, partnerships by theirs."""
    result = compute(small(), target_country="USA")
    assert result.scope.target_country == ("US",)
    assert result["partnerships"] == 2  # P1 and P2 declare it
    assert result["activities"] == 4  # A1 A4 A9 A10 (A9's P3 does not declare it)
    assert result["b2b_meetings"] == 21
    assert result["smes_involved"] == 2 + 12 + 4
    assert result.target_markets[0] == kpis.TargetMarket("US", 2, 4)
    several = compute(small(), target_country=["United States", "Canada", "US"])
    assert several.scope.target_country == ("US", "CA")
    assert several["activities"] == 6


def test_filters_combine() -> None:
    """Every filter applies: here P1's activities in 2019 that target the USA."""
    result = compute(
        small(),
        partnership="P1",
        generation="escp-4i-2",
        start=dt.date(2019, 1, 1),
        end=dt.date(2019, 12, 31),
        target_country="US",
    )
    assert result["activities"] == 2  # A4 A10
    assert result["partnerships"] == 1


@pytest.mark.parametrize(
    ("scope", "message"),
    [
        ({"by": "country"}, "by: 'country' is not a breakdown"),
        ({"by": ["year", "month"]}, "'month' is not a breakdown"),
        ({"generation": "escp-4i-9"}, "did you mean 'escp-4i-"),
        ({"generation": "nothing-like-it"}, "'nothing-like-it' is not in the data"),
        ({"partnership": "P9"}, "partnership 'P9' is not in the data"),
        ({"partnership": "P11"}, "'P11' is not in the data; did you mean 'P1'?"),
        ({"partnership": ", "}, "partnership: give at least one id"),
        ({"generation": []}, "generation: give at least one id"),
        (
            {"start": dt.date(2019, 1, 2), "end": dt.date(2019, 1, 1)},
            "ends (2019-01-01) before it starts (2019-01-02)",
        ),
        ({"target_country": "Atlantis"}, "target_country:"),
        ({"target_country": ["US", "Germania Magna"]}, "target_country:"),
        ({"jobs": 0}, "jobs must be at least 1, not 0"),
    ],
)
def test_bad_scopes_raise_value_error(scope: dict[str, Any], message: str) -> None:
    """Unknown breakdowns, ids and countries, and reversed ranges are refused."""
    with pytest.raises(ValueError, match=re.escape(message)):
        compute(small(), **scope)


@pytest.mark.parametrize(
    ("scope", "message"),
    [
        ({"start": dt.datetime(2019, 1, 1, tzinfo=dt.timezone.utc)}, "start: expected"),
        ({"end": "2019-01-01"}, "end: expected a datetime.date, not '2019-01-01'"),
        ({"generation": [1]}, "generation: expected ids as text, not 1"),
        (
            {"partnership": 5},
            "partnership: expected text, or an iterable of texts, not 5",
        ),
        ({"generation": b"escp-4i-1"}, "generation: expected text, or an iterable"),
        ({"by": 123}, "by: expected text, or an iterable of texts, not 123"),
        ({"by": 0}, "by: expected text, or an iterable of texts, not 0"),
        ({"target_country": 276}, "target_country: expected text, or an iterable"),
    ],
)
def test_wrong_types_raise_type_error(scope: dict[str, Any], message: str) -> None:
    """A datetime or text for a date, a number for an id or a breakdown: `TypeError`.

    It names the argument; a number once met `'int' object is not iterable`.
    """
    with pytest.raises(TypeError, match=re.escape(message)):
        compute(small(), **scope)


@pytest.mark.parametrize("validate", ["no", "false", 0, None])
def test_validate_is_true_or_false(validate: Any) -> None:
    """A text for `validate` is refused: `"no"`, being true, would validate silently."""
    with pytest.raises(
        TypeError, match=re.escape(f"validate must be True or False, not {validate!r}")
    ):
        compute(small(), validate=validate)


def test_a_breakdown_may_come_from_an_iterator() -> None:
    """`by` read once: an iterator of names gives its breakdowns, an empty one none."""
    names = iter(["partnership"])
    assert compute(small(), by=names).scope.by == ("partnership",)
    assert compute(small(), by=iter([])).scope.by == ()


@pytest.mark.parametrize(
    "as_of", ["2026-01-01", 20260101, dt.datetime(2026, 1, 1, tzinfo=dt.timezone.utc)]
)
@pytest.mark.parametrize(
    "call",
    [
        lambda as_of: ck.validate(small(), as_of=as_of),
        lambda as_of: ck.compute_kpis(small(), as_of=as_of),
        lambda as_of: ck.compute_kpis(small(), as_of=as_of, validate=False),
        lambda as_of: ck.reports.KPIReport.build(small(), as_of=as_of),
    ],
    ids=["validate", "compute_kpis", "validate=False", "KPIReport"],
)
def test_an_as_of_that_is_no_date_is_named(as_of: Any, call: Any) -> None:
    """Text, a number or a moment for `as_of`: a `TypeError` that names it, at once.

    Before, the comparison with the first date in the data failed, deep inside
    a rule, with a message that named neither the argument nor the value.
    """
    with pytest.raises(
        TypeError, match=re.escape(f"as_of: expected a datetime.date, not {as_of!r}")
    ):
        call(as_of)


def test_no_breakdown_from_an_empty_by() -> None:
    """`by=()` and `by=None` ask for no groups."""
    nothing: tuple[Any, ...] = ((), None, [])
    for by in nothing:
        result = compute(small(), by=by)
        assert result.scope.by == ()
        assert result.groups == ()
        assert "groups" not in result.to_dict()


# ---------------------------------------------------------------- the breakdowns


def test_by_partnership() -> None:
    """One group per partnership, with its own KPIs."""
    result = compute(small(), by="partnership")
    assert [dict(g.key) for g in result.groups] == [
        {"partnership": "P1"},
        {"partnership": "P2"},
        {"partnership": "P3"},
    ]
    assert [dict(g.kpis) for g in result.groups] == [P1_KPIS, P2_KPIS, P3_KPIS]
    assert dict(result.kpis) == TOTAL
    assert group(result, partnership="P1")["activities"] == 5
    assert group(result, partnership="P1").target_markets == (
        kpis.TargetMarket("CN", 1, 1),
        kpis.TargetMarket("JP", 1, 1),
        kpis.TargetMarket("US", 1, 3),
    )


def test_by_generation() -> None:
    """One group per generation, sorted by id."""
    result = compute(small(), by="generation")
    assert [g.key["generation"] for g in result.groups] == ["escp-4i-1", "escp-4i-2"]
    assert dict(group(result, generation="escp-4i-1").kpis) == P3_KPIS
    second = group(result, generation="escp-4i-2")
    assert second["partnerships"] == 2
    assert second["activities"] == 8
    assert second["smes_involved"] == 4 + 12
    assert second["cluster_organisations"] == 6


def test_by_target_country_with_the_none_group() -> None:
    """Activities by their target, partnerships by declared targets; no target: None, last."""
    result = compute(small(), by="target_country")
    assert [g.key["target_country"] for g in result.groups] == [
        "CA",
        "CN",
        "JP",
        "US",
        None,
    ]
    us = group(result, target_country="US")
    assert (us["partnerships"], us["activities"], us["smes_involved"]) == (2, 4, 18)
    cn = group(result, target_country="CN")
    assert (cn["partnerships"], cn["activities"], cn["mous_signed"]) == (2, 2, 2)
    none = group(result, target_country=None)
    assert none["partnerships"] == 0  # every partnership declares a target
    assert none["activities"] == 1  # A7
    assert none["smes_involved"] == 0  # A7 targets no third market
    assert none.target_markets == ()
    assert result.to_dict()["groups"][-1]["key"] == {"target_country": None}


def test_by_target_country_within_a_target_country_filter() -> None:
    """With a target-country filter, a partnership is only in the filtered groups."""
    result = compute(small(), by="target_country", target_country=["US", "JP"])
    assert [g.key["target_country"] for g in result.groups] == ["JP", "US"]
    assert group(result, target_country="JP")["partnerships"] == 1


def test_by_year() -> None:
    """Activities by their start year; partnerships by each year their period overlaps."""
    result = compute(small(), by="year")
    assert [g.key["year"] for g in result.groups] == [
        2015,
        2016,
        2017,
        2018,
        2019,
        2020,
    ]
    table: dict[Any, tuple[Any, Any]] = {
        g.key["year"]: (g["partnerships"], g["activities"]) for g in result.groups
    }
    assert table == {
        2015: (1, 0),
        2016: (1, 1),
        2017: (1, 1),
        2018: (3, 3),
        2019: (2, 5),
        2020: (2, 0),
    }
    # Partnerships overlap several years: the groups add up to more than the total.
    assert sum(p for p, _ in table.values()) > result["partnerships"]
    assert sum(a for _, a in table.values()) == result["activities"]


def test_by_year_within_a_date_range() -> None:
    """The years of a partnership are cut to the date range."""
    result = compute(small(), by="year", start=dt.date(2019, 6, 1))
    assert [g.key["year"] for g in result.groups] == [2019, 2020]
    assert group(result, year=2019)["activities"] == 2  # A4 A10


def test_by_quarter() -> None:
    """Quarters as '2018-Q1'; a partnership is in every quarter its period overlaps."""
    result = compute(small(), by="quarter")
    keys = [str(g.key["quarter"]) for g in result.groups]
    assert keys[0] == "2015-Q4"  # P3 from its generation's start, 2015-12-01
    assert keys[-1] == "2020-Q1"  # P2 until its generation's end, 2020-02-29
    assert keys == sorted(keys)
    assert len(keys) == 18  # 2015-Q4 .. 2020-Q1
    q1 = group(result, quarter="2018-Q1")
    assert (q1["partnerships"], q1["activities"]) == (3, 0)
    q2 = group(result, quarter="2018-Q2")
    assert (q2["partnerships"], q2["activities"], q2["b2b_meetings"]) == (2, 1, 14)
    assert quarter_of(dt.date(2019, 12, 31)) == "2019-Q4"


def test_months_and_years_filter_and_group_by_their_days() -> None:
    """A month or a year counts from its first day; filters may be partial dates too."""
    partial = small(
        partnerships=[{**PARTNERSHIPS[0], "start": "2018-02", "end": "2020-01"}],
        activities=[
            act("Y", "P1", "webinar", "2019"),  # 2019-01-01
            act("M", "P1", "webinar", "2019-05"),  # 2019-05-01
            act("D", "P1", "webinar", "2019-05-31"),
        ],
        targets=[],
    )
    result = compute(partial, by="quarter", start=dt.date(2019, 2, 1))
    assert result["activities"] == 2  # M and D, not Y (from 2019-01-01)
    assert [g.key["quarter"] for g in result.groups if g["activities"]] == ["2019-Q2"]
    year = ck.PartialDate.first_day(2019), ck.PartialDate.last_day(2019)
    in_2019 = compute(partial, start=year[0], end=year[1])
    assert in_2019["activities"] == 3
    assert in_2019.scope.to_dict()["start"] == "2019"
    month = compute(partial, start=ck.PartialDate.first_day(2019, 5))
    assert month["activities"] == 2
    # The partnership's own period is a filter as it stands: P1 from 2018-02-01.
    p1 = partial.partnerships[0]
    assert compute(partial, start=p1.start, end=p1.end)["partnerships"] == 1
    by_year = compute(partial, by="year")
    assert {g.key["year"]: g["activities"] for g in by_year.groups} == {
        2018: 0,
        2019: 3,
        2020: 0,
    }


def test_by_quarter_within_a_date_range() -> None:
    """Only the quarters of the range, and none when a period misses it."""
    result = compute(
        small(), by="quarter", start=dt.date(2016, 2, 1), end=dt.date(2016, 7, 1)
    )
    assert [g.key["quarter"] for g in result.groups] == [
        "2016-Q1",
        "2016-Q2",
        "2016-Q3",
    ]
    assert group(result, quarter="2016-Q2")["activities"] == 1  # A8


def test_by_ecosystem_with_the_none_group() -> None:
    """A partnership is in each of its ecosystems' groups; one without any is in None."""
    result = compute(small(), by="ecosystem")
    assert [g.key["ecosystem"] for g in result.groups] == [
        "agri-food",
        "digital",
        "electronics",
        None,
    ]
    assert dict(group(result, ecosystem="digital").kpis) == P1_KPIS
    assert dict(group(result, ecosystem="electronics").kpis) == P1_KPIS
    assert dict(group(result, ecosystem="agri-food").kpis) == P3_KPIS
    assert dict(group(result, ecosystem=None).kpis) == P2_KPIS


def test_two_dimensions_give_the_combinations_that_occur() -> None:
    """Keys list the dimensions in DIMENSIONS order, whatever order they were asked in."""
    result = compute(small(), by=["generation", "partnership"])
    assert result.scope.by == ("partnership", "generation")
    assert [dict(g.key) for g in result.groups] == [
        {"partnership": "P1", "generation": "escp-4i-2"},
        {"partnership": "P2", "generation": "escp-4i-2"},
        {"partnership": "P3", "generation": "escp-4i-1"},
    ]
    assert list(result.groups[0].key) == ["partnership", "generation"]
    assert dict(result.groups[2].kpis) == P3_KPIS


def test_partnership_by_target_country() -> None:
    """Activity-level and partnership-level dimensions together."""
    result = compute(small(), by="partnership,target_country")
    assert [tuple(g.key.values()) for g in result.groups] == [
        ("P1", "CN"),
        ("P1", "JP"),
        ("P1", "US"),
        ("P2", "CA"),
        ("P2", "US"),
        ("P2", None),
        ("P3", "CN"),
        ("P3", "US"),
    ]
    # P3 does not declare the USA, but its activity A9 targets it.
    p3_us = group(result, partnership="P3", target_country="US")
    assert (p3_us["partnerships"], p3_us["activities"], p3_us["b2b_meetings"]) == (
        0,
        1,
        7,
    )
    assert p3_us.target_markets == (kpis.TargetMarket("US", 0, 1),)
    p2_none = group(result, partnership="P2", target_country=None)
    assert (p2_none["partnerships"], p2_none["activities"]) == (0, 1)


def test_ecosystem_by_year() -> None:
    """A partnership-level and an activity-level dimension together."""
    result = compute(small(), by=("ecosystem", "year"))
    assert result.scope.by == ("year", "ecosystem")
    cell = group(result, year=2016, ecosystem="agri-food")
    assert (cell["partnerships"], cell["activities"]) == (1, 1)
    cell = group(result, year=2019, ecosystem=None)
    assert (cell["partnerships"], cell["activities"]) == (1, 2)  # P2: A6 A7


def test_year_by_quarter_only_pairs_a_quarter_with_its_year() -> None:
    """A group is the scope with its values as filters: year 2015 and 2018-Q1 select nothing.

    P3's period spans 2015-12-01..2018-01-31; its (year, quarter) groups must be the
    quarters of each year, not every year with every quarter.
    """
    result = compute(small(), by=("year", "quarter"))
    mismatched = [
        dict(g.key)
        for g in result.groups
        if not str(g.key["quarter"]).startswith(f"{g.key['year']}-")
    ]
    assert mismatched == []
    assert group(result, year=2016, quarter="2016-Q2")["activities"] == 1


def test_a_partnership_without_a_known_period_is_in_no_year() -> None:
    """Without validation, a partnership of an unknown generation and no dates has no year."""
    partnerships = [
        {
            key: value
            for key, value in {**PARTNERSHIPS[0], "generation": "escp-4i-9"}.items()
            if key not in {"start", "end"}
        },
        *PARTNERSHIPS[1:],
    ]
    ds = small(partnerships=partnerships)
    result = compute(ds, by=("partnership", "year"), validate=False)
    assert compute(ds, validate=False)["partnerships"] == len(PARTNERSHIPS)
    assert not [
        g for g in result.groups if g.key["partnership"] == "P1" and g["partnerships"]
    ]
    assert compute(ds, validate=False, start=dt.date(2000, 1, 1))["partnerships"] == (
        len(PARTNERSHIPS) - 1
    )


def test_a_reversed_period_is_in_no_year() -> None:
    """Without validation, a partnership ending before it starts overlaps no year."""
    partnerships = [
        {**PARTNERSHIPS[0], "start": "2019-06-01", "end": "2018-06-01"},
        *PARTNERSHIPS[1:],
    ]
    result = compute(small(partnerships=partnerships), by="year", validate=False)
    assert all(
        g.key["partnership"] != "P1"
        for g in compute(
            small(partnerships=partnerships), by=("partnership", "year"), validate=False
        ).groups
        if g["partnerships"]
    )
    assert group(result, year=2019)["partnerships"] == 1  # P2 only
    assert (
        compute(
            small(partnerships=partnerships), validate=False, start=dt.date(2019, 1, 1)
        )["partnerships"]
        == 1
    )


def test_a_group_of_an_unknown_generation_equals_its_filter() -> None:
    """Without validation a partnership of an undefined generation is used and grouped.

    Its group must be reproducible with the filter, as every other group is.
    """
    partnerships = [*PARTNERSHIPS[:2], {**PARTNERSHIPS[2], "generation": "escp-4i-9"}]
    ds = small(partnerships=partnerships)
    result = compute(ds, by="generation", validate=False)
    unknown = group(result, generation="escp-4i-9")
    assert unknown["partnerships"] == 1
    assert measures(unknown) == measures(
        compute(ds, generation="escp-4i-9", validate=False)
    )


def test_an_open_ended_period_is_grouped_as_it_is_filtered() -> None:
    """A partnership with a start and no end (undefined generation, no validation).

    The date filter counts it in 2021 (its period has no end); the year breakdown
    must agree with the filter for that year.
    """
    partnerships = [
        *PARTNERSHIPS[:2],
        {**PARTNERSHIPS[2], "generation": "escp-4i-9", "start": "2016-01-01"},
    ]
    ds = small(partnerships=partnerships)
    in_2021 = compute(
        ds, validate=False, start=dt.date(2021, 1, 1), end=dt.date(2021, 12, 31)
    )
    groups = compute(ds, by="year", validate=False).groups
    by_year = {g.key["year"]: g["partnerships"] for g in groups}
    assert by_year.get(2021, 0) == in_2021["partnerships"]


def test_groups_are_empty_when_nothing_is_in_scope() -> None:
    """A breakdown of an empty scope has no group."""
    result = compute(small(), by="partnership", target_country="Brazil")
    assert result.groups == ()
    assert result.to_dict()["groups"] == []
    assert "No group: nothing in scope." in result.to_table()


# ---------------------------------------------------------------- validation gate


def test_activity_of_an_unknown_partnership_is_excluded(tmp_path: Path) -> None:
    """CK-FK-001 leaves the activity out, with validation or without."""
    gated = compute(INVALID / "CK-FK-001")
    assert gated["activities"] == 5
    assert counts(gated)["activities"] == (6, 5, 1)
    assert gated.excluded_by_rule == {"CK-FK-001": 1}
    assert not gated.complete
    assert gated.excluded == 1
    assert gated.validation is not None
    assert [(f.rule, f.location.line) for f in gated.validation.findings] == [
        ("CK-FK-001", 6)
    ]
    trusted = compute(INVALID / "CK-FK-001", validate=False)
    assert counts(trusted)["activities"] == (6, 5, 1)
    assert trusted.excluded_by_rule == {}
    assert not trusted.complete
    ds = small(activities=[*ACTIVITIES, act("Z1", "P9", "webinar", "2019-01-01")])
    assert counts(compute(ds, validate=False))["activities"] == (11, 10, 1)
    assert counts(compute(ds))["activities"] == (11, 10, 1)


def test_future_dates_depend_on_as_of() -> None:
    """CK-DATE-004 with `as_of`: what lies after it is excluded."""
    early = ck.compute_kpis(BASE, as_of=dt.date(2019, 1, 1))
    # A3 (2019-03-05), A4 (2019-06-10), A6 (2019-04-08) start later.
    assert early["activities"] == 3
    assert counts(early)["activities"] == (6, 3, 3)
    assert set(early.excluded_by_rule) == {"CK-DATE-004"}
    late = ck.compute_kpis(BASE, as_of=dt.date(2019, 12, 31))
    assert late["activities"] == 6
    assert late.complete


def test_duplicate_activity_in_one_batch_keeps_the_first(tmp_path: Path) -> None:
    """CK-PK-001: the later occurrence is excluded, the first is used."""
    later = act(
        "A2", "P2", "webinar", "2019-01-10", target_country="CA", b2b_meetings=500
    )
    ds = small(activities=[*ACTIVITIES, later])
    result = compute(ds)
    assert dict(result.kpis) == TOTAL
    assert counts(result)["activities"] == (11, 10, 1)
    assert result.excluded_by_rule == {"CK-PK-001": 1}
    folder = tmp_path / "csv"
    ck.dump_dataset(ds, folder)
    assert compute(folder) == result
    # Without validation both are used.
    assert compute(ds, validate=False)["b2b_meetings"] == 521


def test_duplicate_with_an_error_of_its_own_counts_once(tmp_path: Path) -> None:
    """A later duplicate that also has an error is one excluded record, two findings."""
    later = act("A2", "P9", "webinar", "2019-01-10")
    ds = small(activities=[*ACTIVITIES, later])
    folder = tmp_path / "csv"
    ck.dump_dataset(ds, folder)
    for source in (ds, folder):
        result = compute(source)
        assert dict(result.kpis) == TOTAL
        assert counts(result)["activities"] == (11, 10, 1)
        assert result.excluded_by_rule == {"CK-FK-001": 1, "CK-PK-001": 1}


def test_duplicates_far_apart_and_near_keep_the_first(tmp_path: Path) -> None:
    """Duplicates in one batch and more than a batch (1,000 rows) apart."""
    ds = generate_dataset(seed=3, partnerships=4, clusters=12, smes=30, activities=1500)
    rows = list(ds.activities)
    # The later copies carry B2B meetings no real row has: they must not count.
    rows[1300] = rows[1300].model_copy(update={"id": rows[2].id, "b2b_meetings": 9999})
    rows[7] = rows[7].model_copy(update={"id": rows[5].id, "b2b_meetings": 7777})
    duplicated = ds.model_copy(update={"activities": tuple(rows)})
    firsts = ds.model_copy(
        update={
            "activities": tuple(r for i, r in enumerate(rows) if i not in {7, 1300})
        }
    )
    expected = compute(firsts)
    csv_folder = tmp_path / "csv"
    jsonl_folder = tmp_path / "data.jsonl"
    ck.dump_dataset(duplicated, csv_folder)
    ck.dump_dataset(duplicated, jsonl_folder)
    for source in (duplicated, csv_folder, jsonl_folder):
        result = compute(source)
        assert result.kpis == expected.kpis
        assert result.activities_by_type == expected.activities_by_type
        assert result.target_markets == expected.target_markets
        assert counts(result)["activities"] == (1500, 1498, 2)
        assert result.excluded_by_rule == {"CK-PK-001": 2}


@pytest.mark.parametrize("case", ["CK-PART-001", "CK-PART-008", "CK-FK-002"])
def test_a_partnership_with_an_error_excludes_its_activities(case: str) -> None:
    """P2 fails (too few members; too few targets, found at the end; unknown generation).

    Its activities A5 and A6 are excluded with it, whenever the error is found.
    """
    result = compute(INVALID / case)
    assert result["partnerships"] == 1
    assert result["activities"] == 4
    assert counts(result)["partnerships"] == (2, 1, 1)
    assert counts(result)["activities"] == (6, 4, 2)
    assert result.excluded_by_rule == {case: 1}
    assert result.activities_by_type["trade_fair"] == 0  # A6 was P2's
    assert {m.country for m in result.target_markets} == {"US", "CN", "JP"}
    with_everything = compute(BASE)
    assert with_everything["activities"] == 6


def test_a_partnership_failing_at_the_end_of_the_pass_in_a_dataset() -> None:
    """CK-PART-008 (a dataset check) on a Dataset: its activities are dropped too."""
    generations = [
        ck.Dataset()
        .generation("escp-4i-2")
        .model_copy(update={"min_target_countries": 3})
    ]
    ds = small().model_copy(update={"generations": tuple(generations)})
    result = compute(ds)
    assert result.excluded_by_rule == {"CK-PART-008": 1}  # P2 has two targets
    assert result["partnerships"] == 2
    assert result["activities"] == 7
    assert counts(result)["activities"] == (10, 7, 3)


def test_a_cluster_with_an_error_is_not_counted() -> None:
    """CK-GEO-004 on DE-001 (region of another country): one cluster, one country fewer."""
    result = compute(INVALID / "CK-GEO-004")
    assert result.excluded_by_rule == {"CK-GEO-004": 1}
    assert counts(result)["clusters"] == (8, 7, 1)
    assert result["cluster_organisations"] == 6
    assert result["member_countries"] == 6
    # Its partnership and activities are still used.
    assert result["partnerships"] == 2
    assert result["activities"] == 6


def test_an_sme_with_an_error_is_not_counted_among_smes_involved() -> None:
    """CK-SME-001 on an SME listed on activities: not counted, the activities are."""
    smes = [{**SMES[0], "headcount": 300, "size_class": "micro"}, *SMES[1:]]
    result = compute(small(smes=smes))
    assert "CK-SME-001" in result.excluded_by_rule
    assert counts(result)["smes"] == (4, 3, 1)
    assert result["smes_involved"] == 19
    assert result["activities"] == 10
    assert compute(small(smes=smes), validate=False)["smes_involved"] == 20


def test_a_missing_required_column_leaves_rows_out_and_is_reported(
    tmp_path: Path,
) -> None:
    """activities.csv without `type`: no activity can be placed; 6 read, 6 excluded."""
    folder = base_copy(tmp_path)
    edit_csv(
        folder / "activities.csv",
        lambda rows: [[c for i, c in enumerate(r) if i != 2] for r in rows],
    )
    for validate in (True, False):
        result = compute(folder, validate=validate)
        assert result["activities"] == 0
        assert result.excluded_by_rule == {"CK-HDR-001": 1}
        assert not result.complete
        # The base has six activity rows (and a blank line): the header is not a record.
        assert counts(result)["activities"] == (6, 0, 6)


def test_a_header_finding_is_not_an_excluded_record(tmp_path: Path) -> None:
    """CK-HDR-001 / CK-HDR-003 point at the header line: it is not a record read.

    records[table].read must be the number of rows of the file.
    """
    missing = compute(INVALID / "CK-HDR-001")  # partnerships.csv without `acronym`
    duplicate = compute(INVALID / "CK-HDR-003")  # clusters.csv with `city` twice
    folder = base_copy(tmp_path)
    edit_csv(folder / "targets.csv", lambda rows: [row[:1] + row[2:] for row in rows])
    no_country = compute(folder)  # targets.csv without `country`
    assert missing.excluded_by_rule == {"CK-HDR-001": 1}
    assert duplicate.excluded_by_rule == {"CK-HDR-003": 1}
    assert no_country.excluded_by_rule == {"CK-HDR-001": 1}
    assert (
        counts(missing)["partnerships"][0],
        counts(duplicate)["clusters"][0],
        counts(no_country)["targets"][0],
    ) == (2, 8, 5)


def test_partnerships_that_cannot_be_placed_are_not_used(tmp_path: Path) -> None:
    """partnerships.csv without `generation`: no partnership counts, none is 'used'."""
    folder = base_copy(tmp_path)
    edit_csv(
        folder / "partnerships.csv",
        lambda rows: [[c for i, c in enumerate(r) if i != 3] for r in rows],
    )
    result = compute(folder)
    assert result["partnerships"] == 0
    assert counts(result)["activities"] == (6, 0, 6)
    assert result.records["partnerships"].used == result["partnerships"]


def test_a_cell_that_does_not_read_excludes_its_row_once(tmp_path: Path) -> None:
    """An empty required cell (CK-TYPE-001): one record excluded, not two."""
    folder = base_copy(tmp_path)
    edit_csv(
        folder / "activities.csv",
        lambda rows: [*rows[:1], [rows[1][0], rows[1][1], "", *rows[1][3:]], *rows[2:]],
    )
    for validate in (True, False):
        result = compute(folder, validate=validate)
        assert counts(result)["activities"] == (6, 5, 1)
        assert result.excluded_by_rule == {"CK-TYPE-001": 1}
        assert result["activities"] == 5


def test_validate_false_on_a_dataset_uses_every_record() -> None:
    """A Dataset is trusted as it is: errors do not exclude, the report is None."""
    smes = [{**SMES[0], "headcount": 300, "size_class": "micro"}, *SMES[1:]]
    ds = small(smes=smes)
    trusted = compute(ds, validate=False)
    assert trusted.validation is None
    assert trusted.complete
    assert dict(trusted.kpis) == TOTAL


def test_validate_false_on_a_path_still_leaves_out_what_does_not_read() -> None:
    """A path without validation: cells that cannot be read still leave their row out."""
    trusted = compute(INVALID / "CK-PART-001", validate=False)
    assert trusted["partnerships"] == 2
    assert trusted["activities"] == 6
    assert trusted.complete
    unreadable = compute(INVALID / "CK-TYPE-001", validate=False)
    assert counts(unreadable)["activities"] == (6, 5, 1)
    assert not unreadable.complete


def test_validate_false_reports_only_the_read_stage_on_a_path() -> None:
    """With validate=False a path's report holds what could not be read, nothing else."""
    unreadable = compute(INVALID / "CK-TYPE-001", validate=False).validation
    assert unreadable is not None
    assert set(unreadable.summary.by_rule) == {"CK-TYPE-001"}
    crossed = compute(INVALID / "CK-FK-001", validate=False).validation
    assert crossed is not None
    assert crossed.summary.total == 0  # CK-FK-001 is not a read-stage rule
    assert compute(small(), validate=False).validation is None


# P2 lists two of its members: it breaks CK-PART-001 (and warns CK-PART-002).
TOO_FEW_MEMBERS = INVALID / "CK-PART-001"


def test_a_partnership_with_too_few_members_is_left_out_by_default() -> None:
    """The gate leaves P2 out for CK-PART-001, with its targets and activities."""
    result = compute(TOO_FEW_MEMBERS)
    assert (result["partnerships"], result["activities"]) == (1, 4)
    assert counts(result)["activities"] == (6, 4, 2)
    assert result.excluded_by_rule == {"CK-PART-001": 1}


@pytest.mark.parametrize(
    "choice",
    [
        {"ignore": ["CK-PART-001"]},
        {"ignore": "CK-PART"},
        {"ignore": "ck-date-004, CK-PART-001"},
        {"select": ["CK-FK", "CK-DATE"]},
        {"select": "CK-PART-002,CK-PART-003"},
        {"thresholds": ck.Thresholds(min_members=2)},
    ],
    ids=["id", "prefix", "string", "select", "select-warning", "thresholds"],
)
def test_a_rule_left_out_of_the_gate_keeps_its_records(choice: dict[str, Any]) -> None:
    """CK-PART-001 ignored, not selected or with a lower minimum: P2 and its activities count."""
    result = compute(TOO_FEW_MEMBERS, **choice)
    assert (result["partnerships"], result["activities"]) == (2, 6)
    assert counts(result)["partnerships"] == (2, 2, 0)
    assert counts(result)["targets"] == (5, 5, 0)
    assert counts(result)["activities"] == (6, 6, 0)
    assert result.excluded_by_rule == {}
    assert result.complete
    assert result.validation is not None
    assert result.validation.summary.total == 0
    assert measures(result) == measures(compute(TOO_FEW_MEMBERS, validate=False))


def test_the_rules_not_ignored_still_leave_records_out() -> None:
    """Ignoring CK-PART-001 keeps the gate of every other rule (CK-FK-001 here)."""
    result = compute(INVALID / "CK-FK-001", ignore="CK-PART-001")
    assert result.excluded_by_rule == {"CK-FK-001": 1}
    assert counts(result)["activities"] == (6, 5, 1)
    chosen = compute(INVALID / "CK-FK-001", select="CK-FK-001")
    assert chosen.excluded_by_rule == {"CK-FK-001": 1}


def test_thresholds_that_raise_a_minimum_leave_more_out() -> None:
    """`Thresholds(min_members=4)`: the base dataset's P2 (three members) is left out."""
    result = compute(BASE, thresholds=ck.Thresholds(min_members=4))
    assert result.excluded_by_rule == {"CK-PART-001": 1}
    assert counts(result)["partnerships"] == (2, 1, 1)


@pytest.mark.parametrize("choice", [{"select": "CK-FK"}, {"ignore": "CK-TYPE-001"}])
def test_the_read_stage_leaves_records_out_whatever_is_chosen(
    choice: dict[str, Any],
) -> None:
    """A cell that cannot be read leaves its row out, as with validate=False."""
    result = compute(INVALID / "CK-TYPE-001", **choice)
    assert result.excluded_by_rule == {"CK-TYPE-001": 1}
    assert counts(result)["activities"] == (6, 5, 1)


@pytest.mark.parametrize(
    ("choice", "named"),
    [
        ({"ignore": ["CK-PART-001"]}, "ignore"),
        ({"select": "CK-FK"}, "select"),
        ({"select": "", "ignore": ()}, "select and ignore"),
        ({"thresholds": ck.Thresholds(min_members=2)}, "thresholds"),
    ],
)
@pytest.mark.parametrize("source", [TOO_FEW_MEMBERS, small()], ids=["path", "dataset"])
def test_choosing_rules_without_validation_raises(
    source: Any, choice: dict[str, Any], named: str
) -> None:
    """validate=False checks no rule to choose: select, ignore or thresholds are a mistake."""
    with pytest.raises(
        ValueError, match=f"^{named} would have no effect: validate=False"
    ):
        compute(source, validate=False, **choice)


@pytest.mark.parametrize(
    "choice", [{"ignore": "CK-NOPE"}, {"select": ["CK-PART", "x"]}]
)
def test_a_rule_choice_that_names_no_rule_raises(choice: dict[str, Any]) -> None:
    """An entry that names no rule is refused, as `validate` refuses it."""
    with pytest.raises(ValueError, match="names no rule"):
        compute(TOO_FEW_MEMBERS, **choice)


def test_duplicate_partnerships_without_validation_use_the_first() -> None:
    """Without validation a repeated partnership id counts once, with the first record."""
    repeated = [*PARTNERSHIPS, {**PARTNERSHIPS[0], "smes_reached": 1000}]
    result = compute(small(partnerships=repeated), validate=False)
    assert result["partnerships"] == 3
    assert result["smes_reached"] == 100
    gated = compute(small(partnerships=repeated))
    assert gated.excluded_by_rule == {"CK-PK-001": 1}
    assert gated["smes_reached"] == 100


def test_errors_in_generations_leave_no_record_out() -> None:
    """An error in generations.csv is reported; the tables' records are all used."""
    result = compute(INVALID / "CK-DATE-001-generation")
    assert result.excluded_by_rule == {"CK-DATE-001": 1}
    assert result.excluded == 0
    assert not result.complete


def test_targets_without_their_country_column_declare_nothing(tmp_path: Path) -> None:
    """targets.csv without `country`: no declared market; activities still give markets."""
    folder = base_copy(tmp_path)
    edit_csv(folder / "targets.csv", lambda rows: [row[:1] + row[2:] for row in rows])
    result = compute(folder)
    assert result.excluded_by_rule == {"CK-HDR-001": 1}
    assert result["partnerships"] == 2
    assert {m.country: m.partnerships for m in result.target_markets} == {
        "US": 0,
        "CN": 0,
        "JP": 0,
        "CA": 0,
    }


def test_unchecked_records_in_a_dataset_are_gated() -> None:
    """Records made without validation (`model_construct`) are checked by the gate.

    An empty partnership id (CK-TYPE-001) leaves the activity out; a partnership
    whose members are missing (None) fails CK-PART-001 and CK-PART-003.
    """
    unchecked = ck.ActivityRecord.model_construct(
        id="Z1",
        partnership="",
        type=ck.ActivityType.WEBINAR,
        start=dt.date(2019, 1, 1),
        smes=(),
        clusters=(),
        b2b_meetings=0,
        c2c_meetings=0,
        mous_signed=0,
        collaboration_projects=0,
    )
    ds = small()
    memberless = ck.Partnership.model_construct(
        **{**dict(ds.partnerships[0]), "id": "P7", "members": None}
    )
    ds = ds.model_copy(
        update={
            "activities": (*ds.activities, unchecked),
            "partnerships": (*ds.partnerships, memberless),
        }
    )
    gated = compute(ds)
    assert gated.excluded_by_rule == {
        "CK-PART-001": 1,
        "CK-PART-003": 1,
        "CK-TYPE-001": 1,
    }
    assert counts(gated)["activities"] == (11, 10, 1)
    assert counts(gated)["partnerships"] == (4, 3, 1)
    assert dict(gated.kpis) == TOTAL
    trusted = compute(ds, validate=False)
    assert trusted["partnerships"] == 4
    assert trusted["cluster_organisations"] == 8  # P7's coordinator is P1's
    assert counts(trusted)["activities"] == (11, 10, 1)  # no partnership ""


def test_a_partnership_without_a_known_period_is_in_no_date_range() -> None:
    """An undefined generation and no start of its own (validate=False)."""
    partnerships = [*PARTNERSHIPS[:2], {**PARTNERSHIPS[2], "generation": "escp-4i-9"}]
    ds = small(partnerships=partnerships)
    assert compute(ds, validate=False)["partnerships"] == 3
    assert compute(ds, validate=False, start=dt.date(2010, 1, 1))["partnerships"] == 2
    assert compute(ds, validate=False, end=dt.date(2030, 1, 1))["partnerships"] == 2


def test_progress_is_called_per_batch_with_rows_read_so_far() -> None:
    """`progress(file, rows)` after each batch, per file, rows counted so far."""
    calls: list[tuple[str, int]] = []
    result = ck.compute_kpis(
        BASE, as_of=AS_OF, progress=lambda where, rows: calls.append((where, rows))
    )
    assert result.complete
    last = {Path(where).name: rows for where, rows in calls}
    assert last == {
        "clusters.csv": 8,
        "smes.csv": 4,
        "partnerships.csv": 2,
        "targets.csv": 5,
        "activities.csv": 6,
    }
    calls.clear()
    ck.compute_kpis(small(), as_of=AS_OF, progress=lambda w, n: calls.append((w, n)))
    assert calls
    assert calls[-1][1] >= 10


def test_a_file_that_does_not_decode_is_reported() -> None:
    """CK-FILE-001 (targets.csv in UTF-16): no target read, the rule counted."""
    result = compute(INVALID / "CK-FILE-001")
    assert result.excluded_by_rule == {"CK-FILE-001": 1}
    assert result.records["targets"].read == 0
    assert result.target_markets != ()  # activities still give markets
    assert all(m.partnerships == 0 for m in result.target_markets)


# ---------------------------------------------------------------- sources and layouts


@pytest.mark.parametrize("layout", ["csv", "jsonl", "json", "xlsx"])
def test_every_layout_gives_the_same_result(tmp_path: Path, layout: str) -> None:
    """A Dataset and its dump in each layout give equal results (and groups)."""
    ds = small(activities=[*ACTIVITIES, act("Z1", "P9", "webinar", "2019-01-01")])
    name = {"csv": "d", "jsonl": "d.jsonl", "json": "d.json", "xlsx": "d.xlsx"}
    path = tmp_path / name[layout]
    ck.dump_dataset(ds, path, layout=layout)
    by = ("partnership", "quarter")
    expected = compute(ds, by=by)
    assert expected.excluded_by_rule == {"CK-FK-001": 1}
    assert compute(path, by=by) == expected
    assert compute(str(path), by=by, jobs=2) == expected
    assert compute(path, validate=False) == compute(ds, validate=False)


def test_an_error_located_by_a_json_pointer(tmp_path: Path) -> None:
    """A JSON document locates findings by pointer; the record is excluded as in CSV."""
    path = tmp_path / "d.json"
    ck.dump_dataset(ck.load_dataset(INVALID / "CK-PART-001"), path)
    result = compute(path)
    assert result.validation is not None
    assert [f.location.pointer for f in result.validation.findings] == [
        "/partnerships/1/members"
    ]
    assert counts(result) == counts(compute(INVALID / "CK-PART-001"))


def test_a_dataset_with_jobs_is_computed_in_one_process() -> None:
    """`jobs` only shares files; a Dataset gives the same result."""
    assert compute(small(), jobs=2) == compute(small())


def test_the_example_dataset() -> None:
    """The bundled example is complete; `load_example` and its path agree."""
    by_path = compute(example_path(), by="generation")
    assert by_path.complete
    assert by_path["partnerships"] == 6
    assert compute(ck.load_example(), by="generation") == by_path


# ---------------------------------------------------------------- the result


def test_to_dict_has_the_structure_of_the_spec() -> None:
    """Keys, order and values as DESIGN.md §7 and the SPEC give them."""
    data = compute(small(), generation="escp-4i-1", start=dt.date(2016, 1, 1)).to_dict()
    assert list(data) == [
        "scope",
        "reference_data",
        "kpis",
        "activities_by_type",
        "target_markets",
        "records",
        "excluded_by_rule",
        "duplicate_smes",
        "smes_reached_given",
        "notes",
    ]
    # The one partnership in scope, P3, gives smes_reached: nothing to note.
    assert (data["duplicate_smes"], data["smes_reached_given"]) == ({}, 1)
    assert data["notes"] == []
    assert data["scope"] == {
        "generation": ["escp-4i-1"],
        "partnership": None,
        "start": "2016-01-01",
        "end": None,
        "target_country": None,
        "by": [],
    }
    assert data["reference_data"] == ck.reference.version()
    assert data["kpis"] == P3_KPIS
    assert data["target_markets"] == [
        {"country": "CN", "partnerships": 1, "activities": 1},
        {"country": "US", "partnerships": 0, "activities": 1},
    ]
    assert list(data["records"]) == list(TABLES)
    assert data["records"]["activities"] == {"read": 10, "used": 10, "excluded": 0}
    assert data["excluded_by_rule"] == {}


def test_to_dict_with_groups() -> None:
    """`groups` comes after `target_markets`, only with a breakdown."""
    result = compute(small(), by="partnership", target_country="US")
    data = result.to_dict()
    assert list(data)[5] == "groups"
    assert data["scope"]["by"] == ["partnership"]
    assert data["scope"]["target_country"] == ["US"]
    assert [list(g) for g in data["groups"]] == [
        ["key", "kpis", "activities_by_type", "target_markets"]
    ] * 3
    assert data["groups"][0]["key"] == {"partnership": "P1"}
    assert data["groups"][0]["kpis"]["activities"] == 3
    assert data["groups"][2]["target_markets"] == [
        {"country": "US", "partnerships": 0, "activities": 1}
    ]


def test_to_json_round_trips() -> None:
    """`to_json` is `to_dict` as JSON, indented or on one line."""
    result = compute(small(), by=("year", "ecosystem"))
    assert json.loads(result.to_json()) == result.to_dict()
    one_line = result.to_json(indent=None)
    assert "\n" not in one_line
    assert json.loads(one_line) == result.to_dict()


def test_to_csv_has_a_total_row_and_a_row_per_group() -> None:
    """Columns: level, the dimensions, the KPIs, activities per type."""
    result = compute(small(), by="ecosystem")
    rows = list(csv.DictReader(io.StringIO(result.to_csv())))
    assert list(rows[0]) == [
        "level",
        "ecosystem",
        *SCALAR_KPIS,
        *(f"activities.{kind.value}" for kind in ck.ActivityType),
    ]
    assert [row["level"] for row in rows] == ["total"] + ["group"] * 4
    assert rows[0]["ecosystem"] == ""
    assert rows[0]["smes_involved"] == "20"
    assert float(rows[0]["b2b_meetings_per_sme_involved"]) == 21 / 20
    assert [row["ecosystem"] for row in rows[1:]] == [
        "agri-food",
        "digital",
        "electronics",
        "",
    ]
    assert rows[4]["smes_involved_share_of_reached"] == ""  # P2: undefined
    assert rows[4]["activities.training"] == "1"
    plain = list(csv.reader(io.StringIO(compute(small()).to_csv())))
    assert len(plain) == 2


def test_to_table_and_to_markdown_show_the_values() -> None:
    """Titles, ids, values (thousands separators, two decimals, 'undefined')."""
    result = compute(small(), by="partnership", partnership="P2,P3")
    table = result.to_table()
    assert table.startswith(
        "Scope: partnership P2, P3; by partnership (reference data "
    )
    assert "SMEs involved" in table
    assert "undefined" in table  # P2's share of SMEs reached
    assert "1.40" in table  # P3's B2B meetings per SME involved
    assert "CN China" in table
    assert "Left out" not in table
    markdown = result.to_markdown()
    assert "## KPIs" in markdown
    assert "| Partnerships | partnerships | 2 |" in markdown
    assert "| ---" in markdown
    assert "| P2 |" in markdown
    assert "## Groups by partnership" in markdown
    assert "| activities | 10 | 10 | 0 |" in markdown


def test_rendering_of_large_numbers_dates_and_exclusions() -> None:
    """Thousands separators, the date range in the scope line, the rules that excluded."""
    rows = [{**ACTIVITIES[0], "b2b_meetings": 12345}, *ACTIVITIES[1:]]
    rows.append(act("Z1", "P9", "webinar", "2019-01-01"))
    result = compute(small(activities=rows), end=dt.date(2019, 12, 31))
    table = result.to_table()
    assert "activities from … to 2019-12-31" in table
    assert "12,352" in table
    assert "Left out because of errors" in table
    assert "CK-FK-001 (1)" in table
    empty = compute(small(), target_country="Brazil", start=dt.date(2018, 1, 1))
    assert "activities from 2018-01-01 to …" in empty.to_table()
    assert "target country BR" in empty.to_markdown()
    assert "No third-country market in scope." in empty.to_markdown()
    assert "Scope: every record" in compute(small()).to_table()


def test_result_accessors() -> None:
    """`result[kpi]`, `group[kpi]`, `excluded`, `complete`, `RecordCount.read`."""
    result = compute(small(), by="generation")
    assert result["partnerships"] == 3
    assert result.groups[0]["partnerships"] == 1
    with pytest.raises(KeyError):
        result["nothing"]
    assert kpis.RecordCount(used=3, excluded=2).read == 5
    assert kpis.RecordCount(used=3, excluded=2).to_dict() == {
        "read": 5,
        "used": 3,
        "excluded": 2,
    }
    assert kpis.TargetMarket("US", 1, 2).to_dict() == {
        "country": "US",
        "partnerships": 1,
        "activities": 2,
    }
    # The report does not take part in equality.
    assert attrs.evolve(result, validation=None) == result


def test_scope_build_and_to_dict() -> None:
    """`Scope.build` normalises; `to_dict` gives JSON values."""
    scope = Scope.build(
        by="quarter, partnership",
        generation="escp-4i-1",
        partnership=("P1", "P1"),
        start=dt.date(2018, 1, 1),
        end=dt.date(2018, 12, 31),
        target_country=["États-Unis", "China"],
    )
    assert scope.by == ("partnership", "quarter")
    assert scope.activity_dimensions == ("quarter",)
    assert scope.partnership == ("P1",)
    assert scope.to_dict() == {
        "generation": ["escp-4i-1"],
        "partnership": ["P1"],
        "start": "2018-01-01",
        "end": "2018-12-31",
        "target_country": ["US", "CN"],
        "by": ["partnership", "quarter"],
    }
    assert kpis.DIMENSIONS == (
        "partnership",
        "generation",
        "target_country",
        "year",
        "quarter",
        "ecosystem",
    )


# ---------------------------------------------------------------- one function per KPI


def test_definitions_match_the_result() -> None:
    """One definition per KPI id: the scalar ones are the keys of `kpis`."""
    result = compute(small())
    ids = [d.id for d in kpis.definitions()]
    assert ids == [*result.kpis, "activities_by_type", "target_markets"]
    kinds = {d.id: d.kind for d in kpis.definitions()}
    assert {i for i, k in kinds.items() if k == "ratio"} == {
        "b2b_meetings_per_sme_involved",
        "smes_involved_share_of_reached",
    }
    assert kinds["activities_by_type"] == "by_type"
    assert kinds["target_markets"] == "ranking"
    assert all(
        d.title and d.definition and d.since == "0.1.0" for d in kpis.definitions()
    )


@pytest.mark.parametrize("kpi", [d.id for d in kpis.definitions()])
def test_each_kpi_function_returns_what_compute_kpis_gives(kpi: str) -> None:
    """`clusterkit.kpis.<id>(source, **scope)` is `compute_kpis(...)`'s value."""
    function = getattr(kpis, kpi)
    ds = small()
    for scope in ({}, {"generation": "escp-4i-2"}, {"partnership": "P3"}):
        result = compute(ds, **scope)
        if kpi == "activities_by_type":
            expected: Any = result.activities_by_type
        elif kpi == "target_markets":
            expected = result.target_markets
        else:
            expected = result[kpi]
        if expected is None:
            with pytest.raises(ck.KPIError):
                function(ds, as_of=AS_OF, **scope)
        else:
            assert function(ds, as_of=AS_OF, **scope) == expected
    assert function(BASE, as_of=AS_OF, validate=False) is not None


# ---------------------------------------------------------------- reconcile


def test_reconcile_with_the_publication_of_the_scoped_generation() -> None:
    """`reported=None`: the one publication about the generation in scope."""
    result = compute(ck.load_example(), generation="escp-4i-1")
    rec = kpis.reconcile(result)
    assert rec.reported.id == "escp-4i-1-achievements"
    assert [f.kpi for f in rec.figures] == [f.kpi for f in rec.reported.figures]
    for figure in rec.figures:
        assert figure.computed == result[figure.kpi]
        assert figure.difference == result[figure.kpi] - figure.reported  # type: ignore[operator]
    assert rec.markets == ()
    # The example is fictional and small: it agrees with few published figures.
    assert not rec.consistent
    data = rec.to_dict()
    assert list(data) == ["reported", "figures", "markets", "consistent"]
    assert data["reported"]["generation"] == "escp-4i-1"
    assert data["figures"][0]["kpi"] == "partnerships_co_funded"
    assert data["consistent"] is False
    assert "Target markets" not in rec.to_table()


def test_reconcile_by_id_with_markets() -> None:
    """A publication by id; its target markets beside the computed ones."""
    result = compute(small(), generation="escp-4i-2")
    rec = kpis.reconcile(result, "escp-4i-2-consultation")
    assert rec.figures[0].kpi == "partnerships"
    assert (rec.figures[0].computed, rec.figures[0].reported) == (2, 23)
    assert rec.figures[0].difference == -21
    markets = {m.country: m for m in rec.markets}
    assert [m.country for m in rec.markets] == [
        m.country for m in rec.reported.target_markets
    ]
    assert markets["US"] == kpis.ReconciledMarket("US", 2, 8, -6)
    assert markets["IN"] == kpis.ReconciledMarket("IN", 0, 3, -3)
    assert markets["US"].to_dict() == {
        "country": "US",
        "computed": 2,
        "reported": 8,
        "difference": -6,
    }
    table = rec.to_table()
    assert "Reconciled with:" in table
    assert "US United States" in table
    assert "-21" in table
    markdown = rec.to_markdown()
    assert "## Published figures" in markdown
    assert "## Target markets (partnerships)" in markdown


def _publication(*figures: tuple[str, int, Any], markets: Any = ()) -> ReportedFigures:
    return ReportedFigures(
        id="test",
        generation="escp-4i-2",
        title="Test figures",
        published=None,
        source="https://example.org",
        figures=tuple(ReportedFigure(k, v, q, f"{q} {v}") for k, v, q in figures),
        target_markets=tuple(markets),
    )


def test_reconcile_consistency_rules() -> None:
    """exact: equal; more_than: greater; about: within 10 % (inclusive)."""
    result = compute(small())  # activities 10, smes_involved 20, b2b_meetings 21
    rec = kpis.reconcile(
        result,
        _publication(
            ("activities", 10, "exact"),
            ("activities", 11, "exact"),
            ("smes_involved", 19, "more_than"),
            ("smes_involved", 20, "more_than"),
            ("b2b_meetings", 20, "about"),  # 1 <= 2.0
            ("b2b_meetings", 19, "about"),  # 2 > 1.9
            ("smes_involved", 22, "about"),  # 2 <= 2.2
            ("smes_involved", 18, "about"),  # 2 > 1.8
            ("activities", 11, "about"),  # 1 <= 1.1
            ("activities", 9, "about"),  # 1 > 0.9
        ),
    )
    assert [f.consistent for f in rec.figures] == [
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        False,
        True,
        False,
    ]
    assert [f.difference for f in rec.figures] == [0, -1, 1, 0, 1, 2, -2, 2, -1, 1]
    assert rec.figures[0].quote == "exact 10"
    assert rec.figures[0].to_dict() == {
        "kpi": "activities",
        "computed": 10,
        "reported": 10,
        "qualifier": "exact",
        "difference": 0,
        "consistent": True,
        "quote": "exact 10",
        "measured": True,
        "verdict": "yes",
    }
    assert not rec.consistent
    table = rec.to_table()
    assert ">19" in table
    assert "about 22" in table
    assert "+1" in table
    assert "yes" in table
    assert "no" in table
    boundary = attrs.evolve(result, kpis={**result.kpis, "activities": 11})
    assert kpis.reconcile(
        boundary, _publication(("activities", 10, "about"))
    ).consistent
    boundary = attrs.evolve(result, kpis={**result.kpis, "activities": 9})
    assert kpis.reconcile(
        boundary, _publication(("activities", 10, "about"))
    ).consistent


def test_reconcile_undefined_and_unknown_figures_do_not_agree() -> None:
    """A ratio that is undefined has no difference and does not agree."""
    result = compute(small(), partnership="P2")
    rec = kpis.reconcile(
        result,
        _publication(
            ("smes_involved_share_of_reached", 1, "exact"),
            ("b2b_meetings_per_sme_involved", 0, "exact"),
        ),
    )
    undefined, defined = rec.figures
    assert (undefined.computed, undefined.difference, undefined.consistent) == (
        None,
        None,
        False,
    )
    assert (defined.computed, defined.consistent) == (0.0, True)
    assert "undefined" in rec.to_table()


def test_reconcile_consistent_needs_every_market_equal() -> None:
    """Figures that agree and markets that do not: not consistent."""
    result = compute(small(), generation="escp-4i-2")
    agreeing = _publication(("partnerships", 2, "exact"))
    assert kpis.reconcile(result, agreeing).consistent
    markets = (ReportedMarket("US", 2), ReportedMarket("CN", 1))
    same = _publication(("partnerships", 2, "exact"), markets=markets)
    assert kpis.reconcile(result, same).consistent
    off = _publication(("partnerships", 2, "exact"), markets=[ReportedMarket("US", 3)])
    assert not kpis.reconcile(result, off).consistent


@pytest.mark.parametrize(
    ("scope", "reported", "message"),
    [
        ({"generation": "escp-4i-2"}, "no-such-publication", "no published figures"),
        ({}, None, "reconcile needs KPIs scoped to one generation"),
        ({"generation": ["escp-4i-1", "escp-4i-2"]}, None, "one generation"),
        ({"generation": "escp-4i-3"}, None, "escp-4i-1 (escp-4i-1-achievements)"),
    ],
)
def test_reconcile_errors(
    scope: dict[str, Any], reported: str | None, message: str
) -> None:
    """An unknown id, or no single generation with a publication: `ValueError`."""
    result = compute(small(), **scope)
    with pytest.raises(ValueError, match=re.escape(message)):
        kpis.reconcile(result, reported)


def test_a_generation_the_dataset_defines_without_activities(tmp_path: Path) -> None:
    """A generation of generations.csv is known to the filters and gives its dates."""
    own = {
        "id": "pilot-1",
        "name": "Pilot (fictional)",
        "family": "Pilot",
        "programme": "COSME",
        "call_id": "PILOT-2019",
        "start": "2019-01-01",
        "end": "2019-12-31",
    }
    partnership = {
        key: value
        for key, value in {**PARTNERSHIPS[0], "generation": "pilot-1"}.items()
        if key not in {"start", "end"}
    }
    ds = ck.Dataset.model_validate(
        {
            "generations": [own],
            "clusters": CLUSTERS,
            "partnerships": [partnership],
        }
    )
    folder = tmp_path / "data"
    ck.dump_dataset(ds, folder, layout="csv")
    for source in (ds, folder):
        result = compute(source, generation="pilot-1", by="year")
        assert result["partnerships"] == 1
        assert [group.key["year"] for group in result.groups] == [2019]


KPI_PAGE = Path(__file__).parents[1] / "docs" / "reference" / "kpis.md"


def test_kpi_page_is_current() -> None:
    """docs/reference/kpis.md is exactly what the catalogue generates.

    Refresh it with ``CLUSTERKIT_UPDATE_SNAPSHOTS=1 pytest tests/test_kpis.py``.
    """
    text = kpis.reference_markdown()
    if os.environ.get("CLUSTERKIT_UPDATE_SNAPSHOTS") == "1":
        KPI_PAGE.write_text(text, encoding="utf-8")
    assert KPI_PAGE.read_text(encoding="utf-8") == text, (
        "docs/reference/kpis.md is out of date; see this test's docstring"
    )


def test_each_kpi_is_its_own_function() -> None:
    """A KPI is callable, documented by its definition, and typed by its kind."""
    ds = ck.load_example()
    result = ck.compute_kpis(ds, as_of=AS_OF)
    for kpi in kpis.definitions():
        assert getattr(kpis, kpi.id) is kpi
        assert kpi.__doc__ is not None
        assert kpi.__doc__.startswith(f"{kpi.label}: {kpi.definition}")
        assert repr(kpi) == f"<KPI {kpi.id}>"
        assert kpi.title == kpi.label
        assert kpi.value(result) == kpi(ds, as_of=AS_OF)
