"""Private: every kind of source a reader accepts, opened the same way.

`open_source` takes what a user has — a folder of CSV or JSON Lines files, a
`.json` document, an `.xlsx` workbook, a `.zip` of a folder, bytes or a binary
file object, a mapping shaped like the JSON document, a mapping of table names to
DataFrames, a `Dataset`, a database URL or SQLAlchemy engine — and gives an
`OpenSource`: its files as `Member`s with the format that reads them, or its
records. Locations name a stream by the name it was given (`<upload>` by
default), never by a temporary file, and a database by its URL without the
password.
"""

from __future__ import annotations

import collections
import contextlib
import contextvars
import errno
import io
import itertools
import os
import re
import shutil
import tempfile
import zipfile
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from pathlib import Path, PurePosixPath
from typing import IO, TYPE_CHECKING, Any, Literal, Union

import attrs

from clusterkit.errors import DatasetReadError
from clusterkit.io._chunk import Chunk, TableSource
from clusterkit.io._format import Format, Layout, Span, format_named, formats
from clusterkit.io._frames import frame_tables, holds_frames
from clusterkit.io._limits import checked_record, field_at, screen_long_cells
from clusterkit.io._member import Member
from clusterkit.io._misnamed import Misnamed, listed, misnamed_files, report_misnamed
from clusterkit.io._problems import Reporter, raise_problem
from clusterkit.io._records import dataset_chunks, mapping_chunks, mapping_rows
from clusterkit.io._rows import RawRow
from clusterkit.models import TABLES, Dataset, Record
from clusterkit.values import Location

if TYPE_CHECKING:
    import sqlalchemy

__all__ = [
    "MAX_ZIP_RATIO",
    "OpenSource",
    "Source",
    "following_symlinks",
    "is_database",
    "open_source",
    "read_stream",
    "source_name",
]

Source = Union[
    str,
    "os.PathLike[str]",
    bytes,
    bytearray,
    memoryview,
    IO[bytes],
    Mapping[str, Any],
    Dataset,
    "sqlalchemy.Engine",
]
"""Everything a reader accepts: a path (folder, `.json`, `.xlsx`, `.zip`), bytes or a
binary file object (a `.json` document, a workbook or a zip of a folder), a
mapping shaped like the JSON document, a mapping of table names to DataFrames
(pandas or polars) or Arrow tables, a `Dataset`, or a database: its URL (`sqlite:///data.db`) or a SQLAlchemy
engine (with the `sql` extra)."""

MAX_ZIP_RATIO = 1_000
"""A zip member that inflates more than this many times its stored size is refused
(a "zip bomb"); real CSV and JSON Lines files compress 5 to 50 times."""

_FOLLOW_SYMLINKS: contextvars.ContextVar[bool] = contextvars.ContextVar(
    "follow_symlinks", default=True
)
_TABLE_FILES = frozenset(
    f"{table}{fmt.suffix}" for fmt in formats().values() for table in TABLES
)


@contextlib.contextmanager
def following_symlinks(follow: bool | None) -> Iterator[None]:  # noqa: FBT001 - the one setting
    """Whether the readers in this block read a folder's links to files outside it.

    With `follow=False`, a table file of a dataset folder that is a symbolic
    link to a file outside the folder (`clusters.csv -> /etc/passwd`) is not
    read: opening the folder is a `DatasetReadError` (`CK-FILE-001` in
    `validate`) that names the link, not what it points to or holds. Readers
    follow links by default; `None` keeps the setting of the surrounding block.

    Added in version 0.2.0.

    Examples:
        >>> import clusterkit as ck
        >>> from clusterkit.io import example_path
        >>> with following_symlinks(False):
        ...     ck.load_dataset(example_path()).counts["partnerships"]
        6
    """
    if follow is None:
        yield
        return
    token = _FOLLOW_SYMLINKS.set(follow)
    try:
        yield
    finally:
        _FOLLOW_SYMLINKS.reset(token)


