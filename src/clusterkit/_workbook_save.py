"""Private leaf: an openpyxl workbook saved byte for byte the same from the same content.

openpyxl's `Workbook.save` stamps the workbook's properties and every zip
entry with the time of saving, so two saves of one dataset or report differ,
and a workbook kept in version control changes at every run. Here the time is
one the caller gives (a report's `as_of` day, or a fixed day for a dataset).
"""

from __future__ import annotations

import datetime as dt
import os
import shutil
import zipfile
from pathlib import Path
from typing import IO, Any

__all__ = ["FIXED_TIME", "save_workbook"]

FIXED_TIME = dt.datetime(1980, 1, 1)  # noqa: DTZ001 - a zip's time has no zone
"""The earliest time a zip entry holds: the time of a dataset's workbook."""


class _FixedTimeZip(zipfile.ZipFile):
    """A zip whose every entry is dated `when`, whatever the clock or file says."""

    def __init__(
        self, target: str | os.PathLike[str] | IO[bytes], when: dt.datetime
    ) -> None:
        super().__init__(target, "w", zipfile.ZIP_DEFLATED, allowZip64=True)
        self._when = when.timetuple()[:6]

    def _entry(self, name: str) -> zipfile.ZipInfo:
        entry = zipfile.ZipInfo(name, date_time=self._when)
        entry.compress_type = zipfile.ZIP_DEFLATED
        entry.external_attr = 0o600 << 16  # as `writestr` gives an entry
        return entry

    def writestr(  # type: ignore[override] # openpyxl names entries by text only
        self, zinfo_or_arcname: str, data: str | bytes, *args: Any, **kwargs: Any
    ) -> None:
        super().writestr(self._entry(zinfo_or_arcname), data, *args, **kwargs)

    def write(  # type: ignore[override] # openpyxl gives a file and its entry's name
        self, filename: str | os.PathLike[str], arcname: str, *args: Any, **kwargs: Any
    ) -> None:
        del args, kwargs  # openpyxl passes none
        # A write-only sheet is a temporary file, copied in without its time;
        # its size tells the zip whether the entry needs ZIP64 (over 2 GiB).
        entry = self._entry(arcname)
        entry.file_size = Path(filename).stat().st_size
        with Path(filename).open("rb") as source, self.open(entry, "w") as target:
            shutil.copyfileobj(source, target, 1 << 20)


def save_workbook(
    workbook: Any, target: str | os.PathLike[str] | IO[bytes], when: dt.datetime
) -> None:
    """Save `workbook` (of one sheet or more) as `Workbook.save` does, dated `when`.

    A time before 1980, which no zip entry holds, is 1980.
    """
    from openpyxl.writer.excel import ExcelWriter  # noqa: PLC0415 - optional, imported on use

    stamp = max(when, FIXED_TIME)
    workbook.properties.created = workbook.properties.modified = stamp
    with _FixedTimeZip(target, stamp) as archive:
        ExcelWriter(workbook, archive).save()
