"""`Cluster`: a cluster organisation, the legal entity that is a partnership member."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import (
    BeforeValidator,
    StringConstraints,
    WithJsonSchema,
)

from clusterkit.countries import CountryCode
from clusterkit.models._base import (
    Count,
    Identifier,
    Invariant,
    IsoDate,
    ListItem,
    Record,
    Text,
    VatNumber,
    Website,
    WebsiteItem,
)
from clusterkit.models.vocabulary import ClusterKind, ESCALabel, IndustrialEcosystem

__all__ = ["Cluster", "NutsCode"]


def _upper(value: Any) -> Any:
    return value.upper() if isinstance(value, str) else value


NutsCode = Annotated[
    str,
    BeforeValidator(_upper),
    StringConstraints(strip_whitespace=True, pattern=r"^[A-Z]{2}[0-9A-Z]{0,3}$"),
    # The pattern above is checked after upper-casing; JSON Schema sees the value as given.
    WithJsonSchema({"type": "string", "pattern": r"^[A-Za-z]{2}[0-9A-Za-z]{0,3}$"}),
]
"""A NUTS region code: the EU country code and up to three level characters."""


def _sme_members_within_total(
    sme_members: int | None, members_total: int | None
) -> str | None:
    if (
        sme_members is not None
        and members_total is not None
        and sme_members > members_total
    ):
        return (
            f"sme_members ({sme_members}) cannot exceed members_total ({members_total})"
        )
    return None


class Cluster(Record):
    """A cluster organisation: the legal entity that manages a cluster.

    Added in version 0.1.0.

    Examples:
        >>> c = Cluster(id="DE-001", name="Photonics Cluster Example", country="Germany")
        >>> c.country, c.kind.value
        ('DE', 'cluster_organisation')
    """

    id: Identifier
    """Stable id, unique among clusters."""
    name: Text
    """Legal or usual name."""
    country: CountryCode
    """Country of establishment (ISO alpha-2)."""
    kind: ClusterKind = ClusterKind.CLUSTER_ORGANISATION
    """Cluster organisation, business network or supporting organisation."""
    region: NutsCode | None = None
    """NUTS region; its prefix must be the country's EU code (`EL30`, `UKI3`)."""
    city: Text | None = None
    """City of the registered office."""
    website: Website | None = None
    """Web address."""
    ecosystems: tuple[IndustrialEcosystem, ...] = ()
    """Industrial ecosystems the cluster works in."""
    sectors: tuple[ListItem, ...] = ()
    """Sectors, as free text."""
    members_total: Count | None = None
    """Number of member organisations."""
    sme_members: Count | None = None
    """Number of SME members; at most `members_total`."""
    esca_label: ESCALabel | None = None
    """Cluster management excellence label."""
    esca_label_date: IsoDate | None = None
    """Date the label was awarded."""
    sources: tuple[WebsiteItem, ...] = ()
    """Where the facts come from: web addresses. Added in version 0.2.0."""
    vat: VatNumber | None = None
    """EU VAT number (`DE136695976`), stored compact. Added in version 0.2.0."""
    pic: Text | None = None
    """EU Participant Identification Code (PIC): nine digits. Added in version 0.2.0."""

    invariants = (
        Invariant(
            ("sme_members", "members_total"), "sme_members", _sme_members_within_total
        ),
    )
