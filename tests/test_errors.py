"""The exception tree of DESIGN.md §9."""

from __future__ import annotations

import datetime as dt

import pytest

from clusterkit import errors
from clusterkit.report import Report, Summary
from clusterkit.values import Location


@pytest.mark.parametrize(
    ("exception", "bases"),
    [
        (errors.CountryError, (errors.ClusterkitError, ValueError)),
        (errors.AmbiguousCountryError, (errors.CountryError,)),
        (errors.DatasetError, (errors.ClusterkitError,)),
        (errors.DatasetReadError, (errors.DatasetError,)),
        (errors.DatasetValidationError, (errors.DatasetError,)),
        (errors.KPIError, (errors.ClusterkitError, ValueError)),
    ],
)
def test_hierarchy(
    exception: type[Exception], bases: tuple[type[Exception], ...]
) -> None:
    """Each exception sits where the tree in errors.py draws it."""
    assert all(issubclass(exception, base) for base in bases)


def test_structured_attributes() -> None:
    """Errors carry the fields a program needs, not only text."""
    ambiguous = errors.AmbiguousCountryError(
        "x", value="Korea", candidates=["KR", "KP"]
    )
    assert (ambiguous.value, ambiguous.candidates) == ("Korea", ("KR", "KP"))
    where = Location(file="a.csv", line=3, field="start")
    read = errors.DatasetReadError("bad", source="a.csv", location=where)
    assert (read.source, read.line, read.field, read.location) == (
        "a.csv",
        3,
        "start",
        where,
    )
    assert (
        errors.DatasetReadError("bad").line,
        errors.DatasetReadError("bad").field,
    ) == (None, None)
    report = Report((), Summary.of(()), dt.date(2026, 1, 1))
    assert errors.DatasetValidationError("bad", report=report).report is report
    assert errors.KPIError("undefined", kpi="smes_involved").kpi == "smes_involved"
