"""Private: `import_partnerships`, published partnership lists into a dataset.

Published lists are partnership-centric: one record per partnership, members
inline by name and country, a coordinator by name, a generation as a number, a
strand as a name, a period as free text. The importer turns them into the
clusterkit tables, and writes down every merge, inference and value it could
not use in its notes, so nothing is lost silently.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
import math
import re
from collections import Counter, defaultdict
from collections.abc import Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any, Literal

import attrs
from pydantic import BaseModel, TypeAdapter, ValidationError
from pydantic_core import ErrorDetails

from clusterkit._limits import current_limits
from clusterkit.countries import normalise_country
from clusterkit.errors import CountryError, DatasetReadError
from clusterkit.io._fields import field_shape
from clusterkit.io._formats.csv_files import separator_name, separator_of
from clusterkit.io._limits import (
    Pairs,
    checked_record,
    csv_cells,
    csv_rows,
    field_at,
    json_int,
    object_pairs,
    raise_with,
    too_deep_message,
)
from clusterkit.io._member import Member, undecodable_error
from clusterkit.io._organisations import cluster_id, has_legal_form, organisation_key
from clusterkit.io._periods import PeriodReading, read_period
from clusterkit.io._problems import cell_problem, raise_problem
from clusterkit.io._rows import column_letter, json_kind, table_of_model
from clusterkit.io._xlsx_parts import SpreadsheetError, Workbook
from clusterkit.models import (
    Cluster,
    Dataset,
    Partnership,
    Priority,
    ThirdCountryTarget,
    Website,
)
from clusterkit.reference import generations as shipped_generations
from clusterkit.reference import provenance
from clusterkit.render import safe_text
from clusterkit.values import Location

__all__ = [
    "ImportNote",
    "ImportResult",
    "NoteKind",
    "export_partnerships",
    "import_partnerships",
]

NoteKind = Literal["merged", "inferred", "not-read", "unplaced", "kept-aside"]
"""What a note is about: see `ImportNote.kind`."""

# The fields of a published record the importer reads; any other is kept aside.
_READ = frozenset(
    {
        "id", "acronym", "name", "generation", "strand", "funding", "members",
        "coordinator", "period", "start", "end", "target_countries", "sectors",
        "sources", "eu_grant_eur", "grant_eur", "website", "ecosystems",
        "smes_reached", "members_partial",
    }
)  # fmt: skip
# `<field>_basis`, whether a field's value was stated or inferred: the register
# gives it for the generation, strand and funding, `export_partnerships` for
# every field a partnership names in `inferred`.
_BASES = {
    f"{field}_basis": field for field in Partnership.model_fields if field != "inferred"
}
# A `<field>_basis` that says its value was inferred, or is not confirmed,
# wherever it says so: "inferred: ...", "stated: ... (= strand B, inferred)",
# "... status not explicitly confirmed", "... plausible but unconfirmed".
_UNCONFIRMED = re.compile(
    r"\binferred\b|\bunconfirmed\b|\bnot (?:explicitly )?confirmed\b", re.IGNORECASE
)
# An ESCP-4i generation's number, 1 to 4, in ASCII digits: `01` is 1, but not
# `²` or `①`, which `str.isdigit` takes and `int` refuses, nor a fullwidth one (U+FF11).
_ESCP_NUMBER = re.compile(r"0*[1-4]")
# The keys of a JSON document the importer reads or that describe it (as the
# register's do); any other is noted.
_DOCUMENT_KEYS = frozenset({"partnerships", "version", "description"})
# How much of a CSV file's start is looked at for its header line.
_HEAD_CHARS = 1 << 16


@attrs.frozen
class ImportNote:
    """One thing the importer did that a person should know.

    Added in version 0.2.0.

    Attributes:
        record: The partnership it is about (its acronym, or `#N` for the Nth
            record), or `None` for the whole import.
        field: The published field, or `None`.
        kind: `"merged"` (variant names taken for one organisation),
            `"inferred"` (a value worked out, not stated), `"not-read"` (a value
            the importer could not read, left out), `"unplaced"` (a name it
            could not tie to one organisation) or `"kept-aside"` (a published
            field the model has no place for).
        message: What happened, for a person.
    """

    record: str | None
    field: str | None
    kind: NoteKind
    message: str

    def __str__(self) -> str:
        # The acronym and the field's name come from the file, as the values
        # the message quotes do: their escape sequences must not reach a terminal.
        where = ": ".join(part for part in (self.record, self.field) if part)
        text = f"{where}: {self.kind}: {self.message}" if where else self.message
        return safe_text(text)


@attrs.frozen
class ImportResult:
    """The imported dataset and the notes of the import.

    Added in version 0.2.0.
    """

    dataset: Dataset
    notes: tuple[ImportNote, ...]

    def notes_of(self, kind: NoteKind) -> tuple[ImportNote, ...]:
        """The notes of one kind."""
        return tuple(note for note in self.notes if note.kind == kind)


def import_partnerships(
    source: str | Path | Iterable[Mapping[str, Any]],
    *,
    members_partial: bool = False,
) -> ImportResult:
    """Read a published, partnership-centric list into a clusterkit dataset.

    Each record is one partnership: `acronym`, `name`, `generation` (a number
    1 to 4 for the ESCP-4i generations, or a generation id), `strand` (an id of
    the generation's strands, or its name: `preparation`), `funding`,
    `members` (each a name and a `country`), `coordinator` (a name),
    `period` (free text: "2016-01 to 2017", "2016-02-01, 24 months") or
    `start`/`end`, `target_countries`, `sectors`, `sources` (web addresses),
    `eu_grant_eur`, and `*_basis` notes saying whether a value was inferred.

    Members with the same organisation key in one country are one cluster,
    whose id is stable (`DE-balticnetplasmatec`), whatever the order of the
    records. Every merge, inference, unread value and unused field is a note.

    Added in version 0.2.0.

    Args:
        source: A `.json` file (a list of records, or `{"partnerships": [...]}`),
            a `.jsonl` file (a record per line), a `.csv` file or an `.xlsx`
            workbook (a row per record; lists `;`-separated, members as
            `Name (CC); Name (CC)`), or the records themselves.
        members_partial: The sources name only some members of each
            partnership: the member-count rules then do not apply.

    Returns:
        The dataset (partnerships, member clusters, targets, the generations
        used) and the notes.

    Raises:
        DatasetReadError: The file cannot be read as records.

    Examples:
        >>> result = import_partnerships([
        ...     {"acronym": "AdPack", "name": "Advanced Packaging", "generation": 1,
        ...      "members": [{"name": "Plastiwin", "country": "BE"},
        ...                  {"name": "PLASTIWIN", "country": "BE"}]}])
        >>> result.dataset.partnerships[0].members
        ('BE-plastiwin',)
        >>> print(result.notes[0])
        members: merged: 'PLASTIWIN' and 'Plastiwin' are one organisation, BE-plastiwin ('Plastiwin')
    """
    read: list[ImportNote] = []
    records = list(_records(source, read))
    result = _Importer(records, members_partial=members_partial).run()
    return attrs.evolve(result, notes=(*read, *result.notes))


def _records(
    source: str | Path | Iterable[Mapping[str, Any]], notes: list[ImportNote]
) -> Iterator[Mapping[str, Any]]:
    """The records of `source`; `notes` is told how the file was read."""
    if not isinstance(source, (str, Path)):
        yield from source
        return
    path = Path(source)
    suffix = path.suffix.lower()
    file = Location(file=str(path))
    try:
        if suffix == ".json":
            yield from _json_records(path, notes)
        elif suffix == ".jsonl":
            yield from _jsonl(path)
        elif suffix == ".csv":
            yield from _csv_rows(path, notes)
        elif suffix == ".xlsx":
            yield from map(_from_row, _xlsx_rows(path, notes))
        else:
            msg = f"cannot import {suffix or 'a file without a suffix'}: give .json, .jsonl, .csv or .xlsx"
            raise DatasetReadError.at(file, msg)
    except OSError as error:
        raise DatasetReadError.at(file, error.strerror or str(error)) from None
    except UnicodeDecodeError as error:
        member = Member.of_path(path, str(path))
        raise undecodable_error(member, error) from None


# Decodes as the dataset readers do: a key given twice is marked, and an
# integer too long for Python is kept as text (refused as a number later).
_DECODER = json.JSONDecoder(parse_int=json_int, object_pairs_hook=object_pairs)


def _decoded(text: str, where: Location) -> Any:
    """A JSON text decoded; its syntax errors and a nesting too deep, located.

    Raises:
        DatasetReadError: The text is not JSON, or nests too deep for Python.
    """
    try:
        return _DECODER.decode(text)
    except json.JSONDecodeError as error:
        where = attrs.evolve(where, line=(where.line or 1) + error.lineno - 1)
        raise DatasetReadError.at(where, f"not valid JSON: {error.msg}") from None
    except RecursionError:
        raise DatasetReadError.at(where, too_deep_message()) from None


def _checked(value: Any, where: Location) -> Mapping[str, Any]:
    """A published record, held to the limits: nesting, long text, keys given twice.

    Raises:
        DatasetReadError: The record is not an object, or crosses a limit.
    """
    if not isinstance(value, dict):
        raise DatasetReadError.at(
            where, f"expected a JSON object, got {json_kind(value)}"
        )
    record = checked_record(value, "partnerships", field_at(where), raise_problem)
    assert record is not None  # noqa: S101 - raise_problem raised otherwise
    _refuse_repeated_keys(record, where)
    return record


def _refuse_repeated_keys(record: Mapping[str, Any], where: Location) -> None:
    """Refuse a key given twice in an object inside a list (a member, a target).

    `checked_record` checks the record and its mapping fields; one of the
    values would be lost. Level by level, without recursion.

    Raises:
        DatasetReadError: At the first such object.
    """
    level: list[tuple[str, Any]] = [(f"/{k}", v) for k, v in record.items()]
    while level:
        deeper: list[tuple[str, Any]] = []
        for pointer, value in level:
            if isinstance(value, Pairs):
                at = attrs.evolve(where, pointer=f"{where.pointer or ''}{pointer}")
                msg = (
                    f"the key {value.duplicates[0]!r} is given more than once in "
                    "this object; one of its values would be lost"
                )
                raise DatasetReadError.at(at, msg)
            if isinstance(value, dict):
                deeper.extend((f"{pointer}/{k}", v) for k, v in value.items())
            elif isinstance(value, list):
                deeper.extend((f"{pointer}/{i}", v) for i, v in enumerate(value))
        level = deeper


def _json_records(path: Path, notes: list[ImportNote]) -> Iterator[Mapping[str, Any]]:
    """The records of a JSON file: a list of them, or `{"partnerships": [...]}`.

    A document's keys besides its `version` and `description` are noted, not
    read; a key it gives twice is an
    error, as in a record: one of its values would be lost.
    """
    file = Location(file=str(path))
    document = _decoded(path.read_text(encoding="utf-8-sig"), file)
    pointer = ""
    if isinstance(document, Mapping):
        if isinstance(document, Pairs):
            twice = document.duplicates[0]
            msg = f"the document gives the key {twice!r} more than once; one would be lost"
            raise DatasetReadError.at(attrs.evolve(file, pointer=f"/{twice}"), msg)
        others = sorted(key for key in document if key not in _DOCUMENT_KEYS)
        if others:
            message = (
                f"the document's keys {', '.join(map(repr, others))} were not "
                "read; only 'partnerships' is"
            )
            notes.append(ImportNote(None, None, "not-read", message))
        document, pointer = document.get("partnerships"), "/partnerships"
    if not isinstance(document, list):
        msg = 'expected a list of records, or {"partnerships": [...]}'
        raise DatasetReadError.at(Location(file=str(path)), msg)
    for index, value in enumerate(document):
        yield _checked(value, Location(file=str(path), pointer=f"{pointer}/{index}"))


def _csv_rows(path: Path, notes: list[ImportNote]) -> Iterator[Mapping[str, Any]]:
    """The records of a CSV file; a file the `csv` module cannot parse is located.

    Read strictly, as `validate` reads: a quote left open is an error, not a
    cell that swallows the rows after it. Cells separated by `;` or tabs (as
    Excel writes CSV where the comma is the decimal mark) are read so, noted.
    """
    text = path.read_text(encoding="utf-8-sig")
    separator = separator_of(text[:_HEAD_CHARS], _READ)
    if separator != ",":
        message = (
            f"the cells of {path.name} are separated by "
            f"{separator_name(separator)}, not by commas; it was read so"
        )
        notes.append(ImportNote(None, None, "inferred", message))
    reader = csv.DictReader(
        io.StringIO(text, newline=""), strict=True, delimiter=separator
    )
    # The line where the next record starts: after the header, after each record.
    start = 1
    try:
        with csv_cells():
            fields = reader.fieldnames  # the header, read now
        if fields is None:
            return  # an empty file
        _check_header(fields, Location(file=str(path), line=1))
        # Columns without a name are named by a NUL and their number (which
        # no published header gives), so their values are noted, not dropped.
        unnamed = {
            f"\0{column}": column
            for column, name in enumerate(fields, start=1)
            if not name
        }
        reader.fieldnames = [
            name or f"\0{column}" for column, name in enumerate(fields, start=1)
        ]
        start = reader.line_num + 1
        for row, ends_on in csv_rows(reader):
            where = Location(file=str(path), line=start)
            extra = [cell for cell in row.pop(None, ()) if cell]  # DictReader's restkey
            if extra:
                given = len(fields) + len(extra)
                msg = f"the row has {given} cells, the header {len(fields)}"
                raise DatasetReadError.at(where, msg)
            lost = [unnamed[key] for key in unnamed if row.pop(key, None)]
            if lost:
                notes.append(_unheaded(f"{path.name} line {start}", map(str, lost)))
            yield _from_row(_short_cells(row, where))
            start = ends_on + 1
    except csv.Error as error:
        raise DatasetReadError.at(
            Location(file=str(path), line=start),
            f"malformed CSV: {error} (an unterminated quote?)",
        ) from None


def _unheaded(place: str, columns: Iterable[str]) -> ImportNote:
    """The note of values in columns without a header (of a CSV file or a sheet)."""
    message = (
        f"{place}: the values in columns {', '.join(columns)}, which have no "
        "header, were not read"
    )
    return ImportNote(None, None, "not-read", message)


def _check_header(names: Sequence[Any], where: Location) -> None:
    """Refuse a header that names a column twice: one of its values would be lost.

    Raises:
        DatasetReadError: At the second column of the name.
    """
    seen: set[str] = set()
    for column, name in enumerate(names, start=1):
        if name and name in seen:
            msg = f"the header gives the column {name!r} twice; one would be lost"
            raise DatasetReadError.at(attrs.evolve(where, column=column), msg)
        seen.add(name)


def _short_cells(row: Mapping[str, Any], where: Location) -> Mapping[str, Any]:
    """A row whose every text is within `max_cell_chars`.

    Raises:
        DatasetReadError: At a cell longer than the limit.
    """
    limit = current_limits().max_cell_chars
    for name, cell in row.items():
        if isinstance(cell, str) and len(cell) > limit:
            msg = (
                f"{name}: the text is {len(cell):,} characters long, more than "
                f"{limit:,} (max_cell_chars) {raise_with('max_cell_chars')}"
            )
            raise DatasetReadError.at(where, msg)
    return row


def _jsonl(path: Path) -> Iterator[Mapping[str, Any]]:
    with path.open(encoding="utf-8-sig") as handle:
        for number, line in enumerate(handle, start=1):
            if not line.strip():
                continue
            where = Location(file=str(path), line=number)
            value = _decoded(line.rstrip("\r\n"), where)
            if not isinstance(value, Mapping):
                raise DatasetReadError.at(where, "a line must hold one JSON object")
            yield _checked(value, where)


def _xlsx_rows(path: Path, notes: list[ImportNote]) -> Iterator[dict[str, Any]]:
    """The rows of a workbook's first sheet; its other sheets and cells without a header are noted.

    Read by the dataset readers' own workbook reader, within the same limits
    (`max_sheets`, `max_rows`, `max_member_bytes`, `max_inflate_ratio`): the
    rows and columns as the sheet gives them, whatever its `dimension` says,
    and a missing part or a formula without a saved value is a located error,
    not an empty sheet or cell.

    Raises:
        DatasetReadError: The file is not a readable workbook, crosses a limit,
            holds a formula without a saved value, or its header names a
            column twice.
    """
    from clusterkit.io._formats.xlsx_workbook import read_workbook  # noqa: PLC0415 - optional dependency

    member = Member.of_path(path, str(path))
    yield from read_workbook(
        member, lambda workbook: _first_sheet_rows(workbook, notes)
    )


def _first_sheet_rows(
    workbook: Workbook, notes: list[ImportNote]
) -> Iterator[dict[str, Any]]:
    """The rows of the first sheet as texts by header name; what is not read, noted."""
    if not workbook.sheets:
        return  # no sheet, no records
    first, *others = workbook.sheets
    if others:
        names = ", ".join(repr(sheet.name) for sheet in others)
        message = (
            f"only the first sheet, {first.name!r}, is read; the sheets "
            f"{names} were not"
        )
        notes.append(ImportNote(None, None, "not-read", message))
    file = workbook.display
    header: list[str] | None = None
    for line, cells, uncalculated in workbook.rows(first):
        if uncalculated is not None:
            column, formula = uncalculated
            where = Location(
                file=file,
                sheet=first.name,
                line=line,
                column=column,
                cell=f"{column_letter(column)}{line}",
            )
            msg = (
                f"a formula with no saved value ({formula}); open and save the "
                "workbook in a spreadsheet application, or paste the values"
            )
            raise DatasetReadError.at(where, msg)
        texts = {
            column: _cell_text(cell, first.name, line, column, notes)
            for column, cell in cells.items()
        }
        if not any(text.strip() for text in texts.values()):
            continue  # an empty row, before the header or after it
        if header is None:
            header = [texts.get(c, "").strip() for c in range(1, max(texts) + 1)]
            _check_header(header, Location(file=file, sheet=first.name, line=line))
            continue
        unnamed = [
            column
            for column, text in sorted(texts.items())
            if text and (column > len(header) or not header[column - 1])
        ]
        if unnamed:
            place = f"{first.name!r} line {line}"
            notes.append(_unheaded(place, map(column_letter, unnamed)))
        row = {
            name: texts.get(column, "")
            for column, name in enumerate(header, start=1)
            if name
        }
        if any(row.values()):
            yield row


def _cell_text(
    cell: Any, sheet: str, line: int, column: int, notes: list[ImportNote]
) -> str:
    """A workbook cell as the text a CSV cell would hold; an error cell is noted, empty."""
    if isinstance(cell, SpreadsheetError):
        message = (
            f"{sheet!r} line {line}: the cell {column_letter(column)}{line} holds "
            f"the spreadsheet error {cell.text}, the result of a formula that "
            "failed, not a value; left out"
        )
        notes.append(ImportNote(None, None, "not-read", message))
        return ""
    if isinstance(cell, float) and cell.is_integer():
        # Whole numbers are stored as floats: 447000, not 447000.0.
        cell = int(Decimal(repr(cell)))
    if isinstance(cell, dt.datetime) and cell.time() == dt.time():
        cell = cell.date()  # a date cell is a whole day: 2016-01-01
    if isinstance(cell, (dt.date, dt.time)):
        return cell.isoformat()
    return str(cell)


def _keys_of(name: str) -> tuple[str, ...]:
    """A name's key, and those of its parts around brackets and a dash.

    "LITEK - Laser and Engineering Technologies Cluster" is also "LITEK", and
    "Piemonte Innova (Fondazione Torino Wireless)" also both names.
    """
    head, _, rest = name.partition("(")
    short = re.split(r"\s[-\u2013\u2014]\s", name, maxsplit=1)[0]
    parts = (name, head, rest.rstrip(") "), short)
    return tuple(organisation_key(part) for part in parts)


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.split(";") if part.strip()]


def _from_row(row: Mapping[str, str]) -> dict[str, Any]:
    """A flat row as a record: lists `;`-separated, members `Name (CC)`."""
    return {key: value for key, value in row.items() if key and value}


def _refusal(table: str, field: str, problem: ErrorDetails, value: Any) -> str:
    """What is wrong with a value (or, in a list, an item) of one field, for a note."""
    where = problem["loc"][1:]
    entry = {**problem, "loc": where}
    index = where[0] if where else None
    raw = value[index] if isinstance(index, int) and isinstance(value, list) else value
    message = cell_problem(field_shape(table, field), entry, raw).message
    return message if repr(raw) in message else f"{raw!r}: {message}"


def _as_digits(value: Any) -> Any:
    """An integer as its digits, which the model counts exactly against `max_digits`.

    The model bounds an integer's digits from its bits, which may count one
    too few (10**30 has 31): the dataset would be written, then refused when read.
    """
    if isinstance(value, int) and not isinstance(value, bool):
        try:
            return str(value)
        except ValueError:
            # Beyond the digits Python writes (4,300, more than any `max_digits`
            # allows): its size, which the model refuses as no number.
            return (
                f"a number of about {int(value.bit_length() * math.log10(2)):,} digits"
            )
    return value


def _strands_named(value: str, names: Mapping[str, str]) -> list[str]:
    """The strands whose name `value` is, or begins, word by word.

    A word matches the name's word it begins (`prep` for `preparation`), or one
    of the same stem of seven letters (`preparation` for `preparatory`), so
    `preparation` is every preparatory strand, and `preparation and
    implementation` none: its second word is not the names'.
    """
    given = value.casefold()
    exact = [strand for strand, name in names.items() if name.casefold() == given]
    if exact:
        return exact
    words = _WORDS.findall(given)
    return [
        strand
        for strand, name in names.items()
        if words
        and len(words) <= len(name_words := _WORDS.findall(name.casefold()))
        and all(map(_same_word, words, name_words))
    ]


def _same_word(given: str, name: str) -> bool:
    return name.startswith(given) or (
        len(given) >= _STEM and given[:_STEM] == name[:_STEM]
    )


# The keys of a member's and a target's object that the importer reads.
_MEMBER_KEYS = frozenset({"name", "country"})
_TARGET_KEYS = frozenset({"country", "priority", "since", "sources"})
_WORDS = re.compile(r"\w+")
_STEM = 7  # letters: `preparation` and `preparatory` share `prepara`


# A comma after a member's country in brackets, `X (BE), Y (FR)`: members
# separated by commas, not the `;` of a list in text.
_COMMA_AFTER_COUNTRY = re.compile(r"(?<=\([A-Za-z]{2}\))\s*,\s*")


def _member(item: str) -> dict[str, str | None]:
    """A member written `Name (CC)`; a name alone has no country."""
    name, _, country = item.rpartition("(")
    if name and country.endswith(")"):
        return {"name": name.strip(), "country": country[:-1].strip()}
    return {"name": item, "country": None}


# The fields of a published record that hold lists; in text (a CSV cell, or a
# JSON string), `;`-separated.
_LISTS = ("members", "target_countries", "sectors", "sources", "ecosystems")
# The list fields whose items may be mappings.
_MAPPING_ITEMS = frozenset({"members", "target_countries"})
_SOURCE: TypeAdapter[str] = TypeAdapter(Website)


class _Importer:
    """One import: the records in, the tables and notes out."""

    def __init__(
        self, records: Sequence[Mapping[str, Any]], *, members_partial: bool
    ) -> None:
        self.records = records
        self.members_partial = members_partial
        self.notes: list[ImportNote] = []
        self.generations = {g.id: g for g in shipped_generations()}
        # Organisations: (country, key) -> names seen and sources.
        self.names: dict[tuple[str, str], Counter[str]] = defaultdict(Counter)
        self.sources: dict[tuple[str, str], set[str]] = defaultdict(set)

    def note(
        self, record: str | None, field: str | None, kind: NoteKind, message: str
    ) -> None:
        self.notes.append(ImportNote(record, field, kind, message))

    def run(self) -> ImportResult:
        labels = [
            str(r.get("acronym") or f"#{n}") for n, r in enumerate(self.records, 1)
        ]
        self.records = [
            self._shaped(record, label)
            for record, label in zip(self.records, labels, strict=True)
        ]
        members = [
            self._members(record, label)
            for record, label in zip(self.records, labels, strict=True)
        ]
        ids = self._ids(labels)
        partnerships: list[dict[str, Any]] = []
        targets: list[dict[str, Any]] = []
        used: set[str] = set()
        placed: list[tuple[str, dict[str, Any]]] = []
        for record, label, identity, keys in zip(
            self.records, labels, ids, members, strict=True
        ):
            partnership = self._checked(
                Partnership, self._partnership(record, label, identity, keys), label
            )
            if partnership is None:
                continue  # its targets would refer to no partnership
            used.add(partnership["generation"])
            partnerships.append(partnership)
            placed.append((label, partnership))
            # A target's priority and date are checked here; its partnership
            # id, country code and the record's sources were checked before,
            # so no target is left out whole (`filter` only drops a `None`).
            rows = self._targets(record, label, identity)
            targets.extend(
                filter(
                    None, (self._checked(ThirdCountryTarget, r, label) for r in rows)
                )
            )
        clusters = [
            cluster
            for place in sorted(self.names)
            if (cluster := self._checked(Cluster, self._cluster(place), None))
            is not None
        ]
        kept = {cluster["id"] for cluster in clusters}
        for label, partnership in placed:
            self._without_refused(partnership, label, kept)
        generations = [g for g in self.generations.values() if g.id in used]
        dataset = Dataset.model_validate(
            {
                "generations": generations,
                "clusters": clusters,
                "partnerships": partnerships,
                "targets": targets,
            }
        )
        return ImportResult(dataset, tuple(self.notes))

    def _without_refused(
        self, partnership: dict[str, Any], label: str, kept: set[str]
    ) -> None:
        """Take the clusters the model refused out of a partnership's members and coordinator.

        A member is a cluster by the time it is checked (a name with control
        characters is refused then): its id would refer to no cluster.
        """
        members = partnership.get("members", [])
        for gone in (member for member in members if member not in kept):
            self.note(
                label,
                "members",
                "not-read",
                f"{gone!r} was left out of the clusters; left out of the members",
            )
        partnership["members"] = [member for member in members if member in kept]
        coordinator = partnership.get("coordinator")
        if coordinator is not None and coordinator not in kept:
            partnership["coordinator"] = None
            self.note(
                label,
                "coordinator",
                "not-read",
                f"{coordinator!r} was left out of the clusters; no coordinator set",
            )

    # --- the shape of a record, and values no model takes -----------------------

    def _shaped(self, record: Mapping[str, Any], label: str) -> dict[str, Any]:
        """`record` with its lists as lists, its members as mappings, its sources web addresses.

        A list field given as text is `;`-separated, as in a CSV cell; a value
        of another shape, a member that is neither a mapping nor text, and a
        source that is no web address are left out, each with a note.
        """
        shaped = dict(record)
        for field in _LISTS:
            value = shaped.get(field)
            if isinstance(value, str):
                value = _split(value)
            elif value is not None and not isinstance(value, list):
                self.note(label, field, "not-read", f"{value!r} is no list; left out")
                value = None
            if value is None:
                shaped.pop(field, None)
                continue
            shaped[field] = self._values(value, label, field)
        shaped["members"] = self._members_given(shaped.get("members", ()), label)
        shaped["sources"] = self._sources(shaped.get("sources", ()), label)
        return shaped

    def _sources(self, items: Any, label: str) -> list[str]:
        """The web addresses of a `sources` list; each item that is none is a note."""
        if not isinstance(items, (list, tuple)):
            self.note(label, "sources", "not-read", f"{items!r} is no list; left out")
            return []
        sources = []
        for item in items:
            try:
                sources.append(_SOURCE.validate_python(item))
            except ValidationError as error:  # noqa: PERF203 - a note per source refused
                problem = error.errors()[0]["msg"]
                self.note(label, "sources", "not-read", f"{problem}; left out")
        return sources

    def _members_given(self, items: list[Any], label: str) -> list[Mapping[str, Any]]:
        """The members of a record as mappings: `Name (CC)` text, or a mapping."""
        members: list[Mapping[str, Any]] = []
        for item in items:
            if isinstance(item, str):
                parts = _COMMA_AFTER_COUNTRY.split(item)
                if len(parts) > 1:
                    self.note(
                        label,
                        "members",
                        "inferred",
                        f"{item!r} read as {len(parts)} members separated by "
                        "commas; separate them with ';'",
                    )
                members += map(_member, parts)
            elif isinstance(item, Mapping):
                members.append(item)
            else:
                self.note(
                    label, "members", "not-read", f"{item!r} is no member; left out"
                )
        return members

    def _values(self, items: list[Any], label: str, field: str) -> list[Any]:
        """The items of a list field it can read; the others are noted.

        Items are single values; a member may also be a mapping (its name and
        country, checked later), and so may a target country (its country,
        priority and date, as `export_partnerships` writes one).
        """
        nested = (list,) if field in _MAPPING_ITEMS else (list, dict)
        for item in items:
            if isinstance(item, nested):
                message = f"{item!r} is no single value; left out"
                self.note(label, field, "not-read", message)
        return [item for item in items if not isinstance(item, nested)]

    def _checked(
        self, model: type[BaseModel], row: dict[str, Any], label: str | None
    ) -> dict[str, Any] | None:
        """`row` with the values `model` refuses left out, each noted; `None`: none is left.

        An item of a list, or a field that may be empty, is left out and the row
        is checked again; a required field the model refuses leaves the row out.
        """
        row = dict(row)
        table = table_of_model(model)  # type: ignore[arg-type] # a record model
        # Each round takes every value and item the model refused out of the
        # row at once (one round per item would check a long list again for
        # each), so the rounds end, mostly after the second.
        while True:
            try:
                model.model_validate(row)
            except ValidationError as error:
                problems = error.errors()
            else:
                return row
            fatal = self._left_out(model, table, row, problems, label)
            if fatal is not None:
                break
        field, refused = fatal
        name = row.get("id") or row.get("country")
        self.note(
            label,
            field or None,
            "not-read",
            f"{refused}; the {table.removesuffix('s')} record {name!r} was left out",
        )
        return None

    def _left_out(
        self,
        model: type[BaseModel],
        table: str,
        row: dict[str, Any],
        problems: list[ErrorDetails],
        label: str | None,
    ) -> tuple[str, str] | None:
        """Take the refused values and items out of `row`, noting each.

        Returns:
            The field and the reason that leave the whole row out (a required
            field refused, or the record as a whole), else `None`.
        """
        items: dict[str, set[int]] = {}
        for problem in problems:
            where = problem["loc"]
            field = str(where[0]) if where else ""
            value = row.get(field)
            info = model.model_fields.get(field)
            if info is None or field not in row:
                # Not one value of the row (a field missing, or the record as a whole).
                return field, problem["msg"]
            refused = _refusal(table, field, problem, value)
            if isinstance(value, list) and len(where) > 1 and isinstance(where[1], int):
                items.setdefault(field, set()).add(where[1])
            elif info.is_required():
                return field, refused
            else:
                del row[field]  # it takes its default
            self.note(label, field, "not-read", f"{refused}; left out")
        for field, refused_items in items.items():
            kept = row.get(field, ())  # none if refused whole after its items
            row[field] = [
                item for at, item in enumerate(kept) if at not in refused_items
            ]
        return None

    # --- members and clusters ---------------------------------------------------

    def _members(self, record: Mapping[str, Any], label: str) -> list[tuple[str, str]]:
        places: dict[tuple[str, str], None] = {}  # in order, once each
        for member in record.get("members") or ():
            name = str(member.get("name") or "").strip()
            try:
                country = normalise_country(member.get("country")).alpha2
            except CountryError as error:
                self.note(
                    label,
                    "members",
                    "unplaced",
                    f"{name!r}: no country ({error}); left out of the members",
                )
                continue
            key = organisation_key(name)
            if not key:
                self.note(
                    label, "members", "not-read", f"{name!r} is no name; left out"
                )
                continue
            self._aside(label, "members", name, member, _MEMBER_KEYS)
            place = (country, key)
            self.names[place][name] += 1
            self.sources[place].update(record.get("sources") or ())
            places[place] = None
        return list(places)

    def _cluster(self, place: tuple[str, str]) -> dict[str, Any]:
        country, key = place
        names = self.names[place]
        # The most used spelling; then one not in capitals, without a legal
        # form, with spaces between its words; then alphabetical: the same
        # whatever the order of the records.
        name = min(
            names,
            key=lambda n: (-names[n], n.isupper(), has_legal_form(n), -n.count(" "), n),
        )
        identity = cluster_id(country, key)
        if len(names) > 1:
            spelled = " and ".join(repr(n) for n in sorted(names))
            self.note(
                None,
                "members",
                "merged",
                f"{spelled} are one organisation, {identity} ({name!r})",
            )
        return {
            "id": identity,
            "name": name,
            "country": country,
            "sources": sorted(self.sources[place]),
        }

    def _coordinator(
        self, record: Mapping[str, Any], label: str, places: list[tuple[str, str]]
    ) -> tuple[str, str] | None:
        name = str(record.get("coordinator") or "").strip()
        if not name:
            return None
        wanted = set(filter(None, _keys_of(name)))
        found = [place for place in places if wanted & self._aliases(place)]
        if len(found) == 1:
            return found[0]
        for key in filter(None, _keys_of(name)):
            found = [place for place in self.names if key in self._aliases(place)]
            if len(found) == 1:
                places.append(found[0])
                self.sources[found[0]].update(record.get("sources") or ())
                self.note(
                    label,
                    "coordinator",
                    "inferred",
                    f"{name!r} is {cluster_id(*found[0])}, a member of another partnership; added to the members",
                )
                return found[0]
        self.note(
            label,
            "coordinator",
            "unplaced",
            f"{name!r} is not one known organisation; no coordinator set",
        )
        return None

    def _aliases(self, place: tuple[str, str]) -> set[str]:
        """The keys an organisation is known by: each name, and its parts around brackets."""
        return {key for name in self.names[place] for key in _keys_of(name) if key}

    # --- partnerships -----------------------------------------------------------

    def _ids(self, labels: Sequence[str]) -> list[str]:
        """The partnerships' ids, each once, each change noted.

        Every record of an acronym that several records share, and that gives
        no id, gets its generation (`AdPack (escp-4i-1)`); an id taken by an
        earlier record gets a number (`AdPack (escp-4i-1) (2)`).
        """
        counts = Counter(labels)
        ids: list[str] = []
        taken: set[str] = set()
        for record, label in zip(self.records, labels, strict=True):
            given = str(record.get("id") or label).strip()
            identity = given.replace(";", ",")
            if identity != given:
                self.note(
                    label,
                    "id",
                    "inferred",
                    f"{given!r} read as {identity!r}: ';' separates the ids of a list",
                )
            if counts[label] > 1 and not record.get("id"):
                generation = self._generation(record, label, quiet=True)
                suffixed = f"{identity} ({generation})"
                self.note(
                    label,
                    "id",
                    "inferred",
                    f"{identity!r} is the acronym of {counts[label]} records; "
                    f"written as {suffixed!r}, with its generation",
                )
                identity = suffixed
            unique, number = identity, 1
            while unique in taken:
                number += 1
                unique = f"{identity} ({number})"
            if unique != identity:
                self.note(
                    label,
                    "id",
                    "inferred",
                    f"{identity!r} is the id of an earlier record too; written as {unique!r}",
                )
            taken.add(unique)
            ids.append(unique)
        return ids

    def _generation(
        self, record: Mapping[str, Any], label: str, *, quiet: bool = False
    ) -> str:
        value = record.get("generation")
        text = str(value).strip() if value is not None else ""
        if text in self.generations:
            return text
        if _ESCP_NUMBER.fullmatch(text):
            return f"escp-4i-{int(text)}"
        if not quiet:
            given = (
                f"{value!r} is no known generation; kept as given"
                if text
                else "none given; 'unknown' written"
            )
            self.note(label, "generation", "not-read", given)
        return text or "unknown"

    def _strand(
        self, record: Mapping[str, Any], label: str, generation: str
    ) -> str | None:
        value = str(record.get("strand") or "").strip()
        known = self.generations.get(generation)
        if not value or known is None:
            return value or None
        if value in known.strands:
            return value
        if not known.strands:
            self.note(
                label,
                "strand",
                "not-read",
                f"{value!r}: {generation} has no strands; left out",
            )
            return None
        names = provenance(generation).strand_names
        matching = _strands_named(value, names)
        if len(matching) == 1:
            self.note(
                label,
                "strand",
                "inferred",
                f"{value!r} read as strand {matching[0]} ({names[matching[0]]})",
            )
            return matching[0]
        if matching:
            why = f"could be strand {', '.join(matching)} of {generation}"
        else:
            strands = "; ".join(f"{s}: {n}" for s, n in names.items())
            why = f"names no strand of {generation} ({strands})"
        self.note(label, "strand", "not-read", f"{value!r} {why}; left out")
        return None

    def _funding(self, record: Mapping[str, Any], label: str) -> str:
        value = str(record.get("funding") or "co-funded").strip()
        for funding in ("co-funded", "voluntary"):
            if value.casefold().startswith(funding):
                if value.casefold() != funding:
                    self.note(
                        label, "funding", "inferred", f"{value!r} read as {funding}"
                    )
                return funding.replace("-", "_")
        self.note(
            label,
            "funding",
            "not-read",
            f"{value!r} is neither co-funded nor voluntary; co-funded assumed",
        )
        return "co_funded"

    def _period(
        self, record: Mapping[str, Any], label: str
    ) -> tuple[str | None, str | None]:
        start = str(record["start"]) if record.get("start") else None
        end = str(record["end"]) if record.get("end") else None
        text = str(record.get("period") or "").strip()
        if not text:
            return start, end
        reading = read_period(text)
        if start or end:
            return self._period_beside(label, text, (start, end), reading)
        if reading.start is None and reading.end is None:
            self.note(
                label,
                "period",
                "not-read",
                f"{text!r} gives no date; the generation's period applies",
            )
        elif reading.unread:
            given = " to ".join(part or "?" for part in (reading.start, reading.end))
            self.note(
                label,
                "period",
                "inferred",
                f"{text!r} read as {given}; the rest is a remark",
            )
        return reading.start, reading.end

    def _period_beside(
        self,
        label: str,
        text: str,
        given: tuple[str | None, str | None],
        reading: PeriodReading,
    ) -> tuple[str | None, str | None]:
        """A start or end given, and a period too: what they give, and notes.

        The start and end given come first; the period gives what they do
        not, and where it says otherwise, that is a note.
        """
        kept: list[str | None] = []
        for field, mine, its in zip(
            ("start", "end"), given, (reading.start, reading.end), strict=True
        ):
            kept.append(mine or its)
            if mine is None and its is not None:
                self.note(
                    label, field, "inferred", f"{its} read from the period {text!r}"
                )
            elif mine is not None and its is not None and its != mine:
                self.note(
                    label,
                    "period",
                    "not-read",
                    f"{text!r} gives the {field} {its}; the {field} given, {mine}, is kept",
                )
        return kept[0], kept[1]

    def _partnership(
        self,
        record: Mapping[str, Any],
        label: str,
        identity: str,
        places: list[tuple[str, str]],
    ) -> dict[str, Any]:
        generation = self._generation(record, label)
        coordinator = self._coordinator(record, label, places)
        start, end = self._period(record, label)
        inferred = []
        for basis, field in _BASES.items():
            text = str(record.get(basis) or "")
            if _UNCONFIRMED.search(text):
                inferred.append(field)
                self.note(label, field, "inferred", text)
        aside = sorted(
            key
            for key, value in record.items()
            if key not in _READ
            and key not in _BASES
            and value not in (None, "", [], {})
        )
        if aside:
            self.note(
                label,
                None,
                "kept-aside",
                f"{', '.join(aside)}: no field of the model holds them",
            )
        grant = record.get("eu_grant_eur", record.get("grant_eur"))
        return {
            "id": identity,
            "acronym": str(record.get("acronym") or identity),
            "name": str(record.get("name") or record.get("acronym") or identity),
            "generation": generation,
            "strand": self._strand(record, label, generation),
            "funding": self._funding(record, label),
            "coordinator": cluster_id(*coordinator) if coordinator else None,
            "members": [cluster_id(*place) for place in places],
            "start": start,
            "end": end,
            "grant_eur": _as_digits(grant),
            "sectors": [str(s).replace(";", ",") for s in record.get("sectors") or ()],
            "website": record.get("website") or None,
            "ecosystems": record.get("ecosystems") or [],
            "smes_reached": _as_digits(record.get("smes_reached")),
            # Every record's with `members_partial=True`; else as the record says.
            "members_partial": True
            if self.members_partial
            else record.get("members_partial") or False,
            "inferred": inferred,
            "sources": list(record.get("sources") or ()),
        }

    def _aside(
        self,
        label: str,
        field: str,
        item: str,
        given: Mapping[str, Any],
        read: frozenset[str],
    ) -> None:
        """Note the keys of a member or a target object that no field holds."""
        aside = sorted(
            str(key)
            for key, value in given.items()
            if key not in read and value not in (None, "", [], {})
        )
        if aside:
            self.note(
                label,
                field,
                "kept-aside",
                f"{item!r}: {', '.join(aside)}: no field of the model holds them",
            )

    def _targets(
        self, record: Mapping[str, Any], label: str, identity: str
    ) -> Iterator[dict[str, Any]]:
        seen = set()
        for value in record.get("target_countries") or ():
            # A country, or (as `export_partnerships` writes one that is not
            # primary or has a date) `{"country": ..., "priority": ..., "since": ...}`.
            detail = value if isinstance(value, Mapping) else {"country": value}
            try:
                country = normalise_country(detail.get("country")).alpha2
            except CountryError as error:
                self.note(label, "target_countries", "not-read", f"{error}; left out")
                continue
            if country in seen:
                self.note(
                    label,
                    "target_countries",
                    "not-read",
                    f"{detail.get('country')!r} is {country} again; the first is kept",
                )
                continue
            self._aside(label, "target_countries", country, detail, _TARGET_KEYS)
            seen.add(country)
            # A target's own sources (as `export_partnerships` writes those
            # that differ from its partnership's), or its record's.
            own = detail.get("sources")
            yield {
                "partnership": identity,
                "country": country,
                **{key: detail[key] for key in ("priority", "since") if key in detail},
                "sources": list(record.get("sources") or ())
                if own is None
                else self._sources(_split(own) if isinstance(own, str) else own, label),
            }


def export_partnerships(dataset: Dataset) -> list[dict[str, Any]]:
    """The dataset's partnerships in the published, partnership-centric shape.

    The inverse of `import_partnerships`: members inline by name and country,
    the coordinator by name, dates as given (`2016-01` stays a month), targets
    as countries (with their priority, date and sources when they have their
    own), a `<field>_basis` of "inferred" for each field in `inferred`.
    Importing what it gives back yields the same partnerships and targets,
    and clusters of the same ids, names and countries, when the cluster ids
    are those the importer makes; a cluster's other fields (its website, city,
    region) are not in the published shape.

    Added in version 0.2.0.

    Examples:
        >>> from clusterkit import reference
        >>> export_partnerships(reference.programme())[0]["members"][0]
        {'name': 'BalticNet-PlasmaTec e.V.', 'country': 'DE'}
    """
    clusters = {cluster.id: cluster for cluster in dataset.clusters}
    sources = {p.id: tuple(p.sources) for p in dataset.partnerships}
    targets: dict[str, list[str | dict[str, Any]]] = defaultdict(list)
    for target in dataset.targets:
        published = _published_target(target, sources.get(target.partnership, ()))
        targets[target.partnership].append(published)
    records = []
    for partnership in dataset.partnerships:
        members = [clusters[m] for m in partnership.members if m in clusters]
        coordinator = clusters.get(partnership.coordinator or "")
        record: dict[str, Any] = {
            "id": partnership.id,
            "acronym": partnership.acronym,
            "name": partnership.name,
            "generation": partnership.generation,
            "strand": partnership.strand,
            "funding": partnership.funding.value.replace("_", "-"),
            "members": [{"name": c.name, "country": str(c.country)} for c in members],
            "coordinator": coordinator.name if coordinator else None,
            "start": partnership.start.isoformat() if partnership.start else None,
            "end": partnership.end.isoformat() if partnership.end else None,
            "target_countries": targets[partnership.id],
            "sectors": list(partnership.sectors),
            "sources": list(partnership.sources),
            "eu_grant_eur": partnership.grant_eur,
            "website": partnership.website,
            "ecosystems": [ecosystem.value for ecosystem in partnership.ecosystems],
            "smes_reached": partnership.smes_reached,
            "members_partial": partnership.members_partial or None,
        }
        for field in partnership.inferred:
            record[f"{field}_basis"] = "inferred"
        records.append(
            {key: value for key, value in record.items() if value not in (None, [])}
        )
    return records


def _published_target(
    target: ThirdCountryTarget, partnership_sources: tuple[str, ...]
) -> str | dict[str, Any]:
    """A target as `target_countries` lists it: its country, or with what else it has.

    Its priority and date, and its sources when they are not its partnership's.
    """
    own = tuple(target.sources) != partnership_sources
    if target.priority is Priority.PRIMARY and target.since is None and not own:
        return str(target.country)
    detail: dict[str, Any] = {
        "country": str(target.country),
        "priority": target.priority.value,
    }
    if target.since is not None:
        detail["since"] = target.since.isoformat()
    if own:
        detail["sources"] = list(target.sources)
    return detail
