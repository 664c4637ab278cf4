"""When the KPI pass should add a batch per cell, and when row by row.

The KPI pass groups a batch of 1,000 activities by cell (partnership, and the
breakdown values) and adds each group with whole-column operations, unless the
cells average fewer rows than a threshold: then it adds the batch row by row.
A `Dataset`'s rows are grouped by partnership as they come (`_LARGE_ROW_GROUP`);
with a breakdown, they become columns first, grouped by cell (`_LARGE_GROUP`).
This script measures where one way overtakes the other. For each number of
partnerships it builds a `Dataset` whose activities take turns among them (as
the generator writes them: the worst case, every batch holds every partnership)
and times `compute_kpis(ds, validate=False)` three ways, in turn: every batch
per cell, every batch row by row, and as shipped::

    python bench/tally_groups.py
    python bench/tally_groups.py --activities 200000 --runs 5 --by year

It patches private constants of `clusterkit.kpis._tally`: a tuning bench for
the developers, not a use of the library.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime as dt
import gc
import statistics
import time
from collections.abc import Sequence
from unittest import mock

import clusterkit as ck
from clusterkit.testing import generate_dataset

AS_OF = dt.date(2026, 1, 1)
WAYS = {"per cell": 0, "row by row": 10**9, "as shipped": None}
# The thresholds of a batch given as columns and as rows (a `Dataset`'s).
THRESHOLDS = (
    "clusterkit.kpis._tally._LARGE_GROUP",
    "clusterkit.kpis._tally._LARGE_ROW_GROUP",
)


def seconds(ds: ck.Dataset, by: Sequence[str], threshold: int | None) -> float:
    """The time of one `compute_kpis(ds, validate=False)`, the threshold set if given."""
    gc.collect()
    with contextlib.ExitStack() as patches:
        if threshold is not None:
            for name in THRESHOLDS:
                patches.enter_context(mock.patch(name, threshold))
        start = time.perf_counter()
        ck.compute_kpis(ds, validate=False, as_of=AS_OF, by=by or None)
        return time.perf_counter() - start


def main(argv: Sequence[str] | None = None) -> int:
    """Print, per number of partnerships, the median time of each way."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--activities", type=int, default=100_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--partnerships", default="6,24,48,64,96,160", help="comma-separated"
    )
    parser.add_argument("--by", default="", help="breakdowns, comma-separated")
    args = parser.parse_args(argv)
    by = [name for name in args.by.split(",") if name]
    print(
        f"compute_kpis(ds, validate=False) on {args.activities:,} activities"
        f"{', by ' + ', '.join(by) if by else ''}; medians of {args.runs}"
    )
    print(
        "| partnerships | rows per partnership in a batch | " + " | ".join(WAYS) + " |"
    )
    print("| --- | --- |" + " --- |" * len(WAYS))
    for count in (int(part) for part in args.partnerships.split(",")):
        ds = generate_dataset(
            seed=1,
            partnerships=count,
            clusters=max(25, 2 * count),
            smes=2_000,
            activities=args.activities,
        )
        times: dict[str, list[float]] = {way: [] for way in WAYS}
        for _ in range(args.runs):
            for way, threshold in WAYS.items():
                times[way].append(seconds(ds, by, threshold))
        cells = " | ".join(f"{statistics.median(times[way]):.3f} s" for way in WAYS)
        print(f"| {count} | {1000 // count} | {cells} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
