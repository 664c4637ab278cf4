"""Private: the SQL tables of a dataset, generated from the models.

Each table of a dataset (`TABLES`) is a table of the same name whose columns are
its model's fields of one value, with the SQL type of the field's type; its key
is `id` (a target's, `partnership` and `country`). A `position` column keeps
the order of the records. A period's start or end given to the month or the year
(a `PartialDate`) is its day in the DATE column and `month` or `year` in the
column `<field>_precision` beside it (`NULL`: given to the day).

Each list field is a link table `<table>_<field>`: the owner's key, the item's
`position` in the list and the item, in a column named after the table it
refers to (`cluster`, `sme`) or `value`. A mapping field (a generation's grant
caps) is a table `<table>_<field>` of `key` and `value`.

Link tables refer to their owner by a foreign key (`ON DELETE CASCADE`). The
references between records (an activity's partnership, a partnership's
members, …) are foreign keys only when asked for (`references=True`): a
dataset is stored with its findings, and the validator reports what dangles.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
import types
import typing
from collections.abc import Iterator, Mapping, Sequence
from decimal import Decimal, InvalidOperation
from typing import Any

import attrs
import sqlalchemy as sa
from pydantic.fields import FieldInfo

from clusterkit._dates import parse_end_date, parse_start_date
from clusterkit.models import TABLES

__all__ = [
    "KEYS",
    "POSITION",
    "PRECISION",
    "REFERENCES",
    "Amount",
    "Day",
    "Flag",
    "KeyText",
    "Link",
    "TableLayout",
    "amount_digits",
    "amount_fits",
    "build",
    "keys_among",
    "sql_type",
]

# The most values a statement may take: SQLite's limit before version 3.32.
_MOST_VARIABLES = 999

POSITION = "position"
"""The column of a record's place in its table, or of an item's in its list."""

PRECISION = "_precision"
"""The suffix of the column that says how precisely a period's date is given."""

KEYS: Mapping[str, tuple[str, ...]] = {
    table: ("partnership", "country") if table == "targets" else ("id",)
    for table in TABLES
}
"""The primary key of each table."""

REFERENCES: Mapping[tuple[str, str], str] = {
    ("smes", "clusters"): "clusters",
    ("partnerships", "coordinator"): "clusters",
    ("partnerships", "members"): "clusters",
    ("targets", "partnership"): "partnerships",
    ("activities", "partnership"): "partnerships",
    ("activities", "clusters"): "clusters",
    ("activities", "smes"): "smes",
}
"""The fields that hold ids of another table's records, with that table.

A partnership's `generation` is not among them: it names a shipped generation
as often as one the dataset declares.
"""

# How a link table names its owner, and a reference to a record of the table.
_SINGULAR = {
    "generations": "generation",
    "clusters": "cluster",
    "smes": "sme",
    "partnerships": "partnership",
    "activities": "activity",
}


# The databases whose NUMERIC and TEXT have no bound (SQLite's NUMERIC rounds:
# an amount is TEXT there). The others need a precision for NUMERIC, which
# would be (18, 0) or (10, 0) otherwise, and a length for text in a key.
_UNBOUNDED = frozenset({"postgresql", "sqlite"})

# The digits of an amount's NUMERIC, and of them after the point, where it has
# a bound: MySQL's (and MariaDB's) most, and SQL Server's (and Oracle's) most
# with 10 places (a cent is 2).
_AMOUNT_DIGITS = {"mysql": (65, 30), "mariadb": (65, 30)}
_OTHER_AMOUNT_DIGITS = (38, 10)

# The length of a key's text where text in a key needs one: a target's country
# (2 letters) or a grant cap's strand label. Within the length of an index of
# MySQL (3,072 bytes, 4 a character) and SQL Server (900) with a 64-character id.
_KEY_TEXT_LENGTH = 255


def amount_digits(dialect: sa.Dialect) -> tuple[int, int] | None:
    """`(precision, scale)` of an amount's NUMERIC in a database; None: unbounded."""
    if dialect.name in _UNBOUNDED:
        return None
    return _AMOUNT_DIGITS.get(dialect.name, _OTHER_AMOUNT_DIGITS)


def amount_fits(amount: Decimal, digits: tuple[int, int]) -> bool:
    """Whether a NUMERIC of `(precision, scale)` holds an amount without rounding it."""
    precision, scale = digits
    _, figures, exponent = amount.as_tuple()
    assert isinstance(exponent, int)  # noqa: S101 - an amount is finite
    significant = "".join(map(str, figures)).rstrip("0")
    if not significant:
        return True  # 0, however written (0E-40)
    # Zeros at the end of a fraction need no place (1.50 fits a scale of 1).
    zeros = len(figures) - len(significant)
    places = max(0, -exponent - zeros)
    whole = max(0, len(figures) + exponent)
    return places <= scale and whole <= precision - scale


