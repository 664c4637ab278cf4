"""Tools for testing code built on clusterkit.

Hypothesis strategies for every record model and for whole datasets, so apps built
on clusterkit can property-test their own code, and a seeded generator of realistic,
fictional datasets of any size (used by clusterkit's own benchmarks).

The strategies need hypothesis (`pip install 'clusterkit-eu[testing]'`); the generator
needs nothing beyond clusterkit itself.

Examples:
    >>> from hypothesis import given
    >>> from clusterkit.testing import activities
    >>> @given(activities())
    ... def test_counters_are_never_negative(activity):
    ...     assert activity.b2b_meetings >= 0
"""

from clusterkit._public import publish
from clusterkit.testing._generator import generate_dataset, iter_generated_activities

try:
    from clusterkit.testing._strategies import (
        activities,
        amounts,
        clusters,
        country_codes,
        datasets,
        dates,
        end_dates,
        generations,
        identifiers,
        partnerships,
        pics,
        smes,
        start_dates,
        targets,
        texts,
        vat_numbers,
    )
except ImportError as _missing:  # hypothesis: the extra clusterkit-eu[testing]
    _hypothesis_error = _missing

    def __getattr__(name: str) -> object:
        """Explain that the strategies need hypothesis, which is not installed."""
        msg = (
            f"clusterkit.testing.{name} needs hypothesis: "
            "pip install 'clusterkit-eu[testing]'"
        )
        raise ImportError(msg) from _hypothesis_error


__all__ = [
    "activities",
    "amounts",
    "clusters",
    "country_codes",
    "datasets",
    "dates",
    "end_dates",
    "generate_dataset",
    "generations",
    "identifiers",
    "iter_generated_activities",
    "partnerships",
    "pics",
    "smes",
    "start_dates",
    "targets",
    "texts",
    "vat_numbers",
]

publish(globals())
