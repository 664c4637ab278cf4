"""Checks of identity and references: CK-PK-001, CK-FK-001 to 007, CK-ORPHAN-001."""

from __future__ import annotations

import difflib
import itertools
import operator
from collections.abc import Collection, Container, Iterable, Mapping, Sequence
from typing import Any

import attrs

from clusterkit._alike import Alike
from clusterkit._scan import Batch, KeyLog, batch_keys, entity_fields
from clusterkit.io import FILE_RULES, field_shape
from clusterkit.report import Entity, Finding, Rule, Severity, fingerprint
from clusterkit.rules._checks._members import within_if_worked_out
from clusterkit.rules._context import Context
from clusterkit.rules._names import cluster_named
from clusterkit.rules._registry import check
from clusterkit.values import Location

__all__ = [
    "ACTIVITY_CLUSTER",
    "ACTIVITY_PARTNERSHIP",
    "ACTIVITY_SME",
    "DUPLICATE_ID",
    "ORPHAN",
    "PARTNERSHIP_CLUSTER",
    "PARTNERSHIP_GENERATION",
    "SME_CLUSTER",
    "TARGET_PARTNERSHIP",
    "explain_causes",
    "relink_causes",
]

E, W = Severity.ERROR, Severity.WARNING

DUPLICATE_ID = Rule("CK-PK-001", E, "duplicate id", "dataset")
ACTIVITY_PARTNERSHIP = Rule(
    "CK-FK-001",
    E,
    "activity refers to an unknown partnership",
    "rows",
    tables=("activities",),
)
PARTNERSHIP_GENERATION = Rule(
    "CK-FK-002",
    E,
    "partnership refers to an unknown generation",
    "rows",
    tables=("partnerships",),
)
PARTNERSHIP_CLUSTER = Rule(
    "CK-FK-003",
    E,
    "partnership member or coordinator is an unknown cluster",
    "rows",
    tables=("partnerships",),
)
ACTIVITY_SME = Rule(
    "CK-FK-004", E, "activity refers to an unknown SME", "rows", tables=("activities",)
)
SME_CLUSTER = Rule(
    "CK-FK-005", E, "SME refers to an unknown cluster", "rows", tables=("smes",)
)
TARGET_PARTNERSHIP = Rule(
    "CK-FK-006",
    E,
    "target refers to an unknown partnership",
    "rows",
    tables=("targets",),
)
ACTIVITY_CLUSTER = Rule(
    "CK-FK-007",
    E,
    "activity refers to an unknown cluster",
    "rows",
    tables=("activities",),
)
ORPHAN = Rule("CK-ORPHAN-001", W, "record nothing refers to", "dataset")

_NAMES = {
    "partnerships": "partnership",
    "generations": "generation",
    "clusters": "cluster",
    "smes": "SME",
}


def _unknown(  # noqa: PLR0917 - one reference: its rule, field and target
    batch: Batch,
    context: Context,
    rule: Rule,
    field: str,
    known: Collection[str],
    target: str,
    proven: Sequence[bool] | None = None,
) -> None:
    """Report every id in `field` that `known` (the ids of `target`) lacks.

    The ids of the batch are looked up at C speed, so a column of lists that
    hardly repeat costs no Python step per row when every id is known. The
    ids of rows `proven` (by row) to be known are not looked up.
    """
    values: Iterable[Any] = (
        batch.each_value(field)
        if proven is None
        else itertools.compress(batch[field], map(operator.not_, proven))
    )
    values = filter(None, values)
    lists = field_shape(batch.table, field).is_list
    ids: Iterable[Any] = itertools.chain.from_iterable(values) if lists else values
    if all(map(known.__contains__, ids)):
        return
    distinct = batch.distinct(field)
    ids = itertools.chain.from_iterable(filter(None, distinct)) if lists else distinct
    missing = set(itertools.filterfalse(known.__contains__, ids)) - {None}
    bad = (
        {value for value in distinct if value and not missing.isdisjoint(value)}
        if lists
        else missing
    )
    unread = context.unread.get(target)
    for index in batch.rows_with((field,), bad):
        value = batch[field][index]
        items = value if isinstance(value, tuple) else (value,)
        for item in items:
            if item in known:
                continue
            # A record of the target that did not read may be the one meant; else
            # the first reference to a missing id is the one to fix, the others
            # follow. Either way a guess at another id would mislead.
            cause = unread or context.missing.get((target, item))
            named = None if cause else cluster_named(context, batch, index, field, item)
            close = None if cause or named else _closest(item, known)
            digest = context.report_at(
                rule,
                batch.cell(index, field),
                f"{_NAMES[target]} {item!r} does not exist in {target}",
                hint=None if cause else named or _hint(close, target, context),
                value=item,
                caused_by=cause,
            )
            if cause is None and digest is not None:
                context.missing[target, item] = digest
                if close is not None:
                    context.suggested[digest] = (target, close)


