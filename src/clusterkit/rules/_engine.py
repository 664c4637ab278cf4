"""Private: `validate`, which reads a dataset once and runs every enabled rule."""

from __future__ import annotations

import datetime as dt
import gc
import os
from collections.abc import Callable, Iterable, Iterator
from itertools import chain
from typing import Any

import attrs

from clusterkit import reference
from clusterkit._version import VERSION
from clusterkit.models import Dataset, Generation
from clusterkit.report import Report, Severity, Summary
from clusterkit.rules import _checks  # noqa: F401 - registers the rules' checks
from clusterkit.rules._batch import Batch
from clusterkit.rules._context import (
    ClusterInfo,
    Collector,
    Context,
    KeyLog,
    Options,
    PartnershipInfo,
    SMEInfo,
    Thresholds,
)
from clusterkit.rules._read import read_source
from clusterkit.rules._registry import CATALOGUE, checks_for, dataset_checks

__all__ = ["scan", "validate"]


def validate(
    source: Any,
    *,
    as_of: dt.date | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    fail_on: Severity | str | None = Severity.ERROR,
    max_findings: int | None = None,
    thresholds: Thresholds | None = None,
    progress: Callable[[str, int], None] | None = None,
) -> Report:
    """Check a dataset against every rule of the catalogue; never raises for bad data.

    Streams: files are read in batches of rows, checked column by column, and only
    compact key indexes are kept, so memory grows with the number of distinct
    ids, not with rows. Rules that look across tables run over those indexes.

    Added in version 0.1.0.

    Args:
        source: A dataset path in any layout (a folder of CSV or JSON Lines files,
            a `.json` document, an `.xlsx` workbook), a `Dataset`, or a list of
            either (each is validated as a dataset of its own, into one report).
        as_of: Dates after this day are in the future (CK-DATE-004); default today.
        select: Only these rules: ids or family prefixes (`CK-GEO`). Default: all
            rules that are on by default.
        ignore: Not these rules: ids or family prefixes.
        fail_on: The lowest severity that makes the data invalid (`report.ok`),
            `"never"` or `None` for never.
        max_findings: Keep at most this many findings; every finding is still
            counted in `report.summary`, which says when some were left out.
        thresholds: Overrides of the partnership-structure thresholds.
        progress: Called after each batch of rows with the file (or table) being
            read and the number of its rows read so far.

    Returns:
        The report: findings ordered by file and line, and their counts.

    Raises:
        ValueError: A `select` or `ignore` entry names no rule, `fail_on` is not a
            severity, or `max_findings` is negative (mistakes in the call, not in
            the data).

    Examples:
        >>> import datetime as dt
        >>> import clusterkit as ck
        >>> report = ck.validate(ck.load_example(), as_of=dt.date(2026, 1, 1))
        >>> report.ok, report.summary.error
        (True, 0)
    """
    options = Options(
        as_of=as_of or dt.date.today(),  # noqa: DTZ011 - the user's calendar day
        select=_rule_patterns(select, "select"),
        ignore=_rule_patterns(ignore, "ignore"),
        fail_on=_severity(fail_on),
        max_findings=_limit(max_findings),
        thresholds=thresholds or Thresholds(),
    )
    collector = Collector(options)
    sources = list(source) if isinstance(source, (list, tuple)) else [source]
    shown: list[str] = []
    # Batches make many short-lived objects and few cycles; the cyclic collector
    # would walk the growing key indexes again and again (about a third of the time).
    collecting = gc.isenabled()
    gc.disable()
    try:
        for item in sources:
            display = "<dataset>" if isinstance(item, Dataset) else os.fspath(item)
            shown.append(display)
            _validate_one(item, display, collector, progress)
    finally:
        if collecting:
            gc.enable()
    return _report(collector, shown)


