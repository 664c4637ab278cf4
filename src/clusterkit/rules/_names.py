"""Private: a cluster written by its name or acronym where its id belongs.

Coordinators copy a partnership's coordinator from a web page or a letter, as
"Tyrrhenian Tourism Cluster" or "TTC" instead of the id `IT-002`. When a
reference that should be a cluster's id matches the name (case, accents,
punctuation and a legal form ignored) or the acronym of a cluster, the hint says
which id to write; a member of the partnership is preferred.
"""

from __future__ import annotations

import re

from clusterkit._scan import Batch, Indexes
from clusterkit.io import organisation_key

__all__ = ["cluster_named"]

_SHORTEST_INITIALS = 2
_WORDS = re.compile(r"[^\W_]+")
_BRACKETS = re.compile(r"\([^()]*\)")


def cluster_named(
    indexes: Indexes, batch: Batch, index: int, field: str, value: str
) -> str | None:
    """The hint for a coordinator written as a cluster's name or acronym, if it is one.

    Args:
        indexes: The clusters read so far.
        batch: The partnerships the value is in (other tables are not looked at).
        index: The row of the value in `batch`.
        field: The field the value is in; only `coordinator` is looked at.
        value: The value that is not a cluster's id.

    Returns:
        `write the cluster's id, 'IT-002' (Tyrrhenian Tourism Cluster), not its
        name`, or `None` when no one cluster is named so. A member of the
        partnership is preferred when several are.
    """
    coordinator = batch.table == "partnerships" and field == "coordinator"
    key = organisation_key(value) if coordinator else ""
    if not key:
        return None
    members = batch["members"][index] or ()
    named = dict(indexes.cluster_names().get(key, {}))
    for member in members:
        info = indexes.clusters.get(member)
        # The initials of a member's name, "TTC": only among the members.
        if info is not None and key == _initials(info.name or ""):
            named.setdefault(member, "acronym")
    among_members = {
        cluster: how for cluster, how in named.items() if cluster in members
    }
    chosen = among_members or named
    if len(chosen) != 1:
        return None
    [(cluster, how)] = chosen.items()
    name = indexes.clusters[cluster].name
    return f"write the cluster's id, {cluster!r} ({name}), not its {how}"


def _initials(name: str) -> str:
    """The initials of a name of several words, "Tyrrhenian Tourism Cluster": `ttc`."""
    words = _WORDS.findall(_BRACKETS.sub(" ", name))
    if len(words) < _SHORTEST_INITIALS:
        return ""
    return organisation_key("".join(word[0] for word in words))
