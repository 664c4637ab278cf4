"""Private: the rule catalogue (DESIGN.md §4) and the registry of checks.

Every rule has a stable id, a default severity and a title; its explanation (what
it means, a failing example, how to fix it) lives in `_explanations.py`. Rules of
the families FILE, HDR, ROW, TYPE, ENUM, COUNTRY and CK-COUNT-001 are checked while
reading; the others are plain functions registered here with `@check`, run over
batches of rows of one table (`stage="rows"`) or once over the indexes of the whole
dataset (`stage="dataset"`). Adding a rule is one catalogue entry, one explanation
and one function.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Literal

import attrs

from clusterkit.report import Severity

__all__ = ["CATALOGUE", "Check", "Rule", "check", "checks_for", "dataset_checks"]

Stage = Literal["read", "rows", "dataset"]


@attrs.frozen
class Rule:
    """One validation rule: its id, default severity, title and when it runs.

    Added in version 0.1.0.

    Attributes:
        id: Stable id, `CK-FAMILY-NNN`; renaming one is a breaking change.
        severity: Default severity of its findings.
        title: One line saying what it finds.
        stage: `read` (while reading files and cells), `rows` (over each batch of
            rows of its tables) or `dataset` (once, over the whole dataset).
        default: Whether it runs without being named in `select`.
    """

    id: str
    severity: Severity
    title: str
    stage: Stage
    default: bool = True

    @property
    def family(self) -> str:
        """The family prefix, e.g. `CK-GEO` for `CK-GEO-001`."""
        return self.id.rsplit("-", 1)[0]


E, W, INFO = Severity.ERROR, Severity.WARNING, Severity.INFO

_RULES = (
    Rule("CK-FILE-001", E, "unreadable file", "read"),
    Rule("CK-HDR-001", E, "missing required column", "read"),
    Rule("CK-HDR-002", W, "unknown column", "read"),
    Rule("CK-HDR-003", E, "duplicate column", "read"),
    Rule("CK-ROW-001", E, "malformed row", "read"),
    Rule("CK-TYPE-001", E, "value does not parse", "read"),
    Rule("CK-TYPE-002", W, "date in a non-ISO spelling", "read"),
    Rule("CK-TYPE-003", E, "ambiguous date", "read"),
    Rule("CK-ENUM-001", E, "value outside its vocabulary", "read"),
    Rule("CK-COUNTRY-001", E, "not a country", "read"),
    Rule("CK-COUNTRY-002", E, "ambiguous country", "read"),
    Rule(
        "CK-COUNTRY-003", INFO, "country in a non-canonical form", "read", default=False
    ),
    Rule("CK-COUNT-001", E, "negative count or amount", "read"),
    Rule("CK-PK-001", E, "duplicate id", "dataset"),
    Rule("CK-FK-001", E, "activity refers to an unknown partnership", "rows"),
    Rule("CK-FK-002", E, "partnership refers to an unknown generation", "rows"),
    Rule(
        "CK-FK-003",
        E,
        "partnership member or coordinator is an unknown cluster",
        "rows",
    ),
    Rule("CK-FK-004", E, "activity refers to an unknown SME", "rows"),
    Rule("CK-FK-005", E, "SME refers to an unknown cluster", "rows"),
    Rule("CK-FK-006", E, "target refers to an unknown partnership", "rows"),
    Rule("CK-FK-007", E, "activity refers to an unknown cluster", "rows"),
    Rule("CK-ORPHAN-001", W, "record nothing refers to", "dataset"),
    Rule("CK-DATE-001", E, "start after end", "rows"),
    Rule("CK-DATE-002", E, "activity outside its partnership's period", "rows"),
    Rule("CK-DATE-003", E, "partnership outside its generation's period", "rows"),
    Rule("CK-DATE-004", E, "date in the future", "rows"),
    Rule("CK-GEO-001", E, "target is not a third country", "rows"),
    Rule("CK-GEO-002", W, "activity targets an undeclared market", "rows"),
    Rule("CK-GEO-003", E, "member cluster outside the programme's countries", "rows"),
    Rule("CK-GEO-004", E, "NUTS region outside the cluster's country", "rows"),
    Rule("CK-PART-001", E, "too few members", "rows"),
    Rule("CK-PART-002", W, "too few member countries", "rows"),
    Rule("CK-PART-003", E, "coordinator not among the members", "rows"),
    Rule("CK-PART-004", E, "strand not one of the generation's", "rows"),
    Rule("CK-PART-005", E, "voluntary partnership where there are none", "rows"),
    Rule(
        "CK-PART-006", E, "grant above the cap, or on a voluntary partnership", "rows"
    ),
    Rule("CK-PART-007", W, "cluster in two partnerships of one generation", "dataset"),
    Rule("CK-PART-008", E, "too few (or too many) target countries", "dataset"),
    Rule("CK-COUNT-002", E, "fewer SMEs involved than listed", "rows"),
    Rule("CK-COUNT-003", W, "counter that does not fit the activity type", "rows"),
    Rule("CK-SME-001", E, "declared size class contradicts the figures", "rows"),
    Rule("CK-SME-002", E, "figures above the medium-enterprise ceiling", "rows"),
    Rule("CK-SME-003", W, "SME not a member of the partnership's clusters", "rows"),
)

CATALOGUE: dict[str, Rule] = {rule.id: rule for rule in _RULES}
"""Every rule by id, in catalogue order."""

CheckFunction = Callable[..., None]


@attrs.frozen
class Check:
    """A registered check: the function that implements (part of) a rule."""

    rule: str
    function: CheckFunction
    table: str | None


_ROW_CHECKS: list[Check] = []
_DATASET_CHECKS: list[Check] = []


def check(
    rule: str, *, table: str | None = None
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a function as (part of) the check of `rule`.

    A rows-stage check is called as `function(batch, context)` for every batch of
    rows of `table`; a dataset-stage check as `function(context)` once, after every
    table was read. Either reports through `context.report(...)`.
    """
    stage = CATALOGUE[rule].stage

    def register(function: CheckFunction) -> CheckFunction:
        entry = Check(rule, function, table)
        if stage == "rows":
            if table is None:
                msg = f"{rule}: a rows check needs its table"
                raise ValueError(msg)
            _ROW_CHECKS.append(entry)
        elif stage == "dataset":
            _DATASET_CHECKS.append(entry)
        else:
            msg = f"{rule} is checked while reading; it takes no registered check"
            raise ValueError(msg)
        return function

    return register


def checks_for(table: str) -> list[Check]:
    """The rows-stage checks of one table, in registration order."""
    return [entry for entry in _ROW_CHECKS if entry.table == table]


def dataset_checks() -> list[Check]:
    """The dataset-stage checks, in registration order."""
    return list(_DATASET_CHECKS)
