"""Private: `compute_kpis(..., jobs=N)` — a large activities file shared by N processes.

The file is cut into shards (`clusterkit._scan.split_csv`, `split_jsonl`), each
process validates the small tables and its shard and tallies its activities, and
the tallies merge. Whatever would make the parts disagree with one pass — a file
that does not read cleanly, a lone carriage return, an activity id repeated across
parts — makes the caller compute in one process instead: slower, never different.
"""

from __future__ import annotations

import array
import csv
import functools
import multiprocessing
import signal
import time
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from multiprocessing.process import BaseProcess
from pathlib import Path

import attrs

from clusterkit._limits import DEFAULT_LIMITS, Limits
from clusterkit._output import signals_held
from clusterkit._scan import Shard, split_csv, split_jsonl
from clusterkit.errors import DatasetReadError
from clusterkit.io import FILE_RULES, UNREADABLE, Layout, detect_layout
from clusterkit.kpis._gather import Facts
from clusterkit.kpis._pass import TABLE_ORDER, Pass, run_pass
from clusterkit.kpis._scope import Scope
from clusterkit.kpis._tally import Tally
from clusterkit.report import CATALOGUE, Finding, Report, Summary
from clusterkit.rules import Options, relink_causes

__all__ = ["run_sharded"]

Outcome = tuple[Scope, Facts, Tally, Report, dict[tuple[str | None, str, bool], int]]


@attrs.frozen
class _Part:
    """What one process sends back."""

    clean: bool
    outcome: Pass | None = None
    digests: bytes = b""


def _run_part(
    path: Path,
    scope: Scope,
    options: Options,
    shard: Shard,
    limits: Limits = DEFAULT_LIMITS,
    *,
    format: str | None = None,  # noqa: A002 - as load_dataset
    name: str | None = None,
) -> _Part:
    try:
        # A process of its own, spawned or forked: the caller's limits are
        # in force only when set here again.
        with limits.applied():
            outcome = run_pass(path, scope, options, shard, format=format, name=name)
    except (UnicodeDecodeError, csv.Error):
        # The part does not read cleanly: one process reads the file and
        # reports where.
        return _Part(clean=False)
    if any(rule == UNREADABLE.id for _, rule, _ in outcome.errors):
        return _Part(clean=False)  # likewise, for a reader that reports it
    digests = array.array("Q", outcome.digests).tobytes()
    outcome.digests = set()
    return _Part(clean=True, outcome=outcome, digests=digests)


def run_sharded(
    path: Path,
    scope: Scope,
    options: Options,
    jobs: int,
    limits: Limits = DEFAULT_LIMITS,
    *,
    format: str | None = None,  # noqa: A002 - as load_dataset
    name: str | None = None,
) -> Outcome | None:
    """Compute with `jobs` processes; `None`: the source is read in one process instead."""
    try:
        layout = detect_layout(path)
    except DatasetReadError:
        return None  # one process reports what is wrong with it
    if layout not in {Layout.CSV, Layout.JSONL}:
        return None
    file = path / f"activities.{layout}"
    if not file.is_file():
        return None
    split = split_csv if layout is Layout.CSV else split_jsonl
    shards = split(file, jobs)
    if len(shards) < 2:  # noqa: PLR2004 - one shard is the whole file
        return None
    tasks = [
        functools.partial(
            _run_part, path, scope, options, shard, limits, format=format, name=name
        )
        for shard in shards
    ]
    parts = _in_processes(tasks)
    outcomes = [part.outcome for part in parts if part.clean and part.outcome]
    if len(outcomes) != len(parts) or _repeats_across(parts):
        return None
    return _merge(scope, outcomes, options)


# How long stopped workers get to end before they are killed, in seconds.
_GRACE = 2.0


def _in_processes(tasks: Sequence[Callable[[], _Part]]) -> list[_Part]:
    """Run each task in a process of its own, with a pipe of its own for its part.

    No lock or queue is shared, so a worker stopped anywhere cannot leave the
    others or the caller waiting. Ctrl-C, SIGTERM or an error stops them all:
    terminated, then killed after `_GRACE`, and reaped.
    """
    # Fork where there is one: no re-import of the caller's script (which
    # spawn would run again without an `if __name__ == "__main__"` guard).
    methods = multiprocessing.get_all_start_methods()
    context = (
        multiprocessing.get_context("fork")
        if "fork" in methods
        else multiprocessing.get_context("spawn")
    )
    workers: list[tuple[BaseProcess, Connection]] = []
    try:
        # Started with the signals held: each inherits the mask and lets the
        # caller decide before it takes a signal.
        with signals_held():
            for task in tasks:
                receiver, sender = context.Pipe(duplex=False)
                worker = context.Process(target=_work, args=(task, sender), daemon=True)
                worker.start()
                sender.close()  # the worker's end: EOF here when it ends
                workers.append((worker, receiver))
        parts = [_received(process, receiver) for process, receiver in workers]
        for process, _ in workers:
            process.join()  # it sent its part: it is ending
    except BaseException:
        _stop([process for process, _ in workers])
        raise
    finally:
        for _, receiver in workers:
            receiver.close()
    return parts


def _work(task: Callable[[], _Part], sender: Connection) -> None:
    """A worker process: run the task, send its part (or the error it raised)."""
    # Ctrl-C reaches every process of the terminal's group: the caller decides,
    # and stops the workers with SIGTERM, which ends them at once (no handler
    # of the caller's, inherited through fork, turns it into an exception).
    # The signals are held since the caller started this process; they are
    # let through when the handlers are set.
    with signals_held():
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_DFL)
    result: _Part | Exception
    try:
        result = task()
    except Exception as error:  # noqa: BLE001 - raised again by the caller
        result = error
    sender.send(result)
    sender.close()


