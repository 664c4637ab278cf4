"""Private: the dataset layouts, and loading, dumping and streaming records."""

from __future__ import annotations

import os
from collections.abc import Iterator
from enum import Enum
from pathlib import Path
from typing import TypeVar

from clusterkit.countries import CodeForm
from clusterkit.errors import DatasetReadError
from clusterkit.io._csv import read_csv_table, write_csv_table
from clusterkit.io._excel import read_workbook, write_workbook
from clusterkit.io._json import read_json_document, write_json_document
from clusterkit.io._jsonl import (
    read_jsonl_records,
    read_jsonl_table,
    write_jsonl_table,
)
from clusterkit.io._rows import RawRow, record_from_row, table_of_model
from clusterkit.models import TABLES, Dataset
from clusterkit.models._base import Record
from clusterkit.values import Location

__all__ = [
    "Layout",
    "detect_layout",
    "dump_dataset",
    "iter_raw_rows",
    "iter_records",
    "load_dataset",
]

R = TypeVar("R", bound=Record)
StrPath = str | os.PathLike[str]


class Layout(str, Enum):
    """The file layouts of a dataset.

    Added in version 0.1.0.
    """

    CSV = "csv"
    """A folder with one `<table>.csv` file per table."""
    JSONL = "jsonl"
    """A folder with one `<table>.jsonl` file per table."""
    JSON = "json"
    """One JSON document `{"clusters": [...], ...}`."""
    XLSX = "xlsx"
    """One Excel workbook with a sheet per table."""


_FOLDER_SUFFIX = {Layout.CSV: ".csv", Layout.JSONL: ".jsonl"}


def _display(source: StrPath, name: str | None = None) -> str:
    # Locations show the path as the user gave it, joined with the file name.
    text = os.fspath(source)
    # os.path.join keeps the user's spelling ("data/" stays "data/x.csv").
    return text if name is None else os.path.join(text, name)  # noqa: PTH118 - see above


def detect_layout(source: StrPath) -> Layout:
    """Tell which layout a dataset path has.

    A folder is CSV or JSON Lines by the table files it holds; a file by its suffix.

    Added in version 0.1.0.

    Raises:
        DatasetReadError: The path does not exist, or is not a dataset layout.
    """
    path = Path(source)
    shown = _display(source)
    if path.is_dir():
        found = {
            layout
            for layout, suffix in _FOLDER_SUFFIX.items()
            for table in TABLES
            if (path / f"{table}{suffix}").is_file()
        }
        if len(found) > 1:
            raise DatasetReadError(
                f"{shown}: holds both .csv and .jsonl table files; keep one layout",
                source=shown,
            )
        if not found:
            expected = ", ".join(f"{table}.csv" for table in TABLES)
            raise DatasetReadError(
                f"{shown}: no dataset tables found (expected files such as {expected},"
                " or the same names with .jsonl)",
                source=shown,
            )
        return found.pop()
    if not path.exists():
        raise DatasetReadError(f"{shown}: no such file or folder", source=shown)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return Layout.JSON
    if suffix == ".xlsx":
        return Layout.XLSX
    if suffix in {".csv", ".jsonl"}:
        raise DatasetReadError(
            f"{shown}: a single table file; give the folder that holds it, or read "
            "it with iter_records(path, Model)",
            source=shown,
        )
    raise DatasetReadError(
        f"{shown}: unknown dataset format {suffix or '(no suffix)'!r}; expected a "
        "folder of .csv or .jsonl files, a .json document or an .xlsx workbook",
        source=shown,
    )


def _table_file_rows(path: Path, table: str, display: str) -> Iterator[RawRow]:
    if path.suffix.lower() == ".jsonl":
        return read_jsonl_table(path, table, display)
    return read_csv_table(path, table, display)


def iter_raw_rows(
    source: StrPath, tables: tuple[str, ...] | None = None
) -> Iterator[RawRow]:
    """Yield the raw rows of a dataset, table by table, streaming.

    Args:
        source: A dataset in any layout.
        tables: Only these tables (all when `None`).

    Raises:
        DatasetReadError: A file cannot be read.
    """
    wanted = tuple(TABLES) if tables is None else tables
    layout = detect_layout(source)
    path = Path(source)
    if layout is Layout.JSON:
        yield from read_json_document(path, _display(source), dict.fromkeys(wanted))
    elif layout is Layout.XLSX:
        yield from read_workbook(path, _display(source), dict.fromkeys(wanted))
    else:
        suffix = _FOLDER_SUFFIX[layout]
        for table in wanted:
            file = path / f"{table}{suffix}"
            if file.is_file():
                yield from _table_file_rows(file, table, _display(source, file.name))


def iter_records(source: StrPath, model: type[R]) -> Iterator[tuple[R, Location]]:
    """Yield the records of one table with their locations, one at a time.

    Streams: a CSV, JSON Lines or JSON file is read a record at a time, so memory
    does not grow with the file.

    Added in version 0.1.0.

    Args:
        source: A single table file (`activities.csv`, `activities.jsonl`) or a
            dataset in any layout, from which the table of `model` is read.
        model: The record model, e.g. `clusterkit.ActivityRecord`.

    Yields:
        `(record, location)` pairs; the location names the file and the physical
        line where the record starts (header = line 1).

    Raises:
        DatasetReadError: A file cannot be read or a row is not a valid record.
        TypeError: `model` is not a record model of a dataset table.

    Examples:
        >>> import clusterkit as ck
        >>> from clusterkit.io import example_path
        >>> for activity, where in ck.iter_records(example_path(), ck.ActivityRecord):
        ...     break
        >>> where.line
        2
    """
    path = Path(source)
    if path.is_file() and path.suffix.lower() in _FOLDER_SUFFIX.values():
        return _file_records(path, model, _display(source))
    return _dataset_records(source, model)


