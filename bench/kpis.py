"""Benchmark the KPI engine: `compute_kpis` in memory and from files, beside DuckDB.

On one generated dataset (the generator's small tables and `--rows` activities,
seed fixed), in one invocation:

- from files: the dataset written as a folder of CSV files, then
  ``ck.compute_kpis(folder)`` and ``ck.compute_kpis(folder, jobs=2)``, and the
  same KPIs written in DuckDB SQL over the same files (DuckDB limited to one
  thread, the baseline of the ratios, and with its default threads). Each run
  is a fresh child process (this script with ``--child``) that times the call
  alone, without interpreter start-up and imports, and reports the KPIs back;
  the parent also takes the child's peak resident memory (``ru_maxrss`` from
  `os.wait4`, Linux: with ``jobs=2``, that of the largest process). Kinds run
  in turn, best of `--runs`.
- in memory: a `ck.Dataset` holding the same records as models (generated, not
  timed), then ``ck.compute_kpis(ds, validate=False)`` and, for information,
  ``ck.compute_kpis(ds)`` with the validator gate, in this process, after the
  file runs.

Then it checks that DuckDB's KPIs equal clusterkit's (`kpis`,
`activities_by_type`, `target_markets` of every clusterkit run) and prints the
table against DESIGN.md §10's targets: at least 500,000 validated records/s
(``validate=False`` on models) and at least 150,000 rows/s from file to KPIs
(one process). Records/s count activity rows; the other tables have a few
hundred rows. The exit status is 1 when the KPIs disagree, with the
differences listed.

The DuckDB peer computes every KPI of the catalogue (the two ratios from its
own sums), `activities_by_type` and `target_markets`, with the definitions of
the KPI contract: activities of unknown partnerships left out, counter defaults
by type with ``COALESCE``/``CASE``, `smes_involved` as the distinct SME ids
(``string_split``/``unnest`` of the ``;``-separated `smes` cell) listed on
third-market activities plus `smes_involved` of those that list none,
cluster organisations as distinct member ids with a cluster record, target
markets ranked by partnerships and then EU protocol order. It reads the files
as clusterkit writes them (``read_csv`` with explicit column types for the
columns it uses; ISO alpha-2 codes, canonical vocabulary values, columns in
field order, checked before timing), where clusterkit also accepts other
spellings; and it validates nothing, so it agrees with the validator gate only
on data without errors, as the generated data are meant to be.

Third countries depend on the day and on the generation's programme and
third-country rule, so the peer gets, built in Python inside the timed run with
clusterkit's own functions (`classification_changes`, `is_third_country`,
`protocol_order`), a small table of intervals ``(generation, country,
valid_from, valid_to)`` in which a country is a third country for that
generation, for every country clusterkit knows and every generation in effect
(shipped, overridden by ``generations.csv``), plus each country's protocol
sort key: a few thousand rows, independent of the activities. An activity is
third-market when its (partnership's generation, target_country) has an
interval holding its `start`; a declared target when one holds its
partnership's start. The simpler set of (country, generation) pairs that are
third countries over the whole generation would be wrong for countries whose
status changes within a generation: Ukraine (from 2 February 2023), Montenegro,
Bosnia and Herzegovina, Moldova, Serbia and Albania joined the Single Market
Programme during ``euroclusters-1``, so an activity there is third-market
before the day and not after. So it is not used.

Run it from the repository root in an environment with the peers installed::

    python -m pip install -e . -r bench/requirements.txt
    python bench/kpis.py                        # 1,000,000 activities, best of 3
    python bench/kpis.py --rows 20000 --runs 1
    python bench/kpis.py --keep /tmp/ck-bench   # reuse the files next time
"""

from __future__ import annotations

import argparse
import datetime as dt
import gc
import importlib
import importlib.metadata
import json
import os
import platform
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs

import clusterkit as ck
from _dataset import ensure_dataset, generated_activities, small_tables
from clusterkit.countries import classification_changes
from clusterkit.models import TABLES

