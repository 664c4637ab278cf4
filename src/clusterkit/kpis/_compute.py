"""Private: `compute_kpis`, one pass over a dataset into the KPIs of DESIGN.md §7."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable, Iterable
from pathlib import Path

from clusterkit._cycles import cycles_paused
from clusterkit._limits import Limits, current_limits
from clusterkit._limits import chosen as chosen_limits
from clusterkit.io import Source, following_symlinks
from clusterkit.kpis._aggregate import finish
from clusterkit.kpis._gather import Gather
from clusterkit.kpis._kpi import KPI
from clusterkit.kpis._parallel import run_sharded
from clusterkit.kpis._pass import gating_options, run_pass
from clusterkit.kpis._result import KPIResult
from clusterkit.kpis._scope import Scope
from clusterkit.models import Dataset
from clusterkit.rules import Options, Thresholds

__all__ = ["compute_kpis"]


def compute_kpis(
    source: Source,
    *,
    by: str | Iterable[str] | None = None,
    generation: str | Iterable[str] | None = None,
    partnership: str | Iterable[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    target_country: str | Iterable[str] | None = None,
    validate: bool = True,
    select: str | Iterable[str] | None = None,
    ignore: str | Iterable[str] | None = None,
    thresholds: Thresholds | None = None,
    as_of: dt.date | None = None,
    jobs: int = 1,
    progress: Callable[[str, int], None] | None = None,
    format: str | None = None,  # noqa: A002 - as load_dataset
    name: str | None = None,
    follow_symlinks: bool | None = None,
    limits: Limits | None = None,
) -> KPIResult:
    """Compute every KPI of DESIGN.md §7 over a dataset, in one pass.

    Files are streamed: the small tables are kept as the few fields the KPIs
    need, and activities are added up as they are read, into accumulators that
    merge (so `jobs` processes can each take a part of a large activities file).

    By default the records are validated in the same pass, with every rule whose
    severity is error: a record with an error finding is left out, and so are
    the activities of a partnership left out. What was left out is counted in
    `result.records` and `result.excluded_by_rule`, never dropped silently.
    `select`, `ignore` and `thresholds` choose the rules of this gate as they do
    for `validate`.

    Added in version 0.1.0.

    Args:
        source: A dataset in any form `load_dataset` reads: a folder of CSV or
            JSON Lines files, a `.json` document, an `.xlsx` workbook, a `.zip`
            of a folder, bytes or a binary file object, a mapping shaped like
            the JSON document, or a `Dataset`.
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
        select: Only these rules leave records out: rule ids or family
            prefixes (`CK-PART`), an iterable or a comma-separated string, as
            `validate` takes them. Default: every rule whose severity is error.
            The read stage (a cell, row, header or file that cannot be read)
            leaves its records out whatever `select` and `ignore` say. Added
            in version 0.2.0.
        ignore: These rules leave no record out (`"CK-PART-001"` keeps
            partnerships listed with only some of their members); the forms
            `select` takes. Added in version 0.2.0.
        thresholds: Overrides of the partnership-structure thresholds, as for
            `validate` (`Thresholds(min_members=2)`). Added in version 0.2.0.
        as_of: The day after which dates are in the future (CK-DATE-004);
            default today.
        jobs: Processes that share a large activities file (a folder of CSV
            or JSON Lines files, at least 4 MiB a part); a JSON document or a
            workbook is read in one process.
        progress: Called after each batch of rows read in this process with
            the file (or table) and the number of its rows read so far.
        format: The format of a document or stream whose name or first bytes
            do not tell (`"json"`, `"xlsx"` or `"zip"`).
        name: How findings name a stream, a mapping or a `Dataset`.
        follow_symlinks: Read a folder's table files that are symbolic links
            to files outside the folder (the default, unless inside
            `clusterkit.io.following_symlinks(False)`); with `False` such a folder is not read
            (`CK-FILE-001`; see `clusterkit.io.following_symlinks`). Added in
            version 0.2.0.
        limits: How far reading goes on hostile input (default: the limits in
            force, `clusterkit.Limits()` unless `Limits.applied`), in this
            process and in each of the `jobs`; a record that crosses one is
            left out. Added in version 0.2.0.

    Returns:
        The KPIs, their breakdown groups and what was left out.

    Raises:
        ValueError: An unknown breakdown, a filter naming a generation or a
            partnership the data does not have, a date range that ends before
            it starts, a target country that is not a country, `jobs` < 1, a
            `select` or `ignore` entry that names no rule, or `select`,
            `ignore` or `thresholds` with `validate=False` (which checks none
            of those rules).
        TypeError: `jobs` is not an `int`; `validate` is not a bool; `select`, `ignore`, `by`,
            `generation`, `partnership` or `target_country` is not a string or
            strings; `thresholds` is not a `Thresholds`; `start`, `end` or
            `as_of` is not a `datetime.date`; `source` is none of the kinds
            `load_dataset` reads; or `limits` is not a `Limits`.

    Examples:
        >>> import datetime as dt
        >>> import clusterkit as ck
        >>> result = ck.compute_kpis(ck.load_example(), as_of=dt.date(2026, 1, 1))
        >>> result["partnerships"], result.complete
        (6, True)
        >>> ck.compute_kpis(ck.load_example(), ignore="CK-DATE-004").complete
        True
    """
    if isinstance(jobs, bool) or not isinstance(jobs, int):
        msg = f"jobs must be a whole number, not {type(jobs).__name__}"
        raise TypeError(msg)
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
    in_force = chosen_limits(limits)
    options = gating_options(
        validate=validate,
        as_of=as_of,
        select=select,
        ignore=ignore,
        thresholds=thresholds,
    )
    # The pass makes many short-lived objects and few cycles; the cyclic
    # collector would walk the records and indexes again and again.
    with cycles_paused(), following_symlinks(follow_symlinks), in_force.applied():
        return _compute(
            source,
            scope,
            options,
            validate=validate,
            jobs=jobs,
            progress=progress,
            format=format,
            name=name,
        )


def _compute(
    source: Source,
    scope: Scope,
    options: Options,
    *,
    validate: bool,
    jobs: int,
    progress: Callable[[str, int], None] | None,
    format: str | None,  # noqa: A002 - as load_dataset
    name: str | None,
) -> KPIResult:
    if isinstance(source, Dataset) and not validate:
        gather = Gather(scope)
        gather.take_dataset(source)
        facts = gather.facts({})
        return finish(scope, facts, gather.tally, None, {})
    if jobs > 1 and isinstance(source, (str, os.PathLike)):
        result = run_sharded(
            Path(source),
            scope,
            options,
            jobs,
            current_limits(),
            format=format,
            name=name,
        )
        if result is not None:
            return finish(*result)
    outcome = run_pass(
        source, scope, options, progress=progress, format=format, name=name
    )
    return finish(scope, outcome.facts, outcome.tally, outcome.report, outcome.errors)


# Calling a KPI computes the KPIs of its scope: the KPIs use this engine.
KPI.engine = compute_kpis
