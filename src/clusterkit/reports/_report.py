"""Private: `KPIReport`, what a report shows, computed once for HTML and xlsx alike."""

from __future__ import annotations

import datetime as dt
import hashlib
import os
from collections.abc import Iterable
from pathlib import Path
from typing import Literal

import attrs

from clusterkit._dates import as_of_day
from clusterkit._output import atomic_file, atomic_path
from clusterkit._version import VERSION
from clusterkit.errors import DatasetReadError
from clusterkit.io import Source, open_source, read_stream, source_name
from clusterkit.kpis import KPIResult, Reconciliation, compute_kpis, reconcile
from clusterkit.rules import Thresholds

__all__ = ["InputFile", "KPIReport", "Period", "write_report"]

Period = Literal["year", "quarter"]
"""How the report's activities-over-time section groups activities."""

_SUFFIXES = {".html": "html", ".htm": "html", ".xlsx": "xlsx"}


@attrs.frozen
class InputFile:
    """One input of a report, for its provenance.

    Added in version 0.2.0.

    Attributes:
        name: The file as given (joined with the table file's name for a
            folder), or what a stream, mapping or `Dataset` is called.
        size: Its size in bytes (`None`: records in memory).
        sha256: The SHA-256 of its bytes, in hex (`None`: records in memory).
    """

    name: str
    size: int | None = None
    sha256: str | None = None