def _received(worker: BaseProcess, receiver: Connection) -> _Part:
    """A worker's part; its error raised here."""
    try:
        result = receiver.recv()
    except EOFError:
        worker.join()
        msg = f"a worker process ended without its part (exit code {worker.exitcode})"
        raise RuntimeError(msg) from None
    if isinstance(result, Exception):
        raise result
    part: _Part = result
    return part


def _stop(workers: Sequence[BaseProcess]) -> None:
    """Terminate the workers, kill those still running after `_GRACE`, reap them all."""
    for worker in workers:
        worker.terminate()
    deadline = time.monotonic() + _GRACE
    for worker in workers:
        worker.join(max(0.0, deadline - time.monotonic()))
    for worker in workers:
        if worker.exitcode is None:
            worker.kill()
            worker.join()


def _repeats_across(parts: Sequence[_Part]) -> bool:
    """Whether an activity id (digest) occurs in two parts."""
    seen: set[int] = set()
    for part in parts:
        digests = array.array("Q")
        digests.frombytes(part.digests)
        before = len(seen)
        seen.update(digests)
        if len(seen) - before < len(set(digests)):
            return True
    return False


def _activity_row(key: tuple[str | None, str, bool]) -> bool:
    return key[0] == "activities" and key[2]


def _merge(scope: Scope, outcomes: Sequence[Pass], options: Options) -> Outcome:
    # Every part read the small tables: take them (and their findings) from the
    # first; each part's own activity rows are its own.
    first = outcomes[0]
    tally = Tally(dimensions=first.tally.dimensions)
    for outcome in outcomes:
        tally.merge(outcome.tally)
    used = dict(first.facts.used)
    excluded = dict(first.facts.excluded)
    used["activities"] = sum(o.facts.used["activities"] for o in outcomes)
    excluded["activities"] = sum(o.facts.excluded["activities"] for o in outcomes)
    facts = attrs.evolve(first.facts, used=used, excluded=excluded)
    errors = {key: n for key, n in first.errors.items() if not _activity_row(key)}
    for outcome in outcomes:
        for key, n in outcome.errors.items():
            if _activity_row(key):
                errors[key] = errors.get(key, 0) + n
    return scope, facts, tally, _merge_reports(outcomes, errors, options), errors


# Findings of a file or its header: every part reads them alike. A field given
# twice (CK-HDR-004) is one record's, as the error counts take it.
_FILE_RULES = frozenset(rule.id for rule in FILE_RULES)


def _is_activity_finding(finding: Finding) -> bool:
    """A finding about an activity row: each part has its own (headers: all alike)."""
    return (
        finding.entity is not None
        and finding.entity.table == "activities"
        and finding.rule not in _FILE_RULES
        and (finding.location.line is not None or finding.location.pointer is not None)
    )


def _met(finding: Finding) -> tuple[int, int, int]:
    """When one process meets a finding: table by table, then the dataset-wide checks."""
    table = finding.entity.table if finding.entity is not None else None
    position = TABLE_ORDER.index(table) if table in TABLE_ORDER else 0
    if CATALOGUE[finding.rule].stage != "dataset":
        return (0, position, 0)
    # The dataset-wide checks run in catalogue order (duplicate ids first).
    return (1, _ORDER[finding.rule], position)


_ORDER = {rule: index for index, rule in enumerate(CATALOGUE)}


def _merge_reports(
    outcomes: Sequence[Pass],
    errors: dict[tuple[str | None, str, bool], int],
    options: Options,
) -> Report:
    """One report: the counts, summary and so exit code of one process.

    Up to `max_findings`, the findings are those one process keeps. Beyond it,
    which are kept may differ: each part kept its own first findings, so the
    merged list is cut from what the parts kept, not from every finding.
    """
    first = outcomes[0].report
    met = [
        (finding, 0) for finding in first.findings if not _is_activity_finding(finding)
    ]
    for part, outcome in enumerate(outcomes):
        met.extend(
            (finding, part)
            for finding in outcome.report.findings
            if _is_activity_finding(finding)
        )
    # One process keeps the first findings it meets: put them in that order
    # (over the limit, a finding a part left out cannot be put back).
    met.sort(key=lambda item: (_met(item[0]), item[1], item[0].sort_key()))
    limit = options.max_findings
    kept = relink_causes(
        [finding for finding, _ in (met if limit is None else met[:limit])]
    )
    kept.sort(key=lambda finding: finding.sort_key())
    by_rule = dict(first.summary.by_rule)
    for key, n in outcomes[0].errors.items():
        if _activity_row(key):
            by_rule[key[1]] -= n
    for key, n in errors.items():
        if _activity_row(key):
            by_rule[key[1]] = by_rule.get(key[1], 0) + n
    by_rule = {rule: n for rule, n in sorted(by_rule.items()) if n}
    added = sum(by_rule.values()) - sum(first.summary.by_rule.values())
    summary = Summary(
        error=first.summary.error + added,
        warning=first.summary.warning,
        info=first.summary.info,
        by_rule=by_rule,
        shown=len(kept),
        total=sum(by_rule.values()),
    )
    return attrs.evolve(first, findings=tuple(kept), summary=summary)
