"""Hostile input is a located finding, in bounded time and memory, never a traceback.

Each input is built at test time, small, but crossing the same limit as the
large one measured in issue 17. The CLI runs in a subprocess, which measures
its own peak memory and time.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

import clusterkit as ck
from clusterkit.io._formats import json_document

SRC = Path(ck.__file__).parent.parent
MAX_SECONDS = 10.0
MAX_MEGABYTES = 300

# Runs the CLI, then prints its exit code, peak memory (MB) and CPU time (s):
# CPU time, since the wall clock of a shared machine says little.
_RUNNER = """
import resource, subprocess, sys
# The command runs in a child of this small process: a process's peak memory
# counts what it held before exec, and this one was forked from pytest.
done = subprocess.run(
    [sys.executable, "-m", "clusterkit", *sys.argv[1:]], capture_output=True
)
sys.stdout.buffer.write(done.stdout)
sys.stderr.buffer.write(done.stderr)
usage = resource.getrusage(resource.RUSAGE_CHILDREN)
sys.stderr.write(f"\\nRESULT {done.returncode} {usage.ru_maxrss / 1024:.0f} "
                 f"{usage.ru_utime + usage.ru_stime:.2f}\\n")
"""


def run_cli(*args: str | Path) -> tuple[int, str]:
    """Run the CLI; its exit code and output, after checking its time and memory."""
    env = {**os.environ, "PYTHONPATH": str(SRC)}
    done = subprocess.run(
        [sys.executable, "-c", _RUNNER, *map(str, args)],
        capture_output=True,
        text=True,
        env=env,
        check=False,
        timeout=120,
    )
    result = done.stderr.rsplit("RESULT ", 1)[1].split()
    code, megabytes, seconds = int(result[0]), float(result[1]), float(result[2])
    assert megabytes < MAX_MEGABYTES
    assert seconds < MAX_SECONDS
    return code, done.stdout + done.stderr


def example_in(tmp_path: Path, layout: str) -> Path:
    """The shipped example written in a layout."""
    target = tmp_path / ("example.json" if layout == "json" else f"example.{layout}")
    if layout == "csv":
        target = tmp_path / "example"
    ck.dump_dataset(ck.load_example(), target, layout=layout)
    return target


def edit_first_sme_line(folder: Path, edit: Callable[[str], str]) -> None:
    """Edit the first record of `smes.jsonl`."""
    path = folder / "smes.jsonl"
    lines = path.read_text(encoding="utf-8").splitlines()
    lines[0] = edit(lines[0])
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


def minified(tmp_path: Path, *, records: int = 1) -> Path:
    """The example as one JSON document on one line, its tables repeated."""
    document = json.loads(example_in(tmp_path, "json").read_text(encoding="utf-8"))
    target = tmp_path / "minified.json"
    for table in document:
        document[table] = document[table] * records
    target.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
    return target


def test_a_minified_document_with_a_syntax_error_stops_at_it(tmp_path: Path) -> None:
    """A syntax error early in a large one-line document is found at once."""
    path = minified(tmp_path, records=40)
    text = path.read_text(encoding="utf-8")
    at = text.index("[") + 1
    path.write_text(text[:at] + "@" + text[at:], encoding="utf-8")
    code, output = run_cli("validate", path)
    assert code == 1
    assert f"minified.json:1:{at + 1}: error CK-FILE-001 JSON syntax error" in output


def test_one_long_string_in_a_document(tmp_path: Path) -> None:
    """A string field of 5 MB is read in bounded time."""
    document = json.loads(example_in(tmp_path, "json").read_text(encoding="utf-8"))
    document["smes"][0]["name"] = "x" * 5_000_000
    path = tmp_path / "long.json"
    path.write_text(json.dumps(document, separators=(",", ":")), encoding="utf-8")
    code, output = run_cli("validate", path)
    assert code == 1
    assert (
        "error CK-TYPE-001 name: the text is 5,000,000 characters long, more than "
        "1,000,000 (max_cell_chars)" in output
    )
    # Let in: read, checked and its findings placed, in bounded time and memory.
    code, output = run_cli("validate", path, "--max-cell-chars", "6000000")
    assert code in {0, 1}
    assert "max_cell_chars" not in output


def test_a_string_just_under_the_limit(tmp_path: Path) -> None:
    """A string field just under `max_cell_chars` is read, bounded, in each format."""
    for layout in ("json", "jsonl"):
        source = hostile_source(
            tmp_path / layout, layout, '"name":"' + "x" * 999_999 + '"'
        )
        code, output = run_cli("validate", source)
        assert code in {0, 1}
        assert "max_cell_chars" not in output


def test_a_header_of_many_empty_cells(tmp_path: Path) -> None:
    """A header of 20,000 empty cells before the names is checked in linear time."""
    folder = example_in(tmp_path, "csv")
    path = folder / "clusters.csv"
    text = path.read_text(encoding="utf-8")
    path.write_text("," * 20_000 + text, encoding="utf-8")
    code, output = run_cli("validate", folder)
    assert code == 1
    assert "header cell 1 is empty" in output


@pytest.mark.parametrize("command", [("validate",), ("country",)])
def test_a_long_country_value(tmp_path: Path, command: tuple[str, ...]) -> None:
    """A 3,000-character country value is no country, found at once."""
    value = "Germanyy" * 375
    if command == ("country",):
        code, output = run_cli("country", value)
        assert code == 1
        assert "is not a country: it is 3,000 characters long" in output
        return
    folder = example_in(tmp_path, "csv")
    path = folder / "clusters.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("country")] = value
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, output = run_cli("validate", folder)
    assert code == 1
    assert "CK-COUNTRY-001" in output


@pytest.mark.parametrize("amount", ["1e999999999", "9" * 5000])
def test_an_amount_too_long(tmp_path: Path, amount: str) -> None:
    """An amount of too many digits or too large an exponent is refused, not computed."""
    folder = example_in(tmp_path, "csv")
    path = folder / "smes.csv"
    lines = path.read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("turnover_eur")] = amount
    lines[1] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    code, output = run_cli("validate", folder)
    assert code == 1
    assert "CK-TYPE-001 turnover_eur:" in output
    assert "has too many digits" in output
    code, output = run_cli("convert", folder, tmp_path / "out.json")
    assert code == 1
    assert "has too many digits" in output


@pytest.mark.parametrize("layout", ["jsonl", "json"])
def test_deep_nesting(tmp_path: Path, layout: str) -> None:
    """A value nested 100,000 deep is a malformed row, not a RecursionError."""
    deep = "[" * 100_000 + "]" * 100_000
    source = hostile_source(tmp_path, layout, f'"nace":{deep}')
    code, output = run_cli("validate", source)
    assert code == 1
    # A line is skipped; a document, read as one value, stops there.
    rule = "CK-ROW-001" if layout == "jsonl" else "CK-FILE-001"
    assert f"error {rule} values are nested more than 8 deep" in output
    code, output = run_cli("convert", source, tmp_path / "out.jsonl")
    assert code == 1
    assert "nested more than 8 deep" in output


@pytest.mark.parametrize("layout", ["jsonl", "json"])
def test_a_json_integer_too_long_to_convert(tmp_path: Path, layout: str) -> None:
    """A 5,000-digit JSON integer is a located finding in validate and convert."""
    source = hostile_source(tmp_path, layout, '"headcount":' + "9" * 5000)
    code, output = run_cli("validate", source)
    assert code == 1
    assert "CK-TYPE-001 headcount:" in output
    code, output = run_cli("convert", source, tmp_path / "out.jsonl")
    assert code == 1
    assert "has too many digits" in output


@pytest.mark.parametrize("layout", ["jsonl", "json"])
@pytest.mark.parametrize("field", ["name", "id"])
def test_a_lone_surrogate(tmp_path: Path, layout: str, field: str) -> None:
    """A lone surrogate is refused alike by validate and convert, located."""
    source = hostile_source(tmp_path, layout, f'"{field}":"a\\ud800b"')
    code, output = run_cli("validate", source)
    assert code == 1
    assert f"CK-TYPE-001 {field}: the text holds a lone surrogate" in output
    code, output = run_cli("convert", source, tmp_path / "out.jsonl")
    assert code == 1
    assert "lone surrogate" in output


@pytest.mark.parametrize("layout", ["jsonl", "json"])
def test_a_field_given_twice(tmp_path: Path, layout: str) -> None:
    """A key given twice in one record is CK-HDR-004, in validate and convert."""
    source = hostile_source(tmp_path, layout, '"vat":"First","vat":"Second"')
    code, output = run_cli("validate", source)
    assert code == 1
    assert "error CK-HDR-004 field 'vat' is given more than once" in output
    code, output = run_cli("convert", source, tmp_path / "out.jsonl")
    assert code == 1
    assert "CK-HDR-004" not in output
    assert "field 'vat' is given more than once" in output


def hostile_source(tmp_path: Path, layout: str, fields: str) -> Path:
    """The example with the first SME's `id` and other fields replaced by `fields`."""
    folder = example_in(tmp_path, "jsonl")
    replaced = {key.split(":", 1)[0].strip('"') for key in fields.split(',"')}
    replaced = {key.strip('"') for key in replaced}

    def edit(line: str) -> str:
        record = json.loads(line)
        kept = {k: v for k, v in record.items() if k not in replaced}
        return json.dumps(kept)[:-1] + "," + fields + "}"

    edit_first_sme_line(folder, edit)
    if layout == "jsonl":
        return folder
    parts = []
    for table in ck.models.TABLES:
        path = folder / f"{table}.jsonl"
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        parts.append(f'"{table}":[' + ",".join(lines) + "]")
    target = tmp_path / "hostile.json"
    target.write_text("{" + ",".join(parts) + "}", encoding="utf-8")
    return target


def scanner_work(text: str) -> int:
    """The characters the document reader decoded or copied to read `text`."""
    scanner = json_document._Scanner(io.StringIO(text), "doc.json")
    report: list[object] = []
    for _ in json_document._document_rows(
        scanner, None, lambda *args, **_: report.append(args)
    ):
        pass
    return scanner.work


@pytest.mark.parametrize("long_string", [False, True])
def test_the_document_reader_is_linear(*, long_string: bool) -> None:
    """Reading a one-line document decodes each character a bounded number of times."""
    record = {"id": "SME-1", "name": "Zomo Ceramics Ltd", "country": "IE"}

    def document(records: int) -> str:
        if long_string:
            rows = [{**record, "name": "x" * (records * 60)}]
        else:
            rows = [record] * records
        return json.dumps({"smes": rows}, separators=(",", ":"))

    for size in (2_000, 20_000):
        text = document(size)
        assert scanner_work(text) <= 8 * len(text)
