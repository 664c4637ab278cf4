"""Private: the parts of an `.xlsx` workbook, read as streams within `Limits`.

The reader does not use openpyxl's reading mode: openpyxl loads every sheet's
object and the whole shared-string table up front, and its rows fill the gaps
between row numbers (a row numbered 2,000,000,000 makes it generate two billion
empty rows). Here each part is a zip member behind a counter of inflated bytes,
parsed by defusedxml's parser (no DTD, no entity, no external reference) feeding
callbacks that keep only the text of values: whitespace or unknown elements cost
nothing, and a sheet's rows are yielded as they are given, each with its number.
"""

from __future__ import annotations

import collections
import io
import posixpath
import re
import zipfile
from collections.abc import Callable, Iterator
from typing import IO, Any

import attrs

from clusterkit._limits import Limits
from clusterkit.errors import DatasetReadError
from clusterkit.io._limits import raise_with
from clusterkit.values import Location

__all__ = [
    "Malformed",
    "Sheet",
    "SheetRow",
    "Workbook",
    "column_number",
    "escape_text",
    "open_workbook",
    "unescape_text",
]

_RATIO_FLOOR = 1 << 20  # parts smaller than this may inflate at any ratio
_BLOCK = 1 << 16
_WORKBOOK = "xl/workbook.xml"
_RELATIONSHIPS = "xl/_rels/workbook.xml.rels"
_SHARED_STRINGS = "sharedStrings"
_STYLES = "styles"

CellValue = Any
SheetRow = tuple[int, dict[int, CellValue], "tuple[int, str] | None"]
"""A row as given: its number, its cells by column, its first uncalculated formula."""


class Malformed(Exception):  # noqa: N818 - a reason, not an error of the program
    """A part of the workbook is not what the format says (a bad reference).

    `location` is the cell it is in, when it is in one.
    """

    def __init__(self, message: str, location: Location | None = None) -> None:
        super().__init__(message)
        self.location = location


@attrs.frozen
class SpreadsheetError:
    """A cell that holds a spreadsheet's error (`#N/A`, `#REF!`): a formula that failed.

    It is no value of the data; the reader reports it at its cell.
    """

    text: str


def _defused_parser(target: object) -> Any:
    try:
        from defusedxml.ElementTree import (  # noqa: PLC0415 - optional, imported on use
            DefusedXMLParser,
        )
    except ImportError:  # pragma: no cover - the test environment has the extra
        hint = "reading .xlsx needs defusedxml: pip install 'clusterkit-eu[excel]'"
        raise DatasetReadError(hint) from None
    return DefusedXMLParser(target=target, forbid_dtd=True)


@attrs.frozen
class Sheet:
    """A sheet of the workbook: its name and the zip member of its XML."""

    name: str
    part: str | None


@attrs.define
class Workbook:
    """An opened workbook: its sheets, and what reading a sheet's cells needs."""

    display: str
    archive: zipfile.ZipFile
    limits: Limits
    sheets: list[Sheet]
    epoch_1904: bool = False
    date_styles: frozenset[int] = frozenset()
    timedelta_styles: frozenset[int] = frozenset()
    shared_strings: list[str] = attrs.field(factory=list)

    def rows(self, sheet: Sheet) -> Iterator[SheetRow]:
        """The rows of a sheet as given (empty rows between them are not made up).

        Raises:
            DatasetReadError: A limit is crossed.
            Malformed: The sheet has no part, or a cell does not fit its type.
        """
        if sheet.part is None:
            msg = f"the sheet {sheet.name!r} names no part of the archive"
            raise Malformed(msg)
        target = _SheetTarget(self, sheet)
        yield from _parse(self, sheet.part, target, target.ready, sheet.name)


def column_number(letters: str) -> int:
    """The number of a column from its letters (`A` is 1, `XFD` 16,384)."""
    number = 0
    for letter in letters:
        number = number * 26 + ord(letter) - ord("A") + 1
    return number


