"""Private building blocks shared by the record models: the base class and field types."""

from __future__ import annotations

import dataclasses
import datetime as dt
import math
import re
import urllib.parse
from collections.abc import Callable
from decimal import Decimal
from typing import Annotated, Any, ClassVar

import attrs
from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    PlainSerializer,
    StringConstraints,
    WithJsonSchema,
    model_validator,
)
from pydantic_core import PydanticCustomError

from clusterkit._annotations import container
from clusterkit._dates import parse_end_date, parse_iso_date, parse_start_date
from clusterkit._limits import current_limits
from clusterkit.countries import COUNTRY_FIELD

__all__ = [
    "EVERY_KEY_CHECKED",
    "Amount",
    "Count",
    "EndDate",
    "Identifier",
    "Invariant",
    "IsoDate",
    "ListItem",
    "MappingKey",
    "PositiveCount",
    "Record",
    "StartDate",
    "Text",
    "VatNumber",
    "Website",
    "WebsiteItem",
    "build_adapters_at_once",
    "compact_vat",
    "country_fields",
    "dict_fields",
    "list_fields",
]

# Control characters other than tab, line feed and carriage return cannot be written
# to CSV cells portably nor to workbook cells at all.
_NO_CONTROL = r"^[^\x00-\x08\x0b\x0c\x0e-\x1f\x7f]*$"
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")

# JSON Schema checks text as given, the models after stripping it: what pydantic strips
# (Unicode White_Space), as the body of a regex character class.
_BLANK = r"\t\n\x0b\x0c\r \x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000"


def _filled(refused: str) -> str:
    """A JSON Schema pattern for text without the characters `refused`, not blank.

    `refused` is the body of a regex character class. Leading blanks (which the
    models strip) are allowed; at least one character must be neither blank nor
    refused, so text that is blank once stripped does not match. The two classes
    before it are disjoint, so matching takes linear time.
    """
    return f"^[{_BLANK}]*[^{refused}{_BLANK}][^{refused}]*$"


@dataclasses.dataclass(frozen=True)
class _JsonSchemaEdit:
    """Edits the JSON Schema that pydantic derives for a type.

    For what a validator checks and pydantic cannot see: a check in a function, or
    a constraint on the stripped value. Last in `Annotated`, it sees the whole schema.
    """

    edit: Callable[[dict[str, Any]], dict[str, Any]]

    def __get_pydantic_json_schema__(
        self, core_schema: Any, handler: Callable[[Any], dict[str, Any]]
    ) -> dict[str, Any]:
        return self.edit(handler(core_schema))


def _json_pattern(pattern: str) -> _JsonSchemaEdit:
    """The type's JSON Schema with `pattern` instead of the one pydantic derives."""
    return _JsonSchemaEdit(lambda schema: {**schema, "pattern": pattern})


@attrs.frozen
class Invariant:
    """A rule between fields of one record, written once for the model and the validator.

    The model refuses a record that breaks it (a pydantic error of type
    `invariant`, whose context names the field to blame); the validator checks
    whole columns with the same `problem` and reports `CK-TYPE-001` at `blame`.

    Added in version 0.2.0.

    Attributes:
        fields: The fields it relates, in the order `problem` takes them.
        blame: The field a problem points at (its value is the one refused).
        problem: Given the fields' values, what is wrong, or `None` if it holds.
    """

    fields: tuple[str, ...]
    blame: str
    problem: Callable[..., str | None]


