r"""Tables as aligned text, Markdown, CSV and HTML: the one output layer of clusterkit.

The renderers of a validation `Report` and of a `KPIResult`, and the command line,
all build a `Table` and write it with `text_table`, `markdown_table`, `csv_table`
or `html_table` (a notebook's rich display), so layout, alignment and escaping are decided once, here. Cells carry values read
from untrusted files: text and Markdown make control characters, lone surrogates
and invisible characters (bidirectional overrides and marks, zero-width spaces)
visible (`safe_text`); CSV, for programs, keeps values exactly and quotes what
needs it. Given a width (`terminal_width` gives a terminal's), `text_table` wraps
its widest text columns or, failing that, prints one record per row, measuring
text as a terminal shows it (a wide character takes two columns). Numbers show as
`number_text` writes them. The module imports nothing from clusterkit, so any may
use it.

Added in version 0.2.0.
"""

from __future__ import annotations

import csv
import html
import io
import itertools
import re
import shutil
import unicodedata
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
    "number_text",
    "safe_text",
    "terminal_width",
    "text_table",
    "wrapped_text",
]

Align: TypeAlias = Literal["left", "right", "auto"]
"""How a column's cells line up: `auto` right-aligns a column of numbers."""

MIN_COLUMN_WIDTH = 10
"""`text_table` wraps no text column narrower than this or its longest word."""