# DESIGN.md §10.
TARGET_RECORDS_PER_SECOND = 500_000  # validated records (models) to KPIs
TARGET_FILE_ROWS_PER_SECOND = 150_000  # file to KPIs, one process
# The child kinds, in the order they run and print.
CLUSTERKIT_FILE = "clusterkit"
CLUSTERKIT_JOBS2 = "clusterkit-jobs2"
DUCKDB_ONE = "duckdb-1"
DUCKDB_ALL = "duckdb"
KINDS = (CLUSTERKIT_FILE, CLUSTERKIT_JOBS2, DUCKDB_ONE, DUCKDB_ALL)
BASELINE = DUCKDB_ONE
# What is compared between results.
COMPARED = ("kpis", "activities_by_type", "target_markets")
# Ends of the open intervals of the third-country table.
FIRST_DAY = dt.date(1, 1, 1)
LAST_DAY = dt.date(9999, 12, 31)
ONE_DAY = dt.timedelta(days=1)
# DuckDB types of the columns the KPIs use; the others are read as VARCHAR.
COLUMN_TYPES: Mapping[str, Mapping[str, str]] = {
    "generations": {},
    "clusters": {},
    "smes": {},
    "partnerships": {"start": "DATE", "end": "DATE", "smes_reached": "BIGINT"},
    "targets": {"since": "DATE"},
    "activities": {
        "start": "DATE",
        "end": "DATE",
        "smes_involved": "BIGINT",
        "b2b_meetings": "BIGINT",
        "c2c_meetings": "BIGINT",
        "mous_signed": "BIGINT",
        "collaboration_projects": "BIGINT",
    },
}
PEER_TABLES = ("clusters", "partnerships", "targets", "activities")

# The partnerships and activities in scope (all of them: the benchmark has no
# filter), with the dates and third-country tests the KPIs need.
PREPARE = """
CREATE TEMP TABLE p AS
SELECT p.id, p.generation, coalesce(p.funding, 'co_funded') AS funding, p.members,
       coalesce(p.start, g.start) AS start, coalesce(p.smes_reached, 0) AS smes_reached
FROM {partnerships} AS p LEFT JOIN gens AS g ON g.id = p.generation;

CREATE TEMP TABLE a AS
SELECT a.type, a.target_country, a.smes_involved,
       coalesce(list_filter(list_transform(string_split(a.smes, ';'),
                                           lambda s: trim(s)),
                            lambda s: s <> ''),
                []::VARCHAR[]) AS smes,
       coalesce(a.b2b_meetings, 0) AS b2b_meetings,
       coalesce(a.c2c_meetings, CASE WHEN a.type = 'c2c_meeting' THEN 1 ELSE 0 END)
           AS c2c_meetings,
       coalesce(a.mous_signed, CASE WHEN a.type = 'mou_signature' THEN 1 ELSE 0 END)
           AS mous_signed,
       coalesce(a.collaboration_projects,
                CASE WHEN a.type = 'collaboration_project' THEN 1 ELSE 0 END)
           AS collaboration_projects,
       t.country IS NOT NULL AS third
FROM {activities} AS a
JOIN p ON p.id = a.partnership
LEFT JOIN third AS t
  ON t.generation = p.generation AND t.country = a.target_country
 AND a.start BETWEEN t.valid_from AND t.valid_to;
"""

PARTNERSHIP_KPIS = """
SELECT count(*) AS partnerships,
       count(*) FILTER (WHERE funding = 'co_funded') AS partnerships_co_funded,
       count(*) FILTER (WHERE funding = 'voluntary') AS partnerships_voluntary,
       coalesce(sum(smes_reached), 0) AS smes_reached
FROM p
"""

CLUSTER_KPIS = """
WITH member AS (
    SELECT DISTINCT trim(unnest(string_split(members, ';'))) AS id FROM p
), cluster AS (
    SELECT id, any_value(country) AS country FROM {clusters} GROUP BY id
)
SELECT count(*) AS cluster_organisations,
       count(DISTINCT cluster.country) AS member_countries
FROM member JOIN cluster USING (id)
"""