class Record(BaseModel):
    """Base of every record: frozen, unknown fields refused, strings stripped.

    Added in version 0.1.0.
    """

    invariants: ClassVar[tuple[Invariant, ...]] = ()
    """Rules between fields; a model with any checks them after its fields.

    A subclass that declares its own is checked against those of the model it
    extends too.
    """

    def __init_subclass__(cls, **kwargs: Any) -> None:
        """Check the invariants of a model that declares any, after its fields.

        Run as the class is made, before pydantic collects its validators. Only
        a model with invariants gets the validator, so that the others build a
        record without a call to Python.
        """
        super().__init_subclass__(**kwargs)
        own = cls.__dict__.get("invariants")
        if own:
            inherited = [
                invariant
                for base in cls.__bases__
                if issubclass(base, Record)
                for invariant in base.invariants
            ]
            cls.invariants = tuple(dict.fromkeys((*inherited, *own)))
            checks = model_validator(mode="after")(check_invariants)
            setattr(cls, "_check_invariants", checks)  # noqa: B010 - a name mypy does not know

    @classmethod
    def __pydantic_init_subclass__(cls, **kwargs: Any) -> None:
        """Keep the deferral of the model's build to the model itself."""
        super().__pydantic_init_subclass__(**kwargs)
        build_adapters_at_once(cls)

    @classmethod
    def fill_defaults(cls, columns: dict[str, list[Any]]) -> tuple[str, ...]:
        """Give values not given (`None`) their defaults that depend on other fields.

        For readers that parse whole columns: the same defaults the model gives
        a record of its own. Returns the fields whose columns changed.

        Added in version 0.2.0.
        """
        del columns  # a model without such defaults changes nothing
        return ()

    model_config = ConfigDict(
        frozen=True,
        extra="forbid",
        str_strip_whitespace=True,
        # Spreadsheets hand over ids and codes such as 1001 or strand 2 as numbers.
        coerce_numbers_to_str=True,
        validate_default=False,
        use_attribute_docstrings=True,
        # Build validators on first use, not at import: keeps `import clusterkit` fast.
        # Only the models' own build waits (see `build_adapters_at_once`).
        defer_build=True,
    )


def build_adapters_at_once(model: type[BaseModel]) -> None:
    """Let a `TypeAdapter` wrapped around `model` build when it is made, not on first use.

    `defer_build` is read when the class is made, which is what keeps `import
    clusterkit` fast, and again by every `TypeAdapter` of the model (pydantic
    2.10 and later). Left on, an adapter that an application makes around the
    model, such as FastAPI's for a request body `Annotated[Partnership,
    Field(alias="item")]`, builds on the first request instead: outside the
    `warnings.catch_warnings()` in which FastAPI builds it, so pydantic's
    `UnsupportedFieldAttributeWarning` for that `alias` reaches the
    application at every request. Turned off once the class exists, it leaves
    the class deferred and makes the adapters build when made, as pydantic did
    before 2.10; a subclass inherits it off and is built when defined.
    """
    model.model_config["defer_build"] = False


Identifier = Annotated[
    str,
    StringConstraints(
        strip_whitespace=True,
        min_length=1,
        max_length=64,
        # ';' separates ids in CSV list cells, so an id may not contain one.
        pattern=r"^[^;\x00-\x1f\x7f]+$",
    ),
    _json_pattern(_filled(r";\x00-\x1f\x7f")),
]
"""An id: 1 to 64 characters, no ';' and no control characters, no outer space."""

