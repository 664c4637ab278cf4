"""Checks of geography, on the relevant day: CK-GEO-001 to CK-GEO-004."""

from __future__ import annotations

import functools

from clusterkit.countries import (
    is_eu_member,
    is_programme_participant,
    normalise_country,
)
from clusterkit.models import Generation
from clusterkit.rules._batch import Batch
from clusterkit.rules._context import Context
from clusterkit.rules._registry import check
from clusterkit.rules._third import ANY_DAY, changes, is_third

__all__: list[str] = []


def _rule_text(generation: Generation) -> str:
    if generation.third_country_rule.value == "beyond-europe":
        return (
            f"outside Europe and outside the EU and {generation.programme}'s "
            "participating countries"
        )
    return f"neither an EU member nor a participant of {generation.programme}"


@check("CK-GEO-001", table="targets")
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
            and not is_third(country, partnership.start, partnership.generation)
        )

    bad = context.failing(batch, fields, is_bad, name="CK-GEO-001")
    for index in batch.rows_with(fields, bad):
        partnership = context.partnerships[batch["partnership"][index]]
        assert partnership.generation is not None  # noqa: S101 - as checked above
        country = batch["country"][index]
        context.report(
            "CK-GEO-001",
            batch.location(index, "country"),
            f"{normalise_country(country).name} ({country}) is not a third country "
            f"on {partnership.start}, the start of partnership {partnership.id!r}: a "
            f"target must be {_rule_text(partnership.generation)}",
            entity=batch.entity(index),
            value=country,
        )


@check("CK-GEO-001", table="activities")
def activity_target_is_third_country(batch: Batch, context: Context) -> None:
    """An activity's target country is a third country on the activity's start."""
    targets = batch.distinct("target_country")
    # Most markets (the United States, China) are classified the same on every
    # day: judge those per partnership, and only the others per day.
    changing = {country for country in targets if changes(country)}

    def is_bad(partnership_id: str | None, country: str | None) -> bool:
        partnership = context.partnerships.get(partnership_id)  # type: ignore[arg-type] # None finds nothing
        return (
            partnership is not None
            and country is not None
            and country not in changing
            and partnership.generation is not None
            and not is_third(country, ANY_DAY, partnership.generation)
        )

    fields = ("partnership", "target_country")
    rows = batch.rows_with(
        fields, context.failing(batch, fields, is_bad, name="CK-GEO-001")
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
        context.report(
            "CK-GEO-001",
            batch.location(index, "target_country"),
            f"{normalise_country(country).name} ({country}) is not a third country "
            f"on {day}: a target must be {_rule_text(partnership.generation)}",
            entity=batch.entity(index),
            value=country,
        )


def _bad_on_start(batch: Batch, context: Context, index: int) -> bool:
    partnership = context.partnerships.get(batch["partnership"][index])
    day = batch["start"][index]
    return (
        partnership is not None
        and partnership.generation is not None
        and day is not None
        and not is_third(batch["target_country"][index], day, partnership.generation)
    )


@check("CK-GEO-002", table="activities")
def activity_target_declared(batch: Batch, context: Context) -> None:
    """An activity's target country is one of its partnership's declared targets."""
    fields = ("partnership", "target_country")

    def is_bad(partnership_id: str | None, country: str | None) -> bool:
        declared = context.targets.get(partnership_id)  # type: ignore[arg-type] # None finds nothing
        return bool(declared) and country is not None and country not in declared  # type: ignore[operator] # declared is truthy

    bad = context.failing(batch, fields, is_bad, name="CK-GEO-002")
    for index in batch.rows_with(fields, bad):
        partnership, country = (
            batch["partnership"][index],
            batch["target_country"][index],
        )
        declared = _listed(tuple(context.targets[partnership]))
        context.report(
            "CK-GEO-002",
            batch.location(index, "target_country"),
            f"{country} is not among the declared targets of partnership "
            f"{partnership!r} ({declared})",
            hint=f"add a row ({partnership}, {country}) to targets, or correct it",
            entity=batch.entity(index),
            value=country,
            expected=declared,
        )


@functools.lru_cache(maxsize=1024)
def _listed(countries: tuple[str, ...]) -> str:
    return ", ".join(sorted(countries))


@check("CK-GEO-003", table="partnerships")
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
                cluster.country, generation.programme, day
            ):
                continue
            context.report(
                "CK-GEO-003",
                batch.location(index, "members"),
                f"member {member!r} is established in "
                f"{normalise_country(cluster.country).name} ({cluster.country}), "
                f"neither an EU member nor a {generation.programme} participant on "
                f"{day}",
                entity=batch.entity(index),
                value=member,
                related=(
                    context.sources["clusters"].location(cluster.number, "country"),
                ),
            )


@check("CK-GEO-004", table="clusters")
def region_in_country(batch: Batch, context: Context) -> None:
    """A cluster's NUTS region starts with its country's EU code."""
    fields = ("region", "country")

    def is_bad(region: str | None, country: str | None) -> bool:
        return (
            region is not None
            and country is not None
            and not region.startswith(normalise_country(country).eu_code)
        )

    bad = context.failing(batch, fields, is_bad, name="CK-GEO-004")
    for index in batch.rows_with(fields, bad):
        region, country = batch["region"][index], batch["country"][index]
        code = normalise_country(country).eu_code
        context.report(
            "CK-GEO-004",
            batch.location(index, "region"),
            f"NUTS region {region} is not in {country}: regions of "
            f"{normalise_country(country).name} start with {code}",
            entity=batch.entity(index),
            value=region,
            expected=f"{code}…",
        )
