"""What the validator found: `Finding`s collected in a `Report`.

A `Finding` is one problem at one place, with the id of the rule that found it
(DESIGN.md §4). A `Report` holds the findings of one validation run and its
summary; it is a plain value, built by `clusterkit.validate` and rendered by the
command line. Both are attrs frozen classes: they never come from untrusted input.
"""

from __future__ import annotations

import datetime as dt
import enum
import hashlib
import io
import json
import re
from collections.abc import Mapping
from json.encoder import encode_basestring
from typing import Any, TextIO

import attrs

from clusterkit.errors import DatasetValidationError
from clusterkit.values import Location

__all__ = [
    "REPORT_VERSION",
    "Entity",
    "Finding",
    "Report",
    "Severity",
    "Summary",
    "fingerprint",
]

# A cell (C12) or pointer (/activities/12/start) cut into text and numbers.
_PARTS = re.compile(r"(\d+)")

REPORT_VERSION = 1
"""Version of the JSON report structure; it changes only when the structure does."""


class Severity(str, enum.Enum):
    """How serious a finding is; members compare by seriousness (`ERROR > WARNING`).

    Added in version 0.1.0.

    Examples:
        >>> Severity.ERROR > Severity.WARNING > Severity.INFO
        True
    """

    ERROR = "error"
    WARNING = "warning"
    INFO = "info"

    @property
    def rank(self) -> int:
        """2 for an error, 1 for a warning, 0 for information."""
        return _RANKS[self.value]

    def __gt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank > other.rank

    def __ge__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank >= other.rank

    def __lt__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank < other.rank

    def __le__(self, other: object) -> bool:
        if not isinstance(other, Severity):
            return NotImplemented
        return self.rank <= other.rank


_RANKS = {"error": 2, "warning": 1, "info": 0}
# Enum member attribute access is slow; a report may hold a million findings.
_SEVERITY_TEXT = {"error": "error", "warning": "warning", "info": "info"}


@attrs.frozen
class Entity:
    """The record a finding is about: its table and id (`None` when it has none).

    A third-country target has no id of its own; its id is `PARTNERSHIP/COUNTRY`.

    Added in version 0.1.0.
    """

    table: str
    id: str | None = None


def fingerprint(
    rule: str,
    file: str | None,
    entity: Entity | None,
    field: str | None,
    value: str | None,
) -> str:
    """A short stable digest of what a finding is about, without its line.

    Moving rows around a file keeps every fingerprint, so a CI system can tell a
    new finding from an old one that moved.

    Examples:
        >>> fingerprint("CK-FK-001", "data/activities.csv", Entity("activities", "A1"), "partnership", "P9")
        '06b3d14848d01d96'
    """
    parts = [
        rule,
        file or "",
        entity.table if entity else "",
        (entity.id or "") if entity else "",
        field or "",
        value or "",
    ]
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8"))
    return digest.hexdigest()[:16]


