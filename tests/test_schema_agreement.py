"""The schemas never accept what the models refuse, and say what the readers take.

A JSON Schema `pattern` is checked as `jsonschema` checks it (`re.search` on the
value as given); the models strip text first. Each property draws values from a
schema's own pattern and hands them to the model.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from pydantic import ValidationError

import clusterkit as ck
from clusterkit.models import TABLES, Generation
from clusterkit.models.vocabulary import EnterpriseSize
from clusterkit.schema import json_schema, table_schema

DOCS = Path(__file__).parents[1] / "docs" / "reference" / "data-format.md"

# The least record of each table, to which a case adds one field.
BASE: dict[str, dict[str, Any]] = {
    "generations": {
        "id": "g1",
        "name": "G",
        "family": "F",
        "programme": "COSME",
        "start": "2018-01-01",
        "end": "2019-12-31",
    },
    "clusters": {"id": "DE-001", "name": "X", "country": "DE"},
    "smes": {"id": "S1", "name": "Y", "country": "DE"},
    "partnerships": {"id": "P1", "acronym": "A", "name": "N", "generation": "g1"},
    "targets": {"partnership": "P1", "country": "US"},
    "activities": {
        "id": "A1",
        "partnership": "P1",
        "type": "webinar",
        "start": "2018-05-01",
    },
}
# Blank once stripped: what the models refuse as a required value.
BLANKS = ["", " ", "   ", "\t", " \n ", "\u3000", "\x85", "\xa0\u2003"]


def model_accepts(table: str, **fields: Any) -> bool:
    """Whether the table's model takes its least record with `fields` added."""
    try:
        TABLES[table].model_validate({**BASE[table], **fields})
    except ValidationError:
        return False
    return True


def option(prop: dict[str, Any], kind: str) -> dict[str, Any]:
    """The branch of a property's schema (or the schema itself) of JSON type `kind`."""
    return next(o for o in prop.get("anyOf", [prop]) if o.get("type") == kind)


def prop_of(table: str, field: str) -> dict[str, Any]:
    prop: dict[str, Any] = json_schema(table)["properties"][field]
    return prop


def pattern_of(table: str, field: str, *, item: bool = False) -> str:
    """The JSON Schema pattern of a text field (or of its list items)."""
    prop = prop_of(table, field)
    text = option(prop, "array")["items"] if item else option(prop, "string")
    pattern: str = text["pattern"]
    return pattern


def matches(pattern: str, value: str) -> bool:
    return re.search(pattern, value) is not None  # as jsonschema checks `pattern`


# (table, field, whether the value is a list item, a value the model takes): the
# text fields whose schema has a pattern of clusterkit's own.
TEXT_FIELDS = [
    ("clusters", "id", False, "DE-001"),
    ("clusters", "name", False, "Photonics"),
    ("clusters", "region", False, "DE21"),
    ("clusters", "website", False, "https://a.example.eu"),
    ("clusters", "sources", True, "https://a.example.eu"),
    ("partnerships", "members", True, "DE-001"),
    ("partnerships", "sectors", True, "optics"),
    ("smes", "vat", False, "DE136695976"),
]


def field_value(field: str, value: str, *, item: bool) -> dict[str, Any]:
    return {field: [value] if item else value}


@pytest.mark.parametrize(("table", "field", "item", "good"), TEXT_FIELDS)
@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_text_the_schema_accepts_the_model_takes(
    table: str, field: str, item: bool, good: str, data: st.DataObject
) -> None:
    """Text drawn from a field's JSON Schema pattern is text its model takes."""
    pattern = pattern_of(table, field, item=item)
    assert matches(pattern, good)
    value = data.draw(st.from_regex(pattern), label=field)
    assert model_accepts(table, **field_value(field, value, item=item)), value


@pytest.mark.parametrize(("table", "field", "item", "good"), TEXT_FIELDS)
@pytest.mark.parametrize("blank", BLANKS)
def test_blank_text_is_refused_by_both(
    table: str, field: str, item: bool, good: str, blank: str
) -> None:
    """Text that is blank once stripped fails the pattern, as the model refuses it."""
    del good
    assert not matches(pattern_of(table, field, item=item), blank)
    if table == "clusters" and field in {"id", "name"}:
        assert not model_accepts(
            table, **{field: blank}
        )  # required: a value is missing


