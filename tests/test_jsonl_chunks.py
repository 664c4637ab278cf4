"""The JSON Lines column reader: its fast path reads exactly what reading line by line reads.

The fast path decodes a chunk of lines at C speed and proves from one count of
`"` that no key was given twice and nothing nested; any doubt sends the chunk
line by line, where the standard library says what is wrong. Hypothesis writes
lines of every shape the proof must see through: keys given twice, white space
around colons, escapes, nested values, unknown fields, lists of anything.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import example, given, settings
from hypothesis import strategies as st

from clusterkit._scan import _cells
from clusterkit.io import Member
from clusterkit.io._formats import jsonl_files

_FIELDS = ["id", "partnership", "type", "title", "clusters", "smes", "b2b_meetings"]
_KEYS = st.sampled_from([*_FIELDS, "bogus", "a:b", 'q"uote', "tab\there"])
_SCALAR = (
    st.none()
    | st.booleans()
    | st.integers(-5, 5)
    | st.floats(allow_nan=False, allow_infinity=False)
    | st.text(max_size=6)
    | st.sampled_from(['say "hi"', "back\\slash", "a:b", '":', "\\", "{[", "é"])
)
_VALUE = st.recursive(
    _SCALAR,
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=3), inner, max_size=2)
    ),
    max_leaves=6,
)
_COLON = st.sampled_from([":", " :", ": ", "\t:", " : "])
_COMMA = st.sampled_from([",", ", ", " ,\t"])


@st.composite
def _line(draw: st.DrawFn) -> str:
    """One line of JSON: an object whose keys may repeat, or now and then no object."""
    if draw(st.integers(0, 20)) == 0:
        return draw(st.sampled_from(["[1]", "7", "{", '{"id": 1}{', "", "  "]))
    pairs = draw(st.lists(st.tuples(_KEYS, _VALUE), max_size=6))
    ascii_only = draw(st.booleans())
    colon, comma = draw(_COLON), draw(_COMMA)
    return (
        "{"
        + comma.join(
            json.dumps(key, ensure_ascii=ascii_only)
            + colon
            + json.dumps(value, ensure_ascii=ascii_only)
            for key, value in pairs
        )
        + "}"
    )


def _never_together(lines: list[bytes], joined: bytes) -> None:
    """Decode no chunk at once: every line is read by itself."""
    del lines, joined


def _ignore(*args: object, **kwargs: object) -> None:
    """A reporter that keeps nothing."""
    del args, kwargs


def _read(path: Path, *, fast: bool) -> tuple[list[Any], list[Any]]:
    """The chunks of a file as (numbers, cells), and the problems reported."""
    problems: list[Any] = []
    with contextlib.ExitStack() as stack:
        if not fast:
            stack.enter_context(
                mock.patch.object(jsonl_files, "_decoded", _never_together)
            )
        chunks = [
            (list(chunk.numbers), {f: list(c) for f, c in chunk.cells.items()})
            for chunk in jsonl_files.read_chunks(
                Member.of_path(path, path.name),
                "activities",
                lambda *args, **kwargs: problems.append((args, kwargs)),
            )
        ]
    return chunks, problems


def _typed(chunks: list[Any]) -> list[Any]:
    """The chunks with each value paired with its type: 1, 1.0 and True differ."""
    return [
        (numbers, {f: [(type(v), v) for v in c] for f, c in cells.items()})
        for numbers, cells in chunks
    ]


@settings(max_examples=300, deadline=None)
@given(lines=st.lists(_line(), min_size=1, max_size=8))
@example(lines=['{"id": "A1", "id": "A2"}'])  # a key given twice
@example(lines=['{"id": "A1" , "id": "A2"}'])  # white space before a colon
@example(lines=['{"title": "x", "title": 1}'])  # the text given twice is lost
@example(lines=['{"clusters": ["C1"], "clusters": ["C1"]}'])  # a list twice
@example(lines=['{"clusters": [1], "clusters": [2]}'])  # a list of numbers twice
@example(lines=['{"clusters": [["C1"]]}', '{"id": {"a": "b"}}'])  # nested
@example(lines=['{"title": "a \\"q\\": 1", "id": "A"}'])  # an escaped quote
@example(lines=['{"bogus": 1, "id": null}', '{"id": "A", "bogus": "x"}'])
@example(lines=['{"title": "x", "id": "A"}', '{"title": 1, "id": "A", "id": "B"}'])
def test_the_fast_path_reads_what_the_lines_say(
    tmp_path_factory: pytest.TempPathFactory, lines: list[str]
) -> None:
    """Chunks decoded together give the cells and problems of lines read one by one."""
    path = tmp_path_factory.mktemp("jsonl") / "activities.jsonl"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fast, fast_problems = _read(path, fast=True)
    slow, slow_problems = _read(path, fast=False)
    assert _typed(fast) == _typed(slow)
    assert fast_problems == slow_problems


def test_a_clean_chunk_takes_the_fast_path_and_says_its_types(tmp_path: Path) -> None:
    """Lines without a key twice come as one chunk whose columns' types are known."""
    path = tmp_path / "activities.jsonl"
    records = [
        {"id": "A1", "title": 'say: "hi"', "clusters": ["C1", "C2"], "b2b_meetings": 3},
        {"id": "A2", "title": None, "smes": [], "b2b_meetings": 0},
    ]
    path.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    (chunk,) = jsonl_files.read_chunks(
        Member.of_path(path, path.name), "activities", _ignore
    )
    assert chunk.kinds is not None
    assert chunk.kinds["title"] == {str, type(None)}
    assert chunk.kinds["clusters"] == {list, type(None)}
    assert chunk.cells["b2b_meetings"] == [3, 0]


