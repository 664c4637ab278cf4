"""Private: the registry of checks, the functions that find each rule's problems.

A rule is declared once, as a `Rule` (`clusterkit.report`), beside its checks in
the module of its family; `@check(RULE, "table")` registers a function that runs
over every batch of rows of that table (a rule of the `rows` stage), or, without
a table, once over the indexes of the whole dataset (the `dataset` stage). The
rules of the `read` stage are reported by the readers (`clusterkit.io`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable, Iterable

import attrs

from clusterkit.report import CATALOGUE, Rule

__all__ = ["Check", "check", "check_fields", "checks_for", "dataset_checks"]

CheckFunction = Callable[..., None]


@attrs.frozen
class Check:
    """A registered check: the function that implements (part of) a rule."""

    rule: Rule
    function: CheckFunction
    table: str | None


_ROW_CHECKS: list[Check] = []
_DATASET_CHECKS: list[Check] = []


def check(
    rule: Rule, table: str | None = None
) -> Callable[[CheckFunction], CheckFunction]:
    """Register a function as (part of) the check of `rule`.

    A rows-stage check is called as `function(batch, context)` for every batch of
    rows of `table`, which must be one of the rule's tables; a dataset-stage
    check as `function(context)` once, after every table was read. Either
    reports through `context.report(RULE, ...)` or `context.flag(RULE, ...)`.

    Raises:
        ValueError: The rule is checked while reading, a rows check has no table
            or a table the rule does not declare.
    """

    def register(function: CheckFunction) -> CheckFunction:
        entry = Check(rule, function, table)
        if rule.stage == "rows":
            if table is None or table not in rule.tables:
                msg = f"{rule.id}: a rows check needs one of its tables {rule.tables}"
                raise ValueError(msg)
            _ROW_CHECKS.append(entry)
        elif rule.stage == "dataset":
            _DATASET_CHECKS.append(entry)
        else:
            msg = f"{rule.id} is checked while reading; it takes no registered check"
            raise ValueError(msg)
        return function

    return register


def check_fields(
    rule: Rule, function: Callable[..., None], places: Iterable[tuple[str, str]]
) -> None:
    """Register one field check of `rule` for every table of `places`.

    `places` are `(table, field)` pairs: the check runs as
    `function(batch, context, *fields)` over every batch of each table, with that
    table's fields in order. The same check of the same kind of field is so
    declared once for every table that has one.
    """
    fields: dict[str, tuple[str, ...]] = {}
    for table, field in places:
        fields[table] = (*fields.get(table, ()), field)
    for table, names in fields.items():
        check(rule, table)(functools.partial(_on_fields, function, names))


def _on_fields(
    function: Callable[..., None],
    names: tuple[str, ...],
    batch: object,
    context: object,
) -> None:
    function(batch, context, *names)


def checks_for(table: str) -> list[Check]:
    """The rows-stage checks of one table, in registration order."""
    return [entry for entry in _ROW_CHECKS if entry.table == table]


def dataset_checks() -> list[Check]:
    """The dataset-stage checks, in catalogue order (duplicate ids first)."""
    order = {rule: index for index, rule in enumerate(CATALOGUE)}
    return sorted(_DATASET_CHECKS, key=lambda entry: order[entry.rule.id])
