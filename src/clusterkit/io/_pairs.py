"""Private: a key given twice in a mapping field (`max_grant_eur`), in any layout.

A mapping keeps one value per key, so a key given twice loses a value: in a
flat cell (`1=100000;1=200000`, where `2=` was meant), in a JSON object, in a
DataFrame's map. Every reader reports it as `CK-HDR-004`, as it reports a field
given twice in one record, and reads the last value.
"""

from __future__ import annotations

from clusterkit.io._problems import DUPLICATE_FIELD, CellProblem

__all__ = ["repeated_key_message", "repeated_key_problems", "repeated_keys"]

LIST_SEPARATOR = ";"
PAIR_SEPARATOR = "="


def repeated_key_message(field: str, key: str) -> str:
    """What a mapping field that gives `key` twice is told."""
    return (
        f"{field}: key {key!r} is given more than once in this mapping; only its "
        "last value was read"
    )


def repeated_keys(text: str) -> list[str]:
    """The keys a flat mapping cell's `key=value` pairs give more than once, in order."""
    seen: set[str] = set()
    twice: dict[str, None] = {}  # in order, once each
    for item in text.split(LIST_SEPARATOR):
        if not item.strip():
            continue
        key = item.partition(PAIR_SEPARATOR)[0].strip()
        if key in seen:
            twice[key] = None
        seen.add(key)
    return list(twice)


def repeated_key_problems(field: str, text: str) -> tuple[CellProblem, ...]:
    """The problems of a flat mapping cell: one per key it gives twice.

    Added in version 0.2.0.
    """
    return tuple(
        CellProblem(DUPLICATE_FIELD, repeated_key_message(field, key), value=key)
        for key in repeated_keys(text)
    )