def _dataset_records(source: StrPath, model: type[R]) -> Iterator[tuple[R, Location]]:
    """The records of one table of a dataset in any layout."""
    path = Path(source)
    table = table_of_model(model)
    layout = detect_layout(source)
    if layout in _FOLDER_SUFFIX:
        file = path / f"{table}{_FOLDER_SUFFIX[layout]}"
        if file.is_file():
            yield from _file_records(file, model, _display(source, file.name))
        return
    for row in iter_raw_rows(source, (table,)):
        yield record_from_row(row, model), row.location


def _file_records(
    path: Path, model: type[R], display: str
) -> Iterator[tuple[R, Location]]:
    """The records of one table file, `.csv` or `.jsonl`."""
    if path.suffix.lower() == ".jsonl":
        return read_jsonl_records(path, model, display)
    return (
        (record_from_row(row, model), row.location)
        for row in read_csv_table(path, table_of_model(model), display)
    )


def load_dataset(source: StrPath) -> Dataset:
    """Read a dataset in any of the four layouts.

    Missing tables are empty. Input files are only read, never written.

    Added in version 0.1.0.

    Args:
        source: A folder of CSV or JSON Lines files, a `.json` document or an
            `.xlsx` workbook.

    Returns:
        The dataset.

    Raises:
        DatasetReadError: A file cannot be read, or a row is not a valid record;
            the message names the file, the line and the field.

    Examples:
        >>> import clusterkit as ck
        >>> from clusterkit.io import example_path
        >>> ck.load_dataset(example_path()).counts["partnerships"]
        6
    """
    records: dict[str, list[Record]] = {table: [] for table in TABLES}
    if detect_layout(source) in _FOLDER_SUFFIX:
        for table, model in TABLES.items():
            records[table] = [record for record, _ in iter_records(source, model)]
    else:
        # One pass over the document or workbook, whatever order its tables are in.
        for row in iter_raw_rows(source):
            records[row.table].append(record_from_row(row, TABLES[row.table]))
    return Dataset.model_validate(records)


def _layout_for_destination(path: Path, layout: Layout | str | None) -> Layout:
    if layout is not None:
        return Layout(layout)
    suffix = path.suffix.lower()
    if suffix == ".json":
        return Layout.JSON
    if suffix == ".xlsx":
        return Layout.XLSX
    if suffix == ".jsonl":
        return Layout.JSONL
    return Layout.CSV


def dump_dataset(
    dataset: Dataset,
    destination: StrPath,
    *,
    layout: Layout | str | None = None,
    overwrite: bool = False,
    country_codes: CodeForm = "iso",
) -> Layout:
    """Write a dataset in one of the four layouts.

    `load_dataset(dump_dataset(ds, path))` gives a dataset equal to `ds`.

    Added in version 0.1.0.

    Args:
        dataset: The dataset to write.
        destination: A `.json` or `.xlsx` file, or a folder (created if
            needed) for CSV or JSON Lines files.
        layout: The layout; by default from the destination's suffix
            (`.json`, `.xlsx`; a folder is CSV unless its name ends in
            `.jsonl`).
        overwrite: Replace files that exist; without it, an existing file is an
            error and nothing is written.
        country_codes: Write country codes as ISO 3166-1 alpha-2 (`"iso"`, the
            default: `GR`, `GB`) or in the EU form (`"eu"`: `EL`, `UK`). Both read
            back to the same dataset.

    Returns:
        The layout written.

    Raises:
        FileExistsError: A file to write exists and `overwrite` is false.
        ValueError: `layout` is not a layout name, or `country_codes` is neither
            `"iso"` nor `"eu"`.
    """
    path = Path(destination)
    chosen = _layout_for_destination(path, layout)
    if chosen in _FOLDER_SUFFIX:
        targets = [path / f"{table}{_FOLDER_SUFFIX[chosen]}" for table in TABLES]
    else:
        targets = [path]
    existing = [target for target in targets if target.exists()]
    if existing and not overwrite:
        msg = f"{existing[0]} exists; pass overwrite=True to replace it"
        raise FileExistsError(msg)
    if country_codes not in ("iso", "eu"):
        msg = f"country_codes must be 'iso' or 'eu', not {country_codes!r}"
        raise ValueError(msg)
    if chosen is Layout.JSON:
        write_json_document(path, dataset, country_codes=country_codes)
    elif chosen is Layout.XLSX:
        write_workbook(path, dataset, country_codes=country_codes)
    else:
        path.mkdir(parents=True, exist_ok=True)
        for table, target in zip(TABLES, targets, strict=True):
            records = dataset.table(table)
            if chosen is Layout.CSV:
                write_csv_table(target, table, records, country_codes=country_codes)
            else:
                write_jsonl_table(target, records, country_codes=country_codes)
    return chosen
