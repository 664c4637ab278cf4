"""Private: check the cells of a chunk column by column, into a `Batch` of parsed values.

A column is checked by the field's own pydantic type (the same type the record
model uses, so the validator and `load_dataset` agree on every value), but each
distinct value is checked once and remembered across chunks: a million activity
rows hold a few thousand distinct dates, types and countries. Columns of ids and
free text, which hardly repeat, are checked in bulk at C speed and fall back to
one value at a time only when the bulk check finds something. The invariants
between fields of a record are the model's own (`Record.invariants`).
"""

from __future__ import annotations

import enum
import itertools
import re
from collections.abc import Collection, Sequence
from typing import Annotated, Any

import attrs
from pydantic import ConfigDict, TypeAdapter, ValidationError

from clusterkit._dates import PartialDate, is_iso_date_text
from clusterkit._scan._batch import Batch, entity_fields
from clusterkit.io import (
    BAD_VALUE,
    MISSING,
    NON_CANONICAL_COUNTRY,
    NON_ISO_DATE,
    PARTIAL_DATE,
    CellProblem,
    Chunk,
    Reporter,
    cell_problem,
    cell_to_input,
    country_cell,
    date_remark,
    field_shape,
    repeated_key_problems,
)
from clusterkit.models import TABLES, Record
from clusterkit.values import Location

__all__ = ["FieldCheck", "TableChecks", "parse_chunk"]

_CONFIG = ConfigDict(str_strip_whitespace=True, coerce_numbers_to_str=True)

# Any control character: a bulk check that finds none needs no closer look.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_CONTROLS = "".join(map(chr, [*range(32), 127]))
_WITHOUT_CONTROLS = str.maketrans("", "", _CONTROLS)
_LIST_KINDS = frozenset({list, tuple, type(None)})
# An empty CSV cell of a list, split: a value not given.
_NOT_GIVEN: dict[tuple[str, ...], None] = {("",): None}


def _has_control(text: str) -> bool:
    """Whether text holds a control character (at C speed, fastest for ASCII)."""
    if text.isascii():
        # Deleting them is several times as fast as searching for them.
        return len(text.translate(_WITHOUT_CONTROLS)) != len(text)
    return _CONTROL.search(text) is not None


def _unspaced(text: str) -> bool:
    """Whether text without control characters holds no white space, at C speed.

    In ASCII every white space but the space is a control character; text
    with a space, or beyond ASCII, may hold some.
    """
    return text.isascii() and " " not in text


def _text_lists(raw: Sequence[str], *, ids: bool) -> list[Any] | None:
    """`;`-separated cells as tuples; `None` when an item needs a closer look.

    `ids`: the items are ids, which have a longest length.
    """
    present = [cell for cell in raw if cell]
    joined = ";".join(present)
    if _has_control(joined):
        return None
    # Items to strip or empty ones (`a;;b`, `a; b`) take the closer look.
    if not _unspaced(joined):
        items = joined.split(";")
        if items != list(map(str.strip, items)) or "" in items:
            return None
    elif ";;" in joined or joined.startswith(";") or joined.endswith(";"):
        return None  # an empty item
    # Every cell split at C speed; an empty cell, ("",), is not given.
    split = list(map(tuple, map(str.split, raw, itertools.repeat(";"))))
    # An item is no longer than its cell: most cells need no closer look.
    if (
        ids
        and max(map(len, present), default=0) > _ID_MAX
        and max(map(len, itertools.chain.from_iterable(split))) > _ID_MAX
    ):
        return None
    return list(map(_NOT_GIVEN.get, split, split))


def _typed_lists(raw: Sequence[Any], *, ids: bool) -> list[Any] | None:
    """Tuples (or `None`) of texts as they are; `None` when an item needs a closer look.

    `ids`: the items are ids, which have a longest length.
    """
    items = list(itertools.chain.from_iterable(filter(None, raw)))
    try:
        joined = "".join(items)
    except TypeError:  # an item that is not text
        return None
    if _has_control(joined) or ";" in joined:
        return None
    if "" in items or (not _unspaced(joined) and items != list(map(str.strip, items))):
        return None
    if ids and max(map(len, items), default=0) > _ID_MAX:
        return None
    return list(raw)


