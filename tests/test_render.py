"""The one output layer for tables: text, Markdown, CSV and HTML (clusterkit.render)."""

from __future__ import annotations

import csv
import datetime as dt
import html.parser
import io
import re
import sys
import textwrap
import unicodedata
from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit import render
from clusterkit.reference import programme_path
from clusterkit.render import (
    MIN_COLUMN_WIDTH,
    Column,
    Table,
    csv_table,
    html_table,
    html_text,
    markdown_table,
    markdown_text,
    number_text,
    safe_text,
    terminal_width,
    text_table,
    wrapped_text,
)

# Tables as the KPI renderers build them, each printed by kpis._render._table today.
KPI_TABLES: list[tuple[list[str], list[list[Any]]]] = [
    (
        ["KPI", "id", "value"],
        [
            ["Partnerships", "partnerships", "12"],
            ["B2B meetings per SME involved", "b2b_meetings_per_sme_involved", "1.50"],
            ["SMEs involved / SMEs reached", "smes_involved_share", "undefined"],
        ],
    ),
    (
        ["rank", "country", "partnerships", "activities"],
        [[1, "JP Japan", 3, "1,204"], [2, "CA Canada", 12, "7"]],
    ),
    (["KPI", "computed", "difference"], [["activities", "-3", "+1,000"]]),
    (["table", "read", "used", "excluded"], []),
    (["type", "activities"], [["mission", "10"], ["", "2"]]),
]

# The table of `clusterkit country EL U.S.A. Korea`, and what the command printed
# (cli._render_table, since moved to cli/_country.py): no rule, left-aligned, and
# the error message of a value that is no country running on unaligned.
COUNTRY_HEADER = [
    "input", "ISO", "EU", "alpha-3", "num", "name", "EU member", "COSME",
    "third (non-programme)", "third (beyond-europe)",
]  # fmt: skip
COUNTRY_ROWS = [
    ["EL", "GR", "EL", "GRC", "300", "Greece", "yes", "yes", "no", "no"],
    ["U.S.A.", "US", "US", "USA", "840", "United States", "no", "no", "yes", "yes"],
    ["Korea", "error: 'Korea' is ambiguous: KP North Korea, KR South Korea"],
]
COUNTRY_TEXT = (
    "input   ISO  EU  alpha-3  num  name           EU member  COSME  "
    "third (non-programme)  third (beyond-europe)\n"
    "EL      GR   EL  GRC      300  Greece         yes        yes    "
    "no                     no\n"
    "U.S.A.  US   US  USA      840  United States  no         no     "
    "yes                    yes\n"
    "Korea   error: 'Korea' is ambiguous: KP North Korea, KR South Korea"
)

RULES = Table.of(
    ["id", "title", "count"],
    [
        ["CK-FK-001", "activity refers to an unknown partnership", 12],
        ["CK-DATE-002", "end before start", 3],
    ],
    title="By rule",
)

HOSTILE = ["a|b", "line\nbreak", "red\x1b[31m", "\u202eevil"]


# What the KPI renderers of version 0.1.0 printed (kpis/_render.py `_table`), kept
# here as the reference the new writers must match.
def kpi_table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], *, markdown: bool
) -> list[str]:
    cells = [[str(cell) for cell in row] for row in rows]
    numeric = [
        all(_is_number(row[index]) for row in cells) and bool(cells)
        for index in range(len(header))
    ]
    if markdown:
        lines = ["| " + " | ".join(header) + " |"]
        lines.append(
            "| " + " | ".join("---:" if right else "---" for right in numeric) + " |"
        )
        lines.extend("| " + " | ".join(row) + " |" for row in cells)
        return lines
    widths = [
        max([len(header[index])] + [len(row[index]) for row in cells])
        for index in range(len(header))
    ]

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(row, widths, numeric, strict=True)
        ).rstrip()

    return [line(header), line(["-" * width for width in widths]), *map(line, cells)]


