"""Subclasses of the record models: what the review of today's merge found."""

from __future__ import annotations

import csv
import datetime as dt
import re
from pathlib import Path
from typing import Annotated, Any

import pytest
from pydantic import Field

import clusterkit as ck
from clusterkit import _frames
from clusterkit.models import Invariant

PARTNERSHIP = {"id": "P1", "acronym": "A", "name": "A", "generation": "escp-4i-1"}


class Shaped(ck.Partnership):
    """Texts in every shape a subclass may give them, and one by an alias."""

    klass: str | None = Field(default=None, alias="class")
    tags: list[str] | None = None
    tup: tuple[str, ...] = ()
    fs: frozenset[str] | None = None
    bag: set[str] | None = None
    counts: frozenset[int] | None = None


def test_escaping_formulas_escapes_every_shape_of_text_and_an_alias(
    tmp_path: Path,
) -> None:
    """A list, a tuple, a set and an aliased text get a `'`, and read back."""
    record = Shaped(
        **PARTNERSHIP,
        **{"class": "=1+1"},
        tags=["=2+2", "b"],
        tup=("=3+3",),
        fs=frozenset({"=4+4", "-5", "c"}),
        bag={"@6"},
        counts=frozenset({-7}),
    )
    dataset = ck.Dataset(partnerships=[record])
    ck.dump_dataset(dataset, tmp_path, escape_formulas=True)
    with (tmp_path / "partnerships.csv").open(encoding="utf-8") as handle:
        (row,) = csv.DictReader(handle)
    assert [row[name] for name in ("class", "tags", "tup", "bag", "counts")] == [
        "'=1+1",
        "'=2+2;b",
        "'=3+3",
        "'@6",
        "-7",
    ]
    assert sorted(row["fs"].split(";")) == ["'-5", "'=4+4", "c"]
    models = {"partnerships": Shaped}
    again = ck.load_dataset(tmp_path, models=models, unescape_formulas=True)
    assert again == dataset
    (partnership,) = again.partnerships
    assert isinstance(partnership, Shaped)
    assert type(partnership.tags) is list


class Counted(ck.Partnership):
    """An aliased number and date."""

    quota: int | None = Field(default=None, alias="quota_max")
    due: dt.date | None = Field(default=None, alias="due_on")


def test_an_aliased_number_is_a_number_cell_in_a_workbook(tmp_path: Path) -> None:
    """A workbook cell of an aliased number or date holds it, not its text."""
    openpyxl = pytest.importorskip("openpyxl")
    record = Counted(**PARTNERSHIP, quota_max=12, due_on=dt.date(2020, 5, 1))
    ck.dump_dataset(ck.Dataset(partnerships=[record]), tmp_path / "d.xlsx")
    sheet = openpyxl.load_workbook(tmp_path / "d.xlsx")["partnerships"]
    header = [cell.value for cell in sheet[1]]
    assert sheet.cell(2, header.index("quota_max") + 1).value == 12
    assert sheet.cell(2, header.index("due_on") + 1).is_date
    models = {"partnerships": Counted}
    assert ck.load_dataset(tmp_path / "d.xlsx", models=models).partnerships == (record,)


class Aliased(ck.Partnership):
    """Fields read by an alias, given by `Field` and by `Annotated`."""

    klass: str | None = Field(default=None, alias="class")
    codes: Annotated[list[str], Field(alias="code_list")] = Field(default=[])


def test_a_lenient_load_of_a_dataset_keeps_the_aliased_fields_of_a_subclass() -> None:
    """`errors="report"` reads a `Dataset`'s aliased fields as the strict load does."""
    record = Aliased(**PARTNERSHIP, **{"class": "A", "code_list": ["c1"]})
    dataset = ck.Dataset(partnerships=[record])
    loaded = ck.load_dataset(dataset, errors="report")
    assert loaded.dataset == ck.load_dataset(dataset) == dataset
    assert loaded.report.findings == ()


class Texted(ck.Cluster):
    """A field of text, and items of text."""

    extra: str | None = None
    items: list[str] = Field(default=[])


class Counting(ck.Cluster):
    """The same field, a number."""

    extra: int = 0


class Numbered(ck.Cluster):
    """Items of numbers."""

    items: list[int] = Field(default=[])


class Renamed(ck.Cluster):
    """The field `extra` by another name."""

    extra: str | None = Field(default=None, alias="more")


class Taking(ck.Cluster):
    """Another field by the name `extra`."""

    other: str | None = Field(default=None, alias="extra")


CLUSTER: dict[str, Any] = {"id": "C1", "name": "x", "country": "DE"}
OTHER_CLUSTER: dict[str, Any] = {"id": "C2", "name": "y", "country": "FR"}


