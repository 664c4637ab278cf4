"""Benchmark one command under two versions of clusterkit, side by side.

Shared machines are noisy: a figure means something only beside a baseline run
in the same minutes. This script runs a `clusterkit` command line as a child
process under this checkout's `src/` and under a baseline's (another checkout or
worktree, e.g. of `main` before a change), alternating, and reports the median
wall time and peak memory (`ru_maxrss`, Linux) of each and their ratio.

The default command validates the benchmark dataset of `bench/validate.py`
(1,000,000 generated activities, written once and reused)::

    git worktree add ../base main
    python bench/versions.py --baseline ../base/src
    python bench/versions.py --baseline ../base/src --rows 200000 --runs 5
    python bench/versions.py --baseline ../base/src -- kpis {data} --format json

`{data}` in a given command stands for the dataset folder; a command without
it names its own data, and the benchmark dataset is not written.
"""

from __future__ import annotations

import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from _dataset import ensure_dataset

ROOT = Path(__file__).resolve().parents[1]
DEFAULT_COMMAND = (
    "validate",
    "{data}",
    "--format",
    "json",
    "--output",
    os.devnull,
    "--as-of",
    "2026-01-01",
)


def run_once(src: Path, command: Sequence[str]) -> tuple[float, float]:
    """Wall seconds and peak MB of one child `python -m clusterkit COMMAND`."""
    environment = {**os.environ, "PYTHONPATH": str(src), "CI": "true"}
    start = time.perf_counter()
    child = subprocess.Popen(  # noqa: S603 - our own interpreter and arguments
        [sys.executable, "-m", "clusterkit", *command],
        env=environment,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
    )
    _, status, usage = os.wait4(child.pid, 0)
    elapsed = time.perf_counter() - start
    code = os.waitstatus_to_exitcode(status)
    if code not in {0, 1}:  # findings are allowed; a usage or internal error is not
        error = child.stderr.read().decode() if child.stderr else ""
        msg = f"{src}: exit {code}: {error}"
        raise SystemExit(msg)
    return elapsed, usage.ru_maxrss / 1000


def main(argv: Sequence[str] | None = None) -> None:
    """Run the comparison and print the medians and ratios."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--baseline", type=Path, required=True, metavar="SRC")
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument("--keep", type=Path, help="where the dataset is kept")
    parser.add_argument("command", nargs="*", help="after --: a clusterkit command")
    args = parser.parse_args(argv)
    keep = args.keep or Path(tempfile.gettempdir()) / "clusterkit-bench"
    data = keep / "data"
    given = args.command or DEFAULT_COMMAND
    uses_data = any("{data}" in part for part in given)
    if uses_data:
        # Only then: writing it would also raise the peak memory that every
        # child reports (Linux keeps ru_maxrss across fork and exec).
        ensure_dataset(data, args.rows)
    command = [part.format(data=data) for part in given]
    trees = {"this": ROOT / "src", "baseline": args.baseline.resolve()}
    times: dict[str, list[float]] = {name: [] for name in trees}
    peaks: dict[str, list[float]] = {name: [] for name in trees}
    rows = f"  ({args.rows:,} activities)" if uses_data else ""
    print(f"clusterkit {' '.join(command)}{rows}")
    for run in range(args.runs):
        # Alternate which goes first, so a trend in the load hits both alike.
        order = list(trees) if run % 2 == 0 else list(reversed(trees))
        for name in order:
            elapsed, peak = run_once(trees[name], command)
            times[name].append(elapsed)
            peaks[name].append(peak)
            print(f"  run {run + 1} {name:<8} {elapsed:7.2f} s {peak:7.0f} MB")
    this, base = (statistics.median(times[name]) for name in trees)
    this_peak, base_peak = (statistics.median(peaks[name]) for name in trees)
    print(
        f"median: this {this:.2f} s, baseline {base:.2f} s, ratio {this / base:.3f}; "
        f"peak: this {this_peak:.0f} MB, baseline {base_peak:.0f} MB"
    )


if __name__ == "__main__":
    main()
