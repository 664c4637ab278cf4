"""Write a KPI report of a dataset (the bundled example by default): a page and a workbook.

Run it as ``python examples/kpi_report.py OUT`` or ``python examples/kpi_report.py
OUT data/ escp-4i-1``. It writes ``OUT/report.html`` (one self-contained page;
charts need ``clusterkit-eu[report]``) and ``OUT/report.xlsx`` (native Excel charts;
needs ``clusterkit-eu[excel]``) from one computation, reconciled with the published
figures when a generation is given, and prints what it wrote. As with
``clusterkit report``, the exit code is 1 when records had to be left out.
"""

from __future__ import annotations

import sys
from pathlib import Path

import clusterkit as ck


def main(out: str, path: str | None = None, generation: str | None = None) -> int:
    """Write both reports into `out`; 1 when records were left out."""
    source = ck.io.example_path() if path is None else path
    report = ck.reports.KPIReport.build(source, generation=generation)
    folder = Path(out)
    folder.mkdir(parents=True, exist_ok=True)
    for name in ("report.html", "report.xlsx"):
        written = report.write(folder / name)
        print(f"wrote {written} ({written.stat().st_size:,} bytes)")
    result = report.result
    print(f"{result['partnerships']} partnerships, {result['activities']} activities")
    if report.reconciliation is not None:
        agree = sum(figure.consistent for figure in report.reconciliation.figures)
        total = len(report.reconciliation.figures)
        print(f"published figures the KPIs agree with: {agree} of {total}")
    if not result.complete:
        print(f"left out: {result.excluded} records", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    if len(sys.argv) < 2:  # noqa: PLR2004 - the script's name and OUT
        print("usage: kpi_report.py OUT [PATH [GENERATION]]", file=sys.stderr)
        sys.exit(2)
    sys.exit(main(*sys.argv[1:4]))