def open_workbook(handle: IO[bytes], display: str, limits: Limits) -> Workbook:
    """Open a workbook: check its directory, then read its small parts.

    Raises:
        DatasetReadError: A limit is crossed, or a part the format needs is missing.
        Malformed: A part is not what the format says.
    """
    archive = zipfile.ZipFile(handle)
    try:
        _check_directory(archive, display, limits)
        workbook = Workbook(display, archive, limits, [])
        relationships = _RelationshipTarget()
        if _RELATIONSHIPS in archive.NameToInfo:
            _drain(workbook, _RELATIONSHIPS, relationships)
        book = _WorkbookTarget(limits, display)
        _drain(workbook, _WORKBOOK, book)
        workbook.epoch_1904 = book.epoch_1904
        workbook.sheets = [
            Sheet(name, relationships.targets.get(rid or ""))
            for name, rid in book.sheets
        ]
        styles = relationships.part(_STYLES)
        if styles in archive.NameToInfo:
            style_target = _StylesTarget()
            _drain(workbook, styles, style_target)
            workbook.date_styles, workbook.timedelta_styles = style_target.kinds()
        strings = relationships.part(_SHARED_STRINGS)
        if strings in archive.NameToInfo:
            _drain(workbook, strings, _StringsTarget(workbook))
    except BaseException:
        archive.close()
        raise
    return workbook


def _limit(display: str, sheet: str | None, line: int | None, problem: str) -> Any:
    return DatasetReadError.at(Location(file=display, sheet=sheet, line=line), problem)


def _check_directory(archive: zipfile.ZipFile, display: str, limits: Limits) -> None:
    """Refuse from the directory alone a part too large, or too many sheets."""
    infos = archive.infolist()
    for info in infos:
        if info.file_size > limits.max_member_bytes:
            problem = (
                f"the part {info.filename} would inflate to {info.file_size:,} bytes; "
                f"{raise_hint('max_member_bytes', limits.max_member_bytes)}"
            )
            raise _limit(display, None, None, problem)
        if _too_inflated(info.file_size, info.compress_size, limits):
            raise _limit(
                display, None, None, _ratio_problem(info, info.file_size, limits)
            )
    sheets = sum(info.filename.startswith("xl/worksheets/sheet") for info in infos)
    if sheets > limits.max_sheets:
        problem = (
            f"the workbook has {sheets:,} sheets; "
            f"{raise_hint('max_sheets', limits.max_sheets)}"
        )
        raise _limit(display, None, None, problem)


def _too_inflated(size: int, stored: int, limits: Limits) -> bool:
    return size > _RATIO_FLOOR and size > limits.max_inflate_ratio * max(stored, 1)


def _ratio_problem(info: zipfile.ZipInfo, size: int, limits: Limits) -> str:
    return (
        f"the part {info.filename} inflates to {size:,} bytes from "
        f"{info.compress_size:,} (a zip bomb?); "
        f"{raise_hint('max_inflate_ratio', limits.max_inflate_ratio)}"
    )


class _Bounded(io.RawIOBase):
    """A zip member that stops with a limit error past its limits of bytes and ratio."""

    def __init__(
        self,
        raw: IO[bytes],
        info: zipfile.ZipInfo,
        display: str,
        limits: Limits,
    ) -> None:
        self._raw = raw
        self._info = info
        self._display = display
        self._limits = limits
        self._count = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer: Any) -> int:
        data = self._raw.read(len(buffer))
        self._count += len(data)
        limits = self._limits
        if self._count > limits.max_member_bytes:
            problem = (
                f"the part {self._info.filename} inflates to more than "
                f"{limits.max_member_bytes:,} bytes; "
                f"{raise_hint('max_member_bytes', limits.max_member_bytes)}"
            )
            raise _limit(self._display, None, None, problem)
        if _too_inflated(self._count, self._info.compress_size, limits):
            problem = _ratio_problem(self._info, self._count, limits)
            raise _limit(self._display, None, None, problem)
        buffer[: len(data)] = data
        return len(data)

    def close(self) -> None:
        self._raw.close()
        super().close()


def _parse(
    workbook: Workbook,
    part: str,
    target: object,
    ready: list[Any],
    sheet: str | None = None,
) -> Iterator[Any]:
    """Feed a part to a parser block by block, yielding what each block completes."""
    try:
        info = workbook.archive.getinfo(part)
    except KeyError:
        where = f"the sheet {sheet!r}" if sheet else "the workbook"
        msg = f"{where} names the part {part}, which the archive does not hold"
        raise Malformed(msg) from None
    parser = _defused_parser(target)
    raw = workbook.archive.open(info)
    with _Bounded(raw, info, workbook.display, workbook.limits) as stream:
        for block in iter(lambda: stream.read(_BLOCK), b""):
            try:
                parser.feed(block)
            except Exception:
                # The rows the block completed before the problem (a limit, a
                # bad cell) are read; the problem is raised after them.
                yield from ready
                ready.clear()
                raise
            yield from ready
            ready.clear()
        parser.close()
        yield from ready
        ready.clear()


