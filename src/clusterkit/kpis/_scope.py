"""Private: the scope of a KPI computation (filters) and its breakdown dimensions."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Collection, Iterable, Mapping
from typing import TYPE_CHECKING, Any, TypedDict

import attrs

from clusterkit.countries import normalise_country
from clusterkit.errors import CountryError
from clusterkit.values import PartialDate

if TYPE_CHECKING:
    from typing_extensions import Unpack

__all__ = ["ACTIVITY_DIMENSIONS", "DIMENSIONS", "Scope", "ScopeFilters", "quarter_of"]

DIMENSIONS = (
    "partnership",
    "generation",
    "target_country",
    "year",
    "quarter",
    "ecosystem",
)
"""The breakdowns (`by`), in the order group keys list them."""

ACTIVITY_DIMENSIONS = ("target_country", "year", "quarter")
"""The dimensions an activity takes from its own fields, not from its partnership."""


def quarter_of(day: dt.date) -> str:
    """The calendar quarter of a day, as `2017-Q1`."""
    return f"{day.year}-Q{(day.month - 1) // 3 + 1}"


def _names(
    value: object, what: str, whole: Callable[[str], bool] = lambda _: False
) -> tuple[str, ...] | None:
    """The names a filter is given: text, or an iterable of texts, comma-separated.

    An item that `whole` takes as one name is not split: "Korea, Republic of"
    is one country.
    """
    if value is None:
        return None
    if isinstance(value, str):
        items: list[object] = [value]
    elif isinstance(value, (bytes, bytearray)) or not isinstance(value, Iterable):
        msg = f"{what}: expected text, or an iterable of texts, not {value!r}"
        raise TypeError(msg)
    else:
        items = list(value)
    names: list[str] = []
    for item in items:
        if not isinstance(item, str):
            msg = f"{what}: expected ids as text, not {item!r}"
            raise TypeError(msg)
        if whole(item):
            names.append(item.strip())
        else:
            names.extend(part.strip() for part in item.split(",") if part.strip())
    if not names:
        msg = f"{what}: give at least one id"
        raise ValueError(msg)
    return tuple(dict.fromkeys(names))


def _ids_in(text: str, known: Collection[str]) -> list[str]:
    """The ids a filter's text names: parts at commas, or an id that holds commas."""
    parts = text.split(",")
    ids: list[str] = []
    start = 0
    while start < len(parts):
        end = next(
            (
                end
                for end in range(len(parts), start + 1, -1)
                if ",".join(parts[start:end]).strip() in known
            ),
            start + 1,
        )
        name = ",".join(parts[start:end]).strip()
        if name:
            ids.append(name)
        start = end
    return ids


def _once(value: object) -> object:
    """An iterable (not text) as a list, so that it can be read twice."""
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes, bytearray)):
        return list(value)
    return value


def _given(value: object) -> tuple[str, ...]:
    """A filter's texts as given (checked by `_names`, which runs too)."""
    return (value,) if isinstance(value, str) else tuple(value)  # type: ignore[arg-type] # an iterable of texts, as `_names` checks


def _one_country(text: str) -> bool:
    try:
        normalise_country(text)
    except CountryError:
        return False
    return True


def _countries(value: str | Iterable[str] | None) -> tuple[str, ...] | None:
    # A name with a comma in it ("Hong Kong, China") is one country, not two.
    names = _names(value, "target_country", _one_country)
    if names is None:
        return None
    codes = []
    for name in names:
        try:
            codes.append(normalise_country(name).alpha2)
        except CountryError as error:  # noqa: PERF203 - the first bad name is reported
            msg = f"target_country: {error}"
            raise ValueError(msg) from None
    return tuple(dict.fromkeys(codes))


def _dimensions(value: object) -> tuple[str, ...]:
    if value is None:
        return ()  # no breakdown
    if isinstance(value, Iterable) and not isinstance(value, (str, bytes, bytearray)):
        value = list(value)  # once: an iterator is read once
        if not value:
            return ()  # no breakdown
    names = _names(value, "by") or ()
    for name in names:
        if name not in DIMENSIONS:
            msg = f"by: {name!r} is not a breakdown; use one of " + ", ".join(
                DIMENSIONS
            )
            raise ValueError(msg)
    # Keys list the dimensions in one order, whatever order they were asked in.
    return tuple(name for name in DIMENSIONS if name in names)


