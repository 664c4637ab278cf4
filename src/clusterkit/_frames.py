"""Private leaf: typed columns built into pandas, polars or Arrow frames, and read back.

pandas, polars and pyarrow are optional (the extras `pandas`, `polars` and
`arrow`): each is imported inside the function that needs it, never at
`import clusterkit`, and a missing one raises an `ImportError` that names the
extra to install.

A frame is built from `Column`s, each with a kind that decides its dtype in every
backend (`KINDS`); reading turns any frame's column into Python values, with the
missing values of each library (`None`, NaN, `NaT`, `pd.NA`) as `None` and numpy
scalars and arrays as Python ones. A date that no Python date holds (outside
years 1 to 9999) is read as a numpy `datetime64`, and `unreadable` says why, for
the reader to report.
"""

from __future__ import annotations

import datetime as dt
import importlib
import math
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from types import ModuleType
from typing import Any, Literal

import attrs

__all__ = [
    "BACKENDS",
    "Backend",
    "Column",
    "ColumnKind",
    "build",
    "cell",
    "column_names",
    "column_values",
    "frame_height",
    "is_frame",
    "require",
    "unfit",
    "unreadable",
]

Backend = Literal["pandas", "polars", "arrow"]
"""A DataFrame library: pandas, polars, or Arrow (a `pyarrow.Table`)."""

BACKENDS: tuple[Backend, ...] = ("pandas", "polars", "arrow")

# Each backend's module, and the extra that installs it.
_MODULES = {"pandas": "pandas", "polars": "polars", "arrow": "pyarrow"}

ColumnKind = Literal[
    "text",
    "int",
    "float",
    "decimal",
    "bool",
    "date",
    "list",
    "map",
    "float_map",
    "text_map",
]
"""What a column holds: text, integers, floats, decimals, booleans, dates, lists
of text, or mappings of text to decimals (`map`), floats (`float_map`) or text
(`text_map`)."""

# The smallest number of decimal places of a decimal column: cents.
_MIN_SCALE = 2
_MAX_DIGITS = 38  # a 128-bit decimal's precision, in Arrow and polars
_FRAME_TYPES = {
    ("pandas", "DataFrame"),
    ("polars", "DataFrame"),
    ("polars", "LazyFrame"),
    ("pyarrow", "Table"),
    ("pyarrow", "RecordBatch"),
}


def require(backend: str) -> ModuleType:
    """The module of a backend, imported now.

    Raises:
        ValueError: `backend` is not one of `BACKENDS`.
        ImportError: Its library is not installed; the message names the extra.
    """
    if backend not in _MODULES:
        msg = f"unknown backend {backend!r}; backends are {', '.join(BACKENDS)}"
        raise ValueError(msg)
    name = _MODULES[backend]
    try:
        return importlib.import_module(name)
    except ImportError:
        msg = (
            f"the {backend} backend needs {name}, which is not installed: "
            f"pip install 'clusterkit-eu[{backend}]'"
        )
        raise ImportError(msg, name=name) from None


@attrs.frozen
class Column:
    """One column to build: its name, its kind and its Python values (`None`: null)."""

    name: str
    kind: ColumnKind
    values: Sequence[Any]


def build(backend: Backend, columns: Sequence[Column]) -> Any:
    """A frame of these columns: a pandas or polars DataFrame, or a `pyarrow.Table`.

    Raises:
        ValueError: `backend` is not one of `BACKENDS`.
        ImportError: Its library is not installed.
    """
    module = require(backend)
    builder = {"pandas": _pandas, "polars": _polars, "arrow": _arrow}[backend]
    return builder(module, columns)


_INT64_MIN, _INT64_MAX = -(2**63), 2**63 - 1


def unfit(backend: Backend, columns: Sequence[Column]) -> str | None:
    """What a frame's typed columns cannot hold, or `None`: one message, for the first.

    A count beyond a 64-bit integer, or (polars, Arrow) an amount with more
    digits than a 128-bit decimal holds at its column's places, would otherwise
    be refused by the library with no word of the record, or (polars) become a
    null. pandas keeps amounts as `Decimal` objects, which hold any.
    """
    for column in columns:
        if column.kind == "int":
            for row, value in enumerate(column.values):
                if isinstance(value, int) and not _INT64_MIN <= value <= _INT64_MAX:
                    return f"{column.name} of row {row}: {value} does not fit a 64-bit integer column"
        elif column.kind in {"decimal", "map"} and backend != "pandas":
            values = _decimals(column)
            scale = _scale(value for _, value in values)
            for row, value in values:
                digits = max(value.adjusted() + 1, 1) + scale
                if digits > _MAX_DIGITS:
                    return (
                        f"{column.name} of row {row}: {value} needs {digits} digits at "
                        f"the column's {scale} decimal places, more than the "
                        f"{_MAX_DIGITS} a decimal column holds"
                    )
    return None


