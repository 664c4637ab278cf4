"""Private: `compute_kpis`, one pass over a dataset into the KPIs of DESIGN.md §7."""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import Any

import attrs

from clusterkit import reference
from clusterkit.kpis._aggregate import aggregate, check_filters
from clusterkit.kpis._gather import Facts, Gather
from clusterkit.kpis._result import KPIResult, RecordCount
from clusterkit.kpis._scope import Scope
from clusterkit.kpis._tally import Tally
from clusterkit.models import TABLES, Dataset
from clusterkit.report import Report, Severity
from clusterkit.rules._context import Options, Shard
from clusterkit.rules._engine import scan
from clusterkit.rules._registry import CATALOGUE

__all__ = ["Pass", "compute_kpis", "gating_options", "run_pass"]

# The small tables first, as the validator reads them, then activities.
TABLE_ORDER = tuple(TABLES)

# Rules that a file must pass to be read at all: the read stage. Without
# validation these still leave out what cannot be read as a record.
_READ_STAGE = tuple(
    rule.id
    for rule in CATALOGUE.values()
    if rule.stage == "read" and rule.severity is Severity.ERROR and rule.default
)


def compute_kpis(
    source: Dataset | str | os.PathLike[str],
    *,
    by: str | Iterable[str] | None = None,
    generation: str | Iterable[str] | None = None,
    partnership: str | Iterable[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    target_country: str | Iterable[str] | None = None,
    validate: bool = True,
    as_of: dt.date | None = None,
    jobs: int = 1,
    progress: Callable[[str, int], None] | None = None,
) -> KPIResult:
    """Compute every KPI of DESIGN.md §7 over a dataset, in one pass.

    Files are streamed: the small tables are kept as the few fields the KPIs
    need, and activities are added up as they are read, into accumulators that
    merge (so `jobs` processes can each take a part of a large activities file).

    By default the records are validated in the same pass, with every rule whose
    severity is error: a record with an error finding is left out, and so are
    the activities of a partnership left out. What was left out is counted in
    `result.records` and `result.excluded_by_rule`, never dropped silently.

    Added in version 0.1.0.

    Args:
        source: A `Dataset`, or a dataset path in any layout.
        by: Breakdown dimensions: `partnership`, `generation`,
            `target_country`, `year`, `quarter`, `ecosystem` (several give their
            combinations).
        generation: Only these generations' partnerships and their activities.
        partnership: Only these partnerships and their activities.
        start: Only activities starting on or after this day (and partnerships
            whose period ends on or after it).
        end: Only activities starting on or before this day (and partnerships
            whose period starts on or before it).
        target_country: Only activities targeting this country (any spelling
            `normalise_country` reads), and partnerships that declare it.
        validate: `False` uses the records as they are, without the validator:
            a `Dataset` entirely, a path after reading (cells that cannot be
            read still leave their record out). Activities whose partnership is
            unknown are always left out and counted.
        as_of: The day after which dates are in the future (CK-DATE-004);
            default today.
        jobs: Processes that share a large activities file (a folder of CSV
            or JSON Lines files, at least 4 MiB a part); a JSON document or a
            workbook is read in one process.
        progress: Called after each batch of rows read in this process with
            the file (or table) and the number of its rows read so far.

    Returns:
        The KPIs, their breakdown groups and what was left out.

    Raises:
        ValueError: An unknown breakdown, a filter naming a generation or a
            partnership the data does not have, a date range that ends before
            it starts, a target country that is not a country, or `jobs` < 1.

    Examples:
        >>> import datetime as dt
        >>> import clusterkit as ck
        >>> result = ck.compute_kpis(ck.load_example(), as_of=dt.date(2026, 1, 1))
        >>> result["partnerships"], result.complete
        (6, True)
    """
    scope = Scope.build(
        by=by,
        generation=generation,
        partnership=partnership,
        start=start,
        end=end,
        target_country=target_country,
    )
    if jobs < 1:
        msg = f"jobs must be at least 1, not {jobs}"
        raise ValueError(msg)
    options = gating_options(validate=validate, as_of=as_of)
    # The pass makes many short-lived objects and few cycles; the cyclic
    # collector would walk the records and indexes again and again.
    collecting = gc.isenabled()
    gc.disable()
    try:
        return _compute(
            source, scope, options, validate=validate, jobs=jobs, progress=progress
        )
    finally:
        if collecting:
            gc.enable()


def _compute(
    source: Dataset | str | os.PathLike[str],
    scope: Scope,
    options: Options,
    *,
    validate: bool,
    jobs: int,
    progress: Callable[[str, int], None] | None,
) -> KPIResult:
    if isinstance(source, Dataset) and not validate:
        gather = Gather(scope)
        gather.take_dataset(source)
        facts = gather.facts({})
        return finish(scope, facts, gather.tally, None, {})
    if jobs > 1 and not isinstance(source, Dataset):
        from clusterkit.kpis._shards import run_sharded  # noqa: PLC0415 - only with jobs

        result = run_sharded(Path(source), scope, options, jobs)
        if result is not None:
            return finish(*result)
    outcome = run_pass(source, scope, options, progress=progress)
    return finish(scope, outcome.facts, outcome.tally, outcome.report, outcome.errors)


def gating_options(*, validate: bool, as_of: dt.date | None) -> Options:
    """The validator's options for the KPI gate: every error rule, or the read stage."""
    rules = (
        tuple(
            rule.id
            for rule in CATALOGUE.values()
            if rule.severity is Severity.ERROR and rule.default
        )
        if validate
        else _READ_STAGE
    )
    return Options(
        as_of=as_of or dt.date.today(),  # noqa: DTZ011 - the user's calendar day
        select=rules,
        max_findings=1_000,
    )


ErrorCounts = dict[tuple[str | None, str, bool], int]
"""Error findings by (table, rule, whether they point at a row)."""


@attrs.define
class Pass:
    """What one pass over a source gave.

    `digests` holds the digests of the activity ids read, to find ids
    repeated across shards.
    """

    facts: Facts
    tally: Tally
    report: Report
    errors: ErrorCounts
    digests: set[int]


def run_pass(
    source: Any,
    scope: Scope,
    options: Options,
    shard: Shard | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> Pass:
    """Validate and gather one source (or one shard of it) in one pass."""
    gather = Gather(scope, progress)

    def prepare(context: Any) -> None:
        context.shard = shard

    report, context = scan(source, options=options, on_batch=gather, prepare=prepare)
    facts = gather.facts(context.error_rows or {})
    log = context.keys.get("activities")
    digests = set() if log is None else log.seen
    return Pass(facts, gather.tally, report, dict(context.error_counts), digests)


def finish(
    scope: Scope,
    facts: Facts,
    tally: Tally,
    report: Report | None,
    errors: ErrorCounts,
) -> KPIResult:
    """The result of a pass: filters checked, KPIs and groups computed."""
    check_filters(scope, facts)
    kpis, by_type, markets, groups = aggregate(scope, facts, tally)
    records = {
        table: RecordCount(
            used=facts.used.get(table, 0), excluded=facts.excluded.get(table, 0)
        )
        for table in TABLE_ORDER[1:]
    }
    return KPIResult(
        scope=scope,
        reference_data=reference.version(),
        kpis=kpis,
        activities_by_type=by_type,
        target_markets=markets,
        groups=groups,
        records=records,
        excluded_by_rule=_by_rule(errors),
        validation=report,
    )


def _by_rule(errors: ErrorCounts) -> dict[str, int]:
    counts: dict[str, int] = {}
    for (_, rule, _), n in errors.items():
        counts[rule] = counts.get(rule, 0) + n
    return dict(sorted(counts.items()))
