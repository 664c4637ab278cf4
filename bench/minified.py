"""Benchmark reading a JSON document written on one line against the same one pretty-printed.

The document reader decodes record by record from a sliding buffer; a minified
document is one long line, which it must read in linear time too (issue 17).
For each size, the same generated dataset is written pretty-printed (a record
per line, as `clusterkit convert` writes it) and minified (one line), and
`clusterkit.validate` times both: the minified one within 1.5x of the other.

Run it from the repository root::

    python bench/minified.py                 # 25 MB and 100 MB
    python bench/minified.py --megabytes 5
"""

from __future__ import annotations

import argparse
import json
import tempfile
import time
from pathlib import Path

import clusterkit as ck
from _dataset import SEED, generated_activities, small_tables

_ROWS_PER_MEGABYTE = 2_600  # generated activities in one megabyte of JSON, roughly


def write_documents(folder: Path, megabytes: int) -> tuple[Path, Path]:
    """Write the dataset pretty-printed and minified; their paths."""
    pretty = folder / f"pretty-{megabytes}.json"
    minified = folder / f"minified-{megabytes}.json"
    base = small_tables()
    dataset = ck.Dataset(
        generations=base.generations,
        clusters=base.clusters,
        smes=base.smes,
        partnerships=base.partnerships,
        targets=base.targets,
        activities=tuple(generated_activities(base, megabytes * _ROWS_PER_MEGABYTE)),
    )
    ck.dump_dataset(dataset, pretty, layout="json", overwrite=True)
    with pretty.open(encoding="utf-8") as source:
        document = json.load(source)
    with minified.open("w", encoding="utf-8") as target:
        json.dump(document, target, separators=(",", ":"))
    return pretty, minified


def timed(path: Path) -> tuple[float, int]:
    """Seconds to validate a document, and its number of findings."""
    start = time.perf_counter()
    report = ck.validate(path)
    return time.perf_counter() - start, len(report.findings)


def main(argv: list[str] | None = None) -> int:
    """Run the benchmark; 1 when a minified document is not within 1.5x."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, nargs="+", default=[25, 100])
    args = parser.parse_args(argv)
    print(f"seed {SEED}")
    worst = 0.0
    with tempfile.TemporaryDirectory() as tmp:
        for megabytes in args.megabytes:
            pretty, minified = write_documents(Path(tmp), megabytes)
            pretty_s, pretty_n = timed(pretty)
            minified_s, minified_n = timed(minified)
            ratio = minified_s / pretty_s
            worst = max(worst, ratio)
            print(
                f"{pretty.stat().st_size / 1e6:6.1f} MB pretty-printed: "
                f"{pretty_s:6.1f} s ({pretty_n} findings); "
                f"{minified.stat().st_size / 1e6:6.1f} MB minified: "
                f"{minified_s:6.1f} s ({minified_n} findings); {ratio:.2f}x"
            )
    return 0 if worst <= 1.5 else 1  # noqa: PLR2004 - the target of issue 17


if __name__ == "__main__":
    raise SystemExit(main())