def _drain(workbook: Workbook, part: str, target: object) -> None:
    # The small parts are read for what their callbacks keep, not for rows.
    collections.deque(_parse(workbook, part, target, []), maxlen=0)


def _local(tag: str) -> str:
    return tag.rpartition("}")[2]


# OOXML's escape of a character in cell text: `_x000D_` is a carriage return,
# which XML itself would read as a line feed; `_x005F_` is `_`, so that text
# holding `_x000D_` as it is can be written too. Excel writes and reads them.
_ESCAPED = re.compile("_x([0-9A-Fa-f]{4})_")
_TO_ESCAPE = re.compile("_(?=x[0-9A-Fa-f]{4}_)|\r")


def unescape_text(text: str) -> str:
    r"""Cell text with OOXML's `_xHHHH_` escapes read as their characters.

    Examples:
        >>> unescape_text("one_x000D_two"), unescape_text("_x005F_x000D_")
        ('one\rtwo', '_x000D_')
    """
    return _ESCAPED.sub(lambda found: chr(int(found.group(1), 16)), text)


def escape_text(text: str) -> str:
    r"""Cell text with what XML would not keep escaped, as `unescape_text` reads it.

    A carriage return becomes `_x000D_` (XML reads a bare one as a line feed),
    and a `_` that starts an escape's spelling becomes `_x005F_`.

    Examples:
        >>> escape_text("one\r\ntwo"), escape_text("_x000D_")
        ('one_x000D_\ntwo', '_x005F_x000D_')
    """
    return _TO_ESCAPE.sub(
        lambda found: "_x005F_" if found.group() == "_" else "_x000D_", text
    )


class _TextTarget:
    """Parser callbacks that keep the text of some elements only, bounded."""

    def __init__(
        self,
        max_chars: int,
        describe: Callable[[], str],
        locate: Callable[[], Location | None] = lambda: None,
    ) -> None:
        self._parts: list[str] | None = None
        self._size = 0
        self._max_chars = max_chars
        self._describe = describe
        self._locate = locate

    def collect(self) -> None:
        self._parts = []
        self._size = 0

    def collected(self) -> str:
        text = "".join(self._parts or ())
        self._parts = None
        return unescape_text(text) if "_x" in text else text

    def data(self, text: str) -> None:
        if self._parts is None:
            return
        self._size += len(text)
        if self._size > self._max_chars:
            problem = (
                f"{self._describe()} holds more than {self._max_chars:,} characters; "
                f"{raise_hint('max_cell_chars', self._max_chars)}"
            )
            where = self._locate()
            if where is None:
                raise DatasetReadError(problem)
            raise DatasetReadError.at(where, problem)
        self._parts.append(text)

    def close(self) -> None:
        """Nothing is built from the parts as a whole."""


class _RelationshipTarget:
    """The parts the workbook refers to, by relationship id."""

    def __init__(self) -> None:
        self.targets: dict[str, str] = {}
        self.types: dict[str, str] = {}

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        if _local(tag) != "Relationship":
            return
        target = attributes.get("Target", "")
        if target.startswith("/"):
            part = target.lstrip("/")
        else:
            part = posixpath.normpath(posixpath.join("xl", target))
        rid = attributes.get("Id", "")
        self.targets[rid] = part
        self.types[_local(attributes.get("Type", "").replace("/", "}"))] = part

    def part(self, kind: str) -> str:
        return self.types.get(kind, f"xl/{kind}.xml")

    def end(self, tag: str) -> None:
        """Relationships are read from their start tags."""

    def data(self, text: str) -> None:
        """Relationships hold no text."""

    def close(self) -> None:
        """Nothing is built from the parts as a whole."""


class _WorkbookTarget:
    """The sheets of `xl/workbook.xml` in order, and its calendar."""

    def __init__(self, limits: Limits, display: str) -> None:
        self.sheets: list[tuple[str, str | None]] = []
        self.epoch_1904 = False
        self._limits = limits
        self._display = display

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        name = _local(tag)
        if name == "workbookPr":
            self.epoch_1904 = attributes.get("date1904", "0").lower() in {"1", "true"}
        elif name == "sheet":
            if len(self.sheets) >= self._limits.max_sheets:
                problem = (
                    f"the workbook has more than {self._limits.max_sheets:,} sheets; "
                    f"{raise_hint('max_sheets', self._limits.max_sheets)}"
                )
                raise _limit(self._display, None, None, problem)
            rid = next(
                (value for key, value in attributes.items() if key.endswith("}id")),
                None,
            )
            self.sheets.append((attributes.get("name", ""), rid))

    def end(self, tag: str) -> None:
        """The workbook is read from its start tags."""

    def data(self, text: str) -> None:
        """The workbook's text is not needed."""

    def close(self) -> None:
        """Nothing is built from the parts as a whole."""


