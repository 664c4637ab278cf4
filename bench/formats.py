"""Benchmark the reading layer: validating and computing KPIs from CSV, JSON Lines and memory.

What is measured, on `--rows` generated activities (default 1,000,000) and the
generator's small tables, for two data shapes, in one invocation:

- **validate CSV**: ``python -m clusterkit validate FOLDER --format json
  --output /dev/null --as-of 2026-01-01`` on the CSV folder, the whole command
  timed from outside (start-up and imports included, as in bench/validate.py),
  with activity rows/s and the peak resident memory. Target: no regression
  (for information; compare with bench/validate.py on the repetitive shape).
- **validate JSONL**: the same command on the same data written as a JSON
  Lines folder (``ck.dump_dataset(..., layout="jsonl")``). Target: at least
  0.8x the speed of validate CSV in the same run (CSV seconds / JSONL seconds).
- **KPIs from file**: ``ck.compute_kpis(csv_folder, as_of=2026-01-01)``.
- **KPIs in memory, validated**: ``ck.compute_kpis(ds, as_of=...)`` on a
  `ck.Dataset` that ``ck.load_dataset`` read from the JSON Lines folder before
  the timer. Target: at most the KPIs-from-file time of the same run.
- **KPIs in memory, no validation**: ``ck.compute_kpis(ds, validate=False)``
  (``as_of`` passed too; it only matters to the validator), beside DuckDB on
  preloaded tables: ``import duckdb``, the CSV files loaded into tables of an
  in-memory connection (one thread, as bench/kpis.py's baseline) and the small
  tables of third-country intervals, generations and protocol order built (with
  bench/kpis.py's helpers) before the timer; then bench/kpis.py's KPI SQL
  (``PREPARE`` and the KPI queries, their rows fetched) timed. Target: at most
  1.2x the DuckDB time of the same run. The KPIs must agree: DuckDB's with
  every clusterkit KPI run's, with bench/kpis.py's `differences` (KPIs,
  activities by type, target markets); any difference is printed and the exit
  status is 1. The time DuckDB's setup took is printed for information
  (bench/kpis.py times the interval table inside, here it is setup).

The two data shapes:

- **repetitive**: the generator's data exactly as bench/_dataset.py writes it
  (seed 11, the same small tables and activity stream), so figures compare with
  bench/validate.py and bench/kpis.py. 200,000 rows hold 1,424 distinct
  titles, no notes and 370 distinct ``smes`` cells naming 75 of the 80 SMEs.
- **varied**: the same activity rows (ids, partnerships, types, dates,
  countries, counters, clusters, number of SMEs listed) with many distinct
  values: every ``title`` ends in its row number, every ``notes`` is a sentence
  with its row number, and the ``smes`` lists are drawn from a pool of 20,000
  SMEs (200,000 rows: 65,588 distinct ``smes`` cells naming all 20,000), so
  the validator's and KPI engine's caches of distinct values help far less.
  The files are larger too (CSV about 1.55x, JSON Lines 1.3x: notes are
  given, titles longer, 20,000 SME rows). Target: every figure at most 25 %
  slower than the repetitive one (the varied / repetitive time ratio of the
  same run at most 1.25).

  How the SME pool is chosen, so that the two shapes differ in distinct
  values and not in findings: the validator warns when an activity lists an
  SME that is not a member of one of its partnership's member clusters
  (CK-SME-003), which the generator never does, and when no activity lists an
  SME (CK-ORPHAN-001). The SMEs come from ``generate_dataset`` with the same
  seed, the same 25 clusters and no partnerships: the seeded generator makes
  the clusters first, so they are the repetitive data's own (checked), and
  each SME is a member of one or two of them, as the generator makes SMEs.
  The pool is the first 20,000 of them that are members of a cluster in some
  partnership (in the repetitive data the 5 SMEs of clusters in no
  partnership are orphans; unfiltered, about 1,300 of the pool would be). The
  clusters, partnerships and targets are the repetitive shape's; the SMEs
  table holds the 20,000 SMEs instead of 80. Each activity keeps its number
  of listed SMEs, taken in turns from a shuffled queue of the SMEs of its
  partnership's member clusters (as the generator takes its SMEs), so every
  listed SME belongs to the partnership's clusters, as in the repetitive
  data, and every SME of the pool is listed before any is listed twice. About
  1.4 SMEs are listed per activity, so with fewer than some 50,000 rows part
  of the pool is not reached yet and is reported as orphans (warnings that
  the repetitive data do not have); from 200,000 rows on, none is.

How it is measured:

- The data are written once per shape before any timing, by a child process
  (a child started by a large parent would report the parent's peak memory):
  the CSV folder and the JSON Lines folder from the same records, activities
  streamed in chunks through ``ck.dump_dataset`` (each chunk's files appended
  to the folder's), so a million varied rows are never held at once. The
  repetitive CSV files are byte for byte those of bench/_dataset.py.
  ``--keep DIR`` writes them under DIR and reuses them while a stamp (rows,
  seed, shape, SME pool, clusterkit version) matches, like bench/_dataset.py's
  ``ensure_dataset``.
- Every run of every figure is a fresh child process (this script with
  ``--child``, or the command line for validate); the parent takes the peak
  resident memory from `os.wait4` (``ru_maxrss``, Linux; MB are 10^6 bytes).
  The KPI children time the call alone, without start-up, imports or loading.
- Each figure is the median of `--runs` runs (default 3). The runs go in turn:
  within a run, each figure for each shape, compared things next to each other
  (validate CSV, validate JSONL, KPIs from file, in memory validated, in memory
  not validated, DuckDB), the order reversed every other run, so load on the
  machine hits all alike. A ratio pairs the two figures of the same run, and
  the median of those ratios is printed. When the runs disagree about a
  target, the "met" column says in how many runs it was met ("met (met in 2
  of 3 runs)"), and ``--json`` gives ``runs_met``.

Run it from the repository root in an environment with the peers installed::

    python -m pip install -e . -r bench/requirements.txt
    python bench/formats.py                                  # 1,000,000 rows, 3 runs
    python bench/formats.py --rows 20000 --runs 1
    python bench/formats.py --keep /tmp/ck-formats --json formats.json
    python bench/formats.py --shape varied --only validate-jsonl,kpis-novalidate

``--only`` takes row names (validate-csv, validate-jsonl, kpis-file,
kpis-memory, kpis-novalidate); a row's comparison is measured with it. The
exit status is 1 when a child failed or the KPIs disagree.
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib
import itertools
import json
import os
import platform
import random
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

import clusterkit as ck
from _dataset import SEED, generated_activities, small_tables
from clusterkit.testing import generate_dataset
from kpis import (
    ACTIVITY_KPIS,
    BY_TYPE,
    CLUSTER_KPIS,
    NAMED_SMES,
    PARTNERSHIP_KPIS,
    PEER_TABLES,
    PREPARE,
    TARGET_MARKETS,
    check_headers,
    csv_source,
    describe_records,
    differences,
    generations_in_effect,
    load_columns,
    peer_result,
    third_country_intervals,
    version,
)
from validate import CLUSTERKIT_RAN

AS_OF = dt.date(2026, 1, 1)
# The varied shape's SME pool, and its seeds.
VARIED_SMES = 20_000
VARIED_SEED = f"clusterkit-bench:{SEED}:varied"
# Activities per chunk written through dump_dataset.
CHUNK = 20_000
SHAPES = ("repetitive", "varied")
# What runs as a child, in the order of a run (compared things adjoin).
VALIDATE_CSV = "validate-csv"
VALIDATE_JSONL = "validate-jsonl"
KPIS_FILE = "kpis-file"
KPIS_MEMORY = "kpis-memory"
KPIS_RAW = "kpis-novalidate"
DUCKDB = "duckdb"
KINDS = (VALIDATE_CSV, VALIDATE_JSONL, KPIS_FILE, KPIS_MEMORY, KPIS_RAW, DUCKDB)
ROWS = KINDS[:-1]  # what --only names; DuckDB comes with kpis-novalidate
LABELS = {
    VALIDATE_CSV: "validate CSV (`python -m clusterkit validate`, whole command)",
    VALIDATE_JSONL: "validate JSONL (the same command, JSON Lines folder)",
    KPIS_FILE: "KPIs from file (`compute_kpis(csv_folder)`)",
    KPIS_MEMORY: "KPIs in memory, validated (`compute_kpis(ds)`)",
    KPIS_RAW: "KPIs in memory, no validation (`compute_kpis(ds, validate=False)`)",
    DUCKDB: "DuckDB KPI SQL on preloaded tables, 1 thread",
}
# DuckDB's tables of the dataset, named apart from the SQL's own temp tables.
PRELOADED = {table: f"data_{table}" for table in PEER_TABLES}
# Targets: DESIGN.md §10 and the issue.
TARGET_JSONL_SPEED = 0.8  # validate JSONL speed / validate CSV speed, at least
TARGET_MEMORY_TIME = 1.0  # in memory validated / from file, at most
TARGET_DUCKDB_TIME = 1.2  # compute_kpis(ds, validate=False) / DuckDB, at most
TARGET_VARIED_TIME = 1.25  # varied / repetitive, at most
TAIL_LINES = 15  # of a failed child's stderr


@attrs.frozen
class Comparison:
    """What a row is compared with, in the same run, and the target of the ratio."""

    baseline: str
    target: float
    speed: bool  # a ratio of speeds (at least the target), else of times (at most)

    def ratio(self, seconds: float, baseline_seconds: float) -> float:
        """The ratio of one run: speeds (baseline time / own time) or times."""
        if self.speed:
            return baseline_seconds / seconds
        return seconds / baseline_seconds

    def met(self, ratio: float) -> bool:
        """Whether a ratio meets the target."""
        return ratio >= self.target if self.speed else ratio <= self.target

    def describe(self) -> str:
        """The target in words."""
        if self.speed:
            return f">= {self.target:.2f}x its speed"
        return f"<= {self.target:.2f}x its time"


COMPARISONS = {
    VALIDATE_JSONL: Comparison(VALIDATE_CSV, TARGET_JSONL_SPEED, speed=True),
    KPIS_MEMORY: Comparison(KPIS_FILE, TARGET_MEMORY_TIME, speed=False),
    KPIS_RAW: Comparison(DUCKDB, TARGET_DUCKDB_TIME, speed=False),
}

# Varied against repetitive, every figure (the baseline is the same kind).
VARIED = Comparison("repetitive", TARGET_VARIED_TIME, speed=False)


@attrs.frozen
class Folders:
    """One shape's data: a CSV folder and a JSON Lines folder of the same records."""

    csv: Path
    jsonl: Path


