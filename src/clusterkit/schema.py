"""Schemas of the dataset tables, generated from the models.

`json_schema` gives JSON Schema (draft 2020-12, as pydantic writes it) for one
table's records or for a whole JSON dataset document; `table_schema` gives a
Frictionless Table Schema for one table's CSV file, so users of other tools can
check the same files.

Examples:
    >>> from clusterkit.schema import json_schema, table_schema
    >>> json_schema("clusters")["required"]
    ['id', 'name', 'country']
    >>> table_schema("activities")["primaryKey"]
    ['id']
"""

from __future__ import annotations

from typing import Any

from clusterkit.models import TABLES, Dataset

__all__ = ["json_schema", "table_schema"]

# Foreign keys of the flat (CSV) tables: (field, referenced table, referenced field).
_FOREIGN_KEYS: dict[str, tuple[tuple[str, str, str], ...]] = {
    "partnerships": (("coordinator", "clusters", "id"),),
    "targets": (("partnership", "partnerships", "id"),),
    "activities": (("partnership", "partnerships", "id"),),
}
_PRIMARY_KEYS = {"targets": ["partnership", "country"]}
# A period's start or end: a date, a month or a year. Table Schema has no type for
# "any of date, yearmonth and year", so it is a string of one of those shapes (there
# is no year 0).
_PERIOD_DATE_PATTERN = (
    "^(?!0000)[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$"
)
_PERIOD_DATE_NOTE = "A date (YYYY-MM-DD), a month (YYYY-MM) or a year (YYYY)."
# The spellings of a boolean that the readers take, in any case (pydantic's); a Table
# Schema lists them, so in the three cases that files use. `true`/`false` come
# first: they are what a writer of the schema writes.
_TRUE_WORDS = ("true", "yes", "on", "y", "t", "1")
_FALSE_WORDS = ("false", "no", "off", "n", "f", "0")


def _spellings(words: tuple[str, ...]) -> list[str]:
    return list(dict.fromkeys(s for w in words for s in (w, w.title(), w.upper())))


# A Table Schema number may be INF or NaN, which no amount is: a finite maximum (the
# largest double, which any tool can hold) refuses them.
_FINITE_MAXIMUM = 1.7976931348623157e308
_JSON_TO_TABLE_TYPES = {
    "string": "string",
    "integer": "integer",
    "number": "number",
    "boolean": "boolean",
}


def _check_table(table: str) -> None:
    if table not in TABLES:
        msg = f"unknown table {table!r}; tables are {', '.join(TABLES)}"
        raise ValueError(msg)


def json_schema(table: str | None = None) -> dict[str, Any]:
    """JSON Schema of one table's records, or of a whole JSON dataset document.

    Added in version 0.1.0.

    Args:
        table: A table name (`clusters`, `activities`, …); `None` for the
            dataset document.

    Raises:
        ValueError: `table` is not a table name.
    """
    if table is None:
        schema = Dataset.model_json_schema()
        schema["title"] = "clusterkit dataset"
        for model in TABLES.values():
            _null_when_not_required(schema["$defs"][model.__name__])
        return schema
    _check_table(table)
    return _null_when_not_required(TABLES[table].model_json_schema())


# Keys that describe a property rather than constrain its value.
_ANNOTATIONS = ("title", "description", "default")


def _null_when_not_required(record: dict[str, Any]) -> dict[str, Any]:
    """Let every field of a record's schema that is not required be `null`.

    `null` is how a JSON file writes "not given", and the readers take it for any
    field (the models themselves take it only where the default is `None`, which
    is all that pydantic's schema allows).
    """
    required = set(record.get("required", ()))
    properties = record["properties"]
    for name, prop in properties.items():
        if name in required or {"type": "null"} in prop.get("anyOf", ()):
            continue
        value = {key: item for key, item in prop.items() if key not in _ANNOTATIONS}
        properties[name] = {
            **{key: item for key, item in prop.items() if key in _ANNOTATIONS},
            "anyOf": [value, {"type": "null"}],
        }
    return record


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    if "$ref" in schema:
        return {
            **defs[schema["$ref"].rsplit("/", 1)[-1]],
            **{k: v for k, v in schema.items() if k != "$ref"},
        }
    return schema


def _table_type(main: dict[str, Any], options: list[dict[str, Any]]) -> tuple[str, str]:
    """The Table Schema type of a JSON Schema property, and a note for lists."""
    json_type = main.get("type", "string")
    if json_type == "array":
        return "string", "A ';'-separated list."
    if json_type == "object":
        return "string", "';'-separated key=value pairs."
    if main.get("format") == "date":
        if len(options) > 1:  # a date, or a month or a year
            return "string", _PERIOD_DATE_NOTE
        return "date", ""
    if {option.get("type") for option in options} == {"number", "string"}:
        return "number", ""  # a decimal amount
    return _JSON_TO_TABLE_TYPES.get(json_type, "string"), ""


def _field(
    name: str, prop: dict[str, Any], defs: dict[str, Any], *, required: bool
) -> dict[str, Any]:
    prop = _resolve(prop, defs)
    options = [_resolve(option, defs) for option in prop.get("anyOf", [prop])]
    options = [option for option in options if option.get("type") != "null"]
    main = options[0]
    kind, note = _table_type(main, options)
    description = " ".join(part for part in (prop.get("description", ""), note) if part)
    # Every field is documented (the models keep attribute docstrings).
    field: dict[str, Any] = {"name": name, "type": kind, "description": description}
    constraints: dict[str, Any] = {
        key: main[key]
        for key in ("enum", "maxLength", "minLength", "pattern")
        if key in main and kind not in {"date", "number"}
    }
    if note == _PERIOD_DATE_NOTE:
        constraints["pattern"] = _PERIOD_DATE_PATTERN
    if "minimum" in main:
        constraints["minimum"] = main["minimum"]
    if kind == "number":
        constraints["maximum"] = _FINITE_MAXIMUM
    if kind == "boolean":
        field["trueValues"] = _spellings(_TRUE_WORDS)
        field["falseValues"] = _spellings(_FALSE_WORDS)
    if required:
        constraints["required"] = True
    if constraints:
        field["constraints"] = constraints
    return field


def table_schema(table: str) -> dict[str, Any]:
    """Frictionless Table Schema of one table's CSV file.

    List fields are typed `string` (they are `;`-separated in CSV); references
    that are single ids become foreign keys.

    Added in version 0.1.0.

    Raises:
        ValueError: `table` is not a table name.
    """
    _check_table(table)
    schema = TABLES[table].model_json_schema()
    defs = schema.get("$defs", {})
    required = set(schema.get("required", []))
    fields = [
        _field(name, prop, defs, required=name in required)
        for name, prop in schema["properties"].items()
    ]
    result: dict[str, Any] = {
        "fields": fields,
        # Table Schema v2: columns are matched by name and may be left out (but
        # the required ones), as the CSV reader takes them; no other column.
        "fieldsMatch": "superset",
        "missingValues": [""],
        "primaryKey": _PRIMARY_KEYS.get(table, ["id"]),
    }
    foreign = _FOREIGN_KEYS.get(table, ())
    if foreign:
        result["foreignKeys"] = [
            {"fields": field, "reference": {"resource": ref_table, "fields": ref_field}}
            for field, ref_table, ref_field in foreign
        ]
    return result
