"""Compute the KPIs of a dataset (the bundled example by default) by generation.

Run it as ``python examples/compute_kpis.py`` or ``python examples/compute_kpis.py
data/``. It prints the headline KPIs of each generation, the target-market ranking,
and the first generation's KPIs beside the figures the Commission published. As with
``clusterkit kpis``, the exit code is 1 when records had to be left out.
"""

from __future__ import annotations

import sys

import clusterkit as ck

HEADLINE = (
    "partnerships",
    "smes_involved",
    "c2c_meetings",
    "b2b_meetings",
    "mous_signed",
)


def main(path: str | None = None) -> int:
    """Print the KPIs of `path` (the example when `None`); 1 when records were left out."""
    source = ck.io.example_path() if path is None else path
    result = ck.compute_kpis(source, by="generation")
    for group in result.groups:
        figures = ", ".join(f"{kpi} {group[kpi]}" for kpi in HEADLINE)
        print(f"{group.key['generation']}: {figures}")
    print("Target markets (partnerships, activities):")
    for market in result.target_markets[:5]:
        name = ck.normalise_country(market.country).name
        print(f"  {name}: {market.partnerships}, {market.activities}")
    if "escp-4i-1" in {group.key["generation"] for group in result.groups}:
        first = ck.compute_kpis(source, generation="escp-4i-1")
        print(ck.kpis.reconcile(first).to_table())
    if not result.complete:
        for table, count in result.records.items():
            if count.excluded:
                print(f"left out: {count.excluded} {table}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else None))
