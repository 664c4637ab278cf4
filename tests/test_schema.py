"""JSON Schema and Table Schema generated from the models, pinned by snapshots.

A change to a snapshot is a change to the data format: review it, then refresh the
snapshots with ``CLUSTERKIT_UPDATE_SNAPSHOTS=1 pytest tests/test_schema.py`` and
record the change in the CHANGELOG.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from clusterkit.models import TABLES
from clusterkit.schema import json_schema, table_schema

SNAPSHOTS = Path(__file__).parent / "snapshots"


def check_snapshot(name: str, schema: dict[str, Any]) -> None:
    """Compare `schema` with its stored snapshot (or store it when asked to)."""
    path = SNAPSHOTS / name
    text = json.dumps(schema, indent=2, ensure_ascii=False, sort_keys=True) + "\n"
    if os.environ.get("CLUSTERKIT_UPDATE_SNAPSHOTS") == "1":
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    assert path.read_text(encoding="utf-8") == text, (
        f"{name} changed; see this module's docstring"
    )


@pytest.mark.parametrize("table", [*TABLES, None])
def test_json_schema_snapshot(table: str | None) -> None:
    """The JSON Schema of every table, and of the dataset document, is pinned."""
    check_snapshot(f"json-schema-{table or 'dataset'}.json", json_schema(table))


@pytest.mark.parametrize("table", list(TABLES))
def test_table_schema_snapshot(table: str) -> None:
    """The Table Schema of every table's CSV file is pinned."""
    check_snapshot(f"table-schema-{table}.json", table_schema(table))


def test_table_schema_shape() -> None:
    """Table Schemas carry types, constraints and keys frictionless understands."""
    schema = table_schema("activities")
    fields = {field["name"]: field for field in schema["fields"]}
    # A period's start or end may be a month or a year: text of those shapes.
    assert fields["start"]["type"] == "string"
    assert fields["start"]["constraints"] == {
        "pattern": "^(?!0000)[0-9]{4}(-(0[1-9]|1[0-2])(-(0[1-9]|[12][0-9]|3[01]))?)?$",
        "required": True,
    }
    assert "a month (YYYY-MM) or a year (YYYY)" in fields["end"]["description"]
    generations = {f["name"]: f for f in table_schema("generations")["fields"]}
    assert generations["start"]["type"] == "date"
    assert fields["b2b_meetings"] == {
        **fields["b2b_meetings"],
        "type": "integer",
        "constraints": {"minimum": 0},
    }
    assert "enum" in fields["type"]["constraints"]
    assert fields["clusters"]["type"] == "string"
    assert "';'-separated list" in fields["clusters"]["description"]
    assert schema["foreignKeys"] == [
        {
            "fields": "partnership",
            "reference": {"resource": "partnerships", "fields": "id"},
        }
    ]
    assert table_schema("targets")["primaryKey"] == ["partnership", "country"]
    smes = {field["name"]: field for field in table_schema("smes")["fields"]}
    assert smes["turnover_eur"]["type"] == "number"
    assert smes["turnover_eur"]["constraints"] == {
        "minimum": 0,
        "maximum": 1.7976931348623157e308,
    }
    generations = {
        field["name"]: field for field in table_schema("generations")["fields"]
    }
    assert "key=value" in generations["max_grant_eur"]["description"]
    assert generations["voluntary_allowed"]["type"] == "boolean"
    assert "foreignKeys" not in table_schema("clusters")


def test_unknown_table() -> None:
    """Asking for a table that does not exist is a programming error."""
    with pytest.raises(ValueError, match="unknown table"):
        json_schema("members")
    with pytest.raises(ValueError, match="unknown table"):
        table_schema("members")
