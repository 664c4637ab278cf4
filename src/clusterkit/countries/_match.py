"""Private: `match_country`, the country a value names and how it was read."""

from __future__ import annotations

import functools
from collections.abc import Sequence

import attrs

from clusterkit.countries._country import Country
from clusterkit.countries._grammar import key_readings, splits
from clusterkit.countries._keys import fold
from clusterkit.countries._names import (
    MatchKind,
    NameMatch,
    countries_by_alpha2,
    english_index,
    full_index,
    refused_and_ambiguous,
    sovereign_of,
)
from clusterkit.countries._typo import corrections, suggestions
from clusterkit.errors import AmbiguousCountryError, CountryError

__all__ = ["CountryMatch", "match_country"]

_EU_CODES = {"EL": "GR", "UK": "GB", "XKX": "XK"}
_ISO_NUMERIC_DIGITS = 3
_MOST_CODE_CHARACTERS = 3
# No value longer than this names a country: the longest name in any shipped
# language (80 characters, folded) with a qualifier as long, in brackets or after
# a comma. Refused before any reading, whose patterns take time in the square of
# a value's length on runs of spaces or commas (tests hold it above that sum).
MOST_CHARACTERS = 200
# How much of a value too long a message quotes.
_QUOTED = 40

# Results by input text, so a column of repeated names costs one dict lookup per
# cell. Failures are kept too, as what a fresh error is made of: one error
# raised again would carry one call's notes and context into the next. Bounded:
# cleared when full, and values too long to be a country are not kept, so
# memory stays flat on endless distinct input.
_CACHE: dict[str, CountryMatch | _Refusal] = {}
_CACHE_SIZE = 100_000


@attrs.frozen
class _Refusal:
    """Why a value is not one country: what its `CountryError` is made of."""

    message: str
    suggestions: tuple[str, ...] = ()
    candidates: tuple[str, ...] | None = None

    @classmethod
    def of(cls, error: CountryError) -> _Refusal:
        if isinstance(error, AmbiguousCountryError):
            return cls(str(error), candidates=error.candidates)
        return cls(str(error), error.suggestions)

    def error(self, value: str) -> CountryError:
        if self.candidates is not None:
            return AmbiguousCountryError(
                self.message, value=value, candidates=self.candidates
            )
        return CountryError(self.message, value=value, suggestions=self.suggestions)


@attrs.frozen
class CountryMatch:
    """The country a value names, and how it was read.

    Added in version 0.2.0.

    Attributes:
        value: The value as given.
        country: The country.
        kind: How it was found: `"code"` (an ISO or EU code), `"name"` (an
            English name from ISO 3166, CLDR or the UN), `"alias"` (a curated
            spelling: UN, World Bank, EU protocol, abbreviation, common name),
            `"historic"` (a former name, ISO 3166-3 or curated), `"translation"`
            (a name in another language) or `"typo"` (one letter from an English
            name: a guess, which `clusterkit validate` reports as CK-COUNTRY-004).
        language: The CLDR locale of a translation (`"de"`, `"zh-Hant"`), when
            known; `None` otherwise.

    Examples:
        >>> from clusterkit.countries import match_country
        >>> match = match_country("Frnce")
        >>> match.country.alpha2, match.kind
        ('FR', 'typo')
        >>> match_country("Allemagne").language
        'fr'
    """

    value: str
    country: Country
    kind: MatchKind
    language: str | None = None

    @property
    def is_guess(self) -> bool:
        """Whether the value was corrected as a typo rather than recognised."""
        return self.kind == "typo"


def match_country(value: object, /) -> CountryMatch:
    """Return the one country `value` names, and how it was read.

    `normalise_country(value)` is `match_country(value).country`; see it for
    what is accepted.

    Added in version 0.2.0.

    Raises:
        AmbiguousCountryError: `value` could be several countries.
        CountryError: `value` is not one country; `.suggestions` lists the
            countries one letter away, if any.

    Examples:
        >>> match_country("DEU").kind, match_country("Korea, Rep.").kind
        ('code', 'alias')
    """
    if isinstance(value, Country):
        return _known(value)
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
            cached = _Refusal.of(error)
        if len(value) <= MOST_CHARACTERS:
            if len(_CACHE) >= _CACHE_SIZE:
                _CACHE.clear()
            _CACHE[value] = cached
    if isinstance(cached, _Refusal):
        raise cached.error(value)
    return cached


def _known(country: Country) -> CountryMatch:
    """A `Country` given is one clusterkit knows, with the same codes and name."""
    if countries_by_alpha2().get(country.alpha2) != country:
        raise CountryError(
            f"{country!r} is not a known country: give its code or name, or a "
            f"Country that normalise_country returned",
            value=country,
        )
    return CountryMatch(country.alpha2, country, "code")


def _by_code(text: str) -> Country | None:
    code = text.upper()
    if code.isdigit():
        return _by_numeric().get(code.lstrip("0").zfill(_ISO_NUMERIC_DIGITS))
    code = _EU_CODES.get(code, code)
    if len(code) == 2:  # noqa: PLR2004 - alpha-2
        return countries_by_alpha2().get(code)
    return _by_alpha3().get(code)