class Amount(sa.types.TypeDecorator[Decimal]):
    """An exact amount: NUMERIC, or text where numbers are floating point (SQLite)."""

    impl = sa.Numeric
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        """TEXT on SQLite, whose NUMERIC would round; NUMERIC elsewhere.

        PostgreSQL's NUMERIC holds any amount; another database's has the
        precision and scale of `amount_digits`.
        """
        if dialect.name == "sqlite":
            return dialect.type_descriptor(sa.Text())
        digits = amount_digits(dialect)
        precision, scale = digits or (None, None)
        return dialect.type_descriptor(sa.Numeric(precision, scale, asdecimal=True))

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> Any:
        """An amount as text for SQLite."""
        if value is None or dialect.name != "sqlite":
            return value
        return str(value)

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> Any:
        """A decimal; text that is no number, and any other value, stays as it is.

        The validator reports what is no amount (a blob, a floating-point number
        SQLite holds in the column) at its cell.
        """
        del dialect
        if not isinstance(value, str):
            return value
        try:
            return Decimal(value)
        except InvalidOperation:
            return value


class KeyText(sa.types.TypeDecorator[str]):
    """Text in a primary key: TEXT, or VARCHAR where an index needs a length.

    MySQL cannot index TEXT, nor SQL Server a `VARCHAR(max)`.
    """

    impl = sa.Text
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        """TEXT on PostgreSQL and SQLite (as before), VARCHAR(255) elsewhere."""
        if dialect.name in _UNBOUNDED:
            return sa.Text()
        return sa.String(_KEY_TEXT_LENGTH)


class _Declared(sa.types.UserDefinedType[Any]):
    """A column declared as `name`, whose values the driver gives as they are stored.

    SQLite's own DATE and BOOLEAN types convert what they read (`str_to_date`
    raises on text that is no ISO date, `bool()` makes any number `True`); this
    type declares the same column and leaves the reading to `Day` and `Flag`.
    """

    cache_ok = True

    def __init__(self, name: str) -> None:
        self.name = name

    def get_col_spec(self, **kw: Any) -> str:
        """The column's type in `CREATE TABLE`."""
        del kw
        return self.name


# A day as SQLite holds it: `YYYY-MM-DD`, or a timestamp at midnight without a
# time zone (`2016-08-10 00:00:00`, as pandas' `to_sql` writes one). ASCII
# digits only, and no other ISO form (`2016-W32-3`, `20160810`).
_SQLITE_DAY = re.compile(
    r"([0-9]{4})-([0-9]{2})-([0-9]{2})(?:[ T]00:00(?::00(?:\.0+)?)?)?"
)


class Day(sa.types.TypeDecorator[dt.date]):
    """A date: DATE, read as a `datetime.date` when it is one, else as it is stored.

    A `datetime.date` the driver gives (PostgreSQL), a timestamp at midnight
    without a time zone, and in SQLite, which keeps dates as text, the text
    `YYYY-MM-DD` (or such a timestamp as text, `2016-08-10 00:00:00`) are dates;
    any other value (`not a date`, `2024-02-30`, the number `20160810`, a blob)
    is handed on as it is, for the validator to report.
    """

    impl = sa.Date
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        """DATE, without SQLite's conversion of what is read."""
        if dialect.name == "sqlite":
            return _Declared("DATE")
        return dialect.type_descriptor(sa.Date())

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> Any:
        """A date as `YYYY-MM-DD` text for SQLite."""
        if isinstance(value, dt.date) and dialect.name == "sqlite":
            return value.isoformat()
        return value

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> Any:
        """A `datetime.date` for a date; any other value as it is."""
        del dialect
        if isinstance(value, dt.datetime):
            midnight = value.tzinfo is None and value.time() == dt.time()
            return value.date() if midnight else value
        if not isinstance(value, str):
            return value
        match = _SQLITE_DAY.fullmatch(value)
        if match is None:
            return value
        try:
            return dt.date(*map(int, match.groups()))
        except ValueError:  # well-formed, not in the calendar (2024-02-30)
            return value


