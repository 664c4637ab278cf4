"""Countries: the `Country` value, `normalise_country` and the `CountryCode` type.

Every country field of the model is a `CountryCode`: it accepts what
`normalise_country` accepts and stores the ISO 3166-1 alpha-2 code. This release
accepts codes of every kind (ISO alpha-2, alpha-3 and numeric, in any case; the EU
codes `EL`, `UK`, `XK` and `XKX`) and the English short, official and common
names from pycountry, compared without case, accents or punctuation.

The lookup index is built once, on first use, from pycountry's ISO 3166-1 data.
"""

from __future__ import annotations

import functools
import re
import unicodedata
from typing import Annotated, Any

import attrs
import pycountry
from pydantic import BeforeValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from clusterkit.errors import AmbiguousCountryError, CountryError

__all__ = ["Country", "CountryCode", "normalise_country"]

# The EU/Eurostat code differs from ISO 3166-1 alpha-2 for two countries only
# (Eurostat glossary "Country codes"); Kosovo's XK is the same in both conventions.
_EU_CODE_EXCEPTIONS = {"GR": "EL", "GB": "UK"}
_KOSOVO = ("XK", "XKX", None, "Kosovo")


@attrs.frozen
class Country:
    """One country, with its codes.

    Added in version 0.1.0.

    Attributes:
        alpha2: ISO 3166-1 alpha-2 code (`XK` for Kosovo, a user-assigned code).
        alpha3: ISO 3166-1 alpha-3 code (`XKX` for Kosovo).
        numeric: ISO 3166-1 numeric code as three digits, `None` for Kosovo.
        name: English short name.
        eu_code: EU/Eurostat code: `EL` for Greece, `UK` for the United
            Kingdom, otherwise the alpha-2 code.

    Examples:
        >>> greece = normalise_country("EL")
        >>> greece.alpha2, greece.alpha3, greece.numeric, greece.eu_code
        ('GR', 'GRC', '300', 'EL')
    """

    alpha2: str
    alpha3: str
    numeric: str | None
    name: str
    eu_code: str

    def __str__(self) -> str:
        return self.alpha2


def _fold(text: str) -> str:
    """Reduce a name to a comparison key: no case, accents or punctuation."""
    decomposed = unicodedata.normalize("NFKD", text.casefold())
    letters = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    # Apostrophes join ("d'Ivoire" is "divoire"); other punctuation separates words.
    letters = re.sub(r"['\u2019`]", "", letters)
    return " ".join(re.sub(r"[\W_]+", " ", letters).split())


@attrs.frozen
class _Index:
    by_alpha2: dict[str, Country]
    by_code: dict[str, Country]
    by_name: dict[str, Country]


@functools.cache
def _index() -> _Index:
    """Build the lookup tables once; pycountry loads its JSON lazily on first use."""
    countries = [
        Country(
            alpha2=entry.alpha_2,
            alpha3=entry.alpha_3,
            numeric=entry.numeric,
            name=getattr(entry, "common_name", None) or entry.name,
            eu_code=_EU_CODE_EXCEPTIONS.get(entry.alpha_2, entry.alpha_2),
        )
        for entry in pycountry.countries
    ]
    alpha2, alpha3, numeric, name = _KOSOVO
    countries.append(Country(alpha2, alpha3, numeric, name, alpha2))
    by_alpha2 = {country.alpha2: country for country in countries}
    by_code: dict[str, Country] = {}
    for country in countries:
        by_code[country.alpha2] = country
        by_code[country.alpha3] = country
        if country.numeric is not None:
            by_code[country.numeric] = country
    for iso, eu in _EU_CODE_EXCEPTIONS.items():
        by_code[eu] = by_alpha2[iso]
    by_name: dict[str, Country] = {}
    for entry in pycountry.countries:
        country = by_alpha2[entry.alpha_2]
        for attribute in ("name", "official_name", "common_name"):
            value = getattr(entry, attribute, None)
            if value:
                by_name.setdefault(_fold(value), country)
    by_name[_fold("Kosovo")] = by_alpha2["XK"]
    return _Index(by_alpha2=by_alpha2, by_code=by_code, by_name=by_name)


def normalise_country(value: object, /) -> Country:
    """Return the country that `value` names.

    Accepts a `Country`, ISO 3166-1 alpha-2, alpha-3 or numeric codes (any case,
    numeric with or without leading zeros), the EU codes `EL`, `UK`, `XK` and
    `XKX`, and English short, official and common names, ignoring case, accents and
    punctuation. The whole value must match: a substring never does.

    Added in version 0.1.0.

    Args:
        value: The text (or `Country`) to normalise.

    Returns:
        The country.

    Raises:
        CountryError: `value` is not a known country.

    Examples:
        >>> normalise_country("deu").alpha2
        'DE'
        >>> normalise_country("United Kingdom").eu_code
        'UK'
    """
    if isinstance(value, Country):
        return value
    if not isinstance(value, str):
        raise CountryError(
            f"a country must be given as text, not {type(value).__name__}",
            value=value,
        )
    text = value.strip()
    index = _index()
    if not text:
        raise CountryError("an empty value is not a country", value=value)
    if text.isdigit() and len(text) <= 3:  # noqa: PLR2004 - ISO numeric codes have 3 digits
        text = text.zfill(3)
    found = index.by_code.get(text.upper()) or index.by_name.get(_fold(text))
    if found is None:
        raise CountryError(f"{text!r} is not a known country", value=value)
    return found


def _validate_country_code(value: Any) -> str:
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


CountryCode = Annotated[
    str,
    BeforeValidator(_validate_country_code),
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
