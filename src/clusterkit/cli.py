"""The `clusterkit` command line (also `python -m clusterkit`).

Not part of the Python API: reach it through the console script or `main`.

Exit codes: 0 success; 1 the data could not be used (an unreadable file, an
invalid row); 2 a usage error; 3 an internal error, reported on one line with
where to report it, never as a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import sys
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any, TextIO

import attrs

import clusterkit
from clusterkit import reference
from clusterkit.countries import (
    PROGRAMMES,
    is_eu_member,
    is_programme_participant,
    is_third_country,
    normalise_country,
)
from clusterkit.errors import AmbiguousCountryError, CountryError, DatasetError
from clusterkit.io import Layout, dump_dataset, example_path, load_dataset
from clusterkit.kpis import KPIResult, Reconciliation, compute_kpis, reconcile
from clusterkit.models import TABLES
from clusterkit.report import Report
from clusterkit.rules import CATALOGUE, Thresholds, explain, validate
from clusterkit.rules._formats import FORMATS, render_step_summary
from clusterkit.schema import json_schema, table_schema

__all__ = ["main"]

EXIT_OK = 0
EXIT_DATA = 1
EXIT_USAGE = 2
EXIT_INTERNAL = 3

_REPORT_BUGS = "please report it at https://github.com/clusterkit/clusterkit/issues"


class _UsageError(Exception):
    """A command line that cannot be carried out as given."""


class _Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # type: ignore[override]  # argparse's is NoReturn; raising keeps that
        raise _UsageError(f"{self.prog}: error: {message}")


def _parser() -> argparse.ArgumentParser:
    parser = _Parser(
        prog="clusterkit",
        description=(
            "Data model, validator and KPI engine for the EU's cluster "
            "internationalisation programme (ESCP-4i, Euroclusters)."
        ),
    )
    parser.add_argument(
        "--version", action="version", version=f"clusterkit {clusterkit.__version__}"
    )
    commands = parser.add_subparsers(
        dest="command", metavar="COMMAND", parser_class=_Parser
    )

    schema = commands.add_parser(
        "schema",
        help="print the JSON Schema (or Table Schema) of the dataset or one table",
        description=(
            "Print the JSON Schema of a table's records, or of a whole JSON dataset "
            "document when no table is given; --format table-schema prints a "
            "Frictionless Table Schema of a table's CSV file."
        ),
    )
    schema.add_argument(
        "table",
        nargs="?",
        choices=list(TABLES),
        metavar="TABLE",
        help=f"one of: {', '.join(TABLES)}",
    )
    schema.add_argument(
        "--format", choices=["json-schema", "table-schema"], default="json-schema"
    )

    country = commands.add_parser(
        "country",
        help="normalise country names and codes, with their EU and programme status",
        description=(
            "Normalise each VALUE to one country and show its codes and, on the day "
            "--on (default: today), whether it is an EU member, a participant of the "
            "programme, and a third country under each rule. A value that is not "
            "one country is reported on its line, and the exit code is then 1."
        ),
    )
    country.add_argument("values", nargs="+", metavar="VALUE")
    country.add_argument(
        "--on",
        type=_iso_date,
        metavar="DATE",
        help="the day to classify on (YYYY-MM-DD); default: today",
    )
    country.add_argument("--programme", choices=list(PROGRAMMES), default="COSME")
    country.add_argument("--format", choices=["table", "json"], default="table")

    convert = commands.add_parser(
        "convert",
        help="convert a dataset between layouts (CSV, JSON Lines, JSON, Excel)",
        description=(
            "Read a dataset in any layout and write it in another. The layout of "
            "DEST comes from its suffix (.json, .xlsx; a folder is CSV, or JSON Lines "
            "when its name ends in .jsonl) unless --to is given. SRC is never written."
        ),
    )
    convert.add_argument("source", metavar="SRC")
    convert.add_argument("destination", metavar="DEST")
    convert.add_argument("--to", choices=[layout.value for layout in Layout])
    convert.add_argument(
        "--force", action="store_true", help="replace files that exist at DEST"
    )
    convert.add_argument(
        "--country-codes",
        choices=["iso", "eu"],
        default="iso",
        help="write country codes as ISO (GR, GB) or EU (EL, UK)",
    )
    _add_validate(commands)
    _add_kpis(commands)
    commands.add_parser(
        "rules",
        help="list the validator's rules",
        description="List every rule of the validator: id, severity and title.",
    )
    explain = commands.add_parser(
        "explain",
        help="explain one rule: its meaning, a failing example and how to fix it",
        description="Explain one validator rule, e.g. clusterkit explain CK-FK-001.",
    )
    explain.add_argument("rule", metavar="RULE")
    return parser


class _FormatAction(argparse.Action):
    """`--format NAME`: one more output, to stdout until an `--output` follows."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        del parser, option_string
        outputs = list(getattr(namespace, "outputs", None) or [])
        outputs.append([values, None])
        namespace.outputs = outputs


