"""Private: `clusterkit convert SRC DEST`."""

from __future__ import annotations

import argparse
import re
from pathlib import Path
from typing import TextIO

from clusterkit.cli._common import (
    EXIT_OK,
    SOURCES,
    Commands,
    UsageError,
    add_limit_options,
    add_symlink_options,
    follow_symlinks,
    limits,
    refuse_inputs,
    stdin_or,
    writing,
)
from clusterkit.errors import DatasetExistsError
from clusterkit.io import (
    Layout,
    dump_dataset,
    is_database,
    load_dataset,
    source_name,
)
from clusterkit.models import Dataset

__all__ = ["register", "run"]


def register(commands: Commands) -> None:
    """Add `convert` to the command line."""
    convert = commands.add_parser(
        "convert",
        help="convert a dataset between layouts (CSV, JSON Lines, JSON, Excel, SQL)",
        description=(
            f"Read a dataset SRC ({SOURCES}) and write it in another layout. "
            "The layout of DEST comes from its suffix (.json, .xlsx; a folder is "
            "CSV, or JSON Lines when its name ends in .jsonl) unless --to is "
            "given; a database URL such as sqlite:///data.db stores it in the "
            "database. SRC is never written."
        ),
    )
    convert.add_argument("source", metavar="SRC")
    convert.add_argument("destination", metavar="DEST")
    convert.add_argument("--to", choices=[layout.value for layout in Layout])
    convert.add_argument(
        "--force",
        action="store_true",
        help="replace files that exist at DEST (a database: the dataset it holds)",
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
    to_database = is_database(args.destination)
    if to_database and _same_database(args.destination, args.source):
        raise UsageError(
            "clusterkit convert: DEST is SRC; a run never writes its input"
        )
    if not to_database:
        refuse_inputs([args.destination], [args.source], "convert")
    dataset = load_dataset(
        stdin_or(args.source, "convert"),
        unescape_formulas=args.csv_unescape_formulas,
        follow_symlinks=follow_symlinks(args),
        limits=limits(args, "convert"),
    )
    if to_database:
        return _to_database(dataset, args, out)
    with writing(args.destination, "convert"):
        layout = dump_dataset(
            dataset,
            args.destination,
            layout=args.to,
            overwrite=args.force,
            country_codes=args.country_codes,
            escape_formulas=args.csv_escape_formulas,
        )
    out.write(f"wrote {args.destination} ({layout}): {_counts(dataset)}\n")
    return EXIT_OK


def _to_database(dataset: Dataset, args: argparse.Namespace, out: TextIO) -> int:
    """Store the dataset in the database at DEST: replaced with --force, else new."""
    if args.to is not None or args.csv_escape_formulas or args.country_codes != "iso":
        raise UsageError(
            "clusterkit convert: --to, --csv-escape-formulas and --country-codes "
            "are for files; a database stores the records' values"
        )
    try:
        from clusterkit import sql  # noqa: PLC0415 - the optional extra, imported on use
    except ImportError:
        raise UsageError(
            "clusterkit convert: writing a database needs SQLAlchemy: "
            "pip install 'clusterkit-eu[sql]'"
        ) from None
    name = source_name(args.destination)
    try:
        sql.write_sql(
            dataset, args.destination, if_exists="replace" if args.force else "fail"
        )
    except DatasetExistsError:
        raise UsageError(
            f"clusterkit convert: {name}: the tables already hold records; use "
            "--force to replace them"
        ) from None
    out.write(f"wrote {name} (database): {_counts(dataset)}\n")
    return EXIT_OK


def _counts(dataset: Dataset) -> str:
    return ", ".join(f"{n} {table}" for table, n in dataset.counts.items())


def _same_database(destination: str, source: str) -> bool:
    """Whether two database URLs name one database: the same URL, or one SQLite file.

    SQLite names a file in several spellings (`sqlite:///x.db`,
    `sqlite:////home/ana/x.db`): those are compared as resolved paths.
    """
    if destination == source:
        return True
    files = [_sqlite_file(url) for url in (destination, source)]
    return None not in files and files[0] == files[1]


def _sqlite_file(url: str) -> Path | None:
    """The file a `sqlite://` URL names, resolved; `None` for anything else."""
    match = re.match(r"sqlite(?:\+\w+)?:///([^?]+)", url, flags=re.IGNORECASE)
    if match is None or match.group(1) == ":memory:":
        return None
    return Path(match.group(1)).resolve()