def _is_number(text: str) -> bool:
    digits = text.lstrip("+-").replace(",", "").replace(".", "")
    return text == "undefined" or digits.isdigit()


def lines_of(text: str) -> list[str]:
    r"""The lines of a writer's output (only `\n` ends a line)."""
    return text.split("\n")


def columns(text: str) -> int:
    """The terminal columns `text` takes: wide characters two, marks none."""
    return sum(
        0
        if unicodedata.category(char) in {"Mn", "Me", "Cf"}
        else 2
        if unicodedata.east_asian_width(char) in {"W", "F"}
        else 1
        for char in text
    )


# Byte for byte what the writers print today --------------------------------------


@pytest.mark.parametrize(("header", "rows"), KPI_TABLES)
def test_text_matches_the_kpi_tables(header: list[str], rows: list[list[Any]]) -> None:
    """A table that fits prints exactly as kpis._render._table printed it."""
    expected = "\n".join(kpi_table(header, rows, markdown=False))
    table = Table.of(header, rows)
    assert text_table(table) == expected
    assert text_table(table, width=max(map(len, lines_of(expected)))) == expected


@pytest.mark.parametrize(("header", "rows"), KPI_TABLES[1:])
def test_markdown_matches_the_kpi_tables(
    header: list[str], rows: list[list[Any]]
) -> None:
    """Cells without special characters print exactly as the KPI Markdown did."""
    expected = "\n".join(kpi_table(header, rows, markdown=True))
    assert markdown_table(Table.of(header, rows)) == expected


def test_text_and_markdown_literally() -> None:
    """The KPI layout, spelt out: rule under the header, numbers right-aligned."""
    table = Table.of(*KPI_TABLES[1], title="Target markets")
    assert text_table(table) == (
        "Target markets\n"
        "\n"
        "rank  country    partnerships  activities\n"
        "----  ---------  ------------  ----------\n"
        "   1  JP Japan              3       1,204\n"
        "   2  CA Canada            12           7"
    )
    assert markdown_table(table) == (
        "## Target markets\n"
        "\n"
        "| rank | country | partnerships | activities |\n"
        "| ---: | --- | ---: | ---: |\n"
        "| 1 | JP Japan | 3 | 1,204 |\n"
        "| 2 | CA Canada | 12 | 7 |"
    )


def test_text_matches_the_country_command() -> None:
    """Without its rule, the country table prints as `clusterkit country` did."""
    table = Table.of(COUNTRY_HEADER, COUNTRY_ROWS, align=["left"] * 10)
    assert text_table(table, rule=False) == COUNTRY_TEXT
    assert text_table(table, width=110, rule=False) == COUNTRY_TEXT


# The model ------------------------------------------------------------------------


def test_table_of_turns_values_into_text() -> None:
    """Table.of takes str() of each value, None as an empty cell, auto by default."""
    table = Table.of(["a", "b", "c"], [[1, None, 2.5]], title="T")
    assert table == Table(
        columns=(Column("a"), Column("b"), Column("c")),
        rows=(("1", "", "2.5"),),
        title="T",
    )


@pytest.mark.parametrize(
    ("header", "rows", "align", "message"),
    [
        ([], [], None, "at least one column"),
        (["a"], [[]], None, "row 1 has 0 cells"),
        (["a"], [["x"], ["y", "z"]], None, "row 2 has 2 cells"),
        (["a", "b"], [], ["left"], "1 alignments for 2 columns"),
    ],
)
def test_malformed_tables_are_refused(
    header: list[str],
    rows: list[list[str]],
    align: list[Any] | None,
    message: str,
) -> None:
    """No column, an empty row, a row too long or a wrong `align` raise ValueError."""
    with pytest.raises(ValueError, match=message):
        Table.of(header, rows, align=align)


def test_an_unknown_alignment_is_refused() -> None:
    """A column aligns left, right or auto, nothing else."""
    with pytest.raises(ValueError, match="align"):
        Column("a", align="centre")  # type: ignore[arg-type]