def _refuse_outside_links(
    folder: Path, files: Mapping[str, Path], display: str
) -> None:
    """Refuse a table file that is a link to a file outside `folder`, unless followed."""
    if _FOLLOW_SYMLINKS.get():
        return
    inside = folder.resolve()
    for name, file in files.items():
        if name in _TABLE_FILES and not file.resolve().is_relative_to(inside):
            raise DatasetReadError.at(
                Location(file=_join(display, name)),
                "a symbolic link to a file outside the dataset folder; not read "
                "(--follow-symlinks, or follow_symlinks=True, reads it)",
            )


_IN_MEMORY = 64 << 20  # streams up to this size are held in memory; larger, on disk
_ZIP = "zip"

Kind = Literal["folder", "document", "mapping", "dataset", "database"]

# A URL's scheme: a database dialect and its driver (`postgresql+psycopg://`).
_URL = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
# The password of a URL's `user:password@`, which locations leave out.
# A URL's password, as SQLAlchemy reads it: after the user's name, up to the
# first `@` (a `/` may be part of it), or given as a query option.
_PASSWORD = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*://[^:/@]*:)[^@]*@")
_QUERY_PASSWORD = re.compile(r"([?&](?:password|passwd|pwd)=)[^&#]*", re.IGNORECASE)


@attrs.define
class OpenSource:
    """A source ready to read: its tables' files with their format, or its records.

    Use it as a context manager: an archive or a spooled stream is closed at the
    end.

    Attributes:
        display: How locations name the source.
        kind: `folder` (a file per table), `document` (one file), `mapping`,
            `dataset` or `database`.
        format: The format of the files (folders and documents).
        members: The file of each table (folders), or the document under `""`.
        records: The mapping or `Dataset` (records in memory), or the database's
            reader (`clusterkit.sql.DatabaseReader`).
        misnamed: The files of a folder that look like the file of a table
            that has none, or are a second copy of a table's file (see
            `report_misnamed`).
    """

    display: str
    kind: Kind
    format: Format | None = None
    members: Mapping[str, Member] = attrs.field(factory=dict)
    records: Any = None
    misnamed: tuple[Misnamed, ...] = ()
    _close: list[Callable[[], None]] = attrs.field(factory=list)

    def __enter__(self) -> OpenSource:  # noqa: PYI034 - Self needs Python 3.11 or typing_extensions
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        """Close what opening the source opened (an archive, a spooled stream).

        In the order it was opened in: an archive, then its file, then the file's
        temporary copy.
        """
        closers = list(self._close)
        self._close.clear()
        for closing in closers:
            closing()

    def report_misnamed(
        self, report: Reporter, tables: Collection[str] | None = None
    ) -> None:
        """Report the files that look like a table's file and are not read (CK-FILE-003).

        With `tables`, only the files that look like one of theirs.
        """
        chosen = [item for item in self.misnamed if tables is None or item[0] in tables]
        report_misnamed(chosen, report)

    @property
    def layout(self) -> Layout:
        """The layout of a folder or document (`Layout.CSV`, …)."""
        assert self.format is not None  # noqa: S101 - files have a format
        # Every registered format is a shipped one, with a member (a test checks it).
        return Layout(self.format.name)

    def rows(
        self,
        table: str | None = None,
        report: Reporter = raise_problem,
        models: Mapping[str, type[Record]] = TABLES,
    ) -> Iterator[RawRow]:
        """The raw rows of every table (or one), streaming; strict by default.

        The columns of a CSV file or a sheet are the fields of the table's model
        in `models` (a subclass adds its own).

        Raises:
            DatasetReadError: A file cannot be read; with the default `report`, a
                header or row problem too.
        """
        if self.kind == "mapping":
            yield from mapping_rows(self.records, self.display, table, report, models)
        elif self.kind == "database":
            for row in self.records.rows(table):
                where = field_at(row.location)
                values = checked_record(dict(row.values), row.table, where, report)
                # A database's cells are scalars or flat lists, never nested
                # past max_json_depth, so no row is dropped here.
                assert values is not None  # noqa: S101 - see above
                yield attrs.evolve(row, values=values)
        elif self.kind == "dataset":
            for chunk in dataset_chunks(self.records, self.display, table):
                for offset, number in enumerate(chunk.numbers):
                    values = {
                        field: column[offset]
                        for field, column in chunk.cells.items()
                        if column[offset] not in (None, ())
                    }
                    yield RawRow(chunk.table, values, chunk.source.location(number))
        else:
            assert self.format is not None  # noqa: S101 - files have a format
            for name, member in self.members.items():
                wanted = None if self.kind == "document" else name
                if table is None or self.kind == "document" or table == name:
                    rows = self.format.read_rows(
                        member, wanted or table, report, models
                    )
                    yield from rows

    def chunks(  # noqa: C901, PLR0912 - one branch per kind of source
        self,
        report: Reporter,
        *,
        tables: Collection[str] | None = None,
        spans: Mapping[str, Span] | None = None,
    ) -> Iterator[Chunk]:
        """The rows of every table (or some) as chunks of columns; problems reported.

        `spans` reads one byte range of a table's file (per-table formats).
        """
        if self.kind == "mapping":
            for chunk in mapping_chunks(self.records, self.display, None, report):
                if tables is None or chunk.table in tables:
                    yield chunk
        elif self.kind == "dataset":
            for chunk in dataset_chunks(self.records, self.display):
                if tables is None or chunk.table in tables:
                    yield chunk
        elif self.kind == "database":
            for chunk in self.records.chunks(report, tables):

                def locate(offset: int, field: str, chunk: Chunk = chunk) -> Location:
                    return chunk.source.location(chunk.numbers[offset], field)

                cells = screen_long_cells(chunk.cells, locate, chunk.table, report)
                yield attrs.evolve(chunk, cells=cells)
        else:
            assert self.format is not None  # noqa: S101 - files have a format
            # One table of a document (read again by a check) is read alone:
            # a workbook parses that sheet only.
            only = (
                next(iter(tables)) if tables is not None and len(tables) == 1 else None
            )
            for name, member in self.members.items():
                if self.kind == "document":
                    for chunk in self.format.read_chunks(member, only, report, None):
                        if tables is None or chunk.table in tables:
                            yield chunk
                elif tables is None or name in tables:
                    span = (spans or {}).get(name)
                    yield from self.format.read_chunks(member, name, report, span)

    def place(
        self, locations: Collection[Location], sources: Mapping[str, TableSource]
    ) -> dict[Location, Location]:
        """Findings' locations placed more precisely than the reading could.

        In a JSON document, a finding about a record's field gets the line and
        column of the field's key, not the line the record starts on; other
        sources' locations are already exact, and none is returned for them.

        Args:
            locations: Where findings are, as the checks placed them.
            sources: The tables read, in the order read (`Chunk.source` of each).

        Returns:
            The new location of each location that moved.
        """
        if self.kind != "document" or self.format is None or self.format.place is None:
            return {}
        return self.format.place(self.members[""], locations, sources)


