"""The writers write each value of a subclass's field as it reads back, or refuse it."""

from __future__ import annotations

import csv
import datetime as dt
import enum
import math
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from pydantic import BaseModel, Field

import clusterkit as ck
from clusterkit import reference
from clusterkit.countries import CountryCode

PARTNERSHIP = {"id": "P1", "acronym": "A", "name": "A", "generation": "escp-4i-1"}
# A destination of each file layout, by the layout's name.
TARGETS = {"csv": "d", "jsonl": "d.jsonl", "json": "d.json", "xlsx": "d.xlsx"}
FLAT = ("csv", "xlsx")


def dump(dataset: ck.Dataset, path: Path, layout: str, **options: Any) -> Path:
    """`dataset` written in `layout` under `path`; the destination."""
    if layout == "xlsx":
        pytest.importorskip("openpyxl")
    path.mkdir(parents=True, exist_ok=True)
    target = path / TARGETS[layout]
    ck.dump_dataset(dataset, target, layout=layout, **options)
    return target


def round_trip(record: ck.Partnership, path: Path, layout: str) -> Any:
    """The record written in `layout` and read back as its own model."""
    target = dump(ck.Dataset(partnerships=[record]), path, layout)
    models = {"partnerships": type(record)}
    return ck.load_dataset(target, models=models).partnerships[0]


def refusal(
    record: ck.Partnership | ck.ThirdCountryTarget, path: Path, layout: str
) -> str:
    """The message of the `DatasetError` that writing the record raises; no file left."""
    dataset = (
        ck.Dataset(partnerships=[record])
        if isinstance(record, ck.Partnership)
        else ck.Dataset(targets=[record])
    )
    with pytest.raises(ck.DatasetError) as caught:
        dump(dataset, path, layout)
    assert list(path.iterdir()) == []
    return str(caught.value)


class Levelled(ck.Partnership):
    """Fields whose defaults are not empty."""

    level: int | None = 5
    label: str | None = "x"
    steps: tuple[str, ...] = ("a",)


class Rated(ck.Partnership):
    """A field that may be None but has no default."""

    rating: int | None


@pytest.mark.parametrize("layout", list(TARGETS))
def test_an_empty_value_that_is_not_the_default_is_refused(
    tmp_path: Path, layout: str
) -> None:
    """None (and blank text) read back as not given, so as the default: refused."""
    message = refusal(Levelled(**PARTNERSHIP, level=None), tmp_path, layout)
    assert message == (
        "partnerships P1 level: None reads back as not given, so as the field's "
        "default 5 (nothing was written; give the field a default of None)"
    )
    message = refusal(Levelled(**PARTNERSHIP, label=""), tmp_path, layout)
    assert "label: '' reads back as not given, so as the field's default 'x'" in (
        message
    )
    message = refusal(Rated(**PARTNERSHIP, rating=None), tmp_path, layout)
    assert "rating: None reads back as not given, and the field has no default" in (
        message
    )
    assert round_trip(Levelled(**PARTNERSHIP), tmp_path / "again", layout) == (
        Levelled(**PARTNERSHIP)
    )


@pytest.mark.parametrize("layout", FLAT)
def test_an_empty_list_that_is_not_the_default_is_refused_in_a_cell(
    tmp_path: Path, layout: str
) -> None:
    """No items is an empty cell: it reads back as the default items."""
    message = refusal(Levelled(**PARTNERSHIP, steps=()), tmp_path, layout)
    assert "steps: () reads back as not given, so as the field's default ('a',)" in (
        message
    )


@pytest.mark.parametrize("layout", ["jsonl", "json"])
def test_no_items_is_written_in_json(tmp_path: Path, layout: str) -> None:
    """JSON writes an empty list, which reads back as one."""
    record = Levelled(**PARTNERSHIP, steps=())
    assert round_trip(record, tmp_path, layout) == record


class Tagged(ck.Partnership):
    """A list of free text, and a constrained number."""

    tags: tuple[str, ...] = ()
    rank: int = Field(default=1, ge=1)


@pytest.mark.parametrize("layout", FLAT)
@pytest.mark.parametrize(
    ("tags", "back"), [(("a;b", "c"), "('a', 'b', 'c')"), (("", "c"), "('c',)")]
)
def test_a_list_item_a_cell_would_split_or_drop_is_refused(
    tmp_path: Path, layout: str, tags: tuple[str, ...], back: str
) -> None:
    """A `;` in an item splits it, an empty item is dropped: refused, not changed."""
    message = refusal(Tagged(**PARTNERSHIP, tags=tags), tmp_path, layout)
    assert message == (
        f"partnerships P1 tags: its cell {';'.join(tags)!r} would read back as "
        f"{back}: a cell's items are separated by ';', and empty ones dropped "
        "(nothing was written; write the dataset as JSON Lines or JSON, which keep it)"
    )