@pytest.mark.parametrize(
    ("table", "field", "item", "value"),
    [
        ("clusters", "region", False, "ZZZZZZZZ"),
        ("clusters", "region", False, "D"),
        ("clusters", "region", False, "DE-21"),
        ("clusters", "website", False, "not a url"),
        ("clusters", "website", False, "localhost"),
        ("clusters", "website", False, "ftp://a.example.eu"),
        ("clusters", "website", False, "https://a.example.eu/a b"),
        ("clusters", "sources", True, "nope"),
        ("clusters", "sources", True, "https://a.example.eu/x;y"),
        ("partnerships", "members", True, "DE-001;FR-002"),
        ("partnerships", "members", True, "x" * 65),
    ],
)
def test_text_the_model_refuses_fails_the_schema(
    table: str, field: str, item: bool, value: str
) -> None:
    """NUTS codes, web addresses and ids the model refuses fail their patterns."""
    assert not model_accepts(table, **field_value(field, value, item=item))
    prop = prop_of(table, field)
    text = option(prop, "array")["items"] if item else option(prop, "string")
    assert not matches(text["pattern"], value) or len(value) > text["maxLength"]


def test_nuts_codes_in_any_case() -> None:
    """A NUTS code in lower case is one the model upper-cases, so the schema takes it."""
    assert matches(pattern_of("clusters", "region"), "de21")
    cluster = ck.Cluster.model_validate({**BASE["clusters"], "region": "de21"})
    assert cluster.region == "DE21"


def amount_text() -> dict[str, Any]:
    """The JSON Schema of an amount written as a string."""
    return option(prop_of("partnerships", "grant_eur"), "string")


def within_limits(text: str) -> bool:
    """Within the default limits: 30 digits and an exponent of at most 30."""
    mantissa, _, exponent = text.lower().partition("e")
    digits = sum(map(str.isdigit, mantissa))
    return digits <= 30 and (not exponent or abs(int(exponent)) <= 30)


@settings(max_examples=300, deadline=None)
@given(data=st.data())
def test_amount_text_the_schema_accepts_the_model_takes(data: st.DataObject) -> None:
    """An amount string of the schema's pattern is an amount of at least 0 to the model."""
    pattern = amount_text()["pattern"]
    text = data.draw(st.from_regex(pattern).filter(within_limits))
    assert model_accepts("partnerships", grant_eur=text), text


@pytest.mark.parametrize(
    "text", ["-5", "-0.5", "abc", "NaN", "nan", "Infinity", "inf", "1e", "1,000", ""]
)
def test_amount_text_the_model_refuses_fails_the_schema(text: str) -> None:
    """Negative, non-finite and non-numeric amount strings fail the pattern."""
    assert not model_accepts("partnerships", grant_eur=text)
    assert not matches(amount_text()["pattern"], text)


def test_amounts_as_written_pass_the_schema() -> None:
    """The strings the writers write for a fractional amount fit the pattern."""
    for amount in ["9500000.50", "0.001", "0.0000001", "12345678901234567890.5"]:
        p = TABLES["partnerships"].model_validate(
            {**BASE["partnerships"], "grant_eur": amount}
        )
        written = json.loads(p.model_dump_json())["grant_eur"]
        assert isinstance(written, str)
        assert matches(amount_text()["pattern"], written), written


def test_every_key_of_the_grant_caps_is_checked() -> None:
    """`max_grant_eur` checks every key and every value, as the model does."""
    mapping = option(prop_of("generations", "max_grant_eur"), "object")
    assert "patternProperties" not in mapping
    assert mapping["additionalProperties"]["anyOf"] == [
        option(prop_of("partnerships", "grant_eur"), "number"),
        amount_text(),
    ]
    keys = mapping["propertyNames"]["pattern"]
    for key in ["a;b", "a=b", "=", ";", *BLANKS]:
        assert not matches(keys, key), key
        assert not model_accepts("generations", max_grant_eur={key: 100}), key
    for key in ["1.a", "2", " 1.b ", "Strand 2"]:
        assert matches(keys, key)
        assert model_accepts("generations", max_grant_eur={key: 100})


