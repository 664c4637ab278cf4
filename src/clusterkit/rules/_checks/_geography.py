"""Checks of geography, on the relevant day: CK-GEO-001 to CK-GEO-004."""

from __future__ import annotations

import datetime as dt
import functools

from clusterkit._scan import Batch
from clusterkit.countries import (
    classification_changes,
    is_eu_member,
    is_programme_participant,
    normalise_country,
)
from clusterkit.models import Generation
from clusterkit.report import Rule, Severity
from clusterkit.rules._context import Context
from clusterkit.rules._registry import check

__all__ = [
    "MEMBER_OUTSIDE_PROGRAMME",
    "NOT_THIRD_COUNTRY",
    "REGION_OUTSIDE_COUNTRY",
    "UNDECLARED_MARKET",
]

E, W = Severity.ERROR, Severity.WARNING

NOT_THIRD_COUNTRY = Rule(
    "CK-GEO-001",
    E,
    "target is not a third country",
    "rows",
    tables=("targets", "activities"),
)
UNDECLARED_MARKET = Rule(
    "CK-GEO-002",
    W,
    "activity targets an undeclared market",
    "rows",
    tables=("activities",),
)
MEMBER_OUTSIDE_PROGRAMME = Rule(
    "CK-GEO-003",
    E,
    "member cluster outside the programme's countries",
    "rows",
    tables=("partnerships",),
)
REGION_OUTSIDE_COUNTRY = Rule(
    "CK-GEO-004",
    E,
    "NUTS region outside the cluster's country",
    "rows",
    tables=("clusters",),
)


def _rule_text(generation: Generation) -> str:
    if generation.third_country_rule.value == "beyond-europe":
        return (
            f"outside Europe and outside the EU and {generation.programme.value}'s "
            "participating countries"
        )
    return f"neither an EU member nor a participant of {generation.programme.value}"


@check(NOT_THIRD_COUNTRY, "targets")
def target_is_third_country(batch: Batch, context: Context) -> None:
    """A declared target is a third country on the partnership's start."""
    fields = ("partnership", "country")

    def is_bad(partnership_id: str | None, country: str | None) -> bool:
        partnership = context.partnerships.get(partnership_id)  # type: ignore[arg-type] # None finds nothing
        return (
            partnership is not None
            and country is not None
            and partnership.generation is not None
            and partnership.start is not None
            and not partnership.generation.is_third_country(country, partnership.start)
        )

    bad = context.failing(batch, fields, is_bad, NOT_THIRD_COUNTRY)
    for index in batch.rows_with(fields, bad):
        partnership = context.partnerships[batch["partnership"][index]]
        assert partnership.generation is not None  # noqa: S101 - as checked above
        country = batch["country"][index]
        context.report_at(
            NOT_THIRD_COUNTRY,
            batch.cell(index, "country"),
            f"{normalise_country(country).name} ({country}) is not a third country "
            f"on {partnership.start}, the start of partnership {partnership.id!r}: a "
            f"target must be {_rule_text(partnership.generation)}",
            value=country,
        )


@check(NOT_THIRD_COUNTRY, "activities")
def activity_target_is_third_country(batch: Batch, context: Context) -> None:
    """An activity's target country is a third country on the activity's start."""
    targets = batch.distinct("target_country")
    # Most markets (the United States, China) are classified the same on every
    # day: judge those per partnership, and only the others per day.
    changing = {country for country in targets if _changes(country)}

    def is_bad(partnership_id: str | None, country: str | None) -> bool:
        partnership = context.partnerships.get(partnership_id)  # type: ignore[arg-type] # None finds nothing
        return (
            partnership is not None
            and country is not None
            and country not in changing
            and partnership.generation is not None
            and not partnership.generation.is_third_country(country, _ANY_DAY)
        )

    fields = ("partnership", "target_country")
    rows = batch.rows_with(
        fields, context.failing(batch, fields, is_bad, NOT_THIRD_COUNTRY)
    )
    if changing:
        rows.extend(
            index
            for index in batch.rows_with(("target_country",), changing)
            if _bad_on_start(batch, context, index)
        )
    for index in sorted(rows):
        partnership = context.partnerships[batch["partnership"][index]]
        assert partnership.generation is not None  # noqa: S101 - as checked above
        country, day = batch["target_country"][index], batch["start"][index]
        context.report_at(
            NOT_THIRD_COUNTRY,
            batch.cell(index, "target_country"),
            f"{normalise_country(country).name} ({country}) is not a third country "
            f"on {day}: a target must be {_rule_text(partnership.generation)}",
        )