@pytest.mark.parametrize("layout", ["jsonl", "json"])
def test_json_keeps_a_list_item_holding_a_separator(
    tmp_path: Path, layout: str
) -> None:
    """JSON has lists of its own: the items are kept as they are."""
    record = Tagged(**PARTNERSHIP, tags=("a;b", "", "c"))
    assert round_trip(record, tmp_path, layout) == record


class Number(enum.Enum):
    """An enumeration of numbers."""

    ONE = 1
    TWO = 2


class Inner(BaseModel):
    """A model as a field's type."""

    a: int


class Scalar(ck.Partnership):
    """Single values a cell's text does not give back."""

    number: Number | None = None
    either: int | str | None = None


class Structured(Scalar):
    """Besides them, models as fields, which no cell holds."""

    inner: Inner | None = None
    whole: Inner = Inner(a=0)


@pytest.mark.parametrize("layout", FLAT)
@pytest.mark.parametrize(
    ("value", "problem"),
    [
        ({"number": Number.TWO}, "number: its cell '2' would not read back: Input "),
        ({"either": 5}, "either: its cell '5' would read back as '5' (nothing"),
    ],
    ids=["enum-of-numbers", "union"],
)
def test_a_value_a_cell_does_not_read_back_is_refused(
    tmp_path: Path, layout: str, value: dict[str, Any], problem: str
) -> None:
    """A cell holds text: what does not read back from it is refused, by field."""
    message = refusal(Scalar(**PARTNERSHIP, **value), tmp_path, layout)
    assert message.startswith(f"partnerships P1 {problem}")
    assert message.endswith("write the dataset as JSON Lines or JSON, which keep it)")


@pytest.mark.parametrize("layout", FLAT)
def test_a_model_as_a_field_is_refused_whatever_its_value(
    tmp_path: Path, layout: str
) -> None:
    """Even at its default: the field's type is refused before any value is judged."""
    message = refusal(Structured(**PARTNERSHIP), tmp_path, layout)
    assert message.startswith(
        "partnerships: the field 'inner' of Structured holds a record"
    )


@pytest.mark.parametrize("layout", ["jsonl", "json"])
def test_json_keeps_structured_values(tmp_path: Path, layout: str) -> None:
    """JSON writes enumerations, models and unions as they read back."""
    record = Structured(
        **PARTNERSHIP, number=Number.TWO, inner={"a": 1}, whole={"a": 2}, either=5
    )
    assert round_trip(record, tmp_path, layout) == record


class Measured(ck.Partnership):
    """Floats, which may be infinite or NaN."""

    ratio: float | None = None
    ratios: tuple[float, ...] = ()
    by_key: dict[str, float] = Field(default_factory=dict)


@pytest.mark.parametrize("layout", ["jsonl", "json"])
@pytest.mark.parametrize(
    "value",
    [
        {"ratio": math.inf},
        {"ratios": (1.0, -math.inf)},
        {"by_key": {"k": math.nan}},
    ],
    ids=["float", "list", "mapping"],
)
def test_json_refuses_infinity_and_nan(
    tmp_path: Path, layout: str, value: dict[str, Any]
) -> None:
    """JSON has no number for them, and pydantic writes null: refused, not lost."""
    message = refusal(Measured(**PARTNERSHIP, **value), tmp_path, layout)
    assert "JSON has no number for infinity or NaN: " in message
    assert message.endswith(
        "(nothing was written; write the dataset as CSV or a workbook)"
    )


@pytest.mark.parametrize("layout", FLAT)
def test_a_cell_keeps_infinity_and_nan(tmp_path: Path, layout: str) -> None:
    """A cell writes them as text that reads back (NaN is equal to no value)."""
    record = Measured(**PARTNERSHIP, ratio=-math.inf, ratios=(math.inf, 1.5))
    assert round_trip(record, tmp_path, layout) == record
    back = round_trip(Measured(**PARTNERSHIP, ratio=math.nan), tmp_path / "nan", layout)
    assert back.ratio is not None
    assert math.isnan(back.ratio)


class Targeted(ck.ThirdCountryTarget):
    """A target with a field whose default is not empty."""

    note: str | None = "n"


def test_a_target_is_named_by_its_partnership_and_country(tmp_path: Path) -> None:
    """A target has no id: the message names it `partnership/country`."""
    target = Targeted(partnership="P1", country="US", note=None)
    assert refusal(target, tmp_path, "csv").startswith("targets P1/US note: None ")


class Sign(str, enum.Enum):
    """An enumeration whose value starts like a formula."""

    MINUS = "-x"


class Balanced(ck.Partnership):
    """Numbers that may be negative, a text and an enumeration."""

    balance: Decimal | None = None
    steps: tuple[int, ...] = ()
    label: str | None = None
    kind: Sign | None = None


