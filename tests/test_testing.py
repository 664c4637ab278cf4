"""clusterkit.testing: the strategies and the seeded generator."""

from __future__ import annotations

import importlib
import sys
from collections.abc import Iterator

import pytest
from hypothesis import given

import clusterkit as ck
from clusterkit import testing
from clusterkit.models import COUNTERS


@given(testing.datasets())
def test_strategies_give_valid_records(dataset: ck.Dataset) -> None:
    """Every generated record survives re-validation unchanged."""
    for table in ck.models.TABLES:
        for record in dataset.table(table):
            assert type(record).model_validate(record.model_dump()) == record


@given(testing.clusters())
def test_cluster_strategy_respects_member_counts(cluster: ck.Cluster) -> None:
    """Generated clusters never have more SME members than members."""
    if cluster.sme_members is not None and cluster.members_total is not None:
        assert cluster.sme_members <= cluster.members_total


def test_generator_is_deterministic() -> None:
    """The same seed gives the same dataset; another seed another one."""
    assert testing.generate_dataset(seed=7, activities=40) == testing.generate_dataset(
        seed=7, activities=40
    )
    assert testing.generate_dataset(seed=7, activities=40) != testing.generate_dataset(
        seed=8, activities=40
    )


@pytest.mark.parametrize("seed", [0, 1, 2018])
def test_generated_datasets_are_consistent(seed: int) -> None:
    """References resolve, ids are unique, and records follow the programme's rules."""
    ds = testing.generate_dataset(
        seed=seed, partnerships=8, clusters=40, smes=120, activities=400
    )
    assert ds.counts == {
        "generations": 0,
        "clusters": 40,
        "smes": 120,
        "partnerships": 8,
        "targets": ds.counts["targets"],
        "activities": 400,
    }
    for table in ("clusters", "smes", "partnerships", "activities"):
        ids = [record.id for record in ds.table(table)]  # type: ignore[attr-defined]
        assert len(ids) == len(set(ids))
    cluster_ids = {c.id for c in ds.clusters}
    for sme in ds.smes:
        assert set(sme.clusters) <= cluster_ids
        assert sme.size_class is not None
        assert sme.derived_size_class is sme.size_class
    for partnership in ds.partnerships:
        generation = ds.generation(partnership.generation)
        assert partnership.coordinator in partnership.members
        assert set(partnership.members) <= cluster_ids
        assert len({ds.cluster(m).country for m in partnership.members}) >= 3
        assert len(partnership.members) >= generation.min_members
        assert partnership.strand is None or partnership.strand in generation.strands
        assert len(ds.targets_of(partnership.id)) >= 2
    for activity in ds.activities:
        partnership = ds.partnership(activity.partnership)
        period = partnership.period(ds.generation(partnership.generation))
        assert period is not None
        assert activity.start in period
        assert activity.end is None or activity.start <= activity.end
        assert set(activity.clusters) <= set(partnership.members)
        assert activity.smes_involved is None or activity.smes_involved >= len(
            activity.smes
        )
    for cluster in ds.clusters:
        if cluster.region is not None:
            assert cluster.region.startswith(
                ck.normalise_country(cluster.country).eu_code
            )


def test_activities_stream_lazily() -> None:
    """Activities for a benchmark come one at a time, not as a list."""
    ds = testing.generate_dataset(seed=3)
    stream = testing.iter_generated_activities(
        seed=3,
        count=10**9,
        partnerships=ds.partnerships,
        smes=ds.smes,
        targets=ds.targets,
    )
    assert isinstance(stream, Iterator)
    first = [next(stream) for _ in range(1000)]
    assert len({a.id for a in first}) == 1000
    assert {a.type for a in first} == set(ck.ActivityType)
    assert all(getattr(a, name) >= 0 for a in first for name in COUNTERS)


def test_generator_refuses_impossible_sizes() -> None:
    """Sizes that cannot make a dataset are refused at the call."""
    with pytest.raises(ValueError, match="generations must be among"):
        testing.generate_dataset(generations=("escp-4i-9",))
    with pytest.raises(ValueError, match="negative"):
        testing.generate_dataset(smes=-1)
    with pytest.raises(ValueError, match="need"):
        testing.generate_dataset(clusters=0)
    with pytest.raises(ValueError, match="negative"):
        testing.iter_generated_activities(count=-1, partnerships=(), smes=())
    with pytest.raises(ValueError, match="at least one partnership"):
        testing.iter_generated_activities(count=1, partnerships=(), smes=())
    future = ck.Partnership(
        id="P",
        acronym="F",
        name="F",
        generation="escp-4i-1",
        start="2999-01-01",
        end="2999-12-31",
    )
    with pytest.raises(ValueError, match="starts after today"):
        testing.iter_generated_activities(count=1, partnerships=[future], smes=())


def test_example_is_the_generated_dataset(example: ck.Dataset) -> None:
    """The bundled example is generate_dataset(seed=2018), so it can be rebuilt."""
    assert example == testing.generate_dataset(seed=2018)
    assert example.counts == {
        "generations": 0,
        "clusters": 25,
        "smes": 80,
        "partnerships": 6,
        "targets": 18,
        "activities": 150,
    }
    markets = {t.country for t in example.targets}
    assert {"US", "CN", "JP", "CA"} <= markets
    assert {p.generation for p in example.partnerships} == {"escp-4i-1", "escp-4i-2"}
    assert all(p.name.endswith("(fictional)") for p in example.partnerships)


def test_strategies_need_hypothesis(monkeypatch: pytest.MonkeyPatch) -> None:
    """Without hypothesis the generator still imports and strategies explain the extra."""
    monkeypatch.setitem(sys.modules, "hypothesis", None)
    monkeypatch.delitem(sys.modules, "clusterkit.testing")
    monkeypatch.delitem(sys.modules, "clusterkit.testing._strategies")
    monkeypatch.setattr(ck, "testing", testing)  # restored after the test
    fresh = importlib.import_module("clusterkit.testing")
    assert fresh is not testing
    assert fresh.generate_dataset(seed=1, activities=5).counts["activities"] == 5
    with pytest.raises(ImportError, match=r"clusterkit\[testing\]"):
        _ = fresh.datasets
