"""Private: the tables of a dataset created in a database, and a dataset written to them."""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Collection, Iterator, Sequence
from typing import Any, Literal

import sqlalchemy as sa
from pydantic.fields import FieldInfo

from clusterkit.errors import DatasetError, DatasetExistsError
from clusterkit.io import BATCH_ROWS
from clusterkit.models import TABLES, Dataset, Record
from clusterkit.sql._engines import EngineOrURL, display_of, engine_of
from clusterkit.sql._layout import (
    KEYS,
    POSITION,
    PRECISION,
    REFERENCES,
    Amount,
    TableLayout,
    amount_digits,
    amount_fits,
    build,
    keys_among,
)

__all__ = ["create_tables", "metadata", "write_sql"]

IfExists = Literal["fail", "replace", "append"]

# How many problems an error message lists before it says how many more there are.
_LISTED = 5

# The range of a BIGINT (SQLite's INTEGER, PostgreSQL's bigint): a count the
# models allow (up to 30 digits) may not fit it.
_BIGINT = range(-(2**63), 2**63)


def metadata(*, schema: str | None = None, references: bool = False) -> sa.MetaData:
    """The SQL tables of a dataset, generated from the models, as SQLAlchemy metadata.

    One table per dataset table (`clusters`, …) with a column per field of one
    value, a link table per list field (`partnerships_members`, …) and one
    for the generations' grant caps (`generations_max_grant_eur`); the
    reference page *Data format* describes them.

    Added in version 0.2.0.

    Args:
        schema: The schema of the tables (default: the database's).
        references: Declare the references between records (an activity's
            partnership, a partnership's members, …) as foreign keys.

    Returns:
        A new `sqlalchemy.MetaData`, for `create_all`, migrations or queries.

    Examples:
        >>> from clusterkit.sql import metadata
        >>> tables = metadata().tables
        >>> [column.name for column in tables["partnerships_members"].columns]
        ['partnership', 'position', 'cluster']
        >>> str(tables["activities"].c.start.type), str(tables["activities"].c.start_precision.type)
        ('DATE', 'VARCHAR(5)')
    """
    built, _ = build(schema=schema, references=references)
    return built


def create_tables(
    database: EngineOrURL, *, schema: str | None = None, references: bool = False
) -> None:
    """Create the tables of a dataset in a database, those it does not hold yet.

    Added in version 0.2.0.

    Args:
        database: A SQLAlchemy engine, or a database URL.
        schema: The schema to create them in (it must exist).
        references: Declare the references between records as foreign keys.

    Examples:
        >>> import sqlalchemy as sa
        >>> from clusterkit.sql import create_tables
        >>> engine = sa.create_engine("sqlite://")
        >>> create_tables(engine)
        >>> "activities_smes" in sa.inspect(engine).get_table_names()
        True
    """
    with engine_of(database) as engine, engine.begin() as connection:
        metadata(schema=schema, references=references).create_all(connection)