Text = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, pattern=_NO_CONTROL),
    _json_pattern(_filled(r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f")),
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
    _json_pattern(_filled(r";\x00-\x1f\x7f")),
]
"""One item of a list field: non-empty, single-line, without ';'."""


def _without(separators: str, kind: str, message: str) -> Callable[[str], str]:
    """A validator refusing text that holds one of `separators`, which a CSV cell gives a meaning.

    `message` says why, with `{value}` for the value quoted.
    """

    def check(value: str) -> str:
        if any(separator in value for separator in separators):
            raise PydanticCustomError(kind, message, {"value": repr(value)})
        return value

    return check


MappingKey = Annotated[
    ListItem,
    AfterValidator(
        _without(
            "=;",
            "string_pattern_mismatch",
            "the key {value} holds '=' or ';', with which a CSV cell writes a "
            "mapping (key=value;key=value)",
        )
    ),
    _json_pattern(_filled(r"=;\x00-\x1f\x7f")),
]
"""A key of a mapping field (a strand label): as a list item, and without '='."""

IsoDate = Annotated[dt.date, BeforeValidator(parse_iso_date)]
"""A calendar date, given as a `datetime.date` or an ISO 8601 string."""


def _date_text(value: dt.date) -> str:
    # A PartialDate writes itself as given (`2017`, `2016-02`), a date as YYYY-MM-DD.
    return value.isoformat()


_PERIOD_DATE_SCHEMA = WithJsonSchema(
    {
        "anyOf": [
            {"type": "string", "format": "date"},
            {
                "type": "string",
                "pattern": "^(?!0000)[0-9]{4}(-(0[1-9]|1[0-2]))?$",
                "description": "A month (YYYY-MM) or a year (YYYY).",
            },
        ]
    }
)

# pydantic keeps a `date` subclass that a before-validator returns (its date
# validator accepts any `date` instance), so a PartialDate reaches the record;
# tests/test_models.py holds pydantic to that.
StartDate = Annotated[
    dt.date,
    BeforeValidator(parse_start_date),
    PlainSerializer(_date_text, when_used="json"),
    _PERIOD_DATE_SCHEMA,
]
"""The start of a period: a date, or a month (`2016-02`) or year (`2016`) as its first day.

A month or a year is kept as a `clusterkit.PartialDate`, which is written back
as it was given.

Added in version 0.2.0.
"""

EndDate = Annotated[
    dt.date,
    BeforeValidator(parse_end_date),
    PlainSerializer(_date_text, when_used="json"),
    _PERIOD_DATE_SCHEMA,
]
"""The end of a period: a date, or a month (`2017-06`) or year (`2017`) as its last day.

A month or a year is kept as a `clusterkit.PartialDate`, which is written back
as it was given.

Added in version 0.2.0.
"""

_BITS_PER_DIGIT = 3.33  # log2(10), rounded up: a bound on an integer's digits
_EXPONENT = re.compile(r"[eE]\s*([+-]?)\s*0*(\d*)")


# Integers nearer 0 than this (6 bits at most) have at most one digit as
# `_bounded_number` counts them (bits / 3.33), and every `max_digits` is at least 1.
_ALWAYS_SHORT = 64


def _int_text(value: int) -> str:
    """A whole number's digits, or its size when it has thousands."""
    try:
        return str(value)
    except ValueError:  # more digits than Python turns into text (4,300)
        return f"a number of about {int(value.bit_length() * math.log10(2)):,} digits"


def _bounded_number(value: Any) -> Any:
    """`value` itself, when its digits and exponent are within `Limits.max_digits`.

    Checked before the number is converted, so that `1e999999999` or a number
    of a million digits is refused at once instead of being computed. The limit
    is the one in force (`current_limits`), so that the strict reader, the
    lenient one and the validator, which all check a number here, agree.
    """
    kind = type(value)
    if kind is int and _ALWAYS_SHORT > value > -_ALWAYS_SHORT:
        return value  # most counts: within every limit, so none is read
    if kind is str and len(value) < 2:  # noqa: PLR2004 - one character at most
        return value  # one digit at most, no exponent: within every limit
    if kind is bool:
        # pydantic reads True as 1, but a yes or no is not a number.
        raise _not_a_number(value)
    limit = current_limits().max_digits
    if kind is str and len(value) <= limit and value.isdigit():
        return value  # a count as CSV gives it: digits only, no exponent
    if isinstance(value, str):
        digits = sum(map(str.isdigit, value))
        exponent = _EXPONENT.search(value)
        power = exponent.group(2) if exponent else ""
        digits -= len(power)
        too_big = len(power) > len(str(limit)) or (bool(power) and int(power) > limit)
    elif isinstance(value, Decimal) and value.is_finite():
        digits = len(value.as_tuple().digits)
        too_big = abs(value.adjusted()) > limit
    elif isinstance(value, int):
        digits = int(abs(value).bit_length() / _BITS_PER_DIGIT)
        too_big = False
    elif isinstance(value, float) and math.isfinite(value) and value:
        # A float's exponent, as its Decimal and its text have it: 1e31 is
        # refused here as "1e31" is, or it would be written and not read back.
        digits = 0
        too_big = abs(Decimal(repr(value)).adjusted()) > limit
    else:
        return _unless_numpy_bool(value)
    if digits > limit or too_big:
        shown = (
            value
            if isinstance(value, str)
            else repr(value)
            if isinstance(value, float)
            else _int_text(value)
            if isinstance(value, int)
            else str(value)
            if isinstance(value, Decimal)
            else type(value).__name__
        )
        raise PydanticCustomError(
            "number_too_long",
            "{value} has too many digits: a count or an amount has at most "
            "{limit} digits and an exponent of at most {limit} (max_digits; raise "
            "the limit with --max-digits or clusterkit.Limits(max_digits=...))",
            {
                "value": repr(shown[:40] + "…" if len(shown) > 40 else shown),  # noqa: PLR2004 - a shown prefix
                "limit": limit,
            },
        )
    return value


def _not_a_number(value: bool) -> PydanticCustomError:  # noqa: FBT001 - the yes or no refused
    return PydanticCustomError(
        "number_type",
        "{value} is not a number: a count or an amount is a number, or text "
        "holding one",
        {"value": "true" if value else "false"},  # as JSON writes it
    )


def _unless_numpy_bool(value: Any) -> Any:
    """`value`, unless it is numpy's yes or no (`numpy.bool_`, which is no `bool`).

    Told by its type's name, without importing numpy: `bool_` in numpy 1,
    `bool` in numpy 2.
    """
    kind = type(value)
    if kind.__module__ == "numpy" and kind.__name__ in {"bool", "bool_"}:
        raise _not_a_number(bool(value))
    return value


# The constraints come before the validator, so that they stay the integer's own
# (and JSON Schema's `minimum`); the validator runs first all the same.
Count = Annotated[int, Field(ge=0, strict=False), BeforeValidator(_bounded_number)]
"""A count: an integer of at least 0."""

PositiveCount = Annotated[
    int, Field(ge=1, strict=False), BeforeValidator(_bounded_number)
]
"""A count of at least 1 (a threshold: at least one member)."""


def _amount_to_json(value: Decimal) -> int | str:
    # Whole euros become JSON numbers; fractions stay exact as strings, never floats.
    if value == value.to_integral_value():
        return int(value)
    return str(value)


# An amount as text: digits with an optional fraction and exponent, as the writers
# write one (`9500000.50`, `1.5E-7`); no sign, so at least 0, and never NaN or Infinity.
_AMOUNT_PATTERN = r"^([0-9]+(\.[0-9]*)?|\.[0-9]+)([eE][+-]?[0-9]+)?$"

Amount = Annotated[
    Decimal,
    Field(ge=0, allow_inf_nan=False),
    BeforeValidator(_bounded_number),
    PlainSerializer(_amount_to_json, when_used="json"),
    WithJsonSchema(
        {
            "anyOf": [
                {"type": "number", "minimum": 0},
                {"type": "string", "pattern": _AMOUNT_PATTERN},
            ]
        }
    ),
]
"""An amount in euros: a decimal of at least 0."""


def _every_key_checked(schema: dict[str, Any]) -> dict[str, Any]:
    # pydantic constrains only the keys that match the key pattern
    # (`patternProperties`); every key of a mapping must.
    for mapping in schema.get("anyOf", [schema]):
        if "patternProperties" in mapping:
            ((pattern, value),) = mapping.pop("patternProperties").items()
            mapping["propertyNames"] = {"pattern": pattern}
            mapping["additionalProperties"] = value
    return schema


EVERY_KEY_CHECKED = _JsonSchemaEdit(_every_key_checked)
"""For a mapping field's `Annotated`: its JSON Schema checks every key as the model does."""


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
        # A control character is in no web address, and no workbook holds one.
        or _CONTROL.search(value) is not None
    ):
        raise PydanticCustomError(
            "url_invalid",
            "{value} is not a web address (expected e.g. https://cluster.example.eu)",
            {"value": repr(value)},
        )
    return value


