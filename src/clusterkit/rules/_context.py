"""Private: the state of one validation run — options, findings so far, key indexes.

Memory grows with the number of distinct ids, not with rows: per table the
context keeps a compact record of what later tables and the dataset-wide rules
need (a partnership's period and members, an SME's clusters), the 64-bit hashes of
every key with its row number (to find duplicates at the end), and the sets of ids
that something refers to (to find orphans).
"""

from __future__ import annotations

import datetime as dt
import difflib
import itertools
import operator
from collections import Counter
from collections.abc import Callable, Collection, Iterable, Iterator
from typing import Any

import attrs

from clusterkit.models import Generation
from clusterkit.models.generation import reference_generations
from clusterkit.report import Entity, Finding, Severity
from clusterkit.rules._batch import Batch, TableSource
from clusterkit.rules._registry import CATALOGUE
from clusterkit.values import Location

__all__ = [
    "ClusterInfo",
    "Collector",
    "Context",
    "KeyLog",
    "Options",
    "PartnershipInfo",
    "SMEInfo",
    "Shard",
    "Thresholds",
    "did_you_mean",
    "row_number",
]


@attrs.frozen
class Thresholds:
    """Thresholds of the partnership-structure rules; `None` defers to the generation.

    Added in version 0.1.0.

    Attributes:
        min_members: Fewest member clusters (CK-PART-001); default: the
            generation's `min_members` (3).
        min_member_countries: Fewest distinct member countries (CK-PART-002);
            default: the generation's, else 3.
        min_target_countries: Fewest third-country targets (CK-PART-008); default:
            the generation's, if any.
        max_target_countries: Most third-country targets before a warning
            (CK-PART-008); default: the generation's, if any.
    """

    min_members: int | None = None
    min_member_countries: int | None = None
    min_target_countries: int | None = None
    max_target_countries: int | None = None


DEFAULT_MIN_MEMBER_COUNTRIES = 3

# Verdicts remembered per check before starting afresh: bounded memory.
_VERDICT_LIMIT = 20_000
_TEXT_LIMIT = 100_000


@attrs.frozen
class Options:
    """What to check and how: rule selection, thresholds, the "today" of CK-DATE-004.

    Added in version 0.1.0.

    Attributes:
        as_of: Dates after this day are in the future (CK-DATE-004).
        select: Only these rules (ids or family prefixes such as `CK-GEO`); all
            default rules when empty. Rules off by default (CK-COUNTRY-003) run
            only when selected.
        ignore: Not these rules (ids or family prefixes).
        fail_on: The lowest severity that makes the data invalid (`None`: never).
        max_findings: Keep at most this many findings (all are still counted).
        thresholds: Overrides of the partnership-structure thresholds.
    """

    as_of: dt.date
    select: tuple[str, ...] = ()
    ignore: tuple[str, ...] = ()
    fail_on: Severity | None = Severity.ERROR
    max_findings: int | None = None
    thresholds: Thresholds = Thresholds()

    def enabled(self) -> frozenset[str]:
        """The ids of the rules that run under these options."""

        def matches(rule: str, patterns: Iterable[str]) -> bool:
            return any(rule == p or rule.startswith(f"{p}-") for p in patterns)

        return frozenset(
            rule.id
            for rule in CATALOGUE.values()
            if (matches(rule.id, self.select) if self.select else rule.default)
            and not matches(rule.id, self.ignore)
        )


@attrs.frozen
class ClusterInfo:
    """What the rules need of a cluster: its country, and its row."""

    country: str | None
    number: int


@attrs.frozen
class SMEInfo:
    """What the rules need of an SME: its clusters, and its row."""

    clusters: tuple[str, ...]
    number: int


@attrs.frozen
class PartnershipInfo:
    """What the rules need of a partnership, its period completed from its generation."""

    id: str
    generation: Generation | None
    members: tuple[str, ...]
    start: dt.date | None
    end: dt.date | None
    number: int