@attrs.frozen
class KPIReport:
    """The KPIs of a scope with the breakdowns a report shows, and where they came from.

    Build one with `KPIReport.build(source, ...)`; write it with `to_html()`,
    `to_xlsx(path)` or `write(path)`.

    Added in version 0.2.0.

    Attributes:
        result: The KPIs of the scope, with what validation left out.
        by_partnership: The same scope broken down by partnership.
        over_time: The same scope broken down by `period`.
        period: `year` or `quarter`.
        reconciliation: The KPIs beside the figures published for the one
            generation in scope, or `None` (no single generation, or nothing
            published for it).
        inputs: The files read, with their sizes and SHA-256.
        as_of: The day after which dates counted as in the future.
        version: The clusterkit version that computed the report.

    Examples:
        >>> import datetime as dt
        >>> import clusterkit as ck
        >>> report = ck.reports.KPIReport.build(
        ...     ck.io.example_path(), generation="escp-4i-1", as_of=dt.date(2026, 1, 1)
        ... )
        >>> report.result["partnerships"], len(report.by_partnership.groups)
        (3, 3)
        >>> report.reconciliation is not None
        True
    """

    result: KPIResult
    by_partnership: KPIResult
    over_time: KPIResult
    period: Period
    reconciliation: Reconciliation | None
    inputs: tuple[InputFile, ...]
    as_of: dt.date
    version: str = VERSION

    @classmethod
    def build(
        cls,
        source: Source,
        *,
        period: Period = "year",
        generation: str | Iterable[str] | None = None,
        partnership: str | Iterable[str] | None = None,
        start: dt.date | None = None,
        end: dt.date | None = None,
        target_country: str | Iterable[str] | None = None,
        validate: bool = True,
        select: str | Iterable[str] | None = None,
        ignore: str | Iterable[str] | None = None,
        thresholds: Thresholds | None = None,
        as_of: dt.date | None = None,
        format: str | None = None,  # noqa: A002 - as compute_kpis
        name: str | None = None,
    ) -> KPIReport:
        """Compute the KPIs of a scope, by partnership and over time.

        The arguments are those of `clusterkit.compute_kpis` (without `by`,
        which the report chooses): the three views are computed from the same
        source with the same scope and the same validation gate. A stream is
        read once, into memory.

        Args:
            source: A dataset in any form `compute_kpis` reads.
            period: Group the activities over time by `year` or `quarter`.
            generation: Only these generations; with exactly one, the report
                sets the KPIs beside the figures published for it.
            partnership: Only these partnerships.
            start: Only activities starting on or after this day.
            end: Only activities starting on or before this day.
            target_country: Only activities targeting these countries.
            validate: `False` uses the records without the validator.
            select: Only these rules leave records out.
            ignore: These rules leave no record out.
            thresholds: Overrides of the partnership-structure thresholds.
            as_of: The day after which dates are in the future; default today,
                the same for every view.
            format: The format of a stream whose bytes do not tell.
            name: How findings name a stream, a mapping or a `Dataset`.

        Returns:
            The report's KPIs, ready to write.

        Raises:
            ValueError: As `compute_kpis` raises it, or an unknown `period`.
            TypeError: As `compute_kpis` raises it.
        """
        if period not in {"year", "quarter"}:
            msg = f"period is 'year' or 'quarter', not {period!r}"
            raise ValueError(msg)
        day = as_of_day(as_of)
        if hasattr(source, "read"):
            name = source_name(source, name)
            source = read_stream(source, name)
        inputs = _inputs(source, name)

        def compute(by: str | None) -> KPIResult:
            return compute_kpis(
                source,
                by=by,
                generation=generation,
                partnership=partnership,
                start=start,
                end=end,
                target_country=target_country,
                validate=validate,
                select=select,
                ignore=ignore,
                thresholds=thresholds,
                as_of=day,
                format=format,
                name=name,
            )

        result = compute(None)
        generations = result.scope.generation or ()
        reconciliation = None
        if len(generations) == 1:
            try:
                reconciliation = reconcile(result)
            except ValueError:  # nothing published for this generation
                reconciliation = None
        return cls(
            result=result,
            by_partnership=compute("partnership"),
            over_time=compute(period),
            period=period,
            reconciliation=reconciliation,
            inputs=inputs,
            as_of=day,
        )

    def to_html(self) -> str:
        """The report as one self-contained HTML page.

        Everything is inline: styles and charts (SVG drawn by matplotlib, the
        extra `clusterkit-eu[report]`); the page loads nothing from the network,
        fits a phone's screen and prints. Every value from the data is escaped.

        Raises:
            ImportError: matplotlib is not installed.

        Examples:
            >>> import datetime as dt
            >>> import clusterkit as ck
            >>> report = ck.reports.KPIReport.build(
            ...     ck.load_example(), as_of=dt.date(2026, 1, 1)
            ... )
            >>> report.to_html().startswith("<!DOCTYPE html>")
            True
        """
        from clusterkit.reports import _html  # noqa: PLC0415 - imports matplotlib

        return _html.page(self)

    def to_xlsx(self, path: str | os.PathLike[str]) -> Path:
        """Write the report as a formatted workbook, with native Excel charts.

        A sheet per breakdown (summary, target markets, activities by type,
        over time, partnerships, reconciliation when there is one), the
        records and findings of validation, and the report's provenance.
        Needs openpyxl, the extra `clusterkit-eu[excel]`.

        Args:
            path: The workbook to write (replaced if it exists).

        Returns:
            The path written.

        Raises:
            ImportError: openpyxl is not installed.
            FileExistsError: `path` is a symbolic link (not written through).
            OSError: The file cannot be written; `path` is left as it was.

        Examples:
            >>> import datetime as dt, tempfile, pathlib
            >>> import clusterkit as ck
            >>> report = ck.reports.KPIReport.build(
            ...     ck.load_example(), as_of=dt.date(2026, 1, 1)
            ... )
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     report.to_xlsx(pathlib.Path(folder) / "kpis.xlsx").name
            'kpis.xlsx'
        """
        from clusterkit.reports import _xlsx  # noqa: PLC0415 - imports openpyxl

        target = Path(path)
        with atomic_path(target) as temporary:
            _xlsx.write(self, temporary)
        return target

    def write(self, path: str | os.PathLike[str]) -> Path:
        """Write the report as HTML or xlsx, by the suffix of `path`.

        Args:
            path: A `.html` (or `.htm`) or `.xlsx` file (replaced if it exists).

        Returns:
            The path written.

        Raises:
            ValueError: Another suffix.
            ImportError: The extra the format needs is not installed.
            FileExistsError: `path` is a symbolic link (not written through).
            OSError: The file cannot be written; `path` is left as it was.

        Examples:
            >>> import datetime as dt, tempfile, pathlib
            >>> import clusterkit as ck
            >>> report = ck.reports.KPIReport.build(
            ...     ck.load_example(), as_of=dt.date(2026, 1, 1)
            ... )
            >>> with tempfile.TemporaryDirectory() as folder:
            ...     report.write(pathlib.Path(folder) / "kpis.html").suffix
            '.html'
        """
        target = Path(path)
        kind = report_format(target)
        if kind == "xlsx":
            return self.to_xlsx(target)
        html = self.to_html()
        with atomic_file(target) as handle:
            handle.write(html)
        return target


