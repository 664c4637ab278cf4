"""The `clusterkit` command line (also `python -m clusterkit`).

Not part of the Python API: reach it through the console script or `main`.

Exit codes: 0 success; 1 the data could not be used (an unreadable file, an
invalid row); 2 a usage error; 3 an internal error, reported on one line with
where to report it, never as a traceback.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TextIO

import clusterkit
from clusterkit.errors import DatasetError
from clusterkit.io import Layout, dump_dataset, load_dataset
from clusterkit.models import TABLES
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
    return parser


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


def _run_convert(args: argparse.Namespace, out: TextIO) -> int:
    source, destination = Path(args.source), Path(args.destination)
    if destination.exists() and source.resolve() == destination.resolve():
        raise _UsageError(
            "clusterkit convert: DEST is SRC; input files are never written"
        )
    dataset = load_dataset(args.source)
    try:
        layout = dump_dataset(
            dataset, args.destination, layout=args.to, overwrite=args.force
        )
    except FileExistsError as error:
        raise _UsageError(
            f"clusterkit convert: {error.args[0].replace('pass overwrite=True', 'use --force')}"
        ) from None
    counts = ", ".join(f"{n} {table}" for table, n in dataset.counts.items())
    out.write(f"wrote {args.destination} ({layout.value}): {counts}\n")
    return EXIT_OK


def main(argv: Sequence[str] | None = None) -> int:  # noqa: PLR0911 - one exit per outcome
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