@pytest.mark.parametrize("backend", _frames.BACKENDS)
@pytest.mark.parametrize(
    ("other", "message"),
    [
        (
            Counting(**OTHER_CLUSTER, extra=5),
            (
                "clusters: the field 'extra' is str | None in Texted and int in "
                "Counting; a column has one type"
            ),
        ),
        (
            Renamed(**OTHER_CLUSTER, more="b"),
            (
                "clusters: the field 'extra' is read as 'extra' by Texted and as "
                "'more' by Renamed; a column has one name"
            ),
        ),
        (
            Taking(**OTHER_CLUSTER, extra="b"),
            (
                "clusters: the column 'extra' is the field 'extra' of Texted and "
                "the field 'other' of Taking; a column holds one field"
            ),
        ),
    ],
)
def test_frames_refuse_a_field_two_record_types_make_different_columns(
    backend: str, other: ck.Cluster, message: str
) -> None:
    """A column of one field by one name and one type, or a `DatasetError`."""
    pytest.importorskip({"arrow": "pyarrow"}.get(backend, backend))
    dataset = ck.Dataset(clusters=[Texted(**CLUSTER, extra="a"), other])
    with pytest.raises(ck.DatasetError, match="^" + re.escape(message)):
        dataset.to_frames(backend)  # type: ignore[arg-type]


@pytest.mark.parametrize("backend", _frames.BACKENDS)
def test_frames_of_items_of_text_and_of_numbers_are_text(backend: str) -> None:
    """A list of text beside a list of numbers is a column of text lists."""
    pytest.importorskip({"arrow": "pyarrow"}.get(backend, backend))
    dataset = ck.Dataset(
        clusters=[Texted(**CLUSTER, items=["a"]), Numbered(**OTHER_CLUSTER, items=[5])]
    )
    frame = dataset.to_frames(backend)["clusters"]  # type: ignore[arg-type]
    column = frame.column("items").to_pylist() if backend == "arrow" else frame["items"]
    assert [list(items) for items in column] == [["a"], ["5"]]


class ListedSectors(ck.Partnership):
    """A shared list field declared again as a `list` with items by default."""

    sectors: list[str] = Field(default=["x"])  # type: ignore[assignment]


class SetSectors(ck.Partnership):
    """A shared list field declared again as a `set` with items by default."""

    sectors: set[str] = Field(default={"x"})  # type: ignore[assignment]


@pytest.mark.parametrize(
    "record",
    [
        ListedSectors(**PARTNERSHIP, sectors=[]),
        SetSectors(**PARTNERSHIP, sectors=set()),
    ],
)
def test_write_sql_refuses_an_empty_list_or_set_that_reads_back_as_the_default(
    tmp_path: Path, record: ck.Partnership
) -> None:
    """No items in a `list` or `set` is stored as none, read as the default items."""
    pytest.importorskip("sqlalchemy")
    from clusterkit.sql import write_sql  # noqa: PLC0415 - the extra is optional

    url = f"sqlite:///{tmp_path / 'd.db'}"
    with pytest.raises(
        ck.DatasetError, match=r"partnerships P1 sectors: (\[\]|set\(\))$"
    ):
        write_sql(ck.Dataset(partnerships=[record]), url)


def _within_reached(quota: int | None, reached: int | None) -> str | None:
    if quota is not None and reached is not None and quota > reached:
        return f"quota ({quota}) exceeds smes_reached ({reached})"
    return None


class QuotaByAlias(ck.Partnership):
    """A quota read from the column `quota_max`, at most the SMEs reached."""

    quota: int | None = Field(default=None, alias="quota_max")
    invariants = (Invariant(("quota", "smes_reached"), "quota", _within_reached),)


def test_an_invariant_blaming_an_aliased_field_points_at_its_column(
    tmp_path: Path,
) -> None:
    """The strict and the lenient load locate the invariant at the `quota_max` cell."""
    record = QuotaByAlias(**PARTNERSHIP, smes_reached=3, quota_max=1)
    ck.dump_dataset(ck.Dataset(partnerships=[record]), tmp_path)
    path = tmp_path / "partnerships.csv"
    header, row = path.read_text(encoding="utf-8").splitlines()
    path.write_text(f"{header}\n{row[:-1]}9\n", encoding="utf-8")
    column = header.split(",").index("quota_max") + 1
    where = f"{path}:2:{column} (quota_max)"
    models = {"partnerships": QuotaByAlias}
    with pytest.raises(ck.DatasetReadError, match="^" + re.escape(where + ":")):
        ck.load_dataset(tmp_path, models=models)
    loaded = ck.load_dataset(tmp_path, models=models, errors="report")
    (finding,) = loaded.report.findings
    assert (finding.rule, str(finding.location)) == ("CK-TYPE-001", where)


class Capital(ck.Partnership):
    """A field named with a capital letter."""

    Budget: str | None = None


class CapitalAlias(ck.Partnership):
    """An alias with capital letters."""

    quota: int | None = Field(default=None, alias="Quota_Max")


@pytest.mark.parametrize(
    ("model", "column"), [(Capital, "Budget"), (CapitalAlias, "Quota_Max")]
)
def test_models_refuse_a_column_name_that_is_not_in_lower_case(
    tmp_path: Path, model: type[ck.Partnership], column: str
) -> None:
    """A header cell is read in lower case, so such a column would not read back."""
    ck.dump_dataset(ck.Dataset(), tmp_path)
    message = (
        f"models['partnerships']: the column '{column}' of {model.__name__} is "
        "not in lower case"
    )
    with pytest.raises(TypeError, match="^" + re.escape(message)):
        ck.load_dataset(tmp_path, models={"partnerships": model})
    with pytest.raises(TypeError, match="^" + re.escape(message)):
        next(iter(ck.iter_records(tmp_path, model)))
