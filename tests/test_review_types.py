"""clusterkit as a typed dependency: what user code checked by mypy --strict sees.

Each test runs, and mypy (which checks tests/) checks its `assert_type` lines:
a wrong annotation fails the type check, a wrong value the test.
"""

from __future__ import annotations

import collections
import operator
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import get_args

import pytest
from typing_extensions import assert_type

import clusterkit as ck
from clusterkit import kpis
from clusterkit.countries import Country, known_countries
from clusterkit.io import detect_layout, example_path, formats, open_source
from clusterkit.kpis import KPIValue
from clusterkit.kpis._definitions import CountKPIId, RatioKPIId


class TestKPIValueTypes:
    """`result["id"]` is typed by the KPI's kind: a count int, a ratio float or None."""

    def test_counts_are_int_and_ratios_float_or_none(self) -> None:
        """The type checker's type of each id is the value's runtime type."""
        result = ck.compute_kpis(ck.load_example(), by="generation")
        group = result.groups[0]
        for values in (result, group):
            assert_type(values["smes_involved"], int)
            assert_type(values["b2b_meetings_per_sme_involved"], float | None)
            assert isinstance(values["smes_involved"], int)
            assert isinstance(values["b2b_meetings_per_sme_involved"], float)
        for kpi_id in result.kpis:  # any str: the type of every value
            assert_type(result[kpi_id], KPIValue)
            assert_type(group[kpi_id], KPIValue)

    def test_the_tutorial_compares_and_divides_without_a_cast(self) -> None:
        """docs/tutorial.md's arithmetic on KPI values type-checks."""
        result = ck.compute_kpis(ck.load_example(), by="generation")
        assert result["smes_involved"] <= sum(g["smes_involved"] for g in result.groups)
        assert result["b2b_meetings"] / result["smes_involved"] > 0

    def test_the_typed_ids_are_the_catalogues(self) -> None:
        """A new count or ratio KPI must be added to the typed ids too."""
        kinds = {d.id: d.kind for d in kpis.definitions()}
        assert list(get_args(CountKPIId)) == [
            i for i, k in kinds.items() if k == "count"
        ]
        assert list(get_args(RatioKPIId)) == [
            i for i, k in kinds.items() if k == "ratio"
        ]


class TestValidateSources:
    """`validate` takes one source or a sequence of them, as the checkers see it."""

    def test_a_list_of_paths_or_of_strings(self) -> None:
        """A `list[Path]` or `list[str]` type-checks: each is a dataset of its own."""
        paths: list[Path] = [example_path(), example_path()]
        names: list[str] = [str(example_path())]
        assert ck.validate(paths).sources == (str(example_path()),) * 2
        assert ck.validate(names).sources == (str(example_path()),)

    def test_text_is_one_path(self) -> None:
        """A str is a sequence too, but one path, never a list of one-letter paths."""
        assert ck.validate(str(example_path())).sources == (str(example_path()),)

    def test_any_sequence_of_sources(self) -> None:
        """What the annotation accepts, the function reads: not only a list or tuple."""
        report = ck.validate(collections.deque([example_path()]))
        assert report.sources == (str(example_path()),)


def test_a_validation_errors_report_is_typed() -> None:
    """`DatasetValidationError.report` is a `Report` to the checker, not `Any`."""
    report = ck.validate(example_path(), fail_on="warning")
    with pytest.raises(ck.DatasetValidationError) as caught:
        report.raise_for_findings()
    assert_type(caught.value.report, ck.Report)
    assert caught.value.report is report


# Each operator, with what it gives for error ? "warning" and "warning" ? error.
COMPARISONS = [
    (operator.gt, True, False),
    (operator.ge, True, False),
    (operator.lt, False, True),
    (operator.le, False, True),
]


class TestSeverityAndText:
    """A severity compares with a severity's name by seriousness, not alphabetically."""

    @pytest.mark.parametrize(("compare", "after", "before"), COMPARISONS)
    def test_a_name_compares_by_rank_on_either_side(
        self, compare: Callable[[object, object], bool], after: bool, before: bool
    ) -> None:
        """ERROR is above "warning" ("error" < "warning" as text), from either side."""
        assert compare(ck.Severity.ERROR, "warning") is after
        assert compare("warning", ck.Severity.ERROR) is before
        assert compare(ck.Severity.WARNING, "warning") is compare(1, 1)

    @pytest.mark.parametrize("compare", [c for c, _, _ in COMPARISONS])
    def test_text_that_names_no_severity_is_refused(
        self, compare: Callable[[object, object], bool]
    ) -> None:
        """A misspelt name raises, saying which names there are, from either side."""
        expected = "a Severity compares with 'error', 'warning' or 'info', not 'Error'"
        with pytest.raises(ValueError, match=f"^{expected}$"):
            compare(ck.Severity.INFO, "Error")
        with pytest.raises(ValueError, match=f"^{expected}$"):
            compare("Error", ck.Severity.INFO)

    def test_filtering_findings_by_a_name_keeps_errors(self) -> None:
        """`severity >= "warning"` keeps errors and warnings, as it reads."""
        severities = list(ck.Severity)
        kept = [s for s in severities if s >= "warning"]
        assert kept == [ck.Severity.ERROR, ck.Severity.WARNING]


def test_the_known_countries_are_read_only() -> None:
    """The shared table refuses edits, so no caller breaks the process's lookups."""
    table = known_countries()
    assert_type(table, Mapping[str, Country])
    with pytest.raises(TypeError):
        del table["US"]  # type: ignore[attr-defined]
    with pytest.raises(TypeError):
        table["ZZ"] = table["US"]  # type: ignore[index]
    assert ck.normalise_country("United States").alpha2 == "US"
    assert known_countries() is table


class TestLayoutsReturned:
    """What writes or detects a layout returns a `Layout`, typed so."""

    def test_dump_dataset_returns_a_layout(self, tmp_path: Path) -> None:
        """`dump_dataset(...).value` type-checks (docs/reference/data-format.md)."""
        written = ck.dump_dataset(ck.load_example(), tmp_path / "data.json")
        assert_type(written, ck.Layout)
        assert written is ck.Layout.JSON
        assert written.value == "json"

    def test_detecting_or_opening_gives_a_layout(self) -> None:
        """`detect_layout` and `OpenSource.layout` give the member, not its name."""
        assert_type(detect_layout(example_path()), ck.Layout)
        with open_source(example_path()) as opened:
            assert_type(opened.layout, ck.Layout)
            assert opened.layout is ck.Layout.CSV

    def test_every_registered_format_is_a_layout(self) -> None:
        """A format module needs its `Layout` member, which those functions return."""
        assert [fmt.layout for fmt in formats().values()] == [
            ck.Layout(name) for name in formats()
        ]
