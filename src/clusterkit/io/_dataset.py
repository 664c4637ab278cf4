"""Private: loading, dumping and streaming records, through the registry of formats."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Collection, Iterator, Mapping
from pathlib import Path
from typing import Any, Literal, NamedTuple, TypeVar, overload

import attrs
from pydantic import ValidationError
from pydantic_core import ErrorDetails

from clusterkit._alike import Alike
from clusterkit._cycles import cycles_paused
from clusterkit._dates import PartialDate, is_iso_date_text
from clusterkit._limits import Limits, limited
from clusterkit._limits import chosen as chosen_limits
from clusterkit._output import (
    atomic_folder,
    atomic_path,
    refuse_link,
    unescape_formula,
)
from clusterkit._version import VERSION
from clusterkit.countries import CodeForm
from clusterkit.errors import DatasetReadError
from clusterkit.io._chunk import report_unknown_fields
from clusterkit.io._fields import field_shape
from clusterkit.io._format import Layout, format_named, formats
from clusterkit.io._member import Member
from clusterkit.io._problems import (
    BAD_VALUE,
    COUNTRY_TYPO,
    MISSING,
    UNREADABLE,
    Reporter,
    cell_problem,
    country_cell,
    date_remark,
    parse_date,
    raise_problem,
    with_outcome,
)
from clusterkit.io._rows import (
    RawRow,
    error_field,
    record_from_row,
    table_models,
    table_of_model,
)
from clusterkit.io._source import (
    OpenSource,
    Source,
    following_symlinks,
    open_source,
    source_name,
)
from clusterkit.models import TABLES, Dataset, Record
from clusterkit.reference import version as reference_version
from clusterkit.report import (
    Entity,
    Finding,
    Report,
    Rule,
    Severity,
    Summary,
    fingerprint,
)
from clusterkit.values import Location

__all__ = [
    "LoadedDataset",
    "detect_layout",
    "dump_dataset",
    "iter_raw_rows",
    "iter_records",
    "load_dataset",
]

R = TypeVar("R", bound=Record)
StrPath = str | os.PathLike[str]


def detect_layout(source: StrPath) -> Layout:
    """Tell which layout a dataset path has.

    A folder is CSV or JSON Lines by the table files it holds (a `.zip` of a
    folder likewise); a file by its suffix.

    Added in version 0.1.0.

    Raises:
        DatasetReadError: The path does not exist, or is not a dataset layout.
    """
    with open_source(source) as opened:
        return opened.layout


def iter_raw_rows(
    source: Source, tables: tuple[str, ...] | None = None
) -> Iterator[RawRow]:
    """Yield the raw rows of a dataset, table by table, streaming.

    Args:
        source: A dataset in any layout.
        tables: Only these tables (all when `None`).

    Raises:
        DatasetReadError: A file cannot be read.
    """
    with open_source(source) as opened:
        opened.report_misnamed(raise_problem)
        for row in opened.rows():
            if tables is None or row.table in tables:
                yield row


def iter_records(
    source: Source, model: type[R], *, limits: Limits | None = None
) -> Iterator[tuple[R, Location]]:
    """Yield the records of one table with their locations, one at a time.

    Streams: a CSV, JSON Lines or JSON file is read a record at a time, so memory
    does not grow with the file.

    Added in version 0.1.0; a subclass as `model` in version 0.2.0.

    Args:
        source: A single table file (`activities.csv`, `activities.jsonl`) or a
            dataset in any layout, from which the table of `model` is read.
        model: The record model, e.g. `clusterkit.ActivityRecord`, or a
            subclass of one: its records are read from the same table, and the
            fields it adds are read from their columns (or keys).
        limits: How far reading goes on hostile input (default: the limits in
            force, `clusterkit.Limits()` unless `Limits.applied`). Added in
            version 0.2.0.

    Yields:
        `(record, location)` pairs; the location names the file and the physical
        line where the record starts (header = line 1).

    Raises:
        DatasetReadError: A file cannot be read, a row is not a valid record,
            or a folder without the table's file holds one that looks like it
            (CK-FILE-003).
        TypeError: `model` is not a record model of a dataset table, nor a
            subclass of one, `source` is none of the kinds of `Source`, or
            `limits` is not a `Limits`.

    Examples:
        >>> import clusterkit as ck
        >>> from clusterkit.io import example_path
        >>> for activity, where in ck.iter_records(example_path(), ck.ActivityRecord):
        ...     break
        >>> where.line
        2
    """
    table = table_of_model(model)
    if limits is not None:
        limits = chosen_limits(limits)
    if isinstance(source, (str, os.PathLike)):
        path = Path(source)
        per_table = {fmt.suffix: fmt for fmt in formats().values() if fmt.per_table}
        fmt = per_table.get(path.suffix.lower())
        if fmt is not None and _is_file(path):
            member = Member.of_path(path, os.fspath(source))
            return limited(limits, _file_records(member, fmt, model))
    return limited(limits, _dataset_records(source, table, model))


def _models_with(table: str, model: type[Record]) -> Mapping[str, type[Record]]:
    return table_models({table: model}) if model is not TABLES[table] else TABLES


def _is_file(path: Path) -> bool:
    try:
        return path.is_file()
    except OSError:  # a name too long: opening the source says so
        return False


def _dataset_records(
    source: Source, table: str, model: type[R]
) -> Iterator[tuple[R, Location]]:
    with open_source(source) as opened:
        opened.report_misnamed(raise_problem, {table})
        member = opened.members.get(table) if opened.kind == "folder" else None
        if member is not None and opened.format is not None:
            yield from _file_records(member, opened.format, model)
            return
        if opened.kind == "folder":
            return
        for row in opened.rows(table, models=_models_with(table, model)):
            yield record_from_row(row, model), row.location


def _file_records(
    member: Member, fmt: Any, model: type[R]
) -> Iterator[tuple[R, Location]]:
    if fmt.read_records is not None:
        return fmt.read_records(member, model)  # type: ignore[no-any-return] # the format's own reader
    table = table_of_model(model)
    models = _models_with(table, model)
    return (
        (record_from_row(row, model), row.location)
        for row in fmt.read_rows(member, table, raise_problem, models)
    )


class LoadedDataset(NamedTuple):
    """A dataset read leniently: the records that read cleanly, and what did not.

    Added in version 0.2.0.
    """

    dataset: Dataset
    """The records without a read error."""
    report: Report
    """The findings of reading: every problem with a file, a header, a row or a
    value (the rules of the read stage), located."""


@overload
def load_dataset(
    source: Source,
    *,
    format: str | None = None,
    name: str | None = None,
    errors: Literal["raise"] = "raise",
    models: Mapping[str, type[Record]] | None = None,
    unescape_formulas: bool = False,
    follow_symlinks: bool | None = None,
    limits: Limits | None = None,
) -> Dataset: ...


@overload
def load_dataset(
    source: Source,
    *,
    format: str | None = None,
    name: str | None = None,
    errors: Literal["report"],
    models: Mapping[str, type[Record]] | None = None,
    unescape_formulas: bool = False,
    follow_symlinks: bool | None = None,
    limits: Limits | None = None,
) -> LoadedDataset: ...


def load_dataset(
    source: Source,
    *,
    format: str | None = None,  # noqa: A002 - the name users know from the CLI
    name: str | None = None,
    errors: Literal["raise", "report"] = "raise",
    models: Mapping[str, type[Record]] | None = None,
    unescape_formulas: bool = False,
    follow_symlinks: bool | None = None,
    limits: Limits | None = None,
) -> Dataset | LoadedDataset:
    """Read a dataset from any source.

    Missing tables are empty. Input files are only read, never written.
    Python's cyclic garbage collector is paused while the records are read
    (they are many objects and make no cycles), as in `validate` and
    `compute_kpis`, and resumed when the call returns or raises.

    Added in version 0.1.0; `format`, `name`, `errors`, `models`,
    `unescape_formulas`, `follow_symlinks`, `limits` and every source but a
    path in version 0.2.0.

    Args:
        source: A folder of CSV or JSON Lines files, a `.json` document, an
            `.xlsx` workbook, a `.zip` of a folder, bytes or a binary file
            object of one of those, a mapping shaped like the JSON document
            (`{"clusters": [{...}], ...}`), or a `Dataset`.
        format: The format of a document or stream whose name or first bytes
            do not tell (`"json"`, `"xlsx"` or `"zip"`).
        name: How locations name a stream or a mapping (default `<upload>`,
            `<mapping>`).
        errors: `"raise"` (default) stops at the first problem; `"report"`
            reads on, leaves out every record with a problem and returns the
            dataset of the others with a `Report` of the problems.
        models: Subclasses of the record models to read tables as, by table
            name (`{"partnerships": MyPartnership}`): the fields a subclass adds
            are read from their columns (or keys) and checked by it, and its
            records go into the dataset. Other tables keep their models.
        unescape_formulas: Drop the `'` that `dump_dataset(...,
            escape_formulas=True)` put before text values starting with `=`,
            `+`, `-`, `@`, a tab or a carriage return (added in version 0.2.0).
        follow_symlinks: Read a folder's table files that are symbolic links
            to files outside the folder (the default, unless inside
            `clusterkit.io.following_symlinks(False)`); with `False` such a file is a
            `DatasetReadError` (see `following_symlinks`; added in version
            0.2.0).
        limits: How far reading goes on hostile input (default: the limits in
            force, `clusterkit.Limits()` unless `Limits.applied`): a limit
            crossed is a problem of the record, located.

    Returns:
        The dataset; with `errors="report"`, a `LoadedDataset` (the dataset and
        the report, which unpack as `ds, report = ...`).

    Raises:
        DatasetReadError: With `errors="raise"`: a file cannot be read, a
            row is not a valid record (the message names the file, the line and
            the field), or a folder holds a file that looks like the file of a
            table that has none (`SMEs.csv`, CK-FILE-003).
        ValueError: `errors` is neither `"raise"` nor `"report"`, or a key of
            `models` is not a table.
        TypeError: `models` is not a mapping, a model of `models` is not a
            subclass of its table's model, `source` is none of the kinds
            above, or `limits` is not a `Limits`.

    Examples:
        >>> import clusterkit as ck
        >>> from clusterkit.io import example_path
        >>> ck.load_dataset(example_path()).counts["partnerships"]
        6
        >>> ds, report = ck.load_dataset({"clusters": [{"id": "C1"}]}, errors="report")
        >>> len(ds.clusters), report.findings[0].rule
        (0, 'CK-TYPE-001')
    """
    with chosen_limits(limits).applied():
        return _load_dataset(
            source,
            format,
            name,
            errors,
            table_models(models),
            unescape_formulas=unescape_formulas,
            follow_symlinks=follow_symlinks,
        )


def _load_dataset(
    source: Source,
    format: str | None,  # noqa: A002 - as load_dataset
    name: str | None,
    errors: str,
    chosen: Mapping[str, type[Record]],
    *,
    unescape_formulas: bool,
    follow_symlinks: bool | None,
) -> Dataset | LoadedDataset:
    if errors not in ("raise", "report"):
        msg = f"errors must be 'raise' or 'report', not {errors!r}"
        raise ValueError(msg)
    if isinstance(source, Dataset) and chosen is not TABLES:
        # Read as the mapping of its records, which keeps the fields of records
        # that are subclasses already (a Dataset's columns are its tables' fields).
        name = source_name(source, name)
        source = {table: source.table(table) for table in TABLES}
    # Loading makes many records that live on and almost no cycles.
    with cycles_paused():
        if errors == "report":
            with following_symlinks(follow_symlinks):
                loaded = _load_leniently(source, format, name, chosen)
            if unescape_formulas:
                return loaded._replace(dataset=_unescaped(loaded.dataset))
            return loaded
        if isinstance(source, Dataset):
            dataset = source
        else:
            with (
                following_symlinks(follow_symlinks),
                open_source(source, format=format, name=name) as opened,
            ):
                dataset = _load(opened, chosen)
        return _unescaped(dataset) if unescape_formulas else dataset


def _unescaped(dataset: Dataset) -> Dataset:
    """The dataset with `escape_formula`'s quote dropped from every text value.

    A list is escaped as the one cell it is written in (`'-X;b`), so only its
    first item can have gained the quote: an item after a `;` starts no cell;
    a mapping likewise, its first key (`'-k=5;j=3`). A set is read in no known
    order, so each of its texts is escaped, and unescaped.
    """
    tables: dict[str, list[Record]] = {}
    for table in TABLES:
        records = []
        for record in dataset.table(table):
            changed = {
                field: unescaped
                for field, value in record
                if (unescaped := _unescaped_value(value)) is not value
            }
            records.append(record.model_copy(update=changed) if changed else record)
        tables[table] = records
    return Dataset.model_validate(tables)


def _unescaped_value(value: Any) -> Any:
    """`value` unescaped (a text, a list's first text or a mapping's first key).

    `value` itself if unchanged.
    """
    if isinstance(value, str):
        text = unescape_formula(value)
        return value if text == value else text
    if isinstance(value, (set, frozenset)):
        # Each text of a set is escaped: its cell's order is not kept.
        texts = [
            unescape_formula(item) if isinstance(item, str) else item for item in value
        ]
        return value if set(texts) == value else type(value)(texts)
    if isinstance(value, (tuple, list)) and value and isinstance(value[0], str):
        first = unescape_formula(value[0])
        return value if first == value[0] else type(value)((first, *value[1:]))
    if isinstance(value, dict) and value:
        key = next(iter(value))
        if isinstance(key, str) and (first := unescape_formula(key)) != key:
            keys = [first, *list(value)[1:]]
            return dict(zip(keys, value.values(), strict=True))
    return value


def _load(opened: OpenSource, models: Mapping[str, type[Record]]) -> Dataset:
    records: dict[str, list[Record]] = {table: [] for table in TABLES}
    opened.report_misnamed(raise_problem)
    fmt = opened.format
    if opened.kind == "folder" and fmt is not None and fmt.read_records is not None:
        # The format's own reader of records: JSON Lines straight into models.
        for table, member in opened.members.items():
            read = fmt.read_records(member, models[table])
            records[table] = [record for record, _ in read]
    else:
        for row in opened.rows(models=models):
            records[row.table].append(record_from_row(row, models[row.table]))
    return Dataset.model_validate(records)


@attrs.define
class _Collector:
    """The findings of a lenient load, as a `Reporter`."""

    findings: list[Finding] = attrs.field(factory=list)
    # The findings before this one were there before the row last read.
    seen: int = 0
    # The fields of the row last read whose value the reader left out.
    left_out: set[str] = attrs.field(factory=set)
    # The keys of records that no field takes, by table: where each is first
    # given, and in how many rows (one warning each, as `validate` gives).
    unknown: dict[str, dict[str, tuple[Location, int]]] = attrs.field(factory=dict)
    # How many findings so far had each fingerprint of their five parts: the
    # nth alike has a fingerprint of its own, as `validate` gives it.
    alike: Alike = attrs.field(factory=Alike)

    def count_unknown(self, row: RawRow, key: str) -> None:
        """Count a key of `row` that no field of its table takes."""
        seen = self.unknown.setdefault(row.table, {})
        where, count = seen.get(key) or (row.location_of(key), 0)
        seen[key] = (where, count + 1)

    def report_unknown(self, models: Mapping[str, type[Record]]) -> None:
        """Report the keys counted, once per table and key (`CK-HDR-002`)."""
        for table, seen in self.unknown.items():
            report_unknown_fields(table, seen, list(models[table].model_fields), self)

    def refuses(self, row: Location) -> bool:
        """Whether the reader reported an error of the row at `row`, just read.

        Such a row is left out, as `validate` finds it in error and the strict
        reader refuses it: a text too long or a lone surrogate is a problem the
        reader reports, and the row it yields may still make a valid record.
        """
        fresh = [
            finding
            for finding in self.findings[self.seen :]
            if finding.severity is Severity.ERROR and _within(finding.location, row)
        ]
        self.seen = len(self.findings)
        # Cells whose value the reader refused and left out: not "empty" again.
        self.left_out = {
            finding.location.field
            for finding in fresh
            if finding.rule == BAD_VALUE.id and finding.location.field is not None
        }
        return bool(fresh)

    def __call__(
        self,
        rule: Rule,
        location: Location,
        message: str,
        *,
        hint: str | None = None,
        entity: Entity | None = None,
        value: Any = None,
        expected: str | None = None,
        outcome: str | None = None,
    ) -> None:
        text = None if value is None else str(value)
        parts = (rule.id, location.file, entity, location.field, text)
        digest = fingerprint(*parts)
        occurrence = self.alike.number(digest)
        if occurrence > 1:
            digest = fingerprint(*parts, occurrence=occurrence)
        self.findings.append(
            Finding(
                rule=rule.id,
                severity=rule.severity,
                message=with_outcome(message, outcome),
                location=location,
                hint=hint,
                entity=entity,
                value=text,
                expected=expected,
                fingerprint=digest,
            )
        )


def _load_leniently(
    source: Source,
    format: str | None,  # noqa: A002 - the name users know from the CLI
    name: str | None,
    models: Mapping[str, type[Record]],
) -> LoadedDataset:
    report: _Collector = _Collector()
    display = source_name(source, name)
    records: dict[str, list[Record]] = {table: [] for table in TABLES}
    try:
        opened = open_source(source, format=format, name=name)
    except DatasetReadError as error:
        report(UNREADABLE, error.location or Location(file=display), error.problem)
    else:
        with opened:
            opened.report_misnamed(report)
            # A folder's tables one by one: a file that cannot be read stops
            # itself, not the tables after it.
            parts = list(opened.members) if opened.kind == "folder" else [None]
            for table in parts:
                try:
                    for row, model in _rows_and_models(opened, table, report, models):
                        refused = report.refuses(row.location)
                        record = _record_or_findings(
                            row, model, report, report.left_out
                        )
                        report.seen = len(report.findings)
                        if record is not None and not refused:
                            records[row.table].append(record)
                except DatasetReadError as error:  # noqa: PERF203 - a file's failure, then the next file
                    location = error.location or Location(file=display)
                    report(
                        UNREADABLE,
                        location,
                        f"{error.problem}; reading of {location.file or display} "
                        "stopped here, rows after this point were not checked",
                    )
            report.report_unknown(models)
    findings = sorted(report.findings, key=Finding.sort_key)
    return LoadedDataset(Dataset.model_validate(records), _report(findings, display))


def _rows_and_models(
    opened: OpenSource,
    table: str | None,
    report: Reporter,
    models: Mapping[str, type[Record]],
) -> Iterator[tuple[RawRow, type[Record]]]:
    """The rows of a source (or of one table), each with the model that reads it."""
    if opened.kind == "dataset":
        return _dataset_rows(opened, report, models)
    rows = opened.rows(table, report=report, models=models)
    return ((row, models[row.table]) for row in rows)


def _dataset_rows(
    opened: OpenSource, report: Reporter, models: Mapping[str, type[Record]]
) -> Iterator[tuple[RawRow, type[Record]]]:
    """A `Dataset`'s rows, each with its record's own model.

    As `load_dataset` keeps a `Dataset`'s records as they are, a record of a
    subclass is read as its subclass, with the fields it adds (a table's chunks
    hold the fields of the table's model only). A table without one is read
    the fast way, as chunks.
    """
    dataset: Dataset = opened.records
    for table in TABLES:
        records = dataset.table(table)
        model = models[table]
        if set(map(type, records)) <= {model}:
            yield from ((row, model) for row in opened.rows(table, report, models))
            continue
        for index, record in enumerate(records):
            location = Location(file=opened.display, pointer=f"/{table}/{index}")
            values = record.model_dump(exclude_defaults=True, by_alias=True)
            yield RawRow(table, values, location), type(record)


def _within(found: Location, row: Location) -> bool:
    """Whether a location is in the row that starts at `row`."""
    if found.file != row.file or found.sheet != row.sheet:
        return False
    if row.pointer is not None:
        return found.pointer is not None and (
            found.pointer == row.pointer or found.pointer.startswith(row.pointer + "/")
        )
    return found.line == row.line


def _record_or_findings(
    row: RawRow,
    model: type[Record],
    report: _Collector,
    left_out: Collection[str] = (),
) -> Record | None:
    """The row's record, or `None` after reporting each of its problems.

    Reported as the validator reports them: a key that no field takes is
    ignored, and counted for one warning per table and key; a field whose
    column is missing was reported at the header, not here; a date in another
    spelling than ISO 8601 is remarked on (`CK-TYPE-002`), and so is one given
    to the month or the year (`CK-DATE-005`), whether or not the record is
    valid, and a country read from a typo is warned of (`CK-COUNTRY-004`). A
    required field in `left_out` (its value refused by the reader, which said
    why) is not reported again as missing.
    """
    entity = _entity(row)
    record, entries = _validated(model, row.values)
    # A reader of columns left out those no field takes (and said so at the
    # header); the keys of a JSON object or a mapping are only found here.
    unknown = {
        str(entry["loc"][0])
        for entry in entries
        if entry["type"] == "extra_forbidden" and len(entry["loc"]) == 1
    }
    if unknown:
        for key in unknown:
            report.count_unknown(row, key)
        given = {key: row.values[key] for key in row.values if key not in unknown}
        record, entries = _validated(model, given)
    refused = set()
    for entry in entries:
        field = error_field(entry, model)
        refused.add(field)
        if entry["type"] == "missing" and field in left_out:
            continue
        _report_entry(row, entry, field, entity, report)
    _report_non_iso_dates(row, record, refused, entity, report)
    _report_country_typos(row, refused, entity, report)
    return record


def _validated(
    model: type[Record], values: Mapping[str, Any]
) -> tuple[Record | None, list[ErrorDetails]]:
    """The record of `values`, or `None` and the errors that refuse it."""
    try:
        return model.model_validate(values), []
    except ValidationError as error:
        return None, error.errors(include_url=False)


def _entity(row: RawRow) -> Entity:
    """The record a row's findings are about, named as the validator names it.

    A target is named `partnership/country`, its country as the validator
    reads it (a name, such as "United States", as its code); any other record
    by its id.
    """
    if row.table != "targets":
        record_id = row.values.get("id")
        return Entity(row.table, record_id if isinstance(record_id, str) else None)
    partnership = row.values.get("partnership")
    code, _ = country_cell(row.values.get("country"))
    if not isinstance(partnership, str) or code is None:
        return Entity(row.table)
    return Entity(row.table, f"{partnership}/{code}")


def _report_entry(
    row: RawRow,
    entry: Mapping[str, Any],
    field: str | None,
    entity: Entity,
    report: Reporter,
) -> None:
    """Report one pydantic error of a row as the validator would."""
    if entry["type"] == "missing" and len(entry["loc"]) == 1:
        # A field of the table's model or one a subclass adds, alike.
        missing = str(entry["loc"][0])
        if row.columns and missing not in row.columns:
            return  # the column is missing: reported once, at the header
        report(BAD_VALUE, row.location_of(missing), MISSING.message, entity=entity)
        return
    model = TABLES[row.table]
    if field is None or field not in model.model_fields:
        # A whole-record problem, or one of a field a subclass adds.
        where = row.location if field is None else row.location_of(field)
        report(BAD_VALUE, where, str(entry["msg"]), entity=entity)
        return
    raw = row.values.get(field)
    # The item of a list field is located as the field's own type would say.
    located = {**entry, "loc": entry["loc"][1:]}
    problem = cell_problem(field_shape(row.table, field), located, raw)
    problem.report_at(report, row.location_of(field), entity=entity, raw=raw)


def _report_non_iso_dates(
    row: RawRow,
    record: Record | None,
    refused: set[str | None],
    entity: Entity,
    report: Reporter,
) -> None:
    """Remark on each date not written `YYYY-MM-DD`: another spelling, a month, a year."""
    for field, raw in row.values.items():
        if (
            field in refused
            or not isinstance(raw, (str, PartialDate))
            or field not in TABLES[row.table].model_fields
            or not field_shape(row.table, field).is_date
            or is_iso_date_text(raw)
        ):
            continue
        value = (
            getattr(record, field)
            if record is not None
            else parse_date(field_shape(row.table, field), raw)
        )
        problem = date_remark(raw, value)
        problem.report_at(report, row.location_of(field), entity=entity, raw=raw)


def _report_country_typos(
    row: RawRow, refused: set[str | None], entity: Entity, report: Reporter
) -> None:
    """Warn of each country read from a typo (`CK-COUNTRY-004`): a guess, always said."""
    for field, raw in row.values.items():
        if (
            field in refused
            or not isinstance(raw, str)
            or field not in TABLES[row.table].model_fields
            or not field_shape(row.table, field).is_country
        ):
            continue
        for problem in country_cell(raw)[1]:
            if problem.rule is COUNTRY_TYPO:
                problem.report_at(
                    report, row.location_of(field), entity=entity, raw=raw
                )


def _report(findings: list[Finding], display: str) -> Report:
    return Report(
        findings=tuple(findings),
        summary=Summary.of(findings),
        as_of=dt.date.today(),  # noqa: DTZ011 - the user's calendar day
        sources=(display,),
        tool_version=VERSION,
        reference_data=reference_version(),
    )


def dump_dataset(
    dataset: Dataset,
    destination: StrPath,
    *,
    layout: Layout | str | None = None,
    overwrite: bool = False,
    country_codes: CodeForm = "iso",
    escape_formulas: bool = False,
) -> Layout:
    """Write a dataset in one of the layouts.

    `load_dataset(dump_dataset(ds, path))` gives a dataset equal to `ds`.

    The writing is all or nothing: the file (or the folder's files) is written
    under a temporary name beside the destination, flushed to the disk and only
    then renamed to the destination, so an error, a full disk or Ctrl-C leaves the
    destination as it was. A destination that is a symbolic link is refused.

    Added in version 0.1.0; `escape_formulas` in version 0.2.0.

    Args:
        dataset: The dataset to write.
        destination: A `.json` or `.xlsx` file, or a folder (created if
            needed) for CSV or JSON Lines files.
        layout: The layout (a `Layout` or a format's name); by default from the
            destination's suffix (`.json`, `.xlsx`; a folder is CSV unless its
            name ends in `.jsonl`).
        overwrite: Replace files that exist; without it, an existing file is an
            error and nothing is written.
        country_codes: Write country codes as ISO 3166-1 alpha-2 (`"iso"`, the
            default: `GR`, `GB`) or in the EU form (`"eu"`: `EL`, `UK`). Both read
            back to the same dataset.
        escape_formulas: CSV only: put a `'` before each text cell that starts
            with `=`, `+`, `-`, `@`, a tab or a carriage return, so that a
            spreadsheet shows it instead of running it as a formula (numbers,
            and lists of them, are never changed); `load_dataset(...,
            unescape_formulas=True)` reads the values back. The other layouts
            need no escaping.

    Returns:
        The layout written.

    Raises:
        FileExistsError: A file to write exists and `overwrite` is false; or the
            destination (or a file in it) is a symbolic link; or a folder
            layout's destination is a file, or a one-file layout's a folder.
        OSError: The destination cannot be written (a full disk, no
            permission); nothing was written.
        DatasetError: A value would not read back as it is (a field's empty
            value where its default is another, a list item holding `;` in a
            cell, infinity in JSON, a text too long for a workbook cell),
            named by table, record and field; nothing was written.
        TypeError: `dataset` is not a `Dataset`, or `destination` is not a path.
        ValueError: `layout` is not a layout name, or `country_codes` is neither
            `"iso"` nor `"eu"`.
    """
    if not isinstance(dataset, Dataset):
        msg = f"dataset must be a Dataset, not {type(dataset).__name__}"
        raise TypeError(msg)
    if not isinstance(destination, (str, os.PathLike)):
        msg = f"destination must be a path, not {type(destination).__name__}"
        raise TypeError(msg)
    path = Path(destination)
    chosen = format_named(layout) if layout is not None else _format_for(path)
    if country_codes not in ("iso", "eu"):
        msg = f"country_codes must be 'iso' or 'eu', not {country_codes!r}"
        raise ValueError(msg)
    write = (chosen.write_escaped if escape_formulas else None) or chosen.write
    if chosen.per_table:
        names = [f"{table}{chosen.suffix}" for table in TABLES]
        targets = [path / name for name in names]
    else:
        targets = [path]
    if chosen.per_table and os.path.lexists(path) and not path.is_dir():
        msg = f"{path} exists and is not a folder; {chosen.name} is written as a folder"
        raise FileExistsError(msg)
    if not chosen.per_table and path.is_dir():
        msg = (
            f"{path} is a folder; {chosen.name} is written as one file (give its name)"
        )
        raise FileExistsError(msg)
    for target in [path, *targets]:
        refuse_link(target)
    existing = [target for target in targets if os.path.lexists(target)]
    if existing and not overwrite:
        msg = f"{existing[0]} exists; pass overwrite=True to replace it"
        raise FileExistsError(msg)
    if chosen.per_table:
        with atomic_folder(path, names) as folder:
            write(folder, dataset, country_codes)
    else:
        with atomic_path(path) as temporary:
            write(temporary, dataset, country_codes)
    # Every registered format is a shipped one, with a member (a test checks it).
    return Layout(chosen.name)


def _format_for(path: Path) -> Any:
    suffix = path.suffix.lower()
    for fmt in formats().values():
        if fmt.suffix == suffix:
            return fmt
    return format_named(Layout.CSV)
