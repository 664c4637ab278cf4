"""Properties of the KPI engine on generated and drawn datasets (DESIGN.md §7, issue 5).

- Tallies of disjoint rows merge into the tally of all the rows, in any grouping
  and any order (what lets shards and streams agree).
- A `Dataset` and the same dataset read as files give the same result.
- A partnership's activities never change another partnership's KPIs.
- `smes_involved` is the distinct SME ids plus the unnamed ones, never more
  than the per-activity counts added up; an SME under a second id (CK-DUP-001)
  changes nothing.
- A generation filter is the same as computing on that generation's records.
- A breakdown group is the scope with the group's value as one more filter.

Datasets come from `clusterkit.testing`: `generate_dataset` with drawn seeds and
sizes (realistic, valid), and records drawn with its strategies and linked to
each other (arbitrary values, errors included).
"""

from __future__ import annotations

import copy
import datetime as dt
import tempfile
from operator import attrgetter
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit import testing
from clusterkit.countries import is_third_country
from clusterkit.kpis._gather import ACTIVITY_FIELDS
from clusterkit.kpis._scope import DIMENSIONS, Scope
from clusterkit.kpis._tally import Tally, ThirdMarkets
from clusterkit.models import COUNTERS

AS_OF = dt.date(2026, 1, 1)
SHIPPED = ("escp-4i-1", "escp-4i-2", "escp-4i-3", "escp-4i-4", "euroclusters-1")
# Third countries, European ones, and ones whose classification changes.
COUNTRIES = ("US", "CN", "JP", "CA", "BR", "GB", "TR", "NO", "CH", "UA", "RS", "DE")
DAYS = st.dates(min_value=dt.date(2014, 1, 1), max_value=dt.date(2025, 12, 31))

FAST = settings(max_examples=30, deadline=None)


@st.composite
def generated(draw: st.DrawFn, max_activities: int = 80) -> ck.Dataset:
    """A realistic, valid dataset of `generate_dataset`, with drawn seed and sizes."""
    generations = draw(
        st.lists(st.sampled_from(SHIPPED), min_size=1, max_size=3, unique=True)
    )
    return testing.generate_dataset(
        seed=draw(st.integers(0, 10**6)),
        generations=sorted(generations, key=SHIPPED.index),
        partnerships=draw(st.integers(1, 6)),
        clusters=draw(st.integers(3, 15)),
        smes=draw(st.integers(0, 30)),
        activities=draw(st.integers(0, max_activities)),
    )


@st.composite
def linked(draw: st.DrawFn) -> ck.Dataset:
    """Records of the `clusterkit.testing` strategies, linked by a few shared ids.

    Values are arbitrary (records often fail validation); partnerships are of
    shipped generations, activities of those partnerships (or of an unknown
    one), listing SMEs of a small pool so that SMEs repeat.
    """
    cluster_ids = [f"C{i}" for i in range(draw(st.integers(1, 6)))]
    sme_ids = [f"S{i}" for i in range(draw(st.integers(0, 5)))]
    partnership_ids = [f"P{i}" for i in range(draw(st.integers(1, 4)))]
    clusters = [
        draw(testing.clusters()).model_copy(update={"id": cluster_id})
        for cluster_id in cluster_ids
    ]
    smes = [
        draw(testing.smes()).model_copy(update={"id": sme_id}) for sme_id in sme_ids
    ]
    partnerships = [
        draw(testing.partnerships()).model_copy(
            update={
                "id": partnership_id,
                "generation": draw(st.sampled_from(SHIPPED)),
                "members": tuple(draw(st.lists(st.sampled_from(cluster_ids)))),
                "coordinator": draw(st.none() | st.sampled_from(cluster_ids)),
                "start": draw(st.none() | DAYS),
                "end": draw(st.none() | DAYS),
            }
        )
        for partnership_id in partnership_ids
    ]
    targets = [
        draw(testing.targets()).model_copy(
            update={
                "partnership": draw(st.sampled_from(partnership_ids)),
                "country": draw(st.sampled_from(COUNTRIES)),
            }
        )
        for _ in range(draw(st.integers(0, 6)))
    ]
    listed = st.lists(st.sampled_from(sme_ids), max_size=3) if sme_ids else st.just([])
    activities = [
        draw(testing.activities()).model_copy(
            update={
                "id": f"A{i}",
                "partnership": draw(st.sampled_from([*partnership_ids, "P-unknown"])),
                "start": draw(DAYS),
                "end": None,
                "target_country": draw(st.none() | st.sampled_from(COUNTRIES)),
                "smes": tuple(draw(listed)),
            }
        )
        for i in range(draw(st.integers(0, 14)))
    ]
    return ck.Dataset(
        clusters=tuple(clusters),
        smes=tuple(smes),
        partnerships=tuple(partnerships),
        targets=tuple(targets),
        activities=tuple(activities),
    )