ACTIVITY_KPIS = """
SELECT count(*) AS activities,
       coalesce(sum(b2b_meetings), 0) AS b2b_meetings,
       coalesce(sum(c2c_meetings), 0) AS c2c_meetings,
       coalesce(sum(mous_signed), 0) AS mous_signed,
       coalesce(sum(collaboration_projects), 0) AS collaboration_projects,
       coalesce(sum(coalesce(smes_involved, 0))
                FILTER (WHERE third AND len(smes) = 0), 0) AS unnamed_smes
FROM a
"""

NAMED_SMES = """
SELECT count(DISTINCT sme) FROM (SELECT unnest(smes) AS sme FROM a WHERE third)
"""

BY_TYPE = "SELECT type, count(*) FROM a GROUP BY type"

TARGET_MARKETS = """
WITH declared AS (
    SELECT t.country, count(DISTINCT t.partnership) AS partnerships
    FROM {targets} AS t
    JOIN p ON p.id = t.partnership
    JOIN third AS h
      ON h.generation = p.generation AND h.country = t.country
     AND p.start BETWEEN h.valid_from AND h.valid_to
    GROUP BY t.country
), acted AS (
    SELECT target_country AS country, count(*) AS activities
    FROM a WHERE third GROUP BY target_country
)
SELECT country, coalesce(declared.partnerships, 0) AS partnerships,
       coalesce(acted.activities, 0) AS activities
FROM declared FULL OUTER JOIN acted USING (country)
JOIN protocol ON protocol.code = country
ORDER BY partnerships DESC, protocol.position, protocol.name
"""


@attrs.frozen
class Run:
    """One timed child process: the call's time, the child's peak, the KPIs it got."""

    kind: str
    seconds: float
    peak_kib: int
    result: dict[str, Any]

    @property
    def peak_mb(self) -> float:
        """Peak resident memory in MB (10^6 bytes)."""
        return self.peak_kib * 1024 / 1_000_000


@attrs.frozen
class Line:
    """One line of the printed table."""

    what: str
    seconds: float
    peak_mb: float | None
    target: int | None  # records/s, or None for information


# Files --------------------------------------------------------------------


def check_headers(folder: Path) -> None:
    """Refuse files whose columns are not in field order (the peer reads by position).

    Raises:
        SystemExit: A header differs.
    """
    for table in ("generations", *PEER_TABLES):
        with (folder / f"{table}.csv").open(encoding="utf-8") as handle:
            header = handle.readline().strip().split(",")
        if header != list(TABLES[table].model_fields):
            raise SystemExit(f"{table}.csv: unexpected header {header}")


# The DuckDB peer ------------------------------------------------------------


def generations_in_effect(folder: Path) -> dict[str, ck.Generation]:
    """The shipped generations, overridden and added to by ``generations.csv``."""
    found = {generation.id: generation for generation in ck.reference.generations()}
    declared: dict[str, ck.Generation] = {}
    for generation, _ in ck.iter_records(folder / "generations.csv", ck.Generation):
        declared.setdefault(generation.id, generation)  # the first one wins
    found.update(declared)
    return found


def third_country_intervals(
    generations: Mapping[str, ck.Generation],
) -> list[tuple[str, str, dt.date, dt.date]]:
    """(generation, country, valid_from, valid_to): when a country is a third country.

    Between two of `classification_changes`' days a country's status is the
    same, so one `is_third_country` call per stretch decides it; adjoining
    stretches are merged, so a day lies in at most one interval per pair.
    """
    rows: list[tuple[str, str, dt.date, dt.date]] = []
    for code in ck.countries.known_countries():
        changes = classification_changes(code)
        starts = (FIRST_DAY, *changes)
        for generation in generations.values():
            rule = generation.third_country_rule.value
            opened: dt.date | None = None
            for first in starts:
                try:
                    third = ck.is_third_country(code, first, generation.programme, rule)
                except ValueError:  # a programme clusterkit does not know
                    break
                if third and opened is None:
                    opened = first
                elif not third and opened is not None:
                    rows.append((generation.id, code, opened, first - ONE_DAY))
                    opened = None
            if opened is not None:
                rows.append((generation.id, code, opened, LAST_DAY))
    return rows


