"""Private: third-country judgements of country codes, cached for columns of them.

The geography rules and the KPI engine judge the same (country, day, programme,
rule) combinations again and again; most markets (the United States, China) are
classified the same on every day, so those are judged once per programme and rule.
"""

from __future__ import annotations

import datetime as dt
import functools

from clusterkit.countries._classify import classification_changes, is_third_country

__all__ = ["always_third_country", "third_country_on"]

# Any day serves for a country whose classification never changes.
_ANY_DAY = dt.date(2000, 1, 1)


@functools.lru_cache(maxsize=65_536)
def third_country_on(code: str, day: dt.date, programme: str, rule: str) -> bool:
    """`is_third_country` of an ISO code, remembered.

    Added in version 0.2.0.

    Examples:
        >>> import datetime as dt
        >>> third_country_on("GB", dt.date(2019, 6, 1), "COSME", "non-programme")
        False
    """
    return is_third_country(code, on=day, programme=programme, rule=rule)


@functools.lru_cache(maxsize=4096)
def always_third_country(code: str, programme: str, rule: str) -> bool | None:
    """Whether an ISO code is a third country on every day; `None`: it depends on the day.

    Added in version 0.2.0.

    Examples:
        >>> always_third_country("US", "COSME", "beyond-europe")
        True
        >>> always_third_country("GB", "COSME", "non-programme") is None
        True
    """
    if classification_changes(code):
        return None
    return third_country_on(code, _ANY_DAY, programme, rule)
