"""Checks of counts and SMEs: CK-COUNT-002, CK-COUNT-003, CK-SME-001 to CK-SME-003."""

from __future__ import annotations

import functools
import itertools
import operator
import sys
from typing import Any

from clusterkit._scan import Batch
from clusterkit.models import EnterpriseSize
from clusterkit.models import possible_size_classes as _possible_size_classes
from clusterkit.report import Rule, Severity
from clusterkit.rules._checks._members import (
    rows_within_members,
    smes_of_members,
    works_out,
)
from clusterkit.rules._context import Context
from clusterkit.rules._registry import check

__all__ = [
    "ABOVE_SME_CEILINGS",
    "COUNTER_MISFIT",
    "FEWER_INVOLVED",
    "SIZE_CONTRADICTS",
    "SME_OUTSIDE_CLUSTERS",
]

E, W = Severity.ERROR, Severity.WARNING

FEWER_INVOLVED = Rule(
    "CK-COUNT-002",
    E,
    "fewer SMEs involved than listed",
    "rows",
    tables=("activities",),
)
COUNTER_MISFIT = Rule(
    "CK-COUNT-003",
    W,
    "counter that does not fit the activity type",
    "rows",
    tables=("activities",),
)
SIZE_CONTRADICTS = Rule(
    "CK-SME-001",
    E,
    "declared size class contradicts the figures",
    "rows",
    tables=("smes",),
)
ABOVE_SME_CEILINGS = Rule(
    "CK-SME-002",
    E,
    "figures above the medium-enterprise ceiling",
    "rows",
    tables=("smes",),
)
SME_OUTSIDE_CLUSTERS = works_out(
    Rule(
        "CK-SME-003",
        W,
        "SME not a member of the partnership's clusters",
        "rows",
        tables=("activities",),
    )
)

# Activity types that are not meetings between companies.
_NO_B2B = {"webinar", "training"}

_NO_SMES: frozenset[str] = frozenset()

# Stands in for a count that was not given: no list is longer.
_UNCOUNTED = sys.maxsize

# Both SME rules ask for the same figures; an SME table holds few distinct ones.
possible_size_classes = functools.lru_cache(maxsize=65_536)(_possible_size_classes)

# Staff of a medium-sized enterprise stay below this (Recommendation 2003/361/EC).
_MEDIUM_STAFF_CEILING = 250


@check(FEWER_INVOLVED, "activities")
def smes_involved_covers_listed(batch: Batch, context: Context) -> None:
    """`smes_involved` is at least the number of listed SMEs."""
    listed = list(map(len, batch.filled("smes", ())))
    involved = batch.filled("smes_involved", _UNCOUNTED)
    for index in batch.rows_where(operator.lt, involved, listed):
        smes = batch["smes"][index]
        count = len(set(smes))
        if involved[index] >= count:
            continue  # an SME listed twice counts once
        context.report_at(
            FEWER_INVOLVED,
            batch.cell(index, "smes_involved"),
            f"smes_involved is {involved[index]}, but {count} SMEs are listed",
            value=involved[index],
            expected=f">= {count}",
        )


def _b2b_misfit(kind: str | None, b2b: int | None) -> bool:
    return bool((kind in _NO_B2B and b2b) or (kind == "b2b_matchmaking" and b2b == 0))


@check(COUNTER_MISFIT, "activities")
def counters_fit_type(batch: Batch, context: Context) -> None:
    """B2B meetings belong to events where companies meet."""
    fields = ("type", "b2b_meetings")
    bad = context.failing(batch, fields, _b2b_misfit, COUNTER_MISFIT)
    for index in batch.rows_with(fields, bad):
        kind, b2b = batch["type"][index], batch["b2b_meetings"][index]
        message = (
            f"a b2b_matchmaking with no B2B meetings (b2b_meetings is {b2b})"
            if kind == "b2b_matchmaking"
            else f"{b2b} B2B meetings on a {kind}, which has none"
        )
        context.report_at(
            COUNTER_MISFIT,
            batch.cell(index, "b2b_meetings"),
            message,
            value=b2b,
        )


# A declared class by its value, as the batch holds it: a lookup, not a call
# of the enum's constructor, for each of many SMEs.
_SIZE_BY_VALUE = {size.value: size for size in EnterpriseSize}


def _contradicts(declared: str | None, *figures: Any) -> bool:
    return declared is not None and _SIZE_BY_VALUE[
        declared
    ] not in possible_size_classes(*figures)


def _large(*figures: Any) -> bool:
    return any(value is not None for value in figures) and (
        possible_size_classes(*figures) == {EnterpriseSize.LARGE}
    )


@check(SIZE_CONTRADICTS, "smes")
def size_class_fits_figures(batch: Batch, context: Context) -> None:
    """A declared size class is one the figures allow (Recommendation 2003/361/EC)."""
    fields = ("size_class", "headcount", "turnover_eur", "balance_sheet_eur")
    bad = context.failing(batch, fields, _contradicts, SIZE_CONTRADICTS)
    for index in batch.rows_with(fields, bad):
        declared = batch["size_class"][index]
        figures = [batch[name][index] for name in fields[1:]]
        possible = sorted(size.value for size in possible_size_classes(*figures))
        context.report_at(
            SIZE_CONTRADICTS,
            batch.cell(index, "size_class"),
            f"declared {declared}, but the figures make it {' or '.join(possible)}",
            value=declared,
            expected=" or ".join(possible),
        )


@check(ABOVE_SME_CEILINGS, "smes")
def within_sme_ceilings(batch: Batch, context: Context) -> None:
    """The figures are within the medium-sized enterprise ceilings."""
    fields = ("headcount", "turnover_eur", "balance_sheet_eur")
    bad = context.failing(batch, fields, _large, ABOVE_SME_CEILINGS)
    for index in batch.rows_with(fields, bad):
        headcount = batch["headcount"][index]
        field = (
            "headcount"
            if headcount is not None and headcount >= _MEDIUM_STAFF_CEILING
            else "turnover_eur"
        )
        context.report_at(
            ABOVE_SME_CEILINGS,
            batch.cell(index, field),
            "the figures are above the ceilings of a medium-sized enterprise "
            "(250 staff; EUR 50m turnover or EUR 43m balance sheet): not an SME",
            value=batch[field][index],
        )


@check(SME_OUTSIDE_CLUSTERS, "activities")
def smes_of_partnership_clusters(batch: Batch, context: Context) -> None:
    """An SME taking part is a member of one of the partnership's clusters.

    Each row's SMEs are compared at C speed with those of its partnership's
    clusters (`rows_within_members`, shared with CK-FK-004); only the rows that
    name others are looked at closely (an unknown SME is CK-FK-004's, one that
    names no cluster is no outsider, and an unknown partnership has no members
    to judge by).
    """
    within = rows_within_members(batch, context)
    if all(within):
        return
    free = context.smes_by_cluster().get(None, _NO_SMES)
    partnerships, smes_column = batch["partnership"], batch["smes"]
    for index in itertools.compress(itertools.count(), map(operator.not_, within)):
        partnership, smes = partnerships[index], smes_column[index]
        if partnership not in context.partnerships:
            continue
        belonging = smes_of_members(context, partnership)
        for sme in smes:
            if sme in belonging or sme in free or sme not in context.smes:
                continue
            context.report_at(
                SME_OUTSIDE_CLUSTERS,
                batch.cell(index, "smes"),
                f"SME {sme!r} is not a member of any cluster of partnership "
                f"{partnership!r}",
                value=sme,
                related=(
                    context.sources["smes"].location(
                        context.smes[sme].number, "clusters"
                    ),
                ),
            )
