"""Private: `clusterkit report [PATH] --output FILE`."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import TextIO

from clusterkit.cli._common import (
    EXIT_DATA,
    EXIT_OK,
    SOURCES,
    Commands,
    UsageError,
    add_as_of,
    add_limit_options,
    add_rule_options,
    add_scope_options,
    add_source_options,
    add_symlink_options,
    follow_symlinks,
    limits,
    not_read_in_full,
    refuse_inputs,
    scope_arguments,
    source_path,
    stdin_or,
    writing,
)
from clusterkit.io import following_symlinks
from clusterkit.reports import KPIReport

__all__ = ["register", "run"]


def register(commands: Commands) -> None:
    """Add `report` to the command line."""
    report = commands.add_parser(
        "report",
        help="write the KPIs as an HTML page or a formatted Excel workbook",
        description=(
            f"Write a KPI report of the dataset at PATH ({SOURCES}; default: the "
            "current folder), of the bundled example with --example, or of the "
            "programme's register with --programme: the headline KPIs, target "
            "markets, activities by type and over time, a table per partnership, "
            "the published figures beside the KPIs when one --generation is in "
            "scope, the records validation left out, and where the numbers come "
            "from. FILE ending in .html is one self-contained page (charts need "
            "clusterkit-eu[report]); .xlsx is a workbook with native charts "
            "(clusterkit-eu[excel]). Exit codes: 0 written, every record used; 1 "
            "written, some records left out; 2 usage error; 3 internal error."
        ),
    )
    add_source_options(report)
    report.add_argument(
        "--output",
        "-o",
        required=True,
        metavar="FILE",
        help="the report to write: FILE.html or FILE.xlsx (replaced if it exists)",
    )
    add_scope_options(report)
    report.add_argument(
        "--period",
        choices=("year", "quarter"),
        default="year",
        help="show activities over time by year (default) or quarter",
    )
    add_rule_options(report)
    add_as_of(report)
    add_symlink_options(report)
    add_limit_options(report)
    report.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Compute the report, write it, and say what was written."""
    output = Path(args.output)
    if output.suffix.lower() not in {".html", ".htm", ".xlsx"}:
        raise UsageError(
            f"clusterkit report: --output {args.output}: a report is a .html "
            "or .xlsx file"
        )
    path = source_path(args, "report")
    refuse_inputs([output], [path], "report")
    chosen = limits(args, "report")
    try:
        with following_symlinks(follow_symlinks(args)), chosen.applied():
            report = KPIReport.build(
                stdin_or(path, "report") if args.path == "-" else path,
                period=args.period,
                **scope_arguments(args),
            )
    except ValueError as error:
        raise UsageError(f"clusterkit report: {error}") from None
    try:
        with writing(args.output, "report"):
            report.write(output)
    except ImportError as error:
        raise UsageError(f"clusterkit report: {error}") from None
    result = report.result
    out.write(
        f"wrote {args.output}: {result['partnerships']:,} partnerships, "
        f"{result['activities']:,} activities\n"
    )
    if result.complete:
        return EXIT_OK
    rules = ", ".join(f"{rule} ({n:,})" for rule, n in result.excluded_by_rule.items())
    sys.stderr.write(
        f"clusterkit report: {result.excluded:,} records left out"
        + not_read_in_full(result)
        + (f"; errors found: {rules}" if rules else "")
        + "; the report lists them\n"
    )
    return EXIT_DATA