def _repeating(raw: Sequence[Any]) -> set[Any] | None:
    """The distinct values of a column that holds each twice on average, else `None`."""
    try:
        distinct = set(raw)
    except TypeError:  # a list holding a list or a mapping: checked as it comes
        return None
    return distinct if len(distinct) * 2 < len(raw) else None


def _tuples(
    raw: Sequence[Any], kinds: Collection[type] | None = None
) -> list[tuple[Any, ...] | None] | None:
    """A column of lists as tuples; `None` when a value is no list.

    `kinds` are the types of the values, when known.
    """
    found = set(map(type, raw)) if kinds is None else set(kinds)
    if not found <= _LIST_KINDS:
        return None
    if type(None) in found:
        return [None if value is None else tuple(value) for value in raw]
    return list(map(tuple, raw))  # at C speed


_ID_MAX = 64

# Bounded memory: a cache that grows past this is started afresh.
_CACHE_LIMIT = 50_000

_NO_PROBLEMS: tuple[CellProblem, ...] = ()
_MISSING = (MISSING,)

Result = tuple[Any, tuple[CellProblem, ...]]
Problems = dict[int, tuple[CellProblem, ...]]


class FieldCheck:
    """Checks the values of one field of one table, remembering each distinct value."""

    def __init__(self, table: str, field: str, enabled: Collection[str] = ()) -> None:
        info = TABLES[table].model_fields[field]
        self.shape = shape = field_shape(table, field)
        self.required = shape.required
        annotation: Any = info.annotation
        for constraint in info.metadata:
            # Nested Annotated types flatten: this is Annotated[type, *metadata].
            annotation = Annotated[annotation, constraint]
        self._adapter: TypeAdapter[Any] = TypeAdapter(annotation, config=_CONFIG)
        # Ids and free text hardly repeat: check them in bulk instead of caching.
        self.bulk = shape.is_id or shape.is_text
        self.max_length = _ID_MAX if shape.is_id else None
        # Findings that only inform are worked out only when their rule runs.
        self._quiet = {
            NON_CANONICAL_COUNTRY.id,
            NON_ISO_DATE.id,
            PARTIAL_DATE.id,
        } - set(enabled)
        # Parsed values and problems of the distinct values seen, by raw value
        # (text from CSV) or by (type, value) (typed values from JSON).
        self._values: dict[Any, Any] = {}
        self._problems: dict[Any, tuple[CellProblem, ...]] = {}
        self._troubled: set[Any] = set()
        # The typed raw values that parse to themselves (see `_same`).
        self._same: set[Any] = set()
        # Typed values of a column of one type (see `_by_distinct`), by type.
        self._seen: dict[type, _Seen] = {}
        self._repeats: bool | None = None
        # The distinct raw values of the last column, and what each parsed to.
        self.distinct: tuple[set[Any], dict[Any, Any]] | None = None

    def check(self, raw: Any, *, flat: bool = True) -> Result:
        """The parsed value of one raw cell value and its problems (value `None` if bad).

        `flat` says a list is written as `;`-separated text (CSV), not as a list.
        """
        value, problems = self._check(raw, flat=flat)
        if problems and problems[0].rule.id in self._quiet:
            return value, _NO_PROBLEMS
        return value, problems

    def _check(self, raw: Any, *, flat: bool) -> Result:
        shape = self.shape
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None, (_MISSING if self.required else _NO_PROBLEMS)
        if shape.is_country:
            return country_cell(raw)
        given = raw
        if flat and isinstance(raw, str) and (shape.is_list or shape.is_mapping):
            given = cell_to_input(shape.table, shape.name, raw)
        try:
            value = self._adapter.validate_python(given)
        except ValidationError as error:
            entry = error.errors(include_url=False)[0]
            return None, (cell_problem(shape, entry, raw),)
        if isinstance(value, enum.Enum):
            value = value.value
        if flat and shape.is_mapping and isinstance(raw, str):
            twice = repeated_key_problems(shape.name, raw)
            if twice:
                return value, twice
        if shape.is_date and (
            isinstance(raw, PartialDate)
            or (isinstance(raw, str) and not is_iso_date_text(raw))
        ):
            return value, (date_remark(raw, value),)
        return value, _NO_PROBLEMS

    def column(
        self,
        raw: Sequence[Any],
        *,
        text: bool,
        kinds: Collection[type] | None = None,
    ) -> tuple[list[Any], Problems]:
        """Parse a column of raw values: the values, and problems by row index.

        `text` says every value is a string as written in a CSV file (lists
        `;`-separated); otherwise values are typed, as JSON or records hold
        them, and `kinds` may say which types they have (`NoneType` included).
        After a call, `distinct` holds the distinct raw values of the column and
        the mapping to their parsed values, when worked out on the way.
        """
        self.distinct = None
        if self.shape.items is not None:
            # Lists that repeat (the same SMEs at many activities) are checked
            # once per distinct list; lists that hardly do, item by item at C speed.
            tuples = raw if text else _tuples(raw, kinds)
            distinct = None if tuples is None else _repeating(tuples)
            if distinct is not None:
                return self._by_distinct(
                    tuples,  # type: ignore[arg-type] # not None when distinct is not
                    flat=text,
                    key=None if text else tuple,
                    distinct=distinct,
                )
            lists = None if tuples is None else self._lists(tuples, text=text)
            if lists is not None:
                return lists, {}
        if not text:
            typed = set(map(type, raw) if kinds is None else kinds)
            typed.discard(type(None))
            if not typed <= {str}:
                return self._typed(raw, typed)
        if self.bulk and self._repeats is None and raw:
            # Ids of the table itself hardly repeat, ids of others (an activity's
            # partnership) do: the first chunk decides how to check the column.
            self._repeats = _repeating(raw) is not None
        if self.bulk and not self._repeats:
            bulk = self._bulk(raw)
            if bulk is not None:
                return bulk, {}
        return self._by_distinct(raw, flat=text)

    def _lists(self, raw: Sequence[Any], *, text: bool) -> list[Any] | None:
        """A column of lists of ids (or items) checked whole; `None`: value by value.

        For the common case, lists whose every item is already a valid, stripped
        id: their items are checked together at C speed, and each row becomes a
        tuple. `raw` is `;`-separated text (`text`) or tuples, made of JSON
        lists or a record's tuples by `_tuples`.
        Anything else (an item to strip, an empty item, a control character, an
        over-long id, a value that is not text) takes the path that explains it.
        """
        ids = self.shape.items == "id"
        return _text_lists(raw, ids=ids) if text else _typed_lists(raw, ids=ids)

    def _typed(
        self, raw: Sequence[Any], kinds: set[type]
    ) -> tuple[list[Any], Problems]:
        """Typed values: 1, 1.0 and true are equal in Python but not as input."""
        if len(kinds) == 1 and not kinds & {list, dict, PartialDate}:
            # One type (and None): equal values are equal inputs (not so for
            # partial dates: 2025 and 2025-01 are one day, told apart below).
            try:
                return self._by_distinct(raw, flat=False, key=next(iter(kinds)))
            except TypeError:  # a value that does not hash: a set, Decimal('sNaN')
                pass
        parsed = []
        found: Problems = {}
        for index, item in enumerate(raw):
            given = _hashable(item)
            try:
                key = (type(item), given, getattr(item, "precision", None))
                result = self._remembered(key, given)
            except TypeError:  # a mapping: check it as it comes
                result = self.check(item, flat=False)
            parsed.append(result[0])
            if result[1]:
                found[index] = result[1]
        return parsed, found

    def _remembered(self, key: Any, given: Any) -> Result:
        values = self._values
        if key in values:
            return values[key], self._problems[key]
        if len(values) > _CACHE_LIMIT:
            self._forget()
        result = self.check(given, flat=False)
        values[key], self._problems[key] = result
        if result[1]:
            self._troubled.add(key)
        return result

    def _forget(self) -> None:
        self._values.clear()
        self._problems.clear()
        self._troubled.clear()
        self._same.clear()
        self._seen.clear()

    def _bulk(self, raw: Sequence[str | None]) -> list[Any] | None:  # noqa: PLR0911 - one way out per reason to look value by value
        """Text checked as a whole column at C speed; `None`: look value by value.

        Control characters, over-long ids and missing required values take the
        one-value-at-a-time path, which explains them.
        """
        missing = None in raw
        if missing and self.required:
            return None
        # Without the values not given ('' is not given too).
        present: Sequence[str] = list(filter(None, raw)) if missing else raw  # type: ignore[assignment] # None filtered out
        joined = "".join(present)
        if _has_control(joined):
            return None
        stripped = list(map(str.strip, present))
        if self.max_length is not None and (
            ";" in joined or max(map(len, stripped), default=0) > self.max_length
        ):
            return None
        if missing:
            return [None if text is None else (text.strip() or None) for text in raw]
        if min(map(len, stripped), default=1) == 0:
            if self.required:
                return None
            return [text or None for text in stripped]
        return stripped

    def _by_distinct(
        self,
        raw: Sequence[Any],
        *,
        flat: bool = True,
        key: type | None = None,
        distinct: set[Any] | None = None,
    ) -> tuple[list[Any], Problems]:
        values, problems = self._values, self._problems
        if distinct is None:
            distinct = set(raw)
        if len(values) > _CACHE_LIMIT:
            self._forget()
        if key is None:
            new = distinct.difference(values)
            for item in new:
                values[item], problems[item] = found = self.check(item, flat=flat)
                if found[1]:
                    self._troubled.add(item)
                if not flat and _same(found[0], item):
                    self._same.add(item)
            parsed = (
                list(raw)
                if not flat and distinct <= self._same
                else list(map(values.__getitem__, raw))
            )
            self.distinct = (distinct, values)
            troubled = distinct & self._troubled
            if not troubled:
                return parsed, {}
            return parsed, {
                index: problems[item]
                for index, item in enumerate(raw)
                if item in troubled
            }
        return self._by_type(raw, distinct, key)

    def _by_type(
        self, raw: Sequence[Any], distinct: set[Any], key: type
    ) -> tuple[list[Any], Problems]:
        """Typed values of one type, remembered per type: found at C speed.

        True and 1 differ as input, though equal in Python, so each type has
        its memory of the values seen before, as text has in `_by_distinct`.
        """
        seen = self._seen.get(key)
        if seen is None or len(seen.parsed) > _CACHE_LIMIT:
            seen = self._seen[key] = _Seen()
            seen.parsed[None] = None
            seen.same.add(None)
            seen.problems[None] = _MISSING if self.required else _NO_PROBLEMS
            if self.required:
                seen.troubled.add(None)
        for item in distinct.difference(seen.parsed):
            seen.parsed[item], seen.problems[item] = found = self.check(
                item, flat=False
            )
            if found[1]:
                seen.troubled.add(item)
            if _same(found[0], item):
                seen.same.add(item)
        self.distinct = (distinct, seen.parsed)
        parsed = (
            list(raw)
            if distinct <= seen.same
            else list(map(seen.parsed.__getitem__, raw))
        )
        troubled = distinct & seen.troubled
        if not troubled:
            return parsed, {}
        return parsed, {
            index: seen.problems[item]
            for index, item in enumerate(raw)
            if item in troubled
        }