@attrs.frozen
class Run:
    """One child process: its figure, wall time, peak memory and what it reported."""

    kind: str
    shape: str
    number: int
    seconds: float | None  # the figure; None when the child failed
    wall_seconds: float
    peak_kib: int
    exit_code: int
    error: str | None = None
    result: dict[str, Any] | None = None
    details: dict[str, float] = attrs.field(factory=dict)

    @property
    def peak_mb(self) -> float:
        """Peak resident memory in MB (10^6 bytes)."""
        return self.peak_kib * 1024 / 1_000_000

    def to_dict(self) -> dict[str, Any]:
        """The raw timing, for --json (without the KPIs)."""
        return {
            "run": self.number,
            "seconds": self.seconds,
            "wall_seconds": self.wall_seconds,
            "peak_mb": round(self.peak_mb, 1),
            "exit_code": self.exit_code,
            "error": self.error,
            **self.details,
        }


# Writing the data -------------------------------------------------------------


def chunks(
    records: Iterable[ck.ActivityRecord],
) -> Iterator[tuple[ck.ActivityRecord, ...]]:
    """`records` in tuples of `CHUNK`."""
    iterator = iter(records)
    while chunk := tuple(itertools.islice(iterator, CHUNK)):
        yield chunk


def write_folders(
    folders: Folders,
    tables: ck.Dataset,
    activities: Iterable[ck.ActivityRecord],
    scratch: Path,
) -> int:
    """Write `tables` and the streamed `activities` as a CSV and a JSON Lines folder.

    Each chunk of activities is written by ``ck.dump_dataset`` into `scratch`
    and appended to the folders' activities files (the CSV file without its
    header), so only one chunk of records is held at a time.

    Returns:
        The number of activities written.

    Raises:
        SystemExit: A chunk's CSV header differs from the folder's.
    """
    ck.dump_dataset(tables, folders.csv, layout="csv", overwrite=True)
    ck.dump_dataset(tables, folders.jsonl, layout="jsonl", overwrite=True)
    csv_path = folders.csv / "activities.csv"
    header = csv_path.read_bytes()  # tables has no activities: the header alone
    written = 0
    parts = Folders(scratch / "chunk-csv", scratch / "chunk-jsonl")
    with (
        csv_path.open("ab") as csv_out,
        (folders.jsonl / "activities.jsonl").open("ab") as jsonl_out,
    ):
        for chunk in chunks(activities):
            part = ck.Dataset(activities=chunk)
            ck.dump_dataset(part, parts.csv, layout="csv", overwrite=True)
            ck.dump_dataset(part, parts.jsonl, layout="jsonl", overwrite=True)
            text = (parts.csv / "activities.csv").read_bytes()
            if not text.startswith(header):
                raise SystemExit("a chunk's activities.csv has another header")
            csv_out.write(text[len(header) :])
            jsonl_out.write((parts.jsonl / "activities.jsonl").read_bytes())
            written += len(chunk)
    return written