def test_bad_widths_and_levels_are_refused() -> None:
    """A width below 1 and a heading level outside 1 to 6 raise ValueError."""
    with pytest.raises(ValueError, match="width must be at least 1"):
        text_table(RULES, width=0)
    with pytest.raises(ValueError, match="level must be 1 to 6"):
        markdown_table(RULES, level=7)


def test_auto_alignment() -> None:
    """Auto right-aligns numbers, signs, separators and `undefined`, nothing else."""
    table = Table.of(
        ["n", "text", "mixed", "left", "right"],
        [
            ["+1,000.5", "a", "1", "1", "b"],
            ["undefined", "b", "c", "2", "c"],
            ["-3", "spans the rest"],
        ],
        align=["auto", "auto", "auto", "left", "right"],
    )
    assert markdown_table(table).split("\n")[1] == "| ---: | --- | --- | --- | ---: |"
    # A column with no cell of its own (only a spanning one) is text.
    spanned = Table.of(["n", "m"], [["5"]])
    assert markdown_table(spanned).split("\n")[1] == "| --- | --- |"
    assert markdown_table(Table.of(["n"], [])).split("\n")[1] == "| --- |"


def test_auto_alignment_right_aligns_what_number_text_writes() -> None:
    """A tiny number, written with an exponent (`1e-05`), is a number too."""
    cells = [number_text(0.00001), number_text(-0.0000012), number_text(1469)]
    assert cells == ["1e-05", "-1.2e-06", "1,469"]
    table = Table.of(["n", "word"], [[cell, "be"] for cell in cells] + [["1", "e5"]])
    assert markdown_table(table).split("\n")[1] == "| ---: | --- |"


# Wrapping and pivoting ------------------------------------------------------------


def test_wraps_the_widest_text_column_first() -> None:
    """Too wide, the title column wraps, continuation lines under the column."""
    assert text_table(RULES, width=50) == (
        "By rule\n"
        "\n"
        "id           title                          count\n"
        "-----------  -----------------------------  -----\n"
        "CK-FK-001    activity refers to an unknown     12\n"
        "             partnership\n"
        "CK-DATE-002  end before start                   3"
    )
    # Narrower still, the column shrinks to its widest wrapped line (18, not 20).
    assert text_table(RULES, width=40) == (
        "By rule\n"
        "\n"
        "id           title               count\n"
        "-----------  ------------------  -----\n"
        "CK-FK-001    activity refers to     12\n"
        "             an unknown\n"
        "             partnership\n"
        "CK-DATE-002  end before start        3"
    )


def test_room_left_goes_to_the_capped_columns() -> None:
    """Two wrapped columns share the width; the left one gets the odd column."""
    table = Table.of(["a", "b"], [["x " * 20, "y " * 20]])
    assert text_table(table, width=27) == (
        "a              b\n"
        "-------------  -----------\n"
        "x x x x x x x  y y y y y y\n"
        "x x x x x x x  y y y y y y\n"
        "x x x x x x    y y y y y y\n"
        "               y y"
    )


def test_headers_wrap_too() -> None:
    """A long header wraps inside its column like any cell."""
    table = Table.of(COUNTRY_HEADER, COUNTRY_ROWS, align=["left"] * 10)
    assert text_table(table, width=100, rule=False) == (
        "input   ISO  EU  alpha-3  num  name           EU member  COSME  third"
        "            third\n"
        "                                                                "
        "(non-programme)  (beyond-europe)\n"
        "EL      GR   EL  GRC      300  Greece         yes        yes    no"
        "               no\n"
        "U.S.A.  US   US  USA      840  United States  no         no     yes"
        "              yes\n"
        "Korea   error: 'Korea' is ambiguous: KP North Korea, KR South Korea"
    )


def test_a_spanning_cell_wraps_under_its_start() -> None:
    """A spanning cell too long for the line wraps in the room from its column on."""
    table = Table.of(
        ["input", "name", "code"],
        [["Korea", "error: 'Korea' is ambiguous between two countries"]],
    )
    assert text_table(table, width=40) == (
        "input  name  code\n"
        "-----  ----  ----\n"
        "Korea  error: 'Korea' is ambiguous\n"
        "       between two countries"
    )


