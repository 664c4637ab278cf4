"""Private: the catalogue of KPIs (DESIGN.md §7), each declared once, in order.

Every KPI is one `KPI` value below: its id (also its name in `clusterkit.kpis`),
label, unit, definition, formula, measure and the worked example the docs page
shows for it (`docs/reference/kpis.md` is generated from this module, and its
examples run as tests). The engine computes the KPIs in this order, so a ratio
comes after the counts it divides. Adding a KPI is one entry here, and a test.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from clusterkit.countries import protocol_order
from clusterkit.kpis._kpi import (
    KPI,
    ByTypeKPI,
    CountKPI,
    Measures,
    RankingKPI,
    RatioKPI,
    ratio,
)
from clusterkit.kpis._market import KPIValue, TargetMarket
from clusterkit.models import ActivityType

__all__ = [
    "activities",
    "activities_by_type",
    "b2b_meetings",
    "b2b_meetings_per_sme_involved",
    "c2c_meetings",
    "cluster_organisations",
    "collaboration_projects",
    "member_countries",
    "mous_signed",
    "partnerships",
    "partnerships_co_funded",
    "partnerships_voluntary",
    "smes_involved",
    "smes_involved_share_of_reached",
    "smes_reached",
    "target_markets",
]


def _by_type(m: Measures, _: Mapping[str, KPIValue]) -> dict[str, int]:
    """Every activity type, in vocabulary order, with its count (zeros included)."""
    return {kind.value: m.cell.by_type.get(kind.value, 0) for kind in ActivityType}


def _ranking(m: Measures, _: Mapping[str, KPIValue]) -> tuple[TargetMarket, ...]:
    """Markets by partnerships declaring them, then protocol order."""
    declared: dict[str, int] = {}
    for partnership in m.partnerships:
        for country in partnership.targets:
            declared[country] = declared.get(country, 0) + 1
    markets = m.cell.markets
    return tuple(
        TargetMarket(
            country=country,
            partnerships=declared.get(country, 0),
            activities=markets.get(country, 0),
        )
        for country in sorted(
            set(declared) | set(markets),
            key=lambda c: (-declared.get(c, 0), protocol_order(c)),
        )
    )


partnerships = CountKPI(
    id="partnerships",
    label="Partnerships",
    unit="partnerships",
    definition="the number of partnerships in scope.",
    formula="`partnerships = |P|`",
    measure=lambda m, _: len(m.partnerships),
    example="""\
P1, P2 and P3: 3.
With `partnership=["P1", "P3"]`, 2.

```python
assert result["partnerships"] == 3
assert ck.kpis.partnerships(ds) == 3
assert ck.kpis.partnerships(ds, partnership=["P1", "P3"]) == 2
```
""",
)

partnerships_co_funded = CountKPI(
    id="partnerships_co_funded",
    label="Co-funded partnerships",
    unit="partnerships",
    definition="the number of partnerships in scope whose `funding` is `co_funded`.",
    formula="`partnerships_co_funded = |{p ∈ P : p.funding = co_funded}|`",
    measure=lambda m, _: sum(p.funding == "co_funded" for p in m.partnerships),
    example="""\