class Flag(sa.types.TypeDecorator[bool]):
    """A boolean: BOOLEAN, read as a `bool` when it is one, else as it is stored.

    A boolean the driver gives, and the integers 0 and 1 (how SQLite stores
    booleans), are booleans; any other value (the text `maybe`, the number 5, a
    blob) is handed on as it is, for the validator to judge as it judges the
    same value in a file: the text `false` or `yes` is read as a CSV cell is.
    """

    impl = sa.Boolean
    cache_ok = True

    def load_dialect_impl(self, dialect: sa.Dialect) -> sa.types.TypeEngine[Any]:
        """BOOLEAN, without SQLite's `bool()` of what is read."""
        if dialect.name == "sqlite":
            return _Declared("BOOLEAN")
        return dialect.type_descriptor(sa.Boolean())

    def process_bind_param(self, value: Any, dialect: sa.Dialect) -> Any:
        """A boolean as 0 or 1 for SQLite."""
        if isinstance(value, bool) and dialect.name == "sqlite":
            return int(value)
        return value

    def process_result_value(self, value: Any, dialect: sa.Dialect) -> Any:
        """A `bool` for a boolean, 0 or 1; any other value as it is."""
        del dialect
        if isinstance(value, int) and value in {0, 1}:
            return bool(value)
        return value


@attrs.frozen
class Link:
    """The table of one list (or mapping) field: who owns each item, and the item.

    Attributes:
        field: The field.
        table: The SQL table.
        owner: The columns of the owner's key.
        value: The column of the item (of the value, for a mapping).
        mapping: Whether the field is a mapping (its `key` column).
        enum: The enumeration of the items, if any.
    """

    field: str
    table: sa.Table
    owner: tuple[str, ...]
    value: str
    mapping: bool = False
    enum: type[enum.Enum] | None = None


@attrs.frozen
class TableLayout:
    """The SQL tables of one table of a dataset.

    Attributes:
        name: The table (`activities`).
        table: Its SQL table of the fields of one value.
        key: Its primary key's fields.
        scalars: The fields of one value, in model order.
        periods: Those that are a period's start or end (with a precision).
        enums: The enumeration of each field that holds one.
        links: The link table of each list or mapping field.
    """

    name: str
    table: sa.Table
    key: tuple[str, ...]
    scalars: tuple[str, ...]
    periods: frozenset[str]
    enums: Mapping[str, type[enum.Enum]]
    links: Mapping[str, Link]


def build(
    *, schema: str | None = None, references: bool = False
) -> tuple[sa.MetaData, dict[str, TableLayout]]:
    """The tables of a dataset, and the layout of each table."""
    metadata = sa.MetaData(schema=schema)
    layouts = {name: _table(metadata, name, references=references) for name in TABLES}
    return metadata, layouts


def _table(metadata: sa.MetaData, name: str, *, references: bool) -> TableLayout:
    key = KEYS[name]
    prefix = f"{metadata.schema}." if metadata.schema else ""
    columns: list[sa.Column[Any]] = []
    scalars: list[str] = []
    periods: set[str] = set()
    enums: dict[str, type[enum.Enum]] = {}
    links: list[tuple[str, Any]] = []
    fields = TABLES[name].model_fields
    # The key's columns come first, then the other fields in model order.
    for field in sorted(fields, key=lambda field: field not in key):
        info = fields[field]
        kind, metadata_items = _unwrap(info.annotation, list(info.metadata))
        origin = typing.get_origin(kind)
        if origin in {tuple, dict}:
            links.append((field, kind))
            continue
        if isinstance(kind, type) and issubclass(kind, enum.Enum):
            enums[field] = kind
        scalars.append(field)
        referred = REFERENCES.get((name, field))
        constraints = (
            [sa.ForeignKey(f"{prefix}{referred}.id")] if references and referred else []
        )
        column_type = sql_type(kind, metadata_items)
        columns.append(
            sa.Column(
                field,
                _keyed(column_type) if field in key else column_type,
                *constraints,
                primary_key=field in key,
                nullable=not info.is_required(),
            )
        )
        if _is_period(info):
            periods.add(field)
            columns.append(sa.Column(f"{field}{PRECISION}", sa.String(5)))
    columns.append(sa.Column(POSITION, sa.BigInteger))
    table = sa.Table(name, metadata, *columns)
    owner_columns = {field: table.c[field].type for field in key}
    built = {
        field: _link(metadata, name, field, kind, owner_columns, references=references)
        for field, kind in links
    }
    return TableLayout(
        name, table, key, tuple(scalars), frozenset(periods), enums, built
    )


