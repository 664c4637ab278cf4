"""Private: a `KPIReport` as one self-contained HTML page.

Everything the page needs is in the file: the styles in a `<style>` element and
the charts as inline SVG (`_charts`); there is no script. A Content Security
Policy of `default-src 'none'` tells the browser to fetch nothing even if a
value got past the escaping. Every cell, label and message is escaped, since
they come from the user's files.
"""

from __future__ import annotations

import html
from typing import TYPE_CHECKING

from clusterkit.render import number_text
from clusterkit.report import Summary
from clusterkit.reports import _charts
from clusterkit.reports._tables import (
    SCALAR,
    Cell,
    Kind,
    Table,
    caption,
    charts,
    drawn,
    findings_shown,
    provenance,
    scope_text,
    shown,
    tables,
)

if TYPE_CHECKING:
    from clusterkit.reports._report import KPIReport

__all__ = ["page"]


def escape(text: str) -> str:
    """HTML text, its control characters made visible (see `shown`)."""
    return html.escape(shown(text))


_CSS = """
:root { --ink: #1b1f2a; --muted: #5b6373; --line: #d0d4dc; --accent: #1f3a93;
  --soft: #f3f5f9; --bad: #a3262a; }
* { box-sizing: border-box; }
body { margin: 0; font: 15px/1.45 system-ui, -apple-system, "Segoe UI", Roboto,
  "Helvetica Neue", Arial, sans-serif; color: var(--ink); background: #fff; }
header, main, footer { max-width: 72rem; margin: 0 auto; padding: 0 1rem; }
header { padding-top: 1.5rem; }
h1 { font-size: 1.6rem; margin: 0 0 .25rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .5rem; padding-top: .5rem;
  border-top: 2px solid var(--accent); }
h3 { font-size: 1.05rem; margin: 1.25rem 0 .5rem; }
p.lead { color: var(--muted); margin: 0 0 1rem; }
nav ul { list-style: none; padding: 0; margin: 0 0 1rem; display: flex;
  flex-wrap: wrap; gap: .25rem .75rem; }
nav a { color: var(--accent); }
.cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(10.5rem, 1fr));
  gap: .6rem; margin: 0; padding: 0; }
.kpi { background: var(--soft); border-radius: .4rem; padding: .6rem .75rem;
  break-inside: avoid; }
.kpi .value { font-size: 1.45rem; font-weight: 600; margin: 0;
  font-variant-numeric: tabular-nums; }
.kpi .label { margin: 0; color: var(--muted); font-size: .85rem; }
figure.chart { margin: .5rem 0 1rem; break-inside: avoid; }
figure.chart svg { display: block; width: 100%; max-width: 46rem; height: auto; }
figcaption { color: var(--muted); font-size: .85rem; }
.table { overflow-x: auto; margin: 0 0 1rem; }
table { border-collapse: collapse; font-size: .9rem; min-width: 50%; }
caption { text-align: left; color: var(--muted); padding: .25rem 0; }
th, td { padding: .3rem .6rem; border-bottom: 1px solid var(--line);
  text-align: left; vertical-align: top; }
th { background: var(--soft); position: sticky; top: 0; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums;
  white-space: nowrap; }
td.no { color: var(--bad); font-weight: 600; }
dl { display: grid; grid-template-columns: max-content 1fr; gap: .25rem 1rem; }
dt { color: var(--muted); }
dd { margin: 0; overflow-wrap: anywhere; }
footer { color: var(--muted); font-size: .85rem; padding-bottom: 2rem; }
@media (max-width: 40rem) {
  body { font-size: 14px; }
  .kpi .value { font-size: 1.2rem; }
  dl { grid-template-columns: 1fr; }
  dd { margin-bottom: .4rem; }
}
@media print {
  @page { margin: 1.5cm; }
  body { font-size: 10pt; }
  nav { display: none; }
  header, main, footer { max-width: none; padding: 0; }
  h2 { break-after: avoid; }
  .table { overflow: visible; }
  th { position: static; }
  tr, .kpi, figure.chart { break-inside: avoid; }
}
"""

_NUMERIC = ' class="num"'
_CSP = "default-src 'none'; style-src 'unsafe-inline'"


def _cell(value: Cell, kind: Kind) -> str:
    if kind == "text":
        text = "" if value is None else str(value)
        attributes = ' class="no"' if text == "no" else ""
        return f"<td{attributes}>{escape(text)}</td>"
    return f'<td class="num">{escape(number_text(value))}</td>'  # type: ignore[arg-type]  # number columns hold numbers


def _table(table: Table) -> str:
    if not table.rows:
        return f'<p id="{table.key}-table">{escape(table.empty)}</p>'
    head = "".join(
        f'<th scope="col"{_NUMERIC if kind != "text" else ""}>{escape(h)}</th>'
        for h, kind in zip(table.headers, table.kinds, strict=True)
    )
    body = "".join(
        "<tr>"
        + "".join(
            _cell(value, kind) for value, kind in zip(row, table.kinds, strict=True)
        )
        + "</tr>"
        for row in table.rows
    )
    return (
        f'<div class="table"><table id="{table.key}-table">'
        f"<thead><tr>{head}</tr></thead><tbody>{body}</tbody></table></div>"
    )


