"""Private: `normalise_country`."""

from __future__ import annotations

from clusterkit.countries._country import Country
from clusterkit.countries._match import match_country

__all__ = ["normalise_country"]


def normalise_country(value: object, /) -> Country:
    """Return the one country that `value` names.

    Accepts, as the whole value (never a substring):

    - ISO 3166-1 alpha-2, alpha-3 and numeric codes, in any case, numeric with or
      without leading zeros; the EU codes `EL`, `UK`, `XK` and `XKX`;
    - English short, official and common names, the UN, World Bank and EU protocol
      spellings, well-known abbreviations (`USA`, `UAE`, `PRC`) and historic names
      (`Burma`, `Swaziland`, `Macedonia`);
    - CLDR's and the UN's names in the 24 official EU languages and 19 others,
      Arabic, Chinese, Japanese, Korean, Russian and Ukrainian among them
      (`Deutschland`, `Allemagne`, `Γερμανία`, `ドイツ`, `德国`), and ISO 3166-3's
      former names (`Zaire`; a divided state such as `Czechoslovakia` is ambiguous);
    - any of these regardless of case, accents and punctuation, and read through
      the normalisation grammar: footnotes and articles dropped (`France (la)`,
      `Kosovo*`), inversions (`Korea, Rep.`), abbreviations (`Dem. Rep.`),
      qualifiers (`Hong Kong SAR`, `Guadeloupe (France)`) and code-name
      composites that agree (`DE - Germany`);
    - a typo of an English name under a narrow rule (one letter missing, added,
      wrong or two swapped, not at the start or end; see
      `match_country`, which tells that the value was a guess).

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
            aggregate ("Europe", "EU27"), a placeholder ("N/A", "-", "nan"), a
            composite whose parts name different countries, or empty.

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
    return match_country(value).country