def _decimals(column: Column) -> list[tuple[int, Decimal]]:
    """The row and value of every decimal of a column, in a mapping too."""
    found = []
    for row, value in enumerate(column.values):
        if isinstance(value, Mapping):
            found += [(row, item) for item in value.values() if item is not None]
        elif value is not None:
            found.append((row, value))
    return found


def _scale(values: Iterable[Any]) -> int:
    """The decimal places a decimal column needs: its values' most, at least 2."""
    places = [
        -exponent
        for value in values
        if value is not None and isinstance(exponent := value.as_tuple().exponent, int)
    ]
    return max([_MIN_SCALE, *places])


def _map_values(column: Column) -> list[Any]:
    return [None if value is None else list(value.items()) for value in column.values]


def _pandas(pd: Any, columns: Sequence[Column]) -> Any:
    dtypes = {
        "text": "string",
        "int": "Int64",
        "float": "Float64",
        "bool": "boolean",
        "date": "datetime64[s]",
    }
    data = {}
    for column in columns:
        dtype = dtypes.get(column.kind, "object")
        values = column.values
        if column.kind in {"list", "map", "float_map", "text_map", "decimal"}:
            # No dtype of pandas without pyarrow holds these: Python objects.
            values = [None if v is None else _copy(v) for v in values]
        data[column.name] = pd.Series(values, dtype=dtype, name=column.name)
    return pd.DataFrame(data, columns=[column.name for column in columns])


def _copy(value: Any) -> Any:
    return list(value) if isinstance(value, (list, tuple)) else value


def _polars(pl: Any, columns: Sequence[Column]) -> Any:
    series = []
    for column in columns:
        values: Sequence[Any] = column.values
        if column.kind in {"map", "float_map", "text_map"}:
            values = [
                None if pairs is None else [{"key": k, "value": v} for k, v in pairs]
                for pairs in _map_values(column)
            ]
        series.append(pl.Series(column.name, values, dtype=_polars_type(pl, column)))
    return pl.DataFrame(series)


def _polars_type(pl: Any, column: Column) -> Any:
    kind = column.kind
    if kind == "decimal":
        return pl.Decimal(_MAX_DIGITS, _scale(column.values))
    if kind == "float_map":
        return pl.List(pl.Struct({"key": pl.String, "value": pl.Float64}))
    if kind == "text_map":
        return pl.List(pl.Struct({"key": pl.String, "value": pl.String}))
    if kind == "map":
        scale = _scale(v for m in column.values if m is not None for v in m.values())
        value = pl.Decimal(_MAX_DIGITS, scale)
        return pl.List(pl.Struct({"key": pl.String, "value": value}))
    simple = {
        "text": pl.String,
        "int": pl.Int64,
        "float": pl.Float64,
        "bool": pl.Boolean,
        "date": pl.Date,
        "list": pl.List(pl.String),
    }
    return simple[kind]


def _arrow(pa: Any, columns: Sequence[Column]) -> Any:
    arrays = []
    for column in columns:
        values = column.values
        if column.kind in {"map", "float_map", "text_map"}:
            values = _map_values(column)
        arrays.append(pa.array(values, type=_arrow_type(pa, column)))
    return pa.table(arrays, names=[column.name for column in columns])


def _arrow_type(pa: Any, column: Column) -> Any:
    kind = column.kind
    if kind == "decimal":
        return pa.decimal128(_MAX_DIGITS, _scale(column.values))
    if kind == "float_map":
        return pa.map_(pa.string(), pa.float64())
    if kind == "text_map":
        return pa.map_(pa.string(), pa.string())
    if kind == "map":
        scale = _scale(v for m in column.values if m is not None for v in m.values())
        return pa.map_(pa.string(), pa.decimal128(_MAX_DIGITS, scale))
    simple: dict[str, Callable[[], Any]] = {
        "text": pa.string,
        "int": pa.int64,
        "float": pa.float64,
        "bool": pa.bool_,
        "date": pa.date32,
        "list": lambda: pa.list_(pa.string()),
    }
    return simple[kind]()