def write_sql(
    dataset: Dataset,
    database: EngineOrURL,
    *,
    schema: str | None = None,
    if_exists: IfExists = "fail",
    references: bool = False,
) -> None:
    """Store a dataset in a database, creating the tables it needs.

    Everything is written in one transaction: on an error, nothing is. The
    records keep their order (`position`), and a start or end given to the
    month or the year keeps its precision, so `read_sql` gives the same
    dataset back.

    A dataset is stored with its findings (run `clusterkit.validate` first to
    store only valid data, or on the database afterwards): references to
    records that are not there are stored as they are, unless `references`
    declares them as foreign keys.

    Added in version 0.2.0.

    Args:
        dataset: The dataset.
        database: A SQLAlchemy engine, or a database URL
            (`sqlite:///data.db`, `postgresql+psycopg://user@host/db`).
        schema: The schema of the tables (it must exist; default: the
            database's).
        if_exists: When the tables already hold records: `"fail"` (raise),
            `"replace"` (drop the tables and write them again) or `"append"`
            (add the records).
        references: Declare the references between records as foreign keys
            and refuse a dataset with a reference that does not resolve (in
            the dataset, or in the database when appending). A partnership's
            `generation` is never one: it may name a shipped generation.

    Raises:
        DatasetExistsError: The tables already hold records (`if_exists="fail"`).
        DatasetError: A record of a subclass has a value other than the
            default in a field it adds (the tables have the shared fields
            only) or an empty value in a field whose default it changes, two
            records of a table share a key, a count does not fit
            the database's integer column (BIGINT, below 2**63), a reference
            does not resolve (`references=True`), an amount has more digits
            than the database's NUMERIC (a database other than PostgreSQL and
            SQLite), the `position` column of a table appended to holds
            something that is no whole number (`if_exists="append"`), a link
            table holds items of a record's key, left when another program
            deleted its record without them, or the database refuses the
            records; the message names the table, the key and the field.
        ValueError: `if_exists` is none of the three.

    Examples:
        >>> import sqlalchemy as sa
        >>> import clusterkit as ck
        >>> from clusterkit.sql import write_sql
        >>> engine = sa.create_engine("sqlite://")
        >>> write_sql(ck.load_example(), engine)
        >>> with engine.connect() as connection:
        ...     connection.scalar(sa.text("SELECT count(*) FROM partnerships"))
        6
    """
    if if_exists not in {"fail", "replace", "append"}:
        msg = f"if_exists must be 'fail', 'replace' or 'append', not {if_exists!r}"
        raise ValueError(msg)
    display = display_of(database)
    _refuse(
        display,
        "the tables have no column for a field a subclass adds (write CSV, JSON "
        "Lines, JSON or a workbook to keep it)",
        list(_added_fields(dataset)),
    )
    _refuse(
        display,
        "an empty value reads back as the field's default, which a subclass "
        "makes another (give the field a default of None, or no items)",
        list(_empty_values(dataset)),
    )
    _refuse(display, "two records share a key", list(_duplicates(dataset)))
    tables, layouts = build(schema=schema, references=references)
    _refuse(
        display,
        "a number does not fit the database's integer column (a BIGINT "
        f"holds at most {_BIGINT.stop - 1})",
        list(_too_big(dataset, layouts)),
    )
    known = _ids(dataset)
    if references and if_exists != "append":
        # Refused before the tables are touched (SQLite commits DDL at once).
        _refuse(
            display, "a reference does not resolve", list(_dangling(dataset, known))
        )
    with engine_of(database) as engine:
        _refuse(
            display,
            "an amount has more digits than the database's column "
            f"NUMERIC{amount_digits(engine.dialect)} holds, which would round it",
            list(_too_precise(dataset, layouts, engine.dialect)),
        )
        connected = False
        try:
            with engine.begin() as connection:
                connected = True
                _ddl_in_transaction(connection)
                if if_exists == "replace":
                    # Every foreign key declared: the tables are dropped in an
                    # order that suits either kind of database.
                    build(schema=schema, references=True)[0].drop_all(connection)
                tables.create_all(connection)
                held = _held(connection, layouts)
                if held and if_exists == "fail":
                    raise DatasetExistsError(
                        f"{display}: the tables already hold records ({held}); "
                        "pass if_exists='replace' or 'append'",
                        source=display,
                    )
                if held:  # appended: no record may repeat a stored key
                    again = list(_stored_again(dataset, connection, layouts))
                    _refuse(display, "a record's key is already stored", again)
                if if_exists != "replace":
                    # Items left by a record another program deleted (SQLite's
                    # foreign keys off): the new record would read them as its own.
                    left = list(_items_left(dataset, connection, layouts))
                    _refuse(
                        display,
                        "a link table already holds items of a record's key, left "
                        "when its record was deleted without them (delete them, "
                        "or pass if_exists='replace')",
                        left,
                    )
                if references and if_exists == "append":
                    _add_stored(known, connection, layouts)
                    dangling = list(_dangling(dataset, known))
                    _refuse(display, "a reference does not resolve", dangling)
                for name, layout in layouts.items():
                    records = dataset.table(name)
                    first = (
                        _next_position(connection, layout, len(records), display)
                        if held
                        else 0
                    )
                    _insert(connection, layout, records, first)
        except sa.exc.DBAPIError as error:
            # Every line the driver gave: PostgreSQL names the key in a DETAIL.
            reason = "; ".join(
                line.strip() for line in str(error.orig).splitlines() if line.strip()
            )
            what = (
                "the database refused the dataset"
                if connected
                else "cannot connect to the database"
            )
            raise DatasetError(f"{display}: {what}: {reason}", source=display) from None


