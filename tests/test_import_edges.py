"""Importing published lists: the edges a review found (generations, workbooks, notes)."""

from __future__ import annotations

from typing import Any

import pytest

from clusterkit.io import import_partnerships


def record(**fields: Any) -> dict[str, Any]:
    """A published record with two members."""
    base: dict[str, Any] = {
        "acronym": "A",
        "name": "Alpha",
        "generation": 1,
        "members": [
            {"name": "Optics Valley", "country": "FR"},
            {"name": "Photonics Bavaria", "country": "DE"},
        ],
    }
    base.update(fields)
    return base


# --- Generations -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("given", "generation"),
    [("01", "escp-4i-1"), (" 004 ", "escp-4i-4"), (2, "escp-4i-2")],
)
def test_a_generation_number_with_leading_zeros_is_that_generation(
    given: object, generation: str
) -> None:
    """`01` is the first ESCP-4i generation, not an unknown id `escp-4i-01`."""
    result = import_partnerships([record(generation=given)])
    assert result.dataset.partnerships[0].generation == generation
    assert not result.notes_of("not-read")


@pytest.mark.parametrize("given", ["²", "①", "\u0661", "\uff11", "5", "0", "1" * 5000])
def test_a_generation_in_other_digits_is_kept_as_given_with_a_note(given: str) -> None:
    """Digits `int` refuses (or takes, but no ESCP-4i number) are no generation: a note."""
    result = import_partnerships([record(generation=given)])
    note = result.notes_of("not-read")[0]
    assert (note.record, note.field) == ("A", "generation")
    assert "is no known generation; kept as given" in note.message
    # An id longer than 64 characters is no generation id: left out, noted.
    kept = [p.generation for p in result.dataset.partnerships]
    assert kept == ([given] if len(given) <= 64 else [])


def test_a_missing_generation_says_what_is_written() -> None:
    """No generation: the note says `unknown` is written, not that `None` was kept."""
    result = import_partnerships([record(generation=None)])
    assert result.dataset.partnerships[0].generation == "unknown"
    (note,) = result.notes_of("not-read")
    assert note.message == "none given; 'unknown' written"