P1 and P2: 2.
In 2017 only P2 (P1's period ended in 2016): 1.

```python
assert result["partnerships_co_funded"] == 2
assert ck.kpis.partnerships_co_funded(ds, start=dt.date(2017, 1, 1)) == 1
```
""",
)

partnerships_voluntary = CountKPI(
    id="partnerships_voluntary",
    label="Voluntary partnerships",
    unit="partnerships",
    definition="the number of partnerships in scope whose `funding` is `voluntary`.",
    formula="`partnerships_voluntary = |{p ∈ P : p.funding = voluntary}|`",
    measure=lambda m, _: sum(p.funding == "voluntary" for p in m.partnerships),
    example="""\
P3: 1.
In 2016, before P3's period began: 0.

```python
assert result["partnerships_voluntary"] == 1
assert ck.kpis.partnerships_voluntary(ds, end=dt.date(2016, 12, 31)) == 0
```
""",
)

cluster_organisations = CountKPI(
    id="cluster_organisations",
    label="Cluster organisations",
    unit="cluster organisations",
    definition="""\
the number of distinct cluster ids among the `members` of the partnerships in scope (the coordinator is a member), counting only clusters whose record exists and passed validation.""",
    formula="`cluster_organisations = |C|`",
    measure=lambda m, _: len(m.members),
    example="""\
P1 brings DE-1, FR-1 and IT-1; P2 brings ES-1, PL-1 and DE-2; P3's members IT-1, ES-1 and DE-2 are already counted: 6, not 9.
P3 alone: 3.

A member cluster with an error is not counted.
Give DE-1 the NUTS region `FR10`, which is not in Germany ([`CK-GEO-004`](rules.md#ck-geo-004)): 5 clusters are left, and P1 is still counted as a partnership.

```python
assert result["cluster_organisations"] == 6
assert ck.kpis.cluster_organisations(ds, partnership="P3") == 3

misplaced = ck.Cluster(id="DE-1", name="Photonics Bavaria", country="DE", region="FR10")
clusters = [misplaced if cluster.id == "DE-1" else cluster for cluster in ds.clusters]
gated = ck.compute_kpis(variant(clusters=clusters))
assert gated["cluster_organisations"] == 5
assert gated["partnerships"] == 3
```
""",
)

member_countries = CountKPI(
    id="member_countries",
    label="Member countries",
    unit="countries",
    definition="""\
the number of distinct `country` values of the clusters counted in `cluster_organisations`.""",
    formula="`member_countries = |{c.country : c ∈ C}|`",
    measure=lambda m, _: len({m.facts.clusters[c] for c in m.members} - {None}),
    example="""\
DE-1 and DE-2 are both German, so the 6 clusters are in 5 countries: DE, FR, IT, ES, PL.
With DE-1 left out by the gate (the example above), Germany still counts through DE-2: still 5.

```python
assert result["member_countries"] == 5
assert ck.kpis.member_countries(ds, partnership="P2") == 3
assert gated["member_countries"] == 5
```
""",
)

smes_reached = CountKPI(
    id="smes_reached",
    label="SMEs reached",
    unit="SMEs",
    definition="""\
the sum of `smes_reached` of the partnerships in scope (not given = 0).""",
    formula="`smes_reached = Σ_{p ∈ P} (p.smes_reached or 0)`",
    measure=lambda m, _: sum(p.smes_reached or 0 for p in m.partnerships),
    example="""\
P1 30 + P2 20 + P3 not given (0) = 50.

```python
assert result["smes_reached"] == 50
assert ck.kpis.smes_reached(ds, partnership="P3") == 0
```
""",
)

activities = CountKPI(
    id="activities",
    label="Activities",
    unit="activities",
    definition="the number of activities in scope.",
    formula="`activities = |A|`",
    measure=lambda m, _: m.cell.activities,
    example="""\
A1 to A12: 12, including A5, which targets no third market.
P1's: A1 to A5, 5.
[`activities_by_type`](#activities_by_type) gives the same count per type.

```python
assert result["activities"] == 12
assert ck.kpis.activities(ds, partnership="P1") == 5
```
""",
)

smes_involved = CountKPI(
    id="smes_involved",
    label="SMEs involved",
    unit="SMEs",
    definition="""\
over the activities in scope that target a third market (their `target_country` is given and is a third country on the activity's `start` under the partnership's generation's programme and `third_country_rule`): the number of distinct SME ids listed on them, plus `smes_involved` (not given = 0) of those that list no SME id.
  Distinct across the whole scope (or group): an SME on five missions counts once.
  When an activity lists SME ids and also gives a larger `smes_involved`, only the listed ids count, because the unnamed ones cannot be told apart from SMEs counted elsewhere.
  An SME whose record has an error is not counted.
  With the validation gate, an SME listed under two ids ([`CK-DUP-001`](rules.md#ck-dup-001): the same VAT number, PIC, or name in one country) is counted once: each id is first mapped to the id of the SME's first record, and `result.duplicate_smes` lists the ids so mapped; with `validate=False` every SME id counts.""",
    formula=(
        "`smes_involved = |⋃_{a ∈ A₃} first(a.smes)| "  # noqa: RUF001 - the union sign of the formula
        "+ Σ_{a ∈ A₃, a.smes empty} (a.smes_involved or 0)`, where `first` maps "
        "the id of an SME found under several ids to its first id"
    ),
    measure=lambda m, _: len(m.smes) + m.cell.anonymous_smes,
    example="""\
The activities that target a third market are all but A5.
The SME ids listed on them are S1, S2 (A1), S1 again (A3), S3 (A3), S4, S5 (A8), S4 again (A9) and S3, S5 again (A10): 5 distinct SMEs.
A9 lists S4 and says `smes_involved=3`: only S4 counts, and S4 is already counted.
The activities that list no SME id add their `smes_involved`: A6 4 and A11 1; A2, A4, A7 and A12 give none, which counts 0.
A5 says `smes_involved=10` but targets no country, so it adds nothing.
5 + 4 + 1 = 10.

For P2 alone: S4 and S5, plus A6's 4: 2 + 4 = 6.

```python
assert result["smes_involved"] == 10
assert ck.kpis.smes_involved(ds, partnership="P2") == 6
```

An activity whose `target_country` is not a third country does not count for `smes_involved`, but its counters count.
Norway is European, so under the `beyond-europe` rule it is not a third market: with the validation gate on, an activity targeting it is an error ([`CK-GEO-001`](rules.md#ck-geo-001)) and is excluded.
With `validate=False` it is used: it adds 1 to `activities` and its 4 B2B meetings to `b2b_meetings`, but not its 5 SMEs to `smes_involved`, and Norway is not a target market.

```python
norway = ck.ActivityRecord(
    id="A13",
    partnership="P2",
    type="business_mission",
    start="2017-03-01",
    target_country="NO",
    smes_involved=5,
    b2b_meetings=4,
)
with_norway = variant(activities=[*ds.activities, norway])

gated = ck.compute_kpis(with_norway)
assert (gated["activities"], gated["b2b_meetings"]) == (12, 40)
assert gated["smes_involved"] == 10
assert gated.validation.summary.by_rule == {"CK-GEO-001": 1}

trusted = ck.compute_kpis(with_norway, validate=False)
assert (trusted["activities"], trusted["b2b_meetings"]) == (13, 44)
assert trusted["smes_involved"] == 10
assert "NO" not in [market.country for market in trusted.target_markets]
```
""",
)

c2c_meetings = CountKPI(
    id="c2c_meetings",
    label="C2C meetings",
    unit="meetings",
    definition="""\
the sum of `c2c_meetings` over the activities in scope (all of them, third market or not), with the [counter defaults](model.md#activity-counter-defaults): a `c2c_meeting` that gives no `c2c_meetings` counts 1, any other type 0; a given value always wins, 0 included.""",
    formula="""\
`c2c_meetings = Σ_{a ∈ A} c2c(a)`, where `c2c(a)` is `a.c2c_meetings` if given, else 1 if `a.type = c2c_meeting`, else 0""",
    measure=lambda m, _: m.cell.c2c_meetings,
    example="""\
Three activities are C2C meetings.
A2 gives no count: 1.
A7 gives 3: 3.
A8 gives 0: a given value wins, 0.
1 + 3 + 0 = 4.
For P2 alone: A7 and A8, 3 + 0 = 3.

```python
assert result["c2c_meetings"] == 4
assert ck.kpis.c2c_meetings(ds, partnership="P2") == 3
assert ck.kpis.c2c_meetings(ds, partnership="P1") == 1
```
""",
)

b2b_meetings = CountKPI(
    id="b2b_meetings",
    label="B2B meetings",
    unit="meetings",
    definition="""\
the sum of `b2b_meetings` over the activities in scope (all of them, third market or not); not given = 0, for every type.""",
    formula="`b2b_meetings = Σ_{a ∈ A} (a.b2b_meetings or 0)`",
    measure=lambda m, _: m.cell.b2b_meetings,
    example="""\
A1 12 + A3 9 + A5 6 + A6 8 + A10 5 = 40.
A5 targets no third market, and its 6 meetings count.
The `b2b_matchmaking` type has no default: A3 counts the 9 it gives.

```python
assert result["b2b_meetings"] == 40
assert ck.kpis.b2b_meetings(ds, partnership="P1") == 12 + 9 + 6
```
""",
)

mous_signed = CountKPI(
    id="mous_signed",
    label="MoUs signed",
    unit="MoUs",
    definition="""\
the sum of `mous_signed` over the activities in scope (all of them, third market or not), with the counter defaults: a `mou_signature` that gives no `mous_signed` counts 1, any other type 0; a given value always wins.""",
    formula="""\
`mous_signed = Σ_{a ∈ A} mous(a)`, where `mous(a)` is `a.mous_signed` if given, else 1 if `a.type = mou_signature`, else 0""",
    measure=lambda m, _: m.cell.mous_signed,
    example="""\
A4 gives no count: 1.
A12 gives 2: 2.
1 + 2 = 3.

```python
assert result["mous_signed"] == 3
assert ck.kpis.mous_signed(ds, partnership="P3") == 2
```
""",
)

collaboration_projects = CountKPI(
    id="collaboration_projects",
    label="Collaboration projects",
    unit="projects",
    definition="""\
the sum of `collaboration_projects` over the activities in scope (all of them, third market or not), with the counter defaults: a `collaboration_project` that gives no `collaboration_projects` counts 1, any other type 0; a given value always wins.""",
    formula="""\
`collaboration_projects = Σ_{a ∈ A} projects(a)`, where `projects(a)` is `a.collaboration_projects` if given, else 1 if `a.type = collaboration_project`, else 0""",
    measure=lambda m, _: m.cell.collaboration_projects,
    example="""\
A9 gives no count: 1.
No other activity is a collaboration project or gives a count: 1.

```python
assert result["collaboration_projects"] == 1
assert ck.kpis.collaboration_projects(ds, partnership="P1") == 0
```
""",
)

b2b_meetings_per_sme_involved = RatioKPI(
    id="b2b_meetings_per_sme_involved",
    label="B2B meetings per SME involved",
    unit="B2B meetings per SME",
    definition="""\
`b2b_meetings` divided by `smes_involved`; undefined (`None`, JSON `null`) when `smes_involved` is 0.
  Not rounded.""",
    formula="`b2b_meetings_per_sme_involved = b2b_meetings / smes_involved`",
    measure=ratio(b2b_meetings, smes_involved),
    note="; raises `KPIError` when undefined.",
    example="""\
40 / 10 = 4.0.
For P2: 8 / 6, not rounded.
December 2016 (see [undefined values](#undefined)) has no SME involved: undefined.

```python
assert result["b2b_meetings_per_sme_involved"] == 4.0
assert ck.kpis.b2b_meetings_per_sme_involved(ds) == 4.0
assert ck.kpis.b2b_meetings_per_sme_involved(ds, partnership="P2") == 8 / 6
assert in_december["b2b_meetings_per_sme_involved"] is None
```
""",
)

smes_involved_share_of_reached = RatioKPI(
    id="smes_involved_share_of_reached",
    label="SMEs involved / SMEs reached",
    unit="share of SMEs reached",
    definition="""\
`smes_involved` divided by `smes_reached`; undefined (`None`, JSON `null`) when `smes_reached` is 0.
  Not rounded, and not clamped: it is above 1 when a scope involves more SMEs than its partnerships say they reached.""",
    formula="`smes_involved_share_of_reached = smes_involved / smes_reached`",
    measure=ratio(smes_involved, smes_reached),
    note="; raises `KPIError` when undefined.",
    example="""\
10 / 50 = 0.2.
For P2: 6 / 20 = 0.3.
P3 gives no `smes_reached`, so for P3 alone the share is undefined, although P3 involved 3 SMEs.

```python
assert result["smes_involved_share_of_reached"] == 0.2
assert ck.kpis.smes_involved_share_of_reached(ds, partnership="P2") == 0.3

try:
    ck.kpis.smes_involved_share_of_reached(ds, partnership="P3")
except ck.KPIError as error:
    assert error.kpi == "smes_involved_share_of_reached"
else:
    raise AssertionError("an undefined ratio should raise KPIError")
```
""",
)

activities_by_type = ByTypeKPI(
    id="activities_by_type",
    label="Activities by type",
    unit="activities per type",
    definition="""\
the number of activities in scope of each activity `type`: every type of the vocabulary, in vocabulary order, zeros included.""",
    formula="""\
`activities_by_type[t] = |{a ∈ A : a.type = t}|`; the values add up to `activities`.""",
    measure=_by_type,
    note="; also `result.activities_by_type`.",
    example="""\
Business missions A1 and A10: 2; C2C meetings A2, A7 and A8: 3; MoU signatures A4 and A12: 2; one each of B2B matchmaking (A3), collaboration project (A9), trade fair (A6), study visit (A11) and partnering event (A5); 0 of the other four types.
2 + 3 + 1 + 2 + 1 + 1 + 1 + 1 = 12.

```python
assert dict(result.activities_by_type) == {
    "business_mission": 2,
    "c2c_meeting": 3,
    "b2b_matchmaking": 1,
    "mou_signature": 2,
    "collaboration_project": 1,
    "gateway_service": 0,
    "export_consortium": 0,
    "trade_fair": 1,
    "study_visit": 1,
    "webinar": 0,
    "training": 0,
    "partnering_event": 1,
    "other": 0,
}
assert list(result.activities_by_type) == [t.value for t in ck.ActivityType]
assert sum(result.activities_by_type.values()) == result["activities"]
assert ck.kpis.activities_by_type(ds, partnership="P3")["mou_signature"] == 1
```
""",
)

target_markets = RankingKPI(
    id="target_markets",
    label="Target markets",
    unit="partnerships per market",
    definition="""\
every country that is a declared third-country target of a partnership in scope, or the `target_country` of a third-market activity in scope.
  For each, `partnerships` is the number of distinct partnerships in scope that declare it (the targets table), and `activities` the number of third-market activities in scope that target it.
  Sorted by `partnerships`, descending; ties in [EU protocol order](countries.md#protocol-order) (`ck.protocol_order`), whatever the activities.
  A declared target that is not a third country at the partnership's start is not counted.""",
    formula="""\
for each country *k*, `partnerships(k) = |{p ∈ P : p declares k}|` and `activities(k) = |{a ∈ A₃ : a.target_country = k}|`; sorted by `(-partnerships(k), protocol_order(k))`""",
    measure=_ranking,
    note="; also `result.target_markets`.",
    example="""\
The United States is declared by P1 and P2, China by P1 and P3: 2 partnerships each.
Japan (P2) and Canada (P3) have 1 each.
The activities: the United States A1, A2, A8 and A9 (4); China A3, A4 and A10 (3); Japan A6 and A7 (2); Canada A11 and A12 (2).
China comes before the United States although it has fewer activities, because the tie is broken by protocol order, which lists countries outside Europe by their English names: China before United States, Canada before Japan.

```python
assert result.target_markets == (
    ck.kpis.TargetMarket(country="CN", partnerships=2, activities=3),
    ck.kpis.TargetMarket(country="US", partnerships=2, activities=4),
    ck.kpis.TargetMarket(country="CA", partnerships=1, activities=2),
    ck.kpis.TargetMarket(country="JP", partnerships=1, activities=2),
)
assert sorted(["US", "CN"], key=ck.protocol_order) == ["CN", "US"]
assert ck.kpis.target_markets(ds) == result.target_markets
```

A market that activities target but no partnership declares is listed with 0 partnerships, after the declared ones.
A webinar of P3 aimed at the Republic of Korea, which P3 does not declare, is a warning ([`CK-GEO-002`](rules.md#ck-geo-002)), not an error, so it is used:

```python
korea = ck.ActivityRecord(
    id="A13", partnership="P3", type="webinar", start="2017-11-15", target_country="KR"
)
markets = ck.kpis.target_markets(variant(activities=[*ds.activities, korea]))
assert markets[-1] == ck.kpis.TargetMarket(country="KR", partnerships=0, activities=1)
assert len(markets) == 5
```
""",
)


CATALOGUE: tuple[KPI[Any], ...] = (
    partnerships,
    partnerships_co_funded,
    partnerships_voluntary,
    cluster_organisations,
    member_countries,
    smes_reached,
    activities,
    smes_involved,
    c2c_meetings,
    b2b_meetings,
    mous_signed,
    collaboration_projects,
    b2b_meetings_per_sme_involved,
    smes_involved_share_of_reached,
    activities_by_type,
    target_markets,
)
"""Every KPI, in catalogue order."""
