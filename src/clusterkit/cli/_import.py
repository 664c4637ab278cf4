"""Private: `clusterkit import SRC DEST`."""

from __future__ import annotations

import argparse
import contextlib
import json
import sys
from collections import Counter
from pathlib import Path
from typing import TextIO

from clusterkit._output import surrogates_escaped
from clusterkit.cli._common import (
    EXIT_OK,
    Commands,
    UsageError,
    _resolved,
    add_limit_options,
    limits,
    output_file,
    refuse_inputs,
    writing,
)
from clusterkit.io import Layout, dump_dataset, import_partnerships

__all__ = ["register", "run"]


def register(commands: Commands) -> None:
    """Add `import` to the command line."""
    command = commands.add_parser(
        "import",
        help="import a published, partnership-centric list into a dataset",
        description=(
            "Read SRC, a published list with one record per partnership (.json, "
            ".jsonl, .csv or .xlsx; members inline by name and country, a "
            "coordinator by name, periods as free text), and write it as a "
            "clusterkit dataset at DEST (its layout from its suffix, as for "
            "convert). Variant names of one organisation in one country become one "
            "cluster. Every merge, inference and value left out is a note, printed "
            "on stderr and, with --notes FILE, written as JSON. SRC is never written."
        ),
    )
    command.add_argument("source", metavar="SRC")
    command.add_argument("destination", metavar="DEST")
    command.add_argument("--to", choices=[layout.value for layout in Layout])
    command.add_argument("--force", action="store_true", help="replace files at DEST")
    command.add_argument(
        "--partial-members",
        action="store_true",
        help="the sources name only some members: member-count rules do not apply",
    )
    command.add_argument("--notes", metavar="FILE", help="write the notes as JSON")
    add_limit_options(command)
    command.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Import SRC, write DEST, print the notes and a summary."""
    source, destination = Path(args.source), Path(args.destination)
    written = [args.destination, *([args.notes] if args.notes else [])]
    refuse_inputs(written, [args.source], "import")
    if args.notes:
        notes_at, dest = _resolved(Path(args.notes)), _resolved(destination)
        # A folder's table files are in it: the notes would replace one.
        if notes_at == dest or dest in notes_at.parents:
            raise UsageError(
                "clusterkit import: --notes FILE is DEST or in it; give another file"
            )
    with limits(args, "import").applied():
        result = import_partnerships(source, members_partial=args.partial_members)
    with contextlib.ExitStack() as stack:
        # The notes file is opened first: one that cannot be written stops the
        # run before DEST is written, not after.
        notes_file = (
            stack.enter_context(output_file(args.notes, "import"))
            if args.notes
            else None
        )
        with writing(args.destination, "import"):
            layout = dump_dataset(
                result.dataset, destination, layout=args.to, overwrite=args.force
            )
        for note in result.notes:
            sys.stderr.write(f"{note}\n")
        if notes_file is not None:
            notes = [
                {
                    "record": n.record,
                    "field": n.field,
                    "kind": n.kind,
                    "message": n.message,
                }
                for n in result.notes
            ]
            notes_file.write(
                surrogates_escaped(json.dumps(notes, ensure_ascii=False, indent=2))
                + "\n"
            )
    counts = ", ".join(f"{n} {table}" for table, n in result.dataset.counts.items())
    kinds = Counter(note.kind for note in result.notes)
    told = ", ".join(f"{n} {kind}" for kind, n in sorted(kinds.items())) or "none"
    out.write(f"wrote {destination} ({layout}): {counts}; notes: {told}\n")
    return EXIT_OK
