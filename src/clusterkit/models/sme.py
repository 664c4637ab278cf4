"""`SME` and the size classes of Commission Recommendation 2003/361/EC."""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated

from pydantic import AfterValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from clusterkit.countries import CountryCode
from clusterkit.models._base import Amount, Count, Identifier, Record, Text, VatNumber
from clusterkit.models.vocabulary import EnterpriseSize

__all__ = ["SME", "classify_enterprise", "possible_size_classes"]

# (size, headcount must be below, turnover ceiling, balance-sheet ceiling), smallest
# first: Recommendation 2003/361/EC, Annex, Article 2.
_CEILINGS = (
    (EnterpriseSize.MICRO, 10, Decimal(2_000_000), Decimal(2_000_000)),
    (EnterpriseSize.SMALL, 50, Decimal(10_000_000), Decimal(10_000_000)),
    (EnterpriseSize.MEDIUM, 250, Decimal(50_000_000), Decimal(43_000_000)),
)


def possible_size_classes(
    headcount: int | None,
    turnover_eur: Decimal | None = None,
    balance_sheet_eur: Decimal | None = None,
) -> frozenset[EnterpriseSize]:
    """The size classes of Recommendation 2003/361/EC that the given figures allow.

    An enterprise is in the smallest class whose ceilings it meets: its headcount
    below the class's staff ceiling, and its turnover **or** its balance-sheet total
    within the class's financial ceiling. A figure that is not given could be
    anything, so with missing figures several classes may remain possible;
    ``large`` (not an SME) is possible when no SME class is certainly met.

    Added in version 0.1.0.

    Args:
        headcount: Staff headcount (annual work units).
        turnover_eur: Annual turnover in euros.
        balance_sheet_eur: Annual balance-sheet total in euros.

    Returns:
        The classes consistent with the figures; all four when nothing is given.

    Examples:
        >>> from decimal import Decimal
        >>> sorted(s.value for s in possible_size_classes(8, Decimal(3_000_000)))
        ['micro', 'small']
        >>> sorted(s.value for s in possible_size_classes(60))
        ['large', 'medium']
    """
    possible: list[EnterpriseSize] = []
    for size, max_staff, max_turnover, max_balance in _CEILINGS:
        if headcount is not None and headcount >= max_staff:
            continue  # certainly above this class's staff ceiling
        # Each financial ceiling met (True), not (False) or unknown (None).
        turnover = None if turnover_eur is None else turnover_eur <= max_turnover
        balance = (
            None if balance_sheet_eur is None else balance_sheet_eur <= max_balance
        )
        if turnover is False and balance is False:
            continue  # certainly above this class's financial ceilings
        possible.append(size)
        if headcount is not None and (turnover or balance):
            # Certainly in this class: no larger one is possible.
            return frozenset(possible)
    possible.append(EnterpriseSize.LARGE)
    return frozenset(possible)


def classify_enterprise(
    headcount: int | None,
    turnover_eur: Decimal | None = None,
    balance_sheet_eur: Decimal | None = None,
) -> EnterpriseSize | None:
    """Derive the size class of Recommendation 2003/361/EC from the figures.

    Headcount is decisive: the enterprise must be below the class's staff ceiling.
    Then its turnover **or** its balance-sheet total must be within the class's
    ceiling. The class is derived only when the given figures decide it (see
    `possible_size_classes`).

    Added in version 0.1.0.

    Args:
        headcount: Staff headcount (annual work units).
        turnover_eur: Annual turnover in euros.
        balance_sheet_eur: Annual balance-sheet total in euros.

    Returns:
        The size class (``large`` above the medium ceilings), or ``None`` when the
        given figures allow more than one class.

    Examples:
        >>> from decimal import Decimal
        >>> classify_enterprise(8, Decimal(1_500_000)).value
        'micro'
        >>> classify_enterprise(8, Decimal(3_000_000), Decimal(1_000_000)).value
        'micro'
        >>> classify_enterprise(120, Decimal(60_000_000), Decimal(45_000_000)).value
        'large'
        >>> classify_enterprise(8) is None  # the turnover could be above EUR 2m
        True
    """
    possible = possible_size_classes(headcount, turnover_eur, balance_sheet_eur)
    return next(iter(possible)) if len(possible) == 1 else None


def _an_sme_class(value: EnterpriseSize) -> EnterpriseSize:
    if value is EnterpriseSize.LARGE:
        raise PydanticCustomError(
            "sme_size_class",
            "'large' is not an SME size class: an SME is micro, small or medium "
            "(a large enterprise is not an SME)",
        )
    return value


SMESize = Annotated[
    EnterpriseSize,
    AfterValidator(_an_sme_class),
    # The schema of EnterpriseSize would allow `large`, which the validator refuses.
    WithJsonSchema(
        {
            "type": "string",
            "enum": [
                size.value
                for size in EnterpriseSize
                if size is not EnterpriseSize.LARGE
            ],
        }
    ),
]
"""An SME's size class: micro, small or medium (a large enterprise is not an SME)."""


class SME(Record):
    """A small or medium-sized enterprise that is a member of one or more clusters.

    The declared `size_class` is kept as given even when the figures contradict it:
    the validator reports the contradiction (CK-SME-001) and figures above the
    medium ceilings (CK-SME-002). `derived_size_class` is what the figures say.

    Added in version 0.1.0.

    Examples:
        >>> sme = SME(id="S1", name="Example Optics", country="FR", headcount=12,
        ...           turnover_eur=1_800_000, size_class="micro")
        >>> sme.derived_size_class.value, sme.size_class_contradicts_figures
        ('small', True)
    """

    id: Identifier
    """Stable id, unique among SMEs."""
    name: Text
    """Company name."""
    country: CountryCode
    """Country of establishment (ISO alpha-2)."""
    headcount: Count | None = None
    """Staff headcount in annual work units."""
    turnover_eur: Amount | None = None
    """Annual turnover in euros."""
    balance_sheet_eur: Amount | None = None
    """Annual balance-sheet total in euros."""
    size_class: SMESize | None = None
    """Declared size class: micro, small or medium."""
    clusters: tuple[Identifier, ...] = ()
    """Ids of the clusters the SME is a member of."""
    nace: Text | None = None
    """NACE activity code."""
    vat: VatNumber | None = None
    """EU VAT number (`DE136695976`), stored compact. Added in version 0.2.0."""
    pic: Text | None = None
    """EU Participant Identification Code (PIC): nine digits. Added in version 0.2.0."""

    @property
    def derived_size_class(self) -> EnterpriseSize | None:
        """The size class the figures decide, if they decide one (`classify_enterprise`)."""
        return classify_enterprise(
            self.headcount, self.turnover_eur, self.balance_sheet_eur
        )

    @property
    def size_class_contradicts_figures(self) -> bool:
        """Whether the figures rule out the declared size class.

        Only a contradiction the figures prove counts: with a missing figure, a
        declared class that the missing figure could make true is not flagged.
        """
        if self.size_class is None:
            return False
        possible = possible_size_classes(
            self.headcount, self.turnover_eur, self.balance_sheet_eur
        )
        return self.size_class not in possible

    @property
    def exceeds_sme_ceilings(self) -> bool:
        """Whether the figures prove the enterprise is not an SME (above the medium ceilings)."""
        possible = possible_size_classes(
            self.headcount, self.turnover_eur, self.balance_sheet_eur
        )
        return possible == {EnterpriseSize.LARGE}
