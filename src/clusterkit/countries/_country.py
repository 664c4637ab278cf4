"""The `Country` value."""

from __future__ import annotations

from typing import Literal

import attrs

__all__ = ["CodeForm", "Country"]

CodeForm = Literal["iso", "eu"]
"""How a country code is written: ISO 3166-1 alpha-2 (`GR`, `GB`) or EU (`EL`, `UK`)."""


@attrs.frozen
class Country:
    """One country, with its codes.

    Added in version 0.1.0.

    Attributes:
        alpha2: ISO 3166-1 alpha-2 code (`XK` for Kosovo, a user-assigned code).
        alpha3: ISO 3166-1 alpha-3 code (`XKX` for Kosovo).
        numeric: ISO 3166-1 numeric code as three digits, `None` for Kosovo.
        name: English short name.
        eu_code: EU/Eurostat code: `EL` for Greece, `UK` for the United
            Kingdom, otherwise the alpha-2 code.

    Examples:
        >>> from clusterkit import normalise_country
        >>> greece = normalise_country("EL")
        >>> greece.alpha2, greece.alpha3, greece.numeric, greece.eu_code
        ('GR', 'GRC', '300', 'EL')
        >>> greece.code("eu")
        'EL'
    """

    alpha2: str
    alpha3: str
    numeric: str | None
    name: str
    eu_code: str

    def code(self, form: CodeForm = "iso") -> str:
        """The two-letter code in ISO (`GR`) or EU (`EL`) form.

        Raises:
            ValueError: `form` is neither `"iso"` nor `"eu"`.
        """
        if form == "iso":
            return self.alpha2
        if form == "eu":
            return self.eu_code
        msg = f"form must be 'iso' or 'eu', not {form!r}"
        raise ValueError(msg)

    def __str__(self) -> str:
        return self.alpha2
