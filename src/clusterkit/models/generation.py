"""`Generation`: one call (generation) of partnerships."""

from __future__ import annotations

import datetime as dt
import functools
from decimal import Decimal
from typing import Annotated

from pydantic import field_validator

from clusterkit._reference_data import read_data_file
from clusterkit.countries import always_third_country, third_country_on
from clusterkit.models._base import (
    EVERY_KEY_CHECKED,
    Amount,
    Count,
    Identifier,
    IsoDate,
    ListItem,
    MappingKey,
    PositiveCount,
    Record,
    Text,
)
from clusterkit.models.vocabulary import Programme, ThirdCountryRule

__all__ = ["Generation", "reference_generations"]


class Generation(Record):
    """One call, or generation, of partnerships (ESCP-4i or Euroclusters).

    clusterkit ships the known generations as reference data
    (`clusterkit.reference.generations`); a dataset may add generations or override
    a shipped one by giving the same id.

    Added in version 0.1.0.

    Examples:
        >>> from datetime import date
        >>> g = Generation(
        ...     id="escp-4i-2", name="ESCP-4i second generation", family="ESCP-4i",
        ...     programme="COSME", call_id="COS-CLUSINT-2016-03-01",
        ...     start=date(2018, 1, 1), end=date(2019, 12, 31),
        ...     strands=("1.a", "1.b", "2"),
        ... )
        >>> g.min_members, g.third_country_rule.value
        (3, 'non-programme')
    """

    id: Identifier
    """Stable id, e.g. `escp-4i-1`."""
    name: Text
    """Human-readable name."""
    family: Text
    """Partnership family: `ESCP-4i`, `Euroclusters`, …"""
    programme: Programme
    """Funding programme: `COSME` or `SMP` (the Single Market Programme)."""
    call_id: Text | None = None
    """Call identifier, e.g. `COS-CLUSTER-2014-3-03`."""
    start: IsoDate
    """First day of the generation's activities."""
    end: IsoDate
    """Last day of the generation's activities."""
    strands: tuple[ListItem, ...] = ()
    """Allowed strand labels; empty when the call had no strands."""
    voluntary_allowed: bool = False
    """Whether voluntary (not co-funded) partnerships exist in this generation."""
    min_members: PositiveCount = 3
    """Minimum number of member organisations of a partnership."""
    min_member_countries: PositiveCount | None = None
    """Minimum number of distinct member countries, if any."""
    min_target_countries: Count | None = None
    """Minimum number of third-country targets, if any."""
    max_target_countries: Count | None = None
    """Recommended maximum number of third-country targets, if any."""
    max_grant_eur: Annotated[dict[MappingKey, Amount] | None, EVERY_KEY_CHECKED] = None
    """Grant cap per strand label, in euros, when known."""
    third_country_rule: ThirdCountryRule = ThirdCountryRule.NON_PROGRAMME
    """Which countries count as third countries (rule `CK-GEO-001`)."""

    @field_validator("max_grant_eur", mode="after")
    @classmethod
    def _no_caps_is_none(
        cls, value: dict[str, Decimal] | None
    ) -> dict[str, Decimal] | None:
        # An empty mapping says nothing more than "no caps known"; one spelling of
        # "unknown" keeps the table formats interchangeable.
        return value or None

    def __hash__(self) -> int:
        # The grant caps are a dict, which does not hash; equal generations share ids.
        return hash((type(self), self.id, self.start, self.end))

    def is_third_country(self, country: str, on: dt.date) -> bool:
        """Whether a country (ISO code) is a third country on a day under this generation.

        Its programme and `third_country_rule` decide (DESIGN.md §4, CK-GEO-001);
        the answer is remembered, for columns of the same codes.

        Added in version 0.2.0.

        Examples:
            >>> import datetime as dt
            >>> from clusterkit import reference
            >>> reference.generation("escp-4i-2").is_third_country("NO", dt.date(2018, 1, 1))
            False
        """
        always = always_third_country(
            country, self.programme.value, self.third_country_rule.value
        )
        if always is not None:
            return always
        return third_country_on(
            country, on, self.programme.value, self.third_country_rule.value
        )


# Keys of the reference file that document a generation rather than describe it.
_PROVENANCE_KEYS = frozenset({"sources", "uncertain", "strand_names"})


@functools.cache
def reference_generations() -> tuple[Generation, ...]:
    """The generations shipped as reference data, in chronological order.

    Added in version 0.1.0.
    """
    entries = read_data_file("generations.json")["generations"]
    return tuple(
        Generation.model_validate(
            {key: value for key, value in entry.items() if key not in _PROVENANCE_KEYS}
        )
        for entry in entries
    )