class _StylesTarget:
    """Which cell styles show a number as a date or a duration."""

    def __init__(self) -> None:
        self.custom: dict[int, str] = {}
        self.styles: list[int] = []
        self._in_cell_styles = False

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        name = _local(tag)
        if name == "cellXfs":
            self._in_cell_styles = True
        elif name == "numFmt":
            self.custom[_int(attributes.get("numFmtId"))] = attributes.get(
                "formatCode", ""
            )
        elif name == "xf" and self._in_cell_styles:
            self.styles.append(_int(attributes.get("numFmtId")))

    def end(self, tag: str) -> None:
        if _local(tag) == "cellXfs":
            self._in_cell_styles = False

    def data(self, text: str) -> None:
        """Styles are read from their start tags."""

    def close(self) -> None:
        """Nothing is built from the parts as a whole."""

    def kinds(self) -> tuple[frozenset[int], frozenset[int]]:
        from openpyxl.styles.numbers import (  # noqa: PLC0415 - optional, imported on use
            BUILTIN_FORMATS,
            is_date_format,
            is_timedelta_format,
        )

        dates, durations = set(), set()
        for index, number_format in enumerate(self.styles):
            code = self.custom.get(number_format, BUILTIN_FORMATS.get(number_format))
            if is_date_format(code):
                dates.add(index)
            if is_timedelta_format(code):
                durations.add(index)
        return frozenset(dates), frozenset(durations)


def _int(text: str | None) -> int:
    try:
        return int(text or "0")
    except ValueError:
        msg = f"{text!r} where the workbook's XML needs a whole number"
        raise Malformed(msg) from None


class _StringsTarget(_TextTarget):
    """The shared-string table: each `si`'s text, without its phonetic runs."""

    def __init__(self, workbook: Workbook) -> None:
        super().__init__(workbook.limits.max_cell_chars, lambda: "a shared string")
        self._workbook = workbook
        self._strings = workbook.shared_strings
        self._pieces: list[str] = []
        self._phonetic = 0

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        del attributes
        name = _local(tag)
        if name == "si":
            self._pieces = []
        elif name == "rPh":
            self._phonetic += 1
        elif name == "t" and not self._phonetic:
            self.collect()

    def end(self, tag: str) -> None:
        name = _local(tag)
        if name == "t" and not self._phonetic:
            self._pieces.append(self.collected())
        elif name == "rPh":
            self._phonetic -= 1
        elif name == "si":
            limits = self._workbook.limits
            if len(self._strings) >= limits.max_shared_strings:
                problem = (
                    f"the workbook has more than {limits.max_shared_strings:,} "
                    f"shared strings; "
                    f"{raise_hint('max_shared_strings', limits.max_shared_strings)}"
                )
                raise _limit(self._workbook.display, None, None, problem)
            self._strings.append("".join(self._pieces))