def varied_tables(base: ck.Dataset) -> ck.Dataset:
    """The repetitive shape's small tables with the pool of `VARIED_SMES` SMEs.

    The pool is the first `VARIED_SMES` generated SMEs that are members of a
    cluster in some partnership.

    Raises:
        SystemExit: The generator made other clusters for the pool, or too few
            SMEs of partnership members.
    """
    generated = generate_dataset(
        seed=SEED,
        partnerships=0,
        clusters=len(base.clusters),
        smes=2 * VARIED_SMES,
        activities=0,
    )
    if generated.clusters != base.clusters:
        raise SystemExit("the SME pool's clusters differ from the generator's")
    members = {member for p in base.partnerships for member in p.members}
    pool = [sme for sme in generated.smes if members.intersection(sme.clusters)]
    if len(pool) < VARIED_SMES:
        raise SystemExit(f"only {len(pool):,} generated SMEs are in partnerships")
    return ck.Dataset(
        generations=base.generations,
        clusters=base.clusters,
        smes=tuple(pool[:VARIED_SMES]),
        partnerships=base.partnerships,
        targets=base.targets,
    )


def varied_activities(
    activities: Iterable[ck.ActivityRecord], tables: ck.Dataset
) -> Iterator[ck.ActivityRecord]:
    """The same activities with unique titles and notes and SMEs from the pool.

    Each keeps its number of listed SMEs, taken in turns from a shuffled queue
    of the SMEs of its partnership's member clusters.
    """
    rng = random.Random(VARIED_SEED)
    by_cluster: dict[str, list[str]] = {}
    for sme in tables.smes:
        for cluster in sme.clusters:
            by_cluster.setdefault(cluster, []).append(sme.id)
    queues: dict[str, list[str]] = {}
    for partnership in tables.partnerships:
        members = partnership.members
        queue = list(dict.fromkeys(s for m in members for s in by_cluster.get(m, ())))
        rng.shuffle(queue)
        queues[partnership.id] = queue
    taken = dict.fromkeys(queues, 0)
    for number, activity in enumerate(activities, start=1):
        update: dict[str, Any] = {
            "title": f"{activity.title or 'Activity'} (no. {number})",
            "notes": (
                f"Report {number}: {len(activity.smes)} SMEs listed, "
                f"{activity.b2b_meetings} B2B meetings, follow-up agreed"
            ),
        }
        queue = queues.get(activity.partnership, [])
        if activity.smes and queue:
            first = taken[activity.partnership]
            wanted = min(len(activity.smes), len(queue))
            update["smes"] = tuple(
                queue[(first + i) % len(queue)] for i in range(wanted)
            )
            taken[activity.partnership] = first + wanted
        # Unvalidated copy: the new values are of the fields' own types.
        yield activity.model_copy(update=update)