def csv_source(folder: Path, table: str) -> str:
    """A ``read_csv`` call over one table's file with explicit column types."""
    types = COLUMN_TYPES[table]
    columns = ", ".join(
        f"'{name}': '{types.get(name, 'VARCHAR')}'"
        for name in TABLES[table].model_fields
    )
    path = str(folder / f"{table}.csv").replace("'", "''")
    return (
        f"read_csv('{path}', header = true, delim = ',', quote = '\"', "
        f"escape = '\"', nullstr = '', auto_detect = false, columns = {{{columns}}})"
    )


def duckdb_kpis(folder: Path, threads: int | None) -> dict[str, Any]:
    """The KPIs of the files in `folder`, computed by DuckDB, in clusterkit's shape."""
    duckdb: Any = importlib.import_module("duckdb")
    generations = generations_in_effect(folder)
    intervals = third_country_intervals(generations)
    protocol = [
        (code, *ck.protocol_order(code)) for code in ck.countries.known_countries()
    ]
    sources = {table: csv_source(folder, table) for table in PEER_TABLES}

    con = duckdb.connect()
    try:
        if threads is not None:
            con.execute(f"SET threads = {threads:d}")
        load_columns(
            con,
            "gens",
            ("id", "start"),
            [(g.id, g.start) for g in generations.values()],
        )
        load_columns(
            con, "third", ("generation", "country", "valid_from", "valid_to"), intervals
        )
        load_columns(con, "protocol", ("code", "position", "name"), protocol)
        con.execute(PREPARE.format(**sources))
        partnership_row = con.execute(PARTNERSHIP_KPIS).fetchone()
        cluster_row = con.execute(CLUSTER_KPIS.format(**sources)).fetchone()
        activity_row = con.execute(ACTIVITY_KPIS).fetchone()
        named_row = con.execute(NAMED_SMES).fetchone()
        by_type = dict(con.execute(BY_TYPE).fetchall())
        markets = con.execute(TARGET_MARKETS.format(**sources)).fetchall()
    finally:
        con.close()
    return peer_result(
        (*partnership_row, *cluster_row, *activity_row, *named_row), by_type, markets
    )


def peer_result(
    row: Sequence[Any], by_type: Mapping[str, Any], markets: Sequence[Sequence[Any]]
) -> dict[str, Any]:
    """DuckDB's KPI rows, in order, in the shape of ``KPIResult.to_dict()``."""
    (
        partnerships, co_funded, voluntary, smes_reached, clusters, countries,
        activities, b2b, c2c, mous, projects, unnamed, named,
    ) = (None if value is None else int(value) for value in row)  # fmt: skip
    involved = (named or 0) + (unnamed or 0)
    kpis: dict[str, Any] = {
        "partnerships": partnerships,
        "partnerships_co_funded": co_funded,
        "partnerships_voluntary": voluntary,
        "cluster_organisations": clusters,
        "member_countries": countries,
        "smes_reached": smes_reached,
        "activities": activities,
        "smes_involved": involved,
        "c2c_meetings": c2c,
        "b2b_meetings": b2b,
        "mous_signed": mous,
        "collaboration_projects": projects,
        # The ratios as the contract defines them: None when the denominator is 0.
        "b2b_meetings_per_sme_involved": (b2b or 0) / involved if involved else None,
        "smes_involved_share_of_reached": (
            involved / smes_reached if smes_reached else None
        ),
    }
    return {
        "kpis": kpis,
        "activities_by_type": {
            kind.value: int(by_type.get(kind.value, 0)) for kind in ck.ActivityType
        },
        "target_markets": [
            {"country": country, "partnerships": int(p), "activities": int(n)}
            for country, p, n in markets
        ],
    }


