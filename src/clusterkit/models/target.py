"""`ThirdCountryTarget`: a market outside the programme that a partnership targets."""

from __future__ import annotations

from clusterkit.countries import CountryCode
from clusterkit.models._base import Identifier, Record, StartDate, WebsiteItem
from clusterkit.models.vocabulary import Priority

__all__ = ["ThirdCountryTarget"]


class ThirdCountryTarget(Record):
    """A third country that a partnership targets.

    A target has no id of its own: it is identified by its (partnership, country)
    pair.

    Added in version 0.1.0.

    Examples:
        >>> ThirdCountryTarget(partnership="P1", country="USA").country
        'US'
    """

    partnership: Identifier
    """Id of the partnership."""
    country: CountryCode
    """The target country (ISO alpha-2)."""
    priority: Priority = Priority.PRIMARY
    """Primary or secondary target."""
    since: StartDate | None = None
    """Date from which the country is targeted, if not from the start; a month or a year given alone stands for its first day."""
    sources: tuple[WebsiteItem, ...] = ()
    """Where the facts come from: web addresses. Added in version 0.2.0."""

    @property
    def key(self) -> tuple[str, str]:
        """The (partnership, country) pair that identifies the target."""
        return (self.partnership, self.country)