def shape_folders(root: Path, shape: str) -> Folders:
    """Where one shape's data are, under `root`."""
    return Folders(root / shape / "csv", root / shape / "jsonl")


def ensure_shape(root: Path, shape: str, rows: int) -> None:
    """Write one shape's folders unless `root` already holds them (same stamp)."""
    place = root / shape
    folders = shape_folders(root, shape)
    stamp = place / "dataset.json"
    wanted: dict[str, Any] = {
        "shape": shape,
        "rows": rows,
        "seed": SEED,
        "smes": VARIED_SMES if shape == "varied" else None,
        "clusterkit": ck.__version__,
    }
    if stamp.exists() and json.loads(stamp.read_text(encoding="utf-8")) == wanted:
        print(f"reusing {place} ({shape}, {rows:,} activities)")
        return
    stamp.unlink(missing_ok=True)
    print(f"writing {rows:,} {shape} activities to {place} ...", flush=True)
    start = time.perf_counter()
    base = small_tables()
    activities = generated_activities(base, rows)
    tables = base
    if shape == "varied":
        tables = varied_tables(base)
        activities = varied_activities(activities, tables)
    with tempfile.TemporaryDirectory() as scratch:
        written = write_folders(folders, tables, activities, Path(scratch))
    stamp.write_text(json.dumps(wanted), encoding="utf-8")
    print(f"written {written:,} in {time.perf_counter() - start:.1f} s (CSV + JSONL)")


def write_in_child(root: Path, shape: str, rows: int) -> None:
    """Write one shape's data in a child process, so that this one stays small.

    Linux keeps a process's peak resident memory across exec, so a child
    started by a large parent reports the parent's peak: the parent must never
    hold the generated records.

    Raises:
        SystemExit: The child failed.
    """
    script = str(Path(__file__).resolve())
    command = [sys.executable, script, "--write", shape, "--rows", str(rows)]
    command += ["--folder", str(root)]
    sys.stdout.flush()
    done = subprocess.run(command, check=False)  # noqa: S603 - a fixed command
    if done.returncode != 0:
        raise SystemExit(f"writing the {shape} data failed (exit {done.returncode})")


# Children ----------------------------------------------------------------------


def child(kind: str, folder: Path) -> int:
    """Time one kind once; print its seconds, KPIs and details as JSON."""
    details: dict[str, float] = {}
    if kind == DUCKDB:
        seconds, result = duckdb_preloaded(folder, details)
    else:
        source: ck.Dataset | Path = folder
        if kind != KPIS_FILE:  # in memory: the dataset loaded before the timer
            start = time.perf_counter()
            source = ck.load_dataset(folder)
            details["load_seconds"] = time.perf_counter() - start
        validate = kind != KPIS_RAW
        gc.collect()
        start = time.perf_counter()
        kpis = ck.compute_kpis(source, validate=validate, as_of=AS_OF)
        seconds = time.perf_counter() - start
        result = kpis.to_dict()
    answer = {"seconds": seconds, "result": result, "details": details}
    print(json.dumps(answer, default=str))
    return 0


