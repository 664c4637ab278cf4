"""Private: `normalise_country`."""

from __future__ import annotations

import functools
from collections.abc import Sequence

from clusterkit.countries._country import Country
from clusterkit.countries._names import (
    countries_by_alpha2,
    english_index,
    full_index,
    keys,
    refused_and_ambiguous,
    typo_matches,
)
from clusterkit.errors import AmbiguousCountryError, CountryError

__all__ = ["normalise_country"]

_EU_CODES = {"EL": "GR", "UK": "GB", "XKX": "XK"}
_ISO_NUMERIC_DIGITS = 3

# Results by input text, so a column of repeated names costs one dict lookup per
# cell. Failures are kept too (as the exception to raise). Bounded: cleared when
# full, so memory stays flat on endless distinct input.
_CACHE: dict[str, Country | CountryError] = {}
_CACHE_SIZE = 100_000


def normalise_country(value: object, /) -> Country:
    """Return the one country that `value` names.

    Accepts, as the whole value (never a substring):

    - ISO 3166-1 alpha-2, alpha-3 and numeric codes, in any case, numeric with or
      without leading zeros; the EU codes `EL`, `UK`, `XK` and `XKX`;
    - English short, official and common names, the UN, World Bank and EU protocol
      spellings, well-known abbreviations (`USA`, `UAE`, `PRC`) and historic names
      (`Burma`, `Swaziland`, `Macedonia`);
    - names in the 24 official EU languages (`Deutschland`, `Allemagne`, `Γερμανία`);
    - any of these regardless of case, accents, punctuation, a leading "the" or a
      "Name, The" inversion;
    - a name of five or more letters with one letter missing, added, wrong or two
      neighbouring letters swapped, when exactly one country is that close.

    The result is deterministic, and normalising a result's code gives it back.

    Added in version 0.1.0.

    Args:
        value: The text (or `Country`) to normalise.

    Returns:
        The country.

    Raises:
        AmbiguousCountryError: `value` could be several countries ("Korea", a
            dissolved state such as "Yugoslavia"); `.candidates` lists them.
        CountryError: `value` is not one country: unknown text, a region or
            aggregate ("Europe", "EU27"), a placeholder ("N/A", "-", "nan") or empty.

    Examples:
        >>> normalise_country("deu").alpha2
        'DE'
        >>> normalise_country("Korea, Rep.").alpha2
        'KR'
        >>> normalise_country("Niemcy").name
        'Germany'
        >>> normalise_country("Germny").alpha2
        'DE'
        >>> normalise_country("Korea")
        Traceback (most recent call last):
        ...
        clusterkit.errors.AmbiguousCountryError: 'Korea' could be several countries: KP, KR
    """
    if isinstance(value, Country):
        return value
    if not isinstance(value, str):
        raise CountryError(
            f"a country must be given as text, not {type(value).__name__}",
            value=value,
        )
    cached = _CACHE.get(value)
    if cached is None:
        try:
            cached = _lookup(value)
        except CountryError as error:
            cached = error
        if len(_CACHE) >= _CACHE_SIZE:
            _CACHE.clear()
        _CACHE[value] = cached
    if isinstance(cached, CountryError):
        raise cached
    return cached


def _by_code(text: str) -> Country | None:
    countries = countries_by_alpha2()
    code = text.upper()
    if code.isdigit():
        code = code.lstrip("0").zfill(_ISO_NUMERIC_DIGITS)
        return _by_numeric().get(code)
    code = _EU_CODES.get(code, code)
    if len(code) == 2:  # noqa: PLR2004 - alpha-2
        return countries.get(code)
    return _by_alpha3().get(code)


@functools.cache
def _by_numeric() -> dict[str, Country]:
    return {c.numeric: c for c in countries_by_alpha2().values() if c.numeric}


@functools.cache
def _by_alpha3() -> dict[str, Country]:
    return {c.alpha3: c for c in countries_by_alpha2().values()}


def _lookup(value: str) -> Country:
    text = value.strip()
    if not text:
        raise CountryError("an empty value is not a country", value=value)
    if len(text) <= 3 and text.isalnum():  # noqa: PLR2004 - codes have 2 or 3 characters
        country = _by_code(text)
        if country is not None:
            return country
    key, *inverted = keys(text)
    refused, ambiguous = refused_and_ambiguous()
    if key in refused:
        raise CountryError(
            f"{text!r} is not one country (it is a {refused[key]})", value=value
        )
    if key in ambiguous:
        raise _ambiguous(value, text, ambiguous[key])
    # The translations are indexed only when the English names do not know the key.
    for index in (english_index, full_index):
        # "Macedonia, North" is also tried as "North Macedonia".
        for candidate in (key, *inverted):
            match = index().get(candidate)
            if match is not None:
                if len(match.countries) > 1:
                    raise _ambiguous(value, text, sorted(match.countries))
                (alpha2,) = match.countries
                return countries_by_alpha2()[alpha2]
    return _corrected(value, text, key)


def _corrected(value: str, text: str, key: str) -> Country:
    """The one country a letter away from `key`, or the error that says why not."""
    close = typo_matches(key)
    if len(close) == 1:
        (alpha2,) = close
        return countries_by_alpha2()[alpha2]
    if close:
        names = " or ".join(sorted(countries_by_alpha2()[c].name for c in close))
        raise CountryError(
            f"{text!r} is not a known country (did you mean {names}?)", value=value
        )
    raise CountryError(f"{text!r} is not a known country", value=value)


def _ambiguous(
    value: str, text: str, candidates: Sequence[str]
) -> AmbiguousCountryError:
    codes = tuple(candidates)
    return AmbiguousCountryError(
        f"{text!r} could be several countries: {', '.join(codes)}",
        value=value,
        candidates=codes,
    )