def open_source(
    source: Source,
    *,
    format: str | None = None,  # noqa: A002 - the name users know from the CLI
    name: str | None = None,
) -> OpenSource:
    """Open any source a reader accepts.

    Args:
        source: See `Source`.
        format: The format of a document or stream whose name or bytes do not say
            (`"json"`, `"xlsx"`, or `"zip"` for a zip of a CSV or JSON Lines
            folder).
        name: How locations name a stream, a mapping or a `Dataset` (default
            `<upload>`, `<mapping>`, `<frames>` for a mapping of DataFrames,
            `<dataset>`).

    Raises:
        DatasetReadError: The source cannot be opened as a dataset: no such path
            (or one the system refuses, such as a name too long), an unknown format, a folder without tables (or with two layouts), an
            unsafe or corrupt zip archive.
        TypeError: `source` is none of the kinds above, or `format` or `name`
            is not a string.
    """
    for parameter, value in (("format", format), ("name", name)):
        if value is not None and not isinstance(value, str):
            msg = f"{parameter} must be a str or None, not {type(value).__name__}"
            raise TypeError(msg)
    display = source_name(source, name)
    if is_database(source):
        return _open_database(source, display)
    if isinstance(source, Dataset):
        return OpenSource(display, "dataset", records=source)
    if isinstance(source, Mapping):
        records = frame_tables(source) if holds_frames(source) else source
        return OpenSource(display, "mapping", records=records)
    if isinstance(source, (str, os.PathLike)):
        return _open_path(Path(source), display, format)
    if isinstance(source, (bytes, bytearray, memoryview)):
        data = bytes(source)
        return _open_stream(lambda: io.BytesIO(data), data[:4096], display, format, [])
    if hasattr(source, "read"):
        return _open_file_object(source, display, format)
    msg = (
        "a dataset source is a path, bytes, a binary file object, a mapping of "
        f"tables, a Dataset or a database URL, not {type(source).__name__}"
    )
    raise TypeError(msg)


