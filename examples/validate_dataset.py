"""Validate a dataset (the bundled example by default) and print its findings by rule.

Run it as ``python examples/validate_dataset.py`` or
``python examples/validate_dataset.py data/``. As with ``clusterkit validate``, the
exit code is 1 when the dataset has errors.
"""

from __future__ import annotations

import sys
from collections import Counter

import clusterkit as ck
from clusterkit.render import safe_text
from clusterkit.rules import CATALOGUE

ORDER = {rule: position for position, rule in enumerate(CATALOGUE)}


def counted(severities: Counter[ck.Severity]) -> str:
    """``1 error, 2 warnings``: how many findings of each severity a group holds."""
    parts = []
    for severity in ck.Severity:
        count = severities[severity]
        if count:
            plural = count > 1 and severity is not ck.Severity.INFO
            parts.append(f"{count} {severity.value}{'s' if plural else ''}")
    return ", ".join(parts)


def by_rule(report: ck.Report) -> str:
    """The findings of a report as plain text, grouped by rule in catalogue order.

    Locations and messages may quote the data (a file name, a bad cell), so they
    go through `safe_text`: a line break or an escape sequence in the data is
    shown, not obeyed by the terminal or by a CI runner reading the output.
    """
    groups: dict[str, list[ck.Finding]] = {}
    for finding in report.findings:
        groups.setdefault(finding.rule, []).append(finding)
    lines = []
    for rule in sorted(groups, key=ORDER.__getitem__):
        findings = groups[rule]
        severities = Counter(finding.severity for finding in findings)
        lines.append(f"{rule} {CATALOGUE[rule].title}: {counted(severities)}")
        for finding in findings:
            lines.append(f"  {safe_text(f'{finding.location}: {finding.message}')}")
            if finding.hint:
                lines.append(f"    hint: {safe_text(finding.hint)}")
        lines.append("")
    totals = Counter(
        {severity: report.summary.count(severity) for severity in ck.Severity}
    )
    verdict = "valid" if report.ok else "invalid"
    lines.append(f"{counted(totals) or 'no findings'}: {verdict}")
    return "\n".join(lines)


def main(argv: list[str]) -> int:
    """Validate the dataset at ``argv[0]``, or the bundled example; 1 if it is invalid."""
    source = argv[0] if argv else ck.io.example_path()
    report = ck.validate(source)
    print(f"Validating {safe_text(str(source))}\n")
    print(by_rule(report))
    return 0 if report.ok else 1


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
