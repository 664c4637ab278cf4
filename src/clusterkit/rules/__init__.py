"""The validator: every rule of the catalogue, and `validate`.

`validate(source)` reads a dataset once, in batches, and returns a `Report` of
`Finding`s; it never raises for bad data. `CATALOGUE` lists the rules by id, and
`explain` gives a rule's documentation, as `clusterkit explain RULE` prints it.
`run_checks` runs the same pass for a program that reads the records too (the
KPI engine does), handing it each checked batch, and `relink_causes` links the
findings of parts of one file checked apart as one pass would.
"""

from clusterkit._public import publish
from clusterkit.report import CATALOGUE, Rule
from clusterkit.rules._checks._identity import relink_causes
from clusterkit.rules._context import Context, Options, Thresholds
from clusterkit.rules._engine import run_checks, validate
from clusterkit.rules._explanations import EXPLANATIONS, Explanation, explain

__all__ = [
    "CATALOGUE",
    "EXPLANATIONS",
    "Context",
    "Explanation",
    "Options",
    "Rule",
    "Thresholds",
    "explain",
    "relink_causes",
    "run_checks",
    "validate",
]

publish(globals())
