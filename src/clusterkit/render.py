r"""Tables as aligned text, Markdown, CSV and HTML: the one output layer of clusterkit.

The renderers of a validation `Report` and of a `KPIResult`, and the command line,
all build a `Table` and write it with `text_table`, `markdown_table`, `csv_table`
or `html_table` (a notebook's rich display), so layout, alignment and escaping are decided once, here. Cells carry values read
from untrusted files: text and Markdown make control characters, lone surrogates
and bidirectional overrides visible (`safe_text`); CSV, for programs, keeps values
exactly and quotes what needs it. Given a width (`terminal_width` gives a
terminal's), `text_table` wraps its widest text columns or, failing that, prints
one record per row. The module imports nothing from clusterkit, so any may use it.

Added in version 0.2.0.
"""

from __future__ import annotations

import csv
import html
import io
import re
import shutil
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any, Literal, TextIO, TypeAlias

import attrs

__all__ = [
    "MIN_COLUMN_WIDTH",
    "Align",
    "Column",
    "Table",
    "csv_table",
    "html_table",
    "html_text",
    "markdown_table",
    "markdown_text",
    "safe_text",
    "terminal_width",
    "text_table",
    "wrapped_text",
]

Align: TypeAlias = Literal["left", "right", "auto"]
"""How a column's cells line up: `auto` right-aligns a column of numbers."""

MIN_COLUMN_WIDTH = 10
"""`text_table` wraps no text column narrower than this or its longest word."""

# C0 and C1 controls, DEL, lone surrogates, bidirectional overrides and isolates,
# and the two noncharacters XML 1.0 forbids.
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\u202a-\u202e\u2066-\u2069\ufffe\uffff]"
)
_LATIN_1 = 0xFF  # the highest code point written as \xNN rather than \uNNNN
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$])")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SEPARATOR = "  "  # between two columns of a text table
_HANG = "  "  # before a record's value printed under its label
_MAX_HEADING = 6  # Markdown has six levels of heading


@attrs.frozen
class Column:
    """One column of a `Table`: its name (the header cell) and alignment.

    `auto`, the default, right-aligns the column when every cell in it looks like a
    number: digits with `,`, `.` or a sign, or the word `undefined`.

    Added in version 0.2.0.

    Examples:
        >>> Column("count", align="right")
        Column(name='count', align='right')
    """

    name: str
    align: Align = attrs.field(
        default="auto", validator=attrs.validators.in_(("left", "right", "auto"))
    )


@attrs.frozen
class Table:
    """A table of text cells: its columns (at least one), rows and optional title.

    A row may have fewer cells than there are columns: its last cell then spans the
    remaining columns (an error message in place of a country's codes), left-aligned
    and without widening the column it starts in. The title is printed above the
    table, as a heading in Markdown, and left out of CSV.

    Added in version 0.2.0.

    Raises:
        ValueError: No column, or a row with no cell or more cells than columns.

    Examples:
        >>> Table.of(["country", "partnerships"], [["Japan", 12]]).rows
        (('Japan', '12'),)
    """

    columns: tuple[Column, ...]
    rows: tuple[tuple[str, ...], ...] = ()
    title: str | None = None

    def __attrs_post_init__(self) -> None:
        size = len(self.columns)
        if not size:
            raise ValueError("a table needs at least one column")
        for number, row in enumerate(self.rows, start=1):
            if not 1 <= len(row) <= size:
                raise ValueError(f"row {number} has {len(row)} cells, not 1 to {size}")

    @classmethod
    def of(
        cls,
        header: Sequence[str],
        rows: Iterable[Sequence[Any]],
        *,
        title: str | None = None,
        align: Sequence[Align] | None = None,
    ) -> Table:
        """A table from column names and rows of any values.

        Added in version 0.2.0.

        Args:
            header: The name of each column.
            rows: The rows; each cell becomes `str(cell)`, and `None` an empty cell.
            title: The table's title.
            align: One alignment per column; `auto` for every column by default.

        Raises:
            ValueError: `align` has not one entry per column, or a row is empty or
                longer than the header.

        Examples:
            >>> Table.of(["a", "b"], [[1, None]], align=["left", "right"]).rows
            (('1', ''),)
        """
        align = ["auto"] * len(header) if align is None else align
        if len(align) != len(header):
            raise ValueError(f"{len(align)} alignments for {len(header)} columns")
        return cls(
            columns=tuple(map(Column, header, align)),
            rows=tuple(tuple("" if v is None else str(v) for v in row) for row in rows),
            title=title,
        )


