"""Private: a database read as a dataset source, table by table, in batches.

`open_database` gives the `OpenSource` that `clusterkit.io.open_source` gives
for a database, so `load_dataset`, `validate` and `compute_kpis` read it as they
read files. Each table is streamed in batches of `BATCH_ROWS` rows (in the order
of `position`, then of the key), with the items of its list fields fetched for
the batch's keys; a row is located by its primary key, each of its values a
segment of the pointer (`_segment`).

Reading never writes: a SQLite file that does not exist is an error, not a new
empty database.
"""

from __future__ import annotations

import calendar
import contextlib
import datetime as dt
import urllib.parse
from collections.abc import Collection, Iterator
from pathlib import Path
from typing import Any

import sqlalchemy as sa

from clusterkit._hints import did_you_mean
from clusterkit.errors import DatasetReadError
from clusterkit.io import (
    BATCH_ROWS,
    UNKNOWN_COLUMN,
    UNREADABLE,
    Chunk,
    OpenSource,
    RawRow,
    Reporter,
    TableSource,
    load_dataset,
)
from clusterkit.models import TABLES, Dataset
from clusterkit.render import safe_text
from clusterkit.report import Entity
from clusterkit.sql._engines import EngineOrURL, engine_of, schema_of
from clusterkit.sql._layout import (
    POSITION,
    PRECISION,
    Link,
    TableLayout,
    build,
    keys_among,
)
from clusterkit.values import Location, PartialDate

__all__ = ["DatabaseReader", "open_database", "read_sql"]

Batch = tuple[list[str], dict[str, list[Any]]]


class DatabaseReader:
    """The tables of a database, read as the raw cells of a dataset's tables.

    Added in version 0.2.0.

    Args:
        engine: The database's engine.
        display: How locations name the database (its URL without password).

    Raises:
        DatasetReadError: The database cannot be read, is a SQLite file that
            does not exist (which is not created), or holds no dataset table.
    """

    def __init__(self, engine: sa.Engine, display: str) -> None:
        self.engine = engine
        self.display = display
        _, self.layouts = build(schema=schema_of(engine))
        if _missing_file(engine.url):
            # Connecting would create the file: a typo would leave one behind.
            raise DatasetReadError(
                f"{display}: no such file or directory", source=display
            )
        try:
            inspector = sa.inspect(engine)
            schema = schema_of(engine)
            # A view stands for a table as well (`activities` over a table of
            # another name), as it does in any query.
            names = set(inspector.get_table_names(schema=schema))
            names.update(inspector.get_view_names(schema=schema))
            self.tables = [table for table in TABLES if table in names]
            # The columns of each table that no field is (another program's),
            # which reading leaves out and `chunks` reports.
            self.unknown = {
                name: [
                    column["name"]
                    for column in inspector.get_columns(name, schema=schema)
                    if column["name"] not in self.layouts[name].table.columns
                ]
                for name in self.tables
            }
        except sa.exc.SQLAlchemyError as error:
            raise DatasetReadError(
                f"{display}: cannot read the database ({_reason(error)})",
                source=display,
            ) from None
        if not self.tables:
            raise DatasetReadError(
                f"{display}: no dataset tables found (expected tables such as "
                f"{', '.join(TABLES)}, as clusterkit.sql.write_sql writes them)",
                source=display,
            )

    def rows(self, table: str | None = None) -> Iterator[RawRow]:
        """The rows of every table (or one), with their values given.

        Raises:
            DatasetReadError: A table cannot be read.
        """
        for name in self.tables:
            if table not in {None, name}:
                continue
            source = TableSource(name, "database", self.display)
            try:
                for keys, cells in self._batches(name):
                    for offset, number in enumerate(source.add_keys(keys)):
                        values = {
                            field: column[offset]
                            for field, column in cells.items()
                            if not _blank(column[offset])
                        }
                        yield RawRow(name, values, source.location(number))
            except sa.exc.SQLAlchemyError as error:
                raise DatasetReadError(
                    f"{self.display}: cannot read table {name} ({_reason(error)})",
                    source=self.display,
                    location=Location(file=self.display, pointer=f"/{name}"),
                ) from None

    def chunks(
        self, report: Reporter, tables: Collection[str] | None
    ) -> Iterator[Chunk]:
        """The rows of every table (or some) as chunks; a table that fails is reported.

        A table that cannot be read is a `CK-FILE-001` finding; the rows read
        before are checked, and the tables after it are read.
        """
        for name in self.tables:
            if tables is not None and name not in tables:
                continue
            self._report_unknown(name, report)
            source = TableSource(name, "database", self.display)
            try:
                for keys, cells in self._batches(name):
                    yield Chunk(source, source.add_keys(keys), cells)
            except sa.exc.SQLAlchemyError as error:
                report(
                    UNREADABLE,
                    Location(file=self.display, pointer=f"/{name}"),
                    f"cannot read table {name} ({_reason(error)}); rows after "
                    "this point were not checked",
                )

    def _report_unknown(self, name: str, report: Reporter) -> None:
        """Report each column of a table that no field of its records is."""
        fields = TABLES[name].model_fields
        for column in self.unknown.get(name, ()):
            report(
                UNKNOWN_COLUMN,
                Location(file=self.display, pointer=f"/{name}", field=column),
                f"unknown column {column!r} in {name}",
                hint=did_you_mean(column, fields),
                entity=Entity(name),
                value=column,
                expected=", ".join(fields),
                outcome="it is ignored",
            )

    def _batches(self, name: str) -> Iterator[Batch]:
        """The keys and the cells of a table's rows, `BATCH_ROWS` at a time."""
        layout = self.layouts[name]
        with self.engine.connect() as connection:
            done = 0
            try:
                for batch in _table_batches(connection, layout, 0):
                    yield batch
                    done += len(batch[0])
            except sa.exc.OperationalError:
                if connection.dialect.name != "sqlite":
                    raise
                # SQLite text that is not UTF-8 (another program's Latin-1)
                # stops its driver. The rest of the table is read again with
                # such bytes as lone surrogates, which the checks report at
                # their cells; any other problem stops this reading too.
                with _undecodable_text_read(connection):
                    yield from _table_batches(connection, layout, done)