def is_frame(value: object) -> bool:
    """Whether `value` is a pandas or polars DataFrame (or LazyFrame), or an Arrow table.

    Told by its class, without importing any of them.
    """
    kind = type(value)
    return (kind.__module__.split(".", 1)[0], kind.__name__) in _FRAME_TYPES


def _materialised(frame: Any) -> Any:
    # A polars LazyFrame is computed once, here.
    return frame.collect() if type(frame).__name__ == "LazyFrame" else frame


def column_names(frame: Any) -> list[str]:
    """The names of a frame's columns, as text."""
    frame = _materialised(frame)
    # An Arrow table's `columns` are its arrays; its names are `column_names`.
    names = getattr(frame, "column_names", None)
    return [str(name) for name in (frame.columns if names is None else names)]


def frame_height(frame: Any) -> int:
    """The number of rows of a frame."""
    frame = _materialised(frame)
    return int(frame.num_rows if hasattr(frame, "num_rows") else len(frame))


def column_values(frame: Any) -> dict[str, list[Any]]:
    """Every column of a frame as Python values, `None` for a missing one (see `cell`).

    Of two columns of one name (as text), the first is read and the later one
    ignored, as a CSV reader ignores a duplicate column. A date of an Arrow or
    polars column that no Python date holds (year 20000) is read as numpy gives
    it (see `unreadable`).
    """
    frame = _materialised(frame)
    module = type(frame).__module__.split(".", 1)[0]
    columns: dict[str, list[Any]] = {}
    for index, name in enumerate(column_names(frame)):
        if name in columns:
            continue
        try:
            raw = _raw(frame, module, index)
        except (OverflowError, ValueError):
            # Arrow and polars refuse to make a date beyond Python's of it: the
            # column cell by cell, such a cell from numpy.
            raw = [
                _raw_cell(frame.slice(row, 1), module, index)
                for row in range(frame_height(frame))
            ]
        columns[name] = [cell(value) for value in raw]
    return columns


def _raw(frame: Any, module: str, index: int) -> list[Any]:
    """A frame's column as its library gives it in Python."""
    if module == "pyarrow":
        return list(frame.column(index).to_pylist())
    if module == "polars":
        return list(frame.to_series(index).to_list())
    return list(frame.iloc[:, index].tolist())


def _raw_cell(row: Any, module: str, index: int) -> Any:
    """The cell of a row of an Arrow or polars frame, from numpy if not in Python."""
    try:
        return _raw(row, module, index)[0]
    except (OverflowError, ValueError):
        if module == "pyarrow":
            return row.column(index).to_numpy(zero_copy_only=False)[0]
        return row.to_series(index).to_numpy()[0]


_PLAIN = frozenset({str, int, bool, Decimal, dt.date})
_MISSING_TYPES = frozenset({"NAType", "NaTType"})
_MIDNIGHT = dt.time(0, 0)


def cell(value: Any) -> Any:
    """One value of a frame as a Python value, `None` if it is missing.

    Missing are `None`, NaN, and pandas' `NA` and `NaT`. numpy scalars become
    Python ones, numpy arrays lists, a timestamp at midnight without a time zone
    its day; the items of a list and the values of a mapping alike.

    A numpy float wider than a Python float (`longdouble`, `float128` on most
    platforms) is read without losing a digit: as a `float` when one holds it
    exactly (a whole number, 2.5), else as the `Decimal` of the shortest
    decimal that reads back as the same `longdouble` (`0.1`), the digits a
    person wrote, as a Python float reads through its `repr`. A numpy value
    that has no Python equivalent (a `clongdouble`; a `datetime64` outside
    years 1 to 9999, see `unreadable`) is kept as it is, for the field to
    refuse.

    Examples:
        >>> import datetime as dt
        >>> cell(float("nan")), cell(dt.datetime(2017, 3, 14)), cell((1, None))
        (None, datetime.date(2017, 3, 14), [1, None])
    """
    kind = type(value)
    if value is None or kind in _PLAIN:
        return _unpadded(value) if kind is Decimal else value
    if kind.__name__ in _MISSING_TYPES or (
        isinstance(value, float) and value != value  # noqa: PLR0124 - NaN is not itself
    ):
        return None
    if isinstance(value, dt.datetime):
        return _day(value)
    if isinstance(value, Mapping):
        return {key: cell(item) for key, item in value.items()}
    if isinstance(value, (list, tuple)):
        return [cell(item) for item in value]
    return _numpy(value) if kind.__module__ == "numpy" else value