@attrs.frozen
class Shard:
    """A byte range of one CSV table's file, read instead of the whole file.

    The range starts and ends at a line break outside any quoted cell, after the
    header; `first_line` is the physical line it starts on.
    """

    table: str
    start: int
    end: int
    first_line: int


class KeyLog:
    """Which keys of a table may repeat: a 60-bit digest of every key, in a set.

    A million keys take about 64 MB here (a 60-bit int is Python's two-digit
    size) and are checked at C speed, a batch at a time. Keys that share a digest
    are only *suspects*: their rows are read again and compared by their real
    keys (CK-PK-001), so a shared digest never makes a false finding; with 60
    bits, two different keys among a million share one about once in two
    million runs.
    """

    def __init__(self) -> None:
        self.seen: set[int] = set()
        self.suspects: set[int] = set()

    @staticmethod
    def digests(keys: Iterable[Any]) -> list[int]:
        """The digest of each key."""
        return list(map(operator.and_, map(hash, keys), itertools.repeat(_DIGEST)))

    def add(self, keys: Iterable[Any]) -> None:
        """Record the keys of a batch (rows without a key share one digest)."""
        digests = self.digests(keys)
        before = len(self.seen)
        # About 25 µs a batch: which digests were seen before this batch.
        earlier = self.seen.intersection(digests)
        self.seen.update(digests)
        if len(self.seen) - before < len(digests):
            # A digest repeats, with an earlier batch or within this one: those
            # digests become suspects, and their rows are compared for real.
            counts = Counter(digests)
            self.suspects.update(earlier)
            self.suspects.update(digest for digest, n in counts.items() if n > 1)


_DIGEST = (1 << 60) - 1


class Collector:
    """The findings of a run: every one counted, the first `max_findings` kept."""

    def __init__(self, options: Options) -> None:
        self.options = options
        self.enabled = options.enabled()
        self.findings: list[Finding] = []
        self.counts: dict[str, int] = {}
        self.severities = dict.fromkeys(Severity, 0)
        self._texts: dict[str, str] = {}

    def shared(self, text: str) -> str:
        """One copy of each repeated text: many findings share their message."""
        if len(self._texts) > _TEXT_LIMIT:
            self._texts.clear()
        return self._texts.setdefault(text, text)

    def count(self, rule: str, severity: Severity) -> None:
        """Count a finding that is not kept."""
        self.counts[rule] = self.counts.get(rule, 0) + 1
        self.severities[severity] += 1

    def add(self, finding: Finding) -> None:
        """Count a finding and keep it."""
        self.count(finding.rule, finding.severity)
        self.findings.append(finding)