@st.composite
def perturbed(draw: st.DrawFn) -> ck.Dataset:
    """A generated dataset with some records replaced by drawn ones.

    Activities get a drawn type, counters and SMEs (from the dataset's), a drawn
    start, target and partnership (or an unknown one), sometimes the id of
    another; a partnership may lose members, a cluster its country. Most
    records pass validation, some fail: the gate has work to do.
    """
    ds = draw(generated(max_activities=40))
    ids = [p.id for p in ds.partnerships]
    sme_ids = [sme.id for sme in ds.smes[:6]] or ["S-unknown"]
    activities = list(ds.activities)
    for index in (
        draw(st.sets(st.integers(0, len(activities) - 1), max_size=8))
        if activities
        else ()
    ):
        drawn = draw(testing.activities())
        activities[index] = drawn.model_copy(
            update={
                "id": draw(st.sampled_from([activities[index].id, activities[0].id])),
                "partnership": draw(st.sampled_from([*ids, "P-unknown"])),
                "start": draw(DAYS),
                "end": None,
                "target_country": draw(st.none() | st.sampled_from(COUNTRIES)),
                "smes": tuple(draw(st.lists(st.sampled_from(sme_ids), max_size=3))),
                "clusters": (),
            }
        )
    partnerships = list(ds.partnerships)
    if draw(st.booleans()):
        index = draw(st.integers(0, len(partnerships) - 1))
        members = partnerships[index].members
        partnerships[index] = partnerships[index].model_copy(
            update={"members": members[:2], "coordinator": members[0]}
        )
    clusters = list(ds.clusters)
    if draw(st.booleans()):
        index = draw(st.integers(0, len(clusters) - 1))
        clusters[index] = clusters[index].model_copy(update={"country": "US"})
    return ds.model_copy(
        update={
            "activities": tuple(activities),
            "partnerships": tuple(partnerships),
            "clusters": tuple(clusters),
        }
    )


@st.composite
def scopes(draw: st.DrawFn) -> Scope:
    """A scope with any breakdowns and, maybe, a date range and target countries."""
    start = draw(st.none() | DAYS)
    end = draw(st.none() | DAYS)
    if start is not None and end is not None and start > end:
        start, end = end, start
    return Scope.build(
        by=draw(st.lists(st.sampled_from(DIMENSIONS), max_size=3)),
        start=start,
        end=end,
        target_country=draw(
            st.none() | st.lists(st.sampled_from(COUNTRIES), min_size=1, max_size=3)
        ),
    )


def compute(source: Any, **scope: Any) -> ck.KPIResult:
    """`compute_kpis` as of 2026-01-01."""
    return ck.compute_kpis(source, as_of=AS_OF, **scope)


def measures(result: ck.KPIResult | ck.kpis.Group) -> tuple[Any, ...]:
    """What a scope or group computes: KPIs, activities by type, target markets."""
    return dict(result.kpis), dict(result.activities_by_type), result.target_markets


# ---------------------------------------------------------------- merging


def tally(ds: ck.Dataset, rows: list[ck.ActivityRecord], scope: Scope) -> Tally:
    """The tally of some of `ds`'s activities, added as one batch the way a pass adds them."""
    third = ThirdMarkets({p.id: ds.generation(p.generation) for p in ds.partnerships})
    result = Tally(dimensions=scope.activity_dimensions)
    if rows:
        getter = attrgetter(*ACTIVITY_FIELDS)
        result.add(list(zip(*map(getter, rows), strict=True)), scope, third)
    return result


def merged(*tallies: Tally) -> Tally:
    """The merge of copies of `tallies`, left to right (merge works in place)."""
    first, *rest = (copy.deepcopy(t) for t in tallies)
    for other in rest:
        first = first.merge(other)
    return first


