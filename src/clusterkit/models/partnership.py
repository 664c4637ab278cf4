"""`Partnership`: one ESCP-4i (or Eurocluster)."""

from __future__ import annotations

import datetime as dt

from clusterkit.models._base import (
    Amount,
    Count,
    EndDate,
    Identifier,
    ListItem,
    Record,
    StartDate,
    Text,
    Website,
    WebsiteItem,
)
from clusterkit.models.generation import Generation
from clusterkit.models.vocabulary import Funding, IndustrialEcosystem
from clusterkit.values import Period

__all__ = ["Partnership"]


class Partnership(Record):
    """One partnership of clusters: an ESCP-4i or a Eurocluster.

    References (`generation`, `coordinator`, `members`) are ids; whether they
    resolve, and whether the coordinator is a member, is checked by the validator,
    not here, so a dataset with broken references still loads.

    Added in version 0.1.0.

    Examples:
        >>> p = Partnership(id="P1", acronym="PHOTON-GO", name="Photonics Go Global",
        ...                 generation="escp-4i-2", coordinator="DE-001",
        ...                 members=("DE-001", "FR-002", "IT-003"))
        >>> p.funding.value, len(p.members)
        ('co_funded', 3)
    """

    id: Identifier
    """Stable id, unique among partnerships."""
    acronym: Text
    """Short name, e.g. `AdPack`."""
    name: Text
    """Full name."""
    generation: Identifier
    """Id of the generation (call) the partnership belongs to."""
    strand: ListItem | None = None
    """Strand label; must be one of the generation's strands."""
    funding: Funding = Funding.CO_FUNDED
    """Co-funded by an EU grant, or voluntary."""
    coordinator: Identifier | None = None
    """Id of the coordinating cluster; must be among the members."""
    members: tuple[Identifier, ...] = ()
    """Ids of the member clusters, coordinator included."""
    start: StartDate | None = None
    """First day; defaults to the generation's start; a month or a year given alone stands for its first day."""
    end: EndDate | None = None
    """Last day; defaults to the generation's end; a month or a year given alone stands for its last day."""
    smes_reached: Count | None = None
    """Number of SMEs the partnership reaches out to."""
    grant_eur: Amount | None = None
    """EU grant in euros (co-funded partnerships only)."""
    ecosystems: tuple[IndustrialEcosystem, ...] = ()
    """Industrial ecosystems the partnership works in."""
    sectors: tuple[ListItem, ...] = ()
    """Sectors, as free text."""
    website: Website | None = None
    """Web address."""
    members_partial: bool = False
    """The member list names only some members, as its source published them.

    The member-count rules (CK-PART-001, CK-PART-002) then do not apply: a
    partial list says nothing about how many members there were. Added in
    version 0.2.0.
    """
    inferred: tuple[ListItem, ...] = ()
    """The fields whose values were inferred, not stated by a source
    (`generation`, `strand`, `funding`, …). Added in version 0.2.0."""
    sources: tuple[WebsiteItem, ...] = ()
    """Where the facts come from: web addresses. Added in version 0.2.0."""

    def period(self, generation: Generation | None = None) -> Period | None:
        """The partnership's period, its missing ends taken from `generation`.

        Args:
            generation: The partnership's generation, for the default dates.

        Returns:
            The period, or `None` when the start is known neither here nor from
            the generation.

        Examples:
            >>> from datetime import date
            >>> p = Partnership(id="P1", acronym="A", name="A", generation="g",
            ...                 start=date(2018, 3, 1))
            >>> p.period()
            Period(start=datetime.date(2018, 3, 1), end=None)
        """
        start: dt.date | None = self.start
        end: dt.date | None = self.end
        if generation is not None:
            start = start or generation.start
            end = end or generation.end
        return None if start is None else Period(start, end)
