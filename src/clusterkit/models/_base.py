"""Private building blocks shared by the record models: the base class and field types."""

from __future__ import annotations

import datetime as dt
import urllib.parse
from decimal import Decimal
from typing import Annotated, Any

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
)
from pydantic_core import PydanticCustomError

from clusterkit._dates import parse_iso_date
from clusterkit.countries._pydantic import COUNTRY_FIELD

__all__ = [
    "Amount",
    "Count",
    "Identifier",
    "IsoDate",
    "ListItem",
    "Record",
    "Text",
    "Website",
]

# Control characters other than tab, line feed and carriage return cannot be written
# to CSV cells portably nor to workbook cells at all.
_NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"


class Record(BaseModel):
    """Base of every record: frozen, unknown fields refused, strings stripped."""

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        # Spreadsheets hand over ids and codes such as 1001 or strand 2 as numbers.
        coerce_numbers_to_str=True,
        validate_default=False,
        use_attribute_docstrings=True,
        # Build validators on first use, not at import: keeps `import clusterkit` fast.
        defer_build=True,
    )


Identifier = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=1,
        max_length=64,
        # ';' separates ids in CSV list cells, so an id may not contain one.
        pattern=r"^[^;\x00-\x1f\x7f]+$",
    ),
]
"""An id: 1 to 64 characters, no ';' and no control characters, no outer space."""

Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, pattern=_NO_CONTROL),
]
"""Free text: non-empty after stripping (an empty cell means "not given")."""

ListItem = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=1,
        # ';' separates the items of a CSV list cell.
        pattern=r"^[^;\x00-\x1f\x7f]+$",
    ),
]
"""One item of a list field: non-empty, single-line, without ';'."""

IsoDate = Annotated[dt.date, BeforeValidator(parse_iso_date)]
"""A calendar date, given as a `datetime.date` or an ISO 8601 string."""

Count = Annotated[int, Field(ge=0, strict=False)]
"""A count: an integer of at least 0."""


def _amount_to_json(value: Decimal) -> int | str:
    # Whole euros become JSON numbers; fractions stay exact as strings, never floats.
    if value == value.to_integral_value():
        return int(value)
    return str(value)


Amount = Annotated[
    Decimal,
    Field(ge=0, allow_inf_nan=False),
    PlainSerializer(_amount_to_json, when_used="json"),
]
"""An amount in euros: a decimal of at least 0."""


def _check_website(value: str) -> str:
    candidate = value if "://" in value else f"https://{value}"
    try:
        parts = urllib.parse.urlsplit(candidate)
        host = parts.hostname or ""
    except ValueError:
        host, parts = "", None
    if (
        parts is None
        or parts.scheme not in {"http", "https"}
        or "." not in host
        or any(ch.isspace() for ch in value)
    ):
        raise PydanticCustomError(
            "url_invalid",
            "{value} is not a web address (expected e.g. https://cluster.example.eu)",
            {"value": repr(value)},
        )
    return value


Website = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(_check_website),
]
"""A web address: `https://…`, `http://…` or a bare host such as `www.x.eu`."""


def list_fields(model: type[BaseModel]) -> frozenset[str]:
    """Names of the fields of `model` that hold a list (tuple) of values."""
    names = set()
    for name, info in model.model_fields.items():
        origin = getattr(info.annotation, "__origin__", None)
        if origin is tuple:
            names.add(name)
    return frozenset(names)


def country_fields(model: type[BaseModel]) -> frozenset[str]:
    """Names of the fields of `model` that hold a country code (`CountryCode`)."""
    names = set()
    for name, info in model.model_fields.items():
        annotation: Any = info.annotation
        inner = [
            item
            for arg in (getattr(annotation, "__args__", ()) or (annotation,))
            for item in getattr(arg, "__metadata__", ())
        ]
        if COUNTRY_FIELD in info.metadata or COUNTRY_FIELD in inner:
            names.add(name)
    return frozenset(names)


def dict_fields(model: type[BaseModel]) -> frozenset[str]:
    """Names of the fields of `model` that hold a mapping."""
    names = set()
    for name, info in model.model_fields.items():
        annotation: Any = info.annotation
        args = getattr(annotation, "__args__", ()) or (annotation,)
        if any(getattr(arg, "__origin__", None) is dict for arg in args):
            names.add(name)
    return frozenset(names)
