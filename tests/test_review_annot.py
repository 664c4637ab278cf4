"""Subclasses of the record models as users write them (docs/how-to/extend-the-model.md).

Their list and mapping fields, optional or not, their invariants, their aliases
and their frames, through every layout: what a review found.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import Annotated, Any, Optional

import pytest
from pydantic import AliasChoices, BaseModel, Field, ValidationError

import clusterkit as ck
from clusterkit import _annotations, _frames
from clusterkit.errors import DatasetError, DatasetReadError
from clusterkit.models import Amount, Invariant, StartDate, dict_fields, list_fields

PARTNERSHIP: dict[str, Any] = {
    "id": "P1",
    "acronym": "A",
    "name": "A",
    "generation": "escp-4i-1",
}
# Where each layout is written, and the layout.
TARGETS = [
    ("data", "csv"),
    ("data", "jsonl"),
    ("data.json", "json"),
    ("data.xlsx", "xlsx"),
    ("data.zip", None),
]
LAYOUTS = pytest.mark.parametrize(("target", "layout"), TARGETS)


def round_trip(
    record: ck.Partnership, folder: Path, target: str, layout: str | None
) -> ck.Partnership:
    """One partnership written in a layout and read back as its own model."""
    path = folder / target
    ck.dump_dataset(ck.Dataset(partnerships=[record]), path, layout=layout)
    model = type(record)
    (again,) = ck.load_dataset(path, models={"partnerships": model}).partnerships
    assert isinstance(again, model)
    return again


class Listed(ck.Partnership):
    """Every shape of list and mapping field that a flat cell holds."""

    optional_tuple: tuple[str, ...] | None = None
    a_list: list[str] = Field(default_factory=list)
    a_set: set[int] = Field(default_factory=set)
    optional_frozenset: frozenset[str] | None = None
    pair: tuple[str, int] | None = None
    constrained: Optional[Annotated[tuple[str, ...], Field(max_length=3)]] = None  # noqa: UP045 - the spelling users write too
    a_sequence: Sequence[str] = ()
    dates: list[dt.date] = Field(default_factory=list)
    counts: dict[str, int] = Field(default_factory=dict)
    optional_mapping: dict[str, int] | None = None


LISTED = Listed(
    **PARTNERSHIP,
    optional_tuple=("a", "b"),
    a_list=["x", "y"],
    a_set={1, 2},
    optional_frozenset=frozenset({"p", "q"}),
    pair=("s", 3),
    constrained=("u",),
    a_sequence=["k"],
    dates=[dt.date(2020, 1, 2)],
    counts={"x": 1},
    optional_mapping={"z": 2},
)


class TestListsAndMappings:
    """A list or mapping field of a subclass, optional or not, reads back from every layout."""

    def test_the_shapes_are_lists_and_mappings(self) -> None:
        """`list_fields` and `dict_fields` see through `Optional` and `Annotated`."""
        assert list_fields(Listed) - list_fields(ck.Partnership) == {
            "optional_tuple",
            "a_list",
            "a_set",
            "optional_frozenset",
            "pair",
            "constrained",
            "a_sequence",
            "dates",
        }
        assert dict_fields(Listed) == {"counts", "optional_mapping"}

    @LAYOUTS
    def test_round_trip(self, tmp_path: Path, target: str, layout: str | None) -> None:
        """Tuples, lists, sets, a fixed-length tuple and mappings come back equal."""
        assert round_trip(LISTED, tmp_path, target, layout) == LISTED

    @pytest.mark.parametrize(
        ("annotation", "value", "holds"),
        [
            (tuple[tuple[str, ...], ...], (("a",),), "a list of lists"),
            (dict[str, list[int]] | None, {"a": [1]}, "a mapping of lists"),
            (str | list[str] | None, "x", "either a single value or a list"),
            (ck.Generation | None, None, "a record"),
        ],
    )
    @pytest.mark.parametrize(
        ("target", "layout"), [("data", "csv"), ("d.xlsx", "xlsx")]
    )
    def test_what_a_cell_cannot_hold_is_refused(
        self,
        tmp_path: Path,
        annotation: Any,
        value: Any,
        holds: str,
        target: str,
        layout: str,
    ) -> None:
        """A nested value is refused by the flat layouts, naming the field; JSON keeps it."""
        nested = type(
            "Nested",
            (ck.Partnership,),
            {"__annotations__": {"nested": annotation}, "nested": None},
        )
        record = nested(**PARTNERSHIP, nested=value)
        with pytest.raises(DatasetError) as caught:
            round_trip(record, tmp_path, target, layout)
        message = str(caught.value)
        assert message.startswith(
            f"partnerships: the field 'nested' of Nested holds {holds}"
        )
        assert "write the dataset as JSON Lines or JSON" in message
        assert not (tmp_path / target).exists()
        assert round_trip(record, tmp_path, "data.json", "json") == record

    def test_single_values_are_flat(self) -> None:
        """A union of single values, or anything, fits a cell."""
        assert _annotations.flat_problem(int | str | None) is None
        assert _annotations.flat_problem(Any) is None
        assert _annotations.flat_problem(tuple[Any, ...]) is None
        assert _annotations.container(str) is None
        assert _annotations.container(Annotated[int, Field(ge=0)]) is None


class TestInvariants:
    """`Record.invariants` of a subclass are checked, as `Cluster`'s are."""

    class Quota(ck.Partnership):
        """A partnership with a quota of SMEs, at most the SMEs it reached."""

        quota: int | None = None
        invariants = (
            Invariant(
                ("quota", "smes_reached"),
                "quota",
                lambda quota, reached: (
                    "quota exceeds smes_reached"
                    if quota and reached and quota > reached
                    else None
                ),
            ),
        )

    def test_the_model_refuses_a_record_that_breaks_one(self) -> None:
        """An `invariant` error whose context names the blamed field."""
        with pytest.raises(ValidationError) as caught:
            self.Quota(**PARTNERSHIP, quota=9, smes_reached=3)
        (error,) = caught.value.errors()
        assert error["type"] == "invariant"
        assert error["ctx"] == {"field": "quota"}
        assert self.Quota(**PARTNERSHIP, quota=2, smes_reached=3).quota == 2

    def test_a_subclass_keeps_the_invariants_of_its_model(self) -> None:
        """A subclass of `Cluster` that declares its own still checks `Cluster`'s."""

        class Capped(ck.Cluster):
            cap: int | None = None
            invariants = (
                Invariant(
                    ("cap",), "cap", lambda cap: "too big" if cap and cap > 3 else None
                ),
            )

        assert Capped.invariants[0] is ck.Cluster.invariants[0]
        cluster = {"id": "C", "name": "N", "country": "DE"}
        for values in ({"cap": 5}, {"members_total": 1, "sme_members": 3}):
            with pytest.raises(ValidationError, match="invariant"):
                Capped(**cluster, **values)

    def test_a_model_without_invariants_has_no_validator(self) -> None:
        """Only a model that declares invariants pays for checking them."""
        assert not ck.Partnership.__pydantic_decorators__.model_validators
        assert (
            "_check_invariants" in self.Quota.__pydantic_decorators__.model_validators
        )

    @pytest.mark.parametrize(("target", "layout"), TARGETS)
    def test_reading_reports_it_at_the_blamed_field(
        self, tmp_path: Path, target: str, layout: str | None
    ) -> None:
        """Strictly a located `DatasetReadError`; leniently a `CK-TYPE-001` finding."""
        plain = ck.Partnership(**PARTNERSHIP, smes_reached=3)
        # Written as a record of a model without the invariant, as a file may have it.
        loose = type(
            "Loose",
            (ck.Partnership,),
            {"__annotations__": {"quota": int | None}, "quota": None},
        )
        path = tmp_path / target
        ck.dump_dataset(
            ck.Dataset(partnerships=[loose(**plain.model_dump(), quota=9)]),
            path,
            layout=layout,
        )
        models = {"partnerships": self.Quota}
        with pytest.raises(DatasetReadError) as caught:
            ck.load_dataset(path, models=models)
        assert caught.value.location is not None
        assert caught.value.location.field == "quota"
        assert "quota: quota exceeds smes_reached" in str(caught.value)
        dataset, report = ck.load_dataset(path, models=models, errors="report")
        assert dataset.partnerships == ()
        (finding,) = report.findings
        assert (finding.rule, finding.location.field) == ("CK-TYPE-001", "quota")
        assert finding.message == "quota exceeds smes_reached"


