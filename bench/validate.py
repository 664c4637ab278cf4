"""Benchmark validating a dataset: `clusterkit validate` beside `frictionless validate`.

Writes a CSV dataset (the generator's small tables and a large, streamed
activities table), a Frictionless data package over the same files with the
checks Frictionless can express (types, required cells, vocabularies, patterns,
minimums, primary keys, foreign keys on single-id fields), then times both
command lines as child processes, alternating, in one invocation:

- ``python -m clusterkit validate FOLDER --format json --output /dev/null
  --as-of 2026-01-01`` (exit 0 or 1: findings are allowed);
- ``python -m frictionless validate datapackage.json --json``.

For each it reports the wall time and the child's peak resident memory
(``ru_maxrss`` from `os.wait4`, Linux), against the targets of DESIGN.md §10:
at least 150,000 activity rows/s, at least 6x Frictionless, under 150 MB peak
for 1,000,000 rows. MB here are 10^6 bytes.

The comparison favours Frictionless: it cannot check the ``;``-separated list
fields (``members``, ``smes``, ``clusters``) as foreign keys, nor dates against
periods, countries, counters or any rule across tables beyond single-id
foreign keys, all of which clusterkit does.

Run it from the repository root in an environment with the peers installed::

    python -m pip install -e . -r bench/requirements.txt
    python bench/validate.py                      # 1,000,000 activities
    python bench/validate.py --rows 200000 --runs 3
    python bench/validate.py --keep /tmp/ck-bench  # reuse the files next time
"""

from __future__ import annotations

import argparse
import csv
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import attrs

import clusterkit as ck
from _dataset import ensure_dataset
from clusterkit.models import TABLES
from clusterkit.schema import table_schema

AS_OF = "2026-01-01"
TOOLS = ("clusterkit", "frictionless")
# DESIGN.md §10.
TARGET_ROWS_PER_SECOND = 150_000
TARGET_RATIO = 6.0
TARGET_PEAK_MB = 150.0
TARGET_PEAK_ROWS = 1_000_000  # the peak-memory target is for this many rows
# Exit codes of `clusterkit validate` that mean it ran: clean, or findings.
CLUSTERKIT_RAN = frozenset({0, 1})
# Frictionless errors that mean the package or a schema is wrong, not the data.
STRUCTURAL_ERRORS = frozenset({
    "package-error", "resource-error", "schema-error", "field-error",
    "check-error", "checklist-error", "dialect-error", "detector-error",
    "source-error", "scheme-error", "format-error", "encoding-error",
    "compression-error",
})  # fmt: skip
# The ';'-separated list fields that refer to other tables: a Table Schema
# foreign key needs one id per cell, so Frictionless leaves these unchecked.
LIST_REFERENCES = (
    "partnerships.members",
    "smes.clusters",
    "activities.clusters",
    "activities.smes",
)


@attrs.frozen
class Run:
    """One timed child process."""

    tool: str
    seconds: float
    peak_kib: int
    exit_code: int

    @property
    def peak_mb(self) -> float:
        """Peak resident memory in MB (10^6 bytes)."""
        return self.peak_kib * 1024 / 1_000_000


def has_data_rows(path: Path) -> bool:
    """Whether a CSV file has a row after its header."""
    with path.open(encoding="utf-8", newline="") as handle:
        reader = csv.reader(handle)
        next(reader, None)
        return next(reader, None) is not None


def data_package(root: Path, folder: Path) -> dict[str, Any]:
    """A data package over the CSV files in `folder`, paths relative to `root`.

    Each resource has the table's schema from `clusterkit.schema.table_schema`
    (with its primary key and single-id foreign keys: partnerships.coordinator,
    targets.partnership, activities.partnership). partnerships.generation is a
    foreign key to generations only when generations.csv has rows: clusterkit
    also accepts the shipped generations, which Frictionless cannot see.
    """
    resources = []
    for table in TABLES:
        path = folder / f"{table}.csv"
        if not path.exists():
            continue
        schema = table_schema(table)
        if table == "partnerships" and has_data_rows(folder / "generations.csv"):
            schema.setdefault("foreignKeys", []).append(
                {
                    "fields": "generation",
                    "reference": {"resource": "generations", "fields": "id"},
                }
            )
        resources.append(
            {
                "name": table,
                "type": "table",
                "path": path.relative_to(root).as_posix(),
                "scheme": "file",
                "format": "csv",
                "mediatype": "text/csv",
                "encoding": "utf-8",
                "schema": schema,
            }
        )
    return {"name": "clusterkit-benchmark", "resources": resources}


def describe_package(package: dict[str, Any]) -> None:
    """Print the checks the data package gives Frictionless."""
    keys = []
    for resource in package["resources"]:
        for key in resource["schema"].get("foreignKeys", []):
            reference = key["reference"]
            keys.append(
                f"{resource['name']}.{key['fields']} -> "
                f"{reference['resource']}.{reference['fields']}"
            )
    print(f"frictionless foreign keys: {', '.join(keys)}")
    print("not checkable by frictionless (list fields): " + ", ".join(LIST_REFERENCES))


def measure(tool: str, command: Sequence[str], output: Path) -> Run:
    """Run `command` with stdout to `output`; its wall time and peak memory."""
    with (
        output.open("wb") as stdout,
        output.with_suffix(".err").open("wb") as stderr,
    ):
        start = time.perf_counter()
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr)  # noqa: S603 - a fixed command
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - start
    exit_code = os.waitstatus_to_exitcode(status)
    process.returncode = exit_code  # reaped by wait4; Popen must not wait again
    return Run(tool, seconds, usage.ru_maxrss, exit_code)