@FAST
@given(generated(), scopes(), st.data())
def test_merging_is_associative_and_order_free(
    ds: ck.Dataset, scope: Scope, data: st.DataObject
) -> None:
    """Three parts of the activities merge into the tally of them all, however merged."""
    parts: list[list[ck.ActivityRecord]] = [[], [], []]
    for activity in ds.activities:
        parts[data.draw(st.integers(0, 2))].append(activity)
    a, b, c = (tally(ds, part, scope) for part in parts)
    whole = tally(ds, list(ds.activities), scope)
    left = merged(merged(a, b), c)
    right = merged(a, merged(b, c))
    shuffled = merged(*data.draw(st.permutations([a, b, c])))
    assert left == right == shuffled == whole
    # The parts themselves were not changed by merging copies.
    assert a == tally(ds, parts[0], scope)
    assert sum(whole.offered.values()) == len(ds.activities)


@FAST
@given(generated(), scopes())
def test_rows_added_by_group_by_row_and_as_rows_agree(
    ds: ck.Dataset, scope: Scope
) -> None:
    """Both ways of adding a batch, and rows given as tuples, make the same tally.

    `add` adds a batch per cell with whole-column operations when its cells are
    few and large, else row by row; `add_rows` groups tuples by partnership.
    """
    assume(ds.activities)
    rows = [tuple(getattr(a, name) for name in ACTIVITY_FIELDS) for a in ds.activities]
    third = ThirdMarkets({p.id: ds.generation(p.generation) for p in ds.partnerships})
    tallies = []
    for large_group in (0, 10**9):  # always per cell; always row by row
        with (
            mock.patch("clusterkit.kpis._tally._LARGE_GROUP", large_group),
            mock.patch("clusterkit.kpis._tally._LARGE_ROW_GROUP", large_group),
        ):
            added = Tally(dimensions=scope.activity_dimensions)
            added.add(list(zip(*rows, strict=True)), scope, third)
            as_rows = Tally(dimensions=scope.activity_dimensions)
            as_rows.add_rows(iter(rows), scope, third)
            tallies += [added, as_rows]
            assert sum(as_rows.offered.values()) == len(rows)
    whole = tally(ds, list(ds.activities), scope)
    assert all(each == whole for each in tallies)


def test_tallies_of_different_breakdowns_do_not_merge() -> None:
    """Cells keyed by different dimensions cannot be added up."""
    with pytest.raises(ValueError, match="tallies of different breakdowns"):
        Tally(dimensions=("year",)).merge(Tally(dimensions=("quarter",)))


# ---------------------------------------------------------------- whole, stream


@FAST
@given(
    generated(),
    st.lists(st.sampled_from(DIMENSIONS), max_size=2),
    st.sampled_from(["csv", "jsonl"]),
)
def test_a_dataset_and_its_files_give_the_same_result(
    ds: ck.Dataset, by: list[str], layout: str
) -> None:
    """The records in memory and streamed from files: equal results, groups included."""
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / f"data.{layout}"
        ck.dump_dataset(ds, folder, layout=layout)
        assert compute(folder, by=by) == compute(ds, by=by)


@settings(max_examples=25, deadline=None)
@given(st.one_of(linked(), perturbed()), st.booleans())
def test_arbitrary_records_give_the_same_result_in_memory_and_as_csv(
    ds: ck.Dataset, validate: bool
) -> None:
    """Records with errors too: the gate excludes the same ones from a Dataset and a file."""
    with tempfile.TemporaryDirectory() as tmp:
        ck.dump_dataset(ds, Path(tmp) / "data")
        by = ("partnership", "year")
        assert compute(Path(tmp) / "data", by=by, validate=validate) == compute(
            ds, by=by, validate=validate
        )


# ---------------------------------------------------------------- partnerships apart


