"""Private: the scanning layer under `clusterkit.rules` and `clusterkit.kpis`.

One pass over a source (`Scan`) gives `Batch`es of checked, parsed columns with
their locations, keeps the key indexes (`Indexes`), remembers judgements of
distinct values (`Verdicts`), and reads a shard of a large file (`Shard`). The
validator and the KPI engine both build on it, so they read every source alike.
"""

from clusterkit._scan._batch import Batch, Cell, entity_fields
from clusterkit._scan._cells import FieldCheck, TableChecks, parse_chunk
from clusterkit._scan._index import (
    ClusterInfo,
    Indexes,
    KeyLog,
    PartnershipInfo,
    References,
    SMEInfo,
    batch_keys,
)
from clusterkit._scan._scan import Scan
from clusterkit._scan._shards import MIN_SHARD_BYTES, Shard, split_csv, split_jsonl
from clusterkit._scan._verdicts import Verdicts

__all__ = [
    "MIN_SHARD_BYTES",
    "Batch",
    "Cell",
    "ClusterInfo",
    "FieldCheck",
    "Indexes",
    "KeyLog",
    "PartnershipInfo",
    "References",
    "SMEInfo",
    "Scan",
    "Shard",
    "TableChecks",
    "Verdicts",
    "batch_keys",
    "entity_fields",
    "parse_chunk",
    "split_csv",
    "split_jsonl",
]
