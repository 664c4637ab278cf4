"""Private: judgements of distinct values, remembered for a pass in bounded memory.

A check over rows judges each distinct combination of the fields it reads once
per pass, not once per row: a million activities hold a few thousand distinct
(partnership, target country) pairs.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from clusterkit._scan._batch import Batch

__all__ = ["Verdicts"]

# Verdicts remembered per check before starting afresh: bounded memory.
_LIMIT = 20_000


class Verdicts:
    """Remembered judgements, per check and fields: the good and the bad values."""

    def __init__(self) -> None:
        self._memory: dict[Any, tuple[set[Any], set[Any]]] = {}
        self._memos: dict[str, dict[Any, Any]] = {}

    def failing(
        self,
        batch: Batch,
        fields: tuple[str, ...],
        is_bad: Callable[..., bool],
        *,
        name: str,
    ) -> set[Any]:
        """The distinct values (or combinations) of `fields` in `batch` that are bad.

        Each is judged once per pass by `is_bad` and remembered under `name`.
        """
        distinct = batch.distinct(*fields)
        key = (name, batch.table, fields)
        good, bad = self._memory.setdefault(key, (set(), set()))
        if len(good) + len(bad) > _LIMIT:
            good.clear()
            bad.clear()
        if len(fields) > 1:
            for combination in distinct.difference(good, bad):
                (bad if is_bad(*combination) else good).add(combination)
        else:
            for value in distinct.difference(good, bad):
                (bad if is_bad(value) else good).add(value)
        return distinct & bad if bad else set()

    def memo(self, name: str) -> dict[Any, Any]:
        """A memory of judgements of one check's own, started afresh when it grows large."""
        found = self._memos.setdefault(name, {})
        if len(found) > _LIMIT * 5:
            found.clear()
        return found

    def forget(self) -> None:
        """Drop every judgement (memory, not results)."""
        self._memory.clear()
        self._memos.clear()
