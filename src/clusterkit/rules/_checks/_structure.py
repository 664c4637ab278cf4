"""Checks of partnership structure: CK-PART-001 to CK-PART-008."""

from __future__ import annotations

from decimal import Decimal

from clusterkit import reference
from clusterkit._hints import allowed_values, did_you_mean
from clusterkit._scan import Batch
from clusterkit.models import Generation
from clusterkit.report import Entity, Rule, Severity
from clusterkit.rules._context import (
    DEFAULT_MIN_MEMBER_COUNTRIES,
    Context,
    amount_text,
)
from clusterkit.rules._generations import voluntary_in
from clusterkit.rules._names import cluster_named
from clusterkit.rules._registry import check

__all__ = [
    "CLUSTER_IN_TWO",
    "COORDINATOR_NOT_MEMBER",
    "FEW_MEMBERS",
    "FEW_MEMBER_COUNTRIES",
    "GRANT_ABOVE_CAP",
    "TARGET_COUNT",
    "UNKNOWN_STRAND",
    "VOLUNTARY_NOT_ALLOWED",
]

E, W = Severity.ERROR, Severity.WARNING
_PARTNERSHIPS = ("partnerships",)

FEW_MEMBERS = Rule("CK-PART-001", E, "too few members", "rows", tables=_PARTNERSHIPS)
FEW_MEMBER_COUNTRIES = Rule(
    "CK-PART-002", W, "too few member countries", "rows", tables=_PARTNERSHIPS
)
COORDINATOR_NOT_MEMBER = Rule(
    "CK-PART-003", E, "coordinator not among the members", "rows", tables=_PARTNERSHIPS
)
UNKNOWN_STRAND = Rule(
    "CK-PART-004", E, "strand not one of the generation's", "rows", tables=_PARTNERSHIPS
)
VOLUNTARY_NOT_ALLOWED = Rule(
    "CK-PART-005",
    E,
    "voluntary partnership where there are none",
    "rows",
    tables=_PARTNERSHIPS,
)
GRANT_ABOVE_CAP = Rule(
    "CK-PART-006",
    E,
    "grant above the cap, or on a voluntary partnership",
    "rows",
    tables=_PARTNERSHIPS,
)
CLUSTER_IN_TWO = Rule(
    "CK-PART-007", W, "cluster in two partnerships of one generation", "dataset"
)
TARGET_COUNT = Rule(
    "CK-PART-008", E, "too few (or too many) target countries", "dataset"
)


def _generation(batch: Batch, context: Context, index: int) -> Generation | None:
    return context.generation_of(batch["generation"][index])


@check(FEW_MEMBERS, "partnerships")
def enough_members(batch: Batch, context: Context) -> None:
    """A partnership has at least the generation's minimum of member clusters."""
    override = context.options.thresholds.min_members
    partial = batch["members_partial"]
    for index, members in enumerate(batch["members"]):
        generation = _generation(batch, context, index)
        # A list its source gave only in part cannot be counted.
        if partial[index] or (override is None and generation is None):
            continue
        least = override if override is not None else generation.min_members  # type: ignore[union-attr] # one of them is set
        count = len(set(members or ()))
        if count < least:
            context.report_at(
                FEW_MEMBERS,
                batch.cell(index, "members"),
                f"{count} member cluster{'s' if count != 1 else ''}; a partnership "
                f"needs at least {least}",
                value=str(count),
                expected=f">= {least}",
            )


@check(FEW_MEMBER_COUNTRIES, "partnerships")
def enough_member_countries(batch: Batch, context: Context) -> None:
    """Member clusters come from at least the minimum number of countries."""
    override = context.options.thresholds.min_member_countries
    partial = batch["members_partial"]
    for index, members in enumerate(batch["members"]):
        if partial[index]:
            continue
        generation = _generation(batch, context, index)
        least = (
            override
            or (generation.min_member_countries if generation is not None else None)
            or DEFAULT_MIN_MEMBER_COUNTRIES
        )
        countries = {
            context.clusters[member].country
            for member in members or ()
            if member in context.clusters
        } - {None}
        # Without any member's country (no country column) there is nothing to judge.
        if countries and len(countries) < least:
            context.report_at(
                FEW_MEMBER_COUNTRIES,
                batch.cell(index, "members"),
                f"members come from {len(countries)} "
                f"countr{'ies' if len(countries) != 1 else 'y'} "
                f"({', '.join(sorted(str(c) for c in countries))}); at least {least} expected",
                value=str(len(countries)),
                expected=f">= {least}",
            )


@check(COORDINATOR_NOT_MEMBER, "partnerships")
def coordinator_is_member(batch: Batch, context: Context) -> None:
    """The coordinator is one of the members."""
    for index, (coordinator, members) in enumerate(
        zip(batch["coordinator"], batch["members"], strict=True)
    ):
        if coordinator is not None and coordinator not in (members or ()):
            context.report_at(
                COORDINATOR_NOT_MEMBER,
                batch.cell(index, "coordinator"),
                f"coordinator {coordinator!r} is not among the members",
                hint=cluster_named(context, batch, index, "coordinator", coordinator)
                or f"add {coordinator} to members",
                value=coordinator,
            )