def scan(
    source: Any,
    *,
    options: Options,
    on_batch: Callable[[Batch, Context], None],
    prepare: Callable[[Context], None] | None = None,
) -> tuple[Report, Context]:
    """Validate one source, handing each checked batch to `on_batch`.

    For the KPI engine: the context records the rows with an error finding
    (`context.error_rows`), so that what consumes the batches can leave them
    out. Rows found to be in error only at the end (duplicate keys, dataset
    checks) are there when `scan` returns.

    Args:
        source: A dataset path or a `Dataset`.
        options: What to check.
        on_batch: Called after each batch is checked.
        prepare: Called with the fresh context, before reading (to set
            `context.shard`).
    """
    collector = Collector(options)
    display = "<dataset>" if isinstance(source, Dataset) else os.fspath(source)
    collecting = gc.isenabled()
    gc.disable()
    try:

        def start(context: Context) -> None:
            context.error_rows = {}
            if prepare is not None:
                prepare(context)

        context = _validate_one(
            source, display, collector, None, on_batch=on_batch, prepare=start
        )
    finally:
        if collecting:
            gc.enable()
    return _report(collector, [display]), context


def _report(collector: Collector, shown: list[str]) -> Report:
    options = collector.options
    findings = sorted(collector.findings, key=lambda finding: finding.sort_key())
    summary = Summary(
        error=collector.severities[Severity.ERROR],
        warning=collector.severities[Severity.WARNING],
        info=collector.severities[Severity.INFO],
        by_rule=dict(sorted(collector.counts.items())),
        shown=len(findings),
        total=sum(collector.counts.values()),
    )
    return Report(
        findings=tuple(findings),
        summary=summary,
        as_of=options.as_of,
        fail_on=options.fail_on,
        sources=tuple(shown),
        tool_version=VERSION,
        reference_data=reference.version(),
    )


def _rule_patterns(patterns: Iterable[str], what: str) -> tuple[str, ...]:
    if isinstance(patterns, str):
        patterns = [patterns]
    cleaned = []
    for pattern in patterns:
        for part in pattern.split(","):
            item = part.strip().upper()
            if not item:
                continue
            if not any(
                rule == item or rule.startswith(f"{item}-") for rule in CATALOGUE
            ):
                msg = (
                    f"{what}: {part.strip()!r} names no rule; give a rule id "
                    "(CK-FK-001) or a family prefix (CK-FK); see `clusterkit rules`"
                )
                raise ValueError(msg)
            cleaned.append(item)
    return tuple(cleaned)


def _severity(value: Severity | str | None) -> Severity | None:
    if value is None or value == "never":
        return None
    try:
        return Severity(value)
    except ValueError:
        msg = f"fail_on must be 'error', 'warning', 'info' or 'never', not {value!r}"
        raise ValueError(msg) from None


def _limit(value: int | None) -> int | None:
    if value is not None and value < 0:
        msg = f"max_findings must be at least 0, not {value}"
        raise ValueError(msg)
    return value


def _validate_one(
    source: Any,
    display: str,
    collector: Collector,
    progress: Callable[[str, int], None] | None,
    *,
    on_batch: Callable[[Batch, Context], None] | None = None,
    prepare: Callable[[Context], None] | None = None,
) -> Context:
    """Read and check one source; `on_batch` sees each batch after its checks."""
    quiet = Collector(attrs.evolve(collector.options, max_findings=0))

    def reread(table: str) -> Iterator[Batch]:
        # Rows read a second time report nothing: their findings are counted already.
        again = Context(quiet, reread)
        again.shard = context.shard
        for batch in read_source(source, display, again):
            if batch.table == table:
                yield batch

    context = Context(collector, reread)
    if prepare is not None:
        prepare(context)
    if progress is not None:
        on_batch = _progress(progress)
    for batch in read_source(source, display, context):
        _check_batch(batch, context)
        if on_batch is not None:
            on_batch(batch, context)
    context.forget_verdicts()  # the rows are read: make room for the dataset checks
    for entry in dataset_checks():
        if context.runs(entry.rule):
            entry.function(context)
    return context