def duckdb_preloaded(
    folder: Path, details: dict[str, float]
) -> tuple[float, dict[str, Any]]:
    """DuckDB's KPIs of the CSV files in `folder`, the tables loaded before the timer.

    Returns:
        The seconds of the KPI SQL alone, and the KPIs in clusterkit's shape.
    """
    start = time.perf_counter()
    duckdb: Any = importlib.import_module("duckdb")
    details["import_seconds"] = time.perf_counter() - start

    start = time.perf_counter()
    generations = generations_in_effect(folder)
    intervals = third_country_intervals(generations)
    # The ranking joins only countries that are third countries somewhere.
    codes = sorted({country for _, country, _, _ in intervals})
    protocol = [(code, *ck.protocol_order(code)) for code in codes]
    details["reference_seconds"] = time.perf_counter() - start

    con = duckdb.connect()
    try:
        con.execute("SET threads = 1")
        start = time.perf_counter()
        gens = [(g.id, g.start) for g in generations.values()]
        load_columns(con, "gens", ("id", "start"), gens)
        columns = ("generation", "country", "valid_from", "valid_to")
        load_columns(con, "third", columns, intervals)
        load_columns(con, "protocol", ("code", "position", "name"), protocol)
        for table, name in PRELOADED.items():
            source = csv_source(folder, table)
            load = f"CREATE TABLE {name} AS SELECT * FROM {source}"  # noqa: S608 - this script's own names and paths
            con.execute(load)
        details["load_seconds"] = time.perf_counter() - start
        gc.collect()
        start = time.perf_counter()
        con.execute(PREPARE.format(**PRELOADED))
        partnership_row = con.execute(PARTNERSHIP_KPIS).fetchone()
        cluster_row = con.execute(CLUSTER_KPIS.format(**PRELOADED)).fetchone()
        activity_row = con.execute(ACTIVITY_KPIS).fetchone()
        named_row = con.execute(NAMED_SMES).fetchone()
        by_type = dict(con.execute(BY_TYPE).fetchall())
        markets = con.execute(TARGET_MARKETS.format(**PRELOADED)).fetchall()
        seconds = time.perf_counter() - start
    finally:
        con.close()
    return seconds, peer_result(
        (*partnership_row, *cluster_row, *activity_row, *named_row), by_type, markets
    )


# The parent ------------------------------------------------------------------


def command(kind: str, folders: Folders) -> list[str]:
    """The child process of one kind."""
    if kind in {VALIDATE_CSV, VALIDATE_JSONL}:
        folder = folders.csv if kind == VALIDATE_CSV else folders.jsonl
        return [
            sys.executable, "-m", "clusterkit", "validate", str(folder),
            "--format", "json", "--output", os.devnull,
            "--as-of", AS_OF.isoformat(),
        ]  # fmt: skip
    folder = folders.jsonl if kind in {KPIS_MEMORY, KPIS_RAW} else folders.csv
    script = str(Path(__file__).resolve())
    return [sys.executable, script, "--child", kind, "--folder", str(folder)]


def measure(kind: str, shape: str, number: int, folders: Folders, scratch: Path) -> Run:
    """Run one child; its figure (own timing, or wall time for validate) and peak."""
    output, errors = scratch / f"{kind}.out", scratch / f"{kind}.err"
    with output.open("wb") as stdout, errors.open("wb") as stderr:
        start = time.perf_counter()
        process = subprocess.Popen(command(kind, folders), stdout=stdout, stderr=stderr)  # noqa: S603 - a fixed command
        _, status, usage = os.wait4(process.pid, 0)
        wall = time.perf_counter() - start
    exit_code = os.waitstatus_to_exitcode(status)
    process.returncode = exit_code  # reaped by wait4; Popen must not wait again
    run = Run(kind, shape, number, None, wall, usage.ru_maxrss, exit_code)
    validating = kind in {VALIDATE_CSV, VALIDATE_JSONL}
    if exit_code not in (CLUSTERKIT_RAN if validating else {0}):
        return attrs.evolve(run, error=f"exit {exit_code}\n{tail(errors)}")
    if validating:
        return attrs.evolve(run, seconds=wall)
    lines = output.read_text(encoding="utf-8").strip().splitlines()
    try:
        answer = json.loads(lines[-1])
    except (IndexError, json.JSONDecodeError):
        return attrs.evolve(run, error=f"no answer on stdout\n{tail(errors)}")
    return attrs.evolve(
        run,
        seconds=float(answer["seconds"]),
        result=answer["result"],
        details=answer["details"],
    )


def tail(path: Path) -> str:
    """The last lines of a child's stderr."""
    text = path.read_text(encoding="utf-8", errors="replace").strip()
    return "\n".join(text.splitlines()[-TAIL_LINES:]) or "(nothing on stderr)"


def schedule(
    kinds: Sequence[str], shapes: Sequence[str], runs: int
) -> Iterator[tuple[int, str, str]]:
    """(run number, kind, shape) in turn, the order reversed every other run."""
    order = [(kind, shape) for kind in kinds for shape in shapes]
    for number in range(1, runs + 1):
        for kind, shape in order if number % 2 else order[::-1]:
            yield number, kind, shape


def median(values: Iterable[float | None]) -> float | None:
    """The median of the values given, or None without any."""
    given = [value for value in values if value is not None]
    return statistics.median(given) if given else None


def paired(
    runs: Sequence[Run],
    baselines: Sequence[Run],
    ratio: Callable[[float, float], float],
) -> list[float]:
    """The ratio of each run to the baseline run with the same number."""
    base = {run.number: run.seconds for run in baselines}
    return [
        ratio(run.seconds, seconds)
        for run in runs
        if run.seconds is not None and (seconds := base.get(run.number)) is not None
    ]