class _OutputAction(argparse.Action):
    """`--output FILE`: where the `--format` just before it is written."""

    def __call__(
        self,
        parser: argparse.ArgumentParser,
        namespace: argparse.Namespace,
        values: Any,
        option_string: str | None = None,
    ) -> None:
        del option_string
        outputs = list(getattr(namespace, "outputs", None) or [])
        if not outputs:
            outputs.append(["text", None])
        if outputs[-1][1] is not None:
            parser.error(
                f"--output {values}: the --format before it already has an "
                "--output; give a --format for each file"
            )
        outputs[-1][1] = values
        namespace.outputs = outputs


def _add_validate(commands: Any) -> None:
    validate = commands.add_parser(
        "validate",
        help="check datasets against every rule; exit 1 when something fails",
        description=(
            "Check each PATH (a folder of CSV or JSON Lines files, a .json document "
            "or an .xlsx workbook; default: the current folder) against every "
            "rule of the validator. Exit codes: 0 nothing at or above --fail-on; "
            "1 findings at or above it (an unreadable file is a finding); 2 usage "
            "error; 3 internal error."
        ),
    )
    validate.add_argument("paths", nargs="*", metavar="PATH")
    validate.add_argument(
        "--format",
        choices=sorted(FORMATS),
        action=_FormatAction,
        dest="outputs",
        help="output format; repeat for several, each with its own --output",
    )
    validate.add_argument(
        "--output",
        metavar="FILE",
        action=_OutputAction,
        dest="outputs",
        help="write the --format just before it to FILE instead of stdout",
    )
    validate.add_argument(
        "--select",
        action="append",
        default=[],
        metavar="RULES",
        help="only these rules: ids or family prefixes (CK-GEO), comma-separated",
    )
    validate.add_argument(
        "--ignore",
        action="append",
        default=[],
        metavar="RULES",
        help="not these rules: ids or family prefixes, comma-separated",
    )
    validate.add_argument(
        "--fail-on",
        choices=["error", "warning", "info", "never"],
        default="error",
        help="the lowest severity that fails the run (exit 1); default: error",
    )
    validate.add_argument(
        "--max-findings",
        type=_count,
        metavar="N",
        help="show at most N findings (all are counted; truncation is stated)",
    )
    validate.add_argument(
        "--as-of",
        type=_iso_date,
        metavar="DATE",
        help="dates after this day are in the future (CK-DATE-004); default: today",
    )
    validate.add_argument(
        "--threshold",
        action="append",
        default=[],
        type=_threshold,
        metavar="NAME=N",
        help=(
            "override a partnership-structure threshold for every generation: "
            f"{', '.join(attrs.fields_dict(Thresholds))}; repeatable"
        ),
    )


_KPI_FORMATS = ("table", "json", "csv", "markdown")


def _add_kpis(commands: Any) -> None:
    kpis = commands.add_parser(
        "kpis",
        help="compute the programme's KPIs, with filters and breakdowns",
        description=(
            "Compute every KPI of the dataset at PATH (a folder of CSV or JSON "
            "Lines files, a .json document or an .xlsx workbook; default: the "
            "current folder), or of the bundled example with --example. Records with an error finding are left out and "
            "counted (see clusterkit validate). Exit codes: 0 every record was used; "
            "1 some were left out or could not be read (the KPIs are still printed); "
            "2 usage error; 3 internal error."
        ),
    )
    kpis.add_argument("path", nargs="?", metavar="PATH")
    kpis.add_argument(
        "--example", action="store_true", help="use the bundled example dataset"
    )
    kpis.add_argument(
        "--by",
        action="append",
        default=[],
        metavar="DIM",
        help=(
            "break down by partnership, generation, target_country, year, quarter "
            "or ecosystem; repeat or comma-separate for combinations"
        ),
    )
    for name, what in (
        ("generation", "generation ids"),
        ("partnership", "partnership ids"),
        ("target-country", "countries (any spelling)"),
    ):
        kpis.add_argument(
            f"--{name}",
            action="append",
            metavar="ID" if name != "target-country" else "COUNTRY",
            help=f"only these {what}; repeatable, comma-separated",
        )
    kpis.add_argument(
        "--from",
        dest="start",
        type=_iso_date,
        metavar="DATE",
        help="only activities starting on or after DATE",
    )
    kpis.add_argument(
        "--to",
        dest="end",
        type=_iso_date,
        metavar="DATE",
        help="only activities starting on or before DATE",
    )
    kpis.add_argument("--format", choices=_KPI_FORMATS, default="table")
    kpis.add_argument("--output", metavar="FILE", help="write to FILE, not stdout")
    kpis.add_argument(
        "--reconcile",
        action="store_true",
        help=(
            "also set the KPIs beside the figures published for the one generation "
            "in scope (--generation)"
        ),
    )
    kpis.add_argument(
        "--jobs",
        type=_jobs,
        default=1,
        metavar="N",
        help="share a large activities.csv or .jsonl among N processes",
    )
    kpis.add_argument(
        "--no-validate",
        dest="validate",
        action="store_false",
        help="use every record that can be read, without the validator",
    )
    kpis.add_argument(
        "--as-of",
        type=_iso_date,
        metavar="DATE",
        help="dates after this day are in the future (CK-DATE-004); default: today",
    )


