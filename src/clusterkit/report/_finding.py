"""Private: `Finding`, one problem at one place, its `Severity` and `Entity`."""

from __future__ import annotations

import enum
import hashlib
import re
from json.encoder import encode_basestring
from typing import Any

import attrs

from clusterkit._output import surrogates_escaped
from clusterkit.values import Location

__all__ = [
    "REPORT_VERSION",
    "Entity",
    "Finding",
    "Severity",
    "finding_json",
    "fingerprint",
    "location_dict",
]

# A cell (C12) or pointer (/activities/12/start) cut into text and numbers.
_PARTS = re.compile(r"(\d+)")

REPORT_VERSION = 2
"""Version of the JSON report structure; it changes only when the structure does.

Version 2 (clusterkit 0.2.0) added each finding's `caused_by`.
"""


class Severity(str, enum.Enum):
    """How serious a finding is; members compare by seriousness (`ERROR > WARNING`).

    A member also compares with the name of one (`severity >= "warning"`); a
    string that names none raises `ValueError`.

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

    # A name compares by seriousness too: left to str, "error" < "warning".
    def __gt__(self, other: Severity | str) -> bool:
        rank = _rank(other)
        return NotImplemented if rank is None else self.rank > rank

    def __ge__(self, other: Severity | str) -> bool:
        rank = _rank(other)
        return NotImplemented if rank is None else self.rank >= rank

    def __lt__(self, other: Severity | str) -> bool:
        rank = _rank(other)
        return NotImplemented if rank is None else self.rank < rank

    def __le__(self, other: Severity | str) -> bool:
        rank = _rank(other)
        return NotImplemented if rank is None else self.rank <= rank


def _rank(other: object) -> int | None:
    """The rank of a severity or its name; `None` for what is neither text nor one."""
    if isinstance(other, Severity):
        return other.rank
    if not isinstance(other, str):
        return None
    if other not in _RANKS:
        msg = f"a Severity compares with 'error', 'warning' or 'info', not {other!r}"
        raise ValueError(msg)
    return _RANKS[other]


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
    *,
    occurrence: int = 1,
) -> str:
    """A short stable digest of what a finding is about, without its line.

    Moving rows around a file keeps every fingerprint, so a CI system can tell a
    new finding from an old one that moved. Findings alike in all five parts (two
    rows without an id, a row repeated) are told apart by `occurrence`: the
    validator gives the second such finding of a report 2, the third 3.

    Args:
        rule: The rule id.
        file: The file, as displayed.
        entity: The record, if known.
        field: The field, if known.
        value: The offending value, as text.
        occurrence: Which finding alike in all other parts this is, from 1; the
            first's digest is that of the five parts alone. Added in version 0.2.0.

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
    if occurrence > 1:
        parts.append(str(occurrence))
    # A lone surrogate (a file name that is not UTF-8) is hashed as well.
    digest = hashlib.sha256("\x1f".join(parts).encode("utf-8", "surrogatepass"))
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
        caused_by: The fingerprint of the finding this one follows from, if any:
            a reference to a record whose id could not be read, or a later
            reference to an id already reported missing. Text, GitHub and SARIF
            output fold such a finding under its cause; it has no hint of its own.
            Added in version 0.2.0.
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
    caused_by: str | None = None

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
            "caused_by": self.caused_by,
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
    return surrogates_escaped(
        f'{{"rule": {_text(finding.rule)}, '
        f'"severity": "{_SEVERITY_TEXT[finding.severity]}", '
        f'"message": {_text(finding.message)}, "hint": {_json_value(finding.hint)}, '
        f'"location": {_location_json(finding.location)}, "entity": {entity_json}, '
        f'"value": {_json_value(finding.value)}, '
        f'"expected": {_json_value(finding.expected)}, "related": [{related}], '
        f'"fingerprint": {_text(finding.fingerprint)}, '
        f'"caused_by": {_json_value(finding.caused_by)}}}'
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
