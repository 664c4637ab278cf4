"""Private leaf: what a field's type annotation holds, seen through `Optional` and `Annotated`.

The record models, the readers and the writers ask the same questions of a
field's type (is it a list, a mapping, can a CSV cell hold it?), of the shared
models and of the subclasses that users write alike.
"""

from __future__ import annotations

import dataclasses
import types
import typing
from collections.abc import Mapping, Sequence
from collections.abc import Set as AbstractSet
from typing import Annotated, Any, Literal

from pydantic import BaseModel

__all__ = ["container", "flat_problem", "held"]

_UNIONS = (typing.Union, types.UnionType)
_TEXT = (str, bytes, bytearray)  # sequences, but single values


def held(annotation: Any) -> Any:
    """The type a field holds: under `Annotated`, and under an `Optional`'s `None`.

    A union of several types besides `None` is returned as it is.
    """
    while True:
        origin = typing.get_origin(annotation)
        if origin is Annotated:
            annotation = typing.get_args(annotation)[0]
        elif origin in _UNIONS:
            given = [
                arg for arg in typing.get_args(annotation) if arg is not type(None)
            ]
            if len(given) != 1:
                return annotation
            annotation = given[0]
        else:
            return annotation


def container(annotation: Any) -> Literal["list", "mapping"] | None:
    """Whether a field holds a list (a tuple, list, set …) or a mapping, optional or not."""
    kind = held(annotation)
    kind = typing.get_origin(kind) or kind
    if not isinstance(kind, type) or issubclass(kind, _TEXT):
        return None
    if issubclass(kind, Mapping):
        return "mapping"
    if issubclass(kind, (Sequence, AbstractSet)):
        return "list"
    return None


def _single(annotation: Any) -> bool:
    """Whether a value of this type is one value: no list, mapping or record."""
    kind = held(annotation)
    if typing.get_origin(kind) in _UNIONS:
        return all(_single(arg) for arg in typing.get_args(kind))
    if kind is Ellipsis or kind is Any:  # the `...` of `tuple[X, ...]`; anything
        return True
    if container(kind) is not None:
        return False
    return not (
        isinstance(kind, type)
        and (issubclass(kind, BaseModel) or dataclasses.is_dataclass(kind))
    )


def flat_problem(annotation: Any) -> str | None:
    """What a field holds that a CSV cell cannot, or `None` when a cell can hold it.

    A cell holds one value, a list of single values (`a;b`) or a mapping of
    keys to single values (`k=v;k=v`).
    """
    kind = held(annotation)
    shape = container(kind)
    if shape is None:
        if _single(kind):
            return None
        if typing.get_origin(kind) in _UNIONS:
            return "either a single value or a list, a mapping or a record"
        return "a record"
    items = typing.get_args(kind)[1:] if shape == "mapping" else typing.get_args(kind)
    if all(map(_single, items)):
        return None
    return f"a {shape} of lists, mappings or records"
