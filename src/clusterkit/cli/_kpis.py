"""Private: `clusterkit kpis [PATH]`."""

from __future__ import annotations

import argparse
import csv
import io
import json
import re
import sys
from typing import TextIO

from clusterkit._output import escape_formula, surrogates_escaped
from clusterkit.cli._common import (
    EXIT_DATA,
    EXIT_OK,
    SOURCES,
    STDOUT,
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
    output_file,
    progress,
    refuse_inputs,
    rule_options_given,
    scope_arguments,
    source_path,
    stdin_or,
)
from clusterkit.cli._encoding import for_format
from clusterkit.kpis import KPIResult, Reconciliation, compute_kpis, reconcile
from clusterkit.render import terminal_width

__all__ = ["register", "run"]

_FORMATS = ("table", "json", "csv", "markdown")


def register(commands: Commands) -> None:
    """Add `kpis` to the command line."""
    kpis = commands.add_parser(
        "kpis",
        help="compute the programme's KPIs, with filters and breakdowns",
        description=(
            f"Compute every KPI of the dataset at PATH ({SOURCES}; default: the "
            "current folder), of the bundled example with --example, or of the "
            "programme's real register with --programme. Records with an "
            "error finding are left out and counted (see clusterkit validate); "
            "--select, --ignore and --threshold choose the rules that leave "
            "records out, as for clusterkit validate. Exit codes: 0 every record was used; "
            "1 some were left out or could not be read (the KPIs are still printed); "
            "2 usage error; 3 internal error."
        ),
    )
    add_source_options(kpis)
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
    add_scope_options(kpis)
    kpis.add_argument("--format", choices=_FORMATS, default="table")
    kpis.add_argument("--output", metavar="FILE", help="write to FILE, not stdout")
    kpis.add_argument(
        "--csv-escape-formulas",
        action="store_true",
        help="--format csv: put ' before text cells starting with =, +, -, @, tab or CR",
    )
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
        help=(
            "use every record that can be read, without the validator "
            "(not with --select, --ignore or --threshold)"
        ),
    )
    add_rule_options(kpis)
    add_as_of(kpis)
    add_symlink_options(kpis)
    add_limit_options(kpis)
    kpis.set_defaults(run=run)


def _jobs(text: str) -> int:
    """An argument type: a number of processes, a whole number of at least 1."""
    try:
        value = int(text)
    except ValueError:
        value = 0
    if value < 1:
        msg = f"{text!r} is not a whole number of processes (at least 1)"
        raise argparse.ArgumentTypeError(msg)
    return value


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Compute and write the KPIs; say on stderr which records were left out."""
    if args.reconcile and args.format == "csv":
        raise UsageError(
            "clusterkit kpis: --reconcile needs --format table, markdown or json "
            "(the CSV holds one table of KPIs)"
        )
    given = rule_options_given(args)
    if not args.validate and given:
        raise UsageError(
            f"clusterkit kpis: --no-validate does not go with {', '.join(given)}: "
            "it checks only that each record can be read; to use records that "
            "break some rules, drop --no-validate and --ignore those rules "
            "(--ignore CK-PART-001)"
        )
    path = source_path(args, "kpis")
    if args.output == STDOUT:
        args.output = None
    if args.output is not None:
        refuse_inputs([args.output], [path], "kpis")
    chosen = limits(args, "kpis")
    shown = progress(sys.stderr)
    try:
        result = compute_kpis(
            stdin_or(path, "kpis") if args.path == "-" else path,
            progress=shown,
            by=args.by,
            validate=args.validate,
            follow_symlinks=follow_symlinks(args),
            **scope_arguments(args),
            jobs=args.jobs,
            limits=chosen,
        )
        reconciliation = reconcile(result) if args.reconcile else None
    except ValueError as error:
        raise UsageError(f"clusterkit kpis: {error}") from None
    finally:
        if shown is not None:
            shown.done()
    # A table printed on a terminal fits its width; in a file or a pipe, it is
    # written whole.
    width = terminal_width(out) if args.output is None else None
    text = _text(
        result, reconciliation, args.format, width, escape=args.csv_escape_formulas
    )
    if args.output is None:
        for_format(out, args.format).write(text)
    else:
        with output_file(args.output, "kpis") as handle:
            handle.write(text)
    if result.complete:
        return EXIT_OK
    left_out = ", ".join(
        f"{table} {n.excluded:,}" for table, n in result.records.items() if n.excluded
    )
    rules = ", ".join(f"{rule} ({n:,})" for rule, n in result.excluded_by_rule.items())
    sys.stderr.write(
        "clusterkit kpis: records left out: "
        + (left_out or "none")
        + not_read_in_full(result)
        + (f"; errors found: {rules}" if rules else "")
        + f"; run `clusterkit validate {path}` for where and why\n"
    )
    return EXIT_DATA


def _text(
    result: KPIResult,
    reconciliation: Reconciliation | None,
    name: str,
    width: int | None = None,
    *,
    escape: bool = False,
) -> str:
    if name == "json":
        data = result.to_dict()
        if reconciliation is not None:
            data["reconciliation"] = reconciliation.to_dict()
        return surrogates_escaped(json.dumps(data, indent=2, ensure_ascii=False)) + "\n"
    if name == "csv":
        return _escaped(result.to_csv()) if escape else result.to_csv()
    if name == "markdown":
        text = result.to_markdown()
        return (
            text
            if reconciliation is None
            else text + "\n" + reconciliation.to_markdown()
        )
    text = result.to_table(width)
    if reconciliation is None:
        return text
    return text + "\n" + reconciliation.to_table(width)


def _escaped(text: str) -> str:
    """CSV text with each cell a spreadsheet would run as a formula escaped.

    A number, such as `-5`, is a number to a spreadsheet too, and is left as it is.
    """
    rows = csv.reader(io.StringIO(text, newline=""))
    escaped = io.StringIO(newline="")
    writer = csv.writer(escaped, lineterminator="\r\n" if "\r\n" in text else "\n")
    for row in rows:
        writer.writerow(
            [cell if _number(cell) else escape_formula(cell) for cell in row]
        )
    return escaped.getvalue()


# A number as the CSV output writes one (a count, a ratio such as 0.5 or
# 1e-05): `float` also takes `-inf`, `-nan` and `-1_0`, which are text here.
_NUMBER = re.compile(r"-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?")


def _number(cell: str) -> bool:
    return _NUMBER.fullmatch(cell) is not None