def test_pivots_when_columns_cannot_keep_their_minimum() -> None:
    """Below the minimum widths, each row prints as a block of `column: value`."""
    assert text_table(RULES, width=30) == (
        "By rule\n"
        "\n"
        "id:    CK-FK-001\n"
        "title: activity refers to an\n"
        "       unknown partnership\n"
        "count: 12\n"
        "\n"
        "id:    CK-DATE-002\n"
        "title: end before start\n"
        "count: 3"
    )


def test_the_wide_kpi_breakdown_pivots() -> None:
    """A KPI table by generation and year, 288 characters wide, fits 80 as records."""
    kpis = [
        "partnerships", "partnerships_co_funded", "partnerships_voluntary",
        "cluster_organisations", "member_countries", "smes_reached", "activities",
        "smes_involved", "c2c_meetings", "b2b_meetings", "mous_signed",
        "collaboration_projects", "b2b_meetings_per_sme_involved",
        "smes_involved_share_of_reached",
    ]  # fmt: skip
    values = ["1,204"] * 12 + ["1.50", "undefined"]
    table = Table.of(["generation", "year", *kpis], [["ESCP-4i 2018", 2019, *values]])
    assert max(map(len, lines_of(text_table(table)))) > 280
    text = text_table(table, width=80)
    assert max(map(len, lines_of(text))) <= 80
    assert lines_of(text)[:3] == [
        "generation:                     ESCP-4i 2018",
        "year:                           2019",
        "partnerships:                   1,204",
    ]
    assert lines_of(text)[-1] == "smes_involved_share_of_reached: undefined"


def test_records_fall_back_when_a_label_or_word_is_long() -> None:
    """A value whose words do not fit beside the labels goes below its label."""
    table = Table.of(
        ["a rather long column name", "n"],
        [["tiny", ""], ["x" * 19, "y" * 30]],
    )
    assert text_table(table, width=20) == (
        "a rather long column\n"
        "name:\n"
        "  tiny\n"
        "n:\n"
        "\n"
        "a rather long column\n"
        "name:\n"
        "xxxxxxxxxxxxxxxxxxx\n"
        "n:\n"
        "yyyyyyyyyyyyyyyyyyyyyyyyyyyyyy"
    )


def test_a_spanning_cell_that_cannot_fit_pivots() -> None:
    """A spanning word too long for the room after its column pivots the table."""
    table = Table.of(["name", "b", "c"], [["x", 1, 2], ["y", "T" * 35]])
    assert text_table(table, width=40) == (
        f"name: x\nb:    1\nc:    2\n\nname: y\n  {'T' * 35}"
    )
    table = Table.of(["name", "b" * 15, "c" * 15], [["y", "short message"]])
    assert text_table(table, width=30) == f"name:{' ' * 12}y\n{' ' * 17}short message"


def test_an_empty_table_pivots_to_its_title() -> None:
    """With no rows, the record layout has nothing but the title to print."""
    table = Table.of(["a" * 30, "b" * 30], [], title="Nothing in scope")
    assert text_table(table, width=40) == "Nothing in scope"
    assert text_table(Table.of(["a" * 30, "b" * 30], []), width=40) == ""
    assert text_table(table) == (
        f"Nothing in scope\n\n{'a' * 30}  {'b' * 30}\n{'-' * 30}  {'-' * 30}"
    )


def test_min_column_width_is_kept() -> None:
    """A text column is not wrapped narrower than MIN_COLUMN_WIDTH characters."""
    table = Table.of(["a", "b"], [["xx " * 20, "yy " * 20]])
    assert text_table(table, width=2 * MIN_COLUMN_WIDTH + 2).startswith("a  ")
    assert text_table(table, width=2 * MIN_COLUMN_WIDTH + 1).startswith("a: xx")


# Escaping -------------------------------------------------------------------------


