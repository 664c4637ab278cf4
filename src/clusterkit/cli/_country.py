"""Private: `clusterkit country VALUE ...`."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import TextIO

from clusterkit import reference
from clusterkit.cli._common import EXIT_DATA, EXIT_OK, Commands, iso_date, print_json
from clusterkit.cli._encoding import as_written
from clusterkit.countries import PROGRAMMES, CountryStatus, country_status
from clusterkit.render import Table, terminal_width, text_table

__all__ = ["register", "run"]


def register(commands: Commands) -> None:
    """Add `country` to the command line."""
    country = commands.add_parser(
        "country",
        help="normalise country names and codes, with their EU and programme status",
        description=(
            "Normalise each VALUE to one country and show how it was read (code, "
            "name, alias, historic, translation, or typo: a guess), its codes and, on the day "
            "--on (default: today), whether it is an EU member, a participant of the "
            "programme, and a third country under each rule. A value that is not "
            "one country is reported on its line, and the exit code is then 1."
        ),
    )
    country.add_argument("values", nargs="+", metavar="VALUE")
    country.add_argument(
        "--on",
        type=iso_date,
        metavar="DATE",
        help="the day to classify on (YYYY-MM-DD); default: today",
    )
    country.add_argument("--programme", choices=list(PROGRAMMES), default="COSME")
    country.add_argument("--format", choices=["table", "json"], default="table")
    country.set_defaults(run=run)


def run(args: argparse.Namespace, out: TextIO) -> int:
    """Print each value's country and status, as a table or as JSON."""
    on: dt.date = args.on or dt.datetime.now(tz=dt.timezone.utc).date()
    found = [
        country_status(value, on=on, programme=args.programme) for value in args.values
    ]
    if args.format == "json":
        report = {
            "on": on.isoformat(),
            "programme": args.programme,
            "reference_data": reference.version(),
            "countries": [status.to_dict() for status in found],
        }
        print_json(report, out)
    else:
        header = (
            "input", "read as", "ISO", "EU", "alpha-3", "num", "name", "EU member",
            args.programme, "third (non-programme)", "third (beyond-europe)",
        )  # fmt: skip
        out.write(f"on {on.isoformat()}\n")
        # Widths are those of the text as written: escaped where `out` needs it.
        rows = [[as_written(cell, out) for cell in _cells(status)] for status in found]
        heads = [as_written(cell, out) for cell in header]
        table = Table.of(heads, rows, align=["left"] * len(heads))
        out.write(text_table(table, terminal_width(out), rule=False) + "\n")
    return EXIT_OK if all(status.ok for status in found) else EXIT_DATA


def _yes(flag: object) -> str:
    return "yes" if flag else "no"


def _cells(status: CountryStatus) -> tuple[str, ...]:
    country = status.country
    if country is None:
        return (status.value, f"error: {status.message}")
    read_as = str(status.kind)
    if status.language:
        read_as += f" ({status.language})"
    return (
        status.value,
        read_as,
        country.alpha2,
        country.eu_code,
        country.alpha3,
        country.numeric or "-",
        country.name,
        _yes(status.eu_member),
        _yes(status.programme_participant),
        _yes(status.third_country_non_programme),
        _yes(status.third_country_beyond_europe),
    )
