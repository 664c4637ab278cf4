"""Private: whether a value reads back as it was written, for the writers.

A writer writes each value so that reading the file gives it back, or refuses
the dataset before writing anything (`refuse_unfaithful`), naming the table,
the record and the field. The shared models' own fields are built to be
written faithfully (an id or a list item holds no `;`, a text is never blank, a
field that may be empty defaults to empty), so only the fields a subclass adds
or declares again are judged: a table of the shared models costs one look.
"""

from __future__ import annotations

import functools
import math
from collections.abc import Iterable, Iterator, Sequence
from typing import Annotated, Any, Literal, TypeVar, cast

import attrs
from pydantic import ConfigDict, PydanticUserError, TypeAdapter, ValidationError
from pydantic.fields import FieldInfo

from clusterkit.errors import DatasetError
from clusterkit.io._rows import (
    cell_to_input,
    field_columns,
    fields_of_its_own,
    flat_cell,
    is_flat_field,
    not_given,
    table_of_model,
)
from clusterkit.models import Record

__all__ = ["Kind", "judged", "record_label", "refuse_unfaithful"]

R = TypeVar("R", bound=Record)

Kind = Literal["flat", "json"]
"""How a layout writes a value: as the text of a cell (CSV, a workbook) or as JSON."""

# The settings of a model that change how a value of a field is read.
_VALUE_SETTINGS = (
    "str_strip_whitespace",
    "str_to_lower",
    "str_to_upper",
    "coerce_numbers_to_str",
    "use_enum_values",
    "arbitrary_types_allowed",
    "strict",
)

_JSON_FIX = "write the dataset as JSON Lines or JSON, which keep it"


def record_label(record: Record) -> str:
    """A record as messages name it: its id, or a target's `partnership/country`."""
    found = getattr(record, "id", None)
    if isinstance(found, str):
        return found
    return f"{getattr(record, 'partnership', '')}/{getattr(record, 'country', '')}"


def refuse_unfaithful(table: str, records: Sequence[Record], kind: Kind) -> None:
    """Refuse a value of a table's records that would not read back as it is.

    Raises:
        DatasetError: Naming the first such value by table, record and field,
            and what to do.
    """
    # Judged per kind of record (found at C speed): plain records have no step.
    judged = {model: _judged_fields(model) for model in set(map(type, records))}
    if not any(judged.values()):
        return
    for record in records:
        _refuse_record(table, record, judged[type(record)], kind)


def judged(table: str, records: Iterable[R], kind: Kind) -> Iterable[R]:
    """The records, refused as `refuse_unfaithful` does, streamed if they are.

    A sequence is judged at once; other records one by one as they are taken,
    so that a stream of them is never held.

    Raises:
        DatasetError: As `refuse_unfaithful`, when the records are taken.
    """
    if isinstance(records, Sequence):
        refuse_unfaithful(table, records, kind)
        return records
    return _judged_one_by_one(table, records, kind)


def _judged_one_by_one(table: str, records: Iterable[R], kind: Kind) -> Iterator[R]:
    for record in records:
        _refuse_record(table, record, _judged_fields(type(record)), kind)
        yield record


def _refuse_record(
    table: str, record: Record, fields: tuple[_Field, ...], kind: Kind
) -> None:
    for field in fields:
        problem = field.problem(getattr(record, field.name), kind)
        if problem is not None:
            msg = (
                f"{table} {record_label(record)} {field.name}: {problem[0]} "
                f"(nothing was written; {problem[1]})"
            )
            raise DatasetError(msg)


@attrs.frozen
class _Field:
    """A field of a subclass, with what reading its value back takes."""

    table: str
    model: type[Record]
    name: str
    column: str  # its alias, or its name: what the cell readers know it by
    info: FieldInfo
    adapter: TypeAdapter[Any]

    def problem(self, value: Any, kind: Kind) -> tuple[str, str] | None:
        """Why `value` would not read back, and what to do; `None` when it would."""
        if kind == "json":
            return self._json_problem(value)
        return self._flat_problem(value)

    def _json_problem(self, value: Any) -> tuple[str, str] | None:
        if not_given(value):
            return self._not_given(value)  # null and blank text are not given
        if _not_a_json_number(value):
            return (
                (
                    f"JSON has no number for infinity or NaN: {value!r} would be "
                    "written with null"
                ),
                "write the dataset as CSV or a workbook",
            )
        return None

    def _flat_problem(self, value: Any) -> tuple[str, str] | None:
        # The cell's text as the writers write it, read as the readers read it.
        text = flat_cell(self.adapter.dump_python(value, mode="json"))
        if not text.strip():
            return self._not_given(value)  # an empty cell is not given
        try:
            back = self.adapter.validate_python(
                cell_to_input(self.table, self.column, text, self.model)
            )
        except ValidationError as error:
            reason = error.errors(include_url=False)[0]["msg"]
            return f"its cell {text!r} would not read back: {reason}", _JSON_FIX
        if back == value or (_is_nan(back) and _is_nan(value)):
            return None
        how = (
            ": a cell's items are separated by ';', and empty ones dropped"
            if is_flat_field(self.table, self.column, self.model)
            else ""
        )
        return f"its cell {text!r} would read back as {back!r}{how}", _JSON_FIX

    def _not_given(self, value: Any) -> tuple[str, str] | None:
        """A value written as "not given": read back as the field's default."""
        fix = f"give the field a default of {value!r}"
        if self.info.is_required():
            return (
                f"{value!r} reads back as not given, and the field has no default",
                fix,
            )
        default = self.info.get_default(call_default_factory=True)
        if value == default:
            return None
        return (
            f"{value!r} reads back as not given, so as the field's default {default!r}",
            fix,
        )


@functools.cache
def _judged_fields(model: type[Record]) -> tuple[_Field, ...]:
    """The fields of `model` that are not its table's model's own, as it declares them."""
    table = table_of_model(model)
    settings = {key: model.model_config.get(key) for key in _VALUE_SETTINGS}
    config = cast("ConfigDict", {k: v for k, v in settings.items() if v is not None})
    columns = field_columns(model)
    return tuple(
        _Field(table, model, name, columns[name], info, _adapter(info, config))
        for name in fields_of_its_own(model)
        for info in (model.model_fields[name],)
    )


def _adapter(info: FieldInfo, config: ConfigDict) -> TypeAdapter[Any]:
    """What validates and dumps a value of the field, as its model does."""
    annotation: Any = info.annotation
    if info.metadata:  # constraints, validators and serialisers of the type
        given = (annotation, *info.metadata)
        annotation = Annotated[given]
    try:
        return TypeAdapter(annotation, config=config)
    except PydanticUserError:  # a model (or dataclass) as the type: its own settings
        return TypeAdapter(annotation)


def _not_a_json_number(value: Any) -> bool:
    """Whether `value` is, or holds, a float JSON has no number for (inf, nan)."""
    if isinstance(value, float):
        return not math.isfinite(value)
    if isinstance(value, (tuple, list)):
        return any(map(_not_a_json_number, value))
    if isinstance(value, dict):
        return any(map(_not_a_json_number, value.values()))
    return False


def _is_nan(value: Any) -> bool:
    return isinstance(value, float) and math.isnan(value)