def _open_database(source: Source, display: str) -> OpenSource:
    try:
        # SQLAlchemy is imported only when a database is read.
        from clusterkit import sql  # noqa: PLC0415 - the optional extra, imported on use
    except ImportError:
        raise DatasetReadError(
            f"{display}: reading a database needs SQLAlchemy: "
            "pip install 'clusterkit-eu[sql]'",
            source=display,
        ) from None
    return sql.open_database(source, display)


def is_database(source: object) -> bool:
    """Whether a source is a database: a URL (`sqlite:///data.db`) or a SQLAlchemy engine.

    Any `scheme://` other than `file://` is taken for a database URL, which
    SQLAlchemy then opens (with the `sql` extra).

    Added in version 0.2.0.

    Examples:
        >>> is_database("postgresql+psycopg://localhost/clusters"), is_database("data/")
        (True, False)
    """
    if isinstance(source, str):
        scheme = _URL.match(source)
        return scheme is not None and scheme.group(1).lower() != "file"
    return type(source).__module__.startswith("sqlalchemy.")


def source_name(source: Source, name: str | None = None) -> str:
    """How locations name a source: `name`, a path as given, or its kind.

    A database is named by its URL without the password.

    Examples:
        >>> source_name("data/"), source_name(b"{}"), source_name({})
        ('data/', '<upload>', '<mapping>')
        >>> source_name("postgresql://ana:secret@db.example.eu/clusters")
        'postgresql://ana:***@db.example.eu/clusters'
        >>> source_name("postgresql://ana:se/cret@db.example.eu/clusters")
        'postgresql://ana:***@db.example.eu/clusters'
        >>> source_name("postgresql://ana@db.example.eu/clusters?password=secret")
        'postgresql://ana@db.example.eu/clusters?password=***'
    """
    if name is not None:
        return name
    if is_database(source):
        url = _PASSWORD.sub(r"\1***@", str(getattr(source, "url", source)))
        return _QUERY_PASSWORD.sub(r"\1***", url)
    if isinstance(source, Dataset):
        return "<dataset>"
    if isinstance(source, Mapping):
        return "<frames>" if holds_frames(source) else "<mapping>"
    if isinstance(source, (str, os.PathLike)):
        return os.fspath(source)
    named = getattr(source, "name", None)
    # A file object opened by path, or standard input (`<stdin>`), has a name.
    return named if isinstance(named, str) else "<upload>"


def _join(display: str, name: str) -> str:
    # Locations show the path as the user gave it, joined with the file name.
    return display.rstrip("/\\") + "/" + name if display else name


