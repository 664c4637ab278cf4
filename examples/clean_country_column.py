"""Clean a country column: each value's ISO code, how it was read, and what to check.

Usage::

    python examples/clean_country_column.py [FILE.csv COLUMN]

Without arguments it cleans a small sample column. The input file is only read;
the cleaned column is printed as CSV (value, code, read_as, note), so it can be
saved with `> cleaned.csv`. Guesses (typos) and values that are not one country
are counted at the end; the exit code is 1 when a value needs a person's look,
and 2 when the file or its column cannot be read (the file must be UTF-8 text).
"""

from __future__ import annotations

import csv
import sys
from collections import Counter
from pathlib import Path

from clusterkit.countries import match_country
from clusterkit.errors import AmbiguousCountryError, CountryError

SAMPLE = [
    "Germany",
    "DEU",
    "Allemagne",
    "ドイツ",
    "France (la)",
    "Korea, Rep.",
    "Hong Kong SAR",
    "Frnce",
    "Korea",
    "Gambit",
    "Europe",
]


def read_column(path: Path, column: str) -> list[str]:
    """The values of one column of a UTF-8 CSV file.

    Raises:
        OSError: The file cannot be opened.
        UnicodeDecodeError: The file is not UTF-8 text.
        ValueError: The file has no such column.
    """
    with path.open(encoding="utf-8-sig", newline="") as handle:
        reader = csv.DictReader(handle)
        columns = reader.fieldnames or []
        if column not in columns:
            found = ", ".join(repr(name) for name in columns) or "none"
            msg = f"it has no column {column!r} (its columns: {found})"
            raise ValueError(msg)
        return [row[column] or "" for row in reader]


def clean(value: str) -> tuple[str, str, str]:
    """(code, how it was read, note) for one value; no code when it is no country."""
    try:
        match = match_country(value)
    except AmbiguousCountryError as error:
        return "", "ambiguous", f"could be {' or '.join(error.candidates)}"
    except CountryError as error:
        return "", "unknown", str(error)
    note = "a guess: check it" if match.is_guess else ""
    kind = f"{match.kind} ({match.language})" if match.language else match.kind
    return match.country.alpha2, kind, note


def main(argv: list[str]) -> int:
    """Print the cleaned column and a summary; 1 when a value needs a look."""
    if len(argv) == 2:  # noqa: PLR2004 - FILE and COLUMN
        try:
            values = read_column(Path(argv[0]), argv[1])
        except UnicodeDecodeError:
            print(
                f"cannot read {argv[0]}: it is not UTF-8 text; save it as UTF-8 "
                "(in Excel: CSV UTF-8)",
                file=sys.stderr,
            )
            return 2
        except OSError as error:
            print(f"cannot read {argv[0]}: {error.strerror or error}", file=sys.stderr)
            return 2
        except (ValueError, csv.Error) as error:
            print(f"cannot read {argv[0]}: {error}", file=sys.stderr)
            return 2
    elif not argv:
        values = SAMPLE
    else:
        print(__doc__, file=sys.stderr)
        return 2
    writer = csv.writer(sys.stdout, lineterminator="\n")
    writer.writerow(["value", "code", "read_as", "note"])
    kinds: Counter[str] = Counter()
    for value in values:
        code, kind, note = clean(value)
        kinds[kind.split()[0]] += 1
        writer.writerow([value, code, kind, note])
    to_check = kinds["typo"] + kinds["ambiguous"] + kinds["unknown"]
    print(
        f"{len(values)} values: {len(values) - to_check} read, {kinds['typo']} guessed, "
        f"{kinds['ambiguous'] + kinds['unknown']} not one country",
        file=sys.stderr,
    )
    return 1 if to_check else 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