@pytest.mark.parametrize(
    ("line", "together"),
    [
        ('{"id": "A1", "id": "A2"}', False),  # a key twice: the line says
        ('{"id": "A1", "clusters": [["C1"]]}', False),  # nested: the line says
        ('{"id": "A1", "bogus": 1}', True),  # counted the exact way
        ('{"id": "A\\u0031"}', True),  # an escape: counted the exact way
    ],
)
def test_only_a_chunk_in_doubt_is_read_line_by_line(
    tmp_path: Path, line: str, *, together: bool
) -> None:
    """A key twice or nesting sends the lines one by one; the types are then not claimed."""
    path = tmp_path / "activities.jsonl"
    path.write_text(line + "\n", encoding="utf-8")
    (chunk,) = jsonl_files.read_chunks(
        Member.of_path(path, path.name), "activities", _ignore
    )
    assert (chunk.kinds is not None) is together
    assert chunk.cells["id"] in (["A1"], ["A2"])


_CELL = (
    st.none()
    | st.booleans()
    | st.integers(-3, 3)
    | st.sampled_from([1.0, 2.5, -0.0])
    | st.sampled_from(["A1", " A1", "", "US", "us", "2024-05-01", "2024", "x;y"])
    | st.sampled_from(["business_mission", "DE", "Germany"])
    | st.lists(
        st.sampled_from(["C1", "C2", " C3", "", "a;b"]) | st.integers(), max_size=3
    )
)


@settings(max_examples=200, deadline=None)
@given(
    field=st.sampled_from(
        ["clusters", "b2b_meetings", "title", "start", "target_country", "type", "id"]
    ),
    columns=st.lists(st.lists(_CELL, min_size=1, max_size=12), min_size=1, max_size=3),
)
def test_a_column_checked_with_its_types_parses_as_each_value_alone(
    field: str, columns: list[list[Any]]
) -> None:
    """Types told by the reader and values that parse to themselves change nothing.

    Each chunk's column, checked whole (with its types, and remembering values
    across chunks), parses every value as checking it alone does.
    """
    told = _cells.FieldCheck("activities", field)
    found = _cells.FieldCheck("activities", field)
    for raw in columns:
        alone = [
            _cells.FieldCheck("activities", field).check(v, flat=False) for v in raw
        ]
        with_types = told.column(raw, text=False, kinds=set(map(type, raw)))
        without = found.column(raw, text=False)
        expected = [(type(value), value) for value, _ in alone]
        assert [(type(v), v) for v in with_types[0]] == expected
        assert [(type(v), v) for v in without[0]] == expected
        assert with_types[1] == without[1]
        assert sorted(with_types[1]) == [i for i, (_, p) in enumerate(alone) if p]


@pytest.mark.parametrize(
    ("text", "escaped"),
    [
        (b'{"a":"x"}', 0),
        (b'{"a":"say \\"hi\\""}', 2),
        (b'{"a":"\\\\"}', 0),  # an escaped backslash, then the closing quote
        (b'{"a":"\\\\\\""}', 1),  # an escaped backslash, then an escaped quote
        (b'{"a":"\\u00e9\\n"}', 0),
        (b'{"a":"' + b"\\n" * 1_000 + b'"}', 0),
        (b'{"a":"' + b"\\n" * 1_001 + b'"}', None),  # too many to look at
    ],
)
def test_escaped_quotes_are_told_from_the_quotes_that_delimit(
    text: bytes, escaped: int | None
) -> None:
    r"""Each escape is stepped over whole, so `\\"` ends a text and `\"` does not."""
    assert json.loads(text)  # valid JSON, as the fast path has it
    assert jsonl_files._escaped_quotes(text) == escaped  # the count under test


@settings(max_examples=500, deadline=None)
@given(text=st.text(alphabet='"\\: \tab{},', max_size=40).map(str.encode))
@example(text=b'{"id" :1,"id"  :2}')  # spaces before the colons
@example(text=b'{"id"\t:1,"id":2}')  # a tab before a colon
@example(text=b'{"a":"x \\" :y"}')  # an escaped quote, a space, a colon in a text
@example(text=b'" " :')  # a quote between the spaces: one `"` then `:`
def test_the_keys_written_are_counted_as_the_pattern_counts_them(text: bytes) -> None:
    r"""Spaces taken out, `":` counts what `"\s*:` finds in a line with no line break.

    The alphabet is quotes, backslashes, colons, spaces, tabs, braces, commas
    and two letters, so runs of spaces, tabs and quotes before a colon come in
    every order.
    """
    assert jsonl_files._keys_written(text) == len(jsonl_files._KEY_END.findall(text))


@pytest.mark.parametrize("twice", [False, True])
def test_lines_full_of_escapes_are_read_the_exact_way(
    tmp_path: Path, *, twice: bool
) -> None:
    """Every accent escaped (Python's `ensure_ascii`): the same cells, however counted.

    1,200 escapes are more than are looked at one by one: the keys are counted
    the exact way, and a chunk that passes keeps its types.
    """
    path = tmp_path / "activities.jsonl"
    record = {"id": "A1", "title": "Société " * 1_200, "clusters": ["C1"]}
    lines = [json.dumps(record)]
    if twice:
        lines.append('{"id": "A0", ' + json.dumps(record)[1:])  # a key given twice
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    fast, fast_problems = _read(path, fast=True)
    slow, slow_problems = _read(path, fast=False)
    assert fast == slow
    assert fast_problems == slow_problems
    assert fast[0][1]["title"] == [record["title"]] * len(lines)
    (chunk,) = jsonl_files.read_chunks(
        Member.of_path(path, path.name), "activities", _ignore
    )
    assert (chunk.kinds is None) is twice
