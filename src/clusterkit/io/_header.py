"""Private: reading the header row of a CSV file or a workbook sheet.

Names are matched without case and surrounding space. A duplicate column, an
unknown column and an empty header cell before named ones are reported and the
column ignored; a required column that is missing is reported once, here, not on
every row. The strict readers stop at the first of these.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from clusterkit._hints import did_you_mean
from clusterkit.io._problems import (
    DUPLICATE_COLUMN,
    MISSING_COLUMN,
    UNKNOWN_COLUMN,
    Reporter,
)
from clusterkit.io._rows import field_columns, required_fields
from clusterkit.models import TABLES, Record
from clusterkit.report import Entity
from clusterkit.values import Location

__all__ = ["read_header"]


def read_header(
    cells: Sequence[str],
    table: str,
    where: Callable[[int | None, str], Location],
    report: Reporter,
    model: type[Record] | None = None,
) -> dict[str, int]:
    """The position (from 0) of each known field in a header row.

    Args:
        cells: The header cells.
        table: The table the file holds.
        where: The location of a column (1-based; `None` for the row) and field.
        report: Told of each problem; the column is then ignored.
        model: The model of the table's rows, when not the table's own (a
            subclass, whose fields are known too).
    """
    # The columns a record is read by: the fields, or their aliases.
    known = tuple(field_columns(model or TABLES[table]).values())
    entity = Entity(table)
    positions: dict[str, int] = {}
    # The last named cell: an empty cell before it is reported, one after it
    # is trailing. Found once, so that a row of empty cells is read in linear time.
    last_named = max(
        (index for index, cell in enumerate(cells) if cell.strip()), default=-1
    )
    for index, cell in enumerate(cells):
        name = cell.strip().lower()
        if name in positions:
            report(
                DUPLICATE_COLUMN,
                where(index + 1, name),
                f"duplicate column {name!r} (also column {positions[name] + 1})",
                entity=entity,
                value=name,
                outcome="this column is ignored",
            )
        elif name in known:
            positions[name] = index
        elif name:
            report(
                UNKNOWN_COLUMN,
                where(index + 1, name),
                f"unknown column {name!r} in {table}",
                hint=did_you_mean(name, known),
                entity=entity,
                value=name,
                expected=", ".join(known),
                outcome="it is ignored",
            )
        elif index < last_named:
            report(
                UNKNOWN_COLUMN,
                where(index + 1, name),
                f"header cell {index + 1} is empty",
                entity=entity,
                outcome="the column is ignored",
            )
    for name in required_fields(table, model):
        if name not in positions:
            report(
                MISSING_COLUMN,
                where(None, name),
                f"required column {name!r} is missing from {table}",
                entity=entity,
                expected=name,
            )
    return positions