def _web_address(path: str) -> str:
    """A JSON Schema pattern for web addresses that `_check_website` accepts.

    An optional http(s) scheme, a host name with a dot, an optional port, and then
    what `path` allows of printable ASCII (`path` is a character class).
    """
    return (
        r"^([hH][tT][tT][pP][sS]?://)?[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+(:[0-9]+)?"
        rf"([/?#]{path}*)?$"
    )


Website = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1),
    AfterValidator(_check_website),
    _json_pattern(_web_address("[!-~]")),
]
"""A web address: `https://…`, `http://…` or a bare host such as `www.x.eu`."""


WebsiteItem = Annotated[
    Website,
    AfterValidator(
        _without(
            ";",
            "url_invalid",
            "{value} holds ';', which separates the items of a list in a CSV cell; "
            "write it as %3B",
        )
    ),
    _json_pattern(_web_address("[!-:<-~]")),  # printable ASCII but ';'
]
"""A web address in a list (`sources`): as `Website`, and without ';'."""


# What a VAT number is written with besides its letters and digits: spaces (any
# whitespace), dots, hyphens, slashes and commas, as python-stdnum's `compact` drops.
_VAT_SEPARATORS = str.maketrans("", "", "-./,")


def compact_vat(value: str) -> str:
    """A VAT number in its compact form: upper case, without spaces and separators.

    The form python-stdnum's `compact` gives (``DE 136.695.976`` is
    ``DE136695976``), worked out without it, so that reading a record needs no
    checking library. A value that is nothing but separators is kept as given,
    for the validator to report (CK-ID-001).

    Added in version 0.2.0.

    Args:
        value: A VAT number as written.

    Returns:
        The compact number.

    Examples:
        >>> compact_vat(" de 136 695-976 ")
        'DE136695976'
        >>> compact_vat("EL 094.014.201")
        'EL094014201'
    """
    compact = "".join(value.split()).translate(_VAT_SEPARATORS).upper()
    return compact or value.strip()