class ScopeFilters(TypedDict, total=False):
    """The filters of a scope, as `compute_kpis` and the KPI functions take them."""

    generation: str | Iterable[str] | None
    partnership: str | Iterable[str] | None
    start: dt.date | None
    end: dt.date | None
    target_country: str | Iterable[str] | None


@attrs.frozen
class Scope:
    """Which records a KPI computation covers, and how it breaks them down.

    Each filter applies to each record by its own fields: activities by their
    `start` and `target_country`, partnerships by their period and declared
    targets; activities are in scope only when their partnership is in scope for
    the `generation` and `partnership` filters.

    Added in version 0.1.0.

    Attributes:
        generation: Only partnerships of these generations (and their activities).
        partnership: Only these partnerships (and their activities).
        start: Only activities starting on or after this day, and partnerships
            whose period ends on or after it.
        end: Only activities starting on or before this day, and partnerships
            whose period starts on or before it.
        target_country: Only activities targeting these countries (ISO alpha-2),
            and partnerships declaring one of them as a target.
        by: The breakdown dimensions (see `DIMENSIONS`).
    """

    generation: tuple[str, ...] | None = None
    partnership: tuple[str, ...] | None = None
    start: dt.date | None = None
    end: dt.date | None = None
    target_country: tuple[str, ...] | None = None
    by: tuple[str, ...] = ()
    # The generation and partnership filters as given, before they were split
    # at commas: an id may hold a comma ("P1,EU"), which only the data tells.
    _given: Mapping[str, tuple[str, ...]] = attrs.field(
        factory=dict, eq=False, repr=False, alias="given"
    )

    def with_ids(self, known: Mapping[str, Collection[str]]) -> Scope:
        """The scope with its id filters read against the ids of the data.

        A text is ids separated by commas, as `build` split it, except where
        parts joined again by their commas are an id of the data: `"P1,EU,P2"`
        is `P1,EU` and `P2` when `P1,EU` is an id, the longest such id first.
        `compute_kpis` reads its filters so, once the data is read.

        Added in version 0.2.0.

        Args:
            known: The ids of the data, by filter (`generation`, `partnership`).
        """
        found: dict[str, tuple[str, ...]] = {}
        for what, given in self._given.items():
            names: list[str] = []
            for text in given:
                names += _ids_in(text, known[what])
            found[what] = tuple(dict.fromkeys(names))
        return attrs.evolve(
            self,
            generation=found.get("generation", self.generation),
            partnership=found.get("partnership", self.partnership),
        )

    @classmethod
    def build(
        cls,
        *,
        by: str | Iterable[str] | None = None,
        **filters: Unpack[ScopeFilters],
    ) -> Scope:
        """A scope from the arguments of `compute_kpis`, checked.

        Raises:
            ValueError: An unknown breakdown, a date range that ends before it
                starts, or a target country that is not a country.
            TypeError: A date that is not a `datetime.date`, or names or ids
                that are not text.
        """
        start, end = filters.get("start"), filters.get("end")
        for name, day in (("start", start), ("end", end)):
            # A date, or a month or a year (`PartialDate`), but not a moment.
            if day is not None and type(day) not in {dt.date, PartialDate}:
                msg = f"{name}: expected a datetime.date, not {day!r}"
                raise TypeError(msg)
        if start is not None and end is not None and start > end:
            msg = f"the date range ends ({end}) before it starts ({start})"
            raise ValueError(msg)
        # The id filters read once (an iterator is read once), checked and
        # split at commas, and kept as given for `with_ids`.
        ids = {what: _once(filters.get(what)) for what in ("generation", "partnership")}
        generation = _names(ids["generation"], "generation")
        partnership = _names(ids["partnership"], "partnership")
        given = {
            what: _given(value) for what, value in ids.items() if value is not None
        }
        return cls(
            generation=generation,
            partnership=partnership,
            given=given,
            start=start,
            end=end,
            target_country=_countries(filters.get("target_country")),
            by=_dimensions(by),
        )

    @property
    def activity_dimensions(self) -> tuple[str, ...]:
        """The breakdowns an activity takes from its own fields."""
        return tuple(name for name in self.by if name in ACTIVITY_DIMENSIONS)

    def to_dict(self) -> dict[str, Any]:
        """The scope as JSON-ready values (`null` for no filter)."""
        return {
            "generation": None if self.generation is None else list(self.generation),
            "partnership": None if self.partnership is None else list(self.partnership),
            "start": None if self.start is None else self.start.isoformat(),
            "end": None if self.end is None else self.end.isoformat(),
            "target_country": None
            if self.target_country is None
            else list(self.target_country),
            "by": list(self.by),
        }