def test_safe_text_escapes() -> None:
    """Control characters, surrogates and bidi overrides become visible escapes."""
    text = "a\nb\rc\td\x1be\x7ff\x85g\ud800h\u202ei\u2066j\ufffek"
    assert safe_text(text) == (r"a\nb\rc\td\x1be\x7ff\x85g\ud800h\u202ei\u2066j\ufffek")
    assert safe_text("a\nb\tc", keep="\n") == "a\nb\\tc"
    assert safe_text("plain ünïcode €") == "plain ünïcode €"


INVISIBLE = {
    "\u200b": "zero-width space",
    "\u2060": "word joiner",
    "\ufeff": "byte order mark",
    "\u200e": "left-to-right mark",
    "\u200f": "right-to-left mark",
    "\u061c": "Arabic letter mark",
    "\u2028": "line separator",
    "\u2029": "paragraph separator",
    "\u00ad": "soft hyphen",
    "\u200d": "zero-width joiner",
    "\U000e0041": "tag A",
}


@pytest.mark.parametrize("char", INVISIBLE, ids=INVISIBLE.get)
def test_invisible_characters_are_made_visible(char: str) -> None:
    """Two ids that differ by an invisible character look different in every writer."""
    escape = char.encode("unicode_escape").decode("ascii")
    assert safe_text(f"P01{char}") == f"P01{escape}"
    assert markdown_text(f"P01{char}") == f"P01\\{escape}"
    assert html_text(f"P01{char}") == f"P01{escape}"
    assert text_table(Table.of(["id"], [["P01"], [f"P01{char}"]])).endswith(escape)


def test_every_format_character_and_separator_is_made_visible() -> None:
    """Each character of Unicode's categories Cf, Zl and Zp is escaped, as Python writes it."""
    for code in range(sys.maxunicode + 1):
        char = chr(code)
        if unicodedata.category(char) in {"Cf", "Zl", "Zp"}:
            assert safe_text(char) == char.encode("unicode_escape").decode(), code


def test_legitimate_text_is_left_as_it_is() -> None:
    """Accents (composed or combining), CJK, Arabic, emoji and flags show as they are."""
    for text in (
        "Zürich Société",
        "Cafe\u0301",  # an accent as a combining mark
        "日本市場連携",
        "한국",
        "شراكة",
        "Cluster 🚀 🇪🇺 👍🏽",
    ):
        assert safe_text(text) == text
    # A joiner is escaped too: an emoji sequence shows its parts.
    assert safe_text("👩\u200d💻") == "👩\\u200d💻"


def test_text_escapes_every_cell() -> None:
    """Text cells, headers and title pass safe_text; a pipe needs nothing."""
    table = Table.of(["na\x1bme"], [[cell] for cell in HOSTILE], title="t\u202e")
    assert text_table(table) == (
        "t\\u202e\n"
        "\n"
        "na\\x1bme\n"
        "-----------\n"
        "a|b\n"
        "line\\nbreak\n"
        "red\\x1b[31m\n"
        "\\u202eevil"
    )


def test_markdown_escapes_every_cell() -> None:
    """Markdown specials get a backslash, line breaks become <br>, controls escape."""
    table = Table.of(["a|b", "c"], [HOSTILE[:2], HOSTILE[2:]], title="x_y\r\nz")
    assert markdown_table(table, level=1) == (
        "# x\\_y<br>z\n"
        "\n"
        "| a\\|b | c |\n"
        "| --- | --- |\n"
        "| a\\|b | line<br>break |\n"
        "| red\\\\x1b\\[31m | \\\\u202eevil |"
    )
    every = Table.of(["s"], [["\\`*_[]<>|~$ & &amp; \t"]])
    assert markdown_table(every).split("\n")[-1] == (
        "| \\\\\\`\\*\\_\\[\\]\\<\\>\\|\\~\\$ &amp; &amp;amp; \\\\t |"
    )