def _jobs(text: str) -> int:
    value = _count(text)
    if value < 1:
        msg = f"{text!r} is not a number of processes (at least 1)"
        raise argparse.ArgumentTypeError(msg)
    return value


def _run_kpis(args: argparse.Namespace, out: TextIO) -> int:
    if args.example and args.path is not None:
        raise _UsageError("clusterkit kpis: give a dataset PATH or --example, not both")
    if args.reconcile and args.format == "csv":
        raise _UsageError(
            "clusterkit kpis: --reconcile needs --format table, markdown or json "
            "(the CSV holds one table of KPIs)"
        )
    path = example_path() if args.example else Path(args.path or ".")
    if not path.exists():
        raise _UsageError(f"clusterkit kpis: {path}: no such file or directory")
    progress = _progress(sys.stderr)
    try:
        result = compute_kpis(
            path,
            progress=progress,
            by=args.by,
            generation=args.generation,
            partnership=args.partnership,
            start=args.start,
            end=args.end,
            target_country=args.target_country,
            validate=args.validate,
            as_of=args.as_of,
            jobs=args.jobs,
        )
        reconciliation = reconcile(result) if args.reconcile else None
    except ValueError as error:
        raise _UsageError(f"clusterkit kpis: {error}") from None
    finally:
        if progress is not None:
            progress.done()
    text = _kpi_text(result, reconciliation, args.format)
    if args.output is None:
        out.write(text)
    else:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as error:
            raise _UsageError(
                f"clusterkit kpis: cannot write {args.output}: "
                f"{error.strerror or error}"
            ) from None
    if result.complete:
        return EXIT_OK
    left_out = ", ".join(
        f"{table} {count.excluded:,}"
        for table, count in result.records.items()
        if count.excluded
    )
    rules = ", ".join(f"{rule} ({n:,})" for rule, n in result.excluded_by_rule.items())
    sys.stderr.write(
        "clusterkit kpis: records left out: "
        + (left_out or "none, but a file could not be read in full")
        + (f"; errors found: {rules}" if rules else "")
        + f"; run `clusterkit validate {path}` for where and why\n"
    )
    return EXIT_DATA


def _kpi_text(
    result: KPIResult, reconciliation: Reconciliation | None, name: str
) -> str:
    if name == "json":
        data = result.to_dict()
        if reconciliation is not None:
            data["reconciliation"] = reconciliation.to_dict()
        return json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    if name == "csv":
        return result.to_csv()
    if name == "markdown":
        text = result.to_markdown()
        return (
            text
            if reconciliation is None
            else text + "\n" + reconciliation.to_markdown()
        )
    text = result.to_table()
    return text if reconciliation is None else text + "\n" + reconciliation.to_table()


def _threshold(text: str) -> tuple[str, int]:
    name, _, number = text.partition("=")
    names = attrs.fields_dict(Thresholds)
    if name.strip() not in names:
        msg = f"{name.strip()!r} is not a threshold; thresholds are {', '.join(names)}"
        raise argparse.ArgumentTypeError(msg)
    return name.strip(), _count(number.strip())


