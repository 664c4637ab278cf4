"""Private: check the cells of a column against its field, a distinct value at a time.

A column of a batch is checked by the field's own pydantic type (the same type the
record model uses, so the validator and `load_dataset` agree on every value), but
each distinct value is checked once and remembered: a million activity rows hold
a few thousand distinct dates, types and countries. Columns of ids and free text,
which hardly repeat, are checked in bulk at C speed and fall back to one value at
a time only when the bulk check finds something.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import functools
import re
import typing
from collections.abc import Collection, Sequence
from typing import Annotated, Any

import attrs
from pydantic import ConfigDict, StringConstraints, TypeAdapter, ValidationError

from clusterkit._dates import is_iso_date_text
from clusterkit.countries import normalise_country
from clusterkit.errors import AmbiguousCountryError, CountryError
from clusterkit.io._rows import cell_to_input
from clusterkit.models import TABLES
from clusterkit.models._base import (
    Identifier,
    Text,
    country_fields,
    dict_fields,
    list_fields,
)
from clusterkit.models.vocabulary import EnterpriseSize

__all__ = ["REQUIRED", "CellProblem", "FieldCheck", "field_checks"]

_CONFIG = ConfigDict(str_strip_whitespace=True, coerce_numbers_to_str=True)

# Any control character: a bulk check that finds none needs no closer look.
_CONTROL = re.compile(r"[\x00-\x1f\x7f]")
_ID_MAX = 64

# Bounded memory: a cache that grows past this is started afresh.
_CACHE_LIMIT = 50_000


@attrs.frozen
class CellProblem:
    """What is wrong with one cell, before it is placed in a file."""

    rule: str
    message: str
    hint: str | None = None
    expected: str | None = None


def _required(table: str) -> tuple[str, ...]:
    return tuple(
        name for name, info in TABLES[table].model_fields.items() if info.is_required()
    )


REQUIRED = {table: _required(table) for table in TABLES}
"""The required fields (columns) of each table."""

_NO_PROBLEMS: tuple[CellProblem, ...] = ()
_MISSING = (
    CellProblem("CK-TYPE-001", "a value is required here, but the cell is empty"),
)


class FieldCheck:
    """Checks the values of one field of one table, remembering each distinct value."""

    def __init__(
        self,
        table: str,
        field: str,
        enabled: Collection[str] = frozenset(),
        *,
        flat: bool = True,
    ) -> None:
        model = TABLES[table]
        info = model.model_fields[field]
        self.table = table
        self.field = field
        self.required = info.is_required()
        self.is_country = field in country_fields(model)
        self.is_list = field in list_fields(model)
        self.is_mapping = field in dict_fields(model)
        annotation: Any = info.annotation
        for constraint in info.metadata:
            # Nested Annotated types flatten: this is Annotated[type, *metadata].
            annotation = Annotated[annotation, constraint]
        self._adapter: TypeAdapter[Any] = TypeAdapter(annotation, config=_CONFIG)
        self._enum = _enum_of(info.annotation)
        self.is_date = _is_date(info.annotation)
        # Ids and free text hardly repeat: check them in bulk instead of caching.
        text_kind = _text_kind(info.annotation, info.metadata)
        self.bulk = text_kind is not None
        self.max_length = _ID_MAX if text_kind == "id" else None
        # Findings that only inform are worked out only when their rule runs.
        self._quiet = {"CK-COUNTRY-003", "CK-TYPE-002"} - set(enabled)
        self._values: dict[Any, Any] = {}
        self._problems: dict[Any, tuple[CellProblem, ...]] = {}
        self._troubled: set[Any] = set()
        self._repeats: bool | None = None
        # The distinct raw values of the last column, and what each parsed to.
        self.distinct: tuple[set[Any], dict[Any, Any]] | None = None
        # CSV cells hold lists as ';'-separated text; JSON values are lists already.
        self.flat = flat

    def check(self, raw: Any) -> tuple[Any, tuple[CellProblem, ...]]:
        """The parsed value of one raw cell value and its problems (value `None` if bad)."""
        value, problems = self._check(raw)
        if problems and problems[0].rule in self._quiet:
            return value, _NO_PROBLEMS
        return value, problems

    def _check(self, raw: Any) -> tuple[Any, tuple[CellProblem, ...]]:  # noqa: PLR0911 - one return per kind of answer
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            return None, (_MISSING if self.required else _NO_PROBLEMS)
        if self.is_country:
            if isinstance(raw, (str, int)) and not isinstance(raw, bool):
                return _check_country(raw)
            return None, (
                CellProblem(
                    "CK-COUNTRY-001",
                    f"{raw!r} is not a country: give a name or code as text",
                    expected="a country name or ISO 3166-1 code",
                ),
            )
        given = raw
        if self.flat and isinstance(raw, str) and (self.is_list or self.is_mapping):
            given = cell_to_input(self.table, self.field, raw)
        try:
            value = self._adapter.validate_python(given)
        except ValidationError as error:
            return None, (self._problem(error, raw),)
        if self.table == "smes" and value is EnterpriseSize.LARGE:
            return None, (
                CellProblem(
                    "CK-ENUM-001",
                    "'large' is not an SME size class: an SME is micro, small or "
                    "medium (a large enterprise is not an SME)",
                    expected="micro, small or medium",
                ),
            )
        if isinstance(value, enum.Enum):
            value = value.value
        if self.is_date and not is_iso_date_text(raw) and isinstance(raw, str):
            return value, (
                CellProblem(
                    "CK-TYPE-002",
                    f"{raw!r} is not an ISO 8601 date; read as {value.isoformat()}",
                    hint=f"write it as {value.isoformat()}",
                    expected="YYYY-MM-DD",
                ),
            )
        return value, _NO_PROBLEMS

    def column(
        self, raw: Sequence[Any], *, texts: bool = False
    ) -> tuple[list[Any], dict[int, tuple[CellProblem, ...]]]:
        """Parse a column of raw values: the values, and problems by row index.

        `texts` says every value is a string (as in a CSV file), which saves a look.
        After a call, `distinct` holds the distinct raw values of the column and
        the mapping to their parsed values, when worked out on the way.
        """
        self.distinct = None
        if not texts and not _all_text(raw):
            return self._by_distinct_typed(raw)
        if self.bulk and self._repeats is None and raw:
            # Ids of the table itself hardly repeat, ids of others (an activity's
            # partnership) do: the first batch decides how to check the column.
            self._repeats = len(set(raw)) * 2 < len(raw)
        if self.bulk and not self._repeats:
            bulk = self._bulk(raw)
            if bulk is not None:
                return bulk, {}
        return self._by_distinct(raw)

    def _by_distinct_typed(
        self, raw: Sequence[Any]
    ) -> tuple[list[Any], dict[int, tuple[CellProblem, ...]]]:
        """Values from JSON: 1, 1.0 and true are equal in Python but not as input."""
        kinds = set(map(type, raw))
        kinds.discard(type(None))
        if len(kinds) <= 1 and not kinds & {list, dict}:
            # One type (and None): equal values are equal inputs, so each
            # distinct value is checked once, the rows mapped at C speed.
            distinct = set(raw)
            results = {item: self.check(item) for item in distinct}
            values = {item: result[0] for item, result in results.items()}
            self.distinct = (distinct, values)
            parsed = list(map(values.__getitem__, raw))
            if not any(result[1] for result in results.values()):
                return parsed, {}
            return parsed, {
                index: results[item][1]
                for index, item in enumerate(raw)
                if results[item][1]
            }
        parsed = []
        found: dict[int, tuple[CellProblem, ...]] = {}
        memory: dict[Any, tuple[Any, tuple[CellProblem, ...]]] = {}
        for index, item in enumerate(raw):
            given = _hashable(item)
            try:
                key = (type(item), given)
                result = memory.get(key)
                if result is None:
                    result = memory[key] = self.check(given)
            except TypeError:  # a mapping: check it as it comes
                result = self.check(item)
            parsed.append(result[0])
            if result[1]:
                found[index] = result[1]
        return parsed, found

    def _bulk(self, raw: Sequence[str]) -> list[Any] | None:
        # Control characters, over-long ids and missing required values take the
        # one-value-at-a-time path, which explains them.
        joined = "".join(raw)
        if _CONTROL.search(joined):
            return None
        stripped = list(map(str.strip, raw))
        shortest = min(map(len, stripped), default=1)
        if self.max_length is not None and (
            ";" in joined or max(map(len, stripped), default=0) > self.max_length
        ):
            return None
        if shortest == 0:
            if self.required:
                return None
            return [text or None for text in stripped]
        return stripped

    def _by_distinct(
        self, raw: Sequence[Any]
    ) -> tuple[list[Any], dict[int, tuple[CellProblem, ...]]]:
        values, problems = self._values, self._problems
        distinct = set(raw)
        if len(values) > _CACHE_LIMIT:
            values.clear()
            problems.clear()
            self._troubled.clear()
        for item in distinct.difference(values):
            values[item], problems[item] = found = self.check(item)
            if found[1]:
                self._troubled.add(item)
        parsed = list(map(values.__getitem__, raw))
        self.distinct = (distinct, values)
        troubled = distinct & self._troubled
        if not troubled:
            return parsed, {}
        return parsed, {
            index: problems[item] for index, item in enumerate(raw) if item in troubled
        }

    def _problem(self, error: ValidationError, raw: Any) -> CellProblem:
        entry = error.errors(include_url=False)[0]
        kind = entry["type"]
        text = str(entry["msg"])
        if kind == "date_ambiguous":
            readings = entry.get("ctx", {}).get("readings")
            return CellProblem("CK-TYPE-003", text, hint=f"it reads as {readings}")
        if kind in {"greater_than_equal", "greater_than"}:
            return CellProblem(
                "CK-COUNT-001",
                f"{raw!r} is negative; {self.field} counts, so it is at least 0",
                expected=">= 0",
            )
        if kind == "enum" and self._enum is not None:
            return _enum_problem(self._enum, raw)
        if kind in {"string_pattern_mismatch", "string_too_long"} and (
            self.max_length is not None or self.is_list
        ):
            text = (
                f"{entry.get('input')!r} is not a valid id: an id has 1 to 64 "
                "characters, without ';' or control characters"
            )
        elif kind == "string_pattern_mismatch" and self.bulk:
            text = f"{raw!r} contains control characters"
        elif kind == "string_pattern_mismatch" and self.field == "region":
            text = f"{raw!r} is not a NUTS code (a country code and up to 3 more, e.g. DE30)"
        elif self.is_list and entry["loc"]:
            text = f"item {entry['loc'][0]!s} ({entry.get('input')!r}): {text}"
        elif kind in {
            "int_parsing",
            "decimal_parsing",
            "int_from_float",
            "decimal_type",
        }:
            text = f"{raw!r}: {text}"
        return CellProblem("CK-TYPE-001", text)


def _hashable(item: Any) -> Any:
    if isinstance(item, list):
        return tuple(_hashable(element) for element in item)
    return item


def _all_text(raw: Sequence[Any]) -> bool:
    return all(type(item) is str for item in raw)


def _is_date(annotation: Any) -> bool:
    args = getattr(annotation, "__args__", None) or (annotation,)
    return any(
        arg is dt.date or getattr(arg, "__origin__", None) is dt.date for arg in args
    )


def _enum_of(annotation: Any) -> type[enum.Enum] | None:
    for candidate in (annotation, *getattr(annotation, "__args__", ())):
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return candidate
        inner = _enum_of_args(candidate)
        if inner is not None:
            return inner
    return None


def _enum_of_args(annotation: Any) -> type[enum.Enum] | None:
    for candidate in getattr(annotation, "__args__", ()):
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return candidate
    return None


_TEXT_KINDS = {
    repr(typing.get_args(Identifier)[1]): "id",
    repr(typing.get_args(Text)[1]): "text",
}


def _text_kind(annotation: Any, metadata: Sequence[Any]) -> str | None:
    """`id` or `text` for a field typed `Identifier` or `Text` (optional or not)."""
    found: list[Any] = list(metadata)
    args = getattr(annotation, "__args__", None) or (annotation,)
    for arg in args:
        if arg is type(None):
            continue
        if getattr(arg, "__origin__", None) is str or arg is str:
            found.extend(getattr(arg, "__metadata__", ()))  # Annotated[str, ...]
        else:
            return None
    if len(found) != 1 or not isinstance(found[0], StringConstraints):
        return None
    return _TEXT_KINDS.get(repr(found[0]))


def _enum_problem(kind: type[enum.Enum], raw: Any) -> CellProblem:
    allowed = [str(member.value) for member in kind]
    nearest = difflib.get_close_matches(
        str(raw).strip().lower(), allowed, n=1, cutoff=0.5
    )
    return CellProblem(
        "CK-ENUM-001",
        f"{raw!r} is not one of the allowed values",
        hint=f"did you mean {nearest[0]!r}?" if nearest else None,
        expected=", ".join(allowed),
    )


@functools.lru_cache(maxsize=4096)
def _check_country(raw: Any) -> tuple[Any, tuple[CellProblem, ...]]:
    try:
        country = normalise_country(raw)
    except AmbiguousCountryError as error:
        candidates = ", ".join(error.candidates)
        return None, (
            CellProblem(
                "CK-COUNTRY-002",
                f"{raw!r} could be several countries: {candidates}",
                hint=f"write one ISO code: {candidates}",
                expected="an ISO 3166-1 alpha-2 code",
            ),
        )
    except CountryError as error:
        return None, (
            CellProblem(
                "CK-COUNTRY-001",
                str(error),
                expected="a country name or ISO 3166-1 code",
            ),
        )
    if raw != country.alpha2:
        return country.alpha2, (
            CellProblem(
                "CK-COUNTRY-003",
                f"{raw!r} is {country.name}; write it as its ISO code {country.alpha2}",
                hint=f"write {country.alpha2}",
                expected=country.alpha2,
            ),
        )
    return country.alpha2, _NO_PROBLEMS


def field_checks(
    table: str, enabled: Collection[str], *, flat: bool = True
) -> dict[str, FieldCheck]:
    """A fresh check for every field of a table (each keeps its own memory).

    `flat` says list cells are `;`-separated text (CSV), not lists (JSON).
    """
    return {
        name: FieldCheck(table, name, enabled, flat=flat)
        for name in TABLES[table].model_fields
    }
