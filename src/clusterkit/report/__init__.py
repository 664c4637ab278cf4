"""What the validator found: `Finding`s collected in a `Report`, and the `Rule`s.

A `Finding` is one problem at one place, with the id of the rule that found it
(DESIGN.md §4). A `Report` holds the findings of one validation run and its
summary; it is a plain value, built by `clusterkit.validate` and rendered by the
command line. Both are attrs frozen classes: they never come from untrusted input.
A `Rule` describes one rule of the catalogue: its id, severity, title and
explanation; the checks that find its problems are registered in `clusterkit.rules`.
"""

from clusterkit._public import publish
from clusterkit.report._explanation import (
    Explanation,
    load_explanation,
    parse_explanation,
)
from clusterkit.report._finding import (
    REPORT_VERSION,
    Entity,
    Finding,
    Severity,
    finding_json,
    fingerprint,
    location_dict,
)
from clusterkit.report._formats import FORMATS
from clusterkit.report._report import Report, Summary
from clusterkit.report._rule import CATALOGUE, Rule, Stage

__all__ = [
    "CATALOGUE",
    "FORMATS",
    "REPORT_VERSION",
    "Entity",
    "Explanation",
    "Finding",
    "Report",
    "Rule",
    "Severity",
    "Stage",
    "Summary",
    "finding_json",
    "fingerprint",
    "load_explanation",
    "location_dict",
    "parse_explanation",
]

publish(globals())