def load_columns(
    con: Any, name: str, columns: Sequence[str], rows: Sequence[tuple[Any, ...]]
) -> None:
    """Create a DuckDB table from Python rows, a list parameter per column."""
    values = [list(column) for column in zip(*rows, strict=True)] or [
        [] for _ in columns
    ]
    selects = ", ".join(
        f"unnest(${number}) AS {column}"
        for number, column in enumerate(columns, start=1)
    )
    con.execute(f"CREATE TEMP TABLE {name} AS SELECT {selects}", values)


# Children -------------------------------------------------------------------


def child(kind: str, folder: Path) -> int:
    """Time one kind once and print the seconds and the KPIs as JSON."""
    work: Callable[[], dict[str, Any]]
    if kind == CLUSTERKIT_FILE:
        work = lambda: ck.compute_kpis(folder).to_dict()  # noqa: E731 - one line each
    elif kind == CLUSTERKIT_JOBS2:
        work = lambda: ck.compute_kpis(folder, jobs=2).to_dict()  # noqa: E731
    elif kind == DUCKDB_ONE:
        work = lambda: duckdb_kpis(folder, threads=1)  # noqa: E731
    else:
        work = lambda: duckdb_kpis(folder, threads=None)  # noqa: E731
    start = time.perf_counter()
    result = work()
    seconds = time.perf_counter() - start
    print(json.dumps({"seconds": seconds, "result": result}, default=str))
    return 0


def measure(kind: str, folder: Path, scratch: Path) -> Run:
    """Run one child; its own timing of the call, its peak memory and its KPIs.

    Raises:
        SystemExit: The child failed.
    """
    command = [sys.executable, str(Path(__file__).resolve()), "--child", kind]
    command += ["--folder", str(folder)]
    output, errors = scratch / f"{kind}.out", scratch / f"{kind}.err"
    with output.open("wb") as stdout, errors.open("wb") as stderr:
        process = subprocess.Popen(command, stdout=stdout, stderr=stderr)  # noqa: S603 - a fixed command
        _, status, usage = os.wait4(process.pid, 0)
    exit_code = os.waitstatus_to_exitcode(status)
    process.returncode = exit_code  # reaped by wait4; Popen must not wait again
    if exit_code != 0:
        text = errors.read_text(encoding="utf-8", errors="replace").strip()
        tail = "\n".join(text.splitlines()[-20:])
        raise SystemExit(f"{kind} exited with {exit_code}:\n{tail}")
    answer = json.loads(output.read_text(encoding="utf-8"))
    return Run(kind, float(answer["seconds"]), usage.ru_maxrss, answer["result"])


# In memory ------------------------------------------------------------------


def in_memory(rows: int, runs: int) -> tuple[dict[str, float], dict[str, Any]]:
    """Best times of `compute_kpis` on a dataset of models, and each one's KPIs."""
    print(f"generating {rows:,} activities in memory ...", flush=True)
    start = time.perf_counter()
    base = small_tables()
    ds = ck.Dataset(
        clusters=base.clusters,
        smes=base.smes,
        partnerships=base.partnerships,
        targets=base.targets,
        activities=tuple(generated_activities(base, rows)),
    )
    print(f"generated in {time.perf_counter() - start:.1f} s")
    works: dict[str, Callable[[], Any]] = {
        "validate=False": lambda: ck.compute_kpis(ds, validate=False),
        "validate=True": lambda: ck.compute_kpis(ds),
    }
    best: dict[str, float] = {}
    results: dict[str, Any] = {}
    for number in range(1, runs + 1):
        for label, work in works.items():
            gc.collect()
            start = time.perf_counter()
            result = work()
            seconds = time.perf_counter() - start
            print(f"run {number} in memory, {label}: {seconds:.2f} s", flush=True)
            best[label] = min(best.get(label, seconds), seconds)
            results.setdefault(label, result.to_dict())
    return best, results