def _ddl_in_transaction(connection: sa.Connection) -> None:
    """Make the tables' DROP and CREATE part of the transaction, in SQLite too.

    SQLite can undo them, but its Python driver begins a transaction only
    before a statement that changes rows: a table dropped before that would be
    gone for good if a later insert failed (a full disk), with the dataset
    it held. So the transaction is begun here, before any of them.
    """
    if connection.dialect.name != "sqlite":
        return
    driver = connection.connection.dbapi_connection
    if getattr(driver, "in_transaction", None) is False:
        connection.exec_driver_sql("BEGIN")


def _refuse(display: str, what: str, problems: list[str]) -> None:
    if not problems:
        return
    listed = "; ".join(problems[:_LISTED])
    more = len(problems) - _LISTED
    if more > 0:
        listed += f"; and {more} more"
    raise DatasetError(f"{display}: not written, {what}: {listed}", source=display)


def _added_fields(dataset: Dataset) -> Iterator[str]:
    """Each value of a field that a subclass of a table's model adds, but its default.

    The tables are generated from the shared models: reading such a field
    gives its default, so a value equal to it loses nothing, and any other
    would be lost.
    """
    for name, record, field, added in _subclass_values(dataset):
        if added:
            key = "/".join(_key(record, KEYS[name]))
            yield f"{name} {key} {field}"


def _empty_values(dataset: Dataset) -> Iterator[str]:
    """Each empty value of a shared field a subclass gives another default.

    Its column is there, but NULL, blank text or no items reads back as not
    given, so as the field's default.
    """
    for name, record, field, added in _subclass_values(dataset):
        value = getattr(record, field)
        if not added and _stored_empty(value):
            key = "/".join(_key(record, KEYS[name]))
            yield f"{name} {key} {field}: {value!r}"


def _stored_empty(value: object) -> bool:
    """Whether a value is stored as NULL, blank text or no items: read as not given.

    Judged by length, not by equality, so that `[]` and `set()` are empty too.
    """
    return value is None or (isinstance(value, Collection) and not value)


def _subclass_values(dataset: Dataset) -> Iterator[tuple[str, Record, str, bool]]:
    """`(table, record, field, added)` of each value that is not its field's default.

    The fields are those a subclass of the table's model adds (`added`) or
    declares again with another default.
    """
    for name, model in TABLES.items():
        records = dataset.table(name)
        # Found per kind of record (at C speed), so plain records cost no step.
        kinds: set[type[Record]] = set(map(type, records))
        judged = {kind: _judged_defaults(kind, model) for kind in kinds}
        if not any(judged.values()):
            continue
        for record in records:
            for field, default in judged[type(record)].items():
                if getattr(record, field) != default:
                    yield name, record, field, field not in model.model_fields


def _judged_defaults(kind: type[Record], model: type[Record]) -> dict[str, Any]:
    """The defaults of the fields `kind` adds to `model` or gives another default."""
    return {
        field: _default(info)
        for field, info in kind.model_fields.items()
        if field not in model.model_fields
        or _default(info) != _default(model.model_fields[field])
    }


# What a field without a default reads back as: nothing any value equals.
_NO_DEFAULT = object()