def safe_text(text: str, keep: str = "") -> str:
    r"""`text` with unsafe characters, other than those in `keep`, made visible.

    Unsafe are C0 and C1 controls, DEL, lone surrogates, bidirectional overrides and
    isolates, U+FFFE and U+FFFF. A newline, carriage return and tab become `\n`,
    `\r` and `\t`, the others `\xNN` or `\uNNNN`.

    Added in version 0.2.0.

    Args:
        text: The text to show in a terminal or a document.
        keep: Characters to leave as they are (say, newlines in a multi-line field).

    Examples:
        >>> print(safe_text("red\x1b[31m\nline\u202e"))
        red\x1b[31m\nline\u202e
    """

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in keep:
            return char
        if char in _SHORT_ESCAPES:
            return _SHORT_ESCAPES[char]
        code = ord(char)
        return f"\\x{code:02x}" if code <= _LATIN_1 else f"\\u{code:04x}"

    return _UNSAFE.sub(escape, text)


def text_table(table: Table, width: int | None = None, *, rule: bool = True) -> str:
    """The table as aligned columns, for a person at a terminal.

    The title (if any) and a blank line, then the header, a dashed rule, and the
    rows; columns two spaces apart, no trailing spaces, every cell through
    `safe_text`. A table wider than `width` has its widest text columns narrowed
    first, cells word-wrapped inside them; each column keeps `MIN_COLUMN_WIDTH`
    (or its natural width, if less) and its longest word, so no word is broken.
    When even that cannot fit, each row prints as a record, one `column: value`
    line per cell, a blank line between records (a table with no rows then prints
    only its title). No line is wider than `width` unless it is one longer word.

    Added in version 0.2.0.

    Args:
        table: The table to write.
        width: The widest line wanted (at least 1); `None` never wraps.
        rule: Whether to draw the dashed rule under the header.

    Returns:
        The text, without a final newline.

    Raises:
        ValueError: `width` is less than 1.

    Examples:
        >>> table = Table.of(["country", "partnerships"], [["Japan", 12], ["Canada", 3]])
        >>> print(text_table(table))
        country  partnerships
        -------  ------------
        Japan              12
        Canada              3
        >>> print(text_table(table, width=20))
        country:      Japan
        partnerships: 12
        <BLANKLINE>
        country:      Canada
        partnerships: 3
    """
    if width is not None and width < 1:
        raise ValueError(f"width must be at least 1, not {width}")
    names = [safe_text(column.name) for column in table.columns]
    rows = [[safe_text(cell) for cell in row] for row in table.rows]
    title = [] if not table.title else _lines(safe_text(table.title), width)
    right = _right_aligned(table)
    columns = [[name] for name in names]
    for row in rows:
        for column, cell in zip(columns, _split(row, len(names))[0], strict=False):
            column.append(cell)
    natural = [max(map(len, column)) for column in columns]
    lines = _grid(names, rows, right, natural, rule=rule, wrap_at=None)
    if width is None or _fits(lines, width):
        return _join(title, lines)
    widths = _narrowed(columns, natural, width)
    if widths is not None:
        lines = _grid(names, rows, right, widths, rule=rule, wrap_at=width)
        if _fits(lines, width):
            return _join(title, lines)
    return _join(title, _records(names, rows, width))