class Aliased(ck.Partnership):
    """A field named by an alias: `class` is a Python keyword."""

    class_: str | None = Field(default=None, alias="class")
    class_tags: tuple[str, ...] = Field(default=(), alias="class-tags")
    sites: dict[str, int] | None = Field(default=None, alias="site-counts")


class TestAliases:
    """A field with an alias is read and written by its alias, in every layout."""

    @LAYOUTS
    def test_round_trip(self, tmp_path: Path, target: str, layout: str | None) -> None:
        """The column (the key) is the alias, which the model reads."""
        record = Aliased(
            **PARTNERSHIP,
            **{"class": "x", "class-tags": ("a", "b"), "site-counts": {"k": 1}},
        )
        assert round_trip(record, tmp_path, target, layout) == record
        if layout == "csv":
            header = (
                (tmp_path / target / "partnerships.csv").read_text().splitlines()[0]
            )
            assert header.endswith(",class,class-tags,site-counts")

    def test_a_required_aliased_column_is_required(self, tmp_path: Path) -> None:
        """A file without the column of a required aliased field is refused by its alias."""

        class Required(ck.Partnership):
            kind_: str = Field(alias="kind")

        ck.dump_dataset(
            ck.Dataset(partnerships=[ck.Partnership(**PARTNERSHIP)]), tmp_path
        )
        with pytest.raises(DatasetReadError, match="required column 'kind'"):
            ck.load_dataset(tmp_path, models={"partnerships": Required})

    @pytest.mark.parametrize(
        "field",
        [
            Field(default=None, validation_alias="read"),
            Field(default=None, serialization_alias="written"),
            Field(default=None, validation_alias=AliasChoices("a", "b")),
        ],
    )
    def test_two_names_are_refused(self, tmp_path: Path, field: Any) -> None:
        """A field read by one name and written by another cannot round-trip: refused."""
        model = type(
            "TwoNames",
            (ck.Partnership,),
            {"__annotations__": {"label": str | None}, "label": field},
        )
        with pytest.raises(
            TypeError, match=r"the field 'label' of TwoNames is read and written"
        ):
            ck.load_dataset(tmp_path, models={"partnerships": model})