@settings(max_examples=150, deadline=None)
@given(data=st.data())
def test_grant_cap_keys_the_schema_accepts_the_model_takes(
    data: st.DataObject,
) -> None:
    """A key drawn from the schema's key pattern is a strand label to the model."""
    mapping = option(prop_of("generations", "max_grant_eur"), "object")
    key = data.draw(st.from_regex(mapping["propertyNames"]["pattern"]))
    assert model_accepts("generations", max_grant_eur={key: 1}), key


def test_an_sme_size_class_is_never_large() -> None:
    """Both schemas allow exactly the size classes the SME model takes."""
    json_enum = option(prop_of("smes", "size_class"), "string")["enum"]
    fields = {field["name"]: field for field in table_schema("smes")["fields"]}
    assert fields["size_class"]["constraints"]["enum"] == json_enum
    assert json_enum == ["micro", "small", "medium"]
    for size in EnterpriseSize:
        assert model_accepts("smes", size_class=size.value) == (size.value in json_enum)


@pytest.mark.parametrize("table", list(TABLES))
def test_null_is_not_given_for_every_field_that_is_not_required(table: str) -> None:
    """Every field that is not required allows `null`, and a JSON file may hold it."""
    schema = json_schema(table)
    document = json_schema()["$defs"][TABLES[table].__name__]
    optional = [name for name in schema["properties"] if name not in schema["required"]]
    assert optional
    for name in optional:
        for record_schema in (schema, document):
            options = record_schema["properties"][name]["anyOf"]
            assert {"type": "null"} in options, name
    record = {**BASE[table], **dict.fromkeys(optional)}
    dataset = ck.load_dataset(json.dumps({table: [record]}).encode(), format="json")
    assert len(getattr(dataset, table)) == 1
    for name in schema["required"]:
        assert {"type": "null"} not in schema["properties"][name].get("anyOf", [])


def test_a_period_has_no_year_zero() -> None:
    """`0000` is no year to the model, nor to either schema."""
    assert not model_accepts("partnerships", start="0000")
    texts = [
        o["pattern"]
        for o in prop_of("partnerships", "start")["anyOf"]
        if "pattern" in o
    ]
    fields = {f["name"]: f for f in table_schema("partnerships")["fields"]}
    for pattern in [*texts, fields["start"]["constraints"]["pattern"]]:
        assert not matches(pattern, "0000")
        assert matches(pattern, "2017")


# Table Schema --------------------------------------------------------------------


def test_table_schema_columns_by_name_optional_ones_left_out(tmp_path: Path) -> None:
    """Columns match by name and optional ones may be missing, as the reader takes them."""
    for table in TABLES:
        assert table_schema(table)["fieldsMatch"] == "superset"
    (tmp_path / "clusters.csv").write_text("name,id,country\nX,DE-001,DE\n", "utf-8")
    assert ck.load_dataset(tmp_path).clusters[0].id == "DE-001"


def test_table_schema_booleans_are_the_readers(tmp_path: Path) -> None:
    """Every listed spelling of a boolean is read by the CSV reader as that boolean."""
    fields = {f["name"]: f for f in table_schema("generations")["fields"]}
    truth = fields["voluntary_allowed"]
    assert truth["trueValues"][0] == "true"
    assert truth["falseValues"][0] == "false"
    assert {"yes", "Yes", "YES", "on", "y", "T", "1"} <= set(truth["trueValues"])
    assert {"no", "No", "NO", "off", "n", "F", "0"} <= set(truth["falseValues"])
    spellings = [(s, True) for s in truth["trueValues"]] + [
        (s, False) for s in truth["falseValues"]
    ]
    rows = "".join(
        f"g{n},G,F,COSME,2018-01-01,2019-12-31,{spelling}\n"
        for n, (spelling, _) in enumerate(spellings)
    )
    (tmp_path / "generations.csv").write_text(
        "id,name,family,programme,start,end,voluntary_allowed\n" + rows, "utf-8"
    )
    read = {g.id: g.voluntary_allowed for g in ck.load_dataset(tmp_path).generations}
    assert read == {f"g{n}": value for n, (_, value) in enumerate(spellings)}
    partnerships = {f["name"]: f for f in table_schema("partnerships")["fields"]}
    assert partnerships["members_partial"]["trueValues"] == truth["trueValues"]