def _closest(item: str, known: Collection[str]) -> str | None:
    """The known id closest to `item`, if one is close."""
    close = difflib.get_close_matches(item, list(known), n=1, cutoff=0.6)
    return close[0] if close else None


def _hint(close: str | None, target: str, context: Context) -> str | None:
    """Did you mean the closest id? For a generation, also every known one."""
    hint = None if close is None else f"did you mean {close!r}?"
    if target != "generations":
        return hint
    listed = "; ".join(
        f"{key} = {generation.name} ({generation.start} to {generation.end})"
        for key, generation in sorted(context.generations.items())
    )
    return (
        f"{hint} Known generations: {listed}"
        if hint
        else f"known generations: {listed}"
    )


_LISTED = 5
_FILE_RULES = frozenset(rule.id for rule in FILE_RULES)
"""How many missing ids the hint of a record whose id did not read names."""


def explain_causes(context: Context) -> None:
    """Once every table was read, make the hints of root findings say what is known.

    A record whose id did not read: which missing ids other records refer to,
    one of which may be its own. A first reference to a missing id whose closest
    id is one nothing refers to: that id may be the misspelt one, not the
    references.
    """
    hints: dict[str, str] = {}
    referred: dict[str, dict[str, int]] = {}
    # The findings about a file (not a record) that left a table unread.
    about_files: dict[str, str | None] = {}
    unread = set(context.unread.values())
    for finding in context.collector.findings:
        if finding.caused_by is not None and finding.value is not None:
            counts = referred.setdefault(finding.caused_by, {})
            counts[finding.value] = counts.get(finding.value, 0) + 1
        if finding.fingerprint in unread and finding.rule in _FILE_RULES:
            about_files[finding.fingerprint] = finding.hint
    for table, digest in context.unread.items():
        values = referred.get(digest)
        if not values:
            continue
        named = ", ".join(
            f"{value!r} ({_times(count)})"
            for value, count in list(values.items())[:_LISTED]
        )
        if len(values) > _LISTED:
            named += f" and {len(values) - _LISTED:,} more"
        if digest in about_files:
            # A file, not a record: what it says stays, the ids come after.
            hint = about_files[digest]
            missing = (
                f"records elsewhere refer to {_NAMES[table]} ids that are in no row "
                f"read of {table}: {named}"
            )
            hints[digest] = missing if hint is None else f"{hint}; {missing}"
        else:
            hints[digest] = (
                f"records elsewhere refer to {_NAMES[table]} ids that are in no row of "
                f"{table}: {named}; if one is this record's id, write it here"
            )
    for digest, (table, close) in context.suggested.items():
        unused = _unused(context, table, close)
        if unused is not None:
            hints[digest] = f"did you mean {close!r}? {unused}"
    context.rehint(hints)


_UNUSED = {
    "partnerships": "has no activities",
    "clusters": "is referred to by nothing",
    "smes": "takes part in no activity",
}