def test_html_escapes_every_cell() -> None:
    """HTML escapes markup in cells, headers and the title; controls are made visible."""
    table = Table.of(
        ["<th>", "n"],
        [["<script>alert('x')</script>", 1], ['a "q" & b\nc\x1b']],
        title="<i>t</i>",
    )
    assert html_table(table) == (
        "<table>\n"
        "<caption>&lt;i&gt;t&lt;/i&gt;</caption>\n"
        '<thead><tr><th>&lt;th&gt;</th><th style="text-align: right">n</th></tr>'
        "</thead>\n"
        "<tbody>\n"
        "<tr><td>&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;</td>"
        '<td style="text-align: right">1</td></tr>\n'
        '<tr><td colspan="2">a &quot;q&quot; &amp; b<br>c\\x1b</td></tr>\n'
        "</tbody>\n"
        "</table>"
    )
    assert html_text("\u202e<") == "\\u202e&lt;"


class _Cells(html.parser.HTMLParser):
    """The text of every cell and the tags of an HTML table."""

    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.cells: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        del attrs  # only the tags count
        self.tags.append(tag)
        if tag in {"td", "th"}:
            self.cells.append("")

    def handle_data(self, data: str) -> None:
        if self.cells:
            self.cells[-1] += data


@given(st.lists(st.text(max_size=10), min_size=1, max_size=3))
def test_html_cells_stay_text(values: list[str]) -> None:
    """No value adds a tag: the parsed cells are the values, made safe."""
    parser = _Cells()
    parser.feed(html_table(Table.of(["v"] * len(values), [values])))
    assert set(parser.tags) <= {"table", "thead", "tbody", "tr", "th", "td", "br"}
    expected = [
        "".join(safe_text(part) for part in re.split(r"\r\n|\r|\n", value))
        for value in values
    ]
    cells = [cell.replace("\n", "") for cell in parser.cells[len(values) :]]
    assert cells == expected


def test_csv_quotes_and_keeps_every_value() -> None:
    """CSV quotes what needs it and reads back exactly, header first."""
    table = Table.of(
        ["a", "b"], [HOSTILE[:2], HOSTILE[2:], ["lone\rreturn", 'q"'], ["s"]]
    )
    text = csv_table(table)
    assert lines_of(text) == [
        "a,b",
        'a|b,"line',
        'break"',
        "red\x1b[31m,\u202eevil",
        '"lone\rreturn","q"""',
        "s,",
        "",
    ]
    rows = list(csv.reader(io.StringIO(text, newline="")))
    assert rows == [
        ["a", "b"],
        HOSTILE[:2],
        HOSTILE[2:],
        ["lone\rreturn", 'q"'],
        ["s", ""],
    ]


def test_csv_leaves_the_title_out() -> None:
    """CSV has no place for a title; a lone empty cell is quoted to keep its row."""
    assert csv_table(Table.of(["x"], [[""]], title="T")) == 'x\n""\n'


# Terminal -------------------------------------------------------------------------


class _Terminal(io.StringIO):
    """A stream that says it is a terminal."""

    def isatty(self) -> bool:
        return True


def test_terminal_width(monkeypatch: pytest.MonkeyPatch) -> None:
    """A terminal's width is its column count; a pipe or file has none."""
    monkeypatch.setenv("COLUMNS", "123")
    assert terminal_width(_Terminal()) == 123
    assert terminal_width(io.StringIO()) is None


# Wide characters -------------------------------------------------------------------


def test_wide_characters_take_two_columns() -> None:
    """CJK text takes two columns a character: the columns stay aligned."""
    table = Table.of(
        ["partnership", "activities"], [["P-日本市場連携", "12"], ["P-EU", "3"]]
    )
    assert text_table(table) == (
        "partnership     activities\n"
        "--------------  ----------\n"
        "P-日本市場連携          12\n"
        "P-EU                     3"
    )
    for line in lines_of(text_table(table)):
        assert columns(line) == columns("partnership     activities")


