"""Private: "did you mean …?" hints and lists of allowed values, shared by readers and rules."""

from __future__ import annotations

import difflib
from collections.abc import Collection, Mapping

__all__ = ["allowed_values", "did_you_mean"]


def did_you_mean(value: str, known: Collection[str]) -> str | None:
    """`did you mean 'X'?` with the closest known value, if one is close."""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None


def allowed_values(meanings: Mapping[str, str | None], first: str | None = None) -> str:
    """`allowed values: 1 = preparation phase, 2 = implementation phase`.

    Each value with its meaning where it has one; after `first` (a "did you
    mean" question), as a sentence of its own. Values are separated by `;` when
    a meaning has a comma of its own.

    Examples:
        >>> allowed_values({"co_funded": "EU grant", "voluntary": "no EU grant"})
        'allowed values: co_funded = EU grant, voluntary = no EU grant'
        >>> allowed_values(dict.fromkeys(["primary", "secondary"]), "did you mean 'primary'?")
        "did you mean 'primary'? Allowed values: primary, secondary"
    """
    separator = (
        "; " if any("," in (meaning or "") for meaning in meanings.values()) else ", "
    )
    listed = separator.join(
        f"{value} = {meaning}" if meaning else value
        for value, meaning in meanings.items()
    )
    if first is None:
        return f"allowed values: {listed}"
    return f"{first} Allowed values: {listed}"