def _open_path(
    path: Path,
    display: str,
    format: str | None,  # noqa: A002 - the name users know from the CLI
) -> OpenSource:
    try:
        folder = path.is_dir()
    except OSError as error:  # a name too long, no permission to look
        raise DatasetReadError(
            f"{display}: cannot be read: {error.strerror or error}", source=display
        ) from None
    if folder:
        try:
            entries = list(path.iterdir())
        except OSError as error:  # no permission to list it
            raise DatasetReadError(
                f"{display}: cannot be read: {error.strerror or error}", source=display
            ) from None
        files = {item.name: item for item in entries if _is_file(item)}
        _refuse_outside_links(path, files, display)
        members = {
            name: Member.of_path(file, _join(display, name))
            for name, file in files.items()
        }
        # A table's name on what is not a file (a folder, a broken link) is
        # not passed over as if the table were absent: reading it says why.
        members.update(
            (item.name, Member(_join(display, item.name), _not_a_file(item)))
            for item in entries
            if item.name in _TABLE_FILES and item.name not in files
        )
        # Subfolders are looked through only for a folder of tables, not for
        # any folder given by mistake (a home folder).
        nested = (
            _nested_table_files(path, display, files.values())
            if _TABLE_FILES & files.keys()
            else {}
        )
        return _folder(members, display, nested)
    if not path.exists():
        raise DatasetReadError(f"{display}: no such file or directory", source=display)
    kind = (format or path.suffix.lower().removeprefix(".")) or "(no suffix)"
    if kind == _ZIP:
        try:
            archive = zipfile.ZipFile(path)
        except (zipfile.BadZipFile, OSError) as error:
            raise DatasetReadError(
                f"{display}: not a readable zip archive ({error})", source=display
            ) from None
        return _zip(archive, display, [archive.close])
    document = formats().get(kind)
    if document is not None and not document.per_table:
        member = Member.of_path(path, display)
        return OpenSource(display, "document", document, {"": member})
    if document is not None:
        raise DatasetReadError(
            f"{display}: a single table file; give the folder that holds it, or read "
            "it with iter_records(path, Model)",
            source=display,
        )
    raise DatasetReadError(
        f"{display}: unknown dataset format {path.suffix.lower() or '(no suffix)'!r}; "
        "expected a folder of .csv or .jsonl files, a .json document, an .xlsx "
        f"workbook or a .zip of a folder{_sqlite_hint(path)}",
        source=display,
    )


_SQLITE_HEADER = b"SQLite format 3\x00"


def _sqlite_hint(path: Path) -> str:
    """What to give instead of a SQLite database's path: its URL (or nothing)."""
    if not _is_file(path):
        return ""  # a pipe, which opening would wait on, or a device
    try:
        with path.open("rb") as handle:
            head = handle.read(len(_SQLITE_HEADER))
    except OSError:
        return ""
    if head != _SQLITE_HEADER:
        return ""
    return f"; it is a SQLite database: give its URL, sqlite:///{path.as_posix()}"


def _is_file(path: Path) -> bool:
    """Whether `path` is a regular file (through links); not if the system cannot say."""
    try:
        return path.is_file()
    except OSError:  # a loop of links, no permission to look
        return False


def _not_a_file(path: Path) -> Callable[[], IO[bytes]]:
    """The opener of what bears a table file's name but is no file: it says what it is."""

    def opener() -> IO[bytes]:
        if path.is_symlink() and not path.exists():
            what = "a broken symbolic link (its target is missing, or links loop)"
        elif path.is_dir():
            what = "a folder, not a file"
        else:  # a pipe, a socket or a device, which reading could wait on forever
            what = "a pipe, socket or device, not a regular file"
        raise OSError(what)

    return opener


_NESTED_DEPTH = 8
"""How many levels of subfolders are looked through for copies of table files.

A dataset folder is not a file system to crawl: its subfolders (`archive/2019/`)
are few and shallow, and a deep tree (a folder given with a project in it) is
passed over below this depth instead of read to its bottom.
"""

_NESTED_ENTRIES = 10_000
"""How many files and folders are looked at, at most, the folder's own first, then shallowest first.

For the same reason: a large tree beside the tables (`node_modules`) costs no
more than this.
"""


def _nested_table_files(
    folder: Path, display: str, own: Iterable[Path]
) -> dict[str, Member]:
    """The files in `folder`'s subfolders named like a table's file, in any case.

    They are not read, but reported (`misnamed_files`). Hidden folders (`.git`)
    are passed over, links to folders are not followed, and a subfolder that
    cannot be listed (no permission) is not looked through. The subfolders are
    looked through shallowest first, within `_NESTED_DEPTH` and
    `_NESTED_ENTRIES`. A file that one of the folder's `own` files links to is
    that file, not a copy of it.
    """
    linked = {_identity(path) for path in own} - {None}
    nested: dict[str, Member] = {}
    # (folder, its path under `folder` with a trailing "/", its depth): a queue,
    # not recursion, which a deep tree would exhaust.
    waiting = collections.deque([(folder, "", 0)])
    looked_at = 0
    while waiting and looked_at < _NESTED_ENTRIES:
        here, where, depth = waiting.popleft()
        try:
            with os.scandir(here) as listing:
                entries = list(itertools.islice(listing, _NESTED_ENTRIES - looked_at))
        except OSError:  # no permission, or gone meanwhile: not looked through
            continue
        looked_at += len(entries)
        for entry in entries:
            if _is_folder(entry, through_link=False):
                if depth < _NESTED_DEPTH and not _hidden(entry.name):
                    waiting.append(
                        (Path(entry.path), f"{where}{entry.name}/", depth + 1)
                    )
            elif (
                where  # the folder's own files are its members
                and entry.name.lower() in _TABLE_FILES
                and not _is_folder(entry, through_link=True)
                and _identity(Path(entry.path)) not in linked
            ):
                nested[f"{where}{entry.name}"] = Member.of_path(
                    Path(entry.path), _join(display, f"{where}{entry.name}")
                )
    return nested


