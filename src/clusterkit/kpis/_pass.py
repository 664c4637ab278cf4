"""Private: one pass over a source — the validator's checks and the KPI tallies together."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable

import attrs

from clusterkit._dates import as_of_day
from clusterkit._scan import Shard
from clusterkit.io import Source
from clusterkit.kpis._gather import Facts, Gather
from clusterkit.kpis._scope import Scope
from clusterkit.kpis._tally import Tally
from clusterkit.models import TABLES
from clusterkit.report import CATALOGUE, Report, Severity
from clusterkit.rules import Context, Options, Thresholds, run_checks

__all__ = ["TABLE_ORDER", "ErrorCounts", "Pass", "gating_options", "run_pass"]

# The small tables first, as the validator reads them, then activities.
TABLE_ORDER = tuple(TABLES)

# The findings `result.validation` keeps (all are counted).
_MAX_FINDINGS = 1_000

# Rules that a file must pass to be read at all: the read stage. Without
# validation these still leave out what cannot be read as a record.
_READ_STAGE = tuple(
    rule.id
    for rule in CATALOGUE.values()
    if rule.stage == "read" and rule.severity is Severity.ERROR and rule.default
)


def gating_options(
    *,
    validate: bool,
    as_of: dt.date | None,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
    thresholds: Thresholds | None = None,
) -> Options:
    """The validator's options for the KPI gate.

    With `validate`: the error rules that `select` and `ignore` leave on (all of
    them by default), with `thresholds`, and the read stage whatever they say: a
    cell that cannot be read would be counted as empty. CK-DUP-001, a warning,
    runs too when they leave it on: the SMEs it finds under two ids are counted
    once. Without: the read stage.

    Raises:
        ValueError: `select`, `ignore` or `thresholds` without `validate`, or a
            `select` or `ignore` entry that names no rule.
        TypeError: `validate` is not a bool.
    """
    if not isinstance(validate, bool):
        # A truthy text ("no", "false") would validate without a word.
        msg = f"validate must be True or False, not {validate!r}"
        raise TypeError(msg)
    if not validate:
        given = [
            name
            for name, value in (
                ("select", select),
                ("ignore", ignore),
                ("thresholds", thresholds),
            )
            if value is not None
        ]
        if given:
            names = " and ".join(given)
            msg = (
                f"{names} would have no effect: validate=False checks only that "
                "each record can be read; to use records that break some rules, "
                "keep validation on and ignore those rules (ignore='CK-PART-001')"
            )
            raise ValueError(msg)
        return Options(
            as_of=as_of_day(as_of),
            select=_READ_STAGE,
            max_findings=_MAX_FINDINGS,
        )
    chosen = Options.build(
        as_of=as_of,
        select=select or (),
        ignore=ignore or (),
        thresholds=thresholds,
    )
    enabled = chosen.enabled()
    rules = tuple(
        rule.id
        for rule in CATALOGUE.values()
        if (rule.severity is Severity.ERROR or rule.id in Context.linking_rules)
        and (rule.id in enabled or rule.id in _READ_STAGE)
    )
    return attrs.evolve(chosen, select=rules, ignore=(), max_findings=_MAX_FINDINGS)


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
    source: Source,
    scope: Scope,
    options: Options,
    shard: Shard | None = None,
    progress: Callable[[str, int], None] | None = None,
    *,
    format: str | None = None,  # noqa: A002 - as load_dataset
    name: str | None = None,
) -> Pass:
    """Validate and gather one source (or one shard of it) in one pass."""
    gather = Gather(scope, progress)
    report, context = run_checks(
        source,
        options=options,
        on_batch=gather,
        shard=shard,
        format=format,
        name=name,
    )
    facts = gather.facts(
        context.error_rows or {}, same_smes=context.same_records.get("smes", {})
    )
    log = context.keys.get("activities")
    digests = set() if log is None else log.seen
    return Pass(facts, gather.tally, report, dict(context.error_counts), digests)