def _count(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        value = -1
    if value < 0:
        msg = f"{text!r} is not a whole number of at least 0"
        raise argparse.ArgumentTypeError(msg)
    return value


def _run_validate(args: argparse.Namespace, out: TextIO) -> int:
    in_github = os.environ.get("GITHUB_ACTIONS") == "true"
    outputs = args.outputs or (
        [["text", None], ["github", None]] if in_github else [["text", None]]
    )
    progress = _progress(sys.stderr)
    try:
        report = validate(
            args.paths or ["."],
            progress=progress,
            as_of=args.as_of,
            select=args.select,
            ignore=args.ignore,
            fail_on=args.fail_on,
            max_findings=args.max_findings,
            thresholds=Thresholds(**dict(args.threshold)),
        )
    except ValueError as error:
        raise _UsageError(f"clusterkit validate: {error}") from None
    finally:
        if progress is not None:
            progress.done()
    for name, destination in outputs:
        if destination is None:
            _write_format(name, report, out)
            continue
        try:
            with Path(destination).open("w", encoding="utf-8") as handle:
                _write_format(name, report, handle)
        except OSError as error:
            raise _UsageError(
                f"clusterkit validate: cannot write {destination}: "
                f"{error.strerror or error}"
            ) from None
    summary_file = os.environ.get("GITHUB_STEP_SUMMARY")
    if in_github and summary_file:
        with Path(summary_file).open("a", encoding="utf-8") as handle:
            handle.write(render_step_summary(report) + "\n")
    return EXIT_OK if report.ok else EXIT_DATA


class _Progress:
    """Rows read so far, on one line of a terminal's stderr, at most twice a second."""

    def __init__(self, err: TextIO) -> None:
        self.err = err
        self.shown = 0.0
        self.width = 0

    def __call__(self, where: str, rows: int) -> None:
        now = time.monotonic()
        if now - self.shown < _PROGRESS_EVERY:
            return
        self.shown = now
        text = f"reading {where}: {rows:,} rows"
        self.err.write("\r" + text.ljust(self.width))
        self.err.flush()
        self.width = len(text)

    def done(self) -> None:
        """Clear the progress line, if one was written."""
        if self.width:
            self.err.write("\r" + " " * self.width + "\r")
            self.err.flush()


_PROGRESS_EVERY = 0.5  # seconds


def _progress(err: TextIO) -> _Progress | None:
    # Progress only on a terminal: quiet in pipes, files and CI logs.
    if os.environ.get("CI") or not err.isatty():
        return None
    return _Progress(err)


def _write_format(name: str, report: Report, out: TextIO) -> None:
    if name == "json":
        # Streamed: a report with a million findings is never one string.
        report.write_json(out)
        out.write("\n")
        return
    text = FORMATS[name](report)
    if text:
        out.write(text + "\n")


def _run_rules(out: TextIO) -> int:
    width = max(len(rule.id) for rule in CATALOGUE.values())
    for rule in CATALOGUE.values():
        note = "" if rule.default else "  (only with --select)"
        out.write(f"{rule.id:<{width}}  {rule.severity.value:<7}  {rule.title}{note}\n")
    return EXIT_OK


def _run_explain(args: argparse.Namespace, out: TextIO) -> int:
    try:
        text = explain(args.rule)
    except ValueError as error:
        raise _UsageError(f"clusterkit explain: {error}") from None
    out.write(text.rstrip("\n") + "\n")
    return EXIT_OK


def _print_json(data: object, out: TextIO) -> None:
    json.dump(data, out, indent=2, ensure_ascii=False)
    out.write("\n")


def _run_schema(args: argparse.Namespace, out: TextIO) -> int:
    if args.format == "table-schema":
        if args.table is None:
            raise _UsageError("clusterkit schema: --format table-schema needs a TABLE")
        _print_json(table_schema(args.table), out)
    else:
        _print_json(json_schema(args.table), out)
    return EXIT_OK


def _iso_date(text: str) -> dt.date:
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        msg = f"{text!r} is not a date in the form YYYY-MM-DD"
        raise argparse.ArgumentTypeError(msg) from None


def _country_row(value: str, on: dt.date, programme: str) -> dict[str, Any]:
    try:
        country = normalise_country(value)
    except AmbiguousCountryError as error:
        return {
            "input": value,
            "country": None,
            "error": {
                "type": "ambiguous",
                "message": str(error),
                "candidates": list(error.candidates),
            },
        }
    except CountryError as error:
        return {
            "input": value,
            "country": None,
            "error": {"type": "unknown", "message": str(error), "candidates": []},
        }
    return {
        "input": value,
        "country": attrs.asdict(country),
        "eu_member": is_eu_member(country, on),
        "programme_participant": is_programme_participant(country, programme, on),
        "third_country": {
            "non-programme": is_third_country(country, on, programme, "non-programme"),
            "beyond-europe": is_third_country(country, on, programme, "beyond-europe"),
        },
        "error": None,
    }


def _yes(flag: object) -> str:
    return "yes" if flag else "no"


def _country_cells(row: dict[str, Any]) -> tuple[str, ...]:
    found = row["country"]
    if found is None:
        return (row["input"], f"error: {row['error']['message']}")
    third = row["third_country"]
    return (
        row["input"],
        found["alpha2"],
        found["eu_code"],
        found["alpha3"],
        found["numeric"] or "-",
        found["name"],
        _yes(row["eu_member"]),
        _yes(row["programme_participant"]),
        _yes(third["non-programme"]),
        _yes(third["beyond-europe"]),
    )


def _render_table(rows: Sequence[Sequence[str]]) -> str:
    """Rows as aligned columns; a shorter row's last cell runs on unaligned."""
    full = [row for row in rows if len(row) == len(rows[0])]
    widths = [max(len(row[i]) for row in full) for i in range(len(rows[0]))]
    lines = []
    for row in rows:
        cells = [
            cell.ljust(width) for cell, width in zip(row[:-1], widths, strict=False)
        ]
        lines.append("  ".join([*cells, row[-1]]).rstrip())
    return "\n".join(lines) + "\n"


def _run_country(args: argparse.Namespace, out: TextIO) -> int:
    on: dt.date = args.on or dt.datetime.now(tz=dt.timezone.utc).date()
    rows = [_country_row(value, on, args.programme) for value in args.values]
    if args.format == "json":
        report = {
            "on": on.isoformat(),
            "programme": args.programme,
            "reference_data": reference.version(),
            "countries": rows,
        }
        _print_json(report, out)
    else:
        header = (
            "input", "ISO", "EU", "alpha-3", "num", "name", "EU member",
            args.programme, "third (non-programme)", "third (beyond-europe)",
        )  # fmt: skip
        out.write(f"on {on.isoformat()}\n")
        out.write(_render_table([header, *map(_country_cells, rows)]))
    return EXIT_DATA if any(row["error"] for row in rows) else EXIT_OK


def _run_convert(args: argparse.Namespace, out: TextIO) -> int:
    source, destination = Path(args.source), Path(args.destination)
    if destination.exists() and source.resolve() == destination.resolve():
        raise _UsageError(
            "clusterkit convert: DEST is SRC; input files are never written"
        )
    dataset = load_dataset(args.source)
    try:
        layout = dump_dataset(
            dataset,
            args.destination,
            layout=args.to,
            overwrite=args.force,
            country_codes=args.country_codes,
        )
    except FileExistsError as error:
        raise _UsageError(
            f"clusterkit convert: {error.args[0].replace('pass overwrite=True', 'use --force')}"
        ) from None
    counts = ", ".join(f"{n} {table}" for table, n in dataset.counts.items())
    out.write(f"wrote {args.destination} ({layout.value}): {counts}\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:  # noqa: PLR0911, C901 - one exit per outcome
    """Run the command line and return its exit code.

    Args:
        argv: The arguments after the program name; `sys.argv[1:]` by default.
    """
    out, err = sys.stdout, sys.stderr
    try:
        try:
            args = _parser().parse_args(argv)
        except SystemExit as done:  # --help and --version end the run on purpose
            return int(done.code or 0)
        if args.command == "schema":
            return _run_schema(args, out)
        if args.command == "convert":
            return _run_convert(args, out)
        if args.command == "country":
            return _run_country(args, out)
        if args.command == "validate":
            return _run_validate(args, out)
        if args.command == "kpis":
            return _run_kpis(args, out)
        if args.command == "rules":
            return _run_rules(out)
        if args.command == "explain":
            return _run_explain(args, out)
        _parser().print_usage(err)
        err.write("clusterkit: error: a COMMAND is required (try clusterkit --help)\n")
    except _UsageError as error:
        err.write(f"{error}\n")
    except BrokenPipeError:
        # The reader went away (`clusterkit schema | head`); that is not an error.
        sys.stdout = open(os.devnull, "w")  # noqa: SIM115, PTH123 - stays open so the interpreter can flush at exit
        return EXIT_OK
    except DatasetError as error:
        err.write(f"clusterkit: {error}\n")
        return EXIT_DATA
    except Exception as error:  # noqa: BLE001 - the last line of defence: one line, no traceback
        err.write(
            f"clusterkit: internal error: {type(error).__name__}: {error}; {_REPORT_BUGS}\n"
        )
        return EXIT_INTERNAL
    return EXIT_USAGE
