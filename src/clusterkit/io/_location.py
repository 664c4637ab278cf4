"""Private: the `Location` of a line of a file, made fast for readers that make one per record."""

from __future__ import annotations

import attrs

from clusterkit.values import Location

__all__ = ["line_location"]

_new = object.__new__
# The slots' own descriptors set the fields as `object.__setattr__` does (and
# as attrs' `__init__` of a frozen class does, a call for each field), in
# about 0.7 of the time: 0.43 µs against 0.60 µs per location.
_FILE, _LINE, _COLUMN, _SHEET, _CELL, _POINTER, _FIELD = (
    getattr(Location, field.name).__set__ for field in attrs.fields(Location)
)


def line_location(file: str | None, line: int) -> Location:
    """`Location(file, line)`: every other field `None`, its default."""
    location = _new(Location)
    _FILE(location, file)
    _LINE(location, line)
    _COLUMN(location, None)
    _SHEET(location, None)
    _CELL(location, None)
    _POINTER(location, None)
    _FIELD(location, None)
    return location