class _SheetTarget(_TextTarget):
    """A sheet's rows, each as it is given, appended to `ready` as it ends."""

    def __init__(self, workbook: Workbook, sheet: Sheet) -> None:
        super().__init__(workbook.limits.max_cell_chars, self._here, self._cell)
        self._workbook = workbook
        self._sheet = sheet.name
        self.ready: list[SheetRow] = []
        self._rows = 0
        self._line = 0
        self._column = 0
        self._cells: dict[int, CellValue] = {}
        self._uncalculated: tuple[int, str] | None = None
        self._type = "n"
        self._style = 0
        self._value: str | None = None
        self._formula: str | None = None
        self._inline: list[str] = []
        self._in_inline = False
        self._phonetic = 0

    def _here(self) -> str:
        return f"the cell {self._sheet}!{_letters(self._column)}{self._line}"

    def _cell(self) -> Location:
        return Location(
            file=self._workbook.display,
            sheet=self._sheet,
            line=self._line,
            column=self._column,
            cell=f"{_letters(self._column)}{self._line}",
        )

    def start(self, tag: str, attributes: dict[str, str]) -> None:
        name = _local(tag)
        if name == "row":
            self._start_row(attributes.get("r"))
        elif name == "c":
            self._start_cell(attributes)
        elif name in {"v", "f"}:
            self.collect()
        elif name == "is":
            self._in_inline = True
        elif name == "rPh":
            self._phonetic += 1
        elif name == "t" and self._in_inline and not self._phonetic:
            self.collect()

    def _start_row(self, number: str | None) -> None:
        limits = self._workbook.limits
        self._rows += 1
        self._line = _int(number) if number else self._line + 1
        if self._rows > limits.max_rows:
            problem = (
                f"the sheet {self._sheet!r} has more than {limits.max_rows:,} rows; "
                f"{raise_hint('max_rows', limits.max_rows)}"
            )
            raise _limit(self._workbook.display, self._sheet, self._line, problem)
        self._column = 0
        self._cells = {}
        self._uncalculated = None

    def _start_cell(self, attributes: dict[str, str]) -> None:
        reference = attributes.get("r")
        if reference:
            letters = reference.rstrip("0123456789")
            if not letters.isalpha() or not letters.isupper() or len(letters) > 7:  # noqa: PLR2004 - beyond any limit
                msg = f"{reference!r} is not a cell reference"
                raise Malformed(msg)
            self._column = column_number(letters)
        else:
            self._column += 1
        limits = self._workbook.limits
        if self._column > limits.max_columns:
            problem = (
                f"the sheet {self._sheet!r} has a cell in column "
                f"{self._column:,}; {raise_hint('max_columns', limits.max_columns)}"
            )
            raise DatasetReadError.at(self._cell(), problem)
        self._type = attributes.get("t", "n")
        self._style = _int(attributes.get("s"))
        self._value = self._formula = None
        self._inline = []

    def end(self, tag: str) -> None:
        name = _local(tag)
        if name == "v":
            self._value = self.collected()
        elif name == "f":
            self._formula = self.collected()
        elif name == "t" and self._in_inline and not self._phonetic:
            self._inline.append(self.collected())
        elif name == "rPh":
            self._phonetic -= 1
        elif name == "is":
            self._in_inline = False
        elif name == "c":
            self._end_cell()
        elif name == "row":
            self.ready.append((self._line, self._cells, self._uncalculated))

    def _end_cell(self) -> None:
        value = self._cell_value()
        if value is None and self._formula is not None:
            if self._uncalculated is None:
                self._uncalculated = (self._column, f"={self._formula}")
        elif value is not None:
            self._cells[self._column] = value

    def _cell_value(self) -> CellValue:  # noqa: PLR0911 - one return per cell type
        kind = self._type
        if kind == "inlineStr":
            return "".join(self._inline)
        text = self._value
        if not text:
            # `<v/>` in a formula's text cell is a saved result, the empty text
            # (`=IF(…, "", …)`): a blank cell. No `<v>` at all is no result.
            return "" if text == "" and kind == "str" else None
        try:
            if kind == "s":
                return self._shared_string(int(text))
            if kind == "b":
                return bool(int(text))
            if kind == "str":
                return text
            if kind == "e":
                return SpreadsheetError(text)
            if kind == "d":
                from openpyxl.utils.datetime import from_ISO8601  # noqa: PLC0415 - optional, imported on use

                parse_iso: Any = from_ISO8601  # untyped in openpyxl's stubs
                return parse_iso(text)
            number = float(text) if {".", "e", "E"} & set(text) else int(text)
        except (ValueError, IndexError):
            msg = f"{self._here()} holds {text!r}, which is not a valid {kind!r} value"
            raise Malformed(msg, self._cell()) from None
        return self._number(number)

    def _shared_string(self, index: int) -> str:
        # A negative index is no string of the table (Python's would count back).
        if index < 0:
            raise IndexError(index)
        text: str = self._workbook.shared_strings[index]
        return text

    def _number(self, number: float) -> CellValue:
        if self._style not in self._workbook.date_styles:
            return number
        from openpyxl.utils.datetime import (  # noqa: PLC0415 - optional, imported on use
            CALENDAR_MAC_1904,
            CALENDAR_WINDOWS_1900,
            from_excel,
        )

        epoch = (
            CALENDAR_MAC_1904 if self._workbook.epoch_1904 else CALENDAR_WINDOWS_1900
        )
        try:
            return from_excel(
                number, epoch, timedelta=self._style in self._workbook.timedelta_styles
            )
        except (OverflowError, ValueError):
            return "#VALUE!"  # what Excel shows for a date out of its range


def _letters(column: int) -> str:
    letters = ""
    while column > 0:
        column, rest = divmod(column - 1, 26)
        letters = chr(ord("A") + rest) + letters
    return letters


def raise_hint(name: str, value: int) -> str:
    """Name a limit of `Limits`, its value, and how to raise it."""
    return f"the limit {name} is {value:,} {raise_with(name)}"