# Comparing and printing ------------------------------------------------------


def differences(expected: Mapping[str, Any], got: Mapping[str, Any]) -> list[str]:
    """How `got` differs from `expected` in the KPIs `expected` has."""
    found = []
    for key, value in expected["kpis"].items():
        if key not in got["kpis"]:
            found.append(f"kpis.{key}: missing (expected {value!r})")
        elif got["kpis"][key] != value:
            found.append(f"kpis.{key}: {got['kpis'][key]!r}, expected {value!r}")
    for kind, count in expected["activities_by_type"].items():
        mine = got["activities_by_type"].get(kind)
        if mine != count:
            found.append(f"activities_by_type.{kind}: {mine!r}, expected {count!r}")
    mine, theirs = list(got["target_markets"]), list(expected["target_markets"])
    if mine != theirs:
        found.append(f"target_markets: {_markets(mine)}")
        found.append(f"      expected: {_markets(theirs)}")
    return found


def _markets(markets: Sequence[Mapping[str, Any]]) -> str:
    return ", ".join(
        f"{m['country']} {m['partnerships']}/{m['activities']}" for m in markets
    )


def describe_records(label: str, result: Mapping[str, Any]) -> None:
    """Print what the validator gate left out of a clusterkit result, if anything."""
    records = result.get("records") or {}
    excluded = {
        table: counts.get("excluded", 0)
        for table, counts in records.items()
        if counts.get("excluded", 0)
    }
    if excluded:
        rules = result.get("excluded_by_rule") or {}
        print(f"{label}: excluded {excluded}; by rule {rules}")


def version(package: str) -> str:
    """An installed package's version, or "not installed"."""
    try:
        return importlib.metadata.version(package)
    except importlib.metadata.PackageNotFoundError:
        return "not installed"


def print_table(rows: int, lines: Sequence[Line], baseline: float) -> None:
    """The timing table with the ratios to DuckDB and the §10 targets."""
    print("| what | seconds | records/s | time / DuckDB 1 thread | peak MB | target |")
    print("| --- | --- | --- | --- | --- | --- |")
    for line in lines:
        rate = rows / line.seconds
        peak = "-" if line.peak_mb is None else f"{line.peak_mb:.0f}"
        if line.target is None:
            target = "(information)"
        else:
            met = "yes" if rate >= line.target else "NO"
            target = f">= {line.target:,}/s: {met}"
        print(
            f"| {line.what} | {line.seconds:.2f} | {rate:,.0f} "
            f"| {line.seconds / baseline:.2f}x | {peak} | {target} |"
        )