def test_combining_marks_take_no_column() -> None:
    """An accent written after its letter adds no width: `Cafe\u0301` pads as `Café`."""
    table = Table.of(["name", "n"], [["Cafe\u0301", 1], ["Café", 2]])
    first, second = lines_of(text_table(table))[2:]
    assert columns(first) == columns(second) == len("Café  1")


def test_a_character_shown_as_an_emoji_takes_two_columns() -> None:
    """`❤️` (U+2764 and VARIATION SELECTOR-16) pads as two columns, as shown."""
    table = Table.of(["name", "n"], [["\u2764\ufe0f", 1], ["ab", 2], ["\u2764", 3]])
    assert (
        text_table(table)
        == "name  n\n----  -\n\u2764\ufe0f    1\nab    2\n\u2764     3"
    )
    # A wide character stays two columns with the selector.
    wide = Table.of(["name", "n"], [["\u2615\ufe0f", 1], ["ab", 2]])
    assert text_table(wide).split("\n")[2:] == ["\u2615\ufe0f    1", "ab    2"]


def test_wide_text_wraps_at_its_display_width() -> None:
    """A wrapped table of CJK words is no wider than asked, counting two a character."""
    words = " ".join(["連携"] * 12)  # 12 words of 4 columns each
    table = Table.of(["id", "name"], [["P01", words]])
    lines = lines_of(text_table(table, width=30))
    assert len(lines) > len(lines_of(text_table(table)))
    assert all(columns(line) <= 30 for line in lines), lines
    assert "".join(text_table(table, width=30).split()).count("連携") == 12
    assert wrapped_text(words, 10).split("\n")[0] == "連携 連携"


def test_wide_labels_line_up_their_records() -> None:
    """Pivoted to records, a wide label takes its display width, values aligned."""
    table = Table.of(["名前", "id"], [["abcdefgh abcdefgh", "P01"]])
    assert text_table(table, width=14) == ("名前: abcdefgh\n      abcdefgh\nid:   P01")


# Numbers --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (None, "undefined"),
        (1469, "1,469"),
        (3.3125, "3.31"),
        (0.0, "0.00"),
        (1234.5, "1,234.50"),
        (0.000111, "0.00011"),
        (0.0049, "0.0049"),
        (0.005, "0.01"),
        (-0.0001, "-0.0001"),
        (0.00001, "1e-05"),
    ],
)
def test_number_text(value: float | None, shown: str) -> None:
    """Two places, but a ratio that is not 0 never shows as 0.00."""
    assert number_text(value) == shown


# Properties -----------------------------------------------------------------------

WORDS = st.one_of(
    st.text(
        alphabet=st.characters(exclude_characters=" ", exclude_categories=()),
        min_size=1,
        max_size=8,
    ),
    st.text(alphabet="xyz-_./", min_size=15, max_size=60),  # ids, URLs, paths
)
CELLS = st.lists(WORDS, max_size=6).map(" ".join)


@st.composite
def tables(draw: st.DrawFn) -> Table:
    """Tables of 1 to 6 columns and up to 5 rows, some rows spanning."""
    size = draw(st.integers(1, 6))
    columns = tuple(
        Column(draw(CELLS), draw(st.sampled_from(["left", "right", "auto"])))
        for _ in range(size)
    )
    rows = draw(
        st.lists(
            st.integers(1, size).flatmap(
                lambda n: st.lists(CELLS, min_size=n, max_size=n)
            ),
            max_size=5,
        )
    )
    title = draw(st.none() | CELLS)
    return Table(columns, tuple(map(tuple, rows)), title)


def words(table: Table) -> set[str]:
    """Every word of every cell, title and header that shows, as text shows it.

    A record has no label for a spanning cell, and a table with no rows no record,
    so a header shows only if its column has a cell of its own.
    """
    size = len(table.columns)
    owned = {
        index
        for row in table.rows
        for index in range(size if len(row) == size else len(row) - 1)
    }
    texts = [table.columns[index].name for index in owned]
    texts += [cell for row in table.rows for cell in row]
    texts.append(table.title or "")
    # A word is what shows: other Unicode spaces, like the padding, may be trimmed.
    return {word for text in texts for word in safe_text(text).split()}