def _cards(table: Table) -> str:
    cards = "".join(
        f'<div class="kpi" data-kpi="{escape(str(kpi_id))}">'
        f'<p class="value">{escape(number_text(value))}</p>'  # type: ignore[arg-type]  # the value column holds numbers
        f'<p class="label">{escape(str(label))}</p></div>'
        for label, kpi_id, value, _unit in table.rows
    )
    return f'<div class="cards">{cards}</div>'


def page(report: KPIReport) -> str:
    """The whole page."""
    by_key = {table.key: table for table in tables(report)}
    figures = {}
    for chart in charts(report):
        table = by_key[chart.table]
        rows = drawn(chart, table)
        if not rows:
            continue
        svg = _charts.bar_chart(
            chart.key,
            chart.title,
            [str(row[chart.label]) for row in rows],
            [row[chart.value] or 0 for row in rows],  # type: ignore[misc]  # the value column holds numbers
            horizontal=chart.horizontal,
        )
        figures[chart.table] = (
            f'<figure class="chart" id="{chart.key}">{svg}'
            f"<figcaption>{escape(caption(chart, table))}</figcaption></figure>"
        )

    result = report.result

    def block(key: str, heading: str | None = None) -> str:
        table = by_key[key]
        title = f"<h3>{escape(heading)}</h3>" if heading else ""
        return title + figures.get(key, "") + _table(table)

    sections: list[tuple[str, str, str]] = [
        (
            "headline",
            "Headline KPIs",
            # How records were counted beyond the definitions, under the numbers.
            _cards(by_key["summary"])
            + "".join(f"<p>{escape(note)}</p>" for note in result.notes),
        ),
        ("target-markets", "Target markets", block("target-markets")),
        (
            "activities",
            "Activities",
            block("activities-by-type", "By type")
            + block("over-time", f"By {report.period}"),
        ),
        ("partnerships", "Partnerships", block("partnerships")),
    ]
    if report.reconciliation is not None:
        published = report.reconciliation.reported
        intro = (
            f'<p>Set beside "{escape(published.title)}" ({escape(published.id)}, '
            + (f"published {published.published}; " if published.published else "")
            + f"{escape(published.source)}).</p>"
        )
        markets = (
            block("reconciled-markets", "Target markets (partnerships)")
            if "reconciled-markets" in by_key
            else ""
        )
        sections.append(
            (
                "reconciliation",
                "Reconciliation with the published figures",
                intro + block("reconciliation") + markets,
            )
        )
    counts = Summary() if result.validation is None else result.validation.summary
    total = counts.total
    shown = findings_shown(report)
    # The gate's warnings (an SME under two ids, counted once) leave nothing out.
    others = total - counts.error
    summary = (
        f"<p>{result.excluded:,} records left out of "
        f"{sum(n.read for n in result.records.values()):,} read; "
        f"{counts.error:,} error findings"
        + (
            f" and {others:,} other finding{'' if others == 1 else 's'}, "
            "which left no record out"
            if others
            else ""
        )
        + (
            f", the first {shown:,} listed below; "
            "<code>clusterkit validate</code> lists them all"
            if shown < total
            else ""
        )
        + ".</p>"
    )
    sections.append(
        (
            "validation",
            "Validation",
            summary
            + block("records", "Records")
            + block("excluded-by-rule", "Records left out, by rule")
            + block("findings", "Findings"),
        )
    )
    facts = "".join(
        f"<dt>{escape(name)}</dt><dd>{escape(value)}</dd>"
        for name, value in provenance(report)
    )
    sections.append(("provenance", "Provenance", f"<dl>{facts}</dl>"))
    nav = "".join(
        f'<li><a href="#{key}">{escape(t)}</a></li>' for key, t, _ in sections
    )
    body = "".join(
        f'<section id="{key}"><h2>{escape(title)}</h2>{content}</section>'
        for key, title, content in sections
    )
    title = f"KPI report: {scope_text(report)}"
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en"><head><meta charset="utf-8">'
        f'<meta http-equiv="Content-Security-Policy" content="{_CSP}">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<meta name="generator" content="clusterkit {escape(report.version)}">'
        f"<title>{escape(title)}</title><style>{_CSS}</style></head><body>"
        f"<header><h1>{escape(title)}</h1>"
        f'<p class="lead">{len(SCALAR)} KPIs of the programme, as of '
        f"{report.as_of.isoformat()}, reference data {escape(result.reference_data)}."
        f'</p><nav aria-label="Sections"><ul>{nav}</ul></nav></header>'
        f"<main>{body}</main>"
        f"<footer><p>Made by clusterkit {escape(report.version)}. "
        "Every KPI is defined in the KPI reference of the clusterkit "
        "documentation.</p></footer></body></html>\n"
    )
