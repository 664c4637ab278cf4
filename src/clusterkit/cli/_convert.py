"""Private: `clusterkit convert SRC DEST`."""

from __future__ import annotations

import argparse
from typing import TextIO

from clusterkit.cli._common import (
    EXIT_OK,
    SOURCES,
    Commands,
    add_limit_options,
    add_symlink_options,
    follow_symlinks,
    limits,
    refuse_inputs,
    stdin_or,
    writing,
)
from clusterkit.io import Layout, dump_dataset, load_dataset

__all__ = ["register", "run"]


def register(commands: Commands) -> None:
    """Add `convert` to the command line."""
    convert = commands.add_parser(
        "convert",
        help="convert a dataset between layouts (CSV, JSON Lines, JSON, Excel)",
        description=(
            f"Read a dataset SRC ({SOURCES}) and write it in another layout. "
            "The layout of "
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
    convert.add_argument(
        "--csv-escape-formulas",
        action="store_true",
        help="CSV: put ' before text cells starting with =, +, -, @, tab or CR",
    )
    convert.add_argument(
        "--csv-unescape-formulas",
        action="store_true",
        help="drop the ' that --csv-escape-formulas put before such cells in SRC",
    )
    add_symlink_options(convert)
    add_limit_options(convert)
    convert.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Read SRC, write DEST and say what was written."""
    refuse_inputs([args.destination], [args.source], "convert")
    dataset = load_dataset(
        stdin_or(args.source),
        unescape_formulas=args.csv_unescape_formulas,
        follow_symlinks=follow_symlinks(args),
        limits=limits(args, "convert"),
    )
    with writing(args.destination, "convert"):
        layout = dump_dataset(
            dataset,
            args.destination,
            layout=args.to,
            overwrite=args.force,
            country_codes=args.country_codes,
            escape_formulas=args.csv_escape_formulas,
        )
    counts = ", ".join(f"{n} {table}" for table, n in dataset.counts.items())
    out.write(f"wrote {args.destination} ({layout}): {counts}\n")
    return EXIT_OK
