"""Private: `validate`, which reads a dataset once and runs every enabled rule."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence

import attrs

from clusterkit import reference
from clusterkit._cycles import cycles_paused
from clusterkit._limits import Limits
from clusterkit._limits import chosen as chosen_limits
from clusterkit._scan import Batch, Scan, Shard
from clusterkit._version import VERSION
from clusterkit.io import Source, following_symlinks
from clusterkit.report import Report, Severity, Summary
from clusterkit.rules import _checks  # noqa: F401 - declares the rules and their checks
from clusterkit.rules._checks._identity import explain_causes
from clusterkit.rules._context import Collector, Context, Options, Thresholds
from clusterkit.rules._registry import checks_for, dataset_checks

__all__ = ["run_checks", "validate"]


def validate(
    source: Source | Sequence[Source],
    *,
    as_of: dt.date | None = None,
    select: Iterable[str] = (),
    ignore: Iterable[str] = (),
    fail_on: Severity | str | None = Severity.ERROR,
    max_findings: int | None = None,
    min_severity: Severity | str = Severity.INFO,
    thresholds: Thresholds | None = None,
    progress: Callable[[str, int], None] | None = None,
    format: str | None = None,  # noqa: A002 - as load_dataset
    name: str | None = None,
    follow_symlinks: bool | None = None,
    limits: Limits | None = None,
) -> Report:
    """Check a dataset against every rule of the catalogue; never raises for bad data.

    Streams: files are read in batches of rows, checked column by column, and only
    compact key indexes are kept, so memory grows with the number of distinct
    ids, not with rows. Rules that look across tables run over those indexes.

    Added in version 0.1.0.

    Args:
        source: A dataset in any form `load_dataset` reads (a folder of CSV or
            JSON Lines files, a `.json` document, an `.xlsx` workbook, a `.zip` of
            a folder, bytes or a binary file object, a mapping shaped like the
            JSON document, a `Dataset`), or a list, tuple or other sequence
            of them (each is validated as a dataset of its own, into one report).
        as_of: Dates after this day are in the future (CK-DATE-004); default today.
        select: Only these rules: ids or family prefixes (`CK-GEO`). Default: all
            rules that are on by default.
        ignore: Not these rules: ids or family prefixes.
        fail_on: The lowest severity that makes the data invalid (`report.ok`),
            `"never"` or `None` for never.
        max_findings: Keep at most this many findings; every finding is still
            counted in `report.summary`, which says when some were left out.
        min_severity: Keep only findings of this severity or above (`"error"`,
            `"warning"` or `"info"`); the others are still counted in
            `report.summary` (`summary.below`). Added in version 0.2.0.
        thresholds: Overrides of the partnership-structure thresholds.
        progress: Called after each batch of rows with the file (or table) being
            read and the number of its rows read so far.
        format: The format of a document or stream whose name or first bytes
            do not tell (`"json"`, `"xlsx"` or `"zip"`).
        name: How findings name a stream, a mapping or a `Dataset` (default
            `<upload>` or the file object's name, `<mapping>`, `<dataset>`).
        follow_symlinks: Read a folder's table files that are symbolic links
            to files outside the folder (the default, unless inside
            `clusterkit.io.following_symlinks(False)`); with `False` such a folder is a
            `CK-FILE-001` finding that names the link, never what it holds
            (see `clusterkit.io.following_symlinks`). Added in version 0.2.0.
        limits: How far reading goes on hostile input (default: the limits in
            force, `clusterkit.Limits()` unless `Limits.applied`); a limit
            crossed is a located finding. Added in version 0.2.0.

    Returns:
        The report: findings ordered by file and line, and their counts.

    Raises:
        ValueError: A `select` or `ignore` entry names no rule, `fail_on` or
            `min_severity` is not a severity, or `max_findings` is negative (mistakes in the call, not in
            the data).
        TypeError: `select` or `ignore` is not a string or strings (bytes are
            not), `thresholds` is not a `Thresholds`, `as_of` is not a
            `datetime.date`, `max_findings` is not a whole number, `source`
            is none of the kinds `load_dataset` reads, or `limits` is not a
            `Limits`.

    Examples:
        >>> import datetime as dt
        >>> import clusterkit as ck
        >>> report = ck.validate(ck.load_example(), as_of=dt.date(2026, 1, 1))
        >>> report.ok, report.summary.error
        (True, 0)
    """
    options = Options.build(
        as_of=as_of,
        select=select,
        ignore=ignore,
        fail_on=fail_on,
        max_findings=max_findings,
        min_severity=min_severity,
        thresholds=thresholds,
    )
    in_force = chosen_limits(limits)
    collector = Collector(options)
    sources: list[Source]
    # Text and bytes are sequences too, but each is one source: a path, a document.
    if isinstance(source, Sequence) and not isinstance(
        source, (str, bytes, bytearray, memoryview)
    ):
        sources = list(source)
    else:
        sources = [source]
    shown: list[str] = []
    # Batches make many short-lived objects and few cycles; the cyclic collector
    # would walk the growing key indexes again and again (about a third of the time).
    with cycles_paused():
        with following_symlinks(follow_symlinks), in_force.applied():
            for item in sources:
                # Only where it was read is kept: each source's indexes go at once.
                checked = _validate_one(
                    item, collector, progress, format=format, name=name
                )
                shown.append(checked.display)
                del checked
        # Before the collector is back: the findings are many young objects.
        return _report(collector, shown)


@attrs.define
class Checked:
    """What one validation pass over one source leaves: where, and its indexes."""

    display: str
    context: Context


def run_checks(
    source: Source,
    *,
    options: Options,
    on_batch: Callable[[Batch, Context], None],
    shard: Shard | None = None,
    record_errors: bool = True,
    format: str | None = None,  # noqa: A002 - as load_dataset
    name: str | None = None,
) -> tuple[Report, Context]:
    """Validate one source, handing each checked batch to `on_batch`.

    For the KPI engine, which reads the records in the same pass: with
    `record_errors` the context records the rows with an error finding
    (`context.error_rows`), so that what consumes the batches can leave them
    out. Rows found to be in error only at the end (duplicate keys, dataset
    checks) are there when `run_checks` returns.

    Added in version 0.2.0.

    Args:
        source: Any source `load_dataset` reads.
        options: What to check.
        on_batch: Called after each batch is checked.
        shard: Read only this byte range of one table's file.
        record_errors: Keep the rows with an error finding, by table.
        format: The format of a stream whose first bytes do not tell.
        name: How findings name a stream, a mapping or a `Dataset`.
    """
    collector = Collector(options)
    with cycles_paused():
        checked = _validate_one(
            source,
            collector,
            None,
            on_batch=on_batch,
            shard=shard,
            record_errors=record_errors,
            format=format,
            name=name,
        )
        return _report(collector, [checked.display]), checked.context


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
        min_severity=options.min_severity,
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


def _validate_one(
    source: Source,
    collector: Collector,
    progress: Callable[[str, int], None] | None,
    *,
    on_batch: Callable[[Batch, Context], None] | None = None,
    shard: Shard | None = None,
    record_errors: bool = False,
    format: str | None = None,  # noqa: A002 - as load_dataset
    name: str | None = None,
) -> Checked:
    """Read and check one source; `on_batch` sees each batch after its checks."""
    context = Context(collector)
    first = len(collector.findings)
    scan = Scan(
        source,
        context.report,
        indexes=context,
        enabled=collector.enabled,
        shard=shard,
        format=format,
        name=name,
    )
    context.reread = scan.reread
    if record_errors:
        context.error_rows = {}
    if progress is not None:
        on_batch = _progress(progress)
    try:
        for batch in scan.batches():
            for entry in checks_for(batch.table):
                if context.runs(entry.rule):
                    entry.function(batch, context)
            if on_batch is not None:
                on_batch(batch, context)
        context.verdicts.forget()  # the rows are read: make room for the dataset checks
        _finish(context, scan, first, explain=not record_errors)
    finally:
        scan.close()
    return Checked(scan.display, context)


def _finish(context: Context, scan: Scan, first: int, *, explain: bool) -> None:
    """After the rows: the dataset checks, the roots' hints, the fields' places."""
    for entry in dataset_checks():
        if context.runs(entry.rule):
            entry.function(context)
    if explain:
        # Not for the KPI gate, whose parts must agree with one pass: their
        # hints stay what each finding knew when it was met.
        explain_causes(context)
    if scan.places:
        # Only now, and only for the findings: where in a record its field is.
        context.collector.relocate(first, scan.place)


def _progress(progress: Callable[[str, int], None]) -> Callable[[Batch, Context], None]:
    rows: dict[str, int] = {}

    def report(batch: Batch, context: Context) -> None:  # noqa: ARG001 - an on_batch
        where = batch.source.file or batch.table
        rows[where] = rows.get(where, 0) + len(batch.numbers)
        progress(where, rows[where])

    return report
