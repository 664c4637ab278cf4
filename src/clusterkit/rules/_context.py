"""Private: the state of one validation run — options, findings so far, indexes.

A `Context` is the indexes of the pass (`clusterkit._scan.Indexes`: what later
tables and the dataset-wide rules need of each table, in memory that grows with
the number of distinct ids, not rows) together with the run's options and where
its findings go.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Collection, Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import PurePosixPath
from typing import Any, ClassVar, Protocol

import attrs

from clusterkit._alike import Alike
from clusterkit._dates import as_of_day
from clusterkit._limits import at_least
from clusterkit._scan import Batch, Cell, Indexes, Verdicts
from clusterkit.io import FILE_RULES, MISNAMED_TABLE_FILE, UNREADABLE, with_outcome
from clusterkit.models import TABLES
from clusterkit.report import CATALOGUE, Entity, Finding, Rule, Severity, fingerprint
from clusterkit.values import Location

__all__ = [
    "DEFAULT_MIN_MEMBER_COUNTRIES",
    "Collector",
    "Context",
    "Options",
    "Thresholds",
    "amount_text",
    "row_number",
]


# A count of members, countries or targets: `None` (the generation's) or an int >= 0.
_threshold = attrs.validators.optional(at_least(0))


@attrs.frozen
class Thresholds:
    """Thresholds of the partnership-structure rules; `None` defers to the generation.

    Added in version 0.1.0.

    Attributes:
        min_members: Fewest member clusters (CK-PART-001); default: the
            generation's `min_members` (3).
        min_member_countries: Fewest distinct member countries (CK-PART-002);
            default: the generation's, else 3.
        min_target_countries: Fewest third-country targets (CK-PART-008); default:
            the generation's, if any.
        max_target_countries: Most third-country targets before a warning
            (CK-PART-008); default: the generation's, if any.

    Raises:
        TypeError: A threshold is neither an int nor `None`.
        ValueError: A threshold is below 0.
    """

    min_members: int | None = attrs.field(default=None, validator=_threshold)
    min_member_countries: int | None = attrs.field(default=None, validator=_threshold)
    min_target_countries: int | None = attrs.field(default=None, validator=_threshold)
    max_target_countries: int | None = attrs.field(default=None, validator=_threshold)


DEFAULT_MIN_MEMBER_COUNTRIES = 3

_TEXT_LIMIT = 100_000

# The tables other records refer to by id.
_REFERENCED = frozenset({"generations", "clusters", "smes", "partnerships"})
# The files of a folder that hold one table each.
_TABLE_FILES = frozenset({".csv", ".jsonl"})


@attrs.frozen
class Options:
    """What to check and how: rule selection, thresholds, the "today" of CK-DATE-004.

    Added in version 0.1.0.

    Attributes:
        as_of: Dates after this day are in the future (CK-DATE-004).
        select: Only these rules (ids or family prefixes such as `CK-GEO`); all
            default rules when empty. Rules off by default (CK-COUNTRY-003) run
            only when selected.
        ignore: Not these rules (ids or family prefixes).
        fail_on: The lowest severity that makes the data invalid (`None`: never).
        max_findings: Keep at most this many findings (all are still counted).
        thresholds: Overrides of the partnership-structure thresholds.
        min_severity: Keep no finding below this severity (all are still
            counted). Added in version 0.2.0.
    """

    as_of: dt.date
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = Severity.ERROR
    max_findings: int | None = None
    thresholds: Thresholds = Thresholds()
    min_severity: Severity = Severity.INFO

    @classmethod
    def build(
        cls,
        *,
        as_of: dt.date | None = None,
        select: str | Iterable[str] = (),
        ignore: str | Iterable[str] = (),
        fail_on: Severity | str | None = Severity.ERROR,
        max_findings: int | None = None,
        thresholds: Thresholds | None = None,
        min_severity: Severity | str = Severity.INFO,
    ) -> Options:
        """The options from the arguments `validate` takes, checked and normalised.

        `validate` and `compute_kpis` read their options through this, so both
        accept the same forms and refuse the same mistakes.

        Added in version 0.2.0.

        Args:
            as_of: Dates after this day are in the future; default today.
            select: Only these rules: ids or family prefixes (`CK-GEO`), an
                iterable or one comma-separated string; upper-cased.
            ignore: Not these rules, in the forms `select` takes.
            fail_on: A severity, its name, `"never"` or `None` for never.
            max_findings: Keep at most this many findings; `None` keeps all.
            thresholds: Overrides of the partnership-structure thresholds.
            min_severity: Keep no finding below this severity or its name.

        Returns:
            The options.

        Raises:
            ValueError: A `select` or `ignore` entry names no rule, `fail_on` or
                `min_severity` is not a severity, or `max_findings` is negative.
            TypeError: `select` or `ignore` is not a string or strings (bytes
                are not), `thresholds` is not a `Thresholds`, `as_of` is not a
                `datetime.date`, or `max_findings` is not a whole number.

        Examples:
            >>> import datetime as dt
            >>> from clusterkit.rules import Options
            >>> options = Options.build(as_of=dt.date(2026, 1, 1), ignore="ck-part-001, CK-GEO")
            >>> options.ignore
            ('CK-PART-001', 'CK-GEO')
        """
        if thresholds is not None and not isinstance(thresholds, Thresholds):
            msg = f"thresholds must be a Thresholds, not {type(thresholds).__name__}"
            raise TypeError(msg)
        return cls(
            as_of=as_of_day(as_of),
            select=_rule_patterns(select, "select"),
            ignore=_rule_patterns(ignore, "ignore"),
            fail_on=_severity(fail_on),
            max_findings=_limit(max_findings),
            thresholds=thresholds or Thresholds(),
            min_severity=_min_severity(min_severity),
        )

    def enabled(self) -> frozenset[str]:
        """The ids of the rules that run under these options."""

        def matches(rule: str, patterns: Iterable[str]) -> bool:
            return any(rule == p or rule.startswith(f"{p}-") for p in patterns)

        return frozenset(
            rule.id
            for rule in CATALOGUE.values()
            if (matches(rule.id, self.select) if self.select else rule.default)
            and not matches(rule.id, self.ignore)
        )


def _rule_patterns(patterns: str | Iterable[str], what: str) -> tuple[str, ...]:
    if isinstance(patterns, str):
        patterns = [patterns]
    if isinstance(patterns, (bytes, bytearray)) or not isinstance(patterns, Iterable):  # type: ignore[redundant-expr]  # the annotation is not checked at run time
        msg = f"{what} must be a string or strings, not {type(patterns).__name__}"
        raise TypeError(msg)
    patterns = list(patterns)
    for pattern in patterns:
        if not isinstance(pattern, str):
            msg = f"{what} must be a string or strings, not {type(pattern).__name__}"
            raise TypeError(msg)
    cleaned = []
    for pattern in patterns:
        for part in pattern.split(","):
            item = part.strip().upper()
            if not item:
                continue
            if not any(
                rule == item or rule.startswith(f"{item}-") for rule in CATALOGUE
            ):
                msg = (
                    f"{what}: {part.strip()!r} names no rule; give a rule id "
                    "(CK-FK-001) or a family prefix (CK-FK); see `clusterkit rules`"
                )
                raise ValueError(msg)
            cleaned.append(item)
    return tuple(cleaned)


def _severity(value: Severity | str | None) -> Severity | None:
    if value is None or value == "never":
        return None
    try:
        return Severity(value)
    except ValueError:
        msg = f"fail_on must be 'error', 'warning', 'info' or 'never', not {value!r}"
        raise ValueError(msg) from None


def _min_severity(value: Severity | str) -> Severity:
    try:
        return Severity(value)
    except ValueError:
        msg = f"min_severity must be 'error', 'warning' or 'info', not {value!r}"
        raise ValueError(msg) from None


def _limit(value: int | None) -> int | None:
    if value is None:
        return None
    # A whole number of any kind (numpy's too), but not True.
    if isinstance(value, bool) or not hasattr(value, "__index__"):
        msg = f"max_findings must be a whole number or None, not {value!r}"
        raise TypeError(msg)
    value = operator.index(value)
    if value < 0:
        msg = f"max_findings must be at least 0, not {value}"
        raise ValueError(msg)
    return value


class Collector:
    """The findings of a run: every one counted, the first `max_findings` kept."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.enabled = options.enabled()
        self.findings: list[Finding] = []
        self.counts: dict[str, int] = {}
        self.severities = dict.fromkeys(Severity, 0)
        self._texts: dict[str, str] = {}
        # How many findings so far had each fingerprint of their five parts.
        self.alike = Alike()

    def shared(self, text: str) -> str:
        """One copy of each repeated text: many findings share their message."""
        if len(self._texts) > _TEXT_LIMIT:
            self._texts.clear()
        return self._texts.setdefault(text, text)

    def count(self, rule: str, severity: Severity) -> None:
        """Count a finding that is not kept."""
        self.counts[rule] = self.counts.get(rule, 0) + 1
        self.severities[severity] += 1

    def add(self, finding: Finding) -> None:
        """Count a finding and keep it."""
        self.count(finding.rule, finding.severity)
        self.findings.append(finding)

    def relocate(
        self,
        first: int,
        place: Callable[[Collection[Location]], Mapping[Location, Location]],
    ) -> None:
        """Move the findings kept from `first` on (and their related places, in their messages too).

        `place` gets their locations and returns the new place of those that
        move: a JSON document's findings go to their field's line and column.
        """
        kept = self.findings
        wanted = {
            where
            for finding in kept[first:]
            for where in (finding.location, *finding.related)
            if where.pointer is not None and where.line is not None
        }
        placed = place(wanted) if wanted else {}
        if not placed:
            return
        for index in range(first, len(kept)):
            finding = kept[index]
            location = placed.get(finding.location, finding.location)
            related = tuple(placed.get(where, where) for where in finding.related)
            if location is not finding.location or related != finding.related:
                # A message that names a related place ("first at …") names it
                # where it now is.
                message = finding.message
                for before, after in zip(finding.related, related, strict=True):
                    message = message.replace(str(before), str(after))
                kept[index] = attrs.evolve(
                    finding, location=location, related=related, message=message
                )