def _bad_on_start(batch: Batch, context: Context, index: int) -> bool:
    partnership = context.partnerships.get(batch["partnership"][index])
    day = batch["start"][index]
    return (
        partnership is not None
        and partnership.generation is not None
        and day is not None
        and not partnership.generation.is_third_country(
            batch["target_country"][index], day
        )
    )


# Any day serves for a country whose classification never changes.
_ANY_DAY = dt.date(2000, 1, 1)


@functools.lru_cache(maxsize=1024)
def _changes(country: str | None) -> bool:
    """Whether a country's EU membership or programme participation ever changed."""
    return country is not None and bool(classification_changes(country))


@check(UNDECLARED_MARKET, "activities")
def activity_target_declared(batch: Batch, context: Context) -> None:
    """An activity's target country is one of its partnership's declared targets."""
    fields = ("partnership", "target_country")

    def is_bad(partnership_id: str | None, country: str | None) -> bool:
        declared = context.targets.get(partnership_id)  # type: ignore[arg-type] # None finds nothing
        return bool(declared) and country is not None and country not in declared  # type: ignore[operator] # declared is truthy

    bad = context.failing(batch, fields, is_bad, UNDECLARED_MARKET)
    for index in batch.rows_with(fields, bad):
        partnership, country = (
            batch["partnership"][index],
            batch["target_country"][index],
        )
        declared = _listed(tuple(context.targets[partnership]))
        context.report_at(
            UNDECLARED_MARKET,
            batch.cell(index, "target_country"),
            f"{country} is not among the declared targets of partnership "
            f"{partnership!r} ({declared})",
            hint=f"add a row ({partnership}, {country}) to targets, or correct it",
            expected=declared,
        )


@functools.lru_cache(maxsize=1024)
def _listed(countries: tuple[str, ...]) -> str:
    return ", ".join(sorted(countries))


@check(MEMBER_OUTSIDE_PROGRAMME, "partnerships")
def members_in_programme_countries(batch: Batch, context: Context) -> None:
    """Member clusters are established in the EU or a participating country."""
    for index, partnership_id in enumerate(batch["id"]):
        partnership = context.partnerships.get(partnership_id)
        if (
            partnership is None
            or partnership.number != batch.numbers[index]
            or partnership.generation is None
            or partnership.start is None
        ):
            continue
        generation, day = partnership.generation, partnership.start
        for member in batch["members"][index] or ():
            cluster = context.clusters.get(member)
            if cluster is None or cluster.country is None:
                continue
            if is_eu_member(cluster.country, day) or is_programme_participant(
                cluster.country, generation.programme.value, day
            ):
                continue
            context.report_at(
                MEMBER_OUTSIDE_PROGRAMME,
                batch.cell(index, "members"),
                f"member {member!r} is established in "
                f"{normalise_country(cluster.country).name} ({cluster.country}), "
                f"neither an EU member nor a {generation.programme.value} participant on "
                f"{day}",
                value=member,
                related=(
                    context.sources["clusters"].location(cluster.number, "country"),
                ),
            )


@check(REGION_OUTSIDE_COUNTRY, "clusters")
def region_in_country(batch: Batch, context: Context) -> None:
    """A cluster's NUTS region starts with its country's EU code."""
    fields = ("region", "country")

    def is_bad(region: str | None, country: str | None) -> bool:
        return (
            region is not None
            and country is not None
            and not region.startswith(normalise_country(country).eu_code)
        )

    def code(index: int) -> str:
        return normalise_country(batch["country"][index]).eu_code

    context.flag(
        REGION_OUTSIDE_COUNTRY,
        batch,
        fields,
        is_bad,
        field="region",
        message=lambda index: (
            f"NUTS region {batch['region'][index]} is not in "
            f"{batch['country'][index]}: regions of "
            f"{normalise_country(batch['country'][index]).name} start with "
            f"{code(index)}"
        ),
        expected=lambda index: f"{code(index)}…",
    )
