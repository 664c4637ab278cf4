"""Edges of the KPIs and `clusterkit kpis` that a review found: each test failed before."""

from __future__ import annotations

import csv
import datetime as dt
import io
import json
from pathlib import Path
from typing import Any

import pytest

import clusterkit as ck
from clusterkit.cli import main
from clusterkit.kpis import reconcile
from clusterkit.render import number_text

AS_OF = dt.date(2026, 1, 1)


def example() -> ck.Dataset:
    return ck.load_example()


@pytest.mark.parametrize(
    ("given", "code"),
    [
        ("Hong Kong, China", "HK"),
        ("Korea, Republic of", "KR"),
        ("Taiwan, Province of China", "TW"),
        (["Moldova, Republic of"], "MD"),
    ],
)
def test_a_country_name_with_a_comma_is_one_country(
    given: str | list[str], code: str
) -> None:
    """It was split: "Hong Kong, China" counted China too, "Korea, Republic of" was refused."""
    result = ck.compute_kpis(example(), target_country=given, as_of=AS_OF)
    assert result.scope.target_country == (code,)


def test_countries_separated_by_commas_are_still_several() -> None:
    result = ck.compute_kpis(example(), target_country="US, JP,CN", as_of=AS_OF)
    assert result.scope.target_country == ("US", "JP", "CN")


def test_an_ecosystem_listed_twice_is_one_group() -> None:
    """The partnership was counted twice in its group, with its activities."""
    dataset = example()
    first = dataset.partnerships[0]
    twice = first.model_copy(update={"ecosystems": ("digital", "digital")})
    once = first.model_copy(update={"ecosystems": ("digital",)})

    def digital(partnership: ck.Partnership) -> dict[str, object]:
        changed = dataset.model_copy(
            update={"partnerships": (partnership, *dataset.partnerships[1:])}
        )
        result = ck.compute_kpis(changed, by="ecosystem", validate=False, as_of=AS_OF)
        (group,) = [g for g in result.groups if g.key["ecosystem"] == "digital"]
        return dict(group.kpis)

    assert digital(twice) == digital(once)
    assert digital(once)["partnerships"] == 1


@pytest.mark.parametrize("text", ["-inf", "-nan", "-Infinity", "-1_0", "+inf"])
def test_text_that_float_reads_is_escaped_as_text(tmp_path: Path, text: str) -> None:
    """`-inf` as a partnership id was left as it is, a formula to a spreadsheet."""
    dataset = example()
    first = dataset.partnerships[0]
    renamed = dataset.model_copy(
        update={
            "partnerships": (
                first.model_copy(update={"id": text}),
                *dataset.partnerships[1:],
            ),
            "activities": tuple(
                a.model_copy(update={"partnership": text})
                if a.partnership == first.id
                else a
                for a in dataset.activities
            ),
            "targets": tuple(
                t.model_copy(update={"partnership": text})
                if t.partnership == first.id
                else t
                for t in dataset.targets
            ),
        }
    )
    folder = tmp_path / "data"
    ck.dump_dataset(renamed, folder)
    output = tmp_path / "kpis.csv"
    code = main(
        [
            "kpis", str(folder), "--by", "partnership", "--format", "csv",
            "--csv-escape-formulas", "--no-validate", "--output", str(output),
        ]
    )  # fmt: skip
    assert code in {0, 1}
    rows = list(csv.reader(io.StringIO(output.read_text(encoding="utf-8"))))
    cells = [cell for row in rows for cell in row]
    assert f"'{text}" in cells
    assert text not in cells
    # Numbers stay numbers.
    assert any(cell.isdigit() for cell in cells)


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (0.0, "0.00"),
        (9.998e-05, "0.0001"),
        (0.004, "0.004"),
        (0.5, "0.50"),
        (1234.5, "1,234.50"),
        (None, "undefined"),
    ],
)
def test_a_ratio_that_is_not_zero_never_shows_as_zero(
    value: float | None, shown: str
) -> None:
    assert number_text(value) == shown


def test_activity_figures_of_data_without_activities_are_not_measured() -> None:
    """The register has no activities: its 0 meetings 'disagreed' with 3,010."""
    result = ck.compute_kpis(
        ck.reference.programme(), generation="escp-4i-1", validate=False, as_of=AS_OF
    )
    reconciled = reconcile(result)
    verdicts = {figure.kpi: figure.verdict for figure in reconciled.figures}
    assert verdicts["b2b_meetings"] == "no activities"
    assert verdicts["smes_involved"] == "no activities"
    assert verdicts["partnerships_co_funded"] == "no"  # counted from partnerships
    assert not reconciled.consistent
    assert "no activities" in reconciled.to_table()
    assert {f["kpi"]: f["measured"] for f in reconciled.to_dict()["figures"]}[
        "mous_signed"
    ] is False


def test_activity_figures_of_data_with_activities_are_measured() -> None:
    result = ck.compute_kpis(example(), generation="escp-4i-1", as_of=AS_OF)
    reconciled = reconcile(result)
    assert all(figure.measured for figure in reconciled.figures)
    assert {f.verdict for f in reconciled.figures} <= {"yes", "no"}


