"""Private: a report's tables and charts, as values both writers (HTML, xlsx) lay out.

Each `Table` holds typed cells (numbers stay numbers, so the workbook gets
number cells and the page formats them one way); each `Chart` draws two
columns of one table, so the chart and the table beside it show the same
numbers.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Literal

import attrs

from clusterkit import kpis
from clusterkit.countries import normalise_country
from clusterkit.render import safe_text
from clusterkit.rules import CATALOGUE

if TYPE_CHECKING:
    from collections.abc import Mapping

    from clusterkit.reports._report import KPIReport

__all__ = [
    "SCALAR",
    "Cell",
    "Chart",
    "Kind",
    "Table",
    "caption",
    "charts",
    "country",
    "drawn",
    "findings_left_out",
    "findings_shown",
    "key_text",
    "provenance",
    "scope_text",
    "shown",
    "tables",
]

Cell = str | int | float | None
Kind = Literal["text", "int", "number"]

SCALAR = tuple(kpi for kpi in kpis.definitions() if kpi.kind in {"count", "ratio"})
"""The KPIs with one number each, in catalogue order."""

MAX_FINDINGS = 1000
"""Findings listed in a report; the rest are counted (`clusterkit validate` lists all)."""


@attrs.frozen
class Table:
    """One table of a report: a page section and a workbook sheet.

    Attributes:
        key: Its id: the page's anchor, and how charts name it.
        title: Its heading; the sheet's name.
        headers: The column headings.
        kinds: How each column's cells are written.
        rows: The cells, row by row.
        empty: The sentence shown instead of a table without rows.
    """

    key: str
    title: str
    headers: tuple[str, ...]
    kinds: tuple[Kind, ...]
    rows: tuple[tuple[Cell, ...], ...]
    empty: str = "Nothing in scope."


@attrs.frozen
class Chart:
    """A bar chart of one column of a table, labelled by another.

    Attributes:
        key: Its id.
        table: The key of the table it draws.
        title: Its caption.
        label: The column of the bars' labels.
        value: The column of their lengths.
        horizontal: Bars across (long labels) or upright (periods).
        limit: At most this many bars, the first rows.
    """

    key: str
    table: str
    title: str
    label: int
    value: int
    horizontal: bool = True
    limit: int = 15


def caption(chart: Chart, table: Table) -> str:
    """A chart's title, saying so when it draws only the first rows of its table."""
    if len(table.rows) > chart.limit:
        return f"{chart.title} (the first {chart.limit} of {len(table.rows)})"
    return chart.title


def findings_left_out(report: KPIReport) -> str | None:
    """How many of the KPI gate's findings the report does not list; `None`: none."""
    validation = report.result.validation
    shown = findings_shown(report)
    if validation is None or shown >= validation.summary.total:
        return None
    return (
        f"the first {shown:,} of {validation.summary.total:,} are listed; "
        "clusterkit validate lists them all"
    )


def drawn(chart: Chart, table: Table) -> tuple[tuple[Cell, ...], ...]:
    """The rows a chart draws: none when every bar would be 0."""
    rows = table.rows[: chart.limit]
    return rows if any(row[chart.value] for row in rows) else ()


def shown(text: str) -> str:
    """Text as a report shows it: control characters made visible, line breaks kept.

    An escape sequence in a path, or a finding that quotes a bad cell, would be
    invisible in a page, and a workbook cannot hold it at all.
    """
    return safe_text(text, keep="\t\n\r")


def country(code: str) -> str:
    """`US United States`: a target country's code and name."""
    return f"{code} {normalise_country(code).name}"


def key_text(value: str | int | None) -> str:
    """A breakdown group's key, `(none)` for records without one."""
    return "(none)" if value is None else str(value)


def scope_text(report: KPIReport) -> str:
    """The filters of the report's scope in words."""
    scope = report.result.scope
    parts = []
    if scope.generation:
        parts.append("generation " + ", ".join(scope.generation))
    if scope.partnership:
        parts.append("partnership " + ", ".join(scope.partnership))
    if scope.start or scope.end:
        parts.append(f"activities from {scope.start or '…'} to {scope.end or '…'}")
    if scope.target_country:
        parts.append("target country " + ", ".join(scope.target_country))
    return "; ".join(parts) if parts else "every record"


def findings_shown(report: KPIReport) -> int:
    """How many of the KPI gate's findings the report lists."""
    validation = report.result.validation
    return 0 if validation is None else min(len(validation.findings), MAX_FINDINGS)


def _type_label(kind: str) -> str:
    return kind.replace("_", " ")


def _kpi_row(values: Mapping[str, float | None]) -> list[Cell]:
    return [values[kpi.id] for kpi in SCALAR]