def test_table_schema_amounts_are_finite() -> None:
    """An amount is a number of at least 0 with a finite maximum, which refuses INF."""
    for table, name in [("partnerships", "grant_eur"), ("smes", "turnover_eur")]:
        fields = {f["name"]: f for f in table_schema(table)["fields"]}
        constraints = fields[name]["constraints"]
        assert constraints["minimum"] == 0
        assert float("inf") > constraints["maximum"] > 10**300
    counts = {f["name"]: f for f in table_schema("activities")["fields"]}
    assert "maximum" not in counts["b2b_meetings"]["constraints"]


# The column tables of the data-format page ---------------------------------------

_ROW = re.compile(
    r"^\| (\d+) \| `(\w+)` \| (.*?) \| (yes|no) \| (.*?) \| (.*) \|$", re.MULTILINE
)


NO_DEFAULT = "\N{EN DASH}"  # how the tables write "no default"


def _default_text(table: str, name: str) -> str:
    info = TABLES[table].model_fields[name]
    if info.is_required():
        return NO_DEFAULT
    default = info.default
    if default is None:
        return (
            "by type"
            if table == "activities" and "by type" in (info.description or "")
            else NO_DEFAULT
        )
    if default == ():
        return "empty"
    shown = getattr(default, "value", default)
    return f"`{json.dumps(shown)}`" if isinstance(shown, bool) else f"`{shown}`"


@pytest.mark.parametrize("table", list(TABLES))
def test_data_format_tables_are_the_models_fields(table: str) -> None:
    """Each column table of data-format.md lists its model's fields: order, required, default, meaning."""
    page = DOCS.read_text("utf-8")
    section = re.search(rf"^### {table}\n(.*?)(?=^##)", page, re.DOTALL | re.MULTILINE)
    assert section is not None
    rows = _ROW.findall(section.group(1))
    model = TABLES[table]
    assert [name for _, name, *_ in rows] == list(model.model_fields)
    assert [int(number) for number, *_ in rows] == list(range(1, len(rows) + 1))
    for _, name, _, required, default, meaning in rows:
        info = model.model_fields[name]
        assert (required == "yes") == info.is_required(), name
        assert default == _default_text(table, name), name
        description = " ".join((info.description or "").split())
        assert description.startswith(meaning.rstrip(".")), (name, meaning)


def test_generation_third_country_rule_meaning() -> None:
    """The docstring that becomes the schema's description reads as the docs do."""
    assert Generation.model_fields["third_country_rule"].description == (
        "Which countries count as third countries (rule `CK-GEO-001`)."
    )


@pytest.mark.parametrize("table", list(TABLES))
def test_the_example_has_every_column_of_its_table_schema(table: str) -> None:
    """The bundled example has the columns the writer writes, so other tools can check it."""
    path = ck.io.example_path() / f"{table}.csv"
    header = path.read_text("utf-8-sig").splitlines()[0].split(",")
    assert header == [field["name"] for field in table_schema(table)["fields"]]


def test_the_schema_edits_leave_the_fields_shapes_as_they_were() -> None:
    """The JSON Schema patterns made ids and texts unknown to the validator.

    Their cells were then checked one distinct value at a time, not in bulk,
    and an id too long was reported without its value.
    """
    from clusterkit.io._fields import field_shape  # noqa: PLC0415 - the reader's view under test

    for table, model in ck.models.TABLES.items():
        if "id" in model.model_fields:
            assert field_shape(table, "id").is_id, table
    assert field_shape("activities", "partnership").is_id
    assert field_shape("targets", "partnership").is_id
    for table, field in (
        ("activities", "title"),
        ("activities", "notes"),
        ("smes", "name"),
    ):
        assert field_shape(table, field).is_text, (table, field)