def markdown_table(table: Table, *, level: int = 2) -> str:
    r"""The table in GitHub-flavoured Markdown, without a final newline.

    Right-aligned columns get `---:`. Every cell, header and title passes
    `safe_text`, `&` becomes `&amp;` and ``\ ` * _ [ ] < > | ~ $`` get a backslash,
    so no value can end its cell or become markup. A line break becomes `<br>`, a
    line break inside the cell on GitHub (a row cannot span lines). A row with
    fewer cells than columns is written short; Markdown fills it in.

    Added in version 0.2.0.

    Args:
        table: The table to write.
        level: The heading level of the title, 1 to 6.

    Raises:
        ValueError: `level` is not between 1 and 6.

    Examples:
        >>> table = Table.of(["rule", "findings"], [["CK-FK|001", 2]], title="By rule")
        >>> print(markdown_table(table, level=3))
        ### By rule
        <BLANKLINE>
        | rule | findings |
        | --- | ---: |
        | CK-FK\|001 | 2 |
    """
    if not 1 <= level <= _MAX_HEADING:
        raise ValueError(f"level must be 1 to {_MAX_HEADING}, not {level}")
    lines = (
        [] if not table.title else [f"{'#' * level} {markdown_text(table.title)}", ""]
    )
    rules = ["---:" if right else "---" for right in _right_aligned(table)]
    header = [markdown_text(column.name) for column in table.columns]
    cells = [header, rules, *([markdown_text(c) for c in row] for row in table.rows)]
    return "\n".join([*lines, *("| " + " | ".join(row) + " |" for row in cells)])


def csv_table(table: Table) -> str:
    r"""The table as CSV (RFC 4180), header first, every line ending in `\n`.

    Values are written exactly, for programs to read back; one with a comma, a
    quote or a line break is quoted. Short rows are padded with empty cells; the
    title is left out.

    Added in version 0.2.0.

    Examples:
        >>> print(csv_table(Table.of(["name", "note"], [["A, B", 'a "B"!']])), end="")
        name,note
        "A, B","a ""B""!"
    """
    size = len(table.columns)
    rows = [[column.name for column in table.columns]]
    rows += [[*row, *[""] * (size - len(row))] for row in table.rows]
    lines = []
    for row in rows:
        # RFC 4180's CRLF line end, unlike `\n` alone, makes the csv module quote a
        # value holding a lone carriage return too; the CRLF then becomes `\n`.
        buffer = io.StringIO()
        csv.writer(buffer, lineterminator="\r\n").writerow(row)
        lines.append(buffer.getvalue()[:-2] + "\n")
    return "".join(lines)


def html_table(table: Table) -> str:
    """The table as an HTML `<table>`, for a notebook's rich display.

    Every cell, header and the title (a `<caption>`) pass `html_text`, so no
    value can become markup. Right-aligned columns get `text-align: right`; a row
    with fewer cells than columns has its last cell span the rest.

    Added in version 0.2.0.

    Examples:
        >>> print(html_table(Table.of(["id", "n"], [["<script>", 2]])))
        <table>
        <thead><tr><th>id</th><th style="text-align: right">n</th></tr></thead>
        <tbody>
        <tr><td>&lt;script&gt;</td><td style="text-align: right">2</td></tr>
        </tbody>
        </table>
    """
    size = len(table.columns)
    styles = [
        ' style="text-align: right"' if right else "" for right in _right_aligned(table)
    ]
    head = "".join(
        f"<th{style}>{html_text(column.name)}</th>"
        for column, style in zip(table.columns, styles, strict=True)
    )
    lines = ["<table>"]
    if table.title:
        lines.append(f"<caption>{html_text(table.title)}</caption>")
    lines += [f"<thead><tr>{head}</tr></thead>", "<tbody>"]
    for row in table.rows:
        own, spanning = _split(row, size)
        cells = [
            f"<td{style}>{html_text(value)}</td>"
            for value, style in zip(own, styles, strict=False)
        ]
        if spanning is not None:
            cells.append(f'<td colspan="{size - len(own)}">{html_text(spanning)}</td>')
        lines.append(f"<tr>{''.join(cells)}</tr>")
    lines += ["</tbody>", "</table>"]
    return "\n".join(lines)