@attrs.define
class _Seen:
    """The typed values of one type seen in a column: parsed, and their problems."""

    parsed: dict[Any, Any] = attrs.field(factory=dict)
    problems: dict[Any, tuple[CellProblem, ...]] = attrs.field(factory=dict)
    troubled: set[Any] = attrs.field(factory=set)
    # The values that parse to themselves (see `_same`).
    same: set[Any] = attrs.field(factory=set)


def _same(value: Any, raw: Any) -> bool:
    """Whether a typed raw value parses to itself: its column needs no lookups."""
    return value is raw or (type(value) is type(raw) and value == raw)


def _hashable(item: Any) -> Any:
    if isinstance(item, list):
        return tuple(_hashable(element) for element in item)
    return item


class TableChecks:
    """The checks of the fields of one table, for one pass (each keeps its memory).

    Args:
        table: The table.
        enabled: The ids of the rules that run.
        fields: Only these fields (every field by default), the fields that
            name a record, and the fields of the invariants that may refuse
            their values. The defaults that depend on other fields (an
            activity's counters) are filled only when every field is checked.
    """

    def __init__(
        self,
        table: str,
        enabled: Collection[str],
        fields: Collection[str] | None = None,
    ) -> None:
        model = TABLES[table]
        names = set(model.model_fields if fields is None else fields)
        names.update(entity_fields(table))
        invariants = [
            invariant for invariant in model.invariants if invariant.blame in names
        ]
        for invariant in invariants:
            names.update(invariant.fields)
        self.table = table
        self.fields = {
            name: FieldCheck(table, name, enabled)
            for name in model.model_fields
            if name in names
        }
        self.invariants = tuple(invariants)
        # Some fields only: the defaults may need others, so none are filled
        # (the base model's `fill_defaults` fills none).
        self.fill_defaults = (
            model.fill_defaults if fields is None else Record.fill_defaults
        )


