"""Private: findings alike in every part of their fingerprint, numbered in bounded memory."""

from __future__ import annotations

__all__ = ["Alike"]

# The different fingerprints a report remembers to number the findings alike
# (about 12 MB): a report of millions of findings must not keep one entry each.
REMEMBERED = 100_000


class Alike:
    """How many findings of a report had each fingerprint of their five parts so far."""

    def __init__(self) -> None:
        self._seen: dict[str, int] = {}

    def number(self, digest: str) -> int:
        """Which finding with `digest` this one is, from 1.

        Once `REMEMBERED` fingerprints are remembered, a fingerprint first met
        after them is not, and each of its findings is the first.
        """
        seen = self._seen
        count = seen.get(digest)
        if count is None:
            if len(seen) < REMEMBERED:
                seen[digest] = 1
            return 1
        seen[digest] = count + 1
        return count + 1
