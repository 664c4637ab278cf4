"""Private: what the readers need to know of a field: its kind of value.

Worked out once per field from the record models, so that messages and the checks
of whole columns treat ids, free text, lists, enumerations and dates alike
whatever the format.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import typing
from collections.abc import Sequence
from typing import Any, Literal

import attrs
from pydantic import StringConstraints

from clusterkit.models import (
    TABLES,
    EndDate,
    Identifier,
    ListItem,
    Record,
    StartDate,
    Text,
    country_fields,
    dict_fields,
    list_fields,
)

__all__ = ["FieldShape", "field_shape"]


@attrs.frozen
class FieldShape:
    """The kind of value one field of one table holds.

    Attributes:
        table: The table.
        name: The field.
        required: Whether a record must give it.
        enum: The enumeration its values (or items) come from.
        is_id: An id (1 to 64 characters, no `;`).
        is_text: Free text (no control characters).
        is_list: A list of values (`;`-separated in a CSV cell).
        is_mapping: A mapping (`key=value` pairs in a CSV cell).
        is_country: A country code.
        is_date: A calendar date.
        period: For a date that may be given to the month or the year, which
            day such a value stands for: the first of a `start`, the last of
            an `end`.
        items: For a list of ids (`id`) or of free items (`item`): what its
            items are; lists of other values have none.
    """

    table: str
    name: str
    required: bool = False
    enum: type[enum.Enum] | None = None
    is_id: bool = False
    is_text: bool = False
    is_list: bool = False
    is_mapping: bool = False
    is_country: bool = False
    is_date: bool = False
    period: Literal["start", "end"] | None = None
    items: Literal["id", "item"] | None = None


@functools.cache
def field_shape(
    table: str, field: str, model: type[Record] | None = None
) -> FieldShape:
    """The shape of one field of one table, or of its rows as `model` describes them."""
    model = model or TABLES[table]
    info = model.model_fields[field]
    kind = _text_kind(info.annotation, info.metadata)
    return FieldShape(
        table=table,
        name=field,
        required=info.is_required(),
        enum=_enum_of(info.annotation),
        is_id=kind == "id",
        is_text=kind == "text",
        is_list=field in list_fields(model),
        is_mapping=field in dict_fields(model),
        is_country=field in country_fields(model),
        is_date=_is_date(info.annotation),
        period=_period(info.annotation, info.metadata),
        items=_items(info.annotation),
    )


def _is_date(annotation: Any) -> bool:
    args = typing.get_args(annotation) or (annotation,)
    return any(
        arg is dt.date
        or typing.get_origin(arg) is dt.date
        or getattr(arg, "__origin__", None) is dt.date
        for arg in args
    )


def _period(annotation: Any, metadata: Sequence[Any]) -> Literal["start", "end"] | None:
    """`start` or `end` for a field typed `StartDate` or `EndDate` (optional or not)."""
    candidates = [annotation, *typing.get_args(annotation)]
    roles: tuple[tuple[Literal["start", "end"], Any], ...] = (
        ("start", StartDate),
        ("end", EndDate),
    )
    for role, kind in roles:
        # Optional, the type is an argument; required, pydantic keeps its metadata.
        if kind in candidates or list(metadata) == list(typing.get_args(kind)[1:]):
            return role
    return None


def _enum_of(annotation: Any) -> type[enum.Enum] | None:
    """The enumeration a field holds (alone, optional, in a tuple or annotated)."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return candidate
        inner = _enum_of_args(candidate)
        if inner is not None:
            return inner
    return None


def _enum_of_args(annotation: Any) -> type[enum.Enum] | None:
    for candidate in typing.get_args(annotation):
        if isinstance(candidate, type) and issubclass(candidate, enum.Enum):
            return candidate
    return None


def _items(annotation: Any) -> Literal["id", "item"] | None:
    """What the items of a tuple of ids or list items are (optional or not)."""
    for candidate in (annotation, *typing.get_args(annotation)):
        if typing.get_origin(candidate) is tuple:
            item = typing.get_args(candidate)[0]
            if item == Identifier:
                return "id"
            if item == ListItem:
                return "item"
    return None


_TEXT_KINDS = {
    repr(typing.get_args(Identifier)[1]): "id",
    repr(typing.get_args(Text)[1]): "text",
}


def _text_kind(annotation: Any, metadata: Sequence[Any]) -> str | None:
    """`id` or `text` for a field typed `Identifier` or `Text` (optional or not)."""
    found: list[Any] = list(metadata)
    args = typing.get_args(annotation) or (annotation,)
    for arg in args:
        if arg is type(None):
            continue
        if getattr(arg, "__origin__", None) is str or arg is str:
            found.extend(getattr(arg, "__metadata__", ()))  # Annotated[str, ...]
        else:
            return None
    # What only edits the JSON Schema (a pattern on the stripped text) checks
    # nothing: the type is the constraints' all the same.
    found = [item for item in found if not _json_schema_only(item)]
    if len(found) != 1 or not isinstance(found[0], StringConstraints):
        return None
    return _TEXT_KINDS.get(repr(found[0]))


def _json_schema_only(item: Any) -> bool:
    """Whether `Annotated` metadata edits the JSON Schema and checks no value."""
    return hasattr(item, "__get_pydantic_json_schema__") and not hasattr(
        item, "__get_pydantic_core_schema__"
    )
