"""Benchmark reading records: clusterkit's readers against bare pydantic.

For the same generated activities written as JSON Lines and CSV, in one process:

- `iter_records` on the JSON Lines file, against a loop of pydantic's bare
  `ActivityRecord.model_validate_json(line)` over the same lines (DESIGN.md §10:
  at least 0.85x);
- `iter_records` on the CSV file, in rows per second;
- `load_dataset` on a folder with both, for scale.

Run it from the repository root::

    python bench/reading.py            # 200,000 activities
    python bench/reading.py --rows 50000
"""

from __future__ import annotations

import argparse
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import clusterkit as ck
from clusterkit.testing import generate_dataset, iter_generated_activities


def _write(path: Path, layout: str, records: Sequence[ck.ActivityRecord]) -> None:
    """Write the activities as one table file of a per-table format."""
    writer = ck.io.format_named(layout).write_table
    assert writer is not None  # noqa: S101 - a per-table format writes tables
    writer(path, "activities", records, "iso")


def best_of(runs: int, works: Sequence[Callable[[], int]]) -> list[tuple[float, int]]:
    """The fastest of `runs` timings of each work, run in turn so load hits all alike."""
    best = [(float("inf"), 0)] * len(works)
    for _ in range(runs):
        for index, work in enumerate(works):
            start = time.perf_counter()
            result = work()
            best[index] = min(best[index], (time.perf_counter() - start, result))
    return best


def main(argv: Sequence[str] | None = None) -> int:
    """Write the files, time the readers and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args(argv)

    ds = generate_dataset(seed=11)
    activities = list(
        iter_generated_activities(
            seed=11,
            count=args.rows,
            partnerships=ds.partnerships,
            smes=ds.smes,
            targets=ds.targets,
        )
    )
    folder = Path(tempfile.mkdtemp())
    jsonl, csv_file = folder / "activities.jsonl", folder / "activities.csv"
    _write(jsonl, "jsonl", activities)
    _write(csv_file, "csv", activities)
    lines = jsonl.read_text(encoding="utf-8").splitlines()

    def bare() -> int:
        with jsonl.open(encoding="utf-8") as handle:
            count = 0
            for line in handle:
                ck.ActivityRecord.model_validate_json(line)
                count += 1
            return count

    def stream(path: Path) -> Callable[[], int]:
        return lambda: sum(1 for _ in ck.iter_records(path, ck.ActivityRecord))

    (bare_time, count), (jsonl_time, jsonl_count), (csv_time, csv_count) = best_of(
        args.runs, [bare, stream(jsonl), stream(csv_file)]
    )
    assert count == jsonl_count == csv_count == len(lines) == args.rows  # noqa: S101 - a sanity check of the benchmark itself

    print(f"## Reading {args.rows:,} activity records (best of {args.runs})\n")
    print("| reader | records/s | ratio to bare pydantic |")
    print("| --- | --- | --- |")
    for label, seconds in (
        ("pydantic `model_validate_json` per line (baseline)", bare_time),
        ("clusterkit `iter_records`, JSON Lines", jsonl_time),
        ("clusterkit `iter_records`, CSV", csv_time),
    ):
        print(f"| {label} | {args.rows / seconds:,.0f} | {bare_time / seconds:.2f}x |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
