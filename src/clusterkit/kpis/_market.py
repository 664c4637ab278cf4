"""Private: the values a KPI takes — a number, or a market of the ranking."""

from __future__ import annotations

from typing import Any

import attrs

__all__ = ["KPIValue", "TargetMarket"]

KPIValue = int | float | None
"""The value of a count (`int`) or ratio (`float`, `None` when undefined) KPI.

Added in version 0.2.0.
"""


@attrs.frozen
class TargetMarket:
    """One third country in the target-market ranking.

    Added in version 0.1.0.

    Attributes:
        country: ISO alpha-2 code.
        partnerships: Partnerships in scope that declare it as a target.
        activities: Third-market activities in scope that target it.
    """

    country: str
    partnerships: int
    activities: int

    def to_dict(self) -> dict[str, Any]:
        """`{"country", "partnerships", "activities"}`."""
        return {
            "country": self.country,
            "partnerships": self.partnerships,
            "activities": self.activities,
        }