def _is_folder(entry: os.DirEntry[str], *, through_link: bool) -> bool:
    """Whether a listed entry is a folder (a link to one, `through_link`); unknown is not."""
    try:
        return entry.is_dir(follow_symlinks=through_link)
    except OSError:
        return False


def _identity(path: Path) -> tuple[int, int] | None:
    """The device and inode of the file at `path` (links followed); None if unknown."""
    try:
        found = path.stat()
    except OSError:  # a broken link: reading it says why
        return None
    return found.st_dev, found.st_ino


def _hidden(folder: str) -> bool:
    """Whether a folder is hidden (`.git`), and its files not looked at."""
    return folder.startswith(".")


def _folder(
    members: Mapping[str, Member],
    display: str,
    nested: Mapping[str, Member] | None = None,
    folder: str = "",
) -> OpenSource:
    """A folder (or zip archive) of table files, of one per-table format.

    `nested` and `folder` are as in `misnamed_files`.
    """
    found: dict[str, dict[str, Member]] = {}
    for fmt in formats().values():
        if not fmt.per_table:
            continue
        tables = {
            table: members[f"{table}{fmt.suffix}"]
            for table in TABLES
            if f"{table}{fmt.suffix}" in members
        }
        if tables:
            found[fmt.name] = tables
    if len(found) > 1:
        kinds = " and ".join(f".{name}" for name in found)
        raise DatasetReadError(
            f"{display}: holds both {kinds} table files; keep one layout",
            source=display,
        )
    if not found:
        expected = ", ".join(f"{table}.csv" for table in TABLES)
        alike = [
            file
            for fmt in formats().values()
            if fmt.per_table
            for file in misnamed_files(members, fmt.suffix, ())
        ]
        look = "looks like a table file" if len(alike) == 1 else "look like table files"
        named = (
            f"; {listed(alike)} {look}, but a table's file is named exactly after "
            "the table, in lower case"
            if alike
            else ""
        )
        empty = ": it holds no files" if not members else ""
        raise DatasetReadError(
            f"{display}: no dataset tables found{empty} (expected files such as "
            f"{expected}, or the same names with .jsonl){named}",
            source=display,
        )
    ((name, tables),) = found.items()
    fmt = format_named(name)
    misnamed = tuple(misnamed_files(members, fmt.suffix, tables, nested, folder))
    return OpenSource(display, "folder", fmt, tables, misnamed=misnamed)


def _zip(
    archive: zipfile.ZipFile, display: str, close: list[Callable[[], None]]
) -> OpenSource:
    """A zip of a folder: its table files at the root, or in its one top folder.

    What macOS adds to an archive it makes (`__MACOSX/`, `.DS_Store`) is passed
    over, and so are other files beside the one top folder (a `README.txt`)
    when the root holds no table file. A file named like a table's file
    elsewhere than beside the table files (`data/clusters.csv` beside a root
    `clusters.csv`) is not read either, but reported, as in a folder.
    """
    try:
        infos = archive.infolist()
        for info in infos:
            _check_member(info, display)
        files = [info for info in infos if not info.is_dir() and not _system_file(info)]
        _refuse_repeated_members(files, display)
        prefix = _tables_folder(files, display)
        members: dict[str, Member] = {}
        nested: dict[str, Member] = {}
        for info in files:
            member = Member(_join(display, info.filename), _zip_opener(archive, info))
            inner = info.filename.removeprefix(prefix)
            *folders, name = info.filename.split("/")
            if info.filename.startswith(prefix) and "/" not in inner:
                members[inner] = member
            elif name.lower() in _TABLE_FILES and not any(map(_hidden, folders)):
                nested[info.filename] = member
        opened = _folder(members, display, nested, prefix)
    except BaseException:
        for closing in close:
            closing()
        raise
    opened._close.extend(close)  # noqa: SLF001 - handed over to the source that uses it
    return opened