def _link(
    metadata: sa.MetaData,
    name: str,
    field: str,
    kind: Any,
    owner_types: Mapping[str, sa.types.TypeEngine[Any]],
    *,
    references: bool,
) -> Link:
    prefix = f"{metadata.schema}." if metadata.schema else ""
    owner = tuple(owner_types) if len(owner_types) > 1 else (_SINGULAR[name],)
    columns: list[sa.Column[Any] | sa.Constraint] = [
        sa.Column(column, owner_type, primary_key=True)
        for column, owner_type in zip(owner, owner_types.values(), strict=True)
    ]
    columns.append(
        sa.ForeignKeyConstraint(
            owner,
            [f"{prefix}{name}.{column}" for column in owner_types],
            ondelete="CASCADE",
        )
    )
    if typing.get_origin(kind) is dict:
        key_type, value_type = typing.get_args(kind)
        key_kind, key_metadata = _unwrap(key_type, [])
        value_kind, value_metadata = _unwrap(value_type, [])
        columns += [
            sa.Column(
                "key", _keyed(sql_type(key_kind, key_metadata)), primary_key=True
            ),
            sa.Column("value", sql_type(value_kind, value_metadata), nullable=False),
        ]
        table = sa.Table(f"{name}_{field}", metadata, *columns)
        return Link(field, table, owner, "value", mapping=True)
    item, item_metadata = _unwrap(typing.get_args(kind)[0], [])
    referred = REFERENCES.get((name, field))
    value = _SINGULAR[referred] if referred else "value"
    constraints = (
        [sa.ForeignKey(f"{prefix}{referred}.id")] if references and referred else []
    )
    columns += [
        sa.Column(POSITION, sa.Integer, primary_key=True),
        sa.Column(value, sql_type(item, item_metadata), *constraints, nullable=False),
    ]
    table = sa.Table(f"{name}_{field}", metadata, *columns)
    is_enum = isinstance(item, type) and issubclass(item, enum.Enum)
    return Link(field, table, owner, value, enum=item if is_enum else None)


def sql_type(kind: Any, metadata: list[Any]) -> sa.types.TypeEngine[Any]:
    """The SQL type of values of a Python type (with its pydantic constraints).

    Raises:
        TypeError: A type without a SQL type: a new field type needs one here.
    """
    if isinstance(kind, type) and issubclass(kind, enum.Enum):
        return sa.String(max(len(str(member.value)) for member in kind))
    types_by_kind: dict[Any, sa.types.TypeEngine[Any]] = {
        bool: Flag(),
        int: sa.BigInteger(),
        Decimal: Amount(),
        dt.date: Day(),
    }
    if kind in types_by_kind:
        return types_by_kind[kind]
    if kind is str:
        lengths = [item.max_length for item in metadata if _max_length(item)]
        return sa.String(lengths[0]) if lengths else sa.Text()
    msg = f"no SQL type for fields of type {kind!r}"
    raise TypeError(msg)


def _keyed(column_type: sa.types.TypeEngine[Any]) -> sa.types.TypeEngine[Any]:
    """The type of a key's column: text without a length is `KeyText`."""
    return KeyText() if isinstance(column_type, sa.Text) else column_type


def _max_length(item: Any) -> bool:
    return isinstance(getattr(item, "max_length", None), int)


def _unwrap(annotation: Any, metadata: list[Any]) -> tuple[Any, list[Any]]:
    """A field's type without `Optional` and `Annotated`, and the metadata met."""
    while True:
        origin = typing.get_origin(annotation)
        if origin is typing.Annotated:
            metadata = [*metadata, *annotation.__metadata__]
            annotation = typing.get_args(annotation)[0]
        elif origin in {typing.Union, types.UnionType}:
            (annotation,) = (
                arg for arg in typing.get_args(annotation) if arg is not type(None)
            )
        else:
            return annotation, metadata


def _is_period(info: FieldInfo) -> bool:
    """Whether a field is a period's start or end, which may be a `PartialDate`."""
    _, metadata = _unwrap(info.annotation, list(info.metadata))
    parsers = {getattr(item, "func", None) for item in metadata}
    return bool(parsers & {parse_start_date, parse_end_date})


def keys_among(
    columns: Sequence[sa.ColumnElement[Any]], keys: Sequence[tuple[Any, ...]]
) -> Iterator[sa.ColumnElement[bool]]:
    """`columns IN keys`, in parts of at most 999 values (SQLite before 3.32)."""
    step = _MOST_VARIABLES // len(columns)
    for start in range(0, len(keys), step):
        part = keys[start : start + step]
        yield (
            columns[0].in_([key[0] for key in part])
            if len(columns) == 1
            else sa.tuple_(*columns).in_(part)
        )