def _table_batches(
    connection: sa.Connection, layout: TableLayout, offset: int
) -> Iterator[Batch]:
    """A table's rows from `offset` on, in their order, `BATCH_ROWS` at a time."""
    table = layout.table
    position = table.c[POSITION]
    # Rows without a position last, spelt so that every database takes it
    # (MySQL and SQLite before 3.30 have no NULLS LAST, SQL Server no `IS NULL`
    # to sort by).
    order = [
        sa.case((position.is_(None), 1), else_=0),
        position,
        *(table.c[key] for key in layout.key),
    ]
    statement = sa.select(table).order_by(*order)
    if offset:
        statement = statement.offset(offset)
    result = connection.execution_options(yield_per=BATCH_ROWS).execute(statement)
    for part in result.partitions():
        rows = [row._mapping for row in part]  # noqa: SLF001 - SQLAlchemy's public row mapping
        keys = [tuple(row[key] for key in layout.key) for row in rows]
        cells = _cells(layout, rows)
        for field, link in layout.links.items():
            cells[field] = _items(connection, link, keys)
        yield ["/".join(_segment(part) for part in key) for key in keys], cells


@contextlib.contextmanager
def _undecodable_text_read(connection: sa.Connection) -> Iterator[None]:
    """Within the block, SQLite text that is not UTF-8 reads with lone surrogates."""
    driver = connection.connection.dbapi_connection
    before = driver.text_factory  # type: ignore[union-attr] # SQLite's driver has one
    driver.text_factory = _surrogate_text  # type: ignore[union-attr] # as above
    try:
        yield
    finally:
        driver.text_factory = before  # type: ignore[union-attr] # as above


def _surrogate_text(data: bytes) -> str:
    return data.decode("utf-8", "surrogateescape")


def _blank(value: Any) -> bool:
    """Whether a cell is not given: NULL, no items, or blank text (as in a file)."""
    return (
        value is None or value == () or (isinstance(value, str) and not value.strip())
    )


def _cells(layout: TableLayout, rows: list[Any]) -> dict[str, list[Any]]:
    """The cells of the fields of one value; a period's date with its precision."""
    cells: dict[str, list[Any]] = {}
    for field in layout.scalars:
        if field in layout.periods:
            precision = f"{field}{PRECISION}"
            end = field == "end"
            cells[field] = [
                _period(row[field], row[precision], end=end) for row in rows
            ]
        else:
            cells[field] = [row[field] for row in rows]
    return cells


def _period(day: Any, precision: str | None, *, end: bool = False) -> Any:
    """A period's date as given: a `PartialDate` when given to the month or year.

    A precision the day does not fit (a start's "month" that is not on the
    first of its month, an end's that is not on the last), or given beside a
    value that is no date, is text, for the validator to report.
    """
    if day is None or precision is None:
        return day
    if not isinstance(day, dt.date) or isinstance(day, dt.datetime):
        return f"{day} (precision {precision!r})"
    if not _stands_for(day, precision, end=end):
        return f"{day.isoformat()} (precision {precision!r})"
    try:
        return PartialDate(day.year, day.month, day.day, precision)  # type: ignore[arg-type] # checked by PartialDate
    except ValueError:
        return f"{day.isoformat()} (precision {precision!r})"


def _stands_for(day: dt.date, precision: str, *, end: bool) -> bool:
    """Whether `day` is the day a start (or an end) of this precision is stored on.

    A start is stored on the first day of its month or year, an end on the last.
    """
    if precision == "month":
        last = calendar.monthrange(day.year, day.month)[1]
        return day.day == (last if end else 1)
    if precision == "year":
        return (day.month, day.day) == ((12, 31) if end else (1, 1))
    return True  # a day, or no precision PartialDate knows: it says so


