"""`clusterkit.Limits`: checked fields, the `limits=` argument and the `--max-…` options."""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

import clusterkit as ck
from clusterkit._limits import current_limits, limited
from clusterkit.cli import main
from clusterkit.models._base import _bounded_number


def run(*args: str) -> tuple[int, str]:
    """The CLI's exit code and output, run in this process."""
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = main(list(args))
    return code, out.getvalue() + err.getvalue()


def csv_example(tmp_path: Path, name: str) -> Path:
    """The example as CSV files, the first SME's name `name`."""
    folder = tmp_path / "example"
    ck.dump_dataset(ck.load_example(), folder, layout="csv")
    path = folder / "smes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("name")] = name
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return folder


@pytest.mark.parametrize(
    ("given", "error", "message"),
    [
        ({"max_json_depth": 1}, ValueError, "Limits.max_json_depth must be at least 2"),
        ({"max_digits": 0}, ValueError, "Limits.max_digits must be at least 1, not 0"),
        ({"max_digits": 5000}, ValueError, "Limits.max_digits must be at most 4300"),
        ({"max_cell_chars": "9"}, TypeError, "Limits.max_cell_chars must be an int"),
        ({"max_cell_chars": True}, TypeError, "must be an int, not bool"),
    ],
)
def test_limits_are_checked(given: dict[str, Any], error: type, message: str) -> None:
    """A limit that is no int, or out of range, is refused naming its field."""
    with pytest.raises(error, match=message):
        ck.Limits(**given)


def test_limits_must_be_limits() -> None:
    """`limits=` takes a `Limits` only."""
    with pytest.raises(
        TypeError, match=r"limits must be a clusterkit\.Limits, not dict"
    ):
        ck.validate(ck.load_example(), limits={"max_digits": 3})  # type: ignore[arg-type]


def test_a_long_csv_cell_is_a_finding(tmp_path: Path) -> None:
    """A CSV cell over `max_cell_chars` is CK-TYPE-001, located, in every reader."""
    folder = csv_example(tmp_path, "x" * 500)
    limits = ck.Limits(max_cell_chars=400)
    report = ck.validate(folder, limits=limits)
    found = [f for f in report.findings if "max_cell_chars" in f.message]
    assert [(f.rule, f.location.line, f.location.field) for f in found] == [
        ("CK-TYPE-001", 2, "name")
    ]
    assert found[0].message == (
        "name: the text is 500 characters long, more than 400 (max_cell_chars); it "
        "was left out, unchecked (raise the limit with --max-cell-chars or "
        "clusterkit.Limits(max_cell_chars=...))"
    )
    loaded, read = ck.load_dataset(folder, errors="report", limits=limits)
    assert "SME-0001" not in {sme.id for sme in loaded.smes}
    assert [f.rule for f in read.findings if "max_cell_chars" in f.message] == [
        "CK-TYPE-001"
    ]
    with pytest.raises(ck.DatasetReadError, match="max_cell_chars"):
        ck.load_dataset(folder, limits=limits)
    assert ck.load_dataset(folder).smes[0].name == "x" * 500


@pytest.mark.parametrize("over", [0, 1])
def test_a_csv_cell_at_the_limit_is_read_and_one_character_more_is_not(
    tmp_path: Path, over: int
) -> None:
    """The strict CSV reader allows exactly `max_cell_chars` characters in a cell."""
    folder = csv_example(tmp_path, "x" * (400 + over))
    limits = ck.Limits(max_cell_chars=400)
    if over:
        with pytest.raises(ck.DatasetReadError, match="401 characters long"):
            ck.load_dataset(folder, limits=limits)
    else:
        assert ck.load_dataset(folder, limits=limits).smes[0].name == "x" * 400


def test_iter_records_applies_its_limits_at_each_step(tmp_path: Path) -> None:
    """`iter_records(limits=...)` reads with them; the caller's code runs with its own."""
    folder = csv_example(tmp_path, "x" * 500)
    records = ck.iter_records(folder / "smes.csv", ck.models.SME)
    assert next(records)[0].name == "x" * 500
    limited_records = ck.iter_records(
        folder, ck.models.SME, limits=ck.Limits(max_cell_chars=400)
    )
    with pytest.raises(ck.DatasetReadError, match="max_cell_chars"):
        next(limited_records)
    assert current_limits() == ck.Limits()
    assert list(limited(ck.Limits(), iter([1, 2]))) == [1, 2]


def test_max_digits_is_the_models_limit(tmp_path: Path) -> None:
    """`max_digits` bounds a count in the models, the validator and the CLI."""
    folder = tmp_path / "example"
    ck.dump_dataset(ck.load_example(), folder, layout="jsonl")
    report = ck.validate(folder, limits=ck.Limits(max_digits=1))
    assert any("max_digits" in f.message for f in report.findings)
    code, output = run("validate", str(folder), "--max-digits", "1")
    assert code == 1
    assert "has too many digits: a count or an amount has at most 1 digits" in output
    assert "--max-digits or clusterkit.Limits(max_digits=...)" in output


