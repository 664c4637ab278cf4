"""Private: `Rule`, one rule of the validator's catalogue, declared once.

A rule is declared once, as a module-level `Rule(...)` next to the code that finds
its problems: the reading rules in `clusterkit.io`, the others beside their checks
in `clusterkit.rules`. Declaring a rule adds it to `CATALOGUE`, so the catalogue
is in declaration order, which is the order of the import of those modules.
"""

from __future__ import annotations

from collections.abc import Mapping
from types import MappingProxyType
from typing import Literal

import attrs

from clusterkit.report._explanation import Explanation, load_explanation
from clusterkit.report._finding import Severity

__all__ = ["CATALOGUE", "Rule", "Stage"]

Stage = Literal["read", "rows", "dataset"]
"""When a rule runs: while reading, over each batch of rows, or once at the end."""

_RULES: dict[str, Rule] = {}

CATALOGUE: Mapping[str, Rule] = MappingProxyType(_RULES)
"""Every rule by id, in catalogue order (read-only)."""


@attrs.frozen
class Rule:
    """One validation rule: its id, default severity, title, tables and stage.

    Creating a `Rule` adds it to the catalogue; an id may be declared once.

    Added in version 0.1.0.

    Attributes:
        id: Stable id, `CK-FAMILY-NNN`; renaming one is a breaking change.
        severity: Default severity of its findings.
        title: One line saying what it finds.
        stage: `read` (while reading files and cells), `rows` (over each batch of
            rows of its tables) or `dataset` (once, over the whole dataset).
        tables: The tables whose records it checks (empty: any table).
        default: Whether it runs without being named in `select`.

    Examples:
        >>> from clusterkit import rules
        >>> rule = rules.CATALOGUE["CK-FK-001"]
        >>> rule.family, rule.severity.value
        ('CK-FK', 'error')
    """

    id: str
    severity: Severity
    title: str
    stage: Stage
    tables: tuple[str, ...] = ()
    default: bool = True

    def __attrs_post_init__(self) -> None:
        if self.id in _RULES:
            msg = f"rule {self.id} is declared twice"
            raise ValueError(msg)
        _RULES[self.id] = self

    @property
    def family(self) -> str:
        """The family prefix, e.g. `CK-GEO` for `CK-GEO-001`."""
        return self.id.rsplit("-", 1)[0]

    @property
    def explanation(self) -> Explanation:
        """What the rule means, a failing example and how to fix it.

        Read from the rule's file in the package (`data/rules/<RULE>.md`) on
        first use.

        Added in version 0.2.0.

        Raises:
            ValueError: The rule's file is malformed.
        """
        return load_explanation(self.id)

    def __str__(self) -> str:
        return self.id
