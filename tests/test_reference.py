"""The reference data shipped in clusterkit/data, and their provenance."""

from __future__ import annotations

import datetime as dt
import json
import re
from decimal import Decimal
from pathlib import Path

import pytest

import clusterkit as ck
from clusterkit import reference

DATA = Path(ck.__file__).parent / "data"
SOURCE_FIELDS = {
    "programme",
    "call_id",
    "start",
    "end",
    "strands",
    "voluntary_allowed",
    "min_members",
    "min_member_countries",
    "min_target_countries",
    "max_target_countries",
    "max_grant_eur",
    "third_country_rule",
}
KPI_IDS = {
    "partnerships",
    "partnerships_co_funded",
    "partnerships_voluntary",
    "cluster_organisations",
    "member_countries",
    "smes_reached",
    "activities",
    "smes_involved",
    "c2c_meetings",
    "b2b_meetings",
    "mous_signed",
    "collaboration_projects",
}
URL = re.compile(r"^https?://\S+$")


def test_one_version_for_every_file() -> None:
    """Every data file carries the manifest's version, and the manifest lists them all."""
    manifest = json.loads((DATA / "manifest.json").read_text(encoding="utf-8"))
    assert reference.version() == manifest["version"]
    # The programme's dataset and notes are generated from its register, whose
    # version they share; the register is the file the manifest lists.
    files = {path.name for path in DATA.glob("*.json")} - {"manifest.json"}
    files.add("programme/register.json")
    assert set(manifest["files"]) == files
    for name in files:
        assert (
            json.loads((DATA / name).read_text(encoding="utf-8"))["version"]
            == manifest["version"]
        )


def test_known_generations() -> None:
    """The five known generations ship in chronological order with their calls."""
    generations = reference.generations()
    assert [g.id for g in generations] == [
        "escp-4i-1",
        "escp-4i-2",
        "escp-4i-3",
        "escp-4i-4",
        "euroclusters-1",
    ]
    assert [g.start for g in generations] == sorted(g.start for g in generations)
    assert all(g.start < g.end for g in generations)
    assert [g.call_id for g in generations][:4] == [
        "COS-CLUSTER-2014-3-03",
        "COS-CLUSINT-2016-03-01",
        "COS-CLUSINT-2019-3-01",
        "COS-CLUSINT-2020-3-01",
    ]
    assert [g.id for g in generations if g.voluntary_allowed] == ["escp-4i-1"]
    second = reference.generation("escp-4i-2")
    assert second.strands == ("1.a", "1.b", "2")
    assert second.max_grant_eur == {
        "1.a": Decimal(200000),
        "1.b": Decimal(200000),
        "2": Decimal(448750),
    }
    fourth = reference.generation("escp-4i-4")
    assert (fourth.min_target_countries, fourth.max_target_countries) == (2, 5)
    with pytest.raises(KeyError):
        reference.generation("escp-4i-9")


@pytest.mark.parametrize("generation", reference.generations(), ids=lambda g: g.id)
def test_every_generation_fact_has_a_source(generation: ck.Generation) -> None:
    """Each field of each shipped generation cites at least one URL."""
    provenance = reference.provenance(generation.id)
    assert set(provenance.sources) >= SOURCE_FIELDS
    for urls in provenance.sources.values():
        assert urls
        assert all(URL.match(url) for url in urls)
    assert set(provenance.uncertain) <= set(provenance.sources)
    assert set(provenance.strand_names) == set(generation.strands)
    if generation.max_grant_eur:
        assert set(generation.max_grant_eur) <= set(generation.strands)


def test_provenance_of_unknown_generation() -> None:
    """Asking for an unknown generation's sources is a KeyError."""
    with pytest.raises(KeyError):
        reference.provenance("nope")


def test_ecosystems_match_the_vocabulary() -> None:
    """The 14 ecosystems of the data file are exactly the model's vocabulary."""
    ecosystems = reference.ecosystems()
    assert [e.id for e in ecosystems] == list(ck.IndustrialEcosystem)
    assert [e.number for e in ecosystems] == list(range(1, 15))
    assert ecosystems[0].name.startswith("Aerospace")
    sources = json.loads((DATA / "ecosystems.json").read_text(encoding="utf-8"))[
        "source"
    ]
    assert sources
    assert all(URL.match(url) for url in sources)


def test_reported_figures() -> None:
    """The first generation's headline figures and the consultation's market table."""
    first, second = reference.reported_figures()
    assert (first.generation, first.published) == ("escp-4i-1", dt.date(2018, 2, 21))
    expected = {
        "smes_involved": (2700, "more_than"),
        "c2c_meetings": (370, "exact"),
        "b2b_meetings": (3010, "exact"),
        "mous_signed": (39, "exact"),
        "collaboration_projects": (45, "exact"),
    }
    for kpi, (value, qualifier) in expected.items():
        figure = first.figure(kpi)
        assert figure is not None
        assert (figure.value, figure.qualifier) == (value, qualifier)
    assert first.figure("no_such_kpi") is None
    markets = [(m.country, m.partnerships) for m in second.target_markets]
    assert markets == [
        ("US", 8),
        ("CA", 7),
        ("JP", 7),
        ("CN", 5),
        ("IL", 4),
        ("ZA", 4),
        ("IN", 3),
        ("KR", 3),
    ]
    assert (second.respondents, second.partnerships_total) == (19, 23)
    for report in (first, second):
        assert URL.match(report.source)
        assert all(f.kpi in KPI_IDS and f.quote for f in report.figures)


def test_quotes_are_verbatim() -> None:
    """Every quote of the first generation appears word for word in its source article."""
    # A copy of the ECCP news item of 21 February 2018 that the figures come from.
    seed = (
        Path(__file__).parent
        / "data"
        / "sources"
        / "clusters-go-international-2018.txt"
    )
    text = " ".join(seed.read_text(encoding="utf-8").split())
    for figure in reference.reported_figures()[0].figures:
        assert " ".join(figure.quote.split()) in text, figure.quote