def _default(info: FieldInfo) -> Any:
    """The value a field reads back as when its column is not there."""
    if info.is_required():
        return _NO_DEFAULT
    return info.get_default(call_default_factory=True)


def _duplicates(dataset: Dataset) -> Iterator[str]:
    """The keys that two records of a table share."""
    for name in TABLES:
        seen: set[tuple[Any, ...]] = set()
        for record in dataset.table(name):
            key = _key(record, KEYS[name])
            if key in seen:
                yield f"{name} {'/'.join(key)}"
            seen.add(key)


def _held(connection: sa.Connection, layouts: dict[str, TableLayout]) -> str:
    """The number of records each table holds, as text; empty when none does."""
    counts = {
        name: connection.scalar(sa.select(sa.func.count()).select_from(layout.table))
        for name, layout in layouts.items()
    }
    return ", ".join(f"{count} {name}" for name, count in counts.items() if count)


def _stored_again(
    dataset: Dataset, connection: sa.Connection, layouts: dict[str, TableLayout]
) -> Iterator[str]:
    """Each record of the dataset whose key a stored record has."""
    for name, layout in layouts.items():
        keys = [tuple(_key_values(record, layout)) for record in dataset.table(name)]
        columns = [layout.table.c[field] for field in layout.key]
        for wanted in keys_among(columns, keys):
            for row in connection.execute(sa.select(*columns).where(wanted)):
                yield f"{name} {'/'.join(map(str, row))}"


def _items_left(
    dataset: Dataset, connection: sa.Connection, layouts: dict[str, TableLayout]
) -> Iterator[str]:
    """Each link table's key of the dataset's records that the table holds items of.

    No stored record has such a key (`_stored_again`): the items outlived their
    record, deleted without them (SQLite, foreign keys off). clusterkit never
    deletes what it did not write, so the write is refused.
    """
    for name, layout in layouts.items():
        keys: list[tuple[Any, ...]] | None = None
        for link in layout.links.values():
            table = link.table
            if (
                connection.scalar(sa.select(sa.literal(1)).select_from(table).limit(1))
                is None
            ):
                continue  # no items at all: the usual case, a query per table
            if keys is None:
                keys = [
                    tuple(_key_values(record, layout)) for record in dataset.table(name)
                ]
            owner = [table.c[column] for column in link.owner]
            for wanted in keys_among(owner, keys):
                statement = sa.select(*owner).where(wanted).distinct()
                for row in connection.execute(statement):
                    yield f"{table.name} {'/'.join(map(str, row))}"


def _ids(dataset: Dataset) -> dict[str, set[str]]:
    """The ids of the dataset's records that references may name, by table."""
    return {
        name: {getattr(record, "id") for record in dataset.table(name)}  # noqa: B009 - records of tables with an id
        for name in set(REFERENCES.values())
    }


def _add_stored(
    known: dict[str, set[str]],
    connection: sa.Connection,
    layouts: dict[str, TableLayout],
) -> None:
    """Add the ids of the records the database holds."""
    for name, ids in known.items():
        ids.update(connection.scalars(sa.select(layouts[name].table.c["id"])))


def _dangling(dataset: Dataset, known: dict[str, set[str]]) -> Iterator[str]:
    """Each reference to a record that is neither in the dataset nor stored."""
    for (name, field), referred in REFERENCES.items():
        for record in dataset.table(name):
            value = getattr(record, field)
            for item in value if isinstance(value, tuple) else (value,):
                if item is not None and item not in known[referred]:
                    key = "/".join(_key(record, KEYS[name]))
                    yield f"{name} {key} {field}: no {referred} record {item!r}"


def _key(record: Record, fields: tuple[str, ...]) -> tuple[str, ...]:
    return tuple(str(getattr(record, field)) for field in fields)