def html_text(text: str) -> str:
    r"""Plain text made safe in HTML: `safe_text`, then `& < > " '` escaped.

    A line break becomes `<br>`.

    Added in version 0.2.0.

    Examples:
        >>> html_text("<b>R&D</b>\nnext")
        '&lt;b&gt;R&amp;D&lt;/b&gt;<br>next'
    """
    return "<br>".join(
        html.escape(safe_text(part), quote=True) for part in _LINE_BREAK.split(text)
    )


def terminal_width(stream: TextIO) -> int | None:
    """The width to wrap at when writing to `stream`, or `None` not to wrap.

    The terminal's width (`COLUMNS` when set) if `stream` is a terminal; `None`
    otherwise, so that pipes and files get lines unwrapped.

    Added in version 0.2.0.

    Examples:
        >>> import io
        >>> terminal_width(io.StringIO()) is None
        True
    """
    if not stream.isatty():
        return None
    return shutil.get_terminal_size().columns


def wrapped_text(text: str, width: int | None = None) -> str:
    """A line of prose wrapped at `width` columns, words kept whole (a URL too).

    For the sentences around tables (a scope, a note, a source), so that they
    fit the terminal as `text_table` fits its tables; `None` never wraps.

    Added in version 0.2.0.

    Example:
        >>> print(wrapped_text("Reconciled with: the first generation's results", 20))
        Reconciled with: the
        first generation's
        results
    """
    return "\n".join(_lines(text, width)) if text.strip() else text


def _is_number(text: str) -> bool:
    digits = text.lstrip("+-").replace(",", "").replace(".", "")
    return text == "undefined" or digits.isdigit()


def _split(row: Sequence[str], size: int) -> tuple[Sequence[str], str | None]:
    """A row's cells that sit in their own column, and its spanning cell if any."""
    if len(row) == size:
        return row, None
    return row[:-1], row[-1]


def _right_aligned(table: Table) -> list[bool]:
    """Whether each column is right-aligned, `auto` resolved from its cells."""
    owned = [_split(row, len(table.columns))[0] for row in table.rows]
    result = []
    for index, column in enumerate(table.columns):
        cells = [own[index] for own in owned if index < len(own)]
        numbers = bool(cells) and all(map(_is_number, cells))
        result.append(numbers if column.align == "auto" else column.align == "right")
    return result


def _lines(text: str, width: int | None) -> list[str]:
    """`text` wrapped at `width`, words kept whole; nothing for blank text."""
    if width is None:
        return [text]
    return textwrap.wrap(
        text, max(width, 1), break_long_words=False, break_on_hyphens=False
    )


def _longest_word(text: str) -> int:
    # After safe_text the only whitespace textwrap splits on is the space.
    return max(map(len, text.split(" ")))


def _join(title: list[str], body: list[str]) -> str:
    return "\n".join([*title, "", *body] if title and body else title + body)


def _fits(lines: Iterable[str], width: int) -> bool:
    return all(len(line) <= width for line in lines)