VatNumber = Annotated[
    str,
    StringConstraints(strip_whitespace=True, min_length=1, pattern=_NO_CONTROL),
    AfterValidator(compact_vat),
    _json_pattern(_filled(r"\x00-\x08\x0b\x0c\x0e-\x1f\x7f")),
]
"""An EU VAT number, stored compact (`compact_vat`): `DE 136 695 976` is `DE136695976`.

Any text is kept; the validator checks the number (CK-ID-001).

Added in version 0.2.0.
"""


def list_fields(model: type[BaseModel]) -> frozenset[str]:
    """Names of the fields of `model` that hold a list of values.

    A tuple (`tuple[X, ...]`, or of a fixed length), a list, a set or a frozenset,
    optional or not.
    """
    return frozenset(
        name
        for name, info in model.model_fields.items()
        if container(info.annotation) == "list"
    )


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
    """Names of the fields of `model` that hold a mapping, optional or not."""
    return frozenset(
        name
        for name, info in model.model_fields.items()
        if container(info.annotation) == "mapping"
    )


def check_invariants(record: Record) -> Record:
    """Refuse a record that breaks one of its model's invariants.

    Raises:
        PydanticCustomError: `invariant`, with the field to blame in its context.
    """
    for invariant in record.invariants:
        message = invariant.problem(
            *(getattr(record, field) for field in invariant.fields)
        )
        if message is not None:
            raise PydanticCustomError(
                "invariant",
                message.replace("{", "{{").replace("}", "}}"),
                {"field": invariant.blame},
            )
    return record