# C0 and C1 controls, DEL, lone surrogates and the two noncharacters XML 1.0
# forbids; then, invisible, so that two different values would look alike, the
# line and paragraph separators and every format character (category Cf of
# Unicode 15, which a test checks against the running Python's: bidirectional
# overrides, isolates and marks, zero-width spaces and joiners, the byte order
# mark, the soft hyphen, tags …).
_UNSAFE = re.compile(
    "[\x00-\x1f\x7f-\x9f\ud800-\udfff\ufffe\uffff"
    "\u2028\u2029"
    "\u00ad\u0600-\u0605\u061c\u06dd\u070f\u0890\u0891\u08e2\u180e"
    "\u200b-\u200f\u202a-\u202e\u2060-\u2064\u2066-\u206f\ufeff\ufff9-\ufffb"
    "\U000110bd\U000110cd\U00013430-\U0001343f\U0001bca0-\U0001bca3"
    "\U0001d173-\U0001d17a\U000e0001\U000e0020-\U000e007f]"
)
_LATIN_1 = 0xFF  # the highest code point written as \xNN rather than \uNNNN
_BMP = 0xFFFF  # the highest written as \uNNNN rather than \UNNNNNNNN
_SHORT_ESCAPES = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}
_MARKDOWN_SPECIAL = re.compile(r"([\\`*_\[\]<>|~$])")
_LINE_BREAK = re.compile(r"\r\n|\r|\n")
_SEPARATOR = "  "  # between two columns of a text table
_HANG = "  "  # before a record's value printed under its label
# The whitespace textwrap breaks lines at, each replaced by a space, as it does.
_BREAKS = str.maketrans(dict.fromkeys("\t\n\x0b\x0c\r", " "))
_SPACES = re.compile("( +)")
_SHOWN_SMALL = 0.005  # below it, two decimal places would show 0.00
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

    Unsafe are C0 and C1 controls, DEL, lone surrogates, U+FFFE and U+FFFF, and
    the invisible characters that would make two different values look alike: the
    line and paragraph separators (U+2028, U+2029) and every format character
    (Unicode category Cf), that is bidirectional overrides, isolates and marks,
    zero-width spaces, the byte order mark and the soft hyphen, and the zero-width
    joiner and non-joiner too, so an emoji sequence shows its parts (`👩\u200d💻`).
    A newline, carriage return and tab become `\n`, `\r` and `\t`, the others
    `\xNN`, `\uNNNN` or `\UNNNNNNNN`, as Python writes them. Letters, accents,
    CJK and emoji are left as they are.

    Added in version 0.2.0.

    Args:
        text: The text to show in a terminal or a document.
        keep: Characters to leave as they are (say, newlines in a multi-line field).

    Examples:
        >>> print(safe_text("red\x1b[31m\nline\u202e"))
        red\x1b[31m\nline\u202e
        >>> print(safe_text("P01\u200b and P01"))
        P01\u200b and P01
    """

    def escape(match: re.Match[str]) -> str:
        char = match.group()
        if char in keep:
            return char
        if char in _SHORT_ESCAPES:
            return _SHORT_ESCAPES[char]
        code = ord(char)
        if code <= _LATIN_1:
            return f"\\x{code:02x}"
        return f"\\u{code:04x}" if code <= _BMP else f"\\U{code:08x}"

    # Most text is printable ASCII, which holds none of them: a test at C speed
    # spares the regular expression (a long class of ranges) for it.
    if text.isascii() and text.isprintable():
        return text
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
    Widths are what a terminal shows: a wide character (East Asian Width W or F,
    such as CJK) takes two columns, a combining mark none.

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
    natural = [max(map(_display_width, column)) for column in columns]
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
    """A line of prose through `safe_text`, wrapped at `width` columns, words kept whole.

    For the sentences around tables (a scope, a note, a source), so that they
    fit the terminal and escape what they quote as `text_table` does its
    tables; a URL is one word; `None` never wraps.

    Added in version 0.2.0.

    Example:
        >>> print(wrapped_text("Reconciled with: the first generation's results", 20))
        Reconciled with: the
        first generation's
        results
    """
    text = safe_text(text)
    return "\n".join(_lines(text, width)) if text.strip() else text


def _display_width(text: str) -> int:
    """How many columns of a terminal `text` takes.

    A wide or fullwidth character (East Asian Width W or F: CJK, most emoji)
    takes two columns, a combining mark (an accent written after its letter) or
    a format character none, any other character one. A character followed by
    VARIATION SELECTOR-16 (U+FE0F: `❤️`) is shown as an emoji, two columns.
    """
    if text.isascii():  # the common case, one column a character
        return len(text)
    width = sum(map(_char_width, text))
    if _EMOJI_STYLE in text:
        width += sum(
            1
            for before, char in itertools.pairwise(text)
            if char == _EMOJI_STYLE and _char_width(before) == 1
        )
    return width


_EMOJI_STYLE = "\ufe0f"  # VARIATION SELECTOR-16: the character before it as an emoji


def _char_width(char: str) -> int:
    if unicodedata.category(char) in {"Mn", "Me", "Cf"}:
        return 0
    return 2 if unicodedata.east_asian_width(char) in {"W", "F"} else 1


def number_text(value: float | None) -> str:
    """A number as clusterkit's tables show it: `1,469`, `3.31`, `0.00011`, `undefined`.

    A whole number in full, with thousands separators; any other with two decimal
    places, but one that is not 0 never shows as 0.00: below 0.005, it shows
    two significant digits.

    Added in version 0.2.0.

    Examples:
        >>> number_text(1469), number_text(3.3125), number_text(0.000111)
        ('1,469', '3.31', '0.00011')
        >>> number_text(None), number_text(0.0)
        ('undefined', '0.00')
    """
    if value is None:
        return "undefined"
    if isinstance(value, float):
        if value and abs(value) < _SHOWN_SMALL:
            return f"{value:.2g}"
        return f"{value:,.2f}"
    return f"{value:,}"


def _is_number(text: str) -> bool:
    """Whether a cell is a number as `number_text` writes it (`1e-05` too)."""
    if text == "undefined":
        return True
    mantissa, exponent_mark, exponent = text.partition("e")
    digits = mantissa.lstrip("+-").replace(",", "").replace(".", "")
    if exponent_mark and not exponent.lstrip("+-").isdigit():
        return False
    return digits.isdigit()


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
    """`text` wrapped at `width` display columns, words kept whole; nothing for blank text.

    As `textwrap.wrap(text, width, break_long_words=False,
    break_on_hyphens=False)` wraps, which measures with `len`: a line breaks at
    whitespace, a line after the first starts with no space and none ends with
    one, and a word longer than the line has a line of its own.
    """
    if width is None:
        return [text]
    width = max(width, 1)
    chunks = [c for c in _SPACES.split(text.expandtabs().translate(_BREAKS)) if c]
    chunks.reverse()
    lines: list[str] = []
    while chunks:
        if lines and not chunks[-1].strip():
            chunks.pop()
        line: list[str] = []
        used = 0
        while chunks and used + _display_width(chunks[-1]) <= width:
            used += _display_width(chunks[-1])
            line.append(chunks.pop())
        if not line and chunks:
            line.append(chunks.pop())
        if line and not line[-1].strip():
            line.pop()
        if line:
            lines.append("".join(line))
    return lines


def _longest_word(text: str) -> int:
    # After safe_text the only whitespace _lines breaks at is the space.
    return max(map(_display_width, text.split(" ")))


def _join(title: list[str], body: list[str]) -> str:
    return "\n".join([*title, "", *body] if title and body else title + body)


def _fits(lines: Iterable[str], width: int) -> bool:
    return all(_display_width(line) <= width for line in lines)


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
        max(
            _display_width(line)
            for cell in column
            for line in _lines(cell, size) or [""]
        )
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
                parts[index] = _padded(parts[index], size, right=right[index])
            lines.append(_SEPARATOR.join(parts).rstrip())
        return lines

    lines = physical(names)
    if rule:
        lines.append(_SEPARATOR.join("-" * size for size in widths).rstrip())
    for row in rows:
        lines += physical(row)
    return lines


def _padded(text: str, size: int, *, right: bool = False) -> str:
    """`text` padded with spaces to `size` display columns, on the left if `right`."""
    padding = " " * (size - _display_width(text))
    return padding + text if right else text + padding


def _records(names: list[str], rows: list[list[str]], width: int) -> list[str]:
    """One block of `column: value` lines per row, blocks apart by a blank line."""
    indent = max(map(_display_width, names)) + len(": ")
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
        head = " " * indent if label is None else _padded(f"{label}:", indent)
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