@FAST
@given(generated(), st.data())
def test_an_activity_of_b_never_changes_a_kpi_of_a(
    ds: ck.Dataset, data: st.DataObject
) -> None:
    """Removing or adding activities of partnership B leaves every other group as it was."""
    b = data.draw(st.sampled_from([p.id for p in ds.partnerships]))
    others = [a for a in ds.activities if a.partnership != b]
    kept = [a for a in ds.activities if a.partnership == b and data.draw(st.booleans())]
    # Activities copied from other partnerships, given to B under new ids.
    copied = data.draw(st.lists(st.sampled_from(others), max_size=5)) if others else []
    added = [
        a.model_copy(update={"id": f"B-{i}", "partnership": b})
        for i, a in enumerate(copied)
    ]
    variant = ds.model_copy(update={"activities": (*others, *kept, *added)})
    by = data.draw(st.sampled_from(["partnership", "partnership,target_country"]))
    before = {
        tuple(g.key.items()): measures(g)
        for g in compute(ds, by=by).groups
        if g.key["partnership"] != b
    }
    after = {
        tuple(g.key.items()): measures(g)
        for g in compute(variant, by=by).groups
        if g.key["partnership"] != b
    }
    assert after == before


# ---------------------------------------------------------------- SMEs involved


def third_market_activities(ds: ck.Dataset) -> list[ck.ActivityRecord]:
    """The activities of known partnerships that target a third country on their start."""
    partnerships: dict[str, ck.Partnership] = {}
    for p in ds.partnerships:
        partnerships.setdefault(p.id, p)
    found = []
    for activity in ds.activities:
        partnership = partnerships.get(activity.partnership)
        if partnership is None or activity.target_country is None:
            continue
        generation = ds.generation(partnership.generation)
        if is_third_country(
            activity.target_country,
            on=activity.start,
            programme=generation.programme,
            rule=generation.third_country_rule.value,
        ):
            found.append(activity)
    return found


def check_smes_involved(ds: ck.Dataset, result: ck.KPIResult) -> None:
    """smes_involved = distinct listed ids + unnamed ones <= the per-activity counts."""
    aimed = third_market_activities(ds)
    bound = sum(len(set(a.smes)) or (a.smes_involved or 0) for a in aimed)
    listed = {sme for a in aimed for sme in a.smes}
    unnamed = sum(a.smes_involved or 0 for a in aimed if not a.smes)
    assert result["smes_involved"] == len(listed) + unnamed
    assert result["smes_involved"] <= bound


@FAST
@given(generated(max_activities=150))
def test_smes_involved_never_exceeds_the_per_activity_counts(ds: ck.Dataset) -> None:
    """On realistic data, where SMEs take part in several activities."""
    check_smes_involved(ds, compute(ds))


@settings(max_examples=25, deadline=None)
@given(linked())
def test_smes_involved_on_arbitrary_records(ds: ck.Dataset) -> None:
    """Without validation: every activity of a known partnership is used.

    The counters add up over every such activity, third market or not.
    """
    result = compute(ds, validate=False)
    check_smes_involved(ds, result)
    known = {p.id for p in ds.partnerships}
    used = [a for a in ds.activities if a.partnership in known]
    assert result["activities"] == len(used)
    for counter in COUNTERS:
        assert result[counter] == sum(getattr(a, counter) for a in used)
    assert result.records["activities"].excluded == len(ds.activities) - len(used)


_NAME_VARIANTS = (
    str.upper,
    str.lower,
    lambda name: f"{name} Ltd",
    lambda name: name.replace(" ", "-"),
)


@st.composite
def with_twin(draw: st.DrawFn) -> tuple[ck.Dataset, ck.Dataset, str]:
    """A generated dataset, it with one SME added again under a fresh id, the SME's id.

    The twin has the SME's country and a variant of its name, or both get the
    same valid VAT number; activities that list the SME list the twin instead,
    besides it, or keep the SME alone.
    """
    ds = draw(generated(max_activities=60))
    assume(ds.smes)
    original = draw(st.sampled_from(ds.smes))
    if draw(st.booleans()):
        twin_name = draw(st.sampled_from(_NAME_VARIANTS))(original.name)
        original_now = original
    else:
        vat = draw(testing.vat_numbers().filter(lambda v: v.startswith("DE")))
        original_now = original.model_copy(update={"country": "DE", "vat": vat})
        twin_name = "Twin Company Under Another Name (fictional)"
    twin = original_now.model_copy(update={"id": "SME-TWIN", "name": twin_name})
    activities = []
    for activity in ds.activities:
        how = draw(st.sampled_from(["instead", "besides", "keep"]))
        if original.id not in activity.smes or how == "keep":
            activities.append(activity)
        elif how == "instead":
            listed = tuple("SME-TWIN" if s == original.id else s for s in activity.smes)
            activities.append(activity.model_copy(update={"smes": listed}))
        else:
            involved = activity.smes_involved
            activities.append(
                activity.model_copy(
                    update={
                        "smes": (*activity.smes, "SME-TWIN"),
                        # One more SME listed: one more involved (CK-COUNT-002).
                        "smes_involved": None if involved is None else involved + 1,
                    }
                )
            )
    smes = tuple(original_now if s.id == original.id else s for s in ds.smes)
    before = ds.model_copy(update={"smes": smes})
    after = before.model_copy(
        update={"smes": (*smes, twin), "activities": tuple(activities)}
    )
    return before, after, original.id