@attrs.frozen
class Finding:
    """One problem the validator found, at one place.

    Added in version 0.1.0.

    Attributes:
        rule: The rule id, e.g. `CK-FK-001` (see `clusterkit rules`).
        severity: Error, warning or information.
        message: What is wrong, for a person, naming the value.
        hint: How to fix it: the closest valid id or value where one exists.
        location: Where it is: file, physical line (header = 1), column, field;
            `sheet`/`cell` in a workbook; `pointer` in a JSON document.
        entity: The record it is about (table and id), when known.
        value: The offending value, as text.
        expected: What was expected instead, as text.
        related: Other places involved: the first occurrence of a duplicate, the
            partnership row that sets an activity's window.
        fingerprint: Stable digest of rule, file, entity, field and value.
    """

    rule: str
    severity: Severity
    message: str
    location: Location
    hint: str | None = None
    entity: Entity | None = None
    value: str | None = None
    expected: str | None = None
    related: tuple[Location, ...] = ()
    fingerprint: str = attrs.field(default="")

    def __attrs_post_init__(self) -> None:
        if not self.fingerprint:
            digest = fingerprint(
                self.rule,
                self.location.file,
                self.entity,
                self.location.field,
                self.value,
            )
            # Frozen: set once, while the value is being built.
            object.__setattr__(self, "fingerprint", digest)

    def sort_key(self) -> tuple[Any, ...]:
        """Order by file, line, column, then cell or pointer (numbers as numbers), rule."""
        where = self.location
        place = where.cell or where.pointer
        return (
            where.file or "",
            where.line or 0,
            where.column or 0,
            _natural(place) if place else (),
            self.rule,
            -_RANKS[self.severity],
        )

    def to_dict(self) -> dict[str, Any]:
        """The finding as JSON-ready values, in the structure of the JSON report."""
        return {
            "rule": self.rule,
            "severity": _SEVERITY_TEXT[self.severity],
            "message": self.message,
            "hint": self.hint,
            "location": location_dict(self.location),
            "entity": None
            if self.entity is None
            else {"table": self.entity.table, "id": self.entity.id},
            "value": self.value,
            "expected": self.expected,
            "related": [location_dict(item) for item in self.related],
            "fingerprint": self.fingerprint,
        }

    def __str__(self) -> str:
        return f"{self.location}: {self.severity.value} {self.rule} {self.message}"


_text = encode_basestring  # JSON string literal of text, at C speed


def _json_value(value: str | int | None) -> str:
    if value is None:
        return "null"
    if isinstance(value, str):
        return _text(value)
    return str(value)


def _location_json(where: Location) -> str:
    return (
        f'{{"file": {_json_value(where.file)}, "line": {_json_value(where.line)}, '
        f'"column": {_json_value(where.column)}, "sheet": {_json_value(where.sheet)}, '
        f'"cell": {_json_value(where.cell)}, "pointer": {_json_value(where.pointer)}, '
        f'"field": {_json_value(where.field)}}}'
    )


def finding_json(finding: Finding) -> str:
    """`json.dumps(finding.to_dict(), ensure_ascii=False)`, several times as fast.

    A report of a million rows may hold tens of thousands of findings; this is
    the text `Report.write_json` writes for each.
    """
    entity = finding.entity
    entity_json = (
        "null"
        if entity is None
        else f'{{"table": {_text(entity.table)}, "id": {_json_value(entity.id)}}}'
    )
    related = ", ".join(_location_json(where) for where in finding.related)
    return (
        f'{{"rule": {_text(finding.rule)}, '
        f'"severity": "{_SEVERITY_TEXT[finding.severity]}", '
        f'"message": {_text(finding.message)}, "hint": {_json_value(finding.hint)}, '
        f'"location": {_location_json(finding.location)}, "entity": {entity_json}, '
        f'"value": {_json_value(finding.value)}, '
        f'"expected": {_json_value(finding.expected)}, "related": [{related}], '
        f'"fingerprint": {_text(finding.fingerprint)}}}'
    )


def _natural(place: str) -> tuple[tuple[int, int, str], ...]:
    """`C12` or `/activities/12/start` cut into parts, numbers compared as numbers."""
    return tuple(
        (0, int(part), "") if part.isdigit() else (1, 0, part)
        for part in _PARTS.split(place)
    )


def location_dict(location: Location) -> dict[str, Any]:
    """A location as the JSON object of the report (absent parts as null)."""
    return {
        "file": location.file,
        "line": location.line,
        "column": location.column,
        "sheet": location.sheet,
        "cell": location.cell,
        "pointer": location.pointer,
        "field": location.field,
    }