class _Text(str):
    """A `str` that `_bounded_number`'s fast paths (`type(value) is str`) pass by."""

    __slots__ = ()


class _Integer(int):
    """An `int` that `_bounded_number`'s fast path (`type(value) is int`) passes by."""

    __slots__ = ()


def _outcome(value: object) -> object:
    """What `_bounded_number` makes of `value`: the value, or the error's message.

    The message names the type of a value that is not text: the subclasses'
    names are read as their bases'.
    """
    try:
        return _bounded_number(value)
    except ValueError as error:
        return str(error).replace("'_Integer'", "'int'")


@given(
    st.one_of(
        st.integers(min_value=-(10**40), max_value=10**40),
        st.integers(min_value=-300, max_value=300),
    ),
    st.integers(min_value=1, max_value=40),
)
@example(63, 1)
@example(64, 1)
@example(-64, 1)
def test_the_fast_path_for_integers_judges_as_the_full_check(
    value: int, limit: int
) -> None:
    """Integers near 0 skip reading the limit; each is kept or refused as before.

    The full check counts `bit_length / 3.33` digits; the fast path keeps the
    integers of 6 bits at most (1 digit by that count), which every
    `max_digits` (at least 1) allows. An `int` subclass takes the full check.
    """
    with ck.Limits(max_digits=limit).applied():
        assert _outcome(value) == _outcome(_Integer(value))


@given(
    st.one_of(
        st.text(alphabet="0123456789", max_size=45),
        st.text(alphabet="0123456789eE+-. \u00b2\u0661\u0663", max_size=12),
        st.text(max_size=2),
    ),
    st.integers(min_value=1, max_value=40),
)
@example("9", 1)
@example("99", 1)
@example("e9", 1)
@example("99", 2)
@example("999", 2)
@example("e99", 3)
@example("1e40", 30)
def test_the_fast_path_for_digit_texts_judges_as_the_full_check(
    text: str, limit: int
) -> None:
    """A text of digits no longer than the limit skips the full check, to the same end.

    So does any text of one character. Exponents, signs, points and spaces
    in longer texts take the full check; a `str` subclass always does.
    """
    with ck.Limits(max_digits=limit).applied():
        assert _outcome(text) == _outcome(_Text(text))


def test_the_fast_paths_keep_what_the_limit_allows() -> None:
    """Each side of the fast paths' bounds: what the limit allows is kept, the rest refused."""
    with ck.Limits(max_digits=2).applied():
        assert _outcome(63) == 63
        assert _outcome(99) == 99
        assert "has too many digits" in str(_outcome(1000))
        assert _outcome("99") == "99"
        assert "has too many digits" in str(_outcome("100"))


@pytest.mark.parametrize(
    ("amount", "kept"), [(1e30, True), (1.5e31, False), (1e-31, False), (0.0, True)]
)
def test_a_float_amount_is_bounded_as_its_text_is(
    tmp_path: Path, amount: float, kept: bool
) -> None:
    """A JSON float within `max_digits` loads, and writes and reads back; beyond, refused."""
    base = ck.load_example()
    document = json.loads(base.model_dump_json())
    document["partnerships"][0]["grant_eur"] = amount
    if not kept:
        with pytest.raises(ck.DatasetReadError, match="has too many digits"):
            ck.load_dataset(document)
        return
    loaded = ck.load_dataset(document)
    ck.dump_dataset(loaded, tmp_path / "again.json")
    assert ck.load_dataset(tmp_path / "again.json") == loaded


def test_compute_kpis_takes_limits_into_its_jobs(tmp_path: Path) -> None:
    """The limits reach every process of `jobs=N`."""
    folder = tmp_path / "example"
    ck.dump_dataset(ck.load_example(), folder, layout="csv")
    limits = ck.Limits(max_cell_chars=3)
    one = ck.compute_kpis(folder, limits=limits)
    many = ck.compute_kpis(folder, limits=limits, jobs=2)
    assert not one.complete
    assert one.excluded == many.excluded
    assert ck.compute_kpis(folder).complete is not one.complete


@pytest.mark.parametrize("command", ["validate", "kpis", "convert", "report", "import"])
def test_the_limit_options(tmp_path: Path, command: str) -> None:
    """Each command that reads data takes the `--max-…` options; a bad one is a usage error."""
    args = {
        "validate": ["validate", "x"],
        "kpis": ["kpis", "--example"],
        "convert": ["convert", "x", str(tmp_path / "out")],
        "report": ["report", "--example", "--output", str(tmp_path / "r.html")],
        "import": ["import", "x", str(tmp_path / "out")],
    }[command]
    code, output = run(*args, "--max-json-depth", "1")
    assert code == 2
    assert f"clusterkit {command}: --max-json-depth must be at least 2, not 1" in output


