"""Private: `country_status`, one value's country and its classifications on a day."""

from __future__ import annotations

import datetime as dt
from typing import Any, Literal

import attrs

from clusterkit.countries._classify import (
    PROGRAMMES,
    is_eu_member,
    is_programme_participant,
    is_third_country,
)
from clusterkit.countries._country import Country
from clusterkit.countries._match import match_country
from clusterkit.countries._names import MatchKind
from clusterkit.errors import AmbiguousCountryError, CountryError

__all__ = ["CountryStatus", "country_status"]


@attrs.frozen
class CountryStatus:
    """What a value names and how that country is classified on a day.

    Either `country` is set, with its classifications, or `error` says why the
    value is not one country; never both. The classifications are `None` when
    there is no country to classify.

    Added in version 0.2.0.

    Attributes:
        value: The value as given.
        on: The day of the classifications.
        programme: The programme of `programme_participant` and of the
            third-country rules.
        country: The country the value names, or `None` when it names none.
        eu_member: Whether the country was an EU member on `on`.
        programme_participant: Whether the country took part in `programme` on `on`.
        third_country_non_programme: Whether it was a third country under the
            `non-programme` rule.
        third_country_beyond_europe: Whether it was a third country under the
            `beyond-europe` rule.
        error: `"ambiguous"` when the value could be several countries,
            `"unknown"` when it is not a country, `None` when it is one.
        message: Why the value is not one country, for a person; `None` without
            an error.
        candidates: The ISO alpha-2 codes of the countries an ambiguous value
            could mean; empty otherwise.
        kind: How the value was read (`CountryMatch.kind`: `"code"`, `"name"`,
            `"alias"`, `"historic"`, `"translation"` or `"typo"`); `None`
            without a country. Added in version 0.2.0.
        language: The CLDR locale of a translation, when one language writes
            the name so; `None` otherwise.
        suggestions: For an unknown value, the ISO alpha-2 codes of the
            countries one letter away ("did you mean"); empty otherwise.

    Examples:
        >>> from datetime import date
        >>> from clusterkit.countries import country_status
        >>> status = country_status("Korea", on=date(2019, 6, 1))
        >>> status.ok, status.error, status.candidates
        (False, 'ambiguous', ('KP', 'KR'))
    """

    value: str
    on: dt.date
    programme: str
    country: Country | None = None
    eu_member: bool | None = None
    programme_participant: bool | None = None
    third_country_non_programme: bool | None = None
    third_country_beyond_europe: bool | None = None
    error: Literal["ambiguous", "unknown"] | None = None
    message: str | None = None
    candidates: tuple[str, ...] = ()
    kind: MatchKind | None = None
    language: str | None = None
    suggestions: tuple[str, ...] = ()

    @property
    def ok(self) -> bool:
        """Whether the value names one country."""
        return self.country is not None

    def to_dict(self) -> dict[str, Any]:
        """The status as JSON-ready data, as `clusterkit country --format json` prints it.

        A value that names a country gives `input`, `country` (its codes and
        name), `read_as` (the match kind and language), `eu_member`,
        `programme_participant`, `third_country` (one flag per rule) and
        `error` (`None`); one that does not gives only `input`, `country`
        (`None`) and `error` (its type, message, candidates and suggestions).
        """
        if self.country is None:
            return {
                "input": self.value,
                "country": None,
                "error": {
                    "type": self.error,
                    "message": self.message,
                    "candidates": list(self.candidates),
                    "suggestions": list(self.suggestions),
                },
            }
        return {
            "input": self.value,
            "country": attrs.asdict(self.country),
            "read_as": {"kind": self.kind, "language": self.language},
            "eu_member": self.eu_member,
            "programme_participant": self.programme_participant,
            "third_country": {
                "non-programme": self.third_country_non_programme,
                "beyond-europe": self.third_country_beyond_europe,
            },
            "error": None,
        }


def country_status(
    value: str, /, *, on: dt.date, programme: str = "COSME"
) -> CountryStatus:
    """Normalise a value and classify its country on a day, without raising for it.

    The one-call answer of `clusterkit country`: a value that is not one country
    is reported in the result, not raised, so a column of values can be shown
    line by line.

    Added in version 0.2.0.

    Args:
        value: Anything `normalise_country` accepts as text.
        on: The day to classify on.
        programme: `"COSME"` or `"SMP"`.

    Returns:
        The country and its classifications, or why the value is not one country.

    Raises:
        ValueError: `programme` is not a known programme.

    Examples:
        >>> from datetime import date
        >>> from clusterkit.countries import country_status
        >>> greece = country_status("EL", on=date(2019, 6, 1))
        >>> greece.country.alpha2, greece.eu_member, greece.third_country_non_programme
        ('GR', True, False)
        >>> country_status("Atlantis", on=date(2019, 6, 1)).error
        'unknown'
    """
    # Checked first, so that a bad programme is never hidden by a bad value.
    if programme not in PROGRAMMES:
        msg = f"unknown programme {programme!r}; known programmes are {', '.join(PROGRAMMES)}"
        raise ValueError(msg)
    try:
        match = match_country(value)
    except AmbiguousCountryError as error:
        return CountryStatus(
            value,
            on,
            programme,
            error="ambiguous",
            message=str(error),
            candidates=error.candidates,
        )
    except CountryError as error:
        return CountryStatus(
            value,
            on,
            programme,
            error="unknown",
            message=str(error),
            suggestions=error.suggestions,
        )
    country = match.country
    return CountryStatus(
        value,
        on,
        programme,
        country=country,
        eu_member=is_eu_member(country, on),
        programme_participant=is_programme_participant(country, programme, on),
        third_country_non_programme=is_third_country(
            country, on, programme, "non-programme"
        ),
        third_country_beyond_europe=is_third_country(
            country, on, programme, "beyond-europe"
        ),
        kind=match.kind,
        language=match.language,
    )