def _unused(context: Context, table: str, key: str) -> str | None:
    """Why an id nothing refers to may be the misspelt one; `None` if it is used."""
    records: Mapping[str, Any] = getattr(context, table)
    referenced: dict[str, Container[str]] = {
        "partnerships": context.active_partnerships,
        "clusters": context.referenced_clusters,
        "smes": context.referenced_smes,
    }
    used = referenced.get(table, (key,))
    source = context.sources.get(table)
    if key in used or key not in records or source is None:
        return None
    where = attrs.evolve(source.location(records[key].number), field=None)
    return (
        f"{_NAMES[table]} {key!r} at {where} {_UNUSED[table]}: if that id is "
        "the misspelt one, correct it there instead"
    )


def _times(count: int) -> str:
    """`once`, `twice`, `19 times`."""
    return {1: "once", 2: "twice"}.get(count, f"{count:,} times")


@check(ACTIVITY_PARTNERSHIP, "activities")
def activity_partnership(batch: Batch, context: Context) -> None:
    """An activity's partnership must exist."""
    _unknown(
        batch,
        context,
        ACTIVITY_PARTNERSHIP,
        "partnership",
        context.partnerships,
        "partnerships",
    )


@check(PARTNERSHIP_GENERATION, "partnerships")
def partnership_generation(batch: Batch, context: Context) -> None:
    """A partnership's generation must exist in the dataset or the reference data."""
    _unknown(
        batch,
        context,
        PARTNERSHIP_GENERATION,
        "generation",
        context.generations,
        "generations",
    )


@check(PARTNERSHIP_CLUSTER, "partnerships")
def partnership_clusters(batch: Batch, context: Context) -> None:
    """A partnership's members and coordinator must be clusters."""
    _unknown(
        batch, context, PARTNERSHIP_CLUSTER, "members", context.clusters, "clusters"
    )
    _unknown(
        batch, context, PARTNERSHIP_CLUSTER, "coordinator", context.clusters, "clusters"
    )


@check(ACTIVITY_SME, "activities")
def activity_smes(batch: Batch, context: Context) -> None:
    """An activity's SMEs must exist.

    The SMEs of its partnership's member clusters do: when CK-SME-003 runs, it
    finds the rows that list only those anyway, and only the other rows' SMEs
    are looked up.
    """
    _unknown(
        batch,
        context,
        ACTIVITY_SME,
        "smes",
        context.smes,
        "smes",
        within_if_worked_out(batch, context),
    )


@check(SME_CLUSTER, "smes")
def sme_clusters(batch: Batch, context: Context) -> None:
    """An SME's clusters must exist."""
    _unknown(batch, context, SME_CLUSTER, "clusters", context.clusters, "clusters")


@check(TARGET_PARTNERSHIP, "targets")
def target_partnership(batch: Batch, context: Context) -> None:
    """A target's partnership must exist."""
    _unknown(
        batch,
        context,
        TARGET_PARTNERSHIP,
        "partnership",
        context.partnerships,
        "partnerships",
    )


@check(ACTIVITY_CLUSTER, "activities")
def activity_clusters(batch: Batch, context: Context) -> None:
    """An activity's participating clusters must exist."""
    _unknown(batch, context, ACTIVITY_CLUSTER, "clusters", context.clusters, "clusters")


@check(ORPHAN)
def orphans(context: Context) -> None:
    """Partnerships without activities; clusters and SMEs nothing refers to."""
    _orphans(
        context,
        "partnerships",
        {key: info.number for key, info in context.partnerships.items()},
        context.active_partnerships,
        "partnership {id!r} has no activities",
    )
    _orphans(
        context,
        "clusters",
        {key: info.number for key, info in context.clusters.items()},
        context.referenced_clusters,
        "cluster {id!r} is not a member of any partnership, and no SME or activity "
        "refers to it",
    )
    _orphans(
        context,
        "smes",
        {key: info.number for key, info in context.smes.items()},
        context.referenced_smes,
        "SME {id!r} takes part in no activity",
    )