class Context:
    """One dataset being validated: its indexes, and where its findings go."""

    def __init__(
        self, collector: Collector, reread: Callable[[str], Iterator[Batch]]
    ) -> None:
        self.collector = collector
        # The batches of one table read again (to confirm duplicate keys).
        self.reread = reread
        self.options = collector.options
        self.enabled = collector.enabled
        self.generations: dict[str, Generation] = {
            generation.id: generation for generation in reference_generations()
        }
        self.generation_rows: dict[str, tuple[TableSource, int]] = {}
        self.clusters: dict[str, ClusterInfo] = {}
        self.smes: dict[str, SMEInfo] = {}
        self.partnerships: dict[str, PartnershipInfo] = {}
        self.sources: dict[str, TableSource] = {}
        self.targets: dict[str, dict[str, int]] = {}
        self.keys: dict[str, KeyLog] = {}
        self.referenced_clusters: set[str] = set()
        self.referenced_smes: set[str] = set()
        self.active_partnerships: set[str] = set()
        # The rows with an error finding, by table (row numbers), when asked for:
        # the KPI engine leaves those records out.
        self.error_rows: dict[str, set[int]] | None = None
        # Error findings by (table, rule, whether they point at a row).
        self.error_counts: dict[tuple[str | None, str, bool], int] = {}
        # Only part of one table is read (`clusterkit kpis --jobs`).
        self.shard: Shard | None = None
        self._verdicts: dict[Any, tuple[set[Any], set[Any]]] = {}

    def failing(
        self,
        batch: Batch,
        fields: tuple[str, ...],
        is_bad: Callable[..., bool],
        *,
        name: str,
    ) -> set[tuple[Any, ...]]:
        """The distinct combinations of `fields` in `batch` for which `is_bad` holds.

        Each combination is judged once per run and remembered (in bounded
        memory), so a check costs time per distinct combination, not per row.
        """
        distinct = batch.distinct(*fields)
        key = (name, batch.table, fields)
        good, bad = self._verdicts.setdefault(key, (set(), set()))
        if len(good) + len(bad) > _VERDICT_LIMIT:
            good.clear()
            bad.clear()
        if len(fields) > 1:
            for combination in distinct.difference(good, bad):
                (bad if is_bad(*combination) else good).add(combination)
        else:
            for value in distinct.difference(good, bad):
                (bad if is_bad(value) else good).add(value)
        return distinct & bad if bad else set()

    def forget_verdicts(self) -> None:
        """Drop the remembered judgements of the row checks (memory, not results)."""
        self._verdicts.clear()

    def runs(self, rule: str) -> bool:
        """Whether `rule` is enabled in this run."""
        return rule in self.enabled

    def report(
        self,
        rule: str,
        location: Location,
        message: str,
        *,
        hint: str | None = None,
        entity: Entity | None = None,
        value: Any = None,
        expected: str | None = None,
        related: Iterable[Location] = (),
        severity: Severity | None = None,
    ) -> None:
        """Count a finding of `rule`, and keep it unless `max_findings` are kept."""
        if rule not in self.enabled:
            return
        severity = severity or CATALOGUE[rule].severity
        if self.error_rows is not None and severity is Severity.ERROR:
            # A header or a file is not a record (CK-HDR-001 points at line 1).
            number = (
                None
                if entity is None or rule.startswith(("CK-HDR-", "CK-FILE-"))
                else row_number(location)
            )
            table = None if entity is None else entity.table
            key = (table, rule, number is not None)
            self.error_counts[key] = self.error_counts.get(key, 0) + 1
            if table is not None and number is not None:
                self.error_rows.setdefault(table, set()).add(number)
        if (
            self.options.max_findings is not None
            and len(self.collector.findings) >= self.options.max_findings
        ):
            # Counted, not kept: skip building the finding.
            self.collector.count(rule, severity)
            return
        self.collector.add(
            Finding(
                rule=rule,
                severity=severity,
                message=self.collector.shared(message),
                location=location,
                hint=None if hint is None else self.collector.shared(hint),
                entity=entity,
                value=None if value is None else _text(value),
                expected=None if expected is None else self.collector.shared(expected),
                related=tuple(related),
            )
        )

    def generation_of(self, generation_id: str | None) -> Generation | None:
        """The generation with this id, from the dataset or the reference data."""
        if generation_id is None:
            return None
        return self.generations.get(generation_id)

    def generation_location(self, generation_id: str) -> Location | None:
        """Where the dataset defines a generation (`None`: reference data)."""
        found = self.generation_rows.get(generation_id)
        return None if found is None else found[0].location(found[1], "id")


def row_number(location: Location) -> int | None:
    """The number of the row a location points at (see `TableSource`), if any."""
    if location.pointer is not None:
        parts = location.pointer.split("/")
        return int(parts[2]) if len(parts) > 2 and parts[2].isdigit() else None  # noqa: PLR2004 - "", table, index
    return location.line


def _text(value: Any) -> str:
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def did_you_mean(value: str, known: Collection[str]) -> str | None:
    """`did you mean 'X'?` with the closest known id, if one is close."""
    close = difflib.get_close_matches(value, list(known), n=1, cutoff=0.6)
    return f"did you mean {close[0]!r}?" if close else None