@given(tables(), st.integers(20, 160))
def test_no_line_is_wider_than_asked(table: Table, width: int) -> None:
    """No line exceeds the width unless it is one word longer than the width."""
    for line in lines_of(text_table(table, width)):
        assert columns(line) <= width or " " not in line, line


@given(tables(), st.none() | st.integers(20, 160))
def test_no_word_is_lost(table: Table, width: int | None) -> None:
    """Every word of every cell appears, whole, in the text output."""
    shown = set(text_table(table, width).split())
    # A word may end up with a colon after it (a header, as a record label).
    shown |= {word[:-1] for word in shown if word.endswith(":")}
    assert words(table) <= shown


@given(tables())
def test_a_table_that_fits_is_not_wrapped(table: Table) -> None:
    """Given at least its own width, the table prints as with no width at all."""
    text = text_table(table)
    assert text_table(table, max(1, *map(columns, lines_of(text)))) == text


@given(tables())
def test_csv_round_trips(table: Table) -> None:
    """Whatever the cells hold, csv.reader gives them back, short rows padded."""
    size = len(table.columns)
    expected = [[column.name for column in table.columns]]
    expected += [[*row, *[""] * (size - len(row))] for row in table.rows]
    assert list(csv.reader(io.StringIO(csv_table(table), newline=""))) == expected


@given(tables())
def test_markdown_rows_stay_rows(table: Table) -> None:
    """One Markdown line per row, and no unescaped pipe inside a cell."""
    lines = lines_of(markdown_table(table))
    start = 2 if table.title else 0
    assert len(lines) == start + 2 + len(table.rows)
    for line, row in zip(lines[start + 2 :], table.rows, strict=True):
        cells = line[2:-2].replace("\\\\", "").replace("\\|", "").split(" | ")
        assert len(cells) == len(row)


@given(
    st.text(alphabet="ab .:/-", max_size=200),
    st.one_of(st.none(), st.integers(1, 80)),
)
def test_wrapped_text_keeps_every_word(text: str, width: int | None) -> None:
    """Prose wraps at `width`, never breaking a word; `None` leaves it as it is."""
    wrapped = wrapped_text(text, width)
    if width is None or not text.strip():
        assert wrapped == text
        return
    assert wrapped.split() == text.split()
    for line in wrapped.splitlines():
        assert len(line) <= width or " " not in line


@given(
    st.text(alphabet="ab -.\t\n\x0b\x0c\r", max_size=60),
    st.integers(-1, 30),
)
def test_ascii_text_wraps_as_textwrap_wraps_it(text: str, width: int) -> None:
    """Measured in display columns, ASCII lines break exactly where textwrap breaks them."""
    expected = textwrap.wrap(
        text, max(width, 1), break_long_words=False, break_on_hyphens=False
    )
    assert render._lines(text, width) == expected


def test_wrapped_text_escapes_what_it_quotes() -> None:
    """Prose around tables is escaped as their cells are, wrapped or not."""
    assert wrapped_text("note: S-DUP\u202e\x9b as S1") == r"note: S-DUP\u202e\x9b as S1"
    assert wrapped_text("a\u2028b c", 4) == "a\\u2028b\nc"
    assert wrapped_text("\x0b") == r"\x0b"


def test_a_reconciliation_fits_the_terminal() -> None:
    """The source line of a reconciliation wraps at the width, its URL kept whole."""
    result = ck.compute_kpis(
        programme_path(), generation="escp-4i-1", as_of=dt.date(2026, 1, 1)
    )
    wide = ck.kpis.reconcile(result).to_table()
    narrow = ck.kpis.reconcile(result).to_table(width=60)
    head = wide.splitlines()[0]
    assert head.startswith("Reconciled with: ")
    assert len(head) > 60
    assert [line for line in narrow.splitlines() if len(line) > 60] == [
        word for word in head.split() if len(word) > 60
    ]