@attrs.frozen
class Summary:
    """Counts of a validation run: every finding is counted, shown or not.

    Added in version 0.1.0.

    Attributes:
        error: Number of errors.
        warning: Number of warnings.
        info: Number of informational findings.
        by_rule: Number of findings per rule id, sorted by id.
        shown: Number of findings the report holds.
        total: Number of findings in all.
    """

    error: int = 0
    warning: int = 0
    info: int = 0
    by_rule: Mapping[str, int] = attrs.field(factory=dict)
    shown: int = 0
    total: int = 0

    @property
    def truncated(self) -> bool:
        """Whether the report holds fewer findings than were found."""
        return self.shown < self.total

    def count(self, severity: Severity) -> int:
        """Number of findings of one severity."""
        counts: int = getattr(self, severity.value)
        return counts

    def to_dict(self) -> dict[str, Any]:
        """The summary as in the JSON report."""
        return {
            "error": self.error,
            "warning": self.warning,
            "info": self.info,
            "by_rule": dict(self.by_rule),
            "shown": self.shown,
            "total": self.total,
            "truncated": self.truncated,
        }


@attrs.frozen
class Report:
    """The result of one validation run.

    Added in version 0.1.0.

    Attributes:
        findings: The findings kept, ordered by file, line and column; all of
            them unless `max_findings` was set (then `summary.truncated` says so).
        summary: Counts of every finding, kept or not.
        as_of: The day after which dates count as "in the future" (CK-DATE-004).
        fail_on: The lowest severity that makes the data invalid (`None`: never).
        sources: The paths or names that were validated.
        tool_version: The clusterkit version that ran.
        reference_data: The version of the reference data used.
    """

    findings: tuple[Finding, ...]
    summary: Summary
    as_of: dt.date
    fail_on: Severity | None = Severity.ERROR
    sources: tuple[str, ...] = ()
    tool_version: str = ""
    reference_data: str = ""

    @property
    def ok(self) -> bool:
        """Whether no finding is at or above `fail_on`."""
        if self.fail_on is None:
            return True
        return not any(
            self.summary.count(severity)
            for severity in Severity
            if severity >= self.fail_on
        )

    def raise_for_findings(self) -> None:
        """Raise if the data is not `ok`, with this report on the exception.

        Raises:
            DatasetValidationError: A finding is at or above `fail_on`; its
                `.report` is this report.
        """
        if self.ok:
            return
        summary = self.summary
        errors = "error" if summary.error == 1 else "errors"
        warnings = "warning" if summary.warning == 1 else "warnings"
        message = (
            f"{', '.join(self.sources) or 'dataset'}: {summary.error} {errors}, "
            f"{summary.warning} {warnings}"
        )
        if self.findings:
            message += f"; first: {self.findings[0]}"
        raise DatasetValidationError(
            message, source=self.sources[0] if self.sources else None, report=self
        )

    def to_dict(self) -> dict[str, Any]:
        """The report in the structure of `clusterkit validate --format json`."""
        head = self._head()
        head["findings"] = [finding.to_dict() for finding in self.findings]
        return head

    def _head(self) -> dict[str, Any]:
        return {
            "report_version": REPORT_VERSION,
            "tool": {"name": "clusterkit", "version": self.tool_version},
            "reference_data": self.reference_data,
            "as_of": self.as_of.isoformat(),
            "valid": self.ok,
            "summary": self.summary.to_dict(),
            "findings": [],
        }

    def to_json(self) -> str:
        """The report as JSON text (`clusterkit validate --format json`).

        The summary is indented; each finding is one line, so a report with
        thousands of findings stays readable and greppable.
        """
        buffer = io.StringIO()
        self.write_json(buffer)
        return buffer.getvalue()

    def write_json(self, out: TextIO) -> None:
        """Write `to_json()`'s text to `out` a finding at a time, in flat memory.

        Examples:
            >>> import datetime as dt
            >>> print(Report((), Summary(), dt.date(2026, 1, 1)).to_json())  # doctest: +ELLIPSIS
            {
              "report_version": 1,
              ...
              "findings": []
            }
        """
        text = json.dumps(self._head(), indent=2, ensure_ascii=False)
        # "findings" is the last key: its empty list is where the findings go.
        out.write(text.removesuffix("[]\n}"))
        if not self.findings:
            out.write("[]\n}")
            return
        out.write("[\n")
        for number, finding in enumerate(self.findings):
            if number:
                out.write(",\n")
            out.write("    ")
            out.write(finding_json(finding))
        out.write("\n  ]\n}")
