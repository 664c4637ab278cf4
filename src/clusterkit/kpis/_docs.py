"""Private: the KPI reference page, `docs/reference/kpis.md`, generated from the catalogue.

The page's prose around the KPIs (the example dataset, scope, breakdowns, the
validation gate, output, reconciliation) is the template `_page.md`; its summary
table and its section per KPI come from the catalogue, so a KPI is written once.
"""

from __future__ import annotations

import importlib.resources

from clusterkit.kpis._definitions import CATALOGUE
from clusterkit.kpis._kpi import KPI

__all__ = ["reference_markdown"]

_SUMMARY = "<!-- the summary table of the catalogue -->"
_SECTIONS = "<!-- a section per KPI of the catalogue -->"
_KINDS = {
    "count": "count",
    "ratio": "ratio",
    "by_type": "count per type",
    "ranking": "ranking",
}


def _summary() -> str:
    rows = [
        "| KPI id | Title | Kind | Function | Added in |",
        "| --- | --- | --- | --- | --- |",
        *(
            f"| [`{kpi.id}`](#{kpi.id}) | {kpi.label} | {_KINDS[kpi.kind]} | "
            f"`ck.kpis.{kpi.id}` | {kpi.since} |"
            for kpi in CATALOGUE
        ),
    ]
    return "\n".join(rows)


def _section(kpi: KPI[object]) -> str:
    return "\n".join(
        (
            f"### {kpi.id} {{ #{kpi.id} }}",
            "",
            f"- **Definition:** {kpi.definition}",
            f"- **Formula:** {kpi.formula}",
            (
                f"- **Function:** `ck.kpis.{kpi.id}(source, **scope) -> "
                f"{kpi.returns}`{kpi.note}"
            ),
            f"- **Added in:** {kpi.since}",
            "",
            kpi.example.strip("\n"),
            "",
        )
    )


def reference_markdown() -> str:
    """The docs page of every KPI: `docs/reference/kpis.md`, from the catalogue.

    Added in version 0.2.0.

    Examples:
        >>> from clusterkit import kpis
        >>> "### smes_involved { #smes_involved }" in kpis.reference_markdown()
        True
    """
    template = (
        importlib.resources.files("clusterkit.kpis")
        .joinpath("_page.md")
        .read_text(encoding="utf-8")
    )
    sections = "\n".join(_section(kpi) for kpi in CATALOGUE)
    return template.replace(_SUMMARY, _summary()).replace(
        _SECTIONS + "\n\n", sections + "\n"
    )
