"""Property tests: any value in any text format is a finding, never an internal error.

Hypothesis puts arbitrary nesting, numbers of any size and any unicode into one
field of one record, in a JSON document, a JSON Lines file and a CSV cell; the
CLI never ends in exit 3, and `validate` finds a read error in the record
exactly when `load_dataset(errors="report")` leaves it out.
"""

from __future__ import annotations

import contextlib
import io
import json
from pathlib import Path
from typing import Any

import hypothesis.strategies as st
from hypothesis import given, settings

import clusterkit as ck
from clusterkit.cli import main
from clusterkit.report import CATALOGUE, Finding, Severity

LIMITS = ck.Limits(max_json_depth=4, max_digits=12, max_cell_chars=40)
SME = "SME-0001"
# The fields edited: text, a count and an amount.
FIELDS = ("name", "headcount", "turnover_eur")

_TEXT = st.text(
    st.characters(codec=None, exclude_categories=()),  # surrogates, controls, astral
    max_size=60,
)
_NUMBERS = st.one_of(
    st.integers(),
    st.integers(min_value=10**15, max_value=10**60),
    st.floats(allow_nan=False, allow_infinity=False),
    st.builds(
        lambda digits, exponent: f"{digits}e{exponent}",
        st.integers(min_value=0, max_value=10**20),
        st.integers(min_value=-(10**6), max_value=10**6),
    ),
    st.text("0123456789.eE+-", min_size=1, max_size=40),
)
VALUES = st.recursive(
    st.one_of(st.none(), st.booleans(), _NUMBERS, _TEXT),
    lambda inner: (
        st.lists(inner, max_size=3)
        | st.dictionaries(st.text(max_size=3), inner, max_size=2)
    ),
    max_leaves=8,
)


def _example(tmp_path: Path, layout: str) -> Path:
    target = tmp_path / {"json": "d.json", "jsonl": "d.jsonl", "csv": "d"}[layout]
    if not target.exists():
        ck.dump_dataset(ck.load_example(), target, layout=layout)
    return target


def _with_value(tmp_path: Path, layout: str, field: str, value: Any) -> Path:
    """The example with one field of the first SME set to `value`."""
    source = _example(tmp_path, layout)
    target = tmp_path / f"edited-{layout}"
    if layout == "json":
        document = json.loads(source.read_text(encoding="utf-8"))
        document["smes"][0][field] = value
        path = target.with_suffix(".json")
        path.write_text(json.dumps(document), encoding="utf-8")
        return path
    target.mkdir(exist_ok=True)
    for file in source.iterdir():
        (target / file.name).write_bytes(file.read_bytes())
    if layout == "jsonl":
        lines = (target / "smes.jsonl").read_text(encoding="utf-8").splitlines()
        record = json.loads(lines[0])
        record[field] = value
        lines[0] = json.dumps(record)
        (target / "smes.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        return target
    cell = value if isinstance(value, str) else json.dumps(value)
    lines = (target / "smes.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index(field)] = '"' + cell.replace('"', '""') + '"'
    lines[1] = ",".join(cells)
    (target / "smes.csv").write_text(
        "\n".join(lines) + "\n", encoding="utf-8", errors="surrogatepass"
    )
    return target


def _exit_code(*args: str) -> int:
    """The exit code of the CLI run in this process, its output let go of."""
    with (
        contextlib.redirect_stdout(io.StringIO()),
        contextlib.redirect_stderr(io.StringIO()),
    ):
        return main(list(args))


def _in_first_sme(finding: Finding, layout: str) -> bool:
    location = finding.location
    if layout == "json":
        return (location.pointer or "").startswith("/smes/0")
    first_line = 2 if layout == "csv" else 1
    name = Path(location.file or "").name
    return name == f"smes.{layout}" and location.line == first_line


def _read_error_in_first_sme(report: ck.Report, layout: str) -> bool:
    return any(
        finding.severity is Severity.ERROR
        and CATALOGUE[finding.rule].stage == "read"
        and _in_first_sme(finding, layout)
        for finding in report.findings
    )


@settings(max_examples=25)
@given(
    layout=st.sampled_from(["json", "jsonl", "csv"]),
    field=st.sampled_from(FIELDS),
    value=VALUES,
)
def test_any_value_is_a_finding_and_the_readers_agree(
    tmp_path_factory: Any, layout: str, field: str, value: Any
) -> None:
    """No exit 3; `validate` has a read error in the record iff `load_dataset` drops it."""
    tmp_path = tmp_path_factory.mktemp("hostile")
    path = _with_value(tmp_path, layout, field, value)
    limits = ("--max-json-depth", "4", "--max-digits", "12", "--max-cell-chars", "40")
    assert _exit_code("validate", str(path), *limits) in {0, 1}
    assert _exit_code("convert", str(path), str(tmp_path / "out.json"), *limits) in {
        0,
        1,
    }
    report = ck.validate(path, limits=LIMITS)
    loaded, _ = ck.load_dataset(path, errors="report", limits=LIMITS)
    kept = any(sme.id == SME for sme in loaded.smes)
    assert kept is not _read_error_in_first_sme(report, layout)