def main(argv: Sequence[str] | None = None) -> int:
    """Write the files, time clusterkit and DuckDB, compare and print the table."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--runs", type=int, default=3)
    parser.add_argument(
        "--keep", type=Path, help="write the files here and reuse them next time"
    )
    parser.add_argument("--child", choices=KINDS, help=argparse.SUPPRESS)
    parser.add_argument("--folder", type=Path, help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.child:
        return child(args.child, args.folder)

    print(
        f"python {platform.python_version()}, clusterkit {ck.__version__}, "
        f"duckdb {version('duckdb')}, pydantic {version('pydantic')}, "
        f"{os.cpu_count()} CPUs"
    )
    with tempfile.TemporaryDirectory() as scratch:
        root = args.keep.resolve() if args.keep else Path(scratch)
        folder = root / "dataset"
        folder.mkdir(parents=True, exist_ok=True)
        ensure_dataset(folder, args.rows)
        check_headers(folder)
        best: dict[str, Run] = {}
        first: dict[str, dict[str, Any]] = {}
        disagreements: dict[str, list[str]] = {}
        for number in range(1, args.runs + 1):
            for kind in KINDS:
                run = measure(kind, folder, Path(scratch))
                print(
                    f"run {number} {kind}: {run.seconds:.2f} s, {run.peak_mb:.0f} MB",
                    flush=True,
                )
                first.setdefault(kind, run.result)
                previous = best.get(kind)
                best[kind] = attrs.evolve(
                    min(previous, run, key=lambda r: r.seconds) if previous else run,
                    peak_kib=max(run.peak_kib, previous.peak_kib if previous else 0),
                )
                problems = differences(first[kind], run.result)
                if problems:
                    disagreements[f"{kind} run {number} against its run 1"] = problems

    memory_best, memory_results = in_memory(args.rows, args.runs)

    reference = first[BASELINE]
    others = {
        "compute_kpis(folder)": first[CLUSTERKIT_FILE],
        "compute_kpis(folder, jobs=2)": first[CLUSTERKIT_JOBS2],
        "compute_kpis(ds, validate=False)": memory_results["validate=False"],
        "compute_kpis(ds)": memory_results["validate=True"],
        "duckdb, default threads": first[DUCKDB_ALL],
    }
    print()
    for label, result in others.items():
        describe_records(label, result)
    disagreements.update(
        (label, problems)
        for label, result in others.items()
        if (problems := differences(reference, result))
    )
    compared = len(reference["kpis"])
    if disagreements:
        print("\nKPIs DISAGREE (against DuckDB with 1 thread unless said):")
        for label, problems in disagreements.items():
            print(f"- {label}:")
            for problem in problems:
                print(f"    {problem}")
    else:
        print(
            f"KPIs agree: DuckDB's {compared} KPIs, activities_by_type and "
            f"{len(reference['target_markets'])} target markets equal those of "
            "every clusterkit call (files, jobs=2, models with and without the "
            "gate) and of DuckDB with more threads; repeated runs gave the same"
        )
    print(f"DuckDB: {_summary(reference)}")

    lines = [
        Line(
            "clusterkit `compute_kpis(ds, validate=False)`, models in memory",
            memory_best["validate=False"],
            None,
            TARGET_RECORDS_PER_SECOND,
        ),
        Line(
            "clusterkit `compute_kpis(ds)`, models in memory, validator gate",
            memory_best["validate=True"],
            None,
            None,
        ),
        Line(
            "clusterkit `compute_kpis(folder)`, CSV to KPIs",
            best[CLUSTERKIT_FILE].seconds,
            best[CLUSTERKIT_FILE].peak_mb,
            TARGET_FILE_ROWS_PER_SECOND,
        ),
        Line(
            "clusterkit `compute_kpis(folder, jobs=2)`, CSV to KPIs",
            best[CLUSTERKIT_JOBS2].seconds,
            best[CLUSTERKIT_JOBS2].peak_mb,
            None,
        ),
        Line(
            "DuckDB SQL, CSV to KPIs, 1 thread (baseline)",
            best[DUCKDB_ONE].seconds,
            best[DUCKDB_ONE].peak_mb,
            None,
        ),
        Line(
            f"DuckDB SQL, CSV to KPIs, default threads ({os.cpu_count()} CPUs)",
            best[DUCKDB_ALL].seconds,
            best[DUCKDB_ALL].peak_mb,
            None,
        ),
    ]
    print(f"\n## KPIs over {args.rows:,} activity rows (best of {args.runs} run(s))\n")
    print_table(args.rows, lines, best[BASELINE].seconds)
    print(
        "\nSeconds time the call alone (no interpreter start-up or imports); file "
        "runs are fresh child processes, peak MB their resident peak (10^6 bytes; "
        "with jobs=2 the largest process's). Records/s count activity rows."
    )
    return 1 if disagreements else 0


def _summary(result: Mapping[str, Any]) -> str:
    kpis = result["kpis"]
    shown = ("partnerships", "activities", "smes_involved", "b2b_meetings")
    return ", ".join(f"{key} {kpis[key]}" for key in shown)


if __name__ == "__main__":
    raise SystemExit(main())