@functools.cache
def _by_numeric() -> dict[str, Country]:
    return {c.numeric: c for c in countries_by_alpha2().values() if c.numeric}


@functools.cache
def _by_alpha3() -> dict[str, Country]:
    return {c.alpha3: c for c in countries_by_alpha2().values()}


def _is_code(text: str) -> bool:
    # Codes are ASCII: other letters change as they are upper-cased ("ß" is
    # "SS", "ﬁ" is "FI"). Digits are a numeric code with any number of leading
    # zeros ("0276").
    return text.isascii() and (
        text.isdigit() or (len(text) <= _MOST_CODE_CHARACTERS and text.isalnum())
    )


def _lookup(value: str) -> CountryMatch:
    text = value.strip()
    if not text:
        raise CountryError("an empty value is not a country", value=value)
    if len(text) > MOST_CHARACTERS:
        raise CountryError(
            f"{text[:_QUOTED]!r}... is not a country: it is {len(text):,} characters "
            f"long, and no country name with its qualifier is longer than "
            f"{MOST_CHARACTERS}",
            value=value,
        )
    found = _recognise(value, text)
    if found is not None:
        return found
    for name, qualifier in splits(text):
        found = _composite(value, text, name.strip(), qualifier.strip())
        if found is not None:
            return found
    return _corrected(value, text, fold(text))


def _recognise(value: str, text: str) -> CountryMatch | None:
    """A code, or a key of the text's readings: the first that names something."""
    if _is_code(text):
        country = _by_code(text)
        if country is not None:
            return CountryMatch(value, country, "code")
    refused, ambiguous = refused_and_ambiguous()
    # Most values are a name as it is: its own key is tried before the grammar
    # works out the other readings.
    readings: list[str] = [fold(text)]
    if readings[0] not in english_index():
        readings = list(key_readings(text))
    # The translations are indexed only when no English reading is known.
    for index in (english_index, full_index):
        for position, key in enumerate(readings):
            if key not in refused and key not in ambiguous:
                match = index().get(key)
                if match is not None:
                    return _matched(value, text, match)
            elif index is english_index and _named_in_full(readings[:position]):
                # An exact name in another language outranks a reading of part
                # of it: "Republik Korea" is German for KR, not "Korea".
                break
            elif key in refused:
                kind = refused[key]
                article = "an" if kind[:1] in "aeiou" else "a"
                raise CountryError(
                    f"{text!r} is not one country (it is {article} {kind})",
                    value=value,
                )
            else:
                raise _ambiguous(value, text, ambiguous[key])
    return None


def _named_in_full(keys: Sequence[str]) -> bool:
    return any(key in full_index() for key in keys)


def _matched(value: str, text: str, match: NameMatch) -> CountryMatch:
    if len(match.countries) > 1:
        raise _ambiguous(value, text, sorted(match.countries))
    (alpha2,) = match.countries
    return CountryMatch(
        value, countries_by_alpha2()[alpha2], match.kind, match.language
    )


def _composite(value: str, text: str, name: str, qualifier: str) -> CountryMatch | None:
    """`name` read with a `qualifier` that must be its country or its sovereign state.

    An ambiguous name is settled by a qualifier naming the state one of its
    candidates belongs to ("Virgin Islands (UK)" is VG, "Saint Martin
    (Netherlands)" is SX).
    """
    try:
        other = _recognise(qualifier, qualifier)
        head = _recognise(name, name) if other is not None else None
    except AmbiguousCountryError as error:
        return _settled(value, error.candidates, other) if other else None
    except CountryError:
        return None
    if head is None or other is None:
        return None
    country, beside = head.country, other.country
    if beside == country or sovereign_of(country.alpha2) == beside.alpha2:
        return attrs.evolve(head, value=value)
    raise CountryError(
        f"{text!r} names two countries: {country.name} ({country.alpha2}) "
        f"and {beside.name} ({beside.alpha2})",
        value=value,
    )


def _settled(
    value: str, candidates: Sequence[str], qualifier: CountryMatch
) -> CountryMatch | None:
    """The one candidate that is the qualifier's country or belongs to it."""
    state = qualifier.country.alpha2
    chosen = [code for code in candidates if state in (code, sovereign_of(code))]
    if len(chosen) != 1:
        return None
    # Read by its name, whatever kind of name settled it.
    return CountryMatch(value, countries_by_alpha2()[chosen[0]], "name")


def _corrected(value: str, text: str, key: str) -> CountryMatch:
    """The one country `key` is a typo of, or the error that says why not."""
    close = corrections(text, key)
    if len(close) == 1:
        (alpha2,) = close
        return CountryMatch(value, countries_by_alpha2()[alpha2], "typo")
    close = close or suggestions(key)
    if close:
        names = " or ".join(sorted(countries_by_alpha2()[c].name for c in close))
        raise CountryError(
            f"{text!r} is not a known country (did you mean {names}?)",
            value=value,
            suggestions=tuple(sorted(close)),
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
