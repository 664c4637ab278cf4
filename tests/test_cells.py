"""Columns of lists checked whole parse every value as checking it alone does.

A column of lists that hardly repeat (an activity's SMEs, each list new) is
checked whole at C speed, and only a column with something to explain (an item
to strip, an empty item, a control character, an id too long) is checked value
by value. Hypothesis writes lists of every such shape, with white space inside
and beyond ASCII, as CSV cells (`;`-separated text) and as JSON lists, so that
the whole-column check can never pass what one value alone fails, nor parse a
value differently.
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
        "   ",
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
_LISTS = st.none() | st.lists(_ITEMS, max_size=4)

Lists = list[list[str] | None]


def _column(lists: Lists, *, text: bool) -> list[Any]:
    """The lists as a CSV file gives them (`;`-separated, `""` for none) or as JSON."""
    if not text:
        return list(lists)
    return ["" if items is None else ";".join(items) for items in lists]


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
@example(field="smes", columns=[[["C1 ", "C2"], ["C3"]]])
@example(field="smes", columns=[[["C1", ""], ["C3"]]])
@example(field="smes", columns=[[["x" * 64 + "1"], ["C3"]]])
@example(field="smes", columns=[[["C1", "y" * 65], ["C3"]]])
@example(field="smes", columns=[[["\u00a0C5"], ["C3"]]])
def test_a_column_of_lists_parses_as_each_value_alone(
    field: str, columns: list[Lists]
) -> None:
    """Each chunk's column, checked whole (and remembering across chunks), as each alone."""
    for text in (True, False):
        check = _cells.FieldCheck("activities", field)
        for lists in columns:
            raw = _column(lists, text=text)
            alone = [
                _cells.FieldCheck("activities", field).check(value, flat=text)
                for value in raw
            ]
            values, problems = check.column(raw, text=text)
            expected: list[Any] = [value for value, _ in alone]
            assert values == expected
            assert sorted(problems) == [
                index for index, (_, found) in enumerate(alone) if found
            ]
