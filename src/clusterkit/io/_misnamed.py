"""Private: files of a dataset folder that look like a table's file under another name.

A folder's table files are named exactly after their tables (`smes.csv`), and
other files are not read. A file such as `SMEs.csv`, `sme_list.csv` or
`clustres.csv` is then left out without a word while its table is empty, and
what the user sees is a flood of unknown references. So a file whose name names
a table that has no file is reported (`CK-FILE-003`), as the likely cause.
"""

from __future__ import annotations

import difflib
import re
from collections.abc import Collection, Mapping, Sequence

from clusterkit.io._member import Member
from clusterkit.io._problems import MISNAMED_TABLE_FILE, Reporter
from clusterkit.models import TABLES
from clusterkit.report import Entity
from clusterkit.values import Location

__all__ = ["Misnamed", "misnamed_files", "report_misnamed"]

Misnamed = tuple[str, str, Member]
"""A file that looks like a table's: the table, the file's own name, the file."""

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
    members: Mapping[str, Member], suffix: str, present: Collection[str]
) -> list[Misnamed]:
    """The files that look like the file of a table with none, in name order.

    Args:
        members: The folder's files by name.
        suffix: The layout's file suffix (`.csv`), matched without case.
        present: The tables that have their file.
    """
    missing = [table for table in TABLES if table not in present]
    found: list[Misnamed] = []
    for name in sorted(members):
        stem, dot, ending = name.rpartition(".")
        if not dot or f".{ending.lower()}" != suffix:
            continue
        table = _table_named(stem, missing)
        if table is not None and name != f"{table}{suffix}":
            found.append((table, name, members[name]))
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


def report_misnamed(
    misnamed: Sequence[Misnamed], suffix: str, report: Reporter
) -> None:
    """Report each misnamed file as `CK-FILE-003`, at the file."""
    for table, name, member in misnamed:
        expected = f"{table}{suffix}"
        report(
            MISNAMED_TABLE_FILE,
            Location(file=member.display),
            f"{name} is not read: the {table} table's file is {expected}, and the "
            f"folder has none, so the {table} table is empty",
            hint=(
                f"if {name} holds the {table} table, rename it {expected}: a table's "
                "file is named exactly after the table, in lower case"
            ),
            entity=Entity(table),
            value=name,
            expected=expected,
        )


def listed(misnamed: Sequence[Misnamed]) -> str:
    """`SMEs.csv (smes.csv?), cluster.csv (clusters.csv?)`, for a message."""
    return ", ".join(
        f"{name} ({table}{name[name.rfind('.') :].lower()}?)"
        for table, name, _ in misnamed
    )