@attrs.frozen
class Summary:
    """The medians and ratios of every figure, for printing and --json."""

    seconds: dict[str, dict[str, float | None]]  # shape -> kind -> median
    peaks: dict[str, dict[str, float | None]]
    ratios: dict[str, dict[str, list[float]]]  # shape -> row -> same-run ratios
    varied: dict[str, list[float]]  # kind -> same-run varied / repetitive


def summarise(results: Mapping[tuple[str, str], Sequence[Run]]) -> Summary:
    """Medians per figure, same-run ratios per comparison and per shape."""
    seconds: dict[str, dict[str, float | None]] = {}
    peaks: dict[str, dict[str, float | None]] = {}
    ratios: dict[str, dict[str, list[float]]] = {}
    for (kind, shape), runs in results.items():
        seconds.setdefault(shape, {})[kind] = median(run.seconds for run in runs)
        peaks.setdefault(shape, {})[kind] = median(
            run.peak_mb for run in runs if run.seconds is not None
        )
        comparison = COMPARISONS.get(kind)
        if comparison and (comparison.baseline, shape) in results:
            baselines = results[comparison.baseline, shape]
            ratios.setdefault(shape, {})[kind] = paired(
                runs, baselines, comparison.ratio
            )
    varied = {
        kind: paired(runs, results[kind, "repetitive"], VARIED.ratio)
        for (kind, shape), runs in results.items()
        if shape == "varied" and (kind, "repetitive") in results
    }
    return Summary(seconds, peaks, ratios, varied)


def check_kpis(
    results: Mapping[tuple[str, str], Sequence[Run]], rows: int
) -> dict[str, list[str]]:
    """Differences of every KPI run from DuckDB's (else the first run's) of its shape."""
    found: dict[str, list[str]] = {}
    for shape in SHAPES:
        done = [
            run
            for kind in (DUCKDB, KPIS_FILE, KPIS_MEMORY, KPIS_RAW)
            for run in results.get((kind, shape), ())
            if run.result is not None
        ]
        if not done:
            continue
        reference = done[0]
        for run in done:
            label = f"{shape} {run.kind} run {run.number}"
            problems = differences(reference.result or {}, run.result or {})
            if problems:
                found[f"{label} against {reference.kind} run {reference.number}"] = (
                    problems
                )
            activities = (run.result or {})["kpis"].get("activities")
            if activities != rows:
                found[f"{label}: activities"] = [f"{activities!r}, expected {rows}"]
    return found


# Printing ----------------------------------------------------------------------


def _seconds(value: float | None) -> str:
    return "failed" if value is None else f"{value:.2f}"


def _rate(rows: int, value: float | None) -> str:
    return "-" if value is None else f"{rows / value:,.0f}"


def _megabytes(value: float | None) -> str:
    return "-" if value is None else f"{value:.0f}"


def print_shape(shape: str, kinds: Sequence[str], rows: int, summary: Summary) -> None:
    """One shape's table: each figure, its comparison, the target and whether met."""
    seconds, peaks = summary.seconds[shape], summary.peaks[shape]
    ratios = summary.ratios.get(shape, {})
    print(f"\n## {shape} data, {rows:,} activity rows\n")
    print(
        "| row | seconds | activity rows/s | peak MB | compared with | target | met |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- |")
    for kind in kinds:
        comparison = COMPARISONS.get(kind)
        if comparison is None:
            versus = "-"
            if kind == VALIDATE_CSV:
                target, met = "no regression (information)", "-"
            elif kind == DUCKDB:
                target, met = "(the peer of the row above)", "-"
            else:
                target, met = "(information)", "-"
        else:
            ratio = median(ratios.get(kind, []))
            base = seconds.get(comparison.baseline)
            what = "speed" if comparison.speed else "time"
            name = comparison.baseline
            versus = (
                f"{name} ({_seconds(base)} s): -"
                if ratio is None
                else f"{name} ({_seconds(base)} s): {ratio:.2f}x its {what}"
            )
            target = comparison.describe()
            met = _verdict(comparison, ratios.get(kind, []))
        print(
            f"| {LABELS[kind]} | {_seconds(seconds.get(kind))} "
            f"| {_rate(rows, seconds.get(kind))} | {_megabytes(peaks.get(kind))} "
            f"| {versus} | {target} | {met} |"
        )


def _holds(comparison: Comparison, ratio: float | None) -> bool | None:
    return None if ratio is None else comparison.met(ratio)


def _verdict(comparison: Comparison, ratios: Sequence[float]) -> str:
    """Whether the median ratio meets the target, and in how many runs, when not all agree.

    On a shared machine one run's ratio can land on either side of a target:
    the count says how firmly the median's verdict holds.
    """
    ratio = median(ratios)
    if ratio is None:
        return "-"
    verdict = "met" if comparison.met(ratio) else "not met"
    held = sum(map(comparison.met, ratios))
    if held in (0, len(ratios)):
        return verdict
    return f"{verdict} (met in {held} of {len(ratios)} runs)"