def failure(run: Run, output: Path) -> str | None:
    """Why `run` does not count as a validation of the files, or None when it does."""
    errors = output.with_suffix(".err").read_text(encoding="utf-8", errors="replace")
    tail = "\n".join(errors.strip().splitlines()[-15:])
    if run.tool == "clusterkit":
        if run.exit_code in CLUSTERKIT_RAN:
            return None
        return f"clusterkit exited with {run.exit_code}:\n{tail}"
    try:
        report = json.loads(output.read_text(encoding="utf-8"))
    except json.JSONDecodeError:
        return f"frictionless wrote no JSON report (exit {run.exit_code}):\n{tail}"
    wrong = [
        f"{error.get('type')}: {error.get('message')}"
        for error in report_errors(report)
        if error.get("type") in STRUCTURAL_ERRORS
    ]
    return "\n".join(["frictionless rejects the package:", *wrong]) if wrong else None


def report_errors(report: dict[str, Any]) -> list[dict[str, Any]]:
    """Every error of a Frictionless report, the package's and each resource's."""
    errors: list[dict[str, Any]] = list(report.get("errors", []))
    for task in report.get("tasks", []):
        errors.extend(task.get("errors", []))
    return errors


def summarise_frictionless(output: Path) -> str:
    """Rows read per resource and the error types Frictionless found."""
    report = json.loads(output.read_text(encoding="utf-8"))
    counts: dict[str, int] = {}
    for error in report_errors(report):
        kind = str(error.get("type"))
        counts[kind] = counts.get(kind, 0) + 1
    rows = ", ".join(
        f"{task.get('name')} {task.get('stats', {}).get('rows', 0)}"
        for task in report.get("tasks", [])
    )
    found = ", ".join(f"{n} {kind}" for kind, n in sorted(counts.items())) or "none"
    return f"rows read: {rows}; errors: {found}"


def version(package: str) -> str:
    """An installed package's version, or "not installed"."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def print_table(rows: int, best: dict[str, Run]) -> None:
    """The timing table, the ratio and the §10 targets."""
    print("| tool | seconds | rows/s | peak MB |")
    print("| --- | --- | --- | --- |")
    for tool, run in best.items():
        print(
            f"| {tool} | {run.seconds:.2f} | {rows / run.seconds:,.0f} "
            f"| {run.peak_mb:.0f} |"
        )
    if len(best) < len(TOOLS):
        return
    ck_run, fl_run = best["clusterkit"], best["frictionless"]
    ratio = fl_run.seconds / ck_run.seconds
    print(f"\nfrictionless / clusterkit time: {ratio:.1f}x")
    print("\n## DESIGN.md §10 targets\n")
    for label, holds in (
        (
            f"clusterkit >= {TARGET_ROWS_PER_SECOND:,} rows/s",
            rows / ck_run.seconds >= TARGET_ROWS_PER_SECOND,
        ),
        (f"clusterkit >= {TARGET_RATIO:.0f}x frictionless", ratio >= TARGET_RATIO),
        (
            f"clusterkit peak < {TARGET_PEAK_MB:.0f} MB"
            + (
                ""
                if rows >= TARGET_PEAK_ROWS
                else f" (at {rows:,} rows, not {TARGET_PEAK_ROWS:,})"
            ),
            ck_run.peak_mb < TARGET_PEAK_MB,
        ),
    ):
        print(f"- {label}: {'holds' if holds else 'FAILS'}")


def main(argv: Sequence[str] | None = None) -> int:
    """Write the files, time both validators and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=1)
    parser.add_argument(
        "--keep", type=Path, help="write the files here and reuse them next time"
    )
    parser.add_argument(
        "--only", choices=TOOLS, action="append", help="time only this tool"
    )
    args = parser.parse_args(argv)
    tools: tuple[str, ...] = tuple(args.only) if args.only else TOOLS

    print(
        f"python {platform.python_version()}, clusterkit {ck.__version__}, "
        f"frictionless {version('frictionless')}, pydantic {version('pydantic')}"
    )
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep.resolve() if args.keep else Path(scratch)
        folder = root / "dataset"
        folder.mkdir(parents=True, exist_ok=True)
        ensure_dataset(folder, args.rows)
        package = data_package(root, folder)
        package_path = root / "datapackage.json"
        package_path.write_text(json.dumps(package, indent=2), encoding="utf-8")
        describe_package(package)

        commands = {
            "clusterkit": [
                sys.executable, "-m", "clusterkit", "validate", str(folder),
                "--format", "json", "--output", os.devnull, "--as-of", AS_OF,
            ],
            "frictionless": [
                sys.executable, "-m", "frictionless", "validate", str(package_path),
                "--json",
            ],
        }  # fmt: skip
        best: dict[str, Run] = {}
        for number in range(1, args.runs + 1):
            for tool in tools:
                output = Path(scratch) / f"{tool}.out"
                run = measure(tool, commands[tool], output)
                problem = failure(run, output)
                if problem:
                    print(problem, file=sys.stderr)
                    return 1
                note = (
                    f" ({summarise_frictionless(output)})"
                    if tool == "frictionless"
                    else ""
                )
                print(
                    f"run {number} {tool}: {run.seconds:.2f} s, {run.peak_mb:.0f} MB, "
                    f"exit {run.exit_code}{note}",
                    flush=True,
                )
                previous = best.get(tool)
                best[tool] = attrs.evolve(
                    min(previous, run, key=lambda r: r.seconds) if previous else run,
                    peak_kib=max(run.peak_kib, previous.peak_kib if previous else 0),
                )

    print(
        f"\n## Validating {args.rows:,} activity rows "
        f"(best time, highest peak of {args.runs} run(s))\n"
    )
    print_table(args.rows, best)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
