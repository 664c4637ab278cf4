"""Private: KPI results and reconciliations as tables, written by `clusterkit.render`.

Each section (the KPIs, activities by type, target markets, groups, records) is
a `render.Table`; text, Markdown and CSV are that table written three ways, so
every output escapes alike and a wide table fits the terminal.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from clusterkit.countries import normalise_country
from clusterkit.kpis._definitions import CATALOGUE
from clusterkit.kpis._market import KPIValue, TargetMarket
from clusterkit.render import (
    Table,
    csv_table,
    html_table,
    html_text,
    markdown_table,
    markdown_text,
    number_text,
    text_table,
    wrapped_text,
)

if TYPE_CHECKING:
    from clusterkit.kpis._reconcile import Reconciliation
    from clusterkit.kpis._result import KPIResult

__all__ = ["csv", "html", "markdown", "reconciliation", "text"]

_LABELS = {kpi.id: kpi.label for kpi in CATALOGUE}
_SCALAR = tuple(kpi.id for kpi in CATALOGUE if kpi.kind in {"count", "ratio"})


def _country(code: str) -> str:
    return f"{code} {normalise_country(code).name}"


def _key(value: Any) -> str:
    return "(none)" if value is None else str(value)


def _scope_line(result: KPIResult) -> str:
    scope = result.scope
    parts = []
    if scope.generation:
        parts.append("generation " + ", ".join(scope.generation))
    if scope.partnership:
        parts.append("partnership " + ", ".join(scope.partnership))
    if scope.start or scope.end:
        parts.append(f"activities from {scope.start or '…'} to {scope.end or '…'}")
    if scope.target_country:
        parts.append("target country " + ", ".join(scope.target_country))
    described = "; ".join(parts) if parts else "every record"
    if scope.by:
        described += "; by " + ", ".join(scope.by)
    return f"Scope: {described} (reference data {result.reference_data})"


def _markets(markets: Sequence[TargetMarket]) -> list[list[Any]]:
    return [
        [rank, _country(market.country), market.partnerships, market.activities]
        for rank, market in enumerate(markets, start=1)
    ]


def _sections(result: KPIResult) -> list[tuple[str, Table | str]]:
    """Each section's heading, and its table (or a sentence when it has none)."""
    sections: list[tuple[str, Table | str]] = [
        (
            "KPIs",
            Table.of(
                ["KPI", "id", "value"],
                [[_LABELS[kpi], kpi, number_text(v)] for kpi, v in result.kpis.items()],
            ),
        ),
        (
            "Activities by type",
            Table.of(
                ["type", "activities"],
                [
                    [kind, number_text(n)]
                    for kind, n in result.activities_by_type.items()
                ],
            ),
        ),
        (
            "Target markets",
            Table.of(
                ["rank", "country", "partnerships", "activities"],
                _markets(result.target_markets),
            )
            if result.target_markets
            else "No third-country market in scope.",
        ),
    ]
    if result.scope.by:
        sections.append(
            (
                "Groups by " + ", ".join(result.scope.by),
                Table.of(
                    [*result.scope.by, *_SCALAR],
                    [
                        [
                            *(_key(group.key[name]) for name in result.scope.by),
                            *(number_text(value) for value in group.kpis.values()),
                        ]
                        for group in result.groups
                    ],
                )
                if result.groups
                else "No group: nothing in scope.",
            )
        )
    sections.append(
        (
            "Records",
            Table.of(
                ["table", "read", "used", "excluded"],
                [
                    [
                        table,
                        number_text(count.read),
                        number_text(count.used),
                        number_text(count.excluded),
                    ]
                    for table, count in result.records.items()
                ],
            ),
        )
    )
    return sections


def _excluded(result: KPIResult) -> list[str]:
    if not result.excluded_by_rule:
        return []
    return [
        "",
        "Left out because of errors (run `clusterkit validate` for the details): "
        + ", ".join(
            f"{rule} ({count:,})" for rule, count in result.excluded_by_rule.items()
        ),
    ]


def _notes(result: KPIResult) -> list[str]:
    return [line for note in result.notes for line in ("", note)]