def _too_big(dataset: Dataset, layouts: dict[str, TableLayout]) -> Iterator[str]:
    """Each value of an integer column that a BIGINT cannot hold."""
    for name, layout in layouts.items():
        integers = [
            field
            for field in layout.scalars
            if isinstance(layout.table.c[field].type, sa.Integer)
        ]
        for record in dataset.table(name):
            for field in integers:
                value = getattr(record, field)
                if value is not None and value not in _BIGINT:
                    key = "/".join(_key(record, KEYS[name]))
                    yield f"{name} {key} {field}: {value}"


def _too_precise(
    dataset: Dataset, layouts: dict[str, TableLayout], dialect: sa.Dialect
) -> Iterator[str]:
    """Each amount the database's NUMERIC would round (none in PostgreSQL, SQLite)."""
    digits = amount_digits(dialect)
    if digits is None:
        return
    for name, layout in layouts.items():
        amounts = [
            field
            for field in layout.scalars
            if isinstance(layout.table.c[field].type, Amount)
        ]
        caps = [link.field for link in layout.links.values() if link.mapping]
        for record in dataset.table(name):
            values = [(field, getattr(record, field)) for field in amounts]
            for field in caps:
                values += [
                    (f"{field} {key!r}", amount)
                    for key, amount in (getattr(record, field) or {}).items()
                ]
            for field, value in values:
                if value is not None and not amount_fits(value, digits):
                    key = "/".join(_key(record, KEYS[name]))
                    yield f"{name} {key} {field}: {value}"


def _next_position(
    connection: sa.Connection, layout: TableLayout, count: int, display: str
) -> int:
    """The position after the last of a table's stored records.

    Raises:
        DatasetError: The last position is no whole number (text that another
            program stored), or the next `count` positions do not fit a BIGINT.
    """
    last = connection.scalar(sa.select(sa.func.max(layout.table.c[POSITION])))
    if last is None:
        return 0
    if not isinstance(last, int) or last + count >= _BIGINT.stop:
        raise DatasetError(
            f"{display}: not written, cannot append to table {layout.name}: "
            f"the last value of its column {POSITION}, {last!r}, is not a whole "
            "number below 2**63 that the records can follow; number that "
            "column's rows 0, 1, … or pass if_exists='replace'",
            source=display,
        )
    return last + 1


def _insert(
    connection: sa.Connection,
    layout: TableLayout,
    records: Sequence[Record],
    first: int,
) -> None:
    """Write the records of a table and the items of their lists, in batches."""
    for start in range(0, len(records), BATCH_ROWS):
        part = records[start : start + BATCH_ROWS]
        rows = [
            _row(layout, record, first + start + index)
            for index, record in enumerate(part)
        ]
        connection.execute(layout.table.insert(), rows)
        for field, link in layout.links.items():
            items: list[dict[str, Any]] = []
            for record in part:
                owner = dict(zip(link.owner, _key_values(record, layout), strict=True))
                value = getattr(record, field)
                if link.mapping:
                    items += [
                        {**owner, "key": key, "value": amount}
                        for key, amount in (value or {}).items()
                    ]
                else:
                    items += [
                        {**owner, POSITION: position, link.value: _plain(item)}
                        for position, item in enumerate(value)
                    ]
            if items:
                connection.execute(link.table.insert(), items)


def _key_values(record: Record, layout: TableLayout) -> list[Any]:
    return [getattr(record, field) for field in layout.key]


def _row(layout: TableLayout, record: Record, position: int) -> dict[str, Any]:
    """The main table's row of a record: its values of one value, and its position."""
    row: dict[str, Any] = {POSITION: position}
    for field in layout.scalars:
        value = getattr(record, field)
        if field in layout.periods:
            row[f"{field}{PRECISION}"] = getattr(value, "precision", None)
        row[field] = _plain(value)
    return row


def _plain(value: Any) -> Any:
    """A value as the database takes it: an enumeration's value, a plain date."""
    if isinstance(value, enum.Enum):
        return value.value
    if isinstance(value, dt.date):
        return dt.date(value.year, value.month, value.day)
    return value
