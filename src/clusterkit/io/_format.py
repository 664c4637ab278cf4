"""Private: `Format`, what every file format provides, and the registry of formats.

Each format is one module of `clusterkit/io/_formats/` that defines `FORMAT`: how
to read its files strictly as rows (`load_dataset`, `iter_records`), leniently as
chunks of columns (`validate`, `compute_kpis`), and how to write them. The
registry finds the modules there, so a new format is one module: no list to
extend. A format is either *per table* (a folder of one file per table, such as
`activities.csv`) or a *document* holding every table (a `.json` file, a
workbook), which `sniff` recognises from its first bytes.
"""

from __future__ import annotations

import enum
import functools
import importlib
import pkgutil
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar

import attrs

from clusterkit.countries import CodeForm
from clusterkit.io import _formats
from clusterkit.io._chunk import Chunk, TableSource
from clusterkit.io._member import Member
from clusterkit.io._problems import Reporter
from clusterkit.io._rows import RawRow
from clusterkit.models import Dataset, Record
from clusterkit.values import Location

__all__ = ["Format", "Layout", "Span", "format_named", "formats"]

R = TypeVar("R", bound=Record)

Span = tuple[int, int, int]
"""A byte range of a per-table file, `(start, end, first line)`, cut at line breaks."""

RowReader = Callable[
    [Member, "str | None", Reporter, Mapping[str, type[Any]]], Iterator[RawRow]
]
ChunkReader = Callable[[Member, "str | None", Reporter, "Span | None"], Iterator[Chunk]]
RecordReader = Callable[[Member, type[Any]], Iterator[tuple[Any, Location]]]
Placer = Callable[
    [Member, Collection[Location], Mapping[str, TableSource]], dict[Location, Location]
]


class Layout(str, enum.Enum):
    """The file layouts of a dataset that clusterkit ships.

    Every function that takes a layout also takes the name of any registered
    format (`"csv"`, `"jsonl"`, `"json"`, `"xlsx"`).

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

    def __str__(self) -> str:
        return self.value


@attrs.frozen
class Format:
    """One file format: how to recognise, read and write it.

    Attributes:
        name: Its name, as `--to` and `layout=` take it (`csv`).
        suffix: The suffix of its files (`.csv`).
        per_table: A folder of one file per table (`True`), or one document.
        read_rows: Strict reading, `(member, table, report, models)`: the raw
            rows of one table file (per table) or of every table, or of one, in
            a document; `models` gives each table's model (`TABLES`, or a
            subclass whose fields are columns too).
        read_chunks: Lenient reading, `(member, table, report, span)`: the rows
            as chunks of columns; problems go to `report`.
        write: `(destination, dataset, country_codes)`: the folder or the file.
        write_table: Per-table formats: `(path, table, records, country_codes)`.
        write_escaped: Formats a spreadsheet opens as text (CSV): `write` with
            the cells a spreadsheet would run as formulas escaped.
        sniff: Documents: whether bytes (their start) are this format.
        read_records: A faster strict reader of one table file's records.
        place: Documents whose records span lines: `(member, locations,
            sources)`, the findings' locations placed at their fields (see
            `OpenSource.place`).
        order: Where the format comes among the others (`--to` choices).
    """

    name: str
    suffix: str
    per_table: bool
    read_rows: RowReader
    read_chunks: ChunkReader
    write: Callable[[Path, Dataset, CodeForm], None]
    write_table: Callable[[Path, str, Iterable[Any], CodeForm], None] | None = None
    write_escaped: Callable[[Path, Dataset, CodeForm], None] | None = None
    sniff: Callable[[bytes], bool] | None = None
    read_records: RecordReader | None = None
    place: Placer | None = None
    order: int = 100

    @property
    def layout(self) -> Layout | str:
        """The `Layout` of a shipped format, else its name."""
        try:
            return Layout(self.name)
        except ValueError:
            return self.name


@functools.cache
def formats() -> Mapping[str, Format]:
    """Every format, by name, in their order: the modules of `io/_formats/`."""
    found = []
    for module in pkgutil.iter_modules(_formats.__path__):
        loaded = importlib.import_module(f"{_formats.__name__}.{module.name}")
        found.append(loaded.FORMAT)
    return {fmt.name: fmt for fmt in sorted(found, key=lambda fmt: fmt.order)}


def format_named(name: Layout | str) -> Format:
    """The format with this name.

    Raises:
        ValueError: No format has this name.
    """
    key = name.value if isinstance(name, Layout) else str(name).lower()
    found = formats().get(key)
    if found is None:
        msg = f"{name!r} is not a layout; layouts are {', '.join(formats())}"
        raise ValueError(msg)
    return found