def _items(
    connection: sa.Connection, link: Link, keys: list[tuple[Any, ...]]
) -> list[Any]:
    """The items of one list (or mapping) field of the rows with these keys."""
    table = link.table
    owner = [table.c[column] for column in link.owner]
    order = table.c["key"] if link.mapping else table.c[POSITION]
    found: dict[tuple[Any, ...], Any] = {}
    for wanted in keys_among(owner, keys):
        statement = sa.select(table).where(wanted).order_by(*owner, order)
        for row in connection.execute(statement).mappings():
            key = tuple(row[column] for column in link.owner)
            if link.mapping:
                found.setdefault(key, {})[row["key"]] = row[link.value]
            else:
                found.setdefault(key, []).append(row[link.value])
    if link.mapping:
        return [found.get(key) for key in keys]
    return [tuple(found.get(key, ())) for key in keys]


# How a pointer spells a key that is NULL, which no value of a key spells: a
# backslash in a value is doubled (PostgreSQL's COPY writes NULL so too).
_NULL_SEGMENT = "\\N"


def _segment(value: Any) -> str:
    r"""A key's value as a segment of a JSON pointer (RFC 6901), safe to show.

    `~` and `/` are `~0` and `~1`; a backslash is doubled, and a control
    character is escaped as `clusterkit.render.safe_text` shows one (`\x1b`), so
    a terminal shows the key and each key has a segment of its own. A NULL is
    `\N`.
    """
    if value is None:
        return _NULL_SEGMENT
    text = safe_text(str(value).replace("\\", "\\\\"))
    return text.replace("~", "~0").replace("/", "~1")


def _reason(error: sa.exc.SQLAlchemyError) -> str:
    """What the database said, on its first line."""
    reason = getattr(error, "orig", None) or error
    return str(reason).strip().splitlines()[0]


def _missing_file(url: sa.URL) -> bool:
    """Whether a URL is of a SQLite file that does not exist (connecting creates it).

    An in-memory database (`sqlite://`, `:memory:`, `mode=memory`) is no file;
    with `uri=true` the database is a SQLite URI (`file:data.db?mode=ro`).
    """
    name = url.database
    memory = name in {None, "", ":memory:"} or url.query.get("mode") == "memory"
    if url.get_backend_name() != "sqlite" or memory:
        return False
    path = str(name)
    if str(url.query.get("uri", "")).lower() in {"true", "1"}:
        path = urllib.parse.unquote(urllib.parse.urlsplit(path).path)
    return not Path(path).exists()


def open_database(source: Any, display: str) -> OpenSource:
    """A database opened as a dataset source, as `clusterkit.io.open_source` opens it.

    Added in version 0.2.0.

    Args:
        source: The database's URL or SQLAlchemy engine.
        display: How locations name it.

    Returns:
        A source of kind `database` whose `records` is its `DatabaseReader`.

    Raises:
        DatasetReadError: The database cannot be opened, is a SQLite file that
            does not exist (it is not created), or holds no table of a dataset.

    Examples:
        >>> from clusterkit.sql import open_database
        >>> open_database("sqlite://", "memory")
        Traceback (most recent call last):
        ...
        clusterkit.errors.DatasetReadError: memory: no dataset tables found (...)
    """
    stack = contextlib.ExitStack()
    try:
        engine = stack.enter_context(engine_of(source))
        reader = DatabaseReader(engine, display)
    except BaseException:
        stack.close()
        raise
    return OpenSource(display, "database", records=reader, close=[stack.close])


def read_sql(database: EngineOrURL, *, schema: str | None = None) -> Dataset:
    """Read a dataset from a database, as `write_sql` stored it.

    The records come back in the order they were written in; rows added by
    other means (without a `position`) come after, in the order of their key.

    Added in version 0.2.0.

    Args:
        database: A SQLAlchemy engine, or a database URL
            (`sqlite:///data.db`, `postgresql+psycopg://user@host/db`).
        schema: The schema that holds the tables (default: the database's).

    Returns:
        The dataset.

    Raises:
        DatasetReadError: The database cannot be read, is a SQLite file that
            does not exist (reading never creates one), holds no dataset
            tables, or a row is not a valid record (a value of the wrong type
            included: text that is no date, a number in a boolean column); the
            message names the table, the row's key and the column.

    Examples:
        >>> import sqlalchemy as sa
        >>> import clusterkit as ck
        >>> from clusterkit.sql import read_sql, write_sql
        >>> engine = sa.create_engine("sqlite://")
        >>> write_sql(ck.load_example(), engine)
        >>> read_sql(engine) == ck.load_example()
        True
    """
    with engine_of(database, schema=schema) as engine:
        return load_dataset(engine)