def text(result: KPIResult, width: int | None = None) -> str:
    """The result as aligned text tables, fitted to `width` columns if given.

    The prose around them (the scope, the notes) quotes ids from the data:
    `wrapped_text` escapes it as `text_table` escapes the cells.
    """
    lines = [wrapped_text(_scope_line(result), width)]
    for heading, body in _sections(result):
        lines += ["", heading, ""]
        lines.append(body if isinstance(body, str) else text_table(body, width))
    prose = [wrapped_text(line, width) for line in _notes(result) + _excluded(result)]
    return "\n".join(lines + prose) + "\n"


def markdown(result: KPIResult) -> str:
    """The result as Markdown tables, every cell escaped."""
    lines = [markdown_text(_scope_line(result))]
    for heading, body in _sections(result):
        lines += ["", f"## {heading}", ""]
        lines.append(
            markdown_text(body) if isinstance(body, str) else markdown_table(body)
        )
    lines += [markdown_text(line) for line in _notes(result)]
    excluded = _excluded(result)
    if excluded:
        lines += ["", markdown_text(excluded[1])]
    return "\n".join(lines) + "\n"


def html(result: KPIResult) -> str:
    """The result as HTML tables, every cell escaped: a notebook's display."""
    parts = [f"<p>{html_text(_scope_line(result))}</p>"]
    for heading, body in _sections(result):
        parts.append(f"<h4>{html_text(heading)}</h4>")
        parts.append(
            f"<p>{html_text(body)}</p>" if isinstance(body, str) else html_table(body)
        )
    parts += [f"<p>{html_text(note)}</p>" for note in result.notes]
    excluded = _excluded(result)
    if excluded:
        parts.append(f"<p>{html_text(excluded[1])}</p>")
    return "\n".join(parts)


def csv(result: KPIResult) -> str:
    """One row for the scope (`level` = total) and one per group, every KPI a column."""
    by = list(result.scope.by)
    types = list(result.activities_by_type)

    def row(
        level: str,
        key: Mapping[str, Any],
        kpis: Mapping[str, KPIValue],
        by_type: Mapping[str, int],
    ) -> list[Any]:
        return [
            level,
            *("" if key.get(name) is None else key[name] for name in by),
            *("" if kpis[kpi] is None else kpis[kpi] for kpi in _SCALAR),
            *(by_type[kind] for kind in types),
        ]

    rows = [row("total", {}, result.kpis, result.activities_by_type)]
    rows += [
        row("group", group.key, group.kpis, group.activities_by_type)
        for group in result.groups
    ]
    header = ["level", *by, *_SCALAR, *(f"activities.{kind}" for kind in types)]
    return csv_table(Table.of(header, rows))


def reconciliation(
    reconciled: Reconciliation, *, markdown: bool, width: int | None = None
) -> str:
    """The reconciliation as tables: figures, then target markets."""
    published = reconciled.reported
    signs = {"exact": "", "more_than": ">", "about": "about "}
    sections = [
        (
            "Published figures",
            Table.of(
                ["KPI", "computed", "published", "difference", "agrees"],
                [
                    [
                        figure.kpi,
                        number_text(figure.computed),
                        f"{signs[figure.qualifier]}{figure.reported:,}",
                        "" if figure.difference is None else f"{figure.difference:+,}",
                        figure.verdict,
                    ]
                    for figure in reconciled.figures
                ],
            ),
        )
    ]
    if reconciled.markets:
        sections.append(
            (
                "Target markets (partnerships)",
                Table.of(
                    ["country", "computed", "published", "difference"],
                    [
                        [
                            _country(market.country),
                            number_text(market.computed),
                            number_text(market.reported),
                            f"{market.difference:+,}",
                        ]
                        for market in reconciled.markets
                    ],
                ),
            )
        )
    head = f"Reconciled with: {published.title} ({published.id}, {published.source})"
    lines = [markdown_text(head) if markdown else wrapped_text(head, width)]
    for heading, table in sections:
        if markdown:
            lines += ["", f"## {heading}", "", markdown_table(table)]
        else:
            lines += ["", heading, "", text_table(table, width)]
    return "\n".join(lines) + "\n"