def report_format(path: Path) -> str:
    """`html` or `xlsx`, from a report file's suffix.

    Raises:
        ValueError: Neither.
    """
    kind = _SUFFIXES.get(path.suffix.lower())
    if kind is None:
        msg = f"{path}: a report is written as .html or .xlsx, not {path.suffix or 'a file without a suffix'}"
        raise ValueError(msg)
    return kind


def write_report(
    source: Source,
    path: str | os.PathLike[str],
    *,
    period: Period = "year",
    generation: str | Iterable[str] | None = None,
    partnership: str | Iterable[str] | None = None,
    start: dt.date | None = None,
    end: dt.date | None = None,
    target_country: str | Iterable[str] | None = None,
    as_of: dt.date | None = None,
) -> KPIReport:
    """Compute a dataset's KPI report and write it as HTML or xlsx (by suffix).

    The short form of `KPIReport.build(source, ...).write(path)`; `build`
    takes the validation gate's options too.

    Added in version 0.2.0.

    Args:
        source: A dataset in any form `compute_kpis` reads.
        path: A `.html` or `.xlsx` file to write (replaced if it exists).
        period: Group the activities over time by `year` or `quarter`.
        generation: Only these generations (one: reconciled with its
            published figures).
        partnership: Only these partnerships.
        start: Only activities starting on or after this day.
        end: Only activities starting on or before this day.
        target_country: Only activities targeting these countries.
        as_of: The day after which dates are in the future; default today.

    Returns:
        The report written.

    Raises:
        ValueError: A suffix other than `.html` or `.xlsx`, or as
            `compute_kpis` raises it.
        ImportError: The extra the format needs is not installed.
        FileExistsError: `path` is a symbolic link (not written through).
        OSError: The file cannot be written; `path` is left as it was.
        TypeError: As `compute_kpis` raises it.

    Examples:
        >>> import datetime as dt, tempfile, pathlib
        >>> import clusterkit as ck
        >>> with tempfile.TemporaryDirectory() as folder:
        ...     report = ck.reports.write_report(
        ...         ck.load_example(), pathlib.Path(folder) / "kpis.xlsx",
        ...         as_of=dt.date(2026, 1, 1),
        ...     )
        >>> report.result["activities"]
        150
    """
    report_format(Path(path))
    report = KPIReport.build(
        source,
        period=period,
        generation=generation,
        partnership=partnership,
        start=start,
        end=end,
        target_country=target_country,
        as_of=as_of,
    )
    report.write(path)
    return report


def _inputs(source: Source, name: str | None) -> tuple[InputFile, ...]:
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        return (_of_bytes(source_name(source, name), data),)
    if not isinstance(source, (str, os.PathLike)):
        return (InputFile(source_name(source, name)),)
    path = Path(source)
    if path.is_file():
        return (_of_bytes(source_name(source, name), path.read_bytes()),)
    try:
        with open_source(path) as opened:
            members = [
                (member.display, member.path) for member in opened.members.values()
            ]
    except DatasetReadError:  # the findings say why; the report still names it
        return (InputFile(source_name(source, name)),)
    return tuple(
        _of_bytes(display, file.read_bytes())
        for display, file in members
        if file is not None
    )


def _of_bytes(display: str, data: bytes) -> InputFile:
    return InputFile(display, len(data), hashlib.sha256(data).hexdigest())
