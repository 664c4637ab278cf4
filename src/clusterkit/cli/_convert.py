"""Private: `clusterkit convert SRC DEST`."""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TextIO

from clusterkit.cli._common import (
    EXIT_OK,
    Commands,
    UsageError,
    add_limit_options,
    limits,
)
from clusterkit.io import Layout, dump_dataset, load_dataset

__all__ = ["register", "run"]


def register(commands: Commands) -> None:
    """Add `convert` to the command line."""
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
    add_limit_options(convert)
    convert.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Read SRC, write DEST and say what was written."""
    source, destination = Path(args.source), Path(args.destination)
    if destination.exists() and source.resolve() == destination.resolve():
        raise UsageError(
            "clusterkit convert: DEST is SRC; input files are never written"
        )
    dataset = load_dataset(args.source, limits=limits(args, "convert"))
    try:
        layout = dump_dataset(
            dataset,
            args.destination,
            layout=args.to,
            overwrite=args.force,
            country_codes=args.country_codes,
        )
    except FileExistsError as error:
        raise UsageError(
            f"clusterkit convert: {error.args[0].replace('pass overwrite=True', 'use --force')}"
        ) from None
    counts = ", ".join(f"{n} {table}" for table, n in dataset.counts.items())
    out.write(f"wrote {args.destination} ({layout}): {counts}\n")
    return EXIT_OK
