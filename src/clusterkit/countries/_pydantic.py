"""Private: `CountryCode`, the pydantic type of every country field."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from clusterkit.countries._normalise import normalise_country
from clusterkit.errors import AmbiguousCountryError, CountryError

__all__ = ["COUNTRY_FIELD", "CountryCode"]


# Codes by input text: a country field is validated once per row, so a column of
# repeated values costs one dict lookup each. Bounded like the normaliser's cache.
_CODES: dict[str, str] = {}
_CODES_SIZE = 100_000


def _validate_country_code(value: Any) -> str:
    if type(value) is str:
        code = _CODES.get(value)
        if code is None:
            code = _normalised_code(value)
            if len(_CODES) >= _CODES_SIZE:
                _CODES.clear()
            _CODES[value] = code
        return code
    return _normalised_code(value)


def _normalised_code(value: Any) -> str:
    if isinstance(value, int) and not isinstance(value, bool):
        # A workbook cell holding 276 is the ISO numeric code, typed as a number.
        value = str(value)
    try:
        return normalise_country(value).alpha2
    except AmbiguousCountryError as error:
        raise PydanticCustomError(
            "country_ambiguous",
            "{value} could be several countries: {candidates}",
            {"value": repr(value), "candidates": ", ".join(error.candidates)},
        ) from error
    except CountryError as error:
        raise PydanticCustomError(
            "country_unknown", "{reason}", {"reason": str(error)}
        ) from error


COUNTRY_FIELD = BeforeValidator(_validate_country_code)
"""The validator that marks a field as a country field (writers look for it)."""

CountryCode = Annotated[
    str,
    COUNTRY_FIELD,
    WithJsonSchema(
        {
            "type": "string",
            "minLength": 1,
            "description": (
                "ISO 3166-1 alpha-2 country code (XK for Kosovo). Input also accepts "
                "alpha-3 and numeric codes, the EU codes EL and UK, and country names."
            ),
        }
    ),
]
"""A country field: accepts what `normalise_country` accepts, stores ISO alpha-2.

Errors carry the stable pydantic error types `country_unknown` and
`country_ambiguous`.

Added in version 0.1.0.
"""
