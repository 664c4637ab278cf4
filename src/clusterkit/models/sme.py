"""`SME` and the size classes of Commission Recommendation 2003/361/EC."""

from __future__ import annotations

from decimal import Decimal

from pydantic import field_validator

from clusterkit.countries import CountryCode
from clusterkit.models._base import Amount, Count, Identifier, Record, Text
from clusterkit.models.vocabulary import EnterpriseSize

__all__ = ["SME", "classify_enterprise"]

# (size, headcount must be below, turnover ceiling, balance-sheet ceiling), smallest
# first: Recommendation 2003/361/EC, Annex, Article 2.
_CEILINGS = (
    (EnterpriseSize.MICRO, 10, Decimal(2_000_000), Decimal(2_000_000)),
    (EnterpriseSize.SMALL, 50, Decimal(10_000_000), Decimal(10_000_000)),
    (EnterpriseSize.MEDIUM, 250, Decimal(50_000_000), Decimal(43_000_000)),
)
_RANK = {size: rank for rank, size in enumerate(EnterpriseSize)}


def classify_enterprise(
    headcount: int | None,
    turnover_eur: Decimal | None = None,
    balance_sheet_eur: Decimal | None = None,
) -> EnterpriseSize | None:
    """Derive the size class of Recommendation 2003/361/EC from the figures.

    Headcount is decisive: the enterprise must be below the class's staff ceiling.
    Then its turnover **or** its balance-sheet total must be within the class's
    ceiling. A figure that is not given cannot meet a ceiling, except that with
    neither financial figure given the headcount alone decides.

    Added in version 0.1.0.

    Args:
        headcount: Staff headcount (annual work units).
        turnover_eur: Annual turnover in euros.
        balance_sheet_eur: Annual balance-sheet total in euros.

    Returns:
        The size class (``large`` above the medium ceilings), or ``None`` when the
        headcount is not given.

    Example:
        >>> from decimal import Decimal
        >>> classify_enterprise(8, Decimal(1_500_000)).value
        'micro'
        >>> classify_enterprise(8, Decimal(3_000_000), Decimal(1_000_000)).value
        'micro'
        >>> classify_enterprise(120, Decimal(60_000_000), Decimal(45_000_000)).value
        'large'
    """
    if headcount is None:
        return None
    financials_known = turnover_eur is not None or balance_sheet_eur is not None
    for size, max_staff, max_turnover, max_balance in _CEILINGS:
        if headcount >= max_staff:
            continue
        if not financials_known:
            return size
        if (turnover_eur is not None and turnover_eur <= max_turnover) or (
            balance_sheet_eur is not None and balance_sheet_eur <= max_balance
        ):
            return size
    return EnterpriseSize.LARGE


class SME(Record):
    """A small or medium-sized enterprise that is a member of one or more clusters.

    The declared `size_class` is kept as given even when the figures contradict it:
    the validator reports the contradiction (CK-SME-001) and figures above the
    medium ceilings (CK-SME-002). `derived_size_class` is what the figures say.

    Added in version 0.1.0.

    Example:
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
    size_class: EnterpriseSize | None = None
    """Declared size class: micro, small or medium."""
    clusters: tuple[Identifier, ...] = ()
    """Ids of the clusters the SME is a member of."""
    nace: Text | None = None
    """NACE activity code."""

    @field_validator("size_class")
    @classmethod
    def _declared_class_is_an_sme_class(
        cls, value: EnterpriseSize | None
    ) -> EnterpriseSize | None:
        if value is EnterpriseSize.LARGE:
            msg = "a large enterprise is not an SME: size_class must be micro, small or medium"
            raise ValueError(msg)
        return value

    @property
    def derived_size_class(self) -> EnterpriseSize | None:
        """The size class the figures give (see `classify_enterprise`)."""
        return classify_enterprise(
            self.headcount, self.turnover_eur, self.balance_sheet_eur
        )

    @property
    def size_class_contradicts_figures(self) -> bool:
        """Whether a declared size class contradicts the figures.

        With financial figures, any difference from `derived_size_class` is a
        contradiction. With the headcount alone, the derived class is only a lower
        bound (a firm of 5 people with a EUR 5m turnover is small), so only a declared
        class below it contradicts.
        """
        derived = self.derived_size_class
        if self.size_class is None or derived is None:
            return False
        if self.turnover_eur is None and self.balance_sheet_eur is None:
            return _RANK[self.size_class] < _RANK[derived]
        return derived is not self.size_class