def test_escaping_formulas_leaves_numbers_and_lists_of_numbers(tmp_path: Path) -> None:
    """`-1.5` and `-5;3` are numbers: never escaped, so they read back."""
    record = Balanced(
        **PARTNERSHIP, balance=Decimal("-1.5"), steps=(-5, 3), label="-t", kind="-x"
    )
    dataset = ck.Dataset(partnerships=[record])
    ck.dump_dataset(dataset, tmp_path, escape_formulas=True)
    with (tmp_path / "partnerships.csv").open(encoding="utf-8") as handle:
        (row,) = csv.DictReader(handle)
    assert [row[name] for name in ("balance", "steps", "label", "kind")] == [
        "-1.5",
        "-5;3",
        "'-t",
        "-x",
    ]
    models = {"partnerships": Balanced}
    assert ck.load_dataset(tmp_path, models=models, unescape_formulas=True) == dataset


def test_escaping_formulas_escapes_a_mapping_cell(tmp_path: Path) -> None:
    """A mapping whose first key starts a formula gets a `'`, and reads back."""
    generation = ck.Generation.model_validate(
        {
            **reference.generations()[0].model_dump(),
            "id": "gx",
            "strands": ["-k", "j"],
            "max_grant_eur": {"-k": 5, "j": 3},
        }
    )
    plain = reference.generations()[1]
    dataset = ck.Dataset(generations=[generation, plain])
    ck.dump_dataset(dataset, tmp_path, escape_formulas=True)
    with (tmp_path / "generations.csv").open(encoding="utf-8") as handle:
        rows = list(csv.DictReader(handle))
    assert (rows[0]["strands"], rows[0]["max_grant_eur"]) == ("'-k;j", "'-k=5;j=3")
    assert ck.load_dataset(tmp_path, unescape_formulas=True) == dataset


class Countries(ck.Partnership):
    """Countries, one and a list."""

    countries: tuple[CountryCode, ...] = ()
    home: CountryCode | None = None


@pytest.mark.parametrize("layout", list(TARGETS))
def test_a_list_of_countries_is_written_in_the_eu_form(
    tmp_path: Path, layout: str
) -> None:
    """`country_codes="eu"` writes EL and UK in a list too, and they read back."""
    record = Countries(**PARTNERSHIP, countries=("GR", "DE", "GB"), home="GR")
    other = Countries(**{**PARTNERSHIP, "id": "P2"}, countries=("GR",))
    dataset = ck.Dataset(partnerships=[record, other])
    target = dump(dataset, tmp_path, layout, country_codes="eu")
    assert ck.load_dataset(target, models={"partnerships": Countries}) == dataset
    if layout == "csv":
        text = (target / "partnerships.csv").read_text(encoding="utf-8")
        assert text.splitlines()[1].endswith(",EL;DE;UK,EL")


class Timed(ck.Partnership):
    """A date and time."""

    at: dt.datetime | None = None


@pytest.mark.parametrize(
    "at",
    [
        dt.datetime(2020, 1, 2, 3, 4, tzinfo=dt.timezone.utc),
        dt.datetime(2020, 1, 2, 3, 4, 5, 123456),  # noqa: DTZ001 - a naive one too
    ],
    ids=["time-zone", "microseconds"],
)
def test_a_workbook_writes_a_date_and_time_as_it_reads_back(
    tmp_path: Path, at: dt.datetime
) -> None:
    """As ISO text: a date cell holds no time zone, and Excel keeps milliseconds."""
    record = Timed(**PARTNERSHIP, at=at)
    assert round_trip(record, tmp_path, "xlsx") == record


def test_shared_records_are_not_judged(tmp_path: Path) -> None:
    """The example, and a subclass's records whose values read back, write as before."""
    example = ck.load_example()
    for layout in TARGETS:
        target = dump(example, tmp_path / layout, layout)
        assert ck.load_dataset(target) == example
    tagged = Tagged(**PARTNERSHIP, tags=("a", "b"), rank=2)
    assert round_trip(tagged, tmp_path / "tagged", "csv") == tagged


def test_a_stream_of_records_is_judged_as_it_is_written(tmp_path: Path) -> None:
    """A table's writer takes a stream without holding it, and refuses as it goes."""
    write_table = ck.io.format_named("jsonl").write_table
    assert write_table is not None
    good = Levelled(**PARTNERSHIP)
    path = tmp_path / "partnerships.jsonl"
    write_table(path, "partnerships", iter([good]), "iso")
    assert ck.load_dataset(
        tmp_path, models={"partnerships": Levelled}
    ).partnerships == (good,)
    bad = Levelled(**{**PARTNERSHIP, "id": "P2"}, level=None)
    with pytest.raises(ck.DatasetError, match=r"^partnerships P2 level: None reads"):
        write_table(path, "partnerships", iter([good, bad]), "iso")
