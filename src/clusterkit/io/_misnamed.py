"""Private: files of a dataset folder that look like a table's file under another name.

A folder's table files are named exactly after their tables (`smes.csv`), and
other files are not read. A file such as `SMEs.csv`, `sme_list.csv` or
`clustres.csv` is then left out without a word while its table is empty, and
what the user sees is a flood of unknown references. So a file whose name names
a table that has no file is reported (`CK-FILE-003`), as the likely cause.

A second copy of a table's file is reported too, since its rows are not read
either: its name in another case (`CLUSTERS.csv` beside `clusters.csv`), or its
name in a subfolder (`old/clusters.csv`). A file with another word in its name
beside the table's own file (`clusters_2019.csv`) is a copy kept on purpose, and
is not.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping, Sequence
from pathlib import PurePosixPath
from typing import NamedTuple

from clusterkit.io._member import Member
from clusterkit.io._problems import MISNAMED_TABLE_FILE, Reporter
from clusterkit.models import TABLES
from clusterkit.report import Entity
from clusterkit.values import Location

__all__ = ["Misnamed", "misnamed_files", "report_misnamed"]


class Misnamed(NamedTuple):
    """A file that looks like a table's, and is not read."""

    table: str
    name: str
    """The file's name (its path, in a subfolder), as messages give it."""
    member: Member
    expected: str
    """The table's file, as messages name it (`smes.csv`)."""
    copy: bool = False
    """Whether the table is read from `expected`, so that this file is a second copy."""


# How a file name may name a table: the table's name or its singular.
_NAMES = {
    "generations": ("generations", "generation"),
    "clusters": ("clusters", "cluster"),
    "smes": ("smes", "sme"),
    "partnerships": ("partnerships", "partnership"),
    "targets": ("targets", "target"),
    "activities": ("activities", "activity"),
}
# A word of a file name this close to a table's name is a misspelling of it
# (`clustres`, `partners`); shorter words must be exact (`same` is not `smes`).
_CLOSE = 0.8
_MIN_CLOSE_LENGTH = 5
_WORD = re.compile(r"[^0-9a-z]+")


def misnamed_files(
    members: Mapping[str, Member],
    suffix: str,
    present: Collection[str],
    nested: Mapping[str, Member] | None = None,
    folder: str = "",
) -> list[Misnamed]:
    """The files that look like a table's file and are not read, in name order.

    Args:
        members: The folder's files by name.
        suffix: The layout's file suffix (`.csv`), matched without case.
        present: The tables that have their file.
        nested: The files in subfolders (or, in an archive, beside its one
            top folder) named like a table's file in any case, by their path
            from the top of the source.
        folder: The path of the table files' folder from the top of the
            source (`data/` in an archive of that folder), which names the table
            file of a nested file.
    """
    own = {f"{table}{suffix}": table for table in TABLES}
    missing = [table for table in TABLES if table not in present]
    found: list[Misnamed] = []
    for name in sorted(members):
        stem, dot, ending = name.rpartition(".")
        if not dot or f".{ending.lower()}" != suffix or name in own:
            continue
        # A present table's file name in another case is a second copy of it,
        # not a file with another word in its name.
        table = own.get(name.lower())
        if table is not None and table in present:
            found.append(
                Misnamed(table, name, members[name], f"{table}{suffix}", copy=True)
            )
            continue
        table = _table_named(stem, missing)
        if table is not None:
            found.append(Misnamed(table, name, members[name], f"{table}{suffix}"))
    for path, member in sorted((nested or {}).items()):
        table = own.get(path.rpartition("/")[2].lower())
        if table is not None:
            expected = f"{folder}{table}{suffix}"
            found.append(Misnamed(table, path, member, expected, copy=table in present))
    return found


def _table_named(stem: str, tables: Sequence[str]) -> str | None:
    """The first of `tables` that a word of `stem` names, exactly or nearly."""
    words = [word for word in _WORD.split(stem.casefold()) if word]
    for table in tables:
        names = _NAMES[table]
        for word in words:
            if word in names:
                return table
            if len(word) >= _MIN_CLOSE_LENGTH and difflib.get_close_matches(
                word, names, n=1, cutoff=_CLOSE
            ):
                return table
    return None


def report_misnamed(misnamed: Sequence[Misnamed], report: Reporter) -> None:
    """Report each file that looks like a table's and is not read as `CK-FILE-003`, at the file."""
    for table, name, member, expected, copy in misnamed:
        if copy:
            message = (
                f"{name} is not read: the {table} table's file is {expected}, which "
                f"is read instead, so the rows of {name} are not in the {table} table"
            )
            kept = f"{table}_2019{PurePosixPath(expected).suffix}"
            hint = (
                f"a table has one file: merge the rows of {name} into {expected}, "
                f"or move {name} out of the dataset (a copy kept in it needs another "
                f"word in its name, such as {kept})"
            )
        else:
            message = (
                f"{name} is not read: the {table} table's file is {expected}, and "
                f"the folder has none, so the {table} table is empty"
            )
            hint = (
                f"if {name} holds the {table} table, rename it {expected}: a table's "
                "file is named exactly after the table, in lower case"
            )
        report(
            MISNAMED_TABLE_FILE,
            Location(file=member.display),
            message,
            hint=hint,
            entity=Entity(table),
            value=name,
            expected=expected,
        )


def listed(misnamed: Sequence[Misnamed]) -> str:
    """`SMEs.csv (smes.csv?), cluster.csv (clusters.csv?)`, for a message."""
    return ", ".join(f"{item.name} ({item.expected}?)" for item in misnamed)