def print_varied(kinds: Sequence[str], summary: Summary) -> None:
    """Varied against repetitive, figure by figure."""
    print("\n## varied / repetitive (time, same run)\n")
    print("| row | repetitive s | varied s | varied / repetitive | target | met |")
    print("| --- | --- | --- | --- | --- | --- |")
    for kind in kinds:
        ratio = median(summary.varied.get(kind, []))
        if kind == DUCKDB:
            target, met = "(information)", "-"
        else:
            target = f"<= {TARGET_VARIED_TIME:.2f}x"
            met = _verdict(VARIED, summary.varied.get(kind, []))
        shown = "-" if ratio is None else f"{ratio:.2f}x"
        print(
            f"| {LABELS[kind]} | {_seconds(summary.seconds['repetitive'].get(kind))} "
            f"| {_seconds(summary.seconds['varied'].get(kind))} | {shown} "
            f"| {target} | {met} |"
        )


def print_duckdb_setup(results: Mapping[tuple[str, str], Sequence[Run]]) -> None:
    """What DuckDB did before its timer, for information (medians)."""
    for shape in SHAPES:
        runs = [run for run in results.get((DUCKDB, shape), ()) if run.details]
        if not runs:
            continue
        parts = ", ".join(
            f"{key.removesuffix('_seconds')} "
            f"{_seconds(median(r.details.get(key) for r in runs))} s"
            for key in ("import_seconds", "reference_seconds", "load_seconds")
        )
        print(f"DuckDB setup outside the timer ({shape}): {parts}")


def environment() -> dict[str, Any]:
    """The versions and the machine."""
    return {
        "python": platform.python_version(),
        "clusterkit": ck.__version__,
        "duckdb": version("duckdb"),
        "pydantic": version("pydantic"),
        "platform": platform.platform(),
        "machine": platform.machine(),
        "cpus": os.cpu_count(),
    }


def write_json(
    path: Path,
    args: argparse.Namespace,
    results: Mapping[tuple[str, str], Sequence[Run]],
    summary: Summary,
    disagreements: Mapping[str, list[str]],
) -> None:
    """Every raw timing, the medians and the ratios, as JSON."""
    figures: dict[str, dict[str, Any]] = {}
    for (kind, shape), runs in results.items():
        figures.setdefault(shape, {})[kind] = {
            "runs": [run.to_dict() for run in runs],
            "median_seconds": summary.seconds[shape][kind],
            "median_peak_mb": summary.peaks[shape][kind],
        }
    comparisons = {
        shape: {
            kind: {
                "baseline": COMPARISONS[kind].baseline,
                "ratio": "speed" if COMPARISONS[kind].speed else "time",
                "ratios": values,
                "median": median(values),
                "target": COMPARISONS[kind].target,
                "met": _holds(COMPARISONS[kind], median(values)),
                "runs_met": sum(map(COMPARISONS[kind].met, values)),
            }
            for kind, values in by_kind.items()
        }
        for shape, by_kind in summary.ratios.items()
    }
    data = {
        "rows": args.rows,
        "runs": args.runs,
        "as_of": AS_OF.isoformat(),
        "environment": environment(),
        "figures": figures,
        "comparisons": comparisons,
        "varied_over_repetitive": {
            kind: {
                "ratios": values,
                "median": median(values),
                "target": None if kind == DUCKDB else TARGET_VARIED_TIME,
                "met": None if kind == DUCKDB else _holds(VARIED, median(values)),
                "runs_met": None if kind == DUCKDB else sum(map(VARIED.met, values)),
            }
            for kind, values in summary.varied.items()
        },
        "targets": {
            "validate_jsonl_speed_over_csv": TARGET_JSONL_SPEED,
            "kpis_memory_time_over_file": TARGET_MEMORY_TIME,
            "kpis_novalidate_time_over_duckdb": TARGET_DUCKDB_TIME,
            "varied_time_over_repetitive": TARGET_VARIED_TIME,
        },
        "disagreements": dict(disagreements),
    }
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")


# Main ----------------------------------------------------------------------------