def _tables_folder(files: list[zipfile.ZipInfo], display: str) -> str:
    """Where an archive's table files are: `""` (its root), or its one top folder.

    Raises:
        DatasetReadError: No table file at the root, and several top folders.
    """
    at_root = {info.filename for info in files if "/" not in info.filename}
    folders = {
        PurePosixPath(info.filename).parts[0] for info in files if "/" in info.filename
    }
    if at_root & _TABLE_FILES or not folders:
        return ""
    if len(folders) > 1:
        raise DatasetReadError(
            f"{display}: no table files at the archive's root, and "
            f"{len(folders)} top folders ({', '.join(sorted(folders))}); "
            "put the tables at the root or in one top folder",
            source=display,
        )
    return f"{folders.pop()}/"


def _system_file(info: zipfile.ZipInfo) -> bool:
    """A file the system that made the archive added: macOS's resource forks and folder settings."""
    parts = PurePosixPath(info.filename).parts
    return parts[0] == "__MACOSX" or parts[-1] == ".DS_Store"


def _refuse_repeated_members(files: list[zipfile.ZipInfo], display: str) -> None:
    """Refuse an archive that holds two files of one name: one of them would be lost.

    Raises:
        DatasetReadError: Naming the first file given twice.
    """
    seen: set[str] = set()
    for info in files:
        if info.filename in seen:
            raise DatasetReadError(
                f"{display}: refused: member {info.filename!r} is in the archive "
                "twice, and only one could be read; nothing in it was read",
                source=display,
            )
        seen.add(info.filename)


def _zip_opener(
    archive: zipfile.ZipFile, info: zipfile.ZipInfo
) -> Callable[[], IO[bytes]]:
    def opener() -> IO[bytes]:
        if info.flag_bits & _ENCRYPTED:
            # zipfile's own error names the member by its `ZipInfo` repr.
            msg = "it is encrypted (protected by a password), so it cannot be read"
            raise OSError(msg)
        try:
            return archive.open(info)
        except (ValueError, OSError) as error:
            # A directory entry that points before the archive's start: a
            # negative seek, refused by a buffer (`ValueError`) or by the system
            # for a file (`EINVAL`). Any other system error is what it says.
            if isinstance(error, OSError) and error.errno != errno.EINVAL:
                raise
            msg = f"the archive's directory is damaged ({error})"
            raise zipfile.BadZipFile(msg) from None

    return opener


def _check_member(info: zipfile.ZipInfo, display: str) -> None:
    """Refuse members that could not be extracted safely, or inflate without bound.

    Raises:
        DatasetReadError: An absolute path, a path out of the archive (`..`), or a
            compression ratio above `MAX_ZIP_RATIO`.
    """
    name = info.filename
    parts = PurePosixPath(name.replace("\\", "/")).parts
    if name.startswith(("/", "\\")) or (len(name) > 1 and name[1] == ":"):
        problem = f"member {name!r} has an absolute path"
    elif ".." in parts:
        problem = f"member {name!r} points outside the archive"
    elif info.file_size > MAX_ZIP_RATIO * max(info.compress_size, 1) and (
        info.file_size > 1 << 20
    ):
        problem = (
            f"member {name!r} would inflate {info.file_size:,} bytes from "
            f"{info.compress_size:,} (more than {MAX_ZIP_RATIO:,} times): a zip bomb?"
        )
    else:
        return
    raise DatasetReadError(
        f"{display}: refused: {problem}; nothing in it was read", source=display
    )


