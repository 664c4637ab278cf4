"""The validator: every rule of the catalogue, and `validate`.

`validate(source)` reads a dataset once, in batches, and returns a `Report` of
`Finding`s; it never raises for bad data. `CATALOGUE` lists the rules by id, and
`explain` gives a rule's documentation, as `clusterkit explain RULE` prints it.
"""

from clusterkit.rules._context import Options, Thresholds
from clusterkit.rules._engine import validate
from clusterkit.rules._explanations import EXPLANATIONS, Explanation, explain
from clusterkit.rules._registry import CATALOGUE, Rule

__all__ = [
    "CATALOGUE",
    "EXPLANATIONS",
    "Explanation",
    "Options",
    "Rule",
    "Thresholds",
    "explain",
    "validate",
]
