"""Private: the generations that would fit a partnership, for hints on a wrong one.

A partnership filed under a real but wrong generation (`escp-4i-2` for one of
the first call) shows only side effects: its dates are outside the period
(CK-DATE-003), or a voluntary partnership is in a generation that had none
(CK-PART-005). These hints name the generations, among those the run knows
(the dataset's and the reference data's), that the partnership would fit.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable

from clusterkit.models import Generation

__all__ = ["dates_fit", "voluntary_in"]


def _named(generations: Iterable[Generation]) -> str:
    """`escp-4i-1 (2015-12-01 to 2018-01-31)`, several joined with `and`."""
    named = [f"{g.id} ({g.start} to {g.end})" for g in generations]
    return ", ".join(named[:-1]) + f" and {named[-1]}" if len(named) > 1 else named[0]


def dates_fit(
    generations: Iterable[Generation],
    start: dt.date | None,
    end: dt.date | None,
    but: str,
) -> str | None:
    """`its dates fit escp-4i-1 (…): is its generation wrong?`, or `None`.

    The generations other than `but` whose period holds the given dates.

    Examples:
        >>> from clusterkit.models import reference_generations
        >>> dates_fit(reference_generations(), dt.date(2016, 1, 1), dt.date(2017, 6, 30), "escp-4i-2")
        'its dates fit escp-4i-1 (2015-12-01 to 2018-01-31): is its generation wrong?'
    """
    days = [day for day in (start, end) if day is not None]
    fitting = [
        generation
        for generation in generations
        if generation.id != but
        and all(generation.start <= day <= generation.end for day in days)
    ]
    if not days or not fitting:
        return None
    return f"its dates fit {_named(fitting)}: is its generation wrong?"


def voluntary_in(generations: Iterable[Generation]) -> str | None:
    """`only escp-4i-1 (…) had voluntary partnerships: is its generation wrong? …`.

    Examples:
        >>> from clusterkit.models import reference_generations
        >>> print(voluntary_in(reference_generations()))
        only escp-4i-1 (2015-12-01 to 2018-01-31) had voluntary partnerships: is its generation wrong? If not, its funding is co_funded
    """
    allowed = [generation for generation in generations if generation.voluntary_allowed]
    if not allowed:
        return None
    return (
        f"only {_named(allowed)} had voluntary partnerships: is its generation "
        "wrong? If not, its funding is co_funded"
    )