def _open_file_object(
    stream: Any,
    display: str,
    format: str | None,  # noqa: A002 - the name users know from the CLI
) -> OpenSource:
    """A binary file object: held in memory, or spooled to a temporary file."""
    head = _read_up_to(stream, _IN_MEMORY + 1, display)
    if len(head) <= _IN_MEMORY:
        return _open_stream(lambda: io.BytesIO(head), head[:4096], display, format, [])
    spool = tempfile.NamedTemporaryFile(suffix=".clusterkit", delete=False)  # noqa: SIM115 - closed with the source
    with spool:
        spool.write(head)
        shutil.copyfileobj(stream, spool)
    path = Path(spool.name)
    return _open_stream(
        lambda: path.open("rb"),
        head[:4096],
        display,
        format,
        [lambda: path.unlink(missing_ok=True)],
    )


def read_stream(stream: Any, display: str) -> bytes:
    """All the bytes of a binary file object, checked as `load_dataset` checks one.

    Raises:
        TypeError: The stream gives text, not bytes.
        ValueError: The stream is closed.
    """
    _refuse_closed(stream, display)
    return _binary(stream.read(), display)


def _read_up_to(stream: Any, size: int, display: str) -> bytes:
    """The stream's first `size` bytes, or all of it: a pipe gives a part per read.

    Raises:
        TypeError: The stream gives text, not bytes.
        ValueError: The stream is closed.
    """
    _refuse_closed(stream, display)
    parts: list[bytes] = []
    left = size
    while left > 0:
        part = _binary(stream.read(left), display)
        if not part:
            break
        parts.append(part)
        left -= len(part)
    return b"".join(parts)


def _refuse_closed(stream: Any, display: str) -> None:
    if getattr(stream, "closed", False) is True:
        msg = f"{display}: the file object is closed; open it again, or pass its path"
        raise ValueError(msg)


def _binary(part: object, display: str) -> bytes:
    if not isinstance(part, (bytes, bytearray)):
        msg = f"{display}: a dataset stream must be binary (opened with 'rb')"
        raise TypeError(msg)
    return bytes(part)


def _open_stream(
    opener: Callable[[], IO[bytes]],
    head: bytes,
    display: str,
    format: str | None,  # noqa: A002 - the name users know from the CLI
    close: list[Callable[[], None]],
) -> OpenSource:
    """Bytes of a document or a zip of a folder, told apart by their start."""
    kind = format or _sniff(head)
    if kind == _ZIP:
        # A zip archive does not close a file object it was given: close it too.
        handle = opener()
        try:
            archive = zipfile.ZipFile(handle)
        except zipfile.BadZipFile as error:
            handle.close()
            for closing in close:
                closing()
            raise DatasetReadError(
                f"{display}: not a readable zip archive ({error})", source=display
            ) from None
        if format is None and _WORKBOOK in archive.namelist():
            # A workbook is a zip archive too: read it as one.
            archive.close()
            handle.close()
            kind = Layout.XLSX.value
        else:
            return _zip(archive, display, [archive.close, handle.close, *close])
    document = formats().get(kind or "")
    if document is None or document.per_table:
        for closing in close:
            closing()
        expected = (
            "expected a JSON document (an object of tables), an .xlsx workbook "
            "or a zip of a CSV or JSON Lines folder"
        )
        if format:
            told = f"format {format!r} is not a document format; give format='json', 'xlsx' or 'zip'"
        elif not head:
            told = f"it is empty; {expected}"
        else:
            # The command line reads these from standard input as they are;
            # Python callers can name the format.
            told = (
                f"cannot tell its format from its first bytes; {expected} "
                "(from Python, format='json', 'xlsx' or 'zip' names it)"
            )
        raise DatasetReadError(f"{display}: {told}", source=display)
    return OpenSource(
        display, "document", document, {"": Member(display, opener)}, close=close
    )


_WORKBOOK = "xl/workbook.xml"
# The flag bit of a zip member stored encrypted (the zip format's "general purpose" bit 0).
_ENCRYPTED = 0x1


def _sniff(head: bytes) -> str | None:
    # A zip starts with its first member, or, with none, with its directory's end.
    if head.startswith((b"PK\x03\x04", b"PK\x05\x06")):
        return _ZIP
    for fmt in formats().values():
        if fmt.sniff is not None and fmt.sniff(head):
            return fmt.name
    return None