_CELL_VALUE: Any = object()
"""`report_at`'s default value: the cell's own."""


class Reread(Protocol):
    """Reads the batches of one table again, quietly (`Scan.reread`)."""

    def __call__(
        self, table: str, fields: Collection[str] | None = None
    ) -> Iterator[Batch]:
        """The batches of `table`, with only `fields` if given."""


def _nothing_to_reread(
    table: str, fields: Collection[str] | None = None
) -> Iterator[Batch]:
    del table, fields  # no source read yet
    return iter(())


class Context(Indexes):
    """One dataset being validated: its indexes, and where its findings go."""

    linking_rules: ClassVar[frozenset[str]] = frozenset()
    """The rules that fill `same_records` (one record under two ids), which the
    module declaring them sets: the KPI gate runs them, warnings though they are,
    to count such an SME once."""

    def __init__(self, collector: Collector) -> None:
        super().__init__()
        self.collector = collector
        # The batches of one table read again (to confirm duplicate keys).
        self.reread: Reread = _nothing_to_reread
        self.options = collector.options
        self.enabled = collector.enabled
        self.verdicts = Verdicts()
        # The rows with an error finding, by table (row numbers), when asked for:
        # the KPI engine leaves those records out.
        self.error_rows: dict[str, set[int]] | None = None
        # Error findings by (table, rule id, whether they point at a row).
        self.error_counts: dict[tuple[str | None, str, bool], int] = {}
        # The first finding that left records of a table unread, by table: an id
        # that did not read, a missing id column, an unreadable file. A reference
        # to an unknown id of that table may mean that record: it follows from it.
        self.unread: dict[str, str] = {}
        # The first finding that stopped the reading of a table (its file, its
        # sheet or its part of a document), by table: a record that nothing
        # refers to may be referred to by the rows not read.
        self.stopped: dict[str, str] = {}
        # The first finding of each unknown id, by (table, id): later references
        # to the same id follow from it.
        self.missing: dict[tuple[str, Any], str] = {}
        # The id each of those first findings suggests instead, by fingerprint.
        self.suggested: dict[str, tuple[str, str]] = {}

        # Records CK-DUP-001 found to repeat an earlier one, by table: later id
        # -> first id (the KPI engine counts such SMEs once).
        self.same_records: dict[str, dict[str, str]] = {}

    def _row_of(self, table: str, location: Location) -> int | None:
        """The number of the row of `table` a location points at, if any."""
        source = self.sources.get(table)
        if source is not None and source.kind == "database":
            return source.row_of(location)
        return row_number(location)

    def rehint(self, hints: dict[str, str]) -> None:
        """Give the kept findings with these fingerprints these hints instead."""
        if not hints:
            return
        findings = self.collector.findings
        for index, finding in enumerate(findings):
            hint = hints.get(finding.fingerprint)
            if hint is not None:
                findings[index] = attrs.evolve(finding, hint=hint)

    def failing(
        self,
        batch: Batch,
        fields: tuple[str, ...],
        is_bad: Callable[..., bool],
        rule: Rule,
    ) -> set[Any]:
        """The distinct values (or combinations) of `fields` in `batch` that are bad.

        Each is judged once per run by `is_bad` and remembered, so a check costs
        time per distinct combination, not per row.
        """
        return self.verdicts.failing(batch, fields, is_bad, name=rule.id)

    def flag(
        self,
        rule: Rule,
        batch: Batch,
        fields: tuple[str, ...],
        is_bad: Callable[..., bool],
        *,
        field: str,
        message: Callable[[int], str],
        hint: Callable[[int], str | None] | None = None,
        value: Callable[[int], Any] | None = None,
        expected: Callable[[int], str | None] | None = None,
        related: Callable[[int], Iterable[Location]] | None = None,
    ) -> None:
        """Report every row of a batch whose `fields` are bad, at its `field`.

        The common shape of a check: judge the distinct values, then report the
        rows that hold a bad one, each with a message (and hint, value, expected
        and related places) worked out from the row's index.
        """
        bad = self.failing(batch, fields, is_bad, rule)
        for index in batch.rows_with(fields, bad):
            cell = batch.cell(index, field)
            self.report_at(
                rule,
                cell,
                message(index),
                hint=None if hint is None else hint(index),
                value=cell.value if value is None else value(index),
                expected=None if expected is None else expected(index),
                related=() if related is None else related(index),
            )

    def report_at(
        self,
        rule: Rule,
        cell: Cell,
        message: str,
        *,
        value: Any = _CELL_VALUE,
        hint: str | None = None,
        expected: str | None = None,
        related: Iterable[Location] = (),
        severity: Severity | None = None,
        caused_by: str | None = None,
    ) -> str | None:
        """`report` a finding about one cell of a batch (`batch.cell(index, field)`).

        It is placed at the cell, belongs to the cell's record, and quotes the
        cell's value unless `value` is given.
        """
        return self.report(
            rule,
            cell.location,
            message,
            hint=hint,
            entity=cell.entity,
            value=cell.value if value is _CELL_VALUE else value,
            expected=expected,
            related=related,
            severity=severity,
            caused_by=caused_by,
        )

    def runs(self, rule: Rule) -> bool:
        """Whether `rule` is enabled in this run."""
        return rule.id in self.enabled

    def report(
        self,
        rule: Rule,
        location: Location,
        message: str,
        *,
        hint: str | None = None,
        entity: Entity | None = None,
        value: Any = None,
        expected: str | None = None,
        related: Iterable[Location] = (),
        severity: Severity | None = None,
        caused_by: str | None = None,
        outcome: str | None = None,
    ) -> str | None:
        """Count a finding of `rule`, and keep it unless `max_findings` are kept.

        `outcome`, what a reader that went on did about a problem ("it is
        ignored"), is added to the message, as every `Reporter` adds it.

        Returns:
            The finding's fingerprint, or `None` if its rule does not run.
        """
        message = with_outcome(message, outcome)
        if rule.id not in self.enabled:
            return None
        severity = severity or rule.severity
        text = None if value is None else _text(value)
        digest = fingerprint(rule.id, location.file, entity, location.field, text)
        occurrence = self.collector.alike.number(digest)
        if occurrence > 1:
            # Alike in all five parts (rows without an id, a row repeated): the
            # nth such finding has a fingerprint of its own.
            digest = fingerprint(
                rule.id,
                location.file,
                entity,
                location.field,
                text,
                occurrence=occurrence,
            )
        if severity is Severity.ERROR:
            unread = _unread_table(rule, location, entity)
            if unread is not None:
                self.unread.setdefault(unread, digest)
            stopped = _stopped_table(location) if rule is UNREADABLE else None
            if stopped is not None:
                self.stopped.setdefault(stopped, digest)
        if self.error_rows is not None and severity is Severity.ERROR:
            # A header or a file is not a record (a missing column points at line 1).
            table = None if entity is None else entity.table
            number = (
                None
                if table is None or rule in FILE_RULES
                else self._row_of(table, location)
            )
            key = (table, rule.id, number is not None)
            self.error_counts[key] = self.error_counts.get(key, 0) + 1
            if table is not None and number is not None:
                self.error_rows.setdefault(table, set()).add(number)
        if severity < self.options.min_severity or (
            self.options.max_findings is not None
            and len(self.collector.findings) >= self.options.max_findings
        ):
            # Counted, not kept (below the severity shown, or beyond the number
            # kept): skip building the finding.
            self.collector.count(rule.id, severity)
            return digest
        self.collector.add(
            Finding(
                rule=rule.id,
                severity=severity,
                message=self.collector.shared(message),
                location=location,
                hint=None if hint is None else self.collector.shared(hint),
                entity=entity,
                value=text,
                expected=None if expected is None else self.collector.shared(expected),
                related=tuple(related),
                fingerprint=digest,
                caused_by=caused_by,
            )
        )
        return digest


