"""Reference data shipped with clusterkit, each fact with its source.

The files live in `clusterkit/data` and carry one version, `version()`, which
every report names. They hold the known generations (calls) with their rules, the
14 industrial ecosystems, and the programme's published headline figures, so
computed KPIs can be reconciled with what was reported.

Examples:
    >>> from clusterkit import reference
    >>> [g.id for g in reference.generations()][:2]
    ['escp-4i-1', 'escp-4i-2']
    >>> reference.generation("escp-4i-2").max_grant_eur["2"]
    Decimal('448750')
"""

from __future__ import annotations

import datetime as dt
import functools
import importlib.resources
from collections.abc import Mapping
from pathlib import Path
from types import MappingProxyType
from typing import Literal

import attrs

from clusterkit._reference_data import read_data_file
from clusterkit.models import (
    Dataset,
    Generation,
    IndustrialEcosystem,
    reference_generations,
)

__all__ = [
    "Ecosystem",
    "Provenance",
    "ReportedFigure",
    "ReportedFigures",
    "ReportedMarket",
    "ecosystems",
    "generation",
    "generations",
    "programme",
    "programme_notes",
    "programme_path",
    "provenance",
    "reported_figures",
    "version",
]


@attrs.frozen
class Provenance:
    """Where the values of a shipped generation come from.

    Added in version 0.1.0.

    Attributes:
        sources: Source URLs per field name.
        uncertain: Why a value is inferred or unconfirmed, per field name.
        strand_names: What each strand label means.
    """

    sources: Mapping[str, tuple[str, ...]]
    uncertain: Mapping[str, str]
    strand_names: Mapping[str, str]


@attrs.frozen
class Ecosystem:
    """One of the 14 industrial ecosystems.

    Added in version 0.1.0.
    """

    id: IndustrialEcosystem
    number: int
    name: str


@attrs.frozen
class ReportedFigure:
    """One published figure, as published.

    Added in version 0.1.0.

    Attributes:
        kpi: The clusterkit KPI id the figure corresponds to.
        value: The number published.
        qualifier: `exact`, `more_than` (">2,700") or `about` ("about 100").
        quote: The published wording.
    """

    kpi: str
    value: int
    qualifier: Literal["exact", "more_than", "about"]
    quote: str


@attrs.frozen
class ReportedMarket:
    """How many partnerships selected a third-country market.

    Added in version 0.1.0.
    """

    country: str
    partnerships: int


@attrs.frozen
class ReportedFigures:
    """A publication of headline figures for one generation.

    Added in version 0.1.0.
    """

    id: str
    generation: str
    title: str
    published: dt.date | None
    source: str
    figures: tuple[ReportedFigure, ...]
    target_markets: tuple[ReportedMarket, ...]
    period: str | None = None
    respondents: int | None = None
    partnerships_total: int | None = None
    notes: str | None = None

    def figure(self, kpi: str) -> ReportedFigure | None:
        """The published figure for one KPI id, if this publication has one."""
        return next((f for f in self.figures if f.kpi == kpi), None)


@functools.cache
def programme() -> Dataset:
    """The real programme as data: the register of partnerships from public sources.

    51 partnerships of every generation, their member clusters (variant names
    of one organisation merged), their declared target countries and the
    generations, each record with its `sources`; inferred values are named in
    `Partnership.inferred`, and every member list is marked partial
    (`members_partial`), since most sources name only some members. Built
    from `programme/register.json` by `clusterkit.io.import_partnerships`
    (`scripts/build_programme.py`); what the import merged, inferred or left
    out is in `programme_notes()`. Versioned with the reference data.

    Added in version 0.2.0.

    Examples:
        >>> from clusterkit import reference
        >>> len(reference.programme().partnerships)
        51
    """
    return Dataset.model_validate(read_data_file("programme/dataset.json"))


def programme_path() -> Path:
    """The shipped programme dataset file (a JSON document), for tools that read paths.

    Added in version 0.2.0.
    """
    data = importlib.resources.files("clusterkit").joinpath("data")
    resource = data.joinpath("programme").joinpath("dataset.json")
    return Path(str(resource))


def programme_notes() -> tuple[Mapping[str, str | None], ...]:
    """What importing the register merged, inferred or left out, note by note.

    Each note has `record` (an acronym, or `None`), `field`, `kind` and `message`,
    as `clusterkit.io.ImportNote`.

    Added in version 0.2.0.
    """
    return tuple(read_data_file("programme/notes.json"))


def version() -> str:
    """The version of the shipped reference data.

    Added in version 0.1.0.
    """
    return str(read_data_file("manifest.json")["version"])


def generations() -> tuple[Generation, ...]:
    """The known generations, in chronological order.

    Added in version 0.1.0.
    """
    return reference_generations()


def generation(generation_id: str, /) -> Generation:
    """One known generation by id.

    Added in version 0.1.0.

    Raises:
        KeyError: No shipped generation has this id.
    """
    for known in reference_generations():
        if known.id == generation_id:
            return known
    raise KeyError(generation_id)


@functools.cache
def provenance(generation_id: str, /) -> Provenance:
    """The sources and uncertainties of one shipped generation.

    Added in version 0.1.0.

    Raises:
        KeyError: No shipped generation has this id.

    Examples:
        >>> from clusterkit import reference
        >>> reference.provenance("escp-4i-1").sources["call_id"][0].startswith("http")
        True
    """
    for entry in read_data_file("generations.json")["generations"]:
        if entry["id"] == generation_id:
            return Provenance(
                sources=MappingProxyType(
                    {key: tuple(urls) for key, urls in entry["sources"].items()}
                ),
                uncertain=MappingProxyType(dict(entry.get("uncertain", {}))),
                strand_names=MappingProxyType(dict(entry.get("strand_names", {}))),
            )
    raise KeyError(generation_id)


@functools.cache
def ecosystems() -> tuple[Ecosystem, ...]:
    """The 14 industrial ecosystems of the EU Industrial Strategy (March 2020).

    Added in version 0.1.0.
    """
    return tuple(
        Ecosystem(
            id=IndustrialEcosystem(entry["id"]),
            number=int(entry["number"]),
            name=str(entry["name"]),
        )
        for entry in read_data_file("ecosystems.json")["ecosystems"]
    )


@functools.cache
def reported_figures() -> tuple[ReportedFigures, ...]:
    """The programme's published headline figures.

    Added in version 0.1.0.

    Examples:
        >>> from clusterkit import reference
        >>> first = reported_figures()[0]
        >>> first.generation, first.figure("b2b_meetings").value
        ('escp-4i-1', 3010)
    """
    reports = []
    for entry in read_data_file("reported_figures.json")["reports"]:
        published = entry.get("published")
        reports.append(
            ReportedFigures(
                id=entry["id"],
                generation=entry["generation"],
                title=entry["title"],
                published=None
                if published is None
                else dt.date.fromisoformat(published),
                source=entry["source"],
                figures=tuple(
                    ReportedFigure(
                        kpi=f["kpi"],
                        value=int(f["value"]),
                        qualifier=f["qualifier"],
                        quote=f["quote"],
                    )
                    for f in entry.get("figures", ())
                ),
                target_markets=tuple(
                    ReportedMarket(
                        country=m["country"], partnerships=int(m["partnerships"])
                    )
                    for m in entry.get("target_markets", ())
                ),
                period=entry.get("period"),
                respondents=entry.get("respondents"),
                partnerships_total=entry.get("partnerships_total"),
                notes=entry.get("notes"),
            )
        )
    return tuple(reports)
