"""The dataset the benchmarks share: the generator's small tables and many activities.

bench/validate.py and bench/kpis.py write the same CSV folder (same seed and
rows), so a ``--keep`` folder written by one serves the other.
"""

from __future__ import annotations

import json
import time
from collections.abc import Iterable
from pathlib import Path

import clusterkit as ck
from clusterkit.testing import generate_dataset, iter_generated_activities

SEED = 11


def small_tables() -> ck.Dataset:
    """The generator's small tables: clusters, SMEs, partnerships and targets."""
    return generate_dataset(seed=SEED, activities=0)


def generated_activities(base: ck.Dataset, rows: int) -> Iterable[ck.ActivityRecord]:
    """The `rows` generated activities of `base`'s partnerships, streamed."""
    return iter_generated_activities(
        seed=SEED,
        count=rows,
        partnerships=base.partnerships,
        smes=base.smes,
        targets=base.targets,
    )


def write_table(path: Path, table: str, records: Iterable[ck.ActivityRecord]) -> None:
    """Write one table as a CSV file, streaming the records (the CSV format's writer)."""
    writer = ck.io.format_named("csv").write_table
    assert writer is not None  # noqa: S101 - a per-table format writes tables
    writer(path, table, records, "iso")


def write_dataset(folder: Path, rows: int) -> None:
    """Write the small tables and `rows` activities as CSV files in `folder`."""
    base = small_tables()
    ck.dump_dataset(base, folder, layout="csv", overwrite=True)
    write_table(
        folder / "activities.csv", "activities", generated_activities(base, rows)
    )


def ensure_dataset(folder: Path, rows: int) -> None:
    """Write the dataset unless `folder` already holds this one (same rows, seed)."""
    stamp = folder.parent / "dataset.json"
    wanted = {"rows": rows, "seed": SEED, "clusterkit": ck.__version__}
    if stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")) == wanted:
        print(f"reusing {folder} ({rows:,} activities)")
        return
    stamp.unlink(missing_ok=True)
    print(f"writing {rows:,} activities to {folder} ...", flush=True)
    start = time.perf_counter()
    write_dataset(folder, rows)
    stamp.write_text(json.dumps(wanted), encoding="utf-8")
    print(f"written in {time.perf_counter() - start:.1f} s")
