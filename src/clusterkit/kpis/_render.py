"""Private: KPI results and reconciliations as text tables, Markdown and CSV."""

from __future__ import annotations

import csv
import io
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from clusterkit.countries import normalise_country
from clusterkit.kpis._catalogue import CATALOGUE, SCALAR_KPIS
from clusterkit.kpis._result import KPIResult, TargetMarket

if TYPE_CHECKING:
    from clusterkit.kpis._reconcile import Reconciliation

__all__ = ["render_csv", "render_markdown", "render_reconciliation", "render_text"]

_TITLES = {entry.id: entry.title for entry in CATALOGUE}


def _number(value: float | None) -> str:
    if value is None:
        return "undefined"
    if isinstance(value, float):
        return f"{value:,.2f}"
    return f"{value:,}"


def _table(
    header: Sequence[str], rows: Sequence[Sequence[Any]], *, markdown: bool
) -> list[str]:
    cells = [[str(cell) for cell in row] for row in rows]
    numeric = [
        all(_is_number(row[index]) for row in cells) and bool(cells)
        for index in range(len(header))
    ]
    if markdown:
        lines = ["| " + " | ".join(header) + " |"]
        lines.append(
            "| " + " | ".join("---:" if right else "---" for right in numeric) + " |"
        )
        lines.extend("| " + " | ".join(row) + " |" for row in cells)
        return lines
    widths = [
        max([len(header[index])] + [len(row[index]) for row in cells])
        for index in range(len(header))
    ]

    def line(row: Sequence[str]) -> str:
        return "  ".join(
            cell.rjust(width) if right else cell.ljust(width)
            for cell, width, right in zip(row, widths, numeric, strict=True)
        ).rstrip()

    return [line(header), line(["-" * width for width in widths]), *map(line, cells)]


def _is_number(text: str) -> bool:
    digits = text.lstrip("+-").replace(",", "").replace(".", "")
    return text == "undefined" or digits.isdigit()


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
    text = "; ".join(parts) if parts else "every record"
    if scope.by:
        text += "; by " + ", ".join(scope.by)
    return f"Scope: {text} (reference data {result.reference_data})"


def _markets(markets: Sequence[TargetMarket]) -> list[list[Any]]:
    return [
        [rank, _country(market.country), market.partnerships, market.activities]
        for rank, market in enumerate(markets, start=1)
    ]


def _sections(result: KPIResult, *, markdown: bool) -> list[str]:
    heading = "## " if markdown else ""
    lines = [_scope_line(result), ""]
    lines.append(f"{heading}KPIs")
    lines.append("")
    lines += _table(
        ["KPI", "id", "value"],
        [[_TITLES[kpi], kpi, _number(value)] for kpi, value in result.kpis.items()],
        markdown=markdown,
    )
    lines += ["", f"{heading}Activities by type", ""]
    lines += _table(
        ["type", "activities"],
        [[kind, _number(n)] for kind, n in result.activities_by_type.items()],
        markdown=markdown,
    )
    lines += ["", f"{heading}Target markets", ""]
    if result.target_markets:
        lines += _table(
            ["rank", "country", "partnerships", "activities"],
            _markets(result.target_markets),
            markdown=markdown,
        )
    else:
        lines.append("No third-country market in scope.")
    if result.scope.by:
        lines += ["", f"{heading}Groups by " + ", ".join(result.scope.by), ""]
        if result.groups:
            lines += _table(
                [*result.scope.by, *SCALAR_KPIS],
                [
                    [
                        *(_key(group.key[name]) for name in result.scope.by),
                        *(_number(value) for value in group.kpis.values()),
                    ]
                    for group in result.groups
                ],
                markdown=markdown,
            )
        else:
            lines.append("No group: nothing in scope.")
    lines += ["", f"{heading}Records", ""]
    lines += _table(
        ["table", "read", "used", "excluded"],
        [
            [table, _number(count.read), _number(count.used), _number(count.excluded)]
            for table, count in result.records.items()
        ],
        markdown=markdown,
    )
    if result.excluded_by_rule:
        lines += [
            "",
            "Left out because of errors (run `clusterkit validate` for the details): "
            + ", ".join(
                f"{rule} ({count:,})" for rule, count in result.excluded_by_rule.items()
            ),
        ]
    return lines


def render_text(result: KPIResult) -> str:
    """The result as aligned text tables."""
    return "\n".join(_sections(result, markdown=False)) + "\n"


def render_markdown(result: KPIResult) -> str:
    """The result as Markdown tables."""
    return "\n".join(_sections(result, markdown=True)) + "\n"


def render_csv(result: KPIResult) -> str:
    """One row for the scope (`level` = total) and one per group, every KPI a column."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\n")
    by = list(result.scope.by)
    types = list(result.activities_by_type)
    writer.writerow(
        ["level", *by, *SCALAR_KPIS, *(f"activities.{kind}" for kind in types)]
    )

    def row(
        level: str,
        key: Mapping[str, Any],
        kpis: Mapping[str, Any],
        by_type: Mapping[str, int],
    ) -> list[Any]:
        return [
            level,
            *("" if key.get(name) is None else key[name] for name in by),
            *("" if kpis[kpi] is None else kpis[kpi] for kpi in SCALAR_KPIS),
            *(by_type[kind] for kind in types),
        ]

    writer.writerow(row("total", {}, result.kpis, result.activities_by_type))
    for group in result.groups:
        writer.writerow(row("group", group.key, group.kpis, group.activities_by_type))
    return buffer.getvalue()


def render_reconciliation(reconciliation: Reconciliation, *, markdown: bool) -> str:
    """The reconciliation as tables: figures, then target markets."""
    heading = "## " if markdown else ""
    published = reconciliation.reported
    lines = [
        f"Reconciled with: {published.title} ({published.id}, {published.source})",
        "",
        f"{heading}Published figures",
        "",
    ]
    signs = {"exact": "", "more_than": ">", "about": "about "}
    lines += _table(
        ["KPI", "computed", "published", "difference", "agrees"],
        [
            [
                figure.kpi,
                _number(figure.computed),
                f"{signs[figure.qualifier]}{figure.reported:,}",
                "" if figure.difference is None else f"{figure.difference:+,}",
                "yes" if figure.consistent else "no",
            ]
            for figure in reconciliation.figures
        ],
        markdown=markdown,
    )
    if reconciliation.markets:
        lines += ["", f"{heading}Target markets (partnerships)", ""]
        lines += _table(
            ["country", "computed", "published", "difference"],
            [
                [
                    _country(market.country),
                    _number(market.computed),
                    _number(market.reported),
                    f"{market.difference:+,}",
                ]
                for market in reconciliation.markets
            ],
            markdown=markdown,
        )
    return "\n".join(lines) + "\n"