def _orphans(
    context: Context,
    table: str,
    numbers: Mapping[str, int],
    referenced: Container[str],
    message: str,
) -> None:
    source = context.sources.get(table)
    if source is None:
        return
    # Rows of a table whose reading stopped may have referred to the record.
    cause = next(
        (context.stopped[by] for by in _REFERRING[table] if by in context.stopped),
        None,
    )
    for key, number in numbers.items():
        if key not in referenced:
            context.report(
                ORPHAN,
                source.location(number, "id"),
                message.format(id=key),
                entity=Entity(table, key),
                value=key,
                caused_by=cause,
            )


# The tables whose rows refer to the records of a table (CK-ORPHAN-001).
_REFERRING = {
    "partnerships": ("activities",),
    "clusters": ("partnerships", "smes", "activities"),
    "smes": ("activities",),
}


@check(DUPLICATE_ID)
def duplicate_keys(context: Context) -> None:
    """Every id is unique in its table; a target is listed once per partnership."""
    for table, log in context.keys.items():
        if log.suspects:
            _report_duplicates(context, table, log.suspects)


def _report_duplicates(context: Context, table: str, suspects: set[int]) -> None:
    """Read the suspected rows' keys again, and report the real repeats."""
    first: dict[Any, Location] = {}
    field = "country" if table == "targets" else "id"
    # The key's fields only: the rest of the table is not checked again.
    for batch in context.reread(table, entity_fields(table)):
        keys = batch_keys(batch)
        for index, digest in enumerate(KeyLog.digests(keys)):
            if digest not in suspects:
                continue
            key = keys[index]
            if key is None:
                continue  # no id at all is a finding of its own (CK-TYPE-001)
            if key not in first:
                first[key] = batch.location(index, field)
                continue
            what = "target" if table == "targets" else "id"
            context.report_at(
                DUPLICATE_ID,
                batch.cell(index, field),
                f"duplicate {what} {key!r} in {table}; first at {first[key]}",
                value=key,
                related=(first[key],),
            )


_REFERENCES = {
    ACTIVITY_PARTNERSHIP.id: "partnerships",
    PARTNERSHIP_GENERATION.id: "generations",
    PARTNERSHIP_CLUSTER.id: "clusters",
    ACTIVITY_SME.id: "smes",
    SME_CLUSTER.id: "clusters",
    TARGET_PARTNERSHIP.id: "partnerships",
    ACTIVITY_CLUSTER.id: "clusters",
}
"""The table each reference rule's ids belong to."""


def relink_causes(findings: Sequence[Finding]) -> list[Finding]:
    """Findings in the order one pass meets them, each missing id's first the root.

    Parts of one file checked apart (`compute_kpis(jobs=N)`) each take their
    first reference to a missing id as its root; merged, only the first of all
    is, and the others follow from it, without a hint, as in one pass. Findings
    alike in every part of their fingerprint are numbered again, as one pass
    numbers them.
    """
    roots: dict[tuple[str, str], str] = {}
    moved: dict[str, str] = {}
    alike = Alike()
    linked = []
    for finding in findings:
        finding = _numbered(finding, alike)  # noqa: PLW2901 - the finding, renumbered
        target = _REFERENCES.get(finding.rule)
        if finding.caused_by is not None:
            cause = moved.get(finding.caused_by)
            if cause is not None:
                finding = attrs.evolve(finding, caused_by=cause)  # noqa: PLW2901 - the finding, relinked
        elif target is not None and finding.value is not None:
            root = roots.setdefault((target, finding.value), finding.fingerprint)
            if root != finding.fingerprint:
                moved[finding.fingerprint] = root
                finding = attrs.evolve(finding, caused_by=root, hint=None)  # noqa: PLW2901 - the finding, relinked
        linked.append(finding)
    return linked


def _numbered(finding: Finding, alike: Alike) -> Finding:
    """The finding with the fingerprint of its occurrence among those alike."""
    where = finding.location
    parts = (finding.rule, where.file, finding.entity, where.field, finding.value)
    first = fingerprint(*parts)
    occurrence = alike.number(first)
    digest = first if occurrence == 1 else fingerprint(*parts, occurrence=occurrence)
    if digest == finding.fingerprint:
        return finding
    return attrs.evolve(finding, fingerprint=digest)
