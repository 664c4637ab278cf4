"""Private: raw rows as read from a file, and turning them into records.

A `RawRow` holds the cells of one row keyed by field name, before any parsing, with
its location, so readers, the loader and the validator share one representation.
"""

from __future__ import annotations

import functools
import json
from collections.abc import Iterable, Mapping, Sequence
from types import MappingProxyType
from typing import Any, TypeVar

import attrs
from pydantic import ValidationError
from pydantic.fields import FieldInfo

from clusterkit._annotations import flat_problem
from clusterkit.countries import CodeForm
from clusterkit.errors import DatasetError, DatasetReadError
from clusterkit.io._number_spellings import date_number_hint, number_hint
from clusterkit.io._pairs import (
    LIST_SEPARATOR,
    PAIR_SEPARATOR,
    repeated_key_message,
    repeated_keys,
)
from clusterkit.io._problems import DUPLICATE_FIELD, Reporter
from clusterkit.models import TABLES, Record, country_fields, dict_fields, list_fields
from clusterkit.report import Entity
from clusterkit.values import Location

__all__ = [
    "RawRow",
    "cell_to_input",
    "column_fields",
    "column_letter",
    "error_field",
    "field_columns",
    "fields_of_its_own",
    "flat_cell",
    "given_values",
    "is_flat_field",
    "json_kind",
    "json_record",
    "not_given",
    "record_from_row",
    "render",
    "report_repeated_keys",
    "required_fields",
    "split_cells",
    "table_columns",
    "table_models",
    "table_of_model",
]

R = TypeVar("R", bound=Record)


@attrs.frozen
class RawRow:
    """One row of a table as read from its file: cells by field name, and where it is.

    Attributes:
        table: The table name (a key of `TABLES`).
        values: The given cells by field name; cells that were empty are absent.
        location: Where the row starts (file, physical line, sheet, pointer).
        columns: 1-based column of each field, for CSV and workbook rows.
    """

    table: str
    values: Mapping[str, Any]
    location: Location
    columns: Mapping[str, int] = attrs.field(factory=dict)

    def location_of(self, field: str) -> Location:
        """The location of one field of this row."""
        return field_location(self.location, self.columns, field)


def field_location(
    location: Location, columns: Mapping[str, int], field: str
) -> Location:
    """The location of one field of the row at `location`, whose columns are `columns`."""
    column = columns.get(field)
    if location.pointer is not None:
        location = attrs.evolve(location, pointer=f"{location.pointer}/{field}")
    if location.sheet is not None and column is not None and location.line:
        location = attrs.evolve(
            location, cell=f"{column_letter(column)}{location.line}"
        )
    return location.with_field(field, column)


