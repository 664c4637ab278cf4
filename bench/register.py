"""Issue 10's comparisons on the programme register: data this project did not write.

The register (`clusterkit.reference.programme_path()`: 51 real partnerships,
their clusters and target markets, no activities) is written as a CSV folder
and a JSON Lines folder, and each kind is timed in one process, in turn, many
times; the figures are medians:

- `validate` on the CSV folder and on the JSON Lines folder (speed ratio);
- `compute_kpis` from the CSV folder and from the `Dataset` in memory (time
  ratio), and `compute_kpis(ds, validate=False)` for scale;
- the clusters read as records: `iter_records` on the JSON Lines file against
  pydantic's bare `Cluster.model_validate_json` per line (DESIGN.md §10).

The data are small: these figures are mostly the fixed work of a call, which
`bench/formats.py` cannot show on a million generated activities. Run it from
the repository root::

    python bench/register.py
    python bench/register.py --runs 100
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import statistics
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path

import clusterkit as ck
from clusterkit.reference import programme_path

AS_OF = dt.date(2026, 12, 1)


def kinds(folder: Path, dataset: ck.Dataset) -> dict[str, Callable[[], object]]:
    """What is timed, by name."""
    csv, jsonl = folder / "csv", folder / "jsonl"
    clusters = jsonl / "clusters.jsonl"

    def bare() -> int:
        with clusters.open(encoding="utf-8") as handle:
            return len([ck.Cluster.model_validate_json(line) for line in handle])

    return {
        "clusters, bare pydantic": bare,
        "clusters, iter_records": lambda: sum(
            1 for _ in ck.iter_records(clusters, ck.Cluster)
        ),
        "validate CSV": lambda: ck.validate(csv, as_of=AS_OF),
        "validate JSON Lines": lambda: ck.validate(jsonl, as_of=AS_OF),
        "compute_kpis(csv_folder)": lambda: ck.compute_kpis(csv, as_of=AS_OF),
        "compute_kpis(ds)": lambda: ck.compute_kpis(dataset, as_of=AS_OF),
        "compute_kpis(ds, validate=False)": lambda: ck.compute_kpis(
            dataset, validate=False, as_of=AS_OF
        ),
    }


def measure(timed: dict[str, Callable[[], object]], runs: int) -> dict[str, float]:
    """The median seconds of each kind, the kinds run in turn."""
    seconds: dict[str, list[float]] = {name: [] for name in timed}
    for _ in range(runs):
        for name, call in timed.items():
            gc.collect()
            start = time.perf_counter()
            call()
            seconds[name].append(time.perf_counter() - start)
    return {name: statistics.median(values) for name, values in seconds.items()}


def main(argv: Sequence[str] | None = None) -> int:
    """Write the register in two layouts, time every kind, print the medians."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=40, help="runs (default 40)")
    args = parser.parse_args(argv)
    dataset = ck.load_dataset(programme_path())
    sizes = ", ".join(
        f"{len(dataset.table(table)):,} {table}"
        for table in ("partnerships", "clusters", "targets", "activities")
    )
    print(f"the programme register: {sizes}; medians of {args.runs} runs")
    with tempfile.TemporaryDirectory() as scratch:
        folder = Path(scratch)
        ck.dump_dataset(dataset, folder / "csv", layout="csv")
        ck.dump_dataset(dataset, folder / "jsonl", layout="jsonl")
        medians = measure(kinds(folder, dataset), args.runs)
    for name, value in medians.items():
        print(f"{name:34} {value * 1000:8.2f} ms")
    jsonl = medians["validate CSV"] / medians["validate JSON Lines"]
    memory = medians["compute_kpis(ds)"] / medians["compute_kpis(csv_folder)"]
    print(f"JSON Lines validate, speed / CSV's: {jsonl:.2f}x (target >= 0.80x)")
    print(f"compute_kpis(ds), time / from file: {memory:.2f}x (target <= 1.00x)")
    records = medians["clusters, bare pydantic"] / medians["clusters, iter_records"]
    print(f"iter_records, speed / bare pydantic's: {records:.2f}x (target >= 0.85x)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