def _long_name_dataset() -> dict[str, list[dict[str, Any]]]:
    """The example as a mapping, its first SME's name 500 characters long."""
    tables = ck.load_example().model_dump(mode="json")
    tables["smes"][0]["name"] = "x" * 500
    return tables


def test_a_long_text_in_a_mapping_is_a_finding() -> None:
    """A mapping's text over `max_cell_chars` is CK-TYPE-001 at its pointer, as in JSON."""
    mapping = _long_name_dataset()
    limits = ck.Limits(max_cell_chars=400)
    report = ck.validate(mapping, limits=limits)
    found = [f for f in report.findings if "max_cell_chars" in f.message]
    assert [(f.rule, f.location.pointer) for f in found] == [
        ("CK-TYPE-001", "/smes/0/name")
    ]
    with pytest.raises(ck.DatasetReadError, match="max_cell_chars"):
        ck.load_dataset(mapping, limits=limits)
    assert ck.load_dataset(mapping).smes[0].name == "x" * 500


def test_a_mapping_is_checked_as_a_json_document_is() -> None:
    """Nesting past `max_json_depth` and lone surrogates: as in a JSON document."""
    mapping = ck.load_example().model_dump(mode="json")
    nested: Any = "deep"
    for _ in range(20):
        nested = [nested]
    mapping["smes"][0]["sectors"] = nested
    mapping["smes"][1]["name"] = "Bad \ud800 name"
    report = ck.validate(mapping)
    messages = {f.location.pointer: f.message for f in report.findings}
    assert "values are nested more than 8 deep" in messages["/smes/0"]
    assert "lone surrogate" in messages["/smes/1/name"]
    # As from a file: both records are in error, so a lenient load leaves them out.
    loaded, _ = ck.load_dataset(mapping, errors="report")
    first, second = (sme["id"] for sme in mapping["smes"][:2])
    assert {first, second}.isdisjoint(sme.id for sme in loaded.smes)
    with pytest.raises(ck.DatasetReadError, match="nested more than 8 deep"):
        ck.load_dataset(mapping)


def test_a_long_text_in_a_data_frame_is_a_finding() -> None:
    """A DataFrame cell over `max_cell_chars` is CK-TYPE-001 at /table/row/column."""
    frames = ck.load_example().to_frames("pandas")
    smes = frames["smes"].astype({"name": object})
    smes.loc[2, "name"] = "y" * 500
    frames["smes"] = smes
    report = ck.validate(frames, limits=ck.Limits(max_cell_chars=400))
    found = [f for f in report.findings if "max_cell_chars" in f.message]
    assert [(f.rule, f.location.pointer) for f in found] == [
        ("CK-TYPE-001", "/smes/2/name")
    ]


def test_a_long_text_in_a_database_is_a_finding(tmp_path: Path) -> None:
    """A database cell over `max_cell_chars` is CK-TYPE-001 at its row's key."""
    from clusterkit.sql import write_sql  # noqa: PLC0415 - the sql extra

    example = ck.load_example()
    first = example.smes[0].model_copy(update={"name": "z" * 500})
    dataset = example.model_copy(update={"smes": [first, *example.smes[1:]]})
    url = f"sqlite:///{tmp_path / 'data.db'}"
    write_sql(dataset, url)
    limits = ck.Limits(max_cell_chars=400)
    report = ck.validate(url, limits=limits)
    found = [f for f in report.findings if "max_cell_chars" in f.message]
    assert [(f.rule, f.location.pointer) for f in found] == [
        ("CK-TYPE-001", f"/smes/{first.id}/name")
    ]
    with pytest.raises(ck.DatasetReadError, match="max_cell_chars"):
        ck.load_dataset(url, limits=limits)
    assert ck.load_dataset(url).smes[0].name == "z" * 500


@pytest.mark.parametrize("form", ["mapping", "json", "jsonl", "frames", "database"])
def test_a_refused_required_text_is_one_finding(tmp_path: Path, form: str) -> None:
    """A required name over the limit: the reader's finding only, not also 'empty'."""
    tables = _long_name_dataset()
    dataset = ck.load_dataset(tables)
    source: Any = tables
    if form in {"json", "jsonl"}:
        source = tmp_path / ("data.json" if form == "json" else "data")
        ck.dump_dataset(dataset, source, layout=form)
    elif form == "frames":
        source = dataset.to_frames("pandas")
    elif form == "database":
        from clusterkit.sql import write_sql  # noqa: PLC0415 - the sql extra

        source = f"sqlite:///{tmp_path / 'data.db'}"
        write_sql(dataset, source)
    limits = ck.Limits(max_cell_chars=400)
    first = tables["smes"][0]["id"]
    report = ck.validate(source, limits=limits, select="CK-TYPE-001")
    loaded = ck.load_dataset(source, limits=limits, errors="report")
    for findings in (report.findings, loaded.report.findings):
        (finding,) = findings
        assert finding.location.field == "name"
        assert "(max_cell_chars)" in finding.message
    assert first not in {sme.id for sme in loaded.dataset.smes}