def tables(report: KPIReport) -> tuple[Table, ...]:
    """Every table of the report, in the order the page and the workbook show them."""
    result = report.result
    kpi_values = dict(result.kpis)
    found: list[Table] = [
        Table(
            "summary",
            "Summary",
            ("KPI", "id", "value", "unit"),
            ("text", "text", "number", "text"),
            tuple((kpi.label, kpi.id, kpi_values[kpi.id], kpi.unit) for kpi in SCALAR),
        ),
        Table(
            "target-markets",
            "Target markets",
            ("rank", "code", "country", "partnerships", "activities"),
            ("int", "text", "text", "int", "int"),
            tuple(
                (rank, m.country, country(m.country), m.partnerships, m.activities)
                for rank, m in enumerate(result.target_markets, start=1)
            ),
            empty="No third-country market in scope.",
        ),
        Table(
            "activities-by-type",
            "Activities by type",
            ("type", "activities"),
            ("text", "int"),
            tuple(
                (_type_label(kind), n) for kind, n in result.activities_by_type.items()
            ),
        ),
    ]
    types = [kind for kind, n in result.activities_by_type.items() if n]
    count: Kind = "int"
    counts = (count,) * len(types)
    found.append(
        Table(
            "over-time",
            f"Activities by {report.period}",
            (report.period, "activities", *(_type_label(t) for t in types)),
            ("text", "int", *counts),
            tuple(
                (
                    key_text(group.key[report.period]),
                    sum(group.activities_by_type.values()),
                    *(group.activities_by_type[t] for t in types),
                )
                for group in report.over_time.groups
            ),
            empty="No activity in scope.",
        )
    )
    found.append(
        Table(
            "partnerships",
            "Partnerships",
            ("partnership", *(kpi.label for kpi in SCALAR)),
            ("text", *_kinds()),
            tuple(
                (
                    key_text(group.key["partnership"]),
                    *_kpi_row(group.kpis),
                )
                for group in report.by_partnership.groups
            ),
            empty="No partnership in scope.",
        )
    )
    found += _reconciliation(report)
    found += _validation(report)
    return tuple(found)


def _kinds() -> tuple[Kind, ...]:
    return tuple("number" if kpi.kind == "ratio" else "int" for kpi in SCALAR)


def _reconciliation(report: KPIReport) -> list[Table]:
    reconciled = report.reconciliation
    if reconciled is None:
        return []
    signs = {"exact": "", "more_than": "more than ", "about": "about "}
    labels = {kpi.id: kpi.label for kpi in SCALAR}
    found = [
        Table(
            "reconciliation",
            "Reconciliation",
            ("KPI", "id", "computed", "published", "difference", "agrees", "quote"),
            ("text", "text", "number", "text", "number", "text", "text"),
            tuple(
                (
                    labels.get(figure.kpi, figure.kpi),
                    figure.kpi,
                    figure.computed,
                    f"{signs[figure.qualifier]}{figure.reported:,}",
                    figure.difference,
                    figure.verdict,
                    figure.quote,
                )
                for figure in reconciled.figures
            ),
        )
    ]
    if reconciled.markets:
        found.append(
            Table(
                "reconciled-markets",
                "Reconciled markets",
                ("country", "computed", "published", "difference"),
                ("text", "int", "int", "int"),
                tuple(
                    (country(m.country), m.computed, m.reported, m.difference)
                    for m in reconciled.markets
                ),
            )
        )
    return found


def _validation(report: KPIReport) -> list[Table]:
    result = report.result
    findings = () if result.validation is None else result.validation.findings
    return [
        Table(
            "records",
            "Records",
            ("table", "read", "used", "excluded"),
            ("text", "int", "int", "int"),
            tuple(
                (table, count.read, count.used, count.excluded)
                for table, count in result.records.items()
            ),
        ),
        Table(
            "excluded-by-rule",
            "Excluded by rule",
            ("rule", "title", "errors"),
            ("text", "text", "int"),
            tuple(
                (rule, CATALOGUE[rule].title, n)
                for rule, n in result.excluded_by_rule.items()
            ),
            empty="No record was left out.",
        ),
        Table(
            "findings",
            "Findings",
            ("rule", "severity", "where", "record", "message"),
            ("text", "text", "text", "text", "text"),
            tuple(
                (
                    finding.rule,
                    finding.severity.value,
                    str(finding.location),
                    ""
                    if finding.entity is None
                    else f"{finding.entity.table} {finding.entity.id or ''}".strip(),
                    finding.message,
                )
                for finding in findings[:MAX_FINDINGS]
            ),
            empty="No finding left a record out.",
        ),
    ]


def charts(report: KPIReport) -> tuple[Chart, ...]:
    """The report's charts, each drawing a table of `tables(report)`."""
    return (
        Chart(
            "target-markets-chart",
            "target-markets",
            "Partnerships targeting each market",
            label=2,
            value=3,
        ),
        Chart(
            "activities-by-type-chart",
            "activities-by-type",
            "Activities by type",
            label=0,
            value=1,
        ),
        Chart(
            "over-time-chart",
            "over-time",
            f"Activities by {report.period}",
            label=0,
            value=1,
            horizontal=False,
            limit=200,
        ),
    )


def provenance(report: KPIReport) -> tuple[tuple[str, str], ...]:
    """Where the report's numbers come from: each fact's name and value."""
    facts = [
        ("clusterkit", report.version),
        ("reference data", report.result.reference_data),
        ("as of", report.as_of.isoformat()),
        ("scope", scope_text(report)),
    ]
    facts += [
        (
            "input",
            file.name
            if file.sha256 is None
            else f"{file.name} ({file.size:,} bytes, SHA-256 {file.sha256})",
        )
        for file in report.inputs
    ]
    return tuple(facts)