def cell_key(location: Location) -> tuple[Any, ...]:
    """What tells one cell from another: its file, its place and its field."""
    if location.pointer is not None:
        return (location.file, location.pointer, location.field)
    return (location.file, location.sheet, location.line, location.field)


def parse_chunk(
    chunk: Chunk,
    checks: TableChecks,
    report: Reporter,
    refused: Collection[tuple[Any, ...]] = (),
) -> Batch:
    """Check the raw cells of a chunk and return its parsed columns, reporting problems.

    `refused` holds the cells (see `cell_key`) whose value the reader refused
    and left out, having said why: such a cell is not reported again as empty.
    """
    size = len(chunk.numbers)
    columns: dict[str, list[Any]] = {}
    distinct: dict[str, Any] = {}
    found: dict[str, Problems] = {}
    for field, check in checks.fields.items():
        cells = chunk.cells.get(field)
        if cells is None:
            columns[field] = [None] * size
            distinct[field] = ({None}, {None: None})
            continue
        kinds = None if chunk.kinds is None else chunk.kinds.get(field)
        columns[field], problems = check.column(cells, text=chunk.text, kinds=kinds)
        if check.distinct is not None:
            distinct[field] = check.distinct
        if problems:
            found[field] = problems
    batch = Batch(chunk.source, chunk.numbers, columns, distinct)
    for field, problems in found.items():
        cells = chunk.cells[field]
        _report_cells(batch, field, problems, cells, report, refused=refused)
    for invariant in checks.invariants:
        _check_invariant(batch, invariant, report)
    for name in checks.fill_defaults(batch.columns):
        batch.forget(name)
    return batch


def _report_cells(
    batch: Batch,
    field: str,
    problems: Problems,
    cells: Sequence[Any],
    report: Reporter,
    *,
    refused: Collection[tuple[Any, ...]],
) -> None:
    """Report the problems of a field's cells, but not as empty a cell the reader refused."""
    for index, cell_problems in problems.items():
        where = batch.location(index, field)
        if refused and cell_problems[0] is MISSING and cell_key(where) in refused:
            continue  # the reader said why it is empty
        for problem in cell_problems:
            problem.report_at(
                report, where, entity=batch.entity(index), raw=cells[index]
            )


def _check_invariant(batch: Batch, invariant: Any, report: Reporter) -> None:
    """Report the rows that break an invariant of the model; their value is refused."""
    fields = invariant.fields
    bad = {
        combination
        for combination in batch.distinct(*fields)
        if None not in combination and invariant.problem(*combination) is not None
    }
    blame = invariant.blame
    for index in batch.rows_with(fields, bad):
        values = [batch[name][index] for name in fields]
        report(
            BAD_VALUE,
            batch.location(index, blame),
            invariant.problem(*values),
            entity=batch.entity(index),
            value=batch[blame][index],
        )
        batch[blame][index] = None
    if bad:
        batch.forget(blame)
