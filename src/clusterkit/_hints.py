"""Private: "did you mean …?" hints, shared by the readers and the rules."""

from __future__ import annotations

import difflib
from collections.abc import Collection

__all__ = ["did_you_mean"]


def did_you_mean(value: str, known: Collection[str]) -> str | None:
    """`did you mean 'X'?` with the closest known value, if one is close."""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None