def _narrowed(
    columns: Sequence[Sequence[str]], natural: Sequence[int], width: int
) -> list[int] | None:
    """Column widths that fit `width`, the widest cut first; `None` if none can."""
    least = [
        min(size, max(MIN_COLUMN_WIDTH, *map(_longest_word, column)))
        for column, size in zip(columns, natural, strict=True)
    ]
    room = width - len(_SEPARATOR) * (len(columns) - 1)
    if sum(least) > room:
        return None

    def total(cap: int) -> int:
        return sum(max(m, min(n, cap)) for m, n in zip(least, natural, strict=True))

    # The largest cap on every column's width that fits, by bisection.
    low, high = 0, max(natural)
    while low < high:
        middle = (low + high + 1) // 2
        low, high = (middle, high) if total(middle) <= room else (low, middle - 1)
    spare = room - total(low)
    widths = []
    for minimum, size in zip(least, natural, strict=True):
        chosen = max(minimum, min(size, low))
        if spare and minimum <= low < size:  # the room left goes to capped columns
            chosen += 1
            spare -= 1
        widths.append(chosen)
    # Wrapping may leave a column narrower than its cap; close the gap.
    return [
        max(len(line) for cell in column for line in _lines(cell, size) or [""])
        for column, size in zip(columns, widths, strict=True)
    ]


def _grid(
    names: Sequence[str],
    rows: Sequence[Sequence[str]],
    right: Sequence[bool],
    widths: Sequence[int],
    *,
    rule: bool,
    wrap_at: int | None,
) -> list[str]:
    """The table laid out in columns of `widths`, cells wrapped if `wrap_at` is set."""

    def wrap(text: str, size: int) -> list[str]:
        return [text] if wrap_at is None else _lines(text, size) or [""]

    def physical(row: Sequence[str]) -> list[str]:
        own, span = _split(row, len(widths))
        blocks = [wrap(cell, size) for cell, size in zip(own, widths, strict=False)]
        if span is not None:
            start = sum(widths[: len(own)]) + len(_SEPARATOR) * len(own)
            blocks.append(wrap(span, (wrap_at or 0) - start))
        lines = []
        for number in range(max(map(len, blocks))):
            parts = [block[number] if number < len(block) else "" for block in blocks]
            for index, size in enumerate(widths[: len(own)]):
                pad = str.rjust if right[index] else str.ljust
                parts[index] = pad(parts[index], size)
            lines.append(_SEPARATOR.join(parts).rstrip())
        return lines

    lines = physical(names)
    if rule:
        lines.append(_SEPARATOR.join("-" * size for size in widths).rstrip())
    for row in rows:
        lines += physical(row)
    return lines


def _records(names: list[str], rows: list[list[str]], width: int) -> list[str]:
    """One block of `column: value` lines per row, blocks apart by a blank line."""
    indent = max(map(len, names)) + len(": ")
    lines: list[str] = []
    for row in rows:
        if lines:
            lines.append("")
        own, span = _split(row, len(names))
        for name, cell in zip(names, own, strict=False):
            lines += _field(name, cell, indent, width)
        if span is not None:
            lines += _field(None, span, indent, width)
    return lines


def _field(label: str | None, value: str, indent: int, width: int) -> list[str]:
    """`label: value`, the value wrapped in its own column where its words fit.

    Where they do not (a long label or a long word), the label has its own lines and
    the value follows below. A spanning cell (no label) sits where values do.
    """
    longest = _longest_word(value)
    if indent + longest <= width:
        head = " " * indent if label is None else f"{label}:".ljust(indent)
        first, *rest = _lines(value, width - indent) or [""]
        return [(head + first).rstrip(), *(" " * indent + line for line in rest)]
    lines = [] if label is None else _lines(f"{label}:", width)
    hang = _HANG if len(_HANG) + longest <= width else ""
    return lines + [hang + line for line in _lines(value, width - len(hang))]


def markdown_text(text: str) -> str:
    r"""Plain text made safe in Markdown: no value can become markup.

    What `markdown_table` does to every cell: `safe_text`, `&` as `&amp;`, a
    backslash before ``\ ` * _ [ ] < > | ~ $``, and a line break as `<br>`.

    Added in version 0.2.0.

    Examples:
        >>> markdown_text("a_b | *c*")
        'a\\_b \\| \\*c\\*'
    """
    return "<br>".join(
        _MARKDOWN_SPECIAL.sub(r"\\\1", safe_text(part).replace("&", "&amp;"))
        for part in _LINE_BREAK.split(text)
    )
