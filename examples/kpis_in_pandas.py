"""KPIs and a dataset's tables in pandas: by generation and year, then back again.

Run it as ``python examples/kpis_in_pandas.py`` or ``python examples/kpis_in_pandas.py
data/`` (needs ``pip install "clusterkit-eu[pandas]"``). It prints the KPIs of each
generation and year as a DataFrame, the B2B meetings of each partnership worked out
from the activities table, and then drops the webinars from the frames and computes
the KPIs of what is left, straight from the DataFrames. A dataset with errors has
them printed from ``Report.to_frame()``, and the exit code is 1.
"""

from __future__ import annotations

import sys

import clusterkit as ck

COLUMNS = ["generation", "year", "activities", "smes_involved", "b2b_meetings"]


def main(path: str | None = None) -> int:
    """Print the KPIs of `path` (the example when `None`) from pandas; 1 on errors."""
    source = ck.io.example_path() if path is None else path
    report = ck.validate(source)
    if not report.ok:
        findings = report.to_frame()
        errors = findings[findings["severity"] == "error"]
        print(errors[["rule", "file", "line", "message"]].to_string(), file=sys.stderr)
        return 1
    dataset = ck.load_dataset(source)
    kpis = ck.compute_kpis(dataset, by=["generation", "year"]).to_frame()
    print(kpis[COLUMNS].to_string(index=False))

    tables = dataset.to_frames()
    activities = tables["activities"]
    partnerships = tables["partnerships"][["id", "acronym"]]
    meetings = (
        activities.merge(partnerships, left_on="partnership", right_on="id")
        .groupby("acronym")["b2b_meetings"]
        .sum()
    )
    print("B2B meetings by partnership:")
    for acronym, count in meetings.items():
        print(f"  {acronym}: {count}")

    tables["activities"] = activities[activities["type"] != "webinar"]
    without = ck.compute_kpis(tables)
    print(f"activities without webinars: {without['activities']}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1] if len(sys.argv) > 1 else None))
