"""Private: whether a country is a third country for a generation, cached.

Shared by the geography rules and the KPI engine, which judge the same
(country, day, generation) combinations again and again.
"""

from __future__ import annotations

import datetime as dt
import functools

from clusterkit.countries import classification_changes, is_third_country
from clusterkit.models import Generation

__all__ = ["ANY_DAY", "changes", "is_third"]

ANY_DAY = dt.date(2000, 1, 1)
"""A day to judge countries whose classification never `changes` on."""


@functools.lru_cache(maxsize=65_536)
def _third(country: str, day: dt.date, programme: str, rule: str) -> bool:
    return is_third_country(country, on=day, programme=programme, rule=rule)


def is_third(country: str, day: dt.date, generation: Generation) -> bool:
    """Whether `country` is a third country on `day` under `generation`'s rule."""
    return _third(
        country, day, generation.programme, generation.third_country_rule.value
    )


@functools.lru_cache(maxsize=1024)
def changes(country: str | None) -> bool:
    """Whether a country's EU membership or programme participation ever changed."""
    return country is not None and bool(classification_changes(country))
