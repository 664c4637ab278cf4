"""KPI reports for people who read them: one HTML page, or a formatted workbook.

`KPIReport.build(source, ...)` computes the KPIs of a scope, by partnership and
over time, with the reconciliation against the published figures when one
generation is in scope, and the validation's findings; `to_html()` gives a
self-contained page (charts drawn by matplotlib, the extra `clusterkit-eu[report]`)
and `to_xlsx(path)` a workbook with native Excel charts (openpyxl, the extra
`clusterkit-eu[excel]`). `write_report(source, path)` does both steps::

    import clusterkit as ck

    ck.reports.write_report("data/", "report.html", generation="escp-4i-1")

`clusterkit report DATA --output report.html` is the same on the command line.

Added in version 0.2.0.
"""

from clusterkit._public import publish
from clusterkit.reports._report import InputFile, KPIReport, Period, write_report

__all__ = ["InputFile", "KPIReport", "Period", "write_report"]

publish(globals())
