"""Private: which activities list only SMEs of their partnership's member clusters.

CK-SME-003 reports the SMEs outside those clusters; CK-FK-004 needs to look up
only the SMEs of the other rows, since an SME of a member cluster is an SME the
dataset has. Both ask for the same rows, so a batch works them out once.
"""

from __future__ import annotations

from clusterkit._scan import Batch
from clusterkit.report import Rule
from clusterkit.rules._context import Context

__all__ = [
    "rows_within_members",
    "smes_of_members",
    "within_if_worked_out",
    "works_out",
]

_NO_SMES: frozenset[str] = frozenset()

# The rules whose check works out the rows within members for every batch.
_WORKING_OUT: list[Rule] = []


def works_out(rule: Rule) -> Rule:
    """Declare that `rule`'s check works out `rows_within_members` for every batch."""
    _WORKING_OUT.append(rule)
    return rule


def within_if_worked_out(batch: Batch, context: Context) -> list[bool] | None:
    """`rows_within_members` when a rule that works them out runs; else `None`.

    A check that could do without them takes them only when they come free.
    """
    if any(context.runs(rule) for rule in _WORKING_OUT):
        return rows_within_members(batch, context)
    return None


def rows_within_members(batch: Batch, context: Context) -> list[bool]:
    """For each activity of `batch`: every SME it lists is an SME of a member cluster.

    An activity that lists no SME is within; one whose partnership is not known
    is not (unless it lists none), since nothing is known of its members.
    Each row's SMEs are compared at C speed.
    """
    return batch.shared("rows within members", lambda: _within(batch, context))


def smes_of_members(context: Context, partnership_id: str) -> frozenset[str]:
    """The SMEs of the member clusters of a partnership that is known."""
    remembered = context.verdicts.memo("smes of members")  # partnership -> SMEs
    found = remembered.get(partnership_id)
    if found is None:
        by_cluster = context.smes_by_cluster()
        members = context.partnerships[partnership_id].members
        found = remembered[partnership_id] = frozenset().union(
            *(by_cluster.get(cluster, ()) for cluster in members)
        )
    return found


def _within(batch: Batch, context: Context) -> list[bool]:
    belonging = {
        partnership_id: (
            smes_of_members(context, partnership_id)
            if partnership_id in context.partnerships
            else _NO_SMES
        )
        for partnership_id in batch.distinct("partnership")
    }
    return list(
        map(
            frozenset.issuperset,
            map(belonging.__getitem__, batch["partnership"]),
            batch.filled("smes", ()),
        )
    )
