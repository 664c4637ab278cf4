"""Countries: normalising country names and codes, and dated classifications.

`normalise_country` turns the dirtiest column of a partnership spreadsheet ("U.S.A.",
"P.R. China", "Korea, Rep.", "EL", "Türkiye", "Deutschland", "Macedonia") into one
`Country`, or says plainly why it cannot; `match_country` also tells how the value
was read (a code, a name, a translation, a former name, or a typo it guessed). `is_eu_member`,
`is_programme_participant` and `is_third_country` answer for a given day from
versioned reference data with a source for every date, and `protocol_order` sorts
countries as EU texts list them; `country_status` gives a value's country and
all of its classifications on a day in one call, reporting rather than raising when
the value is not one country. Every country field of the model is a `CountryCode`.
"""

from clusterkit._public import publish
from clusterkit.countries._classify import (
    PROGRAMMES,
    ThirdCountryRuleName,
    classification_changes,
    is_eu_member,
    is_european,
    is_programme_participant,
    is_third_country,
    protocol_order,
)
from clusterkit.countries._country import CodeForm, Country
from clusterkit.countries._match import CountryMatch, match_country
from clusterkit.countries._names import known_countries
from clusterkit.countries._normalise import normalise_country
from clusterkit.countries._pydantic import COUNTRY_FIELD, CountryCode
from clusterkit.countries._status import CountryStatus, country_status
from clusterkit.countries._third import always_third_country, third_country_on

__all__ = [
    "COUNTRY_FIELD",
    "PROGRAMMES",
    "CodeForm",
    "Country",
    "CountryCode",
    "CountryMatch",
    "CountryStatus",
    "ThirdCountryRuleName",
    "always_third_country",
    "classification_changes",
    "country_status",
    "is_eu_member",
    "is_european",
    "is_programme_participant",
    "is_third_country",
    "known_countries",
    "match_country",
    "normalise_country",
    "protocol_order",
    "third_country_on",
]

publish(globals())
