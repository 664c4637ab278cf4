"""Private: `clusterkit schema [TABLE]`."""

from __future__ import annotations

import argparse
from typing import TextIO

from clusterkit.cli._common import EXIT_OK, Commands, UsageError, print_json
from clusterkit.models import TABLES
from clusterkit.schema import json_schema, table_schema

__all__ = ["register", "run"]


def register(commands: Commands) -> None:
    """Add `schema` to the command line."""
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
    schema.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Print the schema."""
    if args.format == "table-schema":
        if args.table is None:
            raise UsageError("clusterkit schema: --format table-schema needs a TABLE")
        print_json(table_schema(args.table), out)
    else:
        print_json(json_schema(args.table), out)
    return EXIT_OK