def column_letter(column: int) -> str:
    """The spreadsheet letters of a 1-based column number (1 → A, 27 → AA)."""
    letters = ""
    while column > 0:
        column, remainder = divmod(column - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


@functools.cache
def _shape(model: type[Record]) -> tuple[frozenset[str], frozenset[str]]:
    """The columns of the list fields and of the mapping fields of `model`."""
    columns = field_columns(model)
    lists, dicts = list_fields(model), dict_fields(model)
    return frozenset(columns[name] for name in lists), frozenset(
        columns[name] for name in dicts
    )


@functools.cache
def field_columns(model: type[Record]) -> Mapping[str, str]:
    """The column (or JSON key) of each field of `model`: its alias, or its name.

    The name a record is read by, and written by; the shared models have no aliases.
    """
    return MappingProxyType(
        {name: info.alias or name for name, info in model.model_fields.items()}
    )


def column_fields(
    columns: Sequence[str], models: Iterable[type[Record]]
) -> dict[type[Record], list[str]]:
    """The field of each model that each column holds, `""` where it has none.

    A column is named by its field's alias, so a writer finds each cell's value
    by these names (`record.__dict__.get(name)`), worked out once per table
    rather than per cell.
    """
    fields_of: dict[type[Record], list[str]] = {}
    for model in models:
        names = {column: name for name, column in field_columns(model).items()}
        fields_of[model] = [names.get(column, "") for column in columns]
    return fields_of


@functools.cache
def required_fields(table: str, model: type[Record] | None = None) -> tuple[str, ...]:
    """The fields (columns) a table requires, or its rows as `model` describes them."""
    model = model or TABLES[table]
    columns = field_columns(model)
    return tuple(
        columns[name] for name, info in model.model_fields.items() if info.is_required()
    )


def table_of_model(model: type[Record]) -> str:
    """The table whose rows `model` (one of `TABLES` or a subclass of one) describes.

    Raises:
        TypeError: `model` is not a record model of a dataset table.
    """
    given: object = model  # callers may pass anything
    for table, table_model in TABLES.items():
        if isinstance(given, type) and issubclass(given, table_model):
            return table
    msg = f"{model!r} is not a record model of a dataset table"
    raise TypeError(msg)


@functools.cache
def fields_of_its_own(model: type[Record]) -> tuple[str, ...]:
    """The fields `model` adds to its table's model, or declares again otherwise.

    Declared again with another type, other constraints or another default;
    none for the table's model itself, whose fields are written and read back
    faithfully by design: these are the fields a reader or writer must judge.
    """
    inherited = TABLES[table_of_model(model)].model_fields
    return tuple(
        name
        for name, info in model.model_fields.items()
        if name not in inherited or _declared(info) != _declared(inherited[name])
    )


def _declared(info: FieldInfo) -> tuple[Any, ...]:
    """What a field's declaration says of the values it takes."""
    return (info.annotation, info.metadata, info.default, info.default_factory)


def not_given(value: Any) -> bool:
    """Whether a value means "not given": null, or blank text (an empty cell)."""
    return value is None or (isinstance(value, str) and not value.strip())


def table_models(
    models: Mapping[str, type[Record]] | None,
) -> Mapping[str, type[Record]]:
    """The model of each table: `TABLES`, with the subclasses `models` gives instead.

    Raises:
        ValueError: A key of `models` is not a table.
        TypeError: `models` is not a mapping, or a model is not a subclass of
            its table's model.
    """
    given: object = models  # callers may pass anything
    if given is not None and not isinstance(given, Mapping):
        msg = (
            "models must be a mapping of table names to record models "
            f"({{'smes': MySME}}), not {type(given).__name__}"
        )
        raise TypeError(msg)
    if not models:
        return TABLES
    for table, given in models.items():
        model: object = given  # callers may pass anything
        if table not in TABLES:
            msg = f"unknown table {table!r} in models; tables are {', '.join(TABLES)}"
            raise ValueError(msg)
        if not (isinstance(model, type) and issubclass(model, TABLES[table])):
            msg = (
                f"models[{table!r}] must be {TABLES[table].__name__} or a subclass "
                f"of it, not {model!r}"
            )
            raise TypeError(msg)
        _refuse_two_names(table, model)
    return MappingProxyType({**TABLES, **models})


def _refuse_two_names(table: str, model: type[Record]) -> None:
    """Refuse a model with a field read by one name and written by another.

    A column (a JSON key) has one name, which a record is both read and written
    by, so that a round trip through any layout gives the same records; in
    lower case, as a header cell is read.

    Raises:
        TypeError: Naming the field.
    """
    columns = field_columns(model)
    for name, info in model.model_fields.items():
        aliases = [
            alias
            for alias in (info.validation_alias, info.serialization_alias)
            if alias is not None
        ]
        if any(alias != columns[name] for alias in aliases):
            msg = (
                f"models[{table!r}]: the field {name!r} of {model.__name__} is read "
                f"and written by different names ({', '.join(sorted(map(repr, aliases)))}); "
                "a column has one name: give the field one alias (Field(alias=...))"
            )
            raise TypeError(msg)
        if columns[name] != columns[name].lower():
            msg = (
                f"models[{table!r}]: the column {columns[name]!r} of {model.__name__} "
                "is not in lower case; a header cell is read as its lower-case "
                "name, so the column would not read back: name the field (or its "
                "alias) in lower case"
            )
            raise TypeError(msg)


def table_columns(table: str, records: Sequence[Record]) -> list[str]:
    """The columns of a flat file (CSV, a sheet) of a table's records.

    The table's fields, in model order, then the fields that subclasses of its
    model add, in the order of the records that first have them; each named by
    its alias if it has one.

    Raises:
        DatasetError: A field that a subclass adds holds what a cell cannot (a
            list of lists, a record), named by table, model and field.
    """
    columns = dict.fromkeys(TABLES[table].model_fields)
    for kind in dict.fromkeys(type(record) for record in records):
        _refuse_unflat(table, kind)
        columns.update(dict.fromkeys(field_columns(kind).values()))
    return list(columns)


@functools.cache
def _refuse_unflat(table: str, model: type[Record]) -> None:
    for name, info in model.model_fields.items():
        problem = flat_problem(info.annotation)
        if problem is not None:
            msg = (
                f"{table}: the field {name!r} of {model.__name__} holds {problem}, "
                "which a CSV cell or a workbook cell cannot hold (nothing was "
                "written; write the dataset as JSON Lines or JSON)"
            )
            raise DatasetError(msg)


_EU_FORM = {"GR": "EL", "GB": "UK"}


@functools.cache
def _countries(model: type[Record]) -> frozenset[str]:
    columns = field_columns(model)
    return frozenset(columns[name] for name in country_fields(model))


def render(
    record: Record, *, country_codes: CodeForm = "iso", exclude_none: bool = False
) -> dict[str, Any]:
    """A record as JSON-ready values, with country codes in ISO or EU form."""
    data = record.model_dump(mode="json", exclude_none=exclude_none, by_alias=True)
    if country_codes == "eu":
        for name in _countries(type(record)):
            value = data.get(name)
            if isinstance(value, list):  # a list of countries, as a subclass has
                data[name] = [_EU_FORM.get(item, item) for item in value]
            elif isinstance(value, str):
                data[name] = _EU_FORM.get(value, value)
    return data


def is_flat_field(table: str, field: str, model: type[Record] | None = None) -> bool:
    """Whether a field holds a list or mapping, written flat as ``;``-separated text."""
    lists, dicts = _shape(model or TABLES[table])
    return field in lists or field in dicts


def cell_to_input(
    table: str, field: str, text: str, model: type[Record] | None = None
) -> Any:
    """Turn the text of one flat (CSV or workbook) cell into model input.

    List fields are split on `;`; mapping fields hold `key=value` pairs
    separated by `;`. Empty items carry nothing and are dropped. The fields are
    the table's model's, or those of `model` (a subclass of it) when given.

    Added in version 0.2.0.
    """
    lists, dicts = _shape(model or TABLES[table])
    if field in lists:
        # Each item stripped, the empty ones dropped, at C speed.
        return list(filter(None, map(str.strip, text.split(LIST_SEPARATOR))))
    if field in dicts:
        pairs: dict[str, str] = {}
        for item in text.split(LIST_SEPARATOR):
            if not item.strip():
                continue
            key, separator, value = item.partition(PAIR_SEPARATOR)
            # A pair without '=' keeps its text as the key, so the model rejects
            # the empty amount with a message instead of the item vanishing.
            pairs[key.strip()] = value.strip() if separator else ""
        return pairs
    return text


def report_repeated_keys(  # noqa: PLR0917 - a row's place and its cells
    table: str,
    values: Mapping[str, Any],
    location: Location,
    columns: Mapping[str, int],
    report: Reporter,
    model: type[Record] | None = None,
) -> None:
    """Report each key a flat mapping cell gives twice (`CK-HDR-004`); the last is read.

    `values` are the row's cells as text, at `location` in `columns`.
    """
    _, dicts = _shape(model or TABLES[table])
    if not dicts:
        return  # most tables have no mapping field
    for field in dicts.intersection(values):
        text = values[field]
        if isinstance(text, str):
            for key in repeated_keys(text):
                report(
                    DUPLICATE_FIELD,
                    field_location(location, columns, field),
                    repeated_key_message(field, key),
                    entity=Entity(table),
                    value=key,
                )


def split_cells(
    table: str, values: dict[str, str], model: type[Record] | None = None
) -> dict[str, Any]:
    """The cells of a flat row (CSV, workbook) as model input: lists split on `;`."""
    for name in _flat_fields(model or TABLES[table]).intersection(values):
        values[name] = cell_to_input(table, name, values[name], model)
    return values


@functools.cache
def _flat_fields(model: type[Record]) -> frozenset[str]:
    """The fields written flat as `;`-separated text: lists and mappings."""
    lists, dicts = _shape(model)
    return lists | dicts


def flat_cell(value: Any) -> str:
    """Render one JSON-mode field value as the text of a CSV or workbook cell."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (list, tuple)):
        return ";".join(str(item) for item in value)
    if isinstance(value, dict):
        return ";".join(f"{key}={item}" for key, item in value.items())
    return str(value)


def given_values(obj: Mapping[str, Any]) -> dict[str, Any]:
    """The fields of a JSON object that are given: null and blank text mean "not given".

    This matches CSV, where an empty cell means "not given". (`not_given`'s
    rule, written out: this runs for every key of every record.)
    """
    return {
        key: value
        for key, value in obj.items()
        if value is not None and not (isinstance(value, str) and not value.strip())
    }


def record_from_row(row: RawRow, model: type[R]) -> R:
    """Validate one raw row as a record.

    Raises:
        DatasetReadError: The row is not a valid record; the message and location
            name the first offending field, and the message lists every problem.
    """
    try:
        return model.model_validate(row.values)
    except ValidationError as error:
        raise _read_error(row, error, model) from None


def error_field(entry: Mapping[str, Any], model: type[Record]) -> str | None:
    """The column a pydantic error of a `model` record is about (`None`: the record).

    An invariant between fields names the field it blames, found in the file
    by its column (its alias, if it has one); other errors are about the
    column of their location.
    """
    if entry["type"] == "invariant":
        field = str(entry["ctx"]["field"])
        return field_columns(model).get(field, field)
    return str(entry["loc"][0]) if entry["loc"] else None


def _read_error(
    row: RawRow, error: ValidationError, model: type[Record]
) -> DatasetReadError:
    entries = error.errors(include_url=False)
    fields = [error_field(entry, model) for entry in entries]
    problems = [
        f"{field or 'row'}: {_describe(entry)}"
        for field, entry in zip(fields, entries, strict=True)
    ]
    # The location is the first problem's; the message lists them all.
    location = row.location if fields[0] is None else row.location_of(fields[0])
    message = f"{location}: invalid {row.table} row: " + "; ".join(problems)
    return DatasetReadError(message, source=row.location.file, location=location)


def _describe(entry: Mapping[str, Any]) -> str:
    kind = entry["type"]
    if kind == "missing":
        return "a value is required"
    if kind == "extra_forbidden":
        return "unknown field"
    text = str(entry["msg"])
    value = entry.get("input")
    if kind in {"greater_than_equal", "enum", "int_parsing", "decimal_parsing"} and (
        isinstance(value, (str, int, float))
    ):
        text = f"{text} (got {value!r})"
    # A number or a date as a spreadsheet wrote it: what to write, as `validate` says.
    if kind in {"int_parsing", "decimal_parsing"}:
        hint = number_hint(value, whole=kind == "int_parsing")
    else:
        hint = date_number_hint(value) if kind == "date_format" else None
    return text if hint is None else f"{text} (hint: {hint})"


def json_kind(value: object) -> str:
    """The JSON name of a decoded value's type, for messages."""
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, bool):
        return "a boolean"
    if value is None:
        return "null"
    return "a number"


def json_record(record: Record, country_codes: CodeForm) -> str:
    """One record as compact JSON, nulls left out."""
    if country_codes == "iso":
        return record.model_dump_json(exclude_none=True, by_alias=True)
    data = render(record, country_codes=country_codes, exclude_none=True)
    return json.dumps(data, ensure_ascii=False, separators=(",", ":"))