def parse(argv: Sequence[str] | None) -> argparse.Namespace:
    """The command line."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "--rows", type=int, default=1_000_000, help="activities (default 1,000,000)"
    )
    parser.add_argument(
        "--runs", type=int, default=3, help="runs per figure, medians (default 3)"
    )
    parser.add_argument(
        "--keep", type=Path, help="write the data here and reuse them next time"
    )
    parser.add_argument(
        "--shape",
        choices=(*SHAPES, "both"),
        default="both",
        help="data shape (default both)",
    )
    parser.add_argument(
        "--json", type=Path, help="write every raw timing and the medians here"
    )
    parser.add_argument(
        "--only",
        help=f"comma-separated rows to run, of {', '.join(ROWS)} "
        "(a row's comparison runs with it)",
    )
    parser.add_argument("--child", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--write", choices=SHAPES, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.rows < 1 or args.runs < 1:
        parser.error("--rows and --runs must be at least 1")
    if args.only:
        wanted = [row.strip() for row in args.only.split(",") if row.strip()]
        unknown = [row for row in wanted if row not in ROWS]
        if unknown or not wanted:
            parser.error(f"--only takes rows of {', '.join(ROWS)}; got {args.only!r}")
        args.only = wanted
    return args


def chosen_kinds(only: Sequence[str] | None) -> tuple[str, ...]:
    """The kinds to run, in run order: the rows asked for and their comparisons."""
    if not only:
        return KINDS
    wanted = set(only)
    wanted.update(COMPARISONS[row].baseline for row in only if row in COMPARISONS)
    return tuple(kind for kind in KINDS if kind in wanted)


def run_all(
    args: argparse.Namespace, kinds: Sequence[str], shapes: Sequence[str]
) -> dict[tuple[str, str], list[Run]]:
    """Write the data, then run every child in turn; the runs of each figure."""
    results: dict[tuple[str, str], list[Run]] = {
        (kind, shape): [] for kind in kinds for shape in shapes
    }
    with tempfile.TemporaryDirectory() as scratch_name:
        scratch = Path(scratch_name)
        root = args.keep.resolve() if args.keep else scratch / "data"
        folders = {shape: shape_folders(root, shape) for shape in shapes}
        for shape in shapes:
            write_in_child(root, shape, args.rows)
            check_headers(folders[shape].csv)  # DuckDB reads columns by position
        for number, kind, shape in schedule(kinds, shapes, args.runs):
            run = measure(kind, shape, number, folders[shape], scratch)
            results[kind, shape].append(run)
            shown = f"{run.seconds:.2f} s" if run.seconds is not None else "FAILED"
            note = f", exit {run.exit_code}" if run.exit_code else ""
            print(
                f"run {number}/{args.runs} {shape} {kind}: {shown}, "
                f"{run.peak_mb:.0f} MB{note}",
                flush=True,
            )
            if run.error:
                print(f"{shape} {kind} failed: {run.error}", file=sys.stderr)
    return results


def report_failures(results: Mapping[tuple[str, str], Sequence[Run]]) -> bool:
    """Print the runs that failed, and validate runs that found errors.

    Returns:
        Whether a run failed.
    """
    failed = [run for runs in results.values() for run in runs if run.error]
    if failed:
        print("\nFAILED runs (left out of the figures; stderr above):")
        for run in failed:
            last = (run.error or "").strip().splitlines()[-1]
            print(f"- {run.shape} {run.kind} run {run.number}: {last}")
    if any(run.exit_code and not run.error for r in results.values() for run in r):
        print(
            "\nA validate run exited with 1: the validator found errors in the "
            "generated data, which have none; see the report of the command."
        )
    return bool(failed)


def main(argv: Sequence[str] | None = None) -> int:
    """Write the data, run the children in turn and print the tables."""
    args = parse(argv)
    if args.child:
        return child(args.child, args.folder)
    if args.write:
        ensure_shape(args.folder, args.write, args.rows)
        return 0
    shapes = SHAPES if args.shape == "both" else (args.shape,)
    kinds = chosen_kinds(args.only)
    env = environment()
    print(
        f"python {env['python']}, clusterkit {env['clusterkit']}, "
        f"duckdb {env['duckdb']}, pydantic {env['pydantic']}; "
        f"{env['platform']}, {env['cpus']} CPUs"
    )
    results = run_all(args, kinds, shapes)
    summary = summarise(results)
    disagreements = check_kpis(results, args.rows)
    report_kpis(results, disagreements)
    for shape in shapes:
        print_shape(shape, kinds, args.rows, summary)
    if len(shapes) == len(SHAPES):
        print_varied(kinds, summary)
    print(
        f"\nMedians of {args.runs} run(s). Validate rows time the whole command "
        "(interpreter start-up included); KPI rows time the call alone in a fresh "
        "child process. Ratios pair the figures of the same run (their median is "
        "shown). Peak MB: the child's resident peak (10^6 bytes)."
    )
    print_duckdb_setup(results)
    parent = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024 / 1_000_000
    print(
        f"This process's peak was {parent:.0f} MB; a child's peak cannot read "
        "lower (Linux keeps ru_maxrss across exec)."
    )
    if args.json:
        write_json(args.json, args, results, summary, disagreements)
        print(f"wrote {args.json}")
    failed = report_failures(results)
    return 1 if failed or disagreements else 0


def report_kpis(
    results: Mapping[tuple[str, str], Sequence[Run]],
    disagreements: Mapping[str, list[str]],
) -> None:
    """Print what the validator left out, and whether the KPIs agree."""
    print()
    for (kind, shape), runs in results.items():
        first = next((run.result for run in runs if run.result is not None), None)
        if first is not None and kind != DUCKDB:
            describe_records(f"{shape} {kind}", first)
    if disagreements:
        print("KPIs DISAGREE:")
        for label, problems in disagreements.items():
            print(f"- {label}:")
            for problem in problems:
                print(f"    {problem}")
        return
    if any(run.result for runs in results.values() for run in runs):
        print(
            "KPIs agree: every KPI, activities by type and target markets of every "
            "KPI run equal DuckDB's (or the first run's without DuckDB), and count "
            "every activity"
        )


if __name__ == "__main__":
    raise SystemExit(main())