@FAST
@given(with_twin())
def test_an_sme_under_a_second_id_counts_once(
    drawn: tuple[ck.Dataset, ck.Dataset, str],
) -> None:
    """One CK-DUP-001 finding, and `smes_involved` is as it was."""
    before, after, original = drawn
    report = ck.validate(after, as_of=AS_OF, select="CK-DUP-001")
    assert [(f.rule, f.entity) for f in report.findings] == [
        ("CK-DUP-001", ck.Entity("smes", "SME-TWIN"))
    ]
    counted = compute(after)
    assert counted["smes_involved"] == compute(before)["smes_involved"]
    assert counted.duplicate_smes == {"SME-TWIN": original}


# ---------------------------------------------------------------- filters and groups


def generation_alone(ds: ck.Dataset, generation: str) -> ck.Dataset:
    """The generation's partnerships, their targets and activities; clusters and SMEs kept."""
    ids = {p.id for p in ds.partnerships if p.generation == generation}
    return ds.model_copy(
        update={
            "partnerships": tuple(p for p in ds.partnerships if p.id in ids),
            "targets": tuple(t for t in ds.targets if t.partnership in ids),
            "activities": tuple(a for a in ds.activities if a.partnership in ids),
        }
    )


@FAST
@given(generated(), st.data())
def test_a_generation_filter_is_that_generations_records_alone(
    ds: ck.Dataset, data: st.DataObject
) -> None:
    """Filtering by generation = computing on that generation's records only."""
    generation = data.draw(
        st.sampled_from(sorted({p.generation for p in ds.partnerships}))
    )
    filtered = compute(ds, generation=generation)
    alone = compute(generation_alone(ds, generation))
    assert measures(filtered) == measures(alone)


@FAST
@given(generated())
def test_each_generation_group_equals_its_filter(ds: ck.Dataset) -> None:
    """The group {generation: g} has the KPIs of compute_kpis(..., generation=g)."""
    result = compute(ds, by="generation")
    assert [g.key["generation"] for g in result.groups] == sorted(
        {p.generation for p in ds.partnerships}
    )
    for group in result.groups:
        assert measures(group) == measures(
            compute(ds, generation=group.key["generation"])
        )


def as_filter(dimension: str, value: Any) -> dict[str, Any]:
    """The scope filter that selects a group's value of one dimension."""
    if dimension == "year":
        return {"start": dt.date(value, 1, 1), "end": dt.date(value, 12, 31)}
    if dimension == "quarter":
        year, quarter = int(value[:4]), int(value[-1])
        start = dt.date(year, 3 * quarter - 2, 1)
        following = (
            dt.date(year + 1, 1, 1)
            if quarter == 4
            else dt.date(year, 3 * quarter + 1, 1)
        )
        return {"start": start, "end": following - dt.timedelta(days=1)}
    return {dimension: value}


@settings(max_examples=25, deadline=None)
@given(
    st.one_of(linked(), perturbed()),
    st.sampled_from(["partnership", "generation", "target_country", "year", "quarter"]),
    st.booleans(),
)
def test_a_group_is_the_scope_with_one_more_filter(
    ds: ck.Dataset, dimension: str, validate: bool
) -> None:
    """On arbitrary records, for every dimension that has a filter."""
    result = compute(ds, by=dimension, validate=validate)
    for group in result.groups:
        value = group.key[dimension]
        if value is None:
            continue  # no filter selects "no target country"
        alone = compute(ds, validate=validate, **as_filter(dimension, value))
        assert measures(group) == measures(alone), (dimension, value)