def _unread_table(rule: Rule, location: Location, entity: Entity | None) -> str | None:
    """The table whose records an error left unread, if it did.

    A record whose id did not read (or a table without its id column) cannot be
    referred to; an unreadable file of a folder leaves its table's rows unread,
    a table's file under another name leaves the whole table unread, and a
    second copy of a table's file leaves the rows it holds unread.
    """
    if rule is MISNAMED_TABLE_FILE and entity is not None:
        return entity.table if entity.table in _REFERENCED else None
    if entity is not None:
        if entity.id is None and location.field == "id" and entity.table in _REFERENCED:
            return entity.table
        return None
    if rule is UNREADABLE and location.file is not None:
        path = PurePosixPath(location.file.replace("\\", "/"))
        if path.suffix in _TABLE_FILES and path.stem in _REFERENCED:
            return path.stem
    return None


def _stopped_table(location: Location) -> str | None:
    """The table whose reading an unreadable-file finding stopped, if it names one.

    A folder's file is named after its table, a workbook's sheet too, and a
    JSON document's pointer starts with it.
    """
    if location.sheet is not None:
        name = location.sheet.strip().lower()
    elif location.pointer is not None:
        name = location.pointer.split("/")[1] if location.pointer.count("/") else ""
    elif location.file is not None:
        path = PurePosixPath(location.file.replace("\\", "/"))
        name = path.stem if path.suffix in _TABLE_FILES else ""
    else:
        name = ""
    return name if name in TABLES else None


def row_number(location: Location) -> int | None:
    """The number of the row a location points at (see `TableSource`), if any."""
    if location.pointer is not None:
        parts = location.pointer.split("/")
        return int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None  # noqa: PLR2004 - "", table, index
    return location.line


def _text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return amount_text(value)
    return str(value)


def amount_text(value: Decimal) -> str:
    """An amount as text without trailing zeros: `1`, not `1.00`; `2.5`, not `2.50`.

    The same amount reads with another number of places from a CSV cell and from
    a DataFrame's decimal column; findings say it one way.
    """
    if value == value.to_integral_value():
        return str(value.quantize(Decimal(1)))
    return format(value.normalize(), "f")