def test_smes_reached_that_no_partnership_gives_is_not_measured() -> None:
    """The register gives no smes_reached: its 0 'disagreed' with more than 12,000."""
    result = ck.compute_kpis(
        ck.reference.programme(), generation="escp-4i-1", validate=False, as_of=AS_OF
    )
    assert (result["smes_reached"], result.smes_reached_given) == (0, 0)
    reconciled = reconcile(result)
    figure = {figure.kpi: figure for figure in reconciled.figures}["smes_reached"]
    assert (figure.measured, figure.verdict) == (False, "not given")
    assert figure.computed == 0  # the value stays what the definition gives
    assert "not given" in reconciled.to_table()
    figures = {f["kpi"]: f for f in reconciled.to_dict()["figures"]}
    assert figures["smes_reached"]["verdict"] == "not given"
    assert figures["b2b_meetings"]["verdict"] == "no activities"
    assert not reconciled.consistent  # what cannot be measured does not agree
    note = (
        f"None of the {result['partnerships']} partnerships in scope give "
        "smes_reached: SMEs reached is 0 for want of figures, not a count"
    )
    activities = (
        "The data holds no activity record: the KPIs counted from activities "
        "are 0 for want of records, not counts"
    )
    assert result.notes == (note, activities)
    assert result.to_dict()["smes_reached_given"] == 0
    assert note in result.to_table()
    assert note in result._repr_html_()
    assert note.replace("_", "\\_") in result.to_markdown()


def with_reach(dataset: ck.Dataset, given: set[str]) -> ck.Dataset:
    """The dataset with `smes_reached` 10 on the partnerships `given`, none on the others."""
    return dataset.model_copy(
        update={
            "partnerships": tuple(
                p.model_copy(update={"smes_reached": 10 if p.id in given else None})
                for p in dataset.partnerships
            )
        }
    )


def test_smes_reached_that_some_partnerships_give_is_noted() -> None:
    dataset = example()
    first = dataset.partnerships[0].id
    result = ck.compute_kpis(with_reach(dataset, {first}), as_of=AS_OF)
    others = len(dataset.partnerships) - 1
    assert (result["smes_reached"], result.smes_reached_given) == (10, 1)
    note = (
        f"SMEs reached sums the 1 of {len(dataset.partnerships)} partnerships in "
        f"scope that give smes_reached; the other {others} count as 0"
    )
    assert result.notes == (note,)
    # Given by one partnership in scope, the figure is measured, and it disagrees.
    gen = dataset.partnership(first).generation
    reconciled = reconcile(
        ck.compute_kpis(with_reach(dataset, {first}), generation=gen)
    )
    figure = {figure.kpi: figure for figure in reconciled.figures}["smes_reached"]
    assert (figure.measured, figure.verdict) == (True, "no")


def test_smes_reached_that_every_partnership_gives_needs_no_note(
    tmp_path: Path,
) -> None:
    dataset = with_reach(example(), {p.id for p in example().partnerships})
    result = ck.compute_kpis(dataset, as_of=AS_OF)
    assert result.smes_reached_given == len(dataset.partnerships)
    assert result.notes == ()
    # Read from files, in one process or shared among workers: the same count.
    ck.dump_dataset(dataset, tmp_path / "data")
    assert ck.compute_kpis(tmp_path / "data", as_of=AS_OF) == result
    assert ck.compute_kpis(with_reach(dataset, set()), as_of=AS_OF).notes != ()


def renamed(dataset: ck.Dataset, new: str) -> ck.Dataset:
    """The dataset with its first partnership's id changed to `new`."""
    first = dataset.partnerships[0]

    def moved(record: Any) -> Any:
        if record.partnership == first.id:
            return record.model_copy(update={"partnership": new})
        return record

    return dataset.model_copy(
        update={
            "partnerships": (
                first.model_copy(update={"id": new}),
                *dataset.partnerships[1:],
            ),
            "activities": tuple(map(moved, dataset.activities)),
            "targets": tuple(map(moved, dataset.targets)),
        }
    )


@pytest.mark.parametrize(
    "given",
    ["P1,EU", ["P1,EU"], "P1,EU,P02", ["P1,EU", "P02"], " P1,EU , P02"],
)
def test_a_partnership_id_with_a_comma_is_a_filter(given: str | list[str]) -> None:
    """It was split at its comma: "'P1' is not in the data"."""
    dataset = renamed(example(), "P1,EU")
    result = ck.compute_kpis(dataset, partnership=given, validate=False, as_of=AS_OF)
    assert result.scope.partnership is not None
    assert result.scope.partnership[0] == "P1,EU"
    assert result["partnerships"] == len(result.scope.partnership)


def test_ids_separated_by_commas_are_still_several() -> None:
    result = ck.compute_kpis(example(), partnership="P01, P02", as_of=AS_OF)
    assert result.scope.partnership == ("P01", "P02")
    empty_parts = ck.compute_kpis(example(), partnership="P01,, P02,", as_of=AS_OF)
    assert empty_parts.scope.partnership == ("P01", "P02")
    with pytest.raises(ValueError, match="partnership 'P1' is not in the data"):
        ck.compute_kpis(renamed(example(), "P1,EU"), partnership="P1", as_of=AS_OF)


def test_the_command_line_takes_an_id_with_a_comma(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    ck.dump_dataset(renamed(example(), "P1,EU"), folder)
    output = tmp_path / "kpis.json"
    code = main(
        [
            "kpis", str(folder), "--partnership", "P1,EU", "--format", "json",
            "--no-validate", "--output", str(output), "--as-of", "2026-01-01",
        ]
    )  # fmt: skip
    assert code == 0
    printed = json.loads(output.read_text(encoding="utf-8"))
    assert printed["scope"]["partnership"] == ["P1,EU"]
    assert printed["kpis"]["partnerships"] == 1


def test_a_filter_given_as_an_iterator_is_read_once() -> None:
    ids = iter(["P01", "P02"])
    result = ck.compute_kpis(example(), partnership=ids, as_of=AS_OF)
    assert result.scope.partnership == ("P01", "P02")
    assert result["partnerships"] == 2
