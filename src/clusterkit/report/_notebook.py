"""Private: a `Report` as a DataFrame, and as HTML for a notebook's display.

The frame has a column per key of `Finding.to_dict()`, whatever keys it has:
an object's keys (the location's `file`, `line`, …, the entity's `table` and
`id`) become columns of their own in its place, a list (`related`) a list of
text; a key added to `to_dict()` later is a column with no change here.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import TYPE_CHECKING, Any

from clusterkit import _frames
from clusterkit._frames import Column, ColumnKind
from clusterkit.render import Table, html_table, html_text
from clusterkit.report._finding import Entity, Finding, Severity
from clusterkit.report._formats import (
    below_sentence,
    listed_findings,
    truncation_sentence,
)
from clusterkit.values import Location

if TYPE_CHECKING:
    from clusterkit.report._report import Report

__all__ = ["HTML_FINDINGS", "finding_columns", "report_frame", "report_html"]

HTML_FINDINGS = 20
"""How many findings a report's HTML display lists."""

# A finding with every part given, whose values tell each column's kind even
# when no finding of a report gives it; a part added later is told by its values.
_SAMPLE = Finding(
    "",
    Severity.INFO,
    "",
    Location(file="", line=1, column=1, sheet="", cell="", pointer="", field=""),
    hint="",
    entity=Entity("", ""),
    value="",
    expected="",
    related=(Location(),),
    caused_by="",
)


def _flat(data: dict[str, Any]) -> dict[str, Any]:
    """A finding's dictionary with each object's keys in its place, as keys of their own.

    A key that the finding has already is prefixed by its object's (`entity_id`).
    """
    scalars = {key for key, value in data.items() if not isinstance(value, dict)}
    flat: dict[str, Any] = {}
    for key, value in data.items():
        if isinstance(value, dict):
            for inner, item in value.items():
                flat[f"{key}_{inner}" if inner in scalars else inner] = item
        else:
            flat[key] = value
    return flat


def _kind(value: Any) -> ColumnKind:
    if isinstance(value, list):
        return "list"
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int):
        return "int"
    return "text"


def finding_columns(findings: Sequence[Finding]) -> list[Column]:
    """A column per key of the findings' flattened `to_dict()`, typed by its values."""
    sample = _flat(_SAMPLE.to_dict())
    rows = [_flat(finding.to_dict()) for finding in findings]
    names = list(sample)
    names += [name for row in rows for name in row if name not in sample]
    columns = []
    for name in dict.fromkeys(names):
        values = [row.get(name) for row in rows]
        given = [value for value in values if value is not None]
        kinds = {_kind(value) for value in given} or {_kind(sample.get(name))}
        kind = kinds.pop() if len(kinds) == 1 else "text"
        if kind == "list":
            values = [
                None if value is None else [_text(item) for item in value]
                for value in values
            ]
        elif kind == "text":
            values = [None if value is None else _text(value) for value in values]
        columns.append(Column(name, kind, values))
    return columns


def _text(value: Any) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and set(value) <= set(_SAMPLE.to_dict()["location"]):
        return str(Location(**value))
    return json.dumps(value, ensure_ascii=False)


def report_frame(report: Report, backend: _frames.Backend) -> Any:
    """The report's findings as a frame, a row per finding."""
    return _frames.build(backend, finding_columns(report.findings))


def report_html(report: Report, limit: int = HTML_FINDINGS) -> str:
    """The summary, the counts by severity and the first findings, as HTML.

    The findings in the order of the text rendering and the step summary,
    errors first, those that follow from another counted with it; then what the
    report leaves out, as the text rendering says it (`below_sentence`,
    `truncation_sentence`), the options named as `validate` takes them.
    """
    summary = report.summary
    verdict = "valid" if report.ok else "invalid"
    fail_on = (
        "never fails" if report.fail_on is None else f"fails on {report.fail_on.value}"
    )
    headline = (
        f"<p><strong>{verdict}</strong> ({html_text(fail_on)}) · as of "
        f"{report.as_of.isoformat()}</p>"
    )
    parts = [
        headline,
        html_table(
            Table.of(
                ["severity", "findings"],
                [
                    [severity.value, f"{summary.count(severity):,}"]
                    for severity in Severity
                ],
            )
        ),
    ]
    listed = listed_findings(report.findings)
    shown = listed[:limit]
    if shown:
        parts.append(
            html_table(
                Table.of(
                    ["severity", "rule", "where", "message", "hint"],
                    [
                        [
                            finding.severity.value,
                            finding.rule,
                            str(finding.location),
                            message,
                            finding.hint,
                        ]
                        for finding, message in shown
                    ],
                    align=["left"] * 5,
                )
            )
        )
    if len(listed) > len(shown):
        parts.append(
            f"<p>The first {len(shown):,} of {len(listed):,} findings, errors first "
            "(those that follow from another counted with it); "
            "<code>to_frame()</code> has them all.</p>"
        )
    if summary.below:
        below = below_sentence(report, python=True)
        parts.append(
            f"<p>The report leaves out findings below its severity: "
            f"{html_text(below)}.</p>"
        )
    if summary.truncated:
        truncation = truncation_sentence(summary, python=True)
        parts.append(f"<p>The report is truncated: {html_text(truncation)}.</p>")
    return "\n".join(parts)
