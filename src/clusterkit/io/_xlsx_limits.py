"""Private: `WorkbookLimits`, how much of a workbook the reader reads at most.

An `.xlsx` workbook is a zip archive of XML parts, so a few kilobytes can stand
for gigabytes of XML, hundreds of millions of rows or tens of thousands of sheets.
The reader checks the archive's directory against these limits before it parses
anything, and counts again while it streams (the directory's sizes can lie); a
limit crossed stops the reading with a `CK-FILE-001` finding that names the
limit and how to raise it. The defaults are Excel's own limits where it has one
and are far above any cluster-partnership dataset otherwise.
"""

from __future__ import annotations

import os
from collections.abc import Mapping

import attrs

from clusterkit.errors import DatasetReadError

__all__ = ["ENVIRONMENT", "WorkbookLimits", "raise_hint"]

ENVIRONMENT = "CLUSTERKIT_WORKBOOK_LIMITS"
"""The environment variable that changes the limits: `max_rows=2000000,max_sheets=50`."""


def _positive(instance: object, attribute: attrs.Attribute[int], value: int) -> None:
    del instance
    if value < 1:
        msg = f"{attribute.name} must be a whole number of at least 1, not {value!r}"
        raise ValueError(msg)


@attrs.frozen(kw_only=True)
class WorkbookLimits:
    """The most of a workbook the reader reads; crossing one is a `CK-FILE-001`.

    Attributes:
        max_sheets: Sheets in the workbook (any sheet, not only a table's).
        max_rows: Rows given in one sheet (Excel's limit).
        max_columns: The column of any cell (Excel's limit, column XFD).
        max_member_bytes: Bytes of one part of the workbook once inflated (a
            sheet, the shared strings).
        max_ratio: How many times its stored size a part of more than 1 MiB may
            inflate to (real sheets inflate 5 to 50 times).
        max_shared_strings: Distinct texts in the workbook's shared-string table.
        max_cell_chars: Characters in one cell (Excel's limit).
    """

    max_sheets: int = attrs.field(default=1_000, validator=_positive)
    max_rows: int = attrs.field(default=1_048_576, validator=_positive)
    max_columns: int = attrs.field(default=16_384, validator=_positive)
    max_member_bytes: int = attrs.field(default=1 << 30, validator=_positive)
    max_ratio: int = attrs.field(default=1_000, validator=_positive)
    max_shared_strings: int = attrs.field(default=5_000_000, validator=_positive)
    max_cell_chars: int = attrs.field(default=32_767, validator=_positive)

    @classmethod
    def from_environment(
        cls, environ: Mapping[str, str] = os.environ
    ) -> WorkbookLimits:
        """The defaults, changed by `CLUSTERKIT_WORKBOOK_LIMITS` when it is set.

        Raises:
            DatasetReadError: The variable names no limit, or a value is not a
                whole number of at least 1.
        """
        text = environ.get(ENVIRONMENT, "").strip()
        changes: dict[str, int] = {}
        fields = attrs.fields_dict(cls)
        for item in filter(None, (part.strip() for part in text.split(","))):
            name, _, value = item.partition("=")
            name = name.strip()
            if name not in fields:
                known = ", ".join(fields)
                problem = f"{ENVIRONMENT}: {name!r} is not a limit; limits are {known}"
                raise DatasetReadError(problem)
            try:
                changes[name] = int(value.replace("_", "").strip())
            except ValueError:
                problem = f"{ENVIRONMENT}: {name} must be a whole number, not {value!r}"
                raise DatasetReadError(problem) from None
        try:
            return cls(**changes)
        except ValueError as error:
            raise DatasetReadError(f"{ENVIRONMENT}: {error}") from None


def raise_hint(name: str, value: int) -> str:
    """Name a limit, its value, and how to raise it."""
    return (
        f"the limit {name} is {value:,}; to read more, set the environment variable "
        f"{ENVIRONMENT}={name}=<n>"
    )
