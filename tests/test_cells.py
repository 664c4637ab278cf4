"""Columns of lists checked whole parse every value as checking it alone does.

A column of lists that hardly repeat (an activity's SMEs, each list new) is
checked whole at C speed, and only a column with something to explain (an item
to strip, an empty item, a control character, an id too long) is checked value
by value. Hypothesis writes cells of every such shape, with white space inside
and beyond ASCII, so that the whole-column check can never pass what one value
alone fails, nor parse a value differently.
"""

from __future__ import annotations

from typing import Any

from hypothesis import example, given, settings
from hypothesis import strategies as st

from clusterkit._scan import _cells

_ITEMS = st.sampled_from(
    [
        "C1",
        "SME-0001",
        "SME 2",  # a space inside an id: kept
        " C3",
        "C4 ",
        "\u00a0C5",  # white space beyond ASCII
        "C6\u2003",
        "Ré",
        "",
        "x" * 64,
        "y" * 65,  # an id too long
        "a\x01b",
        "C7\t",
    ]
)
_CELL = st.lists(_ITEMS, max_size=4).map(";".join) | st.sampled_from(
    ["", "   ", ";", ";C1", "C1;", "C1;;C2", "z" * 70 + ";C1"]
)


@settings(max_examples=300, deadline=None)
@given(
    field=st.sampled_from(["smes", "clusters"]),
    columns=st.lists(
        st.lists(_CELL, min_size=1, max_size=10, unique=True), min_size=1, max_size=3
    ),
)
@example(field="smes", columns=[["C1;C2", "SME-0001", ""]])
@example(field="smes", columns=[["C1 ;C2", "C3"]])
@example(field="smes", columns=[["C1;", "C3"]])
@example(field="smes", columns=[["x" * 65 + "1", "C3"]])
@example(field="smes", columns=[["C1;" + "x" * 65, "C3"]])
def test_a_column_of_lists_parses_as_each_value_alone(
    field: str, columns: list[list[str]]
) -> None:
    """Each chunk's column of `;`-separated text, checked whole, as each cell alone."""
    check = _cells.FieldCheck("activities", field)
    for raw in columns:
        alone = [
            _cells.FieldCheck("activities", field).check(cell, flat=True)
            for cell in raw
        ]
        values, problems = check.column(raw, text=True)
        expected: list[Any] = [value for value, _ in alone]
        assert values == expected
        assert sorted(problems) == [i for i, (_, found) in enumerate(alone) if found]


_LISTS = st.none() | st.lists(_ITEMS, max_size=4)


@settings(max_examples=300, deadline=None)
@given(
    field=st.sampled_from(["smes", "clusters"]),
    columns=st.lists(
        st.lists(_LISTS, min_size=1, max_size=10, unique_by=repr),
        min_size=1,
        max_size=3,
    ),
)
@example(field="smes", columns=[[["C1", "C2"], ["SME-0001"], None, []]])
@example(field="smes", columns=[[["C1", "y" * 65], ["C3"]]])
@example(field="smes", columns=[[["C1 "], ["C3"]]])
@example(field="smes", columns=[[["\u00a0C5"], ["C3"]]])
def test_a_column_of_json_lists_parses_as_each_value_alone(
    field: str, columns: list[list[list[str] | None]]
) -> None:
    """Each chunk's column of lists (as JSON gives them), checked whole, as each alone."""
    check = _cells.FieldCheck("activities", field)
    for raw in columns:
        alone = [
            _cells.FieldCheck("activities", field).check(value, flat=False)
            for value in raw
        ]
        values, problems = check.column(raw, text=False)
        expected: list[Any] = [value for value, _ in alone]
        assert values == expected
        assert sorted(problems) == [i for i, (_, found) in enumerate(alone) if found]