def _unpadded(value: Decimal) -> Decimal:
    """A decimal without the zeros its column's places added (`1.50` as `1.5`).

    A decimal column of Arrow or polars gives every value its places, so the
    zeros are the column's, not digits written; left on, they would count
    towards `max_digits`. Exact at any size (`normalize` would round).
    """
    sign, digits, exponent = value.as_tuple()
    if not isinstance(exponent, int) or exponent >= 0 or digits[-1] != 0:
        return value
    kept = len(digits)
    while kept > 1 and exponent < 0 and digits[kept - 1] == 0:
        kept -= 1
        exponent += 1
    return Decimal((sign, digits[:kept], exponent))


def _day(value: dt.datetime) -> Any:
    """A timestamp at midnight without a time zone as its day; others as they are."""
    if value.year not in _YEARS:
        # A pandas Timestamp beyond Python's dates, which fails as a date: as
        # numpy's date (see `unreadable`).
        timestamp: Any = value
        return timestamp.to_datetime64()
    if value.tzinfo is None and value.time() == _MIDNIGHT:
        return dt.date(value.year, value.month, value.day)
    return value


def _numpy(value: Any) -> Any:
    """A numpy array as a list, a scalar as a Python value (a date for a datetime)."""
    plain = value.tolist()
    if isinstance(plain, list):
        return [cell(item) for item in plain]
    if type(value).__name__ == "datetime64":
        # `.tolist()` of a nanosecond datetime64 is an integer: microseconds first.
        if value != value:  # noqa: PLR0124 - NaT is not itself
            return None
        if _year(value) not in _YEARS:
            return value  # no Python date holds it: see `unreadable`
        return cell(value.astype("datetime64[us]").item())
    if type(plain) is type(value):
        # `.tolist()` of a longdouble or a clongdouble is itself: read it here,
        # not again (which would never end).
        return _long_float(value) if hasattr(value, "as_integer_ratio") else value
    return cell(plain)


_YEARS = range(dt.MINYEAR, dt.MAXYEAR + 1)
_EPOCH_YEAR = 1970


def _year(value: Any) -> int:
    """The year of a numpy `datetime64`, whatever its unit, without overflow."""
    # To years is to a coarser unit (or the same): it never overflows.
    return int(value.astype("datetime64[Y]").astype("int64")) + _EPOCH_YEAR


def _long_float(value: Any) -> float | Decimal | None:
    """A numpy float wider than a Python float, read without losing a digit.

    NaN is missing; a value a `float` holds exactly that `float`; any other
    the `Decimal` of the shortest decimal that reads back as the same value.
    """
    if value != value:  # noqa: PLR0124 - NaN is not itself
        return None
    try:
        ratio: tuple[int, int] = value.as_integer_ratio()
    except OverflowError:  # infinite: a float holds it
        return math.inf if value > 0 else -math.inf
    try:
        plain = ratio[0] / ratio[1]  # correctly rounded
    except OverflowError:  # beyond a float's range
        pass
    else:
        if plain.as_integer_ratio() == ratio:
            return plain
    import numpy as np  # noqa: PLC0415 - loaded already: `value` is one of its scalars

    return Decimal(np.format_float_scientific(value, unique=True, trim="-"))


def unreadable(value: Any) -> str | None:
    """Why a value `cell` gave cannot be read, or `None` when it can.

    A numpy `datetime64` (or a pandas `Timestamp`) outside years 1 to 9999 is
    a date, but no Python date holds it (`cell` gives it as a `datetime64`).

    Examples:
        >>> import numpy as np
        >>> unreadable(cell(np.datetime64("20000-01-01")))
        "'20000-01-01' is a date outside the range Python dates take (years 1 to 9999)"
        >>> unreadable(cell(np.datetime64("2000-01-01"))) is None
        True
    """
    if type(value).__name__ != "datetime64":
        return None
    return (
        f"{str(value)!r} is a date outside the range Python dates take "
        f"(years {dt.MINYEAR} to {dt.MAXYEAR})"
    )