class Budgeted(ck.Partnership):
    """Fields of every kind a frame holds, and some it holds as text."""

    budget_line: str | None = None
    tags: tuple[str, ...] | None = None
    numbers: list[int] = Field(default_factory=list)
    anything: list = Field(default_factory=list)  # type: ignore[type-arg] # a bare list, as users may write: its items come back as text
    counts: dict[str, int] = Field(default_factory=dict)
    amounts: dict[str, Amount] | None = None
    began: StartDate | None = None
    when: dt.datetime | None = None
    ratio: float | None = None
    class_: str | None = Field(default=None, alias="class")


class TestFrames:
    """`Dataset.to_frames` has a column per field of the records' own types."""

    @pytest.mark.parametrize("backend", _frames.BACKENDS)
    def test_round_trip(self, backend: _frames.Backend) -> None:
        """Every field a subclass adds is a column; a plain record has null there."""
        extended = Budgeted(
            **PARTNERSHIP,
            budget_line="B-7",
            tags=("a", "b"),
            numbers=[1, 2],
            anything=[3],
            counts={"x": 1},
            amounts={"s": Decimal("1.5")},
            began="2017-03",
            when=dt.datetime(2020, 1, 1, 10, 30),  # noqa: DTZ001 - a naive time, as given
            ratio=0.5,
            **{"class": "k"},
        )
        plain = ck.Partnership(**{**PARTNERSHIP, "id": "P2"})
        dataset = ck.Dataset(partnerships=[extended, plain])
        frames = dataset.to_frames(backend)
        names = _frames.column_names(frames["partnerships"])
        added = names[names.index("sources") + 1 :]
        assert added == [
            "budget_line",
            "tags",
            "numbers",
            "anything",
            "counts",
            "amounts",
            "began",
            "began_precision",
            "when",
            "ratio",
            "class",
        ]
        models = {"partnerships": Budgeted}
        again = ck.load_dataset(frames, models=models)
        # A bare list says nothing of its items: they are written, and read, as text.
        assert again.partnerships[0] == extended.model_copy(update={"anything": ["3"]})
        assert again.partnerships[1] == Budgeted(**plain.model_dump())
        _, report = ck.load_dataset(frames, models=models, errors="report")
        assert report.findings == ()

    def test_a_table_of_one_model_is_unchanged(self) -> None:
        """A table of the shared model has its columns, and no more."""
        frames = ck.load_example().to_frames("pandas")
        assert list(frames["partnerships"].columns)[-1] == "sources"


def test_models_are_pydantic_models() -> None:
    """The helpers take any pydantic model, as the stability page promises."""

    class Plain(BaseModel):
        items: tuple[int, ...] | None = None

    assert list_fields(Plain) == {"items"}