@check(UNKNOWN_STRAND, "partnerships")
def strand_of_generation(batch: Batch, context: Context) -> None:
    """The strand is one of the generation's strands."""
    for index, strand in enumerate(batch["strand"]):
        generation = _generation(batch, context, index)
        if strand is None or generation is None or not generation.strands:
            continue
        if strand not in generation.strands:
            allowed = ", ".join(generation.strands)
            context.report_at(
                UNKNOWN_STRAND,
                batch.cell(index, "strand"),
                f"strand {strand!r} is not a strand of {generation.id} ({allowed})",
                hint=allowed_values(
                    _strand_meanings(generation),
                    did_you_mean(strand, generation.strands),
                ),
                value=strand,
                expected=allowed,
            )


@check(VOLUNTARY_NOT_ALLOWED, "partnerships")
def voluntary_allowed(batch: Batch, context: Context) -> None:
    """Only generations with voluntary partnerships have voluntary partnerships."""
    for index, funding in enumerate(batch["funding"]):
        generation = _generation(batch, context, index)
        if (
            funding == "voluntary"
            and generation is not None
            and not generation.voluntary_allowed
        ):
            context.report_at(
                VOLUNTARY_NOT_ALLOWED,
                batch.cell(index, "funding"),
                f"{generation.id} had no voluntary partnerships; every partnership "
                "of it was co-funded",
                hint=voluntary_in(context.generations.values()),
                value=funding,
                expected="co_funded",
            )


@check(GRANT_ABOVE_CAP, "partnerships")
def grant_within_cap(batch: Batch, context: Context) -> None:
    """A grant is on a co-funded partnership and within the generation's cap."""
    for index, grant in enumerate(batch["grant_eur"]):
        if grant is None:
            continue
        if batch["funding"][index] == "voluntary":
            context.report_at(
                GRANT_ABOVE_CAP,
                batch.cell(index, "grant_eur"),
                "a voluntary partnership has no EU grant, but grant_eur is "
                f"{amount_text(grant)}",
            )
            continue
        generation = _generation(batch, context, index)
        cap = _cap(generation, batch["strand"][index])
        if cap is not None and grant > cap:
            limit = amount_text(cap)
            context.report_at(
                GRANT_ABOVE_CAP,
                batch.cell(index, "grant_eur"),
                f"grant of EUR {amount_text(grant)} is above the cap of EUR {limit}",
                expected=f"<= {limit}",
            )


def _strand_meanings(generation: Generation) -> dict[str, str | None]:
    """Each strand of a generation with what it means, as the reference data says.

    A generation the dataset defines under an id of its own has strands without
    meanings; one that overrides a shipped generation keeps the meanings of the
    strands it shares with it.
    """
    try:
        names = reference.provenance(generation.id).strand_names
    except KeyError:
        names = {}
    return {strand: names.get(strand) for strand in generation.strands}


def _cap(generation: Generation | None, strand: str | None) -> Decimal | None:
    if generation is None or not generation.max_grant_eur:
        return None
    if strand is None:
        return max(generation.max_grant_eur.values())
    return generation.max_grant_eur.get(strand)


@check(CLUSTER_IN_TWO)
def one_partnership_per_generation(context: Context) -> None:
    """A cluster is a member of at most one partnership per generation."""
    source = context.sources.get("partnerships")
    first: dict[tuple[str, str], str] = {}
    for partnership in context.partnerships.values():
        if partnership.generation is None or source is None:
            continue
        for member in dict.fromkeys(partnership.members):
            key = (partnership.generation.id, member)
            earlier = first.setdefault(key, partnership.id)
            if earlier == partnership.id:
                continue
            context.report(
                CLUSTER_IN_TWO,
                source.location(partnership.number, "members"),
                f"cluster {member!r} is also a member of {earlier!r}, another "
                f"partnership of {partnership.generation.id}",
                entity=Entity("partnerships", partnership.id),
                value=member,
                related=(
                    source.location(context.partnerships[earlier].number, "members"),
                ),
            )


@check(TARGET_COUNT)
def target_count(context: Context) -> None:
    """A partnership declares between the minimum and maximum of target countries."""
    source = context.sources.get("partnerships")
    thresholds = context.options.thresholds
    for partnership in context.partnerships.values():
        generation = partnership.generation
        if source is None or generation is None:
            continue
        least = thresholds.min_target_countries or generation.min_target_countries
        most = thresholds.max_target_countries or generation.max_target_countries
        count = len(context.targets.get(partnership.id, {}))
        where = source.location(partnership.number, "id")
        if least is not None and count < least:
            context.report(
                TARGET_COUNT,
                where,
                f"partnership {partnership.id!r} declares {count} target "
                f"countr{'ies' if count != 1 else 'y'}; {generation.id} asks for at "
                f"least {least}",
                entity=Entity("partnerships", partnership.id),
                value=str(count),
                expected=f">= {least}",
            )
        elif most is not None and count > most:
            context.report(
                TARGET_COUNT,
                where,
                f"partnership {partnership.id!r} declares {count} target countries; "
                f"{generation.id} recommends at most {most}",
                entity=Entity("partnerships", partnership.id),
                value=str(count),
                expected=f"<= {most}",
                severity=Severity.WARNING,
            )