def _progress(progress: Callable[[str, int], None]) -> Callable[[Batch, Context], None]:
    rows: dict[str, int] = {}

    def report(batch: Batch, context: Context) -> None:  # noqa: ARG001 - an on_batch
        where = batch.source.file or batch.table
        rows[where] = rows.get(where, 0) + len(batch.numbers)
        progress(where, rows[where])

    return report


def _check_batch(batch: Batch, context: Context) -> None:
    context.sources.setdefault(batch.table, batch.source)
    _index(batch, context)
    for entry in checks_for(batch.table):
        if context.runs(entry.rule):
            entry.function(batch, context)


def _index(batch: Batch, context: Context) -> None:
    """Remember what later tables and the dataset-wide rules need of this batch."""
    table = batch.table
    log = context.keys.setdefault(table, KeyLog())
    if table == "targets":
        log.add(batch.entity(index).id for index in range(len(batch.numbers)))
    else:
        log.add(batch["id"])
    _INDEXERS[table](batch, context)


def _index_generations(batch: Batch, context: Context) -> None:
    fields = list(Generation.model_fields)
    for index, generation_id in enumerate(batch["id"]):
        if generation_id is None or generation_id in context.generation_rows:
            continue
        values = {
            name: batch[name][index]
            for name in fields
            if batch[name][index] is not None
        }
        try:
            generation = Generation.model_validate(values)
        except ValueError:
            continue  # its bad cells were reported while reading
        context.generations[generation_id] = generation
        context.generation_rows[generation_id] = (batch.source, batch.numbers[index])


def _index_clusters(batch: Batch, context: Context) -> None:
    clusters = context.clusters
    for cluster_id, country, number in zip(
        batch["id"], batch["country"], batch.numbers, strict=True
    ):
        if cluster_id is not None and cluster_id not in clusters:
            clusters[cluster_id] = ClusterInfo(country, number)


def _index_smes(batch: Batch, context: Context) -> None:
    smes = context.smes
    for sme_id, clusters, number in zip(
        batch["id"], batch["clusters"], batch.numbers, strict=True
    ):
        if sme_id is not None and sme_id not in smes:
            smes[sme_id] = SMEInfo(clusters or (), number)
        if clusters:
            context.referenced_clusters.update(clusters)


def _index_partnerships(batch: Batch, context: Context) -> None:
    partnerships = context.partnerships
    rows = zip(
        batch["id"],
        batch["generation"],
        batch["members"],
        batch["coordinator"],
        batch["start"],
        batch["end"],
        batch.numbers,
        strict=True,
    )
    for partnership_id, generation_id, members, coordinator, start, end, number in rows:
        if members:
            context.referenced_clusters.update(members)
        if coordinator is not None:
            context.referenced_clusters.add(coordinator)
        if partnership_id is None or partnership_id in partnerships:
            continue
        generation = context.generation_of(generation_id)
        partnerships[partnership_id] = PartnershipInfo(
            id=partnership_id,
            generation=generation,
            members=members or (),
            start=start or (generation.start if generation else None),
            end=end or (generation.end if generation else None),
            number=number,
        )


def _index_targets(batch: Batch, context: Context) -> None:
    for partnership, country, number in zip(
        batch["partnership"], batch["country"], batch.numbers, strict=True
    ):
        if partnership is not None and country is not None:
            context.targets.setdefault(partnership, {}).setdefault(country, number)


def _index_activities(batch: Batch, context: Context) -> None:
    # Distinct values first (the checks ask for them too): far fewer than rows.
    context.active_partnerships.update(batch.distinct("partnership"))
    context.referenced_smes.update(chain.from_iterable(batch.distinct("smes") - {None}))
    context.referenced_clusters.update(
        chain.from_iterable(batch.distinct("clusters") - {None})
    )


_INDEXERS = {
    "generations": _index_generations,
    "clusters": _index_clusters,
    "smes": _index_smes,
    "partnerships": _index_partnerships,
    "targets": _index_targets,
    "activities": _index_activities,
}
